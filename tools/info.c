// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan info: prints what IPCCHAN_IOC_CHAN_INFO says about a channel.
 */
#include <stdio.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "info NAME";
static const char options[] =
	"Prints the attributes and state of channel NAME, one \"key: value\"\n"
	"a line.\n"
	"The receivers count leaves out this command's own descriptor.\n";

/* Not IPCCHAN_OPEN_SEND: closing a sender can hang the channel up. */
#define OPEN_FLAGS	(IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_CLOEXEC)

static void print_info(const struct ipcchan_chan_info *ci)
{
	/* Our own descriptor is a receiver too; report the others. */
	unsigned int receivers = ci->receivers ? ci->receivers - 1 : 0;

	printf("name: %.*s\n", IPCCHAN_NAME_MAX, ci->name);
	printf("mode: %04o\n", ci->mode);
	printf("uid: %u\n", ci->uid);
	printf("gid: %u\n", ci->gid);
	printf("max_msg_size: %u\n", ci->max_msg_size);
	printf("max_msgs: %u\n", ci->max_msgs);
	printf("max_bytes: %llu\n", (unsigned long long)ci->max_bytes);
	printf("msgs: %u\n", ci->msgs);
	printf("bytes: %llu\n", (unsigned long long)ci->bytes);
	printf("senders: %u\n", ci->senders);
	printf("receivers: %u\n", receivers);
	printf("next_seq: %llu\n", (unsigned long long)ci->next_seq);
}

int info_main(int argc, char *argv[])
{
	struct ipcchan_chan_info ci;
	int ret, fd;

	if (!plain_args(usage, options, argc, argv, 1, &ret))
		return ret;
	fd = open_channel(argv[optind], OPEN_FLAGS, NULL, "open");
	if (fd < 0)
		return EXIT_FAIL;
	ret = ipcchan_chan_info(fd, &ci);
	close(fd);
	if (ret)
		return fail(ret, "info %s", argv[optind]);
	print_info(&ci);
	return EXIT_OK;
}
