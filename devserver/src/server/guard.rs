//! Who may talk to the server at all (`--host-origin-check`, on by default):
//! under the default anonymous Admin, a web page the user visits could
//! otherwise start backups with a simple cross-origin POST, and a DNS
//! rebinding page could read decrypted SecuredSettings.

use crate::app::App;
use crate::http::Reply;
use hyper::header::HeaderMap;
use std::net::IpAddr;

/// The host part of a `Host` header value (`name`, `1.2.3.4`, `[::1]`),
/// lower-cased, without the port.
fn host_name(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_string();
    }
    match h.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
        _ => h,
    }
}

/// The bound address, a loopback address or a `localhost` name. When bound
/// to every address, any IP literal (a rebinding attack needs a DNS name).
fn host_allowed(app: &App, host: &str) -> bool {
    let name = host_name(host);
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    let bound = app.bound.get().map(|a| a.ip());
    ip.is_loopback() || bound == Some(ip) || bound.is_some_and(|b| b.is_unspecified())
}

/// Allowed by `--cors-origin`, or the page's own origin (same origin).
fn origin_allowed(app: &App, origin: &str, host: Option<&str>) -> bool {
    if app
        .cfg
        .cors_origins
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin))
    {
        return true;
    }
    host.is_some_and(|h| {
        let h = h.trim();
        ["http://", "https://"]
            .iter()
            .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{h}")))
    })
}

/// `Err(403 text)` for a request the check refuses. Requests without an
/// `Origin` (curl, same-origin GETs) only need an acceptable `Host`.
pub fn check(app: &App, headers: &HeaderMap) -> Result<(), Reply> {
    if !app.cfg.host_origin_check {
        return Ok(());
    }
    let text = |name: &str| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let host = text("host");
    if let Some(h) = &host {
        if !host_allowed(app, h) {
            return Err(Reply::text(403, format!(
                "devserver refused this request: its Host '{h}' is neither the address the devserver listens on nor a loopback name (--host-origin-check off turns this check off)."
            )));
        }
    }
    if let Some(o) = text("origin") {
        if !origin_allowed(app, &o, host.as_deref()) {
            return Err(Reply::text(403, format!(
                "devserver refused this request: its Origin '{o}' is not allowed (allow it with --cors-origin, or turn this check off with --host-origin-check off)."
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::host_name;

    #[test]
    fn host_names() {
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("LocalHost"), "localhost");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("evil.example:1"), "evil.example");
    }
}
