/*
 * The styles and the font table (styles.h).
 */
#include <stdio.h>

#include "styles.h"
#include "xml.h"

#define STYLES_NS_W	"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define STYLES_FONT	"Times New Roman"
/* Metric-compatible with Times New Roman: where Times is absent
 * (LibreOffice on Debian, fonts-liberation), lines break the same. */
#define STYLES_FONT_ALT	"Liberation Serif"

/* One paragraph style; every length in twips, -1 for none. */
struct styles_para {
	const char	*id;
	const char	*name;
	const char	*based_on;
	const char	*next;
	int		 keep_next;
	int		 before, after, line;	/* line: 240ths of a line */
	int		 first;			/* first-line indent */
	const char	*jc;
	int		 outline;		/* -1: not a heading */
	int		 bold, italic, size;	/* size: half-points, 0 */
};

static const struct styles_para styles_paras[] = {
	{ "Normal", "Normal", NULL, NULL, 0, -1, -1, -1, -1, NULL, -1,
	    0, 0, 0 },
	{ STYLE_BODY, "Body Text", "Normal", NULL, 0, 120, 0, 276, 567,
	    "both", -1, 0, 0, 0 },
	{ STYLE_HEADING1, "heading 1", STYLE_BODY, STYLE_BODY, 1, 200, -1, -1,
	    -1, NULL, 0, 1, 0, 0 },
	{ STYLE_HEADING2, "heading 2", STYLE_BODY, STYLE_BODY, 1, 160, -1, -1,
	    -1, NULL, 1, 1, 0, 0 },
	{ STYLE_HEADING3, "heading 3", STYLE_BODY, STYLE_BODY, 1, -1, -1, -1,
	    -1, NULL, 2, 1, 1, 0 },
	{ STYLE_TITLE, "Title", "Normal", STYLE_SUBJECT, 1, 360, 0, -1, -1,
	    "center", -1, 1, 0, 0 },
	{ STYLE_SUBJECT, "Subtitle", "Normal", STYLE_BODY, 1, 0, 0, -1, -1,
	    "center", -1, 1, 0, 0 },
	{ STYLE_MASTHEAD, "Masthead", "Normal", NULL, 0, 0, 0, -1, -1,
	    "center", -1, 0, 0, 26 },
	{ STYLE_TABLE, "Table Text", "Normal", NULL, 0, 0, 0, -1, -1, "left",
	    -1, 0, 0, 24 },
	{ STYLE_TABLE_HEAD, "Table Heading", STYLE_TABLE, NULL, 0, 0, 0, -1,
	    -1, "center", -1, 1, 0, 0 },
	{ STYLE_TABLE_NUMBER, "Table Number", STYLE_TABLE, NULL, 0, 0, 0, -1,
	    -1, "right", -1, 0, 0, 0 },
	{ STYLE_FIGURE, "Figure", "Normal", STYLE_CAPTION, 1, 160, 0, -1, -1,
	    "center", -1, 0, 0, 0 },
	{ STYLE_CAPTION, "caption", "Normal", STYLE_BODY, 0, 60, 120, -1, -1,
	    "center", -1, 1, 1, 26 },
	{ STYLE_RECIPIENTS, "Recipients", "Normal", NULL, 0, 0, 0, -1, -1,
	    "left", -1, 0, 0, 22 },
	{ STYLE_SIGNATURE, "Signature", "Normal", NULL, 0, 0, 0, -1, -1,
	    "center", -1, 1, 0, 28 },
	{ STYLE_PAGE_HEADER, "header", "Normal", NULL, 0, -1, -1, -1, -1,
	    "center", -1, 0, 0, 28 },
	{ STYLE_RULE, "Rule", "Normal", NULL, 0, 0, 0, -1, -1, "center", -1,
	    0, 0, 4 },
	{ STYLE_ANNEX, "Annex Title", "Normal", STYLE_BODY, 1, 0, 120, -1, -1,
	    "center", 0, 1, 0, 28 },
};

static void
styles_int(struct xml *x, const char *name, int v)
{
	char	buf[16];

	snprintf(buf, sizeof(buf), "%d", v);
	xml_empty(x, name, "w:val", buf, (char *)NULL);
}

static void
styles_para(struct xml *x, const struct styles_para *s)
{
	char	b[16], a[16], l[16], f[16];

	xml_start(x, "w:style", "w:type", "paragraph", "w:styleId", s->id,
	    (char *)NULL);
	xml_empty(x, "w:name", "w:val", s->name, (char *)NULL);
	if (s->based_on != NULL)
		xml_empty(x, "w:basedOn", "w:val", s->based_on, (char *)NULL);
	if (s->next != NULL)
		xml_empty(x, "w:next", "w:val", s->next, (char *)NULL);
	xml_empty(x, "w:qFormat", (char *)NULL);
	xml_start(x, "w:pPr", (char *)NULL);
	if (s->keep_next)
		xml_empty(x, "w:keepNext", (char *)NULL);
	if (s->before >= 0 || s->after >= 0 || s->line >= 0) {
		snprintf(b, sizeof(b), "%d", s->before);
		snprintf(a, sizeof(a), "%d", s->after);
		snprintf(l, sizeof(l), "%d", s->line);
		if (s->line >= 0)
			xml_empty(x, "w:spacing", "w:before", b, "w:after", a,
			    "w:line", l, "w:lineRule", "auto", (char *)NULL);
		else if (s->after >= 0 && s->before >= 0)
			xml_empty(x, "w:spacing", "w:before", b, "w:after", a,
			    (char *)NULL);
		else if (s->before >= 0)
			xml_empty(x, "w:spacing", "w:before", b, (char *)NULL);
		else
			xml_empty(x, "w:spacing", "w:after", a, (char *)NULL);
	}
	if (s->first >= 0) {
		snprintf(f, sizeof(f), "%d", s->first);
		xml_empty(x, "w:ind", "w:firstLine", f, (char *)NULL);
	} else if (s->jc != NULL)
		/* Not indented like the body it may be based on. */
		xml_empty(x, "w:ind", "w:left", "0", "w:firstLine", "0",
		    (char *)NULL);
	if (s->jc != NULL)
		xml_empty(x, "w:jc", "w:val", s->jc, (char *)NULL);
	if (s->outline >= 0)
		styles_int(x, "w:outlineLvl", s->outline);
	xml_end(x);
	if (s->bold || s->italic || s->size) {
		xml_start(x, "w:rPr", (char *)NULL);
		if (s->bold) {
			xml_empty(x, "w:b", (char *)NULL);
			xml_empty(x, "w:bCs", (char *)NULL);
		}
		if (s->italic) {
			xml_empty(x, "w:i", (char *)NULL);
			xml_empty(x, "w:iCs", (char *)NULL);
		}
		if (s->size) {
			styles_int(x, "w:sz", s->size);
			styles_int(x, "w:szCs", s->size);
		}
		xml_end(x);
	}
	xml_end(x);
}

int
styles_write(FILE *f, const char **errstr)
{
	struct xml	*x;
	size_t		 i;

	if ((x = xml_new(f)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	xml_declaration(x);
	xml_start(x, "w:styles", "xmlns:w", STYLES_NS_W, (char *)NULL);
	xml_start(x, "w:docDefaults", (char *)NULL);
	xml_start(x, "w:rPrDefault", (char *)NULL);
	xml_start(x, "w:rPr", (char *)NULL);
	xml_empty(x, "w:rFonts", "w:ascii", STYLES_FONT, "w:hAnsi", STYLES_FONT,
	    "w:eastAsia", STYLES_FONT, "w:cs", STYLES_FONT, (char *)NULL);
	styles_int(x, "w:sz", STYLE_SIZE_BODY);
	styles_int(x, "w:szCs", STYLE_SIZE_BODY);
	xml_empty(x, "w:lang", "w:val", "vi-VN", "w:eastAsia", "en-US",
	    "w:bidi", "ar-SA", (char *)NULL);
	xml_end(x);
	xml_end(x);
	xml_start(x, "w:pPrDefault", (char *)NULL);
	xml_start(x, "w:pPr", (char *)NULL);
	xml_empty(x, "w:spacing", "w:after", "0", "w:line", "240",
	    "w:lineRule", "auto", (char *)NULL);
	xml_end(x);
	xml_end(x);
	xml_end(x);	/* w:docDefaults */
	for (i = 0; i < sizeof(styles_paras) / sizeof(styles_paras[0]); i++)
		styles_para(x, &styles_paras[i]);
	/* The table style Word expects as the default. */
	xml_start(x, "w:style", "w:type", "table", "w:default", "1",
	    "w:styleId", "TableNormal", (char *)NULL);
	xml_empty(x, "w:name", "w:val", "Normal Table", (char *)NULL);
	xml_empty(x, "w:semiHidden", (char *)NULL);
	xml_start(x, "w:tblPr", (char *)NULL);
	xml_empty(x, "w:tblInd", "w:w", "0", "w:type", "dxa", (char *)NULL);
	xml_start(x, "w:tblCellMar", (char *)NULL);
	xml_empty(x, "w:top", "w:w", "0", "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:left", "w:w", "108", "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:bottom", "w:w", "0", "w:type", "dxa", (char *)NULL);
	xml_empty(x, "w:right", "w:w", "108", "w:type", "dxa", (char *)NULL);
	xml_end(x);
	xml_end(x);
	xml_end(x);
	xml_end(x);	/* w:styles */
	return xml_finish(x, errstr);
}

int
styles_write_fonts(FILE *f, const char **errstr)
{
	struct xml	*x;

	if ((x = xml_new(f)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	xml_declaration(x);
	xml_start(x, "w:fonts", "xmlns:w", STYLES_NS_W, (char *)NULL);
	xml_start(x, "w:font", "w:name", STYLES_FONT, (char *)NULL);
	xml_empty(x, "w:altName", "w:val", STYLES_FONT_ALT, (char *)NULL);
	xml_empty(x, "w:panose1", "w:val", "02020603050405020304",
	    (char *)NULL);
	xml_empty(x, "w:charset", "w:val", "00", (char *)NULL);
	xml_empty(x, "w:family", "w:val", "roman", (char *)NULL);
	xml_empty(x, "w:pitch", "w:val", "variable", (char *)NULL);
	xml_end(x);
	xml_end(x);
	return xml_finish(x, errstr);
}
