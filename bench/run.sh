#!/usr/bin/env bash
# Builds and runs the performance benchmarks, printing the figures.
#   bench/run.sh                      everything (several minutes)
#   bench/run.sh --quick              smaller runs
#   bench/run.sh loadgen|gateway|micro   one group
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
group="${1:-all}"
quick=""
for a in "$@"; do [ "$a" = "--quick" ] && quick="--quick"; done
[ "$group" = "--quick" ] && group=all
if [ "$group" = all ] || [ "$group" = micro ]; then
  echo "== micro-benchmarks (in process, one core) =="
  build/release/bench/micro_codec --benchmark_min_time=0.5
  build/release/bench/micro_privacy --benchmark_min_time=0.5
  echo
fi
if [ "$group" = all ] || [ "$group" = loadgen ]; then
  echo "== load generator and simulator =="
  build/release/bench/perf_loadgen $quick
  echo
fi
if [ "$group" = all ] || [ "$group" = gateway ]; then
  echo "== gateway =="
  build/release/bench/perf_gateway $quick
fi
