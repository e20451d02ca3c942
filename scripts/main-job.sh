#!/usr/bin/env bash
# The main job: train the small Fashion-MNIST HKR convnet (examples/fmnist-hkr.json, 10 epochs by default,
# about 5-8 minutes on 2 cores), export it as a SavedModel, certify the test set and print the report.
# Usage: scripts/main-job.sh [OUT_DIR] [extra jlip train flags, e.g. --epochs 2]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out="${1:-runs/fmnist-hkr}"
shift || true
mvn -B -q -ntp -DskipTests package
rm -rf "$out"
./jlip train --model examples/fmnist-hkr.json --data fashion-mnist --out "$out" "$@"
./jlip export --checkpoint "$out" --out "$out/savedmodel" --overwrite
./jlip certify --model "$out/savedmodel" --data fashion-mnist:test --out "$out/certify.json" --csv "$out/certify.csv"
echo "main job done: $out (checkpoint, metrics.jsonl, savedmodel/, certify.json, certify.csv)"
