// SPDX-License-Identifier: GPL-2.0
/*
 * A UNIX SOCK_SEQPACKET socketpair: one message per send(2) and recv(2),
 * both directions on the one pair. The buffers are forced (SO_SNDBUFFORCE,
 * SO_RCVBUFFORCE; the benchmark runs as root) to hold params.depth
 * messages, so that a large message fits at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include "bench.h"

struct link {
	struct link_params p;
	int sv[2];		/* A's end, B's end */
	int side;
	unsigned char *txbuf;
	unsigned char *rxbuf;
};

static int seq_setup(struct link **lp, const struct link_params *p)
{
	struct link *l = xcalloc(1, sizeof(*l));
	size_t want = 2 * (size_t)p->depth * p->size;
	int i, buf;

	l->p = *p;
	*lp = l;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, l->sv)) {
		l->sv[0] = l->sv[1] = -1;
		return -errno;
	}
	if (want < 212992)
		want = 212992;
	if (want > (16u << 20))
		want = 16u << 20;
	buf = (int)want;
	for (i = 0; i < 2; i++) {
		setsockopt(l->sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &buf,
			   sizeof(buf));
		setsockopt(l->sv[i], SOL_SOCKET, SO_RCVBUFFORCE, &buf,
			   sizeof(buf));
	}
	return 0;
}

static int seq_attach(struct link *l, int side)
{
	l->side = side;
	l->txbuf = xcalloc(1, l->p.size);
	l->rxbuf = xcalloc(1, l->p.size);
	close(l->sv[!side]);
	return 0;
}

static void *seq_tx_buf(struct link *l, unsigned int i)
{
	return l->txbuf;
}

static int seq_tx(struct link *l, unsigned int n)
{
	ssize_t ret = send(l->sv[l->side], l->txbuf, l->p.size, 0);

	if (ret < 0)
		return -errno;
	return (size_t)ret == l->p.size ? 0 : -EIO;
}

static int seq_rx(struct link *l, unsigned int n, const void **bufs)
{
	ssize_t ret = recv(l->sv[l->side], l->rxbuf, l->p.size, 0);

	if (ret < 0)
		return -errno;
	if ((size_t)ret != l->p.size)
		return -EIO;
	bufs[0] = l->rxbuf;
	return 1;
}

static int seq_rx_done(struct link *l, unsigned int n)
{
	return 0;
}

static void seq_teardown(struct link *l)
{
	int i;

	for (i = 0; i < 2; i++)
		if (l->sv[i] >= 0)
			close(l->sv[i]);
	free(l);
}

const struct mech mech_unix_seqpacket = {
	.name = "unix-seqpacket",
	.setup = seq_setup,
	.attach = seq_attach,
	.tx_buf = seq_tx_buf,
	.tx = seq_tx,
	.rx = seq_rx,
	.rx_done = seq_rx_done,
	.teardown = seq_teardown,
};
