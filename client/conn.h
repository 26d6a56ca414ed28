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

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

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
 * network yet. A key that other users can read or change is refused
 * (conn_key_private). Returns NULL with *cause on failure, which is always
 * a configuration error (EX_CONFIG).
 */
struct conn	*conn_new(const struct conn_config *, char **cause);

/* Only the server's address, for conn_reach(): no files are read. */
struct conn	*conn_new_plain(const char *server, int timeout,
		    char **cause);

/* Resolves, connects and completes the TLS handshake, verifying the
 * server's certificate, its name, and that it is marked for a server
 * (extended key usage serverAuth). Starts the one deadline (the
 * configured timeout) that every later exchange on this connection
 * shares. Called again, it ends the previous connection first: one struct
 * conn serves every attempt of a retry loop. */
int		 conn_connect(struct conn *, char **cause);

/*
 * Starts conn_connect() on a thread of its own and returns at once, so
 * that the handshake's round trips and the server's part of it pass
 * while the caller does other work (submit: writing the report to the
 * outbox and waiting for the disk). Nothing is sent but the handshake.
 * The next conn_connect() waits for that thread and returns what it
 * got; until then the caller must not use the connection. When no
 * thread can be started, conn_connect() simply does the work itself.
 */
void		 conn_begin(struct conn *);

/* Resolves and opens a TCP connection within the timeout, then closes it:
 * whether the server can be reached at all, before any TLS. */
int		 conn_reach(struct conn *, char **cause);

/*
 * Sends req and reads one response whose id must equal req's. Returns 0
 * with *out set (free it with gp__response__free_unpacked(*out, NULL)),
 * or -1.
 */
int		 conn_request(struct conn *, const Gp__Request *req,
		    Gp__Response **out, char **cause);

/* The same for a request already framed (wire_pack_submit) whose id is
 * id: the bytes are sent as they are. */
int		 conn_request_frame(struct conn *, const uint8_t *frame,
		    size_t len, uint32_t id, Gp__Response **out,
		    char **cause);

/*
 * Sends req and hands each response frame answering it to frame(resp,
 * arg), in order, until the last one (more not set) or until frame
 * returns non-zero to stop; resp is freed when frame returns. The whole
 * answer must arrive within the deadline conn_connect started. Returns
 * 0, or -1 with *cause when the connection failed. After a stop, unread
 * frames may remain: send nothing more on this connection.
 */
typedef int	 conn_frame_fn(const Gp__Response *resp, void *arg);
int		 conn_stream(struct conn *, const Gp__Request *req,
		    conn_frame_fn *frame, void *arg, char **cause);

/* The <sysexits.h> status of the last failure. */
int		 conn_status(const struct conn *);

/*
 * Whether the last failure was the network's (no route, refused, reset,
 * timed out, closed before an answer): worth trying again later, as the
 * report's id makes a second delivery harmless. A refused certificate, a
 * server that cannot be trusted and protocol errors are not.
 */
int		 conn_is_transient(const struct conn *);

/* A few words on the last transient failure ("Connection refused"). */
const char	*conn_reason(const struct conn *);

/*
 * Whether the key file open on fd (its name path, for the sentence) is
 * private enough: 0, or -1 with *cause saying which chmod fixes it when
 * other users can read or change it.
 */
int		 conn_key_private(int fd, const char *path, char **cause);

/* The CA certificates conn_new loaded, to check a receipt against;
 * NULL for a conn_new_plain connection. Borrowed. */
X509_STORE	*conn_ca_store(const struct conn *);

/* The server's certificate once connected, else NULL. Borrowed. */
X509		*conn_peer_cert(const struct conn *);

/* HOST:PORT as configured; the TLS version once connected. */
const char	*conn_server(const struct conn *);
const char	*conn_tls_version(const struct conn *);

void		 conn_free(struct conn *);

#endif
