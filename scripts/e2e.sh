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
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "Chromium is missing: installing Debian's chromium package with apt-get (a few minutes)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq chromium >&2 \
      || { say "ERROR: apt-get could not install chromium"; exit 1; }
  else
    say "ERROR: $CHROMIUM not found. Install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH."
    say "       (Do not use 'npx playwright install': the browser tests use the system Chromium.)"
    exit 1
  fi
fi
export CHROMIUM_PATH="$CHROMIUM"

bash scripts/build-if-stale.sh

set +e
npx jest --config jest.e2e.config.js --runInBand "$@"
status=$?
set -e
say "finished in $(( $(date +%s) - started )) s (exit $status)"
exit $status
