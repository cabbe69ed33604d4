//! "While the admin looks elsewhere" (issue 17 item 6): what the watched
//! backups, restores and drills say in the tab title and in a desktop
//! notification, as pure host-tested functions, and (browser only) the
//! registry of what is watched that the shell's driver reads.
//!
//! Only fixed words, the kind and the name the admin chose reach a title or
//! a notification: an [`Item`] cannot carry the server's text (a failure's
//! reason may hold paths or values), a document or a secret.

use crate::api::poll::{Outcome, Phase, Snapshot, Watched};
use crate::drill::report::{Cleanup, DrillReport, DrillResult};

/// The product's name, ending every title and named in notifications.
pub const APP_NAME: &str = "Raven Backup Studio";

/// What kind of work is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Backup,
    Restore,
    /// A restore drill ("Verify by restoring").
    Drill,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Backup => "backup",
            Kind::Restore => "restore",
            Kind::Drill => "drill",
        }
    }
}

/// Where a running drill is (its stage, without the scratch name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillStep {
    Starting,
    Restoring,
    Comparing { read: u64 },
    Deleting,
}

/// How a watch ended, in the words of the watch's final verdict (the one
/// the screen shows), without the server's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Succeeded,
    Failed,
    Canceled,
    Lost,
    /// The server asked cannot show the operation.
    NotVisible,
    /// A drill's end; `scratch_left`: its scratch database is still there.
    Drill {
        verdict: DrillVerdict,
        scratch_left: bool,
    },
}

/// A drill's verdict, as its report's sentence starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillVerdict {
    Restorable,
    NotRestorable,
    NotVerified,
}

impl Ending {
    /// The ending of a watch's outcome (its reason is left out).
    pub fn of_outcome(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Succeeded { .. } => Ending::Succeeded,
            Outcome::Failed { .. } => Ending::Failed,
            Outcome::Canceled { .. } => Ending::Canceled,
            Outcome::Lost { .. } => Ending::Lost,
            Outcome::NotVisible { .. } => Ending::NotVisible,
        }
    }

    /// The ending of a drill's report (as its sentence says it).
    pub fn of_drill(report: &DrillReport) -> Self {
        let verdict = match &report.result {
            DrillResult::Compared { .. } if report.restorable() => DrillVerdict::Restorable,
            DrillResult::Compared { .. }
            | DrillResult::RestoreFailed { .. }
            | DrillResult::Unreadable { .. } => DrillVerdict::NotRestorable,
            DrillResult::NotStarted { .. } | DrillResult::CompareFailed { .. } => {
                DrillVerdict::NotVerified
            }
        };
        Ending::Drill {
            verdict,
            scratch_left: matches!(report.cleanup, Cleanup::Failed { .. }),
        }
    }

    /// The outcome in one or two words, first in the title.
    fn word(self) -> &'static str {
        match self {
            Ending::Succeeded => "Done",
            Ending::Failed => "Failed",
            Ending::Canceled => "Canceled",
            Ending::Lost => "Lost",
            Ending::NotVisible => "Not visible here",
            Ending::Drill { verdict, .. } => match verdict {
                DrillVerdict::Restorable => "Restorable",
                DrillVerdict::NotRestorable => "Not restorable",
                DrillVerdict::NotVerified => "Not verified",
            },
        }
    }
}

/// Where a watched item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running {
        /// How far, when the server's progress says it.
        percent: Option<u8>,
        /// Watching is paused (the server carries on).
        paused: bool,
        /// The last requests failed; retrying.
        reconnecting: bool,
        /// A drill's stage.
        step: Option<DrillStep>,
    },
    Ended(Ending),
}

/// One watched backup, restore or drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    /// The database or file system, in words: `Northwind`, `the system
    /// database`, `file system Files` (a drill: its source database).
    pub name: String,
    pub state: State,
}

/// The name of what a watch follows, as the title says it.
pub fn watched_name(what: &Watched) -> String {
    match what {
        Watched::DatabaseBackup { database: None } => "the system database".into(),
        Watched::DatabaseBackup { database: Some(db) } => db.clone(),
        Watched::DatabaseRestore { database } => database.clone(),
        Watched::FileSystemBackup { fs } | Watched::FileSystemRestore { fs } => {
            format!("file system {fs}")
        }
    }
}

/// A percentage the progress line states (`…42%…`, the last one), if any.
pub fn percent_in(text: &str) -> Option<u8> {
    let (before, _) = text.rsplit_once('%')?;
    let number = before.trim_end();
    let start = number
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| i + 1);
    let whole = number[start..].split('.').next()?;
    let value: u32 = whole.parse().ok()?;
    u8::try_from(value).ok().filter(|v| *v <= 100)
}

/// The percentage of a watch's snapshot: backup files restored of several
/// (4.x+ counts), else a percentage in the progress line.
fn snapshot_percent(snapshot: &Snapshot) -> Option<u8> {
    let files = snapshot
        .counts
        .as_ref()
        .and_then(crate::present::progress::determinate);
    match files {
        Some((done, total)) if total > 0 => u8::try_from((done.clamp(0, total) * 100) / total).ok(),
        _ => snapshot.progress.as_deref().and_then(percent_in),
    }
}

impl Item {
    /// A watched backup or restore, from the watch's snapshot.
    pub fn of_watch(what: &Watched, snapshot: &Snapshot, paused: bool) -> Self {
        let state = match &snapshot.phase {
            Phase::Finished(outcome) => State::Ended(Ending::of_outcome(outcome)),
            phase => State::Running {
                percent: snapshot_percent(snapshot),
                paused,
                reconnecting: matches!(phase, Phase::Reconnecting { .. }),
                step: None,
            },
        };
        Item {
            kind: if what.is_backup() {
                Kind::Backup
            } else {
                Kind::Restore
            },
            name: watched_name(what),
            state,
        }
    }

    /// A drill of `source`: running at `step`, or ended.
    pub fn of_drill(source: &str, step: DrillStep, ended: Option<Ending>) -> Self {
        Item {
            kind: Kind::Drill,
            name: source.to_string(),
            state: match ended {
                Some(ending) => State::Ended(ending),
                None => State::Running {
                    percent: None,
                    paused: false,
                    reconnecting: false,
                    step: Some(step),
                },
            },
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running { .. })
    }

    /// `Backup of Northwind`.
    fn label(&self) -> String {
        format!(
            "{} of {}",
            crate::present::capitalized(self.kind.noun()),
            self.name
        )
    }

    /// What the title says of this one item.
    pub fn phrase(&self) -> String {
        let label = self.label();
        match self.state {
            State::Ended(ending) => format!("{}: {label}", ending.word()),
            State::Running { paused: true, .. } => format!("Watching paused · {label}"),
            State::Running {
                reconnecting: true, ..
            } => format!("Reconnecting · {label}"),
            State::Running {
                percent: Some(p), ..
            } => format!("{p}% · {label}"),
            State::Running {
                step: Some(step), ..
            } => match step {
                DrillStep::Starting => format!("{label}: starting…"),
                DrillStep::Restoring => format!("{label}: restoring…"),
                DrillStep::Comparing { read } => {
                    format!("{label}: comparing, {read} documents read…")
                }
                DrillStep::Deleting => format!("{label}: deleting the scratch copy…"),
            },
            State::Running { .. } => match self.kind {
                Kind::Backup => format!("Backing up {}…", self.name),
                Kind::Restore => format!("Restoring {}…", self.name),
                Kind::Drill => format!("{label}…"),
            },
        }
    }
}

/// How many of each: `2 running, 1 failed`.
fn counts(items: &[Item]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    let running = items.iter().filter(|i| i.is_running()).count();
    if running > 0 {
        parts.push(("running".into(), running));
    }
    for item in items {
        if let State::Ended(ending) = item.state {
            // Our own ASCII words: no Unicode case tables in the main wasm.
            let word = ending.word().to_ascii_lowercase();
            match parts.iter_mut().find(|(w, _)| *w == word) {
                Some((_, n)) => *n += 1,
                None => parts.push((word, 1)),
            }
        }
    }
    parts
        .iter()
        .map(|(word, n)| format!("{n} {word}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tab title: `base` alone when nothing is watched (or every end was
/// seen); one item's phrase first; with several, how many of each, then the
/// first running one (else the first ended one).
pub fn title(items: &[Item], base: &str) -> String {
    let Some(lead) = items
        .iter()
        .find(|i| i.is_running())
        .or_else(|| items.first())
    else {
        return base.to_string();
    };
    if items.len() == 1 {
        format!("{} — {base}", lead.phrase())
    } else {
        format!("{} · {} — {base}", counts(items), lead.phrase())
    }
}

/// A desktop notification's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The notification for an item that ended (`None` while it runs): the
/// kind, the name, the outcome in plain words and what to do next; never
/// the server's words.
pub fn notice(item: &Item) -> Option<Notice> {
    let State::Ended(ending) = item.state else {
        return None;
    };
    let noun = item.kind.noun();
    let name = &item.name;
    let (outcome, body) = match ending {
        Ending::Succeeded => (
            "done",
            format!("The server reports the {noun} of {name} succeeded. Open the {APP_NAME} tab to see the details."),
        ),
        Ending::Failed => (
            "failed",
            format!("The server reports the {noun} of {name} failed. Open the {APP_NAME} tab to read the server's words."),
        ),
        Ending::Canceled => (
            "canceled",
            format!("The {noun} of {name} was canceled. Open the {APP_NAME} tab to read the server's words."),
        ),
        Ending::Lost => (
            "outcome unknown",
            format!("{APP_NAME} lost track of the {noun} of {name}: how it ended is not known. Open the tab to see why, then check on the server."),
        ),
        Ending::NotVisible => (
            "cannot be followed here",
            format!("The server asked cannot show the {noun} of {name}, so how it went is not known here. Open the {APP_NAME} tab to see why."),
        ),
        Ending::Drill {
            verdict,
            scratch_left,
        } => {
            let (outcome, said) = match verdict {
                DrillVerdict::Restorable => (
                    "restorable",
                    format!("The backup of {name} was restored into a scratch database and matches its source."),
                ),
                DrillVerdict::NotRestorable => (
                    "not restorable",
                    format!("The drill found the backup of {name} not restorable as it is."),
                ),
                DrillVerdict::NotVerified => (
                    "not verified",
                    format!("The drill could not verify the backup of {name}."),
                ),
            };
            let left = if scratch_left {
                " Its scratch database was not deleted: the tab offers to delete it."
            } else {
                ""
            };
            (
                outcome,
                format!("{said}{left} Open the {APP_NAME} tab to read the report."),
            )
        }
    };
    Some(Notice {
        title: format!("{}: {outcome}", item.label()),
        body,
    })
}

/// True when `what` is the restore a drill runs into one of its scratch
/// databases (the drill's own line says it; the restore is not counted
/// twice).
pub fn is_drill_restore(what: &Watched, scratch: &[String]) -> bool {
    matches!(what, Watched::DatabaseRestore { database } if scratch.iter().any(|s| s == database))
}

#[cfg(target_arch = "wasm32")]
pub use registry::*;

/// What is watched in this tab, written by the followers and the drill and
/// read by the shell's driver (`components::attention`).
#[cfg(target_arch = "wasm32")]
mod registry {
    use super::{DrillStep, Ending};
    use crate::api::{poll::Watched, watch::OperationWatch};
    use leptos::prelude::*;

    /// A followed backup or restore.
    #[derive(Clone)]
    pub struct WatchEntry {
        /// Numbered in order of registration, never reused.
        pub id: u64,
        pub what: Watched,
        pub watch: OperationWatch,
    }

    /// The drill, while it runs and once it ended.
    #[derive(Clone, Debug, PartialEq)]
    pub struct DrillEntry {
        pub id: u64,
        pub source: String,
        pub step: DrillStep,
        pub ended: Option<Ending>,
    }

    #[derive(Clone, Default)]
    pub struct Registry {
        pub watches: Vec<WatchEntry>,
        pub drill: Option<DrillEntry>,
        /// The scratch databases of this tab's drills.
        pub scratch: Vec<String>,
        next_id: u64,
    }

    thread_local! {
        static REGISTRY: ArcRwSignal<Registry> = ArcRwSignal::new(Registry::default());
    }

    /// The registry's signal (the same one for the whole tab).
    pub fn registry() -> ArcRwSignal<Registry> {
        REGISTRY.with(Clone::clone)
    }

    /// Records a watch that was just started (called by
    /// `state::operations::Follower::follow`, under the watch's owner):
    /// forgotten when that owner is disposed, as the watch then ends.
    pub fn watched(what: &Watched, watch: OperationWatch) {
        let mut id = 0;
        registry().update(|r| {
            r.next_id += 1;
            id = r.next_id;
            r.watches.push(WatchEntry {
                id,
                what: what.clone(),
                watch,
            });
        });
        on_cleanup(move || {
            registry().update(|r| r.watches.retain(|e| e.id != id));
        });
    }

    /// Forgets the watches whose signals are gone or that the admin has seen
    /// end (`seen` says which ids).
    pub fn forget(seen: impl Fn(u64) -> bool) {
        registry().update(|r| {
            r.watches
                .retain(|e| e.watch.snapshot.try_with_untracked(|_| ()).is_some() && !seen(e.id));
            if r.drill.as_ref().is_some_and(|d| seen(d.id)) {
                r.drill = None;
            }
        });
    }

    /// The drill's seam: the drill of `source` is at `step`, restoring into
    /// `scratch` (its name, when known).
    pub fn drill_step(source: &str, scratch: Option<&str>, step: DrillStep) {
        registry().update(|r| {
            if let Some(s) = scratch.filter(|s| !s.is_empty()) {
                if !r.scratch.iter().any(|k| k == s) {
                    r.scratch.push(s.to_string());
                }
            }
            match r.drill.as_mut() {
                Some(d) if d.ended.is_none() && d.source == source => d.step = step,
                _ => {
                    r.next_id += 1;
                    r.drill = Some(DrillEntry {
                        id: r.next_id,
                        source: source.to_string(),
                        step,
                        ended: None,
                    });
                }
            }
        });
    }

    /// The drill's seam, for the shell to call once with the drill's state
    /// signals (`state::drill::DrillState`'s `source`, `stage` and
    /// `report`): each stage of a running drill, and each new report, are
    /// passed on (see [`drill_stage`], [`drill_report`]).
    pub fn follow_drill(
        source: impl Into<Signal<String>>,
        stage: impl Into<Signal<Option<crate::drill::run::Stage>>>,
        report: impl Into<Signal<Option<crate::drill::report::DrillReport>>>,
    ) {
        let (source, stage, report) = (source.into(), stage.into(), report.into());
        Effect::new(move |_| {
            if let Some(s) = stage.get() {
                drill_stage(source.get_untracked().trim(), &s);
            }
        });
        // The report there before (an earlier drill's) is not an end.
        Effect::new(
            move |before: Option<Option<crate::drill::report::DrillReport>>| {
                let now = report.get();
                if let (Some(before), Some(r)) = (before, now.as_ref()) {
                    if before.as_ref() != Some(r) {
                        drill_report(r);
                    }
                }
                now
            },
        );
    }

    /// The drill's seam, from its own stage: the drill of `source` is at
    /// `stage`.
    pub fn drill_stage(source: &str, stage: &crate::drill::run::Stage) {
        use crate::drill::run::Stage;
        let (scratch, step) = match stage {
            Stage::Restoring { scratch } => (scratch, DrillStep::Restoring),
            Stage::Comparing { scratch, read } => (scratch, DrillStep::Comparing { read: *read }),
            Stage::Deleting { scratch } => (scratch, DrillStep::Deleting),
        };
        drill_step(source, Some(scratch), step);
    }

    /// The drill's seam, from its report: the drill ended.
    pub fn drill_report(report: &crate::drill::report::DrillReport) {
        drill_ended(&report.source_database, Ending::of_drill(report));
    }

    /// The drill's seam: the drill of `source` ended (see
    /// [`Ending::of_drill`]).
    pub fn drill_ended(source: &str, ending: Ending) {
        registry().update(|r| match r.drill.as_mut() {
            Some(d) if d.ended.is_none() => d.ended = Some(ending),
            _ => {
                r.next_id += 1;
                r.drill = Some(DrillEntry {
                    id: r.next_id,
                    source: source.to_string(),
                    step: DrillStep::Starting,
                    ended: Some(ending),
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::poll::Phase;
    use crate::api::wire::v4::ProgressCounts;
    use crate::drill::compare::Tally;

    const BASE: &str = "Raven Backup Studio";

    fn snapshot(phase: Phase, progress: Option<&str>) -> Snapshot {
        Snapshot {
            phase,
            progress: progress.map(str::to_string),
            counts: None,
            started_ms: 0.0,
            elapsed_ms: 0.0,
            requests: 0,
            transient_errors: 0,
        }
    }

    fn backup(db: &str) -> Watched {
        Watched::DatabaseBackup {
            database: Some(db.into()),
        }
    }

    fn restore(db: &str) -> Watched {
        Watched::DatabaseRestore {
            database: db.into(),
        }
    }

    fn ended(what: &Watched, outcome: Outcome) -> Item {
        Item::of_watch(what, &snapshot(Phase::Finished(outcome), None), false)
    }

    /// A failure whose server text carries a secret-looking value, a path
    /// and a document's content.
    const SECRET: &str = "s3cr3t-AWS-key-0xDEADBEEF";
    const CONTENT: &str = "\"Name\": \"Alfreds Futterkiste\"";

    fn outcomes() -> Vec<Outcome> {
        let words = format!(
            "Access denied to D:\\backups\\Payroll (Raven/AWSSecretKey = {SECRET}); document {CONTENT}"
        );
        vec![
            Outcome::Succeeded {
                summary: format!("Backup completed. {words}"),
            },
            Outcome::Failed {
                reason: words.clone(),
                details: Some(words.clone()),
            },
            Outcome::Canceled {
                reason: words.clone(),
            },
            Outcome::Lost {
                reason: words.clone(),
            },
            Outcome::NotVisible { reason: words },
        ]
    }

    #[test]
    fn nothing_watched_is_the_plain_title() {
        assert_eq!(title(&[], BASE), BASE);
    }

    #[test]
    fn a_running_backup_says_its_progress_first() {
        let running = Item::of_watch(
            &backup("Northwind"),
            &snapshot(Phase::Running, Some("Backing up indexes")),
            false,
        );
        assert_eq!(
            title(&[running], BASE),
            "Backing up Northwind… — Raven Backup Studio"
        );
        let starting = Item::of_watch(&restore("Copy"), &snapshot(Phase::Starting, None), false);
        assert_eq!(
            title(&[starting], BASE),
            "Restoring Copy… — Raven Backup Studio"
        );
        let percent = Item::of_watch(
            &backup("Northwind"),
            &snapshot(Phase::Running, Some("Copied 42% of the files")),
            false,
        );
        assert_eq!(
            title(&[percent], BASE),
            "42% · Backup of Northwind — Raven Backup Studio"
        );
        let system = Item::of_watch(
            &Watched::DatabaseBackup { database: None },
            &snapshot(Phase::Running, None),
            true,
        );
        assert_eq!(
            title(&[system], BASE),
            "Watching paused · Backup of the system database — Raven Backup Studio"
        );
        let reconnecting = Item::of_watch(
            &Watched::FileSystemRestore { fs: "Files".into() },
            &snapshot(
                Phase::Reconnecting {
                    since_ms: 0.0,
                    last_error: crate::api::ApiError::Unreachable {
                        url: "http://s".into(),
                    },
                },
                None,
            ),
            false,
        );
        assert_eq!(
            title(&[reconnecting], BASE),
            "Reconnecting · Restore of file system Files — Raven Backup Studio"
        );
    }

    #[test]
    fn a_modern_restore_counts_its_backup_files() {
        let mut s = snapshot(Phase::Running, None);
        s.counts = Some(ProgressCounts {
            documents: Some(34_499),
            files: Some((3, 4)),
        });
        let item = Item::of_watch(&restore("Big"), &s, false);
        assert_eq!(
            title(&[item], BASE),
            "50% · Restore of Big — Raven Backup Studio"
        );
    }

    #[test]
    fn percentages_in_progress_lines() {
        assert_eq!(percent_in("42%"), Some(42));
        assert_eq!(percent_in("Copied 7.5 % of it"), Some(7));
        assert_eq!(percent_in("first 10%, now 100%"), Some(100));
        assert_eq!(percent_in("250%"), None);
        assert_eq!(percent_in("%"), None);
        assert_eq!(percent_in("no number here %"), None);
        assert_eq!(percent_in("Backing up"), None);
    }

    #[test]
    fn every_outcome_in_the_title() {
        let what = backup("Northwind");
        let titles: Vec<String> = outcomes()
            .into_iter()
            .map(|o| title(&[ended(&what, o)], BASE))
            .collect();
        assert_eq!(
            titles,
            [
                "Done: Backup of Northwind — Raven Backup Studio",
                "Failed: Backup of Northwind — Raven Backup Studio",
                "Canceled: Backup of Northwind — Raven Backup Studio",
                "Lost: Backup of Northwind — Raven Backup Studio",
                "Not visible here: Backup of Northwind — Raven Backup Studio",
            ]
        );
    }

    #[test]
    fn several_at_once_say_how_many() {
        let running =
            |db: &str| Item::of_watch(&backup(db), &snapshot(Phase::Running, Some("42%")), false);
        assert_eq!(
            title(&[running("Northwind"), running("Payroll")], BASE),
            "2 running · 42% · Backup of Northwind — Raven Backup Studio"
        );
        let failed = ended(
            &restore("Copy"),
            Outcome::Failed {
                reason: "x".into(),
                details: None,
            },
        );
        let done = ended(
            &backup("A"),
            Outcome::Succeeded {
                summary: "x".into(),
            },
        );
        assert_eq!(
            title(&[failed.clone(), running("Payroll"), done.clone()], BASE),
            "1 running, 1 failed, 1 done · 42% · Backup of Payroll — Raven Backup Studio"
        );
        assert_eq!(
            title(&[failed.clone(), failed, done], BASE),
            "2 failed, 1 done · Failed: Restore of Copy — Raven Backup Studio"
        );
    }

    #[test]
    fn a_drill_says_its_stage_and_its_verdict() {
        let at = |step| title(&[Item::of_drill("Northwind", step, None)], BASE);
        assert_eq!(
            at(DrillStep::Restoring),
            "Drill of Northwind: restoring… — Raven Backup Studio"
        );
        assert_eq!(
            at(DrillStep::Comparing { read: 300 }),
            "Drill of Northwind: comparing, 300 documents read… — Raven Backup Studio"
        );
        assert_eq!(
            at(DrillStep::Deleting),
            "Drill of Northwind: deleting the scratch copy… — Raven Backup Studio"
        );
        let report = |result, cleanup| DrillReport {
            source_database: "Northwind".into(),
            backup_folder: "C:\\secret-path".into(),
            scratch_database: "drill-x".into(),
            started: String::new(),
            restore_ms: None,
            result,
            cleanup,
        };
        let equal = Tally {
            equal: 3,
            compared: 3,
            ..Tally::default()
        };
        let missing = Tally {
            missing: 1,
            ..Tally::default()
        };
        let cases = [
            (
                report(DrillResult::Compared { tally: equal }, Cleanup::Deleted),
                "Restorable: Drill of Northwind",
                "The backup of Northwind was restored into a scratch database and matches its source. Open the Raven Backup Studio tab to read the report.",
            ),
            (
                report(DrillResult::Compared { tally: missing }, Cleanup::Deleted),
                "Not restorable: Drill of Northwind",
                "The drill found the backup of Northwind not restorable as it is. Open the Raven Backup Studio tab to read the report.",
            ),
            (
                report(
                    DrillResult::RestoreFailed {
                        reason: SECRET.into(),
                    },
                    Cleanup::Failed {
                        reason: SECRET.into(),
                    },
                ),
                "Not restorable: Drill of Northwind",
                "The drill found the backup of Northwind not restorable as it is. Its scratch database was not deleted: the tab offers to delete it. Open the Raven Backup Studio tab to read the report.",
            ),
            (
                report(
                    DrillResult::NotStarted {
                        reason: SECRET.into(),
                    },
                    Cleanup::NothingToDelete,
                ),
                "Not verified: Drill of Northwind",
                "The drill could not verify the backup of Northwind. Open the Raven Backup Studio tab to read the report.",
            ),
        ];
        for (report, phrase, body) in cases {
            let item = Item::of_drill(
                "Northwind",
                DrillStep::Deleting,
                Some(Ending::of_drill(&report)),
            );
            assert_eq!(
                title(std::slice::from_ref(&item), BASE),
                format!("{phrase} — {BASE}")
            );
            let n = notice(&item).unwrap();
            assert_eq!(n.body, body);
            assert!(!n.body.contains(SECRET) && !n.body.contains("secret-path"));
        }
    }

    #[test]
    fn every_outcome_in_a_notification_without_the_servers_words() {
        let what = restore("Payroll");
        let notices: Vec<Notice> = outcomes()
            .into_iter()
            .map(|o| notice(&ended(&what, o)).unwrap())
            .collect();
        let titles: Vec<&str> = notices.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Restore of Payroll: done",
                "Restore of Payroll: failed",
                "Restore of Payroll: canceled",
                "Restore of Payroll: outcome unknown",
                "Restore of Payroll: cannot be followed here",
            ]
        );
        assert_eq!(
            notices[1].body,
            "The server reports the restore of Payroll failed. Open the Raven Backup Studio tab to read the server's words."
        );
        assert!(notices[3].body.contains("how it ended is not known"));
        for n in &notices {
            for text in [&n.title, &n.body] {
                for leak in [
                    SECRET,
                    "Alfreds",
                    "backups",
                    "AWSSecretKey",
                    "Access denied",
                ] {
                    assert!(!text.contains(leak), "{leak} in {text}");
                }
            }
        }
        // Nothing to notify while it runs.
        let running = Item::of_watch(&what, &snapshot(Phase::Running, Some(SECRET)), false);
        assert_eq!(notice(&running), None);
        // The server's progress line never reaches the title either.
        assert!(!title(&[running], BASE).contains(SECRET));
    }

    #[test]
    fn a_drills_own_restore_is_not_counted_twice() {
        let scratch = vec!["drill-Northwind-1".to_string()];
        assert!(is_drill_restore(&restore("drill-Northwind-1"), &scratch));
        assert!(!is_drill_restore(&restore("Northwind"), &scratch));
        assert!(!is_drill_restore(&backup("drill-Northwind-1"), &scratch));
    }
}
