#!/usr/bin/env bash
# Checks that Python TensorFlow and Keras load a jlip SavedModel unchanged and agree with the Java outputs, and
# that an independent Keras implementation of the HKR convnet's training step gives jlip's losses step for step,
# and that an independent attack finds no clearly smaller adversarial examples than jlip's minimal-norm attack.
# Usage: src/test/python/run-interop.sh [INTEROP_DIR]   (default target/interop, written by
#   SavedModelInteropFixtureTest: one folder per SavedModel checked, each with inputs.npy and expected.json;
#   TrainingStepFixtureTest: training-steps/; MinimalNormInteropFixtureTest: minimal-norm/)
# Creates a venv under target/ and installs tensorflow-cpu and keras from the machine's local index; a failed
# install fails the check (exit non-zero): the check is never skipped.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DIR="${1:-target/interop}"
VENV=target/interop-venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# shellcheck disable=SC1091
source "$VENV/bin/activate"
if ! python -c 'import tensorflow, keras' 2>/dev/null; then
  set -- $(pip config get global.extra-index-url)
  if [ $# -lt 2 ]; then
    echo "run-interop: FAILED: expected two URLs in pip's global.extra-index-url, got: $*" >&2
    exit 2
  fi
  if ! pip install -q --index-url "$1" --extra-index-url "$2" tensorflow-cpu keras; then
    echo "run-interop: FAILED: could not install tensorflow-cpu and keras" >&2
    exit 3
  fi
fi
fixtures=$(find "$DIR" -mindepth 2 -maxdepth 2 -name expected.json -printf '%h\n' | sort)
if [ -z "$fixtures" ]; then
  echo "run-interop: FAILED: no fixtures under $DIR; run: mvn -q -B test -Dtest=SavedModelInteropFixtureTest" >&2
  exit 4
fi
status=0
for f in $fixtures; do
  TF_CPP_MIN_LOG_LEVEL=2 python src/test/python/interop.py "$f" || status=1
done
if [ ! -f "$DIR/training-steps/steps.json" ]; then
  echo "run-interop: FAILED: no $DIR/training-steps; run: mvn -q -B test -Dtest=TrainingStepFixtureTest" >&2
  exit 4
fi
TF_CPP_MIN_LOG_LEVEL=2 python src/test/python/training_steps.py "$DIR/training-steps" || status=1
if [ ! -f "$DIR/minimal-norm/attack.json" ]; then
  echo "run-interop: FAILED: no $DIR/minimal-norm; run: mvn -q -B test -Dtest=MinimalNormInteropFixtureTest" >&2
  exit 4
fi
TF_CPP_MIN_LOG_LEVEL=2 python src/test/python/minimal_norm.py "$DIR/minimal-norm" || status=1
exit $status
