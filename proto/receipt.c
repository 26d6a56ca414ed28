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
	n = snprintf(buf, len, "gp-receipt-v1\n"
	    "receipt=%s\nsubmission_id=%s\nunit=%s\nperiod=%s\n"
	    "revision=%u\nreport_sha256=%s\nreceived_at=%s\n",
	    f->receipt, f->submission_id, f->unit, f->period, f->revision,
	    f->report_sha256, f->received_at);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
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

/*
 * The signing certificate must chain to the CA the holder trusts, as a
 * server certificate (a unit's client certificate chains to the same CA,
 * and a unit must not sign receipts), and be valid when the receipt was
 * given: a receipt stays proof after the certificate expires.
 */
static int
receipt_chain(X509 *x, const char *ca_file, time_t at, const char **errstr)
{
	X509_STORE	*store;
	X509_STORE_CTX	*ctx = NULL;
	int		 rv = -1;

	if ((store = X509_STORE_new()) == NULL ||
	    X509_STORE_load_file(store, ca_file) != 1) {
		*errstr = "cannot load the CA file";
		goto done;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, x, NULL) != 1 ||
	    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER) != 1) {
		*errstr = "out of memory";
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
	X509_STORE_free(store);
	return rv;
}

int
receipt_verify(const struct receipt_fields *f, const uint8_t *sig,
    size_t siglen, const uint8_t *cert, size_t certlen, const char *ca_file,
    const char **errstr)
{
	const unsigned char	*p = cert;
	X509			*x = NULL;
	EVP_MD_CTX		*md = NULL;
	char			 payload[RECEIPT_PAYLOAD_MAX];
	time_t			 at;
	int			 n, rv = -1;

	if ((n = receipt_payload(f, payload, sizeof(payload))) == -1) {
		*errstr = "the receipt lacks a field";
		return -1;
	}
	if (certlen == 0 || (x = d2i_X509(NULL, &p, (long)certlen)) == NULL ||
	    p != cert + certlen) {
		*errstr = "the receipt's certificate does not decode";
		goto done;
	}
	if ((at = receipt_time(f->received_at)) == -1) {
		*errstr = "the receipt's time is not YYYY-MM-DDTHH:MM:SSZ";
		goto done;
	}
	if (receipt_chain(x, ca_file, at, errstr) == -1)
		goto done;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
	    X509_get0_pubkey(x)) != 1) {
		*errstr = "cannot use the certificate's key";
		goto done;
	}
	if (EVP_DigestVerify(md, sig, siglen, (const unsigned char *)payload,
	    (size_t)n) != 1) {
		*errstr = "the signature does not match the receipt";
		goto done;
	}
	rv = 0;
done:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	X509_free(x);
	return rv;
}
