#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_floor.sh - what a user gets on sub-microsecond 800 Gbit/s hops: the emulator's floor
#
# usage: sh scripts/bench/bench_floor.sh   (root; "skipped: not root" otherwise)
# On scripts/bench/data/floor.conf (docs/examples/suncatcher.conf: hops of
# 150 m, 0.50 us, at 800 Gbit/s), beside a veth pair in the same run:
#   cpu    CPU time of lasermesh per delivered frame over one laser hop
#          (bench-75 to bench-45) and over nine (bench-75 to bench-69), with
#          20,000 60-byte UDP frames a second (iperf3 -u -b 2880k -l 18
#          -t 5); the difference over the eight extra hops is the
#          forwarder's cost per frame per hop. Then the frames per second
#          it forwards over one and nine hops when the sender sends all it
#          can (-b 0)
#   ping   the RTT ping sees (300 echoes 10 ms apart, p50 and minimum)
#          over one and nine hops, against the geometric RTT of
#          `lasermesh path` (1.0 and 9.7 us) and against veth's
#   tcp    one TCP flow (iperf3 -t 5) over one and nine hops at the
#          configured 800 Gbit/s, beside veth
# Each figure is the median of BENCH_REPS (default 3) runs with the range.
# The run banner's floor (emu/run/floor.c) quotes these figures: rerun this
# after a change to the forwarder and update both (docs/performance.md,
# "The emulator's floor").
set -u
. "$(dirname "$0")/data/lib.sh"

bl_init bench_floor
CONF=$BL_DATA/floor.conf
UDP_ARGS="-u -l 18 -t 5"
UDP_RATE="-b 2880k"

# geo A B: the geometric RTT from A to B in us over the first minute
# ("min-max" when it moves).
geo() {
	"$LM" path "$CONF" "$1" "$2" --from 0 --to 60 --step 10 |
		awk -F, 'NR > 1 { v = $2 / 1000; if (n++ == 0 || v < lo) lo = v
				  if (v > hi) hi = v }
			 END { if (lo == hi) printf "%.3f", lo
			       else printf "%.3f-%.3f", lo, hi }'
}

# ping_once NS ADDR: 300 echoes 10 ms apart; sets p to "p50 min" in us.
ping_once() {
	p=$(ip netns exec "$1" ping -n -c 300 -i 0.01 "$2" 2>/dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -g | awk '
			{ v[NR] = $1 * 1000 }
			END {
				if (NR == 0) { print "nan nan"; exit }
				m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
				printf "%.0f %.0f\n", m, v[1]
			}')
}

# iperf_once NS_SERVER NS_CLIENT ADDR OUT.json ARGS...: one iperf3 test.
iperf_once() {
	bl_bg ip netns exec "$1" iperf3 -s -1 -p 5201 >/dev/null 2>&1
	srv=$BL_LAST
	bl_wait_port "$1" 5201
	ns=$2 addr=$3 out=$4
	shift 4
	ip netns exec "$ns" iperf3 -c "$addr" -p 5201 "$@" -J >"$out" 2>&1
	bl_reap "$srv"
}

# udp_cpu TAG DEST -b RATE: one lasermesh run, 5 s of small UDP frames from
# bench-75 to DEST; sets c to lasermesh's CPU us per delivered frame and
# f to the frames delivered per second.
udp_cpu() {
	bl_lm_start "$1" "$CONF"
	d=$(bl_lm_addr "$2")
	bl_bg ip netns exec "$2" iperf3 -s -1 -p 5201 >/dev/null 2>&1
	srv=$BL_LAST
	bl_wait_port "$2" 5201
	u0=$(bl_lm_cpu)
	ip netns exec bench-75 iperf3 -c "$d" -p 5201 $UDP_ARGS "$3" "$4" -J \
		>"$BL_TMP/$1.json" 2>&1
	u1=$(bl_lm_cpu)
	bl_reap "$srv"
	bl_lm_stop
	n=$(bl_lm_sum delivered)
	f=$((n / 5))
	c=$(awk "BEGIN { printf \"%.2f\", ($u1 - $u0) * 1e6 / $BL_HZ / $n }")
}

bench_cpu() {
	bl_say
	bl_say "## CPU per frame per hop, 60-byte UDP frames (load: $(bl_load))"
	c1s="" c9s="" hs="" s1s="" s9s=""
	for r in $(seq "$BL_REPS"); do
		udp_cpu cpu1-$r bench-45 $UDP_RATE
		c1=$c f1=$f
		udp_cpu cpu9-$r bench-69 $UDP_RATE
		c9=$c f9=$f
		h=$(awk "BEGIN { printf \"%.2f\", ($c9 - $c1) / 8 }")
		udp_cpu sat1-$r bench-45 -b 0
		s1=$f
		udp_cpu sat9-$r bench-69 -b 0
		s9=$f
		bl_say "run $r: at 20,000 frames/s, 1 hop $c1 us CPU per frame" \
		       "($f1 frames/s), 9 hops $c9 us ($f9 frames/s):" \
		       "$h us per extra hop; saturated, 1 hop $s1 frames/s," \
		       "9 hops $s9 frames/s; load $(bl_load)"
		c1s="$c1s $c1" c9s="$c9s $c9" hs="$hs $h" s1s="$s1s $s1"
		s9s="$s9s $s9"
	done
	bl_say "cpu per frame, 1 hop:   $(bl_stats $c1s) us" \
	       "  [lasermesh run $CONF; ip netns exec bench-75 iperf3 -c bench-45 $UDP_ARGS $UDP_RATE]"
	bl_say "cpu per frame, 9 hops:  $(bl_stats $c9s) us  [... -c bench-69]"
	bl_say "cpu per frame per hop:  $(bl_stats $hs) us  [(9 hops - 1 hop) / 8]"
	bl_say "frames/s, 1 hop:        $(bl_stats $s1s)  [... -c bench-45 $UDP_ARGS -b 0]"
	bl_say "frames/s, 9 hops:       $(bl_stats $s9s)  [... -c bench-69 $UDP_ARGS -b 0]"
}

bench_ping() {
	bl_say
	bl_say "## ping RTT against the geometric RTT (load: $(bl_load))"
	g1=$(geo bench-75 bench-45)
	g9=$(geo bench-75 bench-69)
	vp="" vm="" p1="" m1="" p9="" m9=""
	bl_veth_up
	for r in $(seq "$BL_REPS"); do
		ping_once $BL_VA $BL_VB_IP
		set -- $p
		vp="$vp $1" vm="$vm $2"
		bl_lm_start ping-$r "$CONF"
		ping_once bench-75 "$(bl_lm_addr bench-45)"
		set -- $p
		p1="$p1 $1" m1="$m1 $2"
		ping_once bench-75 "$(bl_lm_addr bench-69)"
		set -- $p
		p9="$p9 $1" m9="$m9 $2"
		bl_lm_stop
		bl_say "run $r: ping p50 (min) veth $(echo $vp | awk '{print $NF}')," \
		       "1 hop $(echo $p1 | awk '{print $NF}') ($(echo $m1 | awk '{print $NF}'))," \
		       "9 hops $(echo $p9 | awk '{print $NF}') ($(echo $m9 | awk '{print $NF}')) us;" \
		       "release lateness p50/p99 $(bl_lm_sum late50)/$(bl_lm_sum late99) ns;" \
		       "load $(bl_load)"
	done
	bl_veth_down
	bl_say "ping veth p50:          $(bl_stats $vp) us, min $(bl_stats $vm)" \
	       "  [ip netns exec $BL_VA ping -c 300 -i 0.01 $BL_VB_IP]"
	bl_say "ping 1 hop p50:         $(bl_stats $p1) us, min $(bl_stats $m1)," \
	       "geometric $g1 us  [ip netns exec bench-75 ping -c 300 -i 0.01 bench-45]"
	bl_say "ping 9 hops p50:        $(bl_stats $p9) us, min $(bl_stats $m9)," \
	       "geometric $g9 us  [... bench-69]"
}

bench_tcp() {
	bl_say
	bl_say "## one TCP flow at the configured 800 Gbit/s (load: $(bl_load))"
	vs="" t1="" t9=""
	bl_veth_up
	for r in $(seq "$BL_REPS"); do
		iperf_once $BL_VB $BL_VA $BL_VB_IP "$BL_TMP/tv-$r.json" -t 5
		v=$(bl_json "$BL_TMP/tv-$r.json" "'%.2f' % (j['end']['sum_received']['bits_per_second'] / 1e9)")
		bl_lm_start tcp-$r "$CONF"
		iperf_once bench-45 bench-75 "$(bl_lm_addr bench-45)" \
			"$BL_TMP/t1-$r.json" -t 5
		a=$(bl_json "$BL_TMP/t1-$r.json" "'%.2f' % (j['end']['sum_received']['bits_per_second'] / 1e9)")
		iperf_once bench-69 bench-75 "$(bl_lm_addr bench-69)" \
			"$BL_TMP/t9-$r.json" -t 5
		b=$(bl_json "$BL_TMP/t9-$r.json" "'%.2f' % (j['end']['sum_received']['bits_per_second'] / 1e9)")
		bl_lm_stop
		bl_say "run $r: veth $v, 1 hop $a, 9 hops $b Gbit/s" \
		       "(overrun $(bl_lm_sum overrun)); load $(bl_load)"
		vs="$vs $v" t1="$t1 $a" t9="$t9 $b"
	done
	bl_veth_down
	bl_say "tcp veth pair:          $(bl_stats $vs) Gbit/s" \
	       "  [ip netns exec $BL_VA iperf3 -c $BL_VB_IP -t 5]"
	bl_say "tcp 1 hop at 800gbit:   $(bl_stats $t1) Gbit/s" \
	       "  [ip netns exec bench-75 iperf3 -c bench-45 -t 5]"
	bl_say "tcp 9 hops at 800gbit:  $(bl_stats $t9) Gbit/s  [... -c bench-69]"
}

for s in ${*:-cpu ping tcp}; do
	case $s in
	cpu) bench_cpu ;;
	ping) bench_ping ;;
	tcp) bench_tcp ;;
	*) bl_die "unknown section \"$s\" (cpu, ping, tcp)" ;;
	esac
done
