/*
 * natgen: the national-scale database. Makes a new database with gpd's
 * schema (store_open from daemon/store.c creates and migrates it) and
 * fills it with UNITS units x the given periods, one report each of
 * ACTIVITIES activities (from a pool of 512 generated reports per period,
 * each stored with its unit and a new id), with the rows gpd stores (benchdb.c: raw bytes,
 * content hash, the warnings proto/validate.c gives, the chained audit
 * entry). Reports arrive in random unit order between the end of the
 * coverage and the due date, one in seven late. Writes the matching unit
 * registry for gpd, and the same registry as a table bench_units(code,
 * name) for the hand-written SQL to join against.
 *
 * Bulk loading: no journal and no fsync while filling; the database is
 * put back into WAL mode at the end, as gpd wants it.
 *
 * usage: natgen --db FILE --units-conf FILE [--units N]
 *            [--periods P,P] [--activities N] [--seed S]
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "benchdb.h"
#include "benchgen.h"
#include "store.h"
#include "form.h"
#include "validate.h"

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "natgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/*
 * Reports come from a pool made once per period (POOL reports, packed
 * once): each stored report takes one, with the unit's code and a new id
 * patched into the same bytes, so that 200,000 reports need not be made
 * and packed one by one.
 */
#define POOL		512
#define POOL_UNIT	"bench-u000000"	/* as long as every bench_unit() */

struct pooled {
	struct report	*r;
	uint8_t		*raw;
	size_t		 rawlen;
	long		 id_off, unit_off;
};

static void
pool_make(struct pooled *pool, const char *period, uint64_t *rng,
    size_t nact)
{
	struct pooled	*pp;
	const void	*u;
	size_t		 k;

	for (k = 0; k < POOL; k++) {
		pp = &pool[k];
		if ((pp->r = bench_report(POOL_UNIT, period, bench_rand(rng),
		    nact)) == NULL)
			die("cannot make a report for %s", period);
		if (report_pack(pp->r, &pp->raw, &pp->rawlen) == -1)
			die("cannot pack a report");
		pp->id_off = bench_id_offset(pp->raw, pp->rawlen);
		u = memmem(pp->raw, pp->rawlen, POOL_UNIT, strlen(POOL_UNIT));
		if (pp->id_off < 0 || u == NULL)
			die("placeholder not found in a packed report");
		pp->unit_off = (const uint8_t *)u - pp->raw;
	}
}

static void
pool_free(struct pooled *pool)
{
	size_t	k;

	for (k = 0; k < POOL; k++) {
		report_free(pool[k].r);
		free(pool[k].raw);
	}
}

/* One report of unit i, received at 'at'. */
static void
put(struct benchdb *b, struct pooled *pp, size_t i,
    const struct form_set *forms, uint64_t *rng, int64_t at, int32_t due)
{
	struct validate_context	 vc;
	struct report_errors	 errs, warns;
	struct benchdb_row	 row;
	struct report		*r = pp->r;
	char			 unit[BENCH_UNIT_MAX], fp[65], receipt[33];
	uint8_t			 hash[32], fpb[32];
	size_t			 k;

	bench_unit(i, unit);
	if (strlen(unit) != strlen(POOL_UNIT))
		die("unit %s: codes of another length", unit);
	memcpy(r->unit, unit, strlen(unit));
	bench_uuid(rng, r->id);
	memcpy(pp->raw + pp->unit_off, unit, strlen(unit));
	memcpy(pp->raw + pp->id_off, r->id, BENCH_UUID_LEN);
	/* The warnings gpd would store: late or not, by the day. */
	memset(&vc, 0, sizeof(vc));
	vc.forms = forms;
	vc.today = date_of((time_t)at);
	memset(&errs, 0, sizeof(errs));
	memset(&warns, 0, sizeof(warns));
	if (validate_report(r, &vc, NULL, &errs, &warns) == -1)
		die("generated report invalid: %s: %s", errs.e[0].field,
		    errs.e[0].message);
	if (EVP_Digest(pp->raw, pp->rawlen, hash, NULL, EVP_sha256(), NULL)
	    != 1)
		die("SHA-256");
	/* A certificate fingerprint per unit, a receipt per report. */
	EVP_Digest(unit, strlen(unit), fpb, NULL, EVP_sha256(), NULL);
	report_hex(fpb, 32, fp);
	for (k = 0; k < 16; k++)
		fpb[k] = (uint8_t)bench_rand(rng);
	report_hex(fpb, 16, receipt);

	memset(&row, 0, sizeof(row));
	row.report = r;
	row.raw = pp->raw;
	row.rawlen = pp->rawlen;
	row.hash = hash;
	row.fingerprint = fp;
	row.receipt = receipt;
	row.received_at = at;
	row.late = vc.today > due;
	row.due = due;
	row.days_late = row.late ? vc.today - due : 0;
	row.revision = 1;
	row.warnings = &warns;
	row.form_sha256 = form_sha256(form_set_year(forms, 2022));
	benchdb_put(b, &row);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "units-conf", required_argument, NULL, 'U' },
		{ "units", required_argument, NULL, 'u' },
		{ "periods", required_argument, NULL, 'p' },
		{ "activities", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct period_rules	 rules;
	struct form_set		*forms;
	struct period		 per;
	struct pooled		 pool[POOL];
	char			*cause = NULL;
	struct benchdb		*b;
	struct store		*s;
	sqlite3_stmt		*ins;
	sqlite3			*db;
	const char		*path = NULL, *conf = NULL, *errstr;
	char			 periods[256] = "2022-H1,2022", *p, *save;
	char			 unit[BENCH_UNIT_MAX], name[200];
	char			 bak[4200];
	time_t			 t0;
	size_t			*order, nunits = 100000, nact = 20, i, j, t;
	uint64_t		 rng, seed = 1, nrep = 0;
	int64_t			 at;
	FILE			*f;
	int			 ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			path = optarg;
			break;
		case 'U':
			conf = optarg;
			break;
		case 'u':
			nunits = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			snprintf(periods, sizeof(periods), "%s", optarg);
			break;
		case 'a':
			nact = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (path == NULL || conf == NULL || nunits == 0 || nact == 0 ||
	    optind != argc)
		goto usage;
	period_rules_default(&rules);
	/* The built-in form, as gpd without a forms directory: its 2022
	 * dates are those of the default rules. */
	if (form_set_load(NULL, &forms, &cause) == -1)
		die("the built-in form: %s", cause != NULL ? cause : "?");
	rng = seed;

	/* The registry for gpd. */
	if ((f = fopen(conf, "w")) == NULL)
		die("%s: cannot write", conf);
	fprintf(f, "# %zu units made by tests/bench/natgen\n", nunits);
	for (i = 1; i <= nunits; i++) {
		bench_unit(i, unit);
		bench_unit_name(i, name, sizeof(name));
		fprintf(f, "\n[%s]\nname = %s\ntype = district_federation\n",
		    unit, name);
	}
	if (fclose(f) == EOF)
		die("%s: cannot write", conf);

	/* gpd's schema, made by gpd's own code. */
	unlink(path);
	if ((s = store_open(path, &errstr)) == NULL)
		die("%s: %s", path, errstr);
	store_close(s);

	b = benchdb_open(path, 1);
	benchdb_exec(b, "BEGIN");
	if ((order = calloc(nunits, sizeof(*order))) == NULL)
		die("out of memory");
	for (p = strtok_r(periods, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (period_parse(p, &rules, &per, &errstr) == -1)
			die("%s: %s", p, errstr);
		pool_make(pool, p, &rng, nact);
		/* Arrival order: a shuffle of the units. */
		for (i = 0; i < nunits; i++)
			order[i] = i + 1;
		for (i = nunits - 1; i > 0; i--) {
			j = (size_t)(bench_rand(&rng) % (i + 1));
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < nunits; i++) {
			/* Between the end of the coverage and the due
			 * date; one in seven up to 30 days late. */
			at = ((int64_t)per.to + 1) * 86400 + 3600 +
			    (int64_t)i * ((int64_t)(per.due - per.to) *
			    86400 - 7200) / (int64_t)nunits;
			if (bench_rand(&rng) % 7 == 0)
				at += (int64_t)(1 + bench_rand(&rng) % 30) *
				    86400;
			put(b, &pool[bench_rand(&rng) % POOL], order[i],
			    forms, &rng, at, per.due);
			nrep++;
		}
		pool_free(pool);
	}
	free(order);
	benchdb_exec(b, "COMMIT");
	benchdb_close(b);

	/* The aggregates of the periods' totals, as gpd's migration 8
	 * builds them from the rows of a database stored before them: the
	 * copy it keeps aside is not needed here. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_exec(db, "DROP TABLE period_sums; "
	    "DROP TABLE period_indicators; DROP TABLE unit_sums; "
	    "DROP TABLE unit_registry; PRAGMA user_version = 7", NULL, NULL,
	    NULL) != SQLITE_OK)
		die("%s: %s", path, sqlite3_errmsg(db));
	sqlite3_close(db);
	t0 = time(NULL);
	if ((s = store_open(path, &errstr)) == NULL)
		die("%s: %s", path, errstr);
	store_close(s);
	snprintf(bak, sizeof(bak), "%s.schema-7.bak", path);
	unlink(bak);
	printf("natgen migration 8 (the aggregates) took %lld s\n",
	    (long long)(time(NULL) - t0));

	/* The registry as a table, and the WAL mode gpd keeps. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		die("%s: %s", path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, "BEGIN; CREATE TABLE bench_units (code TEXT "
	    "PRIMARY KEY, name TEXT NOT NULL)", NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "INSERT INTO bench_units "
	    "(code, name) VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK)
		die("bench_units: %s", sqlite3_errmsg(db));
	for (i = 1; i <= nunits; i++) {
		bench_unit(i, unit);
		bench_unit_name(i, name, sizeof(name));
		sqlite3_bind_text(ins, 1, unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("bench_units: %s", sqlite3_errmsg(db));
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	if (sqlite3_exec(db, "COMMIT; PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) != SQLITE_OK)
		die("%s: %s", path, sqlite3_errmsg(db));
	sqlite3_close(db);
	printf("natgen units=%zu reports=%" PRIu64 " activities=%zu\n",
	    nunits, nrep, nact);
	return 0;
usage:
	fprintf(stderr, "usage: natgen --db FILE --units-conf FILE "
	    "[--units N] [--periods P,P] [--activities N] [--seed S]\n");
	return 64;
}
