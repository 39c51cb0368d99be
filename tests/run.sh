#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - run every Criterion suite and every end-to-end script, then print
# one closing line with the totals.
#
# usage: tests/run.sh BUILD_TESTS_DIR [NAME...]
# E2E=0 leaves out the end-to-end scripts (`make check-unit`); the source
# checks (tests/lint_*.sh: pass or fail, no root) and a short run of each
# fuzz target (tests/fuzz.sh, FUZZ_SMOKE seconds) always run.
# A NAME runs only the suites whose file name contains it. End-to-end scripts
# (tests/e2e_*.sh) exit 0 for pass, 77 for skip (with the reason on stderr).
set -u
dir=$1; shift
filter="$*"
passed=0; failed=0; skipped=0; failures=""

want() {
	[ -z "$filter" ] && return 0
	for f in $filter; do
		case "$1" in *"$f"*) return 0 ;; esac
	done
	return 1
}

log=$(mktemp); trap 'rm -f "$log"' EXIT
for t in "$dir"/test_*; do
	case "$t" in *.o|*.d) continue ;; esac
	[ -x "$t" ] || continue
	want "$(basename "$t")" || continue
	# --verbose makes Criterion print [SKIP] lines; drop the RUN/PASS noise
	# a hung test must not hang CI: Criterion's per-test timeout, and a
	# bound on the whole suite
	timeout 600 "$t" --jobs=2 --verbose --timeout=240 >"$log" 2>&1
	rc=$?
	syn=$(grep 'Synthesis:' "$log" | tail -n 1)
	grep -v -E '\[(RUN |PASS)\]' "$log"
	p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$syn" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	s=$(grep -c '\[SKIP\]' "$log")
	p=${p:-0}; f=${f:-0}; c=${c:-0}
	# Criterion leaves skipped tests out of "Tested"; count them apart.
	passed=$((passed + p)); skipped=$((skipped + s))
	failed=$((failed + f + c))
	if [ $rc -ne 0 ] && [ $((f + c)) -eq 0 ]; then
		failed=$((failed + 1))
	fi
	# Criterion's workers report leaks after the result is in: a sanitizer
	# report anywhere in the output fails the suite (SANITIZE=... builds)
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|: runtime error: ' "$log"; then
		echo "sanitizer report in $(basename "$t")"
		failed=$((failed + 1))
		rc=1
	fi
	[ $rc -ne 0 ] && failures="$failures $(basename "$t")"
done

for t in tests/lint_*.sh; do
	[ -f "$t" ] || continue
	want "$(basename "$t")" || continue
	echo "==== $t"
	sh "$t"
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); echo "==== PASS $t"
	else
		failed=$((failed + 1)); failures="$failures $(basename "$t")"
		echo "==== FAIL $t (exit $rc)"
	fi
done

# Every libFuzzer target, built with the sanitizers and run briefly from its
# seeds (FUZZ_SMOKE seconds each; 0 leaves it out): a parser of hostile
# input that stops building or crashes on its own seeds fails here, not
# weeks later in `make fuzz` (it once stopped building unnoticed).
if [ "${FUZZ_SMOKE:-5}" != 0 ] && want fuzz.sh; then
	echo "==== tests/fuzz.sh (${FUZZ_SMOKE:-5} s per target)"
	if sh tests/fuzz.sh "$dir/../fuzz-smoke" "${FUZZ_SMOKE:-5}"; then
		passed=$((passed + 1)); echo "==== PASS tests/fuzz.sh"
	else
		failed=$((failed + 1)); failures="$failures fuzz.sh"
		echo "==== FAIL tests/fuzz.sh"
	fi
fi

for t in tests/e2e_*.sh; do
	[ "${E2E:-1}" = 0 ] && break
	[ -f "$t" ] || continue
	case "$t" in */e2e_lib.sh) continue ;; esac
	want "$(basename "$t")" || continue
	echo "==== $t"
	timeout 600 sh "$t"
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "==== PASS $t" ;;
	77) skipped=$((skipped + 1)); echo "==== SKIP $t" ;;
	*) failed=$((failed + 1)); failures="$failures $(basename "$t")"
	   echo "==== FAIL $t (exit $rc)" ;;
	esac
done

[ -n "$failures" ] && echo "failed suites:$failures"
echo "check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
