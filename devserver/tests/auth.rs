//! RavenDB 3.x authentication over real HTTP (docs/protocol/ravendb-3x.md
//! §11): the API-key exchange done by an honest client (tests/common/oauth.rs),
//! every refusal with its exact body and headers, token expiry, per-database
//! scope and single-use tokens.

mod common;
use common::oauth::{self, answer, get_challenge, post_api_key, sign_in};
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ADMIN: &str = "root/r00t-secret=<system>:admin,*:admin";
const SCOPED: &str = "ops/ops-secret=Northwind:admin,Orders2019:read";

fn locked(extra: &[&str]) -> Server {
    let mut args = vec![
        "--demo",
        "--anonymous-access",
        "None",
        "--api-key",
        ADMIN,
        "--api-key",
        SCOPED,
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

fn with_token(s: &Server, method: &str, path: &str, body: Option<&str>, bearer: &str) -> Resp {
    s.req_h(method, path, body, &[("Authorization", bearer)])
}

/// Asserts an empty-bodied bearer refusal and returns its `WWW-Authenticate`.
fn assert_bearer_refusal(r: &Resp, status: u16) -> String {
    r.assert_empty(status);
    assert_eq!(
        r.header("Access-Control-Expose-Headers"),
        Some("WWW-Authenticate, OAuth-Source")
    );
    assert!(r
        .header("OAuth-Source")
        .is_some_and(|o| o.starts_with("http://127.0.0.1:") && o.ends_with("/OAuth/API-Key")));
    r.header("WWW-Authenticate")
        .expect("WWW-Authenticate")
        .to_string()
}

/// Polls until `f` gives `Some` (10 s at most): a condition, not a sleep.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn challenge_shape_and_token_shape() {
    let s = locked(&[]);
    let c = get_challenge(&s);
    assert_eq!(c.exponent, "AQAB");
    let modulus = base64_len(&c.modulus);
    assert_eq!(modulus, 128, "a 1024-bit key like .NET's default");
    assert!(!c.challenge.is_empty());
    // Two challenges differ (fresh salt).
    assert_ne!(get_challenge(&s).challenge, c.challenge);

    let r = post_api_key(&s, &answer(&c, "root", "r00t-secret"));
    let v = r.assert_json(200);
    assert!(
        r.text().contains('\n'),
        "indented like 3.x: clients remove the line breaks"
    );
    let body: Value = serde_json::from_str(v["Body"].as_str().unwrap()).unwrap();
    assert_eq!(body["UserId"], "root");
    assert_eq!(
        body["AuthorizedDatabases"],
        json!([{"TenantId":"<system>","Admin":true,"ReadOnly":false},{"TenantId":"*","Admin":true,"ReadOnly":false}])
    );
    // Milliseconds since 0001-01-01: about 63.9e12 in 2026.
    let issued = body["Issued"].as_f64().unwrap();
    assert!(issued > 6.3e13 && issued < 6.6e13, "{issued}");
    assert!(v["Signature"].as_str().is_some_and(|s| !s.is_empty()));
}

fn base64_len(s: &str) -> usize {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap()
        .len()
}

#[test]
fn locked_server_refusals_without_a_token() {
    let s = locked(&["--cors-origin", "http://dash.example"]);
    // Has-Api-Key and no token: 412 (not 401), the exact Bearer challenge.
    let r = s.req_h("GET", "/databases", None, &[("Has-Api-Key", "True")]);
    let h = assert_bearer_refusal(&r, 412);
    assert_eq!(
        h,
        r#"Bearer realm="Raven", error="invalid_request",error_description="The access token is required""#
    );
    // No API key at all: Windows authentication is asked for.
    let r = s.get("/databases/Northwind/docs/companies/1");
    r.assert_empty(401);
    assert_eq!(r.header("Raven-Required-Auth"), Some("Windows"));
    assert!(r
        .header("OAuth-Source")
        .is_some_and(|o| o.ends_with("/OAuth/API-Key")));
    // ...and an admin route answers the admin gate's JSON.
    let v = s
        .post(
            "/databases/Northwind/admin/backup",
            r#"{"BackupLocation":"n"}"#,
        )
        .assert_json(401);
    assert_eq!(v["Error"], "The operation '/databases/Northwind/admin/backup' is only available to administrators, and could not find the user to authorize with");
    // Never secret: the version, the token endpoint; a pre-flight passes.
    s.get("/build/version").assert_json(200);
    let r = s.req_h(
        "OPTIONS",
        "/databases",
        None,
        &[
            ("Origin", "http://dash.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://dash.example")
    );
    // The challenge carries the expose header cross-origin too.
    let r = s.req_h(
        "GET",
        "/databases",
        None,
        &[("Has-Api-Key", "True"), ("Origin", "http://dash.example")],
    );
    assert_bearer_refusal(&r, 412);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://dash.example")
    );
}

#[test]
fn sign_in_then_back_up_and_who_am_i() {
    let s = locked(&[]);
    let bearer = sign_in(&s, "root", "r00t-secret");
    let v = with_token(
        &s,
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"nw"}"#),
        &bearer,
    )
    .assert_json(202);
    let id = v["OperationId"].as_u64().unwrap();
    let done = eventually("the backup", || {
        let v = with_token(
            &s,
            "GET",
            &format!("/operation/status?id={id}"),
            None,
            &bearer,
        )
        .assert_json(200);
        (v["Completed"] == true).then_some(v)
    });
    assert_eq!(done["Faulted"], false, "{done}");
    let v = with_token(&s, "GET", "/debug/user-info", None, &bearer).assert_json(200);
    assert_eq!(v["Remark"], "Using OAuth");
    assert_eq!(v["User"], "root");
    assert_eq!(v["IsAdminGlobal"], true);
    assert_eq!(v["AccessTokenBody"]["UserId"], "root");
}

#[test]
fn wrong_secret_unknown_and_disabled_keys() {
    let s = locked(&[]);
    let c = get_challenge(&s);
    let v = post_api_key(&s, &answer(&c, "root", "not-the-secret")).assert_json(401);
    assert_eq!(
        v,
        json!({"error":"unauthorized_client","error_description":"Invalid challenge response"})
    );
    let v = post_api_key(&s, &answer(&c, "nobody", "whatever")).assert_json(401);
    assert_eq!(
        v,
        json!({"error":"unauthorized_client","error_description":"Unknown API Key"})
    );

    // An administrator disables `ops` the way 3.x stores it: its document.
    let root = sign_in(&s, "root", "r00t-secret");
    let r = with_token(&s, "GET", "/docs/Raven/ApiKeys/ops", None, &root);
    let mut doc = r.assert_json(200);
    assert_eq!(doc["Name"], "ops");
    assert_eq!(doc["Enabled"], true);
    sign_in(&s, "ops", "ops-secret");
    doc["Enabled"] = json!(false);
    let r = with_token(
        &s,
        "PUT",
        "/docs/Raven/ApiKeys/ops",
        Some(&doc.to_string()),
        &root,
    );
    assert!(
        r.status == 201 || r.status == 200,
        "{} {}",
        r.status,
        r.text()
    );
    let v = post_api_key(&s, &answer(&get_challenge(&s), "ops", "ops-secret")).assert_json(401);
    assert_eq!(v["error_description"], "Unknown API Key");
}

#[test]
fn malformed_stale_and_oversized_requests() {
    let s = locked(&["--oauth-challenge-max-age-ms", "300"]);
    let c = get_challenge(&s);
    // No grant_type header.
    let v = s.post("/OAuth/API-Key", "").assert_json(400);
    assert_eq!(
        v,
        json!({"error":"unsupported_grant_type","error_description":"Only supported grant_type is client_credentials"})
    );
    // Over 1500 bytes.
    let big = "x".repeat(1501);
    let v = post_api_key(&s, &big).assert_json(400);
    assert_eq!(
        v,
        json!({"error":"invalid_request","error_description":"Content length should not be over 1500 bytes"})
    );
    // Malformed answers get a fresh challenge: garbage data, another key's modulus, no data.
    for bad in [
        format!(
            "exponent={},modulus={},data=bm90IGRhdGE=",
            c.exponent, c.modulus
        ),
        format!("exponent={},modulus=AAAA,data=x", c.exponent),
        "hello".to_string(),
    ] {
        let r = post_api_key(&s, &bad);
        assert_eq!(r.status, 412, "{bad}: {}", r.text());
        assert!(r
            .header("WWW-Authenticate")
            .unwrap()
            .starts_with("Raven  exponent="));
    }
    // A challenge from another server is not ours.
    let other = locked(&[]);
    let foreign = get_challenge(&other);
    let forged = oauth::Challenge {
        challenge: foreign.challenge,
        ..c.clone()
    };
    assert_eq!(
        post_api_key(&s, &answer(&forged, "root", "r00t-secret")).status,
        412
    );
    // Stale: the same good answer, once the challenge is older than 300 ms.
    let good = answer(&c, "root", "r00t-secret");
    let r = eventually("the challenge to go stale", || {
        let r = post_api_key(&s, &good);
        (r.status != 200).then_some(r)
    });
    assert_eq!(r.status, 412, "{}", r.text());
    assert!(r.body.is_empty());
    assert!(r
        .header("WWW-Authenticate")
        .unwrap()
        .starts_with("Raven  exponent="));
}

#[test]
fn expired_and_invalid_tokens() {
    let s = locked(&["--token-lifetime-ms", "1500"]);
    let bearer = sign_in(&s, "root", "r00t-secret");
    with_token(&s, "GET", "/databases", None, &bearer).assert_json(200);
    // Tampered: the signature no longer matches.
    let forged = bearer.replacen("root", "r00t", 1);
    assert_ne!(forged, bearer);
    let h = assert_bearer_refusal(&with_token(&s, "GET", "/databases", None, &forged), 401);
    assert_eq!(
        h,
        r#"Bearer realm="Raven", error="invalid_token",error_description="The access token is invalid""#
    );
    // The old `--admin-key` form is just an invalid token now.
    let r = with_token(&s, "GET", "/databases", None, "Bearer root/r00t-secret");
    assert_bearer_refusal(&r, 401);
    // Expired, then renewed by signing in again.
    let h = eventually("the token to expire", || {
        let r = with_token(&s, "GET", "/databases", None, &bearer);
        (r.status != 200).then(|| assert_bearer_refusal(&r, 401))
    });
    assert_eq!(
        h,
        r#"Bearer realm="Raven", error="invalid_token",error_description="The access token is expired""#
    );
    let fresh = sign_in(&s, "root", "r00t-secret");
    with_token(&s, "GET", "/databases", None, &fresh).assert_json(200);
}

#[test]
fn scope_per_database() {
    let s = locked(&[]);
    let ops = sign_in(&s, "ops", "ops-secret");
    // Admin of Northwind: backs it up.
    with_token(
        &s,
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"nw"}"#),
        &ops,
    )
    .assert_json(202);
    // Not named for Payroll at all: 403 insufficient_scope, empty body.
    let h = assert_bearer_refusal(
        &with_token(
            &s,
            "POST",
            "/databases/Payroll/admin/backup",
            Some(r#"{"BackupLocation":"p"}"#),
            &ops,
        ),
        403,
    );
    assert_eq!(
        h,
        r#"Bearer realm="Raven", error="insufficient_scope",error_description="Not authorized for read/write access for tenant Payroll""#
    );
    let h = assert_bearer_refusal(
        &with_token(&s, "GET", "/databases/Payroll/docs/x", None, &ops),
        403,
    );
    assert!(
        h.contains("error=\"insufficient_scope\"")
            && h.ends_with("\"Not authorized for tenant Payroll\""),
        "{h}"
    );
    // Read-only on Orders2019: reads pass, writes do not.
    let r = with_token(
        &s,
        "GET",
        "/databases/Orders2019/docs/Raven/Backup/Status",
        None,
        &ops,
    );
    assert_eq!(r.status, 404, "a read is allowed (the document is absent)");
    let h = assert_bearer_refusal(
        &with_token(
            &s,
            "POST",
            "/databases/Orders2019/admin/backup",
            Some(r#"{"BackupLocation":"o"}"#),
            &ops,
        ),
        403,
    );
    assert!(h.contains("insufficient_scope"));
    // The system database needs its own <system> entry.
    assert_bearer_refusal(
        &with_token(
            &s,
            "POST",
            "/admin/restore",
            Some(r#"{"BackupLocation":"nw"}"#),
            &ops,
        ),
        403,
    );
    // The database list and who-am-I are open to it, filtered to its databases.
    let v = with_token(&s, "GET", "/databases", None, &ops).assert_json(200);
    assert_eq!(v, json!(["Northwind", "Orders2019"]));
    let v = with_token(&s, "GET", "/debug/user-info", None, &ops).assert_json(200);
    assert_eq!(v["IsAdminGlobal"], false);
    assert_eq!(v["AdminDatabases"], json!(["Northwind"]));
    assert_eq!(v["ReadOnlyDatabases"], json!(["Orders2019"]));
}

#[test]
fn read_write_key_is_not_an_admin() {
    let s = Server::start(&[
        "--demo",
        "--anonymous-access",
        "None",
        "--api-key",
        "app/app-secret=Northwind:rw",
    ]);
    let app = sign_in(&s, "app", "app-secret");
    let r = with_token(
        &s,
        "PUT",
        "/databases/Northwind/docs/notes/1",
        Some(r#"{"A":1}"#),
        &app,
    );
    assert!(
        r.status == 201 || r.status == 200,
        "{} {}",
        r.status,
        r.text()
    );
    let v = with_token(
        &s,
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"n"}"#),
        &app,
    )
    .assert_json(401);
    assert_eq!(
        v["Error"],
        "The operation '/databases/Northwind/admin/backup' is only available to administrators"
    );
}

/// `/admin/databases/{db}` is a system-database route in 3.x: the route has
/// no `databaseName`, so both the token check and the admin check are about
/// `<system>`, whatever `{db}` says (docs/protocol/ravendb-3x.md §11.6).
#[test]
fn admin_databases_route_is_about_the_system_database() {
    let s = Server::start(&[
        "--demo",
        "--anonymous-access",
        "None",
        "--api-key",
        SCOPED,
        "--api-key",
        "dbadmin/db-secret=<system>:read,Northwind:admin",
        "--api-key",
        "sysrw/sys-secret=<system>:rw,Northwind:admin",
        "--api-key",
        "sysadmin/sa-secret=<system>:admin",
    ]);
    // A key scoped to its databases (no <system> entry) is refused by the
    // token check, even for the database it administers.
    let ops = sign_in(&s, "ops", "ops-secret");
    for (method, body) in [("GET", None), ("PUT", Some("{}"))] {
        let h = assert_bearer_refusal(
            &with_token(&s, method, "/admin/databases/Northwind", body, &ops),
            403,
        );
        assert!(
            h.contains("error=\"insufficient_scope\"") && h.contains("tenant <system>"),
            "{method}: {h}"
        );
    }
    // With a <system> entry the token check passes, but administering
    // Northwind does not make it a server administrator: the admin gate's 401.
    let path = "/admin/databases/Northwind";
    for (name, secret, method, body) in [
        ("dbadmin", "db-secret", "GET", None),
        ("sysrw", "sys-secret", "GET", None),
        ("sysrw", "sys-secret", "PUT", Some("{}")),
    ] {
        let t = sign_in(&s, name, secret);
        let v = with_token(&s, method, path, body, &t).assert_json(401);
        assert_eq!(
            v["Error"],
            format!("The operation '{path}' is only available to administrators"),
            "{name} {method}"
        );
    }
    // A server administrator reads it (and the document is the decrypted one).
    let sa = sign_in(&s, "sysadmin", "sa-secret");
    let v = with_token(&s, "GET", path, None, &sa).assert_json(200);
    assert_eq!(v["Id"], "Northwind");
    // The database's own admin routes stay open to its administrator.
    with_token(
        &s,
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"nw"}"#),
        &ops,
    )
    .assert_json(202);
}

#[test]
fn get_mode_reads_anonymously_and_writes_need_a_key() {
    let s = Server::start(&["--demo", "--anonymous-access", "Get", "--api-key", ADMIN]);
    // A read with Has-Api-Key and no token passes anonymously.
    s.req_h("GET", "/databases", None, &[("Has-Api-Key", "True")])
        .assert_json(200);
    // A write with Has-Api-Key and no token gets the 412.
    let r = s.req_h(
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"n"}"#),
        &[("Has-Api-Key", "True")],
    );
    assert_bearer_refusal(&r, 412);
    let root = sign_in(&s, "root", "r00t-secret");
    with_token(
        &s,
        "POST",
        "/databases/Northwind/admin/backup",
        Some(r#"{"BackupLocation":"n"}"#),
        &root,
    )
    .assert_json(202);
}

#[test]
fn single_use_tokens() {
    let s = locked(&["--single-use-token-ms", "60000"]);
    let ops = sign_in(&s, "ops", "ops-secret");
    let get_token = |path: &str| -> String {
        let r = with_token(&s, "GET", path, None, &ops);
        let v = r.assert_json(200);
        assert_eq!(r.header("Cache-Control"), Some("no-cache"));
        v["Token"].as_str().unwrap().to_string()
    };
    let t = get_token("/databases/Northwind/singleAuthToken");
    assert_eq!(t.len(), 36, "a GUID: {t}");
    // Used once through the query (no Authorization header at all)...
    s.get(&format!(
        "/databases/Northwind/docs/companies/1?singleUseAuthToken={t}"
    ))
    .assert_json(200);
    // ...and never again.
    let v = s
        .get(&format!(
            "/databases/Northwind/docs/companies/1?singleUseAuthToken={t}"
        ))
        .assert_json(403);
    assert_eq!(
        v,
        json!({"Error":"Unknown single use token, maybe it was already used?"})
    );
    // Through the header, on another resource.
    let t = get_token("/databases/Northwind/singleAuthToken");
    let v = s
        .req_h(
            "GET",
            "/databases/Orders2019/docs/x",
            None,
            &[("Single-Use-Auth-Token", &t)],
        )
        .assert_json(403);
    assert_eq!(
        v,
        json!({"Error":"This single use token cannot be used for this resource!"})
    );
    // A key without <system> cannot get one for the system database.
    assert_bearer_refusal(&with_token(&s, "GET", "/singleAuthToken", None, &ops), 403);
    let root = sign_in(&s, "root", "r00t-secret");
    let r = with_token(
        &s,
        "GET",
        "/singleAuthToken?CheckIfMachineAdmin=true",
        None,
        &root,
    );
    r.assert_json(200);
    let v = with_token(
        &s,
        "GET",
        "/databases/Northwind/singleAuthToken",
        None,
        &root,
    )
    .assert_json(200);
    assert!(v["Token"].is_string());

    // A read-write key asking for the machine-admin check is refused.
    let rw = Server::start(&[
        "--demo",
        "--anonymous-access",
        "None",
        "--api-key",
        "app/s=<system>:rw",
    ]);
    let app = sign_in(&rw, "app", "s");
    let v = with_token(
        &rw,
        "GET",
        "/singleAuthToken?CheckIfMachineAdmin=true",
        None,
        &app,
    )
    .assert_json(401);
    assert_eq!(v, json!({"Reason":"User is null or not authenticated"}));
}

#[test]
fn single_use_tokens_expire() {
    let s = locked(&["--single-use-token-ms", "200"]);
    let ops = sign_in(&s, "ops", "ops-secret");
    let t = with_token(
        &s,
        "GET",
        "/databases/Northwind/singleAuthToken",
        None,
        &ops,
    )
    .assert_json(200)["Token"]
        .as_str()
        .unwrap()
        .to_string();
    // The server made the token before this response arrived, so once
    // more than its lifetime has passed here, it is older than that there.
    let received = Instant::now();
    while received.elapsed() <= Duration::from_millis(200) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let v = s
        .get(&format!(
            "/databases/Northwind/docs/companies/1?singleUseAuthToken={t}"
        ))
        .assert_json(403);
    assert!(
        v["Error"]
            .as_str()
            .unwrap()
            .starts_with("This single use token has expired after "),
        "{v}"
    );
}

#[test]
fn flags_are_checked() {
    for bad in [
        vec!["--api-key", "ops"],
        vec!["--api-key", "ops/secret"],
        vec!["--api-key", "ops/secret=Northwind:owner"],
        vec!["--admin-key", "ops/secret"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_devserver"))
            .args(&bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
