/*
 * gpd: the provincial federation's report daemon. Start-up, signals
 * (reload, stop), systemd notification, the watchdog, and the one
 * teardown of everything it started; the offline commands (-n, -b,
 * verify-audit).
 *
 * What gpd prints for a person (usage, -n, -b, verify-audit, a
 * configuration refused at start) is in the locale's language (i18n.h);
 * its log is English: it is read by grep and quoted to whoever helps.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "form.h"
#include "i18n.h"
#include "listener.h"
#include "log.h"
#include "refusals.h"
#include "request.h"
#include "settings.h"
#include "tz.h"
#include "store.h"
#include "units.h"
#include "worker.h"
#include "writer.h"

#define GPD_DEFAULT_CONF	GP_SYSCONFDIR "/gpd/gpd.conf"
#define GPD_WORKERS_MAX		64
#define GPD_STOP_TIMEOUT	10	/* seconds for requests in progress */
/* Descriptors beyond the connections: the database, its readers, the
 * event loops, the log. */
#define GPD_FDS_SPARE		64

struct gpd {
	struct event_base	*base;
	struct event		*sigs[3];
	struct event		*watchdog;	/* keep-alives to systemd */
	struct event		*fatal;		/* the writer gave up */
	struct event		*refusals_timer;	/* windows that end */
	struct refusals		*refusals;
	_Atomic int		 failed;
	const char		*conffile;
	struct settings_slot	*slot;
	struct writer		*writer;
	struct worker		**workers;
	size_t			 nworkers;
	uint64_t		*watched;	/* heartbeats as last seen */
	struct listener		*listener;
};

static void
usage(int status)
{
	/* TRANSLATORS: gpd's usage; keep the option letters, translate
	 * "file" and "backup-file" as below, align the descriptions. */
	fprintf(status == 0 ? stdout : stderr,
	    _("usage: gpd [-hnvV] [-f file] [-b backup-file]\n"
	    "       gpd [-f file] verify-audit\n"
	    "\n"
	    "  -f file         configuration (default %s)\n"
	    "  -n              check the configuration, the registry and the\n"
	    "                  certificates, then exit\n"
	    "  -b backup-file  write a consistent copy of the database while\n"
	    "                  gpd serves, then exit\n"
	    "  -v              log debug lines too\n"
	    "  -V              print the version and exit\n"
	    "  -h, --help      print this and exit\n"
	    "  verify-audit    check the audit chain and every stored revision\n"
	    "\n"
	    "See gpd(8) and gpd.conf(5).\n"), GPD_DEFAULT_CONF);
	exit(status);
}

/*
 * The reload rule of gp-forms(5): a code of a form that stored reports
 * use may not be removed or change its meaning. Returns 0 when the forms
 * of set may replace those of old, or -1 with *cause (malloc'd) and a log
 * line for every code in use, with how many reports use it. Only a
 * reload runs it: its words go to the log and the audit, in English.
 */
static int
gpd_forms_check(const struct settings *old, const struct settings *set,
    char **cause)
{
	const struct form_change	*c;
	struct form_change		*v;
	struct store			*db;
	const char			*errstr;
	size_t				 n, i, used = 0;
	long				 count;

	*cause = NULL;
	if (form_set_compare(old->forms, set->forms, &v, &n) == -1) {
		*cause = strdup(U_("out of memory comparing the forms"));
		return -1;
	}
	if (n == 0)
		return 0;
	if ((db = store_open_reader(old->conf->database, &errstr)) == NULL) {
		if (asprintf(cause, U_("the forms change, and the reports "
		    "that use what changes cannot be counted: %s"), errstr) ==
		    -1)
			*cause = NULL;
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = &v[i];
		if ((count = store_count_using(db, c->year, c->list, c->code))
		    == -1) {
			if (asprintf(cause, U_("cannot count the reports that "
			    "use what the forms change: %s"), store_error(db))
			    == -1)
				*cause = NULL;
			break;
		}
		if (count == 0) {
			log_info("reload: form %d: %s%s%s %s; no stored report "
			    "uses it", c->year, form_list_name(c->list),
			    *c->code != '\0' ? " " : "", c->code, c->what);
			continue;
		}
		log_warnx("reload refused: form %d: %s%s%s %s, but %ld stored "
		    "report%s use%s it; the running configuration stays",
		    c->year, form_list_name(c->list),
		    *c->code != '\0' ? " " : "", c->code, c->what, count,
		    count == 1 ? "" : "s", count == 1 ? "s" : "");
		used++;
	}
	store_close(db);
	if (i == n && used > 0 && asprintf(cause, U_("the forms would remove "
	    "or change %zu code%s that stored reports use (see the log)"),
	    used, used == 1 ? "" : "s") == -1)
		*cause = NULL;
	free(v);
	if (i < n || used > 0) {
		if (*cause == NULL)
			*cause = strdup(U_("out of memory"));
		return -1;
	}
	return 0;
}

/*
 * The registry as the store keeps it for the totals by unit (code order,
 * as units.c sorts): n entries pointing into set, or NULL when out of
 * memory.
 */
static struct store_unit *
gpd_store_units(const struct settings *set)
{
	const struct units	*u = set->units;
	struct store_unit	*v;
	size_t			 i;

	if ((v = calloc(u->n > 0 ? u->n : 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < u->n; i++) {
		v[i].code = u->v[i].code;
		v[i].type = u->v[i].type;
		v[i].valid_from = u->v[i].valid_from;
		v[i].valid_to = u->v[i].valid_to;
	}
	return v;
}

/*
 * SIGHUP: configuration, registry, administrators, certificates and CRL,
 * and the report forms (under their reload rule), all or nothing. New
 * connections take these at once; every open session is checked against
 * them on its worker: one whose certificate no longer verifies (revoked,
 * expired, another CA) or whose CN is no longer an administrator nor a
 * unit is closed, the others take them (and their new role) from their
 * next request.
 */
static void
gpd_reload(struct gpd *g)
{
	struct settings		*set, *old;
	struct store_unit	*units;
	size_t			 i;
	char			*cause = NULL, detail[64], years[128];

	sd_notify(0, "RELOADING=1\nSTATUS=reloading");
	old = settings_get(g->slot);
	if ((set = settings_load(g->conffile, &cause)) == NULL ||
	    gpd_forms_check(old, set, &cause) == -1) {
		log_warnx("reload refused: %s; the running configuration stays",
		    cause != NULL ? cause : "out of memory");
		writer_event(g->writer, "gpd", NULL, "reload", "refused",
		    cause != NULL ? cause : "out of memory");
		free(cause);
		settings_release(set);
		settings_release(old);
		sd_notify(0, "READY=1\nSTATUS=reload refused; serving with "
		    "the previous configuration");
		return;
	}
	if (strcmp(set->conf->listen, old->conf->listen) != 0 ||
	    strcmp(set->conf->database, old->conf->database) != 0 ||
	    set->conf->workers != old->conf->workers)
		log_warnx("reload: listen, database and workers change only "
		    "on restart");
	settings_release(old);
	form_set_years(set->forms, years, sizeof(years));
	for (i = 0; years[i] != '\0'; i++)
		if (years[i] == ' ')
			memmove(&years[i], &years[i + 1], strlen(&years[i]));
	log_info("reloaded conf=%s units=%zu admins=%zu crl=%s forms=%s "
	    "timezone=%s", g->conffile, set->units->n, set->conf->nadmins,
	    set->conf->crl != NULL ? set->conf->crl : "none", years,
	    tz_name(set->zone));
	/* The audit's words, as the log's: English. */
	snprintf(detail, sizeof(detail), U_("%zu units, %zu administrators"),
	    set->units->n, set->conf->nadmins);
	sd_notifyf(0, "READY=1\nSTATUS=serving; reloaded, %zu units",
	    set->units->n);
	/* The totals by unit type and validity follow the registry with
	 * the writer's next commit. */
	if ((units = gpd_store_units(set)) != NULL)
		writer_registry(g->writer, units, set->units->n);
	else
		log_warnx("reload: out of memory: the totals by unit keep the "
		    "registry before");
	free(units);
	settings_put(g->slot, set);
	listener_update(g->listener);
	writer_event(g->writer, "gpd", NULL, "reload", "done", detail);
	listener_recheck(g->listener);
}

/* Each second: the windows of refusals that ended are put on record. */
static void
gpd_refusals(evutil_socket_t fd, short what, void *arg)
{
	struct gpd	*g = arg;

	(void)fd;
	(void)what;
	refusals_expire(g->refusals, time(NULL), 0, request_summary,
	    g->writer);
}

/*
 * Every connection takes a descriptor: raise the soft limit to the hard
 * one when max_connections and max_handshakes need more, and say so when
 * even that is short (accepting then pauses when they run out).
 */
static void
gpd_descriptors(const struct config *conf)
{
	struct rlimit	rl;
	rlim_t		need;

	need = (rlim_t)conf->max_connections + LISTENER_BUSY_SLACK +
	    conf->max_handshakes + GPD_FDS_SPARE;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= need)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < need)
		log_warnx("descriptors: %llu open files allowed, %llu wanted "
		    "by max_connections and max_handshakes: accepting pauses "
		    "when they run out", (unsigned long long)rl.rlim_cur,
		    (unsigned long long)need);
}

/* Stops accepting; the loop ends and main tears everything down. */
static void
gpd_stop(struct gpd *g)
{
	listener_stop(g->listener, GPD_STOP_TIMEOUT);
	event_base_loopexit(g->base, NULL);
}

static void
gpd_signal(evutil_socket_t sig, short what, void *arg)
{
	struct gpd	*g = arg;

	(void)what;
	if (sig == SIGHUP) {
		gpd_reload(g);
		return;
	}
	log_info("signal %d: stopping", (int)sig);
	sd_notify(0, "STOPPING=1\nSTATUS=stopping: finishing requests");
	gpd_stop(g);
}

/* On the main thread: the database failed; stop, and exit non-zero so
 * that systemd restarts gpd on a sound file or an operator looks. */
static void
gpd_fatal(evutil_socket_t fd, short what, void *arg)
{
	struct gpd	*g = arg;

	(void)fd;
	(void)what;
	log_warnx("stopping: the database cannot be written; nothing more "
	    "is acknowledged");
	sd_notify(0, "STOPPING=1\nSTATUS=database failure");
	gpd_stop(g);
}

/* From the writer thread. */
static void
gpd_writer_failed(void *arg)
{
	struct gpd	*g = arg;

	g->failed = 1;
	event_active(g->fatal, EV_READ, 0);
}

/*
 * systemd's watchdog: a keep-alive only while every worker's loop is
 * turning, so a wedged worker gets gpd restarted.
 */
static void
gpd_watchdog(evutil_socket_t fd, short what, void *arg)
{
	struct gpd	*g = arg;
	uint64_t	 beat;
	size_t		 i;
	int		 alive = 1;

	(void)fd;
	(void)what;
	for (i = 0; i < g->nworkers; i++) {
		beat = worker_heartbeats(g->workers[i]);
		if (beat == g->watched[i]) {
			log_warnx("watchdog: worker %zu is not turning", i);
			alive = 0;
		}
		g->watched[i] = beat;
	}
	if (alive)
		sd_notify(0, "WATCHDOG=1");
}

/*
 * The one teardown of everything main() made; safe on a partial start.
 * Workers finish the requests they have (bounded), their readers close,
 * then the writer commits what was queued and checkpoints: nothing
 * acknowledged is lost, and a request is either answered or never was.
 * What the writer finished after a worker's loop ended is run (and
 * freed) when that worker is drained.
 */
static void
gpd_free(struct gpd *g)
{
	size_t	i;

	listener_stop(g->listener, GPD_STOP_TIMEOUT);
	for (i = 0; i < g->nworkers; i++)
		worker_join(g->workers[i]);
	listener_close_readers(g->listener);
	/* What refusals counted goes on record before the writer's last
	 * commit: no refusal a peer was told is lost at shutdown. */
	if (g->refusals != NULL && g->writer != NULL)
		refusals_expire(g->refusals, time(NULL), 1, request_summary,
		    g->writer);
	writer_stop(g->writer);
	g->writer = NULL;
	for (i = 0; i < g->nworkers; i++)
		worker_drain(g->workers[i]);
	listener_free(g->listener);
	g->listener = NULL;
	for (i = 0; i < g->nworkers; i++)
		worker_free(g->workers[i]);
	free(g->workers);
	g->workers = NULL;
	g->nworkers = 0;
	for (i = 0; i < sizeof(g->sigs) / sizeof(*g->sigs); i++)
		if (g->sigs[i] != NULL)
			event_free(g->sigs[i]);
	if (g->watchdog != NULL)
		event_free(g->watchdog);
	if (g->fatal != NULL)
		event_free(g->fatal);
	if (g->refusals_timer != NULL)
		event_free(g->refusals_timer);
	refusals_free(g->refusals);
	g->refusals = NULL;
	free(g->watched);
	settings_slot_free(g->slot);
	g->slot = NULL;
	if (g->base != NULL)
		event_base_free(g->base);
	g->base = NULL;
}

static size_t
gpd_nworkers(const struct config *conf)
{
	long	n = conf->workers;

	if (n == 0 && (n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > GPD_WORKERS_MAX ? GPD_WORKERS_MAX : (size_t)n;
}

/* Workers, the writer, the listener, signals, the watchdog. */
static void
gpd_start(struct gpd *g, const struct settings *set)
{
	static const int	 signals[] = { SIGHUP, SIGINT, SIGTERM };
	struct timeval		 tv, second = { 1, 0 };
	struct store_unit	*units;
	const char		*errstr;
	char			*cause = NULL;
	uint64_t		 watchdog_usec = 0;
	size_t			 i, n = gpd_nworkers(set->conf);

	gpd_descriptors(set->conf);
	if (evthread_use_pthreads() == -1)
		fatalx("libevent without thread support");
	if ((g->base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((g->fatal = event_new(g->base, -1, 0, gpd_fatal, g)) == NULL ||
	    (g->refusals = refusals_new()) == NULL ||
	    (g->refusals_timer = event_new(g->base, -1, EV_PERSIST,
	    gpd_refusals, g)) == NULL ||
	    event_add(g->refusals_timer, &second) == -1)
		fatalx("cannot create an event");
	if ((units = gpd_store_units(set)) == NULL)
		fatalx("out of memory");
	if ((g->writer = writer_start(set->conf->database, units,
	    set->units->n, gpd_writer_failed, g, &errstr)) == NULL)
		fatalx("database %s: %s", set->conf->database, errstr);
	free(units);
	if ((g->workers = calloc(n, sizeof(*g->workers))) == NULL ||
	    (g->watched = calloc(n, sizeof(*g->watched))) == NULL)
		fatalx("out of memory");
	for (i = 0; i < n; i++) {
		if ((g->workers[i] = worker_new(i, &errstr)) == NULL)
			fatalx("%s", errstr);
		g->nworkers = i + 1;
	}
	/* After the writer has created and migrated the database. */
	if ((g->listener = listener_new(g->base, g->slot, g->writer,
	    g->workers, n, g->refusals, &errstr)) == NULL)
		fatalx("database %s: %s", set->conf->database, errstr);
	for (i = 0; i < n; i++)
		if (worker_start(g->workers[i], &errstr) == -1)
			fatalx("%s", errstr);
	if (listener_listen(g->listener, &cause) == -1)
		fatalx("%s", cause);
	for (i = 0; i < sizeof(signals) / sizeof(*signals); i++) {
		if ((g->sigs[i] = evsignal_new(g->base, signals[i],
		    gpd_signal, g)) == NULL ||
		    evsignal_add(g->sigs[i], NULL) == -1)
			fatalx("cannot handle signal %d", signals[i]);
	}
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
		tv.tv_sec = (time_t)(watchdog_usec / 2 / 1000000);
		tv.tv_usec = (suseconds_t)(watchdog_usec / 2 % 1000000);
		if ((g->watchdog = event_new(g->base, -1, EV_PERSIST,
		    gpd_watchdog, g)) == NULL ||
		    event_add(g->watchdog, &tv) == -1)
			fatalx("cannot start the watchdog timer");
	}
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
		    _("out of memory"));
		free(cause);
		return 1;
	}
	rv = store_backup(conf->database, dest, &errstr);
	if (rv == -1)
		fprintf(stderr, _("gpd: backup of %s to %s failed: %s\n"),
		    conf->database, dest, errstr);
	else
		printf(_("gpd: %s backed up to %s\n"), conf->database, dest);
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
		    _("out of memory"));
		free(cause);
		return 1;
	}
	problems = store_verify(conf->database, verify_say, NULL, &errstr);
	if (problems == -1)
		fprintf(stderr, _("gpd: cannot check the audit of %s: %s\n"),
		    conf->database, errstr);
	else if (problems > 0)
		printf(ngettext("verify-audit: %ld problem found in %s\n",
		    "verify-audit: %ld problems found in %s\n",
		    (unsigned long)problems), problems, conf->database);
	else
		printf("%s\n", _("verify-audit: every entry matches; every "
		    "revision is covered by the chain"));
	config_free(conf);
	return problems == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const struct option	 longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct gpd			 g;
	struct settings			*set;
	const char			*backup_file = NULL;
	char				*cause = NULL;
	char				 units[64], admins[64];
	int				 ch, check = 0, verbose = 0;

	/* The database, its WAL and every backup are gpd's alone, whoever
	 * starts it and however. */
	umask(077);
	i18n_init(I18N_GPD, NULL);
	memset(&g, 0, sizeof(g));
	g.conffile = GPD_DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "b:f:hnvV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'b':
			backup_file = optarg;
			break;
		case 'f':
			g.conffile = optarg;
			break;
		case 'h':
			usage(0);
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
			usage(1);
		}
	}
	if (optind < argc && strcmp(argv[optind], "verify-audit") == 0 &&
	    optind + 1 == argc)
		return verify_audit(g.conffile);
	if (optind != argc)
		usage(1);
	log_init(1, verbose);
	signal(SIGPIPE, SIG_IGN);
	if (backup_file != NULL)
		return backup(g.conffile, backup_file);

	if ((set = settings_load(g.conffile, &cause)) == NULL) {
		fprintf(stderr, "gpd: %s\n", cause);
		free(cause);
		return 1;
	}
	if (check) {
		char	years[128];

		snprintf(units, sizeof(units), ngettext("%zu unit",
		    "%zu units", set->units->n), set->units->n);
		snprintf(admins, sizeof(admins), ngettext("%zu administrator",
		    "%zu administrators", set->conf->nadmins),
		    set->conf->nadmins);
		/* TRANSLATORS: the file; "11 units"; "1 administrator"; the
		 * years of the report forms served, such as "2022, 2023"; the
		 * federation's time zone, such as "Asia/Ho_Chi_Minh". */
		printf(_("gpd: %s: configuration OK (%s, %s, forms %s, time "
		    "zone %s)\n"), g.conffile, units, admins,
		    form_set_years(set->forms, years, sizeof(years)),
		    tz_name(set->zone));
		settings_release(set);
		return 0;
	}
	/* From here on gpd speaks to its log: English (a reload refused
	 * says why there). */
	i18n_english();
	if ((g.slot = settings_slot_new(set)) == NULL)
		fatalx("out of memory");
	gpd_start(&g, set);
	log_info("gpd %s listening on %s database=%s units=%zu workers=%zu "
	    "max_connections=%u max_handshakes=%u/%u per address "
	    "max_output=%llu timezone=%s", GP_VERSION, set->conf->listen,
	    set->conf->database, set->units->n, g.nworkers,
	    set->conf->max_connections, set->conf->max_handshakes,
	    set->conf->max_handshakes_per_address,
	    (unsigned long long)set->conf->max_output, tz_name(set->zone));
	sd_notifyf(0, "READY=1\nSTATUS=serving on %s, %zu units",
	    set->conf->listen, set->units->n);
	/* set is the slot's until a reload replaces it: not used below. */
	event_base_dispatch(g.base);
	gpd_free(&g);
	log_info("stopped%s", g.failed ? " after a database failure" : "");
	return g.failed ? 1 : 0;
}
