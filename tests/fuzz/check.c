/*
 * Invariants shared by fuzz_request and fuzz_report_json (check.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "check.h"
#include "period.h"
#include "report.h"
#include "validate.h"

/* Large enough that libFuzzer's stack does not hold them. */
static struct report_errors	check_errs, check_warns, check_errs2;

static const struct {
	const char	*code;
	const char	*from;		/* NULL: open */
	const char	*to;
} check_units[] = {
	{ "lc-sinho", "2000-01-01", "2025-06-30" },
	{ "lc-tamduong", "2000-01-01", "2025-06-30" },
	{ "lc-nganh-giaoduc", "2000-01-01", NULL },
	{ "lc-new", "2023-01-01", NULL },
	{ "lc-old", NULL, "2021-12-31" },
	{ "x", NULL, NULL },
};

static int
check_unit_lookup(void *arg, const char *code, int32_t *from, int32_t *to)
{
	size_t	i;

	(void)arg;
	for (i = 0; i < sizeof(check_units) / sizeof(check_units[0]); i++) {
		if (strcmp(check_units[i].code, code) != 0)
			continue;
		*from = INT32_MIN;
		*to = INT32_MAX;
		if (check_units[i].from != NULL)
			CHECK(date_parse(check_units[i].from, from) == 0);
		if (check_units[i].to != NULL)
			CHECK(date_parse(check_units[i].to, to) == 0);
		return 0;
	}
	return -1;
}

const struct form_set *
check_forms(void)
{
	static struct form_set	*forms;
	char			*cause = NULL;

	if (forms == NULL && form_set_load("tests/data/forms", &forms,
	    &cause) == -1) {
		free(cause);
		cause = NULL;
		CHECK(form_set_load(NULL, &forms, &cause) == 0);
	}
	return forms;
}

void
check_context(struct validate_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->forms = check_forms();
	CHECK(date_parse(CHECK_TODAY, &ctx->today) == 0);
	ctx->unit_lookup = check_unit_lookup;
}

void
check_line(const char *s)
{
	CHECK(s != NULL);
	CHECK(validate_text(s, strlen(s), 0) == 0);
}

void
check_errors(const struct report_errors *errs)
{
	size_t	i;

	CHECK(errs->n <= REPORT_ERRORS_MAX);
	CHECK(errs->dropped == 0 || errs->n == REPORT_ERRORS_MAX);
	for (i = 0; i < errs->n; i++) {
		CHECK(memchr(errs->e[i].field, '\0', REPORT_FIELD_MAX) != NULL);
		CHECK(memchr(errs->e[i].message, '\0',
		    REPORT_MESSAGE_MAX) != NULL);
		CHECK(errs->e[i].field[0] != '\0');
		CHECK(errs->e[i].message[0] != '\0');
		check_line(errs->e[i].field);
		check_line(errs->e[i].message);
	}
}

static int
check_cmp_messages(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/*
 * The same errors, in any order: canonical bytes hold texts, sections and
 * output counts by code, so a report read back lists them, and what is
 * wrong with them, in that order; a text whose code is no code is named
 * by its place. The messages are the same.
 */
static int
check_errors_equal(const struct report_errors *a,
    const struct report_errors *b)
{
	static const char	*ma[REPORT_ERRORS_MAX], *mb[REPORT_ERRORS_MAX];
	size_t			 i;

	if (a->n != b->n || a->dropped != b->dropped)
		return 0;
	/* Past REPORT_ERRORS_MAX, which errors are kept follows the order
	 * of the report's lists, which its canonical bytes may change
	 * (sections by key): only the counts are the same (finding 8). */
	if (a->dropped > 0)
		return 1;
	for (i = 0; i < a->n; i++) {
		ma[i] = a->e[i].message;
		mb[i] = b->e[i].message;
	}
	qsort(ma, a->n, sizeof(*ma), check_cmp_messages);
	qsort(mb, b->n, sizeof(*mb), check_cmp_messages);
	for (i = 0; i < a->n; i++)
		if (strcmp(ma[i], mb[i]) != 0)
			return 0;
	return 1;
}

static int
check_validate(const struct report *r, const struct validate_context *ctx,
    struct report_errors *errs, struct report_errors *warns)
{
	int	rv;

	report_errors_clear(errs);
	if (warns != NULL)
		report_errors_clear(warns);
	rv = validate_report(r, ctx, NULL, errs, warns);
	CHECK(rv == 0 || rv == -1);
	CHECK((rv == 0) == (errs->n == 0 && errs->dropped == 0));
	check_errors(errs);
	if (warns != NULL)
		check_errors(warns);
	return rv;
}

static void
check_legacy(const struct report *r)
{
	struct report	*back = NULL;
	const char	*errstr = NULL;
	uint8_t		*buf, *buf2;
	size_t		 len, len2;
	int		 rv;

	CHECK((rv = report_legacy_pack(r, &buf, &len)) != -1);
	if (rv == 0)
		return;
	report_errors_clear(&check_errs2);
	CHECK(report_legacy_unpack(buf, len, &back, &check_errs2, &errstr) ==
	    0);
	CHECK(report_legacy_pack(back, &buf2, &len2) == 1);
	CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
	free(buf2);
	/* And read as canonical bytes, they are seen to be the old ones. */
	report_free(back);
	back = NULL;
	CHECK(report_unpack(buf, len, &back, &rv, &check_errs2, &errstr) == 0);
	CHECK(rv == 1);
	report_free(back);
	free(buf);
}

int
check_report(struct report *r)
{
	struct validate_context	 ctx;
	struct report		*copy = NULL;
	const char		*errstr = NULL;
	uint8_t			*buf, *buf2, h[32], h2[32], want[32];
	size_t			 len, len2, i;
	unsigned int		 hlen = sizeof(want);
	char			*id;
	int			 rv;

	check_context(&ctx);
	rv = check_validate(r, &ctx, &check_errs, &check_warns);
	/* Warnings never change the errors. */
	CHECK(check_validate(r, &ctx, &check_errs2, NULL) == rv);
	CHECK(check_errors_equal(&check_errs, &check_errs2));

	/* The canonical bytes read back to the same report. */
	CHECK(report_pack(r, &buf, &len) == 0);
	report_errors_clear(&check_errs2);
	CHECK(report_unpack(buf, len, &copy, NULL, &check_errs2, &errstr) ==
	    0);
	CHECK(copy != NULL && check_errs2.n == 0);
	CHECK(report_pack(copy, &buf2, &len2) == 0);
	CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
	free(buf2);
	CHECK(check_validate(copy, &ctx, &check_errs2, NULL) == rv);
	CHECK(check_errors_equal(&check_errs, &check_errs2));

	/* The hash is of those bytes. */
	CHECK(EVP_Digest(buf, len, want, &hlen, EVP_sha256(), NULL) == 1);
	CHECK(report_hash(r, h) == 0 && memcmp(h, want, sizeof(h)) == 0);
	CHECK(report_hash(copy, h2) == 0 && memcmp(h2, want, sizeof(h)) == 0);
	free(buf);

	/* The derived id: a version 8 UUID of the content without the id. */
	CHECK(report_derive_id(r) == 0);
	CHECK(validate_uuid(r->id) == 0);
	CHECK(r->id[14] == '8' && strchr("89ab", r->id[19]) != NULL);
	for (i = 0; r->id[i] != '\0'; i++)
		CHECK(r->id[i] == '-' || strchr("0123456789abcdef", r->id[i]));
	CHECK((id = strdup(r->id)) != NULL);
	CHECK(report_derive_id(copy) == 0 && strcmp(copy->id, id) == 0);
	CHECK(report_derive_id(r) == 0 && strcmp(r->id, id) == 0);
	free(id);

	/* Packed the old way (when it can be), read back and packed the
	 * old way again: the same bytes. */
	check_legacy(r);

	/* With a well-formed id, no error is about the id. */
	check_validate(r, &ctx, &check_errs2, NULL);
	for (i = 0; i < check_errs2.n; i++)
		CHECK(strcmp(check_errs2.e[i].field, "id") != 0);

	report_free(copy);
	return rv;
}
