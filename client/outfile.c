/*
 * Files written whole or not at all (outfile.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "cause.h"
#include "outfile.h"

#define OUTFILE_SUFFIX	".tmp.XXXXXX"
#define OUTFILE_PROC	"/proc/self/fd"

struct outfile {
	char	*path;		/* the target */
	char	*tmp;		/* the temporary file beside it */
	char	*dir;		/* their directory */
	char	*name;		/* outfile_name */
	FILE	*f;
	int	 committed;
};

/* The directory of path, for the sync after the rename. */
static char *
outfile_dir(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

struct outfile *
outfile_open(const char *path, char **cause)
{
	struct outfile	*o;
	int		 fd, saved;

	*cause = NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	if ((o->path = strdup(path)) == NULL ||
	    (o->dir = outfile_dir(path)) == NULL ||
	    asprintf(&o->tmp, "%s" OUTFILE_SUFFIX, path) == -1) {
		o->tmp = NULL;
		goto fail;
	}
	/* mkstemp: O_CREAT | O_EXCL, mode 0600, whatever the umask. */
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) == -1) {
		saved = errno;
		free(o->tmp);
		o->tmp = NULL;
		cause_set(cause, _("cannot create a file in %s: %s; check -o"),
		    o->dir, strerror(saved));
		goto fail;
	}
	if ((o->f = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto fail;
	}
	/* Opening this name opens our file even if the temporary's name
	 * is replaced meanwhile; without /proc, the name itself, which
	 * only the directory's writers can touch. */
	if (access(OUTFILE_PROC, X_OK) == 0) {
		if (asprintf(&o->name, OUTFILE_PROC "/%d", fd) == -1) {
			o->name = NULL;
			goto fail;
		}
	} else if ((o->name = strdup(o->tmp)) == NULL)
		goto fail;
	return o;

fail:
	outfile_free(o);
	return NULL;
}

FILE *
outfile_stream(struct outfile *o)
{
	return o->f;
}

const char *
outfile_name(const struct outfile *o)
{
	return o->name;
}

const char *
outfile_path(const struct outfile *o)
{
	return o->path;
}

/* Makes the rename durable; a file system that cannot sync a directory
 * (EINVAL) has nothing to sync. */
static int
outfile_sync_dir(const struct outfile *o, char **cause)
{
	int	fd, saved;

	if ((fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return cause_set(cause, _("cannot open the directory %s: %s"),
		    o->dir, strerror(errno));
	if (fsync(fd) == -1 && errno != EINVAL) {
		saved = errno;
		close(fd);
		return cause_set(cause, _("cannot write %s: %s"), o->path,
		    strerror(saved));
	}
	close(fd);
	return 0;
}

int
outfile_commit(struct outfile *o, char **cause)
{
	int	rv;

	*cause = NULL;
	if (fflush(o->f) == EOF || ferror(o->f) || fsync(fileno(o->f)) == -1)
		return cause_set(cause, _("cannot write %s: %s"), o->path,
		    strerror(errno));
	rv = fclose(o->f);
	o->f = NULL;
	if (rv == EOF)
		return cause_set(cause, _("cannot write %s: %s"), o->path,
		    strerror(errno));
	if (rename(o->tmp, o->path) == -1)
		return cause_set(cause, _("cannot put the file in place as "
		    "%s: %s; check -o"), o->path, strerror(errno));
	o->committed = 1;
	return outfile_sync_dir(o, cause);
}

void
outfile_free(struct outfile *o)
{
	if (o == NULL)
		return;
	if (o->f != NULL)
		fclose(o->f);
	if (!o->committed && o->tmp != NULL)
		unlink(o->tmp);
	free(o->name);
	free(o->tmp);
	free(o->dir);
	free(o->path);
	free(o);
}
