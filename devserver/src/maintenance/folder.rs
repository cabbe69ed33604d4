//! The on-disk backup folder (spec §3.7): its file names, its incremental
//! `Inc*` series and how the state it holds is read back.

use crate::store::{self, Doc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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
                .filter(|e| e.path().is_dir() && e.file_name().to_string_lossy().starts_with("Inc"))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

pub fn read_json(p: &Path) -> Option<Value> {
    serde_json::from_slice(&fs::read(p).ok()?).ok()
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
