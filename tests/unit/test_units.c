/*
 * The unit registry as units_load reads it (daemon/units.c): sorted,
 * found by code, each unit checked, and a cause naming what is wrong.
 */
#include <sys/mman.h>

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

#include "period.h"
#include "units.h"

static const char *
unitsfile(const char *text)
{
	static char	path[64];
	static int	fd = -1;

	if (fd == -1) {
		assert_int_not_equal(fd = memfd_create("test_units", 0), -1);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	assert_int_equal(ftruncate(fd, 0), 0);
	if (*text != '\0')
		assert_int_equal(pwrite(fd, text, strlen(text), 0),
		    (ssize_t)strlen(text));
	return path;
}

static void
refused(const char *text, const char *want)
{
	struct units	*u;
	char		*cause = NULL;

	if ((u = units_load(unitsfile(text), &cause)) != NULL) {
		units_free(u);
		fail_msg("accepted: %s", text);
	}
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" does not say \"%s\"", cause, want);
	free(cause);
}

static void
test_sorted_and_found(void **state)
{
	struct units		*u;
	const struct unit	*v;
	char			*cause = NULL;
	int32_t			 from, to, day;

	(void)state;
	assert_non_null(u = units_load(unitsfile(
	    "[lc-tamduong]\nname = LĐLĐ huyện Tam Đường\n"
	    "type = district_federation\n\n"
	    "[lc-nganh-giaoduc]\nname = Công đoàn ngành Giáo dục\n"
	    "type = sector_union\nvalid_from = 2023-01-01\n\n"
	    "[lc-cdvc]\nname = Công đoàn Viên chức tỉnh\n"
	    "type = civil_servants_union\nvalid_to = 2021-12-31\n"), &cause));
	assert_null(cause);
	assert_int_equal(u->n, 3);
	assert_string_equal(u->v[0].code, "lc-cdvc");
	assert_string_equal(u->v[1].code, "lc-nganh-giaoduc");
	assert_string_equal(u->v[2].code, "lc-tamduong");
	assert_non_null(v = units_find(u, "lc-nganh-giaoduc"));
	assert_string_equal(v->type, "sector_union");
	assert_string_equal(v->type_label, "Công đoàn ngành");
	assert_null(v->contact);
	/* Without [types], today's three. */
	assert_int_equal(u->ntypes, 3);
	assert_string_equal(v->name, "Công đoàn ngành Giáo dục");
	assert_int_equal(date_parse("2023-01-01", &day), 0);
	assert_int_equal(v->valid_from, day);
	assert_int_equal(v->valid_to, INT32_MAX);
	assert_null(units_find(u, "lc-sinho"));
	assert_int_equal(units_lookup(u, "lc-cdvc", &from, &to), 0);
	assert_int_equal(from, INT32_MIN);
	assert_int_equal(date_parse("2021-12-31", &day), 0);
	assert_int_equal(to, day);
	assert_int_equal(units_lookup(u, "lc-sinho", &from, &to), -1);
	units_free(u);
	units_free(NULL);
}

/* [types] and the contacts administrators call. */
static void
test_types_contacts(void **state)
{
	struct units		*u;
	const struct unit	*v;
	char			*cause = NULL;

	(void)state;
	/* [types] after the units that use it. */
	assert_non_null(u = units_load(unitsfile(
	    "[lc-tamduong]\nname = LĐLĐ huyện Tam Đường\n"
	    "type = ward_union\ncontact = Lò Thị Hương\n"
	    "phone = 0213 3875 214\nemail = nucong@example.vn\n\n"
	    "[types]\nward_union = Công đoàn phường, xã\n"
	    "sector_union = Công đoàn ngành\n"), &cause));
	assert_null(cause);
	assert_int_equal(u->ntypes, 2);
	assert_non_null(v = units_find(u, "lc-tamduong"));
	assert_string_equal(v->type, "ward_union");
	assert_string_equal(v->type_label, "Công đoàn phường, xã");
	assert_string_equal(v->contact, "Lò Thị Hương");
	assert_string_equal(v->phone, "0213 3875 214");
	assert_string_equal(v->email, "nucong@example.vn");
	assert_null(units_find(u, "types"));
	units_free(u);
}

static void
test_refusals(void **state)
{
	(void)state;
	refused("", "no units");
	refused("[lc-a]\nname = A\ntype = district_federation\n"
	    "[lc-a]\nname = B\ntype = sector_union\n", "[lc-a] name given twice");
	refused("[lc-a]\nname = A\ntype = district_federation\n"
	    "[lc-b]\nname = B\ntype = sector_union\n"
	    "[lc-a]\nname = C\ntype = sector_union\n", "[lc-a] is listed twice");
	refused("[LC-A]\nname = A\ntype = sector_union\n", "[LC-A]: a unit code");
	refused("[lc-a]\nname = A\ntype = union\n", "[lc-a] type = union: not "
	    "one of the types of [types] (district_federation, sector_union, "
	    "civil_servants_union)");
	refused("[lc-a]\nname = A\ntype = Union\n", "[lc-a] type: not a type "
	    "code");
	/* With [types], only those. */
	refused("[types]\nward_union = Công đoàn phường\n[lc-a]\nname = A\n"
	    "type = sector_union\n", "type = sector_union: not one of the "
	    "types of [types] (ward_union)");
	refused("[types]\nward union = X\n[lc-a]\nname = A\ntype = x\n",
	    "[types] ward union: a type code");
	refused("[types]\nx = X\nx = Y\n[lc-a]\nname = A\ntype = x\n",
	    "[types] x given twice");
	refused("[lc-a]\nname = A\ntype = sector_union\nemail = a b@c\n",
	    "[lc-a] email: not an e-mail address");
	refused("[lc-a]\nname = A\n", "[lc-a] needs name and type");
	refused("[lc-a]\nname = A\ntype = sector_union\n"
	    "valid_from = 2023-01-01\nvalid_to = 2022-12-31\n",
	    "valid_from is after valid_to");
	refused("[lc-a]\nname = A\ntype = sector_union\nvalid_to = 2023-02-30\n",
	    "not a date");
	refused("[lc-a]\nname = A\ntype = sector_union\ncolour = red\n",
	    "unknown key 'colour'");
	refused("[lc-a]\nname = A\x01" "B\ntype = sector_union\n",
	    "[lc-a] name");
}

/* Issue 16: "cannot open the unit registry" said no reason. */
static void
test_missing_registry_says_why(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_null(units_load("/nonexistent/units.conf", &cause));
	assert_non_null(cause);
	if (strstr(cause, "/nonexistent/units.conf") == NULL ||
	    strstr(cause, "No such file or directory") == NULL ||
	    strstr(cause, "'units'") == NULL)
		fail_msg("cause \"%s\"", cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_found),
		cmocka_unit_test(test_types_contacts),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_missing_registry_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
