//! Durations count from the work's start, not the watch's (issue 11 item
//! 6): by the server's clock when it says, else from the start remembered
//! with the operation to the end this browser saw.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

fn restore_followed_again(started: Option<f64>, ended_seen: Option<f64>) -> Sim {
    let mut target = WatchTarget::new(new_northwind_restore(), Some(3), Generation::V35);
    target.started_after_ms = started;
    target.ended_seen_ms = ended_seen;
    let mut s = Sim::with(target, PollConfig::default());
    let out = s.run(
        20,
        |_| Ok(op_done()),
        |_| {
            Ok(restore_doc(json!({"State": "Completed", "Messages": [
                "The new database was created"]})))
        },
    );
    assert!(out.is_success(), "{out:?}");
    s
}

#[test]
fn a_finished_restore_followed_again_took_from_its_start_to_the_end_seen() {
    // Started 3.8 s before it ended; this browser saw the end an hour ago.
    let ended = T0 - 3_600_000.0;
    let s = restore_followed_again(Some(ended - 3800.0), Some(ended));
    assert_eq!(s.t.snapshot().started_ms, ended - 3800.0);
    assert_eq!(s.t.snapshot().elapsed_ms, 3800.0);
}

#[test]
fn without_a_seen_end_it_counts_from_the_remembered_start() {
    let s = restore_followed_again(Some(T0 - 5000.0), None);
    let elapsed = s.t.snapshot().elapsed_ms;
    assert!(elapsed >= 5000.0, "{elapsed}");
    // A start that cannot be (none, 0, in the future) is the watch's.
    for bad in [None, Some(0.0), Some(T0 + 60_000.0), Some(f64::NAN)] {
        let s = restore_followed_again(bad, None);
        assert_eq!(s.t.snapshot().started_ms, T0, "{bad:?}");
    }
    // An end seen before the start is not believed.
    let s = restore_followed_again(Some(T0 - 5000.0), Some(T0 - 9000.0));
    assert!(s.t.snapshot().elapsed_ms >= 5000.0);
}

#[test]
fn a_3x_backup_took_what_its_status_document_says() {
    // The document says Started 12:00:00.1, Completed 12:00:09.0.
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let out = s.run(
        20,
        |_| unreachable!("3.0 backups have no operation"),
        |_| Ok(backup_doc(false, None, &[msg("Backup completed")])),
    );
    assert!(out.is_success(), "{out:?}");
    assert_eq!(s.t.snapshot().elapsed_ms, 8900.0);
}
