//! One module per screen, and the screens' own state, which lives at the
//! app level (provided once by the shell) so what was typed and what runs
//! survive navigation. It is memory only: secrets never reach storage.
//!
//! A screen's state is made the first time the screen is shown, by the
//! screen itself: in the release build its code (the start `Action`s and
//! what they run) is then in the screen's own wasm file, not in the main
//! one (docs/size.md, "The screens' states, made on first use"). Only what
//! the Backup screen's frame shows at once is made at start.

mod backup;
mod not_found;
mod operations;
mod restore;

pub use backup::BackupPage;
pub use not_found::NotFoundPage;
pub use operations::OperationsPage;
pub use restore::RestorePage;

use leptos::prelude::*;

/// Provides every screen's state (call once, from the shell, after the
/// shared state): the Backup frame's, and an empty slot for each of the
/// others.
pub fn provide_states() {
    backup::provide_frame_states();
    provide_context(ScreenState::<backup::BackupStart>::new());
    provide_context(ScreenState::<backup::Backup4State>::new());
    provide_context(ScreenState::<restore::RestoreState>::new());
    provide_context(ScreenState::<restore::Restore4State>::new());
}

/// The app-level slot of a screen's state `T`: empty until the screen is
/// first shown (see [`screen_state`]).
struct ScreenState<T: 'static> {
    /// The owner the slot was provided under (the app's), under which the
    /// state is made; weak, as the slot is one of its contexts.
    app: WeakOwner,
    state: StoredValue<Option<T>, LocalStorage>,
}

impl<T: 'static> Clone for ScreenState<T> {
    fn clone(&self) -> Self {
        ScreenState {
            app: self.app.clone(),
            state: self.state,
        }
    }
}

impl<T: 'static> ScreenState<T> {
    /// An empty slot under the current owner.
    fn new() -> Self {
        ScreenState {
            app: Owner::current().unwrap_or_default().downgrade(),
            state: StoredValue::new_local(None),
        }
    }
}

/// The screen's state `T`: the one made on an earlier visit, or the one
/// `make` makes now, under the app's owner (not the screen's, so it
/// outlives the screen) and untracked (not a dependency of the view that
/// asks for it).
fn screen_state<T: Copy + 'static>(make: impl FnOnce() -> T) -> T {
    let slot = expect_context::<ScreenState<T>>();
    if let Some(state) = slot.state.get_value() {
        return state;
    }
    let state = match slot.app.upgrade() {
        Some(app) => app.with(|| untrack(make)),
        // The app is gone (its view being unmounted): no later visit.
        None => untrack(make),
    };
    slot.state.set_value(Some(state));
    state
}
