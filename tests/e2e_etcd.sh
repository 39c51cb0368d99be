#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_etcd.sh - a 5-member etcd cluster on five satellites loses its
# leader's satellite: a new leader is elected, writes succeed again, the
# old leader rejoins after `up`, and no acknowledged write is lost
#
# Five tapped satellites (tests/data/e2e/et.conf), one etcd member in each
# node's namespace. Election settings: --heartbeat-interval 100ms (about
# twice the largest member-to-member RTT, 51 ms: etcd's tuning guide asks
# for about the RTT) and --election-timeout 1000ms (10 heartbeats, the
# guide's rule of thumb, so that a heartbeat late by a few RTTs on this
# shared 2-CPU host does not start an election); --pre-vote so that the
# isolated old leader does not come back with a higher term and depose
# the new one.
# Steps: write NKEYS keys, find the leader (endpoint status), take its
# satellite down with `lasermesh ctl down node` while a put through a
# surviving member and an endpoint status of the survivors start every
# 100 ms; then `ctl up node` and poll the old leader's status every 100 ms.
# Checks (times from the event's wall time in the run's --log):
#  - a survivor names a new leader, and a put through a survivor succeeds,
#    within 2 x election timeout + 5 x RTT + 0.5 s. etcd's raft draws
#    each follower's timeout from [ET, 2 ET) after the last heartbeat, a
#    (pre-)vote round costs one RTT and the commit of a put another: 5
#    RTTs of the largest RTT between survivors with the leader down
#    (`lasermesh path --events`) leave room for one lost round; 0.5 s is
#    the 100 ms poll period plus etcdctl's own start (0.1-0.3 s on this
#    host under load);
#  - the old leader answers with the new leader and a raft index at least
#    the survivors' index at `up` within 3 s of the up: a heartbeat
#    (100 ms) and a few RTTs, plus TCP's backed-off retransmission on the
#    peer connections that were cut (Linux doubles the RTO from 200 ms:
#    after 5-8 s of outage the next try is up to 1.6-3.2 s away, unless
#    etcd dials again first);
#  - every acknowledged key reads back with its value, through a survivor
#    (linearizable) and from the old leader's own store (serializable).
. tests/e2e_lib.sh

e2e_begin e2ed tests/data/e2e/et.conf etcd etcdctl
HB=100			# ms, etcd --heartbeat-interval
ET=1000			# ms, etcd --election-timeout
NKEYS=40		# keys written before the failure
DOWN_TICKS=80		# 100 ms polls around the failure (8 s)
UP_TICKS=50		# 100 ms polls after the up (5 s)
REJOIN_MAX=3		# s

e2e_run_start --duration 600s --log "$E2E_TMP/log.jsonl"
export ETCDCTL_API=3

# ectl NODE ARGS...: etcdctl in NODE's namespace
ectl() {
	local n=$1
	shift
	ip netns exec "$n" etcdctl --dial-timeout=1s --command-timeout=2s "$@"
}

# poll_bg OUT TICKS CMD...: start `CMD... i` every 100 ms (i = 0, 1, ...,
# TICKS - 1), each in the background; one line per try in OUT:
# "i start end rc output".
poll_bg() {
	local out=$1 ticks=$2 i=0
	shift 2
	while [ $i -lt "$ticks" ]; do
		(
			s=$(e2e_now)
			o=$("$@" $i 2>/dev/null)
			rc=$?
			echo "$i $s $(e2e_now) $rc $(echo "$o" | tr -d '\n')" \
				>>"$out"
		) &
		i=$((i + 1))
		sleep 0.1
	done
	wait
}

cluster=""
eps=""
for n in $E2E_NODES; do
	a=$(e2e_addr "$n" 4)
	[ -n "$a" ] || e2e_fail "no address for $n"
	echo "$a $n" >>"$E2E_TMP/addrs"
	cluster="$cluster${cluster:+,}$n=http://$a:2380"
	eps="$eps${eps:+,}http://$a:2379"
done
mkdir "$E2E_TMP/etcd"
for n in $E2E_NODES; do
	a=$(e2e_addr "$n" 4)
	e2e_bg ip netns exec "$n" etcd --name "$n" \
		--data-dir "$E2E_TMP/etcd/$n" \
		--listen-peer-urls "http://$a:2380" \
		--initial-advertise-peer-urls "http://$a:2380" \
		--listen-client-urls "http://$a:2379,http://127.0.0.1:2379" \
		--advertise-client-urls "http://$a:2379" \
		--initial-cluster "$cluster" --initial-cluster-state new \
		--initial-cluster-token e2ed --logger zap \
		--heartbeat-interval $HB --election-timeout $ET --pre-vote \
		>"$E2E_TMP/etcd/$n.log" 2>&1
done
first=$(echo $E2E_NODES | cut -d' ' -f1)
i=0
until ectl "$first" --endpoints="$eps" endpoint health >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 60 ] || e2e_fail "the etcd cluster is not healthy after 30 s:" \
		"$(tail -n 3 "$E2E_TMP/etcd/$first.log")"
	sleep 0.5
done

# NKEYS puts, spread over the members
i=1
while [ $i -le $NKEYS ]; do
	n=$(echo $E2E_NODES | cut -d' ' -f$((i % 5 + 1)))
	ectl "$n" --endpoints=http://127.0.0.1:2379 put "key-$i" "v$i" \
		>/dev/null || e2e_fail "put key-$i through $n failed"
	echo "key-$i v$i" >>"$E2E_TMP/acked"
	i=$((i + 1))
done

# status JSON on stdin -> "leader_node leader_id max_raft_index"
status() {
	"$PY" -c '
import json, sys
addr = dict(l.split() for l in open(sys.argv[1]))
st = json.load(sys.stdin)
lead = [e for e in st
        if e["Status"].get("leader") == e["Status"]["header"]["member_id"]]
if len(lead) != 1:
    sys.exit("no single leader: %r" % st)
node = addr[lead[0]["Endpoint"].split("//")[1].split(":")[0]]
print(node, lead[0]["Status"]["leader"],
      max(e["Status"]["raftIndex"] for e in st))
' "$E2E_TMP/addrs"
}
set -- $(ectl "$first" --endpoints="$eps" endpoint status -w json | status)
LEADER=$1
OLD_ID=$2
[ -n "$LEADER" ] || e2e_fail "cannot find the leader"
SURV=$(echo $E2E_NODES | tr ' ' '\n' | grep -vx "$LEADER" | tr '\n' ' ')
S1=$(echo $SURV | cut -d' ' -f1)
seps=""
for n in $SURV; do seps="$seps${seps:+,}http://$(e2e_addr "$n" 4):2379"; done
old_addr=$(e2e_addr "$LEADER" 4)

# the largest RTT between survivors once the leader is down, from path
t=$(e2e_orbit_t "$(e2e_now)")
echo "0 down node $LEADER" >"$E2E_TMP/down.events"
rtt=0
rest=$SURV
for a in $SURV; do
	rest=${rest#"$a "}
	for b in $rest; do
		r=$("$LM" path "$E2E_CONF" "$a" "$b" --from "$t" --to "$t" \
			--events "$E2E_TMP/down.events" | tail -n 1 | cut -d, -f2)
		[ -n "$r" ] || e2e_fail "$a and $b are cut off without $LEADER"
		rtt=$(e2e_calc "max($rtt, $r / 1e9)")
	done
done
e2e_log "leader $LEADER; survivors' largest RTT with it down" \
	"$(e2e_calc "round($rtt * 1e3, 1)") ms"

# the failure, with polls from 1 s before it
e2e_timing_mark
put_poll() {
	ectl "$S1" --endpoints=http://127.0.0.1:2379 put "poll-$1" "p$1"
}
status_poll() { ectl "$S1" --endpoints="$1" endpoint status -w json; }
e2e_bg poll_bg "$E2E_TMP/puts" $DOWN_TICKS put_poll
P1=$E2E_LAST
e2e_bg poll_bg "$E2E_TMP/status" $DOWN_TICKS status_poll "$seps"
P2=$E2E_LAST
sleep 1
"$LM" ctl "$E2E_RUN_PID" down node "$LEADER" >"$E2E_TMP/ctl.down" ||
	e2e_fail "ctl down node $LEADER refused: $(cat "$E2E_TMP/ctl.down")"
wait "$P1"
wait "$P2"

# the up, with polls of the old leader through the mesh
set -- $(ectl "$S1" --endpoints="$seps" endpoint status -w json | status)
NEW=$1
NEW_ID=$2
IDX=$3
[ -n "$NEW" ] && [ "$NEW" != "$LEADER" ] ||
	e2e_fail "no new leader among the survivors 8 s after the failure"
e2e_bg poll_bg "$E2E_TMP/rejoin" $UP_TICKS status_poll \
	"http://$old_addr:2379"
P3=$E2E_LAST
"$LM" ctl "$E2E_RUN_PID" up node "$LEADER" >"$E2E_TMP/ctl.up" ||
	e2e_fail "ctl up node $LEADER refused: $(cat "$E2E_TMP/ctl.up")"
wait "$P3"
steal=$(e2e_steal_pct)

# every acknowledged key, through a survivor and from the old leader
awk '$4 == 0 { print "poll-" $1, "p" $1 }' "$E2E_TMP/puts" >>"$E2E_TMP/acked"
ectl "$S1" --endpoints=http://127.0.0.1:2379 get "" --prefix \
	>"$E2E_TMP/get.surv" || e2e_fail "get through $S1 failed"
ectl "$S1" --endpoints="http://$old_addr:2379" get "" --prefix \
	--consistency=s >"$E2E_TMP/get.old" || e2e_fail "get from $LEADER failed"
for p in $E2E_BG_PIDS; do e2e_kill "$p"; done
E2E_BG_PIDS=""
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

ev=$(e2e_py log-event "$E2E_TMP/log.jsonl" down node "$LEADER") ||
	e2e_fail "the log has no down node $LEADER"
t_down=${ev%% *}
ev=$(e2e_py log-event "$E2E_TMP/log.jsonl" up node "$LEADER") ||
	e2e_fail "the log has no up node $LEADER"
t_up=${ev%% *}
set -- $("$PY" - "$E2E_TMP" "$t_down" "$t_up" "$OLD_ID" "$NEW_ID" "$IDX" \
	<<'PYEOF'
import json, os, sys
d, t_down, t_up = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
old, new, idx = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

def rows(name):
    for l in open(os.path.join(d, name)):
        f = l.split(" ", 4)
        yield (float(f[1]), float(f[2]), int(f[3]),
               f[4].strip() if len(f) > 4 else "")

def first(name, t0, ok):
    ends = [e - t0 for s, e, rc, o in rows(name)
            if s >= t0 and rc == 0 and ok(o)]
    return "%.3f" % min(ends) if ends else "nan"

def leads(o):
    return any(x["Status"].get("leader", 0) not in (0, old)
               for x in json.loads(o))

def rejoined(o):
    s = json.loads(o)[0]["Status"]
    return s.get("leader") == new and s.get("raftIndex", 0) >= idx

before = sum(1 for s, e, rc, o in rows("puts") if e < t_down and rc == 0)
failed = sum(1 for s, e, rc, o in rows("puts") if s >= t_down and rc != 0)
print(first("status", t_down, leads), first("puts", t_down, lambda o: 1),
      first("rejoin", t_up, rejoined), before, failed)
PYEOF
)
t_lead=$1
t_put=$2
t_rejoin=$3
before=$4
failed=$5
lost=$("$PY" - "$E2E_TMP/acked" "$E2E_TMP/get.surv" "$E2E_TMP/get.old" <<'PYEOF'
import sys
acked = dict(l.split() for l in open(sys.argv[1]))
out = []
for f in sys.argv[2:]:
    l = open(f).read().split("\n")
    got = dict(zip(l[0::2], l[1::2]))
    out.append(sum(1 for k, v in acked.items() if got.get(k) != v))
print(len(acked), *out)
PYEOF
)
set -- $lost
bound=$(e2e_calc "round(2 * $ET / 1e3 + 5 * $rtt + 0.5, 3)")
e2e_log "acknowledged writes $1 ($NKEYS before, $before polls before the" \
	"failure, $failed polls failed after it); lost: $2 through $S1, $3 in" \
	"$LEADER's store"
e2e_log "leader $LEADER down: new leader $NEW seen after $t_lead s, a put" \
	"succeeds after $t_put s (bound $bound s); old leader rejoins" \
	"$t_rejoin s after up (bound $REJOIN_MAX s); host steal $steal%"
[ "$before" -gt 0 ] || e2e_fail "no put succeeded before the failure"
[ "$failed" -gt 0 ] || e2e_fail "no put failed after the failure: no test"
[ "$2" -eq 0 ] || e2e_fail "$2 acknowledged writes lost (read through $S1)"
[ "$3" -eq 0 ] || e2e_fail "$3 acknowledged writes missing in $LEADER"
e2e_true "$t_lead <= $bound" ||
	e2e_timing_fail "new leader after $t_lead s, bound $bound s"
e2e_true "$t_put <= $bound" ||
	e2e_timing_fail "put succeeded again after $t_put s, bound $bound s"
e2e_true "$t_rejoin <= $REJOIN_MAX" ||
	e2e_timing_fail "old leader rejoined after $t_rejoin s, bound $REJOIN_MAX s"
e2e_pass "etcd elects $NEW ${t_lead}s after $LEADER fails, writes again" \
	"after ${t_put}s, $LEADER rejoins ${t_rejoin}s after up, nothing lost"
