//! Long-running operations (§7): per-database in-memory task lists.

use crate::config::Protocol;
use crate::util;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const SYSTEM: &str = "<system>";
const RETENTION: Duration = Duration::from_secs(60);
const MAX_ENTRIES: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskType {
    BackupDatabase,
    BackupFilesystem,
    RestoreDatabase,
    RestoreFilesystem,
    CompactDatabase,
}

impl TaskType {
    fn name(self) -> &'static str {
        match self {
            TaskType::BackupDatabase => "BackupDatabase",
            TaskType::BackupFilesystem => "BackupFilesystem",
            TaskType::RestoreDatabase => "RestoreDatabase",
            TaskType::RestoreFilesystem => "RestoreFilesystem",
            TaskType::CompactDatabase => "CompactDatabase",
        }
    }
    fn is_backup(self) -> bool {
        matches!(self, TaskType::BackupDatabase | TaskType::BackupFilesystem)
    }
}

#[derive(Clone, Debug, Default)]
pub struct OpState {
    pub completed: bool,
    pub faulted: bool,
    pub canceled: bool,
    pub progress: Option<String>,
    /// Backup: `Failed to complete backup because: ...`; restore/compact: the reason.
    pub error: Option<String>,
}

pub struct Op {
    pub id: u64,
    pub task_type: TaskType,
    pub description: String,
    pub start_time: String,
    pub finished_at: Option<Instant>,
    pub state: OpState,
    pub cancel: Arc<AtomicBool>,
}

#[derive(Default)]
struct OpList {
    last_id: u64,
    ops: BTreeMap<u64, Op>,
}

#[derive(Default)]
pub struct Ops {
    lists: HashMap<String, OpList>,
}

fn exception_json(msg: &str) -> Value {
    json!({"ClassName": "System.InvalidOperationException", "Message": msg})
}

impl Ops {
    /// Registers a new operation in `scope`'s list and returns its id.
    pub fn add(
        &mut self,
        scope: &str,
        task_type: TaskType,
        description: String,
        cancel: Arc<AtomicBool>,
    ) -> u64 {
        let list = self.lists.entry(scope.to_lowercase()).or_default();
        list.last_id += 1;
        let id = list.last_id;
        list.ops.insert(
            id,
            Op {
                id,
                task_type,
                description,
                start_time: util::now_iso(),
                finished_at: None,
                state: OpState::default(),
                cancel,
            },
        );
        id
    }

    pub fn clear(&mut self) {
        self.lists.clear();
    }

    fn purge(&mut self) {
        let now = Instant::now();
        for list in self.lists.values_mut() {
            list.ops.retain(|_, op| match op.finished_at {
                Some(t) => now.duration_since(t) < RETENTION,
                None => true,
            });
            while list.ops.len() > MAX_ENTRIES {
                let oldest_done = list
                    .ops
                    .iter()
                    .find(|(_, o)| o.finished_at.is_some())
                    .map(|(k, _)| *k);
                match oldest_done {
                    Some(k) => {
                        list.ops.remove(&k);
                    }
                    None => break,
                }
            }
        }
    }

    pub fn get_mut(&mut self, scope: &str, id: u64) -> Option<&mut Op> {
        self.purge();
        self.lists.get_mut(&scope.to_lowercase())?.ops.get_mut(&id)
    }

    pub fn update(&mut self, scope: &str, id: u64, f: impl FnOnce(&mut OpState)) {
        if let Some(op) = self
            .lists
            .get_mut(&scope.to_lowercase())
            .and_then(|l| l.ops.get_mut(&id))
        {
            f(&mut op.state);
            if op.state.completed && op.finished_at.is_none() {
                op.finished_at = Some(Instant::now());
            }
        }
    }

    pub fn list(&mut self, scope: &str) -> Vec<&Op> {
        self.purge();
        self.lists
            .get(&scope.to_lowercase())
            .map(|l| l.ops.values().collect())
            .unwrap_or_default()
    }
}

impl Op {
    /// The state object of E7/E8, serialized as its concrete class (§7.2).
    pub fn state_json(&self, p: Protocol) -> Value {
        let s = &self.state;
        if self.task_type.is_backup() {
            // 3.5 ResourceBackupState (3.0 backups are not operations).
            let mut state =
                json!({"Progress": if s.completed { None } else { s.progress.clone() }});
            if s.faulted || s.canceled {
                state["Error"] = if s.canceled {
                    Value::Null
                } else {
                    json!(s.error)
                };
            }
            let exception = if s.faulted {
                exception_json(s.error.as_deref().unwrap_or(""))
            } else {
                Value::Null
            };
            return json!({"Completed": s.completed, "Faulted": s.faulted, "Canceled": s.canceled,
                "State": state, "Exception": exception});
        }
        match p {
            Protocol::V30 => {
                let state = if s.faulted {
                    json!({"Error": s.error.clone().unwrap_or_default()})
                } else {
                    Value::Null
                };
                json!({"Completed": s.completed, "Faulted": s.faulted, "State": state})
            }
            Protocol::V35 => {
                // Faulted: EMPTY State, the reason only in Exception (§7.2).
                let (state, exception) = if s.faulted {
                    (json!({}), exception_json(s.error.as_deref().unwrap_or("")))
                } else {
                    (Value::Null, Value::Null)
                };
                json!({"Exception": exception, "Completed": s.completed, "Faulted": s.faulted,
                    "Canceled": s.canceled, "State": state})
            }
        }
    }

    /// One item of `GET /operations` (§7.4).
    pub fn list_item(&self, p: Protocol) -> Value {
        let s = &self.state;
        let exception = if s.faulted {
            exception_json(s.error.as_deref().unwrap_or(""))
        } else {
            Value::Null
        };
        match p {
            Protocol::V30 => {
                let status = if !s.completed {
                    "Running"
                } else if s.faulted {
                    "Faulted"
                } else if s.canceled {
                    "Canceled"
                } else {
                    "RanToCompletion"
                };
                json!({"Id": self.id, "Payload": self.description, "TaskType": self.task_type.name(),
                    "StartTime": self.start_time, "TaskStatus": status, "Exception": exception})
            }
            Protocol::V35 => {
                let st = self.state_json(p);
                json!({"Id": self.id, "TaskType": self.task_type.name(), "Description": self.description,
                    "StartTime": self.start_time, "Status": st["State"].clone(),
                    "Completed": s.completed, "Faulted": s.faulted, "Canceled": s.canceled,
                    "Exception": exception, "Killable": self.task_type.is_backup() && !s.completed})
            }
        }
    }
}
