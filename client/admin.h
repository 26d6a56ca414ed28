/*
 * gp-client's administration commands: units, list, show, history,
 * missing, summary, export, lock, unlock and audit (their entries are in
 * client.h). Each sends one request and prints the answer as its frames
 * arrive: a table (--csv: the same columns as CSV), or with --json a JSON
 * array of objects, or for missing, summary and audit one object with
 * "rows" and what follows them. The server decides who may ask what; its
 * refusals exit 77 with its sentence.
 *
 * This header is what the admin*.c files share: admin.c holds the
 * exchange with the server and the printing helpers; each other file one
 * topic (admin_list.c: units and list; admin_show.c; admin_history.c;
 * admin_totals.c: missing and summary; admin_compare.c: summary
 * --compare; admin_export.c: export, lock and
 * unlock; admin_audit.c; admin_report.c: the province's report).
 *
 * Until the first byte of an answer is on standard output a failure is
 * reported the usual way (with --json, one error object); after it, only
 * the sentence on standard error, and a JSON array is left unterminated so
 * that no script takes a partial answer for a whole one.
 */
#ifndef GP_ADMIN_H
#define GP_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "gp.pb-c.h"
#include "report.h"
#include "client.h"
#include "fmt.h"
#include "forms.h"
#include "proof.h"
#include "zone.h"

#define ADMIN_REQUEST_ID	1
#define ADMIN_SUMMARY_ID	2
#define ADMIN_REVIEW_ID		3

/* The figures of one revision, to tell what the next one changed: its
 * indicators by code, as submitted. */
struct admin_indicator {
	char		code[REPORT_MAX_CODE + 1];
	uint64_t	total, women;
	int		has_women;
};

struct admin_figures {
	uint64_t		done[4], planned[4];	/* admin_figures() */
	size_t			nind;
	struct admin_indicator	ind[REPORT_MAX_INDICATORS];
};

struct admin {
	const struct client		*client;
	const struct conn_config	*cfg;
	const char			*name;		/* the command */
	int				 json;
	int				 csv;
	struct conn			*conn;
	int				 started;	/* on stdout */
	int				 status;	/* a frame handler's */
	size_t				 nitems;	/* rows so far */
	struct fmt_table		 table;

	/* Per command. */
	const char			*period;
	const char			*by;
	struct fmt_column		 columns[12];	/* summary */
	struct admin_figures		 prev;		/* history */
	struct export			*export;
	struct proof			*proof;		/* show --receipt */
	struct proof_out		 po;
	char				*proof_cause;
	int				 proof_done;	/* compared */
	struct forms			 forms;		/* labels of codes */
	uint32_t			 read_revision;	/* review */
	int				 accepted;	/* summary, export */
	Gp__ReviewCounts		 counts;	/* export: the reports */
	int				 has_counts;
	/* history: the decisions, which come before the revisions */
	struct admin_decision		*decisions;
	size_t				 ndecisions;
	/* missing --call-list: the rows, sorted once all are in */
	int				 call_list;
	int				 counts_only;	/* missing --counts */
	struct admin_call_row		*calls;
	size_t				 ncalls;
	void				*cmd;		/* a command's own state */
};

/* A decision kept until its revision is printed (history). */
struct admin_decision {
	uint32_t	 revision;
	char		*action, *state, *comment, *decided_by, *decided_at;
	char		*decision;
};

/* A unit to call (missing --call-list). */
struct admin_call_row {
	char		*unit, *name, *status, *due, *contact, *phone, *email;
	int32_t		 days_late;
	int		 extended;	/* due is the unit's extension */
};

/* One command's work, once its arguments are read. */
typedef int	admin_run_fn(struct admin *, const struct cmd_args *);

/* Handles one answer frame of the expected type; last: no more follow. */
typedef int	admin_frame_fn(struct admin *, const Gp__Response *, int last);

/* Handles the server's refusal: the exit status, or -1 to leave it to
 * the usual sentence. */
typedef int	admin_refused_fn(struct admin *, const Gp__Error *);

/* Runs run for the command of args with cl's settings; releases what the
 * command held. Returns the exit status. */
int	 admin_run(struct client *, const struct cmd_args *, admin_run_fn *);

/* A failure, as JSON only while nothing is on standard output yet. */
int	 admin_fail(struct admin *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* After writing to standard output: 0, or the status of a failed write. */
int	 admin_out(struct admin *);

/* Checks of the arguments: 0, or EX_USAGE after saying what is wrong. */
int	 admin_period(struct admin *, const char *);
int	 admin_unit(struct admin *, const char *);

/* summary PERIOD --compare PERIOD2 (admin_compare.c); by may be NULL. */
int	 admin_compare(struct admin *, const char *period, const char *period2,
	    const char *by);

/* Connects (once) and sends req; each answer frame of type want goes to
 * handle, a refusal to refused (NULL: the usual sentence). what names
 * the answer for a wrong one. Returns the exit status. */
int	 admin_connect(struct admin *);
int	 admin_exchange(struct admin *, Gp__Request *,
	    Gp__Response__BodyCase want, const char *what, admin_frame_fn *,
	    admin_refused_fn *);
void	 admin_request(Gp__Request *, uint32_t id, Gp__Request__BodyCase);

/* After the last frame of a table: close the JSON array, or print the
 * header (tables print it last, when every width is known) or empty. */
int	 admin_table_end(struct admin *, const char *empty);

/* The form a report row was checked against (its SHA-256), or else the
 * form of its period: kept, or fetched on the same connection. NULL
 * when none can be had: codes are shown as they are. */
const struct form *admin_form(struct admin *, const Gp__ReportRow *);

/* An indicator's code as the server sent it (bytes), in buf. */
const char	*admin_code(const ProtobufCBinaryData *, protobuf_c_boolean has,
		    char *buf, size_t len);

/* Text helpers for tables and lines; buf holds what they return. */
const char	*admin_text(const char *);
const char	*admin_when(const char *utc, char buf[ZONE_HUMAN_LEN + 1]);
const char	*admin_lateness(int late, int32_t days, int extended,
		    const char *due, char *buf, size_t len);
/* Done or planned figures: activities, sessions, participants, women. */
void		 admin_figures(const Gp__Figures *, uint64_t v[4]);
json_t		*admin_json_figures(const Gp__Figures *);
const char	*admin_number(uint64_t, char *buf, size_t len);
const char	*admin_share(uint64_t female, uint64_t total, char *buf,
		    size_t len);
const char	*admin_fp_short(const char *fp, char *buf, size_t len);

/* JSON answers, streamed: an array, or an object with "rows". */
json_t	*admin_json_share(uint64_t part, uint64_t total);
void	 admin_json_dump(json_t *);
int	 admin_json_array(struct admin *);
int	 admin_json_object(struct admin *, json_t *head);
int	 admin_json_item(struct admin *, json_t *);
int	 admin_json_close(struct admin *, json_t *tail);
json_t	*admin_json_row(const Gp__ReportRow *, int with_indicators);

/* A signed decision as the decision file verify-receipt reads. */
json_t	*admin_decision_json(const Gp__Decision *);
/* "received" as people say it: "under review". */
const char	*admin_state(const char *state);
/* {"received":N,"returned":N,"accepted":N}, or null. */
json_t	*admin_json_counts(const Gp__ReviewCounts *);
/* "1 accepted, 0 returned, 2 under review" into buf. */
const char	*admin_counts(const Gp__ReviewCounts *, char *buf, size_t len);

#endif
