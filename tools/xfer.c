// SPDX-License-Identifier: GPL-2.0
/*
 * Options, error reporting and the message loop common to send and recv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int send_lines(xfer_send_fn send, void *dst, const struct xfer_opts *o,
		      FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = EXIT_OK;

	while (ret == EXIT_OK && (len = getline(&line, &cap, in)) >= 0) {
		if (len && line[len - 1] == '\n')
			len--;
		ret = send(dst, o, line, len);
	}
	if (ret == EXIT_OK && ferror(in))
		ret = fail(-errno, "reading stdin");
	free(line);
	return ret;
}

int xfer_send_each(xfer_send_fn send, void *dst, const struct xfer_opts *o,
		   int argc, char *argv[])
{
	int i, ret = EXIT_OK;

	if (!argc)
		return send_lines(send, dst, o, stdin);
	for (i = 0; i < argc && ret == EXIT_OK; i++)
		ret = send(dst, o, argv[i], strlen(argv[i]));
	return ret;
}
