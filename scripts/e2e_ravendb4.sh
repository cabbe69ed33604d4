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
WORK="$ROOT/target/e2e-ravendb4"
rm -rf "$WORK"; mkdir -p "$WORK/nginx/logs" "$WORK/www/ops/raven/backup" "$WORK/backups"
[ -f dist/index.html ] || { echo "dist/ is missing: run trunk build --release first"; exit 1; }
cp -r dist/. "$WORK/www/ops/raven/backup/"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RAVEN_PORT=$(free_port)
NGINX_PORT=$(free_port)

procs_cleanup_hook() { bash scripts/ravendb4/start.sh stop "$WORK/raven" >/dev/null 2>&1; }
procs_trap

procs_run bash scripts/ravendb4/setup.sh || exit 1
procs_run bash scripts/ravendb4/start.sh "$RAVEN_PORT" "$WORK/raven" || exit 1

CSP="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
user root;
events {}
http {
  access_log $WORK/nginx/logs/access.log;
  client_body_temp_path $WORK/nginx/cb; proxy_temp_path $WORK/nginx/px;
  fastcgi_temp_path $WORK/nginx/fc; uwsgi_temp_path $WORK/nginx/uw; scgi_temp_path $WORK/nginx/sc;
  types { text/html html; text/css css; text/javascript js; application/wasm wasm; application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /ops/raven/backup/ {
      root $WORK/www;
      add_header Content-Security-Policy "$CSP" always;
      location ~ (/|index\.html|config\.json)\$ {
        log_not_found off;
        add_header Cache-Control "no-cache" always;
        add_header Content-Security-Policy "$CSP" always;
      }
    }
    location / {
      proxy_pass http://127.0.0.1:$RAVEN_PORT;
      # As docs/deploy-ravendb7.md says to (RavenDB 5.x+ compares Origin
      # with Host); 4.1 has no such check and works either way.
      proxy_set_header Host \$http_host;
      proxy_http_version 1.1;
    }
  }
}
CONF
# In the foreground of its own process group, which this shell stops.
procs_spawn /usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;'
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/ops/raven/backup/" && break
  kill -0 "$SPAWNED_PID" 2>/dev/null || { echo "nginx did not start:"; cat "$WORK/nginx/logs/error.log"; exit 1; }
  sleep 0.1
done

export E2E4_BASE_URL="http://127.0.0.1:$NGINX_PORT/ops/raven/backup/"
export E2E4_API_URL="http://127.0.0.1:$NGINX_PORT"
export E2E4_BACKUP_ROOT="$WORK/backups"
export E2E4_SCREENSHOTS="$WORK/screenshots"
mkdir -p "$E2E4_SCREENSHOTS"
echo "RavenDB 4.1 on 127.0.0.1:$RAVEN_PORT, dashboard at $E2E4_BASE_URL"
procs_run node --test --test-concurrency=1 tools/e2e-ravendb4/
