// SPDX-License-Identifier: GPL-2.0
/*
 * Options and error reporting common to send and recv.
 */
#include <errno.h>
#include <stdio.h>

#include <ipcchan.h>

#include "util.h"
#include "xfer.h"

#define NSEC_PER_MSEC	1000000LL
#define CREATE_MODE	0666

void xfer_init(struct xfer_opts *o)
{
	*o = (struct xfer_opts){ .timeout_ns = IPCCHAN_WAIT_FOREVER };
}

bool xfer_parse_opt(struct xfer_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 't':
		if (!parse_uint(arg, 10, INT64_MAX / NSEC_PER_MSEC,
				&o->timeout_ms))
			return false;
		o->timeout_ns = o->timeout_ms * NSEC_PER_MSEC;
		break;
	case 'N':
		o->flags |= IPCCHAN_XFER_NONBLOCK;
		break;
	case 'c':
		o->create = true;
		break;
	}
	return true;
}

int xfer_open(const struct xfer_opts *o, unsigned int access)
{
	const struct ipcchan_attr attr = { .mode = CREATE_MODE };
	unsigned int flags = access | IPCCHAN_OPEN_CLOEXEC;

	if (o->create)
		flags |= IPCCHAN_OPEN_CREATE;
	return open_channel(o->name, flags, &attr, "open");
}

int xfer_fail(const struct xfer_opts *o, const char *verb, int err)
{
	if (err != -ETIMEDOUT)
		return fail(err, "%s %s", verb, o->name);
	fprintf(stderr, "%s: %s %s: timed out after %llu ms\n", PROG_NAME,
		verb, o->name, (unsigned long long)o->timeout_ms);
	return EXIT_FAIL;
}
