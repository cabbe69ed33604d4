//! Browser tests of the ways into "Verify by restoring" (issue 17): from a
//! finished backup's panel on the Backup screen, from its row in
//! Operations, and the scratch databases a drill left, listed in
//! Operations with a one-click delete. Against the drill's own devserver
//! (3.5, `DEVSERVER_DRILL_URL`, started by scripts/test.sh), in headless
//! Chromium; elements found by role and accessible name, the server
//! checked over its HTTP API.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{drill::*, *};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SCRATCH_KEY: &str = "raven-backup-studio.drill-scratch";
const VERIFIED_KEY: &str = "raven-backup-studio.drill-verified";
const OPERATIONS_KEY: &str = "raven-backup-studio.operations";

fn drill_server() -> String {
    let url: Option<&str> = option_env!("DEVSERVER_DRILL_URL");
    url.expect("DEVSERVER_DRILL_URL is not set at build time: run the browser tests with `make test`, which starts the devservers")
        .to_string()
}

/// A fresh server, and a browser that remembers nothing of it.
async fn fresh_server() -> String {
    let server = drill_server();
    control::reset(&server).await;
    for key in [SCRATCH_KEY, VERIFIED_KEY, OPERATIONS_KEY] {
        storage().remove_item(key).unwrap();
    }
    server
}

fn scratch_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| n.contains("-verify-"))
        .cloned()
        .collect()
}

/// Backs Northwind up into `folder` from the Backup screen and waits for
/// its success panel.
async fn back_up_on_the_backup_screen(app: &Mounted, folder: &str) {
    type_into(&by_role(app, "textbox", "Database"), "Northwind");
    wait_until("database list", 5000, || {
        text(app).contains("databases on the server")
    })
    .await;
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        folder,
    );
    wait_until("review of the request", 5000, || {
        query_role(app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(app, "button", "Start backup"));
    wait_for_page(app, "backup succeeded", 30_000, || {
        all_by_role(app, "region", "").into_iter().any(|r| {
            accessible_name(&r).starts_with("Backup of ") && text(&r).contains("Backup succeeded")
        })
    })
    .await;
}

fn entry_name(folder: &str) -> String {
    format!("Verify by restoring… the backup of Northwind at {folder}")
}

/// The Restore screen with the drill's confirmation open for `folder`,
/// and no restore asked of the server yet.
async fn confirmation_shows(app: &Mounted, server: &str, folder: &str) {
    wait_for_page(app, "the drill's confirmation", 5000, || {
        query_role(app, "alertdialog", "Confirm the verification").is_some()
    })
    .await;
    let confirm = text(&by_role(app, "alertdialog", "Confirm the verification"));
    assert!(
        confirm.contains(&format!(
            "Restore the backup at {folder} into a new scratch database Northwind-verify-"
        )) && confirm.contains("compare every document with Northwind")
            && confirm.contains("then hard-delete Northwind-verify-"),
        "{confirm}"
    );
    assert_eq!(
        value_of(&by_role(app, "textbox", "Backup folder on the server")),
        folder
    );
    assert_eq!(
        value_of(&by_role(
            app,
            "textbox",
            "Database the backup was taken from"
        )),
        "Northwind"
    );
    assert!(
        control::received(server, "/admin/restore").await.is_empty(),
        "nothing is sent before the admin agrees"
    );
}

#[wasm_bindgen_test]
async fn a_backup_finished_here_is_verified_from_its_result_panel() {
    let server = fresh_server().await;
    let app = open_on_35(&server, "#/backup").await;
    back_up_on_the_backup_screen(&app, "entry/panel").await;
    click(&by_role(&app, "button", &entry_name("entry/panel")));
    confirmation_shows(&app, &server, "entry/panel").await;
    click(&by_role(&app, "button", "Yes, verify"));
    wait_for_page(&app, "verification result", 60_000, || {
        query_role(&app, "region", "Verification result").is_some()
    })
    .await;
    let result = text(&by_role(&app, "region", "Verification result"));
    assert!(result.contains("Restorable: "), "{result}");
    assert!(result.contains("was hard-deleted"), "{result}");
    assert_eq!(control::received(&server, "/admin/restore").await.len(), 1);
    assert!(scratch_names(&database_names(&server).await).is_empty());

    // Operations says when the folder was last verified, in this browser.
    set_hash("#/operations");
    wait_for_page(&app, "verified folders", 5000, || {
        query_role(&app, "region", "Verified by restoring")
            .is_some_and(|r| text(&r).contains("entry/panel"))
    })
    .await;
    let verified = text(&by_role(&app, "region", "Verified by restoring"));
    assert!(
        verified.contains("entry/panel: last verified ") && verified.contains("Restorable: "),
        "{verified}"
    );
    assert!(query_role(&app, "region", "Scratch databases left by a verification").is_none());
}

#[wasm_bindgen_test]
async fn a_backup_row_in_operations_opens_the_drill_and_sends_nothing_until_agreed() {
    let server = fresh_server().await;
    let app = open_on_35(&server, "#/backup").await;
    back_up_on_the_backup_screen(&app, "entry/row").await;
    set_hash("#/operations");
    let name = entry_name("entry/row");
    // (The Backup screen's panel has the same button: wait for the row's.)
    wait_for_page(&app, "the row's Verify by restoring", 10_000, || {
        query_role(&app, "button", &name).is_some_and(|b| b.closest("tr").ok().flatten().is_some())
    })
    .await;
    // The row is the backup's own (a restore row offers no drill).
    let row = by_role(&app, "button", &name)
        .closest("tr")
        .unwrap()
        .unwrap();
    let row_text = text(&row);
    assert!(
        row_text.starts_with("Database backup") && row_text.contains("Northwind"),
        "{row_text}"
    );
    click(&by_role(&app, "button", &name));
    confirmation_shows(&app, &server, "entry/row").await;
    // Going back sends nothing either.
    click(&by_role(&app, "button", "Cancel"));
    wait_until("confirmation closed", 3000, || {
        query_role(&app, "alertdialog", "Confirm the verification").is_none()
    })
    .await;
    assert!(control::received(&server, "/admin/restore")
        .await
        .is_empty());
    assert!(scratch_names(&database_names(&server).await).is_empty());
}

#[wasm_bindgen_test]
async fn a_scratch_database_a_drill_could_not_delete_is_deleted_from_operations_in_one_click() {
    let server = fresh_server().await;
    back_up_northwind(&server, "entry/left").await;
    // The hard delete at the end of the drill fails once (the server's
    // own words), so the drill leaves its scratch database behind.
    control::fault(
        &server,
        json!({"method": "DELETE", "pathPrefix": "/admin/databases/", "status": 503,
               "contentType": "text/plain; charset=utf-8",
               "body": "Injected: the server is busy"}),
    )
    .await;
    let app = open_on_35(&server, "#/restore").await;
    verify_by_restoring(&app, "entry/left", "Northwind").await;
    let left = scratch_names(&database_names(&server).await);
    assert_eq!(left.len(), 1, "{left:?}");
    let scratch = left[0].clone();
    let result = text(&by_role(&app, "region", "Verification result"));
    assert!(result.contains(&scratch), "{result}");

    set_hash("#/operations");
    wait_for_page(&app, "left scratch database listed", 5000, || {
        query_role(&app, "region", "Scratch databases left by a verification").is_some()
    })
    .await;
    click(&by_role(&app, "button", &format!("Delete {scratch}")));
    wait_for_page(&app, "deleted", 10_000, || {
        text(&app).contains(&format!("{scratch} was hard-deleted."))
    })
    .await;
    assert!(scratch_names(&database_names(&server).await).is_empty());
    assert!(query_role(&app, "button", &format!("Delete {scratch}")).is_none());
    assert!(!storage()
        .get_item(SCRATCH_KEY)
        .unwrap()
        .unwrap_or_default()
        .contains(&scratch));
}
