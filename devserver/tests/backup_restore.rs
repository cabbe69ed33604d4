//! Backup / restore protocol, real files and error paths, in both protocol modes.

mod common;
use common::*;
use serde_json::{json, Value};

fn last_msg(status: &Value) -> Value {
    status["Messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone()
}

#[test]
fn backup_responses_3_0_vs_3_5_and_layout() {
    let s0 = Server::start(&["--demo", "--protocol", "3.0"]);
    s0.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"nw","DatabaseDocument":null}"#,
    )
    .assert_empty(201);
    let st = s0.wait_backup("/databases/Northwind");
    assert!(st.get("Success").is_none(), "3.0 has no Success");
    assert!(st["Completed"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        st["Completed"]
            .as_str()
            .unwrap()
            .split('.')
            .nth(1)
            .unwrap()
            .len(),
        8
    ); // 7 digits + Z
    assert!(st["Messages"][0]["Message"]
        .as_str()
        .unwrap()
        .starts_with("Started backup process. Backing up data to directory = '"));
    assert_eq!(st["Messages"][0]["Severity"], "Informational");
    let texts: Vec<&str> = st["Messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Message"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Backing up indexes.."));
    assert!(texts.contains(&"Finished indexes backup. Executing data backup.."));
    let b = s0.backups().join("nw");
    for f in [
        "RavenDB.Voron.Backup",
        "Database.Document",
        "Indexes",
        "IndexDefinitions",
    ] {
        assert!(b.join(f).exists(), "{f} missing");
    }
    let dd: Value =
        serde_json::from_slice(&std::fs::read(b.join("Database.Document")).unwrap()).unwrap();
    assert_eq!(dd["Id"], "Northwind");
    assert_eq!(dd["Settings"]["Raven/StorageTypeName"], "voron");
    assert!(
        std::fs::read_to_string(b.join("Database.Document"))
            .unwrap()
            .contains("\n  "),
        "indented"
    );

    let s5 = Server::start(&["--demo", "--protocol", "3.5"]);
    let v = s5
        .post(
            "/databases/Northwind/admin/backup?incremental=false",
            r#"{"BackupLocation":"nw"}"#,
        )
        .assert_json(202);
    let id = v["OperationId"].as_u64().unwrap();
    let op = s5.wait_op(id);
    assert_eq!(
        op,
        json!({"Completed":true,"Faulted":false,"Canceled":false,"State":{"Progress":null},"Exception":null})
    );
    let st = s5.wait_backup("/databases/Northwind");
    assert_eq!(st["Success"], true);
    let ops = s5.get("/operations").assert_json(200);
    assert_eq!(ops[0]["TaskType"], "BackupDatabase");
    assert_eq!(ops[0]["Description"], "Backup to: nw");
    // Backups register in the SYSTEM list, not the tenant's.
    s5.get(&format!("/databases/Northwind/operation/status?id={id}"))
        .assert_empty(404);
}

#[test]
fn system_database_backup_and_plaintext_secrets_in_backup() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    s.post("/admin/backup", r#"{"BackupLocation":"sys"}"#)
        .assert_json(202);
    let st = s.wait_backup("");
    assert_eq!(st["Success"], true);
    let dd: Value =
        serde_json::from_slice(&std::fs::read(s.backups().join("sys/Database.Document")).unwrap())
            .unwrap();
    assert_eq!(dd["Id"], "<system>");
    s.post(
        "/databases/Payroll/admin/backup",
        r#"{"BackupLocation":"payroll"}"#,
    )
    .assert_json(202);
    s.wait_backup("/databases/Payroll");
    let text = std::fs::read_to_string(s.backups().join("payroll/Database.Document")).unwrap();
    assert!(
        text.contains(common_key()),
        "the real server writes secured settings in plain text"
    );
}

fn common_key() -> &'static str {
    "3w17MIVIBLSWZpzH0YarqRlR2+yHiSBCXT6rKCC6UTk="
}

#[test]
fn backup_already_running_is_500() {
    let s = Server::start(&["--demo", "--op-step-ms", "200"]);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"a"}"#,
    )
    .assert_json(202);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"b"}"#,
    )
    .assert_net_error(
        500,
        "System.InvalidOperationException: Backup is already running",
    );
    // Another database may back up concurrently.
    s.post(
        "/databases/Payroll/admin/backup",
        r#"{"BackupLocation":"c"}"#,
    )
    .assert_json(202);
}

#[test]
fn incremental_refused_without_voron_setting() {
    for proto in ["3.0", "3.5"] {
        let s = Server::start(&["--demo", "--protocol", proto]);
        let v = s.post("/databases/Orders2019/admin/backup?incremental=TRUE", r#"{"BackupLocation":"o"}"#)
            .assert_net_error(500, "System.InvalidOperationException: In order to run incremental backups using Voron you must have the appropriate setting key (Raven/Voron/AllowIncrementalBackups) set to true");
        assert_eq!(
            v["Url"],
            "/databases/Orders2019/admin/backup?incremental=TRUE"
        );
        // Unparsable incremental => false => allowed.
        s.post(
            "/databases/Orders2019/admin/backup?incremental=maybe",
            r#"{"BackupLocation":"o"}"#,
        );
        s.wait_backup("/databases/Orders2019");
    }
}

#[test]
fn full_backup_into_existing_folder_fails_in_status() {
    for proto in ["3.0", "3.5"] {
        let s = Server::start(&["--demo", "--protocol", proto]);
        s.post(
            "/databases/Orders2019/admin/backup",
            r#"{"BackupLocation":"o"}"#,
        );
        s.wait_backup("/databases/Orders2019");
        s.post(
            "/databases/Orders2019/admin/backup",
            r#"{"BackupLocation":"o"}"#,
        );
        let st = s.wait_backup("/databases/Orders2019");
        let m = last_msg(&st);
        assert_eq!(m["Severity"], "Error");
        assert_eq!(m["Message"], "Failed to complete backup because: Denying request to perform a full backup to an existing backup folder. Try doing an incremental backup instead.");
        assert!(m["Details"]
            .as_str()
            .unwrap()
            .starts_with("System.InvalidOperationException: "));
        if proto == "3.5" {
            assert_eq!(st["Success"], false);
            assert!(s.backups().join("o/Backup.Failure").exists());
        }
    }
}

#[test]
fn backup_paths_outside_root_are_refused() {
    let s = Server::start(&["--demo"]);
    for loc in [
        "../escape",
        "/etc/x",
        "C:\\\\Backups\\\\Northwind",
        "a\\\\..\\\\..\\\\b",
    ] {
        let body = format!("{{\"BackupLocation\":\"{loc}\"}}");
        s.post("/databases/Northwind/admin/backup", &body)
            .assert_net_error(
                500,
                "System.UnauthorizedAccessException: Access to the path '",
            );
    }
    // Backslashes are separators; absolute paths inside the root are fine.
    let inside = s.backups().join("abs").display().to_string();
    s.post(
        "/databases/Northwind/admin/backup",
        &format!("{{\"BackupLocation\":\"{inside}\"}}"),
    )
    .assert_json(202);
    s.wait_backup("/databases/Northwind");
    s.post(
        "/databases/Orders2019/admin/backup",
        r#"{"BackupLocation":"x\\y"}"#,
    )
    .assert_json(202);
    s.wait_backup("/databases/Orders2019");
    assert!(s.backups().join("x/y/RavenDB.Voron.Backup").exists());
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"../x","DatabaseName":"Z"}"#,
    )
    .assert_net_error(500, "System.UnauthorizedAccessException: ");
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"x/y","DatabaseName":"Z","DatabaseLocation":"/etc/z"}"#,
    )
    .assert_net_error(500, "System.UnauthorizedAccessException: ");
}

#[test]
fn injected_backup_failure_3_5_marker_blocks_and_op_faulted() {
    let s = Server::start(&["--demo", "--protocol", "3.5", "--enable-control"]);
    s.post(
        "/__devserver/fail-next-operation",
        r#"{"kind":"backup","atStep":2,"error":"disk on fire"}"#,
    )
    .assert_json(200);
    let id = s
        .post(
            "/databases/Northwind/admin/backup",
            r#"{"BackupLocation":"f"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let op = s.wait_op(id);
    assert_eq!(op["Faulted"], true);
    assert_eq!(
        op["State"]["Error"],
        "Failed to complete backup because: disk on fire"
    );
    let st = s.wait_backup("/databases/Northwind");
    assert_eq!(st["Success"], false);
    assert_eq!(
        last_msg(&st)["Message"],
        "Failed to complete backup because: disk on fire"
    );
    assert!(s.backups().join("f/Backup.Failure").exists());
    s.post("/databases/Northwind/admin/backup", r#"{"BackupLocation":"f"}"#).assert_net_error(
        500,
        "System.InvalidOperationException: Backup failure marker was detected. In order to proceed remove old backup files or supply different backup directory.",
    );
    // Restore from a folder with the marker fails asynchronously.
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"f","DatabaseName":"FromF"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    s.wait_op(id);
    let rs = s.wait_restore();
    assert_eq!(rs["State"], "Faulted");
    assert_eq!(rs["Messages"].as_array().unwrap().last().unwrap(), "Unable to restore database Backup failure marker was detected. Unable to restore from given directory.");
}

#[test]
fn injected_backup_failure_3_0_no_marker() {
    let s = Server::start(&["--demo", "--protocol", "3.0", "--enable-control"]);
    s.post(
        "/__devserver/fail-next-operation",
        r#"{"kind":"backup","atStep":1,"error":"boom"}"#,
    )
    .assert_json(200);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"f"}"#,
    )
    .assert_empty(201);
    let st = s.wait_backup("/databases/Northwind");
    assert_eq!(last_msg(&st)["Severity"], "Error");
    assert!(!s.backups().join("f/Backup.Failure").exists());
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"g"}"#,
    )
    .assert_empty(201);
}

#[test]
fn kill_cancels_3_5_backup() {
    let s = Server::start(&["--demo", "--protocol", "3.5", "--op-step-ms", "150"]);
    let id = s
        .post(
            "/databases/Northwind/admin/backup",
            r#"{"BackupLocation":"k"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let v = s.get(&format!("/operation/kill?id={id}")).assert_json(200);
    assert_eq!(v["Completed"], false);
    let op = s.wait_op(id);
    assert_eq!(op["Canceled"], true);
    assert_eq!(op["State"], json!({"Progress":null,"Error":null}));
    let st = s.wait_backup("/databases/Northwind");
    assert_eq!(last_msg(&st)["Message"], "Backup was canceled");
    assert_eq!(st["Success"], false);
    assert!(s.backups().join("k/Backup.Failure").exists());
}

#[test]
fn null_backup_location_3_5_sticks_until_restart_3_0_refuses() {
    let s = Server::start(&["--demo", "--protocol", "3.5", "--enable-control"]);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":null}"#,
    )
    .assert_net_error(500, "System.ArgumentNullException: ");
    let st = s
        .get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_json(200);
    assert_eq!(st["IsRunning"], true);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"x"}"#,
    )
    .assert_net_error(
        500,
        "System.InvalidOperationException: Backup is already running",
    );
    s.post("/__devserver/restart", "").assert_json(200);
    s.get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_empty(404);
    s.post(
        "/databases/Northwind/admin/backup",
        r#"{"BackupLocation":"x"}"#,
    )
    .assert_json(202);

    let s0 = Server::start(&["--demo", "--protocol", "3.0"]);
    s0.post("/databases/Northwind/admin/backup", "{}")
        .assert_net_error(500, "System.ArgumentNullException: ");
    s0.get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_empty(404);
}

fn round_trip(proto: &str) {
    let s = Server::start(&["--protocol", proto]);
    s.put("/admin/databases/Src", r#"{"Settings":{"Raven/Voron/AllowIncrementalBackups":"true","Raven/ActiveBundles":""},"SecuredSettings":{"Raven/Encryption/Key":"k1"}}"#).assert_json(201);
    for i in 0..40 {
        s.put(
            &format!("/databases/Src/docs/items/{i}"),
            &format!(r#"{{"N":{i},"Tag":"v1"}}"#),
        )
        .assert_json(201);
    }
    s.post(
        "/databases/Src/admin/backup?incremental=true",
        r#"{"BackupLocation":"series"}"#,
    );
    s.wait_backup("/databases/Src");
    let at_full = user_docs(&s, "Src");
    assert_eq!(at_full.len(), 40);
    for i in 0..10 {
        s.put(
            &format!("/databases/Src/docs/items/{i}"),
            &format!(r#"{{"N":{i},"Tag":"v2"}}"#),
        )
        .assert_json(201);
    }
    for i in 30..40 {
        s.req("DELETE", &format!("/databases/Src/docs/items/{i}"), None)
            .assert_empty(204);
    }
    s.put("/databases/Src/docs/items/new", r#"{"Tag":"added"}"#)
        .assert_json(201);
    std::thread::sleep(std::time::Duration::from_millis(1100)); // distinct Inc folder second
    s.post(
        "/databases/Src/admin/backup?incremental=true",
        r#"{"BackupLocation":"series"}"#,
    );
    let st = s.wait_backup("/databases/Src");
    assert_ne!(last_msg(&st)["Severity"], "Error", "{st}");
    let expected = user_docs(&s, "Src");
    // Written after the last backup: must NOT be in the restore.
    s.put("/databases/Src/docs/items/late", r#"{"Tag":"late"}"#)
        .assert_json(201);

    let dir = s.backups().join("series");
    let incs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("Inc "))
        .collect();
    assert_eq!(incs.len(), 2);
    let state: Value = serde_json::from_slice(
        &std::fs::read(dir.join("IncrementalBackupState.Document")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["ResourceName"], "Src");
    // The second increment holds only what changed.
    let mut names: Vec<_> = incs.iter().map(|e| e.path()).collect();
    names.sort();
    let second: Value =
        serde_json::from_slice(&std::fs::read(names[1].join("RavenDB.Voron.Backup")).unwrap())
            .unwrap();
    let changed: Vec<&str> = second["Documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["Key"].as_str().unwrap())
        .filter(|k| !k.starts_with("Raven/"))
        .collect();
    assert_eq!(changed.len(), 11, "{changed:?}");
    assert_eq!(second["Deleted"].as_array().unwrap().len(), 10);

    let r = s.post(
        "/admin/restore?defrag=false",
        r#"{"BackupLocation":"series","DatabaseName":"Copy","DatabaseLocation":null}"#,
    );
    let id = r.assert_json(if proto == "3.0" { 200 } else { 202 })["OperationId"]
        .as_u64()
        .unwrap();
    let op = s.wait_op(id);
    assert_eq!(op["Faulted"], false, "{op}");
    let rs = s.wait_restore();
    assert_eq!(rs["State"], "Completed");
    assert_eq!(
        rs["Messages"].as_array().unwrap().last().unwrap(),
        "The new database was created"
    );
    assert!(s.get("/docs/Raven/Restore/InProgress").status == 404);
    assert!(s
        .get("/databases")
        .assert_json(200)
        .as_array()
        .unwrap()
        .contains(&json!("Copy")));
    assert_eq!(user_docs(&s, "Copy"), expected);
    assert_ne!(user_docs(&s, "Copy"), at_full);
    let doc = s.get("/admin/databases/Copy").assert_json(200);
    assert_eq!(doc["Settings"]["Raven/DataDir"], "~/Copy");
    assert_eq!(doc["SecuredSettings"]["Raven/Encryption/Key"], "k1");
    s.get("/databases/Copy/docs/Raven/Backup/Status")
        .assert_empty(404); // startup task on the new DB
}

#[test]
fn round_trip_full_incremental_restore_3_5() {
    round_trip("3.5");
}

#[test]
fn round_trip_full_incremental_restore_3_0() {
    round_trip("3.0");
}

#[test]
fn restore_validation_errors_in_order() {
    let s = Server::start(&["--demo", "--protocol", "3.5", "--op-step-ms", "150"]);
    s.post("/databases/Northwind/admin/restore", "{}")
        .assert_text(400, "Restore is only possible from the system database");
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"missing","DatabaseName":"X"}"#,
    )
    .assert_net_error(
        500,
        "System.IO.DirectoryNotFoundException: Could not find a part of the path '",
    );
    s.post("/admin/restore", r#"{"DatabaseName":"X"}"#)
        .assert_net_error(500, "System.ArgumentNullException: ");
    // A folder without Database.Document and no name: 400 + wrapped status quirk.
    std::fs::create_dir_all(s.backups().join("empty")).unwrap();
    s.post("/admin/restore", r#"{"BackupLocation":"empty"}"#).assert_text(400, "Database.Document file is invalid - database name was not found and not supplied in the request (Id property is missing or null). This is probably a bug - should never happen.");
    let st = s.get("/docs/Raven/Restore/Status").assert_json(200);
    assert_eq!(st["restoreStatus"]["State"], "Running");
    // A real backup.
    s.post(
        "/databases/Orders2019/admin/backup",
        r#"{"BackupLocation":"o"}"#,
    );
    s.wait_backup("/databases/Orders2019");
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"o","DatabaseName":"<system>"}"#,
    )
    .assert_text(400, "Cannot do an online restore for the <system> database");
    // Name from Database.Document => existing database.
    s.post("/admin/restore", r#"{"BackupLocation":"o"}"#).assert_text(400, "Cannot do an online restore for an existing database, delete the database Orders2019 and restore again.");
    s.post("/admin/restore", r#"{"RestoreLocation":"o","DatabaseName":"Payroll"}"#).assert_text(400, "Cannot do an online restore for an existing database, delete the database Payroll and restore again.");
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"o","DatabaseName":"R1"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let lock = s.get("/docs/Raven/Restore/InProgress").assert_json(200);
    assert_eq!(lock, json!({"Resource":"R1"}));
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"o","DatabaseName":"R2"}"#,
    )
    .assert_text(503, "Another restore is in progress (resource name = R1)");
    s.post("/admin/restore", r#"{"BackupLocation":"o","DatabaseName":"R2","RestoreStartTimeout":0}"#)
        .assert_text(503, "Another restore is still in progress (resource name = R1). Waited 0 seconds for other restore to complete.");
    // Kill is a no-op for restores.
    assert_eq!(
        s.get(&format!("/operation/kill?id={id}")).assert_json(200)["Completed"],
        false
    );
    s.wait_op(id);
    // With a timeout long enough, a second restore waits for the lock.
    let id2 = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"o","DatabaseName":"R3","RestoreStartTimeout":10}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let op = s.wait_op(id2);
    assert_eq!(op["Faulted"], false);
    assert_eq!(user_docs(&s, "R3"), user_docs(&s, "Orders2019"));
}

#[test]
fn failed_restore_shapes_3_5_and_3_0() {
    for proto in ["3.5", "3.0"] {
        let s = Server::start(&["--demo", "--protocol", proto, "--enable-control"]);
        s.post(
            "/databases/Orders2019/admin/backup",
            r#"{"BackupLocation":"o"}"#,
        );
        s.wait_backup("/databases/Orders2019");
        s.post(
            "/__devserver/fail-next-operation",
            r#"{"kind":"restore","atStep":3,"error":"simulated crash"}"#,
        )
        .assert_json(200);
        let id = s
            .post(
                "/admin/restore",
                r#"{"BackupLocation":"o","DatabaseName":"Broken"}"#,
            )
            .json()["OperationId"]
            .as_u64()
            .unwrap();
        let op = s.wait_op(id);
        assert_eq!(op["Faulted"], true);
        if proto == "3.5" {
            assert_eq!(op["State"], json!({}));
            assert_eq!(op["Exception"]["Message"], "simulated crash");
            assert_eq!(
                op["Exception"]["ClassName"],
                "System.InvalidOperationException"
            );
            assert_eq!(op["Canceled"], false);
        } else {
            assert_eq!(
                op,
                json!({"Completed":true,"Faulted":true,"State":{"Error":"simulated crash"}})
            );
        }
        let rs = s.wait_restore();
        assert_eq!(rs["State"], "Faulted");
        assert_eq!(
            rs["Messages"].as_array().unwrap().last().unwrap(),
            "Unable to restore database simulated crash"
        );
        s.get("/docs/Raven/Restore/InProgress").assert_empty(404);
        assert!(!s
            .get("/databases")
            .json()
            .as_array()
            .unwrap()
            .contains(&json!("Broken")));
        // Same name can be restored afterwards.
        let id = s
            .post(
                "/admin/restore",
                r#"{"BackupLocation":"o","DatabaseName":"Broken"}"#,
            )
            .json()["OperationId"]
            .as_u64()
            .unwrap();
        assert_eq!(s.wait_op(id)["Faulted"], false);
    }
}

#[test]
fn restore_async_failures_missing_document_invalid_name() {
    let s = Server::start(&["--demo"]);
    std::fs::create_dir_all(s.backups().join("nodoc")).unwrap();
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"nodoc","DatabaseName":"A"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    s.wait_op(id);
    let rs = s.wait_restore();
    assert_eq!(rs["Messages"].as_array().unwrap().last().unwrap(), "Unable to restore database Cannot restore when the Database.Document file is missing in the backup folder: nodoc");
    s.post(
        "/databases/Orders2019/admin/backup",
        r#"{"BackupLocation":"o"}"#,
    );
    s.wait_backup("/databases/Orders2019");
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"o","DatabaseName":"bad name!"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    assert_eq!(s.wait_op(id)["Faulted"], true);
    let rs = s.wait_restore();
    assert!(rs["Messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .starts_with("Unable to restore database Database name can only contain"));
}

#[test]
fn file_system_backup_status_and_restore_both_modes() {
    for (proto, backup_code, restore_path, restore_code) in [
        ("3.5", 202, "/admin/fs-restore", 202),
        ("3.0", 201, "/admin/fs/restore", 200),
    ] {
        let s = Server::start(&["--demo", "--protocol", proto]);
        s.put("/admin/fs/Docs", r#"{"Settings":{}}"#)
            .assert_json(201);
        s.req_h(
            "PUT",
            "/fs/Docs/files/a/b.txt",
            Some("hello file"),
            &[("Content-Type", "application/octet-stream")],
        )
        .assert_empty(201);
        s.get("/fs/Docs/config?name=Raven/Backup/Status")
            .assert_empty(404);
        let r = s.post(
            "/fs/Docs/admin/backup?incremental=false",
            r#"{"BackupLocation":"fsb","DatabaseDocument":null}"#,
        );
        assert_eq!(r.status, backup_code, "{}", r.text());
        let st = s.wait_json("/fs/Docs/config?name=Raven/Backup/Status", |v| {
            v["IsRunning"] == false
        });
        assert_ne!(last_msg(&st)["Severity"], "Error");
        assert!(s.backups().join("fsb/Filesystem.Document").exists());
        let r = s.post(
            restore_path,
            r#"{"BackupLocation":"fsb","FilesystemName":"Docs2"}"#,
        );
        let id = r.assert_json(restore_code)["OperationId"].as_u64().unwrap();
        assert_eq!(s.wait_op(id)["Faulted"], false);
        let rs = s.wait_json("/docs/Raven/FileSystem/Restore/Status/Docs2", |v| {
            v["State"] != "Running"
        });
        assert_eq!(
            rs["Messages"].as_array().unwrap().last().unwrap(),
            "The new filesystem was created"
        );
        let f = s.get("/fs/Docs2/files/a/b.txt");
        assert_eq!(f.status, 200);
        assert_eq!(f.text(), "hello file");
        s.post(restore_path, r#"{"BackupLocation":"fsb","FilesystemName":"Docs2"}"#)
            .assert_text(400, "Cannot do an online restore for an existing file system, delete the file system Docs2 and restore again.");
        let v = s
            .post(
                restore_path,
                r#"{"BackupLocation":"nowhere","FilesystemName":"X"}"#,
            )
            .assert_json(400);
        assert_eq!(v["Message"], "Non-existing path : nowhere");
        if proto == "3.0" {
            s.post("/admin/fs-restore", r#"{"BackupLocation":"fsb"}"#)
                .assert_empty(404);
        } else {
            // Old form still works in 3.5 through the catch-all.
            s.post(
                "/admin/fs/restore",
                r#"{"BackupLocation":"fsb","FilesystemName":"Docs3"}"#,
            )
            .assert_json(202);
        }
        // Demo FS.
        assert_eq!(s.get("/fs/Media/files/docs/readme.txt").status, 200);
    }
}

#[test]
fn restart_control_applies_startup_tasks() {
    let s = Server::start(&["--demo", "--enable-control", "--op-step-ms", "300"]);
    s.post(
        "/databases/Orders2019/admin/backup",
        r#"{"BackupLocation":"o"}"#,
    )
    .assert_json(202);
    s.wait_backup("/databases/Orders2019");
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"o","DatabaseName":"Mid"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let bid = s
        .post(
            "/databases/Northwind/admin/backup",
            r#"{"BackupLocation":"n"}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    s.get("/docs/Raven/Restore/InProgress").assert_json(200);
    s.post("/__devserver/restart", "").assert_json(200);
    s.get(&format!("/operation/status?id={id}"))
        .assert_empty(404);
    s.get(&format!("/operation/status?id={bid}"))
        .assert_empty(404);
    s.get("/docs/Raven/Restore/InProgress").assert_empty(404);
    s.get("/databases/Northwind/docs/Raven/Backup/Status")
        .assert_empty(404);
    // Completed status documents survive.
    s.get("/databases/Orders2019/docs/Raven/Backup/Status")
        .assert_json(200);
}
