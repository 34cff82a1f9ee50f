// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl list: every channel and region, from a dump.
 */
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

static const char usage[] = "list [-j] [-k channel|region]";
static const char options[] =
	"Lists every channel and region of the machine, in the order they\n"
	"were made: one line each under a header, or a JSON array. An unnamed\n"
	"channel is shown by its id: \"#ID pipe\", or \"#ID pair>#PEER\" for a\n"
	"direction of a pair.\n"
	"  -j          JSON output\n"
	"  -k KIND     only objects of KIND: channel or region\n";

int ctl_list_main(int argc, char *argv[])
{
	struct ipcchan_objlist *list;
	unsigned int kind = 0;
	bool json = false;
	int ret;

	ret = parse_view_opts(argc, argv, usage, options, &json, &kind);
	if (ret >= 0)
		return ret;
	ret = check_operands(usage, argc, argv, 0, 0);
	if (ret)
		return ret;
	ret = ipcchan_nl_dump(kind, &list);
	if (ret)
		return ctl_fail(ret, "list");
	ret = print_objects(list, json);
	ipcchan_objlist_free(list);
	return ret;
}
