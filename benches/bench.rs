//! `make bench`: speed of the pure hot paths on the host (what runs on
//! every poll and every keystroke), measured with plain timing loops, and
//! the restore drill's streamed comparison of 100,000 documents with its
//! peak memory (a counting allocator). Sizes of the release build are
//! reported by scripts/bench.sh.

use raven_backup_studio::api::{
    poll::{PollConfig, PollResponse, Tracker, WatchTarget, Watched},
    version::Generation,
    wire3x::BackupStatus,
};
use raven_backup_studio::drill::{
    compare::{self, fingerprint, print_of, CompareLimits, Comparison},
    stream::ResultsSplitter,
};
use raven_backup_studio::forms::{
    backup::{
        build_backup_request, document_text, BackupForm, BackupTarget, DocumentChoice,
        SecretsDecision,
    },
    mask_secrets,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new);
        if !q.is_null() {
            if new >= layout.size() {
                let now = IN_USE.fetch_add(new - layout.size(), Relaxed) + new - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` once; gives its time and the most bytes it held at once
/// beyond what was in use before it.
fn measured<T>(f: impl FnOnce() -> T) -> (T, Duration, usize) {
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    (out, took, PEAK.load(Relaxed) - before)
}

/// A 3.5 document stream of `n` order-like documents (~600 bytes each),
/// as `GET /databases/{db}/streams/docs` sends it.
fn stream_text(n: usize) -> Vec<u8> {
    let mut s = String::from("{\"Results\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"Company":"companies/{c}","Employee":"employees/{e}","OrderedAt":"2026-11-{d:02}T10:00:00.0000000","ShipTo":{{"City":"Zürich","Line1":"Bahnhofstrasse {i}","Country":"Switzerland"}},"Lines":[{{"Product":"products/{p}","ProductName":"Chai \"special\" {{blend}}","PricePerUnit":18.0,"Quantity":{q},"Discount":0.15}},{{"Product":"products/{p2}","ProductName":"Chang","PricePerUnit":19.0,"Quantity":3,"Discount":0}}],"Freight":{f}.5,"@metadata":{{"Raven-Entity-Name":"Orders","Raven-Clr-Type":"Orders.Order, Northwind","@id":"orders/{i}","Last-Modified":"2026-11-29T16:{m:02}:00.0000000Z","Raven-Last-Modified":"2026-11-29T16:{m:02}:00.0000000","@etag":"01000000-0000-0001-0000-{i:012X}","Non-Authoritative-Information":false}}}}"#,
            c = i % 91,
            e = i % 9,
            d = 1 + i % 28,
            p = i % 77,
            p2 = (i + 5) % 77,
            q = 1 + i % 40,
            f = i % 300,
            m = i % 60,
        ));
        s.push_str("\r\n");
    }
    s.push_str("],\"NextPageStart\":0}");
    s.into_bytes()
}

/// Reads a stream in 64 KB chunks, handing each document on.
fn read_stream(bytes: &[u8], mut each: impl FnMut(serde_json::Value)) -> u64 {
    let mut splitter = ResultsSplitter::new();
    for chunk in bytes.chunks(64 * 1024) {
        for doc in splitter.feed(chunk).unwrap() {
            each(doc);
        }
    }
    splitter.finish().unwrap()
}

/// The drill's comparison of 100,000 documents, read as streams.
fn drill_bench() {
    const N: usize = 100_000;
    let stream = stream_text(N);
    println!(
        "\nRestore drill: {N} documents, a {:.1} MB stream per database (read twice: the copy, then the source)",
        stream.len() as f64 / 1e6
    );
    let mut seed = 7u64;
    let mut random = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let (_, took, peak) = measured(|| {
        let mut n = 0u64;
        n += read_stream(&stream, |_| {});
        n += read_stream(&stream, |_| {});
        n
    });
    println!(
        "{:<58} {:>9.0} ms   peak {:>6.1} MB",
        "split and parse both streams (no fingerprints)",
        took.as_secs_f64() * 1e3,
        peak as f64 / 1e6
    );
    for (what, limits) in [
        (
            "full comparison (limit 100,000: every document kept)",
            CompareLimits::default(),
        ),
        (
            "sampled comparison (limit 10,000, sample 10,000)",
            CompareLimits {
                full_limit: 10_000,
                ..CompareLimits::default()
            },
        ),
    ] {
        let (tally, took, peak) = measured(|| {
            let mut c = Comparison::new(limits);
            read_stream(&stream, |doc| {
                if let Some(p) = print_of(doc) {
                    c.add_restored(p, &mut random);
                }
            });
            read_stream(&stream, |doc| {
                if let Some(p) = print_of(doc) {
                    c.add_source(p);
                }
            });
            c.finish()
        });
        assert_eq!(tally.compared, tally.equal);
        println!(
            "{what:<58} {:>9.0} ms   peak {:>6.1} MB",
            took.as_secs_f64() * 1e3,
            peak as f64 / 1e6
        );
    }
    // The hash alone, over the canonical texts of all documents once.
    let mut texts = Vec::with_capacity(N);
    read_stream(&stream, |doc| texts.extend(compare::document_text(&doc)));
    let bytes: usize = texts.iter().map(|t| t.canonical.len()).sum();
    let (_, took, _) = measured(|| texts.iter().map(|t| fingerprint(t)[0] as u64).sum::<u64>());
    println!(
        "{:<58} {:>9.0} ms   ({:.0} MB/s)",
        format!(
            "SHA-256 (sha2) of {N} canonical texts, {:.1} MB",
            bytes as f64 / 1e6
        ),
        took.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / took.as_secs_f64()
    );
    let (_, took, _) = measured(|| {
        texts
            .iter()
            .map(|t| xxhash_rust::xxh3::xxh3_128(t.canonical.as_bytes()) as u64 & 1)
            .sum::<u64>()
    });
    println!(
        "{:<58} {:>9.0} ms   ({:.0} MB/s)",
        "xxh3-128 (xxhash-rust) of the same, for comparison",
        took.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / took.as_secs_f64()
    );
}

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
    if std::env::args().any(|a| a == "--drill-only") {
        drill_bench();
        return;
    }

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
    drill_bench();
}
