#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_clocks.sh - `lasermesh clocks` under mpirun across three "hosts": offsets, one-way latency, the cut-link rule
#
# Three network namespaces on a bridge stand for three hosts on a LAN
# (tests/lib/shardhosts.sh); Open MPI's mpirun starts one rank in each
# through its own orted. They share this machine's clock, so a skew is
# added to rank 1's readings (--add-offset 1:5ms) and the measurement must
# find it: offsets 0->1 and 2->1 of +5 ms, 1->0 of -5 ms, 0->2 of 0, within
# 0.2 ms; one-way latencies above 0 and below 1 ms; every probe answered;
# and the rule judges a 1 ms cut link ok between 0 and 2 and refuses it
# between 0 and 1 (5 ms apart). Then the same over IPv6: each host also
# gets fd77:7::R+2 and each rank --bind's its own; the table must show
# those endpoints and find the skew the same. Without a launcher it says
# how to start.
set -u
. tests/e2e_lib.sh
. tests/lib/shardhosts.sh
E2E_TAG=e2eck
P=lmlh

[ "$(id -u)" = 0 ] || e2e_skip "needs root (namespaces)"
for t in mpirun ip unshare; do
	command -v "$t" >/dev/null 2>&1 ||
		e2e_skip "needs $t (scripts/deps.sh installs it)"
done
LM=$(cd "$(dirname "$LM")" && pwd)/$(basename "$LM")
out=$(mktemp)
trap 'sh_hosts_down $P 3; rm -f "$out"' EXIT

# without a launcher: a clear error, exit 1
if "$LM" clocks >"$out" 2>&1; then
	e2e_fail "clocks without mpirun succeeded"
fi
grep -q "start it under mpirun" "$out" || e2e_fail "no advice: $(cat "$out")"
"$LM" clocks --add-offset 1-5ms >"$out" 2>&1 &&
	e2e_fail "--add-offset 1-5ms accepted"
grep -q 'add-offset "1-5ms"' "$out" || e2e_fail "bad value not quoted"

sh_hosts_up $P 3 || e2e_fail "cannot make the hosts"
sh_mpirun $P 3 -- "$LM" clocks --probes 30 --add-offset 1:5ms \
	--cut-delay 1ms >"$out" 2>&1 || {
	cat "$out" >&2
	e2e_fail "mpirun lasermesh clocks failed"
}
cat "$out" >&2
# from to addr offset(ms) owd(us) rtt answers... verdict
check() { # FROM TO OFFSET_MS VERDICT
	line=$(awk -v f="$1" -v t="$2" '$1 == f && $2 == t' "$out")
	[ -n "$line" ] || e2e_fail "no line for $1 -> $2"
	set -- "$1" "$2" "$3" "$4" $line
	off=$8 owd=$9 ans=${12} verdict=${13}
	e2e_true "abs($off - ($3)) <= 0.2" ||
		e2e_fail "$1 -> $2: offset $off ms, want $3 ms"
	e2e_true "$owd > 0 and $owd < 1000" ||
		e2e_fail "$1 -> $2: one-way latency $owd us"
	[ "$ans" = 30/30 ] || e2e_fail "$1 -> $2: answers $ans, want 30/30"
	[ "$verdict" = "$4" ] ||
		e2e_fail "$1 -> $2: verdict $verdict, want $4"
}
check_all() {
	check 0 1 5 refuse
	check 2 1 5 refuse
	check 1 0 -5 refuse
	check 1 2 -5 refuse
	check 0 2 0 ok
	check 2 0 0 ok
}
check_all

# ---- the same over IPv6 endpoints ------------------------------------------
for i in 0 1 2; do
	ip -n "$P$i" addr add "fd77:7::$((i + 2))/64" dev eth0 nodad ||
		e2e_fail "cannot give $P$i an IPv6 address"
done
# each rank binds its host's address: the rank is known only inside
sh_mpirun $P 3 -- sh -c 'exec "$0" clocks --probes 30 --add-offset 1:5ms \
	--cut-delay 1ms --bind "fd77:7::$((OMPI_COMM_WORLD_RANK + 2))"' "$LM" \
	>"$out" 2>&1 || {
	cat "$out" >&2
	e2e_fail "mpirun lasermesh clocks --bind IPV6 failed"
}
cat "$out" >&2
for i in 0 1 2; do
	[ "$(awk -v t=$i '$2 == t { print $3 }' "$out" | sed 's/:[0-9]*$//' |
		sort -u)" = "[fd77:7::$((i + 2))]" ] ||
		e2e_fail "rank $i's address is not [fd77:7::$((i + 2))]: $(cat "$out")"
done
check_all
e2e_pass "offsets of a 5 ms skew found within 0.2 ms over IPv4 and IPv6," \
	"rule applied"
