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

state() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }
running() { kill -0 "$1" 2>/dev/null && [ "$(state "$1")" != Z ]; }

# Stops the server whose pid is in $1/server.pid: SIGTERM to its process
# group (start puts it in a group of its own), up to 15 s, then SIGKILL. The
# pid is checked first to still be this server (its command line names
# Raven.Server.dll and this data folder), so a reused pid is never signalled.
stop_server() {
  local dir pidfile pid
  dir=$(cd "$1" 2>/dev/null && pwd) || { say "no $1: nothing to stop"; return 0; }
  pidfile="$dir/server.pid"
  [ -f "$pidfile" ] || { say "no $pidfile: nothing to stop"; return 0; }
  pid=$(cat "$pidfile")
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'Raven.Server.dll' &&
    tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "--DataDir=$dir"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    # It exits in 2-5 s.
    for _ in $(seq 1 150); do
      running "$pid" || break
      sleep 0.1
    done
    if running "$pid"; then
      say "pid $pid ignored SIGTERM for 15 s: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
  say "stopped (pid $pid)"
}

if [ "$1" = stop ]; then
  stop_server "$2"
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
if [ -f "$DATA/server.pid" ] && running "$(cat "$DATA/server.pid")"; then
  say "a server (pid $(cat "$DATA/server.pid")) still runs on $DATA: stop it first" >&2
  exit 1
fi
if [ "$PORT" = 0 ]; then
  PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
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

start=$(date +%s%N)
deadline=$((start + TIMEOUT * 1000000000))
while :; do
  if ! running "$PID"; then
    say "server (pid $PID) exited before it was ready; log tail:" >&2
    tail -n 30 "$DATA/server.log" >&2 || true
    rm -f "$DATA/server.pid"
    exit 1
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${CURL_TLS[@]+"${CURL_TLS[@]}"} "$URL/cluster/topology" || true)
  [ "$code" = 200 ] && break
  if [ "$(date +%s%N)" -ge "$deadline" ]; then
    say "not ready after ${TIMEOUT} s (last /cluster/topology: ${code:-none}); log tail:" >&2
    tail -n 30 "$DATA/server.log" >&2 || true
    stop_server "$DATA" >&2
    exit 1
  fi
  sleep 0.1
done
ms=$((($(date +%s%N) - start) / 1000000))
echo "$URL" >"$DATA/url"
say "RavenDB $VERSION${CURL_TLS[*]:+ (secured)} ready in ${ms} ms (pid $PID, log $DATA/server.log)"
echo "ravendb7 listening on $URL"
