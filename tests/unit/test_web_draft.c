/*
 * gp-client-web's drafts (web_draft.c): where they live, saved whole and
 * private, read back, a damaged one left alone and said so, removed;
 * a period that is not a period id never becomes a path.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "web.h"

struct fixture {
	char		dir[64];
	struct web	w;
};

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_web_draft.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(asprintf(&f->w.drafts, "%s/state/gp/drafts",
	    f->dir) > 0, 1);
	snprintf(f->w.unit, sizeof(f->w.unit), "lc-tamduong");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f->w.drafts);
	free(f);
	return 0;
}

static void
test_dir(void **state)
{
	char	*dir, *cause = NULL;

	(void)state;
	setenv("XDG_STATE_HOME", "/var/tmp/state", 1);
	dir = web_draft_dir(&cause);
	assert_string_equal(dir, "/var/tmp/state/gp/drafts");
	free(dir);
	/* A relative XDG_STATE_HOME is ignored, as the specification says. */
	setenv("XDG_STATE_HOME", "state", 1);
	setenv("HOME", "/home/hương", 1);
	dir = web_draft_dir(&cause);
	assert_string_equal(dir, "/home/hương/.local/state/gp/drafts");
	free(dir);
	unsetenv("XDG_STATE_HOME");
}

static void
test_round_trip(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	json_t		*report, *back;
	json_error_t	 jerr;
	char		 saved[32], loaded[32], path[256], *cause = NULL;

	report = json_loads("{\"unit\": \"lc-tamduong\", \"period\": "
	    "\"2022-H1\", \"activities\": [{\"title\": \"Hội nghị\", "
	    "\"female\": null}]}", 0, &jerr);
	assert_non_null(report);
	assert_int_equal(web_draft_save(&f->w, "2022-H1", report, saved,
	    sizeof(saved), &cause), 0);
	assert_int_equal(strlen(saved), 20);	/* 2026-12-04T22:03:35Z */

	snprintf(path, sizeof(path), "%s/lc-tamduong_2022-H1.json",
	    f->w.drafts);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->w.drafts, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(web_draft_load(&f->w, "2022-H1", &back, loaded,
	    sizeof(loaded), &cause), 0);
	assert_non_null(back);
	assert_true(json_equal(report, back));
	json_decref(back);

	/* Saved again: replaced whole, no temporary file left behind. */
	json_object_set_new(report, "narrative", json_pack("{s:s}",
	    "results", "Kết quả"));
	assert_int_equal(web_draft_save(&f->w, "2022-H1", report, saved,
	    sizeof(saved), &cause), 0);
	assert_int_equal(web_draft_load(&f->w, "2022-H1", &back, loaded,
	    sizeof(loaded), &cause), 0);
	assert_true(json_equal(report, back));
	json_decref(back);

	assert_int_equal(web_draft_remove(&f->w, "2022-H1", &cause), 0);
	assert_int_equal(web_draft_load(&f->w, "2022-H1", &back, loaded,
	    sizeof(loaded), &cause), 0);
	assert_null(back);
	/* Removing what is not there is no error. */
	assert_int_equal(web_draft_remove(&f->w, "2022-H1", &cause), 0);
	json_decref(report);
}

static void
test_one_file(void **state)
{
	struct fixture	*f = *state;
	json_t		*report = json_object();
	char		 saved[32], cmd[256], *cause = NULL;
	int		 i;

	for (i = 0; i < 5; i++)
		assert_int_equal(web_draft_save(&f->w, "2022", report, saved,
		    sizeof(saved), &cause), 0);
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = "
	    "lc-tamduong_2022.json", f->w.drafts);
	assert_int_equal(system(cmd), 0);
	json_decref(report);
}

static void
test_damaged(void **state)
{
	struct fixture	*f = *state;
	json_t		*report = json_object(), *back = NULL;
	char		 saved[32], path[256], *cause = NULL;
	FILE		*fp;

	assert_int_equal(web_draft_save(&f->w, "2022", report, saved,
	    sizeof(saved), &cause), 0);
	snprintf(path, sizeof(path), "%s/lc-tamduong_2022.json", f->w.drafts);
	assert_non_null(fp = fopen(path, "w"));
	fputs("{\"activities\": [", fp);
	fclose(fp);
	assert_int_equal(web_draft_load(&f->w, "2022", &back, saved,
	    sizeof(saved), &cause), -1);
	assert_null(back);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	cause = NULL;

	/* Not an object. */
	assert_non_null(fp = fopen(path, "w"));
	fputs("[1, 2]", fp);
	fclose(fp);
	assert_int_equal(web_draft_load(&f->w, "2022", &back, saved,
	    sizeof(saved), &cause), -1);
	assert_non_null(cause);
	free(cause);
	json_decref(report);
}

static void
test_bad_period(void **state)
{
	struct fixture	*f = *state;
	json_t		*report = json_object(), *back = NULL;
	char		 saved[32], *cause = NULL;

	assert_int_equal(web_draft_save(&f->w, "../../etc/x", report, saved,
	    sizeof(saved), &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(web_draft_load(&f->w, "2022/x", &back, saved,
	    sizeof(saved), &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(web_draft_remove(&f->w, "2022 ", &cause), -1);
	free(cause);
	json_decref(report);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_one_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_period, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
