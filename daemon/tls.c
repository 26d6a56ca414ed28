/*
 * The server's TLS context and the identity of a verified peer.
 *
 * Mutual TLS only: a client certificate is required and verified against
 * the configured CA (and CRL, leaf and chain), TLS 1.2 at least, ALPN
 * "gp/1", no renegotiation, no session resumption (no tickets, no cache):
 * every connection proves its certificate afresh.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "i18n.h"
#include "log.h"
#include "receipt.h"
#include "report.h"
#include "text.h"
#include "tls.h"
#include "validate.h"

static const unsigned char	tls_alpn[] = "\x04" GPD_ALPN;

static int
tls_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	unsigned int	i;

	(void)ssl;
	(void)arg;
	for (i = 0; i < inlen && in[i] + 1U <= inlen - i; i += in[i] + 1U) {
		if (in[i] == tls_alpn[0] &&
		    memcmp(in + i + 1, tls_alpn + 1, tls_alpn[0]) == 0) {
			*out = in + i + 1;
			*outlen = in[i];
			return SSL_TLSEXT_ERR_OK;
		}
	}
	return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/*
 * "WHAT PATH: REASON" from OpenSSL's error queue, for a person: the
 * system's reason when a file could not be opened ("No such file or
 * directory"), else the first reason OpenSSL gave, without its codes.
 */
static void
tls_cause(char **cause, const char *what, const char *path)
{
	unsigned long	 e, sys = 0, first = 0;
	const char	*reason = NULL;
	int		 saved = errno;	/* fopen's: OpenSSL may say none */

	while ((e = ERR_get_error()) != 0) {
		if (ERR_SYSTEM_ERROR(e)) {
			if (sys == 0)
				sys = e;
		} else if (first == 0)
			first = e;
	}
	if (sys != 0)
		reason = strerror(ERR_GET_REASON(sys));
	else if (first != 0 && ERR_GET_LIB(first) == ERR_LIB_PEM &&
	    ERR_GET_REASON(first) == PEM_R_NO_START_LINE)
		reason = _("not a PEM file");
	else if (first != 0)
		reason = ERR_reason_error_string(first);
	else if (saved != 0)
		reason = strerror(saved);
	if (reason == NULL)
		reason = _("unusable");
	/* TRANSLATORS: what could not be done ("cannot load the CRL"), the
	 * file, why. */
	if (asprintf(cause, _("%s %s: %s"), what, path, reason) == -1)
		*cause = NULL;
}

/* "cannot read the key PATH: REASON", of the receipt key or the
 * server's. */
static void
tls_key_unreadable(char **cause, int receipt, const char *path, int error)
{
	if ((receipt ? asprintf(cause, _("cannot read the receipt key %s: %s"),
	    path, strerror(error)) : asprintf(cause, _("cannot read the key "
	    "%s: %s"), path, strerror(error))) == -1)
		*cause = NULL;
}

/*
 * A private key from path (the receipt key when receipt is set), refused
 * when users other than the file's owner and group may open it: a key
 * that anyone on the machine can read is no longer the server's alone.
 */
static EVP_PKEY *
tls_key_read(const char *path, int receipt, char **cause)
{
	struct stat	 st;
	EVP_PKEY	*key = NULL;
	FILE		*f = NULL;
	unsigned int	 mode;
	int		 fd;

	*cause = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		tls_key_unreadable(cause, receipt, path, errno);
		goto done;
	}
	if ((st.st_mode & S_IRWXO) != 0) {
		mode = (unsigned int)(st.st_mode & 07777);
		if ((receipt ? asprintf(cause, _("the receipt key %s can be "
		    "read by every user of this machine (mode %04o): run "
		    "'chmod 640 %s' (or 600), then start gpd again"), path,
		    mode, path) : asprintf(cause, _("the key %s can be read by "
		    "every user of this machine (mode %04o): run 'chmod 640 "
		    "%s' (or 600), then start gpd again"), path, mode,
		    path)) == -1)
			*cause = NULL;
		goto done;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		tls_key_unreadable(cause, receipt, path, errno);
		goto done;
	}
	fd = -1;
	if ((key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		tls_cause(cause, receipt ? _("cannot load the receipt key") :
		    _("cannot load the key"), path);
done:
	if (f != NULL)
		fclose(f);
	if (fd != -1)
		close(fd);
	return key;
}

/* Whether a client certificate names clientAuth: OpenSSL's purpose check
 * lets one without extended key usage pass, so it is asked here. */
int
tls_client_purpose(X509 *x)
{
	uint32_t	flags = X509_get_extension_flags(x);

	return (flags & EXFLAG_XKUSAGE) != 0 &&
	    (X509_get_extended_key_usage(x) & XKU_SSL_CLIENT) != 0;
}

/* The chain verified, the client's own certificate must be a client's. */
static int
tls_verify(int ok, X509_STORE_CTX *ctx)
{
	X509	*x;

	if (!ok || X509_STORE_CTX_get_error_depth(ctx) != 0)
		return ok;
	if ((x = X509_STORE_CTX_get_current_cert(ctx)) == NULL ||
	    !tls_client_purpose(x)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_INVALID_PURPOSE);
		return 0;
	}
	return 1;
}

static int
tls_load_crl(SSL_CTX *ctx, const char *path, char **cause)
{
	X509_STORE	*store = SSL_CTX_get_cert_store(ctx);
	X509_LOOKUP	*lookup;

	if ((lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file()))
	    == NULL || X509_load_crl_file(lookup, path, X509_FILETYPE_PEM)
	    <= 0) {
		tls_cause(cause, _("cannot load the CRL"), path);
		return -1;
	}
	/* Check revocation of the leaf and of every CA in the chain. */
	X509_STORE_set_flags(store,
	    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	return 0;
}

SSL_CTX *
tls_ctx_new(const struct config *conf, char **cause)
{
	SSL_CTX			*ctx;
	STACK_OF(X509_NAME)	*names;
	EVP_PKEY		*key = NULL;
	static const unsigned char	sid_ctx[] = "gpd";

	*cause = NULL;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		tls_cause(cause, _("cannot create"), _("the TLS context"));
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
	    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/* An idle connection keeps no 16 KiB record buffers: thousands of
	 * offices may sit connected. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
	if (SSL_CTX_set_cipher_list(ctx,
	    "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL") != 1) {
		tls_cause(cause, _("cannot set"), _("the TLS 1.2 ciphers"));
		goto fail;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->certificate) != 1) {
		tls_cause(cause, _("cannot load the certificate"),
		    conf->certificate);
		goto fail;
	}
	if ((key = tls_key_read(conf->key, 0, cause)) == NULL)
		goto fail;
	if (SSL_CTX_use_PrivateKey(ctx, key) != 1) {
		tls_cause(cause, _("cannot load the key"), conf->key);
		goto fail;
	}
	EVP_PKEY_free(key);
	key = NULL;
	if (SSL_CTX_check_private_key(ctx) != 1) {
		tls_cause(cause, _("the key does not match the certificate"),
		    conf->key);
		goto fail;
	}
	if (SSL_CTX_load_verify_locations(ctx, conf->client_ca, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(conf->client_ca)) == NULL) {
		tls_cause(cause, _("cannot load the client CA"),
		    conf->client_ca);
		goto fail;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	if (conf->crl != NULL && tls_load_crl(ctx, conf->crl, cause) == -1)
		goto fail;
	SSL_CTX_set_verify(ctx,
	    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, tls_verify);
	SSL_CTX_set_verify_depth(ctx, TLS_VERIFY_DEPTH);
	/* A client certificate must allow client authentication. */
	SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	SSL_CTX_set_alpn_select_cb(ctx, tls_alpn_select, NULL);
	return ctx;
fail:
	EVP_PKEY_free(key);
	SSL_CTX_free(ctx);
	return NULL;
}

int
tls_receipt_key(const struct config *conf, EVP_PKEY **key, uint8_t **der,
    size_t *derlen, char **cause)
{
	const char	*keyfile, *certfile, *why;
	FILE		*f;
	X509		*x = NULL;
	unsigned char	*p;
	int		 len;

	/* By default the server's own key: its certificate already chains
	 * to the CA every unit holds, so a unit can check a receipt with
	 * nothing more. */
	keyfile = conf->receipt_key != NULL ? conf->receipt_key : conf->key;
	certfile = conf->receipt_certificate != NULL ?
	    conf->receipt_certificate : conf->certificate;
	*der = NULL;
	if ((*key = tls_key_read(keyfile, 1, cause)) == NULL)
		return -1;
	if ((f = fopen(certfile, "r")) == NULL ||
	    (x = PEM_read_X509(f, NULL, NULL, NULL)) == NULL) {
		if (f != NULL)
			fclose(f);
		tls_cause(cause, _("cannot load the receipt certificate"),
		    certfile);
		goto fail;
	}
	fclose(f);
	if (X509_check_private_key(x, *key) != 1) {
		tls_cause(cause, _("the receipt key does not match"),
		    certfile);
		goto fail;
	}
	/* gp-client refuses a receipt signed by any other certificate. */
	if (receipt_signer_purpose(x, &why) == -1) {
		if (asprintf(cause, _("the receipt certificate %s may not "
		    "sign receipts: %s; gp-client would refuse every receipt"),
		    certfile, _(why)) == -1)
			*cause = NULL;
		goto fail;
	}
	if ((len = i2d_X509(x, NULL)) <= 0 || (*der = malloc(len)) == NULL) {
		tls_cause(cause, _("cannot encode"), certfile);
		goto fail;
	}
	p = *der;
	*derlen = (size_t)i2d_X509(x, &p);
	X509_free(x);
	return 0;
fail:
	X509_free(x);
	EVP_PKEY_free(*key);
	*key = NULL;
	free(*der);
	*der = NULL;
	return -1;
}

int
tls_sign(EVP_PKEY *key, const void *data, size_t len, uint8_t **sig,
    size_t *siglen)
{
	EVP_MD_CTX	*ctx;
	int		 rv = -1;

	*sig = NULL;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, data, len) != 1 ||
	    (*sig = malloc(*siglen)) == NULL ||
	    EVP_DigestSign(ctx, *sig, siglen, data, len) != 1)
		goto done;
	rv = 0;
done:
	if (rv == -1) {
		free(*sig);
		*sig = NULL;
	}
	EVP_MD_CTX_free(ctx);
	return rv;
}

/* Certificates live for years: a month's notice. A CRL is reissued
 * every few weeks (gp-ca-crl.timer weekly): a week's. */
#define TLS_EXPIRY_WARN_CERT	(30 * 24 * 3600)
#define TLS_EXPIRY_WARN_CRL	(7 * 24 * 3600)

/* Warns about one expiry date; what names the file and the object. */
static void
tls_expiry_check(const ASN1_TIME *when, const char *what, const char *path,
    time_t notice)
{
	time_t	now = time(NULL), soon = now + notice;
	int	days = 0, secs = 0;

	if (when == NULL)
		return;
	if (X509_cmp_time(when, &now) < 0)
		log_warnx("tls %s in %s has expired: renew it now", what,
		    path);
	else if (X509_cmp_time(when, &soon) < 0) {
		ASN1_TIME_diff(&days, &secs, NULL, when);
		log_warnx("tls %s in %s expires in %d days: renew it", what,
		    path, days);
	}
}

static void
tls_expiry_certs(const char *path, const char *what)
{
	FILE	*f;
	X509	*x;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		tls_expiry_check(X509_get0_notAfter(x), what, path,
		    TLS_EXPIRY_WARN_CERT);
		X509_free(x);
	}
	ERR_clear_error();
	fclose(f);
}

void
tls_expiry_warnings(const struct config *conf)
{
	FILE		*f;
	X509_CRL	*crl;

	tls_expiry_certs(conf->certificate, "certificate");
	tls_expiry_certs(conf->client_ca, "client CA certificate");
	if (conf->crl == NULL || (f = fopen(conf->crl, "r")) == NULL)
		return;
	/* A CRL past its next update makes every client fail to verify. */
	while ((crl = PEM_read_X509_CRL(f, NULL, NULL, NULL)) != NULL) {
		tls_expiry_check(X509_CRL_get0_nextUpdate(crl),
		    "CRL next update", conf->crl, TLS_EXPIRY_WARN_CRL);
		X509_CRL_free(crl);
	}
	ERR_clear_error();
	fclose(f);
}

int
tls_peer_identity(SSL *ssl, char cn[GPD_CN_MAX + 1],
    char fingerprint[GPD_FINGERPRINT_LEN + 1], const char **reason)
{
	X509		*cert = NULL;
	X509_NAME	*subject;
	ASN1_STRING	*data;
	unsigned char	*utf8 = NULL, md[EVP_MAX_MD_SIZE];
	char		*nfc = NULL;
	size_t		 nfclen;
	const unsigned char	*alpn;
	unsigned int	 mdlen, alpnlen;
	long		 verify;
	int		 idx, len, rv = -1;

	SSL_get0_alpn_selected(ssl, &alpn, &alpnlen);
	if (alpnlen != tls_alpn[0] ||
	    memcmp(alpn, tls_alpn + 1, alpnlen) != 0) {
		*reason = "no ALPN gp/1";
		return -1;
	}
	/* Checked again after the handshake, whatever the callbacks did. */
	if ((verify = SSL_get_verify_result(ssl)) != X509_V_OK) {
		*reason = X509_verify_cert_error_string(verify);
		return -1;
	}
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL) {
		*reason = "no client certificate";
		return -1;
	}
	subject = X509_get_subject_name(cert);
	if ((idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1))
	    == -1) {
		*reason = "certificate has no CN";
		goto done;
	}
	if (X509_NAME_get_index_by_NID(subject, NID_commonName, idx) != -1) {
		*reason = "certificate has more than one CN";
		goto done;
	}
	if (!tls_client_purpose(cert)) {
		*reason = "certificate not made for a client (no clientAuth)";
		goto done;
	}
	data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
	/* Compared and stored in NFC, as every text of a peer. */
	if ((len = ASN1_STRING_to_UTF8(&utf8, data)) < 0 ||
	    (size_t)len != strlen((char *)utf8) ||
	    (nfc = text_nfc((char *)utf8, (size_t)len, &nfclen)) == NULL ||
	    nfclen > GPD_CN_MAX || validate_unit_code(nfc) == -1) {
		*reason = "certificate CN is not a unit or administrator code";
		goto done;
	}
	memcpy(cn, nfc, nfclen + 1);
	if (X509_digest(cert, EVP_sha256(), md, &mdlen) != 1 || mdlen != 32) {
		*reason = "cannot hash the certificate";
		goto done;
	}
	report_hex(md, mdlen, fingerprint);
	rv = 0;
done:
	free(nfc);
	OPENSSL_free(utf8);
	X509_free(cert);
	return rv;
}

int
tls_peer_recheck(SSL_CTX *ctx, SSL *ssl, const char **reason)
{
	X509_STORE_CTX	*vctx;
	X509		*cert;
	int		 rv = -1, err;

	if ((cert = SSL_get0_peer_certificate(ssl)) == NULL) {
		*reason = "no client certificate";
		return -1;
	}
	if ((vctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(vctx, SSL_CTX_get_cert_store(ctx), cert,
	    SSL_get_peer_cert_chain(ssl)) != 1 ||
	    X509_STORE_CTX_set_purpose(vctx, X509_PURPOSE_SSL_CLIENT) != 1) {
		*reason = "out of memory";
		goto done;
	}
	X509_STORE_CTX_set_depth(vctx, TLS_VERIFY_DEPTH);
	if (X509_verify_cert(vctx) != 1) {
		err = X509_STORE_CTX_get_error(vctx);
		*reason = err == X509_V_ERR_CERT_REVOKED ?
		    "certificate revoked" : X509_verify_cert_error_string(err);
		goto done;
	}
	if (!tls_client_purpose(cert)) {
		*reason = "certificate not made for a client (no clientAuth)";
		goto done;
	}
	rv = 0;
done:
	X509_STORE_CTX_free(vctx);
	ERR_clear_error();
	return rv;
}
