//! The review of a request before it is sent: method, full URL and JSON
//! body with every secret value masked, and the same as a curl command.

use crate::{
    forms::{curl_command, mask_secrets, PlannedRequest},
    state::connection::Connection,
};
use leptos::prelude::*;

/// Shows `request` (when there is one to send).
#[component]
pub fn RequestReview(
    /// The request the form would send, if it is complete and valid.
    #[prop(into)]
    request: Signal<Option<PlannedRequest>>,
    /// The id of the review's heading, unique on the page (several reviews
    /// can show at once: 4.0/4.1's two-step one-time backup).
    #[prop(default = "review-title")]
    title_id: &'static str,
    /// The heading.
    #[prop(default = "Review the request")]
    title: &'static str,
    /// A line about the body, e.g. where its DatabaseDocument came from.
    #[prop(optional, into)]
    note: Signal<Option<String>>,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    // The curl command last copied: "copied" is said of that request only.
    let copied = RwSignal::new(None::<String>);
    view! {
        {move || request.get().map(|req| {
            let url = conn.server_url().map(|(u, _)| u).unwrap_or_default();
            let masked = mask_secrets(&req.body);
            let had_secrets = masked != req.body;
            let json = if masked.is_null() {
                "(no body: Content-Length: 0)".to_string()
            } else {
                serde_json::to_string_pretty(&masked).unwrap_or_default()
            };
            let curl = curl_command(&url, req.method, &req.path, &masked);
            let curl_for_copy = curl.clone();
            let curl_shown = curl.clone();
            view! {
                <section class="panel review" aria-labelledby=title_id>
                    <h2 id=title_id>{title}</h2>
                    <p><code class="method">{req.method}</code> " " <code>{format!("{url}{}", req.path)}</code></p>
                    {move || note.get().map(|n| view! { <p class="hint">{n}</p> })}
                    <pre class="code" aria-label="Request body">{json}</pre>
                    <h3>"Copy as curl"</h3>
                    <pre class="code" aria-label="curl command">{curl}</pre>
                    {had_secrets.then(|| view! {
                        <p class="hint">"Secret values are masked (••••••••) here and in the curl command: fill them in before running it."</p>
                    })}
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.navigator().clipboard().write_text(&curl_for_copy);
                                copied.set(Some(curl_for_copy.clone()));
                            }
                        }>"Copy curl command"</button>
                        <span role="status">
                            {move || copied.with(|c| (c.as_deref() == Some(curl_shown.as_str())).then_some("The curl command was copied."))}
                        </span>
                    </div>
                </section>
            }
        })}
    }
}
