#!/bin/sh
# cargo's rustc wrapper (.cargo/config.toml, build.rustc-wrapper). In a
# build whose rustflags hold `--cfg remap_build_paths` (the wasm32 build), it
# keeps the build machine's paths out of the output (they end up in panic
# locations): the cargo registry, the toolchain's sources and this checkout
# become relative paths. A rustflags entry cannot do this itself, as it
# cannot name $HOME; the marker puts the remapping in cargo's fingerprint.
# Every other build runs unchanged.
case " $* " in
*" --cfg remap_build_paths "*) ;;
*) exec "$@" ;;
esac
cargo_home=${CARGO_HOME:-$HOME/.cargo}
set -- "$@" "--remap-path-prefix=$PWD/=" "--remap-path-prefix=$cargo_home/git/checkouts/="
for registry in "$cargo_home"/registry/src/*/; do
  [ -d "$registry" ] && set -- "$@" "--remap-path-prefix=$registry="
done
# The standard library's sources, where rustup's rust-src component puts them
# (without it, they are /rustc/<commit>/library/..., the same on every machine).
for std in "${RUSTUP_HOME:-$HOME/.rustup}"/toolchains/*/lib/rustlib/src/rust/; do
  [ -d "$std" ] && set -- "$@" "--remap-path-prefix=$std="
done
exec "$@"
