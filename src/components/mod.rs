//! Reusable pieces of the UI.

pub mod attention;
pub mod chunk;
pub mod connection;
pub mod document_editor;
pub mod drill;
pub mod drill_key;
pub mod error_view;
pub mod field;
pub mod flow;
pub mod operation_progress;
pub mod request_review;
pub mod sign_in;
pub mod theme;

pub use crate::text::clipped;

/// Moves keyboard focus to the element with this id, once the view has
/// rendered it.
pub fn focus_by_id(id: impl Into<String>) {
    let id = id.into();
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        if let Some(el) = leptos::prelude::document().get_element_by_id(&id) {
            focus(el);
        }
    });
}

/// Moves keyboard focus to the text field with this id once rendered, the
/// caret after its text (a field rebuilt while the admin was typing in it).
pub fn focus_field_at_end(id: impl Into<String>) {
    use wasm_bindgen::JsCast;
    let id = id.into();
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        let field = leptos::prelude::document()
            .get_element_by_id(&id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(field) = field {
            let _ = field.focus();
            let end = u32::try_from(field.value().encode_utf16().count()).unwrap_or(u32::MAX);
            let _ = field.set_selection_range(end, end);
        }
    });
}

/// Whether the element with this id has the keyboard focus.
pub fn has_focus(id: &str) -> bool {
    leptos::prelude::document()
        .active_element()
        .is_some_and(|el| el.id() == id)
}

/// Moves keyboard focus to the first field marked invalid (after the view
/// has marked them), so a keyboard user lands on what needs fixing.
pub fn focus_first_invalid() {
    leptos::task::spawn_local(async {
        leptos::task::tick().await;
        gloo_timers::future::TimeoutFuture::new(0).await;
        if let Ok(Some(el)) =
            leptos::prelude::document().query_selector("main [aria-invalid=\"true\"]")
        {
            focus(el);
        }
    });
}

/// Focuses an element that can take focus.
pub fn focus(el: web_sys::Element) {
    use wasm_bindgen::JsCast;
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}
