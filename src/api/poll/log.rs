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

/// The log: the server's messages in order, each once; beyond
/// [`PollConfig::max_log_lines`](super::PollConfig::max_log_lines) the
/// oldest are dropped (and counted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    lines: Vec<LogLine>,
    dropped: usize,
}

/// How the log changed since the last report: a driver that mirrors the
/// log applies it with [`Log::catch_up`] instead of copying the whole log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogDelta {
    /// Lines added at the end (counting only those still kept).
    pub appended: usize,
    /// Oldest lines dropped from the front to keep the cap.
    pub dropped: usize,
}

impl LogDelta {
    /// True when the log did not change.
    pub fn is_empty(&self) -> bool {
        self.appended == 0 && self.dropped == 0
    }
}

impl Log {
    /// The lines kept, oldest first.
    pub fn lines(&self) -> &[LogLine] {
        &self.lines
    }

    /// How many of the oldest lines were dropped to keep the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Every line there has been: those kept and those dropped.
    pub fn total(&self) -> usize {
        self.lines.len() + self.dropped
    }

    /// True while there is no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// A log as it would be after `dropped` lines were dropped and `lines`
    /// kept (for tests of code that shows a log).
    #[cfg(test)]
    pub(crate) fn from_parts(lines: Vec<LogLine>, dropped: usize) -> Self {
        Log { lines, dropped }
    }

    /// A kept line has exactly this text.
    pub(super) fn contains_text(&self, text: &str) -> bool {
        self.lines.iter().any(|l| l.text == text)
    }

    /// Appends `line`, dropping (and counting) the oldest lines beyond
    /// `max`, and notes the change in `delta`.
    pub(super) fn push(&mut self, line: LogLine, max: usize, delta: &mut LogDelta) {
        self.lines.push(line);
        delta.appended += 1;
        let max = max.max(1);
        if self.lines.len() > max {
            let excess = self.lines.len() - max;
            self.lines.drain(..excess);
            self.dropped += excess;
            delta.dropped += excess;
        }
        delta.appended = delta.appended.min(self.lines.len());
    }

    /// Brings this copy of `source`, as it was before the changes `delta`
    /// reports, up to date: drops and appends only what changed.
    pub fn catch_up(&mut self, source: &Log, delta: LogDelta) {
        let drop = delta.dropped.min(self.lines.len());
        self.lines.drain(..drop);
        let appended = delta.appended.min(source.lines.len());
        self.lines
            .extend_from_slice(&source.lines[source.lines.len() - appended..]);
        self.dropped = source.dropped;
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
