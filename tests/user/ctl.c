// SPDX-License-Identifier: GPL-2.0
/*
 * The ipcchanctl tool, as a script uses it: its exit codes (0 success,
 * 3 object not found, 4 permission denied) and its -j JSON output. Skipped
 * when the VM has no /usr/bin/ipcchanctl.
 */
#include "util.h"

#define CTL		"/usr/bin/ipcchanctl"
#define CTL_OUT_MAX	(1 << 20)

static void need_ctl(void)
{
	if (access(CTL, X_OK))
		SKIP("no %s in the VM", CTL);
}

/*
 * Runs ipcchanctl with @args (NULL-terminated), as nobody if @as_nobody,
 * and returns its exit status; its stdout goes to @out (CTL_OUT_MAX bytes,
 * NUL-terminated) unless NULL, and its stderr is logged.
 */
static int run_ctl(bool as_nobody, char *out, const char *const *args)
{
	char *argv[16], err[4096];
	int o[2], e[2], st, i;
	size_t on = 0, en = 0;
	int64_t deadline = now_ns() + WAIT_NS;
	pid_t pid;

	argv[0] = "ipcchanctl";
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	ASSERT_EQ(pipe2(o, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(e, O_CLOEXEC), 0);
	pid = xfork();
	if (pid == 0) {
		if (as_nobody)
			drop_to_nobody();
		dup2(o[1], 1);
		dup2(e[1], 2);
		execv(CTL, argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = o[0], .events = POLLIN },
			{ .fd = e[0], .events = POLLIN },
		};
		int64_t left = (deadline - now_ns()) / NS_PER_MS;
		char junk[4096];
		ssize_t n;

		if (p[0].fd < 0 && p[1].fd < 0)
			break;
		ASSERT_GT(left, 0, "%s %s: no end of output", CTL, args[0]);
		if (poll(p, 2, (int)left) <= 0)
			continue;
		if (p[0].revents) {
			if (out && on < CTL_OUT_MAX - 1)
				n = read(o[0], out + on, CTL_OUT_MAX - 1 - on);
			else
				n = read(o[0], junk, sizeof(junk));
			if (n <= 0) {
				close(o[0]);
				o[0] = -1;
			} else if (out && on < CTL_OUT_MAX - 1) {
				on += n;
			}
		}
		if (p[1].revents) {
			if (en < sizeof(err) - 1)
				n = read(e[0], err + en, sizeof(err) - 1 - en);
			else
				n = read(e[0], junk, sizeof(junk));
			if (n <= 0) {
				close(e[0]);
				e[0] = -1;
			} else if (en < sizeof(err) - 1) {
				en += n;
			}
		}
		if (o[0] < 0 && e[0] < 0)
			break;
	}
	if (out)
		out[on] = 0;
	err[en] = 0;
	st = wait_exit(pid, CHILD_MS);
	TH_LOG("%s%s %s ... -> exit %d%s%s", as_nobody ? "(nobody) " : "",
	       CTL, args[0], st, en ? ", stderr: " : "", err);
	return st;
}

#define CTL_ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* The first character that is not white space. */
static char first_char(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return *s;
}

/* Is "@name" (quoted, as a JSON string) in @out? */
static bool json_has_name(const char *out, const char *name)
{
	char q[IPCCHAN_NAME_MAX + 4];

	snprintf(q, sizeof(q), "\"%s\"", name);
	return strstr(out, q) != NULL;
}

TEST(list_exit0)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	char pub[IPCCHAN_NAME_MAX];
	char *out = malloc(CTL_OUT_MAX);

	need_ctl();
	ASSERT_TRUE(out != NULL);
	chan_new(cname, RS, 0600, 0, 0, 0);
	region_new(rname, RW_REGION, 0600, page_size());
	ASSERT_EQ(run_ctl(false, out, CTL_ARGS("list")), 0);
	EXPECT_TRUE(strstr(out, cname) != NULL, "%s in:\n%s", cname, out);
	EXPECT_TRUE(strstr(out, rname) != NULL, "%s in:\n%s", rname, out);
	/* nobody may list too, but not root's 0600 objects. */
	chan_new(pub, RS, 0666, 0, 0, 0);
	EXPECT_EQ(run_ctl(true, out, CTL_ARGS("list")), 0);
	EXPECT_TRUE(strstr(out, pub) != NULL, "%s in:\n%s", pub, out);
	EXPECT_TRUE(strstr(out, cname) == NULL, "%s in:\n%s", cname, out);
	EXPECT_TRUE(strstr(out, rname) == NULL, "%s in:\n%s", rname, out);
	free(out);
}

TEST(list_json)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	char *out = malloc(CTL_OUT_MAX);
	char c;

	need_ctl();
	ASSERT_TRUE(out != NULL);
	chan_new(cname, RS, 0600, 0, 0, 0);
	region_new(rname, RW_REGION, 0600, page_size());
	ASSERT_EQ(run_ctl(false, out, CTL_ARGS("list", "-j")), 0);
	c = first_char(out);
	EXPECT_TRUE(c == '[' || c == '{', "JSON starts with '%c':\n%.300s", c,
		    out);
	EXPECT_TRUE(json_has_name(out, cname), "\"%s\" in:\n%.2000s", cname,
		    out);
	EXPECT_TRUE(json_has_name(out, rname), "\"%s\" in:\n%.2000s", rname,
		    out);
	free(out);
}

TEST(show_json)
{
	char cname[IPCCHAN_NAME_MAX];
	char *out = malloc(CTL_OUT_MAX);
	char c;

	need_ctl();
	ASSERT_TRUE(out != NULL);
	chan_new(cname, RS, 0600, 0, 0, 0);
	ASSERT_EQ(run_ctl(false, out, CTL_ARGS("show", "-j", cname)), 0);
	c = first_char(out);
	EXPECT_TRUE(c == '[' || c == '{', "JSON starts with '%c':\n%.300s", c,
		    out);
	EXPECT_TRUE(json_has_name(out, cname), "\"%s\" in:\n%.2000s", cname,
		    out);
	free(out);
}

TEST(show_missing_exit3)
{
	char name[IPCCHAN_NAME_MAX];

	need_ctl();
	new_name(name);
	EXPECT_EQ(run_ctl(false, NULL, CTL_ARGS("show", name)), 3);
	EXPECT_EQ(run_ctl(false, NULL, CTL_ARGS("show", "-j", name)), 3);
}

TEST(delete_root)
{
	char name[IPCCHAN_NAME_MAX];

	need_ctl();
	close(chan_new(name, RS, 0600, 0, 0, 0));
	EXPECT_EQ(run_ctl(false, NULL, CTL_ARGS("delete", name)), 0);
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);
	EXPECT_EQ(run_ctl(false, NULL, CTL_ARGS("delete", name)), 3);
}

TEST(delete_nonroot_exit4)
{
	char name[IPCCHAN_NAME_MAX];

	need_ctl();
	close(chan_new(name, RS, 0666, 0, 0, 0));
	EXPECT_EQ(run_ctl(true, NULL, CTL_ARGS("delete", name)), 4);
	/* Still there. */
	close(chan_get(name, RS));
}

TEST_MAIN("ctl")
