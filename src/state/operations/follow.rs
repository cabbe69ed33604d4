//! "Start, remember, follow", written once for every screen: the start
//! request runs as an `Action` (at most one in flight, and none while the
//! operation it started is still followed: one POST per click is guarded
//! here and nowhere else), the started operation is remembered by id (never
//! by content), and it is followed under an owner that outlives the screen.

use super::{
    lost::{is_lost_answer, Found, LostStart, Search, StartFailure},
    node::{route_to_node, NodeRoute},
    remembered::RememberedOperation,
    store,
};
use crate::{
    api::{
        client::{Client, KillTarget, Started},
        poll::{Log, Outcome, Phase, PollConfig, Snapshot, WatchTarget, Watched},
        version::Generation,
        watch::{watch_operation, OperationWatch},
        ApiError,
    },
    forms::PlannedRequest,
    present::operations::outcome_words,
};
use leptos::prelude::*;
use std::future::Future;

/// An operation being followed: started here, or found running.
#[derive(Clone)]
pub struct Running {
    pub watch: OperationWatch,
    pub what: Watched,
    /// The operation to cancel and its route, when the server can.
    pub kill: Option<KillTarget>,
    /// Shown on success, e.g. where the backup went.
    pub success_note: Option<String>,
    /// What the screen's form held when it started (a `forms::fingerprint`):
    /// once it has ended and the form has changed, it is an earlier run.
    /// `None`: not tied to a form.
    pub form_key: Option<u64>,
    /// Whether the panel showing it takes focus when it first shows.
    pub focus: FocusOnce,
    /// Set when the start's answer was lost and the operation was found
    /// on the server: why the answer was lost.
    pub lost_answer: Option<ApiError>,
    /// The cluster node that runs it, in words ("node B (http://…)"), when
    /// the server named one (4.x+).
    pub node: Option<String>,
}

/// A one-time claim on keyboard focus, shared by every clone of a
/// [`Running`]: the first panel that shows the operation takes focus and
/// brings itself into view (after Start, Attach, Follow); showing it again
/// (coming back to the screen) does not move focus.
#[derive(Clone, Debug)]
pub struct FocusOnce(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl FocusOnce {
    /// An unclaimed focus.
    pub fn new() -> Self {
        FocusOnce(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            true,
        )))
    }

    /// True the first time only.
    pub fn take(&self) -> bool {
        self.0.swap(false, std::sync::atomic::Ordering::Relaxed)
    }
}

impl Default for FocusOnce {
    fn default() -> Self {
        Self::new()
    }
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
        self.owner.get_value().with(|| {
            let what = target.what.clone();
            let watch = watch_operation(client, target, PollConfig::default());
            // The tab title and notifications read it (state::attention).
            crate::state::attention::watched(&what, watch);
            watch
        })
    }

    /// Follows `target` where `route` says: on `client`'s server, on another
    /// cluster node, or nowhere (then the watch is over at once with
    /// [`Outcome::NotVisible`] and why). Returns the watch and the client
    /// of the server that runs the operation.
    pub fn follow_routed(
        &self,
        client: Client,
        target: WatchTarget,
        route: &NodeRoute,
    ) -> (OperationWatch, Client) {
        match route {
            NodeRoute::Here { .. } => (self.follow(client.clone(), target), client),
            NodeRoute::At { url, .. } => {
                let node = client.at(url);
                (self.follow(node.clone(), target), node)
            }
            NodeRoute::CannotReach { reason, .. } => {
                let now = js_sys::Date::now();
                let snapshot = Snapshot {
                    phase: Phase::Finished(Outcome::NotVisible {
                        reason: reason.clone(),
                    }),
                    progress: None,
                    counts: None,
                    started_ms: now,
                    elapsed_ms: 0.0,
                    requests: 0,
                    transient_errors: 0,
                };
                let watch = self.owner.get_value().with(|| OperationWatch {
                    snapshot: RwSignal::new(snapshot),
                    log: RwSignal::new(Log::default()),
                    paused: RwSignal::new(false),
                    stopped: RwSignal::new(false),
                });
                (watch, client)
            }
        }
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
    /// and follows it on the server in use.
    pub fn remember_and_follow(
        &self,
        client: Client,
        generation: Generation,
        what: Watched,
        operation_id: Option<i64>,
        started_ms: f64,
        previous_run_started: Option<String>,
    ) -> Running {
        self.remember_and_follow_routed(
            client,
            generation,
            what,
            operation_id,
            NodeRoute::Here { tag: None },
            started_ms,
            previous_run_started,
        )
    }

    /// Remembers a 4.x+ operation the start answer says node `node_tag`
    /// runs (`OperationNodeTag`) and follows it on that node (see
    /// [`route_to_node`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn remember_and_follow_on_node(
        &self,
        client: Client,
        generation: Generation,
        what: Watched,
        operation_id: Option<i64>,
        node_tag: Option<String>,
        started_ms: f64,
        previous_run_started: Option<String>,
    ) -> Running {
        let route = route_to_node(&client, generation, node_tag.as_deref()).await;
        self.remember_and_follow_routed(
            client,
            generation,
            what,
            operation_id,
            route,
            started_ms,
            previous_run_started,
        )
    }

    /// Remembers an operation and follows it where `route` says (see
    /// [`route_to_node`]).
    #[allow(clippy::too_many_arguments)]
    pub fn remember_and_follow_routed(
        &self,
        client: Client,
        generation: Generation,
        what: Watched,
        operation_id: Option<i64>,
        route: NodeRoute,
        started_ms: f64,
        previous_run_started: Option<String>,
    ) -> Running {
        let tag = match &route {
            NodeRoute::Here { tag } => tag.clone(),
            NodeRoute::At { tag, .. } | NodeRoute::CannotReach { tag, .. } => Some(tag.clone()),
        };
        // Remembered under the server in use (where the admin finds it),
        // with the node that runs it.
        let remembered = RememberedOperation::new(&what, operation_id, client.base(), started_ms)
            .on_node(tag.as_deref());
        store::remember(remembered.clone());
        let mut target = WatchTarget::new(what.clone(), operation_id, generation);
        target.previous_run_started = previous_run_started;
        let (watch, runs_on) = self.follow_routed(client, target, &route);
        // The kill goes where the operation is polled: the node that runs it.
        let kill = KillTarget::new(&runs_on, generation, &what, operation_id)
            .filter(|_| !matches!(route, NodeRoute::CannotReach { .. }));
        // What this browser saw it end in is remembered (the Operations
        // screen says it).
        self.on_end(watch, move |outcome| {
            store::set_outcome(&remembered, &outcome_words(&outcome));
        });
        Running {
            watch,
            what,
            kill,
            success_note: None,
            form_key: None,
            focus: FocusOnce::new(),
            lost_answer: None,
            node: route.words(),
        }
    }

    /// Follows what a lost start's search found (remembered like a start).
    fn follow_found(&self, search: &Search, target: WatchTarget, lost: ApiError) -> Running {
        let mut running = self.remember_and_follow(
            search.client.clone(),
            search.generation,
            search.what.clone(),
            target.operation_id,
            search.sent_ms,
            target.previous_run_started.clone(),
        );
        running.lost_answer = Some(lost);
        running.success_note = search.success_note.clone();
        running.form_key = search.form_key;
        running
    }
}

impl Default for Follower {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends a start request (`start` answers the operation id and, on 4.x+,
/// the node that runs it, if the server gave them), then remembers and
/// follows the operation (on that node).
pub async fn start_and_follow(
    follower: Follower,
    client: Client,
    generation: Generation,
    what: Watched,
    previous_run_started: Option<String>,
    start: impl Future<Output = Result<Started, ApiError>>,
) -> Result<Running, ApiError> {
    let started_ms = js_sys::Date::now();
    let started = start.await?;
    Ok(follower
        .remember_and_follow_on_node(
            client,
            generation,
            what,
            started.operation_id,
            started.node_tag,
            started_ms,
            previous_run_started,
        )
        .await)
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
/// run keeps the request's fingerprint ([`Running::form_key`]). When the
/// POST's answer is lost, the operation is looked for on the server and
/// followed when found; when not found, the failure says so.
pub async fn post_and_follow(
    follower: Follower,
    start: StartPost,
    previous_run_started: Option<String>,
) -> Result<Running, StartFailure> {
    let StartPost {
        client,
        generation,
        what,
        request,
        success_note,
    } = start;
    refuse_a_taken_name(&client, &what).await?;
    // A 3.x database backup's folder is remembered with it (what "Verify
    // by restoring" restores; docs/protocol/ravendb-3x.md §16).
    let folder = match &what {
        Watched::DatabaseBackup { database: Some(_) } => request
            .body
            .get("BackupLocation")
            .and_then(|f| f.as_str())
            .map(str::to_string),
        _ => None,
    };
    let (server, remembered_what) = (client.base().to_string(), what.clone());
    let post = client.clone();
    let form_key = request.fingerprint();
    let sent_ms = js_sys::Date::now();
    let search = Search {
        client: client.clone(),
        generation,
        what: what.clone(),
        sent_ms,
        previous_run_started: previous_run_started.clone(),
        success_note: Some(success_note.clone()),
        form_key: Some(form_key),
    };
    let started = start_and_follow(
        follower,
        client,
        generation,
        what,
        previous_run_started,
        async move { post.start_operation(&request.path, &request.body).await },
    )
    .await;
    let mut running = match started {
        Ok(running) => running,
        Err(error) if is_lost_answer(&error) => return look_for(follower, search, error).await,
        Err(error) => return Err(error.into()),
    };
    if let Some(folder) = folder {
        store::set_folder(&server, &remembered_what, sent_ms, &folder);
    }
    running.success_note = Some(success_note);
    running.form_key = Some(form_key);
    Ok(running)
}

/// The last look before a restore's POST: the server's database list is
/// read again, as the name may have been taken since the form was checked,
/// and a restore onto an existing database replaces it on RavenDB 7.1
/// (docs/protocol/ravendb-4x.md#restore-deletes-existing). If the list
/// cannot be read, nothing is sent either.
async fn refuse_a_taken_name(client: &Client, what: &Watched) -> Result<(), ApiError> {
    let Watched::DatabaseRestore { database } = what else {
        return Ok(());
    };
    let list = client.list_databases().await?;
    match crate::forms::restore::taken_name(list.iter().map(|d| d.name.as_str()), database) {
        Some(existing) => Err(ApiError::NameTaken {
            existing: existing.to_string(),
        }),
        None => Ok(()),
    }
}

/// Looks on the server for what a start whose answer was lost may have
/// started: followed when found, else a failure that says what is known.
pub async fn look_for(
    follower: Follower,
    search: Search,
    error: ApiError,
) -> Result<Running, StartFailure> {
    let looked = search.run().await;
    match looked {
        Ok(Found::Target(target)) => Ok(follower.follow_found(&search, target, error)),
        Ok(Found::Nothing) | Err(_) => Err(StartFailure {
            error,
            lost: Some(LostStart {
                what: search.what.clone(),
                looked: Some(looked.map(|_| ())),
                looked_ms: js_sys::Date::now(),
                search: Some(search),
                note: None,
            }),
        }),
    }
}

/// A screen's start button: an `Action` whose value is the operation it
/// started (or why the server did not start it, or that it is unknown
/// whether it did).
pub struct Starter<I: 'static> {
    action: Action<I, Result<Running, StartFailure>>,
    pending: Memo<bool>,
    value: MappedSignal<Option<Result<Running, StartFailure>>>,
    /// The last input started, for "Start again".
    last: StoredValue<Option<I>, LocalStorage>,
    /// True while looking on the server again.
    looking: RwSignal<bool>,
    follower: Follower,
}

impl<I: 'static> Clone for Starter<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Starter<I> {}

impl<I: Clone + 'static> Starter<I> {
    /// A starter running `start` for each accepted click.
    pub fn new<F, Fu>(start: F) -> Self
    where
        F: Fn(&I) -> Fu + 'static,
        Fu: Future<Output = Result<Running, StartFailure>> + 'static,
    {
        let action = Action::new_local(start);
        Starter {
            action,
            pending: action.pending(),
            value: action.value(),
            last: StoredValue::new_local(None),
            looking: RwSignal::new(false),
            follower: Follower::new(),
        }
    }

    /// True while the start request is out (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// True while a start is out, the server is being looked at, or the
    /// operation it started is still followed (tracked).
    pub fn busy(&self) -> bool {
        self.pending.get()
            || self.looking.get()
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
        self.last.set_value(Some(input.clone()));
        self.action.dispatch_local(input);
        true
    }

    /// Sends the last start again (after a lost answer, the admin was told
    /// it may start a second one).
    pub fn start_again(&self) -> bool {
        match self.last.get_value() {
            Some(input) => self.start(input),
            None => false,
        }
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

    /// Why the server did not start it, if it said so (tracked). A start
    /// whose answer was lost is not here: see [`Self::lost`].
    pub fn error(&self) -> Option<ApiError> {
        self.value.with(|v| match v {
            Some(Err(StartFailure { error, lost: None })) => Some(error.clone()),
            _ => None,
        })
    }

    /// A start whose answer was lost and that was not found (tracked): why
    /// the answer was lost, and what is known.
    pub fn lost(&self) -> Option<(ApiError, LostStart)> {
        self.value.with(|v| match v {
            Some(Err(StartFailure {
                error,
                lost: Some(lost),
            })) => Some((error.clone(), lost.clone())),
            _ => None,
        })
    }

    /// True while looking on the server again (tracked).
    pub fn looking(&self) -> bool {
        self.looking.get()
    }

    /// Looks on the server again for a lost start; follows it when found.
    /// Sends no POST.
    pub fn look_again(&self) {
        let Some((error, lost)) = untrack(|| self.lost()) else {
            return;
        };
        let Some(search) = lost.search.clone() else {
            return;
        };
        if self.looking.get_untracked() {
            return;
        }
        self.looking.set(true);
        let (value, looking, follower) = (self.value, self.looking, self.follower);
        leptos::task::spawn_local(async move {
            let result = look_for(follower, search, error).await;
            let _ = looking.try_set(false);
            let result = result.map_err(|mut failure| {
                if let Some(l) = failure.lost.as_mut() {
                    l.note = lost.note.clone();
                }
                failure
            });
            let _ = value.try_set(Some(result));
        });
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
        self.value.set(Some(Err(error.into())));
    }
}
