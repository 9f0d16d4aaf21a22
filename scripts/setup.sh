#!/usr/bin/env bash
# Installs exactly the Debian packages llmux needs to build and test, and nothing
# else (chromium: the tests open the report's HTML in a real headless browser).
# Idempotent: when everything is present it changes nothing and needs no network.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config ca-certificates
  libboost-dev libssl-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libsqlite3-dev libexpected-dev
  libvectorscan-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
