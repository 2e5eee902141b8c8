#!/usr/bin/env bash
# npm start: build, make sure the pinned n8n runtime exists, then run the Halo sandbox (demo data)
# and a real n8n with this package installed, the credential and the sample workflows imported.
#
# Environment (all optional):
#   N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD / N8N_OWNER_FIRST_NAME / N8N_OWNER_LAST_NAME
#       the editor login (default admin@example.com / HaloDemo-2024!)
#   N8N_PORT (5678)  HALO_SANDBOX_PORT (5680)  N8N_ENCRYPTION_KEY (a fixed local demo key)
#   N8N_START_USER_FOLDER (~/.cache/n8n-nodes-halopsa-automation/start-user-folder)
#   N8N_START_FRESH=1   wipe that folder first (re-imports the sample workflows)
#   N8N_START_QUIET=1   do not echo n8n's own log (it is always written to <user folder>/n8n.log)
#   HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET [, HALO_TENANT, HALO_AUTH_URL, HALO_SCOPE]
#       use your Halo instead of the sandbox. The HaloPSA Trigger sample is then published only with
#       WEBHOOK_URL set to n8n's address as Halo reaches it (it registers a webhook in your Halo), the
#       daily deployment sample not at all; the sandbox keeps running to receive the samples' posts.
#   WEBHOOK_URL, N8N_LISTEN_ADDRESS   n8n's public webhook address and the interface it listens on
#   CHAT_CUSTOMER_URL, CHAT_INTERNAL_URL, RMM_URL   where the samples post (default: the sandbox's sinks)
#   CHAT_WEBHOOK_SECRET   the X-Chat-Secret the inbound chat webhook requires
#   TECHNICIAN_TAB_KEY    the key the technician tab's URL must carry (&key=...; 16+ of A-Z a-z 0-9 - . _ ~)
# Any other n8n settings in your environment (DB_*, EXECUTIONS_*, QUEUE_*, other N8N_*) are not passed to this n8n.
# Ctrl-C (or SIGTERM/SIGHUP) stops n8n and the sandbox, also while n8n is still starting.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[start] building the package" >&2
npm run --silent build >&2

# Installs n8n 2.41.1 + Node 24 into the cache the first time (about 5 minutes), reuses it afterwards.
# n8n-env.js takes the folder from N8N_RUNTIME_DIR instead of running the script again.
N8N_RUNTIME_DIR="$(bash scripts/install-n8n-runtime.sh | tail -n 1)"
export N8N_RUNTIME_DIR

exec node dist/scripts/n8n-env.js start
