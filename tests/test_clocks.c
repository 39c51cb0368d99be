// SPDX-License-Identifier: MIT
/* test_clocks.c - `lasermesh clocks`' measuring session on loopback: both families, and forged datagrams */
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/run/clocks.h"
#include "topo/lib/diag.h"

static void *run_one(void *arg)
{
	struct diag d;

	diag_init(&d);
	clocks_run(arg, &d);
	diag_free(&d);
	return NULL;
}

/*
 * Two ranks in one process on addr (port 0), each in its own thread, 10
 * probes 2 ms apart. Before they start, a stranger's socket sends rank 0
 * forged answers that claim to come from rank 1: they must be counted as
 * refused and not measured.
 */
static void two_ranks(const char *addr)
{
	struct clocks_opts o = {
		.probes = 10, .interval_ns = 2000000, .offset_rank = -1 };
	struct clocks c[2];
	union endpoint a, eps[2];
	struct diag d;
	pthread_t t[2];
	int stranger;

	diag_init(&d);
	cr_assert(endpoint_parse_addr(addr, 0, &a));
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(clocks_open(&c[i], &a, i, 2, &o, &d), 0, "%s",
			     addr);
		cr_assert_eq(clocks_endpoint(&c[i], &eps[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		clocks_set_peers(&c[i], eps);

	stranger = socket(a.sa.sa_family, SOCK_DGRAM, 0);
	cr_assert(stranger >= 0);
	for (int k = 0; k < 5; k++) {
		struct clockest_msg m = { .kind = CLOCKEST_ANSWER, .rank = 1,
					  .seq = (uint32_t)k, .t1 = 1,
					  .t2 = 2, .t3 = 3 };
		uint8_t buf[CLOCKEST_MSG_LEN];

		clockest_encode(&m, buf);
		cr_assert_eq(sendto(stranger, buf, sizeof(buf), 0, &eps[0].sa,
				    endpoint_len(&eps[0])),
			     (ssize_t)sizeof(buf));
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run_one, &c[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);

	cr_expect_eq(c[0].bad, 5, "forged answers refused: %llu",
		     (unsigned long long)c[0].bad);
	cr_expect_eq(c[1].bad, 0);
	for (int i = 0; i < 2; i++) {
		struct clockest_result r;
		const struct clocks_peer *p = &c[i].peer[1 - i];

		cr_expect_eq(p->sent, 10);
		cr_expect_eq(p->answered, 10, "rank %d took %llu answers", i,
			     (unsigned long long)p->answered);
		cr_assert(clockest_get(&p->est, &r));
		/* one clock: the offset is within loopback's jitter */
		cr_expect(r.offset_ns > -1000000 && r.offset_ns < 1000000,
			  "offset %lld ns", (long long)r.offset_ns);
	}
	close(stranger);
	for (int i = 0; i < 2; i++)
		clocks_close(&c[i]);
	diag_free(&d);
}

Test(clocks, two_ranks_over_ipv4_refuse_a_stranger)
{
	two_ranks("127.0.0.1");
}

Test(clocks, two_ranks_over_ipv6_refuse_a_stranger)
{
	two_ranks("::1");
}
