/* SPDX-License-Identifier: MIT */
/* netns_fixture.h - what the tap/ suites make, and their fini */
#ifndef TESTS_LIB_NETNS_FIXTURE_H
#define TESTS_LIB_NETNS_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <net/if.h>
#include <sys/types.h>

#include "tap/owner.h"

/*
 * Root suites use namespaces "lmt-PID-TAG" ("lmt-h11-PID-TAG" for the
 * leftovers of kills during set-up); each test runs in its own process
 * (Criterion forks) and the fini (fx_remove_mine) removes everything of
 * that process, even after a failed assertion. Tests that run a cleanup of
 * the whole system, or leave things of dead owners for one, take turns
 * (fx_cleanup_turn()), so that the suites' own tests running in parallel
 * do not disturb each other. Nothing here depends on the uptime, the wall
 * clock or what else the host has: names carry the test's pid.
 */

/* Skip unless root (and, with tun, a usable /dev/net/tun). */
void fx_need_root(void);
void fx_need_tun(void);
/* Move the test's process into a private network namespace (or skip). */
void fx_private_netns(void);

/* "lmt-PID-TAG" and "lmt-h11-PID-TAG" (8 live at a time). */
const char *fx_ns_name(const char *tag);
const char *fx_h11_name(const char *tag);

/*
 * The fini: namespaces, marks, /etc/netns dirs, run file, temp files and
 * children of this test's process.
 */
void fx_remove_mine(void);
void fx_cleanup_turn(void);

char *fx_slurp(const char *path);
void fx_put_file(const char *path, const char *text);
bool fx_exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* stdout of a shell command, NUL-terminated, malloc'd. */
char *fx_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
ino_t fx_ns_ino(const char *path);

/*
 * A child that waits to be killed (its identity into o, may be NULL);
 * kill and reap it: from then on its pid is dead.
 */
pid_t fx_spawn_child(struct owner *o);
void fx_kill_child(pid_t pid);
/* A child living in the namespace name until killed. */
pid_t fx_spawn_in(const char *name);

/* What netns_add() leaves when killed before its bind mount. */
void fx_make_stub(const char *name);
/* A persistent TAP "lmth11" in the namespace name, made by iproute2. */
void fx_add_tap_in(const char *name);
/* mkdir /etc/netns/NAME, the path into dir. */
void fx_make_etc_dir(const char *name, char *dir, size_t len);

/*
 * A temp file as file_write_atomic() leaves it when killed before its
 * rename(): in dir, named by its writer (pid, start and the short boot id
 * boot, and a tag that makes it unique; pid 0: no writer,
 * ".lasermesh-XXXXXX" as older versions named them), part of a mark in
 * it, modified at mtime (0: now). Removed by the fini.
 */
const char *fx_make_temp(const char *dir, pid_t pid, uint64_t start,
			 const char *boot, time_t mtime);

/* A socket of the namespace netns (made there, used from here). */
int fx_socket_in(const char *netns, int domain, int type);

/* What `ip link` tells of a link in the namespace nsfd (-1: here). */
struct fx_link {
	char name[IFNAMSIZ];
	unsigned mtu, txqlen, flags;
	unsigned char mac[6];
};

/* 0, or -errno (-ENODEV: no such link). By index, or by name if idx 0. */
int fx_link_get(int nsfd, int idx, const char *name, struct fx_link *l);

/*
 * For the TAP suites: root, /dev/net/tun, and a private network namespace
 * for the test's process, so that the TAPs it opens "here" never appear in
 * the host's namespace.
 */
void fx_need_tap(void);
/* A minimal broadcast frame behind a zeroed virtio-net header. */
size_t fx_make_frame(unsigned char *buf, size_t eth_len);
struct node_conf;
/* 100.64.1.HOST/10 and fd6c:6d00::1:HOST/64 in the namespace netns. */
void fx_node_defaults(struct node_conf *n, const char *netns, int host);

/* hosts_write() of one namespace. */
int fx_hosts_write(const char *netns, const char *buf, size_t len);

#endif
