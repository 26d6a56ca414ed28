/*
 * The activity report shared by gpd and gp-client: the in-memory model,
 * its enums with English identifiers and Vietnamese labels, the error list
 * every check writes to, and the mapping to and from the wire message.
 *
 * Numbers of the enums are part of the wire protocol: never renumber.
 */
#ifndef GP_REPORT_H
#define GP_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Bounds a peer can reach. */
#define REPORT_MAX_ACTIVITIES	1000
#define REPORT_MAX_INDICATORS	32
#define REPORT_MAX_ID		36	/* a UUID */
#define REPORT_MAX_UNIT		64
#define REPORT_MAX_PERIOD	7	/* 2022-H1 */
#define REPORT_MAX_SHORT	200	/* names, positions, phone, location */
#define REPORT_MAX_TITLE	500
#define REPORT_MAX_NOTES	2000
#define REPORT_MAX_NARRATIVE	20000	/* bytes per narrative text */
#define REPORT_MAX_COUNT	10000000ULL	/* any participant or indicator count */
#define REPORT_MAX_SESSIONS	10000ULL

enum report_area {
	AREA_UNSET = 0,
	AREA_POLICY_DISSEMINATION,
	AREA_STRATEGY_IMPLEMENTATION,
	AREA_COMMUNICATION_TRAINING,
	AREA_GENDER_LAW_REVIEW,
	AREA_FEMALE_CADRES,
	AREA_INSPECTION,
	AREA_COUNT
};

enum report_kind {
	KIND_UNSET = 0,
	KIND_PROPAGANDA,
	KIND_CONFERENCE,
	KIND_SEMINAR,
	KIND_FORUM,
	KIND_EXCHANGE,
	KIND_TALK,
	KIND_TRAINING,
	KIND_CONTEST,
	KIND_CULTURAL,
	KIND_MEDIA,
	KIND_REVIEW,
	KIND_INSPECTION,
	KIND_SUPPORT,
	KIND_OTHER,
	KIND_COUNT
};

enum report_occasion {
	OCCASION_UNSET = 0,
	OCCASION_NONE,
	OCCASION_WOMENS_DAY,
	OCCASION_FAMILY_DAY,
	OCCASION_VN_WOMENS_DAY,
	OCCASION_ACTION_MONTH,
	OCCASION_COUNT
};

enum report_status {
	STATUS_UNSET = 0,
	STATUS_DONE,
	STATUS_PLANNED,
	STATUS_COUNT
};

enum report_indicator {
	IND_UNSET = 0,
	IND_MEMBERS,
	IND_EXEC_COMMITTEE,
	IND_CADRES_IN_PLANNING,
	IND_CADRES_TRAINED,
	IND_CADRES_APPOINTED,
	IND_GVNDN_REGISTERED,
	IND_GVNDN_ACHIEVED,
	IND_GBV_CASES_DETECTED,
	IND_GBV_CASES_HANDLED,
	IND_INSPECTIONS,
	IND_COUNT
};

/* Narrative texts; the law review (area 4) uses the first five. */
enum report_text {
	TEXT_RESULTS = 0,
	TEXT_ADVANTAGES,
	TEXT_DIFFICULTIES,
	TEXT_OBSTACLES,
	TEXT_PROPOSALS,
	TEXT_NEXT_TASKS,
	TEXT_COUNT
};
#define LAW_REVIEW_COUNT	TEXT_NEXT_TASKS

/* id: JSON and CSV identifier; label: what users see. Indexed by enum value;
 * entry 0 (unset) has NULL id. */
struct report_label {
	const char	*id;
	const char	*label;
};

extern const struct report_label report_areas[AREA_COUNT];
extern const struct report_label report_kinds[KIND_COUNT];
extern const struct report_label report_occasions[OCCASION_COUNT];
extern const struct report_label report_statuses[STATUS_COUNT];
extern const struct report_label report_indicators[IND_COUNT];
extern const struct report_label report_texts[TEXT_COUNT];

/* All text is NUL-terminated UTF-8 owned by the report; NULL means absent.
 * Counts are uint64_t so that a wire value too large is seen and refused
 * rather than truncated. */
struct report_activity {
	uint32_t	 area;		/* enum report_area */
	uint32_t	 kind;		/* enum report_kind */
	uint32_t	 occasion;	/* enum report_occasion */
	uint32_t	 status;	/* enum report_status */
	char		*date;		/* YYYY-MM-DD */
	char		*end_date;	/* optional */
	char		*title;
	char		*location;
	uint64_t	 sessions;
	uint64_t	 participants;
	uint64_t	 female;
	char		*notes;		/* optional */
};

struct report_indicator_value {
	uint32_t	 code;		/* enum report_indicator */
	uint64_t	 total;
	uint64_t	 female;
};

struct report {
	char				*id;
	char				*unit;
	char				*period;
	char				*reporter_name;
	char				*reporter_position;
	char				*reporter_phone;
	struct report_activity		*activities;
	size_t				 nactivities;
	struct report_indicator_value	*indicators;
	size_t				 nindicators;
	char				*narrative[TEXT_COUNT];
	char				*law_review[LAW_REVIEW_COUNT];
};

/* Errors and warnings, each naming its field ("activities[2].female"). */
#define REPORT_ERRORS_MAX	100
#define REPORT_FIELD_MAX	64
#define REPORT_MESSAGE_MAX	200

struct report_error {
	char	field[REPORT_FIELD_MAX];
	char	message[REPORT_MESSAGE_MAX];
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

/* Looks a name up in a label table; returns its enum value or 0. */
uint32_t report_label_find(const struct report_label *, size_t n,
	    const char *id);
/* The id or label of an enum value, "?" when out of range. */
const char	*report_label_id(const struct report_label *, size_t n,
		    uint32_t);
const char	*report_label_text(const struct report_label *, size_t n,
		    uint32_t);

/*
 * Canonical bytes: the packed wire Report. Equal reports give equal bytes,
 * so these are what is hashed, stored and compared for duplicates.
 * Returns 0, or -1 on allocation failure. *buf is malloc'd.
 */
int	 report_pack(const struct report *, uint8_t **buf, size_t *len);

/*
 * Decodes a packed wire Report. Text fields carrying a NUL byte are
 * refused here by field name (the C model cannot hold them). Returns 0 with
 * *out set, or -1 with errs filled (or only errstr set when the bytes are
 * not a Report at all).
 */
int	 report_unpack(const uint8_t *, size_t, struct report **out,
	    struct report_errors *errs, const char **errstr);

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
 * bytes. The same content always gives the same id. Returns 0 or -1.
 */
int	 report_derive_id(struct report *);

/* Hex of a byte string into out (2*len+1 bytes). */
void	 report_hex(const uint8_t *, size_t len, char *out);

#endif
