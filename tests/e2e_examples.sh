#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_examples.sh - the example configurations that fit this machine start
# and carry a ping between their tapped nodes (issue 8 point 8)
#
# For each docs/examples/*.conf small enough to run here (tapped nodes on
# satellites and stations of at most 2,000 satellites), a run of a few
# seconds: the first two tapped nodes ping each other and the RTT is
# `lasermesh path`'s within 1 ms. `lasermesh check` of every example is
# in test_cmd (check_examples_ok).
. tests/e2e_lib.sh

e2e_begin e2eo docs/examples/three-body.conf
checked=""
for conf in docs/examples/three-body.conf; do
	set -- $(e2e_conf_nodes "$conf")
	a=$1
	b=$2
	E2E_EXTRA_CLEAN="$E2E_EXTRA_CLEAN $*"
	e2e_run_start "$conf" --duration 600s
	dst=$(e2e_addr "$b" 4)
	ip netns exec "$a" ping -n -c 5 -i 0.2 -W 2 "$dst" >"$E2E_TMP/ping" 2>&1 ||
		e2e_fail "$conf: no reply from $b: $(cat "$E2E_TMP/ping")"
	rtt=$(sed -n 's/.* = [0-9.]*\/\([0-9.]*\)\/.*/\1/p' "$E2E_TMP/ping")
	t=$(e2e_calc "round($(e2e_now) - $E2E_READY, 1)")
	want=$("$LM" path "$conf" "$a" "$b" --from "$t" --to "$t" |
		awk -F, 'NR == 2 { printf "%.3f", $2 / 1e6 }')
	e2e_run_stop
	[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "$conf: run exited $E2E_RUN_RC"
	e2e_true "abs($rtt - $want) < 1.0" ||
		e2e_timing_fail "$conf: ping $rtt ms, path $want ms"
	checked="$checked $(basename "$conf"): $rtt ms (path $want);"
done
e2e_pass "$checked"
