#!/usr/bin/env bash
# Sets up, builds, and serves the lab (default http://127.0.0.1:8080). Arguments go to web/serve.mjs,
# e.g. `npm start -- --port 9000`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
bash scripts/build.sh
exec node web/serve.mjs "$@"
