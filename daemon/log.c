/*
 * Logging to standard error, one line per event: a level, then the text
 * with key=value fields. systemd's journal captures standard error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

static int	log_verbose;

static void	log_vwrite(const char *, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

void
log_init(int foreground, int verbose)
{
	(void)foreground;
	log_verbose = verbose;
	/* Line-buffered so a journal or a test reading the log sees whole
	 * lines as they happen. */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

static void
log_vwrite(const char *level, int err, const char *fmt, va_list ap)
{
	char	buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (err != 0)
		fprintf(stderr, "%s: %s: %s\n", level, buf, strerror(err));
	else
		fprintf(stderr, "%s: %s\n", level, buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite("warning", saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("warning", 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("info", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite("debug", 0, fmt, ap);
	va_end(ap);
}

/* One character of a peer's value as it goes into a quoted value: the
 * number of bytes put in piece (at most 16). */
static size_t
log_piece(const char *s, const struct text_char *ch, char *piece)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			n = 0, i;

	if (ch->valid && ch->kind == TEXT_VISIBLE) {
		if (*s == '"' || *s == '\\')
			piece[n++] = '\\';
		memcpy(piece + n, s, ch->len);
		return n + ch->len;
	}
	for (i = 0; i < ch->len; i++) {
		piece[n++] = '\\';
		piece[n++] = 'x';
		piece[n++] = hex[(unsigned char)s[i] >> 4];
		piece[n++] = hex[(unsigned char)s[i] & 0xf];
	}
	return n;
}

const char *
log_quote(char *buf, size_t len, const char *s)
{
	struct text_char	 ch;
	const char		*p;
	char			 piece[16];
	size_t			 at = 0, n, need = 0;
	int			 cut;

	if (s == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (len < 8) {
		snprintf(buf, len, "\"\"");
		return buf;
	}
	/* Whether it must be cut: then room for "..." is kept throughout
	 * (at + 5 <= len), so that the cut can say so. */
	for (p = s; *p != '\0' && need + 3 <= len; p += ch.len) {
		text_next(p, &ch);
		need += log_piece(p, &ch, piece);
	}
	cut = need + 3 > len;
	buf[at++] = '"';
	for (p = s; *p != '\0'; p += ch.len) {
		text_next(p, &ch);
		n = log_piece(p, &ch, piece);
		if (at + n + (cut ? 5 : 2) > len) {
			memcpy(buf + at, "...", 3);
			at += 3;
			break;
		}
		memcpy(buf + at, piece, n);
		at += n;
	}
	buf[at++] = '"';
	buf[at] = '\0';
	return buf;
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("fatal", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
