// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan send: each operand, or else each line of stdin, is one message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"
#include "xfer.h"

static const char usage[] =
	"send NAME [-t TIMEOUT_MS] [-N] [-S] [-c] [MESSAGE...]";
static const char options[] =
	"Sends each MESSAGE, or else each line of stdin, as one message.\n"
	"  -t TIMEOUT_MS  wait at most this long for room, per message\n"
	"  -N             do not wait for room\n"
	"  -S             synchronous: return only once a receiver has\n"
	"                 taken each message (-t and -N then bound that too)\n"
	"  -c             create NAME, mode 0666, if it does not exist\n";

static int send_one(void *dst, const struct xfer_opts *o, const char *buf,
		    size_t len)
{
	int fd = *(int *)dst;
	int ret = ipcchan_send(fd, buf, len, o->flags, o->timeout_ns);

	return ret ? xfer_fail(o, "send to", ret) : EXIT_OK;
}

int send_main(int argc, char *argv[])
{
	struct xfer_opts o;
	int opt, ret, fd;

	xfer_init(&o);
	while ((opt = getopt(argc, argv, ":" XFER_OPTS "Sh")) != -1) {
		switch (opt) {
		case 'S':
			o.flags |= IPCCHAN_XFER_SYNC;
			continue;
		case 'h':
			return usage_help(usage, options);
		case ':':
		case '?':
			return option_error(usage, opt);
		}
		if (!xfer_parse_opt(&o, opt, optarg))
			return usage_error(usage, "bad value '%s' for -%c",
					   optarg, opt);
	}
	ret = check_operands(usage, argc, argv, 1, -1);
	if (ret)
		return ret;
	o.name = argv[optind++];
	fd = xfer_open(&o, IPCCHAN_OPEN_SEND);
	if (fd < 0)
		return EXIT_FAIL;
	ret = xfer_send_each(send_one, &fd, &o, argc - optind, argv + optind);
	close(fd);
	return ret;
}
