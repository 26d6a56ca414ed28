/*
 * gp-client's output primitives, used by every printer (output, admin,
 * export, proof): safe text, JSON text, and tables.
 *
 * Text from the server or from a report is never printed raw: control
 * characters, invisible ones (bidi controls, zero width, tags: text.h)
 * and bytes that are not UTF-8 are shown as '?' in tables, lines and CSV,
 * and escaped (\uXXXX; U+FFFD for a bad byte) in JSON, so that neither
 * can drive the terminal or hide what it shows.
 *
 * A table has fixed columns, so that rows can be printed as they arrive
 * from the server: each cell is fitted to its column by display width
 * (what a terminal shows, not bytes: Vietnamese in precomposed or
 * decomposed form lines up), padded or cut with "…". In CSV mode the
 * same rows are RFC 4180 records, whole.
 */
#ifndef GP_FMT_H
#define GP_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

enum fmt_align {
	FMT_LEFT = 0,
	FMT_RIGHT		/* numbers */
};

#define FMT_MAX_COLUMNS	32

struct fmt_column {
	const char	*header;
	size_t		 width;		/* display cells; 0: unbounded */
	int		 align;		/* enum fmt_align */
};

/* CSV options. */
#define FMT_CSV	0x01	/* CSV records instead of aligned text */
#define FMT_CSV_BOM	0x02	/* a UTF-8 byte order mark first (Excel) */

struct fmt_table {
	FILE				*f;
	const struct fmt_column	*columns;
	size_t				 ncolumns;
	size_t				 widths[FMT_MAX_COLUMNS];
	int				 flags;
	int				 started;	/* header printed */
};

/*
 * Sets t up; nothing is printed until fmt_table_header or the first row.
 * Columns past FMT_MAX_COLUMNS are left out. A text table shows each
 * header in the reader's language (headers are marked N_() where the
 * columns are declared: lower case, as every table of gp-client), its
 * column widened to fit it; CSV keeps the header as declared, for the
 * programs that read it.
 */
void	 fmt_table_init(struct fmt_table *t, FILE *f, const struct fmt_column *,
	    size_t ncolumns, int flags);

/* The header row, once (later calls do nothing). */
void	 fmt_table_header(struct fmt_table *t);

/* One row of ncolumns cells (NULL is an empty cell); prints the header
 * first if it was not printed yet. Returns 0, or -1 when f has failed. */
int	 fmt_table_row(struct fmt_table *t, const char *const *cells);

/* Display width of s as table mode prints it (a bad byte is one '?'). */
size_t	 fmt_width(const char *s);

/*
 * Prints s in exactly width display cells (when width > 0): padded on the
 * side align says, or cut to width - 1 cells and "…" when it is wider.
 * Combining marks stay with the letter they follow. width 0: s whole,
 * made safe.
 */
void	 fmt_put(FILE *f, const char *s, size_t width, int align);

/* One line on f: the formatted text made safe, then a newline. */
void	 fmt_line(FILE *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Each line of a multi-line text, after indent, made safe (CR dropped). */
void	 fmt_paragraph(FILE *f, const char *indent, const char *s);

/* A JSON string of s, or null for NULL; a byte that is not UTF-8 becomes
 * U+FFFD (text_repair) rather than failing the answer. Control and
 * invisible characters stay: fmt_json_dumpf escapes them. NULL when out
 * of memory. */
json_t	*fmt_json_text(const char *s);

/*
 * o as JSON text (json_dumps flags) on f, every control and invisible
 * character escaped as \uXXXX: the same JSON value, and nothing in it
 * that can drive a terminal or hide text (text.h). Every JSON gp-client
 * writes goes through here. Returns 0, or -1 when out of memory or f
 * failed.
 */
int	 fmt_json_dumpf(const json_t *o, FILE *f, size_t flags);

/* The same for JSON text made by json_dumps (part of a value). */
int	 fmt_json_write(FILE *f, const char *json);

/*
 * A copy of s for a file format that cannot carry every byte (XML, JSON):
 * bytes that are not UTF-8 and control characters become '?', except TAB
 * and LF; CR is dropped (CRLF becomes LF). NULL when out of memory.
 */
char	*fmt_clean(const char *s);

/*
 * One CSV field (RFC 4180), made safe as fmt_clean makes it (a cell may
 * keep its TABs and lines): quoted when it holds a comma, a quote or LF,
 * with quotes doubled. A field starting with = + - @ or TAB gets a leading
 * ' so that a spreadsheet takes it for text, not a formula.
 */
void	 fmt_csv_field(FILE *f, const char *s);

/* A whole CSV record of n fields, ended by CRLF. */
void	 fmt_csv_record(FILE *f, const char *const *fields, size_t n);

#endif
