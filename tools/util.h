/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the subcommands of the ipcchan tool.
 */
#ifndef IPCCHAN_TOOL_UTIL_H
#define IPCCHAN_TOOL_UTIL_H

#include <stdbool.h>
#include <stdint.h>

/* ipcchanctl builds this file's util.c again with its own name. */
#ifndef PROG_NAME
#define PROG_NAME	"ipcchan"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/* Prints "ipcchan: <what>: <strerror(-err)>" and returns EXIT_FAIL. */
int fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "ipcchan: <why>" and the usage line to stderr, returns EXIT_USAGE. */
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints the usage line and @options to stdout, for -h; returns EXIT_OK. */
int usage_help(const char *usage, const char *options);

/* Reports what getopt() returned for an unknown or incomplete option. */
int option_error(const char *usage, int opt);

/* Checks that between @min and @max operands follow the options. */
int check_operands(const char *usage, int argc, char *argv[], int min,
		   int max);

/*
 * Parses the arguments of a command whose only option is -h and which takes
 * exactly @n operands. Returns false, with *@status set to the exit code,
 * when the command is to end here.
 */
bool plain_args(const char *usage, const char *options, int argc,
		char *argv[], int n, int *status);

/* Parses a whole unsigned number in @base, at most @max. */
bool parse_uint(const char *s, int base, uint64_t max, uint64_t *out);
bool parse_u32(const char *s, int base, uint32_t max, uint32_t *out);
bool parse_dec32(const char *s, uint32_t *out);
bool parse_dec64(const char *s, uint64_t *out);

/* Parses a byte count: decimal, optionally followed by K, M or G (KiB...). */
bool parse_size(const char *s, uint64_t *out);

/* Opens /dev/ipcchan; on failure says why and returns -1. */
int open_device(void);

struct ipcchan_attr;

/*
 * Opens channel @name through a /dev/ipcchan of its own. On failure prints
 * "ipcchan: <verb> <name>: <error>" and returns -1.
 */
int open_channel(const char *name, unsigned int flags,
		 const struct ipcchan_attr *attr, const char *verb);

/*
 * Opens region @name, with @mode and @size when @flags has
 * IPCCHAN_OPEN_CREATE. On failure prints "ipcchan: <verb> <name>: <error>"
 * and returns -1.
 */
int open_region(const char *name, unsigned int flags, uint32_t mode,
		uint64_t size, const char *verb);

struct ipcchan_ring;

/*
 * Opens the ring in region @name as @role (IPCCHAN_ROLE_*). On failure says
 * why and returns NULL.
 */
struct ipcchan_ring *open_ring(const char *name, unsigned int role);

#endif /* IPCCHAN_TOOL_UTIL_H */
