/*
 * Logging to standard error, one line per event: a level, then the text
 * with key=value fields (log.c).
 */
#ifndef GPD_LOG_H
#define GPD_LOG_H

void	 log_init(int foreground, int verbose);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
