#!/bin/sh
# SPDX-License-Identifier: MIT
# lint_layers.sh - the include rules of the rooms: each floor includes only
# floors below it, and the pure rooms never the I/O ones or <ev.h>
#
# Floors, low to high: topo/lib, topo, tap, emu/net, emu/plane, emu/conf,
# emu/run, emu/cli. Run from the top of the tree (tests/run.sh does); an
# optional argument is another tree to check. Exit 0 when clean, 1 with one
# line per offending include: FILE:LINE: includes "X" (RULE).
set -u
root=${1:-.}
cd "$root" || exit 2
bad=0

# check ROOM PATTERN RULE: no file under ROOM includes a header matching
# PATTERN (an extended regular expression on the include's text)
check() {
	room=$1; pat=$2; rule=$3
	[ -d "$room" ] || return 0
	out=$(find "$room" -name '*.[ch]' -print | sort | xargs -r grep -n -E \
		"^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pat)" |
		sed -E "s|^([^:]*):([0-9]*):.*#[[:space:]]*include[[:space:]]*[<\"]([^>\"]*)[>\"].*|\1:\2: includes \"\3\" ($rule)|")
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
}

check topo/lib 'topo/[a-z_]+\.h|tap/|emu/' 'topo/lib is the ground floor: it includes nothing of ours above it'
check topo 'emu/' 'topo/ never includes emu/'
check tap 'emu/' 'tap/ never includes emu/'
check topo 'tap/' 'topo/ never includes tap/'
for room in emu/net emu/plane topo; do
	check $room 'emu/run/|emu/cli/|emu/conf/|tap/|ev\.h' \
		"$room is pure: no emu/run, emu/cli, emu/conf, tap/ or <ev.h>"
done
check emu/net 'emu/plane/' 'emu/net is below emu/plane'
check emu/conf 'emu/run/|emu/cli/' 'emu/conf never includes emu/run or emu/cli'
check emu/run 'emu/cli/' 'emu/run never includes emu/cli'

if [ $bad -ne 0 ]; then
	echo "lint_layers: include rules broken (floors: topo/lib, topo, tap, emu/net, emu/plane, emu/conf, emu/run, emu/cli)" >&2
	exit 1
fi
echo "lint_layers: every include follows the floors"
