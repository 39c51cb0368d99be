// SPDX-License-Identifier: MIT
/* test_hosts.c - /etc/netns/NAME/hosts: one file shared by every node (root) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
