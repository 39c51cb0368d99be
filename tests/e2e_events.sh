#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_events.sh - scheduled faults move real flows, take a tapped node's
# carrier away, show in its state file and in the event log
#
# tests/data/e2e/ev.conf: satellites only (no hand-over), time scale 1,
# step 100 ms. e2ev-0-0 (A) and e2ev-0-2 (B) are two slots apart in one
# plane: their path crosses e2ev-0-1 (X) by the fixed in-plane links.
# e2ev-3-0 (Y) is tapped too. The events (tests/data/e2e/ev.events):
# X down at 2 s, up at 4 s; the link A-X down at 6 s, up at 8 s; 5 ms added
# to the link X-B at 10 s, taken off at 12 s; Y down at 14 s, up at 16 s.
# For 18 s, A pings B and Y every 20 ms (kernel timestamps), and a watcher
# in Y's namespace reads Y's carrier, operstate and state file every 10 ms.
# Checks:
#  - `lasermesh check --events` reports every bad line of a bad events file
#    as `file:line: ... "value" ...` and exits 1; `run` refuses it too;
#  - A to B: each ping whose flight lies between two changes has the RTT of
#    `path --events` (median error under 0.5 ms, 80% within 1 ms, as in
#    e2e_route_change.sh; under 1 ms between any two changes), which
#    differs from plain `path` while a fault is in force (by +10 ms for the
#    5 ms delay: both directions); the pings sent from one step after an
#    event on have the new path's RTT (one outlier allowed);
#  - Y: carrier 0 and operstate down, "state down" in its state file from at
#    most one step after 14 s, carrier 1 and "state up" from one step after
#    16 s; `ip -o link` says NO-CARRIER; user nobody reads the state file
#    from inside Y's namespace; its power field says eclipse in Y (in
#    umbra, topo says) and sunlit in A; no ping to Y sent in the outage is
#    answered and the summary counts at least as many "node-down" drops;
#  - the event log (--log) parses line by line: start first, end last, one
#    event line per scheduled event (verb, target, names, file line, and t
#    the step at the event's time), applied within one step of it on the
#    wall clock; route lines between the tapped nodes exactly when `path
#    --events` changes, with its hops; the summary counts the faults.
. tests/e2e_lib.sh

e2e_begin e2ev tests/data/e2e/ev.conf setpriv
A=e2ev-0-0
B=e2ev-0-2
X=e2ev-0-1
Y=e2ev-3-0
EV=tests/data/e2e/ev.events
DUR=18
STEP=0.1
GAP=0.02
T=$E2E_TMP
e2e_names "$T/names"

# ev_path A B [OPTIONS...]: path over the run at every step, split-path form
ev_path() {
	local a=$1 b=$2
	shift 2
	"$LM" path "$E2E_CONF" "$a" "$b" --from 0 --to "$DUR" --step "$STEP" \
		"$@" | e2e_py split-path "$T/names"
}

# ev_sleep_until T: sleep until orbital second T of the run
ev_sleep_until() {
	sleep "$(e2e_calc "max(0.0, $E2E_READY + $1 - $(e2e_now))")"
}

# ---- the events file's errors -------------------------------------------
cat >"$T/bad.events" <<EOF
1s	down node $X
2s	down node e2ev-9-99
12q	up node $X
3s	wobble node $X
4s	set link $A $X jitter 5ms
5s	down terminal $A 70
6s	up node $X
EOF
# line value: what each bad line must be reported with
printf '%s\n' '2 e2ev-9-99' '3 12q' '4 wobble' '5 jitter' '6 70' >"$T/bad.want"
"$LM" check "$E2E_CONF" --events "$EV" >"$T/check.out" 2>&1 ||
	e2e_fail "check refuses $EV: $(cat "$T/check.out")"
"$LM" check "$E2E_CONF" --events "$T/bad.events" >"$T/check.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || e2e_fail "check of a bad events file exited $rc, not 1"
"$LM" run "$E2E_CONF" --no-status --events "$T/bad.events" \
	>"$T/badrun.out" 2>"$T/badrun.err"
rc=$?
[ "$rc" -ne 0 ] || e2e_fail "run accepted a bad events file"
while read -r n v; do
	for f in check.out badrun.err; do
		grep -q -E "^(lasermesh run: )?$T/bad.events:$n: .*\"$v\"" \
			"$T/$f" ||
			e2e_fail "$f does not report line $n (\"$v\"):" \
				"$(cat "$T/$f")"
	done
done <"$T/bad.want"
n=$(grep -c "^$T/bad.events:" "$T/check.out")
[ "$n" -eq 5 ] ||
	e2e_fail "check reports $n errors, not 5: $(cat "$T/check.out")"
e2e_log "check and run report the 5 bad lines of an events file, exit $rc"

# ---- what path says ------------------------------------------------------
ev_path "$A" "$B" >"$T/p0"
ev_path "$A" "$B" --events "$EV" >"$T/pe"
ev_path "$A" "$Y" --events "$EV" >"$T/pey"
head -n 1 "$T/p0" | grep -q " $X " ||
	e2e_fail "the path $A-$B at 0 does not cross $X: $(head -n 1 "$T/p0")"
# the power field each state file must show: Y is in umbra all the run, A
# in sunlight (topo's shadow column)
ev_power() {
	local s0 s1
	s0=$("$LM" topo "$E2E_CONF" --at 0 --format csv --only nodes |
		awk -F, -v n="$1" '$1 == n { print $NF }')
	s1=$("$LM" topo "$E2E_CONF" --at $DUR --format csv --only nodes |
		awk -F, -v n="$1" '$1 == n { print $NF }')
	[ "$s0" = "$s1" ] && [ -n "$s0" ] ||
		e2e_fail "$1 is in $s0 at 0 and in $s1 at $DUR s"
	if [ "$s0" = umbra ]; then echo eclipse; else echo sunlit; fi
}
pwa=$(ev_power "$A")
pwy=$(ev_power "$Y")
[ "$pwa" != "$pwy" ] || e2e_fail "$A and $Y are both $pwa: no test"

# ---- the run -------------------------------------------------------------
cat >"$T/watch.py" <<'EOF'
import sys, time
ifn, node, until = sys.argv[1], sys.argv[2], float(sys.argv[3])
net = "/sys/class/net/" + ifn + "/"
def rd(p):
    try:
        return open(p).read().strip()
    except OSError:
        return "err"
while time.time() < until:
    w = time.time()
    kv = {}
    for l in rd("/run/lasermesh/state/" + node).splitlines():
        f = l.split(None, 1)
        if len(f) == 2:
            kv[f[0]] = f[1]
    print("%.6f %s %s %s %s %s" % (w, rd(net + "carrier"),
                                   rd(net + "operstate"), kv.get("state", "?"),
                                   kv.get("step", "?"), kv.get("power", "?")),
          flush=True)
    time.sleep(0.01)
EOF
e2e_run_start --events "$EV" --log "$T/log.jsonl" --duration ${DUR}s
ify=$(awk -v n="$Y" '$1 == n && NF == 4 { print $4; exit }' "$T/run.out")
[ -n "$ify" ] || e2e_fail "no interface of $Y in the banner"
dstb=$(e2e_addr "$B" 4)
dsty=$(e2e_addr "$Y" 4)
for d in "$dstb" "$dsty"; do
	ip netns exec "$A" ping -n -c 1 -W 1 "$d" >/dev/null ||
		e2e_fail "$A cannot ping $d"
done
e2e_bg ip netns exec "$Y" "$PY" "$T/watch.py" "$ify" "$Y" \
	"$(e2e_calc "$E2E_READY + $DUR - 0.4")" >"$T/watch"
WATCH=$E2E_LAST
count=$(e2e_calc "int(($E2E_READY + $DUR - 0.7 - $(e2e_now)) / $GAP)")
e2e_bg ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dstb" "$count" $GAP 0.4 \
	>"$T/rtt_b" 2>"$T/ping_b.err"
PB=$E2E_LAST
e2e_bg ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dsty" "$count" $GAP 0.4 \
	>"$T/rtt_y" 2>"$T/ping_y.err"
PYY=$E2E_LAST
# inside Y, as a user would look: during the outage and after it
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
for at in 15 17.2; do
	ev_sleep_until $at
	ip netns exec "$Y" ip -o link show dev "$ify" >"$T/link.$at" 2>&1
	ip netns exec "$Y" $nobody sh -c "id -u; cat /run/lasermesh/state/$Y" \
		>"$T/state.$at" 2>&1
done
ip netns exec "$A" $nobody cat "/run/lasermesh/state/$A" >"$T/state.a" 2>&1
wait $PB || e2e_fail "ping $A to $B failed: $(cat "$T/ping_b.err")"
wait $PYY || e2e_fail "ping $A to $Y failed: $(cat "$T/ping_y.err")"
wait $WATCH
e2e_run_wait 10
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

# ---- Y's own view --------------------------------------------------------
grep -q 'NO-CARRIER' "$T/link.15" ||
	e2e_fail "ip -o link in $Y at 15 s shows no NO-CARRIER: $(cat "$T/link.15")"
if grep -q 'NO-CARRIER' "$T/link.17.2" || ! grep -q 'LOWER_UP' "$T/link.17.2"
then
	e2e_fail "ip -o link in $Y at 17.2 s: $(cat "$T/link.17.2")"
fi
for at in 15 17.2; do
	want=down
	[ $at = 15 ] || want=up
	[ "$(head -n 1 "$T/state.$at")" = 65534 ] ||
		e2e_fail "setpriv did not run as nobody: $(cat "$T/state.$at")"
	grep -qx "state $want" "$T/state.$at" && grep -qx "node $Y" "$T/state.$at" ||
		e2e_fail "user nobody in $Y reads at $at s, not state $want:" \
			"$(cat "$T/state.$at")"
done
grep -qx "power $pwy" "$T/state.15" ||
	e2e_fail "$Y's state file says not power $pwy: $(cat "$T/state.15")"
grep -qx "power $pwa" "$T/state.a" && grep -qx "state up" "$T/state.a" ||
	e2e_fail "$A's state file says not power $pwa: $(cat "$T/state.a")"
e2e_log "in $Y: NO-CARRIER at 15 s, not at 17.2 s; user nobody reads" \
	"\"state down\", then \"state up\"; power $pwy in $Y, $pwa in $A"

# ---- everything against the log, path and the pings ----------------------
drops=$(e2e_drops node-down)
faults=$(sed -n 's/^  faults applied: //p' "$T/run.err")
want=$(awk '/^[^#]/ && NF >= 3 { n[$2]++ }
	END { printf "scheduled down %d up %d set %d", n["down"], n["up"],
		n["set"] }' "$EV")
[ "$faults" = "$want" ] ||
	e2e_fail "the summary says faults applied: \"$faults\", not \"$want\""

"$PY" - "$T" "$EV" "$A" "$B" "$X" "$Y" $STEP $GAP $DUR "$drops" \
	"$E2E_READY" "$pwy" >"$T/verdict" <<'PYEOF' || e2e_fail "the analysis failed"
import json, math, re, statistics, sys

(tmp, evfile, A, B, X, Y, step, gap, dur, drops, ready,
 power) = sys.argv[1:]
step, gap, dur, drops, ready = (float(step), float(gap), float(dur),
                                int(drops), float(ready))
out = []
def say(kind, msg):
    out.append("%s %s" % (kind, msg))

def iso(s):
    # ISO-8601 UTC with microseconds -> seconds since the Unix epoch
    import datetime
    d = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
    return d.replace(tzinfo=datetime.timezone.utc).timestamp()

def path(name):
    rows = []
    for l in open(tmp + "/" + name):
        f = l.split()
        rows.append((float(f[0]), float(f[1]), f[2:]))
    return rows

p0, pe, pey = path("p0"), path("pe"), path("pey")
def at(rows, t):
    i = int(math.floor(t / step + 1e-6))
    return rows[min(max(i, 0), len(rows) - 1)]

# the events file: (time, verb, target, names, line)
events = []
for n, l in enumerate(open(evfile), 1):
    l = l.split("#")[0].split()
    if not l:
        continue
    events.append((float(l[0].rstrip("s")), l[1], l[2], l[3:], n))

# the log: every line parses
log, bad = [], []
for n, l in enumerate(open(tmp + "/log.jsonl"), 1):
    try:
        log.append(json.loads(l))
    except ValueError:
        bad.append(n)
if bad:
    say("FAIL", "log lines %s are not JSON" % bad[:10])
if not log or log[0]["type"] != "start" or log[-1]["type"] != "end":
    say("FAIL", "the log does not begin with start and end with end")
wall0 = iso(log[0]["wall"])
if abs(log[-1]["t"] - dur) > 0.5:
    say("FAIL", "the log ends at t=%s, not %s" % (log[-1]["t"], dur))
if abs(wall0 - ready) > 0.2:
    say("TFAIL", "the log starts %.3f s from the ready line" %
        (wall0 - ready))

# one event line per scheduled event, at the step at/after its time
evl = [j for j in log if j["type"] == "event"]
if len(evl) != len(events):
    say("FAIL", "the log has %d event lines for %d events" %
        (len(evl), len(events)))
late = []
for t, verb, target, names, n in events:
    m = [j for j in evl if j.get("line") == n]
    if len(m) != 1:
        say("FAIL", "%d event lines for line %d" % (len(m), n))
        continue
    j = m[0]
    want_t = math.ceil(t / step - 1e-9) * step
    got = [j["source"], j["verb"], j["target"]]
    got += [j["node"]] if target == "node" else [j["a"], j["b"]]
    if got != ["scheduled", verb, target] + names[:len(got) - 3] or \
       abs(j["t"] - want_t) > 1e-6:
        say("FAIL", "line %d logged as %s at t=%s" % (n, j, j["t"]))
    late.append(iso(j["wall"]) - wall0 - j["t"])
if late and max(late) > step:
    say("TFAIL", "an event applied %.1f ms after its time" %
        (max(late) * 1e3))
if late:
    say("INFO", "events applied %.2f to %.2f ms after their time (wall"
        " clock)" % (min(late) * 1e3, max(late) * 1e3))

# route lines between tapped nodes exactly when path --events changes
def changes(rows):
    return [round(rows[i][0], 6) for i in range(1, len(rows))
            if rows[i][2] != rows[i - 1][2]]
for frm, to, rows in ((A, B, pe), (A, Y, pey)):
    rl = [j for j in log if j["type"] == "route" and j["from"] == frm
          and j["to"] == to]
    ts = [round(j["t"], 6) for j in rl]
    if ts != changes(rows):
        say("FAIL", "route lines %s-%s at %s, path --events changes at %s"
            % (frm, to, ts, changes(rows)))
    for j in rl:
        if j["hops"] != at(rows, j["t"])[2]:
            say("FAIL", "route line %s-%s at %s: %s, path --events: %s" %
                (frm, to, j["t"], j["hops"], at(rows, j["t"])[2]))
    back = [j for j in log if j["type"] == "route" and j["from"] == to
            and j["to"] == frm]
    if [(round(j["t"], 6), j["hops"][::-1]) for j in back] != \
       [(round(j["t"], 6), j["hops"]) for j in rl]:
        say("FAIL", "route lines %s-%s do not mirror %s-%s" %
            (to, frm, frm, to))
say("INFO", "route lines %s-%s at %s s" % (A, B, [
    j["t"] for j in log if j["type"] == "route" and j["from"] == A and
    j["to"] == B]))

# pings: (orbital send time, rtt ms, seq)
def pings(name):
    r = []
    for l in open(tmp + "/" + name):
        recv, seq, rtt = l.split()
        r.append((float(recv) - float(rtt) / 1e3 - wall0, float(rtt),
                  int(seq)))
    return r

# A to B, between changes of path or plain path
pb = pings("rtt_b")
allerr = []
bounds = [0.0] + sorted(set(e[0] for e in events)) + [dur]
for lo, hi in zip(bounds, bounds[1:]):
    win = [(s, r) for s, r, _ in pb if s >= lo + step and
           s + r / 1e3 <= hi - 0.005]
    if len(win) < 50:
        say("FAIL", "%d pings between %s and %s s" % (len(win), lo, hi))
        continue
    exp = [at(pe, s)[1] for s, _ in win]
    old = [at(p0, s)[1] for s, _ in win]
    err = [abs(r - e) for (s, r), e in zip(win, exp)]
    allerr += err
    med = statistics.median(err)
    within = sum(1 for x in err if x <= 1.0) / len(err)
    diff = statistics.median([e - o for e, o in zip(exp, old)])
    rtt = statistics.median([r for _, r in win])
    say("INFO", "%5.1f-%4.1f s: %3d pings, RTT %.3f ms, path --events %.3f"
        " (plain path %+.3f), median error %.3f ms, %d%% within 1 ms" %
        (lo, hi, len(win), rtt, statistics.median(exp), diff, med,
         within * 100))
    if med > 1.0:
        say("TFAIL", "%s-%s s: pings do not have path --events's RTT "
            "(median error %.3f ms, %.0f%% within 1 ms)" %
            (lo, hi, med, within * 100))
    nodes = at(pe, lo)[2]
    # the fault on A-B's path in force from lo, if any
    fault = [e for e in events if e[0] == lo and X in e[3] and
             e[1] != "up" and e[3][-1] != "0ms"]
    if fault and fault[0][1] == "set":
        if abs(diff - 10.0) > 0.01:
            say("FAIL", "path --events adds %.3f ms for +5 ms" % diff)
    elif fault:
        around = X not in nodes if fault[0][2] == "node" else \
            nodes[:2] != fault[0][3][:2]
        if abs(diff) < 5 or not around:
            say("FAIL", "path --events %s at %s s does not route around"
                " the fault" % (nodes, lo))
    elif abs(diff) > 0.001:
        say("FAIL", "path --events differs from path at %s s" % lo)
    # every ping sent from one step after the change has the new RTT
    if lo > 0:
        far = [(s, r) for (s, r), e, o in zip(win, exp, old)
               if abs(r - e) > abs(r - o) and abs(e - o) > 1]
        if len(far) > 1:
            say("TFAIL", "%d pings sent after %.2f s still have the old"
                " RTT (first at %.3f s: %.3f ms)" %
                (len(far), lo + step, far[0][0], far[0][1]))
        # the change seen by the pings: the last one sent before it on
        # the old path, the first one after it on the new path (within a
        # quarter of the difference: not one that crossed the change)
        new = at(pe, lo)[1]
        prev = at(pe, lo - step)[1]
        tol = max(1.0, abs(new - prev) / 4)
        if abs(new - prev) > 1:
            near = [(s, r) for s, r, _ in pb if lo - 0.5 < s < lo + 0.5]
            before = [s for s, r in near if abs(r - prev) <= tol]
            after = [s for s, r in near if abs(r - new) <= tol and
                     s >= (max(before) if before else lo - 0.5)]
            # a whole flight on the new path starts after the change,
            # or at most one RTT before it (a link's delay)
            if after and min(after) < lo - max(new, prev) / 1e3 - 0.005:
                say("FAIL", "a ping sent %.1f ms before the change at %s s"
                    " had the new RTT" % ((lo - min(after)) * 1e3, lo))
            if after:
                say("INFO", "  at %.1f s: RTT %.3f -> %.3f ms; last ping on"
                    " the old path sent %+.1f ms, first on the new %+.1f ms"
                    % (lo, prev, new, (max(before) - lo) * 1e3 if before
                       else float("nan"), (min(after) - lo) * 1e3))
                if min(after) - lo > step:
                    say("TFAIL", "the path changed %.1f ms after %s s" %
                        ((min(after) - lo) * 1e3, lo))
            else:
                say("TFAIL", "no ping on the new path after %s s" % lo)

med = statistics.median(allerr)
within = sum(1 for x in allerr if x <= 1.0) / len(allerr)
say("INFO", "%s to %s: %d pings between changes, median error %.3f ms, %d%%"
    " within 1 ms" % (A, B, len(allerr), med, within * 100))
if med > 0.5 or within < 0.8:
    say("TFAIL", "pings do not have path --events's RTT (median error "
        "%.3f ms, %.0f%% within 1 ms)" % (med, within * 100))

# Y: pings, carrier and state file
t3, t4 = [e[0] for e in events if e[3] == [Y]]
py = pings("rtt_y")
t0 = statistics.median([s - q * gap for s, _, q in py])
nsent = int(open(tmp + "/ping_y.err").read().split()[0])
got = set(q for _, _, q in py)
ry = statistics.median([r for _, r, _ in py])
out_q = [q for q in range(nsent) if t3 + step <= t0 + q * gap and
         t0 + q * gap + ry / 1e3 < t4]
up_q = [q for q in range(nsent) if (0.2 < t0 + q * gap < t3 - 0.2) or
        t0 + q * gap > t4 + step]
answered = [q for q in out_q if q in got]
lost_up = [q for q in up_q if q not in got]
say("INFO", "%s: %d pings sent in the outage, %d answered; %d of %d "
    "outside it lost; node-down drops %d" %
    (Y, len(out_q), len(answered), len(lost_up), len(up_q), drops))
if len(out_q) < 50 or answered:
    say("FAIL", "%d of %d pings to %s sent while it was down were answered"
        % (len(answered), len(out_q), Y))
if len(lost_up) > 0.05 * len(up_q):
    say("FAIL", "%d of %d pings to %s while up were lost" %
        (len(lost_up), len(up_q), Y))
if drops < len(out_q):
    say("FAIL", "the summary counts %d node-down drops for %d pings to a "
        "down node" % (drops, len(out_q)))
w = []
for l in open(tmp + "/watch"):
    f = l.split()
    w.append((float(f[0]) - wall0, f[1], f[2], f[3], f[4], f[5]))
def first(cond, since):
    m = [x[0] for x in w if x[0] >= since and cond(x)]
    return m[0] if m else None
down = lambda x: x[1] == "0" and x[2] == "down" and x[3] == "down"
up = lambda x: x[1] == "1" and x[2] != "down" and x[3] == "up"
bad = [x for x in w if (x[0] < t3 - 0.005 or t4 + step <= x[0]) and
       not up(x) or t3 + step <= x[0] < t4 - 0.005 and not down(x)]
if len(w) < 500 or bad:
    say("TFAIL", "%d samples in %s, %d off: %s" % (len(w), Y, len(bad),
                                                   bad[:3]))
if set(x[5] for x in w) != {power}:
    say("FAIL", "%s's state file says power %s, topo says %s" %
        (Y, sorted(set(x[5] for x in w)), power))
td, tu = first(down, t3 - 0.5), first(up, t4 - 0.5)
if td is None or tu is None:
    say("FAIL", "%s: carrier never went off and on again" % Y)
else:
    say("INFO", "%s: carrier 0, operstate down, state down %.1f ms after"
        " %s s; carrier 1, state up %.1f ms after %s s (%d samples)" %
        (Y, (td - t3) * 1e3, t3, (tu - t4) * 1e3, t4, len(w)))
    steps = [x[4] for x in w if down(x)]
    if set(steps) != {str(int(round(t3 / step)))}:
        say("FAIL", "state file's step while down: %s" % sorted(set(steps)))
print("\n".join(out))
PYEOF
sed -n 's/^INFO //p' "$T/verdict" | while read -r l; do e2e_log "$l"; done
if grep -q '^FAIL ' "$T/verdict"; then
	e2e_fail "$(sed -n 's/^FAIL //p' "$T/verdict" | head -n 5)"
fi
if grep -q '^TFAIL ' "$T/verdict"; then
	e2e_timing_fail "$(sed -n 's/^TFAIL //p' "$T/verdict" | head -n 5)"
fi
e2e_pass "scheduled faults move the flow, cut $Y's carrier and show in its" \
	"state file and the log"
