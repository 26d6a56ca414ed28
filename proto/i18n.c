/*
 * The language of messages, and numbers and dates for the reader
 * (i18n.h).
 */
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnfmt.h"
#include "i18n.h"

#ifndef GP_LOCALEDIR
#define GP_LOCALEDIR	"/usr/local/share/locale"
#endif

/* A domain with no catalogue: gettext then returns every msgid. */
#define I18N_NO_DOMAIN	"gp-english"

static int	i18n_vi;	/* messages, numbers and dates: Vietnamese */

int
i18n_known(const char *name)
{
	return name != NULL && (strcmp(name, "vi") == 0 ||
	    strcmp(name, "en") == 0);
}

/* Whether the catalogue in use is Vietnamese: its header says so. */
static int
i18n_catalogue_vi(void)
{
	static const char	 header_id[] = "";
	const char		*header = gettext(header_id), *p;

	for (p = header; p != NULL && (p = strstr(p, "Language: ")) != NULL;
	    p++)
		if ((p == header || p[-1] == '\n') && strncmp(p + 10, "vi", 2)
		    == 0 && (p[12] == '\n' || p[12] == '_' || p[12] == '\0'))
			return 1;
	return 0;
}

void
i18n_init(const char *domain, const char *language)
{
	const char	*env, *dir, *messages;

	if (i18n_known(env = getenv(I18N_LANGUAGE_ENV)))
		language = env;
	/* LC_NUMERIC, LC_TIME and the rest stay "C" (see i18n.h). */
	setlocale(LC_CTYPE, "");
	messages = setlocale(LC_MESSAGES, "");
	if (language != NULL) {
		/* LANGUAGE picks the catalogue, in every locale but "C":
		 * there, C.UTF-8 (built into glibc) stands in. A locale
		 * that is set but not installed leaves "C" too. */
		setenv("LANGUAGE", language, 1);
		if (messages == NULL || strcmp(messages, "C") == 0 ||
		    strcmp(messages, "POSIX") == 0) {
			if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
				setlocale(LC_MESSAGES, "C.utf8");
		}
	}
	if ((dir = getenv(I18N_LOCALEDIR_ENV)) == NULL || dir[0] == '\0')
		dir = GP_LOCALEDIR;
	bindtextdomain(domain, dir);
	bind_textdomain_codeset(domain, "UTF-8");
	textdomain(domain);
	i18n_vi = i18n_catalogue_vi();
}

void
i18n_english(void)
{
	textdomain(I18N_NO_DOMAIN);
	i18n_vi = 0;
}

int
i18n_vietnamese(void)
{
	return i18n_vi;
}

const char *
i18n_pgettext(const char *ctx_msgid, const char *msgid)
{
	const char	*t = gettext(ctx_msgid);

	return t == ctx_msgid ? msgid : t;
}

const char *
i18n_text(const char *msgid)
{
	if (msgid == NULL || msgid[0] == '\0')
		return msgid;
	return gettext(msgid);
}

const char *
i18n_int(char *buf, size_t len, uint64_t n)
{
	if (i18n_vi)
		return vnfmt_int(buf, len, n);
	snprintf(buf, len, "%" PRIu64, n);
	return buf;
}

const char *
i18n_share(char *buf, size_t len, uint64_t part, uint64_t whole)
{
	uint64_t	tenths;

	if (whole == 0) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	/* Rounded half up, as the JSON answers round it; counts are far
	 * below 2^54. */
	tenths = (part * 1000 + whole / 2) / whole;
	if (i18n_vi)
		return vnfmt_tenths(buf, len, (long)tenths, 0);
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
	return buf;
}

/* snprintf(buf, len, "%s", s) without printf's machinery: a national
 * list shows 300,000 dates. */
static void
i18n_copy(char *buf, size_t len, const char *s)
{
	size_t	n = strlen(s);

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

const char *
i18n_date(char *buf, size_t len, const char *iso)
{
	if (iso == NULL)
		iso = "";
	if (!i18n_vi || vnfmt_date(buf, len, iso) == NULL)
		i18n_copy(buf, len, iso);
	return buf;
}

const char *
i18n_when(char *buf, size_t len, const char *rfc3339)
{
	char	day[11], date[VNFMT_MAX];

	if (rfc3339 == NULL)
		rfc3339 = "";
	if (strlen(rfc3339) < 16 || rfc3339[10] != 'T') {
		snprintf(buf, len, "%s", rfc3339);
		return buf;
	}
	memcpy(day, rfc3339, 10);
	day[10] = '\0';
	snprintf(buf, len, "%s %.5s", i18n_date(date, sizeof(date), day),
	    rfc3339 + 11);
	return buf;
}
