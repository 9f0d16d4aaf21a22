# Shared by the bench/ scripts (sourced): their arguments and clean-up, waiting for a
# server's URL, and the gateway config they put in front of a sim.

# ab_setup "OLD_BINARY NEW_BINARY [X]" ARGS...: checks the two binaries and sets old,
# new, work (a temporary folder) and pids (processes to kill on exit).
ab_setup() {
  local usage=$1
  shift
  if [ $# -lt 2 ]; then
    echo "usage: $0 $usage" >&2
    exit 2
  fi
  old=$(realpath "$1")
  new=$(realpath "$2")
  for b in "$old" "$new"; do [ -x "$b" ] || { echo "$0: $b is not an executable" >&2; exit 2; }; done
  work=$(mktemp -d)
  pids=()
  trap ab_cleanup EXIT
}

ab_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

# url_of LOG [TENTHS]: waits (up to TENTHS tenths of a second, default 100) for
# "listening on URL" in LOG and prints the URL.
url_of() {
  for _ in $(seq "${2:-100}"); do
    if grep -a -q "listening on " "$1" 2>/dev/null; then
      grep -a -o "http://[^ ]*" "$1" | head -1
      return
    fi
    sleep 0.1
  done
  echo "$(basename "$0"): $1 did not start" >&2
  exit 1
}

# gateway_config FILE SIM_URL LEDGER: one route "chat" to one sim, no access log, no
# health checks (they would add requests of their own).
gateway_config() {
  cat >"$1" <<TOML
[server]
port = 0
[ledger]
path = "$3"
[log]
access = "off"
[[deployments]]
name = "sim"
url = "$2"
model = "chat"
health_interval = 0
[[routes]]
alias = "chat"
deployments = ["sim"]
TOML
}
