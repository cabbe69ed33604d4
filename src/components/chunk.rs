//! Screens that the release build loads from their own wasm file when first
//! shown (docs/size.md, "The split"): a loading line while it arrives, and a
//! plain error saying what to do if it does not.
//!
//! A screen is a function marked
//! `#[cfg_attr(lazy_split, leptos::wasm_split::wasm_split(NAME, wasm_split_path = ::leptos::wasm_split, fallible))]`
//! that returns `Result<AnyView, ChunkFailed>`, shown with [`lazy_view!`].
//! `lazy_split` is set by build.rs for `trunk build --release` only, whose
//! post-build step (scripts/split_wasm.sh) cuts those functions out of the
//! main wasm. In every other build (debug, the browser tests, clippy, the
//! host) the function is an ordinary one, called at once, in the one wasm.

use leptos::prelude::*;

/// A screen's wasm file could not be loaded (server gone, 404, offline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkFailed;

#[cfg(lazy_split)]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkFailed
    }
}

/// Shows a split screen: `lazy_view!(screen(args))`, where `screen` is a
/// function as in this module's comment.
#[macro_export]
macro_rules! lazy_view {
    ($call:expr) => {{
        #[cfg(lazy_split)]
        let view = $crate::components::chunk::when_loaded(async move { $call.await });
        #[cfg(not(lazy_split))]
        let view = $crate::components::chunk::shown($call);
        view
    }};
}

/// The one-wasm build: the screen is already there.
pub fn shown(screen: Result<AnyView, ChunkFailed>) -> AnyView {
    screen.unwrap_or_else(|_| view! { <ChunkError /> }.into_any())
}

/// The split build: a loading line until the screen's file has arrived, then
/// the screen, or the error if the file could not be loaded.
pub fn when_loaded(
    screen: impl std::future::Future<Output = Result<AnyView, ChunkFailed>> + 'static,
) -> AnyView {
    let (waiting, set_waiting) = signal(true);
    // The loader's error type is not Send; the page is single-threaded.
    let screen = leptos::__reexports::send_wrapper::SendWrapper::new(screen);
    view! {
        <Show when=move || waiting.get()>
            <p class="hint">"Loading this screen…"</p>
        </Show>
        {Suspend::new(async move {
            let screen = screen.await;
            set_waiting.set(false);
            shown(screen)
        })}
    }
    .into_any()
}

/// What the admin sees when a screen's file did not arrive.
#[component]
pub fn ChunkError() -> impl IntoView {
    view! {
        <div class="error-box" role="alert" aria-labelledby="chunk-error-title">
            <h2 id="chunk-error-title" class="error-headline">
                "This screen could not be loaded"
            </h2>
            <p>
                "Part of the dashboard did not arrive from the web server: the connection dropped, or the dashboard was updated on the server since this page was opened."
            </p>
            <p>"Reload the page to try again. Nothing was sent to the database server."</p>
            <div class="actions">
                <button
                    type="button"
                    on:click=move |_| {
                        let _ = window().location().reload();
                    }
                >
                    "Reload the page"
                </button>
            </div>
        </div>
    }
}
