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
# shellcheck source=scripts/ravendb_common.sh
source "$HERE/../ravendb_common.sh"
rdb_smoke_begin "${RAVEN7_SMOKE_DIR:-}" smoke7 "$HERE/start.sh"

# --- setup --------------------------------------------------------------------
t=$(rdb_now_ms)
"$HERE/setup.sh" "$VERSION"
SETUP_MS=$(($(rdb_now_ms) - t))

# --- start on a free port -------------------------------------------------------
t=$(rdb_now_ms)
started=1
"$HERE/start.sh" 0 "$DATA" || fail "server did not start"
START_MS=$(($(rdb_now_ms) - t))
U=$(cat "$DATA/url")
mkdir -p "$BACKUPS" "$OUT"

FLOW0=$(rdb_now_ms)
req build-version GET /build/version
expect build-version 200
say "server $(field build-version .FullVersion) build $(field build-version .BuildVersion)"

rdb_smoke_create_database "$DB" "${IDS[@]}"

BACKUP0=$(rdb_now_ms)
req backup POST "/databases/$DB/admin/backup" \
  "{\"BackupType\":\"Backup\",\"LocalSettings\":{\"Disabled\":false,\"FolderPath\":\"$BACKUPS\"}}"
expect backup 200
OP=$(field backup .OperationId)
say "one-time backup started: operation $OP on node $(field backup .OperationNodeTag)"
poll backup-state "/databases/$DB/operations/state?id=$OP"
BACKUP_MS=$(($(rdb_now_ms) - BACKUP0))
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

RESTORE0=$(rdb_now_ms)
rdb_smoke_restore "$DIR" "$RESTORED"
RESTORE_MS=$(($(rdb_now_ms) - RESTORE0))

# --- compare ----------------------------------------------------------------------
rdb_smoke_compare "$DB" "$RESTORED" "${IDS[@]}"
FLOW_MS=$(($(rdb_now_ms) - FLOW0))

t=$(rdb_now_ms)
"$HERE/start.sh" stop "$DATA" >/dev/null
STOP_MS=$(($(rdb_now_ms) - t))
started=
echo "timings (RavenDB $VERSION): setup ${SETUP_MS} ms, start-to-ready ${START_MS} ms, flow ${FLOW_MS} ms (backup ${BACKUP_MS} ms, restore ${RESTORE_MS} ms), stop ${STOP_MS} ms, total $(($(rdb_now_ms) - T0)) ms"
if [ -z "${RAVEN7_SMOKE_DIR:-}" ]; then rm -rf "$WORK"; else echo "responses kept in $OUT"; fi
echo PASS
