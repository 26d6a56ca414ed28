/*
 * What gp-client-web sends (client/web_send.c) needs a server: the unit
 * test of its JSON API and the fuzz harness of its verdict link these
 * instead, and tests/e2e/web.sh covers the real ones.
 */
#include <stdint.h>

#include <jansson.h>

#include "web.h"

void
web_send_submit(struct web *w, const char *period, json_t *report,
    struct web_reply *reply)
{
	(void)w; (void)period; (void)report;
	web_reply_error(reply, 501, "not here");
}

void
web_send_retry(struct web *w, const char *period, struct web_reply *reply)
{
	(void)w; (void)period;
	web_reply_error(reply, 501, "not here");
}

void
web_send_status(struct web *w, const char *period, struct web_reply *reply)
{
	(void)w; (void)period;
	web_reply_error(reply, 501, "not here");
}

void
web_send_last(struct web *w, const char *period, struct web_reply *reply)
{
	(void)w; (void)period;
	web_reply_error(reply, 501, "not here");
}

int
web_send_summary(struct web *w, const char *period, int *waiting,
    uint32_t *revision)
{
	(void)w; (void)period;
	*waiting = 0;
	*revision = 0;
	return 0;
}
