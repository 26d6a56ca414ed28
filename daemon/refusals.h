/*
 * Refusals coalesced per peer (refusals.c). The first refusal of a kind
 * from one certificate (its fingerprint) opens a window of a minute and
 * is written to the audit at once, before the peer is told; the same
 * kind again within that window is only counted. When the window ends
 * (or at shutdown) its count becomes one summary entry of the audit
 * chain. Any thread may note; one thread expires.
 */
#ifndef GPD_REFUSALS_H
#define GPD_REFUSALS_H

#include <stddef.h>
#include <time.h>

#define REFUSALS_WINDOW		60	/* seconds */
/* Windows open at once; past this a refusal is written at once, as if
 * it were the first (certificates come from one CA: few peers). */
#define REFUSALS_MAX		16384

struct refusals;

enum refusal_note {
	REFUSAL_WRITE,		/* the first of its window: write it now */
	REFUSAL_COUNTED		/* counted; the summary is written later */
};

/* What a window that ended counted (strings valid during the call). */
struct refusal_summary {
	const char	*cn;
	const char	*fingerprint;
	const char	*action;
	const char	*kind;
	time_t		 since;		/* the first refusal */
	time_t		 last;		/* the last one counted */
	unsigned long	 count;		/* refusals after the first */
};

struct refusals	*refusals_new(void);		/* NULL: out of memory */
void		 refusals_free(struct refusals *);	/* NULL: no-op */

/* A refusal of kind (a short sentence saying why) to action, at now.
 * action and kind must outlive the object (static strings); cn and
 * fingerprint are copied. */
enum refusal_note refusals_note(struct refusals *, const char *fingerprint,
		    const char *cn, const char *action, const char *kind,
		    time_t now);
/* The first of a window could not be written: its window is closed
 * (what it counted is handed to fn), so that the next one is written. */
void		 refusals_forget(struct refusals *, const char *fingerprint,
		    const char *action, const char *kind,
		    void (*fn)(void *, const struct refusal_summary *),
		    void *arg);
/*
 * Closes the windows that ended by now (all of them when all is set) and
 * hands each that counted something to fn, oldest first, outside the
 * object's lock. Returns how many windows were closed.
 */
size_t		 refusals_expire(struct refusals *, time_t now, int all,
		    void (*fn)(void *, const struct refusal_summary *),
		    void *arg);
/* Windows open now. */
size_t		 refusals_open(struct refusals *);

#endif
