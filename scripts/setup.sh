#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: each step
# checks first and is skipped (in well under a second) when already present.
# Only package registries are reachable (crates.io, npm, Debian), so every tool
# comes from one of them; nothing is downloaded by trunk itself.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# The view! macro formatter `make test` checks with (leptosfmt.toml).
LEPTOSFMT_VERSION=0.1.33
# wasm-split-cli, the release build's wasm split (scripts/split_wasm.sh,
# docs/size.md "The split"); its own crate, wasm_split_cli_support.
WASM_SPLIT_VERSION=0.2.4
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"
# npm behind this network's TLS proxy needs the system CA bundle.
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}

# Debian packages: headless Chromium + its driver for browser tests, nginx for
# the static-hosting tests. Never Debian's binaryen (its wasm-opt 108 breaks the app).
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
# openssl: the secured RavenDB suite's throwaway certificates and password file.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# nginx's brotli_static, for the build's .br copies (README, Deploy).
[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need_apt+=(libnginx-mod-http-brotli-static)
# Firefox for the e2e suite's second engine (driven by npm puppeteer-core).
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lockfile pins a webpki-roots the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet
fi

if [ "$(leptosfmt --version 2>/dev/null)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
  say "cargo install leptosfmt $LEPTOSFMT_VERSION (about 3 minutes on 2 cores)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked --quiet
fi

if ! command -v wasm-split-cli >/dev/null 2>&1 \
  || ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (about 4 minutes on 2 cores)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --quiet
fi

# wasm-opt from npm binaryen (pinned in tools/package-lock.json).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || ! cmp -s tools/package-lock.json tools/node_modules/.package-lock.json.stamp 2>/dev/null; then
  say "npm ci --prefix tools"
  # puppeteer-core drives Debian's firefox-esr: it must never download a browser.
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools --no-audit --no-fund --loglevel=error >/dev/null
  cp tools/package-lock.json tools/node_modules/.package-lock.json.stamp
fi
say "tools ready"
