//! The connection indicator in the header and the server-address settings
//! it opens. The indicator shows the shared server check
//! (`state::connection`): the server's version, or a clear reason why it
//! cannot; and what the last requests found (`Reach`): unreachable since
//! a moment, then connected again.

use crate::{
    api::{client::ServerInfo, ApiError},
    components::{
        error_view::ErrorView,
        sign_in::{SignIn, SignInOffer},
    },
    config::{normalize_server_url, ServerUrlSource},
    present::{error, time::clock},
    state::connection::{Connection, DeployConfigState, Reach, ServerStatus},
};
use leptos::prelude::*;

/// The header's line: what the last requests found (unreachable since a
/// moment, answering again) over what the last server check found.
fn short_status(
    status: &Option<Option<Result<ServerInfo, ApiError>>>,
    reach: Reach,
) -> (String, &'static str) {
    match (reach, status) {
        (Reach::UnreachableSince(since), _) => {
            return (
                format!("Server unreachable since {}", clock(since)),
                "error",
            );
        }
        (Reach::TooSlowSince(since), _) => {
            return (
                format!("Server too slow to answer since {}", clock(since)),
                "error",
            );
        }
        (Reach::AgainSince(since), Some(Some(Ok(info)))) => {
            return (
                format!(
                    "Connected: {} (answering again since {})",
                    info.label(),
                    clock(since)
                ),
                "ok",
            );
        }
        _ => {}
    }
    match status {
        None | Some(None) => ("Checking the server…".into(), "checking"),
        Some(Some(Ok(info))) => (format!("Connected: {}", info.label()), "ok"),
        Some(Some(Err(e))) => {
            let text = match e {
                ApiError::Unreachable { .. } => "Server unreachable",
                ApiError::CorsRefused { .. } => "Blocked by CORS",
                ApiError::Timeout { .. } => "Server too slow to answer",
                ApiError::NotAdmin { .. } => {
                    error::refusal(e).map_or("Not allowed by the server", error::refusal_label)
                }
                ApiError::NotRavenDb { .. }
                | ApiError::MalformedBody { .. }
                | ApiError::NotFound { .. } => "Not a RavenDB server",
                _ => "Server error",
            };
            (text.into(), "error")
        }
    }
}

/// The header indicator plus its settings panel.
#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let status = expect_context::<ServerStatus>();
    let open = RwSignal::new(false);
    // The sign-in form's name field is to take the focus (see `SignIn`).
    let focus_name = RwSignal::new(false);
    let conn = expect_context::<Connection>();
    let short = Memo::new(move |_| short_status(&status.get(), conn.reach.get()));

    view! {
        <div class="connection">
            <span class=move || format!("status-dot {}", short.get().1) aria-hidden="true"></span>
            <span class="connection-text" role="status" aria-live="polite">
                {move || short.get().0}
            </span>
            <button
                type="button"
                class="secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="server-settings"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Server settings"
            </button>
            <SignInOffer open_settings=Callback::new(move |()| {
                open.set(true);
                focus_name.set(true);
                focus_name_if_shown(focus_name);
            }) />
            <Show when=move || open.get()>
                <ServerSettings status focus_name close=move || open.set(false) />
            </Show>
        </div>
    }
}

/// Focuses the sign-in form's name field once the view has rendered it, if
/// it is there; if its file is still on its way, the form does when it
/// comes (`focus_name` stays set until then).
fn focus_name_if_shown(focus_name: RwSignal<bool>) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        if let Some(el) = document().get_element_by_id("api-key-name") {
            crate::components::focus(el);
            let _ = focus_name.try_set(false);
        }
    });
}

/// The server address form and the full story of the last check.
#[component]
fn ServerSettings(
    status: ServerStatus,
    /// The sign-in form's name field is to take the focus.
    focus_name: RwSignal<bool>,
    /// Closes the panel.
    close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    let initial = conn
        .user_setting
        .get_untracked()
        .or_else(|| conn.server_url_untracked().map(|(u, _)| u))
        .unwrap_or_default();
    let draft = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_server_url(&draft.get()) {
            Ok(url) => {
                error.set(None);
                draft.set(url.clone());
                conn.set_user_setting(Some(url));
                conn.recheck.update(|n| *n += 1);
            }
            Err(e) => error.set(Some(format!("The address {e}."))),
        }
    };
    let use_default = move |_| {
        conn.set_user_setting(None);
        error.set(None);
        if let Some((url, _)) = conn.server_url_untracked() {
            draft.set(url);
        }
        conn.recheck.update(|n| *n += 1);
    };
    let close_btn = close.clone();

    view! {
        <section
            id="server-settings"
            class="panel server-settings"
            aria-labelledby="server-settings-title"
        >
            <h2 id="server-settings-title">"Server"</h2>
            <form on:submit=save novalidate=true>
                <label for="server-url">"RavenDB server URL"</label>
                <input
                    id="server-url"
                    type="url"
                    autocomplete="url"
                    spellcheck="false"
                    prop:value=move || draft.get()
                    on:input:target=move |ev| draft.set(ev.target().value())
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby="server-url-hint server-url-error"
                />
                <p id="server-url-hint" class="hint">
                    "The root address of the RavenDB server, e.g. http://raven.example:8080. "
                    "Kept in this browser only. “Use default” goes back to config.json or this page's own address."
                </p>
                <p id="server-url-error" class="field-error">
                    {move || error.get()}
                </p>
                <div class="actions">
                    <button type="submit">"Save and check"</button>
                    <button type="button" class="secondary" on:click=use_default>
                        "Use default"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| conn.recheck.update(|n| *n += 1)
                    >
                        "Check again"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| close_btn()>
                        "Close"
                    </button>
                </div>
            </form>
            <p class="in-use">
                {move || match conn.server_url() {
                    None => "Reading config.json…".to_string(),
                    Some((url, src)) => {
                        format!(
                            "In use: {url} ({})",
                            match src {
                                ServerUrlSource::UserSetting => "your setting in this browser",
                                ServerUrlSource::DeployConfig => "from config.json",
                                ServerUrlSource::PageOrigin => "this page's own address",
                            },
                        )
                    }
                }}
            </p>
            {move || match conn.deploy.get() {
                DeployConfigState::Invalid(e) => {
                    Some(
                        view! {
                            <p class="warning-text">
                                {e.to_string()} " This page's own address is used instead."
                            </p>
                        },
                    )
                }
                _ => None,
            }}
            <SignIn focus_name />
            {move || match status.get() {
                Some(Some(Ok(info))) => {
                    view! {
                        <p class="ok-text">
                            {format!(
                                "{} — product version {}, build {}.",
                                info.label(),
                                info.product_version,
                                info.build_version,
                            )}
                        </p>
                    }
                        .into_any()
                }
                Some(Some(Err(e))) => view! { <ErrorView error=e /> }.into_any(),
                _ => view! { <p>"Checking…"</p> }.into_any(),
            }}
        </section>
    }
}
