// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region: the subcommands on shared memory regions.
 */
#include "subcommands.h"
#include "util.h"

static const struct subcommand region_subcommands[] = {
	{ "create", region_create_main, "Creates a region" },
	{ "write",  region_write_main,  "Writes text into a region" },
	{ "read",   region_read_main,   "Prints text from a region" },
	{ "info",   region_info_main,   "Shows a region's attributes and state" },
	{ "unlink", region_unlink_main, "Removes the name of a region" },
};

int region_main(int argc, char *argv[])
{
	return dispatch(region_subcommands, ARRAY_SIZE(region_subcommands),
			"region", argc, argv);
}
