// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan ring: the subcommands on zero-copy rings kept in regions.
 */
#include "subcommands.h"
#include "util.h"

static const struct subcommand ring_subcommands[] = {
	{ "create", ring_create_main, "Creates a region holding a ring" },
	{ "send",   ring_send_main,   "Sends arguments or stdin lines, as the "
				      "producer" },
	{ "recv",   ring_recv_main,   "Prints records, one a line, as the "
				      "consumer" },
};

int ring_main(int argc, char *argv[])
{
	return dispatch(ring_subcommands, ARRAY_SIZE(ring_subcommands), "ring",
			argc, argv);
}
