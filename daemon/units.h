/*
 * The unit registry (units.c): an INI file with one section per unit
 * code, and a [types] section of the unit types (code = Vietnamese
 * label), read at start and on every reload.
 */
#ifndef GPD_UNITS_H
#define GPD_UNITS_H

#include <stddef.h>
#include <stdint.h>

struct unit_type {
	char		*code;		/* [a-z0-9_], as reports' codes */
	char		*label;
};

struct unit {
	char		*code;
	char		*name;
	char		*type;		/* a code of the registry's types */
	const char	*type_label;	/* the registry's, for that code */
	char		*contact;	/* the person to call, or NULL */
	char		*phone;		/* or NULL */
	char		*email;		/* or NULL */
	int32_t		 valid_from;	/* INT32_MIN: open */
	int32_t		 valid_to;	/* INT32_MAX: open */
};

struct units {
	struct unit	 *v;		/* sorted by code */
	size_t		  n;
	struct unit_type *types;	/* [types], or today's three */
	size_t		  ntypes;
};

#define UNITS_MAX	100000
#define UNITS_MAX_TYPES	64
/* The section of the types, which no unit may be named. */
#define UNITS_TYPES	"types"

/* NULL with *cause (malloc'd, never NULL) when the file is refused. */
struct units		*units_load(const char *path, char **cause);
void			 units_free(struct units *);
const struct unit	*units_find(const struct units *, const char *code);
/* validate_unit_fn over a struct units. */
int			 units_lookup(void *units, const char *code,
			    int32_t *valid_from, int32_t *valid_to);

#endif
