#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, run every test.
# `scripts/test.sh -L slow` or `-E pattern` pass through to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build/release
ctest --output-on-failure -j"${LLMUX_TEST_JOBS:-$(nproc)}" --timeout 300 "$@"
