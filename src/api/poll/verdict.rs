//! Reading a status document's final word: success, failure (in the
//! server's words) or cancellation, from a backup status or a restore log
//! (§4.1, §5.5, §6.1); and telling an answer about another operation from
//! an answer about this one.

use super::{Outcome, PollResponse, Watched};
use crate::api::error::{split_exception_text, strip_exception_type, ApiError};
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

/// Why an answer from the server asked is not an answer about the followed
/// 4.x+ operation (issue 18.3), or `None` when it may be one. Before any
/// state of the operation was read (`seen` false), a 404 (the database is
/// there, the id is not), a 500 (the database is not there) or a 503 (that
/// server is not set up) says the server asked does not own it, not that it
/// failed or was lost. A state whose kind (its .NET `$type`, where given)
/// is not the followed kind is another operation, whenever it comes.
pub(super) fn not_this_operation(
    what: &Watched,
    id: Option<i64>,
    seen: bool,
    result: &Result<PollResponse, ApiError>,
) -> Option<String> {
    let op = match id {
        Some(id) => format!("operation {id}"),
        None => "this operation".to_string(),
    };
    let noun = what.noun();
    let why = |answer: &str, meaning: &str| {
        format!(
            "The server asked about {op} answered {answer}: {meaning}. The {noun} runs on another server or cluster node (operation ids are numbered per server, and do not survive a restart), so this says nothing of how it went."
        )
    };
    match result {
        Ok(PollResponse::Operation4(state)) => {
            let kind = state_kind(state)?;
            (kind != noun).then(|| {
                format!(
                    "The server answered {op} with the state of a {kind}, but a {noun} of {} is followed: it is another operation with the same id, so its state is not taken for this one.",
                    what.subject()
                )
            })
        }
        _ if seen => None,
        Ok(PollResponse::Missing) | Err(ApiError::NotFound { .. }) => {
            Some(why("404 (not found)", "it does not know this operation"))
        }
        Err(ApiError::ServerException { status: 500, .. } | ApiError::Http { status: 500, .. }) => {
            let words = result.as_ref().err().map(ApiError::user_message);
            Some(why(
                &format!("500 ({})", words.unwrap_or_default().trim_end_matches('.')),
                "the database may not exist on it",
            ))
        }
        Err(ApiError::Unavailable { .. })
        | Err(ApiError::ServerException { status: 503, .. } | ApiError::Http { status: 503, .. }) => {
            Some(why(
                "503 (unavailable)",
                "it is not ready or not set up to run it",
            ))
        }
        _ => None,
    }
}

/// `backup` or `restore`, from a 4.x state's `$type`s, when they say.
fn state_kind(state: &crate::api::wire::v4::OperationState) -> Option<&'static str> {
    let types = [
        state.progress.as_ref().and_then(|p| p.type_name.as_deref()),
        state.result.as_ref().and_then(|r| r.type_name.as_deref()),
    ];
    types.into_iter().flatten().find_map(|t| {
        // `Namespace.BackupResult, Assembly`: the class name says.
        let class = t.split(',').next()?.rsplit('.').next()?;
        if class.contains("Restore") {
            Some("restore")
        } else if class.contains("Backup") {
            Some("backup")
        } else {
            None
        }
    })
}
