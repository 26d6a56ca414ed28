/*
 * valbench: what checking a report costs, for figure (6) of make bench.
 * Reads the report files once, then validates them again and again for
 * a while and prints the mean time of one validation:
 *
 *   valbench SECONDS FILE...
 *   validate_ns=<mean ns per validation> load_ns=<forms loaded once>
 *   reports=<n> rounds=<n>
 *
 * Built twice by make bench: against this tree (reports checked against
 * the form of their year, which load_ns loads: the built-in form), and
 * with VALBENCH_ENUMS against the tree before report forms, whose rules
 * were C enums (load_ns=0).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef VALBENCH_ENUMS
#include "form.h"
#endif
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"

#define VALBENCH_MAX_FILES	16

static double
valbench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	static struct report_errors	 errs, warns;
	struct validate_context		 ctx;
	struct report			*r[VALBENCH_MAX_FILES];
	char				 cause[256];
	double				 seconds, start, load = 0;
	unsigned long			 rounds = 0, n;
	int				 i, nfiles;
#ifdef VALBENCH_ENUMS
	struct period_rules		 rules;
#else
	struct form_set			*forms = NULL;
	char				*why = NULL;
	double				 t0;
#endif

	if (argc < 3 || argc - 2 > VALBENCH_MAX_FILES ||
	    (seconds = atof(argv[1])) <= 0) {
		fprintf(stderr, "usage: valbench SECONDS FILE...\n");
		return 64;
	}
	nfiles = argc - 2;
	memset(&ctx, 0, sizeof(ctx));
#ifdef VALBENCH_ENUMS
	period_rules_default(&rules);
	ctx.rules = &rules;
#else
	t0 = valbench_now();
	if (form_set_load(NULL, &forms, &why) == -1) {
		fprintf(stderr, "valbench: %s\n", why);
		return 1;
	}
	load = valbench_now() - t0;
	ctx.forms = forms;
#endif
	/* The day they were due: no lateness, the same work each round. */
	if (date_parse("2022-06-10", &ctx.today) == -1)
		return 1;
	for (i = 0; i < nfiles; i++) {
#ifdef VALBENCH_ENUMS
		if (report_json_read_file(argv[2 + i], &r[i], &errs, cause,
		    sizeof(cause)) == -1) {
#else
		if (report_json_read_file(argv[2 + i], forms, &r[i], &errs,
		    cause, sizeof(cause)) == -1) {
#endif
			fprintf(stderr, "valbench: %s: %s\n", argv[2 + i],
			    cause);
			return 1;
		}
		if (report_derive_id(r[i]) == -1)
			return 1;
	}

	start = valbench_now();
	do {
		for (i = 0; i < nfiles; i++) {
			report_errors_clear(&errs);
			report_errors_clear(&warns);
#ifdef VALBENCH_ENUMS
			validate_report(r[i], &ctx, &errs, &warns);
#else
			validate_report(r[i], &ctx, NULL, &errs, &warns);
#endif
		}
		rounds++;
	} while (valbench_now() - start < seconds * 1e9);
	n = rounds * (unsigned long)nfiles;
	printf("validate_ns=%.0f load_ns=%.0f reports=%d rounds=%lu\n",
	    (valbench_now() - start) / (double)n, load, nfiles, rounds);
	for (i = 0; i < nfiles; i++)
		report_free(r[i]);
#ifndef VALBENCH_ENUMS
	form_set_free(forms);
#endif
	return 0;
}
