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
