//! Durability: kill -9 the real process during a stream of writes, restart on
//! the same data dir, and check every acknowledged write survived.

mod common;
use common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[test]
fn kill_9_during_writes_loses_nothing_acknowledged() {
    let dir = temp_dir("durable");
    let mut s = Server::start_in(&dir, &["--demo"]);
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let (acked, stop, port) = (acked.clone(), stop.clone(), s.port);
        writers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < 2000 {
                let id = format!("w{w}/{}", i % 50); // overwrites too
                let body = format!(r#"{{"Writer":{w},"Seq":{i},"Pad":"{}"}}"#, "p".repeat(200));
                let r = std::panic::catch_unwind(|| {
                    request(
                        port,
                        "PUT",
                        &format!("/databases/Northwind/docs/{id}"),
                        Some(body.as_bytes()),
                        &[],
                    )
                });
                match r {
                    Ok(resp) if resp.status == 201 => acked.lock().unwrap().push((id, body)),
                    _ => break,
                }
                i += 1;
            }
        }));
    }
    // Kill once enough writes were acknowledged (a condition, not a time:
    // fsyncs are slow when the disk is busy).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acked.lock().unwrap().len() <= 40 {
        assert!(std::time::Instant::now() < deadline, "writes too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    s.kill(); // SIGKILL
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        let _ = w.join();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "too few writes acknowledged: {}",
        acked.len()
    );
    // Last acknowledged version of each id.
    let mut last = std::collections::BTreeMap::new();
    for (id, body) in &acked {
        last.insert(id.clone(), body.clone());
    }
    std::mem::forget(s); // keep the directory; the process is already dead
    let s2 = Server::start_in(&dir, &["--demo"]);
    for (id, body) in &last {
        let got = s2
            .get(&format!("/databases/Northwind/docs/{id}"))
            .assert_json(200);
        let want: serde_json::Value = serde_json::from_str(body).unwrap();
        // A write may have completed after its ack was lost; it must then be newer.
        assert!(
            got["Seq"].as_u64() >= want["Seq"].as_u64(),
            "{id}: {got} older than acknowledged {want}"
        );
        assert_eq!(got["Writer"], want["Writer"]);
    }
    // No temp file or unreadable document is visible after restart.
    let docs = s2.data().join("databases/Northwind/docs");
    for e in std::fs::read_dir(&docs).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".tmp-"), "temp file left: {name}");
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        assert!(v["Key"].is_string());
    }
    assert_eq!(
        s2.get("/databases").assert_json(200),
        serde_json::json!(["Northwind", "Orders2019", "Payroll"])
    );
}

#[test]
fn kill_9_during_backup_and_restore_then_startup_tasks() {
    let dir = temp_dir("durable2");
    let mut s = Server::start_in(&dir, &["--demo", "--op-step-ms", "400"]);
    s.post(
        "/databases/Orders2019/admin/backup",
        r#"{"BackupLocation":"o"}"#,
    )
    .assert_json(202);
    s.wait_backup("/databases/Orders2019");
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"n"}"#,
    )
    .assert_json(202);
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"o","DatabaseName":"Half"}"#,
    )
    .assert_json(202);
    s.get("/docs/Raven/Restore/InProgress").assert_json(200);
    s.kill();
    std::mem::forget(s);
    let s2 = Server::start_in(&dir, &["--demo"]);
    s2.get("/docs/Raven/Restore/InProgress").assert_empty(404);
    s2.get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_empty(404);
    let done = s2
        .get("/databases/Orders2019/docs/Raven/Backup/Status")
        .assert_json(200);
    assert_eq!(done["IsRunning"], false);
    s2.get("/operation/status?id=1").assert_empty(404);
    assert!(!s2
        .get("/databases")
        .json()
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("Half")));
}
