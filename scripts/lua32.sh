#!/usr/bin/env bash
# Builds a 32-bit Lua 5.1 from Debian's lua5.1 source package into .cache/lua5.1-m32. NodeMCU on
# the ESP8266 is a 32-bit Lua 5.1 with doubles: its tables and closures are about two thirds the
# size of a 64-bit Lua's, so the heap budget is measured on this one (test/budgets.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/lua5.1-m32
[ -x "$out" ] && { echo "lua32: $out is there"; exit 0; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
dpkg -s gcc-multilib >/dev/null 2>&1 || $sudo apt-get install -y -qq --no-install-recommends gcc-multilib
work=$(mktemp -d)
trap 'rm -rf "$work"; $sudo rm -f /etc/apt/sources.list.d/aisle-deb-src.sources' EXIT
# Source packages come from the same archive as the binary ones.
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $sudo tee /etc/apt/sources.list.d/aisle-deb-src.sources >/dev/null
$sudo apt-get update -qq
(cd "$work" && apt-get source -qq lua5.1 >/dev/null 2>&1)
src=$(echo "$work"/lua5.1-*/src)
echo '#define DEB_HOST_MULTIARCH "i386-linux-gnu"' > "$src/lua5.1-deb-multiarch.h"
mkdir -p .cache
gcc -m32 -O2 -DLUA_USE_POSIX -I"$src" -o "$out" $(ls "$src"/*.c | grep -v -E '/(luac|print)\.c$') -lm
echo "lua32: built $out"
