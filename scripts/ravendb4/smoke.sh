#!/usr/bin/env bash
# End-to-end smoke test against a genuine RavenDB 4.1.0 server: setup, start
# on a free port, then the recorded flow of docs/protocol/ravendb-4x.md
# with curl: create a database with a few documents, create a periodic backup
# task (4.1 has no one-time backup endpoint), run it now, poll the
# database-level operation, restore into a new name, poll the server-level
# operation, compare the documents. Prints timings and PASS/FAIL; always
# stops the server it started.
#
#   scripts/ravendb4/smoke.sh            # port from RAVEN4_SMOKE_PORT (default: a free one)
#
# RAVEN4_SMOKE_DIR (default: a fresh temp dir, removed on PASS) holds the data
# folder, the backups and responses/*.json (every answer of the flow).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/ravendb_common.sh
source "$HERE/../ravendb_common.sh"
rdb_smoke_begin "${RAVEN4_SMOKE_DIR:-}" smoke "$HERE/start.sh"

# --- setup --------------------------------------------------------------------
t=$(rdb_now_ms)
"$HERE/setup.sh"
SETUP_MS=$(($(rdb_now_ms) - t))

# --- start on a free port ---------------------------------------------------------
PORT=${RAVEN4_SMOKE_PORT:-$(rdb_free_port)}
U="http://127.0.0.1:$PORT"
t=$(rdb_now_ms)
started=1
"$HERE/start.sh" "$PORT" "$DATA" || fail "server did not start"
START_MS=$(($(rdb_now_ms) - t))
mkdir -p "$BACKUPS" "$OUT"

FLOW0=$(rdb_now_ms)
req build-version GET /build/version
expect build-version 200
say "server $(field build-version .FullVersion) build $(field build-version .BuildVersion)"

rdb_smoke_create_database "$DB" "${IDS[@]}"

req create-task POST "/databases/$DB/admin/periodic-backup" \
  "{\"Name\":\"smoke-backup\",\"BackupType\":\"Backup\",\"FullBackupFrequency\":\"0 2 * * *\",\"IncrementalBackupFrequency\":null,\"Disabled\":false,\"LocalSettings\":{\"Disabled\":false,\"FolderPath\":\"$BACKUPS\"}}"
expect create-task 200
TASK=$(field create-task .TaskId)
say "created periodic backup task $TASK"

BACKUP0=$(rdb_now_ms)
req backup-now POST "/databases/$DB/admin/backup/database?taskId=$TASK&isFullBackup=true" ''
expect backup-now 200
OP=$(field backup-now .OperationId)
say "backup started: operation $OP on node $(field backup-now .ResponsibleNode)"
poll backup-state "/databases/$DB/operations/state?id=$OP"
BACKUP_MS=$(($(rdb_now_ms) - BACKUP0))

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

RESTORE0=$(rdb_now_ms)
rdb_smoke_restore "$DIR" "$RESTORED"
RESTORE_MS=$(($(rdb_now_ms) - RESTORE0))

# --- compare ----------------------------------------------------------------------
rdb_smoke_compare "$DB" "$RESTORED" "${IDS[@]}"
req databases GET /databases
expect databases 200
FLOW_MS=$(($(rdb_now_ms) - FLOW0))

"$HERE/start.sh" stop "$DATA" >/dev/null
started=
echo "timings: setup ${SETUP_MS} ms, start-to-ready ${START_MS} ms, flow ${FLOW_MS} ms (backup ${BACKUP_MS} ms, restore ${RESTORE_MS} ms), total $(($(rdb_now_ms) - T0)) ms"
if [ -z "${RAVEN4_SMOKE_DIR:-}" ]; then rm -rf "$WORK"; else echo "responses kept in $OUT"; fi
echo PASS
