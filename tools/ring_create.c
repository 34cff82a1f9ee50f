// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan ring create: creates a region and writes an empty ring into it.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

#define MIN_CAPACITY	4096

static const char usage[] = "ring create NAME CAPACITY [-m MODE]";
static const char options[] =
	"Creates region NAME holding an empty ring whose data area has\n"
	"CAPACITY bytes: a power of two, at least 4096; it may end in K, M\n"
	"or G. Fails if NAME exists. Takes neither the producer's nor the\n"
	"consumer's side.\n"
	"  -m MODE  permission bits, octal, exactly as given\n"
	"           (as mkdir -m; default 0600 less the umask)\n";

int ring_create_main(int argc, char *argv[])
{
	struct ipcchan_ring *ring;
	uint64_t capacity;
	uint32_t mode = 0600;
	int opt, ret, devfd;

	while ((opt = getopt(argc, argv, ":m:h")) != -1) {
		switch (opt) {
		case 'm':
			/* -m is exact: the module clears the umask's bits. */
			umask(0);
			if (!parse_u32(optarg, 8, 0777, &mode))
				return usage_error(usage,
						   "bad value '%s' for -m",
						   optarg);
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
	if (!parse_size(argv[optind + 1], &capacity) ||
	    capacity < MIN_CAPACITY || capacity > SIZE_MAX ||
	    capacity & (capacity - 1))
		return usage_error(usage, "bad CAPACITY '%s': a power of two, "
				   "at least %d", argv[optind + 1],
				   MIN_CAPACITY);
	devfd = open_device();
	if (devfd < 0)
		return EXIT_FAIL;
	ret = ipcchan_ring_create(devfd, argv[optind], capacity, mode, 0,
				  &ring);
	close(devfd);
	if (ret)
		return fail(ret, "create ring %s", argv[optind]);
	ipcchan_ring_close(ring);
	return EXIT_OK;
}
