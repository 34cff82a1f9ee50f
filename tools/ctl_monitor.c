// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl monitor: prints the events of the multicast group as they
 * come, one line each.
 */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

static const char usage[] = "monitor [-j] [-n COUNT] [-t TIMEOUT_MS]";
static const char options[] =
	"Prints one line per event, \"SEQ ID KIND NAME EVENT\", as it happens,\n"
	"or one JSON object a line. Events skipped (the sequence numbers skip:\n"
	"lost, or about objects the caller may not see) are reported on stderr.\n"
	"  -j          JSON lines\n"
	"  -n COUNT    stop after COUNT events\n"
	"  -t MS       stop after MS milliseconds in all\n";

struct monitor_args {
	bool json;
	uint64_t count;		/* 0: no limit */
	int64_t timeout_ms;	/* -1: no limit */
};

static void print_event(const struct ipcchan_event *ev, bool json)
{
	const char *kind = ipcchan_kind_name(ev->kind);
	const char *event = event_name(ev->event);
	char kbuf[24], ebuf[24];
	struct json j;

	if (!kind)
		kind = cellf(kbuf, sizeof(kbuf), "kind%" PRIu32, ev->kind);
	if (!event)
		event = cellf(ebuf, sizeof(ebuf), "event%" PRIu32, ev->event);
	if (json) {
		json_begin(&j, stdout);
		json_u64(&j, "seq", ev->seq);
		json_u64(&j, "id", ev->id);
		json_str(&j, "kind", kind);
		json_str(&j, "name", ev->name);
		json_str(&j, "event", event);
		json_end(&j);
		fputc('\n', stdout);
	} else {
		printf("%" PRIu64 " %" PRIu64 " %s %s %s\n", ev->seq, ev->id,
		       kind, ev->name, event);
	}
	fflush(stdout);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run(struct ipcchan_nl_monitor *m, const struct monitor_args *a)
{
	int64_t deadline = a->timeout_ms < 0 ? -1 : now_ms() + a->timeout_ms;
	uint64_t seen = 0, next_seq = 0;
	struct ipcchan_event ev;
	int64_t left = -1;
	int ret;

	while (!a->count || seen < a->count) {
		if (deadline >= 0) {
			left = deadline - now_ms();
			if (left <= 0)
				break;
		}
		ret = ipcchan_nl_monitor_next(m, &ev, left > INT32_MAX ?
					      INT32_MAX : (int)left);
		if (ret == -ENOBUFS) {
			fputs(PROG_NAME ": events lost: the socket buffer "
			      "overflowed\n", stderr);
			continue;
		}
		if (ret < 0)
			return ctl_fail(ret, "monitor");
		if (!ret)
			continue;
		if (next_seq && ev.seq > next_seq)
			fprintf(stderr, "%s: %" PRIu64 " events skipped (lost, or not visible)\n",
				PROG_NAME, ev.seq - next_seq);
		next_seq = ev.seq + 1;
		print_event(&ev, a->json);
		seen++;
	}
	return EXIT_OK;
}

int ctl_monitor_main(int argc, char *argv[])
{
	struct monitor_args a = { .timeout_ms = -1 };
	struct ipcchan_nl_monitor *m;
	uint64_t v;
	int opt, ret;

	while ((opt = getopt(argc, argv, ":hjn:t:")) != -1) {
		switch (opt) {
		case 'h':
			return usage_help(usage, options);
		case 'j':
			a.json = true;
			break;
		case 'n':
			if (!parse_dec64(optarg, &a.count) || !a.count)
				return usage_error(usage, "bad count '%s'",
						   optarg);
			break;
		case 't':
			if (!parse_uint(optarg, 10, INT64_MAX / 2, &v))
				return usage_error(usage, "bad timeout '%s'",
						   optarg);
			a.timeout_ms = (int64_t)v;
			break;
		default:
			return option_error(usage, opt);
		}
	}
	ret = check_operands(usage, argc, argv, 0, 0);
	if (ret)
		return ret;
	ret = ipcchan_nl_monitor_open(&m);
	if (ret)
		return ctl_fail(ret, "monitor");
	ret = run(m, &a);
	ipcchan_nl_monitor_close(m);
	return ret;
}
