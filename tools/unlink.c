// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan unlink: removes the name of a channel.
 */
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "unlink NAME";
static const char options[] =
	"Removes the name NAME; open descriptors keep working.\n";

int unlink_main(int argc, char *argv[])
{
	int ret, devfd;

	if (!plain_args(usage, options, argc, argv, 1, &ret))
		return ret;
	devfd = open_device();
	if (devfd < 0)
		return EXIT_FAIL;
	ret = ipcchan_chan_unlink(devfd, argv[optind]);
	close(devfd);
	if (ret)
		return fail(ret, "unlink %s", argv[optind]);
	return EXIT_OK;
}
