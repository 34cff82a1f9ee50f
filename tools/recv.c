// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan recv: prints each message received on its own line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"
#include "xfer.h"

#define INITIAL_BUF	4096

static const char usage[] =
	"recv NAME [-n COUNT] [-t TIMEOUT_MS] [-N] [-v] [-c]";
static const char options[] =
	"Prints each message on its own line, until hang-up or COUNT\n"
	"messages.\n"
	"  -n COUNT       stop after COUNT messages\n"
	"  -t TIMEOUT_MS  wait at most this long for each message\n"
	"  -N             do not wait for messages\n"
	"  -v             prefix \"seq=S pid=P uid=U len=L: \"\n"
	"  -c             create NAME, mode 0666, if it does not exist\n";

struct buffer {
	char *data;
	size_t cap;
};

/* Receives one message, growing @b when it is too small for it. */
static ssize_t recv_one(int fd, const struct xfer_opts *o, struct buffer *b,
			struct ipcchan_msg_info *info)
{
	ssize_t n;
	char *p;

	while ((n = ipcchan_recv(fd, b->data, b->cap, info, o->flags,
				 o->timeout_ns)) == -EMSGSIZE) {
		if (info->len <= b->cap)
			break;
		p = realloc(b->data, info->len);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = info->len;
	}
	return n;
}

static int print_msg(const char *buf, size_t len,
		     const struct ipcchan_msg_info *info, bool verbose)
{
	if (verbose)
		printf("seq=%llu pid=%d uid=%u len=%u: ",
		       (unsigned long long)info->seq, info->pid, info->uid,
		       info->len);
	fwrite(buf, 1, len, stdout);
	putchar('\n');
	return fflush(stdout) ? -errno : 0;
}

/* Receives @count messages, or all of them until hang-up if @count is 0. */
static int recv_loop(int fd, const struct xfer_opts *o, uint64_t count,
		     bool verbose)
{
	struct buffer b = { .data = malloc(INITIAL_BUF), .cap = INITIAL_BUF };
	struct ipcchan_msg_info info;
	uint64_t done;
	int ret = EXIT_OK;

	if (!b.data)
		return fail(-ENOMEM, "receive from %s", o->name);
	for (done = 0; !count || done < count; done++) {
		ssize_t len = recv_one(fd, o, &b, &info);
		int err;

		if (len == -EPIPE)
			break;
		if (len < 0) {
			ret = xfer_fail(o, "receive from", len);
			break;
		}
		err = print_msg(b.data, len, &info, verbose);
		if (err) {
			ret = fail(err, "writing stdout");
			break;
		}
	}
	free(b.data);
	return ret;
}

int recv_main(int argc, char *argv[])
{
	struct xfer_opts o;
	uint64_t count = 0;
	bool verbose = false, ok;
	int opt, ret, fd;

	xfer_init(&o);
	while ((opt = getopt(argc, argv, ":" XFER_OPTS "n:vh")) != -1) {
		switch (opt) {
		case 'n':
			ok = parse_dec64(optarg, &count) && count > 0;
			break;
		case 'v':
			verbose = true;
			ok = true;
			break;
		case 'h':
			return usage_help(usage, options);
		case ':':
		case '?':
			return option_error(usage, opt);
		default:
			ok = xfer_parse_opt(&o, opt, optarg);
		}
		if (!ok)
			return usage_error(usage, "bad value '%s' for -%c",
					   optarg, opt);
	}
	ret = check_operands(usage, argc, argv, 1, 1);
	if (ret)
		return ret;
	o.name = argv[optind];
	fd = xfer_open(&o, IPCCHAN_OPEN_RECV);
	if (fd < 0)
		return EXIT_FAIL;
	ret = recv_loop(fd, &o, count, verbose);
	close(fd);
	return ret;
}
