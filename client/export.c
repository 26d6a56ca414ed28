/*
 * gp-client export writers (export.h): CSV through the table module's
 * RFC 4180 records, JSON through jansson one object at a time, xlsx
 * through libxlsxwriter in constant-memory mode, where each row goes to a
 * temporary file as soon as the next one starts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"
#include "period.h"
#include "text.h"
#include "cause.h"
#include "fmt.h"
#include "outfile.h"
#include "export.h"
#include "xlsx.h"
#include "xlsx_charts.h"
#include "xlsx_print.h"
#include "zone.h"

#define EXPORT_SHEET_ROWS	"Hoạt động"
#define EXPORT_MAX_LABELS	64	/* media outputs of a form */
#define EXPORT_SHEET_SUMMARY	"Tổng hợp"
#define EXPORT_SHEET_CHARTS	"Biểu đồ"
/* The summary's columns: the labels, then the figures. */
#define EXPORT_SUMMARY_FIRST	60
#define EXPORT_SUMMARY_WIDTH	14
/* Lines of a row at most: Excel's highest row, 409 points. */
#define EXPORT_ROW_LINES	27

struct export {
	int			 format;	/* enum export_format */
	char			*path;		/* NULL: standard output */
	struct outfile		*out;		/* with a path */
	char			*period;
	FILE			*f;
	struct fmt_table		 csv;
	size_t			 nrows;

	const struct xlsx	*xl;		/* loaded by xlsx_load */
	lxw_workbook		*wb;
	lxw_worksheet		*rows;
	lxw_worksheet		*summary;
	lxw_worksheet		*charts;
	struct xlsx_chart_tables tables;	/* of the summary, charted */
	lxw_format		*bold;
	lxw_format		*heading;
	lxw_format		*heading_num;	/* over a column of figures */
	lxw_format		*date;
	lxw_format		*when;		/* a date and a time */
	lxw_format		*cell;		/* activity rows: at the top */
	lxw_format		*wrap;		/* the same, wrapped */
	lxw_format		*percent;
	lxw_format		*total;
	lxw_format		*total_percent;
	lxw_row_t		 srow;		/* next row of the summary */
	int			 units_started;	/* its table by unit */
	/* The units of the rows (they come by unit), for the printed
	 * pages: the first one's code and name, the last one's code, and
	 * how many. */
	char			*unit;
	char			*unit_name;
	char			*last_unit;
	size_t			 nunits;

	/* The labels of the form's media outputs (the first frame). */
	char			*label_code[EXPORT_MAX_LABELS];
	char			*label_text[EXPORT_MAX_LABELS];
	size_t			 nlabels;
};

/* The ExportRow fields in order: CSV header and JSON keys. */
enum export_col {
	COL_UNIT, COL_UNIT_NAME, COL_PERIOD, COL_REVISION, COL_INDEX,
	COL_AREA, COL_AREA_LABEL, COL_KIND, COL_KIND_LABEL, COL_OCCASION,
	COL_OCCASION_LABEL, COL_STATUS, COL_STATUS_LABEL, COL_DATE,
	COL_END_DATE, COL_TITLE, COL_LOCATION, COL_SESSIONS,
	COL_PARTICIPANTS, COL_FEMALE, COL_NOTES, COL_AUDIENCE,
	COL_AUDIENCE_LABEL, COL_TOPIC, COL_TOPIC_LABEL, COL_OUTPUTS,
	COL_FIRST_RECEIVED, COL_TIMELINESS, COL_DAYS_LATE, COL_DUE,
	COL_EXTENDED_DUE, COL_COUNT
};

static const struct fmt_column export_csv_columns[COL_COUNT] = {
	{ "unit", 0, FMT_LEFT },
	{ "unit_name", 0, FMT_LEFT },
	{ "period", 0, FMT_LEFT },
	{ "revision", 0, FMT_RIGHT },
	{ "index", 0, FMT_RIGHT },
	{ "area", 0, FMT_LEFT },
	{ "area_label", 0, FMT_LEFT },
	{ "kind", 0, FMT_LEFT },
	{ "kind_label", 0, FMT_LEFT },
	{ "occasion", 0, FMT_LEFT },
	{ "occasion_label", 0, FMT_LEFT },
	{ "status", 0, FMT_LEFT },
	{ "status_label", 0, FMT_LEFT },
	{ "date", 0, FMT_LEFT },
	{ "end_date", 0, FMT_LEFT },
	{ "title", 0, FMT_LEFT },
	{ "location", 0, FMT_LEFT },
	{ "sessions", 0, FMT_RIGHT },
	{ "participants", 0, FMT_RIGHT },
	{ "female", 0, FMT_RIGHT },
	{ "notes", 0, FMT_LEFT },
	{ "audience", 0, FMT_LEFT },
	{ "audience_label", 0, FMT_LEFT },
	{ "topic", 0, FMT_LEFT },
	{ "topic_label", 0, FMT_LEFT },
	{ "outputs", 0, FMT_LEFT },
	/* The report's lateness, its first revision's (as missing); empty
	 * from a gpd before the calendar. */
	{ "first_received_at", 0, FMT_LEFT },
	{ "timeliness", 0, FMT_LEFT },
	{ "days_late", 0, FMT_RIGHT },
	{ "due", 0, FMT_LEFT },
	{ "extended_due", 0, FMT_LEFT }
};

/* Sheet 1: what a reader in the province sees, with column widths that
 * print on a landscape A4 page (xlsx_print.h), the longer texts wrapped
 * in theirs. */
enum export_xcol {
	X_UNIT, X_UNIT_NAME, X_PERIOD, X_REVISION, X_FIRST_RECEIVED,
	X_TIMELINESS, X_DAYS_LATE, X_DUE, X_EXTENDED, X_NUMBER, X_AREA, X_KIND,
	X_OCCASION, X_STATUS, X_DATE, X_END_DATE, X_TITLE, X_LOCATION,
	X_SESSIONS, X_PARTICIPANTS, X_FEMALE, X_AUDIENCE, X_TOPIC, X_OUTPUTS,
	X_NOTES, X_COUNT
};

static const struct {
	const char	*heading;
	double		 width;
	int		 wrap;
} export_xlsx_columns[X_COUNT] = {
	{ "Mã đơn vị", 13, 0 },
	{ "Tên đơn vị", 16, 1 },
	{ "Kỳ báo cáo", 8, 0 },
	{ "Lần gửi", 5, 0 },
	/* The report's lateness: its first revision's, as missing. */
	{ "Nộp lần đầu", 15, 0 },
	{ "Đúng hạn/muộn", 9, 1 },
	{ "Số ngày muộn", 6, 0 },
	{ "Hạn nộp", 10, 0 },
	{ "Gia hạn", 7, 0 },
	{ "STT", 4, 0 },
	{ "Nội dung", 16, 1 },
	{ "Hình thức", 12, 1 },
	{ "Dịp", 12, 1 },
	{ "Tình trạng", 9, 1 },
	{ "Từ ngày", 10, 0 },
	{ "Đến ngày", 10, 0 },
	{ "Tên hoạt động", 28, 1 },
	{ "Địa điểm", 14, 1 },
	{ "Số buổi", 6, 0 },
	{ "Số người tham gia", 8, 0 },
	{ "Số nữ", 6, 0 },
	{ "Đối tượng", 10, 1 },
	{ "Chủ đề", 10, 1 },
	{ "Sản phẩm truyền thông", 14, 1 },
	{ "Ghi chú", 18, 1 }
};

/* Sheet 2 columns: what was done, then apart what is only planned
 * ("ước thực hiện"), never added together. */
static const char *const export_summary_headings[] = {
	"Nội dung", "Số báo cáo", "Số hoạt động đã thực hiện", "Số buổi",
	"Số người tham gia", "Số nữ", "Tỷ lệ nữ", "Số hoạt động ước thực hiện",
	"Số buổi (ước)", "Số người tham gia (ước)", "Số nữ (ước)"
};
static const char *const export_indicator_headings[] = {
	"Chỉ tiêu", "Tổng số", "Trong đó nữ", "Tỷ lệ nữ"
};

int
export_format_parse(const char *s, int *format)
{
	if (strcmp(s, "csv") == 0)
		*format = EXPORT_CSV;
	else if (strcmp(s, "json") == 0)
		*format = EXPORT_JSON;
	else if (strcmp(s, "xlsx") == 0)
		*format = EXPORT_XLSX;
	else
		return -1;
	return 0;
}

static const char *
export_where(const struct export *ex)
{
	return ex->path != NULL ? ex->path : "standard output";
}

/*
 * The lines s takes wrapped in a column width characters wide: its own
 * lines, each cut where it passes a character less than the width (a
 * word moves whole to the next line). Neither Excel nor LibreOffice
 * heightens a row for its wrapped text when they open a file: the row is
 * given its height as it is written.
 */
static size_t
export_lines(const char *s, double width)
{
	struct text_char	 c;
	size_t			 lines = 0, w = 0, fit;

	fit = width > 2 ? (size_t)width - 1 : 1;
	for (; s != NULL && *s != '\0'; s += c.len) {
		text_next(s, &c);
		if (*s == '\n') {
			lines += w == 0 ? 1 : (w + fit - 1) / fit;
			w = 0;
		} else
			w += c.width;
	}
	lines += w == 0 ? 1 : (w + fit - 1) / fit;
	return lines < EXPORT_ROW_LINES ? lines : EXPORT_ROW_LINES;
}

/* Row row as high as the most lines one of its wrapped cells takes. */
static lxw_error
export_row_height(struct export *ex, lxw_row_t row,
    const char *const cells[X_COUNT])
{
	size_t		lines = 1, n;
	enum export_xcol c;

	for (c = 0; c < X_COUNT; c++)
		if (export_xlsx_columns[c].wrap && cells[c] != NULL &&
		    (n = export_lines(cells[c], export_xlsx_columns[c].width)) >
		    lines)
			lines = n;
	if (lines == 1)
		return LXW_NO_ERROR;
	return ex->xl->worksheet_set_row(ex->rows, row,
	    LXW_DEF_ROW_HEIGHT * (double)lines, NULL);
}

static void
export_xlsx_set_up(struct export *ex)
{
	const char	*headings[X_COUNT];
	size_t		 lines, n;
	lxw_col_t	 c;

	ex->bold = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_bold(ex->bold);
	ex->heading = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_bold(ex->heading);
	ex->xl->format_set_bottom(ex->heading, LXW_BORDER_THIN);
	ex->xl->format_set_text_wrap(ex->heading);
	ex->xl->format_set_align(ex->heading, LXW_ALIGN_VERTICAL_TOP);
	ex->heading_num = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_bold(ex->heading_num);
	ex->xl->format_set_bottom(ex->heading_num, LXW_BORDER_THIN);
	ex->xl->format_set_text_wrap(ex->heading_num);
	ex->xl->format_set_align(ex->heading_num, LXW_ALIGN_VERTICAL_TOP);
	ex->xl->format_set_align(ex->heading_num, LXW_ALIGN_RIGHT);
	ex->date = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_num_format(ex->date, "dd/mm/yyyy");
	ex->xl->format_set_align(ex->date, LXW_ALIGN_VERTICAL_TOP);
	ex->when = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_num_format(ex->when, "dd/mm/yyyy hh:mm");
	ex->xl->format_set_align(ex->when, LXW_ALIGN_VERTICAL_TOP);
	ex->cell = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_align(ex->cell, LXW_ALIGN_VERTICAL_TOP);
	ex->wrap = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_align(ex->wrap, LXW_ALIGN_VERTICAL_TOP);
	ex->xl->format_set_text_wrap(ex->wrap);
	ex->percent = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_num_format(ex->percent, "0.0%");
	ex->total = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_bold(ex->total);
	ex->xl->format_set_top(ex->total, LXW_BORDER_THIN);
	ex->total_percent = ex->xl->workbook_add_format(ex->wb);
	ex->xl->format_set_bold(ex->total_percent);
	ex->xl->format_set_top(ex->total_percent, LXW_BORDER_THIN);
	ex->xl->format_set_num_format(ex->total_percent, "0.0%");

	for (c = 0; c < X_COUNT; c++)
		headings[c] = export_xlsx_columns[c].heading;
	/* Every heading wraps: the row as high as the longest. */
	for (c = 0, lines = 1; c < X_COUNT; c++)
		if ((n = export_lines(headings[c],
		    export_xlsx_columns[c].width)) > lines)
			lines = n;
	ex->xl->worksheet_set_row(ex->rows, 0, LXW_DEF_ROW_HEIGHT *
	    (double)lines, NULL);
	for (c = 0; c < X_COUNT; c++) {
		ex->xl->worksheet_set_column(ex->rows, c, c,
		    export_xlsx_columns[c].width, NULL);
		ex->xl->worksheet_write_string(ex->rows, 0, c, headings[c],
		    ex->heading);
	}
	ex->xl->worksheet_freeze_panes(ex->rows, 1, 0);

	ex->xl->worksheet_set_column(ex->summary, 0, 0, EXPORT_SUMMARY_FIRST,
	    NULL);
	ex->xl->worksheet_set_column(ex->summary, 1, 10, EXPORT_SUMMARY_WIDTH,
	    NULL);
}

/* libxlsxwriter opens the file by name only when the workbook closes:
 * the name of the temporary file itself, made already. */
static int
export_xlsx_open(struct export *ex, char **cause)
{
	lxw_workbook_options	 opts;

	if ((ex->xl = xlsx_load(cause)) == NULL)
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.constant_memory = LXW_TRUE;
	if ((ex->wb = ex->xl->workbook_new_opt(outfile_name(ex->out),
	    &opts)) == NULL ||
	    (ex->rows = ex->xl->workbook_add_worksheet(ex->wb,
	    EXPORT_SHEET_ROWS)) == NULL ||
	    (ex->summary = ex->xl->workbook_add_worksheet(ex->wb,
	    EXPORT_SHEET_SUMMARY)) == NULL ||
	    (ex->charts = ex->xl->workbook_add_worksheet(ex->wb,
	    EXPORT_SHEET_CHARTS)) == NULL)
		return cause_set(cause, _("cannot start the workbook %s "
		    "(out of memory or no temporary directory)"), ex->path);
	export_xlsx_set_up(ex);
	ex->srow = 0;
	ex->tables.sheet = EXPORT_SHEET_SUMMARY;
	return 0;
}

struct export *
export_open(int format, const char *path, const char *period, char **cause)
{
	struct export	*ex;

	*cause = NULL;
	if ((ex = calloc(1, sizeof(*ex))) == NULL)
		return NULL;
	ex->format = format;
	if ((ex->period = strdup(period)) == NULL)
		goto fail;
	if (strcmp(path, "-") != 0) {
		if ((ex->path = strdup(path)) == NULL)
			goto fail;
		if ((ex->out = outfile_open(path, cause)) == NULL)
			goto fail;
	} else if (format == EXPORT_XLSX) {
		cause_set(cause, _("an xlsx file cannot go to standard "
		    "output: give -o FILE"));
		goto fail;
	}

	if (format == EXPORT_XLSX) {
		if (export_xlsx_open(ex, cause) == -1)
			goto fail;
		return ex;
	}
	ex->f = ex->out != NULL ? outfile_stream(ex->out) : stdout;
	if (format == EXPORT_CSV) {
		fmt_table_init(&ex->csv, ex->f, export_csv_columns, COL_COUNT,
		    FMT_CSV | FMT_CSV_BOM);
		fmt_table_header(&ex->csv);
	}
	return ex;

fail:
	export_free(ex);
	return NULL;
}

/* The label of a media output's code, or NULL. */
static const char *
export_label(const struct export *ex, const char *code)
{
	size_t	i;

	for (i = 0; i < ex->nlabels; i++)
		if (strcmp(ex->label_code[i], code) == 0)
			return ex->label_text[i];
	return NULL;
}

/*
 * A row's output counts as text, malloc'd ("" for none): "articles=12
 * leaflets=1500" for csv, "Tin, bài: 12; Tờ rơi: 1500" with the form's
 * labels for people. NULL when out of memory.
 */
static char *
export_outputs(const struct export *ex, const Gp__ExportRow *r, int labels)
{
	const Gp__OutputCount	*oc;
	const char		*label;
	char			*buf = NULL, code[64];
	size_t			 len = 0, i;
	FILE			*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	for (i = 0; i < r->n_outputs; i++) {
		oc = r->outputs[i];
		snprintf(code, sizeof(code), "%.*s", (int)(oc->code.len <
		    sizeof(code) ? oc->code.len : sizeof(code) - 1),
		    oc->code.data != NULL ? (const char *)oc->code.data : "");
		label = labels ? export_label(ex, code) : NULL;
		fprintf(f, "%s%s%s%llu", i == 0 ? "" : labels ? "; " : " ",
		    label != NULL ? label : code, labels ? ": " : "=",
		    (unsigned long long)oc->count);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
export_labels(struct export *ex, Gp__Label *const *labels, size_t n)
{
	size_t	i;

	for (i = 0; i < n && ex->nlabels < EXPORT_MAX_LABELS; i++) {
		if (labels[i]->code == NULL || labels[i]->label == NULL)
			continue;
		if ((ex->label_code[ex->nlabels] = strdup(labels[i]->code))
		    == NULL)
			return -1;
		if ((ex->label_text[ex->nlabels] = strdup(labels[i]->label))
		    == NULL) {
			free(ex->label_code[ex->nlabels]);
			return -1;
		}
		ex->nlabels++;
	}
	return 0;
}

/* The due date the first revision was judged by when it was the unit's
 * extension, else NULL. */
static const char *
export_extended_due(const Gp__ExportRow *r)
{
	return r->has_extended && r->extended ? r->due : NULL;
}

static int
export_csv_row(struct export *ex, const Gp__ExportRow *r, char **cause)
{
	char		 revision[16], idx[16], sessions[24], participants[24];
	char		 female[24], *outputs, late[16];
	char		 first[ZONE_RFC3339_LEN + 1];
	const char	*cells[COL_COUNT];
	int		 rv = 0;

	snprintf(revision, sizeof(revision), "%u", r->revision);
	snprintf(idx, sizeof(idx), "%u", r->index);
	snprintf(sessions, sizeof(sessions), "%llu",
	    (unsigned long long)r->sessions);
	snprintf(participants, sizeof(participants), "%llu",
	    (unsigned long long)r->participants);
	snprintf(female, sizeof(female), "%llu", (unsigned long long)r->female);
	cells[COL_UNIT] = r->unit;
	cells[COL_UNIT_NAME] = r->unit_name;
	cells[COL_PERIOD] = r->period;
	cells[COL_REVISION] = revision;
	cells[COL_INDEX] = idx;
	cells[COL_AREA] = r->area;
	cells[COL_AREA_LABEL] = r->area_label;
	cells[COL_KIND] = r->kind;
	cells[COL_KIND_LABEL] = r->kind_label;
	cells[COL_OCCASION] = r->occasion;
	cells[COL_OCCASION_LABEL] = r->occasion_label;
	cells[COL_STATUS] = r->status;
	cells[COL_STATUS_LABEL] = r->status_label;
	cells[COL_DATE] = r->date;
	cells[COL_END_DATE] = r->end_date;
	cells[COL_TITLE] = r->title;
	cells[COL_LOCATION] = r->location;
	cells[COL_SESSIONS] = sessions;
	cells[COL_PARTICIPANTS] = participants;
	cells[COL_FEMALE] = female;
	cells[COL_NOTES] = r->notes;
	cells[COL_AUDIENCE] = r->audience;
	cells[COL_AUDIENCE_LABEL] = r->audience_label;
	cells[COL_TOPIC] = r->topic;
	cells[COL_TOPIC_LABEL] = r->topic_label;
	if ((outputs = export_outputs(ex, r, 0)) == NULL)
		return cause_set(cause, _("out of memory"));
	cells[COL_OUTPUTS] = outputs;
	cells[COL_FIRST_RECEIVED] = r->first_received_at != NULL ?
	    zone_rfc3339(r->first_received_at, first) : NULL;
	cells[COL_TIMELINESS] = r->timeliness;
	snprintf(late, sizeof(late), "%d", (int)r->days_late);
	cells[COL_DAYS_LATE] = r->has_days_late ? late : NULL;
	cells[COL_DUE] = r->due;
	cells[COL_EXTENDED_DUE] = export_extended_due(r);
	if (fmt_table_row(&ex->csv, cells) == -1)
		rv = cause_set(cause, _("cannot write %s: %s"),
		    export_where(ex), strerror(errno));
	free(outputs);
	return rv;
}

static int
export_json_row(struct export *ex, const Gp__ExportRow *r, char **cause)
{
	json_t	*o, *outputs;
	size_t	 i;
	int	 rv;

	if ((outputs = json_object()) == NULL)
		return cause_set(cause, _("out of memory"));
	for (i = 0; i < r->n_outputs; i++) {
		char	code[64];

		snprintf(code, sizeof(code), "%.*s", (int)(r->outputs[i]->code.len
		    < sizeof(code) ? r->outputs[i]->code.len : sizeof(code) - 1),
		    r->outputs[i]->code.data != NULL ?
		    (const char *)r->outputs[i]->code.data : "");
		if (json_object_set_new(outputs, code, json_integer(
		    (json_int_t)r->outputs[i]->count)) == -1) {
			json_decref(outputs);
			return cause_set(cause, _("out of memory"));
		}
	}
	o = json_pack("{s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, "
	    "s:o, s:o, s:o}",
	    "unit", fmt_json_text(r->unit),
	    "unit_name", fmt_json_text(r->unit_name),
	    "period", fmt_json_text(r->period),
	    "revision", (json_int_t)r->revision,
	    "index", (json_int_t)r->index,
	    "area", fmt_json_text(r->area),
	    "area_label", fmt_json_text(r->area_label),
	    "kind", fmt_json_text(r->kind),
	    "kind_label", fmt_json_text(r->kind_label),
	    "occasion", fmt_json_text(r->occasion),
	    "occasion_label", fmt_json_text(r->occasion_label),
	    "status", fmt_json_text(r->status),
	    "status_label", fmt_json_text(r->status_label),
	    "date", fmt_json_text(r->date),
	    "end_date", fmt_json_text(r->end_date),
	    "title", fmt_json_text(r->title),
	    "location", fmt_json_text(r->location),
	    "sessions", (json_int_t)r->sessions,
	    "participants", (json_int_t)r->participants,
	    "female", (json_int_t)r->female,
	    "notes", fmt_json_text(r->notes),
	    "audience", fmt_json_text(r->audience),
	    "audience_label", fmt_json_text(r->audience_label),
	    "topic", fmt_json_text(r->topic),
	    "topic_label", fmt_json_text(r->topic_label),
	    "outputs", outputs);
	/* The report's lateness, null from a gpd before the calendar. */
	if (o == NULL || json_object_set_new(o, "first_received_at",
	    zone_json(r->first_received_at)) == -1 ||
	    json_object_set_new(o, "timeliness", fmt_json_text(r->timeliness))
	    == -1 || json_object_set_new(o, "days_late", r->has_days_late ?
	    json_integer(r->days_late) : json_null()) == -1 ||
	    json_object_set_new(o, "due", fmt_json_text(r->due)) == -1 ||
	    json_object_set_new(o, "extended_due",
	    fmt_json_text(export_extended_due(r))) == -1) {
		json_decref(o);
		return cause_set(cause, _("out of memory"));
	}
	fputs(ex->nrows == 0 ? "[\n" : ",\n", ex->f);
	rv = fmt_json_dumpf(o, ex->f, JSON_COMPACT);
	json_decref(o);
	if (rv == -1 || ferror(ex->f))
		return cause_set(cause, _("cannot write %s: %s"),
		    export_where(ex), strerror(errno));
	return 0;
}

/* A text cell; XML cannot carry control characters or broken UTF-8. */
static lxw_error
export_xlsx_text(const struct export *ex, lxw_worksheet *ws, lxw_row_t row,
    lxw_col_t col, const char *s, lxw_format *fmt)
{
	lxw_error	 err;
	char		*clean;

	if (s == NULL || *s == '\0')
		return LXW_NO_ERROR;
	if ((clean = fmt_clean(s)) == NULL)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	err = ex->xl->worksheet_write_string(ws, row, col, clean, fmt);
	free(clean);
	return err;
}

/* The format of an activity row's cell in column col. */
static lxw_format *
export_format(const struct export *ex, enum export_xcol col)
{
	return export_xlsx_columns[col].wrap ? ex->wrap : ex->cell;
}

/* A date (and time) cell of local seconds since 1970 (a date before it
 * is a negative day). */
static lxw_error
export_xlsx_moment(struct export *ex, lxw_row_t row, lxw_col_t col,
    int64_t t, lxw_format *fmt)
{
	lxw_datetime	dt;
	int64_t		day, sec;
	int		y, m, d;

	day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	sec = t - day * 86400;
	date_to_ymd((int32_t)day, &y, &m, &d);
	memset(&dt, 0, sizeof(dt));
	dt.year = y;
	dt.month = m;
	dt.day = d;
	dt.hour = (int)(sec / 3600);
	dt.min = (int)(sec % 3600 / 60);
	dt.sec = (double)(sec % 60);
	return ex->xl->worksheet_write_datetime(ex->rows, row, col, &dt, fmt);
}

/* A date cell from YYYY-MM-DD, or the text as it came. */
static lxw_error
export_xlsx_date(struct export *ex, lxw_row_t row, lxw_col_t col,
    const char *s)
{
	int32_t	day;

	if (s == NULL || *s == '\0')
		return LXW_NO_ERROR;
	if (date_parse(s, &day) == -1)
		return export_xlsx_text(ex, ex->rows, row, col, s, ex->cell);
	return export_xlsx_moment(ex, row, col, (int64_t)day * 86400,
	    ex->date);
}

/* Counts the units of the rows, which come by unit; keeps the first. */
static int
export_unit_seen(struct export *ex, const Gp__ExportRow *r)
{
	const char	*unit = r->unit != NULL ? r->unit : "";
	char		*copy;

	if (ex->last_unit != NULL && strcmp(ex->last_unit, unit) == 0)
		return 0;
	if ((copy = strdup(unit)) == NULL)
		return -1;
	free(ex->last_unit);
	ex->last_unit = copy;
	if (ex->nunits++ > 0)
		return 0;
	if ((ex->unit = strdup(unit)) == NULL ||
	    (ex->unit_name = strdup(r->unit_name != NULL ? r->unit_name :
	    "")) == NULL)
		return -1;
	return 0;
}

/* A date and time cell in the federation's zone from the server's UTC
 * "2022-06-10T02:14:11Z", or the text as it came. */
static lxw_error
export_xlsx_when(struct export *ex, lxw_row_t row, lxw_col_t col,
    const char *utc)
{
	int64_t	t;

	if (utc == NULL || *utc == '\0')
		return LXW_NO_ERROR;
	if (tz_parse_utc(utc, &t) == -1 || t < 0)
		return export_xlsx_text(ex, ex->rows, row, col, utc, ex->cell);
	return export_xlsx_moment(ex, row, col, t + tz_offset(zone_current(),
	    t), ex->when);
}

/* The report's lateness, its first revision's, in Vietnamese: "đúng
 * hạn" or "muộn"; a word gp-client does not know as it came. */
static const char *
export_timeliness(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "on_time") == 0)
		return "đúng hạn";
	if (strcmp(s, "late") == 0)
		return "muộn";
	return s;
}

static int
export_xlsx_row(struct export *ex, const Gp__ExportRow *r, char **cause)
{
	lxw_worksheet	*ws = ex->rows;
	lxw_row_t	 row;
	lxw_error	 err = LXW_NO_ERROR;
	const char	*wrapped[X_COUNT];
	char		*outputs;

	if (ex->nrows >= LXW_ROW_MAX - 1)
		return cause_set(cause, _("more than %u rows: too many for "
		    "a spreadsheet; export as csv"), LXW_ROW_MAX - 1);
	row = (lxw_row_t)ex->nrows + 1;
	if (export_unit_seen(ex, r) == -1 ||
	    (outputs = export_outputs(ex, r, 1)) == NULL)
		return cause_set(cause, _("out of memory"));
	memset(wrapped, 0, sizeof(wrapped));
	wrapped[X_UNIT_NAME] = r->unit_name;
	wrapped[X_TIMELINESS] = export_timeliness(r->timeliness);
	wrapped[X_AREA] = r->area_label;
	wrapped[X_KIND] = r->kind_label;
	wrapped[X_OCCASION] = r->occasion_label;
	wrapped[X_STATUS] = r->status_label;
	wrapped[X_TITLE] = r->title;
	wrapped[X_LOCATION] = r->location;
	wrapped[X_AUDIENCE] = r->audience_label != NULL ? r->audience_label :
	    r->audience;
	wrapped[X_TOPIC] = r->topic_label != NULL ? r->topic_label : r->topic;
	wrapped[X_OUTPUTS] = outputs;
	wrapped[X_NOTES] = r->notes;
#define X(call)	do { if (err == LXW_NO_ERROR) err = (call); } while (0)
	/* Before its cells: constant memory writes a row out whole. */
	X(export_row_height(ex, row, wrapped));
	X(export_xlsx_text(ex, ws, row, X_UNIT, r->unit,
	    export_format(ex, X_UNIT)));
	X(export_xlsx_text(ex, ws, row, X_UNIT_NAME, r->unit_name,
	    export_format(ex, X_UNIT_NAME)));
	X(export_xlsx_text(ex, ws, row, X_PERIOD, r->period,
	    export_format(ex, X_PERIOD)));
	X(ex->xl->worksheet_write_number(ws, row, X_REVISION, r->revision,
	    ex->cell));
	X(export_xlsx_when(ex, row, X_FIRST_RECEIVED, r->first_received_at));
	X(export_xlsx_text(ex, ws, row, X_TIMELINESS, wrapped[X_TIMELINESS],
	    export_format(ex, X_TIMELINESS)));
	if (r->has_days_late)
		X(ex->xl->worksheet_write_number(ws, row, X_DAYS_LATE,
		    (double)r->days_late, ex->cell));
	X(export_xlsx_date(ex, row, X_DUE, r->due));
	if (export_extended_due(r) != NULL)
		X(export_xlsx_text(ex, ws, row, X_EXTENDED, "có", ex->cell));
	X(ex->xl->worksheet_write_number(ws, row, X_NUMBER,
	    (double)r->index + 1, ex->cell));
	X(export_xlsx_text(ex, ws, row, X_AREA, r->area_label,
	    export_format(ex, X_AREA)));
	X(export_xlsx_text(ex, ws, row, X_KIND, r->kind_label,
	    export_format(ex, X_KIND)));
	X(export_xlsx_text(ex, ws, row, X_OCCASION, r->occasion_label,
	    export_format(ex, X_OCCASION)));
	X(export_xlsx_text(ex, ws, row, X_STATUS, r->status_label,
	    export_format(ex, X_STATUS)));
	X(export_xlsx_date(ex, row, X_DATE, r->date));
	X(export_xlsx_date(ex, row, X_END_DATE, r->end_date));
	X(export_xlsx_text(ex, ws, row, X_TITLE, r->title,
	    export_format(ex, X_TITLE)));
	X(export_xlsx_text(ex, ws, row, X_LOCATION, r->location,
	    export_format(ex, X_LOCATION)));
	X(ex->xl->worksheet_write_number(ws, row, X_SESSIONS,
	    (double)r->sessions, ex->cell));
	X(ex->xl->worksheet_write_number(ws, row, X_PARTICIPANTS,
	    (double)r->participants, ex->cell));
	X(ex->xl->worksheet_write_number(ws, row, X_FEMALE, (double)r->female,
	    ex->cell));
	X(export_xlsx_text(ex, ws, row, X_AUDIENCE, wrapped[X_AUDIENCE],
	    export_format(ex, X_AUDIENCE)));
	X(export_xlsx_text(ex, ws, row, X_TOPIC, wrapped[X_TOPIC],
	    export_format(ex, X_TOPIC)));
	X(export_xlsx_text(ex, ws, row, X_OUTPUTS, outputs,
	    export_format(ex, X_OUTPUTS)));
	free(outputs);
	X(export_xlsx_text(ex, ws, row, X_NOTES, r->notes,
	    export_format(ex, X_NOTES)));
#undef X
	if (err != LXW_NO_ERROR)
		return cause_set(cause, _("cannot write row %zu of %s: %s"),
		    ex->nrows + 1, ex->path, ex->xl->lxw_strerror(err));
	return 0;
}

int
export_row(struct export *ex, const Gp__ExportRow *r, char **cause)
{
	int	rv;

	*cause = NULL;
	switch (ex->format) {
	case EXPORT_CSV:
		rv = export_csv_row(ex, r, cause);
		break;
	case EXPORT_JSON:
		rv = export_json_row(ex, r, cause);
		break;
	default:
		rv = export_xlsx_row(ex, r, cause);
		break;
	}
	if (rv == 0)
		ex->nrows++;
	return rv;
}

int
export_wants_summary(const struct export *ex)
{
	return ex->format == EXPORT_XLSX;
}

static void
export_headings(struct export *ex, const char *const *h, size_t n)
{
	size_t	i, k, lines = 1;

	/* Wrapped: the row as high as the longest (columns as set up). */
	for (i = 0; i < n; i++)
		if ((k = export_lines(h[i], i == 0 ? EXPORT_SUMMARY_FIRST :
		    EXPORT_SUMMARY_WIDTH)) > lines)
			lines = k;
	ex->xl->worksheet_set_row(ex->summary, ex->srow, LXW_DEF_ROW_HEIGHT *
	    (double)lines, NULL);
	/* The label's heading to the left, each figure's to the right,
	 * over its numbers. */
	for (i = 0; i < n; i++)
		ex->xl->worksheet_write_string(ex->summary, ex->srow,
		    (lxw_col_t)i, h[i], i == 0 ? ex->heading :
		    ex->heading_num);
	ex->srow++;
}

/* Row row belongs to the table r. */
static void
export_rows_note(struct xlsx_rows *r, lxw_row_t row)
{
	if (!r->has) {
		r->has = 1;
		r->first = row;
	}
	r->last = row;
}

/* Share of women as a fraction for a "0.0%" cell; none without people. */
static void
export_share(struct export *ex, lxw_col_t col, uint64_t female,
    uint64_t total, lxw_format *fmt)
{
	if (total > 0)
		ex->xl->worksheet_write_number(ex->summary, ex->srow, col,
		    (double)female / (double)total, fmt);
}

static void
export_summary_row(struct export *ex, const Gp__SummaryRow *r,
    const char *label, int total)
{
	const struct xlsx	*x = ex->xl;
	lxw_worksheet		*ws = ex->summary;
	lxw_format		*fmt = total ? ex->total : NULL;
	const Gp__Figures	*d = r->done, *p = r->planned;
	lxw_col_t		 i;

	export_xlsx_text(ex, ws, ex->srow, 0, label, fmt);
	x->worksheet_write_number(ws, ex->srow, 1, (double)r->reports, fmt);
	if (d != NULL) {
		x->worksheet_write_number(ws, ex->srow, 2,
		    (double)d->activities, fmt);
		x->worksheet_write_number(ws, ex->srow, 3, (double)d->sessions,
		    fmt);
		x->worksheet_write_number(ws, ex->srow, 4,
		    (double)d->participants, fmt);
		x->worksheet_write_number(ws, ex->srow, 5, (double)d->female,
		    fmt);
		export_share(ex, 6, d->female, d->participants, total ?
		    ex->total_percent : ex->percent);
	}
	if (p != NULL) {
		i = 7;
		x->worksheet_write_number(ws, ex->srow, i++,
		    (double)p->activities, fmt);
		x->worksheet_write_number(ws, ex->srow, i++,
		    (double)p->sessions, fmt);
		x->worksheet_write_number(ws, ex->srow, i++,
		    (double)p->participants, fmt);
		x->worksheet_write_number(ws, ex->srow, i, (double)p->female,
		    fmt);
	}
	ex->srow++;
}

int
export_summary(struct export *ex, const Gp__SummaryResponse *s, int last,
    char **cause)
{
	const Gp__IndicatorTotal	*it;
	char				*title;
	size_t				 i;
	int				 pass;

	*cause = NULL;
	if (ex->srow == 0) {
		if (asprintf(&title, "Tổng hợp kết quả kỳ báo cáo %s",
		    ex->period) == -1)
			return cause_set(cause, _("out of memory"));
		export_xlsx_text(ex, ex->summary, 0, 0, title, ex->bold);
		free(title);
		ex->srow = 2;
		export_headings(ex, export_summary_headings,
		    sizeof(export_summary_headings) /
		    sizeof(export_summary_headings[0]));
	}
	for (i = 0; i < s->n_rows; i++) {
		export_rows_note(&ex->tables.areas, ex->srow);
		export_summary_row(ex, s->rows[i], s->rows[i]->label != NULL ?
		    s->rows[i]->label : s->rows[i]->key, 0);
	}
	if (!last)
		return 0;

	if (s->total != NULL)
		export_summary_row(ex, s->total, "Tổng cộng", 1);
	ex->srow++;
	export_headings(ex, export_indicator_headings,
	    sizeof(export_indicator_headings) /
	    sizeof(export_indicator_headings[0]));
	/* Those with a women's share first, in the form's order, then
	 * the others: the share chart takes the first rows. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < s->n_indicators; i++) {
			it = s->indicators[i];
			if (it->has_female != (pass == 0))
				continue;
			export_xlsx_text(ex, ex->summary, ex->srow, 0,
			    it->label != NULL ? it->label : it->code, NULL);
			ex->xl->worksheet_write_number(ex->summary, ex->srow, 1,
			    (double)it->total, NULL);
			/* No women's figure where the form gives none. */
			if (it->has_female) {
				export_rows_note(&ex->tables.shares, ex->srow);
				ex->xl->worksheet_write_number(ex->summary,
				    ex->srow, 2, (double)it->female, NULL);
				export_share(ex, 3, it->female, it->total,
				    ex->percent);
			}
			ex->srow++;
		}
	ex->srow++;
	if (s->has_expected) {
		ex->xl->worksheet_write_string(ex->summary, ex->srow, 0,
		    "Số đơn vị phải báo cáo", NULL);
		ex->xl->worksheet_write_number(ex->summary, ex->srow, 1,
		    (double)s->expected, NULL);
		ex->srow++;
	}
	if (s->total != NULL) {
		ex->xl->worksheet_write_string(ex->summary, ex->srow, 0,
		    "Số đơn vị đã báo cáo", NULL);
		ex->xl->worksheet_write_number(ex->summary, ex->srow, 1,
		    (double)s->total->reports, NULL);
		ex->srow++;
	}
	return 0;
}

int
export_summary_units(struct export *ex, const Gp__SummaryResponse *s,
    char **cause)
{
	/* The columns of export_summary_row: done, then planned apart. */
	static const char *const headings[] = {
		"Đơn vị", "Số báo cáo", "Số hoạt động đã thực hiện", "Số buổi",
		"Số người tham gia", "Số nữ", "Tỷ lệ nữ",
		"Số hoạt động ước thực hiện", "Số buổi (ước)",
		"Số người tham gia (ước)", "Số nữ (ước)"
	};
	size_t	i;

	*cause = NULL;
	if (!ex->units_started) {
		ex->srow++;
		export_xlsx_text(ex, ex->summary, ex->srow++, 0, "Theo đơn vị",
		    ex->bold);
		export_headings(ex, headings, sizeof(headings) /
		    sizeof(headings[0]));
		ex->units_started = 1;
	}
	for (i = 0; i < s->n_rows; i++) {
		if (ex->srow >= LXW_ROW_MAX - 1)
			return cause_set(cause, _("more than %u rows: too many "
			    "units for a spreadsheet"), LXW_ROW_MAX - 1);
		export_rows_note(&ex->tables.units, ex->srow);
		export_summary_row(ex, s->rows[i], s->rows[i]->label != NULL ?
		    s->rows[i]->label : s->rows[i]->key, 0);
	}
	return 0;
}

/*
 * Each sheet printed on A4 as wide as a page, the activities in
 * landscape with their headings on every page; above, the period and
 * the unit (or how many), below, the day it was made and the page.
 */
static int
export_xlsx_print(struct export *ex, char **cause)
{
	struct xlsx_page	 page;
	char			 title[128], who[256], made[64];
	int			 y, m, d;

	snprintf(title, sizeof(title), U_("Công tác bình đẳng giới – kỳ báo "
	    "cáo %s"), ex->period);
	if (ex->nunits == 1 && ex->unit_name[0] != '\0')
		snprintf(who, sizeof(who), "%s (%s)", ex->unit_name, ex->unit);
	else if (ex->nunits == 1)
		snprintf(who, sizeof(who), "%s", ex->unit);
	else if (ex->nunits > 1)
		snprintf(who, sizeof(who), U_("%zu đơn vị"), ex->nunits);
	else
		who[0] = '\0';
	date_to_ymd(zone_today(), &y, &m, &d);
	snprintf(made, sizeof(made), U_("Xuất ngày %d/%d/%d"), d, m, y);

	memset(&page, 0, sizeof(page));
	page.title = title;
	page.who = who;
	page.made = made;
	page.landscape = 1;
	page.repeat_heading = 1;
	page.gridlines = 1;
	if (xlsx_print(ex->xl, ex->rows, &page) == -1)
		goto fail;
	page.repeat_heading = 0;
	page.gridlines = 0;
	if (xlsx_print(ex->xl, ex->summary, &page) == -1)
		goto fail;
	/* The charts one under the other: a page upright. */
	page.landscape = 0;
	if (xlsx_print(ex->xl, ex->charts, &page) == -1)
		goto fail;
	return 0;

fail:
	return cause_set(cause, _("cannot set up the printed pages of %s"),
	    ex->path);
}

size_t
export_nrows(const struct export *ex)
{
	return ex->nrows;
}

int
export_close(struct export *ex, char **cause)
{
	lxw_workbook	*wb;
	lxw_error	 err;

	*cause = NULL;
	if (ex->format == EXPORT_XLSX) {
		ex->xl->worksheet_autofilter(ex->rows, 0, 0,
		    (lxw_row_t)ex->nrows, X_COUNT - 1);
		if (xlsx_charts(ex->xl, ex->wb, ex->charts, &ex->tables,
		    cause) == -1 || export_xlsx_print(ex, cause) == -1)
			return -1;
		wb = ex->wb;
		ex->wb = NULL;	/* workbook_close frees it, failing or not */
		if ((err = ex->xl->workbook_close(wb)) != LXW_NO_ERROR)
			return cause_set(cause, _("cannot write %s: %s"),
			    ex->path, ex->xl->lxw_strerror(err));
	} else {
		if (ex->format == EXPORT_JSON)
			fputs(ex->nrows == 0 ? "[]\n" : "\n]\n", ex->f);
		if (fflush(ex->f) == EOF || ferror(ex->f))
			return cause_set(cause, _("cannot write %s: %s"),
			    export_where(ex), strerror(errno));
	}
	if (ex->out != NULL && outfile_commit(ex->out, cause) == -1)
		return -1;
	return 0;
}

void
export_free(struct export *ex)
{
	if (ex == NULL)
		return;
	if (ex->wb != NULL)
		ex->xl->lxw_workbook_free(ex->wb);
	/* ex->f is the outfile's stream, or stdout. */
	outfile_free(ex->out);
	while (ex->nlabels > 0) {
		ex->nlabels--;
		free(ex->label_code[ex->nlabels]);
		free(ex->label_text[ex->nlabels]);
	}
	free(ex->unit);
	free(ex->unit_name);
	free(ex->last_unit);
	free(ex->path);
	free(ex->period);
	free(ex);
}
