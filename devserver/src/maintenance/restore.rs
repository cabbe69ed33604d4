//! Restore (E4/E19): the §5.3 checks, the restore lock, then the steps that
//! rebuild a database or file system from a backup folder and register it.

use super::folder::{
    display, find_document, inc_dirs, read_regular, read_series, DATA_FILE, FAILURE_MARKER,
};
use super::stepper::{io_stop, Stepper, Stop};
use crate::app::{lock, App, Kind};
use crate::config::Protocol;
use crate::http::{self, bool_field, field, parse_body, str_field, Reply, R};
use crate::ops::{TaskType, SYSTEM};
use crate::paths;
use crate::registry::ClaimRefused;
use crate::store::{self, Doc};
use crate::util;
use serde_json::{json, Map, Value};
use std::fs;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

const SITE_RESTORE: &str =
    "Raven.Database.Server.Controllers.Admin.AdminController.<Restore>d__0.MoveNext()";
const SITE_FS_RESTORE: &str =
    "Raven.Database.FileSystem.Controllers.AdminFileSystemController.<Restore>d__0.MoveNext()";

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

fn existing_refusal(kind: Kind, name: &str) -> Reply {
    Reply::text(
        400,
        if kind == Kind::Fs {
            format!("Cannot do an online restore for an existing file system, delete the file system {name} and restore again.")
        } else {
            format!("Cannot do an online restore for an existing database, delete the database {name} and restore again.")
        },
    )
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
    let timeout: Option<i32> = match field(&v, "RestoreStartTimeout") {
        None => None,
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => match n.as_i64().map(i32::try_from) {
            Some(Ok(t)) => Some(t),
            // JSON.NET reading an Int32 (the 3.x request type).
            _ => {
                return Err(http::net_error(
                    url,
                    "Newtonsoft.Json.JsonReaderException",
                    &format!("JSON integer {n} is too large or small for an Int32. Path 'RestoreStartTimeout'."),
                    site,
                ))
            }
        },
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
    if paths::has_illegal_chars(&loc) {
        return Err(http::illegal_path(url, site));
    }
    let Some(backup) = paths::confine_resolved(&app.backup_root, &loc) else {
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
        match read_regular(&doc_path).map(|b| serde_json::from_slice::<Value>(&b)) {
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
        return Err(existing_refusal(kind, &name));
    }
    // Step 8: data directory (§5.4), confined to the data dir.
    let setting = match req_location.filter(|l| !l.trim().is_empty()) {
        None => format!("~/{name}"),
        Some(l) if l.starts_with('/') || l.starts_with('\\') || l.starts_with('~') => l,
        Some(l) => format!("~/{l}"),
    };
    // Every folder the restore writes is inside the data folder, links
    // resolved, and has a name Windows would accept.
    let confined = |text: &str| -> Result<PathBuf, Reply> {
        if paths::has_illegal_chars(text) {
            return Err(http::illegal_path(url, site));
        }
        app.resolve_data_dir(kind, text)
            .ok_or_else(|| http::access_denied(url, text, site))
    };
    let data_dir = confined(&setting)?;
    for extra in [&indexes, &journals].into_iter().flatten() {
        confined(extra)?;
    }
    // The data folder must be the new resource's own (not another's, not
    // the folder of all).
    if let Some(why) =
        app.foreign_folder(&lock(&app.registry_gate), kind, &name, &data_dir, &setting)
    {
        return Err(Reply::text(400, why));
    }
    // Step 9: the restore lock.
    let deadline = timeout
        .and_then(|s| std::time::Instant::now().checked_add(Duration::from_secs(s.max(0) as u64)));
    loop {
        {
            let _g = lock(&app.restore_gate);
            match app.system.store.get("Raven/Restore/InProgress") {
                None => {
                    // The name and the folder are taken with the lock: a PUT
                    // of the same name meanwhile wins, the restore gives up.
                    match app.claim_restore(kind, &name, &data_dir, &setting) {
                        Ok(()) => {}
                        Err(ClaimRefused::Exists) => return Err(existing_refusal(kind, &name)),
                        Err(ClaimRefused::Folder(why)) => return Err(Reply::text(400, why)),
                    }
                    if let Err(e) = app
                        .system
                        .store
                        .put_json("Raven/Restore/InProgress", json!({ "Resource": name }))
                    {
                        app.release_restore(kind, &name, false);
                        return Err(http::io_error(url, &e, site));
                    }
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
    let failure = match result {
        Ok(()) => None,
        Err(stop) => {
            let e = match stop {
                Stop::Failed(e) => e,
                Stop::Canceled => "The operation was canceled.".into(),
            };
            st.messages.push(format!("Unable to restore {what} {e}"));
            st.state = "Faulted";
            st.write();
            // Leave no half-restored, unregistered data behind (devserver choice).
            app.release_restore(req.kind, &req.name, !existed_before);
            Some(e)
        }
    };
    // The lock goes before the operation completes (the real task's
    // `finally`): a restore started right after this one ends is not told
    // that another one is in progress.
    let _ = app.system.store.delete("Raven/Restore/InProgress");
    lock(&app.ops).update(SYSTEM, id, |s| {
        s.completed = true;
        s.faulted = failure.is_some();
        s.error = failure;
    });
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
    if !idx_src.is_dir() || !paths::resolves_inside(&app.backup_root, &idx_src) {
        st.msg(format!(
            "Failed to restore index - path '{}' doesn't exists",
            display(&idx_src)
        ));
    } else {
        fs::create_dir_all(&idx_dst).map_err(io_stop)?;
        for src_dir in [idx_src, req.backup.join("IndexDefinitions")] {
            if !paths::resolves_inside(&app.backup_root, &src_dir) {
                continue;
            }
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
                // Regular files only: a link could lead out of the root.
                let files = rd
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()));
                for e in files {
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
    app.register_restored(
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
        // Changing the id opens the database: one that cannot be opened
        // (an Encryption bundle without its key, §16.6) faults the restore
        // now, with the exception's message, the database registered.
        if req.kind == Kind::Db {
            if let Some(why) = app.open_exception(&req.name) {
                return Err(Stop::Failed(why));
            }
        }
        if let Some(r) = &res {
            r.set_resource_id(&util::new_guid()).map_err(io_stop)?;
        }
    }
    sp.last()?;
    Ok(())
}
