/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipcchanctl: its subcommands, exit codes and output helpers. The generic
 * helpers of util.h (parsing, usage) are shared with the ipcchan tool.
 */
#ifndef IPCCHAN_TOOL_CTL_H
#define IPCCHAN_TOOL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "subcommands.h"
#include "util.h"

/* Exit codes beyond util.h's EXIT_OK, EXIT_FAIL and EXIT_USAGE. */
enum {
	EXIT_NOTFOUND = 3,	/* no object of that kind and name */
	EXIT_PERM = 4,		/* EPERM or EACCES: not the owner */
	EXIT_NOMODULE = 5,	/* the netlink family is not registered */
};

int ctl_list_main(int argc, char *argv[]);
int ctl_show_main(int argc, char *argv[]);
int ctl_monitor_main(int argc, char *argv[]);
int ctl_delete_main(int argc, char *argv[]);
int ctl_set_main(int argc, char *argv[]);

/*
 * Reports the failure @err of the request described by @fmt and returns
 * its exit code: -ENOENT is EXIT_NOMODULE when the family is missing (one
 * line says how to load the module) and EXIT_NOTFOUND otherwise, -EPERM
 * and -EACCES are EXIT_PERM, anything else EXIT_FAIL.
 */
int ctl_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses the value of -k; false if it names no kind the library knows. */
bool parse_kind(const char *s, unsigned int *kind);

/*
 * Parses the -h, -j and -k options that list and show share into @json and
 * @kind. Returns -1 to go on, else the exit code to return at once.
 */
int parse_view_opts(int argc, char *argv[], const char *usage,
		    const char *options, bool *json, unsigned int *kind);

/* "created", "destroyed"..., or NULL for an event this tool does not know. */
const char *event_name(uint32_t event);

/*
 * JSON output: an object written member by member. Strings are escaped, so
 * the output is valid JSON whatever they hold.
 */
struct json {
	FILE *f;
	bool first;
};

void json_begin(struct json *j, FILE *f);
void json_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);

/*
 * An aligned text table: cells are copied in, widths computed when it is
 * printed. Column i is right-aligned if @right has bit i.
 */
struct table {
	size_t ncols;
	uint32_t right;
	size_t nrows;
	size_t cap;
	char **cells;
};

void table_init(struct table *t, size_t ncols, uint32_t right);
/* Appends a row of t->ncols cells; returns false when out of memory. */
bool table_add(struct table *t, const char *const *cells);
/* Printf-style helper for one cell, into @buf of @size. */
const char *cellf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Columns are two spaces apart; no trailing blanks. */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

struct ipcchan_object;
struct ipcchan_objlist;

/* list: the objects as a table with a header line, or as a JSON array. */
int print_objects(const struct ipcchan_objlist *list, bool json);

/* show: one object, "key: value" lines, or as a JSON object. */
int print_object(const struct ipcchan_object *obj, bool json);

#endif /* IPCCHAN_TOOL_CTL_H */
