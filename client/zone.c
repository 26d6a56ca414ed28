/*
 * The run's time zone (zone.h). The kept name is a one-line file written
 * through a temporary (outfile.c); a file that does not hold a zone name
 * is ignored, as a kept form that does not hash to its name is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fmt.h"
#include "i18n.h"
#include "outfile.h"
#include "period.h"
#include "output.h"
#include "tz.h"
#include "zone.h"

static struct {
	const char	*configured;
	const char	*dir;
	struct tz	*tz;
	int		 noted;		/* a zone without rules, said once */
	int		 held;		/* zone_hold: no answer changes it */
} zone;

void
zone_setup(const char *configured, const char *state_dir)
{
	zone.configured = configured;
	zone.dir = state_dir;
}

void
zone_close(void)
{
	tz_free(zone.tz);
	memset(&zone, 0, sizeof(zone));
}

/* The name kept by an earlier run, into buf; 0, or -1 when none. */
static int
zone_kept(char buf[TZ_NAME_MAX + 1])
{
	char	path[4096];
	ssize_t	n;
	int	fd;

	if (zone.dir == NULL || (size_t)snprintf(path, sizeof(path), "%s/%s",
	    zone.dir, ZONE_FILE) >= sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	n = read(fd, buf, TZ_NAME_MAX + 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\n')
		return -1;
	buf[n - 1] = '\0';
	return tz_valid_name(buf);
}

static void
zone_keep(const char *name)
{
	struct outfile	*of;
	char		 path[4096], kept[TZ_NAME_MAX + 1], *cause = NULL;

	if (zone.dir == NULL || (zone_kept(kept) == 0 &&
	    strcmp(kept, name) == 0) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", zone.dir,
	    ZONE_FILE) >= sizeof(path))
		return;
	/* No state directory yet: nothing is kept, the answers say it. */
	if (access(zone.dir, W_OK) == -1)
		return;
	if ((of = outfile_open(path, &cause)) == NULL) {
		free(cause);
		return;
	}
	fprintf(outfile_stream(of), "%s\n", name);
	if (outfile_commit(of, &cause) == -1)
		free(cause);
	outfile_free(of);
}

static struct tz *
zone_load(const char *name)
{
	struct tz	*z = NULL;
	char		*cause = NULL, *note = NULL;

	if (tz_load(NULL, name, &z, &note, &cause) == -1) {
		if (!zone.noted)
			output_note(_("%s; times are shown in UTC"),
			    cause != NULL ? cause : _("out of memory"));
		zone.noted = 1;
		free(cause);
		return NULL;
	}
	free(note);
	return z;
}

const struct tz *
zone_current(void)
{
	char	kept[TZ_NAME_MAX + 1];

	if (zone.tz != NULL)
		return zone.tz;
	if (zone_kept(kept) == 0)
		zone.tz = zone_load(kept);
	if (zone.tz == NULL && zone.configured != NULL)
		zone.tz = zone_load(zone.configured);
	if (zone.tz == NULL)
		zone.tz = zone_load(TZ_DEFAULT);
	/* Out of memory: NULL, which the formats take for UTC, said so in
	 * every offset they print. */
	return zone.tz;
}

void
zone_hold(void)
{
	zone_current();
	zone.held = 1;
}

void
zone_heard(const char *name)
{
	struct tz	*z;

	if (zone.held || name == NULL || name[0] == '\0' || tz_valid_name(name) == -1)
		return;
	if (zone.tz == NULL || strcmp(tz_name(zone.tz), name) != 0) {
		if ((z = zone_load(name)) == NULL)
			return;
		tz_free(zone.tz);
		zone.tz = z;
	}
	zone_keep(name);
}

int32_t
zone_today(void)
{
	const struct tz	*z = zone_current();

	return z != NULL ? tz_day(z, (int64_t)time(NULL)) :
	    date_of(time(NULL));
}

/* t for a person: "2022-06-10 09:14 +07:00", its date in the reader's
 * style (10/6/2022 09:14 +07:00 in Vietnamese, i18n.h). */
static const char *
zone_person(int64_t t, char buf[ZONE_HUMAN_LEN + 1])
{
	char		 iso[TZ_HUMAN_LEN + 1], date[I18N_MAX];
	const char	*day;

	tz_human(zone_current(), t, iso);
	if (strlen(iso) != TZ_HUMAN_LEN || iso[10] != ' ') {
		memcpy(buf, iso, TZ_HUMAN_LEN + 1);
		return buf;
	}
	iso[10] = '\0';
	day = i18n_date(date, sizeof(date), iso);
	/* A date the reader's style leaves as it is (English): the time as
	 * made, without printf, 200,000 times in a national list. */
	if (strcmp(day, iso) == 0) {
		iso[10] = ' ';
		memcpy(buf, iso, TZ_HUMAN_LEN + 1);
		return buf;
	}
	snprintf(buf, ZONE_HUMAN_LEN + 1, "%s %s", day, iso + 11);
	return buf;
}

const char *
zone_human_at(int64_t t, char buf[ZONE_HUMAN_LEN + 1])
{
	if (t == 0)
		return "-";
	return zone_person(t, buf);
}

const char *
zone_human(const char *utc, char buf[ZONE_HUMAN_LEN + 1])
{
	int64_t	t;

	if (utc == NULL)
		return "";
	if (tz_parse_utc(utc, &t) == -1)
		return utc;
	return zone_person(t, buf);
}

const char *
zone_rfc3339(const char *utc, char buf[ZONE_RFC3339_LEN + 1])
{
	int64_t	t;

	if (utc == NULL)
		return NULL;
	if (tz_parse_utc(utc, &t) == -1)
		return utc;
	tz_rfc3339(zone_current(), t, buf);
	return buf;
}

json_t *
zone_json(const char *utc)
{
	char	buf[ZONE_RFC3339_LEN + 1];

	return fmt_json_text(zone_rfc3339(utc, buf));
}
