//! The test-only `/__devserver/` control endpoints (`--enable-control`):
//! faults, outages, injected failures, logs, restart and reset.

use crate::app::{lock, App, Kind};
use crate::faults::{FailSpec, Fault};
use crate::http::{Ctx, Reply, R};
use crate::util::lower;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn control_json(ctx: &Ctx) -> Result<Value, Reply> {
    if ctx.body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&ctx.body)
        .map_err(|e| Reply::json(400, json!({"Error": format!("invalid JSON: {e}")})))
}

/// Every file under `dir`, as paths relative to `root` with `/` separators.
fn list_files(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Links are listed, never followed (they could loop or lead out).
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            list_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn bad(msg: &str) -> Reply {
    Reply::json(400, json!({ "Error": msg }))
}

/// An optional byte count of a fault (`null` or absent: none).
fn byte_count(v: &Value, name: &str) -> Result<Option<u64>, Reply> {
    match v {
        Value::Null => Ok(None),
        x => x
            .as_u64()
            .map(Some)
            .ok_or_else(|| bad(&format!("{name} must be a non-negative integer"))),
    }
}

pub fn control(app: &Arc<App>, ctx: &Ctx) -> R {
    let what = ctx.segs.get(1).map(|s| lower(s)).unwrap_or_default();
    let ok = || Ok(Reply::json(200, json!({"Ok": true})));
    match (ctx.method.as_str(), what.as_str()) {
        ("POST", "fail-next-operation") => {
            let v = control_json(ctx)?;
            let kind = v["kind"]
                .as_str()
                .map(lower)
                .ok_or_else(|| bad("kind must be \"backup\", \"restore\" or \"compact\""))?;
            if !["backup", "restore", "compact"].contains(&kind.as_str()) {
                return Err(bad("kind must be \"backup\", \"restore\" or \"compact\""));
            }
            let at_step = match &v["atStep"] {
                Value::Null => 1,
                x => x
                    .as_u64()
                    .ok_or_else(|| bad("atStep must be a non-negative integer"))?
                    as u32,
            };
            let error = match &v["error"] {
                Value::Null => "Injected failure".to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(bad("error must be a string")),
            };
            lock(&app.control)
                .fail_next
                .insert(kind, FailSpec { at_step, error });
            ok()
        }
        ("POST", "faults") => {
            let v = control_json(ctx)?;
            let fault = Fault {
                method: v["method"].as_str().map(String::from),
                path_prefix: v["pathPrefix"].as_str().unwrap_or("/").to_string(),
                remaining: match &v["count"] {
                    Value::Null => 1,
                    x => x
                        .as_u64()
                        .ok_or_else(|| bad("count must be a non-negative integer"))?,
                },
                status: match &v["status"] {
                    Value::Null => None,
                    x => Some(
                        x.as_u64()
                            .filter(|s| (100..=599).contains(s))
                            .ok_or_else(|| bad("status must be 100..599"))?
                            as u16,
                    ),
                },
                body: match &v["body"] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
                content_type: v["contentType"].as_str().map(String::from),
                delay_ms: v["delayMs"].as_u64().unwrap_or(0),
                drop: v["drop"].as_bool().unwrap_or(false),
                stall_body_ms: match &v["stallBodyMs"] {
                    Value::Null => 0,
                    x => x
                        .as_u64()
                        .ok_or_else(|| bad("stallBodyMs must be a non-negative integer"))?,
                },
                stall_body_after_bytes: byte_count(
                    &v["stallBodyAfterBytes"],
                    "stallBodyAfterBytes",
                )?,
                cut_body_after_bytes: byte_count(&v["cutBodyAfterBytes"], "cutBodyAfterBytes")?,
                after_handling: match &v["afterHandling"] {
                    Value::Null => false,
                    x => x
                        .as_bool()
                        .ok_or_else(|| bad("afterHandling must be true or false"))?,
                },
            };
            lock(&app.control).faults.push(fault);
            ok()
        }
        ("GET", "faults") => {
            let list: Vec<Value> = lock(&app.control)
                .faults
                .iter()
                .map(|f| {
                    json!({"method": f.method, "pathPrefix": f.path_prefix,
                "count": f.remaining, "status": f.status, "delayMs": f.delay_ms, "drop": f.drop,
                "stallBodyMs": f.stall_body_ms, "stallBodyAfterBytes": f.stall_body_after_bytes,
                "cutBodyAfterBytes": f.cut_body_after_bytes, "afterHandling": f.after_handling})
                })
                .collect();
            Ok(Reply::json(200, Value::Array(list)))
        }
        ("DELETE", "faults") => {
            lock(&app.control).faults.clear();
            ok()
        }
        ("POST", "outage") => {
            let v = control_json(ctx)?;
            let ms = v["ms"]
                .as_u64()
                .ok_or_else(|| bad("ms must be a non-negative integer"))?;
            lock(&app.control).outage_until = Some(Instant::now() + Duration::from_millis(ms));
            ok()
        }
        ("POST", "restart") => {
            app.abort_tasks();
            lock(&app.ops).clear();
            app.startup_tasks();
            ok()
        }
        ("GET", "requests") => {
            let v = serde_json::to_value(&lock(&app.control).log).unwrap_or_default();
            Ok(Reply::json(200, v))
        }
        ("DELETE", "requests") => {
            lock(&app.control).log.clear();
            ok()
        }
        ("GET", "received") => {
            let prefix = lower(ctx.qget("pathPrefix").unwrap_or("/"));
            let c = lock(&app.control);
            let mut v: Vec<Value> = c
                .received
                .iter()
                .rev()
                .filter(|(p, _)| lower(p).starts_with(&prefix))
                .take(20)
                .map(|(_, b)| b.clone())
                .collect();
            v.reverse();
            Ok(Reply::json(200, Value::Array(v)))
        }
        ("POST", "op-step") => {
            // Test-only: slow down (or speed up) background steps at run time.
            let v = control_json(ctx)?;
            let ms = v["ms"]
                .as_u64()
                .ok_or_else(|| bad("ms must be a non-negative integer"))?;
            app.op_step_ms
                .store(ms, std::sync::atomic::Ordering::Relaxed);
            ok()
        }
        ("GET", "backup-files") => {
            // Test-only: the files under the backup root (relative paths,
            // sorted), so browser tests can check a backup folder's content.
            let mut files = Vec::new();
            list_files(&app.backup_root, &app.backup_root, &mut files);
            files.sort();
            Ok(Reply::json(200, json!(files)))
        }
        ("DELETE", "received") => {
            lock(&app.control).received.clear();
            ok()
        }
        ("POST", "reset") => {
            let v = control_json(ctx)?;
            app.op_step_ms
                .store(app.cfg.op_step_ms, std::sync::atomic::Ordering::Relaxed);
            app.abort_tasks();
            lock(&app.ops).clear();
            app.drop_interrupted_restores();
            let demo_db: Vec<String> = if app.cfg.demo {
                crate::demo::DEMO_DATABASES
                    .iter()
                    .map(|s| lower(s))
                    .collect()
            } else {
                Vec::new()
            };
            let demo_fs: Vec<String> = if app.cfg.demo {
                crate::demo::DEMO_FILESYSTEMS
                    .iter()
                    .map(|s| lower(s))
                    .collect()
            } else {
                Vec::new()
            };
            let fail = |e: std::io::Error| Reply::json(500, json!({"Error": e.to_string()}));
            for n in app.names(Kind::Db) {
                if !demo_db.contains(&lower(&n)) {
                    app.delete_resource(Kind::Db, &n, true).map_err(fail)?;
                }
            }
            for n in app.names(Kind::Fs) {
                if !demo_fs.contains(&lower(&n)) {
                    app.delete_resource(Kind::Fs, &n, true).map_err(fail)?;
                }
            }
            for k in ["Raven/Restore/Status", "Raven/Restore/InProgress"] {
                let _ = app.system.store.delete(k);
            }
            for prefix in [
                "Raven/FileSystem/Restore/Status/",
                "Raven/Database/Compact/Status/",
            ] {
                for k in app.system.store.keys_with_prefix(prefix) {
                    let _ = app.system.store.delete(&k);
                }
            }
            let _ = app.system.store.delete("Raven/Backup/Status");
            if app.cfg.demo {
                crate::demo::seed(app, true).map_err(fail)?;
            }
            if v["backups"].as_bool() == Some(true) {
                if let Ok(rd) = std::fs::read_dir(&app.backup_root) {
                    for e in rd.flatten() {
                        let p = e.path();
                        let _ = if p.is_dir() {
                            std::fs::remove_dir_all(&p)
                        } else {
                            std::fs::remove_file(&p)
                        };
                    }
                }
            }
            let mut c = lock(&app.control);
            c.log.clear();
            c.received.clear();
            c.faults.clear();
            c.fail_next.clear();
            c.outage_until = None;
            ok()
        }
        _ => Ok(Reply::empty(404)),
    }
}
