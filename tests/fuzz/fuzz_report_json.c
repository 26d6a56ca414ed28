/*
 * fuzz_report_json: gp-client reading a unit's JSON file. A report that
 * reads is written back and must read again to the same canonical bytes
 * (and the same text when written again); then the invariants of check.c.
 * When its unit and period are well-formed, the template for them, as
 * generated, must be refused for the template's words only (and the
 * empty output counts of its media example), with no warning.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "form.h"
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct report_errors	fuzz_errs, fuzz_warns;

static void
fuzz_template(const char *unit, const char *period)
{
	struct validate_context	 ctx;
	struct period		 p;
	const struct form	*f;
	struct report		*t;
	char			*cause = NULL;
	size_t			 i;

	if (validate_unit_code(unit) == -1 || form_set_period(check_forms(),
	    period, &f, &p, &cause) == -1) {
		free(cause);
		return;
	}
	CHECK((t = report_template(unit, period, check_forms(), &cause)) !=
	    NULL);
	CHECK(report_derive_id(t) == 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.forms = check_forms();
	ctx.today = p.due;
	report_errors_clear(&fuzz_errs);
	report_errors_clear(&fuzz_warns);
	/* An unedited template is no unit's report. */
	CHECK(validate_report(t, &ctx, NULL, &fuzz_errs, &fuzz_warns) == -1);
	CHECK(fuzz_errs.n > 0);
	for (i = 0; i < fuzz_errs.n; i++)
		CHECK(strstr(fuzz_errs.e[i].message, "still the template's") !=
		    NULL || strstr(fuzz_errs.e[i].message, "no output counts") !=
		    NULL);
	CHECK(fuzz_warns.n == 0);
	report_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report	*r = NULL, *back = NULL;
	char		 cause[256];
	char		*text, *text2;
	uint8_t		*buf, *buf2;
	size_t		 len, len2;

	report_errors_clear(&fuzz_errs);
	memset(cause, 'x', sizeof(cause));
	if (report_json_read((const char *)data, size, check_forms(), &r,
	    &fuzz_errs, cause, sizeof(cause)) == -1) {
		CHECK(r == NULL);
		CHECK(memchr(cause, '\0', sizeof(cause)) != NULL);
		CHECK(cause[0] != '\0' || fuzz_errs.n > 0);
		check_line(cause);
		check_errors(&fuzz_errs);
		return 0;
	}
	CHECK(r != NULL && fuzz_errs.n == 0 && cause[0] == '\0');

	/* What is read is written, and reads back the same. */
	CHECK(report_pack(r, &buf, &len) == 0);
	CHECK((text = report_json_write(r, NULL)) != NULL);
	CHECK(report_json_read(text, strlen(text), check_forms(), &back,
	    &fuzz_errs, cause, sizeof(cause)) == 0);
	CHECK(report_pack(back, &buf2, &len2) == 0);
	CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
	CHECK((text2 = report_json_write(back, NULL)) != NULL);
	CHECK(strcmp(text, text2) == 0);
	free(text2);
	free(text);
	free(buf2);
	free(buf);
	report_free(back);

	if (r->unit != NULL && r->period != NULL)
		fuzz_template(r->unit, r->period);
	check_report(r);
	report_free(r);
	return 0;
}
