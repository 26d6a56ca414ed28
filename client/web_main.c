/*
 * gp-client-web's start and end (web.h): Vietnamese messages for the
 * page, the unit's settings from the command line (gp-client web passes
 * them), the unit from its certificate, a listening socket on 127.0.0.1
 * only, the secret of the first URL, the browser; then the main thread
 * waits for SIGINT, SIGTERM or SIGHUP, or for --idle minutes without a
 * request, and stops the server. Drafts are written as the page saves
 * them, so nothing is lost when it stops.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "i18n.h"
#include "period.h"
#include "validate.h"
#include "outbox.h"
#include "web.h"
#include "zone.h"

#define WEB_PREFIX		"gp-client-web: "
#define WEB_IDLE_SECONDS_ENV	"GP_WEB_IDLE_SECONDS"	/* a testing knob */

enum {
	OPT_CA = 256,
	OPT_CERT,
	OPT_KEY,
	OPT_OUTBOX,
	OPT_RETRIES,
	OPT_TIMEOUT,
	OPT_PORT,
	OPT_NO_BROWSER,
	OPT_IDLE
};

static const struct option web_options[] = {
	{ "server",	required_argument,	NULL,	's' },
	{ "ca",		required_argument,	NULL,	OPT_CA },
	{ "cert",	required_argument,	NULL,	OPT_CERT },
	{ "key",	required_argument,	NULL,	OPT_KEY },
	{ "outbox",	required_argument,	NULL,	OPT_OUTBOX },
	{ "retries",	required_argument,	NULL,	OPT_RETRIES },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "port",	required_argument,	NULL,	OPT_PORT },
	{ "no-browser",	no_argument,		NULL,	OPT_NO_BROWSER },
	{ "idle",	required_argument,	NULL,	OPT_IDLE },
	{ "help",	no_argument,		NULL,	'h' },
	{ NULL,		0,			NULL,	0 }
};

/* Whether the terminal speaks Vietnamese: the catalogue does, for the
 * page, whatever the terminal speaks; what this program says on the
 * terminal is in the terminal's language. */
static int	web_term_vi;

static const char	*web_term(const char *)
			    __attribute__((format_arg(1)));
static const char	*web_term_n(const char *, const char *,
			    unsigned long)
			    __attribute__((format_arg(1)))
			    __attribute__((format_arg(2)));
static int		 web_fail(int, const char *, ...)
			    __attribute__((format(printf, 2, 3)));

/* A message of the terminal (N_() where it is written). */
static const char *
web_term(const char *msgid)
{
	return web_term_vi ? gettext(msgid) : msgid;
}

static const char *
web_term_n(const char *one, const char *many, unsigned long n)
{
	if (web_term_vi)
		return ngettext(one, many, n);
	return n == 1 ? one : many;
}

static void
web_usage(FILE *f)
{
	fputs(web_term(N_("usage: gp-client-web -s HOST:PORT --ca FILE --cert "
	    "FILE --key FILE\n"
	    "                     [--outbox PATH] [--timeout SECONDS] "
	    "[--retries N]\n"
	    "                     [--port N] [--no-browser] [--idle MINUTES]\n"
	    "\nRun by 'gp-client web', which passes the unit's settings; see "
	    "gp-client(1).\n")), f);
}

static void
web_vsay(const char *fmt, va_list ap)
{
	fputs(WEB_PREFIX, stderr);
	vfprintf(stderr, web_term(fmt), ap);
	fputc('\n', stderr);
}

void
web_say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	web_vsay(fmt, ap);
	va_end(ap);
}

static int
web_fail(int status, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	web_vsay(fmt, ap);
	va_end(ap);
	return status;
}

int
web_random_hex(char *out, size_t bytes)
{
	unsigned char	buf[64];
	size_t		i;

	if (bytes > sizeof(buf) ||
	    getrandom(buf, bytes, 0) != (ssize_t)bytes)
		return -1;
	for (i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", buf[i]);
	return 0;
}

time_t
web_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void
web_touch(struct web *w)
{
	pthread_mutex_lock(&w->lock);
	w->last_request = web_now();
	pthread_mutex_unlock(&w->lock);
}

static int
web_number(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* The unit is the CN of its certificate, as the server sees it. */
static int
web_unit(struct web *w)
{
	FILE	*f;
	X509	*x;
	int	 n;

	if ((f = fopen(w->conn.cert, "r")) == NULL)
		return web_fail(EX_CONFIG, N_("cannot read the certificate %s: "
		    "%s; check 'cert' in the configuration"), w->conn.cert,
		    strerror(errno));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL)
		return web_fail(EX_CONFIG, N_("%s is not a PEM certificate; "
		    "check 'cert' in the configuration"), w->conn.cert);
	n = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, w->unit, sizeof(w->unit));
	X509_free(x);
	if (n <= 0 || validate_unit_code(w->unit) != 0)
		return web_fail(EX_CONFIG, N_("the certificate %s is not a "
		    "unit's (its CN is not a unit code such as lc-tamduong)"),
		    w->conn.cert);
	return 0;
}

/* A listening socket on 127.0.0.1 only: port 0 is a free one. */
static int
web_listen(struct web *w, int port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, WEB_CONNECTIONS) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	w->port = ntohs(sin.sin_port);
	snprintf(w->host_ip, sizeof(w->host_ip), "127.0.0.1:%d", w->port);
	snprintf(w->host_name, sizeof(w->host_name), U_("localhost:%d"),
	    w->port);
	snprintf(w->origin_ip, sizeof(w->origin_ip), "http://%s", w->host_ip);
	snprintf(w->origin_name, sizeof(w->origin_name), "http://%s",
	    w->host_name);
	snprintf(w->cookie_name, sizeof(w->cookie_name), U_("gp_web_%d"),
	    w->port);
	return fd;
}

/* Waits for a signal or the idle deadline: returns the signal, or 0 at
 * the deadline. */
static int
web_wait(struct web *w, const sigset_t *set, long idle)
{
	struct timespec	 ts;
	time_t		 deadline, now;
	int		 sig;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		deadline = w->last_request + idle;
		pthread_mutex_unlock(&w->lock);
		if ((now = web_now()) >= deadline)
			return 0;
		ts.tv_sec = deadline - now;
		ts.tv_nsec = 0;
		if ((sig = sigtimedwait(set, NULL, &ts)) > 0)
			return sig;
	}
}

/* Why it stopped, and where the drafts are. */
static void
web_stopped(int sig, long idle, const char *drafts)
{
	if (sig == SIGINT)
		web_say(N_("stopped (interrupted); drafts are kept in %s"),
		    drafts);
	else if (sig == SIGTERM)
		web_say(N_("stopped (terminated); drafts are kept in %s"),
		    drafts);
	else if (sig != 0)
		web_say(N_("stopped (hung up); drafts are kept in %s"), drafts);
	else if (idle < 60)
		web_say(N_("stopped (no request for %ld s); drafts are kept in "
		    "%s"), idle, drafts);
	else
	{
		fputs(WEB_PREFIX, stderr);
		fprintf(stderr, web_term_n(N_("stopped (no request for %ld "
		    "minute); drafts are kept in %s"), N_("stopped (no request "
		    "for %ld minutes); drafts are kept in %s"),
		    (unsigned long)(idle / 60)), idle / 60, drafts);
		fputc('\n', stderr);
	}
}

/*
 * The forms the page offers: the built-in one and those gp-client keeps
 * (forms.h), with the current year's fetched from gpd when it is not
 * kept yet and gpd can be asked (within WEB_FORM_FETCH_TIMEOUT). Once,
 * before the server starts: the set does not change while it serves.
 * Returns 0, or -1 when out of memory.
 */
static int
web_forms_open(struct web *w)
{
	const struct form	*f;
	struct period		 p;
	char			 id[16], *cause = NULL;
	int			 y, m, d;

	memset(&w->client, 0, sizeof(w->client));
	w->client.conn = w->conn;
	if (w->client.conn.timeout > WEB_FORM_FETCH_TIMEOUT)
		w->client.conn.timeout = WEB_FORM_FETCH_TIMEOUT;
	/* The cache lives beside the outbox, as gp-client's does. */
	w->client.outbox = (char *)(uintptr_t)w->outbox;
	if (forms_open(&w->cache, &w->client) == -1)
		return -1;
	/* This year's plan, when the province has published it since this
	 * machine last asked: the page should offer its periods. */
	date_to_ymd(web_form_today(), &y, &m, &d);
	snprintf(id, sizeof(id), "%d-H1", y);
	if (form_set_year(w->cache.set, y) == NULL &&
	    forms_can_fetch(&w->cache) &&
	    forms_period(&w->cache, id, &f, &p, &cause) != 0) {
		web_say(N_("no form of %d from the server (%s); the page "
		    "offers the forms kept here"), y,
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
	}
	w->forms = w->cache.set;
	return 0;
}

static void
web_forms_close(struct web *w)
{
	forms_close(&w->cache);
	w->forms = NULL;
}

static void
web_free(struct web *w)
{
	web_forms_close(w);
	free(w->drafts);
	free(w->outbox_error);
	pthread_mutex_destroy(&w->lock);
}

int
main(int argc, char **argv)
{
	struct web		 w;
	struct MHD_Daemon	*mhd;
	sigset_t		 set;
	const char		*env;
	char			*cause = NULL, *outbox = NULL, url[128];
	char			*state = NULL;
	long			 n, port = 0, idle = WEB_IDLE_DEFAULT * 60;
	int			 ch, fd, sig, browser = 1, status = EX_OK;

	/* Drafts and the outbox are the unit's alone, as with gp-client
	 * (which runs this program with its umask already 077). */
	umask(077);
	/* The page is Vietnamese, whatever the terminal speaks: the checks'
	 * messages it shows come from gp-client's catalogue in Vietnamese
	 * (GP_LOCALEDIR, as for gp-client, points at another one). */
	i18n_init(I18N_GP_CLIENT, NULL);
	web_term_vi = i18n_vietnamese();
	unsetenv(I18N_LANGUAGE_ENV);
	i18n_init(I18N_GP_CLIENT, "vi");
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	deliver_policy_default(&w.policy);
	w.conn.timeout = CONN_TIMEOUT_DEFAULT;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "hs:", web_options, NULL)) != -1) {
		switch (ch) {
		case 's':
			w.conn.server = optarg;
			break;
		case OPT_CA:
			w.conn.ca = optarg;
			break;
		case OPT_CERT:
			w.conn.cert = optarg;
			break;
		case OPT_KEY:
			w.conn.key = optarg;
			break;
		case OPT_OUTBOX:
			w.outbox = optarg;
			break;
		case OPT_RETRIES:
			if (web_number(optarg, 0, DELIVER_RETRIES_MAX, &n) == -1)
				return web_fail(EX_USAGE,
				    N_("bad retries '%s'"), optarg);
			w.policy.retries = (int)n;
			break;
		case OPT_TIMEOUT:
			if (web_number(optarg, 1, CONN_TIMEOUT_MAX, &n) == -1)
				return web_fail(EX_USAGE,
				    N_("bad timeout '%s'"), optarg);
			w.conn.timeout = (int)n;
			break;
		case OPT_PORT:
			if (web_number(optarg, 1, 65535, &port) == -1)
				return web_fail(EX_USAGE, N_("bad port '%s': "
				    "give a number from 1 to 65535, or leave "
				    "--port out for a free one"), optarg);
			break;
		case OPT_NO_BROWSER:
			browser = 0;
			break;
		case OPT_IDLE:
			if (web_number(optarg, 1, WEB_IDLE_MAX, &n) == -1)
				return web_fail(EX_USAGE, N_("bad idle time "
				    "'%s': give minutes from 1 to %d"), optarg,
				    WEB_IDLE_MAX);
			idle = n * 60;
			break;
		case 'h':
			web_usage(stdout);
			return EX_OK;
		default:
			/* getopt's own words would be in the catalogue's
			 * language, not the terminal's. */
			web_say(N_("bad option %s"), argv[optind - 1]);
			web_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		web_usage(stderr);
		return EX_USAGE;
	}
	if ((env = getenv(WEB_IDLE_SECONDS_ENV)) != NULL &&
	    web_number(env, 1, WEB_IDLE_MAX * 60L, &n) == 0)
		idle = n;
	if (w.conn.server == NULL || w.conn.ca == NULL || w.conn.cert == NULL ||
	    w.conn.key == NULL)
		return web_fail(EX_CONFIG, N_("the server, CA, certificate and "
		    "key are needed: run 'gp-client web', which reads them "
		    "from the configuration"));
	if ((status = web_unit(&w)) != 0)
		goto done;
	if ((w.drafts = web_draft_dir(&cause)) == NULL) {
		status = web_fail(EX_CONFIG, "%s", cause != NULL ? cause :
		    _("out of memory"));
		goto done;
	}
	if (w.outbox == NULL && (w.outbox = outbox = outbox_default_path(
	    &cause)) == NULL) {
		w.outbox_error = cause != NULL ? cause :
		    strdup(_("out of memory"));
		cause = NULL;
	}
	/* Times in the federation's zone, as gp-client keeps it beside the
	 * outbox; held from here on, for the connection threads share it. */
	if (w.outbox != NULL && strrchr(w.outbox, '/') != NULL &&
	    (state = strndup(w.outbox, (size_t)(strrchr(w.outbox, '/') -
	    w.outbox))) == NULL) {
		status = web_fail(EX_OSERR, "out of memory");
		goto done;
	}
	zone_setup(NULL, state);
	if (web_forms_open(&w) == -1) {
		status = web_fail(EX_OSERR, N_("out of memory"));
		goto done;
	}
	zone_hold();
	if (web_random_hex(w.token, WEB_SECRET_BYTES) == -1 ||
	    web_random_hex(w.session, WEB_SECRET_BYTES) == -1) {
		status = web_fail(EX_OSERR, N_("no random numbers: %s"),
		    strerror(errno));
		goto done;
	}

	/* The connection threads inherit the mask: only this thread takes
	 * the signals that stop the server. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if ((fd = web_listen(&w, (int)port)) == -1) {
		status = web_fail(EX_UNAVAILABLE, N_("cannot listen on "
		    "127.0.0.1:%ld: %s; choose another --port, or leave it out "
		    "for a free one"), port, strerror(errno));
		goto done;
	}
	w.last_request = web_now();
	if ((mhd = web_http_start(&w, fd, &cause)) == NULL) {
		close(fd);
		status = web_fail(EX_OSERR, "%s", cause != NULL ? cause :
		    _("out of memory"));
		goto done;
	}

	snprintf(url, sizeof(url), "http://%s/?t=%s", w.host_ip, w.token);
	printf("%s\n", url);
	if (fflush(stdout) == EOF) {
		MHD_stop_daemon(mhd);
		status = web_fail(EX_IOERR, N_("cannot write the address: %s"),
		    strerror(errno));
		goto done;
	}
	web_say(N_("the report form for %s is at the address above; Ctrl+C "
	    "stops it"), w.unit);
	if (browser && web_open(url, &cause) == -1) {
		web_say(N_("%s; open the address above in a browser"),
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		cause = NULL;
	}

	sig = web_wait(&w, &set, idle);
	MHD_stop_daemon(mhd);
	web_stopped(sig, idle, w.drafts);

done:
	free(cause);
	free(outbox);
	web_free(&w);
	zone_close();
	free(state);
	return status;
}
