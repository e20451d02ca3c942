#!/usr/bin/env bash
# The GPU measurements of issue 9, run ON the GPU test machine as the last step of scripts/gpu-plan.sh's plan,
# after the kit's steps have installed TensorFlow Java's GPU build in /root/g. Usage (from the uploaded project
# copy, with .gpu/data shipped): bash scripts/gpu-measure.sh [SECONDS [PARTS]]; SECONDS (default 540) bounds the
# whole script: the large model trains for what is left after the other parts, less a reserve for its export.
# PARTS (comma-separated, default bench,bench-xla,same,same-ce,large-xla):
#   bench: steady-state steps of the small HKR convnet, its unconstrained baseline, the kit's plain conv net and
#     the large model (random data, batch 128), and a MatMul; placement per measurement;
#   bench-xla: the same models with --xla (XLA auto-clustering);
#   same: the small HKR convnet for 2 epochs, seed 1, TF32 off (NVIDIA_TF32_OVERRIDE=0): its per-step losses
#     and test accuracy, to compare with the CPU run of the same command (scripts/gpu-compare.py);
#   same-ce: the same with the small convnet's Lipschitz layers trained by cross-entropy instead of HKR
#     (docs/gpu-measurements/models): the Lipschitz layers' GPU maths against the CPU's without HKR's hinge, whose
#     kinks make any two implementations part within tens of steps;
#   large / large-xla: examples/fmnist-large-softhkr.json on Fashion-MNIST (without / with --xla) until the
#     time is up, then export and certify.
#   moonshot: the large model's 100 epochs with --xla, validated every $MOONSHOT_VALIDATION_FREQ epochs (default
#     100: only after the last; on the H200 89 epochs fitted in one 583 s call with 4 validations of 10-14 s,
#     a checkpoint per epoch and a second XLA compilation for the last, partial batch: now --drop-remainder and
#     --checkpoint-interval 60), in $MOONSHOT (default /root/moonshot, which outlives a call while the machine stays
#     warm): each call resumes where the last one stopped, until the 100 epochs are done; export and certify
#     follow when time is left, else
#   moonshot-export: in the next call.
#   The moonshot's seed is $MOONSHOT_SEED (default 1, the seed of the run in docs/gpu-measurements/h200-run4).
# Back from $OUT (at most 8 files): gpu-measure.log (every program's log), bench-gpu.jsonl, bench-gpu-xla.jsonl,
# same-metrics.jsonl, same-step-losses.json, same-ce-metrics.jsonl, same-ce-step-losses.json, large-metrics.jsonl,
# moonshot-metrics.jsonl, moonshot-certify.json (fewer parts per call when all would exceed 8 files).
set -uo pipefail
budget=${1:-540}
parts=",${2:-bench,bench-xla,same,same-ce,large-xla},"
start=$(date +%s)
kit=${KIT:-/root/g}  # where the kit installed the runtime; another folder only for a dry run elsewhere
jlip=(bash "$kit/run.sh" java -cp "$kit/classes:$kit/lib/*" org.jlip.cli.Jlip)
data=.gpu/data
models=(--model examples/fmnist-hkr.json --model examples/fmnist-baseline.json --model examples/plain-convnet.json
  --model examples/fmnist-large-softhkr.json)
elapsed() { echo $(( $(date +%s) - start )); }
want() { [[ "$parts" == *",$1,"* ]]; }
# run.sh writes each program's log to $OUT/gpu.log: gather them in one file.
part() {
  local name=$1; shift
  echo "===== $name: $*" >> "$OUT/gpu-measure.log"
  "$@"; local rc=$?
  [ -f "$OUT/gpu.log" ] && { cat "$OUT/gpu.log" >> "$OUT/gpu-measure.log"; rm -f "$OUT/gpu.log"; }
  echo "[gpu-measure] $name: exit $rc at $(elapsed) s" | tee -a "$OUT/gpu-measure.log"
  return $rc
}

want bench && part bench "${jlip[@]}" bench --device gpu --only matmul,models "${models[@]}" --batch 128 \
  --out "$OUT/bench-gpu.jsonl"
want bench-xla && part bench-xla "${jlip[@]}" bench --device gpu --xla --only models "${models[@]}" --batch 128 \
  --out "$OUT/bench-gpu-xla.jsonl"

# same: TF32 off, seed 1, 2 epochs; per-step losses of the first epoch and the metrics come back as NAME-*.
same() {
  local name=$1 model=$2
  NVIDIA_TF32_OVERRIDE=0 part "$name" "${jlip[@]}" train --model "$model" --data $data --device gpu \
    --epochs 2 --seed 1 --out "/tmp/$name"
  cp "/tmp/$name/metrics.jsonl" "$OUT/$name-metrics.jsonl"
  cp "/tmp/$name/step-losses-epoch1.json" "$OUT/$name-step-losses.json"
}
want same && same same examples/fmnist-hkr.json
want same-ce && same same-ce docs/gpu-measurements/models/fmnist-hkr-layers-ce.json

xla=()
want large-xla && xla=(--xla)
if want large || want large-xla; then
  reserve=40
  left=$(( budget - $(elapsed) - reserve ))
  echo "[gpu-measure] large model: $left s of training ${xla[*]}"
  if [ "$left" -gt 30 ]; then
    # --time-limit ends at an epoch boundary; timeout is the backstop should an epoch run long.
    part large timeout -s INT $(( left + reserve - 10 )) "${jlip[@]}" train \
      --model examples/fmnist-large-softhkr.json --data $data --device gpu --seed 1 "${xla[@]}" --time-limit "$left" \
      --drop-remainder --checkpoint-interval 60 \
      --out /tmp/large
    cp /tmp/large/metrics.jsonl "$OUT/large-metrics.jsonl"
    part large "${jlip[@]}" export --checkpoint /tmp/large --out /tmp/large-export \
      && part large "${jlip[@]}" certify --model /tmp/large-export --data $data --out /tmp/large-certify.json
  fi
fi
if want moonshot; then
  dir=${MOONSHOT:-/root/moonshot}
  # --time-limit counts from the JVM's start; before its one validation (after the last epoch) the trainer cannot
  # know that validation's length (10-14 s on the H200), so it is kept in reserve here.
  reserve=20
  left=$(( budget - $(elapsed) - reserve ))
  resume=()
  [ -d "$dir/checkpoint" ] && resume=(--resume)
  echo "[gpu-measure] moonshot: $left s for the command ${resume[*]}"
  if [ "$left" -gt 60 ]; then
    part moonshot timeout -s INT $(( left + reserve - 5 )) "${jlip[@]}" train \
      --model examples/fmnist-large-softhkr.json --data $data --device gpu --seed "${MOONSHOT_SEED:-1}" --xla \
      --validation-freq "${MOONSHOT_VALIDATION_FREQ:-100}" --drop-remainder --checkpoint-interval 60 \
      --time-limit "$left" --out "$dir" "${resume[@]}"
    cp "$dir/metrics.jsonl" "$OUT/moonshot-metrics.jsonl"
  fi
fi
# moonshot-export: the moonshot's model exported and certified (after the 10-minute call, in the next one: the
# machine keeps $MOONSHOT while warm); also run by the moonshot call itself when 40 s are left.
if want moonshot-export || { want moonshot && [ $(( budget - $(elapsed) )) -gt 40 ]; }; then
  dir=${MOONSHOT:-/root/moonshot}
  part moonshot-export "${jlip[@]}" export --checkpoint "$dir" --out "$dir-export" --overwrite \
    && part moonshot-export "${jlip[@]}" certify --model "$dir-export" --data $data --out "$OUT/moonshot-certify.json"
fi
echo "[gpu-measure] done at $(elapsed) s"
