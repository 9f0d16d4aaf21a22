#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the main job:
# `llmux compare`, the local-vs-cloud report (report.html). On a machine with no
# local runtime and no API key it compares a simulated local runtime (timed by
# the plan's speed model, and labelled SIMULATED) with catalog cloud prices.
# Extra arguments go to the main job, e.g. `scripts/run.sh --local ollama`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/release/llmux compare "$@"
