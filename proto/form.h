/*
 * The report form of one year as data (issue 14, gp-forms(5)): its
 * periods and deadlines, the codes a report may use (areas, kinds,
 * occasions, statuses, audiences, topics, media outputs, indicators,
 * narrative texts, sections and their fields) with their Vietnamese
 * labels and the rules that hang on them; and the set of forms, one per
 * year, that gpd serves: a directory of *.json files over the built-in
 * 2022 form (etc/forms/2022.json, assembled into the binaries).
 *
 * A form is read once, checked completely, and then only read: every
 * function taking a const form may be called from any thread. All
 * strings belong to the form and live as long as it does.
 *
 * Errors a person fixes are returned as char **cause (malloc'd, one line
 * per problem, each "NAME: KEY PATH: what is wrong"); the caller frees it.
 */
#ifndef GP_FORM_H
#define GP_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"

#define FORM_FORMAT		1	/* the "format" this code reads */
#define FORM_MAX_BYTES		(256 * 1024)	/* one form file */
#define FORM_MAX_ENTRIES	64	/* entries of any one list */
#define FORM_MAX_CODE		40
#define FORM_MAX_LABEL		300	/* bytes of a label, a hint */
#define FORM_MAX_TITLE		500	/* bytes of the title */
#define FORM_MAX_FILES		50	/* form files in a directory */
#define FORM_YEAR_MIN		2000
#define FORM_YEAR_MAX		2100
#define FORM_SLACK_DEFAULT	30	/* days around an occasion */
#define FORM_SLACK_MAX		183
#define FORM_ERRORS_MAX		20	/* problems in one cause */
#define FORM_SHA256_LEN		32

/* The lists of a form, in the order of gp-forms(5). */
enum form_list {
	FORM_AREAS = 0,
	FORM_KINDS,
	FORM_OCCASIONS,
	FORM_STATUSES,
	FORM_AUDIENCES,
	FORM_TOPICS,
	FORM_OUTPUTS,
	FORM_INDICATORS,
	FORM_NARRATIVE,
	FORM_SECTIONS,
	FORM_LIST_COUNT,
	/* Not lists of entries: what a change (below) may also be about. */
	FORM_PERIODS = FORM_LIST_COUNT,	/* code "H1" or "annual" */
	FORM_WHOLE			/* the form of a year; code "" */
};

/* The bit of a period kind (enum period_kind) in form_entry.periods. */
#define FORM_PERIOD_BIT(kind)	(1u << (kind))

/*
 * One entry of a list. Every entry has a code (unique in its list) and a
 * label; the other members mean something only in the lists named.
 */
struct form_entry {
	const char		*code;
	const char		*label;
	size_t			 index;	/* in its list, from 0 */

	/* narrative, sections, section fields; hint is the template's
	 * guide text of a narrative text or a field, or NULL */
	int			 required;
	const char		*hint;

	/* kinds: may give output counts instead of participants */
	int			 media;

	/* indicators: with a women's column; total bounded by another's */
	int			 female_share;
	const struct form_entry	*not_more_than;

	/* occasions: days from_month/from_day to to_month/to_day of every
	 * year (to before from: across the new year), or no window; an
	 * activity further than slack days before or after is far */
	int			 has_window;
	int			 from_month, from_day;
	int			 to_month, to_day;
	int			 slack_before, slack_after;

	/* sections: FORM_PERIOD_BIT()s of the reports it may be in */
	unsigned		 periods;
	const struct form_entry	*fields;
	size_t			 nfields;
};

/*
 * A report period of the form's year, dates as day numbers (period.h):
 * coverage from..to, due the last day on time, planned activities may
 * run to planned_until; a report should have an activity of one of the
 * expect occasions.
 */
struct form_period {
	int			  kind;	/* enum period_kind */
	const char		 *label;
	int32_t			  from, to;
	int32_t			  due;
	int32_t			  planned_until;
	const struct form_entry	**expect;
	size_t			  nexpect;
};

struct form;
struct form_set;

/*
 * Reads and checks a form: len bytes at buf (at most FORM_MAX_BYTES),
 * name (a file name or path) starting every line of *cause. Every
 * problem is found, not only the first. Returns 0 with *out set, or -1
 * with *cause (NULL only when out of memory).
 */
int	 form_parse(const char *name, const void *buf, size_t len,
	    struct form **out, char **cause);

/* Reads a regular file of at most FORM_MAX_BYTES, then as form_parse. */
int	 form_load_file(const char *path, struct form **out, char **cause);

/* The built-in form (etc/forms/2022.json as built), parsed, and its
 * bytes as the file has them. */
int	 form_builtin(struct form **out, char **cause);
const char *form_builtin_json(size_t *len);

void	 form_free(struct form *);

int		 form_year(const struct form *);
const char	*form_title(const struct form *);
/* The name it was read under ("/etc/gpd/forms/2023.json"). */
const char	*form_name(const struct form *);

/*
 * Canonical bytes: the checked document as compact JSON with sorted keys,
 * whatever the file's whitespace and key order. They are what gpd serves
 * and what both sides hash; parsed again they give the same bytes. Made
 * when first asked for (safely from any thread): NULL, with *len 0, and
 * the SHA-256 NULL and "" only when memory runs out then.
 */
const char	*form_canonical(const struct form *, size_t *len);
/* SHA-256 of the canonical bytes; as 64 lower-case hex digits. */
const uint8_t	*form_sha256(const struct form *);
const char	*form_sha256_hex(const struct form *);

/* The key of a list in the file ("areas"), "periods" or "form". */
const char	*form_list_name(int list);

/* Entries of a list in the file's order; at() is NULL past the end. */
size_t		 form_count(const struct form *, enum form_list);
const struct form_entry *form_at(const struct form *, enum form_list,
		    size_t);
/* The entry of a code, or NULL. */
const struct form_entry *form_find(const struct form *, enum form_list,
		    const char *code);
/* A section's field by code, or NULL. */
const struct form_entry *form_field(const struct form_entry *section,
		    const char *code);
/* The label of a code, or NULL when the list has no such code. */
const char	*form_label(const struct form *, enum form_list,
		    const char *code);

/* The period of a kind (enum period_kind), or NULL for another value. */
const struct form_period *form_period(const struct form *, int kind);

/* 1 when a section may appear in reports of a period kind. */
int	 form_section_in(const struct form_entry *section, int kind);

/*
 * Whether an activity from start to end (day numbers, start <= end) lies
 * further from an occasion's window, in the nearest year, than the
 * occasion's slack allows: 1 with *days the distance to the window, or 0
 * (also for an occasion without a window).
 */
int	 form_occasion_far(const struct form_entry *occasion, int32_t start,
	    int32_t end, int32_t *days);

/*
 * What a reload would change for stored reports (gp-forms(5), "Reload"):
 * a code removed, or one whose meaning changes. Labels, hints, titles,
 * due dates, slack and which fields are required may change freely.
 */
enum form_change_kind {
	FORM_REMOVED = 1,
	FORM_CHANGED
};

#define FORM_CHANGE_CODE	(2 * FORM_MAX_CODE + 2)
#define FORM_CHANGE_WHAT	160

/*
 * list: enum form_list, FORM_PERIODS or FORM_WHOLE; code: a section's
 * field is "law_review.results"; what: "female_share from true to false".
 */
struct form_change {
	int	 kind;		/* enum form_change_kind */
	int	 year;
	int	 list;
	char	 code[FORM_CHANGE_CODE];
	char	 what[FORM_CHANGE_WHAT];
};

/*
 * Compares two forms of one year. Returns 0 with *out (malloc'd, free()
 * it; NULL when *n is 0) and *n, or -1 when the years differ or memory
 * runs out.
 */
int	 form_compare(const struct form *old, const struct form *new,
	    struct form_change **out, size_t *n);

/*
 * Loads a directory's forms over the built-in one: every *.json that does
 * not start with '.', at most FORM_MAX_FILES, each a regular file; one
 * per year (a file named YYYY.json must hold that year); a file replaces
 * the built-in form of its year. dir NULL or a directory that does not
 * exist gives the built-in set. Every file is checked and every problem
 * reported. Returns 0 with *out, or -1 with *cause.
 */
int	 form_set_load(const char *dir, struct form_set **out, char **cause);
void	 form_set_free(struct form_set *);

/* Puts f (owned by the set from now on) in the place of the form of its
 * year, or beside the others: gp-client's forms fetched from gpd over
 * the built-in one. Returns 0, or -1 (f not taken) when the set holds
 * FORM_MAX_FILES + 1 forms already. */
int	 form_set_put(struct form_set *, struct form *f);

/* Forms by year, ascending. */
size_t		 form_set_count(const struct form_set *);
const struct form *form_set_at(const struct form_set *, size_t);
const struct form *form_set_year(const struct form_set *, int year);
/* "2022, 2023" into buf (cut to len); returns buf. */
const char	*form_set_years(const struct form_set *, char *buf,
		    size_t len);

/*
 * The form and dates of a period id ("2023-H1", "2023"). Returns 0 with
 * *form and *p (limit = planned_until), or -1 with *cause: not a period
 * id, or "no form for 2031; the forms known are 2022, 2023".
 */
int	 form_set_period(const struct form_set *, const char *id,
	    const struct form **form, struct period *p, char **cause);

/* The changes of every year from old to new: form_compare for the years
 * both hold, a FORM_WHOLE removal for a year new lacks. */
int	 form_set_compare(const struct form_set *old,
	    const struct form_set *new, struct form_change **out, size_t *n);

#endif
