/*
 * The request table: each message type, who may send it, and its
 * handler. The dispatcher decodes, checks access (a refusal is recorded
 * before it is sent), runs the handler and packs what it made.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dispatch.h"
#include "extend.h"
#include "log.h"
#include "query.h"
#include "reply.h"
#include "request.h"
#include "review.h"
#include "submit.h"
#include "wire.h"

/* Who may send a request; refusals are audited. */
enum dispatch_access {
	ACCESS_ANY,	/* the handler decides (submit, whoami) */
	ACCESS_OWN,	/* administrators, and units for their own unit */
	ACCESS_ADMIN	/* administrators only */
};

static const struct dispatch_entry {
	Gp__Request__BodyCase	 body;
	const char		*name;
	int			 access;	/* enum dispatch_access */
	request_fn		 fn;
} dispatch_table[] = {
	{ GP__REQUEST__BODY_SUBMIT, "submit", ACCESS_ANY, submit_report },
	{ GP__REQUEST__BODY_WHOAMI, "whoami", ACCESS_ANY, query_whoami },
	{ GP__REQUEST__BODY_UNITS, "units", ACCESS_ADMIN, query_units },
	{ GP__REQUEST__BODY_LIST, "list", ACCESS_OWN, query_list },
	{ GP__REQUEST__BODY_SHOW, "show", ACCESS_OWN, query_show },
	{ GP__REQUEST__BODY_HISTORY, "history", ACCESS_OWN, query_history },
	{ GP__REQUEST__BODY_MISSING, "missing", ACCESS_ADMIN, query_missing },
	{ GP__REQUEST__BODY_SUMMARY, "summary", ACCESS_ADMIN, query_summary },
	{ GP__REQUEST__BODY_EXPORT, "export", ACCESS_ADMIN, query_export },
	{ GP__REQUEST__BODY_LOCK, "lock", ACCESS_ADMIN, admin_lock },
	{ GP__REQUEST__BODY_AUDIT, "audit", ACCESS_ADMIN, query_audit },
	{ GP__REQUEST__BODY_FORM, "form", ACCESS_OWN, query_form },
	{ GP__REQUEST__BODY_REVIEW, "review", ACCESS_ADMIN, review_decide },
	{ GP__REQUEST__BODY_STATUS, "status", ACCESS_OWN, review_status },
	{ GP__REQUEST__BODY_REPORTS, "reports", ACCESS_ADMIN, query_stored },
	{ GP__REQUEST__BODY_EXTEND, "extend", ACCESS_ADMIN, extend_request },
};

#define DISPATCH_NTABLE	(sizeof(dispatch_table) / sizeof(*dispatch_table))

static const struct dispatch_entry *
dispatch_find(Gp__Request__BodyCase body)
{
	size_t	i;

	for (i = 0; i < DISPATCH_NTABLE; i++)
		if (dispatch_table[i].body == body)
			return &dispatch_table[i];
	return NULL;
}

/* Packs reply into out; a reply that cannot be packed closes. */
static enum request_result
dispatch_out(struct peer *p, struct reply *reply, enum request_result rv,
    struct evbuffer *out)
{
	if (reply_pack(reply, out) == -1) {
		log_warnx("session=%" PRIu64 " cannot send a reply", p->id);
		rv = REQUEST_CLOSE;
	}
	reply_free(reply);
	return rv;
}

enum request_result
dispatch_request(struct peer *p, const uint8_t *buf, size_t len, int over,
    struct evbuffer *out, struct stream **stream)
{
	const struct dispatch_entry	*e;
	struct reply			*reply;
	Gp__Request			*req;
	enum request_result		 rv = REQUEST_REPLIED;
	char				 qcn[LOG_QUOTE_MAX];

	*stream = NULL;
	if ((req = wire_request_unpack(buf, len)) == NULL) {
		log_warnx("session=%" PRIu64 " cn=%s undecodable request "
		    "(%zu bytes)", p->id, log_quote(qcn, sizeof(qcn), p->cn),
		    len);
		if ((reply = reply_new(0)) == NULL)
			return REQUEST_CLOSE;
		reply->resp.has_id = 0;
		reply_error(reply, GP__ERROR_CODE__BAD_REQUEST,
		    "the request is not a gp/1 message");
		return dispatch_out(p, reply, REQUEST_CLOSE, out);
	}
	if ((reply = reply_new(req->id)) == NULL) {
		log_warnx("session=%" PRIu64 " out of memory for a reply",
		    p->id);
		wire_request_free(req);
		return REQUEST_CLOSE;
	}
	if (over) {
		/* Past the connection cap: a clear answer, not a hang. */
		reply_error(reply, GP__ERROR_CODE__BUSY, "the server is at its "
		    "connection limit; try again in %d seconds",
		    DISPATCH_BUSY_RETRY);
		reply->error.retry_after = DISPATCH_BUSY_RETRY;
		reply->error.has_retry_after = 1;
		wire_request_free(req);
		return dispatch_out(p, reply, REQUEST_CLOSE, out);
	}
	if ((e = dispatch_find(req->body_case)) == NULL) {
		/* Answered, and the connection stays: a newer client may
		 * probe. Said once a connection, and counted as a refusal. */
		if (p->unknown++ == 0)
			log_warnx("session=%" PRIu64 " cn=%s unknown request "
			    "type %d", p->id, log_quote(qcn, sizeof(qcn),
			    p->cn), (int)req->body_case);
		p->refused++;
		reply_error(reply, GP__ERROR_CODE__BAD_REQUEST,
		    "unknown request type %d: is gp-client newer than the "
		    "server?", (int)req->body_case);
	} else if ((e->access == ACCESS_ADMIN && p->role != ROLE_ADMIN) ||
	    (e->access == ACCESS_OWN && p->role == ROLE_NONE)) {
		rv = request_deny(p, reply, e->name,
		    "for administrators only", NULL,
		    "%s is for administrators; certificate %s is %s",
		    e->name, p->cn, p->role == ROLE_UNIT ? "a unit's" :
		    "not registered");
	} else {
		log_debug("session=%" PRIu64 " request id=%u type=%s", p->id,
		    req->id, e->name);
		rv = e->fn(p, req, reply, stream);
	}
	/* Nothing in the reply points into req once a handler returned. */
	if (rv == REQUEST_STREAM)
		(*stream)->id = req->id;
	wire_request_free(req);
	switch (rv) {
	case REQUEST_PENDING:
		/* The handler took the reply. */
		return rv;
	case REQUEST_STREAM:
		/* The first frame is made by the stream, like the others. */
		reply_free(reply);
		return rv;
	default:
		return dispatch_out(p, reply, rv, out);
	}
}

int
dispatch_next(struct peer *p, struct stream *st, struct evbuffer *out)
{
	struct reply	*reply;
	int		 last;

	if ((reply = reply_new(st->id)) == NULL) {
		log_warnx("session=%" PRIu64 " out of memory in a stream",
		    p->id);
		return -1;
	}
	if (st->next(st, reply) == -1) {
		/* The error in the reply ends the stream. */
		reply->resp.more = 0;
		reply->resp.has_more = 0;
	}
	last = !reply->resp.more;
	if (reply_pack(reply, out) == -1) {
		log_warnx("session=%" PRIu64 " cannot send a frame of a "
		    "stream", p->id);
		last = -1;
	}
	reply_free(reply);
	return last;
}

void
dispatch_frame_error(struct peer *p, const char *errstr, uint32_t max_frame,
    struct evbuffer *out)
{
	struct reply	*reply;

	if ((reply = reply_new(0)) == NULL)
		return;
	reply->resp.has_id = 0;
	reply_error(reply, GP__ERROR_CODE__BAD_REQUEST, "%s (max_frame is %u)",
	    errstr, max_frame);
	dispatch_out(p, reply, REQUEST_CLOSE, out);
}
