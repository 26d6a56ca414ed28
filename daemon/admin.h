/*
 * Administrators' writes (admin.c): period locks, through the writer
 * like submissions.
 */
#ifndef GPD_ADMIN_H
#define GPD_ADMIN_H

#include "request.h"

enum request_result	admin_lock(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);

#endif
