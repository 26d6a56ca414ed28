/*
 * Accepting connections: on the main thread, counted here so that the
 * cap is exact, and handed to the workers in turn through their
 * mailboxes. Sessions tell the listener they ended through the callback
 * it gives their host.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <netdb.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "listener.h"
#include "log.h"
#include "session.h"
#include "settings.h"
#include "worker.h"

/* The kernel's queue of connections not yet accepted: deep, so that a
 * flood waits there instead of pushing a real client's SYN out. */
#define LISTENER_BACKLOG	SOMAXCONN
#define LISTENER_EMFILE_PAUSE	1	/* seconds */
#define LISTENER_SUMMARY_EVERY	1	/* seconds */

struct listener {
	struct event_base	*base;
	struct evconnlistener	*evl;
	struct event		*resume;	/* listener back on */
	struct event		*resume_timer;	/* after EMFILE */
	struct event		*summary;	/* the half-open summary */
	struct settings_slot	*slot;
	struct worker		**workers;
	struct session_host	**hosts;
	size_t			 nworkers;
	size_t			 next;
	/* Connections on their way to a worker or in their handshake, and
	 * those past it, which max_connections counts. */
	_Atomic unsigned int	 nconns;
	_Atomic unsigned int	 nestablished;
	_Atomic int		 paused;
};

/* A connection on its way to a worker. */
struct listener_conn {
	struct session_host	*host;
	int			 fd;
	socklen_t		 socklen;
	struct sockaddr_storage	 ss;
};

static unsigned int
listener_max(struct listener *l)
{
	struct settings	*set = settings_get(l->slot);
	unsigned int	 max = set->conf->max_connections;

	settings_release(set);
	return max;
}

void
listener_update(struct listener *l)
{
	unsigned int	max;

	if (l->evl == NULL)
		return;
	max = listener_max(l);
	if (l->nestablished >= max + LISTENER_BUSY_SLACK) {
		if (!l->paused) {
			evconnlistener_disable(l->evl);
			l->paused = 1;
			log_warnx("max_connections=%u reached: not accepting",
			    max);
		}
	} else if (l->paused && !evtimer_pending(l->resume_timer, NULL)) {
		evconnlistener_enable(l->evl);
		l->paused = 0;
	}
}

/* From a worker's thread, when a connection finishes its handshake:
 * whether it is past max_connections. */
static int
listener_established(void *arg)
{
	struct listener	*l = arg;
	unsigned int	 max = listener_max(l), n;

	l->nconns--;
	n = ++l->nestablished;
	if (n >= max + LISTENER_BUSY_SLACK)
		event_active(l->resume, EV_READ, 0);
	return n > max;
}

/* From a worker's thread, when one of its sessions ends. */
static void
listener_gone(void *arg, int established)
{
	struct listener	*l = arg;

	if (established)
		l->nestablished--;
	else
		l->nconns--;
	if (l->paused)
		event_active(l->resume, EV_READ, 0);
}

/*
 * Once a second, one line for what happened before handshakes, instead
 * of one per connection: a flood of connections that never speak leaves
 * a line a second.
 */
static void
listener_summary(evutil_socket_t fd, short what, void *arg)
{
	struct listener		*l = arg;
	struct session_stats	 st, sum;
	size_t			 i;

	(void)fd;
	(void)what;
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < l->nworkers; i++) {
		session_host_stats(l->hosts[i], &st);
		sum.dropped += st.dropped;
		sum.timeouts += st.timeouts;
		sum.lost += st.lost;
		sum.failed += st.failed;
		sum.failed_unlogged += st.failed_unlogged;
		sum.halfopen += st.halfopen;
		if (st.last_dropped[0] != '\0')
			memcpy(sum.last_dropped, st.last_dropped,
			    sizeof(sum.last_dropped));
	}
	if (sum.dropped + sum.timeouts + sum.lost + sum.failed == 0)
		return;
	log_info("handshakes: %" PRIu64 " connections closed before it in "
	    "%d s: dropped=%" PRIu64 " timeout=%" PRIu64 " lost=%" PRIu64
	    " failed=%" PRIu64 " unlogged=%" PRIu64 " half_open=%u "
	    "established=%u last_dropped=%s", sum.dropped + sum.timeouts +
	    sum.lost + sum.failed, LISTENER_SUMMARY_EVERY, sum.dropped,
	    sum.timeouts, sum.lost, sum.failed, sum.failed_unlogged,
	    sum.halfopen, (unsigned int)l->nestablished,
	    sum.last_dropped[0] != '\0' ? sum.last_dropped : "-");
}

static void
listener_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listener_update(arg);
}

/* On the worker's loop. */
static void
listener_hand(void *arg)
{
	struct listener_conn	*c = arg;

	session_accept(c->host, c->fd, (struct sockaddr *)&c->ss,
	    (int)c->socklen);
	free(c);
}

static void
listener_accept(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int socklen, void *arg)
{
	struct listener		*l = arg;
	struct listener_conn	*c;
	size_t			 i;

	(void)evl;
	l->nconns++;
	i = l->next++ % l->nworkers;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (size_t)socklen > sizeof(c->ss)) {
		log_warnx("accept: out of memory");
		free(c);
		close(fd);
		l->nconns--;
		return;
	}
	c->host = l->hosts[i];
	c->fd = fd;
	c->socklen = (socklen_t)socklen;
	memcpy(&c->ss, sa, (size_t)socklen);
	if (worker_post(l->workers[i], listener_hand, c) == -1) {
		log_warnx("accept: out of memory");
		free(c);
		close(fd);
		l->nconns--;
		return;
	}
}

static void
listener_accept_error(struct evconnlistener *evl, void *arg)
{
	struct listener	*l = arg;
	struct timeval	 tv = { LISTENER_EMFILE_PAUSE, 0 };
	size_t		 i;
	int		 e = EVUTIL_SOCKET_ERROR();

	/* Out of descriptors: pause instead of spinning on accept, and
	 * have connections that never spoke give theirs back meanwhile. */
	log_warnx("accept: %s: pausing %d s", evutil_socket_error_to_string(e),
	    LISTENER_EMFILE_PAUSE);
	evconnlistener_disable(evl);
	l->paused = 1;
	evtimer_add(l->resume_timer, &tv);
	for (i = 0; i < l->nworkers; i++)
		(void)session_host_shed(l->hosts[i]);
}

struct listener *
listener_new(struct event_base *base, struct settings_slot *slot,
    struct writer *writer, struct worker **workers, size_t nworkers,
    struct refusals *refusals, const char **errstr)
{
	struct listener		*l;
	struct session_hooks	 hooks;
	struct timeval		 tv = { LISTENER_SUMMARY_EVERY, 0 };
	size_t			 i;

	*errstr = "out of memory";
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->base = base;
	l->slot = slot;
	l->workers = workers;
	l->nworkers = nworkers;
	if ((l->hosts = calloc(nworkers, sizeof(*l->hosts))) == NULL)
		goto fail;
	if ((l->resume_timer = evtimer_new(base, listener_resume, l)) == NULL ||
	    (l->resume = event_new(base, -1, 0, listener_resume, l)) == NULL ||
	    (l->summary = event_new(base, -1, EV_PERSIST, listener_summary,
	    l)) == NULL || event_add(l->summary, &tv) == -1) {
		*errstr = "cannot create a timer";
		goto fail;
	}
	memset(&hooks, 0, sizeof(hooks));
	hooks.established = listener_established;
	hooks.gone = listener_gone;
	hooks.arg = l;
	hooks.hosts = nworkers;
	hooks.refusals = refusals;
	for (i = 0; i < nworkers; i++)
		if ((l->hosts[i] = session_host_new(workers[i], writer, slot,
		    &hooks, errstr)) == NULL)
			goto fail;
	return l;
fail:
	listener_free(l);
	return NULL;
}

int
listener_listen(struct listener *l, char **cause)
{
	struct settings	*set = settings_get(l->slot);
	const char	*listen = set->conf->listen;
	struct addrinfo	 hints, *res = NULL;
	char		*host = NULL, *port;
	int		 error, rv = -1;
	const int	 flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC |
			    LEV_OPT_REUSEABLE;

	*cause = NULL;
	/* Socket activation: systemd passes one listening socket. */
	if (sd_listen_fds(1) == 1) {
		evutil_make_socket_nonblocking(SD_LISTEN_FDS_START);
		l->evl = evconnlistener_new(l->base, listener_accept, l, flags,
		    -1, SD_LISTEN_FDS_START);
		if (l->evl == NULL) {
			*cause = strdup("cannot use the socket from systemd");
			goto done;
		}
		evconnlistener_set_error_cb(l->evl, listener_accept_error);
		log_info("listening on the socket passed by systemd");
		rv = 0;
		goto done;
	}
	if ((host = strdup(listen)) == NULL ||
	    (port = strrchr(host, ':')) == NULL || port[1] == '\0') {
		if (host != NULL && asprintf(cause, "listen = %s: not "
		    "HOST:PORT", listen) == -1)
			*cause = NULL;
		goto done;
	}
	*port++ = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((error = getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints,
	    &res)) != 0) {
		if (asprintf(cause, "listen = %s: %s", listen,
		    gai_strerror(error)) == -1)
			*cause = NULL;
		goto done;
	}
	l->evl = evconnlistener_new_bind(l->base, listener_accept, l, flags,
	    LISTENER_BACKLOG, res->ai_addr, (int)res->ai_addrlen);
	if (l->evl == NULL) {
		if (asprintf(cause, "listen = %s: %s", listen,
		    strerror(errno)) == -1)
			*cause = NULL;
		goto done;
	}
	evconnlistener_set_error_cb(l->evl, listener_accept_error);
	rv = 0;
done:
	if (rv == -1 && *cause == NULL)
		*cause = strdup("out of memory");
	if (res != NULL)
		freeaddrinfo(res);
	free(host);
	settings_release(set);
	return rv;
}

void
listener_stop(struct listener *l, unsigned int timeout)
{
	size_t	i;

	if (l == NULL)
		return;
	if (l->evl != NULL)
		evconnlistener_free(l->evl);
	l->evl = NULL;
	if (l->summary != NULL)
		event_del(l->summary);
	for (i = 0; i < l->nworkers; i++)
		if (l->hosts[i] != NULL)
			session_host_stop(l->hosts[i], timeout);
}

void
listener_close_readers(struct listener *l)
{
	size_t	i;

	for (i = 0; l != NULL && i < l->nworkers; i++)
		if (l->hosts[i] != NULL)
			session_host_close_readers(l->hosts[i]);
}

void
listener_free(struct listener *l)
{
	size_t	i;

	if (l == NULL)
		return;
	if (l->evl != NULL)
		evconnlistener_free(l->evl);
	for (i = 0; l->hosts != NULL && i < l->nworkers; i++)
		session_host_free(l->hosts[i]);
	free(l->hosts);
	if (l->resume_timer != NULL)
		event_free(l->resume_timer);
	if (l->resume != NULL)
		event_free(l->resume);
	if (l->summary != NULL)
		event_free(l->summary);
	free(l);
}

void
listener_recheck(struct listener *l)
{
	size_t	i;

	for (i = 0; i < l->nworkers; i++)
		if (session_host_recheck(l->hosts[i]) == -1)
			log_warnx("reload: out of memory: the sessions of "
			    "worker %zu are checked within idle_timeout", i);
}
