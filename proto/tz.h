/*
 * The federation's clock: a time zone's rules, read once from the
 * system's tz database (TZif files, RFC 8536, under /usr/share/zoneinfo
 * or $TZDIR) and kept in memory. After tz_load() a zone is only read:
 * any thread may use it, and nothing here touches TZ, tzset() or the C
 * library's local-time state, which gpd's threads share.
 *
 * "The day of submission", due dates and every time shown to people are
 * in the zone of [server] timezone (gpd.conf(5)), Asia/Ho_Chi_Minh by
 * default. What is signed (receipts) and stored (Unix times) stays UTC.
 *
 * Where the tz database is not installed, Asia/Ho_Chi_Minh is UTC+07:00
 * (as it has been since 1975, without daylight saving time) and UTC is
 * UTC: tz_load says so in *note. Any other zone needs its file.
 */
#ifndef GP_TZ_H
#define GP_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_DEFAULT	"Asia/Ho_Chi_Minh"
#define TZ_DIR		"/usr/share/zoneinfo"
#define TZ_DIR_ENV	"TZDIR"
#define TZ_NAME_MAX	64	/* bytes of a zone's name */
#define TZ_FILE_MAX	(256 * 1024)
#define TZ_TRANSITIONS_MAX 20000
#define TZ_HUMAN_LEN	23	/* 2022-06-10 09:14 +07:00 */
#define TZ_RFC3339_LEN	25	/* 2022-06-10T09:14:11+07:00 */
#define TZ_UTC_LEN	20	/* 2022-06-10T02:14:11Z */

struct tz;

/* Whether s names a zone as the tz database does: 1 to TZ_NAME_MAX of
 * A-Z, a-z, 0-9, '/', '_', '+', '-' and '.', not starting with '/' and
 * without an empty, "." or ".." part (nothing outside the database's
 * directory). 0 when it does, -1 otherwise. */
int	 tz_valid_name(const char *s);

/*
 * The zone name: its file in dir (NULL: $TZDIR, or /usr/share/zoneinfo).
 * Returns 0 with *out, and *note (when not NULL; malloc'd, or NULL) a
 * sentence to log when the built-in rule stood in for a missing file; or
 * -1 with *cause (malloc'd; NULL only when out of memory).
 */
int	 tz_load(const char *dir, const char *name, struct tz **out,
	    char **note, char **cause);
/* Reads len bytes of TZif data (tests, fuzzing): as tz_load. */
int	 tz_parse(const char *name, const void *buf, size_t len,
	    struct tz **out, char **cause);
void	 tz_free(struct tz *);

const char	*tz_name(const struct tz *);

/* Seconds east of UTC at Unix time t. */
int32_t	 tz_offset(const struct tz *, int64_t t);
/* The zone's calendar day of t, as a day number (period.h). */
int32_t	 tz_day(const struct tz *, int64_t t);

/* "2022-06-10 09:14 +07:00" for people. */
void	 tz_human(const struct tz *, int64_t t, char out[TZ_HUMAN_LEN + 1]);
/* "2022-06-10T09:14:11+07:00", RFC 3339 with the zone's offset. */
void	 tz_rfc3339(const struct tz *, int64_t t,
	    char out[TZ_RFC3339_LEN + 1]);
/* "2022-06-10T02:14:11Z", RFC 3339 in UTC: what receipts sign. */
void	 tz_utc(int64_t t, char out[TZ_UTC_LEN + 1]);
/* Reads "YYYY-MM-DDTHH:MM:SSZ" (tz_utc's form) strictly: 0 with *t, or
 * -1. */
int	 tz_parse_utc(const char *s, int64_t *t);

#endif
