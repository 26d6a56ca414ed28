/*
 * Read requests (query.c): each answers from a snapshot of its own,
 * taken from the worker's readers; long answers are streams.
 */
#ifndef GPD_QUERY_H
#define GPD_QUERY_H

#include "request.h"

/* Seconds a client is told to wait when every reader is taken. */
#define QUERY_RETRY_BUSY	5

struct period;
struct store;

/*
 * The day a unit's report of a period is due, in *due: the form's due
 * date, or the unit's extension (gp-client extend) where it has one
 * (*extended set). What status shows; missing and its call list read a
 * period's extensions at once by the same rule. Returns 0, or -1 with
 * store_error().
 */
int			query_due(struct store *, const char *unit,
			    const char *period_id, const struct period *,
			    int32_t *due, int *extended);

enum request_result	query_whoami(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_units(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_list(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_show(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_history(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_missing(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_summary(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_export(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_form(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_stored(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);
enum request_result	query_audit(struct peer *, const Gp__Request *,
			    struct reply *, struct stream **);

#endif
