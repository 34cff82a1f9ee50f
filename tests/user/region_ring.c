// SPDX-License-Identifier: GPL-2.0
/*
 * The library's zero-copy single-producer single-consumer ring in a region:
 * records of every size arrive in order and intact across wraparound
 * between unrelated processes; reserve and peek hand out pointers into the
 * shared mapping itself; the record size limit; a peer that dies or exits
 * (-EPIPE, never a hang); nonblocking and timed calls; the ring fd in an
 * epoll loop; a ring handed over as a region handle in a channel message;
 * and regions that are not rings.
 */
#include "util.h"

#include <sys/epoll.h>

#define PROD	IPCCHAN_ROLE_PRODUCER
#define CONS	IPCCHAN_ROLE_CONSUMER

/* Shared between the processes of a test. */
struct board {
	char name[IPCCHAN_NAME_MAX];
	uint64_t sum[2];
	uint64_t bytes;
	size_t max_record;
};

static struct ipcchan_ring *u_ring_new(char *name, size_t cap,
				       unsigned int role)
{
	struct ipcchan_ring *r = NULL;
	int ret;

	new_name(name);
	ret = ipcchan_ring_create(IPCCHAN_DEV_AUTO, name, cap, 0600, role, &r);
	ASSERT_EQ(ret, 0, "creating ring %s of %zu bytes", name, cap);
	ASSERT_TRUE(r != NULL);
	return r;
}

static struct ipcchan_ring *u_ring_get(const char *name, unsigned int role)
{
	struct ipcchan_ring *r = NULL;

	ASSERT_EQ(ipcchan_ring_open(IPCCHAN_DEV_AUTO, name, role, &r), 0,
		  "opening ring %s", name);
	ASSERT_TRUE(r != NULL);
	return r;
}

#define ring_new(...)	(HARNESS_AT(), u_ring_new(__VA_ARGS__))
#define ring_get(...)	(HARNESS_AT(), u_ring_get(__VA_ARGS__))

/* The length of record @i: 1 to 2048 (or @max), @max itself now and then. */
static size_t rec_len(unsigned int i, size_t max)
{
	size_t most = max < 2048 ? max : 2048;

	if (i % 101 == 100)
		return max;
	return 1 + ((i * 2654435761u) >> 7) % most;
}

static uint64_t fnv(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

#define FNV0	0xcbf29ce484222325ULL

static void u_send_rec(struct ipcchan_ring *r, const void *buf, size_t len)
{
	int64_t t0 = now_ns();

	ASSERT_EQ(ipcchan_ring_send(r, buf, len, 0, WAIT_NS), 0);
	woken_in_time(t0, WAIT_NS);
}

#define send_rec(...)	(HARNESS_AT(), u_send_rec(__VA_ARGS__))

#define RECORDS		3000
#define RING_CAP	8192

/* Producer: RECORDS records, half in place, half copied. */
static void produce(struct board *b, struct ipcchan_ring *r)
{
	size_t max = b->max_record = ipcchan_ring_max_record(r);
	unsigned char *tmp = malloc(max);
	uint64_t sum = FNV0;
	unsigned int i;

	ASSERT_TRUE(tmp != NULL);
	for (i = 0; i < RECORDS; i++) {
		size_t len = rec_len(i, max);

		if (i % 2) {
			void *buf;
			int64_t t0 = now_ns();

			ASSERT_EQ(ipcchan_ring_reserve(r, len, &buf, 0,
						       WAIT_NS), 0,
				  "record %u of %zu bytes", i, len);
			woken_in_time(t0, WAIT_NS);
			fill_pattern(buf, len, i);
			sum = fnv(sum, buf, len);
			ASSERT_EQ(ipcchan_ring_commit(r), 0);
		} else {
			fill_pattern(tmp, len, i);
			sum = fnv(sum, tmp, len);
			send_rec(r, tmp, len);
		}
		b->bytes += len;
	}
	b->sum[0] = sum;
	free(tmp);
}

/* Consumer: checks every record, in order, then sees the producer gone. */
static void consume(struct board *b, struct ipcchan_ring *r)
{
	size_t max = ipcchan_ring_max_record(r);
	unsigned char *want = malloc(max), *got = malloc(max);
	uint64_t sum = FNV0;
	unsigned int i;
	ssize_t n;

	ASSERT_TRUE(want && got);
	for (i = 0; i < RECORDS; i++) {
		size_t len = rec_len(i, max);
		int64_t t0 = now_ns();

		fill_pattern(want, len, i);
		if (i % 3) {
			const void *p;

			n = ipcchan_ring_peek(r, &p, 0, WAIT_NS);
			ASSERT_EQ(n, (ssize_t)len, "record %u", i);
			woken_in_time(t0, WAIT_NS);
			ASSERT_MEMEQ(p, want, len, "record %u", i);
			sum = fnv(sum, p, len);
			ASSERT_EQ(ipcchan_ring_release(r), 0);
		} else {
			n = ipcchan_ring_recv(r, got, max, 0, WAIT_NS);
			ASSERT_EQ(n, (ssize_t)len, "record %u", i);
			woken_in_time(t0, WAIT_NS);
			ASSERT_MEMEQ(got, want, len, "record %u", i);
			sum = fnv(sum, got, len);
		}
	}
	b->sum[1] = sum;
	/* The producer exits after its last record: then -EPIPE. */
	{
		const void *p;
		int64_t t0 = now_ns();

		EXPECT_EQ(ipcchan_ring_peek(r, &p, 0, WAIT_NS), -EPIPE);
		woken_in_time(t0, WAIT_NS);
	}
	free(want);
	free(got);
}

/*
 * before: sibling P creates a ring of 8 KiB as producer; sibling C opens it
 *         by name as consumer
 * after:  3000 records of 1 byte to max_record bytes (a ring's worth every
 *         101st), written in place or copied, arrive in order and intact
 *         (every byte, and a checksum of the stream), many times around the
 *         ring; then P exits and C gets -EPIPE
 */
TEST_TIMEOUT(in_order_intact, 100)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync created;
	int64_t t0 = now_ns();
	pid_t p, c;

	sync_init(&created);
	p = xfork();
	if (p == 0) {
		struct ipcchan_ring *r = ring_new(b->name, RING_CAP, PROD);

		sync_post(&created);
		produce(b, r);
		child_exit();
	}
	sync_wait(&created);
	c = xfork();
	if (c == 0) {
		struct ipcchan_ring *r = ring_get(b->name, CONS);

		ASSERT_NE(getppid(), p);
		consume(b, r);
		ipcchan_ring_close(r);
		child_exit();
	}
	EXPECT_EQ(wait_exit(p, 90000), 0, "producer");
	EXPECT_EQ(wait_exit(c, 90000), 0, "consumer");
	TH_LOG("%llu bytes in %d records through a ring of %d, max record "
	       "%zu, in %lld ms", (unsigned long long)b->bytes, RECORDS,
	       RING_CAP, b->max_record,
	       (long long)((now_ns() - t0) / NS_PER_MS));
	EXPECT_GT(b->bytes, 10 * RING_CAP, "not enough to wrap around");
	EXPECT_EQ(b->sum[0], b->sum[1]);
}

/* The path of the mapping that holds @addr in /proc/self/maps, and its
 * permissions ("rw-s"). Returns false if no mapping holds it. */
static bool mapping_of(const void *addr, char *path, size_t plen,
		       char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	bool found = false;

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		int off = 0;

		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &lo, &hi, perms,
			   &off) < 3)
			continue;
		if ((uintptr_t)addr < lo || (uintptr_t)addr >= hi)
			continue;
		snprintf(path, plen, "%s", off ? line + off : "");
		path[strcspn(path, "\n")] = 0;
		found = true;
		break;
	}
	fclose(f);
	return found;
}

/* How /proc/PID/maps names a mapping of a region: its shmem file. */
#define REGION_MAP_PATH	"/ipcchan-region (deleted)"

/* Where @pat (of @len bytes) is in @hay, or -1; fails if twice. */
static ssize_t find_once(const unsigned char *hay, size_t hlen,
			 const unsigned char *pat, size_t len)
{
	ssize_t at = -1;
	size_t i;

	for (i = 0; i + len <= hlen; i++) {
		if (memcmp(hay + i, pat, len))
			continue;
		ASSERT_EQ(at, -1, "the pattern is in the region twice");
		at = i;
	}
	return at;
}

/*
 * before: a ring (producer and consumer here), and a separate read-write
 *         mapping of its region through a fd of its own
 * after:  the pointer from reserve is in a shared mapping of the region's
 *         memory (its shmem file, by name), and bytes written there show in the other mapping before
 *         the commit: in place, no copy; the pointer from peek is in a
 *         mapping of the region too, and sees a change made through the
 *         other mapping: no copy on that side either
 */
TEST(zero_copy_in_place)
{
	char name[IPCCHAN_NAME_MAX], path[256], want[256], perms[5];
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	struct ipcchan_ring *c = ring_get(name, CONS);
	int fd = region_get(name, RW_REGION);
	unsigned char pat[64];
	unsigned char *base;
	const unsigned char *q;
	void *buf, *vbase;
	size_t len, i;
	ssize_t at;

	ASSERT_EQ(ipcchan_region_map(fd, PROT_READ | PROT_WRITE, &vbase, &len),
		  0);
	base = vbase;
	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (unsigned char)(0xc3 ^ (i * 37) ^ (getpid() >> 3));

	ASSERT_EQ(ipcchan_ring_reserve(p, sizeof(pat), &buf,
				       IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), 0);
	snprintf(want, sizeof(want), "%s", REGION_MAP_PATH);
	ASSERT_TRUE(mapping_of(buf, path, sizeof(path), perms),
		    "reserve's pointer %p is in no mapping", buf);
	TH_LOG("reserve's pointer is in \"%s\" (%s)", path, perms);
	EXPECT_EQ(perms[3], 's', "not a shared mapping");
	EXPECT_STREQ(path, want, "not a mapping of the region");
	EXPECT_TRUE((uintptr_t)buf < (uintptr_t)base ||
		    (uintptr_t)buf >= (uintptr_t)base + len);

	memcpy(buf, pat, sizeof(pat));
	at = find_once(base, len, pat, sizeof(pat));
	ASSERT_GE(at, 0, "bytes written at reserve's pointer are not in the "
		  "region before the commit: not in place");
	((unsigned char *)buf)[0] ^= 0xff;
	EXPECT_EQ(base[at], pat[0] ^ 0xff, "the two mappings differ");
	((unsigned char *)buf)[0] ^= 0xff;
	ASSERT_EQ(ipcchan_ring_commit(p), 0);

	ASSERT_EQ(ipcchan_ring_peek(c, (const void **)&q,
				    IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), (ssize_t)sizeof(pat));
	EXPECT_MEMEQ(q, pat, sizeof(pat));
	ASSERT_TRUE(mapping_of(q, path, sizeof(path), perms),
		    "peek's pointer %p is in no mapping", (void *)q);
	EXPECT_STREQ(path, want);
	base[at + 5] ^= 0x5a;
	EXPECT_EQ(q[5], pat[5] ^ 0x5a, "peek's record is a copy");
	EXPECT_EQ(ipcchan_ring_release(c), 0);
	ipcchan_region_unmap(vbase, len);
	ipcchan_ring_close(c);
	ipcchan_ring_close(p);
}

/*
 * max_record is the limit: one byte more is -EMSGSIZE for reserve and for
 * send, and queues nothing; exactly max_record goes through an empty ring.
 * A receive buffer too short is -EMSGSIZE and the record stays.
 */
TEST(max_record_emsgsize)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	struct ipcchan_ring *c = ring_get(name, CONS);
	size_t max = ipcchan_ring_max_record(p);
	unsigned char *tmp, *got;
	const void *q;
	void *buf = NULL;

	TH_LOG("max_record of a 4096-byte ring: %zu", max);
	ASSERT_GT(max, 0);
	ASSERT_LE(max, 4096);
	EXPECT_EQ(ipcchan_ring_max_record(c), max);
	tmp = malloc(max + 1);
	got = malloc(max + 1);
	ASSERT_TRUE(tmp && got);

	EXPECT_EQ(ipcchan_ring_reserve(p, max + 1, &buf, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	EXPECT_EQ(ipcchan_ring_reserve(p, SIZE_MAX, &buf, 0, WAIT_NS),
		  -EMSGSIZE);
	EXPECT_EQ(ipcchan_ring_reserve(p, (size_t)1 << 40, &buf, 0, WAIT_NS),
		  -EMSGSIZE);
	EXPECT_EQ(ipcchan_ring_send(p, tmp, max + 1, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EAGAIN,
		  "a refused record was queued");

	fill_pattern(tmp, max, 3);
	ASSERT_EQ(ipcchan_ring_send(p, tmp, max, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), 0);
	EXPECT_EQ(ipcchan_ring_recv(c, got, max - 1, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	ASSERT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), (ssize_t)max,
		  "the record stays after -EMSGSIZE");
	EXPECT_MEMEQ(q, tmp, max);
	ASSERT_EQ(ipcchan_ring_release(c), 0);

	ASSERT_EQ(ipcchan_ring_reserve(p, max, &buf, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), 0);
	fill_pattern(buf, max, 4);
	ASSERT_EQ(ipcchan_ring_commit(p), 0);
	ASSERT_EQ(ipcchan_ring_recv(c, got, max, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), (ssize_t)max);
	fill_pattern(tmp, max, 4);
	EXPECT_MEMEQ(got, tmp, max);
	ipcchan_ring_close(c);
	ipcchan_ring_close(p);
}

/*
 * before: the test is the producer; the consumer, a child that opened the
 *         ring by name, took one record; the test fills the ring
 * after:  the consumer is killed while the producer waits for room: the
 *         wait ends with -EPIPE (woken, not timed out), so does the next
 *         send, and the ring fd reports POLLHUP
 */
TEST(consumer_dies_producer_epipe)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	pid_t parent = getpid(), consumer, killer;
	struct sync took;
	char rec[200];
	void *buf;
	int64_t t0;
	int n = 0, ret;

	sync_init(&took);
	memset(rec, 'r', sizeof(rec));
	consumer = xfork();
	if (consumer == 0) {
		struct ipcchan_ring *c = ring_get(name, CONS);
		char got[256];

		ASSERT_EQ(ipcchan_ring_recv(c, got, sizeof(got), 0, WAIT_NS),
			  (ssize_t)sizeof(rec));
		sync_post(&took);
		for (;;)
			pause();
	}
	send_rec(p, rec, sizeof(rec));
	sync_wait(&took);
	while ((ret = ipcchan_ring_send(p, rec, sizeof(rec),
					IPCCHAN_XFER_NONBLOCK,
					IPCCHAN_WAIT_FOREVER)) == 0) {
		n++;
		ASSERT_LT(n, 4096, "the ring never fills");
	}
	ASSERT_EQ(ret, -EAGAIN);
	TH_LOG("%d records of %zu bytes filled the ring", n, sizeof(rec));

	killer = xfork();
	if (killer == 0) {
		wait_blocked(parent, IN_IOCTL);
		kill(consumer, SIGKILL);
		child_exit();
	}
	t0 = now_ns();
	EXPECT_EQ(ipcchan_ring_reserve(p, sizeof(rec), &buf, 0, WAIT_NS),
		  -EPIPE);
	woken_in_time(t0, WAIT_NS);
	EXPECT_CHILD_OK(killer);
	EXPECT_EQ(wait_exit(consumer, CHILD_MS), 128 + SIGKILL);
	t0 = now_ns();
	EXPECT_EQ(ipcchan_ring_send(p, rec, sizeof(rec), 0, WAIT_NS), -EPIPE);
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2);
	EXPECT_TRUE(poll_fd(ipcchan_ring_fd(p), POLLIN | POLLOUT, 0) & POLLHUP);
	ipcchan_ring_close(p);
}

/*
 * A consumer that dies without ever reading, with the producer not yet
 * waiting: the producer's first wait for room is -EPIPE, not a hang.
 */
TEST(consumer_gone_before_full)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	char rec[300];
	int64_t t0 = 0;
	pid_t pid;
	int i, ret = 0;

	memset(rec, 'x', sizeof(rec));
	pid = xfork();
	if (pid == 0) {
		ring_get(name, CONS);
		_exit(0);
	}
	ASSERT_EQ(wait_exit(pid, CHILD_MS), 0);
	for (i = 0; i < 1000; i++) {
		t0 = now_ns();
		ret = ipcchan_ring_send(p, rec, sizeof(rec), 0, WAIT_NS);
		if (ret)
			break;
	}
	EXPECT_EQ(ret, -EPIPE, "after %d records", i);
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2);
	ipcchan_ring_close(p);
}

/*
 * before: a producer (a child) commits 10 records and exits
 * after:  the consumer still gets all 10, in order, then -EPIPE
 */
TEST(producer_exits_consumer_drains)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_ring *c = ring_new(name, 4096, CONS);
	const void *q;
	char want[32];
	pid_t pid;
	int i;

	pid = xfork();
	if (pid == 0) {
		struct ipcchan_ring *p = ring_get(name, PROD);
		char rec[32];

		for (i = 0; i < 10; i++) {
			snprintf(rec, sizeof(rec), "record %d", i);
			send_rec(p, rec, strlen(rec) + 1);
		}
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	for (i = 0; i < 10; i++) {
		snprintf(want, sizeof(want), "record %d", i);
		ASSERT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
					    IPCCHAN_WAIT_FOREVER),
			  (ssize_t)strlen(want) + 1);
		EXPECT_STREQ(q, want);
		ASSERT_EQ(ipcchan_ring_release(c), 0);
	}
	EXPECT_EQ(ipcchan_ring_peek(c, &q, 0, WAIT_NS), -EPIPE);
	EXPECT_TRUE(poll_fd(ipcchan_ring_fd(c), POLLIN, 0) & POLLHUP);
	ipcchan_ring_close(c);
}

/*
 * On an empty ring: a nonblocking peek or receive is -EAGAIN, a timed one
 * -ETIMEDOUT after its time, with or without a producer attached.
 */
TEST(empty_nonblock_eagain)
{
	char name[IPCCHAN_NAME_MAX], buf[16];
	struct ipcchan_ring *c = ring_new(name, 4096, CONS);
	struct ipcchan_ring *p;
	const void *q;
	int64_t t0;

	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EAGAIN,
		  "no producer yet");
	p = ring_get(name, PROD);
	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(ipcchan_ring_recv(c, buf, sizeof(buf),
				    IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	t0 = now_ns();
	EXPECT_EQ(ipcchan_ring_peek(c, &q, 0, 100 * NS_PER_MS), -ETIMEDOUT);
	EXPECT_GE(now_ns() - t0, 100 * NS_PER_MS);
	EXPECT_LT(now_ns() - t0, WAIT_NS);
	/* Peeking does not consume: still empty, then one record. */
	send_rec(p, "one", 4);
	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), 4);
	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), 4, "peek twice");
	EXPECT_EQ(ipcchan_ring_release(c), 0);
	EXPECT_EQ(ipcchan_ring_peek(c, &q, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ipcchan_ring_close(p);
	ipcchan_ring_close(c);
}

#define EPOLL_RECORDS	40

/*
 * before: a consumer (a child) in an epoll loop on the ring fd: it drains
 *         with nonblocking peeks, then waits in epoll_wait
 * after:  every record the producer commits while the consumer sleeps in
 *         epoll_wait wakes it with EPOLLIN and arrives; the loop does not
 *         spin (the consumer is back asleep before each record)
 */
TEST_TIMEOUT(epoll_consumer, 60)
{
	char name[IPCCHAN_NAME_MAX], rec[64];
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	int *wakeups = shared_alloc(sizeof(int));
	int64_t t0 = now_ns();
	pid_t pid;
	int i;

	pid = xfork();
	if (pid == 0) {
		struct ipcchan_ring *c = ring_get(name, CONS);
		struct epoll_event ev = { .events = EPOLLIN };
		int ep = epoll_create1(EPOLL_CLOEXEC), got = 0, n;
		char want[64];

		ASSERT_GE(ep, 0);
		ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, ipcchan_ring_fd(c), &ev),
			  0);
		/*
		 * The loop of the library's contract: drain with nonblocking
		 * peeks until -EAGAIN (which primes the producer to wake the
		 * fd), then sleep in epoll_wait.
		 */
		for (;;) {
			const void *q;
			ssize_t len;

			while ((len = ipcchan_ring_peek(c, &q,
							IPCCHAN_XFER_NONBLOCK,
							IPCCHAN_WAIT_FOREVER))
			       >= 0) {
				snprintf(want, sizeof(want), "epoll record %d",
					 got);
				ASSERT_EQ(len, (ssize_t)strlen(want));
				ASSERT_MEMEQ(q, want, len);
				ASSERT_EQ(ipcchan_ring_release(c), 0);
				got++;
			}
			ASSERT_EQ(len, -EAGAIN);
			if (got == EPOLL_RECORDS)
				break;
			do
				n = epoll_wait(ep, &ev, 1, WAIT_MS);
			while (n < 0 && errno == EINTR);
			ASSERT_EQ(n, 1, "no EPOLLIN in %d ms, %d records in",
				  WAIT_MS, got);
			ASSERT_TRUE(ev.events & EPOLLIN, "events %#x",
				    ev.events);
			(*wakeups)++;
		}
		child_exit();
	}
	for (i = 0; i < EPOLL_RECORDS; i++) {
		wait_blocked(pid, IN_EPOLL);
		snprintf(rec, sizeof(rec), "epoll record %d", i);
		send_rec(p, rec, strlen(rec));
	}
	ASSERT_CHILD_OK(pid);
	TH_LOG("%d epoll wake-ups for %d records, in %lld ms", *wakeups,
	       EPOLL_RECORDS, (long long)((now_ns() - t0) / NS_PER_MS));
	EXPECT_LE(*wakeups, 2 * EPOLL_RECORDS, "the epoll loop spins");
	ipcchan_ring_close(p);
}

/*
 * before: a producer makes a ring, unlinks its name and sends the region
 *         as a handle in a channel message
 * after:  the receiver (a child) opens the ring from the handle as the
 *         consumer and gets 100 records
 */
TEST(ring_via_handle)
{
	char name[IPCCHAN_NAME_MAX], cname[IPCCHAN_NAME_MAX], rec[32];
	int ch = chan_new(cname, RS, 0600, 0, 0, 0);
	struct ipcchan_ring *p = ring_new(name, 4096, PROD);
	pid_t pid;
	int i;

	region_unlink(name);
	ASSERT_EQ(ipcchan_send_handle(ch, "ring", 4, ipcchan_ring_fd(p), 0,
				      WAIT_NS), 0);
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_ring *c = NULL;
		char buf[32], want[32];
		int h = -2;

		ASSERT_EQ(ipcchan_recv_handle(ch, buf, sizeof(buf), NULL, &h, 0,
					      WAIT_NS), 4);
		ASSERT_GE(h, 0);
		ASSERT_EQ(ipcchan_ring_from_fd(h, CONS, &c), 0);
		EXPECT_EQ(ipcchan_ring_fd(c), h);
		for (i = 0; i < 100; i++) {
			ssize_t n = ipcchan_ring_recv(c, buf, sizeof(buf), 0,
						      WAIT_NS);

			snprintf(want, sizeof(want), "handed %d", i);
			ASSERT_EQ(n, (ssize_t)strlen(want));
			ASSERT_MEMEQ(buf, want, n);
		}
		ipcchan_ring_close(c);
		child_exit();
	}
	for (i = 0; i < 100; i++) {
		snprintf(rec, sizeof(rec), "handed %d", i);
		send_rec(p, rec, strlen(rec));
	}
	ASSERT_CHILD_OK(pid);
	ipcchan_ring_close(p);
}

/*
 * A plain region (zeroed: no ring header) is not a ring: -EPROTO, by name
 * and by fd, and the fd stays the caller's.
 */
TEST(plain_region_not_a_ring)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 16384);
	struct ipcchan_ring *r = NULL;
	char *m = region_map(fd, 16384, PROT_READ | PROT_WRITE, 0);

	EXPECT_EQ(ipcchan_ring_open(IPCCHAN_DEV_AUTO, name, CONS, &r),
		  -EPROTO);
	EXPECT_EQ(ipcchan_ring_open(IPCCHAN_DEV_AUTO, name, PROD, &r),
		  -EPROTO);
	EXPECT_EQ(ipcchan_ring_from_fd(fd, CONS, &r), -EPROTO);
	EXPECT_GE(fcntl(fd, F_GETFD), 0, "the fd was closed on failure");
	/* Garbage is no better than zeroes. */
	memset(m, 0xff, 16384);
	EXPECT_LT(ipcchan_ring_open(IPCCHAN_DEV_AUTO, name, CONS, &r), 0);
	/* A failed open attached nothing. */
	{
		struct ipcchan_region_info ri;

		region_info(fd, &ri);
		EXPECT_EQ(ri.producers, 0);
		EXPECT_EQ(ri.consumers, 0);
	}
	close(fd);
}

/*
 * Capacity must be a power of two of at least 4096 (-EINVAL), and a failed
 * create leaves no region behind; an existing name is -EEXIST and its
 * region is left alone.
 */
TEST(create_checks)
{
	char name[IPCCHAN_NAME_MAX];
	const size_t bad[] = { 0, 1, 2048, 4095, 5000, 12288 };
	struct ipcchan_ring *r = NULL;
	size_t i;
	int fd;
	char *m;

	new_name(name);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(ipcchan_ring_create(IPCCHAN_DEV_AUTO, name, bad[i],
					      0600, PROD, &r), -EINVAL,
			  "capacity %zu", bad[i]);
		EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, name,
					      IPCCHAN_REGION_READ, 0, 0),
			  -ENOENT, "capacity %zu left a region", bad[i]);
	}
	fd = region_new(name, RW_REGION, 0600, 4096);
	m = region_map(fd, 4096, PROT_READ | PROT_WRITE, 0);
	strcpy(m, "not yours");
	EXPECT_EQ(ipcchan_ring_create(IPCCHAN_DEV_AUTO, name, 4096, 0600, PROD,
				      &r), -EEXIST);
	EXPECT_STREQ(m, "not yours");
	close(region_get(name, IPCCHAN_REGION_READ));
	close(fd);
}

TEST_MAIN("region_ring")
