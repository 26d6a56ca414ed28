/*
 * The unit registry (units.c): an INI file with one section per unit
 * code, read at start and on every reload.
 */
#ifndef GPD_UNITS_H
#define GPD_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum unit_type {
	UNIT_DISTRICT_FEDERATION = 1,
	UNIT_SECTOR_UNION,
	UNIT_CIVIL_SERVANTS_UNION
};

struct unit {
	char		*code;
	char		*name;
	int		 type;		/* enum unit_type */
	int32_t		 valid_from;	/* INT32_MIN: open */
	int32_t		 valid_to;	/* INT32_MAX: open */
};

struct units {
	struct unit	*v;		/* sorted by code */
	size_t		 n;
};

#define UNITS_MAX	100000

/* NULL with *cause (malloc'd, never NULL) when the file is refused. */
struct units		*units_load(const char *path, char **cause);
void			 units_free(struct units *);
const struct unit	*units_find(const struct units *, const char *code);
/* validate_unit_fn over a struct units. */
int			 units_lookup(void *units, const char *code,
			    int32_t *valid_from, int32_t *valid_to);

#endif
