#!/usr/bin/env bash
# Starts (or stops) a genuine modern RavenDB server installed by setup.sh
# (7.1.5 by default; RAVEN7_VERSION=6.2 or 5.4 for the others) on loopback,
# following docs/protocol/ravendb-4x.md#scope: unsecured over HTTP, or with
# RAVEN7_SECURED=1 (what start-secured.sh sets) secured over HTTPS with
# certificates made fresh for this run (docs/deploy-ravendb7.md, "A secured
# server").
#
#   scripts/ravendb7/start.sh PORT DATADIR [server args...]  # fresh DATADIR, background, waits until ready
#   scripts/ravendb7/start.sh stop DATADIR                   # SIGTERM the server's process group, then SIGKILL
#
# PORT 0 picks a free loopback port. Start deletes and recreates DATADIR,
# writes DATADIR/server.pid (the caller owns the server through it: `stop`
# is how it ends) and DATADIR/url, logs to DATADIR/server.log, and returns
# once GET /cluster/topology answers 200, printing "ravendb7 listening on
# URL". It fails after RAVEN7_START_TIMEOUT seconds (default 60) with the
# log tail, and stops the server it started. Extra arguments go to the
# server (e.g. --Security.Csrf.Enabled=false).
#
# Secured (RAVEN7_SECURED=1): certs.sh makes a throwaway CA, the server's
# certificate and an admin client certificate in DATADIR/certs (never
# committed: DATADIR is a run's scratch folder); the server starts on
# https://127.0.0.1:PORT with the settings of the README's secured example
# in DATADIR/settings.json (--config-path): ServerUrl, Setup.Mode,
# Security.Certificate.Path=DATADIR/certs/server.pfx and
# Security.WellKnownCertificates.Admin=[<the client's thumbprint>]. The ready
# check presents the client certificate and trusts only that CA.
set -euo pipefail

R=${RAVEN7_HOME:-$HOME/.cache/ravendb71}
VERSION=${RAVEN7_VERSION:-7.1}
TIMEOUT=${RAVEN7_START_TIMEOUT:-60}
case "$VERSION" in
  7.1 | 7.1.5) SERVER="$R/server" ;;
  6.2 | 6.2.4) SERVER="$R/server-6.2" ;;
  5.4 | 5.4.207) SERVER="$R/server-5.4" ;;
  *) echo "RAVEN7_VERSION must be 7.1, 6.2 or 5.4" >&2; exit 2 ;;
esac

say() { printf '[ravendb7] %s\n' "$*"; }
usage() {
  echo "usage: $0 PORT DATADIR [server args...] | $0 stop DATADIR" >&2
  exit 2
}
[ $# -ge 2 ] || usage

# shellcheck source=scripts/ravendb_common.sh
source "$(dirname "$0")/../ravendb_common.sh"

if [ "$1" = stop ]; then
  rdb_stop_server "$2"
  exit 0
fi

PORT=$1
DATA=$2
shift 2
case "$PORT" in
  '' | *[!0-9]*) usage ;;
esac
for f in "$R/dotnet/dotnet" "$SERVER/Raven.Server.dll"; do
  [ -e "$f" ] || { say "missing $f: run scripts/ravendb7/setup.sh $VERSION first" >&2; exit 1; }
done
if [ -f "$DATA/server.pid" ] && rdb_running "$(cat "$DATA/server.pid")"; then
  say "a server (pid $(cat "$DATA/server.pid")) still runs on $DATA: stop it first" >&2
  exit 1
fi
if [ "$PORT" = 0 ]; then
  PORT=$(rdb_free_port)
fi
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" ||
  curl -sk -o /dev/null --max-time 1 "https://127.0.0.1:$PORT/"; then
  say "port $PORT is already in use" >&2
  exit 1
fi

rm -rf "$DATA"
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
SECURE_ARGS=()
CURL_TLS=()
if [ "${RAVEN7_SECURED:-0}" = 1 ]; then
  HERE=$(cd "$(dirname "$0")" && pwd)
  bash "$HERE/certs.sh" "$DATA/certs" | sed 's/^/[ravendb7] /'
  C="$DATA/certs"
  URL="https://127.0.0.1:$PORT"
  # Security.Certificate.Path makes the server secured (ServerUrl must then
  # be https); the well-known admin thumbprint is trusted as cluster admin
  # without being registered first (SecurityConfiguration.cs in ravendb/ravendb).
  /usr/bin/python3 -c 'import json, sys; url, pfx, thumb = sys.argv[1:4]; print(json.dumps({
    "ServerUrl": url, "Setup.Mode": "None", "Security.Certificate.Path": pfx,
    "Security.WellKnownCertificates.Admin": [thumb]}, indent=2))' \
    "$URL" "$C/server.pfx" "$(cat "$C/client.thumbprint")" >"$DATA/settings.json"
  SECURE_ARGS=(--config-path="$DATA/settings.json")
  CURL_TLS=(--cacert "$C/ca.crt" --cert "$C/client.crt" --key "$C/client.key")
else
  URL="http://127.0.0.1:$PORT"
fi

export DOTNET_ROOT="$R/dotnet"                 # the rearranged 9.0.1 shared frameworks
export DOTNET_ROLL_FORWARD=Major               # Raven.Server asks for 8.0.x; 9.0.1 is what there is
export DOTNET_ReadyToRunExcludeList=Microsoft.Extensions.Http # JIT the patched IL (setup.sh)
export DOTNET_CLI_TELEMETRY_OPTOUT=1
# setsid: a process group of its own, which `stop` signals as a whole.
setsid "$R/dotnet/dotnet" "$SERVER/Raven.Server.dll" \
  --ServerUrl="$URL" --Setup.Mode=None --License.Eula.Accepted=true \
  --DataDir="$DATA" --Logs.Path="$DATA/Logs" --non-interactive ${SECURE_ARGS[@]+"${SECURE_ARGS[@]}"} "$@" \
  </dev/null >"$DATA/server.log" 2>&1 &
PID=$!
echo "$PID" >"$DATA/server.pid"

rdb_wait_ready "$PID" "$URL" "$DATA" "$TIMEOUT" ${CURL_TLS[@]+"${CURL_TLS[@]}"} || exit 1
echo "$URL" >"$DATA/url"
say "RavenDB $VERSION${CURL_TLS[*]:+ (secured)} ready in ${READY_MS} ms (pid $PID, log $DATA/server.log)"
echo "ravendb7 listening on $URL"
