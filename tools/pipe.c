// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan pipe: runs a writer and a reader joined by an unnamed channel
 * (IPCCHAN_IOC_CHAN_PIPE): the writer's stdout sends to it, the reader's
 * stdin receives from it, and each write() is one message.
 * ipcchan pair: runs two commands joined by a connected pair: each one's
 * stdin and stdout are its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char pipe_usage[] =
	"pipe [-s MSG_SIZE] [-n MSGS] [-b BYTES] [--] WRITER... -- READER...";
static const char pipe_options[] =
	"Runs WRITER with its stdout sending to a new unnamed channel and\n"
	"READER with its stdin receiving from it; each write() is a message.\n"
	"The exit status is the reader's, or the writer's if only it failed.\n"
	"  -s MSG_SIZE  largest message (default: the module's)\n"
	"  -n MSGS      most messages queued\n"
	"  -b BYTES     most bytes queued (K, M, G suffixes)\n";
static const char pair_usage[] =
	"pair [-s MSG_SIZE] [-n MSGS] [-b BYTES] [--] CMD1... -- CMD2...";
static const char pair_options[] =
	"Runs CMD1 and CMD2 joined by a new connected pair: each one's stdin\n"
	"and stdout are its end, so what one writes the other reads.\n"
	"The exit status is CMD2's, or CMD1's if only it failed.\n"
	"  -s MSG_SIZE  largest message of each direction\n"
	"  -n MSGS      most messages queued each way\n"
	"  -b BYTES     most bytes queued each way (K, M, G suffixes)\n";

/*
 * Makes @fd (-1: none) standard descriptor @std, kept across exec: when it
 * is already @std, dup2() does nothing and its FD_CLOEXEC would stay.
 */
static int make_std(int fd, int std)
{
	if (fd < 0)
		return 0;
	if (fd == std)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, std) < 0 ? -1 : 0;
}

/* Runs argv[0] with @in as stdin and @out as stdout (-1: inherited). */
static pid_t run(char *argv[], int in, int out)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (make_std(in, 0) || make_std(out, 1))
		_exit(126);
	execvp(argv[0], argv);
	fprintf(stderr, PROG_NAME ": %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int joined(int argc, char *argv[], bool pair)
{
	const char *usage = pair ? pair_usage : pipe_usage;
	struct ipcchan_attr attr = { 0 };
	int opt, fds[2], ret, st[2], i, sep;
	pid_t pids[2];
	char **cmds[2];

	while ((opt = getopt(argc, argv, "+:s:n:b:h")) != -1) {
		bool ok = true;

		switch (opt) {
		case 'h':
			return usage_help(usage, pair ? pair_options :
					  pipe_options);
		case 's':
			ok = parse_u32(optarg, 0, UINT32_MAX,
				       &attr.max_msg_size);
			break;
		case 'n':
			ok = parse_u32(optarg, 0, UINT32_MAX, &attr.max_msgs);
			break;
		case 'b':
			ok = parse_size(optarg, &attr.max_bytes);
			break;
		default:
			return option_error(usage, opt);
		}
		if (!ok)
			return usage_error(usage, "bad value '%s' for -%c",
					   optarg, opt);
	}
	for (sep = optind; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	if (sep == optind || sep >= argc - 1)
		return usage_error(usage, "two commands are needed, "
				   "separated by --");
	argv[sep] = NULL;
	cmds[0] = argv + optind;
	cmds[1] = argv + sep + 1;

	ret = pair ? ipcchan_chan_pair(IPCCHAN_DEV_AUTO, IPCCHAN_OPEN_CLOEXEC,
				       &attr, fds) :
		     ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, IPCCHAN_OPEN_CLOEXEC,
				       &attr, fds);
	if (ret)
		return fail(ret, pair ? "a connected pair" : "an unnamed pipe");
	/* A pipe: the writer gets fds[1], the reader fds[0]. */
	pids[0] = run(cmds[0], pair ? fds[0] : -1, pair ? fds[0] : fds[1]);
	pids[1] = pids[0] < 0 ? -1 : run(cmds[1], fds[1 - !pair],
					 pair ? fds[1] : -1);
	close(fds[0]);
	close(fds[1]);
	if (pids[0] < 0 || pids[1] < 0)
		ret = fail(-errno, "fork");
	for (i = 0; i < 2; i++) {
		st[i] = EXIT_FAIL;
		while (pids[i] > 0 && waitpid(pids[i], &st[i], 0) < 0 &&
		       errno == EINTR)
			;
		if (pids[i] > 0)
			st[i] = exit_code(st[i]);
	}
	if (ret)
		return ret;
	return st[1] ? st[1] : st[0];
}

int pipe_main(int argc, char *argv[])
{
	return joined(argc, argv, false);
}

int pair_main(int argc, char *argv[])
{
	return joined(argc, argv, true);
}
