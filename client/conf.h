/*
 * gp-client's configuration file (conf.c): where it is, and what it says.
 *
 * One place: -c FILE, else $GP_CLIENT_CONF, else the first that exists of
 * $XDG_CONFIG_HOME/gp/client.conf (~/.config/gp/client.conf) and
 * /etc/gp/client.conf. A file named by -c or $GP_CLIENT_CONF must be
 * readable; the default places may hold nothing, which is no error for a
 * command given -s, --ca, --cert and --key (or none of them needed).
 *
 * [client] holds server, ca, cert, key, outbox, timeout, retries,
 * language and timezone; [report] the settings of the province's report
 * (report_conf.h). Relative paths are relative to the file's own
 * directory, so that a setup directory can hold the file and what it
 * names together.
 */
#ifndef GP_CONF_H
#define GP_CONF_H

#include "report_conf.h"

#define CONF_ENV	"GP_CLIENT_CONF"
#define CONF_NAME	"client.conf"	/* in $XDG_CONFIG_HOME/gp */
#ifndef GP_SYSCONFDIR
#define GP_SYSCONFDIR	"/etc"
#endif
#define CONF_SYSTEM	GP_SYSCONFDIR "/gp/" CONF_NAME

/* The settings a configuration file may hold, owned. */
struct conf {
	char		*server;
	char		*ca;
	char		*cert;
	char		*key;
	char		*outbox;
	char		*language;	/* "vi" or "en" */
	char		*timezone;	/* before the server names one */
	int		 timeout;	/* 0: not set */
	int		 retries;	/* -1: not set */
	struct report_conf report;	/* [report] */
	char		 error[200];	/* the first problem */
	const char	*dir;		/* the file's directory */
};

/*
 * The per-user configuration directory, $XDG_CONFIG_HOME/gp or
 * ~/.config/gp, malloc'd; NULL with *cause (malloc'd, NULL when out of
 * memory) when there is no home directory.
 */
char	*conf_user_dir(char **cause);

/*
 * The configuration file to read: explicit (-c or $GP_CLIENT_CONF) when
 * not NULL, else the first default place that exists. Returns 0 with
 * *path (malloc'd, NULL when none exists) and, when none exists, *looked
 * (malloc'd: the user's default place looked at before CONF_SYSTEM, or
 * NULL without a home); -1 when out of memory.
 */
int	 conf_find(const char *explicit, char **path, char **looked);

/* "USER or /etc/gp/client.conf", in the reader's language; malloc'd, NULL
 * when out of memory. */
char	*conf_looked(const char *user);

/*
 * Reads path into f (zeroed first; relative paths made relative to the
 * file's directory). Returns 0, or -1 with *cause (malloc'd, a sentence
 * naming the file and the line; NULL when out of memory); f then holds
 * what was read before the problem, language included.
 */
int	 conf_read(const char *path, struct conf *f, char **cause);
void	 conf_free(struct conf *);

/* Numbers the file and the command line share: 0, or -1 when s is not
 * in range. */
int	 conf_timeout(const char *s, int *out);
int	 conf_retries(const char *s, int *out);

#endif
