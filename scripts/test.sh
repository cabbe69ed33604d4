#!/usr/bin/env bash
# `make test`: sets up what is missing, then runs every check and test and
# ends with one line "N passed, N failed" summing all test runs. A failing
# check (fmt, clippy, build) counts as one failed test. Exits non-zero if
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"

passed=0
failed=0
failures=()
t0=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }

# Adds the counts of every "test result:" line in a cargo test log.
count_cargo() {
  local log=$1 p f
  read -r p f < <(awk '/^test result: /{for(i=1;i<=NF;i++){if($(i+1)~/^passed/)p+=$i; if($(i+1)~/^failed/)f+=$i}} END{print p+0, f+0}' "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  echo "    ($(basename "$log"): $p passed, $f failed)"
  LAST_FAILED=$f
}

# Runs a check; a failure counts as one failed test.
check() {
  local name=$1; shift
  step "$name"
  if "$@"; then :; else failed=$((failed + 1)); failures+=("$name"); fi
}

# Runs a cargo test command, counting its results. A run that fails
# without reporting a failed test (a build error, a crash) counts as one.
cargo_tests() {
  local name=$1; shift
  local log="$LOGS/$name.log"
  step "$name"
  if "$@" 2>&1 | tee "$log"; then
    count_cargo "$log"
  else
    count_cargo "$log"
    [ "$LAST_FAILED" -gt 0 ] || failed=$((failed + 1))
    failures+=("$name")
  fi
}

step "setup"
if ! bash scripts/setup.sh; then
  echo "setup failed"
  echo "0 passed, 1 failed"
  exit 1
fi

check "cargo fmt --check" cargo fmt --all --check
check "clippy (host, workspace)" cargo clippy --workspace --all-targets --quiet -- -D warnings
check "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

cargo_tests host-unit cargo test --no-fail-fast --lib
if [ -f devserver/Cargo.toml ] && [ -d devserver/tests ]; then
  cargo_tests devserver cargo test --no-fail-fast -p devserver
fi

# Browser tests (wasm-bindgen-test in headless Chromium) against a real
# devserver process, started here on free ports.
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
DEV_PIDS=()
cleanup() { for p in "${DEV_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
if [ -f devserver/src/main.rs ] && grep -q "listening on" devserver/src/*.rs 2>/dev/null; then
  step "start devservers for the browser tests"
  cargo build -p devserver --quiet
  start_devserver() { # protocol -> prints URL
    local proto=$1 dir="$ROOT/.work/test-$1"
    rm -rf "$dir"; mkdir -p "$dir"
    "$ROOT/target/debug/devserver" --port 0 --protocol "$proto" --demo --enable-control \
      --cors-origin '*' --op-step-ms 40 --data-dir "$dir/data" --backup-root "$dir/backups" \
      >"$dir/stdout" 2>"$dir/stderr" &
    DEV_PIDS+=($!)
    for _ in $(seq 1 100); do
      url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/stdout" | head -1)
      [ -n "$url" ] && { echo "$url"; return; }
      sleep 0.1
    done
    echo "devserver $proto did not start:" >&2; cat "$dir/stderr" >&2
  }
  export DEVSERVER_35_URL=$(start_devserver 3.5)
  export DEVSERVER_30_URL=$(start_devserver 3.0)
  echo "    devserver 3.5 at $DEVSERVER_35_URL, 3.0 at $DEVSERVER_30_URL"
fi
cargo_tests browser cargo test --no-fail-fast --target wasm32-unknown-unknown --tests

step "trunk build --release"
if trunk build --release 2>&1 | tail -3; then
  wasm=$(ls dist/*.wasm 2>/dev/null | head -1)
  if [ -n "$wasm" ]; then
    raw=$(stat -c %s "$wasm"); gz=$(gzip -9 -c "$wasm" | wc -c)
    echo "    release wasm: $raw bytes raw, $gz bytes gzip -9"
  else
    failed=$((failed + 1)); failures+=("trunk build produced no wasm")
  fi
else
  failed=$((failed + 1)); failures+=("trunk build --release")
fi
# The first load's brotli size against tools/bench/size-budget.txt (a byte count, not a timing).
check "size budget" node tools/bench/size-budget.mjs

# Adds node's "# pass N" / "# fail N" from a node:test log.
count_node() {
  local log=$1 p f
  p=$(awk '/^# pass /{print $3}' "$log" | tail -1); f=$(awk '/^# fail /{print $3}' "$log" | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  echo "    ($(basename "$log"): ${p:-0} passed, ${f:-0} failed)"
  LAST_FAILED=${f:-0}
}

# End-to-end suites in headless chromium through nginx (release dist/).
node_suite() {
  local name=$1 script=$2 log="$LOGS/$1.log"
  [ -f "$script" ] || return 0
  step "$name"
  if bash "$script" 2>&1 | tee "$log"; then
    count_node "$log"
  else
    count_node "$log"
    [ "$LAST_FAILED" -gt 0 ] || failed=$((failed + 1))
    failures+=("$name")
  fi
}
node_suite e2e scripts/e2e.sh
node_suite e2e-ravendb4 scripts/e2e_ravendb4.sh

echo
echo "make test took $(( $(date +%s) - t0 )) s"
[ ${#failures[@]} -gt 0 ] && printf 'FAILED: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
