/*
 * The report forms gp-client knows (gp-forms(5)): the 2022 form built in,
 * and those fetched from gpd, kept in the state directory beside the
 * outbox as forms/YYYY-<sha256>.json (their canonical bytes), so that
 * template and validate work offline once the client has been online.
 * The cache is by year and SHA-256, not by server: a form is what its
 * hash says, and a file that does not hash to its name is not used.
 *
 * The form of a year is the one fetched for that year last (the newest
 * file of the year); forms fetched by SHA-256 only, to show a stored
 * report with its own labels, never become a year's form.
 */
#ifndef GP_FORMS_H
#define GP_FORMS_H

#include "form.h"
#include "period.h"

struct client;
struct conn;

struct forms {
	char			*dir;	/* the cache; NULL: none */
	struct form_set		*set;	/* built in, then each year's */
	struct form		**extra; /* fetched by hash, owned */
	size_t			 nextra;
	const struct client	*cl;
	struct conn		*conn;	/* made or lent when first needed */
	int			 own_conn;
	int			 fetched; /* a form came from gpd this run */
};

/*
 * The built-in form and the kept ones. Never fails for want of a cache
 * (no state directory, an unreadable file: those are noted, not fatal).
 * Returns 0, or -1 when out of memory.
 */
int	 forms_open(struct forms *, const struct client *);
void	 forms_close(struct forms *);

/* Lends a connection already made (an administrator's query), used for
 * fetches instead of a new one; forms_close leaves it open. */
void	 forms_use_conn(struct forms *, struct conn *);

/*
 * The form and dates of a period: kept, or fetched from gpd when the
 * client is configured to reach it. Returns 0, or an exit status with
 * *cause: a period id that is not one (EX_USAGE with the period's
 * problem), no form for its year anywhere (EX_DATAERR), or the server
 * unreachable (its status).
 */
int	 forms_period(struct forms *, const char *period,
	    const struct form **, struct period *, char **cause);

/* Fetches the year's form from gpd now, keeps it and makes it the
 * year's. 0, or an exit status with *cause; *years (when not NULL) gets
 * the years gpd has forms for ("2022, 2023"), malloc'd. */
int	 forms_fetch_year(struct forms *, int year, const struct form **,
	    char **years, char **cause);

/* The form of a SHA-256 (64 hex digits): kept, or fetched. NULL when it
 * cannot be had (the caller falls back to the codes). */
const struct form *forms_by_sha(struct forms *, const char *sha256);

/* Whether the client has what it needs to ask gpd. */
int	 forms_can_fetch(const struct forms *);

#endif
