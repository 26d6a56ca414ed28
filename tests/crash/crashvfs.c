/*
 * The power-cut shim of the test builds of gpd and gp-client
 * (build/crash/): linked in beside the unchanged daemon and client, it
 * registers, when $GP_CRASH_DIR is set, a SQLite VFS over the default one
 * as the new default. Its files write through to the real ones and tell
 * the simulated machine (crashsim.c) what each write replaced; a sync is a
 * sync point, where the power may fail ($GP_CRASH_AT), and otherwise makes
 * the file's writes durable without calling fsync(2).
 *
 * SQLite's unix VFS syncs the directory of a journal or WAL file it
 * created, once, at that file's first sync, and of a file it removes when
 * asked to (xDelete's dirSync): so does this one. The database file itself
 * gets no directory sync of its own: SQLite relies on its journal's.
 *
 * The code under test makes files and directories of its own (the outbox
 * and its directories, files written whole through a temporary), renames
 * and removes them, and syncs files and directories: the test builds link
 * with --wrap for open, mkdir, mkdtemp, mkstemp, mkostemp, rename, unlink,
 * rmdir, fsync and fdatasync, so that those calls, from gp's objects only
 * (never SQLite's), reach the machine too.
 *
 * Without $GP_CRASH_DIR nothing is registered and the wrappers only pass
 * through: the test build then behaves as the shipped one.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crashsim.h"

struct crash_file {
	sqlite3_file		 base;		/* first: what SQLite holds */
	sqlite3_file		*real;		/* the default VFS's, after us */
	struct crashsim_file	 id;		/* NULL path: not tracked */
	char			*path;
	int			 dirsync;	/* at the first sync */
};

static struct crashsim	*crash_sim;
static sqlite3_vfs	*crash_real;
static sqlite3_vfs	 crash_vfs;

/* The simulation is broken: nothing it says can be trusted any more. */
static void __attribute__((noreturn))
crash_fail(char *cause)
{
	fprintf(stderr, "%s\n", cause != NULL ? cause :
	    "crashsim: out of memory");
	free(cause);
	abort();
}

/* The file's name as the machine knows it (SQLite's full pathnames are
 * absolute already), and which file it is now. */
static int
crash_identify(struct crash_file *f, const char *name)
{
	struct stat	sb;

	if (stat(name, &sb) == -1)
		return -1;
	if ((f->path = strdup(name)) == NULL)
		return -1;
	f->id.path = f->path;
	f->id.dev = sb.st_dev;
	f->id.ino = sb.st_ino;
	return 0;
}

static int
crash_close(sqlite3_file *file)
{
	struct crash_file	*f = (struct crash_file *)file;
	int			 rc;

	rc = f->real->pMethods->xClose(f->real);
	free(f->path);
	f->path = NULL;
	return rc;
}

static int
crash_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xRead(f->real, buf, amt, off);
}

/* Saves what [off, off + len) holds now, as the file is size long. */
static void
crash_save(struct crash_file *f, sqlite3_int64 off, sqlite3_int64 len,
    sqlite3_int64 size, sqlite3_int64 newsize)
{
	uint8_t		*old = NULL;
	char		*cause = NULL;
	sqlite3_int64	 saved;
	int		 rc;

	saved = size - off;
	if (saved > len)
		saved = len;
	if (saved < 0)
		saved = 0;
	if (saved > 0) {
		if ((old = malloc((size_t)saved)) == NULL)
			crash_fail(NULL);
		rc = f->real->pMethods->xRead(f->real, old, (int)saved, off);
		if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) {
			free(old);
			if (asprintf(&cause, "crashsim: cannot read %s to save "
			    "it: %s", f->path, sqlite3_errstr(rc)) == -1)
				cause = NULL;
			crash_fail(cause);
		}
	}
	if (crashsim_change(crash_sim, &f->id, off, len, size, newsize, old,
	    (size_t)saved, &cause) == -1)
		crash_fail(cause);
	free(old);
}

static sqlite3_int64
crash_size(struct crash_file *f)
{
	sqlite3_int64	size;
	char		*cause;

	if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK) {
		if (asprintf(&cause, "crashsim: cannot size %s", f->path) == -1)
			cause = NULL;
		crash_fail(cause);
	}
	return size;
}

static int
crash_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
	struct crash_file	*f = (struct crash_file *)file;
	sqlite3_int64		 size;
	int			 rc;

	if (f->id.path == NULL)
		return f->real->pMethods->xWrite(f->real, buf, amt, off);
	crashsim_lock(crash_sim);
	size = crash_size(f);
	crash_save(f, off, amt, size, off + amt > size ? off + amt : size);
	rc = f->real->pMethods->xWrite(f->real, buf, amt, off);
	crashsim_unlock(crash_sim);
	return rc;
}

static int
crash_truncate(sqlite3_file *file, sqlite3_int64 to)
{
	struct crash_file	*f = (struct crash_file *)file;
	sqlite3_int64		 size;
	int			 rc;

	if (f->id.path == NULL)
		return f->real->pMethods->xTruncate(f->real, to);
	crashsim_lock(crash_sim);
	size = crash_size(f);
	if (to < size)
		crash_save(f, to, size - to, size, to);
	else if (to > size)
		crash_save(f, size, to - size, size, to);
	rc = f->real->pMethods->xTruncate(f->real, to);
	crashsim_unlock(crash_sim);
	return rc;
}

static int
crash_sync(sqlite3_file *file, int flags)
{
	struct crash_file	*f = (struct crash_file *)file;
	char			*cause;
	int			 dir;

	if (f->id.path == NULL)
		return f->real->pMethods->xSync(f->real, flags);
	crashsim_lock(crash_sim);
	dir = f->dirsync;
	f->dirsync = 0;
	if (crashsim_sync_file(crash_sim, &f->id, dir, &cause) == -1)
		crash_fail(cause);
	crashsim_unlock(crash_sim);
	return SQLITE_OK;
}

static int
crash_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xFileSize(f->real, size);
}

static int
crash_lock(sqlite3_file *file, int lock)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xLock(f->real, lock);
}

static int
crash_unlock(sqlite3_file *file, int lock)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xUnlock(f->real, lock);
}

static int
crash_check_reserved(sqlite3_file *file, int *out)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
crash_file_control(sqlite3_file *file, int op, void *arg)
{
	struct crash_file	*f = (struct crash_file *)file;
	sqlite3_int64		 before, after;
	int			 rc;

	/* A size hint may extend the file (unix: with a chunk size or
	 * mmap): the extension is a change like any other. */
	if (op != SQLITE_FCNTL_SIZE_HINT || f->id.path == NULL)
		return f->real->pMethods->xFileControl(f->real, op, arg);
	crashsim_lock(crash_sim);
	before = crash_size(f);
	rc = f->real->pMethods->xFileControl(f->real, op, arg);
	after = crash_size(f);
	if (after > before)
		crash_save(f, before, after - before, before, after);
	crashsim_unlock(crash_sim);
	return rc;
}

static int
crash_sector_size(sqlite3_file *file)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
crash_device(sqlite3_file *file)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int
crash_shm_map(sqlite3_file *file, int pg, int pgsz, int extend,
    void volatile **pp)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int
crash_shm_lock(sqlite3_file *file, int off, int n, int flags)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xShmLock(f->real, off, n, flags);
}

static void
crash_shm_barrier(sqlite3_file *file)
{
	struct crash_file	*f = (struct crash_file *)file;

	f->real->pMethods->xShmBarrier(f->real);
}

static int
crash_shm_unmap(sqlite3_file *file, int delete)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xShmUnmap(f->real, delete);
}

static int
crash_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xFetch(f->real, off, amt, pp);
}

static int
crash_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct crash_file	*f = (struct crash_file *)file;

	return f->real->pMethods->xUnfetch(f->real, off, p);
}

/* Methods for a real file of version 1, 2 and 3 (unix is 3): ours call
 * only what the real file has. */
static const sqlite3_io_methods crash_methods[3] = {
#define CRASH_METHODS(v) \
	v, crash_close, crash_read, crash_write, crash_truncate, crash_sync, \
	crash_file_size, crash_lock, crash_unlock, crash_check_reserved, \
	crash_file_control, crash_sector_size, crash_device
	{ CRASH_METHODS(1), NULL, NULL, NULL, NULL, NULL, NULL },
	{ CRASH_METHODS(2), crash_shm_map, crash_shm_lock, crash_shm_barrier,
	    crash_shm_unmap, NULL, NULL },
	{ CRASH_METHODS(3), crash_shm_map, crash_shm_lock, crash_shm_barrier,
	    crash_shm_unmap, crash_fetch, crash_unfetch }
#undef CRASH_METHODS
};

#define CRASH_TYPES	(SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_TEMP_DB | \
			SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_MAIN_JOURNAL | \
			SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL | \
			SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL)

/* Files that outlive their connection: the database, its journals. */
static int
crash_tracked(const char *name, int flags)
{
	switch (flags & CRASH_TYPES) {
	case SQLITE_OPEN_MAIN_DB:
	case SQLITE_OPEN_MAIN_JOURNAL:
	case SQLITE_OPEN_SUPER_JOURNAL:
	case SQLITE_OPEN_WAL:
		return name != NULL && name[0] == '/';
	default:
		return 0;
	}
}

static int
crash_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file,
    int flags, int *outflags)
{
	struct crash_file	*f = (struct crash_file *)file;
	struct stat		 sb;
	char			*cause;
	int			 rc, tracked, existed = 1, version;

	(void)vfs;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	tracked = crash_tracked(name, flags);
	if (!tracked) {
		rc = crash_real->xOpen(crash_real, name, f->real, flags,
		    outflags);
		goto done;
	}
	crashsim_lock(crash_sim);
	if (flags & SQLITE_OPEN_CREATE)
		existed = stat(name, &sb) == 0;
	rc = crash_real->xOpen(crash_real, name, f->real, flags, outflags);
	if (rc == SQLITE_OK) {
		if (!existed && crashsim_made(crash_sim, name, 0, &cause) == -1)
			crash_fail(cause);
		if (crash_identify(f, name) == -1) {
			if (asprintf(&cause, "crashsim: cannot stat %s: %s",
			    name, strerror(errno)) == -1)
				cause = NULL;
			crash_fail(cause);
		}
		/* As unixOpen: a journal or WAL it may have made. */
		f->dirsync = (flags & SQLITE_OPEN_CREATE) &&
		    (flags & (SQLITE_OPEN_MAIN_JOURNAL |
		    SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL));
	}
	crashsim_unlock(crash_sim);
done:
	if (f->real->pMethods == NULL) {
		f->base.pMethods = NULL;
		return rc;
	}
	version = f->real->pMethods->iVersion;
	if (version < 1)
		version = 1;
	if (version > 3)
		version = 3;
	f->base.pMethods = &crash_methods[version - 1];
	return rc;
}

static int
crash_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
	char	*cause, parent[PATH_MAX], *slash;
	int	 rv;

	(void)vfs;
	if (name == NULL || name[0] != '/')
		return crash_real->xDelete(crash_real, name, dirsync);
	crashsim_lock(crash_sim);
	if ((rv = crashsim_remove(crash_sim, name, &cause)) == -1)
		crash_fail(cause);
	if (rv == 0 && dirsync) {
		snprintf(parent, sizeof(parent), "%s", name);
		if ((slash = strrchr(parent, '/')) != NULL)
			*(slash == parent ? slash + 1 : slash) = '\0';
		if (crashsim_sync_dir(crash_sim, parent, &cause) == -1)
			crash_fail(cause);
	}
	crashsim_unlock(crash_sim);
	return rv == 1 ? SQLITE_IOERR_DELETE_NOENT : SQLITE_OK;
}

static int
crash_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return crash_real->xAccess(crash_real, name, flags, out);
}

static int
crash_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return crash_real->xFullPathname(crash_real, name, n, out);
}

static void *
crash_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return crash_real->xDlOpen(crash_real, name);
}

static void
crash_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	crash_real->xDlError(crash_real, n, out);
}

static void
(*crash_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return crash_real->xDlSym(crash_real, h, sym);
}

static void
crash_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	crash_real->xDlClose(crash_real, h);
}

static int
crash_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return crash_real->xRandomness(crash_real, n, out);
}

static int
crash_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return crash_real->xSleep(crash_real, us);
}

static int
crash_current_time(sqlite3_vfs *vfs, double *t)
{
	(void)vfs;
	return crash_real->xCurrentTime(crash_real, t);
}

static int
crash_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return crash_real->xGetLastError(crash_real, n, out);
}

static int
crash_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
	(void)vfs;
	return crash_real->xCurrentTimeInt64(crash_real, t);
}

void
crashvfs_start(void)
{
	const char	*dir, *at;
	char		*cause, *end;
	unsigned long long cut = 0;

	if (crash_sim != NULL)
		return;
	if ((dir = getenv(CRASHSIM_ENV_DIR)) == NULL || *dir == '\0')
		return;
	if ((at = getenv(CRASHSIM_ENV_AT)) != NULL && *at != '\0') {
		errno = 0;
		cut = strtoull(at, &end, 10);
		if (errno != 0 || *end != '\0') {
			fprintf(stderr, "crashsim: %s=%s is not a number\n",
			    CRASHSIM_ENV_AT, at);
			exit(70);
		}
	}
	if ((crash_sim = crashsim_attach(dir, cut, &cause)) == NULL)
		crash_fail(cause);
	if ((crash_real = sqlite3_vfs_find(NULL)) == NULL)
		crash_fail(strdup("crashsim: no default SQLite VFS"));
	crash_vfs.iVersion = crash_real->iVersion < 2 ? crash_real->iVersion : 2;
	crash_vfs.szOsFile = (int)sizeof(struct crash_file) +
	    crash_real->szOsFile;
	crash_vfs.mxPathname = crash_real->mxPathname;
	crash_vfs.zName = "gp-crash";
	crash_vfs.xOpen = crash_open;
	crash_vfs.xDelete = crash_delete;
	crash_vfs.xAccess = crash_access;
	crash_vfs.xFullPathname = crash_full_pathname;
	crash_vfs.xDlOpen = crash_dlopen;
	crash_vfs.xDlError = crash_dlerror;
	crash_vfs.xDlSym = crash_dlsym;
	crash_vfs.xDlClose = crash_dlclose;
	crash_vfs.xRandomness = crash_randomness;
	crash_vfs.xSleep = crash_sleep;
	crash_vfs.xCurrentTime = crash_current_time;
	crash_vfs.xGetLastError = crash_last_error;
	crash_vfs.xCurrentTimeInt64 = crash_current_time64;
	if (sqlite3_vfs_register(&crash_vfs, 1) != SQLITE_OK)
		crash_fail(strdup("crashsim: cannot register the VFS"));
}

static void	crash_constructor(void) __attribute__((constructor));

static void
crash_constructor(void)
{
	crashvfs_start();
}

/* ---------------------------------------------------------------------
 * What gp's own code does to files (linked with --wrap)
 */

int	__real_open(const char *, int, ...);
int	__real_mkdir(const char *, mode_t);
char	*__real_mkdtemp(char *);
int	__real_mkstemp(char *);
int	__real_mkostemp(char *, int);
int	__real_rename(const char *, const char *);
int	__real_unlink(const char *);
int	__real_rmdir(const char *);
int	__real_fsync(int);
int	__real_fdatasync(int);
int	__wrap_open(const char *, int, ...);
int	__wrap_mkdir(const char *, mode_t);
char	*__wrap_mkdtemp(char *);
int	__wrap_mkstemp(char *);
int	__wrap_mkostemp(char *, int);
int	__wrap_rename(const char *, const char *);
int	__wrap_unlink(const char *);
int	__wrap_rmdir(const char *);
int	__wrap_fsync(int);
int	__wrap_fdatasync(int);

/* path made absolute in buf; NULL when it cannot be. */
static const char *
crash_absolute(const char *path, char *buf, size_t len)
{
	char	cwd[PATH_MAX];

	if (path[0] == '/')
		return path;
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    (size_t)snprintf(buf, len, "%s/%s", cwd, path) >= len)
		return NULL;
	return buf;
}

/* Notes path as made when it did not exist before made() succeeded. */
static void
crash_made(const char *path, int existed, int dir)
{
	const char	*abs;
	char		 buf[PATH_MAX], *cause;

	if (existed)
		return;
	if ((abs = crash_absolute(path, buf, sizeof(buf))) == NULL)
		crash_fail(strdup("crashsim: path too long"));
	if (crashsim_made(crash_sim, abs, dir, &cause) == -1)
		crash_fail(cause);
}

int
__wrap_open(const char *path, int flags, ...)
{
	struct stat	sb;
	va_list		ap;
	mode_t		mode = 0;
	int		fd, existed, saved;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (crash_sim == NULL || !(flags & O_CREAT) ||
	    (flags & O_TMPFILE) == O_TMPFILE)
		return __real_open(path, flags, mode);
	crashsim_lock(crash_sim);
	existed = lstat(path, &sb) == 0;
	if ((fd = __real_open(path, flags, mode)) != -1)
		crash_made(path, existed, 0);
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return fd;
}

int
__wrap_mkdir(const char *path, mode_t mode)
{
	int	rv, saved;

	if (crash_sim == NULL)
		return __real_mkdir(path, mode);
	crashsim_lock(crash_sim);
	if ((rv = __real_mkdir(path, mode)) == 0)
		crash_made(path, 0, 1);
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return rv;
}

char *
__wrap_mkdtemp(char *template)
{
	char	*rv;
	int	 saved;

	if (crash_sim == NULL)
		return __real_mkdtemp(template);
	crashsim_lock(crash_sim);
	if ((rv = __real_mkdtemp(template)) != NULL)
		crash_made(template, 0, 1);
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return rv;
}

/* A file made to be written whole, through stdio. */
static int
crash_made_plain(char *template, int fd)
{
	const char	*abs;
	char		 buf[PATH_MAX], *cause;

	if (fd == -1)
		return -1;
	if ((abs = crash_absolute(template, buf, sizeof(buf))) == NULL)
		crash_fail(strdup("crashsim: path too long"));
	if (crashsim_made(crash_sim, abs, 0, &cause) == -1 ||
	    crashsim_plain(crash_sim, abs, &cause) == -1)
		crash_fail(cause);
	return fd;
}

int
__wrap_mkstemp(char *template)
{
	int	fd, saved;

	if (crash_sim == NULL)
		return __real_mkstemp(template);
	crashsim_lock(crash_sim);
	fd = crash_made_plain(template, __real_mkstemp(template));
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return fd;
}

int
__wrap_mkostemp(char *template, int flags)
{
	int	fd, saved;

	if (crash_sim == NULL)
		return __real_mkostemp(template, flags);
	crashsim_lock(crash_sim);
	fd = crash_made_plain(template, __real_mkostemp(template, flags));
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return fd;
}

int
__wrap_rename(const char *from, const char *to)
{
	const char	*afrom, *ato;
	char		 b1[PATH_MAX], b2[PATH_MAX], *cause;
	int		 rv, saved;

	if (crash_sim == NULL)
		return __real_rename(from, to);
	if ((afrom = crash_absolute(from, b1, sizeof(b1))) == NULL ||
	    (ato = crash_absolute(to, b2, sizeof(b2))) == NULL)
		crash_fail(strdup("crashsim: path too long"));
	crashsim_lock(crash_sim);
	if ((rv = crashsim_rename(crash_sim, afrom, ato, &cause)) == -1 &&
	    cause != NULL)
		crash_fail(cause);
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return rv;
}

int
__wrap_unlink(const char *path)
{
	struct stat	 sb;
	const char	*abs;
	char		 buf[PATH_MAX], *cause;
	int		 rv;

	/* Only files: unlink(2) refuses the rest, and says why. */
	if (crash_sim == NULL || lstat(path, &sb) == -1 ||
	    S_ISDIR(sb.st_mode))
		return __real_unlink(path);
	if ((abs = crash_absolute(path, buf, sizeof(buf))) == NULL)
		crash_fail(strdup("crashsim: path too long"));
	crashsim_lock(crash_sim);
	if ((rv = crashsim_remove(crash_sim, abs, &cause)) == -1)
		crash_fail(cause);
	crashsim_unlock(crash_sim);
	if (rv == 1) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* rmdir(2) itself, which refuses a directory that is not empty: an empty
 * one comes back empty. */
int
__wrap_rmdir(const char *path)
{
	const char	*abs;
	char		 buf[PATH_MAX], *cause;
	int		 rv, saved;

	if (crash_sim == NULL)
		return __real_rmdir(path);
	if ((abs = crash_absolute(path, buf, sizeof(buf))) == NULL)
		crash_fail(strdup("crashsim: path too long"));
	crashsim_lock(crash_sim);
	if ((rv = __real_rmdir(path)) == 0 &&
	    crashsim_removed_dir(crash_sim, abs, &cause) == -1)
		crash_fail(cause);
	saved = errno;
	crashsim_unlock(crash_sim);
	errno = saved;
	return rv;
}

/* A directory's sync makes its entries durable; a file's, its writes. */
static int
crash_fsync(int fd)
{
	struct crashsim_file	 f;
	struct stat		 sb;
	char			 link[64], path[PATH_MAX], *cause;
	ssize_t			 n;
	int			 rv;

	if (fstat(fd, &sb) == -1)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof(path) - 1)) == -1)
		return -1;
	path[n] = '\0';
	crashsim_lock(crash_sim);
	if (S_ISDIR(sb.st_mode))
		rv = crashsim_sync_dir(crash_sim, path, &cause);
	else {
		f.path = path;
		f.dev = sb.st_dev;
		f.ino = sb.st_ino;
		rv = crashsim_sync_file(crash_sim, &f, 0, &cause);
	}
	if (rv == -1)
		crash_fail(cause);
	crashsim_unlock(crash_sim);
	return 0;
}

int
__wrap_fsync(int fd)
{
	if (crash_sim == NULL)
		return __real_fsync(fd);
	return crash_fsync(fd);
}

int
__wrap_fdatasync(int fd)
{
	if (crash_sim == NULL)
		return __real_fdatasync(fd);
	return crash_fsync(fd);
}
