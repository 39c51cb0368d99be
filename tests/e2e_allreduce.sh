#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_allreduce.sh - a 2-rank torch.distributed all-reduce (gloo) of 4 KiB
# across two satellites takes what the alpha-beta model of the ring says
#
# Runs scripts/demo_allreduce.sh on tests/data/e2e/ex.conf (two satellites
# two hops apart, 26.3 ms RTT, 1 Gbit/s links): 5 warm-up and 20 timed
# all-reduces on loopback in one namespace (the host's cost), then across
# the mesh. The model (scripts/demo/allreduce_model.py): gloo's ring makes
# 2 (N - 1) = 2 steps, each one RTT (gloo's TCP transport sends only after
# the receiver's ready notice) plus 2 KiB at 1 Gbit/s (16 us), plus the
# loopback median. The median must be at least the 2 RTTs of propagation
# (less 0.2 ms: path's RTT is for the step's start) and at most the model
# plus 1 ms for each of the 4 one-way crossings of the mesh per all-reduce:
# the emulator releases a frame late by 0.1-0.4 ms at the median on this
# host (docs/performance.md, one-way delay error), more under load;
# measured here: 1.5 ms above the model in total. A model of one one-way
# delay per step (26 ms in all) would fail by 26 ms.
. tests/e2e_lib.sh

e2e_begin e2ex tests/data/e2e/ex.conf timeout
/usr/bin/python3 -c "import torch.distributed" 2>/dev/null ||
	e2e_skip "needs python3-torch for /usr/bin/python3 (scripts/deps.sh)"
SLACK_MS=1		# per one-way crossing of the mesh

e2e_timing_mark
LASERMESH=$LM ITERS=20 TIMEOUT=120 sh scripts/demo_allreduce.sh \
	"$E2E_CONF" 2 4K >"$E2E_TMP/demo.out" 2>"$E2E_TMP/run.err" ||
	e2e_fail "demo_allreduce.sh failed: $(tail -n 5 "$E2E_TMP/run.err")"
sed 's/^/  /' "$E2E_TMP/demo.out" >&2
res=$(sed -n 's/^result //p' "$E2E_TMP/demo.out")
[ -n "$res" ] || e2e_fail "no result line: $(cat "$E2E_TMP/demo.out")"
eval "$res"
lo=$(e2e_calc "$alpha_ms - 0.2")
hi=$(e2e_calc "$model_ms + 4 * $SLACK_MS")
e2e_true "$lo <= $median_ms <= $hi" ||
	e2e_timing_fail "all-reduce median $median_ms ms, model $model_ms ms:" \
		"expected $lo..$hi ms"
e2e_pass "4 KiB all-reduce over 2 satellites: median $median_ms ms," \
	"model $model_ms ms (2 RTT $alpha_ms + host $host_ms), allowed $lo..$hi"
