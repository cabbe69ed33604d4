//! Browser tests of the drill's streamed comparison and of an unreadable
//! restored copy (issue 17), against a real 3.5 devserver of their own
//! (`DEVSERVER_STREAMS_URL`, started by scripts/test.sh), in headless
//! Chromium. Elements are found by role and accessible name; the server
//! is checked over its HTTP API (docs/protocol/ravendb-3x.md §16.5, §16.6).
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::api::client::Client;
use serde_json::{json, Value};
use support::{drill::*, *};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn streams_server() -> String {
    let url: Option<&str> = option_env!("DEVSERVER_STREAMS_URL");
    url.expect("DEVSERVER_STREAMS_URL is not set at build time: run the browser tests with `make test`, which starts the devservers")
        .to_string()
}

async fn fresh_server() -> String {
    let server = streams_server();
    control::reset(&server).await;
    storage().remove_item(SCRATCH_KEY).unwrap();
    server
}

async fn put(server: &str, path: &str, body: &Value) {
    let resp = gloo_net::http::Request::put(&format!("{server}{path}"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "PUT {path} answered {}", resp.status());
}

async fn verify(app: &Mounted, folder: &str, source: &str) -> String {
    verify_by_restoring(app, folder, source).await.1
}

fn no_scratch(names: &[String]) -> bool {
    !names.iter().any(|n| n.contains("-verify-"))
}

#[wasm_bindgen_test]
async fn the_drill_reads_both_databases_through_the_stream_and_every_document_is_equal() {
    let server = fresh_server().await;
    // Documents whose text tests the reader: quotes, braces and brackets
    // in strings, escapes, and characters of 2, 3 and 4 UTF-8 bytes, large
    // enough to cross the stream's chunks.
    for i in 0..40 {
        put(
            &server,
            &format!("/databases/Northwind/docs/tricky/{i}"),
            &json!({
                "Text": format!("{i}: \"quoted\" }} {{ ] [ \\ Zürich € 𝄞 日本"),
                "Padding": "é".repeat(3000 + i * 97),
                "Nested": {"list": [1, {"x": "}"}, []]},
            }),
        )
        .await;
    }
    back_up_northwind(&server, "st/good").await;
    let all = control::get(&server, "/databases/Northwind/streams/docs").await;
    let count = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            !d["@metadata"]["@id"]
                .as_str()
                .unwrap()
                .to_ascii_lowercase()
                .starts_with("raven/")
        })
        .count();
    assert!(count > 140, "{count}");
    let app = open_on_35(&server, "#/restore").await;
    let result = verify(&app, "st/good", "Northwind").await;
    assert!(
        result.contains(&format!(
            "Restorable: {count} of {count} documents equal, 0 missing, 0 different, 0 changed since the backup"
        )),
        "{result}"
    );
    assert!(result.contains("was hard-deleted"), "{result}");
    // Read through the stream, once per database, and never paged.
    let requests = control::requests(&server).await;
    let streamed: Vec<String> = requests
        .iter()
        .filter_map(|r| r["path"].as_str())
        .filter(|p| p.ends_with("/streams/docs"))
        .map(String::from)
        .collect();
    assert!(
        streamed
            .iter()
            .any(|p| p.contains("/databases/Northwind-verify-"))
            && streamed
                .iter()
                .any(|p| p == "/databases/Northwind/streams/docs"),
        "{streamed:?}"
    );
    assert!(
        !requests.iter().any(
            |r| r["path"].as_str().is_some_and(|p| p.contains("-verify-")
                && p.ends_with("/docs")
                && !p.ends_with("/streams/docs"))
        ),
        "no paging of the scratch database"
    );
    assert!(no_scratch(&database_names(&server).await));
}

#[wasm_bindgen_test]
async fn a_backup_without_its_encryption_key_is_reported_unreadable_and_the_scratch_database_is_gone(
) {
    let server = fresh_server().await;
    // The Backup screen's "strip secrets": Payroll's document with its
    // secured settings (the Encryption key among them) emptied.
    let mut document = control::get(&server, "/admin/databases/Payroll").await;
    document["SecuredSettings"] = json!({});
    let client = Client::new(server.clone(), 10_000);
    client
        .start_operation(
            "/databases/Payroll/admin/backup?incremental=false",
            &json!({"BackupLocation": "st/payroll-stripped", "DatabaseDocument": document}),
        )
        .await
        .unwrap();
    wait_for_payroll_backup(&server).await;
    let app = open_on_35(&server, "#/restore").await;
    let result = verify(&app, "st/payroll-stripped", "Payroll").await;
    assert!(
        result.contains("Not restorable as it is: the backup was restored, but the server cannot open the restored copy, so not one document can be read; restore took "),
        "{result}"
    );
    assert!(
        result.contains("The server said: Could not open database named: Payroll-verify-")
            && result
                .contains(": The Raven/Encryption/Key setting must be set to an encryption key."),
        "{result}"
    );
    assert!(
        result.contains("its secured settings were stripped when it was taken, so the restored copy cannot be decrypted."),
        "{result}"
    );
    assert!(
        result.contains("back into the backup folder's Database.Document"),
        "{result}"
    );
    // Not the random key 3.x offers in its message, nor its stack.
    assert!(!result.contains("<add key"), "{result}");
    assert!(result.contains("was hard-deleted"), "{result}");
    assert!(no_scratch(&database_names(&server).await));
    assert!(storage()
        .get_item(SCRATCH_KEY)
        .unwrap()
        .is_none_or(|t| !t.contains("-verify-")));
}

/// Waits for Payroll's backup to finish (its status document says so).
async fn wait_for_payroll_backup(server: &str) {
    let mut done = false;
    for _ in 0..300 {
        let status = control::get(server, "/databases/Payroll/docs/Raven/Backup/Status").await;
        if status["IsRunning"] == json!(false) && status["Completed"].is_string() {
            done = true;
            break;
        }
        sleep(50).await;
    }
    assert!(done, "Payroll's backup did not finish");
}
