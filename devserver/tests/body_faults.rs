//! The faults that spoil an answer's body after it started, scoped to the
//! document stream the drill reads (docs/protocol/ravendb-3x.md §16.5):
//! `cutBodyAfterBytes` (the connection closed mid-body) and
//! `stallBodyAfterBytes` (nothing more sent, the connection held open).

mod common;
use common::*;
use serde_json::{json, Value};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const STREAM: &str = "/databases/Northwind/streams/docs";

fn get(port: u16, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
}

/// An answer read off a raw socket: its head, and its body as sent.
struct Raw {
    head: String,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<String> {
        self.head.split("\r\n").skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }

    /// A chunked body decoded: its bytes, and whether its last chunk
    /// (`0\r\n\r\n`) came.
    fn dechunked(&self) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let mut rest = &self.body[..];
        while let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = String::from_utf8_lossy(&rest[..p]).trim().to_string();
            let n = usize::from_str_radix(&size, 16).expect("a chunk size");
            if n == 0 {
                return (out, true);
            }
            let data = &rest[p + 2..];
            if data.len() < n {
                out.extend_from_slice(data);
                break;
            }
            out.extend_from_slice(&data[..n]);
            rest = &data[n..];
            rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        }
        (out, false)
    }
}

/// Connects, sends `raw` and reads the head.
fn open(port: u16, raw: &str) -> (TcpStream, Raw) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "connection closed before the headers");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let body = buf[end + 4..].to_vec();
            return (s, Raw { head, body });
        }
    }
}

/// Reads until the server closes the connection (30 s at most).
fn read_to_close(mut s: TcpStream, raw: &mut Raw) {
    s.read_to_end(&mut raw.body)
        .expect("the server closes the connection");
}

/// Reads until `quiet` passes without a byte; true when the connection is
/// still open then (nothing more came, nothing closed it).
fn read_until_quiet(s: &mut TcpStream, raw: &mut Raw, quiet: Duration) -> bool {
    s.set_read_timeout(Some(quiet)).unwrap();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => return false,
            Ok(n) => raw.body.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return true
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// The whole stream, as the server sends it without a fault.
fn whole_stream(s: &Server) -> Vec<u8> {
    let (sock, mut raw) = open(s.port, &get(s.port, STREAM));
    read_to_close(sock, &mut raw);
    let (body, complete) = raw.dechunked();
    assert!(complete);
    body
}

#[test]
fn cut_body_after_bytes_closes_the_connection_mid_stream() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    let whole = whole_stream(&s);
    assert!(whole.len() > 100_000, "{}", whole.len());
    // Past the first 64 KB chunk: the cut falls inside the second one.
    s.post(
        "/__devserver/faults",
        &json!({"method": "GET", "pathPrefix": STREAM, "cutBodyAfterBytes": 70_000}).to_string(),
    )
    .assert_json(200);
    let listed = s.get("/__devserver/faults").assert_json(200);
    assert_eq!(listed[0]["cutBodyAfterBytes"], 70_000, "{listed}");
    assert_eq!(listed[0]["stallBodyAfterBytes"], Value::Null, "{listed}");
    // Scoped to the stream: another route is not touched and leaves the
    // fault in place.
    s.get("/databases/Northwind/docs?start=0&pageSize=5")
        .assert_json(200);
    let (sock, mut raw) = open(s.port, &get(s.port, STREAM));
    assert!(raw.head.starts_with("HTTP/1.1 200"), "{}", raw.head);
    assert_eq!(raw.header("transfer-encoding").as_deref(), Some("chunked"));
    read_to_close(sock, &mut raw);
    let (body, complete) = raw.dechunked();
    assert!(!complete, "a cut stream has no last chunk");
    assert_eq!(body.len(), 70_000);
    assert_eq!(
        body[..],
        whole[..70_000],
        "the bytes before the cut are the stream's"
    );
    // Used up: the next stream is whole again.
    assert_eq!(whole_stream(&s), whole);
    assert_eq!(s.get("/__devserver/faults").assert_json(200), json!([]));

    // An answer with a length: the length of the whole, fewer bytes.
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build/version","cutBodyAfterBytes":10}"#,
    )
    .assert_json(200);
    let (sock, mut raw) = open(s.port, &get(s.port, "/build/version"));
    read_to_close(sock, &mut raw);
    let length: usize = raw.header("content-length").unwrap().parse().unwrap();
    assert!(length > 10, "{length}");
    assert_eq!(raw.body, br#"{"BuildVer"#);
    s.post("/__devserver/faults", r#"{"cutBodyAfterBytes":-1}"#)
        .assert_json(400);
    s.post("/__devserver/faults", r#"{"cutBodyAfterBytes":"1"}"#)
        .assert_json(400);
}

#[test]
fn stall_body_after_bytes_holds_the_connection_open_until_the_client_leaves() {
    // Two connections at most: a held connection that the server did not
    // let go of would leave room for one only.
    let s = Server::start(&[
        "--demo",
        "--enable-control",
        "--cors-origin",
        "*",
        "--max-connections",
        "2",
    ]);
    let whole = whole_stream(&s);
    s.post(
        "/__devserver/faults",
        &json!({"pathPrefix": STREAM, "stallBodyAfterBytes": 1000}).to_string(),
    )
    .assert_json(200);
    let listed = s.get("/__devserver/faults").assert_json(200);
    assert_eq!(listed[0]["stallBodyAfterBytes"], 1000, "{listed}");
    let (mut held, mut raw) = open(s.port, &get(s.port, STREAM));
    assert!(raw.head.starts_with("HTTP/1.1 200"), "{}", raw.head);
    let open_after_quiet = read_until_quiet(&mut held, &mut raw, Duration::from_millis(1500));
    assert!(open_after_quiet, "the connection stays open");
    let (body, complete) = raw.dechunked();
    assert!(!complete);
    assert_eq!(body[..], whole[..1000]);
    // The server answers others meanwhile.
    s.get("/build/version").assert_json(200);
    // Still nothing more.
    let before = raw.body.len();
    assert!(read_until_quiet(
        &mut held,
        &mut raw,
        Duration::from_millis(300)
    ));
    assert_eq!(raw.body.len(), before);
    // The client gives up: the server lets the connection go. One idle
    // connection plus one request fit in two only once it did.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let idle = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        let r = request(s.port, "GET", "/build/version", None, &[]);
        drop(idle);
        if r.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the held connection was not let go"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn stall_body_after_bytes_with_stall_body_ms_sends_the_rest_later() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    let whole = whole_stream(&s);
    s.post(
        "/__devserver/faults",
        &json!({"pathPrefix": STREAM, "stallBodyAfterBytes": 5000, "stallBodyMs": 1200})
            .to_string(),
    )
    .assert_json(200);
    let t = Instant::now();
    let (mut sock, mut raw) = open(s.port, &get(s.port, STREAM));
    assert!(read_until_quiet(
        &mut sock,
        &mut raw,
        Duration::from_millis(500)
    ));
    assert!(
        t.elapsed() < Duration::from_millis(1150),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(raw.dechunked().0[..], whole[..5000]);
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    read_to_close(sock, &mut raw);
    assert!(
        t.elapsed() >= Duration::from_millis(1150),
        "{:?}",
        t.elapsed()
    );
    let (body, complete) = raw.dechunked();
    assert!(complete);
    assert_eq!(body, whole);
    s.post("/__devserver/faults", r#"{"stallBodyAfterBytes":1.5}"#)
        .assert_json(400);
}
