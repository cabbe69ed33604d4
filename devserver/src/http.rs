//! The three body kinds of RavenDB 3.x (§2.2) and .NET-style error bodies (§2.3).

use bytes::Bytes;
use serde_json::{json, Value};

pub const JSON_CT: &str = "application/json; charset=utf-8";
pub const TEXT_CT: &str = "text/plain; charset=utf-8";

#[derive(Debug, Clone)]
pub enum BodyKind {
    /// "object" message: JSON body with the JSON content type.
    Json(Value),
    /// "empty" message: JSON content type, zero-length body.
    Empty,
    /// "string" message: raw text, `text/plain; charset=utf-8`.
    Text(String),
    /// Anything else (static files, fault bodies).
    Raw {
        content_type: Option<String>,
        bytes: Bytes,
    },
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: BodyKind,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(status: u16, v: Value) -> Reply {
        Reply {
            status,
            body: BodyKind::Json(v),
            headers: Vec::new(),
        }
    }
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: BodyKind::Empty,
            headers: Vec::new(),
        }
    }
    pub fn text(status: u16, s: impl Into<String>) -> Reply {
        Reply {
            status,
            body: BodyKind::Text(s.into()),
            headers: Vec::new(),
        }
    }
    pub fn raw(status: u16, content_type: Option<String>, bytes: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            body: BodyKind::Raw {
                content_type,
                bytes: bytes.into(),
            },
            headers: Vec::new(),
        }
    }
    pub fn header(mut self, k: &str, v: impl Into<String>) -> Reply {
        self.headers.push((k.to_string(), v.into()));
        self
    }
}

/// Handlers return `Result<Reply, Reply>` so errors can be returned with `?`.
pub type R = Result<Reply, Reply>;

/// A fake .NET stack trace for the given call site.
pub fn stack(site: &str) -> String {
    format!(
        "\r\n   at {site}\r\n   at Raven.Database.Server.Controllers.RavenBaseApiController.<ExecuteAsync>d__0.MoveNext()\r\n   at System.Web.Http.Controllers.ApiControllerActionInvoker.<InvokeActionAsyncCore>d__0.MoveNext()"
    )
}

/// Full `Exception.ToString()` text: `Type: message` + stack.
pub fn exception_text(ty: &str, msg: &str, site: &str) -> String {
    format!("{ty}: {msg}{}", stack(site))
}

/// 500 `{"Url","Error"}` for an unhandled .NET exception.
pub fn net_error(url: &str, ty: &str, msg: &str, site: &str) -> Reply {
    Reply::json(
        500,
        json!({"Url": url, "Error": exception_text(ty, msg, site)}),
    )
}

pub fn invalid_op(url: &str, msg: &str, site: &str) -> Reply {
    net_error(url, "System.InvalidOperationException", msg, site)
}

/// 500 for a JSON body JSON.NET could not read.
pub fn bad_json(url: &str, detail: &str) -> Reply {
    net_error(
        url,
        "Newtonsoft.Json.JsonReaderException",
        detail,
        "Raven.Database.Server.Controllers.RavenBaseApiController.<ReadJsonObjectAsync>d__0.MoveNext()",
    )
}

/// 500 `UnauthorizedAccessException` for a path outside the allowed roots.
pub fn access_denied(url: &str, path: &str, site: &str) -> Reply {
    net_error(
        url,
        "System.UnauthorizedAccessException",
        &format!("Access to the path '{path}' is denied."),
        site,
    )
}

pub fn io_error(url: &str, e: &std::io::Error, site: &str) -> Reply {
    net_error(url, "System.IO.IOException", &e.to_string(), site)
}

/// 401 admin gate bodies (§2.6).
pub fn admin_only(path: &str, no_user: bool) -> Reply {
    let msg = if no_user {
        format!("The operation '{path}' is only available to administrators, and could not find the user to authorize with")
    } else {
        format!("The operation '{path}' is only available to administrators")
    };
    Reply::json(401, json!({ "Error": msg }))
}
