//! Browser tests of the screens' states (src/pages/mod.rs): each is made
//! when its screen is first shown, at the app level, so what was typed and
//! what runs survive a visit to the other screens. Against a real
//! devserver (3.5), in headless Chromium; elements are found by role and
//! accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Follows the main navigation's link to `screen` and waits for its heading.
async fn go_to(app: &Mounted, screen: &str) {
    click(&by_role(
        &by_role(app, "navigation", "Main"),
        "link",
        screen,
    ));
    wait_for_page(app, screen, 5000, || {
        query_role(app, "heading", screen).is_some()
    })
    .await;
}

/// The panel of the operation followed whose name starts with `prefix`.
fn progress(app: &Mounted, prefix: &str) -> Option<web_sys::Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with(prefix))
}

async fn wait_for_progress(app: &Mounted, prefix: &str, words: &str, timeout_ms: u32) {
    wait_for_page(app, words, timeout_ms, || {
        progress(app, prefix).is_some_and(|p| text(&p).contains(words))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_running_backup_and_the_typed_restore_survive_navigation() {
    let server = devserver_url(false);
    control::reset(&server).await;
    // Slow steps: the backup still runs while the admin looks elsewhere.
    control::op_step(&server, 250).await;
    let app = open_on_35(&server, "#/backup").await;
    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    wait_until("database list", 5000, || {
        text(&app).contains("databases on the server")
    })
    .await;
    type_into(
        &by_role(&app, "textbox", "Backup folder on the server"),
        "nav/northwind",
    );
    wait_until("review of the request", 5000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_progress(&app, "Backup of ", "running", 10_000).await;

    // To Restore, where the admin types, and back.
    go_to(&app, "Restore").await;
    type_into(
        &by_role(&app, "textbox", "Backup folder on the server"),
        "nav/elsewhere",
    );
    type_into(&by_role(&app, "textbox", "New database name"), "Kept");
    go_to(&app, "Backup").await;
    assert_eq!(value_of(&by_role(&app, "textbox", "Database")), "Northwind");
    assert_eq!(
        value_of(&by_role(&app, "textbox", "Backup folder on the server")),
        "nav/northwind"
    );
    // The backup is still followed, to its end.
    wait_for_progress(&app, "Backup of ", "Backup succeeded", 30_000).await;

    go_to(&app, "Operations").await;
    go_to(&app, "Restore").await;
    assert_eq!(
        value_of(&by_role(&app, "textbox", "Backup folder on the server")),
        "nav/elsewhere"
    );
    assert_eq!(
        value_of(&by_role(&app, "textbox", "New database name")),
        "Kept"
    );
    // One backup was asked of the server, whatever the visits.
    let posts = control::received(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(posts.len(), 1, "{posts:?}");
}

#[wasm_bindgen_test]
async fn a_running_restore_survives_navigation() {
    let server = devserver_url(false);
    control::reset(&server).await;
    back_up_northwind(&server, "nav/restore").await;
    control::op_step(&server, 250).await;
    let app = open_on_35(&server, "#/restore").await;
    type_into(
        &by_role(&app, "textbox", "Backup folder on the server"),
        "nav/restore",
    );
    type_into(&by_role(&app, "textbox", "New database name"), "Navigated");
    click(&by_role(&app, "button", "Restore…"));
    wait_for_page(&app, "confirmation", 5000, || {
        query_role(&app, "alertdialog", "Confirm the restore").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Yes, restore"));
    wait_for_progress(&app, "Restore of ", "running", 10_000).await;

    go_to(&app, "Backup").await;
    go_to(&app, "Restore").await;
    // The same restore, still followed, to its end.
    wait_for_progress(&app, "Restore of ", "Restore succeeded", 30_000).await;
    let posts = control::received(&server, "/admin/restore").await;
    assert_eq!(posts.len(), 1, "{posts:?}");
}
