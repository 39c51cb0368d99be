#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_capture_links.sh - --capture-links writes one pcapng file in which
# every directed link that carried traffic is an interface named "a>b",
# each frame stamped when it left the link
#
# Between two satellites five laser hops apart (tests/data/e2e/ep.conf,
# 100 Mbit/s links): 10 pings of 1000 bytes with --capture-links and
# --capture. Then, with tshark and capinfos on DIR/links.pcapng:
#  - it is a pcapng file whose interfaces are exactly the ten directed
#    hops of `lasermesh path` (both directions), one IDB each;
#  - each link's frame count is the summary's "busiest links" packets;
#  - for every echo request and reply, its stamps grow hop by hop, and
#    each step is that link's serialisation (83.36 us for 1042 bytes) plus
#    its propagation delay from `lasermesh topo --at T` (interpolated to
#    the hop's time) within 10 ns: the stamps are logical times, exact to
#    the nanosecond. The orbital time T of a stamp is known from the
#    "ready" line only to a few ms, which on a cross-plane link whose
#    delay changes by ~6 us/s is tens of ns: that one offset is fitted
#    from the steps themselves (a wall-clock matter, it may be 0.5 s at
#    most). The first step is from the sender's own capture (its TAP
#    read time, the same clock);
# `lasermesh wrap --capture-links` writes the same kind of file; and on a
# full disk (a 100 KiB tmpfs) the file ends at a whole block, that is
# said once, the run goes on and exits 1.
. tests/e2e_lib.sh

e2e_begin e2ep tests/data/e2e/ep.conf ping tshark capinfos
A=ep-0-0
B=ep-2-3
RATE=100000000		# bit/s: ep.conf's [isl] rate
CAP=$E2E_TMP/cap
LINKS=$E2E_TMP/links
F=$LINKS/links.pcapng

e2e_run_start --capture "$CAP" --capture-links "$LINKS" --duration 120s
B4=$(e2e_addr "$B" 4)
ip netns exec "$A" ping -n -c 10 -i 0.2 -s 1000 -W 3 "$B4" \
	>"$E2E_TMP/ping" 2>&1
rx=$(sed -n 's/^10 packets transmitted, \([0-9]*\) received.*/\1/p' \
	"$E2E_TMP/ping")
[ "$rx" = 10 ] || e2e_fail "ping: $(tail -n 3 "$E2E_TMP/ping")"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
[ -s "$F" ] || e2e_fail "no $F"

# ---- the file and its interfaces ------------------------------------------
capinfos "$F" >"$E2E_TMP/capinfos" 2>&1 || e2e_fail "capinfos cannot read $F"
grep -q 'File type: *Wireshark/\.\.\. - pcapng' "$E2E_TMP/capinfos" ||
	e2e_fail "$F: $(grep 'File type' "$E2E_TMP/capinfos")"
nif=$(sed -n 's/^Number of interfaces in file: *//p' "$E2E_TMP/capinfos")
tshark -r "$F" -T fields -E separator=' ' -e frame.interface_name \
	-e frame.time_epoch -e icmp.type -e icmp.seq -e frame.len \
	>"$E2E_TMP/links.txt" 2>/dev/null || e2e_fail "tshark cannot read $F"

first=$(awk '{ print $2; exit }' "$E2E_TMP/links.txt")
T=$(e2e_orbit_t "$first")
e2e_path "$A" "$B" "$T" "$T" 1 >"$E2E_TMP/path"
set -- $(cut -d' ' -f3- "$E2E_TMP/path")
[ $# -ge 4 ] && [ $# -le 6 ] ||
	e2e_fail "path $A $B is $(($# - 1)) hops, ep.conf wants 3 to 5: $*"
echo "$*" >"$E2E_TMP/nodes"
# the directed hops, both ways: "a>b" per line
awk '{ for (i = 1; i < NF; i++) { print $i ">" $(i + 1); print $(i + 1) ">" $i } }' \
	"$E2E_TMP/nodes" | sort >"$E2E_TMP/want"
cut -d' ' -f1 "$E2E_TMP/links.txt" | sort -u >"$E2E_TMP/got"
cmp -s "$E2E_TMP/want" "$E2E_TMP/got" ||
	e2e_fail "interfaces with frames: $(echo $(cat "$E2E_TMP/got")); the path's hops: $(echo $(cat "$E2E_TMP/want"))"
[ "$nif" = "$(wc -l <"$E2E_TMP/want")" ] ||
	e2e_fail "$nif interfaces (IDBs) in the file, $(wc -l <"$E2E_TMP/want") links carried traffic"
e2e_log "path $(cat "$E2E_TMP/nodes"): $nif interfaces, $(wc -l <"$E2E_TMP/links.txt") frames"

# the Wireshark filter of docs/usage.md selects one link
hop=$(head -n 1 "$E2E_TMP/want")
n=$(tshark -r "$F" -Y "frame.interface_name == \"$hop\"" -T fields \
	-e frame.number 2>/dev/null | wc -l)
[ "$n" = "$(grep -c "^$hop " "$E2E_TMP/links.txt")" ] && [ "$n" -gt 0 ] ||
	e2e_fail "filter frame.interface_name == \"$hop\" gave $n frames"

# ---- per-link counts against the summary ------------------------------------
# "  NAME packets bytes queue loss down" after "busiest links:", which
# lists 10 links at most: a path of 5 hops fills it (ep.conf's longest)
awk '$1 ~ />/ && NF == 6 { print $1, $2 }' "$E2E_TMP/run.err" | sort \
	>"$E2E_TMP/summary"
cut -d' ' -f1 "$E2E_TMP/links.txt" | sort | uniq -c |
	awk '{ print $2, $1 }' >"$E2E_TMP/counts"
cmp -s "$E2E_TMP/summary" "$E2E_TMP/counts" ||
	e2e_fail "frames per link $(echo $(cat "$E2E_TMP/counts")); summary $(echo $(cat "$E2E_TMP/summary"))"
e2e_log "frames per link = summary's packets: $(echo $(cat "$E2E_TMP/counts"))"

# ---- stamps along the path ----------------------------------------------------
fields() {
	tshark -r "$1" -Y "$2" -T fields -E separator=' ' -e icmp.seq \
		-e frame.time_epoch 2>/dev/null
}
fields "$CAP/$A.pcap" "icmp.type == 8" >"$E2E_TMP/sent8"
fields "$CAP/$B.pcap" "icmp.type == 0" >"$E2E_TMP/sent0"
"$PY" - "$E2E_TMP" "$E2E_READY" "$RATE" "$LM" "$E2E_CONF" \
	>"$E2E_TMP/stamps" 2>&1 <<'PYEOF'
import math, subprocess, sys

tmp, ready, rate, lm, conf = sys.argv[1:]
rate = int(rate)


def ns(s):
    sec, _, frac = s.partition(".")
    return int(sec) * 10**9 + int(frac.ljust(9, "0")[:9])


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


ready_ns = ns(ready)
nodes = open(tmp + "/nodes").read().split()
fwd = ["%s>%s" % (nodes[i], nodes[i + 1]) for i in range(len(nodes) - 1)]
rev = ["%s>%s" % (nodes[i + 1], nodes[i]) for i in reversed(range(len(nodes) - 1))]
hops = {}
for l in open(tmp + "/links.txt"):
    f = l.split()
    if len(f) != 5:
        fail("links.txt line %r" % l)
    key = (f[0], int(f[2]), int(f[3]))
    if key in hops:
        fail("%s type %s seq %s twice on one link" % key)
    hops[key] = (ns(f[1]), int(f[4]))
sent = {}
for t in (8, 0):
    for l in open("%s/sent%d" % (tmp, t)):
        seq, when = l.split()
        sent[(t, int(seq))] = ns(when)

topo_cache = {}


def topo(t):
    """delay_us of every link up at orbital time t, both directions"""
    key = "%.6f" % t
    if key not in topo_cache:
        out = subprocess.run([lm, "topo", conf, "--at", key, "--format",
                              "csv", "--only", "links"], check=True,
                             capture_output=True, text=True).stdout
        d = {}
        for row in out.splitlines()[1:]:
            a, b, _, _, us = row.split(",")
            d["%s>%s" % (a, b)] = d["%s>%s" % (b, a)] = float(us)
        topo_cache[key] = d
    return topo_cache[key]


# pass 1: every step against tx + the delay at the orbital time READY
# gives; what is left on a link whose delay changes is slope x the error
# of that orbital time, one offset for the whole run: fit it
steps = []
for t, path in ((8, fwd), (0, rev)):
    for seq in range(1, 11):
        if (t, seq) not in sent:
            fail("type %d seq %d not in the sender's capture" % (t, seq))
        stamps = [sent[(t, seq)]]
        for h in path:
            if (h, t, seq) not in hops:
                fail("type %d seq %d not on link %s" % (t, seq, h))
            stamps.append(hops[(h, t, seq)][0])
        t1 = (stamps[1] - ready_ns) / 1e9
        d0, d1 = topo(t1), topo(t1 + 1.0)
        for i, h in enumerate(path, 1):
            flen = hops[(h, t, seq)][1]
            tx = -(-flen * 8 * 10**9 // rate)
            dt = (stamps[i] - stamps[1]) / 1e9
            delay = (d0[h] + (d1[h] - d0[h]) * dt) * 1000.0
            slope = (d1[h] - d0[h]) * 1000.0     # ns per s
            step = stamps[i] - stamps[i - 1]
            if step <= 0:
                fail("type %d seq %d: %s stamped %d ns after the hop before"
                     % (t, seq, h, step))
            steps.append((t, seq, h, step, tx, delay, slope))
ratios = sorted((st - tx - d) / sl for _, _, _, st, tx, d, sl in steps
                if abs(sl) > 1000.0)
fit = ratios[len(ratios) // 2] if ratios else 0.0
off = max(-0.5, min(0.5, fit))
print("orbital time offset from READY: %.2f ms (from %d steps on links "
      "whose delay changes)" % (fit * 1e3, len(ratios)))
# pass 2: with it, each step is tx + delay to TOL ns (the due time is
# rounded to 1 ns, topo prints delays to 0.1 ns, the run interpolates the
# delay linearly between 100 ms steps: well under 1 ns each)
TOL = 10.0
worst = {}
bad = []
for t, seq, h, step, tx, delay, slope in steps:
    delay += slope * off
    err = step - tx - delay
    if step < delay - TOL or abs(err) > TOL:
        bad.append((slope, "type %d seq %d: %s: step %d ns = tx %d + delay "
                    "%.1f + %.1f ns, beyond %.0f ns"
                    % (t, seq, h, step, tx, delay, err, TOL)))
    w = worst.setdefault(h, [0.0, delay, step, tx])
    if abs(err) > abs(w[0]):
        w[0] = err
if bad:
    # only links whose delay changes, and READY far off: the wall clock's
    if fit != off and all(abs(sl) > 1000.0 for sl, _ in bad):
        print("TIMING orbital time %.3f s off what READY says: %s"
              % (fit, bad[0][1]))
        sys.exit(2)
    fail(bad[0][1])
print("OK %d steps" % len(steps))
for h in fwd + rev:
    err, delay, step, tx = worst[h]
    print("  %-14s step %9d ns = tx %d + delay %10.1f ns, worst error "
          "%+5.1f ns" % (h, step, tx, delay, err))
PYEOF
rc=$?
sed 's/^/  /' "$E2E_TMP/stamps" >&2
[ $rc -ne 2 ] || e2e_timing_fail "$(grep -m1 TIMING "$E2E_TMP/stamps")"
[ $rc -eq 0 ] || e2e_fail "stamps along the path: $(grep -m1 FAIL "$E2E_TMP/stamps")"
e2e_log "every hop of 10 requests and 10 replies: step = tx + delay"

# ---- wrap ------------------------------------------------------------------------
W=$E2E_TMP/wlinks
timeout -s KILL 60 "$LM" wrap "$E2E_CONF" --no-status --capture-links "$W" \
	--node "$A" -- ping -n -c 2 -i 0.2 -W 3 "$B" >"$E2E_TMP/wrap.out" \
	2>"$E2E_TMP/wrap.err" ||
	e2e_fail "wrap --capture-links: $(tail -n 5 "$E2E_TMP/wrap.err")"
capinfos -M "$W/links.pcapng" >"$E2E_TMP/capinfos" 2>&1 ||
	e2e_fail "capinfos cannot read $W/links.pcapng"
n=$(sed -n 's/^Number of packets: *//p' "$E2E_TMP/capinfos")
nif=$(sed -n 's/^Number of interfaces in file: *//p' "$E2E_TMP/capinfos")
[ "$n" = 20 ] && [ "$nif" = 10 ] ||
	e2e_fail "wrap: $n frames on $nif interfaces, expected 20 on 10"
e2e_log "wrap --capture-links: $n frames on $nif interfaces"

# ---- a full disk -------------------------------------------------------------------
# 20 pings put 200 blocks of 1074 bytes in the file: the first 64 KiB
# write fits in a 100 KiB tmpfs, the second fails while the run runs
FULL=$E2E_TMP/full
mkdir "$FULL" || e2e_fail "mkdir $FULL"
mount -t tmpfs -o size=100k,mode=755 e2ep "$FULL" 2>"$E2E_TMP/mount.err" ||
	e2e_skip "cannot mount a tmpfs: $(cat "$E2E_TMP/mount.err")"
E2E_ON_EXIT="umount '$FULL'"
e2e_run_start --capture-links "$FULL" --duration 120s
ip netns exec "$A" ping -n -q -c 20 -i 0.05 -s 1000 -W 3 "$B4" \
	>"$E2E_TMP/ping" 2>&1
grep -q '^20 packets transmitted, 20 received' "$E2E_TMP/ping" ||
	e2e_fail "the run did not go on: $(tail -n 2 "$E2E_TMP/ping")"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 1 ] || e2e_fail "run exited $E2E_RUN_RC, expected 1"
pat='^lasermesh run: link capture "[^"]*" stopped after \([0-9]*\) frames on \([0-9]*\) links .*: No space left on device$'
[ "$(grep -c "$pat" "$E2E_TMP/run.err")" = 1 ] ||
	e2e_fail "not said once: $(grep 'link capture' "$E2E_TMP/run.err")"
kept=$(sed -n "s/$pat/\1/p" "$E2E_TMP/run.err")
grep -q '^lasermesh run: 1 output file(s) could not be written whole; everything removed$' \
	"$E2E_TMP/run.err" || e2e_fail "no closing error: $(tail -n 2 "$E2E_TMP/run.err")"
tshark -r "$FULL/links.pcapng" >/dev/null 2>"$E2E_TMP/tshark.all"
rc=$?
grep -v 'Running as user "root"' "$E2E_TMP/tshark.all" >"$E2E_TMP/tshark.err"
[ $rc -eq 0 ] && [ ! -s "$E2E_TMP/tshark.err" ] ||
	e2e_fail "tshark on the cut file ($rc): $(cat "$E2E_TMP/tshark.err")"
n=$(capinfos -M -c "$FULL/links.pcapng" | sed -n 's/^Number of packets: *//p')
[ "$n" = "$kept" ] && [ "$n" -gt 0 ] ||
	e2e_fail "the cut file holds $n frames, the message said $kept"
e2e_log "full disk: said once, the run went on and exited 1, $n whole frames kept"
e2e_pass "one interface per directed link, counts as the summary's, stamps hop by hop"
