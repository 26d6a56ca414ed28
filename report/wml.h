/*
 * WordprocessingML (ECMA-376 part 1, 17): the markup of the document body
 * and of the page headers, written through the XML writer. Properties are
 * passed as structures and written in the order the schema requires (Word
 * asks to repair a document whose pPr or rPr children are out of order).
 * What a paragraph says and how the report is organised is the composer's;
 * this module only knows how Word spells it.
 */
#ifndef GP_REPORT_WML_H
#define GP_REPORT_WML_H

#include <stddef.h>
#include <stdio.h>

/* Lengths: twentieths of a point (twips); 1 mm is 56.7 twips. */
#define WML_MM(mm)		((int)((mm) * 56.6929 + 0.5))
#define WML_UNSET		(-32768)
/* Drawing sizes: English Metric Units. */
#define WML_EMU_PER_TWIP	635L

enum wml_align {
	WML_ALIGN_STYLE = 0,	/* what the style says */
	WML_LEFT,
	WML_CENTER,
	WML_RIGHT,
	WML_JUSTIFY
};

/* Paragraph properties; zero is "as the style says" except the indents
 * and spacings, which use WML_UNSET (see WML_PARA_INIT). */
struct wml_para {
	const char	*style;		/* style id, or NULL: Normal */
	int		 keep_next;
	int		 page_break_before;
	int		 rule_above;	/* a line over the paragraph */
	int		 before, after;	/* spacing, twips */
	int		 left, right, first;	/* indents, twips */
	int		 align;		/* enum wml_align */
};
#define WML_PARA_INIT(s) { (s), 0, 0, 0, WML_UNSET, WML_UNSET, WML_UNSET, \
	    WML_UNSET, WML_UNSET, WML_ALIGN_STYLE }

struct wml_run {
	int	bold;
	int	italic;
	int	underline;
	int	size;		/* half-points, 0: the style's */
};

enum wml_merge {
	WML_MERGE_NONE = 0,
	WML_MERGE_START,	/* first cell of a vertical merge */
	WML_MERGE_CONTINUE	/* a cell merged into the one above */
};

struct wml;

/* The document body (header 0) or a page header (header 1), written to f,
 * which stays the caller's. NULL without memory. */
struct wml	*wml_new(FILE *f, int header);
/* Closes the body or header; returns 0 or -1 with *errstr. Frees. */
int		 wml_finish(struct wml *, const char **errstr);
void		 wml_free(struct wml *);

void	 wml_para_start(struct wml *, const struct wml_para *);
/* A run of text: '\n' becomes a line break, '\t' a tab. */
void	 wml_run(struct wml *, const struct wml_run *, const char *);
void	 wml_para_end(struct wml *);
/* A paragraph of one run; run may be NULL (plain). */
void	 wml_para(struct wml *, const struct wml_para *,
	    const struct wml_run *, const char *);
/* The page number, as a field Word and LibreOffice update. */
void	 wml_page_number(struct wml *);
/* An image (a relationship id of the part) inline in the current
 * paragraph, cx by cy EMU; descr is its text for screen readers. */
void	 wml_image(struct wml *, const char *rel_id, long cx, long cy,
	    const char *descr);

/*
 * Tables: widths of the grid columns in twips. A row marked header repeats
 * at the top of every page the table runs onto; rows are never split
 * across pages. Cells span grid columns (span >= 1) and merge vertically;
 * shade is a grey in percent (0: none). Borders: single lines, or none
 * (a layout table, whose cells then align at the top, not the middle).
 */
void	 wml_table_start(struct wml *, const int *widths, size_t ncols,
	    int borders);
void	 wml_row_start(struct wml *, int header);
void	 wml_cell_start(struct wml *, int span, int merge, int shade);
void	 wml_cell_end(struct wml *);
void	 wml_row_end(struct wml *);
void	 wml_table_end(struct wml *);
/* A whole cell holding one paragraph of one run. */
void	 wml_cell(struct wml *, int span, const struct wml_para *,
	    const struct wml_run *, const char *);

/* The page: A4 portrait, margins in twips, a page header (rel id) from the
 * second page on, and none on the first (Decree 30 numbers pages from the
 * second). first_header_rel may be NULL. */
struct wml_page {
	int		 top, bottom, left, right, header;
	const char	*header_rel;
	const char	*first_header_rel;
};
void	 wml_section(struct wml *, const struct wml_page *);

#endif
