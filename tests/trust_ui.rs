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

// ---- item 4 ---------------------------------------------------------------

/// Issue 11 item 4: the POST is handled (the backup really starts) and its
/// answer is replaced by a proxy's 504. The screen says it is unknown
/// whether the backup started, finds it running on the server and follows
/// it to its end; exactly one backup POST reached the server.
#[wasm_bindgen_test]
async fn a_start_whose_answer_is_lost_is_found_on_the_server_and_followed() {
    let (app, server) = screen("#/backup").await;
    choose_backup(&app, "Northwind", "ui/lost-answer").await;
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup",
               "afterHandling": true, "status": 504, "contentType": "text/html",
               "body": "<html><body><h1>504 Gateway Time-out</h1></body></html>"}),
    )
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "the lost answer said", 20_000, || {
        text(&app).contains("unknown whether the backup started")
    })
    .await;
    let panel = wait_for_outcome(&app, "Backup", "Backup succeeded").await;
    let page = text(&app);
    assert!(
        page.contains("found on the server"),
        "the screen says where the backup was found: {page}"
    );
    assert!(
        !page.contains("did not start the backup"),
        "never 'did not start': {page}"
    );
    assert!(
        text(&panel).contains("The backup is in ui/lost-answer on the server."),
        "{}",
        text(&panel)
    );
    let posts = posts_to(&server, "/databases/Northwind/admin/backup").await;
    assert_eq!(posts.len(), 1, "exactly one backup POST: {posts:?}");
}

/// Issue 11 item 4: an answer lost before the server acted (a 504 that
/// never reached it): nothing is found, the screen says it is unknown and
/// that nothing was found, and the way to start again says it may start a
/// second backup. Nothing more is POSTed on its own.
#[wasm_bindgen_test]
async fn a_lost_start_that_is_not_found_says_so_and_warns_before_a_second_post() {
    let (app, server) = screen("#/backup").await;
    choose_backup(&app, "Northwind", "ui/lost-nothing").await;
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/databases/Northwind/admin/backup",
               "status": 504, "body": ""}),
    )
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "nothing found", 20_000, || {
        text(&app).contains("unknown whether the backup started")
            && text(&app).contains("No backup of database Northwind was found")
    })
    .await;
    let page = text(&app);
    assert!(!page.contains("did not start the backup"), "{page}");
    let again = by_role(&app, "button", "Start again");
    assert!(
        accessible_name(&again).contains("second backup"),
        "{}",
        accessible_name(&again)
    );
    assert_eq!(
        posts_to(&server, "/databases/Northwind/admin/backup")
            .await
            .len(),
        1
    );
    // Looking again sends no POST.
    click(&by_role(&app, "button", "Look on the server again"));
    sleep(500).await;
    assert_eq!(
        posts_to(&server, "/databases/Northwind/admin/backup")
            .await
            .len(),
        1
    );
    // Starting again (warned) does start one, which succeeds.
    click(&by_role(&app, "button", "Start again"));
    wait_for_outcome(&app, "Backup", "Backup succeeded").await;
    assert_eq!(
        posts_to(&server, "/databases/Northwind/admin/backup")
            .await
            .len(),
        2
    );
}

/// Issue 11 item 4, restores: the restore POST is handled and its answer
/// lost; the restore is found (operations list) and followed.
#[wasm_bindgen_test]
async fn a_restore_whose_answer_is_lost_is_found_and_followed() {
    let server = devserver_url(false);
    control::reset(&server).await;
    api_backup(&server, "ui/lost-restore-src").await;
    storage().set_item(SERVER_URL_KEY, &server).unwrap();
    set_hash("#/restore");
    let app = mount_app();
    wait_for_page(&app, "connected", 10_000, || {
        connection_text(&app).contains("Connected: RavenDB 3.5")
    })
    .await;
    control::fault(
        &server,
        json!({"method": "POST", "pathPrefix": "/admin/restore",
               "afterHandling": true, "status": 502, "body": "Bad Gateway"}),
    )
    .await;
    start_restore(&app, "ui/lost-restore-src", "LostAnswerCopy").await;
    wait_for_page(&app, "the lost answer said", 20_000, || {
        text(&app).contains("unknown whether the restore started")
    })
    .await;
    wait_for_outcome(&app, "Restore", "Restore succeeded").await;
    assert!(
        !text(&app).contains("did not start the restore"),
        "{}",
        text(&app)
    );
    assert_eq!(posts_to(&server, "/admin/restore").await.len(), 1);
}

// ---- item 5 ---------------------------------------------------------------

/// Issue 11 item 5: the header follows what the last requests found: while
/// the server drops every connection it says "unreachable since hh:mm:ss"
/// (never a green "Connected"), then connected, answering again.
#[wasm_bindgen_test]
async fn the_header_follows_what_the_last_requests_found() {
    let (app, server) = screen("#/operations").await;
    let dot = || {
        app.query_selector(".connection .status-dot")
            .unwrap()
            .map(|d| d.class_name())
            .unwrap_or_default()
    };
    assert!(dot().contains("ok"), "{}", dot());
    control::outage(&server, 6000).await;
    wait_for_page(&app, "unreachable in the header", 15_000, || {
        connection_text(&app).contains("unreachable since")
    })
    .await;
    let said = connection_text(&app);
    assert!(!said.contains("Connected"), "{said}");
    let clock = said.split("since ").nth(1).unwrap_or_default();
    let parts: Vec<&str> = clock.trim().split(':').collect();
    assert!(
        parts.len() == 3 && parts.iter().all(|p| p.len() == 2),
        "hh:mm:ss in {said:?}"
    );
    assert!(!dot().contains("ok"), "{}", dot());
    wait_for_page(&app, "connected again", 30_000, || {
        let said = connection_text(&app);
        said.contains("Connected: RavenDB 3.5") && said.contains("answering again since")
    })
    .await;
    assert!(dot().contains("ok"), "{}", dot());
}

// ---- item 6 ---------------------------------------------------------------

/// The row of the "Started from this browser" table that names `needle`.
fn remembered_row(app: &Element, needle: &str) -> Option<Element> {
    let table = query_role(app, "table", "started from this browser")?;
    let rows = table.get_elements_by_tag_name("tr");
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .find(|r| text(r).contains(needle))
}

/// Issue 11 item 6: what the Backup and Restore screens saw end is
/// remembered: the Operations screen says it.
#[wasm_bindgen_test]
async fn outcomes_seen_on_the_backup_and_restore_screens_are_remembered() {
    let (app, server) = screen("#/backup").await;
    choose_backup(&app, "Northwind", "ui/remembered").await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_outcome(&app, "Backup", "Backup succeeded").await;

    set_hash("#/restore");
    wait_for_page(&app, "the Restore screen", 5000, || {
        query_role(&app, "button", "Restore…").is_some()
    })
    .await;
    start_restore(&app, "ui/remembered", "RememberedCopy").await;
    wait_for_outcome(&app, "Restore", "Restore succeeded").await;

    set_hash("#/operations");
    wait_for_page(&app, "the remembered backup", 10_000, || {
        remembered_row(&app, "Northwind").is_some()
    })
    .await;
    let row = text(&remembered_row(&app, "Northwind").unwrap());
    assert!(row.contains("succeeded"), "{row}");
    assert!(!row.contains("not known yet"), "{row}");
    let row = text(&remembered_row(&app, "RememberedCopy").unwrap());
    assert!(row.contains("succeeded"), "{row}");
    let _ = server;
}

/// Issue 11 item 6, durations: a restore followed again says how long it
/// took from its start (remembered with it) to the end this browser saw,
/// not from the re-attach.
#[wasm_bindgen_test]
async fn a_restore_followed_again_says_its_duration_from_its_start() {
    let (app, server) = screen("#/restore").await;
    api_backup(&server, "ui/duration").await;
    // A restore slow enough to take a few seconds.
    control::op_step(&server, 250).await;
    start_restore(&app, "ui/duration", "DurationCopy").await;
    let panel = wait_for_outcome(&app, "Restore", "Restore succeeded").await;
    let took = seconds_in(&summary_of(&panel));
    assert!(took >= 1.0, "a slow restore: {took} s");
    control::op_step(&server, 40).await;

    set_hash("#/operations");
    wait_for_page(&app, "the remembered restore", 10_000, || {
        remembered_row(&app, "DurationCopy").is_some()
    })
    .await;
    click(&by_role(
        &app,
        "button",
        "Follow database restore of DurationCopy",
    ));
    let followed = wait_for_outcome(&app, "Restore", "Restore succeeded").await;
    let again = seconds_in(&summary_of(&followed));
    assert!(
        (again - took).abs() < 1.0,
        "followed again: {again} s; it took {took} s"
    );
}

// ---- item 7 ---------------------------------------------------------------

fn active_is_inside(region: &Element) -> bool {
    document()
        .active_element()
        .is_some_and(|a| region.contains(Some(a.unchecked_ref())))
}

/// True when the top of `el` is inside the window's viewport.
fn in_viewport(el: &Element) -> bool {
    let top = js_sys::Function::new_with_args("el", "return el.getBoundingClientRect().top")
        .call1(&wasm_bindgen::JsValue::NULL, el)
        .unwrap()
        .as_f64()
        .unwrap();
    let height = window().inner_height().unwrap().as_f64().unwrap();
    (0.0..height).contains(&top)
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

/// Issue 11 item 7: after Start, focus is in the progress region and the
/// region is in view (backup and restore).
#[wasm_bindgen_test]
async fn focus_and_view_move_to_the_progress_after_a_start() {
    let (app, server) = screen("#/backup").await;
    choose_backup(&app, "Northwind", "ui/focus").await;
    window().scroll_to_with_x_and_y(0.0, 0.0);
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "the progress region", 10_000, || {
        progress(&app, "Backup").is_some()
    })
    .await;
    wait_for_page(&app, "focus in the progress region", 3000, || {
        progress(&app, "Backup").is_some_and(|p| active_is_inside(&p))
    })
    .await;
    assert!(in_viewport(&progress(&app, "Backup").unwrap()));
    wait_for_outcome(&app, "Backup", "Backup succeeded").await;

    set_hash("#/restore");
    wait_for_page(&app, "the Restore screen", 5000, || {
        query_role(&app, "button", "Restore…").is_some()
    })
    .await;
    window().scroll_to_with_x_and_y(0.0, 0.0);
    start_restore(&app, "ui/focus", "FocusCopy").await;
    wait_for_page(
        &app,
        "focus in the restore's progress region",
        10_000,
        || progress(&app, "Restore").is_some_and(|p| active_is_inside(&p)),
    )
    .await;
    assert!(in_viewport(&progress(&app, "Restore").unwrap()));
    wait_for_outcome(&app, "Restore", "Restore succeeded").await;
    let _ = server;
}

// ---- item 10 --------------------------------------------------------------

/// Issue 11 item 10: masked secrets all look the same, whatever their
/// length: the structured editor shows one fixed mask (and the page holds
/// no secret while it is masked), and so do the review and the curl.
#[wasm_bindgen_test]
async fn masked_secrets_of_different_lengths_look_the_same() {
    let (app, _server) = screen("#/backup").await;
    choose_database(&app, "Payroll", "ui/mask").await;
    set_checked(
        &by_role(&app, "radio", "Load the stored document and edit it"),
        true,
    );
    wait_for_page(&app, "the stored document in the editor", 5000, || {
        query_role(&app, "textbox", "Value of Raven/Encryption/Key").is_some()
    })
    .await;
    let key = by_role(&app, "textbox", "Value of Raven/Encryption/Key");
    let aws = by_role(&app, "textbox", "Value of Raven/AWSSecretKey");
    let (key_shown, aws_shown) = (value_of(&key), value_of(&aws));
    assert_eq!(key_shown, aws_shown, "one mask for secrets of any length");
    assert!(!key_shown.is_empty());
    // Neither the key (44 characters) nor the AWS secret is on the page.
    let html = app.inner_html();
    for secret in [
        "3w17MIVIBLSWZpzH0YarqRlR2+yHiSBCXT6rKCC6UTk=",
        "demo-aws-secret",
    ] {
        assert!(!html.contains(secret), "{secret} is on the page");
    }
    // Revealed, it is the secret, editable; hidden again, the mask.
    click(&by_role(
        &app,
        "button",
        "Reveal the value of Raven/Encryption/Key",
    ));
    wait_until("revealed", 3000, || {
        value_of(&by_role(&app, "textbox", "Value of Raven/Encryption/Key")).starts_with("3w17")
    })
    .await;
    click(&by_role(
        &app,
        "button",
        "Reveal the value of Raven/Encryption/Key",
    ));
    wait_until("masked again", 3000, || {
        value_of(&by_role(&app, "textbox", "Value of Raven/Encryption/Key")) == aws_shown
    })
    .await;
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

// ---- leftovers --------------------------------------------------------------

/// A stored server address carrying `user:pass@` (saved by an older
/// version) is dropped from localStorage when the app loads.
#[wasm_bindgen_test]
async fn a_stored_address_with_credentials_is_dropped_on_load() {
    let server = devserver_url(false);
    let with_credentials = server.replacen("http://", "http://admin:hunter2@", 1);
    storage()
        .set_item(SERVER_URL_KEY, &with_credentials)
        .unwrap();
    set_hash("#/operations");
    let _app = mount_app();
    let stored = storage().get_item(SERVER_URL_KEY).unwrap();
    assert!(
        stored.is_none(),
        "the credentials stay in localStorage: {stored:?}"
    );
}

/// "Copied" is said only once the clipboard took the text; a refusal is
/// said plainly.
#[wasm_bindgen_test]
async fn a_refused_copy_is_said_plainly_never_as_copied() {
    let (app, _server) = screen("#/backup").await;
    choose_backup(&app, "Northwind", "ui/copy").await;
    // The browser refuses the write (as it does without permission).
    js_sys::eval(
        "Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, \
         value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) })",
    )
    .unwrap();
    click(&by_role(&app, "button", "Copy curl command"));
    wait_for_page(&app, "the refusal said", 5000, || {
        text(&app).contains("could not be copied")
    })
    .await;
    let page = text(&app);
    assert!(page.contains("Write permission denied."), "{page}");
    assert!(!page.contains("was copied"), "{page}");
    // A write the clipboard takes is said as copied.
    js_sys::eval(
        "Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, \
         value: () => Promise.resolve() })",
    )
    .unwrap();
    click(&by_role(&app, "button", "Copy curl command"));
    wait_for_page(&app, "copied", 5000, || {
        text(&app).contains("The curl command was copied.")
    })
    .await;
}
