/*
 * Charts as PNG images, drawn with cairo and laid out with pango (real
 * Vietnamese shaping, labels wrapped at word boundaries so that a long
 * content area never runs out of its column). One kind of chart serves
 * every figure of the report: horizontal bars, a group per category, a
 * bar per series. Series are told apart by fill (dark grey, hatching,
 * light grey, cross-hatching), not by colour, so the charts read the same
 * on a black-and-white printer; every bar carries its value. The PNG is
 * 8-bit grey, drawn and encoded (libpng) a strip of rows at a time, so a
 * tall chart costs no more memory than a short one.
 */
#ifndef GP_REPORT_CHART_H
#define GP_REPORT_CHART_H

#include <stddef.h>
#include <stdint.h>

#define CHART_WIDTH		1600	/* pixels: 16 cm at about 254 dpi */
#define CHART_WIDTH_PT		453.5	/* 16 cm */
#define CHART_MAX_SERIES	4
#define CHART_MAX_CATEGORIES	64
#define CHART_MAX_HEIGHT	4000	/* pixels */

struct chart_series {
	const char	*name;		/* in the legend */
	const double	*values;	/* one per category, >= 0 */
};

struct chart {
	const char		*title;		/* or NULL: in the caption */
	const char		*axis;		/* "Số lượt người" */
	int			 percent;	/* 0-100 with a % sign */
	const char *const	*categories;
	size_t			 ncategories;
	struct chart_series	 series[CHART_MAX_SERIES];
	size_t			 nseries;
};

/*
 * Draws the chart CHART_WIDTH pixels wide and as high as its content
 * needs. Returns 0 with *png (malloc'd), its length and the height in
 * pixels, or -1 with *cause.
 */
int	 chart_png(const struct chart *, uint8_t **png, size_t *len,
	    int *height, char **cause);

/* The width in points of text in the document's font (bold or not) at
 * size points: for rules drawn to a fraction of a line of text. */
double	 chart_text_width(const char *text, int bold, double size);

#endif
