/*
 * Extensions (extend.c): an administrator moves one unit's due date for
 * a period, through the writer like a lock, with its audit entry.
 * Revisions stored before keep the lateness they were given; those
 * stored after are judged against the extension (store.c).
 */
#ifndef GPD_EXTEND_H
#define GPD_EXTEND_H

#include "request.h"

/* Days after the form's due date an extension may reach. */
#define EXTEND_DAYS_MAX		366

enum request_result	extend_request(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);

#endif
