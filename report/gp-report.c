/*
 * gp-report: the province's report as a Word document, from the report
 * data gp-client gathers (gp-report(1), doc/report-data.md).
 *
 *	gp-report -o bao-cao-2022-H1.docx [data.json]
 *
 * Reads the header, then each unit: this year's are kept for the document
 * and counted into the figures; the previous year's are only counted, and
 * freed as soon as they are read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "compose.h"
#include "data.h"
#include "docx.h"
#include "figures.h"

static void
usage(void)
{
	fprintf(stderr, "usage: gp-report [--format docx] -o FILE.docx "
	    "[DATA.json]\n");
	exit(EX_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*out = NULL, *in = "-";
	struct data_reader	*r = NULL;
	struct data_header	*h = NULL;
	struct data_unit	**units = NULL, *u;
	struct figures		*fig = NULL;
	struct docx		*d = NULL;
	FILE			*f = stdin;
	char			*cause = NULL, title[600], phrase[64];
	size_t			 nunits = 0, cap = 0, i;
	int			 ch, previous, rc, status = EX_DATAERR;

	while ((ch = getopt_long(argc, argv, "f:ho:V", longopts, NULL)) != -1)
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "docx") == 0)
				break;
			if (strcmp(optarg, "pdf") == 0) {
				fprintf(stderr, "gp-report: --format pdf is not "
				    "built in; convert the .docx: soffice "
				    "--headless --convert-to pdf FILE.docx\n");
				return EX_USAGE;
			}
			fprintf(stderr, "gp-report: unknown format '%s'\n",
			    optarg);
			usage();
			break;
		case 'V':
			printf("gp-report %s\n", GP_VERSION);
			return 0;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc > 1 || out == NULL)
		usage();
	if (argc == 1)
		in = argv[0];
	if (strcmp(in, "-") != 0 && (f = fopen(in, "r")) == NULL) {
		fprintf(stderr, "gp-report: %s: %s\n", in, strerror(errno));
		return EX_NOINPUT;
	}

	if ((r = data_open(f)) == NULL) {
		cause = strdup("out of memory");
		status = EX_OSERR;
		goto fail;
	}
	if (data_read_header(r, &h, &cause) == -1)
		goto fail;
	if ((fig = figures_new(&h->form, h->has_previous ?
	    data_previous_form(h) : NULL)) == NULL) {
		cause = strdup("out of memory");
		status = EX_OSERR;
		goto fail;
	}
	while ((rc = data_next(r, h, &u, &previous, &cause)) == 1) {
		if (previous) {
			figures_add_previous(fig, u);
			data_unit_free(u);
			continue;
		}
		if (nunits == cap) {
			struct data_unit	**n;

			cap = cap ? cap * 2 : 16;
			if ((n = reallocarray(units, cap, sizeof(*n))) ==
			    NULL) {
				data_unit_free(u);
				cause = strdup("out of memory");
				status = EX_OSERR;
				goto fail;
			}
			units = n;
		}
		units[nunits++] = u;
		if (figures_add_unit(fig, u) == -1) {
			cause = strdup("out of memory");
			status = EX_OSERR;
			goto fail;
		}
	}
	if (rc == -1)
		goto fail;
	if (nunits == 0) {
		cause = strdup("no unit: a report needs the units of the "
		    "period");
		goto fail;
	}

	status = EX_CANTCREAT;
	if ((d = docx_new(out, &cause)) == NULL)
		goto fail;
	status = EX_SOFTWARE;
	if (compose_report(d, h, units, nunits, fig, &cause) == -1)
		goto fail;
	snprintf(title, sizeof(title), "Báo cáo %s %s", h->doc.subject,
	    compose_period_phrase(phrase, sizeof(phrase), &h->period));
	status = EX_CANTCREAT;
	rc = docx_close(d, title, h->doc.body, h->doc.date, &cause);
	d = NULL;
	if (rc == -1)
		goto fail;
	status = 0;
fail:
	if (status != 0)
		fprintf(stderr, "gp-report: %s: %s\n",
		    status == EX_CANTCREAT || status == EX_SOFTWARE ? out : in,
		    cause != NULL ? cause : "out of memory");
	free(cause);
	docx_discard(d);
	for (i = 0; i < nunits; i++)
		data_unit_free(units[i]);
	free(units);
	figures_free(fig);
	data_header_free(h);
	data_close(r);
	if (f != stdin)
		fclose(f);
	return status;
}
