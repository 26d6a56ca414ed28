/*
 * The sentence a failing function hands back to its caller for the user
 * (`char **cause`, after tmux): what happened and what to do, malloc'd.
 */
#ifndef GP_CAUSE_H
#define GP_CAUSE_H

#include <stdarg.h>

/* Sets *cause to the formatted sentence, or to NULL when out of memory
 * (callers then say "out of memory"). Returns -1, so that a function can
 * end with return cause_set(cause, ...). */
int	 cause_set(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 cause_vset(char **cause, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

#endif
