#!/bin/sh
# SPDX-License-Identifier: MIT
# demo_allreduce.sh - torch.distributed all-reduce (gloo) across tapped
# satellites, timed against the alpha-beta model of the mesh's ring
#
# usage: scripts/demo_allreduce.sh [CONFIG] [N] [SIZE]
# Starts the mesh of CONFIG (default scripts/demo/allreduce.conf) with
# `lasermesh wrap`, puts rank i of N (default: every tapped node) in the
# namespace of the i-th tapped node with `lasermesh exec`, and all-reduces
# a float32 tensor of SIZE bytes (default 1048576; a K or M suffix means
# KiB or MiB) WARMUP times, then ITERS times timed (environment, defaults
# 5 and 30). The same all-reduce on loopback, every rank in the first
# node's namespace, gives the host's own cost. The report compares the
# median with 2 (N - 1) x (largest ring-edge RTT from `lasermesh path` +
# SIZE / N / rate) + host cost; scripts/demo/allreduce_model.py says why.
# The last line ("result ...") is for scripts (tests/e2e_allreduce.sh).
# Needs root, python3-torch (Debian's, /usr/bin/python3); LASERMESH names
# the binary (default ./lasermesh, else lasermesh from PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
if [ -z "${LASERMESH:-}" ]; then
	if [ -x ./lasermesh ]; then LASERMESH=$(pwd)/lasermesh
	else LASERMESH=lasermesh; fi
fi
WARMUP=${WARMUP:-5}
ITERS=${ITERS:-30}
PORT=${PORT:-29500}
TIMEOUT=${TIMEOUT:-300}	# s, a rank that hangs (gloo waits 30 min)

die() { echo "demo_allreduce: $*" >&2; exit 1; }

# bytes SIZE: SIZE in bytes (K = KiB, M = MiB)
bytes() {
	case $1 in
	*[!0-9KM]* | "" | [KM]*) die "size \"$1\" is not a byte count (4096, 4K, 1M)" ;;
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*) echo "$1" ;;
	esac
}

# ranks PORT OUT IFACE ADDR NODE...: one rank per NODE (rank 0 first),
# rendezvous at ADDR:PORT over IFACE; rank 0's times in OUT; a rank that
# fails or runs over TIMEOUT s fails the demo
ranks() {
	local port=$1 out=$2 ifc=$3 addr=$4 r=0 pids="" p rc=0
	shift 4
	for node in "$@"; do
		timeout "$TIMEOUT" "$LASERMESH" exec "$node" -- \
			env GLOO_SOCKET_IFNAME="$ifc" \
			"$PY" "$here/demo/allreduce_rank.py" $r $# "$addr" \
			"$port" "$SIZE" "$WARMUP" "$ITERS" "$out" &
		pids="$pids $!"
		r=$((r + 1))
	done
	for p in $pids; do wait "$p" || rc=$?; done
	[ "$rc" -eq 0 ] || die "a rank failed (exit $rc)"
}

if [ "${1:-}" = --inside ]; then
	# inside `lasermesh wrap`: the mesh is up, orbital time is about 0
	t0=$(date +%s.%N)
	CONF=$2 N=$3 SIZE=$4
	tmp=$(mktemp -d /tmp/demo-allreduce.XXXXXX)
	trap 'rm -rf "$tmp"' EXIT
	set -- $LASERMESH_NODES
	[ "$N" = 0 ] && N=$#
	[ "$N" -ge 2 ] && [ "$N" -le $# ] ||
		die "N \"$N\": $CONF taps $# nodes, N must be 2..$#"
	nodes=$(echo "$@" | tr ' ' '\n' | head -n "$N" | tr '\n' ' ')
	first=$1
	var=LASERMESH_IPV4_$(echo "$first" | tr 'a-z-' 'A-Z_')
	master=$(eval echo "\${$var:-}")
	[ -n "$master" ] || die "no IPv4 address for $first ($var)"
	echo "all-reduce of $SIZE bytes, $N ranks on: $nodes (rank 0 at" \
		"$master)"
	loop=""
	for n in $nodes; do loop="$loop $first"; done
	ranks "$PORT" "$tmp/loop" lo 127.0.0.1 $loop
	ranks $((PORT + 1)) "$tmp/mesh" lm0 "$master" $nodes
	"$PY" "$here/demo/allreduce_model.py" "$LASERMESH" "$CONF" "$t0" \
		"$SIZE" "$tmp/mesh" "$tmp/loop" $nodes
	exit 0
fi

CONF=${1:-$here/demo/allreduce.conf}
N=${2:-0}
SIZE=$(bytes "${3:-1M}")
case $N in *[!0-9]* | "") die "N \"$N\" is not a number of ranks" ;; esac
[ -f "$CONF" ] || die "no configuration \"$CONF\""
"$PY" -c "import torch.distributed" 2>/dev/null ||
	die "needs python3-torch for $PY (scripts/deps.sh installs it)"
exec "$LASERMESH" wrap "$CONF" -q -- sh "$0" --inside "$CONF" "$N" "$SIZE"
