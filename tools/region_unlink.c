// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region unlink: removes the name of a region.
 */
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "region unlink NAME";
static const char options[] =
	"Removes the name NAME; open fds and mappings keep working, and the\n"
	"memory goes with the last of them.\n";

int region_unlink_main(int argc, char *argv[])
{
	int ret, devfd;

	if (!plain_args(usage, options, argc, argv, 1, &ret))
		return ret;
	devfd = open_device();
	if (devfd < 0)
		return EXIT_FAIL;
	ret = ipcchan_region_unlink(devfd, argv[optind]);
	close(devfd);
	if (ret)
		return fail(ret, "unlink region %s", argv[optind]);
	return EXIT_OK;
}
