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

# Stops the server whose PID is in $1/server.pid: SIGTERM to its process
# group (start puts it in a group of its own), up to 10 s, then SIGKILL.
# The pid is checked first to still be this server (its command line names
# Raven.Server.dll and this data folder), so a reused pid is never signalled.
stop_server() {
  local dir pidfile pid
  dir=$(cd "$1" 2>/dev/null && pwd) || { say "no $1: nothing to stop"; return 0; }
  pidfile="$dir/server.pid"
  if [ ! -f "$pidfile" ]; then
    say "no $pidfile: nothing to stop"
    return 0
  fi
  pid=$(cat "$pidfile")
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'Raven.Server.dll' &&
    tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "--DataDir=$dir"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    # It exits cleanly in about 1.5 s.
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
      say "pid $pid ignored SIGTERM for 10 s: SIGKILL"
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

start=$(date +%s%N)
deadline=$((start + TIMEOUT * 1000000000))
while :; do
  if ! kill -0 "$PID" 2>/dev/null; then
    say "server (pid $PID) exited before it was ready; log tail:" >&2
    tail -n 30 "$DATA/server.log" >&2 || true
    rm -f "$DATA/server.pid"
    exit 1
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/cluster/topology" || true)
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
say "ready in ${ms} ms (pid $PID, log $DATA/server.log)"
echo "ravendb4 listening on $URL"
