//! A durable key -> JSON-document store: one file per document.
//!
//! Every write goes to a temp file, is fsynced, renamed over the final name and
//! the directory is fsynced, so a crash leaves either the old or the new
//! version, never a half-written one. Leftover temp files are removed on open.

use crate::util;
use base64::Engine;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub key: String,
    pub etag: u64,
    pub last_modified: String,
    pub metadata: Map<String, Value>,
    pub data: Value,
}

impl Doc {
    /// RavenDB 3.x etag text for this document.
    pub fn etag_text(&self) -> String {
        etag_text(self.etag)
    }

    /// The document with its `@metadata` as `POST /queries` and `GET /docs` list it.
    pub fn with_metadata(&self) -> Value {
        let mut data = match &self.data {
            Value::Object(m) => m.clone(),
            other => {
                let mut m = Map::new();
                m.insert("Value".into(), other.clone());
                m
            }
        };
        let mut md = self.metadata.clone();
        md.insert("@id".into(), json!(self.key));
        md.insert("@etag".into(), json!(self.etag_text()));
        md.insert("Last-Modified".into(), json!(self.last_modified));
        md.insert("Raven-Last-Modified".into(), json!(self.last_modified));
        md.insert("Non-Authoritative-Information".into(), json!(false));
        data.insert("@metadata".into(), Value::Object(md));
        Value::Object(data)
    }

    fn to_file(&self) -> Value {
        json!({
            "Key": self.key,
            "Etag": self.etag,
            "LastModified": self.last_modified,
            "Metadata": self.metadata,
            "Data": self.data,
        })
    }

    fn from_file(v: &Value) -> Option<Doc> {
        Some(Doc {
            key: v.get("Key")?.as_str()?.to_string(),
            etag: v.get("Etag")?.as_u64()?,
            last_modified: v.get("LastModified")?.as_str()?.to_string(),
            metadata: v.get("Metadata")?.as_object()?.clone(),
            data: v.get("Data")?.clone(),
        })
    }
}

pub fn etag_text(n: u64) -> String {
    format!("01000000-0000-0001-0000-{:012X}", n & 0xFFFF_FFFF_FFFF)
}

struct Inner {
    docs: BTreeMap<String, Doc>,
    last_etag: u64,
    /// Set when the database was deleted: no write may recreate its folder.
    closed: bool,
}

fn closed_error() -> std::io::Error {
    std::io::Error::other("the database was deleted")
}

pub struct Store {
    dir: PathBuf,
    inner: Mutex<Inner>,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically and durably (temp file, fsync, rename, dir fsync).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Temp file, fsync, rename: atomic, durable once the folder is synced.
fn write_renamed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// [`write_atomic`] for many files of one folder: the writes run on a few
/// threads at once, so their fsyncs overlap and the file system commits
/// them together (one folder sync at the end). Seeding the demo set and a
/// restore's import take a fraction of the time one-by-one writes take.
fn write_many(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    const WRITERS: usize = 16;
    if files.is_empty() {
        return Ok(());
    }
    let per_writer = files.len().div_ceil(WRITERS);
    std::thread::scope(|s| {
        let writers: Vec<_> = files
            .chunks(per_writer)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .try_for_each(|(path, bytes)| write_renamed(path, bytes))
                })
            })
            .collect();
        writers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a writer thread panicked")))
        })
    })?;
    sync_dir(dir)
}

pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, removing temp leftovers.
    pub fn open(dir: &Path) -> std::io::Result<Store> {
        let docs_dir = dir.join("docs");
        fs::create_dir_all(&docs_dir)?;
        let mut docs = BTreeMap::new();
        let mut last_etag = 0;
        for entry in fs::read_dir(&docs_dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".tmp-") {
                let _ = fs::remove_file(entry.path());
                continue;
            }
            let parsed = fs::read(entry.path())
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .and_then(|v| Doc::from_file(&v));
            match parsed {
                Some(doc) => {
                    last_etag = last_etag.max(doc.etag);
                    docs.insert(doc.key.to_lowercase(), doc);
                }
                None => eprintln!(
                    "devserver: ignoring unreadable document file {}",
                    entry.path().display()
                ),
            }
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            inner: Mutex::new(Inner {
                docs,
                last_etag,
                closed: false,
            }),
        })
    }

    /// Refuses every later write, then runs `f` (which deletes the folder)
    /// while no write can be in flight.
    pub fn close_and<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut g = self.lock();
        g.closed = true;
        f()
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Writes a file next to the documents (like `resource.json`), unless
    /// the store was closed.
    pub fn write_beside(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        write_atomic(&self.dir.join(name), bytes)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn path_for(&self, key: &str) -> PathBuf {
        self.dir
            .join("docs")
            .join(util::file_name_for(&key.to_lowercase()))
    }

    pub fn get(&self, key: &str) -> Option<Doc> {
        self.lock().docs.get(&key.to_lowercase()).cloned()
    }

    pub fn put(
        &self,
        key: &str,
        data: Value,
        metadata: Map<String, Value>,
    ) -> std::io::Result<Doc> {
        let mut g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        let etag = g.last_etag + 1;
        let doc = Doc {
            key: key.to_string(),
            etag,
            last_modified: util::now_iso(),
            metadata,
            data,
        };
        let bytes = serde_json::to_vec(&doc.to_file()).map_err(std::io::Error::other)?;
        write_atomic(&self.path_for(key), &bytes)?;
        g.last_etag = etag;
        g.docs.insert(key.to_lowercase(), doc.clone());
        Ok(doc)
    }

    /// Stores a JSON document keeping the metadata of an existing version.
    pub fn put_json(&self, key: &str, data: Value) -> std::io::Result<Doc> {
        let md = self.get(key).map(|d| d.metadata).unwrap_or_default();
        self.put(key, data, md)
    }

    pub fn delete(&self, key: &str) -> std::io::Result<bool> {
        let mut g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        if g.docs.remove(&key.to_lowercase()).is_none() {
            return Ok(false);
        }
        let p = self.path_for(key);
        match fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        sync_dir(&self.dir.join("docs"))?;
        Ok(true)
    }

    /// All documents, newest first (like RavenDB's `GET /docs`).
    pub fn all_by_etag_desc(&self) -> Vec<Doc> {
        let mut v: Vec<Doc> = self.lock().docs.values().cloned().collect();
        v.sort_by_key(|d| std::cmp::Reverse(d.etag));
        v
    }

    pub fn snapshot(&self) -> Vec<Doc> {
        self.lock().docs.values().cloned().collect()
    }

    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let p = prefix.to_lowercase();
        self.lock()
            .docs
            .range(p.clone()..)
            .take_while(|(k, _)| k.starts_with(&p))
            .map(|(_, d)| d.key.clone())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lock().docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Deletes every document.
    pub fn clear(&self) -> std::io::Result<()> {
        let mut g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        let keys: Vec<String> = g.docs.values().map(|d| d.key.clone()).collect();
        for k in keys {
            g.docs.remove(&k.to_lowercase());
            match fs::remove_file(self.path_for(&k)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        sync_dir(&self.dir.join("docs"))
    }

    /// Stores new documents (fresh etags) in one batch, like [`Store::put`] each.
    pub fn put_many(&self, docs: Vec<(String, Value, Map<String, Value>)>) -> std::io::Result<()> {
        let mut g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        let mut etag = g.last_etag;
        let batch: Vec<Doc> = docs
            .into_iter()
            .map(|(key, data, metadata)| {
                etag += 1;
                Doc {
                    key,
                    etag,
                    last_modified: util::now_iso(),
                    metadata,
                    data,
                }
            })
            .collect();
        self.write_batch(&mut g, &batch)
    }

    fn write_batch(&self, g: &mut Inner, docs: &[Doc]) -> std::io::Result<()> {
        // One file per id: the last version of an id wins, as one by one.
        let last: BTreeMap<String, &Doc> = docs.iter().map(|d| (d.key.to_lowercase(), d)).collect();
        let docs: Vec<&Doc> = last.into_values().collect();
        let files = docs
            .iter()
            .map(|d| {
                let bytes = serde_json::to_vec(&d.to_file()).map_err(std::io::Error::other)?;
                Ok((self.path_for(&d.key), bytes))
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        // Whatever was written is visible, even when a later write failed.
        let result = write_many(&self.dir.join("docs"), &files);
        for d in docs {
            if self.path_for(&d.key).exists() {
                g.last_etag = g.last_etag.max(d.etag);
                g.docs.insert(d.key.to_lowercase(), (*d).clone());
            }
        }
        result
    }

    /// Writes a batch of documents keeping their etags / dates (used by restore).
    pub fn import(&self, docs: &[Doc]) -> std::io::Result<()> {
        let mut g = self.lock();
        if g.closed {
            return Err(closed_error());
        }
        self.write_batch(&mut g, docs)
    }
}

/// Serialises documents for a backup file.
pub fn docs_to_json(docs: &[Doc]) -> Value {
    Value::Array(docs.iter().map(|d| d.to_file()).collect())
}

pub fn docs_from_json(v: &Value) -> Option<Vec<Doc>> {
    v.as_array()?.iter().map(Doc::from_file).collect()
}

/// How a file-system file is stored as a document: its bytes in base64.
pub fn file_value(bytes: &[u8]) -> Value {
    json!({"Content": base64::engine::general_purpose::STANDARD.encode(bytes), "Size": bytes.len()})
}

/// A file's modification time, or now.
pub fn mtime(p: &Path) -> SystemTime {
    fs::metadata(p)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| SystemTime::now())
}
