# SPDX-License-Identifier: MIT
# etcd_model.py - scripts/demo_etcd.sh's report: `etcdctl put` latency
# against the mesh's RTTs
#
# usage: etcd_model.py LASERMESH CONF T0_WALL CLIENT LEADER TIMES NODE...
# TIMES is etcd_writes.py's file, written in node CLIENT; LEADER is the
# raft leader during the writes; the NODEs are the members; T0_WALL is
# the wall time when the mesh was ready (orbital time 0).
#
# The model (docs/workloads.md, "etcd write latency"): a put sent to a
# follower's member is forwarded to the leader (one way, client member to
# leader), the leader appends it and sends it to every follower, it commits
# once a majority of the members (the leader included) hold it: after the
# round trip to the follower that completes the majority, the
# (majority - 1)-th smallest leader-follower RTT; the next append tells
# the client's member, which applies it and answers (one way back):
#     T = RTT(client member, leader) + RTT_(m-1)(leader, followers) + T_host
# (the first term is 0 when the client is in the leader's node). T_host is
# a serializable get from the same client: etcdctl's start, its local
# connection and one request, without consensus. No fsync: the members run
# with --unsafe-no-fsync.
import csv
import statistics
import subprocess
import sys


def path_rtt(lm, conf, a, b, t):
    """`lasermesh path`'s RTT from A to B at T (s), in s."""
    out = subprocess.run([lm, "path", conf, a, b, "--from", "%.3f" % t,
                          "--to", "%.3f" % t], check=True,
                         capture_output=True, text=True).stdout
    row = list(csv.reader(out.splitlines()))[1]
    if not row[1]:
        sys.exit("etcd: %s cannot reach %s at %.1f s" % (a, b, t))
    return int(row[1]) / 1e9


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main():
    lm, conf, t0, client, leader, times = sys.argv[1:7]
    nodes = sys.argv[7:]
    lines = open(times).read().splitlines()
    start, end = map(float, lines[0].split())
    gets = [float(l.split()[0]) for l in lines[1:]]
    puts = [float(l.split()[1]) for l in lines[1:]]
    t = (start + end) / 2 - float(t0)
    fol = sorted((path_rtt(lm, conf, leader, n, t), n)
                 for n in nodes if n != leader)
    maj = len(nodes) // 2 + 1
    print("%d members, leader %s, client in %s (orbital time %.1f s)"
          % (len(nodes), leader, client, t))
    for r, n in fol:
        print("  RTT %s - %s: %6.2f ms" % (leader, n, r * 1e3))
    cl = 0.0 if client == leader else path_rtt(lm, conf, client, leader, t)
    commit = fol[maj - 2][0]
    host = statistics.median(gets)
    model = cl + commit + host
    med = statistics.median(puts)
    print("model: client-leader RTT %.2f ms + %d-th leader-follower RTT "
          "%.2f ms (majority %d of %d) + host %.2f ms = %.2f ms"
          % (cl * 1e3, maj - 1, commit * 1e3, maj, len(nodes), host * 1e3,
             model * 1e3))
    print("measured over %d puts: median %.2f ms, p90 %.2f ms "
          "(serializable get: median %.2f ms, p90 %.2f ms)"
          % (len(puts), med * 1e3, pct(puts, 0.9) * 1e3, host * 1e3,
             pct(gets, 0.9) * 1e3))
    print("measured / model = %.3f" % (med / model))
    print("result members=%d client_rtt_ms=%.3f commit_rtt_ms=%.3f "
          "host_ms=%.3f model_ms=%.3f median_ms=%.3f p90_ms=%.3f"
          % (len(nodes), cl * 1e3, commit * 1e3, host * 1e3, model * 1e3,
             med * 1e3, pct(puts, 0.9) * 1e3))


if __name__ == "__main__":
    main()
