//! The polling driver: runs the pure [`Tracker`] against the server with at
//! most one request in flight, publishes what each answer changed in two
//! signals (the snapshot's head and the log, appended to in place), and can
//! be paused, resumed or stopped (stopping only stops watching: it never
//! kills the operation on the server).

use super::{
    client::Client,
    poll::{Changes, Log, PollConfig, Snapshot, Tracker, WatchTarget},
};
use leptos::prelude::*;

/// A running watch, shared by the views that show it.
#[derive(Clone, Copy)]
pub struct OperationWatch {
    /// The phase (with the outcome), the progress line and the counters.
    /// Subscribers are woken when the phase or the progress line changes;
    /// the counters (requests, errors, elapsed time) are refreshed after
    /// every answer without waking anyone.
    pub snapshot: RwSignal<Snapshot>,
    /// The server's messages: new lines are appended in place (the log is
    /// never copied whole); subscribers are woken when it changes.
    pub log: RwSignal<Log>,
    /// While true, no request is sent.
    pub paused: RwSignal<bool>,
    /// Set to stop watching for good.
    pub stopped: RwSignal<bool>,
}

impl OperationWatch {
    /// True once the tracker reached its outcome or the watch was stopped.
    pub fn is_over(&self) -> bool {
        self.stopped.get()
            || self
                .snapshot
                .with(|s| matches!(s.phase, super::poll::Phase::Finished(_)))
    }

    /// Publishes what an answer changed; `false` once the signals are gone
    /// (their owner was disposed).
    fn publish(&self, tracker: &Tracker, changes: Changes) -> bool {
        let now = tracker.snapshot();
        let head = if changes.head {
            self.snapshot.try_set(now.clone()).is_none()
        } else {
            self.snapshot
                .try_update_untracked(|shown| {
                    shown.elapsed_ms = now.elapsed_ms;
                    shown.requests = now.requests;
                    shown.transient_errors = now.transient_errors;
                })
                .is_some()
        };
        let log = changes.log.is_empty()
            || self
                .log
                .try_update(|shown| shown.catch_up(tracker.log(), changes.log))
                .is_some();
        head && log
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Starts following `target`. The signals belong to the current reactive
/// owner; the loop ends when the outcome is known, when `stopped` is set,
/// or when that owner is disposed.
pub fn watch_operation(client: Client, target: WatchTarget, config: PollConfig) -> OperationWatch {
    let tracker = Tracker::new(target, config, now_ms());
    let watch = OperationWatch {
        snapshot: RwSignal::new(tracker.snapshot().clone()),
        log: RwSignal::new(tracker.log().clone()),
        paused: RwSignal::new(false),
        stopped: RwSignal::new(false),
    };
    // Plain wasm-bindgen spawning: the loop needs no reactive owner and
    // works before (or without) a mounted app.
    wasm_bindgen_futures::spawn_local(run(client, tracker, watch));
    watch
}

async fn run(client: Client, mut tracker: Tracker, watch: OperationWatch) {
    let mut was_paused = false;
    loop {
        match (
            watch.stopped.try_get_untracked(),
            watch.paused.try_get_untracked(),
        ) {
            (Some(false), Some(true)) => {
                was_paused = true;
                sleep(200).await;
                continue;
            }
            (Some(false), Some(false)) => {}
            // Stopped, or the owner is gone.
            _ => return,
        }
        if was_paused {
            tracker.resume(now_ms());
            was_paused = false;
        }
        // At most two requests a second, also right after a resume.
        let now = now_ms();
        let wait = tracker.wait_ms(now);
        if wait > 0 {
            sleep(wait).await;
            continue;
        }
        // One request at a time: the tracker sends the next only after
        // this answer.
        let Some(request) = tracker.send_request(now) else {
            return;
        };
        let result = client.poll(&request).await;
        let changes = tracker.observe(now_ms(), result);
        if !watch.publish(&tracker, changes) {
            return; // disposed
        }
        if tracker.outcome().is_some() {
            return;
        }
        sleep(tracker.next_delay_ms()).await;
    }
}
