/*
 * Bar charts (chart.h). Everything is laid out in points on a surface
 * scaled to CHART_WIDTH pixels, with pango at 72 dpi so that a font size
 * is a size in points; the layout is measured on a surface with the same
 * scale as the one drawn, and metrics are not hinted, so what was measured
 * is what is drawn.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <png.h>

#include "chart.h"
#include "vnfmt.h"

#define CHART_FONT		"Times New Roman,Liberation Serif,serif"
#define CHART_MARGIN		8.0
#define CHART_TITLE_PT		12.0
#define CHART_TEXT_PT		10.0
#define CHART_SMALL_PT		9.0
#define CHART_LABEL_SHARE	0.34	/* of the width, for category labels */
#define CHART_GAP		8.0
#define CHART_SWATCH_W		14.0
#define CHART_SWATCH_H		9.0
#define CHART_STRIP		64	/* rows drawn at a time */

struct chart_ctx {
	cairo_surface_t		*surface;
	cairo_t			*cr;
	PangoContext		*pango;
	double			 scale;		/* pixels per point */
};

static int	chart_fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
chart_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return -1;
}

/* Points to pixels, with the surface showing the rows from y0 down. */
static void
chart_strip(struct chart_ctx *c, int y0)
{
	cairo_identity_matrix(c->cr);
	cairo_translate(c->cr, 0, -y0);
	cairo_scale(c->cr, c->scale, c->scale);
}

static void
chart_ctx_free(struct chart_ctx *c)
{
	if (c->pango != NULL)
		g_object_unref(c->pango);
	if (c->cr != NULL)
		cairo_destroy(c->cr);
	if (c->surface != NULL)
		cairo_surface_destroy(c->surface);
	memset(c, 0, sizeof(*c));
}

static int
chart_ctx_init(struct chart_ctx *c, int width, int height)
{
	cairo_font_options_t	*fo;

	memset(c, 0, sizeof(*c));
	c->scale = (double)CHART_WIDTH / CHART_WIDTH_PT;
	c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width,
	    height);
	if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS)
		goto fail;
	c->cr = cairo_create(c->surface);
	if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	chart_strip(c, 0);
	if ((c->pango = pango_cairo_create_context(c->cr)) == NULL)
		goto fail;
	pango_cairo_context_set_resolution(c->pango, 72.0);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(c->pango, fo);
	cairo_font_options_destroy(fo);
	return 0;
fail:
	chart_ctx_free(c);
	return -1;
}

/* A layout of text wrapped at width points (<= 0: one line). */
static PangoLayout *
chart_layout(struct chart_ctx *c, const char *text, double size, int bold,
    int italic, double width, PangoAlignment align)
{
	PangoLayout		*l;
	PangoFontDescription	*fd;

	l = pango_layout_new(c->pango);
	fd = pango_font_description_from_string(CHART_FONT);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	if (italic)
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

static void
chart_layout_size(PangoLayout *l, double *w, double *h)
{
	int	pw, ph;

	pango_layout_get_size(l, &pw, &ph);
	if (w != NULL)
		*w = (double)pw / PANGO_SCALE;
	if (h != NULL)
		*h = (double)ph / PANGO_SCALE;
}

static void
chart_show(struct chart_ctx *c, PangoLayout *l, double x, double y)
{
	cairo_move_to(c->cr, x, y);
	pango_cairo_show_layout(c->cr, l);
}

double
chart_text_width(const char *text, int bold, double size)
{
	struct chart_ctx	 c;
	PangoLayout		*l;
	double			 w;

	if (chart_ctx_init(&c, 1, 1) == -1)
		return 0;
	l = chart_layout(&c, text, size, bold, 0, 0, PANGO_ALIGN_LEFT);
	chart_layout_size(l, &w, NULL);
	g_object_unref(l);
	chart_ctx_free(&c);
	return w;
}

/* The value on a bar: 1.745 or 47,2%. */
static const char *
chart_value(char *buf, size_t len, double v, int percent)
{
	if (percent)
		return vnfmt_tenths(buf, len, lround(v * 10), 1);
	return vnfmt_int(buf, len, (uint64_t)llround(v));
}

/* Axis from 0 to *max in steps of *step: 1, 2 or 5 times a power of ten,
 * whole numbers for counts, about five steps. */
static void
chart_axis(double top, int percent, double *max, double *step)
{
	double	raw, mag, norm;

	if (percent) {
		*max = 100;
		*step = 20;
		return;
	}
	raw = top / 5;
	if (raw < 1)
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	*step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	*max = ceil(top / *step) * *step;
	if (*max <= 0)
		*max = *step;
}

/* Fills: series 0 dark grey, 1 hatched, 2 light grey, 3 cross-hatched. */
static cairo_pattern_t *
chart_fill(struct chart_ctx *c, size_t series)
{
	cairo_surface_t	*s;
	cairo_pattern_t	*p;
	cairo_t		*cr;
	cairo_matrix_t	 m;
	const int	 n = 14;	/* pixels per tile */

	if (series == 0)
		return cairo_pattern_create_rgb(0.25, 0.25, 0.25);
	if (series == 2)
		return cairo_pattern_create_rgb(0.78, 0.78, 0.78);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, n, n);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 2.2);
	/* Diagonals, drawn past the corners so the tiles join. */
	cairo_move_to(cr, -1, n + 1);
	cairo_line_to(cr, n + 1, -1);
	cairo_move_to(cr, -1, 1);
	cairo_line_to(cr, 1, -1);
	cairo_move_to(cr, n - 1, n + 1);
	cairo_line_to(cr, n + 1, n - 1);
	if (series != 1) {
		cairo_move_to(cr, -1, -1);
		cairo_line_to(cr, n + 1, n + 1);
		cairo_move_to(cr, n - 1, -1);
		cairo_line_to(cr, n + 1, 1);
		cairo_move_to(cr, -1, n - 1);
		cairo_line_to(cr, 1, n + 1);
	}
	cairo_stroke(cr);
	cairo_destroy(cr);
	p = cairo_pattern_create_for_surface(s);
	cairo_surface_destroy(s);
	cairo_pattern_set_extend(p, CAIRO_EXTEND_REPEAT);
	/* Pattern space is pixels; user space is points. */
	cairo_matrix_init_scale(&m, c->scale, c->scale);
	cairo_pattern_set_matrix(p, &m);
	return p;
}

static void
chart_box(struct chart_ctx *c, size_t series, double x, double y, double w,
    double h)
{
	cairo_pattern_t	*p = chart_fill(c, series);

	cairo_rectangle(c->cr, x, y, w, h);
	cairo_set_source(c->cr, p);
	cairo_fill_preserve(c->cr);
	cairo_pattern_destroy(p);
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	cairo_set_line_width(c->cr, 0.6);
	cairo_stroke(c->cr);
}

/* What is measured before drawing. */
struct chart_plan {
	double	 width, height;
	double	 title_h, legend_h, axis_h, ticks_h;
	double	*row_h;
	double	 label_w;	/* the category column */
	double	 plot_x0, plot_x1;
	double	 bar_h;
	double	 max, step;
	double	 legend_item_w[CHART_MAX_SERIES];
};

/* Lays the legend out in lines; returns its height and, when draw is set,
 * draws it with its top at y. */
static double
chart_legend(struct chart_ctx *c, const struct chart *ch,
    struct chart_plan *pl, double y, int draw)
{
	double	avail = pl->width - 2 * CHART_MARGIN, line_w = 0, h = 0;
	double	line_h = 0, x, w = 0, th = 0;
	size_t	i, start = 0, j;

	for (i = 0; i <= ch->nseries; i++) {
		if (i < ch->nseries) {
			PangoLayout	*l;

			l = chart_layout(c, ch->series[i].name, CHART_TEXT_PT,
			    0, 0, avail - CHART_SWATCH_W - 4, PANGO_ALIGN_LEFT);
			chart_layout_size(l, &w, &th);
			g_object_unref(l);
			w += CHART_SWATCH_W + 4;
			pl->legend_item_w[i] = w;
			if (line_w == 0 || line_w + 16 + w <= avail) {
				line_w += (line_w > 0 ? 16 : 0) + w;
				if (th > line_h)
					line_h = th;
				continue;
			}
		}
		/* Lay out series start..i-1 as one centred line. */
		if (draw) {
			x = CHART_MARGIN + (avail - line_w) / 2;
			for (j = start; j < i; j++) {
				PangoLayout	*l;

				chart_box(c, j, x, y + h + (line_h -
				    CHART_SWATCH_H) / 2, CHART_SWATCH_W,
				    CHART_SWATCH_H);
				l = chart_layout(c, ch->series[j].name,
				    CHART_TEXT_PT, 0, 0, avail -
				    CHART_SWATCH_W - 4, PANGO_ALIGN_LEFT);
				cairo_set_source_rgb(c->cr, 0, 0, 0);
				chart_show(c, l, x + CHART_SWATCH_W + 4,
				    y + h);
				g_object_unref(l);
				x += pl->legend_item_w[j] + 16;
			}
		}
		h += line_h + 2;
		if (i == ch->nseries)
			break;
		start = i;
		line_w = pl->legend_item_w[i];
		line_h = th;
	}
	return h;
}

static int
chart_plan(struct chart_ctx *c, const struct chart *ch, struct chart_plan *pl)
{
	PangoLayout	*l;
	char		 buf[VNFMT_MAX];
	double		 top = 0, w, h, value_w = 0;
	size_t		 i, s;

	pl->width = CHART_WIDTH_PT;
	pl->label_w = pl->width * CHART_LABEL_SHARE;
	pl->bar_h = ch->nseries <= 2 ? 10 : 8;
	if (ch->title != NULL) {
		l = chart_layout(c, ch->title, CHART_TITLE_PT, 1, 0,
		    pl->width - 2 * CHART_MARGIN, PANGO_ALIGN_CENTER);
		chart_layout_size(l, NULL, &pl->title_h);
		g_object_unref(l);
		pl->title_h += CHART_GAP;
	}
	pl->legend_h = chart_legend(c, ch, pl, 0, 0);

	for (i = 0; i < ch->ncategories; i++)
		for (s = 0; s < ch->nseries; s++) {
			if (ch->series[s].values[i] > top)
				top = ch->series[s].values[i];
			l = chart_layout(c, chart_value(buf, sizeof(buf),
			    ch->series[s].values[i], ch->percent),
			    CHART_SMALL_PT, 0, 0, 0, PANGO_ALIGN_LEFT);
			chart_layout_size(l, &w, NULL);
			g_object_unref(l);
			if (w > value_w)
				value_w = w;
		}
	chart_axis(top, ch->percent, &pl->max, &pl->step);
	pl->plot_x0 = CHART_MARGIN + pl->label_w;
	pl->plot_x1 = pl->width - CHART_MARGIN - value_w - 6;

	if ((pl->row_h = calloc(ch->ncategories + 1, sizeof(double))) == NULL)
		return -1;
	for (i = 0; i < ch->ncategories; i++) {
		l = chart_layout(c, ch->categories[i], CHART_TEXT_PT, 0, 0,
		    pl->label_w - 8, PANGO_ALIGN_RIGHT);
		chart_layout_size(l, NULL, &h);
		g_object_unref(l);
		w = (double)ch->nseries * pl->bar_h;
		pl->row_h[i] = (h > w ? h : w) + 8;
	}
	l = chart_layout(c, "0", CHART_SMALL_PT, 0, 0, 0, PANGO_ALIGN_LEFT);
	chart_layout_size(l, NULL, &pl->ticks_h);
	g_object_unref(l);
	l = chart_layout(c, ch->axis, CHART_TEXT_PT, 0, 0,
	    pl->plot_x1 - pl->plot_x0, PANGO_ALIGN_CENTER);
	chart_layout_size(l, NULL, &pl->axis_h);
	g_object_unref(l);

	pl->height = CHART_MARGIN + pl->title_h + pl->legend_h +
	    CHART_GAP + pl->ticks_h + 4 + pl->axis_h + CHART_MARGIN;
	for (i = 0; i < ch->ncategories; i++)
		pl->height += pl->row_h[i];
	return 0;
}

static void
chart_draw(struct chart_ctx *c, const struct chart *ch,
    struct chart_plan *pl)
{
	cairo_t		*cr = c->cr;
	PangoLayout	*l;
	char		 buf[VNFMT_MAX];
	double		 y, plot_top, plot_bottom, x, bw, w, span;
	double		 dash[] = { 2, 2 };
	size_t		 i, s;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);

	y = CHART_MARGIN;
	if (ch->title != NULL) {
		l = chart_layout(c, ch->title, CHART_TITLE_PT, 1, 0,
		    pl->width - 2 * CHART_MARGIN, PANGO_ALIGN_CENTER);
		chart_show(c, l, CHART_MARGIN, y);
		g_object_unref(l);
	}
	y += pl->title_h;
	chart_legend(c, ch, pl, y, 1);
	y += pl->legend_h + CHART_GAP;

	plot_top = y;
	plot_bottom = y;
	for (i = 0; i < ch->ncategories; i++)
		plot_bottom += pl->row_h[i];
	span = pl->plot_x1 - pl->plot_x0;

	/* Grid lines and tick labels. */
	for (w = 0; w <= pl->max + pl->step / 2; w += pl->step) {
		x = pl->plot_x0 + span * w / pl->max;
		if (w > 0) {
			cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
			cairo_set_line_width(cr, 0.4);
			cairo_set_dash(cr, dash, 2, 0);
			cairo_move_to(cr, x, plot_top);
			cairo_line_to(cr, x, plot_bottom);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, x, plot_bottom);
		cairo_line_to(cr, x, plot_bottom + 3);
		cairo_stroke(cr);
		/* Steps are whole numbers, percentages too. */
		l = chart_layout(c, vnfmt_int(buf, sizeof(buf),
		    (uint64_t)llround(w)), CHART_SMALL_PT, 0, 0, 0,
		    PANGO_ALIGN_LEFT);
		chart_layout_size(l, &bw, NULL);
		chart_show(c, l, x - bw / 2, plot_bottom + 4);
		g_object_unref(l);
	}

	/* Categories and their bars. */
	y = plot_top;
	for (i = 0; i < ch->ncategories; i++) {
		double	group = (double)ch->nseries * pl->bar_h, by, lh;

		l = chart_layout(c, ch->categories[i], CHART_TEXT_PT, 0, 0,
		    pl->label_w - 8, PANGO_ALIGN_RIGHT);
		chart_layout_size(l, NULL, &lh);
		cairo_set_source_rgb(cr, 0, 0, 0);
		chart_show(c, l, CHART_MARGIN, y + (pl->row_h[i] - lh) / 2);
		g_object_unref(l);
		by = y + (pl->row_h[i] - group) / 2;
		for (s = 0; s < ch->nseries; s++) {
			double	v = ch->series[s].values[i];
			double	vw, vh, vx, vy;

			bw = span * (v > pl->max ? pl->max : v) / pl->max;
			if (bw > 0)
				chart_box(c, s, pl->plot_x0, by, bw,
				    pl->bar_h - 1.5);
			l = chart_layout(c, chart_value(buf, sizeof(buf), v,
			    ch->percent), CHART_SMALL_PT, 0, 0, 0,
			    PANGO_ALIGN_LEFT);
			chart_layout_size(l, &vw, &vh);
			vx = pl->plot_x0 + bw + 3;
			vy = by + (pl->bar_h - 1.5 - vh) / 2;
			/* On white: a grid line never crosses a figure. */
			cairo_set_source_rgb(cr, 1, 1, 1);
			cairo_rectangle(cr, vx - 1, vy, vw + 2, vh);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0, 0, 0);
			chart_show(c, l, vx, vy);
			g_object_unref(l);
			by += pl->bar_h;
		}
		y += pl->row_h[i];
	}

	/* The axes. */
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, pl->plot_x0, plot_top);
	cairo_line_to(cr, pl->plot_x0, plot_bottom);
	cairo_line_to(cr, pl->plot_x1, plot_bottom);
	cairo_stroke(cr);
	l = chart_layout(c, ch->axis, CHART_TEXT_PT, 0, 0, span,
	    PANGO_ALIGN_CENTER);
	chart_show(c, l, pl->plot_x0, plot_bottom + 4 + pl->ticks_h + 4);
	g_object_unref(l);
}

struct chart_buf {
	uint8_t	*data;
	size_t	 len, cap;
	int	 nomem;
};

static void
chart_png_write(png_structp png, png_bytep data, png_size_t len)
{
	struct chart_buf	*b = png_get_io_ptr(png);
	uint8_t			*n;
	size_t			 cap;

	if (b->len + len > b->cap) {
		cap = b->cap ? b->cap : 65536;
		while (cap < b->len + len)
			cap *= 2;
		if ((n = realloc(b->data, cap)) == NULL) {
			b->nomem = 1;
			png_error(png, "out of memory");
		}
		b->data = n;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

static void
chart_png_flush(png_structp png)
{
	(void)png;
}

/* What the encoder works with; libpng returns here by longjmp on error,
 * so everything it needs to release lives in this structure. */
struct chart_encoder {
	png_structp		 png;
	png_infop		 info;
	struct chart_ctx	 c;
	struct chart_buf	 b;
	uint8_t			 row[CHART_WIDTH];
	const struct chart	*ch;
	struct chart_plan	*pl;
	int			 height;
};

/*
 * Draws the chart a strip of CHART_STRIP rows at a time and hands each
 * row to libpng as 8-bit grey: memory is one strip, however tall the
 * chart, and the charts have no colour to keep. Returns 0 or -1.
 */
static int
chart_encode(struct chart_encoder *e)
{
	int		 y0, y, x, rows, stride;
	unsigned char	*px;
	uint32_t	 v;

	if (setjmp(png_jmpbuf(e->png)))
		return -1;
	png_set_write_fn(e->png, &e->b, chart_png_write, chart_png_flush);
	png_set_IHDR(e->png, e->info, CHART_WIDTH, (png_uint_32)e->height, 8,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* Its size on paper: CHART_WIDTH pixels over CHART_WIDTH_PT. */
	png_set_pHYs(e->png, e->info, (png_uint_32)(CHART_WIDTH /
	    (CHART_WIDTH_PT / 72.0 * 0.0254) + 0.5), (png_uint_32)(CHART_WIDTH /
	    (CHART_WIDTH_PT / 72.0 * 0.0254) + 0.5), PNG_RESOLUTION_METER);
	png_write_info(e->png, e->info);
	for (y0 = 0; y0 < e->height; y0 += CHART_STRIP) {
		rows = e->height - y0 < CHART_STRIP ? e->height - y0 :
		    CHART_STRIP;
		chart_strip(&e->c, y0);
		chart_draw(&e->c, e->ch, e->pl);
		cairo_surface_flush(e->c.surface);
		if (cairo_status(e->c.cr) != CAIRO_STATUS_SUCCESS)
			return -1;
		px = cairo_image_surface_get_data(e->c.surface);
		stride = cairo_image_surface_get_stride(e->c.surface);
		for (y = 0; y < rows; y++) {
			for (x = 0; x < CHART_WIDTH; x++) {
				memcpy(&v, px + y * stride + x * 4, 4);
				/* Grey already: any channel will do. */
				e->row[x] = (uint8_t)(v & 0xff);
			}
			png_write_row(e->png, e->row);
		}
	}
	png_write_end(e->png, e->info);
	return 0;
}

int
chart_png(const struct chart *ch, uint8_t **png, size_t *len, int *height,
    char **cause)
{
	struct chart_encoder	*e;
	struct chart_plan	 pl;
	struct chart_ctx	 c;
	size_t			 i, s;
	int			 px, rc;

	*png = NULL;
	memset(&pl, 0, sizeof(pl));
	if (ch->nseries == 0 || ch->nseries > CHART_MAX_SERIES)
		return chart_fail(cause, "chart: %zu series", ch->nseries);
	if (ch->ncategories == 0 || ch->ncategories > CHART_MAX_CATEGORIES)
		return chart_fail(cause, "chart: %zu categories",
		    ch->ncategories);
	for (s = 0; s < ch->nseries; s++)
		for (i = 0; i < ch->ncategories; i++)
			if (!(ch->series[s].values[i] >= 0) ||
			    !isfinite(ch->series[s].values[i]))
				return chart_fail(cause, "chart: a value is "
				    "negative or not a number");

	if (chart_ctx_init(&c, 1, 1) == -1)
		return chart_fail(cause, "chart: cairo: out of memory");
	if (chart_plan(&c, ch, &pl) == -1) {
		chart_ctx_free(&c);
		return chart_fail(cause, "out of memory");
	}
	chart_ctx_free(&c);
	px = (int)ceil(pl.height * (double)CHART_WIDTH / CHART_WIDTH_PT);
	if (px > CHART_MAX_HEIGHT) {
		free(pl.row_h);
		return chart_fail(cause, "chart: %d pixels high, more than "
		    "%d", px, CHART_MAX_HEIGHT);
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		free(pl.row_h);
		return chart_fail(cause, "out of memory");
	}
	e->ch = ch;
	e->pl = &pl;
	e->height = px;
	rc = -1;
	if (chart_ctx_init(&e->c, CHART_WIDTH, CHART_STRIP) == 0 &&
	    (e->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    NULL, NULL)) != NULL &&
	    (e->info = png_create_info_struct(e->png)) != NULL)
		rc = chart_encode(e);
	if (e->png != NULL)
		png_destroy_write_struct(&e->png, &e->info);
	chart_ctx_free(&e->c);
	free(pl.row_h);
	if (rc == -1) {
		chart_fail(cause, "chart: %s", e->b.nomem ? "out of memory" :
		    "cairo or libpng could not draw it");
		free(e->b.data);
		free(e);
		return -1;
	}
	*png = e->b.data;
	*len = e->b.len;
	*height = px;
	free(e);
	return 0;
}
