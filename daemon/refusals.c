/*
 * Refusals coalesced per peer: a window of a minute per (certificate,
 * action, kind), found through a hash table, kept in the order it opened
 * so that the windows that ended are the first ones.
 */
#include <sys/queue.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refusals.h"

#define REFUSALS_BUCKETS	4096	/* a power of two */
#define REFUSALS_NAME_MAX	72	/* a CN (64) or a fingerprint (64) */

struct window {
	TAILQ_ENTRY(window)	 order;
	struct window		*next;		/* in its bucket */
	uint32_t		 hash;
	const char		*action;
	const char		*kind;
	char			 fingerprint[REFUSALS_NAME_MAX];
	char			 cn[REFUSALS_NAME_MAX];
	time_t			 since;
	time_t			 last;
	unsigned long		 count;
};

TAILQ_HEAD(windows, window);

struct refusals {
	pthread_mutex_t		 lock;
	struct windows		 order;		/* oldest first */
	struct window		*buckets[REFUSALS_BUCKETS];
	size_t			 n;
};

/* FNV-1a over the three strings, each with its NUL. */
static uint32_t
refusals_hash(const char *fingerprint, const char *action, const char *kind)
{
	const char	*parts[3] = { fingerprint, action, kind };
	uint32_t	 h = 2166136261u;
	size_t		 i;
	const char	*p;

	for (i = 0; i < 3; i++) {
		p = parts[i];
		do {
			h ^= (uint8_t)*p;
			h *= 16777619u;
		} while (*p++ != '\0');
	}
	return h;
}

static struct window **
refusals_slot(struct refusals *r, uint32_t hash, const char *fingerprint,
    const char *action, const char *kind)
{
	struct window	**wp;

	for (wp = &r->buckets[hash & (REFUSALS_BUCKETS - 1)]; *wp != NULL;
	    wp = &(*wp)->next)
		if ((*wp)->hash == hash &&
		    strcmp((*wp)->fingerprint, fingerprint) == 0 &&
		    strcmp((*wp)->action, action) == 0 &&
		    strcmp((*wp)->kind, kind) == 0)
			return wp;
	return wp;
}

/* Takes w out of the table (under the lock). */
static void
refusals_unlink(struct refusals *r, struct window *w)
{
	struct window	**wp;

	wp = refusals_slot(r, w->hash, w->fingerprint, w->action, w->kind);
	if (*wp == w)
		*wp = w->next;
	TAILQ_REMOVE(&r->order, w, order);
	r->n--;
}

/* Hands what each closed window counted to fn, and frees it. */
static void
refusals_report(struct windows *closed,
    void (*fn)(void *, const struct refusal_summary *), void *arg)
{
	struct refusal_summary	 sum;
	struct window		*w;

	while ((w = TAILQ_FIRST(closed)) != NULL) {
		TAILQ_REMOVE(closed, w, order);
		if (w->count > 0 && fn != NULL) {
			sum.cn = w->cn;
			sum.fingerprint = w->fingerprint;
			sum.action = w->action;
			sum.kind = w->kind;
			sum.since = w->since;
			sum.last = w->last;
			sum.count = w->count;
			fn(arg, &sum);
		}
		free(w);
	}
}

struct refusals *
refusals_new(void)
{
	struct refusals	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	TAILQ_INIT(&r->order);
	return r;
}

void
refusals_free(struct refusals *r)
{
	struct window	*w;

	if (r == NULL)
		return;
	while ((w = TAILQ_FIRST(&r->order)) != NULL) {
		TAILQ_REMOVE(&r->order, w, order);
		free(w);
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
}

enum refusal_note
refusals_note(struct refusals *r, const char *fingerprint, const char *cn,
    const char *action, const char *kind, time_t now)
{
	struct window	**wp, *w;
	uint32_t	  hash = refusals_hash(fingerprint, action, kind);
	enum refusal_note rv = REFUSAL_WRITE;

	pthread_mutex_lock(&r->lock);
	wp = refusals_slot(r, hash, fingerprint, action, kind);
	if ((w = *wp) != NULL) {
		/* Until refusals_expire closes it, a window counts. */
		w->count++;
		w->last = now;
		rv = REFUSAL_COUNTED;
	} else if (r->n < REFUSALS_MAX &&
	    (w = calloc(1, sizeof(*w))) != NULL) {
		w->hash = hash;
		w->action = action;
		w->kind = kind;
		snprintf(w->fingerprint, sizeof(w->fingerprint), "%s",
		    fingerprint);
		snprintf(w->cn, sizeof(w->cn), "%s", cn);
		w->since = w->last = now;
		*wp = w;
		TAILQ_INSERT_TAIL(&r->order, w, order);
		r->n++;
	}
	pthread_mutex_unlock(&r->lock);
	return rv;
}

void
refusals_forget(struct refusals *r, const char *fingerprint,
    const char *action, const char *kind,
    void (*fn)(void *, const struct refusal_summary *), void *arg)
{
	struct windows	 closed;
	struct window	*w;

	TAILQ_INIT(&closed);
	pthread_mutex_lock(&r->lock);
	w = *refusals_slot(r, refusals_hash(fingerprint, action, kind),
	    fingerprint, action, kind);
	if (w != NULL) {
		refusals_unlink(r, w);
		TAILQ_INSERT_TAIL(&closed, w, order);
	}
	pthread_mutex_unlock(&r->lock);
	refusals_report(&closed, fn, arg);
}

size_t
refusals_expire(struct refusals *r, time_t now, int all,
    void (*fn)(void *, const struct refusal_summary *), void *arg)
{
	struct windows	 closed;
	struct window	*w;
	size_t		 n = 0;

	TAILQ_INIT(&closed);
	pthread_mutex_lock(&r->lock);
	/* Oldest first: the first window still open ends the walk (a clock
	 * set back closes every window it passed). */
	while ((w = TAILQ_FIRST(&r->order)) != NULL &&
	    (all || now >= w->since + REFUSALS_WINDOW || now < w->since)) {
		refusals_unlink(r, w);
		TAILQ_INSERT_TAIL(&closed, w, order);
		n++;
	}
	pthread_mutex_unlock(&r->lock);
	refusals_report(&closed, fn, arg);
	return n;
}

size_t
refusals_open(struct refusals *r)
{
	size_t	n;

	pthread_mutex_lock(&r->lock);
	n = r->n;
	pthread_mutex_unlock(&r->lock);
	return n;
}
