/*
 * A file that gp-client writes whole or not at all (export -o, receipts
 * --export): the one way it writes a file by name.
 *
 * The data goes to a temporary file that mkstemp makes in the target's
 * directory (O_CREAT | O_EXCL, mode 0600): never a name someone planted
 * there beforehand, never through a symbolic link. outfile_commit syncs
 * it, renames it over the target and syncs the directory, so that the
 * target is either untouched or the whole new file, even after a power
 * cut. An outfile freed before its commit leaves nothing behind.
 */
#ifndef GP_OUTFILE_H
#define GP_OUTFILE_H

#include <stdio.h>

struct outfile;

/* Makes the temporary file for path. Returns NULL with *cause (a
 * sentence; NULL when out of memory) when it cannot be made. */
struct outfile	*outfile_open(const char *path, char **cause);

/* A stdio stream on the temporary file. */
FILE		*outfile_stream(struct outfile *);

/* A name that opens the temporary file itself, whatever happens to the
 * names in its directory meanwhile: for a library that only takes a file
 * name (libxlsxwriter). */
const char	*outfile_name(const struct outfile *);

/* The target's path, as given. */
const char	*outfile_path(const struct outfile *);

/* Flushes, syncs and renames the temporary file over the target. Returns
 * 0, or -1 with *cause; outfile_free either way. */
int		 outfile_commit(struct outfile *, char **cause);

/* Releases; before a commit, removes the temporary file. */
void		 outfile_free(struct outfile *);

#endif
