#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_segment_loss.sh - TCP over a 1% lossy 100 Mbit/s hop: the node's
# offloads on (super-frames, cut into segments before the lossy link) give
# the throughput of offloads off, and 1% of the segments are lost
#
# The two tapped satellites are neighbours: one laser link of 100 Mbit/s
# with 1% Bernoulli loss each way. iperf3 runs ROUNDS times with TSO/GSO on
# in both namespaces and ROUNDS times with them off (ethtool -K lm0 tso off
# gso off), alternately, in one run, with BBR where the kernel has it. The
# mean throughput with offloads on must be within TOL = 5% of the mean with
# them off (measured: 94.3 and 94.4 Mbit/s; with super-frames lost whole,
# 1 - 0.99^k for k segments, offloads on gave 87.4 against 94.5). Then the
# run's own counters: every frame offered to a link is a segment here,
# lost or accepted, so loss / (loss + hops) must be within four standard
# deviations of 1% (whole super-frames lost gave 1.5%).
. tests/e2e_lib.sh

e2e_begin e2esl tests/data/e2e/sl.conf iperf3 ethtool
A=sl-0-0
B=sl-0-1
P=0.01
ROUNDS=${ROUNDS:-2}
SECS=${SECS:-6}
TOL=0.05
# BBR fills the link despite 1% loss, so TSO sends large super-frames
# (cubic stays near 8 Mbit/s, where they are one or two segments and
# the two models hardly differ); CC=cubic overrides
if [ -z "${CC:-}" ]; then
	CC=cubic
	grep -qw bbr /proc/sys/net/ipv4/tcp_available_congestion_control \
		2>/dev/null && CC=bbr
fi

e2e_run_start --duration 600s
dst=$(e2e_addr "$B" 4)
e2e_bg ip netns exec "$B" iperf3 -s -p 5201 >"$E2E_TMP/server" 2>&1
i=0
until ip netns exec "$B" ss -ltn | grep -q ':5201 '; do
	i=$((i + 1))
	[ $i -lt 100 ] || e2e_fail "iperf3 server did not start"
	sleep 0.05
done

# offloads on|off: TSO and GSO of lm0 in both namespaces
offloads() {
	for n in "$A" "$B"; do
		ip netns exec "$n" ethtool -K lm0 tso "$1" gso "$1" >/dev/null ||
			e2e_fail "ethtool -K lm0 tso $1 gso $1 failed in $n"
	done
}

# measure: one iperf3 flow A -> B; prints the receiver's Mbit/s
measure() {
	ip netns exec "$A" iperf3 -c "$dst" -p 5201 -t "$SECS" -O 1 -C "$CC" -J \
		>"$E2E_TMP/iperf.json" 2>"$E2E_TMP/iperf.err" ||
		e2e_fail "iperf3 client failed: $(tail -n 5 "$E2E_TMP/iperf.err")"
	"$PY" - "$E2E_TMP/iperf.json" <<'PYEOF'
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%.2f" % (e["sum_received"]["bits_per_second"] / 1e6))
PYEOF
}

on=""
off=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	offloads on
	x=$(measure)
	on="$on $x"
	offloads off
	y=$(measure)
	off="$off $y"
	e2e_log "round $((r + 1)): offloads on $x Mbit/s, off $y Mbit/s"
	r=$((r + 1))
done
offloads on
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

mon=$(e2e_calc "round(sum([$(echo $on | tr ' ' ',')]) / $ROUNDS, 2)")
moff=$(e2e_calc "round(sum([$(echo $off | tr ' ' ',')]) / $ROUNDS, 2)")
lost=$(e2e_drops loss)
hops=$(e2e_stat hops)
n=$((lost + hops))
p=$(e2e_calc "round($lost / $n, 5)")
bound=$(e2e_calc "round(4 * math.sqrt($P * (1 - $P) / $n), 5)")
e2e_log "mean throughput ($CC): offloads on $mon Mbit/s, off $moff" \
	"Mbit/s (tolerance $TOL)"
e2e_log "segments: $n offered to the link, $lost lost: $p" \
	"(expected $P +- $bound); queue drops $(e2e_drops queue)"
e2e_true "abs($mon - $moff) <= $TOL * $moff" ||
	e2e_timing_fail "offloads on give $mon Mbit/s, off $moff: beyond $TOL"
e2e_true "abs($p - $P) <= $bound" ||
	e2e_fail "segment loss $p outside $P +- $bound"
e2e_pass "offloads on $mon Mbit/s = off $moff Mbit/s within $TOL;" \
	"segment loss $p"
