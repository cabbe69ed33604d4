//! Serves the dashboard's static files at `/studio/` (`--studio-dir`, what
//! `make run` uses), with the same strict headers as the README's nginx
//! example, so the dashboard can be neither framed nor sniffed.

use crate::app::App;
use crate::http::{Ctx, Reply, R};

/// The README's Content-Security-Policy, plus `frame-ancestors 'none'`.
pub const STUDIO_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/// Every answer under `/studio/` (files, 404s) carries the CSP,
/// `X-Frame-Options: DENY` and `X-Content-Type-Options: nosniff`.
pub fn studio(app: &App, ctx: &Ctx) -> R {
    let strict = |r: Reply| {
        r.header("Content-Security-Policy", STUDIO_CSP)
            .header("X-Frame-Options", "DENY")
            .header("X-Content-Type-Options", "nosniff")
    };
    files(app, ctx).map(strict).map_err(strict)
}

fn files(app: &App, ctx: &Ctx) -> R {
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
