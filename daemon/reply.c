/*
 * The reply arena: blocks of memory that every part of one Response is
 * allocated from, freed together when the frame is out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "period.h"
#include "reply.h"
#include "report.h"
#include "wire.h"

struct reply_block {
	struct reply_block	*next;
	size_t			 used;
	size_t			 size;
	/* Followed by size bytes, 16-aligned. */
};

#define REPLY_BLOCK_SIZE	(16 * 1024)
#define REPLY_BLOCK_HEADER	((sizeof(struct reply_block) + 15) & ~(size_t)15)
#define REPLY_MESSAGE_MAX	512

struct reply *
reply_new(uint32_t id)
{
	struct reply	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	gp__response__init(&r->resp);
	r->resp.id = id;
	r->resp.has_id = 1;
	gp__error__init(&r->error);
	return r;
}

void
reply_free(struct reply *r)
{
	struct reply_block	*b;

	if (r == NULL)
		return;
	while ((b = r->blocks) != NULL) {
		r->blocks = b->next;
		free(b);
	}
	wire_report_free(r->built);
	report_free(r->model);
	free(r);
}

void *
reply_alloc(struct reply *r, size_t n)
{
	struct reply_block	*b = r->blocks;
	size_t			 size;
	char			*p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	if (b == NULL || b->size - b->used < n) {
		size = n > REPLY_BLOCK_SIZE ? n : REPLY_BLOCK_SIZE;
		if ((b = malloc(REPLY_BLOCK_HEADER + size)) == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = r->blocks;
		r->blocks = b;
	}
	p = (char *)b + REPLY_BLOCK_HEADER + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
reply_strdup(struct reply *r, const char *s)
{
	size_t	 len;
	char	*p;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if ((p = reply_alloc(r, len + 1)) != NULL)
		memcpy(p, s, len + 1);
	return p;
}

char *
reply_date(struct reply *r, int32_t day)
{
	char	*p;

	if ((p = reply_alloc(r, DATE_LEN + 1)) != NULL)
		date_format(day, p);
	return p;
}

char *
reply_time(struct reply *r, int64_t at)
{
	time_t		 t = (time_t)at;
	struct tm	 tm;
	char		*p;

	if ((p = reply_alloc(r, 24)) == NULL)
		return NULL;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(p, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(p, 24, "?");
	return p;
}

void
reply_error(struct reply *r, Gp__ErrorCode code, const char *fmt, ...)
{
	static char	 nomem[] = "out of memory";
	va_list		 ap;
	char		*msg;

	if ((msg = reply_alloc(r, REPLY_MESSAGE_MAX)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, REPLY_MESSAGE_MAX, fmt, ap);
		va_end(ap);
	} else
		msg = nomem;
	r->error.code = code;
	r->error.has_code = 1;
	r->error.message = msg;
	r->error.has_retry_after = 0;
	r->resp.body_case = GP__RESPONSE__BODY_ERROR;
	r->resp.error = &r->error;
}

static void	reply_field(struct reply *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
reply_field(struct reply *r, const char *field, const char *fmt, ...)
{
	Gp__FieldError	*fe;
	va_list		 ap;
	char		*msg;

	if (r->error.field_errors == NULL &&
	    (r->error.field_errors = reply_alloc(r, REPORT_ERRORS_MAX *
	    sizeof(*r->error.field_errors))) == NULL)
		return;
	if (r->error.n_field_errors >= REPORT_ERRORS_MAX)
		return;
	if ((fe = reply_alloc(r, sizeof(*fe))) == NULL ||
	    (msg = reply_alloc(r, REPORT_MESSAGE_MAX)) == NULL)
		return;
	gp__field_error__init(fe);
	va_start(ap, fmt);
	vsnprintf(msg, REPORT_MESSAGE_MAX, fmt, ap);
	va_end(ap);
	fe->field = reply_strdup(r, field);
	fe->message = msg;
	r->error.field_errors[r->error.n_field_errors++] = fe;
}

void
reply_fields(struct reply *r, const struct report_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		reply_field(r, errs->e[i].field, "%s", errs->e[i].message);
}

void
reply_invalid(struct reply *r, const char *field, const char *why,
    const char *message)
{
	reply_field(r, field, "%s", why);
	reply_error(r, GP__ERROR_CODE__INVALID, "%s", message);
}

void
reply_more(struct reply *r, int more)
{
	r->resp.more = more != 0;
	r->resp.has_more = 1;
}

int
reply_pack(const struct reply *r, struct evbuffer *out)
{
	uint8_t	*buf;
	size_t	 len;
	int	 rv;

	if (wire_pack_response(&r->resp, &buf, &len) == -1)
		return -1;
	rv = evbuffer_add(out, buf, len);
	free(buf);
	return rv == 0 ? 0 : -1;
}
