// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan ring send: the producer of a ring; each operand, or else each line
 * of stdin, is one record.
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

static const char usage[] = "ring send NAME [-t TIMEOUT_MS] [-N] [MESSAGE...]";
static const char options[] =
	"Attaches to the ring in region NAME as its producer and writes each\n"
	"MESSAGE, or else each line of stdin, as one record, in place.\n"
	"Fails when the consumer is gone and the ring is full.\n"
	"  -t TIMEOUT_MS  wait at most this long for room, per record\n"
	"  -N             do not wait for room\n";

static int send_one(void *dst, const struct xfer_opts *o, const char *buf,
		    size_t len)
{
	struct ipcchan_ring *ring = dst;
	void *rec;
	int ret;

	ret = ipcchan_ring_reserve(ring, len, &rec, o->flags, o->timeout_ns);
	if (ret == -EPIPE) {
		fprintf(stderr, "%s: send to ring %s: the consumer is gone\n",
			PROG_NAME, o->name);
		return EXIT_FAIL;
	}
	if (ret)
		return xfer_fail(o, "send to ring", ret);
	memcpy(rec, buf, len);
	ret = ipcchan_ring_commit(ring);
	return ret ? xfer_fail(o, "send to ring", ret) : EXIT_OK;
}

int ring_send_main(int argc, char *argv[])
{
	struct ipcchan_ring *ring;
	struct xfer_opts o;
	int opt, ret;

	xfer_init(&o);
	while ((opt = getopt(argc, argv, ":t:Nh")) != -1) {
		switch (opt) {
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
	ring = open_ring(o.name, IPCCHAN_ROLE_PRODUCER);
	if (!ring)
		return EXIT_FAIL;
	ret = xfer_send_each(send_one, ring, &o, argc - optind, argv + optind);
	ipcchan_ring_close(ring);
	return ret;
}
