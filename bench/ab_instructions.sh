#!/usr/bin/env bash
# User-space instructions per gateway request, two binaries side by side:
#   bench/ab_instructions.sh OLD_BINARY NEW_BINARY [REQUESTS] [CONCURRENCY]
# Time per request on a shared VM swings by 10-20 % from run to run (bench/ab.sh needs
# many rounds to see a 5 % change); the instructions a request costs in user space do
# not. Each gateway runs under valgrind's callgrind against the same zero-delay sim;
# the counters are zeroed after a warm-up and read after REQUESTS requests
# (CONCURRENCY at a time, default 8; 1 shows what a request costs when it has the
# gateway to itself, as in an open loop at a few thousand requests/s), non-streamed
# and streamed (4 tokens). Kernel time (system calls, loopback TCP: about half of the
# gateway's CPU here) is not counted: judge that with bench/ab.sh.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
ab_setup "OLD_BINARY NEW_BINARY [REQUESTS] [CONCURRENCY]" "$@"
requests=${3:-3000}
concurrency=${4:-8}
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || {
  echo "bench/ab_instructions.sh: needs valgrind (sudo apt-get install valgrind)" >&2
  exit 2
}

"$new" sim --port 0 --ttft 0 --itl 0 --model-name chat >"$work/sim.log" 2>&1 &
pids+=($!)
sim_url=$(url_of "$work/sim.log")
gateway_config "$work/gw.toml" "$sim_url" "$work/ledger.db"

per_request() {  # BINARY MODE -> user-space instructions per request
  local bin=$1 mode=$2 flags=()
  [ "$mode" = whole ] && flags=(--no-stream)
  rm -f "$work"/ledger.db* "$work"/cg.out*
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" serve -f "$work/gw.toml" >"$work/gw.log" 2>&1 &
  local gw=$!
  local gw_url
  gw_url=$(url_of "$work/gw.log" 300)
  local load=(bench -q --url "$gw_url" --model chat --input-tokens 16 --ignore-eos on -c "$concurrency"
    --output-tokens 4 "${flags[@]}")
  "$new" "${load[@]}" -n 500 -o "$work/warm.json" >/dev/null 2>&1
  callgrind_control -z "$gw" >/dev/null 2>&1
  "$new" "${load[@]}" -n "$requests" -o "$work/run.json" >/dev/null 2>&1
  callgrind_control -d "$gw" >/dev/null 2>&1
  kill "$gw"
  wait "$gw" 2>/dev/null || true
  python3 - "$work" "$work/run.json" <<'PY'
import glob, json, os, sys
work, run = sys.argv[1], sys.argv[2]
done = json.load(open(run))["runs"][0]["summary"]["requests_completed"]
dumps = [f for f in glob.glob(os.path.join(work, "cg.out*"))]
ir = 0
for f in dumps:  # the dump made after the measured run: the one with the most events
    for line in open(f):
        if line.startswith(("summary:", "totals:")):
            ir = max(ir, int(line.split()[1]))
            break
print(f"{ir / done:.0f}")
PY
}

printf '%-5s %14s %14s   (user-space instructions per request, %d requests, %d at a time)\n' "" "not streamed" "streamed" \
  "$requests" "$concurrency"
declare -A r
for side in old new; do
  bin=$old
  [ "$side" = new ] && bin=$new
  r[$side,whole]=$(per_request "$bin" whole)
  r[$side,stream]=$(per_request "$bin" stream)
  printf '%-5s %14s %14s\n' "$side" "${r[$side,whole]}" "${r[$side,stream]}"
done
python3 -c "print(f'new/old {${r[new,whole]} / ${r[old,whole]}:>12.3f} {${r[new,stream]} / ${r[old,stream]}:>14.3f}')"
