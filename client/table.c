/*
 * Tables by display width (table.h). The width rules are our own, not
 * wcwidth(3): the result must not depend on the user's locale, and the
 * text is always UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define TABLE_GAP	"  "
#define TABLE_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026, one cell wide */
#define TABLE_BOM	"\xef\xbb\xbf"

struct table_range {
	uint32_t	from, to;
};

/* Combining marks: drawn on the letter before them. */
static const struct table_range table_zero[] = {
	{ 0x0300, 0x036f },	/* Combining Diacritical Marks: the tones */
	{ 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff },
	{ 0x200b, 0x200d },	/* zero width space, non-joiner, joiner */
	{ 0x20d0, 0x20ff },
	{ 0xfe00, 0xfe0f },	/* variation selectors */
	{ 0xfe20, 0xfe2f }
};

/* East Asian Wide and Fullwidth. */
static const struct table_range table_wide[] = {
	{ 0x1100, 0x115f },
	{ 0x231a, 0x231b },
	{ 0x2329, 0x232a },
	{ 0x2e80, 0x303e },
	{ 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff },
	{ 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 },
	{ 0xf900, 0xfaff },
	{ 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f },
	{ 0xff00, 0xff60 },
	{ 0xffe0, 0xffe6 },
	{ 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff },
	{ 0x20000, 0x2fffd },
	{ 0x30000, 0x3fffd }
};

static int
table_in(const struct table_range *r, size_t n, uint32_t cp)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid].from)
			hi = mid;
		else if (cp > r[mid].to)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
table_char_width(uint32_t cp)
{
	if (table_in(table_zero, sizeof(table_zero) / sizeof(table_zero[0]),
	    cp))
		return 0;
	if (table_in(table_wide, sizeof(table_wide) / sizeof(table_wide[0]),
	    cp))
		return 2;
	return 1;
}

size_t
table_utf8_decode(const char *str, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c, min;
	size_t			 len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		/* Also stops at the NUL: a truncated sequence. */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Whether cp is shown as '?': C0 and C1 controls, DEL, and the bidi
 * overrides and isolates, which would reorder what follows them.
 */
static int
table_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029;
}

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
	uint32_t	cp;

	if ((ch->len = table_utf8_decode(s, &cp)) == 0 || table_unsafe(cp)) {
		if (ch->len == 0)
			ch->len = 1;
		ch->bytes = "?";
		ch->nbytes = 1;
		ch->width = 1;
		return;
	}
	ch->bytes = s;
	ch->nbytes = ch->len;
	ch->width = table_char_width(cp);
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
	char		*out, *o;
	uint32_t	 cp;
	size_t		 len;

	/* Never longer than s: a bad byte becomes one '?'. */
	if ((out = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (o = out; *s != '\0'; s += len) {
		if ((len = table_utf8_decode(s, &cp)) == 0) {
			*o++ = '?';
			len = 1;
		} else if (cp == '\r')
			continue;
		else if (cp != '\t' && cp != '\n' && table_unsafe(cp))
			*o++ = '?';
		else {
			memcpy(o, s, len);
			o += len;
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
