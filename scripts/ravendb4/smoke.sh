#!/usr/bin/env bash
# End-to-end smoke test against a genuine RavenDB 4.1.0 server: setup, start
# on a free port, then the recorded flow of docs/protocol/ravendb-4x.md
# with curl: create a database with a few documents, create a periodic backup
# task (4.1 has no one-time backup endpoint), run it now, poll the
# database-level operation, restore into a new name, poll the server-level
# operation, compare the documents. Prints timings and PASS/FAIL; always
# stops the server it started.
#
#   scripts/ravendb4/smoke.sh            # port from RAVEN4_SMOKE_PORT (default 18441, next free one)
#
# RAVEN4_SMOKE_DIR (default: a fresh temp dir, removed on PASS) holds the data
# folder, the backups and responses/*.json (every answer of the flow).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${RAVEN4_SMOKE_PORT:-18441}
WORK=${RAVEN4_SMOKE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ravendb4-smoke.XXXXXX")}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DATA="$WORK/data"
BACKUPS="$WORK/backups"
OUT="$WORK/responses"
DB=Smoke
RESTORED=SmokeRestored
IDS=(users/1 users/2 users/3)

now_ms() { echo $(($(date +%s%N) / 1000000)); }
T0=$(now_ms)
say() { printf '[smoke %6d ms] %s\n' $(($(now_ms) - T0)) "$*"; }
fail() {
  say "FAIL: $*"
  [ -f "$DATA/server.log" ] && { echo '--- server.log tail ---'; tail -n 20 "$DATA/server.log"; }
  echo "FAIL (kept $WORK)"
  exit 1
}
started=
cleanup() { [ -n "$started" ] && "$HERE/start.sh" stop "$DATA" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# --- setup --------------------------------------------------------------------
t=$(now_ms)
"$HERE/setup.sh"
SETUP_MS=$(($(now_ms) - t))

# --- start on a free port ---------------------------------------------------------
for _ in $(seq 1 20); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" || break
  PORT=$((PORT + 1))
done
U="http://127.0.0.1:$PORT"
t=$(now_ms)
started=1
"$HERE/start.sh" "$PORT" "$DATA" || fail "server did not start"
START_MS=$(($(now_ms) - t))
mkdir -p "$BACKUPS" "$OUT"

# req NAME METHOD PATH [BODY] -> writes $OUT/NAME.json, sets CODE, prints nothing
req() {
  local name=$1 method=$2 path=$3 body=${4-}
  local args=(-s -o "$OUT/$name.json" -w '%{http_code}' -X "$method" --max-time 30
    -H 'Content-Type: application/json')
  if [ "$method" != GET ]; then
    # Kestrel answers 411 to a POST without Content-Length: --data always sends one.
    args+=(--data-binary "$body")
  fi
  CODE=$(curl "${args[@]}" "$U$path") || CODE=000
}
expect() { # expect NAME CODE...
  local name=$1 ok
  shift
  for ok in "$@"; do [ "$CODE" = "$ok" ] && return 0; done
  fail "$name: HTTP $CODE, wanted $*: $(head -c 400 "$OUT/$name.json" 2>/dev/null)"
}
field() { jq -r "$2" "$OUT/$1.json"; }

# poll NAME PATH -> waits (<= 60 s) until Status is no longer InProgress
poll() {
  local name=$1 path=$2 status deadline=$(($(now_ms) + 60000)) n=0
  while :; do
    n=$((n + 1))
    req "$name" GET "$path"
    expect "$name" 200
    status=$(field "$name" .Status)
    [ "$status" != InProgress ] && break
    [ -f "$OUT/$name-inprogress.json" ] || cp "$OUT/$name.json" "$OUT/$name-inprogress.json"
    [ "$(now_ms)" -ge "$deadline" ] && fail "$name: still InProgress after 60 s"
    sleep 0.1
  done
  say "$name: $status after $n poll(s)"
  [ "$status" = Completed ] || fail "$name: $status: $(field "$name" '.Result.Message // .Result')"
}

FLOW0=$(now_ms)
req build-version GET /build/version
expect build-version 200
say "server $(field build-version .FullVersion) build $(field build-version .BuildVersion)"

req create-db PUT "/admin/databases?name=$DB&replicationFactor=1" \
  "{\"DatabaseName\":\"$DB\",\"Settings\":{},\"Disabled\":false}"
expect create-db 201
say "created database $DB (raft index $(field create-db .RaftCommandIndex))"

i=0
for id in "${IDS[@]}"; do
  i=$((i + 1))
  req "put-doc-$i" PUT "/databases/$DB/docs?id=$id" \
    "{\"Name\":\"User $i\",\"Age\":$((20 + i)),\"Tags\":[\"a\",\"b$i\"],\"@metadata\":{\"@collection\":\"Users\"}}"
  expect "put-doc-$i" 201
done
say "stored ${#IDS[@]} documents"

req create-task POST "/databases/$DB/admin/periodic-backup" \
  "{\"Name\":\"smoke-backup\",\"BackupType\":\"Backup\",\"FullBackupFrequency\":\"0 2 * * *\",\"IncrementalBackupFrequency\":null,\"Disabled\":false,\"LocalSettings\":{\"Disabled\":false,\"FolderPath\":\"$BACKUPS\"}}"
expect create-task 200
TASK=$(field create-task .TaskId)
say "created periodic backup task $TASK"

BACKUP0=$(now_ms)
req backup-now POST "/databases/$DB/admin/backup/database?taskId=$TASK&isFullBackup=true" ''
expect backup-now 200
OP=$(field backup-now .OperationId)
say "backup started: operation $OP on node $(field backup-now .ResponsibleNode)"
poll backup-state "/databases/$DB/operations/state?id=$OP"
BACKUP_MS=$(($(now_ms) - BACKUP0))

req backup-status GET "/periodic-backup/status?name=$DB&taskId=$TASK"
expect backup-status 200
DIR=$(field backup-status .Status.LocalBackup.BackupDirectory)
[ -d "$DIR" ] || fail "backup directory '$DIR' does not exist"
say "backup in $DIR: $(cd "$DIR" && ls | tr '\n' ' ')"
req tasks GET "/databases/$DB/tasks"
expect tasks 200
req operations GET "/databases/$DB/operations"
expect operations 200
req restore-points POST /admin/restore/points "{\"Path\":\"$DIR\"}"
expect restore-points 200
say "restore points: $(field restore-points '.List | length')"

RESTORE0=$(now_ms)
req restore POST /admin/restore/database \
  "{\"DatabaseName\":\"$RESTORED\",\"BackupLocation\":\"$DIR\",\"DisableOngoingTasks\":true}"
expect restore 200
ROP=$(field restore .OperationId)
say "restore started: server operation $ROP"
poll restore-state "/operations/state?id=$ROP"
RESTORE_MS=$(($(now_ms) - RESTORE0))

# --- compare ----------------------------------------------------------------------
q=$(printf '&id=%s' "${IDS[@]}")
q="?${q#&}"
req docs-original GET "/databases/$DB/docs$q"
expect docs-original 200
req docs-restored GET "/databases/$RESTORED/docs$q"
expect docs-restored 200
strip='[.Results[] | del(."@metadata"."@change-vector")]'
a=$(jq -cS "$strip" "$OUT/docs-original.json")
b=$(jq -cS "$strip" "$OUT/docs-restored.json")
n=$(jq '[.Results[] | select(. != null)] | length' "$OUT/docs-restored.json")
[ "$n" = "${#IDS[@]}" ] || fail "restored database has $n of ${#IDS[@]} documents"
[ "$a" = "$b" ] || fail "documents differ: $a vs $b"
say "the ${#IDS[@]} documents are equal in $DB and $RESTORED (change vectors aside)"
req databases GET /databases
expect databases 200
FLOW_MS=$(($(now_ms) - FLOW0))

"$HERE/start.sh" stop "$DATA" >/dev/null
started=
echo "timings: setup ${SETUP_MS} ms, start-to-ready ${START_MS} ms, flow ${FLOW_MS} ms (backup ${BACKUP_MS} ms, restore ${RESTORE_MS} ms), total $(($(now_ms) - T0)) ms"
if [ -z "${RAVEN4_SMOKE_DIR:-}" ]; then rm -rf "$WORK"; else echo "responses kept in $OUT"; fi
echo PASS
