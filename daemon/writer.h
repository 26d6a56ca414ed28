/*
 * The single writer (writer.c): one thread owns the connection that
 * writes, runs every job waiting in one transaction, commits once, and
 * only then hands each job back to the worker that queued it.
 */
#ifndef GPD_WRITER_H
#define GPD_WRITER_H

#include <sys/queue.h>

#include <stdint.h>

#include "period.h"
#include "store.h"
#include "worker.h"

enum job_type {
	JOB_SUBMIT,
	JOB_AUDIT,
	JOB_LOCK,
	JOB_REVIEW,
	JOB_REGISTRY,
	JOB_EXTEND
};

/*
 * A write. Whoever queues it sets type, its fields, done and worker;
 * between writer_queue() and done() only the writer touches it. done(job)
 * runs on the worker's loop once the transaction has committed or failed;
 * a job without a worker is the writer's to free (writer_event).
 */
struct job {
	struct worker_msg	 msg;		/* carries done to the worker */
	STAILQ_ENTRY(job)	 entry;
	int			 type;		/* enum job_type */
	struct worker		*worker;
	void			(*done)(struct job *);
	/* JOB_SUBMIT */
	const struct report	*report;
	struct store_meta	 meta;		/* also at, cn, fingerprint */
	/* JOB_AUDIT */
	const char		*action;
	const char		*unit;
	const char		*period;
	const char		*result;
	const char		*detail;
	/* JOB_LOCK (period above) */
	int			 lock;
	int			 changed;	/* set by the writer */
	/* JOB_REVIEW */
	struct store_review	 review;
	struct store_decision	 decision;	/* set by the writer */
	/* JOB_REGISTRY */
	const struct store_unit	*units;
	size_t			 nunits;
	/* JOB_EXTEND (unit, period above; detail is the reason): until
	 * NULL clears; previous is set by the writer */
	const char		*until;
	char			 previous[DATE_LEN + 1];
	/* Set by the writer. */
	enum store_status	 status;
	struct store_receipt	 receipt;
	char			 error[256];
};

struct writer;

/* fatal(arg) is called, from the writer thread, once the database has
 * shown it cannot be written safely. The unit registry (n units, in code
 * order) is brought into the database's aggregates before the writer
 * starts (store_put_registry). */
struct writer	*writer_start(const char *database,
		    const struct store_unit *units, size_t n,
		    void (*fatal)(void *), void *arg, const char **errstr);
void		 writer_queue(struct writer *, struct job *);
void		 writer_stop(struct writer *);	/* runs what is queued */
/* A reload's registry, copied: the aggregates follow it with the next
 * commit; nobody waits for it. */
void		 writer_registry(struct writer *,
		    const struct store_unit *units, size_t n);
/* An audit entry of gpd's own, nobody waiting for it: action and result
 * static strings, the others copied (fingerprint may be NULL). */
void		 writer_event(struct writer *, const char *cn,
		    const char *fingerprint, const char *action,
		    const char *result, const char *detail);

#endif
