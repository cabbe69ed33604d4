# The two commands. Both install whatever is missing first (scripts/setup.sh).
.PHONY: run test bench setup

# Builds the dashboard and serves it from the RavenDB 3.x reference server
# (devserver) with demo data on 127.0.0.1; prints the URL.
run:
	bash scripts/run.sh

# Every check and test; ends with "N passed, N failed".
test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

# Host benchmarks of the hot paths, the size of the release build, and the
# page side by side with RavenDB's own Studio (tools/bench/page.mjs).
bench:
	bash scripts/bench.sh
