// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan ring recv: the consumer of a ring; prints each record on its own
 * line, straight from the shared mapping.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"
#include "xfer.h"

static const char usage[] = "ring recv NAME [-n COUNT] [-t TIMEOUT_MS] [-N]";
static const char options[] =
	"Attaches to the ring in region NAME as its consumer and prints each\n"
	"record on its own line, until COUNT records or until the producer is\n"
	"gone and every record it committed has been printed (status 0).\n"
	"  -n COUNT       stop after COUNT records\n"
	"  -t TIMEOUT_MS  wait at most this long for each record\n"
	"  -N             do not wait for records\n";

/* Prints @count records, or all of them until the producer is gone if 0. */
static int recv_loop(struct ipcchan_ring *ring, const struct xfer_opts *o,
		     uint64_t count)
{
	uint64_t done;

	for (done = 0; !count || done < count; done++) {
		const void *rec;
		ssize_t len;
		int ret;

		len = ipcchan_ring_peek(ring, &rec, o->flags, o->timeout_ns);
		if (len == -EPIPE)
			break;
		if (len < 0)
			return xfer_fail(o, "receive from ring", len);
		fwrite(rec, 1, len, stdout);
		putchar('\n');
		if (fflush(stdout))
			return fail(-errno, "writing stdout");
		ret = ipcchan_ring_release(ring);
		if (ret)
			return xfer_fail(o, "receive from ring", ret);
	}
	return EXIT_OK;
}

int ring_recv_main(int argc, char *argv[])
{
	struct ipcchan_ring *ring;
	struct xfer_opts o;
	uint64_t count = 0;
	bool ok;
	int opt, ret;

	xfer_init(&o);
	while ((opt = getopt(argc, argv, ":t:Nn:h")) != -1) {
		switch (opt) {
		case 'n':
			ok = parse_dec64(optarg, &count) && count > 0;
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
	ring = open_ring(o.name, IPCCHAN_ROLE_CONSUMER);
	if (!ring)
		return EXIT_FAIL;
	ret = recv_loop(ring, &o, count);
	ipcchan_ring_close(ring);
	return ret;
}
