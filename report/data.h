/*
 * The report data gp-report reads: a stream of JSON objects (gp-report(1),
 * doc/report-data.md). The first is the header (period, form, document
 * settings); each one after it is a unit of the period ({"unit": {...}}) or
 * of the same period a year before ({"previous_unit": {...}}). Reading one
 * record at a time keeps memory to the model itself, not a JSON tree of
 * every report at once.
 *
 * Everything is checked on the way in, and every error names its field
 * ("units[3].report.activities[2].female: ..."). Codes become indexes into
 * the header's form, so nothing after this file looks a code up again.
 * Members this version does not use are ignored: a newer gp-client may send
 * more than this gp-report draws.
 */
#ifndef GP_REPORT_DATA_H
#define GP_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DATA_VERSION		1

/* Bounds: the input came from the server, but a bug or a hostile file must
 * not take gp-report down. */
#define DATA_MAX_RECORD		(8 * 1024 * 1024)	/* bytes, about */
#define DATA_MAX_UNITS		10000
#define DATA_MAX_LIST		64	/* entries of a list of the form */
#define DATA_MAX_FIELDS		16	/* fields of one special section */
#define DATA_MAX_RECIPIENTS	32
#define DATA_MAX_ACTIVITIES	1000
#define DATA_MAX_CODE		40
#define DATA_MAX_UNIT_CODE	64
#define DATA_MAX_LABEL		500
#define DATA_MAX_SHORT		200
#define DATA_MAX_TITLE		500
#define DATA_MAX_NOTES		2000
#define DATA_MAX_TEXT		20000
#define DATA_MAX_COUNT		10000000ULL
#define DATA_MAX_SESSIONS	10000ULL
#define DATA_MAX_HIGHLIGHTS	50
#define DATA_DEFAULT_HIGHLIGHTS	5

struct data_label {
	char	*code;
	char	*label;
};

struct data_indicator {
	char	*code;
	char	*label;
	int	 female_share;	/* the form asks for women among the total */
};

struct data_section {
	char			*code;
	char			*label;
	struct data_label	*fields;
	size_t			 nfields;
	size_t			 first;	/* of its texts in data_report.texts */
};

/* The year's form: what the codes of the reports mean. */
struct data_form {
	int			 year;
	char			*title;
	struct data_label	*areas;
	size_t			 nareas;
	struct data_label	*kinds;
	size_t			 nkinds;
	struct data_label	*occasions;
	size_t			 noccasions;
	struct data_indicator	*indicators;
	size_t			 nindicators;
	struct data_label	*narrative;
	size_t			 nnarrative;
	struct data_section	*sections;
	size_t			 nsections;
	size_t			 nsection_texts;
	struct data_label	*media;		/* media output counts */
	size_t			 nmedia;
};

struct data_period {
	char	id[16];		/* 2022-H1, 2022 */
	int	year;
	int	annual;		/* 0: the first six months */
	char	from[11];	/* YYYY-MM-DD or "" */
	char	to[11];
	char	due[11];
};

/* The [report] settings: who issues the document and who signs it. */
struct data_document {
	char	*parent_body;		/* TỔNG LĐLĐ VIỆT NAM */
	char	*body;			/* LĐLĐ TỈNH LAI CHÂU */
	char	*body_name;		/* in running text: LĐLĐ tỉnh Lai Châu */
	char	*number;		/* Số:      /BC-LĐLĐ */
	char	*place;			/* Lai Châu */
	char	*date;			/* YYYY-MM-DD or NULL: left blank */
	char	*subject;		/* the title after BÁO CÁO */
	char	*signer_authority;	/* TM. BAN THƯỜNG VỤ, or NULL */
	char	*signer_title;		/* PHÓ CHỦ TỊCH */
	char	*signer_name;		/* or NULL: left blank */
	char	**recipients;
	size_t	 nrecipients;
	size_t	 highlights;		/* activities named per area */
};

struct data_header {
	struct data_period	period;
	int			has_previous;
	struct data_period	previous;
	/* The previous year's form when the header gives one ("previous":
	 * {"form": ...}); otherwise this year's serves both. */
	int			has_previous_form;
	struct data_form	previous_form;
	int			accepted_only;
	struct data_form	form;
	struct data_document	doc;
};

enum data_submission {
	DATA_MISSING = 0,
	DATA_ON_TIME,
	DATA_LATE
};

enum data_review {
	DATA_REVIEW_NONE = 0,
	DATA_RECEIVED,
	DATA_RETURNED,
	DATA_ACCEPTED
};

struct data_activity {
	uint16_t	 area;		/* index into form.areas */
	uint16_t	 kind;
	int16_t		 occasion;	/* -1: none given */
	uint8_t		 planned;	/* 0: done */
	char		 date[11];
	char		 end_date[11];	/* "" when one day */
	char		*title;
	char		*location;	/* or NULL */
	char		*notes;		/* or NULL */
	uint64_t	 sessions;
	uint64_t	 participants;
	uint64_t	 female;
	uint64_t	*media;		/* form.nmedia counts, or NULL: none */
};

struct data_value {
	uint64_t	total;
	uint64_t	female;
	int		present;
};

struct data_report {
	char			*reporter_name;
	char			*reporter_position;
	char			*reporter_phone;
	struct data_activity	*activities;
	size_t			 nactivities;
	struct data_value	*indicators;	/* form.nindicators */
	size_t			 nindicators;
	char			**narrative;	/* form.nnarrative, NULL absent */
	size_t			 nnarrative;
	char			**texts;	/* form.nsection_texts */
	size_t			 ntexts;
};

struct data_unit {
	char			*code;
	char			*name;
	char			*type_label;	/* or NULL */
	int			 submission;	/* enum data_submission */
	int			 review;	/* enum data_review */
	unsigned		 revision;	/* 0: not given */
	char			*submitted;	/* RFC 3339, first submission */
	char			*updated;	/* latest revision, or NULL */
	struct data_report	*report;	/* NULL: none, or not included */
};

struct data_reader;

/* Reads from in, which stays the caller's. */
struct data_reader	*data_open(FILE *in);
void			 data_close(struct data_reader *);

/* The first record. Returns 0, or -1 with *cause (malloc'd) naming the
 * field. */
int	 data_read_header(struct data_reader *, struct data_header **,
	    char **cause);
/*
 * The next unit: returns 1 with *out set and *previous telling whether it
 * is of the previous year, 0 at the end of the input, -1 with *cause.
 * A unit code seen twice in the same year is an error.
 */
int	 data_next(struct data_reader *, const struct data_header *,
	    struct data_unit **out, int *previous, char **cause);

void	 data_header_free(struct data_header *);
/* The form the previous year's reports are read with. */
const struct data_form *data_previous_form(const struct data_header *);
void	 data_unit_free(struct data_unit *);

/* Labels shown for the enums. */
const char	*data_submission_label(int);
const char	*data_review_label(int);

#endif
