#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# bench_sgp4_ref.py - the reference for bench_sgp4: python3-sgp4's SatrecArray
#
# usage: /usr/bin/python3 scripts/bench/bench_sgp4_ref.py [TLE_FILE [SECONDS]]
# Propagates the same element sets as build/bench/bench_sgp4 (default: the
# shared Starlink file) at successive 100 ms steps from the latest epoch,
# every satellite each step, until SECONDS (default 2) of process CPU time
# have passed, and prints the rate the same way. Debian's python3-sgp4 is
# the pure-Python implementation (sgp4.api.accelerated is False): this
# measures that, not the C++ extension of the PyPI wheels.
import sys
import time

import numpy as np
from sgp4.api import Satrec, SatrecArray, accelerated

path = sys.argv[1] if len(sys.argv) > 1 else \
    'docs/examples/data/starlink-2026-02-22.tle'
budget = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0

with open(path) as f:
    lines = [line.rstrip('\r\n') for line in f]

t0 = time.process_time()
sats = []
for i in range(len(lines) - 1):
    if lines[i].startswith('1 ') and lines[i + 1].startswith('2 '):
        sats.append(Satrec.twoline2rv(lines[i], lines[i + 1]))
init = time.process_time() - t0
print('sgp4 Python: %d element sets, init %.1f us each, sgp4.api.accelerated'
      ' = %s (%s)' % (len(sats), init / max(len(sats), 1) * 1e6, accelerated,
                      'C++ extension' if accelerated else 'pure Python'))

array = SatrecArray(sats)
latest = max(s.jdsatepoch + s.jdsatepochF for s in sats)
jd0 = np.floor(latest)
fr0 = latest - jd0
props = fails = 0
step = 0
t0 = time.process_time()
while True:
    fr = np.array([fr0 + step * 0.1 / 86400.0])
    e, r, v = array.sgp4(np.array([jd0]), fr)
    props += len(sats)
    fails += int(np.count_nonzero(e))
    step += 1
    elapsed = time.process_time() - t0
    if elapsed >= budget:
        break
print('sgp4 Python: %d propagations in %.2f s CPU (%d failed)'
      % (props, elapsed, fails))
print('sgp4 Python: %.0f propagations/s' % (props / elapsed))
