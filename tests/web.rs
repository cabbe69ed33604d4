//! Browser tests of the app shell, in headless Chromium
//! (wasm-bindgen-test). Elements are found by role and accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn navigation_renders_the_three_screens() {
    set_hash("");
    let root = mount_app();
    let nav = by_role(&root, "navigation", "Main");
    for name in ["Backup", "Restore", "Operations"] {
        by_role(&nav, "link", name);
    }
    assert_eq!(all_by_role(&nav, "link", "").len(), 3);
    let backup = by_role(&nav, "link", "Backup");
    assert_eq!(
        backup.get_attribute("aria-current").as_deref(),
        Some("page")
    );
    by_role(&root, "heading", "Backup");
    // A skip link leads past the header for keyboard users.
    by_role(&root, "link", "Skip to content");
}

#[wasm_bindgen_test]
async fn switching_screens_follows_the_links() {
    set_hash("");
    let root = mount_app();
    let nav = by_role(&root, "navigation", "Main");

    click(&by_role(&nav, "link", "Restore"));
    wait_until("Restore heading", 3000, || {
        query_role(&root, "heading", "Restore").is_some()
    })
    .await;
    assert_eq!(
        by_role(&nav, "link", "Restore")
            .get_attribute("aria-current")
            .as_deref(),
        Some("page")
    );
    assert_eq!(
        by_role(&nav, "link", "Backup").get_attribute("aria-current"),
        None
    );
    assert!(web_sys::window()
        .unwrap()
        .location()
        .hash()
        .unwrap()
        .ends_with("/restore"));

    click(&by_role(&nav, "link", "Operations"));
    wait_until("Operations heading", 3000, || {
        query_role(&root, "heading", "Operations").is_some()
    })
    .await;

    // A deep link with a parameter preselects a database on Backup.
    set_hash("#/backup?db=North%20wind");
    wait_until("Backup heading", 3000, || {
        query_role(&root, "heading", "Backup").is_some()
    })
    .await;
    assert_eq!(
        value_of(&by_role(&root, "textbox", "Database")),
        "North wind"
    );

    set_hash("#/no-such-screen");
    wait_until("not-found screen", 3000, || {
        query_role(&root, "heading", "No such screen").is_some()
    })
    .await;
    set_hash("");
}

#[wasm_bindgen_test]
async fn indicator_says_clearly_when_the_server_is_unreachable() {
    // Port 9 (discard) on loopback: nothing listens there.
    storage()
        .set_item(SERVER_URL_KEY, "http://127.0.0.1:9")
        .unwrap();
    let root = mount_app();
    storage().remove_item(SERVER_URL_KEY).unwrap();
    let status = by_role(&root, "status", "");
    wait_until("unreachable status", 10_000, || {
        text(&status).contains("Server unreachable")
    })
    .await;

    // The settings panel tells what happened and what to do next.
    click(&by_role(&root, "button", "Server settings"));
    wait_until("settings panel", 2000, || {
        query_role(&root, "region", "Server").is_some()
    })
    .await;
    let panel = by_role(&root, "region", "Server");
    let words = text(&panel);
    assert!(
        words.contains("http://127.0.0.1:9/build/version did not answer"),
        "{words}"
    );
    assert!(words.contains("Check the server address"), "{words}");
    assert!(words.contains("your setting in this browser"), "{words}");
}

#[wasm_bindgen_test]
async fn indicator_says_when_the_address_is_not_a_ravendb_server() {
    // The test runner's own page server answers, but not like RavenDB.
    storage().remove_item(SERVER_URL_KEY).unwrap();
    let root = mount_app();
    let status = by_role(&root, "status", "");
    wait_until("not-RavenDB status", 10_000, || {
        text(&status).contains("Not a RavenDB server")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_bad_server_address_is_refused_with_the_reason_and_kept() {
    storage().remove_item(SERVER_URL_KEY).unwrap();
    let root = mount_app();
    click(&by_role(&root, "button", "Server settings"));
    wait_until("settings panel", 2000, || {
        query_role(&root, "textbox", "RavenDB server URL").is_some()
    })
    .await;
    let input = by_role(&root, "textbox", "RavenDB server URL");
    type_into(&input, "raven.example:8080");
    click(&by_role(&root, "button", "Save and check"));
    wait_until("field error", 2000, || {
        input.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    let panel = by_role(&root, "region", "Server");
    assert!(
        text(&panel).contains("must start with http:// or https://"),
        "{}",
        text(&panel)
    );
    // What the user typed is kept, and nothing was stored.
    assert_eq!(
        input.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "raven.example:8080"
    );
    assert_eq!(storage().get_item(SERVER_URL_KEY).unwrap(), None);
}

use wasm_bindgen::JsCast;
