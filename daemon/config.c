/*
 * gpd.conf: an INI file read with inih. Every key is checked here, so a
 * daemon that starts has a configuration it can run on.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "frame.h"
#include "i18n.h"
#include "config.h"
#include "tz.h"

/* An administrator's name is a certificate's CN as gp-ca issues it. */
#define CONFIG_NAME_MAX	64

struct config_parse {
	struct config	*conf;
	char		 cause[256];
};

static int
config_number(const char *value, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char		*end;
	unsigned long	 n;

	if (value[0] < '0' || value[0] > '9')
		return -1;
	errno = 0;
	n = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* A size in bytes, or with K, M or G (binary multiples). */
static int
config_size(const char *value, uint64_t min, uint64_t max, uint64_t *out)
{
	char			*end;
	unsigned long long	 n;
	unsigned int		 shift = 0;

	if (value[0] < '0' || value[0] > '9')
		return -1;
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (shift != 0 && end[1] != '\0')
		return -1;
	if (n > (max >> shift) || (n << shift) < min)
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

static int
config_string(char **dst, const char *value)
{
	char	*s;

	if ((s = strdup(value)) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

/* Whether name can be a certificate's CN from gp-ca: 1 to 64 of a-z, 0-9
 * and '-' (gp-ca's check_name). */
static int
config_cert_name(const char *name)
{
	size_t	n = strlen(name);

	return n > 0 && n <= CONFIG_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int
config_admins(struct config_parse *cp, const char *value)
{
	struct config	*conf = cp->conf;
	char		*copy, *p, *tok, **v;

	if ((copy = strdup(value)) == NULL)
		return -1;
	for (p = copy; (tok = strsep(&p, " \t,")) != NULL; ) {
		if (*tok == '\0')
			continue;
		if (!config_cert_name(tok)) {
			snprintf(cp->cause, sizeof(cp->cause), _("[access] "
			    "admins: '%s' is not a certificate name (1 to 64 "
			    "of a-z, 0-9 and '-', as gp-ca issues them)"), tok);
			free(copy);
			return -1;
		}
		v = reallocarray(conf->admins, conf->nadmins + 1,
		    sizeof(*conf->admins));
		if (v == NULL)
			goto fail;
		conf->admins = v;
		if ((conf->admins[conf->nadmins] = strdup(tok)) == NULL)
			goto fail;
		conf->nadmins++;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	return -1;
}

static int
config_server_key(struct config_parse *cp, const char *name,
    const char *value)
{
	struct config	*conf = cp->conf;
	unsigned long	 n;

	if (strcmp(name, "listen") == 0)
		return config_string(&conf->listen, value);
	if (strcmp(name, "database") == 0)
		return config_string(&conf->database, value);
	if (strcmp(name, "units") == 0)
		return config_string(&conf->units, value);
	if (strcmp(name, "forms") == 0)
		return config_string(&conf->forms, value);
	/* The zone's rules are read with the other settings (settings.c);
	 * here only its name is checked. */
	if (strcmp(name, "timezone") == 0) {
		if (tz_valid_name(value) == -1) {
			/* TRANSLATORS: keep "[server] timezone" as it is: the
			 * setting's name in gpd.conf. */
			snprintf(cp->cause, sizeof(cp->cause), _("[server] "
			    "timezone = %s: not the name of a time zone (such "
			    "as Asia/Ho_Chi_Minh)"), value);
			return -1;
		}
		return config_string(&conf->timezone, value);
	}
	if (strcmp(name, "max_connections") == 0) {
		if (config_number(value, 1, 100000, &n) == -1)
			goto range;
		conf->max_connections = n;
	} else if (strcmp(name, "max_handshakes") == 0) {
		if (config_number(value, 1, 100000, &n) == -1)
			goto range;
		conf->max_handshakes = n;
	} else if (strcmp(name, "max_handshakes_per_address") == 0) {
		if (config_number(value, 1, 100000, &n) == -1)
			goto range;
		conf->max_handshakes_per_address = n;
	} else if (strcmp(name, "max_output") == 0) {
		if (config_size(value, CONFIG_OUTPUT_MIN, CONFIG_OUTPUT_MAX,
		    &conf->max_output) == -1) {
			snprintf(cp->cause, sizeof(cp->cause),
			    _("[server] %s = %s: not a size from 1M to 64G "
			    "(bytes, or with K, M or G)"), name, value);
			return -1;
		}
	} else if (strcmp(name, "handshake_timeout") == 0) {
		if (config_number(value, 1, 3600, &n) == -1)
			goto range;
		conf->handshake_timeout = n;
	} else if (strcmp(name, "idle_timeout") == 0) {
		if (config_number(value, 1, 86400, &n) == -1)
			goto range;
		conf->idle_timeout = n;
	} else if (strcmp(name, "frame_timeout") == 0) {
		if (config_number(value, 1, 86400, &n) == -1)
			goto range;
		conf->frame_timeout = n;
	} else if (strcmp(name, "stream_timeout") == 0) {
		if (config_number(value, 1, 3600, &n) == -1)
			goto range;
		conf->stream_timeout = n;
	} else if (strcmp(name, "workers") == 0) {
		if (config_number(value, 0, 64, &n) == -1)
			goto range;
		conf->workers = n;
	} else if (strcmp(name, "max_frame") == 0) {
		if (config_number(value, 1024, FRAME_MAX_LIMIT, &n) == -1)
			goto range;
		conf->max_frame = n;
	} else {
		snprintf(cp->cause, sizeof(cp->cause),
		    _("unknown key '%s' in [server]"), name);
		return -1;
	}
	return 0;
range:
	snprintf(cp->cause, sizeof(cp->cause),
	    _("[server] %s = %s: not a whole number in the allowed range "
	    "(gpd.conf(5))"), name, value);
	return -1;
}

static int
config_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct config_parse	*cp = arg;
	struct config		*conf = cp->conf;
	const char		*errstr;
	int			 rv = -1;

	if (cp->cause[0] != '\0')
		return 0;
	if (strcmp(section, "server") == 0)
		rv = config_server_key(cp, name, value);
	else if (strcmp(section, "tls") == 0) {
		if (strcmp(name, "certificate") == 0)
			rv = config_string(&conf->certificate, value);
		else if (strcmp(name, "key") == 0)
			rv = config_string(&conf->key, value);
		else if (strcmp(name, "client_ca") == 0)
			rv = config_string(&conf->client_ca, value);
		else if (strcmp(name, "crl") == 0)
			rv = config_string(&conf->crl, value);
		else
			snprintf(cp->cause, sizeof(cp->cause),
			    _("unknown key '%s' in [tls]"), name);
	} else if (strcmp(section, "receipts") == 0) {
		if (strcmp(name, "key") == 0)
			rv = config_string(&conf->receipt_key, value);
		else if (strcmp(name, "certificate") == 0)
			rv = config_string(&conf->receipt_certificate, value);
		else
			snprintf(cp->cause, sizeof(cp->cause),
			    _("unknown key '%s' in [receipts]"), name);
	} else if (strcmp(section, "access") == 0) {
		if (strcmp(name, "admins") == 0)
			rv = config_admins(cp, value);
		else if (strcmp(name, "contact") == 0)
			rv = config_string(&conf->contact, value);
		else
			snprintf(cp->cause, sizeof(cp->cause),
			    _("unknown key '%s' in [access]"), name);
	} else if (strcmp(section, "periods") == 0) {
		if ((rv = period_rules_set(&conf->periods, name, value,
		    &errstr)) == -1)
			snprintf(cp->cause, sizeof(cp->cause), "[periods] %s",
			    errstr);
		conf->periods_given = 1;
	} else
		snprintf(cp->cause, sizeof(cp->cause), _("unknown section "
		    "[%s]"), section);
	if (rv == -1 && cp->cause[0] == '\0')
		snprintf(cp->cause, sizeof(cp->cause), "%s",
		    _("out of memory"));
	return rv == 0;
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_parse	 cp;
	struct config		*conf;
	const char		*missing = NULL;
	int			 line;

	*cause = NULL;
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		goto nomem;
	memset(&cp, 0, sizeof(cp));
	cp.conf = conf;
	conf->max_connections = 1000;
	conf->max_handshakes = CONFIG_HANDSHAKES_DEFAULT;
	conf->max_output = CONFIG_OUTPUT_DEFAULT;
	conf->handshake_timeout = 10;
	conf->idle_timeout = 60;
	conf->frame_timeout = 120;
	conf->stream_timeout = 60;
	conf->max_frame = FRAME_MAX_DEFAULT;
	period_rules_default(&conf->periods);
	if ((conf->path = strdup(path)) == NULL ||
	    (conf->listen = strdup("127.0.0.1:7443")) == NULL ||
	    (conf->database = strdup("/var/lib/gpd/gp.db")) == NULL ||
	    (conf->forms = strdup(CONFIG_FORMS_DEFAULT)) == NULL ||
	    (conf->timezone = strdup(TZ_DEFAULT)) == NULL ||
	    (conf->contact = strdup(U_("the Propaganda - Women's Affairs "
	    "department of the provincial federation"))) == NULL)
		goto nomem;

	line = ini_parse(path, config_handler, &cp);
	if (line == -1) {
		if (asprintf(cause, _("cannot read the configuration %s: %s; "
		    "check -f"), path, strerror(errno)) == -1)
			*cause = NULL;
		goto fail;
	}
	if (line != 0) {
		if (asprintf(cause, "%s:%d: %s", path, line,
		    cp.cause[0] != '\0' ? cp.cause :
		    _("not a 'key = value' line")) == -1)
			*cause = NULL;
		goto fail;
	}
	if (conf->units == NULL)
		missing = "[server] units";
	else if (conf->certificate == NULL)
		missing = "[tls] certificate";
	else if (conf->key == NULL)
		missing = "[tls] key";
	else if (conf->client_ca == NULL)
		missing = "[tls] client_ca";
	if (missing == NULL && (conf->receipt_key == NULL) !=
	    (conf->receipt_certificate == NULL)) {
		if (asprintf(cause, _("%s: [receipts] needs both key and "
		    "certificate, or neither"), path) == -1)
			*cause = NULL;
		goto fail;
	}
	if (missing != NULL) {
		/* TRANSLATORS: the file; a section and key of it, such as
		 * "[tls] certificate". */
		if (asprintf(cause, _("%s: %s is required"), path, missing) ==
		    -1)
			*cause = NULL;
		goto fail;
	}
	/* Unset: the default, within max_handshakes. */
	if (conf->max_handshakes_per_address == 0)
		conf->max_handshakes_per_address =
		    CONFIG_HANDSHAKES_ADDRESS_DEFAULT < conf->max_handshakes ?
		    CONFIG_HANDSHAKES_ADDRESS_DEFAULT : conf->max_handshakes;
	if (conf->max_handshakes_per_address > conf->max_handshakes) {
		if (asprintf(cause, _("%s: [server] "
		    "max_handshakes_per_address (%u) is more than "
		    "max_handshakes (%u)"), path,
		    conf->max_handshakes_per_address, conf->max_handshakes)
		    == -1)
			*cause = NULL;
		goto fail;
	}
	return conf;
nomem:
	*cause = NULL;
fail:
	if (*cause == NULL)
		*cause = strdup(_("out of memory"));
	config_free(conf);
	return NULL;
}

void
config_free(struct config *conf)
{
	size_t	i;

	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->listen);
	free(conf->database);
	free(conf->units);
	free(conf->forms);
	free(conf->timezone);
	free(conf->certificate);
	free(conf->key);
	free(conf->client_ca);
	free(conf->crl);
	free(conf->contact);
	free(conf->receipt_key);
	free(conf->receipt_certificate);
	for (i = 0; i < conf->nadmins; i++)
		free(conf->admins[i]);
	free(conf->admins);
	free(conf);
}

int
config_is_admin(const struct config *conf, const char *cn)
{
	size_t	i;

	for (i = 0; i < conf->nadmins; i++)
		if (strcmp(conf->admins[i], cn) == 0)
			return 1;
	return 0;
}
