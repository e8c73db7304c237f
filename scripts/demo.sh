#!/usr/bin/env bash
# Set everything up, ingest the bundled example minutes into a fresh embedded store and
# serve it on http://127.0.0.1:8080 (Ctrl-C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/committee-kg demo "$@"
