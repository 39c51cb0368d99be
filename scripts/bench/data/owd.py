# SPDX-License-Identifier: MIT
# owd.py - one-way delay probes between two namespaces of one host, and their error
"""
usage:
  owd.py recv PORT OUT COUNT TIMEOUT_S
      receive UDP probes on PORT, write "seq send_ns recv_ns" lines to OUT;
      recv_ns is the kernel's receive timestamp (SO_TIMESTAMPNS,
      CLOCK_REALTIME); stop after COUNT probes or TIMEOUT_S seconds.
  owd.py send ADDR PORT COUNT INTERVAL_US SIZE
      send COUNT probes of SIZE bytes of UDP payload, INTERVAL_US apart on
      average (uniformly 0.5 to 1.5 times that, with a fixed seed, so that
      the probes do not lock to the phase of the path's delay or of the
      emulator's periodic work), each carrying its sequence number and the
      CLOCK_REALTIME time (ns) read just before it is sent.
  owd.py error PROBES T0_NS EXTRA_NS [PATH_CSV]
      for each probe, error = (recv - send) - expected, where expected =
      EXTRA_NS (modelled serialisation) + half the round-trip time of
      PATH_CSV (`lasermesh path` output, linearly interpolated at the
      probe's orbital time send - T0_NS); without PATH_CSV expected =
      EXTRA_NS. Prints one line: key=value pairs, times in microseconds.
  owd.py stalls PROBES T0_NS EXTRA_NS PATH_CSV STALLS LIMIT_US
      of the probes whose error exceeds LIMIT_US, how many were in flight
      while build/bench/bench_stalls saw a CPU stalled (its STALLS file),
      and the same count over all probes (what chance gives).
  owd.py split PROBES SENT_PCAP RECV_PCAP T0_NS EXTRA_NS PATH_CSV
      cut each probe's delay in three with the captures of a run with
      --capture (timestamps taken by lasermesh when it read the frame from
      the sender's TAP and when it wrote it to the receiver's):
      in = read by lasermesh - sent, mesh = written - read - expected,
      out = received - written. Prints p50/p99 of each, in microseconds.

Both ends run on the same host, so they read the same clock: the one-way
delay is measured directly, with no clock offset to estimate.
"""
import bisect
import random
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
HDR = struct.Struct("!IQ")


def recv(port, out, count, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("0.0.0.0", port))
    end = time.monotonic() + timeout
    rows = []
    while len(rows) < count:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, anc, _, _ = s.recvmsg(2048, socket.CMSG_SPACE(16))
        except socket.timeout:
            break
        now = time.clock_gettime_ns(time.CLOCK_REALTIME)
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", cdata[:16])
                now = sec * 1000000000 + nsec
        if len(data) < HDR.size:
            continue
        seq, sent = HDR.unpack_from(data)
        rows.append("%d %d %d\n" % (seq, sent, now))
    with open(out, "w") as f:
        f.writelines(rows)


def send(addr, port, count, interval_us, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((addr, port))
    pad = bytes(max(0, size - HDR.size))
    rng = random.Random(1)
    due = time.monotonic_ns()
    for seq in range(count):
        due += int(interval_us * 1000 * (0.5 + rng.random()))
        wait = due - time.monotonic_ns()
        if wait > 0:
            time.sleep(wait / 1e9)
        s.send(HDR.pack(seq, time.clock_gettime_ns(time.CLOCK_REALTIME)) +
               pad)


def pct(v, p):
    """Nearest-rank percentile of a sorted list."""
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


def read_path(path):
    """(orbital times, one-way delays) of `lasermesh path` CSV output."""
    ts, owd = [], []
    with open(path) as f:
        for line in f:
            p = line.strip().split(",")
            if len(p) < 2 or not p[0].isdigit() or not p[1]:
                continue
            ts.append(int(p[0]))
            owd.append(int(p[1]) / 2)
    return ts, owd


def path_at(ts, owd, t):
    """The one-way delay at orbital time t, or None outside the window."""
    i = bisect.bisect_right(ts, t)
    if i <= 0 or i >= len(ts):
        return None
    a = (t - ts[i - 1]) / (ts[i] - ts[i - 1])
    return owd[i - 1] + a * (owd[i] - owd[i - 1])


def probe_errors(probes, t0, extra, path=None):
    """[(sent, received, error, geometric delay)] of a probes file, ns."""
    ts, owd = read_path(path) if path else ([], [])
    rows = []
    with open(probes) as f:
        for line in f:
            seq, sent, got = (int(x) for x in line.split())
            want, g = extra, 0
            if ts:
                g = path_at(ts, owd, sent - t0)
                if g is None:
                    continue	# outside the path's window
                want += g
            rows.append((sent, got, got - sent - want, g))
    return rows


def error(probes, t0, extra, path=None):
    rows = probe_errors(probes, t0, extra, path)
    err = [r[2] for r in rows]
    geo = [r[3] for r in rows] if path else []
    s = sorted(err)
    a = sorted(abs(x) for x in err)
    us = 1e3
    print("n=%d p50=%.1f p99=%.1f min=%.1f max=%.1f abs_p50=%.1f "
          "abs_p99=%.1f geo_mean=%.1f" %
          (len(err), pct(s, 50) / us, pct(s, 99) / us, s[0] / us if s else 0,
           s[-1] / us if s else 0, pct(a, 50) / us, pct(a, 99) / us,
           (sum(geo) / len(geo) / us) if geo else 0))


def stalls(probes, t0, extra, path, stall_file, limit_us):
    """How many probes later than limit_us were in flight during a stall.

    stall_file: "CPU DUE_NS LATE_NS" lines of build/bench/bench_stalls,
    one per wake-up of its real-time timer that came LATE_NS late. A late
    probe is "in a stall" when the time it was late (from when it was due
    to when it arrived) overlaps one of those windows, on any CPU. What
    chance gives: the same test on a window of limit_us just before each
    probe was due, over all probes.
    """
    win = []
    with open(stall_file) as f:
        for line in f:
            _, due, late = (int(x) for x in line.split())
            win.append((due, due + late))
    win.sort()
    starts = [w[0] for w in win]
    ends_max, m = [], 0
    for w in win:
        m = max(m, w[1])
        ends_max.append(m)

    def hit(a, b):
        i = bisect.bisect_left(starts, b)	# windows starting before b
        return i > 0 and ends_max[i - 1] > a

    rows = probe_errors(probes, t0, extra, path)
    lim = limit_us * 1e3
    late = [r for r in rows if r[2] > lim]
    # r[1] - r[2]: when the probe was due; it was late from then to r[1]
    late_hit = sum(1 for r in late if hit(r[1] - r[2], r[1]))
    # chance: a window of the same length just before each probe was due
    all_hit = sum(1 for r in rows if hit(r[1] - r[2] - lim, r[1] - r[2]))
    print("probes=%d late=%d late_in_stall=%d chance_in_stall=%d "
          "stalls=%d stall_ms=%.1f" %
          (len(rows), len(late), late_hit, all_hit, len(win),
           sum(b - a for a, b in win) / 1e6))


def pcap_probes(path, port):
    """{seq: timestamp_ns} of the UDP probes to port in a pcap file."""
    out = {}
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data)[0]
    if magic == 0xa1b23c4d:
        end, scale = "<", 1
    elif magic == 0xa1b2c3d4:
        end, scale = "<", 1000
    elif magic == 0x4d3cb2a1:
        end, scale = ">", 1
    else:
        end, scale = ">", 1000
    off = 24
    rec = struct.Struct(end + "IIII")
    while off + 16 <= len(data):
        sec, frac, incl, _ = rec.unpack_from(data, off)
        off += 16
        fr = data[off:off + incl]
        off += incl
        if len(fr) < 14 + 20 + 8 + HDR.size or fr[12:14] != b"\x08\x00":
            continue
        ihl = (fr[14] & 15) * 4
        if fr[23] != 17:
            continue
        udp = 14 + ihl
        if struct.unpack_from("!H", fr, udp + 2)[0] != port:
            continue
        seq, _ = HDR.unpack_from(fr, udp + 8)
        out[seq] = sec * 1000000000 + frac * scale
    return out


def split(probes, sent_pcap, recv_pcap, t0, extra, path):
    ts, owd = read_path(path)
    rd = pcap_probes(sent_pcap, 9000)
    wr = pcap_probes(recv_pcap, 9000)
    a, b, c = [], [], []
    with open(probes) as f:
        for line in f:
            seq, sent, got = (int(x) for x in line.split())
            if seq not in rd or seq not in wr:
                continue
            g = path_at(ts, owd, sent - t0)
            if g is None:
                continue
            a.append(rd[seq] - sent)
            b.append(wr[seq] - rd[seq] - g - extra)
            c.append(got - wr[seq])
    out = ["n=%d" % len(a)]
    for name, v in (("in", a), ("mesh", b), ("out", c)):
        v.sort()
        out.append("%s_p50=%.1f %s_p99=%.1f" %
                   (name, pct(v, 50) / 1e3, name, pct(v, 99) / 1e3))
    print(" ".join(out))


def main(argv):
    if len(argv) >= 6 and argv[1] == "recv":
        recv(int(argv[2]), argv[3], int(argv[4]), float(argv[5]))
    elif len(argv) == 7 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]), int(argv[5]),
             int(argv[6]))
    elif len(argv) in (5, 6) and argv[1] == "error":
        error(argv[2], int(argv[3]), float(argv[4]),
              argv[5] if len(argv) == 6 else None)
    elif len(argv) == 8 and argv[1] == "stalls":
        stalls(argv[2], int(argv[3]), float(argv[4]), argv[5], argv[6],
               float(argv[7]))
    elif len(argv) == 8 and argv[1] == "split":
        split(argv[2], argv[3], argv[4], int(argv[5]), float(argv[6]),
              argv[7])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
