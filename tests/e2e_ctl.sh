#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_ctl.sh - `lasermesh ctl` drives a live run: status, live faults,
# pause and resume, time scale, and its errors
#
# Two ground stations under a 24 x 22 shell (tests/data/e2e/e2ec.conf,
# step 100 ms), a ping between them, `lasermesh ctl` commands while it
# runs. Checks:
#  1. status is JSON; its orbital time advances by the wall time times the
#     time scale (within 5%); links are up; rx_frames grows by a ping's
#     frames;
#  2. at time scale 1, on the ping's current path: down/up node, set link
#     delay +5ms, down/up link, down/up terminal. Each answer's from_step
#     is at most 3 steps after the command's orbital time; the ping's RTT
#     is that of `lasermesh path --events` (the same commands, each at its
#     from_step) plus the emulator's own time (the median difference,
#     under 1 ms) within 0.3 ms (median) from each command to the next;
#     the new RTT is seen (3 pings in a row) within 3 steps + 0.1 s of
#     the command; the delay adds 10 ms of RTT; `events` lists the
#     commands, source live, in order, each applied at its from_step;
#  3. at time scale 100, pause: status gives the same orbital time 1 s
#     apart and the ping's RTT stays put (80% within 0.5 ms of its median,
#     which is path's RTT at the paused moment within 1 ms) over a window
#     in which, unpaused, path's RTT changes by more than 3 ms (and less
#     than half of it stays within 0.5 ms of its median); a time scale
#     given while paused (150) is taken at resume;
#     after it orbital time advances 150 times as fast as the wall clock
#     and the RTT follows path's again;
#  4. errors exit 1 with a message: a pid that is no run, a node that does
#     not exist, time scales -1, 0 and abc, a word that is no command, an
#     unprivileged user (the socket's directory is root's and 0700, and a
#     non-root peer that reaches the socket is refused), two runs up and
#     none named, a run named by its node after it ended, a stopped run
#     (SIGSTOP: ctl gives up after 5 s). Clients that send 10 KiB without
#     a newline, nothing for 3 s, or an unknown word are answered or
#     dropped, and the run keeps answering others.
. tests/e2e_lib.sh

e2e_begin e2ec tests/data/e2e/e2ec.conf runuser stat
A=e2ec-a
B=e2ec-b
CONF2=tests/data/e2e/e2ec2.conf
E2E_EXTRA_CLEAN=$(e2e_conf_nodes "$CONF2")
STEP_MS=100		# [emulation] step of both configurations

# jget FILE KEY...: the values of KEYs (dotted: faults.links_count) of the
# JSON object in FILE, one line, space-separated; status 1 when FILE is
# not one JSON object or lacks a KEY.
jget() {
	"$PY" - "$@" <<'PYEOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    out = []
    for key in sys.argv[2:]:
        v = j
        for k in key.split("."):
            v = v[k]
        out.append(json.dumps(v) if isinstance(v, (bool, list, dict))
                   else str(v))
except (ValueError, KeyError, TypeError) as e:
    print("jget %s: %r" % (sys.argv[1], e), file=sys.stderr)
    sys.exit(1)
print(" ".join(out))
PYEOF
}

# c_ok NAME ARGS...: `lasermesh ctl ARGS...` must succeed; its answer is
# in $E2E_TMP/NAME.json; C_T0 and C_T1 are wall times around the call.
c_ok() {
	local name=$1
	shift
	C_T0=$(e2e_now)
	"$LM" ctl "$@" >"$E2E_TMP/$name.json" 2>"$E2E_TMP/$name.err" ||
		e2e_fail "lasermesh ctl $* failed: $(cat "$E2E_TMP/$name.err")"
	C_T1=$(e2e_now)
}

# c_err TEXT ARGS...: `lasermesh ctl ARGS...` must exit 1 saying TEXT on
# stderr.
c_err() {
	local text=$1 rc
	shift
	"$LM" ctl "$@" >"$E2E_TMP/err.out" 2>"$E2E_TMP/err.err"
	rc=$?
	[ "$rc" -eq 1 ] || e2e_fail "lasermesh ctl $* exited $rc, not 1:" \
		"$(cat "$E2E_TMP/err.err")"
	grep -qF -- "$text" "$E2E_TMP/err.err" ||
		e2e_fail "lasermesh ctl $*: no \"$text\" in its error:" \
			"$(cat "$E2E_TMP/err.err")"
	e2e_log "ctl $*: $(head -n 1 "$E2E_TMP/err.err") (exit 1)"
}

# ev_path EVENTS T0 T1 STEP: `lasermesh path --events EVENTS` from A to B
# as "t_s rtt_ms name...".
ev_path() {
	[ -s "$E2E_TMP/names" ] || e2e_names "$E2E_TMP/names"
	"$LM" path "$E2E_CONF" "$A" "$B" --from "$2" --to "$3" --step "$4" \
		--events "$1" | e2e_py split-path "$E2E_TMP/names"
}

# rate NAME1 NAME2: orbital seconds per wall second between two status
# answers, each taken at the middle of its call (W_NAME: its wall times
# before and after).
rate() {
	local o1 o2 w1 w2
	o1=$(jget "$E2E_TMP/$1.json" orbital_t) || e2e_fail "$1: no orbital_t"
	o2=$(jget "$E2E_TMP/$2.json" orbital_t) || e2e_fail "$2: no orbital_t"
	eval "w1=\$W_$1 w2=\$W_$2"
	e2e_calc "round(($o2 - $o1) / ((${w2% *} + ${w2#* }) / 2 - \
		(${w1% *} + ${w1#* }) / 2), 3)"
}

# st NAME [ARGS...]: c_ok NAME status (or ARGS); W_NAME="C_T0 C_T1".
# No python here: st runs in the windows where the ping is measured.
st() {
	local name=$1
	shift
	[ $# -gt 0 ] || set -- status
	c_ok "$name" "$@"
	eval "W_$name=\"$C_T0 $C_T1\""
}

alive() {
	kill -0 "$E2E_RUN_PID" 2>/dev/null || e2e_fail "the run ended: $*"
}

e2e_run_start --duration 100000s
PID=$E2E_RUN_PID
dst=$(e2e_addr "$B" 4)

# ---- 1. status -------------------------------------------------------------
st s1
set -- $(jget "$E2E_TMP/s1.json" ok pid time_scale paused links_up \
	rx_frames delivered) || e2e_fail "status is not JSON: $(cat "$E2E_TMP/s1.json")"
[ "$1 $2 $3 $4" = "true $PID 1 false" ] ||
	e2e_fail "status says ok $1, pid $2 (run $PID), time_scale $3, paused $4"
[ "$5" -gt 0 ] || e2e_fail "status: links_up $5"
links=$5
rx1=$6
dv1=$7
ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dst" 10 0.02 \
	>"$E2E_TMP/rtt1" 2>"$E2E_TMP/ping1.err" || e2e_fail "ping failed"
[ "$(cut -d' ' -f2 "$E2E_TMP/ping1.err")" = 10 ] ||
	e2e_fail "$A's ping to $B: $(cat "$E2E_TMP/ping1.err") (sent, answered)"
sleep 1
st s2
set -- $(jget "$E2E_TMP/s2.json" rx_frames delivered) || e2e_fail "status 2"
rx2=$1
dv2=$2
r1=$(rate s1 s2)
e2e_log "status: links_up $links; 10 pings: rx_frames $rx1 -> $rx2," \
	"delivered $dv1 -> $dv2; orbital time runs $r1 x wall time (scale 1)"
[ $((rx2 - rx1)) -ge 20 ] ||
	e2e_fail "rx_frames grew by $((rx2 - rx1)) over 10 pings (20 frames)"
[ $((dv2 - dv1)) -ge 20 ] ||
	e2e_fail "delivered grew by $((dv2 - dv1)) over 10 pings (20 frames)"
e2e_true "abs($r1 - 1) <= 0.05" ||
	e2e_timing_fail "orbital time ran $r1 x the wall clock at scale 1"

# ---- 2. live faults on the current path, at scale 1 ------------------------
st s3
o3=$(jget "$E2E_TMP/s3.json" orbital_t) || e2e_fail "status 3"
T=$(e2e_calc "round($o3 + 1, 1)")
set -- $(e2e_path "$A" "$B" "$T" "$T" 0.1)
shift 2
[ $# -ge 4 ] || e2e_fail "the path at ${T}s is $*: no laser link on it"
S1=$2
S2=$3
: >"$E2E_TMP/ev-try"
TI=""
for i in 0 1 2 3; do
	echo "${T}s down terminal $S1 $i" >"$E2E_TMP/ev-try"
	set -- $(ev_path "$E2E_TMP/ev-try" "$T" "$T" 0.1)
	shift 2
	if [ "$*" != "$(e2e_path "$A" "$B" "$T" "$T" 0.1 | cut -d' ' -f3-)" ]
	then
		TI=$i
		break
	fi
done
[ -n "$TI" ] || e2e_fail "no terminal of $S1 carries the path"
e2e_log "path at ${T}s: $(e2e_path "$A" "$B" "$T" "$T" 0.1 | cut -d' ' -f2-)" \
	"ms; acting on $S1, link $S1 $S2, terminal $S1 $TI"

: >"$E2E_TMP/events"	# the commands as an events file, each at from_step
: >"$E2E_TMP/cmds"	# wall before and after, orbital_t, from_step, command
e2e_bg ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dst" 400 0.02 \
	>"$E2E_TMP/rtt2" 2>"$E2E_TMP/ping2.err"
PING=$E2E_LAST
sleep 0.6
for cmd in "down node $S1" "up node $S1" "set link $S1 $S2 delay +5ms" \
	"down link $S1 $S2" "up link $S1 $S2" "down terminal $S1 $TI" \
	"up terminal $S1 $TI"; do
	c_ok cmd $cmd
	set -- $(jget "$E2E_TMP/cmd.json" ok orbital_t from_step) ||
		e2e_fail "ctl $cmd: $(cat "$E2E_TMP/cmd.json")"
	echo "$C_T0 $C_T1 $2 $3 $cmd" >>"$E2E_TMP/cmds"
	echo "$(($3 * STEP_MS))ms $cmd" >>"$E2E_TMP/events"
	sleep 0.8
done
wait "$PING"
alive "after the live faults"
c_ok events events
set -- $(sed -n '1p;$p' "$E2E_TMP/cmds" | cut -d' ' -f3)
ev_path "$E2E_TMP/events" "$(e2e_calc "round($1 - 2, 1)")" \
	"$(e2e_calc "round($2 + 4, 1)")" 0.1 >"$E2E_TMP/path2"
verdict=$("$PY" - "$E2E_TMP/path2" "$E2E_TMP/rtt2" "$E2E_TMP/cmds" \
	"$E2E_TMP/events.json" $STEP_MS <<'PYEOF'
import json, math, sys


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def say(msg):
    print("e2ec: " + msg, file=sys.stderr)


path = []
for l in open(sys.argv[1]):
    f = l.split()
    path.append((float(f[0]), float(f[1]) if f[1] != "nan" else math.nan))
pings = [tuple(map(float, l.split())) for l in open(sys.argv[2])
         if l.strip()]
cmds = []
for l in open(sys.argv[3]):
    f = l.split()
    cmds.append((float(f[0]), float(f[1]), float(f[2]), int(f[3]),
                 " ".join(f[4:])))
events = json.load(open(sys.argv[4]))
step = int(sys.argv[5]) / 1000.0
t0 = path[0][0]

# orbital time = wall time + off at scale 1: each answer's orbital time
# was taken during its call
off = median([c[2] - (c[0] + c[1]) / 2 for c in cmds])


def exp(o):
    i = int(math.floor((o - t0) / step + 1e-6))
    return path[min(max(i, 0), len(path) - 1)][1]


def span(o1, o2):
    i1 = int(math.floor((o1 - t0) / step + 1e-6))
    i2 = int(math.floor((o2 - t0) / step + 1e-6))
    xs = [path[min(max(i, 0), len(path) - 1)][1] for i in range(i1, i2 + 1)]
    return max(xs) - min(xs)


clean = []	# (send_wall, rtt, expected)
for recv, _, rtt in pings:
    send = recv - rtt / 1e3
    # a ping in flight while an event took effect saw both paths
    if span(send + off - 0.03, recv + off + 0.03) > 0.3:
        continue
    clean.append((send, rtt, exp(send + off)))
if len(clean) < 0.8 * len(pings):
    print("fail: only %d of %d pings away from a change" %
          (len(clean), len(pings)))
    sys.exit(0)
# the emulator's own time (TAPs, forwarding) adds a little to every RTT
bias = median([r - e for _, r, e in clean])
errs = [abs(r - bias - e) for _, r, e in clean]
within = sum(1 for e in errs if e <= 1.0) / len(errs)
say("%d pings, %d clear of the changes: RTT against path --events: "
    "%.3f ms more (median), then median error %.3f ms, %.0f%% within "
    "1 ms" % (len(pings), len(clean), bias, median(errs), 100 * within))
bad = None
timing = None
if bias > 1.0 or bias < -0.1:
    timing = "the RTT is %.3f ms above path's (median)" % bias
for i, (w0, w1, orb, k, cmd) in enumerate(cmds):
    at = k * step
    nxt = cmds[i + 1][0] if i + 1 < len(cmds) else pings[-1][0]
    prev = cmds[i - 1][0] + 3 * step + 0.1 if i else pings[0][0] - 1
    old, new = exp(at - step / 2), exp(at + step / 2)
    # from the command to the next: the old RTT up to from_step, the new
    # one after it
    seg = [(s, r, e) for s, r, e in clean if w0 <= s < nxt]
    pre = [r for s, r, e in clean if prev <= s < w0]
    post = [r for s, r, e in clean if w0 + 3 * step + 0.1 <= s < nxt]
    ahead = k - math.floor(orb / step + 1e-9)
    # seen: the first of three pings in a row with the new RTT
    lat = None
    run = []
    for recv, _, rtt in pings:
        s = recv - rtt / 1e3
        if s < w0:
            continue
        if abs(rtt - bias - new) <= 0.5 and abs(rtt - bias - old) > 0.5:
            run.append(s)
        else:
            run = []
        if len(run) == 3:
            lat = run[0] - w0
            break
    me = median([abs(r - bias - e) for _, r, e in seg]) if seg else math.nan
    dm = median(post) - median(pre) if post and pre else math.nan
    say("%-32s step %d, %d ahead; RTT %.3f -> %.3f ms (measured %+.3f); "
        "new RTT seen %s ms after the command; median error %.3f ms "
        "over %d pings" % (cmd, k, ahead, old, new, dm,
                           "%.0f" % (lat * 1e3) if lat is not None
                           else "never", me, len(seg)))
    if ahead > 3 or ahead < 0:
        bad = bad or "%s: from_step %d is %d steps after orbital %.3f s" % (
            cmd, k, ahead, orb)
    if abs(new - old) < 1.0:
        bad = bad or "%s changes path's RTT by %.3f ms only: no test" % (
            cmd, new - old)
    if cmd.startswith("set") and abs(new - old - 10) > 0.3:
        bad = bad or "%s: path's RTT changes by %.3f ms, not 10" % (
            cmd, new - old)
    if len(seg) < 5 or len(post) < 5:
        bad = bad or "%s: only %d pings after it" % (cmd, len(post))
    elif me > 0.3:
        timing = timing or ("%s: RTT %.3f ms off path's (median)" %
                            (cmd, me))
    if not math.isnan(dm) and abs(dm - (new - old)) > 0.5:
        timing = timing or ("%s: the RTT moved by %.3f ms, path's by "
                            "%.3f" % (cmd, dm, new - old))
    if lat is None:
        bad = bad or "%s: no ping saw the new RTT" % cmd
    elif lat > 3 * step + 0.1:
        timing = timing or ("%s: the new RTT came %.0f ms after the "
                            "command (at most 3 steps + 100 ms)" %
                            (cmd, lat * 1e3))
if within < 0.9:
    timing = timing or "only %.0f%% of the pings within 1 ms of path" % (
        100 * within)

# the timeline: every command, live, applied at its from_step, in order
live = [e for e in events["events"] if e["source"] == "live"]
others = len(events["events"]) - len(live)
got = [(e["event"].replace("+", ""), round(e["at_t"] / step)) for e in live]
want = [(c[4].replace("+", ""), c[3]) for c in cmds]
say("events: %d live (%s), %d other" %
    (len(live), "; ".join("%s at %.1f s" % (e["event"], e["at_t"])
                          for e in live), others))
if got != want or others:
    bad = bad or "events lists %r (%d others), not %r" % (got, others, want)
if any(abs(e["at_t"] - round(e["at_t"] / step) * step) > 2e-6 for e in live):
    bad = bad or "an event was applied between steps"
print("fail: " + bad if bad else "timing: " + timing if timing else "ok")
PYEOF
) || e2e_fail "the analysis of the live faults failed"
case $verdict in
ok) ;;
timing:*) e2e_timing_fail "${verdict#timing: }" ;;
*) e2e_fail "${verdict#fail: }" ;;
esac

# ---- 3. pause and resume, time scale -----------------------------------------
st ts time-scale 100
[ "$(jget "$E2E_TMP/ts.json" ok time_scale paused)" = "true 100 false" ] ||
	e2e_fail "time-scale 100 answered $(cat "$E2E_TMP/ts.json")"
st q1
sleep 1
st q2
r100=$(rate q1 q2)
e2e_bg ip netns exec "$A" "$PY" "$E2E_PYLIB" ping "$dst" 300 0.02 \
	>"$E2E_TMP/rtt3" 2>"$E2E_TMP/ping3.err"
PING=$E2E_LAST
sleep 0.3
# no python from here to the ping's end: the host has 2 cores
st pz pause
wp0=$C_T1
st p1
sleep 1
st p2
st pts time-scale 150
st p3
sleep 1.2
st rs resume
wr0=$C_T0
sleep 0.2
st q3
sleep 1
st q4
wait "$PING"
alive "after pause and resume"
op=$(jget "$E2E_TMP/pz.json" orbital_t) || e2e_fail "pause: no orbital_t"
set -- $(jget "$E2E_TMP/p1.json" orbital_t paused) \
	$(jget "$E2E_TMP/p2.json" orbital_t paused) \
	$(jget "$E2E_TMP/p3.json" orbital_t paused time_scale) \
	$(jget "$E2E_TMP/pts.json" paused)
e2e_log "paused at orbital $op s: status $1 ($2), 1 s later $3 ($4);" \
	"after time-scale 150: $5 ($6, time_scale $7)"
[ "$1 $2 $3 $4 $5 $6 $8" = "$op true $op true $op true true" ] ||
	e2e_fail "orbital time moved while paused, or paused is not said"
[ "$7" = 150 ] || e2e_fail "time-scale 150 while paused: status says $7"
wr=$(e2e_calc "(${W_rs% *} + ${W_rs#* }) / 2")
or=$(jget "$E2E_TMP/rs.json" orbital_t) || e2e_fail "resume: no orbital_t"
e2e_true "abs($or - $op) < 0.001" ||
	e2e_fail "orbital time jumped from $op to $or s at resume"
r150=$(rate q3 q4)
e2e_log "orbital time runs $r100 x wall time at scale 100, $r150 x after" \
	"resume at scale 150"
e2e_true "abs($r100 - 100) <= 5" ||
	e2e_timing_fail "orbital time ran $r100 x the wall clock at scale 100"
e2e_true "abs($r150 - 150) <= 7.5" ||
	e2e_timing_fail "orbital time ran $r150 x the wall clock at scale 150"
# path over the paused window as if unpaused, and after resume
: >"$E2E_TMP/none"
ev_path "$E2E_TMP/events" "$op" \
	"$(e2e_calc "round($op + ($wr0 - $wp0) * 100, 1)")" 0.1 \
	>"$E2E_TMP/path3u"
ev_path "$E2E_TMP/events" "$op" "$op" 0.1 >"$E2E_TMP/path3p"
last=$(tail -n 1 "$E2E_TMP/rtt3" | cut -d' ' -f1)
ev_path "$E2E_TMP/events" "$(e2e_calc "round($or, 1)")" \
	"$(e2e_calc "round($or + ($last - $wr) * 150 + 2, 1)")" 0.1 \
	>"$E2E_TMP/path3r"
verdict=$("$PY" - "$E2E_TMP/rtt3" "$wp0" "$wr0" "$wr" "$or" "$op" \
	"$E2E_TMP/path3u" "$E2E_TMP/path3p" "$E2E_TMP/path3r" <<'PYEOF'
import math, sys


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def say(msg):
    print("e2ec: " + msg, file=sys.stderr)


def rd(fn):
    return [(float(l.split()[0]), float(l.split()[1])) for l in open(fn)
            if l.split()[1] != "nan"]


pings = [tuple(map(float, l.split())) for l in open(sys.argv[1])
         if l.strip()]
wp0, wr0, wr, orr, op = map(float, sys.argv[2:7])
unp, pau, res = rd(sys.argv[7]), rd(sys.argv[8])[0][1], rd(sys.argv[9])
# paused: sent after the pause was answered, back before resume was asked
held = [(recv - r / 1e3, r) for recv, _, r in pings
        if recv - r / 1e3 >= wp0 + 0.01 and recv < wr0]
if len(held) < 50:
    print("fail: only %d pings while paused" % len(held))
    sys.exit(0)


def near(xs):
    """the fraction of xs within 0.5 ms of their median"""
    m = median(xs)
    return sum(1 for x in xs if abs(x - m) <= 0.5) / len(xs)


# unpaused (at scale 100) path's RTT at each of these pings
u0, udt = unp[0][0], unp[1][0] - unp[0][0]
unp_at = [unp[min(int((op + (s - wp0) * 100 - u0) / udt + 1e-6),
                  len(unp) - 1)][1] for s, _ in held]
rtts = sorted(r for _, r in held)
mid = median(rtts)
hn, un = near(rtts), near(unp_at)
uspan = max(r for _, r in unp) - min(r for _, r in unp)
say("paused %.2f s: %d pings, RTT median %.3f ms (path at the paused "
    "moment %.3f), min %.3f max %.3f, %.0f%% within 0.5 ms of the median; "
    "unpaused, path's RTT would have spanned %.3f ms, %.0f%% of it within "
    "0.5 ms of its median" % (wr0 - wp0, len(held), mid, pau, rtts[0],
                              rtts[-1], 100 * hn, uspan, 100 * un))
# after resume: orbital time = or + (wall - wr) * 150, the wall time of
# the resume known to a few ms: searched within +-50 ms
after = [(recv - r / 1e3, r) for recv, _, r in pings
         if recv - r / 1e3 >= wr + 0.05]
t0, dt = res[0][0], res[1][0] - res[0][0]


def at(o):
    i = int(math.floor((o - t0) / dt + 1e-6))
    return res[min(max(i, 0), len(res) - 1)][1]


best = None
for k in range(-10, 11):
    e = median([abs(r - at(orr + (s - wr + k * 0.005) * 150))
                for s, r in after])
    if best is None or e < best[0]:
        best = (e, k * 0.005)
errs = [abs(r - at(orr + (s - wr + best[1]) * 150)) for s, r in after]
within = sum(1 for e in errs if e <= 1.0) / max(len(errs), 1)
aspan = max(r for _, r in after) - min(r for _, r in after) if after else 0
pspan = max(r for _, r in res) - min(r for _, r in res)
say("after resume: %d pings, RTT span %.3f ms (path's %.3f); against "
    "path at scale 150: median error %.3f ms, %.0f%% within 1 ms "
    "(clock offset %+.3f s)" %
    (len(after), aspan, pspan, best[0], 100 * within, best[1]))
if uspan < 3 or un > 0.5:
    print("fail: unpaused, path's RTT spans only %.3f ms, %.0f%% within "
          "0.5 ms of its median: no test" % (uspan, 100 * un))
elif hn < 0.8:
    print("fail: the RTT moved while paused (%.3f to %.3f ms, %.0f%% "
          "within 0.5 ms of the median)" % (rtts[0], rtts[-1], 100 * hn))
elif abs(mid - pau) > 1.0:
    print("timing: paused RTT %.3f ms, path's %.3f" % (mid, pau))
elif len(after) < 50:
    print("fail: only %d pings after resume" % len(after))
elif pspan < 3:
    print("fail: path's RTT after resume spans %.3f ms only: no test" %
          pspan)
elif aspan < 3:
    print("fail: the RTT spans %.3f ms after resume: it did not move" %
          aspan)
elif best[0] > 0.5 or within < 0.8:
    print("timing: after resume the RTT is %.3f ms off path's (median), "
          "%.0f%% within 1 ms" % (best[0], 100 * within))
else:
    print("ok")
PYEOF
) || e2e_fail "the analysis of pause and resume failed"
case $verdict in
ok) ;;
timing:*) e2e_timing_fail "${verdict#timing: }" ;;
*) e2e_fail "${verdict#fail: }" ;;
esac
c_ok ts1 time-scale 1

# ---- 4. errors -------------------------------------------------------------
c_err 'run 999999 is not up' 999999 status
c_err 'node "nope" does not exist' down node nope
c_err 'time scale "-1"' time-scale -1
c_err 'time scale "0"' time-scale 0
c_err 'time scale "abc"' time-scale abc
c_err '"frobnicate" is not a command' frobnicate
c_err '"frobnicate" is not a command' "$A" frobnicate
alive "after the refused commands"

# an unprivileged user: refused by ctl, and the sockets are root's alone
chmod 711 "$E2E_TMP"
runuser -u nobody -- "$LM" ctl status >"$E2E_TMP/err.out" \
	2>"$E2E_TMP/err.err"
rc=$?
chmod 700 "$E2E_TMP"
[ "$rc" -eq 1 ] && grep -q 'needs root' "$E2E_TMP/err.err" ||
	e2e_fail "ctl as nobody exited $rc: $(cat "$E2E_TMP/err.err")"
e2e_log "ctl as nobody: $(cat "$E2E_TMP/err.err") (exit 1)"
set -- $(stat -c '%a %U %G' /run/lasermesh/ctl) \
	$(stat -c '%a %U %F' "/run/lasermesh/ctl/$PID.sock")
e2e_log "/run/lasermesh/ctl: $1 $2 $3; $PID.sock: $4 $5 $6 $7"
[ "$1 $2 $3 $4 $5" = "700 root root 600 root" ] ||
	e2e_fail "the control sockets are not root's alone: $*"
SOCK=/run/lasermesh/ctl/$PID.sock
# a peer that reaches the socket (file system uid 0) as uid nobody
"$PY" - "$SOCK" >"$E2E_TMP/peer" 2>&1 <<'PYEOF' ||
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
os.setresuid(0, 65534, 0)
libc.setfsuid(0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
try:
    s.sendall(b"pause\n")
except (BrokenPipeError, ConnectionResetError):
    pass			# refused at once: the answer is there to read
print(s.recv(4096).decode().strip())
PYEOF
	e2e_fail "a connection as nobody: $(cat "$E2E_TMP/peer")"
e2e_log "pause from a peer of uid nobody: $(cat "$E2E_TMP/peer")"
grep -q '"ok":false.*only root' "$E2E_TMP/peer" ||
	e2e_fail "a peer of uid nobody was not refused: $(cat "$E2E_TMP/peer")"
st pq
[ "$(jget "$E2E_TMP/pq.json" paused)" = false ] ||
	e2e_fail "a peer of uid nobody paused the run"

# hostile clients: a long line, silence, an unknown word
cat >"$E2E_TMP/client.py" <<'PYEOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(5)
t = time.monotonic()
got = b""
what = ""
try:
    if sys.argv[2] == "long":
        s.sendall(b"x" * 10240)
    elif sys.argv[2] == "word":
        s.sendall(b"frobnicate now\n")
except (BrokenPipeError, ConnectionResetError):
    what = " (sending: dropped)"	# what the run said is still readable
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
    end = "closed"
except socket.timeout:
    end = "still open"
except ConnectionResetError:
    end = "reset"
print("%.2f %s%s" % (time.monotonic() - t,
                     got.decode(errors="replace").strip() or end, what))
PYEOF
"$PY" "$E2E_TMP/client.py" "$SOCK" long >"$E2E_TMP/long" 2>&1
e2e_log "10 KiB without a newline: after $(cat "$E2E_TMP/long")"
grep -qE '^[0-9.]+ (closed|reset|\{"ok":false.*4096)' "$E2E_TMP/long" ||
	e2e_fail "10 KiB without a newline: $(cat "$E2E_TMP/long")"
"$PY" "$E2E_TMP/client.py" "$SOCK" word >"$E2E_TMP/word" 2>&1
e2e_log "an unknown word: $(cat "$E2E_TMP/word")"
grep -qE '^[0-9.]+ \{"ok":false.*frobnicate now' "$E2E_TMP/word" ||
	e2e_fail "an unknown word: $(cat "$E2E_TMP/word")"
e2e_bg "$PY" "$E2E_TMP/client.py" "$SOCK" silent >"$E2E_TMP/silent" 2>&1
SILENT=$E2E_LAST
sleep 0.3
st qs
wait "$SILENT"
d=$(e2e_calc "round($C_T1 - $C_T0, 3)")
e2e_log "nothing sent: $(cat "$E2E_TMP/silent"); a status meanwhile took $d s"
grep -qE '^[0-3]\.[0-9]+ (closed|reset|\{"ok":false)' "$E2E_TMP/silent" ||
	e2e_fail "a silent client: $(cat "$E2E_TMP/silent") (in seconds)"
e2e_true "$d < 1" || e2e_timing_fail "status took $d s beside a silent client"
alive "after the hostile clients"
st qh

# a stopped run: ctl gives up instead of waiting for ever
kill -STOP "$E2E_RUN_PID"
t0=$(e2e_now)
c_err 'did not answer within' status
d=$(e2e_calc "round($(e2e_now) - $t0, 2)")
kill -CONT "$E2E_RUN_PID"
e2e_log "a stopped run: ctl gave up after $d s"
e2e_true "$d < 8" || e2e_fail "ctl waited $d s for a stopped run"
st qc
alive "after a stop and a continue"

# two runs up: ctl needs one named
"$LM" run "$CONF2" --no-status >"$E2E_TMP/run2.out" 2>"$E2E_TMP/run2.err" &
R2=$!
E2E_BG_PIDS="$E2E_BG_PIDS $R2"
i=0
until grep -q '^ready' "$E2E_TMP/run2.out"; do
	kill -0 "$R2" 2>/dev/null ||
		e2e_fail "the second run ended: $(tail -n 3 "$E2E_TMP/run2.err")"
	i=$((i + 1))
	[ $i -lt 3000 ] || e2e_fail "the second run not ready in 30 s"
	sleep 0.01
done
c_err '2 runs are up' status
st two1 "$A" status
st two2 e2ec-c status
st two3 "$R2" status
set -- $(jget "$E2E_TMP/two1.json" pid) $(jget "$E2E_TMP/two2.json" pid) \
	$(jget "$E2E_TMP/two3.json" pid)
[ "$*" = "$PID $R2 $R2" ] ||
	e2e_fail "runs named $A, e2ec-c, $R2 answered as $* (runs $PID, $R2)"
kill -TERM "$R2"
wait "$R2"
rc=$?
[ "$rc" -eq 0 ] || e2e_fail "the second run exited $rc"
c_err '"e2ec-c" is neither a command nor a tapped node' e2ec-c status
c_err "run $R2 is not up" "$R2" status

alive "at the end"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
e2e_log "summary: $(grep 'faults applied' "$E2E_TMP/run.err")"
c_err 'no run is up' "$A" status
e2e_pass "status, live faults, pause, resume, time scale and errors of ctl"
