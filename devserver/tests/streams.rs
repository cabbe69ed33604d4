//! `GET /databases/{db}/streams/docs` as 3.x answers it, and a restored
//! Encryption-bundle database whose key was stripped from its backup
//! (docs/protocol/ravendb-3x.md §16.5, §16.6).

mod common;
use common::*;
use serde_json::Value;

fn ids(v: &Value) -> Vec<String> {
    v["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["@metadata"]["@id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_document_stream_is_chunked_and_shaped_like_3x() {
    for protocol in ["3.0", "3.5"] {
        let s = Server::start(&["--demo", "--protocol", protocol]);
        let r = s.get("/databases/Northwind/streams/docs");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), "application/json; charset=utf-8");
        assert!(
            r.header("transfer-encoding")
                .is_some_and(|v| v.contains("chunked")),
            "{:?}",
            r.headers
        );
        assert!(r.header("content-length").is_none());
        let text = r.text();
        assert!(text.starts_with("{\"Results\":[{"), "{}", &text[..40]);
        assert!(text.ends_with("\r\n],\"NextPageStart\":0}"));
        assert!(text.contains("}\r\n,{"), "each document ends with CRLF");
        let v = r.json();
        // Every document, the same as `GET /docs` pages them (newest first).
        let paged = s
            .get("/databases/Northwind/docs?start=0&pageSize=1024")
            .json();
        let paged_ids: Vec<String> = paged
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["@metadata"]["@id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids(&v), paged_ids);
        assert_eq!(v["Results"][0], paged[0]);
        let md = &v["Results"][0]["@metadata"];
        for k in ["@id", "@etag", "Last-Modified", "Raven-Last-Modified"] {
            assert!(md.get(k).is_some(), "{k}");
        }
        // HEAD: an empty 200.
        let h = s.req("HEAD", "/databases/Northwind/streams/docs", None);
        assert_eq!(h.status, 200);
        assert!(h.body.is_empty());
    }
}

#[test]
fn start_page_size_etag_and_starts_with() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    let all = ids(&s.get("/databases/Northwind/streams/docs").json());
    assert!(all.len() > 5);
    let page = ids(&s
        .get("/databases/Northwind/streams/docs?start=2&pageSize=3")
        .json());
    assert_eq!(page, all[2..5].to_vec());
    let none = ids(&s.get("/databases/Northwind/streams/docs?pageSize=0").json());
    assert!(none.is_empty());
    // After an etag: the documents written after it, oldest first.
    let docs = s.get("/databases/Northwind/streams/docs").json();
    let third_oldest = &docs["Results"][all.len() - 3]["@metadata"]["@etag"];
    let after = ids(&s
        .get(&format!(
            "/databases/Northwind/streams/docs?etag={}",
            third_oldest.as_str().unwrap()
        ))
        .json());
    let mut newest_first = all[..all.len() - 3].to_vec();
    newest_first.reverse();
    assert_eq!(after, newest_first);
    s.get("/databases/Northwind/streams/docs?etag=nonsense")
        .assert_net_error(500, "System.ArgumentException: Could not parse etag");
    // By id prefix, in id order, case-insensitively.
    let orders = ids(&s
        .get("/databases/Northwind/streams/docs?startsWith=ORDERS/")
        .json());
    assert!(!orders.is_empty());
    assert!(orders
        .iter()
        .all(|id| id.to_lowercase().starts_with("orders/")));
    let mut sorted = orders.clone();
    sorted.sort_by_key(|id| id.to_lowercase());
    assert_eq!(orders, sorted);
    let skipped = ids(&s
        .get(&format!(
            "/databases/Northwind/streams/docs?startsWith=orders/&skipAfter={}",
            orders[0]
        ))
        .json());
    assert_eq!(skipped, orders[1..].to_vec());
    // An unknown database: 3.x's 503.
    let r = s.get("/databases/Nowhere/streams/docs");
    assert_eq!(r.status, 503);
    assert_eq!(
        r.json()["Error"],
        "Could not find a database named: Nowhere"
    );
}

#[test]
fn a_stripped_encrypted_backup_restores_but_cannot_be_opened() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    // The Backup screen's "strip secrets": a document with empty secured settings.
    let doc = s.get("/admin/databases/Payroll").json();
    let mut stripped = doc.clone();
    stripped["SecuredSettings"] = serde_json::json!({});
    let body =
        serde_json::json!({"BackupLocation": "payroll-stripped", "DatabaseDocument": stripped});
    s.post("/databases/Payroll/admin/backup", &body.to_string())
        .assert_json(202);
    s.wait_backup("/databases/Payroll");
    // Kept for comparison: a backup that carries the key.
    let id = s
        .post(
            "/databases/Payroll/admin/backup",
            r#"{"BackupLocation":"payroll-whole","DatabaseDocument":null}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    s.wait_op(id);
    for (folder, name) in [
        ("payroll-stripped", "PayrollS"),
        ("payroll-whole", "PayrollW"),
    ] {
        let id = s
            .post(
                "/admin/restore",
                &format!(r#"{{"BackupLocation":"{folder}","DatabaseName":"{name}"}}"#),
            )
            .assert_json(202)["OperationId"]
            .as_u64()
            .unwrap();
        s.wait_op(id);
        let st = s.wait_restore();
        assert_eq!(st["State"], "Completed", "{st}");
    }
    // The restore succeeded, the database is listed…
    let list = s.get("/databases").json();
    assert!(
        list.as_array().unwrap().iter().any(|n| n == "PayrollS"),
        "{list}"
    );
    // …and every request to it answers 503 with the Encryption bundle's reason.
    for path in [
        "/databases/PayrollS/streams/docs",
        "/databases/PayrollS/docs?start=0&pageSize=10",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 503, "{path}");
        let why = r.json()["Error"].as_str().unwrap().to_string();
        assert!(
            why.starts_with("Could not open database named: PayrollS\r\n"),
            "{why}"
        );
        assert!(
            why.contains("The Raven/Encryption/Key setting must be set to an encryption key."),
            "{why}"
        );
        assert!(!why.contains(&doc["SecuredSettings"]["Raven/Encryption/Key"].to_string()));
    }
    // The copy that kept its key opens and streams.
    let whole = s.get("/databases/PayrollW/streams/docs");
    assert_eq!(whole.status, 200);
    assert!(!ids(&whole.json()).is_empty());
    // The unreadable copy can still be hard-deleted.
    let d = s.req("DELETE", "/admin/databases/PayrollS?hard-delete=true", None);
    assert!((200..300).contains(&d.status), "{}", d.status);
    assert_eq!(s.get("/databases/PayrollS/streams/docs").status, 503);
    assert!(!s
        .get("/databases")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == "PayrollS"));
}

#[test]
fn with_a_new_database_id_the_stripped_restore_faults_after_saying_completed() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    let mut stripped = s.get("/admin/databases/Payroll").json();
    stripped["SecuredSettings"] = serde_json::json!({});
    let body = serde_json::json!({"BackupLocation": "p", "DatabaseDocument": stripped});
    s.post("/databases/Payroll/admin/backup", &body.to_string())
        .assert_json(202);
    s.wait_backup("/databases/Payroll");
    let id = s
        .post(
            "/admin/restore",
            r#"{"BackupLocation":"p","DatabaseName":"PayrollN","GenerateNewDatabaseId":true}"#,
        )
        .assert_json(202)["OperationId"]
        .as_u64()
        .unwrap();
    let op = s.wait_op(id);
    assert_eq!(op["Faulted"], true, "{op}");
    let st = s.wait_restore();
    assert_eq!(st["State"], "Faulted");
    let messages: Vec<&str> = st["Messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"The new database was created"),
        "{messages:?}"
    );
    assert!(
        messages.last().unwrap().starts_with(
            "Unable to restore database The Raven/Encryption/Key setting must be set to an encryption key."
        ),
        "{messages:?}"
    );
    // Registered all the same, and unreadable.
    assert_eq!(s.get("/databases/PayrollN/streams/docs").status, 503);
}
