//! Browser tests of the drill's document stream as one request among the
//! others (`api::http::open`): a stream the server refuses reaches the
//! sign-in state, and a stream to a server that went away reaches the
//! connection state, as any other request does; a stream cut or stalled
//! after it started ends the drill in a plain failure (what happened, what
//! to do), never a pass and never an endless wait. The whole app in
//! headless Chromium against real devservers: the locked sign-in one
//! (`DEVSERVER_SIGNIN_URL`, a key for Northwind only) and the streams one
//! (`DEVSERVER_STREAMS_URL`, its body faults `cutBodyAfterBytes` and
//! `stallBodyAfterBytes`), both started by scripts/test.sh
//! (docs/protocol/ravendb-3x.md §11.3, §16.5).
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use raven_backup_studio::{
    api::{client::Client, ApiError},
    auth::session,
    drill::{
        compare::CompareLimits,
        report::Cleanup,
        run::{run_drill, BackupKey, DrillPlan},
        stream::reader::{read_documents, ReadError, IDLE_MS},
    },
    state::operations::Follower,
};
use serde_json::json;
use support::{drill::*, *};
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

/// The source's stream (the drill reads the restored copy's first, at
/// `/databases/Northwind-verify-…`, which this prefix does not match).
const SOURCE_STREAM: &str = "/databases/Northwind/streams/docs";

/// The streams server, reset, with nothing kept by an earlier drill.
async fn fresh_streams_server() -> String {
    let server = env(
        option_env!("DEVSERVER_STREAMS_URL"),
        "DEVSERVER_STREAMS_URL",
    );
    session::sign_out();
    control::reset(&server).await;
    storage().remove_item(SCRATCH_KEY).unwrap();
    storage()
        .remove_item("raven-backup-studio.drill-verified")
        .unwrap();
    server
}

fn no_scratch(names: &[String]) -> bool {
    !names.iter().any(|n| n.contains("-verify-"))
}

/// The GETs of the source's stream the server saw, with their status.
async fn source_streams(server: &str) -> Vec<String> {
    control::requests(server)
        .await
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"] == SOURCE_STREAM)
        .map(|r| r["status"].to_string())
        .collect()
}

#[wasm_bindgen_test]
async fn a_drill_whose_source_stream_is_cut_mid_way_ends_not_verified_with_what_to_do() {
    let server = fresh_streams_server().await;
    back_up_northwind(&server, "sf/cut").await;
    // The source's stream (over 100 KB) is cut past its first 64 KB chunk.
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": SOURCE_STREAM, "cutBodyAfterBytes": 70_000}),
    )
    .await;
    let app = open_on_35(&server, "#/restore").await;
    // It ends: no endless spinner.
    let (_, result) = verify_by_restoring(&app, "sf/cut", "Northwind").await;
    // A plain failure: what happened and what to do, never a pass.
    assert!(
        result.contains("Not verified: the backup was restored")
            && result.contains("but the comparison could not be finished: reading Northwind: the connection broke after "),
        "{result}"
    );
    assert!(
        result.contains("before the end of the server's document stream (")
            && result.contains(
                "the server still answers, so the server or a proxy on the way cut the answer."
            ),
        "{result}"
    );
    assert!(
        result.contains("The documents after that point were not compared, so this is no verdict on the backup. What to do: verify again;"),
        "{result}"
    );
    assert!(
        !result.contains("after 0 documents"),
        "cut mid-way: {result}"
    );
    assert!(!result.contains("Restorable"), "{result}");
    assert!(result.contains("was hard-deleted"), "{result}");
    // Not remembered as verified.
    assert!(storage()
        .get_item("raven-backup-studio.drill-verified")
        .unwrap()
        .is_none_or(|t| !t.contains("sf/cut")));
    assert!(!text(&app).contains("Last verified in this browser"));
    // The stream was answered (then cut), once; the server still answers,
    // and the header says so.
    assert_eq!(source_streams(&server).await, ["200"]);
    assert!(
        connection_line(&app).starts_with("Connected: RavenDB 3.5"),
        "{}",
        connection_line(&app)
    );
    assert!(no_scratch(&database_names(&server).await));
}

#[wasm_bindgen_test]
async fn a_drill_whose_source_stream_stalls_mid_way_ends_not_verified_within_its_idle_limit() {
    let server = fresh_streams_server().await;
    back_up_northwind(&server, "sf/stall").await;
    // The source's stream sends 5000 bytes (a few documents), then nothing,
    // its connection held open.
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": SOURCE_STREAM, "stallBodyAfterBytes": 5000}),
    )
    .await;
    // The app is there for its header (which hears of every request).
    let app = open_on_35(&server, "#/restore").await;
    let client = Client::new(server.clone(), 10_000);
    let generation = client.server_info().await.unwrap().generation;
    // The drill of the Restore screen, with a short idle limit for the
    // stream (the screen's is 60 s).
    let idle_ms = 1500;
    let plan = DrillPlan {
        client,
        generation,
        source: "Northwind".into(),
        folder: "sf/stall".into(),
        last_file: String::new(),
        key: BackupKey::default(),
        at_ms: js_sys::Date::now(),
        limits: CompareLimits {
            stream_idle_ms: idle_ms,
            ..CompareLimits::default()
        },
    };
    let owner = Owner::new();
    let follower = owner.with(Follower::new);
    let drill = run_drill(follower, plan, |_| {});
    // Ends well before the screen's 60 s limit could: no endless wait.
    let timer = gloo_timers::future::TimeoutFuture::new(30_000);
    let report = match futures::future::select(Box::pin(drill), Box::pin(timer)).await {
        futures::future::Either::Left((report, _)) => report,
        futures::future::Either::Right(_) => panic!("the drill did not end within 30 s"),
    };
    let sentence = report.sentence();
    assert!(!report.restorable(), "{sentence}");
    assert!(
        sentence.starts_with("Not verified: the backup was restored")
            && sentence.contains("but the comparison could not be finished: reading Northwind: the server stopped sending its document stream after "),
        "{sentence}"
    );
    assert!(
        sentence.contains("and sent nothing for 1.5 s, so the reading was stopped. The documents after that point were not compared, so this is no verdict on the backup. What to do: verify again when the server is less busy;"),
        "{sentence}"
    );
    assert!(
        !sentence.contains("after 0 documents"),
        "stalled mid-way: {sentence}"
    );
    assert_eq!(report.cleanup, Cleanup::Deleted, "{sentence}");
    assert_eq!(source_streams(&server).await, ["200"]);
    // The header heard "too slow" (and, the delete answered, answering again).
    let line = connection_line(&app);
    assert!(
        line.starts_with("Server too slow to answer since")
            || line.contains("answering again since"),
        "{line}"
    );
    assert!(no_scratch(&database_names(&server).await));
    drop(owner);
}
