//! The restore drill's state ("Verify by restoring", issue 17), in the
//! shared home: a drill runs to its end (and deletes its scratch database)
//! whatever screen the admin looks at, and any screen can ask for one (a
//! finished backup's panel, an Operations row) through a [`DrillRequest`].

use crate::{
    drill::{
        kept::{LastVerified, PendingScratch},
        report::DrillReport,
        run::{pending, verified, Stage},
    },
    state::operations::Follower,
};
use leptos::prelude::*;

/// "Verify this backup": the folder and the database it was taken from.
/// Any screen may ask; the Restore screen of the connected server's
/// generation takes it, fills the drill in and shows the confirmation.
/// Nothing is sent before the admin agrees there.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillRequest {
    /// The backup folder on the server.
    pub folder: String,
    /// The database the backup was taken from.
    pub source_db: String,
}

/// The drill's state, provided once by the shell. Its signals are read
/// through read-only views and changed only through the methods below.
#[derive(Clone, Copy)]
pub struct DrillState {
    /// The database the backup was taken from, as typed.
    source: RwSignal<String>,
    /// Set after the first "Verify by restoring…": problems are shown.
    tried: RwSignal<bool>,
    /// While confirming: the time the scratch name is made from.
    confirming: RwSignal<Option<f64>>,
    /// Where the running drill is; `None` when none runs.
    stage: RwSignal<Option<Stage>>,
    /// The last drill's report.
    report: RwSignal<Option<DrillReport>>,
    /// The scratch databases this browser has not deleted yet.
    pending: RwSignal<Vec<PendingScratch>>,
    /// When each backup folder was last verified in this browser.
    verified: RwSignal<Vec<LastVerified>>,
    /// The words of the last one-click delete of a left scratch database.
    delete_words: RwSignal<Option<String>>,
    /// A drill asked for from another screen, not yet taken by the
    /// Restore screen.
    request: RwSignal<Option<DrillRequest>>,
    follower: Follower,
}

impl DrillState {
    pub fn new() -> Self {
        DrillState {
            source: RwSignal::new(String::new()),
            tried: RwSignal::new(false),
            confirming: RwSignal::new(None),
            stage: RwSignal::new(None),
            report: RwSignal::new(None),
            pending: RwSignal::new(pending()),
            verified: RwSignal::new(verified()),
            delete_words: RwSignal::new(None),
            request: RwSignal::new(None),
            follower: Follower::new(),
        }
    }

    /// The database the backup was taken from, as typed (read-only).
    pub fn source(&self) -> ReadSignal<String> {
        self.source.read_only()
    }

    /// The admin typed the source database.
    pub fn set_source(&self, source: String) {
        self.source.set(source);
    }

    /// True once "Verify by restoring…" was asked for: problems show.
    pub fn tried(&self) -> ReadSignal<bool> {
        self.tried.read_only()
    }

    /// While confirming, the time the scratch name is made from.
    pub fn confirming(&self) -> ReadSignal<Option<f64>> {
        self.confirming.read_only()
    }

    /// Opens the confirmation (problems shown from now on, the last
    /// report put away): the scratch name is made from `at_ms`.
    pub fn confirm_at(&self, at_ms: f64) {
        self.tried.set(true);
        self.report.set(None);
        self.confirming.set(Some(at_ms));
    }

    /// Marks the drill asked for, without opening the confirmation (a
    /// problem stands in the way).
    pub fn mark_tried(&self) {
        self.tried.set(true);
    }

    /// Closes the confirmation.
    pub fn close_confirmation(&self) {
        self.confirming.set(None);
    }

    /// True while a drill runs.
    pub fn running(&self) -> bool {
        self.stage.with(Option::is_some)
    }

    /// Where the running drill is (read-only), e.g. for the tab title.
    pub fn stage(&self) -> ReadSignal<Option<Stage>> {
        self.stage.read_only()
    }

    /// The running drill reached `stage` (ignored once the state is gone).
    pub fn set_stage(&self, stage: Stage) {
        let _ = self.stage.try_set(Some(stage));
    }

    /// The running drill's stage in a few words ("Restoring the backup
    /// into …"), or `None` when none runs.
    pub fn stage_words(&self) -> Option<String> {
        self.stage.with(|s| s.as_ref().map(Stage::words))
    }

    /// The last drill's report (read-only).
    pub fn report(&self) -> ReadSignal<Option<DrillReport>> {
        self.report.read_only()
    }

    /// The drill ended with `report`: no drill runs any more, and what
    /// this browser keeps (left scratch databases, last verified) is read
    /// again.
    pub fn finish(&self, report: DrillReport) {
        self.reread_kept();
        let _ = self.report.try_set(Some(report));
        let _ = self.stage.try_set(None);
    }

    /// The scratch databases this browser has not deleted yet (read-only).
    pub fn pending(&self) -> ReadSignal<Vec<PendingScratch>> {
        self.pending.read_only()
    }

    /// When each backup folder was last verified here (read-only).
    pub fn verified(&self) -> ReadSignal<Vec<LastVerified>> {
        self.verified.read_only()
    }

    /// Reads again what this browser keeps (another tab, or a drill or a
    /// delete here, changed it); ignored once the state is gone.
    pub fn reread_kept(&self) {
        let _ = self.verified.try_set(verified());
        let _ = self.pending.try_set(pending());
    }

    /// The words of the last one-click delete of a left scratch database.
    pub fn delete_words(&self) -> ReadSignal<Option<String>> {
        self.delete_words.read_only()
    }

    /// A one-click delete ended, in these words; the left scratch
    /// databases are read again.
    pub fn deleted(&self, words: String) {
        let _ = self.delete_words.try_set(Some(words));
        let _ = self.pending.try_set(pending());
    }

    /// The follower the drill's restore is watched with.
    pub fn follower(&self) -> Follower {
        self.follower
    }

    /// Asks for a drill of `request`: kept until the Restore screen takes
    /// it (see [`DrillState::take_request`]). Sends nothing.
    pub fn ask(&self, request: DrillRequest) {
        self.request.set(Some(request));
    }

    /// The request asked for, taken once (untracked).
    pub fn take_request(&self) -> Option<DrillRequest> {
        self.request.try_update(Option::take).flatten()
    }
}

impl Default for DrillState {
    fn default() -> Self {
        Self::new()
    }
}

/// The drill's state, from context.
pub fn use_drill() -> DrillState {
    expect_context::<DrillState>()
}
