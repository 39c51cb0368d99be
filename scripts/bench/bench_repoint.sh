#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_repoint.sh - re-pointing laser terminals on the real Starlink set:
# mean link length and London-New York RTT against a fresh assignment at
# the same moments, and the churn (issue 8 point 1)
#
# usage: sh scripts/bench/bench_repoint.sh [PERIOD] [GAIN] [HOURS]
# (defaults 20s, 25%, 1). Three runs of the same configuration (9,543
# satellites, nearest links, 4 terminals up to 5,016 km, step 1 s):
#   kept:   links kept until they break (repoint = 0, today's default)
#   repoint: [isl] repoint = PERIOD, repoint-gain = GAIN
#   fresh:  a fresh nearest assignment at each moment (--no-history)
# sampled every 5 minutes, 150 s after the hour's start so that moments
# do not fall on re-pointing instants. Prints one line per moment and the
# means; the figures in docs/performance.md come from this script.
set -eu
LM=${LM:-./lasermesh}
PERIOD=${1:-20s}
GAIN=${2:-25%}
HOURS=${3:-1}
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
conf "repoint = $PERIOD
repoint-gain = $GAIN" >"$tmp/repoint.conf"

end=$(awk -v h="$HOURS" 'BEGIN { print h * 3600 }')
# mean ISL length at T of a configuration (extra: --no-history or "")
mean_len() {
	"$LM" topo "$1" --at "$2" --only links --format csv $3 2>/dev/null |
		awk -F, '$3 == "isl" { s += $4; n++ } END { printf "%.1f", s / n }'
}
rtts() {
	"$LM" path "$1" london newyork --from 150 --to "$end" --step 300 \
		$2 2>"$tmp/err" | awk -F, 'NR > 1 { printf "%.3f\n", $2 / 1e6 }'
	cat "$tmp/err" >&2
}
echo "# re-pointing every $PERIOD, gain $GAIN, $HOURS h of orbit, real set"
rtts "$tmp/kept.conf" "" >"$tmp/rtt_kept"
rtts "$tmp/repoint.conf" "" >"$tmp/rtt_rp"
rtts "$tmp/kept.conf" --no-history >"$tmp/rtt_fresh"
echo "t_s rtt_kept rtt_repoint rtt_fresh len_kept len_repoint len_fresh"
t=150
while [ "$t" -le "$end" ]; do
	k=$(( (t - 150) / 300 + 1 ))
	printf '%s %s %s %s %s %s %s\n' "$t" \
		"$(sed -n "${k}p" "$tmp/rtt_kept")" \
		"$(sed -n "${k}p" "$tmp/rtt_rp")" \
		"$(sed -n "${k}p" "$tmp/rtt_fresh")" \
		"$(mean_len "$tmp/kept.conf" "$t" "")" \
		"$(mean_len "$tmp/repoint.conf" "$t" "")" \
		"$(mean_len "$tmp/kept.conf" "$t" --no-history)"
	t=$((t + 300))
done | tee "$tmp/table"
awk '{ for (i = 2; i <= 7; i++) s[i] += $i; n++ }
     END { printf "mean %.3f %.3f %.3f %.1f %.1f %.1f\n",
	   s[2]/n, s[3]/n, s[4]/n, s[5]/n, s[6]/n, s[7]/n;
	   printf "repoint/fresh: RTT %.3f, length %.3f; kept/fresh: RTT %.3f, length %.3f\n",
	   s[3]/s[4], s[6]/s[7], s[2]/s[4], s[5]/s[7] }' "$tmp/table"
