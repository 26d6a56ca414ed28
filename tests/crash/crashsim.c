/*
 * The simulated machine of power-cut tests: its state directory, shared by
 * the processes of the machine, and what a power cut leaves of its files.
 *
 *   DIR/lock		flock(2)ed around every change of the state
 *   DIR/count		sync points passed since power-on
 *   DIR/syncs		one line a sync point: N, file or dir, pid, path
 *   DIR/pids		the machine's processes: pid and start time
 *   DIR/at		when present, the sync point to cut at, overriding the
 *			one given at attach: the harness moves the cut of a
 *			machine whose processes run
 *   DIR/cut		written at the cut: the sync point and who reached it
 *   DIR/entries	directory entries made, removed or renamed since
 *			their directory's last sync, oldest first
 *   DIR/graves/	removed or replaced files, kept until their
 *			directory is synced
 *   DIR/undo/DEV.INO	a file's undo log: a header, then per change since
 *			its last sync the bytes the change replaced
 *   DIR/plain		files made with mkstemp, written without SQLite: DEV.INO
 *			and each path the file had
 *   DIR/snap/DEV.INO	such a file's content at its last sync
 *
 * The state directory must be on the file system of the machine's files
 * (removed files are renamed into graves/). Only the calls of this file
 * touch it; they use openat(2) and friends, which the test builds do not
 * wrap (crashvfs.c wraps open, mkdir, mkstemp, rename, unlink and fsync of
 * the code under test).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crashsim.h"

#define SIM_MAGIC	"gpcrash1"
#define SIM_KILL_WAIT_MS 5000

struct crashsim {
	char		*dir;
	int		 lockfd;
	uint64_t	 cut_at;
	pthread_mutex_t	 mutex;
};

/* The undo log's header, then per change a record and its saved bytes. */
struct sim_head {
	char		magic[8];
	uint64_t	dev;
	uint64_t	ino;
	uint64_t	pathlen;	/* the path follows */
};

struct sim_rec {
	int64_t		off;
	int64_t		len;
	int64_t		size;
	int64_t		newsize;
	int64_t		saved;		/* bytes that follow */
};

/* A file's bytes at one moment of its history. */
struct sim_image {
	uint8_t		*b;
	size_t		 cap;
	int64_t		 size;
};

/* One directory entry made, removed or renamed since its directory's
 * sync. */
struct sim_entry {
	char		 op[16];	/* made, madedir, removed, removeddir,
					 * renamed */
	char		*path;		/* renamed: the new name */
	char		*from;		/* renamed: the old name */
	char		*grave;		/* removed, renamed over a file: where
					 * the file that was there waits */
};

static int	sim_cause(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
sim_cause(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return -1;
}

static int
sim_errno(char **cause, const char *what, const char *path)
{
	return sim_cause(cause, "crashsim: %s %s: %s", what, path,
	    strerror(errno));
}

static int
sim_join(char *buf, size_t len, const char *a, const char *b, char **cause)
{
	if ((size_t)snprintf(buf, len, "%s/%s", a, b) >= len)
		return sim_cause(cause, "crashsim: %s/%s: path too long", a, b);
	return 0;
}

/* A path the entries file can hold: absolute, no tab, no newline. */
static int
sim_path_ok(const char *path, char **cause)
{
	if (path[0] != '/' || strpbrk(path, "\t\n") != NULL)
		return sim_cause(cause, "crashsim: cannot track the path %s",
		    path);
	return 0;
}

/* The directory holding path: "/" or a path without a trailing slash. */
static void
sim_parent(const char *path, char *out, size_t len)
{
	const char	*slash = strrchr(path, '/');
	size_t		 n;

	n = slash == NULL || slash == path ? 1 : (size_t)(slash - path);
	if (n >= len)
		n = len - 1;
	memcpy(out, slash == NULL ? "/" : path, n);
	out[n] = '\0';
}

static uint64_t
sim_rand(uint64_t *state)
{
	uint64_t	z;

	z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A uniform number in [0, n). */
static uint64_t
sim_below(uint64_t *state, uint64_t n)
{
	return n == 0 ? 0 : sim_rand(state) % n;
}

static int
sim_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sim_pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const uint8_t	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = pwrite(fd, p, len, off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The whole file at path in *buf (malloc'd, NUL-terminated); a missing
 * file reads as empty when missing_ok. */
static int
sim_slurp(const char *path, int missing_ok, uint8_t **buf, size_t *len,
    char **cause)
{
	struct stat	 sb;
	uint8_t		*b = NULL;
	size_t		 have = 0;
	ssize_t		 n;
	int		 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && missing_ok) {
			if ((*buf = calloc(1, 1)) == NULL)
				return sim_cause(cause, "crashsim: out of "
				    "memory");
			return 0;
		}
		return sim_errno(cause, "cannot open", path);
	}
	if (fstat(fd, &sb) == -1) {
		sim_errno(cause, "cannot stat", path);
		goto fail;
	}
	if ((b = malloc((size_t)sb.st_size + 1)) == NULL) {
		sim_cause(cause, "crashsim: out of memory for %s", path);
		goto fail;
	}
	while (have < (size_t)sb.st_size) {
		n = pread(fd, b + have, (size_t)sb.st_size - have,
		    (off_t)have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			sim_errno(cause, "cannot read", path);
			goto fail;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	b[have] = '\0';
	close(fd);
	*buf = b;
	*len = have;
	return 0;
fail:
	free(b);
	close(fd);
	return -1;
}

/* Appends one line (or any bytes) to DIR/name. */
static int
sim_append(const struct crashsim *s, const char *name, const void *buf,
    size_t len, char **cause)
{
	char	path[PATH_MAX];
	int	fd;

	if (sim_join(path, sizeof(path), s->dir, name, cause) == -1)
		return -1;
	if ((fd = openat(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		return sim_errno(cause, "cannot open", path);
	if (sim_write_all(fd, buf, len) == -1) {
		sim_errno(cause, "cannot write", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Field 22 of /proc/PID/stat: tells a process from a later one that got
 * its pid. Returns 0, or -1 when there is no such process. */
static int
sim_starttime(pid_t pid, unsigned long long *start, char *state)
{
	char		 path[64], buf[1024], *p;
	unsigned long long v;
	ssize_t		 n;
	int		 fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	if (state != NULL)
		*state = *p;
	for (field = 3; field < 22; field++) {
		if ((p = strchr(p, ' ')) == NULL)
			return -1;
		p++;
	}
	if (sscanf(p, "%llu", &v) != 1)
		return -1;
	*start = v;
	return 0;
}

struct crashsim *
crashsim_attach(const char *dir, uint64_t cut_at, char **cause)
{
	struct crashsim		*s;
	unsigned long long	 start;
	char			 path[PATH_MAX], line[64];
	const char		*sub[] = { "graves", "undo", "snap" };
	size_t			 i;
	int			 n;

	*cause = NULL;
	if (sim_path_ok(dir, cause) == -1)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->dir = strdup(dir)) == NULL) {
		free(s);
		sim_cause(cause, "crashsim: out of memory");
		return NULL;
	}
	s->lockfd = -1;
	s->cut_at = cut_at;
	pthread_mutex_init(&s->mutex, NULL);
	if (mkdirat(AT_FDCWD, dir, 0700) == -1 && errno != EEXIST) {
		sim_errno(cause, "cannot make", dir);
		goto fail;
	}
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		if (sim_join(path, sizeof(path), dir, sub[i], cause) == -1)
			goto fail;
		if (mkdirat(AT_FDCWD, path, 0700) == -1 && errno != EEXIST) {
			sim_errno(cause, "cannot make", path);
			goto fail;
		}
	}
	if (sim_join(path, sizeof(path), dir, "lock", cause) == -1)
		goto fail;
	if ((s->lockfd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) == -1) {
		sim_errno(cause, "cannot open", path);
		goto fail;
	}
	if (sim_starttime(getpid(), &start, NULL) == -1) {
		sim_cause(cause, "crashsim: cannot read /proc/self/stat");
		goto fail;
	}
	n = snprintf(line, sizeof(line), "%ld %llu\n", (long)getpid(), start);
	crashsim_lock(s);
	if (sim_append(s, "pids", line, (size_t)n, cause) == -1) {
		crashsim_unlock(s);
		goto fail;
	}
	crashsim_unlock(s);
	return s;
fail:
	crashsim_detach(s);
	return NULL;
}

void
crashsim_detach(struct crashsim *s)
{
	if (s == NULL)
		return;
	if (s->lockfd != -1)
		close(s->lockfd);
	pthread_mutex_destroy(&s->mutex);
	free(s->dir);
	free(s);
}

void
crashsim_lock(struct crashsim *s)
{
	pthread_mutex_lock(&s->mutex);
	while (flock(s->lockfd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			/* The simulation cannot go on unlocked. */
			fprintf(stderr, "crashsim: flock %s/lock: %s\n", s->dir,
			    strerror(errno));
			abort();
		}
	}
}

void
crashsim_unlock(struct crashsim *s)
{
	flock(s->lockfd, LOCK_UN);
	pthread_mutex_unlock(&s->mutex);
}

/* ---------------------------------------------------------------------
 * Sync points and the cut
 */

static int
sim_read_count(const char *dir, uint64_t *n, char **cause)
{
	char		 path[PATH_MAX];
	uint8_t		*buf;
	size_t		 len;

	if (sim_join(path, sizeof(path), dir, "count", cause) == -1 ||
	    sim_slurp(path, 1, &buf, &len, cause) == -1)
		return -1;
	*n = len == 0 ? 0 : strtoull((const char *)buf, NULL, 10);
	free(buf);
	return 0;
}

int
crashsim_count(const char *dir, uint64_t *n, char **cause)
{
	*cause = NULL;
	return sim_read_count(dir, n, cause);
}

/* Kills every other live process of the machine and waits until it is
 * gone, then itself: the machine stopped. */
static void __attribute__((noreturn))
sim_cut(struct crashsim *s, uint64_t n, const char *kind, const char *path)
{
	char			 line[PATH_MAX + 64], pidpath[PATH_MAX], *cause;
	char			 state, *p, *end;
	uint8_t			*buf = NULL;
	size_t			 len;
	unsigned long long	 start, now;
	long			 pid;
	int			 ms, m;

	m = snprintf(line, sizeof(line), "%" PRIu64 "\t%s\t%ld\t%s\n", n,
	    kind, (long)getpid(), path);
	if (m < 0 || (size_t)m >= sizeof(line) ||
	    sim_append(s, "cut", line, (size_t)m, &cause) == -1)
		fprintf(stderr, "crashsim: cannot record the cut\n");
	if (sim_join(pidpath, sizeof(pidpath), s->dir, "pids", &cause) == 0 &&
	    sim_slurp(pidpath, 1, &buf, &len, &cause) == 0) {
		for (p = (char *)buf; *p != '\0'; p = end) {
			pid = strtol(p, &end, 10);
			start = strtoull(end, &end, 10);
			while (*end == '\n')
				end++;
			if (end == p)
				break;
			if (pid <= 0 || pid == (long)getpid() ||
			    sim_starttime((pid_t)pid, &now, NULL) == -1 ||
			    now != start)
				continue;
			kill((pid_t)pid, SIGKILL);
			for (ms = 0; ms < SIM_KILL_WAIT_MS; ms++) {
				if (sim_starttime((pid_t)pid, &now, &state)
				    == -1 || now != start || state == 'Z' ||
				    state == 'X')
					break;
				nanosleep(&(struct timespec){ 0, 1000000 },
				    NULL);
			}
		}
		free(buf);
	}
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

/* The sync point chosen for the cut: DIR/at, or the one of attach. */
static int
sim_cut_at(const struct crashsim *s, uint64_t *at, char **cause)
{
	char	 path[PATH_MAX];
	uint8_t	*buf;
	size_t	 len;

	*at = s->cut_at;
	if (sim_join(path, sizeof(path), s->dir, "at", cause) == -1 ||
	    sim_slurp(path, 1, &buf, &len, cause) == -1)
		return -1;
	if (len > 0)
		*at = strtoull((const char *)buf, NULL, 10);
	free(buf);
	return 0;
}

/* Passes a sync point: the next number, logged; the cut when it is the
 * one chosen. */
static int
sim_point(struct crashsim *s, const char *kind, const char *path,
    char **cause)
{
	char		 file[PATH_MAX], line[PATH_MAX + 64];
	uint64_t	 n, at;
	int		 fd, m;

	if (sim_read_count(s->dir, &n, cause) == -1 ||
	    sim_cut_at(s, &at, cause) == -1)
		return -1;
	n++;
	if (sim_join(file, sizeof(file), s->dir, "count", cause) == -1)
		return -1;
	if ((fd = openat(AT_FDCWD, file, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600)) == -1)
		return sim_errno(cause, "cannot open", file);
	m = snprintf(line, sizeof(line), "%" PRIu64 "\n", n);
	if (sim_write_all(fd, line, (size_t)m) == -1) {
		sim_errno(cause, "cannot write", file);
		close(fd);
		return -1;
	}
	close(fd);
	m = snprintf(line, sizeof(line), "%" PRIu64 "\t%s\t%ld\t%s\n", n,
	    kind, (long)getpid(), path);
	if (m < 0 || (size_t)m >= sizeof(line))
		return sim_cause(cause, "crashsim: path too long: %s", path);
	if (sim_append(s, "syncs", line, (size_t)m, cause) == -1)
		return -1;
	if (at != 0 && n == at)
		sim_cut(s, n, kind, path);
	return 0;
}

/* ---------------------------------------------------------------------
 * Directory entries
 */

static void
sim_entries_free(struct sim_entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].from);
		free(v[i].grave);
	}
	free(v);
}

/* DIR/entries, oldest first: per line the operation and one field
 * (made, madedir, removeddir), two (removed: path, grave) or three
 * (renamed: path, from, grave or "-"). */
static int
sim_entries_read(const char *dir, struct sim_entry **out, size_t *n,
    char **cause)
{
	struct sim_entry	*v = NULL, *nv, *e;
	char			 path[PATH_MAX], *line, *next, *f[4];
	uint8_t			*buf;
	size_t			 len, cap = 0, k, nf;

	*out = NULL;
	*n = 0;
	if (sim_join(path, sizeof(path), dir, "entries", cause) == -1 ||
	    sim_slurp(path, 1, &buf, &len, cause) == -1)
		return -1;
	for (line = (char *)buf; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL) {
			sim_cause(cause, "crashsim: %s: a line without its "
			    "end", path);
			goto fail;
		}
		*next++ = '\0';
		f[0] = line;
		for (nf = 1; nf < 4; nf++) {
			if ((f[nf] = strchr(f[nf - 1], '\t')) == NULL)
				break;
			*f[nf]++ = '\0';
		}
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				sim_cause(cause, "crashsim: out of memory");
				goto fail;
			}
			v = nv;
		}
		e = &v[*n];
		memset(e, 0, sizeof(*e));
		(*n)++;
		k = strcmp(f[0], "removed") == 0 ? 3 :
		    strcmp(f[0], "renamed") == 0 ? 4 :
		    strcmp(f[0], "made") == 0 || strcmp(f[0], "madedir") == 0 ||
		    strcmp(f[0], "removeddir") == 0 ? 2 : 0;
		if (k == 0 || nf != k) {
			sim_cause(cause, "crashsim: %s: a bad line", path);
			goto fail;
		}
		snprintf(e->op, sizeof(e->op), "%s", f[0]);
		e->path = strdup(f[1]);
		if (k == 3)
			e->grave = strdup(f[2]);
		if (k == 4) {
			e->from = strdup(f[2]);
			if (strcmp(f[3], "-") != 0)
				e->grave = strdup(f[3]);
		}
		if (e->path == NULL || (k == 3 && e->grave == NULL) ||
		    (k == 4 && (e->from == NULL || (e->grave == NULL &&
		    strcmp(f[3], "-") != 0)))) {
			sim_cause(cause, "crashsim: out of memory");
			goto fail;
		}
	}
	free(buf);
	*out = v;
	return 0;
fail:
	free(buf);
	sim_entries_free(v, *n);
	*n = 0;
	return -1;
}

/* One entry as a line of DIR/entries; from is set for a rename. */
static int
sim_entry_line(const char *op, const char *path, const char *from,
    const char *grave, char *line, size_t len)
{
	int	n;

	if (from != NULL)
		n = snprintf(line, len, "%s\t%s\t%s\t%s\n", op, path, from,
		    grave != NULL ? grave : "-");
	else if (grave != NULL)
		n = snprintf(line, len, "%s\t%s\t%s\n", op, path, grave);
	else
		n = snprintf(line, len, "%s\t%s\n", op, path);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
crashsim_made(struct crashsim *s, const char *path, int dir, char **cause)
{
	char	line[PATH_MAX + 16];
	int	n;

	*cause = NULL;
	if (sim_path_ok(path, cause) == -1)
		return -1;
	n = snprintf(line, sizeof(line), "%s\t%s\n", dir ? "madedir" : "made",
	    path);
	if (n < 0 || (size_t)n >= sizeof(line))
		return sim_cause(cause, "crashsim: path too long: %s", path);
	return sim_append(s, "entries", line, (size_t)n, cause);
}

static int
sim_undo_path(const struct crashsim *s, uint64_t dev, uint64_t ino,
    char *buf, size_t len, char **cause)
{
	if ((size_t)snprintf(buf, len, "%s/undo/%" PRIu64 ".%" PRIu64, s->dir,
	    dev, ino) >= len)
		return sim_cause(cause, "crashsim: path too long: %s", s->dir);
	return 0;
}

int
crashsim_remove(struct crashsim *s, const char *path, char **cause)
{
	struct stat	sb;
	char		grave[PATH_MAX], line[2 * PATH_MAX + 16];
	int		n;

	*cause = NULL;
	if (sim_path_ok(path, cause) == -1)
		return -1;
	if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return 1;
		return sim_errno(cause, "cannot stat", path);
	}
	/* Named by the inode, which stays unique while the grave holds it. */
	if ((size_t)snprintf(grave, sizeof(grave), "%s/graves/%ju.%ju",
	    s->dir, (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino) >=
	    sizeof(grave))
		return sim_cause(cause, "crashsim: path too long: %s", s->dir);
	if (renameat(AT_FDCWD, path, AT_FDCWD, grave) == -1)
		return sim_errno(cause, "cannot move aside", path);
	n = snprintf(line, sizeof(line), "removed\t%s\t%s\n", path, grave);
	if (n < 0 || (size_t)n >= sizeof(line))
		return sim_cause(cause, "crashsim: path too long: %s", path);
	return sim_append(s, "entries", line, (size_t)n, cause);
}

int
crashsim_removed_dir(struct crashsim *s, const char *path, char **cause)
{
	char	line[PATH_MAX + 16];
	int	n;

	*cause = NULL;
	if (sim_path_ok(path, cause) == -1)
		return -1;
	if ((n = sim_entry_line("removeddir", path, NULL, NULL, line,
	    sizeof(line))) == -1)
		return sim_cause(cause, "crashsim: path too long: %s", path);
	return sim_append(s, "entries", line, (size_t)n, cause);
}

/* A removed file whose removal is now durable: gone for good. */
static int
sim_bury(const struct crashsim *s, const char *grave, char **cause)
{
	struct stat	sb;
	char		undo[PATH_MAX];

	if (fstatat(AT_FDCWD, grave, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return 0;
		return sim_errno(cause, "cannot stat", grave);
	}
	if (sim_undo_path(s, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino, undo,
	    sizeof(undo), cause) == -1)
		return -1;
	if (unlinkat(AT_FDCWD, undo, 0) == -1 && errno != ENOENT)
		return sim_errno(cause, "cannot remove", undo);
	if (unlinkat(AT_FDCWD, grave, 0) == -1)
		return sim_errno(cause, "cannot remove", grave);
	return 0;
}

/* Whether the file dev.ino is a plain one (DIR/plain). */
static int
sim_is_plain(const char *dir, uint64_t dev, uint64_t ino, int *plain,
    char **cause)
{
	char	 path[PATH_MAX], key[64], *line, *next;
	uint8_t	*buf;
	size_t	 len, klen;

	*plain = 0;
	if (sim_join(path, sizeof(path), dir, "plain", cause) == -1 ||
	    sim_slurp(path, 1, &buf, &len, cause) == -1)
		return -1;
	klen = (size_t)snprintf(key, sizeof(key), "%" PRIu64 ".%" PRIu64 "\t",
	    dev, ino);
	for (line = (char *)buf; *line != '\0' && !*plain; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			break;
		*next++ = '\0';
		*plain = strncmp(line, key, klen) == 0;
	}
	free(buf);
	return 0;
}

static int
sim_plain_add(struct crashsim *s, uint64_t dev, uint64_t ino,
    const char *path, char **cause)
{
	char	line[PATH_MAX + 64];
	int	n;

	n = snprintf(line, sizeof(line), "%" PRIu64 ".%" PRIu64 "\t%s\n", dev,
	    ino, path);
	if (n < 0 || (size_t)n >= sizeof(line))
		return sim_cause(cause, "crashsim: path too long: %s", path);
	return sim_append(s, "plain", line, (size_t)n, cause);
}

int
crashsim_plain(struct crashsim *s, const char *path, char **cause)
{
	struct stat	sb;

	*cause = NULL;
	if (sim_path_ok(path, cause) == -1)
		return -1;
	if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return sim_errno(cause, "cannot stat", path);
	return sim_plain_add(s, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino, path,
	    cause);
}

int
crashsim_rename(struct crashsim *s, const char *from, const char *to,
    char **cause)
{
	struct stat		 fsb, tsb;
	char			 grave[PATH_MAX], line[3 * PATH_MAX + 16];
	int			 n, saved, replaced = 0, plain;

	*cause = NULL;
	if (sim_path_ok(from, cause) == -1 || sim_path_ok(to, cause) == -1)
		return -1;
	if (fstatat(AT_FDCWD, from, &fsb, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (fstatat(AT_FDCWD, to, &tsb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (tsb.st_dev == fsb.st_dev && tsb.st_ino == fsb.st_ino)
			return renameat(AT_FDCWD, from, AT_FDCWD, to);
		/* What the new name held waits aside, as if removed. */
		if ((size_t)snprintf(grave, sizeof(grave), "%s/graves/%ju.%ju",
		    s->dir, (uintmax_t)tsb.st_dev, (uintmax_t)tsb.st_ino) >=
		    sizeof(grave))
			return sim_cause(cause, "crashsim: path too long: %s",
			    s->dir);
		if (S_ISREG(tsb.st_mode)) {
			if (linkat(AT_FDCWD, to, AT_FDCWD, grave, 0) == -1)
				return sim_errno(cause, "cannot keep", to);
			replaced = 1;
		}
	} else if (errno != ENOENT)
		return -1;
	if (renameat(AT_FDCWD, from, AT_FDCWD, to) == -1) {
		saved = errno;
		if (replaced)
			unlinkat(AT_FDCWD, grave, 0);
		errno = saved;
		return -1;
	}
	if ((n = sim_entry_line("renamed", to, from, replaced ? grave : NULL,
	    line, sizeof(line))) == -1)
		return sim_cause(cause, "crashsim: path too long: %s", to);
	if (sim_append(s, "entries", line, (size_t)n, cause) == -1 ||
	    sim_is_plain(s->dir, (uint64_t)fsb.st_dev, (uint64_t)fsb.st_ino,
	    &plain, cause) == -1)
		return -1;
	if (plain)
		return sim_plain_add(s, (uint64_t)fsb.st_dev,
		    (uint64_t)fsb.st_ino, to, cause);
	return 0;
}

/* Whether entry i is within a directory whose removal a sync of dir
 * makes durable (a later removeddir entry of dir): nothing it noted can
 * come back, the directory being gone. */
static int
sim_in_removed(const struct sim_entry *v, size_t n, size_t i,
    const char *dir)
{
	char	parent[PATH_MAX];
	size_t	j, len;

	for (j = i + 1; j < n; j++) {
		if (strcmp(v[j].op, "removeddir") != 0)
			continue;
		sim_parent(v[j].path, parent, sizeof(parent));
		len = strlen(v[j].path);
		if (strcmp(parent, dir) == 0 &&
		    strncmp(v[i].path, v[j].path, len) == 0 &&
		    v[i].path[len] == '/')
			return 1;
	}
	return 0;
}

int
crashsim_sync_dir(struct crashsim *s, const char *path, char **cause)
{
	struct sim_entry	*v;
	char			 parent[PATH_MAX], file[PATH_MAX],
				 tmp[PATH_MAX], line[3 * PATH_MAX + 16];
	size_t			 n, i;
	int			 fd, m, rv = -1;

	*cause = NULL;
	if (sim_point(s, "dir", path, cause) == -1)
		return -1;
	if (sim_entries_read(s->dir, &v, &n, cause) == -1)
		return -1;
	if (sim_join(file, sizeof(file), s->dir, "entries", cause) == -1 ||
	    sim_join(tmp, sizeof(tmp), s->dir, "entries.new", cause) == -1)
		goto done;
	if ((fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600)) == -1) {
		sim_errno(cause, "cannot open", tmp);
		goto done;
	}
	for (i = 0; i < n; i++) {
		sim_parent(v[i].path, parent, sizeof(parent));
		if (strcmp(parent, path) == 0 || sim_in_removed(v, n, i, path)) {
			/* Durable now: a removed file is gone for good, and
			 * so is what a directory removed for good held. */
			if (v[i].grave != NULL &&
			    sim_bury(s, v[i].grave, cause) == -1) {
				close(fd);
				goto done;
			}
			continue;
		}
		if ((m = sim_entry_line(v[i].op, v[i].path, v[i].from,
		    v[i].grave, line, sizeof(line))) == -1 ||
		    sim_write_all(fd, line, (size_t)m) == -1) {
			sim_errno(cause, "cannot write", tmp);
			close(fd);
			goto done;
		}
	}
	close(fd);
	if (renameat(AT_FDCWD, tmp, AT_FDCWD, file) == -1) {
		sim_errno(cause, "cannot rename", tmp);
		goto done;
	}
	rv = 0;
done:
	sim_entries_free(v, n);
	return rv;
}

/* ---------------------------------------------------------------------
 * File contents
 */

int
crashsim_change(struct crashsim *s, const struct crashsim_file *f,
    int64_t off, int64_t len, int64_t size, int64_t newsize, const void *old,
    size_t saved, char **cause)
{
	struct sim_head	 head;
	struct sim_rec	 rec;
	struct stat	 sb;
	char		 path[PATH_MAX];
	uint8_t		*buf;
	size_t		 pathlen, total;
	int		 fd, rv = -1;

	*cause = NULL;
	if (off < 0 || len < 0 || size < 0 || newsize < 0 ||
	    (int64_t)saved > len || (saved > 0 && off + (int64_t)saved > size))
		return sim_cause(cause, "crashsim: a bad change of %s",
		    f->path);
	if (sim_undo_path(s, (uint64_t)f->dev, (uint64_t)f->ino, path,
	    sizeof(path), cause) == -1)
		return -1;
	if ((fd = openat(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		return sim_errno(cause, "cannot open", path);
	pathlen = strlen(f->path);
	total = sizeof(head) + pathlen + sizeof(rec) + saved;
	if ((buf = malloc(total)) == NULL) {
		sim_cause(cause, "crashsim: out of memory");
		goto done;
	}
	if (fstat(fd, &sb) == -1) {
		sim_errno(cause, "cannot stat", path);
		goto done;
	}
	/* The first change since the last sync starts the log. */
	total = 0;
	if (sb.st_size == 0) {
		memset(&head, 0, sizeof(head));
		memcpy(head.magic, SIM_MAGIC, sizeof(head.magic));
		head.dev = (uint64_t)f->dev;
		head.ino = (uint64_t)f->ino;
		head.pathlen = pathlen;
		memcpy(buf, &head, sizeof(head));
		memcpy(buf + sizeof(head), f->path, pathlen);
		total = sizeof(head) + pathlen;
	}
	rec.off = off;
	rec.len = len;
	rec.size = size;
	rec.newsize = newsize;
	rec.saved = (int64_t)saved;
	memcpy(buf + total, &rec, sizeof(rec));
	total += sizeof(rec);
	if (saved > 0)
		memcpy(buf + total, old, saved);
	total += saved;
	if (sim_write_all(fd, buf, total) == -1) {
		sim_errno(cause, "cannot write", path);
		goto done;
	}
	rv = 0;
done:
	free(buf);
	close(fd);
	return rv;
}

/* A plain file's content at its sync, kept whole in DIR/snap. */
static int
sim_snapshot(struct crashsim *s, const struct crashsim_file *f, char **cause)
{
	char	 snap[PATH_MAX], tmp[PATH_MAX];
	uint8_t	*buf;
	size_t	 len;
	int	 plain, fd;

	if (sim_is_plain(s->dir, (uint64_t)f->dev, (uint64_t)f->ino, &plain,
	    cause) == -1)
		return -1;
	if (!plain)
		return 0;
	if ((size_t)snprintf(snap, sizeof(snap), "%s/snap/%ju.%ju", s->dir,
	    (uintmax_t)f->dev, (uintmax_t)f->ino) >= sizeof(snap) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.new", snap) >= sizeof(tmp))
		return sim_cause(cause, "crashsim: path too long: %s", s->dir);
	if (sim_slurp(f->path, 0, &buf, &len, cause) == -1)
		return -1;
	if ((fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600)) == -1) {
		free(buf);
		return sim_errno(cause, "cannot open", tmp);
	}
	if (sim_write_all(fd, buf, len) == -1) {
		sim_errno(cause, "cannot write", tmp);
		close(fd);
		free(buf);
		return -1;
	}
	close(fd);
	free(buf);
	if (renameat(AT_FDCWD, tmp, AT_FDCWD, snap) == -1)
		return sim_errno(cause, "cannot rename", tmp);
	return 0;
}

int
crashsim_sync_file(struct crashsim *s, const struct crashsim_file *f,
    int dir, char **cause)
{
	char	path[PATH_MAX], parent[PATH_MAX];

	*cause = NULL;
	if (sim_point(s, "file", f->path, cause) == -1)
		return -1;
	if (sim_undo_path(s, (uint64_t)f->dev, (uint64_t)f->ino, path,
	    sizeof(path), cause) == -1)
		return -1;
	if (unlinkat(AT_FDCWD, path, 0) == -1 && errno != ENOENT)
		return sim_errno(cause, "cannot remove", path);
	if (sim_snapshot(s, f, cause) == -1)
		return -1;
	if (!dir)
		return 0;
	sim_parent(f->path, parent, sizeof(parent));
	return crashsim_sync_dir(s, parent, cause);
}

/* ---------------------------------------------------------------------
 * Power on: what the cut left
 */

/* Grows or shrinks the image; bytes past the size always read as zero. */
static int
sim_image_size(struct sim_image *im, int64_t size)
{
	uint8_t	*nb;
	size_t	 cap;

	if (size < 0)
		return -1;
	if ((size_t)size > im->cap) {
		cap = im->cap == 0 ? 4096 : im->cap;
		while (cap < (size_t)size)
			cap *= 2;
		if ((nb = realloc(im->b, cap)) == NULL)
			return -1;
		memset(nb + im->cap, 0, cap - im->cap);
		im->b = nb;
		im->cap = cap;
	}
	if (size < im->size)
		memset(im->b + size, 0, (size_t)(im->size - size));
	im->size = size;
	return 0;
}

static int
sim_image_copy(struct sim_image *dst, const struct sim_image *src)
{
	dst->size = 0;
	if (dst->cap > 0)
		memset(dst->b, 0, dst->cap);
	if (sim_image_size(dst, src->size) == -1)
		return -1;
	if (src->size > 0)
		memcpy(dst->b, src->b, (size_t)src->size);
	return 0;
}

/* One change of an undo log, pointing into the log. */
struct sim_change {
	struct sim_rec	 rec;
	const uint8_t	*saved;
};

/* The image before change c, from the image after it. */
static int
sim_undo(struct sim_image *im, const struct sim_change *c)
{
	if (sim_image_size(im, c->rec.size) == -1)
		return -1;
	if (c->rec.saved > 0)
		memcpy(im->b + c->rec.off, c->saved, (size_t)c->rec.saved);
	return 0;
}

/* The file after its first t changes: cur with the others undone. */
static int
sim_image_at(struct sim_image *out, const struct sim_image *cur,
    const struct sim_change *v, size_t n, size_t t)
{
	size_t	i;

	if (sim_image_copy(out, cur) == -1)
		return -1;
	for (i = n; i > t; i--)
		if (sim_undo(out, &v[i - 1]) == -1)
			return -1;
	return 0;
}

/* The undo log in buf: the path it is for, and its changes. */
static int
sim_parse_undo(const char *name, uint8_t *buf, size_t len,
    struct sim_head *head, char **path, struct sim_change **out, size_t *n,
    char **cause)
{
	struct sim_change	*v = NULL, *nv;
	size_t			 at, cap = 0;

	*out = NULL;
	*n = 0;
	*path = NULL;
	if (len < sizeof(*head))
		return sim_cause(cause, "crashsim: %s: short", name);
	memcpy(head, buf, sizeof(*head));
	if (memcmp(head->magic, SIM_MAGIC, sizeof(head->magic)) != 0 ||
	    head->pathlen == 0 || head->pathlen >= PATH_MAX ||
	    head->pathlen > len - sizeof(*head))
		return sim_cause(cause, "crashsim: %s: not an undo log", name);
	if ((*path = strndup((const char *)buf + sizeof(*head),
	    (size_t)head->pathlen)) == NULL)
		return sim_cause(cause, "crashsim: out of memory");
	for (at = sizeof(*head) + (size_t)head->pathlen; at < len; ) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				sim_cause(cause, "crashsim: out of memory");
				goto fail;
			}
			v = nv;
		}
		if (len - at < sizeof(v[*n].rec)) {
			sim_cause(cause, "crashsim: %s: a short record", name);
			goto fail;
		}
		memcpy(&v[*n].rec, buf + at, sizeof(v[*n].rec));
		at += sizeof(v[*n].rec);
		if (v[*n].rec.saved < 0 || v[*n].rec.off < 0 ||
		    v[*n].rec.size < 0 || v[*n].rec.newsize < 0 ||
		    v[*n].rec.len < v[*n].rec.saved ||
		    (uint64_t)v[*n].rec.saved > len - at ||
		    v[*n].rec.off + v[*n].rec.saved > v[*n].rec.size) {
			sim_cause(cause, "crashsim: %s: a bad record", name);
			goto fail;
		}
		v[*n].saved = buf + at;
		at += (size_t)v[*n].rec.saved;
		(*n)++;
	}
	*out = v;
	return 0;
fail:
	free(v);
	free(*path);
	*path = NULL;
	*n = 0;
	return -1;
}

static int
sim_read_image(const char *path, struct sim_image *im, char **cause)
{
	uint8_t	*buf;
	size_t	 len;

	if (sim_slurp(path, 0, &buf, &len, cause) == -1)
		return -1;
	free(im->b);
	im->b = buf;
	im->cap = len + 1;
	im->size = (int64_t)len;
	return 0;
}

static int
sim_write_image(const char *path, const struct sim_image *im, char **cause)
{
	int	fd;

	if ((fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC)) == -1)
		return sim_errno(cause, "cannot open", path);
	if ((im->size > 0 && sim_pwrite_all(fd, im->b, (size_t)im->size, 0)
	    == -1) || ftruncate(fd, (off_t)im->size) == -1) {
		sim_errno(cause, "cannot write", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int64_t
sim_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t
sim_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The first t changes reached the disk, then a prefix of change t. */
static int
sim_in_order(struct sim_image *res, const struct sim_image *cur,
    const struct sim_change *v, size_t n, uint64_t *rng, FILE *log,
    const char *path)
{
	struct sim_image	 next = { NULL, 0, 0 };
	const struct sim_rec	*r;
	size_t			 t = (size_t)sim_below(rng, n);
	int64_t			 p, end;

	r = &v[t].rec;
	if (sim_image_at(&next, cur, v, n, t + 1) == -1 ||
	    sim_image_copy(res, &next) == -1 || sim_undo(res, &v[t]) == -1) {
		free(next.b);
		return -1;
	}
	/* A shrinking truncation is all or nothing. */
	if (r->newsize < r->size)
		p = sim_below(rng, 2) ? r->len : 0;
	else
		p = (int64_t)sim_below(rng, (uint64_t)r->len + 1);
	end = sim_min(r->off + p, next.size);
	if (r->newsize < r->size && p > 0) {
		if (sim_image_copy(res, &next) == -1) {
			free(next.b);
			return -1;
		}
	} else if (end > r->off) {
		if (end > res->size && sim_image_size(res, end) == -1) {
			free(next.b);
			return -1;
		}
		memcpy(res->b + r->off, next.b + r->off, (size_t)(end - r->off));
	}
	if (log != NULL)
		fprintf(log, "crashsim: %s: %zu unsynced changes: in order, %zu "
		    "kept, then %" PRId64 " of %" PRId64 " bytes at %" PRId64
		    "\n", path, n, t, p, r->len, r->off);
	free(next.b);
	return 0;
}

/* Each sector any change touched: new, old, or a prefix new and the rest
 * old; the size either the synced or the latest one. */
static int
sim_scramble(struct sim_image *res, const struct sim_image *cur,
    const struct sim_change *v, size_t n, uint64_t *rng, FILE *log,
    const char *path)
{
	struct sim_image	 old = { NULL, 0, 0 };
	uint8_t			*dirty = NULL;
	int64_t			 top, sectors, sec, a, b, lo, hi, size;
	size_t			 i, kept = 0, dropped = 0, torn = 0;
	uint64_t		 p;
	int			 rv = -1;

	if (sim_image_at(&old, cur, v, n, 0) == -1)
		return -1;
	top = sim_max(old.size, cur->size);
	for (i = 0; i < n; i++)
		top = sim_max(top, sim_max(v[i].rec.size, v[i].rec.newsize));
	sectors = (top + CRASHSIM_SECTOR - 1) / CRASHSIM_SECTOR;
	if ((dirty = calloc((size_t)sectors + 1, 1)) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		lo = v[i].rec.off;
		hi = v[i].rec.off + v[i].rec.len;
		if (v[i].rec.size != v[i].rec.newsize) {
			lo = sim_min(lo, sim_min(v[i].rec.size,
			    v[i].rec.newsize));
			hi = sim_max(hi, sim_max(v[i].rec.size,
			    v[i].rec.newsize));
		}
		for (sec = lo / CRASHSIM_SECTOR; sec * CRASHSIM_SECTOR < hi;
		    sec++)
			dirty[sec] = 1;
	}
	size = sim_below(rng, 2) ? cur->size : old.size;
	if (sim_image_copy(res, &old) == -1 ||
	    sim_image_size(res, top) == -1 || sim_image_size(&old, top) == -1)
		goto done;
	for (sec = 0; sec < sectors; sec++) {
		if (!dirty[sec])
			continue;
		a = sec * CRASHSIM_SECTOR;
		b = sim_min(a + CRASHSIM_SECTOR, top);
		switch (sim_below(rng, 3)) {
		case 0:		/* reached the disk */
			p = (uint64_t)(b - a);
			kept++;
			break;
		case 1:		/* did not */
			p = 0;
			dropped++;
			break;
		default:	/* torn: a prefix did */
			p = 1 + sim_below(rng, CRASHSIM_SECTOR - 1);
			torn++;
			break;
		}
		if ((int64_t)p > b - a)
			p = (uint64_t)(b - a);
		/* The latest bytes, zero past the latest size. */
		if (a < cur->size)
			memcpy(res->b + a, cur->b + a,
			    (size_t)sim_min((int64_t)p, cur->size - a));
		if (a + (int64_t)p > cur->size && (int64_t)p > 0)
			memset(res->b + sim_max(a, cur->size), 0,
			    (size_t)(a + (int64_t)p - sim_max(a, cur->size)));
	}
	if (sim_image_size(res, size) == -1)
		goto done;
	if (log != NULL)
		fprintf(log, "crashsim: %s: %zu unsynced changes: scrambled, "
		    "%zu sectors new, %zu old, %zu torn; size %" PRId64
		    " (synced %" PRId64 ", latest %" PRId64 ")\n", path, n,
		    kept, dropped, torn, size, old.size, cur->size);
	rv = 0;
done:
	free(dirty);
	free(old.b);
	return rv;
}

/* Puts one file back as the cut left it. */
static int
sim_revert_file(const char *undo, uint64_t *rng, enum crashsim_fate fate,
    FILE *log, char **cause)
{
	struct sim_head		 head;
	struct sim_change	*v = NULL;
	struct sim_image	 cur = { NULL, 0, 0 }, res = { NULL, 0, 0 };
	struct stat		 sb;
	uint8_t			*buf = NULL;
	char			*path = NULL;
	size_t			 len, n;
	int			 rv = -1;

	if (sim_slurp(undo, 0, &buf, &len, cause) == -1 ||
	    sim_parse_undo(undo, buf, len, &head, &path, &v, &n, cause) == -1)
		goto done;
	/* Draw the fate first: the same seed, the same choices. */
	if (fate == CRASHSIM_RANDOM) {
		switch (sim_below(rng, 20)) {
		case 0: case 1: case 2:
			fate = CRASHSIM_KEEP;
			break;
		case 3: case 4: case 5: case 6: case 7:
			fate = CRASHSIM_DROP;
			break;
		case 8: case 9: case 10: case 11: case 12: case 13: case 14:
			fate = CRASHSIM_ORDER;
			break;
		default:
			fate = CRASHSIM_SCRAMBLE;
			break;
		}
	}
	if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    (uint64_t)sb.st_dev != head.dev ||
	    (uint64_t)sb.st_ino != head.ino) {
		/* Its entry did not survive the cut. */
		if (log != NULL)
			fprintf(log, "crashsim: %s: gone\n", path);
		rv = 0;
		goto done;
	}
	if (n == 0) {
		rv = 0;
		goto done;
	}
	if (sim_read_image(path, &cur, cause) == -1)
		goto done;
	switch (fate) {
	case CRASHSIM_KEEP:
		if (log != NULL)
			fprintf(log, "crashsim: %s: %zu unsynced changes: "
			    "kept\n", path, n);
		rv = 0;
		goto done;
	case CRASHSIM_DROP:
		if (sim_image_at(&res, &cur, v, n, 0) == -1)
			goto nomem;
		if (log != NULL)
			fprintf(log, "crashsim: %s: %zu unsynced changes: "
			    "dropped\n", path, n);
		break;
	case CRASHSIM_ORDER:
		if (sim_in_order(&res, &cur, v, n, rng, log, path) == -1)
			goto nomem;
		break;
	default:
		if (sim_scramble(&res, &cur, v, n, rng, log, path) == -1)
			goto nomem;
		break;
	}
	rv = sim_write_image(path, &res, cause);
	goto done;
nomem:
	sim_cause(cause, "crashsim: out of memory for %s", path);
done:
	free(res.b);
	free(cur.b);
	free(v);
	free(path);
	free(buf);
	return rv;
}

static int
sim_rm_one(const char *path, const struct stat *sb, int type,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) == -1 && errno != ENOENT ? -1 : 0;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

/* rm -rf path */
static int
sim_rm_tree(const char *path, char **cause)
{
	struct stat	sb;

	if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : sim_errno(cause, "cannot stat",
		    path);
	if (nftw(path, sim_rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		return sim_errno(cause, "cannot remove", path);
	return 0;
}

/* Directory entries: a prefix survives (oldest first, as a journal
 * commits them), the rest is undone newest first. */
static int
sim_revert_entries(const char *dir, uint64_t *rng, enum crashsim_fate fate,
    FILE *log, char **cause)
{
	struct sim_entry	*v;
	size_t			 n, t, i;
	int			 rv = -1;

	if (sim_entries_read(dir, &v, &n, cause) == -1)
		return -1;
	if (fate == CRASHSIM_KEEP)
		t = n;
	else if (fate == CRASHSIM_DROP || sim_below(rng, 2) == 0)
		t = 0;
	else
		t = (size_t)sim_below(rng, n + 1);
	if (log != NULL && n > 0)
		fprintf(log, "crashsim: %zu unsynced directory entries: %zu "
		    "kept\n", n, t);
	for (i = n; i > t; i--) {
		if (log != NULL)
			fprintf(log, "crashsim: undone: %s %s\n", v[i - 1].op,
			    v[i - 1].path);
		if (strcmp(v[i - 1].op, "removed") == 0) {
			if (renameat(AT_FDCWD, v[i - 1].grave, AT_FDCWD,
			    v[i - 1].path) == -1) {
				sim_errno(cause, "cannot bring back",
				    v[i - 1].path);
				goto done;
			}
		} else if (strcmp(v[i - 1].op, "renamed") == 0) {
			/* The file back under its old name, and the one
			 * it replaced back under the new. */
			if (renameat(AT_FDCWD, v[i - 1].path, AT_FDCWD,
			    v[i - 1].from) == -1 && errno != ENOENT) {
				sim_errno(cause, "cannot rename back",
				    v[i - 1].path);
				goto done;
			}
			if (v[i - 1].grave != NULL && renameat(AT_FDCWD,
			    v[i - 1].grave, AT_FDCWD, v[i - 1].path) == -1) {
				sim_errno(cause, "cannot bring back",
				    v[i - 1].path);
				goto done;
			}
		} else if (strcmp(v[i - 1].op, "madedir") == 0) {
			if (sim_rm_tree(v[i - 1].path, cause) == -1)
				goto done;
		} else if (strcmp(v[i - 1].op, "removeddir") == 0) {
			/* Back, empty: what it held comes back with the
			 * entries older than its removal. */
			if (mkdir(v[i - 1].path, 0700) == -1 &&
			    errno != EEXIST) {
				sim_errno(cause, "cannot bring back",
				    v[i - 1].path);
				goto done;
			}
		} else if (unlinkat(AT_FDCWD, v[i - 1].path, 0) == -1 &&
		    errno != ENOENT) {
			sim_errno(cause, "cannot remove", v[i - 1].path);
			goto done;
		}
	}
	/* Graves of removals that reached the disk hold nothing now. */
	for (i = 0; i < t; i++)
		if (v[i].grave != NULL && unlinkat(AT_FDCWD, v[i].grave, 0)
		    == -1 && errno != ENOENT) {
			sim_errno(cause, "cannot remove", v[i].grave);
			goto done;
		}
	rv = 0;
done:
	sim_entries_free(v, n);
	return rv;
}

static int
sim_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The undo logs in DIR/undo, ordered by the path of their file so that a
 * seed gives the same choices again. */
static int
sim_undo_logs(const char *dir, char ***out, size_t *n, char **cause)
{
	struct dirent	 *de;
	DIR		 *d;
	char		  path[PATH_MAX], **v = NULL, **nv, *key;
	uint8_t		 *buf;
	size_t		  cap = 0, len, i;
	struct sim_head	  head;

	*out = NULL;
	*n = 0;
	if (sim_join(path, sizeof(path), dir, "undo", cause) == -1)
		return -1;
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : sim_errno(cause, "cannot read",
		    path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		/* "file path\0undo log path" sorts by the file's path. */
		if (sim_join(path, sizeof(path), dir, "undo", cause) == -1)
			goto fail;
		if (asprintf(&key, "%s/%s", path, de->d_name) == -1)
			goto nomem;
		if (sim_slurp(key, 0, &buf, &len, cause) == -1) {
			free(key);
			goto fail;
		}
		if (len < sizeof(head)) {
			free(buf);
			free(key);
			continue;	/* synced since */
		}
		memcpy(&head, buf, sizeof(head));
		if (head.pathlen >= PATH_MAX ||
		    head.pathlen > len - sizeof(head)) {
			free(buf);
			sim_cause(cause, "crashsim: %s: not an undo log", key);
			free(key);
			goto fail;
		}
		v[*n] = NULL;
		if (asprintf(&v[*n], "%.*s%c%s", (int)head.pathlen,
		    (const char *)buf + sizeof(head), '\0', key) == -1)
			v[*n] = NULL;
		free(buf);
		free(key);
		if (v[*n] == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), sim_cmp_str);
	*out = v;
	return 0;
nomem:
	sim_cause(cause, "crashsim: out of memory");
fail:
	closedir(d);
	for (i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*n = 0;
	return -1;
}

/*
 * Files written without SQLite (DIR/plain), wherever the directory
 * entries left them: the content of their last sync; never synced, empty,
 * whole, or a prefix of whole sectors and a torn one.
 */
static int
sim_revert_plain(const char *dir, uint64_t *rng, enum crashsim_fate fate,
    FILE *log, char **cause)
{
	struct stat	 sb;
	struct sim_image im = { NULL, 0, 0 };
	char		 path[PATH_MAX], snap[PATH_MAX], *line, *next, *tab;
	char		 done[64 * 64], key[64];
	uint8_t		*buf, *sbuf;
	size_t		 len, slen;
	uint64_t	 dev, ino;
	int64_t		 keep;
	int		 rv = -1;

	if (sim_join(path, sizeof(path), dir, "plain", cause) == -1 ||
	    sim_slurp(path, 1, &buf, &len, cause) == -1)
		return -1;
	done[0] = '\0';
	/* Newest name first: a file renamed is where its last name says. */
	for (line = (char *)buf + len; line > (char *)buf; ) {
		next = line - 1;
		*next = '\0';
		for (line = next; line > (char *)buf && line[-1] != '\n'; line--)
			continue;
		if ((tab = strchr(line, '\t')) == NULL ||
		    sscanf(line, "%" SCNu64 ".%" SCNu64, &dev, &ino) != 2) {
			sim_cause(cause, "crashsim: %s: a bad line", path);
			goto done;
		}
		snprintf(key, sizeof(key), " %" PRIu64 ".%" PRIu64 " ", dev,
		    ino);
		if (strstr(done, key) != NULL)
			continue;
		if (fstatat(AT_FDCWD, tab + 1, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
		    (uint64_t)sb.st_dev != dev || (uint64_t)sb.st_ino != ino)
			continue;
		if (strlen(done) + strlen(key) < sizeof(done))
			strcat(done, key);
		if (sim_read_image(tab + 1, &im, cause) == -1)
			goto done;
		if ((size_t)snprintf(snap, sizeof(snap), "%s/snap/%" PRIu64 ".%"
		    PRIu64, dir, dev, ino) >= sizeof(snap)) {
			sim_cause(cause, "crashsim: path too long: %s", dir);
			goto done;
		}
		if (fate == CRASHSIM_KEEP) {
			if (log != NULL)
				fprintf(log, "crashsim: %s: kept\n", tab + 1);
			continue;
		}
		if (sim_slurp(snap, 1, &sbuf, &slen, cause) == -1)
			goto done;
		if (access(snap, F_OK) == 0) {
			free(im.b);
			im.b = sbuf;
			im.cap = slen + 1;
			im.size = (int64_t)slen;
			if (log != NULL)
				fprintf(log, "crashsim: %s: as synced, %zu "
				    "bytes\n", tab + 1, slen);
		} else {
			free(sbuf);
			keep = fate == CRASHSIM_DROP ? 0 :
			    (int64_t)sim_below(rng, (uint64_t)im.size + 1);
			if (sim_image_size(&im, keep) == -1) {
				sim_cause(cause, "crashsim: out of memory");
				goto done;
			}
			if (log != NULL)
				fprintf(log, "crashsim: %s: never synced, %"
				    PRId64 " bytes kept\n", tab + 1, keep);
		}
		if (sim_write_image(tab + 1, &im, cause) == -1)
			goto done;
	}
	rv = 0;
done:
	free(im.b);
	free(buf);
	return rv;
}

int
crashsim_power_on(const char *dir, uint64_t seed, enum crashsim_fate fate,
    FILE *log, char **cause)
{
	char		**logs = NULL;
	size_t		  n = 0, i;
	uint64_t	  rng = seed;
	int		  rv = -1;

	*cause = NULL;
	if (sim_path_ok(dir, cause) == -1)
		return -1;
	/* Entries first: a file back from its grave is then where its undo
	 * log says, and one whose creation is undone is not. */
	if (sim_revert_entries(dir, &rng, fate, log, cause) == -1)
		return -1;
	if (sim_undo_logs(dir, &logs, &n, cause) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (sim_revert_file(logs[i] + strlen(logs[i]) + 1, &rng, fate,
		    log, cause) == -1)
			goto done;
	if (sim_revert_plain(dir, &rng, fate, log, cause) == -1)
		goto done;
	rv = sim_rm_tree(dir, cause);
done:
	for (i = 0; i < n; i++)
		free(logs[i]);
	free(logs);
	return rv;
}
