//! Browser tests of the Operations screen against the devservers (3.5 and
//! 3.0), in headless Chromium. Elements are found by role and accessible
//! name.
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::{
    api::{client::Client, poll::Watched},
    state::operations::{store as operations_store, RememberedOperation},
};
use serde_json::json;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";
const OPERATIONS_KEY: &str = "raven-backup-studio.operations";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh devserver and no remembered operations.
async fn fresh_server(v30: bool) -> (String, Client) {
    let server = devserver_url(v30);
    control::reset(&server).await;
    storage().set_item(SERVER_URL_KEY, &server).unwrap();
    storage().remove_item(OPERATIONS_KEY).unwrap();
    let client = Client::new(server.clone(), 10_000);
    (server, client)
}

/// The app mounted on the Operations screen, connected.
async fn operations_screen(version: &str) -> Mounted {
    set_hash("#/operations");
    let app = mount_app();
    let expected = format!("Connected: RavenDB {version}");
    wait_for_page(&app, &expected, 10_000, || {
        query_role(&app, "status", &expected).is_some()
    })
    .await;
    app
}

fn server_table(app: &Mounted) -> Option<Element> {
    query_role(app, "table", "Operations on the server")
}

/// The rows (implicit role "row") of a table whose text contains `needle`.
fn rows_with(table: &Element, needle: &str) -> Vec<String> {
    let rows = table.get_elements_by_tag_name("tr");
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|r| text(r.unchecked_ref()))
        .filter(|t| t.contains(needle))
        .collect()
}

async fn start_backup(client: &Client, location: &str) -> Option<i64> {
    client
        .start_operation(
            "/databases/Northwind/admin/backup?incremental=false",
            &json!({"BackupLocation": location, "DatabaseDocument": null}),
        )
        .await
        .unwrap()
        .operation_id
}

/// Waits until the backup of Northwind is over (3.5: its operation; 3.0:
/// its status document).
async fn wait_for_backup(client: &Client, id: Option<i64>) {
    let start = js_sys::Date::now();
    loop {
        let done = match id {
            Some(id) => client.operation_status(id).await.unwrap().is_terminal(),
            None => client
                .backup_status(Some("Northwind"))
                .await
                .unwrap()
                .is_some_and(|s| !s.is_running && s.completed.is_some()),
        };
        if done {
            return;
        }
        assert!(js_sys::Date::now() - start < 30_000.0, "backup never ended");
        sleep(100).await;
    }
}

#[wasm_bindgen_test]
async fn the_list_shows_a_backup_and_a_restore_with_kind_and_description() {
    let (server, client) = fresh_server(false).await;
    let app = operations_screen("3.5").await;
    wait_for_page(&app, "the empty list", 5000, || {
        text(&app).contains("No operations on the server right now")
    })
    .await;

    control::op_step(&server, 300).await;
    let backup_id = start_backup(&client, "ops/list").await.unwrap();
    wait_for_backup(&client, Some(backup_id)).await;
    let restore = client
        .start_operation(
            "/admin/restore",
            &json!({"BackupLocation": "ops/list", "DatabaseName": "NorthwindCopy"}),
        )
        .await
        .unwrap();
    let restore_id = restore.operation_id.unwrap();

    // The screen reads the list again by itself.
    wait_for_page(&app, "both operations listed", 8000, || {
        server_table(&app).is_some_and(|t| {
            !rows_with(&t, "Database backup").is_empty()
                && !rows_with(&t, "Database restore").is_empty()
        })
    })
    .await;
    let table = server_table(&app).unwrap();
    let backup = rows_with(&table, "Database backup");
    assert_eq!(backup.len(), 1, "{backup:?}");
    assert!(backup[0].starts_with(&backup_id.to_string()), "{backup:?}");
    assert!(backup[0].contains("Backup to: ops/list"), "{backup:?}");
    assert!(backup[0].contains("Succeeded"), "{backup:?}");
    assert!(
        backup[0].contains(" s ago)"),
        "start time and age: {backup:?}"
    );
    let restore = rows_with(&table, "Database restore");
    assert_eq!(restore.len(), 1, "{restore:?}");
    assert!(
        restore[0].starts_with(&restore_id.to_string()),
        "{restore:?}"
    );
    assert!(
        restore[0].contains("Restoring database NorthwindCopy from ops/list"),
        "{restore:?}"
    );
    // A restore cannot be canceled, and the finished backup no longer can.
    assert!(query_role(&app, "button", "Cancel operation").is_none());
    let status = by_role(&app, "status", "Updated ");
    assert!(text(&status).contains("2 operations"), "{}", text(&status));
    // The manual refresh works too.
    click(&by_role(&app, "button", "Refresh now"));
    wait_for_page(&app, "the restore finished", 15_000, || {
        server_table(&app).is_some_and(|t| {
            rows_with(&t, "Database restore")
                .iter()
                .any(|r| r.contains("Succeeded"))
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_remembered_backup_can_be_followed_to_its_end() {
    let (server, client) = fresh_server(false).await;
    let started_ms = js_sys::Date::now();
    let id = start_backup(&client, "ops/remembered").await;
    assert!(id.is_some());
    operations_store::remember(RememberedOperation::new(
        &Watched::DatabaseBackup {
            database: Some("Northwind".into()),
        },
        id,
        client.base(),
        started_ms,
    ));
    // One from another server.
    operations_store::remember(RememberedOperation::new(
        &Watched::DatabaseRestore {
            database: "Elsewhere".into(),
        },
        Some(1),
        "http://127.0.0.1:9",
        started_ms,
    ));
    let app = operations_screen("3.5").await;
    let local = by_role(&app, "region", "Started from this browser");
    // One from another server is listed under that server, not this one's.
    let here = by_role(&local, "table", "started from this browser, newest first");
    assert!(!text(&here).contains("Elsewhere"), "{}", text(&here));
    let there = by_role(&local, "table", "on http://127.0.0.1:9");
    assert!(text(&there).contains("Elsewhere"), "{}", text(&there));
    let follow = by_role(&app, "button", "Follow database backup of Northwind");
    click(&follow);
    wait_for_page(&app, "Backup succeeded", 30_000, || {
        query_role(&app, "region", "Backup of database Northwind")
            .is_some_and(|p| text(&p).contains("Backup succeeded"))
    })
    .await;
    // The outcome is remembered and shown.
    wait_for_page(&app, "outcome recorded", 3000, || {
        operations_store::list()
            .iter()
            .any(|o| o.outcome.as_deref() == Some("succeeded"))
    })
    .await;
    wait_for_page(&app, "outcome shown", 3000, || {
        query_role(&app, "table", "started from this browser").is_some_and(|t| {
            rows_with(&t, "Northwind")
                .iter()
                .any(|r| r.contains("succeeded"))
        })
    })
    .await;
    assert!(control::backup_files(&server)
        .await
        .contains(&"ops/remembered/Database.Document".to_string()));
}

#[wasm_bindgen_test]
async fn a_running_backup_can_be_canceled_on_35_and_the_server_says_so() {
    let (server, client) = fresh_server(false).await;
    control::op_step(&server, 500).await;
    let id = start_backup(&client, "ops/kill").await.unwrap();
    let app = operations_screen("3.5").await;
    let name = format!("Cancel operation {id}");
    wait_for_page(&app, &name, 8000, || {
        query_role(&app, "button", &name).is_some()
    })
    .await;
    click(&by_role(&app, "button", &name));
    wait_for_page(&app, "the confirmation", 3000, || {
        query_role(&app, "alertdialog", &name).is_some()
    })
    .await;
    let dialog = by_role(&app, "alertdialog", &name);
    // "No" keeps it running.
    click(&by_role(&dialog, "button", "No"));
    wait_for_page(&app, "confirmation closed", 3000, || {
        query_role(&app, "alertdialog", "").is_none()
    })
    .await;
    assert!(!client.operation_status(id).await.unwrap().is_terminal());

    click(&by_role(&app, "button", &name));
    wait_for_page(&app, "the confirmation", 3000, || {
        query_role(&app, "alertdialog", &name).is_some()
    })
    .await;
    let dialog = by_role(&app, "alertdialog", &name);
    click(&by_role(&dialog, "button", "Yes, cancel it"));
    wait_for_page(&app, "the server's report", 10_000, || {
        query_role(&app, "status", "The server reports: canceled").is_some()
    })
    .await;
    wait_for_page(&app, "the row says canceled", 10_000, || {
        server_table(&app).is_some_and(|t| {
            rows_with(&t, "Backup to: ops/kill")
                .iter()
                .any(|r| r.contains("Canceled"))
        })
    })
    .await;
    assert!(query_role(&app, "button", &name).is_none());
    // The server agrees: the operation and the backup status say canceled.
    assert!(client.operation_status(id).await.unwrap().is_canceled());
    let status = client
        .backup_status(Some("Northwind"))
        .await
        .unwrap()
        .unwrap();
    assert!(!status.is_running);
    assert!(
        status
            .messages
            .iter()
            .any(|m| m.message.to_lowercase().contains("canceled")),
        "{:?}",
        status.messages
    );
    let kills: Vec<_> = control::requests(&server)
        .await
        .into_iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/operation/kill"))
        })
        .collect();
    assert_eq!(kills.len(), 1, "one kill request: {kills:?}");
    assert_eq!(kills[0]["method"], "GET");
}

#[wasm_bindgen_test]
async fn no_cancel_button_against_30() {
    let (server, client) = fresh_server(true).await;
    // A 3.0 backup is no operation; a restore is.
    let id = start_backup(&client, "ops/old").await;
    assert_eq!(id, None);
    wait_for_backup(&client, None).await;
    control::op_step(&server, 400).await;
    let app = operations_screen("3.0").await;
    client
        .start_operation(
            "/admin/restore",
            &json!({"BackupLocation": "ops/old", "DatabaseName": "OldCopy"}),
        )
        .await
        .unwrap();
    wait_for_page(&app, "the running restore", 8000, || {
        server_table(&app).is_some_and(|t| {
            rows_with(&t, "Restoring database OldCopy from ops/old")
                .iter()
                .any(|r| r.contains("Database restore") && r.contains("Running"))
        })
    })
    .await;
    assert!(query_role(&app, "button", "Cancel").is_none());
    assert!(query_role(&app, "alertdialog", "").is_none());
}
