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

/*
 * Which members are printed, and how, follows the library's table of kinds:
 * a member is printed for the objects whose kind reports it
 * (ipcchan_kind_has_attr()), under its name there (ipcchan_attr_name()).
 * Below are only the columns of the table and the lines of show, each made
 * of members named by their attribute.
 */

static const char *kind_str(uint32_t kind, char buf[CELL])
{
	const char *name = ipcchan_kind_name(kind);

	return name ? name : cellf(buf, CELL, "kind%" PRIu32, kind);
}

/*
 * The name of @o, or for an unnamed channel (a pipe's, or a direction of a
 * pair) its id, as show takes it: "#12 pipe", "#12 pair>#13".
 */
static const char *name_str(const struct ipcchan_object *o, char buf[CELL])
{
	if (o->name[0])
		return o->name;
	if (o->peer_id)
		return cellf(buf, CELL, "#%" PRIu64 " pair>#%" PRIu64, o->id,
			     o->peer_id);
	return cellf(buf, CELL, "#%" PRIu64 " pipe", o->id);
}

/* Member @attr of @o, 0 if its kind does not report it. */
static uint64_t member(const struct ipcchan_object *o, unsigned int attr)
{
	uint64_t v = 0;

	ipcchan_object_attr(o, attr, &v);
	return v;
}

static void json_object(const struct ipcchan_object *o, FILE *f)
{
	char buf[CELL];
	struct json j;
	unsigned int a;

	json_begin(&j, f);
	for (a = 1; a <= IPCCHAN_A_MAX; a++) {
		const char *key = ipcchan_attr_name(a);

		if (!key || !ipcchan_kind_has_attr(o->kind, a))
			continue;
		if (a == IPCCHAN_A_KIND)
			json_str(&j, key, kind_str(o->kind, buf));
		else if (a == IPCCHAN_A_NAME)
			json_str(&j, key, o->name);
		else if (a == IPCCHAN_A_MODE)
			json_str(&j, key, cellf(buf, CELL, "%04" PRIo32,
						o->mode));
		else
			json_u64(&j, key, member(o, a));
	}
	json_end(&j);
}

/*
 * A column of list: member @attr, or "@attr/@attr2" with @attr2; "-" for
 * an object whose kind does not report @attr.
 */
struct column {
	const char *header;
	unsigned int attr, attr2;
	bool left;
};

static const struct column columns[] = {
	{ "KIND", IPCCHAN_A_KIND, 0, true },
	{ "NAME", IPCCHAN_A_NAME, 0, true },
	{ "MODE", IPCCHAN_A_MODE, 0, true },
	{ "UID", IPCCHAN_A_UID, 0, false },
	{ "GID", IPCCHAN_A_GID, 0, false },
	{ "PID", IPCCHAN_A_CREATOR_PID, 0, false },
	{ "FDS", IPCCHAN_A_FDS, 0, false },
	{ "QUEUED", IPCCHAN_A_MSGS, IPCCHAN_A_MAX_MSGS, false },
	{ "BYTES", IPCCHAN_A_BYTES, IPCCHAN_A_MAX_BYTES, false },
	{ "SENT", IPCCHAN_A_SENT_MSGS, 0, false },
	{ "RECV", IPCCHAN_A_RECV_MSGS, 0, false },
	{ "REJECTED", IPCCHAN_A_REJECTED, 0, false },
	{ "SIZE", IPCCHAN_A_REGION_SIZE, 0, false },
	{ "MAPS", IPCCHAN_A_MAPPINGS, 0, false },
};

#define NCOLS	ARRAY_SIZE(columns)

static const char *cell(const struct ipcchan_object *o,
			const struct column *c, char buf[CELL])
{
	if (!ipcchan_kind_has_attr(o->kind, c->attr))
		return "-";
	switch (c->attr) {
	case IPCCHAN_A_KIND:
		return kind_str(o->kind, buf);
	case IPCCHAN_A_NAME:
		return name_str(o, buf);
	case IPCCHAN_A_MODE:
		return cellf(buf, CELL, "%04" PRIo32, o->mode);
	}
	if (c->attr2)
		return cellf(buf, CELL, "%" PRIu64 "/%" PRIu64,
			     member(o, c->attr), member(o, c->attr2));
	return cellf(buf, CELL, "%" PRIu64, member(o, c->attr));
}

static bool add_header(struct table *t)
{
	const char *cells[NCOLS];
	size_t i;

	for (i = 0; i < NCOLS; i++)
		cells[i] = columns[i].header;
	return table_add(t, cells);
}

static bool add_row(struct table *t, const struct ipcchan_object *o)
{
	char buf[NCOLS][CELL];
	const char *cells[NCOLS];
	size_t i;

	for (i = 0; i < NCOLS; i++)
		cells[i] = cell(o, &columns[i], buf[i]);
	return table_add(t, cells);
}

static uint32_t right_cols(void)
{
	uint32_t right = 0;
	size_t i;

	for (i = 0; i < NCOLS; i++)
		if (!columns[i].left)
			right |= 1U << i;
	return right;
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
	table_init(&t, NCOLS, right_cols());
	if (!add_header(&t))
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

/*
 * A line of show: @fmt takes up to four members, by attribute, each as a
 * uint64_t; the line is printed for the objects whose kind reports the
 * first.
 */
struct pair {
	const char *key;
	const char *fmt;
	unsigned int attrs[4];
};

static const struct pair pairs[] = {
	{ "id", "%" PRIu64, { IPCCHAN_A_ID } },
	{ "mode", "%04" PRIo64, { IPCCHAN_A_MODE } },
	{ "uid", "%" PRIu64, { IPCCHAN_A_UID } },
	{ "gid", "%" PRIu64, { IPCCHAN_A_GID } },
	{ "creator pid", "%" PRIu64, { IPCCHAN_A_CREATOR_PID } },
	{ "open files", "%" PRIu64, { IPCCHAN_A_FDS } },
	{ "senders", "%" PRIu64 " (%" PRIu64 " blocked)",
	  { IPCCHAN_A_SENDERS, IPCCHAN_A_BLOCKED_SENDERS } },
	{ "receivers", "%" PRIu64 " (%" PRIu64 " blocked)",
	  { IPCCHAN_A_RECEIVERS, IPCCHAN_A_BLOCKED_RECEIVERS } },
	{ "queued", "%" PRIu64 " of %" PRIu64 " msgs, %" PRIu64 " of %"
	  PRIu64 " bytes", { IPCCHAN_A_MSGS, IPCCHAN_A_MAX_MSGS,
			     IPCCHAN_A_BYTES, IPCCHAN_A_MAX_BYTES } },
	{ "max msg size", "%" PRIu64 " bytes", { IPCCHAN_A_MAX_MSG_SIZE } },
	{ "sent", "%" PRIu64 " msgs, %" PRIu64 " bytes",
	  { IPCCHAN_A_SENT_MSGS, IPCCHAN_A_SENT_BYTES } },
	{ "received", "%" PRIu64 " msgs, %" PRIu64 " bytes",
	  { IPCCHAN_A_RECV_MSGS, IPCCHAN_A_RECV_BYTES } },
	{ "rejected", "%" PRIu64 " sends", { IPCCHAN_A_REJECTED } },
	{ "chan flags", "%#" PRIx64, { IPCCHAN_A_CHAN_FLAGS } },
	{ "peer id", "%" PRIu64, { IPCCHAN_A_PEER_ID } },
	{ "size", "%" PRIu64 " bytes", { IPCCHAN_A_REGION_SIZE } },
	{ "mappings", "%" PRIu64, { IPCCHAN_A_MAPPINGS } },
};

static bool add_pairs(struct table *t, const struct ipcchan_object *o)
{
	const struct pair *p;

	for (p = pairs; p < pairs + ARRAY_SIZE(pairs); p++) {
		if (!ipcchan_kind_has_attr(o->kind, p->attrs[0]))
			continue;
		if (!add_pair(t, p->key, p->fmt, member(o, p->attrs[0]),
			      member(o, p->attrs[1]), member(o, p->attrs[2]),
			      member(o, p->attrs[3])))
			return false;
	}
	return true;
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
	printf("%s: ", kind_str(obj->kind, buf));
	printf("%s\n", name_str(obj, buf));
	table_print(&t, stdout);
	table_free(&t);
	return EXIT_OK;
}
