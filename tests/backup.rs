//! Browser tests of the Backup screen against a real devserver (3.5),
//! in headless Chromium. Elements are found by role and accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh devserver state and the app mounted on the Backup screen,
/// connected to it.
async fn backup_screen() -> (Mounted, String) {
    let server = devserver_url(false);
    control::reset(&server).await;
    storage().set_item(SERVER_URL_KEY, &server).unwrap();
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
    // The list of databases arrives, then the stored document is read.
    wait_until("database list", 5000, || {
        text(app).contains("databases on the server")
    })
    .await;
}

fn set_location(app: &Mounted, location: &str) {
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        location,
    );
}

async fn wait_for_review(app: &Mounted) {
    wait_until("review of the request", 5000, || {
        query_role(app, "region", "Review the request").is_some()
    })
    .await;
}

fn progress(app: &Mounted) -> Option<web_sys::Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with("Backup of "))
}

async fn wait_for_outcome(app: &Mounted, outcome: &str) -> String {
    wait_for_page(app, outcome, 30_000, || {
        progress(app).is_some_and(|p| text(&p).contains(outcome))
    })
    .await;
    text(&progress(app).unwrap())
}

#[wasm_bindgen_test]
async fn full_then_incremental_backup_of_northwind_succeed_with_database_document() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/northwind");
    wait_for_review(&app).await;
    // No secrets in Northwind: no warning.
    assert!(query_role(&app, "alert", "secret").is_none());
    click(&by_role(&app, "button", "Start backup"));
    let done = wait_for_outcome(&app, "Backup succeeded").await;
    assert!(
        done.contains("The backup is in ui/northwind on the server"),
        "{done}"
    );
    assert!(
        done.contains("Backing up indexes"),
        "the live log shows the server's messages: {done}"
    );
    let files = control::backup_files(&server).await;
    assert!(
        files.contains(&"ui/northwind/Database.Document".to_string()),
        "{files:?}"
    );

    // Then an incremental backup into the same folder.
    set_checked(&by_role(&app, "radio", "Incremental backup"), true);
    wait_until("review says incremental", 3000, || {
        query_role(&app, "region", "Review the request")
            .is_some_and(|r| text(&r).contains("incremental=true"))
    })
    .await;
    click(&by_role(&app, "button", "Start backup"));
    // The panel now follows the incremental run, whose log names its Inc folder.
    wait_for_page(&app, "incremental run finished", 30_000, || {
        progress(&app)
            .is_some_and(|p| text(&p).contains("/Inc 20") && text(&p).contains("Backup succeeded"))
    })
    .await;
    let files = control::backup_files(&server).await;
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("ui/northwind/Inc ") && f.ends_with("/Database.Document")),
        "an Inc folder with its Database.Document: {files:?}"
    );
    // Two POSTs reached the server, each with a null DatabaseDocument.
    let bodies = control::received(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(bodies.iter().all(|b| b["DatabaseDocument"].is_null()));
}

#[wasm_bindgen_test]
async fn secrets_warning_blocks_until_acknowledged_and_names_every_key() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    set_location(&app, "ui/payroll");
    wait_until("warning", 5000, || {
        query_role(
            &app,
            "alert",
            "This backup will contain 3 secrets in plain text",
        )
        .is_some()
    })
    .await;
    let warning = by_role(&app, "alert", "This backup will contain 3 secrets");
    let words = text(&warning);
    for key in [
        "Raven/Encryption/Key",
        "Raven/AWSSecretKey",
        "Raven/Encryption/Algorithm",
    ] {
        assert!(words.contains(key), "{key} is named: {words}");
    }
    assert!(
        words.contains("the backup can be read without knowing the key"),
        "{words}"
    );

    // Blocked: pressing Start sends nothing and says why.
    click(&by_role(&app, "button", "Start backup"));
    wait_until("blocked message", 3000, || {
        text(&app).contains("The backup cannot start yet")
    })
    .await;
    sleep(300).await;
    assert!(
        control::received(&server, "/databases/Payroll/admin/backup")
            .await
            .is_empty()
    );

    set_checked(
        &by_role(
            &app,
            "checkbox",
            "I understand: 3 secrets will be written in plain text into this backup",
        ),
        true,
    );
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Payroll/admin/backup").await;
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0]["DatabaseDocument"].is_null());

    // No secret value reached storage or the URL.
    let (doc, _) = raven_backup_studio::api::client::Client::new(server.clone(), 10_000)
        .database_document("Payroll")
        .await
        .unwrap();
    assert_no_secret_stored(&doc.secured_settings.values().cloned().collect::<Vec<_>>());
}

fn assert_no_secret_stored(secrets: &[String]) {
    let window = web_sys::window().unwrap();
    let mut places = vec![window.location().href().unwrap()];
    for store in [
        window.local_storage().unwrap().unwrap(),
        window.session_storage().unwrap().unwrap(),
    ] {
        for i in 0..store.length().unwrap() {
            let key = store.key(i).unwrap().unwrap();
            places.push(format!(
                "{key}={}",
                store.get_item(&key).unwrap().unwrap_or_default()
            ));
        }
    }
    for secret in secrets.iter().filter(|s| s.len() > 3) {
        for place in &places {
            assert!(
                !place.contains(secret.as_str()),
                "a secret value was found in {place}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn no_warning_for_a_database_without_secrets() {
    let (app, _server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/quiet");
    wait_for_review(&app).await;
    assert!(
        query_role(&app, "alert", "").is_none(),
        "no alert at all: {}",
        text(&app)
    );
    assert!(!text(&app).contains("in plain text into this backup"));
}

#[wasm_bindgen_test]
async fn strip_sends_an_empty_secured_settings() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    set_location(&app, "ui/stripped");
    wait_until("warning", 5000, || {
        query_role(&app, "alert", "secrets in plain text").is_some()
    })
    .await;
    click(&by_role(
        &app,
        "button",
        "Strip secured settings from this backup",
    ));
    wait_until("strip note", 3000, || {
        query_role(&app, "region", "Secured settings will be stripped").is_some()
    })
    .await;
    // Stripping an encrypted database's key warns in turn.
    let note = by_role(&app, "region", "Secured settings will be stripped");
    assert!(
        text(&note).contains("Without Raven/Encryption/Key the backup cannot be restored"),
        "{}",
        text(&note)
    );
    wait_for_review(&app).await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Payroll/admin/backup").await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let doc = &bodies[0]["DatabaseDocument"];
    assert_eq!(doc["SecuredSettings"], json!({}));
    assert_eq!(doc["Settings"]["Raven/ActiveBundles"], json!("Encryption"));
}

#[wasm_bindgen_test]
async fn invalid_json_blocks_sending_shows_line_and_column_and_keeps_the_text() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/json");
    set_checked(&by_role(&app, "radio", "Write a document as JSON"), true);
    wait_until("editor", 3000, || {
        query_role(&app, "radio", "Raw JSON").is_some()
    })
    .await;
    set_checked(&by_role(&app, "radio", "Raw JSON"), true);
    wait_until("raw editor", 3000, || {
        query_role(&app, "textbox", "DatabaseDocument (JSON)").is_some()
    })
    .await;
    let area = by_role(&app, "textbox", "DatabaseDocument (JSON)");
    let broken = "{\n  \"Id\": \"Northwind\",\n  \"Settings\": {,}\n}";
    type_into(&area, broken);
    wait_until("json error", 3000, || {
        text(&app).contains("Invalid JSON at line 3, column 16")
    })
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_until("aria-invalid", 3000, || {
        area.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    sleep(300).await;
    assert!(
        control::received(&server, "/databases/Northwind/admin/backup")
            .await
            .is_empty()
    );
    assert_eq!(value_of(&area), broken, "the text is kept");
    // The description points at the error message.
    assert_eq!(
        area.get_attribute("aria-describedby").as_deref(),
        Some("doc-json-error")
    );

    // Fixed, it goes.
    type_into(
        &area,
        "{\n  \"Id\": \"Northwind\",\n  \"Settings\": {\"Raven/X\": \"1\"}\n}",
    );
    wait_until("error gone", 3000, || !text(&app).contains("Invalid JSON")).await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(
        bodies[0]["DatabaseDocument"]["Settings"],
        json!({"Raven/X": "1"})
    );
}

#[wasm_bindgen_test]
async fn a_double_click_starts_one_backup() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/double");
    wait_for_review(&app).await;
    let start = by_role(&app, "button", "Start backup");
    click(&start);
    click(&start);
    wait_for_outcome(&app, "Backup succeeded").await;
    let posts: Vec<Value> = control::requests(&server)
        .await
        .into_iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/admin/backup"))
        })
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
}

#[wasm_bindgen_test]
async fn an_injected_failure_ends_failed_in_the_servers_words() {
    let (app, server) = backup_screen().await;
    control::fail_next(&server, "backup", 2, "The disk is full (injected)").await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/failing");
    wait_for_review(&app).await;
    click(&by_role(&app, "button", "Start backup"));
    let done = wait_for_outcome(&app, "Backup failed").await;
    assert!(done.contains("The disk is full (injected)"), "{done}");
    assert!(!done.contains("Backup succeeded"));
    let alert = by_role(&app, "alert", "Failed");
    assert!(text(&alert).contains("The disk is full (injected)"));
}

#[wasm_bindgen_test]
async fn backup_already_running_is_said_plainly_and_can_be_attached() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/busy");
    wait_for_review(&app).await;
    // Another client starts a backup of the same database first.
    let first = gloo_net::http::Request::post(&format!(
        "{server}/databases/Northwind/admin/backup?incremental=false"
    ))
    .header("Content-Type", "application/json")
    .body(r#"{"BackupLocation":"ui/other","DatabaseDocument":null}"#)
    .unwrap()
    .send()
    .await
    .unwrap();
    assert_eq!(first.status(), 202);
    click(&by_role(&app, "button", "Start backup"));
    wait_until("already running", 5000, || {
        text(&app).contains("A backup of this database is already running")
    })
    .await;
    let words = text(&app);
    assert!(
        words.contains("Backup is already running"),
        "the server's words: {words}"
    );
    click(&by_role(&app, "button", "Attach to the running backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
}

/// Chooses "Load the stored document and edit it" and waits for `name`'s
/// document in the editor.
async fn edit_stored_document(app: &Mounted, name: &str) {
    set_checked(
        &by_role(app, "radio", "Load the stored document and edit it"),
        true,
    );
    wait_for_page(
        app,
        &format!("{name}'s document in the editor"),
        5000,
        || {
            web_sys::window()
                .unwrap()
                .document()
                .unwrap()
                .get_element_by_id("doc-id")
                .is_some_and(|el| value_of(&el) == name)
        },
    )
    .await;
}

fn review_text(app: &Mounted) -> String {
    query_role(app, "region", "Review the request")
        .map(|r| text(&r))
        .unwrap_or_default()
}

// Issue 11, item 14: the Disabled flag is a choice.
#[wasm_bindgen_test]
async fn the_disabled_flag_reads_as_a_choice() {
    let (app, _server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/disabled");
    edit_stored_document(&app, "Northwind").await;
    let flag = by_role(
        &app,
        "checkbox",
        "Start a database restored from this backup disabled",
    );
    set_checked(&flag, true);
    wait_until("the review says Disabled", 3000, || {
        review_text(&app).contains("\"Disabled\": true")
    })
    .await;
}

/// The text a person sees (closed disclosures and hidden parts left out).
fn shown_text(el: &web_sys::Element) -> String {
    el.unchecked_ref::<web_sys::HtmlElement>().inner_text()
}

// Issue 11, item 9: a refusal says the server's words once.
#[wasm_bindgen_test]
async fn a_refusal_says_the_servers_words_once() {
    let (app, server) = backup_screen().await;
    let words = "The backup destination is locked (injected)";
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup", "status": 500,
               "contentType": "application/json",
               "body": json!({"Error": format!("System.InvalidOperationException: {words}\r\n   at Raven.Database.Actions.MaintenanceActions.StartBackup()")}).to_string()}),
    )
    .await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/refused");
    wait_for_review(&app).await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "the refusal", 5000, || {
        query_role(&app, "region", "The server did not start the backup").is_some()
    })
    .await;
    let region = by_role(&app, "region", "The server did not start the backup");
    let shown = shown_text(&region);
    assert_eq!(shown.matches(words).count(), 1, "{shown}");
    assert!(shown.contains("The server said:"), "{shown}");
    assert!(!shown.contains("InvalidOperationException"), "{shown}");
    // The exception's type and stack stay behind "Details from the server".
    let details = region.query_selector("details").unwrap().unwrap();
    details.set_attribute("open", "").unwrap();
    assert!(shown_text(&region).contains("System.InvalidOperationException"));
}

// Issue 11, item 21: RavenDB 4.0/4.1's two-step review has unique ids.
#[wasm_bindgen_test]
async fn the_two_step_review_of_41_has_unique_ids() {
    let server = devserver_url(false);
    control::reset(&server).await;
    // The devserver answers as RavenDB 4.1 would (its other routes stay 3.x:
    // the tasks cannot be read, which this test does not need).
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": "/build/version", "status": 200, "count": 1000,
               "contentType": "application/json",
               "body": "{\"ProductVersion\":\"4.1\",\"BuildVersion\":41017,\"FullVersion\":\"4.1.4\"}"}),
    )
    .await;
    storage().set_item(SERVER_URL_KEY, &server).unwrap();
    set_hash("#/backup");
    let app = mount_app();
    wait_for_page(&app, "connected to 4.1", 10_000, || {
        query_role(&app, "status", "Connected: RavenDB 4.1").is_some()
    })
    .await;
    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    wait_for_page(&app, "the one-time form", 5000, || {
        query_role(&app, "textbox", "Backup folder on the server").is_some()
    })
    .await;
    type_into(
        &by_role(&app, "textbox", "Backup folder on the server"),
        "/var/backups",
    );
    wait_for_page(&app, "two reviews", 5000, || {
        all_by_role(&app, "region", "Review the request").len() == 2
    })
    .await;
    let all = app.query_selector_all("[id]").unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..all.length() {
        let el: web_sys::Element = all.item(i).unwrap().unchecked_into();
        assert!(ids.insert(el.id()), "id {} is used twice", el.id());
    }
    for region in all_by_role(&app, "region", "Review the request") {
        let title = region.get_attribute("aria-labelledby").unwrap();
        assert!(
            region
                .query_selector(&format!("#{title}"))
                .unwrap()
                .is_some(),
            "the review is named by its own heading"
        );
    }
    drop(app);
    control::reset(&server).await;
}

fn progress_name(app: &Mounted) -> Option<String> {
    progress(app).map(|p| accessible_name(&p))
}

// Issue 11, item 8: the previous run's result is marked as an earlier run
// once the form changes, and a new refusal replaces it.
#[wasm_bindgen_test]
async fn a_finished_run_is_an_earlier_run_once_the_form_changes_and_a_refusal_replaces_it() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/earlier");
    wait_for_review(&app).await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    assert!(!progress_name(&app).unwrap().contains("earlier run"));

    set_location(&app, "ui/earlier-2");
    wait_for_page(&app, "marked as an earlier run", 3000, || {
        progress_name(&app).is_some_and(|n| n.contains("an earlier run"))
    })
    .await;

    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup", "status": 500,
               "contentType": "application/json",
               "body": "{\"Error\":\"System.IO.IOException: The disk is full (injected)\"}"}),
    )
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "the refusal", 5000, || {
        query_role(&app, "region", "The server did not start the backup").is_some()
    })
    .await;
    assert!(
        progress(&app).is_none(),
        "no earlier result under the refusal: {}",
        text(&app)
    );
}

// Issue 11, item 8: "copied" is said only of the request that was copied.
#[wasm_bindgen_test]
async fn the_copied_note_goes_when_the_request_changes() {
    let (app, _server) = backup_screen().await;
    choose_database(&app, "Northwind").await;
    set_location(&app, "ui/curl-1");
    wait_for_review(&app).await;
    let review = by_role(&app, "region", "Review the request");
    click(&by_role(&review, "button", "Copy curl command"));
    // Headless, the browser may refuse the clipboard: the note says
    // which (never "copied" when it was not); either way it is about this
    // request only.
    wait_until("the copy's note", 3000, || {
        let t = review_text(&app);
        t.contains("The curl command was copied.") || t.contains("could not be copied")
    })
    .await;
    set_location(&app, "ui/curl-2");
    wait_until("the new request", 3000, || {
        review_text(&app).contains("ui/curl-2")
    })
    .await;
    let t = review_text(&app);
    assert!(
        !t.contains("was copied") && !t.contains("could not be copied"),
        "{t}"
    );
}

/// The element with this id on the page.
fn element(id: &str) -> web_sys::Element {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no element #{id}"))
}

// Issue 11, item 1: a change of target never carries the other database's
// document, nor the acknowledgment of its secrets.
#[wasm_bindgen_test]
async fn retyping_the_database_drops_the_other_databases_document_and_acknowledgment() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    set_location(&app, "ui/target-change");
    edit_stored_document(&app, "Payroll").await;
    wait_until("warning", 5000, || {
        query_role(&app, "alert", "This backup will contain 3 secrets").is_some()
    })
    .await;
    set_checked(
        &by_role(&app, "checkbox", "I understand: 3 secrets will be written"),
        true,
    );
    wait_until("the review names Payroll's document", 5000, || {
        review_text(&app)
            .contains("the stored document of database Payroll, loaded from the server")
    })
    .await;

    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    edit_stored_document(&app, "Northwind").await;
    assert!(
        query_role(&app, "alert", "secrets in plain text").is_none(),
        "no Payroll secrets: {}",
        text(&app)
    );
    wait_until("the review names Northwind's document", 5000, || {
        review_text(&app).contains("the stored document of database Northwind")
    })
    .await;
    assert!(
        !review_text(&app).contains("Payroll"),
        "{}",
        review_text(&app)
    );
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let doc = &bodies[0]["DatabaseDocument"];
    assert_eq!(doc["Id"], json!("Northwind"), "{doc}");
    let sent = bodies[0].to_string();
    for payroll in ["Payroll", "Raven/Encryption/Key", "Raven/AWSSecretKey"] {
        assert!(
            !sent.contains(payroll),
            "{payroll} went to Northwind: {sent}"
        );
    }

    // Back on Payroll, the acknowledgment has to be given again.
    type_into(&by_role(&app, "textbox", "Database"), "Payroll");
    edit_stored_document(&app, "Payroll").await;
    wait_until("warning again", 5000, || {
        query_role(&app, "alert", "This backup will contain 3 secrets").is_some()
    })
    .await;
    let ack = by_role(&app, "checkbox", "I understand: 3 secrets will be written");
    assert!(!ack.unchecked_ref::<web_sys::HtmlInputElement>().checked());
}

// Issue 11, item 1: edits are not thrown away unasked, and nothing is sent
// while the editor holds another database's document.
#[wasm_bindgen_test]
async fn edits_to_another_databases_document_are_dropped_only_when_the_admin_says_so() {
    let (app, server) = backup_screen().await;
    choose_database(&app, "Payroll").await;
    set_location(&app, "ui/target-edits");
    edit_stored_document(&app, "Payroll").await;
    wait_until("warning", 5000, || {
        query_role(&app, "alert", "This backup will contain 3 secrets").is_some()
    })
    .await;
    set_checked(
        &by_role(&app, "checkbox", "I understand: 3 secrets will be written"),
        true,
    );
    type_into(
        &by_role(&app, "textbox", "Value of Raven/DataDir"),
        "~/PayrollEdited",
    );
    wait_until("the edit is in the review", 5000, || {
        review_text(&app).contains("edited here")
    })
    .await;

    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    wait_for_page(&app, "the question", 5000, || {
        query_role(&app, "alertdialog", "Discard").is_some()
    })
    .await;
    assert_eq!(
        value_of(&element("doc-id")),
        "Payroll",
        "kept until answered"
    );
    // Nothing can be sent meanwhile.
    click(&by_role(&app, "button", "Start backup"));
    wait_until("blocked", 3000, || {
        text(&app).contains("The document in the editor belongs to database Payroll")
    })
    .await;
    sleep(300).await;
    assert!(
        control::received(&server, "/databases/Northwind/admin/backup")
            .await
            .is_empty()
    );

    // "Go back" keeps the edits with their database.
    let dialog = by_role(&app, "alertdialog", "Discard");
    click(&by_role(&dialog, "button", "Go back to database Payroll"));
    wait_until("back on Payroll", 3000, || {
        value_of(&by_role(&app, "textbox", "Database")) == "Payroll"
            && query_role(&app, "alertdialog", "Discard").is_none()
    })
    .await;
    assert_eq!(
        value_of(&by_role(&app, "textbox", "Value of Raven/DataDir")),
        "~/PayrollEdited"
    );

    // Asked again, the admin discards them: Northwind's own document is used.
    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    wait_for_page(&app, "the question again", 5000, || {
        query_role(&app, "alertdialog", "Discard").is_some()
    })
    .await;
    let dialog = by_role(&app, "alertdialog", "Discard");
    click(&by_role(&dialog, "button", "Discard"));
    edit_stored_document(&app, "Northwind").await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup succeeded").await;
    let bodies = control::received(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["DatabaseDocument"]["Id"], json!("Northwind"));
    assert!(!bodies[0].to_string().contains("PayrollEdited"));
}
