#!/usr/bin/env bash
# npm run test:queue: the samples in n8n's queue mode. Makes sure the pinned n8n runtime and Debian's
# postgresql and redis-server are present (installed with apt-get when missing and run as root), builds
# the package when the build is missing or older than the sources, then runs jest with
# jest.queue.config.js: PostgreSQL, Redis, one n8n main process, 2 workers, 2 webhook processes behind a
# round-robin proxy, and the Halo sandbox, started once for the suite (scripts/queue-cluster.ts).
# Everything runs in one temporary folder, stopped and removed afterwards, also after a failure or
# Ctrl-C. Logs of every process are copied to test-results/queue/.
# Extra arguments go to jest, e.g. `npm run test:queue -- -t "mass expiry"`.
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE=queue
source scripts/suite.sh
ensure_n8n_runtime

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "installing Debian's ${missing[*]} with apt-get (only what is missing, no recommended extras)"
    export DEBIAN_FRONTEND=noninteractive
    # The packages would start machine-wide services (PostgreSQL on 5432, Redis on 6379): a policy-rc.d
    # that denies starting them, as Debian provides for exactly this, while apt-get runs (unless one exists).
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    fi
    installed=0
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 && installed=1
    [ -n "$policy" ] && rm -f "$policy"
    [ "$installed" = 1 ] || { say "ERROR: apt-get could not install ${missing[*]}"; exit 1; }
  else
    say "ERROR: ${missing[*]} not installed. Install Debian's packages (as root):"
    say "       sudo apt-get install -y --no-install-recommends ${missing[*]}"
    say "       (the suite starts its own PostgreSQL and Redis on free ports; it does not use or change the machine's own.)"
    exit 1
  fi
fi

build_if_stale

QUEUE_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/halopsa-queue-XXXXXX")"
export QUEUE_ROOT
# Jest's global teardown stops the cluster; this catches what a crash or Ctrl-C left behind.
cleanup() { [ -d "$QUEUE_ROOT" ] && node dist/scripts/queue-cluster.js cleanup "$QUEUE_ROOT" || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_suite jest.queue.config.js "$@"
