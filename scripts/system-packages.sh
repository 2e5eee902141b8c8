#!/usr/bin/env bash
# `bash scripts/system-packages.sh <name>...`: makes sure the Debian packages whose commands have these
# names (chromium, python3, make, g++) are there. As root with apt-get, the missing ones are installed:
# only those, without recommended extras (`--no-install-recommends`); apt-get then upgrades an installed
# package only when a new one needs a newer version of it, and nothing else. Otherwise a missing one
# fails with the command to run. Output goes to stderr.
set -euo pipefail
say() { echo "[system-packages] $*" >&2; }

missing=()
for name in "$@"; do
  command -v "$name" >/dev/null 2>&1 || missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  say "installing ${missing[*]} with apt-get --no-install-recommends (only what is missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 \
    && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { say "ERROR: apt-get could not install ${missing[*]}"; exit 1; }
else
  say "ERROR: ${missing[*]} not found. Install them (Debian: sudo apt-get install --no-install-recommends ${missing[*]})."
  exit 1
fi
