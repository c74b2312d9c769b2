#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: C++ unit tests (CTest), then the JavaScript
# end-to-end and conformance tests (Node's test runner; conformance runs every case on workerd
# and on loaderd). Exits non-zero if anything fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/build.sh
status=0
(cd build && ctest --output-on-failure -j2) || status=1
node --test --test-reporter=spec tools/tests/ runtime/tests/ loader/tests/ samples/tests/ conformance/ || status=1
exit $status
