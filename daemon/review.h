/*
 * The province's review (review.c, issue 17): decisions on a stored
 * report (accept, return, reopen), signed like receipts once committed;
 * and a unit's status, every period whose form is known, in one answer.
 */
#ifndef GPD_REVIEW_H
#define GPD_REVIEW_H

#include "request.h"

/* Decisions on a unit's comments kept per period in a status answer. */
#define REVIEW_STATUS_COMMENTS	10

enum request_result	review_decide(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	review_status(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);

/* A stored decision as a Decision of the reply (unsigned); NULL when out
 * of memory. */
struct store_review_row;
Gp__Decision		*review_decision(struct reply *,
			    const struct store_review_row *);

#endif
