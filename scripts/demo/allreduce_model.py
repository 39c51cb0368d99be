# SPDX-License-Identifier: MIT
# allreduce_model.py - scripts/demo_allreduce.sh's report: measured time
# per all-reduce against the alpha-beta model of the mesh's ring
#
# usage: allreduce_model.py LASERMESH CONF T0_WALL BYTES MESH LOOP NODE...
# MESH and LOOP are allreduce_rank.py's rank-0 files (on the mesh, and on
# loopback in one namespace); T0_WALL is the wall time when the mesh was
# ready (orbital time 0); the NODEs hold ranks 0, 1, ... in that order.
#
# The model (docs/workloads.md, "torch all-reduce"): torch 1.13's gloo
# process group runs gloo::allreduce with no algorithm set, which is the
# ring (bcube only when asked), for every tensor size: 2 (N - 1) steps, a
# reduce-scatter then an allgather, each moving one chunk of BYTES / N from
# every rank to its ring neighbour (as two segments, both in flight, up to
# 2 MiB per chunk). gloo's TCP transport sends an unbound buffer only once
# the receiver has said it posted the receive (NOTIFY_RECV_READY), and each
# step's receive is posted when the step starts: a step costs the notice's
# one-way trip back plus the data's trip forward, one RTT of the ring edge,
# plus the chunk's transmission at the link rate. The ring runs in lock
# step, so the slowest edge sets every step:
#     T = 2 (N - 1) (max RTT(i, i+1) + BYTES / N / RATE) + T_host
# with T_host the same all-reduce measured on loopback (process, Python
# and gloo overhead, no propagation, no rate limit).
import csv
import statistics
import subprocess
import sys

UNITS = {"bit": 1, "kbit": 1e3, "mbit": 1e6, "gbit": 1e9, "tbit": 1e12}


def conf_rate(conf):
    """The [isl] rate of CONF in bit/s (lasermesh's default: 10gbit)."""
    sect = None
    for line in open(conf):
        line = line.split("#")[0].split(";")[0].strip()
        if line.startswith("["):
            sect = line.strip("[]").split()[0]
        elif sect == "isl" and "=" in line:
            k, v = (x.strip() for x in line.split("=", 1))
            if k == "rate":
                num = v.rstrip("abcdefghijklmnopqrstuvwxyz")
                return float(num) * UNITS[v[len(num):]]
    return 10e9


def path_rtt(lm, conf, a, b, t):
    """`lasermesh path`'s RTT (s) and hop count from A to B at T (s)."""
    out = subprocess.run([lm, "path", conf, a, b, "--from", "%.3f" % t,
                  "--to", "%.3f" % t], check=True,
                 capture_output=True, text=True).stdout
    row = list(csv.reader(out.splitlines()))[1]
    if not row[1]:
        sys.exit("allreduce: %s cannot reach %s at %.1f s" % (a, b, t))
    return int(row[1]) / 1e9, len(row[2].split()) - 1


def read_times(f):
    lines = open(f).read().split()
    return float(lines[0]), float(lines[1]), [float(x) for x in lines[2:]]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main():
    lm, conf, t0, size, mesh, loop = sys.argv[1:7]
    nodes = sys.argv[7:]
    n, size = len(nodes), int(size)
    rate = conf_rate(conf)
    start, end, times = read_times(mesh)
    _, _, ltimes = read_times(loop)
    t = (start + end) / 2 - float(t0)
    print("ring edge              hops  RTT ms  (orbital time %.1f s)" % t)
    rtts = []
    for i in range(n):
        a, b = nodes[i], nodes[(i + 1) % n]
        if n == 2 and i == 1:
            break
        rtt, hops = path_rtt(lm, conf, a, b, t)
        rtts.append(rtt)
        print("  %-20s %4d  %6.2f" % (a + " - " + b, hops, rtt * 1e3))
    steps = 2 * (n - 1)
    alpha = steps * max(rtts)
    beta = steps * size * 8 / n / rate
    host = statistics.median(ltimes)
    model = alpha + beta + host
    med = statistics.median(times)
    print("all-reduce of %d bytes over %d ranks, link rate %g Mbit/s:"
          % (size, n, rate / 1e6))
    print("  model: %d steps x (max RTT %.2f ms + %d B / %g Mbit/s "
          "%.2f ms) + host %.2f ms = %.2f ms"
          % (steps, max(rtts) * 1e3, size // n, rate / 1e6,
         size * 8 / n / rate * 1e3, host * 1e3, model * 1e3))
    print("  measured: median %.2f ms, p10 %.2f, p90 %.2f over %d "
          "(loopback median %.2f ms, p90 %.2f)"
          % (med * 1e3, pct(times, 0.1) * 1e3, pct(times, 0.9) * 1e3,
         len(times), host * 1e3, pct(ltimes, 0.9) * 1e3))
    print("  measured / model = %.3f" % (med / model))
    print("result n=%d bytes=%d rtt_max_ms=%.3f alpha_ms=%.3f beta_ms=%.3f "
          "host_ms=%.3f model_ms=%.3f median_ms=%.3f p90_ms=%.3f"
          % (n, size, max(rtts) * 1e3, alpha * 1e3, beta * 1e3,
         host * 1e3, model * 1e3, med * 1e3, pct(times, 0.9) * 1e3))


if __name__ == "__main__":
    main()
