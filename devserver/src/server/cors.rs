//! CORS answer headers exactly as RavenDB 3.0 and 3.5 send them (§11.5).

use crate::app::App;
use crate::config::Protocol;
use hyper::header::HeaderMap;

/// CORS headers of §11.5 for this request.
pub fn cors_headers(app: &App, h: &HeaderMap, is_options: bool) -> Vec<(String, String)> {
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
