/*
 * Submissions (submit.c): a unit's report checked, handed to the writer,
 * and answered with a signed receipt once it is committed.
 */
#ifndef GPD_SUBMIT_H
#define GPD_SUBMIT_H

#include "request.h"

enum request_result	submit_report(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);

#endif
