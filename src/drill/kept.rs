//! What this browser keeps about drills, in localStorage (names, times and
//! one sentence; never document content or secrets): the scratch
//! databases a drill created and has not deleted yet (so a reloaded tab
//! offers to delete them), and when each backup folder was last verified.

use serde_json::{json, Value};

/// At most this many entries of each list are kept.
const KEEP: usize = 50;

/// A scratch database a drill created (or was about to) and has not
/// deleted yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingScratch {
    /// The server's root URL.
    pub server: String,
    pub name: String,
    pub since_ms: f64,
}

/// The last drill of a backup folder on a server.
#[derive(Debug, Clone, PartialEq)]
pub struct LastVerified {
    pub server: String,
    pub folder: String,
    pub at_ms: f64,
    pub restorable: bool,
    /// The report's sentence.
    pub sentence: String,
}

/// One entry as kept (read through `serde_json::Value`, which the app has
/// anyway, rather than derived readers: smaller).
pub trait Kept: Sized {
    fn read(v: &Value) -> Option<Self>;
    fn write(&self) -> Value;
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

impl Kept for PendingScratch {
    fn read(v: &Value) -> Option<Self> {
        Some(PendingScratch {
            server: text(v, "server")?,
            name: text(v, "name")?,
            since_ms: v.get("since_ms")?.as_f64()?,
        })
    }
    fn write(&self) -> Value {
        json!({"server": self.server, "name": self.name, "since_ms": self.since_ms})
    }
}

impl Kept for LastVerified {
    fn read(v: &Value) -> Option<Self> {
        Some(LastVerified {
            server: text(v, "server")?,
            folder: text(v, "folder")?,
            at_ms: v.get("at_ms")?.as_f64()?,
            restorable: v.get("restorable")?.as_bool()?,
            sentence: text(v, "sentence")?,
        })
    }
    fn write(&self) -> Value {
        json!({"server": self.server, "folder": self.folder, "at_ms": self.at_ms,
               "restorable": self.restorable, "sentence": self.sentence})
    }
}

/// Reads a kept list; anything unreadable is left out.
pub fn parse<T: Kept>(text: Option<&str>) -> Vec<T> {
    match text.and_then(|t| serde_json::from_str::<Value>(t).ok()) {
        Some(Value::Array(items)) => items.iter().filter_map(T::read).collect(),
        _ => Vec::new(),
    }
}

/// Writes a kept list.
pub fn to_text<T: Kept>(list: &[T]) -> String {
    Value::Array(list.iter().map(Kept::write).collect()).to_string()
}

fn same_folder(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches(['/', '\\']) == b.trim().trim_end_matches(['/', '\\'])
}

/// Adds (or replaces) the pending scratch database `entry`.
pub fn add_pending(list: &mut Vec<PendingScratch>, entry: PendingScratch) {
    list.retain(|p| !(p.server == entry.server && p.name == entry.name));
    list.insert(0, entry);
    list.truncate(KEEP);
}

/// Forgets a pending scratch database (deleted, or never created).
pub fn remove_pending(list: &mut Vec<PendingScratch>, server: &str, name: &str) {
    list.retain(|p| !(p.server == server && p.name == name));
}

/// Records a drill of a folder, replacing the folder's earlier one.
pub fn record_verified(list: &mut Vec<LastVerified>, entry: LastVerified) {
    list.retain(|v| !(v.server == entry.server && same_folder(&v.folder, &entry.folder)));
    list.insert(0, entry);
    list.truncate(KEEP);
}

/// The last drill of `folder` on `server`, if any.
pub fn last_verified<'a>(
    list: &'a [LastVerified],
    server: &str,
    folder: &str,
) -> Option<&'a LastVerified> {
    list.iter()
        .find(|v| v.server == server && same_folder(&v.folder, folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verified(folder: &str, at_ms: f64) -> LastVerified {
        LastVerified {
            server: "http://raven:8080".into(),
            folder: folder.into(),
            at_ms,
            restorable: true,
            sentence: "Restorable: 1 of 1 documents equal".into(),
        }
    }

    #[test]
    fn the_latest_drill_of_a_folder_replaces_the_earlier() {
        let mut list = Vec::new();
        record_verified(&mut list, verified("C:\\Backups\\Northwind", 1.0));
        record_verified(&mut list, verified("C:\\Backups\\Other", 2.0));
        record_verified(&mut list, verified("C:\\Backups\\Northwind\\", 3.0));
        assert_eq!(list.len(), 2);
        let last = last_verified(&list, "http://raven:8080", "C:\\Backups\\Northwind").unwrap();
        assert_eq!(last.at_ms, 3.0);
        assert!(last_verified(&list, "http://other:8080", "C:\\Backups\\Northwind").is_none());
        let back: Vec<LastVerified> = parse(Some(&to_text(&list)));
        assert_eq!(back, list);
        for i in 0..60 {
            record_verified(&mut list, verified(&format!("f{i}"), f64::from(i)));
        }
        assert_eq!(list.len(), KEEP);
    }

    #[test]
    fn pending_scratch_databases_are_kept_until_deleted() {
        let mut list = Vec::new();
        let entry = PendingScratch {
            server: "http://raven:8080".into(),
            name: "Northwind-verify-20261129-160200".into(),
            since_ms: 1.0,
        };
        add_pending(&mut list, entry.clone());
        add_pending(&mut list, entry.clone());
        assert_eq!(list, vec![entry.clone()]);
        let text = to_text(&list);
        assert!(!text.contains("Secured"), "names only: {text}");
        remove_pending(&mut list, "http://raven:8080", &entry.name);
        assert!(list.is_empty());
        let garbage: Vec<PendingScratch> = parse(Some("not json"));
        assert!(garbage.is_empty());
    }
}
