// The wasm entry point mounts the app; on the host this binary does nothing
// (the host build exists only for unit tests of the pure modules).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    raven_backup_studio::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
