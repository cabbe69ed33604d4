# What the genuine RavenDB scripts share (sourced, not run), so the 4.1
# scripts (scripts/ravendb4/, scripts/e2e_ravendb4.sh) and the 5.4-7.1 ones
# (scripts/ravendb7/, scripts/e2e_ravendb7.sh) start, stop, probe and proxy
# a server the same way (docs/protocol/ravendb-4x.md#scope).
#
#   source scripts/ravendb_common.sh
#   rdb_free_port                           # prints a free loopback port
#   rdb_stop_server DATADIR                 # SIGTERM the group of DATADIR/server.pid, SIGKILL after 15 s
#   rdb_wait_ready PID URL DATADIR TIMEOUT [curl args...]
#                                           # until GET URL/cluster/topology answers 200
#   rdb_nginx_conf WORK SUB PORT UPSTREAM [UPSTREAM_B]
#                                           # prints the e2e nginx configuration
#   rdb_nginx_start WORK SUB PORT           # runs it (needs scripts/procs.sh), waits until it serves
#   rdb_smoke_* / req / expect / field / poll   the curl smoke flow's steps (smoke.sh)
#
# The caller defines say() (its own log prefix) before using these.

rdb_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# True while process $1 exists and is not a zombie.
rdb_running() { kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Stops the server whose pid is in $1/server.pid: SIGTERM to its process
# group (the start scripts put it in a group of its own), up to 15 s, then
# SIGKILL. The pid is checked first to still be this server (its command
# line names Raven.Server.dll and this data folder), so a reused pid is
# never signalled.
rdb_stop_server() {
  local dir pidfile pid
  dir=$(cd "$1" 2>/dev/null && pwd) || { say "no $1: nothing to stop"; return 0; }
  pidfile="$dir/server.pid"
  [ -f "$pidfile" ] || { say "no $pidfile: nothing to stop"; return 0; }
  pid=$(cat "$pidfile")
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'Raven.Server.dll' &&
    tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "--DataDir=$dir"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    # 4.1 exits in about 1.5 s, 5.4-7.1 in 2-5 s.
    for _ in $(seq 1 150); do
      rdb_running "$pid" || break
      sleep 0.1
    done
    if rdb_running "$pid"; then
      say "pid $pid ignored SIGTERM for 15 s: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
  say "stopped (pid $pid)"
}

# Waits until the server (pid $1) answers 200 to GET $2/cluster/topology
# (GET /build/version answers earlier, before the server store is ready:
# docs/protocol/ravendb-4x.md#cluster-topology). Fails after $4 seconds, or
# when the server exits first, with the tail of $3/server.log (and stops
# the server). Extra arguments go to curl (certificates). Sets READY_MS.
rdb_wait_ready() {
  local pid=$1 url=$2 data=$3 timeout=$4 start deadline code
  shift 4
  start=$(date +%s%N)
  deadline=$((start + timeout * 1000000000))
  while :; do
    if ! rdb_running "$pid"; then
      say "server (pid $pid) exited before it was ready; log tail:" >&2
      tail -n 30 "$data/server.log" >&2 || true
      rm -f "$data/server.pid"
      return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url/cluster/topology" || true)
    [ "$code" = 200 ] && break
    if [ "$(date +%s%N)" -ge "$deadline" ]; then
      say "not ready after ${timeout} s (last /cluster/topology: ${code:-none}); log tail:" >&2
      tail -n 30 "$data/server.log" >&2 || true
      rdb_stop_server "$data" >&2
      return 1
    fi
    sleep 0.1
  done
  READY_MS=$((($(date +%s%N) - start) / 1000000))
}

# The e2e harnesses' nginx: dist/ from WORK/www/SUB under /SUB/ with the
# strict CSP, everything else proxied to UPSTREAM with the browser's own
# Host header (RavenDB 5.x+ refuses with 403 a request whose Origin does not
# match its Host: docs/deploy-ravendb7.md; 4.1 has no such check and works
# either way). Runs as root when the caller is root. With UPSTREAM_B, a
# second server is proxied under /raven-b/ on the same origin (the prefix
# cut off, the rest of the request line passed as sent): the dashboard
# reaches it at http://127.0.0.1:PORT/raven-b.
rdb_nginx_conf() {
  local work=$1 sub=$2 port=$3 upstream=$4 upstream_b=${5-}
  local csp="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'"
  local map_b='' location_b=''
  if [ -n "$upstream_b" ]; then
    # \$request_uri: the path as the browser sent it (not re-encoded).
    map_b="  map \$request_uri \$raven_b_uri { ~^/raven-b(?<rest>/.*)\$ \$rest; default /; }
"
    location_b="    location /raven-b/ {
      proxy_pass $upstream_b\$raven_b_uri;
      proxy_set_header Host \$http_host;
      proxy_http_version 1.1;
      client_max_body_size 50m;
      proxy_read_timeout 300s;
    }
"
  fi
  cat <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
$([ "$(id -u)" = 0 ] && echo 'user root;')
events {}
http {
  access_log $work/nginx/logs/access.log;
  client_body_temp_path $work/nginx/cb; proxy_temp_path $work/nginx/px;
  fastcgi_temp_path $work/nginx/fc; uwsgi_temp_path $work/nginx/uw; scgi_temp_path $work/nginx/sc;
  types { text/html html; text/css css; text/javascript js; application/wasm wasm; application/json json; }
${map_b}  server {
    listen 127.0.0.1:$port;
    location /$sub/ {
      root $work/www;
      add_header Content-Security-Policy "$csp" always;
      add_header X-Content-Type-Options nosniff always;
      location ~ (/|index\.html|config\.json)\$ {
        log_not_found off;
        add_header Cache-Control "no-cache" always;
        add_header Content-Security-Policy "$csp" always;
        add_header X-Content-Type-Options nosniff always;
      }
    }
${location_b}    location / {
      proxy_pass $upstream;
      proxy_set_header Host \$http_host;
      proxy_http_version 1.1;
      client_max_body_size 50m;
      proxy_read_timeout 300s;
    }
  }
}
CONF
}

# Starts nginx on that configuration (WORK/nginx/nginx.conf) in the
# foreground of a process group of its own (scripts/procs.sh: the caller's
# traps stop it) and waits until it serves /SUB/.
rdb_nginx_start() {
  local work=$1 sub=$2 port=$3
  procs_spawn /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;'
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/$sub/" && return 0
    kill -0 "$SPAWNED_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "nginx did not start:"
  cat "$work/nginx/logs/error.log"
  return 1
}

# --- the curl smoke flow (scripts/ravendb4/smoke.sh, scripts/ravendb7/smoke.sh) ---

rdb_now_ms() { echo $(($(date +%s%N) / 1000000)); }

# rdb_smoke_begin DIR TAG START -> the smoke's globals: WORK (DIR, or a
# fresh temp dir when DIR is empty), DATA, BACKUPS, OUT (every answer),
# DB, RESTORED, IDS, T0; say() with the TAG and the elapsed time; traps
# that stop the server (START stop DATA) on every exit once `started` is
# set. The caller sets U, the server's URL, once it runs.
rdb_smoke_begin() {
  WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/$2.XXXXXX")}
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  DATA="$WORK/data"
  BACKUPS="$WORK/backups"
  OUT="$WORK/responses"
  DB=Smoke
  RESTORED=SmokeRestored
  IDS=(users/1 users/2 users/3)
  T0=$(rdb_now_ms)
  RDB_SMOKE_TAG=$2
  RDB_SMOKE_START=$3
  started=
  say() { printf '[%s %6d ms] %s\n' "$RDB_SMOKE_TAG" $(($(rdb_now_ms) - T0)) "$*"; }
  fail() { rdb_smoke_fail "$@"; }
  trap 'if [ -n "$started" ]; then "$RDB_SMOKE_START" stop "$DATA" >/dev/null 2>&1 || true; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

rdb_smoke_fail() {
  say "FAIL: $*"
  [ -f "$DATA/server.log" ] && { echo '--- server.log tail ---'; tail -n 20 "$DATA/server.log"; }
  echo "FAIL (kept $WORK)"
  exit 1
}

# req NAME METHOD PATH [BODY] -> writes $OUT/NAME.json, sets CODE
req() {
  local name=$1 method=$2 path=$3 body=${4-}
  local args=(-s -o "$OUT/$name.json" -w '%{http_code}' -X "$method" --max-time 30
    -H 'Content-Type: application/json')
  # Kestrel answers 411 to a POST without Content-Length: --data always sends one.
  [ "$method" != GET ] && args+=(--data-binary "$body")
  CODE=$(curl "${args[@]}" "$U$path") || CODE=000
}

# expect NAME CODE... -> fails unless the last answer had one of the codes
expect() {
  local name=$1 ok
  shift
  for ok in "$@"; do [ "$CODE" = "$ok" ] && return 0; done
  rdb_smoke_fail "$name: HTTP $CODE, wanted $*: $(head -c 400 "$OUT/$name.json" 2>/dev/null)"
}

field() { jq -r "$2" "$OUT/$1.json"; }

# poll NAME PATH -> waits (<= 60 s) until Status is no longer InProgress;
# fails unless it is Completed.
poll() {
  local name=$1 path=$2 status deadline=$(($(rdb_now_ms) + 60000)) n=0
  while :; do
    n=$((n + 1))
    req "$name" GET "$path"
    expect "$name" 200
    status=$(field "$name" .Status)
    [ "$status" != InProgress ] && break
    [ -f "$OUT/$name-inprogress.json" ] || cp "$OUT/$name.json" "$OUT/$name-inprogress.json"
    [ "$(rdb_now_ms)" -ge "$deadline" ] && rdb_smoke_fail "$name: still InProgress after 60 s"
    sleep 0.1
  done
  say "$name: $status after $n poll(s)"
  [ "$status" = Completed ] || rdb_smoke_fail "$name: $status: $(field "$name" '.Result.Message // .Result')"
}

# rdb_smoke_create_database DB ID... -> database DB with one document per id
rdb_smoke_create_database() {
  local db=$1 id i=0
  shift
  req create-db PUT "/admin/databases?name=$db&replicationFactor=1" \
    "{\"DatabaseName\":\"$db\",\"Settings\":{},\"Disabled\":false}"
  expect create-db 201
  say "created database $db (raft index $(field create-db .RaftCommandIndex))"
  for id in "$@"; do
    i=$((i + 1))
    req "put-doc-$i" PUT "/databases/$db/docs?id=$id" \
      "{\"Name\":\"User $i\",\"Age\":$((20 + i)),\"Tags\":[\"a\",\"b$i\"],\"@metadata\":{\"@collection\":\"Users\"}}"
    expect "put-doc-$i" 201
  done
  say "stored $# documents"
}

# rdb_smoke_restore DIR NAME -> restores backup folder DIR into database
# NAME (a server-level operation) and follows it to its end.
rdb_smoke_restore() {
  local dir=$1 name=$2 op
  req restore POST /admin/restore/database \
    "{\"DatabaseName\":\"$name\",\"BackupLocation\":\"$dir\",\"DisableOngoingTasks\":true}"
  expect restore 200
  op=$(field restore .OperationId)
  say "restore started: server operation $op"
  poll restore-state "/operations/state?id=$op"
}

# rdb_smoke_compare DB COPY ID... -> fails unless both hold the same
# documents under these ids (change vectors aside).
rdb_smoke_compare() {
  local db=$1 copy=$2 q a b n
  shift 2
  q=$(printf '&id=%s' "$@")
  q="?${q#&}"
  req docs-original GET "/databases/$db/docs$q"
  expect docs-original 200
  req docs-restored GET "/databases/$copy/docs$q"
  expect docs-restored 200
  local strip='[.Results[] | del(."@metadata"."@change-vector")]'
  a=$(jq -cS "$strip" "$OUT/docs-original.json")
  b=$(jq -cS "$strip" "$OUT/docs-restored.json")
  n=$(jq '[.Results[] | select(. != null)] | length' "$OUT/docs-restored.json")
  [ "$n" = "$#" ] || rdb_smoke_fail "restored database has $n of $# documents"
  [ "$a" = "$b" ] || rdb_smoke_fail "documents differ: $a vs $b"
  say "the $# documents are equal in $db and $copy (change vectors aside)"
}
