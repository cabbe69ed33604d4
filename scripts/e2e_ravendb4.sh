#!/usr/bin/env bash
# End-to-end tests against a genuine RavenDB 4.1 server: starts it (fresh
# data folder, free loopback port), serves dist/ with Debian nginx under a
# sub-path with the strict CSP and a same-origin reverse proxy to RavenDB
# (4.x sends no CORS headers: this is how users must deploy it), then runs
# tools/e2e-ravendb4/*.test.mjs (Playwright driving Debian's chromium).
# Prints node's "# pass N / # fail N"; exits with node's status.
# Stops RavenDB, nginx and the test runner (and its browser) on every exit,
# Ctrl+C and SIGTERM included (scripts/procs.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/procs.sh
# shellcheck source=scripts/ravendb_common.sh
source scripts/ravendb_common.sh
say() { printf '[e2e-ravendb4] %s\n' "$*"; }
SUB=ops/raven/backup
WORK="$ROOT/target/e2e-ravendb4"
rm -rf "$WORK"; mkdir -p "$WORK/nginx/logs" "$WORK/www/$SUB" "$WORK/backups"
[ -f dist/index.html ] || { echo "dist/ is missing: run trunk build --release first"; exit 1; }
cp -r dist/. "$WORK/www/$SUB/"

RAVEN_PORT=$(rdb_free_port)
NGINX_PORT=$(rdb_free_port)

procs_cleanup_hook() { bash scripts/ravendb4/start.sh stop "$WORK/raven" >/dev/null 2>&1; }
procs_trap

procs_run bash scripts/ravendb4/setup.sh || exit 1
procs_run bash scripts/ravendb4/start.sh "$RAVEN_PORT" "$WORK/raven" || exit 1

rdb_nginx_conf "$WORK" "$SUB" "$NGINX_PORT" "http://127.0.0.1:$RAVEN_PORT" >"$WORK/nginx/nginx.conf"
rdb_nginx_start "$WORK" "$SUB" "$NGINX_PORT" || exit 1

export E2E4_BASE_URL="http://127.0.0.1:$NGINX_PORT/$SUB/"
export E2E4_API_URL="http://127.0.0.1:$NGINX_PORT"
export E2E4_BACKUP_ROOT="$WORK/backups"
export E2E4_SCREENSHOTS="$WORK/screenshots"
mkdir -p "$E2E4_SCREENSHOTS"
echo "RavenDB 4.1 on 127.0.0.1:$RAVEN_PORT, dashboard at $E2E4_BASE_URL"
procs_run node --test --test-concurrency=1 tools/e2e-ravendb4/
