//! Shows an [`ApiError`] the same way everywhere: what happened, the
//! server's own words, what to do next, and the details behind a toggle.

use crate::api::ApiError;
use leptos::prelude::*;

/// An error box. Server text is rendered as text, never as HTML.
#[component]
pub fn ErrorView(
    /// The error to show.
    error: ApiError,
) -> impl IntoView {
    let headline = error.user_message();
    let words = error.server_message().map(str::to_string);
    let details = error.details().map(str::to_string);
    let next = error.next_step();
    view! {
        <div class="error-box">
            <p class="error-headline">{headline}</p>
            {words.map(|w| view! {
                <p class="server-words">
                    <span class="label">"The server said: "</span>
                    <q>{w}</q>
                </p>
            })}
            <p class="next-step">{next}</p>
            {details.map(|d| view! {
                <details>
                    <summary>"Details from the server"</summary>
                    <pre class="details">{d}</pre>
                </details>
            })}
        </div>
    }
}
