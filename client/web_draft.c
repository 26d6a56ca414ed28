/*
 * Drafts (web.h): the report as the page last saved it, one file per
 * unit and period in the state directory ($XDG_STATE_HOME/gp/drafts, or
 * ~/.local/state/gp/drafts), directory 0700 and files 0600: a report may
 * name people. A draft need not be valid; it must be a JSON object. Each
 * is written whole to a new file, synced and renamed over the old one,
 * so that a stop or a power cut leaves the old draft or the new, never a
 * part (outfile.h, gp-client's one way to write a file by name).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cause.h"
#include "outfile.h"
#include "web.h"

char *
web_draft_dir(char **cause)
{
	const char	*state, *home;
	struct passwd	*pw;
	char		*path;
	int		 n;

	*cause = NULL;
	if ((state = getenv("XDG_STATE_HOME")) != NULL && state[0] == '/')
		n = asprintf(&path, "%s/gp/drafts", state);
	else {
		if ((home = getenv("HOME")) == NULL || home[0] != '/') {
			if ((pw = getpwuid(getuid())) == NULL ||
			    pw->pw_dir == NULL || pw->pw_dir[0] != '/') {
				cause_set(cause, _("no home directory to keep "
				    "drafts in: set $HOME"));
				return NULL;
			}
			home = pw->pw_dir;
		}
		n = asprintf(&path, "%s/.local/state/gp/drafts", home);
	}
	if (n == -1)
		return NULL;
	return path;
}

/* Creates dir and the missing directories above it, mode 0700. */
static int
web_draft_mkdirs(const char *dir, char **cause)
{
	char	*d, *p;

	if ((d = strdup(dir)) == NULL)
		return -1;
	for (p = d + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char saved = *p;

			*p = '\0';
			if (mkdir(d, 0700) == -1 && errno != EEXIST) {
				cause_set(cause, _("cannot create %s: %s"), d,
				    strerror(errno));
				free(d);
				return -1;
			}
			*p = saved;
		}
		if (*p == '\0')
			break;
	}
	free(d);
	return 0;
}

/* The draft's file: unit and period are checked names ([a-z0-9-] and a
 * period id), never a path. */
static int
web_draft_path(struct web *w, const char *period, char *buf, size_t len,
    char **cause)
{
	const char	*s;

	for (s = period; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == 'H'))
			return cause_set(cause, _("bad period '%s'"), period);
	if ((size_t)snprintf(buf, len, "%s/%s_%s.json", w->drafts, w->unit,
	    period) >= len)
		return cause_set(cause, _("the drafts directory's name is too "
		    "long"));
	return 0;
}

static void
web_draft_time(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%s", "");
}

int
web_draft_save(struct web *w, const char *period, json_t *report,
    char *saved_at, size_t len, char **cause)
{
	struct outfile	*o;
	char		 path[4096], *text;
	int		 rv;

	*cause = NULL;
	if (web_draft_path(w, period, path, sizeof(path), cause) == -1)
		return -1;
	if (web_draft_mkdirs(w->drafts, cause) == -1)
		return -1;
	if ((o = outfile_open(path, cause)) == NULL) {
		/* Its sentence speaks of -o, which the page has not. */
		free(*cause);
		*cause = NULL;
		return cause_set(cause, _("cannot save drafts in %s: %s"),
		    w->drafts, access(w->drafts, W_OK) == -1 ?
		    strerror(errno) : "cannot create a file there");
	}
	if ((text = json_dumps(report, JSON_INDENT(1) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		outfile_free(o);
		return -1;
	}
	rv = fputs(text, outfile_stream(o)) == EOF ||
	    fputc('\n', outfile_stream(o)) == EOF ? -1 : 0;
	free(text);
	if (rv == -1) {
		rv = cause_set(cause, _("cannot save the draft %s: %s"), path,
		    strerror(errno));
		outfile_free(o);
		return rv;
	}
	rv = outfile_commit(o, cause);
	outfile_free(o);
	if (rv == -1)
		return -1;
	web_draft_time(time(NULL), saved_at, len);
	return 0;
}

int
web_draft_load(struct web *w, const char *period, json_t **out,
    char *saved_at, size_t len, char **cause)
{
	struct stat	 st;
	json_error_t	 jerr;
	char		 path[4096], *buf;
	ssize_t		 n;
	int		 fd, saved;

	*out = NULL;
	*cause = NULL;
	if (web_draft_path(w, period, path, sizeof(path), cause) == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		return cause_set(cause, _("cannot read the draft %s: %s"), path,
		    strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > WEB_BODY_MAX) {
		close(fd);
		return cause_set(cause, _("the draft %s is not a file of at "
		    "most %d bytes"), path, WEB_BODY_MAX);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, (size_t)st.st_size);
	saved = errno;
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return cause_set(cause, _("cannot read the draft %s: %s"), path,
		    n == -1 ? strerror(saved) : "short read");
	}
	*out = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (*out == NULL)
		return cause_set(cause, _("the draft %s is damaged (%s); it is "
		    "left as it is"), path, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cause_set(cause, _("the draft %s is damaged (not a "
		    "report); it is left as it is"), path);
	}
	web_draft_time(st.st_mtime, saved_at, len);
	return 0;
}

int
web_draft_remove(struct web *w, const char *period, char **cause)
{
	char	path[4096];

	*cause = NULL;
	if (web_draft_path(w, period, path, sizeof(path), cause) == -1)
		return -1;
	if (unlink(path) == -1 && errno != ENOENT)
		return cause_set(cause, _("cannot remove the draft %s: %s"),
		    path, strerror(errno));
	return 0;
}
