/*
 * gp-client doctor. The local checks read the files with OpenSSL directly,
 * so that each problem gets its own line; the network checks then go
 * through conn.c exactly as submit does.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "gp.pb-c.h"
#include "i18n.h"
#include "conn.h"
#include "outbox.h"
#include "output.h"
#include "client.h"
#include "doctor.h"
#include "fmt.h"
#include "zone.h"

#define DOCTOR_REQUEST_ID	1
#define DOCTOR_NCHECKS		10

struct doctor {
	const struct doctor_input	*in;
	int				 json;
	struct output_check		 checks[DOCTOR_NCHECKS];
	size_t				 n;
	int				 status;	/* of the first FAIL */
	X509				*cert;
	STACK_OF(X509)			*chain;		/* after the leaf */
	X509_STORE			*store;
	char				 cn[128];
	int				 local_ok;	/* files all good */
	Gp__Response			*whoami;	/* the answer, if any */
	time_t				 whoami_at;
};

/* The checks: the name in --json, and the word a person reads. */
static const struct {
	const char	*name;
	const char	*label;
} doctor_checks[] = {
	{ "config",	N_("config") },
	{ "ca",		N_("ca") },
	{ "certificate", N_("certificate") },
	/* TRANSLATORS: doctor's check of the private key file. */
	{ "key",	N_("key") },
	{ "expiry",	N_("expiry") },
	{ "reachable",	N_("reachable") },
	{ "tls",	N_("tls") },
	{ "identity",	N_("identity") },
	{ "clock",	N_("clock") },
	{ "outbox",	N_("outbox") }
};
#define DOCTOR_NNAMES	(sizeof(doctor_checks) / sizeof(doctor_checks[0]))

static void	doctor_say(struct doctor *, const char *, enum output_level,
		    int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

/* Records and prints one check; status is what a FAIL exits with. */
static void
doctor_say(struct doctor *d, const char *name, enum output_level level,
    int status, const char *fmt, ...)
{
	struct output_check	*c;
	va_list			 ap;
	size_t			 i, w;

	if (d->n == DOCTOR_NCHECKS)
		return;
	c = &d->checks[d->n++];
	c->name = name;
	c->label = name;
	c->width = 0;
	for (i = 0; i < DOCTOR_NNAMES; i++) {
		if ((w = fmt_width(_(doctor_checks[i].label))) > c->width)
			c->width = w;
		if (strcmp(doctor_checks[i].name, name) == 0)
			c->label = _(doctor_checks[i].label);
	}
	c->level = level;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
	if (level == OUTPUT_FAIL && d->status == EX_OK)
		d->status = status;
	output_check(d->json, c);
}

static const char *
doctor_ssl_reason(void)
{
	const char	*s;

	if ((s = ERR_reason_error_string(ERR_peek_last_error())) == NULL)
		return _("not PEM");
	return s;
}

static int
doctor_no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

/* An ASN1_TIME as a date: 2022-06-10, or 10/6/2022 in Vietnamese. */
static const char *
doctor_date(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm	tm;
	char		iso[16];

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(iso, sizeof(iso), "%Y-%m-%d", &tm) == 0)
		snprintf(iso, sizeof(iso), "?");
	return i18n_date(buf, len, iso);
}

static void
doctor_cn(X509 *x, char *buf, size_t len)
{
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, buf, (int)len) < 0)
		snprintf(buf, len, "%s", _("(no CN)"));
}

static void
doctor_config(struct doctor *d)
{
	const struct conn_config	*c = &d->in->conn;
	char				 missing[128] = "";

	if (d->in->config_error != NULL) {
		doctor_say(d, "config", OUTPUT_FAIL, EX_CONFIG, "%s",
		    d->in->config_error);
		return;
	}
	/* The names of the settings, as the file spells them. */
	snprintf(missing, sizeof(missing), "%s%s%s%s",
	    c->server == NULL ? ", server" : "", c->ca == NULL ? ", ca" : "",
	    c->cert == NULL ? ", cert" : "", c->key == NULL ? ", key" : "");
	if (missing[0] != '\0' && d->in->config == NULL) {
		doctor_say(d, "config", OUTPUT_FAIL, EX_CONFIG, "%s",
		    d->in->no_config != NULL ? d->in->no_config :
		    _("out of memory"));
		return;
	}
	if (missing[0] != '\0') {
		doctor_say(d, "config", OUTPUT_FAIL, EX_CONFIG, _("%s: %s not "
		    "set; set them in [client] there, or give -s, --ca, --cert "
		    "and --key"), d->in->config, missing + 2);
		return;
	}
	if (d->in->config != NULL)
		doctor_say(d, "config", OUTPUT_OK, EX_OK, _("%s: server %s, "
		    "ca, cert and key set"), d->in->config, c->server);
	else
		doctor_say(d, "config", OUTPUT_OK, EX_OK, _("no configuration "
		    "file; the command line gives server %s, ca, cert and "
		    "key"), c->server);
}

static void
doctor_ca(struct doctor *d)
{
	const char	*path = d->in->conn.ca;
	BIO		*bio;
	X509		*x;
	char		 cn[128], date[32];
	int		 n = 0, expired = 0;

	if (path == NULL) {
		doctor_say(d, "ca", OUTPUT_SKIP, EX_OK, "%s", _("no CA "
		    "certificate given"));
		return;
	}
	ERR_clear_error();
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		doctor_say(d, "ca", OUTPUT_FAIL, EX_CONFIG, _("cannot read %s: "
		    "%s; check --ca or 'ca'"), path, strerror(errno));
		return;
	}
	if ((d->store = X509_STORE_new()) == NULL) {
		BIO_free(bio);
		doctor_say(d, "ca", OUTPUT_FAIL, EX_OSERR, "%s",
		    _("out of memory"));
		return;
	}
	cn[0] = '\0';
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (n++ == 0) {
			doctor_cn(x, cn, sizeof(cn));
			doctor_date(X509_get0_notAfter(x), date, sizeof(date));
		}
		if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
			expired++;
		X509_STORE_add_cert(d->store, x);
		X509_free(x);
	}
	BIO_free(bio);
	ERR_clear_error();
	if (n == 0) {
		doctor_say(d, "ca", OUTPUT_FAIL, EX_CONFIG, _("%s holds no PEM "
		    "certificate; give the provincial federation's CA "
		    "certificate with --ca"), path);
		return;
	}
	if (expired > 0) {
		doctor_say(d, "ca", OUTPUT_FAIL, EX_CONFIG, ngettext("%s: %d "
		    "of %d CA certificate expired; ask the provincial "
		    "federation for the current CA certificate", "%s: %d of %d CA "
		    "certificates expired; ask the provincial federation for "
		    "the current CA certificate", (unsigned long)n), path,
		    expired, n);
		return;
	}
	if (n > 1)
		doctor_say(d, "ca", OUTPUT_OK, EX_OK, _("%s: %s (valid until "
		    "%s) and more"), path, cn, date);
	else
		doctor_say(d, "ca", OUTPUT_OK, EX_OK, _("%s: %s (valid until "
		    "%s)"), path, cn, date);
}

static int
doctor_cert(struct doctor *d)
{
	const char	*path = d->in->conn.cert;
	X509_STORE_CTX	*ctx;
	BIO		*bio;
	X509		*x;
	int		 ok;

	if (path == NULL) {
		doctor_say(d, "certificate", OUTPUT_SKIP, EX_OK, "%s",
		    _("no certificate given"));
		return -1;
	}
	ERR_clear_error();
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		doctor_say(d, "certificate", OUTPUT_FAIL, EX_CONFIG, _("cannot "
		    "read %s: %s; check --cert or 'cert'"), path,
		    strerror(errno));
		return -1;
	}
	if ((d->cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
		doctor_say(d, "certificate", OUTPUT_FAIL, EX_CONFIG, _("cannot "
		    "load %s (%s): give this unit's PEM certificate"), path,
		    doctor_ssl_reason());
		BIO_free(bio);
		return -1;
	}
	if ((d->chain = sk_X509_new_null()) != NULL) {
		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
			if (sk_X509_push(d->chain, x) == 0)
				X509_free(x);
	}
	BIO_free(bio);
	ERR_clear_error();
	doctor_cn(d->cert, d->cn, sizeof(d->cn));

	if (d->store == NULL) {
		doctor_say(d, "certificate", OUTPUT_OK, EX_OK, _("%s: CN %s "
		    "(not checked against a CA)"), path, d->cn);
		return 0;
	}
	/* Expiry has a line of its own: leave the time out here. */
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, d->store, d->cert, d->chain) != 1) {
		X509_STORE_CTX_free(ctx);
		doctor_say(d, "certificate", OUTPUT_FAIL, EX_OSERR, "%s",
		    _("out of memory"));
		return -1;
	}
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	ok = X509_verify_cert(ctx) == 1;
	if (!ok)
		doctor_say(d, "certificate", OUTPUT_FAIL, EX_CONFIG, _("%s (CN "
		    "%s) is not valid under the CA %s: %s; ask the provincial "
		    "federation for a certificate from their CA"), path, d->cn,
		    d->in->conn.ca, X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
	else
		doctor_say(d, "certificate", OUTPUT_OK, EX_OK, _("%s: CN %s, "
		    "issued by the CA"), path, d->cn);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

static int
doctor_key(struct doctor *d)
{
	const char	*path = d->in->conn.key;
	EVP_PKEY	*pkey;
	FILE		*f;
	char		*cause = NULL;
	int		 ok;

	if (path == NULL || d->cert == NULL) {
		doctor_say(d, "key", OUTPUT_SKIP, EX_OK, "%s", path == NULL ?
		    _("no private key given") : _("no certificate to match"));
		return -1;
	}
	ERR_clear_error();
	if ((f = fopen(path, "re")) == NULL) {
		doctor_say(d, "key", OUTPUT_FAIL, EX_CONFIG, _("cannot read "
		    "%s: %s; check --key or 'key'"), path, strerror(errno));
		return -1;
	}
	if (conn_key_private(fileno(f), path, &cause) == -1) {
		fclose(f);
		doctor_say(d, "key", OUTPUT_FAIL, EX_CONFIG, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return -1;
	}
	pkey = PEM_read_PrivateKey(f, NULL, doctor_no_passphrase, NULL);
	fclose(f);
	if (pkey == NULL) {
		doctor_say(d, "key", OUTPUT_FAIL, EX_CONFIG, _("cannot load %s "
		    "(%s): give the unencrypted PEM key"), path,
		    doctor_ssl_reason());
		ERR_clear_error();
		return -1;
	}
	ok = X509_check_private_key(d->cert, pkey) == 1;
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (!ok) {
		doctor_say(d, "key", OUTPUT_FAIL, EX_CONFIG, _("%s does not "
		    "belong to the certificate %s: give the key the "
		    "certificate was made for"), path, d->in->conn.cert);
		return -1;
	}
	doctor_say(d, "key", OUTPUT_OK, EX_OK, _("%s matches the "
	    "certificate"), path);
	return 0;
}

static int
doctor_expiry(struct doctor *d)
{
	const ASN1_TIME	*before, *after;
	char		 date[32];
	int		 days, secs;

	if (d->cert == NULL) {
		doctor_say(d, "expiry", OUTPUT_SKIP, EX_OK, "%s",
		    _("no certificate"));
		return -1;
	}
	before = X509_get0_notBefore(d->cert);
	after = X509_get0_notAfter(d->cert);
	if (X509_cmp_current_time(before) > 0) {
		doctor_say(d, "expiry", OUTPUT_FAIL, EX_CONFIG, _("the "
		    "certificate is valid only from %s: check this machine's "
		    "clock and date"), doctor_date(before, date, sizeof(date)));
		return -1;
	}
	doctor_date(after, date, sizeof(date));
	if (X509_cmp_current_time(after) < 0) {
		doctor_say(d, "expiry", OUTPUT_FAIL, EX_CONFIG, _("the "
		    "certificate expired on %s: ask the provincial federation "
		    "for a new one"), date);
		return -1;
	}
	if (ASN1_TIME_diff(&days, &secs, NULL, after) != 1)
		days = 0;
	if (days < DOCTOR_EXPIRY_WARN_DAYS)
		doctor_say(d, "expiry", OUTPUT_WARN, EX_OK, ngettext("the "
		    "certificate expires in %d day (%s): ask the provincial "
		    "federation for a new one now", "the certificate expires "
		    "in %d days (%s): ask the provincial federation for a new "
		    "one now", (unsigned long)days), days, date);
	else
		doctor_say(d, "expiry", OUTPUT_OK, EX_OK, ngettext("the "
		    "certificate is valid until %s (%d day)", "the certificate "
		    "is valid until %s (%d days)", (unsigned long)days), date,
		    days);
	return 0;
}

static int
doctor_reach(struct doctor *d)
{
	struct conn	*c;
	struct timespec	 t0, t1;
	char		*cause = NULL;
	long		 ms;

	if (d->in->conn.server == NULL) {
		doctor_say(d, "reachable", OUTPUT_SKIP, EX_OK, "%s",
		    _("no server given"));
		return -1;
	}
	if ((c = conn_new_plain(d->in->conn.server, d->in->conn.timeout,
	    &cause)) == NULL) {
		doctor_say(d, "reachable", OUTPUT_FAIL, EX_CONFIG, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (conn_reach(c, &cause) == -1) {
		doctor_say(d, "reachable", OUTPUT_FAIL, conn_status(c),
		    _("cannot reach %s (%s): check the address, the network, "
		    "and with the provincial federation that gpd runs"),
		    d->in->conn.server, conn_reason(c));
		free(cause);
		conn_free(c);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	doctor_say(d, "reachable", OUTPUT_OK, EX_OK, _("%s accepts TCP "
	    "connections (%ld ms)"), d->in->conn.server, ms);
	conn_free(c);
	return 0;
}

/* The handshake and a whoami exchange: the server's verdict on us. */
static void
doctor_tls(struct doctor *d, int reachable)
{
	Gp__Request		 req = GP__REQUEST__INIT;
	Gp__WhoamiRequest	 who = GP__WHOAMI_REQUEST__INIT;
	struct conn		*c;
	char			*cause = NULL;

	if (!reachable || !d->local_ok) {
		doctor_say(d, "tls", OUTPUT_SKIP, EX_OK, "%s",
		    !reachable ? _("the server cannot be reached") :
		    _("the CA, certificate or key is not usable"));
		return;
	}
	if ((c = conn_new(&d->in->conn, &cause)) == NULL) {
		doctor_say(d, "tls", OUTPUT_FAIL, EX_CONFIG, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return;
	}
	req.has_id = 1;
	req.id = DOCTOR_REQUEST_ID;
	req.body_case = GP__REQUEST__BODY_WHOAMI;
	req.whoami = &who;
	/* With TLS 1.3 the server's verdict on our certificate comes with
	 * the first answer: the handshake alone proves nothing. */
	if (conn_connect(c, &cause) == -1 ||
	    conn_request(c, &req, &d->whoami, &cause) == -1) {
		doctor_say(d, "tls", OUTPUT_FAIL, conn_status(c), "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		conn_free(c);
		return;
	}
	d->whoami_at = time(NULL);
	doctor_say(d, "tls", OUTPUT_OK, EX_OK, _("%s with %s: the server's "
	    "certificate verified, ALPN gp/1, this certificate accepted"),
	    conn_tls_version(c), d->in->conn.server);
	conn_free(c);
}

static void
doctor_identity(struct doctor *d)
{
	const Gp__WhoamiResponse	*w;
	const Gp__Error			*err;

	if (d->whoami == NULL) {
		doctor_say(d, "identity", OUTPUT_SKIP, EX_OK, "%s", _("no "
		    "answer from the server"));
		return;
	}
	if (d->whoami->body_case == GP__RESPONSE__BODY_ERROR) {
		err = d->whoami->error;
		if (err != NULL && err->has_code &&
		    err->code == GP__ERROR_CODE__BAD_REQUEST) {
			doctor_say(d, "identity", OUTPUT_WARN, EX_OK, "%s",
			    _("server too old for whoami: it accepts the "
			    "certificate, but cannot say which unit it takes "
			    "it for"));
			return;
		}
		if (output_error_status(err) == EX_TEMPFAIL) {
			doctor_say(d, "identity", OUTPUT_WARN, EX_OK, _("the "
			    "server is busy (%s): run doctor again later"),
			    err->message != NULL ? err->message :
			    output_error_name(err));
			return;
		}
		doctor_say(d, "identity", OUTPUT_FAIL,
		    output_error_status(err), _("the server refused whoami: "
		    "%s"),
		    err != NULL && err->message != NULL ? err->message :
		    output_error_name(err));
		return;
	}
	if (d->whoami->body_case != GP__RESPONSE__BODY_WHOAMI ||
	    (w = d->whoami->whoami) == NULL || w->cn == NULL ||
	    w->role == NULL) {
		doctor_say(d, "identity", OUTPUT_FAIL, EX_PROTOCOL, "%s",
		    _("the server's answer to whoami is not one; check that "
		    "gp-client and gpd versions match"));
		return;
	}
	if (strcmp(w->role, "unit") == 0)
		/* TRANSLATORS: the unit's code, its name; then ", gpd " and
		 * the server's version, or nothing. */
		doctor_say(d, "identity", OUTPUT_OK, EX_OK, _("the server "
		    "takes this certificate for unit %s \"%s\"%s%s"), w->cn,
		    w->unit_name != NULL ? w->unit_name : "?",
		    w->version != NULL ? ", gpd " : "",
		    w->version != NULL ? w->version : "");
	else if (strcmp(w->role, "admin") == 0)
		doctor_say(d, "identity", OUTPUT_OK, EX_OK, _("the server "
		    "takes this certificate for %s, an administrator%s%s"),
		    w->cn,
		    w->version != NULL ? ", gpd " : "",
		    w->version != NULL ? w->version : "");
	else
		doctor_say(d, "identity", OUTPUT_FAIL, EX_NOPERM, _("the "
		    "server accepts the certificate but does not know %s as a "
		    "unit: ask the provincial federation to add it to the "
		    "unit registry"), w->cn);
}

static void
doctor_clock(struct doctor *d)
{
	const Gp__WhoamiResponse	*w;
	char				 when[ZONE_HUMAN_LEN + 1];
	long long			 diff, abs;

	if (d->whoami == NULL ||
	    d->whoami->body_case != GP__RESPONSE__BODY_WHOAMI ||
	    (w = d->whoami->whoami) == NULL || !w->has_server_time) {
		if (d->whoami != NULL)
			doctor_say(d, "clock", OUTPUT_WARN, EX_OK, "%s",
			    _("cannot compare with the server's clock (it did "
			    "not say its time)"));
		else
			doctor_say(d, "clock", OUTPUT_SKIP, EX_OK, "%s",
			    _("no answer from the server"));
		return;
	}
	zone_heard(w->timezone);
	diff = (long long)d->whoami_at - (long long)w->server_time;
	abs = diff < 0 ? -diff : diff;
	if (abs > DOCTOR_CLOCK_FAIL && diff > 0)
		doctor_say(d, "clock", OUTPUT_FAIL, EX_CONFIG, _("this "
		    "machine's clock is %lld s ahead of the server's: set the "
		    "date, time and time zone (timedatectl set-ntp true)"),
		    abs);
	else if (abs > DOCTOR_CLOCK_FAIL)
		doctor_say(d, "clock", OUTPUT_FAIL, EX_CONFIG, _("this "
		    "machine's clock is %lld s behind the server's: set the "
		    "date, time and time zone (timedatectl set-ntp true)"),
		    abs);
	else if (abs > DOCTOR_CLOCK_WARN && diff > 0)
		doctor_say(d, "clock", OUTPUT_WARN, EX_OK, _("this machine's "
		    "clock is %lld s ahead of the server's: synchronise it "
		    "(timedatectl set-ntp true)"), abs);
	else if (abs > DOCTOR_CLOCK_WARN)
		doctor_say(d, "clock", OUTPUT_WARN, EX_OK, _("this machine's "
		    "clock is %lld s behind the server's: synchronise it "
		    "(timedatectl set-ntp true)"), abs);
	else
		/* TRANSLATORS: the seconds; the zone's name
		 * (Asia/Ho_Chi_Minh); the server's time in it. */
		doctor_say(d, "clock", OUTPUT_OK, EX_OK, _("within %lld s of "
		    "the server's; times are told in %s (the server's clock: "
		    "%s)"), abs, tz_name(zone_current()),
		    zone_human_at(w->server_time, when));
}

/* Whether path could be created: its first existing ancestor is a
 * directory we may write in. */
static int
doctor_creatable(const char *path, char *dir, size_t len)
{
	struct stat	 sb;
	char		*p;

	snprintf(dir, len, "%s", path);
	while ((p = strrchr(dir, '/')) != NULL) {
		if (p == dir)
			p[1] = '\0';
		else
			*p = '\0';
		if (stat(dir, &sb) == 0)
			return S_ISDIR(sb.st_mode) &&
			    access(dir, W_OK | X_OK) == 0;
		if (p == dir)
			break;
	}
	return 0;
}

static void
doctor_outbox(struct doctor *d)
{
	const char		 *path = d->in->outbox;
	struct outbox		 *ob;
	struct outbox_entry	**v = NULL;
	char			 *cause = NULL, dir[1024], t[32];
	char			  when[I18N_MAX];
	size_t			  n = 0, i, waiting = 0, failed = 0;
	int64_t			  oldest = 0;

	if (path == NULL) {
		doctor_say(d, "outbox", OUTPUT_FAIL, EX_CANTCREAT, "%s",
		    d->in->outbox_error != NULL ? d->in->outbox_error :
		    _("no outbox path"));
		return;
	}
	if (outbox_check_dirs(path, &cause) == -1) {
		doctor_say(d, "outbox", OUTPUT_FAIL, EX_CONFIG, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return;
	}
	if ((ob = outbox_open(path, 0, &cause)) == NULL) {
		if (cause == NULL && errno == ENOENT) {
			if (doctor_creatable(path, dir, sizeof(dir)))
				doctor_say(d, "outbox", OUTPUT_OK, EX_OK,
				    _("empty (%s will be made when needed)"),
				    path);
			else
				doctor_say(d, "outbox", OUTPUT_FAIL,
				    EX_CANTCREAT, _("%s cannot be made: %s is "
				    "not writable; use --outbox PATH"), path,
				    dir);
			return;
		}
		doctor_say(d, "outbox", OUTPUT_FAIL, EX_CANTCREAT, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return;
	}
	if (outbox_list(ob, &v, &n, &cause) == -1) {
		doctor_say(d, "outbox", OUTPUT_FAIL, EX_IOERR, "%s",
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		outbox_close(ob);
		return;
	}
	for (i = 0; i < n; i++) {
		if (v[i]->state == OUTBOX_FAILED) {
			failed++;
			continue;
		}
		if (waiting++ == 0 || v[i]->first_attempt < oldest)
			oldest = v[i]->first_attempt;
	}
	outbox_entries_free(v, n);
	outbox_close(ob);

	zone_human_at(oldest, t);
	if (failed > 0)
		doctor_say(d, "outbox", OUTPUT_FAIL, EX_DATAERR, ngettext(
		    "%zu report the server refused is there: see 'gp-client "
		    "outbox', correct and submit again, or drop", "%zu reports "
		    "the server refused are there: see 'gp-client outbox', "
		    "correct and submit again, or drop", failed), failed);
	else if (waiting > 0)
		doctor_say(d, "outbox", OUTPUT_WARN, EX_OK, ngettext("%zu "
		    "report waiting, the oldest since %s: run 'gp-client "
		    "flush' (or enable gp-client-flush.timer)", "%zu reports "
		    "waiting, the oldest since %s: run 'gp-client flush' (or "
		    "enable gp-client-flush.timer)", waiting), waiting,
		    i18n_when(when, sizeof(when), t));
	else
		doctor_say(d, "outbox", OUTPUT_OK, EX_OK, _("empty (%s)"),
		    path);
}

int
doctor_run(const struct doctor_input *in, int json)
{
	struct doctor	d;
	int		reachable;

	memset(&d, 0, sizeof(d));
	d.in = in;
	d.json = json;
	d.status = EX_OK;

	doctor_config(&d);
	doctor_ca(&d);
	d.local_ok = d.status == EX_OK && in->conn.ca != NULL;
	if (doctor_cert(&d) == -1)
		d.local_ok = 0;
	if (doctor_key(&d) == -1)
		d.local_ok = 0;
	if (doctor_expiry(&d) == -1)
		d.local_ok = 0;
	reachable = doctor_reach(&d) == 0;
	doctor_tls(&d, reachable);
	doctor_identity(&d);
	doctor_clock(&d);
	doctor_outbox(&d);

	output_doctor(json, d.checks, d.n, d.status);
	if (d.whoami != NULL)
		gp__response__free_unpacked(d.whoami, NULL);
	X509_free(d.cert);
	sk_X509_pop_free(d.chain, X509_free);
	X509_STORE_free(d.store);
	return d.status;
}

static int
doctor_exec(struct client *cl, const struct cmd_args *args)
{
	struct doctor_input	 in;
	char			*no_config;
	int			 status;

	(void)args;
	memset(&in, 0, sizeof(in));
	in.config = cl->config;
	in.config_error = cl->config_error;
	in.no_config = no_config = client_no_config(cl);
	in.conn = cl->conn;
	in.outbox = cl->outbox;
	in.outbox_error = cl->outbox_error;
	status = doctor_run(&in, cl->json);
	free(no_config);
	return status;
}

const struct cmd_entry cmd_doctor_entry = {
	"doctor", "", 0, 0,
	N_("check the set-up, the server and the outbox"),
	N_("Check, one line each, what a submission needs: the configuration "
	"file, the CA, the certificate and its key, the server (reached, "
	"TLS, who it takes this certificate for), the clock, and the "
	"outbox. Each line that is not OK says what to do. Exits 0 when "
	"nothing failed."),
	"gp-client doctor",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_DOCTOR | CMD_JSON,
	doctor_exec
};
