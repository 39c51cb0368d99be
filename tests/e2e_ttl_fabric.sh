#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_ttl_fabric.sh - paths longer than the hosts' TTL: lost in
# ttl = per-satellite, carried in ttl = fabric (issue 8 point 10)
#
# One plane of 150 satellites: et-0-0 and et-0-75 are 75 laser hops
# apart, with 74 satellites between them. Checks:
#  - per-satellite: `check` and the run banner warn (74 routers, TTL 64);
#    a ping with the default TTL gets no reply (the request expires) and
#    the summary counts ttl-expired drops;
#  - fabric: `check` is silent; ping's RTT is path's (145.1 ms) within
#    1 ms; traceroute shows two hops (the mesh, then et-0-75).
. tests/e2e_lib.sh

e2e_begin e2et tests/data/e2e/tf.conf traceroute
A=et-0-0
B=et-0-75
PS=$E2E_TMP/ps.conf
sed 's/^ttl = fabric/ttl = per-satellite/' "$E2E_CONF" >"$PS"

"$LM" check "$E2E_CONF" >/dev/null 2>"$E2E_TMP/check_f" ||
	e2e_fail "check of the fabric configuration failed"
[ ! -s "$E2E_TMP/check_f" ] || e2e_fail "check warns in fabric mode: $(cat "$E2E_TMP/check_f")"
"$LM" check "$PS" >/dev/null 2>"$E2E_TMP/check_p"
grep -q "crosses 74 satellites at the epoch" "$E2E_TMP/check_p" ||
	e2e_fail "check does not warn per satellite: $(cat "$E2E_TMP/check_p")"

# per-satellite: every request expires on the way
e2e_run_start "$PS" --duration 600s
grep -q "crosses 74 satellites" "$E2E_TMP/run.err" ||
	e2e_fail "no banner warning: $(cat "$E2E_TMP/run.err")"
dst=$(e2e_addr "$B" 4)
if ip netns exec "$A" ping -n -c 2 -i 0.3 -W 1 "$dst" >"$E2E_TMP/ping_ps" 2>&1; then
	e2e_fail "ping crossed 74 routers with TTL 64: $(cat "$E2E_TMP/ping_ps")"
fi
e2e_run_stop
ttl=$(e2e_drops ttl-expired)
[ "${ttl:-0}" -ge 2 ] || e2e_fail "ttl-expired drops: $ttl"

# fabric: the mesh is one hop
e2e_run_start --duration 600s
grep -q "crosses" "$E2E_TMP/run.err" && e2e_fail "banner warns in fabric mode"
ip netns exec "$A" ping -n -c 5 -i 0.2 -W 2 "$dst" >"$E2E_TMP/ping_f" 2>&1 ||
	e2e_fail "no reply across the fabric: $(cat "$E2E_TMP/ping_f")"
rtt=$(sed -n 's/.* = [0-9.]*\/\([0-9.]*\)\/.*/\1/p' "$E2E_TMP/ping_f")
t=$(e2e_calc "round($(e2e_now) - $E2E_READY, 1)")
want=$(e2e_path "$A" "$B" "$t" "$t" 1 | awk '{print $2; exit}')
ip netns exec "$A" traceroute -n -q 1 -w 2 "$dst" >"$E2E_TMP/tr" 2>&1 ||
	e2e_fail "traceroute failed: $(cat "$E2E_TMP/tr")"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
hops=$(grep -cE '^ *[0-9]+ ' "$E2E_TMP/tr")
[ "$hops" -eq 2 ] || e2e_fail "traceroute shows $hops hops: $(cat "$E2E_TMP/tr")"
tail -1 "$E2E_TMP/tr" | grep -q "$dst" || e2e_fail "traceroute: $(cat "$E2E_TMP/tr")"
e2e_true "abs($rtt - $want) < 1.0" ||
	e2e_timing_fail "ping RTT $rtt ms, path says $want ms"
e2e_pass "per-satellite: $ttl requests expired; fabric: RTT $rtt ms (path $want), traceroute $hops hops"
