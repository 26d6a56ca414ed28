/*
 * gp-client-web: the report form in the browser (issue 19). `gp-client
 * web` runs this program (its own, so that `gp-client submit` never loads
 * libmicrohttpd) with the unit's settings; it serves a Vietnamese
 * data-entry page and a small JSON API on 127.0.0.1 only, and sends the
 * report through the outbox exactly as `gp-client submit` does.
 *
 *   web_main.c	start-up, options, the forms, the address and the token,
 *		signals, idle time, shutdown
 *   web_http.c	every request: Host, cookie, CSRF token, content type,
 *		body limit, security headers; the page's files
 *   web_api.c	the JSON API: periods, form, draft, validate
 *   web_send.c	the JSON API that sends or reads back: submit, retry,
 *		status (with the province's review, as gp-client status
 *		asks it: status.h), last
 *   web_draft.c	drafts in the state directory
 *   web_form.c	how a report is checked: validate_report against the
 *		forms of gp-client's cache (forms.h), which web_main.c opens
 *   web_open.c	opening the browser: xdg-open, or under WSL wslview or
 *		cmd.exe
 *   web/	index.html, style.css, app.js, assembled into the binary
 *		(web_assets.S)
 *
 * The page talks to the API only in report JSON (as in tests/data) and
 * form JSON (gp-forms(5)); every list it shows comes from the form.
 */
#ifndef GP_WEB_H
#define GP_WEB_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "report.h"
#include "client.h"
#include "conn.h"
#include "deliver.h"
#include "form.h"
#include "forms.h"

#define WEB_SECRET_BYTES	16	/* 128 bits */
#define WEB_SECRET_HEX		(2 * WEB_SECRET_BYTES)
#define WEB_CSRF_RING		16	/* pages open at once */
#define WEB_BODY_MAX		(2 * 1024 * 1024)	/* bytes of a request body */
#define WEB_HEADER_MAX		(16 * 1024)	/* a request's header block */
#define WEB_CONNECTIONS		16
#define WEB_CONN_TIMEOUT	60	/* seconds a connection may sit idle */
#define WEB_IDLE_DEFAULT	60	/* minutes without a request */
#define WEB_IDLE_MAX		(7 * 24 * 60)
#define WEB_CSRF_HEADER		"X-GP-CSRF"
#define WEB_PROC_VERSION_ENV	"GP_WEB_PROC_VERSION"
#define WEB_FORM_FETCH_TIMEOUT	10	/* seconds, at start */
#define WEB_UNIT_NAME_MAX	256	/* bytes of the registry's name */

struct web {
	/* The unit's settings, as gp-client passed them. */
	struct conn_config	 conn;
	struct deliver_policy	 policy;
	const char		*outbox;	/* path, or NULL */
	char			*outbox_error;	/* why there is none */
	char			*drafts;	/* directory */
	char			 unit[REPORT_MAX_UNIT + 1];	/* cert CN */
	struct client		 client;	/* what the form cache reads */
	struct forms		 cache;		/* gp-client's form cache */
	const struct form_set	*forms;		/* the cache's forms, by year */

	/* The address and the secrets. */
	int			 port;
	char			 host_ip[32];	/* "127.0.0.1:PORT" */
	char			 host_name[32];	/* "localhost:PORT" */
	char			 origin_ip[40];	/* "http://127.0.0.1:PORT" */
	char			 origin_name[40];
	char			 cookie_name[32];	/* "gp_web_PORT" */
	char			 token[WEB_SECRET_HEX + 1];	/* of the URL */
	char			 session[WEB_SECRET_HEX + 1];	/* the cookie */

	/* Shared by the connection threads, under lock. */
	pthread_mutex_t		 lock;
	time_t			 last_request;
	char			 csrf[WEB_CSRF_RING][WEB_SECRET_HEX + 1];
	size_t			 csrf_next;
	/* The registry's name of the unit, as the server last gave it
	 * ("LĐLĐ huyện Tam Đường"); "" until then. */
	char			 unit_name[WEB_UNIT_NAME_MAX];
};

/* What one API call answers: a status and a body (malloc'd). */
struct web_reply {
	unsigned int	 status;
	char		*body;
	size_t		 len;
	const char	*type;		/* Content-Type */
	int		 static_body;	/* body is not to be freed */
};

/* A request as the API sees it, once every check has passed. */
struct web_request {
	const char	*method;
	const char	*path;		/* "/api/draft" */
	const char	*period;	/* ?period=, or NULL */
	const char	*body;
	size_t		 len;
};

/* web_main.c */
int	 web_random_hex(char *out, size_t bytes);
time_t	 web_now(void);
void	 web_touch(struct web *);

/* web_http.c */
struct MHD_Daemon;
struct MHD_Daemon	*web_http_start(struct web *, int fd, char **cause);

/* web_api.c: routes a request; fills reply. */
void	 web_api(struct web *, const struct web_request *,
	    struct web_reply *);
/* The report in body (a JSON object), its unit and period set to ours:
 * NULL with an error reply when it is not one. */
json_t	*web_api_report(struct web *, const struct web_request *,
	    const char *period, struct web_reply *);

/* Fills a reply with o (taken) as compact JSON and a status; status 500
 * when o is NULL. */
void	 web_reply_json(struct web_reply *, unsigned int status, json_t *o);
/* {"error": message} with a status. */
void	 web_reply_error(struct web_reply *, unsigned int status,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The unit's name: kept when the server gives it (a name that does not
 * fit is not kept), read back into buf ("" when unknown). */
void	 web_api_set_unit_name(struct web *, const char *);
const char	*web_api_unit_name(struct web *, char *buf, size_t len);
/* The verdict on a report (valid, errors, warnings) as the page shows
 * it; with out, the report when it is valid. NULL when out of memory. */
json_t	*web_api_verdict(struct web *, json_t *report, struct report **out);

/* A line on the terminal, "gp-client-web: " and fmt in the terminal's
 * language (web_main.c): the catalogue speaks Vietnamese for the page. */
void	 web_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* web_send.c */
void	 web_send_submit(struct web *, const char *period, json_t *report,
	    struct web_reply *);
void	 web_send_retry(struct web *, const char *period, struct web_reply *);
void	 web_send_status(struct web *, const char *period,
	    struct web_reply *);
void	 web_send_last(struct web *, const char *period, struct web_reply *);
/* Counts of what waits in the outbox for our unit, and the latest
 * receipt kept: for the list of periods. -1 when no outbox. */
int	 web_send_summary(struct web *, const char *period, int *waiting,
	    uint32_t *revision);

/* web_draft.c */
char	*web_draft_dir(char **cause);
int	 web_draft_save(struct web *, const char *period, json_t *report,
	    char *saved_at, size_t len, char **cause);
/* 0 with *out (NULL when there is none) and saved_at, or -1. */
int	 web_draft_load(struct web *, const char *period, json_t **out,
	    char *saved_at, size_t len, char **cause);
int	 web_draft_remove(struct web *, const char *period, char **cause);

/* web_form.c */
/* The form of a period id, NULL with *cause when none. */
const struct form *web_form_of(struct web *, const char *period,
		    struct period *p, char **cause);
/*
 * Checks a report as gp-client validate does: NFC, its derived id, every
 * rule of the period's form. Returns 0 when valid, -1 otherwise (errs
 * filled); -2 when out of memory.
 */
int	 web_form_check(struct web *, struct report *,
	    struct report_errors *errs, struct report_errors *warnings);
int32_t	 web_form_today(void);

/* web_open.c: opens url in the user's browser, without waiting for it.
 * Returns 0, or -1 with *cause. */
int	 web_open(const char *url, char **cause);
/* Whether /proc/version (or $GP_WEB_PROC_VERSION) says WSL. */
int	 web_open_is_wsl(void);

/* web_assets.S */
extern const char	web_asset_index[], web_asset_style[], web_asset_app[];
extern const uint32_t	web_asset_index_len, web_asset_style_len,
			web_asset_app_len;

#endif
