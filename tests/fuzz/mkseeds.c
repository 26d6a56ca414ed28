/*
 * mkseeds: writes the seeds that are not plain copies of sample files.
 *
 *	mkseeds corpus-dir report.json ...
 *
 * For each sample report: the packed Request submitting it
 * (fuzz_request/) and a stream of frames carrying it (fuzz_frame/); then
 * templates as JSON (fuzz_report_json/), reports at the validator's bounds
 * (both) and frame streams at the edges of the length rules.
 */
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frame.h"
#include "gp.pb-c.h"
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "wire.h"

static const char	*seeds_dir;

static void __attribute__((noreturn, format(printf, 1, 2)))
seeds_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "mkseeds: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void
seeds_write(const char *harness, const char *name, const void *buf,
    size_t len)
{
	char	 path[4096];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s/%s", seeds_dir, harness, name);
	if ((fp = fopen(path, "wb")) == NULL)
		seeds_die("%s: %s", path, strerror(errno));
	if ((len > 0 && fwrite(buf, 1, len, fp) != len) || fclose(fp) != 0)
		seeds_die("%s: write failed", path);
}

/* A Request (framed when header is set): submit r, or whoami. */
static uint8_t *
seeds_request(const struct report *r, uint32_t id, int header, size_t *len)
{
	Gp__Request		 req;
	Gp__SubmitRequest	 submit;
	Gp__WhoamiRequest	 whoami;
	uint8_t			*buf;

	gp__request__init(&req);
	req.id = id;
	req.has_id = 1;
	if (r != NULL) {
		gp__submit_request__init(&submit);
		if ((submit.report = wire_report_new(r)) == NULL)
			seeds_die("out of memory");
		req.body_case = GP__REQUEST__BODY_SUBMIT;
		req.submit = &submit;
	} else {
		gp__whoami_request__init(&whoami);
		req.body_case = GP__REQUEST__BODY_WHOAMI;
		req.whoami = &whoami;
	}
	if (wire_pack_request(&req, &buf, len) == -1)
		seeds_die("cannot pack a request");
	if (r != NULL)
		wire_report_free(submit.report);
	if (!header) {
		*len -= FRAME_HEADER;
		memmove(buf, buf + FRAME_HEADER, *len);
	}
	return buf;
}

/*
 * A fuzz_frame input: max selector 6 (FRAME_MAX_DEFAULT, as gpd runs),
 * chunk sizes, then the stream.
 */
static void
seeds_frame(const char *name, const uint8_t *splits, size_t nsplits,
    const uint8_t *stream, size_t len)
{
	uint8_t	*buf;

	if ((buf = malloc(2 + nsplits + len)) == NULL)
		seeds_die("out of memory");
	buf[0] = 6;
	buf[1] = (uint8_t)nsplits;
	if (nsplits > 0)
		memcpy(buf + 2, splits, nsplits);
	memcpy(buf + 2 + nsplits, stream, len);
	seeds_write("fuzz_frame", name, buf, 2 + nsplits + len);
	free(buf);
}

static void
seeds_sample(const char *path)
{
	static const uint8_t	 splits[] = { 0, 2, 99, 254 };
	struct report_errors	 errs;
	struct report		*r;
	char			 cause[256], name[256], *copy, *base, *dot;
	uint8_t			*req, *whoami, *stream;
	size_t			 reqlen, whoamilen;

	memset(&errs, 0, sizeof(errs));
	if (report_json_read_file(path, check_forms(), &r, &errs, cause,
	    sizeof(cause)) == -1)
		seeds_die("%s: %s", path, errs.n > 0 ? errs.e[0].message :
		    cause);
	if ((copy = strdup(path)) == NULL)
		seeds_die("out of memory");
	base = basename(copy);
	if ((dot = strrchr(base, '.')) != NULL)
		*dot = '\0';

	req = seeds_request(r, 1, 0, &reqlen);
	snprintf(name, sizeof(name), "%s.pb", base);
	seeds_write("fuzz_request", name, req, reqlen);
	free(req);

	/* Submit, then whoami, pipelined in one stream. */
	req = seeds_request(r, 1, 1, &reqlen);
	whoami = seeds_request(NULL, 2, 1, &whoamilen);
	if ((stream = malloc(reqlen + whoamilen)) == NULL)
		seeds_die("out of memory");
	memcpy(stream, req, reqlen);
	memcpy(stream + reqlen, whoami, whoamilen);
	snprintf(name, sizeof(name), "%s.frames", base);
	seeds_frame(name, splits, sizeof(splits), stream,
	    reqlen + whoamilen);
	free(stream);
	free(whoami);
	free(req);
	free(copy);
	report_free(r);
}

static void
seeds_templates(void)
{
	static const char *const periods[] = { "2022-H1", "2022", "2023-H1" };
	struct report		*r;
	char			*cause = NULL, name[64], *text;
	size_t			 i;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		if ((r = report_template("lc-sinho", periods[i], check_forms(),
		    &cause)) == NULL)
			seeds_die("template: %s", cause);
		if (report_derive_id(r) == -1 ||
		    (text = report_json_write(r, NULL)) == NULL)
			seeds_die("out of memory");
		snprintf(name, sizeof(name), "template-%s.json", periods[i]);
		seeds_write("fuzz_report_json", name, text, strlen(text));
		free(text);
		report_free(r);
	}
}

static void
seeds_requests(void)
{
	uint8_t	*buf;
	size_t	 len;

	buf = seeds_request(NULL, 7, 0, &len);
	seeds_write("fuzz_request", "whoami.pb", buf, len);
	free(buf);
}

static void
seeds_set(char **dst, const char *s)
{
	free(*dst);
	if ((*dst = strdup(s)) == NULL)
		seeds_die("out of memory");
}

static void
seeds_report(const char *name, const struct report *r, int json)
{
	char	 file[64], *text;
	uint8_t	*buf;
	size_t	 len;

	buf = seeds_request(r, 3, 0, &len);
	snprintf(file, sizeof(file), "%s.pb", name);
	seeds_write("fuzz_request", file, buf, len);
	free(buf);
	if (!json)
		return;
	if ((text = report_json_write(r, NULL)) == NULL)
		seeds_die("%s: cannot write as JSON", name);
	snprintf(file, sizeof(file), "%s.json", name);
	seeds_write("fuzz_report_json", file, text, strlen(text));
	free(text);
}

/*
 * Reports just past the validator's bounds, so that a short run starts
 * where the rules are: a unit out of its validity, planned dates outside
 * the period, a title too long, counts too large, an annual report
 * without the autumn campaigns, too many activities and indicators.
 */
static void
seeds_edges(void)
{
	struct report		*r;
	char			*cause = NULL, code[16];
	char			 title[REPORT_MAX_TITLE + 2];
	size_t			 i;

	if ((r = report_template("lc-old", "2022-H1", check_forms(),
	    &cause)) == NULL)
		seeds_die("template: %s", cause);
	seeds_set(&r->id, "not-a-uuid");
	seeds_set(&r->activities[0].status, "planned");
	seeds_set(&r->activities[0].date, "2021-01-01");
	seeds_set(&r->activities[0].end_date, "2023-01-01");
	memset(title, 'a', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	seeds_set(&r->activities[1].title, title);
	r->activities[2].participants = REPORT_MAX_COUNT + 1;
	r->activities[2].female = REPORT_MAX_COUNT + 1;
	r->indicators[0].female = REPORT_MAX_COUNT + 1;
	seeds_report("edge-bounds", r, 1);
	report_free(r);

	if ((r = report_template("lc-new", "2022", check_forms(), &cause)) ==
	    NULL)
		seeds_die("template: %s", cause);
	for (i = 0; i < r->nactivities; i++)
		seeds_set(&r->activities[i].occasion, "none");
	seeds_report("edge-annual", r, 1);
	report_free(r);

	if ((r = report_new()) == NULL ||
	    (r->activities = calloc(REPORT_MAX_ACTIVITIES + 1,
	    sizeof(*r->activities))) == NULL ||
	    (r->indicators = calloc(REPORT_MAX_INDICATORS + 1,
	    sizeof(*r->indicators))) == NULL)
		seeds_die("out of memory");
	r->nactivities = REPORT_MAX_ACTIVITIES + 1;
	r->nindicators = REPORT_MAX_INDICATORS + 1;
	for (i = 0; i < r->nindicators; i++) {
		snprintf(code, sizeof(code), "x%zu", i);
		seeds_set(&r->indicators[i].code, code);
	}
	seeds_report("edge-counts", r, 0);
	report_free(r);
}

/* Streams at the edges of the length rules, in 1-byte chunks. */
static void
seeds_frame_edges(void)
{
	static const uint8_t	one[] = { 0 };
	uint8_t			stream[FRAME_HEADER + 3];

	frame_header(stream, 3);
	memcpy(stream + FRAME_HEADER, "abc", 3);
	seeds_frame("three-bytes", one, 1, stream, sizeof(stream));
	frame_header(stream, 0);
	seeds_frame("empty-frame", one, 1, stream, FRAME_HEADER);
	frame_header(stream, FRAME_MAX_DEFAULT);
	seeds_frame("at-max", one, 1, stream, sizeof(stream));
	frame_header(stream, FRAME_MAX_DEFAULT + 1);
	seeds_frame("over-max", one, 1, stream, sizeof(stream));
	frame_header(stream, 0xffffffff);
	seeds_frame("all-ones", NULL, 0, stream, FRAME_HEADER);
	seeds_frame("half-header", NULL, 0, stream, 2);
}

int
main(int argc, char **argv)
{
	int	i;

	if (argc < 2)
		seeds_die("usage: mkseeds corpus-dir report.json ...");
	seeds_dir = argv[1];
	for (i = 2; i < argc; i++)
		seeds_sample(argv[i]);
	seeds_requests();
	seeds_templates();
	seeds_edges();
	seeds_frame_edges();
	return 0;
}
