//! The operations this browser started, remembered so a reload or a second
//! tab can re-attach and finish the story. Only ids and names are kept —
//! never a request body, a document or a secret.

use crate::api::poll::Watched;
use serde::{Deserialize, Serialize};

/// Most operations remembered; older ones are forgotten.
pub const MAX_REMEMBERED: usize = 20;

/// One remembered operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RememberedOperation {
    /// `DatabaseBackup`, `FileSystemBackup`, `DatabaseRestore`, `FileSystemRestore`.
    pub kind: String,
    /// Database or file-system name; `None` = the system database.
    pub name: Option<String>,
    /// The server's operation id (none for a 3.0 backup).
    pub operation_id: Option<i64>,
    /// The server root URL it was started on.
    pub server: String,
    /// When it was started (epoch ms, browser clock).
    pub started_ms: f64,
    /// A few words on how it ended, once it did.
    #[serde(default)]
    pub outcome: Option<String>,
}

impl RememberedOperation {
    pub fn new(what: &Watched, operation_id: Option<i64>, server: &str, started_ms: f64) -> Self {
        let (kind, name) = match what {
            Watched::DatabaseBackup { database } => ("DatabaseBackup", database.clone()),
            Watched::FileSystemBackup { fs } => ("FileSystemBackup", Some(fs.clone())),
            Watched::DatabaseRestore { database } => ("DatabaseRestore", Some(database.clone())),
            Watched::FileSystemRestore { fs } => ("FileSystemRestore", Some(fs.clone())),
        };
        RememberedOperation {
            kind: kind.into(),
            name,
            operation_id,
            server: server.into(),
            started_ms,
            outcome: None,
        }
    }

    /// What to follow, or `None` for an unknown kind (from a newer version).
    pub fn watched(&self) -> Option<Watched> {
        Some(match (self.kind.as_str(), &self.name) {
            ("DatabaseBackup", name) => Watched::DatabaseBackup {
                database: name.clone(),
            },
            ("FileSystemBackup", Some(fs)) => Watched::FileSystemBackup { fs: fs.clone() },
            ("DatabaseRestore", Some(db)) => Watched::DatabaseRestore {
                database: db.clone(),
            },
            ("FileSystemRestore", Some(fs)) => Watched::FileSystemRestore { fs: fs.clone() },
            _ => return None,
        })
    }

    /// Identity of an entry: same server, kind, name and start time.
    fn same(&self, other: &RememberedOperation) -> bool {
        self.server == other.server
            && self.kind == other.kind
            && self.name == other.name
            && self.started_ms == other.started_ms
    }
}

/// Reads the stored list; anything unreadable is an empty list.
pub fn parse_list(text: Option<&str>) -> Vec<RememberedOperation> {
    let mut list: Vec<RememberedOperation> = text
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    // An outcome stored whole (by an earlier version) is read bounded too.
    for entry in &mut list {
        if let Some(outcome) = entry.outcome.take() {
            let op = entry.clone();
            set_outcome(std::slice::from_mut(entry), &op, &outcome);
        }
    }
    list
}

/// Adds (or replaces) an entry, newest first, capped.
pub fn remember(list: &mut Vec<RememberedOperation>, op: RememberedOperation) {
    list.retain(|o| !o.same(&op));
    list.insert(0, op);
    list.truncate(MAX_REMEMBERED);
}

/// Records how an entry ended, in a few words: a server's failure text can
/// be any length, and only its start is kept (the log download has it all).
pub fn set_outcome(list: &mut [RememberedOperation], op: &RememberedOperation, outcome: &str) {
    /// Most characters of an outcome kept in storage.
    const MAX_OUTCOME_CHARS: usize = 300;
    if let Some(entry) = list.iter_mut().find(|o| o.same(op)) {
        let bounded = if outcome.chars().nth(MAX_OUTCOME_CHARS).is_some() {
            let kept: String = outcome.chars().take(MAX_OUTCOME_CHARS - 1).collect();
            format!("{kept}…")
        } else {
            outcome.to_string()
        };
        entry.outcome = Some(bounded);
    }
}

/// The list as stored.
pub fn to_text(list: &[RememberedOperation]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str, t: f64) -> RememberedOperation {
        RememberedOperation::new(
            &Watched::DatabaseBackup {
                database: Some(name.into()),
            },
            Some(7),
            "http://s",
            t,
        )
    }

    #[test]
    fn round_trip_and_kinds() {
        let kinds = [
            Watched::DatabaseBackup { database: None },
            Watched::DatabaseBackup {
                database: Some("N".into()),
            },
            Watched::FileSystemBackup { fs: "F".into() },
            Watched::DatabaseRestore {
                database: "R".into(),
            },
            Watched::FileSystemRestore { fs: "G".into() },
        ];
        let list: Vec<_> = kinds
            .iter()
            .map(|w| RememberedOperation::new(w, None, "http://s", 1.0))
            .collect();
        let back = parse_list(Some(&to_text(&list)));
        assert_eq!(back, list);
        for (entry, w) in back.iter().zip(&kinds) {
            assert_eq!(entry.watched().as_ref(), Some(w));
        }
    }

    #[test]
    fn unreadable_storage_is_an_empty_list() {
        assert!(parse_list(None).is_empty());
        assert!(parse_list(Some("{not json")).is_empty());
        assert!(parse_list(Some("{\"a\":1}")).is_empty());
        let odd = RememberedOperation {
            kind: "Compact".into(),
            ..op("x", 1.0)
        };
        assert_eq!(odd.watched(), None);
    }

    #[test]
    fn newest_first_capped_and_deduplicated() {
        let mut list = Vec::new();
        for i in 0..25 {
            remember(&mut list, op("N", i as f64));
        }
        assert_eq!(list.len(), MAX_REMEMBERED);
        assert_eq!(list[0].started_ms, 24.0);
        remember(&mut list, op("N", 24.0));
        assert_eq!(list.len(), MAX_REMEMBERED);
        set_outcome(&mut list, &op("N", 24.0), "succeeded");
        assert_eq!(list[0].outcome.as_deref(), Some("succeeded"));
    }

    #[test]
    fn a_failure_text_of_any_length_is_stored_bounded() {
        let mut list = vec![op("N", 1.0)];
        let huge = format!("failed: {}", "é".repeat(1_000_000));
        set_outcome(&mut list, &op("N", 1.0), &huge);
        let stored = list[0].outcome.clone().unwrap();
        assert!(stored.starts_with("failed: ééé"), "{}", &stored[..40]);
        assert!(stored.ends_with('…'), "the cut is marked");
        assert!(stored.chars().count() <= 300, "{}", stored.chars().count());
        assert!(to_text(&list).len() < 1000);
        // A short one is kept as it is.
        set_outcome(&mut list, &op("N", 1.0), "failed: disk full");
        assert_eq!(list[0].outcome.as_deref(), Some("failed: disk full"));
        // An entry stored unbounded (by an earlier version) is read bounded.
        let mut old = op("N", 2.0);
        old.outcome = Some("x".repeat(100_000));
        let back = parse_list(Some(&serde_json::to_string(&[old]).unwrap()));
        assert!(back[0].outcome.as_ref().unwrap().chars().count() <= 300);
    }

    #[test]
    fn nothing_but_ids_and_names_is_stored() {
        let text = to_text(&[op("Payroll", 5.0)]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<_> = value[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "kind",
                "name",
                "operation_id",
                "outcome",
                "server",
                "started_ms"
            ]
        );
    }
}
