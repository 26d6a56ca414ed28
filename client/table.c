/*
 * Tables by display width (table.h). Widths and what is safe to show
 * come from text.h (utf8proc's tables), not wcwidth(3): the result must
 * not depend on the user's locale, and the text is always UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "table.h"

#define TABLE_GAP	"  "
#define TABLE_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026, one cell wide */
#define TABLE_BOM	"\xef\xbb\xbf"

/* The next character of s as printed: its bytes (or "?"), their length
 * in s and its width. */
struct table_char {
	const char	*bytes;
	size_t		 nbytes;	/* to print */
	size_t		 len;		/* consumed in s */
	int		 width;
};

static void
table_next(const char *s, struct table_char *ch)
{
	struct text_char	tc;

	text_next(s, &tc);
	ch->len = tc.len;
	if (!tc.valid || tc.kind != TEXT_VISIBLE) {
		ch->bytes = "?";
		ch->nbytes = 1;
		ch->width = 1;
		return;
	}
	ch->bytes = s;
	ch->nbytes = ch->len;
	ch->width = tc.width;
}

size_t
table_width(const char *s)
{
	struct table_char	ch;
	size_t			w = 0;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		table_next(s, &ch);
		w += (size_t)ch.width;
		s += ch.len;
	}
	return w;
}

static void
table_pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* Prints s up to width cells; returns the cells printed. */
static size_t
table_print(FILE *f, const char *s, size_t width)
{
	struct table_char	ch;
	size_t			w = 0;

	while (*s != '\0') {
		table_next(s, &ch);
		if (w + (size_t)ch.width > width)
			break;
		fwrite(ch.bytes, 1, ch.nbytes, f);
		w += (size_t)ch.width;
		s += ch.len;
	}
	return w;
}

void
table_put(FILE *f, const char *s, size_t width, int align)
{
	size_t	w, shown;

	if (s == NULL)
		s = "";
	if (width == 0) {
		table_print(f, s, SIZE_MAX);
		return;
	}
	if ((w = table_width(s)) <= width) {
		if (align == TABLE_RIGHT)
			table_pad(f, width - w);
		table_print(f, s, w);
		if (align != TABLE_RIGHT)
			table_pad(f, width - w);
		return;
	}
	/* Too wide: as much as fits before the ellipsis. A wide letter that
	 * would straddle the edge leaves a space instead. */
	shown = table_print(f, s, width - 1);
	fputs(TABLE_ELLIPSIS, f);
	table_pad(f, width - 1 - shown);
}

char *
table_clean(const char *s)
{
	struct text_char	 ch;
	char			*out, *o;

	/* Never longer than s: a bad byte becomes one '?'. */
	if ((out = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (o = out; *s != '\0'; s += ch.len) {
		text_next(s, &ch);
		if (ch.valid && ch.cp == '\r')
			continue;
		if (!ch.valid || (ch.kind != TEXT_VISIBLE && ch.cp != '\t' &&
		    ch.cp != '\n'))
			*o++ = '?';
		else {
			memcpy(o, s, ch.len);
			o += ch.len;
		}
	}
	*o = '\0';
	return out;
}

void
table_csv_field(FILE *f, const char *s)
{
	const char	*p;
	int		 quote;

	if (s == NULL || *s == '\0')
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (strchr("=+-@\t\r", *s) != NULL)
		fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
}

void
table_csv_record(FILE *f, const char *const *fields, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		table_csv_field(f, fields[i]);
	}
	fputs("\r\n", f);
}

void
table_init(struct table *t, FILE *f, const struct table_column *columns,
    size_t ncolumns, int flags)
{
	t->f = f;
	t->columns = columns;
	t->ncolumns = ncolumns < TABLE_MAX_COLUMNS ? ncolumns :
	    TABLE_MAX_COLUMNS;
	t->flags = flags;
	t->started = 0;
}

/* A text row without trailing blanks: it ends with its last cell that
 * is not empty, unpadded when left-aligned. */
static void
table_text_row(struct table *t, const char *const *cells)
{
	const struct table_column	*c;
	size_t				 i, n, width;

	for (n = t->ncolumns; n > 1 && cells[n - 1][0] == '\0'; n--)
		;
	for (i = 0; i < n; i++) {
		c = &t->columns[i];
		width = c->width;
		if (i > 0)
			fputs(TABLE_GAP, t->f);
		if (i == n - 1 && c->align != TABLE_RIGHT && width > 0 &&
		    table_width(cells[i]) < width)
			width = 0;
		table_put(t->f, cells[i], width, c->align);
	}
	fputc('\n', t->f);
}

void
table_header(struct table *t)
{
	const char	*headers[TABLE_MAX_COLUMNS];
	size_t		 i;

	if (t->started)
		return;
	t->started = 1;
	for (i = 0; i < t->ncolumns; i++)
		headers[i] = t->columns[i].header;
	if (t->flags & TABLE_CSV) {
		if (t->flags & TABLE_CSV_BOM)
			fputs(TABLE_BOM, t->f);
		table_csv_record(t->f, headers, t->ncolumns);
	} else
		table_text_row(t, headers);
}

int
table_row(struct table *t, const char *const *cells)
{
	const char	*row[TABLE_MAX_COLUMNS];
	size_t		 i;

	table_header(t);
	for (i = 0; i < t->ncolumns; i++)
		row[i] = cells[i] != NULL ? cells[i] : "";
	if (t->flags & TABLE_CSV)
		table_csv_record(t->f, row, t->ncolumns);
	else
		table_text_row(t, row);
	return ferror(t->f) ? -1 : 0;
}
