//! Backup (E1/E2/E17): the §3.4 checks, then the steps that write a real
//! backup folder and the `Raven/Backup/Status` document.

use super::folder::{
    display, inc_dirs, probe_write, read_json, read_series, write_marker, FolderClaim,
    BACKUP_FORMAT, BACKUP_SUBFOLDERS, DATA_FILE, FAILURE_MARKER, INC_STATE,
};
use super::stepper::{io_stop, Stepper, Stop};
use crate::app::{lock, App, Kind, Resource};
use crate::http::{self, field, parse_body, str_field, Reply, R};
use crate::ops::{TaskType, SYSTEM};
use crate::paths;
use crate::store::{self, Doc};
use crate::util;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const FULL_INTO_EXISTING: &str = "Denying request to perform a full backup to an existing backup folder. Try doing an incremental backup instead.";
const SITE_BACKUP: &str = "Raven.Database.Actions.MaintenanceActions.StartBackup(String backupDestinationDirectory, Boolean incrementalBackup, DatabaseDocument databaseDocument, ResourceBackupState state, CancellationToken token)";

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
    // The gate makes the check and the status write (step 8) one step.
    let gate = res.clone();
    let _one_at_a_time = lock(&gate.backup_gate);
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
    // Links resolved: neither the folder nor a sub-folder the backup
    // writes may lead out of the root.
    let dest = match &location {
        Some(l) if paths::has_illegal_chars(l) => return Err(http::illegal_path(url, SITE_BACKUP)),
        Some(l) => match paths::confine_resolved(&app.backup_root, l) {
            Some(p)
                if BACKUP_SUBFOLDERS
                    .iter()
                    .all(|sub| paths::resolves_inside(&app.backup_root, &p.join(sub))) =>
            {
                Some(p)
            }
            _ => return Err(http::access_denied(url, l, SITE_BACKUP)),
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

async fn run_backup(
    mut st: BackupStatus,
    mut sp: Stepper,
    dest: PathBuf,
    incremental: bool,
    document: Value,
) {
    // The folder is this backup's alone until it ends; a backup whose folder
    // another one is writing fails without touching it.
    let claim = FolderClaim::take(&st.app, &dest, &st.res.name);
    let result = match &claim {
        Ok(_) => backup_steps(&mut st, &mut sp, &dest, incremental, &document).await,
        Err(other) if incremental => Err(Stop::Failed(format!(
            "Can't perform an incremental backup to a given folder because it already contains incremental backup data of different database. Existing incremental data origins from '{other}' database."
        ))),
        Err(_) => Err(Stop::Failed(FULL_INTO_EXISTING.into())),
    };
    let owns_folder = claim.is_ok();
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
            if is35 && owns_folder {
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
            if is35 && owns_folder {
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
            return Err(Stop::Failed(FULL_INTO_EXISTING.into()));
        }
        dest.to_path_buf()
    };
    st.msg("Backing up indexes..", None);
    for sub in BACKUP_SUBFOLDERS {
        let dir = target.join(sub);
        if !paths::resolves_inside(&st.app.backup_root, &dir) {
            return Err(Stop::Failed(format!(
                "Access to the path '{}' is denied.",
                display(&dir)
            )));
        }
        fs::create_dir_all(dir).map_err(io_stop)?;
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
