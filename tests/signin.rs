//! Browser tests of signing in with a RavenDB 3.x API key
//! (docs/protocol/ravendb-3x.md §11.3), the whole dashboard in headless
//! Chromium against a devserver that allows no anonymous access, knows
//! two keys (one for every database, one for Northwind only) and lets a
//! token live 3 s, so tokens expire during a watch (started by
//! scripts/test.sh with `--anonymous-access None --token-lifetime-ms`).
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::auth::session;
use serde_json::Value;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";

fn env(value: Option<&'static str>, name: &str) -> String {
    value
        .unwrap_or_else(|| panic!("{name} is not set at build time: run the browser tests with `make test`, which starts the devservers"))
        .to_string()
}

fn server() -> String {
    env(option_env!("DEVSERVER_SIGNIN_URL"), "DEVSERVER_SIGNIN_URL")
}

/// `name/secret` of the key with admin rights everywhere.
fn admin_key() -> (String, String) {
    split(env(
        option_env!("DEVSERVER_SIGNIN_ADMIN_KEY"),
        "DEVSERVER_SIGNIN_ADMIN_KEY",
    ))
}

/// `name/secret` of the key with admin rights on Northwind only.
fn narrow_key() -> (String, String) {
    split(env(
        option_env!("DEVSERVER_SIGNIN_NARROW_KEY"),
        "DEVSERVER_SIGNIN_NARROW_KEY",
    ))
}

fn split(key: String) -> (String, String) {
    let (n, s) = key.split_once('/').expect("name/secret");
    (n.to_string(), s.to_string())
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Everything the page keeps where it outlives the page: localStorage,
/// sessionStorage, the URL.
fn kept_text() -> String {
    let w = web_sys::window().unwrap();
    let mut out = w.location().href().unwrap();
    for s in [w.local_storage(), w.session_storage()] {
        let s = s.unwrap().unwrap();
        for i in 0..s.length().unwrap() {
            let k = s.key(i).unwrap().unwrap();
            out.push_str(&format!(
                "\n{k}={}",
                s.get_item(&k).unwrap().unwrap_or_default()
            ));
        }
    }
    out
}

/// Starts keeping every console message of this page (once), so a test
/// can check that no secret was ever printed.
fn spy_on_console() {
    let install = js_sys::Function::new_no_args(
        "if (!window.__consoleSeen) { window.__consoleSeen = []; \
         for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace']) { \
           const original = console[m].bind(console); \
           console[m] = (...args) => { \
             try { window.__consoleSeen.push(args.map(String).join(' ')); } catch (e) {} \
             original(...args); \
           }; \
         } }",
    );
    install.call0(&wasm_bindgen::JsValue::NULL).unwrap();
}

/// Every console message since [`spy_on_console`].
fn console_text() -> String {
    let seen = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__consoleSeen".into()).unwrap();
    js_sys::Array::from(&seen)
        .iter()
        .filter_map(|v| v.as_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The app on the Backup screen, anonymous, pointed at the locked server.
async fn locked_app() -> (Mounted, String) {
    spy_on_console();
    session::sign_out();
    let server = server();
    control::reset(&server).await;
    control::op_step(&server, 40).await;
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

/// Opens the sign-in form the header offers after a refusal.
async fn open_sign_in(app: &Mounted) {
    wait_for_page(app, "the offer to sign in", 10_000, || {
        query_role(app, "alert", "Sign-in needed").is_some()
    })
    .await;
    let offer = by_role(app, "alert", "Sign-in needed");
    click(&by_role(&offer, "button", "Sign in"));
    wait_until("the sign-in form", 5000, || {
        query_role(app, "textbox", "API key secret").is_some()
    })
    .await;
}

async fn sign_in_with(app: &Mounted, name: &str, secret: &str) {
    type_into(&by_role(app, "textbox", "API key name"), name);
    type_into(&by_role(app, "textbox", "API key secret"), secret);
    let form = by_role(app, "region", "Sign in (RavenDB 3.x API key)");
    click(&by_role(&form, "button", "Sign in"));
}

fn sign_in_status(app: &Mounted) -> String {
    let form = by_role(app, "region", "Sign in (RavenDB 3.x API key)");
    all_by_role(&form, "status", "")
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn signed_in(app: &Mounted, name: &str) {
    let wanted = format!("Signed in with API key \"{name}\".");
    wait_for_page(app, "signed in", 10_000, || {
        sign_in_status(app).contains(&wanted)
    })
    .await;
}

fn progress(app: &Mounted) -> Option<web_sys::Element> {
    all_by_role(app, "region", "")
        .into_iter()
        .find(|r| accessible_name(r).starts_with("Backup of "))
}

/// Chooses Northwind, a folder, starts the backup and waits for its end.
async fn back_up_northwind(app: &Mounted, folder: &str) -> String {
    type_into(&by_role(app, "textbox", "Database"), "Northwind");
    type_into(
        &by_role(app, "textbox", "Backup folder on the server"),
        folder,
    );
    wait_for_page(app, "review of the request", 10_000, || {
        query_role(app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(app, "button", "Start backup"));
    wait_for_page(app, "the backup's end", 60_000, || {
        progress(app).is_some_and(|p| {
            let t = text(&p);
            t.contains("Backup succeeded") || t.contains("failed") || t.contains("lost")
        })
    })
    .await;
    text(&progress(app).unwrap())
}

fn field_invalid(app: &Mounted, name: &str) -> bool {
    by_role(app, "textbox", name)
        .get_attribute("aria-invalid")
        .as_deref()
        == Some("true")
}

#[wasm_bindgen_test]
async fn sign_in_then_back_up_succeeds() {
    let (app, server) = locked_app().await;
    // Anonymous: the list of databases is refused, and a sign-in offered.
    open_sign_in(&app).await;
    let (name, secret) = admin_key();
    sign_in_with(&app, &name, &secret).await;
    signed_in(&app, &name).await;
    // The form gave way to who is signed in, the secret field with it.
    assert!(query_role(&app, "textbox", "API key secret").is_none());
    let done = back_up_northwind(&app, "signin/northwind").await;
    assert!(done.contains("Backup succeeded"), "{done}");
    let files = control::backup_files(&server).await;
    assert!(
        files.contains(&"signin/northwind/Database.Document".to_string()),
        "{files:?}"
    );
    // The secret never reached storage, the URL or the console, nor any
    // URL the server was asked (its request log); the name may be kept.
    let kept = kept_text();
    assert!(!kept.contains(&secret), "the secret was kept: {kept}");
    assert!(kept.contains(&name), "the key name is remembered: {kept}");
    js_sys::Function::new_no_args("console.log('console spy probe')")
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
    assert!(
        console_text().contains("console spy probe"),
        "the spy sees the console"
    );
    assert!(!console_text().contains(&secret), "the secret was printed");
    let asked = control::requests(&server).await;
    assert!(asked.len() > 10);
    assert!(
        asked
            .iter()
            .all(|e| !e["path"].to_string().contains(&secret)
                && !e["query"].to_string().contains(&secret)),
        "the secret was in a URL"
    );
}

#[wasm_bindgen_test]
async fn a_token_that_expires_mid_watch_is_renewed_and_the_backup_succeeds() {
    let (app, server) = locked_app().await;
    open_sign_in(&app).await;
    let (name, secret) = admin_key();
    sign_in_with(&app, &name, &secret).await;
    signed_in(&app, &name).await;
    // Slow steps: the backup outlives a 3 s token.
    control::op_step(&server, 1500).await;
    let before = control::requests(&server).await.len();
    let started = js_sys::Date::now();
    let done = back_up_northwind(&app, "signin/renewed").await;
    assert!(done.contains("Backup succeeded"), "{done}");
    let took = js_sys::Date::now() - started;
    assert!(took > 3_500.0, "the watch outlived a token: {took} ms");
    let log = control::requests(&server).await.split_off(before);
    let status_of = |e: &Value| e["status"].as_u64().unwrap_or_default();
    let path_of = |e: &Value| e["path"].as_str().unwrap_or_default().to_string();
    // Since the backup started (signed in all along): the server said
    // "expired", and new tokens were issued (an exchange is two POSTs, the
    // second answered 200).
    let expired = log
        .iter()
        .filter(|e| status_of(e) == 401 && !path_of(e).starts_with("/OAuth"))
        .count();
    let tokens = log
        .iter()
        .filter(|e| path_of(e) == "/OAuth/API-Key" && status_of(e) == 200)
        .count();
    assert!(expired >= 1, "no expired token was met: {log:?}");
    assert!(tokens >= 1, "the token was not renewed: {log:?}");
    // Nothing was refused without being retried: no screen saw a refusal.
    assert!(query_role(&app, "alert", "Sign-in needed").is_none());
    control::op_step(&server, 40).await;
}

#[wasm_bindgen_test]
async fn a_wrong_secret_and_an_unknown_key_are_told_as_such() {
    let (app, _server) = locked_app().await;
    open_sign_in(&app).await;
    let (name, _) = admin_key();
    sign_in_with(&app, &name, "not-the-secret").await;
    wait_for_page(&app, "wrong secret", 10_000, || {
        text(&app).contains("The secret is wrong")
    })
    .await;
    assert!(field_invalid(&app, "API key secret"));
    assert!(!field_invalid(&app, "API key name"));
    assert!(sign_in_status(&app).contains("Not signed in."));
    assert!(session::signed_in().is_none());

    sign_in_with(&app, "nobody-has-this-key", "whatever").await;
    wait_for_page(&app, "unknown key", 10_000, || {
        text(&app).contains("Unknown API key \"nobody-has-this-key\"")
    })
    .await;
    assert!(field_invalid(&app, "API key name"));
    assert!(!field_invalid(&app, "API key secret"));
    assert!(session::signed_in().is_none());
    assert!(
        !console_text().contains("not-the-secret"),
        "the secret was printed"
    );
    assert!(!kept_text().contains("not-the-secret"));
}

#[wasm_bindgen_test]
async fn a_key_without_access_to_a_database_is_told_which_and_what_access() {
    let (app, _server) = locked_app().await;
    open_sign_in(&app).await;
    let (name, secret) = narrow_key();
    sign_in_with(&app, &name, &secret).await;
    signed_in(&app, &name).await;
    // The key knows Northwind only: reading Payroll's documents is refused.
    let client = raven_backup_studio::api::client::Client::new(server(), 10_000);
    let err = client.backup_status(Some("Payroll")).await.unwrap_err();
    let words = err.user_message();
    assert!(
        words.contains("Insufficient access to database \"Payroll\""),
        "{words}"
    );
    // The header tells it too, with what to do next.
    wait_for_page(&app, "the refusal in the header", 10_000, || {
        query_role(&app, "alert", "Insufficient access to database \"Payroll\"").is_some()
    })
    .await;
    // Northwind itself is fine.
    assert!(client.backup_status(Some("Northwind")).await.is_ok());
}

#[wasm_bindgen_test]
async fn sign_out_forgets_the_secret_and_the_token() {
    let (app, server) = locked_app().await;
    open_sign_in(&app).await;
    let (name, secret) = admin_key();
    sign_in_with(&app, &name, &secret).await;
    signed_in(&app, &name).await;
    let client = raven_backup_studio::api::client::Client::new(server.clone(), 10_000);
    assert!(client.list_databases().await.is_ok());

    let form = by_role(&app, "region", "Sign in (RavenDB 3.x API key)");
    click(&by_role(&form, "button", "Sign out"));
    // The name field (a `TextField`, built anew) shows the name it was
    // typed with from the moment it is back, not only a microtask later.
    let mut name_when_back = None;
    wait_for_page(&app, "signed out", 5000, || {
        if name_when_back.is_none() {
            name_when_back = query_role(&app, "textbox", "API key name").map(|e| value_of(&e));
        }
        name_when_back.is_some() && sign_in_status(&app).contains("Signed out")
    })
    .await;
    assert_eq!(name_when_back.as_deref(), Some(name.as_str()));
    assert!(session::signed_in().is_none());
    // The form is back, the secret field empty (deliberately forgotten),
    // the name still there.
    assert_eq!(value_of(&by_role(&app, "textbox", "API key secret")), "");
    assert_eq!(value_of(&by_role(&app, "textbox", "API key name")), name);
    // Requests go anonymous again: refused, no token is sent.
    let before = control::requests(&server).await.len();
    let err = client.list_databases().await.unwrap_err();
    assert!(
        matches!(
            err,
            raven_backup_studio::api::ApiError::NotAdmin { status: 401, .. }
        ),
        "{err:?}"
    );
    let after = control::requests(&server).await;
    assert!(
        after[before..]
            .iter()
            .all(|e| e["path"] != "/OAuth/API-Key"),
        "no new sign-in after signing out"
    );
    let kept = kept_text();
    assert!(!kept.contains(&secret), "{kept}");
    assert!(!console_text().contains(&secret), "the secret was printed");
}

#[wasm_bindgen_test]
async fn the_backup_screen_says_what_access_a_narrow_key_lacks() {
    // The stored document is read at the root (`/admin/databases/{db}`),
    // which a key for Northwind alone may not read (§11.6): the screen
    // names the database and what to do, rather than failing vaguely.
    let (app, _server) = locked_app().await;
    open_sign_in(&app).await;
    let (name, secret) = narrow_key();
    sign_in_with(&app, &name, &secret).await;
    signed_in(&app, &name).await;
    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    wait_for_page(&app, "the refusal on the Backup screen", 10_000, || {
        let t = text(&app);
        t.contains("The stored document of Northwind could not be read")
            && t.contains("Insufficient access to database")
            && t.contains("Sign in with an API key that has that access")
    })
    .await;
    // Not taken for a lost server or a failed backup.
    assert!(!text(&app).contains("lost"));
    assert!(progress(&app).is_none(), "nothing was started");
}

#[wasm_bindgen_test]
async fn a_watch_refused_by_a_narrow_key_waits_for_a_sign_in_then_ends_in_its_truth() {
    let (app, server) = locked_app().await;
    open_sign_in(&app).await;
    let (admin, admin_secret) = admin_key();
    sign_in_with(&app, &admin, &admin_secret).await;
    signed_in(&app, &admin).await;
    control::op_step(&server, 600).await;
    type_into(&by_role(&app, "textbox", "Database"), "Northwind");
    type_into(
        &by_role(&app, "textbox", "Backup folder on the server"),
        "signin/waits",
    );
    wait_for_page(&app, "review of the request", 10_000, || {
        query_role(&app, "region", "Review the request").is_some()
    })
    .await;
    click(&by_role(&app, "button", "Start backup"));
    wait_for_page(&app, "the backup runs", 10_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("running"))
    })
    .await;
    // Mid-watch the session changes to a key for Northwind alone, which
    // may not read the server-wide operation (at the root, §3.5).
    let (narrow, narrow_secret) = narrow_key();
    let key = raven_backup_studio::auth::oauth3::ApiKey::new(&narrow, &narrow_secret).unwrap();
    session::sign_in(&server, key, 10_000).await.unwrap();
    wait_for_page(&app, "the watch waits for a sign-in", 20_000, || {
        progress(&app).is_some_and(|p| {
            let t = text(&p);
            t.contains("waiting for a sign-in") && t.contains("Insufficient access to database")
        })
    })
    .await;
    let shown = text(&progress(&app).unwrap());
    assert!(
        !shown.contains("lost") && !shown.contains("failed"),
        "{shown}"
    );
    // Signed in with the admin key again: the watch ends in its truth.
    let key = raven_backup_studio::auth::oauth3::ApiKey::new(&admin, &admin_secret).unwrap();
    session::sign_in(&server, key, 10_000).await.unwrap();
    wait_for_page(&app, "the backup's end", 60_000, || {
        progress(&app).is_some_and(|p| text(&p).contains("Backup succeeded"))
    })
    .await;
    control::op_step(&server, 40).await;
}
