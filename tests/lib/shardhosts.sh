# SPDX-License-Identifier: MIT
# shardhosts.sh - "hosts" for sharded runs on one machine: namespaces on a bridge, and mpirun across them
#
# Sourced by tests and benchmarks that run lasermesh shards on this one
# machine as if on several hosts. Each host is a network namespace with one
# veth on a bridge in the root namespace (the LAN), lo up, and the address
# NET.(i+2)/24 (the bridge is NET.1). Names are PREFIX0..PREFIX(N-1) for the
# namespaces, PREFIXbr for the bridge, PREFIXv0.. for the veths' host ends,
# so that tests with different prefixes never meet.
#
#   sh_hosts_up PREFIX N [NET]   make them (NET like 10.77.1; by default
#                                derived from PREFIX)
#   sh_hosts_down PREFIX N       remove them (quietly, whatever exists)
#   sh_host_addr PREFIX I [NET]  the address of host I
#   sh_mpirun PREFIX N [NET] -- CMD...
#                                CMD as N ranks, rank i in host PREFIXi,
#                                through Open MPI's mpirun with
#                                scripts/mpi-netns-agent.sh as the remote
#                                agent: each host gets its own orted,
#                                reached over the LAN, as on real hosts
#   sh_srun PREFIX N [NET] [SRUN_OPTION...] -- CMD...
#                                the same through Slurm's srun (a cluster
#                                of tests/lib/slurmlocal.sh, SLURM_CONF):
#                                srun --mpi=pmix -n N SRUN_OPTION..., each
#                                task moved to its host by
#                                scripts/srun-netns-task.sh
#   sh_shards_stop JOB NODE...   at a test's exit: SIGTERM every shard that
#                                taps one of NODEs (their teardown), wait
#                                for JOB (the background subshell of
#                                sh_mpirun or sh_srun), ending its launcher
#                                if it lingers
#   sh_run_pid NODE              the pid of the shard (run) that taps NODE
#   sh_on NODE CMD...            CMD in NODE's namespace, through the mount
#                                namespace of its shard (nsenter -m): a
#                                shard's node namespaces are mounted inside
#                                the one `ip netns exec HOST` gave it
#
# mpirun's options: --oversubscribe (2 cores, N ranks), TCP only on the LAN
# for its own wire-up and for MPI (no shared memory between "hosts"), and
# 20 s between the SIGTERM it sends the other ranks when one dies and the
# SIGKILL after it, so that they can tear down what they made
# (SH_SIGKILL_S=N to change it). sh_srun gives Open MPI the same choice of
# transports through the environment (OMPI_MCA_*), which srun passes on to
# the tasks.

sh_net() {
	if [ $# -ge 2 ] && [ -n "$2" ]; then
		echo "$2"
		return
	fi
	# 10.77.20-219.x from the prefix: stable, distinct for distinct tags
	# in practice (cksum of the prefix)
	local c
	c=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
	echo "10.77.$((20 + c % 200))"
}

sh_host_addr() {
	local net
	net=$(sh_net "$1" "${3:-}")
	echo "$net.$(($2 + 2))"
}

sh_hosts_down() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		ip netns del "$1$i" 2>/dev/null
		ip link del "$1v$i" 2>/dev/null
		i=$((i + 1))
	done
	ip link del "$1br" 2>/dev/null
	return 0
}

sh_hosts_up() {
	local p=$1 n=$2 net i=0
	net=$(sh_net "$p" "${3:-}")
	sh_hosts_down "$p" "$n"
	ip link add "${p}br" type bridge || return 1
	ip addr add "$net.1/24" dev "${p}br" || return 1
	ip link set "${p}br" up || return 1
	while [ "$i" -lt "$n" ]; do
		ip netns add "$p$i" || return 1
		ip link add "${p}v$i" type veth peer name eth0 netns "$p$i" ||
			return 1
		ip link set "${p}v$i" master "${p}br" up || return 1
		ip -n "$p$i" addr add "$net.$((i + 2))/24" dev eth0 || return 1
		ip -n "$p$i" link set eth0 up || return 1
		ip -n "$p$i" link set lo up || return 1
		i=$((i + 1))
	done
}

sh_mpirun() {
	local p=$1 n=$2 net hosts i=0 agent
	shift 2
	net=$(sh_net "$p" "")
	if [ "$1" != "--" ]; then
		net=$1
		shift
	fi
	[ "$1" = "--" ] && shift
	hosts=$(mktemp)
	while [ "$i" -lt "$n" ]; do
		echo "$p$i slots=1" >>"$hosts"
		i=$((i + 1))
	done
	agent=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)/scripts/mpi-netns-agent.sh
	[ -x "$agent" ] || agent=$(pwd)/scripts/mpi-netns-agent.sh
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		mpirun --hostfile "$hosts" -np "$n" --oversubscribe \
		--mca plm_rsh_agent "$agent" \
		--mca oob_tcp_if_include "$net.0/24" \
		--mca btl self,tcp --mca btl_tcp_if_include "$net.0/24" \
		--mca odls_base_sigkill_timeout "${SH_SIGKILL_S:-20}" \
		"$@"
	local rc=$?
	rm -f "$hosts"
	return $rc
}

sh_srun() {
	local p=$1 n=$2 net task opts=""
	shift 2
	net=$(sh_net "$p" "")
	case $1 in -*) ;; *) net=$1; shift ;; esac
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts="$opts $1"	# srun options: words without spaces
		shift
	done
	[ "${1:-}" = "--" ] && shift
	task=$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)/scripts/srun-netns-task.sh
	[ -x "$task" ] || task=$(pwd)/scripts/srun-netns-task.sh
	# shellcheck disable=SC2086
	OMPI_MCA_btl=self,tcp OMPI_MCA_btl_tcp_if_include="$net.0/24" \
		srun --mpi=pmix -n "$n" $opts "$task" "$p" "$@"
}

sh_run_pid() {
	grep -lx "node $1" /run/lasermesh/*.run 2>/dev/null | head -n 1 |
		sed 's,.*/,,; s,\.run$,,'
}

sh_on() {
	local n=$1 pid
	shift
	pid=$(sh_run_pid "$n")
	if [ -z "$pid" ]; then
		echo "sh_on: no shard taps $n" >&2
		return 1
	fi
	nsenter -t "$pid" -m --wd="$PWD" ip netns exec "$n" "$@"
}

sh_shards_stop() {
	local job=$1 f n pid i
	shift
	for f in /run/lasermesh/*.run; do
		[ -f "$f" ] || continue
		for n in "$@"; do
			grep -qx "node $n" "$f" || continue
			pid=${f##*/}
			kill -TERM "${pid%.run}" 2>/dev/null
			break
		done
	done
	[ -n "$job" ] || return 0
	i=0
	while kill -0 "$job" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# the launcher is the subshell's child: TERM, 5 s, KILL
	for pid in $(ps -o pid= --ppid "$job" 2>/dev/null); do
		kill -TERM "$pid" 2>/dev/null
	done
	i=0
	while kill -0 "$job" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	for pid in $(ps -o pid= --ppid "$job" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
	wait "$job" 2>/dev/null
	return 0
}
