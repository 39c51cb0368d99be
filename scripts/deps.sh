#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - install the Debian packages lasermesh needs, only when missing
#
# Called by `make run`, `make check` and `make bench`. Does nothing (and needs
# no network) when every library and program is already there.
# usage: deps.sh [check|bench]; with check, also what only the tests need
# (the browser of the web view's test); with bench, what only the
# benchmarks need (perf).
set -eu
mode=${1:-}

need=""
has_pc() { pkg-config --exists "$1" 2>/dev/null; }
has_bin() { command -v "$1" >/dev/null 2>&1; }
has_file() { [ -e "$1" ]; }

has_bin pkg-config || need="$need pkg-config"
has_bin cc || need="$need gcc"
has_bin make || need="$need make"
has_pc libnl-3.0 || need="$need libnl-3-dev"
has_pc libnl-route-3.0 || need="$need libnl-route-3-dev"
has_pc libpcap || need="$need libpcap-dev"
has_pc libmicrohttpd || need="$need libmicrohttpd-dev"
# shards started by mpirun (emu/run/launch.c) and their tests
has_pc ompi-c || need="$need libopenmpi-dev"
has_bin mpirun || need="$need openmpi-bin"
# the test of shards started by Slurm's srun (tests/e2e_srun.sh runs a
# private cluster of its own: none of these packages' services is used);
# slurmd brings munge and slurm-wlm-basic-plugins (mpi_pmix_v4.so)
if [ "$mode" = check ]; then
	has_bin srun || need="$need slurm-client"
	has_bin slurmctld || need="$need slurmctld"
	has_bin slurmd || need="$need slurmd"
fi
has_pc criterion || need="$need libcriterion-dev"
has_file /usr/include/ev.h || need="$need libev-dev"
has_bin ip || need="$need iproute2"
has_bin ping || need="$need iputils-ping"
has_bin traceroute || need="$need traceroute"
has_bin iperf3 || need="$need iperf3"
has_bin etcd || need="$need etcd-server"
has_bin etcdctl || need="$need etcd-client"
has_bin ethtool || need="$need ethtool"
has_bin tshark || need="$need tshark"
has_bin clang || need="$need clang"
has_bin node || need="$need nodejs"
has_bin npm || need="$need npm"
has_file /usr/lib/python3/dist-packages/sgp4/api.py || need="$need python3-sgp4"
has_file /usr/lib/python3/dist-packages/numpy/__init__.py || need="$need python3-numpy"
# the workload demos and their checks (scripts/demo_*.sh, docs/workloads.md)
has_file /usr/lib/python3/dist-packages/torch/__init__.py || need="$need python3-torch"
# node and npm (above) fetch the web view's and the map's libraries when
# lasermesh is built; chromium runs the web view's test
if [ "$mode" = check ]; then
	has_bin chromium || need="$need chromium"
fi
if [ "$mode" = bench ]; then
	has_bin perf || need="$need linux-perf"
fi

[ -z "$need" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$need (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$need"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections 2>/dev/null || true
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need
