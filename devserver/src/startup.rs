//! What a (re)start does to what the previous run left behind: the real
//! server's start-up tasks, and an end in the truth for every operation the
//! stop interrupted.

use crate::app::{remove_interrupted_backup_status, App, Kind, Resource};
use crate::store::Store;
use serde_json::{json, Value};
use std::sync::Arc;

/// Appended to the status of an operation the server's stop interrupted.
pub const STOPPED: &str = "The server stopped before the operation finished.";

impl App {
    /// At start and after a simulated restart:
    /// * backup status documents whose `Completed` is null are deleted and the
    ///   `Raven/Restore/InProgress` lock goes (the real server's start-up tasks);
    /// * a restore or compaction still `Running` ends `Faulted`, saying the
    ///   server stopped, and what an interrupted restore half-wrote is removed
    ///   (it never became a database).
    pub fn startup_tasks(&self) {
        let mut all: Vec<Arc<Resource>> = vec![self.system.clone()];
        for kind in [Kind::Db, Kind::Fs] {
            for name in self.names(kind) {
                if let Some(r) = self.resource(kind, &name) {
                    all.push(r);
                }
            }
        }
        for r in all {
            remove_interrupted_backup_status(r.status_store());
        }
        self.drop_interrupted_restores();
        let store = &self.system.store;
        fault_if_running(store, "Raven/Restore/Status", "Unable to restore database");
        for key in store.keys_with_prefix("Raven/FileSystem/Restore/Status/") {
            fault_if_running(store, &key, "Unable to restore filesystem");
        }
        for key in store.keys_with_prefix("Raven/Database/Compact/Status/") {
            fault_if_running(store, &key, "Unable to compact database");
        }
        let _ = store.delete("Raven/Restore/InProgress");
    }
}

/// A status document (`{"State","Messages",...}`) still `Running` ends
/// `Faulted` with the failure line the operation itself would have written.
fn fault_if_running(store: &Store, key: &str, prefix: &str) {
    let Some(d) = store.get(key) else { return };
    if d.data["State"] != "Running" {
        return;
    }
    let mut v = d.data;
    v["State"] = json!("Faulted");
    if let Some(Value::Array(m)) = v.get_mut("Messages") {
        m.push(json!(format!("{prefix} {STOPPED}")));
    } else {
        v["Messages"] = json!([format!("{prefix} {STOPPED}")]);
    }
    if v.get("LastProgressMessage").is_some() {
        v["LastProgressMessage"] = Value::Null;
        v["LastProgressMessageTime"] = Value::Null;
    }
    if let Err(e) = store.put_json(key, v) {
        eprintln!("devserver: cannot end the interrupted operation {key}: {e}");
    }
}
