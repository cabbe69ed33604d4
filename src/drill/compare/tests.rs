use super::*;
use serde_json::json;

// The backup's newest change, and times before and after it.
const IN_BACKUP: f64 = 1_795_968_000_000.0;
const BEFORE: f64 = IN_BACKUP - 60_000.0;
const AFTER: f64 = IN_BACKUP + 60_000.0;

fn print(id: &str, content: u8, modified_ms: f64) -> DocumentPrint {
    DocumentPrint {
        id: id.to_string(),
        fingerprint: [content; 32],
        modified_ms: Some(modified_ms),
    }
}

fn never() -> f64 {
    panic!("no random numbers below the limit")
}

/// A fixed sequence stands in for Math.random (any values in [0, 1)).
fn numbers(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn equal_missing_different_and_counts() {
    let mut c = Comparison::default();
    for i in 0..3 {
        c.add_restored(print(&format!("orders/{i}"), 1, BEFORE), &mut never);
    }
    c.add_restored(print("orders/3", 2, BEFORE), &mut never);
    c.add_restored(print("Raven/Hilo/orders", 8, IN_BACKUP), &mut never);
    for i in 0..5 {
        c.add_source(print(&format!("orders/{i}"), 1, BEFORE));
    }
    c.add_source(print("Raven/Backup/Status", 9, AFTER));
    let t = c.finish();
    assert_eq!((t.source_documents, t.restored_documents), (5, 4));
    assert_eq!((t.compared, t.equal, t.missing, t.different), (4, 3, 1, 1));
    assert_eq!(t.changed_since_backup, 0);
    assert!(!t.restorable());
    assert_eq!(
        t.newest_in_backup.as_deref(),
        crate::api::wire::time::format_iso_ms(IN_BACKUP).as_deref()
    );
    assert_eq!(
        t.listed,
        vec![
            Differing {
                id: "orders/3".into(),
                difference: Difference::Different
            },
            Differing {
                id: "orders/4".into(),
                difference: Difference::Missing
            },
        ]
    );
}

#[test]
fn changes_made_after_the_backup_are_not_errors() {
    let mut c = Comparison::default();
    c.add_restored(print("a", 1, BEFORE), &mut never);
    c.add_restored(print("changed", 1, IN_BACKUP), &mut never);
    c.add_restored(print("touched", 4, BEFORE), &mut never);
    c.add_restored(print("deleted", 5, BEFORE), &mut never);
    c.add_source(print("a", 1, BEFORE));
    c.add_source(print("changed", 2, AFTER));
    c.add_source(print("created", 3, AFTER));
    c.add_source(print("touched", 4, AFTER));
    let t = c.finish();
    assert!(t.restorable());
    assert_eq!((t.equal, t.missing, t.different), (2, 0, 0));
    assert_eq!(t.changed_since_backup, 3);
    let kinds: Vec<(&str, Difference)> = t
        .listed
        .iter()
        .map(|d| (d.id.as_str(), d.difference))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("changed", Difference::ChangedSinceBackup),
            ("created", Difference::ChangedSinceBackup),
            ("deleted", Difference::DeletedSinceBackup),
        ]
    );
}

#[test]
fn a_difference_older_than_the_backup_is_an_error() {
    let mut c = Comparison::default();
    c.add_restored(print("a", 1, IN_BACKUP), &mut never);
    c.add_restored(print("b", 1, BEFORE), &mut never);
    // Same time as in the backup, other content: the copy is wrong.
    c.add_source(print("a", 2, IN_BACKUP));
    c.add_source(print("b", 1, BEFORE));
    let t = c.finish();
    assert_eq!((t.equal, t.different, t.changed_since_backup), (1, 1, 0));
    assert!(!t.restorable());
}

#[test]
fn without_times_a_change_is_a_difference() {
    let mut c = Comparison::default();
    let mut untimed = print("changed", 1, BEFORE);
    untimed.modified_ms = None;
    c.add_restored(untimed, &mut never);
    c.add_source(print("changed", 2, AFTER));
    let t = c.finish();
    assert_eq!((t.different, t.changed_since_backup), (1, 0));
    assert_eq!(t.newest_in_backup, None);
}

#[test]
fn a_document_read_twice_counts_once() {
    let mut c = Comparison::default();
    c.add_restored(print("a", 1, BEFORE), &mut never);
    c.add_restored(print("a", 1, BEFORE), &mut never);
    c.add_source(print("a", 1, BEFORE));
    c.add_source(print("a", 1, BEFORE));
    let t = c.finish();
    assert_eq!(
        (t.source_documents, t.restored_documents, t.equal),
        (1, 1, 1)
    );
}

#[test]
fn above_the_limit_a_bounded_random_sample_is_compared() {
    let limits = CompareLimits {
        full_limit: 100,
        sample_size: 10,
        listed_ids: 5,
        ..CompareLimits::default()
    };
    let mut random = numbers(7);
    let mut c = Comparison::new(limits);
    for i in 0..1_000 {
        c.add_restored(print(&format!("d/{i}"), 1, BEFORE), &mut random);
        assert!(
            c.kept.len() <= 101,
            "memory stays bounded: {}",
            c.kept.len()
        );
    }
    assert!(c.sampling());
    // Every source document equal except one in ten.
    for i in 0..1_000 {
        let content = if i % 10 == 0 { 2 } else { 1 };
        c.add_source(print(&format!("d/{i}"), content, BEFORE));
    }
    let t = c.finish();
    assert_eq!(t.sample_size, Some(10));
    assert_eq!(t.compared, 10);
    assert_eq!((t.source_documents, t.restored_documents), (1_000, 1_000));
    assert_eq!(t.equal + t.different, 10);
    assert_eq!((t.missing, t.changed_since_backup), (0, 0));
    assert!(t.listed.len() <= 5);
    assert_eq!(t.listed.len() as u64 + t.not_listed, t.different);
}

#[test]
fn the_sample_is_spread_over_the_whole_copy() {
    let limits = CompareLimits {
        full_limit: 50,
        sample_size: 50,
        listed_ids: 0,
        ..CompareLimits::default()
    };
    let mut random = numbers(1);
    let mut c = Comparison::new(limits);
    for i in 0..10_000 {
        c.add_restored(print(&format!("d/{i}"), 1, BEFORE), &mut random);
    }
    let late = c
        .kept
        .keys()
        .filter(|id| id[2..].parse::<u32>().unwrap() >= 5_000)
        .count();
    assert!(
        (10..=40).contains(&late),
        "about half from the second half: {late}"
    );
}

#[test]
fn content_is_canonical_and_volatile_metadata_left_out() {
    let a = json!({"Name": "x", "Lines": [{"b": 1, "a": 2}],
        "@metadata": {"@id": "orders/1", "@etag": "01-1", "Last-Modified": "2026-11-29T16:00:00.0000000Z",
                      "Raven-Last-Modified": "2026-11-29T16:00:00.0000000Z", "Raven-Entity-Name": "Orders"}});
    let b = json!({"Lines": [{"a": 2, "b": 1}], "Name": "x",
        "@metadata": {"Raven-Entity-Name": "Orders", "@id": "orders/1", "@etag": "01-9",
                      "Last-Modified": "2026-11-30T00:00:00.0000000Z", "Non-Authoritative-Information": false}});
    let (ta, tb) = (document_text(&a).unwrap(), document_text(&b).unwrap());
    assert_eq!(ta.id, "orders/1");
    assert_eq!(ta.canonical, tb.canonical);
    assert_eq!(
        ta.canonical,
        r#"{"@metadata":{"Raven-Entity-Name":"Orders"},"Lines":[{"a":2,"b":1}],"Name":"x"}"#
    );
    assert_eq!(
        ta.last_modified.as_deref(),
        Some("2026-11-29T16:00:00.0000000Z")
    );
    let c = json!({"Name": "y", "Lines": [{"a": 2, "b": 1}], "@metadata": {"@id": "orders/1", "Raven-Entity-Name": "Orders"}});
    assert_ne!(document_text(&c).unwrap().canonical, ta.canonical);
    let d = json!({"Name": "x", "Lines": [{"a": 2, "b": 1}], "@metadata": {"@id": "orders/1", "Raven-Entity-Name": "Employees"}});
    assert_ne!(document_text(&d).unwrap().canonical, ta.canonical);
    assert!(document_text(&json!({"no": "metadata"})).is_none());
    assert!(is_server_document("Raven/Backup/Status"));
    assert!(is_server_document("raven/hilo/orders"));
    assert!(!is_server_document("ravens/1"));
}

#[test]
fn fingerprints_are_sha256_of_the_canonical_text() {
    let doc = json!({"Name": "x", "@metadata": {"@id": "orders/1", "Last-Modified": "2026-11-29T16:00:00.0000000Z"}});
    let p = print_of(doc).unwrap();
    assert_eq!(p.id, "orders/1");
    // SHA-256 of `{"@metadata":{},"Name":"x"}`, by `printf '%s' … | sha256sum`.
    let hex: String = p.fingerprint.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, EXPECTED_SHA);
    assert_eq!(
        p.modified_ms,
        crate::api::wire::time::parse_iso_ms("2026-11-29T16:00:00.0000000Z")
    );
    // A 4.x document: `@last-modified`, and its `@…` metadata left out.
    let four = json!({"Name": "x", "@metadata": {"@id": "orders/1", "@change-vector": "A:1-x",
        "@collection": "Orders", "@flags": "HasRevisions", "@last-modified": "2026-11-29T16:00:00.0000000Z"}});
    let q = print_of(four).unwrap();
    assert_eq!(q.fingerprint, p.fingerprint);
    assert_eq!(q.modified_ms, p.modified_ms);
    assert!(print_of(json!({"Name": "no metadata"})).is_none());
}

const EXPECTED_SHA: &str = "256996f3c45b8201b9f321cb1f68312bf6c1eeb8a33f443d902b770388d38270";
