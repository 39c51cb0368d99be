#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_iperf_bdp.sh - TCP over an 11-hop, 145 ms laser path: autotuned it
# fills the 100 Mbit/s links; with iperf3 -w W it gets W / RTT to 2 W / RTT
#
# Runs scripts/demo_iperf.sh on tests/data/e2e/exi.conf (two satellites
# half a plane apart: 144.6 ms RTT; 100 Mbit/s links: BDP 1.8 MB) for 5 s
# (after 2 s left out) twice: with the kernel's buffer autotuning, and
# with -w 64K, whose window / RTT (3.6 Mbit/s) is far below the rate.
# Checks (the model: scripts/demo/iperf_model.py):
#  - autotuned: at least 85% of the goodput cap (1448/1514 of the rate,
#    95.6 Mbit/s): the window grew to the BDP (the same margin as
#    e2e_iperf_tcp.sh's 90 Mbit/s of 100, less 5% for the slower growth
#    of a window at 145 ms);
#  - -w 64K: between W / RTT and 2 W / RTT: Linux doubles a buffer set
#    with SO_RCVBUF / SO_SNDBUF (socket(7)); the receiver advertises, and
#    the sender keeps in flight, the part of the 2 W it expects to hold
#    payload. Measured here: 1.32-1.43 x W / RTT (90 KiB in flight).
#    A comparison with W / RTT within 10% fails.
. tests/e2e_lib.sh

e2e_begin e2exi tests/data/e2e/exi.conf iperf3

e2e_timing_mark
LASERMESH=$LM sh scripts/demo_iperf.sh "$E2E_CONF" 5 64K \
	>"$E2E_TMP/demo.out" 2>"$E2E_TMP/run.err" ||
	e2e_fail "demo_iperf.sh failed: $(tail -n 5 "$E2E_TMP/run.err")"
sed 's/^/  /' "$E2E_TMP/demo.out" >&2
res=$(sed -n 's/^result window=0 //p' "$E2E_TMP/demo.out")
[ -n "$res" ] || e2e_fail "no autotuned result: $(cat "$E2E_TMP/demo.out")"
eval "$res"
e2e_true "$got_mbit >= 0.85 * $hi_mbit" ||
	e2e_timing_fail "autotuned: $got_mbit Mbit/s, expected at least 85%" \
		"of $hi_mbit"
auto=$got_mbit
res=$(sed -n 's/^result window=65536 //p' "$E2E_TMP/demo.out")
[ -n "$res" ] || e2e_fail "no -w 64K result: $(cat "$E2E_TMP/demo.out")"
eval "$res"
e2e_true "$w_rtt_mbit <= $got_mbit <= 2 * $w_rtt_mbit" ||
	e2e_timing_fail "-w 64K: $got_mbit Mbit/s, expected W / RTT" \
		"($w_rtt_mbit) to twice that"
e2e_pass "145 ms path: autotuned $auto Mbit/s; -w 64K $got_mbit Mbit/s" \
	"= $(e2e_calc "round($got_mbit / $w_rtt_mbit, 3)") x W/RTT" \
	"($inflight B in flight, snd_wnd $snd_wnd B)"
