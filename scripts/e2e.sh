#!/usr/bin/env bash
# End-to-end suite against the RavenDB 3.5 reference server, deployed as users
# deploy it: Debian nginx serves a copy of dist/ under the sub-path
# /ops/raven/backup/ with the strict CSP and reverse-proxies every other path
# to a devserver (same origin, no CORS). A second devserver without CORS is
# started for the CORS-refusal flow. Then tools/e2e/*.test.mjs run once per
# browser engine (node:test; tools/e2e/driver/): Debian's chromium through
# playwright-core, then Debian's firefox-esr through puppeteer-core over
# WebDriver BiDi. E2E_BROWSER=chromium|firefox runs one engine (default both),
# E2E_FILES=tools/e2e/flows.test.mjs one file.
# Prints node's "# pass N" / "# fail N" per engine, then the sums as the last
# two such lines; exits non-zero if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
WORK="$ROOT/target/e2e"
SUB=ops/raven/backup
T0=$(date +%s)

PIDS=()
NODE_PID=
PID_DIR="$WORK/browser-pids"
# Kills the browsers a node run left behind (tools/e2e/driver/index.mjs
# lists each one while it runs; it leads its own process group).
stop_browsers() {
  for f in "$PID_DIR"/*; do
    [ -f "$f" ] || continue
    kill -KILL -- "-$(basename "$f")" 2>/dev/null; rm -f "$f"
  done
}
cleanup() {
  # An interrupted run: node's own SIGTERM handlers close its browsers;
  # any browser still listed (each leads its own process group) is killed.
  if [ -n "$NODE_PID" ]; then
    kill -TERM -- "-$NODE_PID" 2>/dev/null || kill -TERM "$NODE_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$NODE_PID" 2>/dev/null
  fi
  stop_browsers
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f dist/index.html ]; then
  echo "dist/ is missing: trunk build --release"
  trunk build --release || exit 1
fi
[ -x target/debug/devserver ] || cargo build -p devserver --quiet || exit 1
[ -d tools/node_modules/playwright-core ] && [ -d tools/node_modules/puppeteer-core ] \
  || PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools --no-audit --no-fund --loglevel=error || exit 1
ENGINES=${E2E_BROWSER:-both}
[ "$ENGINES" = both ] && ENGINES="chromium firefox"

rm -rf "$WORK"
mkdir -p "$WORK/nginx/logs" "$WORK/www/$SUB" "$WORK/screenshots"
# nginx serves a copy: tests may write a config.json next to index.html there.
cp -r dist/. "$WORK/www/$SUB/"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a devserver (no CORS) in $WORK/$1; sets DEV_URL.
start_devserver() {
  local dir="$WORK/$1"
  mkdir -p "$dir"
  "$ROOT/target/debug/devserver" --port 0 --protocol 3.5 --demo --enable-control --host-origin-check off \
    --op-step-ms 60 --data-dir "$dir/data" --backup-root "$dir/backups" \
    --access-log "$dir/access.log" >"$dir/stdout" 2>"$dir/stderr" &
  PIDS+=($!)
  DEV_URL=
  for _ in $(seq 1 100); do
    DEV_URL=$(head -1 "$dir/stdout" | grep -oE 'http://127\.0\.0\.1:[0-9]+')
    [ -n "$DEV_URL" ] && return 0
    sleep 0.1
  done
  echo "devserver $1 did not start:"; cat "$dir/stderr"; exit 1
}
start_devserver devserver
API_UPSTREAM=$DEV_URL
start_devserver direct
DIRECT_URL=$DEV_URL

NGINX_PORT=$(free_port)
# connect-src also names the second devserver, as a deployment using the CORS
# alternative must (README, Deploy); without it the CSP, not CORS, would block.
CSP="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' $DIRECT_URL; frame-ancestors 'none'"
# brotli_static: Debian's libnginx-mod-http-brotli-static (scripts/setup.sh);
# without it, every browser gets the .gz copies (and hosting.test.mjs fails).
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
cat > "$WORK/nginx/nginx.conf" <<CONF
$( [ -f "$BROTLI_MODULE" ] && echo "load_module $BROTLI_MODULE;" )
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
$( [ "$(id -u)" = 0 ] && echo 'user root;' )
events {}
http {
  access_log $WORK/nginx/logs/access.log;
  client_body_temp_path $WORK/nginx/cb; proxy_temp_path $WORK/nginx/px;
  fastcgi_temp_path $WORK/nginx/fc; uwsgi_temp_path $WORK/nginx/uw; scgi_temp_path $WORK/nginx/sc;
  types { text/html html; text/css css; text/javascript js; application/wasm wasm; application/json json; image/svg+xml svg; }
  gzip on;
  gzip_types text/css text/javascript application/wasm application/json image/svg+xml;
  # As the README's example: the build's precompressed copies (.br, .gz).
  $( [ -f "$BROTLI_MODULE" ] && echo "brotli_static on;" )
  gzip_static on;
  gzip_vary on;
  # As the README's example: hashed assets cached for a year, the rest
  # revalidated; one location with every header (a nested location with an
  # add_header of its own would drop the outer ones).
  map \$uri \$raven_backup_cache {
    "~*-[0-9a-f]{12,16}(_bg)?\\.(js|wasm|css|svg)\$" "public, max-age=31536000, immutable";
    default "no-cache";
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    # The 3.x API-key exchange's header is grant_type (docs/protocol/ravendb-3x.md
    # §11.3), which nginx drops by default (tools/e2e/signin.test.mjs).
    underscores_in_headers on;
    location /$SUB/ {
      root $WORK/www;
      add_header Content-Security-Policy "$CSP" always;
      add_header X-Frame-Options DENY always;
      add_header X-Content-Type-Options nosniff always;
      add_header Cache-Control \$raven_backup_cache always;
    }
    location / {
      proxy_pass $API_UPSTREAM;
      proxy_http_version 1.1;
      client_max_body_size 50m;
      proxy_read_timeout 300s;
    }
  }
}
CONF
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
  >"$WORK/nginx/logs/stdout" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/$SUB/" && break
  sleep 0.1
done

export E2E_BASE_URL="http://127.0.0.1:$NGINX_PORT/$SUB/"
export E2E_SERVER_URL="http://127.0.0.1:$NGINX_PORT"
export E2E_DIRECT_DEVSERVER="$DIRECT_URL"
export E2E_ACCESS_LOG="$WORK/devserver/access.log"
export E2E_BACKUP_ROOT="$WORK/devserver/backups"
export E2E_NGINX_ACCESS_LOG="$WORK/nginx/logs/access.log"
export E2E_WWW_DIR="$WORK/www/$SUB"
export E2E_SCREENSHOTS="$WORK/screenshots"
echo "devserver at $API_UPSTREAM (through nginx at $E2E_SERVER_URL), direct devserver at $DIRECT_URL"
echo "dashboard at $E2E_BASE_URL"
export E2E_PID_DIR="$PID_DIR"

# One run of the same flows per engine. node runs in its own session (setsid)
# so cleanup can stop it and its test-file processes as one group.
total_pass=0; total_fail=0; summary=()
for engine in $ENGINES; do
  log="$WORK/node-$engine.log"
  echo; echo "== e2e in $engine"
  t=$(date +%s)
  : >"$log"
  E2E_BROWSER=$engine setsid node --test --test-reporter=tap --test-concurrency=1 \
    ${E2E_FILES:-tools/e2e/} >"$log" 2>&1 &
  NODE_PID=$!
  tail -n +1 -f --pid="$NODE_PID" "$log" & TAIL_PID=$!
  wait "$NODE_PID"; r=$?
  NODE_PID=
  wait "$TAIL_PID"
  stop_browsers
  p=$(awk '/^# pass /{print $3}' "$log" | tail -1); f=$(awk '/^# fail /{print $3}' "$log" | tail -1)
  p=${p:-0}; f=${f:-0}
  # A run that failed without reporting a failed test (a crash) counts as one.
  [ "$r" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  summary+=("$engine: $p passed, $f failed in $(( $(date +%s) - t )) s")
done
echo
echo "screenshots: $E2E_SCREENSHOTS"
printf 'e2e %s\n' "${summary[@]}"
echo "e2e suite took $(( $(date +%s) - T0 )) s"
echo "# pass $total_pass"
echo "# fail $total_fail"
[ "$total_fail" -eq 0 ]
