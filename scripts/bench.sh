#!/usr/bin/env bash
# `make bench`: host benchmarks of the hot paths; the size of the release
# build (raw, gzip -9, brotli -q 11, each first-load file and in total); then
# the page itself (tools/bench/page.mjs): our dist/ served by nginx as the
# README deploys it, side by side with RavenDB 7.1's own Studio (and 4.1's
# when installed), at full speed and at 10 Mbit/s with 40 ms latency.
# Figures only: nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
source scripts/procs.sh
# The page bench stops its RavenDB servers itself; this covers an interrupted run.
procs_cleanup_hook() {
  bash scripts/ravendb7/start.sh stop target/bench/raven7 >/dev/null 2>&1 || true
  bash scripts/ravendb4/start.sh stop target/bench/raven4 >/dev/null 2>&1 || true
}
procs_trap
procs_run bash scripts/setup.sh >/dev/null
procs_run cargo bench --bench bench --quiet
echo
procs_run trunk build --release >/dev/null 2>&1
node tools/bench/sizes.mjs
# The budget is make test's check; here it is a figure, so the page is measured anyway.
node tools/bench/size-budget.mjs || true
echo
echo "The page, first load (headless chromium, cache off; tools/bench/page.mjs):"
procs_run node tools/bench/page.mjs
