/*
 * The refusal coalescer: the first of a kind from a certificate in a
 * minute is written, the rest counted and handed over as one summary
 * when the minute ends or at shutdown; nothing counted is lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "refusals.h"

#define FP_A	"aaaa000000000000000000000000000000000000000000000000000000000001"
#define FP_B	"bbbb000000000000000000000000000000000000000000000000000000000002"

struct seen {
	size_t		n;
	unsigned long	total;
	char		action[16];
	char		kind[40];
	char		cn[72];
	time_t		since, last;
};

static void
collect(void *arg, const struct refusal_summary *sum)
{
	struct seen	*seen = arg;

	seen->n++;
	seen->total += sum->count;
	snprintf(seen->action, sizeof(seen->action), "%s", sum->action);
	snprintf(seen->kind, sizeof(seen->kind), "%s", sum->kind);
	snprintf(seen->cn, sizeof(seen->cn), "%s", sum->cn);
	seen->since = sum->since;
	seen->last = sum->last;
}

static void
test_first_written_rest_counted(void **state)
{
	struct refusals	*r;
	struct seen	 seen;
	int		 i;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	assert_non_null(r = refusals_new());
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "units",
	    "for administrators only", 1000), REFUSAL_WRITE);
	for (i = 0; i < 500; i++)
		assert_int_equal(refusals_note(r, FP_A, "lc-x", "units",
		    "for administrators only", 1000 + i / 10),
		    REFUSAL_COUNTED);
	/* Another kind, another action, another certificate: first ones. */
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "units",
	    "another unit's reports", 1001), REFUSAL_WRITE);
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "audit",
	    "for administrators only", 1001), REFUSAL_WRITE);
	assert_int_equal(refusals_note(r, FP_B, "lc-y", "units",
	    "for administrators only", 1001), REFUSAL_WRITE);
	assert_int_equal(refusals_open(r), 4);

	/* Within the minute nothing ends. */
	assert_int_equal(refusals_expire(r, 1059, 0, collect, &seen), 0);
	assert_int_equal(seen.n, 0);
	/* The first window ends: one summary of the 500 counted. */
	assert_int_equal(refusals_expire(r, 1060, 0, collect, &seen), 1);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.total, 500);
	assert_string_equal(seen.action, "units");
	assert_string_equal(seen.kind, "for administrators only");
	assert_string_equal(seen.cn, "lc-x");
	assert_int_equal(seen.since, 1000);
	assert_int_equal(seen.last, 1049);
	/* The others counted nothing: closed without a summary. */
	assert_int_equal(refusals_expire(r, 1061, 0, collect, &seen), 3);
	assert_int_equal(seen.n, 1);
	assert_int_equal(refusals_open(r), 0);

	/* After the minute, the same kind is a first again. */
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "units",
	    "for administrators only", 1062), REFUSAL_WRITE);
	refusals_free(r);
}

/* At shutdown every window is closed, whatever its age. */
static void
test_all_at_shutdown(void **state)
{
	struct refusals	*r;
	struct seen	 seen;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	assert_non_null(r = refusals_new());
	refusals_note(r, FP_A, "lc-x", "submit", "not a registered unit", 10);
	refusals_note(r, FP_A, "lc-x", "submit", "not a registered unit", 11);
	refusals_note(r, FP_A, "lc-x", "submit", "not a registered unit", 12);
	refusals_note(r, FP_B, "lc-y", "lock", "for administrators only", 12);
	refusals_note(r, FP_B, "lc-y", "lock", "for administrators only", 13);
	assert_int_equal(refusals_expire(r, 14, 1, collect, &seen), 2);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.total, 3);
	assert_int_equal(refusals_open(r), 0);
	refusals_free(r);
}

/* A first that could not be written: its window closes, what it counted
 * is handed over, and the next one is written again. */
static void
test_forget(void **state)
{
	struct refusals	*r;
	struct seen	 seen;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	assert_non_null(r = refusals_new());
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "submit",
	    "invalid report", 10), REFUSAL_WRITE);
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "submit",
	    "invalid report", 10), REFUSAL_COUNTED);
	refusals_forget(r, FP_A, "submit", "invalid report", collect, &seen);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.total, 1);
	assert_int_equal(refusals_note(r, FP_A, "lc-x", "submit",
	    "invalid report", 11), REFUSAL_WRITE);
	/* Forgetting what is not there does nothing. */
	refusals_forget(r, FP_B, "submit", "invalid report", collect, &seen);
	assert_int_equal(seen.n, 1);
	refusals_free(r);
}

/* A clock set back closes the windows it passed. */
static void
test_clock_back(void **state)
{
	struct refusals	*r;
	struct seen	 seen;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	assert_non_null(r = refusals_new());
	refusals_note(r, FP_A, "lc-x", "units", "for administrators only",
	    5000);
	refusals_note(r, FP_A, "lc-x", "units", "for administrators only",
	    5001);
	assert_int_equal(refusals_expire(r, 100, 0, collect, &seen), 1);
	assert_int_equal(seen.total, 1);
	refusals_free(r);
}

/* Past REFUSALS_MAX windows every refusal is written: never dropped. */
static void
test_table_full(void **state)
{
	struct refusals	*r;
	char		 fp[80];
	int		 i;

	(void)state;
	assert_non_null(r = refusals_new());
	for (i = 0; i < REFUSALS_MAX; i++) {
		snprintf(fp, sizeof(fp), "%064d", i);
		assert_int_equal(refusals_note(r, fp, "lc-x", "units",
		    "for administrators only", 1), REFUSAL_WRITE);
	}
	assert_int_equal(refusals_open(r), REFUSALS_MAX);
	assert_int_equal(refusals_note(r, "new", "lc-x", "units",
	    "for administrators only", 1), REFUSAL_WRITE);
	assert_int_equal(refusals_note(r, "new", "lc-x", "units",
	    "for administrators only", 1), REFUSAL_WRITE);
	/* The ones in the table still count. */
	snprintf(fp, sizeof(fp), "%064d", 7);
	assert_int_equal(refusals_note(r, fp, "lc-x", "units",
	    "for administrators only", 2), REFUSAL_COUNTED);
	refusals_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_written_rest_counted),
		cmocka_unit_test(test_all_at_shutdown),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_table_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
