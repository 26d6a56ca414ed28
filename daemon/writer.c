/*
 * The single writer: one thread owns the database connection that writes.
 * Workers queue jobs; the writer takes every job waiting (up to a batch),
 * runs them in one transaction, commits once, and only then hands each
 * job back to its worker, whose event loop sends the acknowledgement.
 * Concurrent submissions so share one fsync, and no event loop ever waits
 * on the disk.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "report.h"
#include "store.h"
#include "writer.h"

#define WRITER_BATCH_MAX	256
#define WRITER_HEAD_EVERY	300	/* seconds between audit head lines */

/* An audit entry of the daemon's own (a reload, a session closed, a
 * summary of refusals): nobody waits for it. */
struct writer_event {
	struct job	 job;		/* first: freed as a job */
	char		 cn[72];	/* a CN or fingerprint: 64 */
	char		 fingerprint[72];
	char		 detail[256];
};

STAILQ_HEAD(jobs, job);

struct writer {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct jobs		 queue;
	int			 stopping;
	struct store		*store;
	void			(*fatal)(void *);
	void			*arg;
	/* Touched by the writer thread only. */
	uint64_t		 batches;
	uint64_t		 jobs;
	time_t			 head_logged;
	int64_t			 head_id;
};

/* The registry into the aggregates, with a log line when units moved. */
static int
writer_put_registry(struct store *s, const struct store_unit *v, size_t n)
{
	size_t	changed;

	if (store_put_registry(s, v, n, &changed) == -1) {
		log_warnx("registry: the totals by unit type and validity "
		    "could not follow it: %s", store_error(s));
		return -1;
	}
	if (changed > 0)
		log_info("registry: totals of %zu units moved to their type "
		    "and validity now", changed);
	return 0;
}

static void
writer_run_job(struct writer *w, struct job *job)
{
	struct store	*s = w->store;

	switch (job->type) {
	case JOB_SUBMIT:
		job->status = store_put(s, job->report, &job->meta,
		    &job->receipt);
		break;
	case JOB_AUDIT:
		job->status = store_put_audit(s, job->meta.received_at,
		    job->meta.cn, job->meta.fingerprint, job->action,
		    job->unit, job->period, job->result, job->detail) == 0 ?
		    STORE_OK : STORE_FAIL;
		break;
	case JOB_LOCK:
		job->status = store_put_lock(s, job->period, job->lock,
		    job->meta.received_at, job->meta.cn, job->meta.fingerprint,
		    &job->changed) == 0 ? STORE_OK : STORE_FAIL;
		break;
	case JOB_REVIEW:
		job->status = store_put_review(s, &job->review,
		    &job->decision) == 0 ? STORE_OK : STORE_FAIL;
		break;
	case JOB_REGISTRY:
		job->status = writer_put_registry(s, job->units,
		    job->nunits) == 0 ? STORE_OK : STORE_FAIL;
		break;
	case JOB_EXTEND:
		job->status = store_put_extension(s, job->unit, job->period,
		    job->until, job->detail, job->meta.received_at,
		    job->meta.cn, job->meta.fingerprint, job->previous,
		    &job->changed) == 0 ? STORE_OK : STORE_FAIL;
		break;
	}
	if (job->status == STORE_FULL || job->status == STORE_FAIL)
		snprintf(job->error, sizeof(job->error), "%s",
		    store_error(s));
}

/* One transaction for a batch; a failed commit fails every job. */
static void
writer_batch(struct writer *w, struct job **batch, size_t n)
{
	enum store_status	 commit;
	size_t			 i;

	if (store_begin(w->store) == -1) {
		commit = STORE_FAIL;
		for (i = 0; i < n; i++) {
			batch[i]->status = commit;
			snprintf(batch[i]->error, sizeof(batch[i]->error),
			    "%s", store_error(w->store));
		}
		return;
	}
	for (i = 0; i < n; i++)
		writer_run_job(w, batch[i]);
	if ((commit = store_commit(w->store)) == STORE_OK)
		return;
	/* Nothing of the batch is stored: no job may be acknowledged. */
	for (i = 0; i < n; i++) {
		batch[i]->status = commit;
		snprintf(batch[i]->error, sizeof(batch[i]->error), "%s",
		    store_error(w->store));
	}
}

/* The chain's head in the log now and then, so that a copy kept
 * elsewhere (the journal) can later show history was not rewritten. */
static void
writer_log_head(struct writer *w, int force)
{
	uint8_t	hash[STORE_HASH_LEN];
	char	hex[2 * STORE_HASH_LEN + 1];
	int64_t	id;
	time_t	now = time(NULL);

	if (!force && now - w->head_logged < WRITER_HEAD_EVERY)
		return;
	if (store_audit_head(w->store, &id, hash) == -1 ||
	    (id == w->head_id && !force))
		return;
	report_hex(hash, STORE_HASH_LEN, hex);
	log_info("audit head id=%" PRId64 " hash=%s", id, hex);
	w->head_logged = now;
	w->head_id = id;
}

/* On the worker's loop. */
static void
writer_job_done(void *arg)
{
	struct job	*job = arg;

	job->done(job);
}

/* Hands a finished job back to whoever queued it. */
static void
writer_done(struct job *job)
{
	if (job->worker == NULL) {
		free(job);
		return;
	}
	job->msg.fn = writer_job_done;
	job->msg.arg = job;
	job->msg.allocated = 0;
	worker_send(job->worker, &job->msg);
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct job	*batch[WRITER_BATCH_MAX], *job;
	size_t		 n, i;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (STAILQ_EMPTY(&w->queue) && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (STAILQ_EMPTY(&w->queue)) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		for (n = 0; n < WRITER_BATCH_MAX &&
		    (job = STAILQ_FIRST(&w->queue)) != NULL; n++) {
			STAILQ_REMOVE_HEAD(&w->queue, entry);
			batch[n] = job;
		}
		pthread_mutex_unlock(&w->lock);

		writer_batch(w, batch, n);
		w->batches++;
		w->jobs += n;
		for (i = 0; i < n; i++)
			writer_done(batch[i]);
		writer_log_head(w, 0);
		if (store_broken(w->store) && w->fatal != NULL) {
			/* Told once; the daemon stops rather than pretend. */
			log_warnx("writer: database unusable: %s",
			    store_error(w->store));
			w->fatal(w->arg);
			w->fatal = NULL;
		}
	}
	return NULL;
}

struct writer *
writer_start(const char *database, const struct store_unit *units, size_t n,
    void (*on_fatal)(void *), void *arg, const char **errstr)
{
	static char	 err[512];
	struct writer	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		*errstr = "out of memory";
		return NULL;
	}
	STAILQ_INIT(&w->queue);
	w->fatal = on_fatal;
	w->arg = arg;
	if ((w->store = store_open(database, errstr)) == NULL) {
		free(w);
		return NULL;
	}
	/* Before anyone reads the totals by unit: they are the registry's
	 * being served. */
	if (store_begin(w->store) == -1 ||
	    writer_put_registry(w->store, units, n) == -1 ||
	    store_commit(w->store) != STORE_OK) {
		snprintf(err, sizeof(err), "the unit registry: %s",
		    store_error(w->store));
		*errstr = err;
		store_close(w->store);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		*errstr = "cannot start the writer thread";
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		store_close(w->store);
		free(w);
		return NULL;
	}
	return w;
}

void
writer_queue(struct writer *w, struct job *job)
{
	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(&w->queue, job, entry);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
writer_event(struct writer *w, const char *cn, const char *fingerprint,
    const char *action, const char *result, const char *detail)
{
	struct writer_event	*ev;

	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		log_warn("audit event %s", action);
		return;
	}
	snprintf(ev->cn, sizeof(ev->cn), "%s", cn);
	snprintf(ev->detail, sizeof(ev->detail), "%s", detail);
	ev->job.type = JOB_AUDIT;
	ev->job.meta.received_at = time(NULL);
	ev->job.meta.cn = ev->cn;
	if (fingerprint != NULL) {
		snprintf(ev->fingerprint, sizeof(ev->fingerprint), "%s",
		    fingerprint);
		ev->job.meta.fingerprint = ev->fingerprint;
	}
	ev->job.action = action;
	ev->job.result = result;
	ev->job.detail = ev->detail;
	writer_queue(w, &ev->job);
}

/* One allocation: the job, the units and their strings (freed as a job). */
void
writer_registry(struct writer *w, const struct store_unit *v, size_t n)
{
	struct job		*job;
	struct store_unit	*u;
	char			*p;
	size_t			 i, len, size;

	size = sizeof(*job) + n * sizeof(*u);
	for (i = 0; i < n; i++)
		size += strlen(v[i].code) + strlen(v[i].type) + 2;
	if ((job = calloc(1, size)) == NULL) {
		log_warn("registry");
		return;
	}
	u = (struct store_unit *)(job + 1);
	p = (char *)(u + n);
	for (i = 0; i < n; i++) {
		u[i] = v[i];
		len = strlen(v[i].code) + 1;
		u[i].code = memcpy(p, v[i].code, len);
		p += len;
		len = strlen(v[i].type) + 1;
		u[i].type = memcpy(p, v[i].type, len);
		p += len;
	}
	job->type = JOB_REGISTRY;
	job->units = u;
	job->nunits = n;
	writer_queue(w, job);
}

void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	/* Every job queued before this is still run and committed. */
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	writer_log_head(w, 1);
	log_info("writer stopped batches=%llu jobs=%llu",
	    (unsigned long long)w->batches, (unsigned long long)w->jobs);
	store_close(w->store);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
