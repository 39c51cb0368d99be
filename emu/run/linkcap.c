// SPDX-License-Identifier: MIT
/* linkcap.c - --capture-links: every hop of every frame into one pcapng file, a link per interface */
/*
 * The forwarder calls run_linkcap_hop() for each packet it takes off a
 * directed link a -> b when due (fwd.h, on_hop): the moment its last bit
 * reaches b, logical time on the data plane's CLOCK_MONOTONIC. That is
 * what the link carried and when it left it, so the stamp is exact: along
 * a path a flow's stamps grow by each link's queueing, serialisation and
 * propagation, whatever the lateness of the real release. Stamps are
 * turned to realtime with the run's rt_off, as the TAP captures are.
 *
 * Each directed link is one interface of DIR/links.pcapng named "a>b",
 * added when the link first carries a frame; a link that leaves the
 * forwarder's table when idle and comes back later keeps its interface
 * (the writer maps (a, b) to its id). A file that cannot be written (a
 * full disk) ends at its last whole block, is said once, and the run goes
 * on without it; its command then exits non-zero.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "emu/run/log.h"
#include "emu/run/pcapng.h"
#include "emu/run/run.h"

#define RUN_LINKCAP_FILE "links.pcapng"

static void run_linkcap_failed(struct run *r, int err)
{
	log_err(err, "link capture \"%s\" stopped after %llu frames on %u "
		"links (the file ends at the last whole block; the run goes "
		"on)", pcapng_path(r->links_cap),
		(unsigned long long)pcapng_count(r->links_cap),
		pcapng_ifaces(r->links_cap));
	pcapng_close(r->links_cap);
	r->links_cap = NULL;
	r->fwd.on_hop = NULL;
	r->output_errors++;
}

static void run_linkcap_hop(struct fwd *f, uint32_t a, uint32_t b,
			    const uint8_t *buf, size_t len, int64_t due_ns)
{
	struct run *r = f->arg;
	const struct constel *c = &r->s->constel;
	uint64_t key = (uint64_t)a << 32 | b;
	long id;
	int ret;

	if (!r->links_cap || len <= PKT_VNET_LEN)
		return;
	id = pcapng_iface_find(r->links_cap, key);
	if (id < 0) {
		char name[2 * CONSTEL_NAME_MAX + 2];
		uint32_t nid;

		snprintf(name, sizeof(name), "%s>%s", c->node[a].name,
			 c->node[b].name);
		ret = pcapng_iface_add(r->links_cap, key, name, &nid);
		if (ret < 0)
			goto fail;
		id = nid;
	}
	ret = pcapng_frame(r->links_cap, (uint32_t)id, buf + PKT_VNET_LEN,
			   len - PKT_VNET_LEN, due_ns + r->rt_off);
	if (ret == 0)
		return;
fail:
	run_linkcap_failed(r, ret);
}

int run_linkcap_open(struct run *r)
{
	const char *dir = r->o.capture_links_dir;
	char path[PATH_MAX];
	int ret;

	if (!dir)
		return 0;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		ret = -errno;
		log_err(ret, "link capture directory \"%s\"", dir);
		return ret;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, RUN_LINKCAP_FILE) >=
	    (int)sizeof(path)) {
		ret = -ENAMETOOLONG;
		log_err(ret, "link capture \"%s/%s\"", dir, RUN_LINKCAP_FILE);
		return ret;
	}
	ret = pcapng_open(path, r->o.snaplen, &r->links_cap);
	if (ret < 0) {
		log_err(ret, "link capture \"%s\"", path);
		return ret;
	}
	r->fwd.on_hop = run_linkcap_hop;
	return 0;
}

void run_linkcap_close(struct run *r)
{
	int ret;

	if (!r->links_cap)
		return;
	r->fwd.on_hop = NULL;
	/* the last buffered blocks may be what fills the disk */
	ret = pcapng_close(r->links_cap);
	if (ret < 0) {
		log_err(ret, "link capture \"%s/%s\": the last frames could "
			"not be written (the file ends at its last whole "
			"block)", r->o.capture_links_dir, RUN_LINKCAP_FILE);
		r->output_errors++;
	}
	r->links_cap = NULL;
}
