#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_geom_fail.sh - when the geometry thread fails, the run ends at once
# with a clear error, a full teardown and exit status 1, under run and wrap
#
# The test-only variable LASERMESH_TEST_GEOM_FAIL_STEP=N makes the thread
# fail to compute step N (docs/usage.md). With 100 ms steps, step 50 is
# due 4.8 s after the start. Checks: `run` ends by itself (it used to keep
# the last good step forever), exits 1, names the step and its orbital
# time, prints its summary and removes everything; `wrap` does the same
# under a command that would sleep for a minute, saying "lasermesh wrap:";
# a bad value of the variable is a set-up error that removes what set-up
# had made.
. tests/e2e_lib.sh

e2e_begin e2egf tests/data/e2e/egf.conf

LASERMESH_TEST_GEOM_FAIL_STEP=50 e2e_run_start --duration 120s
t0=$(e2e_now)
e2e_run_wait 20
took=$(e2e_calc "$(e2e_now) - $t0")
[ "$E2E_RUN_RC" -eq 1 ] || e2e_fail "run exited $E2E_RUN_RC, expected 1"
grep -q '^lasermesh run: geometry thread failed to compute step 50 (orbital time 2026-02-23T00:00:05Z); ending the run: Input/output error$' \
	"$E2E_TMP/run.err" || e2e_fail "no geometry error: $(cat "$E2E_TMP/run.err")"
grep -q '^lasermesh run: the run failed; everything removed$' \
	"$E2E_TMP/run.err" || e2e_fail "no closing error"
grep -q '^lasermesh: ran ' "$E2E_TMP/run.err" || e2e_fail "no summary"
e2e_true "$took < 15" || e2e_fail "the run took $took s to end"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "run left behind: $(echo $left)"
e2e_log "run: exit 1 after $took s, message and teardown"

t0=$(e2e_now)
LASERMESH_TEST_GEOM_FAIL_STEP=50 timeout -s KILL 60 "$LM" wrap "$E2E_CONF" \
	-- sleep 60 >"$E2E_TMP/wrap.out" 2>"$E2E_TMP/wrap.err"
rc=$?
took=$(e2e_calc "$(e2e_now) - $t0")
[ "$rc" -eq 1 ] || e2e_fail "wrap exited $rc, expected 1: $(cat "$E2E_TMP/wrap.err")"
grep -q '^lasermesh wrap: geometry thread failed to compute step 50 ' \
	"$E2E_TMP/wrap.err" || e2e_fail "wrap: $(cat "$E2E_TMP/wrap.err")"
e2e_true "$took < 20" || e2e_fail "wrap took $took s to end"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "wrap left behind: $(echo $left)"
e2e_log "wrap: exit 1 after $took s, message and teardown"

LASERMESH_TEST_GEOM_FAIL_STEP=soon timeout -s KILL 60 "$LM" wrap \
	"$E2E_CONF" -- true >"$E2E_TMP/wrap.out" 2>"$E2E_TMP/wrap.err"
rc=$?
[ "$rc" -eq 1 ] || e2e_fail "bad variable: wrap exited $rc"
grep -q '^lasermesh wrap: LASERMESH_TEST_GEOM_FAIL_STEP "soon" is not a step number' \
	"$E2E_TMP/wrap.err" || e2e_fail "bad variable: $(cat "$E2E_TMP/wrap.err")"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "set-up failure left behind: $(echo $left)"
e2e_pass "a failing geometry thread ends run and wrap with exit 1"
