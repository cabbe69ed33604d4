//! The progress panel of a backup or restore: a live, capped message log,
//! elapsed time, an aria-live summary line, pause / stop watching, cancel
//! where the server supports it, and a final status that says exactly what
//! happened.

use crate::{
    api::{
        client::Client,
        poll::{Log, LogSeverity, Outcome, Phase},
        watch::OperationWatch,
        ApiError,
    },
    components::{clipped, error_view::ErrorView},
};
use leptos::prelude::*;

/// Lines shown on screen (the newest); the whole log is downloadable.
const VISIBLE_LINES: usize = 300;

/// "4.2 s", "3 min 05 s".
pub fn format_duration(ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0).floor() as u64;
    if secs < 60 {
        format!("{:.1} s", ms.max(0.0) / 1000.0)
    } else if secs < 3600 {
        format!("{} min {:02} s", secs / 60, secs % 60)
    } else {
        format!("{} h {:02} min", secs / 3600, (secs % 3600) / 60)
    }
}

/// The server's ISO time as `HH:MM:SS` (UTC), or nothing.
fn short_time(at: &Option<String>) -> String {
    at.as_deref()
        .and_then(|s| s.split('T').nth(1))
        .map(|t| t.chars().take(8).collect::<String>())
        .unwrap_or_default()
}

fn log_text(log: &Log) -> String {
    let mut out = String::new();
    if log.dropped() > 0 {
        out.push_str(&format!("({} older lines dropped)\n", log.dropped()));
    }
    for line in log.lines() {
        let sev = match line.severity {
            LogSeverity::Info => "Info",
            LogSeverity::Error => "Error",
        };
        out.push_str(&format!(
            "[{}] {}: {}\n",
            line.at.as_deref().unwrap_or("-"),
            sev,
            line.text
        ));
        if let Some(d) = &line.details {
            out.push_str(d);
            out.push('\n');
        }
    }
    out
}

/// Offers `text` as a file download (no server round trip).
fn download_text(file_name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
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
    let _ = web_sys::Url::revoke_object_url(&url);
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
    success_note: Option<String>,
    /// A client and operation id to cancel with, when the server supports it.
    kill: Option<(Client, i64)>,
) -> impl IntoView {
    let snapshot = watch.snapshot;
    let log = watch.log;
    // Elapsed time ticks every second while the watch runs.
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = set_interval_with_handle(
        move || {
            let _ = now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_millis(1000),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });
    let finished = move || snapshot.with(|s| matches!(s.phase, Phase::Finished(_)));
    let elapsed = move || {
        let s = snapshot.get();
        if matches!(s.phase, Phase::Finished(_)) || watch.stopped.get() {
            s.elapsed_ms
        } else {
            (now.get() - s.started_ms).max(s.elapsed_ms)
        }
    };
    let subject_for_summary = subject.clone();
    let summary = move || {
        let s = snapshot.get();
        let time = format_duration(elapsed());
        match &s.phase {
            Phase::Starting => format!("{noun} of {subject_for_summary}: starting… ({time})"),
            Phase::Running if watch.paused.get() => {
                format!("{noun} of {subject_for_summary}: watching paused ({time}). The server carries on.")
            }
            Phase::Running => {
                let messages = log.with(Log::total);
                format!(
                    "{noun} of {subject_for_summary}: running, {messages} message{} ({time})",
                    if messages == 1 { "" } else { "s" }
                )
            }
            Phase::Reconnecting { .. } => format!(
                "{noun} of {subject_for_summary}: reconnecting to the server… ({time}). The last known state is shown."
            ),
            Phase::Finished(Outcome::Succeeded { .. }) => format!("{noun} succeeded in {time}."),
            Phase::Finished(Outcome::Failed { reason, .. }) => format!("{noun} failed: {}", clipped(reason)),
            Phase::Finished(Outcome::Canceled { .. }) => format!("{noun} was canceled."),
            Phase::Finished(Outcome::Lost { .. }) => format!("{noun}: outcome unknown (lost)."),
        }
    };

    let confirm_kill = RwSignal::new(false);
    let kill_result = RwSignal::new(None::<Result<String, ApiError>>);
    let kill_pending = RwSignal::new(false);
    let kill_for_view = kill.clone();
    let do_kill = move || {
        let Some((client, id)) = kill.clone() else {
            return;
        };
        if kill_pending.get_untracked() {
            return;
        }
        kill_pending.set(true);
        confirm_kill.set(false);
        leptos::task::spawn_local(async move {
            let result = client.kill_operation(id).await.map(|state| {
                if state.is_canceled() {
                    "The server reports the operation as canceled.".to_string()
                } else if state.completed {
                    "The server reports the operation had already finished.".to_string()
                } else {
                    "Cancellation requested; the server still reports it as running.".to_string()
                }
            });
            let _ = kill_result.try_set(Some(result));
            let _ = kill_pending.try_set(false);
        });
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
            <h2 id="progress-title">{format!("{noun} of {subject}")}</h2>
            <p class="progress-summary" role="status" aria-live="polite">{summary}</p>
            <Show when=move || !finished() && !watch.stopped.get()>
                <div class="progressbar" role="progressbar" aria-label=format!("{noun} in progress")>
                    <div class="progressbar-indeterminate"></div>
                </div>
            </Show>
            {move || snapshot.with(|s| match &s.phase {
                Phase::Reconnecting { last_error, .. } => Some(view! {
                    <p class="warning-text">
                        "Reconnecting: " {last_error.user_message()}
                    </p>
                }),
                _ => None,
            })}
            <div class="actions">
                <Show when=move || !finished() && !watch.stopped.get()>
                    <button type="button" class="secondary" on:click=move |_| watch.paused.update(|p| *p = !*p)>
                        {move || if watch.paused.get() { "Resume watching" } else { "Pause watching" }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| watch.stopped.set(true)>
                        "Stop watching"
                    </button>
                    {kill_for_view.is_some().then(|| view! {
                        <button type="button" class="danger" disabled=move || kill_pending.get()
                            on:click=move |_| confirm_kill.set(true)>
                            {format!("Cancel the {noun_lower}…")}
                        </button>
                    })}
                </Show>
                <button type="button" class="secondary"
                    on:click=move |_| log.with_untracked(|l| download_text(&file_name, &log_text(l)))>
                    "Download the whole log"
                </button>
            </div>
            <Show when=move || confirm_kill.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="kill-question">
                    <p id="kill-question">{format!("Cancel this {}? The server stops it and marks the backup folder as failed.", noun.to_ascii_lowercase())}</p>
                    <div class="actions">
                        <button type="button" class="danger" on:click={let do_kill = do_kill.clone(); move |_| do_kill()}>"Yes, cancel it"</button>
                        <button type="button" class="secondary" on:click=move |_| confirm_kill.set(false)>"No, let it run"</button>
                    </div>
                </div>
            </Show>
            {move || kill_result.get().map(|r| match r {
                Ok(text) => view! { <p>{text}</p> }.into_any(),
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
            })}
            <Show when=move || watch.stopped.get() && !finished()>
                <p class="warning-text">
                    "You stopped watching. The server carries on; the Operations screen can re-attach to it."
                </p>
            </Show>
            {let success_note = success_note.clone(); move || snapshot.with(|s| match &s.phase {
                Phase::Finished(outcome) => Some(outcome_view(outcome, success_note.clone(), format_duration(s.elapsed_ms))),
                _ => None,
            })}
            <h3>"Messages from the server"</h3>
            {move || log.with(|l| {
                let hidden = l.lines().len().saturating_sub(VISIBLE_LINES) + l.dropped();
                (hidden > 0).then(|| view! {
                    <p class="hint">{format!("{hidden} older messages are not shown here; download the whole log to see them.")}</p>
                })
            })}
            <ol class="log" aria-label="Messages from the server" node_ref=log_ref tabindex="0">
                {move || log.with(|l| {
                    let start = l.lines().len().saturating_sub(VISIBLE_LINES);
                    l.lines()[start..].iter().map(|line| {
                        let error = line.severity == LogSeverity::Error;
                        view! {
                            <li class:log-error=error>
                                <span class="log-time">{short_time(&line.at)}</span>
                                <span class="log-severity">{if error { "Error" } else { "Info" }}</span>
                                <span class="log-text">{clipped(&line.text)}</span>
                            </li>
                        }
                    }).collect_view()
                })}
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
                <p><span class="label">"The server said: "</span><q>{clipped(&reason)}</q></p>
                {details.map(|d| view! {
                    <details><summary>"Details from the server"</summary><pre class="details">{clipped(&d)}</pre></details>
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
        Outcome::Lost { reason } => view! {
            <div class="outcome outcome-lost" role="alert">
                <p class="outcome-title">"Lost: the outcome is unknown"</p>
                <p>{reason}</p>
                <p>"Check the server (its status documents and the backup folder) before relying on this operation."</p>
            </div>
        }
        .into_any(),
    }
}
