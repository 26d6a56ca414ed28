/*
 * gp-client's mutual-TLS connection to gpd and one framed exchange.
 *
 * The socket is non-blocking from the start and every wait goes through
 * poll() against one deadline, so no step after the name look-up can hold
 * the user past --timeout.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <netinet/tcp.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "frame.h"
#include "i18n.h"
#include "wire.h"
#include "cause.h"
#include "conn.h"
#include "trace.h"

/* ALPN wire format: a length byte, then the protocol name. */
static const unsigned char conn_alpn[] = { 4, 'g', 'p', '/', '1' };
#define CONN_ALPN_NAME	"gp/1"

struct conn {
	char			*server;	/* as the user gave it */
	char			*host;		/* without brackets */
	char			*port;
	int			 ip_literal;
	int			 timeout;
	SSL_CTX			*ctx;
	SSL			*ssl;
	int			 fd;
	int			 handshaken;
	int			 answering;	/* part of an answer came */
	int			 failed;	/* no close_notify after this */
	int			 status;
	int			 transient;	/* the network, not the peer */
	char			 reason[128];	/* short, for the outbox */
	struct timespec		 deadline;
	pthread_t		 begun;		/* conn_begin's thread */
	int			 begun_running;
	int			 begun_rv;	/* what its connect returned */
	char			*begun_cause;
};

/* A refusal of our certificate, by the TLS alert the server sent. */
static const int conn_refusals[] = {
	SSL3_AD_BAD_CERTIFICATE,
	SSL3_AD_UNSUPPORTED_CERTIFICATE,
	SSL3_AD_CERTIFICATE_REVOKED,
	SSL3_AD_CERTIFICATE_EXPIRED,
	SSL3_AD_CERTIFICATE_UNKNOWN,
	TLS1_AD_UNKNOWN_CA,
	TLS1_AD_ACCESS_DENIED,
	TLS13_AD_CERTIFICATE_REQUIRED
};

static int	 conn_fail(struct conn *, int, char **, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 conn_network(struct conn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
conn_fail(struct conn *c, int status, char **cause, const char *fmt, ...)
{
	va_list	ap;

	c->status = status;
	c->failed = 1;
	va_start(ap, fmt);
	cause_vset(cause, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Marks the failure about to be reported as the network's: worth trying
 * again later. fmt is the short reason the outbox keeps and --json shows:
 * English, as the outbox is read in every language (po/README).
 */
static void
conn_network(struct conn *c, const char *fmt, ...)
{
	va_list	ap;

	c->transient = 1;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

/* The most useful OpenSSL reason in the queue, for a sentence. */
static const char *
conn_ssl_reason(void)
{
	const char	*s;

	if ((s = ERR_reason_error_string(ERR_peek_error())) == NULL)
		return _("unknown error");
	return s;
}

static int
conn_no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	/* Never prompt: gp-client runs from scripts and must not hang. */
	return -1;
}

/* HOST:PORT or [IPv6]:PORT; the port is numeric. */
static int
conn_parse_server(struct conn *c, const char *server, char **cause)
{
	const char		*host, *port, *p;
	size_t			 hostlen;
	struct in6_addr		 a6;
	struct in_addr		 a4;
	unsigned long		 n;
	char			*end;

	if (server[0] == '[') {
		host = server + 1;
		if ((p = strchr(host, ']')) == NULL || p[1] != ':')
			goto bad;
		port = p + 2;
	} else {
		host = server;
		/* A bare IPv6 address has more than one colon. */
		if ((p = strchr(host, ':')) == NULL || strchr(p + 1, ':'))
			goto bad;
		port = p + 1;
	}
	hostlen = (size_t)(p - host);
	if (hostlen == 0 || hostlen >= NI_MAXHOST)
		goto bad;
	if (port[0] < '0' || port[0] > '9' || strlen(port) > 5)
		goto bad;
	errno = 0;
	n = strtoul(port, &end, 10);
	if (errno != 0 || *end != '\0' || n == 0 || n > 65535)
		goto bad;

	if ((c->host = strndup(host, hostlen)) == NULL ||
	    (c->port = strdup(port)) == NULL) {
		*cause = NULL;
		return -1;
	}
	if (server[0] == '[') {
		if (inet_pton(AF_INET6, c->host, &a6) != 1)
			goto bad;
		c->ip_literal = 1;
	} else
		c->ip_literal = inet_pton(AF_INET, c->host, &a4) == 1;
	return 0;

bad:
	return cause_set(cause, _("bad server address '%s': use HOST:PORT, "
	    "with an IPv6 address in brackets ([2001:db8::1]:7443)"), server);
}

/* Says which file and which setting when a file cannot be read at all:
 * the CA's certificate (ca) or this unit's. */
static int
conn_check_file(const char *path, int ca, char **cause)
{
	FILE	*f;

	if ((f = fopen(path, "r")) != NULL) {
		fclose(f);
		return 0;
	}
	if (ca)
		return cause_set(cause, _("cannot read the CA certificate %s: "
		    "%s; check --ca or 'ca' in the configuration file"), path,
		    strerror(errno));
	return cause_set(cause, _("cannot read the certificate %s: %s; check "
	    "--cert or 'cert' in the configuration file"), path,
	    strerror(errno));
}

int
conn_key_private(int fd, const char *path, char **cause)
{
	struct stat	sb;

	if (fstat(fd, &sb) == -1)
		return cause_set(cause, _("cannot read the private key %s: %s; "
		    "check --key or 'key' in the configuration file"), path,
		    strerror(errno));
	if ((sb.st_mode & (S_IROTH | S_IWOTH)) == 0)
		return 0;
	if (sb.st_mode & S_IROTH)
		return cause_set(cause, _("the private key %s can be read by "
		    "every user of this computer (mode %04o): run 'chmod 600 "
		    "%s', then try again"), path,
		    (unsigned int)(sb.st_mode & 07777), path);
	return cause_set(cause, _("the private key %s can be changed by every "
	    "user of this computer (mode %04o): run 'chmod 600 %s', then try "
	    "again"), path, (unsigned int)(sb.st_mode & 07777), path);
}

/*
 * An unencrypted PKCS #8 key (what gp-ca and openssl genpkey write) of
 * the type of the certificate's public key, or NULL for anything else,
 * with f read from its start. OpenSSL's generic reader tries every
 * format and key type in turn, three times the cost of a run's other key
 * loads together; told the type, it decodes only that one.
 */
static EVP_PKEY *
conn_read_typed_key(FILE *f, SSL_CTX *ctx)
{
	X509			*cert;
	EVP_PKEY		*pub, *pkey = NULL;
	char			*name = NULL, *header = NULL;
	unsigned char		*der = NULL;
	const unsigned char	*p;
	long			 len;

	if ((cert = SSL_CTX_get0_certificate(ctx)) == NULL ||
	    (pub = X509_get0_pubkey(cert)) == NULL)
		return NULL;
	if (PEM_read(f, &name, &header, &der, &len) == 1 &&
	    strcmp(name, PEM_STRING_PKCS8INF) == 0 && header[0] == '\0') {
		p = der;
		pkey = d2i_PrivateKey(EVP_PKEY_get_base_id(pub), NULL, &p, len);
		if (pkey != NULL && p != der + len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_clear_free(der, der != NULL ? (size_t)len : 0);
	ERR_clear_error();
	return pkey;
}

/*
 * The private key, read from the file that was checked: a key others can
 * read is no longer this unit's alone, and one they can change is not
 * ours at all.
 */
static int
conn_load_key(struct conn *c, const struct conn_config *cfg, char **cause)
{
	EVP_PKEY	*pkey;
	FILE		*f;
	unsigned long	 e;

	if ((f = fopen(cfg->key, "re")) == NULL)
		return cause_set(cause, _("cannot read the private key %s: %s; "
		    "check --key or 'key' in the configuration file"), cfg->key,
		    strerror(errno));
	if (conn_key_private(fileno(f), cfg->key, cause) == -1) {
		fclose(f);
		return -1;
	}
	/* Anything else, and the reasons a key is refused, from the
	 * generic reader. */
	if ((pkey = conn_read_typed_key(f, c->ctx)) == NULL) {
		rewind(f);
		ERR_clear_error();
		pkey = PEM_read_PrivateKey(f, NULL, conn_no_passphrase, NULL);
	}
	fclose(f);
	if (pkey == NULL)
		return cause_set(cause, _("cannot load the private key %s "
		    "(%s): give an unencrypted PEM key with --key"), cfg->key,
		    conn_ssl_reason());
	ERR_clear_error();
	if (SSL_CTX_use_PrivateKey(c->ctx, pkey) != 1) {
		e = ERR_peek_last_error();
		EVP_PKEY_free(pkey);
		if (ERR_GET_LIB(e) == ERR_LIB_X509 &&
		    ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH)
			goto mismatch;
		return cause_set(cause, _("cannot load the private key %s "
		    "(%s): give an unencrypted PEM key with --key"), cfg->key,
		    conn_ssl_reason());
	}
	EVP_PKEY_free(pkey);
	if (SSL_CTX_check_private_key(c->ctx) != 1)
		goto mismatch;
	return 0;

mismatch:
	return cause_set(cause, _("the private key %s does not belong to the "
	    "certificate %s: give the key the certificate was made for"),
	    cfg->key, cfg->cert);
}

static int
conn_tls_new(struct conn *c, const struct conn_config *cfg, char **cause)
{
	/*
	 * gp-client sets every TLS parameter it relies on itself (TLS 1.2
	 * at least, security level 2, its own trust anchor), so the
	 * system's openssl.cnf is not read; and a one-shot process need not
	 * free OpenSSL's tables at exit, as the kernel does. Both are time
	 * on every run (tests/bench/README.md).
	 */
	OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT,
	    NULL);
	ERR_clear_error();
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return cause_set(cause, _("cannot set up TLS: %s"),
		    conn_ssl_reason());
	if (SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1)
		return cause_set(cause, _("cannot require TLS 1.2: %s"),
		    conn_ssl_reason());
	SSL_CTX_set_security_level(c->ctx, 2);
	SSL_CTX_set_options(c->ctx, SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_default_passwd_cb(c->ctx, conn_no_passphrase);

	if (conn_check_file(cfg->ca, 1, cause) == -1)
		return -1;
	/* The federation's CA is the only trust anchor: no system store. */
	if (SSL_CTX_load_verify_locations(c->ctx, cfg->ca, NULL) != 1)
		return cause_set(cause, _("cannot load the CA certificate %s "
		    "(%s): give a PEM certificate with --ca"), cfg->ca,
		    conn_ssl_reason());

	if (conn_check_file(cfg->cert, 0, cause) == -1)
		return -1;
	if (SSL_CTX_use_certificate_chain_file(c->ctx, cfg->cert) != 1)
		return cause_set(cause, _("cannot load the certificate %s "
		    "(%s): give a PEM certificate with --cert"), cfg->cert,
		    conn_ssl_reason());

	if (conn_load_key(c, cfg, cause) == -1)
		return -1;

	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	/* Inverted convention: 0 is success here. */
	if (SSL_CTX_set_alpn_protos(c->ctx, conn_alpn, sizeof(conn_alpn)) != 0)
		return cause_set(cause, _("cannot set up TLS: %s"),
		    conn_ssl_reason());
	return 0;
}

struct conn *
conn_new(const struct conn_config *cfg, char **cause)
{
	struct conn	*c;

	*cause = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = -1;
	c->status = EX_CONFIG;
	c->timeout = cfg->timeout;
	if ((c->server = strdup(cfg->server)) == NULL)
		goto fail;
	if (conn_parse_server(c, cfg->server, cause) == -1)
		goto fail;
	if (conn_tls_new(c, cfg, cause) == -1)
		goto fail;
	return c;

fail:
	conn_free(c);
	return NULL;
}

struct conn *
conn_new_plain(const char *server, int timeout, char **cause)
{
	struct conn	*c;

	*cause = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = -1;
	c->status = EX_CONFIG;
	c->timeout = timeout;
	if ((c->server = strdup(server)) == NULL ||
	    conn_parse_server(c, server, cause) == -1) {
		conn_free(c);
		return NULL;
	}
	return c;
}

/* Milliseconds to the deadline, 0 when it has passed. */
static int
conn_left(const struct conn *c)
{
	struct timespec	now;
	long long	ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000 +
	    (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0)
		return 0;
	return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

/* Returns 1 when fd is ready, 0 at the deadline, -1 with errno. */
static int
conn_poll(const struct conn *c, int fd, short events)
{
	struct pollfd	pfd;
	int		ms, n;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		if ((ms = conn_left(c)) == 0)
			return 0;
		if ((n = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
			continue;
		return n;
	}
}

static int
conn_timeout(struct conn *c, char **cause)
{
	if (c->answering) {
		conn_network(c, "answer not complete within %d second%s",
		    c->timeout, c->timeout == 1 ? "" : "s");
		return conn_fail(c, EX_UNAVAILABLE, cause, ngettext("%s did "
		    "not send the whole answer within %d second; try again "
		    "later, or give a longer --timeout for a long answer",
		    "%s did not send the whole answer within %d seconds; try "
		    "again later, or give a longer --timeout for a long answer",
		    (unsigned long)c->timeout), c->server, c->timeout);
	}
	conn_network(c, "no answer within %d second%s", c->timeout,
	    c->timeout == 1 ? "" : "s");
	return conn_fail(c, EX_UNAVAILABLE, cause, ngettext("%s did not answer "
	    "within %d second; check the address and the network, or try "
	    "later", "%s did not answer within %d seconds; check the address "
	    "and the network, or try later", (unsigned long)c->timeout),
	    c->server, c->timeout);
}

/* Returns the connected socket, or -1 with *error (an errno). */
static int
conn_try(const struct conn *c, const struct addrinfo *ai, int *error)
{
	socklen_t	len = sizeof(*error);
	int		fd, n;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		*error = errno;
		return -1;
	}
	/* The request follows the handshake at once: without this, Nagle
	 * holds it for the server's delayed acknowledgement (~40 ms). */
	n = 1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &n, sizeof(n));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		*error = errno;
		goto fail;
	}
	if ((n = conn_poll(c, fd, POLLOUT)) <= 0) {
		*error = n == 0 ? ETIMEDOUT : errno;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, error, &len) == -1)
		*error = errno;
	if (*error != 0)
		goto fail;
	return fd;

fail:
	close(fd);
	return -1;
}

/* Whether a TLS alert from the server is a refusal of our certificate. */
static int
conn_is_refusal(int alert)
{
	size_t	i;

	for (i = 0; i < sizeof(conn_refusals) / sizeof(conn_refusals[0]); i++)
		if (conn_refusals[i] == alert)
			return 1;
	return 0;
}

/* A server whose certificate is not made for a server: one of the same
 * CA could be a unit's. */
static int
conn_not_server(struct conn *c, char **cause)
{
	return conn_fail(c, EX_UNAVAILABLE, cause, _("the server %s presented "
	    "a certificate that is not made for a server (its extended key "
	    "usage lacks serverAuth): it may not be the provincial "
	    "federation's server, so nothing was sent; tell the provincial "
	    "federation"), c->server);
}

/*
 * Turns a failed SSL_connect/SSL_read/SSL_write into a sentence and a
 * status. With TLS 1.3 the server judges our certificate after our side
 * of the handshake has finished, so its refusal arrives as an alert on
 * the first read: the alert decides, not when it came.
 */
static int
conn_tls_fail(struct conn *c, int sslerr, int syserr, char **cause)
{
	unsigned long	 e;
	int		 alert = -1, verify_failed = 0, eof = 0;
	const char	*reason = NULL;
	char		 why[128] = "";

	while ((e = ERR_get_error()) != 0) {
		if (ERR_GET_LIB(e) != ERR_LIB_SSL)
			continue;
		if (ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET)
			alert = ERR_GET_REASON(e) - SSL_AD_REASON_OFFSET;
		else if (ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED)
			verify_failed = 1;
		else if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			eof = 1;
		if (reason == NULL)
			reason = ERR_reason_error_string(e);
	}

	if (alert != -1 && conn_is_refusal(alert))
		return conn_fail(c, EX_NOPERM, cause, _("the server refused "
		    "this certificate (%s): ask the provincial federation for "
		    "a valid certificate"), SSL_alert_desc_string_long(alert));
	if (alert != -1)
		return conn_fail(c, EX_PROTOCOL, cause, _("%s ended the "
		    "connection with a TLS alert (%s); check that it is a gp "
		    "server"), c->server, SSL_alert_desc_string_long(alert));
	if (verify_failed && SSL_get_verify_result(c->ssl) ==
	    X509_V_ERR_INVALID_PURPOSE)
		return conn_not_server(c, cause);
	if (verify_failed)
		return conn_fail(c, EX_UNAVAILABLE, cause, _("cannot trust the "
		    "server %s: %s; check the address and the CA certificate"),
		    c->server,
		    X509_verify_cert_error_string(SSL_get_verify_result(c->ssl)));
	if (sslerr == SSL_ERROR_SSL && !eof)
		return conn_fail(c, EX_PROTOCOL, cause, _("TLS failed with %s "
		    "(%s); check that it is a gp server"), c->server,
		    reason != NULL ? reason : _("unknown error"));

	/* The peer closed or reset the connection. */
	if (syserr != 0)
		snprintf(why, sizeof(why), " (%s)", strerror(syserr));
	if (!c->handshaken) {
		conn_network(c, "%s during the TLS handshake", syserr != 0 ?
		    strerror(syserr) : "connection closed");
		return conn_fail(c, EX_UNAVAILABLE, cause, _("%s closed the "
		    "connection during the TLS handshake%s; check the address, "
		    "or try later"), c->server, why);
	}
	conn_network(c, "%s before answering", syserr != 0 ?
	    strerror(syserr) : "connection closed");
	return conn_fail(c, EX_PROTOCOL, cause, _("%s closed the connection "
	    "without answering%s; try later, and if it persists tell the "
	    "provincial federation"), c->server, why);
}

/*
 * After an SSL call returned ret <= 0: waits when TLS wants the socket
 * and returns 0 to call again, or returns -1 with the failure explained.
 */
static int
conn_ssl_wait(struct conn *c, int ret, char **cause)
{
	int	sslerr, syserr = errno, n;

	sslerr = SSL_get_error(c->ssl, ret);
	switch (sslerr) {
	case SSL_ERROR_WANT_READ:
		n = conn_poll(c, c->fd, POLLIN);
		break;
	case SSL_ERROR_WANT_WRITE:
		n = conn_poll(c, c->fd, POLLOUT);
		break;
	case SSL_ERROR_SYSCALL:
		return conn_tls_fail(c, sslerr, syserr, cause);
	default:
		return conn_tls_fail(c, sslerr, 0, cause);
	}
	if (n == 0)
		return conn_timeout(c, cause);
	if (n == -1)
		return conn_fail(c, EX_OSERR, cause,
		    _("cannot wait for %s: %s"), c->server, strerror(errno));
	return 0;
}

/*
 * Whether x is marked for a server's use. OpenSSL's own check lets a
 * certificate without extended key usage pass; every unit has a
 * certificate from the same CA, so only one that says serverAuth is the
 * server's.
 */
static int
conn_is_server_cert(X509 *x)
{
	return x != NULL &&
	    (X509_get_extension_flags(x) & EXFLAG_XKUSAGE) != 0 &&
	    (X509_get_extended_key_usage(x) & XKU_SSL_SERVER) != 0;
}

static int
conn_handshake(struct conn *c, char **cause)
{
	const unsigned char	*proto;
	unsigned int		 len;
	int			 ret;
	long			 verify;

	if ((c->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1)
		return conn_fail(c, EX_OSERR, cause, _("cannot set up TLS: %s"),
		    conn_ssl_reason());
	if (c->ip_literal) {
		/* No SNI for addresses (RFC 6066); match the IP SAN. */
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl),
		    c->host) != 1)
			return conn_fail(c, EX_OSERR, cause, _("cannot set up "
			    "TLS: %s"), conn_ssl_reason());
	} else {
		SSL_set_hostflags(c->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (SSL_set_tlsext_host_name(c->ssl, c->host) != 1 ||
		    SSL_set1_host(c->ssl, c->host) != 1)
			return conn_fail(c, EX_OSERR, cause, _("cannot set up "
			    "TLS: %s"), conn_ssl_reason());
	}

	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((ret = SSL_connect(c->ssl)) == 1)
			break;
		if (conn_ssl_wait(c, ret, cause) == -1)
			return -1;
	}
	c->handshaken = 1;

	/* Checked again, as a mistake in the set-up would fail open. */
	if ((verify = SSL_get_verify_result(c->ssl)) != X509_V_OK ||
	    SSL_get0_peer_certificate(c->ssl) == NULL)
		return conn_fail(c, EX_UNAVAILABLE, cause, _("cannot trust the "
		    "server %s: %s; check the address and the CA certificate"),
		    c->server, verify != X509_V_OK ?
		    X509_verify_cert_error_string(verify) :
		    _("no certificate"));
	if (!conn_is_server_cert(SSL_get0_peer_certificate(c->ssl)))
		return conn_not_server(c, cause);
	SSL_get0_alpn_selected(c->ssl, &proto, &len);
	if (len != strlen(CONN_ALPN_NAME) ||
	    memcmp(proto, CONN_ALPN_NAME, len) != 0)
		return conn_fail(c, EX_PROTOCOL, cause, _("%s does not speak "
		    "the gp/1 protocol; check the address and port"),
		    c->server);
	trace_mark("handshake");
	return 0;
}

/* Ends the current connection, if any, so that another can start. */
static void
conn_drop(struct conn *c)
{
	if (c->ssl != NULL) {
		/* Best effort close_notify; a failed connection gets none. */
		if (c->handshaken && !c->failed)
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
	}
	c->handshaken = 0;
	c->answering = 0;
	c->failed = 0;
	c->transient = 0;
	c->reason[0] = '\0';
	c->status = EX_UNAVAILABLE;
}

/* Resolves and connects within the deadline, which starts here. */
static int
conn_tcp(struct conn *c, char **cause)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	const char	*why;
	int		 error;

	*cause = NULL;
	conn_drop(c);
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += c->timeout;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (c->ip_literal)
		hints.ai_flags |= AI_NUMERICHOST;
	/* The system resolver bounds this wait (resolv.conf timeout and
	 * attempts); a resolver thread to bound it too would outlive us.
	 * A name that does not resolve is most often a link that is down,
	 * so it is worth trying again too. */
	if ((error = getaddrinfo(c->host, c->port, &hints, &res)) != 0) {
		why = error == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(error);
		conn_network(c, "%s", why);
		return conn_fail(c, EX_UNAVAILABLE, cause, _("cannot reach %s: "
		    "%s; check the address and the network, or try later"),
		    c->server, why);
	}
	error = 0;
	for (ai = res; ai != NULL && c->fd == -1; ai = ai->ai_next) {
		if ((c->fd = conn_try(c, ai, &error)) == -1 &&
		    conn_left(c) == 0)
			break;
	}
	freeaddrinfo(res);
	trace_mark("tcp connected");
	if (c->fd == -1) {
		if (error == ETIMEDOUT)
			return conn_timeout(c, cause);
		conn_network(c, "%s", strerror(error));
		return conn_fail(c, EX_UNAVAILABLE, cause, _("cannot reach %s: "
		    "%s; check the address and the network, or try later"),
		    c->server, strerror(error));
	}
	return 0;
}

static int
conn_connect_now(struct conn *c, char **cause)
{
	/* A conn_new_plain() connection can only conn_reach(). */
	if (c->ctx == NULL)
		return conn_fail(c, EX_SOFTWARE, cause,
		    _("no TLS set up for %s"), c->server);
	if (conn_tcp(c, cause) == -1)
		return -1;
	return conn_handshake(c, cause);
}

static void *
conn_begin_run(void *arg)
{
	struct conn	*c = arg;

	c->begun_rv = conn_connect_now(c, &c->begun_cause);
	return NULL;
}

void
conn_begin(struct conn *c)
{
	if (c->begun_running || c->ctx == NULL)
		return;
	c->begun_cause = NULL;
	if (pthread_create(&c->begun, NULL, conn_begin_run, c) == 0)
		c->begun_running = 1;
}

/* Waits for conn_begin's thread, if one runs. Returns 1 and its result
 * (with *cause), or 0 when there was none. */
static int
conn_join(struct conn *c, int *rv, char **cause)
{
	if (!c->begun_running)
		return 0;
	pthread_join(c->begun, NULL);
	c->begun_running = 0;
	*rv = c->begun_rv;
	*cause = c->begun_cause;
	c->begun_cause = NULL;
	return 1;
}

int
conn_connect(struct conn *c, char **cause)
{
	int	rv;

	if (conn_join(c, &rv, cause))
		return rv;
	return conn_connect_now(c, cause);
}

int
conn_reach(struct conn *c, char **cause)
{
	if (conn_tcp(c, cause) == -1)
		return -1;
	conn_drop(c);
	return 0;
}

/*
 * A write can fail because the server already closed after refusing our
 * certificate (TLS 1.3): its alert is then waiting to be read and is the
 * real reason. Returns 0 when there is no such alert.
 */
static int
conn_pending_alert(struct conn *c, char **cause)
{
	unsigned char	byte;
	unsigned long	e;
	int		ret;

	ERR_clear_error();
	if ((ret = SSL_read(c->ssl, &byte, 1)) > 0 ||
	    SSL_get_error(c->ssl, ret) != SSL_ERROR_SSL)
		return 0;
	e = ERR_peek_error();
	if (ERR_GET_LIB(e) != ERR_LIB_SSL ||
	    ERR_GET_REASON(e) < SSL_AD_REASON_OFFSET)
		return 0;
	return conn_tls_fail(c, SSL_ERROR_SSL, 0, cause);
}

static int
conn_write(struct conn *c, const uint8_t *buf, size_t len, char **cause)
{
	int	ret, sslerr, syserr;

	if (len > INT32_MAX)
		return conn_fail(c, EX_SOFTWARE, cause, _("the request is too "
		    "large to send"));
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((ret = SSL_write(c->ssl, buf, (int)len)) > 0)
			return 0;
		syserr = errno;
		sslerr = SSL_get_error(c->ssl, ret);
		if (sslerr == SSL_ERROR_WANT_READ ||
		    sslerr == SSL_ERROR_WANT_WRITE) {
			if (conn_ssl_wait(c, ret, cause) == -1)
				return -1;
			continue;
		}
		if (sslerr == SSL_ERROR_SYSCALL &&
		    conn_pending_alert(c, cause) == -1)
			return -1;
		/* conn_pending_alert emptied the queue; this was a syscall. */
		return conn_tls_fail(c, sslerr, syserr, cause);
	}
}

static int
conn_read(struct conn *c, uint8_t *buf, size_t len, char **cause)
{
	size_t	off = 0;
	int	ret, want;

	while (off < len) {
		want = len - off > INT32_MAX ? INT32_MAX : (int)(len - off);
		ERR_clear_error();
		errno = 0;
		if ((ret = SSL_read(c->ssl, buf + off, want)) > 0) {
			off += (size_t)ret;
			continue;
		}
		if (conn_ssl_wait(c, ret, cause) == -1)
			return -1;
	}
	return 0;
}

static int
conn_send(struct conn *c, const Gp__Request *req, char **cause)
{
	uint8_t	*buf;
	size_t	 len;
	int	 rv;

	if (wire_pack_request(req, &buf, &len) == -1)
		return conn_fail(c, EX_SOFTWARE, cause, _("cannot encode the "
		    "request"));
	rv = conn_write(c, buf, len, cause);
	free(buf);
	return rv;
}

/* Reads one response frame, which must answer request id. */
static int
conn_receive(struct conn *c, uint32_t id, Gp__Response **out, char **cause)
{
	uint8_t		 hdr[FRAME_HEADER];
	uint8_t		*buf = NULL;
	uint32_t	 n;
	const char	*errstr = NULL;
	Gp__Response	*resp;

	*out = NULL;
	if (conn_read(c, hdr, sizeof(hdr), cause) == -1)
		goto fail;
	/* Bounds first: a whole frame never fits in hdr, so this only
	 * judges the length. */
	if (frame_check(hdr, sizeof(hdr), CONN_MAX_RESPONSE, &n,
	    &errstr) == FRAME_ERROR) {
		conn_fail(c, EX_PROTOCOL, cause, _("%s sent a bad frame (%s); "
		    "check that it is a gp server"), c->server, errstr);
		goto fail;
	}
	n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | (uint32_t)hdr[3];
	if ((buf = malloc(n)) == NULL) {
		conn_fail(c, EX_OSERR, cause, _("out of memory"));
		goto fail;
	}
	if (conn_read(c, buf, n, cause) == -1)
		goto fail;

	if ((resp = gp__response__unpack(NULL, n, buf)) == NULL) {
		conn_fail(c, EX_PROTOCOL, cause, _("%s sent an answer that "
		    "cannot be decoded; check that gp-client and gpd versions "
		    "match"),
		    c->server);
		goto fail;
	}
	if (!resp->has_id || resp->id != id) {
		gp__response__free_unpacked(resp, NULL);
		conn_fail(c, EX_PROTOCOL, cause, _("%s answered another "
		    "request; try again, and if it persists tell the "
		    "provincial federation"), c->server);
		goto fail;
	}
	free(buf);
	*out = resp;
	return 0;

fail:
	free(buf);
	return -1;
}

int
conn_request(struct conn *c, const Gp__Request *req, Gp__Response **out,
    char **cause)
{
	*out = NULL;
	*cause = NULL;
	if (conn_send(c, req, cause) == -1)
		return -1;
	return conn_receive(c, req->id, out, cause);
}

int
conn_request_frame(struct conn *c, const uint8_t *frame, size_t len,
    uint32_t id, Gp__Response **out, char **cause)
{
	*out = NULL;
	*cause = NULL;
	if (conn_write(c, frame, len, cause) == -1)
		return -1;
	return conn_receive(c, id, out, cause);
}

int
conn_stream(struct conn *c, const Gp__Request *req, conn_frame_fn *frame,
    void *arg, char **cause)
{
	Gp__Response	*resp;
	int		 more, stop;

	*cause = NULL;
	if (conn_send(c, req, cause) == -1)
		return -1;
	/* Every frame shares the deadline conn_connect started: a server
	 * that trickles frames cannot hold the user past --timeout. */
	do {
		if (conn_receive(c, req->id, &resp, cause) == -1)
			return -1;
		c->answering = 1;
		more = resp->has_more && resp->more;
		stop = frame(resp, arg);
		gp__response__free_unpacked(resp, NULL);
	} while (more && !stop);
	c->answering = 0;
	return 0;
}

X509_STORE *
conn_ca_store(const struct conn *c)
{
	return c->ctx != NULL ? SSL_CTX_get_cert_store(c->ctx) : NULL;
}

X509 *
conn_peer_cert(const struct conn *c)
{
	return c->ssl != NULL && c->handshaken ?
	    SSL_get0_peer_certificate(c->ssl) : NULL;
}

int
conn_status(const struct conn *c)
{
	return c->status;
}

int
conn_is_transient(const struct conn *c)
{
	return c->transient;
}

const char *
conn_reason(const struct conn *c)
{
	return c->reason[0] != '\0' ? c->reason : "failed";
}

const char *
conn_server(const struct conn *c)
{
	return c->server;
}

const char *
conn_tls_version(const struct conn *c)
{
	return c->ssl != NULL ? SSL_get_version(c->ssl) : "";
}

void
conn_free(struct conn *c)
{
	char	*cause;
	int	 rv;

	if (c == NULL)
		return;
	if (conn_join(c, &rv, &cause))
		free(cause);
	conn_drop(c);
	SSL_CTX_free(c->ctx);
	free(c->host);
	free(c->port);
	free(c->server);
	free(c);
}
