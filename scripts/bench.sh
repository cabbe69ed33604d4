#!/usr/bin/env bash
# `make bench`: host benchmarks of the hot paths, then the size of the
# release build (raw, gzip -9, brotli -q 11 when brotli is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh >/dev/null
cargo bench --bench bench --quiet
echo
trunk build --release >/dev/null 2>&1
printf '%-44s %10s %10s %10s\n' "release file" "raw" "gzip -9" "brotli"
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  br=$(command -v brotli >/dev/null && brotli -q 11 -c "$f" | wc -c || echo "-")
  printf '%-44s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
