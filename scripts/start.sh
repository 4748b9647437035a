#!/usr/bin/env bash
# Sets up, builds, and serves the lab (default http://127.0.0.1:8080). Arguments go to web/serve.mjs,
# e.g. `npm start -- --port 9000`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# Serving the lab needs the native program and the site, not the sanitizer and fuzzing builds of the tests.
PARLAB_SANITIZERS="${PARLAB_SANITIZERS:-0}" bash scripts/build.sh
exec node web/serve.mjs "$@"
