#!/usr/bin/env bash
# Starts (or stops) a genuine RavenDB 4.1.0 server installed by setup.sh.
#
#   scripts/ravendb4/start.sh PORT DATADIR   # fresh DATADIR, background, waits until ready
#   scripts/ravendb4/start.sh stop DATADIR   # SIGTERM the server's process group, then SIGKILL
#
# Start deletes and recreates DATADIR (a server that saw a request too early
# stays "passive" for good, see the readiness caveat in
# docs/protocol/ravendb-4x.md#cluster-topology), writes DATADIR/server.pid and logs
# to DATADIR/server.log. It returns once GET /cluster/topology answers 200
# (GET /build/version answers earlier, before the server store is ready), or
# fails after RAVEN4_START_TIMEOUT seconds (default 60) with the log tail
# (and stops the server it started).
set -euo pipefail

R=${RAVEN4_HOME:-$HOME/.cache/ravendb41}
TIMEOUT=${RAVEN4_START_TIMEOUT:-60}

say() { printf '[ravendb4] %s\n' "$*"; }
usage() {
  echo "usage: $0 PORT DATADIR | $0 stop DATADIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage

# shellcheck source=scripts/ravendb_common.sh
source "$(dirname "$0")/../ravendb_common.sh"

if [ "$1" = stop ]; then
  rdb_stop_server "$2"
  exit 0
fi

PORT=$1
DATA=$2
case "$PORT" in
  '' | *[!0-9]*) usage ;;
esac
for f in "$R/dotnet/dotnet" "$R/server/Raven.Server.dll" "$R/ssl10/libssl.so.1.0.2"; do
  [ -e "$f" ] || { say "missing $f: run scripts/ravendb4/setup.sh first" >&2; exit 1; }
done
if [ -f "$DATA/server.pid" ] && kill -0 "$(cat "$DATA/server.pid")" 2>/dev/null; then
  say "a server (pid $(cat "$DATA/server.pid")) still runs on $DATA: stop it first" >&2
  exit 1
fi
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; then
  say "port $PORT is already in use" >&2
  exit 1
fi

rm -rf "$DATA"
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
URL="http://127.0.0.1:$PORT"

# .NET Core 2.1 cannot find Debian 12's ICU 72; its crypto shim needs OpenSSL 1.0.2.
# setsid: a process group of its own, which `stop` signals as a whole; the
# caller owns it through DATADIR/server.pid.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 LD_LIBRARY_PATH="$R/ssl10" \
  setsid "$R/dotnet/dotnet" "$R/server/Raven.Server.dll" \
  --ServerUrl="$URL" --Setup.Mode=None --License.Eula.Accepted=true \
  --DataDir="$DATA" --Logs.Path="$DATA/Logs" \
  --Security.UnsecuredAccessAllowed=PublicNetwork --non-interactive \
  </dev/null >"$DATA/server.log" 2>&1 &
PID=$!
echo "$PID" >"$DATA/server.pid"

rdb_wait_ready "$PID" "$URL" "$DATA" "$TIMEOUT" || exit 1
say "ready in ${READY_MS} ms (pid $PID, log $DATA/server.log)"
echo "ravendb4 listening on $URL"
