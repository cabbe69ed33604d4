use leptos::prelude::*;

/// The Operations screen (its list arrives with its own issue).
#[component]
pub fn OperationsPage() -> impl IntoView {
    view! {
        <h1>"Operations"</h1>
        <p>"Backups and restores running on the server, and the ones started from this browser."</p>
    }
}
