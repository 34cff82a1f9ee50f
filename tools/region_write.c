// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region write: stores text in a region through a mapping of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "region write NAME OFFSET TEXT";
static const char options[] =
	"Maps region NAME and writes TEXT at byte OFFSET, followed by a NUL\n"
	"byte if there is room for it before the end of the region.\n";

#define OPEN_FLAGS	(IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE | \
			 IPCCHAN_OPEN_CLOEXEC)

int region_write_main(int argc, char *argv[])
{
	const char *name, *text;
	uint64_t offset;
	size_t len, size;
	char *map;
	int ret, fd;

	if (!plain_args(usage, options, argc, argv, 3, &ret))
		return ret;
	name = argv[optind];
	text = argv[optind + 2];
	if (!parse_dec64(argv[optind + 1], &offset))
		return usage_error(usage, "bad OFFSET '%s'", argv[optind + 1]);
	fd = open_region(name, OPEN_FLAGS, 0, 0, "open region");
	if (fd < 0)
		return EXIT_FAIL;
	ret = ipcchan_region_map(fd, PROT_READ | PROT_WRITE, (void **)&map,
				 &size);
	close(fd);
	if (ret)
		return fail(ret, "map region %s", name);
	len = strlen(text);
	if (offset > size || len > size - offset) {
		fprintf(stderr, "%s: write region %s: %zu bytes at offset "
			"%llu do not fit in its %zu bytes\n", PROG_NAME, name,
			len, (unsigned long long)offset, size);
		ipcchan_region_unmap(map, size);
		return EXIT_FAIL;
	}
	memcpy(map + offset, text, len);
	if (len < size - offset)
		map[offset + len] = '\0';
	ret = ipcchan_region_unmap(map, size);
	if (ret)
		return fail(ret, "unmap region %s", name);
	return EXIT_OK;
}
