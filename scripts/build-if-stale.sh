#!/usr/bin/env bash
# Builds the package when dist/ is missing or older than the sources (the real-n8n suites pack dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
newest_source=$(find credentials nodes engine sandbox scripts package.json -type f \( -name '*.ts' -o -name '*.svg' -o -name '*.json' \) \
  -newer dist/nodes/HaloPsa/HaloPsa.node.js 2>/dev/null | head -n 1 || true)
if [ ! -f dist/nodes/HaloPsa/HaloPsa.node.js ] || [ ! -f dist/sandbox/index.js ] || [ ! -f dist/scripts/n8n-env.js ] || [ -n "$newest_source" ]; then
  echo "[build] building the package" >&2
  npm run --silent build >&2
fi
