#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_spoof.sh - a node cannot speak with another node's address: spoofed
# pings are dropped at the ingress and counted, and their replies never
# reach the address's owner; with `source-check = no` they do
#
# From sp-0-0's namespace an AF_PACKET socket writes N ICMP echo requests
# with sp-0-1's IPv4 source and N with its IPv6 source, to the untapped
# satellite sp-3-3 (which answers pings itself). A raw socket in sp-0-1
# counts the echo replies carrying the writer's identifier. Run 1 (the
# default, source-check on): no reply reaches sp-0-1 and the summary
# counts 2N spoofed-source drops, while sp-0-0's own pings still work.
# Run 2, the same configuration with `source-check = no`: all 2N replies
# reach sp-0-1, and nothing is counted as spoofed.
. tests/e2e_lib.sh

e2e_begin e2esp tests/data/e2e/sp.conf ping
A=sp-0-0
B=sp-0-1
S=sp-0-4
N=20

# spoof: write the spoofed requests from A while B listens; sets got
spoof() {
	rm -f "$E2E_TMP/rx-ready"
	ip netns exec "$B" "$PY" - listen "$E2E_TMP/rx-ready" \
		<"$E2E_TMP/spoof.py" >"$E2E_TMP/rx" &
	rx=$!
	E2E_BG_PIDS="$E2E_BG_PIDS $rx"
	e2e_wait_file "$E2E_TMP/rx-ready" 200 0.02 \
		"listener did not start in $B"
	ip netns exec "$A" "$PY" - send lm0 "$(e2e_addr "$B" 4)" \
		"$(e2e_addr "$S" 4)" "$(e2e_addr "$B" 6)" "$(e2e_addr "$S" 6)" \
		"$N" <"$E2E_TMP/spoof.py" || e2e_fail "the spoofing writer failed"
	wait "$rx" || e2e_fail "the listener failed in $B"
	got=$(cat "$E2E_TMP/rx")
}

cat >"$E2E_TMP/spoof.py" <<'PYEOF'
import select, socket, struct, sys, time

ID = 0x5eed

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF

def send(ifname, s4, d4, s6, d6, n):
    sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sk.bind((ifname, 0))
    me = bytes.fromhex(open("/sys/class/net/%s/address" % ifname)
                       .read().strip().replace(":", ""))
    gw = bytes.fromhex("026c6d000001")  # any unicast MAC: routed by IP
    s4, d4 = socket.inet_aton(s4), socket.inet_aton(d4)
    s6 = socket.inet_pton(socket.AF_INET6, s6)
    d6 = socket.inet_pton(socket.AF_INET6, d6)
    for seq in range(n):
        icmp = struct.pack("!BBHHH", 8, 0, 0, ID, seq) + b"spoof" * 4
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq, 0,
                         64, 1, 0, s4, d4)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        sk.send(gw + me + b"\x08\x00" + ip + icmp)
        icmp6 = struct.pack("!BBHHH", 128, 0, 0, ID, seq) + b"spoof" * 4
        ph = s6 + d6 + struct.pack("!IxxxB", len(icmp6), 58)
        icmp6 = icmp6[:2] + struct.pack("!H", csum(ph + icmp6)) + icmp6[4:]
        ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(icmp6), 58, 64,
                          s6, d6)
        sk.send(gw + me + b"\x86\xdd" + ip6 + icmp6)
        time.sleep(0.01)

def listen(ready):
    r4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                       socket.IPPROTO_ICMPV6)
    open(ready, "w").close()
    got, end = 0, time.time() + 3
    while time.time() < end:
        rl, _, _ = select.select([r4, r6], [], [], 0.2)
        for s in rl:
            d = s.recv(2048)
            if s is r4:
                d = d[(d[0] & 15) * 4:]
                want = 0
            else:
                want = 129
            if len(d) >= 8 and d[0] == want and \
               struct.unpack("!H", d[4:6])[0] == ID:
                got += 1
    print(got)

if sys.argv[1] == "send":
    send(sys.argv[2], *sys.argv[3:7], int(sys.argv[7]))
else:
    listen(sys.argv[2])
PYEOF

# ---- run 1: the check on (the default) ------------------------------------
e2e_run_start --duration 120s
spoof
for fam in 4 6; do
	ip netns exec "$A" ping -"$fam" -n -c 2 -i 0.2 -W 3 \
		"$(e2e_addr "$S" "$fam")" >/dev/null 2>&1 ||
		e2e_fail "IPv$fam ping from $A with its own address failed"
done
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
sp=$(e2e_drops spoofed-source)
e2e_log "check on: $B got $got replies, spoofed-source $sp (wrote $((2 * N)))"
[ "$got" -eq 0 ] || e2e_fail "$got replies to spoofed pings reached $B"
[ "$sp" -eq $((2 * N)) ] ||
	e2e_fail "spoofed-source counts $sp, $((2 * N)) spoofed frames written"

# ---- run 2: source-check = no ------------------------------------------------
sed 's/^\[emulation\]$/[emulation]\nsource-check = no/' "$E2E_CONF" \
	>"$E2E_TMP/off.conf"
e2e_run_start "$E2E_TMP/off.conf" --duration 120s
spoof
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "lasermesh run exited $E2E_RUN_RC"
sp=$(e2e_drops spoofed-source)
e2e_log "check off: $B got $got replies, spoofed-source $sp"
[ "$got" -eq $((2 * N)) ] ||
	e2e_fail "with the check off $B got $got replies, not $((2 * N))"
[ "$sp" -eq 0 ] || e2e_fail "with the check off $sp frames counted as spoofed"
e2e_pass "spoofed pings dropped and counted; with source-check = no they pass"
