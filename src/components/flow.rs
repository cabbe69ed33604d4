//! The scaffolding the Backup and Restore screens share, 3.x and 4.x alike:
//! the database name field, what still blocks a start, the confirmation,
//! the "server did not start it" panel and the followed operation's panel.
//! Each is an ordinary (non-generic) component, compiled once.

use crate::{
    api::{
        poll::{Outcome, Phase, Watched},
        ApiError,
    },
    components::{
        drill::VerifyEntry, error_view::ErrorView, operation_progress::OperationProgress,
    },
    present::time::clock,
    route::Route,
    state::operations::{LostStart, Starter},
    state::{databases::use_databases, drill::DrillRequest, operations::Running},
};
use leptos::prelude::*;

/// A database name field with the server's databases as suggestions.
#[component]
pub fn DatabaseNameField(
    /// The input's id (`{id}-hint`, `{id}-error` and `{id}-list` derive from it).
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The name as typed.
    #[prop(into)]
    value: Signal<String>,
    /// Receives every edit.
    on_input: Callback<String>,
    /// Whether to suggest the server's databases (not for a file system).
    #[prop(into)]
    suggest: Signal<bool>,
    /// One line of help under the field.
    #[prop(into)]
    hint: Signal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The id of the form the field belongs to when it is outside it (the
    /// Backup screen's field is in the main wasm, its form is not).
    #[prop(optional)]
    form: Option<&'static str>,
) -> impl IntoView {
    let databases = use_databases();
    let list_id = format!("{id}-list");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    let list_for_input = list_id.clone();
    view! {
        <label for=id>{move || label.get()}</label>
        <input
            id=id
            form=form
            type="text"
            autocomplete="off"
            spellcheck="false"
            list=move || suggest.get().then(|| list_for_input.clone())
            prop:value=move || value.get()
            on:input:target=move |ev| on_input.run(ev.target().value())
            aria-invalid=move || error.with(Option::is_some).to_string()
            aria-describedby=described
        />
        <datalist id=list_id>
            {move || {
                databases
                    .names
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|n| view! { <option value=n></option> })
                    .collect_view()
            }}
        </datalist>
        <p id=hint_id class="hint">
            {move || hint.get()}
        </p>
        <p id=error_id class="field-error">
            {move || error.get()}
        </p>
    }
}

/// What still blocks a start, after the first attempt; nothing when there
/// is nothing.
#[component]
pub fn ProblemList(
    /// "The backup cannot start yet:" and the like.
    title: &'static str,
    /// The problems, in field order (empty: the list is not shown).
    #[prop(into)]
    problems: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || problems.with(|p| !p.is_empty())>
            <div class="error-box" role="alert">
                <p class="error-headline">{title}</p>
                <ul>
                    {move || {
                        problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// The confirmation before a start that cannot be undone.
#[component]
pub fn ConfirmPanel(
    /// The ids of the title (`{id}-title`) and the sentence (`{id}-text`).
    id: &'static str,
    /// "Confirm the restore".
    title: &'static str,
    /// What will happen, in one sentence.
    #[prop(into)]
    sentence: Signal<String>,
    /// The button that goes ahead.
    yes: &'static str,
    /// The button that goes back to the form.
    no: &'static str,
    /// Goes ahead.
    on_yes: Callback<()>,
    /// Goes back.
    on_no: Callback<()>,
    /// While true, going ahead is disabled.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let text_id = format!("{id}-text");
    let (labelled_by, described_by) = (title_id.clone(), text_id.clone());
    view! {
        <section
            class="panel confirm"
            role="alertdialog"
            aria-labelledby=labelled_by
            aria-describedby=described_by
        >
            <h2 id=title_id>{title}</h2>
            <p id=text_id>{move || sentence.get()}</p>
            <div class="actions">
                <button type="button" on:click=move |_| on_yes.run(()) disabled=move || busy.get()>
                    {yes}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_no.run(())>
                    {no}
                </button>
            </div>
        </section>
    }
}

/// Why the server did not start the operation, in its own words, and what
/// can be done about it (the children).
#[component]
pub fn StartErrorPanel(
    /// The id of the title.
    id: &'static str,
    /// "The server did not start the backup".
    title: &'static str,
    /// The refusal.
    error: ApiError,
    /// What can be done about it, before the error itself.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {children.map(|c| c())}
            <ErrorView error />
        </section>
    }
}

/// The [`LostStartPanel`] of `start` while its last start's answer is
/// lost: one place for the four screens' "look again" and "start again".
pub fn lost_start_of<I: Clone + 'static>(id: &'static str, start: Starter<I>) -> impl IntoView {
    move || {
        start.lost().map(|(error, lost)| {
            view! {
                <LostStartPanel
                    id
                    error
                    lost
                    looking=Signal::derive(move || start.looking())
                    on_look_again=Callback::new(move |_| start.look_again())
                    on_start_again=Callback::new(move |_| {
                        start.start_again();
                    })
                />
            }
        })
    }
}

/// A start whose answer was lost and that was not found on the server:
/// unknown whether it started, what looking found, and two ways on, each
/// saying what it does (looking sends no POST; starting again may start a
/// second operation).
#[component]
pub fn LostStartPanel(
    /// The id of the title.
    id: &'static str,
    /// Why the answer was lost.
    error: ApiError,
    /// What is known.
    lost: LostStart,
    /// True while looking again.
    #[prop(into)]
    looking: Signal<bool>,
    /// Looks on the server again.
    on_look_again: Callback<()>,
    /// Sends the start again.
    on_start_again: Callback<()>,
) -> impl IntoView {
    let noun = if lost.what.is_backup() {
        "backup"
    } else {
        "restore"
    };
    let subject = lost.what.subject();
    let looked = match &lost.looked {
        Some(Ok(())) => format!(
            "No {noun} of {subject} was found on the server (looked at {}). It may not have started, \
             or the server may not show it yet.",
            clock(lost.looked_ms)
        ),
        Some(Err(e)) => format!(
            "The server could not be asked whether it is running ({}).",
            e.user_message()
        ),
        None => format!(
            "This dashboard cannot look for it on this server: check the {subject}'s ongoing tasks \
             (RavenDB Studio) before starting again."
        ),
    };
    let can_look = lost.search.is_some();
    view! {
        <section class="panel" aria-labelledby=id role="region">
            <h2 id=id>{format!("Unknown whether the {noun} started")}</h2>
            <p>
                {format!(
                    "The answer to the start request was lost ({}), so it is unknown whether the {noun} started on the server.",
                    error.user_message(),
                )}
            </p>
            <p role="status">{looked}</p>
            {lost.note.map(|n| view! { <p class="warning-text">{n}</p> })}
            <div class="actions">
                {can_look
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                disabled=move || looking.get()
                                on:click=move |_| on_look_again.run(())
                            >
                                {move || {
                                    if looking.get() {
                                        "Looking on the server…"
                                    } else {
                                        "Look on the server again"
                                    }
                                }}
                            </button>
                        }
                    })}
                <button
                    type="button"
                    class="secondary"
                    disabled=move || looking.get()
                    on:click=move |_| on_start_again.run(())
                >
                    {format!("Start again (this may start a second {noun})")}
                </button>
            </div>
        </section>
    }
}

/// The followed operation: its progress panel (marked as an earlier run
/// once it has ended and the form has changed) and, once a database
/// restore has succeeded, a link to back the new database up; once a
/// backup has succeeded, "Verify by restoring…" where the screen can say
/// what to verify.
#[component]
pub fn RunningPanel(
    /// The operation.
    running: Running,
    /// What the screen's form holds now (see [`Running::form_key`]).
    #[prop(optional, into)]
    form_key: Option<Signal<u64>>,
    /// The drill of this backup, once it has succeeded (the screen gives
    /// it only where a drill can work); not offered for an earlier run.
    #[prop(optional, into)]
    verify: Option<Signal<Option<DrillRequest>>>,
) -> impl IntoView {
    let Running {
        watch,
        what,
        kill,
        success_note,
        form_key: started_with,
        focus,
        lost_answer,
        node,
    } = running;
    // After a start (or attach, or follow) the panel is where things
    // happen: focus moves to its heading and it comes into view, once.
    let panel = NodeRef::<leptos::html::Div>::new();
    if focus.take() {
        Effect::new(move |_| {
            let Some(div) = panel.get() else {
                return;
            };
            leptos::task::spawn_local(async move {
                leptos::task::tick().await;
                if let Ok(Some(heading)) = div.query_selector("h2") {
                    let _ = heading.set_attribute("tabindex", "-1");
                    crate::components::focus(heading.clone());
                    // The whole panel, its top edge included (a little room
                    // above it: positions are fractional), not only the heading.
                    div.scroll_into_view();
                    window().scroll_by_with_x_and_y(0.0, -12.0);
                }
            });
        });
    }
    let earlier = Signal::derive(move || match (started_with, form_key) {
        (Some(then), Some(now)) => watch.is_over() && now.get() != then,
        _ => false,
    });
    let noun = if what.is_backup() {
        "Backup"
    } else {
        "Restore"
    };
    let restored = match &what {
        Watched::DatabaseRestore { database } => Some(database.clone()),
        _ => None,
    };
    let succeeded = move || {
        watch
            .snapshot
            .with(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })))
    };
    let noun_lower = noun.to_ascii_lowercase();
    let found_note = lost_answer.map(|e| format!(
        "The answer to the start was lost ({}), so it was unknown whether the {noun_lower} started. \
         It was found on the server and is followed here; no second request was sent.",
        e.user_message()
    ));
    view! {
        <div class="running" node_ref=panel>
            {found_note.map(|n| view! { <p class="warning-text">{n}</p> })}
            {node.map(|n| view! { <p class="hint">{format!("Runs on cluster {n}.")}</p> })}
            <OperationProgress watch noun subject=what.subject() success_note kill earlier />
            {restored
                .map(|name| {
                    view! {
                        <Show when=succeeded>
                            <p class="next-step">
                                <a href=Route::Backup {
                                    database: Some(name.clone()),
                                }
                                    .href()>{format!("Back up {name} now")}</a>
                            </p>
                        </Show>
                    }
                })}
            {verify
                .map(|verify| {
                    view! {
                        <Show when=move || {
                            succeeded() && !earlier.get()
                        }>
                            {move || {
                                verify
                                    .get()
                                    .map(|request| {
                                        view! {
                                            <p class="next-step">
                                                <VerifyEntry request />
                                            </p>
                                        }
                                    })
                            }}
                        </Show>
                    }
                })}
        </div>
    }
}
