#!/usr/bin/env bash
# The GPU measurements of issue 9, run ON the GPU test machine as the last step of scripts/gpu-plan.sh's plan,
# after the kit's steps have installed TensorFlow Java's GPU build in /root/g. Usage (from the uploaded project
# copy, with .gpu/data shipped): bash scripts/gpu-measure.sh [SECONDS]; SECONDS (default 540) bounds the whole
# script: the large model trains for what is left after the first two parts, less a reserve for its export.
#   1. bench: steady-state steps of the small HKR convnet, its unconstrained baseline, the kit's plain conv net
#      and the large model (random data, batch 128), and a MatMul; placement per measurement.
#   2. same: the small HKR convnet for 2 epochs, seed 1, TF32 off (NVIDIA_TF32_OVERRIDE=0): its per-step losses
#      and test accuracy, to compare with the CPU run of the same command (scripts/gpu-compare.sh).
#   3. large: examples/fmnist-large-softhkr.json on Fashion-MNIST until the time is up, then export and certify.
# At most 8 files come back from $OUT: the 3 logs (bench, same, large with its certify table), bench-gpu.jsonl,
# same-metrics.jsonl, same-step-losses.json and large-metrics.jsonl.
set -uo pipefail
budget=${1:-540}
start=$(date +%s)
kit=${KIT:-/root/g}  # where the kit installed the runtime; another folder only for a dry run elsewhere
jlip=(bash "$kit/run.sh" java -cp "$kit/classes:$kit/lib/*" org.jlip.cli.Jlip)
data=.gpu/data
elapsed() { echo $(( $(date +%s) - start )); }
# run.sh writes each program's log to $OUT/gpu.log: gather them per part.
part() {
  local name=$1; shift
  "$@"; local rc=$?
  [ -f "$OUT/gpu.log" ] && { cat "$OUT/gpu.log" >> "$OUT/$name.log"; rm -f "$OUT/gpu.log"; }
  echo "[gpu-measure] $name: exit $rc at $(elapsed) s"
  return $rc
}

part bench "${jlip[@]}" bench --device gpu --only matmul,models --model examples/fmnist-hkr.json \
  --model examples/fmnist-baseline.json --model examples/plain-convnet.json \
  --model examples/fmnist-large-softhkr.json --batch 128 --out "$OUT/bench-gpu.jsonl"

NVIDIA_TF32_OVERRIDE=0 part same "${jlip[@]}" train --model examples/fmnist-hkr.json --data $data --device gpu \
  --epochs 2 --seed 1 --out /tmp/same
cp /tmp/same/metrics.jsonl "$OUT/same-metrics.jsonl"
cp /tmp/same/step-losses-epoch1.json "$OUT/same-step-losses.json"

reserve=75
left=$(( budget - $(elapsed) - reserve ))
echo "[gpu-measure] large model: $left s of training"
if [ "$left" -gt 30 ]; then
  part large timeout -s INT "$left" "${jlip[@]}" train --model examples/fmnist-large-softhkr.json --data $data \
    --device gpu --seed 1 --out /tmp/large
  cp /tmp/large/metrics.jsonl "$OUT/large-metrics.jsonl"
  part large "${jlip[@]}" export --checkpoint /tmp/large --out /tmp/large-export \
    && part large "${jlip[@]}" certify --model /tmp/large-export --data $data --out /tmp/large-certify.json
fi
echo "[gpu-measure] done at $(elapsed) s"
