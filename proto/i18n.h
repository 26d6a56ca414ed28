/*
 * The language gp-client, gpd and gp-ca speak to a person (i18n.c): GNU
 * gettext catalogues, one a program, each in that program's package:
 * $(PREFIX)/share/locale/vi/LC_MESSAGES/gp-client.mo, gpd.mo and
 * gp-ca.mo, all made from po/vi.po; and the numbers and dates shown
 * beside them.
 *
 * Wrap every message a person reads in _() (N_() where the string sits in
 * a table and is translated where it is printed), and never what a
 * program reads: --json, CSV headers and codes, log lines, protocol
 * codes. po/README says how to add a message and what `make check-po`
 * checks.
 *
 * The language follows the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG),
 * or what i18n_init is given ("vi" or "en"), or $GP_LANGUAGE before both.
 * A forced language works on a machine without that locale (an office PC
 * in C.UTF-8): messages then use C.UTF-8, which glibc always has, and
 * LANGUAGE, which gettext ignores only in the plain "C" locale. Only
 * LC_CTYPE and LC_MESSAGES follow the locale: LC_NUMERIC stays "C", so
 * that printf writes 47.2 in JSON and CSV whatever the language.
 * Translations are always UTF-8.
 */
#ifndef GP_I18N_H
#define GP_I18N_H

#include <stddef.h>
#include <stdint.h>

#include <libintl.h>

#define I18N_GP_CLIENT		"gp-client"	/* the domains */
#define I18N_GPD		"gpd"
#define I18N_LOCALEDIR_ENV	"GP_LOCALEDIR"	/* a build's .mo */
#define I18N_LANGUAGE_ENV	"GP_LANGUAGE"	/* vi or en, first */

#define _(msgid)	gettext(msgid)
#define N_(msgid)	msgid
/* Words that stay as they are on purpose, where po/lint-messages.py looks
 * for messages: a file's contents, text sent to other programs. */
#define U_(text)	text
/* A word that means two things in English gets a context: C_("doctor
 * check", "key") is not C_("period", "lock"). */
#define C_(context, msgid)	i18n_pgettext(context "\004" msgid, msgid)

/* Whether name is a language i18n_init takes: "vi" or "en". */
int	 i18n_known(const char *name);

/*
 * Sets the language of the program whose catalogue is domain up; call
 * before the first message, and again when the configuration names one.
 * language: "vi", "en", or NULL to follow the locale; $GP_LANGUAGE, when
 * set to vi or en, wins over it. Never fails: without a catalogue,
 * messages are English.
 */
void	 i18n_init(const char *domain, const char *language);

/* From here on English messages and plain numbers: for a run whose output
 * a program reads (--json, --csv), so that it is the same in every
 * language. */
void	 i18n_english(void);

/* Whether messages are in Vietnamese: the catalogue in use says so. */
int	 i18n_vietnamese(void);

/* gettext of "CONTEXT\004MSGID", or msgid without a translation. */
const char	*i18n_pgettext(const char *ctx_msgid, const char *msgid);

/* gettext of a string from a table: "" and NULL stay what they are
 * (gettext("") is the catalogue's header). */
const char	*i18n_text(const char *msgid);

/*
 * Numbers and dates as the reader's language writes them: 1.745, 47,2 and
 * 10/6/2022 in Vietnamese (vnfmt.h); 1745, 47.2 and 2022-06-10 otherwise,
 * and always after i18n_english. Each returns buf.
 */
#define I18N_MAX	64
const char	*i18n_int(char *buf, size_t len, uint64_t);
/* part/whole in percent with one decimal, no sign; "" when whole is 0 */
const char	*i18n_share(char *buf, size_t len, uint64_t part,
		    uint64_t whole);
/* "2022-06-10"; anything that is not a date comes back as it is */
const char	*i18n_date(char *buf, size_t len, const char *iso);
/* RFC 3339 "2026-11-29T03:10:11Z" as "2026-11-29 03:10" or
 * "29/11/2026 03:10"; anything else as it is */
const char	*i18n_when(char *buf, size_t len, const char *rfc3339);

#endif
