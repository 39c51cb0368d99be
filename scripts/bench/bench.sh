#!/bin/sh
# SPDX-License-Identifier: MIT
# bench.sh - run every benchmark and print its figures beside its baseline
#
# usage: scripts/bench/bench.sh BUILD_DIR   (called by `make bench`)
# Each benchmark prints its own lines; docs/performance.md records a run of
# this script with the machine it ran on. Root-only benchmarks (TAP, iperf3)
# are skipped with a reason when not root.
set -u
build=$1
fail=0
echo "# lasermesh benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# machine: $(nproc) CPUs, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

run() {
	echo
	echo "## $*"
	"$@" || { echo "benchmark failed: $*"; fail=1; }
}

for b in "$build"/bench/bench_*; do
	[ -x "$b" ] && run "$b"
done
[ -f scripts/bench/bench_sgp4_ref.py ] && run /usr/bin/python3 scripts/bench/bench_sgp4_ref.py
for s in scripts/bench/bench_*.sh; do
	[ -f "$s" ] && run sh "$s"
done
exit $fail
