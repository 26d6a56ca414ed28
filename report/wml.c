/*
 * WordprocessingML markup (wml.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wml.h"
#include "xml.h"

#define WML_NS_W	"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define WML_NS_R	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define WML_NS_WP	"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define WML_NS_A	"http://schemas.openxmlformats.org/drawingml/2006/main"
#define WML_NS_PIC	"http://schemas.openxmlformats.org/drawingml/2006/picture"

#define WML_MAX_COLS	64

struct wml {
	struct xml	*x;
	int		 header;
	int		 after_table;	/* the last block was a table */
	int		 in_cell;
	int		 cell_has_para;
	int		 widths[WML_MAX_COLS];
	size_t		 ncols;
	int		 borders;	/* of the current table */
	size_t		 col;		/* next grid column of the row */
	unsigned	 drawings;	/* ids of wp:docPr */
};

struct wml *
wml_new(FILE *f, int header)
{
	struct wml	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->x = xml_new(f)) == NULL) {
		free(w);
		return NULL;
	}
	w->header = header;
	xml_declaration(w->x);
	if (header)
		xml_start(w->x, "w:hdr", "xmlns:w", WML_NS_W, "xmlns:r",
		    WML_NS_R, (char *)NULL);
	else {
		xml_start(w->x, "w:document", "xmlns:w", WML_NS_W, "xmlns:r",
		    WML_NS_R, "xmlns:wp", WML_NS_WP, "xmlns:a", WML_NS_A,
		    "xmlns:pic", WML_NS_PIC, (char *)NULL);
		xml_start(w->x, "w:body", (char *)NULL);
	}
	return w;
}

void
wml_free(struct wml *w)
{
	if (w == NULL)
		return;
	xml_free(w->x);
	free(w);
}

int
wml_finish(struct wml *w, const char **errstr)
{
	int	rc;

	xml_end(w->x);			/* w:body or w:hdr */
	if (!w->header)
		xml_end(w->x);		/* w:document */
	rc = xml_finish(w->x, errstr);
	w->x = NULL;
	free(w);
	return rc;
}

static void
wml_int_attr(struct xml *x, const char *name, const char *attr, int v)
{
	char	buf[16];

	snprintf(buf, sizeof(buf), "%d", v);
	xml_empty(x, name, attr, buf, (char *)NULL);
}

static void
wml_ppr(struct wml *w, const struct wml_para *p)
{
	static const char *const aligns[] = { NULL, "left", "center",
	    "right", "both" };
	struct xml	*x = w->x;
	char		 a[16], b[16], c[16];

	xml_start(x, "w:pPr", (char *)NULL);
	if (p->style != NULL)
		xml_empty(x, "w:pStyle", "w:val", p->style, (char *)NULL);
	if (p->keep_next)
		xml_empty(x, "w:keepNext", (char *)NULL);
	if (p->page_break_before)
		xml_empty(x, "w:pageBreakBefore", (char *)NULL);
	if (p->rule_above) {
		xml_start(x, "w:pBdr", (char *)NULL);
		xml_empty(x, "w:top", "w:val", "single", "w:sz", "6",
		    "w:space", "1", "w:color", "auto", (char *)NULL);
		xml_end(x);
	}
	if (p->before != WML_UNSET || p->after != WML_UNSET) {
		snprintf(a, sizeof(a), "%d", p->before);
		snprintf(b, sizeof(b), "%d", p->after);
		if (p->before == WML_UNSET)
			xml_empty(x, "w:spacing", "w:after", b, (char *)NULL);
		else if (p->after == WML_UNSET)
			xml_empty(x, "w:spacing", "w:before", a, (char *)NULL);
		else
			xml_empty(x, "w:spacing", "w:before", a, "w:after", b,
			    (char *)NULL);
	}
	if (p->left != WML_UNSET || p->right != WML_UNSET ||
	    p->first != WML_UNSET) {
		snprintf(a, sizeof(a), "%d", p->left == WML_UNSET ? 0 : p->left);
		snprintf(b, sizeof(b), "%d",
		    p->right == WML_UNSET ? 0 : p->right);
		snprintf(c, sizeof(c), "%d",
		    p->first == WML_UNSET ? 0 : p->first < 0 ? -p->first :
		    p->first);
		xml_empty(x, "w:ind", "w:left", a, "w:right", b,
		    p->first < 0 && p->first != WML_UNSET ? "w:hanging" :
		    "w:firstLine", c, (char *)NULL);
	}
	if (p->align > WML_ALIGN_STYLE && p->align <= WML_JUSTIFY)
		xml_empty(x, "w:jc", "w:val", aligns[p->align], (char *)NULL);
	xml_end(x);
}

void
wml_para_start(struct wml *w, const struct wml_para *p)
{
	xml_start(w->x, "w:p", (char *)NULL);
	if (p != NULL)
		wml_ppr(w, p);
	w->after_table = 0;
	if (w->in_cell)
		w->cell_has_para = 1;
}

void
wml_para_end(struct wml *w)
{
	xml_end(w->x);
}

static void
wml_rpr(struct wml *w, const struct wml_run *r)
{
	struct xml	*x = w->x;

	if (r == NULL || (!r->bold && !r->italic && !r->underline &&
	    r->size == 0))
		return;
	xml_start(x, "w:rPr", (char *)NULL);
	if (r->bold) {
		xml_empty(x, "w:b", (char *)NULL);
		xml_empty(x, "w:bCs", (char *)NULL);
	}
	if (r->italic) {
		xml_empty(x, "w:i", (char *)NULL);
		xml_empty(x, "w:iCs", (char *)NULL);
	}
	if (r->size > 0) {
		wml_int_attr(x, "w:sz", "w:val", r->size);
		wml_int_attr(x, "w:szCs", "w:val", r->size);
	}
	if (r->underline)
		xml_empty(x, "w:u", "w:val", "single", (char *)NULL);
	xml_end(x);
}

void
wml_run(struct wml *w, const struct wml_run *r, const char *text)
{
	struct xml	*x = w->x;
	const char	*p = text, *q;

	xml_start(x, "w:r", (char *)NULL);
	wml_rpr(w, r);
	while (*p != '\0') {
		q = p + strcspn(p, "\n\t\r");
		if (q > p) {
			xml_start(x, "w:t", "xml:space", "preserve",
			    (char *)NULL);
			xml_textn(x, p, (size_t)(q - p));
			xml_end(x);
		}
		if (*q == '\0')
			break;
		if (*q == '\n')
			xml_empty(x, "w:br", (char *)NULL);
		else if (*q == '\t')
			xml_empty(x, "w:tab", (char *)NULL);
		/* '\r' alone says nothing; "\r\n" is one break. */
		p = q + 1;
	}
	xml_end(x);
}

void
wml_para(struct wml *w, const struct wml_para *p, const struct wml_run *r,
    const char *text)
{
	wml_para_start(w, p);
	if (text != NULL && text[0] != '\0')
		wml_run(w, r, text);
	wml_para_end(w);
}

void
wml_page_number(struct wml *w)
{
	struct xml	*x = w->x;

	xml_start(x, "w:r", (char *)NULL);
	xml_empty(x, "w:fldChar", "w:fldCharType", "begin", (char *)NULL);
	xml_end(x);
	xml_start(x, "w:r", (char *)NULL);
	xml_start(x, "w:instrText", "xml:space", "preserve", (char *)NULL);
	xml_text(x, " PAGE ");
	xml_end(x);
	xml_end(x);
	xml_start(x, "w:r", (char *)NULL);
	xml_empty(x, "w:fldChar", "w:fldCharType", "separate", (char *)NULL);
	xml_end(x);
	xml_start(x, "w:r", (char *)NULL);
	xml_start(x, "w:t", (char *)NULL);
	xml_text(x, "2");
	xml_end(x);
	xml_end(x);
	xml_start(x, "w:r", (char *)NULL);
	xml_empty(x, "w:fldChar", "w:fldCharType", "end", (char *)NULL);
	xml_end(x);
}

void
wml_image(struct wml *w, const char *rel_id, long cx, long cy,
    const char *descr)
{
	struct xml	*x = w->x;
	char		 scx[24], scy[24], id[16], name[32];

	snprintf(scx, sizeof(scx), "%ld", cx);
	snprintf(scy, sizeof(scy), "%ld", cy);
	snprintf(id, sizeof(id), "%u", ++w->drawings);
	snprintf(name, sizeof(name), "Hình %u", w->drawings);
	xml_start(x, "w:r", (char *)NULL);
	xml_start(x, "w:drawing", (char *)NULL);
	xml_start(x, "wp:inline", "distT", "0", "distB", "0", "distL", "0",
	    "distR", "0", (char *)NULL);
	xml_empty(x, "wp:extent", "cx", scx, "cy", scy, (char *)NULL);
	xml_empty(x, "wp:effectExtent", "l", "0", "t", "0", "r", "0", "b", "0",
	    (char *)NULL);
	xml_empty(x, "wp:docPr", "id", id, "name", name, "descr", descr,
	    (char *)NULL);
	xml_start(x, "wp:cNvGraphicFramePr", (char *)NULL);
	xml_empty(x, "a:graphicFrameLocks", "noChangeAspect", "1",
	    (char *)NULL);
	xml_end(x);
	xml_start(x, "a:graphic", (char *)NULL);
	xml_start(x, "a:graphicData", "uri",
	    "http://schemas.openxmlformats.org/drawingml/2006/picture",
	    (char *)NULL);
	xml_start(x, "pic:pic", (char *)NULL);
	xml_start(x, "pic:nvPicPr", (char *)NULL);
	xml_empty(x, "pic:cNvPr", "id", id, "name", name, "descr", descr,
	    (char *)NULL);
	xml_empty(x, "pic:cNvPicPr", (char *)NULL);
	xml_end(x);
	xml_start(x, "pic:blipFill", (char *)NULL);
	xml_empty(x, "a:blip", "r:embed", rel_id, (char *)NULL);
	xml_start(x, "a:stretch", (char *)NULL);
	xml_empty(x, "a:fillRect", (char *)NULL);
	xml_end(x);
	xml_end(x);
	xml_start(x, "pic:spPr", (char *)NULL);
	xml_start(x, "a:xfrm", (char *)NULL);
	xml_empty(x, "a:off", "x", "0", "y", "0", (char *)NULL);
	xml_empty(x, "a:ext", "cx", scx, "cy", scy, (char *)NULL);
	xml_end(x);
	xml_start(x, "a:prstGeom", "prst", "rect", (char *)NULL);
	xml_empty(x, "a:avLst", (char *)NULL);
	xml_end(x);
	xml_end(x);	/* pic:spPr */
	xml_end(x);	/* pic:pic */
	xml_end(x);	/* a:graphicData */
	xml_end(x);	/* a:graphic */
	xml_end(x);	/* wp:inline */
	xml_end(x);	/* w:drawing */
	xml_end(x);	/* w:r */
}

static void
wml_border(struct xml *x, const char *side, int on)
{
	if (on)
		xml_empty(x, side, "w:val", "single", "w:sz", "4",
		    "w:space", "0", "w:color", "auto", (char *)NULL);
	else
		xml_empty(x, side, "w:val", "nil", (char *)NULL);
}

void
wml_table_start(struct wml *w, const int *widths, size_t ncols, int borders)
{
	struct xml	*x = w->x;
	char		 buf[16];
	size_t		 i;
	long		 total = 0;

	/* Two tables in a row would be one to Word: keep them apart. */
	if (w->after_table)
		wml_para(w, NULL, NULL, NULL);
	if (ncols > WML_MAX_COLS)
		ncols = WML_MAX_COLS;
	w->ncols = ncols;
	w->borders = borders;
	for (i = 0; i < ncols; i++) {
		w->widths[i] = widths[i];
		total += widths[i];
	}
	xml_start(x, "w:tbl", (char *)NULL);
	xml_start(x, "w:tblPr", (char *)NULL);
	snprintf(buf, sizeof(buf), "%ld", total);
	xml_empty(x, "w:tblW", "w:w", buf, "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:jc", "w:val", "center", (char *)NULL);
	xml_start(x, "w:tblBorders", (char *)NULL);
	wml_border(x, "w:top", borders);
	wml_border(x, "w:left", borders);
	wml_border(x, "w:bottom", borders);
	wml_border(x, "w:right", borders);
	wml_border(x, "w:insideH", borders);
	wml_border(x, "w:insideV", borders);
	xml_end(x);
	xml_empty(x, "w:tblLayout", "w:type", "fixed", (char *)NULL);
	xml_start(x, "w:tblCellMar", (char *)NULL);
	xml_empty(x, "w:top", "w:w", "28", "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:left", "w:w", borders ? "57" : "0", "w:type", "dxa",
	    (char *)NULL);
	xml_empty(x, "w:bottom", "w:w", "28", "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:right", "w:w", borders ? "57" : "0", "w:type", "dxa",
	    (char *)NULL);
	xml_end(x);
	xml_empty(x, "w:tblLook", "w:val", "0000", "w:firstRow", "0",
	    "w:lastRow", "0", "w:firstColumn", "0", "w:lastColumn", "0",
	    "w:noHBand", "1", "w:noVBand", "1", (char *)NULL);
	xml_end(x);
	xml_start(x, "w:tblGrid", (char *)NULL);
	for (i = 0; i < ncols; i++)
		wml_int_attr(x, "w:gridCol", "w:w", widths[i]);
	xml_end(x);
}

void
wml_row_start(struct wml *w, int header)
{
	struct xml	*x = w->x;

	xml_start(x, "w:tr", (char *)NULL);
	xml_start(x, "w:trPr", (char *)NULL);
	xml_empty(x, "w:cantSplit", (char *)NULL);
	if (header)
		xml_empty(x, "w:tblHeader", (char *)NULL);
	xml_end(x);
	w->col = 0;
}

void
wml_cell_start(struct wml *w, int span, int merge, int shade)
{
	struct xml	*x = w->x;
	char		 buf[16];
	long		 width = 0;
	int		 i;

	if (span < 1)
		span = 1;
	for (i = 0; i < span && w->col + (size_t)i < w->ncols; i++)
		width += w->widths[w->col + (size_t)i];
	w->col += (size_t)span;
	xml_start(x, "w:tc", (char *)NULL);
	xml_start(x, "w:tcPr", (char *)NULL);
	snprintf(buf, sizeof(buf), "%ld", width);
	xml_empty(x, "w:tcW", "w:w", buf, "w:type", "dxa", (char *)NULL);
	if (span > 1)
		wml_int_attr(x, "w:gridSpan", "w:val", span);
	if (merge == WML_MERGE_START)
		xml_empty(x, "w:vMerge", "w:val", "restart", (char *)NULL);
	else if (merge == WML_MERGE_CONTINUE)
		xml_empty(x, "w:vMerge", (char *)NULL);
	if (shade > 0 && shade <= 100) {
		int	g = 255 - shade * 255 / 100;

		snprintf(buf, sizeof(buf), "%02X%02X%02X", g, g, g);
		xml_empty(x, "w:shd", "w:val", "clear", "w:color", "auto",
		    "w:fill", buf, (char *)NULL);
	}
	/* Cells of a ruled table are centred on their row; the columns of a
	 * layout table (masthead, signature) start at the top. */
	xml_empty(x, "w:vAlign", "w:val", w->borders ? "center" : "top",
	    (char *)NULL);
	xml_end(x);
	w->in_cell = 1;
	w->cell_has_para = 0;
}

void
wml_cell_end(struct wml *w)
{
	/* A cell must end with a paragraph. */
	if (!w->cell_has_para)
		xml_empty(w->x, "w:p", (char *)NULL);
	xml_end(w->x);
	w->in_cell = 0;
}

void
wml_cell(struct wml *w, int span, const struct wml_para *p,
    const struct wml_run *r, const char *text)
{
	wml_cell_start(w, span, WML_MERGE_NONE, 0);
	wml_para(w, p, r, text);
	wml_cell_end(w);
}

void
wml_row_end(struct wml *w)
{
	xml_end(w->x);
}

void
wml_table_end(struct wml *w)
{
	xml_end(w->x);
	w->after_table = 1;
}

void
wml_section(struct wml *w, const struct wml_page *pg)
{
	struct xml	*x = w->x;
	char		 t[16], b[16], l[16], r[16], h[16];

	/* The body may not end with a table. */
	if (w->after_table)
		wml_para(w, NULL, NULL, NULL);
	snprintf(t, sizeof(t), "%d", pg->top);
	snprintf(b, sizeof(b), "%d", pg->bottom);
	snprintf(l, sizeof(l), "%d", pg->left);
	snprintf(r, sizeof(r), "%d", pg->right);
	snprintf(h, sizeof(h), "%d", pg->header);
	xml_start(x, "w:sectPr", (char *)NULL);
	if (pg->header_rel != NULL)
		xml_empty(x, "w:headerReference", "w:type", "default", "r:id",
		    pg->header_rel, (char *)NULL);
	if (pg->first_header_rel != NULL)
		xml_empty(x, "w:headerReference", "w:type", "first", "r:id",
		    pg->first_header_rel, (char *)NULL);
	/* A4: 210 x 297 mm. */
	xml_empty(x, "w:pgSz", "w:w", "11906", "w:h", "16838", (char *)NULL);
	xml_empty(x, "w:pgMar", "w:top", t, "w:right", r, "w:bottom", b,
	    "w:left", l, "w:header", h, "w:footer", h, "w:gutter", "0",
	    (char *)NULL);
	xml_empty(x, "w:cols", "w:space", "720", (char *)NULL);
	if (pg->header_rel != NULL)
		xml_empty(x, "w:titlePg", (char *)NULL);
	xml_end(x);
}
