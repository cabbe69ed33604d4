//! `make bench`: speed of the pure hot paths on the host (what runs on
//! every poll and every keystroke), measured with plain timing loops.
//! Sizes of the release build are reported by scripts/bench.sh.

use raven_backup_studio::api::{
    poll::{PollConfig, PollResponse, Tracker, WatchTarget, Watched},
    version::Generation,
    wire3x::BackupStatus,
};
use raven_backup_studio::forms::{
    backup::{
        build_backup_request, document_text, BackupForm, BackupTarget, DocumentChoice,
        SecretsDecision,
    },
    mask_secrets,
};
use std::time::{Duration, Instant};

/// Runs `f` `iters` times, five rounds; prints the median time per call.
fn bench(name: &str, iters: u32, mut f: impl FnMut()) {
    let mut rounds: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed() / iters
        })
        .collect();
    rounds.sort();
    println!("{name:<58} {:>12.3} µs/call", rounds[2].as_secs_f64() * 1e6);
}

/// A 3.5 backup status document with `n` messages of `len` characters.
fn status_json(n: usize, len: usize, running: bool) -> String {
    let messages: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"Message":"{i:06} {}","Details":null,"Timestamp":"2026-11-27T12:00:{:02}.1234567Z","Severity":"Informational"}}"#,
                "x".repeat(len),
                i % 60
            )
        })
        .collect();
    format!(
        r#"{{"Started":"2026-11-27T12:00:00.0000000Z","Completed":null,"IsRunning":{running},"Success":false,"Messages":[{}]}}"#,
        messages.join(",")
    )
}

fn main() {
    println!("Raven Backup Studio host benchmarks (median of 5 rounds)\n");

    let small = status_json(20, 60, true);
    bench("parse a 20-message backup status document", 20_000, || {
        let _: BackupStatus = serde_json::from_str(&small).unwrap();
    });

    // A 5 MB log: 5000 messages of 1000 characters.
    let big = status_json(5000, 1000, true);
    println!("(the large document is {:.1} MB)", big.len() as f64 / 1e6);
    bench("parse a 5 MB backup status document", 10, || {
        let _: BackupStatus = serde_json::from_str(&big).unwrap();
    });

    // The tracker merging a re-written 5000-line list (nothing new): the
    // cost of every poll of a long-running backup.
    let parsed: BackupStatus = serde_json::from_str(&big).unwrap();
    let target = WatchTarget {
        started_after_ms: Some(0.0),
        ..WatchTarget::new(
            Watched::DatabaseBackup {
                database: Some("Northwind".into()),
            },
            None,
            Generation::V30,
        )
    };
    let mut tracker = Tracker::new(target, PollConfig::default(), 0.0);
    tracker.send_request(1.0);
    tracker.observe(1.0, Ok(PollResponse::Backup(parsed.clone())));
    let mut now = 2.0;
    bench(
        "tracker: observe an unchanged 5000-message document",
        20,
        || {
            now += 1000.0;
            tracker.send_request(now);
            tracker.observe(now, Ok(PollResponse::Backup(parsed.clone())));
        },
    );

    // Every keystroke in the form rebuilds the request and its review.
    let mut doc = raven_backup_studio::api::wire3x::DatabaseDocument::default();
    for i in 0..500 {
        doc.settings
            .insert(format!("Raven/Setting/{i}"), format!("value {i}"));
        doc.secured_settings
            .insert(format!("Raven/Secret/{i}"), format!("secret {i}"));
    }
    let form = BackupForm {
        target: Some(BackupTarget::Database("Northwind".into())),
        location: "C:\\Backups\\Northwind".into(),
        choice: DocumentChoice::EditStored,
        document_text: document_text(&doc),
        decision: SecretsDecision::Strip,
        ..BackupForm::default()
    };
    bench(
        "build the request from a 1000-setting document",
        200,
        || {
            let _ = build_backup_request(&form, None).unwrap();
        },
    );
    let body = serde_json::json!({"BackupLocation": "x", "DatabaseDocument": doc});
    bench(
        "mask the secrets of a 1000-setting request body",
        500,
        || {
            let _ = mask_secrets(&body);
        },
    );
}
