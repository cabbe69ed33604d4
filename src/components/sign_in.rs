//! Signing in to a secured RavenDB 3.x server with an API key
//! (docs/protocol/ravendb-3x.md §11.3): the form in Server settings (the
//! key's name, its secret in a masked field) and the header's offer to
//! sign in when the server refused a request. The secret goes from the
//! field to `state::auth` and the field is emptied once signed in and on
//! signing out (deliberately: it is forgotten); the name is kept and shown
//! again when the form comes back.
//!
//! The form (with the exchange it runs, `auth::session`) is in the release
//! build's `signin` wasm file, fetched when the form is first shown
//! (docs/size.md, "The 3.x sign-in, loaded when needed"); the section, its
//! heading and the header's offer are in the main wasm.

use crate::{
    api::ApiError,
    auth::{oauth3::ApiKey, refusal::AuthRefusal},
    components::{
        chunk::{ChunkFailed, Part},
        field::{SecretField, TextField},
    },
    state::auth::use_auth,
};
use leptos::prelude::*;

/// Which field a refusal is about (for `aria-invalid`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Culprit {
    Name,
    Secret,
    Neither,
}

fn culprit(error: &ApiError) -> Culprit {
    match error {
        ApiError::AuthRefused {
            refusal: AuthRefusal::UnknownKey { .. },
            ..
        } => Culprit::Name,
        ApiError::AuthRefused {
            refusal: AuthRefusal::WrongSecret { .. },
            ..
        } => Culprit::Secret,
        _ => Culprit::Neither,
    }
}

/// How the form is named while its file loads, and if it does not arrive.
const SIGN_IN_FORM: Part = Part {
    loading: "Loading the sign-in form…",
    failed: "The sign-in form could not be loaded",
    failed_id: "sign-in-chunk-error-title",
};

/// The sign-in section of Server settings, on a 3.x server (or while
/// signed in): the form, or who is signed in with a way out.
#[component]
pub fn SignIn(
    /// Set by the header's offer: the name field takes the focus when the
    /// form comes (its file may still be on its way), then it is cleared.
    focus_name: RwSignal<bool>,
) -> impl IntoView {
    let auth = use_auth();
    // API keys are RavenDB 3.x's; a 4.x+ server signs in by certificate.
    let offered = move || crate::state::connection::is_v3() || auth.signed_in.with(Option::is_some);
    view! {
        <Show when=offered>
            <section class="sign-in" aria-labelledby="sign-in-title">
                <h3 id="sign-in-title">"Sign in (RavenDB 3.x API key)"</h3>
                {crate::lazy_view!(sign_in_body(focus_name), SIGN_IN_FORM)}
            </section>
        </Show>
    }
}

/// The section's body. A split point of the release build (see
/// src/components/chunk.rs).
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(signin, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn sign_in_body(focus_name: RwSignal<bool>) -> Result<AnyView, ChunkFailed> {
    Ok(view! { <SignInBody focus_name /> }.into_any())
}

/// The sign-in form, or who is signed in with a way out.
#[component]
fn SignInBody(focus_name: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    if focus_name.get_untracked() {
        focus_name.set(false);
        crate::components::focus_by_id("api-key-name");
    }
    let name = RwSignal::new(auth.remembered_name.get_untracked());
    let secret = RwSignal::new(String::new());
    let show_secret = RwSignal::new(false);
    // (message, which field) of the last attempt, or a typing error.
    let problem = RwSignal::new(None::<(String, Culprit)>);
    let status = RwSignal::new(String::new());

    let action = Action::new_local(move |key: &ApiKey| {
        let key = key.clone();
        async move {
            match auth.sign_in(key).await {
                Ok(name) => {
                    let _ = secret.try_set(String::new());
                    let _ = show_secret.try_set(false);
                    let _ = problem.try_set(None);
                    let _ = status.try_set(format!("Signed in with API key \"{name}\"."));
                }
                Err(e) => {
                    let next = crate::present::error::next_step(&e);
                    let _ = problem
                        .try_set(Some((format!("{} {next}", e.user_message()), culprit(&e))));
                    let _ = status.try_set("Not signed in.".into());
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ApiKey::new(&name.get_untracked(), &secret.get_untracked()) {
            Ok(key) => {
                problem.set(None);
                status.set("Signing in…".into());
                action.dispatch(key);
            }
            Err(e) => {
                let field = match e {
                    crate::auth::oauth3::ApiKeyError::NoSecret => Culprit::Secret,
                    _ => Culprit::Name,
                };
                problem.set(Some((e.to_string(), field)));
            }
        }
    };
    let sign_out = move |_| {
        auth.sign_out();
        secret.set(String::new());
        show_secret.set(false);
        status.set("Signed out: the secret and the token are forgotten.".into());
    };
    // The last problem, under the field it is about (or under both).
    let error_for = move |field: Culprit| {
        Signal::derive(move || {
            problem.with(|p| {
                p.as_ref()
                    .filter(|(_, c)| *c == field)
                    .map(|(text, _)| text.clone())
            })
        })
    };

    view! {
        <Show
            when=move || auth.signed_in.with(Option::is_some)
            fallback=move || {
                view! {
                    <form on:submit=submit novalidate=true>
                        <TextField
                            id="api-key-name"
                            label="API key name"
                            hint="The part before the slash of name/secret. Remembered in this browser."
                            value=name
                            on_input=Callback::new(move |v: String| name.set(v))
                            error=error_for(Culprit::Name)
                            autocomplete="username"
                        />
                        <SecretField
                            id="api-key-secret"
                            label="API key secret"
                            hint="The part after the slash. Kept in this page's memory only, never stored; reloading the page forgets it."
                            what="the secret"
                            value=secret
                            on_input=Callback::new(move |v: String| secret.set(v))
                            revealed=show_secret
                            error=error_for(Culprit::Secret)
                        />
                        <p id="sign-in-problem" class="field-error">
                            {move || error_for(Culprit::Neither).get()}
                        </p>
                        <div class="actions">
                            <button type="submit" disabled=move || action.pending().get()>
                                "Sign in"
                            </button>
                        </div>
                    </form>
                }
            }
        >
            <p class="ok-text">
                {move || {
                    auth.signed_in
                        .get()
                        .map(|(name, base)| {
                            format!("Signed in to {base} with API key \"{name}\".")
                        })
                }}
            </p>
            <div class="actions">
                <button type="button" class="secondary" on:click=sign_out>
                    "Sign out"
                </button>
            </div>
        </Show>
        <p class="sign-in-status" role="status" aria-live="polite">
            {move || status.get()}
        </p>
    }
}

/// The header's offer to sign in, while a refusal a sign-in may fix stands.
#[component]
pub fn SignInOffer(
    /// Opens the Server settings panel (where the form is).
    open_settings: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show when=move || auth.offer().is_some()>
            <div class="sign-in-offer" role="alert">
                <span>
                    {move || {
                        auth.offer()
                            .map(|e| {
                                let signed_in = auth.signed_in.with(Option::is_some);
                                match e {
                                    ApiError::AuthRefused { .. } => e.user_message(),
                                    _ if signed_in => e.user_message(),
                                    _ => {
                                        "Sign-in needed: this server refused an anonymous request."
                                            .to_string()
                                    }
                                }
                            })
                    }}
                </span>
                " "
                <button type="button" on:click=move |_| open_settings.run(())>
                    "Sign in…"
                </button>
            </div>
        </Show>
    }
}
