//! Server state: the system database, the opened databases and file
//! systems, operations, background tasks and the test-control state.

use crate::config::Config;
use crate::faults::Control;
use crate::ops::{Ops, SYSTEM};
use crate::store::Store;
use crate::util;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::task::JoinHandle;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    System,
    Db,
    Fs,
}

/// A database (system or tenant) or a file system.
pub struct Resource {
    pub name: String,
    pub kind: Kind,
    pub dir: PathBuf,
    /// Documents (databases) or files (file systems).
    pub store: Store,
    /// File-system configuration items (file systems only).
    pub config: Option<Store>,
    pub id: Mutex<String>,
    /// Makes "is a backup running?" and "a backup is running" one step.
    pub backup_gate: Mutex<()>,
}

impl Resource {
    pub(crate) fn open(name: &str, kind: Kind, dir: &Path) -> io::Result<Resource> {
        fs::create_dir_all(dir)?;
        let store = Store::open(dir)?;
        let config = if kind == Kind::Fs {
            Some(Store::open(&dir.join("config"))?)
        } else {
            None
        };
        let id_file = dir.join("resource.json");
        let id = match fs::read(&id_file)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| v.get("Id").and_then(|x| x.as_str()).map(String::from))
        {
            Some(id) => id,
            None => {
                let id = util::new_guid();
                store.write_beside("resource.json", json!({ "Id": id }).to_string().as_bytes())?;
                id
            }
        };
        Ok(Resource {
            name: name.to_string(),
            kind,
            dir: dir.to_path_buf(),
            store,
            config,
            id: Mutex::new(id),
            backup_gate: Mutex::new(()),
        })
    }

    /// Where `Raven/Backup/Status` lives: the database itself, or the FS config.
    pub fn status_store(&self) -> &Store {
        self.config.as_ref().unwrap_or(&self.store)
    }

    pub fn resource_id(&self) -> String {
        self.id.lock().map(|g| g.clone()).unwrap_or_default()
    }

    pub fn set_resource_id(&self, id: &str) -> io::Result<()> {
        self.store
            .write_beside("resource.json", json!({ "Id": id }).to_string().as_bytes())?;
        if let Ok(mut g) = self.id.lock() {
            *g = id.to_string();
        }
        Ok(())
    }

    /// After a hard delete: no later write may recreate the folder; the
    /// folder itself is removed when `remove` (it is the resource's own).
    pub fn close(&self, remove: bool) {
        let rm = || {
            if remove {
                let _ = fs::remove_dir_all(&self.dir);
            }
        };
        self.store.close_and(|| match &self.config {
            Some(c) => c.close_and(rm),
            None => rm(),
        });
    }
}

/// A restore in progress: the name it will register and the folder it writes.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreClaim {
    pub kind: Kind,
    pub name: String,
    pub dir: PathBuf,
}

pub struct App {
    pub cfg: Config,
    pub data_dir: PathBuf,
    pub db_root: PathBuf,
    pub fs_root: PathBuf,
    pub backup_root: PathBuf,
    pub system: Arc<Resource>,
    /// The opened databases and file systems, by kind and lower-case name.
    pub(crate) resources: Mutex<HashMap<String, Arc<Resource>>>,
    pub ops: Mutex<Ops>,
    pub tasks: Mutex<Vec<JoinHandle<()>>>,
    pub generation: AtomicU64,
    pub control: Mutex<Control>,
    pub seq: AtomicU64,
    pub access_log: Option<Mutex<fs::File>>,
    /// Serialises the check-and-take of the `Raven/Restore/InProgress` lock.
    pub restore_gate: Mutex<()>,
    /// Serialises every change of the registry with the checks before it;
    /// holds the restores in progress (their names and folders are taken).
    pub registry_gate: Mutex<Vec<RestoreClaim>>,
    /// Backup folders being written, with the resource writing each.
    pub backup_folders: Mutex<HashMap<PathBuf, String>>,
    /// The address the server listens on (set once bound).
    pub bound: OnceLock<SocketAddr>,
    /// Sleep per background step; starts at `--op-step-ms`, changeable by
    /// the test-only control endpoint `op-step`.
    pub op_step_ms: AtomicU64,
    /// The RSA and challenge keys of the API-key exchange (§11.3).
    pub oauth_keys: crate::auth::crypto::ServerKeys,
    /// Tokens handed out by `GET /singleAuthToken` (§11.4).
    pub single_use: crate::auth::single_use::SingleUseTokens,
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    fs::create_dir_all(p)?;
    fs::canonicalize(p)
}

impl App {
    pub fn new(cfg: Config) -> io::Result<App> {
        let data_dir = absolute(&cfg.data_dir)?;
        let backup_root = absolute(&cfg.backup_root)?;
        let db_root = data_dir.join("databases");
        let fs_root = data_dir.join("filesystems");
        fs::create_dir_all(&db_root)?;
        fs::create_dir_all(&fs_root)?;
        let system = Arc::new(Resource::open(
            SYSTEM,
            Kind::System,
            &data_dir.join("system"),
        )?);
        let access_log = match &cfg.access_log {
            Some(p) => Some(Mutex::new(
                fs::OpenOptions::new().create(true).append(true).open(p)?,
            )),
            None => None,
        };
        let op_step_ms = AtomicU64::new(cfg.op_step_ms);
        let app = App {
            op_step_ms,
            cfg,
            data_dir,
            db_root,
            fs_root,
            backup_root,
            system,
            resources: Mutex::new(HashMap::new()),
            ops: Mutex::new(Ops::default()),
            tasks: Mutex::new(Vec::new()),
            generation: AtomicU64::new(1),
            control: Mutex::new(Control::default()),
            seq: AtomicU64::new(0),
            access_log,
            restore_gate: Mutex::new(()),
            registry_gate: Mutex::new(Vec::new()),
            backup_folders: Mutex::new(HashMap::new()),
            bound: OnceLock::new(),
            oauth_keys: Default::default(),
            single_use: Default::default(),
        };
        // `--api-key`: the documents 3.x keeps in the system database (§11.3).
        for k in &app.cfg.api_keys {
            app.system
                .store
                .put_json(&crate::auth::api_key_doc_id(&k.name), k.document())?;
        }
        Ok(app)
    }

    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn current_generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Aborts every background task (like a process exit would).
    pub fn abort_tasks(&self) {
        self.next_generation();
        for t in lock(&self.tasks).drain(..) {
            t.abort();
        }
    }

    pub fn track(&self, h: JoinHandle<()>) {
        let mut t = lock(&self.tasks);
        t.retain(|h| !h.is_finished());
        t.push(h);
    }
}

pub fn system_document() -> Value {
    json!({"Id": SYSTEM, "Settings": {}, "SecuredSettings": {}, "Disabled": false})
}

/// The real server's start-up task: an interrupted backup's status goes.
pub fn remove_interrupted_backup_status(s: &Store) {
    if let Some(d) = s.get("Raven/Backup/Status") {
        if d.data.get("Completed").is_none_or(|c| c.is_null()) {
            let _ = s.delete("Raven/Backup/Status");
        }
    }
}
