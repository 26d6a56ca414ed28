/*
 * The [report] section (report_conf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"
#include "text.h"
#include "report_conf.h"

/* The keys of the texts, as report-data.md names them. */
static const char *const report_conf_names[REPORT_CONF_NTEXTS] = {
	"parent_body",
	"body",
	"body_name",
	"number",
	"place",
	"subject",
	"signer_authority",
	"signer_title",
	"signer_name"
};

void
report_conf_init(struct report_conf *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->highlights = -1;
}

void
report_conf_free(struct report_conf *rc)
{
	size_t	i;

	for (i = 0; i < REPORT_CONF_NTEXTS; i++)
		free(rc->text[i]);
	for (i = 0; i < rc->nrecipients; i++)
		free(rc->recipients[i]);
	free(rc->gp_report);
	report_conf_init(rc);
}

/* A line of the document: UTF-8 without control or invisible
 * characters, within max bytes. */
static int
report_conf_text(const char *name, const char *value, size_t max,
    char *error, size_t errlen)
{
	size_t		len = strlen(value), at;
	uint32_t	cp;

	if (len > max) {
		snprintf(error, errlen, _("'%s' is longer than %zu bytes"),
		    name, max);
		return -1;
	}
	switch (text_check(value, len, 0, &at, &cp)) {
	case TEXT_OK:
		return 0;
	case TEXT_NOT_UTF8:
		snprintf(error, errlen, _("'%s' is not UTF-8 (byte %zu)"), name,
		    at + 1);
		return -1;
	default:
		snprintf(error, errlen, _("'%s' holds the invisible or control "
		    "character U+%04X"), name, (unsigned)cp);
		return -1;
	}
}

static int
report_conf_set(char **field, const char *value, char *error, size_t errlen)
{
	char	*copy;

	if ((copy = strdup(value)) == NULL) {
		snprintf(error, errlen, _("out of memory"));
		return -1;
	}
	free(*field);
	*field = copy;
	return 0;
}

int
report_conf_key(struct report_conf *rc, const char *name, const char *value,
    char *error, size_t errlen)
{
	size_t	 i;
	long	 n;
	char	*end;

	for (i = 0; i < REPORT_CONF_NTEXTS; i++) {
		if (strcmp(name, report_conf_names[i]) != 0)
			continue;
		if (report_conf_text(name, value, i == REPORT_CONF_SUBJECT ?
		    REPORT_CONF_MAX_SUBJECT : REPORT_CONF_MAX_TEXT, error,
		    errlen) == -1)
			return -1;
		if (value[0] == '\0' && i != REPORT_CONF_SIGNER_NAME &&
		    i != REPORT_CONF_SIGNER_AUTHORITY) {
			snprintf(error, errlen, _("'%s' is empty"), name);
			return -1;
		}
		return report_conf_set(&rc->text[i], value, error, errlen);
	}
	if (strcmp(name, "recipient") == 0) {
		if (rc->nrecipients == REPORT_CONF_MAX_RECIPIENTS) {
			snprintf(error, errlen, _("more than %d recipients"),
			    REPORT_CONF_MAX_RECIPIENTS);
			return -1;
		}
		if (value[0] == '\0') {
			snprintf(error, errlen, _("'recipient' is empty"));
			return -1;
		}
		if (report_conf_text(name, value, REPORT_CONF_MAX_TEXT, error,
		    errlen) == -1 ||
		    report_conf_set(&rc->recipients[rc->nrecipients], value,
		    error, errlen) == -1)
			return -1;
		rc->nrecipients++;
		return 0;
	}
	if (strcmp(name, "highlights") == 0) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || *end != '\0' ||
		    errno != 0 || n > REPORT_CONF_MAX_HIGHLIGHTS) {
			snprintf(error, errlen, _("bad highlights '%s': give a "
			    "number from 0 to %d"), value,
			    REPORT_CONF_MAX_HIGHLIGHTS);
			return -1;
		}
		rc->highlights = (int)n;
		return 0;
	}
	if (strcmp(name, "gp_report") == 0) {
		if (value[0] != '/') {
			snprintf(error, errlen, _("'gp_report' must be an "
			    "absolute path"));
			return -1;
		}
		return report_conf_set(&rc->gp_report, value, error, errlen);
	}
	snprintf(error, errlen, _("unknown key '%s' in [report]: use "
	    "parent_body, body, body_name, number, place, subject, "
	    "signer_authority, signer_title, signer_name, recipient, "
	    "highlights or gp_report"), name);
	return -1;
}

json_t *
report_conf_document(const struct report_conf *rc, const char *date)
{
	json_t	*o, *a;
	size_t	 i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < REPORT_CONF_NTEXTS; i++)
		if (rc->text[i] != NULL && json_object_set_new(o,
		    report_conf_names[i], json_string(rc->text[i])) == -1)
			goto fail;
	if (rc->nrecipients > 0) {
		if ((a = json_array()) == NULL ||
		    json_object_set_new(o, "recipients", a) == -1)
			goto fail;
		for (i = 0; i < rc->nrecipients; i++)
			if (json_array_append_new(a,
			    json_string(rc->recipients[i])) == -1)
				goto fail;
	}
	if (rc->highlights >= 0 && json_object_set_new(o, "highlights",
	    json_integer(rc->highlights)) == -1)
		goto fail;
	if (date != NULL && json_object_set_new(o, "date",
	    json_string(date)) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}
