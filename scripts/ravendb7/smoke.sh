#!/usr/bin/env bash
# Smoke test against a genuine modern RavenDB server (7.1.5 by default;
# RAVEN7_VERSION=6.2 or 5.4): setup, start on a free loopback port, then the
# flow of docs/protocol/ravendb-4x.md#scope with curl: create a
# database with a few documents, one-time backup (POST
# /databases/{db}/admin/backup, a database-level operation), restore points
# (?type=Local with FolderPath), restore into a new name (a server-level
# operation), compare the documents. Prints timings and PASS/FAIL; always
# stops the server it started.
#
#   scripts/ravendb7/smoke.sh
#
# RAVEN7_SMOKE_DIR (default: a fresh temp dir, removed on PASS) holds the data
# folder, the backups and responses/*.json (every answer of the flow).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=${RAVEN7_VERSION:-7.1}
WORK=${RAVEN7_SMOKE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ravendb7-smoke.XXXXXX")}
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
say() { printf '[smoke7 %6d ms] %s\n' $(($(now_ms) - T0)) "$*"; }
fail() {
  say "FAIL: $*"
  [ -f "$DATA/server.log" ] && { echo '--- server.log tail ---'; tail -n 20 "$DATA/server.log"; }
  echo "FAIL (kept $WORK)"
  exit 1
}
started=
cleanup() { [ -n "$started" ] && "$HERE/start.sh" stop "$DATA" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- setup --------------------------------------------------------------------
t=$(now_ms)
"$HERE/setup.sh" "$VERSION"
SETUP_MS=$(($(now_ms) - t))

# --- start on a free port -------------------------------------------------------
t=$(now_ms)
started=1
"$HERE/start.sh" 0 "$DATA" || fail "server did not start"
START_MS=$(($(now_ms) - t))
U=$(cat "$DATA/url")
mkdir -p "$BACKUPS" "$OUT"

# req NAME METHOD PATH [BODY] -> writes $OUT/NAME.json, sets CODE
req() {
  local name=$1 method=$2 path=$3 body=${4-}
  local args=(-s -o "$OUT/$name.json" -w '%{http_code}' -X "$method" --max-time 30
    -H 'Content-Type: application/json')
  # Kestrel answers 411 to a POST without Content-Length: --data always sends one.
  [ "$method" != GET ] && args+=(--data-binary "$body")
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

BACKUP0=$(now_ms)
req backup POST "/databases/$DB/admin/backup" \
  "{\"BackupType\":\"Backup\",\"LocalSettings\":{\"Disabled\":false,\"FolderPath\":\"$BACKUPS\"}}"
expect backup 200
OP=$(field backup .OperationId)
say "one-time backup started: operation $OP on node $(field backup .OperationNodeTag)"
poll backup-state "/databases/$DB/operations/state?id=$OP"
BACKUP_MS=$(($(now_ms) - BACKUP0))
# BackupDirectory is relative to FolderPath since 5.x.
REL=$(field backup-state .Result.LocalBackup.BackupDirectory)
DIR="$BACKUPS/$REL"
[ -n "$REL" ] && [ "$REL" != null ] && [ -d "$DIR" ] || fail "backup directory '$DIR' does not exist"
say "backup in $DIR: $(cd "$DIR" && ls | tr '\n' ' ')"

req restore-points POST "/admin/restore/points?type=Local" "{\"FolderPath\":\"$DIR\"}"
expect restore-points 200
[ "$(field restore-points '.List | length')" -ge 1 ] || fail "no restore point in $DIR"
say "restore points: $(field restore-points '.List | length') ($(field restore-points '.List[0].DatabaseName'))"

# 7.1.5 deletes an existing database a restore targets (note, difference 7):
# the name must be free.
req free-name GET "/admin/databases?name=$RESTORED"
expect free-name 404

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
FLOW_MS=$(($(now_ms) - FLOW0))

t=$(now_ms)
"$HERE/start.sh" stop "$DATA" >/dev/null
STOP_MS=$(($(now_ms) - t))
started=
echo "timings (RavenDB $VERSION): setup ${SETUP_MS} ms, start-to-ready ${START_MS} ms, flow ${FLOW_MS} ms (backup ${BACKUP_MS} ms, restore ${RESTORE_MS} ms), stop ${STOP_MS} ms, total $(($(now_ms) - T0)) ms"
if [ -z "${RAVEN7_SMOKE_DIR:-}" ]; then rm -rf "$WORK"; else echo "responses kept in $OUT"; fi
echo PASS
