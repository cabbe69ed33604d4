//! Backup (E1/E2/E17), restore (E4/E19) and compact (E10): synchronous
//! validation exactly as §3.4 / §5.3 / §8, then a background tokio task that
//! advances through visible steps, writing real files and status documents.

use crate::app::{lock, App, FailSpec, Kind, Resource};
use crate::config::Protocol;
use crate::http::{self, Reply, R};
use crate::ops::{TaskType, SYSTEM};
use crate::store::{self, Doc};
use crate::util;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub const DATA_FILE: &str = "RavenDB.Voron.Backup";
pub const FAILURE_MARKER: &str = "Backup.Failure";
pub const INC_STATE: &str = "IncrementalBackupState.Document";
const BACKUP_FORMAT: &str = "devserver emulation of RavenDB.Voron.Backup, v1";

const SITE_BACKUP: &str = "Raven.Database.Actions.MaintenanceActions.StartBackup(String backupDestinationDirectory, Boolean incrementalBackup, DatabaseDocument databaseDocument, ResourceBackupState state, CancellationToken token)";
const SITE_RESTORE: &str =
    "Raven.Database.Server.Controllers.Admin.AdminController.<Restore>d__0.MoveNext()";
const SITE_FS_RESTORE: &str =
    "Raven.Database.FileSystem.Controllers.AdminFileSystemController.<Restore>d__0.MoveNext()";

/// Case-insensitive member lookup, like JSON.NET's default binding.
pub fn field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn str_field(v: &Value, name: &str, url: &str) -> Result<Option<String>, Reply> {
    match field(v, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(http::net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            &format!("Error converting value to type 'System.String'. Path '{name}'."),
            "Newtonsoft.Json.Serialization.JsonSerializerInternalReader.EnsureType(JsonReader reader, Object value, CultureInfo culture, JsonContract contract, Type targetType)",
        )),
    }
}

fn bool_field(v: &Value, name: &str, url: &str) -> Result<bool, Reply> {
    match field(v, name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(http::net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            &format!("Error converting value to type 'System.Boolean'. Path '{name}'."),
            "Newtonsoft.Json.Serialization.JsonSerializerInternalReader.EnsureType(JsonReader reader, Object value, CultureInfo culture, JsonContract contract, Type targetType)",
        )),
    }
}

/// Parses a request body the way the 3.x controllers do (JSON.NET).
pub fn parse_body(body: &[u8], url: &str, site: &str) -> Result<Value, Reply> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(http::net_error(
            url,
            "System.NullReferenceException",
            "Object reference not set to an instance of an object.",
            site,
        ));
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| http::bad_json(url, &e.to_string()))?;
    if !v.is_object() {
        return Err(http::net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            "Cannot deserialize the current JSON value into an object: a JSON object (e.g. {\"name\":\"value\"}) is required.",
            site,
        ));
    }
    Ok(v)
}

/// `.NET bool.TryParse`; unparsable -> None.
pub fn parse_bool(s: Option<&str>) -> Option<bool> {
    match s.map(|s| s.trim().to_ascii_lowercase()) {
        Some(s) if s == "true" => Some(true),
        Some(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

// ---------------------------------------------------------------- stepping

enum Stop {
    Failed(String),
    Canceled,
}

struct Stepper {
    app: Arc<App>,
    n: u32,
    fail: Option<FailSpec>,
    cancel: Arc<AtomicBool>,
}

impl Stepper {
    fn new(app: &Arc<App>, kind: &str, cancel: Arc<AtomicBool>) -> Stepper {
        let fail = lock(&app.control).fail_next.remove(kind);
        Stepper {
            app: app.clone(),
            n: 0,
            fail,
            cancel,
        }
    }

    async fn step(&mut self) -> Result<(), Stop> {
        self.n += 1;
        tokio::time::sleep(Duration::from_millis(
            self.app
                .op_step_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        ))
        .await;
        if self.cancel.load(Ordering::SeqCst) {
            return Err(Stop::Canceled);
        }
        if let Some(f) = &self.fail {
            if f.at_step <= self.n {
                let e = f.error.clone();
                self.fail = None;
                return Err(Stop::Failed(e));
            }
        }
        Ok(())
    }

    /// An injected failure whose step was never reached fires at the end.
    fn last(&mut self) -> Result<(), Stop> {
        match self.fail.take() {
            Some(f) => Err(Stop::Failed(f.error)),
            None => Ok(()),
        }
    }
}

fn io_stop(e: std::io::Error) -> Stop {
    Stop::Failed(e.to_string())
}

// ---------------------------------------------------------------- backup

struct BackupStatus {
    app: Arc<App>,
    res: Arc<Resource>,
    started: String,
    completed: Option<String>,
    running: bool,
    success: bool,
    messages: Vec<Value>,
    op: Option<u64>,
}

impl BackupStatus {
    fn doc(&self) -> Value {
        let mut v = json!({"Started": self.started, "Completed": self.completed, "IsRunning": self.running});
        if self.app.cfg.is35() {
            v["Success"] = json!(self.success);
        }
        v["Messages"] = Value::Array(self.messages.clone());
        v
    }

    fn write(&self) {
        if let Err(e) = self
            .res
            .status_store()
            .put_json("Raven/Backup/Status", self.doc())
        {
            eprintln!("devserver: cannot write backup status: {e}");
        }
    }

    fn msg(&mut self, text: &str, error_details: Option<String>) {
        let sev = if error_details.is_some() {
            "Error"
        } else {
            "Informational"
        };
        self.messages
            .push(json!({"Message": text, "Details": error_details,
            "Timestamp": util::now_iso(), "Severity": sev}));
        self.write();
        if let Some(id) = self.op {
            let t = text.to_string();
            lock(&self.app.ops).update(SYSTEM, id, |s| s.progress = Some(t));
        }
    }
}

/// E1 / E2 / E17. `res` is the database (or system DB, or file system).
pub fn start_backup(
    app: &Arc<App>,
    res: Arc<Resource>,
    body: &[u8],
    incremental: bool,
    url: &str,
) -> R {
    let is_fs = res.kind == Kind::Fs;
    let v = parse_body(body, url, SITE_BACKUP)?;
    let location = str_field(&v, "BackupLocation", url)?;
    let doc_field = if is_fs {
        "FileSystemDocument"
    } else {
        "DatabaseDocument"
    };
    // Step 3: the document stored as Database.Document / Filesystem.Document.
    let mut document = match field(&v, doc_field) {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        Some(_) => {
            return Err(http::net_error(
                url,
                "Newtonsoft.Json.JsonSerializationException",
                &format!("Error converting value to type 'DatabaseDocument'. Path '{doc_field}'."),
                SITE_BACKUP,
            ))
        }
        None => match app.decrypted_document(res.kind, &res.name) {
            Some((d, _)) => d,
            None => {
                return Err(http::net_error(
                    url,
                    "System.ArgumentNullException",
                    "Value cannot be null.\r\nParameter name: databaseDocument",
                    SITE_BACKUP,
                ))
            }
        },
    };
    let storage_key = if is_fs {
        "Raven/FileSystem/Storage"
    } else {
        "Raven/StorageTypeName"
    };
    if !document.get("Settings").is_some_and(|s| s.is_object()) {
        document["Settings"] = json!({});
    }
    if document["Settings"].get(storage_key).is_none() {
        document["Settings"][storage_key] = json!("voron");
    }
    // Step 4: already running (the lock is the status document itself).
    if let Some(d) = res.status_store().get("Raven/Backup/Status") {
        if d.data["IsRunning"].as_bool() == Some(true) {
            return Err(http::invalid_op(
                url,
                "Backup is already running",
                SITE_BACKUP,
            ));
        }
    }
    let is35 = app.cfg.is35();
    // Destination: confined to the backup root (devserver rule, documented).
    let dest = match &location {
        Some(l) => match util::confine(&app.backup_root, l) {
            Some(p) => Some(p),
            None => return Err(http::access_denied(url, l, SITE_BACKUP)),
        },
        None if is35 => None,
        None => {
            return Err(http::net_error(
                url,
                "System.ArgumentNullException",
                "Value cannot be null.\r\nParameter name: backupDestinationDirectory",
                SITE_BACKUP,
            ))
        }
    };
    // Step 5: [3.5] failure marker.
    if is35 {
        if let Some(d) = &dest {
            if d.join(FAILURE_MARKER).exists() {
                return Err(http::invalid_op(url, "Backup failure marker was detected. In order to proceed remove old backup files or supply different backup directory.", SITE_BACKUP));
            }
        }
    }
    if is_fs {
        if let Some(d) = &dest {
            if d.is_dir() && probe_write(d).is_err() {
                return Err(Reply::json(
                    400,
                    json!({"Message": format!("No permissions for folder - {}", display(d))}),
                ));
            }
        }
    }
    // Steps 6-7: incremental prerequisites, from the resource's own configuration.
    let own_settings = app
        .registry_doc(res.kind, &res.name)
        .map(|d| d.data["Settings"].clone())
        .unwrap_or_else(|| json!({}));
    if incremental {
        let storage = own_settings[storage_key].as_str().unwrap_or("voron");
        if storage.eq_ignore_ascii_case("esent") {
            if !own_settings["Raven/Esent/CircularLog"]
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("false"))
            {
                return Err(http::invalid_op(url, "In order to run incremental backups using Esent you must have circular logging disabled", SITE_BACKUP));
            }
        } else if !own_settings["Raven/Voron/AllowIncrementalBackups"]
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        {
            return Err(http::invalid_op(url, "In order to run incremental backups using Voron you must have the appropriate setting key (Raven/Voron/AllowIncrementalBackups) set to true", SITE_BACKUP));
        }
    }
    // Step 8: overwrite the status document before replying.
    let mut status = BackupStatus {
        app: app.clone(),
        res: res.clone(),
        started: util::now_iso(),
        completed: None,
        running: true,
        success: false,
        messages: Vec::new(),
        op: None,
    };
    status.write();
    // Step 9: [3.5] null BackupLocation fails AFTER the status was written, so the
    // document stays IsRunning:true until restart (real 3.5 bug, reproduced).
    let Some(dest) = dest else {
        return Err(http::net_error(
            url,
            "System.ArgumentNullException",
            "Value cannot be null.\r\nParameter name: backupDestinationDirectory",
            SITE_BACKUP,
        ));
    };
    let cancel = Arc::new(AtomicBool::new(false));
    if is35 {
        let tt = if is_fs {
            TaskType::BackupFilesystem
        } else {
            TaskType::BackupDatabase
        };
        let id = lock(&app.ops).add(
            SYSTEM,
            tt,
            format!("Backup to: {}", location.clone().unwrap_or_default()),
            cancel.clone(),
        );
        status.op = Some(id);
    }
    let op = status.op;
    let stepper = Stepper::new(app, "backup", cancel);
    let h = tokio::spawn(run_backup(status, stepper, dest, incremental, document));
    app.track(h);
    Ok(match op {
        Some(id) => Reply::json(202, json!({ "OperationId": id })),
        None => Reply::empty(201),
    })
}

fn probe_write(dir: &Path) -> std::io::Result<()> {
    let p = dir.join("write-permission-test");
    fs::write(&p, b"test")?;
    fs::remove_file(&p)
}

async fn run_backup(
    mut st: BackupStatus,
    mut sp: Stepper,
    dest: PathBuf,
    incremental: bool,
    document: Value,
) {
    let result = backup_steps(&mut st, &mut sp, &dest, incremental, &document).await;
    let is35 = st.app.cfg.is35();
    let (faulted, canceled, error) = match result {
        Ok(()) => (false, false, None),
        Err(Stop::Failed(e)) => {
            let text = format!("Failed to complete backup because: {e}");
            st.msg(
                &text,
                Some(http::exception_text(
                    "System.InvalidOperationException",
                    &e,
                    SITE_BACKUP,
                )),
            );
            if is35 {
                write_marker(&dest, &text);
            }
            (true, false, Some(text))
        }
        Err(Stop::Canceled) => {
            st.msg(
                "Backup was canceled",
                Some(http::exception_text(
                    "System.OperationCanceledException",
                    "The operation was canceled.",
                    SITE_BACKUP,
                )),
            );
            if is35 {
                write_marker(&dest, "Backup was canceled");
            }
            (false, true, None)
        }
    };
    st.running = false;
    st.success = !faulted && !canceled;
    st.completed = Some(util::now_iso());
    st.write();
    if let Some(id) = st.op {
        lock(&st.app.ops).update(SYSTEM, id, |s| {
            s.completed = true;
            s.faulted = faulted;
            s.canceled = canceled;
            s.error = error;
        });
    }
}

fn write_marker(dest: &Path, text: &str) {
    let _ = fs::create_dir_all(dest);
    let _ = store::write_atomic(&dest.join(FAILURE_MARKER), text.as_bytes());
}

fn inc_dirs(dest: &Path) -> Vec<PathBuf> {
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

fn read_json(p: &Path) -> Option<Value> {
    serde_json::from_slice(&fs::read(p).ok()?).ok()
}

/// Reconstructs the state a backup folder holds: the full backup at the root
/// (if any) then every `Inc*` folder in ordinal order.
fn read_series(dest: &Path) -> Result<(BTreeMap<String, Doc>, Option<String>), String> {
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

async fn backup_steps(
    st: &mut BackupStatus,
    sp: &mut Stepper,
    dest: &Path,
    incremental: bool,
    document: &Value,
) -> Result<(), Stop> {
    let is35 = st.app.cfg.is35();
    let res = st.res.clone();
    st.msg(
        &format!(
            "Started backup process. Backing up data to directory = '{}'",
            display(dest)
        ),
        None,
    );
    sp.step().await?;
    if let Err(e) = fs::create_dir_all(dest) {
        return Err(Stop::Failed(format!(
            "Could not create directory '{}': {e}",
            display(dest)
        )));
    }
    if is35 && probe_write(dest).is_err() {
        return Err(Stop::Failed(format!(
            "You don't have write access to the path {}",
            display(dest)
        )));
    }
    sp.step().await?;
    let resource_name = if res.kind == Kind::System {
        SYSTEM.to_string()
    } else {
        res.name.clone()
    };
    let target = if incremental {
        let state_file = dest.join(INC_STATE);
        match read_json(&state_file) {
            Some(s) => {
                if s["ResourceId"].as_str() != Some(res.resource_id().as_str()) {
                    return Err(Stop::Failed(format!(
                        "Can't perform an incremental backup to a given folder because it already contains incremental backup data of different database. Existing incremental data origins from '{}' database.",
                        s["ResourceName"].as_str().unwrap_or("")
                    )));
                }
            }
            None => {
                let s = json!({"ResourceId": res.resource_id(), "ResourceName": resource_name});
                let text = serde_json::to_string_pretty(&s).unwrap_or_default();
                store::write_atomic(&state_file, text.as_bytes()).map_err(io_stop)?;
            }
        }
        let mut t = dest.join(util::inc_folder_name(SystemTime::now()));
        while t.exists() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            t = dest.join(util::inc_folder_name(SystemTime::now()));
        }
        t
    } else {
        if dest.join(DATA_FILE).exists() || !inc_dirs(dest).is_empty() {
            return Err(Stop::Failed(
                "Denying request to perform a full backup to an existing backup folder. Try doing an incremental backup instead.".into(),
            ));
        }
        dest.to_path_buf()
    };
    st.msg("Backing up indexes..", None);
    for sub in ["Indexes", "IndexDefinitions"] {
        fs::create_dir_all(target.join(sub)).map_err(io_stop)?;
    }
    if res.kind != Kind::Fs {
        let defs = json!([{"Name": "Raven/DocumentsByEntityName",
            "Map": "from doc in docs \r\nlet Tag = doc[\"@metadata\"][\"Raven-Entity-Name\"]\r\nselect new { Tag, LastModified = (DateTime)doc[\"@metadata\"][\"Last-Modified\"] };"}]);
        store::write_atomic(
            &target.join("IndexDefinitions").join("1.index"),
            defs.to_string().as_bytes(),
        )
        .map_err(io_stop)?;
        st.msg(
            &format!(
                "Copying index definitions to {}",
                display(&target.join("IndexDefinitions"))
            ),
            None,
        );
    }
    sp.step().await?;
    st.msg("Finished indexes backup. Executing data backup..", None);
    sp.step().await?;
    // Data: everything (full) or only what changed since the series' last backup.
    let now: Vec<Doc> = res.store.snapshot();
    let (docs, deleted): (Vec<Doc>, Vec<String>) = if incremental {
        let (prev, _) = read_series(dest).map_err(Stop::Failed)?;
        let changed: Vec<Doc> = now
            .iter()
            .filter(|d| match prev.get(&d.key.to_lowercase()) {
                Some(p) => p.data != d.data || p.metadata != d.metadata || p.key != d.key,
                None => true,
            })
            .cloned()
            .collect();
        let live: std::collections::HashSet<String> =
            now.iter().map(|d| d.key.to_lowercase()).collect();
        let deleted = prev
            .values()
            .filter(|p| !live.contains(&p.key.to_lowercase()))
            .map(|p| p.key.clone())
            .collect();
        (changed, deleted)
    } else {
        (now, Vec::new())
    };
    let data = json!({"Format": BACKUP_FORMAT, "ResourceId": res.resource_id(), "ResourceName": resource_name,
        "Incremental": incremental, "Documents": store::docs_to_json(&docs), "Deleted": deleted});
    let bytes = serde_json::to_vec(&data).unwrap_or_default();
    st.msg(
        &format!(
            "Voron backup: copying {} entries ({} deleted) to {}",
            docs.len(),
            deleted.len(),
            display(&target.join(DATA_FILE))
        ),
        None,
    );
    store::write_atomic(&target.join(DATA_FILE), &bytes).map_err(io_stop)?;
    st.msg(&format!("Copied {} bytes of data", bytes.len()), None);
    sp.step().await?;
    let doc_file = if res.kind == Kind::Fs {
        "Filesystem.Document"
    } else {
        "Database.Document"
    };
    let text = serde_json::to_string_pretty(document).unwrap_or_default();
    store::write_atomic(&target.join(doc_file), text.as_bytes()).map_err(io_stop)?;
    sp.last()?;
    st.msg("Backup completed", None);
    Ok(())
}

// ---------------------------------------------------------------- restore

struct RestoreReq {
    kind: Kind,
    location_text: String,
    backup: PathBuf,
    name: String,
    data_setting: String,
    data_dir: PathBuf,
    indexes: Option<String>,
    journals: Option<String>,
    disable_replication: bool,
    new_id: bool,
}

fn restore_status_key(kind: Kind, name: &str) -> String {
    if kind == Kind::Fs {
        format!("Raven/FileSystem/Restore/Status/{name}")
    } else {
        "Raven/Restore/Status".into()
    }
}

/// Newest `Inc*` folder holding `file`, else the root (§5.3 step 3).
fn find_document(backup: &Path, file: &str) -> PathBuf {
    let mut incs = inc_dirs(backup);
    incs.reverse();
    for d in incs {
        if d.join(file).is_file() {
            return d.join(file);
        }
    }
    backup.join(file)
}

/// E4 (kind Db) and E19 (kind Fs).
pub async fn start_restore(
    app: &Arc<App>,
    kind: Kind,
    body: &[u8],
    url: &str,
    defrag_query: Option<bool>,
) -> R {
    let is_fs = kind == Kind::Fs;
    let site = if is_fs { SITE_FS_RESTORE } else { SITE_RESTORE };
    let v = parse_body(body, url, site)?;
    let loc = match str_field(&v, "BackupLocation", url)? {
        Some(l) => Some(l),
        None => str_field(&v, "RestoreLocation", url)?,
    };
    let req_name = str_field(
        &v,
        if is_fs {
            "FilesystemName"
        } else {
            "DatabaseName"
        },
        url,
    )?;
    let req_location = str_field(
        &v,
        if is_fs {
            "FilesystemLocation"
        } else {
            "DatabaseLocation"
        },
        url,
    )?;
    let indexes = str_field(&v, "IndexesLocation", url)?;
    let journals = str_field(&v, "JournalsLocation", url)?;
    let _defrag = defrag_query.unwrap_or(bool_field(&v, "Defrag", url)?);
    let disable_replication = bool_field(&v, "DisableReplicationDestinations", url)?;
    let new_id = bool_field(&v, "GenerateNewDatabaseId", url)?;
    let timeout = match field(&v, "RestoreStartTimeout") {
        None => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(_) => {
            return Err(http::net_error(url, "Newtonsoft.Json.JsonSerializationException",
                "Error converting value to type 'System.Nullable`1[System.Int32]'. Path 'RestoreStartTimeout'.", site))
        }
    };
    // Step 3: locate the backup and its document.
    let Some(loc) = loc else {
        return Err(http::net_error(
            url,
            "System.ArgumentNullException",
            "Value cannot be null.\r\nParameter name: path",
            site,
        ));
    };
    let Some(backup) = util::confine(&app.backup_root, &loc) else {
        return Err(http::access_denied(url, &loc, site));
    };
    if !backup.is_dir() {
        if is_fs {
            return Err(Reply::json(
                400,
                json!({"Message": format!("Non-existing path : {loc}")}),
            ));
        }
        return Err(http::net_error(
            url,
            "System.IO.DirectoryNotFoundException",
            &format!("Could not find a part of the path '{}'.", display(&backup)),
            site,
        ));
    }
    let doc_file = if is_fs {
        "Filesystem.Document"
    } else {
        "Database.Document"
    };
    let doc_path = find_document(&backup, doc_file);
    let document = if doc_path.is_file() {
        match fs::read(&doc_path).map(|b| serde_json::from_slice::<Value>(&b)) {
            Ok(Ok(d)) => Some(d),
            Ok(Err(e)) => return Err(http::bad_json(url, &e.to_string())),
            Err(e) => return Err(http::io_error(url, &e, site)),
        }
    } else if is_fs {
        return Err(http::net_error(
            url,
            "System.IO.FileNotFoundException",
            &format!("Could not find file '{}'.", display(&doc_path)),
            site,
        ));
    } else {
        None
    };
    // Step 4: the name.
    let name = req_name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| {
            document
                .as_ref()
                .and_then(|d| d["Id"].as_str().map(String::from))
        })
        .filter(|n| !n.trim().is_empty());
    let Some(name) = name else {
        if is_fs {
            return Err(Reply::text(400, "A filesystem name must be supplied if the restore location does not contain a valid Filesystem.Document file"));
        }
        let text = "Database.Document file is invalid - database name was not found and not supplied in the request (Id property is missing or null). This is probably a bug - should never happen.";
        // Quirk (§6.1): the status is written wrapped, State stays Running.
        let _ = app.system.store.put_json(
            "Raven/Restore/Status",
            json!({"restoreStatus": {"State": "Running", "Messages": [text]}}),
        );
        return Err(Reply::text(400, text));
    };
    // Step 5-6.
    if !is_fs && name == SYSTEM {
        return Err(Reply::text(
            400,
            "Cannot do an online restore for the <system> database",
        ));
    }
    if app.registry_doc(kind, &name).is_some() {
        return Err(Reply::text(
            400,
            if is_fs {
                format!("Cannot do an online restore for an existing file system, delete the file system {name} and restore again.")
            } else {
                format!("Cannot do an online restore for an existing database, delete the database {name} and restore again.")
            },
        ));
    }
    // Step 8: data directory (§5.4), confined to the data dir.
    let setting = match req_location.filter(|l| !l.trim().is_empty()) {
        None => format!("~/{name}"),
        Some(l) if l.starts_with('/') || l.starts_with('\\') || l.starts_with('~') => l,
        Some(l) => format!("~/{l}"),
    };
    let Some(data_dir) = app.resolve_data_dir(kind, &setting) else {
        return Err(http::access_denied(url, &setting, site));
    };
    // Step 9: the restore lock.
    let deadline =
        timeout.map(|s| std::time::Instant::now() + Duration::from_secs(s.max(0) as u64));
    loop {
        {
            let _g = lock(&app.restore_gate);
            match app.system.store.get("Raven/Restore/InProgress") {
                None => {
                    app.system
                        .store
                        .put_json("Raven/Restore/InProgress", json!({ "Resource": name }))
                        .map_err(|e| http::io_error(url, &e, site))?;
                    break;
                }
                Some(d) => {
                    let other = d.data["Resource"].as_str().unwrap_or("").to_string();
                    match deadline {
                        None => {
                            return Err(Reply::text(
                                503,
                                format!("Another restore is in progress (resource name = {other})"),
                            ))
                        }
                        Some(dl) if std::time::Instant::now() >= dl => {
                            return Err(Reply::text(503, format!(
                                "Another restore is still in progress (resource name = {other}). Waited {} seconds for other restore to complete.",
                                timeout.unwrap_or(0))));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let status_key = restore_status_key(kind, &name);
    let _ = app.system.store.delete(&status_key);
    let cancel = Arc::new(AtomicBool::new(false));
    let (tt, desc) = if is_fs {
        (
            TaskType::RestoreFilesystem,
            format!("Restoring filesystem {name} from {loc}"),
        )
    } else {
        (
            TaskType::RestoreDatabase,
            format!("Restoring database {name} from {loc}"),
        )
    };
    let id = lock(&app.ops).add(SYSTEM, tt, desc, cancel.clone());
    let req = RestoreReq {
        kind,
        location_text: loc,
        backup,
        name,
        data_setting: setting,
        data_dir,
        indexes,
        journals,
        disable_replication,
        new_id,
    };
    let sp = Stepper::new(app, "restore", cancel);
    let h = tokio::spawn(run_restore(app.clone(), req, sp, id, document));
    app.track(h);
    let status = if app.cfg.protocol == Protocol::V30 {
        200
    } else {
        202
    };
    Ok(Reply::json(status, json!({ "OperationId": id })))
}

struct RestoreStatus {
    app: Arc<App>,
    key: String,
    state: &'static str,
    messages: Vec<String>,
}

impl RestoreStatus {
    fn write(&self) {
        let v = json!({"State": self.state, "Messages": self.messages});
        if let Err(e) = self.app.system.store.put_json(&self.key, v) {
            eprintln!("devserver: cannot write restore status: {e}");
        }
    }
    fn msg(&mut self, m: impl Into<String>) {
        self.messages.push(m.into());
        self.write();
    }
}

async fn run_restore(
    app: Arc<App>,
    req: RestoreReq,
    mut sp: Stepper,
    id: u64,
    document: Option<Value>,
) {
    let mut st = RestoreStatus {
        app: app.clone(),
        key: restore_status_key(req.kind, &req.name),
        state: "Running",
        messages: Vec::new(),
    };
    let existed_before = req.data_dir.exists()
        && fs::read_dir(&req.data_dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
    let result = restore_steps(&app, &req, &mut sp, &mut st, document, id).await;
    let what = if req.kind == Kind::Fs {
        "filesystem"
    } else {
        "database"
    };
    match result {
        Ok(()) => lock(&app.ops).update(SYSTEM, id, |s| s.completed = true),
        Err(stop) => {
            let e = match stop {
                Stop::Failed(e) => e,
                Stop::Canceled => "The operation was canceled.".into(),
            };
            st.messages.push(format!("Unable to restore {what} {e}"));
            st.state = "Faulted";
            st.write();
            // Leave no half-restored, unregistered data behind (devserver choice).
            if !existed_before && app.registry_doc(req.kind, &req.name).is_none() {
                let _ = fs::remove_dir_all(&req.data_dir);
            }
            lock(&app.ops).update(SYSTEM, id, |s| {
                s.completed = true;
                s.faulted = true;
                s.error = Some(e);
            });
        }
    }
    let _ = app.system.store.delete("Raven/Restore/InProgress");
}

async fn restore_steps(
    app: &Arc<App>,
    req: &RestoreReq,
    sp: &mut Stepper,
    st: &mut RestoreStatus,
    document: Option<Value>,
    _id: u64,
) -> Result<(), Stop> {
    let is_fs = req.kind == Kind::Fs;
    let doc_file = if is_fs {
        "Filesystem.Document"
    } else {
        "Database.Document"
    };
    sp.step().await?;
    if !util::valid_resource_name(&req.name) {
        return Err(Stop::Failed(format!(
            "Database name can only contain only A-Z, a-z, \"_\", \".\" or \"-\" but was: {}",
            req.name
        )));
    }
    if app.cfg.is35() && req.backup.join(FAILURE_MARKER).exists() {
        return Err(Stop::Failed(
            "Backup failure marker was detected. Unable to restore from given directory.".into(),
        ));
    }
    let Some(document) = document else {
        return Err(Stop::Failed(format!(
            "Cannot restore when the {doc_file} file is missing in the backup folder: {}",
            req.location_text
        )));
    };
    let has_data = req.backup.join(DATA_FILE).is_file()
        || inc_dirs(&req.backup)
            .iter()
            .any(|d| d.join(DATA_FILE).is_file());
    if !has_data {
        st.msg(format!(
            "Error: {} doesn't look like a valid backup",
            req.location_text
        ));
        st.msg("Error: Restore Canceled");
        return Err(Stop::Failed(format!(
            "{} doesn't look like a valid backup",
            req.location_text
        )));
    }
    if req.data_dir.exists()
        && fs::read_dir(&req.data_dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        st.msg("Error: Database location directory is not empty. Point to non-existing or empty directory.");
        st.msg("Error: Restore Canceled");
        return Err(Stop::Failed(
            "Database location directory is not empty. Point to non-existing or empty directory."
                .into(),
        ));
    }
    sp.step().await?;
    // Indexes.
    let idx_src = req.backup.join("Indexes");
    let idx_dst = match &req.indexes {
        Some(p) => app
            .resolve_data_dir(req.kind, p)
            .unwrap_or_else(|| req.data_dir.join("Indexes")),
        None => req.data_dir.join("Indexes"),
    };
    if !idx_src.is_dir() {
        st.msg(format!(
            "Failed to restore index - path '{}' doesn't exists",
            display(&idx_src)
        ));
    } else {
        fs::create_dir_all(&idx_dst).map_err(io_stop)?;
        for src_dir in [idx_src, req.backup.join("IndexDefinitions")] {
            let sub = src_dir
                .file_name()
                .map(|s| s.to_os_string())
                .unwrap_or_default();
            let dst_dir = if sub == "Indexes" {
                idx_dst.clone()
            } else {
                req.data_dir.join(&sub)
            };
            if let Ok(rd) = fs::read_dir(&src_dir) {
                fs::create_dir_all(&dst_dir).map_err(io_stop)?;
                for e in rd.filter_map(|e| e.ok()).filter(|e| e.path().is_file()) {
                    let to = dst_dir.join(e.file_name());
                    st.msg(format!("Copying {}", display(&to)));
                    fs::copy(e.path(), &to).map_err(io_stop)?;
                }
            }
        }
    }
    sp.step().await?;
    // Data: full backup, then every incremental in order.
    st.msg(format!("Restoring data from {}", req.location_text));
    for inc in inc_dirs(&req.backup)
        .iter()
        .filter(|d| d.join(DATA_FILE).is_file())
    {
        st.msg(format!(
            "Restoring incremental backup {}",
            inc.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
    }
    let (docs, source_id) = read_series(&req.backup).map_err(Stop::Failed)?;
    let docs: Vec<Doc> = docs.into_values().collect();
    fs::create_dir_all(&req.data_dir).map_err(io_stop)?;
    if let Some(sid) = &source_id {
        store::write_atomic(
            &req.data_dir.join("resource.json"),
            json!({ "Id": sid }).to_string().as_bytes(),
        )
        .map_err(io_stop)?;
    }
    let target = store::Store::open(&req.data_dir).map_err(io_stop)?;
    target.import(&docs).map_err(io_stop)?;
    drop(target);
    st.msg(format!(
        "Restored {} {} from backup",
        docs.len(),
        if is_fs { "files" } else { "documents" }
    ));
    sp.step().await?;
    // Register the new resource (§5.5 step 2).
    let mut settings: Map<String, Value> = document["Settings"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let secured: Map<String, Value> = document["SecuredSettings"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    settings.insert(
        App::data_dir_setting(req.kind).into(),
        json!(req.data_setting),
    );
    settings.remove("Raven/IndexStoragePath");
    settings.remove("Raven/TransactionJournalsPath");
    if app.cfg.is35() {
        settings.remove("Raven/Esent/LogsPath");
    }
    if let Some(i) = &req.indexes {
        settings.insert("Raven/IndexStoragePath".into(), json!(i));
    }
    if let Some(j) = &req.journals {
        settings.insert("Raven/TransactionJournalsPath".into(), json!(j));
    }
    app.register(
        req.kind,
        &req.name,
        &settings,
        &secured,
        document["Disabled"].as_bool().unwrap_or(false),
    )
    .map_err(io_stop)?;
    let res = app.resource(req.kind, &req.name);
    if req.disable_replication {
        if let Some(r) = &res {
            if let Some(mut d) = r.store.get("Raven/Replication/Destinations") {
                if let Some(arr) = d.data["Destinations"].as_array_mut() {
                    for dst in arr.iter_mut() {
                        dst["Disabled"] = json!(true);
                    }
                    let _ = r
                        .store
                        .put("Raven/Replication/Destinations", d.data, d.metadata);
                }
            }
        }
    }
    st.msg(if is_fs {
        "The new filesystem was created"
    } else {
        "The new database was created"
    });
    st.state = "Completed";
    st.write();
    // Real-server ordering bug (§5.5 step 4), reproduced: the status document
    // already says Completed while GenerateNewDatabaseId still runs and the
    // operation is not completed yet.
    sp.step().await?;
    if req.new_id {
        if let Some(r) = &res {
            r.set_resource_id(&util::new_guid()).map_err(io_stop)?;
        }
    }
    sp.last()?;
    Ok(())
}

// ---------------------------------------------------------------- compact

pub fn start_compact(app: &Arc<App>, db: Option<&str>) -> R {
    let Some(db) = db.filter(|d| !d.is_empty()) else {
        return Err(Reply::text(
            400,
            "Compact request requires a valid database parameter",
        ));
    };
    let Some(res) = app.resource(Kind::Db, db).filter(|r| r.kind == Kind::Db) else {
        return Err(Reply::text(404, format!("No database named: {db}")));
    };
    let key = format!("Raven/Database/Compact/Status/{}", res.name);
    let cancel = Arc::new(AtomicBool::new(false));
    let id = lock(&app.ops).add(
        SYSTEM,
        TaskType::CompactDatabase,
        format!("Compact database {}", res.name),
        cancel.clone(),
    );
    let sp = Stepper::new(app, "compact", cancel);
    let h = tokio::spawn(run_compact(app.clone(), res, key, sp, id));
    app.track(h);
    let status = if app.cfg.protocol == Protocol::V30 {
        200
    } else {
        202
    };
    Ok(Reply::json(status, json!({ "OperationId": id })))
}

async fn run_compact(app: Arc<App>, res: Arc<Resource>, key: String, mut sp: Stepper, id: u64) {
    let mut messages: Vec<String> = Vec::new();
    let write = |state: &str, messages: &Vec<String>, last: Option<&str>| {
        let v = json!({"State": state, "Messages": messages, "LastProgressMessage": last,
            "LastProgressMessageTime": last.map(|_| util::now_iso())});
        let _ = app.system.store.put_json(&key, v);
    };
    messages.push(format!("Compacting database {}", res.name));
    write("Running", &messages, None);
    let result: Result<(), Stop> = async {
        sp.step().await?;
        let docs = res.store.snapshot();
        let total = docs.len();
        write(
            "Running",
            &messages,
            Some(&format!("Copied 0 of {total} documents")),
        );
        sp.step().await?;
        res.store.import(&docs).map_err(io_stop)?;
        write(
            "Running",
            &messages,
            Some(&format!("Copied {total} of {total} documents")),
        );
        sp.step().await?;
        sp.last()
    }
    .await;
    match result {
        Ok(()) => {
            messages.push("Database compaction completed.".into());
            write("Completed", &messages, None);
            lock(&app.ops).update(SYSTEM, id, |s| s.completed = true);
        }
        Err(stop) => {
            let e = match stop {
                Stop::Failed(e) => e,
                Stop::Canceled => "The operation was canceled.".into(),
            };
            messages.push(format!("Unable to compact database {e}"));
            write("Faulted", &messages, None);
            lock(&app.ops).update(SYSTEM, id, |s| {
                s.completed = true;
                s.faulted = true;
                s.error = Some(e);
            });
        }
    }
}
