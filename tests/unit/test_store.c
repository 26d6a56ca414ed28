/*
 * The report store, checked by reading the database file with a second
 * SQLite connection: each test asserts what is (or is not) in the tables.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "form.h"
#include "report.h"
#include "store.h"

#define T_H1		"2022-H1"
#define T_YEAR		"2022"
#define T_ID1		"0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a"
#define T_ID2		"1c9a4d2f-6e3b-4d58-8b64-8a1f2e3d4c5b"
#define T_ID3		"2dab5e30-7f4c-4e69-9c75-9b2a3f4e5d6c"
#define T_AT		1654000000	/* 2022-05-31 */
#define T_FPR		"5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9" \
			"a8f7e6d5c4b3a2918273645546372819"

/* Vietnamese as users type it, and one in decomposed form (NFD): the
 * store must keep bytes, not normalise them. */
#define T_TITLE		"Hội nghị tuyên truyền Luật Bình đẳng giới"
#define T_LOCATION	"Nhà văn hóa huyện Tam Đường"
#define T_NOTES_NFD	"Mu\xcc\x9b\xcc\x80ng Te\xcc\x82\xcc\x81"
#define T_RESULTS	"Tổ chức 12 buổi tuyên truyền cho 1.450 lượt " \
			"đoàn viên, trong đó 890 nữ.\nĐạt kế hoạch đề ra."
#define T_LAW_PROPOSALS	"Đề nghị sửa đổi Điều 11 về bình đẳng giới " \
			"trong lĩnh vực lao động."

struct submission {
	struct report		*r;
	uint8_t			*raw;
	uint8_t			 hash[32];
	struct report_errors	 warnings;
	struct store_meta	 meta;
};

struct fixture {
	char		 dir[256];
	char		 path[300];
	struct store	*store;
	sqlite3		*conn;		/* the store's own connection */
};

static sqlite3	*captured;

/* Registered with sqlite3_auto_extension: sees each connection opened. */
static int
capture_connection(sqlite3 *db, char **errmsg,
    const sqlite3_api_routines *api)
{
	(void)errmsg;
	(void)api;
	captured = db;
	return SQLITE_OK;
}

static struct store *
open_store(struct fixture *f)
{
	const char	*errstr = NULL;
	struct store	*s;

	captured = NULL;
	assert_int_equal(sqlite3_auto_extension(
	    (void (*)(void))capture_connection), SQLITE_OK);
	s = store_open(f->path, &errstr);
	sqlite3_cancel_auto_extension((void (*)(void))capture_connection);
	if (s == NULL)
		print_error("store_open: %s\n", errstr);
	f->conn = captured;
	return s;
}

static void
remove_db(const char *path)
{
	static const char	*suffixes[] = { "", "-wal", "-shm", "-journal" };
	char			 name[320];
	size_t			 i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		if (unlink(name) == -1 && errno != ENOENT)
			fail_msg("unlink %s: %s", name, strerror(errno));
	}
}

static int
setup(void **state)
{
	struct fixture	*f;
	const char	*tmp;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/gp.db", f->dir);
	if ((f->store = open_store(f)) == NULL) {
		remove_db(f->path);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rv;

	store_close(f->store);
	remove_db(f->path);
	rv = rmdir(f->dir);
	free(f);
	return rv;
}

/* A second connection to the file, as an administrator would have. */
static sqlite3 *
db_open(const char *path)
{
	sqlite3	*db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("open %s: %s", path, sqlite3_errmsg(db));
	return db;
}

static void
db_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
}

/* Runs sql, which must give exactly one row; the caller finalizes. */
static sqlite3_stmt *
db_row(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	return st;
}

static int64_t
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	st = db_row(db, sql);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_INTEGER);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The one value of sql is the text want, byte for byte, or NULL. */
static void
assert_text(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt	*st;

	st = db_row(db, sql);
	if (want == NULL)
		assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	else {
		assert_int_equal(sqlite3_column_type(st, 0), SQLITE_TEXT);
		assert_int_equal(sqlite3_column_bytes(st, 0), strlen(want));
		assert_memory_equal(sqlite3_column_text(st, 0), want,
		    strlen(want));
	}
	sqlite3_finalize(st);
}

static void
assert_blob(sqlite3 *db, const char *sql, const void *want, size_t len)
{
	sqlite3_stmt	*st;

	st = db_row(db, sql);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_BLOB);
	assert_int_equal(sqlite3_column_bytes(st, 0), len);
	assert_memory_equal(sqlite3_column_blob(st, 0), want, len);
	sqlite3_finalize(st);
}

/* Row counts of every table a submission writes. */
static void
assert_rows(const char *path, int reports, int activities, int indicators,
    int narratives, int warnings, int audit)
{
	sqlite3	*db;

	db = db_open(path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports"),
	    reports);
	assert_int_equal(db_int(db, "SELECT count(*) FROM activities"),
	    activities);
	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators"),
	    indicators);
	assert_int_equal(db_int(db, "SELECT count(*) FROM narratives"),
	    narratives);
	assert_int_equal(db_int(db, "SELECT count(*) FROM warnings"),
	    warnings);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit"), audit);
	/* One totals row per report, nothing of a refused one. */
	assert_int_equal(db_int(db, "SELECT count(*) FROM report_totals"),
	    reports);
	sqlite3_close(db);
}

static char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fail_msg("out of memory");
	return p;
}

/* Appends a text (a narrative text, a section's field) to v. */
static void
add_text(struct report_text **v, size_t *n, const char *code,
    const char *text)
{
	struct report_text	*nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
		fail_msg("out of memory");
	nv[*n].code = xstrdup(code);
	nv[*n].text = xstrdup(text);
	*v = nv;
	(*n)++;
}

/* The text of code in v, or NULL. */
static struct report_text *
find_text(struct report_text *v, size_t n, const char *code)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

/* What sample_report() writes: 2 activities, 2 indicators, 3 narrative
 * and 2 law review texts; submission_new() adds 1 warning. */
#define T_ACTIVITIES	2
#define T_INDICATORS	2
#define T_TEXTS		5
#define T_WARNINGS	1

static struct report *
sample_report(const char *id, const char *unit, const char *period)
{
	struct report		*r;
	struct report_activity	*a;

	if ((r = report_new()) == NULL)
		fail_msg("out of memory");
	r->id = xstrdup(id);
	r->unit = xstrdup(unit);
	r->period = xstrdup(period);
	r->reporter_name = xstrdup("Nguyễn Thị Hường");
	r->reporter_position = xstrdup("Phó Chủ tịch LĐLĐ huyện");

	if ((r->activities = calloc(T_ACTIVITIES, sizeof(*a))) == NULL)
		fail_msg("out of memory");
	r->nactivities = T_ACTIVITIES;
	a = &r->activities[0];
	a->area = xstrdup("policy_dissemination");
	a->kind = xstrdup("conference");
	a->occasion = xstrdup("womens_day");
	a->status = xstrdup("done");
	a->date = xstrdup("2022-03-08");
	a->title = xstrdup(T_TITLE);
	a->location = xstrdup(T_LOCATION);
	a->sessions = 1;
	a->participants = 150;
	a->female = 98;
	a = &r->activities[1];
	a->area = xstrdup("communication_training");
	a->kind = xstrdup("training");
	a->occasion = xstrdup("family_day");
	a->status = xstrdup("planned");
	a->date = xstrdup("2022-06-27");
	a->end_date = xstrdup("2022-06-28");
	a->title = xstrdup("Tập huấn phòng chống bạo lực gia đình");
	a->location = xstrdup("Xã Bản Giang");
	a->sessions = 2;
	a->participants = 60;
	a->female = 41;
	a->notes = xstrdup(T_NOTES_NFD);

	if ((r->indicators = calloc(T_INDICATORS, sizeof(*r->indicators))) ==
	    NULL)
		fail_msg("out of memory");
	r->nindicators = T_INDICATORS;
	r->indicators[0].code = xstrdup("members");
	r->indicators[0].total = 4210;
	r->indicators[0].female = 2377;
	r->indicators[0].has_female = 1;
	/* No women's figure: the 2022 form gives this one no share. */
	r->indicators[1].code = xstrdup("gbv_cases_detected");
	r->indicators[1].total = 3;

	add_text(&r->narrative, &r->nnarrative, "results", T_RESULTS);
	add_text(&r->narrative, &r->nnarrative, "difficulties",
	    "Địa bàn rộng, đi lại khó khăn vào mùa mưa.");
	add_text(&r->narrative, &r->nnarrative, "next_tasks",
	    "Hưởng ứng Tháng hành động vì bình đẳng giới.");
	if ((r->sections = calloc(1, sizeof(*r->sections))) == NULL)
		fail_msg("out of memory");
	r->nsections = 1;
	r->sections[0].code = xstrdup("law_review");
	add_text(&r->sections[0].fields, &r->sections[0].nfields, "results",
	    "Nhận thức về bình đẳng giới được nâng lên.");
	add_text(&r->sections[0].fields, &r->sections[0].nfields, "proposals",
	    T_LAW_PROPOSALS);
	return r;
}

/* Canonical bytes and hash as gpd computes them; call again after
 * changing the report. */
static void
submission_pack(struct submission *sub)
{
	size_t	len;

	free(sub->raw);
	assert_int_equal(report_pack(sub->r, &sub->raw, &len), 0);
	assert_int_equal(report_hash(sub->r, sub->hash), 0);
	sub->meta.raw = sub->raw;
	sub->meta.rawlen = len;
	sub->meta.hash = sub->hash;
}

/* The built-in 2022 form, which every sample is checked against. */
static struct form *
builtin_form(void)
{
	static struct form	*f;
	char			*cause = NULL;

	if (f == NULL && form_builtin(&f, &cause) == -1)
		fail_msg("form_builtin: %s", cause != NULL ? cause : "?");
	return f;
}

static void
submission_new(struct submission *sub, const char *id, const char *unit,
    const char *period)
{
	const struct form	*form = builtin_form();

	memset(sub, 0, sizeof(*sub));
	sub->meta.form_sha256 = form_sha256(form);
	sub->meta.form_year = form_year(form);
	sub->meta.form_bytes = form_canonical(form, &sub->meta.form_len);
	sub->r = sample_report(id, unit, period);
	report_errors_add(&sub->warnings, "activities[1].date",
	    "ngày %s cách xa ngày 28/6", "2022-06-27");
	sub->meta.cn = unit;
	sub->meta.fingerprint = T_FPR;
	sub->meta.received_at = T_AT;
	sub->meta.today = date_from_ymd(2022, 5, 31);
	sub->meta.due = date_from_ymd(2022, 6, 10);
	sub->meta.warnings = &sub->warnings;
	submission_pack(sub);
}

static void
submission_free(struct submission *sub)
{
	report_free(sub->r);
	free(sub->raw);
}

/*
 * One submission in a batch of its own, the way gpd's writer runs a batch
 * (writer.c): begin, put, commit; a failed commit fails the put.
 */
static enum store_status
put_one(struct store *s, const struct report *r, const struct store_meta *m,
    struct store_receipt *out)
{
	enum store_status	status, commit;

	memset(out, 0, sizeof(*out));
	if (store_begin(s) == -1)
		return STORE_FAIL;
	status = store_put(s, r, m, out);
	if ((commit = store_commit(s)) != STORE_OK) {
		memset(out, 0, sizeof(*out));
		return commit;
	}
	return status;
}

static void
put_ok(struct store *s, struct submission *sub, uint32_t revision,
    struct store_receipt *out)
{
	enum store_status	st;

	st = put_one(s, sub->r, &sub->meta, out);
	if (st != STORE_OK)
		fail_msg("store_put_report %d: %s", st, store_error(s));
	assert_int_equal(out->revision, revision);
	assert_false(out->duplicate);
}

struct said {
	int	n;
	char	lines[16][512];
};

static void
collect(void *arg, const char *line)
{
	struct said	*said = arg;

	if (said->n < 16)
		snprintf(said->lines[said->n++], sizeof(said->lines[0]), "%s",
		    line);
}

/*
 * The aggregates against the detail (issue 20): every total a summary
 * reads from them (the total, by area, kind, occasion and status, the
 * indicators, the review states; all reports and the accepted ones) is
 * added up again here from the per-report rows (list, export, each
 * report's indicators), and verify-audit finds nothing.
 */
#define T_SUM_KEYS	64

struct t_sum {
	const char	*dim;
	char		 code[64];
	char		 last_unit[64];
	uint64_t	 reports, activities, sessions, participants, female;
	int		 has_female;
};

static struct t_sum *
t_sum_of(struct t_sum *v, size_t *n, const char *dim, const char *code)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i].dim, dim) == 0 && strcmp(v[i].code, code) == 0)
			return &v[i];
	assert_true(*n < T_SUM_KEYS);
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].dim = dim;
	snprintf(v[*n].code, sizeof(v[*n].code), "%s", code);
	return &v[(*n)++];
}

static void
t_sum_same(const struct store_sum_row *got, const struct t_sum *want)
{
	assert_int_equal(got->reports, want->reports);
	assert_int_equal(got->activities, want->activities);
	assert_int_equal(got->sessions, want->sessions);
	assert_int_equal(got->participants, want->participants);
	assert_int_equal(got->female, want->female);
}

static void
assert_sums_follow_detail_of(struct store *reader, const char *period,
    int accepted)
{
	static const struct {
		const char		*dim;
		enum store_query	 q;
	} dims[] = {
		{ "area", STORE_Q_SUM_AREA }, { "kind", STORE_Q_SUM_KIND },
		{ "occasion", STORE_Q_SUM_OCCASION },
		{ "status", STORE_Q_SUM_STATUS },
	};
	struct t_sum			 want[T_SUM_KEYS], ind[T_SUM_KEYS];
	struct t_sum			 total, *t;
	struct store_args		 args;
	struct store_cursor		*c, *ci;
	struct store_report_row		 row;
	struct store_activity_row	 act;
	struct store_indicator_row	 ir;
	struct store_sum_row		 sum;
	int64_t				 ids[64];
	uint64_t			 states[3] = { 0, 0, 0 };
	const char			*codes[4];
	size_t				 n = 0, nind = 0, nids = 0, i, k, seen;
	int				 st;

	memset(&total, 0, sizeof(total));
	memset(&args, 0, sizeof(args));
	args.period = period;
	args.accepted = accepted;
	/* The detail: the latest revisions, one by one. */
	assert_non_null(c = store_query(reader, STORE_Q_LIST, &args));
	while (store_next_report(c, &row) == 1) {
		assert_non_null(row.review_state);
		st = strcmp(row.review_state, STORE_STATE_ACCEPTED) == 0 ? 2 :
		    strcmp(row.review_state, STORE_STATE_RETURNED) == 0 ? 1 : 0;
		if (accepted && st != 2)
			continue;
		states[st]++;
		total.reports++;
		total.activities += row.activities;
		total.sessions += row.sessions;
		total.participants += row.participants;
		total.female += row.female;
		assert_true(nids < sizeof(ids) / sizeof(*ids));
		ids[nids++] = row.id;
	}
	store_cursor_close(c);
	assert_non_null(c = store_query(reader, STORE_Q_EXPORT, &args));
	while (store_next_activity(c, &act) == 1) {
		codes[0] = act.area;
		codes[1] = act.kind;
		codes[2] = act.occasion;
		codes[3] = act.status;
		for (k = 0; k < 4; k++) {
			t = t_sum_of(want, &n, dims[k].dim, codes[k]);
			if (strcmp(t->last_unit, act.unit) != 0)
				t->reports++;
			snprintf(t->last_unit, sizeof(t->last_unit), "%s",
			    act.unit);
			t->activities++;
			t->sessions += act.sessions;
			t->participants += act.participants;
			t->female += act.female;
		}
	}
	store_cursor_close(c);
	for (i = 0; i < nids; i++) {
		memset(&args, 0, sizeof(args));
		args.report_id = ids[i];
		assert_non_null(ci = store_query(reader, STORE_Q_INDICATORS_OF,
		    &args));
		while (store_next_indicator(ci, &ir) == 1) {
			t = t_sum_of(ind, &nind, "indicator", ir.code);
			t->reports++;
			t->sessions += ir.total;	/* the total */
			t->female += ir.female;
			t->has_female |= ir.has_female;
		}
		store_cursor_close(ci);
	}

	/* The aggregates. */
	memset(&args, 0, sizeof(args));
	args.period = period;
	args.accepted = accepted;
	assert_non_null(c = store_query(reader, STORE_Q_SUM_TOTAL, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	t_sum_same(&sum, &total);
	store_cursor_close(c);
	for (k = 0; k < 4; k++) {
		assert_non_null(c = store_query(reader, dims[k].q, &args));
		for (seen = 0; store_next_sum(c, &sum) == 1; seen++) {
			assert_non_null(sum.key);
			t = t_sum_of(want, &n, dims[k].dim, sum.key);
			t_sum_same(&sum, t);
		}
		store_cursor_close(c);
		for (i = 0; i < n; i++)
			if (strcmp(want[i].dim, dims[k].dim) == 0)
				seen--;
		assert_int_equal(seen, 0);
	}
	assert_non_null(c = store_query(reader, STORE_Q_INDICATOR_TOTALS,
	    &args));
	for (seen = 0; store_next_indicator(c, &ir) == 1; seen++) {
		t = t_sum_of(ind, &nind, "indicator", ir.code);
		assert_int_equal(ir.total, t->sessions);
		assert_int_equal(ir.has_female, t->has_female);
		if (ir.has_female)
			assert_int_equal(ir.female, t->female);
	}
	assert_int_equal(seen, nind);
	store_cursor_close(c);
	assert_non_null(c = store_query(reader, STORE_Q_STATES, &args));
	for (seen = 0; store_next_sum(c, &sum) == 1; seen++) {
		assert_non_null(sum.key);
		st = strcmp(sum.key, STORE_STATE_ACCEPTED) == 0 ? 2 :
		    strcmp(sum.key, STORE_STATE_RETURNED) == 0 ? 1 : 0;
		assert_int_equal(sum.reports, states[st]);
	}
	assert_int_equal(seen, (states[0] > 0) + (states[1] > 0) +
	    (states[2] > 0));
	store_cursor_close(c);
}

static void
assert_sums_follow_detail(const char *path, const char *period)
{
	struct store	*reader;
	const char	*errstr = NULL;
	long		 problems;
	struct said	 said;

	if ((reader = store_open_reader(path, &errstr)) == NULL)
		fail_msg("reader: %s", errstr);
	assert_sums_follow_detail_of(reader, period, 0);
	assert_sums_follow_detail_of(reader, period, 1);
	store_close(reader);
	memset(&said, 0, sizeof(said));
	problems = store_verify(path, collect, &said, &errstr);
	if (problems != 0)
		fail_msg("verify-audit: %ld problems: %s", problems,
		    said.n > 0 ? said.lines[0] : errstr);
}

/* The receipt as documented in store.c, computed independently. */
static void
expected_receipt(const struct submission *sub, uint32_t revision,
    char out[STORE_RECEIPT_LEN + 1])
{
	char		 pre[512], hash[65];
	uint8_t		 md[32];
	unsigned int	 mdlen = sizeof(md);
	int		 n;

	report_hex(sub->hash, sizeof(sub->hash), hash);
	n = snprintf(pre, sizeof(pre), "gp-receipt-v1%c%s%c%s%c%s%c%" PRIu32
	    "%c%s%c%" PRId64, 0, sub->r->id, 0, sub->r->unit, 0,
	    sub->r->period, 0, revision, 0, hash, 0, sub->meta.received_at);
	assert_true(n > 0 && (size_t)n < sizeof(pre));
	assert_int_equal(EVP_Digest(pre, (size_t)n, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	report_hex(md, STORE_RECEIPT_LEN / 2, out);
}

static void
test_open_sets_up_database(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*db;

	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	/* WAL is a property of the file: every connection sees it. */
	assert_text(db, "PRAGMA journal_mode", "wal");
	assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name IN ('reports', 'activities', "
	    "'indicators', 'narratives', 'warnings', 'audit', 'locks', "
	    "'report_totals')"), 8);
	sqlite3_close(db);

	/* synchronous, foreign_keys and the timeout are per connection. */
	assert_non_null(f->conn);
	assert_int_equal(db_int(f->conn, "PRAGMA synchronous"), 2);
	assert_int_equal(db_int(f->conn, "PRAGMA foreign_keys"), 1);
	assert_int_equal(db_int(f->conn, "PRAGMA busy_timeout"), 5000);
	/* The writer's cache: 64 MiB (negative: in KiB). */
	assert_int_equal(db_int(f->conn, "PRAGMA cache_size"), -65536);
}

static void
test_put_stores_every_row(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;
	char			 want[STORE_RECEIPT_LEN + 1];
	sqlite3			*db;

	submission_new(&sub, T_ID1, "lc-tamduong", T_H1);
	sub.meta.today = sub.meta.due + 3;
	put_ok(f->store, &sub, 1, &out);
	expected_receipt(&sub, 1, want);
	assert_string_equal(out.receipt, want);
	assert_int_equal(out.received_at, T_AT);
	assert_int_equal(out.late, 1);
	assert_int_equal(out.days_late, 3);
	assert_int_equal(out.due, sub.meta.due);
	assert_int_equal(out.extended, 0);
	assert_string_equal(store_error(f->store), "");

	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT id FROM reports"), 1);
	assert_text(db, "SELECT submission_id FROM reports", T_ID1);
	assert_text(db, "SELECT unit FROM reports", "lc-tamduong");
	assert_text(db, "SELECT period FROM reports", T_H1);
	assert_int_equal(db_int(db, "SELECT revision FROM reports"), 1);
	assert_text(db, "SELECT receipt FROM reports", want);
	assert_int_equal(db_int(db, "SELECT received_at FROM reports"), T_AT);
	assert_int_equal(db_int(db, "SELECT late FROM reports"), 1);
	assert_int_equal(db_int(db, "SELECT days_late FROM reports"), 3);
	assert_text(db, "SELECT due FROM reports", "2022-06-10");
	assert_int_equal(db_int(db, "SELECT extended FROM reports"), 0);
	/* The lateness warning is kept last, in the validator's words. */
	assert_text(db, "SELECT message FROM warnings ORDER BY idx DESC "
	    "LIMIT 1", "late: due 2022-06-10, submitted 2022-06-13 (3 days "
	    "late)");
	assert_text(db, "SELECT cert_cn FROM reports", "lc-tamduong");
	assert_text(db, "SELECT cert_fingerprint FROM reports", T_FPR);
	assert_blob(db, "SELECT content_hash FROM reports", sub.hash, 32);
	assert_text(db, "SELECT reporter_name FROM reports",
	    "Nguyễn Thị Hường");
	assert_text(db, "SELECT reporter_position FROM reports",
	    "Phó Chủ tịch LĐLĐ huyện");
	assert_text(db, "SELECT reporter_phone FROM reports", NULL);
	assert_blob(db, "SELECT raw FROM reports", sub.raw, sub.meta.rawlen);

	assert_int_equal(db_int(db, "SELECT count(*) FROM activities "
	    "WHERE report_id = 1"), T_ACTIVITIES);
	assert_text(db, "SELECT area FROM activities WHERE idx = 0",
	    "policy_dissemination");
	assert_text(db, "SELECT kind FROM activities WHERE idx = 0",
	    "conference");
	assert_text(db, "SELECT occasion FROM activities WHERE idx = 0",
	    "womens_day");
	assert_text(db, "SELECT status FROM activities WHERE idx = 0",
	    "done");
	assert_text(db, "SELECT date FROM activities WHERE idx = 0",
	    "2022-03-08");
	assert_text(db, "SELECT end_date FROM activities WHERE idx = 0",
	    NULL);
	assert_text(db, "SELECT title FROM activities WHERE idx = 0",
	    T_TITLE);
	assert_text(db, "SELECT location FROM activities WHERE idx = 0",
	    T_LOCATION);
	assert_int_equal(db_int(db, "SELECT sessions FROM activities "
	    "WHERE idx = 0"), 1);
	assert_int_equal(db_int(db, "SELECT participants FROM activities "
	    "WHERE idx = 0"), 150);
	assert_int_equal(db_int(db, "SELECT female FROM activities "
	    "WHERE idx = 0"), 98);
	assert_text(db, "SELECT notes FROM activities WHERE idx = 0", NULL);
	assert_text(db, "SELECT status FROM activities WHERE idx = 1",
	    "planned");
	assert_text(db, "SELECT end_date FROM activities WHERE idx = 1",
	    "2022-06-28");
	assert_int_equal(db_int(db, "SELECT sessions FROM activities "
	    "WHERE idx = 1"), 2);
	assert_text(db, "SELECT notes FROM activities WHERE idx = 1",
	    T_NOTES_NFD);

	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators"),
	    T_INDICATORS);
	assert_int_equal(db_int(db, "SELECT total FROM indicators "
	    "WHERE report_id = 1 AND code = 'members'"), 4210);
	assert_int_equal(db_int(db, "SELECT female FROM indicators "
	    "WHERE report_id = 1 AND code = 'members'"), 2377);
	assert_int_equal(db_int(db, "SELECT total FROM indicators "
	    "WHERE code = 'gbv_cases_detected'"), 3);
	/* No women's figure given: none stored, not a zero. */
	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators "
	    "WHERE code = 'gbv_cases_detected' AND female IS NULL"), 1);

	/* The activities' totals, kept with the report. */
	assert_int_equal(db_int(db, "SELECT activities FROM report_totals "
	    "WHERE report_id = 1"), T_ACTIVITIES);
	assert_int_equal(db_int(db, "SELECT sessions FROM report_totals "
	    "WHERE report_id = 1"), 1 + 2);
	assert_int_equal(db_int(db, "SELECT participants FROM report_totals "
	    "WHERE report_id = 1"), 150 + 60);
	assert_int_equal(db_int(db, "SELECT female FROM report_totals "
	    "WHERE report_id = 1"), 98 + 41);

	assert_int_equal(db_int(db, "SELECT count(*) FROM narratives"),
	    T_TEXTS);
	assert_text(db, "SELECT text FROM narratives WHERE report_id = 1 "
	    "AND section = 'narrative' AND field = 'results'", T_RESULTS);
	assert_text(db, "SELECT text FROM narratives "
	    "WHERE section = 'narrative' AND field = 'next_tasks'",
	    "Hưởng ứng Tháng hành động vì bình đẳng giới.");
	assert_text(db, "SELECT text FROM narratives "
	    "WHERE section = 'law_review' AND field = 'proposals'",
	    T_LAW_PROPOSALS);
	assert_int_equal(db_int(db, "SELECT count(*) FROM narratives "
	    "WHERE field = 'advantages'"), 0);

	/* The validator's, then the lateness judged by the store. */
	assert_int_equal(db_int(db, "SELECT count(*) FROM warnings"),
	    T_WARNINGS + 1);
	assert_int_equal(db_int(db, "SELECT min(idx) FROM warnings "
	    "WHERE report_id = 1"), 0);
	assert_text(db, "SELECT field FROM warnings WHERE idx = 0",
	    "activities[1].date");
	assert_text(db, "SELECT message FROM warnings WHERE idx = 0",
	    "ngày 2022-06-27 cách xa ngày 28/6");

	assert_int_equal(db_int(db, "SELECT count(*) FROM audit"), 1);
	assert_int_equal(db_int(db, "SELECT at FROM audit"), T_AT);
	assert_text(db, "SELECT cn FROM audit", "lc-tamduong");
	assert_text(db, "SELECT fingerprint FROM audit", T_FPR);
	assert_text(db, "SELECT action FROM audit", "submit");
	assert_text(db, "SELECT unit FROM audit", "lc-tamduong");
	assert_text(db, "SELECT period FROM audit", T_H1);
	assert_text(db, "SELECT result FROM audit", "accepted");
	assert_text(db, "SELECT detail FROM audit", "revision 1");
	sqlite3_close(db);
	submission_free(&sub);
}

static void
test_duplicate_returns_first_receipt(void **state)
{
	struct fixture		*f = *state;
	struct submission	 first, again;
	struct store_receipt	 out1, out2;

	submission_new(&first, T_ID1, "lc-tp", T_H1);
	put_ok(f->store, &first, 1, &out1);

	/* The client retries later, with equal content, after the due date. */
	submission_new(&again, T_ID1, "lc-tp", T_H1);
	again.meta.received_at = T_AT + 3600;
	again.meta.today = again.meta.due + 1;
	assert_int_equal(put_one(f->store, again.r, &again.meta,
	    &out2), STORE_DUPLICATE);
	assert_string_equal(out2.receipt, out1.receipt);
	assert_int_equal(out2.revision, 1);
	assert_int_equal(out2.received_at, T_AT);
	assert_int_equal(out2.late, 0);
	assert_true(out2.duplicate);

	assert_rows(f->path, 1, T_ACTIVITIES, T_INDICATORS, T_TEXTS,
	    T_WARNINGS, 1);
	submission_free(&first);
	submission_free(&again);
}

/* A conflict stores nothing of the report, and is audited like every
 * other refusal, with the content that was refused. */
static void
test_conflict_audited(void **state)
{
	struct fixture		*f = *state;
	struct submission	 first, changed;
	struct store_receipt	 out;
	sqlite3			*db;

	submission_new(&first, T_ID1, "lc-tp", T_H1);
	put_ok(f->store, &first, 1, &out);

	submission_new(&changed, T_ID1, "lc-tp", T_H1);
	changed.r->activities[0].female = 99;
	submission_pack(&changed);
	assert_int_equal(put_one(f->store, changed.r,
	    &changed.meta, &out), STORE_CONFLICT);
	assert_false(out.duplicate);
	assert_string_equal(out.receipt, "");

	assert_rows(f->path, 1, T_ACTIVITIES, T_INDICATORS, T_TEXTS,
	    T_WARNINGS, 2);
	db = db_open(f->path);
	assert_blob(db, "SELECT content_hash FROM reports", first.hash, 32);
	assert_text(db, "SELECT result || ' ' || unit || ' ' || period || ' ' "
	    "|| detail FROM audit WHERE id = 2", "refused lc-tp 2022-H1 "
	    "conflict: submission id already stored with other content");
	assert_blob(db, "SELECT content_hash FROM audit WHERE id = 2",
	    changed.hash, 32);
	assert_int_equal(db_int(db, "SELECT female FROM activities "
	    "WHERE idx = 0"), 98);
	sqlite3_close(db);
	submission_free(&first);
	submission_free(&changed);
}

static void
test_new_id_is_next_revision(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub1, sub2;
	struct store_receipt	 out1, out2;
	char			 want[STORE_RECEIPT_LEN + 1];
	sqlite3			*db;

	submission_new(&sub1, T_ID1, "lc-sinho", T_H1);
	put_ok(f->store, &sub1, 1, &out1);
	submission_new(&sub2, T_ID2, "lc-sinho", T_H1);
	sub2.r->activities[0].participants = 160;
	submission_pack(&sub2);
	put_ok(f->store, &sub2, 2, &out2);
	expected_receipt(&sub2, 2, want);
	assert_string_equal(out2.receipt, want);
	assert_string_not_equal(out1.receipt, out2.receipt);

	/* Revision 1 is kept whole beside revision 2. */
	assert_rows(f->path, 2, 2 * T_ACTIVITIES, 2 * T_INDICATORS,
	    2 * T_TEXTS, 2 * T_WARNINGS, 2);
	db = db_open(f->path);
	assert_text(db, "SELECT submission_id FROM reports "
	    "WHERE revision = 1", T_ID1);
	assert_text(db, "SELECT submission_id FROM reports "
	    "WHERE revision = 2", T_ID2);
	assert_int_equal(db_int(db, "SELECT a.participants FROM activities a "
	    "JOIN reports r ON r.id = a.report_id "
	    "WHERE r.revision = 1 AND a.idx = 0"), 150);
	assert_int_equal(db_int(db, "SELECT a.participants FROM activities a "
	    "JOIN reports r ON r.id = a.report_id "
	    "WHERE r.revision = 2 AND a.idx = 0"), 160);
	assert_text(db, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1",
	    "revision 2");
	sqlite3_close(db);
	submission_free(&sub1);
	submission_free(&sub2);
}

static void
test_revisions_are_per_unit_and_period(void **state)
{
	static const struct {
		const char	*id;
		const char	*unit;
		const char	*period;
		uint32_t	 revision;
	} cases[] = {
		{ T_ID1, "lc-tp", T_H1, 1 },
		{ T_ID2, "lc-tp", T_YEAR, 1 },
		{ T_ID3, "lc-muongte", T_H1, 1 },
		{ "3ebc6f41-8a5d-4f7a-8d86-ac3b4a5f6e7d", "lc-tp", T_H1, 2 },
		{ "4fcd7a52-9b6e-4a8b-9e97-bd4c5b6a7f8e", "lc-muongte", T_H1,
		    2 },
		{ "5ade8b63-ac7f-4b9c-8fa8-ce5d6c7b8a9f", "lc-tp", T_YEAR, 2 },
	};
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;
	size_t			 i;
	sqlite3			*db;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		submission_new(&sub, cases[i].id, cases[i].unit,
		    cases[i].period);
		put_ok(f->store, &sub, cases[i].revision, &out);
		submission_free(&sub);
	}
	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT revision FROM reports "
	    "WHERE submission_id = '" T_ID2 "'"), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports "
	    "WHERE unit = 'lc-muongte' AND period = '" T_H1 "'"), 2);
	sqlite3_close(db);
}

/* A submission that fails at any insert leaves no row in any table, and
 * the store takes the same submission afterwards. */
static void
check_rollback(struct fixture *f, const char *table, const char *stmt)
{
	struct submission	 sub;
	struct store_receipt	 out;
	char			 sql[256], want[64];
	sqlite3			*db;

	db = db_open(f->path);
	snprintf(sql, sizeof(sql), "CREATE TRIGGER refuse BEFORE INSERT ON %s "
	    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END", table);
	db_exec(db, sql);

	submission_new(&sub, T_ID1, "lc-tp", T_H1);
	assert_int_equal(put_one(f->store, sub.r, &sub.meta, &out),
	    STORE_FAIL);
	snprintf(want, sizeof(want), "%s: refused by test", stmt);
	assert_string_equal(store_error(f->store), want);
	assert_string_equal(out.receipt, "");
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);

	db_exec(db, "DROP TRIGGER refuse");
	sqlite3_close(db);
	put_ok(f->store, &sub, 1, &out);
	assert_rows(f->path, 1, T_ACTIVITIES, T_INDICATORS, T_TEXTS,
	    T_WARNINGS, 1);
	submission_free(&sub);
}

static void
test_rollback_on_indicator_failure(void **state)
{
	check_rollback(*state, "indicators", "insert-indicator");
}

static void
test_rollback_on_audit_failure(void **state)
{
	/* The last insert of the transaction. */
	check_rollback(*state, "audit", "insert-audit");
}

static void
test_full_database_is_store_full(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;
	char			*big;

	/* No room for one more page: what a full disk looks like. */
	db_exec(f->conn, "PRAGMA max_page_count = 1");
	submission_new(&sub, T_ID1, "lc-tp", T_H1);
	if ((big = malloc(REPORT_MAX_NARRATIVE + 1)) == NULL)
		fail_msg("out of memory");
	memset(big, 'a', REPORT_MAX_NARRATIVE);
	big[REPORT_MAX_NARRATIVE] = '\0';
	add_text(&sub.r->narrative, &sub.r->nnarrative, "obstacles", "");
	free(find_text(sub.r->narrative, sub.r->nnarrative,
	    "obstacles")->text);
	find_text(sub.r->narrative, sub.r->nnarrative, "obstacles")->text =
	    big;
	submission_pack(&sub);

	assert_int_equal(put_one(f->store, sub.r, &sub.meta, &out),
	    STORE_FULL);
	assert_non_null(strstr(store_error(f->store),
	    "database or disk is full"));
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);

	db_exec(f->conn, "PRAGMA max_page_count = 1000000");
	put_ok(f->store, &sub, 1, &out);
	submission_free(&sub);
}

static void
test_count_out_of_range_fails(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;

	submission_new(&sub, T_ID1, "lc-tp", T_H1);
	sub.r->activities[1].participants = UINT64_MAX;
	submission_pack(&sub);
	assert_int_equal(put_one(f->store, sub.r, &sub.meta, &out),
	    STORE_FAIL);
	assert_string_equal(store_error(f->store),
	    "insert-activity: count out of range");
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);
	submission_free(&sub);
}

static void
test_report_without_id_fails(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;

	submission_new(&sub, T_ID1, "lc-tp", T_H1);
	free(sub.r->id);
	sub.r->id = NULL;
	assert_int_equal(put_one(f->store, sub.r, &sub.meta, &out),
	    STORE_FAIL);
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);
	submission_free(&sub);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub1, sub2;
	struct store_receipt	 out1, out2;
	sqlite3			*db;

	submission_new(&sub1, T_ID1, "lc-tp", T_H1);
	put_ok(f->store, &sub1, 1, &out1);
	store_close(f->store);
	f->store = open_store(f);
	assert_non_null(f->store);

	assert_int_equal(put_one(f->store, sub1.r, &sub1.meta,
	    &out2), STORE_DUPLICATE);
	assert_string_equal(out2.receipt, out1.receipt);
	submission_new(&sub2, T_ID2, "lc-tp", T_H1);
	put_ok(f->store, &sub2, 2, &out2);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_text(db, "SELECT title FROM activities a JOIN reports r "
	    "ON r.id = a.report_id WHERE r.revision = 1 AND a.idx = 0",
	    T_TITLE);
	sqlite3_close(db);
	assert_rows(f->path, 2, 2 * T_ACTIVITIES, 2 * T_INDICATORS,
	    2 * T_TEXTS, 2 * T_WARNINGS, 2);
	submission_free(&sub1);
	submission_free(&sub2);
}

static void
test_newer_schema_is_refused(void **state)
{
	struct fixture	*f = *state;
	const char	*errstr = NULL;
	char		 want[128];
	sqlite3		*db;

	store_close(f->store);
	f->store = NULL;
	remove_db(f->path);
	if (sqlite3_open(f->path, &db) != SQLITE_OK)
		fail_msg("open %s", f->path);
	db_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99");
	sqlite3_close(db);

	assert_null(store_open(f->path, &errstr));
	snprintf(want, sizeof(want), "database schema version 99 is newer "
	    "than this gpd knows (%d)", STORE_SCHEMA_VERSION);
	assert_string_equal(errstr, want);

	/* Refused before anything was written to it. */
	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"), 99);
	assert_text(db, "PRAGMA journal_mode", "delete");
	assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
	sqlite3_close(db);
}

static void
test_open_errors(void **state)
{
	struct fixture	*f = *state;
	const char	*errstr = NULL;
	char		 path[320];

	snprintf(path, sizeof(path), "%s/missing/gp.db", f->dir);
	assert_null(store_open(path, &errstr));
	assert_string_equal(errstr, "open: unable to open database file");

	/* WAL needs a file; SQLite would quietly keep another mode. */
	assert_null(store_open(":memory:", &errstr));
	assert_string_equal(errstr,
	    "journal_mode: database stays in memory mode, not wal");
}

/* One audit entry in a transaction of its own, as gpd's writer makes
 * one in a batch. */
static int
audit_row(struct store *s, int64_t at, const char *cn, const char *fpr,
    const char *action, const char *unit, const char *period,
    const char *result, const char *detail)
{
	if (store_begin(s) == -1 || store_put_audit(s, at, cn, fpr, action,
	    unit, period, result, detail) == -1)
		return -1;
	return store_commit(s) == STORE_OK ? 0 : -1;
}

static void
test_audit_rows(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*db;

	assert_int_equal(audit_row(f->store, T_AT, "lc-phongtho", T_FPR,
	    "submit", "lc-phongtho", T_H1, "refused",
	    "activities[0].female: lớn hơn số người tham dự"), 0);
	assert_int_equal(audit_row(f->store, T_AT + 1, NULL, NULL,
	    "connect", NULL, NULL, "refused", NULL), 0);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit"), 2);
	assert_int_equal(db_int(db, "SELECT at FROM audit WHERE id = 1"),
	    T_AT);
	assert_text(db, "SELECT cn FROM audit WHERE id = 1", "lc-phongtho");
	assert_text(db, "SELECT fingerprint FROM audit WHERE id = 1", T_FPR);
	assert_text(db, "SELECT action FROM audit WHERE id = 1", "submit");
	assert_text(db, "SELECT unit FROM audit WHERE id = 1", "lc-phongtho");
	assert_text(db, "SELECT period FROM audit WHERE id = 1", T_H1);
	assert_text(db, "SELECT result FROM audit WHERE id = 1", "refused");
	assert_text(db, "SELECT detail FROM audit WHERE id = 1",
	    "activities[0].female: lớn hơn số người tham dự");
	assert_int_equal(db_int(db, "SELECT at FROM audit WHERE id = 2"),
	    T_AT + 1);
	assert_text(db, "SELECT cn FROM audit WHERE id = 2", NULL);
	assert_text(db, "SELECT action FROM audit WHERE id = 2", "connect");
	assert_text(db, "SELECT detail FROM audit WHERE id = 2", NULL);
	sqlite3_close(db);
	assert_rows(f->path, 0, 0, 0, 0, 0, 2);
}


/* Group commit: puts share one transaction; a refused one is undone
 * alone and the others commit. */
static void
test_batch_commits_together(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b, c;
	struct store_receipt	 ra, rb, rc;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-sinho", T_H1);
	submission_new(&c, T_ID1, "lc-tamduong", T_H1);
	c.r->activities[0].female = 99;		/* same id, other content */
	submission_pack(&c);

	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put(f->store, a.r, &a.meta, &ra), STORE_OK);
	assert_int_equal(store_put(f->store, b.r, &b.meta, &rb), STORE_OK);
	/* Sees a's uncommitted row: a conflict, only its refusal kept. */
	assert_int_equal(store_put(f->store, c.r, &c.meta, &rc),
	    STORE_CONFLICT);
	/* Nothing is visible to another connection before the commit. */
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_rows(f->path, 2, 4, 4, 10, 2, 3);
	submission_free(&a);
	submission_free(&b);
	submission_free(&c);
}

static void
test_locked_period_refuses(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b;
	struct store_receipt	 out;
	sqlite3			*db;
	int			 changed;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-tamduong", T_H1);
	put_ok(f->store, &a, 1, &out);

	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_lock(f->store, T_H1, 1, T_AT, "admin-test",
	    T_FPR, &changed), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_commit(f->store), STORE_OK);

	assert_int_equal(put_one(f->store, b.r, &b.meta, &out),
	    STORE_LOCKED);
	/* A duplicate of what was stored before the lock is still one. */
	assert_int_equal(put_one(f->store, a.r, &a.meta, &out),
	    STORE_DUPLICATE);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports"), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'submit' AND result = 'refused' AND "
	    "detail = 'period locked' AND period = '" T_H1 "'"), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'lock' AND cn = 'admin-test' AND result = 'done'"), 1);
	sqlite3_close(db);

	/* Locking again changes nothing; unlocking lets revisions in. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_lock(f->store, T_H1, 1, T_AT, "admin-test",
	    T_FPR, &changed), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(store_put_lock(f->store, T_H1, 0, T_AT, "admin-test",
	    T_FPR, &changed), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_commit(f->store), STORE_OK);
	put_ok(f->store, &b, 2, &out);
	submission_free(&a);
	submission_free(&b);
}


/*
 * Lateness is judged when a revision is stored, against the unit's
 * extension when it has one, and kept: moving or clearing the extension
 * later changes nothing already stored.
 */
static void
test_extension_and_kept_lateness(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a1, a2, a3, b;
	struct store_receipt	 out;
	struct store_cursor	*c;
	struct store_args	 args;
	struct store_extension_row e;
	struct store_missing_row miss;
	char			 until[DATE_LEN + 1], reason[64], prev[DATE_LEN + 1];
	int			 changed;
	sqlite3			*db;

	/* Three days late, no extension yet. */
	submission_new(&a1, T_ID1, "lc-tamduong", T_H1);
	a1.meta.today = a1.meta.due + 3;
	put_ok(f->store, &a1, 1, &out);
	assert_int_equal(out.days_late, 3);
	assert_int_equal(out.extended, 0);

	/* An extension to ten days after the form's due date. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_extension(f->store, "lc-tamduong", T_H1,
	    "2022-06-20", "lũ quét", T_AT, "admin-test", T_FPR, prev,
	    &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_true(changed);
	assert_string_equal(prev, "");
	assert_int_equal(store_extension(f->store, "lc-tamduong", T_H1, until,
	    reason, sizeof(reason)), 1);
	assert_string_equal(until, "2022-06-20");
	assert_string_equal(reason, "lũ quét");
	assert_int_equal(store_extension(f->store, "lc-sinho", T_H1, until,
	    NULL, 0), 0);

	/* A revision on the 13th is on time against it; one on the 22nd
	 * late by two days of the extension. Another unit is not moved. */
	submission_new(&a2, T_ID2, "lc-tamduong", T_H1);
	a2.r->activities[0].participants = 151;
	submission_pack(&a2);
	a2.meta.today = a2.meta.due + 3;
	put_ok(f->store, &a2, 2, &out);
	assert_int_equal(out.late, 0);
	assert_int_equal(out.days_late, 0);
	assert_int_equal(out.extended, 1);
	assert_int_equal(out.due, date_from_ymd(2022, 6, 20));
	submission_new(&a3, T_ID3, "lc-tamduong", T_H1);
	a3.r->activities[0].participants = 152;
	submission_pack(&a3);
	a3.meta.today = date_from_ymd(2022, 6, 22);
	put_ok(f->store, &a3, 3, &out);
	assert_int_equal(out.days_late, 2);
	submission_new(&b, "3ebc6f41-8a5d-4f7a-8d86-ac3b4f5e6d7e", "lc-sinho",
	    T_H1);
	b.meta.today = b.meta.due + 3;
	put_ok(f->store, &b, 1, &out);
	assert_int_equal(out.days_late, 3);
	assert_int_equal(out.extended, 0);

	/* Cleared: nothing stored changes, and the audit says who did it. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_extension(f->store, "lc-tamduong", T_H1,
	    NULL, NULL, T_AT + 60, "admin-test", T_FPR, prev, &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_true(changed);
	assert_string_equal(prev, "2022-06-20");
	db = db_open(f->path);
	assert_text(db, "SELECT group_concat(days_late || '/' || extended || "
	    "'/' || due, ' ') FROM (SELECT * FROM reports WHERE unit = "
	    "'lc-tamduong' ORDER BY revision)",
	    "3/0/2022-06-10 0/1/2022-06-20 2/1/2022-06-20");
	assert_text(db, "SELECT group_concat(action || ' ' || result || ' ' || "
	    "detail, '|') FROM (SELECT * FROM audit WHERE action = 'extend' "
	    "ORDER BY id)", "extend done until 2022-06-20: lũ quét|extend "
	    "done cleared extension until 2022-06-20");
	assert_text(db, "SELECT message FROM warnings w JOIN reports r ON "
	    "r.id = w.report_id WHERE r.revision = 3 AND w.field = 'period'",
	    "late: due 2022-06-20 (extended), submitted 2022-06-22 (2 days "
	    "late)");
	sqlite3_close(db);

	/* Clearing what is not there changes nothing, on record too. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_extension(f->store, "lc-tamduong", T_H1,
	    NULL, NULL, T_AT + 90, "admin-test", T_FPR, prev, &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_false(changed);

	/* missing: the first revision's lateness, whatever came after. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_extension(f->store, "lc-sinho", T_H1,
	    "2022-06-30", NULL, T_AT + 120, "admin-test", T_FPR, prev,
	    &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	memset(&args, 0, sizeof(args));
	args.period = T_H1;
	assert_non_null(c = store_query(f->store, STORE_Q_MISSING, &args));
	assert_int_equal(store_next_missing(c, &miss), 1);
	assert_string_equal(miss.unit, "lc-sinho");
	assert_int_equal(miss.days_late, 3);
	assert_int_equal(store_next_missing(c, &miss), 1);
	assert_string_equal(miss.unit, "lc-tamduong");
	assert_int_equal(miss.days_late, 3);
	assert_int_equal(miss.extended, 0);
	assert_int_equal(miss.revision, 3);
	store_cursor_close(c);
	assert_non_null(c = store_query(f->store, STORE_Q_EXTENSIONS, &args));
	assert_int_equal(store_next_extension(c, &e), 1);
	assert_string_equal(e.unit, "lc-sinho");
	assert_string_equal(e.until, "2022-06-30");
	assert_null(e.reason);
	assert_string_equal(e.cn, "admin-test");
	assert_int_equal(store_next_extension(c, &e), 0);
	store_cursor_close(c);

	submission_free(&a1);
	submission_free(&a2);
	submission_free(&a3);
	submission_free(&b);
}

/* A duplicate of an older revision is told which revision is the
 * latest; the report sent again is stored nowhere. */
static void
test_duplicate_names_latest(void **state)
{
	struct fixture		*f = *state;
	struct submission	 s1, s2, again;
	struct store_receipt	 out;

	submission_new(&s1, T_ID1, "lc-sinho", T_H1);
	submission_new(&s2, T_ID2, "lc-sinho", T_H1);
	s2.r->activities[0].participants = 151;
	submission_pack(&s2);
	put_ok(f->store, &s1, 1, &out);
	assert_int_equal(out.latest_revision, 1);
	put_ok(f->store, &s2, 2, &out);
	submission_new(&again, T_ID1, "lc-sinho", T_H1);
	assert_int_equal(put_one(f->store, again.r, &again.meta, &out),
	    STORE_DUPLICATE);
	assert_int_equal(out.revision, 1);
	assert_int_equal(out.latest_revision, 2);
	assert_string_equal(out.latest_submission_id, T_ID2);
	assert_rows(f->path, 2, 2 * T_ACTIVITIES, 2 * T_INDICATORS,
	    2 * T_TEXTS, 2 * T_WARNINGS, 2);
	submission_free(&s1);
	submission_free(&s2);
	submission_free(&again);
}

/* Queries on a reader connection see only the latest revisions. */
static void
test_queries_count_latest_revisions(void **state)
{
	struct fixture			*f = *state;
	struct submission		 a1, a2, b;
	struct store_receipt		 out;
	struct store			*reader;
	struct store_cursor		*c;
	struct store_args		 args;
	struct store_report_row		 row;
	struct store_sum_row		 sum;
	struct store_activity_row	 act;
	struct store_missing_row	 miss;
	struct store_indicator_row	 ind;
	const char			*errstr = NULL;
	uint64_t			 total;
	int				 n;

	submission_new(&a1, T_ID1, "lc-tamduong", T_H1);
	submission_new(&a2, T_ID2, "lc-tamduong", T_H1);
	a2.r->activities[0].participants = 200;
	a2.meta.received_at = T_AT + 86400 * 20;
	/* Late, the correction: the report's lateness is the first's. */
	a2.meta.today = date_from_ymd(2022, 6, 20);
	submission_pack(&a2);
	submission_new(&b, T_ID3, "lc-sinho", T_H1);
	put_ok(f->store, &a1, 1, &out);
	put_ok(f->store, &a2, 2, &out);
	put_ok(f->store, &b, 1, &out);

	reader = store_open_reader(f->path, &errstr);
	if (reader == NULL)
		fail_msg("reader: %s", errstr);
	memset(&args, 0, sizeof(args));
	args.period = T_H1;

	/* list: one row per unit, the latest revision, sums of it. */
	assert_non_null(c = store_query(reader, STORE_Q_LIST, &args));
	assert_int_equal(store_next_report(c, &row), 1);
	assert_string_equal(row.unit, "lc-sinho");
	assert_int_equal(row.revision, 1);
	assert_int_equal(store_next_report(c, &row), 1);
	assert_string_equal(row.unit, "lc-tamduong");
	assert_int_equal(row.revision, 2);
	assert_int_equal(row.activities, 2);
	assert_int_equal(row.sessions, 3);
	assert_int_equal(row.participants, 260);
	assert_int_equal(row.female, 139);
	/* Its planned activity apart: never part of what was done. */
	assert_int_equal(row.planned_activities, 1);
	assert_int_equal(row.planned_sessions, 2);
	assert_int_equal(row.planned_participants, 60);
	assert_int_equal(row.planned_female, 41);
	assert_string_equal(row.due, "2022-06-10");
	assert_int_equal(row.days_late, 10);
	assert_int_equal(store_next_report(c, &row), 0);
	store_cursor_close(c);

	/* history: both revisions, oldest first. */
	args.unit = "lc-tamduong";
	assert_non_null(c = store_query(reader, STORE_Q_HISTORY, &args));
	for (n = 0; store_next_report(c, &row) == 1; n++)
		assert_int_equal(row.revision, n + 1);
	assert_int_equal(n, 2);
	store_cursor_close(c);

	/* show: revision 1 on request, else the latest. */
	args.revision = 1;
	assert_non_null(c = store_query(reader, STORE_Q_SHOW, &args));
	assert_int_equal(store_next_report(c, &row), 1);
	assert_int_equal(row.participants, 210);
	store_cursor_close(c);
	args.revision = 0;
	assert_non_null(c = store_query(reader, STORE_Q_SHOW, &args));
	assert_int_equal(store_next_report(c, &row), 1);
	assert_int_equal(row.revision, 2);
	store_cursor_close(c);
	args.unit = NULL;

	/* summary: totals of latest revisions, never double counted. */
	assert_non_null(c = store_query(reader, STORE_Q_SUM_TOTAL, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_int_equal(sum.reports, 2);
	assert_int_equal(sum.activities, 4);
	assert_int_equal(sum.participants, 260 + 210);
	assert_int_equal(sum.female, 139 * 2);
	assert_int_equal(sum.planned_activities, 2);
	assert_int_equal(sum.planned_participants, 2 * 60);
	assert_int_equal(sum.planned_female, 2 * 41);
	store_cursor_close(c);
	/* By status: the planned row holds every planned figure, the done
	 * row none. */
	assert_non_null(c = store_query(reader, STORE_Q_SUM_STATUS, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "done");
	assert_int_equal(sum.participants, 200 + 150);
	assert_int_equal(sum.planned_activities, 0);
	assert_int_equal(sum.planned_participants, 0);
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "planned");
	assert_int_equal(sum.activities, 2);
	assert_int_equal(sum.planned_activities, 2);
	assert_int_equal(sum.planned_sessions, 4);
	assert_int_equal(sum.planned_participants, 120);
	assert_int_equal(store_next_sum(c, &sum), 0);
	store_cursor_close(c);
	assert_non_null(c = store_query(reader, STORE_Q_SUM_AREA, &args));
	/* By code; gpd puts them in the form's order. */
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "communication_training");
	assert_int_equal(sum.participants, 120);
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "policy_dissemination");
	assert_int_equal(sum.participants, 200 + 150);
	assert_int_equal(store_next_sum(c, &sum), 0);
	store_cursor_close(c);
	/* Indicator rows of the latest revisions, for the caller to add
	 * up by code: none of a superseded revision. */
	assert_non_null(c = store_query(reader, STORE_Q_INDICATOR_TOTALS,
	    &args));
	for (n = 0, total = 0; store_next_indicator(c, &ind) == 1; n++)
		if (strcmp(ind.code, "members") == 0)
			total += ind.total;
	assert_int_equal(n, T_INDICATORS);
	assert_int_equal(total, 2 * 4210);
	store_cursor_close(c);

	/* by unit: one row per unit, its latest revision's totals. */
	assert_non_null(c = store_query(reader, STORE_Q_SUM_UNIT, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "lc-sinho");
	assert_int_equal(sum.reports, 1);
	assert_int_equal(sum.activities, 2);
	assert_int_equal(sum.participants, 210);
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key, "lc-tamduong");
	assert_int_equal(sum.reports, 1);
	assert_int_equal(sum.sessions, 3);
	assert_int_equal(sum.participants, 260);
	assert_int_equal(sum.female, 139);
	assert_int_equal(sum.planned_participants, 60);
	assert_int_equal(store_next_sum(c, &sum), 0);
	store_cursor_close(c);

	/* A period nobody reported: no unit rows, a total of nothing. */
	args.period = "2023-H1";
	assert_non_null(c = store_query(reader, STORE_Q_SUM_UNIT, &args));
	assert_int_equal(store_next_sum(c, &sum), 0);
	store_cursor_close(c);
	assert_non_null(c = store_query(reader, STORE_Q_SUM_TOTAL, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_int_equal(sum.reports, 0);
	assert_int_equal(sum.activities, 0);
	assert_int_equal(sum.participants, 0);
	store_cursor_close(c);
	args.period = T_H1;

	/* export: activities of the latest revisions by unit and index. */
	assert_non_null(c = store_query(reader, STORE_Q_EXPORT, &args));
	for (n = 0; store_next_activity(c, &act) == 1; n++) {
		/* Each with its report's first revision's lateness. */
		assert_true(act.has_first);
		assert_int_equal(act.first_at, T_AT);
		assert_int_equal(act.first_days_late, 0);
		assert_false(act.first_extended);
		assert_string_equal(act.first_due, "2022-06-10");
		if (n == 2) {
			assert_string_equal(act.unit, "lc-tamduong");
			assert_int_equal(act.revision, 2);
			assert_int_equal(act.participants, 200);
			assert_string_equal(act.title, T_TITLE);
		}
	}
	assert_int_equal(n, 4);
	store_cursor_close(c);

	/* missing: timeliness from the first revision. */
	assert_non_null(c = store_query(reader, STORE_Q_MISSING, &args));
	assert_int_equal(store_next_missing(c, &miss), 1);
	assert_string_equal(miss.unit, "lc-sinho");
	assert_int_equal(store_next_missing(c, &miss), 1);
	assert_string_equal(miss.unit, "lc-tamduong");
	assert_int_equal(miss.first_at, T_AT);
	assert_int_equal(miss.days_late, 0);
	/* And the latest revision's number and time, apart. */
	assert_int_equal(miss.revision, 2);
	assert_int_equal(miss.latest_at, T_AT + 86400 * 20);
	assert_int_equal(store_next_missing(c, &miss), 0);
	store_cursor_close(c);

	/* A reader writes nothing. */
	assert_int_equal(store_begin(reader), -1);
	store_close(reader);
	submission_free(&a1);
	submission_free(&a2);
	submission_free(&b);
}

/* verify-audit checks the planned totals as it checks the others. */
static void
test_verify_planned_totals(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;
	struct said		 said;
	const char		*errstr = NULL;
	sqlite3			*db;

	submission_new(&sub, T_ID1, "lc-tamduong", T_H1);
	put_ok(f->store, &sub, 1, &out);
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	db = db_open(f->path);
	assert_int_equal(sqlite3_exec(db, "UPDATE report_totals SET "
	    "planned_participants = 0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	submission_free(&sub);
}


static int
said_has(const struct said *said, const char *needle)
{
	int	i;

	for (i = 0; i < said->n; i++)
		if (strstr(said->lines[i], needle) != NULL)
			return 1;
	return 0;
}

/* verify-audit: a clean store, then one edit of each kind. */
static void
test_verify_detects_edits(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b;
	struct store_receipt	 out;
	struct said		 said;
	const char		*errstr = NULL;
	sqlite3			*db;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-tamduong", T_H1);
	put_ok(f->store, &a, 1, &out);
	assert_int_equal(audit_row(f->store, T_AT, "lc-sinho", T_FPR,
	    "submit", "lc-tamduong", T_H1, "refused", "permission denied"), 0);
	put_ok(f->store, &b, 2, &out);

	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	assert_true(said_has(&said, "audit: 3 entries"));

	db = db_open(f->path);
	/* A figure of an activity. */
	db_exec(db, "UPDATE activities SET participants = participants + 1 "
	    "WHERE report_id = 1 AND idx = 0");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "report 1 (lc-tamduong " T_H1
	    " revision 1): activities[0] differs"));
	db_exec(db, "UPDATE activities SET participants = participants - 1 "
	    "WHERE report_id = 1 AND idx = 0");

	/* An audit row. */
	db_exec(db, "UPDATE audit SET detail = 'nothing happened' WHERE id = 2");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "audit entry 2 does not match its hash"));
	db_exec(db, "UPDATE audit SET detail = 'permission denied' "
	    "WHERE id = 2");

	/* The totals kept for a report. */
	db_exec(db, "UPDATE report_totals SET female = female + 5 "
	    "WHERE report_id = 1");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "report 1 (lc-tamduong " T_H1
	    " revision 1): its totals differ"));
	db_exec(db, "UPDATE report_totals SET female = female - 5 "
	    "WHERE report_id = 1");

	/* The aggregates of the period (issue 20): the first key that
	 * differs is named, with both sides. */
	db_exec(db, "UPDATE period_sums SET participants = participants + 7 "
	    "WHERE dim = 'area' AND code = 'policy_dissemination'");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "period_sums: 1 rows differ from what "
	    "the reports' rows add up to (edited); first " T_H1 " received "
	    "area policy_dissemination: kept 1/1/1/157/98/0/0/0/0, the reports "
	    "give 1/1/1/150/98/0/0/0/0"));
	db_exec(db, "UPDATE period_sums SET participants = participants - 7 "
	    "WHERE dim = 'area' AND code = 'policy_dissemination'");
	db_exec(db, "CREATE TEMP TABLE kept AS SELECT * FROM "
	    "period_indicators WHERE code = 'members';"
	    "DELETE FROM period_indicators WHERE code = 'members'");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "period_indicators: 1 rows differ"));
	assert_true(said_has(&said, "first " T_H1 " received members: kept "
	    "none"));
	db_exec(db, "INSERT INTO period_indicators SELECT * FROM kept");

	/* A whole revision deleted. */
	db_exec(db, "DELETE FROM report_totals WHERE report_id = 2;"
	    "DELETE FROM warnings WHERE report_id = 2;"
	    "DELETE FROM activities WHERE report_id = 2;"
	    "DELETE FROM indicators WHERE report_id = 2;"
	    "DELETE FROM narratives WHERE report_id = 2;"
	    "DELETE FROM reports WHERE id = 2");
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 1);
	assert_true(said_has(&said, "revision 2 of lc-tamduong " T_H1
	    " is missing"));

	/* An audit entry deleted from the middle of the chain. */
	db_exec(db, "DELETE FROM audit WHERE id = 2");
	memset(&said, 0, sizeof(said));
	assert_true(store_verify(f->path, collect, &said, &errstr) >= 2);
	assert_true(said_has(&said, "audit entries 2 to 2 are missing"));
	sqlite3_close(db);
	submission_free(&a);
	submission_free(&b);
}

/* The database gpd left before report forms (tests/data/legacy/gp.db,
 * schema 4, made by the gpd of then), in the fixture's place. */
#define T_LEGACY_DB	"tests/data/legacy/gp.db"
/* Its first revision: lc-tamduong 2022-H1, as received then. */
#define T_LEGACY_ID	"8c3c86ec-668e-8ca9-968a-ad6c164f2e08"
#define T_LEGACY_HASH	"f679b526c7fd620541b421a87fbeabac" \
			"87192cb09d4ba78d8f61854282536ed1"

static void
use_legacy_db(struct fixture *f, const char *sql)
{
	char	cmd[700];
	sqlite3	*db;

	store_close(f->store);
	f->store = NULL;
	remove_db(f->path);
	snprintf(cmd, sizeof(cmd), "cp " T_LEGACY_DB " '%s'", f->path);
	if (system(cmd) != 0)
		fail_msg("%s failed", cmd);
	if (sql != NULL) {
		db = db_open(f->path);
		db_exec(db, sql);
		sqlite3_close(db);
	}
}

/* Opens the store on it, which migrates it; the copy kept aside is
 * removed. */
static void
open_legacy(struct fixture *f)
{
	char	bak[400];

	assert_non_null(f->store = open_store(f));
	snprintf(bak, sizeof(bak), "%s.schema-4.bak", f->path);
	assert_int_equal(unlink(bak), 0);
}

/* The hex of a hash column of one row. */
static void
assert_hash_hex(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt	*st;
	char		 hex[2 * STORE_HASH_LEN + 1];

	st = db_row(db, sql);
	assert_int_equal(sqlite3_column_bytes(st, 0), STORE_HASH_LEN);
	report_hex(sqlite3_column_blob(st, 0), STORE_HASH_LEN, hex);
	sqlite3_finalize(st);
	assert_string_equal(hex, want);
}

/* Report id's stored bytes, decoded (the old way), in NFC. */
static struct report *
stored_report(sqlite3 *db, int64_t id, int *legacy)
{
	static struct report_errors	 errs;
	struct report			*r = NULL;
	sqlite3_stmt			*st;
	const char			*errstr = NULL;
	char				 sql[100];

	snprintf(sql, sizeof(sql), "SELECT raw FROM reports WHERE id = %"
	    PRId64, id);
	st = db_row(db, sql);
	if (report_unpack(sqlite3_column_blob(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0), &r, legacy, &errs,
	    &errstr) == -1)
		fail_msg("report %" PRId64 ": %s", id, errstr != NULL ? errstr :
		    errs.e[0].message);
	sqlite3_finalize(st);
	assert_int_equal(report_normalize(r), 0);
	return r;
}

/*
 * The migration to report forms on the database of then: the numbers
 * become the 2022 codes, every revision records the built-in form (kept)
 * and keeps its bytes and content hash, which its receipt signs; the
 * hash of its bytes packed for forms is added, and verify-audit passes.
 */
static void
test_migrate_legacy_database(void **state)
{
	struct fixture		*f = *state;
	struct said		 said;
	struct report		*r;
	const char		*errstr = NULL;
	char			 bak[400], hex[2 * STORE_HASH_LEN + 1];
	uint8_t			 h[STORE_HASH_LEN];
	sqlite3			*db;
	int			 legacy = 0;

	use_legacy_db(f, NULL);
	assert_non_null(f->store = open_store(f));
	snprintf(bak, sizeof(bak), "%s.schema-4.bak", f->path);
	assert_int_equal(access(bak, F_OK), 0);
	assert_int_equal(unlink(bak), 0);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports"), 5);
	/* Codes for every number, none left out. */
	assert_int_equal(db_int(db, "SELECT count(*) FROM activities WHERE "
	    "area IS NULL OR kind IS NULL OR occasion IS NULL OR "
	    "status IS NULL"), 0);
	assert_true(db_int(db, "SELECT count(*) FROM activities WHERE "
	    "area = 'communication_training'") > 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators WHERE "
	    "code IS NULL"), 0);
	assert_true(db_int(db, "SELECT count(*) FROM indicators WHERE "
	    "code = 'members' AND female IS NOT NULL") > 0);
	/* The built-in form, kept and recorded by every revision. */
	assert_int_equal(db_int(db, "SELECT count(*) FROM forms"), 1);
	assert_int_equal(db_int(db, "SELECT year FROM forms"), 2022);
	assert_blob(db, "SELECT sha256 FROM forms",
	    form_sha256(builtin_form()), STORE_HASH_LEN);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports r JOIN "
	    "forms f ON f.sha256 = r.form_sha256"), 5);
	/* The bytes and the hash the receipt signs are those of then. */
	assert_hash_hex(db, "SELECT content_hash FROM reports WHERE id = 1",
	    T_LEGACY_HASH);
	r = stored_report(db, 1, &legacy);
	assert_int_equal(legacy, 1);
	assert_string_equal(r->id, T_LEGACY_ID);
	assert_int_equal(report_hash(r, h), 0);
	report_hex(h, sizeof(h), hex);
	assert_hash_hex(db, "SELECT canonical_hash FROM reports WHERE id = 1",
	    hex);
	assert_true(strcmp(hex, T_LEGACY_HASH) != 0);
	report_free(r);
	sqlite3_close(db);

	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	assert_true(said_has(&said, "5 revisions"));
}

/*
 * A report stored before forms, sent again under its id: packed for
 * forms now (or the old way, by an old gp-client), it is a duplicate
 * with its first receipt, which signs the bytes received then; other
 * content under that id is a conflict.
 */
static void
test_legacy_resend_is_duplicate(void **state)
{
	struct fixture		*f = *state;
	struct store_receipt	 out;
	struct store_meta	 meta;
	struct report		*r;
	const struct form	*form = builtin_form();
	uint8_t			*buf, *old, h[STORE_HASH_LEN];
	uint8_t			 oldh[STORE_HASH_LEN];
	size_t			 len, oldlen;
	char			 hex[2 * STORE_HASH_LEN + 1], receipt[40];
	sqlite3			*db;
	sqlite3_stmt		*st;
	int64_t			 rows;
	int			 legacy;

	use_legacy_db(f, NULL);
	open_legacy(f);
	db = db_open(f->path);
	r = stored_report(db, 1, &legacy);
	st = db_row(db, "SELECT receipt FROM reports WHERE id = 1");
	snprintf(receipt, sizeof(receipt), "%s", (const char *)
	    sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	rows = db_int(db, "SELECT (SELECT count(*) FROM reports) + "
	    "(SELECT count(*) FROM activities) + "
	    "(SELECT count(*) FROM indicators) + "
	    "(SELECT count(*) FROM narratives) + (SELECT count(*) FROM audit)");
	sqlite3_close(db);

	assert_int_equal(report_pack(r, &buf, &len), 0);
	assert_int_equal(report_digest(buf, len, h), 0);
	assert_int_equal(report_legacy_pack(r, &old, &oldlen), 1);
	assert_int_equal(report_digest(old, oldlen, oldh), 0);
	memset(&meta, 0, sizeof(meta));
	meta.cn = "lc-tamduong";
	meta.fingerprint = T_FPR;
	meta.received_at = T_AT;
	meta.raw = buf;
	meta.rawlen = len;
	meta.hash = h;
	meta.legacy_hash = oldh;
	meta.form_sha256 = form_sha256(form);
	meta.form_year = 2022;
	meta.form_bytes = form_canonical(form, &meta.form_len);

	assert_int_equal(put_one(f->store, r, &meta, &out), STORE_DUPLICATE);
	assert_true(out.duplicate);
	assert_int_equal(out.revision, 1);
	assert_string_equal(out.receipt, receipt);
	report_hex(out.content_hash, STORE_HASH_LEN, hex);
	assert_string_equal(hex, T_LEGACY_HASH);

	/* Found by the new encoding's hash alone, too. */
	meta.legacy_hash = NULL;
	assert_int_equal(put_one(f->store, r, &meta, &out), STORE_DUPLICATE);
	assert_string_equal(out.receipt, receipt);

	/* Other content under the id. */
	r->activities[0].participants++;
	free(buf);
	assert_int_equal(report_pack(r, &buf, &len), 0);
	assert_int_equal(report_digest(buf, len, h), 0);
	meta.raw = buf;
	meta.rawlen = len;
	assert_int_equal(put_one(f->store, r, &meta, &out), STORE_CONFLICT);
	db = db_open(f->path);
	/* Nothing of it but its refusal in the audit. */
	assert_int_equal(db_int(db, "SELECT (SELECT count(*) FROM reports) + "
	    "(SELECT count(*) FROM activities) + "
	    "(SELECT count(*) FROM indicators) + "
	    "(SELECT count(*) FROM narratives) + (SELECT count(*) FROM audit)"),
	    rows + 1);
	sqlite3_close(db);
	free(buf);
	free(old);
	report_free(r);
}

/* What the reload rule counts: units' reports of a year using a code. */
static void
test_count_using(void **state)
{
	struct fixture	*f = *state;

	use_legacy_db(f, NULL);
	open_legacy(f);
	/* lc-tamduong 2022-H1 and 2022, lc-sinho and lc-nganh-giaoduc
	 * 2022-H1. */
	assert_int_equal(store_count_using(f->store, 2022, FORM_WHOLE, ""),
	    4);
	assert_int_equal(store_count_using(f->store, 2023, FORM_WHOLE, ""),
	    0);
	assert_int_equal(store_count_using(f->store, 2022, FORM_PERIODS,
	    "annual"), 1);
	assert_int_equal(store_count_using(f->store, 2022, FORM_PERIODS,
	    "H1"), 3);
	assert_true(store_count_using(f->store, 2022, FORM_AREAS,
	    "communication_training") >= 1);
	assert_int_equal(store_count_using(f->store, 2022, FORM_AREAS,
	    "no_such_area"), 0);
	assert_int_equal(store_count_using(f->store, 2022, FORM_KINDS,
	    "meeting"), 0);
	assert_true(store_count_using(f->store, 2022, FORM_INDICATORS,
	    "members") >= 1);
	assert_true(store_count_using(f->store, 2022, FORM_NARRATIVE,
	    "results") >= 1);
	assert_true(store_count_using(f->store, 2022, FORM_SECTIONS,
	    "law_review") >= 1);
	assert_true(store_count_using(f->store, 2022, FORM_SECTIONS,
	    "law_review.proposals") >= 1);
	assert_int_equal(store_count_using(f->store, 2022, FORM_SECTIONS,
	    "law_review.no_such_field"), 0);
}

/* A form kept by its SHA-256, as the form request reads it. */
static int
form_got(void *arg, int year, const void *bytes, size_t len)
{
	const struct form	*form = builtin_form();
	const char		*want;
	size_t			 wantlen;

	want = form_canonical(form, &wantlen);
	assert_int_equal(year, 2022);
	assert_int_equal(len, wantlen);
	assert_memory_equal(bytes, want, len);
	(*(int *)arg)++;
	return 0;
}

static void
test_form_kept(void **state)
{
	struct fixture		*f = *state;
	struct submission	 sub;
	struct store_receipt	 out;
	uint8_t			 none[STORE_HASH_LEN];
	int			 calls = 0;

	submission_new(&sub, T_ID1, "lc-tamduong", T_H1);
	put_ok(f->store, &sub, 1, &out);
	assert_int_equal(store_form(f->store, form_sha256(builtin_form()),
	    &calls, form_got), 1);
	assert_int_equal(calls, 1);
	memset(none, 0x5a, sizeof(none));
	assert_int_equal(store_form(f->store, none, &calls, form_got), 0);
	assert_int_equal(calls, 1);
	submission_free(&sub);
}

/*
 * A database gpd left at schema 3, with an administrator's view on the
 * indicators: migration 4 keeps each report's totals and rebuilds the
 * indicators under their name, migration 5 gives them codes (the view
 * still reads them), and verify-audit finds every row matching the
 * reports as submitted.
 */
static void
test_migrate_from_schema_3(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a;
	struct store_receipt	 out;
	struct said		 said;
	const char		*errstr = NULL;
	char			 bak[400];
	sqlite3			*db;
	int64_t			 members;

	use_legacy_db(f, "DROP TABLE report_totals;"
	    "CREATE TABLE indicators_3 ("
	    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
	    "  code INTEGER NOT NULL, total INTEGER NOT NULL,"
	    "  female INTEGER NOT NULL, PRIMARY KEY (report_id, code));"
	    "INSERT INTO indicators_3 SELECT * FROM indicators;"
	    "DROP TABLE indicators;"
	    "ALTER TABLE indicators_3 RENAME TO indicators;"
	    "DROP INDEX reports_period;"
	    "CREATE INDEX reports_period ON reports (period, unit, revision);"
	    "CREATE VIEW members AS SELECT SUM(total) AS n FROM indicators;"
	    "PRAGMA user_version = 3;");
	db = db_open(f->path);
	members = db_int(db, "SELECT n FROM members");
	sqlite3_close(db);

	assert_non_null(f->store = open_store(f));
	snprintf(bak, sizeof(bak), "%s.schema-3.bak", f->path);
	assert_int_equal(access(bak, F_OK), 0);
	assert_int_equal(unlink(bak), 0);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(db_int(db, "SELECT count(*) FROM report_totals"), 5);
	assert_int_equal(db_int(db, "SELECT sum(activities) FROM "
	    "report_totals"), db_int(db, "SELECT count(*) FROM activities"));
	assert_int_equal(db_int(db, "SELECT sum(female) FROM report_totals"),
	    db_int(db, "SELECT sum(female) FROM activities"));
	assert_int_equal(db_int(db, "SELECT count(*) FROM "
	    "pragma_index_info('reports_period')"), 6);
	assert_int_equal(db_int(db, "SELECT n FROM members"), members);
	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators WHERE "
	    "code IS NULL"), 0);
	sqlite3_close(db);

	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	/* And the next report keeps its totals like any other. */
	submission_new(&a, T_ID3, "lc-tamduong", T_H1);
	put_ok(f->store, &a, 3, &out);
	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT participants FROM report_totals "
	    "t JOIN reports r ON r.id = t.report_id WHERE r.revision = 3"),
	    150 + 60);
	sqlite3_close(db);
	submission_free(&a);
}

/* One decision in a batch of its own. */
static void
review_one(struct store *s, const char *action, uint32_t revision,
    const char *comment, struct store_decision *d)
{
	struct store_review	in;

	memset(&in, 0, sizeof(in));
	in.unit = "lc-tamduong";
	in.period = T_H1;
	in.revision = revision;
	in.action = action;
	in.comment = comment;
	in.at = T_AT + 60;
	in.cn = "admin-test";
	in.fingerprint = T_FPR;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_put_review(s, &in, d), 0);
	assert_int_equal(store_commit(s), STORE_OK);
}

/*
 * Review (issue 17): return, a new revision back under review, a stale
 * decision refused, accept, the accepted report refusing a revision,
 * reopen letting one in; every decision and refusal in the audit, and
 * verify-audit content with them.
 */
static void
test_review_decisions(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b, c;
	struct store_receipt	 out;
	struct store_decision	 d;
	struct said		 said;
	const char		*errstr = NULL;
	sqlite3			*db;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-tamduong", T_H1);
	submission_new(&c, T_ID3, "lc-tamduong", T_H1);

	review_one(f->store, "accept", 1, NULL, &d);
	assert_int_equal(d.refused, STORE_REVIEW_NO_REPORT);
	put_ok(f->store, &a, 1, &out);
	assert_int_equal(out.back_under_review, 0);
	review_one(f->store, "return", 2, "x", &d);
	assert_int_equal(d.refused, STORE_REVIEW_NO_REVISION);
	assert_int_equal(d.latest, 1);
	review_one(f->store, "reopen", 1, "x", &d);
	assert_int_equal(d.refused, STORE_REVIEW_STATE);
	review_one(f->store, "return", 1, "Thiếu số liệu.", &d);
	assert_int_equal(d.refused, STORE_REVIEW_DONE);
	assert_string_equal(d.state, STORE_STATE_RETURNED);
	assert_int_equal(strlen(d.decision), STORE_RECEIPT_LEN);
	assert_int_equal(strlen(d.report_sha256), 2 * STORE_HASH_LEN);
	assert_string_equal(d.decided_at, "2022-05-31T12:27:40Z");
	review_one(f->store, "return", 1, "again", &d);
	assert_int_equal(d.refused, STORE_REVIEW_STATE);

	put_ok(f->store, &b, 2, &out);
	assert_int_equal(out.back_under_review, 1);
	review_one(f->store, "accept", 1, NULL, &d);
	assert_int_equal(d.refused, STORE_REVIEW_STALE);
	assert_int_equal(d.latest, 2);
	review_one(f->store, "accept", 2, NULL, &d);
	assert_int_equal(d.refused, STORE_REVIEW_DONE);
	assert_string_equal(d.state, STORE_STATE_ACCEPTED);

	/* Accepted: final. A duplicate is still one. */
	assert_int_equal(put_one(f->store, c.r, &c.meta, &out),
	    STORE_ACCEPTED);
	assert_int_equal(out.accepted_revision, 2);
	assert_int_equal(put_one(f->store, b.r, &b.meta, &out),
	    STORE_DUPLICATE);
	review_one(f->store, "reopen", 2, "Sai số liệu.", &d);
	assert_int_equal(d.refused, STORE_REVIEW_DONE);
	assert_string_equal(d.state, STORE_STATE_RECEIVED);
	put_ok(f->store, &c, 3, &out);
	assert_int_equal(out.back_under_review, 0);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reviews"), 3);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'review' AND result = 'refused'"), 5);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'review' AND result <> 'refused' AND "
	    "length(content_hash) = 32"), 3);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'submit' AND result = 'refused' AND "
	    "detail LIKE 'report accepted%'"), 1);
	sqlite3_close(db);
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	submission_free(&a);
	submission_free(&b);
	submission_free(&c);
}

/*
 * The aggregates equal the detail after every kind of write (issue 20):
 * a new unit, a new revision (whose codes differ from the one it
 * replaces), a duplicate, a conflict, a refusal for an accepted report
 * and for a locked period, a failed put undone, each review decision
 * (return, accept, reopen) with --accepted, and the migration that
 * builds them from the rows already stored.
 */
static void
test_aggregates_follow_every_write(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a1, a2, a3, b, c, d, e1, e2, e3;
	struct store_receipt	 out;
	struct store_decision	 dec;
	struct store_review	 rin;
	char			 bak[400];
	sqlite3			*db;
	int			 changed;

	submission_new(&a1, T_ID1, "lc-tamduong", T_H1);
	submission_new(&a2, T_ID2, "lc-tamduong", T_H1);
	free(a2.r->activities[0].area);
	a2.r->activities[0].area = xstrdup("communication_training");
	a2.r->activities[1].participants = 999;
	submission_pack(&a2);
	submission_new(&a3, "3ebc6f41-8a5d-4f7a-8d86-ac3b4a5f6e7d",
	    "lc-tamduong", T_H1);
	free(a3.r->activities[0].status);
	a3.r->activities[0].status = xstrdup("planned");
	submission_pack(&a3);
	submission_new(&b, T_ID3, "lc-sinho", T_H1);
	submission_new(&c, "4fcd7052-9b6e-4a8b-9e97-bd4c5b6a7f8e",
	    "lc-tamduong", T_H1);
	submission_new(&d, "50de8163-ac7f-4b9c-8fa8-ce5d6c7b8a9f",
	    "lc-phongtho", T_H1);

	assert_sums_follow_detail(f->path, T_H1);
	put_ok(f->store, &a1, 1, &out);			/* a new unit */
	assert_sums_follow_detail(f->path, T_H1);
	put_ok(f->store, &b, 1, &out);			/* another */
	assert_sums_follow_detail(f->path, T_H1);
	put_ok(f->store, &a2, 2, &out);			/* a new revision */
	assert_sums_follow_detail(f->path, T_H1);
	assert_int_equal(put_one(f->store, a2.r, &a2.meta, &out),
	    STORE_DUPLICATE);
	assert_sums_follow_detail(f->path, T_H1);
	a1.r->activities[0].participants = 1;		/* same id, other */
	submission_pack(&a1);
	assert_int_equal(put_one(f->store, a1.r, &a1.meta, &out),
	    STORE_CONFLICT);
	assert_sums_follow_detail(f->path, T_H1);

	review_one(f->store, "return", 2, "Thiếu số liệu.", &dec);
	assert_int_equal(dec.refused, STORE_REVIEW_DONE);
	assert_sums_follow_detail(f->path, T_H1);
	put_ok(f->store, &a3, 3, &out);			/* back under review */
	assert_sums_follow_detail(f->path, T_H1);
	review_one(f->store, "accept", 3, NULL, &dec);
	assert_int_equal(dec.refused, STORE_REVIEW_DONE);
	assert_sums_follow_detail(f->path, T_H1);
	review_one(f->store, "return", 3, "x", &dec);	/* refused */
	assert_int_equal(dec.refused, STORE_REVIEW_STATE);
	assert_sums_follow_detail(f->path, T_H1);
	assert_int_equal(put_one(f->store, c.r, &c.meta, &out),
	    STORE_ACCEPTED);
	assert_sums_follow_detail(f->path, T_H1);
	review_one(f->store, "reopen", 3, "Sai số liệu.", &dec);
	assert_int_equal(dec.refused, STORE_REVIEW_DONE);
	assert_sums_follow_detail(f->path, T_H1);

	/* A put that fails is undone with its aggregates' deltas; a batch
	 * whose aggregates cannot be written is not committed. */
	db = db_open(f->path);
	db_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON indicators "
	    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
	assert_int_equal(put_one(f->store, c.r, &c.meta, &out), STORE_FAIL);
	db_exec(db, "DROP TRIGGER refuse");
	assert_sums_follow_detail(f->path, T_H1);
	db_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON period_sums "
	    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
	assert_int_equal(put_one(f->store, c.r, &c.meta, &out), STORE_FAIL);
	db_exec(db, "DROP TRIGGER refuse");
	sqlite3_close(db);
	assert_sums_follow_detail(f->path, T_H1);
	put_ok(f->store, &c, 4, &out);
	assert_sums_follow_detail(f->path, T_H1);

	/* One batch (a group commit): two revisions of a unit, the second
	 * replacing the first before either is committed, a duplicate, a
	 * decision on the newest, and another unit's report. */
	submission_new(&e1, "61ef9274-bd80-4cad-90b9-df6e7d8c9ba0",
	    "lc-tamduong", T_H1);
	submission_new(&e2, "72f0a385-ce91-4dbe-a1ca-e07f8e9dacb1",
	    "lc-tamduong", T_H1);
	free(e2.r->activities[1].kind);
	e2.r->activities[1].kind = xstrdup("conference");
	submission_pack(&e2);
	submission_new(&e3, "8301b496-dfa2-4ecf-b2db-f18a9fa0bdc2",
	    "lc-sinho", T_H1);
	memset(&rin, 0, sizeof(rin));
	rin.unit = "lc-tamduong";
	rin.period = T_H1;
	rin.revision = 6;
	rin.action = "return";
	rin.comment = "x";
	rin.at = T_AT + 60;
	rin.cn = "admin-test";
	rin.fingerprint = T_FPR;
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put(f->store, e1.r, &e1.meta, &out), STORE_OK);
	assert_int_equal(store_put(f->store, e2.r, &e2.meta, &out), STORE_OK);
	assert_int_equal(out.revision, 6);
	assert_int_equal(store_put(f->store, e1.r, &e1.meta, &out),
	    STORE_DUPLICATE);
	assert_int_equal(store_put_review(f->store, &rin, &dec), 0);
	assert_int_equal(dec.refused, STORE_REVIEW_DONE);
	assert_int_equal(store_put(f->store, e3.r, &e3.meta, &out), STORE_OK);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_sums_follow_detail(f->path, T_H1);

	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_lock(f->store, T_H1, 1, T_AT, "admin-test",
	    T_FPR, &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_int_equal(put_one(f->store, d.r, &d.meta, &out), STORE_LOCKED);
	assert_sums_follow_detail(f->path, T_H1);

	/* Migration 8 builds them from the rows stored before it. */
	store_close(f->store);
	f->store = NULL;
	db = db_open(f->path);
	db_exec(db, "DROP TABLE period_sums; DROP TABLE period_indicators; "
	    "DROP TABLE unit_sums; DROP TABLE unit_registry; "
	    "PRAGMA user_version = 7");
	sqlite3_close(db);
	assert_non_null(f->store = open_store(f));
	snprintf(bak, sizeof(bak), "%s.schema-7.bak", f->path);
	assert_int_equal(unlink(bak), 0);
	db = db_open(f->path);
	assert_true(db_int(db, "SELECT count(*) FROM period_sums") > 0);
	assert_true(db_int(db, "SELECT count(*) FROM period_indicators") > 0);
	sqlite3_close(db);
	assert_sums_follow_detail(f->path, T_H1);

	submission_free(&a1);
	submission_free(&a2);
	submission_free(&a3);
	submission_free(&b);
	submission_free(&c);
	submission_free(&d);
	submission_free(&e1);
	submission_free(&e2);
	submission_free(&e3);
}

/* The registry kept in the database brought to v; how many changed. */
static size_t
registry_put(struct store *s, const struct store_unit *v, size_t n)
{
	size_t	changed = 99;

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_put_registry(s, v, n, &changed), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	return changed;
}

/* By type: key ("" for no type) -> reports; missing's counts. */
static uint64_t
type_reports(const char *path, const char *type)
{
	struct store		*reader;
	struct store_cursor	*c;
	struct store_args	 args;
	struct store_sum_row	 sum;
	const char		*errstr = NULL;
	uint64_t		 n = 0;

	assert_non_null(reader = store_open_reader(path, &errstr));
	memset(&args, 0, sizeof(args));
	args.period = T_H1;
	assert_non_null(c = store_query(reader, STORE_Q_SUM_TYPE, &args));
	while (store_next_sum(c, &sum) == 1)
		if (strcmp(sum.key, type) == 0)
			n += sum.reports;
	store_cursor_close(c);
	store_close(reader);
	return n;
}

static void
missing_counts(const char *path, int32_t from, int32_t to,
    uint64_t *reported, uint64_t *on_time, uint64_t *accepted)
{
	struct store		*reader;
	struct store_cursor	*c;
	struct store_args	 args;
	struct store_count_row	 row;
	const char		*errstr = NULL;

	*reported = *on_time = *accepted = 0;
	assert_non_null(reader = store_open_reader(path, &errstr));
	memset(&args, 0, sizeof(args));
	args.period = T_H1;
	args.from = from;
	args.to = to;
	assert_non_null(c = store_query(reader, STORE_Q_MISSING_COUNTS,
	    &args));
	while (store_next_count(c, &row) == 1) {
		*reported += row.reported;
		*on_time += row.on_time;
		if (strcmp(row.state, STORE_STATE_ACCEPTED) == 0)
			*accepted += row.reported;
	}
	store_cursor_close(c);
	store_close(reader);
}

/*
 * The registry (issue 20): the unit rows follow a unit's type and
 * validity as the registry changes (first sync in one pass, later ones
 * unit by unit), a unit it no longer lists goes under no type, the totals
 * stay what the reports say, and missing's counts take only the units
 * whose validity covers the period, on time by their first revision's
 * lateness as kept.
 */
static void
test_registry_moves_unit_totals(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a1, a2, b, c;
	struct store_receipt	 out;
	struct store_decision	 dec;
	struct store_unit	 v[3];
	const int32_t		 day = T_AT / 86400;
	uint64_t		 rep, ontime, acc;

	submission_new(&a1, T_ID1, "lc-tamduong", T_H1);
	submission_new(&a2, T_ID2, "lc-tamduong", T_H1);
	a2.meta.received_at = T_AT + 20 * 86400;	/* 10 days late */
	a2.meta.today = a2.meta.due + 10;
	submission_new(&b, T_ID3, "lc-sinho", T_H1);
	b.meta.received_at = T_AT + 15 * 86400;		/* 5 days late */
	b.meta.today = b.meta.due + 5;
	submission_new(&c, "4fcd7052-9b6e-4a8b-9e97-bd4c5b6a7f8e",
	    "lc-phongtho", T_H1);
	put_ok(f->store, &a1, 1, &out);
	put_ok(f->store, &b, 1, &out);
	put_ok(f->store, &c, 1, &out);
	/* Before any registry: every unit under no type. */
	assert_int_equal(type_reports(f->path, ""), 3);

	v[0] = (struct store_unit){ "lc-phongtho", "grassroots", INT32_MIN,
	    day - 200 };				/* closed before */
	v[1] = (struct store_unit){ "lc-sinho", "grassroots", INT32_MIN,
	    INT32_MAX };
	v[2] = (struct store_unit){ "lc-tamduong", "district_federation",
	    INT32_MIN, INT32_MAX };
	assert_int_equal(registry_put(f->store, v, 3), 3);
	assert_sums_follow_detail(f->path, T_H1);
	assert_int_equal(type_reports(f->path, "grassroots"), 2);
	assert_int_equal(type_reports(f->path, "district_federation"), 1);
	assert_int_equal(type_reports(f->path, ""), 0);
	/* Expected: sinho (late) and tamduong (on time). */
	missing_counts(f->path, day - 150, day - 1, &rep, &ontime, &acc);
	assert_int_equal(rep, 2);
	assert_int_equal(ontime, 1);			/* tamduong */
	assert_int_equal(registry_put(f->store, v, 3), 0);

	/* A late new revision keeps the unit's first on time; accepted,
	 * it is counted so. */
	put_ok(f->store, &a2, 2, &out);
	review_one(f->store, "accept", 2, NULL, &dec);
	assert_int_equal(dec.refused, STORE_REVIEW_DONE);
	assert_sums_follow_detail(f->path, T_H1);
	missing_counts(f->path, day - 150, day - 1, &rep, &ontime, &acc);
	assert_int_equal(rep, 2);
	assert_int_equal(ontime, 1);
	assert_int_equal(acc, 1);

	/* A reload: sinho changes type, phongtho becomes valid, tamduong
	 * leaves the registry. Unit by unit. */
	v[0].valid_to = INT32_MAX;
	v[1].type = "district_federation";
	assert_int_equal(registry_put(f->store, v, 2), 3);
	assert_sums_follow_detail(f->path, T_H1);
	assert_int_equal(type_reports(f->path, "grassroots"), 1);
	assert_int_equal(type_reports(f->path, "district_federation"), 1);
	assert_int_equal(type_reports(f->path, ""), 1);
	missing_counts(f->path, day - 150, day - 1, &rep, &ontime, &acc);
	assert_int_equal(rep, 2);			/* phongtho, sinho */
	assert_int_equal(ontime, 1);			/* phongtho */
	assert_int_equal(acc, 0);

	submission_free(&a1);
	submission_free(&a2);
	submission_free(&b);
	submission_free(&c);
}

/* The next row of a one-row query of the period, or a failure. */
static void
missing_row(struct store *s, struct store_missing_row *row)
{
	struct store_args	 args;
	struct store_cursor	*c;

	memset(&args, 0, sizeof(args));
	args.period = T_H1;
	assert_non_null(c = store_query(s, STORE_Q_MISSING, &args));
	assert_int_equal(store_next_missing(c, row), 1);
	store_cursor_close(c);
}

/*
 * The calendar (issue 15) and the review (issue 17) in one store: a
 * returned report's next revision is back under review and judged against
 * the unit's extension; missing keeps the first revision's lateness
 * beside the newest decision's state of the latest; an accepted report
 * refuses a new revision, a conflict is audited, a duplicate is one.
 */
static void
test_review_with_calendar(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b, c, conflict;
	struct store_receipt	 out;
	struct store_decision	 d;
	struct store_missing_row miss;
	struct store_args	 args;
	struct store_cursor	*cur;
	struct store_report_row	 row;
	struct said		 said;
	const char		*errstr = NULL;
	char			 prev[DATE_LEN + 1];
	int32_t			 until = date_from_ymd(2022, 6, 20);
	int			 changed;
	sqlite3			*db;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-tamduong", T_H1);
	submission_new(&c, T_ID3, "lc-tamduong", T_H1);
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_put_extension(f->store, "lc-tamduong", T_H1,
	    "2022-06-20", "lũ quét", T_AT, "admin-test", T_FPR, prev,
	    &changed), 0);
	assert_int_equal(store_commit(f->store), STORE_OK);

	/* Three days past the extension; returned. */
	a.meta.today = until + 3;
	put_ok(f->store, &a, 1, &out);
	assert_int_equal(out.due, until);
	assert_int_equal(out.days_late, 3);
	assert_int_equal(out.extended, 1);
	assert_int_equal(out.back_under_review, 0);
	review_one(f->store, "return", 1, "Thiếu số liệu.", &d);
	assert_int_equal(d.refused, STORE_REVIEW_DONE);
	missing_row(f->store, &miss);
	assert_int_equal(miss.revision, 1);
	assert_string_equal(miss.review_state, STORE_STATE_RETURNED);

	/* Its correction: back under review, judged on its own day. */
	b.meta.today = until + 5;
	b.meta.received_at = T_AT + 86400;
	put_ok(f->store, &b, 2, &out);
	assert_int_equal(out.back_under_review, 1);
	assert_int_equal(out.days_late, 5);
	assert_int_equal(out.extended, 1);
	assert_int_equal(out.latest_revision, 2);
	missing_row(f->store, &miss);
	assert_int_equal(miss.days_late, 3);
	assert_int_equal(miss.extended, 1);
	assert_int_equal(miss.first_at, T_AT);
	assert_int_equal(miss.revision, 2);
	assert_int_equal(miss.latest_at, T_AT + 86400);
	assert_string_equal(miss.review_state, STORE_STATE_RECEIVED);

	/* Accepted: the latest revision is final; its lateness stays. */
	review_one(f->store, "accept", 2, NULL, &d);
	assert_int_equal(d.refused, STORE_REVIEW_DONE);
	missing_row(f->store, &miss);
	assert_int_equal(miss.days_late, 3);
	assert_string_equal(miss.review_state, STORE_STATE_ACCEPTED);
	memset(&args, 0, sizeof(args));
	args.period = T_H1;
	args.unit = "lc-tamduong";
	assert_non_null(cur = store_query(f->store, STORE_Q_LIST, &args));
	assert_int_equal(store_next_report(cur, &row), 1);
	assert_int_equal(row.revision, 2);
	assert_string_equal(row.due, "2022-06-20");
	assert_int_equal(row.days_late, 5);
	assert_int_equal(row.extended, 1);
	assert_string_equal(row.review_state, STORE_STATE_ACCEPTED);
	assert_int_equal(store_next_report(cur, &row), 0);
	store_cursor_close(cur);

	c.meta.today = until + 6;
	assert_int_equal(put_one(f->store, c.r, &c.meta, &out),
	    STORE_ACCEPTED);
	assert_int_equal(out.accepted_revision, 2);
	assert_int_equal(out.revision, 0);
	/* The first revision sent again: a duplicate naming the latest. */
	assert_int_equal(put_one(f->store, a.r, &a.meta, &out),
	    STORE_DUPLICATE);
	assert_int_equal(out.revision, 1);
	assert_int_equal(out.days_late, 3);
	assert_int_equal(out.latest_revision, 2);
	/* Its id with other content: refused and audited, accepted or not. */
	submission_new(&conflict, T_ID1, "lc-tamduong", T_H1);
	conflict.r->activities[0].female = 99;
	submission_pack(&conflict);
	assert_int_equal(put_one(f->store, conflict.r, &conflict.meta, &out),
	    STORE_CONFLICT);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports"), 2);
	assert_int_equal(db_int(db, "SELECT count(*) FROM audit WHERE "
	    "action = 'submit' AND result = 'refused' AND unit = "
	    "'lc-tamduong' AND (detail LIKE 'report accepted%' OR detail "
	    "LIKE 'conflict:%')"), 2);
	sqlite3_close(db);
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	submission_free(&a);
	submission_free(&b);
	submission_free(&c);
	submission_free(&conflict);
}

/*
 * unlink, wrapped at link time (-Wl,--wrap=unlink): the real one, then
 * for the path plant_at a symbolic link to plant_to at once, as made by
 * someone who wins the race between removing a temporary file's name
 * and opening it again.
 */
int	__real_unlink(const char *);
int	__wrap_unlink(const char *);

static const char	*plant_at, *plant_to;

int
__wrap_unlink(const char *path)
{
	int	rv;

	rv = __real_unlink(path);
	if (plant_at != NULL && strcmp(path, plant_at) == 0 &&
	    symlink(plant_to, plant_at) == -1)
		fail_msg("symlink %s: %s", plant_at, strerror(errno));
	return rv;
}

/* link is a symbolic link to target. */
static void
assert_link_to(const char *link, const char *target)
{
	char	buf[PATH_MAX];
	ssize_t	n;

	if ((n = readlink(link, buf, sizeof(buf) - 1)) == -1)
		fail_msg("%s is no longer a link: %s", link, strerror(errno));
	buf[n] = '\0';
	assert_string_equal(buf, target);
}

/*
 * gpd -b (issue 13, item 5): a symbolic link at the name the copy was
 * once written through (DEST.tmp) or at its journal's, even one put
 * back the moment that name is removed, is never followed: the file
 * behind it is untouched, the links stay as they were, the copy is a
 * database of its own and nothing else is left beside it.
 */
static void
test_backup_planted_link(void **state)
{
	static const char	*left[] = { ".", "..", "gp.db", "gp.db-wal",
				    "gp.db-shm", "backup.db", "backup.db.tmp",
				    "backup.db.tmp-journal", "victim" };
	struct fixture		*f = *state;
	struct submission	 a;
	struct store_receipt	 out;
	struct stat		 st;
	struct dirent		*de;
	DIR			*d;
	const char		*errstr = NULL;
	char			 dest[320], tmp[336], journal[336];
	char			 victim[320];
	size_t			 i;
	sqlite3			*db;
	int			 fd, rv;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	put_ok(f->store, &a, 1, &out);
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", dest);
	snprintf(journal, sizeof(journal), "%s.tmp-journal", dest);
	snprintf(victim, sizeof(victim), "%s/victim", f->dir);
	/* Empty: SQLite would take it for a new database and fill it. */
	assert_int_not_equal(fd = open(victim, O_WRONLY | O_CREAT | O_EXCL,
	    0600), -1);
	close(fd);
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(symlink(victim, journal), 0);

	plant_at = tmp;
	plant_to = victim;
	rv = store_backup(f->path, dest, &errstr);
	plant_at = NULL;
	if (rv != 0)
		fail_msg("store_backup: %s", errstr);

	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_link_to(tmp, victim);
	assert_link_to(journal, victim);
	assert_int_equal(lstat(dest, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	db = db_open(dest);
	assert_int_equal(db_int(db, "SELECT count(*) FROM reports"), 1);
	assert_text(db, "PRAGMA journal_mode", "delete");
	sqlite3_close(db);

	assert_non_null(d = opendir(f->dir));
	while ((de = readdir(d)) != NULL) {
		for (i = 0; i < sizeof(left) / sizeof(left[0]); i++)
			if (strcmp(de->d_name, left[i]) == 0)
				break;
		if (i == sizeof(left) / sizeof(left[0]))
			fail_msg("left beside the copy: %s", de->d_name);
	}
	closedir(d);
	unlink(dest);
	unlink(tmp);
	unlink(journal);
	unlink(victim);
	submission_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_sets_up_database,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_stores_every_row,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_duplicate_returns_first_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_extension_and_kept_lateness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_names_latest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_planned_totals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_audited,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_id_is_next_revision,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_revisions_are_per_unit_and_period, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rollback_on_indicator_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_on_audit_failure,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_full_database_is_store_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_out_of_range_fails,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_without_id_fails,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_legacy_database,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_resend_is_duplicate,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_using,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_kept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_schema_3,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_rows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_commits_together,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_aggregates_follow_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry_moves_unit_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_decisions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_with_calendar,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_period_refuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_queries_count_latest_revisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_edits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_planted_link,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
