#!/usr/bin/env bash
# `npm start`: bootstrap (scripts/setup), then the whole platform in the foreground
# (scripts/start/main.ts). Ctrl-C drains and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup
exec node --import tsx scripts/start/main.ts
