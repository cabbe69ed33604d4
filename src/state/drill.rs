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

/// The drill's state, provided once by the shell.
#[derive(Clone, Copy)]
pub struct DrillState {
    /// The database the backup was taken from, as typed.
    pub source: RwSignal<String>,
    /// Set after the first "Verify by restoring…": problems are shown.
    pub tried: RwSignal<bool>,
    /// While confirming: the time the scratch name is made from.
    pub confirming: RwSignal<Option<f64>>,
    /// Where the running drill is; `None` when none runs.
    pub stage: RwSignal<Option<Stage>>,
    /// The last drill's report.
    pub report: RwSignal<Option<DrillReport>>,
    /// The scratch databases this browser has not deleted yet.
    pub pending: RwSignal<Vec<PendingScratch>>,
    /// When each backup folder was last verified in this browser.
    pub verified: RwSignal<Vec<LastVerified>>,
    /// The words of the last one-click delete of a left scratch database.
    pub delete_words: RwSignal<Option<String>>,
    /// A drill asked for from another screen, not yet taken by the
    /// Restore screen.
    pub request: RwSignal<Option<DrillRequest>>,
    pub follower: Follower,
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

    /// True while a drill runs.
    pub fn running(&self) -> bool {
        self.stage.with(Option::is_some)
    }

    /// Where the running drill is (read-only), e.g. for the tab title.
    pub fn stage(&self) -> ReadSignal<Option<Stage>> {
        self.stage.read_only()
    }

    /// The running drill's stage in a few words ("Restoring the backup
    /// into …"), or `None` when none runs.
    pub fn stage_words(&self) -> Option<String> {
        self.stage.with(|s| s.as_ref().map(Stage::words))
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
