// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A zero-copy single-producer single-consumer ring of records in a region.
 * ring.h has the layout.
 *
 * Publishing. The producer fills a record in place, then stores the
 * producer index (tail) with release ordering; the consumer loads tail with
 * acquire ordering before it reads records below it. The consumer, once
 * done with a record, stores the consumer index (head) with release
 * ordering; the producer loads head with acquire ordering before it reuses
 * the space. Each index has one writer. Indices and record heads read from
 * the shared mapping are checked before use (-EPROTO), and read once.
 *
 * Sleeping. A consumer that finds the ring empty must not sleep through a
 * commit, and the producer must not make a system call per record. So the
 * consumer announces itself in the consumer-waiting flag, with a number new
 * to each announcement, and sleeps on that flag; the producer wakes the
 * region only when it takes an announcement down:
 *
 *   consumer (peek, ring empty)          producer (commit)
 *   cons_wait = g = ++gen                tail = new            (release)
 *   fence(seq_cst)                       fence(seq_cst)
 *   t = tail                             s = cons_wait
 *   if (t == head)                       if (s && cmpxchg(cons_wait, s, 0))
 *       REGION_WAIT(cons_wait == g)              REGION_WAKE
 *
 * The two fences are ordered one way or the other, so either the consumer's
 * re-check sees the new tail and it does not sleep, or the producer sees the
 * announcement, takes it down and wakes. REGION_WAIT samples the region's
 * wake count before it reads the flag: if the wake came first, so did the
 * cmpxchg, and the flag no longer holds g, so the wait returns at once, as
 * FUTEX_WAIT does. If the cmpxchg fails, the consumer has since cleared its
 * flag (it is not sleeping) or made a newer announcement, whose re-check,
 * after its fence, sees this tail; either way no wake is needed.
 *
 * Sleeping on the flag, not on the other side's index, matters: a producer
 * may take down an announcement for a tail that the consumer's re-check
 * already saw, when that was not enough (a producer waiting for room often
 * needs more than one release); the consumer must then still sleep, and
 * only the flag tells it that its announcement is gone. New numbers keep a
 * delayed producer from taking down a later announcement than the one it
 * saw. The consumer clears its own flag when it stops waiting with a record
 * in hand; after -EAGAIN it leaves it up.
 *
 * The same holds with the roles swapped for a producer waiting for room, on
 * head and the producer-waiting flag. A nonblocking call goes through the
 * same steps with IPCCHAN_XFER_NONBLOCK, which also acknowledges the fd's
 * pending wake, so a poller is woken by the next commit (or release) after
 * it found nothing.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "internal.h"
#include "ring.h"

_Static_assert(__atomic_always_lock_free(sizeof(uint64_t), 0) &&
	       sizeof(_Atomic uint64_t) == sizeof(uint64_t) &&
	       sizeof(_Atomic uint32_t) == sizeof(uint32_t),
	       "the indices are shared between processes: lock-free atomics");

/* Polls of the other side's index before a blocking call sleeps. */
#define RING_SPIN		64

#define NSEC_PER_SEC		1000000000LL

struct ipcchan_ring {
	int fd;
	unsigned int role;		/* IPCCHAN_ROLE_*, or 0 */
	void *map;
	size_t map_len;
	unsigned char *data;
	uint64_t data_size;
	uint64_t mask;			/* data_size - 1 */
	size_t max_record;
	_Atomic uint64_t *prod;		/* tail */
	_Atomic uint64_t *cons;		/* head */
	_Atomic uint32_t *prod_wait;
	_Atomic uint32_t *cons_wait;
	uint64_t prod_wait_off;		/* region offsets of the two flags, */
	uint64_t cons_wait_off;		/* to sleep on */
	uint64_t mine;			/* this side's index, as published */
	uint64_t peer;			/* the other side's, as last seen */
	uint32_t wait_gen;		/* this side's last announcement */
	uint64_t pending;		/* bytes of the reserved or peeked
					 * record, 0 if none */
};

struct ring_wait {
	unsigned int flags;		/* IPCCHAN_XFER_NONBLOCK or 0 */
	int64_t timeout_ns;		/* or IPCCHAN_WAIT_FOREVER */
	int64_t deadline;		/* CLOCK_MONOTONIC, from the first sleep */
	bool started;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static uint64_t record_size(uint64_t len)
{
	return sizeof(struct ring_record) +
	       ((len + RING_ALIGN - 1) & ~(uint64_t)(RING_ALIGN - 1));
}

static int wait_init(struct ring_wait *w, unsigned int flags,
		     int64_t timeout_ns)
{
	if (flags & ~IPCCHAN_XFER_NONBLOCK)
		return -EINVAL;
	if (timeout_ns < 0 && timeout_ns != IPCCHAN_WAIT_FOREVER)
		return -EINVAL;
	*w = (struct ring_wait){ .flags = flags, .timeout_ns = timeout_ns };
	return 0;
}

static bool may_spin(const struct ring_wait *w, unsigned int *spins)
{
	if (w->flags & IPCCHAN_XFER_NONBLOCK || *spins >= RING_SPIN)
		return false;
	(*spins)++;
	cpu_relax();
	return true;
}

/*
 * Sleeps while this side's flag, at region offset @off, still holds its
 * announcement, until a wake. 0 means "look again".
 */
static int ring_sleep(const struct ipcchan_ring *r, uint64_t off,
		      struct ring_wait *w)
{
	int64_t left = IPCCHAN_WAIT_FOREVER;

	if (w->flags & IPCCHAN_XFER_NONBLOCK)
		return ipcchan_region_wait(r->fd, off, r->wait_gen,
					   IPCCHAN_XFER_NONBLOCK, left);
	if (w->timeout_ns >= 0) {
		int64_t now = now_ns();

		if (!w->started) {
			w->started = true;
			w->deadline = w->timeout_ns > INT64_MAX - now ?
				      INT64_MAX : now + w->timeout_ns;
		}
		left = w->deadline > now ? w->deadline - now : 0;
	}
	return ipcchan_region_wait(r->fd, off, r->wait_gen, 0, left);
}

/*
 * Moves this side's index to @to, then wakes the other side if it waits:
 * the right-hand column of the diagram at the top.
 */
static int advance(struct ipcchan_ring *r, _Atomic uint64_t *idx,
		   _Atomic uint32_t *peer_wait, uint64_t to)
{
	uint32_t seen;

	r->mine = to;
	atomic_store_explicit(idx, to, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	seen = atomic_load_explicit(peer_wait, memory_order_relaxed);
	if (!seen ||
	    !atomic_compare_exchange_strong_explicit(peer_wait, &seen, 0,
						     memory_order_relaxed,
						     memory_order_relaxed))
		return 0;
	return ipcchan_region_wake(r->fd);
}

/* Says that this side is about to sleep: the left-hand column. */
static void announce(struct ipcchan_ring *r, _Atomic uint32_t *my_wait)
{
	if (!++r->wait_gen)
		++r->wait_gen;
	atomic_store_explicit(my_wait, r->wait_gen, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
}

/* Producer: the other side's index, checked, or -EPROTO. */
static int load_head(struct ipcchan_ring *r)
{
	uint64_t head = atomic_load_explicit(r->cons, memory_order_acquire);

	if (head % RING_ALIGN || r->mine - head > r->data_size)
		return -EPROTO;
	r->peer = head;
	return 0;
}

/* Consumer: likewise. */
static int load_tail(struct ipcchan_ring *r)
{
	uint64_t tail = atomic_load_explicit(r->prod, memory_order_acquire);

	if (tail % RING_ALIGN || tail - r->mine > r->data_size)
		return -EPROTO;
	r->peer = tail;
	return 0;
}

static bool has_room(const struct ipcchan_ring *r, uint64_t need)
{
	return r->data_size - (r->mine - r->peer) >= need;
}

/* Producer: waits until @need bytes past tail are free. */
static int wait_room(struct ipcchan_ring *r, uint64_t need,
		     struct ring_wait *w)
{
	unsigned int spins = 0;
	bool announced = false;
	int ret;

	if (has_room(r, need))
		return 0;
	for (;;) {
		ret = load_head(r);
		if (ret || has_room(r, need))
			break;
		if (may_spin(w, &spins))
			continue;
		announce(r, r->prod_wait);
		announced = true;
		ret = load_head(r);
		if (ret || has_room(r, need))
			break;
		ret = ring_sleep(r, r->prod_wait_off, w);
		if (ret)
			return ret;
	}
	if (announced && !ret)
		atomic_store_explicit(r->prod_wait, 0, memory_order_relaxed);
	return ret;
}

/*
 * Consumer: waits until tail has moved past head. When the producer is
 * gone, what it published before is still delivered, and -EPIPE only comes
 * once the ring is empty.
 */
static int wait_data(struct ipcchan_ring *r, struct ring_wait *w)
{
	unsigned int spins = 0;
	bool announced = false;
	int ret;

	for (;;) {
		ret = load_tail(r);
		if (ret || r->peer != r->mine)
			break;
		if (may_spin(w, &spins))
			continue;
		announce(r, r->cons_wait);
		announced = true;
		ret = load_tail(r);
		if (ret || r->peer != r->mine)
			break;
		ret = ring_sleep(r, r->cons_wait_off, w);
		if (ret == -EPIPE) {
			ret = load_tail(r);
			if (ret || r->peer != r->mine)
				break;
			return -EPIPE;
		}
		if (ret)
			return ret;
	}
	if (announced && !ret)
		atomic_store_explicit(r->cons_wait, 0, memory_order_relaxed);
	return ret;
}

/*
 * Producer: no record wraps, so the rest of this lap becomes padding. It is
 * published at once, so that the consumer skips it and frees the start of
 * the data area, where the next record goes.
 */
static int pad_lap(struct ipcchan_ring *r, struct ring_wait *w)
{
	uint64_t pos = r->mine & r->mask;
	uint64_t pad = r->data_size - pos;
	volatile struct ring_record *rec;
	int ret;

	ret = wait_room(r, pad, w);
	if (ret)
		return ret;
	rec = (volatile struct ring_record *)(r->data + pos);
	rec->len = pad - sizeof(struct ring_record);
	rec->flags = RING_REC_PAD;
	return advance(r, r->prod, r->cons_wait, r->mine + pad);
}

int ipcchan_ring_reserve(struct ipcchan_ring *r, size_t len, void **buf,
			 unsigned int flags, int64_t timeout_ns)
{
	volatile struct ring_record *rec;
	struct ring_wait w;
	uint64_t size, pos;
	int ret;

	if (!r || !buf)
		return -EFAULT;
	if (r->role != IPCCHAN_ROLE_PRODUCER)
		return -EBADF;
	if (r->pending)
		return -EBUSY;
	ret = wait_init(&w, flags, timeout_ns);
	if (ret)
		return ret;
	if (len > r->max_record)
		return -EMSGSIZE;
	size = record_size(len);
	pos = r->mine & r->mask;
	if (size > r->data_size - pos) {
		ret = pad_lap(r, &w);
		if (ret)
			return ret;
		pos = 0;
	}
	ret = wait_room(r, size, &w);
	if (ret)
		return ret;
	rec = (volatile struct ring_record *)(r->data + pos);
	rec->len = len;
	rec->flags = 0;
	r->pending = size;
	*buf = r->data + pos + sizeof(struct ring_record);
	return 0;
}

int ipcchan_ring_commit(struct ipcchan_ring *r)
{
	uint64_t size;

	if (!r)
		return -EFAULT;
	if (r->role != IPCCHAN_ROLE_PRODUCER)
		return -EBADF;
	if (!r->pending)
		return -EINVAL;
	size = r->pending;
	r->pending = 0;
	return advance(r, r->prod, r->cons_wait, r->mine + size);
}

ssize_t ipcchan_ring_peek(struct ipcchan_ring *r, const void **buf,
			  unsigned int flags, int64_t timeout_ns)
{
	struct ring_wait w;
	int ret;

	if (!r || !buf)
		return -EFAULT;
	if (r->role != IPCCHAN_ROLE_CONSUMER)
		return -EBADF;
	ret = wait_init(&w, flags, timeout_ns);
	if (ret)
		return ret;
	for (;;) {
		struct ring_record rec;
		uint64_t pos, size, avail;

		if (r->peer == r->mine) {
			ret = wait_data(r, &w);
			if (ret)
				return ret;
		}
		pos = r->mine & r->mask;
		avail = r->peer - r->mine;
		/* Once, into our own copy: the producer may write there. */
		rec = *(volatile struct ring_record *)(r->data + pos);
		if (rec.flags == RING_REC_PAD) {
			size = r->data_size - pos;
			if (size > avail)
				return -EPROTO;
			ret = advance(r, r->cons, r->prod_wait, r->mine + size);
			if (ret)
				return ret;
			continue;
		}
		size = record_size(rec.len);
		if (rec.flags || rec.len > r->max_record || size > avail ||
		    size > r->data_size - pos)
			return -EPROTO;
		r->pending = size;
		*buf = r->data + pos + sizeof(struct ring_record);
		return rec.len;
	}
}

int ipcchan_ring_release(struct ipcchan_ring *r)
{
	uint64_t size;

	if (!r)
		return -EFAULT;
	if (r->role != IPCCHAN_ROLE_CONSUMER)
		return -EBADF;
	if (!r->pending)
		return -EINVAL;
	size = r->pending;
	r->pending = 0;
	return advance(r, r->cons, r->prod_wait, r->mine + size);
}

int ipcchan_ring_send(struct ipcchan_ring *r, const void *buf, size_t len,
		      unsigned int flags, int64_t timeout_ns)
{
	void *p;
	int ret;

	if (len && !buf)
		return -EFAULT;
	ret = ipcchan_ring_reserve(r, len, &p, flags, timeout_ns);
	if (ret)
		return ret;
	if (len)
		memcpy(p, buf, len);
	return ipcchan_ring_commit(r);
}

ssize_t ipcchan_ring_recv(struct ipcchan_ring *r, void *buf, size_t cap,
			  unsigned int flags, int64_t timeout_ns)
{
	const void *p;
	ssize_t len;
	int ret;

	len = ipcchan_ring_peek(r, &p, flags, timeout_ns);
	if (len < 0)
		return len;
	/* As with channels, a record too long for @buf stays at the head. */
	if ((size_t)len > cap)
		return -EMSGSIZE;
	if (len && !buf)
		return -EFAULT;
	if (len)
		memcpy(buf, p, len);
	ret = ipcchan_ring_release(r);
	return ret ? ret : len;
}

int ipcchan_ring_fd(const struct ipcchan_ring *r)
{
	return r ? r->fd : -EBADF;
}

size_t ipcchan_ring_max_record(const struct ipcchan_ring *r)
{
	return r ? r->max_record : 0;
}

/* ----- creating and opening ----- */

static bool valid_role(unsigned int role)
{
	return !role || role == IPCCHAN_ROLE_PRODUCER ||
	       role == IPCCHAN_ROLE_CONSUMER;
}

/* The __u32 or __u64 at @off lies between the header and the data. */
static bool word_ok(const struct ipcchan_ring_header *h, uint64_t off,
		    uint64_t size)
{
	return !(off % size) && off >= h->header_size &&
	       off <= h->data_offset && size <= h->data_offset - off;
}

/*
 * Checks the header copied from a mapping of @map_len bytes. A foreign or
 * newer ring is -EPROTO; an inconsistent layout is -EINVAL.
 */
static int check_header(const struct ipcchan_ring_header *h, size_t map_len)
{
	const struct {
		uint64_t off, size;
	} words[] = {
		{ h->prod_offset, sizeof(uint64_t) },
		{ h->cons_offset, sizeof(uint64_t) },
		{ h->prod_wait_offset, sizeof(uint32_t) },
		{ h->cons_wait_offset, sizeof(uint32_t) },
	};
	size_t i, j, n = sizeof(words) / sizeof(words[0]);

	if (h->magic != RING_MAGIC || h->version != RING_VERSION || h->flags)
		return -EPROTO;
	if (h->header_size < sizeof(*h) || h->header_size > h->data_offset ||
	    h->data_offset % RING_ALIGN || h->data_offset > map_len ||
	    h->data_size > map_len - h->data_offset ||
	    h->data_size < 2 * sizeof(struct ring_record) ||
	    h->data_size & (h->data_size - 1))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!word_ok(h, words[i].off, words[i].size))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			if (words[i].off < words[j].off + words[j].size &&
			    words[j].off < words[i].off + words[i].size)
				return -EINVAL;
		}
	}
	return 0;
}

/* Reads the layout from the header at the start of r->map. */
static int ring_layout(struct ipcchan_ring *r)
{
	const struct ipcchan_ring_header *shared = r->map;
	struct ipcchan_ring_header h;
	unsigned char *base = r->map;
	int ret;

	if (r->map_len < sizeof(h))
		return -EINVAL;
	/* Pairs with the release store of the creator: the magic is last. */
	if (atomic_load_explicit((_Atomic uint32_t *)&shared->magic,
				 memory_order_acquire) != RING_MAGIC)
		return -EPROTO;
	h = *(const volatile struct ipcchan_ring_header *)shared;
	ret = check_header(&h, r->map_len);
	if (ret)
		return ret;

	r->data = base + h.data_offset;
	r->data_size = h.data_size;
	r->mask = h.data_size - 1;
	r->max_record = h.data_size - sizeof(struct ring_record);
	if (r->max_record > UINT32_MAX)
		r->max_record = UINT32_MAX;
	if (r->max_record > SSIZE_MAX)
		r->max_record = SSIZE_MAX;
	r->prod = (_Atomic uint64_t *)(base + h.prod_offset);
	r->cons = (_Atomic uint64_t *)(base + h.cons_offset);
	r->prod_wait = (_Atomic uint32_t *)(base + h.prod_wait_offset);
	r->cons_wait = (_Atomic uint32_t *)(base + h.cons_wait_offset);
	r->prod_wait_off = h.prod_wait_offset;
	r->cons_wait_off = h.cons_wait_offset;
	return 0;
}

/* Picks up the indices as the previous users left them. */
static int ring_indices(struct ipcchan_ring *r)
{
	uint64_t tail = atomic_load_explicit(r->prod, memory_order_acquire);
	uint64_t head = atomic_load_explicit(r->cons, memory_order_acquire);

	if (tail % RING_ALIGN || head % RING_ALIGN ||
	    tail - head > r->data_size)
		return -EPROTO;
	r->mine = r->role == IPCCHAN_ROLE_PRODUCER ? tail : head;
	r->peer = r->role == IPCCHAN_ROLE_PRODUCER ? head : tail;
	/* Go on from the last announcement a previous user of this side made. */
	r->wait_gen = atomic_load_explicit(r->role == IPCCHAN_ROLE_PRODUCER ?
					   r->prod_wait : r->cons_wait,
					   memory_order_relaxed);
	return 0;
}

int ipcchan_ring_from_fd(int regionfd, unsigned int role,
			 struct ipcchan_ring **ring)
{
	struct ipcchan_ring *r;
	int ret;

	if (!ring)
		return -EFAULT;
	if (!valid_role(role))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = regionfd;
	r->role = role;
	ret = ipcchan_region_map(regionfd, PROT_READ | PROT_WRITE, &r->map,
				 &r->map_len);
	if (ret)
		goto err_free;
	ret = ring_layout(r);
	if (ret)
		goto err_unmap;
	ret = ring_indices(r);
	if (ret)
		goto err_unmap;
	/*
	 * Last: once attached, closing the fd tells the other side that its
	 * peer is gone, which a failed open must not do.
	 */
	if (role) {
		ret = ipcchan_region_attach(regionfd, role);
		if (ret)
			goto err_unmap;
	}
	*ring = r;
	return 0;

err_unmap:
	munmap(r->map, r->map_len);
err_free:
	free(r);
	return ret;
}

int ipcchan_ring_open(int devfd, const char *name, unsigned int role,
		      struct ipcchan_ring **ring)
{
	int fd, ret;

	if (!ring)
		return -EFAULT;
	if (!valid_role(role))
		return -EINVAL;
	fd = ipcchan_region_open(devfd, name, IPCCHAN_REGION_READ |
				 IPCCHAN_REGION_WRITE | IPCCHAN_OPEN_CLOEXEC,
				 0, 0);
	if (fd < 0)
		return fd;
	ret = ipcchan_ring_from_fd(fd, role, ring);
	if (ret)
		close(fd);
	return ret;
}

/* Writes the header of a new ring with a @capacity byte data area. */
static int ring_init(int fd, uint64_t capacity)
{
	struct ipcchan_ring_header *h;
	void *map;
	size_t len;
	int ret;

	ret = ipcchan_region_map(fd, PROT_READ | PROT_WRITE, &map, &len);
	if (ret)
		return ret;
	if (len < RING_DATA_OFFSET + capacity) {
		munmap(map, len);
		return -EINVAL;
	}
	/* The region is zero-filled: both indices and both flags are 0. */
	h = map;
	h->version = RING_VERSION;
	h->header_size = sizeof(*h);
	h->flags = 0;
	h->data_offset = RING_DATA_OFFSET;
	h->data_size = capacity;
	h->prod_offset = RING_PROD_OFFSET;
	h->cons_offset = RING_CONS_OFFSET;
	h->prod_wait_offset = RING_PROD_WAIT_OFFSET;
	h->cons_wait_offset = RING_CONS_WAIT_OFFSET;
	atomic_store_explicit((_Atomic uint32_t *)&h->magic, RING_MAGIC,
			      memory_order_release);
	return ipcchan_region_unmap(map, len);
}

int ipcchan_ring_create(int devfd, const char *name, size_t capacity,
			uint32_t mode, unsigned int role,
			struct ipcchan_ring **ring)
{
	int fd, ret;

	if (!ring)
		return -EFAULT;
	if (!valid_role(role) || capacity < RING_MIN_CAPACITY ||
	    capacity > RING_MAX_CAPACITY || capacity & (capacity - 1))
		return -EINVAL;
	fd = ipcchan_region_open(devfd, name, IPCCHAN_REGION_READ |
				 IPCCHAN_REGION_WRITE | IPCCHAN_OPEN_CREATE |
				 IPCCHAN_OPEN_EXCL | IPCCHAN_OPEN_CLOEXEC,
				 mode, RING_DATA_OFFSET + (uint64_t)capacity);
	if (fd < 0)
		return fd;
	ret = ring_init(fd, capacity);
	if (ret)
		goto err_unlink;
	ret = ipcchan_ring_from_fd(fd, role, ring);
	if (ret)
		goto err_unlink;
	return 0;

err_unlink:
	close(fd);
	ipcchan_region_unlink(devfd, name);
	return ret;
}

void ipcchan_ring_close(struct ipcchan_ring *r)
{
	if (!r)
		return;
	munmap(r->map, r->map_len);
	close(r->fd);
	free(r);
}
