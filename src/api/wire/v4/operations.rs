//! The RavenDB 4.x-and-later operation wire types: the start answers, the
//! operation state with its progress and result, the database's operations
//! list, and the words for a 408 "run task now" (docs/protocol/ravendb-4x.md#operation-state).

use super::super::lenient::*;
use serde::Serialize;
use serde_json::Value;

/// Answer of `POST …/admin/backup/database` (`{"ResponsibleNode":"A","OperationId":1}`,
/// a database-level id), of the one-time `POST …/admin/backup`
/// (`{"OperationId":1,"OperationNodeTag":"A"}`, 4.2+) and of `POST
/// /admin/restore/database` (`{"OperationId":1}`, a server-level id; modern
/// servers add `OperationNodeTag`): docs/protocol/ravendb-4x.md#operation-ids.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationIdResponse {
    /// Node that runs it (backup only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsible_node: Option<String>,
    /// The operation id.
    pub operation_id: i64,
    /// The node the operation runs on (modern one-time backups and restores).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_node_tag: Option<String>,
}

impl OperationIdResponse {
    /// The node that runs the operation: `OperationNodeTag`, else
    /// `ResponsibleNode`; `None` when the server named neither.
    pub fn node_tag(&self) -> Option<&str> {
        self.operation_node_tag
            .as_deref()
            .or(self.responsible_node.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }
}

/// `Description` of an entry of `GET /databases/{db}/operations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationDescription {
    /// `Full backup task: 'nightly'` (a task run), `Manual backup for
    /// database: Shop` (a one-time backup).
    pub description: Option<String>,
    /// `DatabaseBackup` for backups.
    pub task_type: Option<String>,
    /// When it started (UTC).
    pub start_time: Option<String>,
}

/// One entry of `GET /databases/{db}/operations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseOperation {
    /// The database-level operation id.
    pub id: i64,
    /// What it is and when it started.
    pub description: Option<OperationDescription>,
}

/// `GET /databases/{db}/operations`: `{"Results":[…]}`, the database's
/// operations (docs/protocol/ravendb-4x.md#operations-list).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseOperations {
    /// The operations.
    pub results: Vec<DatabaseOperation>,
}

impl DatabaseOperations {
    /// The backup a start whose answer was lost may have begun: the newest
    /// `DatabaseBackup` operation that started no earlier than `since_ms`
    /// (epoch ms, clock skew already allowed for) and, for a task run,
    /// whose description names the task (`'name'`). An entry without a
    /// readable start time is not taken: it cannot be told from an older run.
    pub fn backup_started_since(&self, task_name: Option<&str>, since_ms: f64) -> Option<i64> {
        self.results
            .iter()
            .filter(|op| {
                let Some(d) = op.description.as_ref() else {
                    return false;
                };
                let backup = d
                    .task_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("DatabaseBackup"));
                let named = task_name.is_none_or(|name| {
                    d.description
                        .as_deref()
                        .is_some_and(|text| text.contains(&format!("'{name}'")))
                });
                let recent = d
                    .start_time
                    .as_deref()
                    .and_then(crate::api::wire::time::parse_iso_ms)
                    .is_some_and(|t| t >= since_ms);
                backup && named && recent
            })
            .map(|op| op.id)
            .max()
    }
}

lenient_enum! {
    /// `Status` of an operation state.
    OperationStatus {
        /// Running (also the default when missing).
        #[default]
        InProgress = "InProgress" | 0,
        /// Ran to completion; `Result` holds the outcome.
        Completed = "Completed" | 1,
        /// Failed; `Result` is an `OperationExceptionResult`.
        Faulted = "Faulted" | 2,
        /// Canceled (killed).
        Canceled = "Canceled" | 3,
    }
}

/// A smuggler counter (`Documents`, `Indexes`, …) of a backup or restore
/// result or progress.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemCount {
    /// This part was processed.
    pub processed: bool,
    /// This part was skipped.
    pub skipped: bool,
    /// Items read.
    pub read_count: i64,
    /// Items that failed.
    pub errored_count: i64,
}

/// `Files` of a modern restore's progress and result:
/// `{"CurrentFileName":null,"CurrentFile":0,"FileCount":1}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileCounts {
    /// Files restored so far.
    pub current_file: i64,
    /// Files the restore reads.
    pub file_count: i64,
}

/// `Progress` of an `InProgress` operation (`BackupProgress`,
/// `RestoreProgress`; docs/protocol/ravendb-4x.md#progress). `Message` is the
/// latest log line; `Messages` is `null` while running. Told apart by its
/// members, never by `$type` (its names moved between versions).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationProgress {
    /// .NET type, kept for the record only (not matched on).
    #[serde(rename = "$type")]
    pub type_name: Option<String>,
    /// Latest log line.
    pub message: Option<String>,
    /// Documents counter.
    pub documents: Option<ItemCount>,
    /// Restores (modern): files restored of the files to read.
    pub files: Option<FileCounts>,
    /// A backup's progress carries its `LocalBackup` (what says it is one).
    pub local_backup: Option<LocalBackupResult>,
    /// A restore's progress carries `SnapshotRestore` (what says it is one).
    pub snapshot_restore: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `LocalBackup` of a modern backup result
/// (docs/protocol/ravendb-4x.md#backup-result): `BackupDirectory` is a
/// folder name **relative to** the request's `FolderPath`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocalBackupResult {
    /// The folder written, relative to `FolderPath`.
    pub backup_directory: Option<String>,
    /// The file written in it.
    pub file_name: Option<String>,
}

/// The folder to restore from: `BackupDirectory` joined to the
/// `FolderPath` the backup was asked to write to, unless it is already
/// absolute (`/…`, `C:\…`, `\\server\…`). The separator is the one the
/// folder path uses (a Windows server's paths use `\`).
pub fn backup_folder(folder_path: &str, backup_directory: &str) -> String {
    let dir = backup_directory.trim();
    let is_absolute =
        dir.starts_with('/') || dir.starts_with('\\') || dir.as_bytes().get(1) == Some(&b':');
    let base = folder_path.trim();
    if is_absolute || base.is_empty() {
        return dir.to_string();
    }
    let sep = if base.contains('\\') && !base.contains('/') {
        '\\'
    } else {
        '/'
    };
    format!("{}{sep}{dir}", base.trim_end_matches(['/', '\\']))
}

/// `Result` of a finished operation: a `BackupResult` or `RestoreResult`
/// (`Messages`, `Elapsed`, counters), or for `Faulted` an
/// `OperationExceptionResult` (`Type`, `Message`, `Error`, `StatusCode`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationResult {
    /// .NET type of the result.
    #[serde(rename = "$type")]
    pub type_name: Option<String>,
    /// The log (`[17:45:41 INFO] Started task: 'e2e-backup'`, …).
    pub messages: Vec<String>,
    /// Duration, .NET `TimeSpan` text.
    pub elapsed: Option<String>,
    /// Documents counter.
    pub documents: Option<ItemCount>,
    /// Restore: data folder of the new database.
    pub data_directory: Option<String>,
    /// Faulted: exception type (`System.InvalidOperationException`).
    #[serde(rename = "Type")]
    pub exception_type: Option<String>,
    /// Faulted: the readable message.
    pub message: Option<String>,
    /// Faulted: the full exception text with stack trace.
    pub error: Option<String>,
    /// Faulted: HTTP-like status code (500).
    pub status_code: Option<i64>,
    /// Modern backups: where the backup landed.
    pub local_backup: Option<LocalBackupResult>,
    /// Restores carry `SnapshotRestore` (what says it is one).
    pub snapshot_restore: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What kind of work a state is about, told by its members (a backup's
/// state carries `LocalBackup`, a restore's `SnapshotRestore`), never by
/// `$type`: docs/protocol/ravendb-4x.md#type-names. `None` when it does
/// not say (4.1 states, faults).
pub fn state_kind(state: &OperationState) -> Option<&'static str> {
    let backup = state
        .progress
        .as_ref()
        .is_some_and(|p| p.local_backup.is_some())
        || state
            .result
            .as_ref()
            .is_some_and(|r| r.local_backup.is_some());
    let restore = state
        .progress
        .as_ref()
        .is_some_and(|p| p.snapshot_restore.is_some())
        || state
            .result
            .as_ref()
            .is_some_and(|r| r.snapshot_restore.is_some());
    match (backup, restore) {
        (true, false) => Some("backup"),
        (false, true) => Some("restore"),
        _ => None,
    }
}

impl OperationResult {
    /// An `OperationExceptionResult` (the `Result` of a faulted operation),
    /// told by its members (`Error`, or `Type` with `Message`), never by
    /// `$type`: docs/protocol/ravendb-4x.md#type-names.
    pub fn is_exception(&self) -> bool {
        self.error.is_some() || (self.exception_type.is_some() && self.message.is_some())
    }

    /// Modern backups: the folder name the backup wrote, relative to the
    /// request's `FolderPath`.
    pub fn backup_directory(&self) -> Option<&str> {
        self.local_backup
            .as_ref()?
            .backup_directory
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// `GET /databases/{db}/operations/state?id=` and `GET /operations/state?id=`
/// (an unknown id answers 404 with an empty body).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationState {
    /// `InProgress`, `Completed`, `Faulted`, `Canceled`.
    pub status: OperationStatus,
    /// Progress while running, `None` otherwise (boxed, like the result,
    /// so a poll answer stays small).
    pub progress: Option<Box<OperationProgress>>,
    /// Outcome once finished.
    pub result: Option<Box<OperationResult>>,
}

impl OperationState {
    /// The log lines of the result (empty while running).
    pub fn messages(&self) -> &[String] {
        self.result.as_ref().map_or(&[], |r| &r.messages)
    }

    /// The counts of a running operation: documents read, and for a
    /// modern restore the files restored of the files to read.
    pub fn progress_counts(&self) -> Option<ProgressCounts> {
        let progress = self.progress.as_ref()?;
        let documents = progress
            .documents
            .as_ref()
            .map(|d| d.read_count)
            .filter(|n| *n > 0);
        let files = progress
            .files
            .as_ref()
            .filter(|f| f.file_count > 0)
            .map(|f| (f.current_file.clamp(0, f.file_count), f.file_count));
        (documents.is_some() || files.is_some()).then_some(ProgressCounts { documents, files })
    }

    /// The latest progress line while running.
    pub fn progress_message(&self) -> Option<&str> {
        self.progress
            .as_ref()?
            .message
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }

    /// A faulted operation's readable message (`Result.Message`, else the
    /// first line of `Result.Error`).
    pub fn failure_message(&self) -> Option<String> {
        let result = self.result.as_ref()?;
        if !result.is_exception() {
            return None;
        }
        result
            .message
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| {
                let error = result.error.as_deref()?;
                Some(crate::api::error::split_exception_text(error).0)
            })
    }
}

/// What a running operation has counted so far
/// (docs/protocol/ravendb-4x.md#progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgressCounts {
    /// Documents read so far (no total is given).
    pub documents: Option<i64>,
    /// Files restored and files to restore (modern restores).
    pub files: Option<(i64, i64)>,
}

/// The error of "run backup task `task_id` now" in plain words. Modern
/// servers wait 15 s for a task id they do not know and answer **408**
/// (`System.TimeoutException`, "Waited for 00:00:15 but didn't get an
/// index notification for N"); 4.1 answered 500 "Backup task id: N doesn't
/// exist" at once (docs/protocol/ravendb-4x.md#backup-now). Other errors
/// pass unchanged.
pub fn backup_now_error(error: crate::api::ApiError, task_id: i64) -> crate::api::ApiError {
    match error {
        crate::api::ApiError::Http { status: 408, body } => {
            let words = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v.get("Message")?.as_str().map(str::to_string))
                .filter(|m| !m.trim().is_empty());
            let mut message = format!(
                "the server found no backup task with id {task_id} (it may have been deleted): it waited for the task and gave up with HTTP 408."
            );
            if let Some(words) = words {
                message.push_str(&format!(" The server said: {words}"));
            }
            crate::api::ApiError::BadRequest { message }
        }
        other => other,
    }
}
