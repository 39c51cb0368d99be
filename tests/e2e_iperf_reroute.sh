#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_iperf_reroute.sh - an iperf3 TCP flow whose path loses a laser link
# survives the reroute; the gap is measured
#
# e2ei-0-2 sends to e2ei-0-0 (iperf3 -R: the client's 0.1 s intervals are
# what arrived) over two hops, 26 ms RTT, 100 Mbit/s, for 8 s, with CUBIC
# (Linux's default; a host may default to BBR, which behaves differently
# after the RTT triples: docs/workloads.md). 3 s in, `lasermesh ctl down
# link e2ei-0-1 e2ei-0-2` cuts the path: what was on the link is lost and
# the route moves through plane 1 (four hops, 78 ms, tests/data/e2e/
# ir.conf). iperf3's clock starts once it has connected, so the event's
# wall time from the run's --log falls on it between EV_LO (from the
# client's exit minus the test's length) and EV (from its launch).
# Reported: the slowest interval near the event, the longest run of
# near-zero intervals (under a tenth of the median before the event), and
# the time from the event until an interval is back at half that median.
# Checks:
#  - iperf3 ends normally and moves at least 20 Mbit/s over its last 2 s;
#  - the slowest interval is at the event (EV_LO - 0.2 to EV + 0.2 s), and
#    the log's route e2ei-0-2 -> e2ei-0-0 after it avoids the link;
#  - the recovery (from EV_LO, the later bound) and the near-zero run are
#    at most 1 s + 3 x 78 ms + 0.3 s. The segments in flight on the lost
#    link are resent on SACK's fast retransmit or at the latest when the
#    RTO expires (Linux: srtt + 4 rttvar, at least 200 ms; 1 s is the RTO
#    before any sample), and the window then grows back over a few RTTs of
#    the new path; 0.3 s is one step (a ctl event takes effect at a step)
#    and the two 0.1 s intervals at the ends.
. tests/e2e_lib.sh

e2e_begin e2ei tests/data/e2e/ir.conf iperf3
A=e2ei-0-0
B=e2ei-0-2
LA=e2ei-0-1		# the link cut: LA - B
NEW_RTT=0.078		# s, `lasermesh path --events` without it
AT=3			# s into the flow
CC=cubic		# the host's default may be bbr: see docs/workloads.md

grep -qw $CC /proc/sys/net/ipv4/tcp_available_congestion_control ||
	e2e_skip "TCP congestion control $CC is not available"

e2e_run_start --duration 120s --log "$E2E_TMP/log.jsonl"
dst=$(e2e_addr "$B" 4)
e2e_iperf_server "$B"
t_launch=$(e2e_now)
e2e_bg ip netns exec "$A" iperf3 -c "$dst" -p 5201 -R -C $CC -t 8 -i 0.1 -J \
	>"$E2E_TMP/iperf.json" 2>"$E2E_TMP/iperf.err"
CLI=$E2E_LAST
sleep $AT
"$LM" ctl "$E2E_RUN_PID" down link "$LA" "$B" >"$E2E_TMP/ctl.down" ||
	e2e_fail "ctl down link $LA $B refused: $(cat "$E2E_TMP/ctl.down")"
wait "$CLI"
cli_rc=$?
t_exit=$(e2e_now)
wait "$E2E_IPERF_SRV"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
[ "$cli_rc" -eq 0 ] ||
	e2e_fail "iperf3 client failed ($cli_rc): $(e2e_iperf_tail)"

ev=$(e2e_py log-event "$E2E_TMP/log.jsonl" down link "$LA" "$B") ||
	e2e_fail "the log has no down link $LA $B"
t_ev=${ev%% *}
t_orb=${ev#* }
set -- $("$PY" - "$E2E_TMP" "$t_launch" "$t_exit" "$t_ev" "$t_orb" "$A" "$B" \
	<<'PYEOF'
import json, os, sys
d = sys.argv[1]
t_launch, t_exit, t_ev, t_orb = map(float, sys.argv[2:6])
a, b = sys.argv[6:8]
j = json.load(open(os.path.join(d, "iperf.json")))
iv = [(i["sum"]["start"], i["sum"]["end"], 8 * i["sum"]["bytes"] /
       (i["sum"]["end"] - i["sum"]["start"]) / 1e6) for i in j["intervals"]]
end = iv[-1][1]
# iperf3's clock starts once it has connected: after the launch, and
# before its exit minus the test's length; the event on that clock is
# between ev_lo and ev
ev = t_ev - t_launch
ev_lo = t_ev - (t_exit - j["end"]["sum_received"]["end"])
pre = sorted(r for s, e, r in iv if 1 <= s and e <= ev - 0.2)
med = pre[len(pre) // 2] if pre else 0
# the longest run of near-zero intervals around the event
runs, cur = [], None
for s, e, r in iv:
    if r < med / 10 and ev_lo - 0.2 <= e and s <= ev + 3:
        cur = [cur[0], e] if cur else [s, e]
    elif cur:
        runs.append(cur)
        cur = None
if cur:
    runs.append(cur)
gap = max(runs, key=lambda x: x[1] - x[0]) if runs else [ev, ev]
# the dip: the slowest interval around the event; recovery: the end of the
# first interval after it back at half the rate before
win = [x for x in iv if ev_lo - 0.2 <= x[1] and x[0] <= ev + 3]
dip = min(win, key=lambda x: x[2])
back = [e for s, e, r in iv if s >= dip[0] and r >= med / 2]
rec = [back[0] - ev, back[0] - ev_lo] if back else [float("nan")] * 2
tail = sum(r for s, e, r in iv if s >= end - 2 - 1e-6) / \
    max(1, sum(1 for s, e, r in iv if s >= end - 2 - 1e-6))
rt = "none"
for l in open(os.path.join(d, "log.jsonl")):
    r = json.loads(l)
    if r["type"] == "route" and r["from"] == b and r["to"] == a and \
       r["t"] >= t_orb:
        rt = ",".join(r["hops"])
print("%.2f %.3f %.3f %.3f %.3f %.1f %.3f %.3f %.2f %s" % (
    med, ev_lo, ev, gap[1] - gap[0], dip[0], dip[2], rec[0], rec[1], tail,
    rt))
PYEOF
)
[ $# -eq 10 ] || e2e_fail "cannot read iperf3's intervals: $(e2e_iperf_tail)"
pre=$1
ev_lo=$2
ev=$3
gap=$4
dip0=$5
dip=$6
rec_lo=$7
recov=$8
tail=$9
shift 9
route=$1
e2e_log "$B -> $A, TCP $CC: $pre Mbit/s before the event (median of 0.1 s" \
	"intervals); link $LA-$B down $ev_lo-$ev s into the flow (log);" \
	"slowest interval at $dip0 s, $dip Mbit/s; near-zero for $gap s;" \
	"back at half rate $rec_lo-$recov s after the event; last 2 s" \
	"$tail Mbit/s; route after: $route"
bound=$(e2e_calc "round(1 + 3 * $NEW_RTT + 0.3, 3)")
e2e_true "$tail >= 20" ||
	e2e_fail "the flow did not resume: $tail Mbit/s over the last 2 s"
e2e_true "$ev_lo - 0.2 <= $dip0 <= $ev + 0.2" ||
	e2e_fail "the flow dips at $dip0 s, the event was at $ev_lo-$ev s"
case ",$route," in
*,$LA,$B,*|*,$B,$LA,*|,none,) e2e_fail "route after the event: $route" ;;
esac
e2e_true "$recov == $recov and $recov <= $bound and $gap <= $bound" ||
	e2e_timing_fail "the flow was back at half rate $recov s after the" \
		"event (near-zero for $gap s), bound $bound s"
e2e_pass "TCP flow survives losing link $LA-$B: near-zero for $gap s," \
	"back at half rate after $recov s (bound $bound s)"
