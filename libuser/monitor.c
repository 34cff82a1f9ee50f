// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A subscription to the family's events group, through libnl. The socket
 * is nonblocking: ipcchan_nl_monitor_next() waits in poll(2), so that it can
 * time out, and a caller may poll the fd itself.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netlink/genl/ctrl.h>

#include "nl.h"

/* Room for a burst of events before the kernel drops them (ENOBUFS). */
#define MONITOR_RCVBUF	(4 << 20)

struct ipcchan_nl_monitor {
	struct nl_sock *sk;
	int family;
	int err;
	/* Events read from the socket and not yet returned, a FIFO. */
	struct ipcchan_event *queue;
	size_t head;
	size_t count;
	size_t cap;
};

static int queue_push(struct ipcchan_nl_monitor *m,
		      const struct ipcchan_event *ev)
{
	if (m->head + m->count == m->cap) {
		if (m->head) {
			memmove(m->queue, m->queue + m->head,
				m->count * sizeof(*m->queue));
			m->head = 0;
		} else {
			size_t cap = m->cap ? 2 * m->cap : 16;
			struct ipcchan_event *q;

			q = reallocarray(m->queue, cap, sizeof(*q));
			if (!q)
				return -ENOMEM;
			m->queue = q;
			m->cap = cap;
		}
	}
	m->queue[m->head + m->count++] = *ev;
	return 0;
}

static void queue_pop(struct ipcchan_nl_monitor *m, struct ipcchan_event *ev)
{
	*ev = m->queue[m->head++];
	if (!--m->count)
		m->head = 0;
}

/* Messages of other commands, or without SEQ and EVENT, are skipped. */
static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[IPCCHAN_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ipcchan_nl_monitor *m = arg;
	struct ipcchan_event ev = { 0 };

	if (ipcnl_parse(nlh, m->family, tb) ||
	    genlmsg_hdr(nlh)->cmd != IPCCHAN_CMD_EVENT ||
	    !tb[IPCCHAN_A_SEQ] || !tb[IPCCHAN_A_EVENT])
		return NL_SKIP;
	ev.seq = nla_get_u64(tb[IPCCHAN_A_SEQ]);
	ev.event = nla_get_u32(tb[IPCCHAN_A_EVENT]);
	if (tb[IPCCHAN_A_ID])
		ev.id = nla_get_u64(tb[IPCCHAN_A_ID]);
	if (tb[IPCCHAN_A_KIND])
		ev.kind = nla_get_u32(tb[IPCCHAN_A_KIND]);
	ipcnl_copy_name(ev.name, tb[IPCCHAN_A_NAME]);
	m->err = queue_push(m, &ev);
	return m->err ? NL_STOP : NL_OK;
}

int ipcchan_nl_monitor_open(struct ipcchan_nl_monitor **mp)
{
	struct ipcchan_nl_monitor *m;
	int ret, grp;

	if (!mp)
		return -EFAULT;
	*mp = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = -NLE_NOMEM;
	m->sk = nl_socket_alloc();
	if (!m->sk)
		goto err_free;
	ret = genl_connect(m->sk);
	if (ret < 0)
		goto err_sock;
	/* Resolve before the callbacks change: libnl clones them for it. */
	ret = genl_ctrl_resolve(m->sk, IPCCHAN_GENL_NAME);
	if (ret < 0)
		goto err_sock;
	m->family = ret;
	ret = genl_ctrl_resolve_grp(m->sk, IPCCHAN_GENL_NAME,
				    IPCCHAN_GENL_MCGRP_EVENTS);
	if (ret < 0)
		goto err_sock;
	grp = ret;
	nl_socket_disable_seq_check(m->sk);
	nl_socket_enable_msg_peek(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, m);
	/* Best effort: rmem_max caps it, and the default still works. */
	nl_socket_set_buffer_size(m->sk, MONITOR_RCVBUF, 0);
	ret = nl_socket_set_nonblocking(m->sk);
	if (ret < 0)
		goto err_sock;
	ret = nl_socket_add_membership(m->sk, grp);
	if (ret < 0)
		goto err_sock;
	*mp = m;
	return 0;

err_sock:
	nl_socket_free(m->sk);
err_free:
	free(m);
	return ipcnl_errno(ret);
}

int ipcchan_nl_monitor_fd(const struct ipcchan_nl_monitor *m)
{
	if (!m)
		return -EFAULT;
	return nl_socket_get_fd(m->sk);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the socket is readable: 1, 0 on timeout, or -errno. */
static int wait_readable(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left = -1;
	int ret;

	if (deadline >= 0) {
		left = deadline - now_ms();
		if (left < 0)
			left = 0;
		if (left > INT32_MAX)
			left = INT32_MAX;
	}
	ret = poll(&pfd, 1, (int)left);
	if (ret < 0)
		return -errno;
	return ret > 0;
}

int ipcchan_nl_monitor_next(struct ipcchan_nl_monitor *m,
			    struct ipcchan_event *ev, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int ret;

	if (!m || !ev)
		return -EFAULT;
	for (;;) {
		if (m->count) {
			queue_pop(m, ev);
			return 1;
		}
		ret = wait_readable(nl_socket_get_fd(m->sk), deadline);
		if (ret <= 0)
			return ret;
		ret = nl_recvmsgs_default(m->sk);
		if (m->err) {
			ret = m->err;
			m->err = 0;
			return ret;
		}
		if (ret == -NLE_AGAIN)
			continue;
		/*
		 * libnl turns the ENOBUFS of an overrun socket into
		 * NLE_NOMEM; on a monitor that is what it means.
		 */
		if (ret == -NLE_NOMEM)
			return -ENOBUFS;
		if (ret < 0)
			return ipcnl_errno(ret);
	}
}

void ipcchan_nl_monitor_close(struct ipcchan_nl_monitor *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m->queue);
	free(m);
}
