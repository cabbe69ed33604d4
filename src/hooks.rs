//! Small reactive hooks shared by the screens. `use_interval` is the one
//! timer of the UI (the Operations refresh, the progress panel's clock),
//! shaped like leptos-use's `use_interval_fn`: a [`Pausable`] that can be
//! paused and resumed and is cleared when its owner is cleaned up.

use leptos::prelude::*;
use std::{rc::Rc, time::Duration};

/// A running interval: pause it, resume it, and see whether it runs.
#[derive(Clone, Copy)]
pub struct Pausable {
    /// True while the interval runs.
    pub is_active: Signal<bool>,
    active: RwSignal<bool>,
    handle: StoredValue<Option<IntervalHandle>>,
    tick: StoredValue<Rc<dyn Fn()>, LocalStorage>,
    period: StoredValue<Duration>,
}

impl Pausable {
    /// Stops calling back until [`Pausable::resume`].
    pub fn pause(&self) {
        if let Some(Some(handle)) = self.handle.try_get_value() {
            handle.clear();
            self.handle.set_value(None);
        }
        let _ = self.active.try_set(false);
    }

    /// Calls back again every period (the first call one period from now).
    pub fn resume(&self) {
        let (Some(None), Some(tick), Some(period)) = (
            self.handle.try_get_value(),
            self.tick.try_get_value(),
            self.period.try_get_value(),
        ) else {
            return;
        };
        let handle = set_interval_with_handle(move || tick(), period).ok();
        self.handle.set_value(handle);
        let _ = self.active.try_set(handle.is_some());
    }
}

/// Calls `tick` every `period_ms` milliseconds, starting now, until paused
/// or until the current owner is cleaned up.
pub fn use_interval(period_ms: u32, tick: impl Fn() + 'static) -> Pausable {
    let active = RwSignal::new(false);
    let pausable = Pausable {
        is_active: active.into(),
        active,
        handle: StoredValue::new(None),
        tick: StoredValue::new_local(Rc::new(tick)),
        period: StoredValue::new(Duration::from_millis(u64::from(period_ms))),
    };
    pausable.resume();
    on_cleanup(move || {
        // The stored handle may already be gone with its owner; clear what
        // is left, never the interval of another owner.
        if let Some(Some(handle)) = pausable.handle.try_get_value() {
            handle.clear();
        }
    });
    pausable
}
