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
    // The curl command last copied and whether the clipboard took it:
    // what is said is said of that request only.
    let copied = RwSignal::new(None::<(String, CopyResult)>);
    view! {
        {move || {
            request
                .get()
                .map(|req| {
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
                            <p>
                                <code class="method">{req.method}</code>
                                " "
                                <code>{format!("{url}{}", req.path)}</code>
                            </p>
                            {move || note.get().map(|n| view! { <p class="hint">{n}</p> })}
                            <pre class="code" aria-label="Request body">
                                {json}
                            </pre>
                            <h3>"Copy as curl"</h3>
                            <pre class="code" aria-label="curl command">
                                {curl}
                            </pre>
                            {had_secrets
                                .then(|| {
                                    view! {
                                        <p class="hint">
                                            "Secret values are masked (••••••••) here and in the curl command: fill them in before running it."
                                        </p>
                                    }
                                })}
                            <div class="actions">
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        let curl = curl_for_copy.clone();
                                        copied.set(None);
                                        leptos::task::spawn_local(async move {
                                            let result = copy_to_clipboard(&curl).await;
                                            copied.set(Some((curl, result)));
                                        });
                                    }
                                >
                                    "Copy curl command"
                                </button>
                                <span role="status">
                                    {move || {
                                        copied
                                            .with(|c| match c {
                                                Some((text, result)) if *text == curl_shown => {
                                                    Some(
                                                        match result {
                                                            Ok(()) => "The curl command was copied.".to_string(),
                                                            Err(why) => {
                                                                format!(
                                                                    "The curl command could not be copied ({why}). Select it above and copy it by hand.",
                                                                )
                                                            }
                                                        },
                                                    )
                                                }
                                                _ => None,
                                            })
                                    }}
                                </span>
                            </div>
                        </section>
                    }
                })
        }}
    }
}

/// Whether the clipboard took the text, or the browser's reason why not.
type CopyResult = Result<(), String>;

/// Writes `text` to the clipboard and waits for the browser's answer: only
/// then is "copied" true.
async fn copy_to_clipboard(text: &str) -> CopyResult {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or_else(|| "no window".to_string())?;
    let navigator = window.navigator();
    // Absent outside secure contexts: say so rather than throw.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .ok_or_else(|| "this browser offers no clipboard to this page".to_string())?;
    let promise = clipboard
        .unchecked_into::<web_sys::Clipboard>()
        .write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "the browser refused".to_string())
        })
}
