#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_dataplane.sh - lasermesh data-plane figures beside a veth pair, same run
#
# usage: sh scripts/bench/bench_dataplane.sh [tcp] [udp] [udpprof] [delay]
#        [scale] (default: all five). Root only: prints "skipped: not root" otherwise.
#   tcp    one TCP flow (iperf3 -t 5) through one emulated hop with 40 ns of
#          light and no rate limit, beside a plain veth pair
#   udp    18-byte UDP payloads (60-byte frames, 64 with the FCS) from
#          iperf3 -u -b 0: frames the emulator forwarded and the receiver
#          got per second, and the datagrams the receiver's full socket
#          refused (UDP RcvbufErrors), beside the veth pair with the same
#          sender
#   udpprof where lasermesh's CPU goes in that flood (perf record)
#   delay  error of the one-way delay on a 10 ms two-hop path against the
#          geometric value (lasermesh path), idle and with half the path's
#          1 Gbit/s as background UDP in the other direction, with and
#          without --spin, with and without the kernel's send times
#          (BENCH_DELAY_OPTS: |-separated option sets), beside the same
#          probes over veth; first the machine's own timer wake-ups
#          (build/bench/bench_stalls), and with BENCH_STALLS=1 the stalls
#          during each lasermesh run and which late probes fell in one
#   (BENCH_TCP_OPTS, BENCH_UDP_OPTS: lasermesh's options in those sections)
#   scale  start-up (launch to "ready") and teardown (SIGTERM to exit) for
#          100, 1,000 and 5,000 tapped nodes (BENCH_SCALE_NODES), the disk
#          space their hosts files take under /etc/netns while up, and what
#          is left afterwards
# Each figure is the median of BENCH_REPS (default 3) runs with the range.
# Configurations are under scripts/bench/data/; every namespace made here is
# called lmb-* or bench-* and removed at the end (trap + lasermesh cleanup).
set -u
. "$(dirname "$0")/data/lib.sh"

bl_init bench_dataplane
sections=${*:-tcp udp udpprof delay scale}
OWD="$BL_PY $BL_DATA/owd.py"

# ---- one TCP flow ------------------------------------------------------------

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

TCP_LM_OPTS=${BENCH_TCP_OPTS:-}	# lasermesh's options for these runs

# tcp_once NS_SERVER NS_CLIENT ADDR OUT.json: one iperf3 -t 5 flow; sets v
# to its Gbit/s.
tcp_once() {
	iperf_once "$@" -t 5
	v=$(bl_json "$4" "'%.2f' % (j['end']['sum_received']['bits_per_second'] / 1e9)")
}

bench_tcp() {
	bl_say
	bl_say "## one TCP flow, one hop, no delay, no rate limit (load: $(bl_load))"
	veth="" lm="" frames=""
	bl_veth_up
	for r in $(seq "$BL_REPS"); do
		tcp_once $BL_VB $BL_VA $BL_VB_IP "$BL_TMP/tcp-veth-$r.json"
		vv=$v
		bl_lm_start tcp-$r "$BL_DATA/onehop.conf" $TCP_LM_OPTS
		b=$(bl_lm_addr bench-b)
		tcp_once bench-b bench-a "$b" "$BL_TMP/tcp-lm-$r.json"
		m=$v
		v=$vv
		bl_lm_stop
		# bytes per frame read from bench-a: TSO super-frames pass through
		fr=$(awk '$1 == "bench-a" && NF == 7 { printf "%.0f", $3 / $2 }' \
		     "$BL_TMP/tcp-$r.err")
		bl_say "run $r: veth $v Gbit/s, lasermesh $m Gbit/s" \
		       "(bytes/frame $fr, release lateness p50/p99" \
		       "$(bl_lm_sum late50)/$(bl_lm_sum late99) ns," \
		       "overrun $(bl_lm_sum overrun)); load $(bl_load)"
		veth="$veth $v" lm="$lm $m" frames="$frames $fr"
	done
	bl_veth_down
	bl_say "tcp veth pair:       $(bl_stats $veth) Gbit/s" \
	       "  [ip netns exec $BL_VA iperf3 -c $BL_VB_IP -t 5]"
	bl_say "tcp lasermesh 1 hop: $(bl_stats $lm) Gbit/s" \
	       "  [$BL_LM_CMD; ip netns exec bench-a iperf3 -c $b -t 5]" \
	       "(target >= 7)"
	bl_say "tcp lasermesh bytes per frame from the sender's TAP: $(bl_stats $frames)"
}

# ---- small UDP frames ------------------------------------------------------------

UDP_ARGS="-u -b 0 -l 18 -t 5"
UDP_LM_OPTS=${BENCH_UDP_OPTS:-}	# lasermesh's options for these runs

# cpu_s FILE: user + system seconds from /usr/bin/time -f %U+%S, or nan.
cpu_s() {
	tail -n 1 "$1" 2>/dev/null | awk -F+ 'NF == 2 { printf "%.2f", $1 + $2; ok = 1 }
		END { if (!ok) print "nan" }'
}

# udp_snmp NS: "InDatagrams RcvbufErrors" of UDP in namespace NS so far.
udp_snmp() {
	ip netns exec "$1" cat /proc/net/snmp | awk '
		$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) k[$i] = i; h = 1; next }
		$1 == "Udp:" { print $k["InDatagrams"], $k["RcvbufErrors"] }'
}

# udp_once NS_SERVER NS_CLIENT ADDR OUT.json: sets u to "sent/s received/s",
# and why to "rcvbuf/s receiver-CPU sender-CPU": datagrams the receiver's
# socket refused (full buffer) per second, and the CPU time (s) that
# iperf3 receiver and sender used over the test.
# With PIN set (a CPU number), sender and receiver run on that CPU.
udp_once() {
	_rt="" _st=""
	if [ -x /usr/bin/time ]; then
		_rt="/usr/bin/time -f %U+%S -o $4.rt"
		_st="/usr/bin/time -f %U+%S -o $4.st"
	fi
	bl_bg ip netns exec "$1" ${PIN:+taskset -c $PIN} $_rt \
		iperf3 -s -1 -p 5201 >/dev/null 2>&1
	srv=$BL_LAST
	bl_wait_port "$1" 5201
	s0=$(udp_snmp "$1")
	ip netns exec "$2" ${PIN:+taskset -c $PIN} $_st \
		iperf3 -c "$3" -p 5201 $UDP_ARGS -J >"$4" 2>&1
	bl_reap "$srv"
	s1=$(udp_snmp "$1")
	u=$(bl_json "$4" "'%.0f %.0f' % (j['end']['sum_sent']['packets'] / j['end']['sum_sent']['seconds'], (j['end']['sum_received']['packets'] - j['end']['sum_received']['lost_packets']) / j['end']['sum_received']['seconds'])")
	why="$(( ($(echo $s1 | cut -d' ' -f2) - $(echo $s0 | cut -d' ' -f2)) / 5 ))"
	why="$why $(cpu_s "$4.rt") $(cpu_s "$4.st")"
}

# udp_bench LABEL: PIN empty = scheduler's choice; PIN=0 = sender and
# receiver on CPU 0, lasermesh (both threads) on CPU 1.
udp_bench() {
	label=$1
	vs="" vr="" ls="" lf="" lr="" lo="" lc="" vq="" lq=""
	bl_veth_up
	for r in $(seq "$BL_REPS"); do
		udp_once $BL_VB $BL_VA $BL_VB_IP "$BL_TMP/udp-veth-$label-$r.json"
		set -- $u $why
		vs="$vs $1" vr="$vr $2" vq="$vq $3"
		rv="veth sent $1/s, received $2/s (receiver's socket full: $3/s;"
		rv="$rv CPU s receiver $4, sender $5)"
		BL_LM_PREFIX=${PIN:+taskset -c 1}
		bl_lm_start udp-$label-$r "$BL_DATA/onehop.conf" $UDP_LM_OPTS
		BL_LM_PREFIX=
		b=$(bl_lm_addr bench-b)
		c0=$(bl_lm_cpu)
		udp_once bench-b bench-a "$b" "$BL_TMP/udp-lm-$label-$r.json"
		c1=$(bl_lm_cpu)
		bl_lm_stop
		set -- $u $why
		lq="$lq $3"
		rw="receiver's socket full: $3/s; CPU s receiver $4, sender $5"
		# delivered frames over the 5 s of sending (control frames of
		# iperf3 are a few dozen)
		d=$(bl_lm_sum delivered)
		f=$((d / 5))
		o=$(($(bl_lm_sum overrun) / 5))
		# CPU time of lasermesh per delivered frame, in us
		c=$(awk "BEGIN { printf \"%.2f\", ($c1 - $c0) * 1e6 / $BL_HZ / $d }")
		ls="$ls $1" lr="$lr $2" lf="$lf $f" lo="$lo $o" lc="$lc $c"
		bl_say "run $r ($label): $rv; lasermesh sent $1/s," \
		       "forwarded $f/s, received $2/s ($rw), overrun $o/s," \
		       "$c us CPU per frame, release lateness p50/p99" \
		       "$(bl_lm_sum late50)/$(bl_lm_sum late99) ns; load $(bl_load)"
	done
	bl_veth_down
	pin=${PIN:+taskset -c $PIN }
	bl_say "udp $label veth pair sent:         $(bl_stats $vs) frames/s" \
	       "  [ip netns exec $BL_VA ${pin}iperf3 -c $BL_VB_IP $UDP_ARGS]"
	bl_say "udp $label veth pair received:     $(bl_stats $vr) frames/s"
	bl_say "udp $label lasermesh sent:         $(bl_stats $ls) frames/s" \
	       "  [$BL_LM_CMD; ip netns exec bench-a ${pin}iperf3 -c $b $UDP_ARGS]"
	bl_say "udp $label lasermesh forwarded:    $(bl_stats $lf) frames/s" \
	       "(summary: delivered / 5 s; target >= 100000)"
	bl_say "udp $label lasermesh received:     $(bl_stats $lr) frames/s" \
	       "($(awk "BEGIN { printf \"%.2f\", $(bl_median $lr) / $(bl_median $vr) }")x veth's; target >= 0.8x)"
	bl_say "udp $label receiver's socket full, veth: $(bl_stats $vq) frames/s;" \
	       "lasermesh: $(bl_stats $lq) frames/s  [UDP RcvbufErrors in" \
	       "the receiver's namespace, /proc/net/snmp, over the 5 s]"
	bl_say "udp $label lasermesh TAP overrun:  $(bl_stats $lo) frames/s" \
	       "(dropped by the kernel: the emulator was behind)"
	bl_say "udp $label lasermesh CPU per frame: $(bl_stats $lc) us" \
	       "(user + system time of lasermesh over the test / delivered;" \
	       "includes the receiver's kernel path run inside its write())"
}

bench_udp() {
	bl_say
	bl_say "## 60-byte UDP frames (18-byte payload), iperf3 $UDP_ARGS (load: $(bl_load))"
	PIN=
	udp_bench unpinned
	PIN=0
	udp_bench pinned
	PIN=
}

# Where lasermesh's CPU goes in the same flood: perf(1) samples its
# threads for 4 s of one run (unpinned) and reports the share of its
# samples in each part (inclusive, call graphs): the TAP write and, inside
# it, the receiver's kernel path; the TAP read; waiting in epoll; and its
# own code.
bench_udpprof() {
	command -v perf >/dev/null 2>&1 || {
		bl_say "udpprof: skipped: no perf (Debian's linux-perf)"
		return 0
	}
	bl_say
	bl_say "## where lasermesh's CPU goes, 60-byte UDP flood, perf record -g -F 4999 over 4 s (load: $(bl_load))"
	bl_lm_start udpprof "$BL_DATA/onehop.conf" $UDP_LM_OPTS
	b=$(bl_lm_addr bench-b)
	bl_bg ip netns exec bench-b iperf3 -s -1 -p 5201 >/dev/null 2>&1
	srv=$BL_LAST
	bl_wait_port bench-b 5201
	bl_bg perf record -q -F 4999 -g -p "$BL_LM_PID" -o "$BL_TMP/perf.data" \
		-- sleep 4
	rec=$BL_LAST
	ip netns exec bench-a iperf3 -c "$b" -p 5201 $UDP_ARGS -J \
		>"$BL_TMP/udpprof.json" 2>&1
	bl_reap "$rec" 10
	bl_reap "$srv"
	bl_lm_stop
	perf report -i "$BL_TMP/perf.data" --children --sort sym --stdio \
		-g none 2>/dev/null >"$BL_TMP/perf.txt"
	perf report -i "$BL_TMP/perf.data" --no-children --sort dso --stdio \
		-g none 2>/dev/null >"$BL_TMP/perf-dso.txt"
	# share: the inclusive percentage of symbol $1 (0 if absent)
	share() {
		awk -v s="$1" '$1 ~ /%$/ && $NF == s { sub("%", "", $1); print $1; f = 1; exit }
			END { if (!f) print 0 }' "$BL_TMP/perf.txt"
	}
	own=$(awk '$1 ~ /%$/ && $2 == "lasermesh" { sub("%", "", $1); print $1; f = 1 }
		END { if (!f) print 0 }' "$BL_TMP/perf-dso.txt")
	bl_say "udpprof: share of lasermesh's samples: write() $(share __GI___libc_write)%" \
	       "(the receiver's kernel path inside it, netif_receive_skb," \
	       "$(share netif_receive_skb)%; waking the receiver," \
	       "sock_def_readable, $(share sock_def_readable)%)," \
	       "read() $(share read)%, epoll_wait $(share epoll_wait)%," \
	       "lasermesh's own code $own%" \
	       "[perf record -F 4999 -g -p PID -- sleep 4; perf report --children --sort sym -g none]"
}

# ---- one-way delay error ---------------------------------------------------------

DELAY_PROBES=3000		# one per ms on average
DELAY_SIZE=64			# UDP payload: 106-byte frames
DELAY_LOAD="-u -b 500M -l 1400 -t 5"	# half of the 1 Gbit/s links
# lasermesh's options in each variant, |-separated ("default": none)
DELAY_OPTS=${BENCH_DELAY_OPTS:-"--no-stamps|default|--no-stamps --spin 100us|--spin auto"}

# The machine's own wake-up floor (scripts/bench/bench_stalls.c): printed
# before the delay runs and, with BENCH_STALLS=1, also recorded during
# each lasermesh probe run, to ask which late probes fell in a stall.
STALLS_BIN=${BENCH_STALLS_BIN:-$BL_ROOT/build/bench/bench_stalls}
STALLS_DURING=${BENCH_STALLS:-0}
STALLS_PID=""

# stalls_start FILE: watch for stalls until stalls_stop (BENCH_STALLS=1).
stalls_start() {
	STALLS_PID=""
	[ "$STALLS_DURING" = 1 ] && [ -x "$STALLS_BIN" ] || return 0
	bl_bg "$STALLS_BIN" 60 1000 99 "$1" 50 >"$1.sum"
	STALLS_PID=$BL_LAST
}

stalls_stop() {
	[ -n "$STALLS_PID" ] || return 0
	kill -TERM "$STALLS_PID" 2>/dev/null
	bl_reap "$STALLS_PID" 5
	STALLS_PID=""
}

# probe_once NS_TX NS_RX ADDR_RX OUT [BG_NS_SERVER BG_NS_CLIENT BG_ADDR]:
# 3,000 probes (3 s), optionally with iperf3 UDP running the other way.
probe_once() {
	out=$4
	bg=""
	if [ $# -ge 7 ]; then
		bl_bg ip netns exec "$5" iperf3 -s -1 -p 5202 >/dev/null 2>&1
		bgs=$BL_LAST
		bl_wait_port "$5" 5202
		bl_bg ip netns exec "$6" iperf3 -c "$7" -p 5202 $DELAY_LOAD \
			-J >"$out.load.json" 2>&1
		bg=$BL_LAST
		sleep 0.5
	fi
	bl_bg ip netns exec "$2" $OWD recv 9000 "$out" $DELAY_PROBES 20
	rx=$BL_LAST
	bl_wait_port "$2" 9000 udp
	ip netns exec "$1" $OWD send "$3" 9000 $DELAY_PROBES 1000 $DELAY_SIZE
	bl_reap "$rx" 5
	if [ -n "$bg" ]; then
		bl_reap "$bg" 10
		bl_reap "$bgs"
	fi
}

# field KEY LINE: the value of KEY=value in an owd.py error line.
field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# delay_report LABEL COMMAND LINES...: medians over the runs of p50, p99,
# |error| p50 and p99.
delay_report() {
	label=$1 cmd=$2
	shift 2
	p50="" p99="" a50="" a99="" n=""
	for l in "$@"; do
		p50="$p50 $(field p50 "$l")" p99="$p99 $(field p99 "$l")"
		a50="$a50 $(field abs_p50 "$l")" a99="$a99 $(field abs_p99 "$l")"
	done
	bl_say "$label signed error p50: $(bl_stats $p50) us; p99: $(bl_stats $p99) us"
	bl_say "$label |error| p50: $(bl_stats $a50) us; p99: $(bl_stats $a99) us  [$cmd]"
}

# stalls_say LABEL PROBES STALLS T0 EXTRA: the stalls seen during a probe
# run, and how many probes over 100 us late were in flight during one.
stalls_say() {
	[ -f "$3" ] || return 0
	bl_say "  stalls during $1: $(sed -n 's/^stalls all: //p' "$3.sum");" \
	       "probes over 100 us late: $($OWD stalls "$2" "$4" "$5" \
					   "$BL_TMP/path.csv" "$3" 100)"
}

bench_delay() {
	cfg=$BL_DATA/delay.conf
	a=bench-0-0 z=bench-2-0
	bl_say
	bl_say "## one-way delay error, $a -> $z (2 laser hops, about 10 ms), $DELAY_PROBES probes of $DELAY_SIZE bytes 0.5-1.5 ms apart per run (load: $(bl_load))"
	bl_say "# error = (kernel receive time - send time) - (modelled serialisation" \
	       "+ RTT/2 of lasermesh path at the probe's orbital time), signed: positive = late"
	"$LM" path "$cfg" $a $z --from 0 --to 120 --step 0.1 \
		>"$BL_TMP/path.csv" || bl_die "lasermesh path failed"
	hops=$(awk -F, 'NR == 2 { print gsub(/bench-/, "", $3) - 1 }' \
	       "$BL_TMP/path.csv")
	paths=$(awk -F, 'NR > 1 { print $3 }' "$BL_TMP/path.csv" | sort -u |
		wc -l)
	[ "$paths" = 1 ] || bl_say "# warning: the path changes in the window"
	# modelled serialisation: ceil(frame bits / 1 Gbit/s) per hop
	extra=$((hops * (DELAY_SIZE + 42) * 8))
	bl_say "# path $(awk -F, 'NR == 2 { print $3 }' "$BL_TMP/path.csv")," \
	       "one-way $(awk -F, 'NR == 2 { printf "%.3f", $2 / 2e6 }' "$BL_TMP/path.csv") ms at t=0," \
	       "serialisation $extra ns"

	if [ -x "$STALLS_BIN" ]; then
		bl_say "# this machine's timer wake-ups over 10 s (a SCHED_FIFO 99" \
		       "thread per CPU, every 1 ms; nothing else of ours running):"
		"$STALLS_BIN" 10 1000 99 | sed -n 's/^stalls all: /# wake-ups: /p'
	else
		bl_say "# (no $STALLS_BIN: make build/bench/bench_stalls for the machine's wake-up floor)"
	fi

	# baseline: the same probes over the veth pair (expected delay 0)
	bl_veth_up
	vi="" vl=""
	for r in $(seq "$BL_REPS"); do
		probe_once $BL_VA $BL_VB $BL_VB_IP "$BL_TMP/veth-idle-$r"
		l=$($OWD error "$BL_TMP/veth-idle-$r" 0 0)
		bl_say "veth idle run $r: $l"
		vi="$vi|$l"
		probe_once $BL_VA $BL_VB $BL_VB_IP "$BL_TMP/veth-load-$r" \
			$BL_VA $BL_VB $BL_VA_IP
		l=$($OWD error "$BL_TMP/veth-load-$r" 0 0)
		bl_say "veth load run $r: $l"
		vl="$vl|$l"
	done
	bl_veth_down
	# the commands of one run, for the report
	rx_cmd="python3 $BL_DATA/owd.py recv 9000 FILE $DELAY_PROBES 20"
	tx_cmd="python3 $BL_DATA/owd.py send"
	tx_arg="9000 $DELAY_PROBES 1000 $DELAY_SIZE"
	IFS='|'
	set -- ${vi#|}
	unset IFS
	delay_report "delay veth idle:" "ip netns exec $BL_VB $rx_cmd &"\
" ip netns exec $BL_VA $tx_cmd $BL_VB_IP $tx_arg;"\
" python3 $BL_DATA/owd.py error FILE 0 0" "$@"
	IFS='|'
	set -- ${vl#|}
	unset IFS
	delay_report "delay veth half load:" "same, with iperf3 $DELAY_LOAD the other way" "$@"

	IFS='|'
	set -- $DELAY_OPTS
	unset IFS
	for spin in "$@"; do
		[ "$spin" = default ] && spin=""
		tag=$(printf '%s' "${spin:-default}" | tr -c 'a-z0-9' '_')
		li="" ll=""
		for r in $(seq "$BL_REPS"); do
			bl_lm_start delay-$tag-$r "$cfg" $spin
			t0=$BL_LM_T0
			aa=$(bl_lm_addr $a)
			za=$(bl_lm_addr $z)
			stalls_start "$BL_TMP/st-$tag-idle-$r"
			probe_once $a $z "$za" "$BL_TMP/lm-$tag-idle-$r"
			stalls_stop
			stalls_start "$BL_TMP/st-$tag-load-$r"
			probe_once $a $z "$za" "$BL_TMP/lm-$tag-load-$r" \
				$a $z "$aa"
			stalls_stop
			bl_lm_stop
			l=$($OWD error "$BL_TMP/lm-$tag-idle-$r" "$t0" "$extra" \
			    "$BL_TMP/path.csv")
			bl_say "lasermesh $tag idle run $r: $l"
			stalls_say "$tag idle run $r" "$BL_TMP/lm-$tag-idle-$r" \
				"$BL_TMP/st-$tag-idle-$r" "$t0" "$extra"
			li="$li|$l"
			l=$($OWD error "$BL_TMP/lm-$tag-load-$r" "$t0" "$extra" \
			    "$BL_TMP/path.csv")
			bl_say "lasermesh $tag load run $r: $l (whole run:" \
			       "release lateness p50/p99/max" \
			       "$(bl_lm_sum late50)/$(bl_lm_sum late99)/$(bl_lm_sum latemax) ns," \
			       "overrun $(bl_lm_sum overrun)); load $(bl_load)"
			stalls_say "$tag load run $r" "$BL_TMP/lm-$tag-load-$r" \
				"$BL_TMP/st-$tag-load-$r" "$t0" "$extra"
			ll="$ll|$l"
		done
		cmd="$BL_LM_CMD; ip netns exec $z $rx_cmd &"\
" ip netns exec $a $tx_cmd $za $tx_arg;"\
" lasermesh path $cfg $a $z --from 0 --to 120 --step 0.1 >PATH;"\
" python3 $BL_DATA/owd.py error FILE T0 $extra PATH"
		# where the time goes: one more idle run with captures, whose
		# timestamps are a frame's start (its send time, or when
		# lasermesh read it) and when lasermesh wrote it
		bl_lm_start delay-$tag-cap "$cfg" $spin --capture "$BL_TMP/cap"
		t0=$BL_LM_T0
		probe_once $a $z "$(bl_lm_addr $z)" "$BL_TMP/lm-$tag-cap"
		capcmd=$BL_LM_CMD
		bl_lm_stop
		bl_say "delay lasermesh ${spin:-default} idle, split:" \
		       "$($OWD split "$BL_TMP/lm-$tag-cap" "$BL_TMP/cap/$a.pcap" \
			  "$BL_TMP/cap/$z.pcap" "$t0" "$extra" "$BL_TMP/path.csv")" \
		       "(release lateness p50/p99 $(bl_lm_sum late50)/$(bl_lm_sum late99) ns)" \
		       "[$capcmd]"
		rm -rf "$BL_TMP/cap"
		IFS='|'
		set -- ${li#|}
		unset IFS
		delay_report "delay lasermesh ${spin:-default} idle:" "$cmd" "$@"
		IFS='|'
		set -- ${ll#|}
		unset IFS
		delay_report "delay lasermesh ${spin:-default} half load:" \
			"same, with ip netns exec $z iperf3 -c $aa $DELAY_LOAD" "$@"
	done
	bl_say "(targets: p50 <= 20 us, p99 <= 100 us)"
	bl_say "# split: in = the frame's start in lasermesh (the kernel's send" \
	       "time, or when it read the frame with --no-stamps) - sent; mesh =" \
	       "lasermesh wrote it - start - expected; out = kernel receive time - lasermesh wrote it" \
	       "(negative: the receiver's stack runs inside lasermesh's write())"
}

# ---- start-up and teardown -----------------------------------------------------------

# What a run left: namespaces, hosts files and markers called bench-*,
# and the run file of process $1.
leftovers() {
	k=$(ls /run/netns 2>/dev/null | grep -c '^bench-')
	k=$((k + $(ls /etc/netns 2>/dev/null | grep -c '^bench-')))
	k=$((k + $(ls /run/lasermesh/netns 2>/dev/null | grep -c '^bench-')))
	[ -e "/run/lasermesh/$1.run" ] && k=$((k + 1))
	echo "$k"
}

# ip_baseline N: create then delete N empty namespaces with `ip -batch`
# (the kernel's share: no TAP, address or route); sets bu and bd (s).
ip_baseline() {
	: >"$BL_TMP/add" && : >"$BL_TMP/del"
	for k in $(seq "$1"); do
		echo "netns add lmb-s-$k" >>"$BL_TMP/add"
		echo "netns del lmb-s-$k" >>"$BL_TMP/del"
		BL_NETNS="$BL_NETNS lmb-s-$k"
	done
	t=$(bl_now_ns)
	ip -batch "$BL_TMP/add" || bl_die "ip -batch netns add failed"
	t1=$(bl_now_ns)
	ip -batch "$BL_TMP/del" || bl_die "ip -batch netns del failed"
	t2=$(bl_now_ns)
	BL_NETNS=$(printf '%s\n' $BL_NETNS | grep -v '^lmb-s-' | tr '\n' ' ')
	bu=$(awk "BEGIN { printf \"%.2f\", ($t1 - $t) / 1e9 }")
	bd=$(awk "BEGIN { printf \"%.2f\", ($t2 - $t1) / 1e9 }")
}

# Disk space (KiB, du: a file with many links counts once) under /etc/netns.
etc_kib() {
	du -sk /etc/netns 2>/dev/null | cut -f1 || echo 0
}

bench_scale() {
	bl_say
	bl_say "## start-up and teardown (load: $(bl_load))"
	for n in ${BENCH_SCALE_NODES:-100 1000 5000}; do
		up="" down="" left="" bup="" bdown="" disk=""
		# the kernel frees deleted namespaces in the background for a
		# few seconds: let it finish before the next measurement
		settle=$((n / 333 + 1))
		for r in $(seq "$BL_REPS"); do
			ip_baseline $n
			bup="$bup $bu" bdown="$bdown $bd"
			sleep $settle
			BL_READY_TIMEOUT=600
			k0=$(etc_kib)
			bl_lm_start scale$n-$r "$BL_DATA/scale$n.conf"
			have=$(ls /run/netns 2>/dev/null | grep -c '^bench-')
			kb=$(($(etc_kib) - k0))
			pid=$BL_LM_PID
			bl_lm_stop
			u=$(awk "BEGIN { printf \"%.2f\", $BL_LM_UP_NS / 1e9 }")
			d=$(awk "BEGIN { printf \"%.2f\", $BL_LM_DOWN_NS / 1e9 }")
			lo=$(leftovers "$pid")
			sleep $settle
			bl_say "run $r: $n nodes ($have namespaces while up):" \
			       "start-up $u s, teardown $d s (exit $BL_LM_RC)," \
			       "hosts files $kb KiB in /etc/netns," \
			       "left behind $lo; ip -batch: $n empty namespaces" \
			       "added in $bu s, deleted in $bd s; load $(bl_load)"
			up="$up $u" down="$down $d" left="$left $lo"
			disk="$disk $kb"
		done
		bl_say "start-up $n nodes:  $(bl_stats $up) s  [$BL_LM_CMD, launch to the line starting with \"ready\"]"
		bl_say "teardown $n nodes:  $(bl_stats $down) s  [SIGTERM to exit] (target <= 30 s for 1,000)"
		bl_say "baseline $n empty namespaces: add $(bl_stats $bup) s," \
		       "delete $(bl_stats $bdown) s  [ip -batch FILE with" \
		       "$n lines netns add NAME, then $n lines netns del NAME]"
		bl_say "hosts files $n nodes: $(bl_stats $disk) KiB  [du -sk" \
		       "/etc/netns while up, minus before]"
		bl_say "left behind $n nodes: $(bl_stats $left) (namespaces, /etc/netns" \
		       "files, markers and run files)"
	done
}

for s in $sections; do
	case $s in
	tcp) bench_tcp ;;
	udp) bench_udp ;;
	udpprof) bench_udpprof ;;
	delay) bench_delay ;;
	scale) bench_scale ;;
	*) bl_die "unknown section \"$s\" (tcp, udp, udpprof, delay or scale)" ;;
	esac
done
bl_say
bl_say "# load after: $(bl_load)"
