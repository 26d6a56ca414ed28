/*
 * gpd: the provincial federation's report daemon. Start-up, the listener,
 * signals and the one teardown of the server.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <netdb.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>

#include "gpd.h"

#define GPD_DEFAULT_CONF	GP_SYSCONFDIR "/gpd/gpd.conf"
#define GPD_BACKLOG		128
#define GPD_ACCEPT_PAUSE	1	/* seconds, after EMFILE */
#define GPD_WORKERS_MAX		64
#define GPD_STOP_TIMEOUT	10	/* seconds for requests in progress */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: gpd [-nv] [-f file]\n");
	exit(1);
}

void
server_listener_update(struct server *srv)
{
	if (srv->listener == NULL)
		return;
	if (srv->nsessions >= srv->conf->max_connections) {
		if (!srv->paused) {
			evconnlistener_disable(srv->listener);
			srv->paused = 1;
			log_warnx("max_connections=%u reached: not accepting",
			    srv->conf->max_connections);
		}
	} else if (srv->paused &&
	    !evtimer_pending(srv->resume_timer, NULL)) {
		evconnlistener_enable(srv->listener);
		srv->paused = 0;
	}
}

/* From any thread, when a session ends. */
void
server_session_gone(struct server *srv)
{
	srv->nsessions--;
	if (srv->paused)
		event_active(srv->resume, EV_READ, 0);
}

static void
server_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	server_listener_update(arg);
}

static void
server_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int socklen, void *arg)
{
	struct server	*srv = arg;
	struct worker	*w;

	(void)l;
	/* Counted here, on the accepting thread, so the cap is exact. */
	srv->nsessions++;
	w = srv->workers[srv->next_worker++ % srv->nworkers];
	worker_accept(w, fd, sa, socklen);
	server_listener_update(srv);
}

static void
server_accept_error(struct evconnlistener *l, void *arg)
{
	struct server	*srv = arg;
	struct timeval	 tv = { GPD_ACCEPT_PAUSE, 0 };
	int		 e = EVUTIL_SOCKET_ERROR();

	/* Out of descriptors: pause instead of spinning on accept. */
	log_warnx("accept: %s: pausing %d s", evutil_socket_error_to_string(e),
	    GPD_ACCEPT_PAUSE);
	evconnlistener_disable(l);
	srv->paused = 1;
	evtimer_add(srv->resume_timer, &tv);
}

static int
server_listen(struct server *srv, char **cause)
{
	struct addrinfo	 hints, *res = NULL;
	char		*host = NULL, *port;
	int		 error, rv = -1;

	if ((host = strdup(srv->conf->listen)) == NULL ||
	    (port = strrchr(host, ':')) == NULL || port[1] == '\0') {
		if (asprintf(cause, "listen = %s: not HOST:PORT",
		    srv->conf->listen) == -1)
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
		if (asprintf(cause, "listen = %s: %s", srv->conf->listen,
		    gai_strerror(error)) == -1)
			*cause = NULL;
		goto done;
	}
	srv->listener = evconnlistener_new_bind(srv->base, server_accept, srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    GPD_BACKLOG, res->ai_addr, (int)res->ai_addrlen);
	if (srv->listener == NULL) {
		if (asprintf(cause, "listen = %s: %s", srv->conf->listen,
		    strerror(errno)) == -1)
			*cause = NULL;
		goto done;
	}
	evconnlistener_set_error_cb(srv->listener, server_accept_error);
	rv = 0;
done:
	if (res != NULL)
		freeaddrinfo(res);
	free(host);
	return rv;
}

static void
server_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reload is not available in this version; "
		    "restart gpd to apply a new configuration");
		break;
	default:
		log_info("signal %d: stopping", (int)sig);
		if (srv->listener != NULL) {
			evconnlistener_free(srv->listener);
			srv->listener = NULL;
		}
		event_base_loopexit(srv->base, NULL);
		break;
	}
}

/*
 * The one teardown of everything main() made; safe on a partial server.
 * Workers finish the requests they have (bounded), then the writer commits
 * what was queued, so nothing acknowledged is lost and nothing queued is
 * dropped without an answer having been refused.
 */
static void
server_free(struct server *srv, struct event **sigs, size_t nsigs)
{
	size_t	i;

	if (srv->listener != NULL)
		evconnlistener_free(srv->listener);
	srv->listener = NULL;
	workers_stop(srv, GPD_STOP_TIMEOUT);
	writer_stop(srv->writer);
	workers_free(srv);
	for (i = 0; i < nsigs; i++)
		if (sigs[i] != NULL)
			event_free(sigs[i]);
	if (srv->resume_timer != NULL)
		event_free(srv->resume_timer);
	if (srv->resume != NULL)
		event_free(srv->resume);
	SSL_CTX_free(srv->ssl_ctx);
	units_free(srv->units);
	config_free(srv->conf);
	if (srv->base != NULL)
		event_base_free(srv->base);
}

static size_t
server_nworkers(const struct config *conf)
{
	long	n = conf->workers;

	if (n == 0 && (n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > GPD_WORKERS_MAX ? GPD_WORKERS_MAX : (size_t)n;
}

int
main(int argc, char *argv[])
{
	static const int	 signals[] = { SIGHUP, SIGINT, SIGTERM };
	struct event		*sigs[3] = { NULL, NULL, NULL };
	struct server		 srv;
	const char		*conffile = GPD_DEFAULT_CONF, *errstr;
	char			*cause = NULL;
	size_t			 i;
	int			 ch, check = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "f:nvV")) != -1) {
		switch (ch) {
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			printf("gpd %s\n", GP_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init(1, verbose);
	signal(SIGPIPE, SIG_IGN);

	memset(&srv, 0, sizeof(srv));
	if (evthread_use_pthreads() == -1)
		fatalx("libevent without thread support");
	if ((srv.conf = config_load(conffile, &cause)) == NULL ||
	    (srv.units = units_load(srv.conf->units, &cause)) == NULL ||
	    (srv.ssl_ctx = tls_ctx_new(srv.conf, &cause)) == NULL) {
		fprintf(stderr, "gpd: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		server_free(&srv, sigs, 0);
		return 1;
	}
	if (check) {
		printf("gpd: %s: configuration OK (%zu units, %zu "
		    "administrator%s)\n", conffile, srv.units->n,
		    srv.conf->nadmins, srv.conf->nadmins == 1 ? "" : "s");
		server_free(&srv, sigs, 0);
		return 0;
	}

	if ((srv.writer = writer_start(srv.conf->database, &errstr)) == NULL)
		fatalx("database %s: %s", srv.conf->database, errstr);
	if ((srv.base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((srv.resume_timer = evtimer_new(srv.base, server_resume, &srv))
	    == NULL || (srv.resume = event_new(srv.base, -1, 0, server_resume,
	    &srv)) == NULL)
		fatalx("cannot create a timer");
	if (workers_start(&srv, server_nworkers(srv.conf), &errstr) == -1)
		fatalx("%s", errstr);
	if (server_listen(&srv, &cause) == -1)
		fatalx("%s", cause != NULL ? cause : "out of memory");
	for (i = 0; i < sizeof(signals) / sizeof(*signals); i++) {
		if ((sigs[i] = evsignal_new(srv.base, signals[i],
		    server_signal, &srv)) == NULL ||
		    evsignal_add(sigs[i], NULL) == -1)
			fatalx("cannot handle signal %d", signals[i]);
	}
	log_info("gpd %s listening on %s database=%s units=%zu workers=%zu "
	    "max_connections=%u", GP_VERSION, srv.conf->listen,
	    srv.conf->database, srv.units->n, srv.nworkers,
	    srv.conf->max_connections);
	event_base_dispatch(srv.base);
	server_free(&srv, sigs, sizeof(sigs) / sizeof(*sigs));
	log_info("stopped");
	return 0;
}
