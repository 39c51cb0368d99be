#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz.sh - build every tests/fuzz_*.c as a libFuzzer target and run each
#
# usage: tests/fuzz.sh OUTDIR SECONDS   (called by `make fuzz`)
# Each target links all of topo/ tap/ emu/ (except emu/cli/main.c) built with
# -fsanitize=fuzzer,address,undefined, starts from a seed corpus copied from
# tests/data (TLE files for fuzz_tle, tests/data/conf/*.conf for
# fuzz_config, everything under tests/data/<name>/ for others) and runs for
# SECONDS. Crashes are left in OUTDIR/<name>.crashes/ as crash-* files; the
# script fails if any target fails to build or finds one.
set -u
out=${1:?usage: tests/fuzz.sh OUTDIR SECONDS}
secs=${2:?usage: tests/fuzz.sh OUTDIR SECONDS}
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

command -v "$CC" >/dev/null || { echo "fuzz: $CC not found" >&2; exit 1; }
cflags="-g -O1 -fsanitize=fuzzer,address,undefined"
cflags="$cflags -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -I."
cflags="$cflags $($PKG_CONFIG --cflags libnl-3.0 libnl-route-3.0)"
libs="-lev -lm $($PKG_CONFIG --libs libnl-3.0 libnl-route-3.0 libpcap)"
libs="$libs -lpthread"

mkdir -p "$out/obj" || exit 1

# The library once, with the fuzzer's instrumentation (but no main()).
lib_src=$(ls topo/*.c topo/*/*.c tap/*.c tap/*/*.c emu/*/*.c 2>/dev/null | grep -v '^emu/cli/main\.c$')
objs=""
for src in $lib_src; do
	obj="$out/obj/$(echo "$src" | tr / _).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
		$CC $cflags -c -o "$obj" "$src" || {
			echo "fuzz: cannot build $src" >&2; exit 1; }
	fi
	objs="$objs $obj"
done

# Seeds: files of tests/data for the target's input kind.
seed() {
	name=$1 dir=$2
	mkdir -p "$dir"
	case $name in
	fuzz_tle)
		for f in tests/data/*.TLE tests/data/*.tle tests/data/tle/*; do
			[ -f "$f" ] && cp "$f" "$dir/"
		done
		# A slice of the real file, if the shared data is there.
		[ -f docs/examples/data/starlink-2026-02-22.tle ] &&
			head -n 30 docs/examples/data/starlink-2026-02-22.tle \
				>"$dir/starlink-head.tle"
		;;
	fuzz_config)
		for f in tests/data/conf/*.conf; do
			[ -f "$f" ] && cp "$f" "$dir/"
		done
		;;
	*)
		for f in tests/data/"${name#fuzz_}"/*; do
			[ -f "$f" ] && cp "$f" "$dir/"
		done
		;;
	esac
	return 0
}

fail=0
for src in tests/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin="$out/$name"
	echo "==== $name: building"
	if ! $CC $cflags -o "$bin" "$src" $objs $libs; then
		echo "==== FAIL $name: does not build"
		fail=1
		continue
	fi
	seed "$name" "$out/$name.seeds"
	mkdir -p "$out/$name.corpus" "$out/$name.crashes"
	echo "==== $name: running for ${secs}s"
	if "$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$out/$name.crashes/" \
		"$out/$name.corpus" "$out/$name.seeds" \
		>"$out/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$out/$name.log")
		echo "==== PASS $name ($runs runs)"
	else
		echo "==== FAIL $name (see $out/$name.log):"
		tail -n 30 "$out/$name.log"
		fail=1
	fi
done
exit $fail
