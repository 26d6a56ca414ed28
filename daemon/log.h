/*
 * Logging to standard error, one line per event: a level, then the text
 * with key=value fields (log.c).
 */
#ifndef GPD_LOG_H
#define GPD_LOG_H

#include <stddef.h>

/* Room for a quoted value of a peer: 64 bytes of it, each escaped. */
#define LOG_QUOTE_MAX	(4 * 64 + 8)

void	 log_init(int foreground, int verbose);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * A value that came from a peer, fit for a log line or an audit detail:
 * in double quotes, '"' and '\' escaped with a backslash, and each byte
 * of a control or invisible character or of invalid UTF-8 as \xHH, so
 * that nothing a peer sends can end the value, forge a key or begin a
 * line. Cut at a character to fit len (at least 8), with "..." before the
 * closing quote. NULL gives - unquoted. Returns buf.
 */
const char	*log_quote(char *buf, size_t len, const char *);

void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
