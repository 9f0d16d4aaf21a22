#!/usr/bin/env bash
# Side-by-side comparison of two llmux binaries on this machine, alternating so that
# drift in the machine's speed hits both alike:
#   bench/ab.sh OLD_BINARY NEW_BINARY [ROUNDS]
# For each round and binary it measures
#   - the bench client: short streamed requests/s against a zero-delay sim (closed loop),
#   - the gateway: CPU per request through `llmux serve` (from /proc), non-streamed and
#     streamed (4 tokens),
# and prints the medians and the NEW/OLD ratios. The sim and the load generator are the
# NEW binary in every case; pinning as in perf_gateway (gateway on CPU 1; sim and load generator on CPU 0).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
ab_setup "OLD_BINARY NEW_BINARY [ROUNDS]" "$@"
rounds=${3:-3}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

taskset -c 0 "$new" sim --port 0 --ttft 0 --itl 0 --model-name chat >"$work/sim.log" 2>&1 &
pids+=($!)
sim_url=$(url_of "$work/sim.log")
gateway_config "$work/gw.toml" "$sim_url" "$work/ledger.db"

hz=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
  for side in old new; do
    bin=$old
    [ "$side" = new ] && bin=$new
    taskset -c 1 "$bin" bench -q --url "$sim_url" --model chat -o "$work/client.json" --input-tokens 16 \
      --ignore-eos on -c 128 -n 30000 --output-tokens 4 >/dev/null 2>&1
    rps=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['runs'][0]['summary']['request_throughput_per_s'])" "$work/client.json")
    us=()
    for mode in whole stream; do  # the gateway, non-streamed then streamed
      flags=()
      [ "$mode" = whole ] && flags=(--no-stream)
      rm -f "$work"/ledger.db*
      taskset -c 1 "$bin" serve -f "$work/gw.toml" >"$work/gw.log" 2>&1 &
      gw=$!
      gw_url=$(url_of "$work/gw.log")
      c0=$(cpu_ticks "$gw")
      taskset -c 0 "$new" bench -q --url "$gw_url" --model chat -o "$work/gw.json" --input-tokens 16 --ignore-eos on \
        -c 64 -n 30000 --output-tokens 4 "${flags[@]}" >/dev/null 2>&1
      c1=$(cpu_ticks "$gw")
      kill "$gw"
      wait "$gw" 2>/dev/null || true
      n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['runs'][0]['summary']['requests_completed'])" "$work/gw.json")
      us+=("$(python3 -c "print(($c1 - $c0) / $hz / $n * 1e6)")")
    done
    printf 'round %d %-3s  bench client %8.0f req/s   gateway %6.1f us CPU/request, %6.1f streamed\n' \
      "$round" "$side" "$rps" "${us[0]}" "${us[1]}"
    echo "$side $rps ${us[0]} ${us[1]}" >>"$work/results"
  done
done
python3 - "$work/results" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
med = {}
for side in ("old", "new"):
    med[side] = [statistics.median(float(r[i]) for r in rows if r[0] == side) for i in (1, 2, 3)]
print("median        bench client req/s   gateway us CPU/request   streamed")
for side in ("old", "new"):
    print(f"  {side:<11} {med[side][0]:>18.0f} {med[side][1]:>24.1f} {med[side][2]:>10.1f}")
print(f"  new/old     {med['new'][0] / med['old'][0]:>18.2f} {med['new'][1] / med['old'][1]:>24.2f}"
      f" {med['new'][2] / med['old'][2]:>10.2f}")
EOF
