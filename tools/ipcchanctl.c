// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl: see and manage every channel and region of the machine, and
 * watch their events, through the generic netlink family "ipcchan".
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

static const struct subcommand subcommands[] = {
	{ "list",    ctl_list_main,    "Lists channels and regions" },
	{ "show",    ctl_show_main,    "Shows one object in full" },
	{ "monitor", ctl_monitor_main, "Prints events as they happen" },
	{ "delete",  ctl_delete_main,  "Removes the name of an object" },
	{ "set",     ctl_set_main,     "Changes the limits of a channel" },
};

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
		"Exit status: 0 success, 1 error, 2 usage error, 3 object not "
		"found,\n4 permission denied, 5 module not loaded.\n",
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
