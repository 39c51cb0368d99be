# SPDX-License-Identifier: MIT
# etcd_writes.py - scripts/demo_etcd.sh's client: times `etcdctl put`
# through the member of the node it runs in
#
# usage: etcd_writes.py COUNT OUT
# Runs COUNT serializable `etcdctl get`s (answered by the local member
# alone: the cost of starting etcdctl and of its local connection), then
# COUNT `etcdctl put`s of distinct keys, all to 127.0.0.1:2379. OUT gets
# "start_wall end_wall" of the puts, then one line "get_s put_s" per try.
import subprocess
import sys
import time

CTL = ["etcdctl", "--endpoints=http://127.0.0.1:2379",
       "--command-timeout=5s"]


def timed(args):
    t0 = time.perf_counter()
    subprocess.run(CTL + args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    timed(["put", "warm", "up"])
    gets = [timed(["get", "--consistency=s", "warm"]) for _ in range(count)]
    start = time.time()
    puts = [timed(["put", "key-%d" % i, "value-%d" % i])
            for i in range(count)]
    end = time.time()
    with open(out, "w") as f:
        f.write("%.6f %.6f\n" % (start, end))
        f.writelines("%.9f %.9f\n" % gp for gp in zip(gets, puts))


if __name__ == "__main__":
    main()
