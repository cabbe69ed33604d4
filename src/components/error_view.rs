//! Shows an [`ApiError`] the same way everywhere: what happened, the
//! server's own words (once), what to do next, and the details behind a
//! toggle.

use crate::{api::ApiError, components::clipped, present::error};
use leptos::prelude::*;

/// An error box. Server text is rendered as text, never as HTML.
#[component]
pub fn ErrorView(
    /// The error to show.
    error: ApiError,
) -> impl IntoView {
    // Server text can be huge (a 5 MB message): show a bounded part.
    let headline = clipped(&error::headline(&error));
    let words = error::server_words(&error).map(clipped);
    let details = error::details(&error).map(|d| clipped(&d));
    let next = error::next_step(&error);
    view! {
        <div class="error-box">
            <p class="error-headline">{headline}</p>
            {words
                .map(|w| {
                    view! {
                        <p class="server-words">
                            <span class="label">"The server said: "</span>
                            <q>{w}</q>
                        </p>
                    }
                })}
            <p class="next-step">{next}</p>
            {details
                .map(|d| {
                    view! {
                        <details>
                            <summary>"Details from the server"</summary>
                            <pre class="details">{d}</pre>
                        </details>
                    }
                })}
        </div>
    }
}
