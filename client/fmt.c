/*
 * Output primitives (fmt.h). Widths and what is safe to show come from
 * text.h (utf8proc's tables), not wcwidth(3): the result must not depend
 * on the user's locale, and the text is always UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libintl.h>

#include "text.h"
#include "fmt.h"

#define FMT_GAP	"  "
#define FMT_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026, one cell wide */
#define FMT_BOM	"\xef\xbb\xbf"

/* The next character of s as printed: its bytes (or "?"), their length
 * in s and its width. */
struct fmt_char {
	const char	*bytes;
	size_t		 nbytes;	/* to print */
	size_t		 len;		/* consumed in s */
	int		 width;
};

static void
fmt_next(const char *s, struct fmt_char *ch)
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
fmt_width(const char *s)
{
	struct fmt_char	ch;
	size_t			w = 0, run;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		s += text_visible(s, SIZE_MAX, &run);
		w += run;
		if (*s == '\0')
			break;
		fmt_next(s, &ch);
		w += (size_t)ch.width;
		s += ch.len;
	}
	return w;
}

static void
fmt_pad(FILE *f, size_t n)
{
	static const char	spaces[] = "                                ";
	size_t			k;

	for (; n > 0; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, f);
	}
}

/* Prints s up to width cells; returns the cells printed. What is shown
 * as it is goes out in runs, each character that is not as '?'. */
static size_t
fmt_print(FILE *f, const char *s, size_t width)
{
	struct fmt_char	ch;
	size_t			w = 0, n, run;

	while (*s != '\0') {
		if ((n = text_visible(s, width - w, &run)) > 0) {
			fwrite(s, 1, n, f);
			w += run;
			s += n;
			continue;
		}
		fmt_next(s, &ch);
		if (w + (size_t)ch.width > width)
			break;
		fwrite(ch.bytes, 1, ch.nbytes, f);
		w += (size_t)ch.width;
		s += ch.len;
	}
	return w;
}

void
fmt_put(FILE *f, const char *s, size_t width, int align)
{
	size_t	w, shown, n;

	if (s == NULL)
		s = "";
	/* Most cells: safe through to the end, and they fit. */
	n = text_visible(s, width == 0 ? SIZE_MAX : width, &w);
	if (s[n] == '\0') {
		if (align == FMT_RIGHT && width > 0)
			fmt_pad(f, width - w);
		fwrite(s, 1, n, f);
		if (align != FMT_RIGHT && width > 0)
			fmt_pad(f, width - w);
		return;
	}
	if (width == 0) {
		fmt_print(f, s, SIZE_MAX);
		return;
	}
	if ((w = fmt_width(s)) <= width) {
		if (align == FMT_RIGHT)
			fmt_pad(f, width - w);
		fmt_print(f, s, w);
		if (align != FMT_RIGHT)
			fmt_pad(f, width - w);
		return;
	}
	/* Too wide: as much as fits before the ellipsis. A wide letter that
	 * would straddle the edge leaves a space instead. */
	shown = fmt_print(f, s, width - 1);
	fputs(FMT_ELLIPSIS, f);
	fmt_pad(f, width - 1 - shown);
}

char *
fmt_clean(const char *s)
{
	struct text_char	 ch;
	char			*out, *o;
	size_t			 n, run;

	/* Never longer than s: a bad byte becomes one '?'. */
	if ((out = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (o = out; *s != '\0'; s += ch.len) {
		n = text_visible(s, SIZE_MAX, &run);
		memcpy(o, s, n);
		o += n;
		s += n;
		if (*s == '\0')
			break;
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
fmt_line(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	fmt_put(f, s != NULL ? s : "(out of memory)", 0, FMT_LEFT);
	fputc('\n', f);
	free(s);
}

void
fmt_paragraph(FILE *f, const char *indent, const char *s)
{
	const char	*nl;
	char		*line;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		line = nl != NULL ? strndup(s, (size_t)(nl - s)) : strdup(s);
		if (line != NULL) {
			if (line[0] != '\0' && line[strlen(line) - 1] == '\r')
				line[strlen(line) - 1] = '\0';
			fputs(indent, f);
			fmt_put(f, line, 0, FMT_LEFT);
			fputc('\n', f);
			free(line);
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
}

json_t *
fmt_json_text(const char *s)
{
	json_t	*j;
	char	*fixed;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((fixed = text_repair(s, strlen(s))) == NULL)
		return NULL;
	j = json_string(fixed);
	free(fixed);
	return j;
}

/* \uXXXX of a code point, as a surrogate pair past U+FFFF. */
static void
fmt_json_escape(FILE *f, uint32_t cp)
{
	if (cp > 0xffff) {
		cp -= 0x10000;
		fprintf(f, "\\u%04X\\u%04X", (unsigned int)(0xd800 + (cp >> 10)),
		    (unsigned int)(0xdc00 + (cp & 0x3ff)));
	} else
		fprintf(f, "\\u%04X", (unsigned int)cp);
}

int
fmt_json_write(FILE *f, const char *json)
{
	struct text_char	 ch;
	const char		*s, *run;

	for (s = run = json; *s != '\0'; s += ch.len) {
		if ((unsigned char)*s < 0x7f) {
			ch.len = 1;
			continue;
		}
		text_next(s, &ch);
		if (ch.valid && ch.kind == TEXT_VISIBLE)
			continue;
		fwrite(run, 1, (size_t)(s - run), f);
		/* jansson writes only UTF-8, and non-ASCII only inside
		 * strings: each one escaped is the same string. */
		fmt_json_escape(f, ch.valid ? ch.cp : 0xfffd);
		run = s + ch.len;
	}
	fwrite(run, 1, (size_t)(s - run), f);
	return ferror(f) ? -1 : 0;
}

int
fmt_json_dumpf(const json_t *o, FILE *f, size_t flags)
{
	char	*s;
	int	 rv;

	if (o == NULL || (s = json_dumps(o, flags)) == NULL)
		return -1;
	rv = fmt_json_write(f, s);
	free(s);
	return rv;
}

/* "-12", "-3.5": a negative number, which a spreadsheet reads as one and
 * never as a formula (a change between two periods). */
static int
fmt_negative_number(const char *s)
{
	size_t	n;

	if (*s++ != '-' || (n = strspn(s, "0123456789")) == 0)
		return 0;
	s += n;
	if (*s == '.' && (n = strspn(s + 1, "0123456789")) > 0)
		s += n + 1;
	return *s == '\0';
}

void
fmt_csv_field(FILE *f, const char *s)
{
	const char	*clean, *p, *q;
	char		*made = NULL;
	size_t		 run;
	int		 quote;

	if (s == NULL || *s == '\0')
		return;
	/* The same text a table shows, but whole: a cell may hold lines.
	 * Most cells are shown as they are, and need no copy. */
	if (s[text_visible(s, SIZE_MAX, &run)] == '\0')
		clean = s;
	else if ((clean = made = fmt_clean(s)) == NULL) {
		fputc('?', f);
		return;
	}
	quote = strpbrk(clean, ",\"\n") != NULL;
	if (quote)
		fputc('"', f);
	if (strchr("=+-@\t", *clean) != NULL && *clean != '\0' &&
	    !fmt_negative_number(clean))
		fputc('\'', f);
	/* Each quote doubled. */
	for (p = clean; (q = strchr(p, '"')) != NULL; p = q + 1) {
		fwrite(p, 1, (size_t)(q - p) + 1, f);
		fputc('"', f);
	}
	fputs(p, f);
	if (quote)
		fputc('"', f);
	free(made);
}

void
fmt_csv_record(FILE *f, const char *const *fields, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		fmt_csv_field(f, fields[i]);
	}
	fputs("\r\n", f);
}

/* A column's header as the table prints it: "" stays "" (gettext("")
 * is the catalogue's header). */
static const char *
fmt_header(const struct fmt_column *c, int flags)
{
	if ((flags & FMT_CSV) || c->header == NULL || c->header[0] == '\0')
		return c->header;
	return gettext(c->header);
}

void
fmt_table_init(struct fmt_table *t, FILE *f, const struct fmt_column *columns,
    size_t ncolumns, int flags)
{
	size_t	i, w;

	t->f = f;
	t->columns = columns;
	t->ncolumns = ncolumns < FMT_MAX_COLUMNS ? ncolumns :
	    FMT_MAX_COLUMNS;
	t->flags = flags;
	t->started = 0;
	for (i = 0; i < t->ncolumns; i++) {
		t->widths[i] = columns[i].width;
		if (!(flags & FMT_CSV) && t->widths[i] > 0 &&
		    (w = fmt_width(fmt_header(&columns[i], flags))) >
		    t->widths[i])
			t->widths[i] = w;
	}
}

/* A text row without trailing blanks: it ends with its last cell that
 * is not empty, unpadded when left-aligned. */
static void
fmt_table_text_row(struct fmt_table *t, const char *const *cells)
{
	const struct fmt_column	*c;
	size_t				 i, n, width;

	for (n = t->ncolumns; n > 1 && cells[n - 1][0] == '\0'; n--)
		;
	for (i = 0; i < n; i++) {
		c = &t->columns[i];
		width = t->widths[i];
		if (i > 0)
			fputs(FMT_GAP, t->f);
		if (i == n - 1 && c->align != FMT_RIGHT && width > 0 &&
		    fmt_width(cells[i]) < width)
			width = 0;
		fmt_put(t->f, cells[i], width, c->align);
	}
	fputc('\n', t->f);
}

void
fmt_table_header(struct fmt_table *t)
{
	const char	*headers[FMT_MAX_COLUMNS];
	size_t		 i;

	if (t->started)
		return;
	t->started = 1;
	for (i = 0; i < t->ncolumns; i++)
		headers[i] = fmt_header(&t->columns[i], t->flags);
	if (t->flags & FMT_CSV) {
		if (t->flags & FMT_CSV_BOM)
			fputs(FMT_BOM, t->f);
		fmt_csv_record(t->f, headers, t->ncolumns);
	} else
		fmt_table_text_row(t, headers);
}

int
fmt_table_row(struct fmt_table *t, const char *const *cells)
{
	const char	*row[FMT_MAX_COLUMNS];
	size_t		 i;

	/* The stream's lock taken once for the row, not on each of its
	 * writes: a national list is 100,000 rows. */
	flockfile(t->f);
	fmt_table_header(t);
	for (i = 0; i < t->ncolumns; i++)
		row[i] = cells[i] != NULL ? cells[i] : "";
	if (t->flags & FMT_CSV)
		fmt_csv_record(t->f, row, t->ncolumns);
	else
		fmt_table_text_row(t, row);
	funlockfile(t->f);
	return ferror(t->f) ? -1 : 0;
}
