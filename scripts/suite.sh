# Shared by the scripts of the real-n8n suites (e2e.sh, queue.sh): sourced, not run. Set SUITE (the
# name in messages) before sourcing; the caller runs from the repository root with `set -euo pipefail`.
suite_started=$(date +%s)
say() { echo "[$SUITE] $*" >&2; }

# The pinned n8n runtime (installed on first use, ~5 minutes); exported as N8N_RUNTIME_DIR so the
# suite's setup does not run the install script again.
ensure_n8n_runtime() {
  say "n8n runtime (first install on a fresh machine takes about 5 minutes; cached afterwards)"
  N8N_RUNTIME_DIR="$(bash scripts/install-n8n-runtime.sh | tail -n 1)"
  export N8N_RUNTIME_DIR
  say "runtime ready after $(( $(date +%s) - suite_started )) s: $N8N_RUNTIME_DIR"
}

# Builds the package when dist/ is missing or older than the sources (the suites pack dist/).
build_if_stale() {
  local newest_source
  newest_source=$(find credentials nodes halo-client engine json-rules-engine-for-n8n packages sandbox scripts package.json -type f \( -name '*.ts' -o -name '*.svg' -o -name '*.json' \) \
    -newer dist/nodes/HaloPsa/HaloPsa.node.js 2>/dev/null | head -n 1 || true)
  if [ ! -f dist/nodes/HaloPsa/HaloPsa.node.js ] || [ ! -f dist/sandbox/index.js ] || [ ! -f dist/scripts/n8n-env.js ] || [ -n "$newest_source" ]; then
    say "building the package"
    npm run --silent build >&2
  fi
}

# Runs jest in band with the given config and the caller's extra arguments; exits with jest's status.
run_suite() {
  local config=$1 status
  shift
  set +e
  npx jest --config "$config" --runInBand "$@"
  status=$?
  set -e
  say "finished in $(( $(date +%s) - suite_started )) s (exit $status)"
  exit $status
}
