/*
 * gpd: the daemon's shared declarations, one section per file.
 */
#ifndef GPD_H
#define GPD_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "period.h"

struct sockaddr;
struct event_base;
struct evconnlistener;
struct bufferevent;
struct event;
struct store;

#define GPD_CN_MAX		64	/* X.509 upper bound for a CN */
#define GPD_FINGERPRINT_LEN	64	/* SHA-256 hex */
#define GPD_ALPN		"gp/1"

/* config.c */
struct config {
	char			*path;
	char			*listen;
	char			*database;
	char			*units;
	unsigned int		 max_connections;
	unsigned int		 handshake_timeout;	/* seconds */
	unsigned int		 idle_timeout;		/* seconds */
	uint32_t		 max_frame;		/* bytes */
	char			*certificate;
	char			*key;
	char			*client_ca;
	char			*crl;			/* NULL: none */
	char			**admins;
	size_t			 nadmins;
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
/* After the handshake: the verified peer's single CN and the SHA-256 of
 * its certificate. Returns 0, or -1 with *reason. */
int	 tls_peer_identity(SSL *, char cn[GPD_CN_MAX + 1],
	    char fingerprint[GPD_FINGERPRINT_LEN + 1], const char **reason);

/* session.c */
enum session_role {
	ROLE_NONE = 0,		/* CN neither a unit nor an administrator */
	ROLE_UNIT,
	ROLE_ADMIN
};

struct server;

struct session {
	TAILQ_ENTRY(session)	 entry;
	struct server		*server;
	uint64_t		 id;
	struct bufferevent	*bev;
	struct event		*handshake_timer;
	char			 peer[64];	/* address:port */
	char			 cn[GPD_CN_MAX + 1];
	char			 fingerprint[GPD_FINGERPRINT_LEN + 1];
	int			 role;		/* enum session_role */
	int			 established;
	int			 closing;	/* reply sent, close once written */
	int			 closed;
	uint64_t		 requests;
};

TAILQ_HEAD(sessions, session);

struct server {
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct event		*resume_timer;	/* after EMFILE */
	SSL_CTX			*ssl_ctx;
	struct config		*conf;
	struct units		*units;
	struct store		*store;
	struct sessions		 sessions;
	unsigned int		 nsessions;
	uint64_t		 next_session;
	int			 paused;
};

void	 session_accept(struct server *, int fd, const struct sockaddr *,
	    int socklen);
void	 session_close(struct session *, const char *reason);
void	 session_close_all(struct server *, const char *reason);
void	 server_listener_update(struct server *);

/* handler.c */
/*
 * Handles one frame's payload from an established session and appends the
 * framed response to out. Returns 0, or -1 when the session must close
 * once the reply is written (undecodable request).
 */
struct evbuffer;
int	 handler_dispatch(struct session *, const uint8_t *, size_t,
	    struct evbuffer *out);
/* Answers a frame that could not be read (bad length) and never touches
 * the database. */
void	 handler_frame_error(struct session *, const char *errstr,
	    struct evbuffer *out);

#endif
