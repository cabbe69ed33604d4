//! Where the server is and what it is: the address in use (this browser's
//! setting, `config.json`, or the page's origin), the time limit of one
//! request, and the shared server check (`GET /build/version`) that tells
//! every screen which protocol generation it talks to.

use crate::{
    api::{
        client::{Client, ServerInfo},
        version::Generation,
        ApiError,
    },
    config::{
        effective_server_url, normalize_server_url, parse_deploy_config, ConfigError, DeployConfig,
        ServerUrlSource, DEFAULT_REQUEST_TIMEOUT_MS,
    },
    storage,
};
use leptos::prelude::*;

/// What became of `config.json` next to `index.html`.
#[derive(Debug, Clone, PartialEq)]
pub enum DeployConfigState {
    Loading,
    /// Absent (404): the page's origin is used.
    Missing,
    Loaded(DeployConfig),
    /// Present but unusable: the error is shown, the origin is used.
    Invalid(ConfigError),
}

/// What the requests to the server found since the last server check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reach {
    /// Nothing said otherwise: the server check tells.
    AsChecked,
    /// No request was answered since this moment (epoch ms).
    UnreachableSince(f64),
    /// No request was answered in time since this moment (epoch ms).
    TooSlowSince(f64),
    /// Answering again since this moment (epoch ms), after not answering.
    AgainSince(f64),
}

/// Where the server is and how to reach it; provided as context.
#[derive(Clone, Copy)]
pub struct Connection {
    /// The address typed by the user on this browser (localStorage).
    pub user_setting: RwSignal<Option<String>>,
    pub deploy: RwSignal<DeployConfigState>,
    /// The page's own origin.
    pub origin: StoredValue<String>,
    /// Bumped to re-check the server on demand.
    pub recheck: RwSignal<u32>,
    /// What the last requests to the server found.
    pub reach: RwSignal<Reach>,
}

impl Connection {
    /// A connection with the user's stored address, before `config.json`
    /// was read.
    pub fn new() -> Self {
        Connection {
            user_setting: RwSignal::new(stored_server_url()),
            deploy: RwSignal::new(DeployConfigState::Loading),
            origin: StoredValue::new(page_origin()),
            recheck: RwSignal::new(0),
            reach: RwSignal::new(Reach::AsChecked),
        }
    }

    /// The server root URL in use; `None` until `config.json` was looked at.
    pub fn server_url(&self) -> Option<(String, ServerUrlSource)> {
        self.deploy.with(|deploy| {
            let cfg = match deploy {
                DeployConfigState::Loading => return None,
                DeployConfigState::Loaded(cfg) => Some(cfg),
                _ => None,
            };
            self.user_setting.with(|user| {
                Some(effective_server_url(
                    &self.origin.get_value(),
                    cfg,
                    user.as_deref(),
                ))
            })
        })
    }

    /// [`Self::server_url`] without subscribing (for event handlers).
    pub fn server_url_untracked(&self) -> Option<(String, ServerUrlSource)> {
        untrack(|| self.server_url())
    }

    /// A client for the server in use (tracked); `None` until known.
    pub fn client(&self) -> Option<Client> {
        let timeout = self.timeout_ms();
        self.server_url().map(|(url, _)| Client::new(url, timeout))
    }

    /// [`Self::client`] without subscribing (for event handlers).
    pub fn client_untracked(&self) -> Option<Client> {
        untrack(|| self.client())
    }

    /// The time limit of one request.
    pub fn timeout_ms(&self) -> u32 {
        self.deploy.with(|deploy| match deploy {
            DeployConfigState::Loaded(DeployConfig {
                request_timeout_ms: Some(ms),
                ..
            }) => *ms,
            _ => DEFAULT_REQUEST_TIMEOUT_MS,
        })
    }

    /// Stores (or clears, with `None`) the user's server address.
    pub fn set_user_setting(&self, url: Option<String>) {
        match &url {
            Some(u) => {
                storage::set(storage::keys::SERVER_URL, u);
            }
            None => storage::remove(storage::keys::SERVER_URL),
        }
        self.user_setting.set(url);
        self.reach.set(Reach::AsChecked);
    }
}

impl Default for Connection {
    fn default() -> Self {
        Self::new()
    }
}

/// The user's stored server address, if it is one this version accepts. An
/// address an older version saved that this one refuses (one carrying
/// `user:pass@`, say) is dropped from storage: the credentials in it are
/// not kept a moment longer.
fn stored_server_url() -> Option<String> {
    let stored = storage::get(storage::keys::SERVER_URL)?;
    match normalize_server_url(&stored) {
        Ok(url) => Some(url),
        Err(_) => {
            storage::remove(storage::keys::SERVER_URL);
            None
        }
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Fetches `config.json` from next to `index.html` (relative URL, so it
/// works under any sub-path).
pub async fn load_deploy_config() -> DeployConfigState {
    use gloo_net::http::Request;
    let response = match Request::get("config.json")
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
    {
        Ok(r) => r,
        Err(_) => return DeployConfigState::Missing,
    };
    if response.status() == 404 {
        return DeployConfigState::Missing;
    }
    if !response.ok() {
        return DeployConfigState::Invalid(ConfigError::WrongShape(format!(
            "the host answered HTTP {} for config.json",
            response.status()
        )));
    }
    match response.text().await {
        Ok(text) => match parse_deploy_config(&text) {
            Ok(cfg) => DeployConfigState::Loaded(cfg),
            Err(e) => DeployConfigState::Invalid(e),
        },
        Err(e) => DeployConfigState::Invalid(ConfigError::WrongShape(format!(
            "config.json could not be read: {e}"
        ))),
    }
}

/// The result of the last server check; `None` while checking.
pub type ServerStatus = LocalResource<Option<Result<ServerInfo, ApiError>>>;

/// Creates the shared server check (re-runs when the address changes or a
/// re-check is asked for) and provides it as context.
pub fn provide_server_status(conn: Connection) -> ServerStatus {
    let status: ServerStatus = LocalResource::new(move || {
        conn.recheck.track();
        let target = conn.server_url();
        let timeout = conn.timeout_ms();
        async move {
            let (url, _) = target?;
            Some(Client::new(url, timeout).server_info().await)
        }
    });
    provide_context(status);
    status
}

/// How often an unreachable server is asked again (`GET /build/version`),
/// so the header says when it answers again even on a screen that sends
/// nothing by itself.
const UNREACHABLE_RECHECK_MS: u32 = 3_000;

/// Makes [`Connection::reach`] follow every request to the server in use
/// (`api::http::observe_reachability`), and asks an unreachable server
/// again every few seconds.
fn follow_reachability(conn: Connection, status: ServerStatus) {
    use crate::api::http::Reached;
    crate::api::http::observe_reachability(move |url, reached| {
        let ours = conn
            .user_setting
            .try_with_untracked(|_| conn.server_url_untracked())
            .flatten()
            .is_some_and(|(base, _)| url.starts_with(&base));
        let Some(reach) = conn.reach.try_get_untracked().filter(|_| ours) else {
            return;
        };
        let now = js_sys::Date::now();
        match (reach, reached) {
            (Reach::UnreachableSince(_) | Reach::TooSlowSince(_), Reached::Answered) => {
                conn.reach.set(Reach::AgainSince(now));
                // A check that failed while the server was down is stale.
                if status.with_untracked(|s| matches!(s, Some(Some(Err(_))))) {
                    conn.recheck.update(|n| *n += 1);
                }
            }
            (Reach::UnreachableSince(_), Reached::Unreachable)
            | (Reach::TooSlowSince(_), Reached::TooSlow)
            | (_, Reached::Answered) => {}
            (_, Reached::Unreachable) => conn.reach.set(Reach::UnreachableSince(now)),
            (_, Reached::TooSlow) => conn.reach.set(Reach::TooSlowSince(now)),
        }
    });
    let probing = StoredValue::new(false);
    crate::hooks::use_interval(UNREACHABLE_RECHECK_MS, move || {
        let unreachable = matches!(
            conn.reach.try_get_untracked(),
            Some(Reach::UnreachableSince(_) | Reach::TooSlowSince(_))
        );
        if !unreachable || probing.try_get_value() != Some(false) {
            return;
        }
        let Some(client) = conn.client_untracked() else {
            return;
        };
        probing.set_value(true);
        leptos::task::spawn_local(async move {
            // Its outcome reaches `reach` through the observer.
            let _ = client.server_info().await;
            let _ = probing.try_set_value(false);
        });
    });
}

/// Creates the connection, provides it and the server check as context,
/// and reads `config.json`. The returned [`ConfigRead`] ends once it has
/// been read: the server check and the database list are then on their way.
pub fn provide_connection() -> (Connection, ConfigRead) {
    let connection = Connection::new();
    provide_context(connection);
    let status = provide_server_status(connection);
    follow_reachability(connection, status);
    let (read, config_read) = futures::channel::oneshot::channel();
    leptos::task::spawn_local_scoped(async move {
        let state = load_deploy_config().await;
        connection.deploy.set(state);
        let _ = read.send(());
    });
    (connection, ConfigRead(config_read))
}

/// Ends once `config.json` has been read (or found missing or wrong), so
/// the app's first requests have been sent (`app::mount` waits on it).
pub struct ConfigRead(futures::channel::oneshot::Receiver<()>);

impl ConfigRead {
    /// Waits for it; a dropped reader counts as read (nothing to wait for).
    pub async fn wait(self) {
        let _ = self.0.await;
    }
}

/// The protocol generation of the connected server, once known (tracked).
pub fn connected_generation() -> Option<Generation> {
    let status = use_context::<ServerStatus>()?;
    status.with(|s| match s {
        Some(Some(Ok(info))) => Some(info.generation),
        _ => None,
    })
}

/// True once `GET /build/version` said the server is RavenDB 3.x (tracked).
/// The 3.x Backup and Restore screens are also shown while the version is
/// being checked; they send their 3.x-only reads only once this holds, so a
/// RavenDB 4.x server never receives them (it answers them 400).
pub fn is_v3() -> bool {
    matches!(
        connected_generation(),
        Some(Generation::V30 | Generation::V35)
    )
}

/// True when the connected server is RavenDB 4.x or later (tracked).
pub fn is_v4() -> bool {
    matches!(connected_generation(), Some(Generation::V4Plus { .. }))
}
