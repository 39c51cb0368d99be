#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_ping_traceroute.sh - ping RTT matches `lasermesh path`, traceroute
# (UDP and ICMP, IPv4 and IPv6) lists the laser path in order
#
# Two tapped satellites five laser hops apart. The median RTT of 60 pings
# (0.05 s apart, IPv4 then IPv6) must be within 0.3 ms of the round-trip
# propagation time that `lasermesh path` computes for the same moments of
# orbital time (the run's orbital time starts at its "ready" line). Each
# traceroute must list path's nodes after the source, in order, every
# probe of a hop answered by the same node, and the fastest probe to each
# hop must take path's RTT to that node, up to 1 ms more.
. tests/e2e_lib.sh

e2e_begin e2ea tests/data/e2e/ea.conf ping traceroute
A=ea-0-0
B=ea-2-3
TOL_MS=0.3

e2e_run_start --spin 100us --duration 120s
e2e_hosts "$E2E_TMP/hosts"
e2e_names "$E2E_TMP/names"

# ---- ping: median RTT against path's -----------------------------------
for fam in 4 6; do
	dst=$(e2e_addr "$B" "$fam")
	[ -n "$dst" ] || e2e_fail "no IPv$fam address of $B in the hosts file"
	# resolve the neighbour (ARP / ND) before measuring
	ip netns exec "$A" ping -"$fam" -n -c 1 -W 3 "$dst" >/dev/null ||
		e2e_fail "IPv$fam: $A cannot ping $B ($dst)"
	# iputils ping prints 84.4 ms (0.1 ms steps): measure with our own
	# echo requests, stamped by the kernel to the microsecond. A busy
	# machine (other builds and tests) can delay the emulator's wake-ups
	# for seconds at a time, and on this VM kind an idle one wakes a halted
	# vCPU (docs/performance.md): even quiet, first tries measured 0.22 to
	# 0.36 ms above path, with the renovated binary and with be98b1f's
	# alike. Up to five tries, each judged on its median.
	try=1
	while :; do
		t0=$(e2e_now)
		ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dst" 60 0.05 \
			>"$E2E_TMP/rtt$fam" 2>/dev/null
		t1=$(e2e_now)
		n=$(wc -l <"$E2E_TMP/rtt$fam")
		[ "$n" -ge 50 ] || e2e_fail "IPv$fam: only $n of 60 pings answered"
		med=$(e2e_py median 3 <"$E2E_TMP/rtt$fam")
		from=$(e2e_orbit_t "$t0")
		to=$(e2e_orbit_t "$t1")
		e2e_path "$A" "$B" "$from" "$to" 0.1 >"$E2E_TMP/path$fam"
		exp=$(e2e_py median 2 <"$E2E_TMP/path$fam")
		routes=$(cut -d' ' -f3- "$E2E_TMP/path$fam" | sort -u | wc -l)
		[ "$routes" -eq 1 ] ||
			e2e_log "note: the route changed in the window"
		diff=$(e2e_calc "round($med - $exp, 4)")
		e2e_log "IPv$fam try $try: $n pings, median RTT $med ms," \
			"path $exp ms, difference $diff ms (tolerance $TOL_MS)"
		e2e_true "abs($diff) <= $TOL_MS" && break
		[ $try -lt 5 ] ||
			e2e_timing_fail "IPv$fam: median RTT $med ms is not within $TOL_MS ms of path's $exp ms"
		try=$((try + 1))
	done
done

# ---- traceroute: the hops are path's nodes, in order --------------------
# name of an address, from the run's hosts file
name_of() { awk -v a="$1" '$1 == a { print $2; exit }' "$E2E_TMP/hosts"; }

# trace FAM MODE: check one traceroute; the hops fail at once, a hop's
# RTT beyond path's returns 1 with the first such hop in $late
trace() {
	fam=$1
	mode=$2
	late=""
	dst=$(e2e_addr "$B" "$fam")
	t=$(e2e_orbit_t "$(e2e_now)")
	ip netns exec "$A" traceroute -"$fam" $mode -n -q 3 -w 3 -m 12 "$dst" \
		>"$E2E_TMP/trace" 2>&1 ||
		e2e_fail "traceroute -$fam $mode failed: $(cat "$E2E_TMP/trace")"
	e2e_path "$A" "$B" "$t" "$t" 1 >"$E2E_TMP/tpath"
	want=$(cut -d' ' -f4- "$E2E_TMP/tpath")
	# hop lines: " N  addr  t ms  addr? t ms ..."; every answer's address
	got=""
	hop=0
	tail -n +2 "$E2E_TMP/trace" >"$E2E_TMP/hops"
	while read -r num rest; do
		hop=$((hop + 1))
		[ "$num" = "$hop" ] || e2e_fail "traceroute line $hop: $num $rest"
		addrs=$(echo "$rest" | tr ' ' '\n' |
			grep -E '^([0-9]+\.){3}[0-9]+$|:' | sort -u)
		[ -n "$addrs" ] || e2e_fail "traceroute -$fam $mode: hop $hop unanswered: $rest"
		[ "$(echo "$addrs" | wc -l)" -eq 1 ] ||
			e2e_fail "traceroute -$fam $mode: hop $hop answered by several nodes: $rest"
		nm=$(name_of "$addrs")
		[ -n "$nm" ] || e2e_fail "traceroute: $addrs is no node"
		got="$got $nm"
		# the fastest probe to this hop against path's RTT to that
		# node: never faster than light, and (traceroute times in user
		# space, with other probes in flight) at most 1 ms slower
		rtt=$(echo "$rest" | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+$' |
			sort -n | head -n 1)
		e2e_path "$A" "$nm" "$t" "$t" 1 >"$E2E_TMP/hpath"
		exp=$(cut -d' ' -f2 "$E2E_TMP/hpath")
		e2e_true "$exp - 0.02 <= $rtt" ||
			e2e_fail "traceroute -$fam $mode: hop $hop ($nm) RTT $rtt ms, faster than path's $exp ms"
		e2e_true "$rtt <= $exp + 1.0" || [ -n "$late" ] ||
			late="traceroute -$fam $mode: hop $hop ($nm) RTT $rtt ms, path says $exp ms"
	done <"$E2E_TMP/hops"
	got=${got# }
	e2e_log "traceroute -$fam ${mode:-(UDP)}: $got"
	[ "$got" = "$want" ] ||
		e2e_fail "traceroute -$fam $mode lists \"$got\", path is \"$want\""
	[ -z "$late" ]
}

# A wake-up of several ms (seen once with no host steal: release lateness
# max 3.2 ms) can delay all three probes of a hop, as it delays one ping:
# up to three traceroutes, each judged whole, 2 s apart (the destination's
# kernel rate-limits its ICMP errors: net.ipv4.icmp_ratelimit, 1 s).
trace_tries() {
	for try in 1 2 3; do
		trace "$@" && return 0
		e2e_log "try $try: $late"
		sleep 2
	done
	e2e_timing_fail "$late"
}

trace_tries 4 ""
trace_tries 4 -I
trace_tries 6 ""
trace_tries 6 -I

e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
# every hop but the last answered each probe with a time exceeded
ttl=$(e2e_drops ttl-expired)
e2e_log "summary: ttl-expired $ttl, icmp errors $(e2e_answered 'icmp errors')"
[ "$ttl" -ge 48 ] || e2e_fail "ttl-expired $ttl, expected >= 4 traces x 4 hops x 3"
e2e_pass "ping and traceroute follow the laser path"
