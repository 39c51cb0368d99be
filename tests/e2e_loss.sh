#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_loss.sh - a 5% loss on the laser links shows as 5% lost datagrams,
# within four standard deviations, and as the summary's loss count
#
# The two tapped satellites are neighbours, so a one-way UDP stream crosses
# exactly one lossy link: 4,000 datagrams over IPv4 and 2,000 over IPv6,
# each carrying its sequence number, counted at the receiver. The measured
# loss p of n datagrams must be within 4 sqrt(0.05 * 0.95 / n) of 5%, and
# the emulator's "loss" drops must equal the datagrams that did not arrive.
. tests/e2e_lib.sh

e2e_begin e2ed tests/data/e2e/ed.conf
A=ed-0-0
B=ed-0-1
P=0.05

e2e_run_start --duration 120s

# stream FAM COUNT GAP: one stream; sets sent and got
stream() {
	dst=$(e2e_addr "$B" "$1")
	e2e_udp_recv "$B" "$1" 9000 2 "$E2E_TMP/rx$1"
	rx=$E2E_LAST
	sent=$(ip netns exec "$A" "$PY" "$E2E_PYLIB" udp-send "$dst" 9000 \
		"$2" "$3") || e2e_fail "UDP sender failed"
	wait "$rx" || e2e_fail "UDP receiver failed"
	set -- $(cat "$E2E_TMP/rx$1")
	[ $# -eq 3 ] || e2e_fail "UDP receiver printed \"$*\""
	[ "$3" -eq 0 ] || e2e_fail "$3 datagrams arrived twice"
	got=$2
}

stream 4 4000 0.0005
sent4=$sent
got4=$got
stream 6 2000 0.0005
sent6=$sent
got6=$got
[ "$sent4" -eq 4000 ] && [ "$sent6" -eq 2000 ] ||
	e2e_fail "sent $sent4 and $sent6 datagrams, not 4000 and 2000"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

fail=0
for x in "4 $sent4 $got4" "6 $sent6 $got6"; do
	set -- $x
	lost=$(($2 - $3))
	p=$(e2e_calc "round($lost / $2, 5)")
	bound=$(e2e_calc "round(4 * math.sqrt($P * (1 - $P) / $2), 5)")
	e2e_log "IPv$1: $2 sent, $3 received, loss $p (expected $P +- $bound)"
	e2e_true "abs($p - $P) <= $bound" || fail=1
done
drops=$(e2e_drops loss)
lost=$((sent4 - got4 + sent6 - got6))
e2e_log "summary: loss drops $drops, datagrams lost $lost"
[ "$fail" -eq 0 ] || e2e_fail "measured loss outside the 4-sigma bound of $P"
[ "$drops" -eq "$lost" ] ||
	e2e_fail "the emulator counts $drops loss drops, the receiver missed $lost"
e2e_pass "5% link loss measured within its statistical bound"
