use leptos::prelude::*;

/// The Backup screen (its form arrives with its own issue).
#[component]
pub fn BackupPage(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    view! {
        <h1>"Backup"</h1>
        <p>"Start a backup of a database on the server and follow it to the end."</p>
        {preselect.map(|db| view! { <p>"Selected database: " <strong>{db}</strong></p> })}
    }
}
