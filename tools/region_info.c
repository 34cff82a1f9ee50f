// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region info: prints what IPCCHAN_IOC_REGION_INFO says.
 */
#include <stdio.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "region info NAME";
static const char options[] =
	"Prints the attributes and state of region NAME, one \"key: value\"\n"
	"a line: its size, the mappings of it that exist now, the files\n"
	"attached as a ring's producer and consumer, and the wakes so far.\n"
	"This command neither maps it nor attaches.\n";

#define OPEN_FLAGS	(IPCCHAN_REGION_READ | IPCCHAN_OPEN_CLOEXEC)

static void print_info(const struct ipcchan_region_info *ri)
{
	printf("name: %.*s\n", IPCCHAN_NAME_MAX, ri->name);
	printf("size: %llu\n", (unsigned long long)ri->region_size);
	printf("mode: %04o\n", ri->mode);
	printf("uid: %u\n", ri->uid);
	printf("gid: %u\n", ri->gid);
	printf("mappings: %u\n", ri->mappings);
	printf("producers: %u\n", ri->producers);
	printf("consumers: %u\n", ri->consumers);
	printf("wakes: %llu\n", (unsigned long long)ri->wakes);
}

int region_info_main(int argc, char *argv[])
{
	struct ipcchan_region_info ri;
	int ret, fd;

	if (!plain_args(usage, options, argc, argv, 1, &ret))
		return ret;
	fd = open_region(argv[optind], OPEN_FLAGS, 0, 0, "open region");
	if (fd < 0)
		return EXIT_FAIL;
	ret = ipcchan_region_info(fd, &ri);
	close(fd);
	if (ret)
		return fail(ret, "info region %s", argv[optind]);
	print_info(&ri);
	return EXIT_OK;
}
