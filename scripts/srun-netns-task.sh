#!/bin/sh
# SPDX-License-Identifier: MIT
# srun-netns-task.sh - one task of an srun step, run in the "host" namespace of its rank
#
# On a real cluster srun starts task i of a step on the i-th host of its
# allocation, and the task is simply `lasermesh run CFG`. On one machine
# whose "hosts" are network namespaces PREFIX0..PREFIX(N-1) on a bridge
# (tests/lib/shardhosts.sh), Slurm has one node and starts every task
# there, in the machine's own namespaces; this script, put in front of
# the command, moves each task to its host:
#
#   srun --mpi=pmix -n N scripts/srun-netns-task.sh PREFIX CMD...
#
# runs CMD in namespace PREFIX$SLURM_PROCID (srun sets SLURM_PROCID in
# every task, 0..N-1), as `ip netns exec` does, with the environment srun
# gave (PMIX_*, SLURM_*: the task's MPI reaches the step's PMIx server
# from there, over the LAN, which is why slurmd must be told to listen on
# it: tests/lib/slurmlocal.sh). Each task also gets its own UTS namespace
# named after its host, as scripts/mpi-netns-agent.sh gives each orted:
# Open MPI works here without it (tried), but a host's name is then its
# own, as on real hosts (MPI_Get_processor_name, Open MPI's session
# directory /tmp/ompi.HOST.UID).
set -eu
[ $# -ge 2 ] || {
	echo "usage: srun-netns-task.sh PREFIX COMMAND..." >&2
	exit 2
}
p=$1
shift
case $p in
-*|*/*|"") echo "srun-netns-task.sh: bad prefix \"$p\"" >&2; exit 2 ;;
esac
r=${SLURM_PROCID:-}
case $r in
""|*[!0-9]*)
	echo "srun-netns-task.sh: SLURM_PROCID \"$r\" is not a rank: start" \
		"it with srun" >&2
	exit 2 ;;
esac
h=$p$r
exec ip netns exec "$h" unshare --uts sh -c 'hostname "$0" && exec "$@"' \
	"$h" "$@"
