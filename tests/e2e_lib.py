# SPDX-License-Identifier: MIT
# e2e_lib.py - Python helpers of the end-to-end scripts (standard library only)
#
# usage: python3 tests/e2e_lib.py COMMAND ARGS...  (see each cmd_* below)
import csv
import math
import os
import random
import re
import socket
import struct
import sys
import time


def fail(msg):
    print("e2e_lib.py: " + msg, file=sys.stderr)
    sys.exit(2)


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if not n:
        fail("median of nothing")
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def cmd_split_path(args):
    """split-path NAMESFILE < path CSV: print 't_s rtt_ms name...' lines
    (rtt 'nan' and no names when unreachable). The CSV is RFC 4180; its
    path column holds node names separated by spaces, each a node of
    NAMESFILE."""
    names = set(open(args[0]).read().split())
    for row in csv.reader(sys.stdin):
        if not row or row[0] == "t_ns":
            continue
        t, rtt, path = row
        r = "%.6f" % (int(rtt) / 1e6) if rtt else "nan"
        hops = path.split(" ") if path else []
        for h in hops:
            if h not in names:
                fail("path %r names %r, not a node" % (path, h))
        print("%.9f %s %s" % (int(t) / 1e9, r, " ".join(hops)))


def cmd_median(args):
    """median [COLUMN] < numbers: median of a column (1-based, default 1)."""
    col = int(args[0]) - 1 if args else 0
    xs = [float(l.split()[col]) for l in sys.stdin if l.strip()]
    print("%.6f" % median(xs))


def cmd_ping_rtts(args):
    """ping-rtts < `ping -D` output: 'recv_wall seq rtt_ms' per reply."""
    pat = re.compile(r"^\[(\d+\.\d+)\].*icmp_seq=(\d+).*time=([\d.]+) ms")
    for line in sys.stdin:
        m = pat.match(line)
        if m:
            print(m.group(1), m.group(2), m.group(3))


def cmd_ping(args):
    """ping DST COUNT INTERVAL_S [TIMEOUT_S]: ICMP echo (raw socket, root)
    with microsecond RTTs (iputils ping prints 84.4 ms: 0.1 ms steps).
    The kernel stamps both ends (SO_TIMESTAMPING, software): the request
    when the TAP takes it, the reply when the emulator writes it into the
    TAP, so a loaded machine's scheduling of this process does not count.
    Prints 'recv_wall seq rtt_ms' per reply, like ping-rtts, and on stderr
    'sent received tx_stamped'."""
    dst, count, gap = args[0], int(args[1]), float(args[2])
    wait = float(args[3]) if len(args) > 3 else 3.0
    v6 = ":" in dst
    if v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_ICMPV6)
        req, rep = 128, 129
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        req, rep = 8, 0
    SO_TIMESTAMPING = 37
    flags = (1 << 1) | (1 << 3) | (1 << 4)  # TX_SOFTWARE RX_SOFTWARE SOFTWARE
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, flags)
    ident = os.getpid() & 0xFFFF
    sent_at, tx_at, rx_at = {}, {}, {}
    t0 = time.monotonic()
    end = t0 + (count - 1) * gap + wait
    nxt = 0
    tag = b"lasermesh-e2e" * 4

    def pkt(seq):
        body = struct.pack("!BBHHH", req, 0, 0, ident, seq) + tag
        if v6:
            return body		# the kernel fills in the ICMPv6 checksum
        c = csum(body)
        return body[:2] + struct.pack("!H", c) + body[4:]

    def stamp(anc):
        for lvl, typ, val in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPING:
                sec, nsec = struct.unpack("qq", val[:16])
                if sec or nsec:
                    return sec * 1000000000 + nsec
        return None

    def echo_of(data, want):
        # the ICMP header inside whatever the kernel returned
        i = data.find(struct.pack("!BB", want, 0))
        while i >= 0:
            if data[i + 8:i + 8 + len(tag)] == tag and len(data) >= i + 8:
                typ, _, _, rid, seq = struct.unpack("!BBHHH", data[i:i + 8])
                if rid == ident:
                    return seq
            i = data.find(struct.pack("!BB", want, 0), i + 1)
        return None

    def drain_errqueue():
        while True:
            try:
                data, anc, _, _ = s.recvmsg(2048, 512, socket.MSG_ERRQUEUE |
                                            socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError, socket.timeout):
                return
            seq = echo_of(data, req)
            t = stamp(anc)
            if seq is not None and t:
                tx_at[seq] = t

    while True:
        now = time.monotonic()
        if nxt < count and now >= t0 + nxt * gap:
            sent_at[nxt] = time.time_ns()
            s.sendto(pkt(nxt), (dst, 0))
            nxt += 1
            continue
        drain_errqueue()
        if now >= end or (nxt >= count and len(rx_at) >= count):
            break
        due = t0 + nxt * gap if nxt < count else end
        s.settimeout(max(0.0005, min(due, end, now + 0.005) - now))
        try:
            data, anc, _, _ = s.recvmsg(2048, 512)
        except socket.timeout:
            continue
        icmp = data if v6 else data[(data[0] & 15) * 4:]
        if len(icmp) < 8:
            continue
        typ, _, _, rid, seq = struct.unpack("!BBHHH", icmp[:8])
        if typ != rep or rid != ident or seq not in sent_at or seq in rx_at:
            continue
        rx_at[seq] = stamp(anc) or time.time_ns()
    drain_errqueue()
    for seq in sorted(rx_at):
        t_tx = tx_at.get(seq, sent_at[seq])
        print("%.9f %d %.6f" % (rx_at[seq] / 1e9, seq,
                                (rx_at[seq] - t_tx) / 1e6))
    print(count, len(rx_at), len(tx_at), file=sys.stderr)


def cmd_udp_recv(args):
    """udp-recv FAMILY PORT SECONDS READYFILE: count distinct sequence
    numbers of datagrams until SECONDS pass with nothing new; print
    'received distinct duplicates'."""
    fam = socket.AF_INET6 if args[0] == "6" else socket.AF_INET
    port, idle = int(args[1]), float(args[2])
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
    open(args[3], "w").close()
    seen, total = set(), 0
    s.settimeout(idle)
    while True:
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        if len(data) >= 8:
            total += 1
            seen.add(struct.unpack("!Q", data[:8])[0])
    print(total, len(seen), total - len(seen))


def cmd_udp_send(args):
    """udp-send DST PORT COUNT INTERVAL_S [SIZE]: COUNT datagrams carrying
    their sequence number, paced at INTERVAL_S; print how many sent."""
    dst, port, count = args[0], int(args[1]), int(args[2])
    gap = float(args[3])
    size = int(args[4]) if len(args) > 4 else 64
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    pad = b"\0" * max(0, size - 8)
    t0 = time.monotonic()
    sent = 0
    for i in range(count):
        due = t0 + i * gap
        while True:
            d = due - time.monotonic()
            if d <= 0:
                break
            time.sleep(d)
        s.sendto(struct.pack("!Q", i) + pad, (dst, port))
        sent += 1
    print(sent)


# ---- hostile frames -----------------------------------------------------------

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(src, dst, payload, proto=17, ttl=64, ihl=5, tot=None, frag=0,
        ver=4, good_csum=True, opts=b""):
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, tot & 0xFFFF,
                    0x1234, frag, ttl, proto, 0, src, dst) + opts
    c = csum(h[: max(20, ihl * 4)] if ihl >= 5 else h[:20])
    if not good_csum:
        c ^= 0x5A5A
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def ip6(src, dst, payload, nh=17, hlim=64, plen=None, ver=6):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", ver << 28, plen & 0xFFFF, nh, hlim,
                       src, dst) + payload


def cmd_hostile(args):
    """hostile IFACE GW_MAC SRC4 DST4 SRC6 DST6 RANDOM SEED: write hostile
    frames on IFACE (AF_PACKET, from inside a node's namespace) toward the
    emulator. Prints 'category sent refused' lines and the totals, plus
    'ttl N' (frames that must expire: TTL/hop limit 0 or 1 toward a node
    several hops away) and 'malformed N' (frames the parser must refuse)."""
    ifname, gw = args[0], bytes.fromhex(args[1].replace(":", ""))
    s4, d4 = socket.inet_aton(args[2]), socket.inet_aton(args[3])
    s6 = socket.inet_pton(socket.AF_INET6, args[4])
    d6 = socket.inet_pton(socket.AF_INET6, args[5])
    nrand, rng = int(args[6]), random.Random(int(args[7]))
    sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sk.bind((ifname, 0))
    me = open("/sys/class/net/%s/address" % ifname).read().strip()
    me = bytes.fromhex(me.replace(":", ""))
    mtu = int(open("/sys/class/net/%s/mtu" % ifname).read())
    stats = {}

    def eth(etype, payload, dst=gw, src=me):
        return dst + src + struct.pack("!H", etype) + payload

    def send(cat, frame):
        st = stats.setdefault(cat, [0, 0])
        try:
            sk.send(frame)
            st[0] += 1
        except OSError:
            st[1] += 1

    u = udp(40000, 9, b"hostile")
    # runts: the kernel pads a frame shorter than the Ethernet header (for
    # CAP_SYS_RAWIO) or refuses it; both are counted
    for n in range(0, 14):
        send("runt", eth(0x0800, b"")[:n])
    send("eth-only", eth(0x0800, b""))
    send("eth-only6", eth(0x86DD, b""))
    for n in range(1, 20):
        send("ip4-trunc", eth(0x0800, ip4(s4, d4, u)[:n]))
    for n in range(1, 40):
        send("ip6-trunc", eth(0x86DD, ip6(s6, d6, u)[:n]))
    for ihl in range(0, 5):
        send("ip4-ihl<5", eth(0x0800, ip4(s4, d4, u, ihl=ihl)))
    send("ip4-ihl>len", eth(0x0800, ip4(s4, d4, b"", ihl=15)))
    for tot in (0, 1, 19, 1000, 65535):
        send("ip4-totlen-lie", eth(0x0800, ip4(s4, d4, u, tot=tot)))
    send("ip4-version", eth(0x0800, ip4(s4, d4, u, ver=5)))
    send("ip4-version6", eth(0x0800, ip4(s4, d4, u, ver=6)))
    send("ip4-bad-csum", eth(0x0800, ip4(s4, d4, u, good_csum=False)))
    send("ip6-version", eth(0x86DD, ip6(s6, d6, u, ver=4)))
    for plen in (1000, 65535):
        send("ip6-plen-lie", eth(0x86DD, ip6(s6, d6, u, plen=plen)))
    # extension headers running past the packet
    send("ip6-exthdr", eth(0x86DD, ip6(s6, d6, bytes([17, 200]) + b"\0" * 6,
                                       nh=0)))
    send("ip6-exthdr", eth(0x86DD, ip6(s6, d6, bytes([0, 0]), nh=60)))
    for et in (0x0000, 0x05DC, 0x0806 + 1, 0x88CC, 0x8847, 0x88E5, 0x9000,
               0xFFFF, 0x0600):
        send("ethertype", eth(et, ip4(s4, d4, u)))
    for et in (0x8100, 0x88A8, 0x9100):
        send("vlan", eth(et, struct.pack("!HH", 7, 0x0800) + ip4(s4, d4, u)))
    send("vlan-qinq", eth(0x88A8, struct.pack("!HHHH", 7, 0x8100, 8, 0x0800)
                          + ip4(s4, d4, u)))
    send("src-mac-mcast", eth(0x0800, ip4(s4, d4, u), src=b"\x01" * 6))
    send("dst-bcast-ip", eth(0x0800, ip4(s4, d4, u), dst=b"\xff" * 6))
    send("ip-src-bcast", eth(0x0800, ip4(b"\xff" * 4, d4, u)))
    send("ip-src-mcast", eth(0x0800, ip4(socket.inet_aton("224.0.0.1"),
                                         d4, u)))
    send("ip-dst-outside", eth(0x0800, ip4(s4, socket.inet_aton("8.8.8.8"),
                                           u)))
    send("ip-src-outside", eth(0x0800, ip4(socket.inet_aton("10.1.2.3"),
                                           d4, u)))
    send("ip-to-self", eth(0x0800, ip4(s4, s4, u)))
    # ARP: truncated, wrong hardware/protocol, replies, probes
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, me, s4,
                      b"\0" * 6, d4)
    for n in (0, 1, 8, 27):
        send("arp-trunc", eth(0x0806, arp[:n], dst=b"\xff" * 6))
    send("arp-bad-hw", eth(0x0806, struct.pack("!H", 6) + arp[2:],
                           dst=b"\xff" * 6))
    send("arp-bad-lens", eth(0x0806, arp[:4] + bytes([9, 9]) + arp[6:],
                             dst=b"\xff" * 6))
    send("arp-reply", eth(0x0806, arp[:6] + struct.pack("!H", 2) + arp[8:]))
    send("arp-probe", eth(0x0806, arp[:14] + b"\0" * 4 + arp[18:],
                          dst=b"\xff" * 6))
    send("arp-op-99", eth(0x0806, arp[:6] + struct.pack("!H", 99) + arp[8:],
                          dst=b"\xff" * 6))
    # ICMP echo requests with a bad checksum or cut short, to a node
    echo = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"x" * 8
    send("icmp-bad-csum", eth(0x0800, ip4(s4, d4, echo, proto=1)))
    send("icmp-trunc", eth(0x0800, ip4(s4, d4, echo[:3], proto=1)))
    # TCP with a header cut short, UDP with a lying length
    send("tcp-trunc", eth(0x0800, ip4(s4, d4, b"\0" * 7, proto=6)))
    send("udp-len-lie", eth(0x0800, ip4(s4, d4, struct.pack("!HHHH", 1, 2,
                                                           9000, 0))))
    # fragments: first, middle, last, overlapping; forwarded as packets
    for frag in (0x2000, 0x2000 | 100, 100, 0x1FFF, 0x4000 | 5):
        send("ip4-fragment", eth(0x0800, ip4(s4, d4, u, frag=frag)))
    fh = struct.pack("!BBHI", 17, 0, (100 << 3) | 1, 7)
    send("ip6-fragment", eth(0x86DD, ip6(s6, d6, fh + u, nh=44)))
    # TTL / hop limit 0 and 1 toward a node several hops away: the first
    # satellite after the ingress must expire them
    nttl = 0
    for ttl in (0, 1):
        for _ in range(10):
            send("ip4-ttl%d" % ttl, eth(0x0800, ip4(s4, d4, u, ttl=ttl)))
            send("ip6-hlim%d" % ttl, eth(0x86DD, ip6(s6, d6, u, hlim=ttl)))
    nttl = sum(stats[k][0] for k in stats
               if k.startswith("ip4-ttl") or k.startswith("ip6-hlim"))
    # oversize: as large as the interface's MTU lets us (raised by the
    # caller above the mesh's MTU), an IP total length that matches
    big = b"B" * (mtu - 28)
    send("oversize4", eth(0x0800, ip4(s4, d4, udp(1, 9, big))))
    big6 = b"B" * (mtu - 48)
    send("oversize6", eth(0x86DD, ip6(s6, d6, udp(1, 9, big6))))
    send("oversize-junk", eth(0x9999, b"J" * mtu))
    # random garbage: random lengths, random bytes after a random choice of
    # ethertype (so the parser is reached at every depth)
    for _ in range(nrand):
        n = rng.randrange(0, min(mtu, 1500) + 1)
        body = bytes(rng.getrandbits(8) for _ in range(n))
        et = rng.choice((0x0800, 0x86DD, 0x0806, 0x8100, rng.getrandbits(16)))
        if et == 0x0800 and n >= 20 and rng.random() < 0.5:
            # a valid-looking header with garbage after it
            body = ip4(s4, d4, body[20:], proto=rng.choice((1, 6, 17)),
                       ttl=rng.randrange(0, 4))
        send("random", eth(et, body))
    sent = sum(v[0] for v in stats.values())
    refused = sum(v[1] for v in stats.values())
    for k in sorted(stats):
        print("%-16s %6d %6d" % (k, stats[k][0], stats[k][1]))
    # frames the parser must refuse as malformed (whatever the kernel let
    # through of them)
    bad = ("eth-only", "eth-only6", "ip4-trunc", "ip6-trunc", "ip4-ihl<5",
           "ip4-ihl>len", "ip4-totlen-lie", "ip4-version", "ip4-version6",
           "ip4-bad-csum", "ip6-version", "ip6-plen-lie", "ip6-exthdr",
           "vlan", "vlan-qinq", "ethertype", "oversize-junk", "src-mac-mcast",
           "ip-src-bcast", "ip-src-mcast", "dst-bcast-ip", "arp-trunc",
           "arp-bad-hw", "arp-bad-lens")
    print("malformed", sum(stats[k][0] for k in bad if k in stats))
    print("ttl", nttl)
    print("sent", sent)
    print("refused", refused)


# ---- route changes (e2e_route_change.sh) -----------------------------------------

def cmd_align(args):
    """align PATHFILE PINGFILE READY SCALE: PATHFILE has 't_s rtt_ms names'
    (split-path), PINGFILE 'recv_wall seq rtt_ms' (ping-rtts). Each reply is
    matched to the path's RTT when its request left (orbital time =
    (recv - rtt - READY + off) * SCALE); off is searched within +-1 s of
    wall time for the best median error (READY is known to ~10 ms: a poll).
    Prints 'off_s median_err_ms frac_within_1ms n distinct_paths'."""
    path = []
    for l in open(args[0]):
        f = l.split()
        if len(f) >= 2 and f[1] != "nan":
            path.append((float(f[0]), float(f[1]), " ".join(f[2:])))
    pings = [tuple(map(float, l.split())) for l in open(args[1]) if l.strip()]
    ready, scale = float(args[2]), float(args[3])
    if not path or not pings:
        fail("align: no path or no ping")
    t0, dt = path[0][0], path[1][0] - path[0][0]

    def at(t):
        i = int(round((t - t0) / dt))
        return path[min(max(i, 0), len(path) - 1)]

    def errs(off):
        e = []
        for recv, _, rtt in pings:
            sent = recv - rtt / 1e3
            e.append(abs(rtt - at((sent - ready + off) * scale)[1]))
        return e

    best = None
    for k in range(-200, 201):
        off = k * 0.005
        m = median(errs(off))
        if best is None or m < best[1]:
            best = (off, m)
    e = errs(best[0])
    within = sum(1 for x in e if x <= 1.0) / len(e)
    used = set()
    for recv, _, rtt in pings:
        used.add(at((recv - rtt / 1e3 - ready + best[0]) * scale)[2])
    print("%.3f %.4f %.4f %d %d" % (best[0], best[1], within, len(e),
                                    len(used)))


def cmd_log_event(args):
    """log-event LOGFILE VERB TARGET NAME [NAME2]: the first event of a
    run's --log (JSON Lines) with that verb, target and node (or link
    ends, either order), as 'wall_s orbital_t_s' (wall time in seconds
    since the Unix epoch, when the data plane applied it); exit 1 when
    there is none."""
    import datetime
    import json
    verb, target, names = args[1], args[2], set(args[3:])
    for line in open(args[0]):
        e = json.loads(line)
        if e.get("type") != "event" or e.get("verb") != verb or \
           e.get("target") != target:
            continue
        got = {e.get(k) for k in ("node", "a", "b")} - {None}
        if got != names:
            continue
        w = datetime.datetime.strptime(e["wall"], "%Y-%m-%dT%H:%M:%S.%fZ")
        w = w.replace(tzinfo=datetime.timezone.utc).timestamp()
        print("%.6f %.6f" % (w, e["t"]))
        return
    sys.exit(1)


def main():
    if len(sys.argv) < 2:
        fail("usage: e2e_lib.py COMMAND ARGS...")
    fn = globals().get("cmd_" + sys.argv[1].replace("-", "_"))
    if not fn:
        fail("unknown command " + sys.argv[1])
    fn(sys.argv[2:])


if __name__ == "__main__":
    main()
