// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (failnth.h) into IPCCHAN_IOC_CHAN_PIPE and _CHAN_PAIR:
 * every allocation and user copy of the call fails in turn. A call that
 * fails leaves no fd, no channel (the count of channels is back), no
 * listed id; one that succeeds gives two working fds.
 */
#include "failnth.h"

struct ctx {
	int dev;
	unsigned long cmd;
	unsigned int flags;
	int fds;			/* count_fds() before the call */
	struct ipcchan_chan_pair p;
};

static long call_unnamed(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, c->cmd, &c->p);
}

static void setup_unnamed(void *p)
{
	struct ctx *c = p;

	memset(&c->p, 0, sizeof(c->p));
	c->p.size = sizeof(c->p);
	c->p.flags = c->flags;
	c->p.max_msg_size = 64;
	c->p.max_msgs = 4;
	c->fds = count_fds();
}

/* Is channel @id in a netlink dump? */
static bool listed(uint64_t id)
{
	struct ipcchan_objlist *l;
	bool found = false;
	size_t i;

	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &l), 0);
	for (i = 0; i < ipcchan_objlist_count(l); i++)
		found |= ipcchan_objlist_get(l, i)->id == id;
	ipcchan_objlist_free(l);
	return found;
}

static void check_unnamed(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	bool pair = c->cmd == IPCCHAN_IOC_CHAN_PAIR;
	int rx = c->p.fds[0], tx = c->p.fds[pair ? 0 : 1];
	char buf[16];

	(void)injected;
	if (ret < 0) {
		ASSERT_EQ(count_fds(), c->fds, "a failed call left an fd");
		return;
	}
	ASSERT_EQ(count_fds(), c->fds + 2);
	ASSERT_TRUE(listed(c->p.ids[0]));
	/* A pair's fd 0 sends to fd 1; a pipe's fd 1 to fd 0. */
	if (pair)
		rx = c->p.fds[1];
	ASSERT_EQ(ipcchan_send(tx, "ping", 4, 0, -1), 0);
	ASSERT_EQ(ipcchan_recv(rx, buf, sizeof(buf), NULL, 0, -1), 4);
	ASSERT_MEMEQ(buf, "ping", 4);
	close(c->p.fds[0]);
	close(c->p.fds[1]);
	ASSERT_FALSE(listed(c->p.ids[0]), "closed, still listed");
}

static void run(unsigned long cmd, const char *name, unsigned int flags)
{
	struct ctx c = { .cmd = cmd, .flags = flags };
	struct failnth_call fc = {
		.name = name, .ctx = &c, .setup = setup_unnamed,
		.call = call_unnamed, .check = check_unnamed,
	};
	int free0;

	failnth_setup();
	c.dev = dev_open();
	free0 = channels_free();
	failnth_run(&fc);
	ASSERT_EQ(channels_free(), free0, "the channel count leaked");
	close(c.dev);
}

TEST(chan_pipe)
{
	run(IPCCHAN_IOC_CHAN_PIPE, "CHAN_PIPE", 0);
	run(IPCCHAN_IOC_CHAN_PIPE, "CHAN_PIPE(CLOEXEC|NONBLOCK)",
	    IPCCHAN_OPEN_CLOEXEC | IPCCHAN_OPEN_NONBLOCK);
}

TEST(chan_pair)
{
	run(IPCCHAN_IOC_CHAN_PAIR, "CHAN_PAIR", 0);
	run(IPCCHAN_IOC_CHAN_PAIR, "CHAN_PAIR(CLOEXEC)", IPCCHAN_OPEN_CLOEXEC);
}

TEST_MAIN("failnth_pair")
