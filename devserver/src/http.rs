//! The request and reply vocabulary shared by every handler: the parsed
//! request, JSON.NET-like field readers, the three body kinds of RavenDB 3.x
//! (§2.2) and .NET-style error bodies (§2.3).

use bytes::Bytes;
use hyper::header::HeaderMap;
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
    /// A streamed answer: sent chunk by chunk, with no length
    /// (`Transfer-Encoding: chunked`), like 3.x's `PushStreamContent`.
    Chunked {
        content_type: String,
        chunks: Vec<Bytes>,
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
    pub fn chunked(status: u16, content_type: &str, chunks: Vec<Bytes>) -> Reply {
        Reply {
            status,
            body: BodyKind::Chunked {
                content_type: content_type.to_string(),
                chunks,
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

/// 500 `ArgumentException` for a location Windows would not accept.
pub fn illegal_path(url: &str, site: &str) -> Reply {
    net_error(
        url,
        "System.ArgumentException",
        "Illegal characters in path.",
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

// ---------------------------------------------------------------- request

/// One request, read and decoded.
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
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Case-insensitive member lookup, like JSON.NET's default binding.
pub fn field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

pub fn str_field(v: &Value, name: &str, url: &str) -> Result<Option<String>, Reply> {
    match field(v, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            &format!("Error converting value to type 'System.String'. Path '{name}'."),
            "Newtonsoft.Json.Serialization.JsonSerializerInternalReader.EnsureType(JsonReader reader, Object value, CultureInfo culture, JsonContract contract, Type targetType)",
        )),
    }
}

pub fn bool_field(v: &Value, name: &str, url: &str) -> Result<bool, Reply> {
    match field(v, name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            &format!("Error converting value to type 'System.Boolean'. Path '{name}'."),
            "Newtonsoft.Json.Serialization.JsonSerializerInternalReader.EnsureType(JsonReader reader, Object value, CultureInfo culture, JsonContract contract, Type targetType)",
        )),
    }
}

/// Parses a request body the way the 3.x controllers do (JSON.NET).
pub fn parse_body(body: &[u8], url: &str, site: &str) -> Result<Value, Reply> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(net_error(
            url,
            "System.NullReferenceException",
            "Object reference not set to an instance of an object.",
            site,
        ));
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| bad_json(url, &e.to_string()))?;
    if !v.is_object() {
        return Err(net_error(
            url,
            "Newtonsoft.Json.JsonSerializationException",
            "Cannot deserialize the current JSON value into an object: a JSON object (e.g. {\"name\":\"value\"}) is required.",
            site,
        ));
    }
    Ok(v)
}

/// `.NET bool.TryParse`; unparsable -> None.
pub fn parse_bool(s: Option<&str>) -> Option<bool> {
    match s.map(|s| s.trim().to_ascii_lowercase()) {
        Some(s) if s == "true" => Some(true),
        Some(s) if s == "false" => Some(false),
        _ => None,
    }
}
