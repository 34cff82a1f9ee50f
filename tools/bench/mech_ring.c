// SPDX-License-Identifier: GPL-2.0
/*
 * The ipcchan region ring of libipcchan (ipcchan_ring_*): one ring per
 * direction, each in a region of its own, with room for about params.depth
 * records. The producer fills the record in place (reserve, commit), the
 * consumer reads it in place (peek, release): the kernel copies nothing
 * and is entered only to sleep and to wake a sleeper.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <ipcchan.h>

#include "bench.h"

struct link {
	struct link_params p;
	char name[2][IPCCHAN_NAME_MAX];
	struct ipcchan_ring *owner[2];	/* the parent's, no role */
	struct ipcchan_ring *tx;	/* a child's: its producer ring */
	struct ipcchan_ring *rx;	/* and its consumer ring */
};

/*
 * The smallest power of two, at least 4096, holding params.depth messages:
 * a record adds an 8-byte head, so about params.depth records fit.
 */
static size_t capacity_for(const struct link_params *p)
{
	size_t need = (size_t)p->depth * p->size, cap = 4096;

	while (cap < need)
		cap <<= 1;
	return cap;
}

static int ring_setup(struct link **lp, const struct link_params *p)
{
	struct link *l = xcalloc(1, sizeof(*l));
	int devfd, d, ret = 0;

	l->p = *p;
	*lp = l;
	devfd = ipcchan_dev_open();
	if (devfd < 0)
		return devfd;
	for (d = 0; d < (p->pingpong ? 2 : 1) && !ret; d++) {
		snprintf(l->name[d], sizeof(l->name[d]), "bench-%d-%u-%d",
			 getpid(), p->id, d);
		ret = ipcchan_ring_create(devfd, l->name[d], capacity_for(p),
					  0600, 0, &l->owner[d]);
		if (ret)
			l->name[d][0] = '\0';
	}
	close(devfd);
	return ret;
}

/* Ping-pong: a producer of one ring and the consumer of the other. */
static int ring_attach_pingpong(struct link *l, int side)
{
	int devfd, ret;

	devfd = ipcchan_dev_open();
	if (devfd < 0)
		return devfd;
	/* A produces into ring 0 and consumes ring 1; B the other way. */
	ret = ipcchan_ring_open(devfd, l->name[side], IPCCHAN_ROLE_PRODUCER,
				&l->tx);
	if (!ret)
		ret = ipcchan_ring_open(devfd, l->name[!side],
					IPCCHAN_ROLE_CONSUMER, &l->rx);
	close(devfd);
	return ret;
}

static int ring_attach(struct link *l, int side)
{
	int devfd, ret;

	if (l->p.pingpong)
		return ring_attach_pingpong(l, side);
	devfd = ipcchan_dev_open();
	if (devfd < 0)
		return devfd;
	ret = ipcchan_ring_open(devfd, l->name[0], side == SIDE_A ?
				IPCCHAN_ROLE_PRODUCER : IPCCHAN_ROLE_CONSUMER,
				side == SIDE_A ? &l->tx : &l->rx);
	close(devfd);
	return ret;
}

static void *ring_tx_buf(struct link *l, unsigned int i)
{
	void *buf;

	if (ipcchan_ring_reserve(l->tx, l->p.size, &buf, 0,
				 IPCCHAN_WAIT_FOREVER))
		return NULL;
	return buf;
}

static int ring_tx(struct link *l, unsigned int n)
{
	return ipcchan_ring_commit(l->tx);
}

static int ring_rx(struct link *l, unsigned int n, const void **bufs)
{
	ssize_t ret = ipcchan_ring_peek(l->rx, &bufs[0], 0,
					IPCCHAN_WAIT_FOREVER);

	if (ret < 0)
		return ret;
	return (size_t)ret == l->p.size ? 1 : -EIO;
}

static int ring_rx_done(struct link *l, unsigned int n)
{
	return ipcchan_ring_release(l->rx);
}

static void ring_detach(struct link *l)
{
	ipcchan_ring_close(l->tx);
	ipcchan_ring_close(l->rx);
}

static void ring_teardown(struct link *l)
{
	int d;

	for (d = 0; d < 2; d++) {
		if (l->name[d][0])
			ipcchan_region_unlink(IPCCHAN_DEV_AUTO, l->name[d]);
		ipcchan_ring_close(l->owner[d]);
	}
	free(l);
}

const struct mech mech_ipcchan_ring = {
	.name = "ipcchan-ring",
	.setup = ring_setup,
	.attach = ring_attach,
	.tx_buf = ring_tx_buf,
	.tx = ring_tx,
	.rx = ring_rx,
	.rx_done = ring_rx_done,
	.detach = ring_detach,
	.teardown = ring_teardown,
};
