/*
 * The zone gp-client tells time in (proto/tz.h): the federation's, as
 * the server names it in its answers (form, submit, whoami, and every
 * answer that carries times), kept in the state directory ("timezone",
 * beside forms/) for the runs that ask the server nothing; before the
 * server has said, the configuration's `timezone`; else Asia/Ho_Chi_Minh.
 *
 * Times travel in UTC, and signed receipts keep that form. People are
 * shown "2022-06-10 09:14 +07:00"; JSON and CSV get RFC 3339 with the
 * zone's offset; "the day of submission" of a local check is the zone's.
 *
 * One zone for the run, held here: gp-client runs one command a process.
 */
#ifndef GP_ZONE_H
#define GP_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tz.h"

#define ZONE_FILE	"timezone"
#define ZONE_HUMAN_LEN	TZ_HUMAN_LEN
#define ZONE_RFC3339_LEN TZ_RFC3339_LEN

/* Where the zone may come from before a server names one: the
 * configuration's name (NULL: none) and the state directory (NULL:
 * none). Borrowed for the run. */
void	 zone_setup(const char *configured, const char *state_dir);
void	 zone_close(void);

/* A server's answer named its zone (NULL or "": it did not): used from
 * now on, and kept for later runs when it is not the kept one. A name
 * this machine has no rules for is noted once and the zone stays. */
void	 zone_heard(const char *name);

/* The zone is loaded now and stays for the run, whatever an answer
 * names: gp-client-web's connection threads share it. */
void	 zone_hold(void);

/* The zone in use (loaded on first use; never NULL). */
const struct tz	*zone_current(void);

/* Today in the zone: the day of submission of a local check. */
int32_t	 zone_today(void);

/* A UTC time from the server ("2022-06-10T02:14:11Z") shown to a
 * person, "2022-06-10 09:14 +07:00" (in Vietnamese "10/6/2022 09:14
 * +07:00"), in buf; what is not one comes back
 * as it came ("" for NULL). */
const char	*zone_human(const char *utc, char buf[ZONE_HUMAN_LEN + 1]);
/* A Unix time, the same way ("-" for 0). */
const char	*zone_human_at(int64_t t, char buf[ZONE_HUMAN_LEN + 1]);
/* The same UTC time as RFC 3339 with the zone's offset, for JSON and
 * CSV; what is not one comes back as it came. */
const char	*zone_rfc3339(const char *utc, char buf[ZONE_RFC3339_LEN + 1]);
/* As a JSON string, or null for NULL. */
json_t		*zone_json(const char *utc);

#endif
