/*
 * sqlbase: the raw SQLite limit gpd is measured against. Inserts the rows
 * gpd stores for a submission (benchdb.c: the report with its canonical
 * bytes, activities, indicators, its totals, narrative texts, warnings,
 * the chained audit entry) as daemon/store.c does: WAL, synchronous=FULL,
 * foreign keys on, the writer's 64 MiB page cache, prepared statements,
 * BEGIN IMMEDIATE ... COMMIT of --batch
 * reports; and nothing else: no TLS, no decoding, no validation, no
 * look-ups, no savepoints.
 *
 * The reports are gpload's: one per unit from the same seeds, a new id
 * for each insert. A new database gets gpd's schema from daemon/store.c's
 * store_open(), so both write into the same tables and indexes.
 *
 * usage: sqlbase --db FILE [--batch B] [--count N | --duration S]
 *            [--units U] [--period P] [--seed S]
 * prints: sqlbase batch=B reports=N seconds=S rate=R ...
 */
#include <sys/resource.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "benchdb.h"
#include "benchgen.h"
#include "store.h"
#include "form.h"
#include "validate.h"

struct unit_data {
	char			 unit[BENCH_UNIT_MAX];
	struct report		*r;
	uint8_t			*raw;
	size_t			 rawlen;
	long			 id_off;
	uint8_t			 hash[32];
	char			 fingerprint[65];
	struct report_errors	 warns;
	uint32_t		 revision;
};

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "sqlbase: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static double
cpu_seconds(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "batch", required_argument, NULL, 'b' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "units", required_argument, NULL, 'u' },
		{ "period", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct validate_context	 vc;
	struct form_set		*forms;
	struct period_rules	 rules;
	struct period		 per;
	struct report_errors	 errs;
	struct benchdb_row	 row;
	struct unit_data	*units, *u;
	struct benchdb		*b;
	struct store		*s;
	const char		*path = NULL, *period = "2022-H1", *errstr;
	char			*cause = NULL;
	char			 receipt[33];
	uint64_t		 rng, seed = 1, count = 10000, done;
	size_t			 batch = 100, nunits = 100, i, k;
	double			 t0, secs, acts = 0, duration = 0, cpu0;
	int			 ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			path = optarg;
			break;
		case 'b':
			batch = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			duration = atof(optarg);
			count = UINT64_MAX;
			break;
		case 'u':
			nunits = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			period = optarg;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (path == NULL || batch == 0 || count == 0 || nunits == 0 ||
	    optind != argc)
		goto usage;

	period_rules_default(&rules);
	if (period_parse(period, &rules, &per, &errstr) == -1)
		die("%s: %s", period, errstr);
	/* The built-in form, as gpd without a forms directory. */
	if (form_set_load(NULL, &forms, &cause) == -1)
		die("the built-in form: %s", cause != NULL ? cause : "?");
	memset(&vc, 0, sizeof(vc));
	vc.forms = forms;
	vc.today = date_of(time(NULL));
	if ((units = calloc(nunits, sizeof(*units))) == NULL)
		die("out of memory");
	for (i = 0; i < nunits; i++) {
		u = &units[i];
		bench_unit(i + 1, u->unit);
		if ((u->r = bench_report(u->unit, period, seed * 1000003 + i,
		    0)) == NULL)
			die("cannot make a report for %s", period);
		/* The warnings gpd would store with it. */
		memset(&errs, 0, sizeof(errs));
		if (validate_report(u->r, &vc, NULL, &errs, &u->warns) == -1)
			die("generated report invalid: %s: %s",
			    errs.e[0].field, errs.e[0].message);
		if (report_pack(u->r, &u->raw, &u->rawlen) == -1 ||
		    report_hash(u->r, u->hash) == -1)
			die("out of memory");
		u->id_off = bench_id_offset(u->raw, u->rawlen);
		for (k = 0; k < 64; k++)
			u->fingerprint[k] = "0123456789abcdef"[(i + k) % 16];
		acts += (double)u->r->nactivities;
	}

	/* gpd's schema, made by gpd's own code when the file is new. */
	if ((s = store_open(path, &errstr)) == NULL)
		die("%s: %s", path, errstr);
	store_close(s);
	b = benchdb_open(path, 0);
	for (i = 0; i < nunits; i++)
		units[i].revision = benchdb_revision(b, units[i].unit, period);

	rng = bench_seed();
	cpu0 = cpu_seconds();
	t0 = now();
	for (done = 0; done < count; ) {
		if (duration > 0 && now() - t0 >= duration)
			break;
		benchdb_begin(b);
		for (k = 0; k < batch && done < count; k++, done++) {
			u = &units[done % nunits];
			/* A new submission: a new id, in the raw bytes too. */
			bench_uuid(&rng, u->r->id);
			memcpy(u->raw + u->id_off, u->r->id, BENCH_UUID_LEN);
			snprintf(receipt, sizeof(receipt), "%016" PRIx64
			    "%016" PRIx64, bench_rand(&rng), bench_rand(&rng));
			memset(&row, 0, sizeof(row));
			row.report = u->r;
			row.raw = u->raw;
			row.rawlen = u->rawlen;
			row.hash = u->hash;
			row.fingerprint = u->fingerprint;
			row.form_sha256 = form_sha256(form_set_year(forms,
			    2022));
			row.receipt = receipt;
			row.received_at = (int64_t)time(NULL);
			row.late = date_of((time_t)row.received_at) > per.due;
			row.due = per.due;
			row.days_late = row.late ? date_of((time_t)
			    row.received_at) - per.due : 0;
			row.revision = ++u->revision;
			row.warnings = &u->warns;
			benchdb_put(b, &row);
		}
		benchdb_commit(b);
	}
	secs = now() - t0;
	cpu0 = cpu_seconds() - cpu0;
	printf("sqlbase batch=%zu reports=%" PRIu64 " seconds=%.3f rate=%.1f "
	    "cpu_ms=%.3f activities_per_report=%.1f raw_bytes_per_report=%zu\n",
	    batch, done, secs, (double)done / secs, cpu0 * 1000 / (double)done,
	    acts / (double)nunits, units[0].rawlen);
	benchdb_close(b);
	for (i = 0; i < nunits; i++) {
		report_free(units[i].r);
		free(units[i].raw);
	}
	free(units);
	return 0;
usage:
	fprintf(stderr, "usage: sqlbase --db FILE [--batch B] [--count N | "
	    "--duration S] [--units U] [--period P] [--seed S]\n");
	return 64;
}
