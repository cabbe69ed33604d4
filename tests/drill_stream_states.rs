//! Browser tests of the drill's document stream as one request among the
//! others (`api::http::open`): a stream the server refuses reaches the
//! sign-in state, and a stream to a server that went away reaches the
//! connection state, as any other request does. The whole app in headless
//! Chromium against real devservers: the locked sign-in one
//! (`DEVSERVER_SIGNIN_URL`, a key for Northwind only) and the streams one
//! (`DEVSERVER_STREAMS_URL`), both started by scripts/test.sh
//! (docs/protocol/ravendb-3x.md §11.3, §16.5).
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::{
    api::ApiError,
    auth::session,
    drill::stream::reader::{read_documents, ReadError, IDLE_MS},
};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn env(value: Option<&'static str>, name: &str) -> String {
    value
        .unwrap_or_else(|| panic!("{name} is not set at build time: run the browser tests with `make test`, which starts the devservers"))
        .to_string()
}

/// Reads `database`'s whole stream on `server`, counting the documents.
async fn read_all(server: &str, database: &str) -> Result<u64, ReadError> {
    read_documents(server, database, IDLE_MS, |_| Ok(())).await
}

/// The header's connection line.
fn connection_line(app: &Mounted) -> String {
    text(&by_role(app, "status", ""))
}

#[wasm_bindgen_test]
async fn a_stream_refused_to_a_narrow_key_reaches_the_sign_in_state_like_any_request() {
    let server = env(option_env!("DEVSERVER_SIGNIN_URL"), "DEVSERVER_SIGNIN_URL");
    let narrow = env(
        option_env!("DEVSERVER_SIGNIN_NARROW_KEY"),
        "DEVSERVER_SIGNIN_NARROW_KEY",
    );
    let (name, secret) = narrow.split_once('/').expect("name/secret");
    session::sign_out();
    control::reset(&server).await;
    // The restore screen (the drill's), anonymous: refused, so the header
    // offers a sign-in.
    let app = open_on_35(&server, "#/restore").await;
    wait_for_page(&app, "the offer to sign in", 10_000, || {
        query_role(&app, "alert", "Sign-in needed").is_some()
    })
    .await;
    let offer = by_role(&app, "alert", "Sign-in needed");
    click(&by_role(&offer, "button", "Sign in"));
    wait_until("the sign-in form", 5000, || {
        query_role(&app, "textbox", "API key secret").is_some()
    })
    .await;
    type_into(&by_role(&app, "textbox", "API key name"), name);
    type_into(&by_role(&app, "textbox", "API key secret"), secret);
    let form = by_role(&app, "region", "Sign in (RavenDB 3.x API key)");
    click(&by_role(&form, "button", "Sign in"));
    wait_for_page(&app, "signed in", 10_000, || {
        all_by_role(&form, "status", "")
            .iter()
            .any(|s| text(s).contains(&format!("Signed in with API key \"{name}\".")))
    })
    .await;
    let payroll_refused = "Insufficient access to database \"Payroll\"";
    assert!(query_role(&app, "alert", payroll_refused).is_none());

    // Northwind, which the key may read, streams with its token.
    let read = read_all(&server, "Northwind").await;
    assert!(read.as_ref().is_ok_and(|n| *n > 10), "{read:?}");
    // Payroll is refused, and the header says so, as for any request.
    let refused = read_all(&server, "Payroll").await;
    match &refused {
        Err(ReadError::Api(e)) => assert!(
            e.is_refusal() && e.user_message().contains(payroll_refused),
            "{e:?}"
        ),
        other => panic!("not refused: {other:?}"),
    }
    wait_for_page(&app, "the stream's refusal in the header", 10_000, || {
        query_role(&app, "alert", payroll_refused).is_some()
    })
    .await;
    // Only the stream was refused on Payroll: the header heard of it.
    let asked: Vec<String> = control::requests(&server)
        .await
        .iter()
        .filter(|r| r["method"] != "OPTIONS")
        .filter(|r| r["path"].as_str().is_some_and(|p| p.contains("Payroll")))
        .map(|r| format!("{} {} {}", r["method"], r["path"], r["status"]))
        .collect();
    assert_eq!(
        asked,
        ["\"GET\" \"/databases/Payroll/streams/docs\" 403"],
        "{asked:?}"
    );
    drop(app);
    session::sign_out();
}

#[wasm_bindgen_test]
async fn a_stream_to_a_server_that_went_away_reaches_the_connection_state() {
    let server = env(
        option_env!("DEVSERVER_STREAMS_URL"),
        "DEVSERVER_STREAMS_URL",
    );
    session::sign_out();
    control::reset(&server).await;
    let app = open_on_35(&server, "#/restore").await;
    assert!(
        connection_line(&app).starts_with("Connected: RavenDB 3.5"),
        "{}",
        connection_line(&app)
    );
    // The server goes away: every connection is dropped, and nothing else
    // asks it anything.
    control::outage(&server, 60_000).await;
    let read = read_all(&server, "Northwind").await;
    assert!(
        matches!(read, Err(ReadError::Api(ApiError::Unreachable { .. }))),
        "{read:?}"
    );
    wait_for_page(&app, "the header says unreachable", 10_000, || {
        connection_line(&app).starts_with("Server unreachable since")
    })
    .await;
    // The stream was the request that met the outage (with the check of
    // whether anything answers at all, which no screen hears of).
    let dropped: Vec<String> = control::requests(&server)
        .await
        .iter()
        .filter(|r| r["status"] == 0)
        .filter_map(|r| r["path"].as_str().map(String::from))
        .collect();
    assert_eq!(
        dropped.first().map(String::as_str),
        Some("/databases/Northwind/streams/docs"),
        "{dropped:?}"
    );
    // Back: the header follows (its own re-check every few seconds).
    control::outage(&server, 0).await;
    wait_for_page(&app, "the header says answering again", 15_000, || {
        connection_line(&app).contains("answering again since")
    })
    .await;
}
