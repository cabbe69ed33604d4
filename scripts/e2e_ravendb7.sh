#!/usr/bin/env bash
# End-to-end harness for a genuine modern RavenDB server (7.1.5; set
# RAVEN7_VERSION=6.2 or 5.4 for the others): installs it when missing,
# starts it (fresh data folder, free loopback port), serves dist/ with Debian
# nginx under a sub-path with the strict CSP and a same-origin reverse proxy
# to RavenDB, then runs every tools/e2e-ravendb7/*.test.mjs (node:test;
# E2E_BROWSER=chromium, the default, or firefox for the files on the shared
# driver tools/e2e/driver; E2E7_FILES runs the files named).
#
# The proxy passes the browser's own Host header (`proxy_set_header Host
# $http_host`): RavenDB 5.x+ answers 403 to a request whose Origin does not
# match its Host (docs/deploy-ravendb7.md).
#
# Exports for the tests: E2E7_BASE_URL (the dashboard), E2E7_API_URL (RavenDB
# through nginx, same origin), E2E7_RAVEN_URL (RavenDB directly),
# E2E7_BACKUP_ROOT (a folder RavenDB may write backups to), E2E7_SCREENSHOTS,
# E2E7_NGINX_ACCESS_LOG, E2E7_SERVER_LOG, E2E7_VERSION; and for a test that
# wants a second server (tools/e2e-ravendb7/two_servers.test.mjs), the
# place nginx already proxies it, same origin: E2E7_API_URL_B (…/raven-b),
# E2E7_RAVEN_B_PORT (a free loopback port) and E2E7_RAVEN_B_DATA (its data
# folder). The test starts it there itself (scripts/ravendb7/start.sh) and
# stops it; the harness stops it too on every exit.
# Prints node's "# pass N / # fail N"; exits with node's status. Stops
# RavenDB, nginx and the test runner (and its browser) on every exit, Ctrl+C
# and SIGTERM included (scripts/procs.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
source scripts/procs.sh
# shellcheck source=scripts/ravendb_common.sh
source scripts/ravendb_common.sh
say() { printf '[e2e-ravendb7] %s\n' "$*"; }
VERSION=${RAVEN7_VERSION:-7.1}
export RAVEN7_VERSION=$VERSION
WORK="$ROOT/target/e2e-ravendb7"
SUB=ops/raven/backup
T0=$(date +%s)

# Browsers the driver listed in $WORK/browser-pids (each leads its own
# process group, which node's group does not reach) are killed too.
procs_cleanup_hook() {
  for f in "$WORK"/browser-pids/*; do
    [ -f "$f" ] && { kill -KILL -- "-$(basename "$f")" 2>/dev/null; rm -f "$f"; }
  done
  bash scripts/ravendb7/start.sh stop "$WORK/raven" >/dev/null 2>&1
  bash scripts/ravendb7/start.sh stop "$WORK/raven-b" >/dev/null 2>&1
}
procs_trap

rm -rf "$WORK"
mkdir -p "$WORK/nginx/logs" "$WORK/www/$SUB" "$WORK/backups" "$WORK/screenshots"
[ -f dist/index.html ] || { echo "dist/ is missing: run trunk build --release first"; exit 1; }
cp -r dist/. "$WORK/www/$SUB/"
[ -d tools/node_modules/playwright-core ] || npm ci --prefix tools --no-audit --no-fund --loglevel=error || exit 1

procs_run bash scripts/ravendb7/setup.sh "$VERSION" || exit 1
procs_run bash scripts/ravendb7/start.sh 0 "$WORK/raven" || exit 1
RAVEN_URL=$(cat "$WORK/raven/url")

NGINX_PORT=$(rdb_free_port)
RAVEN_B_PORT=$(rdb_free_port)
rdb_nginx_conf "$WORK" "$SUB" "$NGINX_PORT" "$RAVEN_URL" "http://127.0.0.1:$RAVEN_B_PORT" >"$WORK/nginx/nginx.conf"
rdb_nginx_start "$WORK" "$SUB" "$NGINX_PORT" || exit 1

export E2E7_BASE_URL="http://127.0.0.1:$NGINX_PORT/$SUB/"
export E2E7_API_URL="http://127.0.0.1:$NGINX_PORT"
export E2E7_API_URL_B="http://127.0.0.1:$NGINX_PORT/raven-b"
export E2E7_RAVEN_B_PORT="$RAVEN_B_PORT"
export E2E7_RAVEN_B_DATA="$WORK/raven-b"
export E2E7_RAVEN_URL="$RAVEN_URL"
export E2E7_BACKUP_ROOT="$WORK/backups"
export E2E7_SCREENSHOTS="$WORK/screenshots"
export E2E7_NGINX_ACCESS_LOG="$WORK/nginx/logs/access.log"
export E2E7_SERVER_LOG="$WORK/raven/server.log"
export E2E7_VERSION="$VERSION"
echo "RavenDB $VERSION at $RAVEN_URL, through nginx at $E2E7_API_URL; dashboard at $E2E7_BASE_URL"
# Every *.test.mjs of the folder (or E2E7_FILES), one node process per file,
# one file at a time. E2E_BROWSER picks the engine of the files written on
# the shared driver (tools/e2e/driver): chromium (the default) or firefox.
export E2E_BROWSER=${E2E_BROWSER:-chromium}
export E2E_PID_DIR="$WORK/browser-pids"
# shellcheck disable=SC2206
FILES=(${E2E7_FILES:-tools/e2e-ravendb7/*.test.mjs})
if [ -e "${FILES[0]}" ]; then
  echo "engine $E2E_BROWSER; files: ${FILES[*]}"
  procs_run node --test --test-concurrency=1 "${FILES[@]}"
  rc=$?
else
  echo "no tools/e2e-ravendb7/*.test.mjs: nothing to run"
  rc=0
fi
echo "e2e-ravendb7 suite took $(( $(date +%s) - T0 )) s"
exit $rc
