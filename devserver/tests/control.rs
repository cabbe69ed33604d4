//! Test-only control endpoints: faults, outages, logs, received bodies, reset.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn control_disabled_is_404() {
    let s = Server::start(&["--demo"]);
    s.post("/__devserver/reset", "{}").assert_empty(404);
    s.get("/__devserver/requests").assert_empty(404);
}

#[test]
fn faults_status_body_count_delay_drop_and_clear() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    s.post("/__devserver/faults", r#"{"method":"GET","pathPrefix":"/operation/status","count":2,"status":500,"body":"{\"Error\":\"x\"}","contentType":"application/json; charset=utf-8"}"#).assert_json(200);
    for _ in 0..2 {
        let r = s.req_h(
            "GET",
            "/operation/status?id=1",
            None,
            &[("Origin", "http://localhost:1")],
        );
        assert_eq!(r.assert_json(500), json!({"Error":"x"}));
        assert_eq!(
            r.header("Access-Control-Allow-Origin"),
            Some("http://localhost:1")
        );
    }
    s.get("/operation/status?id=1").assert_empty(404);
    s.post("/__devserver/faults", r#"{"pathPrefix":"/databases","status":503,"body":"down","contentType":"text/plain; charset=utf-8"}"#);
    s.get("/DATABASES").assert_text(503, "down");
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build","status":502,"body":"","contentType":""}"#,
    );
    let r = s.get("/build/version");
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").is_none());
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build","drop":true}"#,
    );
    assert_eq!(
        s.get("/build/version").status,
        0,
        "dropped without a response"
    );
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build","delayMs":300}"#,
    );
    let t = Instant::now();
    s.get("/build/version").assert_json(200);
    assert!(t.elapsed() >= Duration::from_millis(280));
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build","count":50,"status":500}"#,
    );
    s.req("DELETE", "/__devserver/faults", None)
        .assert_json(200);
    s.get("/build/version").assert_json(200);
    s.post("/__devserver/faults", "{bad").assert_json(400);
    s.post("/__devserver/faults", r#"{"status":9999}"#)
        .assert_json(400);
    s.post("/__devserver/fail-next-operation", r#"{"kind":"nope"}"#)
        .assert_json(400);
}

#[test]
fn outage_drops_then_recovers_control_still_works() {
    let s = Server::start(&["--demo", "--enable-control"]);
    s.post("/__devserver/outage", r#"{"ms":400}"#)
        .assert_json(200);
    assert_eq!(s.get("/build/version").status, 0);
    s.get("/__devserver/requests").assert_json(200);
    std::thread::sleep(Duration::from_millis(450));
    s.get("/build/version").assert_json(200);
}

#[test]
fn requests_log_and_received_bodies() {
    let s = Server::start(&["--demo", "--enable-control"]);
    s.req("DELETE", "/__devserver/requests", None)
        .assert_json(200);
    s.get("/databases/Northwind/docs/companies/1?x=1");
    s.post(
        "/databases/Northwind/admin/backup?incremental=false",
        r#"{"BackupLocation":"r1","DatabaseDocument":null}"#,
    );
    let log = s.get("/__devserver/requests").assert_json(200);
    let arr = log.as_array().unwrap();
    assert_eq!(arr.len(), 2, "{log}");
    assert_eq!(arr[0]["method"], "GET");
    assert_eq!(arr[0]["path"], "/databases/Northwind/docs/companies/1");
    assert_eq!(arr[0]["query"], "x=1");
    assert_eq!(arr[0]["status"], 200);
    assert!(arr[0]["finishedMs"].as_u64() >= arr[0]["startedMs"].as_u64());
    assert!(arr[1]["seq"].as_u64() > arr[0]["seq"].as_u64());
    assert!(arr[0].get("body").is_none());
    let rec = s
        .get("/__devserver/received?pathPrefix=/databases/Northwind/admin/backup")
        .assert_json(200);
    assert_eq!(
        rec,
        json!([{"BackupLocation":"r1","DatabaseDocument":null}])
    );
    assert_eq!(
        s.get("/__devserver/received?pathPrefix=/admin/restore")
            .assert_json(200),
        json!([])
    );
}

#[test]
fn reset_restores_demo_set() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    s.put("/admin/databases/Extra", "{}").assert_json(201);
    s.req("DELETE", "/databases/Northwind/docs/companies/1", None)
        .assert_empty(204);
    s.put("/databases/Northwind/docs/new/1", "{}")
        .assert_json(201);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"x"}"#,
    );
    s.wait_backup("/databases/Northwind");
    // Control routes answer CORS pre-flights.
    let r = s.req_h(
        "OPTIONS",
        "/__devserver/reset",
        None,
        &[
            ("Origin", "http://localhost:7"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Access-Control-Allow-Headers"),
        Some("content-type")
    );
    s.post("/__devserver/reset", r#"{"backups":true}"#)
        .assert_json(200);
    assert_eq!(s.get("/__devserver/requests").assert_json(200), json!([]));
    assert_eq!(
        s.get("/databases").assert_json(200),
        json!(["Northwind", "Orders2019", "Payroll"])
    );
    s.get("/databases/Northwind/docs/companies/1")
        .assert_json(200);
    s.get("/databases/Northwind/docs/new/1").assert_empty(404);
    s.get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_empty(404);
    assert_eq!(user_docs(&s, "Northwind").len(), 300);
    assert!(!s.backups().join("x").exists());
}

/// Sends one request over a raw socket; returns the response, how long the
/// status line + headers took, and how many body bytes had arrived with them.
fn timed_request(port: u16, raw: &str) -> (Resp, Duration, usize) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let t = Instant::now();
    s.write_all(raw.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_at, body_with_head) = loop {
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "connection closed before the headers");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break (t.elapsed(), buf.len() - end - 4);
        }
    };
    let _ = s.read_to_end(&mut buf);
    (parse_response(&buf), head_at, body_with_head)
}

#[test]
fn fault_stall_body_sends_headers_then_holds_the_body() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    let get = |path: &str| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: http://localhost:9\r\nConnection: close\r\n\r\n",
            s.port
        )
    };
    // A normally handled request: the real answer, its body late.
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/build/version","stallBodyMs":1500}"#,
    )
    .assert_json(200);
    let faults = s.get("/__devserver/faults").assert_json(200);
    assert_eq!(faults[0]["stallBodyMs"], 1500, "{faults}");
    let t = Instant::now();
    let (r, head_at, early) = timed_request(s.port, &get("/build/version"));
    assert!(
        t.elapsed() >= Duration::from_millis(1450),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(early, 0, "no body byte may come with the headers");
    assert!(
        head_at < Duration::from_millis(1400),
        "headers at {head_at:?}"
    );
    assert_eq!(r.assert_json(200)["BuildVersion"], "35288");
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:9")
    );
    // An injected answer, stalled too.
    s.post(
        "/__devserver/faults",
        r#"{"pathPrefix":"/databases","status":200,"body":"[\"Late\"]","contentType":"application/json; charset=utf-8","stallBodyMs":1500}"#,
    )
    .assert_json(200);
    let t = Instant::now();
    let (r, head_at, early) = timed_request(s.port, &get("/databases"));
    assert!(t.elapsed() >= Duration::from_millis(1450));
    assert_eq!(early, 0);
    assert!(
        head_at < Duration::from_millis(1400),
        "headers at {head_at:?}"
    );
    assert_eq!(r.assert_json(200), json!(["Late"]));
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:9")
    );
    // Used up: the next request is answered at once.
    let (r, _, early) = timed_request(s.port, &get("/build/version"));
    assert!(early > 0);
    r.assert_json(200);
    s.post("/__devserver/faults", r#"{"stallBodyMs":-1}"#)
        .assert_json(400);
}

#[test]
fn fault_after_handling_replaces_the_answer_of_a_request_that_took_effect() {
    let s = Server::start(&["--demo", "--enable-control", "--cors-origin", "*"]);
    let html = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
    let fault = json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup",
        "afterHandling": true, "status": 504, "body": html, "contentType": "text/html"});
    s.post("/__devserver/faults", &fault.to_string())
        .assert_json(200);
    let r = s.req_h(
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"lost-answer"}"#),
        &[("Origin", "http://localhost:9")],
    );
    assert_eq!(r.status, 504);
    assert_eq!(r.content_type(), "text/html");
    assert_eq!(r.text(), html);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:9")
    );
    // The backup really ran.
    let st = s.wait_backup("/databases/Northwind");
    assert_eq!(st["Success"], true, "{st}");
    assert!(s.backups().join("lost-answer/Database.Document").is_file());
    let ops = s.get("/operations").assert_json(200);
    assert_eq!(ops.as_array().map(Vec::len), Some(1), "{ops}");

    // Dropped after handling: no answer, but the write happened.
    s.post(
        "/__devserver/faults",
        r#"{"method":"PUT","pathPrefix":"/databases/Northwind/docs/","afterHandling":true,"drop":true}"#,
    )
    .assert_json(200);
    let r = s.put("/databases/Northwind/docs/lost/1", r#"{"Lost":true}"#);
    assert_eq!(r.status, 0, "dropped without an answer");
    assert_eq!(
        s.get("/databases/Northwind/docs/lost/1").assert_json(200),
        json!({"Lost": true})
    );
    // Without afterHandling the same fault prevents the write.
    s.post(
        "/__devserver/faults",
        r#"{"method":"PUT","pathPrefix":"/databases/Northwind/docs/","drop":true}"#,
    )
    .assert_json(200);
    assert_eq!(s.put("/databases/Northwind/docs/lost/2", "{}").status, 0);
    s.get("/databases/Northwind/docs/lost/2").assert_empty(404);
    s.post("/__devserver/faults", r#"{"afterHandling":"yes"}"#)
        .assert_json(400);
}
