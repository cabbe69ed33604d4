//! Serde wire types of the RavenDB 3.0 / 3.5 backup and restore protocol
//! (`docs/protocol/ravendb-3x.md`, cited as §n).
//!
//! Field names are PascalCase exactly as the server writes them (§2.4).
//! Reading is lenient everywhere: unknown fields are ignored (or kept, for
//! documents we send back), missing optional fields default, `null` where a
//! list or a flag is expected reads as empty / false, and enums tolerate
//! values we do not know. Dates stay strings (seven fractional digits,
//! §2.4); [`parse_iso_ms`] turns them into milliseconds when needed.

use super::lenient::*;
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// Lenient field readers
// ---------------------------------------------------------------------------

/// Reads a value of `T` from JSON, for the helpers that take `&Value`.
fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(v)
}

// ---------------------------------------------------------------------------
// Database / file-system documents and backup requests (§3.2, §9.2, §10)
// ---------------------------------------------------------------------------

/// The configuration document of a database (§9.2): `GET /admin/databases/{db}`
/// returns it with **decrypted** secured settings. Unknown fields are kept in
/// `extra` so that sending it back (in a backup request) loses nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DatabaseDocument {
    /// Short name of the database; `null` in stored form and allowed in a
    /// backup request.
    #[serde(rename = "Id", default, deserialize_with = "lenient_opt_string")]
    pub id: Option<String>,
    /// Plain settings (`Raven/DataDir`, `Raven/ActiveBundles`, …).
    #[serde(rename = "Settings", default, deserialize_with = "lenient_string_map")]
    pub settings: BTreeMap<String, String>,
    /// Secured settings; plain text when read through the admin endpoint.
    /// They end up in the backup in plain text (§3.3 security note).
    #[serde(
        rename = "SecuredSettings",
        default,
        deserialize_with = "lenient_string_map"
    )]
    pub secured_settings: BTreeMap<String, String>,
    /// Whether the database is disabled.
    #[serde(rename = "Disabled", default, deserialize_with = "lenient_bool")]
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
pub struct DatabaseBackupRequest {
    /// Server-side destination folder.
    #[serde(
        rename = "BackupLocation",
        default,
        deserialize_with = "lenient_string"
    )]
    pub backup_location: String,
    /// The document stored in the backup as `Database.Document`.
    #[serde(rename = "DatabaseDocument", default)]
    pub database_document: Option<DatabaseDocument>,
}

/// Body of `POST /fs/{fs}/admin/backup` (§10). `FileSystemDocument` is
/// always written, as `null` when `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FilesystemBackupRequest {
    /// Server-side destination folder.
    #[serde(
        rename = "BackupLocation",
        default,
        deserialize_with = "lenient_string"
    )]
    pub backup_location: String,
    /// The file system's document, or `None` to let the server load it.
    #[serde(rename = "FileSystemDocument", default)]
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
pub struct DatabaseRestoreRequest {
    /// Name of the new database; `None` = the `Id` of the backup's
    /// `Database.Document`.
    #[serde(
        rename = "DatabaseName",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub database_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(
        rename = "BackupLocation",
        default,
        deserialize_with = "lenient_string"
    )]
    pub backup_location: String,
    /// Index folder; `None` = `<DatabaseLocation>/Indexes`.
    #[serde(
        rename = "IndexesLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub indexes_location: Option<String>,
    /// Seconds to wait for another restore to finish; `None` = fail at once
    /// with 503 (§5.3 step 9).
    #[serde(rename = "RestoreStartTimeout", default)]
    pub restore_start_timeout: Option<i32>,
    /// Data folder of the new database; `None` = `~/{name}` (§5.4).
    #[serde(
        rename = "DatabaseLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub database_location: Option<String>,
    /// Esent defragmentation (the `defrag` query parameter overrides it).
    #[serde(rename = "Defrag", default, deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Voron journals / Esent logs folder.
    #[serde(
        rename = "JournalsLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub journals_location: Option<String>,
    /// Late 3.0 and 3.5: restore with replication destinations disabled.
    /// Omitted from the JSON when `None`.
    #[serde(
        rename = "DisableReplicationDestinations",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_replication_destinations: Option<bool>,
    /// Late 3.0 and 3.5: give the restored database a new id.
    /// Omitted from the JSON when `None`.
    #[serde(
        rename = "GenerateNewDatabaseId",
        default,
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

    /// Removes the two late fields, giving the early-3.0 subset.
    pub fn early_subset(mut self) -> Self {
        self.disable_replication_destinations = None;
        self.generate_new_database_id = None;
        self
    }
}

/// Body of the file-system restore (§10): the common restore fields plus
/// `FilesystemName` and `FilesystemLocation`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FilesystemRestoreRequest {
    /// Name of the new file system; `None` = from `Filesystem.Document`.
    #[serde(
        rename = "FilesystemName",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub filesystem_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(
        rename = "BackupLocation",
        default,
        deserialize_with = "lenient_string"
    )]
    pub backup_location: String,
    /// Data folder of the new file system.
    #[serde(
        rename = "FilesystemLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub filesystem_location: Option<String>,
    /// Index folder.
    #[serde(
        rename = "IndexesLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub indexes_location: Option<String>,
    /// Journals / logs folder.
    #[serde(
        rename = "JournalsLocation",
        default,
        deserialize_with = "lenient_opt_string"
    )]
    pub journals_location: Option<String>,
    /// Esent defragmentation.
    #[serde(rename = "Defrag", default, deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Seconds to wait for another restore to finish.
    #[serde(rename = "RestoreStartTimeout", default)]
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
pub struct BackupMessage {
    /// The text.
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    pub message: String,
    /// Full exception text on errors (late 3.0 and 3.5; absent before).
    #[serde(rename = "Details", default, deserialize_with = "lenient_opt_string")]
    pub details: Option<String>,
    /// UTC time, 7-digit ISO string.
    #[serde(rename = "Timestamp", default, deserialize_with = "lenient_opt_string")]
    pub timestamp: Option<String>,
    /// `Informational` or `Error`.
    #[serde(rename = "Severity", default)]
    pub severity: Severity,
}

/// The `Raven/Backup/Status` document (§4.1), also the FS backup status
/// configuration item (§10).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BackupStatus {
    /// UTC start of the run.
    #[serde(rename = "Started", default, deserialize_with = "lenient_opt_string")]
    pub started: Option<String>,
    /// Set when the run ends (success or failure).
    #[serde(rename = "Completed", default, deserialize_with = "lenient_opt_string")]
    pub completed: Option<String>,
    /// `false` once the run has finished.
    #[serde(rename = "IsRunning", default, deserialize_with = "lenient_bool")]
    pub is_running: bool,
    /// 3.5 only: true if neither faulted nor canceled. `None` in 3.0.
    #[serde(
        rename = "Success",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub success: Option<bool>,
    /// The ordered log.
    #[serde(rename = "Messages", default, deserialize_with = "null_as_default")]
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
#[serde(try_from = "Value")]
pub struct RestoreStatus {
    /// `None` when the field is missing, null or empty (early 3.0 wrote
    /// only `Messages`).
    #[serde(rename = "State", skip_serializing_if = "Option::is_none")]
    pub state: Option<RestoreState>,
    /// The ordered log, plain strings.
    #[serde(rename = "Messages")]
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
pub struct RestoreInProgress {
    /// Name of the database or file system being restored.
    #[serde(rename = "Resource", default, deserialize_with = "lenient_string")]
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
pub struct OperationState {
    /// The operation has ended (success, failure or cancellation).
    #[serde(rename = "Completed", default, deserialize_with = "lenient_bool")]
    pub completed: bool,
    /// The operation failed.
    #[serde(rename = "Faulted", default, deserialize_with = "lenient_bool")]
    pub faulted: bool,
    /// 3.5 only: the operation was canceled.
    #[serde(
        rename = "Canceled",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled: Option<bool>,
    /// 3.5 only: the serialized .NET exception; its exact shape is unknown
    /// (§15.1), so it stays opaque.
    #[serde(rename = "Exception", default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<Value>,
    /// Class-specific state; `None` when `null`.
    #[serde(rename = "State", default)]
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

/// A normalized operation state, whatever the version's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationRunState {
    /// Still running (or waiting to run).
    Running,
    /// Ran to completion.
    Succeeded,
    /// Failed.
    Faulted,
    /// Canceled.
    Canceled,
    /// The item does not say.
    Unknown,
}

/// One item of `GET /operations` (§7.4), 3.0 shape
/// `{Id,Payload,TaskType,StartTime,TaskStatus,Exception}` or 3.5 shape
/// `{Id,TaskType,Description,StartTime,Status,Completed,Faulted,Canceled,
/// Exception,Killable}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OperationsListItem {
    /// Operation id (per database task list, §7.1).
    #[serde(rename = "Id", default)]
    pub id: i64,
    /// Task type name (`BackupDatabase`, `RestoreDatabase`, …).
    #[serde(rename = "TaskType", default, deserialize_with = "lenient_opt_string")]
    pub task_type: Option<String>,
    /// 3.0: the description.
    #[serde(
        rename = "Payload",
        default,
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payload: Option<String>,
    /// 3.5: the description.
    #[serde(
        rename = "Description",
        default,
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Start time (ISO string).
    #[serde(rename = "StartTime", default, deserialize_with = "lenient_opt_string")]
    pub start_time: Option<String>,
    /// 3.0: .NET `TaskStatus` name.
    #[serde(
        rename = "TaskStatus",
        default,
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_status: Option<String>,
    /// 3.5: the operation's state object (`{"Progress":…}` for backups).
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// 3.5: ended.
    #[serde(
        rename = "Completed",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed: Option<bool>,
    /// 3.5: failed.
    #[serde(
        rename = "Faulted",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub faulted: Option<bool>,
    /// 3.5: canceled.
    #[serde(
        rename = "Canceled",
        default,
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled: Option<bool>,
    /// The exception, opaque (§15.1).
    #[serde(rename = "Exception", default)]
    pub exception: Option<Value>,
    /// 3.5: can be canceled with `/operation/kill`.
    #[serde(
        rename = "Killable",
        default,
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

// ---------------------------------------------------------------------------
// Related endpoints (§9)
// ---------------------------------------------------------------------------

/// One database of `GET /databases` (§9.1): a plain name, or the object of
/// `?getAdditionalData=true`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DatabaseListEntry {
    /// Database name.
    #[serde(rename = "Name", default, deserialize_with = "lenient_string")]
    pub name: String,
    /// Disabled flag (additional data only).
    #[serde(rename = "Disabled", default, deserialize_with = "lenient_opt_bool")]
    pub disabled: Option<bool>,
    /// Indexing disabled (additional data only).
    #[serde(
        rename = "IndexingDisabled",
        default,
        deserialize_with = "lenient_opt_bool"
    )]
    pub indexing_disabled: Option<bool>,
    /// Clients rejected (additional data only).
    #[serde(
        rename = "RejectClientsEnabled",
        default,
        deserialize_with = "lenient_opt_bool"
    )]
    pub reject_clients_enabled: Option<bool>,
    /// 3.5: cluster-wide database.
    #[serde(rename = "ClusterWide", default, deserialize_with = "lenient_opt_bool")]
    pub cluster_wide: Option<bool>,
    /// Active bundles (`Raven/ActiveBundles` split on `;`).
    #[serde(rename = "Bundles", default, deserialize_with = "lenient_string_list")]
    pub bundles: Vec<String>,
    /// The caller administers this database.
    #[serde(
        rename = "IsAdminCurrentTenant",
        default,
        deserialize_with = "lenient_opt_bool"
    )]
    pub is_admin_current_tenant: Option<bool>,
    /// 3.5: loaded in memory.
    #[serde(rename = "IsLoaded", default, deserialize_with = "lenient_opt_bool")]
    pub is_loaded: Option<bool>,
    /// 3.5: statistics, `null` when not loaded.
    #[serde(rename = "Stats", default)]
    pub stats: Option<Value>,
}

impl DatabaseListEntry {
    /// An entry that only has a name.
    pub fn named(name: impl Into<String>) -> Self {
        DatabaseListEntry {
            name: name.into(),
            ..Default::default()
        }
    }
}

/// Reads a `GET /databases` answer: an array of names, an array of
/// additional-data objects, or (4.x) `{"Databases":[…]}`. Items that are
/// neither a name nor an object with a `Name` are skipped.
pub fn parse_database_list(v: &Value) -> Vec<DatabaseListEntry> {
    let items = match v {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("Databases") {
            Some(Value::Array(items)) => items,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(name) => Some(DatabaseListEntry::named(name.clone())),
            Value::Object(_) => from_value::<DatabaseListEntry>(item)
                .ok()
                .filter(|e| !e.name.is_empty()),
            _ => None,
        })
        .collect()
}

/// `GET /build/version` (§9.3): `{"ProductVersion":"3.0.0 / 6dce79a",
/// "BuildVersion":"3260"}`; 4.x writes `BuildVersion` as a number and adds
/// `FullVersion` / `CommitHash`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BuildVersion {
    /// Product version text.
    #[serde(
        rename = "ProductVersion",
        default,
        deserialize_with = "lenient_string"
    )]
    pub product_version: String,
    /// Build number, as text (numbers are accepted).
    #[serde(rename = "BuildVersion", default, deserialize_with = "lenient_string")]
    pub build_version: String,
    /// 4.x: full version (`4.1.0`).
    #[serde(
        rename = "FullVersion",
        default,
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub full_version: Option<String>,
    /// 4.x: commit hash.
    #[serde(
        rename = "CommitHash",
        default,
        deserialize_with = "lenient_opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub commit_hash: Option<String>,
}

/// One entry of `UserInfo.Databases` (§9.4).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UserDatabaseAccess {
    /// Database name.
    #[serde(rename = "Database", default, deserialize_with = "lenient_string")]
    pub database: String,
    /// Admin of that database.
    #[serde(rename = "IsAdmin", default, deserialize_with = "lenient_bool")]
    pub is_admin: bool,
    /// Read-only access.
    #[serde(rename = "IsReadOnly", default, deserialize_with = "lenient_bool")]
    pub is_read_only: bool,
}

/// `GET /debug/user-info` (§9.4).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UserInfo {
    /// `Using anonymous user` / `Using windows auth` / `Using OAuth`.
    #[serde(rename = "Remark", default, deserialize_with = "lenient_opt_string")]
    pub remark: Option<String>,
    /// User name.
    #[serde(rename = "User", default, deserialize_with = "lenient_opt_string")]
    pub user: Option<String>,
    /// Server administrator (needed for restore, §12.2).
    #[serde(rename = "IsAdminGlobal", default, deserialize_with = "lenient_bool")]
    pub is_admin_global: bool,
    /// Admin of the database the request was sent to.
    #[serde(
        rename = "IsAdminCurrentDb",
        default,
        deserialize_with = "lenient_opt_bool"
    )]
    pub is_admin_current_db: Option<bool>,
    /// Per-database access.
    #[serde(rename = "Databases", default, deserialize_with = "null_as_default")]
    pub databases: Vec<UserDatabaseAccess>,
    /// Databases administered.
    #[serde(
        rename = "AdminDatabases",
        default,
        deserialize_with = "lenient_string_list"
    )]
    pub admin_databases: Vec<String>,
    /// Databases read only.
    #[serde(
        rename = "ReadOnlyDatabases",
        default,
        deserialize_with = "lenient_string_list"
    )]
    pub read_only_databases: Vec<String>,
    /// Databases read/write.
    #[serde(
        rename = "ReadWriteDatabases",
        default,
        deserialize_with = "lenient_string_list"
    )]
    pub read_write_databases: Vec<String>,
    /// Windows Backup Operators member (may back up, §2.6).
    #[serde(
        rename = "IsBackupOperator",
        default,
        deserialize_with = "lenient_opt_bool"
    )]
    pub is_backup_operator: Option<bool>,
    /// OAuth token body, opaque.
    #[serde(rename = "AccessTokenBody", default)]
    pub access_token_body: Option<Value>,
}

impl UserInfo {
    /// May this user back up `database` (`None` = the system database)?
    /// Server admins and backup operators may back up everything; a database
    /// admin may back up that database (§2.6 step 3).
    pub fn can_backup(&self, database: Option<&str>) -> bool {
        if self.is_admin_global || self.is_backup_operator == Some(true) {
            return true;
        }
        match database {
            None => false,
            Some(db) => {
                self.admin_databases.iter().any(|d| d == db || d == "*")
                    || self
                        .databases
                        .iter()
                        .any(|d| d.is_admin && (d.database == db || d.database == "*"))
            }
        }
    }
}

/// `{"OperationId": n}` of a 3.5 backup or any restore (§3.5, §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OperationIdResponse {
    /// The operation id, in the system database's task list.
    #[serde(rename = "OperationId")]
    pub operation_id: i64,
}

/// `POST /queries` answer (§4.3, E15): `Results` holds one entry per
/// requested id (`null` for a missing one, or nothing at all depending on
/// the `Raven-Client-Version` header); `Includes` is `[]` (3.x).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MultiLoadResponse {
    /// The documents, with their `@metadata`.
    #[serde(rename = "Results", default, deserialize_with = "null_as_default")]
    pub results: Vec<Option<Value>>,
    /// Included documents (unused here).
    #[serde(rename = "Includes", default)]
    pub includes: Value,
}

impl MultiLoadResponse {
    /// The document at `index`, or `None` if it is missing (`null` or the
    /// list is shorter).
    pub fn document(&self, index: usize) -> Option<&Value> {
        self.results.get(index)?.as_ref().filter(|v| !v.is_null())
    }
}

// ---------------------------------------------------------------------------
// Dates (§2.4)
// ---------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Reads exactly `n` ASCII digits at `*pos`.
fn take_digits(b: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let digits = b.get(*pos..*pos + n)?;
    let mut value = 0u32;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(c - b'0');
    }
    *pos += n;
    Some(value)
}

/// The civil date (year, month, day) of a day count since 1970-01-01
/// (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// An epoch-ms time as RavenDB writes its UTC times
/// (`2016-05-10T12:00:00.1230000Z`, 7 fractional digits); `None` for a
/// time that is not finite. [`parse_iso_ms`] reads it back.
pub fn format_iso_ms(ms: f64) -> Option<String> {
    if !ms.is_finite() {
        return None;
    }
    let ms = ms.floor() as i64;
    let (y, mo, d) = civil_from_days(ms.div_euclid(86_400_000));
    let of_day = ms.rem_euclid(86_400_000);
    let (secs, millis) = (of_day / 1000, of_day % 1000);
    Some(format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}0000Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    ))
}

/// Milliseconds since the Unix epoch of an ISO-8601 date-time as RavenDB
/// writes it (`2016-05-10T12:00:00.1234567Z`, §2.4): 0 to 7 (or more)
/// fractional digits, a `Z`, a `±HH:MM` / `±HHMM` / `±HH` offset, or no
/// zone (read as UTC). A date alone means midnight UTC. `None` if the text
/// is not such a date.
pub fn parse_iso_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let mut pos = 0;
    let year = i64::from(take_digits(b, &mut pos, 4)?);
    if b.get(pos) != Some(&b'-') {
        return None;
    }
    pos += 1;
    let month = take_digits(b, &mut pos, 2)?;
    if b.get(pos) != Some(&b'-') {
        return None;
    }
    pos += 1;
    let day = take_digits(b, &mut pos, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    if pos == b.len() {
        return Some(ms);
    }
    if !matches!(b[pos], b'T' | b't' | b' ') {
        return None;
    }
    pos += 1;
    let hour = take_digits(b, &mut pos, 2)?;
    if b.get(pos) != Some(&b':') {
        return None;
    }
    pos += 1;
    let minute = take_digits(b, &mut pos, 2)?;
    let mut second = 0;
    if b.get(pos) == Some(&b':') {
        pos += 1;
        second = take_digits(b, &mut pos, 2)?;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    ms += f64::from(hour * 3_600_000 + minute * 60_000 + second * 1000);
    if matches!(b.get(pos), Some(b'.' | b',')) {
        pos += 1;
        let start = pos;
        let mut scale = 100.0;
        while let Some(c) = b.get(pos).filter(|c| c.is_ascii_digit()) {
            ms += f64::from(c - b'0') * scale;
            scale /= 10.0;
            pos += 1;
        }
        if pos == start {
            return None;
        }
    }
    match b.get(pos) {
        None => Some(ms),
        Some(b'Z' | b'z') if pos + 1 == b.len() => Some(ms),
        Some(&sign @ (b'+' | b'-')) => {
            pos += 1;
            let oh = take_digits(b, &mut pos, 2)?;
            if b.get(pos) == Some(&b':') {
                pos += 1;
            }
            let om = if pos < b.len() {
                take_digits(b, &mut pos, 2)?
            } else {
                0
            };
            if pos != b.len() || oh > 23 || om > 59 {
                return None;
            }
            let offset = f64::from(oh * 3_600_000 + om * 60_000);
            Some(if sign == b'+' {
                ms - offset
            } else {
                ms + offset
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roundtrip<T: DeserializeOwned + Serialize>(text: &str) -> (T, Value) {
        let original: Value = serde_json::from_str(text).expect("valid JSON");
        let parsed: T = serde_json::from_str(text).expect("parses");
        let again = serde_json::to_value(&parsed).expect("serializes");
        assert_eq!(again, original, "round trip of {text}");
        (parsed, again)
    }

    #[test]
    fn seed_backup_request_round_trips() {
        let text = r#"{"BackupLocation":"c:\\temp\\backup\\Northwind\\","DatabaseDocument":{"SecuredSettings":{},"Settings":{},"Disabled":false,"Id":null}}"#;
        let (req, _) = roundtrip::<DatabaseBackupRequest>(text);
        assert_eq!(req.backup_location, "c:\\temp\\backup\\Northwind\\");
        let doc = req.database_document.expect("document");
        assert_eq!(doc.id, None);
        assert!(!doc.disabled);
    }

    #[test]
    fn seed_restore_request_round_trips_as_the_early_subset() {
        let text = r#"{"DatabaseName":"NewNorthwind","BackupLocation":"c:\\temp\\backup\\Northwind\\","IndexesLocation":null,"RestoreStartTimeout":null,"DatabaseLocation":"~\\Databases\\NewNorthwind\\","Defrag":false,"JournalsLocation":null}"#;
        let (req, again) = roundtrip::<DatabaseRestoreRequest>(text);
        assert_eq!(req.database_name.as_deref(), Some("NewNorthwind"));
        assert_eq!(
            req.database_location.as_deref(),
            Some("~\\Databases\\NewNorthwind\\")
        );
        assert!(again.get("DisableReplicationDestinations").is_none());
        assert!(again.get("GenerateNewDatabaseId").is_none());
    }

    #[test]
    fn restore_request_full_35_set_matches_the_worked_example() {
        // §5.6
        let example = json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseName":"Northwind2",
            "DatabaseLocation":null,"IndexesLocation":null,"JournalsLocation":null,
            "Defrag":false,"RestoreStartTimeout":null,
            "DisableReplicationDestinations":false,"GenerateNewDatabaseId":false});
        let req = DatabaseRestoreRequest {
            database_name: Some("Northwind2".into()),
            backup_location: "C:\\Backups\\Northwind".into(),
            ..Default::default()
        }
        .with_late_options(false, false);
        assert_eq!(serde_json::to_value(&req).unwrap(), example);
        let parsed: DatabaseRestoreRequest = serde_json::from_value(example).unwrap();
        assert_eq!(parsed, req);
        let early = serde_json::to_value(parsed.early_subset()).unwrap();
        assert!(early.get("GenerateNewDatabaseId").is_none());
        assert_eq!(early["RestoreStartTimeout"], Value::Null);
    }

    #[test]
    fn restore_request_ignores_the_obsolete_restore_location() {
        let req: DatabaseRestoreRequest = serde_json::from_value(json!({
            "BackupLocation": "C:\\b", "RestoreLocation": "C:\\b", "DatabaseName": "X"
        }))
        .unwrap();
        assert_eq!(req.backup_location, "C:\\b");
        assert!(serde_json::to_value(&req)
            .unwrap()
            .get("RestoreLocation")
            .is_none());
    }

    #[test]
    fn database_document_keeps_unknown_fields_and_reads_the_admin_example() {
        // §9.2
        let text = r#"{"Id": "Northwind",
 "Settings": {"Raven/DataDir": "~\\Databases\\Northwind",
              "Raven/ActiveBundles": "Replication;Versioning"},
 "SecuredSettings": {"Raven/Encryption/Key": "<plain base64>"},
 "Disabled": false, "@metadata": {"@etag": "01"}}"#;
        let (doc, _) = roundtrip::<DatabaseDocument>(text);
        assert_eq!(doc.id.as_deref(), Some("Northwind"));
        assert_eq!(
            doc.settings["Raven/ActiveBundles"],
            "Replication;Versioning"
        );
        assert_eq!(
            doc.secured_settings["Raven/Encryption/Key"],
            "<plain base64>"
        );
        assert!(doc.extra.contains_key("@metadata"));
    }

    #[test]
    fn database_document_tolerates_missing_and_odd_fields() {
        let doc: DatabaseDocument = serde_json::from_value(
            json!({"Settings": {"A": null, "B": 3}, "SecuredSettings": null}),
        )
        .unwrap();
        assert_eq!(doc.id, None);
        assert_eq!(doc.settings["A"], "");
        assert_eq!(doc.settings["B"], "3");
        assert!(doc.secured_settings.is_empty());
    }

    #[test]
    fn backup_request_with_no_document_writes_null() {
        // §3.8
        let req = DatabaseBackupRequest {
            backup_location: "C:\\Backups\\Northwind".into(),
            database_document: None,
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseDocument":null})
        );
        let fs = FilesystemBackupRequest {
            backup_location: "C:\\b".into(),
            file_system_document: None,
        };
        assert_eq!(
            serde_json::to_value(&fs).unwrap(),
            json!({"BackupLocation":"C:\\b","FileSystemDocument":null})
        );
    }

    #[test]
    fn filesystem_restore_request_fields() {
        let req = FilesystemRestoreRequest {
            filesystem_name: Some("Files2".into()),
            backup_location: "C:\\b".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(&req).unwrap();
        assert_eq!(
            v,
            json!({"FilesystemName":"Files2","BackupLocation":"C:\\b","FilesystemLocation":null,
                   "IndexesLocation":null,"JournalsLocation":null,"Defrag":false,
                   "RestoreStartTimeout":null})
        );
        let back: FilesystemRestoreRequest = serde_json::from_value(v).unwrap();
        assert_eq!(back, req);
    }

    #[test]
    fn backup_status_35_example() {
        // §4.1
        let text = r#"{
  "Started": "2016-05-10T12:00:00.1234567Z",
  "Completed": null,
  "IsRunning": true,
  "Success": false,
  "Messages": [
    {"Message": "Started backup process. Backing up data to directory = 'C:\\Backups\\Northwind'",
     "Details": null, "Timestamp": "2016-05-10T12:00:00.2000000Z", "Severity": "Informational"},
    {"Message": "Backing up indexes..", "Details": null,
     "Timestamp": "2016-05-10T12:00:00.3000000Z", "Severity": "Informational"}
  ]
}"#;
        let (status, _) = roundtrip::<BackupStatus>(text);
        assert!(status.is_running);
        assert_eq!(status.success, Some(false));
        assert_eq!(status.messages.len(), 2);
        assert_eq!(status.messages[1].message, "Backing up indexes..");
        assert!(status.last_error().is_none());
    }

    #[test]
    fn backup_status_early_30_without_success_and_details() {
        let status: BackupStatus = serde_json::from_value(json!({
            "Started": "2014-01-01T00:00:00.0000000Z", "Completed": "2014-01-01T00:00:01.0000000Z",
            "IsRunning": false,
            "Messages": [{"Message": "Failed to complete backup because: disk full",
                          "Timestamp": "2014-01-01T00:00:01.0000000Z", "Severity": "Error"},
                         {"Message": "odd", "Severity": "Verbose"}],
            "@metadata": {"@id": "Raven/Backup/Status"}
        }))
        .unwrap();
        assert_eq!(status.success, None);
        assert_eq!(status.messages[0].details, None);
        assert_eq!(
            status.messages[1].severity,
            Severity::Other("Verbose".into())
        );
        assert_eq!(
            status.last_error().unwrap().message,
            "Failed to complete backup because: disk full"
        );
        // No Success field is written back for 3.0.
        assert!(serde_json::to_value(&status)
            .unwrap()
            .get("Success")
            .is_none());
    }

    #[test]
    fn severity_tolerates_numbers_and_null() {
        let m: Vec<BackupMessage> = serde_json::from_value(json!([
            {"Message": "a", "Severity": 1}, {"Message": "b", "Severity": null}, {"Message": "c"}
        ]))
        .unwrap();
        assert_eq!(m[0].severity, Severity::Error);
        assert_eq!(m[1].severity, Severity::Informational);
        assert_eq!(m[2].severity, Severity::Informational);
        assert_eq!(
            serde_json::to_value(&Severity::Error).unwrap(),
            json!("Error")
        );
    }

    #[test]
    fn restore_status_example_and_early_30() {
        // §6.1
        let s: RestoreStatus = serde_json::from_str(
            r#"{"State": "Running", "Messages": ["Copying C:\\...\\Indexes\\1\\segments.gen", "..."]}"#,
        )
        .unwrap();
        assert_eq!(s.state, Some(RestoreState::Running));
        assert_eq!(s.messages.len(), 2);
        assert!(!s.wrapped);
        let early: RestoreStatus =
            serde_json::from_value(json!({"Messages": ["The new database was created"]})).unwrap();
        assert_eq!(early.state, None);
        let empty: RestoreStatus =
            serde_json::from_value(json!({"State": "", "Messages": null})).unwrap();
        assert_eq!(empty.state, None);
        assert!(empty.messages.is_empty());
        let v = serde_json::to_value(&early).unwrap();
        assert_eq!(v, json!({"Messages": ["The new database was created"]}));
        let faulted: RestoreStatus =
            serde_json::from_value(json!({"State": "Faulted", "Messages": []})).unwrap();
        assert_eq!(faulted.state, Some(RestoreState::Faulted));
    }

    #[test]
    fn restore_status_wrapped_quirk_is_recognised() {
        // §5.3 step 4
        let text = "Database.Document file is invalid - database name was not found and not supplied in the request (Id property is missing or null). This is probably a bug - should never happen.";
        let v = json!({"restoreStatus": {"State": "Running", "Messages": [text]}});
        let s = RestoreStatus::from_value(&v).unwrap();
        assert!(s.wrapped);
        assert_eq!(s.state, Some(RestoreState::Running));
        assert_eq!(s.messages, vec![text.to_string()]);
        let via_serde: RestoreStatus = serde_json::from_value(v).unwrap();
        assert_eq!(via_serde, s);
        assert!(RestoreStatus::from_value(&json!([1])).is_err());
    }

    #[test]
    fn restore_in_progress() {
        let (r, _) = roundtrip::<RestoreInProgress>(r#"{"Resource": "Northwind2"}"#);
        assert_eq!(r.resource, "Northwind2");
    }

    #[test]
    fn operation_state_30_shapes() {
        // §7.2, 3.0
        let running: OperationState =
            serde_json::from_str(r#"{"Completed": false, "Faulted": false, "State": null}"#)
                .unwrap();
        assert!(!running.is_terminal());
        assert_eq!(running.canceled, None);
        assert_eq!(running.state, None);
        let done: OperationState =
            serde_json::from_str(r#"{"Completed": true,  "Faulted": false, "State": null}"#)
                .unwrap();
        assert!(done.is_terminal() && !done.faulted);
        let failed: OperationState = serde_json::from_str(
            r#"{"Completed": true,  "Faulted": true,  "State": {"Error": "<inner exception message>"}}"#,
        )
        .unwrap();
        assert_eq!(failed.state_error(), Some("<inner exception message>"));
        assert_eq!(failed.exception_message(), None);
        let v = serde_json::to_value(&running).unwrap();
        assert_eq!(
            v,
            json!({"Completed": false, "Faulted": false, "State": null})
        );
    }

    #[test]
    fn operation_state_35_restore_shapes() {
        // §7.2, 3.5 restore
        let running: OperationState = serde_json::from_str(
            r#"{"Exception": null, "Completed": false, "Faulted": false, "Canceled": false, "State": null}"#,
        )
        .unwrap();
        assert_eq!(running.canceled, Some(false));
        assert!(!running.is_terminal());
        let failed: OperationState = serde_json::from_value(json!({
            "Exception": {"ClassName": "System.IO.DirectoryNotFoundException",
                          "Message": "Could not find a part of the path 'C:\\x'.",
                          "StackTraceString": "   at System.IO..."},
            "Completed": true, "Faulted": true, "Canceled": false, "State": {}
        }))
        .unwrap();
        assert_eq!(failed.state, Some(OperationStateDetail::default()));
        assert_eq!(failed.state_error(), None);
        assert_eq!(
            failed.exception_message().as_deref(),
            Some("Could not find a part of the path 'C:\\x'.")
        );
        assert_eq!(
            failed.exception_details().as_deref(),
            Some("   at System.IO...")
        );
        let as_string: OperationState = serde_json::from_value(
            json!({"Completed": true, "Faulted": true, "Exception": "boom"}),
        )
        .unwrap();
        assert_eq!(as_string.exception_message().as_deref(), Some("boom"));
        let opaque: OperationState =
            serde_json::from_value(json!({"Completed": true, "Faulted": true, "Exception": 42}))
                .unwrap();
        assert_eq!(opaque.exception_message(), None);
    }

    #[test]
    fn operation_state_35_backup_shapes() {
        // §7.2, 3.5 backup
        let running: OperationState = serde_json::from_str(
            r#"{"Completed": false, "Faulted": false, "Canceled": false,
 "State": {"Progress": "Backing up indexes.."}, "Exception": null}"#,
        )
        .unwrap();
        assert_eq!(running.progress(), Some("Backing up indexes.."));
        let ok: OperationState =
            serde_json::from_value(json!({"Completed": true, "Faulted": false,
            "Canceled": false, "State": {"Progress": null}, "Exception": null}))
            .unwrap();
        assert!(ok.is_terminal() && ok.progress().is_none());
        let failed: OperationState = serde_json::from_value(json!({"Completed": true, "Faulted": true,
            "Canceled": false, "State": {"Progress": null, "Error": "Failed to complete backup because: x"},
            "Exception": null}))
        .unwrap();
        assert_eq!(
            failed.state_error(),
            Some("Failed to complete backup because: x")
        );
        let canceled: OperationState =
            serde_json::from_value(json!({"Completed": true, "Faulted": false,
            "Canceled": true, "State": {"Progress": null, "Error": null}, "Exception": null}))
            .unwrap();
        assert!(canceled.is_canceled());
        let odd: OperationState =
            serde_json::from_value(json!({"Completed": "true", "State": "weird", "Extra": 1}))
                .unwrap();
        assert!(odd.completed);
        assert_eq!(odd.state.unwrap().extra["Value"], json!("weird"));
    }

    #[test]
    fn operations_list_items_both_shapes() {
        // §7.4
        let v30: OperationsListItem = serde_json::from_str(
            r#"{"Id": 3, "Payload": "Restoring database Northwind2 from C:\\Backups\\Northwind",
 "TaskType": "RestoreDatabase", "StartTime": "2016-05-10T12:00:00.0000000Z",
 "TaskStatus": "Running", "Exception": null}"#,
        )
        .unwrap();
        assert_eq!(v30.id, 3);
        assert_eq!(
            v30.description(),
            Some("Restoring database Northwind2 from C:\\Backups\\Northwind")
        );
        assert_eq!(v30.run_state(), OperationRunState::Running);
        let v35: OperationsListItem = serde_json::from_str(
            r#"{"Id": 7, "TaskType": "BackupDatabase", "Description": "Backup to: C:\\Backups\\Northwind",
 "StartTime": "2016-05-10T12:00:00.0000000Z",
 "Status": {"Progress": "Backing up indexes.."},
 "Completed": false, "Faulted": false, "Canceled": false,
 "Exception": null, "Killable": true}"#,
        )
        .unwrap();
        assert_eq!(v35.description(), Some("Backup to: C:\\Backups\\Northwind"));
        assert_eq!(v35.progress().as_deref(), Some("Backing up indexes.."));
        assert_eq!(v35.run_state(), OperationRunState::Running);
        assert_eq!(v35.killable, Some(true));
        let states = [
            (
                json!({"Id":1,"TaskStatus":"RanToCompletion"}),
                OperationRunState::Succeeded,
            ),
            (
                json!({"Id":1,"TaskStatus":"Faulted"}),
                OperationRunState::Faulted,
            ),
            (
                json!({"Id":1,"TaskStatus":"Canceled"}),
                OperationRunState::Canceled,
            ),
            (
                json!({"Id":1,"TaskStatus":"WaitingForActivation"}),
                OperationRunState::Running,
            ),
            (json!({"Id":1}), OperationRunState::Unknown),
            (
                json!({"Id":1,"Completed":true,"Faulted":false}),
                OperationRunState::Succeeded,
            ),
            (
                json!({"Id":1,"Completed":true,"Faulted":true}),
                OperationRunState::Faulted,
            ),
            (
                json!({"Id":1,"Completed":true,"Canceled":true}),
                OperationRunState::Canceled,
            ),
        ];
        for (v, expected) in states {
            let item: OperationsListItem = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(item.run_state(), expected, "{v}");
        }
    }

    #[test]
    fn database_lists_of_names_and_of_objects() {
        // §9.1
        let names = parse_database_list(&json!(["Northwind", "Orders"]));
        assert_eq!(
            names,
            vec![
                DatabaseListEntry::named("Northwind"),
                DatabaseListEntry::named("Orders")
            ]
        );
        let rich = parse_database_list(&json!([
            {"Name": "Northwind", "Disabled": false, "IndexingDisabled": false,
             "RejectClientsEnabled": false, "ClusterWide": false,
             "Bundles": ["Replication", "Versioning"], "IsAdminCurrentTenant": true,
             "IsLoaded": true, "Stats": null},
            {"Name": "Orders", "Disabled": true, "Bundles": null},
            {"NoName": 1}, 7
        ]));
        assert_eq!(rich.len(), 2);
        assert_eq!(rich[0].bundles, vec!["Replication", "Versioning"]);
        assert_eq!(rich[0].is_loaded, Some(true));
        assert_eq!(rich[1].disabled, Some(true));
        assert!(rich[1].bundles.is_empty());
        let v4 = parse_database_list(&json!({"Databases": [{"Name": "Test", "Disabled": false}]}));
        assert_eq!(v4[0].name, "Test");
        assert!(parse_database_list(&json!("nope")).is_empty());
    }

    #[test]
    fn build_version_strings_and_numbers() {
        // §9.3
        let (v, _) = roundtrip::<BuildVersion>(
            r#"{"ProductVersion":"3.0.0 / 6dce79a","BuildVersion":"3260"}"#,
        );
        assert_eq!(v.build_version, "3260");
        let v4: BuildVersion = serde_json::from_str(
            r#"{"BuildVersion":41001,"ProductVersion":"4.1","CommitHash":"86e8830","FullVersion":"4.1.0"}"#,
        )
        .unwrap();
        assert_eq!(v4.build_version, "41001");
        assert_eq!(v4.full_version.as_deref(), Some("4.1.0"));
        let empty: BuildVersion = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.product_version, "");
    }

    #[test]
    fn user_info_example() {
        // §9.4
        let u: UserInfo = serde_json::from_value(json!({
            "Remark": "Using windows auth", "User": "DOMAIN\\bob", "IsAdminGlobal": false,
            "IsAdminCurrentDb": false,
            "Databases": [{"Database": "Northwind", "IsAdmin": true, "IsReadOnly": false}],
            "AdminDatabases": ["Northwind"], "ReadOnlyDatabases": [], "ReadWriteDatabases": null,
            "IsBackupOperator": false
        }))
        .unwrap();
        assert_eq!(u.user.as_deref(), Some("DOMAIN\\bob"));
        assert_eq!(u.databases[0].database, "Northwind");
        assert!(u.read_write_databases.is_empty());
        assert!(u.can_backup(Some("Northwind")));
        assert!(!u.can_backup(Some("Orders")));
        assert!(!u.can_backup(None));
        let anon: UserInfo = serde_json::from_value(
            json!({"Remark": "Using anonymous user", "IsAdminGlobal": true}),
        )
        .unwrap();
        assert!(anon.can_backup(None));
    }

    #[test]
    fn operation_id_response() {
        let (r, _) = roundtrip::<OperationIdResponse>(r#"{"OperationId":7}"#);
        assert_eq!(r.operation_id, 7);
    }

    #[test]
    fn multi_load_results_with_and_without_null() {
        // §4.3
        let found: MultiLoadResponse = serde_json::from_value(json!({
            "Results": [{"IsRunning": true, "Messages": [], "@metadata": {"@id": "Raven/Backup/Status"}}],
            "Includes": []
        }))
        .unwrap();
        let doc = found.document(0).unwrap();
        let status: BackupStatus = serde_json::from_value(doc.clone()).unwrap();
        assert!(status.is_running);
        let null: MultiLoadResponse =
            serde_json::from_value(json!({"Results": [null], "Includes": []})).unwrap();
        assert!(null.document(0).is_none());
        let empty: MultiLoadResponse =
            serde_json::from_value(json!({"Results": [], "Includes": []})).unwrap();
        assert!(empty.document(0).is_none());
    }

    #[test]
    fn iso_times_are_written_as_ravendb_writes_them_and_read_back() {
        let base = 1_462_881_600_000.0; // 2016-05-10T12:00:00Z
        assert_eq!(
            format_iso_ms(base + 1234.9).as_deref(),
            Some("2016-05-10T12:00:01.2340000Z")
        );
        assert_eq!(
            format_iso_ms(951_868_799_000.0).as_deref(),
            Some("2000-02-29T23:59:59.0000000Z")
        );
        assert_eq!(format_iso_ms(f64::NAN), None);
        for ms in [0.0, base, base + 86_399_999.0, -1000.0, 4_102_444_800_000.0] {
            let text = format_iso_ms(ms).unwrap();
            assert_eq!(parse_iso_ms(&text), Some(ms), "{text}");
        }
    }

    #[test]
    fn iso_dates() {
        let base = 1_462_881_600_000.0; // 2016-05-10T12:00:00Z
        assert_eq!(parse_iso_ms("2016-05-10T12:00:00Z"), Some(base));
        assert_eq!(parse_iso_ms("2016-05-10T12:00:00"), Some(base));
        assert_eq!(
            parse_iso_ms("2016-05-10T12:00:00.1234567Z"),
            Some(base + 123.4567)
        );
        assert_eq!(parse_iso_ms("2016-05-10T12:00:00.5Z"), Some(base + 500.0));
        assert_eq!(parse_iso_ms("2016-05-10T14:00:00+02:00"), Some(base));
        assert_eq!(parse_iso_ms("2016-05-10T10:30:00-0130"), Some(base));
        assert_eq!(parse_iso_ms("2016-05-10T13:00:00+01"), Some(base));
        assert_eq!(parse_iso_ms("2016-05-10"), Some(base - 12.0 * 3_600_000.0));
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_iso_ms("2000-02-29T00:00:00Z"),
            Some(951_782_400_000.0)
        );
        for bad in [
            "",
            "yesterday",
            "2016-13-01T00:00:00Z",
            "2015-02-29T00:00:00Z",
            "2016-05-10T25:00:00Z",
            "2016-05-10T12:00:00.Z",
            "2016-05-10T12:00:00Zjunk",
            "2016-05-10X12:00:00",
        ] {
            assert_eq!(parse_iso_ms(bad), None, "{bad}");
        }
    }
}
