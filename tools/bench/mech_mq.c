// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues: one queue per direction of params.depth messages
 * of params.size bytes, unlinked once open (the forked sides share the
 * descriptors). main() lifts RLIMIT_MSGQUEUE, and root may go past
 * /proc/sys/fs/mqueue's msg_max and msgsize_max.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

struct link {
	struct link_params p;
	mqd_t mq[2];		/* queue of each direction, or -1 */
	int side;
	unsigned char *txbuf;
	unsigned char *rxbuf;
};

static int mq_setup(struct link **lp, const struct link_params *p)
{
	struct mq_attr attr = {
		.mq_maxmsg = p->depth,
		.mq_msgsize = p->size,
	};
	struct link *l = xcalloc(1, sizeof(*l));
	char name[64];
	int d;

	l->p = *p;
	l->mq[0] = l->mq[1] = (mqd_t)-1;
	*lp = l;
	for (d = 0; d < (p->pingpong ? 2 : 1); d++) {
		snprintf(name, sizeof(name), "/ipcchan-bench-%d-%u-%d",
			 getpid(), p->id, d);
		l->mq[d] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
				   &attr);
		if (l->mq[d] == (mqd_t)-1)
			return -errno;
		mq_unlink(name);
	}
	return 0;
}

static int mq_attach(struct link *l, int side)
{
	l->side = side;
	l->txbuf = xcalloc(1, l->p.size);
	l->rxbuf = xcalloc(1, l->p.size);
	return 0;
}

static void *mq_tx_buf(struct link *l, unsigned int i)
{
	return l->txbuf;
}

static int mq_tx(struct link *l, unsigned int n)
{
	while (mq_send(l->mq[l->side], (const char *)l->txbuf, l->p.size, 0))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int mq_rx(struct link *l, unsigned int n, const void **bufs)
{
	ssize_t ret;

	do
		ret = mq_receive(l->mq[!l->side], (char *)l->rxbuf,
				 l->p.size, NULL);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if ((size_t)ret != l->p.size)
		return -EIO;
	bufs[0] = l->rxbuf;
	return 1;
}

static int mq_rx_done(struct link *l, unsigned int n)
{
	return 0;
}

static void mq_teardown(struct link *l)
{
	int d;

	for (d = 0; d < 2; d++)
		if (l->mq[d] != (mqd_t)-1)
			mq_close(l->mq[d]);
	free(l);
}

const struct mech mech_posix_mq = {
	.name = "posix-mq",
	.setup = mq_setup,
	.attach = mq_attach,
	.tx_buf = mq_tx_buf,
	.tx = mq_tx,
	.rx = mq_rx,
	.rx_done = mq_rx_done,
	.teardown = mq_teardown,
};
