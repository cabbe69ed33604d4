#!/usr/bin/env bash
# `make run`: sets up what is missing, builds the dashboard, and serves it
# from the RavenDB 3.x reference server (devserver) with demo data, on
# 127.0.0.1. PORT (default 8080) and PROTOCOL (3.0 or 3.5, default 3.5)
# can be set in the environment.
#
# Ctrl+C or SIGTERM (also while it builds) stops everything it started:
# each step and the server run in process groups this shell owns
# (scripts/procs.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export RBS_RUN_ID="run-$$-$(date +%s%N)"
PORT=${PORT:-8080}
PROTOCOL=${PROTOCOL:-3.5}
source scripts/procs.sh
procs_cleanup_hook() {
  /usr/bin/python3 "$ROOT/scripts/leftovers.py" "$ROOT" --run-id "$RBS_RUN_ID" --kill --grace 5 || true
}
procs_trap

procs_run bash scripts/setup.sh
procs_run trunk build --release
procs_run cargo build -p devserver --release --quiet
mkdir -p .work
echo
echo "Raven Backup Studio: http://127.0.0.1:$PORT/studio/  (RavenDB $PROTOCOL reference server with demo data; Ctrl+C stops)"
echo
procs_spawn "$ROOT/target/release/devserver" --port "$PORT" --protocol "$PROTOCOL" --demo \
  --studio-dir "$ROOT/dist" --data-dir "$ROOT/.work/run-data" --backup-root "$ROOT/.work/run-backups"
# Returns when the server ends by itself (its status is ours) or at once on
# Ctrl+C / SIGTERM, whose trap stops it.
set +e
wait "$SPAWNED_PID"
