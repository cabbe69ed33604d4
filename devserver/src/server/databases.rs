//! The database and file-system registry over HTTP: `GET /databases` (E11),
//! `GET/PUT/DELETE /admin/databases|fs/{name}` (E12) and `/debug/user-info` (E14).

use crate::app::{lock, App, Kind};
use crate::auth::{Principal, SYSTEM_TENANT};
use crate::config::{Anonymous, Protocol};
use crate::http::{self, field, parse_bool, Ctx, Reply, R};
use crate::ops::SYSTEM;
use crate::paths;
use crate::util;
use serde_json::{json, Map, Value};

/// E11; an OAuth caller sees only the databases its token names (§9.1).
pub fn list_databases(app: &App, ctx: &Ctx, who: Option<&Principal>) -> R {
    let start: usize = ctx.qget("start").and_then(|s| s.parse().ok()).unwrap_or(0);
    let page: Option<usize> = if app.cfg.protocol == Protocol::V30 {
        ctx.qget("pageSize").and_then(|s| s.parse().ok())
    } else {
        None
    };
    let names: Vec<String> = app
        .names(Kind::Db)
        .into_iter()
        .filter(|n| who.is_none_or(|p| p.can_access(n, false)))
        .skip(start)
        .take(page.unwrap_or(usize::MAX))
        .collect();
    let additional = parse_bool(ctx.qget("getAdditionalData")).unwrap_or(false);
    let body = if additional {
        let is35 = app.cfg.is35();
        Value::Array(
            names
                .iter()
                .map(|n| {
                    let doc = app.registry_doc(Kind::Db, n).map(|d| d.data).unwrap_or_default();
                    let s = &doc["Settings"];
                    let bundles: Vec<&str> = s["Raven/ActiveBundles"]
                        .as_str()
                        .unwrap_or("")
                        .split(';')
                        .map(str::trim)
                        .filter(|b| !b.is_empty())
                        .collect();
                    let mut o = json!({"Name": n, "Disabled": doc["Disabled"].as_bool().unwrap_or(false),
                        "IndexingDisabled": s["Raven/IndexingDisabled"].as_str() == Some("true"),
                        "RejectClientsEnabled": s["Raven/RejectClientsModeEnabled"].as_str() == Some("true"),
                        "Bundles": bundles, "IsAdminCurrentTenant": true});
                    if is35 {
                        o["ClusterWide"] = json!(false);
                        o["IsLoaded"] = json!(false);
                        o["Stats"] = Value::Null;
                    }
                    o
                })
                .collect(),
        )
    } else {
        json!(names)
    };
    let etag = {
        let text = body.to_string();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        format!("\"{h:016x}\"")
    };
    if ctx.header("if-none-match") == Some(etag.as_str()) {
        return Ok(Reply::empty(304).header("ETag", etag));
    }
    Ok(Reply::json(200, body)
        .header("ETag", etag)
        .header("Cache-Control", "no-cache"))
}

pub fn admin_resource(app: &App, ctx: &Ctx, kind: Kind, name: &str) -> R {
    let word = if kind == Kind::Fs {
        "File system"
    } else {
        "Database"
    };
    match ctx.method.as_str() {
        "GET" | "HEAD" => match app.decrypted_document(kind, name) {
            Some((doc, etag)) => Ok(Reply::json(200, doc).header("ETag", format!("\"{etag}\""))),
            None => Err(Reply::text(404, format!("{word} {name} wasn't found"))),
        },
        "PUT" => {
            if !util::valid_resource_name(name) {
                return Err(Reply::text(400, format!(
                    "{word} name can only contain only A-Z, a-z, \"_\", \".\" or \"-\" but was: {name}")));
            }
            let v: Value = if ctx.body.iter().all(|b| b.is_ascii_whitespace()) {
                json!({})
            } else {
                serde_json::from_slice(&ctx.body)
                    .map_err(|e| http::bad_json(&ctx.url, &e.to_string()))?
            };
            if !v.is_object() {
                return Err(http::bad_json(&ctx.url, "Error reading RavenJObject from JsonReader. Current JsonReader item is not an object."));
            }
            let as_map = |k: &str| -> Result<Map<String, Value>, Reply> {
                match field(&v, k) {
                    None => Ok(Map::new()),
                    Some(Value::Object(m)) if m.values().all(|x| x.is_string()) => Ok(m.clone()),
                    Some(_) => Err(http::net_error(&ctx.url, "Newtonsoft.Json.JsonSerializationException",
                        &format!("Error converting value to type 'System.Collections.Generic.Dictionary`2[System.String,System.String]'. Path '{k}'."),
                        "Raven.Database.Server.Controllers.Admin.AdminDatabasesController.<Put>d__0.MoveNext()")),
                }
            };
            let mut settings = as_map("Settings")?;
            let secured = as_map("SecuredSettings")?;
            let disabled = field(&v, "Disabled")
                .and_then(|d| d.as_bool())
                .unwrap_or(false);
            let dd_key = App::data_dir_setting(kind);
            const SITE: &str =
                "Raven.Database.Server.Controllers.Admin.AdminDatabasesController.<Put>d__0.MoveNext()";
            // Checks and registration are one step (no restore or other PUT
            // can take the name or the folder in between).
            let claims = lock(&app.registry_gate);
            if App::being_restored(&claims, kind, name) {
                return Err(Reply::text(
                    400,
                    format!("{word} {name} is being restored; wait for the restore to end."),
                ));
            }
            let existing = app.registry_doc(kind, name);
            let dd = match &existing {
                // The data directory of an existing resource never moves.
                Some(d) => d.data["Settings"][dd_key]
                    .as_str()
                    .map(String::from)
                    .unwrap_or_else(|| format!("~/{name}")),
                None => settings
                    .get(dd_key)
                    .and_then(|x| x.as_str())
                    .map(String::from)
                    .unwrap_or_else(|| format!("~/{name}")),
            };
            if paths::has_illegal_chars(&dd) {
                return Err(http::illegal_path(&ctx.url, SITE));
            }
            let Some(dir) = app.resolve_data_dir(kind, &dd) else {
                return Err(http::access_denied(&ctx.url, &dd, SITE));
            };
            if existing.is_none() {
                if let Some(why) = app.foreign_folder(&claims, kind, name, &dir, &dd) {
                    return Err(Reply::text(400, why));
                }
            }
            settings.insert(dd_key.into(), json!(dd));
            let d = app
                .register(kind, name, &settings, &secured, disabled)
                .map_err(|e| http::io_error(&ctx.url, &e, SITE))?;
            if app.resource(kind, name).is_none() {
                return Err(http::net_error(&ctx.url, "System.IO.IOException", &format!("Could not open the data directory of {name}"), "Raven.Database.Server.Tenancy.DatabasesLandlord.CreateConfiguration(String tenantId, DatabaseDocument document)"));
            }
            let status = if existing.is_some() { 200 } else { 201 };
            Ok(Reply::json(
                status,
                json!({"Key": d.key, "ETag": d.etag_text()}),
            ))
        }
        "DELETE" => {
            let hard = parse_bool(ctx.qget("hard-delete")).unwrap_or(false);
            match app.delete_resource(kind, name, hard) {
                Ok(true) => Ok(Reply::empty(200)),
                Ok(false) => Err(Reply::text(404, format!("{word} {name} wasn't found"))),
                Err(e) => Err(http::io_error(&ctx.url, &e, "Raven.Database.Server.Controllers.Admin.AdminDatabasesController.Delete(String id)")),
            }
        }
        _ => Ok(Reply::empty(404)),
    }
}

/// E14 (§9.4): the anonymous user, or the OAuth caller and its access.
pub fn user_info(app: &App, scope: &str, who: Option<&Principal>) -> Reply {
    let names = app.names(Kind::Db);
    let anonymous_admin = app.cfg.anonymous == Anonymous::Admin;
    let access = |db: &str| -> (bool, bool) {
        // (can read, is admin)
        match who {
            Some(p) => (
                p.can_access(db, false),
                p.is_global_admin() || p.is_admin_of(db),
            ),
            None => (true, anonymous_admin),
        }
    };
    let visible: Vec<&String> = names.iter().filter(|n| access(n).0).collect();
    let dbs: Vec<Value> = visible
        .iter()
        .map(|n| {
            let (_, admin) = access(n);
            let read_only = match who {
                Some(p) => !admin && !p.can_access(n, true),
                None => !admin,
            };
            json!({"Database": n, "IsAdmin": admin, "IsReadOnly": read_only})
        })
        .collect();
    let pick = |f: &dyn Fn(&Value) -> bool| -> Vec<Value> {
        dbs.iter()
            .filter(|d| f(d))
            .map(|d| d["Database"].clone())
            .collect()
    };
    let admin_dbs = pick(&|d| d["IsAdmin"] == true);
    let read_only_dbs = pick(&|d| d["IsReadOnly"] == true);
    let read_write_dbs = pick(&|d| d["IsReadOnly"] == false);
    let global = who.map_or(anonymous_admin, Principal::is_global_admin);
    let current = if scope == SYSTEM {
        SYSTEM_TENANT
    } else {
        scope
    };
    let mut body = json!({
        "Remark": if who.is_some() { "Using OAuth" } else { "Using anonymous user" },
        "User": who.map(|p| p.user.clone()),
        "IsAdminGlobal": global,
        "IsAdminCurrentDb": global || access(current).1,
        "Databases": dbs,
        "AdminDatabases": admin_dbs,
        "ReadOnlyDatabases": read_only_dbs,
        "ReadWriteDatabases": read_write_dbs,
        "IsBackupOperator": global,
        "CurrentDatabase": scope,
    });
    if let Some(p) = who {
        body["AccessTokenBody"] = p.token_body.clone();
    }
    Reply::json(200, body)
}
