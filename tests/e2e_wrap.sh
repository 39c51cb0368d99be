#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_wrap.sh - `lasermesh wrap` runs a command with the mesh up and
# returns its status; --node runs it inside a node; signals reach it
#
# Checks: exit 0 and exit 3 come back as 0 and 3; a command killed by
# SIGKILL / SIGUSR1 gives 137 / 138; a missing command 127 and one that
# is not executable 126 (wrap, wrap --node and exec alike); the command's
# environment names the nodes and their addresses; with --node it runs in
# that node's namespace (its lm0 has the node's address, the other node
# answers by name); SIGTERM and SIGINT sent to wrap reach the command while
# the mesh is still up, and wrap returns the command's status; when
# --duration ends first the command gets SIGTERM (143); a --node that is
# not tapped is refused; a set-up failure says "lasermesh wrap:". Nothing
# may remain after any of them.
. tests/e2e_lib.sh

e2e_begin e2ei tests/data/e2e/ei.conf ping
A=ei-0-0
B=ei-0-2

# wrap_rc WANT WHAT ARGS...: run wrap (60 s at most), check its status
wrap_rc() {
	want=$1
	what=$2
	shift 2
	timeout -s KILL 60 "$LM" wrap "$E2E_CONF" "$@" \
		>"$E2E_TMP/wrap.out" 2>"$E2E_TMP/wrap.err"
	got=$?
	[ "$got" -eq "$want" ] ||
		e2e_fail "$what: wrap returned $got, expected $want: $(cat "$E2E_TMP/wrap.err")"
	left=$(e2e_leftovers $E2E_NODES)
	[ -z "$left" ] || e2e_fail "$what: left behind: $(echo $left)"
	e2e_log "$what: $got"
}

wrap_rc 0 "exit 0" -- sh -c 'exit 0'
wrap_rc 3 "exit 3" -- sh -c 'exit 3'
wrap_rc 137 "killed by SIGKILL" -- sh -c 'kill -KILL $$'
wrap_rc 138 "killed by SIGUSR1" -- sh -c 'kill -USR1 $$'
# one rule for commands that cannot run, as sh: 127 not found, 126 not
# executable; with or without --node, and for exec
wrap_rc 127 "no such command" -- /nonexistent/e2e-command
wrap_rc 127 "no such command in PATH" -- nosuch-e2e-command
wrap_rc 127 "--node, no such command" --node "$A" -- nosuch-e2e-command
: >"$E2E_TMP/noexec"
chmod 644 "$E2E_TMP/noexec"
wrap_rc 126 "not executable" -- "$E2E_TMP/noexec"
wrap_rc 126 "--node, not executable" --node "$A" -- "$E2E_TMP/noexec"
wrap_rc 0 "exec statuses" -- sh -c "
	'$LM' exec $A -- nosuch-e2e-command; echo exec-rc=\$?
	'$LM' exec $A -- '$E2E_TMP/noexec'; echo exec-rc=\$?
	'$LM' exec $A -- sh -c 'exit 7'; echo exec-rc=\$?
	'$LM' exec $A -- cat /proc/self/cgroup"
got=$(grep '^exec-rc=' "$E2E_TMP/wrap.out" | tr '\n' ' ')
[ "$got" = "exec-rc=127 exec-rc=126 exec-rc=7 " ] ||
	e2e_fail "exec statuses: $got, expected 127 126 7"
# exec's command is in the node's freezer cgroup (docs/usage.md)
grep -q ":/lasermesh/$A\$" "$E2E_TMP/wrap.out" ||
	e2e_fail "exec $A: not in the node's freezer cgroup: $(grep :/ "$E2E_TMP/wrap.out")"
# a set-up failure names the command the user ran, not `run`
: >"$E2E_TMP/plain"
wrap_rc 1 "set-up failure" --capture "$E2E_TMP/plain/caps" -- true
grep -qx "lasermesh wrap: capture directory \"$E2E_TMP/plain/caps\": Not a directory" \
	"$E2E_TMP/wrap.err" ||
	e2e_fail "set-up failure: $(cat "$E2E_TMP/wrap.err")"

# the environment, and the mesh is up while the command runs (host side)
wrap_rc 0 "environment" -- sh -c '
	echo "nodes=$LASERMESH_NODES"
	echo "a4=$LASERMESH_IPV4_EI_0_0 a6=$LASERMESH_IPV6_EI_0_0"
	echo "b4=$LASERMESH_IPV4_EI_0_2 b6=$LASERMESH_IPV6_EI_0_2"
	ip netns exec ei-0-0 ping -c 1 -W 3 "$LASERMESH_IPV4_EI_0_2" >/dev/null &&
		echo ping-ok'
grep -qx "nodes=$A $B" "$E2E_TMP/wrap.out" ||
	e2e_fail "LASERMESH_NODES: $(grep nodes= "$E2E_TMP/wrap.out")"
grep -q "^a4=100.64.0.1 " "$E2E_TMP/wrap.out" ||
	e2e_fail "IPv4 address of $A: $(grep a4= "$E2E_TMP/wrap.out")"
grep -q "^b4=100.64.0.3 " "$E2E_TMP/wrap.out" ||
	e2e_fail "IPv4 address of $B: $(grep b4= "$E2E_TMP/wrap.out")"
grep -q " a6=fd6c:6d00::1\$" "$E2E_TMP/wrap.out" &&
	grep -q " b6=fd6c:6d00::3\$" "$E2E_TMP/wrap.out" ||
	e2e_fail "LASERMESH_IPV6_<NODE>: $(grep a6= "$E2E_TMP/wrap.out")"
grep -qx "ping-ok" "$E2E_TMP/wrap.out" || e2e_fail "no ping from the host side"

# --node: inside the node's namespace, with its hosts file
wrap_rc 0 "--node" --node "$A" -- sh -c '
	ip -o -4 addr show dev lm0
	ping -c 1 -W 3 ei-0-2 >/dev/null && echo ping-ok
	cat /proc/self/cgroup
	exit 0'
grep -q "lm0 *inet 100.64.0.1/" "$E2E_TMP/wrap.out" ||
	e2e_fail "--node $A: lm0 is not $A's: $(cat "$E2E_TMP/wrap.out")"
# in the node's freezer cgroup, which wrap removes at the end
grep -q ":/lasermesh/$A\$" "$E2E_TMP/wrap.out" ||
	e2e_fail "--node $A: not in the node's freezer cgroup: $(grep :/ "$E2E_TMP/wrap.out")"
for d in /sys/fs/cgroup /sys/fs/cgroup/freezer /sys/fs/cgroup/unified; do
	[ ! -d "$d/lasermesh/$A" ] || e2e_fail "--node $A: $d/lasermesh/$A left"
done
grep -qx "ping-ok" "$E2E_TMP/wrap.out" || e2e_fail "--node $A: ping $B by name failed"
wrap_rc 4 "--node, exit 4" --node "$B" -- sh -c 'exit 4'
wrap_rc 1 "--node of an untapped node" --node ei-5-5 -- true

# signals to wrap reach the command, while the mesh is up
for sig in TERM INT; do
	rm -f "$E2E_TMP/ready" "$E2E_TMP/got"
	"$LM" wrap "$E2E_CONF" -- sh -c "
		trap 'ip netns exec $A true && echo got-$sig-up >$E2E_TMP/got;
		      exit 5' $sig
		touch $E2E_TMP/ready
		while :; do sleep 0.05; done" \
		>"$E2E_TMP/wrap.out" 2>"$E2E_TMP/wrap.err" &
	W=$!
	E2E_BG_PIDS="$E2E_BG_PIDS $W"
	e2e_wait_file "$E2E_TMP/ready" 600 0.05 \
		"SIG$sig: the command did not start"
	kill -"$sig" "$W"
	wait "$W"
	got=$?
	[ "$got" -eq 5 ] || e2e_fail "SIG$sig: wrap returned $got, expected 5"
	grep -qx "got-$sig-up" "$E2E_TMP/got" 2>/dev/null ||
		e2e_fail "SIG$sig did not reach the command while the mesh was up"
	left=$(e2e_leftovers $E2E_NODES)
	[ -z "$left" ] || e2e_fail "SIG$sig: left behind: $(echo $left)"
	e2e_log "SIG$sig to wrap: passed on, status 5"
done

# the run ends first: the command gets SIGTERM
t0=$(e2e_now)
wrap_rc 143 "--duration 2s ends a longer command" --duration 2s -- sleep 30
t=$(e2e_calc "round($(e2e_now) - $t0, 1)")
e2e_true "$t < 10" || e2e_fail "--duration 2s took $t s"
e2e_pass "wrap returns statuses, runs in nodes, passes signals on"
