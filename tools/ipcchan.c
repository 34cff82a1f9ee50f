// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan: send and receive messages on ipcchan channels from the shell.
 */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"
#include "util.h"

static const struct {
	const char *name;
	int (*function)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{ "create",  create_main,  "Creates a channel" },
	{ "unlink",  unlink_main,  "Removes the name of a channel" },
	{ "send",    send_main,    "Sends arguments or stdin lines" },
	{ "recv",    recv_main,    "Prints messages received, one a line" },
	{ "info",    info_main,    "Shows a channel's attributes and state" },
	{ "version", version_main, "Shows versions, features and limits" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<arguments>]\n\nCommands:\n",
		PROG_NAME);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "  %-8s %s\n", "help", "Shows this text");
	fprintf(f, "\nRun '%s <command> -h' for the arguments of a command.\n"
		"Exit status: 0 success, 1 runtime error, 2 usage error.\n",
		PROG_NAME);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

int main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		show_usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		show_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].function(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n", PROG_NAME, argv[1]);
	show_usage(stderr);
	return EXIT_USAGE;
}
