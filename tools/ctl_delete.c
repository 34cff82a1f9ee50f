// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl delete: removes the name of an object, as its owner's unlink
 * would, on behalf of an administrator.
 */
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

static const char usage[] = "delete NAME [-k channel|region]";
static const char options[] =
	"Removes the name of the channel NAME (of the region with -k region).\n"
	"Open descriptors and mappings keep working. Needs the owner or CAP_IPC_OWNER.\n"
	"  -k KIND     the kind of NAME: channel (the default) or region\n";

int ctl_delete_main(int argc, char *argv[])
{
	unsigned int kind = IPCCHAN_KIND_CHANNEL;
	int opt, ret;

	while ((opt = getopt(argc, argv, ":hk:")) != -1) {
		switch (opt) {
		case 'h':
			return usage_help(usage, options);
		case 'k':
			if (!parse_kind(optarg, &kind))
				return usage_error(usage, "unknown kind '%s'",
						   optarg);
			break;
		default:
			return option_error(usage, opt);
		}
	}
	ret = check_operands(usage, argc, argv, 1, 1);
	if (ret)
		return ret;
	ret = ipcchan_nl_delete(kind, argv[optind]);
	if (ret)
		return ctl_fail(ret, "delete %s %s", ipcchan_kind_name(kind),
				argv[optind]);
	return EXIT_OK;
}
