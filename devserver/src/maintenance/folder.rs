//! The on-disk backup folder (spec §3.7): its file names, its incremental
//! `Inc*` series and how the state it holds is read back.

use crate::app::{lock, App};
use crate::paths;
use crate::store::{self, Doc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The sub-folders a backup writes into.
pub const BACKUP_SUBFOLDERS: [&str; 2] = ["Indexes", "IndexDefinitions"];

/// A backup folder taken by one running backup; given back when dropped.
pub struct FolderClaim {
    app: Arc<App>,
    path: PathBuf,
}

impl FolderClaim {
    /// Takes `dest` (and every folder inside it) for `owner`'s backup, or
    /// names the resource whose backup is writing it.
    pub fn take(app: &Arc<App>, dest: &Path, owner: &str) -> Result<FolderClaim, String> {
        let mut taken = lock(&app.backup_folders);
        if let Some((_, other)) = taken.iter().find(|(p, _)| paths::overlap(p, dest)) {
            return Err(other.clone());
        }
        taken.insert(dest.to_path_buf(), owner.to_string());
        Ok(FolderClaim {
            app: app.clone(),
            path: dest.to_path_buf(),
        })
    }
}

impl Drop for FolderClaim {
    fn drop(&mut self) {
        lock(&self.app.backup_folders).remove(&self.path);
    }
}

pub const DATA_FILE: &str = "RavenDB.Voron.Backup";
pub const FAILURE_MARKER: &str = "Backup.Failure";
pub const INC_STATE: &str = "IncrementalBackupState.Document";
pub const BACKUP_FORMAT: &str = "devserver emulation of RavenDB.Voron.Backup, v1";

pub fn display(p: &Path) -> String {
    p.display().to_string()
}

pub fn probe_write(dir: &Path) -> std::io::Result<()> {
    let p = dir.join("write-permission-test");
    fs::write(&p, b"test")?;
    fs::remove_file(&p)
}

pub fn write_marker(dest: &Path, text: &str) {
    let _ = fs::create_dir_all(dest);
    let _ = store::write_atomic(&dest.join(FAILURE_MARKER), text.as_bytes());
}

pub fn inc_dirs(dest: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dest)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                // Real folders only: a link could lead out of the root.
                .filter(|e| {
                    e.file_type().is_ok_and(|t| t.is_dir())
                        && e.file_name().to_string_lossy().starts_with("Inc")
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

pub fn read_json(p: &Path) -> Option<Value> {
    serde_json::from_slice(&read_regular(p).ok()?).ok()
}

/// Reads a backup file, refusing a link (it could lead out of the root).
pub fn read_regular(p: &Path) -> std::io::Result<Vec<u8>> {
    if fs::symlink_metadata(p)?.file_type().is_symlink() {
        return Err(std::io::Error::other(format!(
            "Access to the path '{}' is denied.",
            display(p)
        )));
    }
    fs::read(p)
}

/// Reconstructs the state a backup folder holds: the full backup at the root
/// (if any) then every `Inc*` folder in ordinal order.
pub fn read_series(dest: &Path) -> Result<(BTreeMap<String, Doc>, Option<String>), String> {
    let mut docs = BTreeMap::new();
    let mut resource_id = None;
    let mut parts: Vec<PathBuf> = Vec::new();
    if dest.join(DATA_FILE).is_file() {
        parts.push(dest.to_path_buf());
    }
    parts.extend(
        inc_dirs(dest)
            .into_iter()
            .filter(|d| d.join(DATA_FILE).is_file()),
    );
    for part in parts {
        let f = part.join(DATA_FILE);
        let v = read_json(&f).ok_or_else(|| format!("{} is corrupted", display(&f)))?;
        let added = store::docs_from_json(&v["Documents"])
            .ok_or_else(|| format!("{} is corrupted", display(&f)))?;
        for d in added {
            docs.insert(d.key.to_lowercase(), d);
        }
        if let Some(del) = v["Deleted"].as_array() {
            for k in del.iter().filter_map(|k| k.as_str()) {
                docs.remove(&k.to_lowercase());
            }
        }
        if let Some(id) = v["ResourceId"].as_str() {
            resource_id = Some(id.to_string());
        }
    }
    Ok((docs, resource_id))
}

/// Newest `Inc*` folder holding `file`, else the root (§5.3 step 3).
pub fn find_document(backup: &Path, file: &str) -> PathBuf {
    let mut incs = inc_dirs(backup);
    incs.reverse();
    for d in incs {
        if d.join(file).is_file() {
            return d.join(file);
        }
    }
    backup.join(file)
}
