/*
 * gpd: the daemon's shared declarations, one section per file.
 */
#ifndef GPD_H
#define GPD_H

#include <sys/queue.h>

#include <pthread.h>

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "period.h"
#include "store.h"

struct sockaddr;
struct event_base;
struct evconnlistener;
struct bufferevent;
struct event;
struct accepted_list;
struct handler_stream;

#define GPD_CN_MAX		64	/* X.509 upper bound for a CN */
#define GPD_FINGERPRINT_LEN	64	/* SHA-256 hex */
#define GPD_ALPN		"gp/1"
/* Connections past max_connections still get a "busy" answer, up to
 * this many more; past that the listener pauses. */
#define GPD_BUSY_SLACK		64
#define GPD_BUSY_RETRY		5	/* seconds a busy client waits */

/* config.c */
struct config {
	char			*path;
	char			*listen;
	char			*database;
	char			*units;
	unsigned int		 max_connections;
	unsigned int		 handshake_timeout;	/* seconds */
	unsigned int		 idle_timeout;		/* seconds */
	unsigned int		 frame_timeout;		/* seconds */
	uint32_t		 max_frame;		/* bytes */
	char			*certificate;
	char			*key;
	char			*client_ca;
	char			*crl;			/* NULL: none */
	char			*receipt_key;		/* NULL: [tls] key */
	char			*receipt_certificate;	/* NULL: [tls] certificate */
	char			**admins;
	size_t			 nadmins;
	char			*contact;	/* whom to ask to unlock */
	unsigned int		 workers;		/* event loops */
	struct period_rules	 periods;
};

struct config	*config_load(const char *path, char **cause);
void		 config_free(struct config *);
int		 config_is_admin(const struct config *, const char *cn);

/* units.c */
enum unit_type {
	UNIT_DISTRICT_FEDERATION = 1,
	UNIT_SECTOR_UNION,
	UNIT_CIVIL_SERVANTS_UNION
};

struct unit {
	char		*code;
	char		*name;
	int		 type;		/* enum unit_type */
	int32_t		 valid_from;	/* INT32_MIN: open */
	int32_t		 valid_to;	/* INT32_MAX: open */
};

struct units {
	struct unit	*v;
	size_t		 n;
};

#define UNITS_MAX	100000

struct units		*units_load(const char *path, char **cause);
void			 units_free(struct units *);
const struct unit	*units_find(const struct units *, const char *code);
/* validate_unit_fn over a struct units. */
int			 units_lookup(void *units, const char *code,
			    int32_t *valid_from, int32_t *valid_to);

/* settings.c */
struct settings;
struct settings	*settings_load(const char *conffile, char **cause);

/* log.c */
void	 log_init(int foreground, int verbose);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* tls.c */
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

/* writer.c */
enum job_type {
	JOB_SUBMIT,
	JOB_AUDIT,
	JOB_LOCK
};

struct worker;
struct handler_reply;

/*
 * A write for the writer thread. Made and finished on a worker's thread;
 * between writer_queue() and worker_job_done() only the writer touches it.
 */
struct job {
	STAILQ_ENTRY(job)	 entry;
	int			 type;		/* enum job_type */
	struct worker		*worker;	/* where it is finished */
	struct session		*session;
	struct handler_reply	*reply;
	/* JOB_SUBMIT */
	struct report		*report;
	struct store_meta	 meta;		/* also at, cn, fingerprint */
	/* JOB_AUDIT */
	const char		*action;
	const char		*unit;
	const char		*period;
	const char		*result;
	const char		*detail;
	/* JOB_LOCK (period above) */
	int			 lock;
	int			 changed;	/* set by the writer */
	/* Set by the writer. */
	enum store_status	 status;
	struct store_receipt	 receipt;
	char			 error[256];
};

STAILQ_HEAD(jobs, job);

struct writer;

/* fatal(arg) is called, from the writer thread, once the database has
 * shown it cannot be written safely. */
struct writer	*writer_start(const char *database, void (*fatal)(void *),
		    void *arg, const char **errstr);
void		 writer_queue(struct writer *, struct job *);
void		 writer_stop(struct writer *);	/* runs what is queued */
/* An audit entry of gpd's own (action, result: static strings). */
void		 writer_event(struct writer *, const char *cn,
		    const char *action, const char *result,
		    const char *detail);

/* session.c */
enum session_role {
	ROLE_NONE = 0,		/* CN neither a unit nor an administrator */
	ROLE_UNIT,
	ROLE_ADMIN
};

struct server;

struct session {
	TAILQ_ENTRY(session)	 entry;
	struct worker		*worker;
	struct server		*server;
	struct settings		*set;		/* a reference */
	uint64_t		 id;
	struct bufferevent	*bev;
	struct event		*handshake_timer;
	char			 peer[64];	/* address:port */
	char			 cn[GPD_CN_MAX + 1];
	char			 fingerprint[GPD_FINGERPRINT_LEN + 1];
	int			 role;		/* enum session_role */
	int			 established;
	int			 busy;		/* a request is at the writer */
	int			 over;		/* past the connection cap */
	int			 closing;	/* close once the reply is out */
	int			 closed;	/* freed when no longer busy */
	const char		*close_reason;
	struct handler_stream	*stream;	/* an answer of many frames */
	uint64_t		 requests;
};

TAILQ_HEAD(sessions, session);

/*
 * What SIGHUP reloads, as one reference-counted generation: a session
 * keeps the one it started with, a new session takes the newest.
 */
struct settings {
	_Atomic unsigned int	 refs;
	struct config		*conf;
	struct units		*units;
	SSL_CTX			*ssl_ctx;
	/* Receipts are signed with this key; its certificate (DER) goes
	 * into every receipt. */
	EVP_PKEY		*receipt_key;
	uint8_t			*receipt_cert;
	size_t			 receipt_certlen;
};

struct server {
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct event		*resume;	/* listener back on */
	struct event		*resume_timer;	/* after EMFILE */
	struct event		*watchdog;	/* keep-alives to systemd */
	struct event		*fatal;		/* the writer gave up */
	_Atomic int		 failed;
	pthread_mutex_t		 set_lock;
	struct settings		*set;		/* the newest */
	const char		*conffile;
	struct writer		*writer;
	struct worker		**workers;
	size_t			 nworkers;
	size_t			 next_worker;
	_Atomic unsigned int	 nsessions;
	_Atomic uint64_t	 next_session;
	_Atomic int		 paused;
	/* Bumped by each worker's loop; the watchdog checks they move. */
	_Atomic uint64_t	*heartbeats;
	uint64_t		*watched;	/* as last seen */
};

/* over: accepted past max_connections, answered "busy" and closed. */
void	 session_accept(struct worker *, int fd, const struct sockaddr *,
	    int socklen, int over);
void	 session_close(struct session *, const char *reason);
/* After the writer finished the session's request: send, go on. */
void	 session_resume(struct session *);
void	 server_listener_update(struct server *);
/* A reference to the newest settings, from any thread. */
struct settings	*server_settings(struct server *);
void		 settings_release(struct settings *);
void	 server_session_gone(struct server *);

/* worker.c */
struct worker {
	struct server		*server;
	size_t			 index;
	pthread_t		 thread;
	struct event_base	*base;
	struct event		*wake;		/* woken by other threads */
	struct event		*deadline;	/* bounded shutdown */
	struct event		*heartbeat;
	struct store		*reader;	/* queries, this thread's */
	pthread_mutex_t		 lock;
	struct jobs		 done;		/* under lock */
	struct accepted_list	*accepted;	/* under lock */
	int			 stopping;	/* under lock */
	struct sessions		 sessions;	/* worker thread only */
	unsigned int		 nsessions;
};

int	 workers_start(struct server *, size_t n, const char **errstr);
/* Stops accepting work, waits up to timeout seconds for requests in
 * progress, then joins the threads. */
void	 workers_stop(struct server *, unsigned int timeout);
void	 workers_close_readers(struct server *);
void	 workers_free(struct server *);
void	 worker_accept(struct worker *, int fd, const struct sockaddr *,
	    int socklen, int over);
void	 worker_job_done(struct job *);	/* from the writer thread */
void	 worker_session_gone(struct worker *);

/* handler.c */
struct evbuffer;
/*
 * Handles one frame's payload from an established session. Returns
 * HANDLER_REPLIED with the framed response appended to out,
 * HANDLER_PENDING when the request went to the writer (the session waits
 * for handler_job_done), or HANDLER_CLOSE when the session must close once
 * the reply is written (undecodable request).
 */
enum handler_result {
	HANDLER_REPLIED,
	HANDLER_PENDING,
	HANDLER_STREAM,		/* s->stream set: frames follow */
	HANDLER_CLOSE
};
enum handler_result handler_dispatch(struct session *, const uint8_t *,
		    size_t, struct evbuffer *out);
/* On the worker thread, once the writer is done with a job: appends the
 * reply to the session's output (unless it is closed) and frees the job. */
void	 handler_job_done(struct job *);
/* Appends the next frame of s->stream to out; returns 1 when that was
 * the last (the stream is freed), 0 when more follow. */
int	 handler_stream_next(struct session *, struct evbuffer *out);
void	 handler_stream_free(struct session *);
/* Answers a frame that could not be read (bad length) and never touches
 * the database. */
void	 handler_frame_error(struct session *, const char *errstr,
	    struct evbuffer *out);

#endif
