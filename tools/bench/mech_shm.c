// SPDX-License-Identifier: GPL-2.0
/*
 * Shared-memory rings without ipcchan: "eventfd-shm" sleeps on an eventfd
 * when there is nothing to do, "shm-spin" busy-polls (the floor). One ring
 * per direction in an anonymous MAP_SHARED mapping: params.depth slots of
 * params.size bytes, a producer index (tail) and a consumer index (head),
 * each written by one side. Messages are filled and read in place.
 *
 * eventfd-shm wakes a side only when it said it sleeps: a side with
 * nothing to do raises its waiting flag, re-checks, and reads its eventfd;
 * the other side, after it moves its index, takes a raised flag down and
 * writes the eventfd. Both put a full fence between their store and their
 * load, so either the re-check sees the new index or the mover sees the
 * flag. An eventfd counts, so a write before the read is not lost, and a
 * left-over count only costs one more turn of the loop.
 *
 * shm-spin on one CPU yields (sched_yield) instead of spinning, or every
 * hand-over would cost a whole time slice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "bench.h"

struct shm_ring {
	_Atomic uint64_t tail;
	char pad0[56];
	_Atomic uint64_t head;
	char pad1[56];
	_Atomic uint32_t cons_waiting;
	char pad2[60];
	_Atomic uint32_t prod_waiting;
	char pad3[60];
	unsigned char data[];
};

struct link {
	struct link_params p;
	bool spin;
	bool yield;
	struct shm_ring *ring[2];
	size_t ring_len;
	int data_efd[2];	/* written for the consumer of a direction */
	int room_efd[2];	/* written for its producer */
	int side;
};

static int shm_setup_common(struct link **lp, const struct link_params *p,
			    bool spin)
{
	struct link *l = xcalloc(1, sizeof(*l));
	int d;

	l->p = *p;
	l->spin = spin;
	l->yield = sysconf(_SC_NPROCESSORS_ONLN) < 2 || !opts.pin;
	l->ring_len = sizeof(struct shm_ring) + (size_t)p->depth * p->size;
	for (d = 0; d < 2; d++)
		l->data_efd[d] = l->room_efd[d] = -1;
	*lp = l;
	for (d = 0; d < (p->pingpong ? 2 : 1); d++) {
		l->ring[d] = shared_alloc(l->ring_len);
		if (!l->ring[d])
			return -ENOMEM;
		if (spin)
			continue;
		l->data_efd[d] = eventfd(0, EFD_CLOEXEC);
		l->room_efd[d] = eventfd(0, EFD_CLOEXEC);
		if (l->data_efd[d] < 0 || l->room_efd[d] < 0)
			return -errno;
	}
	return 0;
}

static int efd_setup(struct link **lp, const struct link_params *p)
{
	return shm_setup_common(lp, p, false);
}

static int spin_setup(struct link **lp, const struct link_params *p)
{
	return shm_setup_common(lp, p, true);
}

static int shm_attach(struct link *l, int side)
{
	l->side = side;
	return 0;
}

static void relax(const struct link *l)
{
	if (l->yield)
		sched_yield();
	else
		__builtin_ia32_pause();
}

/*
 * Waits until @ready(@r, @arg) holds, sleeping on @efd with @flag raised
 * (eventfd-shm) or polling (shm-spin).
 */
static int wait_for(struct link *l, struct shm_ring *r,
		    bool (*ready)(struct shm_ring *r, uint64_t arg),
		    uint64_t arg, _Atomic uint32_t *flag, int efd)
{
	uint64_t v;

	while (!ready(r, arg)) {
		if (l->spin) {
			relax(l);
			continue;
		}
		atomic_store(flag, 1);
		atomic_thread_fence(memory_order_seq_cst);
		if (ready(r, arg)) {
			atomic_store(flag, 0);
			break;
		}
		if (read(efd, &v, sizeof(v)) < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

/* Wakes the other side if it raised @flag. */
static int notify(struct link *l, _Atomic uint32_t *flag, int efd)
{
	uint64_t one = 1;

	if (l->spin)
		return 0;
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load(flag) && atomic_exchange(flag, 0) &&
	    write(efd, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

static bool has_room(struct shm_ring *r, uint64_t depth)
{
	return atomic_load_explicit(&r->tail, memory_order_relaxed) -
	       atomic_load_explicit(&r->head, memory_order_acquire) < depth;
}

static bool has_data(struct shm_ring *r, uint64_t unused)
{
	return atomic_load_explicit(&r->tail, memory_order_acquire) !=
	       atomic_load_explicit(&r->head, memory_order_relaxed);
}

static unsigned char *slot(const struct link *l, struct shm_ring *r,
			   uint64_t idx)
{
	return r->data + (idx % l->p.depth) * l->p.size;
}

static void *shm_tx_buf(struct link *l, unsigned int i)
{
	int d = l->side;
	struct shm_ring *r = l->ring[d];

	if (wait_for(l, r, has_room, l->p.depth, &r->prod_waiting,
		     l->room_efd[d]))
		return NULL;
	return slot(l, r, atomic_load_explicit(&r->tail,
					       memory_order_relaxed));
}

static int shm_tx(struct link *l, unsigned int n)
{
	int d = l->side;
	struct shm_ring *r = l->ring[d];

	atomic_fetch_add_explicit(&r->tail, 1, memory_order_release);
	return notify(l, &r->cons_waiting, l->data_efd[d]);
}

static int shm_rx(struct link *l, unsigned int n, const void **bufs)
{
	int d = !l->side;
	struct shm_ring *r = l->ring[d];
	int ret;

	ret = wait_for(l, r, has_data, 0, &r->cons_waiting, l->data_efd[d]);
	if (ret)
		return ret;
	bufs[0] = slot(l, r, atomic_load_explicit(&r->head,
						  memory_order_relaxed));
	return 1;
}

static int shm_rx_done(struct link *l, unsigned int n)
{
	int d = !l->side;
	struct shm_ring *r = l->ring[d];

	atomic_fetch_add_explicit(&r->head, 1, memory_order_release);
	return notify(l, &r->prod_waiting, l->room_efd[d]);
}

static void shm_teardown(struct link *l)
{
	int d;

	for (d = 0; d < 2; d++) {
		shared_free(l->ring[d], l->ring_len);
		if (l->data_efd[d] >= 0)
			close(l->data_efd[d]);
		if (l->room_efd[d] >= 0)
			close(l->room_efd[d]);
	}
	free(l);
}

const struct mech mech_eventfd_shm = {
	.name = "eventfd-shm",
	.setup = efd_setup,
	.attach = shm_attach,
	.tx_buf = shm_tx_buf,
	.tx = shm_tx,
	.rx = shm_rx,
	.rx_done = shm_rx_done,
	.teardown = shm_teardown,
};

const struct mech mech_shm_spin = {
	.name = "shm-spin",
	.setup = spin_setup,
	.attach = shm_attach,
	.tx_buf = shm_tx_buf,
	.tx = shm_tx,
	.rx = shm_rx,
	.rx_done = shm_rx_done,
	.teardown = shm_teardown,
};
