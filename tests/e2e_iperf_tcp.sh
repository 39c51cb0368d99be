#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_iperf_tcp.sh - one TCP flow fills a 100 Mbit/s laser path: iperf3
# measures 90-100 Mbit/s
#
# Every laser link runs at 100 Mbit/s; the two tapped satellites are two
# hops apart (26 ms RTT). iperf3 sends for 5 s after a 1 s warm-up that it
# leaves out (slow start); what the receiver got must be at least 90 and at
# most 100 Mbit/s (goodput: headers take about 5% of the wire rate).
. tests/e2e_lib.sh

e2e_begin e2ec tests/data/e2e/ec.conf iperf3
A=ec-0-0
B=ec-0-2

e2e_run_start --duration 120s
dst=$(e2e_addr "$B" 4)
e2e_iperf_server "$B"
e2e_iperf "$A" "$dst" -t 5 -O 1
set -- $("$PY" - "$E2E_TMP/iperf.json" <<'PYEOF'
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%.2f %.2f %d" % (e["sum_received"]["bits_per_second"] / 1e6,
                        e["sum_sent"]["bits_per_second"] / 1e6,
                        e["sum_sent"].get("retransmits", -1)))
PYEOF
)
rx=$1
tx=$2
retr=$3
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
e2e_log "iperf3 TCP over a 100 Mbit/s path: received $rx Mbit/s" \
	"(sent $tx, $retr retransmits); emulator drops: queue" \
	"$(e2e_drops queue), overrun $(e2e_overrun)"
e2e_true "90 <= $rx <= 100" ||
	e2e_timing_fail "received $rx Mbit/s, expected 90-100 Mbit/s"
e2e_pass "TCP fills the 100 Mbit/s bottleneck ($rx Mbit/s)"
