/*
 * Signed receipts: the exact text gpd signs, and its verification, shared
 * by gpd (signing) and gp-client (verify-receipt). PROTOCOL.md shows the
 * text.
 */
#ifndef GP_RECEIPT_H
#define GP_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#define RECEIPT_PAYLOAD_MAX	1024

/* OpenSSL's, without its headers here. */
struct x509_st;
struct x509_store_st;

struct receipt_fields {
	const char	*receipt;
	const char	*submission_id;
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	const char	*report_sha256;		/* hex */
	const char	*received_at;		/* RFC 3339 UTC */
};

/*
 * The signed text: "gp-receipt-v1\n" then one "name=value\n" line per
 * field in the order of struct receipt_fields. Returns its length, or -1
 * when a field is missing, holds a newline, or the text would not fit.
 */
int	 receipt_payload(const struct receipt_fields *, char *buf,
	    size_t len);

/*
 * Whether the certificate x may sign receipts: its extended key usage
 * names serverAuth (gpd's TLS certificate, or a receipt certificate
 * issued alike), and its key usage, when it has one, digitalSignature. A
 * unit's certificate (clientAuth) or one without extended key usage may
 * not: every unit holds a key certified by the same CA. Returns 0, or -1
 * with *errstr.
 */
int	 receipt_signer_purpose(struct x509_st *x, const char **errstr);

/*
 * Checks that cert (DER) chains to a certificate in ca_file as of the
 * receipt's time, that it may sign receipts (receipt_signer_purpose), and
 * that sig is its key's SHA-256 signature over the payload of f. Returns
 * 0, or -1 with *errstr saying which check failed.
 */
int	 receipt_verify(const struct receipt_fields *f, const uint8_t *sig,
	    size_t siglen, const uint8_t *cert, size_t certlen,
	    const char *ca_file, const char **errstr);

/* The same with the CA certificates already loaded in store and the
 * signing certificate decoded (both borrowed). */
int	 receipt_verify_x509(const struct receipt_fields *f,
	    const uint8_t *sig, size_t siglen, struct x509_st *x,
	    struct x509_store_st *store, const char **errstr);

#endif
