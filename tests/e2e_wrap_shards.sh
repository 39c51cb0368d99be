#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_wrap_shards.sh - `mpirun lasermesh wrap` over three shards runs the
# command once, on the shard of its --node, and every shard ends with it
#
# tests/data/e2e/shd.conf split over three "host" namespaces
# (tests/lib/shardhosts.sh), started by mpirun. The command runs in
# shd-8-0 (shard 2) and pings shd-0-0 (shard 0) across two cuts by the
# address wrap gives it (LASERMESH_IPV4_SHD_0_0: every tapped node of the
# mesh, not only its shard's), then exits 7. mpirun must exit 7 (the
# command's status, through its shard), the ping must have been answered,
# the command must have run once, and nothing may be left afterwards.
. tests/e2e_lib.sh
. tests/lib/shardhosts.sh

e2e_begin shw tests/data/e2e/shd.conf ping mpirun
HP=lmsw
trap 'rc=$?; sh_hosts_down $HP 3; (exit $rc); e2e_cleanup' EXIT

sh_hosts_up $HP 3 || e2e_fail "cannot make the host namespaces"
t0=$(e2e_now)
# every shard has torn down when the command's status reaches mpirun
# (MPI_Finalize waits for all), so mpirun's wait between the SIGTERM and
# the SIGKILL of its abort on that status need not be the usual 20 s
SH_SIGKILL_S=2 sh_mpirun $HP 3 -- "$LM" wrap "$(pwd)/$E2E_CONF" --node shd-8-0 \
	--duration 120s -- sh -c 'echo "command on $(hostname)";
	ping -c 3 -i 0.2 -W 3 "$LASERMESH_IPV4_SHD_0_0" && exit 7' \
	>"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err"
rc=$?
t1=$(e2e_now)
e2e_wrap_once mpirun "$rc" "${HP}2" "$E2E_TMP/run.out" "$E2E_TMP/run.err"
sh_hosts_down $HP 3
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $left"
e2e_pass "the command ran once on ${HP}2, pinged shd-0-0 across two cuts," \
	"and its status 7 came out of mpirun $(e2e_calc "round($t1 - $t0, 1)") s after the start"
