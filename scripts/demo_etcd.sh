#!/bin/sh
# SPDX-License-Identifier: MIT
# demo_etcd.sh - an etcd cluster with one member per tapped satellite:
# `etcdctl put` latency against the mesh's RTTs
#
# usage: scripts/demo_etcd.sh [CONFIG] [WRITES]
# Starts the mesh of CONFIG (default scripts/demo/etcd.conf) with
# `lasermesh wrap`, one etcd member (Debian's etcd-server 3.4) in each
# tapped node's namespace with `lasermesh exec`, waits for a leader, then
# times WRITES (default 200) `etcdctl put`s from a client in one member's
# node (CLIENT, default: the first member that is not the leader) through
# that member, and as many serializable gets (the client's own cost). The
# report compares the median with RTT(client, leader) + the RTT from the
# leader to the follower that completes a majority + the get's median;
# scripts/demo/etcd_model.py says why. Members run with --unsafe-no-fsync
# (etcd 3.4.23 has it): the disk's fsync is not what this demo measures.
# The last line ("result ...") is for scripts (tests/e2e_etcd_latency.sh).
# Needs root, etcd and etcdctl; LASERMESH names the binary (default
# ./lasermesh, else lasermesh from PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
if [ -z "${LASERMESH:-}" ]; then
	if [ -x ./lasermesh ]; then LASERMESH=$(pwd)/lasermesh
	else LASERMESH=lasermesh; fi
fi

die() { echo "demo_etcd: $*" >&2; exit 1; }

# addr NODE: NODE's IPv4 address from wrap's environment
addr() { eval echo "\${LASERMESH_IPV4_$(echo "$1" | tr 'a-z-' 'A-Z_'):-}"; }

# ctl NODE ARGS...: etcdctl in NODE's namespace
ctl() {
	local n=$1
	shift
	"$LASERMESH" exec "$n" -- etcdctl --dial-timeout=2s \
		--command-timeout=5s "$@"
}

# leader: the node of the current raft leader, from every member's status
# (needs $first, $eps, $tmp/addrs)
leader() {
	ctl "$first" --endpoints="$eps" endpoint status -w json |
		"$PY" -c '
import json, sys
addr = dict(l.split() for l in open(sys.argv[1]))
st = json.load(sys.stdin)
lead = [e for e in st
        if e["Status"]["leader"] == e["Status"]["header"]["member_id"]]
print(addr[lead[0]["Endpoint"].split("//")[1].split(":")[0]] if lead else "")
' "$tmp/addrs"
}

if [ "${1:-}" = --inside ]; then
	# inside `lasermesh wrap`: the mesh is up, orbital time is about 0
	t0=$(date +%s.%N)
	CONF=$2 WRITES=$3
	tmp=$(mktemp -d /tmp/demo-etcd.XXXXXX)
	pids=""
	trap 'for p in $pids; do kill $p 2>/dev/null; done; wait; rm -rf "$tmp"' EXIT
	cluster="" eps=""
	for n in $LASERMESH_NODES; do
		a=$(addr "$n")
		[ -n "$a" ] || die "no IPv4 address for $n"
		echo "$a $n" >>"$tmp/addrs"
		cluster="$cluster${cluster:+,}$n=http://$a:2380"
		eps="$eps${eps:+,}http://$a:2379"
	done
	for n in $LASERMESH_NODES; do
		a=$(addr "$n")
		"$LASERMESH" exec "$n" -- etcd --name "$n" \
			--data-dir "$tmp/$n" --unsafe-no-fsync \
			--listen-peer-urls "http://$a:2380" \
			--initial-advertise-peer-urls "http://$a:2380" \
			--listen-client-urls "http://$a:2379,http://127.0.0.1:2379" \
			--advertise-client-urls "http://$a:2379" \
			--initial-cluster "$cluster" \
			--initial-cluster-state new --initial-cluster-token demo \
			--heartbeat-interval 100 --election-timeout 1000 \
			--logger zap >"$tmp/$n.log" 2>&1 &
		pids="$pids $!"
	done
	set -- $LASERMESH_NODES
	first=$1
	i=0
	until ctl "$first" --endpoints="$eps" endpoint health \
			>/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 60 ] || die "the cluster is not healthy after 30 s:" \
			"$(tail -n 3 "$tmp/$first.log")"
		sleep 0.5
	done
	leader=$(leader)
	[ -n "$leader" ] || die "no leader"
	client=${CLIENT:-}
	if [ -z "$client" ]; then
		for n in $LASERMESH_NODES; do
			[ "$n" = "$leader" ] || { client=$n; break; }
		done
	fi
	echo "etcd: $# members, leader $leader; $WRITES puts from $client"
	"$LASERMESH" exec "$client" -- "$PY" "$here/demo/etcd_writes.py" \
		"$WRITES" "$tmp/times" || die "the writes failed"
	# the model is the leader's: it must not have changed meanwhile
	[ "$(leader)" = "$leader" ] ||
		die "the leader changed during the writes (now $(leader))"
	"$PY" "$here/demo/etcd_model.py" "$LASERMESH" "$CONF" "$t0" \
		"$client" "$leader" "$tmp/times" $LASERMESH_NODES
	exit 0
fi

CONF=${1:-$here/demo/etcd.conf}
WRITES=${2:-200}
case $WRITES in *[!0-9]* | "" | 0) die "WRITES \"$WRITES\" is not a count" ;; esac
[ -f "$CONF" ] || die "no configuration \"$CONF\""
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
	die "needs etcd and etcdctl (scripts/deps.sh installs them)"
exec "$LASERMESH" wrap "$CONF" -q -- sh "$0" --inside "$CONF" "$WRITES"
