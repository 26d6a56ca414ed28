/*
 * Requests in, framed replies out (dispatch.c): a table from message
 * type to handler, with who may send each. Nothing here closes a
 * connection: the result says what the session should do.
 */
#ifndef GPD_DISPATCH_H
#define GPD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "request.h"

struct evbuffer;

/* A client past max_connections is told to come back after this. */
#define DISPATCH_BUSY_RETRY	5	/* seconds */

/*
 * Handles one frame's payload. REQUEST_REPLIED: the framed reply is in
 * out. REQUEST_PENDING: p->answer() follows. REQUEST_STREAM: *stream is
 * set and dispatch_next() makes its frames. REQUEST_CLOSE: a reply is in
 * out (if one could be made); close once it is written. over: the
 * connection is past max_connections (answered BUSY, then closed).
 */
enum request_result	dispatch_request(struct peer *, const uint8_t *,
			    size_t, int over, struct evbuffer *out,
			    struct stream **stream);
/* Appends the next frame of a stream to out; 1 when it was the last
 * (the caller frees the stream), 0 when more follow, -1 when no frame
 * could be made (the caller closes). */
int			dispatch_next(struct peer *, struct stream *,
			    struct evbuffer *out);
/* Answers a frame that could not be read (bad length). */
void			dispatch_frame_error(struct peer *,
			    const char *errstr, uint32_t max_frame,
			    struct evbuffer *out);

#endif
