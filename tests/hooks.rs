//! Browser tests of the reactive hooks (`hooks.rs`) outside any app, with
//! a reactive owner of their own (as leptos-use tests its hooks).
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use raven_backup_studio::hooks::use_interval;
use std::{cell::Cell, rc::Rc};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn an_interval_ticks_pauses_resumes_and_stops_with_its_owner() {
    init_executor();
    let owner = Owner::new();
    let ticks = Rc::new(Cell::new(0u32));
    let counter = ticks.clone();
    let pausable = owner.with(|| use_interval(20, move || counter.set(counter.get() + 1)));
    assert!(pausable.is_active.get_untracked());
    wait_until("ticks", 3000, || ticks.get() >= 3).await;

    pausable.pause();
    assert!(!pausable.is_active.get_untracked());
    let paused_at = ticks.get();
    sleep(150).await;
    assert_eq!(ticks.get(), paused_at, "no tick while paused");
    pausable.pause(); // pausing twice is harmless

    pausable.resume();
    assert!(pausable.is_active.get_untracked());
    wait_until("ticks again", 3000, || ticks.get() >= paused_at + 2).await;

    // Cleaning up the owner clears the interval.
    owner.cleanup();
    let at_cleanup = ticks.get();
    sleep(150).await;
    assert_eq!(ticks.get(), at_cleanup, "no tick after cleanup");
}
