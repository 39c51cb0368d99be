#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_shards.sh - a path across the cut between shards against the same
# path in one process, same run: TCP throughput and delay error
#
# usage: sudo sh scripts/bench/bench_shards.sh [SECONDS]
#
# tests/data/e2e/shd.conf: shd-0-0 (shard 0) to shd-4-0 (shard 1) crosses
# one cut (plane 3 to plane 4, about 10 ms of light), shd-0-0 to shd-8-0
# two. First in one process, then as three shards under mpirun on three
# host namespaces (tests/lib/shardhosts.sh). For each: iperf3 TCP (cubic)
# shd-0-0 -> shd-4-0 for SECONDS (default 10), and 200 pings shd-0-0 ->
# shd-8-0 20 ms apart with kernel timestamps, whose RTT minus `lasermesh
# path`'s for the same moments is the delay error of the round trip (half
# of it each way: the path is the same both ways). The shards' summary
# lines (frames late, how early they came) are printed as they are.
# Run it under the root lock: flock /tmp/lasermesh-root.lock sh ...
set -u
cd "$(dirname "$0")/../.." || exit 1
SECS=${1:-10}
LM=${LASERMESH:-./lasermesh}
PY=/usr/bin/python3
CONF=tests/data/e2e/shd.conf
HP=lmsb
A=shd-0-0
B=shd-4-0
C=shd-8-0
TMP=$(mktemp -d /tmp/bench-shards.XXXXXX)
. tests/lib/shardhosts.sh
MP=""
LMP=""
SRV=""

srv_stop() {
	[ -n "$SRV" ] || return 0
	kill $(ps -o pid= --ppid "$SRV" 2>/dev/null) "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
	SRV=""
}

cleanup() {
	srv_stop
	[ -n "$LMP" ] && kill -TERM "$LMP" 2>/dev/null && wait "$LMP"
	for f in /run/lasermesh/*.run; do
		[ -f "$f" ] || continue
		grep -qx "node $A\|node $B\|node $C" "$f" || continue
		p=${f##*/}
		kill -TERM "${p%.run}" 2>/dev/null
	done
	if [ -n "$MP" ]; then
		sleep 2
		for p in $(ps -o pid= --ppid "$MP" 2>/dev/null); do
			kill -TERM "$p" 2>/dev/null
		done
		wait "$MP" 2>/dev/null
	fi
	"$LM" cleanup >/dev/null 2>&1
	sh_hosts_down $HP 3
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

shd_pid() {
	grep -lx "node $1" /run/lasermesh/*.run 2>/dev/null | head -n 1 |
		sed 's,.*/,,; s,\.run$,,'
}
on() {
	n=$1
	shift
	if [ "$MODE" = one ]; then
		ip netns exec "$n" "$@"
	else
		nsenter -t "$(shd_pid "$n")" -m --wd="$PWD" ip netns exec "$n" "$@"
	fi
}
addr() { awk -v n="$1" '$2 == n && $1 !~ /:/ { print $1; exit }' /etc/netns/$A/hosts; }
now() { date +%s.%N; }
calc() { "$PY" -c "print($1)"; }

measure() {
	db=$(addr $B)
	dc=$(addr $C)
	on $B iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	SRV=$!
	sleep 0.5
	on $A ping -c 1 -W 3 "$dc" >/dev/null
	t0=$(now)
	on $A "$PY" tests/e2e_lib.py ping "$dc" 200 0.02 >"$TMP/rtt" 2>/dev/null
	t1=$(now)
	"$LM" path $CONF $A $C --from "$(calc "$t0 - $READY")" \
		--to "$(calc "$t1 - $READY")" --step 0.1 |
		tail -n +2 | cut -d, -f2 >"$TMP/path"
	on $A iperf3 -c "$db" -p 5201 -t "$SECS" -J >"$TMP/iperf.json" 2>/dev/null
	# a one-shot server can outlive its test (its peer's namespace goes
	# before the last exchange): end it here. $! is the subshell that
	# runs `on`, so its child (iperf3) is ended too.
	srv_stop
	"$PY" - "$TMP/rtt" "$TMP/path" "$TMP/iperf.json" "$MODE" <<'PYEOF'
import json, statistics as st, sys
rtt = [float(l.split()[2]) for l in open(sys.argv[1]) if l.strip()]
path = st.median(int(l) for l in open(sys.argv[2]) if l.strip()) / 1e6
err = sorted((r - path) * 1e3 / 2 for r in rtt)   # one way, us
q = lambda p: err[min(len(err) - 1, int(p / 100 * len(err)))]
s = json.load(open(sys.argv[3]))["end"]
print("%-7s TCP %7.1f Mbit/s (retransmits %d); %d pings, one-way delay "
      "error p50 %.1f us, p99 %.1f us, max %.1f us" % (
	  sys.argv[4], s["sum_received"]["bits_per_second"] / 1e6,
	  s["sum_sent"].get("retransmits", 0), len(err), q(50), q(99),
	  err[-1]))
PYEOF
}

echo "load before: $(cat /proc/loadavg)"
MODE=one
"$LM" run $CONF --no-status --spin 100us --duration 120s >"$TMP/one.out" \
	2>"$TMP/one.err" &
LMP=$!
until grep -q '^ready' "$TMP/one.out"; do sleep 0.05; done
READY=$(now)
measure
kill -TERM "$LMP"
wait "$LMP"
LMP=""

MODE=shards
sh_hosts_up $HP 3 || exit 1
sh_mpirun $HP 3 -- "$LM" run "$PWD/$CONF" --no-status --spin 100us \
	--duration 120s >"$TMP/sh.out" 2>"$TMP/sh.err" &
MP=$!
until [ "$(grep -c '^ready' "$TMP/sh.out")" -ge 3 ]; do sleep 0.05; done
READY=$(now)
measure
pids="$(shd_pid $A) $(shd_pid $B) $(shd_pid $C)"
kill -TERM $pids
wait "$MP"
MP=""
grep '^  shard [0-9] of' "$TMP/sh.err"
echo "load after: $(cat /proc/loadavg)"
