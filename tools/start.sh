#!/usr/bin/env bash
# Installs, builds and starts loaderd's main job: the Code Mode MCP demo (the Cloudflare API spec
# over the offline mock API) with MCP at http://127.0.0.1:8787/mcp. The mock API's token is
# "demo-token"; CF_API_TOKEN overrides it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/build.sh"
export CF_API_TOKEN="${CF_API_TOKEN:-demo-token}"
exec "$root/build/loaderd" serve "$root/samples/codemode-mcp" "$@"
