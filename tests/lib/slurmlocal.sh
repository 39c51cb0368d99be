# SPDX-License-Identifier: MIT
# slurmlocal.sh - a private, throw-away Slurm cluster of this one machine, for tests
#
# Sourced by tests that start lasermesh shards with Slurm's srun. As root,
# `slurm_up DIR NET` makes a cluster that lives wholly in DIR (an empty
# directory, mode 755: munged wants its socket's directory searchable by
# all): its own munged (its own key, socket, pid, log and seed files), its
# own slurm.conf (SLURM_CONF, exported, points every slurm command at it),
# slurmctld -D and slurmd -D in the background, on TCP ports that were
# free, with their state, spool, pid and log files in DIR. Nothing of the
# packages' own set-up is used or touched (/etc/munge, /etc/slurm, their
# systemd units): installing Debian's packages here starts no service
# (policy-rc.d), and this cluster needs none. `slurm_down DIR` ends every
# process of it, by pid, and removes DIR.
#
# The cluster: one node named after this machine, CPUs=4 whatever the
# hardware (SlurmdParameters=config_overrides), so that three tasks fit
# two cores; proctrack/linuxproc and task/none (no cgroups); MpiDefault
# none (srun --mpi=pmix asks for PMIx, Slurm's mpi_pmix_v4 plugin).
#
# NET (like 10.77.176) is the LAN of the "hosts" of tests/lib/shardhosts.sh.
# The PMIx server of a step runs in slurmstepd, in this machine's own
# network namespace, and listens on loopback by default (PMIx 4's ptl/tcp:
# PMIX_SERVER_URI4=...;tcp4://127.0.0.1:PORT); a task moved into a host
# namespace (scripts/srun-netns-task.sh) cannot reach that. slurmd is
# started with PMIX_MCA_ptl_tcp_if_include=NET.0/24, which slurmstepd
# inherits, so the server listens on the bridge's address instead, which
# every host reaches. On a real cluster, where tasks run in their host's
# own namespace, nothing of the kind is needed.
#
#   slurm_up DIR NET   start it; 0, or 1 with the reason on stderr
#   slurm_down DIR     stop it (quietly, whatever is running) and rm DIR
#   slurm_pids DIR [COMM]
#                      the pids of every process of it still running (only
#                      those named COMM, e.g. slurmstepd, if given)

# slurm_free_ports N: N TCP ports free now, one per line
slurm_free_ports() {
	python3 - "$1" <<'PYEOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
PYEOF
}

slurm_up() {
	local d=$1 net=$2 host ports cp dp i
	host=$(hostname -s)
	mkdir -p "$d/state" "$d/spool" || return 1
	chmod 755 "$d"
	dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 2>/dev/null ||
		return 1
	chmod 400 "$d/munge.key"
	munged -F --key-file="$d/munge.key" --socket="$d/munge.sock" \
		--pid-file="$d/munged.pid" --log-file="$d/munged.log" \
		--seed-file="$d/munged.seed" >"$d/munged.out" 2>&1 &
	echo $! >"$d/munged.pid.own"
	i=0
	until [ -S "$d/munge.sock" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$(cat "$d/munged.pid.own")" \
		   2>/dev/null; then
			echo "slurm_up: munged did not start:" >&2
			tail -n 5 "$d/munged.out" >&2
			return 1
		fi
		sleep 0.05
	done
	ports=$(slurm_free_ports 2) || return 1
	cp=$(echo "$ports" | sed -n 1p)
	dp=$(echo "$ports" | sed -n 2p)
	cat >"$d/slurm.conf" <<EOF
# written by tests/lib/slurmlocal.sh; removed with its directory
ClusterName=lmtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$cp
SlurmdPort=$dp
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
TmpFS=$d
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
SlurmdParameters=config_overrides
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN
PartitionName=lmtest Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
	SLURM_CONF=$d/slurm.conf
	export SLURM_CONF
	slurmctld -D >"$d/slurmctld.out" 2>&1 &
	echo $! >"$d/slurmctld.pid.own"
	PMIX_MCA_ptl_tcp_if_include=$net.0/24 slurmd -D >"$d/slurmd.out" 2>&1 &
	echo $! >"$d/slurmd.pid.own"
	i=0
	until [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ]; do
		i=$((i + 1))
		if [ $i -gt 150 ]; then
			echo "slurm_up: the node is not idle after 15 s" \
				"($(sinfo -h -N -o %t 2>&1)):" >&2
			tail -n 5 "$d/slurmctld.log" "$d/slurmd.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

# The processes of the cluster in DIR: the daemons it started, and any
# slurmstepd or slurmscriptd whose environment names its slurm.conf (they
# inherit slurmd's and slurmctld's). A zombie counts as gone.
slurm_pids() {
	local d=$1 want=${2:-} f p c
	{
		for f in "$d"/*.pid.own; do
			[ -f "$f" ] && echo "/proc/$(cat "$f")"
		done
		for p in /proc/[0-9]*; do
			tr '\0' '\n' 2>/dev/null <"$p/environ" |
				grep -qx "SLURM_CONF=$d/slurm.conf" && echo "$p"
		done
	} | sort -u | while read -r p; do
		c=$(cat "$p/comm" 2>/dev/null) || continue
		case $c in
		slurmstepd|slurmscriptd|slurmd|slurmctld|munged) ;;
		*) continue ;;
		esac
		[ -z "$want" ] || [ "$c" = "$want" ] || continue
		awk '$1 == "State:" && $2 != "Z" { ok = 1 } END { exit !ok }' \
			"$p/status" 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}

slurm_down() {
	local d=$1 p i
	[ -n "$d" ] && [ -d "$d" ] || return 0
	if [ -f "$d/slurm.conf" ] && [ -n "$(slurm_pids "$d")" ]; then
		# end the steps first (their tasks get SIGTERM, then SIGKILL)
		SLURM_CONF=$d/slurm.conf scancel --quiet --full \
			--user=root 2>/dev/null
		for p in slurmd slurmctld munged; do
			[ -f "$d/$p.pid.own" ] &&
				kill -TERM "$(cat "$d/$p.pid.own")" 2>/dev/null
		done
		i=0
		while [ -n "$(slurm_pids "$d")" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		for p in $(slurm_pids "$d"); do
			echo "slurm_down: $(cat /proc/$p/comm 2>/dev/null) ($p)" \
				"still running 5 s after SIGTERM: SIGKILL" >&2
			kill -KILL "$p" 2>/dev/null
		done
		i=0
		while [ -n "$(slurm_pids "$d")" ] && [ $i -lt 20 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$d"
}
