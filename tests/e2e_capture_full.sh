#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_capture_full.sh - a full capture disk is reported at once, the pcap
# ends at a whole frame, the run goes on, and the exit status says it
#
# The captures go to a 200 KiB tmpfs mounted in the test's own directory
# (unmounted at exit). Pings of 1400 bytes from one node to the other fill
# it. Checks: while the run still runs, stderr names the file and "No
# space left on device"; pings still cross the mesh afterwards (the run
# goes on); after SIGTERM the run exits 1 and says that captures were
# lost; tshark reads every pcap to its end without "cut short" or any
# other complaint, and the failed file holds exactly the frames the
# message counted; nothing is left behind. A run whose standard output
# is /dev/full says it cannot write its banner and exits 1.
. tests/e2e_lib.sh

e2e_begin e2ecf tests/data/e2e/ecf.conf ping tshark capinfos mount umount
A=ecf-0-0
B=ecf-0-2
CAP=$E2E_TMP/caps

mkdir "$CAP" || e2e_fail "mkdir $CAP"
mount -t tmpfs -o size=200k,mode=755 e2ecf "$CAP" 2>"$E2E_TMP/mount.err" ||
	e2e_skip "cannot mount a tmpfs: $(cat "$E2E_TMP/mount.err")"
E2E_ON_EXIT="umount '$CAP'"

e2e_run_start --capture "$CAP" --duration 120s
B4=$(e2e_addr "$B" 4)
# each ping puts about 4 x 1.46 KB in the two files: 200 KiB is ~35 pings
ip netns exec "$A" ping -n -q -c 150 -i 0.01 -s 1400 -W 1 "$B4" \
	>"$E2E_TMP/flood" 2>&1
i=0
until grep -q 'No space left on device' "$E2E_TMP/run.err"; do
	i=$((i + 1))
	[ $i -lt 50 ] || e2e_fail "no capture error while the run runs: $(cat "$E2E_TMP/run.err")"
	sleep 0.1
done
line=$(grep -m1 '^lasermesh run: capture "' "$E2E_TMP/run.err")
e2e_log "reported: $line"
file=$(echo "$line" | sed -n 's/^lasermesh run: capture "\([^"]*\)" stopped after \([0-9]*\) frames .*: No space left on device$/\1/p')
kept=$(echo "$line" | sed -n 's/^lasermesh run: capture "\([^"]*\)" stopped after \([0-9]*\) frames .*: No space left on device$/\2/p')
[ -n "$file" ] && [ -n "$kept" ] || e2e_fail "message without file or count: $line"
case "$file" in "$CAP"/*.pcap) ;; *) e2e_fail "message names $file" ;; esac

# the run goes on: the mesh still answers
ip netns exec "$A" ping -n -c 5 -i 0.1 -W 2 "$B4" >"$E2E_TMP/after" 2>&1 ||
	e2e_fail "no ping after the capture stopped: $(cat "$E2E_TMP/after")"
kill -0 "$E2E_RUN_PID" 2>/dev/null || e2e_fail "the run ended"

e2e_run_stop
[ "$E2E_RUN_RC" -eq 1 ] || e2e_fail "run exited $E2E_RUN_RC, expected 1"
grep -q '^lasermesh run: [0-9]* output file(s) could not be written whole; everything removed$' \
	"$E2E_TMP/run.err" || e2e_fail "no closing error: $(cat "$E2E_TMP/run.err")"

for f in "$CAP"/*.pcap; do
	tshark -r "$f" >/dev/null 2>"$E2E_TMP/tshark.all"
	rc=$?
	# tshark's warning about running as root is not about the file
	grep -v 'Running as user "root"' "$E2E_TMP/tshark.all" \
		>"$E2E_TMP/tshark.err"
	[ $rc -eq 0 ] && [ ! -s "$E2E_TMP/tshark.err" ] ||
		e2e_fail "tshark on $f ($rc): $(cat "$E2E_TMP/tshark.err")"
	n=$(capinfos -M -c "$f" | sed -n 's/^Number of packets: *//p')
	e2e_log "$(basename "$f"): $n frames, whole"
	if [ "$f" = "$file" ]; then
		[ "$n" = "$kept" ] || e2e_fail "$f has $n frames, message said $kept"
	fi
done
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $(echo $left)"

# standard output on a full device: said, and the exit status says it
timeout -s KILL 60 "$LM" run "$E2E_CONF" --no-status --duration 1s \
	>/dev/full 2>"$E2E_TMP/full.err"
rc=$?
[ "$rc" -eq 1 ] || e2e_fail "run >/dev/full exited $rc, expected 1"
grep -q '^lasermesh run: cannot write the banner to standard output: No space left on device$' \
	"$E2E_TMP/full.err" || e2e_fail "run >/dev/full: $(cat "$E2E_TMP/full.err")"
left=$(e2e_leftovers $E2E_NODES)
[ -z "$left" ] || e2e_fail "left behind: $(echo $left)"
e2e_pass "full capture disk: reported, whole frames, run went on, exit 1"
