# SPDX-License-Identifier: MIT
# iperf_model.py - scripts/demo_iperf.sh's report: iperf3 TCP throughput
# against the path's bandwidth-delay product
#
# usage: iperf_model.py RTT_NS RATE_BPS JSON...
# RTT_NS is `lasermesh path`'s RTT; each JSON is named iperf-WINDOW.json.
# Each is an iperf3 -J client result; WINDOW is the -w asked for (0:
# none, the kernel's autotuning). The model (docs/workloads.md,
# "iperf3 and the bandwidth-delay product"): TCP keeps at most one window
# in flight per RTT, so throughput = min(rate, window / RTT); filling the
# path needs a window of at least the BDP = rate x RTT. The rate is the
# laser links' [isl] rate, which the emulator applies to whole Ethernet
# frames: TCP's goodput is at most 1448 / 1514 of it (MSS with timestamps
# over a full frame). With -w W the window is not W: Linux doubles a
# socket buffer set with SO_RCVBUF/SO_SNDBUF (socket(7)), the receiver
# advertises the part of its 2 W it expects to hold payload (since Linux
# 6.6, by the flow's measured payload-to-truesize ratio) and the sender
# keeps in flight what its own 2 W holds, so the data in flight per RTT
# lies between W and 2 W:
#     W / RTT <= throughput <= min(goodput cap, 2 W / RTT)
# The report shows the window the sender saw advertised (iperf3's
# snd_wnd, median of the measured intervals) and the data in flight
# (throughput x RTT).
import json
import sys

GOODPUT = 1448 / 1514


def main():
    rtt, rate = int(sys.argv[1]) / 1e9, float(sys.argv[2])
    bdp = rate * rtt / 8
    print("path RTT %.2f ms, link rate %g Mbit/s (goodput at most %.1f): "
          "BDP %.0f KiB" % (rtt * 1e3, rate / 1e6, rate * GOODPUT / 1e6,
                           bdp / 1024))
    print("  -w     W/RTT     snd_wnd  in flight  in flight/W  "
          "model          measured  retransmits")
    cap = rate * GOODPUT
    for f in sys.argv[3:]:
        j = json.load(open(f))
        win = int(f.rsplit("-", 1)[1].split(".")[0])
        wnds = sorted(i["streams"][0]["snd_wnd"] for i in j["intervals"]
                      if not i["streams"][0]["omitted"])
        wnd = wnds[len(wnds) // 2]
        e = j["end"]
        got = e["sum_received"]["bits_per_second"]
        retr = e["sum_sent"].get("retransmits", -1)
        fly = got * rtt / 8
        wr = win * 8 / rtt
        if win:
            lo, hi = min(cap, wr), min(cap, 2 * wr)
            model = "%.2f-%.2f" % (lo / 1e6, hi / 1e6)
        else:
            lo = hi = cap
            model = "%.2f" % (cap / 1e6)
        print("  %-5s  %7s  %8.0fK  %8.0fK  %11s  %-13s  %8.2f  %d"
              % ("%dK" % (win // 1024) if win else "auto",
                 "%.2f" % (wr / 1e6) if win else "-", wnd / 1024,
                 fly / 1024, "%.2f" % (fly / win) if win else "-", model,
                 got / 1e6, retr))
        print("result window=%d snd_wnd=%d inflight=%d rtt_ms=%.3f "
              "rate_mbit=%g w_rtt_mbit=%.3f lo_mbit=%.3f hi_mbit=%.3f "
              "got_mbit=%.3f retransmits=%d"
              % (win, wnd, fly, rtt * 1e3, rate / 1e6, wr / 1e6, lo / 1e6,
                 hi / 1e6, got / 1e6, retr))


if __name__ == "__main__":
    main()
