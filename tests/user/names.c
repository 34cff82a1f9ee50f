// SPDX-License-Identifier: GPL-2.0
/*
 * Channel names: 1 to 63 bytes of [A-Za-z0-9._-] in a 64-byte buffer,
 * NUL-terminated and zero-padded. ENAMETOOLONG without a NUL, EINVAL for the
 * rest of what is wrong.
 */
#include "util.h"

/* Opens @name (a raw 64-byte buffer) with @flags through a raw ioctl. */
static int raw_open(int dev, const char buf[IPCCHAN_NAME_MAX],
		    unsigned int flags)
{
	struct ipcchan_chan_open op;

	raw_open_init(&op, NULL, flags);
	memcpy(op.name, buf, IPCCHAN_NAME_MAX);
	if (flags & IPCCHAN_OPEN_CREATE)
		op.mode = 0600;
	return xioctl(dev, IPCCHAN_IOC_CHAN_OPEN, &op);
}

static int raw_unlink(int dev, const char buf[IPCCHAN_NAME_MAX])
{
	struct ipcchan_unlink un = {
		.size = sizeof(un),
		.kind = IPCCHAN_KIND_CHANNEL,
	};

	memcpy(un.name, buf, IPCCHAN_NAME_MAX);
	return xioctl(dev, IPCCHAN_IOC_UNLINK, &un);
}

/* Creates @name, checks that info reports it back, unlinks it. */
static void create_named(int dev, const char *name)
{
	struct ipcchan_chan_info ci;
	int fd;

	fd = ipcchan_chan_open(dev, name, RS | IPCCHAN_OPEN_CREATE |
			       IPCCHAN_OPEN_EXCL, NULL);
	ASSERT_GE(fd, 0, "name \"%s\"", name);
	chan_info(fd, &ci);
	ASSERT_STREQ(ci.name, name);
	ASSERT_EQ(ipcchan_chan_unlink(dev, name), 0, "name \"%s\"", name);
	close(fd);
}

TEST(valid)
{
	char base[IPCCHAN_NAME_MAX], name[IPCCHAN_NAME_MAX + 16];
	static const char *const suffixes[] = {
		"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		"0123456789", "._-", ".", "..", "-", "_x_", "-.-",
	};
	size_t i;
	int dev = dev_open();

	new_name(base);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", base, suffixes[i]);
		create_named(dev, name);
	}
}

/* Names made of one character, and names that are only dots. */
TEST(short_names)
{
	static const char *const names[] = { "Q", "7", "_", ".", "..", "-" };
	size_t i;
	int dev = dev_open();

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* A leftover from an earlier run must not fail the test. */
		ipcchan_chan_unlink(dev, names[i]);
		create_named(dev, names[i]);
	}
}

TEST(case_sensitive)
{
	char lower[IPCCHAN_NAME_MAX], upper[IPCCHAN_NAME_MAX];
	int dev = dev_open(), a, b;
	size_t i;

	new_name(lower);
	strcat(lower, "-abc");
	snprintf(upper, sizeof(upper), "%s", lower);
	for (i = strlen(upper) - 3; upper[i]; i++)
		upper[i] -= 'a' - 'A';
	a = ipcchan_chan_open(dev, lower, RS | IPCCHAN_OPEN_CREATE |
			      IPCCHAN_OPEN_EXCL, NULL);
	ASSERT_GE(a, 0);
	b = ipcchan_chan_open(dev, upper, RS | IPCCHAN_OPEN_CREATE |
			      IPCCHAN_OPEN_EXCL, NULL);
	EXPECT_GE(b, 0, "%s and %s are different names", lower, upper);
	send_str(a, "lower");
	if (b >= 0) {
		EXPECT_EQ(chan_msgs(b), 0);
		ipcchan_chan_unlink(dev, upper);
	}
	ipcchan_chan_unlink(dev, lower);
}

TEST(empty)
{
	char buf[IPCCHAN_NAME_MAX] = { 0 };
	int dev = dev_open();

	ASSERT_EQ(ipcchan_chan_open(dev, "", RS | IPCCHAN_OPEN_CREATE, NULL),
		  -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, "", RS, NULL), -EINVAL);
	ASSERT_EQ(raw_open(dev, buf, RS | IPCCHAN_OPEN_CREATE), -EINVAL);
	ASSERT_EQ(ipcchan_chan_unlink(dev, ""), -EINVAL);
	ASSERT_EQ(raw_unlink(dev, buf), -EINVAL);
}

/* Every byte outside [A-Za-z0-9._-], in the middle of a valid name. */
TEST(bad_chars)
{
	char base[IPCCHAN_NAME_MAX], buf[IPCCHAN_NAME_MAX];
	int dev = dev_open(), c, bad = 0;
	size_t len;

	new_name(base);
	len = strlen(base);
	for (c = 1; c < 256; c++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			continue;
		memset(buf, 0, sizeof(buf));
		memcpy(buf, base, len);
		buf[len] = (char)c;
		buf[len + 1] = 'z';
		EXPECT_EQ(raw_open(dev, buf, RS | IPCCHAN_OPEN_CREATE), -EINVAL,
			  "byte 0x%02x", c);
		EXPECT_EQ(raw_open(dev, buf, RS), -EINVAL, "byte 0x%02x", c);
		EXPECT_EQ(raw_unlink(dev, buf), -EINVAL, "byte 0x%02x", c);
		bad++;
	}
	ASSERT_EQ(bad, 255 - 26 - 26 - 10 - 3);
	/* As the first byte too, through the library. */
	ASSERT_EQ(ipcchan_chan_open(dev, "/abc", RS | IPCCHAN_OPEN_CREATE,
				    NULL), -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, " abc", RS | IPCCHAN_OPEN_CREATE,
				    NULL), -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, "a b", RS | IPCCHAN_OPEN_CREATE,
				    NULL), -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, "\xc3\xa9t\xc3\xa9",
				    RS | IPCCHAN_OPEN_CREATE, NULL), -EINVAL);
}

TEST(max_length)
{
	char name[IPCCHAN_NAME_MAX];
	size_t len;
	int dev = dev_open();

	new_name(name);
	len = strlen(name);
	memset(name + len, 'x', IPCCHAN_NAME_MAX - 1 - len);
	name[IPCCHAN_NAME_MAX - 1] = 0;
	ASSERT_EQ(strlen(name), 63);
	create_named(dev, name);
}

TEST(no_nul)
{
	char name[IPCCHAN_NAME_MAX];
	int dev = dev_open();

	new_name(name);
	memset(name + strlen(name), 'y', IPCCHAN_NAME_MAX - strlen(name));
	ASSERT_EQ(raw_open(dev, name, RS | IPCCHAN_OPEN_CREATE), -ENAMETOOLONG);
	ASSERT_EQ(raw_open(dev, name, RS), -ENAMETOOLONG);
	ASSERT_EQ(raw_unlink(dev, name), -ENAMETOOLONG);
	/* Even when the 64 bytes are not all valid characters. */
	name[10] = '/';
	ASSERT_EQ(raw_open(dev, name, RS | IPCCHAN_OPEN_CREATE), -ENAMETOOLONG);
}

TEST(garbage_after_nul)
{
	char name[IPCCHAN_NAME_MAX], buf[IPCCHAN_NAME_MAX];
	int dev = dev_open(), fd;

	fd = chan_new(name, RS, 0600, 0, 0, 0);
	memset(buf, 0, sizeof(buf));
	strcpy(buf, name);
	buf[strlen(name) + 1] = 'x';
	ASSERT_EQ(raw_open(dev, buf, RS), -EINVAL);
	ASSERT_EQ(raw_unlink(dev, buf), -EINVAL);
	buf[strlen(name) + 1] = 0;
	buf[IPCCHAN_NAME_MAX - 1] = 1;
	ASSERT_EQ(raw_open(dev, buf, RS | IPCCHAN_OPEN_CREATE), -EINVAL);
	ASSERT_EQ(raw_unlink(dev, buf), -EINVAL);
	/* The channel is untouched and the clean name still works. */
	buf[IPCCHAN_NAME_MAX - 1] = 0;
	close(chan_get(name, RS));
	ASSERT_EQ(raw_unlink(dev, buf), 0);
	close(fd);
}

TEST(lib_too_long)
{
	char name[IPCCHAN_NAME_MAX + 10];
	int dev = dev_open();

	memset(name, 'a', sizeof(name));
	name[IPCCHAN_NAME_MAX] = 0;		/* 64 characters */
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS | IPCCHAN_OPEN_CREATE, NULL),
		  -ENAMETOOLONG);
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS, NULL), -ENAMETOOLONG);
	ASSERT_EQ(ipcchan_chan_unlink(dev, name), -ENAMETOOLONG);
	name[IPCCHAN_NAME_MAX + 9] = 0;
	memset(name, 'b', IPCCHAN_NAME_MAX + 9);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				    RS | IPCCHAN_OPEN_CREATE, NULL),
		  -ENAMETOOLONG);
}

/* One table for the machine: a name made through one file of
 * /dev/ipcchan is found through any other. */
TEST(shared_table)
{
	char name[IPCCHAN_NAME_MAX];
	int d1 = dev_open(), d2 = dev_open(), a, b;

	a = chan_new_dev(d1, name, RS, 0600, 0, 0, 0);
	b = ipcchan_chan_open(d2, name, RS, NULL);
	ASSERT_GE(b, 0);
	send_str(a, "via d1");
	recv_str(b, "via d1");
	ASSERT_EQ(ipcchan_chan_unlink(d2, name), 0);
	ASSERT_EQ(ipcchan_chan_open(d1, name, RS, NULL), -ENOENT);
}

TEST(unlink_bad_kind)
{
	struct ipcchan_unlink un = { .size = sizeof(un) };
	int dev = dev_open();
	int fd = chan_new(un.name, RS, 0600, 0, 0, 0);

	un.kind = 0;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_UNLINK, &un), -EINVAL);
	un.kind = IPCCHAN_KIND_MAX + 1;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_UNLINK, &un), -EINVAL);
	un.kind = 0xffffffff;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_UNLINK, &un), -EINVAL);
	close(chan_get(un.name, RS));	/* still named */
	un.kind = IPCCHAN_KIND_CHANNEL;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_UNLINK, &un), 0);
	close(fd);
}

TEST_MAIN("names")
