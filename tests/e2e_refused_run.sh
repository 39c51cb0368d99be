#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_refused_run.sh - a run refused because a node is taken touches
# nothing of the run that holds it, and says which run that is
#
# Run A (el.conf) taps el-0-0 and e2el-gs. Run B (el2.conf) taps el-0-1,
# then el-0-0: it must fail naming A's pid and configuration, remove its
# own el-0-1 and leave A's mark, namespace and hosts file as they were.
# Then kill -9 A: `lasermesh cleanup` removes exactly A's two namespaces
# and nothing is left (before the fix, B deleted A's mark of el-0-0, and
# cleanup, even --all, left that namespace behind). Last, `cleanup --pid`
# removes one dead run's leftovers and nothing of another pid.
. tests/e2e_lib.sh

e2e_begin e2el tests/data/e2e/el.conf
CONF_B=tests/data/e2e/el2.conf
E2E_EXTRA_CLEAN="el-0-1"
conf_a=$(realpath "$E2E_CONF")

e2e_run_start --duration 300s
A=$E2E_RUN_PID
cp /run/lasermesh/netns/el-0-0 "$E2E_TMP/mark.before" ||
	e2e_fail "run A has no mark for el-0-0"
ino=$(stat -c %i /etc/netns/el-0-0/hosts)

"$LM" run "$CONF_B" --no-status --duration 5s >"$E2E_TMP/b.out" \
	2>"$E2E_TMP/b.err"
rc=$?
[ $rc -ne 0 ] || e2e_fail "run B started although A holds el-0-0"
want="node \"el-0-0\": cannot set up its namespace and TAP: it belongs to lasermesh run $A ($conf_a), which is still running"
grep -qF "$want" "$E2E_TMP/b.err" ||
	e2e_fail "run B's error does not name run A: $(cat "$E2E_TMP/b.err")"
e2e_log "run B refused (exit $rc): $(grep -F 'el-0-0' "$E2E_TMP/b.err")"
cmp -s /run/lasermesh/netns/el-0-0 "$E2E_TMP/mark.before" ||
	e2e_fail "run B changed or removed run A's mark of el-0-0"
e2e_has_netns el-0-0 || e2e_fail "run B removed run A's namespace el-0-0"
[ "$(stat -c %i /etc/netns/el-0-0/hosts 2>/dev/null)" = "$ino" ] ||
	e2e_fail "run B replaced or removed run A's hosts file of el-0-0"
left=$(e2e_leftovers el-0-1)
[ -z "$left" ] || e2e_fail "run B left its own node behind: $(echo $left)"
"$LM" exec el-0-0 -- true || e2e_fail "run A's node el-0-0 no longer works"

# kill -9 A: cleanup removes its two namespaces, exactly, and the rest,
# with the freezer cgroups the run made for its tapped nodes (where there
# is a freezer hierarchy)
A0=$E2E_RUN_PID
e2e_run_stop KILL
[ "$E2E_RUN_RC" -eq 137 ] || e2e_fail "run A ended by itself ($E2E_RUN_RC)"
ncg=0
for d in /sys/fs/cgroup /sys/fs/cgroup/freezer /sys/fs/cgroup/unified; do
	for n in $E2E_NODES; do
		[ -d "$d/lasermesh/$n" ] && ncg=$((ncg + 1))
	done
done
case $ncg in
0) cg="" ;;
1) cg=", 1 freezer cgroup" ;;
*) cg=", $ncg freezer cgroups" ;;
esac
# and its control socket (a kill -9 leaves it)
[ -S "/run/lasermesh/ctl/$A0.sock" ] && cg="$cg, 1 control socket"
out=$("$LM" cleanup) || e2e_fail "cleanup failed: $out"
e2e_log "$out"
[ "$out" = "lasermesh cleanup: removed 2 namespaces, 2 hosts files, 1 run file$cg" ] ||
	e2e_fail "cleanup after kill -9 said: $out"
for d in /sys/fs/cgroup /sys/fs/cgroup/freezer /sys/fs/cgroup/unified; do
	[ ! -d "$d/lasermesh/el-0-0" ] || e2e_fail "cleanup left $d/lasermesh/el-0-0"
done
left=$(e2e_leftovers $E2E_NODES el-0-1)
[ -z "$left" ] || e2e_fail "cleanup left: $(echo $left)"

# --pid: another pid's cleanup takes nothing, the run's own everything
e2e_run_start --duration 300s
A=$E2E_RUN_PID
e2e_run_stop KILL
out=$("$LM" cleanup --pid 1) || e2e_fail "cleanup --pid 1 failed: $out"
case $out in
"lasermesh cleanup: removed 0 namespaces, 0 hosts files, 0 run files") ;;
*) e2e_fail "cleanup --pid 1 said: $out" ;;
esac
e2e_has_netns el-0-0 || e2e_fail "cleanup --pid 1 removed run $A's el-0-0"
out=$("$LM" cleanup --pid "$A") || e2e_fail "cleanup --pid $A failed: $out"
[ "$out" = "lasermesh cleanup: removed 2 namespaces, 2 hosts files, 1 run file$cg" ] ||
	e2e_fail "cleanup --pid $A said: $out"
left=$(e2e_leftovers $E2E_NODES el-0-1)
[ -z "$left" ] || e2e_fail "cleanup --pid $A left: $(echo $left)"
"$LM" cleanup --pid x >/dev/null 2>&1 && e2e_fail "cleanup --pid x accepted"
e2e_pass "a refused run names the holder and touches nothing of it;" \
	"cleanup counts exactly, --pid takes one run"
