/*
 * word/styles.xml and word/fontTable.xml: the look of the document, after
 * Decree 30/2020/NĐ-CP (Times New Roman 14 pt body, justified, the first
 * line indented 1 cm, at least 6 pt between paragraphs). The composer
 * names these styles; only this file says what they look like.
 */
#ifndef GP_REPORT_STYLES_H
#define GP_REPORT_STYLES_H

#include <stdio.h>

#define STYLE_BODY		"BodyText"	/* justified, indented */
#define STYLE_HEADING1		"Heading1"	/* I., II. in capitals */
#define STYLE_HEADING2		"Heading2"	/* 1., 2. */
#define STYLE_HEADING3		"Heading3"	/* a), b) */
#define STYLE_TITLE		"Title"		/* BÁO CÁO */
#define STYLE_SUBJECT		"Subject"	/* what the report is about */
#define STYLE_MASTHEAD		"Masthead"	/* the two-column header */
#define STYLE_TABLE		"TableText"
#define STYLE_TABLE_HEAD	"TableHeading"
#define STYLE_TABLE_NUMBER	"TableNumber"	/* right-aligned figures */
#define STYLE_FIGURE		"Figure"	/* the paragraph of a chart */
#define STYLE_CAPTION		"Caption"
#define STYLE_RECIPIENTS	"Recipients"	/* Nơi nhận */
#define STYLE_SIGNATURE		"Signature"
#define STYLE_PAGE_HEADER	"Header"
#define STYLE_ANNEX		"AnnexTitle"
#define STYLE_RULE		"Rule"		/* a short line, 2 pt high */

/* Font sizes in half-points, for runs that differ from their style. */
#define STYLE_SIZE_BODY		28
#define STYLE_SIZE_MASTHEAD	26
#define STYLE_SIZE_NATION	24	/* CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM */
#define STYLE_SIZE_RECIPIENT	22
#define STYLE_SIZE_RECIPIENTS_LABEL 24

/* Write the part to f; return 0 or -1 with *errstr. */
int	 styles_write(FILE *f, const char **errstr);
int	 styles_write_fonts(FILE *f, const char **errstr);

#endif
