#!/usr/bin/env bash
# Makes a fresh Debian bookworm machine ready to build and test loaderd. Idempotent: when
# everything is already present it only checks and returns within a second or two.
#
#   apt packages by name; V8 from Debian's libnode (system libnode-dev where apt allows it,
#   otherwise Debian's libnode108 + libnode-dev unpacked into .deps/libnode); npm packages
#   from the committed lockfile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  build-essential cmake pkg-config ccache
  libcapnp-dev capnproto            # KJ async, kj-http, kj-tls, capnp-rpc (0.9.2)
  libyaml-cpp-dev libuv1-dev libseccomp-dev libssl-dev
  libgtest-dev zlib1g-dev
  libgoogle-perftools-dev           # TCMalloc (tools/CMakeLists.txt)
  # libnode108's runtime dependencies, for the unpacked copy
  libicu72 libc-ares2 libnghttp2-14 libbrotli1 libuv1 zlib1g
  nodejs wrk openssl
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install: apt packages: ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# V8 from Debian's libnode. CMake looks in the system first, then in .deps/libnode.
have_v8() { [ -f "$1/include/node/v8.h" ] && ls "$1"/lib/*/libnode.so* >/dev/null 2>&1; }
if ! have_v8 /usr && ! have_v8 "$root/.deps/libnode/usr"; then
  apt_update_once
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libnode-dev \
      >/dev/null 2>&1; then
    echo "install: libnode-dev from apt"
  else
    echo "install: apt refuses libnode-dev beside this Node.js; unpacking Debian's packages into .deps/libnode"
    tmp="$(mktemp -d)"
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null 2>&1 \
       || { apt_update_once; apt-get download libnode108 libnode-dev; })
    rm -rf "$root/.deps/libnode"
    mkdir -p "$root/.deps/libnode"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$root/.deps/libnode"; done
    rm -rf "$tmp"
  fi
fi

# npm packages for tests, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.loaderd-lock; then
  # `npm ci` refuses this lockfile: the registry mirror here serves only the linux builds of
  # workerd's optional platform packages, so the lock lacks the others. `npm install` installs
  # exactly the locked versions all the same.
  echo "install: npm packages from package-lock.json"
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.loaderd-lock
fi
