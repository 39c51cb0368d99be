#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_freeze.sh - a tapped node that fails: carrier off, processes frozen,
# state file, node-down drops; all back at `up`
#
# Events: 3s `down node ez-0-0 freeze`, 6s `up node ez-0-0`. A counter
# started in ez-0-0 by `lasermesh exec` appends a line every 50 ms.
# Checks:
#  - the command got LASERMESH_STATE, the path of its node's state file;
#  - the counter moves before 3 s, not at all from 3.3 s to 5.9 s (its
#    cgroup's freezer state reads FROZEN there), and again after 6.3 s;
#  - during the outage the node's lm0 shows NO-CARRIER, its state file
#    (read as nobody inside the node) says "state down", and a ping from
#    ez-2-3 gets no reply; after `up`: carrier, "state up", replies;
#  - the summary counts node-down drops and the faults applied;
#  - at the end no cgroup, state file or namespace is left.
. tests/e2e_lib.sh

e2e_begin e2ez tests/data/e2e/ez.conf setpriv
A=ez-0-0
B=ez-2-3
EV=$E2E_TMP/ev.txt
printf '3s down node %s freeze\n6s up node %s\n' "$A" "$A" >"$EV"
CNT=$E2E_TMP/count
: >"$CNT"
chmod 0666 "$CNT"

e2e_run_start --events "$EV" --duration 9s
e2e_bg "$LM" exec "$A" -- sh -c \
	'echo "$LASERMESH_STATE" >'"$E2E_TMP/state_path"'
	 while :; do echo x >>'"$CNT"'; sleep 0.05; done'
dst=$(e2e_addr "$A" 4)

# wall seconds since ready
since() { e2e_calc "$(e2e_now) - $E2E_READY"; }
# sleep until T s after ready
until_t() { sleep "$(e2e_calc "max(0, $1 - ($(e2e_now) - $E2E_READY))")"; }
lines() { wc -l <"$CNT"; }
as_nobody() {
	ip netns exec "$A" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$@"
}
frz_state() {
	local f
	for f in /sys/fs/cgroup/freezer/lasermesh/"$A"/freezer.state; do
		[ -f "$f" ] && cat "$f" && return
	done
	echo "no-v1-freezer"
}

until_t 1.0
c1=$(lines)
until_t 2.5
c2=$(lines)
[ "$c2" -gt "$c1" ] || e2e_fail "the counter does not move before the fault ($c1, $c2)"
before=$(ip -n "$A" -o link show lm0)
case $before in *NO-CARRIER*) e2e_fail "no carrier before the fault: $before" ;; esac

until_t 3.4
c3=$(lines)
st_down=$(as_nobody cat /run/lasermesh/state/"$A") ||
	e2e_fail "nobody cannot read the state file inside $A"
link_down=$(ip -n "$A" -o link show lm0)
ip netns exec "$B" ping -n -c 3 -i 0.3 -W 1 "$dst" >"$E2E_TMP/ping_down" 2>&1
ping_down_rc=$?
until_t 5.5
frz=$(frz_state)
until_t 5.8
c4=$(lines)

until_t 7.0
st_up=$(as_nobody cat /run/lasermesh/state/"$A")
link_up=$(ip -n "$A" -o link show lm0)
ip netns exec "$B" ping -n -c 3 -i 0.3 -W 1 "$dst" >"$E2E_TMP/ping_up" 2>&1 ||
	e2e_fail "no reply from $A after up: $(cat "$E2E_TMP/ping_up")"
until_t 8.3
c5=$(lines)
e2e_run_wait
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"

path=$(cat "$E2E_TMP/state_path")
[ "$path" = "/run/lasermesh/state/$A" ] ||
	e2e_fail "LASERMESH_STATE is \"$path\""
[ "$c4" -eq "$c3" ] || e2e_fail "the counter moved while frozen ($c3 -> $c4)"
[ "$c5" -gt "$c4" ] || e2e_fail "the counter did not resume ($c4 -> $c5)"
case $frz in FROZEN|no-v1-freezer) ;; *) e2e_fail "freezer.state $frz while down" ;; esac
case $link_down in *NO-CARRIER*) ;; *) e2e_fail "carrier still on while down: $link_down" ;; esac
case $link_up in *NO-CARRIER*) e2e_fail "no carrier after up: $link_up" ;; esac
echo "$st_down" | grep -qx "state down" || e2e_fail "state file while down: $st_down"
echo "$st_up" | grep -qx "state up" || e2e_fail "state file after up: $st_up"
echo "$st_down" | grep -qx "node $A" || e2e_fail "state file names: $st_down"
[ "$ping_down_rc" -ne 0 ] || e2e_fail "$A answered while down"
nd=$(e2e_drops node-down)
[ "${nd:-0}" -gt 0 ] || e2e_fail "no node-down drop counted: $(grep dropped "$E2E_TMP/run.err")"
grep -q "faults applied: scheduled down 1 up 1" "$E2E_TMP/run.err" ||
	e2e_fail "summary: $(grep -A1 faults "$E2E_TMP/run.err")"
e2e_pass "counter $c1 $c2 | frozen $c3 $c4 ($frz) | $c5; node-down $nd"
