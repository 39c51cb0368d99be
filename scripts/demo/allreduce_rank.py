# SPDX-License-Identifier: MIT
# allreduce_rank.py - one rank of scripts/demo_allreduce.sh: times
# torch.distributed all-reduces (gloo) of one float32 tensor
#
# usage: allreduce_rank.py RANK WORLD MASTER_ADDR PORT BYTES WARMUP ITERS OUT
# Joins the group (env:// rendezvous at MASTER_ADDR:PORT), runs WARMUP
# all-reduces, a barrier, then ITERS timed ones back to back. Rank 0 writes
# OUT: one line "start_wall end_wall", then one duration in seconds per
# all-reduce. Every rank checks the sum (a wrong result exits 1).
import os
import sys
import time

import torch
import torch.distributed as dist


def main():
    rank, world = int(sys.argv[1]), int(sys.argv[2])
    os.environ["MASTER_ADDR"] = sys.argv[3]
    os.environ["MASTER_PORT"] = sys.argv[4]
    nbytes, warmup, iters = map(int, sys.argv[5:8])
    out = sys.argv[8]
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world,
                            init_method="env://")
    n = max(nbytes // 4, 1)
    t = torch.empty(n, dtype=torch.float32)
    for _ in range(warmup):
        t.fill_(rank + 1)
        dist.all_reduce(t)
    want = world * (world + 1) / 2
    if t[0].item() != want or t[-1].item() != want:
        sys.exit("rank %d: sum %g, expected %g" % (rank, t[0].item(), want))
    t.fill_(1)
    dist.barrier()
    times = []
    start = time.time()
    for _ in range(iters):
        t0 = time.perf_counter()
        dist.all_reduce(t)
        times.append(time.perf_counter() - t0)
    end = time.time()
    dist.barrier()
    dist.destroy_process_group()
    if rank == 0:
        with open(out, "w") as f:
            f.write("%.6f %.6f\n" % (start, end))
            f.writelines("%.9f\n" % x for x in times)


if __name__ == "__main__":
    main()
