//! The 3.x status documents: `Raven/Backup/Status` (§4) and the restore
//! status documents (§6).

use crate::api::wire::lenient::*;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

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

impl Severity {
    /// Reads a severity: its name (any case), its .NET number, `null` as
    /// informational; anything else is kept in `Other`.
    pub(crate) fn from_value(v: &Value) -> Self {
        match v {
            Value::String(s) if s.eq_ignore_ascii_case("informational") => Severity::Informational,
            Value::String(s) if s.eq_ignore_ascii_case("error") => Severity::Error,
            Value::String(s) => Severity::Other(s.clone()),
            // A server without the enum-name converter writes the number.
            Value::Number(n) if n.as_u64() == Some(0) => Severity::Informational,
            Value::Number(n) if n.as_u64() == Some(1) => Severity::Error,
            Value::Null => Severity::Informational,
            other => Severity::Other(value_text(other).unwrap_or_default()),
        }
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        Ok(Severity::from_value(&Value::deserialize(de)?))
    }
}

/// One line of the backup log (§4.1).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupMessage {
    /// The text.
    pub message: String,
    /// Full exception text on errors (late 3.0 and 3.5; absent before).
    pub details: Option<String>,
    /// UTC time, 7-digit ISO string.
    pub timestamp: Option<String>,
    /// `Informational` or `Error`.
    pub severity: Severity,
}

/// The `Raven/Backup/Status` document (§4.1), also the FS backup status
/// configuration item (§10).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BackupStatus {
    /// UTC start of the run.
    pub started: Option<String>,
    /// Set when the run ends (success or failure).
    pub completed: Option<String>,
    /// `false` once the run has finished.
    pub is_running: bool,
    /// 3.5 only: true if neither faulted nor canceled. `None` in 3.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// The ordered log.
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
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestoreInProgress {
    /// Name of the database or file system being restored.
    pub resource: String,
}
