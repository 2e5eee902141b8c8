#!/usr/bin/env bash
# npm run test:e2e: the real-n8n suite. Makes sure the pinned n8n runtime and Debian's Chromium are
# present, builds the package when the build is missing or older than the sources, then runs
# jest with jest.e2e.config.js (one n8n + one Halo sandbox shared by every file, in band).
# Extra arguments go to jest, e.g. `npm run test:e2e -- -t "note routing"`.
# E2E_KEEP=1 keeps the temporary n8n user folder; n8n's log is copied to test-results/e2e-n8n.log.
# Screenshots go to test-results/screenshots/; UPDATE_SCREENSHOTS=1 writes the README's in docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE=e2e
source scripts/suite.sh
ensure_n8n_runtime

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  [ -n "${CHROMIUM_PATH:-}" ] && { say "ERROR: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }
  bash scripts/system-packages.sh chromium \
    || { say "       (or set CHROMIUM_PATH; do not use 'npx playwright install': the browser tests use the system Chromium)"; exit 1; }
fi
export CHROMIUM_PATH="$CHROMIUM"

build_if_stale
run_suite jest.e2e.config.js "$@"
