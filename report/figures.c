/*
 * The report's figures (figures.h).
 */
#include <stdlib.h>
#include <string.h>

#include "figures.h"

static int
figures_year_init(struct figures_year *y, const struct data_form *f)
{
	size_t	i;

	if ((y->areas = calloc(f->nareas + 1, sizeof(*y->areas))) == NULL ||
	    (y->indicators = calloc(f->nindicators + 1,
	    sizeof(*y->indicators))) == NULL)
		return -1;
	for (i = 0; i < f->nareas; i++)
		if ((y->areas[i].media = calloc(f->nmedia + 1,
		    sizeof(uint64_t))) == NULL)
			return -1;
	return 0;
}

static void
figures_year_free(struct figures_year *y, size_t nareas)
{
	size_t	i;

	if (y->areas != NULL)
		for (i = 0; i < nareas; i++)
			free(y->areas[i].media);
	free(y->areas);
	free(y->indicators);
}

struct figures *
figures_new(const struct data_form *form, const struct data_form *prev_form)
{
	struct figures	*fig;
	size_t		 i, j;

	if ((fig = calloc(1, sizeof(*fig))) == NULL)
		return NULL;
	fig->form = form;
	if (figures_year_init(&fig->cur, form) == -1 ||
	    (fig->media = calloc(form->nmedia + 1, sizeof(uint64_t))) == NULL)
		goto fail;
	if (prev_form == NULL)
		return fig;
	fig->has_previous = 1;
	if (figures_year_init(&fig->prev, form) == -1 ||
	    (fig->prev_area_map = calloc(prev_form->nareas + 1,
	    sizeof(long))) == NULL ||
	    (fig->prev_indicator_map = calloc(prev_form->nindicators + 1,
	    sizeof(long))) == NULL)
		goto fail;
	for (i = 0; i < prev_form->nareas; i++) {
		fig->prev_area_map[i] = -1;
		for (j = 0; j < form->nareas; j++)
			if (strcmp(prev_form->areas[i].code,
			    form->areas[j].code) == 0)
				fig->prev_area_map[i] = (long)j;
	}
	for (i = 0; i < prev_form->nindicators; i++) {
		fig->prev_indicator_map[i] = -1;
		for (j = 0; j < form->nindicators; j++)
			if (strcmp(prev_form->indicators[i].code,
			    form->indicators[j].code) == 0)
				fig->prev_indicator_map[i] = (long)j;
	}
	return fig;
fail:
	figures_free(fig);
	return NULL;
}

void
figures_free(struct figures *fig)
{
	if (fig == NULL)
		return;
	figures_year_free(&fig->cur, fig->form->nareas);
	figures_year_free(&fig->prev, fig->form->nareas);
	free(fig->media);
	free(fig->units);
	free(fig->prev_area_map);
	free(fig->prev_indicator_map);
	free(fig);
}

static void
figures_count(struct figures_counts *c, const struct data_activity *a)
{
	c->activities++;
	c->sessions += a->sessions;
	c->participants += a->participants;
	c->female += a->female;
}

/* Adds a report to year y; maps (may be NULL: identity) turn the report's
 * form's indexes into this year's. Returns the activities left out. */
static size_t
figures_add_report(struct figures_year *y, const struct data_report *rep,
    const long *area_map, const long *indicator_map, size_t nmedia,
    struct figures_unit *u, uint64_t *media)
{
	size_t	 i, j, skipped = 0;
	long	 area, ind;

	y->included++;
	for (i = 0; i < rep->nactivities; i++) {
		const struct data_activity	*a = &rep->activities[i];
		struct figures_area		*fa;

		area = area_map != NULL ? area_map[a->area] : (long)a->area;
		if (area < 0) {
			skipped++;
			continue;
		}
		fa = &y->areas[area];
		if (a->planned) {
			figures_count(&fa->planned, a);
			figures_count(&y->planned, a);
			if (u != NULL)
				figures_count(&u->planned, a);
			continue;
		}
		figures_count(&fa->done, a);
		figures_count(&y->done, a);
		if (u != NULL)
			figures_count(&u->done, a);
		/* Units per area: counted once, on the first activity. */
		for (j = 0; j < i; j++)
			if (!rep->activities[j].planned &&
			    rep->activities[j].area == a->area)
				break;
		if (j == i)
			fa->units++;
		if (a->media != NULL)
			for (j = 0; j < nmedia; j++) {
				fa->media[j] += a->media[j];
				if (media != NULL)
					media[j] += a->media[j];
			}
	}
	for (i = 0; i < rep->nindicators; i++) {
		if (!rep->indicators[i].present)
			continue;
		ind = indicator_map != NULL ? indicator_map[i] : (long)i;
		if (ind < 0)
			continue;
		y->indicators[ind].total += rep->indicators[i].total;
		y->indicators[ind].female += rep->indicators[i].female;
		y->indicators[ind].units++;
	}
	return skipped;
}

int
figures_add_unit(struct figures *fig, const struct data_unit *u)
{
	struct figures_unit	*fu;

	if (fig->nunits == fig->unitcap) {
		size_t			 cap = fig->unitcap ? fig->unitcap * 2 : 16;
		struct figures_unit	*n;

		if ((n = reallocarray(fig->units, cap, sizeof(*n))) == NULL)
			return -1;
		fig->units = n;
		fig->unitcap = cap;
	}
	fu = &fig->units[fig->nunits++];
	memset(fu, 0, sizeof(*fu));
	fig->cur.units++;
	switch (u->submission) {
	case DATA_ON_TIME:
		fig->on_time++;
		break;
	case DATA_LATE:
		fig->late++;
		break;
	default:
		fig->missing++;
		break;
	}
	if (u->report == NULL) {
		if (u->submission != DATA_MISSING)
			fig->excluded++;
		return 0;
	}
	figures_add_report(&fig->cur, u->report, NULL, NULL,
	    fig->form->nmedia, fu, fig->media);
	return 0;
}

void
figures_add_previous(struct figures *fig, const struct data_unit *u)
{
	if (!fig->has_previous)
		return;
	fig->prev.units++;
	if (u->report == NULL)
		return;
	/* Media counts are not compared: a form may name them otherwise. */
	fig->prev_unmatched += figures_add_report(&fig->prev, u->report,
	    fig->prev_area_map, fig->prev_indicator_map, 0, NULL, NULL);
}

/* Is b ahead of a as a highlight? */
static int
figures_before(struct data_unit *const *units, const struct figures_pick *a,
    const struct figures_pick *b)
{
	uint64_t	pa, pb;

	pa = units[a->unit]->report->activities[a->activity].participants;
	pb = units[b->unit]->report->activities[b->activity].participants;
	if (pa != pb)
		return pb > pa;
	if (a->unit != b->unit)
		return b->unit < a->unit;
	return b->activity < a->activity;
}

size_t
figures_highlights(struct data_unit *const *units, size_t nunits,
    size_t area, struct figures_pick *out, size_t max)
{
	struct figures_pick	 p;
	size_t			 n = 0, i, j, k;

	if (max == 0)
		return 0;
	for (i = 0; i < nunits; i++) {
		const struct data_report	*rep = units[i]->report;

		if (rep == NULL)
			continue;
		for (j = 0; j < rep->nactivities; j++) {
			if (rep->activities[j].planned ||
			    rep->activities[j].area != area)
				continue;
			p.unit = i;
			p.activity = j;
			/* Insertion into the kept best, worst last. */
			if (n == max && !figures_before(units, &out[n - 1], &p))
				continue;
			k = n < max ? n++ : max - 1;
			while (k > 0 && figures_before(units, &out[k - 1], &p)) {
				out[k] = out[k - 1];
				k--;
			}
			out[k] = p;
		}
	}
	return n;
}

static const struct figures *figures_sorting;

static int
figures_rank_cmp(const void *a, const void *b)
{
	size_t		ia = *(const size_t *)a, ib = *(const size_t *)b;
	uint64_t	pa = figures_sorting->units[ia].done.participants;
	uint64_t	pb = figures_sorting->units[ib].done.participants;

	if (pa != pb)
		return pa < pb ? 1 : -1;
	return ia < ib ? -1 : ia > ib;
}

void
figures_rank_units(const struct figures *fig, size_t *order)
{
	size_t	i;

	for (i = 0; i < fig->nunits; i++)
		order[i] = i;
	figures_sorting = fig;
	qsort(order, fig->nunits, sizeof(*order), figures_rank_cmp);
	figures_sorting = NULL;
}

long
figures_tenths(uint64_t part, uint64_t whole)
{
	if (whole == 0)
		return -1;
	return (long)((part * 1000 + whole / 2) / whole);
}
