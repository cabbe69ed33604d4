use leptos::prelude::*;

/// The Restore screen (its form arrives with its own issue).
#[component]
pub fn RestorePage() -> impl IntoView {
    view! {
        <h1>"Restore"</h1>
        <p>"Restore a backup into a new database and follow it to the end."</p>
    }
}
