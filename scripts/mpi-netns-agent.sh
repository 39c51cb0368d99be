#!/bin/sh
# SPDX-License-Identifier: MIT
# mpi-netns-agent.sh - Open MPI's remote agent for "hosts" that are network namespaces
#
# mpirun starts its daemon (orted) on each host of its hostfile through a
# remote agent, ssh by default: `AGENT HOST COMMAND...`. With this script as
# the agent (`mpirun --mca plm_rsh_agent scripts/mpi-netns-agent.sh`) and
# namespace names as the hosts, each "host" gets its own orted, which
# reaches mpirun over the namespaces' LAN as it would over a real one, and
# starts its ranks there. tests/lib/shardhosts.sh builds such hosts.
set -eu
[ $# -ge 2 ] || {
	echo "usage: mpi-netns-agent.sh HOST COMMAND..." >&2
	exit 2
}
h=$1
shift
case $h in
-*|*/*|"") echo "mpi-netns-agent.sh: bad host \"$h\"" >&2; exit 2 ;;
esac
# The daemon's command line arrives as words that ssh would hand to a
# shell on the far side: do the same. Each host also gets its own UTS
# namespace named after it: with one hostname for all, the daemons share
# one session directory under /tmp and clobber each other's files (seen:
# orted crashing in hwloc_shmem_topology_write).
exec ip netns exec "$h" unshare --uts sh -c "hostname \"\$0\" && exec sh -c \"\$1\"" "$h" "$*"
