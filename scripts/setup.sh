#!/usr/bin/env bash
# Installs what parlab needs and is missing: Debian packages (as root) and the npm packages of package-lock.json.
# Idempotent, and quick (no network) when everything is there already.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "parlab setup: $*"; }
fail() { echo "parlab setup: error: $*" >&2; exit 1; }

# Node.js 20+ and npm come with the machine (Debian 12's own nodejs is 18, too old for playwright-core).
command -v node >/dev/null || fail "node not found: install Node.js 20 or newer"
command -v npm >/dev/null || fail "npm not found: install npm (comes with Node.js)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: parlab needs 20 or newer"

# Debian packages. emscripten brings clang/lld 14, binaryen and node-acorn as hard dependencies, so
# --no-install-recommends leaves nothing out that the wasm build needs; fonts-liberation gives the headless
# browser readable text in the charts (chromium only recommends it). clang-14 (also an emscripten dependency)
# and libclang-rt-14-dev (libFuzzer's runtime) build the fuzz target. hyperfine writes the file the upload
# test reads (tests/e2e/import.test.mjs). openmpi-bin and libopenmpi-dev build and run parlab-mpi (docs/mpi.md).
apt_packages=(cmake g++ libgtest-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev emscripten chromium
    fonts-liberation clang-14 libclang-rt-14-dev hyperfine firefox-esr openmpi-bin libopenmpi-dev)
missing=()
for package in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    install_command="apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "parlab setup: missing Debian packages: ${missing[*]}" >&2
        echo "parlab setup: run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive $install_command" >&2
        exit 1
    fi
    say "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $install_command -qq </dev/null
fi
# python3 (3.9+, standard library only) runs the CPython reference programs in reference/cpython/ and their tests;
# the machine's own is used when there is one, else Debian's.
if ! command -v python3 >/dev/null; then
    [ "$(id -u)" -eq 0 ] || fail "python3 not found: run as root:  apt-get update && apt-get install -y python3"
    say "installing python3 (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 -qq </dev/null
fi
command -v emcc >/dev/null || fail "emcc not on PATH after installing emscripten"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after installing chromium"

# npm packages, exactly as locked. node_modules/.package-lock.json is npm's record of the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error </dev/null
fi

say "ok"
