/*
 * summary PERIOD --compare PERIOD2 (admin.h): two periods side by side
 * with the change, by any --by. Both summaries come on one connection,
 * PERIOD's first; each row is matched by its key (a code, a unit, a
 * type), so that a code only one year's form has is shown as such, with
 * the label of the form that has it. Rows come in PERIOD's order, then
 * those only PERIOD2 has, in its order.
 *
 * The figures are the done activities', as every total gives them apart
 * from the planned ones. Text shows activities, participants and the
 * women's share, each with the change in percent (in points for the
 * share); CSV and JSON carry every figure of both periods and the changes
 * as differences.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "admin.h"

#define CMP_MAX_ROWS		(1u << 20)
#define CMP_MAX_INDICATORS	256

enum cmp_measure {
	CMP_REPORTS,
	CMP_ACTIVITIES,
	CMP_SESSIONS,
	CMP_PARTICIPANTS,
	CMP_FEMALE,
	CMP_NMEASURES
};

static const char *const cmp_names[CMP_NMEASURES] = {
	"reports", "activities", "sessions", "participants", "female"
};

/* The figures of a key in one period. */
struct cmp_side {
	int		has;
	uint64_t	v[CMP_NMEASURES];
};

struct cmp_row {
	char		*key;
	char		*label;		/* PERIOD's form's, else PERIOD2's */
	struct cmp_side	 side[2];
};

struct cmp_indicator {
	char		*code;
	char		*label;
	int		 has[2];
	int		 has_female[2];
	uint64_t	 total[2], female[2];
};

struct cmp {
	const char		*period[2];
	const char		*by;
	int			 pass;		/* 0: PERIOD, 1: PERIOD2 */
	struct cmp_row		*rows;
	size_t			 nrows, caprows;
	size_t			*slots;		/* key hash: row + 1 */
	size_t			 nslots;
	struct cmp_side		 total[2];
	int			 has_expected[2];
	uint32_t		 expected[2];
	struct cmp_indicator	 ind[CMP_MAX_INDICATORS];
	size_t			 nind;
};

static void
cmp_free(struct cmp *c)
{
	size_t	i;

	for (i = 0; i < c->nrows; i++) {
		free(c->rows[i].key);
		free(c->rows[i].label);
	}
	free(c->rows);
	free(c->slots);
	for (i = 0; i < c->nind; i++) {
		free(c->ind[i].code);
		free(c->ind[i].label);
	}
}

static uint32_t
cmp_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of key: its row's, or the empty one it would take. */
static size_t *
cmp_slot(struct cmp *c, const char *key)
{
	size_t	i = cmp_hash(key) & (c->nslots - 1);

	while (c->slots[i] != 0 && strcmp(c->rows[c->slots[i] - 1].key,
	    key) != 0)
		i = (i + 1) & (c->nslots - 1);
	return &c->slots[i];
}

static int
cmp_grow(struct cmp *c)
{
	size_t	*old = c->slots, n = c->nslots, i;

	c->nslots = n == 0 ? 64 : n * 2;
	if ((c->slots = calloc(c->nslots, sizeof(*c->slots))) == NULL) {
		c->slots = old;
		c->nslots = n;
		return -1;
	}
	for (i = 0; i < c->nrows; i++)
		*cmp_slot(c, c->rows[i].key) = i + 1;
	free(old);
	return 0;
}

/* The row of key, made when new. NULL when out of memory or past the
 * bound. */
static struct cmp_row *
cmp_row(struct cmp *c, const char *key, const char *label)
{
	struct cmp_row	*nv, *r;
	size_t		*slot;

	if (2 * (c->nrows + 1) > c->nslots && cmp_grow(c) == -1)
		return NULL;
	slot = cmp_slot(c, key);
	if (*slot != 0) {
		r = &c->rows[*slot - 1];
		if (r->label == NULL && label != NULL &&
		    (r->label = strdup(label)) == NULL)
			return NULL;
		return r;
	}
	if (c->nrows == CMP_MAX_ROWS)
		return NULL;
	if (c->nrows == c->caprows) {
		if ((nv = reallocarray(c->rows, c->caprows ? c->caprows * 2 :
		    64, sizeof(*nv))) == NULL)
			return NULL;
		c->rows = nv;
		c->caprows = c->caprows ? c->caprows * 2 : 64;
	}
	r = &c->rows[c->nrows];
	memset(r, 0, sizeof(*r));
	if ((r->key = strdup(key)) == NULL ||
	    (label != NULL && (r->label = strdup(label)) == NULL)) {
		free(r->key);
		return NULL;
	}
	*slot = ++c->nrows;
	return r;
}

/* Done activities' figures: planned ones ("ước thực hiện") are never
 * added into them. A gpd before the calendar gives only both together. */
static void
cmp_side_set(struct cmp_side *s, const Gp__SummaryRow *r)
{
	uint64_t	done[4];

	s->has = 1;
	s->v[CMP_REPORTS] = r->reports;
	if (r->done == NULL) {
		s->v[CMP_ACTIVITIES] = r->activities;
		s->v[CMP_SESSIONS] = r->sessions;
		s->v[CMP_PARTICIPANTS] = r->participants;
		s->v[CMP_FEMALE] = r->female;
		return;
	}
	admin_figures(r->done, done);
	s->v[CMP_ACTIVITIES] = done[0];
	s->v[CMP_SESSIONS] = done[1];
	s->v[CMP_PARTICIPANTS] = done[2];
	s->v[CMP_FEMALE] = done[3];
}

static int
cmp_indicators(struct cmp *c, const Gp__SummaryResponse *s)
{
	const Gp__IndicatorTotal	*it;
	struct cmp_indicator		*ci;
	size_t				 i, k;

	for (i = 0; i < s->n_indicators; i++) {
		it = s->indicators[i];
		if (it->code == NULL)
			continue;
		for (k = 0; k < c->nind; k++)
			if (strcmp(c->ind[k].code, it->code) == 0)
				break;
		if (k == c->nind) {
			if (c->nind == CMP_MAX_INDICATORS)
				continue;
			ci = &c->ind[c->nind];
			memset(ci, 0, sizeof(*ci));
			if ((ci->code = strdup(it->code)) == NULL)
				return -1;
			c->nind++;
		}
		ci = &c->ind[k];
		if (ci->label == NULL && it->label != NULL &&
		    (ci->label = strdup(it->label)) == NULL)
			return -1;
		ci->has[c->pass] = 1;
		ci->total[c->pass] = it->total;
		ci->has_female[c->pass] = it->has_female;
		ci->female[c->pass] = it->female;
	}
	return 0;
}

static int
cmp_frame(struct admin *a, const Gp__Response *resp, int last)
{
	struct cmp			*c = a->cmd;
	const Gp__SummaryResponse	*s = resp->summary;
	struct cmp_row			*r;
	size_t				 i;

	for (i = 0; i < s->n_rows; i++) {
		if (s->rows[i]->key == NULL)
			continue;
		if ((r = cmp_row(c, s->rows[i]->key, s->rows[i]->label)) ==
		    NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		cmp_side_set(&r->side[c->pass], s->rows[i]);
	}
	if (!last)
		return 0;
	if (s->total != NULL)
		cmp_side_set(&c->total[c->pass], s->total);
	c->has_expected[c->pass] = s->has_expected;
	c->expected[c->pass] = s->expected;
	if (cmp_indicators(c, s) == -1)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	return 0;
}

/* --- changes ------------------------------------------------------------- */

/* Percent of women, or -1 without anyone. */
static double
cmp_share(const struct cmp_side *s)
{
	if (!s->has || s->v[CMP_PARTICIPANTS] == 0)
		return -1;
	return 100.0 * (double)s->v[CMP_FEMALE] /
	    (double)s->v[CMP_PARTICIPANTS];
}

/* "+16.1%", "-100.0%", "new" (nothing before), "" (nothing either
 * time), into buf. */
static const char *
cmp_percent(uint64_t now, uint64_t before, char *buf, size_t len)
{
	if (before == 0)
		return now == 0 ? "" : "new";
	snprintf(buf, len, "%+.1f%%", 100.0 * ((double)now - (double)before) /
	    (double)before);
	return buf;
}

/* The share with one decimal, or "". */
static const char *
cmp_share_text(double share, char *buf, size_t len)
{
	if (share < 0)
		return "";
	snprintf(buf, len, "%.1f", share);
	return buf;
}

/* Points of change of the share, or "". */
static const char *
cmp_points(double now, double before, char *buf, size_t len)
{
	if (now < 0 || before < 0)
		return "";
	snprintf(buf, len, "%+.1f", now - before);
	return buf;
}

static const char *
cmp_count(const struct cmp_side *s, enum cmp_measure m, char *buf,
    size_t len)
{
	if (!s->has)
		return "";
	return admin_number(s->v[m], buf, len);
}

/* "(only in 2021-H1)" for a key one period lacks; NULL otherwise. */
static const char *
cmp_only(const struct cmp *c, const struct cmp_row *r)
{
	if (r->side[0].has && r->side[1].has)
		return NULL;
	return r->side[0].has ? c->period[0] : c->period[1];
}

/* --- text ---------------------------------------------------------------- */

#define CMP_W		8	/* a number's column */
#define CMP_TEXT_COLS	11

static void
cmp_text_row(struct fmt_table *t, const struct cmp_side *s, const char *key,
    const char *label, int with_key)
{
	char		 n[6][24], ch[3][24];
	const char	*cells[CMP_TEXT_COLS];
	size_t		 k = 0;

	if (with_key)
		cells[k++] = key;
	cells[k++] = cmp_count(&s[0], CMP_ACTIVITIES, n[0], sizeof(n[0]));
	cells[k++] = cmp_count(&s[1], CMP_ACTIVITIES, n[1], sizeof(n[1]));
	cells[k++] = s[0].has && s[1].has ? cmp_percent(
	    s[0].v[CMP_ACTIVITIES], s[1].v[CMP_ACTIVITIES], ch[0],
	    sizeof(ch[0])) : "";
	cells[k++] = cmp_count(&s[0], CMP_PARTICIPANTS, n[2], sizeof(n[2]));
	cells[k++] = cmp_count(&s[1], CMP_PARTICIPANTS, n[3], sizeof(n[3]));
	cells[k++] = s[0].has && s[1].has ? cmp_percent(
	    s[0].v[CMP_PARTICIPANTS], s[1].v[CMP_PARTICIPANTS], ch[1],
	    sizeof(ch[1])) : "";
	cells[k++] = cmp_share_text(cmp_share(&s[0]), n[4], sizeof(n[4]));
	cells[k++] = cmp_share_text(cmp_share(&s[1]), n[5], sizeof(n[5]));
	cells[k++] = cmp_points(cmp_share(&s[0]), cmp_share(&s[1]), ch[2],
	    sizeof(ch[2]));
	cells[k++] = label;
	fmt_table_row(t, cells);
}

/* The title of each group of three columns, over them. */
static void
cmp_text_groups(int with_key)
{
	static const char *const groups[] = {
		"done activities", "participants", "women %"
	};
	size_t	i, w = 3 * CMP_W + 4;

	if (with_key)
		printf("%-*s  ", 18, "");
	for (i = 0; i < 2; i++)
		printf("%-*s  ", (int)w, groups[i]);
	printf("%s\n", groups[2]);
}

static void
cmp_text_indicators(const struct cmp *c)
{
	struct fmt_column	 cols[7] = {
		{ NULL, CMP_W + 2, FMT_RIGHT },
		{ NULL, CMP_W + 2, FMT_RIGHT },
		{ N_("change"), CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ N_("change"), CMP_W, FMT_RIGHT },
		{ N_("indicator"), 0, FMT_LEFT }
	};
	const struct cmp_indicator	*ci;
	struct fmt_table		 t;
	const char			*cells[7];
	char				 n[4][24], ch[2][24], label[400];
	double				 share[2];
	size_t				 i, k;

	cols[0].header = cols[3].header = c->period[0];
	cols[1].header = cols[4].header = c->period[1];
	printf("%-*s  %s\n", (int)(3 * CMP_W + 8), "total", "women %");
	fmt_table_init(&t, stdout, cols, 7, 0);
	for (i = 0; i < c->nind; i++) {
		ci = &c->ind[i];
		for (k = 0; k < 2; k++)
			share[k] = ci->has[k] && ci->has_female[k] &&
			    ci->total[k] > 0 ? 100.0 * (double)ci->female[k] /
			    (double)ci->total[k] : -1;
		cells[0] = ci->has[0] ? admin_number(ci->total[0], n[0],
		    sizeof(n[0])) : "";
		cells[1] = ci->has[1] ? admin_number(ci->total[1], n[1],
		    sizeof(n[1])) : "";
		cells[2] = ci->has[0] && ci->has[1] ? cmp_percent(ci->total[0],
		    ci->total[1], ch[0], sizeof(ch[0])) : "";
		cells[3] = cmp_share_text(share[0], n[2], sizeof(n[2]));
		cells[4] = cmp_share_text(share[1], n[3], sizeof(n[3]));
		cells[5] = cmp_points(share[0], share[1], ch[1], sizeof(ch[1]));
		if (ci->has[0] && ci->has[1])
			snprintf(label, sizeof(label), "%s", ci->label != NULL ?
			    ci->label : ci->code);
		else
			snprintf(label, sizeof(label), _("%s (only in %s)"),
			    ci->label != NULL ? ci->label : ci->code,
			    ci->has[0] ? c->period[0] : c->period[1]);
		cells[6] = label;
		fmt_table_row(&t, cells);
	}
}

static int
cmp_text(struct admin *a, const struct cmp *c)
{
	struct fmt_column	 cols[CMP_TEXT_COLS] = {
		{ N_("unit"), 18, FMT_LEFT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ N_("change"), CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ N_("change"), CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ NULL, CMP_W, FMT_RIGHT },
		{ N_("change"), CMP_W, FMT_RIGHT },
		{ "", 0, FMT_LEFT }
	};
	const struct cmp_row	*r;
	const char		*only;
	char			 label[600], reports[64], units[64];
	int			 with_key = c->by != NULL &&
				    strcmp(c->by, "unit") == 0;
	size_t			 i, k;

	for (k = 0; k < 3; k++) {
		cols[1 + 3 * k].header = c->period[0];
		cols[2 + 3 * k].header = c->period[1];
	}
	cols[10].header = c->by == NULL ? "" : with_key ? N_("name") : c->by;
	fmt_table_init(&a->table, stdout, with_key ? cols : cols + 1,
	    with_key ? CMP_TEXT_COLS : CMP_TEXT_COLS - 1, 0);
	cmp_text_groups(with_key);
	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		if ((only = cmp_only(c, r)) != NULL)
			snprintf(label, sizeof(label), _("%s (only in %s)"),
			    r->label != NULL ? r->label : r->key, only);
		else
			snprintf(label, sizeof(label), "%s", r->label != NULL ?
			    r->label : r->key);
		cmp_text_row(&a->table, r->side, r->key, label, with_key);
	}
	cmp_text_row(&a->table, c->total, "total", "Tổng cộng", with_key);
	if (c->nind > 0) {
		putchar('\n');
		cmp_text_indicators(c);
	}
	putchar('\n');
	for (k = 0; k < 2; k++) {
		if (!c->total[k].has || !c->has_expected[k])
			continue;
		snprintf(reports, sizeof(reports), ngettext("%" PRIu64
		    " report", "%" PRIu64 " reports", (unsigned long)
		    c->total[k].v[CMP_REPORTS]), c->total[k].v[CMP_REPORTS]);
		snprintf(units, sizeof(units), ngettext("%u unit expected",
		    "%u units expected", c->expected[k]), c->expected[k]);
		/* TRANSLATORS: the period; "3 reports"; "11 units
		 * expected". */
		fmt_line(stdout, _("%s: %s from %s"), c->period[k], reports,
		    units);
	}
	return admin_out(a);
}

/* --- CSV ----------------------------------------------------------------- */

#define CMP_CSV_COLS	(3 + 3 * (CMP_NMEASURES + 1))

static int
cmp_csv(struct admin *a, const struct cmp *c)
{
	static const char *const measures[CMP_NMEASURES + 1] = {
		"reports", "activities", "sessions", "participants", "women",
		"women %"
	};
	struct fmt_column	 cols[CMP_CSV_COLS];
	char			 head[CMP_CSV_COLS][64];
	char			 cell[CMP_CSV_COLS][32];
	const char		*cells[CMP_CSV_COLS];
	const struct cmp_side	*s;
	const struct cmp_row	*r;
	size_t			 i, m, k, n;
	double			 sh[2];

	memset(cols, 0, sizeof(cols));
	cols[0].header = "key";
	cols[1].header = "label";
	cols[2].header = "only_in";
	for (m = 0, k = 3; m <= CMP_NMEASURES; m++) {
		snprintf(head[k], sizeof(head[k]), "%s %s", measures[m],
		    c->period[0]);
		cols[k].header = head[k];
		k++;
		snprintf(head[k], sizeof(head[k]), "%s %s", measures[m],
		    c->period[1]);
		cols[k].header = head[k];
		k++;
		/* CSV headers stay English (po/README). */
		snprintf(head[k], sizeof(head[k]), U_("%s change"),
		    measures[m]);
		cols[k].header = head[k];
		k++;
	}
	fmt_table_init(&a->table, stdout, cols, CMP_CSV_COLS, FMT_CSV);
	fmt_table_header(&a->table);
	for (i = 0; i <= c->nrows; i++) {
		r = i < c->nrows ? &c->rows[i] : NULL;
		s = r != NULL ? r->side : c->total;
		cells[0] = r != NULL ? r->key : "total";
		cells[1] = r != NULL ? (r->label != NULL ? r->label : r->key) :
		    "Tổng cộng";
		cells[2] = r != NULL ? cmp_only(c, r) : NULL;
		for (m = 0, k = 3; m < CMP_NMEASURES; m++, k += 3) {
			for (n = 0; n < 2; n++)
				cells[k + n] = cmp_count(&s[n], m, cell[k + n],
				    sizeof(cell[k + n]));
			cells[k + 2] = "";
			if (s[0].has && s[1].has) {
				snprintf(cell[k + 2], sizeof(cell[k + 2]),
				    "%" PRId64, (int64_t)s[0].v[m] -
				    (int64_t)s[1].v[m]);
				cells[k + 2] = cell[k + 2];
			}
		}
		sh[0] = cmp_share(&s[0]);
		sh[1] = cmp_share(&s[1]);
		cells[k] = cmp_share_text(sh[0], cell[k], sizeof(cell[k]));
		cells[k + 1] = cmp_share_text(sh[1], cell[k + 1],
		    sizeof(cell[k + 1]));
		cells[k + 2] = "";
		if (sh[0] >= 0 && sh[1] >= 0) {
			snprintf(cell[k + 2], sizeof(cell[k + 2]), "%.1f",
			    sh[0] - sh[1]);
			cells[k + 2] = cell[k + 2];
		}
		fmt_table_row(&a->table, cells);
	}
	return admin_out(a);
}

/* --- JSON ---------------------------------------------------------------- */

static json_t *
cmp_json_side(const struct cmp_side *s)
{
	json_t	*o;
	size_t	 m;

	if (!s->has)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	for (m = 0; m < CMP_NMEASURES; m++)
		if (json_object_set_new(o, cmp_names[m],
		    json_integer((json_int_t)s->v[m])) == -1)
			goto fail;
	if (json_object_set_new(o, "female_percent", admin_json_share(
	    s->v[CMP_FEMALE], s->v[CMP_PARTICIPANTS])) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* The share's change in points, one decimal, or null. */
static json_t *
cmp_json_points(double now, double before)
{
	if (now < 0 || before < 0)
		return json_null();
	return json_real((double)(int64_t)((now - before) * 10.0 +
	    (now >= before ? 0.5 : -0.5)) / 10.0);
}

static json_t *
cmp_json_change(const struct cmp_side *s)
{
	json_t	*o;
	size_t	 m;

	if (!s[0].has || !s[1].has)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	for (m = 0; m < CMP_NMEASURES; m++)
		if (json_object_set_new(o, cmp_names[m], json_integer(
		    (json_int_t)s[0].v[m] - (json_int_t)s[1].v[m])) == -1)
			goto fail;
	if (json_object_set_new(o, "female_percent", cmp_json_points(
	    cmp_share(&s[0]), cmp_share(&s[1]))) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
cmp_json_row(const char *key, const char *label, const char *only,
    const struct cmp_side *s)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
	    "key", fmt_json_text(key), "label", fmt_json_text(label),
	    "only_in", only != NULL ? json_string(only) : json_null(),
	    "period", cmp_json_side(&s[0]), "compare", cmp_json_side(&s[1]),
	    "change", cmp_json_change(s));
}

static json_t *
cmp_json_indicators(const struct cmp *c)
{
	const struct cmp_indicator	*ci;
	json_t				*arr, *side[2], *o;
	size_t				 i, k;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < c->nind; i++) {
		ci = &c->ind[i];
		for (k = 0; k < 2; k++)
			side[k] = !ci->has[k] ? json_null() :
			    json_pack("{s:I, s:o, s:o}",
			    "total", (json_int_t)ci->total[k],
			    "female", ci->has_female[k] ?
			    json_integer((json_int_t)ci->female[k]) :
			    json_null(),
			    "female_percent", ci->has_female[k] ?
			    admin_json_share(ci->female[k], ci->total[k]) :
			    json_null());
		o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		    "code", fmt_json_text(ci->code),
		    "label", fmt_json_text(ci->label != NULL ? ci->label :
		    ci->code),
		    "only_in", ci->has[0] && ci->has[1] ? json_null() :
		    json_string(ci->has[0] ? c->period[0] : c->period[1]),
		    "period", side[0], "compare", side[1],
		    "change", ci->has[0] && ci->has[1] ?
		    json_integer((json_int_t)ci->total[0] -
		    (json_int_t)ci->total[1]) : json_null());
		if (json_array_append_new(arr, o) == -1) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int
cmp_json(struct admin *a, const struct cmp *c)
{
	const struct cmp_row	*r;
	size_t			 i;
	int			 status;

	if ((status = admin_json_object(a, json_pack("{s:s, s:s, s:o}",
	    "period", c->period[0], "compare", c->period[1],
	    "by", fmt_json_text(c->by)))) != 0)
		return status;
	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		if ((status = admin_json_item(a, cmp_json_row(r->key,
		    r->label != NULL ? r->label : r->key, cmp_only(c, r),
		    r->side))) != 0)
			return status;
	}
	return admin_json_close(a, json_pack("{s:o, s:o, s:o, s:o}",
	    "total", cmp_json_row("total", "Tổng cộng", NULL, c->total),
	    "indicators", cmp_json_indicators(c),
	    "expected", c->has_expected[0] ? json_integer(c->expected[0]) :
	    json_null(),
	    "expected_compare", c->has_expected[1] ?
	    json_integer(c->expected[1]) : json_null()));
}

/* --- the command --------------------------------------------------------- */

int
admin_compare(struct admin *a, const char *period, const char *period2,
    const char *by)
{
	Gp__Request		req;
	Gp__SummaryRequest	summary = GP__SUMMARY_REQUEST__INIT;
	struct cmp		c;
	int			status;

	if ((status = admin_period(a, period2)) != 0)
		return status;
	if (strcmp(period, period2) == 0)
		return admin_fail(a, EX_USAGE, _("--compare %s: give another "
		    "period than %s, such as the year before"), period2,
		    period);
	memset(&c, 0, sizeof(c));
	c.period[0] = period;
	c.period[1] = period2;
	c.by = by;
	a->cmd = &c;
	summary.by = (char *)(uintptr_t)by;
	for (c.pass = 0; c.pass < 2; c.pass++) {
		summary.period = (char *)(uintptr_t)c.period[c.pass];
		admin_request(&req, ADMIN_REQUEST_ID + (uint32_t)c.pass,
		    GP__REQUEST__BODY_SUMMARY);
		req.summary = &summary;
		if ((status = admin_exchange(a, &req,
		    GP__RESPONSE__BODY_SUMMARY, N_("a summary"), cmp_frame,
		    NULL)) != 0)
			goto done;
	}
	if (a->json)
		status = cmp_json(a, &c);
	else if (a->csv)
		status = cmp_csv(a, &c);
	else
		status = cmp_text(a, &c);
done:
	a->cmd = NULL;
	cmp_free(&c);
	return status;
}
