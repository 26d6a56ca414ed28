/*
 * gp-client's configuration file (conf.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "i18n.h"
#include "conn.h"
#include "deliver.h"
#include "conf.h"
#include "tz.h"


/* A number from text, in [min, max]. */
static int
conf_number(const char *s, long min, long max, int *out)
{
	long	 n;
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

int
conf_timeout(const char *s, int *out)
{
	return conf_number(s, 1, CONN_TIMEOUT_MAX, out);
}

int
conf_retries(const char *s, int *out)
{
	return conf_number(s, 0, DELIVER_RETRIES_MAX, out);
}

char *
conf_user_dir(char **cause)
{
	const char	*base, *home;
	struct passwd	*pw;
	char		*dir;
	int		 n;

	*cause = NULL;
	/* The XDG base directory specification ignores relative paths. */
	if ((base = getenv("XDG_CONFIG_HOME")) != NULL && base[0] == '/')
		n = asprintf(&dir, "%s/gp", base);
	else {
		if ((home = getenv("HOME")) == NULL || home[0] != '/') {
			if ((pw = getpwuid(getuid())) == NULL ||
			    pw->pw_dir == NULL || pw->pw_dir[0] != '/') {
				if (asprintf(cause, "%s", _("no home directory "
				    "for the configuration: set $HOME, or "
				    "name the file with -c FILE")) == -1)
					*cause = NULL;
				return NULL;
			}
			home = pw->pw_dir;
		}
		n = asprintf(&dir, "%s/.config/gp", home);
	}
	return n == -1 ? NULL : dir;
}

int
conf_find(const char *explicit, char **path, char **looked)
{
	struct stat	 sb;
	char		*dir, *cause = NULL, *user = NULL;

	*path = *looked = NULL;
	if (explicit != NULL)
		return (*path = strdup(explicit)) == NULL ? -1 : 0;
	if ((dir = conf_user_dir(&cause)) != NULL) {
		if (asprintf(&user, "%s/%s", dir, CONF_NAME) == -1)
			user = NULL;
		free(dir);
		if (user == NULL)
			return -1;
	}
	free(cause);
	if (user != NULL && stat(user, &sb) == 0) {
		*path = user;
		return 0;
	}
	if (stat(CONF_SYSTEM, &sb) == 0) {
		free(user);
		return (*path = strdup(CONF_SYSTEM)) == NULL ? -1 : 0;
	}
	*looked = user;
	return 0;
}

char *
conf_looked(const char *user)
{
	char	*s;

	if (user == NULL)
		return strdup(CONF_SYSTEM);
	/* TRANSLATORS: two file names: "where gp-client looked for its
	 * configuration: ~/.config/gp/client.conf or /etc/gp/client.conf". */
	if (asprintf(&s, _("%s or %s"), user, CONF_SYSTEM) == -1)
		return NULL;
	return s;
}

static int
conf_set(struct conf *f, char **field, const char *value, int is_path)
{
	char	*copy;

	if (is_path && value[0] != '/' && f->dir != NULL &&
	    strcmp(f->dir, ".") != 0) {
		if (asprintf(&copy, "%s/%s", f->dir, value) == -1)
			return -1;
	} else if ((copy = strdup(value)) == NULL)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

static int	conf_problem(struct conf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Keeps the first problem of the file. Returns 0, inih's "bad line". */
static int
conf_problem(struct conf *f, const char *fmt, ...)
{
	va_list	ap;

	if (f->error[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(f->error, sizeof(f->error), fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* inih calls this for each key; returning 0 marks the line as bad. */
static int
conf_key(void *arg, const char *section, const char *name, const char *value)
{
	struct conf	 *f = arg;
	char		**field = NULL;
	int		  is_path = 1;

	if (strcmp(section, "report") == 0) {
		char	error[sizeof(f->error)];

		if (report_conf_key(&f->report, name, value, error,
		    sizeof(error)) == 0)
			return 1;
		return conf_problem(f, "%s", error);
	}
	if (strcmp(section, "client") != 0) {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), _("unknown "
			    "section [%s]: the settings go in [client] (and "
			    "[report])"), section);
		return 0;
	}
	if (strcmp(name, "server") == 0) {
		field = &f->server;
		is_path = 0;
	} else if (strcmp(name, "ca") == 0)
		field = &f->ca;
	else if (strcmp(name, "cert") == 0)
		field = &f->cert;
	else if (strcmp(name, "key") == 0)
		field = &f->key;
	else if (strcmp(name, "outbox") == 0)
		field = &f->outbox;
	else if (strcmp(name, "language") == 0) {
		if (i18n_known(value))
			return conf_set(f, &f->language, value, 0) == 0 ?
			    1 : conf_problem(f, "%s", _("out of memory"));
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), _("bad language "
			    "'%s': give vi (Vietnamese) or en (English)"),
			    value);
		return 0;
	} else if (strcmp(name, "timezone") == 0) {
		if (tz_valid_name(value) == 0)
			return conf_set(f, &f->timezone, value, 0) == 0 ?
			    1 : conf_problem(f, "%s", _("out of memory"));
		/* TRANSLATORS: the value given, then a zone's name as the
		 * tz database writes it (Asia/Ho_Chi_Minh). */
		return conf_problem(f, _("bad timezone '%s': give a zone such "
		    "as %s"), value, TZ_DEFAULT);
	} else if (strcmp(name, "retries") == 0) {
		if (conf_retries(value, &f->retries) == 0)
			return 1;
		return conf_problem(f, _("bad retries '%s': give a number "
		    "from 0 to %d"), value, DELIVER_RETRIES_MAX);
	} else if (strcmp(name, "timeout") == 0) {
		if (conf_timeout(value, &f->timeout) == 0)
			return 1;
		return conf_problem(f, _("bad timeout '%s': give seconds from "
		    "1 to %d"), value, CONN_TIMEOUT_MAX);
	} else {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), _("unknown key "
			    "'%s': use server, ca, cert, key, timeout, "
			    "retries, outbox, language or timezone"), name);
		return 0;
	}
	if (value[0] == '\0') {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), _("'%s' is empty"),
			    name);
		return 0;
	}
	if (conf_set(f, field, value, is_path) == -1)
		return conf_problem(f, "%s", _("out of memory"));
	return 1;
}

int
conf_read(const char *path, struct conf *f, char **cause)
{
	const char	*slash;
	char		*dir;
	int		 line, n;

	*cause = NULL;
	memset(f, 0, sizeof(*f));
	f->retries = -1;
	report_conf_init(&f->report);
	slash = strrchr(path, '/');
	if ((dir = slash == NULL ? strdup(".") : slash == path ? strdup("/") :
	    strndup(path, (size_t)(slash - path))) == NULL)
		return -1;
	f->dir = dir;
	line = ini_parse(path, conf_key, f);
	f->dir = NULL;
	free(dir);
	if (line == 0)
		return 0;
	if (line == -1)
		n = asprintf(cause, _("cannot read the configuration file %s: "
		    "%s; check -c or $%s"), path, strerror(errno), CONF_ENV);
	else if (line == -2)
		n = -1;
	else
		n = asprintf(cause, _("%s:%d: %s; correct the configuration "
		    "file"), path, line, f->error[0] != '\0' ? f->error :
		    _("not a 'key = value' line"));
	if (n == -1)
		*cause = NULL;
	return -1;
}

void
conf_free(struct conf *f)
{
	free(f->server);
	free(f->ca);
	free(f->cert);
	free(f->key);
	free(f->outbox);
	free(f->language);
	free(f->timezone);
	report_conf_free(&f->report);
	memset(f, 0, sizeof(*f));
	f->retries = -1;
	report_conf_init(&f->report);
}
