//! How the progress panel words a followed backup or restore: the one-line
//! summary the status region announces, the elapsed time, and the log as a
//! downloadable text file.

use super::{plural, time::format_duration};
use crate::{
    api::poll::{Log, LogSeverity, Outcome, Phase, Snapshot},
    api::version::KillAnswer,
    api::wire::v4::{OperationStatus, ProgressCounts},
    present::operations::kill_answer_text,
    text::clipped,
};

/// The time shown: frozen once finished or no longer watched, else counted
/// from the watch's start to `now_ms` (never less than the last observed).
pub fn elapsed_ms(snapshot: &Snapshot, now_ms: f64, stopped: bool) -> f64 {
    if matches!(snapshot.phase, Phase::Finished(_)) || stopped {
        snapshot.elapsed_ms
    } else {
        (now_ms - snapshot.started_ms).max(snapshot.elapsed_ms)
    }
}

/// The one-line summary: `Backup of database Northwind: running, 4
/// messages (3.2 s)`, `Restore succeeded in 4.0 s.`, …
pub fn summary(
    noun: &str,
    subject: &str,
    snapshot: &Snapshot,
    log: &Log,
    elapsed: f64,
    paused: bool,
) -> String {
    let time = format_duration(elapsed);
    match &snapshot.phase {
        Phase::Starting => format!("{noun} of {subject}: starting… ({time})"),
        Phase::Running if paused => {
            format!("{noun} of {subject}: watching paused ({time}). The server carries on.")
        }
        Phase::Running => {
            let messages = log.total();
            format!(
                "{noun} of {subject}: running, {messages} message{} ({time})",
                plural(messages)
            )
        }
        Phase::Reconnecting { last_error, .. } if last_error.is_auth_refusal() => format!(
            "{noun} of {subject}: waiting for a sign-in ({time}). The last known state is shown; the server carries on."
        ),
        Phase::Reconnecting { .. } => format!(
            "{noun} of {subject}: reconnecting to the server… ({time}). The last known state is shown."
        ),
        Phase::Finished(Outcome::Succeeded { .. }) => format!("{noun} succeeded in {time}."),
        Phase::Finished(Outcome::Failed { reason, .. }) => {
            format!("{noun} failed: {}", clipped(reason))
        }
        Phase::Finished(Outcome::Canceled { .. }) => format!("{noun} was canceled."),
        Phase::Finished(Outcome::Lost { .. }) => format!("{noun}: outcome unknown (lost)."),
        Phase::Finished(Outcome::NotVisible { .. }) => {
            format!("{noun}: cannot see this operation from here.")
        }
    }
}

/// `150000` as `150,000`.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// The counts of a running 4.x+ operation in words
/// (docs/protocol/ravendb-4x.md#progress): `34,499 documents read; file 1 of
/// 2`. `None` when nothing was counted.
pub fn counts_text(counts: &ProgressCounts) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(n) = counts.documents {
        parts.push(format!(
            "{} document{} read",
            grouped(n),
            plural(n.max(0) as usize)
        ));
    }
    // `CurrentFile` counts the files started: 0 before the first, then 1
    // while the first is read (docs/protocol/ravendb-4x.md#progress).
    if let Some((current, total)) = counts.files {
        parts.push(if current >= 1 {
            format!(
                "restoring backup file {} of {}",
                grouped(current),
                grouped(total)
            )
        } else {
            format!(
                "{} backup file{} to restore",
                grouped(total),
                plural(total.max(0) as usize)
            )
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A determinate bar's `(files finished, files)` where the counts have a
/// meaningful total: a restore of several backup files. `None` keeps the
/// bar indeterminate (documents read have no total; one file says nothing
/// until it is done).
pub fn determinate(counts: &ProgressCounts) -> Option<(i64, i64)> {
    let (current, total) = counts.files?;
    (total > 1 && (0..=total).contains(&current)).then_some(((current - 1).max(0), total))
}

/// The progress panel's words for the answer to its cancel request. The
/// panel's final status comes from the followed state, not from this.
pub fn kill_answer_words(answer: &KillAnswer) -> &'static str {
    match answer {
        KillAnswer::V35(state) => kill_answer_text(state),
        KillAnswer::V4(None) => {
            "The server accepted the cancel request. The status above shows what it reports next."
        }
        KillAnswer::V4(Some(state)) => match state.status {
            OperationStatus::Canceled => "The server accepted the cancel request and reports the operation as canceled.",
            OperationStatus::Completed => {
                "The server accepted the cancel request, but the operation had already completed."
            }
            OperationStatus::Faulted => {
                "The server accepted the cancel request, but the operation had already failed."
            }
            OperationStatus::InProgress | OperationStatus::Other(_) => {
                "The server accepted the cancel request and is stopping the operation; the status above changes when it has."
            }
        },
    }
}

/// Messages not shown on screen (only the newest `visible` are), older
/// dropped ones included.
pub fn hidden_lines(log: &Log, visible: usize) -> usize {
    log.lines().len().saturating_sub(visible) + log.dropped()
}

/// The whole log as text, one line per message, details under their line.
pub fn log_text(log: &Log) -> String {
    let mut out = String::new();
    if log.dropped() > 0 {
        out.push_str(&format!("({} older lines dropped)\n", log.dropped()));
    }
    for line in log.lines() {
        let sev = match line.severity {
            LogSeverity::Info => "Info",
            LogSeverity::Error => "Error",
        };
        out.push_str(&format!(
            "[{}] {}: {}\n",
            line.at.as_deref().unwrap_or("-"),
            sev,
            line.text
        ));
        if let Some(d) = &line.details {
            out.push_str(d);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{poll::LogLine, ApiError};

    fn snapshot(phase: Phase) -> Snapshot {
        Snapshot {
            phase,
            counts: None,
            progress: None,
            started_ms: 1000.0,
            elapsed_ms: 500.0,
            requests: 0,
            transient_errors: 0,
        }
    }

    #[test]
    fn counts_read_as_words_and_a_bar_only_with_a_total() {
        let docs = ProgressCounts {
            documents: Some(150_000),
            files: None,
        };
        assert_eq!(
            counts_text(&docs).as_deref(),
            Some("150,000 documents read")
        );
        assert_eq!(determinate(&docs), None);
        let restore = ProgressCounts {
            documents: Some(1),
            files: Some((2, 3)),
        };
        assert_eq!(
            counts_text(&restore).as_deref(),
            Some("1 document read; restoring backup file 2 of 3")
        );
        // The second of three files is being read: one is finished.
        assert_eq!(determinate(&restore), Some((1, 3)));
        let before = ProgressCounts {
            documents: None,
            files: Some((0, 1)),
        };
        assert_eq!(
            counts_text(&before).as_deref(),
            Some("1 backup file to restore")
        );
        // One file: the bar stays indeterminate (it would sit at 0 until the end).
        assert_eq!(determinate(&before), None);
        assert_eq!(
            determinate(&ProgressCounts {
                documents: None,
                files: Some((1, 1))
            }),
            None
        );
        assert_eq!(counts_text(&ProgressCounts::default()), None);
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-1000), "-1,000");
    }

    #[test]
    fn a_cancel_answer_says_what_the_server_reported() {
        let state = |status: &str| {
            serde_json::from_value::<crate::api::wire::v4::OperationState>(
                serde_json::json!({"Status": status, "Progress": null, "Result": null}),
            )
            .unwrap()
        };
        assert!(kill_answer_words(&KillAnswer::V4(Some(state("Canceled"))))
            .contains("reports the operation as canceled"));
        assert!(
            kill_answer_words(&KillAnswer::V4(Some(state("InProgress")))).contains("is stopping")
        );
        assert!(kill_answer_words(&KillAnswer::V4(Some(state("Completed"))))
            .contains("already completed"));
        assert!(kill_answer_words(&KillAnswer::V4(None)).contains("accepted"));
    }

    fn log(lines: usize, dropped: usize) -> Log {
        Log::from_parts(
            (0..lines)
                .map(|i| LogLine {
                    at: (i == 0).then(|| "2026-11-27T17:45:03Z".to_string()),
                    severity: if i == 1 {
                        LogSeverity::Error
                    } else {
                        LogSeverity::Info
                    },
                    text: format!("line {i}"),
                    details: (i == 1).then(|| "   at Somewhere()".to_string()),
                })
                .collect(),
            dropped,
        )
    }

    #[test]
    fn elapsed_time_counts_while_running_and_freezes_at_the_end() {
        let running = snapshot(Phase::Running);
        assert_eq!(elapsed_ms(&running, 4000.0, false), 3000.0);
        assert_eq!(
            elapsed_ms(&running, 1200.0, false),
            500.0,
            "never less than observed"
        );
        assert_eq!(elapsed_ms(&running, 4000.0, true), 500.0, "stopped");
        let done = snapshot(Phase::Finished(Outcome::Lost { reason: "x".into() }));
        assert_eq!(elapsed_ms(&done, 9000.0, false), 500.0);
    }

    #[test]
    fn summaries_for_every_phase() {
        let s = |phase, lines, paused| {
            summary(
                "Backup",
                "database N",
                &snapshot(phase),
                &log(lines, 0),
                3200.0,
                paused,
            )
        };
        assert_eq!(
            s(Phase::Starting, 0, false),
            "Backup of database N: starting… (3.2 s)"
        );
        assert_eq!(
            s(Phase::Running, 1, false),
            "Backup of database N: running, 1 message (3.2 s)"
        );
        assert_eq!(
            s(Phase::Running, 2, false),
            "Backup of database N: running, 2 messages (3.2 s)"
        );
        assert_eq!(
            s(Phase::Running, 2, true),
            "Backup of database N: watching paused (3.2 s). The server carries on."
        );
        let reconnecting = Phase::Reconnecting {
            since_ms: 0.0,
            last_error: ApiError::Aborted,
        };
        assert!(s(reconnecting, 0, false).contains("reconnecting to the server… (3.2 s)"));
        let refused = Phase::Reconnecting {
            since_ms: 0.0,
            last_error: ApiError::AuthRefused {
                status: 403,
                refusal: crate::auth::refusal::AuthRefusal::InsufficientScope {
                    database: "N".into(),
                    write: false,
                },
            },
        };
        assert!(s(refused, 0, false).contains("waiting for a sign-in (3.2 s)"));
        assert_eq!(
            s(
                Phase::Finished(Outcome::Succeeded {
                    summary: "ok".into()
                }),
                0,
                false
            ),
            "Backup succeeded in 3.2 s."
        );
        assert_eq!(
            s(
                Phase::Finished(Outcome::Failed {
                    reason: "disk full".into(),
                    details: None
                }),
                0,
                false
            ),
            "Backup failed: disk full"
        );
        assert_eq!(
            s(
                Phase::Finished(Outcome::Canceled { reason: "x".into() }),
                0,
                false
            ),
            "Backup was canceled."
        );
        assert_eq!(
            s(
                Phase::Finished(Outcome::Lost { reason: "x".into() }),
                0,
                false
            ),
            "Backup: outcome unknown (lost)."
        );
    }

    #[test]
    fn the_log_file_has_every_line_and_its_details() {
        let l = log(3, 7);
        assert_eq!(hidden_lines(&l, 2), 8);
        assert_eq!(hidden_lines(&l, 300), 7);
        assert_eq!(
            log_text(&l),
            "(7 older lines dropped)\n[2026-11-27T17:45:03Z] Info: line 0\n[-] Error: line 1\n   at Somewhere()\n[-] Info: line 2\n"
        );
    }
}
