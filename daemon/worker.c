/*
 * Workers: one event loop per core, each on its own thread. Other
 * threads reach a worker only through its mailbox: a locked queue of
 * messages and an event made active to wake the loop.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "worker.h"

STAILQ_HEAD(worker_msgs, worker_msg);

struct worker {
	size_t			 index;
	pthread_t		 thread;
	int			 started;
	struct event_base	*base;
	struct event		*wake;		/* made active by worker_send */
	struct event		*heartbeat;
	_Atomic uint64_t	 beats;
	pthread_mutex_t		 lock;
	struct worker_msgs	 mailbox;	/* under lock */
};

static void
worker_run(struct worker_msgs *msgs)
{
	struct worker_msg	*m;

	while ((m = STAILQ_FIRST(msgs)) != NULL) {
		STAILQ_REMOVE_HEAD(msgs, entry);
		/* fn may free the object m is embedded in. */
		if (m->allocated) {
			m->fn(m->arg);
			free(m);
		} else
			m->fn(m->arg);
	}
}

static void
worker_wake(evutil_socket_t fd, short what, void *arg)
{
	struct worker		*w = arg;
	struct worker_msgs	 msgs;

	(void)fd;
	(void)what;
	STAILQ_INIT(&msgs);
	pthread_mutex_lock(&w->lock);
	STAILQ_CONCAT(&msgs, &w->mailbox);
	pthread_mutex_unlock(&w->lock);
	worker_run(&msgs);
}

static void
worker_beat(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	w->beats++;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

struct worker *
worker_new(size_t index, const char **errstr)
{
	struct timeval	 beat = { 1, 0 };
	struct worker	*w;

	*errstr = "out of memory";
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	/* Everything worker_free looks at is set before anything can fail. */
	w->index = index;
	STAILQ_INIT(&w->mailbox);
	pthread_mutex_init(&w->lock, NULL);
	*errstr = "cannot create a worker's event loop";
	if ((w->base = event_base_new()) == NULL ||
	    (w->wake = event_new(w->base, -1, 0, worker_wake, w)) == NULL ||
	    (w->heartbeat = event_new(w->base, -1, EV_PERSIST, worker_beat,
	    w)) == NULL || event_add(w->heartbeat, &beat) == -1) {
		worker_free(w);
		return NULL;
	}
	return w;
}

int
worker_start(struct worker *w, const char **errstr)
{
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		*errstr = "cannot start a worker thread";
		return -1;
	}
	w->started = 1;
	return 0;
}

struct event_base *
worker_base(const struct worker *w)
{
	return w->base;
}

size_t
worker_index(const struct worker *w)
{
	return w->index;
}

uint64_t
worker_heartbeats(const struct worker *w)
{
	return w->beats;
}

void
worker_send(struct worker *w, struct worker_msg *m)
{
	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(&w->mailbox, m, entry);
	pthread_mutex_unlock(&w->lock);
	event_active(w->wake, EV_READ, 0);
}

int
worker_post(struct worker *w, void (*fn)(void *), void *arg)
{
	struct worker_msg	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -1;
	m->fn = fn;
	m->arg = arg;
	m->allocated = 1;
	worker_send(w, m);
	return 0;
}

void
worker_exit(struct worker *w)
{
	event_base_loopexit(w->base, NULL);
}

void
worker_join(struct worker *w)
{
	if (w == NULL || !w->started)
		return;
	pthread_join(w->thread, NULL);
	w->started = 0;
}

void
worker_drain(struct worker *w)
{
	struct worker_msgs	msgs;

	/* A message run here may post another: until none is left. */
	for (;;) {
		STAILQ_INIT(&msgs);
		pthread_mutex_lock(&w->lock);
		STAILQ_CONCAT(&msgs, &w->mailbox);
		pthread_mutex_unlock(&w->lock);
		if (STAILQ_EMPTY(&msgs))
			break;
		worker_run(&msgs);
	}
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	worker_join(w);
	worker_drain(w);
	if (w->wake != NULL)
		event_free(w->wake);
	if (w->heartbeat != NULL)
		event_free(w->heartbeat);
	if (w->base != NULL)
		event_base_free(w->base);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
