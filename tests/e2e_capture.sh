#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_capture.sh - --capture writes, for each tapped node, exactly the
# frames it sent and received, with nanosecond timestamps
#
# Between two satellites three laser hops apart: 20 IPv4 pings, 15 IPv6
# pings and 30 UDP datagrams. Then, with tshark on each node's pcap:
#  - the file is a nanosecond pcap (magic a1b23c4d, capinfos says so, the
#    timestamps have nanosecond digits) in strict time order;
#  - echo requests and replies (v4 and v6) and UDP datagrams are exactly
#    as many as ping and the receiver counted; ARP and neighbour discovery
#    are counted apart; the file's frame count is the summary's "sent" +
#    "received" for that node;
#  - a request's time in the receiver's file minus its time in the
#    sender's is path's one-way delay (median within 0.2 ms);
# and a second run with --snaplen 100 cuts frames at 100 bytes while
# keeping their original length.
. tests/e2e_lib.sh

e2e_begin e2eg tests/data/e2e/eg.conf ping tshark capinfos
A=eg-0-0
B=eg-1-2
CAP=$E2E_TMP/cap

e2e_run_start --capture "$CAP" --spin 100us --duration 120s
A4=$(e2e_addr "$A" 4)
B4=$(e2e_addr "$B" 4)
A6=$(e2e_addr "$A" 6)
B6=$(e2e_addr "$B" 6)

ip netns exec "$A" ping -n -c 20 -i 0.05 -W 3 "$B4" >"$E2E_TMP/ping4" 2>&1
ip netns exec "$A" ping -6 -n -c 15 -i 0.05 -W 3 "$B6" >"$E2E_TMP/ping6" 2>&1
# "20 packets transmitted, 20 received, ..."
pstat() { sed -n "s/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\\$2/p" "$1"; }
tx4=$(pstat "$E2E_TMP/ping4" 1)
rx4=$(pstat "$E2E_TMP/ping4" 2)
tx6=$(pstat "$E2E_TMP/ping6" 1)
rx6=$(pstat "$E2E_TMP/ping6" 2)
[ "$tx4" = 20 ] && [ "$tx6" = 15 ] || e2e_fail "ping did not send 20 + 15"

e2e_udp_recv "$B" 4 9100 1.5 "$E2E_TMP/udp"
RX=$E2E_LAST
udp_tx=$(ip netns exec "$A" "$PY" "$E2E_PYLIB" udp-send "$B4" 9100 30 0.01 200)
wait "$RX"
udp_rx=$(cut -d' ' -f2 "$E2E_TMP/udp")
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
e2e_log "ping v4 $tx4/$rx4, v6 $tx6/$rx6, UDP $udp_tx/$udp_rx"

# count FILE FILTER: frames of FILE that match FILTER
count() { tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l; }

# expect WHAT GOT WANT
expect() {
	[ "$2" -eq "$3" ] || e2e_fail "$1: $2 frames, expected $3"
}

for node in $A $B; do
	f=$CAP/$node.pcap
	[ -s "$f" ] || e2e_fail "no capture $f"
	magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
	case $magic in
	4d3cb2a1|a1b23c4d) ;;
	*) e2e_fail "$f: magic $magic is not a nanosecond pcap" ;;
	esac
	capinfos "$f" >"$E2E_TMP/capinfos" 2>&1 || e2e_fail "capinfos cannot read $f"
	grep -q 'precision: *nanoseconds' "$E2E_TMP/capinfos" ||
		e2e_fail "$f: capinfos: $(grep -i precision "$E2E_TMP/capinfos")"
	grep -q 'Strict time order: *True' "$E2E_TMP/capinfos" ||
		e2e_fail "$f: frames not in time order"
	# nanosecond digits: not every timestamp a whole microsecond
	tshark -r "$f" -T fields -e frame.time_epoch >"$E2E_TMP/times" 2>/dev/null
	whole=$(grep -c '000$' "$E2E_TMP/times")
	[ "$whole" -lt "$(wc -l <"$E2E_TMP/times")" ] ||
		e2e_fail "$f: every timestamp is a whole microsecond"
done

fa=$CAP/$A.pcap
fb=$CAP/$B.pcap
expect "$A: echo requests sent" "$(count "$fa" "icmp.type==8 && ip.src==$A4")" "$tx4"
expect "$A: echo replies got" "$(count "$fa" "icmp.type==0 && ip.dst==$A4")" "$rx4"
expect "$B: echo requests got" "$(count "$fb" "icmp.type==8 && ip.dst==$B4")" "$rx4"
expect "$B: echo replies sent" "$(count "$fb" "icmp.type==0 && ip.src==$B4")" "$rx4"
expect "$A: v6 echo requests" "$(count "$fa" "icmpv6.type==128 && ipv6.src==$A6")" "$tx6"
expect "$A: v6 echo replies" "$(count "$fa" "icmpv6.type==129 && ipv6.dst==$A6")" "$rx6"
expect "$B: v6 echo requests" "$(count "$fb" "icmpv6.type==128 && ipv6.dst==$B6")" "$rx6"
expect "$B: v6 echo replies" "$(count "$fb" "icmpv6.type==129 && ipv6.src==$B6")" "$rx6"
expect "$A: UDP sent" "$(count "$fa" "udp.dstport==9100")" "$udp_tx"
expect "$B: UDP got" "$(count "$fb" "udp.dstport==9100")" "$udp_rx"

for node in $A $B; do
	f=$CAP/$node.pcap
	total=$(count "$f" "frame")
	arp=$(count "$f" "arp")
	nd=$(count "$f" "icmpv6.type==135 || icmpv6.type==136")
	mld=$(count "$f" "icmpv6.type==143 || icmpv6.type==131 || icmpv6.type==132")
	rs=$(count "$f" "icmpv6.type==133")
	sent=$(e2e_port "$node" sent)
	recv=$(e2e_port "$node" received)
	e2e_log "$node.pcap: $total frames = summary's $sent sent +" \
		"$recv received; arp $arp, nd $nd, mld $mld, rs $rs"
	expect "$node: frames in the capture" "$total" "$((sent + recv))"
	# read from the node's namespace: 0 of 30 slow UDP datagrams refused
	expect "$node: udp-full" "$(e2e_port "$node" udp-full)" 0
done

# one-way delay between the two captures against path's
tshark -r "$fa" -Y "icmp.type==8" -T fields -e icmp.seq -e frame.time_epoch \
	2>/dev/null | sort >"$E2E_TMP/sa"
tshark -r "$fb" -Y "icmp.type==8" -T fields -e icmp.seq -e frame.time_epoch \
	2>/dev/null | sort >"$E2E_TMP/sb"
join "$E2E_TMP/sa" "$E2E_TMP/sb" | awk '{ printf "%.6f\n", ($3 - $2) * 1e3 }' \
	>"$E2E_TMP/oneway"
[ "$(wc -l <"$E2E_TMP/oneway")" -eq "$rx4" ] || e2e_fail "requests do not pair up"
ow=$(e2e_py median <"$E2E_TMP/oneway")
first=$(awk '{ print $2; exit }' "$E2E_TMP/sa")
t=$(e2e_orbit_t "$first")
e2e_path "$A" "$B" "$t" "$t" 1 >"$E2E_TMP/path"
exp=$(awk '{ printf "%.6f", $2 / 2 }' "$E2E_TMP/path")
e2e_log "one-way delay between the captures: median $ow ms, path $exp ms"
e2e_true "abs($ow - $exp) <= 0.2" ||
	e2e_fail "captured one-way delay $ow ms, path says $exp ms"

# ---- --snaplen -------------------------------------------------------------
rm -rf "$CAP"
e2e_run_start --capture "$CAP" --snaplen 100 --duration 120s
ip netns exec "$A" ping -n -c 5 -i 0.05 -s 1000 -W 3 "$B4" >/dev/null 2>&1 ||
	e2e_fail "ping with 1000 bytes failed"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
big=$(tshark -r "$CAP/$B.pcap" -Y "icmp.type==8" -T fields -e frame.len \
	-e frame.cap_len 2>/dev/null | sort -u)
[ "$big" = "$(printf '1042\t100')" ] ||
	e2e_fail "--snaplen 100: frame.len / cap_len \"$big\", expected 1042 / 100"
e2e_pass "captures hold exactly what each node sent and received"
