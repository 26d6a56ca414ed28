/*
 * Composing the report (compose.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "chart.h"
#include "compose.h"
#include "styles.h"
#include "vnfmt.h"
#include "wml.h"

/* Units shown in the chart of participants by unit. */
#define COMPOSE_CHART_UNITS	30
/* Numeric columns of one table of indicators by unit. */
#define COMPOSE_IND_COLUMNS	6
#define COMPOSE_LINE		4096

struct compose {
	struct docx			*docx;
	struct wml			*w;
	const struct data_header	*h;
	const struct data_form		*f;
	struct data_unit *const		*units;
	size_t				 nunits;
	const struct figures		*fig;
	char				**cause;
	int				 failed;
	int				 ncharts;
	int				 ntables;
	char				 phrase[64];	/* 6 tháng đầu năm 2022 */
	char				 prev_phrase[64];
};

/* The year in the federation's time (UTC+7, no daylight saving): an
 * undated report is dated this year, whatever period it covers. */
static int
compose_this_year(void)
{
	struct tm	tm;
	time_t		t = time(NULL) + 7 * 3600;

	if (gmtime_r(&t, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

static const struct wml_run compose_bold = { 1, 0, 0, 0 };
static const struct wml_run compose_italic = { 0, 1, 0, 0 };
static const struct wml_run compose_bold_italic = { 1, 1, 0, 0 };

static const char *const compose_roman[] = { "I", "II", "III", "IV", "V",
	"VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
	"XVI", "XVII", "XVIII", "XIX", "XX" };

static void	compose_fail(struct compose *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
compose_fail(struct compose *c, const char *fmt, ...)
{
	va_list	ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	if (vasprintf(c->cause, fmt, ap) == -1)
		*c->cause = NULL;
	va_end(ap);
}

const char *
compose_period_phrase(char *buf, size_t len, const struct data_period *p)
{
	if (p->annual)
		snprintf(buf, len, "năm %d", p->year);
	else
		snprintf(buf, len, "6 tháng đầu năm %d", p->year);
	return buf;
}

/* --- paragraphs --------------------------------------------------------- */

static void
compose_para(struct compose *c, const char *style, const char *text)
{
	struct wml_para	p = WML_PARA_INIT(style);

	wml_para(c->w, &p, NULL, text);
}

/* A paragraph of runs: pairs of (const struct wml_run *, const char *),
 * ending with a NULL text. */
static void
compose_runs(struct compose *c, const struct wml_para *p, ...)
{
	const struct wml_run	*r;
	const char		*text;
	va_list			 ap;

	wml_para_start(c->w, p);
	va_start(ap, p);
	for (;;) {
		r = va_arg(ap, const struct wml_run *);
		if ((text = va_arg(ap, const char *)) == NULL)
			break;
		if (text[0] != '\0')
			wml_run(c->w, r, text);
	}
	va_end(ap);
	wml_para_end(c->w);
}

/* A heading "number. label" at level 1, 2 or 3. */
static void
compose_heading(struct compose *c, int level, const char *number,
    const char *label)
{
	struct wml_para	p = WML_PARA_INIT(level == 1 ? STYLE_HEADING1 :
			    level == 2 ? STYLE_HEADING2 : STYLE_HEADING3);

	compose_runs(c, &p, NULL, number, NULL, ". ", NULL, label, NULL,
	    (const char *)NULL);
}

/* "I. TEXT", with the label in capitals (glib knows Vietnamese case). */
static void
compose_roman_heading(struct compose *c, int n, const char *label)
{
	gchar	*up;

	up = g_utf8_strup(label, -1);
	compose_heading(c, 1, n >= 1 && n <= 20 ? compose_roman[n - 1] : "?",
	    up);
	g_free(up);
}

static void
compose_numbered(struct compose *c, int level, int n, const char *label)
{
	char	num[16];

	snprintf(num, sizeof(num), "%d", n);
	compose_heading(c, level, num, label);
}

/* A short centred rule, width twips wide, in a column of colw twips. */
static void
compose_rule(struct compose *c, int colw, int width)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_RULE);

	if (width > colw)
		width = colw;
	p.rule_above = 1;
	p.before = 50;	/* clear of the descenders above */
	p.left = (colw - width) / 2;
	p.right = (colw - width) / 2;
	wml_para(c->w, &p, NULL, NULL);
}

/* The text with its first letter in lower case, for the middle of a
 * sentence: "Kết quả ..." -> "kết quả ...". */
static gchar *
compose_lower_first(const char *s)
{
	gchar		 first[8];
	gunichar	 u;
	const char	*rest;
	gint		 n;

	if (!g_utf8_validate(s, -1, NULL) || s[0] == '\0')
		return g_strdup(s);
	u = g_unichar_tolower(g_utf8_get_char(s));
	rest = g_utf8_next_char(s);
	n = g_unichar_to_utf8(u, first);
	first[n] = '\0';
	return g_strconcat(first, rest, NULL);
}

/* --- tables ------------------------------------------------------------- */

static void
compose_caption_above(struct compose *c, const char *text)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_SUBJECT);
	char		line[COMPOSE_LINE];
	const struct wml_run size = { 1, 0, 0, 26 };

	p.before = 160;
	p.after = 80;
	snprintf(line, sizeof(line), "Bảng %d. %s", ++c->ntables, text);
	wml_para(c->w, &p, &size, line);
}

static void
compose_head_cell(struct compose *c, int span, int merge, const char *text)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_TABLE_HEAD);

	wml_cell_start(c->w, span, merge, 12);
	if (merge != WML_MERGE_CONTINUE)
		wml_para(c->w, &p, NULL, text);
	wml_cell_end(c->w);
}

static void
compose_text_cell(struct compose *c, const char *text, int bold)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_TABLE);

	wml_cell(c->w, 1, &p, bold ? &compose_bold : NULL, text);
}

static void
compose_center_cell(struct compose *c, const char *text, int bold)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_TABLE);

	p.align = WML_CENTER;
	wml_cell(c->w, 1, &p, bold ? &compose_bold : NULL, text);
}

static void
compose_number_cell(struct compose *c, uint64_t v, int bold)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_TABLE_NUMBER);
	char		buf[VNFMT_MAX];

	wml_cell(c->w, 1, &p, bold ? &compose_bold : NULL,
	    vnfmt_int(buf, sizeof(buf), v));
}

static void
compose_share_cell(struct compose *c, uint64_t part, uint64_t whole,
    int bold, int span)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_TABLE_NUMBER);
	char		buf[VNFMT_MAX];

	if (span > 1)
		p.align = WML_CENTER;
	wml_cell(c->w, span, &p, bold ? &compose_bold : NULL,
	    vnfmt_share(buf, sizeof(buf), part, whole));
}

/* --- charts ------------------------------------------------------------- */

static void
compose_chart(struct compose *c, const struct chart *ch, const char *caption)
{
	struct wml_para	 fp = WML_PARA_INIT(STYLE_FIGURE);
	char		 rel[16], line[COMPOSE_LINE];
	uint8_t		*png;
	size_t		 len;
	int		 height;
	long		 cx, cy;

	if (c->failed)
		return;
	if (chart_png(ch, &png, &len, &height, c->cause) == -1) {
		c->failed = 1;
		return;
	}
	if (docx_add_image(c->docx, png, len, rel, c->cause) == -1) {
		c->failed = 1;
		return;
	}
	snprintf(line, sizeof(line), "Biểu đồ %d. %s", ++c->ncharts, caption);
	/* 16 cm wide, as high as the picture says. */
	cx = 5760000L;
	cy = cx * height / CHART_WIDTH;
	wml_para_start(c->w, &fp);
	wml_image(c->w, rel, cx, cy, line);
	wml_para_end(c->w);
	compose_para(c, STYLE_CAPTION, line);
}

/* --- the masthead ------------------------------------------------------- */

static void
compose_masthead(struct compose *c)
{
	const struct data_document	*d = &c->h->doc;
	struct wml_para			 p = WML_PARA_INIT(STYLE_MASTHEAD);
	const struct wml_run		 parent = { 0, 0, 0, STYLE_SIZE_MASTHEAD };
	const struct wml_run		 body = { 1, 0, 0, STYLE_SIZE_MASTHEAD };
	const struct wml_run		 nation = { 1, 0, 0, STYLE_SIZE_NATION };
	const struct wml_run		 motto = { 1, 0, 1, STYLE_SIZE_BODY };
	const struct wml_run		 date = { 0, 1, 0, STYLE_SIZE_BODY };
	int				 widths[2] = { 3742, 0 };
	char				 line[COMPOSE_LINE];
	double				 body_pt;

	widths[1] = DOCX_TEXT_WIDTH - widths[0];
	wml_table_start(c->w, widths, 2, 0);
	wml_row_start(c->w, 0);
	wml_cell_start(c->w, 1, WML_MERGE_NONE, 0);
	wml_para(c->w, &p, &parent, d->parent_body);
	wml_para(c->w, &p, &body, d->body);
	/* Under the issuing body, a rule a third to a half of its line. */
	body_pt = chart_text_width(d->body, 1, STYLE_SIZE_MASTHEAD / 2.0);
	compose_rule(c, widths[0], (int)(body_pt * 20 * 0.45));
	wml_cell_end(c->w);
	wml_cell_start(c->w, 1, WML_MERGE_NONE, 0);
	wml_para(c->w, &p, &nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	wml_para(c->w, &p, &motto, "Độc lập - Tự do - Hạnh phúc");
	wml_cell_end(c->w);
	wml_row_end(c->w);

	wml_row_start(c->w, 0);
	p.before = 120;
	wml_cell(c->w, 1, &p, &parent, d->number);
	wml_cell(c->w, 1, &p, &date, vnfmt_place_date(line, sizeof(line),
	    d->place, d->date, compose_this_year()));
	wml_row_end(c->w);
	wml_table_end(c->w);
}

static void
compose_title(struct compose *c)
{
	char	line[COMPOSE_LINE];

	compose_para(c, STYLE_TITLE, "BÁO CÁO");
	snprintf(line, sizeof(line), "%s %s", c->h->doc.subject, c->phrase);
	compose_para(c, STYLE_SUBJECT, line);
	compose_rule(c, DOCX_TEXT_WIDTH, WML_MM(40));
}

static void
compose_opening(struct compose *c)
{
	struct wml_para	 p = WML_PARA_INIT(STYLE_BODY);
	char		 from[VNFMT_MAX], to[VNFMT_MAX], line[COMPOSE_LINE];

	p.before = 240;
	if (c->f->title != NULL)
		compose_runs(c, &p, NULL, "Thực hiện ", NULL, c->f->title,
		    NULL, "; căn cứ báo cáo của các đơn vị, ", NULL,
		    c->h->doc.body_name, NULL, " tổng hợp, báo cáo như sau:",
		    NULL, (const char *)NULL);
	else
		compose_runs(c, &p, NULL, "Căn cứ báo cáo của các đơn vị, ",
		    NULL, c->h->doc.body_name, NULL,
		    " tổng hợp, báo cáo như sau:", NULL, (const char *)NULL);
	if (vnfmt_date(from, sizeof(from), c->h->period.from) != NULL &&
	    vnfmt_date(to, sizeof(to), c->h->period.to) != NULL) {
		snprintf(line, sizeof(line), "(Số liệu tính từ ngày %s đến "
		    "ngày %s.)", from, to);
		p.before = WML_UNSET;
		compose_runs(c, &p, &compose_italic, line, NULL,
		    (const char *)NULL);
	}
}

/* --- I. who reported ---------------------------------------------------- */

/* "A, B, C" of the units with the given submission (or excluded). */
static void
compose_unit_list(struct compose *c, int which, int with_date)
{
	struct wml_para	 p = WML_PARA_INIT(STYLE_BODY);
	char		 day[11], date[VNFMT_MAX];
	size_t		 i, n = 0;

	wml_para_start(c->w, &p);
	for (i = 0; i < c->nunits; i++) {
		const struct data_unit	*u = c->units[i];

		if (which >= 0 ? u->submission != which :
		    u->submission == DATA_MISSING || u->report != NULL)
			continue;
		if (n++ > 0)
			wml_run(c->w, NULL, ", ");
		else
			wml_run(c->w, NULL, which == DATA_MISSING ?
			    "- Đơn vị chưa gửi báo cáo: " : which == DATA_LATE ?
			    "- Đơn vị gửi báo cáo muộn: " :
			    "- Đơn vị đã gửi báo cáo nhưng chưa được chấp "
			    "nhận (không tổng hợp): ");
		wml_run(c->w, NULL, u->name);
		if (with_date && u->submitted != NULL) {
			memcpy(day, u->submitted, 10);
			day[10] = '\0';
			if (vnfmt_date(date, sizeof(date), day) != NULL) {
				wml_run(c->w, NULL, " (ngày ");
				wml_run(c->w, NULL, date);
				wml_run(c->w, NULL, ")");
			}
		}
	}
	wml_run(c->w, NULL, ".");
	wml_para_end(c->w);
}

static void
compose_who_reported(struct compose *c, int section)
{
	const struct figures	*fig = c->fig;
	char			 n[VNFMT_MAX], r[VNFMT_MAX], share[VNFMT_MAX];
	char			 ot[VNFMT_MAX], late[VNFMT_MAX], miss[VNFMT_MAX];
	char			 due[VNFMT_MAX], line[COMPOSE_LINE];
	size_t			 reported = fig->on_time + fig->late;

	compose_roman_heading(c, section, "Tình hình báo cáo của các đơn vị");
	vnfmt_int(n, sizeof(n), fig->cur.units);
	vnfmt_int(r, sizeof(r), reported);
	vnfmt_share(share, sizeof(share), reported, fig->cur.units);
	vnfmt_int(ot, sizeof(ot), fig->on_time);
	vnfmt_int(late, sizeof(late), fig->late);
	vnfmt_int(miss, sizeof(miss), fig->missing);
	if (vnfmt_date(due, sizeof(due), c->h->period.due) != NULL)
		snprintf(line, sizeof(line), "Tổng số đơn vị phải báo cáo: %s. "
		    "Đã gửi báo cáo: %s đơn vị (%s), trong đó đúng hạn (trước "
		    "hoặc trong ngày %s) %s đơn vị, muộn %s đơn vị; chưa gửi "
		    "báo cáo: %s đơn vị.", n, r, share, due, ot, late, miss);
	else
		snprintf(line, sizeof(line), "Tổng số đơn vị phải báo cáo: %s. "
		    "Đã gửi báo cáo: %s đơn vị (%s), trong đó đúng hạn %s đơn "
		    "vị, muộn %s đơn vị; chưa gửi báo cáo: %s đơn vị.", n, r,
		    share, ot, late, miss);
	compose_para(c, STYLE_BODY, line);
	if (fig->late > 0)
		compose_unit_list(c, DATA_LATE, 1);
	if (fig->missing > 0)
		compose_unit_list(c, DATA_MISSING, 0);
	if (c->h->accepted_only) {
		vnfmt_int(n, sizeof(n), fig->cur.included);
		snprintf(line, sizeof(line), "- Số liệu trong báo cáo này chỉ "
		    "tổng hợp từ %s báo cáo đã được chấp nhận.", n);
		compose_para(c, STYLE_BODY, line);
	}
	if (fig->excluded > 0)
		compose_unit_list(c, -1, 0);
	compose_runs(c, &(struct wml_para)WML_PARA_INIT(STYLE_BODY),
	    &compose_italic, "(Chi tiết tại Phụ lục 1.)", NULL,
	    (const char *)NULL);
}

/* --- II. results per area ----------------------------------------------- */

/* "12 tin, bài; 1.500 tờ rơi" of an area's media counts, or "" */
static void
compose_media(struct compose *c, const uint64_t *media, char *out,
    size_t len)
{
	char	num[VNFMT_MAX];
	size_t	i, used = 0;

	out[0] = '\0';
	for (i = 0; i < c->f->nmedia; i++) {
		if (media[i] == 0)
			continue;
		used = strlen(out);
		snprintf(out + used, len - used, "%s%s %s",
		    used > 0 ? "; " : "", vnfmt_int(num, sizeof(num),
		    media[i]), c->f->media[i].label);
	}
}

static void
compose_highlight(struct compose *c, const struct figures_pick *pk)
{
	const struct data_unit		*u = c->units[pk->unit];
	const struct data_activity	*a = &u->report->activities[pk->activity];
	struct wml_para			 p = WML_PARA_INIT(STYLE_BODY);
	char				 when[VNFMT_MAX], np[VNFMT_MAX];
	char				 nf[VNFMT_MAX], tail[COMPOSE_LINE];

	vnfmt_date_range(when, sizeof(when), a->date,
	    a->end_date[0] != '\0' ? a->end_date : NULL);
	vnfmt_int(np, sizeof(np), a->participants);
	vnfmt_int(nf, sizeof(nf), a->female);
	snprintf(tail, sizeof(tail), " (%s%s%s; %s lượt người, %s nữ).",
	    a->location != NULL ? a->location : "",
	    a->location != NULL ? ", " : "", when, np, nf);
	compose_runs(c, &p, NULL, "- ", &compose_italic, u->name, NULL, ": ",
	    NULL, a->title, NULL, tail, NULL, (const char *)NULL);
}

static void
compose_area(struct compose *c, size_t area, int n)
{
	const struct figures_area	*fa = &c->fig->cur.areas[area];
	struct figures_pick		 picks[DATA_MAX_HIGHLIGHTS];
	char				 a[VNFMT_MAX], s[VNFMT_MAX];
	char				 p[VNFMT_MAX], f[VNFMT_MAX];
	char				 sh[VNFMT_MAX], u[VNFMT_MAX];
	char				 media[COMPOSE_LINE];
	char				 line[COMPOSE_LINE * 2];
	size_t				 npicks, i, used;

	compose_numbered(c, 2, n, c->f->areas[area].label);
	if (fa->done.activities == 0 && fa->planned.activities == 0) {
		compose_para(c, STYLE_BODY, "Trong kỳ, chưa có đơn vị nào báo "
		    "cáo hoạt động thuộc nội dung này.");
		return;
	}
	line[0] = '\0';
	if (fa->done.activities > 0) {
		vnfmt_int(a, sizeof(a), fa->done.activities);
		vnfmt_int(s, sizeof(s), fa->done.sessions);
		vnfmt_int(p, sizeof(p), fa->done.participants);
		vnfmt_int(f, sizeof(f), fa->done.female);
		vnfmt_share(sh, sizeof(sh), fa->done.female,
		    fa->done.participants);
		vnfmt_int(u, sizeof(u), fa->units);
		snprintf(line, sizeof(line), "%s đơn vị đã tổ chức %s hoạt "
		    "động (%s buổi) với %s lượt người tham gia, trong đó %s "
		    "lượt nữ (%s).", u, a, s, p, f, sh);
		compose_media(c, fa->media, media, sizeof(media));
		if (media[0] != '\0') {
			used = strlen(line);
			snprintf(line + used, sizeof(line) - used, " Sản phẩm "
			    "truyền thông: %s.", media);
		}
	}
	if (fa->planned.activities > 0) {
		vnfmt_int(a, sizeof(a), fa->planned.activities);
		vnfmt_int(p, sizeof(p), fa->planned.participants);
		used = strlen(line);
		snprintf(line + used, sizeof(line) - used, "%sƯớc thực hiện "
		    "đến hết kỳ báo cáo: %s hoạt động với %s lượt người "
		    "tham gia (chưa tính vào số đã thực hiện).",
		    used > 0 ? " " : "", a, p);
	}
	compose_para(c, STYLE_BODY, line);
	npicks = figures_highlights(c->units, c->nunits, area, picks,
	    c->h->doc.highlights);
	if (npicks == 0)
		return;
	compose_para(c, STYLE_BODY, "Một số hoạt động tiêu biểu:");
	for (i = 0; i < npicks; i++)
		compose_highlight(c, &picks[i]);
}

/* Table 1 and the charts of activities, participants, planned and units. */
static void
compose_summary(struct compose *c, int n)
{
	const struct figures	*fig = c->fig;
	const struct data_form	*f = c->f;
	const int		 widths[9] = { 680, 2835, 794, 794, 964, 907,
				    850, 794, 737 };
	const char		**cats = NULL;
	double			*v = NULL;
	size_t			 i, k, ncats, *order = NULL;
	struct chart		 ch;
	char			 num[VNFMT_MAX], line[COMPOSE_LINE];

	compose_numbered(c, 2, n, "Tổng hợp số liệu");
	compose_caption_above(c, "Kết quả thực hiện theo nội dung");
	wml_table_start(c->w, widths, 9, 1);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_START, "STT");
	compose_head_cell(c, 1, WML_MERGE_START, "Nội dung");
	compose_head_cell(c, 5, WML_MERGE_NONE, "Đã thực hiện");
	compose_head_cell(c, 2, WML_MERGE_NONE, "Ước thực hiện");
	wml_row_end(c->w);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	compose_head_cell(c, 1, 0, "Hoạt động");
	compose_head_cell(c, 1, 0, "Buổi");
	compose_head_cell(c, 1, 0, "Lượt người");
	compose_head_cell(c, 1, 0, "Lượt nữ");
	compose_head_cell(c, 1, 0, "Tỷ lệ nữ");
	compose_head_cell(c, 1, 0, "Hoạt động");
	compose_head_cell(c, 1, 0, "Lượt người");
	wml_row_end(c->w);
	for (i = 0; i < f->nareas; i++) {
		const struct figures_area	*fa = &fig->cur.areas[i];

		wml_row_start(c->w, 0);
		compose_center_cell(c, vnfmt_int(num, sizeof(num), i + 1), 0);
		compose_text_cell(c, f->areas[i].label, 0);
		compose_number_cell(c, fa->done.activities, 0);
		compose_number_cell(c, fa->done.sessions, 0);
		compose_number_cell(c, fa->done.participants, 0);
		compose_number_cell(c, fa->done.female, 0);
		compose_share_cell(c, fa->done.female, fa->done.participants,
		    0, 1);
		compose_number_cell(c, fa->planned.activities, 0);
		compose_number_cell(c, fa->planned.participants, 0);
		wml_row_end(c->w);
	}
	wml_row_start(c->w, 0);
	compose_center_cell(c, "", 1);
	compose_text_cell(c, "Tổng cộng", 1);
	compose_number_cell(c, fig->cur.done.activities, 1);
	compose_number_cell(c, fig->cur.done.sessions, 1);
	compose_number_cell(c, fig->cur.done.participants, 1);
	compose_number_cell(c, fig->cur.done.female, 1);
	compose_share_cell(c, fig->cur.done.female, fig->cur.done.participants,
	    1, 1);
	compose_number_cell(c, fig->cur.planned.activities, 1);
	compose_number_cell(c, fig->cur.planned.participants, 1);
	wml_row_end(c->w);
	wml_table_end(c->w);

	/* Charts of nothing but zeros say nothing the table does not. */
	if (fig->cur.done.activities == 0 && fig->cur.planned.activities == 0)
		goto done;
	ncats = f->nareas;
	if ((cats = calloc(ncats + 1, sizeof(*cats))) == NULL ||
	    (v = calloc(4 * (ncats + 1), sizeof(double))) == NULL) {
		compose_fail(c, "out of memory");
		goto done;
	}
	for (i = 0; i < ncats; i++) {
		cats[i] = f->areas[i].label;
		v[i] = (double)fig->cur.areas[i].done.activities;
		v[ncats + i] = (double)fig->cur.areas[i].done.sessions;
		v[2 * ncats + i] = (double)fig->cur.areas[i].done.participants;
		v[3 * ncats + i] = (double)fig->cur.areas[i].done.female;
	}
	memset(&ch, 0, sizeof(ch));
	ch.categories = cats;
	ch.ncategories = ncats;
	ch.axis = "Số hoạt động, số buổi";
	ch.nseries = 2;
	ch.series[0].name = "Số hoạt động đã thực hiện";
	ch.series[0].values = v;
	ch.series[1].name = "Số buổi";
	ch.series[1].values = v + ncats;
	compose_chart(c, &ch, "Số hoạt động đã thực hiện theo nội dung");

	ch.axis = "Số lượt người";
	ch.series[0].name = "Lượt người tham gia";
	ch.series[0].values = v + 2 * ncats;
	ch.series[1].name = "Trong đó nữ";
	ch.series[1].values = v + 3 * ncats;
	compose_chart(c, &ch, "Lượt người tham gia theo nội dung");

	/* Done beside planned, when anything is planned: a series of
	 * zeros would only repeat chart 1. */
	for (i = 0; i < ncats; i++)
		v[2 * ncats + i] = (double)fig->cur.areas[i].planned.activities;
	ch.axis = "Số hoạt động";
	ch.series[0].name = "Đã thực hiện";
	ch.series[0].values = v;
	ch.series[1].name = "Ước thực hiện";
	ch.series[1].values = v + 2 * ncats;
	if (fig->cur.planned.activities > 0)
		compose_chart(c, &ch, "Hoạt động đã thực hiện và ước thực "
		    "hiện theo nội dung");
	free(cats);
	free(v);
	cats = NULL;
	v = NULL;

	/* Participants by unit: the units that reported, most first. */
	if (fig->cur.included == 0)
		goto done;
	if ((order = calloc(fig->nunits + 1, sizeof(size_t))) == NULL ||
	    (cats = calloc(COMPOSE_CHART_UNITS + 1, sizeof(*cats))) == NULL ||
	    (v = calloc(2 * (COMPOSE_CHART_UNITS + 1), sizeof(double))) ==
	    NULL) {
		compose_fail(c, "out of memory");
		goto done;
	}
	figures_rank_units(fig, order);
	for (i = 0, k = 0; i < fig->nunits && k < COMPOSE_CHART_UNITS; i++) {
		if (c->units[order[i]]->report == NULL)
			continue;
		cats[k] = c->units[order[i]]->name;
		v[k] = (double)fig->units[order[i]].done.participants;
		v[COMPOSE_CHART_UNITS + k] =
		    (double)fig->units[order[i]].done.female;
		k++;
	}
	memset(&ch, 0, sizeof(ch));
	ch.categories = cats;
	ch.ncategories = k;
	ch.axis = "Số lượt người";
	ch.nseries = 2;
	ch.series[0].name = "Lượt người tham gia";
	ch.series[0].values = v;
	ch.series[1].name = "Trong đó nữ";
	ch.series[1].values = v + COMPOSE_CHART_UNITS;
	if (fig->cur.included > COMPOSE_CHART_UNITS) {
		snprintf(line, sizeof(line), "Lượt người tham gia: %d đơn vị "
		    "có số lượt cao nhất", COMPOSE_CHART_UNITS);
		compose_chart(c, &ch, line);
	} else
		compose_chart(c, &ch, "Lượt người tham gia theo đơn vị");
done:
	free(order);
	free(cats);
	free(v);
}

/* --- indicators --------------------------------------------------------- */

/* One table: indicators first..last-1 by unit, with totals and shares. */
static void
compose_indicator_table(struct compose *c, size_t first, size_t last)
{
	const struct data_form	*f = c->f;
	const struct figures	*fig = c->fig;
	int			 widths[2 + COMPOSE_IND_COLUMNS];
	size_t			 ncols = 0, i, j, u, row = 0;
	char			 num[VNFMT_MAX];
	int			 numw;

	for (i = first; i < last; i++)
		ncols += f->indicators[i].female_share ? 2 : 1;
	widths[0] = 680;
	widths[1] = 2835;	/* "Công đoàn ngành Giáo dục" on one line */
	numw = (DOCX_TEXT_WIDTH - widths[0] - widths[1]) / (int)ncols;
	for (j = 0; j < ncols; j++)
		widths[2 + j] = numw;
	wml_table_start(c->w, widths, 2 + ncols, 1);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_START, "STT");
	compose_head_cell(c, 1, WML_MERGE_START, "Đơn vị");
	/* A label is never merged down into the second row: LibreOffice
	 * does not grow rows for a merged cell's text and would cut it. */
	for (i = first; i < last; i++)
		compose_head_cell(c, f->indicators[i].female_share ? 2 : 1,
		    WML_MERGE_NONE, f->indicators[i].label);
	wml_row_end(c->w);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	for (i = first; i < last; i++) {
		compose_head_cell(c, 1, 0, "Tổng số");
		if (f->indicators[i].female_share)
			compose_head_cell(c, 1, 0, "Nữ");
	}
	wml_row_end(c->w);
	for (u = 0; u < c->nunits; u++) {
		const struct data_report	*rep = c->units[u]->report;

		if (rep == NULL)
			continue;
		wml_row_start(c->w, 0);
		compose_center_cell(c, vnfmt_int(num, sizeof(num), ++row), 0);
		compose_text_cell(c, c->units[u]->name, 0);
		for (i = first; i < last; i++) {
			const struct data_value	*dv = &rep->indicators[i];

			if (!dv->present) {
				compose_center_cell(c, "-", 0);
				if (f->indicators[i].female_share)
					compose_center_cell(c, "-", 0);
				continue;
			}
			compose_number_cell(c, dv->total, 0);
			if (f->indicators[i].female_share)
				compose_number_cell(c, dv->female, 0);
		}
		wml_row_end(c->w);
	}
	wml_row_start(c->w, 0);
	compose_center_cell(c, "", 1);
	compose_text_cell(c, "Tổng cộng", 1);
	for (i = first; i < last; i++) {
		compose_number_cell(c, fig->cur.indicators[i].total, 1);
		if (f->indicators[i].female_share)
			compose_number_cell(c, fig->cur.indicators[i].female,
			    1);
	}
	wml_row_end(c->w);
	wml_row_start(c->w, 0);
	compose_center_cell(c, "", 1);
	compose_text_cell(c, "Tỷ lệ nữ", 1);
	for (i = first; i < last; i++) {
		if (f->indicators[i].female_share)
			compose_share_cell(c, fig->cur.indicators[i].female,
			    fig->cur.indicators[i].total, 1, 2);
		else
			compose_center_cell(c, "", 0);
	}
	wml_row_end(c->w);
	wml_table_end(c->w);
}

static void
compose_indicators(struct compose *c, int n)
{
	const struct data_form	*f = c->f;
	const struct figures	*fig = c->fig;
	const char		**cats = NULL;
	double			*v = NULL;
	size_t			 first, i, cols, k;
	struct chart		 ch;
	char			 y[16], py[16], cap[COMPOSE_LINE];

	if (f->nindicators == 0)
		return;
	compose_numbered(c, 2, n, "Các chỉ tiêu");
	if (fig->cur.included == 0) {
		compose_para(c, STYLE_BODY, "Chưa có đơn vị nào báo cáo các "
		    "chỉ tiêu.");
		return;
	}
	compose_para(c, STYLE_BODY, "Số liệu các chỉ tiêu do các đơn vị báo "
	    "cáo; tỷ lệ nữ chỉ tính ở các chỉ tiêu có số nữ.");
	first = 0;
	k = 0;
	while (first < f->nindicators) {
		cols = 0;
		for (i = first; i < f->nindicators; i++) {
			size_t	w = f->indicators[i].female_share ? 2 : 1;

			if (cols + w > COMPOSE_IND_COLUMNS)
				break;
			cols += w;
		}
		snprintf(cap, sizeof(cap), "Các chỉ tiêu theo đơn vị%s",
		    f->nindicators > 3 ? k == 0 ? " (phần 1)" : "" : "");
		if (k > 0)
			snprintf(cap, sizeof(cap), "Các chỉ tiêu theo đơn vị "
			    "(phần %zu)", k + 1);
		compose_caption_above(c, cap);
		compose_indicator_table(c, first, i);
		first = i;
		k++;
	}

	/* Women's share by indicator, beside last year's when given. */
	if ((cats = calloc(f->nindicators + 1, sizeof(*cats))) == NULL ||
	    (v = calloc(2 * (f->nindicators + 1), sizeof(double))) == NULL) {
		compose_fail(c, "out of memory");
		goto done;
	}
	k = 0;
	for (i = 0; i < f->nindicators; i++) {
		long	t;

		/* A share of nothing is no share: left out. */
		if (!f->indicators[i].female_share ||
		    (fig->cur.indicators[i].total == 0 && (!fig->has_previous ||
		    fig->prev.indicators[i].total == 0)))
			continue;
		cats[k] = f->indicators[i].label;
		t = figures_tenths(fig->cur.indicators[i].female,
		    fig->cur.indicators[i].total);
		v[k] = t < 0 ? 0 : t / 10.0;
		if (fig->has_previous) {
			t = figures_tenths(fig->prev.indicators[i].female,
			    fig->prev.indicators[i].total);
			v[f->nindicators + k] = t < 0 ? 0 : t / 10.0;
		}
		k++;
	}
	if (k == 0)
		goto done;
	memset(&ch, 0, sizeof(ch));
	ch.categories = cats;
	ch.ncategories = k;
	ch.axis = "Tỷ lệ nữ (%)";
	ch.percent = 1;
	snprintf(y, sizeof(y), "Năm %d", c->h->period.year);
	ch.series[0].name = y;
	ch.series[0].values = v;
	ch.nseries = 1;
	if (fig->has_previous) {
		snprintf(py, sizeof(py), "Năm %d", c->h->previous.year);
		ch.series[1].name = py;
		ch.series[1].values = v + f->nindicators;
		ch.nseries = 2;
		snprintf(cap, sizeof(cap), "Tỷ lệ nữ theo chỉ tiêu, %s so với "
		    "cùng kỳ năm %d", c->phrase, c->h->previous.year);
	} else
		snprintf(cap, sizeof(cap), "Tỷ lệ nữ theo chỉ tiêu");
	if (!fig->has_previous)
		ch.series[0].name = "Tỷ lệ nữ";
	compose_chart(c, &ch, cap);
done:
	free(cats);
	free(v);
}

/* --- the same period a year before -------------------------------------- */

/* "+12,5%", "-3,0%", or "-" when there was nothing to compare with. */
static const char *
compose_change(char *buf, size_t len, uint64_t now, uint64_t before)
{
	long	t;

	if (before == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	t = (long)(((double)now - (double)before) * 1000.0 / (double)before +
	    (now >= before ? 0.5 : -0.5));
	vnfmt_tenths(buf, len, t, 1);
	if (t > 0) {
		memmove(buf + 1, buf, strlen(buf) + 1);
		buf[0] = '+';
	}
	return buf;
}

/* The change in words: "tăng 26,2%", "giảm 3,0%", "không đổi". */
static const char *
compose_change_words(char *buf, size_t len, uint64_t now, uint64_t before)
{
	char	pct[VNFMT_MAX];

	if (before == 0)
		snprintf(buf, len, now == 0 ? "không đổi" : "tăng (cùng kỳ "
		    "không có)");
	else if (now == before)
		snprintf(buf, len, "không đổi");
	else
		snprintf(buf, len, "%s %s", now > before ? "tăng" : "giảm",
		    vnfmt_share(pct, sizeof(pct), now > before ? now - before :
		    before - now, before));
	return buf;
}

static void
compose_previous(struct compose *c, int n)
{
	const struct figures	*fig = c->fig;
	const struct data_form	*f = c->f;
	const int		 widths[7] = { 680, 3289, 1077, 1077, 1077,
				    1077, 1078 };
	const char		**cats = NULL;
	double			*v = NULL;
	struct chart		 ch;
	char			 num[VNFMT_MAX], a[64], b[64];
	char			 line[COMPOSE_LINE];
	size_t			 i;

	snprintf(line, sizeof(line), "So sánh với cùng kỳ năm %d",
	    c->h->previous.year);
	compose_numbered(c, 2, n, line);
	vnfmt_int(a, sizeof(a), fig->prev.included);
	snprintf(line, sizeof(line), "Cùng kỳ năm %d (%s) có %s đơn vị báo "
	    "cáo. So với cùng kỳ, số hoạt động đã thực hiện %s, số lượt "
	    "người tham gia %s.", c->h->previous.year, c->prev_phrase, a,
	    compose_change_words(b, sizeof(b), fig->cur.done.activities,
	    fig->prev.done.activities), compose_change_words(num, sizeof(num),
	    fig->cur.done.participants, fig->prev.done.participants));
	compose_para(c, STYLE_BODY, line);
	if (fig->prev_unmatched > 0) {
		vnfmt_int(a, sizeof(a), fig->prev_unmatched);
		snprintf(line, sizeof(line), "(%s hoạt động của năm %d thuộc "
		    "nội dung không còn trong kế hoạch năm nay không được so "
		    "sánh.)", a, c->h->previous.year);
		compose_runs(c, &(struct wml_para)WML_PARA_INIT(STYLE_BODY),
		    &compose_italic, line, NULL, (const char *)NULL);
	}
	compose_caption_above(c, "So sánh với cùng kỳ theo nội dung");
	wml_table_start(c->w, widths, 7, 1);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_START, "STT");
	compose_head_cell(c, 1, WML_MERGE_START, "Nội dung");
	compose_head_cell(c, 2, WML_MERGE_NONE, "Số hoạt động");
	compose_head_cell(c, 3, WML_MERGE_NONE, "Lượt người tham gia");
	wml_row_end(c->w);
	snprintf(a, sizeof(a), "Năm %d", c->h->period.year);
	snprintf(b, sizeof(b), "Năm %d", c->h->previous.year);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	compose_head_cell(c, 1, WML_MERGE_CONTINUE, NULL);
	compose_head_cell(c, 1, 0, a);
	compose_head_cell(c, 1, 0, b);
	compose_head_cell(c, 1, 0, a);
	compose_head_cell(c, 1, 0, b);
	compose_head_cell(c, 1, 0, "Tăng, giảm");
	wml_row_end(c->w);
	for (i = 0; i < f->nareas; i++) {
		const struct figures_area	*now = &fig->cur.areas[i];
		const struct figures_area	*then = &fig->prev.areas[i];

		wml_row_start(c->w, 0);
		compose_center_cell(c, vnfmt_int(num, sizeof(num), i + 1), 0);
		compose_text_cell(c, f->areas[i].label, 0);
		compose_number_cell(c, now->done.activities, 0);
		compose_number_cell(c, then->done.activities, 0);
		compose_number_cell(c, now->done.participants, 0);
		compose_number_cell(c, then->done.participants, 0);
		compose_center_cell(c, compose_change(line, sizeof(line),
		    now->done.participants, then->done.participants), 0);
		wml_row_end(c->w);
	}
	wml_row_start(c->w, 0);
	compose_center_cell(c, "", 1);
	compose_text_cell(c, "Tổng cộng", 1);
	compose_number_cell(c, fig->cur.done.activities, 1);
	compose_number_cell(c, fig->prev.done.activities, 1);
	compose_number_cell(c, fig->cur.done.participants, 1);
	compose_number_cell(c, fig->prev.done.participants, 1);
	compose_center_cell(c, compose_change(line, sizeof(line),
	    fig->cur.done.participants, fig->prev.done.participants), 1);
	wml_row_end(c->w);
	wml_table_end(c->w);

	if ((cats = calloc(f->nareas + 1, sizeof(*cats))) == NULL ||
	    (v = calloc(2 * (f->nareas + 1), sizeof(double))) == NULL) {
		compose_fail(c, "out of memory");
		goto done;
	}
	for (i = 0; i < f->nareas; i++) {
		cats[i] = f->areas[i].label;
		v[i] = (double)fig->cur.areas[i].done.participants;
		v[f->nareas + i] = (double)fig->prev.areas[i].done.participants;
	}
	memset(&ch, 0, sizeof(ch));
	ch.categories = cats;
	ch.ncategories = f->nareas;
	ch.axis = "Số lượt người";
	ch.nseries = 2;
	snprintf(a, sizeof(a), "Năm %d", c->h->period.year);
	snprintf(b, sizeof(b), "Năm %d", c->h->previous.year);
	ch.series[0].name = a;
	ch.series[0].values = v;
	ch.series[1].name = b;
	ch.series[1].values = v + f->nareas;
	snprintf(line, sizeof(line), "Lượt người tham gia theo nội dung, %s "
	    "so với cùng kỳ năm %d", c->phrase, c->h->previous.year);
	compose_chart(c, &ch, line);
done:
	free(cats);
	free(v);
}

/* --- the units' own words ----------------------------------------------- */

/* "- Unit: text" for every unit that wrote texts[index]; returns how many. */
static size_t
compose_attributed(struct compose *c, int section, size_t index)
{
	struct wml_para	p = WML_PARA_INIT(STYLE_BODY);
	size_t		u, n = 0;

	for (u = 0; u < c->nunits; u++) {
		const struct data_report	*rep = c->units[u]->report;
		const char			*t;

		if (rep == NULL)
			continue;
		t = section ? rep->texts[index] : rep->narrative[index];
		if (t == NULL || t[strspn(t, " \t\r\n")] == '\0')
			continue;
		compose_runs(c, &p, NULL, "- ", &compose_italic,
		    c->units[u]->name, NULL, ": ", NULL, t, NULL,
		    (const char *)NULL);
		n++;
	}
	return n;
}

static void
compose_narrative(struct compose *c, int section)
{
	size_t	i;

	if (c->f->nnarrative == 0)
		return;
	compose_roman_heading(c, section, "Ý kiến, đánh giá của các đơn vị");
	for (i = 0; i < c->f->nnarrative; i++) {
		compose_numbered(c, 2, (int)i + 1, c->f->narrative[i].label);
		if (compose_attributed(c, 0, i) == 0)
			compose_para(c, STYLE_BODY, "Không có đơn vị nào nêu.");
	}
}

/* A special section (2022: the law review), when any report carries it.
 * Returns 1 when written. */
static int
compose_special(struct compose *c, int section, size_t s)
{
	const struct data_section	*sec = &c->f->sections[s];
	size_t				 u, i;
	int				 any = 0;

	for (u = 0; u < c->nunits && !any; u++) {
		const struct data_report	*rep = c->units[u]->report;

		if (rep == NULL)
			continue;
		for (i = 0; i < sec->nfields; i++)
			if (rep->texts[sec->first + i] != NULL)
				any = 1;
	}
	if (!any)
		return 0;
	compose_roman_heading(c, section, sec->label);
	for (i = 0; i < sec->nfields; i++) {
		compose_numbered(c, 2, (int)i + 1, sec->fields[i].label);
		if (compose_attributed(c, 1, sec->first + i) == 0)
			compose_para(c, STYLE_BODY, "Không có đơn vị nào nêu.");
	}
	return 1;
}

/* --- closing, recipients, signature ------------------------------------- */

static void
compose_closing(struct compose *c)
{
	gchar	*subject;
	char	 line[COMPOSE_LINE];

	subject = compose_lower_first(c->h->doc.subject);
	snprintf(line, sizeof(line), "Trên đây là báo cáo %s %s của %s./.",
	    subject, c->phrase, c->h->doc.body_name);
	g_free(subject);
	compose_para(c, STYLE_BODY, line);
}

static void
compose_signature(struct compose *c)
{
	const struct data_document	*d = &c->h->doc;
	struct wml_para			 rp = WML_PARA_INIT(STYLE_RECIPIENTS);
	struct wml_para			 sp = WML_PARA_INIT(STYLE_SIGNATURE);
	const struct wml_run		 label = { 1, 1, 0,
					    STYLE_SIZE_RECIPIENTS_LABEL };
	const int			 widths[2] = { 4536,
					    DOCX_TEXT_WIDTH - 4536 };
	char				 line[DATA_MAX_SHORT + 8];
	size_t				 i, len;

	rp.before = 240;
	sp.before = 240;
	wml_table_start(c->w, widths, 2, 0);
	wml_row_start(c->w, 0);
	wml_cell_start(c->w, 1, WML_MERGE_NONE, 0);
	wml_para(c->w, &rp, &label, "Nơi nhận:");
	rp.before = WML_UNSET;
	for (i = 0; i < d->nrecipients; i++) {
		len = strlen(d->recipients[i]);
		/* "- Tổng LĐLĐ Việt Nam (b/c);" ... "- Lưu: VT." */
		snprintf(line, sizeof(line), "- %s%s", d->recipients[i],
		    len > 0 && strchr(".;,:", d->recipients[i][len - 1]) !=
		    NULL ? "" : i + 1 == d->nrecipients ? "." : ";");
		wml_para(c->w, &rp, NULL, line);
	}
	wml_cell_end(c->w);
	wml_cell_start(c->w, 1, WML_MERGE_NONE, 0);
	if (d->signer_authority != NULL) {
		wml_para(c->w, &sp, NULL, d->signer_authority);
		sp.before = WML_UNSET;
	}
	wml_para(c->w, &sp, NULL, d->signer_title);
	/* Room to sign and stamp. */
	sp.before = 1700;
	wml_para(c->w, &sp, NULL, d->signer_name != NULL ? d->signer_name :
	    "");
	wml_cell_end(c->w);
	wml_row_end(c->w);
	wml_table_end(c->w);
}

/* --- annexes ------------------------------------------------------------ */

static void
compose_annex_title(struct compose *c, int n, const char *title)
{
	struct wml_para	 p = WML_PARA_INIT(STYLE_ANNEX);
	char		 line[COMPOSE_LINE];
	char		 date[VNFMT_MAX];
	const char	*number;

	p.page_break_before = 1;
	snprintf(line, sizeof(line), "PHỤ LỤC %d", n);
	wml_para(c->w, &p, NULL, line);
	compose_para(c, STYLE_ANNEX, title);
	/* "Số:      /BC-LĐLĐ" reads "số      /BC-LĐLĐ" in a sentence. */
	number = c->h->doc.number;
	if (strncmp(number, "Số:", strlen("Số:")) == 0)
		number += strlen("Số:");
	else if (strncmp(number, "Số", strlen("Số")) == 0)
		number += strlen("Số");
	if (c->h->doc.date != NULL &&
	    vnfmt_date(date, sizeof(date), c->h->doc.date) != NULL)
		snprintf(line, sizeof(line), "(Kèm theo Báo cáo số%s ngày %s "
		    "của %s)", number, date, c->h->doc.body_name);
	else
		snprintf(line, sizeof(line), "(Kèm theo Báo cáo số%s của %s)",
		    number, c->h->doc.body_name);
	compose_runs(c, &(struct wml_para)WML_PARA_INIT(STYLE_SUBJECT),
	    &compose_italic, line, NULL, (const char *)NULL);
}

static void
compose_annex_units(struct compose *c)
{
	/* "Chưa báo cáo", bold, on one line; a unit's name too, most
	 * often. */
	int		 widths[7] = { 680, 2116, 1871, 1700, 1134, 607, 1247 };
	size_t		 u, ncols = 7;
	int		 review = 0;
	char		 num[VNFMT_MAX], day[11], date[VNFMT_MAX];

	for (u = 0; u < c->nunits; u++)
		if (c->units[u]->review != DATA_REVIEW_NONE)
			review = 1;
	if (!review) {
		/* Without review states, the other columns share its room. */
		widths[1] += 624;
		widths[2] += 623;
		ncols = 6;
	}
	compose_annex_title(c, 1, "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ");
	wml_table_start(c->w, widths, ncols, 1);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, 0, "STT");
	compose_head_cell(c, 1, 0, "Đơn vị");
	compose_head_cell(c, 1, 0, "Loại đơn vị");
	compose_head_cell(c, 1, 0, "Tình trạng");
	compose_head_cell(c, 1, 0, "Ngày gửi");
	compose_head_cell(c, 1, 0, "Lần gửi");
	if (review)
		compose_head_cell(c, 1, 0, "Xét duyệt");
	wml_row_end(c->w);
	for (u = 0; u < c->nunits; u++) {
		const struct data_unit	*unit = c->units[u];

		wml_row_start(c->w, 0);
		compose_center_cell(c, vnfmt_int(num, sizeof(num), u + 1), 0);
		compose_text_cell(c, unit->name, 0);
		compose_text_cell(c, unit->type_label != NULL ?
		    unit->type_label : "", 0);
		compose_center_cell(c, data_submission_label(unit->submission),
		    unit->submission != DATA_ON_TIME);
		date[0] = '\0';
		if (unit->submitted != NULL) {
			memcpy(day, unit->submitted, 10);
			day[10] = '\0';
			vnfmt_date(date, sizeof(date), day);
		}
		compose_center_cell(c, date, 0);
		if (unit->revision > 0)
			compose_center_cell(c, vnfmt_int(num, sizeof(num),
			    unit->revision), 0);
		else
			compose_center_cell(c, "", 0);
		if (review)
			compose_center_cell(c,
			    data_review_label(unit->review), 0);
		wml_row_end(c->w);
	}
	wml_table_end(c->w);
}

/* One unit's activities, grouped by area in the form's order. */
static void
compose_unit_activities(struct compose *c, const struct data_unit *u)
{
	const struct data_report	*rep = u->report;
	const struct data_form		*f = c->f;
	const int			 widths[7] = { 680, 3289, 1247, 1814,
					    680, 907, 738 };
	struct wml_para			 tp = WML_PARA_INIT(STYLE_TABLE);
	struct wml_para			 hp = WML_PARA_INIT(STYLE_TABLE);
	const struct wml_run		 small = { 0, 1, 0, 22 };
	struct figures_counts		 done, planned;
	char				 num[VNFMT_MAX], when[VNFMT_MAX];
	char				 line[COMPOSE_LINE];
	size_t				 area, i, row = 0;

	memset(&done, 0, sizeof(done));
	memset(&planned, 0, sizeof(planned));
	wml_table_start(c->w, widths, 7, 1);
	wml_row_start(c->w, 1);
	compose_head_cell(c, 1, 0, "STT");
	compose_head_cell(c, 1, 0, "Hoạt động");
	compose_head_cell(c, 1, 0, "Thời gian");
	compose_head_cell(c, 1, 0, "Địa điểm");
	compose_head_cell(c, 1, 0, "Số buổi");
	compose_head_cell(c, 1, 0, "Lượt người");
	compose_head_cell(c, 1, 0, "Nữ");
	wml_row_end(c->w);
	for (area = 0; area < f->nareas; area++) {
		int	shown = 0;

		for (i = 0; i < rep->nactivities; i++) {
			const struct data_activity	*a = &rep->activities[i];

			if (a->area != area)
				continue;
			if (!shown) {
				wml_row_start(c->w, 0);
				wml_cell_start(c->w, 7, WML_MERGE_NONE, 6);
				hp.keep_next = 1;
				wml_para(c->w, &hp, &compose_bold_italic,
				    f->areas[area].label);
				wml_cell_end(c->w);
				wml_row_end(c->w);
				shown = 1;
			}
			wml_row_start(c->w, 0);
			compose_center_cell(c, vnfmt_int(num, sizeof(num),
			    ++row), 0);
			wml_cell_start(c->w, 1, WML_MERGE_NONE, 0);
			wml_para_start(c->w, &tp);
			wml_run(c->w, NULL, a->title);
			if (a->planned)
				wml_run(c->w, &compose_italic,
				    " (ước thực hiện)");
			wml_para_end(c->w);
			snprintf(line, sizeof(line), "%s%s%s",
			    f->kinds[a->kind].label,
			    a->occasion >= 0 ? "; " : "",
			    a->occasion >= 0 ?
			    f->occasions[a->occasion].label : "");
			wml_para(c->w, &tp, &small, line);
			if (a->notes != NULL)
				wml_para(c->w, &tp, &small, a->notes);
			wml_cell_end(c->w);
			compose_center_cell(c, vnfmt_date_range(when,
			    sizeof(when), a->date, a->end_date[0] != '\0' ?
			    a->end_date : NULL), 0);
			compose_text_cell(c, a->location != NULL ?
			    a->location : "", 0);
			compose_number_cell(c, a->sessions, 0);
			compose_number_cell(c, a->participants, 0);
			compose_number_cell(c, a->female, 0);
			wml_row_end(c->w);
			if (a->planned) {
				planned.activities++;
				planned.sessions += a->sessions;
				planned.participants += a->participants;
				planned.female += a->female;
			} else {
				done.activities++;
				done.sessions += a->sessions;
				done.participants += a->participants;
				done.female += a->female;
			}
		}
	}
	wml_row_start(c->w, 0);
	compose_center_cell(c, "", 1);
	wml_cell_start(c->w, 3, WML_MERGE_NONE, 0);
	snprintf(line, sizeof(line), "Cộng đã thực hiện: %s hoạt động",
	    vnfmt_int(num, sizeof(num), done.activities));
	wml_para(c->w, &tp, &compose_bold, line);
	wml_cell_end(c->w);
	compose_number_cell(c, done.sessions, 1);
	compose_number_cell(c, done.participants, 1);
	compose_number_cell(c, done.female, 1);
	wml_row_end(c->w);
	if (planned.activities > 0) {
		wml_row_start(c->w, 0);
		compose_center_cell(c, "", 0);
		wml_cell_start(c->w, 3, WML_MERGE_NONE, 0);
		snprintf(line, sizeof(line), "Ước thực hiện: %s hoạt động",
		    vnfmt_int(num, sizeof(num), planned.activities));
		wml_para(c->w, &tp, &compose_italic, line);
		wml_cell_end(c->w);
		compose_number_cell(c, planned.sessions, 0);
		compose_number_cell(c, planned.participants, 0);
		compose_number_cell(c, planned.female, 0);
		wml_row_end(c->w);
	}
	wml_table_end(c->w);
}

static void
compose_annex_activities(struct compose *c)
{
	struct wml_para	 p = WML_PARA_INIT(STYLE_BODY);
	char		 line[COMPOSE_LINE];
	size_t		 u;

	compose_annex_title(c, 2, "HOẠT ĐỘNG CỦA TỪNG ĐƠN VỊ");
	for (u = 0; u < c->nunits; u++) {
		const struct data_unit		*unit = c->units[u];
		const struct data_report	*rep = unit->report;

		compose_numbered(c, 2, (int)u + 1, unit->name);
		if (rep == NULL) {
			compose_runs(c, &p, &compose_italic,
			    unit->submission == DATA_MISSING ?
			    "Chưa gửi báo cáo." :
			    "Báo cáo chưa được chấp nhận, không tổng hợp.",
			    NULL, (const char *)NULL);
			continue;
		}
		if (rep->reporter_name != NULL) {
			snprintf(line, sizeof(line), "Người báo cáo: %s%s%s%s%s.",
			    rep->reporter_name,
			    rep->reporter_position != NULL ? ", " : "",
			    rep->reporter_position != NULL ?
			    rep->reporter_position : "",
			    rep->reporter_phone != NULL ? "; điện thoại: " : "",
			    rep->reporter_phone != NULL ?
			    rep->reporter_phone : "");
			compose_runs(c, &p, &compose_italic, line, NULL,
			    (const char *)NULL);
		}
		if (rep->nactivities == 0) {
			compose_runs(c, &p, &compose_italic,
			    "Không báo cáo hoạt động nào.", NULL,
			    (const char *)NULL);
			continue;
		}
		compose_unit_activities(c, unit);
	}
}

/* --- the whole -------------------------------------------------------- */

int
compose_report(struct docx *d, const struct data_header *h,
    struct data_unit *const *units, size_t nunits, const struct figures *fig,
    char **cause)
{
	struct compose	c;
	int		section = 1, n;
	size_t		i;

	memset(&c, 0, sizeof(c));
	c.docx = d;
	c.w = docx_body(d);
	c.h = h;
	c.f = &h->form;
	c.units = units;
	c.nunits = nunits;
	c.fig = fig;
	c.cause = cause;
	compose_period_phrase(c.phrase, sizeof(c.phrase), &h->period);
	if (h->has_previous)
		compose_period_phrase(c.prev_phrase, sizeof(c.prev_phrase),
		    &h->previous);

	compose_masthead(&c);
	compose_title(&c);
	compose_opening(&c);
	compose_who_reported(&c, section++);

	compose_roman_heading(&c, section++, "Kết quả thực hiện");
	n = 1;
	for (i = 0; i < c.f->nareas; i++)
		compose_area(&c, i, n++);
	compose_summary(&c, n++);
	if (c.f->nindicators > 0)
		compose_indicators(&c, n++);
	if (fig->has_previous)
		compose_previous(&c, n++);

	if (c.f->nnarrative > 0)
		compose_narrative(&c, section++);
	for (i = 0; i < c.f->nsections; i++)
		if (compose_special(&c, section, i))
			section++;
	compose_closing(&c);
	compose_signature(&c);
	compose_annex_units(&c);
	compose_annex_activities(&c);
	return c.failed ? -1 : 0;
}
