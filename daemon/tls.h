/*
 * The server's TLS context, receipt signatures and the identity of a
 * verified peer (tls.c).
 */
#ifndef GPD_TLS_H
#define GPD_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct config;

#define GPD_CN_MAX		64	/* X.509 upper bound for a CN */
#define GPD_FINGERPRINT_LEN	64	/* SHA-256 hex */
#define GPD_ALPN		"gp/1"
#define TLS_VERIFY_DEPTH	4	/* CAs above a client's certificate */

SSL_CTX	*tls_ctx_new(const struct config *, char **cause);
/* Loads the receipt signing key and certificate (DER); 0 or -1. */
int	 tls_receipt_key(const struct config *, EVP_PKEY **, uint8_t **der,
	    size_t *derlen, char **cause);
/* Signs data with SHA-256; *sig is malloc'd. Returns 0 or -1. */
int	 tls_sign(EVP_PKEY *, const void *data, size_t len, uint8_t **sig,
	    size_t *siglen);
/* Logs a warning for the server certificate, a CA certificate or the
 * CRL when it has expired or expires within 30 days. */
void	 tls_expiry_warnings(const struct config *);
/* After the handshake: the verified peer's single CN and the SHA-256 of
 * its certificate. Returns 0, or -1 with *reason. */
int	 tls_peer_identity(SSL *, char cn[GPD_CN_MAX + 1],
	    char fingerprint[GPD_FINGERPRINT_LEN + 1], const char **reason);
/* The certificate of an established connection verified again against
 * another context's CA, CRL and purpose (after a reload, and now and
 * then): 0, or -1 with *reason ("certificate revoked", "certificate has
 * expired", ...). */
int	 tls_peer_recheck(SSL_CTX *, SSL *, const char **reason);
/* Whether x names clientAuth in its extended key usage. */
int	 tls_client_purpose(X509 *x);

#endif
