//! Server state: the system database, tenant databases, file systems,
//! operations and the test-control state.

use crate::config::Config;
use crate::faults::Control;
use crate::ops::{Ops, SYSTEM};
use crate::store::{self, Store};
use crate::util;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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
}

impl Resource {
    fn open(name: &str, kind: Kind, dir: &Path) -> io::Result<Resource> {
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
                store::write_atomic(&id_file, json!({ "Id": id }).to_string().as_bytes())?;
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
        store::write_atomic(
            &self.dir.join("resource.json"),
            json!({ "Id": id }).to_string().as_bytes(),
        )?;
        if let Ok(mut g) = self.id.lock() {
            *g = id.to_string();
        }
        Ok(())
    }
}

pub struct App {
    pub cfg: Config,
    pub data_dir: PathBuf,
    pub db_root: PathBuf,
    pub fs_root: PathBuf,
    pub backup_root: PathBuf,
    pub system: Arc<Resource>,
    resources: Mutex<HashMap<String, Arc<Resource>>>,
    pub ops: Mutex<Ops>,
    pub tasks: Mutex<Vec<JoinHandle<()>>>,
    pub generation: AtomicU64,
    pub control: Mutex<Control>,
    pub seq: AtomicU64,
    pub access_log: Option<Mutex<fs::File>>,
    /// Serialises the check-and-take of the `Raven/Restore/InProgress` lock.
    pub restore_gate: Mutex<()>,
    /// Sleep per background step; starts at `--op-step-ms`, changeable by
    /// the test-only control endpoint `op-step`.
    pub op_step_ms: AtomicU64,
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub const DB_PREFIX: &str = "Raven/Databases/";
pub const FS_PREFIX: &str = "Raven/FileSystems/";

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
        };
        app.startup_tasks();
        Ok(app)
    }

    /// The real server's start-up tasks: delete backup status documents whose
    /// `Completed` is null (interrupted run) and the restore lock document.
    pub fn startup_tasks(&self) {
        let mut all: Vec<Arc<Resource>> = vec![self.system.clone()];
        for name in self.names(Kind::Db) {
            if let Some(r) = self.resource(Kind::Db, &name) {
                all.push(r);
            }
        }
        for name in self.names(Kind::Fs) {
            if let Some(r) = self.resource(Kind::Fs, &name) {
                all.push(r);
            }
        }
        for r in all {
            remove_interrupted_backup_status(r.status_store());
        }
        let _ = self.system.store.delete("Raven/Restore/InProgress");
    }

    fn prefix(kind: Kind) -> &'static str {
        if kind == Kind::Fs {
            FS_PREFIX
        } else {
            DB_PREFIX
        }
    }

    /// Registered names (original case), sorted case-insensitively.
    pub fn names(&self, kind: Kind) -> Vec<String> {
        let p = Self::prefix(kind);
        self.system
            .store
            .keys_with_prefix(p)
            .into_iter()
            .map(|k| k[p.len()..].to_string())
            .filter(|n| !n.is_empty() && !n.contains('/'))
            .collect()
    }

    /// The registry document (`Raven/Databases/{name}` / `Raven/FileSystems/{name}`).
    pub fn registry_doc(&self, kind: Kind, name: &str) -> Option<crate::store::Doc> {
        self.system
            .store
            .get(&format!("{}{name}", Self::prefix(kind)))
    }

    pub fn root_for(&self, kind: Kind) -> &Path {
        if kind == Kind::Fs {
            &self.fs_root
        } else {
            &self.db_root
        }
    }

    pub fn data_dir_setting(kind: Kind) -> &'static str {
        if kind == Kind::Fs {
            "Raven/FileSystem/DataDir"
        } else {
            "Raven/DataDir"
        }
    }

    /// Resolves a data directory setting (`~/x`, relative, or absolute inside the root).
    pub fn resolve_data_dir(&self, kind: Kind, setting: &str) -> Option<PathBuf> {
        util::confine(self.root_for(kind), setting)
    }

    /// Looks a registered database / file system up (opening it on first use).
    pub fn resource(&self, kind: Kind, name: &str) -> Option<Arc<Resource>> {
        if kind != Kind::Fs && name.eq_ignore_ascii_case(SYSTEM) {
            return Some(self.system.clone());
        }
        let key = format!("{kind:?}:{}", name.to_lowercase());
        let doc = match self.registry_doc(kind, name) {
            Some(d) => d,
            None => {
                lock(&self.resources).remove(&key);
                return None;
            }
        };
        if let Some(r) = lock(&self.resources).get(&key) {
            return Some(r.clone());
        }
        let real_name = doc.key[Self::prefix(kind).len()..].to_string();
        let setting = doc.data["Settings"][Self::data_dir_setting(kind)]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("~/{real_name}"));
        let dir = self.resolve_data_dir(kind, &setting)?;
        match Resource::open(&real_name, kind, &dir) {
            Ok(r) => {
                let r = Arc::new(r);
                remove_interrupted_backup_status(r.status_store());
                lock(&self.resources).insert(key, r.clone());
                Some(r)
            }
            Err(e) => {
                eprintln!("devserver: cannot open {real_name}: {e}");
                None
            }
        }
    }

    /// Forgets an opened resource (after deleting its registration).
    pub fn forget(&self, kind: Kind, name: &str) {
        lock(&self.resources).remove(&format!("{kind:?}:{}", name.to_lowercase()));
    }

    /// Stores the registry document, protecting SecuredSettings at rest.
    pub fn register(
        &self,
        kind: Kind,
        name: &str,
        settings: &Map<String, Value>,
        secured_plain: &Map<String, Value>,
        disabled: bool,
    ) -> io::Result<crate::store::Doc> {
        let secured: Map<String, Value> = secured_plain
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    json!(util::protect(v.as_str().unwrap_or_default())),
                )
            })
            .collect();
        let mut md = Map::new();
        md.insert(
            "Raven-Entity-Name".into(),
            json!(if kind == Kind::Fs {
                "FileSystems"
            } else {
                "Databases"
            }),
        );
        self.system.store.put(
            &format!("{}{name}", Self::prefix(kind)),
            json!({"Settings": settings, "SecuredSettings": secured, "Disabled": disabled}),
            md,
        )
    }

    /// The DatabaseDocument with decrypted SecuredSettings (E12 / backup).
    pub fn decrypted_document(&self, kind: Kind, name: &str) -> Option<(Value, String)> {
        if kind != Kind::Fs && name.eq_ignore_ascii_case(SYSTEM) {
            return Some((system_document(), crate::store::etag_text(0)));
        }
        let doc = self.registry_doc(kind, name)?;
        let real_name = doc.key[Self::prefix(kind).len()..].to_string();
        let mut secured = Map::new();
        if let Some(m) = doc.data["SecuredSettings"].as_object() {
            for (k, v) in m {
                secured.insert(
                    k.clone(),
                    json!(util::unprotect(v.as_str().unwrap_or_default())),
                );
            }
        }
        let settings = doc
            .data
            .get("Settings")
            .cloned()
            .unwrap_or_else(|| json!({}));
        Some((
            json!({"Id": real_name, "Settings": settings, "SecuredSettings": secured,
                "Disabled": doc.data["Disabled"].as_bool().unwrap_or(false)}),
            doc.etag_text(),
        ))
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

    /// Deletes a database or file system (registration and, if `hard`, data).
    pub fn delete_resource(&self, kind: Kind, name: &str, hard: bool) -> io::Result<bool> {
        let r = self.resource(kind, name);
        let removed = self
            .system
            .store
            .delete(&format!("{}{name}", Self::prefix(kind)))?;
        self.forget(kind, name);
        if hard {
            if let Some(r) = r {
                if r.dir.starts_with(&self.data_dir) && r.dir != self.data_dir {
                    let _ = fs::remove_dir_all(&r.dir);
                }
            }
        }
        Ok(removed)
    }
}

pub fn system_document() -> Value {
    json!({"Id": SYSTEM, "Settings": {}, "SecuredSettings": {}, "Disabled": false})
}

fn remove_interrupted_backup_status(s: &Store) {
    if let Some(d) = s.get("Raven/Backup/Status") {
        if d.data.get("Completed").is_none_or(|c| c.is_null()) {
            let _ = s.delete("Raven/Backup/Status");
        }
    }
}
