#!/usr/bin/env bash
# `make run`: sets up what is missing, builds the dashboard, and serves it
# from the RavenDB 3.x reference server (devserver) with demo data, on
# 127.0.0.1. PORT (default 8080) and PROTOCOL (3.0 or 3.5, default 3.5)
# can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PORT=${PORT:-8080}
PROTOCOL=${PROTOCOL:-3.5}

bash scripts/setup.sh
trunk build --release
cargo build -p devserver --release --quiet
mkdir -p .work
echo
echo "Raven Backup Studio: http://127.0.0.1:$PORT/studio/  (RavenDB $PROTOCOL reference server with demo data; Ctrl+C stops)"
echo
exec "$ROOT/target/release/devserver" --port "$PORT" --protocol "$PROTOCOL" --demo \
  --studio-dir "$ROOT/dist" --data-dir "$ROOT/.work/run-data" --backup-root "$ROOT/.work/run-backups"
