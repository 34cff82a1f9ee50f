// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan create: creates a channel and lets go of it.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] =
	"create NAME [-m MODE] [-s MAX_MSG_SIZE] [-n MAX_MSGS] [-b MAX_BYTES] "
	"[-x] [-a] [-r]";
static const char options[] =
	"Creates channel NAME unless it exists. A limit of 0 picks the\n"
	"module's default.\n"
	"  -m MODE          permission bits, octal, exactly as given\n"
	"                   (as mkdir -m; default 0600 less the umask)\n"
	"  -s MAX_MSG_SIZE  largest message, in bytes\n"
	"  -n MAX_MSGS      most queued messages\n"
	"  -b MAX_BYTES     most queued bytes\n"
	"  -x               fail if NAME exists\n"
	"  -a               open NAME even if another uid owns it\n"
	"                   (IPCCHAN_OPEN_ADOPT)\n"
	"  -r               a rendezvous channel: it queues nothing of its\n"
	"                   own, every send waits for a receiver to take it\n"
	"                   (IPCCHAN_OPEN_RENDEZVOUS)\n";

int create_main(int argc, char *argv[])
{
	struct ipcchan_attr attr = { .mode = 0600 };
	/*
	 * Open to receive, never to send: a closed sender would leave a new
	 * empty channel hung up for the receivers that come next.
	 */
	unsigned int flags = IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_RECV |
			     IPCCHAN_OPEN_CLOEXEC;
	bool ok = true;
	int opt, ret, fd;

	while ((opt = getopt(argc, argv, ":m:s:n:b:xarh")) != -1) {
		switch (opt) {
		case 'm':
			/* -m is exact: the module clears the umask's bits. */
			umask(0);
			ok = parse_u32(optarg, 8, 0777, &attr.mode);
			break;
		case 's':
			ok = parse_dec32(optarg, &attr.max_msg_size);
			break;
		case 'n':
			ok = parse_dec32(optarg, &attr.max_msgs);
			break;
		case 'b':
			ok = parse_dec64(optarg, &attr.max_bytes);
			break;
		case 'x':
			flags |= IPCCHAN_OPEN_EXCL;
			break;
		case 'a':
			flags |= IPCCHAN_OPEN_ADOPT;
			break;
		case 'r':
			flags |= IPCCHAN_OPEN_RENDEZVOUS;
			break;
		case 'h':
			return usage_help(usage, options);
		default:
			return option_error(usage, opt);
		}
		if (!ok)
			return usage_error(usage, "bad value '%s' for -%c",
					   optarg, opt);
	}
	ret = check_operands(usage, argc, argv, 1, 1);
	if (ret)
		return ret;
	fd = open_channel(argv[optind], flags, &attr, "create");
	if (fd < 0)
		return EXIT_FAIL;
	close(fd);
	return EXIT_OK;
}
