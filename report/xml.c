/*
 * The XML writer (xml.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#define XML_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

struct xml {
	FILE		*f;
	const char	*stack[XML_MAX_DEPTH];
	size_t		 depth;
	const char	*error;
};

struct xml *
xml_new(FILE *f)
{
	struct xml	*x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->f = f;
	return x;
}

void
xml_free(struct xml *x)
{
	free(x);
}

int
xml_finish(struct xml *x, const char **errstr)
{
	int	 rc = 0;

	if (x->error == NULL && x->depth != 0)
		x->error = "an element was left open";
	if (x->error == NULL && ferror(x->f))
		x->error = "write error";
	if (x->error != NULL) {
		*errstr = x->error;
		rc = -1;
	}
	xml_free(x);
	return rc;
}

/*
 * Length of the character at s (n bytes left): the length of a
 * well-formed UTF-8 sequence, or 1 for a byte that starts none (overlongs,
 * surrogates and values past U+10FFFF are not well-formed). *ok says
 * whether XML may hold it: not the C0 controls but tab, newline and
 * carriage return, not DEL or the C1 controls, not U+FFFE or U+FFFF.
 */
static size_t
xml_char(const unsigned char *s, size_t n, int *ok)
{
	size_t	len, i;

	*ok = 0;
	if (s[0] < 0x80) {
		*ok = (s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r') && s[0] != 0x7f;
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 1;
	if (n < len)
		return 1;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 1;
	*ok = !(s[0] == 0xc2 && s[1] < 0xa0) &&
	    !(s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf));
	return len;
}

size_t
xml_escape(FILE *out, const char *s, size_t n, int attr)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len, start, i, bad = 0;
	int			 ok;

	start = 0;
	i = 0;
	while (i < n) {
		const char	*rep = NULL;

		len = xml_char(p + i, n - i, &ok);
		if (!ok) {
			/* One replacement for one character, or one byte
			 * that is none. */
			rep = XML_REPLACEMENT;
			bad++;
		} else if (p[i] == '&')
			rep = "&amp;";
		else if (p[i] == '<')
			rep = "&lt;";
		else if (p[i] == '>')
			rep = "&gt;";
		else if (attr && p[i] == '"')
			rep = "&quot;";
		else if (attr && p[i] == '\t')
			rep = "&#9;";
		else if (attr && p[i] == '\n')
			rep = "&#10;";
		else if (p[i] == '\r')
			rep = "&#13;";
		if (rep != NULL) {
			fwrite(p + start, 1, i - start, out);
			fputs(rep, out);
			start = i + len;
		}
		i += len;
	}
	fwrite(p + start, 1, n - start, out);
	return bad;
}

void
xml_declaration(struct xml *x)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
	    x->f);
}

static void
xml_tag(struct xml *x, const char *name, va_list ap, int empty)
{
	const char	*k, *v;

	fputc('<', x->f);
	fputs(name, x->f);
	while ((k = va_arg(ap, const char *)) != NULL) {
		if ((v = va_arg(ap, const char *)) == NULL) {
			x->error = "attribute without a value";
			break;
		}
		fprintf(x->f, " %s=\"", k);
		xml_escape(x->f, v, strlen(v), 1);
		fputc('"', x->f);
	}
	fputs(empty ? "/>" : ">", x->f);
}

void
xml_start(struct xml *x, const char *name, ...)
{
	va_list	ap;

	if (x->depth == XML_MAX_DEPTH) {
		x->error = "elements nested too deep";
		return;
	}
	va_start(ap, name);
	xml_tag(x, name, ap, 0);
	va_end(ap);
	x->stack[x->depth++] = name;
}

void
xml_empty(struct xml *x, const char *name, ...)
{
	va_list	ap;

	va_start(ap, name);
	xml_tag(x, name, ap, 1);
	va_end(ap);
}

void
xml_end(struct xml *x)
{
	if (x->depth == 0) {
		x->error = "closing an element that was not opened";
		return;
	}
	fprintf(x->f, "</%s>", x->stack[--x->depth]);
}

void
xml_textn(struct xml *x, const char *s, size_t n)
{
	xml_escape(x->f, s, n, 0);
}

void
xml_text(struct xml *x, const char *s)
{
	xml_textn(x, s, strlen(s));
}
