#!/bin/sh
# SPDX-License-Identifier: MIT
# demo_iperf.sh - iperf3 TCP across a long laser path: throughput against
# the bandwidth-delay product, with and without a limited socket buffer
#
# usage: scripts/demo_iperf.sh [CONFIG] [SECONDS] [WINDOW...]
# Starts the mesh of CONFIG (default scripts/demo/iperf.conf: 11 laser
# hops, 145 ms RTT, 100 Mbit/s) with `lasermesh wrap`; the first tapped
# node sends to the second with iperf3 for SECONDS (default 10, after 2
# s left out: slow start), once with the kernel's buffer autotuning and
# once with each iperf3 -w WINDOW (bytes, K or M suffix; default 64K 256K
# 1M). The report gives the path's RTT (`lasermesh path`) and BDP, and for
# each run the throughput against min(rate, window / RTT);
# scripts/demo/iperf_model.py says why. The last lines ("result ...") are
# for scripts (tests/e2e_iperf_bdp.sh). Needs root and iperf3; LASERMESH
# names the binary (default ./lasermesh, else lasermesh from PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
if [ -z "${LASERMESH:-}" ]; then
	if [ -x ./lasermesh ]; then LASERMESH=$(pwd)/lasermesh
	else LASERMESH=lasermesh; fi
fi

die() { echo "demo_iperf: $*" >&2; exit 1; }

# bytes SIZE: SIZE in bytes (K = KiB, M = MiB)
bytes() {
	case $1 in
	*[!0-9KM]* | "" | [KM]*) die "window \"$1\" is not a byte count (65536, 64K, 1M)" ;;
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*) echo "$1" ;;
	esac
}

# conf_rate CONF: the [isl] rate of CONF in bit/s (default 10gbit)
conf_rate() {
	awk '/^\[/ { s = $0 } s == "[isl]" && $1 == "rate" { print $3; exit }' \
		"$1" | awk '
		/gbit$/ { print $0 * 1e9; exit } /mbit$/ { print $0 * 1e6; exit }
		/kbit$/ { print $0 * 1e3; exit } /bit$/ { print $0 + 0; exit }
		END { if (NR == 0) print 10e9 }'
}

if [ "${1:-}" = --inside ]; then
	# inside `lasermesh wrap`: the mesh is up, orbital time is about 0
	t0=$(date +%s.%N)
	CONF=$2 SECS=$3
	shift 3
	tmp=$(mktemp -d /tmp/demo-iperf.XXXXXX)
	srv=""
	trap '[ -z "$srv" ] || kill $srv 2>/dev/null; wait; rm -rf "$tmp"' EXIT
	set -- $LASERMESH_NODES "$@"
	a=$1 b=$2
	shift 2
	dst=$(eval echo "\${LASERMESH_IPV4_$(echo "$b" | tr 'a-z-' 'A-Z_'):-}")
	[ -n "$dst" ] || die "no IPv4 address for $b"
	"$LASERMESH" exec "$b" -- iperf3 -s -p 5201 >"$tmp/server" 2>&1 &
	srv=$!
	i=0
	until "$LASERMESH" exec "$b" -- ss -ltn | grep -q ':5201 '; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "iperf3 server did not start"
		sleep 0.05
	done
	files=""
	for w in 0 "$@"; do
		opt=""
		[ "$w" = 0 ] || opt="-w $w"
		echo "iperf3 $a -> $b, ${SECS} s, window ${opt:-auto}" >&2
		"$LASERMESH" exec "$a" -- iperf3 -c "$dst" -p 5201 -J \
			-t "$SECS" -O 2 $opt >"$tmp/iperf-$w.json" ||
			die "iperf3 failed: $(tail -n 3 "$tmp/iperf-$w.json")"
		files="$files $tmp/iperf-$w.json"
	done
	t=$("$PY" -c "import time; print('%.3f' % (time.time() - $t0))")
	rtt=$("$LASERMESH" path "$CONF" "$a" "$b" --from "$t" --to "$t" |
		tail -n 1 | cut -d, -f2)
	[ -n "$rtt" ] || die "$a cannot reach $b at $t s"
	echo "$a -> $b: $("$LASERMESH" path "$CONF" "$a" "$b" --from "$t" \
		--to "$t" | tail -n 1 | cut -d, -f3 | wc -w) nodes on the path"
	"$PY" "$here/demo/iperf_model.py" "$rtt" "$(conf_rate "$CONF")" $files
	exit 0
fi

CONF=${1:-$here/demo/iperf.conf}
SECS=${2:-10}
if [ $# -gt 2 ]; then shift 2; else set -- 64K 256K 1M; fi
wins=""
for w in "$@"; do wins="$wins $(bytes "$w")"; done
case $SECS in *[!0-9]* | "" | 0) die "SECONDS \"$SECS\" is not a count" ;; esac
[ -f "$CONF" ] || die "no configuration \"$CONF\""
command -v iperf3 >/dev/null || die "needs iperf3 (scripts/deps.sh)"
exec "$LASERMESH" wrap "$CONF" -q -- sh "$0" --inside "$CONF" "$SECS" $wins
