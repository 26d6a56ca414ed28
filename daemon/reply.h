/*
 * Replies (reply.c): one Response and everything it points into, in an
 * arena freed in one piece; streams of several frames. Handlers fill a
 * reply; the dispatcher or whoever finishes a request packs it.
 */
#ifndef GPD_REPLY_H
#define GPD_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "gp.pb-c.h"

struct evbuffer;
struct report;
struct report_errors;
struct reply_block;

/* Rows in one frame of a streamed answer. */
#define REPLY_CHUNK_ROWS	256

struct reply {
	Gp__Response		 resp;
	Gp__Error		 error;
	struct reply_block	*blocks;
	/* A stored report shown: the model and the tree pointing into it,
	 * freed with the reply. */
	struct report		*model;
	Gp__Report		*built;
};

/* A reply to request id; NULL when out of memory. */
struct reply	*reply_new(uint32_t id);
void		 reply_free(struct reply *);	/* NULL: no-op */

/* Zeroed memory that lives as long as the reply; NULL when out of
 * memory. */
void	*reply_alloc(struct reply *, size_t);
char	*reply_strdup(struct reply *, const char *);	/* NULL: NULL */
/* A date (YYYY-MM-DD) or an RFC 3339 UTC time. */
char	*reply_date(struct reply *, int32_t day);
char	*reply_time(struct reply *, int64_t at);

/* Makes the reply an error; field errors already added stay. */
void	 reply_error(struct reply *, Gp__ErrorCode, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Adds the field errors (at most REPORT_ERRORS_MAX, the rest dropped). */
void	 reply_fields(struct reply *, const struct report_errors *);
/* INVALID with one field error. */
void	 reply_invalid(struct reply *, const char *field,
	    const char *why, const char *message);
/* Sets more: whether frames follow this one. */
void	 reply_more(struct reply *, int more);

/* Appends the framed Response to out; 0, or -1 when it could not be
 * packed or buffered (out is left as it was). */
int	 reply_pack(const struct reply *, struct evbuffer *out);

/*
 * A streamed answer: next() fills the reply with one frame's rows and
 * reply_more(1) when more follow, and returns 0, or -1 with an error in
 * the reply, which ends the stream. free() releases the stream and all it
 * holds.
 */
struct stream {
	int		(*next)(struct stream *, struct reply *);
	void		(*free)(struct stream *);
	uint32_t	 id;		/* the request's */
};

#endif
