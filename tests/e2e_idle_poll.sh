#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_idle_poll.sh - --idle-poll holds the CPU idle latency request at 0
# for the run, and only for the run
#
# Reading /dev/cpu_dma_latency gives the kernel's current request (the
# smallest held by any process). With `run --idle-poll` it must read 0
# while the run is up, the summary must say so, and after the run ends
# (SIGTERM, then SIGKILL in a second run) it must read what it did before:
# the request dies with lasermesh, however it ends. A run without the
# option must not touch it.
. tests/e2e_lib.sh

QOS=/dev/cpu_dma_latency
e2e_begin e2eip tests/data/e2e/ee.conf od
[ -c $QOS ] || e2e_skip "no $QOS (a kernel without PM QoS)"

qos() { od -An -t d4 -N4 $QOS | tr -d ' '; }

base=$(qos)
[ -n "$base" ] || e2e_fail "cannot read $QOS"
[ "$base" != 0 ] || e2e_skip "another process already holds $QOS at 0"

e2e_run_start --duration 120s
[ "$(qos)" = "$base" ] || e2e_fail "a run without --idle-poll changed $QOS to $(qos)"
e2e_run_stop

e2e_run_start --duration 120s --idle-poll
v=$(qos)
[ "$v" = 0 ] || e2e_fail "$QOS reads $v during a run with --idle-poll, not 0"
e2e_run_stop
[ "$E2E_RUN_RC" = 0 ] || e2e_fail "run ended with $E2E_RUN_RC"
grep -q "idle poll: idle CPUs polled" "$E2E_TMP/run.err" ||
	e2e_fail "the summary does not say idle CPUs polled: $(tail -5 "$E2E_TMP/run.err")"
v=$(qos)
[ "$v" = "$base" ] || e2e_fail "$QOS reads $v after the run, not $base"

e2e_run_start --duration 120s --idle-poll
[ "$(qos)" = 0 ] || e2e_fail "$QOS not 0 in the second run"
e2e_run_stop KILL
"$LM" cleanup >/dev/null 2>&1
v=$(qos)
[ "$v" = "$base" ] || e2e_fail "$QOS reads $v after a SIGKILLed run, not $base"
e2e_pass "$QOS: $base, 0 during --idle-poll runs, $base after SIGTERM and SIGKILL"
