//! Serde wire types of the RavenDB 4.x backup and restore protocol, taken from
//! the requests and answers recorded against the genuine RavenDB 4.1.0 server
//! (`docs/protocol/ravendb-4x.md`, cited as "the notes"). Shapes the
//! notes do not show were recorded here against the same 4.1.0 server with
//! `scripts/ravendb4/smoke.sh`; their doc comments say so.
//!
//! Field names are PascalCase as the server writes them. Reading is lenient
//! everywhere: unknown fields are ignored, missing fields default, `null` where
//! a list, a number or a flag is expected reads as empty / `None` / false, and
//! enums keep values we do not know. Dates stay strings
//! ([`parse_iso_ms`](super::time::parse_iso_ms) turns them into milliseconds).
//!
//! The 4.1 backup flow (4.1 has no one-time `POST /databases/{db}/admin/backup`,
//! that arrived in 4.2):
//! 1. `POST /databases/{db}/admin/periodic-backup` with a
//!    [`PeriodicBackupConfiguration`] (see [`PeriodicBackupConfiguration::temporary_local`])
//!    → [`TaskCreated`];
//! 2. `POST /databases/{db}/admin/backup/database?taskId=N&isFullBackup=true`
//!    with an empty body **and `Content-Length: 0`** (else Kestrel answers 411)
//!    → [`OperationIdResponse`];
//! 3. poll `GET /databases/{db}/operations/state?id=` → [`OperationState`];
//! 4. `GET /periodic-backup/status?name={db}&taskId=N` (server level in 4.1)
//!    → [`PeriodicBackupStatusResponse`], whose `LocalBackup.BackupDirectory`
//!    is the folder to restore from;
//! 5. optionally `DELETE /databases/{db}/admin/tasks?id=N&type=Backup`
//!    → [`TaskCreated`] (`{"TaskId":3,"RaftCommandIndex":3}`).
//!
//! Restore: `POST /admin/restore/database` with a [`RestoreBackupConfiguration`]
//! → [`OperationIdResponse`], then poll the **server-level**
//! `GET /operations/state?id=` (its ids count separately from the database ones).

use super::lenient::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------
// Ongoing tasks (`GET /databases/{db}/tasks`)
// ---------------------------------------------------------------------------

lenient_enum! {
    /// `BackupType` of a backup task.
    BackupType {
        /// A logical (smuggler) backup, `.ravendb-full-backup` files (the default).
        #[default]
        Backup = "Backup" | 0,
        /// A snapshot (needs a license with snapshot backups).
        Snapshot = "Snapshot" | 1,
    }
}

/// `ResponsibleNode` of a task: `{"NodeTag":"A","NodeUrl":"http://…","ResponsibleNode":null}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NodeId {
    /// Cluster node tag (`A`).
    pub node_tag: String,
    /// Node URL.
    pub node_url: Option<String>,
}

/// `NextBackup` of a backup task: `{"TimeSpan":"08:14:03.5932045",
/// "DateTime":"2026-11-28T02:00:00.0000713Z","IsFull":true}`; `null` for a
/// disabled task.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NextBackup {
    /// Time until the run, .NET `TimeSpan` text (`[d.]hh:mm:ss[.fffffff]`).
    pub time_span: Option<String>,
    /// UTC time of the run.
    pub date_time: Option<String>,
    /// Full or incremental.
    pub is_full: bool,
}

/// `OnGoingBackup` of a backup task (a `RunningBackup`): `null` when idle.
/// Not recorded running (a small backup ends before a poll), so the fields
/// come from the 4.1 client's names and every one is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunningBackup {
    /// Start time.
    pub start_time: Option<String>,
    /// Full or incremental.
    pub is_full: Option<bool>,
    /// The operation id of the run (database level).
    pub running_backup_task_id: Option<i64>,
}

/// One item of `OngoingTasksList`. Only backup tasks carry the backup fields;
/// other task types (replication, ETL, subscriptions) read with them empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OngoingTask {
    /// Task id (`TaskId` of the creation answer).
    pub task_id: i64,
    /// `Backup`, `Replication`, `RavenEtl`, `SqlEtl`, `Subscription`, …
    pub task_type: String,
    /// The node that runs it.
    pub responsible_node: Option<NodeId>,
    /// `Enabled`, `Disabled`, `PartiallyEnabled`.
    pub task_state: String,
    /// `Active`, `NotActive`, `Reconnect`, `NotOnThisNode`, `None`.
    pub task_connection_status: Option<String>,
    /// The task's name.
    pub task_name: String,
    /// Error text, `null` when fine.
    pub error: Option<String>,
    /// Backup tasks: `Backup` or `Snapshot`.
    pub backup_type: Option<BackupType>,
    /// Backup tasks: `Local`, `S3`, `Glacier`, `Azure`, `FTP`.
    pub backup_destinations: Vec<String>,
    /// Backup tasks: UTC time of the last full backup.
    pub last_full_backup: Option<String>,
    /// Backup tasks: UTC time of the last incremental backup.
    pub last_incremental_backup: Option<String>,
    /// Backup tasks: the run in progress.
    pub on_going_backup: Option<RunningBackup>,
    /// Backup tasks: the next scheduled run; `None` when disabled.
    pub next_backup: Option<NextBackup>,
}

impl OngoingTask {
    /// A backup task (`TaskType` `Backup`).
    pub fn is_backup(&self) -> bool {
        self.task_type.eq_ignore_ascii_case("Backup")
    }

    /// `TaskState` is `Enabled` (a disabled task cannot be run now:
    /// "Backup task id: N is disabled").
    pub fn is_enabled(&self) -> bool {
        self.task_state.eq_ignore_ascii_case("Enabled")
    }
}

/// `GET /databases/{db}/tasks`: `{"OngoingTasksList":[…],"SubscriptionsCount":0}`
/// on 4.x, `{"OngoingTasks":[…],…}` on modern servers
/// (docs/protocol/ravendb-4x.md#ongoing-tasks).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OngoingTasks {
    /// Every task: `OngoingTasksList` (4.x) or `OngoingTasks` (5.x and
    /// later; written back as the 4.x name).
    pub ongoing_tasks_list: Vec<OngoingTask>,
    /// Number of subscriptions (not in the list).
    pub subscriptions_count: i64,
}

impl OngoingTasks {
    /// The backup tasks.
    pub fn backups(&self) -> impl Iterator<Item = &OngoingTask> {
        self.ongoing_tasks_list.iter().filter(|t| t.is_backup())
    }
}

// ---------------------------------------------------------------------------
// Periodic backup configuration and status
// ---------------------------------------------------------------------------

/// `LocalSettings` of a backup task.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocalSettings {
    /// Destination disabled.
    pub disabled: bool,
    /// Server-side folder; each run writes a `{date}.ravendb-{db}-{node}-backup`
    /// subfolder in it.
    pub folder_path: String,
}

/// Body of `POST /databases/{db}/admin/periodic-backup` (create, or update
/// when `TaskId` is set), and an item of `DatabaseRecord.PeriodicBackups`.
/// Other destinations (S3, Azure, …) are kept in `extra`, so a configuration
/// read from the record can be sent back unchanged.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeriodicBackupConfiguration {
    /// Existing task id when updating; left out to create a task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<i64>,
    /// Task name.
    pub name: Option<String>,
    /// `Backup` or `Snapshot`.
    pub backup_type: BackupType,
    /// Cron expression of full backups (NCrontab: "February 30 and 31"
    /// are rejected, so an impossible date cannot disable the schedule).
    pub full_backup_frequency: Option<String>,
    /// Cron expression of incremental backups; written as `null` when `None`.
    pub incremental_backup_frequency: Option<String>,
    /// A disabled task cannot be run now (500 "Backup task id: N is disabled").
    pub disabled: bool,
    /// Local destination.
    pub local_settings: Option<LocalSettings>,
    /// Every other field, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PeriodicBackupConfiguration {
    /// The yearly schedule of [`PeriodicBackupConfiguration::temporary_local`]:
    /// midnight on 1 January, so the task does not fire on its own before it
    /// is deleted.
    pub const RARELY: &'static str = "0 0 1 1 *";

    /// An enabled local backup task meant to be run once with
    /// `backup/database?taskId=&isFullBackup=true` and deleted afterwards
    /// (4.0/4.1 have no one-time backup). It must be enabled: running a
    /// disabled task fails.
    pub fn temporary_local(name: impl Into<String>, folder_path: impl Into<String>) -> Self {
        PeriodicBackupConfiguration {
            name: Some(name.into()),
            full_backup_frequency: Some(Self::RARELY.to_string()),
            local_settings: Some(LocalSettings {
                disabled: false,
                folder_path: folder_path.into(),
            }),
            ..Default::default()
        }
    }
}

/// Answer of the task creation (`{"RaftCommandIndex":3,"TaskId":3}`) and of
/// the task deletion (`{"TaskId":3,"RaftCommandIndex":3}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskCreated {
    /// Raft index of the change.
    pub raft_command_index: Option<i64>,
    /// The task id (not predictable: it is the raft index of the creation).
    pub task_id: i64,
}

/// `LocalBackup` of a periodic backup status.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocalBackupStatus {
    /// UTC time of the last full backup to this destination.
    pub last_full_backup: Option<String>,
    /// UTC time of the last incremental backup.
    pub last_incremental_backup: Option<String>,
    /// Duration of the last full backup.
    pub full_backup_duration_in_ms: Option<i64>,
    /// Duration of the last incremental backup.
    pub incremental_backup_duration_in_ms: Option<i64>,
    /// Error text of this destination.
    pub exception: Option<String>,
    /// The folder written, the `BackupLocation` of a restore.
    pub backup_directory: Option<String>,
    /// A temp folder was used.
    pub temp_folder_used: bool,
}

/// The `Status` of `GET /periodic-backup/status?name={db}&taskId=N`
/// (server level in 4.1).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeriodicBackupStatus {
    /// Task id.
    pub task_id: i64,
    /// `Backup` or `Snapshot`.
    pub backup_type: Option<BackupType>,
    /// The last run was full.
    pub is_full: bool,
    /// Node that ran it.
    pub node_tag: Option<String>,
    /// UTC time of the last full backup.
    pub last_full_backup: Option<String>,
    /// UTC time of the last incremental backup.
    pub last_incremental_backup: Option<String>,
    /// Local destination status.
    pub local_backup: Option<LocalBackupStatus>,
    /// Last etag backed up.
    pub last_etag: Option<i64>,
    /// Folder name of the last run (inside `FolderPath`).
    pub folder_name: Option<String>,
    /// Duration of the last run.
    pub duration_in_ms: Option<i64>,
    /// Status version.
    pub version: Option<i64>,
    /// Error of the last run, `null` when fine. Not recorded non-null; kept
    /// opaque, read with [`PeriodicBackupStatus::error_text`].
    pub error: Option<Value>,
    /// Database-level operation id of the last run.
    pub last_operation_id: Option<i64>,
}

impl PeriodicBackupStatus {
    /// The folder to restore from (`LocalBackup.BackupDirectory`).
    pub fn backup_directory(&self) -> Option<&str> {
        self.local_backup
            .as_ref()?
            .backup_directory
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }
}

/// `GET /periodic-backup/status?name=&taskId=`: `{"Status":{…}}`, or
/// `{"Status":null}` for a task that never ran or does not exist.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeriodicBackupStatusResponse {
    /// The status, `None` before the first run.
    pub status: Option<PeriodicBackupStatus>,
}

// Operations: src/api/wire/v4/operations.rs
mod operations;
pub use operations::*;

// ---------------------------------------------------------------------------
// Restore
// ---------------------------------------------------------------------------

/// Body of `POST /admin/restore/database`, with only the fields 4.1 has
/// (`SkipIndexes` came later: the 4.1 `Raven.Client.dll` has no such name).
/// Optional fields are left out when `None` / false, so the smallest body is
/// the recorded `{"DatabaseName":…,"BackupLocation":…}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestoreBackupConfiguration {
    /// Name of the new database (must not exist).
    #[serde(default, deserialize_with = "lenient_string")]
    pub database_name: String,
    /// The backup folder (`LocalBackup.BackupDirectory`), server-side.
    #[serde(default, deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// Restore up to and including this file of the folder
    /// (`2026-11-27-19-20.ravendb-full-backup`); `None` = all.
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(default)]
    pub last_file_name_to_restore: Option<String>,
    /// Data folder of the new database; `None` = `<DataDir>/Databases/<name>`.
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(default)]
    pub data_directory: Option<String>,
    /// `EncryptionKey` (base64): on 4.0/4.1 the backup's key; from 4.2 the
    /// key of the new database, and a backup's key goes in
    /// `BackupEncryptionSettings` instead. The dashboard leaves it `None`
    /// and `forms::backup_key` puts the key where the server's version
    /// reads it (docs/protocol/ravendb-4x.md#restore-key). Never written
    /// when `None`: an unencrypted server rejects any key ("Cannot restore
    /// an encrypted database to a node which doesn't support SSL!").
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(default)]
    pub encryption_key: Option<String>,
    /// Restore with the backup's ongoing tasks disabled.
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "is_false"
    )]
    pub disable_ongoing_tasks: bool,
}

/// One restore point: a backup file a restore can stop at.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestorePoint {
    /// Time of the backup (from the file name; minutes, no zone).
    pub date_time: Option<String>,
    /// The backup folder, the `BackupLocation` of a restore.
    pub location: String,
    /// The file, the `LastFileNameToRestore` of a restore.
    pub file_name: String,
    /// A snapshot.
    pub is_snapshot_restore: bool,
    /// Encrypted backup.
    pub is_encrypted: bool,
    /// An incremental backup.
    pub is_incremental: bool,
    /// Files a restore up to here reads.
    pub files_to_restore: i64,
    /// Database the backup was taken of.
    pub database_name: Option<String>,
    /// Node that took it.
    pub node_tag: Option<String>,
}

impl RestorePoint {}

/// The request that lists a folder's restore points: 4.0 and 4.1 take
/// `{"Path"}`; later servers take `?type=Local` with `{"FolderPath"}` and
/// fail the old body with a 500 (docs/protocol/ravendb-4x.md#restore-points).
pub fn restore_points_request(
    major: u32,
    minor: u32,
    folder: &str,
) -> (&'static str, serde_json::Value) {
    if (major, minor) < (4, 2) {
        (
            "/admin/restore/points",
            serde_json::json!({ "Path": folder }),
        )
    } else {
        (
            "/admin/restore/points?type=Local",
            serde_json::json!({ "FolderPath": folder }),
        )
    }
}

/// Answer of `POST /admin/restore/points`: `{"List":[…]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestorePoints {
    /// The points.
    pub list: Vec<RestorePoint>,
}
