#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_srun.sh - three shards started by Slurm's srun on a private cluster
# of this machine: rank and count from srun, a ping across the cut as
# `lasermesh path` says, one shard killed ends the rest and srun
#
# tests/lib/slurmlocal.sh starts a throw-away Slurm cluster (its own
# munged, slurmctld and slurmd, its own slurm.conf, all in this test's
# directory); tests/lib/shardhosts.sh makes three "host" namespaces
# lmsr0-2 on a bridge; `srun --mpi=pmix -n 3` starts tests/data/e2e/srn.conf's
# three shards, each task moved into the host of its SLURM_PROCID by
# scripts/srun-netns-task.sh. Twice. Each time: every shard says it was
# started by srun, as shard R of 3 with host R's address (MPI's rank
# agrees with SLURM_PROCID, or launch.c refuses); the shards go ready;
# srn-0-0, srn-4-0 and srn-8-0 are on three shards. The first time, the
# median RTT of 60 pings srn-0-0 -> srn-8-0 (across the cuts) minus
# `lasermesh path`'s for the same moments is within 0.3 ms. Then
# srn-8-0's shard is SIGKILLed: the other two must end within 10 s by
# their own teardown (their run files gone: not SIGKILLed by Slurm's PMIx
# plugin, which kills a whole step when a task still connected to it dies,
# hence lasermesh leaving MPI once set up), saying why: the first time
# (plain srun) their silence rule, 3 s; the second time (srun -K) srun's
# SIGTERM, at once. srun must end within 15 s, non-zero, and its step's
# slurmstepd with it. Between the two, `srun lasermesh clocks` must say
# srun started 3 hosts and measure all 6 pairs, and `srun lasermesh wrap
# --node srn-8-0 -- CMD` must run CMD once, on host 2, where it pings
# srn-0-0 across two cuts and exits 7, which srun must give back; and
# with a long command on host 0, a SIGKILLed shard 2 must end the others
# and the command as for run. `lasermesh cleanup` (what
# the killed shard's host runs) and the test's teardown leave no
# namespace, /etc/netns entry, link, run file, Slurm or munge process, or
# lasermesh process behind.
. tests/e2e_lib.sh
. tests/lib/shardhosts.sh
. tests/lib/slurmlocal.sh

e2e_begin srn tests/data/e2e/srn.conf ping srun slurmd slurmctld munged \
	nsenter unshare
A=srn-0-0
B=srn-4-0
C=srn-8-0
TOL_MS=0.3
HP=lmsr
SL=$E2E_TMP/slurm

# At exit, before e2e_lib's own clean-up: the shards (SIGTERM), srun,
# then the cluster and the hosts.
srn_stop() {
	sh_shards_stop "$E2E_RUN_PID" $A $B $C
	E2E_RUN_PID=""
	[ -n "${E2E_KEEP:-}" ] && cp "$SL"/*.log "$E2E_TMP" 2>/dev/null
	slurm_down "$SL"
	sh_hosts_down $HP 3
}
trap 'rc=$?; srn_stop; (exit $rc); e2e_cleanup' EXIT

# The test's own lasermesh processes (its private copy $LM), one per line.
srn_lm_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$LM" ] &&
			echo "${p#/proc/}"
	done
	return 0
}

sh_hosts_up $HP 3 || e2e_fail "cannot make the host namespaces"
chmod 755 "$E2E_TMP"	# munged wants its socket's directories searchable
mkdir "$SL" && slurm_up "$SL" "$(sh_net $HP)" ||
	e2e_fail "cannot start the private Slurm cluster"
e2e_log "Slurm cluster up ($SLURM_CONF)"

# srn_start [SRUN_OPTION...]: the three shards by srun, until all are
# ready; each must say that srun started it, as shard R of 3 in host R.
srn_start() {
	local i r
	: >"$E2E_TMP/run.out"
	: >"$E2E_TMP/run.err"
	sh_srun $HP 3 "$@" -- "$LM" run "$(pwd)/$E2E_CONF" --no-status \
		--spin 100us --duration 60s >"$E2E_TMP/run.out" \
		2>"$E2E_TMP/run.err" &
	E2E_RUN_PID=$!
	e2e_wait_ready srun 3 30 "$E2E_RUN_PID" "$E2E_TMP/run.out"
	for r in 0 1 2; do
		grep -q "^shard $r of 3, started by srun, endpoint $(sh_host_addr $HP $r):" \
			"$E2E_TMP/run.out" ||
			e2e_fail "no shard $r of 3 started by srun in $HP$r:" \
				"$(grep '^shard [0-9] of' "$E2E_TMP/run.out")"
	done
	for n in $A $B $C; do
		[ -n "$(sh_run_pid $n)" ] || e2e_fail "no shard taps $n"
	done
	[ "$(sh_run_pid $A)" != "$(sh_run_pid $B)" ] &&
		[ "$(sh_run_pid $B)" != "$(sh_run_pid $C)" ] &&
		[ "$(sh_run_pid $A)" != "$(sh_run_pid $C)" ] ||
		e2e_fail "$A, $B and $C are not on three shards"
}

# srn_kill WHY: SIGKILL srn-8-0's shard; the other two must end within 10
# s by their own teardown (their run files gone), one at least saying WHY
# (a pattern of their stderr), and srun within 15 s, non-zero, its step's
# slurmstepd with it. KILLED: what the log line says.
srn_kill() {
	local pa pb t0 t1 t2 i rc
	pa=$(sh_run_pid $A)
	pb=$(sh_run_pid $B)
	kill -KILL "$(sh_run_pid $C)"
	t0=$(e2e_now)
	i=0
	while kill -0 "$pa" 2>/dev/null || kill -0 "$pb" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] ||
			e2e_fail "shards 0 and 1 still running 10 s after shard 2 was killed"
		sleep 0.1
	done
	t1=$(e2e_now)
	[ -e "/run/lasermesh/$pa.run" ] || [ -e "/run/lasermesh/$pb.run" ] &&
		e2e_fail "shard 0 or 1 ended without its teardown (its run" \
			"file is left: killed?): $(grep -i 'kill\|cancel' "$E2E_TMP/run.err")"
	i=0
	while kill -0 "$E2E_RUN_PID" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 150 ] ||
			e2e_fail "srun still running 15 s after a shard was killed"
		sleep 0.1
	done
	wait "$E2E_RUN_PID"
	rc=$?
	E2E_RUN_PID=""
	t2=$(e2e_now)
	[ "$rc" != 0 ] || e2e_fail "srun exited 0 although a task was killed"
	# WHY at least once; the other may instead end on the first one's
	# bye ("shard 1 failed (Host is down)"), which it sends at its end
	grep -q "$1" "$E2E_TMP/run.err" &&
		[ "$(grep -c "$1\|shard [0-9] failed\|shard [0-9] ended" \
			"$E2E_TMP/run.err")" -ge 2 ] ||
		e2e_fail "shards 0 and 1 did not both say why they ended" \
			"(\"$1\"): $(grep -v '^ ' "$E2E_TMP/run.err")"
	# the step's slurmstepd ends with its tasks, by itself
	i=0
	while [ -n "$(slurm_pids "$SL" slurmstepd)" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] ||
			e2e_fail "the step's slurmstepd still running 10 s" \
				"after srun ended: $(slurm_pids "$SL" slurmstepd)"
		sleep 0.1
	done
	KILLED="the others ended $(e2e_calc "round($t1 - $t0, 1)") s later"
	KILLED="$KILLED, srun $(e2e_calc "round($t2 - $t0, 1)") s (exit $rc)"
	# what the killed shard's host runs
	"$LM" cleanup >/dev/null 2>&1
	left=$(e2e_leftovers $E2E_NODES)
	[ -z "$left" ] || e2e_fail "left behind: $left"
}

# ---- srun without -K: a ping across the cuts; one shard killed ----------------
srn_start
e2e_ping_path sh_on "$A" "$C" 60
e2e_log "ping $A -> $C: median RTT - path $E2E_PING_MS ms"
e2e_true "abs($E2E_PING_MS) <= $TOL_MS" ||
	e2e_timing_fail "ping RTT differs from path's by $E2E_PING_MS ms" \
		"(tolerance $TOL_MS)"
# the others find shard 2 silent (3 s) and end; srun when they have
srn_kill "silent for"
e2e_log "srun: killed shard 2: $KILLED, by their silence rule"

# ---- lasermesh clocks under srun --------------------------------------------------
sh_srun $HP 3 -- "$LM" clocks --probes 10 >"$E2E_TMP/clocks" 2>&1 ||
	e2e_fail "srun lasermesh clocks failed: $(tail -n 5 "$E2E_TMP/clocks")"
grep -q "^clocks: 3 hosts (srun)" "$E2E_TMP/clocks" ||
	e2e_fail "clocks did not say srun started 3 hosts: $(head -n 3 "$E2E_TMP/clocks")"
[ "$(awk '$1 ~ /^[0-2]$/ && $2 ~ /^[0-2]$/ && $1 != $2 && $8 == "10/10"' \
	"$E2E_TMP/clocks" | wc -l)" = 6 ] ||
	e2e_fail "clocks: not 6 pairs with 10/10 answers: $(cat "$E2E_TMP/clocks")"

# ---- lasermesh wrap under srun: the command once, its status out of srun ----------
# As e2e_wrap_shards under mpirun: the command runs on srn-8-0's shard
# (host lmsr2), pings srn-0-0 across two cuts by the address wrap gives
# it, and exits 7; every shard must end with it and srun give back 7.
t0=$(e2e_now)
sh_srun $HP 3 -- "$LM" wrap "$(pwd)/$E2E_CONF" --node $C --duration 120s \
	-- sh -c 'echo "command on $(hostname)";
	ping -c 3 -i 0.2 -W 3 "$LASERMESH_IPV4_SRN_0_0" && exit 7' \
	>"$E2E_TMP/wrap.out" 2>"$E2E_TMP/wrap.err"
rc=$?
t1=$(e2e_now)
e2e_wrap_once srun "$rc" "${HP}2" "$E2E_TMP/wrap.out" "$E2E_TMP/wrap.err"
[ -z "$(srn_lm_pids)" ] ||
	e2e_fail "wrap: lasermesh processes left after srun ended: $(srn_lm_pids)"
WRAPPED="wrap: the command ran once on ${HP}2, srun exited 7"
WRAPPED="$WRAPPED $(e2e_calc "round($t1 - $t0, 1)") s after the start"
e2e_log "$WRAPPED"
# A shard of a wrap killed while its command runs (on srn-0-0's shard):
# the others end by their own teardown, as for run (wrap too leaves MPI
# once set up, or Slurm's PMIx plugin would SIGKILL them), and the
# command ends with its shard.
: >"$E2E_TMP/run.out"
: >"$E2E_TMP/run.err"
sh_srun $HP 3 -- "$LM" wrap "$(pwd)/$E2E_CONF" --node $A --duration 120s \
	-- sh -c 'echo "command started"; exec sleep 61.25' \
	>"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err" &
E2E_RUN_PID=$!
i=0
until grep -q '^command started' "$E2E_TMP/run.out" && [ -n "$(sh_run_pid $A)" ] &&
	[ -n "$(sh_run_pid $B)" ] && [ -n "$(sh_run_pid $C)" ]; do
	kill -0 "$E2E_RUN_PID" 2>/dev/null ||
		e2e_fail "srun lasermesh wrap ended before its command started: $(tail -n 5 "$E2E_TMP/run.err")"
	i=$((i + 1))
	[ $i -lt 300 ] || e2e_fail "wrap's command did not start in 30 s"
	sleep 0.1
done
srn_kill "silent for"
pgrep -f "sleep 61.25" >/dev/null && e2e_fail "wrap's command outlived its shard"
e2e_log "wrap under srun: killed shard 2: $KILLED"

# ---- srun -K: one shard killed ---------------------------------------------------
srn_start --kill-on-bad-exit=1
# srun ends the step at once: SIGTERM to the others, their teardown
srn_kill "stopped by Terminated, everything removed"
e2e_log "srun -K: killed shard 2: $KILLED, by srun's SIGTERM"

# ---- nothing left -------------------------------------------------------------
sh_hosts_down $HP 3
slurm_procs=$(slurm_pids "$SL")
[ -n "$slurm_procs" ] || e2e_fail "no Slurm daemon found before teardown"
slurm_down "$SL" 2>"$E2E_TMP/down.err"
[ -s "$E2E_TMP/down.err" ] && e2e_fail "teardown: $(cat "$E2E_TMP/down.err")"
for p in $slurm_procs; do
	[ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" &&
		e2e_fail "Slurm or munge process $p ($(cat /proc/$p/comm)) left"
done
[ -z "$(srn_lm_pids)" ] || e2e_fail "lasermesh processes left: $(srn_lm_pids)"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $left"
ip -o link show | grep -q "${HP}br\|${HP}v" && e2e_fail "host links left"
for h in 0 1 2; do
	e2e_has_netns "$HP$h" && e2e_fail "host namespace $HP$h left"
done
[ -e "$SL" ] && e2e_fail "the cluster's directory $SL left"
e2e_pass "srun started shards 0-2 of 3; ping - path $E2E_PING_MS ms;" \
	"wrap's command ran once and its 7 came out of srun;" \
	"one killed, the rest and srun ended (with and without -K)," \
	"nothing left"
