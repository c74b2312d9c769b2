#!/usr/bin/env bash
# Installs what is missing (tools/install.sh), configures and builds loaderd into build/.
# Incremental: a second run rebuilds only what changed (ccache keeps objects across clean builds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/install.sh
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build -j2
