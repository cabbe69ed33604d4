//! Browser-test helpers: mount the app, find elements by role and
//! accessible name (as a person or a screen reader would), and wait for
//! the asynchronous UI to settle.
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A mounted app; dropping it unmounts the app (its polling stops) and
/// removes its container.
pub struct Mounted {
    pub root: HtmlElement,
    handle: Option<Box<dyn std::any::Any>>,
}

impl std::ops::Deref for Mounted {
    type Target = HtmlElement;
    fn deref(&self) -> &HtmlElement {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.root.remove();
    }
}

/// Mounts the whole app in a fresh container.
pub fn mount_app() -> Mounted {
    let document = document();
    // A test that panicked (wasm aborts: no Drop) leaves its app behind;
    // remove it so ids and roles stay unique on the page.
    let stale = document.query_selector_all("[data-test-app]").unwrap();
    for i in 0..stale.length() {
        if let Some(el) = stale.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            el.remove();
        }
    }
    let container = document
        .create_element("div")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    container.set_attribute("data-test-app", "").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), raven_backup_studio::app::App);
    Mounted {
        root: container,
        handle: Some(Box::new(handle)),
    }
}

/// Sets the location hash without adding noise to the test page.
pub fn set_hash(hash: &str) {
    window().location().set_hash(hash).unwrap();
}

/// Sleeps for `ms` milliseconds (lets fetches and effects run).
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits until `cond` holds, for up to `timeout_ms`; panics with `what`.
pub async fn wait_until(what: &str, timeout_ms: u32, mut cond: impl FnMut() -> bool) {
    let start = js_sys::Date::now();
    loop {
        leptos::task::tick().await;
        if cond() {
            return;
        }
        if js_sys::Date::now() - start > timeout_ms as f64 {
            panic!("timed out after {timeout_ms} ms waiting for: {what}");
        }
        sleep(25).await;
    }
}

/// Like [`wait_until`], but a timeout shows what the page says.
pub async fn wait_for_page(
    root: &Element,
    what: &str,
    timeout_ms: u32,
    mut cond: impl FnMut() -> bool,
) {
    let start = js_sys::Date::now();
    loop {
        leptos::task::tick().await;
        if cond() {
            return;
        }
        if js_sys::Date::now() - start > timeout_ms as f64 {
            panic!(
                "timed out after {timeout_ms} ms waiting for: {what}\nThe page says: {}",
                text_of(root)
            );
        }
        sleep(25).await;
    }
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(el: &Element) -> String {
    normalize(&el.text_content().unwrap_or_default())
}

/// The implicit or explicit ARIA role of an element (the subset we use).
pub fn role_of(el: &Element) -> Option<String> {
    if let Some(role) = el.get_attribute("role") {
        return Some(role);
    }
    let tag = el.tag_name().to_ascii_lowercase();
    let input_type = el.get_attribute("type").unwrap_or_else(|| "text".into());
    Some(
        match tag.as_str() {
            "a" if el.has_attribute("href") => "link",
            "button" => "button",
            "nav" => "navigation",
            "main" => "main",
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
            "select" => "combobox",
            "textarea" => "textbox",
            "input" => match input_type.as_str() {
                "checkbox" => "checkbox",
                "radio" => "radio",
                "button" | "submit" => "button",
                "search" => "searchbox",
                _ => "textbox",
            },
            "section" if el.has_attribute("aria-labelledby") || el.has_attribute("aria-label") => {
                "region"
            }
            "table" => "table",
            "li" => "listitem",
            _ => return None,
        }
        .to_string(),
    )
}

/// The accessible name: aria-label, aria-labelledby, a <label>, or the text.
pub fn accessible_name(el: &Element) -> String {
    if let Some(label) = el.get_attribute("aria-label") {
        return normalize(&label);
    }
    let doc = document();
    if let Some(ids) = el.get_attribute("aria-labelledby") {
        let parts: Vec<String> = ids
            .split_whitespace()
            .filter_map(|id| doc.get_element_by_id(id))
            .map(|e| text_of(&e))
            .collect();
        return normalize(&parts.join(" "));
    }
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        if !el.id().is_empty() {
            if let Ok(Some(label)) = doc.query_selector(&format!("label[for=\"{}\"]", el.id())) {
                return text_of(&label);
            }
        }
        if let Ok(Some(label)) = el.closest("label") {
            // The label's own text, without the control's option texts.
            let mut text = String::new();
            let children = label.child_nodes();
            for i in 0..children.length() {
                if let Some(node) = children.item(i) {
                    let is_control = node
                        .dyn_ref::<Element>()
                        .map(|e| {
                            matches!(
                                e.tag_name().to_ascii_lowercase().as_str(),
                                "select" | "input" | "textarea"
                            )
                        })
                        .unwrap_or(false);
                    if !is_control {
                        text.push_str(&node.text_content().unwrap_or_default());
                        text.push(' ');
                    }
                }
            }
            return normalize(&text);
        }
        return String::new();
    }
    text_of(el)
}

fn all_elements(root: &Element) -> Vec<Element> {
    let list = root.query_selector_all("*").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// All elements under `root` with this role whose accessible name contains `name`.
pub fn all_by_role(root: &Element, role: &str, name: &str) -> Vec<Element> {
    all_elements(root)
        .into_iter()
        .filter(|e| role_of(e).as_deref() == Some(role))
        .filter(|e| accessible_name(e).contains(name))
        .collect()
}

/// The one element with this role whose accessible name contains `name`.
pub fn by_role(root: &Element, role: &str, name: &str) -> Element {
    let found = all_by_role(root, role, name);
    match found.len() {
        1 => found.into_iter().next().unwrap(),
        0 => panic!(
            "no {role} named {name:?}; {role}s present: {:?}",
            all_by_role(root, role, "")
                .iter()
                .map(accessible_name)
                .collect::<Vec<_>>()
        ),
        n => panic!("{n} elements with role {role} named {name:?}"),
    }
}

/// Like [`by_role`] but `None` when absent.
pub fn query_role(root: &Element, role: &str, name: &str) -> Option<Element> {
    all_by_role(root, role, name).into_iter().next()
}

/// Clicks an element.
pub fn click(el: &Element) {
    el.unchecked_ref::<HtmlElement>().click();
}

/// Types into an input or textarea (sets the value, fires `input`).
pub fn type_into(el: &Element, value: &str) {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        panic!("not a text field: {}", el.tag_name());
    }
    let ev = web_sys::Event::new("input").unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// The text of an element, whitespace-normalized.
pub fn text(el: &Element) -> String {
    text_of(el)
}

/// Checks or unchecks a checkbox or radio the way a click does.
pub fn set_checked(el: &Element, on: bool) {
    let input = el
        .dyn_ref::<web_sys::HtmlInputElement>()
        .expect("not an input");
    if input.checked() != on {
        input.click();
    }
}

/// The value of a text field.
pub fn value_of(el: &Element) -> String {
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        panic!("not a text field")
    }
}

/// The devserver the browser tests talk to (3.5 unless `v30`).
pub fn devserver_url(v30: bool) -> String {
    let url = if v30 {
        option_env!("DEVSERVER_30_URL")
    } else {
        option_env!("DEVSERVER_35_URL")
    };
    url.expect("DEVSERVER_35_URL / DEVSERVER_30_URL are not set at build time: run the browser tests with `make test`, which starts the devservers")
        .to_string()
}

/// Test-only control calls to the devserver (`--enable-control`).
pub mod control {
    use gloo_net::http::Request;
    use serde_json::Value;

    async fn post(base: &str, what: &str, body: Value) -> Value {
        let resp = Request::post(&format!("{base}/__devserver/{what}"))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .unwrap()
            .send()
            .await
            .unwrap();
        assert!(resp.ok(), "control {what} answered {}", resp.status());
        resp.json().await.unwrap()
    }

    pub async fn get(base: &str, path: &str) -> Value {
        let resp = Request::get(&format!("{base}{path}")).send().await.unwrap();
        let text = resp.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }

    /// Fresh demo data, no operations, empty logs and backup folder.
    pub async fn reset(base: &str) {
        post(base, "reset", serde_json::json!({"backups": true})).await;
    }

    pub async fn fail_next(base: &str, kind: &str, at_step: u32, error: &str) {
        post(
            base,
            "fail-next-operation",
            serde_json::json!({"kind": kind, "atStep": at_step, "error": error}),
        )
        .await;
    }

    pub async fn fault(base: &str, spec: Value) {
        post(base, "faults", spec).await;
    }

    /// Sets the devserver's sleep per background step.
    pub async fn op_step(base: &str, ms: u32) {
        post(base, "op-step", serde_json::json!({"ms": ms})).await;
    }

    /// For `ms` milliseconds the devserver drops every non-control
    /// connection (the server is down).
    pub async fn outage(base: &str, ms: u32) {
        post(base, "outage", serde_json::json!({"ms": ms})).await;
    }

    pub async fn restart(base: &str) {
        post(base, "restart", serde_json::json!({})).await;
    }

    pub async fn requests(base: &str) -> Vec<Value> {
        get(base, "/__devserver/requests")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn received(base: &str, prefix: &str) -> Vec<Value> {
        get(base, &format!("/__devserver/received?pathPrefix={prefix}"))
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn backup_files(base: &str) -> Vec<String> {
        get(base, "/__devserver/backup-files")
            .await
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Starts Leptos' task executor for tests that run without a mounted app.
pub fn init_executor() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
}

/// Runs a full backup of Northwind to `location` on `server` and waits for
/// its success (the fixture of the restore and drill tests).
pub async fn back_up_northwind(server: &str, location: &str) {
    use raven_backup_studio::api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
        watch::watch_operation,
    };
    let client = Client::new(server.to_string(), 10_000);
    let generation = client.server_info().await.unwrap().generation;
    let started = client
        .start_operation(
            "/databases/Northwind/admin/backup?incremental=false",
            &serde_json::json!({"BackupLocation": location, "DatabaseDocument": null}),
        )
        .await
        .unwrap();
    init_executor();
    let owner = Owner::new();
    let watch = owner.with(|| {
        watch_operation(
            client,
            WatchTarget::new(
                Watched::DatabaseBackup {
                    database: Some("Northwind".into()),
                },
                started.operation_id,
                generation,
            ),
            PollConfig::default(),
        )
    });
    wait_until("backup done", 30_000, || {
        watch
            .snapshot
            .with_untracked(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })))
    })
    .await;
}

/// Mounts the app at `hash` connected to the 3.5 `server` (remembered as
/// the server address, as the Server settings would).
pub async fn open_on_35(server: &str, hash: &str) -> Mounted {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item("raven-backup-studio.server-url", server)
        .unwrap();
    set_hash(hash);
    let app = mount_app();
    let status = by_role(&app, "status", "");
    wait_until("connected", 10_000, || {
        text(&status).contains("Connected: RavenDB 3.5")
    })
    .await;
    app
}

/// On the Restore screen: types the backup folder and the database it was
/// taken from, asks to verify, confirms, and waits for the result. Returns
/// the confirmation's text and the result's text.
pub async fn verify_by_restoring(app: &Mounted, folder: &str, source: &str) -> (String, String) {
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        folder,
    );
    type_into(
        &by_role(app, "textbox", "Database the backup was taken from"),
        source,
    );
    click(&by_role(app, "button", "Verify by restoring…"));
    wait_for_page(app, "confirmation", 5000, || {
        query_role(app, "alertdialog", "Confirm the verification").is_some()
    })
    .await;
    let confirmation = text(&by_role(app, "alertdialog", "Confirm the verification"));
    click(&by_role(app, "button", "Yes, verify"));
    wait_for_page(app, "verification result", 60_000, || {
        query_role(app, "region", "Verification result").is_some()
    })
    .await;
    let result = text(&by_role(app, "region", "Verification result"));
    (confirmation, result)
}

/// What the drill's browser tests share (issue 17).
pub mod drill {
    /// The localStorage key of the scratch databases not deleted yet.
    pub const SCRATCH_KEY: &str = "raven-backup-studio.drill-scratch";

    pub fn storage() -> web_sys::Storage {
        web_sys::window().unwrap().local_storage().unwrap().unwrap()
    }

    /// The databases on the server, read over its HTTP API.
    pub async fn database_names(server: &str) -> Vec<String> {
        raven_backup_studio::api::client::Client::new(server.to_string(), 10_000)
            .list_databases()
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }
}
