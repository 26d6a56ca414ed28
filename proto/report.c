/*
 * The report model: label tables, ownership, error lists, canonical bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "report.h"
#include "text.h"
#include "wire.h"

struct report *
report_new(void)
{
	return calloc(1, sizeof(struct report));
}

static void
report_texts_free(struct report_text *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].code);
		free(v[i].text);
	}
	free(v);
}

void
report_free(struct report *r)
{
	struct report_activity	*a;
	size_t			 i, j;

	if (r == NULL)
		return;
	free(r->id);
	free(r->unit);
	free(r->period);
	free(r->reporter_name);
	free(r->reporter_position);
	free(r->reporter_phone);
	free(r->plan_number);
	free(r->plan_date);
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		free(a->area);
		free(a->kind);
		free(a->occasion);
		free(a->status);
		free(a->audience);
		free(a->topic);
		free(a->date);
		free(a->end_date);
		free(a->title);
		free(a->location);
		for (j = 0; j < a->noutputs; j++)
			free(a->outputs[j].code);
		free(a->outputs);
		free(a->notes);
	}
	free(r->activities);
	for (i = 0; i < r->nindicators; i++)
		free(r->indicators[i].code);
	free(r->indicators);
	report_texts_free(r->narrative, r->nnarrative);
	for (i = 0; i < r->nsections; i++) {
		free(r->sections[i].code);
		report_texts_free(r->sections[i].fields,
		    r->sections[i].nfields);
	}
	free(r->sections);
	free(r);
}

void
report_errors_add(struct report_errors *errs, const char *field,
    const char *fmt, ...)
{
	struct report_error	*e;
	va_list			 ap;
	int			 n;

	if (errs->n >= REPORT_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->n++];
	snprintf(e->field, sizeof(e->field), "%s", field);
	e->code = 0;
	e->nargs = 0;
	e->args[0] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	/* A message cut short (Vietnamese takes more bytes than English)
	 * ends with a whole character. */
	if (n >= (int)sizeof(e->message))
		e->message[text_whole(e->message, strlen(e->message))] = '\0';
}

void
report_errors_clear(struct report_errors *errs)
{
	errs->n = 0;
	errs->dropped = 0;
}

int
report_pack(const struct report *r, uint8_t **buf, size_t *len)
{
	Gp__Report	*pb;
	size_t		 n;

	*buf = NULL;
	if ((pb = wire_report_new(r)) == NULL)
		return -1;
	n = gp__report__get_packed_size(pb);
	/* One spare byte so an empty report still gets a real allocation. */
	if ((*buf = malloc(n + 1)) == NULL) {
		wire_report_free(pb);
		return -1;
	}
	*len = gp__report__pack(pb, *buf);
	wire_report_free(pb);
	return 0;
}

int
report_unpack(const uint8_t *buf, size_t len, struct report **out,
    int *legacy, struct report_errors *errs, const char **errstr)
{
	Gp__Report	*pb;
	char		 where[REPORT_FIELD_MAX];
	int		 rv;

	*out = NULL;
	if (legacy != NULL)
		*legacy = 0;
	if ((pb = wire_report_unpack(buf, len)) == NULL) {
		*errstr = "not a report message";
		return -1;
	}
	/* Bytes packed before report forms always carry fields this
	 * schema reserves (the law review, if nothing else). */
	if (wire_report_unknown(pb, where, sizeof(where))) {
		wire_report_free_unpacked(pb);
		if (legacy != NULL)
			*legacy = 1;
		return report_legacy_unpack(buf, len, out, errs, errstr);
	}
	rv = wire_report_stored(pb, out, errs);
	wire_report_free_unpacked(pb);
	if (rv == -1)
		*errstr = "report has invalid fields";
	return rv;
}

int
report_digest(const uint8_t *buf, size_t len, uint8_t out[32])
{
	unsigned int	n = 32;

	return EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 ?
	    0 : -1;
}

int
report_hash(const struct report *r, uint8_t out[32])
{
	uint8_t	*buf;
	size_t	 len;
	int	 rv;

	if (report_pack(r, &buf, &len) == -1)
		return -1;
	rv = report_digest(buf, len, out);
	free(buf);
	return rv;
}

/* *s in NFC, when it is text. Returns 0, or -1 when out of memory. */
static int
report_nfc(char **s)
{
	char	*n;

	if (*s == NULL)
		return 0;
	if ((n = text_nfc(*s, strlen(*s), NULL)) == NULL)
		return -1;
	free(*s);
	*s = n;
	return 0;
}

static int
report_nfc_texts(struct report_text *v, size_t n)
{
	size_t	i;
	int	rv = 0;

	for (i = 0; i < n; i++) {
		rv |= report_nfc(&v[i].code);
		rv |= report_nfc(&v[i].text);
	}
	return rv;
}

int
report_normalize(struct report *r)
{
	struct report_activity	*a;
	size_t			 i, j;
	int			 rv = 0;

	rv |= report_nfc(&r->id);
	rv |= report_nfc(&r->unit);
	rv |= report_nfc(&r->period);
	rv |= report_nfc(&r->reporter_name);
	rv |= report_nfc(&r->reporter_position);
	rv |= report_nfc(&r->reporter_phone);
	rv |= report_nfc(&r->plan_number);
	rv |= report_nfc(&r->plan_date);
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		rv |= report_nfc(&a->area);
		rv |= report_nfc(&a->kind);
		rv |= report_nfc(&a->occasion);
		rv |= report_nfc(&a->status);
		rv |= report_nfc(&a->audience);
		rv |= report_nfc(&a->topic);
		rv |= report_nfc(&a->date);
		rv |= report_nfc(&a->end_date);
		rv |= report_nfc(&a->title);
		rv |= report_nfc(&a->location);
		rv |= report_nfc(&a->notes);
		for (j = 0; j < a->noutputs; j++)
			rv |= report_nfc(&a->outputs[j].code);
	}
	for (i = 0; i < r->nindicators; i++)
		rv |= report_nfc(&r->indicators[i].code);
	rv |= report_nfc_texts(r->narrative, r->nnarrative);
	for (i = 0; i < r->nsections; i++) {
		rv |= report_nfc(&r->sections[i].code);
		rv |= report_nfc_texts(r->sections[i].fields,
		    r->sections[i].nfields);
	}
	return rv != 0 ? -1 : 0;
}

static char	*report_uuid(uint8_t h[32]);

int
report_derive_id(struct report *r)
{
	uint8_t	 h[32], *buf;
	char	*saved, *id;
	size_t	 len;
	int	 rv;

	/* A report the encoding of gp/1 before report forms can hold is
	 * given the id gp-client derived from that encoding then, so that
	 * a file sent before the upgrade keeps its id: sent again, it is a
	 * duplicate, not a new revision. */
	saved = r->id;
	r->id = NULL;
	switch (report_legacy_pack(r, &buf, &len)) {
	case 1:
		rv = report_digest(buf, len, h);
		free(buf);
		break;
	case 0:
		rv = report_hash(r, h);
		break;
	default:
		rv = -1;
		break;
	}
	r->id = saved;
	if (rv == -1)
		return -1;
	if ((id = report_uuid(h)) == NULL)
		return -1;
	free(r->id);
	r->id = id;
	return 0;
}

/* A UUID, version 8 (RFC 9562), from the first 16 bytes of h. */
static char *
report_uuid(uint8_t h[32])
{
	char	*id;

	h[6] = (h[6] & 0x0f) | 0x80;	/* version 8: custom */
	h[8] = (h[8] & 0x3f) | 0x80;	/* RFC 9562 variant */
	if ((id = malloc(REPORT_MAX_ID + 1)) == NULL)
		return NULL;
	snprintf(id, REPORT_MAX_ID + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
	    h[10], h[11], h[12], h[13], h[14], h[15]);
	return id;
}

int
report_as_new_id(struct report *r, uint32_t supersedes)
{
	uint8_t	 h[32];
	char	 buf[64 + 2 * 32 + 16], *saved, *id;
	int	 n, rv;

	saved = r->id;
	r->id = NULL;
	rv = report_hash(r, h);
	r->id = saved;
	if (rv == -1)
		return -1;
	/* Hashed as it is: a marker, not words (U_). */
	n = snprintf(buf, sizeof(buf), U_("gp-as-new-v1"));
	report_hex(h, sizeof(h), buf + n + 1);
	n += 1 + 64;
	n += 1 + snprintf(buf + n + 1, sizeof(buf) - (size_t)n - 1, "%u",
	    (unsigned int)supersedes);
	if (report_digest((const uint8_t *)buf, (size_t)n, h) == -1 ||
	    (id = report_uuid(h)) == NULL)
		return -1;
	free(r->id);
	r->id = id;
	return 0;
}

char *
report_strdup(const char *s)
{
	size_t	 len = strlen(s) + 1;
	char	*copy;

	if ((copy = malloc(len)) != NULL)
		memcpy(copy, s, len);
	return copy;
}

void
report_hex(const uint8_t *buf, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 0x0f];
	}
	out[2 * len] = '\0';
}
