#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_million.sh - the data plane's release lateness at 1,584, 40,000 and 1,000,000 satellites, same run
#
# usage: sh scripts/bench/bench_million.sh [SECONDS]   (root; default 20)
# Three runs of `lasermesh run`, one after the other: Starlink's shell 1
# (1,584 satellites, scripts/bench/data/shell1584.conf), one 200 x 200
# shell (40,000, shell40k.conf) and docs/examples/spacex-odc.conf
# (1,000,000 satellites in six shells; its first shell renamed "bench" and
# two of its satellites three hops apart tapped). In each, a ping every
# 10 ms between the two tapped satellites for SECONDS, then the run's
# summary: release lateness p50/p99/max (the data plane's timer against
# the packet's due time), overruns, the geometry's step time and memory
# from the summary, the peak RSS of the run, and the load; and a fourth
# run, "1m-busy", the million with a step of 100 ms, which the geometry
# cannot keep up with: its threads then compute without a pause on both
# cores for the whole run, the worst case for the data plane. BENCH_REPS
# repetitions of each (default 1 here: a million-satellite run starts in
# tens of seconds).
set -u
BENCH_REPS=${BENCH_REPS:-1}
. "$(dirname "$0")/data/lib.sh"

bl_init bench_million
secs=${1:-20}
BL_READY_TIMEOUT=300

# odc_conf OUT: the example, its first shell renamed and two nodes tapped.
odc_conf() {
	sed -e 's/^\[shell o1\]/[shell bench]/' \
	    -e 's/^nodes = .*/nodes = bench-0-0 bench-0-3/' \
	    docs/examples/spacex-odc.conf >"$1"
}

# one TAG CONF: a run with a ping across it; prints one line.
one() {
	bl_lm_start "$1" "$2"
	b=$(bl_lm_addr bench-0-3)
	ip netns exec bench-0-0 ping -n -q -i 0.01 -w "$secs" "$b" \
		>"$BL_TMP/$1.ping" 2>&1
	pid=$BL_LM_PID
	rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
	bl_lm_stop
	rtt=$(sed -n 's/.* = [0-9.]*\/\([0-9.]*\)\/.*/\1/p' "$BL_TMP/$1.ping")
	loss=$(sed -n 's/.* \([0-9.]*%\) packet loss.*/\1/p' "$BL_TMP/$1.ping")
	geo=$(sed -n "s/^  geometry: //p" "$BL_TMP/$1.err" | head -n 1)
	bl_say "$1: lateness p50/p99/max $(bl_lm_sum late50)/$(bl_lm_sum late99)/$(bl_lm_sum latemax) ns," \
	       "overrun $(bl_lm_sum overrun), ping rtt $rtt ms loss $loss," \
	       "start $((BL_LM_UP_NS / 1000000)) ms, peak RSS $rss MiB; $geo; load $(bl_load)"
}

odc_conf "$BL_TMP/odc.conf"
sed 's/^step = 1s/step = 100ms/' "$BL_TMP/odc.conf" >"$BL_TMP/odc-busy.conf"
bl_say "## release lateness, ${secs} s of ping -i 0.01 across 3 hops each (load: $(bl_load))"
bl_say "# $LM run CONF --no-status; CONF: $BL_DATA/shell1584.conf, $BL_DATA/shell40k.conf, docs/examples/spacex-odc.conf (renamed; busy: step = 100ms)"
for r in $(seq "$BL_REPS"); do
	one "1584-$r" "$BL_DATA/shell1584.conf"
	one "40k-$r" "$BL_DATA/shell40k.conf"
	one "1m-$r" "$BL_TMP/odc.conf"
	one "1m-busy-$r" "$BL_TMP/odc-busy.conf"
done
