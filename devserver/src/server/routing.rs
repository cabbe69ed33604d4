//! Routing: the never-secret routes, the authentication and admin gate
//! (§2.6, §11), then the system, database and file-system routes.

use super::response::build_version;
use super::{control, databases, documents, files, oauth, operations, streams, studio};
use crate::app::{App, Kind};
use crate::auth::SYSTEM_TENANT;
use crate::http::{parse_bool, Ctx, Reply, R};
use crate::maintenance::{backup, compact, restore};
use crate::ops::SYSTEM;
use crate::util::lower;
use serde_json::json;
use std::sync::Arc;

enum Scope {
    System,
    Db(String),
    Fs(String),
}

pub async fn route(app: &Arc<App>, ctx: &Ctx, is_control: bool) -> R {
    if is_control {
        if !app.cfg.enable_control {
            return Ok(Reply::empty(404));
        }
        if ctx.method == "OPTIONS" {
            return Ok(Reply::empty(200));
        }
        return control::control(app, ctx);
    }
    if ctx.method == "OPTIONS" {
        // Pre-flight: 200, bypasses authentication (headers added in `finish`).
        return Ok(Reply::empty(200));
    }
    let segs = &ctx.segs;
    let l0 = segs.first().map(|s| lower(s)).unwrap_or_default();
    // Never-secret: studio, root, build/version, favicon.
    if l0 == "studio" {
        return studio::studio(app, ctx);
    }
    if segs.is_empty() && (ctx.method == "GET" || ctx.method == "HEAD") {
        if app.cfg.studio_dir.is_some() {
            return Ok(Reply::empty(302).header("Location", "/studio/"));
        }
        return Ok(Reply::text(200, "devserver: a RavenDB 3.x backup/restore protocol reference server (a test and demo tool, not a database). Start it with --studio-dir to serve a dashboard here."));
    }
    let (scope, rest): (Scope, &[String]) = if l0 == "databases" && segs.len() >= 2 {
        if segs[1].eq_ignore_ascii_case(SYSTEM) {
            (Scope::System, &segs[2..])
        } else {
            (Scope::Db(segs[1].clone()), &segs[2..])
        }
    } else if l0 == "fs" && segs.len() >= 2 {
        (Scope::Fs(segs[1].clone()), &segs[2..])
    } else {
        (Scope::System, &segs[..])
    };
    let lrest: Vec<String> = rest.iter().map(|s| lower(s)).collect();
    let r0 = lrest.first().map(String::as_str).unwrap_or("");
    let r1 = lrest.get(1).map(String::as_str).unwrap_or("");
    let m = ctx.method.as_str();
    let is_get = m == "GET" || m == "HEAD";

    if (r0, r1) == ("build", "version") && is_get {
        let (pv, bv) = build_version(app);
        return Ok(Reply::json(
            200,
            json!({"ProductVersion": pv, "BuildVersion": bv}),
        ));
    }
    if r0 == "favicon.ico" {
        return Ok(Reply::empty(404));
    }

    // E21: the token endpoint is never secret (§11.1).
    if matches!(scope, Scope::System) && lrest.len() == 2 && (r0, r1) == ("oauth", "api-key") {
        return Ok(if m == "POST" {
            oauth::api_key(app, ctx)
        } else {
            Reply::empty(404)
        });
    }

    // Authentication (§11.1), then the admin gate (§2.6).
    let tenant: String = match &scope {
        Scope::System => SYSTEM_TENANT.to_string(),
        Scope::Db(n) | Scope::Fs(n) => n.clone(),
    };
    let is_admin_route = r0 == "admin";
    // 3.x counts a multi-load (`POST /queries`) as a read.
    let is_read = is_get || (m == "POST" && r0 == "queries");
    // URLs any authenticated caller may use whatever its databases: the
    // database list (filtered to the caller's) and who-am-I.
    let ignore_db = matches!(scope, Scope::System)
        && ((r0 == "databases" && lrest.len() == 1) || (r0, r1) == ("debug", "user-info"));
    let user = oauth::authenticate(app, ctx, &tenant, is_read, is_admin_route, ignore_db)?;
    if is_admin_route {
        // 3.x takes the resource from the route's `databaseName`, which
        // `/admin/databases/{db}` lacks: that route is about `<system>`,
        // not `{db}` (docs/protocol/ravendb-3x.md §11.6).
        oauth::admin_gate(app, ctx, user.as_ref(), &tenant, is_read)?;
    }
    // [3.5] 4.x client guard on admin endpoints.
    if is_admin_route
        && app.cfg.is35()
        && ctx
            .header("raven-client-version")
            .is_some_and(|v| v.starts_with('4'))
    {
        return Err(Reply::json(
            503,
            json!({"Error": "A 4.x RavenDB client is not compatible with 3.x RavenDB server. The request cannot continue."}),
        ));
    }

    // System-only routes.
    if let Scope::System = scope {
        match (m, r0, r1) {
            ("GET" | "HEAD", "databases", "") if lrest.len() == 1 => {
                return databases::list_databases(app, ctx, user.as_ref())
            }
            ("POST", "admin", "restore") if lrest.len() == 2 => {
                let defrag = parse_bool(ctx.qget("defrag"));
                return restore::start_restore(app, Kind::Db, &ctx.body, &ctx.url, defrag).await;
            }
            // E19: 3.0 knows `/admin/fs/restore`, 3.5 also `/admin/fs-restore`.
            ("POST", "admin", "fs-restore" | "fs")
                if (r1 == "fs-restore" && lrest.len() == 2 && app.cfg.is35())
                    || (r1 == "fs" && lrest.len() == 3 && lrest[2] == "restore") =>
            {
                let defrag = parse_bool(ctx.qget("defrag"));
                return restore::start_restore(app, Kind::Fs, &ctx.body, &ctx.url, defrag).await;
            }
            ("POST", "admin", "compact") if lrest.len() == 2 => {
                return compact::start_compact(app, ctx.qget("database"))
            }
            (_, "admin", "databases") if lrest.len() >= 3 => {
                return databases::admin_resource(app, ctx, Kind::Db, &rest[2..].join("/"))
            }
            (_, "admin", "fs") if lrest.len() >= 3 => {
                return databases::admin_resource(app, ctx, Kind::Fs, &rest[2..].join("/"))
            }
            _ => {}
        }
    }

    let res = match &scope {
        Scope::System => app.system.clone(),
        Scope::Db(name) => match app.resource(Kind::Db, name) {
            // 3.x opens a database on its first request; one that cannot
            // be opened answers 503 with why (§16.6).
            Some(_) if app.open_failure(name).is_some() => {
                let why = app.open_failure(name).unwrap_or_default();
                return Err(Reply::json(503, json!({ "Error": why })));
            }
            Some(r) => r,
            None => {
                return Err(Reply::json(
                    503,
                    json!({"Error": format!("Could not find a database named: {name}")}),
                ))
            }
        },
        Scope::Fs(name) => match app.resource(Kind::Fs, name) {
            Some(r) => r,
            None => {
                return Err(Reply::json(
                    503,
                    json!({"Error": format!("Could not find a file system named: {name}")}),
                ))
            }
        },
    };
    let scope_name = res.name.clone();

    if res.kind == Kind::Fs {
        return match (m, r0, r1) {
            ("POST", "admin", "backup") if lrest.len() == 2 => backup::start_backup(
                app,
                res,
                &ctx.body,
                parse_bool(ctx.qget("incremental")).unwrap_or(false),
                &ctx.url,
            ),
            ("GET" | "HEAD", "config", "") => files::fs_config(&res, ctx),
            ("GET" | "HEAD", "singleauthtoken", "") if lrest.len() == 1 => {
                Ok(oauth::single_auth_token(app, ctx, user, &tenant))
            }
            (_, "files", _) => files::fs_files(&res, ctx, &rest[1..].join("/")),
            _ => Ok(Reply::empty(404)),
        };
    }

    match (m, r0, r1) {
        ("GET" | "HEAD", "databases", "") if lrest.len() == 1 => Err(Reply::text(
            400,
            format!(
                "The request '{}' can only be issued on the system database",
                ctx.url
            ),
        )),
        ("POST", "admin", "backup") if lrest.len() == 2 => backup::start_backup(
            app,
            res,
            &ctx.body,
            parse_bool(ctx.qget("incremental")).unwrap_or(false),
            &ctx.url,
        ),
        ("POST", "admin", "restore") if lrest.len() == 2 => Err(Reply::text(
            400,
            "Restore is only possible from the system database",
        )),
        ("GET" | "HEAD", "operation", "status" | "kill") if lrest.len() == 2 => {
            operations::operation(app, ctx, &scope_name, r1 == "kill")
        }
        ("GET" | "HEAD", "operations", "") if lrest.len() == 1 => {
            operations::list(app, &scope_name)
        }
        ("GET" | "HEAD", "debug", "user-info") if lrest.len() == 2 => {
            Ok(databases::user_info(app, &scope_name, user.as_ref()))
        }
        ("GET" | "HEAD", "singleauthtoken", "") if lrest.len() == 1 => {
            Ok(oauth::single_auth_token(app, ctx, user, &tenant))
        }
        ("POST", "queries", "") if lrest.len() == 1 => documents::queries(&res, ctx),
        ("GET" | "HEAD", "streams", "docs") if lrest.len() == 2 => streams::docs(&res, ctx),
        (_, "docs", _) => documents::docs(&res, ctx, &rest[1..].join("/")),
        _ => Ok(Reply::empty(404)),
    }
}
