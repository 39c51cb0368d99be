// SPDX-License-Identifier: MIT
/* output.c - frames out of the data plane: TAP writes and each node's capture */
#include <stdint.h>

#include "emu/run/capture.h"
#include "emu/run/log.h"
#include "emu/run/run.h"
#include "tap/tap.h"

/* ---- captures ------------------------------------------------------------ */

/*
 * A capture that cannot be written (a full disk) stops at its last whole
 * frame, says so at once, and the run goes on; its command then exits
 * non-zero (docs/usage.md).
 */
static void run_capture_failed(struct run *r, struct run_port *rp, int err)
{
	log_err(err, "capture \"%s\" stopped after %llu frames (the file "
		"ends at the last whole frame; the run goes on)",
		capture_path(rp->cap),
		(unsigned long long)capture_count(rp->cap));
	capture_close(rp->cap);
	rp->cap = NULL;
	r->output_errors++;
}

void run_capture(struct run *r, struct run_port *rp,
			const uint8_t *buf, size_t len, int64_t stamp)
{
	int ret;

	if (!rp->cap || len <= PKT_VNET_LEN)
		return;
	/*
	 * A sent frame carries its send time, which may precede a frame
	 * written to the node meanwhile: the file stays in time order.
	 */
	if (stamp < rp->cap_last)
		stamp = rp->cap_last;
	rp->cap_last = stamp;
	ret = capture_frame(rp->cap, buf + PKT_VNET_LEN, len - PKT_VNET_LEN,
			    stamp);
	if (ret < 0)
		run_capture_failed(r, rp, ret);
}

void run_capture_close(struct run *r, struct run_port *rp)
{
	int ret;

	if (!rp->cap)
		return;
	/* the last buffered frames may be what fills the disk */
	ret = capture_close(rp->cap);
	if (ret < 0) {
		log_err(ret, "capture of node \"%s\": the last frames could "
			"not be written (the file ends at its last whole "
			"frame)",
			r->s->constel.node[r->s->tapped[rp->idx]].name);
		r->output_errors++;
	}
	rp->cap = NULL;
}

/* ---- output to a TAP (the forwarder's callback) ------------------------------ */

int run_output(struct fwd *f, size_t pi, const uint8_t *buf, size_t len,
	       int64_t now)
{
	struct run *r = f->arg;
	struct run_port *rp = &r->port[pi];
	int64_t stamp;
	ssize_t n;

	(void)now;
	/* stamped at release, before the receiving kernel handles it */
	stamp = run_now() + r->rt_off;
	n = tap_write(rp->tap, buf, len);
	if (n < 0)
		return (int)n;
	run_capture(r, rp, buf, len, stamp);
	return 0;
}
