/*
 * The figures of the province's report, computed here from the units'
 * reports and nowhere else: activities, sessions, participants and women,
 * done apart from planned, per content area, per unit and in all;
 * indicators summed over units, with women only where the form asks for
 * them; the same for the previous year when it is given, matched to this
 * year's form by code.
 */
#ifndef GP_REPORT_FIGURES_H
#define GP_REPORT_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"

struct figures_counts {
	uint64_t	activities;
	uint64_t	sessions;
	uint64_t	participants;
	uint64_t	female;
};

struct figures_area {
	struct figures_counts	 done;
	struct figures_counts	 planned;
	uint64_t		*media;		/* done, form.nmedia */
	size_t			 units;		/* units with a done one */
};

struct figures_indicator {
	uint64_t	total;
	uint64_t	female;
	size_t		units;		/* units that gave it */
};

/* One unit of this year, in the order they were added. */
struct figures_unit {
	struct figures_counts	done;
	struct figures_counts	planned;
};

struct figures_year {
	size_t			  units;	/* listed */
	size_t			  included;	/* with a report counted */
	struct figures_area	 *areas;	/* this year's form.nareas */
	struct figures_counts	  done;
	struct figures_counts	  planned;
	struct figures_indicator *indicators;	/* form.nindicators */
};

struct figures {
	const struct data_form	*form;
	size_t			 on_time;
	size_t			 late;
	size_t			 missing;
	size_t			 excluded;	/* reported, not included */
	struct figures_year	 cur;
	uint64_t		*media;		/* done, all areas */
	struct figures_unit	*units;
	size_t			 nunits;
	size_t			 unitcap;

	int			 has_previous;
	struct figures_year	 prev;
	/* previous form's index -> this form's, or -1 */
	long			*prev_area_map;
	long			*prev_indicator_map;
	size_t			 prev_unmatched; /* activities of codes gone */
};

/* prev_form NULL: no previous year. Returns NULL without memory. */
struct figures	*figures_new(const struct data_form *form,
		    const struct data_form *prev_form);
void		 figures_free(struct figures *);

/* Counts a unit of this year (its report, if any, into every total).
 * Returns 0, or -1 without memory. */
int		 figures_add_unit(struct figures *, const struct data_unit *);
/* Counts a unit of the previous year into prev. */
void		 figures_add_previous(struct figures *,
		    const struct data_unit *);

/* An activity picked out: units[unit].report->activities[activity]. */
struct figures_pick {
	size_t	unit;
	size_t	activity;
};

/*
 * The highlights of an area: its done activities with the most
 * participants (ties: the earlier unit, then the earlier activity), at
 * most max, into out (max entries), best first. Returns how many.
 */
size_t	 figures_highlights(struct data_unit *const *units, size_t nunits,
	    size_t area, struct figures_pick *out, size_t max);

/* Units ordered by done participants, most first, ties by listed order:
 * order (nunits entries) receives unit indexes. */
void	 figures_rank_units(const struct figures *, size_t *order);

/* part/whole in tenths of a percent, rounded; -1 when whole is 0. */
long	 figures_tenths(uint64_t part, uint64_t whole);

#endif
