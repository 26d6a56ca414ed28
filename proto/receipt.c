/*
 * Signed receipts: the text gpd signs and how a holder checks it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "i18n.h"
#include "receipt.h"

int
receipt_payload(const struct receipt_fields *f, char *buf, size_t len)
{
	const char	*fields[] = { f->receipt, f->submission_id, f->unit,
			    f->period, f->report_sha256, f->received_at };
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (fields[i] == NULL || strchr(fields[i], '\n') != NULL)
			return -1;
	/* What the signature covers, byte for byte (PROTOCOL.md). */
	n = snprintf(buf, len, U_("gp-receipt-v1\n"
	    "receipt=%s\nsubmission_id=%s\nunit=%s\nperiod=%s\n"
	    "revision=%u\nreport_sha256=%s\nreceived_at=%s\n"),
	    f->receipt, f->submission_id, f->unit, f->period, f->revision,
	    f->report_sha256, f->received_at);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

int
decision_payload(const struct decision_fields *f, char *buf, size_t len)
{
	const char	*fields[] = { f->decision, f->unit, f->period,
			    f->report_sha256, f->action, f->state,
			    f->comment_sha256, f->decided_by, f->decided_at };
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (fields[i] == NULL || strchr(fields[i], '\n') != NULL)
			return -1;
	n = snprintf(buf, len, U_("gp-decision-v1\n"
	    "decision=%s\nunit=%s\nperiod=%s\nrevision=%u\n"
	    "report_sha256=%s\naction=%s\nstate=%s\ncomment_sha256=%s\n"
	    "decided_by=%s\ndecided_at=%s\n"),
	    f->decision, f->unit, f->period, f->revision, f->report_sha256,
	    f->action, f->state, f->comment_sha256, f->decided_by,
	    f->decided_at);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

int
decision_sha256_hex(const void *buf, size_t len, char out[65])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;

	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return -1;
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0f];
	}
	out[64] = '\0';
	return 0;
}

/* received_at as a time; -1 when it is not YYYY-MM-DDTHH:MM:SSZ. */
static time_t
receipt_time(const char *s)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	return timegm(&tm);
}

int
receipt_signer_purpose(X509 *x, const char **errstr)
{
	uint32_t	flags = X509_get_extension_flags(x);

	if ((flags & EXFLAG_XKUSAGE) == 0 ||
	    (X509_get_extended_key_usage(x) & XKU_SSL_SERVER) == 0) {
		*errstr = N_("the certificate is not a server's (no serverAuth "
		    "extended key usage)");
		return -1;
	}
	if ((flags & EXFLAG_KUSAGE) != 0 &&
	    (X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) == 0) {
		*errstr = N_("the certificate's key may not sign (no "
		    "digitalSignature key usage)");
		return -1;
	}
	return 0;
}

/*
 * The signing certificate must chain to the CA the holder trusts, as a
 * server certificate, and be valid when the receipt was given: a receipt
 * stays proof after the certificate expires.
 */
static int
receipt_chain(X509 *x, X509_STORE *store, time_t at, const char **errstr)
{
	X509_STORE_CTX	*ctx;
	int		 rv = -1;

	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, x, NULL) != 1 ||
	    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER) != 1) {
		*errstr = N_("out of memory");
		goto done;
	}
	X509_STORE_CTX_set_time(ctx, 0, at);
	if (X509_verify_cert(ctx) != 1) {
		*errstr = X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx));
		goto done;
	}
	rv = 0;
done:
	X509_STORE_CTX_free(ctx);
	return rv;
}

/* The checks of a signed text (payload, n bytes) given at the time at. */
static int
signed_verify_x509(const char *payload, int n, const char *at_text,
    const uint8_t *sig, size_t siglen, X509 *x, X509_STORE *store,
    const char **errstr)
{
	EVP_MD_CTX	*md = NULL;
	time_t		 at;
	int		 rv = -1;

	if ((at = receipt_time(at_text)) == -1) {
		*errstr = N_("the receipt's time is not YYYY-MM-DDTHH:MM:SSZ");
		goto done;
	}
	if (receipt_signer_purpose(x, errstr) == -1 ||
	    receipt_chain(x, store, at, errstr) == -1)
		goto done;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
	    X509_get0_pubkey(x)) != 1) {
		*errstr = N_("cannot use the certificate's key");
		goto done;
	}
	if (EVP_DigestVerify(md, sig, siglen, (const unsigned char *)payload,
	    (size_t)n) != 1) {
		*errstr = N_("the signature does not match the receipt");
		goto done;
	}
	rv = 0;
done:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	return rv;
}

int
receipt_verify_x509(const struct receipt_fields *f, const uint8_t *sig,
    size_t siglen, X509 *x, X509_STORE *store, const char **errstr)
{
	char	payload[RECEIPT_PAYLOAD_MAX];
	int	n;

	if ((n = receipt_payload(f, payload, sizeof(payload))) == -1) {
		*errstr = N_("the receipt lacks a field");
		return -1;
	}
	return signed_verify_x509(payload, n, f->received_at, sig, siglen, x,
	    store, errstr);
}

int
decision_verify_x509(const struct decision_fields *f, const uint8_t *sig,
    size_t siglen, X509 *x, X509_STORE *store, const char **errstr)
{
	char	payload[RECEIPT_PAYLOAD_MAX];
	int	n;

	if ((n = decision_payload(f, payload, sizeof(payload))) == -1) {
		*errstr = N_("the receipt lacks a field");
		return -1;
	}
	return signed_verify_x509(payload, n, f->decided_at, sig, siglen, x,
	    store, errstr);
}

/* Decodes cert and loads ca_file, then verify(x, store). */
static int
signed_verify(const uint8_t *cert, size_t certlen, const char *ca_file,
    int (*verify)(const void *, X509 *, X509_STORE *, const char **),
    const void *arg, const char **errstr)
{
	const unsigned char	*p = cert;
	X509_STORE		*store = NULL;
	X509			*x = NULL;
	int			 rv = -1;

	if (certlen == 0 || (x = d2i_X509(NULL, &p, (long)certlen)) == NULL ||
	    p != cert + certlen) {
		*errstr = N_("the receipt's certificate does not decode");
		goto done;
	}
	if ((store = X509_STORE_new()) == NULL ||
	    X509_STORE_load_file(store, ca_file) != 1) {
		*errstr = N_("cannot load the CA file");
		goto done;
	}
	rv = verify(arg, x, store, errstr);
done:
	ERR_clear_error();
	X509_STORE_free(store);
	X509_free(x);
	return rv;
}

struct signed_arg {
	const void	*fields;
	const uint8_t	*sig;
	size_t		 siglen;
};

static int
receipt_verify_cb(const void *arg, X509 *x, X509_STORE *store,
    const char **errstr)
{
	const struct signed_arg	*a = arg;

	return receipt_verify_x509(a->fields, a->sig, a->siglen, x, store,
	    errstr);
}

static int
decision_verify_cb(const void *arg, X509 *x, X509_STORE *store,
    const char **errstr)
{
	const struct signed_arg	*a = arg;

	return decision_verify_x509(a->fields, a->sig, a->siglen, x, store,
	    errstr);
}

int
decision_verify(const struct decision_fields *f, const uint8_t *sig,
    size_t siglen, const uint8_t *cert, size_t certlen, const char *ca_file,
    const char **errstr)
{
	struct signed_arg	a = { f, sig, siglen };
	char			payload[RECEIPT_PAYLOAD_MAX];

	if (decision_payload(f, payload, sizeof(payload)) == -1) {
		*errstr = N_("the receipt lacks a field");
		return -1;
	}
	return signed_verify(cert, certlen, ca_file, decision_verify_cb, &a,
	    errstr);
}

int
receipt_verify(const struct receipt_fields *f, const uint8_t *sig,
    size_t siglen, const uint8_t *cert, size_t certlen, const char *ca_file,
    const char **errstr)
{
	struct signed_arg	a = { f, sig, siglen };
	char			payload[RECEIPT_PAYLOAD_MAX];

	if (receipt_payload(f, payload, sizeof(payload)) == -1) {
		*errstr = N_("the receipt lacks a field");
		return -1;
	}
	return signed_verify(cert, certlen, ca_file, receipt_verify_cb, &a,
	    errstr);
}
