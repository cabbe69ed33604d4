//! Light and dark themes: follow the system setting unless the user picks
//! one; the choice is kept in localStorage and applied as `data-theme` on
//! `<html>` (the CSS does the rest).

use crate::storage;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

fn apply(theme: Theme) {
    let Some(root) = document().document_element() else {
        return;
    };
    match theme {
        Theme::System => {
            let _ = root.remove_attribute("data-theme");
        }
        other => {
            let _ = root.set_attribute("data-theme", other.as_str());
        }
    }
}

/// A labelled select: System / Light / Dark.
#[component]
pub fn ThemePicker() -> impl IntoView {
    let initial = storage::get(storage::keys::THEME)
        .map(|s| Theme::parse(&s))
        .unwrap_or(Theme::System);
    let theme = RwSignal::new(initial);
    // Sync out to the document and storage (an effect's proper job).
    Effect::new(move |_| {
        let t = theme.get();
        apply(t);
        if t == Theme::System {
            storage::remove(storage::keys::THEME);
        } else {
            storage::set(storage::keys::THEME, t.as_str());
        }
    });
    view! {
        <label class="theme-picker">
            <span>"Theme"</span>
            <select
                prop:value=move || theme.get().as_str()
                on:change:target=move |ev| theme.set(Theme::parse(&ev.target().value()))
            >
                <option value="system">"System"</option>
                <option value="light">"Light"</option>
                <option value="dark">"Dark"</option>
            </select>
        </label>
    }
}
