#!/usr/bin/env bash
# npm run test:e2e: the real-n8n suite. Makes sure the pinned n8n runtime and Debian's Chromium are
# present, builds the package when the build is missing or older than the sources, then runs
# jest with jest.e2e.config.js (one n8n + one Halo sandbox shared by every file, in band).
# Extra arguments go to jest, e.g. `npm run test:e2e -- -t "note routing"`.
# E2E_KEEP=1 keeps the temporary n8n user folder; n8n's log is copied to test-results/e2e-n8n.log.
# Screenshots go to test-results/screenshots/; UPDATE_SCREENSHOTS=1 writes the README's in docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[e2e] $*" >&2; }
started=$(date +%s)

say "n8n runtime (first install on a fresh machine takes about 5 minutes; cached afterwards)"
N8N_RUNTIME_DIR="$(bash scripts/install-n8n-runtime.sh | tail -n 1)"
export N8N_RUNTIME_DIR
say "runtime ready after $(( $(date +%s) - started )) s: $N8N_RUNTIME_DIR"

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  [ -n "${CHROMIUM_PATH:-}" ] && { say "ERROR: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }
  bash scripts/system-packages.sh chromium \
    || { say "       (or set CHROMIUM_PATH; do not use 'npx playwright install': the browser tests use the system Chromium)"; exit 1; }
fi
export CHROMIUM_PATH="$CHROMIUM"

newest_source=$(find credentials nodes engine sandbox scripts package.json -type f \( -name '*.ts' -o -name '*.svg' -o -name '*.json' \) \
  -newer dist/nodes/HaloPsa/HaloPsa.node.js 2>/dev/null | head -n 1 || true)
if [ ! -f dist/nodes/HaloPsa/HaloPsa.node.js ] || [ ! -f dist/sandbox/index.js ] || [ ! -f dist/scripts/n8n-env.js ] || [ -n "$newest_source" ]; then
  say "building the package"
  npm run --silent build >&2
fi

set +e
npx jest --config jest.e2e.config.js --runInBand "$@"
status=$?
set -e
say "finished in $(( $(date +%s) - started )) s (exit $status)"
exit $status
