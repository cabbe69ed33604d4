//! HTTP layer: accept loop, faults/outages, CORS, auth, routing, documents,
//! operations, studio files and the test-only control endpoints.

use crate::app::{lock, App, FailSpec, Fault, Kind, LogEntry};
use crate::backup::{self, field, parse_bool};
use crate::config::{Anonymous, Protocol};
use crate::http::{self, BodyKind, Reply, JSON_CT, R, TEXT_CT};
use crate::ops::SYSTEM;
use crate::util;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Request, Response};
use serde_json::{json, Map, Value};
use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// A response body sent in one piece, optionally held back for a while after
/// the status line and headers went out (the `stallBodyMs` fault: a server or
/// proxy that sends headers and then stalls the body).
pub struct ReplyBody {
    data: Option<Bytes>,
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReplyBody {
    fn new(data: Bytes, stall_ms: u64) -> ReplyBody {
        ReplyBody {
            data: Some(data),
            stall: (stall_ms > 0)
                .then(|| Box::pin(tokio::time::sleep(Duration::from_millis(stall_ms)))),
        }
    }
}

impl hyper::body::Body for ReplyBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        if let Some(stall) = self.stall.as_mut() {
            if stall.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.stall = None;
        }
        Poll::Ready(
            self.data
                .take()
                .filter(|d| !d.is_empty())
                .map(|d| Ok(hyper::body::Frame::data(d))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.stall.is_none() && self.data.as_ref().is_none_or(|d| d.is_empty())
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// Returned by the service to make hyper close the connection with no response.
#[derive(Debug)]
pub struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}
impl std::error::Error for Dropped {}

/// Binds, prints the `devserver listening on ...` line and serves forever.
pub async fn run(app: App) -> std::io::Result<()> {
    let app = Arc::new(app);
    let listener = TcpListener::bind((app.cfg.bind.as_str(), app.cfg.port)).await?;
    let addr = listener.local_addr()?;
    {
        let mut out = std::io::stdout();
        writeln!(
            out,
            "devserver listening on http://{}:{}",
            addr.ip(),
            addr.port()
        )?;
        out.flush()?;
    }
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("devserver: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let svc = hyper::service::service_fn(move |req| {
                let app = app.clone();
                async move { handle(app, req).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(io, svc)
                .await;
        });
    }
}

pub struct Ctx {
    pub method: String,
    pub path: String,
    pub query: String,
    pub url: String,
    pub segs: Vec<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub q: Vec<(String, String)>,
}

impl Ctx {
    pub fn qget(&self, name: &str) -> Option<&str> {
        self.q
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

enum BodyRead {
    Ok(Bytes),
    TooLarge,
    Broken,
}

/// Reads the body, refusing more than `max` bytes. An oversized body is
/// drained (bounded) so the 413 reaches the client instead of a reset.
async fn read_body(body: Incoming, max: usize) -> BodyRead {
    let mut body = body;
    let mut buf = Vec::new();
    let mut too_large = false;
    let mut drained: usize = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let next = tokio::time::timeout_at(deadline.into(), body.frame()).await;
        let frame = match next {
            Err(_) => {
                return if too_large {
                    BodyRead::TooLarge
                } else {
                    BodyRead::Broken
                }
            }
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return if too_large {
                    BodyRead::TooLarge
                } else {
                    BodyRead::Broken
                }
            }
            Ok(Some(Ok(f))) => f,
        };
        if let Ok(data) = frame.into_data() {
            if too_large {
                drained += data.len();
                if drained > 256 * 1024 * 1024 {
                    break;
                }
            } else if buf.len() + data.len() > max {
                too_large = true;
                drained = buf.len() + data.len();
                buf = Vec::new();
            } else {
                buf.extend_from_slice(&data);
            }
        }
    }
    if too_large {
        BodyRead::TooLarge
    } else {
        BodyRead::Ok(Bytes::from(buf))
    }
}

fn split_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| util::percent_decode(s, false))
        .collect()
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

async fn handle(app: Arc<App>, req: Request<Incoming>) -> Result<Response<ReplyBody>, Dropped> {
    let started = Instant::now();
    let started_ms = util::epoch_ms();
    let seq = app.seq.fetch_add(1, Ordering::SeqCst) + 1;
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let url = if query.is_empty() {
        path.clone()
    } else {
        format!("{path}?{query}")
    };
    let is_control = lower(&path).starts_with("/__devserver/") || lower(&path) == "/__devserver";
    let log = |status: u16| {
        if let Some(f) = &app.access_log {
            let _ = writeln!(
                lock(f),
                "{method} {url} {status} {}ms",
                started.elapsed().as_millis()
            );
        }
        if !is_control && app.cfg.enable_control {
            let mut c = lock(&app.control);
            if c.log.len() >= 10_000 {
                c.log.pop_front();
            }
            c.log.push_back(LogEntry {
                seq,
                method: method.clone(),
                path: path.clone(),
                query: query.clone(),
                status,
                started_ms,
                finished_ms: util::epoch_ms(),
            });
        }
    };

    // Outage and injected faults (never applied to the control endpoints).
    let mut fault: Option<Fault> = None;
    if !is_control && app.cfg.enable_control {
        let mut c = lock(&app.control);
        if c.outage_until.is_some_and(|t| Instant::now() < t) {
            drop(c);
            log(0);
            return Err(Dropped);
        }
        let lp = lower(&path);
        if let Some(f) = c.faults.iter_mut().find(|f| {
            f.remaining > 0
                && f.method
                    .as_ref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(&method))
                && lp.starts_with(&lower(&f.path_prefix))
        }) {
            f.remaining -= 1;
            fault = Some(f.clone());
        }
        c.faults.retain(|f| f.remaining > 0);
    }

    let body = match read_body(body, app.cfg.max_body_bytes).await {
        BodyRead::Ok(b) => b,
        BodyRead::Broken => {
            log(0);
            return Err(Dropped);
        }
        BodyRead::TooLarge => {
            let r = http::net_error(
                &url,
                "System.Web.HttpException",
                &format!(
                    "Maximum request length exceeded (the devserver limit is {} bytes).",
                    app.cfg.max_body_bytes
                ),
                "System.Web.HttpRequest.GetEntireRawContent()",
            )
            .header("Connection", "close");
            let mut r = r;
            r.status = 413;
            let resp = finish(&app, &parts.headers, &method, r, started, 0);
            log(413);
            return Ok(resp);
        }
    };

    // A fault acts before the request is handled, or (`afterHandling`) on
    // the answer of a request that was handled normally.
    let stall_ms = fault.as_ref().map_or(0, |f| f.stall_body_ms);
    let after = fault.clone().filter(|f| f.after_handling);
    if let Some(f) = fault.filter(|f| !f.after_handling) {
        if f.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        }
        if f.drop {
            log(0);
            return Err(Dropped);
        }
        if let Some(status) = f.status {
            let ct = f.content_type.clone().filter(|c| !c.is_empty());
            let r = Reply::raw(status, ct, f.body.clone());
            let resp = finish(&app, &parts.headers, &method, r, started, stall_ms);
            log(status);
            return Ok(resp);
        }
    }

    let ctx = Ctx {
        method: method.clone(),
        segs: split_segments(&path),
        path: path.clone(),
        query: query.clone(),
        url: url.clone(),
        q: util::parse_query(&query),
        headers: parts.headers.clone(),
        body,
    };
    if !is_control && app.cfg.enable_control && method == "POST" {
        let v = serde_json::from_slice::<Value>(&ctx.body)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&ctx.body)));
        let mut c = lock(&app.control);
        if c.received.len() >= 500 {
            c.received.pop_front();
        }
        c.received.push_back((path.clone(), v));
    }
    let mut reply = match route(&app, &ctx, is_control).await {
        Ok(r) | Err(r) => r,
    };
    if let Some(f) = after {
        if f.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        }
        if f.drop {
            log(0);
            return Err(Dropped);
        }
        if let Some(status) = f.status {
            let ct = f.content_type.clone().filter(|c| !c.is_empty());
            reply = Reply::raw(status, ct, f.body.clone());
        }
    }
    let status = reply.status;
    let resp = finish(&app, &parts.headers, &method, reply, started, stall_ms);
    log(status);
    Ok(resp)
}

/// CORS headers of §11.5 for this request.
fn cors_headers(app: &App, h: &HeaderMap, is_options: bool) -> Vec<(String, String)> {
    let cfg = &app.cfg;
    let mut out = Vec::new();
    if cfg.cors_origins.is_empty() {
        return out;
    }
    let origin = h.get("origin").and_then(|v| v.to_str().ok());
    let allowed = |o: &str| cfg.cors_origins.iter().any(|a| a == "*" || a == o);
    let acrh = h
        .get("access-control-request-headers")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    match cfg.protocol {
        Protocol::V30 => {
            out.push(("Access-Control-Allow-Credentials".into(), "true".into()));
            if let Some(o) = origin.filter(|o| allowed(o)) {
                out.push(("Access-Control-Allow-Origin".into(), o.to_string()));
            }
            out.push(("Access-Control-Max-Age".into(), cfg.cors_max_age.clone()));
            out.push((
                "Access-Control-Allow-Methods".into(),
                cfg.cors_allow_methods.clone(),
            ));
            match &cfg.cors_request_headers {
                None => {
                    if let Some(a) = acrh {
                        out.push(("Access-Control-Allow-Headers".into(), a));
                    }
                }
                // The real 3.0 bug: the configured list goes out under the *request* header name.
                Some(list) => out.push(("Access-Control-Request-Headers".into(), list.clone())),
            }
        }
        Protocol::V35 => {
            let Some(o) = origin else { return out };
            let host = h.get("host").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !host.is_empty() && o.contains(host) {
                return out;
            }
            if allowed(o) {
                out.push(("Access-Control-Allow-Origin".into(), o.to_string()));
            }
            if is_options {
                out.push(("Access-Control-Allow-Credentials".into(), "true".into()));
                out.push(("Access-Control-Max-Age".into(), cfg.cors_max_age.clone()));
                out.push((
                    "Access-Control-Allow-Methods".into(),
                    cfg.cors_allow_methods.clone(),
                ));
                let hdrs = cfg.cors_request_headers.clone().or(acrh);
                if let Some(a) = hdrs {
                    out.push(("Access-Control-Allow-Headers".into(), a));
                }
            }
        }
    }
    out
}

fn build_version(app: &App) -> (&'static str, &'static str) {
    match app.cfg.protocol {
        Protocol::V30 => ("3.0.0 / 6dce79a", "30185"),
        Protocol::V35 => ("3.5.10 / 2ba8d8e", "35288"),
    }
}

fn finish(
    app: &App,
    req_headers: &HeaderMap,
    method: &str,
    reply: Reply,
    started: Instant,
    stall_ms: u64,
) -> Response<ReplyBody> {
    let (ct, bytes): (Option<String>, Bytes) = match reply.body {
        BodyKind::Json(v) => (
            Some(JSON_CT.into()),
            Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
        ),
        BodyKind::Empty => (Some(JSON_CT.into()), Bytes::new()),
        BodyKind::Text(s) => (Some(TEXT_CT.into()), Bytes::from(s)),
        BodyKind::Raw {
            content_type,
            bytes,
        } => (content_type, bytes),
    };
    let body = if method == "HEAD" {
        Bytes::new()
    } else {
        bytes
    };
    let mut resp = Response::new(ReplyBody::new(body, stall_ms));
    *resp.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if let Some(ct) = ct {
        if let Ok(v) = HeaderValue::from_str(&ct) {
            h.insert(hyper::header::CONTENT_TYPE, v);
        }
    }
    let mut extra = reply.headers;
    extra.push(("Raven-Server-Build".into(), build_version(app).1.into()));
    extra.push((
        "Temp-Request-Time".into(),
        started.elapsed().as_millis().to_string(),
    ));
    extra.extend(cors_headers(app, req_headers, method == "OPTIONS"));
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            h.append(k, v);
        }
    }
    resp
}

// ---------------------------------------------------------------- routing

enum Scope {
    System,
    Db(String),
    Fs(String),
}

async fn route(app: &Arc<App>, ctx: &Ctx, is_control: bool) -> R {
    if is_control {
        if !app.cfg.enable_control {
            return Ok(Reply::empty(404));
        }
        if ctx.method == "OPTIONS" {
            return Ok(Reply::empty(200));
        }
        return control(app, ctx);
    }
    if ctx.method == "OPTIONS" {
        // Pre-flight: 200, bypasses authentication (headers added in `finish`).
        return Ok(Reply::empty(200));
    }
    let segs = &ctx.segs;
    let l0 = segs.first().map(|s| lower(s)).unwrap_or_default();
    // Never-secret: studio, root, build/version, favicon.
    if l0 == "studio" {
        return studio(app, ctx);
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

    // Authentication / admin gate (§2.6, §11).
    let is_admin_route = r0 == "admin";
    let is_read = is_get || (m == "POST" && r0 == "queries");
    let bearer = ctx
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim);
    let user: Option<String> = match (bearer, &app.cfg.admin_key) {
        (Some(b), Some(k)) if b == k => Some(k.split('/').next().unwrap_or("").to_string()),
        (Some(_), _) if app.cfg.anonymous != Anonymous::Admin => {
            return Ok(Reply::empty(401).header(
                "WWW-Authenticate",
                "Bearer realm=\"Raven\", error=\"invalid_token\",error_description=\"The access token is invalid\"",
            ));
        }
        _ => None,
    };
    if user.is_none() {
        let allowed = match app.cfg.anonymous {
            Anonymous::Admin => true,
            Anonymous::Get => is_read,
            Anonymous::None => false,
        };
        if !allowed {
            if is_admin_route {
                return Err(http::admin_only(&ctx.path, true));
            }
            return Err(Reply::empty(401).header("Raven-Required-Auth", "Windows"));
        }
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
                return list_databases(app, ctx)
            }
            ("POST", "admin", "restore") if lrest.len() == 2 => {
                let defrag = parse_bool(ctx.qget("defrag"));
                return backup::start_restore(app, Kind::Db, &ctx.body, &ctx.url, defrag).await;
            }
            ("POST", "admin", "fs-restore") if lrest.len() == 2 && app.cfg.is35() => {
                return backup::start_restore(
                    app,
                    Kind::Fs,
                    &ctx.body,
                    &ctx.url,
                    parse_bool(ctx.qget("defrag")),
                )
                .await;
            }
            ("POST", "admin", "fs") if lrest.len() == 3 && lrest[2] == "restore" => {
                return backup::start_restore(
                    app,
                    Kind::Fs,
                    &ctx.body,
                    &ctx.url,
                    parse_bool(ctx.qget("defrag")),
                )
                .await;
            }
            ("POST", "admin", "compact") if lrest.len() == 2 => {
                return backup::start_compact(app, ctx.qget("database"))
            }
            (_, "admin", "databases") if lrest.len() >= 3 => {
                return admin_resource(app, ctx, Kind::Db, &rest[2..].join("/"))
            }
            (_, "admin", "fs") if lrest.len() >= 3 => {
                return admin_resource(app, ctx, Kind::Fs, &rest[2..].join("/"))
            }
            _ => {}
        }
    }

    let res = match &scope {
        Scope::System => app.system.clone(),
        Scope::Db(name) => match app.resource(Kind::Db, name) {
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
            ("GET" | "HEAD", "config", "") => fs_config(&res, ctx),
            (_, "files", _) => fs_files(&res, ctx, &rest[1..].join("/")),
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
            operation(app, ctx, &scope_name, r1 == "kill")
        }
        ("GET" | "HEAD", "operations", "") if lrest.len() == 1 => {
            let p = app.cfg.protocol;
            let items: Vec<Value> = lock(&app.ops)
                .list(&scope_name)
                .iter()
                .map(|o| o.list_item(p))
                .collect();
            Ok(Reply::json(200, Value::Array(items)))
        }
        ("GET" | "HEAD", "debug", "user-info") if lrest.len() == 2 => {
            Ok(user_info(app, &scope_name, user.as_deref()))
        }
        ("POST", "queries", "") if lrest.len() == 1 => queries(&res, ctx),
        (_, "docs", _) => docs(&res, ctx, &rest[1..].join("/")),
        _ => Ok(Reply::empty(404)),
    }
}

// ---------------------------------------------------------------- documents

fn docs(res: &crate::app::Resource, ctx: &Ctx, id: &str) -> R {
    let m = ctx.method.as_str();
    if id.is_empty() {
        if m != "GET" && m != "HEAD" {
            return Ok(Reply::empty(404));
        }
        let start: usize = ctx.qget("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let page: usize = ctx
            .qget("pageSize")
            .and_then(|s| s.parse().ok())
            .unwrap_or(25)
            .min(1024);
        let all = res.store.all_by_etag_desc();
        let items: Vec<Value> = all
            .iter()
            .skip(start)
            .take(page)
            .map(|d| d.with_metadata())
            .collect();
        return Ok(Reply::json(200, Value::Array(items)));
    }
    match m {
        "GET" | "HEAD" => match res.store.get(id) {
            None => Err(Reply::empty(404)),
            Some(d) => {
                let mut r = Reply::json(200, d.data.clone())
                    .header("ETag", format!("\"{}\"", d.etag_text()));
                for (k, v) in &d.metadata {
                    if let Some(s) = v.as_str() {
                        r = r.header(k, s);
                    }
                }
                r = r.header("Last-Modified", d.last_modified.clone());
                r = r.header("Raven-Last-Modified", d.last_modified.clone());
                Ok(r)
            }
        },
        "PUT" => {
            let v: Value = serde_json::from_slice(&ctx.body)
                .map_err(|e| http::bad_json(&ctx.url, &e.to_string()))?;
            let Value::Object(mut obj) = v else {
                return Err(http::bad_json(&ctx.url, "Error reading RavenJObject from JsonReader. Current JsonReader item is not an object."));
            };
            let mut md = match obj.remove("@metadata") {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            for h in ["Raven-Entity-Name", "Raven-Clr-Type"] {
                if let Some(v) = ctx.header(h) {
                    md.insert(h.into(), json!(v));
                }
            }
            for k in [
                "@id",
                "@etag",
                "Last-Modified",
                "Raven-Last-Modified",
                "Non-Authoritative-Information",
            ] {
                md.remove(k);
            }
            if let Some(expected) = ctx.header("if-none-match").or(ctx.header("if-match")) {
                let actual = res.store.get(id).map(|d| d.etag_text());
                let exp = expected.trim_matches('"');
                if actual.as_deref() != Some(exp) {
                    return Err(Reply::json(
                        409,
                        json!({"Url": ctx.url, "ActualETag": actual, "ExpectedETag": exp,
                        "Error": format!("PUT attempted on document '{id}' using a non current etag")}),
                    ));
                }
            }
            let d = res
                .store
                .put(id, Value::Object(obj), md)
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.Actions.DocumentActions.Put(String key, Etag etag, RavenJObject document, RavenJObject metadata, TransactionInformation transactionInformation)"))?;
            Ok(Reply::json(
                201,
                json!({"Key": d.key, "ETag": d.etag_text()}),
            ))
        }
        "DELETE" => {
            res.store
                .delete(id)
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.Actions.DocumentActions.Delete(String key, Etag etag, TransactionInformation transactionInformation)"))?;
            Ok(Reply::empty(204))
        }
        _ => Ok(Reply::empty(404)),
    }
}

fn queries(res: &crate::app::Resource, ctx: &Ctx) -> R {
    let v: Value =
        serde_json::from_slice(&ctx.body).map_err(|e| http::bad_json(&ctx.url, &e.to_string()))?;
    let Some(ids) = v.as_array() else {
        return Err(http::bad_json(
            &ctx.url,
            "Error reading RavenJArray from JsonReader. Current JsonReader item is not an array.",
        ));
    };
    let v3 = ctx
        .header("raven-client-version")
        .is_some_and(|v| v.starts_with('3'));
    let mut results = Vec::new();
    for id in ids {
        let Some(id) = id.as_str() else {
            return Err(http::net_error(&ctx.url, "System.InvalidCastException", "Unable to cast object of type 'Raven.Json.Linq.RavenJObject' to type 'Raven.Json.Linq.RavenJValue'.", "Raven.Database.Server.Controllers.QueriesController.<QueriesPost>d__0.MoveNext()"));
        };
        match res.store.get(id) {
            Some(d) => results.push(d.with_metadata()),
            None if v3 => results.push(Value::Null),
            None => {}
        }
    }
    Ok(Reply::json(
        200,
        json!({"Results": results, "Includes": []}),
    ))
}

// ---------------------------------------------------------------- operations

fn operation(app: &App, ctx: &Ctx, scope: &str, kill: bool) -> R {
    let Some(id) = ctx.qget("id").and_then(|s| s.trim().parse::<i64>().ok()) else {
        return Err(Reply::json(
            400,
            json!({"Error": "Query string variable id must be a valid int64"}),
        ));
    };
    let mut ops = lock(&app.ops);
    let Some(op) = u64::try_from(id).ok().and_then(|id| ops.get_mut(scope, id)) else {
        return Err(Reply::empty(404));
    };
    if kill && !op.state.completed {
        op.cancel.store(true, Ordering::SeqCst);
    }
    Ok(Reply::json(200, op.state_json(app.cfg.protocol)))
}

// ---------------------------------------------------------------- databases

fn list_databases(app: &App, ctx: &Ctx) -> R {
    let start: usize = ctx.qget("start").and_then(|s| s.parse().ok()).unwrap_or(0);
    let page: Option<usize> = if app.cfg.protocol == Protocol::V30 {
        ctx.qget("pageSize").and_then(|s| s.parse().ok())
    } else {
        None
    };
    let names: Vec<String> = app
        .names(Kind::Db)
        .into_iter()
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

fn admin_resource(app: &App, ctx: &Ctx, kind: Kind, name: &str) -> R {
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
            if app.resolve_data_dir(kind, &dd).is_none() {
                return Err(http::access_denied(&ctx.url, &dd, "Raven.Database.Server.Controllers.Admin.AdminDatabasesController.<Put>d__0.MoveNext()"));
            }
            settings.insert(dd_key.into(), json!(dd));
            let d = app
                .register(kind, name, &settings, &secured, disabled)
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.Server.Controllers.Admin.AdminDatabasesController.<Put>d__0.MoveNext()"))?;
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

fn user_info(app: &App, scope: &str, user: Option<&str>) -> Reply {
    let admin = user.is_some() || app.cfg.anonymous == Anonymous::Admin;
    let dbs: Vec<Value> = app
        .names(Kind::Db)
        .iter()
        .map(|n| json!({"Database": n, "IsAdmin": admin, "IsReadOnly": !admin}))
        .collect();
    let names = app.names(Kind::Db);
    let remark = if user.is_some() {
        "Using OAuth"
    } else {
        "Using anonymous user"
    };
    Reply::json(
        200,
        json!({
            "Remark": remark,
            "User": user,
            "IsAdminGlobal": admin,
            "IsAdminCurrentDb": admin,
            "Databases": dbs,
            "AdminDatabases": if admin { names.clone() } else { Vec::new() },
            "ReadOnlyDatabases": if admin { Vec::new() } else { names.clone() },
            "ReadWriteDatabases": if admin { names } else { Vec::new() },
            "IsBackupOperator": admin,
            "CurrentDatabase": scope,
        }),
    )
}

// ---------------------------------------------------------------- file systems

fn fs_config(res: &crate::app::Resource, ctx: &Ctx) -> R {
    let Some(cfg) = &res.config else {
        return Ok(Reply::empty(404));
    };
    match ctx.qget("name") {
        Some(name) => match cfg.get(name) {
            Some(d) => Ok(Reply::json(200, d.data)),
            None => Err(Reply::empty(404)),
        },
        None => Ok(Reply::json(
            200,
            json!(cfg
                .snapshot()
                .iter()
                .map(|d| d.key.clone())
                .collect::<Vec<_>>()),
        )),
    }
}

fn fs_files(res: &crate::app::Resource, ctx: &Ctx, name: &str) -> R {
    use base64::Engine;
    match ctx.method.as_str() {
        "GET" | "HEAD" if name.is_empty() => {
            let files: Vec<Value> = res.store.snapshot().iter()
                .map(|d| json!({"Name": d.key, "TotalSize": d.data["Size"], "LastModified": d.last_modified}))
                .collect();
            Ok(Reply::json(200, Value::Array(files)))
        }
        "GET" | "HEAD" => match res.store.get(name) {
            Some(d) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(d.data["Content"].as_str().unwrap_or(""))
                    .unwrap_or_default();
                Ok(
                    Reply::raw(200, Some("application/octet-stream".into()), bytes)
                        .header("ETag", format!("\"{}\"", d.etag_text())),
                )
            }
            None => Err(Reply::empty(404)),
        },
        "PUT" if !name.is_empty() => {
            let d = res
                .store
                .put(name, crate::demo::file_value(&ctx.body), Map::new())
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.FileSystem.Controllers.FilesController.<Put>d__0.MoveNext()"))?;
            Ok(Reply::empty(201).header("ETag", format!("\"{}\"", d.etag_text())))
        }
        "DELETE" if !name.is_empty() => {
            let _ = res.store.delete(name);
            Ok(Reply::empty(204))
        }
        _ => Ok(Reply::empty(404)),
    }
}

// ---------------------------------------------------------------- studio

fn studio(app: &App, ctx: &Ctx) -> R {
    let Some(dir) = &app.cfg.studio_dir else {
        return Err(Reply::text(
            404,
            "No studio directory configured (use --studio-dir)",
        ));
    };
    if ctx.method != "GET" && ctx.method != "HEAD" {
        return Ok(Reply::empty(405));
    }
    let rel: Vec<&String> = ctx.segs.iter().skip(1).collect();
    if rel
        .iter()
        .any(|s| s.as_str() == ".." || s.contains('\\') || s.contains('\0'))
    {
        return Err(Reply::text(404, "Not found"));
    }
    let mut p = dir.clone();
    for s in &rel {
        p.push(s.as_str());
    }
    if rel.is_empty() || p.is_dir() {
        p.push("index.html");
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ct = match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    match std::fs::read(&p) {
        Ok(b) => Ok(Reply::raw(200, Some(ct.into()), b).header("Cache-Control", "no-cache")),
        Err(_) => Err(Reply::text(404, "Not found")),
    }
}

// ---------------------------------------------------------------- control

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
        if path.is_dir() {
            list_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn bad(msg: &str) -> Reply {
    Reply::json(400, json!({ "Error": msg }))
}

fn control(app: &Arc<App>, ctx: &Ctx) -> R {
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
                "stallBodyMs": f.stall_body_ms, "afterHandling": f.after_handling})
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
