/*
 * A simulated machine for power-cut tests (tests/crash/README.md).
 *
 * The processes of one machine share a state directory. It remembers, for
 * every file they write, the bytes each write since the file's last sync
 * replaced (the file's undo log), and the entries made or removed in each
 * directory since that directory's last sync. Writes reach the real files
 * at once, as they reach a page cache every process shares, so processes
 * see each other's writes as on a real machine.
 *
 * Each sync is a numbered sync point; at the one chosen as the cut, the
 * process that reaches it kills every process of the machine and itself.
 * crashsim_power_on() then puts the files back as the power cut left them:
 * each file's unsynced writes dropped, kept, kept in order up to a torn
 * one, or scrambled sector by sector with torn sectors; the unsynced
 * entries of each directory gone (a removed file back), or a prefix of
 * them kept.
 */
#ifndef GP_CRASHSIM_H
#define GP_CRASHSIM_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#define CRASHSIM_SECTOR	512	/* what a torn write tears */

/* Environment of the test builds of gpd and gp-client (crashvfs.c). */
#define CRASHSIM_ENV_DIR	"GP_CRASH_DIR"	/* the machine's state */
#define CRASHSIM_ENV_AT		"GP_CRASH_AT"	/* the cut's sync point */

/* Status of a process that died in a power cut (it kills itself). */
#define CRASHSIM_CUT_SIGNAL	9

struct crashsim;

/* A file of the machine: where it was when first written, and which. */
struct crashsim_file {
	const char	*path;		/* absolute */
	dev_t		 dev;
	ino_t		 ino;
};

/* How crashsim_power_on() treats each file's unsynced writes. */
enum crashsim_fate {
	CRASHSIM_RANDOM = 0,	/* one of the others, per file, from the seed */
	CRASHSIM_KEEP,		/* every write reached the disk */
	CRASHSIM_DROP,		/* none did */
	CRASHSIM_ORDER,		/* the first ones did, the next torn */
	CRASHSIM_SCRAMBLE	/* each sector new, old or torn */
};

/*
 * Attaches this process to the machine whose state is in dir (made when
 * absent), to be cut at sync point cut_at (0: never), or at the one the
 * file dir/at names when there is one (read at each sync point). Returns
 * NULL with a sentence in *cause (malloc'd) on failure.
 */
struct crashsim	*crashsim_attach(const char *dir, uint64_t cut_at,
		    char **cause);
void		 crashsim_detach(struct crashsim *);	/* NULL: a no-op */

/* The machine's lock, across its processes and threads. Everything below
 * but crashsim_power_on() runs with it held. */
void	 crashsim_lock(struct crashsim *);
void	 crashsim_unlock(struct crashsim *);

/* path (absolute) was just made: a file, or a directory when dir is set.
 * Call only when it did not exist before. */
int	 crashsim_made(struct crashsim *, const char *path, int dir,
	    char **cause);

/*
 * Removes the file at path (absolute) as unlink(2) would, keeping it
 * aside until its directory is synced, so that a power cut can bring it
 * back. Returns 0, 1 when there is no such file, -1 on error.
 */
int	 crashsim_remove(struct crashsim *, const char *path, char **cause);

/*
 * The empty directory at path (absolute) was just removed (rmdir(2)): a
 * power cut before its parent's sync brings it back, and with it what
 * it held before; after that sync, nothing noted within it comes back.
 */
int	 crashsim_removed_dir(struct crashsim *, const char *path,
	    char **cause);

/*
 * Renames from to to (both absolute) as rename(2) would, keeping what to
 * held aside until to's directory is synced, so that a power cut can undo
 * the rename. Returns 0, or -1: with *cause when the simulation failed,
 * else with errno as rename(2) set it.
 */
int	 crashsim_rename(struct crashsim *, const char *from, const char *to,
	    char **cause);

/*
 * The file at path (absolute), just made, is written without SQLite
 * (stdio): its content survives a power cut as it was at its last sync,
 * under whichever name the cut left it.
 */
int	 crashsim_plain(struct crashsim *, const char *path, char **cause);

/*
 * Before a change of f: the bytes [off, off + len) are about to change, f
 * is size bytes long, and old holds its saved bytes from off (those of
 * [off, off + len) below size). newsize is its size afterwards.
 */
int	 crashsim_change(struct crashsim *, const struct crashsim_file *f,
	    int64_t off, int64_t len, int64_t size, int64_t newsize,
	    const void *old, size_t saved, char **cause);

/*
 * A sync of f, then of its directory when dir is set: a sync point each,
 * where the power may fail (the call then never returns). Afterwards the
 * writes of f so far (its directory's entries) survive a power cut.
 */
int	 crashsim_sync_file(struct crashsim *, const struct crashsim_file *f,
	    int dir, char **cause);
/* A sync of the directory at path (absolute), a sync point too. */
int	 crashsim_sync_dir(struct crashsim *, const char *path, char **cause);

/* How many sync points the machine has passed since it was powered on. */
int	 crashsim_count(const char *dir, uint64_t *n, char **cause);

/*
 * Powers the machine on after a cut (or cuts it now, when every process
 * of it is gone): puts its files back as the cut left them, choosing from
 * seed unless fate says, telling each choice to log (may be NULL), and
 * removes the state directory. Returns 0, or -1 with *cause.
 */
int	 crashsim_power_on(const char *dir, uint64_t seed,
	    enum crashsim_fate fate, FILE *log, char **cause);

/*
 * crashvfs.c: attaches the process to the machine named by the
 * environment and registers the shim as SQLite's default VFS; nothing
 * when $GP_CRASH_DIR is not set. Runs before main() in the test builds;
 * the unit test calls it after setting the environment.
 */
void	 crashvfs_start(void);

#endif
