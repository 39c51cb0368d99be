#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_queue.sh - a queue overflow shows up as counted drops, as many as
# the datagrams the receiver missed
#
# The laser links run at 10 Mbit/s with a 10-packet queue; iperf3 sends
# UDP at 50 Mbit/s for 2 s to the neighbouring satellite. The summary must
# count queue drops; iperf3's lost datagrams must equal them (up to the
# few packets of iperf3's own TCP control connection that the full queue
# may also drop), and the loss must be what the rate allows: all but
# 10 Mbit/s of 1,242-byte frames (1,200 bytes of payload).
. tests/e2e_lib.sh

e2e_begin e2ee tests/data/e2e/ee.conf iperf3
A=ee-0-0
B=ee-0-1

e2e_run_start --duration 120s
dst=$(e2e_addr "$B" 4)
e2e_iperf_server "$B"
e2e_iperf "$A" "$dst" -u -b 50M -l 1200 -t 2
set -- $("$PY" - "$E2E_TMP/iperf.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum"]
print(s["packets"], s["lost_packets"], "%.3f" % s["seconds"],
      "%.2f" % s["lost_percent"])
PYEOF
)
pkts=$1
lost=$2
secs=$3
pct=$4
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
q=$(e2e_drops queue)
# what 10 Mbit/s lets through of the offered datagrams
exp=$(e2e_calc "round(100 * (1 - 10e6 / (1242 * 8) * $secs / $pkts), 2)")
e2e_log "iperf3 UDP 50 Mbit/s into 10 Mbit/s: $pkts datagrams, $lost lost" \
	"($pct%, expected about $exp%); summary queue drops $q"
[ "$q" -gt 0 ] || e2e_fail "the summary counts no queue drop"
e2e_true "abs($pct - $exp) <= 5" ||
	e2e_fail "iperf3 lost $pct%, the rate allows $exp% (+-5)"
e2e_true "0 <= $q - $lost <= 10 + $pkts / 100" ||
	e2e_fail "queue drops $q do not match iperf3's $lost lost datagrams"
e2e_pass "queue overflow counted: $q drops for $lost lost datagrams"
