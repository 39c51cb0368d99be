#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_lifecycle_kill.sh - kill -9 at any point of set-up, then `lasermesh
# cleanup`: nothing of the run remains, and the next run starts
#
# Six tapped nodes. A first run measures how long set-up takes (T, start
# to "ready"); then 41 runs are killed (SIGKILL) at 0, T/30, ... 40T/30
# after their start, i.e. while they create namespaces, TAPs, marks and
# hosts files, each followed by `lasermesh cleanup`, after which no
# namespace, mark, /etc/netns entry or run file of ours may remain.
# Finally one normal run must start and end cleanly.
#
# Bugs found by this script, fixed in tap/cleanup.c (cleanup removes the
# stub, the empty directory and dead writers' temp files); should their
# debris show again, the script removes it, so that the later kills are
# judged on their own, and fails naming them:
#  A: killed inside netns_add() (after creating /run/netns/NAME, before
#     mark_bind() records the namespace's cookie), the run leaves
#     /run/netns/NAME (an empty unmounted file, or the bind mount); the
#     mark's cookie is 0, so cleanup removes the mark but not the file,
#     and every later run of that node fails with "cannot set up its
#     namespace and TAP: File exists".
#  B: killed inside hosts_write() after mkdir /etc/netns/NAME and before
#     the hosts file is renamed into it, the run leaves an empty
#     /etc/netns/NAME (or one with only a .lasermesh-* temp file) that
#     cleanup does not remove although NAME's mark says it is ours.
#  C: killed inside file_write_atomic() between creating and renaming
#     its temp file, the run leaves .lasermesh-... in /run/lasermesh
#     (marks, run files) or /etc/netns (hosts files), which cleanup never
#     removes (they pile up, one per such kill).
. tests/e2e_lib.sh

e2e_begin e2ek tests/data/e2e/ek.conf mountpoint comm
bug_a=""
bug_b=""
bug_c=""
# temp files of the marks' directory
temps() {
	for d in /run/lasermesh /etc/netns; do
		ls -A "$d" 2>/dev/null | grep '^\.lasermesh-' | sed "s|^|$d/|"
	done | sort
}

t0=$(e2e_now)
e2e_run_start --duration 300s
T=$(e2e_calc "round($E2E_READY - $t0, 4)")
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "the first run exited $E2E_RUN_RC"
e2e_log "set-up takes $T s"

i=0
hist=""
while [ $i -le 40 ]; do
	d=$(e2e_calc "round($T * $i / 30, 4)")
	temps >"$E2E_TMP/temps0"
	"$LM" run "$E2E_CONF" --no-status --duration 300s \
		>"$E2E_TMP/run.out" 2>"$E2E_TMP/run.err" &
	E2E_RUN_PID=$!
	sleep "$d"
	e2e_run_stop KILL
	hist="$hist $(e2e_leftovers $E2E_NODES | wc -l)"
	case $E2E_RUN_RC in
	137) ;;
	*) e2e_fail "run killed after $d s ended by itself ($E2E_RUN_RC): $(cat "$E2E_TMP/run.err")" ;;
	esac
	"$LM" cleanup >"$E2E_TMP/cleanup" 2>&1 ||
		e2e_fail "cleanup failed: $(cat "$E2E_TMP/cleanup")"
	for n in $E2E_NODES; do
		f=/run/netns/$n
		if [ -e "$f" ] && ! [ -e "/run/lasermesh/netns/$n" ]; then
			mountpoint -q "$f" && m=mounted || m=unmounted
			bug_a="$bug_a $n($m)@${d}s"
			ip netns del "$n" 2>/dev/null || rm -f "$f"
		fi
		f=/etc/netns/$n
		if [ -d "$f" ] &&
		   [ -z "$(ls -A "$f" | grep -v '^\.lasermesh-')" ]; then
			bug_b="$bug_b $n@${d}s"
			rm -rf "$f"
		fi
	done
	# new temp files since this run started and still there a moment
	# later (not another live run's, renamed within microseconds): its
	# own (bug C)
	temps >"$E2E_TMP/temps1"
	new=$(comm -13 "$E2E_TMP/temps0" "$E2E_TMP/temps1")
	[ -n "$new" ] && sleep 0.5
	for t in $new; do
		[ -e "$t" ] || continue
		bug_c="$bug_c $t@${d}s"
		rm -f "$t"
	done
	left=$(e2e_leftovers $E2E_NODES)
	[ -z "$left" ] ||
		e2e_fail "kill -9 after $d s and cleanup left: $(echo $left)"
	i=$((i + 1))
done

e2e_log "things left by each kill for cleanup:$hist"
e2e_run_start --duration 1s
e2e_run_wait 20
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "the run after the kills exited $E2E_RUN_RC"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "the run after the kills left: $(echo $left)"

if [ -n "$bug_a$bug_b$bug_c" ]; then
	[ -n "$bug_a" ] && e2e_log "bug A (unmounted /run/netns/NAME kept" \
		"by cleanup) after:$bug_a"
	[ -n "$bug_b" ] && e2e_log "bug B (empty /etc/netns/NAME kept by" \
		"cleanup) after:$bug_b"
	[ -n "$bug_c" ] && e2e_log "bug C (temp files kept by cleanup):$bug_c"
	e2e_fail "cleanup bugs after kill -9 during set-up are back (see" \
		"the top of this script); their debris was removed by hand"
fi
e2e_pass "41 kills during set-up, each cleaned up completely"
