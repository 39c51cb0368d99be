#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_hostile.sh - hostile frames written into the TAPs never crash the
# emulator and are counted
#
# From inside a node's namespace an AF_PACKET socket on lm0 writes frames
# that the emulator reads from its TAP (tests/e2e_lib.py hostile): Ethernet
# headers alone, truncated IPv4/IPv6/ARP, IHL below 5 or past the frame,
# lying total and payload lengths, bad version, bad checksum, extension
# headers running past the packet, unknown ethertypes, VLAN and QinQ tags,
# multicast sources, broadcast to unicast IP, addresses outside the mesh,
# fragments, TTL / hop limit 0 and 1 toward a node five hops away, frames
# larger than the mesh's MTU (lm0's MTU raised to 9000), then random bytes
# of random lengths. (Frames shorter than the 14-byte Ethernet header: the
# kernel refuses to send them, even for root; they are counted as refused.)
#
# Run 1, the fixed battery only: the summary's "malformed" must equal the
# frames that the parser must refuse, and "ttl-expired" the 40 TTL 0/1
# frames. Run 2 adds 3,000 random frames from one node and 1,000 from the
# other. After each, the emulator must still be alive, answer pings both
# ways (IPv4 and IPv6), stop normally on SIGTERM and print its summary.
. tests/e2e_lib.sh

e2e_begin e2ej tests/data/e2e/ej.conf ping
A=ej-0-0
B=ej-2-3

# pings NODE PEER: IPv4 and IPv6 pings from NODE to PEER answer
pings() {
	for fam in 4 6; do
		ip netns exec "$1" ping -"$fam" -n -c 2 -i 0.2 -W 3 \
			"$(e2e_addr "$2" "$fam")" >/dev/null 2>&1 ||
			e2e_fail "$3: IPv$fam ping from $1 to $2 failed"
	done
}

# hostile NODE PEER COUNT SEED: the hostile frames from NODE toward PEER;
# sets sent, malformed, ttl
hostile() {
	ip -n "$1" link set lm0 mtu 9000 || e2e_fail "cannot raise lm0's MTU in $1"
	mac=$(ip -n "$1" neigh show "$(e2e_addr "$2" 4)" | awk '{ print $5 }')
	[ -n "$mac" ] || e2e_fail "no neighbour entry for $2 in $1"
	ip netns exec "$1" "$PY" "$E2E_PYLIB" hostile lm0 "$mac" \
		"$(e2e_addr "$1" 4)" "$(e2e_addr "$2" 4)" \
		"$(e2e_addr "$1" 6)" "$(e2e_addr "$2" 6)" "$3" "$4" \
		>"$E2E_TMP/hostile-$1" || e2e_fail "the frame writer failed in $1"
	ip -n "$1" link set lm0 mtu 1500
	sent=$(awk '$1 == "sent" { print $2 }' "$E2E_TMP/hostile-$1")
	malformed=$(awk '$1 == "malformed" { print $2 }' "$E2E_TMP/hostile-$1")
	ttl=$(awk '$1 == "ttl" { print $2 }' "$E2E_TMP/hostile-$1")
	e2e_log "$1: wrote $sent hostile frames ($(awk '$1 == "refused" { print $2 }' \
		"$E2E_TMP/hostile-$1") refused by the kernel)"
}

# alive WHAT: the emulator still runs and forwards
alive() {
	kill -0 "$E2E_RUN_PID" 2>/dev/null || {
		wait "$E2E_RUN_PID"
		E2E_RUN_PID=""
		e2e_fail "$1: the emulator died ($?)"
	}
	pings "$A" "$B" "$1"
	pings "$B" "$A" "$1"
}

# stopped WHAT: SIGTERM ends the run normally with a summary
stopped() {
	e2e_run_stop
	[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "$1: lasermesh run exited $E2E_RUN_RC"
	grep -q '^lasermesh: ran ' "$E2E_TMP/run.err" || e2e_fail "$1: no summary"
}

# ---- run 1: the fixed battery, exact counts --------------------------------
e2e_run_start --duration 300s
pings "$A" "$B" "before"
hostile "$A" "$B" 0 1
alive "after the fixed battery"
stopped "run 1"
m=$(e2e_drops malformed)
t=$(e2e_drops ttl-expired)
read_=$(e2e_port "$A" sent)
e2e_log "run 1: malformed $m (expected $malformed), ttl-expired $t" \
	"(expected $ttl), $A sent $read_ frames"
[ "$m" -eq "$malformed" ] ||
	e2e_fail "the summary counts $m malformed frames, $malformed were written"
[ "$t" -eq "$ttl" ] ||
	e2e_fail "the summary counts $t expired TTLs, $ttl were written"
[ "$read_" -ge "$sent" ] || e2e_fail "$A sent $read_ frames by the summary, $sent written"
e2e_true "$(e2e_answered 'icmp errors') >= $ttl" ||
	e2e_fail "fewer ICMP errors than expired packets"

# ---- run 2: random frames from both sides ---------------------------------
e2e_run_start --duration 300s
pings "$A" "$B" "before"
pings "$B" "$A" "before"
hostile "$A" "$B" 3000 7
sent_a=$sent
mal_a=$malformed
ttl_a=$ttl
hostile "$B" "$A" 1000 11
alive "after random frames"
stopped "run 2"
m=$(e2e_drops malformed)
t=$(e2e_drops ttl-expired)
rd=$(e2e_stat "frames read")
ov=$(e2e_overrun)
e2e_log "run 2: frames read $rd, overrun $ov, malformed $m, ttl-expired $t"
e2e_true "$rd + $ov >= $sent_a + $sent" ||
	e2e_fail "frames read $rd + overrun $ov < $sent_a + $sent written"
e2e_true "$m >= $mal_a + $malformed" ||
	e2e_fail "malformed $m < the $((mal_a + malformed)) sure to be malformed"
e2e_true "$t >= $ttl_a + $ttl" || e2e_fail "ttl-expired $t < $((ttl_a + ttl))"
e2e_pass "hostile frames counted, the emulator still forwards"
