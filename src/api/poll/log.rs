//! The log people see: the server's messages in order, each once, capped
//! (the oldest dropped and counted). Shared by both generations' cores.

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogSeverity {
    /// Progress.
    Info,
    /// A problem the server reported.
    Error,
}

/// One line of the log shown to people.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Server timestamp (backup messages only).
    pub at: Option<String>,
    /// Info or Error.
    pub severity: LogSeverity,
    /// The text.
    pub text: String,
    /// Exception text, if any.
    pub details: Option<String>,
}

impl LogLine {
    /// An information line without time or details.
    pub(super) fn info(text: impl Into<String>) -> Self {
        LogLine {
            at: None,
            severity: LogSeverity::Info,
            text: text.into(),
            details: None,
        }
    }

    /// Said when the server rewrote its message list (see [`merge_list`]).
    pub(super) fn new_list_notice() -> Self {
        LogLine::info(
            "The server started its message list over; the lines below are from the new list.",
        )
    }
}

/// Appends `line`, dropping (and counting) the oldest lines beyond `max`.
pub(super) fn push_capped(log: &mut Vec<LogLine>, dropped: &mut usize, max: usize, line: LogLine) {
    log.push(line);
    let max = max.max(1);
    if log.len() > max {
        let excess = log.len() - max;
        log.drain(..excess);
        *dropped += excess;
    }
}

/// Append-only merge of a re-written message list: returns the index from
/// which `incoming` is new and whether it diverged from what was known
/// (a new list), or `None` if it is a stale, shorter copy.
pub(super) fn merge_list<T: PartialEq + Clone>(
    known: &mut Vec<T>,
    incoming: &[T],
) -> Option<(usize, bool)> {
    let common = known
        .iter()
        .zip(incoming)
        .take_while(|(a, b)| a == b)
        .count();
    if common == known.len() {
        known.extend_from_slice(&incoming[common..]);
        Some((common, false))
    } else if common == incoming.len() {
        None
    } else {
        *known = incoming.to_vec();
        Some((common, true))
    }
}
