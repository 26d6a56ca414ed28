/*
 * A unit's status as gpd answers it (issue 17), in one request: for every
 * period whose form the server knows (or one), its due date, what the
 * unit submitted, the province's review and its comments. status.c
 * holds what the status command (status_cmd.c) and gp-client-web's
 * /api/status (web_send.c) share: the request, the exchange, what each
 * period needs of the unit, and the JSON of `gp-client status --json`.
 * It needs only the connection, the protocol and jansson, so that
 * gp-client-web links it without the administration commands.
 *
 * Days count from this machine's clock: the district's calendar.
 */
#ifndef GP_STATUS_H
#define GP_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "gp.pb-c.h"
#include "conn.h"

#define STATUS_SOON	7	/* days before a due date to remind */

/* What a period asks of the unit, the reason its status gives. */
enum status_need {
	STATUS_NEED_NONE = 0,
	STATUS_NEED_OVERDUE,		/* past its due date, nothing sent */
	STATUS_NEED_SOON,		/* due within STATUS_SOON days, not sent */
	STATUS_NEED_RETURNED		/* returned: to be sent again */
};

/* One period of an answer, with what it asks of the unit. */
struct status_period {
	const Gp__PeriodStatus	*ps;
	int32_t			 days_left;	/* negative: late */
	int			 has_due;
	int			 attention;	/* need != STATUS_NEED_NONE */
	enum status_need	 need;
};

/* A status request for period (NULL: every one) of unit (NULL: the
 * certificate's own), its body in st. */
void	 status_request(Gp__Request *, Gp__StatusRequest *, uint32_t id,
	    const char *period, const char *unit);

/*
 * Asks the server once, on a connection of its own, for this
 * certificate's status of period (NULL: every period). Returns 0 with
 * *out, the answer (a status or the server's refusal; free it with
 * gp__response__free_unpacked), or -1 with *cause when the server could
 * not be reached or answered something else; *transient then says
 * whether trying again later may help (conn_is_transient).
 */
int	 status_ask(const struct conn_config *, const char *period,
	    Gp__Response **out, int *transient, char **cause);

/* Days from today to the due date; whether the unit must act. */
void	 status_of(const Gp__PeriodStatus *, int32_t today,
	    struct status_period *);

/* The newest comment of a return, the one the unit must act on; NULL
 * when there is none. */
const Gp__Decision *status_return_comment(const Gp__PeriodStatus *);

/* A period as `gp-client status --json` writes it; NULL when out of
 * memory. */
json_t	*status_json_period(const struct status_period *);

#endif
