// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting, argument parsing and device opening for the subcommands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ipcchan.h>

#include "util.h"

int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(-err));
	return EXIT_FAIL;
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s %s\n", PROG_NAME, usage);
	return EXIT_USAGE;
}

int usage_help(const char *usage, const char *options)
{
	printf("Usage: %s %s\n%s", PROG_NAME, usage, options);
	return EXIT_OK;
}

int option_error(const char *usage, int opt)
{
	if (opt == ':')
		return usage_error(usage, "option -%c needs a value", optopt);
	return usage_error(usage, "unknown option -%c", optopt);
}

int check_operands(const char *usage, int argc, char *argv[], int min,
		   int max)
{
	int n = argc - optind;

	if (n < min)
		return usage_error(usage, "missing operand");
	if (max >= 0 && n > max)
		return usage_error(usage, "unexpected operand '%s'",
				   argv[optind + max]);
	return EXIT_OK;
}

bool plain_args(const char *usage, const char *options, int argc,
		char *argv[], int n, int *status)
{
	int opt = getopt(argc, argv, ":h");

	if (opt == 'h')
		*status = usage_help(usage, options);
	else if (opt != -1)
		*status = option_error(usage, opt);
	else
		*status = check_operands(usage, argc, argv, n, n);
	return opt == -1 && *status == EXIT_OK;
}

bool parse_uint(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() would take a sign and leading blanks; refuse them. */
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_u32(const char *s, int base, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!parse_uint(s, base, max, &v))
		return false;
	*out = v;
	return true;
}

bool parse_dec32(const char *s, uint32_t *out)
{
	return parse_u32(s, 10, UINT32_MAX, out);
}

bool parse_dec64(const char *s, uint64_t *out)
{
	return parse_uint(s, 10, UINT64_MAX, out);
}

bool parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMG";
	size_t len = strlen(s);
	const char *unit;
	char digits[32];
	uint64_t v;
	int shift;

	if (!len || len >= sizeof(digits))
		return false;
	unit = strchr(units, s[len - 1]);
	if (!unit)
		return parse_dec64(s, out);
	shift = 10 * (int)(unit - units + 1);
	memcpy(digits, s, len - 1);
	digits[len - 1] = '\0';
	if (!parse_dec64(digits, &v) || v > UINT64_MAX >> shift)
		return false;
	*out = v << shift;
	return true;
}

int open_device(void)
{
	int fd = ipcchan_dev_open();

	if (fd == -ENOENT)
		fputs(PROG_NAME ": " IPCCHAN_DEVICE " not found: "
		      "is the module loaded? (insmod ipcchan.ko)\n", stderr);
	else if (fd < 0)
		fail(fd, IPCCHAN_DEVICE);
	return fd < 0 ? -1 : fd;
}

int open_channel(const char *name, unsigned int flags,
		 const struct ipcchan_attr *attr, const char *verb)
{
	int devfd, fd;

	devfd = open_device();
	if (devfd < 0)
		return -1;
	fd = ipcchan_chan_open(devfd, name, flags, attr);
	close(devfd);
	if (fd < 0) {
		fail(fd, "%s %s", verb, name);
		return -1;
	}
	return fd;
}

int open_region(const char *name, unsigned int flags, uint32_t mode,
		uint64_t size, const char *verb)
{
	int devfd, fd;

	devfd = open_device();
	if (devfd < 0)
		return -1;
	fd = ipcchan_region_open(devfd, name, flags, mode, size);
	close(devfd);
	if (fd < 0) {
		fail(fd, "%s %s", verb, name);
		return -1;
	}
	return fd;
}

struct ipcchan_ring *open_ring(const char *name, unsigned int role)
{
	struct ipcchan_ring *ring;
	int devfd, ret;

	devfd = open_device();
	if (devfd < 0)
		return NULL;
	ret = ipcchan_ring_open(devfd, name, role, &ring);
	close(devfd);
	if (ret == -EPROTO) {
		fprintf(stderr, "%s: open ring %s: the region holds no ring of "
			"this version\n", PROG_NAME, name);
		return NULL;
	}
	if (ret) {
		fail(ret, "open ring %s", name);
		return NULL;
	}
	return ring;
}
