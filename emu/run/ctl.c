// SPDX-License-Identifier: MIT
/* ctl.c - the control socket of a run: accept, read one line, answer, close */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "emu/run/ctl.h"
#include "topo/lib/util.h"

void ctl_path(pid_t pid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%d.sock", CTL_DIR, (int)pid);
}

static int ctl_mkdir(void)
{
	struct stat st;
	int ret = mark_mkdirs();

	if (ret < 0)
		return ret;
	if (mkdir(CTL_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* only root may reach the sockets, whatever made the directory */
	if (lstat(CTL_DIR, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((st.st_mode & 077) || st.st_uid != 0) {
		if (st.st_uid != 0)
			return -EPERM;
		if (chmod(CTL_DIR, 0700) < 0)
			return -errno;
	}
	return 0;
}

static void ctl_conn_end(struct ctl_conn *k)
{
	if (k->fd < 0)
		return;
	ev_io_stop(k->ctl->loop, &k->w);
	ev_timer_stop(k->ctl->loop, &k->t);
	close(k->fd);
	k->fd = -1;
}

/* Write all of buf to a nonblocking socket, waiting at most a while. */
static void ctl_send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, (int)(CTL_TIMEOUT_S * 1000)) <= 0)
				return;
			continue;
		}
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void ctl_answer(struct ctl_conn *k, const char *line)
{
	struct ctl *c = k->ctl;
	struct ctl_reply r = { 0 };
	FILE *f = open_memstream(&r.buf, &r.len);

	if (!f) {
		static const char nomem[] =
			"{\"ok\":false,\"error\":\"out of memory\"}\n";

		ctl_send_all(k->fd, nomem, sizeof(nomem) - 1);
		return;
	}
	r.f = f;
	c->handle(c, line, &r, c->arg);
	fputc('\n', f);
	if (fclose(f) == 0)
		ctl_send_all(k->fd, r.buf, r.len);
	free(r.buf);
	c->served++;
}

static void ctl_refuse(struct ctl_conn *k, const char *why)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "{\"ok\":false,\"error\":\"%s\"}\n",
			 why);

	ctl_send_all(k->fd, buf, (size_t)n);
	k->ctl->refused++;
	ctl_conn_end(k);
}

static void ctl_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *k = container_of(w, struct ctl_conn, w);
	char *nl;
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recv(k->fd, k->buf + k->len, CTL_LINE_MAX + 1 - k->len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		k->len += (size_t)n;
	k->buf[k->len] = '\0';
	nl = memchr(k->buf, '\n', k->len);
	if (!nl && n > 0 && k->len <= CTL_LINE_MAX)
		return;		/* more to come */
	if (!nl && k->len > CTL_LINE_MAX) {
		ctl_refuse(k, "command longer than 4096 bytes");
		return;
	}
	if (nl)
		*nl = '\0';
	if (memchr(k->buf, '\0', nl ? (size_t)(nl - k->buf) : k->len)) {
		ctl_refuse(k, "command holds a NUL byte");
		return;
	}
	if (k->len == 0) {
		ctl_conn_end(k);	/* closed without a word */
		return;
	}
	ctl_answer(k, k->buf);
	ctl_conn_end(k);
}

static void ctl_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_conn *k = container_of(w, struct ctl_conn, t);

	(void)loop;
	(void)revents;
	ctl_refuse(k, "no command within 2 s");
}

/* Is the peer root? */
static bool ctl_peer_root(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 &&
	       cr.uid == 0;
}

static void ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl *c = container_of(w, struct ctl, w);
	struct ctl_conn *k = NULL;
	int fd;

	(void)revents;
	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(c->conn); i++)
		if (c->conn[i].fd < 0) {
			k = &c->conn[i];
			break;
		}
	if (!k || !ctl_peer_root(fd)) {
		static const char busy[] =
			"{\"ok\":false,\"error\":\"too many requests at once\"}\n";
		static const char perm[] =
			"{\"ok\":false,\"error\":\"only root may control a run\"}\n";

		if (!k)
			ctl_send_all(fd, busy, sizeof(busy) - 1);
		else
			ctl_send_all(fd, perm, sizeof(perm) - 1);
		c->refused++;
		close(fd);
		return;
	}
	k->fd = fd;
	k->len = 0;
	k->ctl = c;
	ev_io_init(&k->w, ctl_read_cb, fd, EV_READ);
	ev_io_start(loop, &k->w);
	ev_timer_init(&k->t, ctl_timeout_cb, CTL_TIMEOUT_S, 0.);
	ev_timer_start(loop, &k->t);
}

int ctl_open(struct ctl *c, struct ev_loop *loop, ctl_handle_fn handle,
	     void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	for (size_t i = 0; i < ARRAY_SIZE(c->conn); i++)
		c->conn[i].fd = -1;
	c->loop = loop;
	c->handle = handle;
	c->arg = arg;
	ret = ctl_mkdir();
	if (ret < 0)
		return ret;
	ctl_path(getpid(), c->path, sizeof(c->path));
	memcpy(sa.sun_path, c->path, sizeof(c->path));
	/* a socket of this pid can only be a dead run's of an earlier boot */
	unlink(c->path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(c->path, 0600) < 0 || listen(c->fd, CTL_CONNS) < 0) {
		ret = -errno;
		ctl_close(c);
		return ret;
	}
	ev_io_init(&c->w, ctl_accept_cb, c->fd, EV_READ);
	ev_io_start(loop, &c->w);
	return 0;
}

void ctl_close(struct ctl *c)
{
	if (c->fd < 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(c->conn); i++)
		if (c->conn[i].fd >= 0)
			ctl_conn_end(&c->conn[i]);
	if (c->loop)
		ev_io_stop(c->loop, &c->w);
	close(c->fd);
	c->fd = -1;
	unlink(c->path);
}

int ctl_request(pid_t pid, const char *line, char **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CTL_CLIENT_TIMEOUT_S };
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd, ret = 0;

	*out = NULL;
	ctl_path(pid, sa.sun_path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a run that is stopped (SIGSTOP, a debugger) must not hang ctl */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		ret = -errno;
		goto out;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = len + 65536);

			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
out:
	if (ret == -EAGAIN || ret == -EWOULDBLOCK)
		ret = -ETIMEDOUT;
	free(buf);
	close(fd);
	return ret;
}
