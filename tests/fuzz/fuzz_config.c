/*
 * fuzz_config: gpd.conf as config_load reads it. The bytes are the file
 * (an in-memory file, opened by its /proc/self/fd path as gpd opens its
 * configuration). A configuration that loads must be one gpd can run on:
 * every required key set, every number in its range, the receipt key
 * and certificate both or neither, admins one token each, period rules
 * that give ordered dates.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "frame.h"
#include "config.h"
#include "period.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_path[64];

/* The input as a file; the same memfd every time. */
static const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static int	fd = -1;

	if (fd == -1) {
		CHECK((fd = memfd_create("fuzz_config", 0)) != -1);
		snprintf(fuzz_path, sizeof(fuzz_path), "/proc/self/fd/%d", fd);
	}
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
	return fuzz_path;
}

/* A month-day that exists in every year: it survives a round trip
 * through a day number in 2001, not a leap year. */
static void
fuzz_monthday(int month, int day)
{
	int	y, m, d;

	CHECK(month >= 1 && month <= 12 && day >= 1 && day <= 31);
	date_to_ymd(date_from_ymd(2001, month, day), &y, &m, &d);
	CHECK(y == 2001 && m == month && d == day);
}

static void
fuzz_rule(const struct period_rule *r)
{
	fuzz_monthday(r->from_month, r->from_day);
	fuzz_monthday(r->to_month, r->to_day);
	fuzz_monthday(r->due_month, r->due_day);
}

static void
fuzz_periods(const struct period_rules *rules)
{
	static const char *const ids[] = {
		"2000-H1", "2000", "2024-H1", "2024", "2999-H1", "2999"
	};
	struct period	 p;
	const char	*errstr = NULL;
	size_t		 i;

	fuzz_rule(&rules->half);
	fuzz_rule(&rules->year);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK(period_parse(ids[i], rules, &p, &errstr) == 0);
		CHECK(p.from <= p.to && p.to <= p.due && p.to <= p.limit);
		CHECK(p.to - p.from < 366 && p.due - p.to < 366);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*conf;
	char		*cause = NULL;
	size_t		 i;

	if ((conf = config_load(fuzz_file(data, size), &cause)) == NULL) {
		CHECK(cause != NULL && cause[0] != '\0');
		free(cause);
		return 0;
	}
	CHECK(cause == NULL);
	CHECK(conf->path != NULL && strcmp(conf->path, fuzz_path) == 0);
	CHECK(conf->listen != NULL && conf->database != NULL);
	CHECK(conf->units != NULL && conf->certificate != NULL &&
	    conf->key != NULL && conf->client_ca != NULL);
	CHECK(conf->max_connections >= 1 && conf->max_connections <= 100000);
	CHECK(conf->handshake_timeout >= 1 && conf->handshake_timeout <= 3600);
	CHECK(conf->idle_timeout >= 1 && conf->idle_timeout <= 86400);
	CHECK(conf->max_frame >= 1024 && conf->max_frame <= FRAME_MAX_LIMIT);
	CHECK(conf->workers <= 64);
	CHECK(conf->contact != NULL);
	CHECK((conf->receipt_key == NULL) ==
	    (conf->receipt_certificate == NULL));
	CHECK(conf->nadmins == 0 || conf->admins != NULL);
	for (i = 0; i < conf->nadmins; i++) {
		CHECK(conf->admins[i][0] != '\0');
		CHECK(strpbrk(conf->admins[i], " \t,") == NULL);
		CHECK(config_is_admin(conf, conf->admins[i]));
	}
	CHECK(!config_is_admin(conf, ""));
	fuzz_periods(&conf->periods);
	config_free(conf);
	return 0;
}
