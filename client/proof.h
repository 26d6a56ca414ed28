/*
 * Signed receipts on gp-client's side: the receipt file and its checks.
 *
 * A receipt file is the one JSON object `gp-client --json submit` prints
 * for an accepted report (or `receipts --export` writes later): the
 * receipt's fields, the report's SHA-256 as the server computed it, the
 * server's signature (base64) and its signing certificate (PEM). The
 * checks (verify-receipt, show --receipt) each say one line, "NAME:
 * what was found", or with json one object at the end.
 */
#ifndef GP_PROOF_H
#define GP_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/types.h>

#include "gp.pb-c.h"
#include "receipt.h"
#include "report.h"

#define PROOF_FILE_MAX	(64 * 1024)	/* bytes of a receipt file read */

/* A receipt read from a file, owned. */
struct proof {
	char		*path;		/* as given, for messages */
	char		*receipt;
	char		*submission_id;
	char		*unit;
	char		*period;
	uint32_t	 revision;
	char		*received_at;
	char		*report_sha256;
	uint8_t		*signature;
	size_t		 signature_len;
	uint8_t		*certificate;	/* DER */
	size_t		 certificate_len;
	/* A signed decision of the province ("kind": "decision"): receipt
	 * holds its id, received_at its time, report_sha256 the revision's;
	 * no submission id. */
	int		 decision;
	char		*action;
	char		*state;
	char		*comment;	/* or NULL */
	char		*decided_by;
};

/*
 * Reads the receipt file path ("-" is standard input). Returns 0 with *out
 * set, or an exit status (EX_NOINPUT, EX_DATAERR, EX_OSERR) with *cause, a
 * sentence (malloc'd; NULL when out of memory).
 */
int	 proof_read(const char *path, struct proof **out, char **cause);
void	 proof_free(struct proof *);

/* The signed fields of p, borrowed. */
void	 proof_fields(const struct proof *, struct receipt_fields *);
/* The signed fields of a decision p; comment_sha256 holds the
 * comment's SHA-256 in hex. Returns 0 or -1. */
int	 proof_decision_fields(const struct proof *, struct decision_fields *,
	    char comment_sha256[65]);

/*
 * Sets "report_sha256", "signature" (base64) and "certificate" (PEM) on
 * the JSON object o, null when absent. Returns 0, or -1 when out of
 * memory.
 */
int	 proof_json_set(json_t *o, const char *report_sha256,
	    const uint8_t *sig, size_t siglen, const uint8_t *cert,
	    size_t certlen);

/* The CN of the DER certificate's subject into cn. Returns 0, or -1 when
 * it does not decode or has none. */
int	 proof_signer(const uint8_t *der, size_t len, char *cn, size_t cnlen);

/* Lower-case hex SHA-256 of len bytes into out[65]. Returns 0 or -1. */
int	 proof_sha256_hex(const uint8_t *buf, size_t len, char out[65]);

/* What the checks said, printed as they go or kept for one JSON object. */
struct proof_out {
	int	 json;
	json_t	*checks;
};

void	 proof_out_init(struct proof_out *, int json);
/* Drops what po holds without printing it. */
void	 proof_out_clear(struct proof_out *);

/* One check's line: "NAME: MESSAGE". */
void	 proof_say(struct proof_out *, const char *name, int ok,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * The end: status 0 prints "verified: VERDICT" (json: status "verified");
 * otherwise the sentence on standard error (json: status "failed", code,
 * message). p may be NULL when the file could not be read. Returns
 * status; frees what po holds.
 */
int	 proof_out_end(struct proof_out *, const struct proof *, int status,
	    const char *verdict, const char *sentence);

/*
 * Checks that p's certificate chains to the CA in ca_file and is a
 * server's certificate, and that the signature covers p's fields; says a
 * line for each. Returns 0, or an exit status (EX_DATAERR: the receipt is
 * not genuine; EX_CONFIG: the CA cannot be read) with *cause.
 */
int	 proof_verify(struct proof_out *, const struct proof *,
	    const char *ca_file, char **cause);

/* What a receipt handed over at submit must cover: the report sent. */
struct proof_expect {
	const char	*submission_id;
	const char	*unit;
	const char	*period;
	const char	*report_sha256;		/* hex, of the bytes sent */
	const uint8_t	*report;		/* the bytes sent */
	size_t		 len;
};

/*
 * Checks a receipt as the server hands it over (submit, flush) the way
 * verify-receipt checks a receipt file: signed, by a certificate that may
 * sign receipts and chains to the CA in store, over exactly its fields;
 * and that it covers the report sent: submission id, unit, period (in
 * NFC) and SHA-256 (of the bytes sent, or as verify-receipt, of their NFC
 * form: a report queued before gp-client sent NFC). peer, the server's certificate on this connection
 * (or NULL), is used as it is when the receipt carries the same one.
 * Returns 0, or -1 with *why: a few words on what failed, for "the
 * receipt cannot be trusted (WHY)".
 */
int	 proof_check_receipt(const Gp__Receipt *, const struct proof_expect *,
	    X509_STORE *store, X509 *peer, const char **why);

/*
 * Checks that r, read from the file path, is the report p covers: with no
 * id, r gets the receipt's (as submit sent it: the id is derived from the
 * content, and the content is what is compared). r as it was read, or in
 * NFC as submit sends it (r is normalised then). Says one line. Returns 0
 * or EX_DATAERR with *cause.
 */
int	 proof_check_report(struct proof_out *, const struct proof *,
	    struct report *r, const char *path, char **cause);

/*
 * Checks the server's stored revision (a show answer) against p: receipt,
 * submission id, time of receipt, the SHA-256 recorded at submission, and
 * the SHA-256 of the stored report's bytes. Says a line for each. Returns
 * 0 or EX_DATAERR with *cause.
 */
int	 proof_check_stored(struct proof_out *, const struct proof *,
	    const Gp__ShowResponse *, char **cause);

#endif
