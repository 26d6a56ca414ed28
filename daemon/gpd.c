/*
 * gpd: the provincial federation's report daemon. Start-up, the listener,
 * signals (reload, stop), systemd notification and the one teardown.
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
#include <systemd/sd-daemon.h>

#include "gpd.h"
#include "store.h"

#define GPD_DEFAULT_CONF	GP_SYSCONFDIR "/gpd/gpd.conf"
#define GPD_BACKLOG		128
#define GPD_ACCEPT_PAUSE	1	/* seconds, after EMFILE */
#define GPD_WORKERS_MAX		64
#define GPD_STOP_TIMEOUT	10	/* seconds for requests in progress */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: gpd [-nvV] [-f file] [-b backup-file]\n"
	    "       gpd [-f file] verify-audit\n");
	exit(1);
}

struct settings *
server_settings(struct server *srv)
{
	struct settings	*set;

	/* The lock keeps a reload from freeing what is being taken. */
	pthread_mutex_lock(&srv->set_lock);
	set = srv->set;
	set->refs++;
	pthread_mutex_unlock(&srv->set_lock);
	return set;
}

void
server_listener_update(struct server *srv)
{
	if (srv->listener == NULL)
		return;
	if (srv->nsessions >= srv->set->conf->max_connections +
	    GPD_BUSY_SLACK) {
		if (!srv->paused) {
			evconnlistener_disable(srv->listener);
			srv->paused = 1;
			log_warnx("max_connections=%u reached: not accepting",
			    srv->set->conf->max_connections);
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
	int		 over;

	(void)l;
	/* Counted here, on the accepting thread, so the cap is exact. */
	over = ++srv->nsessions > srv->set->conf->max_connections;
	w = srv->workers[srv->next_worker++ % srv->nworkers];
	worker_accept(w, fd, sa, socklen, over);
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
	const char	*listen = srv->set->conf->listen;
	struct addrinfo	 hints, *res = NULL;
	char		*host = NULL, *port;
	int		 error, rv = -1;
	const int	 flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC |
			    LEV_OPT_REUSEABLE;

	/* Socket activation: systemd passes one listening socket. */
	if (sd_listen_fds(1) == 1) {
		evutil_make_socket_nonblocking(SD_LISTEN_FDS_START);
		srv->listener = evconnlistener_new(srv->base, server_accept,
		    srv, flags, -1, SD_LISTEN_FDS_START);
		if (srv->listener == NULL) {
			*cause = strdup("cannot use the socket from systemd");
			return -1;
		}
		evconnlistener_set_error_cb(srv->listener, server_accept_error);
		log_info("listening on the socket passed by systemd");
		return 0;
	}
	if ((host = strdup(listen)) == NULL ||
	    (port = strrchr(host, ':')) == NULL || port[1] == '\0') {
		if (asprintf(cause, "listen = %s: not HOST:PORT", listen) == -1)
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
	srv->listener = evconnlistener_new_bind(srv->base, server_accept, srv,
	    flags, GPD_BACKLOG, res->ai_addr, (int)res->ai_addrlen);
	if (srv->listener == NULL) {
		if (asprintf(cause, "listen = %s: %s", listen,
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

/*
 * SIGHUP: configuration, registry, administrators, certificates and CRL,
 * all or nothing. Sessions keep the settings they started with; new ones
 * take these.
 */
static void
server_reload(struct server *srv)
{
	struct settings	*set, *old;
	char		*cause = NULL, detail[64];

	sd_notify(0, "RELOADING=1\nSTATUS=reloading");
	if ((set = settings_load(srv->conffile, &cause)) == NULL) {
		log_warnx("reload refused: %s; the running configuration stays",
		    cause != NULL ? cause : "out of memory");
		writer_event(srv->writer, "gpd", "reload", "refused",
		    cause != NULL ? cause : "out of memory");
		free(cause);
		sd_notify(0, "READY=1\nSTATUS=reload refused; serving with "
		    "the previous configuration");
		return;
	}
	old = srv->set;
	if (strcmp(set->conf->listen, old->conf->listen) != 0 ||
	    strcmp(set->conf->database, old->conf->database) != 0 ||
	    set->conf->workers != old->conf->workers)
		log_warnx("reload: listen, database and workers change only "
		    "on restart");
	pthread_mutex_lock(&srv->set_lock);
	srv->set = set;
	pthread_mutex_unlock(&srv->set_lock);
	settings_release(old);
	server_listener_update(srv);
	log_info("reloaded conf=%s units=%zu admins=%zu crl=%s",
	    srv->conffile, set->units->n, set->conf->nadmins,
	    set->conf->crl != NULL ? set->conf->crl : "none");
	snprintf(detail, sizeof(detail), "%zu units, %zu administrators",
	    set->units->n, set->conf->nadmins);
	writer_event(srv->writer, "gpd", "reload", "done", detail);
	sd_notifyf(0, "READY=1\nSTATUS=serving; reloaded, %zu units",
	    set->units->n);
}

static void
server_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server	*srv = arg;

	(void)what;
	if (sig == SIGHUP) {
		server_reload(srv);
		return;
	}
	log_info("signal %d: stopping", (int)sig);
	sd_notify(0, "STOPPING=1\nSTATUS=stopping: finishing requests");
	if (srv->listener != NULL) {
		evconnlistener_free(srv->listener);
		srv->listener = NULL;
	}
	event_base_loopexit(srv->base, NULL);
}

/* On the main thread: the database failed; stop, and exit non-zero so
 * that systemd restarts gpd on a sound file or an operator looks. */
static void
server_fatal(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;

	(void)fd;
	(void)what;
	log_warnx("stopping: the database cannot be written; nothing more "
	    "is acknowledged");
	sd_notify(0, "STOPPING=1\nSTATUS=database failure");
	if (srv->listener != NULL) {
		evconnlistener_free(srv->listener);
		srv->listener = NULL;
	}
	event_base_loopexit(srv->base, NULL);
}

/* From the writer thread. */
static void
server_writer_failed(void *arg)
{
	struct server	*srv = arg;

	srv->failed = 1;
	event_active(srv->fatal, EV_READ, 0);
}

/*
 * systemd's watchdog: a keep-alive only while every worker's loop is
 * turning, so a wedged worker gets gpd restarted.
 */
static void
server_watchdog(evutil_socket_t fd, short what, void *arg)
{
	struct server	*srv = arg;
	uint64_t	 beat;
	size_t		 i;
	int		 alive = 1;

	(void)fd;
	(void)what;
	for (i = 0; i < srv->nworkers; i++) {
		beat = srv->heartbeats[i];
		if (beat == srv->watched[i]) {
			log_warnx("watchdog: worker %zu is not turning", i);
			alive = 0;
		}
		srv->watched[i] = beat;
	}
	if (alive)
		sd_notify(0, "WATCHDOG=1");
}

/*
 * The one teardown of everything main() made; safe on a partial server.
 * Workers finish the requests they have (bounded), then the writer commits
 * what was queued: nothing acknowledged is lost, and a request is either
 * answered or never was.
 */
static void
server_free(struct server *srv, struct event **sigs, size_t nsigs)
{
	size_t	i;

	if (srv->listener != NULL)
		evconnlistener_free(srv->listener);
	srv->listener = NULL;
	workers_stop(srv, GPD_STOP_TIMEOUT);
	workers_close_readers(srv);
	writer_stop(srv->writer);
	workers_free(srv);
	for (i = 0; i < nsigs; i++)
		if (sigs[i] != NULL)
			event_free(sigs[i]);
	if (srv->watchdog != NULL)
		event_free(srv->watchdog);
	if (srv->fatal != NULL)
		event_free(srv->fatal);
	if (srv->resume_timer != NULL)
		event_free(srv->resume_timer);
	if (srv->resume != NULL)
		event_free(srv->resume);
	free(srv->heartbeats);
	free(srv->watched);
	settings_release(srv->set);
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

/* gpd -b FILE: an online, consistent copy while gpd serves. */
static int
backup(const char *conffile, const char *dest)
{
	struct config	*conf;
	const char	*errstr;
	char		*cause = NULL;
	int		 rv;

	if ((conf = config_load(conffile, &cause)) == NULL) {
		fprintf(stderr, "gpd: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return 1;
	}
	rv = store_backup(conf->database, dest, &errstr);
	if (rv == -1)
		fprintf(stderr, "gpd: backup of %s to %s failed: %s\n",
		    conf->database, dest, errstr);
	else
		printf("gpd: %s backed up to %s\n", conf->database, dest);
	config_free(conf);
	return rv == -1 ? 1 : 0;
}

static void
verify_say(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

/* gpd verify-audit: the chain and the stored reports, while gpd serves. */
static int
verify_audit(const char *conffile)
{
	struct config	*conf;
	const char	*errstr;
	char		*cause = NULL;
	long		 problems;

	if ((conf = config_load(conffile, &cause)) == NULL) {
		fprintf(stderr, "gpd: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return 1;
	}
	problems = store_verify(conf->database, verify_say, NULL, &errstr);
	if (problems == -1)
		fprintf(stderr, "gpd: verify-audit %s: %s\n", conf->database,
		    errstr);
	else if (problems > 0)
		printf("verify-audit: %ld problem%s found in %s\n", problems,
		    problems == 1 ? "" : "s", conf->database);
	else
		printf("verify-audit: every entry matches; every revision is "
		    "covered by the chain\n");
	config_free(conf);
	return problems == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const int	 signals[] = { SIGHUP, SIGINT, SIGTERM };
	struct event		*sigs[3] = { NULL, NULL, NULL };
	struct server		 srv;
	struct timeval		 tv;
	const char		*conffile = GPD_DEFAULT_CONF, *errstr;
	const char		*backup_file = NULL;
	char			*cause = NULL;
	uint64_t		 watchdog_usec = 0;
	size_t			 i;
	int			 ch, check = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "b:f:nvV")) != -1) {
		switch (ch) {
		case 'b':
			backup_file = optarg;
			break;
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
	if (optind < argc && strcmp(argv[optind], "verify-audit") == 0 &&
	    optind + 1 == argc)
		return verify_audit(conffile);
	if (optind != argc)
		usage();
	log_init(1, verbose);
	signal(SIGPIPE, SIG_IGN);
	if (backup_file != NULL)
		return backup(conffile, backup_file);

	memset(&srv, 0, sizeof(srv));
	srv.conffile = conffile;
	pthread_mutex_init(&srv.set_lock, NULL);
	if ((srv.set = settings_load(conffile, &cause)) == NULL) {
		fprintf(stderr, "gpd: %s\n", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return 1;
	}
	if (check) {
		printf("gpd: %s: configuration OK (%zu units, %zu "
		    "administrator%s)\n", conffile, srv.set->units->n,
		    srv.set->conf->nadmins,
		    srv.set->conf->nadmins == 1 ? "" : "s");
		server_free(&srv, sigs, 0);
		return 0;
	}

	if (evthread_use_pthreads() == -1)
		fatalx("libevent without thread support");
	if ((srv.base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((srv.fatal = event_new(srv.base, -1, 0, server_fatal, &srv))
	    == NULL)
		fatalx("cannot create an event");
	if ((srv.writer = writer_start(srv.set->conf->database,
	    server_writer_failed, &srv, &errstr)) == NULL)
		fatalx("database %s: %s", srv.set->conf->database, errstr);
	if ((srv.resume_timer = evtimer_new(srv.base, server_resume, &srv))
	    == NULL || (srv.resume = event_new(srv.base, -1, 0, server_resume,
	    &srv)) == NULL)
		fatalx("cannot create a timer");
	if ((srv.heartbeats = calloc(server_nworkers(srv.set->conf),
	    sizeof(*srv.heartbeats))) == NULL ||
	    (srv.watched = calloc(server_nworkers(srv.set->conf),
	    sizeof(*srv.watched))) == NULL)
		fatalx("out of memory");
	if (workers_start(&srv, server_nworkers(srv.set->conf), &errstr) == -1)
		fatalx("%s", errstr);
	if (server_listen(&srv, &cause) == -1)
		fatalx("%s", cause != NULL ? cause : "out of memory");
	for (i = 0; i < sizeof(signals) / sizeof(*signals); i++) {
		if ((sigs[i] = evsignal_new(srv.base, signals[i],
		    server_signal, &srv)) == NULL ||
		    evsignal_add(sigs[i], NULL) == -1)
			fatalx("cannot handle signal %d", signals[i]);
	}
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
		tv.tv_sec = (time_t)(watchdog_usec / 2 / 1000000);
		tv.tv_usec = (suseconds_t)(watchdog_usec / 2 % 1000000);
		if ((srv.watchdog = event_new(srv.base, -1, EV_PERSIST,
		    server_watchdog, &srv)) == NULL ||
		    event_add(srv.watchdog, &tv) == -1)
			fatalx("cannot start the watchdog timer");
	}
	log_info("gpd %s listening on %s database=%s units=%zu workers=%zu "
	    "max_connections=%u", GP_VERSION, srv.set->conf->listen,
	    srv.set->conf->database, srv.set->units->n, srv.nworkers,
	    srv.set->conf->max_connections);
	sd_notifyf(0, "READY=1\nSTATUS=serving on %s, %zu units",
	    srv.set->conf->listen, srv.set->units->n);
	event_base_dispatch(srv.base);
	server_free(&srv, sigs, sizeof(sigs) / sizeof(*sigs));
	pthread_mutex_destroy(&srv.set_lock);
	log_info("stopped%s", srv.failed ? " after a database failure" : "");
	return srv.failed ? 1 : 0;
}
