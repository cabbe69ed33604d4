//! Serde wire types of the RavenDB 3.0 / 3.5 backup and restore protocol
//! (`/work/shared/protocol/ravendb-3x-backup-restore.md`, cited as §n).
//!
//! Field names are PascalCase exactly as the server writes them (§2.4).
//! Reading is lenient everywhere: unknown fields are ignored (or kept, for
//! documents we send back), missing optional fields default, `null` where a
//! list or a flag is expected reads as empty / false, and enums tolerate
//! values we do not know. Dates stay strings (seven fractional digits,
//! §2.4); [`parse_iso_ms`](super::time::parse_iso_ms) turns them into
//! milliseconds when needed.

use super::common::OperationRunState;
use super::lenient::*;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// Database / file-system documents and backup requests (§3.2, §9.2, §10)
// ---------------------------------------------------------------------------

/// The configuration document of a database (§9.2): `GET /admin/databases/{db}`
/// returns it with **decrypted** secured settings. Unknown fields are kept in
/// `extra` so that sending it back (in a backup request) loses nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DatabaseDocument {
    /// Short name of the database; `null` in stored form and allowed in a
    /// backup request.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub id: Option<String>,
    /// Plain settings (`Raven/DataDir`, `Raven/ActiveBundles`, …).
    #[serde(deserialize_with = "lenient_string_map")]
    pub settings: BTreeMap<String, String>,
    /// Secured settings; plain text when read through the admin endpoint.
    /// They end up in the backup in plain text (§3.3 security note).
    #[serde(deserialize_with = "lenient_string_map")]
    pub secured_settings: BTreeMap<String, String>,
    /// Whether the database is disabled.
    #[serde(deserialize_with = "lenient_bool")]
    pub disabled: bool,
    /// Every other field, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A file system's configuration document has the same shape (§10).
pub type FileSystemDocument = DatabaseDocument;

/// Body of `POST /databases/{db}/admin/backup` and `POST /admin/backup`
/// (§3.2). `DatabaseDocument` is always written, as `null` when `None`
/// (the server then loads and decrypts the stored document, §3.3).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DatabaseBackupRequest {
    /// Server-side destination folder.
    #[serde(deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// The document stored in the backup as `Database.Document`.
    pub database_document: Option<DatabaseDocument>,
}

/// Body of `POST /fs/{fs}/admin/backup` (§10). `FileSystemDocument` is
/// always written, as `null` when `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FilesystemBackupRequest {
    /// Server-side destination folder.
    #[serde(deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// The file system's document, or `None` to let the server load it.
    pub file_system_document: Option<FileSystemDocument>,
}

// ---------------------------------------------------------------------------
// Restore requests (§5.2, §10)
// ---------------------------------------------------------------------------

/// Body of `POST /admin/restore` (§5.2): every 3.0 and 3.5 field except the
/// obsolete `RestoreLocation` alias (ignored when read).
///
/// `DisableReplicationDestinations` and `GenerateNewDatabaseId` exist only in
/// late 3.0 and 3.5: they are `Option`s and are **left out** of the JSON when
/// `None`, which gives the early-3.0 subset. Use
/// [`DatabaseRestoreRequest::with_late_options`] (or
/// `version::Generation::shape_restore_request`) to fill them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DatabaseRestoreRequest {
    /// Name of the new database; `None` = the `Id` of the backup's
    /// `Database.Document`.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub database_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// Index folder; `None` = `<DatabaseLocation>/Indexes`.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub indexes_location: Option<String>,
    /// Seconds to wait for another restore to finish; `None` = fail at once
    /// with 503 (§5.3 step 9).
    pub restore_start_timeout: Option<i32>,
    /// Data folder of the new database; `None` = `~/{name}` (§5.4).
    #[serde(deserialize_with = "lenient_opt_string")]
    pub database_location: Option<String>,
    /// Esent defragmentation (the `defrag` query parameter overrides it).
    #[serde(deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Voron journals / Esent logs folder.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub journals_location: Option<String>,
    /// Late 3.0 and 3.5: restore with replication destinations disabled.
    /// Omitted from the JSON when `None`.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_replication_destinations: Option<bool>,
    /// Late 3.0 and 3.5: give the restored database a new id.
    /// Omitted from the JSON when `None`.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub generate_new_database_id: Option<bool>,
}

impl DatabaseRestoreRequest {
    /// Sets the two late fields (late 3.0 and 3.5), so they are sent.
    pub fn with_late_options(
        mut self,
        disable_replication_destinations: bool,
        generate_new_database_id: bool,
    ) -> Self {
        self.disable_replication_destinations = Some(disable_replication_destinations);
        self.generate_new_database_id = Some(generate_new_database_id);
        self
    }
}

/// Body of the file-system restore (§10): the common restore fields plus
/// `FilesystemName` and `FilesystemLocation`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FilesystemRestoreRequest {
    /// Name of the new file system; `None` = from `Filesystem.Document`.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub filesystem_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// Data folder of the new file system.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub filesystem_location: Option<String>,
    /// Index folder.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub indexes_location: Option<String>,
    /// Journals / logs folder.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub journals_location: Option<String>,
    /// Esent defragmentation.
    #[serde(deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Seconds to wait for another restore to finish.
    pub restore_start_timeout: Option<i32>,
}

// ---------------------------------------------------------------------------
// Backup status document (§4)
// ---------------------------------------------------------------------------

/// `BackupMessage.Severity` (§4.1). Unknown names are kept in `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Severity {
    /// `"Informational"` (also the default when missing).
    #[default]
    Informational,
    /// `"Error"`.
    Error,
    /// A value this client does not know, kept as written.
    Other(String),
}

impl Severity {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Severity::Informational => "Informational",
            Severity::Error => "Error",
            Severity::Other(s) => s,
        }
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(de)? {
            Value::String(s) if s.eq_ignore_ascii_case("informational") => Severity::Informational,
            Value::String(s) if s.eq_ignore_ascii_case("error") => Severity::Error,
            Value::String(s) => Severity::Other(s),
            // A server without the enum-name converter writes the number.
            Value::Number(n) if n.as_u64() == Some(0) => Severity::Informational,
            Value::Number(n) if n.as_u64() == Some(1) => Severity::Error,
            Value::Null => Severity::Informational,
            other => Severity::Other(value_text(&other).unwrap_or_default()),
        })
    }
}

/// One line of the backup log (§4.1).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BackupMessage {
    /// The text.
    #[serde(deserialize_with = "lenient_string")]
    pub message: String,
    /// Full exception text on errors (late 3.0 and 3.5; absent before).
    #[serde(deserialize_with = "lenient_opt_string")]
    pub details: Option<String>,
    /// UTC time, 7-digit ISO string.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub timestamp: Option<String>,
    /// `Informational` or `Error`.
    pub severity: Severity,
}

/// The `Raven/Backup/Status` document (§4.1), also the FS backup status
/// configuration item (§10).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BackupStatus {
    /// UTC start of the run.
    #[serde(deserialize_with = "lenient_opt_string")]
    pub started: Option<String>,
    /// Set when the run ends (success or failure).
    #[serde(deserialize_with = "lenient_opt_string")]
    pub completed: Option<String>,
    /// `false` once the run has finished.
    #[serde(deserialize_with = "lenient_bool")]
    pub is_running: bool,
    /// 3.5 only: true if neither faulted nor canceled. `None` in 3.0.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub success: Option<bool>,
    /// The ordered log.
    #[serde(deserialize_with = "null_as_default")]
    pub messages: Vec<BackupMessage>,
}

impl BackupStatus {
    /// The last message with `Severity: Error`.
    pub fn last_error(&self) -> Option<&BackupMessage> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.severity == Severity::Error)
    }
}

// ---------------------------------------------------------------------------
// Restore status documents (§6)
// ---------------------------------------------------------------------------

/// `RestoreStatus.State` (§6.1). Unknown names are kept in `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreState {
    /// `"Running"`.
    Running,
    /// `"Completed"`.
    Completed,
    /// `"Faulted"`.
    Faulted,
    /// A value this client does not know.
    Other(String),
}

impl RestoreState {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            RestoreState::Running => "Running",
            RestoreState::Completed => "Completed",
            RestoreState::Faulted => "Faulted",
            RestoreState::Other(s) => s,
        }
    }

    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) if s.eq_ignore_ascii_case("running") => Some(RestoreState::Running),
            Value::String(s) if s.eq_ignore_ascii_case("completed") => {
                Some(RestoreState::Completed)
            }
            Value::String(s) if s.eq_ignore_ascii_case("faulted") => Some(RestoreState::Faulted),
            Value::String(s) => Some(RestoreState::Other(s.clone())),
            Value::Number(n) => match n.as_u64() {
                Some(0) => Some(RestoreState::Running),
                Some(1) => Some(RestoreState::Completed),
                Some(2) => Some(RestoreState::Faulted),
                _ => Some(RestoreState::Other(n.to_string())),
            },
            _ => None,
        }
    }
}

impl Serialize for RestoreState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RestoreState {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(de)?;
        Ok(RestoreState::from_value(&v)
            .unwrap_or_else(|| RestoreState::Other(value_text(&v).unwrap_or_default())))
    }
}

/// `Raven/Restore/Status` and `Raven/FileSystem/Restore/Status/{fs}` (§6.1).
///
/// Reading it (through serde or [`RestoreStatus::from_value`]) also
/// recognises the wrapped `{"restoreStatus":{…}}` form written by the
/// "no database name" 400 path (§5.3 step 4): the inner object is read and
/// `wrapped` is set. Such a document means that restore attempt failed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "Value", rename_all = "PascalCase")]
pub struct RestoreStatus {
    /// `None` when the field is missing, null or empty (early 3.0 wrote
    /// only `Messages`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<RestoreState>,
    /// The ordered log, plain strings.
    pub messages: Vec<String>,
    /// True if the document had the `{"restoreStatus":{…}}` wrapper.
    #[serde(skip)]
    pub wrapped: bool,
}

impl RestoreStatus {
    /// Reads a status document (a `GET /docs/…` body or one `Results` entry
    /// of `POST /queries`), recognising the wrapped quirk.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let Value::Object(map) = v else {
            return Err(format!("a restore status must be a JSON object, not {v}"));
        };
        let has_own = map.contains_key("State") || map.contains_key("Messages");
        if !has_own {
            let inner = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("restoreStatus"))
                .map(|(_, v)| v);
            if let Some(inner @ Value::Object(_)) = inner {
                let mut status = RestoreStatus::from_value(inner)?;
                status.wrapped = true;
                return Ok(status);
            }
        }
        let state = map.get("State").and_then(RestoreState::from_value);
        let messages = match map.get("Messages") {
            Some(Value::Array(items)) => items.iter().filter_map(value_text).collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        Ok(RestoreStatus {
            state,
            messages,
            wrapped: false,
        })
    }
}

impl TryFrom<Value> for RestoreStatus {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        RestoreStatus::from_value(&v)
    }
}

/// `Raven/Restore/InProgress` (§6.2): present while a restore runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RestoreInProgress {
    /// Name of the database or file system being restored.
    #[serde(deserialize_with = "lenient_string")]
    pub resource: String,
}

// ---------------------------------------------------------------------------
// Operations (§7)
// ---------------------------------------------------------------------------

/// The `State` member of an operation state (§7.2): `null`, `{}`,
/// `{"Error":…}` (3.0), `{"Progress":…}` / `{"Progress":…,"Error":…}`
/// (3.5 backup). Anything else is tolerated: other members land in
/// `extra`, a non-object value in `extra["Value"]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationStateDetail {
    /// Current progress line (3.5 backups).
    pub progress: Option<String>,
    /// Error text of a failed operation.
    pub error: Option<String>,
    /// Other members, kept.
    pub extra: Map<String, Value>,
}

impl Serialize for OperationStateDetail {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = self.extra.clone();
        if let Some(p) = &self.progress {
            map.insert("Progress".into(), Value::String(p.clone()));
        }
        if let Some(e) = &self.error {
            map.insert("Error".into(), Value::String(e.clone()));
        }
        map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for OperationStateDetail {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let mut detail = OperationStateDetail::default();
        match Value::deserialize(de)? {
            Value::Object(map) => {
                for (k, v) in map {
                    match k.as_str() {
                        "Progress" => detail.progress = value_text(&v),
                        "Error" => detail.error = error_text(&v),
                        _ => {
                            detail.extra.insert(k, v);
                        }
                    }
                }
            }
            Value::Null => {}
            other => {
                detail.extra.insert("Value".into(), other);
            }
        }
        Ok(detail)
    }
}

/// The readable text of an error value: a string, or the `Message` of an
/// object, else its JSON text.
fn error_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(map) => map
            .get("Message")
            .or_else(|| map.get("message"))
            .and_then(value_text)
            .or_else(|| Some(v.to_string())),
        other => value_text(other),
    }
}

/// `GET /operation/status?id=` (and `/operation/kill`) answer (§7.2):
/// 3.0 `{Completed,Faulted,State}`, 3.5 `{Exception,Completed,Faulted,
/// Canceled,State}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationState {
    /// The operation has ended (success, failure or cancellation).
    #[serde(deserialize_with = "lenient_bool")]
    pub completed: bool,
    /// The operation failed.
    #[serde(deserialize_with = "lenient_bool")]
    pub faulted: bool,
    /// 3.5 only: the operation was canceled.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled: Option<bool>,
    /// 3.5 only: the serialized .NET exception; its exact shape is unknown
    /// (§15.1), so it stays opaque.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<Value>,
    /// Class-specific state; `None` when `null`.
    pub state: Option<OperationStateDetail>,
}

impl OperationState {
    /// `Exception.Message` if present, else the exception itself when it is
    /// a string, else `None`.
    pub fn exception_message(&self) -> Option<String> {
        match self.exception.as_ref()? {
            Value::Object(map) => map
                .get("Message")
                .or_else(|| map.get("message"))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string),
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    /// The longer exception text worth keeping behind a "details" toggle:
    /// `StackTraceString` of an object, or a string exception.
    pub fn exception_details(&self) -> Option<String> {
        match self.exception.as_ref()? {
            Value::Object(map) => map
                .get("StackTraceString")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string),
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    /// `State.Error`, when not empty.
    pub fn state_error(&self) -> Option<&str> {
        self.state
            .as_ref()?
            .error
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }

    /// `State.Progress`, when not empty (3.5 backups).
    pub fn progress(&self) -> Option<&str> {
        self.state
            .as_ref()?
            .progress
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }

    /// True when `Canceled` is true.
    pub fn is_canceled(&self) -> bool {
        self.canceled == Some(true)
    }

    /// True when the operation will not change any more.
    pub fn is_terminal(&self) -> bool {
        self.completed || self.faulted || self.is_canceled()
    }
}

/// One item of `GET /operations` (§7.4), 3.0 shape
/// `{Id,Payload,TaskType,StartTime,TaskStatus,Exception}` or 3.5 shape
/// `{Id,TaskType,Description,StartTime,Status,Completed,Faulted,Canceled,
/// Exception,Killable}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OperationsListItem {
    /// Operation id (per database task list, §7.1).
    pub id: i64,
    /// Task type name (`BackupDatabase`, `RestoreDatabase`, …).
    #[serde(deserialize_with = "lenient_opt_string")]
    pub task_type: Option<String>,
    /// 3.0: the description.
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payload: Option<String>,
    /// 3.5: the description.
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Start time (ISO string).
    #[serde(deserialize_with = "lenient_opt_string")]
    pub start_time: Option<String>,
    /// 3.0: .NET `TaskStatus` name.
    #[serde(
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_status: Option<String>,
    /// 3.5: the operation's state object (`{"Progress":…}` for backups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// 3.5: ended.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed: Option<bool>,
    /// 3.5: failed.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub faulted: Option<bool>,
    /// 3.5: canceled.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled: Option<bool>,
    /// The exception, opaque (§15.1).
    pub exception: Option<Value>,
    /// 3.5: can be canceled with `/operation/kill`.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub killable: Option<bool>,
}

impl OperationsListItem {
    /// `Description` (3.5) or `Payload` (3.0).
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref().or(self.payload.as_deref())
    }

    /// The progress line of a 3.5 item (`Status.Progress`).
    pub fn progress(&self) -> Option<String> {
        match self.status.as_ref()? {
            Value::Object(map) => map.get("Progress").and_then(value_text),
            _ => None,
        }
    }

    /// The state, normalized across the 3.0 and 3.5 shapes.
    pub fn run_state(&self) -> OperationRunState {
        if self.completed.is_some() || self.faulted.is_some() || self.canceled.is_some() {
            if self.faulted == Some(true) {
                return OperationRunState::Faulted;
            }
            if self.canceled == Some(true) {
                return OperationRunState::Canceled;
            }
            return if self.completed == Some(true) {
                OperationRunState::Succeeded
            } else {
                OperationRunState::Running
            };
        }
        match self.task_status.as_deref() {
            Some(
                "Running"
                | "WaitingForActivation"
                | "WaitingToRun"
                | "Created"
                | "WaitingForChildrenToComplete",
            ) => OperationRunState::Running,
            Some("RanToCompletion") => OperationRunState::Succeeded,
            Some("Faulted") => OperationRunState::Faulted,
            Some("Canceled") => OperationRunState::Canceled,
            _ => OperationRunState::Unknown,
        }
    }
}

/// `{"OperationId": n}` of a 3.5 backup or any restore (§3.5, §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationIdResponse {
    /// The operation id, in the system database's task list.
    pub operation_id: i64,
}
