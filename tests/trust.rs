//! Browser tests of the trust fixes (issue 11): secrets under any letter
//! case, fields that keep secrets away from spellcheck and autofill, and a
//! log download that yields the log. Headless Chromium against a real
//! devserver (3.5); elements are found by role and accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";

/// A fresh devserver state and the app on the Backup screen, connected.
async fn backup_screen() -> (Mounted, String) {
    let server = devserver_url(false);
    control::reset(&server).await;
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(SERVER_URL_KEY, &server)
        .unwrap();
    set_hash("#/backup");
    let app = mount_app();
    let status = by_role(&app, "status", "");
    wait_until("connected", 10_000, || {
        text(&status).contains("Connected: RavenDB 3.5")
    })
    .await;
    (app, server)
}

async fn choose_database(app: &Mounted, name: &str) {
    type_into(&by_role(app, "textbox", "Database"), name);
    wait_until("database list", 5000, || {
        text(app).contains("databases on the server")
    })
    .await;
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        &format!("ui/trust-{name}"),
    );
}

/// Opens the raw JSON editor of "Write a document as JSON".
async fn raw_editor(app: &Mounted) -> web_sys::Element {
    set_checked(&by_role(app, "radio", "Write a document as JSON"), true);
    wait_until("editor", 3000, || {
        query_role(app, "radio", "Raw JSON").is_some()
    })
    .await;
    set_checked(&by_role(app, "radio", "Raw JSON"), true);
    wait_until("raw editor", 3000, || {
        query_role(app, "textbox", "DatabaseDocument (JSON)").is_some()
    })
    .await;
    by_role(app, "textbox", "DatabaseDocument (JSON)")
}

fn review_part(app: &Mounted, label: &str) -> String {
    let review = by_role(app, "region", "Review the request");
    review
        .query_selector(&format!("pre[aria-label=\"{label}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {label} in the review"))
        .text_content()
        .unwrap_or_default()
}

fn progress(app: &Mounted) -> Option<web_sys::Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with("Backup of "))
}

async fn wait_for_outcome(app: &Mounted, outcome: &str) {
    wait_for_page(app, outcome, 30_000, || {
        progress(app).is_some_and(|p| text(&p).contains(outcome))
    })
    .await;
}

/// Issue 11 item 2, the issue's own reproduction: RavenDB binds
/// `securedSettings` to SecuredSettings, so the warning, the
/// acknowledgment, the masking and the strip must all see it.
#[wasm_bindgen_test]
async fn a_lower_case_secured_settings_is_warned_about_masked_and_stripped() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    let area = raw_editor(&app).await;
    type_into(
        &area,
        r#"{"Id":"Payroll","securedSettings":{"Raven/Encryption/Key":"X"}}"#,
    );
    wait_for_page(&app, "the secrets warning", 5000, || {
        query_role(
            &app,
            "alert",
            "This backup will contain 1 secret in plain text",
        )
        .is_some()
    })
    .await;
    let warning = by_role(&app, "alert", "This backup will contain 1 secret");
    assert!(
        text(&warning).contains("Raven/Encryption/Key"),
        "{}",
        text(&warning)
    );
    // The raw editor the admin typed in stays open, text kept.
    let area = by_role(&app, "textbox", "DatabaseDocument (JSON)");
    assert!(value_of(&area).contains("securedSettings"));

    // Nothing goes before the admin decides.
    click(&by_role(&app, "button", "Start backup"));
    wait_until("blocked message", 3000, || {
        text(&app).contains("The backup cannot start yet")
    })
    .await;

    // Acknowledged: the review and the curl command show it masked.
    set_checked(
        &by_role(
            &app,
            "checkbox",
            "I understand: 1 secret will be written in plain text into this backup",
        ),
        true,
    );
    wait_until("review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    let body: Value = serde_json::from_str(&review_part(&app, "Request body")).unwrap();
    let shown = &body["DatabaseDocument"];
    assert_eq!(
        shown["SecuredSettings"]["Raven/Encryption/Key"],
        json!("••••••••"),
        "{body}"
    );
    assert!(!body.to_string().contains(r#""X""#), "{body}");
    let curl = review_part(&app, "curl command");
    assert!(
        curl.contains(r#""Raven/Encryption/Key":"••••••••""#),
        "{curl}"
    );
    assert!(!curl.contains(r#""X""#), "{curl}");

    // Stripped when asked: the server gets no secret under any case.
    click(&by_role(
        &app,
        "button",
        "Strip secured settings from this backup",
    ));
    wait_until("strip note", 3000, || {
        query_role(&app, "region", "Secured settings will be stripped").is_some()
    })
    .await;
    let note = by_role(&app, "region", "Secured settings will be stripped");
    assert!(
        text(&note).contains("Without Raven/Encryption/Key the backup cannot be restored"),
        "{}",
        text(&note)
    );
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Payroll/admin/backup").await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let sent = bodies[0]["DatabaseDocument"].as_object().unwrap().clone();
    let secured: Vec<_> = sent
        .keys()
        .filter(|k| k.eq_ignore_ascii_case("SecuredSettings"))
        .collect();
    assert_eq!(secured, ["SecuredSettings"], "{sent:?}");
    assert_eq!(sent["SecuredSettings"], json!({}));
    assert!(!bodies[0].to_string().contains(r#""X""#), "{}", bodies[0]);
}

/// Issue 11 item 2: two keys RavenDB would merge are refused, and why.
#[wasm_bindgen_test]
async fn two_secured_settings_differing_in_case_are_refused_with_the_reason() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    let area = raw_editor(&app).await;
    type_into(
        &area,
        "{\"SecuredSettings\": {},\n \"SECUREDSETTINGS\": {\"Raven/AWSSecretKey\": \"aws\"}}",
    );
    wait_for_page(&app, "the refusal", 3000, || {
        text(&app).contains("\"SecuredSettings\" and \"SECUREDSETTINGS\"")
    })
    .await;
    assert!(
        text(&app).contains("without regard to case"),
        "{}",
        text(&app)
    );
    click(&by_role(&app, "button", "Start backup"));
    sleep(300).await;
    assert!(
        control::received(&server, "/databases/Northwind/admin/backup")
            .await
            .is_empty()
    );
}

fn assert_private(el: &web_sys::Element, what: &str) {
    assert_eq!(
        el.get_attribute("autocomplete").as_deref(),
        Some("off"),
        "{what}: autocomplete"
    );
    assert_eq!(
        el.get_attribute("spellcheck").as_deref(),
        Some("false"),
        "{what}: spellcheck"
    );
}

/// Issue 11 item 17: the fields that can hold decrypted secrets are never
/// sent to a spellcheck service or kept by autofill.
#[wasm_bindgen_test]
async fn fields_holding_secrets_have_no_spellcheck_and_no_autocomplete() {
    let (app, _server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    set_checked(
        &by_role(&app, "radio", "Load the stored document and edit it"),
        true,
    );
    wait_for_page(&app, "the stored document in the editor", 5000, || {
        query_role(&app, "textbox", "Value of Raven/Encryption/Key").is_some()
    })
    .await;
    let secured = by_role(&app, "region", "SecuredSettings");
    let values = all_by_role(&secured, "textbox", "Value of ");
    assert_eq!(values.len(), 3, "Payroll's three secured settings");
    for input in &values {
        assert_eq!(input.get_attribute("type").as_deref(), Some("password"));
        assert_private(input, &accessible_name(input));
    }
    let new_value = app
        .query_selector("#secured-new-value")
        .unwrap()
        .expect("the new secured value field");
    assert_private(&new_value, "new secured value");

    set_checked(&by_role(&app, "radio", "Raw JSON"), true);
    wait_until("raw lock", 3000, || {
        query_role(&app, "button", "Show the raw JSON, secrets included").is_some()
    })
    .await;
    click(&by_role(
        &app,
        "button",
        "Show the raw JSON, secrets included",
    ));
    wait_until("raw editor", 3000, || {
        query_role(&app, "textbox", "DatabaseDocument (JSON)").is_some()
    })
    .await;
    let area = by_role(&app, "textbox", "DatabaseDocument (JSON)");
    assert!(value_of(&area).contains("Raven/Encryption/Key"));
    assert_private(&area, "raw JSON editor");
}

/// Issue 11 item 20: the downloaded log is the log. The object URL the
/// download uses must outlive the click (the browser reads it after the
/// click's task); it is fetched here after the click returned.
#[wasm_bindgen_test]
async fn the_log_download_still_reads_after_the_click() {
    let (app, _server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    wait_until("review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;

    // Record the object URLs the page creates (the real function runs).
    js_sys::eval(
        "window.__objectUrls = []; window.__createObjectURL = URL.createObjectURL; \
         URL.createObjectURL = function (b) { const u = window.__createObjectURL.call(URL, b); \
         window.__objectUrls.push(u); return u; };",
    )
    .unwrap();
    click(&by_role(&app, "button", "Download the whole log"));
    sleep(50).await;
    js_sys::eval("URL.createObjectURL = window.__createObjectURL;").unwrap();
    let urls: js_sys::Array = js_sys::eval("window.__objectUrls")
        .unwrap()
        .unchecked_into();
    assert_eq!(urls.length(), 1, "one object URL for one download");
    let url = urls.get(0).as_string().unwrap();
    let log = match gloo_net::http::Request::get(&url).send().await {
        Ok(r) => r.text().await.unwrap(),
        Err(e) => panic!("the download's object URL was revoked during the click: {e}"),
    };
    // Every line the panel shows is in the file.
    let panel = progress(&app).unwrap();
    let lines = panel
        .query_selector_all("[aria-label=\"Messages from the server\"] .log-text")
        .unwrap();
    assert!(lines.length() >= 3, "{}", text(&panel));
    for i in 0..lines.length() {
        let line = lines.item(i).unwrap().text_content().unwrap_or_default();
        assert!(log.contains(&line), "{line:?} is in the file:\n{log}");
    }
    assert!(log.contains("Backing up indexes"), "{log}");
}

/// Issue 11 item 3: the time limit covers the whole answer. The devserver
/// sends the status line and headers, then holds the body back.
#[wasm_bindgen_test]
async fn a_stalled_body_is_a_timeout_within_the_limit() {
    use raven_backup_studio::api::{http::send, ApiError};
    let server = devserver_url(false);
    control::reset(&server).await;
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": "/build/version", "stallBodyMs": 20_000}),
    )
    .await;
    let started = js_sys::Date::now();
    let answer = send(
        gloo_net::http::Method::GET,
        &format!("{server}/build/version"),
        None,
        1000,
    )
    .await;
    let took = js_sys::Date::now() - started;
    assert!(
        matches!(answer, Err(ApiError::Timeout { after_ms: 1000, .. })),
        "{answer:?}"
    );
    assert!(
        took < 10_000.0,
        "ended after {took} ms, not when the body came"
    );
}

/// Issue 11 item 3: a start whose answer stalls after the headers ends in
/// a timeout said on screen, not in an endless "Starting…".
#[wasm_bindgen_test]
async fn a_start_whose_body_stalls_ends_in_a_timeout_error() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    wait_until("review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup",
               "stallBodyMs": 120_000}),
    )
    .await;
    click(&by_role(&app, "button", "Start backup"));
    // The default time limit is 15 s (no config.json here).
    wait_for_page(&app, "the timeout error", 40_000, || {
        text(&app).contains("did not answer within 15000 ms")
    })
    .await;
}

/// Issue 11 item 3: a status poll whose body stalls is retried after the
/// time limit, and the watch still ends in the truth.
#[wasm_bindgen_test]
async fn a_status_poll_whose_body_stalls_times_out_and_the_watch_ends() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    wait_until("review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": "/operation/status", "stallBodyMs": 120_000}),
    )
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "reconnecting after the timeout", 40_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("did not answer within 15000 ms"))
    })
    .await;
    wait_for_outcome(&app, "Backup succeeded").await;
}
