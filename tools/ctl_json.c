// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl: JSON output, one object at a time.
 */
#include <inttypes.h>

#include "ctl.h"

/*
 * Names hold only [A-Za-z0-9._-], but the escaping does not rely on it:
 * control bytes and bytes above 0x7e become \u00XX, so even a byte that is
 * not UTF-8 leaves the output valid.
 */
static void put_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p > 0x7e)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_key(struct json *j, const char *key)
{
	if (!j->first)
		fputs(", ", j->f);
	j->first = false;
	put_string(j->f, key);
	fputs(": ", j->f);
}

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->first = true;
	fputc('{', f);
}

void json_end(struct json *j)
{
	fputc('}', j->f);
}

void json_str(struct json *j, const char *key, const char *val)
{
	put_key(j, key);
	put_string(j->f, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	put_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}
