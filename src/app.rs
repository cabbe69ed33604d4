//! The application shell: connection and theme state shared through
//! context, the header with navigation, and the screen for the current hash.

use crate::{
    components::{
        connection::{provide_server_status, ConnectionIndicator},
        theme::ThemePicker,
    },
    config::{
        effective_server_url, parse_deploy_config, ConfigError, DeployConfig, ServerUrlSource,
        DEFAULT_REQUEST_TIMEOUT_MS,
    },
    pages::{BackupPage, NotFoundPage, OperationsPage, RestorePage},
    route::{NavItem, Route},
    storage,
};
use leptos::prelude::*;

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

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
}

impl Connection {
    /// The server root URL in use; `None` until `config.json` was looked at.
    pub fn server_url(&self) -> Option<(String, ServerUrlSource)> {
        let deploy = self.deploy.get();
        if deploy == DeployConfigState::Loading {
            return None;
        }
        let cfg = match &deploy {
            DeployConfigState::Loaded(cfg) => Some(cfg),
            _ => None,
        };
        let user = self.user_setting.get();
        Some(effective_server_url(
            &self.origin.get_value(),
            cfg,
            user.as_deref(),
        ))
    }

    /// [`Self::server_url`] without subscribing (for event handlers).
    pub fn server_url_untracked(&self) -> Option<(String, ServerUrlSource)> {
        untrack(|| self.server_url())
    }

    /// A client for the server in use (tracked); `None` until known.
    pub fn client(&self) -> Option<crate::api::client::Client> {
        let timeout = self.timeout_ms();
        self.server_url()
            .map(|(url, _)| crate::api::client::Client::new(url, timeout))
    }

    /// [`Self::client`] without subscribing (for event handlers).
    pub fn client_untracked(&self) -> Option<crate::api::client::Client> {
        untrack(|| self.client())
    }

    /// The time limit of one request.
    pub fn timeout_ms(&self) -> u32 {
        match self.deploy.get() {
            DeployConfigState::Loaded(DeployConfig {
                request_timeout_ms: Some(ms),
                ..
            }) => ms,
            _ => DEFAULT_REQUEST_TIMEOUT_MS,
        }
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
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Fetches `config.json` from next to `index.html` (relative URL, so it
/// works under any sub-path).
async fn load_deploy_config() -> DeployConfigState {
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

#[component]
pub fn App() -> impl IntoView {
    let connection = Connection {
        user_setting: RwSignal::new(storage::get(storage::keys::SERVER_URL)),
        deploy: RwSignal::new(DeployConfigState::Loading),
        origin: StoredValue::new(page_origin()),
        recheck: RwSignal::new(0),
    };
    provide_context(connection);
    provide_server_status(connection);
    provide_context(crate::pages::BackupState::new());
    provide_context(crate::pages::Backup4State::new());
    provide_context(crate::pages::RestoreState::new());
    provide_context(crate::pages::Restore4State::new());
    leptos::task::spawn_local_scoped(async move {
        let state = load_deploy_config().await;
        connection.deploy.set(state);
    });

    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&current_hash()));
    });
    on_cleanup(move || hash_listener.remove());

    view! {
        <a class="skip-link" href="#main" on:click=move |ev| {
            // Keep the hash route: move focus instead of navigating.
            ev.prevent_default();
            if let Some(main) = document().get_element_by_id("main") {
                use wasm_bindgen::JsCast;
                if let Ok(el) = main.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }>"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                <span class="brand-name">"Raven Backup Studio"</span>
            </div>
            <nav aria-label="Main">
                <ul class="nav-list">
                    {NavItem::ALL
                        .into_iter()
                        .map(|item| {
                            let current = move || route.get().nav() == Some(item);
                            view! {
                                <li>
                                    <a
                                        href=item.route().href()
                                        class:active=current
                                        aria-current=move || current().then_some("page")
                                    >
                                        {item.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <div class="header-tools">
                <ConnectionIndicator/>
                <ThemePicker/>
            </div>
        </header>
        <main id="main" tabindex="-1">
            {move || match route.get() {
                Route::Backup { database } => view! { <BackupPage preselect=database/> }.into_any(),
                Route::Restore => view! { <RestorePage/> }.into_any(),
                Route::Operations => view! { <OperationsPage/> }.into_any(),
                Route::NotFound(path) => view! { <NotFoundPage path/> }.into_any(),
            }}
        </main>
    }
}
