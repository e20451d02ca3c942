#!/usr/bin/env bash
# The test command: setup, the Java test suite, then the Python interoperability check of exported SavedModels.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export TF_CPP_MIN_LOG_LEVEL=2
mvn -B -ntp verify
# Python TensorFlow and Keras load the committed and a fresh export unchanged (fixtures written by the Java tests).
src/test/python/run-interop.sh target/interop
