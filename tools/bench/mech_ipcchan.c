// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan channels, through libipcchan: "ipcchan" moves one message per
 * IPCCHAN_IOC_SEND / IPCCHAN_IOC_RECV, "ipcchan-batch" up to a batch per
 * IPCCHAN_IOC_SEND_BATCH / IPCCHAN_IOC_RECV_BATCH, and "ipcchan-packed" up
 * to a batch per IPCCHAN_IOC_SEND_PACKED / IPCCHAN_IOC_RECV_PACKED, as
 * records written and read in place in one buffer per direction (a call
 * moves at most IPCCHAN_PACKED_MAX bytes of them); "ipcchan-sync" is
 * "ipcchan" with IPCCHAN_XFER_SYNC on every send, which returns once the
 * other side has taken the message. All block in the
 * kernel. One channel per direction, created with room for params.depth
 * messages and unlinked at once: the forked sides share the fds.
 *
 * "ipcchan-rw" moves one message per write(2) / read(2) on the same two
 * named channels, and "ipcchan-pair" per write(2) / read(2) on the two
 * ends of an IPCCHAN_IOC_CHAN_PAIR (each side sends and receives on its
 * own end), with the same limits for each direction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <ipcchan.h>

#include "bench.h"

struct link {
	struct link_params p;
	int fd[2];		/* channel of each direction, or -1 */
	int side;
	unsigned char *txbuf;	/* batch buffers of params.size bytes */
	unsigned char *rxbuf;
	struct ipcchan_mmsg *mm;
	size_t rec;		/* packed: bytes of one record */
};

static int chan_setup(struct link **lp, const struct link_params *p)
{
	struct ipcchan_attr attr = {
		.mode = 0600,
		.max_msg_size = p->size,
		.max_msgs = p->depth,
		.max_bytes = (uint64_t)p->depth * p->size,
	};
	struct link *l = xcalloc(1, sizeof(*l));
	char name[IPCCHAN_NAME_MAX];
	int devfd, d, ret = 0;

	l->p = *p;
	l->fd[0] = l->fd[1] = -1;
	devfd = ipcchan_dev_open();
	if (devfd < 0) {
		free(l);
		return devfd;
	}
	for (d = 0; d < (p->pingpong ? 2 : 1) && !ret; d++) {
		snprintf(name, sizeof(name), "bench-%d-%u-%d", getpid(), p->id,
			 d);
		ret = ipcchan_chan_open(devfd, name, IPCCHAN_OPEN_RECV |
					IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_CREATE |
					IPCCHAN_OPEN_EXCL, &attr);
		if (ret >= 0) {
			l->fd[d] = ret;
			ret = ipcchan_chan_unlink(devfd, name);
		}
	}
	close(devfd);
	*lp = l;
	return ret;
}

static int chan_attach(struct link *l, int side)
{
	l->side = side;
	l->txbuf = xcalloc(l->p.batch, l->p.size);
	l->rxbuf = xcalloc(l->p.batch, l->p.size);
	l->mm = xcalloc(l->p.batch, sizeof(*l->mm));
	return 0;
}

static void *chan_tx_buf(struct link *l, unsigned int i)
{
	return l->txbuf + (size_t)i * l->p.size;
}

static int chan_tx(struct link *l, unsigned int n)
{
	return ipcchan_send(l->fd[l->side], l->txbuf, l->p.size, 0,
			    IPCCHAN_WAIT_FOREVER);
}

static int sync_tx(struct link *l, unsigned int n)
{
	return ipcchan_send_sync(l->fd[l->side], l->txbuf, l->p.size,
				 IPCCHAN_WAIT_FOREVER);
}

static int chan_rx(struct link *l, unsigned int n, const void **bufs)
{
	ssize_t ret;

	ret = ipcchan_recv(l->fd[!l->side], l->rxbuf, l->p.size, NULL, 0,
			   IPCCHAN_WAIT_FOREVER);
	if (ret < 0)
		return ret;
	if ((size_t)ret != l->p.size)
		return -EIO;
	bufs[0] = l->rxbuf;
	return 1;
}

static int chan_rx_done(struct link *l, unsigned int n)
{
	return 0;
}

/* write(2) and read(2): a whole message each, or the call fails. */
static int rw_send(int fd, const void *buf, size_t size)
{
	ssize_t ret = write(fd, buf, size);

	if (ret < 0)
		return -errno;
	return (size_t)ret == size ? 0 : -EIO;
}

static int rw_recv(int fd, void *buf, size_t size, const void **bufs)
{
	ssize_t ret = read(fd, buf, size);

	if (ret < 0)
		return -errno;
	if ((size_t)ret != size)
		return -EIO;
	bufs[0] = buf;
	return 1;
}

static int rw_tx(struct link *l, unsigned int n)
{
	return rw_send(l->fd[l->side], l->txbuf, l->p.size);
}

static int rw_rx(struct link *l, unsigned int n, const void **bufs)
{
	return rw_recv(l->fd[!l->side], l->rxbuf, l->p.size, bufs);
}

/* fd[i] is the end of side i: it sends to the other end and receives. */
static int pair_setup(struct link **lp, const struct link_params *p)
{
	struct ipcchan_chan_pair args = {
		.size = sizeof(args),
		.flags = IPCCHAN_OPEN_CLOEXEC,
		.max_msg_size = p->size,
		.max_msgs = p->depth,
		.max_bytes = (uint64_t)p->depth * p->size,
	};
	struct link *l = xcalloc(1, sizeof(*l));
	int devfd, ret = 0;

	l->p = *p;
	l->fd[0] = l->fd[1] = -1;
	*lp = l;
	devfd = ipcchan_dev_open();
	if (devfd < 0)
		return devfd;
	if (ioctl(devfd, IPCCHAN_IOC_CHAN_PAIR, &args)) {
		ret = -errno;
	} else {
		l->fd[0] = args.fds[0];
		l->fd[1] = args.fds[1];
	}
	close(devfd);
	return ret;
}

static int pair_tx(struct link *l, unsigned int n)
{
	return rw_send(l->fd[l->side], l->txbuf, l->p.size);
}

static int pair_rx(struct link *l, unsigned int n, const void **bufs)
{
	return rw_recv(l->fd[l->side], l->rxbuf, l->p.size, bufs);
}

static int batch_tx(struct link *l, unsigned int n)
{
	unsigned int i, sent;
	int ret;

	for (i = 0; i < n; i++)
		l->mm[i] = (struct ipcchan_mmsg){
			.buf = (uintptr_t)(l->txbuf + (size_t)i * l->p.size),
			.len = l->p.size,
		};
	for (sent = 0; sent < n; sent += ret) {
		ret = ipcchan_send_batch(l->fd[l->side], l->mm + sent,
					 n - sent, 0, IPCCHAN_WAIT_FOREVER);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int batch_rx(struct link *l, unsigned int n, const void **bufs)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		l->mm[i] = (struct ipcchan_mmsg){
			.buf = (uintptr_t)(l->rxbuf + (size_t)i * l->p.size),
			.len = l->p.size,
		};
	ret = ipcchan_recv_batch(l->fd[!l->side], l->mm, n, 0,
				 IPCCHAN_WAIT_FOREVER);
	if (ret < 0)
		return ret;
	for (i = 0; i < (unsigned int)ret; i++) {
		if (l->mm[i].info.len != l->p.size)
			return -EIO;
		bufs[i] = l->rxbuf + (size_t)i * l->p.size;
	}
	return ret;
}

static int packed_attach(struct link *l, int side)
{
	size_t cap, off = 0;
	unsigned int i;

	l->side = side;
	l->rec = IPCCHAN_PACKED_REC_SIZE(l->p.size);
	cap = l->rec * l->p.batch;
	l->txbuf = xcalloc(1, cap);
	l->rxbuf = xcalloc(1, cap);
	/* Every record has params.size bytes: the headers are written once. */
	for (i = 0; i < l->p.batch; i++)
		if (!ipcchan_packed_add(l->txbuf, cap, &off, l->p.size))
			return -EINVAL;
	return 0;
}

static void *packed_tx_buf(struct link *l, unsigned int i)
{
	return l->txbuf + i * l->rec + sizeof(struct ipcchan_packed_rec);
}

/* The records of one call: as many as IPCCHAN_PACKED_MAX bytes hold. */
static unsigned int packed_per_call(const struct link *l, unsigned int n)
{
	size_t most = IPCCHAN_PACKED_MAX / l->rec;

	return n < most ? n : most;
}

static int packed_tx(struct link *l, unsigned int n)
{
	unsigned int sent, k;
	int ret;

	for (sent = 0; sent < n; sent += ret) {
		k = packed_per_call(l, n - sent);
		ret = ipcchan_send_packed(l->fd[l->side],
					  l->txbuf + sent * l->rec,
					  k * l->rec, k, 0,
					  IPCCHAN_WAIT_FOREVER);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int packed_rx(struct link *l, unsigned int n, const void **bufs)
{
	const struct ipcchan_packed_rec *rec;
	size_t cap, off = 0;
	int i, ret;

	n = packed_per_call(l, n);
	cap = n * l->rec;
	ret = ipcchan_recv_packed(l->fd[!l->side], l->rxbuf, cap, n, NULL, 0,
				  IPCCHAN_WAIT_FOREVER);
	for (i = 0; i < ret; i++) {
		rec = ipcchan_packed_next(l->rxbuf, cap, &off);
		if (!rec || rec->len != l->p.size)
			return -EIO;
		bufs[i] = ipcchan_packed_data(rec);
	}
	return ret;
}

static void chan_teardown(struct link *l)
{
	int d;

	for (d = 0; d < 2; d++)
		if (l->fd[d] >= 0)
			close(l->fd[d]);
	free(l);
}

const struct mech mech_ipcchan = {
	.name = "ipcchan",
	.setup = chan_setup,
	.attach = chan_attach,
	.tx_buf = chan_tx_buf,
	.tx = chan_tx,
	.rx = chan_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};

const struct mech mech_ipcchan_sync = {
	.name = "ipcchan-sync",
	.setup = chan_setup,
	.attach = chan_attach,
	.tx_buf = chan_tx_buf,
	.tx = sync_tx,
	.rx = chan_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};

const struct mech mech_ipcchan_rw = {
	.name = "ipcchan-rw",
	.setup = chan_setup,
	.attach = chan_attach,
	.tx_buf = chan_tx_buf,
	.tx = rw_tx,
	.rx = rw_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};

const struct mech mech_ipcchan_pair = {
	.name = "ipcchan-pair",
	.setup = pair_setup,
	.attach = chan_attach,
	.tx_buf = chan_tx_buf,
	.tx = pair_tx,
	.rx = pair_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};

const struct mech mech_ipcchan_batch = {
	.name = "ipcchan-batch",
	.batched = true,
	.setup = chan_setup,
	.attach = chan_attach,
	.tx_buf = chan_tx_buf,
	.tx = batch_tx,
	.rx = batch_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};

const struct mech mech_ipcchan_packed = {
	.name = "ipcchan-packed",
	.batched = true,
	.setup = chan_setup,
	.attach = packed_attach,
	.tx_buf = packed_tx_buf,
	.tx = packed_tx,
	.rx = packed_rx,
	.rx_done = chan_rx_done,
	.teardown = chan_teardown,
};
