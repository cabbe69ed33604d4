//! "Start, remember, follow", written once for every screen: the start
//! request runs as an `Action` (at most one in flight, and none while the
//! operation it started is still followed: one POST per click is guarded
//! here and nowhere else), the started operation is remembered by id (never
//! by content), and it is followed under an owner that outlives the screen.

use super::{remembered::RememberedOperation, store};
use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
        version::Generation,
        watch::{watch_operation, OperationWatch},
        ApiError,
    },
    forms::PlannedRequest,
};
use leptos::prelude::*;
use std::future::Future;

/// An operation being followed: started here, or found running.
#[derive(Clone)]
pub struct Running {
    pub watch: OperationWatch,
    pub what: Watched,
    /// A client and operation id to cancel with, when the server can.
    pub kill: Option<(Client, i64)>,
    /// Shown on success, e.g. where the backup went.
    pub success_note: Option<String>,
    /// What the screen's form held when it started (a `forms::fingerprint`):
    /// once it has ended and the form has changed, it is an earlier run.
    /// `None`: not tied to a form.
    pub form_key: Option<u64>,
}

impl Running {
    /// True once the outcome is known or watching was stopped (tracked).
    pub fn is_over(&self) -> bool {
        self.watch.is_over()
    }
}

/// The owner that follows operations. Created in app-level state it is the
/// app's owner, so a watch outlives the screen (navigation) and the panel
/// that shows it; created in a page it is the page's.
#[derive(Clone, Copy)]
pub struct Follower {
    owner: StoredValue<Owner>,
}

impl Follower {
    /// A follower under the current reactive owner.
    pub fn new() -> Self {
        Follower {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// Follows `target` under this follower's owner.
    pub fn follow(&self, client: Client, target: WatchTarget) -> OperationWatch {
        self.owner
            .get_value()
            .with(|| watch_operation(client, target, PollConfig::default()))
    }

    /// Runs `then` once, with the outcome, when `watch` finishes (not when
    /// watching is merely stopped).
    pub fn on_end(&self, watch: OperationWatch, then: impl FnOnce(Outcome) + 'static) {
        let mut then = Some(then);
        self.owner.get_value().with(|| {
            Effect::new(move |_| {
                let outcome = watch.snapshot.with(|s| match &s.phase {
                    Phase::Finished(o) => Some(o.clone()),
                    _ => None,
                });
                if let Some(outcome) = outcome {
                    if let Some(then) = then.take() {
                        then(outcome);
                    }
                }
            });
        });
    }

    /// Remembers an operation that was just started (ids and names only)
    /// and follows it.
    pub fn remember_and_follow(
        &self,
        client: Client,
        generation: Generation,
        what: Watched,
        operation_id: Option<i64>,
        started_ms: f64,
        previous_run_started: Option<String>,
    ) -> Running {
        store::remember(RememberedOperation::new(
            &what,
            operation_id,
            client.base(),
            started_ms,
        ));
        let kill = operation_id
            .filter(|_| generation.supports_kill() && what.is_backup())
            .map(|id| (client.clone(), id));
        let mut target = WatchTarget::new(what.clone(), operation_id, generation);
        target.previous_run_started = previous_run_started;
        Running {
            watch: self.follow(client, target),
            what,
            kill,
            success_note: None,
            form_key: None,
        }
    }
}

impl Default for Follower {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends a start request (`start` answers the operation id, if the server
/// gave one), then remembers and follows the operation.
pub async fn start_and_follow(
    follower: Follower,
    client: Client,
    generation: Generation,
    what: Watched,
    previous_run_started: Option<String>,
    start: impl Future<Output = Result<Option<i64>, ApiError>>,
) -> Result<Running, ApiError> {
    let started_ms = js_sys::Date::now();
    let operation_id = start.await?;
    Ok(follower.remember_and_follow(
        client,
        generation,
        what,
        operation_id,
        started_ms,
        previous_run_started,
    ))
}

/// One start of an operation by a POST the screen's form planned.
#[derive(Clone)]
pub struct StartPost {
    pub client: Client,
    pub generation: Generation,
    /// What the POST starts.
    pub what: Watched,
    /// The request, as reviewed.
    pub request: PlannedRequest,
    /// Shown on success, e.g. where the backup went.
    pub success_note: String,
}

/// Sends the planned POST, then remembers and follows what it started. The
/// run keeps the request's fingerprint ([`Running::form_key`]).
pub async fn post_and_follow(
    follower: Follower,
    start: StartPost,
    previous_run_started: Option<String>,
) -> Result<Running, ApiError> {
    let StartPost {
        client,
        generation,
        what,
        request,
        success_note,
    } = start;
    let post = client.clone();
    let form_key = request.fingerprint();
    let mut running = start_and_follow(
        follower,
        client,
        generation,
        what,
        previous_run_started,
        async move {
            post.start_operation(&request.path, &request.body)
                .await
                .map(|started| started.operation_id)
        },
    )
    .await?;
    running.success_note = Some(success_note);
    running.form_key = Some(form_key);
    Ok(running)
}

/// A screen's start button: an `Action` whose value is the operation it
/// started (or why the server did not start it).
pub struct Starter<I: 'static> {
    action: Action<I, Result<Running, ApiError>>,
    pending: Memo<bool>,
    value: MappedSignal<Option<Result<Running, ApiError>>>,
}

impl<I: 'static> Clone for Starter<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Starter<I> {}

impl<I: 'static> Starter<I> {
    /// A starter running `start` for each accepted click.
    pub fn new<F, Fu>(start: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = Result<Running, ApiError>> + 'static,
    {
        let action = Action::new_local(start);
        Starter {
            action,
            pending: action.pending(),
            value: action.value(),
        }
    }

    /// True while the start request is out (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// True while a start is out or the operation it started is still
    /// followed (tracked).
    pub fn busy(&self) -> bool {
        self.pending.get()
            || self
                .value
                .with(|v| matches!(v, Some(Ok(r)) if !r.is_over()))
    }

    /// Starts, unless a start is out or the last operation still runs: one
    /// POST per click. The check and the dispatch happen in the same event,
    /// before anything else runs. Returns whether it started.
    pub fn start(&self, input: I) -> bool {
        if untrack(|| self.busy()) {
            return false;
        }
        self.action.dispatch_local(input);
        true
    }

    /// Subscribes to starts and their results.
    pub fn track(&self) {
        self.value.track();
    }

    /// The operation followed, if any (tracked).
    pub fn running(&self) -> Option<Running> {
        self.value.with(|v| match v {
            Some(Ok(r)) => Some(r.clone()),
            _ => None,
        })
    }

    /// Why the last start failed, if it did (tracked).
    pub fn error(&self) -> Option<ApiError> {
        self.value.with(|v| match v {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        })
    }

    /// Shows an operation found running (not started here) as this
    /// screen's.
    pub fn attach(&self, running: Running) {
        self.value.set(Some(Ok(running)));
    }

    /// Forgets the last refusal (the admin is trying again).
    pub fn dismiss_error(&self) {
        if self.value.with_untracked(|v| matches!(v, Some(Err(_)))) {
            self.value.set(None);
        }
    }

    /// Shows a failure found before any request went out.
    pub fn fail(&self, error: ApiError) {
        self.value.set(Some(Err(error)));
    }
}
