//! Browser tests of issue 11's items about what the screens tell the admin
//! (4: a start whose answer is lost; 5: the header follows the server;
//! 6: what this browser saw is remembered, durations from the real start;
//! 7: focus and view move to the progress; 10: a fixed mask; 12: restore
//! log lines carry times). Headless Chromium against a real devserver
//! (3.5); elements are found by role and accessible name.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
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

/// The header's connection line.
fn connection_text(app: &Mounted) -> String {
    app.query_selector(".connection-text")
        .unwrap()
        .map(|e| text(&e))
        .unwrap_or_default()
}

/// A fresh devserver (no remembered operations) and the app on `hash`,
/// connected.
async fn screen(hash: &str) -> (Mounted, String) {
    let server = devserver_url(false);
    control::reset(&server).await;
    storage().set_item(SERVER_URL_KEY, &server).unwrap();
    storage().remove_item(OPERATIONS_KEY).unwrap();
    set_hash(hash);
    let app = mount_app();
    wait_for_page(&app, "connected", 10_000, || {
        connection_text(&app).contains("Connected: RavenDB 3.5")
    })
    .await;
    (app, server)
}

async fn choose_database(app: &Mounted, name: &str, location: &str) {
    type_into(&by_role(app, "textbox", "Database"), name);
    wait_until("database list", 5000, || {
        text(app).contains("databases on the server")
    })
    .await;
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        location,
    );
}

/// Chooses a database without secrets and a folder; the review shows.
async fn choose_backup(app: &Mounted, name: &str, location: &str) {
    choose_database(app, name, location).await;
    wait_until("review", 5000, || {
        query_role(app, "region", "Review the request").is_some()
    })
    .await;
}

fn progress(app: &Element, noun: &str) -> Option<Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with(&format!("{noun} of ")))
}

async fn wait_for_outcome(app: &Mounted, noun: &str, outcome: &str) -> Element {
    wait_for_page(app, outcome, 30_000, || {
        progress(app, noun).is_some_and(|p| text(&p).contains(outcome))
    })
    .await;
    progress(app, noun).unwrap()
}

/// The POSTs the devserver received on exactly `path`.
async fn posts_to(server: &str, path: &str) -> Vec<Value> {
    control::requests(server)
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"] == path)
        .collect()
}

/// A finished full backup of Northwind at `location`, made over the API.
async fn api_backup(server: &str, location: &str) {
    let started = gloo_net::http::Request::post(&format!(
        "{server}/databases/Northwind/admin/backup?incremental=false"
    ))
    .header("Content-Type", "application/json")
    .body(json!({"BackupLocation": location, "DatabaseDocument": null}).to_string())
    .unwrap()
    .send()
    .await
    .unwrap();
    assert!(started.ok(), "{}", started.status());
    let start = js_sys::Date::now();
    loop {
        let doc = control::get(server, "/databases/Northwind/docs/Raven/Backup/Status").await;
        if doc["IsRunning"] == json!(false) && doc["Completed"].is_string() {
            break;
        }
        assert!(js_sys::Date::now() - start < 30_000.0, "backup: {doc}");
        sleep(100).await;
    }
}

async fn start_restore(app: &Mounted, location: &str, name: &str) {
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        location,
    );
    type_into(&by_role(app, "textbox", "New database name"), name);
    click(&by_role(app, "button", "Restore…"));
    wait_for_page(app, "confirmation", 5000, || {
        query_role(app, "alertdialog", "Confirm the restore").is_some()
    })
    .await;
    click(&by_role(app, "button", "Yes, restore"));
}

/// "Backup succeeded in 3.2 s." → 3.2
fn seconds_in(summary: &str) -> f64 {
    let after = summary
        .split(" in ")
        .nth(1)
        .unwrap_or_else(|| panic!("no duration in {summary:?}"));
    after
        .split(" s")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no seconds in {summary:?}"))
}

fn summary_of(panel: &Element) -> String {
    panel
        .query_selector(".progress-summary")
        .unwrap()
        .map(|e| text(&e))
        .unwrap_or_default()
}

// ---- item 12 --------------------------------------------------------------

/// Issue 11 item 12: every restore log line has a time, in the format of
/// the backup lines (hh:mm:ss), on screen and in the downloaded log.
#[wasm_bindgen_test]
async fn restore_log_lines_have_times_like_backup_lines() {
    let (app, server) = screen("#/restore").await;
    api_backup(&server, "ui/times").await;
    start_restore(&app, "ui/times", "TimesCopy").await;
    let panel = wait_for_outcome(&app, "Restore", "Restore succeeded").await;
    let times = panel.query_selector_all(".log .log-time").unwrap();
    assert!(times.length() >= 3, "{}", text(&panel));
    for i in 0..times.length() {
        let t = times.item(i).unwrap().text_content().unwrap_or_default();
        let parts: Vec<&str> = t.split(':').collect();
        assert!(
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit())),
            "line {i} has no hh:mm:ss time: {t:?}\n{}",
            text(&panel)
        );
    }
}
