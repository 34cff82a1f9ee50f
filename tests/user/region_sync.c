// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronisation inside a region between processes that are not parent
 * and child: process-shared pthread mutexes (plain and robust) and raw
 * futexes. Each process opens the region by name through its own
 * /dev/ipcchan and maps it itself, at an address of its own, so a futex
 * works only if the kernel keys it by the region's page, not by address.
 */
#include "util.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>

#define ROUNDS	20000

/* Shared through the harness, not through the region. */
struct board {
	char name[IPCCHAN_NAME_MAX];
	pid_t pid[2];
};

/* Lives in the region. */
struct counter {
	pthread_mutex_t lock;
	uint64_t count;
	uint32_t inside;
	uint32_t overlaps;
	uint64_t per[2];
};

static void *map_by_name(const char *name, size_t len, off_t off)
{
	int fd = region_get(name, RW_REGION);
	void *p = region_map(fd, len, PROT_READ | PROT_WRITE, off);

	close(fd);
	return p;
}

static void init_shared_mutex(pthread_mutex_t *m, bool robust)
{
	pthread_mutexattr_t a;

	ASSERT_EQ(pthread_mutexattr_init(&a), 0);
	ASSERT_EQ(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED), 0);
	if (robust)
		ASSERT_EQ(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST),
			  0);
	ASSERT_EQ(pthread_mutex_init(m, &a), 0);
	pthread_mutexattr_destroy(&a);
}

/* ROUNDS increments, each a read and a later write under the mutex. */
static void count_under_lock(struct counter *c, int who)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		volatile uint64_t *cnt = &c->count;
		uint64_t v;

		ASSERT_EQ(pthread_mutex_lock(&c->lock), 0);
		if (__atomic_exchange_n(&c->inside, 1, __ATOMIC_SEQ_CST))
			c->overlaps++;
		v = *cnt;
		if (i % 64 == 0)
			sched_yield();
		*cnt = v + 1;
		c->per[who]++;
		__atomic_store_n(&c->inside, 0, __ATOMIC_SEQ_CST);
		ASSERT_EQ(pthread_mutex_unlock(&c->lock), 0);
	}
}

/*
 * before: a region made by the test; sibling A maps it by name and puts a
 *         PTHREAD_PROCESS_SHARED mutex in it; sibling B maps it by name
 * after:  both increment a shared counter 20000 times under the mutex, at
 *         once: the counter is exactly 40000 and no two were ever inside
 */
TEST_TIMEOUT(pthread_mutex_siblings, 100)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync ready, go;
	struct counter *c;
	int fd = region_new(b->name, RW_REGION, 0600, 4096);
	int k;

	close(fd);
	sync_init(&ready);
	sync_init(&go);
	for (k = 0; k < 2; k++) {
		pid_t pid = xfork();

		if (pid == 0) {
			c = map_by_name(b->name, 4096, 0);
			if (k == 0)
				init_shared_mutex(&c->lock, false);
			sync_post(&ready);
			sync_wait(&go);
			ASSERT_NE(b->pid[!k], getppid());
			count_under_lock(c, k);
			child_exit();
		}
		/* Written by the parent only: the children share the board. */
		b->pid[k] = pid;
		/* B starts only once A has made the mutex. */
		sync_wait(&ready);
	}
	sync_post(&go);
	sync_post(&go);
	EXPECT_EQ(wait_exit(b->pid[0], 90000), 0);
	EXPECT_EQ(wait_exit(b->pid[1], 90000), 0);

	c = map_by_name(b->name, 4096, 0);
	EXPECT_EQ(c->per[0], ROUNDS);
	EXPECT_EQ(c->per[1], ROUNDS);
	EXPECT_EQ(c->overlaps, 0, "two processes were inside the mutex");
	ASSERT_EQ(c->count, 2 * ROUNDS);
}

/*
 * before: sibling A holds a robust process-shared mutex in the region;
 *         sibling B blocks on it
 * after:  A dies holding it: the kernel's robust-list handling marks it and
 *         wakes B through the region's futex key: B gets EOWNERDEAD, makes
 *         it consistent and can use it again
 */
TEST(robust_mutex_owner_dies)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync locked, die, b_started;
	struct counter *c;
	pid_t pid;
	int fd = region_new(b->name, RW_REGION, 0600, 4096);

	close(fd);
	sync_init(&locked);
	sync_init(&die);
	sync_init(&b_started);
	pid = xfork();
	if (pid == 0) {
		c = map_by_name(b->name, 4096, 0);
		init_shared_mutex(&c->lock, true);
		ASSERT_EQ(pthread_mutex_lock(&c->lock), 0);
		c->count = 1;
		sync_post(&locked);
		sync_wait(&die);
		_exit(0);	/* holding the mutex */
	}
	b->pid[0] = pid;
	sync_wait(&locked);
	pid = xfork();
	if (pid == 0) {
		int64_t t0;
		int ret;

		c = map_by_name(b->name, 4096, 0);
		sync_post(&b_started);
		t0 = now_ns();
		ret = pthread_mutex_lock(&c->lock);
		ASSERT_EQ(ret, EOWNERDEAD);
		woken_in_time(t0, WAIT_NS);
		EXPECT_EQ(c->count, 1);
		ASSERT_EQ(pthread_mutex_consistent(&c->lock), 0);
		c->count = 2;
		ASSERT_EQ(pthread_mutex_unlock(&c->lock), 0);
		ASSERT_EQ(pthread_mutex_lock(&c->lock), 0);
		ASSERT_EQ(pthread_mutex_unlock(&c->lock), 0);
		child_exit();
	}
	b->pid[1] = pid;
	sync_wait(&b_started);
	wait_blocked(b->pid[1], IN_FUTEX);
	sync_post(&die);
	EXPECT_EQ(wait_exit(b->pid[0], CHILD_MS), 0);
	EXPECT_EQ(wait_exit(b->pid[1], CHILD_MS), 0);
	c = map_by_name(b->name, 4096, 0);
	EXPECT_EQ(c->count, 2);
}

static long futex(uint32_t *uaddr, int op, uint32_t val,
		  const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

/*
 * before: sibling A maps the whole 2-page region and FUTEX_WAITs (shared,
 *         not FUTEX_PRIVATE_FLAG) on a word in page 1; sibling B maps only
 *         page 1, at another address
 * after:  B's FUTEX_WAKE on its address of the word wakes A (it returns 1):
 *         futex keys of region pages are the pages, shared by processes
 */
TEST(futex_wait_wake)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync mapped;
	const size_t off = 64;
	pid_t pid;
	int fd = region_new(b->name, RW_REGION, 0600, 8192);

	close(fd);
	sync_init(&mapped);
	pid = xfork();
	if (pid == 0) {
		char *p = map_by_name(b->name, 8192, 0);
		uint32_t *word = (uint32_t *)(p + 4096 + off);
		struct timespec ts = { WAIT_MS / 1000, 0 };
		int64_t t0;
		long ret;

		/* A word that differs is EAGAIN at once: the key resolves. */
		errno = 0;
		EXPECT_EQ(futex(word, FUTEX_WAIT, 1, &ts), -1);
		EXPECT_EQ(errno, EAGAIN);
		sync_post(&mapped);
		t0 = now_ns();
		ret = futex(word, FUTEX_WAIT, 0, &ts);
		ASSERT_EQ(ret, 0, "FUTEX_WAIT: %s", strerror(errno));
		woken_in_time(t0, WAIT_NS);
		EXPECT_EQ(__atomic_load_n(word, __ATOMIC_SEQ_CST), 1);
		child_exit();
	}
	b->pid[0] = pid;
	sync_wait(&mapped);
	pid = xfork();
	if (pid == 0) {
		char *p = map_by_name(b->name, 4096, 4096);
		uint32_t *word = (uint32_t *)(p + off);

		wait_blocked(b->pid[0], IN_FUTEX);
		__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
		EXPECT_EQ(futex(word, FUTEX_WAKE, 1, NULL), 1,
			  "FUTEX_WAKE woke no one: the keys differ");
		child_exit();
	}
	b->pid[1] = pid;
	EXPECT_EQ(wait_exit(b->pid[1], CHILD_MS), 0);
	EXPECT_EQ(wait_exit(b->pid[0], CHILD_MS), 0);
}

TEST_MAIN("region_sync")
