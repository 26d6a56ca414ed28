/*
 * Tables for people and for spreadsheets. A table has fixed columns, so
 * that rows can be printed as they arrive from the server: each cell is
 * fitted to its column by display width (what a terminal shows, not
 * bytes: Vietnamese in precomposed or decomposed form lines up), padded
 * or cut with "…". In CSV mode the same rows are RFC 4180 records, whole.
 *
 * Text cells come from the server or from reports: in table mode control
 * characters and bytes that are not UTF-8 are shown as '?', so that
 * neither can drive the terminal.
 */
#ifndef GP_TABLE_H
#define GP_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum table_align {
	TABLE_LEFT = 0,
	TABLE_RIGHT		/* numbers */
};

#define TABLE_MAX_COLUMNS	32

struct table_column {
	const char	*header;
	size_t		 width;		/* display cells; 0: unbounded */
	int		 align;		/* enum table_align */
};

/* CSV options. */
#define TABLE_CSV	0x01	/* CSV records instead of aligned text */
#define TABLE_CSV_BOM	0x02	/* a UTF-8 byte order mark first (Excel) */

struct table {
	FILE				*f;
	const struct table_column	*columns;
	size_t				 ncolumns;
	int				 flags;
	int				 started;	/* header printed */
};

/* Sets t up; nothing is printed until table_header or the first row.
 * Columns past TABLE_MAX_COLUMNS are left out. */
void	 table_init(struct table *t, FILE *f, const struct table_column *,
	    size_t ncolumns, int flags);

/* The header row, once (later calls do nothing). */
void	 table_header(struct table *t);

/* One row of ncolumns cells (NULL is an empty cell); prints the header
 * first if it was not printed yet. Returns 0, or -1 when f has failed. */
int	 table_row(struct table *t, const char *const *cells);

/* Display width of s as table mode prints it (a bad byte is one '?'). */
size_t	 table_width(const char *s);

/*
 * Prints s in exactly width display cells (when width > 0): padded on the
 * side align says, or cut to width - 1 cells and "…" when it is wider.
 * Combining marks stay with the letter they follow. width 0: s whole,
 * made safe.
 */
void	 table_put(FILE *f, const char *s, size_t width, int align);

/*
 * A copy of s for a file format that cannot carry every byte (XML, JSON):
 * bytes that are not UTF-8 and control characters become '?', except TAB
 * and LF; CR is dropped (CRLF becomes LF). NULL when out of memory.
 */
char	*table_clean(const char *s);

/*
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or
 * LF, with quotes doubled. A field starting with = + - @ TAB or CR gets a
 * leading ' so that a spreadsheet takes it for text, not a formula.
 */
void	 table_csv_field(FILE *f, const char *s);

/* A whole CSV record of n fields, ended by CRLF. */
void	 table_csv_record(FILE *f, const char *const *fields, size_t n);

#endif
