#!/usr/bin/env bash
# Installs, builds and starts loaderd's main job: the hello sample on 127.0.0.1:8787.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/build.sh"
exec "$root/build/loaderd" serve "$root/samples/hello" "$@"
