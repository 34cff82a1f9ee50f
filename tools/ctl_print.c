// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl: objects as a table (list), as "key: value" lines (show), and
 * as JSON (both).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>

#include <ipcchan.h>

#include "ctl.h"

#define CELL	32

static const char *kind_str(uint32_t kind, char buf[CELL])
{
	const char *name = kind_name(kind);

	return name ? name : cellf(buf, CELL, "kind%" PRIu32, kind);
}

static void json_object(const struct ipcchan_object *o, FILE *f)
{
	char buf[CELL];
	struct json j;

	json_begin(&j, f);
	json_u64(&j, "id", o->id);
	json_str(&j, "kind", kind_str(o->kind, buf));
	json_str(&j, "name", o->name);
	json_u64(&j, "uid", o->uid);
	json_u64(&j, "gid", o->gid);
	json_str(&j, "mode", cellf(buf, CELL, "%04" PRIo32, o->mode));
	json_u64(&j, "creator_pid", o->creator_pid);
	json_u64(&j, "fds", o->fds);
	if (o->kind == IPCCHAN_KIND_CHANNEL) {
		json_u64(&j, "max_msg_size", o->max_msg_size);
		json_u64(&j, "max_msgs", o->max_msgs);
		json_u64(&j, "max_bytes", o->max_bytes);
		json_u64(&j, "msgs", o->msgs);
		json_u64(&j, "bytes", o->bytes);
		json_u64(&j, "sent_msgs", o->sent_msgs);
		json_u64(&j, "sent_bytes", o->sent_bytes);
		json_u64(&j, "recv_msgs", o->recv_msgs);
		json_u64(&j, "recv_bytes", o->recv_bytes);
		json_u64(&j, "rejected", o->rejected);
		json_u64(&j, "senders", o->senders);
		json_u64(&j, "receivers", o->receivers);
		json_u64(&j, "blocked_senders", o->blocked_senders);
		json_u64(&j, "blocked_receivers", o->blocked_receivers);
	} else if (o->kind == IPCCHAN_KIND_REGION) {
		json_u64(&j, "region_size", o->region_size);
		json_u64(&j, "mappings", o->mappings);
	}
	json_end(&j);
}

enum {
	COL_KIND, COL_NAME, COL_MODE, COL_UID, COL_GID, COL_PID, COL_FDS,
	COL_QUEUED, COL_BYTES, COL_SENT, COL_RECV, COL_REJECTED, COL_SIZE,
	COL_MAPS, NCOLS
};

static const char *const header[NCOLS] = {
	"KIND", "NAME", "MODE", "UID", "GID", "PID", "FDS", "QUEUED", "BYTES",
	"SENT", "RECV", "REJECTED", "SIZE", "MAPS",
};

#define RIGHT_COLS	(~((1U << COL_KIND) | (1U << COL_NAME) | \
			   (1U << COL_MODE)) & ((1U << NCOLS) - 1))

static bool add_row(struct table *t, const struct ipcchan_object *o)
{
	char buf[NCOLS][CELL];
	const char *cells[NCOLS];
	int i;

	for (i = 0; i < NCOLS; i++)
		cells[i] = "-";
	cells[COL_KIND] = kind_str(o->kind, buf[COL_KIND]);
	cells[COL_NAME] = o->name;
	cells[COL_MODE] = cellf(buf[COL_MODE], CELL, "%04" PRIo32, o->mode);
	cells[COL_UID] = cellf(buf[COL_UID], CELL, "%" PRIu32, o->uid);
	cells[COL_GID] = cellf(buf[COL_GID], CELL, "%" PRIu32, o->gid);
	cells[COL_PID] = cellf(buf[COL_PID], CELL, "%" PRIu32, o->creator_pid);
	cells[COL_FDS] = cellf(buf[COL_FDS], CELL, "%" PRIu32, o->fds);
	if (o->kind == IPCCHAN_KIND_CHANNEL) {
		cells[COL_QUEUED] = cellf(buf[COL_QUEUED], CELL,
					  "%" PRIu32 "/%" PRIu32,
					  o->msgs, o->max_msgs);
		cells[COL_BYTES] = cellf(buf[COL_BYTES], CELL,
					 "%" PRIu64 "/%" PRIu64,
					 o->bytes, o->max_bytes);
		cells[COL_SENT] = cellf(buf[COL_SENT], CELL, "%" PRIu64,
					o->sent_msgs);
		cells[COL_RECV] = cellf(buf[COL_RECV], CELL, "%" PRIu64,
					o->recv_msgs);
		cells[COL_REJECTED] = cellf(buf[COL_REJECTED], CELL,
					    "%" PRIu64, o->rejected);
	} else if (o->kind == IPCCHAN_KIND_REGION) {
		cells[COL_SIZE] = cellf(buf[COL_SIZE], CELL, "%" PRIu64,
					o->region_size);
		cells[COL_MAPS] = cellf(buf[COL_MAPS], CELL, "%" PRIu32,
					o->mappings);
	}
	return table_add(t, cells);
}

int print_objects(const struct ipcchan_objlist *list, bool json)
{
	size_t i, n = ipcchan_objlist_count(list);
	struct table t;

	if (json) {
		fputc('[', stdout);
		for (i = 0; i < n; i++) {
			fputs(i ? ",\n  " : "\n  ", stdout);
			json_object(ipcchan_objlist_get(list, i), stdout);
		}
		fputs(n ? "\n]\n" : "]\n", stdout);
		return EXIT_OK;
	}
	table_init(&t, NCOLS, RIGHT_COLS);
	if (!table_add(&t, header))
		goto err_nomem;
	for (i = 0; i < n; i++) {
		if (!add_row(&t, ipcchan_objlist_get(list, i)))
			goto err_nomem;
	}
	table_print(&t, stdout);
	table_free(&t);
	return EXIT_OK;

err_nomem:
	table_free(&t);
	return fail(-ENOMEM, "list");
}

/* One "  key:  value" line of show. */
static bool add_pair(struct table *t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool add_pair(struct table *t, const char *key, const char *fmt, ...)
{
	char k[CELL], v[128];
	const char *cells[2] = { k, v };
	va_list ap;

	snprintf(k, sizeof(k), "  %s:", key);
	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	return table_add(t, cells);
}

static bool add_pairs(struct table *t, const struct ipcchan_object *o)
{
	bool ok = add_pair(t, "id", "%" PRIu64, o->id) &&
		  add_pair(t, "mode", "%04" PRIo32, o->mode) &&
		  add_pair(t, "uid", "%" PRIu32, o->uid) &&
		  add_pair(t, "gid", "%" PRIu32, o->gid) &&
		  add_pair(t, "creator pid", "%" PRIu32, o->creator_pid) &&
		  add_pair(t, "open files", "%" PRIu32, o->fds);

	if (ok && o->kind == IPCCHAN_KIND_CHANNEL)
		ok = add_pair(t, "senders", "%" PRIu32 " (%" PRIu32
			      " blocked)", o->senders, o->blocked_senders) &&
		     add_pair(t, "receivers", "%" PRIu32 " (%" PRIu32
			      " blocked)", o->receivers,
			      o->blocked_receivers) &&
		     add_pair(t, "queued", "%" PRIu32 " of %" PRIu32 " msgs, %"
			      PRIu64 " of %" PRIu64 " bytes", o->msgs,
			      o->max_msgs, o->bytes, o->max_bytes) &&
		     add_pair(t, "max msg size", "%" PRIu32 " bytes",
			      o->max_msg_size) &&
		     add_pair(t, "sent", "%" PRIu64 " msgs, %" PRIu64 " bytes",
			      o->sent_msgs, o->sent_bytes) &&
		     add_pair(t, "received", "%" PRIu64 " msgs, %" PRIu64
			      " bytes", o->recv_msgs, o->recv_bytes) &&
		     add_pair(t, "rejected", "%" PRIu64 " sends",
			      o->rejected);
	else if (ok && o->kind == IPCCHAN_KIND_REGION)
		ok = add_pair(t, "size", "%" PRIu64 " bytes", o->region_size) &&
		     add_pair(t, "mappings", "%" PRIu32, o->mappings);
	return ok;
}

int print_object(const struct ipcchan_object *obj, bool json)
{
	char buf[CELL];
	struct table t;

	if (json) {
		json_object(obj, stdout);
		fputc('\n', stdout);
		return EXIT_OK;
	}
	table_init(&t, 2, 0);
	if (!add_pairs(&t, obj)) {
		table_free(&t);
		return fail(-ENOMEM, "show");
	}
	printf("%s: %s\n", kind_str(obj->kind, buf), obj->name);
	table_print(&t, stdout);
	table_free(&t);
	return EXIT_OK;
}
