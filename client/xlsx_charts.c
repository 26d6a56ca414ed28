/*
 * Charts of an xlsx export (xlsx_charts.h), through libxlsxwriter's chart
 * API as loaded by xlsx_load.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "cause.h"
#include "xlsx_charts.h"

/* Columns of the summary sheet's tables. */
#define XLSX_COL_LABEL		0
#define XLSX_COL_ACTIVITIES	2
#define XLSX_COL_PARTICIPANTS	4
#define XLSX_COL_WOMEN		5
#define XLSX_COL_SHARE		3	/* of the indicators */

/* Bars for more units than this are not drawn: the table has them. */
#define XLSX_CHART_MAX_UNITS	60

#define XLSX_CHART_WIDTH	960	/* pixels */
#define XLSX_ROW_PIXELS		20	/* a default row */
#define XLSX_BAR_PIXELS		44	/* per category and series */

/* Dark and light grey: told apart in black and white too. */
#define XLSX_FILL_DARK		0x404040
#define XLSX_FILL_LIGHT		0xA6A6A6

struct xlsx_place {
	const struct xlsx	*xl;
	lxw_worksheet		*ws;
	lxw_row_t		 row;	/* where the next chart goes */
};

static void
xlsx_series(const struct xlsx *xl, lxw_chart *chart, const char *name,
    const char *sheet, const struct xlsx_rows *r, lxw_col_t col,
    lxw_color_t color, const char *num_format)
{
	lxw_chart_series	*s;
	lxw_chart_fill		 fill;

	s = xl->chart_add_series(chart, NULL, NULL);
	xl->chart_series_set_categories(s, sheet, r->first, XLSX_COL_LABEL,
	    r->last, XLSX_COL_LABEL);
	xl->chart_series_set_values(s, sheet, r->first, col, r->last, col);
	xl->chart_series_set_name(s, name);
	memset(&fill, 0, sizeof(fill));
	fill.color = color;
	xl->chart_series_set_fill(s, &fill);
	xl->chart_series_set_labels(s);
	if (num_format != NULL)
		xl->chart_series_set_labels_num_format(s, num_format);
}

/* A horizontal bar chart, its categories top down in the table's order;
 * NULL when out of memory. */
static lxw_chart *
xlsx_bar(const struct xlsx *xl, lxw_workbook *wb, const char *title,
    const char *value_axis, int series)
{
	lxw_chart	*chart;

	if ((chart = xl->workbook_add_chart(wb, LXW_CHART_BAR)) == NULL)
		return NULL;
	xl->chart_title_set_name(chart, title);
	/* The first row on top, the values' axis kept below. */
	xl->chart_axis_set_reverse(chart->y_axis);
	xl->chart_axis_set_crossing_max(chart->y_axis);
	/* Every category named, none left out to save room. */
	xl->chart_axis_set_interval_unit(chart->y_axis, 1);
	xl->chart_axis_set_name(chart->x_axis, value_axis);
	/* A legend only to tell two series apart. */
	xl->chart_legend_set_position(chart, series > 1 ?
	    LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
	return chart;
}

/* Puts chart below the one before, as tall as its n categories need. */
static int
xlsx_place(struct xlsx_place *p, lxw_chart *chart, size_t n, int series,
    char **cause)
{
	lxw_chart_options	opts;
	double			height;

	height = 110.0 + (double)(n * (size_t)series) * XLSX_BAR_PIXELS /
	    (series > 1 ? 1.5 : 1.0);
	if (height < 288)
		height = 288;
	memset(&opts, 0, sizeof(opts));
	opts.x_offset = 10;
	opts.y_offset = 10;
	opts.x_scale = XLSX_CHART_WIDTH / 480.0;
	opts.y_scale = height / 288.0;
	if (p->xl->worksheet_insert_chart_opt(p->ws, p->row, 0, chart,
	    &opts) != LXW_NO_ERROR)
		return cause_set(cause, _("cannot place a chart"));
	p->row += (lxw_row_t)(height / XLSX_ROW_PIXELS) + 2;
	return 0;
}

static size_t
xlsx_count(const struct xlsx_rows *r)
{
	return r->has ? (size_t)(r->last - r->first + 1) : 0;
}

int
xlsx_charts(const struct xlsx *xl, lxw_workbook *wb, lxw_worksheet *ws,
    const struct xlsx_chart_tables *t, char **cause)
{
	struct xlsx_place	 p;
	lxw_chart		*c;
	char			 note[160];
	size_t			 n;

	p.xl = xl;
	p.ws = ws;
	p.row = 0;
	if ((n = xlsx_count(&t->areas)) > 0) {
		if ((c = xlsx_bar(xl, wb, "Số hoạt động đã thực hiện theo nội "
		    "dung", "Số hoạt động", 1)) == NULL)
			goto nomem;
		xlsx_series(xl, c, "Số hoạt động", t->sheet, &t->areas,
		    XLSX_COL_ACTIVITIES, XLSX_FILL_DARK, NULL);
		if (xlsx_place(&p, c, n, 1, cause) == -1)
			return -1;
		if ((c = xlsx_bar(xl, wb, "Lượt người tham gia theo nội dung",
		    "Lượt người", 2)) == NULL)
			goto nomem;
		xlsx_series(xl, c, "Số người tham gia", t->sheet, &t->areas,
		    XLSX_COL_PARTICIPANTS, XLSX_FILL_DARK, NULL);
		xlsx_series(xl, c, "Trong đó nữ", t->sheet, &t->areas,
		    XLSX_COL_WOMEN, XLSX_FILL_LIGHT, NULL);
		if (xlsx_place(&p, c, n, 2, cause) == -1)
			return -1;
	}
	if ((n = xlsx_count(&t->shares)) > 0) {
		if ((c = xlsx_bar(xl, wb, "Tỷ lệ nữ theo chỉ tiêu",
		    "Tỷ lệ nữ", 1)) == NULL)
			goto nomem;
		xlsx_series(xl, c, "Tỷ lệ nữ", t->sheet, &t->shares,
		    XLSX_COL_SHARE, XLSX_FILL_DARK, "0.0%");
		xl->chart_axis_set_num_format(c->x_axis, "0%");
		xl->chart_axis_set_min(c->x_axis, 0);
		xl->chart_axis_set_max(c->x_axis, 1);
		if (xlsx_place(&p, c, n, 1, cause) == -1)
			return -1;
	}
	if ((n = xlsx_count(&t->units)) > XLSX_CHART_MAX_UNITS) {
		/* The workbook's own words: in Vietnamese, as its sheets. */
		snprintf(note, sizeof(note), U_("Lượt người tham gia theo "
		    "đơn vị: %zu đơn vị, quá nhiều để vẽ; xem bảng \"Theo đơn "
		    "vị\" ở trang %s."), n, t->sheet);
		if (xl->worksheet_write_string(ws, p.row, 0, note, NULL) !=
		    LXW_NO_ERROR)
			goto nomem;
	} else if (n > 0) {
		if ((c = xlsx_bar(xl, wb, "Lượt người tham gia theo đơn vị",
		    "Lượt người", 2)) == NULL)
			goto nomem;
		xlsx_series(xl, c, "Số người tham gia", t->sheet, &t->units,
		    XLSX_COL_PARTICIPANTS, XLSX_FILL_DARK, NULL);
		xlsx_series(xl, c, "Trong đó nữ", t->sheet, &t->units,
		    XLSX_COL_WOMEN, XLSX_FILL_LIGHT, NULL);
		if (xlsx_place(&p, c, n, 2, cause) == -1)
			return -1;
	}
	return 0;
nomem:
	return cause_set(cause, _("out of memory for the charts"));
}
