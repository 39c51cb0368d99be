// SPDX-License-Identifier: MIT
/* test_hosts.c - /etc/netns/NAME/hosts: one file shared by every node (root) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/hosts.h"
#include "tap/netns.h"
#include "tests/lib/netns_fixture.h"

TestSuite(hosts, .fini = fx_remove_mine);

Test(hosts, name_validation)
{
	const char *why;

	cr_assert(hosts_name_valid("london", NULL));
	cr_assert(hosts_name_valid("STARLINK-1007", NULL));
	cr_assert(hosts_name_valid("gs_svalbard.mesh", NULL));
	cr_assert_not(hosts_name_valid("", &why));
	cr_assert_str_eq(why, "is empty");
	cr_assert_not(hosts_name_valid("-x", &why));
	cr_assert_str_eq(why, "starts with '-' or '.'");
	cr_assert_not(hosts_name_valid("new york", &why));
	cr_assert_not(hosts_name_valid("a#b", &why));
	cr_assert_str_eq(why, "has a character other than letters, digits, "
			      "'-', '_' and '.'");
}

Test(hosts, render_lines)
{
	struct owner o = { .pid = 4242, .start = 77, .boot = "b-o-o-t" };
	struct hosts_entry e[2] = {
		{ .name = "london", .has_v4 = true, .has_v6 = true },
		{ .name = "sat-1", .has_v4 = true },
	};
	char *buf;
	size_t len;

	cr_assert_eq(inet_pton(AF_INET, "100.64.0.1", &e[0].v4), 1);
	cr_assert_eq(inet_pton(AF_INET6, "fd6c:6d00::1", &e[0].v6), 1);
	cr_assert_eq(inet_pton(AF_INET, "100.64.3.7", &e[1].v4), 1);
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), 0);
	cr_assert_eq(strlen(buf), len);
	cr_assert(strstr(buf, "# lasermesh pid=4242 start=77 boot=b-o-o-t\n") ==
		  buf, "%s", buf);
	cr_assert(strstr(buf, "\n127.0.0.1\tlocalhost\n"), "%s", buf);
	cr_assert(strstr(buf, "\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
	cr_assert(strstr(buf, "\n100.64.0.1\tlondon\nfd6c:6d00::1\tlondon\n"
			      "100.64.3.7\tsat-1\n"), "%s", buf);
	cr_assert_eq(buf[len - 1], '\n');
	free(buf);

	e[1].has_v4 = false;
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), -EINVAL);
	e[1].has_v4 = true;
	e[1].name = "bad name";
	cr_assert_eq(hosts_render(&o, e, 2, &buf, &len), -EINVAL);
}

Test(hosts, write_exec_remove)
{
	const char *a = fx_ns_name("hosts"), *b = fx_ns_name("hosts-foreign");
	struct hosts_entry e[2] = {
		{ .name = "london", .has_v4 = true },
		{ .name = "paris", .has_v4 = true, .has_v6 = true },
	};
	struct owner me, o;
	char path[512], dir[256], cmd[512], *buf, *text, *out;
	size_t len, olen;
	FILE *p;

	fx_need_root();
	inet_pton(AF_INET, "100.64.0.1", &e[0].v4);
	inet_pton(AF_INET, "100.64.0.2", &e[1].v4);
	inet_pton(AF_INET6, "fd6c:6d00::2", &e[1].v6);
	cr_assert_eq(owner_of(getpid(), &me), 0);
	cr_assert_eq(hosts_render(&me, e, 2, &buf, &len), 0);

	snprintf(dir, sizeof(dir), HOSTS_ETC_NETNS_DIR "/%s", a);
	snprintf(path, sizeof(path), "%s/hosts", dir);
	cr_assert_eq(hosts_owner(a, &o), -ENOENT);
	cr_assert_eq(fx_hosts_write(a, buf, len), 0);
	text = fx_slurp(path);
	cr_assert_not_null(text);
	cr_assert_str_eq(text, buf);
	free(text);
	cr_assert_eq(hosts_owner(a, &o), 0);
	cr_assert_eq(o.pid, getpid());
	cr_assert_eq(o.start, me.start);
	cr_assert_str_eq(o.boot, me.boot);
	/* Ours: rewritten in place. */
	cr_assert_eq(fx_hosts_write(a, buf, len), 0);

	/* `ip netns exec` shows it as /etc/hosts, and says nothing else. */
	cr_assert_eq(netns_add(a), 0);
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s getent hosts paris 2>&1; "
		 "ip netns exec %s cat /etc/hosts 2>&1", a, a);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	{
		FILE *m = open_memstream(&out, &olen);
		char chunk[4096];
		size_t k;

		while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0)
			fwrite(chunk, 1, k, m);
		fclose(m);
	}
	pclose(p);
	cr_assert(strstr(out, "fd6c:6d00::2    paris\n") == out ||
		  strstr(out, "100.64.0.2      paris\n") == out, "%s", out);
	cr_assert(strstr(out, buf), "%s", out);
	cr_assert_null(strstr(out, "Bind"), "%s", out);
	free(out);
	cr_assert_eq(netns_del(a), 0);

	/* The user's own file next to ours stays, and so does the dir. */
	snprintf(cmd, sizeof(cmd), "%s/resolv.conf", dir);
	fx_put_file(cmd, "nameserver 192.0.2.1\n");
	cr_assert_eq(hosts_remove(a), 0);
	cr_assert_not(fx_exists("%s", path));
	cr_assert(fx_exists("%s", cmd));
	unlink(cmd);
	cr_assert_eq(fx_hosts_write(a, buf, len), 0);
	cr_assert_eq(hosts_remove(a), 0);
	cr_assert_not(fx_exists("%s", dir));
	cr_assert_eq(hosts_remove(a), -ENOENT);

	/* Somebody else's hosts file is neither overwritten nor removed. */
	snprintf(dir, sizeof(dir), HOSTS_ETC_NETNS_DIR "/%s", b);
	snprintf(path, sizeof(path), "%s/hosts", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	fx_put_file(path, "10.0.0.1 mine\n");
	cr_assert_eq(fx_hosts_write(b, buf, len), -EEXIST);
	cr_assert_eq(hosts_owner(b, &o), -EBADMSG);
	cr_assert_eq(hosts_remove(b), -EBADMSG);
	text = fx_slurp(path);
	cr_assert_str_eq(text, "10.0.0.1 mine\n");
	free(text);
	free(buf);
}

/*
 * Every node's hosts file is one file: hard links to one inode, so many
 * nodes cost one file; a node whose hosts file of ours is there already
 * gets the new one; removing them one by one frees the file.
 */
Test(hosts, one_file_for_every_node)
{
	enum { N = 20 };
	struct hosts_entry e = { .name = "london", .has_v4 = true };
	const char *names[N];
	char path[320], tmp[256], *buf, *old, *text;
	struct owner me;
	struct stat st, st0;
	size_t len, olen;

	fx_need_root();
	inet_pton(AF_INET, "100.64.0.1", &e.v4);
	cr_assert_eq(owner_of(getpid(), &me), 0);
	for (int i = 0; i < N; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "share%d", i);
		names[i] = strdup(fx_ns_name(tag));
	}
	/* An older file of ours in one of them, replaced. */
	e.name = "paris";
	cr_assert_eq(hosts_render(&me, &e, 1, &old, &olen), 0);
	cr_assert_eq(fx_hosts_write(names[3], old, olen), 0);
	e.name = "london";
	cr_assert_eq(hosts_render(&me, &e, 1, &buf, &len), 0);
	cr_assert_eq(hosts_write(names, N, buf, len), 0);
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), HOSTS_ETC_NETNS_DIR "/%s/hosts",
			 names[i]);
		cr_assert_eq(stat(path, &st), 0, "%s", path);
		if (i == 0)
			st0 = st;
		cr_assert_eq(st.st_ino, st0.st_ino, "%s is a copy", path);
		cr_assert_eq(st.st_nlink, N, "%s has %ju links", path,
			     (uintmax_t)st.st_nlink);
		cr_assert_eq((size_t)st.st_size, len);
		cr_assert_eq(st.st_mode & 07777, 0644);
	}
	text = fx_slurp(path);
	cr_assert_str_eq(text, buf);
	free(text);
	/* No temp name of ours is left in /etc/netns. */
	cr_assert_eq(owner_temp_path(HOSTS_ETC_NETNS_DIR, "hosts", tmp,
				     sizeof(tmp)), 0);
	cr_assert_not(fx_exists("%s", tmp), "%s left", tmp);
	cr_assert_eq(owner_temp_path(HOSTS_ETC_NETNS_DIR, "link", tmp,
				     sizeof(tmp)), 0);
	cr_assert_not(fx_exists("%s", tmp), "%s left", tmp);

	/* A foreign file stops the write there, and stays. */
	const char *two[2] = { names[0], fx_ns_name("share-foreign") };
	char dir[256];

	fx_make_etc_dir(two[1], dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/hosts", dir);
	fx_put_file(path, "10.0.0.1 mine\n");
	cr_assert_eq(hosts_write(two, 2, old, olen), -EEXIST);
	text = fx_slurp(path);
	cr_assert_str_eq(text, "10.0.0.1 mine\n");
	free(text);

	for (int i = 0; i < N; i++) {
		cr_assert_eq(hosts_remove(names[i]), 0);
		cr_assert_not(fx_exists(HOSTS_ETC_NETNS_DIR "/%s", names[i]));
		free((char *)names[i]);
	}
	free(buf);
	free(old);
}
