//! Browser tests of the typed client and the polling engine against a real
//! devserver process (no mocked fetch): operations followed to their true
//! end, with at most one request in flight.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use raven_backup_studio::api::{
    client::Client,
    poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
    version::Generation,
    watch::{watch_operation, OperationWatch},
};
use serde_json::{json, Value};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(v30: bool) -> (Client, String, Generation) {
    let server = devserver_url(v30);
    control::reset(&server).await;
    let client = Client::new(server.clone(), 10_000);
    let info = client.server_info().await.expect("server info");
    (client, server, info.generation)
}

/// Follows a watch to its outcome (or panics after `limit_ms`).
async fn outcome_of(watch: OperationWatch, limit_ms: u32) -> Outcome {
    wait_until("an outcome", limit_ms, || {
        watch
            .snapshot
            .with_untracked(|s| matches!(s.phase, Phase::Finished(_)))
    })
    .await;
    match watch.snapshot.get_untracked().phase {
        Phase::Finished(o) => o,
        _ => unreachable!(),
    }
}

async fn start_backup(client: &Client, db: &str, location: &str) -> Option<i64> {
    client
        .start_operation(
            &format!("/databases/{db}/admin/backup?incremental=false"),
            &json!({"BackupLocation": location, "DatabaseDocument": null}),
        )
        .await
        .expect("backup accepted")
        .operation_id
}

/// The poll requests of the log never overlap in time.
fn assert_one_in_flight(log: &[Value]) {
    let mut polls: Vec<(i64, i64)> = log
        .iter()
        .filter(|r| r["method"] == "GET")
        .filter(|r| {
            let p = r["path"].as_str().unwrap_or_default();
            p.contains("/operation/status")
                || p.contains("/Raven/Backup/Status")
                || p.contains("/Raven/Restore/Status")
        })
        .map(|r| {
            (
                r["startedMs"].as_i64().unwrap(),
                r["finishedMs"].as_i64().unwrap(),
            )
        })
        .collect();
    polls.sort();
    assert!(polls.len() >= 2, "the operation was polled: {log:?}");
    for pair in polls.windows(2) {
        assert!(
            pair[0].1 <= pair[1].0,
            "two poll requests in flight at once: {pair:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_backup_is_followed_to_success_one_request_at_a_time() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, server, generation) = fresh(false).await;
    // The demo's pace (make run): 300 ms per server step.
    control::op_step(&server, 300).await;
    let id = start_backup(&client, "Northwind", "engine/ok").await;
    assert!(id.is_some(), "3.5 answers an OperationId");
    let t0 = js_sys::Date::now();
    let watch = watch_operation(
        client,
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        PollConfig::default(),
    );
    let outcome = outcome_of(watch, 30_000).await;
    assert!(outcome.is_success(), "{outcome:?}");
    let snapshot = watch.snapshot.get_untracked();
    let log = watch.log.get_untracked();
    assert!(
        log.lines()
            .iter()
            .any(|l| l.text.starts_with("Started backup process")),
        "{:?}",
        log.lines()
    );
    let log = control::requests(&server).await;
    assert_one_in_flight(&log);
    // The figures for the record: requests and time of one watched backup.
    web_sys::console::log_1(
        &format!(
            "watched backup of Northwind: {} poll requests, {:.0} ms",
            snapshot.requests,
            js_sys::Date::now() - t0
        )
        .into(),
    );
}

#[wasm_bindgen_test]
async fn a_3_0_backup_without_operation_id_is_followed_by_its_status_document() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, _server, generation) = fresh(true).await;
    assert_eq!(generation, Generation::V30);
    let id = start_backup(&client, "Northwind", "engine/v30").await;
    assert_eq!(id, None, "3.0 answers 201 with no body");
    let watch = watch_operation(
        client,
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            None,
            generation,
        ),
        PollConfig::default(),
    );
    assert!(outcome_of(watch, 30_000).await.is_success());
}

#[wasm_bindgen_test]
async fn a_restore_is_followed_to_success_and_the_database_exists() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, server, generation) = fresh(false).await;
    let id = start_backup(&client, "Northwind", "engine/for-restore").await;
    let backup = watch_operation(
        client.clone(),
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        PollConfig::default(),
    );
    assert!(outcome_of(backup, 30_000).await.is_success());

    let started = client
        .start_operation(
            "/admin/restore?defrag=false",
            &json!({"BackupLocation": "engine/for-restore", "DatabaseName": "EngineRestored"}),
        )
        .await
        .expect("restore accepted");
    assert_eq!(started.status, 202);
    let restore = watch_operation(
        client.clone(),
        WatchTarget::new(
            Watched::DatabaseRestore {
                database: "EngineRestored".into(),
            },
            started.operation_id,
            generation,
        ),
        PollConfig::default(),
    );
    let outcome = outcome_of(restore, 30_000).await;
    assert!(outcome.is_success(), "{outcome:?}");
    let names: Vec<String> = client
        .list_databases()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert!(names.contains(&"EngineRestored".to_string()), "{names:?}");
    assert_one_in_flight(&control::requests(&server).await);
}

#[wasm_bindgen_test]
async fn a_failure_injected_at_a_step_ends_failed_with_the_servers_words() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, _server, generation) = fresh(false).await;
    control::fail_next(
        &devserver_url(false),
        "backup",
        2,
        "Injected: the disk is full",
    )
    .await;
    let id = start_backup(&client, "Northwind", "engine/fails").await;
    let watch = watch_operation(
        client,
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        PollConfig::default(),
    );
    match outcome_of(watch, 30_000).await {
        Outcome::Failed { reason, .. } => {
            assert!(reason.contains("Injected: the disk is full"), "{reason}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_restore_failure_in_3_5_with_empty_state_ends_failed_with_the_reason() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, server, generation) = fresh(false).await;
    let id = start_backup(&client, "Northwind", "engine/restore-fails").await;
    let backup = watch_operation(
        client.clone(),
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        PollConfig::default(),
    );
    assert!(outcome_of(backup, 30_000).await.is_success());
    control::fail_next(&server, "restore", 2, "Injected restore failure").await;
    let started = client
        .start_operation(
            "/admin/restore?defrag=false",
            &json!({"BackupLocation": "engine/restore-fails", "DatabaseName": "WillFail"}),
        )
        .await
        .unwrap();
    let op_id = started.operation_id.unwrap();
    let restore = watch_operation(
        client.clone(),
        WatchTarget::new(
            Watched::DatabaseRestore {
                database: "WillFail".into(),
            },
            Some(op_id),
            generation,
        ),
        PollConfig::default(),
    );
    match outcome_of(restore, 30_000).await {
        Outcome::Failed { reason, .. } => {
            assert!(reason.contains("Injected restore failure"), "{reason}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    // The server's operation state is the 3.5 shape with an empty State.
    let state = control::get(&server, &format!("/operation/status?id={op_id}")).await;
    assert_eq!(state["Faulted"], json!(true));
    assert_eq!(state["State"], json!({}));
}

#[wasm_bindgen_test]
async fn an_operation_forgotten_by_a_restart_ends_lost() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, server, generation) = fresh(false).await;
    control::op_step(&server, 400).await;
    let id = start_backup(&client, "Northwind", "engine/lost").await;
    let config = PollConfig {
        settle_ms: 1500,
        ..PollConfig::default()
    };
    let watch = watch_operation(
        client,
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        config,
    );
    // The server restarts while the backup runs and the watch follows it.
    wait_until("watch running", 10_000, || {
        watch.snapshot.with_untracked(|s| s.requests >= 2)
    })
    .await;
    control::restart(&server).await;
    match outcome_of(watch, 30_000).await {
        Outcome::Lost { reason } => assert!(!reason.is_empty()),
        other => panic!("expected lost, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn transient_server_errors_show_reconnecting_then_the_truth() {
    init_executor();
    let _owner = Owner::new();
    _owner.set();
    let (client, server, generation) = fresh(false).await;
    control::op_step(&server, 300).await;
    let id = start_backup(&client, "Northwind", "engine/flaky").await;
    control::fault(
        &server,
        json!({"method": "GET", "pathPrefix": "/", "count": 5, "status": 500, "contentType": "application/json; charset=utf-8",
               "body": "{\"Url\":\"/operation/status\",\"Error\":\"System.IO.IOException: transient\\r\\n   at X\"}"}),
    )
    .await;
    let watch = watch_operation(
        client,
        WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            id,
            generation,
        ),
        PollConfig::default(),
    );
    let reconnecting = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(watch.snapshot.get().phase, Phase::Reconnecting { .. }) {
            reconnecting.set(true);
        }
    });
    let outcome = outcome_of(watch, 30_000).await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert!(watch.snapshot.get_untracked().transient_errors >= 5);
    assert!(
        reconnecting.get_untracked(),
        "Reconnecting was shown on the way"
    );
}
