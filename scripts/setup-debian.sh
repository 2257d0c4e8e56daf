#!/usr/bin/env bash
# Installs the Debian packages the test suite runs for real: the Lua interpreters the NodeMCU
# virtual boards use, the MQTT broker the MQTT tests start, and the Chromium the HTML report test
# drives through playwright-core (no browser download), and python3, whose pty module gives the
# virtual NodeMCU flashing REPL its pseudo-terminal (sim/flash/nodemcu-pty.ts). Skips what is already there.
set -euo pipefail
packages=(lua5.1 lua5.3 luajit mosquitto gcc-multilib chromium python3)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: ${packages[*]} already installed"
  bash "$(dirname "$0")/lua32.sh"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The broker is started by the tests on loopback; the package's own service is not wanted.
$sudo systemctl disable --now mosquitto >/dev/null 2>&1 || true
bash "$(dirname "$0")/lua32.sh"
