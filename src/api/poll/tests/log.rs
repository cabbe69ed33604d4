//! The log: each message once, in order, capped.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

#[test]
fn messages_are_deduplicated_in_order() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let (a, b, c, x) = (msg("a"), msg("b"), msg("c"), msg("x"));
    s.step(Ok(backup_doc(true, None, std::slice::from_ref(&a))));
    s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
    s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
    s.step(Ok(backup_doc(
        true,
        None,
        &[a.clone(), b.clone(), c.clone()],
    )));
    assert_eq!(texts(&s.t), ["a", "b", "c"]);
    // A stale, shorter copy adds nothing.
    s.step(Ok(backup_doc(true, None, std::slice::from_ref(&a))));
    assert_eq!(texts(&s.t), ["a", "b", "c"]);
    // A diverging list is a new list: noted, and only its new part added.
    s.step(Ok(backup_doc(true, None, &[a.clone(), x.clone()])));
    let log = texts(&s.t);
    assert_eq!(log.len(), 5);
    assert!(log[3].contains("started its message list over"));
    assert_eq!(log[4], "x");
    // Same for restore documents (plain strings).
    let mut r = Sim::new(new_northwind_restore(), None, Generation::V35);
    r.step(Ok(restore_doc(
        json!({"State": "Running", "Messages": ["1"]}),
    )));
    r.step(Ok(restore_doc(
        json!({"State": "Running", "Messages": ["1", "2"]}),
    )));
    r.step(Ok(restore_doc(
        json!({"State": "Running", "Messages": ["1", "2", "3"]}),
    )));
    assert_eq!(texts(&r.t), ["1", "2", "3"]);
    assert_eq!(r.t.snapshot().progress.as_deref(), Some("3"));
}

#[test]
fn the_log_is_capped_and_counts_dropped_lines() {
    let config = PollConfig {
        max_log_lines: 3,
        ..PollConfig::default()
    };
    let mut s = Sim::with(
        WatchTarget::new(northwind_backup(), None, Generation::V30),
        config,
    );
    let all: Vec<_> = (0..7).map(|i| msg(&format!("m{i}"))).collect();
    s.step(Ok(backup_doc(true, None, &all[..5])));
    assert_eq!(texts(&s.t), ["m2", "m3", "m4"]);
    assert_eq!(s.t.log().dropped(), 2);
    s.step(Ok(backup_doc(true, None, &all)));
    assert_eq!(texts(&s.t), ["m4", "m5", "m6"]);
    assert_eq!(s.t.log().dropped(), 4);
    assert_eq!(PollConfig::default().max_log_lines, 5000);
}

#[test]
fn each_answer_reports_only_what_it_changed() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let (a, b, c) = (msg("a"), msg("b"), msg("c"));
    s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
    let first = s.changes[0];
    assert!(first.head, "Starting → Running, progress 'b'");
    assert_eq!(
        first.log,
        LogDelta {
            appended: 2,
            dropped: 0
        }
    );
    // The same document again: nothing to publish, though it was counted.
    s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
    assert_eq!(s.changes[1], Changes::default());
    assert!(s.changes[1].log.is_empty());
    assert_eq!(s.t.snapshot().requests, 2);
    // One more message: one line, and the progress line moves.
    s.step(Ok(backup_doc(
        true,
        None,
        &[a.clone(), b.clone(), c.clone()],
    )));
    assert_eq!(
        s.changes[2].log,
        LogDelta {
            appended: 1,
            dropped: 0
        }
    );
    assert!(s.changes[2].head);
    // A failure shows Reconnecting once; the same failure again changes
    // nothing shown.
    s.step(Err(server_500()));
    assert!(s.changes[3].head && s.changes[3].log.is_empty());
    s.step(Err(server_500()));
    assert_eq!(s.changes[4], Changes::default());
    assert_eq!(s.t.snapshot().transient_errors, 2);
    // The end is a head change.
    s.step(Ok(backup_doc(false, None, &[a, b, c])));
    assert!(s.changes[5].head && s.outcome().unwrap().is_success());
    // Once finished, nothing more is reported.
    assert_eq!(s.t.observe(s.now, Err(server_500())), Changes::default());
}

#[test]
fn a_copy_catches_up_with_the_capped_log_from_the_deltas() {
    let config = PollConfig {
        max_log_lines: 2,
        ..PollConfig::default()
    };
    let mut s = Sim::with(
        WatchTarget::new(northwind_backup(), None, Generation::V30),
        config,
    );
    let all: Vec<_> = (0..9).map(|i| msg(&format!("m{i}"))).collect();
    // Fewer, then more new lines in one answer than the cap keeps; the
    // Sim checks its copy against the tracker after every step.
    for n in [1, 2, 7, 8, 9] {
        s.step(Ok(backup_doc(true, None, &all[..n])));
    }
    assert_eq!(texts(&s.t), ["m7", "m8"]);
    assert_eq!(s.shown_log.dropped(), 7);
    assert_eq!(s.shown_log.total(), 9);
    assert_eq!(
        s.changes[2].log,
        LogDelta {
            appended: 2,
            dropped: 5
        }
    );
}
