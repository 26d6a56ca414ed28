/*
 * fuzz_units: the unit registry as units_load reads it (the bytes are the
 * file, as in fuzz_config). A registry that loads holds at least one
 * unit, sorted by code without duplicates, each with a well-formed code,
 * a one-line UTF-8 name, a known type and an ordered validity, and every
 * unit is found by its code.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "units.h"
#include "report.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char	path[64];
	static int	fd = -1;

	if (fd == -1) {
		CHECK((fd = memfd_create("fuzz_units", 0)) != -1);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
	return path;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct units		*u;
	const struct unit	*v;
	char			*cause = NULL;
	int32_t			 from, to;
	size_t			 i;

	if ((u = units_load(fuzz_file(data, size), &cause)) == NULL) {
		CHECK(cause != NULL && cause[0] != '\0');
		free(cause);
		return 0;
	}
	CHECK(cause == NULL);
	CHECK(u->n >= 1 && u->n <= UNITS_MAX && u->v != NULL);
	for (i = 0; i < u->n; i++) {
		v = &u->v[i];
		CHECK(validate_unit_code(v->code) == 0);
		CHECK(i == 0 || strcmp(u->v[i - 1].code, v->code) < 0);
		CHECK(v->name != NULL && strlen(v->name) <= REPORT_MAX_SHORT);
		CHECK(validate_text(v->name, strlen(v->name), 0) == 0);
		CHECK(v->type != NULL && v->type_label != NULL);
		CHECK(validate_code(v->type) == 0);
		CHECK(v->valid_from <= v->valid_to);
		CHECK(units_find(u, v->code) == v);
		CHECK(units_lookup(u, v->code, &from, &to) == 0);
		CHECK(from == v->valid_from && to == v->valid_to);
	}
	CHECK(units_find(u, "") == NULL);
	CHECK(units_lookup(u, "-not-a-unit-", &from, &to) == -1 ||
	    units_find(u, "-not-a-unit-") != NULL);
	units_free(u);
	return 0;
}
