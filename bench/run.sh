#!/usr/bin/env bash
# Builds and runs the performance benchmarks, printing the figures.
#   bench/run.sh           everything (several minutes)
#   bench/run.sh --quick   smaller runs
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
echo "== micro-benchmarks (in process, one core) =="
build/release/bench/micro_codec --benchmark_min_time=0.5
echo
echo "== load generator and simulator =="
build/release/bench/perf_loadgen "$@"
