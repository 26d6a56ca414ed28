/*
 * Phase timings of one run on standard error, for finding where a
 * command's time goes: GP_CLIENT_TRACE=1 gp-client submit FILE prints
 * each phase's end as milliseconds since main, with the time it took.
 * Off (the default), a mark is one test of a flag read once at start.
 */
#ifndef GP_TRACE_H
#define GP_TRACE_H

#define TRACE_ENV	"GP_CLIENT_TRACE"

/* Reads TRACE_ENV; the clock starts here. */
void	trace_init(void);

/* The end of a phase: its name, the time since trace_init and since the
 * previous mark. */
void	trace_mark(const char *phase);

#endif
