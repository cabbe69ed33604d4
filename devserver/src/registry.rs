//! The registry of databases and file systems (`Raven/Databases/{name}`,
//! `Raven/FileSystems/{name}` in the system database): names, registration,
//! deletion, restores in progress, and the rule that every data folder is
//! its resource's own.

use crate::app::{lock, App, Kind, Resource, RestoreClaim};
use crate::ops::SYSTEM;
use crate::paths;
use crate::store::{self, Doc};
use crate::util;
use serde_json::{json, Map, Value};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const DB_PREFIX: &str = "Raven/Databases/";
pub const FS_PREFIX: &str = "Raven/FileSystems/";
/// Where the restores in progress are remembered, so that a restart can
/// remove what an interrupted restore left half-written.
const CLAIMS_FILE: &str = "restores-in-progress.json";

/// Why a restore may not start writing.
pub enum ClaimRefused {
    /// The name is registered (by a PUT while the restore waited).
    Exists,
    /// The folder is another resource's (the message says whose).
    Folder(String),
}

fn word(kind: Kind) -> &'static str {
    if kind == Kind::Fs {
        "file system"
    } else {
        "database"
    }
}

impl App {
    pub fn prefix(kind: Kind) -> &'static str {
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
    pub fn registry_doc(&self, kind: Kind, name: &str) -> Option<Doc> {
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

    /// Resolves a data directory setting (`~/x`, relative, or absolute inside
    /// the root), symbolic links included.
    pub fn resolve_data_dir(&self, kind: Kind, setting: &str) -> Option<PathBuf> {
        paths::confine_resolved(self.root_for(kind), setting)
    }

    /// The data folder a registered resource uses.
    pub fn registered_dir(&self, kind: Kind, name: &str) -> Option<PathBuf> {
        let doc = self.registry_doc(kind, name)?;
        let setting = doc.data["Settings"][Self::data_dir_setting(kind)]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("~/{name}"));
        paths::confine(self.root_for(kind), &setting)
    }

    /// Why `dir` (the text `setting`) cannot be `name`'s own folder: it is the
    /// folder of every resource, or another one's (registered or being
    /// restored), or holds one. Call it holding `registry_gate`.
    pub fn foreign_folder(
        &self,
        claims: &[RestoreClaim],
        kind: Kind,
        name: &str,
        dir: &Path,
        setting: &str,
    ) -> Option<String> {
        let w = word(kind);
        let root = self.root_for(kind);
        if paths::same(dir, root) || !dir.starts_with(root) {
            return Some(format!("The data directory '{setting}' is the folder of every {w}; a {w} needs a folder of its own."));
        }
        for other in self.names(kind) {
            if other.eq_ignore_ascii_case(name) {
                continue;
            }
            if let Some(od) = self.registered_dir(kind, &other) {
                if paths::overlap(dir, &od) {
                    return Some(format!("The data directory '{setting}' overlaps the folder of the {w} {other}; a {w} needs a folder of its own."));
                }
            }
        }
        for c in claims.iter().filter(|c| c.kind == kind) {
            if !c.name.eq_ignore_ascii_case(name) && paths::overlap(dir, &c.dir) {
                return Some(format!("The data directory '{setting}' overlaps the folder a restore of the {w} {} is writing; a {w} needs a folder of its own.", c.name));
            }
        }
        None
    }

    /// Whether a restore into `name` is in progress.
    pub fn being_restored(claims: &[RestoreClaim], kind: Kind, name: &str) -> bool {
        claims
            .iter()
            .any(|c| c.kind == kind && c.name.eq_ignore_ascii_case(name))
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
        // No link inside the folder may lead out of the root either.
        let root = self.root_for(kind);
        if !["docs", "config/docs"]
            .iter()
            .all(|sub| crate::paths::resolves_inside(root, &dir.join(sub)))
        {
            eprintln!(
                "devserver: {real_name}: a link in its folder leads outside {}",
                root.display()
            );
            return None;
        }
        match Resource::open(&real_name, kind, &dir) {
            Ok(r) => {
                let r = Arc::new(r);
                crate::app::remove_interrupted_backup_status(r.status_store());
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
    ) -> io::Result<Doc> {
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
            return Some((crate::app::system_document(), store::etag_text(0)));
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

    /// Deletes a database or file system (registration and, if `hard`, its
    /// own data folder). The system database is never deleted.
    pub fn delete_resource(&self, kind: Kind, name: &str, hard: bool) -> io::Result<bool> {
        if kind != Kind::Fs && name.eq_ignore_ascii_case(SYSTEM) {
            return Ok(false);
        }
        let claims = lock(&self.registry_gate);
        let r = self.resource(kind, name);
        let removed = self
            .system
            .store
            .delete(&format!("{}{name}", Self::prefix(kind)))?;
        self.forget(kind, name);
        if let (true, Some(r)) = (hard && removed, r) {
            // Only a folder that is nobody else's goes (older registrations
            // may still share one).
            let own = r.dir.starts_with(self.root_for(kind))
                && self
                    .foreign_folder(&claims, kind, name, &r.dir, "")
                    .is_none();
            r.close(own);
        }
        Ok(removed)
    }

    /// Takes `name` and its folder for a restore, unless the name was
    /// registered meanwhile or the folder is not its own.
    pub fn claim_restore(
        &self,
        kind: Kind,
        name: &str,
        dir: &Path,
        setting: &str,
    ) -> Result<(), ClaimRefused> {
        let mut claims = lock(&self.registry_gate);
        if self.registry_doc(kind, name).is_some() {
            return Err(ClaimRefused::Exists);
        }
        if let Some(why) = self.foreign_folder(&claims, kind, name, dir, setting) {
            return Err(ClaimRefused::Folder(why));
        }
        claims.push(RestoreClaim {
            kind,
            name: name.to_string(),
            dir: dir.to_path_buf(),
        });
        self.save_claims(&claims);
        Ok(())
    }

    /// Registers what a restore rebuilt and gives its claim back, as one step.
    pub fn register_restored(
        &self,
        kind: Kind,
        name: &str,
        settings: &Map<String, Value>,
        secured: &Map<String, Value>,
        disabled: bool,
    ) -> io::Result<()> {
        let mut claims = lock(&self.registry_gate);
        if self.registry_doc(kind, name).is_some() {
            return Err(io::Error::other(format!(
                "Cannot do an online restore for an existing {}, delete the {} {name} and restore again.",
                word(kind),
                word(kind)
            )));
        }
        self.register(kind, name, settings, secured, disabled)?;
        claims.retain(|c| !(c.kind == kind && c.name.eq_ignore_ascii_case(name)));
        self.save_claims(&claims);
        Ok(())
    }

    /// Gives a failed restore's claim back, removing what it wrote (unless
    /// the name got registered, or the folder held something before).
    pub fn release_restore(&self, kind: Kind, name: &str, remove_dir: bool) {
        let mut claims = lock(&self.registry_gate);
        if let Some(c) = claims
            .iter()
            .find(|c| c.kind == kind && c.name.eq_ignore_ascii_case(name))
        {
            if remove_dir && self.registry_doc(kind, name).is_none() {
                let _ = fs::remove_dir_all(&c.dir);
            }
        }
        claims.retain(|c| !(c.kind == kind && c.name.eq_ignore_ascii_case(name)));
        self.save_claims(&claims);
    }

    /// At start (and after a simulated restart): a restore that was running
    /// never registered its resource; what it half-wrote is removed.
    pub fn drop_interrupted_restores(&self) {
        let mut claims = lock(&self.registry_gate);
        let mut all = claims.clone();
        all.extend(self.load_claims());
        for c in &all {
            let root = self.root_for(c.kind);
            let inside = c.dir.starts_with(root) && !paths::same(&c.dir, root);
            if inside && self.registry_doc(c.kind, &c.name).is_none() {
                let _ = fs::remove_dir_all(&c.dir);
            }
        }
        claims.clear();
        self.save_claims(&claims);
    }

    fn save_claims(&self, claims: &[RestoreClaim]) {
        let path = self.data_dir.join(CLAIMS_FILE);
        let result = if claims.is_empty() {
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            let list: Vec<Value> = claims
                .iter()
                .map(|c| json!({"Kind": format!("{:?}", c.kind), "Name": c.name, "Dir": c.dir}))
                .collect();
            store::write_atomic(&path, Value::Array(list).to_string().as_bytes())
        };
        if let Err(e) = result {
            eprintln!("devserver: cannot record the restores in progress: {e}");
        }
    }

    fn load_claims(&self) -> Vec<RestoreClaim> {
        let Some(Value::Array(list)) = fs::read(self.data_dir.join(CLAIMS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|c| {
                Some(RestoreClaim {
                    kind: if c["Kind"] == "Fs" {
                        Kind::Fs
                    } else {
                        Kind::Db
                    },
                    name: c["Name"].as_str()?.to_string(),
                    dir: PathBuf::from(c["Dir"].as_str()?),
                })
            })
            .collect()
    }
}
