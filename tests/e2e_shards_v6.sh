#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_shards_v6.sh - two shards started by hand talk over an IPv6-only LAN
#
# tests/data/e2e/shd.conf split over two "host" namespaces
# (tests/lib/shardhosts.sh) whose LAN gets IPv6 addresses fd77:6::2 and
# fd77:6::3; the shards are given only those (--peers
# [fd77:6::2]:6081,[fd77:6::3]:6081), started by hand with --shard 0/2
# and 1/2. Both must go ready, a ping from shd-0-0 (shard 0) to shd-8-0
# (shard 1) must be answered across the cut with an RTT within 0.3 ms of
# `lasermesh path`'s, and both must end on SIGTERM leaving nothing.
. tests/e2e_lib.sh
. tests/lib/shardhosts.sh

e2e_begin shv tests/data/e2e/shd.conf ping nsenter
HP=lmsv
A=shd-0-0
C=shd-8-0
PEERS="[fd77:6::2]:6081,[fd77:6::3]:6081"
P0="" P1=""
stop_all() {
	[ -n "$P0" ] && kill -TERM "$P0" 2>/dev/null
	[ -n "$P1" ] && kill -TERM "$P1" 2>/dev/null
	[ -n "$P0" ] && wait "$P0"
	[ -n "$P1" ] && wait "$P1"
	P0="" P1=""
}
trap 'rc=$?; stop_all; sh_hosts_down $HP 2; (exit $rc); e2e_cleanup' EXIT

sh_hosts_up $HP 2 || e2e_fail "cannot make the host namespaces"
for i in 0 1; do
	ip -n "$HP$i" addr add "fd77:6::$((i + 2))/64" dev eth0 nodad ||
		e2e_fail "cannot give $HP$i an IPv6 address"
done
for i in 0 1; do
	ip netns exec "$HP$i" "$LM" run "$(pwd)/$E2E_CONF" --no-status \
		--duration 60s --shard "$i/2" --peers "$PEERS" \
		>"$E2E_TMP/run$i.out" 2>"$E2E_TMP/run$i.err" &
	eval "P$i=\$!"
done
e2e_wait_ready "a shard" 2 60 "$P0 $P1" "$E2E_TMP/run0.out" "$E2E_TMP/run1.out"
grep -q '^shard 0 of 2, started by .*, endpoint \[fd77:6::2\]:6081$' \
	"$E2E_TMP/run0.out" || e2e_fail "shard 0 does not say its IPv6 endpoint"
dc=$(e2e_addr "$C" 4)
# shard 0 taps A: its namespaces are in shard 0's mount namespace
t0=$(e2e_now)
nsenter -t "$P0" -m --wd="$PWD" ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dc" 30 0.05 \
	>"$E2E_TMP/rtt" 2>/dev/null
t1=$(e2e_now)
n=$(wc -l <"$E2E_TMP/rtt")
[ "$n" -ge 25 ] || e2e_fail "only $n of 30 pings from $A to $C answered over the IPv6 LAN"
e2e_path "$A" "$C" "$(e2e_orbit_t "$t0")" "$(e2e_orbit_t "$t1")" 0.1 \
	>"$E2E_TMP/path"
d=$(e2e_calc "round($(e2e_py median 3 <"$E2E_TMP/rtt") - $(e2e_py median 2 <"$E2E_TMP/path"), 4)")
e2e_true "abs($d) <= 0.3" ||
	e2e_timing_fail "ping RTT - path = $d ms over the IPv6 LAN (tolerance 0.3)"
stop_all
for i in 0 1; do
	grep -q "shard $i of 2[^:]*: frames to other shards [1-9]" "$E2E_TMP/run$i.err" ||
		e2e_fail "shard $i sent no frame to the other: $(grep 'shard' "$E2E_TMP/run$i.err")"
done
"$LM" cleanup >/dev/null 2>&1
sh_hosts_down $HP 2
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $left"
e2e_pass "two shards over IPv6 endpoints: $n pings across the cut, RTT - path $d ms"
