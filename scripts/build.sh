#!/usr/bin/env bash
# Builds everything: the native program and tests, both wasm builds, and the static site in build/site/.
# Incremental: a second run only rebuilds what changed. PARLAB_JOBS sets the parallel compile jobs.
# Also the native tests under ASan+UBSan (build/asan) and TSan (build/tsan), and the fuzz target (build/fuzz);
# PARLAB_SANITIZERS=0 leaves those three out (a quicker local build; scripts/test.sh then skips them too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian's emscripten runs its JavaScript tools with this Node.js, which does not look in Debian's module folder
# (where acorn is) unless told to.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
jobs="${PARLAB_JOBS:-$(nproc)}"

say() { echo "parlab build: $*"; }

say "native (build/native)"
cmake --preset native >/dev/null
cmake --build --preset native -j "$jobs"

if [ "${PARLAB_SANITIZERS:-1}" != 0 ]; then
    for preset in asan tsan fuzz; do
        say "$preset (build/$preset)"
        cmake --preset "$preset" >/dev/null
        cmake --build --preset "$preset" -j "$jobs"
    done
fi

say "wasm (build/wasm)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$jobs"

say "site (build/site)"
node web/build-site.mjs

say "ok"
