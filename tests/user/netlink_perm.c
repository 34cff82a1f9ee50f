// SPDX-License-Identifier: GPL-2.0
/*
 * Who sees and manages what through the generic netlink family: an object
 * is visible (GET, dump, events) only through a socket whose opener owns it,
 * may read or write it, or has CAP_IPC_OWNER; an invisible object is ENOENT
 * exactly as a missing one. DEL and SET need the owner or CAP_IPC_OWNER. A
 * dump continuation read by a process in other namespaces still shows uids
 * and pids of the requester's. Every rejection carries an extack message.
 */
#include "nl_util.h"

#include <sched.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/*
 * A 0600 object of root is invisible to nobody: GET, DEL and SET get ENOENT
 * with the extack of a missing name, and the dump leaves it out; a 0666 one
 * and nobody's own 0600 one are visible; root sees nobody's 0600 object.
 */
TEST(invisible_get_dump)
{
	char priv[IPCCHAN_NAME_MAX], pub[IPCCHAN_NAME_MAX];
	char rpriv[IPCCHAN_NAME_MAX], own[IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	struct nlu_obj o;
	struct nlu n;
	pid_t pid;

	chan_new(priv, RS, 0600, 0, 0, 0);
	chan_new(pub, RS, 0666, 0, 0, 0);
	region_new(rpriv, RW_REGION, 0600, page_size());
	new_name(own);
	pid = xfork();
	if (pid == 0) {
		char missing[IPCCHAN_NAME_MAX], miss_ack[256];
		int ofd;

		drop_to_nobody();
		ofd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, own,
					RS | IPCCHAN_OPEN_CREATE, NULL);
		ASSERT_GE(ofd, 0, "nobody creates %s", own);
		nl_open(&n);
		new_name(missing);
		EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, missing, &o),
			  -ENOENT);
		snprintf(miss_ack, sizeof(miss_ack), "%s", n.extack);
		EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, priv, &o), -ENOENT,
			  "root's 0600 channel");
		EXPECT_STREQ(n.extack, miss_ack, "no oracle in the extack");
		EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_REGION, rpriv, &o), -ENOENT,
			  "root's 0600 region");
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, priv), -ENOENT);
		EXPECT_EQ(nlu_set(&n, priv, -1, 2, -1), -ENOENT);
		nl_get(&n, IPCCHAN_KIND_CHANNEL, pub, &o);
		nl_get(&n, IPCCHAN_KIND_CHANNEL, own, &o);
		nl_dump(&n, 0, &l);
		EXPECT_TRUE(!nlu_find(&l, IPCCHAN_KIND_CHANNEL, priv),
			    "root's 0600 channel in nobody's dump");
		EXPECT_TRUE(!nlu_find(&l, IPCCHAN_KIND_REGION, rpriv),
			    "root's 0600 region in nobody's dump");
		nl_find(&l, IPCCHAN_KIND_CHANNEL, pub);
		o = *nl_find(&l, IPCCHAN_KIND_CHANNEL, own);
		EXPECT_EQ(o.uid, NOBODY);
		nlu_list_free(&l);
		nlu_close(&n);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	/* The owner's channel outlives its creator; root sees it. */
	nl_open(&n);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, own, &o);
	EXPECT_EQ(o.uid, NOBODY);
	EXPECT_EQ(o.mode, 0600);
	nl_dump(&n, IPCCHAN_KIND_CHANNEL, &l);
	nl_find(&l, IPCCHAN_KIND_CHANNEL, own);
	nl_find(&l, IPCCHAN_KIND_CHANNEL, priv);
	nlu_list_free(&l);
	EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, own), 0);
	nlu_close(&n);
}

/*
 * The socket's opener decides, not whoever uses it: a socket root opened
 * and passed to nobody still sees root's 0600 object, and one nobody opened
 * and passed to root does not.
 */
TEST(socket_opener_decides)
{
	char priv[IPCCHAN_NAME_MAX];
	struct nlu_obj o;
	struct nlu rootn, nobn;
	struct sync s;
	pid_t pid;

	chan_new(priv, RS, 0600, 0, 0, 0);
	u_sync_init(&s);
	nl_open(&rootn);
	pid = xfork();
	if (pid == 0) {
		drop_to_nobody();
		nl_open(&nobn);
		EXPECT_EQ(nlu_get(&nobn, IPCCHAN_KIND_CHANNEL, priv, &o),
			  -ENOENT);
		/* root's socket, inherited. */
		nl_get(&rootn, IPCCHAN_KIND_CHANNEL, priv, &o);
		nlu_close(&nobn);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	nlu_close(&rootn);
	pid = xfork();
	if (pid == 0) {
		int fd, ret;

		/* nobody opens, then regains nothing: a setuid-like switch. */
		ASSERT_EQ(setresuid(NOBODY, NOBODY, 0), 0);
		ret = nlu_open(&nobn);
		fd = nl_socket_get_fd(nobn.sk);
		ASSERT_EQ(setresuid(0, 0, 0), 0);
		ASSERT_EQ(ret, 0);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(nlu_get(&nobn, IPCCHAN_KIND_CHANNEL, priv, &o),
			  -ENOENT, "root writing to nobody's socket");
		EXPECT_EQ(nlu_del(&nobn, IPCCHAN_KIND_CHANNEL, priv), -ENOENT);
		nlu_close(&nobn);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(chan_get(priv, RS));
}

/*
 * DEL and SET: the owner may, on its own objects, whatever their mode;
 * another uid who sees the object (0666) gets EPERM; root may on any.
 */
TEST(del_set_owner_or_cap_ipc_owner)
{
	char pub[IPCCHAN_NAME_MAX], own[IPCCHAN_NAME_MAX];
	char own2[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	struct nlu_obj o;
	struct nlu n;
	pid_t pid;
	int fd = chan_new(pub, RS, 0666, 512, 8, 4096);

	region_new(rname, RW_REGION, 0666, page_size());
	new_name(own);
	new_name(own2);
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_version v;
		int ofd;

		drop_to_nobody();
		ofd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, own,
					RS | IPCCHAN_OPEN_CREATE, NULL);
		ASSERT_GE(ofd, 0);
		ASSERT_GE(ipcchan_chan_open(IPCCHAN_DEV_AUTO, own2,
					    RS | IPCCHAN_OPEN_CREATE, NULL), 0);
		nl_open(&n);
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, pub), -EPERM);
		EXPECT_TRUE(n.extack[0], "EPERM of DEL without a message");
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_REGION, rname), -EPERM);
		EXPECT_EQ(nlu_set(&n, pub, -1, 2, -1), -EPERM);
		EXPECT_TRUE(n.extack[0], "EPERM of SET without a message");
		EXPECT_EQ(nlu_set(&n, own, -1, 2, -1), 0, "extack \"%s\"",
			  n.extack);
		memset(&ci, 0, sizeof(ci));
		chan_info(ofd, &ci);
		EXPECT_EQ(ci.max_msgs, 2);
		/* Bounded as at creation. */
		memset(&v, 0, sizeof(v));
		get_version(&v);
		EXPECT_EQ(nlu_set(&n, own, -1, (int64_t)v.max_msgs + 1, -1),
			  -EINVAL);
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, own), 0,
			  "extack \"%s\"", n.extack);
		EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, own, &o), -ENOENT);
		/* A missing name is ENOENT. */
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, own), -ENOENT);
		nlu_close(&n);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	memset(&ci, 0, sizeof(ci));
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msgs, 8);
	close(chan_get(pub, RS));
	close(region_get(rname, RW_REGION));
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, own, RS, NULL), -ENOENT);
	/* root (CAP_IPC_OWNER) manages nobody's 0600 channel. */
	nl_open(&n);
	EXPECT_EQ(nlu_set(&n, own2, -1, 3, -1), 0, "extack \"%s\"", n.extack);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, own2, &o);
	EXPECT_EQ(o.max_msgs, 3);
	EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, own2), 0);
	nlu_close(&n);
}

/* Creates channel @name with @mode; returns its fd. */
static int chan_create(const char *name, __u32 mode)
{
	struct ipcchan_attr a = { .mode = mode };
	int fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
				   IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, &a);

	ASSERT_GE(fd, 0, "creating %s", name);
	return fd;
}

/*
 * Waits up to @ms for an event about @name; true if one came. Fails the
 * test if an event about @never (may be NULL) comes meanwhile.
 */
static bool event_of(struct nlu *e, const char *name, const char *never,
		     int ms)
{
	int64_t deadline = now_ns() + (int64_t)ms * NS_PER_MS;
	struct nlu_obj ev;

	for (;;) {
		int64_t left = (deadline - now_ns()) / NS_PER_MS;

		if (left <= 0 || nlu_event_next(e, &ev, (int)left))
			return false;
		EXPECT_TRUE(!never || strcmp(ev.name, never),
			    "event %u of %s", ev.event, ev.name);
		if (!strcmp(ev.name, name))
			return true;
	}
}

/*
 * Events: an unprivileged listener gets none about root's 0600 object, but
 * does about its own and about a 0666 one; where the kernel cannot filter,
 * it may not join at all (EPERM). root gets them all.
 */
TEST(events_filtered)
{
	char priv[IPCCHAN_NAME_MAX], pub[IPCCHAN_NAME_MAX];
	char own[IPCCHAN_NAME_MAX];
	struct sync ready, go;
	struct nlu root;
	pid_t pid;
	int ret;

	new_name(priv);
	new_name(pub);
	new_name(own);
	u_sync_init(&ready);
	u_sync_init(&go);
	nl_open(&root);
	ASSERT_EQ(nlu_subscribe(&root), 0);
	pid = xfork();
	if (pid == 0) {
		struct nlu e;
		int ofd;

		drop_to_nobody();
		nl_open(&e);
		ret = nlu_subscribe(&e);
		u_sync_send(&ready, ret);
		if (ret) {
			EXPECT_EQ(ret, -EPERM, "joining as nobody");
			child_exit();
		}
		ASSERT_EQ(u_sync_recv(&go), 1);
		ofd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, own,
					RS | IPCCHAN_OPEN_CREATE, NULL);
		ASSERT_GE(ofd, 0);
		/* root made priv, then pub: pub's event comes, priv's never. */
		EXPECT_TRUE(event_of(&e, pub, priv, 5000), "the event of %s", pub);
		EXPECT_TRUE(event_of(&e, own, priv, 5000), "the event of its own");
		nlu_close(&e);
		e.sk = NULL;
		nl_open(&e);
		ASSERT_EQ(nlu_subscribe(&e), 0);
		u_sync_send(&ready, 2);
		ASSERT_EQ(u_sync_recv(&go), 2);
		EXPECT_TRUE(!event_of(&e, priv, priv, 1000),
			    "an event of root's 0600 channel");
		nlu_close(&e);
		child_exit();
	}
	ret = u_sync_recv(&ready);
	if (!ret) {
		close(chan_create(priv, 0600));
		close(chan_create(pub, 0666));
		u_sync_send(&go, 1);
		ASSERT_EQ(u_sync_recv(&ready), 2);
		/* Its destruction is an event; nobody must not see it. */
		u_chan_unlink(priv);
		u_sync_send(&go, 2);
	} else {
		TH_LOG("nobody cannot join the events group (%d): a kernel "
		       "without filtered multicast", ret);
		close(chan_create(priv, 0600));
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_TRUE(event_of(&root, priv, NULL, 5000), "root sees %s", priv);
	nlu_close(&root);
}

/* ----- a dump whose continuation another process reads ----- */

#define NOBJ	120

static int raw_dump_request(int fd, int family)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} r = {
		.n = {
			.nlmsg_len = sizeof(r),
			.nlmsg_type = family,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 77,
		},
		.g = { .cmd = IPCCHAN_CMD_GET, .version = IPCCHAN_GENL_VERSION },
	};

	return send(fd, &r, sizeof(r), 0) == sizeof(r) ? 0 : -errno;
}

/*
 * Reads one part of the dump on @fd; counts our objects (prefix @pfx) and
 * those whose uid is not @uid or creator pid not @cpid. Returns 1 at the
 * end of the dump, 0 for a part, -1 on error.
 */
static int raw_dump_part(int fd, const char *pfx, uint32_t uid, uint32_t cpid,
			 int *ours, int *wrong)
{
	/*
	 * Small reads keep the parts small (the kernel sizes them by the
	 * largest read so far): the dump has several, most of them made while
	 * the other process reads.
	 */
	static char buf[8192];
	struct nlmsghdr *n;
	ssize_t len = recv(fd, buf, sizeof(buf), 0);

	if (len <= 0)
		return -1;
	for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, len);
	     n = NLMSG_NEXT(n, len)) {
		struct genlmsghdr *g = NLMSG_DATA(n);
		struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
		int rem = n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		uint32_t ouid = ~0u, opid = ~0u;
		bool mine = false;

		if (n->nlmsg_type == NLMSG_DONE)
			return 1;
		if (n->nlmsg_type == NLMSG_ERROR)
			return -1;
		for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
		     rem -= NLA_ALIGN(a->nla_len),
		     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
			void *d = (char *)a + NLA_HDRLEN;

			switch (a->nla_type & NLA_TYPE_MASK) {
			case IPCCHAN_A_NAME:
				mine = !strncmp(d, pfx, strlen(pfx));
				break;
			case IPCCHAN_A_UID:
				memcpy(&ouid, d, 4);
				break;
			case IPCCHAN_A_CREATOR_PID:
				memcpy(&opid, d, 4);
				break;
			}
		}
		if (!mine)
			continue;
		(*ours)++;
		if (ouid != uid || opid != cpid)
			(*wrong)++;
	}
	return 0;
}

/*
 * root starts a dump and reads its first part; a child in a new user and
 * pid namespace, which has the socket, reads the rest: every object still
 * shows uid 0 and the creator's pid in root's namespaces (the reader's
 * would be 65534 and 0).
 */
TEST(dump_continuation_for_requester)
{
	char pfx[IPCCHAN_NAME_MAX];
	int *cnt = u_shared_alloc(2 * sizeof(int));
	int fds[NOBJ], i, fd, ours = 0, wrong = 0;
	uint32_t me = getpid();
	int rcv = 4096;
	struct nlu n;
	pid_t pid;

	for (i = 0; i < NOBJ; i++)
		fds[i] = chan_new(NULL, RS, 0600, 0, 0, 0);
	snprintf(pfx, sizeof(pfx), "t-%s-%d-", harness_suite,
		 (int)harness_shm->test_pid);
	nl_open(&n);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_GE(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	ASSERT_EQ(raw_dump_request(fd, n.family), 0);
	ASSERT_EQ(raw_dump_part(fd, pfx, 0, me, &ours, &wrong), 0,
		  "the first part ends the dump: too few objects");
	EXPECT_EQ(wrong, 0);
	pid = xfork();
	if (pid == 0) {
		pid_t gc;
		int st;

		ASSERT_EQ(unshare(CLONE_NEWUSER | CLONE_NEWPID), 0);
		gc = fork();
		ASSERT_GE(gc, 0);
		if (gc == 0) {
			int r;

			/* pid 1 of a new pid namespace, its uid unmapped. */
			while (!(r = raw_dump_part(fd, pfx, 0, me, &cnt[0],
						   &cnt[1])))
				;
			_exit(r == 1 ? 0 : 1);
		}
		ASSERT_EQ(waitpid(gc, &st, 0), gc);
		ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			    "the reader failed (status %#x)", st);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_GT(cnt[0], 0, "the other reader saw none of ours");
	EXPECT_EQ(ours + cnt[0], NOBJ);
	EXPECT_EQ(cnt[1], 0, "objects translated for the reader, of %d",
		  cnt[0]);
	for (i = 0; i < NOBJ; i++)
		close(fds[i]);
	close(fd);
	nlu_close(&n);
}

/* Sends @msg and expects @err with a non-empty extack message. */
static void rejected(struct nlu *n, struct nl_msg *msg, int err,
		     const char *what)
{
	EXPECT_EQ(nlu_xfer(n, msg, NULL), err, "%s", what);
	EXPECT_TRUE(n->extack[0], "%s: no extack message", what);
	TH_LOG("%s: \"%s\"", what, n->extack);
}

/* Every rejection of a request says why. */
TEST(every_rejection_has_extack)
{
	char name[IPCCHAN_NAME_MAX], missing[IPCCHAN_NAME_MAX];
	struct ipcchan_version v;
	struct nl_msg *msg;
	struct nlu n;

	chan_new(name, RS, 0600, 512, 8, 4096);
	new_name(missing);
	memset(&v, 0, sizeof(v));
	get_version(&v);
	nl_open(&n);

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	rejected(&n, msg, -EINVAL, "GET without NAME");
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	nlu_put_name(msg, name);
	rejected(&n, msg, -EINVAL, "GET without KIND");
	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	rejected(&n, msg, -EINVAL, "DEL without NAME");
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, 4), 0);
	rejected(&n, msg, -EINVAL, "SET without NAME");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, "bad name");
	rejected(&n, msg, -EINVAL, "GET of a name with a space");
	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, "");
	rejected(&n, msg, -EINVAL, "DEL of an empty name");
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, "a/b");
	rejected(&n, msg, -EINVAL, "SET of a name with a slash");

	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, v.max_msgs + 1), 0);
	rejected(&n, msg, -EINVAL, "SET of max_msgs above the bound");
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_MAX_BYTES, 256), 0);
	rejected(&n, msg, -EINVAL, "SET of max_bytes below max_msg_size");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, missing);
	rejected(&n, msg, -ENOENT, "GET of a missing name");
	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_REGION), 0);
	nlu_put_name(msg, missing);
	rejected(&n, msg, -ENOENT, "DEL of a missing name");
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, missing);
	rejected(&n, msg, -ENOENT, "SET of a missing name");
	nlu_close(&n);
}

TEST_MAIN("netlink_perm")
