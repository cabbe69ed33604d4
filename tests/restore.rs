//! Browser tests of the Restore screen against a real devserver (3.5), in
//! headless Chromium. Elements are found by role and accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::api::client::Client;
use serde_json::{json, Value};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh server with a finished full backup of Northwind at `location`.
async fn server_with_backup(location: &str) -> String {
    let server = devserver_url(false);
    control::reset(&server).await;
    back_up_northwind(&server, location).await;
    server
}

async fn restore_screen(server: &str) -> Mounted {
    open_on_35(server, "#/restore").await
}

fn fill(app: &Mounted, location: &str, name: &str) {
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        location,
    );
    type_into(&by_role(app, "textbox", "New database name"), name);
}

fn progress(app: &Mounted) -> Option<web_sys::Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with("Restore of "))
}

async fn confirm_and_start(app: &Mounted) {
    click(&by_role(app, "button", "Restore…"));
    wait_for_page(app, "confirmation", 5000, || {
        query_role(app, "alertdialog", "Confirm the restore").is_some()
    })
    .await;
    click(&by_role(app, "button", "Yes, restore"));
}

async fn documents(server: &str, db: &str) -> Vec<Value> {
    let mut docs = control::get(
        server,
        &format!("/databases/{db}/docs?start=0&pageSize=10000"),
    )
    .await
    .as_array()
    .cloned()
    .unwrap_or_default();
    // System documents (Raven/…, such as the backup status) are the
    // server's own bookkeeping, not data.
    docs.retain(|d| {
        !d["@metadata"]["@id"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Raven/")
    });
    for d in docs.iter_mut() {
        // Metadata (etags, dates) differs by nature; the documents must not.
        if let Some(obj) = d.as_object_mut() {
            let id = obj.get("@metadata").and_then(|m| m.get("@id")).cloned();
            obj.remove("@metadata");
            obj.insert("__id".into(), id.unwrap_or(Value::Null));
        }
    }
    docs.sort_by_key(|d| d["__id"].to_string());
    docs
}

#[wasm_bindgen_test]
async fn restore_into_a_new_name_gives_the_same_documents() {
    let server = server_with_backup("rs/northwind").await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/northwind", "NorthwindCopy");
    wait_for_page(&app, "review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Restore…"));
    wait_for_page(&app, "confirmation", 5000, || {
        query_role(&app, "alertdialog", "Confirm the restore").is_some()
    })
    .await;
    let confirm = by_role(&app, "alertdialog", "Confirm the restore");
    assert!(
        text(&confirm).contains("Restore backup at rs/northwind into a new database NorthwindCopy"),
        "{}",
        text(&confirm)
    );
    // Issue 11, item 13: the sentence ends with one full stop.
    let sentence = text(&document_by_id("confirm-text"));
    assert_eq!(
        sentence,
        "Restore backup at rs/northwind into a new database NorthwindCopy at the server's default folder (~/NorthwindCopy)."
    );
    click(&by_role(&app, "button", "Yes, restore"));
    wait_for_page(&app, "restore succeeded", 30_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("Restore succeeded"))
    })
    .await;
    let done = text(&progress(&app).unwrap());
    assert!(
        done.contains("The new database was created"),
        "the server's messages are shown: {done}"
    );
    // A link opens the Backup screen on the new database.
    let link = by_role(&app, "link", "Back up NorthwindCopy now");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("#/backup?db=NorthwindCopy")
    );

    let source = documents(&server, "Northwind").await;
    let copy = documents(&server, "NorthwindCopy").await;
    assert!(
        source.len() > 100,
        "the demo database has documents: {}",
        source.len()
    );
    assert_eq!(source.len(), copy.len());
    assert!(source == copy, "every restored document equals its source");
}

#[wasm_bindgen_test]
async fn an_existing_name_is_refused_before_the_post() {
    let server = server_with_backup("rs/existing").await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/existing", "northwind");
    // The list of databases arrives; the name is checked against it: once
    // it is, the request is no longer offered for review (every other field
    // is valid), whenever the list arrived.
    wait_for_page(&app, "the list read and the name checked", 5000, || {
        query_role(&app, "region", "Review the request").is_none()
    })
    .await;
    click(&by_role(&app, "button", "Restore…"));
    let name = by_role(&app, "textbox", "New database name");
    wait_for_page(&app, "name refused", 5000, || {
        name.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    let described = name.get_attribute("aria-describedby").unwrap();
    let error_id = described
        .split_whitespace()
        .find(|id| id.ends_with("-error"))
        .unwrap();
    let message = text(&document_by_id(error_id));
    assert!(
        message.contains("already exists on the server"),
        "{message}"
    );
    assert!(query_role(&app, "alertdialog", "Confirm the restore").is_none());
    sleep(200).await;
    assert!(control::received(&server, "/admin/restore")
        .await
        .is_empty());
}

fn document_by_id(id: &str) -> web_sys::Element {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id(id)
        .unwrap()
}

#[wasm_bindgen_test]
async fn required_fields_and_bad_names_are_marked_invalid() {
    let server = devserver_url(false);
    control::reset(&server).await;
    let app = restore_screen(&server).await;
    type_into(
        &by_role(&app, "textbox", "New database name"),
        "<script>alert(1)</script>",
    );
    click(&by_role(&app, "button", "Restore…"));
    let location = by_role(&app, "textbox", "Backup folder on the server");
    wait_for_page(&app, "invalid fields", 5000, || {
        location.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    let name = by_role(&app, "textbox", "New database name");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let words = text(&app);
    assert!(words.contains("Enter the backup folder"), "{words}");
    // What was typed is kept, as text (nothing was injected).
    assert_eq!(value_of(&name), "<script>alert(1)</script>");
    assert!(app.query_selector("main script").unwrap().is_none());
    // Focus went to the first invalid field.
    wait_for_page(&app, "focus on the first invalid field", 3000, || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
            .is_some_and(|a| a.is_same_node(Some(&location)))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_name_taken_after_the_check_is_refused_right_before_the_post() {
    let server = server_with_backup("rs/race").await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/race", "CreatedMeanwhile");
    wait_for_page(&app, "review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    // Someone creates that database after the screen read the list.
    let resp = gloo_net::http::Request::put(&format!("{server}/admin/databases/createdmeanwhile"))
        .header("Content-Type", "application/json")
        .body(r#"{"Settings":{"Raven/DataDir":"~/createdmeanwhile"},"SecuredSettings":{},"Disabled":false}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok());
    confirm_and_start(&app).await;
    wait_for_page(&app, "refusal", 5000, || {
        query_role(&app, "region", "The server did not start the restore").is_some()
    })
    .await;
    let region = by_role(&app, "region", "The server did not start the restore");
    assert!(
        text(&region).contains(
            "Nothing was sent: a database named \"createdmeanwhile\" exists on the server now"
        ),
        "{}",
        text(&region)
    );
    assert!(
        text(&region).contains("Choose another name"),
        "{}",
        text(&region)
    );
    // No restore was asked of the server; the form keeps what was typed.
    assert!(control::received(&server, "/admin/restore")
        .await
        .is_empty());
    assert_eq!(
        value_of(&by_role(&app, "textbox", "New database name")),
        "CreatedMeanwhile"
    );
}

#[wasm_bindgen_test]
async fn a_plain_text_400_is_shown_in_the_servers_words() {
    let server = server_with_backup("rs/plain400").await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/plain400", "Refused400");
    wait_for_page(&app, "review", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    // The restore is refused in plain text, as 3.x refuses an existing name
    // (docs/protocol/ravendb-3x.md §5.3).
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/admin/restore", "status": 400,
               "contentType": "text/plain; charset=utf-8",
               "body": "Cannot do an online restore for an existing database, delete the database Refused400 and restore again."}),
    )
    .await;
    confirm_and_start(&app).await;
    wait_for_page(&app, "server refusal", 5000, || {
        query_role(&app, "region", "The server did not start the restore").is_some()
    })
    .await;
    let region = by_role(&app, "region", "The server did not start the restore");
    assert!(
        text(&region).contains("Cannot do an online restore for an existing database, delete the database Refused400 and restore again."),
        "{}",
        text(&region)
    );
    // The form keeps what was typed.
    assert_eq!(
        value_of(&by_role(&app, "textbox", "New database name")),
        "Refused400"
    );
}

#[wasm_bindgen_test]
async fn another_restore_in_progress_is_said_and_can_be_followed() {
    let server = server_with_backup("rs/busy").await;
    control::op_step(&server, 300).await;
    let first = Client::new(server.clone(), 10_000)
        .start_operation(
            "/admin/restore?defrag=false",
            &json!({"BackupLocation": "rs/busy", "DatabaseName": "FirstRestore"}),
        )
        .await
        .unwrap();
    assert!(first.operation_id.is_some());
    let app = restore_screen(&server).await;
    // The screen sees the lock on arrival.
    wait_for_page(&app, "in-progress notice", 5000, || {
        query_role(&app, "region", "Another restore is in progress").is_some()
    })
    .await;
    fill(&app, "rs/busy", "SecondRestore");
    confirm_and_start(&app).await;
    wait_for_page(&app, "503 shown", 5000, || {
        query_role(&app, "region", "The server did not start the restore").is_some()
    })
    .await;
    let region = by_role(&app, "region", "The server did not start the restore");
    assert!(
        text(&region).contains("Another restore is in progress (resource name = FirstRestore)"),
        "{}",
        text(&region)
    );
    click(&by_role(
        &app,
        "button",
        "Follow the other restore's live log",
    ));
    wait_for_page(&app, "other restore finished", 30_000, || {
        progress(&app).is_some_and(|p| {
            accessible_name(&p).contains("FirstRestore") && text(&p).contains("Restore succeeded")
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_failed_restore_with_empty_state_shows_failed_and_the_reason() {
    let server = server_with_backup("rs/fails").await;
    control::fail_next(
        &server,
        "restore",
        2,
        "Injected: the target disk is read-only",
    )
    .await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/fails", "NeverThere");
    confirm_and_start(&app).await;
    wait_for_page(&app, "restore failed", 30_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("Restore failed"))
    })
    .await;
    let alert = by_role(&app, "alert", "Failed");
    assert!(
        text(&alert).contains("Injected: the target disk is read-only"),
        "{}",
        text(&alert)
    );
    assert!(!text(&progress(&app).unwrap()).contains("Restore succeeded"));
}

#[wasm_bindgen_test]
async fn a_reload_mid_restore_reattaches_and_finishes() {
    let server = server_with_backup("rs/reload").await;
    control::op_step(&server, 250).await;
    let app = restore_screen(&server).await;
    fill(&app, "rs/reload", "AfterReload");
    confirm_and_start(&app).await;
    wait_for_page(&app, "restore running", 10_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("running"))
    })
    .await;
    // The page goes away mid-restore (a reload)...
    drop(app);
    // ...and comes back: it finds the restore and follows it to the end.
    let app = restore_screen(&server).await;
    wait_for_page(&app, "in-progress notice", 5000, || {
        query_role(&app, "region", "Another restore is in progress").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Follow its live log"));
    wait_for_page(&app, "finished after reload", 30_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("Restore succeeded"))
    })
    .await;
    let names: Vec<String> = Client::new(server.clone(), 10_000)
        .list_databases()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert!(names.contains(&"AfterReload".to_string()));
}
