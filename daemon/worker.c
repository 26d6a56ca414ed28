/*
 * Workers: one event loop per core. The main thread accepts and hands
 * each connection to a worker in turn; the worker owns that session for
 * its whole life (TLS, requests, replies). Other threads talk to a worker
 * only through its locked queues and its wake event.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "gpd.h"

struct accepted {
	STAILQ_ENTRY(accepted)	 entry;
	int			 fd;
	int			 over;
	socklen_t		 socklen;
	struct sockaddr_storage	 ss;
};

STAILQ_HEAD(accepted_list, accepted);

static void
worker_stop_idle(struct worker *w)
{
	struct session	*s, *next;

	/* A session waiting for the writer keeps going until it has its
	 * answer; it closes once the reply is out (see session_resume). */
	for (s = TAILQ_FIRST(&w->sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->busy)
			s->closing = 1;
		else
			session_close(s, "shutdown");
	}
	if (w->nsessions == 0)
		event_base_loopexit(w->base, NULL);
}

static void
worker_wake(evutil_socket_t fd, short what, void *arg)
{
	struct worker		*w = arg;
	struct accepted_list	 accepted;
	struct jobs		 done;
	struct accepted		*a;
	struct job		*job;
	int			 stopping;

	(void)fd;
	(void)what;
	STAILQ_INIT(&accepted);
	STAILQ_INIT(&done);
	pthread_mutex_lock(&w->lock);
	STAILQ_CONCAT(&accepted, w->accepted);
	STAILQ_CONCAT(&done, &w->done);
	stopping = w->stopping;
	pthread_mutex_unlock(&w->lock);

	while ((job = STAILQ_FIRST(&done)) != NULL) {
		STAILQ_REMOVE_HEAD(&done, entry);
		handler_job_done(job);
	}
	while ((a = STAILQ_FIRST(&accepted)) != NULL) {
		STAILQ_REMOVE_HEAD(&accepted, entry);
		if (stopping) {
			close(a->fd);
			server_session_gone(w->server);
		} else
			session_accept(w, a->fd,
			    (struct sockaddr *)&a->ss, (int)a->socklen,
			    a->over);
		free(a);
	}
	if (stopping)
		worker_stop_idle(w);
}

static void
worker_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct session	*s;

	(void)fd;
	(void)what;
	while ((s = TAILQ_FIRST(&w->sessions)) != NULL)
		session_close(s, "shutdown deadline");
	event_base_loopexit(w->base, NULL);
}

static void
worker_heartbeat(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	w->server->heartbeats[w->index]++;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	/* Idle workers wait for their wake event, which is never "added". */
	event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

void
worker_session_gone(struct worker *w)
{
	int	stopping;

	pthread_mutex_lock(&w->lock);
	stopping = w->stopping;
	pthread_mutex_unlock(&w->lock);
	if (stopping && w->nsessions == 0)
		event_base_loopexit(w->base, NULL);
}

void
worker_accept(struct worker *w, int fd, const struct sockaddr *sa,
    int socklen, int over)
{
	struct accepted	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (size_t)socklen > sizeof(a->ss)) {
		log_warnx("accept: out of memory");
		free(a);
		close(fd);
		server_session_gone(w->server);
		return;
	}
	a->fd = fd;
	a->over = over;
	a->socklen = (socklen_t)socklen;
	memcpy(&a->ss, sa, (size_t)socklen);
	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(w->accepted, a, entry);
	pthread_mutex_unlock(&w->lock);
	event_active(w->wake, EV_READ, 0);
}

void
worker_job_done(struct job *job)
{
	struct worker	*w = job->worker;

	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(&w->done, job, entry);
	pthread_mutex_unlock(&w->lock);
	event_active(w->wake, EV_READ, 0);
}

static void
worker_free(struct worker *w)
{
	struct accepted	*a;
	struct job	*job;

	if (w == NULL)
		return;
	/* Jobs the writer finished after the loop ended. */
	while ((job = STAILQ_FIRST(&w->done)) != NULL) {
		STAILQ_REMOVE_HEAD(&w->done, entry);
		handler_job_done(job);
	}
	while ((a = STAILQ_FIRST(w->accepted)) != NULL) {
		STAILQ_REMOVE_HEAD(w->accepted, entry);
		close(a->fd);
		free(a);
	}
	free(w->accepted);
	store_close(w->reader);
	if (w->wake != NULL)
		event_free(w->wake);
	if (w->deadline != NULL)
		event_free(w->deadline);
	if (w->heartbeat != NULL)
		event_free(w->heartbeat);
	if (w->base != NULL)
		event_base_free(w->base);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static struct worker *
worker_new(struct server *srv, size_t index, const char **errstr)
{
	struct timeval	 beat = { 1, 0 };
	struct worker	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->server = srv;
	w->index = index;
	pthread_mutex_init(&w->lock, NULL);
	STAILQ_INIT(&w->done);
	TAILQ_INIT(&w->sessions);
	*errstr = "cannot create a worker's event loop";
	if ((w->accepted = malloc(sizeof(*w->accepted))) == NULL)
		goto fail;
	/* After the writer has created and migrated the database. */
	if ((w->reader = store_open_reader(srv->set->conf->database, errstr))
	    == NULL)
		goto fail;
	STAILQ_INIT(w->accepted);
	if ((w->base = event_base_new()) == NULL ||
	    (w->wake = event_new(w->base, -1, 0, worker_wake, w))
	    == NULL ||
	    (w->deadline = evtimer_new(w->base, worker_deadline, w)) == NULL ||
	    (w->heartbeat = event_new(w->base, -1, EV_PERSIST,
	    worker_heartbeat, w)) == NULL ||
	    event_add(w->heartbeat, &beat) == -1)
		goto fail;
	return w;
fail:
	worker_free(w);
	return NULL;
}

int
workers_start(struct server *srv, size_t n, const char **errstr)
{
	size_t	i;

	if ((srv->workers = calloc(n, sizeof(*srv->workers))) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((srv->workers[i] = worker_new(srv, i, errstr)) == NULL)
			return -1;
		srv->nworkers = i + 1;
		if (pthread_create(&srv->workers[i]->thread, NULL, worker_main,
		    srv->workers[i]) != 0) {
			worker_free(srv->workers[i]);
			srv->workers[i] = NULL;
			srv->nworkers = i;
			*errstr = "cannot start a worker thread";
			return -1;
		}
	}
	return 0;
}

void
workers_stop(struct server *srv, unsigned int timeout)
{
	struct timeval	 tv = { (time_t)timeout, 0 };
	struct worker	*w;
	size_t		 i;

	for (i = 0; i < srv->nworkers; i++) {
		w = srv->workers[i];
		pthread_mutex_lock(&w->lock);
		w->stopping = 1;
		pthread_mutex_unlock(&w->lock);
		event_add(w->deadline, &tv);
		event_active(w->wake, EV_READ, 0);
	}
	for (i = 0; i < srv->nworkers; i++)
		pthread_join(srv->workers[i]->thread, NULL);
}

/* Readers close before the writer, so that the writer, closing last,
 * checkpoints the WAL into the database file and removes it. */
void
workers_close_readers(struct server *srv)
{
	size_t	i;

	for (i = 0; i < srv->nworkers; i++) {
		store_close(srv->workers[i]->reader);
		srv->workers[i]->reader = NULL;
	}
}

void
workers_free(struct server *srv)
{
	size_t	i;

	for (i = 0; i < srv->nworkers; i++)
		worker_free(srv->workers[i]);
	free(srv->workers);
	srv->workers = NULL;
	srv->nworkers = 0;
}
