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
	"send NAME [-t TIMEOUT_MS] [-N] [-c] [MESSAGE...]";
static const char options[] =
	"Sends each MESSAGE, or else each line of stdin, as one message.\n"
	"  -t TIMEOUT_MS  wait at most this long for room, per message\n"
	"  -N             do not wait for room\n"
	"  -c             create NAME, mode 0666, if it does not exist\n";

static int send_one(int fd, const struct xfer_opts *o, const char *buf,
		    size_t len)
{
	int ret = ipcchan_send(fd, buf, len, o->flags, o->timeout_ns);

	return ret ? xfer_fail(o, "send to", ret) : EXIT_OK;
}

static int send_operands(int fd, const struct xfer_opts *o, int argc,
			 char *argv[])
{
	int i, ret = EXIT_OK;

	for (i = 0; i < argc && ret == EXIT_OK; i++)
		ret = send_one(fd, o, argv[i], strlen(argv[i]));
	return ret;
}

static int send_lines(int fd, const struct xfer_opts *o, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = EXIT_OK;

	while (ret == EXIT_OK && (len = getline(&line, &cap, in)) >= 0) {
		if (len && line[len - 1] == '\n')
			len--;
		ret = send_one(fd, o, line, len);
	}
	if (ret == EXIT_OK && ferror(in))
		ret = fail(-errno, "reading stdin");
	free(line);
	return ret;
}

int send_main(int argc, char *argv[])
{
	struct xfer_opts o;
	int opt, ret, fd;

	xfer_init(&o);
	while ((opt = getopt(argc, argv, ":" XFER_OPTS "h")) != -1) {
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
	fd = xfer_open(&o, IPCCHAN_OPEN_SEND);
	if (fd < 0)
		return EXIT_FAIL;
	if (optind < argc)
		ret = send_operands(fd, &o, argc - optind, argv + optind);
	else
		ret = send_lines(fd, &o, stdin);
	close(fd);
	return ret;
}
