//! The wasm split (docs/size.md, "The split"): only `trunk build --release`
//! (a release build for wasm32) links with `--emit-relocs`, which
//! scripts/split_wasm.sh needs to cut the marked screens out of the main
//! wasm, and sets `cfg(lazy_split)` so that those screens load from their
//! own file (src/components/chunk.rs). Every other build (debug, the browser
//! tests, clippy, the host) is unchanged: one wasm, no relocations.
fn main() {
    // Only PROFILE and the target decide; no source file does.
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(lazy_split)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if wasm && release {
        println!("cargo::rustc-cfg=lazy_split");
        println!("cargo::rustc-link-arg=--emit-relocs");
    }
}
