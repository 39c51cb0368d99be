#!/bin/sh
# SPDX-License-Identifier: MIT
# tle-refresh.sh - fetch today's Starlink element sets from CelesTrak
#
# usage: sh scripts/tle-refresh.sh [OUT]
# Writes OUT (default docs/examples/data/starlink-YYYY-MM-DD.tle, today's
# UTC date) from CelesTrak's published Starlink group in 3-line TLE
# format, checks that every set parses with `lasermesh check` on a small
# configuration, and says how many sets it holds. Needs network access to
# celestrak.org; no test runs it (the project ships a fixed copy so that
# results repeat). Point docs/examples/starlink-tle.conf's `file =` at the
# new file to use it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/examples/data/starlink-$(date -u +%Y-%m-%d).tle}
url='https://celestrak.org/NORAD/elements/gp.php?GROUP=starlink&FORMAT=tle'
lm=${LASERMESH:-$root/lasermesh}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.conf"' EXIT

if command -v curl >/dev/null 2>&1; then
	curl -fsSL --max-time 120 "$url" -o "$tmp"
elif command -v wget >/dev/null 2>&1; then
	wget -q -T 120 -O "$tmp" "$url"
else
	echo "tle-refresh.sh: needs curl or wget" >&2
	exit 1
fi
sets=$(grep -c '^1 ' "$tmp" || true)
if [ "$sets" -eq 0 ]; then
	echo "tle-refresh.sh: $url gave no element sets" >&2
	exit 1
fi
if [ -x "$lm" ]; then
	cat >"$tmp.conf" <<CONF
[tle starlink]
file = $tmp
[isl]
candidates = nearest
CONF
	"$lm" check "$tmp.conf"
fi
tr -d '\r' <"$tmp" >"$out"
echo "tle-refresh.sh: $sets element sets written to $out"
