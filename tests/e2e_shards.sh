#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_shards.sh - three shards on three "hosts", started by mpirun, give
# the paths and RTTs of one process; a route change across the cut is
# followed; killing one shard ends the run on all and leaves nothing
#
# tests/data/e2e/shd.conf split by planes over three shards, one per host
# namespace of tests/lib/shardhosts.sh (a bridge for the LAN), each with
# its own orted reached over that LAN. The same configuration first runs
# in one process. For each run: the median RTT of 60 pings shd-0-0 ->
# shd-8-0 (two cuts on the way), minus `lasermesh path`'s for the same
# moments, must agree within 0.3 ms between the two runs; traceroute must
# list the same hops; an iperf3 TCP flow shd-0-0 -> shd-4-0 (3 s) must
# see the same smallest RTT (again against path's) within 0.3 ms. Then, in
# the sharded run, shd-3-0 (the cut link's end) goes down at t = 16 s
# (shd.events): pings keep being answered and traceroute shows path's new
# route. Then `lasermesh ctl` on shard 2 takes down a node of that route
# live: every shard applies it at the same step, and traceroute follows
# path's route with it. pause, time-scale 2 and resume, each given to
# another shard, change every shard's orbital clock. Last, shard 2 is
# SIGKILLed: the other two must end within 10 s
# (3 s of silence, then their teardown), mpirun with them; `lasermesh
# cleanup` (what the killed shard's host runs) then leaves nothing.
#
# The shards' namespaces live in the mount namespace of the host's `ip
# netns exec`: commands reach a node through its shard's (nsenter -m).
. tests/e2e_lib.sh
. tests/lib/shardhosts.sh

e2e_begin shd tests/data/e2e/shd.conf ping traceroute iperf3 mpirun nsenter
A=shd-0-0
B=shd-4-0
C=shd-8-0
TOL_MS=0.3
HP=lmsh
EV=tests/data/e2e/shd.events

# At exit, before e2e_lib's own clean-up: end every shard still running
# (SIGTERM: their teardown), so that mpirun ends with them.
shd_stop() {
	sh_shards_stop "$E2E_RUN_PID" $A $B $C
	E2E_RUN_PID=""
	sh_hosts_down $HP 3
}
trap 'rc=$?; shd_stop; (exit $rc); e2e_cleanup' EXIT

# on NODE CMD...: CMD in NODE's namespace (through its shard's mounts)
on() {
	if [ "$MODE" = one ]; then
		ip netns exec "$@"
	else
		[ -n "$(sh_run_pid "$1")" ] || e2e_fail "no shard taps $1"
		sh_on "$@"
	fi
}

# measure TAG: ping RTT - path, traceroute hops, iperf3 min RTT - path
measure() {
	local tag=$1 dc db t0 t1 i
	dc=$(e2e_addr "$C" 4)
	db=$(e2e_addr "$B" 4)
	e2e_ping_path on "$A" "$C" 60
	eval "PING_$tag=$E2E_PING_MS"
	on "$A" traceroute -4 -n -q 1 -w 3 -m 12 "$dc" 2>/dev/null |
		awk 'NR > 1 { print $2 }' | tr '\n' ' ' >"$E2E_TMP/hops_$tag"
	# iperf3: one-shot server at B, 3 s from A
	on "$B" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	E2E_BG_PIDS="$E2E_BG_PIDS $!"
	i=0
	until on "$B" ss -ltn | grep -q ':5201 '; do
		i=$((i + 1))
		[ $i -lt 100 ] || e2e_fail "$tag: iperf3 server did not start"
		sleep 0.05
	done
	t0=$(e2e_now)
	on "$A" iperf3 -c "$db" -p 5201 -t 3 -J >"$E2E_TMP/iperf.json" \
		2>"$E2E_TMP/iperf.err" ||
		e2e_fail "$tag: iperf3 failed: $(tail -n 3 "$E2E_TMP/iperf.err")"
	t1=$(e2e_now)
	e2e_path "$A" "$B" "$(e2e_orbit_t "$t0")" "$(e2e_orbit_t "$t1")" 0.5 \
		>"$E2E_TMP/ipath"
	set -- $("$PY" - "$E2E_TMP/iperf.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))["end"]["streams"][0]["sender"]
print(s["min_rtt"] / 1000.0, s["bits_per_second"] / 1e6)
PYEOF
)
	eval "TCP_$tag=\$(e2e_calc \"round($1 - \$(e2e_py median 2 <\$E2E_TMP/ipath), 4)\")"
	eval "MBPS_$tag=$2"
	e2e_log "$tag: ping RTT - path $(eval echo \$PING_$tag) ms;" \
		"TCP min RTT - path $(eval echo \$TCP_$tag) ms at $2 Mbit/s;" \
		"hops $(cat "$E2E_TMP/hops_$tag")"
}

# route_now EVENTS: A's route to B now, by traceroute (node names, in
# $got) and by `lasermesh path` with EVENTS (in $want), A left out of both
route_now() {
	local t hops h
	t=$(e2e_orbit_t "$(e2e_now)")
	hops=$(on "$A" traceroute -4 -n -q 1 -w 3 -m 12 "$db" 2>/dev/null |
		awk 'NR > 1 { print $2 }' | tr '\n' ' ')
	want=$("$LM" path "$E2E_CONF" "$A" "$B" --from "$t" --to "$t" \
		--events "$1" | tail -n 1 | cut -d, -f3 | cut -d' ' -f2-)
	got=""
	for h in $hops; do
		got="$got $(awk -v a="$h" '$1 == a { print $2; exit }' /etc/netns/$A/hosts)"
	done
	got=${got# }
}

# ---- one process ----------------------------------------------------------
MODE=one
e2e_run_start --spin 100us --duration 60s
measure one
e2e_run_stop
[ "$E2E_RUN_RC" = 0 ] || e2e_fail "the one-process run exited $E2E_RUN_RC"

# ---- three shards, one per host, by mpirun -----------------------------------
MODE=shards
sh_hosts_up $HP 3 || e2e_fail "cannot make the host namespaces"
: >"$E2E_TMP/run.out"
# 5 s between mpirun's SIGTERM and SIGKILL when a rank dies: the shards
# tear down in well under a second, and mpirun's daemons wait that long
# (twice) even when every rank has gone, which at the default 20 s made
# this test wait 40 s for mpirun
SH_SIGKILL_S=5 sh_mpirun $HP 3 -- "$LM" run "$(pwd)/$E2E_CONF" --no-status --spin 100us \
	--duration 60s --events "$(pwd)/$EV" >"$E2E_TMP/run.out" \
	2>"$E2E_TMP/run.err" &
E2E_RUN_PID=$!
e2e_wait_ready mpirun 3 60 "$E2E_RUN_PID" "$E2E_TMP/run.out"
grep '^shard [0-9]: offset' "$E2E_TMP/run.out" | sed 's/^/  /' >&2
for n in $A $B $C; do
	[ -n "$(sh_run_pid $n)" ] || e2e_fail "no shard taps $n"
done
[ "$(sh_run_pid $A)" != "$(sh_run_pid $B)" ] &&
	[ "$(sh_run_pid $B)" != "$(sh_run_pid $C)" ] ||
	e2e_fail "$A, $B and $C are not on three shards"
measure shards

[ "$(cat "$E2E_TMP/hops_one")" = "$(cat "$E2E_TMP/hops_shards")" ] ||
	e2e_fail "traceroute hops differ: one process $(cat "$E2E_TMP/hops_one"), shards $(cat "$E2E_TMP/hops_shards")"
d=$(e2e_calc "round($PING_shards - $PING_one, 4)")
e2e_true "abs($d) <= $TOL_MS" ||
	e2e_timing_fail "ping RTTs differ by $d ms (tolerance $TOL_MS)"
d=$(e2e_calc "round($TCP_shards - $TCP_one, 4)")
e2e_true "abs($d) <= $TOL_MS" ||
	e2e_timing_fail "TCP smallest RTTs differ by $d ms (tolerance $TOL_MS)"

# ---- a route change across the cut ------------------------------------------
db=$(e2e_addr "$B" 4)
t=$(e2e_orbit_t "$(e2e_now)")
e2e_true "$t < 15.5" || e2e_skip "the measurements took until t = $t s, after the event"
sleep "$(e2e_calc "16.5 - $t")"
on "$A" ping -c 3 -i 0.2 -W 3 "$db" >/dev/null ||
	e2e_fail "no answer from $B after shd-3-0 went down"
route_now "$EV"
[ "$got" = "$want" ] ||
	e2e_fail "after the change traceroute shows ${got:-nothing}, path says $want"
case " $want " in *" shd-3-0 "*) e2e_fail "path still through shd-3-0" ;; esac
e2e_log "route change followed: $want"

# ---- a live fault on one shard reaches every shard ------------------------------
# `lasermesh ctl` on C's shard takes down the first node of A's route to
# B; every shard must apply it at the same step (no disagreement), A's
# shard must list it, and traceroute must follow path's route with it.
x=${want%% *}
[ "$x" != "$B" ] || e2e_skip "the route to $B has no node between"
"$LM" ctl "$C" down node "$x" >"$E2E_TMP/ctl.json" ||
	e2e_fail "ctl down node $x refused: $(cat "$E2E_TMP/ctl.json")"
tx=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["orbital_t"])' \
	"$E2E_TMP/ctl.json")
{ cat "$EV"; printf '%ss\tdown node %s\n' "$tx" "$x"; } >"$E2E_TMP/live.events"
t=$(e2e_orbit_t "$(e2e_now)")
sleep "$(e2e_calc "max(0.1, $tx - $t + 0.5)")"
"$LM" ctl "$A" events | grep -q "\"source\":\"live\",\"event\":\"down node $x\"" ||
	e2e_fail "$A's shard did not take the live event: $("$LM" ctl "$A" events)"
on "$A" ping -c 3 -i 0.2 -W 3 "$db" >/dev/null ||
	e2e_fail "no answer from $B after $x went down live"
route_now "$E2E_TMP/live.events"
[ -n "$want" ] || e2e_fail "no route from $A to $B without $x"
[ "$got" = "$want" ] ||
	e2e_fail "after ctl down node $x traceroute shows ${got:-nothing}, path says $want"
case " $want " in *" $x "*) e2e_fail "path still through $x" ;; esac
grep -q "disagree\|cannot apply" "$E2E_TMP/run.err" &&
	e2e_fail "shards parted after the live event: $(grep "disagree\|cannot apply" "$E2E_TMP/run.err")"
e2e_log "live ctl fault on shard 2 followed by every shard: $want"

# ---- pause, time-scale and resume, each given to another shard ------------------
# clock NODE: "orbital_t paused time_scale" of the shard that taps NODE
clock() {
	"$LM" ctl "$1" status | "$PY" -c 'import json, sys
j = json.load(sys.stdin)
print(j["orbital_t"], j["paused"], j["time_scale"])'
}
# clocks_are PAUSED SCALE: every shard says so
clocks_are() {
	local n p x
	for n in $A $B $C; do
		set -- $(clock "$n") "$1" "$2"
		p=$4 x=$5
		[ "$2" = "$p" ] && e2e_true "$3 == $x" ||
			e2e_fail "$n's shard: paused $2, time scale $3; wanted $p, $x"
		set -- "$p" "$x"
	done
}
"$LM" ctl "$C" pause >/dev/null || e2e_fail "ctl pause refused"
sleep 0.8
clocks_are True 1
o1=$(clock "$A" | cut -d' ' -f1)
on "$A" ping -c 3 -i 0.2 -W 3 "$db" >/dev/null ||
	e2e_fail "no answer from $B while the shards are paused"
o2=$(clock "$B" | cut -d' ' -f1)
e2e_true "abs($o2 - $o1) < 1e-3" ||
	e2e_fail "orbital time moved while paused: $o1 on $A's shard, then $o2 on $B's"
"$LM" ctl "$B" time-scale 2 >/dev/null || e2e_fail "ctl time-scale refused"
sleep 0.8
clocks_are True 2
"$LM" ctl "$A" resume >/dev/null || e2e_fail "ctl resume refused"
sleep 0.8
clocks_are False 2
o1=$(clock "$C" | cut -d' ' -f1)
sleep 1
o2=$(clock "$A" | cut -d' ' -f1)
e2e_true "1.6 < $o2 - $o1 < 2.6" ||
	e2e_fail "after resume at 2x, orbital time went from $o1 ($C's shard) to $o2 ($A's) in 1 s"
sleep 1
grep -q "disagree\|cannot make it" "$E2E_TMP/run.err" &&
	e2e_fail "shards parted after the clock changes: $(grep "disagree\|cannot make it" "$E2E_TMP/run.err")"
e2e_log "pause (shard 2), time-scale 2 (shard 1), resume (shard 0): every shard's clock followed"

# ---- kill one shard -------------------------------------------------------------
grep -q "disagree" "$E2E_TMP/run.err" && e2e_fail "shards disagreed"
pa=$(sh_run_pid $A)
pb=$(sh_run_pid $B)
kill -KILL "$(sh_run_pid $C)"
t0=$(e2e_now)
# the others: silent 3 s, then their teardown (its last act removes the
# run file); a zombie of a child of orted counts as ended
i=0
while [ -e "/run/lasermesh/$pa.run" ] || [ -e "/run/lasermesh/$pb.run" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || e2e_fail "shards 0 and 1 still running 10 s after shard 2 was killed"
	sleep 0.1
done
t1=$(e2e_now)
# mpirun ends once its daemons have reaped them: they wait the 5 s
# between SIGTERM and SIGKILL given above (about twice, measured)
i=0
while kill -0 "$E2E_RUN_PID" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || e2e_fail "mpirun still running 30 s after a shard was killed"
	sleep 0.1
done
wait "$E2E_RUN_PID"
E2E_RUN_PID=""
# by the silence (3 s) or by the launcher's SIGTERM, whichever came first
# (mpirun passes their stderr on once its daemons have reaped them)
grep -q "silent for\|stopped by Terminated" "$E2E_TMP/run.err" ||
	e2e_fail "no shard said why it ended"
e2e_log "killed shard 2: the others ended $(e2e_calc "round($t1 - $t0, 1)") s" \
	"later, mpirun $(e2e_calc "round($(e2e_now) - $t0, 1)") s later"
# what the killed shard's host runs; the exit trap checks what is left
"$LM" cleanup >/dev/null 2>&1
sh_hosts_down $HP 3
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $left"
ip -o link show | grep -q "${HP}br\|${HP}v" && e2e_fail "host links left"
e2e_pass "shards agree with one process (ping $PING_one/$PING_shards ms," \
	"TCP $TCP_one/$TCP_shards ms against path), follow a route change" \
	"and a live ctl fault" \
	"across the cut, and end together when one is killed"
