//! Issue 13's soak test (bounded, loopback only). Clients in parallel back
//! up, restore, delete, re-create and write the demo databases while the
//! devserver is killed with SIGKILL and restarted twice. Then:
//! * every database acknowledged as written has exactly its documents;
//! * every backup folder restores to the database it claims to be;
//! * nothing exists outside the roots;
//! * no operation is left Running.
//!
//! Run with `--nocapture` to see the operation counts.

mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A phase lasts at least this long, and until every client made progress.
const PHASE: Duration = Duration::from_millis(1500);
/// What every phase must see happen (counted since the phase began).
const PROGRESS: [(&str, u64); 4] = [
    ("writes acknowledged", 20),
    ("backups succeeded", 2),
    ("re-creations by restore", 1),
    ("hostile requests refused", 2),
];
const DEMO_DBS: [&str; 3] = ["Northwind", "Payroll", "Orders2019"];

#[derive(Default)]
struct Shared {
    port: AtomicU16,
    stop: AtomicBool,
    counts: Mutex<BTreeMap<&'static str, u64>>,
    /// Northwind writes: acknowledged (201), and every body ever sent.
    acked: Mutex<BTreeMap<String, Value>>,
    sent: Mutex<BTreeMap<String, Value>>,
    /// Folders whose backup was acknowledged (202) at least once.
    started_folders: Mutex<BTreeSet<String>>,
    problems: Mutex<Vec<String>>,
}

impl Shared {
    fn count(&self, what: &'static str) {
        *self.counts.lock().unwrap().entry(what).or_default() += 1;
    }
    fn problem(&self, p: String) {
        self.problems.lock().unwrap().push(p);
    }
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
    /// One request to the current server; None when it is down (killed,
    /// restarting) or dropped the connection.
    fn call(&self, method: &str, path: &str, body: Option<&str>) -> Option<Resp> {
        let port = self.port.load(Ordering::SeqCst);
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
        let body = body.unwrap_or("");
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(raw.as_bytes()).ok()?;
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let r = parse_response(&buf);
        (r.status != 0).then_some(r)
    }
    /// Polls `path` until `done` holds; None when the server went away or
    /// 20 s passed.
    fn wait(&self, path: &str, done: impl Fn(&Resp) -> bool) -> Option<Resp> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let r = self.call("GET", path, None)?;
            if done(&r) {
                return Some(r);
            }
            std::thread::sleep(Duration::from_millis(15));
        }
        None
    }
    /// Waits until the server answers again (after a restart).
    fn wait_up(&self) {
        while !self.stopping() && self.call("GET", "/build/version", None).is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn json_of(r: &Resp) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

fn demo_docs(s: &Server, db: &str) -> BTreeMap<String, Value> {
    user_docs(s, db)
}

// ------------------------------------------------------------ clients

/// Writes new documents into Northwind, one id each, remembering what was
/// acknowledged and what was sent.
fn writer(sh: Arc<Shared>, k: usize) {
    let mut i = 0;
    while !sh.stopping() {
        let id = format!("soak/w{k}/{i}");
        let body = json!({"Writer": k, "Seq": i, "Pad": "x".repeat(64)});
        sh.sent.lock().unwrap().insert(id.clone(), body.clone());
        match sh.call(
            "PUT",
            &format!("/databases/Northwind/docs/{id}"),
            Some(&body.to_string()),
        ) {
            Some(r) if r.status == 201 => {
                sh.acked.lock().unwrap().insert(id, body);
                sh.count("writes acknowledged");
            }
            Some(r) => sh.problem(format!("write {id}: {} {}", r.status, r.text())),
            None => {
                sh.count("writes lost to a kill");
                sh.wait_up();
            }
        }
        i += 1;
    }
}

/// Backs the demo databases up into fresh folders, an incremental series,
/// and now and then a folder the other backup client uses too.
fn backer(sh: Arc<Shared>, k: usize) {
    let mut n = 0;
    while !sh.stopping() {
        n += 1;
        let db = DEMO_DBS[(n + k) % 3];
        let (folder, incremental) = if n % 5 == 0 {
            (format!("shared-{}", n / 5), false)
        } else if db == "Northwind" && n % 2 == 0 {
            (format!("inc-{k}"), true)
        } else {
            (format!("f{k}-{n}"), false)
        };
        let body = json!({ "BackupLocation": folder }).to_string();
        let path = format!("/databases/{db}/admin/backup?incremental={incremental}");
        match sh.call("POST", &path, Some(&body)) {
            Some(r) if r.status == 202 => {
                sh.count("backups started");
                sh.started_folders.lock().unwrap().insert(folder);
                let status = format!("/databases/{db}/docs/Raven/Backup/Status");
                match sh.wait(&status, |r| {
                    r.status != 200 || json_of(r)["IsRunning"] == false
                }) {
                    Some(r) if r.status == 200 && json_of(&r)["Success"] == true => {
                        sh.count("backups succeeded")
                    }
                    Some(_) => sh.count("backups failed (folder in use, database deleted, ...)"),
                    None => sh.count("backups lost to a kill"),
                }
            }
            Some(r) if r.status == 500 && r.text().contains("Backup is already running") => {
                sh.count("backups refused: already running")
            }
            Some(r) if r.status == 503 => sh.count("backups refused: database being re-created"),
            Some(r) => sh.problem(format!(
                "backup {db} -> {folder}: {} {}",
                r.status,
                r.text()
            )),
            None => sh.wait_up(),
        }
        // Paced: every folder is restored and checked at the end.
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Starts a restore and follows it; Some(true) completed, Some(false)
/// faulted or refused, None lost (server killed).
fn restore(sh: &Shared, folder: &str, name: &str) -> Option<bool> {
    let body = json!({"BackupLocation": folder, "DatabaseName": name, "RestoreStartTimeout": 30});
    let r = sh.call("POST", "/admin/restore", Some(&body.to_string()))?;
    if r.status != 202 {
        return Some(false);
    }
    let id = json_of(&r)["OperationId"].as_u64().unwrap_or(0);
    let op = sh.wait(&format!("/operation/status?id={id}"), |r| {
        r.status != 200 || json_of(r)["Completed"] == true
    })?;
    Some(op.status == 200 && json_of(&op)["Faulted"] == false)
}

/// Deletes and re-creates Payroll (restored from its first backup) and
/// Orders2019 (created empty, its documents written back), over and over;
/// ends with both back.
fn churner(sh: Arc<Shared>, orders: Vec<(String, Value)>) {
    let mut round = 0;
    loop {
        let last = sh.stopping();
        let mut attempts = 0;
        let mut attempt = |what: &str| {
            attempts += 1;
            if attempts > 200 {
                sh.problem(format!("cannot re-create {what}"));
                return false;
            }
            true
        };
        // Payroll: delete, restore.
        while attempt("Payroll") {
            sh.call("DELETE", "/admin/databases/Payroll?hard-delete=true", None);
            match restore(&sh, "base-Payroll", "Payroll") {
                Some(true) => {
                    sh.count("re-creations by restore");
                    break;
                }
                Some(false)
                    if sh
                        .call("GET", "/admin/databases/Payroll", None)
                        .is_some_and(|r| r.status == 200) =>
                {
                    break
                }
                Some(false) => sh.count("restores refused or faulted (retried)"),
                None => sh.wait_up(),
            }
        }
        // Orders2019: delete, PUT, write its documents back.
        while attempt("Orders2019") {
            sh.call(
                "DELETE",
                "/admin/databases/Orders2019?hard-delete=true",
                None,
            );
            let settings = json!({"Settings": {"Raven/ActiveBundles": "", "Raven/StorageTypeName": "voron", "Raven/DataDir": "~/Orders2019"}});
            let ok = sh
                .call(
                    "PUT",
                    "/admin/databases/Orders2019",
                    Some(&settings.to_string()),
                )
                .is_some_and(|r| r.status == 201)
                && orders.iter().all(|(id, doc)| {
                    sh.call(
                        "PUT",
                        &format!("/databases/Orders2019/docs/{id}"),
                        Some(&doc.to_string()),
                    )
                    .is_some_and(|r| r.status == 201)
                });
            if ok {
                sh.count("re-creations by PUT");
                break;
            }
            sh.wait_up();
        }
        sh.count("deletions");
        sh.count("deletions");
        round += 1;
        if last || round > 1000 {
            return;
        }
    }
}

/// Restores finished backup folders into fresh names, checks them against
/// what they claim, and deletes them again.
fn restorer(sh: Arc<Shared>, backups: std::path::PathBuf, oracle: Arc<Oracle>) {
    let mut n = 0;
    let mut done = BTreeSet::new();
    while !sh.stopping() {
        let folders = complete_folders(&backups);
        let Some(folder) = folders.into_iter().find(|f| !done.contains(f)) else {
            std::thread::sleep(Duration::from_millis(30));
            continue;
        };
        done.insert(folder.clone());
        n += 1;
        let name = format!("Mid{n}");
        match restore(&sh, &folder, &name) {
            Some(true) => {
                sh.count("restores during the run");
                if let Some(problem) = oracle.check_restored(&sh, &backups.join(&folder), &name) {
                    sh.problem(problem);
                }
                sh.call(
                    "DELETE",
                    &format!("/admin/databases/{name}?hard-delete=true"),
                    None,
                );
                sh.count("deletions");
            }
            Some(false) => sh.count("restores refused or faulted"),
            None => sh.wait_up(),
        }
    }
}

/// Asks for what must be refused: locations outside the root, through a
/// link, with a disguised name.
fn hostile(sh: Arc<Shared>) {
    let mut n = 0;
    while !sh.stopping() {
        n += 1;
        let loc = match n % 3 {
            0 => format!("../outside/b{n}"),
            1 => format!("escape/b{n}"),
            _ => format!("evil\u{202E}{n}"),
        };
        let body = json!({ "BackupLocation": loc }).to_string();
        match sh.call("POST", "/databases/Northwind/admin/backup", Some(&body)) {
            Some(r)
                if r.status == 500
                    && (r.text().contains("Access to the path")
                        || r.text().contains("Illegal characters in path")) =>
            {
                sh.count("hostile requests refused")
            }
            Some(r) if r.status == 500 && r.text().contains("Backup is already running") => {}
            Some(r) => sh.problem(format!(
                "hostile backup to {loc:?} answered {} {}",
                r.status,
                r.text()
            )),
            None => sh.wait_up(),
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

// ------------------------------------------------------------ the oracle

/// What each database may hold.
struct Oracle {
    demo: BTreeMap<String, BTreeMap<String, Value>>,
    shared: Arc<Shared>,
}

impl Oracle {
    /// Problems with a restored copy of `folder` (named `name`).
    fn check_restored(&self, sh: &Shared, folder: &Path, name: &str) -> Option<String> {
        let Some(claims) = claimed(folder) else {
            return Some(format!("{}: claims no database", folder.display()));
        };
        // None: the server went away meanwhile (killed), nothing to check.
        let docs = docs_over(sh, name)?;
        let Some(demo) = self.demo.get(&claims) else {
            return Some(format!(
                "{}: claims {claims}, not a demo database",
                folder.display()
            ));
        };
        let fail = |why: &str| Some(format!("{}: claims {claims}: {why}", folder.display()));
        match claims.as_str() {
            // Never deleted; written by the writers.
            "Northwind" => {
                if !demo.iter().all(|(k, v)| docs.get(k) == Some(v)) {
                    return fail("demo documents missing or changed");
                }
                let sent = self.shared.sent.lock().unwrap();
                let stray = docs
                    .iter()
                    .find(|(k, v)| !demo.contains_key(*k) && sent.get(*k) != Some(*v));
                if let Some((k, _)) = stray {
                    return fail(&format!("{k} was never written"));
                }
            }
            // Always restored from its first backup.
            "Payroll" => {
                if &docs != demo {
                    return fail("not the demo documents");
                }
            }
            // Re-created empty, then its documents written back one by one.
            _ => {
                if !docs.iter().all(|(k, v)| demo.get(k) == Some(v)) {
                    return fail("documents that are not the demo ones");
                }
            }
        }
        None
    }
}

/// The database a backup folder claims to be: its Database.Document's Id,
/// which must agree with the data file's ResourceName.
fn claimed(folder: &Path) -> Option<String> {
    let read = |p: &Path| -> Option<Value> { serde_json::from_slice(&std::fs::read(p).ok()?).ok() };
    let mut incs: Vec<_> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("Inc "))
        })
        .collect();
    incs.sort();
    let doc_dir = incs
        .iter()
        .rev()
        .find(|d| d.join("Database.Document").is_file())
        .cloned()
        .unwrap_or_else(|| folder.to_path_buf());
    let id = read(&doc_dir.join("Database.Document"))?["Id"]
        .as_str()?
        .to_string();
    let data = read(&doc_dir.join("RavenDB.Voron.Backup"))
        .or_else(|| read(&folder.join("RavenDB.Voron.Backup")))?;
    assert_eq!(
        data["ResourceName"],
        id.as_str(),
        "{}: data of one database, document of another",
        folder.display()
    );
    Some(id)
}

/// Folders with a Database.Document and no failure marker.
fn complete_folders(backups: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(backups)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| {
                    claimed(&e.path()).is_some() && !e.path().join("Backup.Failure").exists()
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The user documents of a database (None when the server went away).
fn docs_over(sh: &Shared, db: &str) -> Option<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    let mut start = 0;
    loop {
        let r = sh.call(
            "GET",
            &format!("/databases/{db}/docs?start={start}&pageSize=1024"),
            None,
        )?;
        let Value::Array(arr) = json_of(&r) else {
            return None;
        };
        if arr.is_empty() {
            return Some(out);
        }
        start += arr.len();
        for mut d in arr {
            let id = d["@metadata"]["@id"].as_str().unwrap_or("").to_string();
            if id.starts_with("Raven/") {
                continue;
            }
            if let Some(o) = d.as_object_mut() {
                o.remove("@metadata");
            }
            out.insert(id, d);
        }
    }
}

/// Every path under `dir` that is a symbolic link.
fn links_under(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let t = e.file_type().unwrap();
        if t.is_symlink() {
            out.push(e.path().display().to_string());
        } else if t.is_dir() {
            links_under(&e.path(), out);
        }
    }
}

// ------------------------------------------------------------ the test

#[cfg(unix)]
#[test]
fn soak_parallel_clients_two_kill_9_restarts_then_four_invariants() {
    let t0 = Instant::now();
    let dir = temp_dir("soak");
    let args = ["--demo", "--op-step-ms", "10"];
    let s = Server::start_in(&dir, &args);
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, s.backups().join("escape")).unwrap();
    let demo: BTreeMap<String, BTreeMap<String, Value>> = DEMO_DBS
        .iter()
        .map(|db| (db.to_string(), demo_docs(&s, db)))
        .collect();
    assert_eq!(demo["Northwind"].len(), 300);
    // Payroll's first backup: what its re-creations restore.
    s.post(
        "/databases/Payroll/admin/backup",
        r#"{"BackupLocation":"base-Payroll"}"#,
    )
    .assert_json(202);
    assert_eq!(s.wait_backup("/databases/Payroll")["Success"], true);

    let sh = Arc::new(Shared::default());
    sh.port.store(s.port, Ordering::SeqCst);
    let oracle = Arc::new(Oracle {
        demo: demo.clone(),
        shared: sh.clone(),
    });
    let orders: Vec<(String, Value)> = demo["Orders2019"].clone().into_iter().collect();
    let mut clients = Vec::new();
    for k in 0..2 {
        let sh = sh.clone();
        clients.push(std::thread::spawn(move || writer(sh, k)));
    }
    for k in 0..2 {
        let sh = sh.clone();
        clients.push(std::thread::spawn(move || backer(sh, k)));
    }
    {
        let (sh, backups, oracle) = (sh.clone(), s.backups(), oracle.clone());
        clients.push(std::thread::spawn(move || restorer(sh, backups, oracle)));
    }
    {
        let sh = sh.clone();
        clients.push(std::thread::spawn(move || churner(sh, orders)));
    }
    {
        let sh = sh.clone();
        clients.push(std::thread::spawn(move || hostile(sh)));
    }

    // Two kill -9 and restarts in the middle of it all. A phase ends when
    // it lasted PHASE and every client made progress (a condition, not a
    // time: a busy disk slows everything down).
    let phase = |sh: &Shared| {
        let start = Instant::now();
        let before = sh.counts.lock().unwrap().clone();
        let progressed = || {
            let now = sh.counts.lock().unwrap();
            PROGRESS.iter().all(|(what, n)| {
                now.get(what).copied().unwrap_or(0) >= before.get(what).copied().unwrap_or(0) + n
            })
        };
        while start.elapsed() < PHASE || !progressed() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no progress: {:?}",
                sh.counts.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let mut s = s;
    for _ in 0..2 {
        phase(&sh);
        let dir = kill_keep(s);
        sh.count("kill -9 and restart");
        s = Server::start_in(&dir, &args);
        sh.port.store(s.port, Ordering::SeqCst);
    }
    phase(&sh);
    sh.stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let run_time = t0.elapsed();

    // Quiet: no operation running any more.
    let no_running = |s: &Server| -> Vec<String> {
        let mut running = Vec::new();
        for db in s.get("/databases").assert_json(200).as_array().unwrap() {
            let db = db.as_str().unwrap();
            let r = s.get(&format!("/databases/{db}/docs/Raven/Backup/Status"));
            if r.status == 200 && r.json()["IsRunning"] == true {
                running.push(format!("backup of {db}"));
            }
        }
        let r = s.get("/docs/Raven/Restore/Status");
        if r.status == 200 && r.json()["State"] == "Running" {
            running.push("restore".into());
        }
        for op in s.get("/operations").assert_json(200).as_array().unwrap() {
            if op["Completed"] != true {
                running.push(format!("operation {}", op["Id"]));
            }
        }
        running
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    while !no_running(&s).is_empty() {
        assert!(
            Instant::now() < deadline,
            "still running: {:?}",
            no_running(&s)
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let problems = sh.problems.lock().unwrap().clone();
    assert!(problems.is_empty(), "{problems:#?}");

    // 1. Every database acknowledged as written has exactly its documents.
    let acked = sh.acked.lock().unwrap().clone();
    let sent = sh.sent.lock().unwrap().clone();
    let northwind = user_docs(&s, "Northwind");
    for (id, body) in demo["Northwind"].iter().chain(acked.iter()) {
        assert_eq!(northwind.get(id), Some(body), "Northwind lost {id}");
    }
    for (id, body) in &northwind {
        let expected = demo["Northwind"].get(id).or_else(|| sent.get(id));
        assert_eq!(
            expected,
            Some(body),
            "Northwind holds {id}, never written so"
        );
    }
    let in_flight = northwind.len() - 300 - acked.len();
    // A restore copy whose answer a kill swallowed may remain; it goes.
    for db in s.get("/databases").json().as_array().unwrap() {
        let db = db.as_str().unwrap();
        if db.starts_with("Mid") {
            s.req(
                "DELETE",
                &format!("/admin/databases/{db}?hard-delete=true"),
                None,
            )
            .assert_empty(200);
            sh.count("restore copies left by a kill, deleted");
        }
    }
    assert_eq!(user_docs(&s, "Payroll"), demo["Payroll"]);
    assert_eq!(user_docs(&s, "Orders2019"), demo["Orders2019"]);
    let mut databases: Vec<String> = s
        .get("/databases")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    databases.sort();
    assert_eq!(
        databases,
        ["Northwind", "Orders2019", "Payroll"],
        "a restore copy was left behind"
    );

    // 2. Every backup folder restores to the database it claims to be; a
    //    folder that is not a complete backup never becomes a database.
    let started = sh.started_folders.lock().unwrap().clone();
    let folders: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(s.backups())
            .unwrap()
            .flatten()
            .filter(|e| e.file_type().unwrap().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let complete = complete_folders(&s.backups());
    let (mut verified, mut refused) = (0, 0);
    for (n, folder) in folders.iter().enumerate() {
        let name = format!("Check{n}");
        let outcome = restore(&sh, folder, &name).expect("server up");
        if complete.contains(folder) {
            assert!(outcome, "{folder} is a complete backup but did not restore");
            if let Some(p) = oracle.check_restored(&sh, &s.backups().join(folder), &name) {
                panic!("{p}");
            }
            verified += 1;
        } else {
            assert!(!outcome, "{folder} is not a complete backup but restored");
            assert_eq!(s.get(&format!("/admin/databases/{name}")).status, 404);
            refused += 1;
        }
    }
    assert!(complete
        .iter()
        .all(|f| started.contains(f) || f == "base-Payroll"));

    // 3. Nothing outside the roots.
    let mut top: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["backups", "data", "outside"]);
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "written outside"
    );
    let mut links = Vec::new();
    links_under(&dir.join("backups"), &mut links);
    links_under(&dir.join("data"), &mut links);
    assert_eq!(links, [s.backups().join("escape").display().to_string()]);

    // 4. No operation left Running (after every verification restore too).
    assert_eq!(no_running(&s), Vec::<String>::new());

    let counts = sh.counts.lock().unwrap().clone();
    eprintln!(
        "soak: {:.1} s of clients, {:.1} s in all",
        run_time.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    for (what, n) in &counts {
        eprintln!("soak: {n:6}  {what}");
    }
    eprintln!("soak: {in_flight:6}  Northwind writes applied though their answer was lost");
    eprintln!(
        "soak: {:6}  backup folders restored and checked against the database they claim",
        verified
    );
    eprintln!(
        "soak: {:6}  incomplete backup folders refused as restores",
        refused
    );
    assert!(counts.get("kill -9 and restart") == Some(&2));
    assert!(counts.get("writes acknowledged").copied().unwrap_or(0) > 20);
    assert!(counts.get("backups succeeded").copied().unwrap_or(0) > 5);
    assert!(counts.get("re-creations by restore").copied().unwrap_or(0) > 1);
    assert!(counts.get("hostile requests refused").copied().unwrap_or(0) > 5);
    assert!(
        t0.elapsed() < Duration::from_secs(60),
        "the soak took {:?}",
        t0.elapsed()
    );
}
