/*
 * The unit registry: an INI file with one section per unit code and the
 * keys name, type, valid_from, valid_to, contact, phone and email, and
 * the section [types] of the unit types (code = label; by default
 * today's three). The province edits it; gpd reads it at start and on
 * every reload.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "i18n.h"
#include "units.h"
#include "report.h"
#include "validate.h"

struct units_parse {
	struct units	*units;
	unsigned int	 seen;		/* keys of the last unit, by bit */
	char		 cause[256];
};

/* inih gives no sign of a section's start: a unit listed twice in a row
 * reads as one, and is found by a key given twice. */
static const char *const units_keys[] = {
	"name", "type", "valid_from", "valid_to", "contact", "phone", "email"
};

/* The types without a [types] section: those of 2022. */
static const struct {
	const char	*code;
	const char	*label;
} units_default_types[] = {
	{ "district_federation", "LĐLĐ huyện/thành phố" },
	{ "sector_union", "Công đoàn ngành" },
	{ "civil_servants_union", "Công đoàn Viên chức tỉnh" },
};

static int
units_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unit *)a)->code,
	    ((const struct unit *)b)->code);
}

static struct unit *
units_section(struct units_parse *up, const char *code)
{
	struct units	*u = up->units;
	struct unit	*v;

	if (u->n > 0 && strcmp(u->v[u->n - 1].code, code) == 0)
		return &u->v[u->n - 1];
	up->seen = 0;
	if (validate_unit_code(code) == -1) {
		snprintf(up->cause, sizeof(up->cause),
		    _("[%s]: a unit code is 1 to %d of a-z, 0-9 and '-'"),
		    code, REPORT_MAX_UNIT);
		return NULL;
	}
	if (u->n >= UNITS_MAX) {
		snprintf(up->cause, sizeof(up->cause), _("more than %d units"),
		    UNITS_MAX);
		return NULL;
	}
	if ((v = reallocarray(u->v, u->n + 1, sizeof(*u->v))) == NULL)
		return NULL;
	u->v = v;
	v = &u->v[u->n];
	memset(v, 0, sizeof(*v));
	v->valid_from = INT32_MIN;
	v->valid_to = INT32_MAX;
	if ((v->code = strdup(code)) == NULL)
		return NULL;
	u->n++;
	return v;
}

/* One line of [types]: code = label. */
static int
units_type(struct units_parse *up, const char *code, const char *label)
{
	struct units		*u = up->units;
	struct unit_type	*v;
	size_t			 i;

	if (validate_code(code) == -1) {
		snprintf(up->cause, sizeof(up->cause), _("[%s] %s: a type "
		    "code is 1 to %d of a-z, 0-9 and _"), UNITS_TYPES, code,
		    REPORT_MAX_CODE);
		return 0;
	}
	for (i = 0; i < u->ntypes; i++) {
		if (strcmp(u->types[i].code, code) == 0) {
			snprintf(up->cause, sizeof(up->cause),
			    _("[%s] %s given twice"), UNITS_TYPES, code);
			return 0;
		}
	}
	if (label[0] == '\0' || validate_text(label, strlen(label), 0) == -1 ||
	    strlen(label) > REPORT_MAX_SHORT) {
		snprintf(up->cause, sizeof(up->cause), _("[%s] %s: the label "
		    "is not a line of UTF-8 text of 1 to %d bytes"),
		    UNITS_TYPES, code, REPORT_MAX_SHORT);
		return 0;
	}
	if (u->ntypes == UNITS_MAX_TYPES) {
		snprintf(up->cause, sizeof(up->cause), _("[%s]: more than %d "
		    "types"), UNITS_TYPES, UNITS_MAX_TYPES);
		return 0;
	}
	if ((v = reallocarray(u->types, u->ntypes + 1,
	    sizeof(*u->types))) == NULL)
		return 0;
	u->types = v;
	v = &u->types[u->ntypes];
	if ((v->code = strdup(code)) == NULL)
		return 0;
	if ((v->label = strdup(label)) == NULL) {
		free(v->code);
		return 0;
	}
	u->ntypes++;
	return 1;
}

/* Today's three types, when the file has no [types]. */
static int
units_default(struct units *u)
{
	size_t	i, n = sizeof(units_default_types) /
		    sizeof(units_default_types[0]);

	if ((u->types = calloc(n, sizeof(*u->types))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		u->ntypes = i + 1;
		if ((u->types[i].code = strdup(units_default_types[i].code)) ==
		    NULL || (u->types[i].label =
		    strdup(units_default_types[i].label)) == NULL)
			return -1;
	}
	return 0;
}

/* The type of a unit, as the registry defines it; NULL for none. */
static const struct unit_type *
units_type_of(const struct units *u, const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < u->ntypes; i++)
		if (strcmp(u->types[i].code, code) == 0)
			return &u->types[i];
	return NULL;
}

static int
units_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct units_parse	*up = arg;
	struct unit		*v;
	size_t			 i;

	if (up->cause[0] != '\0')
		return 0;
	if (strcmp(section, UNITS_TYPES) == 0)
		return units_type(up, name, value);
	if ((v = units_section(up, section)) == NULL) {
		if (up->cause[0] == '\0')
			snprintf(up->cause, sizeof(up->cause), "%s",
			    _("out of memory"));
		return 0;
	}
	for (i = 0; i < sizeof(units_keys) / sizeof(*units_keys); i++) {
		if (strcmp(name, units_keys[i]) != 0)
			continue;
		if (up->seen & (1U << i)) {
			snprintf(up->cause, sizeof(up->cause),
			    _("[%s] %s given twice (is [%s] listed twice?)"),
			    section, name, section);
			return 0;
		}
		up->seen |= 1U << i;
	}
	if (strcmp(name, "name") == 0) {
		if (validate_text(value, strlen(value), 0) == -1 ||
		    strlen(value) > REPORT_MAX_SHORT) {
			snprintf(up->cause, sizeof(up->cause),
			    _("[%s] name: not a line of UTF-8 text of at most "
			    "%d bytes"), section, REPORT_MAX_SHORT);
			return 0;
		}
		free(v->name);
		if ((v->name = strdup(value)) == NULL)
			return 0;
	} else if (strcmp(name, "type") == 0) {
		/* Checked against the types once the file is read: [types]
		 * may come last. */
		if (validate_code(value) == -1) {
			snprintf(up->cause, sizeof(up->cause),
			    _("[%s] type: not a type code (a to z, 0 to 9 and "
			    "_)"), section);
			return 0;
		}
		if ((v->type = strdup(value)) == NULL)
			return 0;
	} else if (strcmp(name, "contact") == 0 ||
	    strcmp(name, "phone") == 0 || strcmp(name, "email") == 0) {
		if (validate_text(value, strlen(value), 0) == -1 ||
		    strlen(value) > REPORT_MAX_SHORT || value[0] == '\0' ||
		    (name[0] == 'e' && (strchr(value, '@') == NULL ||
		    strchr(value, ' ') != NULL))) {
			if (name[0] == 'e')
				snprintf(up->cause, sizeof(up->cause),
				    _("[%s] email: not an e-mail address of "
				    "at most %d bytes"), section,
				    REPORT_MAX_SHORT);
			else
				/* TRANSLATORS: the unit; contact or phone. */
				snprintf(up->cause, sizeof(up->cause), _("[%s] "
				    "%s: not a line of UTF-8 text of at most "
				    "%d bytes"), section, name,
				    REPORT_MAX_SHORT);
			return 0;
		}
		if ((*(name[0] == 'c' ? &v->contact : name[0] == 'p' ?
		    &v->phone : &v->email) = strdup(value)) == NULL)
			return 0;
	} else if (strcmp(name, "valid_from") == 0 ||
	    strcmp(name, "valid_to") == 0) {
		if (date_parse(value, name[6] == 'f' ? &v->valid_from :
		    &v->valid_to) == -1) {
			snprintf(up->cause, sizeof(up->cause),
			    _("[%s] %s = %s: not a date (YYYY-MM-DD)"),
			    section, name, value);
			return 0;
		}
	} else {
		snprintf(up->cause, sizeof(up->cause),
		    _("[%s]: unknown key '%s'"), section, name);
		return 0;
	}
	return 1;
}

/* "district_federation, sector_union", cut to len. */
static const char *
units_type_list(const struct units *u, char *buf, size_t len)
{
	size_t	i, used;

	buf[0] = '\0';
	for (i = 0; i < u->ntypes; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i > 0 ? ", " : "",
		    u->types[i].code);
	}
	return buf;
}

struct units *
units_load(const char *path, char **cause)
{
	struct units_parse	 up;
	const struct unit_type	*t;
	char			 list[512];
	size_t			 i;
	int			 line;

	*cause = NULL;
	memset(&up, 0, sizeof(up));
	if ((up.units = calloc(1, sizeof(*up.units))) == NULL)
		goto fail;
	line = ini_parse(path, units_handler, &up);
	if (line == -1) {
		if (asprintf(cause, _("cannot read the unit registry %s: %s; "
		    "check 'units' in [server] of gpd.conf"), path,
		    strerror(errno)) == -1)
			*cause = NULL;
		goto fail;
	}
	if (line != 0) {
		if (asprintf(cause, "%s:%d: %s", path, line,
		    up.cause[0] != '\0' ? up.cause :
		    _("not a 'key = value' line")) == -1)
			*cause = NULL;
		goto fail;
	}
	if (up.units->n == 0) {
		if (asprintf(cause, _("%s: no units"), path) == -1)
			*cause = NULL;
		goto fail;
	}
	if (up.units->ntypes == 0 && units_default(up.units) == -1)
		goto fail;
	/* Sorted once so that look-ups are a binary search. */
	qsort(up.units->v, up.units->n, sizeof(*up.units->v), units_cmp);
	for (i = 0; i < up.units->n; i++) {
		if (i > 0 && strcmp(up.units->v[i - 1].code,
		    up.units->v[i].code) == 0) {
			if (asprintf(cause, _("%s: [%s] is listed twice"), path,
			    up.units->v[i].code) == -1)
				*cause = NULL;
			goto fail;
		}
		if (up.units->v[i].name == NULL || up.units->v[i].type == NULL) {
			if (asprintf(cause, _("%s: [%s] needs name and type"),
			    path, up.units->v[i].code) == -1)
				*cause = NULL;
			goto fail;
		}
		if ((t = units_type_of(up.units, up.units->v[i].type)) ==
		    NULL) {
			/* TRANSLATORS: the file, the unit, its type; the
			 * section [types]; its codes, such as
			 * "district_federation, sector_union". */
			if (asprintf(cause, _("%s: [%s] type = %s: not one of "
			    "the types of [%s] (%s)"), path,
			    up.units->v[i].code, up.units->v[i].type,
			    UNITS_TYPES,
			    units_type_list(up.units, list, sizeof(list))) ==
			    -1)
				*cause = NULL;
			goto fail;
		}
		up.units->v[i].type_label = t->label;
		if (up.units->v[i].valid_from > up.units->v[i].valid_to) {
			if (asprintf(cause, _("%s: [%s] valid_from is after "
			    "valid_to"), path, up.units->v[i].code) == -1)
				*cause = NULL;
			goto fail;
		}
	}
	if (up.units->n == 0) {
		if (asprintf(cause, _("%s: no units"), path) == -1)
			*cause = NULL;
		goto fail;
	}
	return up.units;
fail:
	if (*cause == NULL)
		*cause = strdup(_("out of memory"));
	units_free(up.units);
	return NULL;
}

void
units_free(struct units *u)
{
	size_t	i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->v[i].code);
		free(u->v[i].name);
		free(u->v[i].type);
		free(u->v[i].contact);
		free(u->v[i].phone);
		free(u->v[i].email);
	}
	free(u->v);
	for (i = 0; i < u->ntypes; i++) {
		free(u->types[i].code);
		free(u->types[i].label);
	}
	free(u->types);
	free(u);
}

const struct unit *
units_find(const struct units *u, const char *code)
{
	struct unit	key;

	memset(&key, 0, sizeof(key));
	key.code = (char *)(uintptr_t)code;
	return bsearch(&key, u->v, u->n, sizeof(*u->v), units_cmp);
}

int
units_lookup(void *arg, const char *code, int32_t *valid_from,
    int32_t *valid_to)
{
	const struct unit	*v;

	if ((v = units_find(arg, code)) == NULL)
		return -1;
	*valid_from = v->valid_from;
	*valid_to = v->valid_to;
	return 0;
}
