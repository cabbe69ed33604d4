//! Browser tests of "Verify by restoring" (issue 17) on the Restore screen
//! against a real devserver (3.5) of their own (`DEVSERVER_DRILL_URL`,
//! started by scripts/test.sh), in headless Chromium. Elements are found
//! by role and accessible name; the server is checked over its HTTP API.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::{drill::*, *};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn drill_server() -> String {
    let url: Option<&str> = option_env!("DEVSERVER_DRILL_URL");
    url.expect("DEVSERVER_DRILL_URL is not set at build time: run the browser tests with `make test`, which starts the devservers")
        .to_string()
}

/// A fresh server with a finished full backup of Northwind at `location`.
async fn server_with_backup(location: &str) -> String {
    let server = drill_server();
    control::reset(&server).await;
    storage().remove_item(SCRATCH_KEY).unwrap();
    back_up_northwind(&server, location).await;
    server
}

async fn restore_screen(server: &str) -> Mounted {
    open_on_35(server, "#/restore").await
}

/// The data documents of a database (the server's own `Raven/…` left out).
async fn data_documents(server: &str, db: &str) -> Vec<Value> {
    let mut docs = control::get(
        server,
        &format!("/databases/{db}/docs?start=0&pageSize=1024"),
    )
    .await
    .as_array()
    .cloned()
    .unwrap_or_default();
    docs.retain(|d| {
        !d["@metadata"]["@id"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .starts_with("raven/")
    });
    docs
}

/// Verifies the backup at `folder` of Northwind; checks the confirmation
/// names the scratch database; returns the result's text.
async fn verify(app: &Mounted, folder: &str) -> String {
    let (confirm, result) = verify_by_restoring(app, folder, "Northwind").await;
    assert!(
        confirm.contains(&format!(
            "Restore the backup at {folder} into a new scratch database Northwind-verify-"
        )) && confirm.contains("then hard-delete Northwind-verify-"),
        "{confirm}"
    );
    result
}

fn no_scratch(names: &[String]) -> bool {
    !names.iter().any(|n| n.contains("-verify-"))
}

#[wasm_bindgen_test]
async fn a_good_backup_is_restorable_and_the_scratch_database_is_gone() {
    let server = server_with_backup("dr/good").await;
    let count = data_documents(&server, "Northwind").await.len();
    assert!(count > 100, "the demo database has documents: {count}");
    let app = restore_screen(&server).await;
    let result = verify(&app, "dr/good").await;
    assert!(
        result.contains(&format!(
            "Restorable: {count} of {count} documents equal, 0 missing, 0 different, 0 changed since the backup; restore took "
        )),
        "{result}"
    );
    assert!(result.contains("was hard-deleted"), "{result}");
    assert!(no_scratch(&database_names(&server).await));
    // The restore really ran: the server was asked for it, into the scratch name.
    let asked = control::received(&server, "/admin/restore").await;
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(asked[0].to_string().contains("Northwind-verify-"));
    // Nothing is left to offer for deletion; the folder shows when it was verified.
    assert!(query_role(&app, "region", "Scratch databases left by a verification").is_none());
    assert!(
        text(&app).contains("Last verified in this browser:"),
        "{}",
        text(&app)
    );
    assert!(storage()
        .get_item(SCRATCH_KEY)
        .unwrap()
        .is_none_or(|t| !t.contains("-verify-")));
}

#[wasm_bindgen_test]
async fn a_document_changed_after_the_backup_is_reported_as_changed_not_as_an_error() {
    let server = server_with_backup("dr/changed").await;
    let docs = data_documents(&server, "Northwind").await;
    let count = docs.len();
    let mut changed = docs[0].clone();
    let id = changed["@metadata"]["@id"].as_str().unwrap().to_string();
    let obj = changed.as_object_mut().unwrap();
    obj.remove("@metadata");
    obj.insert("ChangedAfterTheBackup".into(), json!(true));
    let resp = gloo_net::http::Request::put(&format!("{server}/databases/Northwind/docs/{id}"))
        .header("Content-Type", "application/json")
        .body(changed.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "PUT answered {}", resp.status());
    let app = restore_screen(&server).await;
    let result = verify(&app, "dr/changed").await;
    let judged = count - 1;
    assert!(
        result.contains(&format!(
            "Restorable: {judged} of {judged} documents equal, 0 missing, 0 different, 1 changed since the backup"
        )),
        "{result}"
    );
    let region = by_role(&app, "region", "Verification result");
    assert!(query_role(&region, "heading", "Documents that differ").is_some());
    let items: Vec<String> = all_by_role(&region, "listitem", "")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        items,
        vec![format!("{id}: changed on the source since the backup")]
    );
    assert!(no_scratch(&database_names(&server).await));
}

#[wasm_bindgen_test]
async fn a_failing_restore_ends_in_the_servers_words_and_leaves_nothing() {
    let server = server_with_backup("dr/fails").await;
    control::fail_next(
        &server,
        "restore",
        2,
        "Injected: the backup file Raven.voron is damaged",
    )
    .await;
    let app = restore_screen(&server).await;
    let result = verify(&app, "dr/fails").await;
    assert!(
        result.contains("Not restorable: the restore failed"),
        "{result}"
    );
    assert!(
        result.contains("Injected: the backup file Raven.voron is damaged"),
        "{result}"
    );
    assert!(!result.contains("Restorable:"), "{result}");
    assert!(
        result.contains("was hard-deleted") || result.contains("was never created"),
        "{result}"
    );
    assert!(no_scratch(&database_names(&server).await));
}

#[wasm_bindgen_test]
async fn a_scratch_database_left_by_a_reload_is_offered_for_one_click_delete() {
    let server = drill_server();
    control::reset(&server).await;
    let name = "Northwind-verify-20261129-160200";
    // What a drill leaves when its tab is reloaded mid-way: the scratch
    // database on the server, its name remembered in this browser.
    let resp = gloo_net::http::Request::put(&format!("{server}/admin/databases/{name}"))
        .header("Content-Type", "application/json")
        .body(format!(
            r#"{{"Settings":{{"Raven/DataDir":"~/{name}"}},"SecuredSettings":{{}},"Disabled":false}}"#
        ))
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "PUT answered {}", resp.status());
    storage()
        .set_item(
            SCRATCH_KEY,
            &json!([{"server": server, "name": name, "since_ms": 1.0}]).to_string(),
        )
        .unwrap();
    let app = restore_screen(&server).await;
    wait_for_page(&app, "left scratch database offered", 5000, || {
        query_role(&app, "region", "Scratch databases left by a verification").is_some()
    })
    .await;
    click(&by_role(&app, "button", &format!("Delete {name}")));
    wait_for_page(&app, "deleted", 10_000, || {
        text(&app).contains(&format!("{name} was hard-deleted."))
    })
    .await;
    assert!(!database_names(&server).await.contains(&name.to_string()));
    assert!(query_role(&app, "button", &format!("Delete {name}")).is_none());
    assert!(!storage()
        .get_item(SCRATCH_KEY)
        .unwrap()
        .unwrap_or_default()
        .contains(name));
}
