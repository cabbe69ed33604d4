#!/usr/bin/env bash
# End-to-end harness for a secured genuine RavenDB 7.1 behind the
# same-origin proxy, as such servers are run (README, Deploy, "A secured
# RavenDB"): RavenDB on https://127.0.0.1 with throwaway certificates made
# fresh for this run (scripts/ravendb7/start-secured.sh: a CA, the server's
# PFX, an admin client certificate trusted through
# Security.WellKnownCertificates.Admin); Debian nginx running the README's
# secured example (tools/e2e-ravendb7-secured/readme.mjs): the dashboard
# from dist/ under a sub-path with the strict CSP, HTTP basic auth for the
# admin (a password file made with openssl), and everything else proxied to
# RavenDB over HTTPS with the client certificate. The browser never holds a
# certificate. Then runs tools/e2e-ravendb7-secured/*.test.mjs (node:test).
#
# Exports for the tests: E2E7S_BASE_URL (the dashboard), E2E7S_API_URL
# (RavenDB through nginx, same origin), E2E7S_USER and E2E7S_PASSWORD (the
# basic-auth credentials, made fresh per run), E2E7S_RAVEN_URL (RavenDB
# directly, https), E2E7S_CA (the throwaway CA; node trusts it through
# NODE_EXTRA_CA_CERTS for this run), E2E7S_BACKUP_ROOT, E2E7S_NGINX_CONF
# (and what readme.mjs filled in: E2E7S_NGINX_DIR, E2E7S_WWW_DIR,
# E2E7S_CERTS, E2E7S_HTPASSWD), E2E7S_NGINX_ACCESS_LOG, E2E7S_STRANGER_URL
# (a second nginx with the same example and password, presenting a client
# certificate RavenDB does not know) and E2E7S_STRANGER_THUMBPRINT,
# E2E7S_RAVEN_SETTINGS, E2E7S_SERVER_LOG, E2E7S_SCREENSHOTS.
# Prints node's "# pass N / # fail N"; exits with node's status. Stops
# RavenDB, nginx and the test runner (and its browser) on every exit, Ctrl+C
# and SIGTERM included (scripts/procs.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
SYSTEM_CAS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
export NODE_EXTRA_CA_CERTS=$SYSTEM_CAS
source scripts/procs.sh
export RAVEN7_VERSION=7.1
WORK="$ROOT/target/e2e-ravendb7-secured"
SUB=ops/raven/backup
T0=$(date +%s%N)
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }

procs_cleanup_hook() { bash scripts/ravendb7/start.sh stop "$WORK/raven" >/dev/null 2>&1; }
procs_trap

rm -rf "$WORK"
mkdir -p "$WORK/nginx" "$WORK/www/$SUB" "$WORK/backups" "$WORK/screenshots"
for tool in openssl /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh (Debian packages openssl, nginx-light)"; exit 1; }
done
[ -f dist/index.html ] || { echo "dist/ is missing: run trunk build --release first"; exit 1; }
cp -r dist/. "$WORK/www/$SUB/"
[ -d tools/node_modules/playwright-core ] || npm ci --prefix tools --no-audit --no-fund --loglevel=error || exit 1

procs_run bash scripts/ravendb7/setup.sh 7.1 || exit 1
t=$(date +%s%N)
procs_run bash scripts/ravendb7/start-secured.sh 0 "$WORK/raven" || exit 1
echo "secured RavenDB 7.1 up (certificates included) in $(ms "$t") ms"
RAVEN_URL=$(cat "$WORK/raven/url")
CERTS="$WORK/raven/certs"

# The admin's password for nginx, fresh per run, in the README's way.
USER_NAME=admin
PASSWORD=$(openssl rand -hex 16)
umask 077
# (-stdin: the password never appears on a command line.)
printf '%s:%s\n' "$USER_NAME" "$(printf '%s' "$PASSWORD" | openssl passwd -6 -stdin)" >"$WORK/nginx/htpasswd"
umask 022

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# start_proxy NAME CERTS: nginx running the README's example (port, paths
# and upstream filled in) in $WORK/NAME, presenting CERTS/client.crt to
# RavenDB; sets PROXY_PORT once it answers (401: it asks for the password).
start_proxy() {
  local name=$1 certs=$2 dir="$WORK/$1" i
  mkdir -p "$dir/logs"
  PROXY_PORT=$(free_port)
  node tools/e2e-ravendb7-secured/readme.mjs nginx-conf "$dir/nginx.conf" --port "$PROXY_PORT" \
    --dir "$dir" --www "$WORK/www" --raven "$RAVEN_URL" --certs "$certs" \
    --htpasswd "$WORK/nginx/htpasswd" || return 1
  /usr/sbin/nginx -t -q -p "$dir" -c "$dir/nginx.conf" || return 1
  # In the foreground of its own process group, which this shell stops.
  procs_spawn /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
  for i in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PROXY_PORT/$SUB/")" = 401 ] && return 0
    kill -0 "$SPAWNED_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "nginx ($name) did not start:"
  cat "$dir/logs/error.log"
  return 1
}
start_proxy nginx "$CERTS" || exit 1
NGINX_PORT=$PROXY_PORT
# The same example misconfigured: nginx presents a client certificate
# RavenDB was never told about (certs.sh's stranger.crt, same CA).
mkdir -p "$WORK/stranger-certs"
cp "$CERTS/ca.crt" "$WORK/stranger-certs/ca.crt"
cp "$CERTS/stranger.crt" "$WORK/stranger-certs/client.crt"
cp "$CERTS/stranger.key" "$WORK/stranger-certs/client.key"
start_proxy stranger-proxy "$WORK/stranger-certs" || exit 1
STRANGER_PORT=$PROXY_PORT

# node trusts the throwaway CA for this run (its direct HTTPS checks).
cat "$SYSTEM_CAS" "$CERTS/ca.crt" >"$WORK/ca-bundle.pem"

export E2E7S_BASE_URL="http://127.0.0.1:$NGINX_PORT/$SUB/"
export E2E7S_API_URL="http://127.0.0.1:$NGINX_PORT"
export E2E7S_USER=$USER_NAME
export E2E7S_PASSWORD=$PASSWORD
export E2E7S_RAVEN_URL=$RAVEN_URL
export E2E7S_CA="$CERTS/ca.crt"
export E2E7S_BACKUP_ROOT="$WORK/backups"
export E2E7S_NGINX_CONF="$WORK/nginx/nginx.conf"
export E2E7S_NGINX_DIR="$WORK/nginx"
export E2E7S_WWW_DIR="$WORK/www"
export E2E7S_CERTS="$CERTS"
export E2E7S_HTPASSWD="$WORK/nginx/htpasswd"
export E2E7S_NGINX_ACCESS_LOG="$WORK/nginx/logs/access.log"
export E2E7S_STRANGER_URL="http://127.0.0.1:$STRANGER_PORT"
E2E7S_STRANGER_THUMBPRINT=$(openssl x509 -in "$CERTS/stranger.crt" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
export E2E7S_STRANGER_THUMBPRINT
export E2E7S_RAVEN_SETTINGS="$WORK/raven/settings.json"
export E2E7S_SERVER_LOG="$WORK/raven/server.log"
export E2E7S_SCREENSHOTS="$WORK/screenshots"
echo "secured RavenDB 7.1 at $RAVEN_URL, through nginx (basic auth) at $E2E7S_API_URL; dashboard at $E2E7S_BASE_URL"
NODE_EXTRA_CA_CERTS="$WORK/ca-bundle.pem" procs_run node --test --test-concurrency=1 \
  ${E2E7S_FILES:-tools/e2e-ravendb7-secured/}
rc=$?
echo "e2e-ravendb7-secured suite took $(ms "$T0") ms"
exit $rc
