// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan region read: prints text from a read-only mapping of a region.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "region read NAME OFFSET LENGTH";
static const char options[] =
	"Maps region NAME read-only and prints at most LENGTH bytes from byte\n"
	"OFFSET, as text: up to the first NUL byte, then a newline.\n";

#define OPEN_FLAGS	(IPCCHAN_REGION_READ | IPCCHAN_OPEN_CLOEXEC)

int region_read_main(int argc, char *argv[])
{
	uint64_t offset, length;
	const char *name, *map, *nul;
	size_t size, n;
	int ret, fd;

	if (!plain_args(usage, options, argc, argv, 3, &ret))
		return ret;
	name = argv[optind];
	if (!parse_dec64(argv[optind + 1], &offset))
		return usage_error(usage, "bad OFFSET '%s'", argv[optind + 1]);
	if (!parse_dec64(argv[optind + 2], &length))
		return usage_error(usage, "bad LENGTH '%s'", argv[optind + 2]);
	fd = open_region(name, OPEN_FLAGS, 0, 0, "open region");
	if (fd < 0)
		return EXIT_FAIL;
	ret = ipcchan_region_map(fd, PROT_READ, (void **)&map, &size);
	close(fd);
	if (ret)
		return fail(ret, "map region %s", name);
	if (offset > size || length > size - offset) {
		fprintf(stderr, "%s: read region %s: %llu bytes at offset %llu "
			"are not inside its %zu bytes\n", PROG_NAME, name,
			(unsigned long long)length,
			(unsigned long long)offset, size);
		ipcchan_region_unmap((void *)map, size);
		return EXIT_FAIL;
	}
	nul = memchr(map + offset, '\0', length);
	n = nul ? (size_t)(nul - (map + offset)) : length;
	fwrite(map + offset, 1, n, stdout);
	putchar('\n');
	ret = fflush(stdout) ? -errno : 0;
	ipcchan_region_unmap((void *)map, size);
	if (ret)
		return fail(ret, "writing stdout");
	return EXIT_OK;
}
