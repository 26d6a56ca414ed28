/*
 * gpd.conf (config.c): every key checked when it is read, so that a
 * daemon that starts has a configuration it can run on.
 */
#ifndef GPD_CONFIG_H
#define GPD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"

/* Defaults and bounds of the budgets (gpd.conf(5)). */
#define CONFIG_HANDSHAKES_DEFAULT		512
#define CONFIG_HANDSHAKES_ADDRESS_DEFAULT	256
#define CONFIG_OUTPUT_DEFAULT		(64ULL << 20)
#define CONFIG_OUTPUT_MIN		(1ULL << 20)
#define CONFIG_OUTPUT_MAX		(64ULL << 30)

struct config {
	char			*path;
	char			*listen;
	char			*database;
	char			*units;
	char			*forms;		/* directory of *.json forms */
	char			*timezone;	/* the federation's zone */
	unsigned int		 max_connections;
	/* Connections before their handshake: all, and from one address. */
	unsigned int		 max_handshakes;
	unsigned int		 max_handshakes_per_address;
	/* Replies not yet read, all connections together. */
	uint64_t		 max_output;		/* bytes */
	unsigned int		 handshake_timeout;	/* seconds */
	unsigned int		 idle_timeout;		/* seconds */
	unsigned int		 frame_timeout;		/* seconds */
	unsigned int		 stream_timeout;	/* seconds */
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
	/* [periods] of gpd before report forms: still read, so that an
	 * old file loads, but each year's form has the dates now. */
	struct period_rules	 periods;
	int			 periods_given;
};

#ifndef GP_SYSCONFDIR
#define GP_SYSCONFDIR	"/etc"
#endif
/* The forms directory when gpd.conf names none. */
#define CONFIG_FORMS_DEFAULT	GP_SYSCONFDIR "/gpd/forms"

/* NULL with *cause (malloc'd, never NULL) when the file is refused. */
struct config	*config_load(const char *path, char **cause);
void		 config_free(struct config *);
int		 config_is_admin(const struct config *, const char *cn);

#endif
