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

build_if_stale
run_suite jest.e2e.config.js "$@"
