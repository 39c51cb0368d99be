#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_route_change.sh - route changes during a run are seen by running
# flows, which survive them
#
# Two ground stations under a 24 x 22 shell, orbital time 50 times faster
# than the wall clock: their lowest-latency path changes every few seconds
# (ground-station hand-overs). For 10 s a ping (every 20 ms) and a paced
# TCP flow (iperf3, 20 Mbit/s in 4 KiB writes, so that queues stay short)
# run between them.
# Checks:
#  - `lasermesh path` over the same window changes path at least 3 times,
#    and the summary counts two route changes (one per direction) for each;
#  - each ping's RTT is path's RTT at the moment it left: median error
#    under 0.5 ms, 80% within 1 ms, over at least 3 different paths, and
#    the RTT changes by more than 3 ms across the window;
#  - the ping loses at most 5%, and the TCP flow moves data in every
#    second and ends normally with at least 15 Mbit/s.
. tests/e2e_lib.sh

e2e_begin e2ef tests/data/e2e/ef.conf iperf3
A=e2ef-a
B=e2ef-b
SCALE=50

e2e_run_start --time-scale $SCALE --duration 3000s
dst=$(e2e_addr "$B" 4)
e2e_iperf_server "$B"
ip netns exec "$A" ping -n -c 1 -W 3 "$dst" >/dev/null ||
	e2e_fail "$A cannot ping $B"
e2e_bg ip netns exec "$A" iperf3 -c "$dst" -p 5201 -b 20M -l 4K -t 10 -i 1 -J \
	>"$E2E_TMP/iperf.json" 2>"$E2E_TMP/iperf.err"
CLI=$E2E_LAST
ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dst" 500 0.02 \
	>"$E2E_TMP/rtt" 2>"$E2E_TMP/ping.err" || e2e_fail "ping failed"
wait "$CLI"
cli_rc=$?
wait "$E2E_IPERF_SRV"
t2=$(e2e_now)
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

# path over the whole run, at the routing step
to=$(e2e_calc "round(($t2 - $E2E_READY) * $SCALE, 1)")
e2e_path "$A" "$B" 0 "$to" 0.1 >"$E2E_TMP/path"
changes=$(cut -d' ' -f3- "$E2E_TMP/path" | uniq | wc -l)
changes=$((changes - 1))
rc_sum=$(e2e_stat "route changes")
set -- $(cat "$E2E_TMP/ping.err")
sent=$1
got=$2
set -- $(e2e_py align "$E2E_TMP/path" "$E2E_TMP/rtt" "$E2E_READY" $SCALE)
off=$1
err=$2
within=$3
paths=$5
span=$(sort -k3 -n "$E2E_TMP/rtt" | awk 'NR == 1 { lo = $3 } { hi = $3 }
	END { printf "%.3f", hi - lo }')
e2e_log "path changes $changes times in the run; summary: route" \
	"changes $rc_sum, link-down drops $(e2e_drops link-down)"
e2e_log "ping: $got of $sent answered; RTT against path: median error" \
	"$err ms, $within within 1 ms, $paths paths, RTT span $span ms" \
	"(clock offset $off s)"
[ "$changes" -ge 3 ] || e2e_fail "path changes only $changes times: no test"
[ "${rc_sum:-0}" -gt 0 ] || e2e_fail "the summary counts no route change"
# each change of the path is one for each direction (A's route to B and
# B's to A), give or take one at either end of the window
e2e_true "abs($rc_sum - 2 * $changes) <= 2" ||
	e2e_fail "the summary counts $rc_sum route changes, path changes $changes times"
e2e_true "$err <= 0.5 and $within >= 0.8" ||
	e2e_timing_fail "ping RTTs do not follow path's RTT (median error $err ms, $within within 1 ms)"
[ "$paths" -ge 3 ] || e2e_fail "the pings saw only $paths paths"
e2e_true "$span > 3" || e2e_fail "ping RTT changed by $span ms only"
e2e_true "$got >= 0.95 * $sent" || e2e_fail "ping lost $((sent - got)) of $sent"

[ "$cli_rc" -eq 0 ] ||
	e2e_fail "iperf3 client failed ($cli_rc): $(e2e_iperf_tail)"
set -- $("$PY" - "$E2E_TMP/iperf.json" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
iv = [i["sum"]["bytes"] for i in j["intervals"]]
e = j["end"]
print("%.2f %d %d %d" % (e["sum_received"]["bits_per_second"] / 1e6,
                         e["sum_sent"].get("retransmits", -1), len(iv),
                         sum(1 for b in iv if b == 0)))
PYEOF
)
e2e_log "iperf3 TCP at 20 Mbit/s across the changes: $1 Mbit/s received," \
	"$2 retransmits, $4 of $3 intervals empty"
[ "$4" -eq 0 ] || e2e_fail "the TCP flow stalled in $4 of $3 seconds"
e2e_true "$1 >= 15" || e2e_fail "the TCP flow got $1 Mbit/s of 20"
e2e_pass "flows follow $changes route changes and survive them"
