#!/usr/bin/env bash
# Prepares the GPU measurements of jlip on the lent GPU test machine and prints the plan: the kit of
# ../shared/gpu (TensorFlow Java's GPU build in upload-sized chunks, a jlinked JRE, CUDA 12's cudart) plus
# Fashion-MNIST in the git-ignored folder .gpu/data, and the commands of the final step:
#   1. jlip bench --device gpu (steady-state steps of the example models, their unconstrained baselines, MatMul);
#   2. the first 50 training losses of examples/fmnist-hkr.json with TF32 off, to compare with the CPU's
#      (runs/gpu-vs-cpu/step-losses-epoch1.json made here by the same command with --device cpu);
#   3. the large model (examples/fmnist-large-softhkr.json) for as many epochs as fit in about 8 minutes.
# Run from the project root; it downloads the 526 MB GPU native jar once (Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mvn -B -q -ntp -Pgpu -DskipTests package
../shared/gpu/prepare-kit > /dev/null
mkdir -p .gpu/data
cp /usr/share/datasets/fashion-mnist/*.gz .gpu/data/
main='bash /root/g/run.sh java -cp "/root/g/classes:/root/g/lib/*" org.jlip.cli.Jlip'
cat .gpu/PLAN | sed '$d' | sed '$d'
cat <<PLAN
Last step: ship [".gpu/data"] and run, in one command (at most 8 files come back from \$OUT, 2 folders deep):
  $main bench --device gpu --out \$OUT/bench-gpu.jsonl;
  NVIDIA_TF32_OVERRIDE=0 $main train --model examples/fmnist-hkr.json --data .gpu/data --device gpu --epochs 2 --seed 1 --out /tmp/hkr;
  timeout 480 $main train --model examples/fmnist-large-softhkr.json --data .gpu/data --device gpu --out /tmp/large;
  cp /tmp/hkr/metrics.jsonl \$OUT/hkr-metrics.jsonl; cp /tmp/hkr/step-losses-epoch1.json \$OUT/; cp /tmp/large/metrics.jsonl \$OUT/large-metrics.jsonl
CPU reference for the losses (here): ./jlip train --model examples/fmnist-hkr.json --epochs 2 --seed 1 --out runs/hkr-cpu
Compare: the first 50 values of step-losses-epoch1.json, relative difference <= 1e-3; test accuracy within 0.5 point.
PLAN
