/*
 * What gp-client tells its user: lines for people, or with --json exactly
 * one JSON object on standard output per run. Failures also always get one
 * sentence on standard error, prefixed "gp-client: ".
 *
 * Text that came from the server or from a report is printed with control
 * characters replaced, so that neither can drive the terminal.
 */
#ifndef GP_OUTPUT_H
#define GP_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#include "gp.pb-c.h"
#include "report.h"
#include "outbox.h"

/* A failure without details: the sentence, and with json
 * {"status":"error","code":...,"message":...}, code named after status. */
void	 output_failure(int json, int status, const char *cause);

/* A report that cannot be read or fails the local checks: each error as
 * "FILE: error: FIELD: MESSAGE", then one sentence. */
void	 output_invalid(int json, const char *file,
	    const struct report_errors *errs, const char *cause);

/* The validate command's verdict on a valid report, with its warnings. */
void	 output_valid(int json, const char *file, const struct report *,
	    const struct report_errors *warnings);

/* The answer to a submit: a receipt or an error. id is the submission id
 * that was sent. Returns the exit status (<sysexits.h>). */
int	 output_submit(int json, const Gp__Response *, const char *id);

/* The daemon's error answer, for any request. Returns the exit status. */
int	 output_error(int json, const Gp__Error *);
/* The same for a request that is not a report (the administrators'). */
int	 output_request_error(int json, const Gp__Error *);

/* The exit status and JSON code name of a daemon's error, printing
 * nothing. */
int		 output_error_status(const Gp__Error *);
const char	*output_error_name(const Gp__Error *);

/*
 * A report kept in the outbox for later: the sentence on standard error
 * and, with json, {"status":"queued","code":"try_later",...} with the
 * report's id, unit and period, the reason and the outbox's path.
 */
void	 output_queued(int json, const char *sentence, const char *id,
	    const char *unit, const char *period, const char *reason,
	    const char *outbox);

/*
 * With slot set, this thread's JSON objects (what --json prints) are
 * stored in *slot instead of printed, the last one kept (the earlier one
 * released); NULL prints again. The sentences still go to standard error.
 * gp-client-web takes submit's answer this way, a receipt with "notes":
 * gpd's warnings in the language of messages, [{"field", "message"}]
 * (never in what --json prints, a receipt file verify-receipt reads).
 */
void	 output_capture(json_t **slot);

/* A note on standard error that does not change the outcome. */
void	 output_note(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* The outbox command: a table of entries, or a JSON array. */
void	 output_outbox(int json, struct outbox_entry **, size_t n,
	    const char *path);

/* An entry dropped from the outbox, or made to wait again. */
void	 output_outbox_changed(int json, int dropped,
	    const struct outbox_entry *);

/* The receipts command: a table, or a JSON array. */
void	 output_receipts(int json, struct outbox_receipt **, size_t n);

/* A kept receipt as the one-line JSON object submit --json printed for
 * it, without the warnings (they are not kept): a receipt file for
 * verify-receipt. Returns 0, or -1 when f cannot be written or out of
 * memory. */
int	 output_receipt_export(FILE *f, const struct outbox_receipt *);

/* After receipts --export wrote files: where to, or with json
 * {"status":"exported","receipt":...,"file":...,"report":...}. */
void	 output_receipt_exported(int json, const struct outbox_receipt *,
	    const char *path, const char *report_path);

/*
 * The flush command. Per report: a progress line while standing at a
 * terminal, then always one result line; at the end a summary line (or,
 * with json, one object with everything).
 */
struct output_flush;

struct output_flush	*output_flush_new(int json, int progress);
void	 output_flush_sending(struct output_flush *, size_t n, size_t total,
	    const struct outbox_entry *);
void	 output_flush_receipt(struct output_flush *, const Gp__Response *,
	    const char *id);
void	 output_flush_refused(struct output_flush *,
	    const struct outbox_entry *, const Gp__Error *,
	    const char *message);
void	 output_flush_kept(struct output_flush *, const struct outbox_entry *,
	    const char *reason);
/* Prints the summary (sentence, when not NULL, on standard error) and
 * frees f. */
void	 output_flush_end(struct output_flush *, size_t waiting,
	    size_t failed, int status, const char *sentence);

/* The doctor command: a line per check as it completes, or with json one
 * object at the end. */
enum output_level {
	OUTPUT_OK,
	OUTPUT_WARN,
	OUTPUT_FAIL,
	OUTPUT_SKIP
};

struct output_check {
	const char		*name;		/* in --json */
	const char		*label;		/* for a person */
	size_t			 width;		/* the widest label's */
	enum output_level	 level;
	char			 message[512];
};

void	 output_check(int json, const struct output_check *);
void	 output_doctor(int json, const struct output_check *, size_t n,
	    int status);

#endif
