#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_lifecycle.sh - nothing of a run remains after it ends, however it
# ends, and cleanup removes only what runs made
#
# Three tapped nodes. While a run is up its namespaces, TAPs, hosts files
# and run file exist, and `lasermesh cleanup` leaves them (the run is
# alive). After a normal end (--duration), after SIGTERM and SIGINT, and
# after kill -9 once ready followed by `lasermesh cleanup`, no namespace,
# interface, /etc/netns entry, mark or run file of ours may remain. A
# namespace and an /etc/netns directory that lasermesh did not make must
# survive every cleanup. (kill -9 during set-up: e2e_lifecycle_kill.sh.)
. tests/e2e_lib.sh

e2e_begin e2eh tests/data/e2e/eh.conf ping
FOREIGN=lmt-e2eh-foreign
E2E_EXTRA_CLEAN=$FOREIGN

ip netns del "$FOREIGN" 2>/dev/null
rm -rf "/etc/netns/$FOREIGN"
ip netns add "$FOREIGN" || e2e_fail "cannot create $FOREIGN"
mkdir -p "/etc/netns/$FOREIGN"
echo "127.0.0.1 localhost # not lasermesh's" >"/etc/netns/$FOREIGN/hosts"
# remove the foreign things at exit, before the leftover check
foreign_del() { ip netns del "$FOREIGN" 2>/dev/null; rm -rf "/etc/netns/$FOREIGN"; }
E2E_ON_EXIT=foreign_del

# foreign_ok: the foreign namespace and hosts file are untouched
foreign_ok() {
	e2e_has_netns "$FOREIGN" || e2e_fail "$1 removed $FOREIGN"
	grep -q "not lasermesh's" "/etc/netns/$FOREIGN/hosts" ||
		e2e_fail "$1 touched /etc/netns/$FOREIGN"
}

# up: everything of a live run is there
up() {
	for n in $E2E_NODES; do
		e2e_has_netns "$n" || e2e_fail "$1: no namespace $n"
		ip -n "$n" link show lm0 >/dev/null 2>&1 || e2e_fail "$1: no lm0 in $n"
		[ -f "/etc/netns/$n/hosts" ] || e2e_fail "$1: no /etc/netns/$n/hosts"
	done
	[ -f "/run/lasermesh/$E2E_RUN_PID.run" ] ||
		e2e_fail "$1: no /run/lasermesh/$E2E_RUN_PID.run"
}

# gone WHAT: nothing of ours is left
gone() {
	left=$(e2e_leftovers $E2E_NODES)
	[ -z "$left" ] || e2e_fail "$1: left behind: $(echo $left)"
	foreign_ok "$1"
}

# ---- normal end, with a cleanup while the run is alive ----------------
e2e_run_start --duration 3s
up "running"
"$LM" cleanup >"$E2E_TMP/cleanup" 2>&1 || e2e_fail "cleanup failed: $(cat "$E2E_TMP/cleanup")"
up "after cleanup during the run"
ip netns exec eh-0-0 ping -c 1 -W 3 eh-3-5 >/dev/null ||
	e2e_fail "after cleanup during the run: eh-0-0 cannot ping eh-3-5"
e2e_run_wait 20
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "run --duration 3s exited $E2E_RUN_RC"
gone "the end of --duration"
e2e_log "normal end: clean"

# ---- SIGTERM and SIGINT -------------------------------------------------
for sig in TERM INT; do
	e2e_run_start --duration 300s
	up "running"
	e2e_run_stop $sig
	[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "run stopped by SIG$sig exited $E2E_RUN_RC"
	grep -q 'stopped by' "$E2E_TMP/run.err" ||
		e2e_fail "SIG$sig: no \"stopped by\" in the summary"
	gone "SIG$sig"
	e2e_log "SIG$sig: clean"
done

# ---- kill -9 once ready, then cleanup --------------------------------------
e2e_run_start --duration 300s
up "running"
pid=$E2E_RUN_PID
e2e_run_stop KILL
[ "$E2E_RUN_RC" -eq 137 ] || e2e_fail "kill -9: exit status $E2E_RUN_RC"
# the kernel removed the TAPs with the process; the namespaces stay
left=$(e2e_leftovers $E2E_NODES)
[ -n "$left" ] || e2e_fail "kill -9 left nothing: is the test still testing?"
for n in $E2E_NODES; do
	ip -n "$n" link show lm0 >/dev/null 2>&1 &&
		e2e_fail "kill -9: the TAP lm0 of $n outlived its process"
done
"$LM" exec eh-0-0 -- true 2>/dev/null &&
	e2e_fail "exec into a dead run's node succeeded"
"$LM" cleanup >"$E2E_TMP/cleanup" 2>&1 || e2e_fail "cleanup failed: $(cat "$E2E_TMP/cleanup")"
grep -q 'removed [1-9]' "$E2E_TMP/cleanup" ||
	e2e_fail "cleanup after kill -9: $(cat "$E2E_TMP/cleanup")"
gone "kill -9 and cleanup"
e2e_log "kill -9 and cleanup: clean ($(cat "$E2E_TMP/cleanup"))"

foreign_ok "the last cleanup"
foreign_del
e2e_pass "no trace after a normal end, signals, kill -9 + cleanup"
