//! The operations this browser started, remembered so a reload or a second
//! tab can re-attach and finish the story. Only ids, names and a 3.x
//! backup's folder are kept — never a request body, a document or a
//! secret. Each is kept with the server it ran on and (4.x+) its node:
//! ids are numbered per server, so an id alone names nothing (see
//! `identity`).

use super::identity::{normalise_server, same_server, OperationKey};
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
    /// The server root URL it was started on; empty when not known (an
    /// entry remembered by an early version without it: shown as "server
    /// unknown" and never followed on a guessed server).
    #[serde(default)]
    pub server: String,
    /// The cluster node that runs it (4.x+ `OperationNodeTag`), when the
    /// server named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_tag: Option<String>,
    /// When it was started (epoch ms, browser clock).
    pub started_ms: f64,
    /// A few words on how it ended, once it did.
    #[serde(default)]
    pub outcome: Option<String>,
    /// When this browser first saw it end (epoch ms, browser clock): a
    /// finished operation followed again says how long it took from its
    /// start to then, not to the re-attach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_ms: Option<f64>,
    /// A 3.x database backup's folder on the server (a path, not a
    /// secret): what "Verify by restoring" restores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
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
            server: normalise_server(server),
            node_tag: None,
            started_ms,
            outcome: None,
            ended_ms: None,
            folder: None,
        }
    }

    /// The same, run by the cluster node `node_tag` (4.x+).
    pub fn on_node(mut self, node_tag: Option<&str>) -> Self {
        self.node_tag = node_tag
            .map(|t| t.trim().to_ascii_uppercase())
            .filter(|t| !t.is_empty());
        self
    }

    /// Who it is: server, kind, database, id and node (see `identity`).
    pub fn key(&self) -> OperationKey {
        OperationKey::new(
            &self.server,
            &self.kind,
            self.name.as_deref(),
            self.kind == "DatabaseBackup",
            self.operation_id,
            self.node_tag.as_deref(),
        )
    }

    /// True when it was started on `server` (never for an unknown server).
    pub fn is_on(&self, server: &str) -> bool {
        same_server(&self.server, server)
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

    /// Identity of an entry: the same operation (server, kind, database,
    /// id, node) started at the same time (ids do not survive a restart).
    fn same(&self, other: &RememberedOperation) -> bool {
        self.key() == other.key() && self.started_ms == other.started_ms
    }
}

/// The remembered operations grouped by server, in the order of their
/// newest entry; the unknown server ("") last.
pub fn by_server(list: &[RememberedOperation]) -> Vec<(String, Vec<RememberedOperation>)> {
    let mut groups: Vec<(String, Vec<RememberedOperation>)> = Vec::new();
    for entry in list {
        let server = normalise_server(&entry.server);
        match groups.iter_mut().find(|(s, _)| *s == server) {
            Some((_, entries)) => entries.push(entry.clone()),
            None => groups.push((server, vec![entry.clone()])),
        }
    }
    groups.sort_by_key(|(s, _)| s.is_empty());
    groups
}

/// Reads the stored list; anything unreadable is an empty list, and an
/// unreadable entry is left out (the others are kept). An entry stored
/// without its server (by an early version) is kept with the server
/// unknown: it cannot be known which server it ran on.
pub fn parse_list(text: Option<&str>) -> Vec<RememberedOperation> {
    let values: Vec<serde_json::Value> = text
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    let mut list: Vec<RememberedOperation> = values
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    for entry in &mut list {
        entry.server = normalise_server(&entry.server);
    }
    // An outcome stored whole (by an earlier version, with the server's
    // words) is read as its kind only, and written back so on the next save.
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

/// Records the backup folder of the newest entry of `what` on `server`
/// started at or after `since_ms` (the start that was just sent).
pub fn set_folder(
    list: &mut [RememberedOperation],
    server: &str,
    what: &Watched,
    since_ms: f64,
    folder: &str,
) {
    let probe = RememberedOperation::new(what, None, server, since_ms);
    if let Some(entry) = list.iter_mut().find(|o| {
        o.is_on(server) && o.kind == probe.kind && o.name == probe.name && o.started_ms >= since_ms
    }) {
        entry.folder = Some(folder.to_string());
    }
}

/// Records how an entry ended, seen at `ended_ms` (the first time seen is
/// kept), in a few words: the kind of ending only (see [`set_outcome`]).
pub fn set_outcome_at(
    list: &mut [RememberedOperation],
    op: &RememberedOperation,
    outcome: &str,
    ended_ms: f64,
) {
    set_outcome(list, op, outcome);
    if let Some(entry) = list.iter_mut().find(|o| o.same(op)) {
        if entry.ended_ms.is_none() && ended_ms.is_finite() {
            entry.ended_ms = Some(ended_ms);
        }
    }
}

/// Records how an entry ended, in a word or two (see [`set_outcome_at`]).
/// Only the kind of ending is stored ("failed", not "failed: {the server's
/// words}"): a server's failure text can carry paths, URLs with tokens or
/// other values an admin would not expect in localStorage. The words stay
/// in the tab's memory (`store::outcome_shown`).
pub fn set_outcome(list: &mut [RememberedOperation], op: &RememberedOperation, outcome: &str) {
    if let Some(entry) = list.iter_mut().find(|o| o.same(op)) {
        entry.outcome = Some(stored_outcome(outcome));
    }
}

/// The part of an outcome's words that may be stored: the words before the
/// first ':' (where `present::operations::outcome_words` puts the server's
/// reason), at most 60 characters.
pub fn stored_outcome(outcome: &str) -> String {
    /// Most characters of an outcome kept in storage.
    const MAX_OUTCOME_CHARS: usize = 60;
    let kind = outcome.split(':').next().unwrap_or_default().trim();
    if kind.chars().nth(MAX_OUTCOME_CHARS).is_some() {
        let kept: String = kind.chars().take(MAX_OUTCOME_CHARS - 1).collect();
        format!("{kept}…")
    } else {
        kind.to_string()
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
    fn a_backup_folder_goes_to_the_start_just_sent() {
        let northwind = Watched::DatabaseBackup {
            database: Some("Northwind".into()),
        };
        let mut list = vec![
            RememberedOperation::new(&northwind, Some(8), "http://s", 20.0),
            RememberedOperation::new(&northwind, Some(7), "http://s", 5.0),
            RememberedOperation::new(&northwind, Some(9), "http://other", 30.0),
        ];
        set_folder(&mut list, "http://s/", &northwind, 10.0, "C:\\Backups\\N");
        assert_eq!(list[0].folder.as_deref(), Some("C:\\Backups\\N"));
        assert_eq!(list[1].folder, None, "an earlier start keeps none");
        assert_eq!(list[2].folder, None, "another server's keeps none");
        let back = parse_list(Some(&to_text(&list)));
        assert_eq!(back, list);
        // Kept only when known: older entries read as before.
        assert!(!to_text(&list[1..]).contains("folder"));
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
    fn a_failure_is_stored_without_the_servers_words() {
        let mut list = vec![op("N", 1.0)];
        let huge = format!("failed: {}", "é".repeat(1_000_000));
        set_outcome(&mut list, &op("N", 1.0), &huge);
        assert_eq!(list[0].outcome.as_deref(), Some("failed"));
        set_outcome(
            &mut list,
            &op("N", 1.0),
            "failed: upload to https://acct.blob.core.windows.net/b?sig=SECRETSIG refused",
        );
        assert_eq!(list[0].outcome.as_deref(), Some("failed"));
        assert!(!to_text(&list).contains("SECRETSIG"));
        // Words without a reason are kept as they are, bounded.
        set_outcome(
            &mut list,
            &op("N", 1.0),
            "cannot be seen from the server asked",
        );
        assert_eq!(
            list[0].outcome.as_deref(),
            Some("cannot be seen from the server asked")
        );
        set_outcome(&mut list, &op("N", 1.0), &"x".repeat(100_000));
        assert!(list[0].outcome.as_ref().unwrap().chars().count() <= 60);
        // An entry stored with the server's words (by an earlier version)
        // is read without them.
        let mut old = op("N", 2.0);
        old.outcome = Some("failed: token=SECRETSIG".into());
        let back = parse_list(Some(&serde_json::to_string(&[old]).unwrap()));
        assert_eq!(back[0].outcome.as_deref(), Some("failed"));
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

    fn backup_on(server: &str, id: i64, node: Option<&str>) -> RememberedOperation {
        RememberedOperation::new(
            &Watched::DatabaseBackup {
                database: Some("Shop".into()),
            },
            Some(id),
            server,
            1000.0,
        )
        .on_node(node)
    }

    #[test]
    fn equal_ids_on_two_servers_stay_two_entries_after_a_reload() {
        let mut list = Vec::new();
        remember(&mut list, backup_on("http://a:8080", 1, Some("A")));
        remember(&mut list, backup_on("http://b:8080/", 1, Some("A")));
        // The same server spelled another way is the same entry.
        remember(&mut list, backup_on("HTTP://A:8080/", 1, Some("a")));
        assert_eq!(list.len(), 2);
        // A reload reads both back, each with its server and node.
        let back = parse_list(Some(&to_text(&list)));
        assert_eq!(back, list);
        assert!(back[0].is_on("http://a:8080") && !back[0].is_on("http://b:8080"));
        assert!(back[1].is_on("http://b:8080"));
        assert_eq!(back[0].node_tag.as_deref(), Some("A"));
        // The outcome of one is not the outcome of the other.
        let mut back = back;
        set_outcome(
            &mut back,
            &backup_on("http://b:8080", 1, Some("A")),
            "failed: x",
        );
        assert_eq!(back[1].outcome.as_deref(), Some("failed"));
        assert_eq!(back[0].outcome, None);
        // Another node, or another id, is another operation.
        remember(&mut back, backup_on("http://a:8080", 1, Some("B")));
        remember(&mut back, backup_on("http://a:8080", 2, Some("A")));
        assert_eq!(back.len(), 4);
    }

    #[test]
    fn an_entry_saved_without_its_server_is_kept_as_server_unknown() {
        let old = r#"[{"kind":"DatabaseRestore","name":"Copy","operation_id":1,"started_ms":5.0},
            {"kind":"DatabaseBackup","name":"Shop","operation_id":1,"server":"http://A:8080/","started_ms":6.0},
            {"kind":7}]"#;
        let list = parse_list(Some(old));
        assert_eq!(list.len(), 2, "the unreadable entry alone is left out");
        assert_eq!(list[0].server, "");
        assert!(list[0].key().server_unknown());
        assert!(!list[0].is_on(""), "an unknown server is no server");
        assert_eq!(list[1].server, "http://a:8080");
        let groups = by_server(&list);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "http://a:8080");
        assert_eq!(groups[1].0, "", "the unknown server comes last");
        assert_eq!(groups[1].1[0].name.as_deref(), Some("Copy"));
    }

    #[test]
    fn the_node_is_stored_only_when_the_server_named_one() {
        let text = to_text(&[backup_on("http://a", 1, Some("b"))]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["node_tag"], "B");
        let text = to_text(&[backup_on("http://a", 1, None)]);
        assert!(!text.contains("node_tag"));
    }

    #[test]
    fn the_first_end_seen_is_kept_with_the_outcome() {
        let mut list = vec![op("N", 1000.0)];
        set_outcome_at(&mut list, &op("N", 1000.0), "succeeded", 4800.0);
        assert_eq!(list[0].ended_ms, Some(4800.0));
        // Followed again later: the end seen first stays.
        set_outcome_at(&mut list, &op("N", 1000.0), "succeeded", 90_000.0);
        assert_eq!(list[0].ended_ms, Some(4800.0));
        let back = parse_list(Some(&to_text(&list)));
        assert_eq!(back[0].ended_ms, Some(4800.0));
    }
}
