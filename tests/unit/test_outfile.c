/*
 * Unit tests for client/outfile.c: a file written whole or not at all,
 * private whatever the umask, never through a link planted at a name.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "outfile.h"

struct dir {
	char	path[64];
	char	target[96];
};

static int
setup(void **state)
{
	struct dir	*d = calloc(1, sizeof(*d));

	snprintf(d->path, sizeof(d->path), "/tmp/gp-outfile-XXXXXX");
	assert_non_null(mkdtemp(d->path));
	snprintf(d->target, sizeof(d->target), "%s/out.csv", d->path);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct dir	*d = *state;
	struct dirent	*e;
	DIR		*dp;
	char		 p[384];

	assert_non_null(dp = opendir(d->path));
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", d->path, e->d_name);
		unlink(p);
	}
	closedir(dp);
	rmdir(d->path);
	free(d);
	return 0;
}

/* The names in d's directory, sorted, space-separated. */
static void
names(const struct dir *d, char *buf, size_t len)
{
	struct dirent	**v;
	int		  n, i;

	buf[0] = '\0';
	n = scandir(d->path, &v, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (v[i]->d_name[0] != '.') {
			if (buf[0] != '\0')
				strncat(buf, " ", len - strlen(buf) - 1);
			strncat(buf, v[i]->d_name, len - strlen(buf) - 1);
		}
		free(v[i]);
	}
	free(v);
}

static char *
slurp(const char *path)
{
	static char	buf[256];
	FILE		*f;
	size_t		 n;

	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_commit(void **state)
{
	struct dir	*d = *state;
	struct outfile	*o;
	struct stat	 sb;
	mode_t		 old;
	char		*cause = NULL, list[256];

	old = umask(0);
	o = outfile_open(d->target, &cause);
	umask(old);
	assert_non_null(o);
	assert_string_equal(outfile_path(o), d->target);
	fputs("unit,name\r\n", outfile_stream(o));
	/* Until the commit, only the temporary file is there. */
	assert_int_equal(access(d->target, F_OK), -1);
	names(d, list, sizeof(list));
	assert_int_equal(strncmp(list, "out.csv.tmp.", 12), 0);
	assert_int_equal(outfile_commit(o, &cause), 0);
	outfile_free(o);
	names(d, list, sizeof(list));
	assert_string_equal(list, "out.csv");
	assert_string_equal(slurp(d->target), "unit,name\r\n");
	assert_int_equal(stat(d->target, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void
test_abandoned(void **state)
{
	struct dir	*d = *state;
	struct outfile	*o;
	FILE		*f;
	char		*cause = NULL, list[256];

	/* An earlier file stays as it was when the new one is not
	 * committed, and nothing is left of the new one. */
	assert_non_null(f = fopen(d->target, "w"));
	fputs("old\n", f);
	fclose(f);
	assert_non_null(o = outfile_open(d->target, &cause));
	fputs("half of the new", outfile_stream(o));
	outfile_free(o);
	names(d, list, sizeof(list));
	assert_string_equal(list, "out.csv");
	assert_string_equal(slurp(d->target), "old\n");
}

/* Links planted at the old predictable name and at the target itself:
 * neither is written through. */
static void
test_links_not_followed(void **state)
{
	struct dir	*d = *state;
	struct outfile	*o;
	struct stat	 sb;
	FILE		*f;
	char		 victim[128], tmp[128], *cause = NULL;

	snprintf(victim, sizeof(victim), "%s/victim", d->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->target);
	assert_non_null(f = fopen(victim, "w"));
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(symlink(victim, d->target), 0);

	assert_non_null(o = outfile_open(d->target, &cause));
	fputs("new\n", outfile_stream(o));
	assert_int_equal(outfile_commit(o, &cause), 0);
	outfile_free(o);
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(lstat(d->target, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_string_equal(slurp(d->target), "new\n");
	assert_int_equal(lstat(tmp, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
}

/* What a library opens by outfile_name is the temporary file itself. */
static void
test_name_opens_it(void **state)
{
	struct dir	*d = *state;
	struct outfile	*o;
	FILE		*f;
	char		*cause = NULL;

	assert_non_null(o = outfile_open(d->target, &cause));
	assert_non_null(f = fopen(outfile_name(o), "wb"));
	fputs("PK\x03\x04", f);
	fclose(f);
	assert_int_equal(outfile_commit(o, &cause), 0);
	outfile_free(o);
	assert_string_equal(slurp(d->target), "PK\x03\x04");
}

static void
test_no_directory(void **state)
{
	struct dir	*d = *state;
	struct outfile	*o;
	char		 path[128], *cause = NULL;

	snprintf(path, sizeof(path), "%s/missing/out.csv", d->path);
	assert_null(o = outfile_open(path, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "/missing: No such file or directory"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandoned, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_links_not_followed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_name_opens_it, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_directory, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
