/*
 * The worker's read connections (daemon/readers.c) over a real database
 * written the way gpd's writer writes it: a stream's open cursor keeps
 * its own snapshot, and a read that starts after a commit sees it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "readers.h"
#include "report.h"
#include "store.h"

#define T_AT	1654000000	/* 2022-05-31 */
#define T_FPR	"5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9" \
		"a8f7e6d5c4b3a2918273645546372819"

struct fixture {
	char		 dir[256];
	char		 path[300];
	struct store	*writer;
	struct readers	*readers;
};

/* Stores one report of unit for 2022-H1 in a batch of its own, as the
 * writer does: begin, put, commit. */
static void
put(struct store *s, const char *id, const char *unit)
{
	struct report		*r;
	struct store_meta	 m;
	struct store_receipt	 out;
	uint8_t			*raw, hash[32];
	size_t			 len;

	assert_non_null(r = report_new());
	assert_non_null(r->id = strdup(id));
	assert_non_null(r->unit = strdup(unit));
	assert_non_null(r->period = strdup("2022-H1"));
	assert_int_equal(report_pack(r, &raw, &len), 0);
	assert_int_equal(report_hash(r, hash), 0);
	memset(&m, 0, sizeof(m));
	m.cn = unit;
	m.fingerprint = T_FPR;
	m.received_at = T_AT;
	m.raw = raw;
	m.rawlen = len;
	m.hash = hash;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_put(s, r, &m, &out), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	free(raw);
	report_free(r);
}

/* Rows of the list of 2022-H1 seen on st, read to the end. */
static int
count_list(struct store *st)
{
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_report_row	 row;
	int			 n = 0, rc;

	memset(&args, 0, sizeof(args));
	args.period = "2022-H1";
	assert_non_null(c = store_query(st, STORE_Q_LIST, &args));
	while ((rc = store_next_report(c, &row)) == 1)
		n++;
	assert_int_equal(rc, 0);
	store_cursor_close(c);
	return n;
}

static int
setup(void **state)
{
	struct fixture	*f;
	const char	*tmp, *errstr;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(f->dir, sizeof(f->dir), "%s/test_readers.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/gp.db", f->dir);
	if ((f->writer = store_open(f->path, &errstr)) == NULL ||
	    (f->readers = readers_new(f->path, &errstr)) == NULL) {
		print_error("open: %s\n", errstr);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 name[320];

	readers_free(f->readers);
	store_close(f->writer);
	snprintf(name, sizeof(name), "%s-wal", f->path);
	unlink(name);
	snprintf(name, sizeof(name), "%s-shm", f->path);
	unlink(name);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/*
 * A stream holds a cursor open on one reader; a unit's report is then
 * committed: a read taken from the pool after the commit sees it, while
 * the open cursor goes on from its own snapshot.
 */
static void
test_fresh_read_sees_commit_under_open_cursor(void **state)
{
	struct fixture		*f = *state;
	struct store		*stream, *oneshot;
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_report_row	 row;
	const char		*errstr;
	int			 n;

	put(f->writer, "0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a", "lc-sinho");
	put(f->writer, "1c9a4d2f-6e3b-4d58-8b64-8a1f2e3d4c5b", "lc-tamduong");

	assert_non_null(stream = readers_get(f->readers, &errstr));
	memset(&args, 0, sizeof(args));
	args.period = "2022-H1";
	assert_non_null(c = store_query(stream, STORE_Q_LIST, &args));
	assert_int_equal(store_next_report(c, &row), 1);
	assert_string_equal(row.unit, "lc-sinho");
	assert_true(store_reading(stream));

	put(f->writer, "2dab5e30-7f4c-4e69-9c75-9b2a3f4e5d6c", "lc-muongte");

	/* A one-shot read now: a connection with nothing open. */
	assert_non_null(oneshot = readers_get(f->readers, &errstr));
	assert_ptr_not_equal(oneshot, stream);
	assert_false(store_reading(oneshot));
	assert_int_equal(count_list(oneshot), 3);
	readers_put(f->readers, oneshot);

	/* The stream's snapshot is the one it began with. */
	for (n = 1; store_next_report(c, &row) == 1; n++)
		;
	assert_int_equal(n, 2);
	store_cursor_close(c);
	assert_false(store_reading(stream));
	readers_put(f->readers, stream);
	assert_int_equal(readers_out(f->readers), 0);

	/* Given back, the stream's connection reads afresh too. */
	assert_non_null(stream = readers_get(f->readers, &errstr));
	assert_int_equal(count_list(stream), 3);
	readers_put(f->readers, stream);
}

/* A connection given back with a statement still open (its snapshot
 * held) is closed, never handed to the next query. */
static void
test_reader_with_open_statement_not_reused(void **state)
{
	struct fixture		*f = *state;
	struct store		*a, *b;
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_report_row	 row;
	const char		*errstr;

	put(f->writer, "0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a", "lc-sinho");
	put(f->writer, "1c9a4d2f-6e3b-4d58-8b64-8a1f2e3d4c5b", "lc-tamduong");
	assert_non_null(a = readers_get(f->readers, &errstr));
	memset(&args, 0, sizeof(args));
	args.period = "2022-H1";
	assert_non_null(c = store_query(a, STORE_Q_LIST, &args));
	assert_int_equal(store_next_report(c, &row), 1);
	readers_put(f->readers, a);	/* closes it, cursor and all */
	put(f->writer, "2dab5e30-7f4c-4e69-9c75-9b2a3f4e5d6c", "lc-muongte");
	assert_non_null(b = readers_get(f->readers, &errstr));
	assert_false(store_reading(b));
	assert_int_equal(count_list(b), 3);
	readers_put(f->readers, b);
	/* The closed connection goes once its last statement does. */
	store_cursor_close(c);
}

/* At most READERS_MAX out at once: the next is refused with a reason,
 * and one given back can be taken again. */
static void
test_pool_bounded(void **state)
{
	struct fixture	*f = *state;
	struct store	*st[READERS_MAX];
	const char	*errstr = NULL;
	size_t		 i;

	for (i = 0; i < READERS_MAX; i++)
		assert_non_null(st[i] = readers_get(f->readers, &errstr));
	assert_int_equal(readers_out(f->readers), READERS_MAX);
	assert_null(readers_get(f->readers, &errstr));
	assert_string_equal(errstr, "too many answers in progress");
	readers_put(f->readers, st[0]);
	assert_non_null(st[0] = readers_get(f->readers, &errstr));
	for (i = 0; i < READERS_MAX; i++)
		readers_put(f->readers, st[i]);
	assert_int_equal(readers_out(f->readers), 0);
}

/* A database that is not gpd's is refused when the pool is made. */
static void
test_pool_refuses_missing_database(void **state)
{
	struct fixture	*f = *state;
	char		 path[320];
	const char	*errstr = NULL;

	snprintf(path, sizeof(path), "%s/absent.db", f->dir);
	assert_null(readers_new(path, &errstr));
	assert_non_null(errstr);
	assert_int_equal(access(path, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_fresh_read_sees_commit_under_open_cursor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_reader_with_open_statement_not_reused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_bounded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_pool_refuses_missing_database, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
