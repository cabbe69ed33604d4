//! The progress panel of a backup or restore: a live, capped message log,
//! elapsed time, an aria-live summary line, pause / stop watching, cancel
//! where the server supports it, and a final status that says exactly what
//! happened. The words come from `present::progress`.

use crate::{
    api::{
        client::KillTarget,
        poll::{Log, LogSeverity, Outcome, Phase},
        version::KillRoute,
        watch::OperationWatch,
        ApiError,
    },
    components::{clipped, error_view::ErrorView},
    hooks::use_interval,
    present::{
        progress::{
            counts_text, determinate, elapsed_ms, hidden_lines, kill_answer_words, log_text,
            summary as summary_text,
        },
        time::{format_duration, short_time},
    },
};
use leptos::prelude::*;

/// Lines shown on screen (the newest); the whole log is downloadable.
const VISIBLE_LINES: usize = 300;

/// Offers `text` as a file download of type `mime` (no server round
/// trip): the log here, the drill's report (`components::drill`).
pub fn offer_download(file_name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&format!("{mime};charset=utf-8"));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        }
    }
    // The browser reads the file after the click's task has ended (Firefox
    // fails a download whose URL is already revoked): free it well after.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(40),
    );
}

/// The panel. `noun` is "Backup" or "Restore"; `kill` is offered when the
/// server can cancel this operation.
#[component]
pub fn OperationProgress(
    /// The watch to show.
    watch: OperationWatch,
    /// "Backup" or "Restore".
    noun: &'static str,
    /// What it is about, e.g. "database Northwind".
    subject: String,
    /// Shown on success, e.g. where the backup went.
    #[prop(default = None)]
    success_note: Option<String>,
    /// The operation to cancel and its route, when the server can cancel it.
    #[prop(default = None)]
    kill: Option<KillTarget>,
    /// True once this is the result of an earlier run (the form has changed
    /// since it started).
    #[prop(optional, into)]
    earlier: Signal<bool>,
) -> impl IntoView {
    let snapshot = watch.snapshot;
    let log = watch.log;
    let finished = move || snapshot.with(|s| matches!(s.phase, Phase::Finished(_)));
    // Elapsed time ticks every second while the watch runs, then stops.
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = use_interval(1000, move || {
        let _ = now.try_set(js_sys::Date::now());
    });
    Effect::new(move |_| {
        if finished() || watch.stopped.get() {
            ticker.pause();
        }
    });
    let subject_for_summary = subject.clone();
    let summary = move || {
        let stopped = watch.stopped.get();
        let paused = watch.paused.get();
        let now = now.get();
        snapshot.with(|s| {
            log.with(|l| {
                summary_text(
                    noun,
                    &subject_for_summary,
                    s,
                    l,
                    elapsed_ms(s, now, stopped),
                    paused,
                )
            })
        })
    };

    let confirm_kill = RwSignal::new(false);
    // The cancel request: one at a time, its answer in words.
    let kill_action = Action::new_local(move |target: &KillTarget| {
        let target = target.clone();
        async move {
            target
                .client
                .kill(&target)
                .await
                .map(|answer| kill_answer_words(&answer))
        }
    });
    // What a cancel leaves behind, said before the admin confirms
    // (docs/protocol/ravendb-4x.md#kill).
    let kill_question = match kill.as_ref().map(|k| &k.route) {
        Some(KillRoute::V35) | None => {
            "The server stops it and marks the backup folder as failed.".to_string()
        }
        Some(KillRoute::Database(_)) => {
            "The server stops it. The backup folder it was writing stays on the server's disk, empty or incomplete."
                .to_string()
        }
        Some(KillRoute::Server) => {
            "The server stops it and does not create the database. The data folder the restore was writing stays on the server's disk."
                .to_string()
        }
    };
    // The safe choice takes the focus when the question opens.
    let keep_running = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep_running.get() {
            let _ = button.focus();
        }
    });
    let kill_pending = kill_action.pending();
    let kill_result = kill_action.value();
    let kill_for_view = kill.clone();
    let do_kill = move || {
        let Some(target) = kill.clone() else {
            return;
        };
        if kill_pending.get_untracked() {
            return;
        }
        confirm_kill.set(false);
        kill_action.dispatch_local(target);
    };
    // Keep the newest message in view as the log grows.
    let log_ref = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        log.track();
        if let Some(ol) = log_ref.get() {
            ol.set_scroll_top(ol.scroll_height());
        }
    });
    let file_name = format!("{}-log.txt", noun.to_ascii_lowercase());
    let noun_lower = noun.to_ascii_lowercase();

    view! {
        <section class="panel progress" aria-labelledby="progress-title">
            <h2 id="progress-title">
                {format!("{noun} of {subject}")}
                {move || earlier.get().then_some(" (an earlier run)")}
            </h2>
            <Show when=move || earlier.get()>
                <p class="hint">
                    "This is the result of an earlier run: the form has changed since it was started."
                </p>
            </Show>
            <p class="progress-summary" role="status" aria-live="polite">
                {summary}
            </p>
            {move || {
                snapshot
                    .with(|s| s.counts.as_ref().and_then(counts_text))
                    .map(|text| view! { <p class="progress-counts">{text}</p> })
            }}
            <Show when=move || {
                !finished() && !watch.stopped.get()
            }>
                {move || match snapshot.with(|s| s.counts.as_ref().and_then(determinate)) {
                    Some((value, max)) => {
                        view! {
                            <progress
                                class="progress-determinate"
                                max=max.to_string()
                                value=value.to_string()
                                aria-label=format!("{noun} progress")
                            ></progress>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <div
                                class="progressbar"
                                role="progressbar"
                                aria-label=format!("{noun} in progress")
                            >
                                <div class="progressbar-indeterminate"></div>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </Show>
            {move || {
                snapshot
                    .with(|s| match &s.phase {
                        Phase::Reconnecting { last_error, .. } => {
                            Some(
                                view! {
                                    <p class="warning-text">
                                        {if last_error.is_auth_refusal() {
                                            format!(
                                                "{} {}",
                                                last_error.user_message(),
                                                last_error.next_step(),
                                            )
                                        } else {
                                            format!("Reconnecting: {}", last_error.user_message())
                                        }}
                                    </p>
                                },
                            )
                        }
                        _ => None,
                    })
            }}
            <div class="actions">
                <Show when=move || !finished() && !watch.stopped.get()>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| watch.paused.update(|p| *p = !*p)
                    >
                        {move || {
                            if watch.paused.get() { "Resume watching" } else { "Pause watching" }
                        }}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| watch.stopped.set(true)
                    >
                        "Stop watching"
                    </button>
                    {kill_for_view
                        .is_some()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="danger"
                                    disabled=move || kill_pending.get()
                                    on:click=move |_| confirm_kill.set(true)
                                >
                                    {format!("Cancel the {noun_lower}…")}
                                </button>
                            }
                        })}
                </Show>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        log.with_untracked(|l| offer_download(
                            &file_name,
                            "text/plain",
                            &log_text(l),
                        ))
                    }
                >
                    "Download the whole log"
                </button>
            </div>
            <Show when=move || confirm_kill.get()>
                <div
                    class="confirm"
                    role="alertdialog"
                    aria-labelledby="kill-question"
                    aria-describedby="kill-consequence"
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            confirm_kill.set(false);
                        }
                    }
                >
                    <p id="kill-question">
                        <strong>{format!("Cancel this {}?", noun.to_ascii_lowercase())}</strong>
                    </p>
                    <p id="kill-consequence">{kill_question.clone()}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            on:click={
                                let do_kill = do_kill.clone();
                                move |_| do_kill()
                            }
                        >
                            "Yes, cancel it"
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            node_ref=keep_running
                            on:click=move |_| confirm_kill.set(false)
                        >
                            "No, let it run"
                        </button>
                    </div>
                </div>
            </Show>
            // The answer to the cancel request, until the followed state
            // says how it ended (the outcome below).
            {move || {
                (!finished())
                    .then(|| kill_result.get())
                    .flatten()
                    .map(|r: Result<&'static str, ApiError>| match r {
                        Ok(text) => view! { <p>{text}</p> }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    })
            }}
            <Show when=move || watch.stopped.get() && !finished()>
                <p class="warning-text">
                    "You stopped watching. The server carries on; the Operations screen can re-attach to it."
                </p>
            </Show>
            {
                let success_note = success_note.clone();
                move || {
                    snapshot
                        .with(|s| match &s.phase {
                            Phase::Finished(outcome) => {
                                Some(
                                    outcome_view(
                                        outcome,
                                        success_note.clone(),
                                        format_duration(s.elapsed_ms),
                                    ),
                                )
                            }
                            _ => None,
                        })
                }
            }
            <h3>"Messages from the server"</h3>
            {move || {
                log.with(|l| {
                    let hidden = hidden_lines(l, VISIBLE_LINES);
                    (hidden > 0)
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {format!(
                                        "{hidden} older messages are not shown here; download the whole log to see them.",
                                    )}
                                </p>
                            }
                        })
                })
            }}
            <ol class="log" aria-label="Messages from the server" node_ref=log_ref tabindex="0">
                {move || {
                    log.with(|l| {
                        let start = l.lines().len().saturating_sub(VISIBLE_LINES);
                        l.lines()[start..]
                            .iter()
                            .map(|line| {
                                let error = line.severity == LogSeverity::Error;
                                view! {
                                    <li class:log-error=error>
                                        <span class="log-time">
                                            {short_time(line.at.as_deref())}
                                        </span>
                                        <span class="log-severity">
                                            {if error { "Error" } else { "Info" }}
                                        </span>
                                        <span class="log-text">{clipped(&line.text)}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ol>
            <Show when=move || log.with(Log::is_empty)>
                <p class="hint">"No messages yet."</p>
            </Show>
        </section>
    }
}

fn outcome_view(outcome: &Outcome, success_note: Option<String>, duration: String) -> AnyView {
    match outcome.clone() {
        Outcome::Succeeded { summary } => view! {
            <div class="outcome outcome-ok" role="status">
                <p class="outcome-title">"Succeeded"</p>
                <p>{summary}</p>
                {success_note.map(|n| view! { <p>{n}</p> })}
                <p>{format!("Duration: {duration}.")}</p>
            </div>
        }
        .into_any(),
        Outcome::Failed { reason, details } => view! {
            <div class="outcome outcome-failed" role="alert">
                <p class="outcome-title">"Failed"</p>
                <p>
                    <span class="label">"The server said: "</span>
                    <q>{clipped(&reason)}</q>
                </p>
                {details
                    .map(|d| {
                        view! {
                            <details>
                                <summary>"Details from the server"</summary>
                                <pre class="details">{clipped(&d)}</pre>
                            </details>
                        }
                    })}
                <p>"Fix the cause the server names, then start again."</p>
            </div>
        }
        .into_any(),
        Outcome::Canceled { reason } => view! {
            <div class="outcome outcome-lost" role="status">
                <p class="outcome-title">"Canceled"</p>
                <p>{reason}</p>
            </div>
        }
        .into_any(),
        Outcome::NotVisible { reason } => view! {
            <div class="outcome outcome-lost" role="alert">
                <p class="outcome-title">"Cannot see this operation from here"</p>
                <p>{reason}</p>
                <p>
                    "This says nothing of how the operation went: check it on the server that runs it."
                </p>
            </div>
        }
        .into_any(),
        Outcome::Lost { reason } => view! {
            <div class="outcome outcome-lost" role="alert">
                <p class="outcome-title">"Lost: the outcome is unknown"</p>
                <p>{reason}</p>
                <p>
                    "Check the server (its status documents and the backup folder) before relying on this operation."
                </p>
            </div>
        }
        .into_any(),
    }
}
