#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_repoint.sh - re-pointing laser terminals on the real Starlink set:
# mean link length and London-New York RTT against a fresh assignment at
# the same moments, and the churn (issue 8 point 1)
#
# usage: sh scripts/bench/bench_repoint.sh [HOURS] [PERIOD/GAIN ...]
# (defaults 1 and 20s/0% 20s/10% 30s/0%). The same configuration (9,543
# satellites, nearest links, 4 terminals up to 5,016 km, step 1 s) as
#   kept:    links kept until they break (repoint = 0, the default)
#   PERIOD/GAIN: [isl] repoint = PERIOD, repoint-gain = GAIN
#   fresh:   a fresh nearest assignment at each moment (--no-history)
# from 150 s to the end: the mean laser link length averaged over every
# step (build/bench/bench_repoint; fresh: every 7 s), the London-New York
# RTT averaged over every 7th second (`lasermesh path --step 7`: 7 s is
# prime to every period tried, so moments fall at every phase of a
# re-pointing period, not only on or between its instants), each as a
# ratio to fresh, and the churn (terminals re-pointed per satellite per
# hour). ACQ=T sets [isl] acquisition = T (default 0): every new link,
# re-pointed or not, carries nothing for T (a fresh assignment at a moment
# has every link up). The figures in docs/performance.md come from this
# script.
set -eu
LM=${LM:-./lasermesh}
HOURS=${1:-1}
[ $# -gt 0 ] && shift
SETTINGS=${*:-20s/0% 20s/10% 30s/0%}
BENCH=${BENCH_REPOINT:-build/bench/bench_repoint}
TLE=$(readlink -f docs/examples/data/starlink-2026-02-22.tle)
tmp=$(mktemp -d /tmp/lasermesh-repoint.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

conf() {
	cat <<EOC
[emulation]
epoch = 2026-02-23T00:00:00Z
step = 1s
ttl = fabric
[tle starlink]
file = $TLE
pattern = STARLINK-*
[isl]
candidates = nearest
terminals = 4
max-range = 5016km
acquisition = ${ACQ:-0}
$1
[ground london]
latitude = 51.5074
longitude = -0.1278
[ground newyork]
latitude = 40.7128
longitude = -74.0060
[tap]
nodes = london newyork
EOC
}
conf "" >"$tmp/kept.conf"
end=$(awk -v h="$HOURS" 'BEGIN { print h * 3600 }')

# mean RTT London-New York in ms over every 7th second from 150 s
rtt() {
	"$LM" path "$1" london newyork --from 150 --to "$end" --step 7 \
		$2 2>"$tmp/err" |
		awk -F, 'NR > 1 && $2 != "" { s += $2; n++ }
			 END { printf "%.3f", s / n / 1e6 }'
	cat "$tmp/err" >&2
}
# mean laser link length and churn: "KM CHURN"
len() {
	"$BENCH" "$1" 150 "$end" ${2:-} |
		sed -n 's/mean laser link \([0-9.]*\) km.*, \([0-9.]*\) terminals.*/\1 \2/p'
}

echo "# re-pointing, $HOURS h of orbit, real set, acquisition ${ACQ:-0}; load $(cut -d' ' -f1-3 /proc/loadavg)"
set -- $(len "$tmp/kept.conf" fresh)
lf=$1
rf=$(rtt "$tmp/kept.conf" --no-history)
echo "fresh: RTT $rf ms, mean laser link $lf km"
# row NAME CONFIG: one line of figures against fresh
row() {
	name=$1 r=$(rtt "$2" "")
	set -- $(len "$2")
	awk -v n="$name" -v r="$r" -v rf="$rf" -v l="$1" -v lf="$lf" \
		-v c="$2" 'BEGIN { printf "%s: RTT %.3f ms (%.3f x fresh), mean laser link %.1f km (%.3f x), churn %s\n", n, r, r / rf, l, l / lf, c }'
}
row kept "$tmp/kept.conf"
for sg in $SETTINGS; do
	p=${sg%/*} g=${sg#*/}
	conf "repoint = $p
repoint-gain = $g" >"$tmp/rp.conf"
	row "repoint = $p, repoint-gain = $g" "$tmp/rp.conf"
done
