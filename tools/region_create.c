// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region create: creates a region and lets go of it.
 */
#include <unistd.h>
#include <sys/stat.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "region create NAME SIZE [-m MODE] [-x] [-a]";
static const char options[] =
	"Creates region NAME of SIZE bytes unless it exists. SIZE may end in\n"
	"K, M or G (KiB, MiB, GiB); it is rounded up to whole pages. The\n"
	"memory starts zeroed.\n"
	"  -m MODE  permission bits, octal, exactly (as mkdir -m; default\n"
	"           0600 less the umask)\n"
	"  -x       fail if NAME exists\n"
	"  -a       open NAME even if another uid owns it (IPCCHAN_OPEN_ADOPT)\n";

int region_create_main(int argc, char *argv[])
{
	unsigned int flags = IPCCHAN_OPEN_CREATE | IPCCHAN_REGION_READ |
			     IPCCHAN_OPEN_CLOEXEC;
	uint32_t mode = 0600;
	uint64_t size;
	int opt, ret, fd;

	while ((opt = getopt(argc, argv, ":m:xah")) != -1) {
		switch (opt) {
		case 'm':
			/* -m is exact: the module clears the umask's bits. */
			umask(0);
			if (!parse_u32(optarg, 8, 0777, &mode))
				return usage_error(usage,
						   "bad value '%s' for -m",
						   optarg);
			break;
		case 'x':
			flags |= IPCCHAN_OPEN_EXCL;
			break;
		case 'a':
			flags |= IPCCHAN_OPEN_ADOPT;
			break;
		case 'h':
			return usage_help(usage, options);
		default:
			return option_error(usage, opt);
		}
	}
	ret = check_operands(usage, argc, argv, 2, 2);
	if (ret)
		return ret;
	if (!parse_size(argv[optind + 1], &size) || !size)
		return usage_error(usage, "bad SIZE '%s'", argv[optind + 1]);
	fd = open_region(argv[optind], flags, mode, size, "create region");
	if (fd < 0)
		return EXIT_FAIL;
	close(fd);
	return EXIT_OK;
}
