//! Compact (E10): rewrites every document file of a database as a
//! background operation with the `Raven/Database/Compact/Status/{db}` document.

use super::stepper::{io_stop, Stepper, Stop};
use crate::app::{lock, App, Kind, Resource};
use crate::config::Protocol;
use crate::http::{Reply, R};
use crate::ops::{TaskType, SYSTEM};
use crate::util;
use serde_json::json;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

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
