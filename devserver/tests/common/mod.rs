//! Test helpers: spawn the real devserver binary and talk HTTP/1.1 to it over
//! a plain TCP socket (no HTTP client dependency).
#![allow(dead_code)]

pub mod oauth;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn temp_dir(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "devserver-test-{}-{}-{}",
        tag,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub dir: PathBuf,
    pub args: Vec<String>,
}

impl Server {
    /// Starts a server with its own data dir and backup root under a temp dir.
    pub fn start(args: &[&str]) -> Server {
        let dir = temp_dir("srv");
        Server::start_in(&dir, args)
    }

    pub fn start_in(dir: &Path, args: &[&str]) -> Server {
        let mut all: Vec<String> = vec![
            "--port".into(),
            "0".into(),
            "--data-dir".into(),
            dir.join("data").display().to_string(),
            "--backup-root".into(),
            dir.join("backups").display().to_string(),
            "--op-step-ms".into(),
            "15".into(),
        ];
        all.extend(args.iter().map(|s| s.to_string()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_devserver"))
            .args(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn devserver");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let prefix = "devserver listening on http://127.0.0.1:";
        assert!(line.starts_with(prefix), "unexpected first line: {line:?}");
        let port = line[prefix.len()..].trim().parse().unwrap();
        Server {
            child,
            port,
            dir: dir.to_path_buf(),
            args: all,
        }
    }

    pub fn backups(&self) -> PathBuf {
        self.dir.join("backups")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn req(&self, method: &str, path: &str, body: Option<&str>) -> Resp {
        request(self.port, method, path, body.map(|b| b.as_bytes()), &[])
    }

    pub fn req_h(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Resp {
        request(self.port, method, path, body.map(|b| b.as_bytes()), headers)
    }

    pub fn get(&self, path: &str) -> Resp {
        self.req("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &str) -> Resp {
        self.req("POST", path, Some(body))
    }

    pub fn put(&self, path: &str, body: &str) -> Resp {
        self.req("PUT", path, Some(body))
    }

    /// Polls `path` until `pred` holds on the JSON body (10 s max).
    pub fn wait_json(&self, path: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(path);
            if r.status == 200 {
                let v = r.json();
                if pred(&v) {
                    return v;
                }
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting on {path}: last {} {}",
                r.status,
                r.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the backup status document of `db_prefix` says IsRunning:false.
    pub fn wait_backup(&self, db_prefix: &str) -> Value {
        self.wait_json(&format!("{db_prefix}/docs/Raven/Backup/Status"), |v| {
            v["IsRunning"] == false
        })
    }

    /// Waits until the system operation `id` is completed.
    pub fn wait_op(&self, id: u64) -> Value {
        self.wait_json(&format!("/operation/status?id={id}"), |v| {
            v["Completed"] == true
        })
    }

    pub fn wait_restore(&self) -> Value {
        self.wait_json("/docs/Raven/Restore/Status", |v| v["State"] != "Running")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {:?} (status {})", self.text(), self.status)
        })
    }
    /// Asserts the "object" body kind.
    pub fn assert_json(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(self.content_type(), "application/json; charset=utf-8");
        self.json()
    }
    /// Asserts the "empty" body kind.
    pub fn assert_empty(&self, status: u16) {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(self.content_type(), "application/json; charset=utf-8");
        assert!(
            self.body.is_empty(),
            "expected empty body, got {:?}",
            self.text()
        );
    }
    /// Asserts the "string" body kind.
    pub fn assert_text(&self, status: u16, text: &str) {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(self.content_type(), "text/plain; charset=utf-8");
        assert_eq!(self.text(), text);
    }
    /// Asserts a 500 `{"Url","Error"}` whose Error starts with `prefix` and has a stack.
    pub fn assert_net_error(&self, status: u16, prefix: &str) -> Value {
        let v = self.assert_json(status);
        assert!(v["Url"].is_string(), "{v}");
        let e = v["Error"].as_str().unwrap();
        assert!(
            e.starts_with(prefix),
            "Error {e:?} does not start with {prefix:?}"
        );
        assert!(e.contains("\r\n   at "), "no stack trace in {e:?}");
        v
    }
}

/// Sends one HTTP/1.1 request (Connection: close). Status 0 = connection
/// dropped without a response.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    headers: &[(&str, &str)],
) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            head.push_str("Content-Type: application/json; charset=utf-8\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    let mut raw = head.into_bytes();
    if let Some(b) = body {
        raw.extend_from_slice(b);
    }
    let _ = s.write_all(&raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse_response(&buf)
}

pub fn parse_response(buf: &[u8]) -> Resp {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Resp {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
        };
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
            let n =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..p]).trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[p + 2..p + 2 + n]);
            rest = &rest[p + 2 + n + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// All non-`Raven/` documents of a database as id -> document (with @metadata @id only).
pub fn user_docs(s: &Server, db: &str) -> std::collections::BTreeMap<String, Value> {
    let mut out = std::collections::BTreeMap::new();
    let mut start = 0;
    loop {
        let v = s
            .get(&format!("/databases/{db}/docs?start={start}&pageSize=1024"))
            .assert_json(200);
        let arr = v.as_array().unwrap().clone();
        if arr.is_empty() {
            break;
        }
        start += arr.len();
        for mut d in arr {
            let id = d["@metadata"]["@id"].as_str().unwrap().to_string();
            if id.starts_with("Raven/") {
                continue;
            }
            d.as_object_mut().unwrap().remove("@metadata");
            out.insert(id, d);
        }
    }
    out
}

/// Sends raw bytes as one request and reads the answer until the server
/// closes (for requests the helpers above cannot shape, like another Host).
pub fn request_raw(port: u16, raw: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse_response(&buf)
}

/// A request with an explicit `Host` header (and optional `Origin`).
pub fn request_host(
    port: u16,
    method: &str,
    path: &str,
    host: &str,
    origin: Option<&str>,
    body: Option<&str>,
) -> Resp {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(o) = origin {
        head.push_str(&format!("Origin: {o}\r\n"));
    }
    let body = body.unwrap_or("");
    head.push_str(&format!(
        "Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    request_raw(port, head.as_bytes())
}

/// Kills the process with SIGKILL and keeps its directory for a restart.
pub fn kill_keep(mut s: Server) -> PathBuf {
    s.kill();
    let dir = s.dir.clone();
    std::mem::forget(s);
    dir
}
