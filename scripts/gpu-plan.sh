#!/usr/bin/env bash
# Prepares the GPU measurements of jlip (issue 9) for the lent GPU test machine and prints the plan: the kit of
# ../shared/gpu (TensorFlow Java's GPU build in upload-sized chunks, a jlinked JRE, CUDA 12's cudart) plus
# Fashion-MNIST in the git-ignored folder .gpu/data. Every step is one device `run` call shipping the folders it
# names (carry), made back to back: the machine forgets everything 30 s after a call. The last step ships the
# data (with the last chunk when both fit in one call) and runs scripts/gpu-measure.sh (bench, the TF32-off CPU/GPU comparison, the large
# model); it prints the CPU runs to make here for scripts/gpu-compare.py.
# Run from the project root; it downloads the 526 MB GPU native jar once (Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The CPU build: prepare-kit resolves the -Pgpu classpath itself and ships target/classes.
mvn -B -q -ntp -DskipTests package
# The kit would also ship target/test-classes (9 MB of fixtures), target/jlip.jar (target/classes again) and the
# test-scoped jars (JUnit): with the working tree, which travels with every call, its first step would no longer
# fit in 64 MiB. The first two are hidden meanwhile; a mvn wrapper resolves the runtime classpath only.
hide=$(mktemp -d target/.kit-hidden.XXXXXX)
wrap=$(mktemp -d)
restore() { mv "$hide"/* target/ 2>/dev/null || true; rmdir "$hide"; rm -rf "$wrap"; }
trap restore EXIT
mv target/test-classes target/*.jar "$hide"/
printf '#!/bin/sh\nexec %s -DincludeScope=runtime "$@"\n' "$(command -v mvn)" > "$wrap/mvn"
chmod +x "$wrap/mvn"
PATH="$wrap:$PATH" ../shared/gpu/prepare-kit > /dev/null
restore
trap - EXIT
rm -rf .gpu/data && mkdir -p .gpu/data
cp /usr/share/datasets/fashion-mnist/*.gz .gpu/data/
chunks=$(ls -d .gpu/c[0-9]* | sort -V)
last=$(echo "$chunks" | tail -n 1)
n=0
echo "Plan (device run calls, back to back; then give_back):"
echo "$((n += 1)). carry [\".gpu/base\"]  command: bash .gpu/base/run.sh unpack"
for c in $chunks; do
  [ "$c" = "$last" ] && break
  echo "$((n += 1)). carry [\"$c\"]  command: cat $c/part >> /root/g/gpu.jar && ls -l /root/g/gpu.jar"
done
# A call carries at most 64 MiB, the working tree included: the data travels with the last chunk when it fits.
tree=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- | tail -n 1 | cut -f1)
if [ $(( tree + $(du -sb "$last" | cut -f1) + $(du -sb .gpu/data | cut -f1) )) -lt $(( 63 * 1024 * 1024 )) ]; then
  echo "$((n += 1)). carry [\"$last\", \".gpu/data\"]  timeout_s: what status leaves, less 60  command:"
  echo "    cat $last/part >> /root/g/gpu.jar && bash scripts/gpu-measure.sh SECONDS"
else
  echo "$((n += 1)). carry [\"$last\"]  command: cat $last/part >> /root/g/gpu.jar && ls -l /root/g/gpu.jar"
  echo "$((n += 1)). carry [\".gpu/data\"]  timeout_s: what status leaves, less 60  command:"
  echo "    bash scripts/gpu-measure.sh SECONDS"
fi
echo "    (SECONDS = timeout_s - 20; bench, same, large logs and JSON come back from \$OUT)"
echo "The moonshot (the large model's 100 epochs with --xla inside one 10-minute call), as the last step's"
echo "    command instead or while the machine is warm after it: bash scripts/gpu-measure.sh 590 moonshot with"
echo "    timeout_s 600 (a further call resumes the run where the last one stopped; MOONSHOT_SEED=N picks the seed,"
echo "    default 1; docs/gpu-measurements has seeds 1, 2 and 3)"
cat <<PLAN
CPU runs here, for the comparison (the same commands on this machine):
  ./jlip train --model examples/fmnist-hkr.json --data .gpu/data --epochs 2 --seed 1 --out runs/gpu-vs-cpu/same-cpu
  ./jlip train --model docs/gpu-measurements/models/fmnist-hkr-layers-ce.json --data .gpu/data --epochs 2 --seed 1 \
    --out runs/gpu-vs-cpu/same-ce-cpu
  ./jlip bench --device cpu --only matmul,models --model examples/fmnist-hkr.json --model examples/fmnist-baseline.json \\
    --model examples/plain-convnet.json --batch 128 --out runs/gpu-vs-cpu/bench-cpu.jsonl
Then: scripts/gpu-compare.py DIR_OF_THE_FILES_BROUGHT_BACK runs/gpu-vs-cpu
PLAN
