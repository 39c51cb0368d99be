#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_soak.sh - a long run at 60x: memory stays flat, and packets are lost
# only where paths change
#
# usage: sh scripts/bench/bench_soak.sh   (root only; SOAK_SECONDS=600 and
# SOAK_SCALE=60 by default: 10 minutes of real time, 10 hours of orbit)
#
# Two tapped ground stations under a Starlink shell (data/soak.conf): ping
# every 0.2 s and one TCP flow paced at 100 Mbit/s (iperf3 -b 100M) from
# London to New York for the whole run. The emulator's resident memory is
# sampled 10 s after the start, every minute, and at the end; with the link
# table bounded (links idle for 10 s are freed) it must level off instead
# of growing with every link the run ever used. At the end: pings answered
# and lost, TCP throughput and retransmits, route changes, and the
# summary's drops by cause. Without a loss model every drop of a packet
# should be link-down or no-route, i.e. happen at a path change; any other
# cause is printed as a finding (not-answered counts the router and
# multicast listener messages the emulator leaves unanswered, no loss).
set -u
. "$(dirname "$0")/data/lib.sh"

bl_init bench_soak
SECS=${SOAK_SECONDS:-600}
SCALE=${SOAK_SCALE:-60}
A=bench-london
B=bench-newyork

rss_kb() {
	awk "/^VmRSS:/ { print \$2 }" "/proc/$BL_LM_PID/status"
}

bl_say
bl_say "## soak: $SECS s at ${SCALE}x, ping and one TCP flow $A -> $B"
bl_lm_start soak "$BL_DATA/soak.conf" --time-scale "$SCALE"
b=$(bl_lm_addr "$B")
[ -n "$b" ] || bl_die "no address for $B in the banner"
bl_bg ip netns exec "$B" iperf3 -s -1 -p 5201 >/dev/null 2>&1
srv=$BL_LAST
bl_wait_port "$B" 5201
bl_bg ip netns exec "$A" iperf3 -c "$b" -p 5201 -t "$SECS" -b 100M -J \
	>"$BL_TMP/iperf.json" 2>&1
cli=$BL_LAST
bl_bg ip netns exec "$A" ping -n -q -i 0.2 -W 2 -w "$SECS" "$b" \
	>"$BL_TMP/ping.txt" 2>&1
png=$BL_LAST

sleep 10
rss0=$(rss_kb)
bl_say "rss after 10 s: $rss0 kB"
t=10
samples="$rss0"
while kill -0 "$png" 2>/dev/null; do
	sleep 5
	t=$((t + 5))
	if [ $((t % 60)) -eq 0 ]; then
		x=$(rss_kb)
		samples="$samples $x"
		bl_say "rss at $t s (orbit $((t * SCALE / 60)) min): $x kB"
	fi
done
wait "$png" 2>/dev/null
bl_forget "$png"
bl_reap "$cli" 30
bl_reap "$srv" 3
rss1=$(rss_kb)
bl_say "rss at the end: $rss1 kB (start $rss0 kB, growth" \
	"$((rss1 - rss0)) kB)"
bl_lm_stop

sum=$BL_TMP/soak.err
tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$BL_TMP/ping.txt")
rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$BL_TMP/ping.txt")
mbit=$(bl_json "$BL_TMP/iperf.json" \
	"'%.1f' % (j['end']['sum_received']['bits_per_second'] / 1e6)")
retr=$(bl_json "$BL_TMP/iperf.json" "j['end']['sum_sent']['retransmits']")
changes=$(sed -n 's/.*route changes \([0-9]*\).*/\1/p' "$sum")
drops=$(sed -n 's/^  dropped: *//p' "$sum")
bl_say "ping: ${tx:-?} sent, ${rx:-?} answered, $(( ${tx:-0} - ${rx:-0} )) lost"
bl_say "tcp: $mbit Mbit/s received, $retr retransmits"
bl_say "route changes: $changes; dropped: $drops"
other=$(printf '%s\n' "$drops" | tr ' ' '\n' | paste - - |
	awk '$1 != "link-down" && $1 != "no-route" && $1 != "none" &&
	     $1 != "not-answered" && $1 != "" { printf " %s %s", $1, $2 }')
if [ -n "$other" ]; then
	bl_say "finding: drops not caused by a path change:$other"
else
	bl_say "every drop happened at a path change (link-down, no-route)"
fi
bl_say "command: SOAK_SECONDS=$SECS SOAK_SCALE=$SCALE sh scripts/bench/bench_soak.sh"
