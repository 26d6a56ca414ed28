/*
 * libxlsxwriter, loaded by the first xlsx export that needs it rather
 * than by every run: a unit's submit, which never writes a spreadsheet,
 * starts without mapping and relocating it and the libraries it brings
 * (tests/bench/README.md). The functions export.c calls, as the header
 * declares them.
 */
#ifndef GP_XLSX_H
#define GP_XLSX_H

#include <xlsxwriter.h>

#define XLSX_FUNCTIONS(F)						\
	F(workbook_new_opt) F(workbook_add_worksheet)			\
	F(workbook_add_format) F(workbook_close) F(lxw_workbook_free)	\
	F(lxw_strerror) F(format_set_bold) F(format_set_bottom)		\
	F(format_set_top) F(format_set_text_wrap) F(format_set_align)	\
	F(format_set_num_format) F(worksheet_set_column)		\
	F(worksheet_write_string) F(worksheet_write_number)		\
	F(worksheet_write_datetime) F(worksheet_freeze_panes)		\
	F(worksheet_autofilter) F(worksheet_insert_chart_opt)		\
	F(workbook_add_chart) F(chart_add_series)			\
	F(chart_series_set_categories) F(chart_series_set_values)	\
	F(chart_series_set_name) F(chart_series_set_fill)		\
	F(chart_series_set_labels) F(chart_series_set_labels_num_format) \
	F(chart_title_set_name) F(chart_axis_set_name)			\
	F(chart_axis_set_num_format) F(chart_axis_set_min)		\
	F(chart_axis_set_max) F(chart_axis_set_reverse)			\
	F(chart_legend_set_position) F(chart_axis_set_crossing_max)	\
	F(chart_axis_set_interval_unit) F(worksheet_fit_to_pages)	\
	F(worksheet_set_paper) F(worksheet_set_landscape)		\
	F(worksheet_repeat_rows) F(worksheet_gridlines)			\
	F(worksheet_set_header) F(worksheet_set_footer)			\
	F(worksheet_set_margins) F(worksheet_set_row)

struct xlsx {
#define XLSX_MEMBER(name)	__typeof__(name) *name;
	XLSX_FUNCTIONS(XLSX_MEMBER)
#undef XLSX_MEMBER
};

/* The library (XLSX_SONAME), loaded on the first call. Returns NULL with
 * *cause when it cannot be. */
const struct xlsx	*xlsx_load(char **cause);

#endif
