// SPDX-License-Identifier: GPL-2.0
/*
 * pipe(2): one pipe per direction, sized (F_SETPIPE_SZ) for params.depth
 * messages, 64 KiB to 4 MiB. A message is written whole and read back with
 * as many read(2) calls as it takes: a pipe is a byte stream.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

struct link {
	struct link_params p;
	int pfd[2][2];		/* [direction][read end, write end] */
	int side;
	unsigned char *txbuf;
	unsigned char *rxbuf;
};

static int pipe_setup(struct link **lp, const struct link_params *p)
{
	struct link *l = xcalloc(1, sizeof(*l));
	size_t want = (size_t)p->depth * p->size;
	int d;

	l->p = *p;
	for (d = 0; d < 2; d++)
		l->pfd[d][0] = l->pfd[d][1] = -1;
	*lp = l;
	if (want < 65536)
		want = 65536;
	if (want > (4u << 20))
		want = 4u << 20;
	for (d = 0; d < (p->pingpong ? 2 : 1); d++) {
		if (pipe2(l->pfd[d], O_CLOEXEC))
			return -errno;
		fcntl(l->pfd[d][1], F_SETPIPE_SZ, (int)want);
	}
	return 0;
}

static int pipe_attach(struct link *l, int side)
{
	l->side = side;
	l->txbuf = xcalloc(1, l->p.size);
	l->rxbuf = xcalloc(1, l->p.size);
	return 0;
}

static void *pipe_tx_buf(struct link *l, unsigned int i)
{
	return l->txbuf;
}

static int pipe_tx(struct link *l, unsigned int n)
{
	return write_full(l->pfd[l->side][1], l->txbuf, l->p.size);
}

static int pipe_rx(struct link *l, unsigned int n, const void **bufs)
{
	int ret = read_full(l->pfd[!l->side][0], l->rxbuf, l->p.size);

	if (ret)
		return ret;
	bufs[0] = l->rxbuf;
	return 1;
}

static int pipe_rx_done(struct link *l, unsigned int n)
{
	return 0;
}

static void pipe_teardown(struct link *l)
{
	int d, e;

	for (d = 0; d < 2; d++)
		for (e = 0; e < 2; e++)
			if (l->pfd[d][e] >= 0)
				close(l->pfd[d][e]);
	free(l);
}

const struct mech mech_pipe = {
	.name = "pipe",
	.setup = pipe_setup,
	.attach = pipe_attach,
	.tx_buf = pipe_tx_buf,
	.tx = pipe_tx,
	.rx = pipe_rx,
	.rx_done = pipe_rx_done,
	.teardown = pipe_teardown,
};
