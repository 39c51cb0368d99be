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
# socket buffer set with SO_RCVBUF/SO_SNDBUF (socket(7)) and advertises
# the part of the 2 W it expects to hold payload (since Linux 6.6, by the
# flow's measured payload-to-truesize ratio), so the window lies between
# W and 2 W. The sender sees it as iperf3's snd_wnd: the model takes its
# median over the measured (not omitted) intervals:
#     throughput = min(goodput cap, snd_wnd / RTT),   W <= snd_wnd <= 2 W
import json
import sys

GOODPUT = 1448 / 1514


def main():
    rtt, rate = int(sys.argv[1]) / 1e9, float(sys.argv[2])
    bdp = rate * rtt / 8
    print("path RTT %.2f ms, link rate %g Mbit/s (goodput at most %.1f): "
          "BDP %.0f KiB" % (rtt * 1e3, rate / 1e6, rate * GOODPUT / 1e6,
                           bdp / 1024))
    print("  -w          W/RTT    snd_wnd  snd_wnd/RTT  model    measured"
          "  measured/model  retransmits")
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
        wr = win * 8 / rtt
        model = min(cap, wnd * 8 / rtt)
        print("  %-8s  %8s  %7.0fK  %11.2f  %6.2f  %8.2f  %14.3f  %d"
              % ("%dK" % (win // 1024) if win else "auto",
                 "%.2f" % (wr / 1e6) if win else "-", wnd / 1024,
                 wnd * 8 / rtt / 1e6, model / 1e6, got / 1e6, got / model,
                 retr))
        print("result window=%d snd_wnd=%d rtt_ms=%.3f rate_mbit=%g "
              "w_rtt_mbit=%.3f model_mbit=%.3f got_mbit=%.3f retransmits=%d"
              % (win, wnd, rtt * 1e3, rate / 1e6, wr / 1e6, model / 1e6,
                 got / 1e6, retr))


if __name__ == "__main__":
    main()
