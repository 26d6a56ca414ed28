/*
 * gp-client setup BUNDLE: a unit's whole setup from the one file that
 * `gp-ca bundle` writes (gp-ca(8), BUNDLES): the unit's certificate, its
 * key encrypted under a passphrase read out by telephone, the CA
 * certificate and the server's address.
 *
 * The bundle is checked whole before anything is installed: its checksum
 * (a damaged copy), the certificate against the CA (a mixed-up file), the
 * dates (an expired certificate), the CA against the one this computer
 * already trusts (a bundle of another CA), the passphrase (which opens
 * the key), and that the key is the certificate's. Then the files are
 * written into a private directory beside the configuration, and renamed
 * into place: ca.crt, UNIT.crt, UNIT.key (mode 0600, without a
 * passphrase, as gp-client reads it) and the configuration last, with
 * paths relative to its own directory. doctor then checks it all against
 * the server, and the next steps are said.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "i18n.h"
#include "client.h"
#include "doctor.h"
#include "fmt.h"
#include "forms.h"
#include "output.h"
#include "period.h"
#include "zone.h"

#define SETUP_BUNDLE_MAX	(64 * 1024)
#define SETUP_PASS_MAX		256
#define SETUP_TRIES		3	/* passphrases typed at a tty */
#define SETUP_VERSION		"1"
#define SETUP_NAME_MAX		64	/* a CN as gp-ca issues it */

struct bundle {
	char		*unit;
	char		*server;
	X509		*cert;
	STACK_OF(X509)	*cas;
	unsigned char	*key;		/* encrypted PKCS #8, DER */
	long		 keylen;
};

/* Where setup installs: the configuration file and its directory. */
struct setup_place {
	char		*conf;
	char		*dir;
};

static void
bundle_free(struct bundle *b)
{
	free(b->unit);
	free(b->server);
	X509_free(b->cert);
	sk_X509_pop_free(b->cas, X509_free);
	OPENSSL_free(b->key);
	memset(b, 0, sizeof(*b));
}

/* The file, whole, at most SETUP_BUNDLE_MAX bytes and NUL-terminated.
 * Returns 0, or an exit status after saying why. */
static int
setup_read(struct client *cl, const char *path, char **text, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n;
	int	 saved;

	*text = NULL;
	if ((f = fopen(path, "re")) == NULL) {
		saved = errno;
		return client_fail(cl, EX_NOINPUT, _("cannot read %s: %s; "
		    "check the file name"), path, strerror(saved));
	}
	if ((buf = malloc(SETUP_BUNDLE_MAX + 1)) == NULL) {
		fclose(f);
		return client_fail(cl, EX_OSERR, "%s", _("out of memory"));
	}
	n = fread(buf, 1, SETUP_BUNDLE_MAX + 1, f);
	saved = ferror(f) ? errno : 0;
	fclose(f);
	if (saved != 0) {
		free(buf);
		return client_fail(cl, EX_IOERR, _("cannot read %s: %s"), path,
		    strerror(saved));
	}
	if (n > SETUP_BUNDLE_MAX || memchr(buf, '\0', n) != NULL) {
		free(buf);
		return client_fail(cl, EX_DATAERR, _("%s is not a gp bundle: "
		    "use the .gpbundle file that 'gp-ca bundle' wrote"), path);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* The value of "Name: value" in line (len bytes), malloc'd, or NULL. */
static char *
setup_field(const char *line, size_t len, const char *name)
{
	size_t	n = strlen(name);

	if (len <= n + 2 || strncmp(line, name, n) != 0 || line[n] != ':' ||
	    line[n + 1] != ' ')
		return NULL;
	return strndup(line + n + 2, len - n - 2);
}

/*
 * The header (lines up to the first empty one) and the checksum, which
 * covers the whole file but its own line. Returns a pointer to the body,
 * or NULL with *why (a phrase).
 */
static const char *
setup_header(const char *text, size_t len, struct bundle *b,
    const char **why)
{
	const char	*p = text, *end = text + len, *nl, *sum_at = NULL;
	char		*version = NULL, *sum = NULL, *v;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	char		 hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int	 mdlen, i;
	size_t		 n, sum_len = 0;
	EVP_MD_CTX	*ctx;
	int		 ok, blank = 0;

	*why = _("its first lines are not a gp bundle's");
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		n = (size_t)(nl - p);
		if (n == 0) {
			blank = 1;
			break;
		}
		if (p[0] == '#')
			continue;
		if ((v = setup_field(p, n, "GP-Bundle")) != NULL) {
			free(version);
			version = v;
		} else if ((v = setup_field(p, n, "Unit")) != NULL) {
			free(b->unit);
			b->unit = v;
		} else if ((v = setup_field(p, n, "Server")) != NULL) {
			free(b->server);
			b->server = v;
		} else if ((v = setup_field(p, n, "Checksum")) != NULL) {
			free(sum);
			sum = v;
			sum_at = p;
			sum_len = n + 1;
		}
	}
	if (!blank || version == NULL || b->unit == NULL ||
	    b->server == NULL || sum == NULL || strncmp(sum, "sha256 ", 7)) {
		free(version);
		free(sum);
		return NULL;
	}
	if (strcmp(version, SETUP_VERSION) != 0) {
		*why = _("it is of a newer version of gp: install the "
		    "gp-client of the provincial federation's gp-ca");
		free(version);
		free(sum);
		return NULL;
	}
	free(version);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		ok = 0;
	else
		ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		    EVP_DigestUpdate(ctx, text, (size_t)(sum_at - text)) == 1 &&
		    EVP_DigestUpdate(ctx, sum_at + sum_len,
		    (size_t)(end - sum_at - sum_len)) == 1 &&
		    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	EVP_MD_CTX_free(ctx);
	if (ok) {
		for (i = 0; i < mdlen; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		ok = strcmp(hex, sum + 7) == 0;
	}
	free(sum);
	if (!ok) {
		*why = _("its checksum does not match: the file was changed or "
		    "cut short on its way");
		return NULL;
	}
	return p + 1;
}

/* The PEM blocks of the body: the unit's certificate, its encrypted key,
 * then the CA certificates. Returns 0, or -1 with *why. */
static int
setup_blocks(const char *body, size_t len, struct bundle *b,
    const char **why)
{
	BIO			*bio;
	char			*name = NULL, *header = NULL;
	unsigned char		*data = NULL;
	const unsigned char	*p;
	long			 n;
	X509			*x;
	int			 rv = -1;

	*why = _("its certificates and key cannot be read");
	if ((bio = BIO_new_mem_buf(body, (int)len)) == NULL ||
	    (b->cas = sk_X509_new_null()) == NULL)
		goto done;
	while (PEM_read_bio(bio, &name, &header, &data, &n) == 1) {
		p = data;
		if (strcmp(name, "CERTIFICATE") == 0) {
			if ((x = d2i_X509(NULL, &p, n)) == NULL)
				goto done;
			if (b->cert == NULL)
				b->cert = x;
			else if (b->key == NULL ||
			    sk_X509_push(b->cas, x) == 0) {
				X509_free(x);
				goto done;
			}
		} else if (strcmp(name, "ENCRYPTED PRIVATE KEY") == 0 &&
		    b->cert != NULL && b->key == NULL) {
			b->key = data;
			b->keylen = n;
			data = NULL;
		} else
			goto done;
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		name = header = NULL;
		data = NULL;
	}
	if (b->cert != NULL && b->key != NULL && sk_X509_num(b->cas) > 0)
		rv = 0;
done:
	ERR_clear_error();
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	BIO_free(bio);
	return rv;
}

/* Whether name can be a certificate's CN from gp-ca, and so a file name
 * here: 1 to 64 of a-z, 0-9 and '-'. */
static int
setup_name_ok(const char *name)
{
	size_t	n = strlen(name);

	return n > 0 && n <= SETUP_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* An ASN1_TIME as the reader writes dates. */
static const char *
setup_date(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm	tm;
	char		iso[16];

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(iso, sizeof(iso), "%Y-%m-%d", &tm) == 0)
		snprintf(iso, sizeof(iso), "?");
	return i18n_date(buf, len, iso);
}

static void
setup_cn(X509 *x, char *buf, size_t len)
{
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, buf, (int)len) < 0)
		snprintf(buf, len, "?");
}

/*
 * Reads and checks the bundle at path, all but the passphrase. Returns 0,
 * or an exit status after saying why.
 */
static int
setup_bundle(struct client *cl, const char *path, struct bundle *b)
{
	X509_STORE_CTX	*ctx = NULL;
	X509_STORE	*store = NULL;
	const char	*body, *why;
	char		*text = NULL, cn[128], date[I18N_MAX];
	size_t		 len = 0, i;
	int		 status, err;

	if ((status = setup_read(cl, path, &text, &len)) != 0)
		return status;
	if ((body = setup_header(text, len, b, &why)) == NULL ||
	    setup_blocks(body, len - (size_t)(body - text), b, &why) == -1) {
		free(text);
		return client_fail(cl, EX_DATAERR, _("%s cannot be used: %s; "
		    "ask the provincial federation to send the bundle again"),
		    path, why);
	}
	free(text);
	setup_cn(b->cert, cn, sizeof(cn));
	if (strcmp(cn, b->unit) != 0 || !setup_name_ok(b->unit))
		return client_fail(cl, EX_DATAERR, _("%s cannot be used: it "
		    "is for %s but holds the certificate of %s; ask the "
		    "provincial federation to send the bundle again"), path,
		    b->unit, cn);

	if ((store = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL) {
		status = client_fail(cl, EX_OSERR, "%s", _("out of memory"));
		goto done;
	}
	for (i = 0; i < (size_t)sk_X509_num(b->cas); i++)
		X509_STORE_add_cert(store, sk_X509_value(b->cas, (int)i));
	if (X509_STORE_CTX_init(ctx, store, b->cert, NULL) != 1) {
		status = client_fail(cl, EX_OSERR, "%s", _("out of memory"));
		goto done;
	}
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	if (X509_verify_cert(ctx) == 1) {
		status = 0;
		goto done;
	}
	err = X509_STORE_CTX_get_error(ctx);
	if (err == X509_V_ERR_CERT_HAS_EXPIRED &&
	    X509_STORE_CTX_get_current_cert(ctx) != b->cert) {
		setup_cn(X509_STORE_CTX_get_current_cert(ctx), cn, sizeof(cn));
		status = client_fail(cl, EX_DATAERR, _("%s cannot be used: its "
		    "CA certificate (%s) expired on %s; ask the provincial "
		    "federation for a bundle of its current CA"), path, cn,
		    setup_date(X509_get0_notAfter(
		    X509_STORE_CTX_get_current_cert(ctx)), date, sizeof(date)));
		goto done;
	}
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		status = client_fail(cl, EX_DATAERR, _("%s cannot be used: the "
		    "certificate of %s expired on %s; ask the provincial "
		    "federation for a new bundle (gp-ca renew, then gp-ca "
		    "bundle)"), path, b->unit, setup_date(X509_get0_notAfter(
		    X509_STORE_CTX_get_current_cert(ctx)), date, sizeof(date)));
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		status = client_fail(cl, EX_DATAERR, _("%s cannot be used yet: "
		    "its certificate is valid only from %s; check this "
		    "computer's date and time"), path, setup_date(
		    X509_get0_notBefore(X509_STORE_CTX_get_current_cert(ctx)),
		    date, sizeof(date)));
		break;
	default:
		status = client_fail(cl, EX_DATAERR, _("%s cannot be used: the "
		    "certificate of %s is not valid under the bundle's CA "
		    "(%s); ask the provincial federation to send the bundle "
		    "again"),
		    path, b->unit, X509_verify_cert_error_string(err));
		break;
	}
done:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return status;
}

/* The first certificate of a PEM file, or NULL. */
static X509 *
setup_pem_cert(const char *path)
{
	FILE	*f;
	X509	*x;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	return x;
}

/*
 * Refuses a bundle of another CA than the one this computer trusts
 * already (the configuration's, or the ca.crt beside it): a unit moves
 * to another CA only by removing the old set-up on purpose.
 */
static int
setup_same_ca(struct client *cl, const struct setup_place *pl,
    const struct bundle *b, const char *path)
{
	const char	*ca;
	char		*beside = NULL, have[128], want[128];
	X509		*x = NULL;
	int		 status = 0;

	ca = cl->config != NULL && strcmp(cl->config, pl->conf) == 0 ?
	    cl->file.ca : NULL;
	if (ca == NULL || (x = setup_pem_cert(ca)) == NULL) {
		if (asprintf(&beside, "%s/ca.crt", pl->dir) == -1)
			return client_fail(cl, EX_OSERR, "%s",
			    _("out of memory"));
		ca = beside;
		x = setup_pem_cert(beside);
	}
	if (x != NULL && X509_cmp(x, sk_X509_value(b->cas, 0)) != 0) {
		setup_cn(x, have, sizeof(have));
		setup_cn(sk_X509_value(b->cas, 0), want, sizeof(want));
		status = client_fail(cl, EX_CONFIG, _("%s is for another CA "
		    "(%s) than the one this computer trusts (%s, in %s): ask "
		    "the provincial federation which is right; to change, "
		    "remove %s first"), path, want, have, ca, pl->dir);
	}
	X509_free(x);
	free(beside);
	return status;
}

static volatile sig_atomic_t	setup_signal;
static struct termios		setup_tty;

static void
setup_on_signal(int sig)
{
	setup_signal = sig;
}

/*
 * A line from standard input: from a terminal with a prompt and without
 * echo (restored even when interrupted), else as it comes (a script,
 * a test). Returns 0, or -1 at end of input or on an interruption.
 */
static int
setup_passphrase(char *buf, size_t len, int tty)
{
	struct sigaction	 sa, old_int, old_term;
	struct termios		 quiet;
	char			*got;
	int			 echo_off = 0;

	if (tty) {
		fprintf(stderr, "%s", _("Passphrase (20 digits, as read to "
		    "you by telephone): "));
		fflush(stderr);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = setup_on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		if (tcgetattr(STDIN_FILENO, &setup_tty) == 0) {
			quiet = setup_tty;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH,
			    &quiet) == 0;
		}
	}
	got = fgets(buf, (int)len, stdin);
	if (tty) {
		if (echo_off)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &setup_tty);
		fputc('\n', stderr);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		if (setup_signal != 0)
			raise(setup_signal);
	}
	return got == NULL ? -1 : 0;
}

/* The passphrase as gp-ca made it: digits only, whatever was typed
 * between them (spaces, dashes, the end of the line). */
static void
setup_digits(char *s)
{
	char	*o = s;

	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			*o++ = *s;
	*o = '\0';
}

/* The key, opened with the passphrase. Returns 0, or an exit status
 * after saying why. */
static int
setup_key(struct client *cl, const struct bundle *b, const char *path,
    EVP_PKEY **key)
{
	BIO	*bio;
	char	 pass[SETUP_PASS_MAX];
	int	 tty = isatty(STDIN_FILENO), tries, rv;

	*key = NULL;
	for (tries = 0; tries < (tty ? SETUP_TRIES : 1); tries++) {
		if (setup_passphrase(pass, sizeof(pass), tty) == -1)
			return client_fail(cl, EX_NOINPUT, _("no passphrase "
			    "given: type the 20 digits the provincial "
			    "federation read to you for %s"), path);
		setup_digits(pass);
		if ((bio = BIO_new_mem_buf(b->key, (int)b->keylen)) == NULL)
			return client_fail(cl, EX_OSERR, "%s",
			    _("out of memory"));
		*key = pass[0] != '\0' ? d2i_PKCS8PrivateKey_bio(bio, NULL,
		    NULL, pass) : NULL;
		BIO_free(bio);
		OPENSSL_cleanse(pass, sizeof(pass));
		ERR_clear_error();
		if (*key != NULL)
			break;
		if (tty && tries + 1 < SETUP_TRIES)
			fprintf(stderr, "%s\n", _("That passphrase does not "
			    "open the bundle; try again."));
	}
	if (*key == NULL)
		return client_fail(cl, EX_NOPERM, _("the passphrase does not "
		    "open %s; nothing was installed: check the 20 digits with "
		    "the provincial federation, and run setup again"), path);
	rv = X509_check_private_key(b->cert, *key);
	ERR_clear_error();
	if (rv != 1) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return client_fail(cl, EX_DATAERR, _("%s cannot be used: its "
		    "key is not its certificate's; ask the provincial "
		    "federation to send the bundle again"), path);
	}
	return 0;
}

/* The configuration file setup writes and its directory. */
static int
setup_where(struct client *cl, struct setup_place *pl)
{
	const char	*env, *explicit = cl->config_arg, *slash;
	char		*cause = NULL, *dir;

	memset(pl, 0, sizeof(*pl));
	if (explicit == NULL && (env = getenv(CONF_ENV)) != NULL &&
	    env[0] != '\0')
		explicit = env;
	if (explicit != NULL) {
		slash = strrchr(explicit, '/');
		pl->conf = strdup(explicit);
		pl->dir = slash == NULL ? strdup(".") : slash == explicit ?
		    strdup("/") : strndup(explicit, (size_t)(slash - explicit));
	} else if ((dir = conf_user_dir(&cause)) == NULL) {
		output_failure(cl->json, EX_CANTCREAT, cause);
		free(cause);
		return EX_CANTCREAT;
	} else {
		pl->dir = dir;
		if (asprintf(&pl->conf, "%s/%s", dir, CONF_NAME) == -1)
			pl->conf = NULL;
	}
	if (pl->conf == NULL || pl->dir == NULL)
		return client_fail(cl, EX_OSERR, "%s", _("out of memory"));
	return 0;
}

/* mkdir -p with mode 0700 for what it makes. */
static int
setup_mkdirs(const char *dir)
{
	char	*copy, *p;
	int	 rv = 0;

	if ((copy = strdup(dir)) == NULL)
		return -1;
	for (p = copy + 1; rv == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '/') {
			*p = '\0';
			if (mkdir(copy, 0700) == -1 && errno != EEXIST)
				rv = -1;
			*p = '/';
		} else {
			if (mkdir(copy, 0700) == -1 && errno != EEXIST)
				rv = -1;
			break;
		}
	}
	free(copy);
	return rv;
}

/* Writes text to dir/name, new, mode 0600, synced. */
static int
setup_write(const char *dir, const char *name, const char *text,
    size_t len)
{
	char	*path;
	ssize_t	 n;
	int	 fd, rv = -1;

	if (asprintf(&path, "%s/%s", dir, name) == -1)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) != -1) {
		for (rv = 0; len > 0; text += n, len -= (size_t)n)
			if ((n = write(fd, text, len)) <= 0) {
				rv = -1;
				break;
			}
		if (rv == 0 && fsync(fd) == -1)
			rv = -1;
		if (close(fd) == -1)
			rv = -1;
	}
	free(path);
	return rv;
}

/* The PEM of what write_fn writes to a memory BIO, malloc'd. */
static char *
setup_pem(int (*write_fn)(BIO *, const void *), const void *arg,
    size_t *len)
{
	BIO	*bio;
	char	*data, *copy = NULL;
	long	 n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (write_fn(bio, arg) == 1 && (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (copy = malloc((size_t)n + 1)) != NULL) {
		memcpy(copy, data, (size_t)n);
		copy[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(bio);
	return copy;
}

static int
setup_pem_cas(BIO *bio, const void *arg)
{
	const STACK_OF(X509)	*cas = arg;
	int			 i;

	for (i = 0; i < sk_X509_num(cas); i++)
		if (PEM_write_bio_X509(bio, sk_X509_value(cas, i)) != 1)
			return 0;
	return 1;
}

static int
setup_pem_cert_one(BIO *bio, const void *arg)
{
	return PEM_write_bio_X509(bio, (X509 *)(uintptr_t)arg);
}

static int
setup_pem_key(BIO *bio, const void *arg)
{
	return PEM_write_bio_PrivateKey(bio, (EVP_PKEY *)(uintptr_t)arg, NULL,
	    NULL, 0, NULL, NULL);
}

/* The configuration setup writes: the bundle's settings, and the ones
 * this computer had that a bundle does not hold. */
static char *
setup_conf_text(struct client *cl, const struct setup_place *pl,
    const struct bundle *b, size_t *len)
{
	const struct conf	*old = NULL;
	char			*text = NULL, ca[128], when[32];
	size_t			 size = 0;
	FILE			*f;
	time_t			 now = time(NULL);
	struct tm		 tm;

	if (cl->config != NULL && strcmp(cl->config, pl->conf) == 0 &&
	    cl->config_error == NULL)
		old = &cl->file;
	setup_cn(sk_X509_value(b->cas, 0), ca, sizeof(ca));
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d", &tm) == 0)
		snprintf(when, sizeof(when), "?");
	if ((f = open_memstream(&text, &size)) == NULL)
		return NULL;
	/* Comments in English: the file is read by whoever helps, and
	 * gp-client(1) documents it. */
	fprintf(f, U_("; gp-client configuration of unit %s, written by "
	    "'gp-client setup' on %s\n; from its bundle (CA \"%s\"). Paths "
	    "are relative to this file's directory.\n; See gp-client(1).\n\n"
	    "[client]\nserver = %s\nca = ca.crt\ncert = %s.crt\nkey = %s.key\n"),
	    b->unit, when, ca, b->server, b->unit, b->unit);
	if (old != NULL && old->language != NULL)
		fprintf(f, U_("language = %s\n"), old->language);
	else
		fprintf(f, U_("; vi: Vietnamese whatever this computer's "
		    "locale; en: English\n;language = vi\n"));
	if (old != NULL && old->timeout > 0)
		fprintf(f, U_("timeout = %d\n"), old->timeout);
	if (old != NULL && old->retries >= 0)
		fprintf(f, U_("retries = %d\n"), old->retries);
	if (old != NULL && old->outbox != NULL)
		fprintf(f, U_("outbox = %s\n"), old->outbox);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	*len = size;
	return text;
}

/* Renames each file of the staging directory into dir, the
 * configuration last. Returns 0, or -1 with errno. */
static int
setup_move(const char *stage, const char *dir, const char *const *names,
    size_t n)
{
	char	*from, *to;
	size_t	 i;
	int	 rv = 0, fd;

	for (i = 0; i < n && rv == 0; i++) {
		if (asprintf(&from, "%s/%s", stage, names[i]) == -1)
			return -1;
		if (asprintf(&to, "%s/%s", dir, names[i]) == -1) {
			free(from);
			return -1;
		}
		rv = rename(from, to);
		free(from);
		free(to);
	}
	if (rv == 0 && (fd = open(dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	return rv;
}

/* Removes the staging directory and what is left in it. */
static void
setup_unstage(const char *stage, const char *const *names, size_t n)
{
	char	*path;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (asprintf(&path, "%s/%s", stage, names[i]) != -1) {
			(void)unlink(path);
			free(path);
		}
	(void)rmdir(stage);
}

/*
 * Writes the files into a staging directory beside the configuration,
 * then renames them into place. Returns 0, or an exit status after
 * saying why; nothing is left half made.
 */
static int
setup_install(struct client *cl, const struct setup_place *pl,
    const struct bundle *b, EVP_PKEY *key, char **names)
{
	const char	*const list[] = { names[0], names[1], names[2],
			    names[3] };
	char		*stage = NULL, *text[4] = { NULL, NULL, NULL, NULL
			    };
	size_t		 len[4], i;
	int		 saved, status = 0;

	if (setup_mkdirs(pl->dir) == -1) {
		saved = errno;
		return client_fail(cl, EX_CANTCREAT, _("cannot make %s: %s"),
		    pl->dir, strerror(saved));
	}
	text[0] = setup_pem(setup_pem_cas, b->cas, &len[0]);
	text[1] = setup_pem(setup_pem_cert_one, b->cert, &len[1]);
	text[2] = setup_pem(setup_pem_key, key, &len[2]);
	text[3] = setup_conf_text(cl, pl, b, &len[3]);
	if (text[0] == NULL || text[1] == NULL || text[2] == NULL ||
	    text[3] == NULL || asprintf(&stage, "%s/.setup-XXXXXX",
	    pl->dir) == -1) {
		stage = NULL;
		status = client_fail(cl, EX_OSERR, "%s", _("out of memory"));
		goto done;
	}
	if (mkdtemp(stage) == NULL) {
		saved = errno;
		status = client_fail(cl, EX_CANTCREAT, _("cannot write in %s: "
		    "%s"), pl->dir, strerror(saved));
		free(stage);
		stage = NULL;
		goto done;
	}
	for (i = 0; i < 4; i++)
		if (setup_write(stage, list[i], text[i], len[i]) == -1)
			break;
	if (i < 4 || setup_move(stage, pl->dir, list, 4) == -1) {
		saved = errno;
		status = client_fail(cl, EX_CANTCREAT, _("cannot install the "
		    "files in %s: %s; nothing was changed"), pl->dir,
		    strerror(saved));
	}
done:
	if (stage != NULL)
		setup_unstage(stage, list, 4);
	free(stage);
	for (i = 0; i < 4; i++) {
		if (text[i] != NULL)
			OPENSSL_cleanse(text[i], len[i]);
		free(text[i]);
	}
	return status;
}

/* This period's report, or the one due next: H1 until June, else the
 * year's (the default period rules); but of the newest year whose form
 * this computer knows (built in, or kept by doctor's visit), so that the
 * template it is told to make can be made. */
static void
setup_period(struct client *cl, char *buf, size_t len)
{
	struct forms		 forms;
	const struct form	*form;
	struct period		 p;
	char			*cause;
	int			 year, month, day, h1, opened;

	/* Today in the federation's zone (zone.h). */
	date_to_ymd(zone_today(), &year, &month, &day);
	h1 = month == 12 || month <= 6;
	year += month == 12;
	opened = forms_open(&forms, cl) == 0;
	for (; year >= 2022; year--, h1 = 0) {
		if (h1)
			snprintf(buf, len, "%d-H1", year);
		else
			snprintf(buf, len, "%d", year);
		cause = NULL;
		if (!opened || forms_period(&forms, buf, &form, &p,
		    &cause) == 0) {
			free(cause);
			break;
		}
		free(cause);
	}
	if (year < 2022)
		snprintf(buf, len, "2022");
	if (opened)
		forms_close(&forms);
}

/* doctor on what was installed, as a later run would read it. */
static int
setup_doctor(struct client *cl, const struct setup_place *pl)
{
	struct doctor_input	 in;
	struct conf		 f;
	char			*cause = NULL, *outbox = NULL;
	int			 status;

	if (conf_read(pl->conf, &f, &cause) == -1) {
		output_failure(cl->json, EX_CONFIG, cause);
		free(cause);
		conf_free(&f);
		return EX_CONFIG;
	}
	memset(&in, 0, sizeof(in));
	in.config = pl->conf;
	in.conn.server = f.server;
	in.conn.ca = f.ca;
	in.conn.cert = f.cert;
	in.conn.key = f.key;
	in.conn.timeout = cl->args.timeout > 0 ? cl->args.timeout :
	    f.timeout > 0 ? f.timeout : CONN_TIMEOUT_DEFAULT;
	if (cl->outbox_arg != NULL)
		in.outbox = cl->outbox_arg;
	else if (f.outbox != NULL)
		in.outbox = f.outbox;
	else if ((in.outbox = outbox = outbox_default_path(&cause)) == NULL)
		in.outbox_error = cause;
	status = doctor_run(&in, 0);
	free(outbox);
	free(cause);
	conf_free(&f);
	return status;
}

static int
setup_exec(struct client *cl, const struct cmd_args *args)
{
	struct setup_place	 pl;
	struct bundle		 b;
	EVP_PKEY		*key = NULL;
	const char		*path = args->operands[0];
	char			*names[4] = { NULL, NULL, NULL, NULL };
	char			 period[16];
	int			 status, i;

	memset(&b, 0, sizeof(b));
	/* A closed connection (doctor) is an error to report. */
	signal(SIGPIPE, SIG_IGN);
	if ((status = setup_where(cl, &pl)) != 0)
		goto done;
	if ((status = setup_bundle(cl, path, &b)) != 0 ||
	    (status = setup_same_ca(cl, &pl, &b, path)) != 0 ||
	    (status = setup_key(cl, &b, path, &key)) != 0)
		goto done;
	if ((names[0] = strdup("ca.crt")) == NULL ||
	    asprintf(&names[1], "%s.crt", b.unit) == -1 ||
	    asprintf(&names[2], "%s.key", b.unit) == -1 ||
	    (names[3] = strdup(strrchr(pl.conf, '/') != NULL ?
	    strrchr(pl.conf, '/') + 1 : pl.conf)) == NULL) {
		status = client_fail(cl, EX_OSERR, "%s", _("out of memory"));
		goto done;
	}
	if ((status = setup_install(cl, &pl, &b, key, names)) != 0)
		goto done;

	fmt_line(stdout, _("installed unit %s in %s: ca.crt, %s, %s (private) "
	    "and %s, for the server %s"), b.unit, pl.dir, names[1], names[2],
	    names[3], b.server);
	fmt_line(stdout, "%s", _("checking it with 'gp-client doctor':"));
	fflush(stdout);
	status = setup_doctor(cl, &pl);
	setup_period(cl, period, sizeof(period));
	if (status != EX_OK)
		fmt_line(stdout, "%s", _("The files are installed, but doctor "
		    "found a problem: do what its FAIL line says, then run "
		    "'gp-client doctor' again."));
	else {
		fmt_line(stdout, "%s", _("Ready. Next:"));
		/* TRANSLATORS: the file names are examples; "bao-cao" is
		 * Vietnamese for "report". */
		fmt_line(stdout, _("  gp-client template --unit %s --period %s "
		    "> bao-cao.json    (the report to fill in)"), b.unit,
		    period);
		fmt_line(stdout, "%s", _("  gp-client validate bao-cao.json"
		    "                 (checked here, nothing sent)"));
		fmt_line(stdout, "%s", _("  gp-client submit bao-cao.json"
		    "                   (sent; a signed receipt comes back)"));
	}
done:
	for (i = 0; i < 4; i++)
		free(names[i]);
	EVP_PKEY_free(key);
	bundle_free(&b);
	free(pl.conf);
	free(pl.dir);
	return status;
}

const struct cmd_entry cmd_setup_entry = {
	"setup", N_("BUNDLE"), 1, 1,
	N_("set this computer up from the unit's bundle"),
	N_("Install the unit's bundle, the one file the provincial federation "
	"makes with 'gp-ca bundle': the unit's certificate and key, the CA "
	"certificate and the server's address. Asks for the passphrase they "
	"read to you by telephone (from standard input when it is not a "
	"terminal). Refuses a bundle that is damaged, expired, or of another "
	"CA than this computer trusts, and then installs nothing. The files "
	"go beside the configuration file (~/.config/gp/client.conf, or the "
	"one -c names), which is written last; then doctor checks them, and "
	"the next steps are shown."),
	"gp-client setup lc-tamduong.gpbundle",
	{ { NULL, 0, NULL, 0, NULL } },
	0,
	setup_exec
};
