/*
 * gp-client's connection to gpd: mutual TLS (ALPN "gp/1") over one TCP
 * connection, and request/response exchanges in 4-byte length frames.
 *
 * Every failure hands back a sentence for the user in *cause (malloc'd;
 * NULL when even that allocation failed) and leaves the <sysexits.h>
 * status that fits it in conn_status().
 */
#ifndef GP_CONN_H
#define GP_CONN_H

#include "gp.pb-c.h"

#define CONN_TIMEOUT_DEFAULT	30	/* seconds */
#define CONN_TIMEOUT_MAX	86400
#define CONN_MAX_RESPONSE	(16 * 1024 * 1024)	/* bytes of payload */

struct conn_config {
	const char	*server;	/* HOST:PORT, [IPv6]:PORT */
	const char	*ca;		/* the only trust anchor */
	const char	*cert;		/* this unit's certificate (chain) */
	const char	*key;
	int		 timeout;	/* seconds for everything */
};

struct conn;

/*
 * Checks the server address and loads the CA, certificate and key: no
 * network yet. Returns NULL with *cause on failure, which is always a
 * configuration error (EX_CONFIG).
 */
struct conn	*conn_new(const struct conn_config *, char **cause);

/* Resolves, connects and completes the TLS handshake, verifying the
 * server's certificate and name. Starts the one deadline (the configured
 * timeout) that every later exchange on this connection shares. */
int		 conn_connect(struct conn *, char **cause);

/*
 * Sends req and reads one response whose id must equal req's. Returns 0
 * with *out set (free it with gp__response__free_unpacked(*out, NULL)),
 * or -1.
 */
int		 conn_request(struct conn *, const Gp__Request *req,
		    Gp__Response **out, char **cause);

/* The <sysexits.h> status of the last failure. */
int		 conn_status(const struct conn *);

void		 conn_free(struct conn *);

#endif
