//! Endpoint-by-endpoint protocol tests over real HTTP against the real binary.

mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn build_version_both_modes_and_anonymous() {
    let s = Server::start(&["--protocol", "3.0", "--anonymous-access", "None"]);
    let r = s.get("/build/version");
    let v = r.assert_json(200);
    assert!(v["ProductVersion"]
        .as_str()
        .unwrap()
        .starts_with("3.0.0 / "));
    assert!(v["BuildVersion"].as_str().unwrap().starts_with("30"));
    assert_eq!(r.header("Raven-Server-Build"), v["BuildVersion"].as_str());
    let s5 = Server::start(&["--protocol", "3.5", "--demo"]);
    let v = s5
        .get("/databases/Northwind/build/version")
        .assert_json(200);
    assert!(v["ProductVersion"].as_str().unwrap().starts_with("3.5."));
    assert!(v["BuildVersion"].as_str().unwrap().starts_with("35"));
}

#[test]
fn databases_list_additional_data_and_tenant_form() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    let v = s.get("/databases").assert_json(200);
    assert_eq!(v, json!(["Northwind", "Orders2019", "Payroll"]));
    let v = s.get("/databases?start=1&pageSize=1").assert_json(200);
    assert_eq!(v, json!(["Orders2019", "Payroll"]), "3.5 ignores pageSize");
    let v = s.get("/databases?getAdditionalData=true").assert_json(200);
    let payroll = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["Name"] == "Payroll")
        .unwrap();
    assert_eq!(payroll["Bundles"], json!(["Encryption"]));
    assert_eq!(payroll["IsLoaded"], json!(false));
    s.get("/databases/Northwind/databases").assert_text(
        400,
        "The request '/databases/Northwind/databases' can only be issued on the system database",
    );
    let s0 = Server::start(&["--demo", "--protocol", "3.0"]);
    assert_eq!(
        s0.get("/databases?pageSize=1").assert_json(200),
        json!(["Northwind"])
    );
    let v = s0.get("/databases?getAdditionalData=true").assert_json(200);
    assert!(v[0].get("IsLoaded").is_none());
}

#[test]
fn admin_database_document_decrypted_with_etag_system_and_404() {
    let s = Server::start(&["--demo"]);
    let r = s.get("/admin/databases/Payroll");
    let v = r.assert_json(200);
    assert!(r.header("ETag").is_some());
    assert_eq!(v["Id"], "Payroll");
    assert_eq!(
        v["SecuredSettings"]["Raven/Encryption/Algorithm"],
        "System.Security.Cryptography.AesManaged, mscorlib"
    );
    assert!(v["SecuredSettings"]["Raven/AWSSecretKey"]
        .as_str()
        .unwrap()
        .starts_with("demo-aws-secret-"));
    let v = s.get("/admin/databases/%3Csystem%3E").assert_json(200);
    assert_eq!(
        v,
        json!({"Id":"<system>","Settings":{},"SecuredSettings":{},"Disabled":false})
    );
    s.get("/admin/databases/Nope")
        .assert_text(404, "Database Nope wasn't found");
    // Stored form: no plain secrets.
    let stored = s.get("/docs/Raven/Databases/Payroll").assert_json(200);
    let key = stored["SecuredSettings"]["Raven/Encryption/Key"]
        .as_str()
        .unwrap();
    assert!(key.starts_with("devserver-protected-v1:"));
    assert!(!stored.to_string().contains("demo-aws-secret"));
}

#[test]
fn put_admin_database_creates_registers_and_protects_at_rest() {
    let s = Server::start(&[]);
    let r = s.put("/admin/databases/Shop", r#"{"Settings":{"Raven/DataDir":"~/Shop"},"SecuredSettings":{"Raven/Encryption/Key":"S3CR3T-VALUE"},"Disabled":false}"#);
    let v = r.assert_json(201);
    assert_eq!(v["Key"], "Raven/Databases/Shop");
    assert_eq!(s.get("/databases").assert_json(200), json!(["Shop"]));
    assert_eq!(
        s.get("/admin/databases/Shop").assert_json(200)["SecuredSettings"]["Raven/Encryption/Key"],
        "S3CR3T-VALUE"
    );
    // Nothing on disk holds the secret in plain text.
    fn scan(p: &std::path::Path) -> bool {
        std::fs::read_dir(p).unwrap().flatten().any(|e| {
            if e.path().is_dir() {
                scan(&e.path())
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).contains("S3CR3T-VALUE")
            }
        })
    }
    assert!(!scan(&s.data()));
    s.put("/admin/databases/bad%20name", "{}").assert_text(
        400,
        "Database name can only contain only A-Z, a-z, \"_\", \".\" or \"-\" but was: bad name",
    );
    s.put(
        "/admin/databases/Evil",
        r#"{"Settings":{"Raven/DataDir":"/etc/evil"}}"#,
    )
    .assert_net_error(
        500,
        "System.UnauthorizedAccessException: Access to the path '/etc/evil' is denied.",
    );
    s.put("/admin/databases/Shop2", "{nope")
        .assert_net_error(500, "Newtonsoft.Json.JsonReaderException: ");
    s.put("/admin/databases/Shop3", r#"{"Settings":[1]}"#)
        .assert_net_error(500, "Newtonsoft.Json.JsonSerializationException: ");
    s.req("DELETE", "/admin/databases/Shop?hard-delete=true", None)
        .assert_empty(200);
    assert_eq!(s.get("/databases").assert_json(200), json!([]));
}

#[test]
fn documents_put_get_delete_and_list() {
    let s = Server::start(&["--demo"]);
    let r = s.req_h(
        "PUT",
        "/databases/Northwind/docs/people/1",
        Some(r#"{"Name":"Ann","@metadata":{"Raven-Entity-Name":"People"}}"#),
        &[],
    );
    let v = r.assert_json(201);
    assert_eq!(v["Key"], "people/1");
    let r = s.get("/databases/Northwind/docs/people/1");
    assert_eq!(r.assert_json(200), json!({"Name":"Ann"}));
    assert_eq!(
        r.header("ETag").unwrap(),
        format!("\"{}\"", v["ETag"].as_str().unwrap())
    );
    assert_eq!(r.header("Raven-Entity-Name"), Some("People"));
    // Case-insensitive routes and ids; encoded slashes.
    s.get("/DATABASES/Northwind/DOCS/PEOPLE%2F1")
        .assert_json(200);
    s.req("DELETE", "/databases/Northwind/docs/people/1", None)
        .assert_empty(204);
    s.get("/databases/Northwind/docs/people/1")
        .assert_empty(404);
    s.req("DELETE", "/databases/Northwind/docs/people/1", None)
        .assert_empty(204);
    let page = s
        .get("/databases/Northwind/docs?start=0&pageSize=5")
        .assert_json(200);
    assert_eq!(page.as_array().unwrap().len(), 5);
    assert!(page[0]["@metadata"]["@id"].is_string());
    assert!(page[0]["@metadata"]["@etag"].is_string());
    assert_eq!(user_docs(&s, "Northwind").len(), 300);
    s.put("/databases/Northwind/docs/x", "[1,2]")
        .assert_net_error(500, "Newtonsoft.Json.JsonReaderException: ");
    s.put("/databases/Northwind/docs/x", "{bad")
        .assert_net_error(500, "Newtonsoft.Json.JsonReaderException: ");
    // System database documents at the root.
    s.put("/docs/hello", r#"{"A":1}"#).assert_json(201);
    assert_eq!(s.get("/docs/hello").assert_json(200), json!({"A":1}));
}

#[test]
fn queries_multi_load_null_depends_on_client_version() {
    let s = Server::start(&["--demo"]);
    let v = s
        .post(
            "/databases/Northwind/queries",
            r#"["companies/1","nope/1"]"#,
        )
        .assert_json(200);
    assert_eq!(v["Results"].as_array().unwrap().len(), 1);
    assert_eq!(v["Results"][0]["@metadata"]["@id"], "companies/1");
    assert_eq!(v["Includes"], json!([]));
    let v = s
        .req_h(
            "POST",
            "/databases/Northwind/queries",
            Some(r#"["nope/1"]"#),
            &[("Raven-Client-Version", "3.5.4")],
        )
        .assert_json(200);
    assert_eq!(v["Results"], json!([null]));
    let v = s
        .post("/queries", r#"["Raven/Restore/Status"]"#)
        .assert_json(200);
    assert_eq!(v["Results"], json!([]));
    s.post("/queries", "{}")
        .assert_net_error(500, "Newtonsoft.Json.JsonReaderException: ");
    s.post("/queries", "[1]")
        .assert_net_error(500, "System.InvalidCastException: ");
}

#[test]
fn unknown_database_and_unknown_route() {
    let s = Server::start(&[]);
    let v = s.get("/databases/Nope/docs/x").assert_json(503);
    assert_eq!(v["Error"], "Could not find a database named: Nope");
    s.post("/databases/Nope/admin/backup", r#"{"BackupLocation":"x"}"#)
        .assert_json(503);
    s.get("/fs/Nope/config?name=Raven/Backup/Status")
        .assert_json(503);
    s.get("/no/such/route").assert_empty(404);
}

#[test]
fn operation_status_validation_both_modes() {
    for proto in ["3.0", "3.5"] {
        let s = Server::start(&["--protocol", proto, "--demo"]);
        let v = s.get("/operation/status?id=abc").assert_json(400);
        assert_eq!(
            v,
            json!({"Error":"Query string variable id must be a valid int64"})
        );
        s.get("/operation/status").assert_json(400);
        s.get("/operation/kill?id=99999999999999999999")
            .assert_json(400);
        s.get("/operation/status?id=42").assert_empty(404);
        s.get("/operation/kill?id=42").assert_empty(404);
        s.get("/databases/Northwind/operation/status?id=1")
            .assert_empty(404);
        assert_eq!(s.get("/operations").assert_json(200), json!([]));
        assert_eq!(
            s.get("/databases/Northwind/operations").assert_json(200),
            json!([])
        );
    }
}

#[test]
fn user_info_and_auth_modes() {
    let s = Server::start(&["--demo"]);
    let v = s.get("/debug/user-info").assert_json(200);
    assert_eq!(v["IsAdminGlobal"], true);
    assert_eq!(v["Remark"], "Using anonymous user");

    let g = Server::start(&[
        "--demo",
        "--anonymous-access",
        "Get",
        "--api-key",
        "ops/s3cret=<system>:admin,*:admin",
    ]);
    let v = g
        .post(
            "/databases/Northwind/admin/backup",
            r#"{"BackupLocation":"x"}"#,
        )
        .assert_json(401);
    assert_eq!(v["Error"], "The operation '/databases/Northwind/admin/backup' is only available to administrators, and could not find the user to authorize with");
    g.get("/admin/databases/Northwind").assert_json(200); // GET allowed with Get
    g.get("/databases/Northwind/docs/companies/1")
        .assert_json(200);
    g.post("/databases/Northwind/queries", r#"["companies/1"]"#)
        .assert_json(200);
    let r = g.put("/databases/Northwind/docs/x", "{}");
    assert_eq!(r.status, 401);
    assert!(r.body.is_empty());
    assert_eq!(
        g.get("/debug/user-info").assert_json(200)["IsAdminGlobal"],
        false
    );
    let bearer = oauth::sign_in(&g, "ops", "s3cret");
    let r = g.req_h(
        "POST",
        "/databases/Orders2019/admin/backup",
        Some(r#"{"BackupLocation":"o"}"#),
        &[("Authorization", &bearer)],
    );
    r.assert_json(202);
    let v = g
        .req_h(
            "GET",
            "/debug/user-info",
            None,
            &[("Authorization", &bearer)],
        )
        .assert_json(200);
    assert_eq!(v["User"], "ops");
    assert_eq!(v["IsAdminGlobal"], true);
    // A bad token on a write is refused (a read passes: Get allows it anonymously).
    let r = g.req_h(
        "PUT",
        "/databases/Northwind/docs/x",
        Some("{}"),
        &[("Authorization", "Bearer ops/wrong")],
    );
    assert_eq!(r.status, 401);
    assert!(r
        .header("WWW-Authenticate")
        .unwrap()
        .contains("invalid_token"));

    let n = Server::start(&["--demo", "--anonymous-access", "None"]);
    n.get("/admin/databases/Northwind").assert_json(401);
    let r = n.get("/databases");
    assert_eq!(r.status, 401);
    assert_eq!(r.header("Raven-Required-Auth"), Some("Windows"));
    n.get("/build/version").assert_json(200);
}

#[test]
fn client_version_4_guard_only_in_3_5() {
    let s = Server::start(&["--demo", "--protocol", "3.5"]);
    let v = s
        .req_h(
            "GET",
            "/admin/databases/Northwind",
            None,
            &[("Raven-Client-Version", "4.0.0")],
        )
        .assert_json(503);
    assert_eq!(v["Error"], "A 4.x RavenDB client is not compatible with 3.x RavenDB server. The request cannot continue.");
    let s0 = Server::start(&["--demo", "--protocol", "3.0"]);
    s0.req_h(
        "GET",
        "/admin/databases/Northwind",
        None,
        &[("Raven-Client-Version", "4.0.0")],
    )
    .assert_json(200);
}

#[test]
fn cors_off_3_0_and_3_5() {
    let origin = [("Origin", "http://localhost:5555")];
    let off = Server::start(&["--demo"]);
    let r = off.req_h("GET", "/databases", None, &origin);
    assert!(r.header("Access-Control-Allow-Origin").is_none());

    let s0 = Server::start(&["--demo", "--protocol", "3.0", "--cors-origin", "*"]);
    let r = s0.req_h("GET", "/databases", None, &origin);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:5555")
    );
    assert_eq!(r.header("Access-Control-Allow-Credentials"), Some("true"));
    assert_eq!(r.header("Access-Control-Max-Age"), Some("1728000"));
    assert_eq!(
        r.header("Access-Control-Allow-Methods"),
        Some("PUT,PATCH,GET,DELETE,POST")
    );

    let s5 = Server::start(&[
        "--demo",
        "--protocol",
        "3.5",
        "--cors-origin",
        "http://a.test http://localhost:5555",
        "--anonymous-access",
        "None",
    ]);
    let r = s5.req_h("GET", "/build/version", None, &origin);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:5555")
    );
    assert!(r.header("Access-Control-Allow-Methods").is_none());
    let r = s5.req_h(
        "GET",
        "/build/version",
        None,
        &[("Origin", "http://evil.test")],
    );
    assert!(r.header("Access-Control-Allow-Origin").is_none());
    // Pre-flight: 200, all headers, bypasses auth (anonymous None).
    let r = s5.req_h(
        "OPTIONS",
        "/databases/Northwind/admin/backup",
        None,
        &[
            ("Origin", "http://localhost:5555"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://localhost:5555")
    );
    assert_eq!(
        r.header("Access-Control-Allow-Headers"),
        Some("content-type")
    );
    assert_eq!(r.header("Access-Control-Allow-Credentials"), Some("true"));
    // Same-host origin: skipped in 3.5.
    let host_origin = format!("http://127.0.0.1:{}", s5.port);
    let r = s5.req_h(
        "GET",
        "/build/version",
        None,
        &[("Origin", host_origin.as_str())],
    );
    assert!(r.header("Access-Control-Allow-Origin").is_none());
}

#[test]
fn bad_input_malformed_wrong_types_huge_bodies() {
    let s = Server::start(&["--demo", "--max-body-bytes", "1000"]);
    let p = "/databases/Northwind/admin/backup";
    s.post(p, "")
        .assert_net_error(500, "System.NullReferenceException: ");
    s.post(p, "{not json")
        .assert_net_error(500, "Newtonsoft.Json.JsonReaderException: ");
    s.post(p, "[1,2]")
        .assert_net_error(500, "Newtonsoft.Json.JsonSerializationException: ");
    s.post(p, r#"{"BackupLocation":{"a":1}}"#)
        .assert_net_error(500, "Newtonsoft.Json.JsonSerializationException: ");
    s.post(p, r#"{"BackupLocation":"x","DatabaseDocument":5}"#)
        .assert_net_error(500, "Newtonsoft.Json.JsonSerializationException: ");
    s.post(
        "/admin/restore",
        r#"{"BackupLocation":"x","RestoreStartTimeout":"soon"}"#,
    )
    .assert_net_error(500, "Newtonsoft.Json.JsonSerializationException: ");
    let big = "x".repeat(5000);
    let r = s.put(
        "/databases/Northwind/docs/big",
        &format!("{{\"A\":\"{big}\"}}"),
    );
    r.assert_net_error(
        413,
        "System.Web.HttpException: Maximum request length exceeded",
    );
    // Server still fine afterwards.
    s.get("/build/version").assert_json(200);
    // A 12 MiB body against the default 10 MiB limit gets a 413, not a hang.
    let d = Server::start(&[]);
    let huge = vec![b'a'; 12 * 1024 * 1024];
    let r = request(d.port, "POST", "/queries", Some(&huge), &[]);
    assert_eq!(r.status, 413);
}

#[test]
fn compact_both_modes_and_errors() {
    for (proto, code) in [("3.0", 200), ("3.5", 202)] {
        let s = Server::start(&["--demo", "--protocol", proto]);
        s.post("/admin/compact", "")
            .assert_text(400, "Compact request requires a valid database parameter");
        s.post("/admin/compact?database=Nope", "")
            .assert_text(404, "No database named: Nope");
        let id = s
            .post("/admin/compact?database=Northwind", "")
            .assert_json(code)["OperationId"]
            .as_u64()
            .unwrap();
        let st = s.wait_op(id);
        assert_eq!(st["Faulted"], false);
        let doc = s.wait_json("/docs/Raven/Database/Compact/Status/Northwind", |v| {
            v["State"] == "Completed"
        });
        assert_eq!(
            doc["Messages"].as_array().unwrap().last().unwrap(),
            "Database compaction completed."
        );
        assert_eq!(user_docs(&s, "Northwind").len(), 300);
    }
}

#[test]
fn studio_static_files_and_redirect() {
    let dir = temp_dir("studio");
    std::fs::write(dir.join("index.html"), "<html>studio</html>").unwrap();
    std::fs::write(dir.join("app_bg.wasm"), [0u8, 97, 115, 109]).unwrap();
    std::fs::write(dir.join("app.js"), "export {}").unwrap();
    let s = Server::start(&[
        "--studio-dir",
        dir.to_str().unwrap(),
        "--anonymous-access",
        "None",
    ]);
    let r = s.get("/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("/studio/"));
    let r = s.get("/studio/");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "<html>studio</html>");
    assert_eq!(
        s.get("/studio/app_bg.wasm").content_type(),
        "application/wasm"
    );
    assert_eq!(s.get("/studio/app.js").content_type(), "text/javascript");
    assert_eq!(s.get("/studio/../Cargo.toml").status, 404);
    assert_eq!(s.get("/studio/missing.js").status, 404);
}

/// Issue 11 item 16: `make run` serves the dashboard from the devserver;
/// every asset kind carries the README's strict CSP plus frame-ancestors,
/// X-Frame-Options and nosniff, as nginx does in the README's example.
#[test]
fn studio_sends_csp_and_anti_framing_headers_on_every_asset_kind() {
    let dir = temp_dir("studio-headers");
    let files: [(&str, &[u8], &str); 6] = [
        (
            "index.html",
            b"<html>studio</html>",
            "text/html; charset=utf-8",
        ),
        ("app-0123456789abcdef.js", b"export {}", "text/javascript"),
        (
            "app-0123456789abcdef_bg.wasm",
            &[0, 97, 115, 109],
            "application/wasm",
        ),
        ("style-0123456789abcdef.css", b"body{}", "text/css"),
        ("config.json", b"{}", "application/json"),
        ("favicon.ico", &[0, 0, 1, 0], "image/x-icon"),
    ];
    for (name, bytes, _) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let s = Server::start(&["--studio-dir", dir.to_str().unwrap()]);
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'";
    let mut paths: Vec<(String, u16, &str)> = files
        .iter()
        .map(|(name, _, ct)| (format!("/studio/{name}"), 200, *ct))
        .collect();
    paths.push(("/studio/".into(), 200, "text/html; charset=utf-8"));
    paths.push((
        "/studio/missing.js".into(),
        404,
        "text/plain; charset=utf-8",
    ));
    for (path, status, ct) in &paths {
        for method in ["GET", "HEAD"] {
            let r = s.req(method, path, None);
            assert_eq!(r.status, *status, "{method} {path}");
            assert_eq!(r.content_type(), *ct, "{method} {path}");
            assert_eq!(
                r.header("Content-Security-Policy"),
                Some(csp),
                "{method} {path}"
            );
            assert_eq!(r.header("X-Frame-Options"), Some("DENY"), "{method} {path}");
            assert_eq!(
                r.header("X-Content-Type-Options"),
                Some("nosniff"),
                "{method} {path}"
            );
        }
    }
    // The API answers are RavenDB's own: no studio headers there.
    let r = s.get("/build/version");
    assert!(r.header("Content-Security-Policy").is_none());
}

#[test]
fn access_log_has_no_bodies() {
    let dir = temp_dir("alog");
    let log = dir.join("access.log");
    let s = Server::start(&["--demo", "--access-log", log.to_str().unwrap()]);
    s.put(
        "/databases/Northwind/docs/secret/1",
        r#"{"Password":"hunter2"}"#,
    )
    .assert_json(201);
    s.req_h(
        "GET",
        "/databases?x=1",
        None,
        &[("Authorization", "Bearer zzz-token")],
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("PUT /databases/Northwind/docs/secret/1 201 "),
        "{text}"
    );
    assert!(text.contains("GET /databases?x=1 200 "), "{text}");
    assert!(!text.contains("hunter2") && !text.contains("zzz-token"));
}

#[test]
fn help_mentions_test_tool() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_devserver"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NOT A DATABASE"));
    assert!(text.contains("--enable-control"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_devserver"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _: Value = json!(null);
}
