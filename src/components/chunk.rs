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
/// function as in this module's comment (its arguments are cloned for a
/// second attempt). `lazy_view!(part(args), PART)` shows a smaller split
/// part, with the words of `PART` (a [`Part`]) instead of "this screen".
#[macro_export]
macro_rules! lazy_view {
    ($call:expr) => {
        $crate::lazy_view!($call, $crate::components::chunk::SCREEN)
    };
    ($call:expr, $part:expr) => {{
        #[cfg(lazy_split)]
        let view =
            $crate::components::chunk::when_loaded($part, move || async move { $call.await });
        #[cfg(not(lazy_split))]
        let view = $crate::components::chunk::shown($part, $call, None);
        view
    }};
}

/// How a split part is named on screen while it loads and when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The loading line ("Loading this screen…").
    pub loading: &'static str,
    /// The error's headline ("This screen could not be loaded").
    pub failed: &'static str,
    /// The id of that headline (unique on the page).
    pub failed_id: &'static str,
}

/// A whole screen (the route's body).
pub const SCREEN: Part = Part {
    loading: "Loading this screen…",
    failed: "This screen could not be loaded",
    failed_id: "chunk-error-title",
};

/// The screen, or the error with a way to try again.
pub fn shown(
    part: Part,
    screen: Result<AnyView, ChunkFailed>,
    retry: Option<Callback<()>>,
) -> AnyView {
    screen.unwrap_or_else(|_| view! { <ChunkError part retry /> }.into_any())
}

/// The split build: a loading line until the screen's file has arrived, then
/// the screen, or the error if the file could not be loaded. The loading
/// line is a status (role="status": screen readers announce it). "Try
/// again" loads it again (a failed load is not remembered). The loader's future
/// is not Send (its error type); the page is single-threaded, hence the
/// SendWrapper.
pub fn when_loaded<F, Fut>(part: Part, load: F) -> AnyView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, ChunkFailed>> + 'static,
{
    let (waiting, set_waiting) = signal(true);
    let attempt = RwSignal::new(0u32);
    let retry = Callback::new(move |()| {
        set_waiting.set(true);
        attempt.update(|n| *n += 1);
    });
    view! {
        <Show when=move || waiting.get()>
            <p class="hint" role="status">
                {part.loading}
            </p>
        </Show>
        {move || {
            attempt.track();
            let screen = send_wrapper::SendWrapper::new(load());
            Suspend::new(async move {
                let screen = screen.await;
                set_waiting.set(false);
                shown(part, screen, Some(retry))
            })
        }}
    }
    .into_any()
}

/// What the admin sees when a screen's file did not arrive.
#[component]
pub fn ChunkError(
    /// What did not arrive, in words.
    part: Part,
    /// Loads the screen again; none when there is nothing to load.
    retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="error-box" role="alert" aria-labelledby=part.failed_id>
            <h2 id=part.failed_id class="error-headline">
                {part.failed}
            </h2>
            <p>
                "Part of the dashboard did not arrive from the web server that serves it: the connection dropped, or the dashboard was updated there since this page was opened."
            </p>
            <p>
                "Check the connection, then try again. If it fails again, reload the page. Nothing was sent to the database server."
            </p>
            <div class="actions">
                {retry
                    .map(|retry| {
                        view! {
                            <button type="button" on:click=move |_| retry.run(())>
                                "Try again"
                            </button>
                        }
                    })}
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
