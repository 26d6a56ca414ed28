/*
 * Phase timings on standard error (trace.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "i18n.h"
#include "trace.h"

static int		trace_on;
static struct timespec	trace_start, trace_last;

static double
trace_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

void
trace_init(void)
{
	const char	*s;
	struct timespec	 now;

	if ((s = getenv(TRACE_ENV)) == NULL || s[0] == '\0' ||
	    (s[0] == '0' && s[1] == '\0'))
		return;
	trace_on = 1;
	clock_gettime(CLOCK_MONOTONIC, &trace_start);
	trace_last = trace_start;
	/* The wall clock at main, to set against the time of exec. */
	clock_gettime(CLOCK_REALTIME, &now);
	/* For engineers, read by tests/bench: English (po/README). */
	fprintf(stderr, U_("gp-client: trace: main at %lld.%06ld\n"),
	    (long long)now.tv_sec, now.tv_nsec / 1000);
}

void
trace_mark(const char *phase)
{
	struct timespec	now;

	if (!trace_on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, U_("gp-client: trace: %-20s %8.3f ms  +%.3f\n"),
	    phase, trace_ms(&trace_start, &now), trace_ms(&trace_last, &now));
	trace_last = now;
}
