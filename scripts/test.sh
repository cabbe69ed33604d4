#!/usr/bin/env bash
# `make test`: sets up what is missing, then runs every check and test and
# ends with one line "N passed, N failed" summing all test runs. A failing
# check (fmt, clippy, build) counts as one failed test. Exits non-zero if
# anything failed.
#
# Every process it starts (devservers, the test runners and the browsers
# they start, nginx, RavenDB) runs in a process group it owns and is stopped
# on success, failure, Ctrl+C and SIGTERM (scripts/procs.sh). The last step
# fails if any process started from this checkout is still running
# (scripts/leftovers.py).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# Marks every process of this run (inherited through the environment), so
# the last step and the exit trap find even a browser that changed directory.
export RBS_RUN_ID="test-$$-$(date +%s%N)"
source scripts/procs.sh
procs_cleanup_hook() {
  # A safety net for an interrupted run: what carries this run's mark.
  /usr/bin/python3 "$ROOT/scripts/leftovers.py" "$ROOT" --run-id "$RBS_RUN_ID" --kill --grace 5 || true
}
procs_trap
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
  if procs_run "$@"; then :; else failed=$((failed + 1)); failures+=("$name"); fi
}

# Runs a cargo test command, counting its results. A run that fails
# without reporting a failed test (a build error, a crash) counts as one.
cargo_tests() {
  local name=$1; shift
  local log="$LOGS/$name.log"
  step "$name"
  if procs_run bash -c 'set -o pipefail; "${@:2}" 2>&1 | tee "$1"' _ "$log" "$@"; then
    count_cargo "$log"
  else
    count_cargo "$log"
    [ "$LAST_FAILED" -gt 0 ] || failed=$((failed + 1))
    failures+=("$name")
  fi
}

step "setup"
if ! procs_run bash scripts/setup.sh; then
  echo "setup failed"
  echo "0 passed, 1 failed"
  exit 1
fi

check "cargo fmt --check" cargo fmt --all --check
# view! macros as leptosfmt lays them out (leptosfmt.toml; installed by setup).
check "leptosfmt --check (view! macros)" leptosfmt --check --quiet src tests
check "clippy (host, workspace)" cargo clippy --workspace --all-targets --quiet -- -D warnings
check "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
# Every "docs/protocol/... §n" cited in the code names a section that exists.
check "protocol citations" python3 scripts/check_citations.py

cargo_tests host-unit cargo test --no-fail-fast --lib
if [ -f devserver/Cargo.toml ] && [ -d devserver/tests ]; then
  cargo_tests devserver cargo test --no-fail-fast -p devserver
fi

# Browser tests (wasm-bindgen-test in headless Chromium) against a real
# devserver process, started here on free ports.
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
if [ -f devserver/src/main.rs ] && grep -q "listening on" devserver/src/*.rs 2>/dev/null; then
  step "start devservers for the browser tests"
  procs_run cargo build -p devserver --quiet
  # Starts a devserver in its own process group (this shell owns it) and
  # sets DEV_URL from the "listening on" line it writes to its stdout file.
  start_devserver() { # protocol [name [extra flags...]]
    local proto=$1 name=${2:-$1}
    shift; [ $# -gt 0 ] && shift
    local dir="$ROOT/.work/test-$name"
    rm -rf "$dir"; mkdir -p "$dir"
    procs_spawn "$ROOT/target/debug/devserver" --port 0 --protocol "$proto" --demo --enable-control \
      --cors-origin '*' --op-step-ms 40 --data-dir "$dir/data" --backup-root "$dir/backups" "$@" \
      >"$dir/stdout" 2>"$dir/stderr"
    DEV_PIDS+=("$SPAWNED_PID")
    DEV_URL=
    for _ in $(seq 1 100); do
      DEV_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/stdout" | head -1)
      [ -n "$DEV_URL" ] && return 0
      kill -0 "$SPAWNED_PID" 2>/dev/null || break
      sleep 0.1
    done
    echo "devserver $proto did not start:" >&2; cat "$dir/stderr" >&2
  }
  DEV_PIDS=()
  start_devserver 3.5; export DEVSERVER_35_URL=$DEV_URL
  start_devserver 3.0; export DEVSERVER_30_URL=$DEV_URL
  # A locked 3.5 server with one API key (a fresh secret per run) for the
  # sign-in tests (docs/protocol/ravendb-3x.md §11.3).
  export DEVSERVER_AUTH_API_KEY="browser-test/$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  start_devserver 3.5 auth --anonymous-access None --api-key "$DEVSERVER_AUTH_API_KEY=<system>:admin,*:admin"
  export DEVSERVER_AUTH_URL=$DEV_URL
  # The dashboard's sign-in tests (tests/signin.rs): a locked 3.5 server
  # with a key for every database, one for Northwind only, and 3 s tokens,
  # so a token expires during a watch (docs/protocol/ravendb-3x.md §11.3).
  export DEVSERVER_SIGNIN_ADMIN_KEY="signin-admin/$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  export DEVSERVER_SIGNIN_NARROW_KEY="signin-northwind/$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  start_devserver 3.5 signin --anonymous-access None --token-lifetime-ms 3000 \
    --api-key "$DEVSERVER_SIGNIN_ADMIN_KEY=<system>:admin,*:admin" \
    --api-key "$DEVSERVER_SIGNIN_NARROW_KEY=Northwind:admin"
  export DEVSERVER_SIGNIN_URL=$DEV_URL
  # Two more 3.5 servers for tests/identity.rs: equal operation ids on
  # both, each followed on its own server (issue 18).
  start_devserver 3.5 identity-a; export DEVSERVER_ID_A_URL=$DEV_URL
  start_devserver 3.5 identity-b; export DEVSERVER_ID_B_URL=$DEV_URL
  # The restore drill's own server (tests/drill.rs, issue 17).
  start_devserver 3.5 drill; export DEVSERVER_DRILL_URL=$DEV_URL
  # The drill's streamed reading and unreadable copies (tests/drill_streams.rs).
  start_devserver 3.5 streams; export DEVSERVER_STREAMS_URL=$DEV_URL
  echo "    devserver 3.5 at $DEVSERVER_35_URL, 3.0 at $DEVSERVER_30_URL, locked 3.5 at $DEVSERVER_AUTH_URL"
fi
cargo_tests browser cargo test --no-fail-fast --target wasm32-unknown-unknown --tests
for p in "${DEV_PIDS[@]:-}"; do [ -n "$p" ] && procs_stop "$p" && procs_forget "$p"; done

step "trunk build --release"
if procs_run bash -c 'set -o pipefail; trunk build --release 2>&1 | tail -3'; then
  wasm=$(ls dist/*_bg.wasm 2>/dev/null | head -1)
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

# End-to-end suites through nginx (release dist/); scripts/e2e.sh runs its flows in
# headless Chromium and Firefox and ends with the summed "# pass" / "# fail".
node_suite() {
  local name=$1 script=$2 log="$LOGS/$1.log"
  [ -f "$script" ] || return 0
  step "$name"
  if procs_run bash -c 'set -o pipefail; bash "$2" 2>&1 | tee "$1"' _ "$log" "$script"; then
    count_node "$log"
  else
    count_node "$log"
    [ "$LAST_FAILED" -gt 0 ] || failed=$((failed + 1))
    failures+=("$name")
  fi
}
node_suite e2e scripts/e2e.sh
node_suite e2e-ravendb4 scripts/e2e_ravendb4.sh

# Genuine modern RavenDB servers (installed on first use into
# ~/.cache/ravendb71, see scripts/ravendb7/setup.sh): the curl smoke flow
# (one-time backup, restore into a new name, every document equal) counts as
# one test per version. 7.1 is the current release; 6.2 and 5.4 add about
# 176 MB of downloads and a minute to a cold run.
smoke_ravendb() {
  local version=$1 log="$LOGS/ravendb-$1-smoke.log"
  step "RavenDB $version smoke (curl)"
  rm -rf "$ROOT/target/ravendb-$version-smoke"
  if procs_run bash -c 'set -o pipefail; RAVEN7_VERSION="$2" RAVEN7_SMOKE_DIR="$3" bash scripts/ravendb7/smoke.sh 2>&1 | tee "$1"' \
    _ "$log" "$version" "$ROOT/target/ravendb-$version-smoke"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("RavenDB $version smoke")
  fi
}
for v in ${RAVEN_SMOKE_VERSIONS:-7.1 6.2 5.4}; do smoke_ravendb "$v"; done
node_suite e2e-ravendb7 scripts/e2e_ravendb7.sh
# A secured 7.1 (HTTPS, client certificates made fresh per run) behind nginx
# with basic auth and the upstream client certificate (README, Deploy).
node_suite e2e-ravendb7-secured scripts/e2e_ravendb7_secured.sh

# Issue 19: nothing this run started may outlive it. Counted as one failed
# test when a step left a process behind or one is still running.
no_leftovers() {
  local rc=0
  if [ ${#PROCS_LEAKED[@]} -gt 0 ]; then
    echo "steps that left processes behind (stopped when the step ended):"
    printf '  %s\n' "${PROCS_LEAKED[@]}"
    rc=1
  fi
  /usr/bin/python3 scripts/leftovers.py "$ROOT" --since-pid $$ --run-id "$RBS_RUN_ID" || rc=1
  return $rc
}
step "no process left running"
if no_leftovers; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("processes left running"); fi

echo
echo "make test took $(( $(date +%s) - t0 )) s"
[ ${#failures[@]} -gt 0 ] && printf 'FAILED: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
