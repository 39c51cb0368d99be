# SPDX-License-Identifier: MIT
# lib.sh - shared helpers of the data-plane benchmarks (sourced, not run)
#
# A benchmark script does:
#	. "$(dirname "$0")/data/lib.sh"
#	bl_init NAME		root check, temporary directory, exit trap
# and then uses bl_veth_up, bl_lm_start/bl_lm_stop, bl_stats, bl_say.
# Everything it starts is recorded and stopped by the trap; namespaces are
# called lmb-* (veth baseline) or bench-* (the configurations under
# scripts/bench/data/), so nothing of another run is touched.
# Environment: BENCH_REPS (repetitions of each measurement, default 3),
# LASERMESH (the binary, default ./lasermesh).

BL_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BL_DATA=$BL_ROOT/scripts/bench/data
BL_PY=/usr/bin/python3
BL_REPS=${BENCH_REPS:-3}
BL_PIDS=""
BL_NETNS=""
BL_TMP=""
LM=${LASERMESH:-$BL_ROOT/lasermesh}

bl_say() {
	printf '%s\n' "$*"
}

# Print a line on stderr and fail the benchmark.
bl_die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

bl_cleanup() {
	for _bl_p in $BL_PIDS; do
		kill -TERM "$_bl_p" 2>/dev/null
	done
	for _bl_p in $BL_PIDS; do
		_bl_i=0
		while kill -0 "$_bl_p" 2>/dev/null && [ $_bl_i -lt 600 ]; do
			sleep 0.1
			_bl_i=$((_bl_i + 1))
		done
		kill -KILL "$_bl_p" 2>/dev/null
	done
	BL_PIDS=""
	for _bl_n in $BL_NETNS; do
		ip netns del "$_bl_n" 2>/dev/null
	done
	BL_NETNS=""
	[ -x "$LM" ] && "$LM" cleanup >/dev/null 2>&1
	[ -n "$BL_TMP" ] && rm -rf "$BL_TMP"
	BL_TMP=""
}

# bl_init NAME: skip unless root and the tools are there; arm the trap.
bl_init() {
	if [ "$(id -u)" != 0 ]; then
		bl_say "$1: skipped: not root"
		exit 0
	fi
	for _bl_t in ip iperf3 taskset "$BL_PY"; do
		command -v "$_bl_t" >/dev/null 2>&1 ||
			{ bl_say "$1: skipped: $_bl_t is missing"; exit 0; }
	done
	[ -x "$LM" ] || { bl_say "$1: skipped: $LM is not built"; exit 0; }
	BL_TMP=$(mktemp -d /tmp/lmb.XXXXXX) || bl_die "mktemp failed"
	trap 'bl_cleanup' EXIT
	trap 'bl_cleanup; trap - EXIT; exit 130' INT TERM HUP
	cd "$BL_ROOT" || bl_die "cannot cd to $BL_ROOT"
	# relative names from here on: the commands printed are the ones to
	# type in the work tree
	BL_DATA=scripts/bench/data
	# a private copy: a rebuild during the run cannot swap the binary
	cp "$LM" "$BL_TMP/lasermesh" || bl_die "cannot copy $LM"
	LM=$BL_TMP/lasermesh
	bl_say "# $1: $BL_REPS runs each; load before: $(bl_load)"
}

bl_load() {
	cut -d' ' -f1-3 /proc/loadavg
}

# Start a background command and remember its pid (BL_LAST).
bl_bg() {
	"$@" &
	BL_LAST=$!
	BL_PIDS="$BL_PIDS $BL_LAST"
}

# Stop one remembered pid (TERM, wait) and forget it.
bl_kill() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	BL_PIDS=$(printf '%s\n' $BL_PIDS | grep -vx "$1" | tr '\n' ' ')
}

# bl_reap PID [SECONDS]: let PID end by itself for a while (default 3 s),
# then stop it; forget it either way.
bl_reap() {
	_bl_i=0
	while kill -0 "$1" 2>/dev/null && [ $_bl_i -lt $((${2:-3} * 20)) ]; do
		sleep 0.05
		_bl_i=$((_bl_i + 1))
	done
	bl_kill "$1"
}

bl_forget() {
	BL_PIDS=$(printf '%s\n' $BL_PIDS | grep -vx "$1" | tr '\n' ' ')
}

bl_now_ns() {
	date +%s%N
}

# ---- the baseline: a veth pair between two namespaces ----------------------

# Addresses of RFC 2544's benchmarking range, only inside our namespaces.
BL_VA=lmb-veth-a
BL_VB=lmb-veth-b
BL_VA_IP=198.18.0.1
BL_VB_IP=198.18.0.2

bl_veth_up() {
	ip netns del $BL_VA 2>/dev/null
	ip netns del $BL_VB 2>/dev/null
	BL_NETNS="$BL_NETNS $BL_VA $BL_VB"
	ip netns add $BL_VA && ip netns add $BL_VB &&
	ip link add lmb0 netns $BL_VA type veth peer name lmb0 netns $BL_VB &&
	ip -n $BL_VA addr add $BL_VA_IP/24 dev lmb0 &&
	ip -n $BL_VB addr add $BL_VB_IP/24 dev lmb0 &&
	ip -n $BL_VA link set lmb0 up && ip -n $BL_VB link set lmb0 up &&
	ip -n $BL_VA link set lo up && ip -n $BL_VB link set lo up ||
		bl_die "cannot set up the veth pair"
}

bl_veth_down() {
	ip netns del $BL_VA 2>/dev/null
	ip netns del $BL_VB 2>/dev/null
	BL_NETNS=$(printf '%s\n' $BL_NETNS | grep -v '^lmb-veth-' |
		   tr '\n' ' ')
}

# ---- lasermesh runs ----------------------------------------------------------

# bl_lm_start TAG CONFIG [RUN OPTIONS...]: start `lasermesh run` (after the
# words of BL_LM_PREFIX, e.g. "taskset -c 1", when set) and wait for
# its "ready" line (at most BL_READY_TIMEOUT s). Sets BL_LM_PID, BL_LM_UP_NS
# (launch to ready, ns), BL_LM_T0 (CLOCK_REALTIME ns when ready was seen)
# and BL_LM_CMD (the command, for the report). Output in $BL_TMP/TAG.out/err.
bl_lm_start() {
	BL_LM_TAG=$1
	shift
	BL_LM_CMD="${BL_LM_PREFIX:+$BL_LM_PREFIX }lasermesh run $* --no-status"
	_bl_t0=$(bl_now_ns)
	bl_bg ${BL_LM_PREFIX:-} "$LM" run "$@" --no-status \
		>"$BL_TMP/$BL_LM_TAG.out" 2>"$BL_TMP/$BL_LM_TAG.err"
	BL_LM_PID=$BL_LAST
	_bl_i=0
	while ! grep -q '^ready' "$BL_TMP/$BL_LM_TAG.out" 2>/dev/null; do
		if ! kill -0 "$BL_LM_PID" 2>/dev/null; then
			cat "$BL_TMP/$BL_LM_TAG.err" >&2
			bl_die "lasermesh run $* exited before it was ready"
		fi
		_bl_i=$((_bl_i + 1))
		[ $_bl_i -gt $((${BL_READY_TIMEOUT:-120} * 100)) ] &&
			bl_die "lasermesh run $* not ready in time"
		sleep 0.01
	done
	BL_LM_T0=$(bl_now_ns)
	BL_LM_UP_NS=$((BL_LM_T0 - _bl_t0))
}

# bl_lm_stop: SIGTERM, wait for the exit; sets BL_LM_DOWN_NS and leaves the
# summary in $BL_TMP/$BL_LM_TAG.err.
bl_lm_stop() {
	_bl_t0=$(bl_now_ns)
	kill -TERM "$BL_LM_PID" 2>/dev/null
	wait "$BL_LM_PID"
	BL_LM_RC=$?
	BL_LM_DOWN_NS=$(($(bl_now_ns) - _bl_t0))
	bl_forget "$BL_LM_PID"
	BL_LM_PID=""
}

# bl_lm_cpu: CPU time (user + system, all threads) of the running
# lasermesh so far, in clock ticks.
bl_lm_cpu() {
	awk '{ print $14 + $15 }' "/proc/$BL_LM_PID/stat" 2>/dev/null || echo 0
}

BL_HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# bl_lm_addr NODE: the IPv4 address of a tapped node, from the banner.
bl_lm_addr() {
	awk -v n="$1" '$1 == n { print $2; exit }' "$BL_TMP/$BL_LM_TAG.out"
}

# bl_lm_sum FIELD: a number from the summary of the last stopped run:
# read, written, hops, delivered, overrun, late50, late99, latemax.
bl_lm_sum() {
	_bl_f=$BL_TMP/$BL_LM_TAG.err
	case $1 in
	read) sed -n 's/.*frames read \([0-9]*\).*/\1/p' "$_bl_f" ;;
	written) sed -n 's/.*, written \([0-9]*\).*/\1/p' "$_bl_f" ;;
	hops) sed -n 's/.*, hops \([0-9]*\).*/\1/p' "$_bl_f" ;;
	delivered) sed -n 's/.*, delivered \([0-9]*\);.*/\1/p' "$_bl_f" ;;
	overrun) sed -n 's/.*emulator behind): \([0-9]*\).*/\1/p' "$_bl_f" ;;
	late50) sed -n 's/.*lateness: p50 \([0-9]*\) ns.*/\1/p' "$_bl_f" ;;
	late99) sed -n 's/.*lateness: .* p99 \([0-9]*\) ns.*/\1/p' "$_bl_f" ;;
	latemax) sed -n 's/.*lateness: .* max \([0-9]*\) ns.*/\1/p' "$_bl_f" ;;
	esac | head -n 1
}

# ---- figures -------------------------------------------------------------------

# bl_stats VALUES...: "median M (min A, max B)" with the precision of the
# values as given.
bl_stats() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "n/a"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "median %s (min %s, max %s, n=%d)\n", m, v[1], v[NR], NR
		}'
}

# bl_median VALUES...: the median alone.
bl_median() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan"; exit }
			print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# bl_json FILE EXPR: evaluate a Python expression on the JSON document j.
bl_json() {
	"$BL_PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null || echo nan
}

# bl_wait_port NS PORT [udp]: wait until something listens on PORT in NS.
bl_wait_port() {
	_bl_o=-ltn
	[ "${3:-}" = udp ] && _bl_o=-lun
	_bl_i=0
	while ! ip netns exec "$1" ss -H $_bl_o "sport = :$2" 2>/dev/null |
		grep -q .; do
		_bl_i=$((_bl_i + 1))
		[ $_bl_i -gt 300 ] && bl_die "nothing listens on $1:$2"
		sleep 0.01
	done
}
