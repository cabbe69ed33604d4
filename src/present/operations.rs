//! How the Operations screen words an operation: the server's task types
//! and run states, a remembered operation's kind, name and outcome, and
//! what the server said to a cancel request.

use crate::api::{
    poll::Outcome,
    wire3x::{parse_iso_ms, OperationRunState, OperationState, OperationsListItem},
};
use crate::state::operations::RememberedOperation;

use super::{plural, time::ago};

/// A `TaskType` in words.
pub fn task_type_words(task_type: Option<&str>) -> String {
    match task_type {
        Some("BackupDatabase") => "Database backup".into(),
        Some("BackupFilesystem") => "File system backup".into(),
        Some("RestoreDatabase") => "Database restore".into(),
        Some("RestoreFilesystem") => "File system restore".into(),
        Some("CompactDatabase") => "Database compaction".into(),
        Some("CompactFilesystem") => "File system compaction".into(),
        Some("ExportDatabase") => "Database export".into(),
        Some("ImportDatabase") => "Database import".into(),
        Some("IndexDeleteOperation") => "Index deletion".into(),
        Some(other) if !other.trim().is_empty() => other.to_string(),
        _ => "Unknown kind".into(),
    }
}

/// A run state in one word.
pub fn run_state_words(state: OperationRunState) -> &'static str {
    match state {
        OperationRunState::Running => "Running",
        OperationRunState::Succeeded => "Succeeded",
        OperationRunState::Faulted => "Failed",
        OperationRunState::Canceled => "Canceled",
        OperationRunState::Unknown => "Unknown",
    }
}

/// The run state of an operation-status answer, in the same words.
pub fn answer_state(state: &OperationState) -> OperationRunState {
    if state.is_canceled() {
        OperationRunState::Canceled
    } else if state.faulted {
        OperationRunState::Faulted
    } else if state.completed {
        OperationRunState::Succeeded
    } else {
        OperationRunState::Running
    }
}

/// `Exception.Message` of a list item (or the exception when it is text).
pub fn exception_message(item: &OperationsListItem) -> Option<String> {
    match item.exception.as_ref()? {
        serde_json::Value::Object(map) => map
            .get("Message")
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string),
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A list item's state column: the state, its progress, and for a failure
/// the exception's message.
pub fn item_state_text(item: &OperationsListItem) -> String {
    let mut text = run_state_words(item.run_state()).to_string();
    if let Some(p) = item.progress().filter(|p| !p.trim().is_empty()) {
        text.push_str(": ");
        text.push_str(&p);
    }
    if item.run_state() == OperationRunState::Faulted {
        if let Some(m) = exception_message(item) {
            text.push_str(": ");
            text.push_str(&m);
        }
    }
    text
}

/// A list item's description, or `(none)`.
pub fn item_description(item: &OperationsListItem) -> String {
    item.description()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or("(none)")
        .to_string()
}

/// A list item's start time as the server wrote it, with its age as of
/// `now_ms` when the time can be read.
pub fn item_started_text(item: &OperationsListItem, now_ms: f64) -> String {
    let Some(raw) = item.start_time.clone() else {
        return "(not given)".to_string();
    };
    match parse_iso_ms(&raw).and_then(|ms| ago(ms, now_ms)) {
        Some(a) => format!("{raw} ({a})"),
        None => raw,
    }
}

/// The status line of the server's list: `: 3 operations, 1 running.`
pub fn list_summary(items: &[OperationsListItem]) -> String {
    let running = items
        .iter()
        .filter(|i| i.run_state() == OperationRunState::Running)
        .count();
    let n = items.len();
    format!(": {n} operation{}, {running} running.", plural(n))
}

/// What the server reports after a cancel request, in its state.
pub fn kill_report_text(state: OperationRunState) -> &'static str {
    match state {
        OperationRunState::Running => {
            "The server reports: still running. It may take a moment to stop; this list is read again every 2 seconds."
        }
        OperationRunState::Canceled => "The server reports: canceled.",
        OperationRunState::Succeeded => "The server reports: it had already finished (succeeded).",
        OperationRunState::Faulted => "The server reports: failed.",
        OperationRunState::Unknown => "The server reports: state unknown.",
    }
}

/// The progress panel's words for the answer to its cancel request.
pub fn kill_answer_text(state: &OperationState) -> &'static str {
    if state.is_canceled() {
        "The server reports the operation as canceled."
    } else if state.completed {
        "The server reports the operation had already finished."
    } else {
        "Cancellation requested; the server still reports it as running."
    }
}

/// A remembered kind in words ("database backup").
pub fn kind_words(kind: &str) -> String {
    match kind {
        "DatabaseBackup" => "database backup".into(),
        "FileSystemBackup" => "file system backup".into(),
        "DatabaseRestore" => "database restore".into(),
        "FileSystemRestore" => "file system restore".into(),
        other => other.to_string(),
    }
}

/// A remembered entry's name in words.
pub fn name_words(op: &RememberedOperation) -> String {
    match (&op.name, op.kind.as_str()) {
        (None, "DatabaseBackup") => "the system database".into(),
        (None, _) => "(no name)".into(),
        (Some(n), _) => n.clone(),
    }
}

/// How an outcome is remembered.
pub fn outcome_words(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Succeeded { .. } => "succeeded".into(),
        Outcome::Failed { reason, .. } => format!("failed: {reason}"),
        Outcome::Canceled { .. } => "canceled".into(),
        Outcome::Lost { .. } => "lost".into(),
        Outcome::NotVisible { .. } => "cannot be seen from the server asked".into(),
    }
}

pub use crate::state::operations::identity::same_server;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::poll::Watched;
    use serde_json::json;

    fn item(value: serde_json::Value) -> OperationsListItem {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn task_types_in_words() {
        assert_eq!(task_type_words(Some("BackupDatabase")), "Database backup");
        assert_eq!(
            task_type_words(Some("RestoreFilesystem")),
            "File system restore"
        );
        assert_eq!(task_type_words(Some("SomethingNew")), "SomethingNew");
        assert_eq!(task_type_words(Some("  ")), "Unknown kind");
        assert_eq!(task_type_words(None), "Unknown kind");
    }

    #[test]
    fn a_failed_item_says_its_progress_and_the_exception() {
        let failed = item(json!({
            "Id": 4, "TaskType": "BackupDatabase", "Completed": true, "Faulted": true,
            "Status": {"Progress": "Backing up indexes"},
            "Exception": {"Message": "The disk is full"}
        }));
        assert_eq!(
            item_state_text(&failed),
            "Failed: Backing up indexes: The disk is full"
        );
        let text_exception = item(json!({"Id": 5, "Faulted": true, "Exception": "Boom"}));
        assert_eq!(exception_message(&text_exception).as_deref(), Some("Boom"));
        let running = item(json!({"Id": 6, "TaskStatus": "Running", "Exception": "ignored"}));
        assert_eq!(item_state_text(&running), "Running");
        assert_eq!(
            exception_message(&item(json!({"Exception": {"Message": " "}}))),
            None
        );
    }

    #[test]
    fn descriptions_and_start_times() {
        let it = item(
            json!({"Id": 1, "Payload": "Backup to: x", "StartTime": "2023-11-14T22:13:20.0000000Z"}),
        );
        assert_eq!(item_description(&it), "Backup to: x");
        assert_eq!(
            item_description(&item(json!({"Description": " "}))),
            "(none)"
        );
        assert_eq!(
            item_started_text(&it, 1_700_000_012_000.0),
            "2023-11-14T22:13:20.0000000Z (12 s ago)"
        );
        assert_eq!(item_started_text(&item(json!({})), 0.0), "(not given)");
        assert_eq!(
            item_started_text(&item(json!({"StartTime": "yesterday"})), 0.0),
            "yesterday"
        );
    }

    #[test]
    fn list_summary_counts_running_ones() {
        let items = [
            item(json!({"Id": 1, "TaskStatus": "Running"})),
            item(json!({"Id": 2, "Completed": true})),
        ];
        assert_eq!(list_summary(&items), ": 2 operations, 1 running.");
        assert_eq!(list_summary(&items[..1]), ": 1 operation, 1 running.");
        assert_eq!(list_summary(&[]), ": 0 operations, 0 running.");
    }

    #[test]
    fn cancel_answers_in_words() {
        let answer = |v| serde_json::from_value::<OperationState>(v).unwrap();
        let canceled = answer(json!({"Completed": true, "Canceled": true}));
        assert_eq!(answer_state(&canceled), OperationRunState::Canceled);
        assert_eq!(
            kill_answer_text(&canceled),
            "The server reports the operation as canceled."
        );
        let done = answer(json!({"Completed": true}));
        assert_eq!(answer_state(&done), OperationRunState::Succeeded);
        assert!(kill_answer_text(&done).contains("already finished"));
        let running = answer(json!({"Completed": false}));
        assert_eq!(answer_state(&running), OperationRunState::Running);
        assert!(kill_answer_text(&running).contains("still reports it as running"));
        let faulted = answer(json!({"Completed": true, "Faulted": true}));
        assert_eq!(answer_state(&faulted), OperationRunState::Faulted);
        assert_eq!(
            kill_report_text(OperationRunState::Canceled),
            "The server reports: canceled."
        );
        assert!(kill_report_text(OperationRunState::Running).contains("every 2 seconds"));
    }

    #[test]
    fn remembered_entries_in_words() {
        let system = RememberedOperation::new(
            &Watched::DatabaseBackup { database: None },
            None,
            "http://s",
            1.0,
        );
        assert_eq!(kind_words(&system.kind), "database backup");
        assert_eq!(name_words(&system), "the system database");
        let fs = RememberedOperation::new(
            &Watched::FileSystemRestore { fs: "F".into() },
            Some(2),
            "http://s",
            1.0,
        );
        assert_eq!(kind_words(&fs.kind), "file system restore");
        assert_eq!(name_words(&fs), "F");
        let odd = RememberedOperation {
            kind: "Compact".into(),
            name: None,
            ..fs
        };
        assert_eq!(kind_words(&odd.kind), "Compact");
        assert_eq!(name_words(&odd), "(no name)");
    }

    #[test]
    fn outcomes_and_servers() {
        assert_eq!(
            outcome_words(&Outcome::Succeeded {
                summary: "x".into()
            }),
            "succeeded"
        );
        assert_eq!(
            outcome_words(&Outcome::Failed {
                reason: "disk full".into(),
                details: None
            }),
            "failed: disk full"
        );
        assert_eq!(
            outcome_words(&Outcome::Canceled { reason: "x".into() }),
            "canceled"
        );
        assert_eq!(outcome_words(&Outcome::Lost { reason: "x".into() }), "lost");
        assert!(same_server("http://a:8080/", "http://a:8080"));
        assert!(!same_server("http://a:8080", "http://b:8080"));
    }
}
