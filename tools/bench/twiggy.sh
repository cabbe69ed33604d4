#!/bin/sh
# Where the release wasm's bytes go (docs/size.md): the main wasm of the last
# `trunk build --release` as wasm-bindgen wrote it after the split
# (scripts/split_wasm.sh; the first load's wasm), optimised again with the same wasm-opt -Oz
# but keeping the function names (--debuginfo), then measured by twiggy and
# grouped per crate and per module of ours by tools/bench/twiggy-table.mjs.
# Not part of make test. Needs twiggy: cargo install twiggy --locked.
#
#   trunk build --release && sh tools/bench/twiggy.sh [OUT_DIR]
set -eu
cd "$(dirname "$0")/../.."
out="${1:-target/twiggy}"
mkdir -p "$out"
PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bindgen=$(ls target/split/bindgen/*_bg.wasm 2>/dev/null | head -n 1)
bindgen=${bindgen:-target/wasm-bindgen/release/raven-backup-studio_bg.wasm}
[ -f "$bindgen" ] || { echo "no $bindgen: run trunk build --release first" >&2; exit 2; }
# The build's own wasm-opt call (scripts/split_wasm.sh), plus --debuginfo.
wasm-opt -Oz --debuginfo --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$bindgen" -o "$out/named.wasm"
twiggy top -n 100000 -f csv "$out/named.wasm" > "$out/top.csv"
wasm=$(ls dist/*_bg.wasm.br 2>/dev/null | head -n 1)
brotli=$( [ -n "$wasm" ] && wc -c < "$wasm" || echo 0)
node tools/bench/twiggy-table.mjs "$out/top.csv" "$brotli"
echo
echo "Largest 40 items:"
twiggy top -n 40 "$out/named.wasm" | grep -v 'function names'
