//! The screen for a hash that names no screen: say so and offer the way
//! back.

use crate::route::Route;
use leptos::prelude::*;

/// A hash that names no screen: say so and offer the way back.
#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <h1>"No such screen"</h1>
        <p>"There is no screen called “" {path} "”."</p>
        <p>
            <a href=Route::Backup { database: None }.href()>"Go to Backup"</a>
        </p>
    }
}
