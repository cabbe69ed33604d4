//! Reading a status document's final word: success, failure (in the
//! server's words) or cancellation, from a backup status or a restore log
//! (§4.1, §5.5, §6.1).

use super::{Outcome, Watched};
use crate::api::error::{split_exception_text, strip_exception_type};
use crate::api::wire::v3::BackupStatus;

/// What the status document's final word is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Verdict {
    Succeeded,
    Failed {
        reason: String,
        details: Option<String>,
    },
    Canceled {
        reason: String,
    },
}

/// Reason and details from a possibly multi-line exception text.
pub(super) fn reason_and_details(text: &str) -> (String, Option<String>) {
    let (first, rest) = split_exception_text(text);
    let reason = strip_exception_type(&first).to_string();
    (reason, Some(rest).filter(|r| !r.trim().is_empty()))
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn contains_ci(text: &str, needle: &str) -> bool {
    text.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// A restore message that reports a failure (§5.5 message table).
pub(super) fn is_restore_error_line(text: &str) -> bool {
    let t = text.trim_start();
    starts_with_ci(t, "Error:")
        || starts_with_ci(t, "Unable to restore")
        || starts_with_ci(t, "Restore Operation: Failure")
        || contains_ci(t, "Restore Canceled")
}

/// The failure words of a restore log: the last `Unable to restore …`
/// line, else the last error line, else the last line (§5.5).
pub(super) fn restore_failure(messages: &[String]) -> Verdict {
    let pick = messages
        .iter()
        .rev()
        .find(|m| starts_with_ci(m.trim_start(), "Unable to restore"))
        .or_else(|| {
            messages
                .iter()
                .rev()
                .find(|m| is_restore_error_line(m) && !contains_ci(m, "Restore Canceled"))
        })
        .or_else(|| messages.iter().rev().find(|m| is_restore_error_line(m)))
        .or(messages.last());
    match pick {
        Some(text) => {
            let (reason, details) = reason_and_details(text);
            Verdict::Failed { reason, details }
        }
        None => Verdict::Failed {
            reason: "The restore failed; the server gave no reason.".into(),
            details: None,
        },
    }
}

/// The end a restore log's last message announces, if any (early 3.0
/// documents without `State`, §6.1).
pub(super) fn restore_text_verdict(messages: &[String]) -> Option<Verdict> {
    let last = messages.last()?;
    if contains_ci(last, "The new database was created")
        || contains_ci(last, "The new filesystem was created")
    {
        Some(Verdict::Succeeded)
    } else if is_restore_error_line(last) {
        Some(restore_failure(messages))
    } else {
        None
    }
}

/// The final word of a finished backup status document (§4.1, §3.6).
pub(super) fn backup_verdict(status: &BackupStatus) -> Verdict {
    let last_err = status.last_error();
    if status.success == Some(true) {
        return Verdict::Succeeded;
    }
    if let Some(err) = last_err {
        if contains_ci(&err.message, "backup was canceled") {
            return Verdict::Canceled {
                reason: err.message.clone(),
            };
        }
    }
    match (status.success, last_err) {
        (None, None) => Verdict::Succeeded,
        (_, Some(err)) => Verdict::Failed {
            reason: err.message.clone(),
            details: err.details.clone().filter(|d| !d.trim().is_empty()),
        },
        (Some(_), None) => Verdict::Failed {
            reason: "The backup ended without success; the server gave no reason.".into(),
            details: None,
        },
    }
}

/// The outcome a document's verdict gives.
pub(super) fn verdict_outcome(what: &Watched, verdict: &Verdict) -> Outcome {
    match verdict {
        Verdict::Succeeded => Outcome::Succeeded {
            summary: success_summary(what),
        },
        Verdict::Failed { reason, details } => Outcome::Failed {
            reason: reason.clone(),
            details: details.clone(),
        },
        Verdict::Canceled { reason } => Outcome::Canceled {
            reason: reason.clone(),
        },
    }
}

/// `Backup of database X completed.` / `Database X was restored.`
fn success_summary(what: &Watched) -> String {
    if what.is_backup() {
        format!("Backup of {} completed.", what.subject())
    } else {
        let subject = what.subject();
        let mut chars = subject.chars();
        let capitalized = match chars.next() {
            Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
            None => subject,
        };
        format!("{capitalized} was restored.")
    }
}
