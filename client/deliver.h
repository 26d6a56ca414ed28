/*
 * Delivering one report: connect, send, read the answer, and try again
 * after a transient failure, with exponential backoff and full jitter or
 * as long as a busy server asks. The report's submission id makes every
 * try after the first harmless: a server that already stored it answers
 * with the first receipt, marked duplicate.
 */
#ifndef GP_DELIVER_H
#define GP_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "gp.pb-c.h"
#include "conn.h"

#define DELIVER_RETRIES_DEFAULT	3
#define DELIVER_RETRIES_MAX	100
#define DELIVER_BASE_MS		1000	/* the first backoff, at most */
#define DELIVER_CAP_MS		30000	/* the longest backoff */
#define DELIVER_WAIT_MAX	300	/* the longest retry_after honoured, s */
#define DELIVER_BASE_ENV	"GP_CLIENT_BACKOFF_BASE_MS"

struct deliver_policy {
	int	retries;	/* tries after the first */
	long	base_ms;
	long	cap_ms;
	int	wait_max;	/* seconds; a longer retry_after ends the tries */
};

enum deliver_outcome {
	DELIVER_RECEIPT,	/* resp holds a receipt for this report, checked */
	DELIVER_REFUSED,	/* resp holds the server's refusal of it */
	DELIVER_TRANSIENT,	/* not delivered; worth trying later */
	DELIVER_FAILED,		/* cannot deliver anything now: cause */
	DELIVER_UNPROVEN	/* answered with a receipt that does not
				   verify (reason): nothing to keep */
};

struct deliver_result {
	enum deliver_outcome	 outcome;
	int			 status;	/* <sysexits.h> */
	Gp__Response		*resp;		/* RECEIPT and REFUSED */
	char			*cause;		/* FAILED: a sentence */
	char			 reason[192];	/* TRANSIENT, UNPROVEN: a few
						   words */
	int			 network;	/* TRANSIENT: no answer at all */
	int			 tries;
};

struct deliver_hooks {
	/* Before try n (from 1). */
	void	(*on_try)(void *arg, int n);
	/* Before waiting ms after try n failed for reason. */
	void	(*on_wait)(void *arg, int n, const char *reason, long ms);
	void	*arg;
};

/* The defaults, with the backoff base from $GP_CLIENT_BACKOFF_BASE_MS
 * when set (a testing knob: 0 retries at once). */
void	deliver_policy_default(struct deliver_policy *);

/* A report as it travels: its submission id, unit and period, its
 * canonical bytes (report_pack) and their SHA-256 in hex, borrowed. */
struct deliver_item {
	const char	*id;
	const char	*unit;
	const char	*period;
	const uint8_t	*report;
	size_t		 len;
	const char	*sha256;
};

/*
 * Sends the report over c, trying again after transient failures as
 * policy allows. The request is framed once around the report's bytes
 * as they are: every try sends the same bytes. A receipt is checked as
 * verify-receipt checks one, against the CA c loaded, and must cover this
 * report (proof_check_receipt); one that does not is DELIVER_UNPROVEN,
 * not tried again. Fills res; free it with deliver_result_clear. Returns
 * res->outcome.
 */
enum deliver_outcome	deliver_report(struct conn *c,
			    const struct deliver_policy *,
			    const struct deliver_item *,
			    const struct deliver_hooks *, struct deliver_result *res);

void	deliver_result_clear(struct deliver_result *);

/* The receipt in a DELIVER_RECEIPT response. */
const Gp__Receipt	*deliver_receipt(const struct deliver_result *);

#endif
