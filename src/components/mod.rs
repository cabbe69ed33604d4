//! Reusable pieces of the UI.

pub mod connection;
pub mod document_editor;
pub mod error_view;
pub mod field;
pub mod operation_progress;
pub mod request_review;
pub mod theme;

/// Moves keyboard focus to the first field marked invalid (after the view
/// has marked them), so a keyboard user lands on what needs fixing.
pub fn focus_first_invalid() {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    leptos::task::spawn_local(async {
        leptos::task::tick().await;
        gloo_timers::future::TimeoutFuture::new(0).await;
        if let Ok(Some(el)) = document().query_selector("main [aria-invalid=\"true\"]") {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

pub use crate::text::clipped;
