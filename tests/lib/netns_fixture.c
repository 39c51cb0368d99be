// SPDX-License-Identifier: MIT
/* netns_fixture.c - what the tap/ suites make, and their fini */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/hosts.h"
#include "tap/mark.h"
#include "tap/netns.h"
#include "tap/node.h"
#include "tap/runfile.h"
#include "tests/lib/netns_fixture.h"
#include "topo/lib/util.h"

void fx_need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: network namespaces, /run, /etc");
}

void fx_need_tun(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: TAP devices and network namespaces");
	if (access("/dev/net/tun", R_OK | W_OK) != 0)
		cr_skip_test("no usable /dev/net/tun: %s", strerror(errno));
}

void fx_private_netns(void)
{
	if (unshare(CLONE_NEWNET) != 0)
		cr_skip_test("unshare(CLONE_NEWNET): %s", strerror(errno));
}

static const char *fx_name(const char *fmt, const char *tag)
{
	static char buf[8][64];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), fmt, (int)getpid(), tag);
	return buf[i];
}

const char *fx_ns_name(const char *tag)
{
	return fx_name("lmt-%d-%s", tag);
}

const char *fx_h11_name(const char *tag)
{
	return fx_name("lmt-h11-%d-%s", tag);
}

/* Temp files that a test made outside its namespaces' directories. */
static char made[32][512];
static size_t nmade;

/* Children not reaped yet: the fini kills them after a failed assertion. */
static pid_t kids[8];

static void kid_add(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(kids); i++)
		if (!kids[i]) {
			kids[i] = pid;
			return;
		}
	kill(pid, SIGKILL);
	cr_assert_fail("more than %zu children", ARRAY_SIZE(kids));
}

static void kid_forget(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(kids); i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

/* Empty /etc/netns/NAME of whatever a test put there, and remove it. */
static void remove_etc_dir(const char *name)
{
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", HOSTS_ETC_NETNS_DIR, name);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void fx_remove_mine(void)
{
	const char *dirs[] = { NETNS_RUN_DIR, MARK_NETNS_DIR,
			       HOSTS_ETC_NETNS_DIR };
	char prefix[2][32];
	struct dirent *de;
	DIR *d;

	snprintf(prefix[0], sizeof(prefix[0]), "lmt-%d-", (int)getpid());
	snprintf(prefix[1], sizeof(prefix[1]), "lmt-h11-%d-", (int)getpid());
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix[0], strlen(prefix[0])) &&
			    strncmp(de->d_name, prefix[1], strlen(prefix[1])))
				continue;
			netns_del(de->d_name);
			mark_remove(de->d_name);
			remove_etc_dir(de->d_name);
		}
		closedir(d);
	}
	for (size_t i = 0; i < nmade; i++)
		unlink(made[i]);
	runfile_remove(getpid());
	for (size_t i = 0; i < ARRAY_SIZE(kids); i++) {
		if (!kids[i])
			continue;
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		kids[i] = 0;
	}
}

void fx_cleanup_turn(void)
{
	int fd;

	fd = open("/tmp/lmt-netns-cleanup.lock", O_RDWR | O_CREAT | O_CLOEXEC,
		  0600);
	cr_assert_geq(fd, 0, "lock: %s", strerror(errno));
	cr_assert_eq(flock(fd, LOCK_EX), 0, "lock: %s", strerror(errno));
}

char *fx_slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	char chunk[4096];
	size_t n;
	FILE *f, *m;

	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

void fx_put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

bool fx_exists(const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return access(path, F_OK) == 0;
}

char *fx_run(const char *fmt, ...)
{
	char cmd[512], *out = NULL;
	size_t len = 0, n;
	char chunk[1024];
	va_list ap;
	FILE *p, *m;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	m = open_memstream(&out, &len);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, m);
	pclose(p);
	fclose(m);
	return out;
}

ino_t fx_ns_ino(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_ino;
}

pid_t fx_spawn_child(struct owner *o)
{
	pid_t pid;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kid_add(pid);
	if (o)
		cr_assert_eq(owner_of(pid, o), 0);
	return pid;
}

void fx_kill_child(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	kid_forget(pid);
}

pid_t fx_spawn_in(const char *name)
{
	int p[2], fd, saved;
	pid_t pid;
	char c;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[0]);
		if (netns_open(name, &fd) == 0 &&
		    netns_enter(fd, &saved) == 0 && write(p[1], "1", 1) == 1)
			pause();
		_exit(1);
	}
	kid_add(pid);
	close(p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1, "the child did not enter %s",
		     name);
	close(p[0]);
	return pid;
}

void fx_make_stub(const char *name)
{
	char path[512];
	int fd;

	mkdir(NETNS_RUN_DIR, 0755);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	close(fd);
}

void fx_add_tap_in(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "ip -n %s tuntap add dev lmth11 mode tap 2>&1", name);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

void fx_make_etc_dir(const char *name, char *dir, size_t len)
{
	mkdir(HOSTS_ETC_NETNS_DIR, 0755);
	snprintf(dir, len, HOSTS_ETC_NETNS_DIR "/%s", name);
	cr_assert_eq(mkdir(dir, 0755), 0, "%s: %s", dir, strerror(errno));
}

const char *fx_make_temp(const char *dir, pid_t pid, uint64_t start,
			 const char *boot, time_t mtime)
{
	char *path;
	int fd;

	cr_assert_lt(nmade, ARRAY_SIZE(made));
	path = made[nmade];
	if (pid) {
		snprintf(path, sizeof(made[0]),
			 "%s/" OWNER_TEMP_PREFIX "%d-%" PRIu64 "-%.*s-t%zu",
			 dir, (int)pid, start, OWNER_BOOT_SHORT, boot, nmade);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	} else {
		snprintf(path, sizeof(made[0]),
			 "%s/" OWNER_TEMP_PREFIX "XXXXXX", dir);
		fd = mkstemp(path);
	}
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	nmade++;
	cr_assert_eq(write(fd, "lasermesh-mark 1\npid", 20), 20);
	close(fd);
	if (mtime) {
		struct timespec ts[2] = { { .tv_sec = mtime },
					  { .tv_sec = mtime } };

		cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	return path;
}

int fx_socket_in(const char *netns, int domain, int type)
{
	int nsfd, saved, s;

	cr_assert_eq(netns_open(netns, &nsfd), 0);
	cr_assert_eq(netns_enter(nsfd, &saved), 0);
	s = socket(domain, type | SOCK_CLOEXEC, 0);
	cr_assert_eq(netns_leave(saved), 0);
	close(nsfd);
	cr_assert_geq(s, 0, "socket: %s", strerror(errno));
	return s;
}

int fx_link_get(int nsfd, int idx, const char *name, struct fx_link *l)
{
	struct ifreq ifr;
	int saved = -1, s, ret = 0;

	if (nsfd >= 0)
		cr_assert_eq(netns_enter(nsfd, &saved), 0);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (saved >= 0)
		cr_assert_eq(netns_leave(saved), 0);
	cr_assert_geq(s, 0, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	memset(l, 0, sizeof(*l));
	if (idx) {
		ifr.ifr_ifindex = idx;
		if (ioctl(s, SIOCGIFNAME, &ifr) < 0) {
			ret = -errno;
			goto out;
		}
	} else {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	}
	snprintf(l->name, sizeof(l->name), "%s", ifr.ifr_name);
	if (ioctl(s, SIOCGIFMTU, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	l->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(s, SIOCGIFTXQLEN, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	l->txqlen = (unsigned)ifr.ifr_qlen;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	l->flags = (unsigned short)ifr.ifr_flags;
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
out:
	close(s);
	return ret;
}

int fx_hosts_write(const char *netns, const char *buf, size_t len)
{
	return hosts_write(&netns, 1, buf, len);
}

void fx_need_tap(void)
{
	fx_need_tun();
	fx_private_netns();
}

/* A minimal broadcast frame behind a zeroed virtio-net header. */
size_t fx_make_frame(unsigned char *buf, size_t eth_len)
{
	unsigned char *eth = buf + VNET_HDR_LEN;

	memset(buf, 0, VNET_HDR_LEN + eth_len);
	memset(eth, 0xff, 6);
	memcpy(eth + 6, "\x02\x00\x00\x00\x00\x01", 6);
	eth[12] = 0x88;		/* 0x88b5: IEEE local experimental */
	eth[13] = 0xb5;
	return VNET_HDR_LEN + eth_len;
}

void fx_node_defaults(struct node_conf *n, const char *netns, int host)
{
	memset(n, 0, sizeof(*n));
	n->netns = netns;
	n->has_v4 = n->has_v6 = true;
	n->v4.s_addr = htonl(0x64400100u + (unsigned)host); /* 100.64.1.x */
	n->v4_prefix = 10;
	cr_assert_eq(inet_pton(AF_INET6, "fd6c:6d00::1:0", &n->v6), 1);
	n->v6.s6_addr[15] = (unsigned char)host;
	n->v6_prefix = 64;
}
