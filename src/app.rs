//! The application shell: provides the shared state (`state`) and the
//! screens' state (`pages`), and composes the header with its navigation
//! and the screen for the current hash.

use crate::{
    components::{
        attention::AttentionControl, chunk::ChunkFailed, connection::ConnectionIndicator, focus,
        theme::ThemePicker,
    },
    pages::{self, BackupPage, NotFoundPage, OperationsPage, RestorePage},
    route::{NavItem, Route},
    state,
};
use leptos::prelude::*;

/// How long the page waits for `config.json` before it shows the app
/// anyway (index.html preloads it during the wasm download, so it is
/// normally there at once; a host that never answers it still gets the
/// page, whose connection panel then says what it is waiting for).
const CONFIG_WAIT_MS: u32 = 1_000;

/// Mounts the app on `<body>`, once its first requests to the server are
/// on their way: the state is created first, `config.json` read, and so
/// `/build/version` and `/databases` travel while the view is being built
/// (docs/size.md, "Loading": one view build less before the list).
pub fn mount() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let config_read = owner.with(|| {
        let read = state::provide();
        pages::provide_states();
        read
    });
    leptos::task::spawn_local(async move {
        let config = std::pin::pin!(config_read.wait());
        let give_up = gloo_timers::future::TimeoutFuture::new(CONFIG_WAIT_MS);
        futures::future::select(config, give_up).await;
        // One more turn of the task queue: the server check and the list,
        // woken by config.json, call fetch before the view is built.
        gloo_timers::future::TimeoutFuture::new(0).await;
        owner.with(|| leptos::mount::mount_to_body(Shell));
        // The state lives as long as the page.
        std::mem::forget(owner);
    });
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The whole app with its state, as one component (the browser tests mount
/// it; the page itself uses [`mount`]).
#[component]
pub fn App() -> impl IntoView {
    let _ = state::provide();
    pages::provide_states();
    view! { <Shell /> }
}

/// The header with its navigation and the screen for the current hash, on
/// the state provided around it.
#[component]
fn Shell() -> impl IntoView {
    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&current_hash()));
    });
    on_cleanup(move || hash_listener.remove());

    view! {
        <a
            class="skip-link"
            href="#main"
            on:click=move |ev| {
                ev.prevent_default();
                if let Some(main) = document().get_element_by_id("main") {
                    focus(main);
                }
            }
        >
            "Skip to content"
        </a>
        <header class="app-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">
                    "◆"
                </span>
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
                <ConnectionIndicator />
                <ThemePicker />
            </div>
        </header>
        <main id="main" tabindex="-1">
            {move || match route.get() {
                Route::Backup { database } => view! { <BackupPage preselect=database /> }.into_any(),
                Route::Restore => crate::lazy_view!(restore_screen()),
                Route::Operations => crate::lazy_view!(operations_screen()),
                Route::NotFound(path) => view! { <NotFoundPage path /> }.into_any(),
            }}
        </main>
        <AttentionControl />
    }
}

// The screens that are not the first one, each in its own wasm file in the
// release build, loaded when first shown (src/components/chunk.rs,
// docs/size.md "The split"). The Backup screen, the first one, with the
// database list, is in the main wasm.

/// The Restore screen (3.x and 4.x, with the drill's panel).
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(restore, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn restore_screen() -> Result<AnyView, ChunkFailed> {
    Ok(view! { <RestorePage /> }.into_any())
}

/// The Operations screen.
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(operations, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn operations_screen() -> Result<AnyView, ChunkFailed> {
    Ok(view! { <OperationsPage /> }.into_any())
}
