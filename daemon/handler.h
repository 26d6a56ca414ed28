/*
 * Private to the request handlers (handler.c, query.c): the reply a
 * handler fills, its allocator, and streams of several frames.
 */
#ifndef GPD_HANDLER_H
#define GPD_HANDLER_H

#include "gp.pb-c.h"
#include "gpd.h"
#include "report.h"
#include "store.h"

#define HANDLER_WARNING_MAX	(REPORT_FIELD_MAX + REPORT_MESSAGE_MAX + 2)

/* Rows in one frame of a streamed answer. */
#define HANDLER_CHUNK_ROWS	256

struct handler_block;

/* Everything one Response points into, freed in one piece. */
struct handler_reply {
	Gp__Response		 resp;
	Gp__Error		 error;
	Gp__FieldError		 field_errors[REPORT_ERRORS_MAX];
	Gp__FieldError		*field_error_ptrs[REPORT_ERRORS_MAX];
	Gp__SubmitResponse	 submit;
	Gp__Receipt		 receipt;
	Gp__WhoamiResponse	 whoami;
	char			*warning_ptrs[REPORT_ERRORS_MAX];
	char			 warnings[REPORT_ERRORS_MAX]
				    [HANDLER_WARNING_MAX];
	char			 message[512];
	char			 received_at[32];
	char			 receipt_id[STORE_RECEIPT_LEN + 1];
	char			 submission_id[REPORT_MAX_ID + 1];
	char			 unit[REPORT_MAX_UNIT + 1];
	char			 period[REPORT_MAX_PERIOD + 1];
	struct report_errors	 errs;
	struct report_errors	 warns;
	/* Kept until the writer is done. */
	struct job		 job;
	struct report		*report;
	uint8_t			*raw;
	uint8_t			 hash[32];
	char			 detail[200];
	char			 report_sha256[2 * STORE_HASH_LEN + 1];
	uint8_t			*signature;
	/* What query answers allocate; freed with the reply. */
	struct handler_block	*blocks;
	void			*unpacked;	/* a Gp__Report to free */
};

/*
 * A streamed answer: next() fills hr with one frame (rows, and
 * hr->resp.more set when more frames follow) and returns 0, or -1 with an
 * error in hr (which ends the stream). free() releases the stream.
 */
struct handler_stream {
	int	(*next)(struct session *, struct handler_stream *,
		    struct handler_reply *);
	void	(*free)(struct handler_stream *);
	uint32_t	 id;		/* the request's */
};

void	 handler_error(struct handler_reply *, Gp__ErrorCode,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
/* Allocations that live as long as the reply; NULL when out of memory. */
void	*handler_alloc(struct handler_reply *, size_t);
char	*handler_strdup(struct handler_reply *, const char *);
/* A date (YYYY-MM-DD) or an RFC 3339 UTC time, allocated in hr. */
char	*handler_date(struct handler_reply *, int32_t day);
char	*handler_time(struct handler_reply *, int64_t at);
/* Refuses with PERMISSION_DENIED after recording it in the audit. */
enum handler_result handler_deny(struct session *, struct handler_reply *,
		    const char *action, const char *period,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* query.c */
enum handler_result	query_units(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_list(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_show(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_history(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_missing(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_summary(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_export(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_lock(struct session *, const Gp__Request *,
			    struct handler_reply *);
enum handler_result	query_audit(struct session *, const Gp__Request *,
			    struct handler_reply *);
void			query_lock_done(struct session *,
			    struct handler_reply *);

#endif
