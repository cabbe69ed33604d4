//! The shell's thin driver of "while the admin looks elsewhere" (issue 17
//! item 6): keeps the tab title on what is watched (`state::attention`
//! words it), raises one desktop notification per operation that ends
//! while the tab is hidden, if the admin allowed it here, and offers that
//! choice ("Notify me when an operation ends").

use crate::{
    state::attention::{self, is_drill_restore, notice, title, Item, Notice, State, APP_NAME},
    storage,
};
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// The browser's answer about notifications for this site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Permission {
    Unsupported,
    Default,
    Denied,
    Granted,
}

fn supported() -> bool {
    js_sys::Reflect::has(&window(), &"Notification".into()).unwrap_or(false)
}

fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Default,
    }
}

/// Asks the browser (on the admin's click: browsers require one).
async fn request_permission() -> Permission {
    let Ok(promise) = web_sys::Notification::request_permission() else {
        return permission();
    };
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(answer) => match answer.as_string().as_deref() {
            Some("granted") => Permission::Granted,
            Some("denied") => Permission::Denied,
            _ => Permission::Default,
        },
        Err(_) => permission(),
    }
}

/// The admin's on/off choice (not a secret; the browser keeps its own
/// permission).
fn preference() -> bool {
    storage::get(storage::keys::NOTIFY_ON_END).as_deref() == Some("on")
}

fn tab_hidden() -> bool {
    document().hidden()
}

/// Raises one notification; a click on it brings the tab forward.
fn raise(n: &Notice, tag: u64) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(&n.body);
    options.set_tag(&format!("raven-backup-studio-{tag}"));
    if let Ok(shown) = web_sys::Notification::new_with_options(&n.title, &options) {
        let focus = wasm_bindgen::closure::Closure::once_into_js(|| {
            let _ = window().focus();
        });
        shown.set_onclick(Some(focus.unchecked_ref()));
    }
}

/// What is watched now, each with its registry id: backups and restores
/// still followed or ended (a watch the admin stopped is no longer
/// watched), a drill's own restore folded into the drill.
fn watched_items(registry: &attention::Registry) -> Vec<(u64, Item)> {
    let mut items = Vec::new();
    for entry in &registry.watches {
        if is_drill_restore(&entry.what, &registry.scratch) {
            continue;
        }
        let watch = entry.watch;
        let Some(item) = watch
            .snapshot
            .try_with(|s| Item::of_watch(&entry.what, s, watch.paused.try_get().unwrap_or(false)))
        else {
            continue; // its owner is gone
        };
        if item.is_running() && watch.stopped.try_get().unwrap_or(true) {
            continue;
        }
        items.push((entry.id, item));
    }
    if let Some(d) = &registry.drill {
        items.push((d.id, Item::of_drill(&d.source, d.step, d.ended)));
    }
    items
}

/// Mounted once by the shell: drives the title and the notifications, and
/// shows the "Notify me when an operation ends" choice.
#[component]
pub fn AttentionControl() -> impl IntoView {
    let registry = attention::registry();
    let base = {
        let t = document().title();
        if t.trim().is_empty() {
            APP_NAME.to_string()
        } else {
            t
        }
    };
    let items = Memo::new(move |_| registry.with(watched_items));

    // The title, on every change of what is watched.
    Effect::new(move |_| {
        let shown: Vec<Item> = items.with(|all| all.iter().map(|(_, i)| i.clone()).collect());
        let text = title(&shown, &base);
        if document().title() != text {
            document().set_title(&text);
        }
    });

    let wanted = RwSignal::new(preference());
    let allowed = RwSignal::new(permission());
    let answer: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let on = move || wanted.get() && allowed.get() == Permission::Granted;

    // One notification per end seen while the tab is hidden; an end seen
    // while the admin looks is never announced later.
    let announced = StoredValue::new(HashSet::<u64>::new());
    Effect::new(move |_| {
        items.with(|all| {
            for (id, item) in all {
                if !matches!(item.state, State::Ended(_))
                    || announced.with_value(|a| a.contains(id))
                {
                    continue;
                }
                announced.update_value(|a| {
                    a.insert(*id);
                });
                let allowed_now = permission();
                allowed.set(allowed_now);
                let notify =
                    wanted.get_untracked() && allowed_now == Permission::Granted && tab_hidden();
                if let (true, Some(n)) = (notify, notice(item)) {
                    raise(&n, *id);
                }
            }
        });
    });

    // The admin is back (the tab shows again, the window has focus, or a
    // click or key in the page): the ends shown in the title were seen.
    let acknowledge = move || {
        if tab_hidden() {
            return;
        }
        let ended: HashSet<u64> = items.with_untracked(|all| {
            all.iter()
                .filter(|(_, i)| !i.is_running())
                .map(|(id, _)| *id)
                .collect()
        });
        if !ended.is_empty() {
            attention::forget(|id| ended.contains(&id));
        }
    };
    let listeners = [
        window_event_listener_untyped("visibilitychange", move |_| acknowledge()),
        window_event_listener_untyped("focus", move |_| acknowledge()),
        window_event_listener_untyped("pointerdown", move |_| acknowledge()),
        window_event_listener_untyped("keydown", move |_| acknowledge()),
    ];
    on_cleanup(move || {
        for l in listeners {
            l.remove();
        }
    });

    let input = NodeRef::<leptos::html::Input>::new();
    let choose = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        answer.set(None);
        if !el.checked() {
            wanted.set(false);
            storage::remove(storage::keys::NOTIFY_ON_END);
            return;
        }
        // Left checked (the admin's choice) while the browser asks; on
        // only once it says yes, unchecked if it does not.
        answer.set(Some(
            "The browser is asking whether this site may show notifications: answer its question.",
        ));
        leptos::task::spawn_local(async move {
            let given = request_permission().await;
            answer.set(None);
            allowed.set(given);
            if given == Permission::Granted {
                wanted.set(true);
                storage::set(storage::keys::NOTIFY_ON_END, "on");
            } else {
                answer.set(Some(if given == Permission::Denied {
                    "The browser refused: notifications stay off. To use them, allow notifications for this site in the browser's site settings, then try again."
                } else {
                    "The browser's question was closed without an answer: notifications stay off."
                }));
            }
            el.set_checked(wanted.get_untracked() && given == Permission::Granted);
        });
    };
    let words = move || {
        if let Some(a) = answer.get() {
            return a;
        }
        match allowed.get() {
            Permission::Unsupported => "This browser cannot show desktop notifications.",
            Permission::Denied => "Notifications are blocked for this site in this browser: allow them in the browser's site settings to use this.",
            Permission::Granted if wanted.get() => "On: when a backup, restore or drill ends while this tab is hidden, a desktop notification says what ended and how (never the server's words or a secret).",
            _ => "When a backup, restore or drill ends while this tab is hidden, a desktop notification can say what ended and how (never the server's words or a secret). The browser asks you first.",
        }
    };

    view! {
        <footer class="app-footer">
            <div class="choice">
                <input
                    type="checkbox"
                    id="notify-on-end"
                    node_ref=input
                    prop:checked=on
                    disabled=move || allowed.get() == Permission::Unsupported
                    aria-describedby="notify-on-end-words"
                    on:change=choose
                />
                <label for="notify-on-end">"Notify me when an operation ends"</label>
                <p class="hint" id="notify-on-end-words" aria-live="polite">
                    {words}
                </p>
            </div>
        </footer>
    }
}
