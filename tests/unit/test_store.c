/*
 * The report store, checked by reading the database file with a second
 * SQLite connection: each test asserts what is (or is not) in the tables.
 */
#include <errno.h>
#include <inttypes.h>
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
	a->area = AREA_POLICY_DISSEMINATION;
	a->kind = KIND_CONFERENCE;
	a->occasion = OCCASION_WOMENS_DAY;
	a->status = STATUS_DONE;
	a->date = xstrdup("2022-03-08");
	a->title = xstrdup(T_TITLE);
	a->location = xstrdup(T_LOCATION);
	a->sessions = 1;
	a->participants = 150;
	a->female = 98;
	a = &r->activities[1];
	a->area = AREA_COMMUNICATION_TRAINING;
	a->kind = KIND_TRAINING;
	a->occasion = OCCASION_FAMILY_DAY;
	a->status = STATUS_PLANNED;
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
	r->indicators[0].code = IND_MEMBERS;
	r->indicators[0].total = 4210;
	r->indicators[0].female = 2377;
	r->indicators[1].code = IND_GBV_CASES_DETECTED;
	r->indicators[1].total = 3;
	r->indicators[1].female = 3;

	r->narrative[TEXT_RESULTS] = xstrdup(T_RESULTS);
	r->narrative[TEXT_DIFFICULTIES] = xstrdup("Địa bàn rộng, đi lại "
	    "khó khăn vào mùa mưa.");
	r->narrative[TEXT_NEXT_TASKS] = xstrdup("Hưởng ứng Tháng hành động "
	    "vì bình đẳng giới.");
	r->law_review[TEXT_RESULTS] = xstrdup("Nhận thức về bình đẳng giới "
	    "được nâng lên.");
	r->law_review[TEXT_PROPOSALS] = xstrdup(T_LAW_PROPOSALS);
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

static void
submission_new(struct submission *sub, const char *id, const char *unit,
    const char *period)
{
	memset(sub, 0, sizeof(*sub));
	sub->r = sample_report(id, unit, period);
	report_errors_add(&sub->warnings, "activities[1].date",
	    "ngày %s cách xa ngày 28/6", "2022-06-27");
	sub->meta.cn = unit;
	sub->meta.fingerprint = T_FPR;
	sub->meta.received_at = T_AT;
	sub->meta.late = 0;
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
	sub.meta.late = 1;
	put_ok(f->store, &sub, 1, &out);
	expected_receipt(&sub, 1, want);
	assert_string_equal(out.receipt, want);
	assert_int_equal(out.received_at, T_AT);
	assert_int_equal(out.late, 1);
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
	assert_int_equal(db_int(db, "SELECT area FROM activities "
	    "WHERE idx = 0"), AREA_POLICY_DISSEMINATION);
	assert_int_equal(db_int(db, "SELECT kind FROM activities "
	    "WHERE idx = 0"), KIND_CONFERENCE);
	assert_int_equal(db_int(db, "SELECT occasion FROM activities "
	    "WHERE idx = 0"), OCCASION_WOMENS_DAY);
	assert_int_equal(db_int(db, "SELECT status FROM activities "
	    "WHERE idx = 0"), STATUS_DONE);
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
	assert_int_equal(db_int(db, "SELECT status FROM activities "
	    "WHERE idx = 1"), STATUS_PLANNED);
	assert_text(db, "SELECT end_date FROM activities WHERE idx = 1",
	    "2022-06-28");
	assert_int_equal(db_int(db, "SELECT sessions FROM activities "
	    "WHERE idx = 1"), 2);
	assert_text(db, "SELECT notes FROM activities WHERE idx = 1",
	    T_NOTES_NFD);

	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators"),
	    T_INDICATORS);
	assert_int_equal(db_int(db, "SELECT total FROM indicators "
	    "WHERE report_id = 1 AND code = 1"), 4210);
	assert_int_equal(db_int(db, "SELECT female FROM indicators "
	    "WHERE report_id = 1 AND code = 1"), 2377);
	assert_int_equal(db_int(db, "SELECT total FROM indicators "
	    "WHERE code = 8"), 3);

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

	assert_int_equal(db_int(db, "SELECT count(*) FROM warnings"),
	    T_WARNINGS);
	assert_int_equal(db_int(db, "SELECT idx FROM warnings "
	    "WHERE report_id = 1"), 0);
	assert_text(db, "SELECT field FROM warnings", "activities[1].date");
	assert_text(db, "SELECT message FROM warnings",
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
	again.meta.late = 1;
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

static void
test_conflict_stores_nothing(void **state)
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
	    T_WARNINGS, 1);
	db = db_open(f->path);
	assert_blob(db, "SELECT content_hash FROM reports", first.hash, 32);
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
	free(sub.r->narrative[TEXT_OBSTACLES]);
	sub.r->narrative[TEXT_OBSTACLES] = big;
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
	/* Sees a's uncommitted row: a conflict, undone alone. */
	assert_int_equal(store_put(f->store, c.r, &c.meta, &rc),
	    STORE_CONFLICT);
	/* Nothing is visible to another connection before the commit. */
	assert_rows(f->path, 0, 0, 0, 0, 0, 0);
	assert_int_equal(store_commit(f->store), STORE_OK);
	assert_rows(f->path, 2, 4, 4, 10, 2, 2);
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
	store_cursor_close(c);
	assert_non_null(c = store_query(reader, STORE_Q_SUM_AREA, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_int_equal(sum.key, AREA_POLICY_DISSEMINATION);
	assert_int_equal(sum.participants, 200 + 150);
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_int_equal(sum.key, AREA_COMMUNICATION_TRAINING);
	assert_int_equal(sum.participants, 120);
	assert_int_equal(store_next_sum(c, &sum), 0);
	store_cursor_close(c);
	/* Indicator rows of the latest revisions, for the caller to add
	 * up by code: none of a superseded revision. */
	assert_non_null(c = store_query(reader, STORE_Q_INDICATOR_TOTALS,
	    &args));
	for (n = 0, total = 0; store_next_indicator(c, &ind) == 1; n++)
		if (ind.code == IND_MEMBERS)
			total += ind.total;
	assert_int_equal(n, 2 * T_INDICATORS);
	assert_int_equal(total, 2 * 4210);
	store_cursor_close(c);

	/* by unit: one row per unit, its latest revision's totals. */
	assert_non_null(c = store_query(reader, STORE_Q_SUM_UNIT, &args));
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key_text, "lc-sinho");
	assert_int_equal(sum.reports, 1);
	assert_int_equal(sum.activities, 2);
	assert_int_equal(sum.participants, 210);
	assert_int_equal(store_next_sum(c, &sum), 1);
	assert_string_equal(sum.key_text, "lc-tamduong");
	assert_int_equal(sum.reports, 1);
	assert_int_equal(sum.sessions, 3);
	assert_int_equal(sum.participants, 260);
	assert_int_equal(sum.female, 139);
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
	for (n = 0; store_next_activity(c, &act) == 1; n++)
		if (n == 2) {
			assert_string_equal(act.unit, "lc-tamduong");
			assert_int_equal(act.revision, 2);
			assert_int_equal(act.participants, 200);
			assert_string_equal(act.title, T_TITLE);
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
	assert_int_equal(miss.revision, 2);
	store_cursor_close(c);

	/* A reader writes nothing. */
	assert_int_equal(store_begin(reader), -1);
	store_close(reader);
	submission_free(&a1);
	submission_free(&a2);
	submission_free(&b);
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

/*
 * A database gpd left at schema 3, with an administrator's view on the
 * indicators: migration 4 keeps each report's totals, rebuilds the
 * indicators under their name (the view still reads them), and
 * verify-audit finds every row matching the reports as submitted.
 */
static void
test_migrate_from_schema_3(void **state)
{
	struct fixture		*f = *state;
	struct submission	 a, b;
	struct store_receipt	 out;
	struct said		 said;
	const char		*errstr = NULL;
	char			 bak[400];
	sqlite3			*db;

	submission_new(&a, T_ID1, "lc-tamduong", T_H1);
	submission_new(&b, T_ID2, "lc-sinho", T_H1);
	b.r->activities[1].participants = 75;
	submission_pack(&b);
	put_ok(f->store, &a, 1, &out);
	put_ok(f->store, &b, 1, &out);
	store_close(f->store);
	f->store = NULL;

	db = db_open(f->path);
	db_exec(db, "DROP TABLE report_totals;"
	    "CREATE TABLE indicators_3 ("
	    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
	    "  code INTEGER NOT NULL, total INTEGER NOT NULL,"
	    "  female INTEGER NOT NULL, PRIMARY KEY (report_id, code));"
	    "INSERT INTO indicators_3 SELECT * FROM indicators;"
	    "DROP TABLE indicators;"
	    "ALTER TABLE indicators_3 RENAME TO indicators;"
	    "DROP INDEX reports_period;"
	    "CREATE INDEX reports_period ON reports (period, unit, revision);"
	    "CREATE VIEW members AS SELECT SUM(total) AS n FROM indicators "
	    "  WHERE code = 1;"
	    "PRAGMA user_version = 3;");
	sqlite3_close(db);

	f->store = open_store(f);
	assert_non_null(f->store);
	snprintf(bak, sizeof(bak), "%s.schema-3.bak", f->path);
	assert_int_equal(access(bak, F_OK), 0);

	db = db_open(f->path);
	assert_int_equal(db_int(db, "PRAGMA user_version"), 4);
	assert_int_equal(db_int(db, "SELECT count(*) FROM report_totals"), 2);
	assert_int_equal(db_int(db, "SELECT activities FROM report_totals t "
	    "JOIN reports r ON r.id = t.report_id WHERE r.unit = 'lc-sinho'"),
	    T_ACTIVITIES);
	assert_int_equal(db_int(db, "SELECT participants FROM report_totals t "
	    "JOIN reports r ON r.id = t.report_id WHERE r.unit = 'lc-sinho'"),
	    150 + 75);
	assert_int_equal(db_int(db, "SELECT female FROM report_totals t "
	    "JOIN reports r ON r.id = t.report_id "
	    "WHERE r.unit = 'lc-tamduong'"), 98 + 41);
	assert_int_equal(db_int(db, "SELECT count(*) FROM indicators"),
	    2 * T_INDICATORS);
	assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'indicators' AND sql LIKE '%WITHOUT ROWID'"), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM "
	    "pragma_index_info('reports_period')"), 4);
	assert_int_equal(db_int(db, "SELECT n FROM members"), 2 * 4210);
	sqlite3_close(db);

	assert_int_equal(unlink(bak), 0);
	memset(&said, 0, sizeof(said));
	assert_int_equal(store_verify(f->path, collect, &said, &errstr), 0);
	/* And the next report keeps its totals like any other. */
	submission_free(&a);
	submission_new(&a, T_ID3, "lc-tamduong", T_H1);
	put_ok(f->store, &a, 2, &out);
	assert_rows(f->path, 3, 3 * T_ACTIVITIES, 3 * T_INDICATORS,
	    3 * T_TEXTS, 3 * T_WARNINGS, 3);
	submission_free(&a);
	submission_free(&b);
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
		cmocka_unit_test_setup_teardown(test_conflict_stores_nothing,
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
		cmocka_unit_test_setup_teardown(test_locked_period_refuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_queries_count_latest_revisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_edits,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
