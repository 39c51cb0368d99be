// SPDX-License-Identifier: MIT
/* test_tapstamp.c - send times of a TAP's frames: matching, and a real TAP */

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tap/tap.h"
#include "tap/tapstamp.h"

static void frame_fill(uint8_t *f, size_t len, uint8_t tag)
{
	memset(f, 0, len);
	memset(f, 0xff, 6);			/* broadcast */
	f[6] = 0x02;				/* a local source MAC */
	f[11] = tag;
	f[12] = 0x88;				/* a local experimental type */
	f[13] = 0xb5;
	for (size_t i = 14; i < len; i++)
		f[i] = (uint8_t)(tag + i);
}

static void stamp_put(struct tapstamp *s, const uint8_t *f, size_t len,
		      int64_t ns)
{
	struct tapstamp_ent *e = &s->ring[(s->head + s->n) % TAPSTAMP_RING];

	e->key = tapstamp_key(f, len);
	e->ns = ns;
	s->n++;
}

/*
 * A frame takes the oldest stamp with its key; the stamps before it (frames
 * the TAP dropped) go; a frame with no stamp keeps none and is counted.
 */
Test(tapstamp, matching)
{
	static struct tapstamp s = { .fd = -1 };
	uint8_t a[60], b[60], c[60], d[60];
	int64_t ns = 0;

	frame_fill(a, sizeof(a), 1);
	frame_fill(b, sizeof(b), 2);
	frame_fill(c, sizeof(c), 3);
	frame_fill(d, sizeof(d), 4);
	cr_assert_neq(tapstamp_key(a, sizeof(a)), tapstamp_key(b, sizeof(b)));
	/* bytes past TAPSTAMP_SNAP do not count, the length up to it does */
	cr_assert_neq(tapstamp_key(a, 40), tapstamp_key(a, 41));
	stamp_put(&s, a, sizeof(a), 100);
	stamp_put(&s, b, sizeof(b), 200);
	stamp_put(&s, c, sizeof(c), 300);
	cr_assert(tapstamp_take(&s, b, sizeof(b), &ns));
	cr_expect_eq(ns, 200);
	cr_expect_eq(s.n, 1, "a was dropped with b: %u left", s.n);
	cr_assert_not(tapstamp_take(&s, d, sizeof(d), &ns));
	cr_expect_eq(s.n, 1, "a miss keeps the stamps");
	cr_assert(tapstamp_take(&s, c, sizeof(c), &ns));
	cr_expect_eq(ns, 300);
	cr_expect_eq(s.found, 2);
	cr_expect_eq(s.missed, 1);
	cr_expect_eq(s.n, 0);
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * INT64_C(1000000000) + ts.tv_nsec;
}

/*
 * A real TAP in a private network namespace (gone with the test's
 * process): a frame sent out of it gets a stamp taken while it was sent,
 * not when we read it.
 */
Test(tapstamp, real_tap)
{
	uint8_t f[100], buf[VNET_HDR_LEN + 200];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct ifreq ifr = { 0 };
	struct tapstamp *s;
	int64_t t0, t1, ns = 0;
	struct tap *t;
	ssize_t n;
	int fd;

	if (geteuid() != 0)
		cr_skip_test("needs root (a network namespace and a TAP)");
	cr_assert_eq(unshare(CLONE_NEWNET), 0, "unshare: %s", strerror(errno));
	cr_assert_eq(tap_open("lmts0", 0, &t), 0);
	cr_assert_eq(tapstamp_open(t->ifindex, &s), 0);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	strcpy(ifr.ifr_name, t->ifname);
	cr_assert_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	cr_assert_eq(ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
	close(fd);

	frame_fill(f, sizeof(f), 7);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	cr_assert_geq(fd, 0);
	to.sll_ifindex = t->ifindex;
	memcpy(to.sll_addr, f, 6);
	t0 = realtime_ns();
	cr_assert_eq(sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&to,
			    sizeof(to)), (ssize_t)sizeof(f));
	t1 = realtime_ns();
	close(fd);
	usleep(20000);		/* read well after it was sent */
	n = tap_read(t, buf, sizeof(buf));
	cr_assert_eq(n, VNET_HDR_LEN + (ssize_t)sizeof(f), "read %zd", n);
	/* bound while the device was down: ENETDOWN once, then the stamps */
	cr_assert_eq(tapstamp_drain(s), 0);
	cr_assert_geq(s->n, 1);
	cr_assert(tapstamp_take(s, buf + VNET_HDR_LEN, sizeof(f), &ns));
	cr_expect(ns >= t0 && ns <= t1,
		  "stamp %lld ns after the send began (it took %lld)",
		  (long long)(ns - t0), (long long)(t1 - t0));
	tapstamp_free(s);
	tap_free(t);
}
