//! The 3.x operations (§7): the state of one operation, the list of them,
//! and the `{"OperationId": n}` of a started one.

use crate::api::wire::common::OperationRunState;
use crate::api::wire::lenient::*;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

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

impl OperationStateDetail {
    /// Reads the detail: an object's `Progress` and `Error`, every other
    /// field kept; `null` is empty; any other value is kept as `Value`.
    pub(crate) fn from_value(v: &Value) -> Self {
        let mut detail = OperationStateDetail::default();
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match k.as_str() {
                        "Progress" => detail.progress = value_text(v),
                        "Error" => detail.error = error_text(v),
                        _ => {
                            detail.extra.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            Value::Null => {}
            other => {
                detail.extra.insert("Value".into(), other.clone());
            }
        }
        detail
    }
}

impl<'de> Deserialize<'de> for OperationStateDetail {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        Ok(OperationStateDetail::from_value(&Value::deserialize(de)?))
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
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationState {
    /// The operation has ended (success, failure or cancellation).
    pub completed: bool,
    /// The operation failed.
    pub faulted: bool,
    /// 3.5 only: the operation was canceled.
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationsListItem {
    /// Operation id (per database task list, §7.1).
    pub id: i64,
    /// Task type name (`BackupDatabase`, `RestoreDatabase`, …).
    pub task_type: Option<String>,
    /// 3.0: the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// 3.5: the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Start time (ISO string).
    pub start_time: Option<String>,
    /// 3.0: .NET `TaskStatus` name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_status: Option<String>,
    /// 3.5: the operation's state object (`{"Progress":…}` for backups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// 3.5: ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
    /// 3.5: failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub faulted: Option<bool>,
    /// 3.5: canceled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canceled: Option<bool>,
    /// The exception, opaque (§15.1).
    pub exception: Option<Value>,
    /// 3.5: can be canceled with `/operation/kill`.
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationIdResponse {
    /// The operation id, in the system database's task list.
    pub operation_id: i64,
}
