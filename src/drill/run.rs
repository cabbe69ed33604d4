//! The drill's thin browser driver: names the scratch database, restores
//! into it through the restore screen's own start-and-follow path, reads
//! both databases through the server's document stream (`stream::reader`:
//! one document in memory at a time, fingerprinted by SHA-256 and
//! dropped), and hard-deletes the scratch database whatever happened
//! (docs/protocol/ravendb-3x.md §16). On 4.x and later the restore
//! request, the document text and the delete are 4.x's
//! (docs/protocol/ravendb-4x.md#drill): `super::v4`, `super::v4_io`.

use super::{
    compare::{print_of, print_of_text, CompareLimits, Comparison},
    kept::{self, LastVerified, PendingScratch},
    name::free_scratch_name,
    report::{unreadable_copy, Cleanup, DrillReport, DrillResult},
    stream::reader::{read_documents, ReadError},
    v4::{self, RestoreChoice},
    v4_io,
};
use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, Watched},
        version::Generation,
        wire::time::format_iso_ms,
        ApiError,
    },
    forms::{
        backup_key::placement_needs_snapshot_flag,
        restore::{build_restore_request, RestoreForm, RestoreResource},
    },
    present::error::in_one_line,
    state::operations::{post_and_follow, Follower, StartPost},
    storage,
};
use leptos::prelude::*;

/// The progress line is updated every this many documents.
const PROGRESS_EVERY: u64 = 500;

/// What the admin agreed to.
#[derive(Clone, Debug)]
pub struct DrillPlan {
    pub client: Client,
    pub generation: Generation,
    /// The database the backup was taken from.
    pub source: String,
    /// The backup folder on the server.
    pub folder: String,
    /// 4.x and later: restore up to this file of the folder (a restore
    /// point); empty = all of it.
    pub last_file: String,
    /// 4.x and later: the key of an encrypted backup; memory only, never
    /// printed (`BackupKey`'s `Debug` says only whether it is set).
    pub key: BackupKey,
    /// The time the scratch name is made from (shown in the confirmation).
    pub at_ms: f64,
    pub limits: CompareLimits,
}

/// The key of an encrypted backup, as typed: kept in memory only.
#[derive(Clone, Default, PartialEq)]
pub struct BackupKey(pub String);

impl std::fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "BackupKey(none)"
        } else {
            "BackupKey(set)"
        })
    }
}

fn is_v4(generation: &Generation) -> bool {
    matches!(generation, Generation::V4Plus { .. })
}

/// Where a running drill is, for the progress line.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Restoring { scratch: String },
    Comparing { scratch: String, read: u64 },
    Deleting { scratch: String },
}

impl Stage {
    /// One line for the aria-live progress.
    pub fn words(&self) -> String {
        match self {
            Stage::Restoring { scratch } => format!("Restoring the backup into {scratch}…"),
            Stage::Comparing { scratch, read } => {
                format!("Comparing {scratch} with the source: {read} documents read…")
            }
            Stage::Deleting { scratch } => format!("Hard-deleting {scratch}…"),
        }
    }
}

/// The scratch databases this browser has not deleted yet.
pub fn pending() -> Vec<PendingScratch> {
    kept::parse(storage::get(storage::keys::DRILL_SCRATCH).as_deref())
}

fn update_pending(change: impl FnOnce(&mut Vec<PendingScratch>)) {
    let mut list = pending();
    change(&mut list);
    storage::set(storage::keys::DRILL_SCRATCH, &kept::to_text(&list));
}

/// When each folder was last verified in this browser.
pub fn verified() -> Vec<LastVerified> {
    kept::parse(storage::get(storage::keys::DRILL_VERIFIED).as_deref())
}

fn record_verified(entry: LastVerified) {
    let mut list = verified();
    kept::record_verified(&mut list, entry);
    storage::set(storage::keys::DRILL_VERIFIED, &kept::to_text(&list));
}

/// Hard-deletes a scratch database (on 4.x and later: waited for until
/// the server no longer has it) and forgets it once gone. `generation`:
/// the connected server's (unknown = 3.x's route).
pub async fn delete_scratch(
    client: &Client,
    generation: Option<Generation>,
    name: &str,
) -> Cleanup {
    let deleted = if generation.as_ref().is_some_and(is_v4) {
        v4_io::hard_delete(client, name).await
    } else {
        client
            .hard_delete_database(name)
            .await
            .map_err(|e| in_one_line(&e))
    };
    let cleanup = match deleted {
        Ok(true) => Cleanup::Deleted,
        Ok(false) => Cleanup::NothingToDelete,
        Err(reason) => Cleanup::Failed { reason },
    };
    if !matches!(cleanup, Cleanup::Failed { .. }) {
        update_pending(|l| kept::remove_pending(l, client.base(), name));
    }
    cleanup
}

/// Whether the restore point the drill stops at is a snapshot, as the
/// server lists the folder's restore points: asked only when it decides
/// where a key goes (a key given, RavenDB 4.2 or later), so a drill
/// without a key sends what it always sent
/// (docs/protocol/ravendb-4x.md#restore-key). The error is in the
/// server's words.
async fn chosen_point_is_snapshot(plan: &DrillPlan) -> Result<bool, String> {
    if plan.key.0.trim().is_empty() || !placement_needs_snapshot_flag(&plan.generation) {
        return Ok(false);
    }
    let points = plan
        .client
        .restore_points4(plan.generation, &plan.folder)
        .await
        .map_err(|e| {
            format!(
                "the backup folder's restore points could not be listed, so where its key goes is not known: {}",
                in_one_line(&e)
            )
        })?;
    Ok(v4::point_is_snapshot(
        &points.list,
        &plan.folder,
        &plan.last_file,
    ))
}

/// Runs the whole drill; always ends in a report (and, once the restore
/// was asked for, with the scratch database deleted or said to be left).
pub async fn run_drill(follower: Follower, plan: DrillPlan, stage: impl Fn(Stage)) -> DrillReport {
    let started = format_iso_ms(js_sys::Date::now()).unwrap_or_default();
    let mut report = DrillReport {
        source_database: plan.source.clone(),
        backup_folder: plan.folder.clone(),
        scratch_database: String::new(),
        started,
        restore_ms: None,
        result: DrillResult::NotStarted {
            reason: String::new(),
        },
        cleanup: Cleanup::NothingToDelete,
    };
    let not_started = |mut report: DrillReport, reason: String| {
        report.result = DrillResult::NotStarted { reason };
        report
    };
    let names = match plan.client.list_databases().await {
        Ok(list) => list.into_iter().map(|d| d.name).collect::<Vec<_>>(),
        Err(e) => return not_started(report, in_one_line(&e)),
    };
    if crate::forms::restore::taken_name(names.iter().map(String::as_str), &plan.source).is_none() {
        let reason = format!(
            "There is no database named “{}” on the server to compare with.",
            plan.source
        );
        return not_started(report, reason);
    }
    let scratch =
        match free_scratch_name(&plan.source, plan.at_ms, names.iter().map(String::as_str)) {
            Ok(name) => name,
            Err(why) => return not_started(report, why),
        };
    report.scratch_database = scratch.clone();
    let request = if is_v4(&plan.generation) {
        let snapshot = match chosen_point_is_snapshot(&plan).await {
            Ok(snapshot) => snapshot,
            Err(words) => return not_started(report, words),
        };
        let choice = RestoreChoice {
            folder: plan.folder.clone(),
            last_file: plan.last_file.clone(),
            key: plan.key.0.clone(),
            snapshot,
        };
        match v4::restore_request(&plan.generation, &choice, &scratch) {
            Ok(r) => r,
            Err(words) => return not_started(report, words),
        }
    } else {
        let form = RestoreForm {
            resource: RestoreResource::Database,
            backup_location: plan.folder.clone(),
            name: scratch.clone(),
            ..RestoreForm::default()
        };
        match build_restore_request(&form, &plan.generation, Some(&names)) {
            Ok(r) => r,
            Err(problems) => {
                let words = problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join(" ");
                return not_started(report, words);
            }
        }
    };
    // Remembered before anything is sent: a reload from here on offers
    // to delete it.
    update_pending(|l| {
        kept::add_pending(
            l,
            PendingScratch {
                server: plan.client.base().to_string(),
                name: scratch.clone(),
                since_ms: js_sys::Date::now(),
            },
        )
    });
    stage(Stage::Restoring {
        scratch: scratch.clone(),
    });
    let restore_started = js_sys::Date::now();
    let start = StartPost {
        client: plan.client.clone(),
        generation: plan.generation,
        what: Watched::DatabaseRestore {
            database: scratch.clone(),
        },
        request,
        success_note: format!("The scratch database {scratch} was restored for a verification."),
    };
    let outcome = match post_and_follow(follower, start, None).await {
        Ok(running) => Some(wait_for_end(&running.watch).await),
        Err(failure) => {
            if matches!(failure.error, ApiError::NameTaken { .. }) {
                // Nothing was sent, and the name is someone else's now.
                update_pending(|l| kept::remove_pending(l, plan.client.base(), &scratch));
                return not_started(report, in_one_line(&failure.error));
            }
            report.result = DrillResult::NotStarted {
                reason: in_one_line(&failure.error),
            };
            None
        }
    };
    if let Some(outcome) = outcome {
        report.restore_ms = Some(js_sys::Date::now() - restore_started);
        report.result = match outcome {
            Outcome::Succeeded { .. } => match compare(&plan, &scratch, &stage).await {
                Ok(tally) => DrillResult::Compared { tally },
                Err(result) => result,
            },
            Outcome::Failed { reason, .. } => DrillResult::RestoreFailed { reason },
            Outcome::Canceled { reason } => DrillResult::RestoreFailed { reason },
            Outcome::Lost { reason } | Outcome::NotVisible { reason } => {
                DrillResult::RestoreFailed {
                    reason: format!("How the restore ended is not known: {reason}"),
                }
            }
        };
    }
    stage(Stage::Deleting {
        scratch: scratch.clone(),
    });
    report.cleanup = delete_scratch(&plan.client, Some(plan.generation), &scratch).await;
    if matches!(
        report.result,
        DrillResult::Compared { .. }
            | DrillResult::RestoreFailed { .. }
            | DrillResult::Unreadable { .. }
    ) {
        record_verified(LastVerified {
            server: plan.client.base().to_string(),
            folder: plan.folder.trim().to_string(),
            at_ms: js_sys::Date::now(),
            restorable: report.restorable(),
            sentence: report.sentence(),
        });
    }
    report
}

/// Waits until the restore's watch has its outcome.
async fn wait_for_end(watch: &crate::api::watch::OperationWatch) -> Outcome {
    loop {
        let phase = watch.snapshot.with_untracked(|s| s.phase.clone());
        if let Phase::Finished(outcome) = phase {
            return outcome;
        }
        if untrack(|| watch.is_over()) {
            return Outcome::Lost {
                reason: "the dashboard stopped watching the restore.".into(),
            };
        }
        gloo_timers::future::TimeoutFuture::new(200).await;
    }
}

/// Streams both databases into the comparison: the restored copy first
/// (its newest change is where "changed since the backup" starts, §16.3),
/// then the source. A restored copy the server cannot open is
/// [`DrillResult::Unreadable`] (§16.6); any other failure is
/// [`DrillResult::CompareFailed`] in the server's words.
async fn compare(
    plan: &DrillPlan,
    scratch: &str,
    stage: &impl Fn(Stage),
) -> Result<super::compare::Tally, DrillResult> {
    let comparison = std::cell::RefCell::new(Comparison::new(plan.limits));
    let read = std::cell::Cell::new(0u64);
    let mut random = js_sys::Math::random;
    let v4 = is_v4(&plan.generation);
    for (database, restored) in [(scratch, true), (plan.source.as_str(), false)] {
        let each = |doc: serde_json::Value| {
            // 4.x: a restore gives new change vectors, so the 4.x text
            // leaves them out (docs/protocol/ravendb-4x.md#drill-documents).
            let print = if v4 {
                v4::document_text(&doc).map(print_of_text)
            } else {
                print_of(doc)
            };
            if let Some(print) = print {
                let mut c = comparison.borrow_mut();
                if restored {
                    c.add_restored(print, &mut random);
                } else {
                    c.add_source(print);
                }
            }
            read.set(read.get() + 1);
            if read.get().is_multiple_of(PROGRESS_EVERY) {
                stage(Stage::Comparing {
                    scratch: scratch.to_string(),
                    read: read.get(),
                });
            }
            Ok(())
        };
        if let Err(e) = read_documents(
            plan.client.base(),
            database,
            plan.limits.stream_idle_ms,
            each,
        )
        .await
        {
            let failed = |reason: String| DrillResult::CompareFailed {
                reason: format!("reading {database}: {reason}"),
            };
            return Err(match e {
                ReadError::Api(ApiError::Unavailable { message }) if restored => {
                    unreadable_copy(&message).unwrap_or_else(|| failed(message))
                }
                ReadError::Api(api) => failed(in_one_line(&api)),
                ReadError::Stream(words) | ReadError::Stopped(words) => failed(words),
            });
        }
        stage(Stage::Comparing {
            scratch: scratch.to_string(),
            read: read.get(),
        });
    }
    Ok(comparison.into_inner().finish())
}
