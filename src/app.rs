//! The application shell: provides the shared state (`state`) and the
//! screens' state (`pages`), and composes the header with its navigation
//! and the screen for the current hash.

use crate::{
    components::{
        attention::AttentionControl, connection::ConnectionIndicator, focus, theme::ThemePicker,
    },
    pages::{self, BackupPage, NotFoundPage, OperationsPage, RestorePage},
    route::{NavItem, Route},
    state,
};
use leptos::prelude::*;

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    state::provide();
    pages::provide_states();

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
                Route::Restore => view! { <RestorePage /> }.into_any(),
                Route::Operations => view! { <OperationsPage /> }.into_any(),
                Route::NotFound(path) => view! { <NotFoundPage path /> }.into_any(),
            }}
        </main>
        <AttentionControl />
    }
}
