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
    assert_eq!(s.t.snapshot().dropped_lines, 2);
    s.step(Ok(backup_doc(true, None, &all)));
    assert_eq!(texts(&s.t), ["m4", "m5", "m6"]);
    assert_eq!(s.t.snapshot().dropped_lines, 4);
    assert_eq!(PollConfig::default().max_log_lines, 5000);
}
