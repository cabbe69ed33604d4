//! The HTTP server: the accept loop and the per-request pipeline (request
//! log, outages and injected faults, body limit, routing, the answer).

mod control;
mod cors;
mod databases;
mod documents;
mod files;
mod guard;
mod oauth;
mod operations;
mod response;
mod routing;
mod streams;
mod studio;

use crate::app::{lock, App};
use crate::faults::{BodyFault, Fault, LogEntry};
use crate::http::{self, Ctx, Reply};
use crate::util::{self, lower};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use response::{finish, Dropped, ReplyBody};
use routing::route;
use serde_json::{json, Value};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Binds the configured address (port 0 = a free one) and remembers it.
pub async fn bind(app: &App) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind((app.cfg.bind.as_str(), app.cfg.port)).await?;
    let addr = listener.local_addr()?;
    let _ = app.bound.set(addr);
    Ok((listener, addr))
}

/// Serves forever.
pub async fn run(app: App, listener: TcpListener) -> std::io::Result<()> {
    let app = Arc::new(app);
    // Every connection holds a slot; one beyond the cap is closed at once,
    // so idle or slow clients cannot use up the file descriptors.
    let slots = Arc::new(tokio::sync::Semaphore::new(app.cfg.max_connections));
    let header_timeout = (app.cfg.header_read_timeout_ms > 0)
        .then(|| Duration::from_millis(app.cfg.header_read_timeout_ms));
    let mut refused: u64 = 0;
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("devserver: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if refused.is_multiple_of(1000) {
                eprintln!(
                    "devserver: {} connections open (--max-connections): closing new ones",
                    app.cfg.max_connections
                );
            }
            refused += 1;
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let svc = hyper::service::service_fn(move |req| {
                let app = app.clone();
                async move { handle(app, req).await }
            });
            // The header timeout also closes idle keep-alive connections.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(io, svc)
                .await;
            drop(slot);
        });
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

    // Foreign origins and hosts (before anything else, control included).
    if let Err(refusal) = guard::check(&app, &parts.headers) {
        let _ = read_body(body, app.cfg.max_body_bytes).await;
        let resp = finish(
            &app,
            &parts.headers,
            &method,
            refusal,
            started,
            BodyFault::default(),
        );
        log(403);
        return Ok(resp);
    }

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
            let resp = finish(
                &app,
                &parts.headers,
                &method,
                r,
                started,
                BodyFault::default(),
            );
            log(413);
            return Ok(resp);
        }
    };

    // A fault acts before the request is handled, or (`afterHandling`) on
    // the answer of a request that was handled normally.
    let body_fault = fault.as_ref().map(Fault::body_fault).unwrap_or_default();
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
            let resp = finish(&app, &parts.headers, &method, r, started, body_fault);
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
    let resp = finish(&app, &parts.headers, &method, reply, started, body_fault);
    log(status);
    Ok(resp)
}
