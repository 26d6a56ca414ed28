/*
 * The activity report shared by gpd and gp-client: the in-memory model,
 * the error list every check writes to, and the mapping to and from the
 * wire message.
 *
 * What a report may say (areas, kinds, indicators, narrative texts...) is
 * the form of its year (form.h): here they are codes, strings the model
 * holds without knowing their meaning; validate.h checks them against the
 * form.
 */
#ifndef GP_REPORT_H
#define GP_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Bounds a peer can reach. */
#define REPORT_MAX_ACTIVITIES	1000
#define REPORT_MAX_INDICATORS	64
#define REPORT_MAX_OUTPUTS	64	/* output counts of one activity */
#define REPORT_MAX_TEXTS	64	/* narrative texts, a section's fields */
#define REPORT_MAX_SECTIONS	64
#define REPORT_MAX_ID		36	/* a UUID */
#define REPORT_MAX_UNIT		64
#define REPORT_MAX_PERIOD	7	/* 2022-H1 */
#define REPORT_MAX_CODE		40	/* a code of the form */
#define REPORT_MAX_SHORT	200	/* names, positions, phone, location */
#define REPORT_MAX_TITLE	500
#define REPORT_MAX_NOTES	2000
#define REPORT_MAX_NARRATIVE	20000	/* bytes per narrative text */
#define REPORT_MAX_COUNT	10000000ULL	/* any participant or indicator count */
#define REPORT_MAX_SESSIONS	10000ULL

/* The narrative text with a field of its own on the wire. */
#define REPORT_RESULTS		"results"

/*
 * All text is NUL-terminated UTF-8 owned by the report; NULL means absent.
 * Codes are text too: checked against the form by validate.h, not here.
 * Counts are uint64_t so that a wire value too large is seen and refused
 * rather than truncated.
 */
struct report_count {
	char		*code;
	uint64_t	 count;
};

struct report_text {
	char		*code;
	char		*text;
};

struct report_section {
	char			*code;
	struct report_text	*fields;
	size_t			 nfields;
};

struct report_activity {
	char			*area;
	char			*kind;
	char			*occasion;
	char			*status;
	char			*audience;	/* optional */
	char			*topic;		/* optional */
	char			*date;		/* YYYY-MM-DD */
	char			*end_date;	/* optional */
	char			*title;
	char			*location;
	uint64_t		 sessions;
	uint64_t		 participants;
	uint64_t		 female;
	struct report_count	*outputs;	/* media kinds only */
	size_t			 noutputs;
	char			*notes;		/* optional */
	/* A JSON report may give the area by its place in the form's list,
	 * from 1 (report_json.h resolves it): 0 when it gave a code. */
	uint32_t		 area_number;
};

struct report_indicator_value {
	char		*code;
	uint64_t	 total;
	uint64_t	 female;
	int		 has_female;	/* a women's figure was given */
};

struct report {
	char				*id;
	char				*unit;
	char				*period;
	char				*reporter_name;
	char				*reporter_position;
	char				*reporter_phone;
	char				*plan_number;	/* the unit's own plan */
	char				*plan_date;
	struct report_activity		*activities;
	size_t				 nactivities;
	struct report_indicator_value	*indicators;
	size_t				 nindicators;
	struct report_text		*narrative;
	size_t				 nnarrative;
	struct report_section		*sections;
	size_t				 nsections;
};

/*
 * Errors and warnings, each naming its field ("activities[2].female").
 * A message holds the longest sentence of validate.c and warning.c in
 * every language with the longest arguments it may name: Vietnamese
 * takes up to 3 bytes a letter (232 bytes for the longest sentence alone,
 * po/vi.po), and a sentence naming a form's label (FORM_MAX_LABEL bytes)
 * with dates and counts reaches some 460 (tests/unit/test_warning.c
 * says each at its longest). What is longer still, a list of labels, is
 * cut at a whole character. struct report_errors is then some 90 KB:
 * keep it off the stack.
 */
#define REPORT_ERRORS_MAX	100
#define REPORT_FIELD_MAX	64
#define REPORT_MESSAGE_MAX	512

/* A warning's arguments (warning.h), each NUL-terminated, one after the
 * other. */
#define REPORT_ARGS_MAX		320

struct report_error {
	char	field[REPORT_FIELD_MAX];
	char	message[REPORT_MESSAGE_MAX];
	/* A warning that can be said again in another language: its code
	 * (enum warning_code) and arguments; 0 for an error, or a warning
	 * that is only its message. */
	int	code;
	size_t	nargs;
	char	args[REPORT_ARGS_MAX];
};

struct report_errors {
	size_t			n;
	size_t			dropped;	/* errors beyond REPORT_ERRORS_MAX */
	struct report_error	e[REPORT_ERRORS_MAX];
};

struct report	*report_new(void);
void		 report_free(struct report *);

/* Adds one error; fmt describes the problem, field names where. */
void	 report_errors_add(struct report_errors *, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	 report_errors_clear(struct report_errors *);

/*
 * Canonical bytes: the packed wire Report. Equal reports give equal bytes,
 * so these are what is hashed, stored and compared for duplicates.
 * Returns 0, or -1 on allocation failure. *buf is malloc'd.
 */
int	 report_pack(const struct report *, uint8_t **buf, size_t *len);

/*
 * Decodes canonical bytes: a packed wire Report, or a report packed
 * before report forms (below), which *legacy (when not NULL) tells. Text
 * is read byte for byte; text fields carrying a NUL byte are refused here
 * by field name (the C model cannot hold them). Returns 0 with *out set,
 * or -1 with errs filled (or only errstr set when the bytes are not a
 * report at all).
 */
int	 report_unpack(const uint8_t *, size_t, struct report **out,
	    int *legacy, struct report_errors *errs, const char **errstr);

/* SHA-256 of the canonical bytes. Returns 0 or -1. */
int	 report_hash(const struct report *, uint8_t out[32]);

/* SHA-256 of len bytes already packed: report_hash without packing
 * again. Returns 0 or -1. */
int	 report_digest(const uint8_t *, size_t len, uint8_t out[32]);

/*
 * Every text field in NFC (text.h), before the report is packed, hashed
 * or given its derived id: the same words typed with precomposed or
 * decomposed marks are then one report. Returns 0, or -1 when out of
 * memory (fields already done stay done).
 */
int	 report_normalize(struct report *);

/*
 * Derives a submission id from the report's content (the id field left
 * out): a UUID (version 8, RFC 9562) from the SHA-256 of the canonical
 * bytes, or of the bytes gp/1 before report forms packed when that
 * encoding can hold the report (report_legacy_pack), so that a file sent
 * then keeps its id. The same content always gives the same id. Returns
 * 0 or -1.
 */
int	 report_derive_id(struct report *);

/*
 * The id of a report stored again as a new revision over revision
 * supersedes (gp-client submit --as-new): a UUID (version 8) from the
 * SHA-256 of "gp-as-new-v1", the SHA-256 of the report's canonical bytes
 * without an id, and the revision, NUL between them. The same report over
 * the same revision always gets the same id: sent again after a lost
 * receipt it is a duplicate of the revision it made, not another one.
 * Replaces r->id. Returns 0 or -1.
 */
int	 report_as_new_id(struct report *r, uint32_t supersedes);

/*
 * gp/1 before report forms (legacy.c) packed a report as a LegacyReport
 * (gp.proto): areas, kinds, occasions, statuses and indicators as numbers
 * of the 2022 model, the narrative and the law review as fields of their
 * own. Revisions stored then, reports still waiting in an outbox and kept
 * receipts hold such bytes, and receipts signed then cover them.
 */

/* The code of a number of the 2022 model in a list (form.h: FORM_AREAS,
 * _KINDS, _OCCASIONS, _STATUSES, _INDICATORS; FORM_NARRATIVE from 0),
 * or NULL. */
const char	*report_legacy_code(int list, uint32_t number);

/* Decodes bytes packed before report forms into the model (numbers
 * become the 2022 codes, the law review the section "law_review"), text
 * byte for byte. As report_unpack. */
int	 report_legacy_unpack(const uint8_t *, size_t, struct report **out,
	    struct report_errors *errs, const char **errstr);

/*
 * Packs r as gp-client did before report forms: returns 1 with *buf
 * (malloc'd), 0 when r holds what that encoding cannot (a code of no
 * 2022 table, an audience, output counts, a plan, another section), or
 * -1 when out of memory. A report decoded by report_legacy_unpack packs
 * to the very bytes it came from.
 */
int	 report_legacy_pack(const struct report *, uint8_t **buf,
	    size_t *len);

/* A copy of s by malloc (strdup's allocation is libc's own, which the
 * allocation-failure tests cannot reach), or NULL. */
char	*report_strdup(const char *s);

/* Hex of a byte string into out (2*len+1 bytes). */
void	 report_hex(const uint8_t *, size_t len, char *out);

#endif
