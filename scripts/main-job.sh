#!/usr/bin/env bash
# The main job: train the small Fashion-MNIST HKR convnet (examples/fmnist-hkr.json, 10 epochs by default,
# about 7 minutes on 2 cores), export it as a SavedModel, certify the test set and print the table; then train
# the unconstrained baseline of the same architecture (cross-entropy, 5 epochs), attack both and write the HTML
# report (about 12 minutes in all).
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
rm -rf "$out-baseline"
./jlip train --model examples/fmnist-baseline.json --data fashion-mnist --epochs 5 --out "$out-baseline"
./jlip report --model hkr="$out/savedmodel" --model baseline="$out-baseline" --data fashion-mnist:test --n 300 \
  --out "$out/report"
echo "main job done: $out (checkpoint, metrics.jsonl, savedmodel/, certify.json, certify.csv, report/report.html)"
