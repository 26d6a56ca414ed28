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
 * A decision of the province on a stored report (accept, return,
 * reopen), signed with the same key as receipts over a text of its own
 * whose first line, "gp-decision-v1", no receipt has: one can never be
 * taken for the other. The comment is signed through its SHA-256, so
 * that a comment of several lines keeps the text one field a line.
 */
struct decision_fields {
	const char	*decision;		/* 32 hex digits */
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	const char	*report_sha256;		/* hex, of the revision */
	const char	*action;		/* accept, return, reopen */
	const char	*state;			/* accepted, returned, received */
	const char	*comment_sha256;	/* hex, of the comment's bytes
						   ("" for none) */
	const char	*decided_by;
	const char	*decided_at;		/* RFC 3339 UTC */
};

/*
 * The signed text: "gp-receipt-v1\n" then one "name=value\n" line per
 * field in the order of struct receipt_fields. Returns its length, or -1
 * when a field is missing, holds a newline, or the text would not fit.
 */
int	 receipt_payload(const struct receipt_fields *, char *buf,
	    size_t len);

/*
 * The signed text of a decision: "gp-decision-v1\n" then one
 * "name=value\n" line per field in the order of struct decision_fields.
 * Returns its length, or -1 as receipt_payload.
 */
int	 decision_payload(const struct decision_fields *, char *buf,
	    size_t len);

/* Lower-case hex SHA-256 of len bytes into out[65] (the comment's).
 * Returns 0 or -1. */
int	 decision_sha256_hex(const void *buf, size_t len, char out[65]);

/*
 * Whether the certificate x may sign receipts: its extended key usage
 * names serverAuth (gpd's TLS certificate, or a receipt certificate
 * issued alike), and its key usage, when it has one, digitalSignature. A
 * unit's certificate (clientAuth) or one without extended key usage may
 * not: every unit holds a key certified by the same CA. Returns 0, or -1
 * with *errstr.
 *
 * Each *errstr is English, marked N_() for the catalogue (or OpenSSL's
 * own words): compare it as it is, and show it with _(errstr).
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

/* The checks of receipt_verify and receipt_verify_x509, for a signed
 * decision. */
int	 decision_verify(const struct decision_fields *f, const uint8_t *sig,
	    size_t siglen, const uint8_t *cert, size_t certlen,
	    const char *ca_file, const char **errstr);
int	 decision_verify_x509(const struct decision_fields *f,
	    const uint8_t *sig, size_t siglen, struct x509_st *x,
	    struct x509_store_st *store, const char **errstr);

#endif
