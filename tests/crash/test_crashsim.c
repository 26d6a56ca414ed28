/*
 * The power-cut simulator (crashsim.c) and its SQLite shim (crashvfs.c):
 * what survives a cut is exactly what was synced, or what a disk could
 * have kept of the rest (writes in order up to a torn one, sectors new,
 * old or torn); a file made in a directory never synced vanishes, one
 * removed comes back; the cut stops every process of the machine; and
 * SQLite through the shim keeps every commit that returned, whatever the
 * cut leaves.
 *
 * Each test works in a fresh directory: the machine's files in m/, its
 * state in s/.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "crashsim.h"

#define T_SIZE		8192
#define T_SEEDS		300
#define T_ROWS		8

struct fixture {
	char		 dir[64];
	char		 m[96];		/* the machine's files */
	char		 s[96];		/* its state */
	char		 file[128];
	struct crashsim	*sim;
	struct crashsim_file f;
	/* The file's content after its sync and after each later write. */
	uint8_t		*img[4];
	int64_t		 size[4];
	int64_t		 woff[4], wlen[4];	/* write k: img[k-1] -> img[k] */
	int		 nimg;
};

static void
rm_rf(const char *path)
{
	char	cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	struct fixture	*t;

	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_crashsim.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->m, sizeof(t->m), "%s/m", t->dir);
	snprintf(t->s, sizeof(t->s), "%s/s", t->dir);
	snprintf(t->file, sizeof(t->file), "%s/data", t->m);
	assert_int_equal(mkdir(t->m, 0700), 0);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*t = *state;
	int		 i;

	crashsim_detach(t->sim);
	for (i = 0; i < 4; i++)
		free(t->img[i]);
	rm_rf(t->dir);
	free(t);
	return 0;
}

static struct crashsim *
attach(const char *dir, uint64_t cut_at)
{
	struct crashsim	*s;
	char		*cause = NULL;

	if ((s = crashsim_attach(dir, cut_at, &cause)) == NULL)
		fail_msg("crashsim_attach: %s", cause != NULL ? cause : "?");
	return s;
}

static void
power_on(struct fixture *t, uint64_t seed, enum crashsim_fate fate)
{
	char	*cause = NULL;

	crashsim_detach(t->sim);
	t->sim = NULL;
	if (crashsim_power_on(t->s, seed, fate, NULL, &cause) == -1)
		fail_msg("crashsim_power_on: %s", cause != NULL ? cause : "?");
	assert_int_equal(access(t->s, F_OK), -1);
}

/* The whole file in a malloc'd buffer; *size -1 when there is none. */
static uint8_t *
slurp(const char *path, int64_t *size)
{
	struct stat	 sb;
	uint8_t		*b;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		assert_int_equal(errno, ENOENT);
		*size = -1;
		return NULL;
	}
	assert_int_equal(fstat(fd, &sb), 0);
	b = malloc((size_t)sb.st_size + 1);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, (size_t)sb.st_size, 0), sb.st_size);
	close(fd);
	*size = sb.st_size;
	return b;
}

static void
put_file(const char *path, const uint8_t *b, int64_t size)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, (size_t)size), size);
	close(fd);
}

static void
identify(struct fixture *t)
{
	struct stat	sb;

	assert_int_equal(stat(t->file, &sb), 0);
	t->f.path = t->file;
	t->f.dev = sb.st_dev;
	t->f.ino = sb.st_ino;
}

/* A write through the simulator, as the shim does one. */
static void
sim_write(struct fixture *t, int64_t off, const uint8_t *b, int64_t len)
{
	uint8_t		*old;
	int64_t		 size, saved;
	char		*cause = NULL;
	int		 fd;

	old = slurp(t->file, &size);
	assert_true(size >= 0);
	saved = size - off < len ? size - off : len;
	if (saved < 0)
		saved = 0;
	crashsim_lock(t->sim);
	if (crashsim_change(t->sim, &t->f, off, len, size, off + len > size ?
	    off + len : size, old + (saved > 0 ? off : 0), (size_t)saved,
	    &cause) == -1)
		fail_msg("crashsim_change: %s", cause != NULL ? cause : "?");
	crashsim_unlock(t->sim);
	free(old);
	fd = open(t->file, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, (size_t)len, off), len);
	close(fd);
}

static void
sim_sync(struct fixture *t)
{
	char	*cause = NULL;

	crashsim_lock(t->sim);
	if (crashsim_sync_file(t->sim, &t->f, 0, &cause) == -1)
		fail_msg("crashsim_sync_file: %s", cause != NULL ? cause : "?");
	crashsim_unlock(t->sim);
}

static void
sim_sync_dir(struct fixture *t, const char *dir)
{
	char	*cause = NULL;

	crashsim_lock(t->sim);
	if (crashsim_sync_dir(t->sim, dir, &cause) == -1)
		fail_msg("crashsim_sync_dir: %s", cause != NULL ? cause : "?");
	crashsim_unlock(t->sim);
}

static void
sim_made(struct fixture *t, const char *path, int dir)
{
	char	*cause = NULL;

	crashsim_lock(t->sim);
	if (crashsim_made(t->sim, path, dir, &cause) == -1)
		fail_msg("crashsim_made: %s", cause != NULL ? cause : "?");
	crashsim_unlock(t->sim);
}

/*
 * The story of every content test: a file of T_SIZE 'a's from before the
 * machine started; 100 'b's at 10, synced; then, unsynced, 3000 'c's at
 * 2000 and 1000 'd's appended (the file grows), and 5000 'e's over the
 * middle. img[k] is the file after write k of the unsynced ones.
 */
static void
story(struct fixture *t)
{
	static const struct { int64_t off, len; int c; } w[3] = {
		{ 2000, 3000, 'c' }, { T_SIZE, 1000, 'd' }, { 1500, 5000, 'e' }
	};
	uint8_t	buf[T_SIZE + 1000];
	int	k;

	memset(buf, 'a', T_SIZE);
	put_file(t->file, buf, T_SIZE);
	identify(t);
	t->sim = attach(t->s, 0);
	memset(buf, 'b', 100);
	sim_write(t, 10, buf, 100);
	sim_sync(t);
	t->img[0] = slurp(t->file, &t->size[0]);
	for (k = 0; k < 3; k++) {
		memset(buf, w[k].c, (size_t)w[k].len);
		sim_write(t, w[k].off, buf, w[k].len);
		t->woff[k + 1] = w[k].off;
		t->wlen[k + 1] = w[k].len;
		t->img[k + 1] = slurp(t->file, &t->size[k + 1]);
	}
	t->nimg = 4;
}

static void
test_drop(void **state)
{
	struct fixture	*t = *state;
	uint8_t		*b;
	int64_t		 size;

	story(t);
	power_on(t, 1, CRASHSIM_DROP);
	b = slurp(t->file, &size);
	assert_int_equal(size, t->size[0]);
	assert_memory_equal(b, t->img[0], (size_t)size);
	free(b);
}

static void
test_keep(void **state)
{
	struct fixture	*t = *state;
	uint8_t		*b;
	int64_t		 size;

	story(t);
	power_on(t, 1, CRASHSIM_KEEP);
	b = slurp(t->file, &size);
	assert_int_equal(size, t->size[3]);
	assert_memory_equal(b, t->img[3], (size_t)size);
	free(b);
}

/* A sync after the writes: they all survive, whatever the fate. */
static void
test_synced(void **state)
{
	struct fixture	*t = *state;
	uint8_t		*b;
	int64_t		 size;

	story(t);
	sim_sync(t);
	power_on(t, 1, CRASHSIM_DROP);
	b = slurp(t->file, &size);
	assert_int_equal(size, t->size[3]);
	assert_memory_equal(b, t->img[3], (size_t)size);
	free(b);
}

/* Whether b is img[k] with a prefix of write k+1 from img[k+1]. */
static int
is_torn_step(const struct fixture *t, int k, const uint8_t *b, int64_t size)
{
	const uint8_t	*a = t->img[k], *n = t->img[k + 1];
	int64_t		 off = t->woff[k + 1], p = 0, i, want;

	while (off + p < size && off + p < t->size[k + 1] &&
	    p < t->wlen[k + 1] && b[off + p] == n[off + p])
		p++;
	/* Every shorter prefix too: the bytes may equal the old ones. */
	for (; p >= 0; p--) {
		want = t->size[k] > off + p ? t->size[k] : off + p;
		if (size != want)
			continue;
		for (i = 0; i < size; i++) {
			if (i >= off && i < off + p) {
				if (b[i] != n[i])
					break;
			} else if (b[i] != (i < t->size[k] ? a[i] : 0))
				break;
		}
		if (i == size)
			return 1;
	}
	return 0;
}

static void
test_order(void **state)
{
	struct fixture	*t = *state;
	uint8_t		*b;
	int64_t		 size;
	uint64_t	 seed;
	int		 k, ok, seen[4] = { 0 };

	for (seed = 1; seed <= T_SEEDS; seed++) {
		story(t);
		power_on(t, seed, CRASHSIM_ORDER);
		b = slurp(t->file, &size);
		assert_true(size >= 0);
		for (ok = 0, k = 0; k < 3 && !ok; k++)
			if (is_torn_step(t, k, b, size)) {
				ok = 1;
				seen[k]++;
			}
		if (!ok)
			fail_msg("seed %ju: not the writes in order up to a "
			    "torn one", (uintmax_t)seed);
		free(b);
		for (k = 0; k < 4; k++) {
			free(t->img[k]);
			t->img[k] = NULL;
		}
	}
	/* Every step was torn at some seed. */
	for (k = 0; k < 3; k++)
		assert_true(seen[k] > 0);
}

static void
test_scramble(void **state)
{
	struct fixture	*t = *state;
	const uint8_t	*o, *n;
	uint8_t		*b;
	int64_t		 size, a, i, p, end;
	uint64_t	 seed;
	int		 k, torn = 0, sizes[2] = { 0, 0 };

	for (seed = 1; seed <= T_SEEDS; seed++) {
		story(t);
		power_on(t, seed, CRASHSIM_SCRAMBLE);
		b = slurp(t->file, &size);
		o = t->img[0];
		n = t->img[3];
		assert_true(size == t->size[0] || size == t->size[3]);
		sizes[size == t->size[3]]++;
		for (a = 0; a < size; a += CRASHSIM_SECTOR) {
			end = a + CRASHSIM_SECTOR < size ? a + CRASHSIM_SECTOR :
			    size;
			/* The longest prefix of the new bytes, then old. */
			for (p = a; p < end && b[p] == (p < t->size[3] ? n[p] :
			    0); p++)
				continue;
			for (i = p; i < end; i++)
				if (b[i] != (i < t->size[0] ? o[i] : 0))
					fail_msg("seed %ju: byte %jd is neither "
					    "new nor old in its sector",
					    (uintmax_t)seed, (intmax_t)i);
			if (p > a && p < end && (p < t->size[0] ? o[p] : 0) !=
			    (p < t->size[3] ? n[p] : 0))
				torn++;
		}
		free(b);
		for (k = 0; k < 4; k++) {
			free(t->img[k]);
			t->img[k] = NULL;
		}
	}
	assert_true(torn > 0);
	assert_true(sizes[0] > 0 && sizes[1] > 0);
}

/* A file made after power-on vanishes unless its directory was synced. */
static void
test_made_file(void **state)
{
	struct fixture	*t = *state;
	uint8_t		 buf[100], *b;
	int64_t		 size;

	memset(buf, 'x', sizeof(buf));
	t->sim = attach(t->s, 0);
	put_file(t->file, buf, sizeof(buf));
	sim_made(t, t->file, 0);
	identify(t);
	sim_sync(t);
	power_on(t, 1, CRASHSIM_DROP);
	b = slurp(t->file, &size);
	assert_int_equal(size, -1);

	t->sim = attach(t->s, 0);
	put_file(t->file, buf, sizeof(buf));
	sim_made(t, t->file, 0);
	identify(t);
	sim_sync(t);
	sim_sync_dir(t, t->m);
	power_on(t, 1, CRASHSIM_DROP);
	b = slurp(t->file, &size);
	assert_int_equal(size, sizeof(buf));
	assert_memory_equal(b, buf, sizeof(buf));
	free(b);
}

/* A removed file comes back, with what was synced, unless its directory
 * was synced after. */
static void
test_removed_file(void **state)
{
	struct fixture	*t = *state;
	uint8_t		 buf[100], *b;
	int64_t		 size;
	char		*cause = NULL;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		memset(buf, 'x', sizeof(buf));
		put_file(t->file, buf, sizeof(buf));
		identify(t);
		t->sim = attach(t->s, 0);
		memset(buf, 'y', 10);
		sim_write(t, 0, buf, 10);
		sim_sync(t);
		memset(buf, 'z', 10);
		sim_write(t, 50, buf, 10);
		crashsim_lock(t->sim);
		assert_int_equal(crashsim_remove(t->sim, t->file, &cause), 0);
		assert_int_equal(crashsim_remove(t->sim, t->file, &cause), 1);
		crashsim_unlock(t->sim);
		assert_int_equal(access(t->file, F_OK), -1);
		if (pass == 1)
			sim_sync_dir(t, t->m);
		power_on(t, 1, CRASHSIM_DROP);
		b = slurp(t->file, &size);
		if (pass == 1) {
			assert_int_equal(size, -1);
			continue;
		}
		assert_int_equal(size, sizeof(buf));
		memset(buf, 'x', sizeof(buf));
		memset(buf, 'y', 10);
		assert_memory_equal(b, buf, sizeof(buf));
		free(b);
	}
}

/* A directory made after power-on goes with all it holds unless its
 * parent was synced; its entries need its own sync. */
static void
test_made_dir(void **state)
{
	struct fixture	*t = *state;
	char		 d[160], f[192];

	snprintf(d, sizeof(d), "%s/state", t->m);
	snprintf(f, sizeof(f), "%s/outbox.db", d);
	t->sim = attach(t->s, 0);
	assert_int_equal(mkdir(d, 0700), 0);
	sim_made(t, d, 1);
	put_file(f, (const uint8_t *)"x", 1);
	sim_made(t, f, 0);
	sim_sync_dir(t, d);
	power_on(t, 1, CRASHSIM_DROP);
	assert_int_equal(access(d, F_OK), -1);

	t->sim = attach(t->s, 0);
	assert_int_equal(mkdir(d, 0700), 0);
	sim_made(t, d, 1);
	put_file(f, (const uint8_t *)"x", 1);
	sim_made(t, f, 0);
	sim_sync_dir(t, t->m);
	power_on(t, 1, CRASHSIM_DROP);
	assert_int_equal(access(d, F_OK), 0);
	assert_int_equal(access(f, F_OK), -1);

	t->sim = attach(t->s, 0);
	put_file(f, (const uint8_t *)"x", 1);
	sim_made(t, f, 0);
	sim_sync_dir(t, d);
	power_on(t, 1, CRASHSIM_DROP);
	assert_int_equal(access(f, F_OK), 0);
}

/*
 * A file made in a directory of its own and renamed out of it, as gpd -b
 * writes its copy: the directory made, the file and a journal made in it
 * and synced there, the journal removed, the file renamed beside the
 * directory, the directory removed. Before the parent's sync a cut leaves
 * neither; after it, the file where it was renamed, and nothing of the
 * directory comes back, not even what was removed in it unsynced.
 */
static void
test_removed_dir(void **state)
{
	struct fixture	*t = *state;
	char		 d[160], f[192], j[192], *cause = NULL;
	uint8_t		*b;
	int64_t		 size;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		t->sim = attach(t->s, 0);
		snprintf(d, sizeof(d), "%s/data.tmp.XXXXXX", t->m);
		assert_non_null(mkdtemp(d));
		sim_made(t, d, 1);
		snprintf(f, sizeof(f), "%s/copy.db", d);
		snprintf(j, sizeof(j), "%s/copy.db-journal", d);
		put_file(f, (const uint8_t *)"copy", 4);
		sim_made(t, f, 0);
		put_file(j, (const uint8_t *)"j", 1);
		sim_made(t, j, 0);
		sim_sync_dir(t, d);
		crashsim_lock(t->sim);
		assert_int_equal(crashsim_remove(t->sim, j, &cause), 0);
		assert_int_equal(crashsim_rename(t->sim, f, t->file, &cause),
		    0);
		assert_int_equal(rmdir(d), 0);
		assert_int_equal(crashsim_removed_dir(t->sim, d, &cause), 0);
		crashsim_unlock(t->sim);
		if (pass == 1)
			sim_sync_dir(t, t->m);
		power_on(t, 1, CRASHSIM_DROP);
		assert_int_equal(access(d, F_OK), -1);
		b = slurp(t->file, &size);
		if (pass == 0)
			assert_int_equal(size, -1);
		else {
			assert_int_equal(size, 4);
			assert_memory_equal(b, "copy", 4);
		}
		free(b);
	}
}

/*
 * A file written whole through a temporary, as gp-client's outfile does:
 * made, written without SQLite, synced (or not), renamed over the old one,
 * its directory synced (or not). Until the directory's sync the old file
 * is what a cut leaves; after it, the new one, whole when it was synced,
 * empty when it was not (a rename without a sync).
 */
static void
test_renamed(void **state)
{
	struct fixture	*t = *state;
	struct crashsim_file tf;
	struct stat	 sb;
	char		 tmp[160], *cause = NULL;
	uint8_t		*b;
	int64_t		 size;
	int		 pass;

	snprintf(tmp, sizeof(tmp), "%s.tmp", t->file);
	for (pass = 0; pass < 3; pass++) {
		put_file(t->file, (const uint8_t *)"old", 3);
		t->sim = attach(t->s, 0);
		put_file(tmp, (const uint8_t *)"new!", 4);
		sim_made(t, tmp, 0);
		crashsim_lock(t->sim);
		assert_int_equal(crashsim_plain(t->sim, tmp, &cause), 0);
		crashsim_unlock(t->sim);
		if (pass != 2) {
			assert_int_equal(stat(tmp, &sb), 0);
			tf.path = tmp;
			tf.dev = sb.st_dev;
			tf.ino = sb.st_ino;
			crashsim_lock(t->sim);
			assert_int_equal(crashsim_sync_file(t->sim, &tf, 0,
			    &cause), 0);
			crashsim_unlock(t->sim);
		}
		crashsim_lock(t->sim);
		assert_int_equal(crashsim_rename(t->sim, tmp, t->file, &cause),
		    0);
		crashsim_unlock(t->sim);
		if (pass >= 1)
			sim_sync_dir(t, t->m);
		power_on(t, 1, CRASHSIM_DROP);
		b = slurp(t->file, &size);
		assert_int_equal(access(tmp, F_OK), -1);
		if (pass == 0) {
			assert_int_equal(size, 3);
			assert_memory_equal(b, "old", 3);
		} else if (pass == 1) {
			assert_int_equal(size, 4);
			assert_memory_equal(b, "new!", 4);
		} else
			assert_int_equal(size, 0);
		free(b);
	}
}

static uint64_t
cut_point(const struct fixture *t)
{
	char		path[160];
	uint8_t		*b;
	int64_t		size;
	uint64_t	n;

	snprintf(path, sizeof(path), "%s/cut", t->s);
	b = slurp(path, &size);
	if (b == NULL)
		return 0;
	b[size] = '\0';
	n = strtoull((const char *)b, NULL, 10);
	free(b);
	return n;
}

static void
expect_killed(pid_t pid)
{
	int	status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

/* The sync point chosen stops the process there: it never returns. */
static void
test_cut(void **state)
{
	struct fixture	*t = *state;
	uint64_t	 n;
	char		*cause = NULL, got = 0;
	pid_t		 pid;
	int		 p[2], i;

	put_file(t->file, (const uint8_t *)"x", 1);
	identify(t);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		t->sim = attach(t->s, 3);
		for (i = 1; i <= 5; i++) {
			sim_sync(t);
			got = (char)('0' + i);
			if (write(p[1], &got, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	expect_killed(pid);
	while (read(p[0], &got, 1) == 1)
		continue;
	close(p[0]);
	assert_int_equal(got, '2');
	assert_int_equal(cut_point(t), 3);
	assert_int_equal(crashsim_count(t->s, &n, &cause), 0);
	assert_int_equal(n, 3);
	power_on(t, 1, CRASHSIM_RANDOM);
}

/* DIR/at moves the cut of a machine whose processes run. */
static void
test_cut_moved(void **state)
{
	struct fixture	*t = *state;
	char		 at[160], got = 0;
	pid_t		 pid;
	int		 p[2], q[2], i;

	put_file(t->file, (const uint8_t *)"x", 1);
	identify(t);
	snprintf(at, sizeof(at), "%s/at", t->s);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		close(q[1]);
		t->sim = attach(t->s, 0);
		for (i = 1; i <= 9; i++) {
			sim_sync(t);
			got = (char)('0' + i);
			if (write(p[1], &got, 1) != 1 || read(q[0], &got, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	/* Four sync points pass, then the cut is set two ahead. */
	for (i = 1; i <= 4; i++) {
		assert_int_equal(read(p[0], &got, 1), 1);
		if (i == 4)
			put_file(at, (const uint8_t *)"6\n", 2);
		assert_int_equal(write(q[1], "g", 1), 1);
	}
	while (read(p[0], &got, 1) == 1)
		assert_int_equal(write(q[1], "g", 1), 1);
	close(p[0]);
	close(q[1]);
	expect_killed(pid);
	assert_int_equal(got, '5');
	assert_int_equal(cut_point(t), 6);
	power_on(t, 1, CRASHSIM_RANDOM);
}

/* The cut stops the machine's other processes too. */
static void
test_cut_machine(void **state)
{
	struct fixture	*t = *state;
	pid_t		 other, cutter;
	int		 p[2];
	char		 c;

	put_file(t->file, (const uint8_t *)"x", 1);
	identify(t);
	assert_int_equal(pipe(p), 0);
	if ((other = fork()) == 0) {
		close(p[0]);
		t->sim = attach(t->s, 0);
		if (write(p[1], "a", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	if ((cutter = fork()) == 0) {
		t->sim = attach(t->s, 1);
		sim_sync(t);
		_exit(0);
	}
	expect_killed(cutter);
	expect_killed(other);
	assert_int_equal(cut_point(t), 1);
	power_on(t, 1, CRASHSIM_RANDOM);
}

/* ---------------------------------------------------------------------
 * SQLite through the shim
 */

static void
sql(sqlite3 *db, const char *s)
{
	char	*err = NULL;

	if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", s, err != NULL ? err : "?");
		_exit(2);
	}
}

/*
 * The SQLite of a child that may be cut allocates from a static arena and
 * never frees: a child that dies in a cut leaves nothing a leak checker
 * (valgrind) would call lost. Each block has its size before it.
 */
#define T_ARENA		(64 * 1024 * 1024)
#define T_ALIGN		16

static uint8_t	t_arena[T_ARENA] __attribute__((aligned(T_ALIGN)));
static size_t	t_arena_used;

static int
arena_roundup(int n)
{
	return (n + T_ALIGN - 1) & ~(T_ALIGN - 1);
}

static void *
arena_malloc(int n)
{
	size_t	 need = T_ALIGN + (size_t)arena_roundup(n);
	uint8_t	*p;

	if (n < 0 || t_arena_used + need > sizeof(t_arena))
		return NULL;
	p = t_arena + t_arena_used;
	t_arena_used += need;
	memcpy(p, &n, sizeof(n));
	return p + T_ALIGN;
}

static void
arena_free(void *p)
{
	(void)p;
}

static int
arena_size(void *p)
{
	int	n;

	memcpy(&n, (uint8_t *)p - T_ALIGN, sizeof(n));
	return n;
}

static void *
arena_realloc(void *p, int n)
{
	void	*q;

	if ((q = arena_malloc(n)) != NULL && p != NULL)
		memcpy(q, p, (size_t)(arena_size(p) < n ? arena_size(p) : n));
	return q;
}

static int
arena_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
arena_shutdown(void *arg)
{
	(void)arg;
}

/* A child on the machine, cut at sync point cut (0: never): T_ROWS
 * commits, each told on fd once it returned, then a close. */
static void
sqlite_child(const struct fixture *t, const char *db, uint64_t cut, int fd)
{
	static const sqlite3_mem_methods arena = {
		arena_malloc, arena_free, arena_realloc, arena_size,
		arena_roundup, arena_init, arena_shutdown, NULL
	};
	sqlite3	*h;
	char	 s[64];
	int	 i;

	if (sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MALLOC, &arena) != SQLITE_OK)
		_exit(2);
	snprintf(s, sizeof(s), "%ju", (uintmax_t)cut);
	setenv(CRASHSIM_ENV_DIR, t->s, 1);
	setenv(CRASHSIM_ENV_AT, s, 1);
	crashvfs_start();
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		_exit(2);
	sql(h, "PRAGMA journal_mode = WAL");
	sql(h, "PRAGMA synchronous = FULL");
	sql(h, "CREATE TABLE t (n INTEGER PRIMARY KEY, pad BLOB)");
	for (i = 1; i <= T_ROWS; i++) {
		/* Big rows: pages of the table and its overflow change. */
		snprintf(s, sizeof(s), "INSERT INTO t VALUES (%d, "
		    "randomblob(6000))", i);
		sql(h, s);
		if (write(fd, &(char){ (char)i }, 1) != 1)
			_exit(2);
	}
	sqlite3_close(h);
	_exit(0);
}

static int
count_rows(sqlite3 *h, int *rows, int *max)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(h, "SELECT count(*), coalesce(max(n), 0) "
	    "FROM t", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	*rows = sqlite3_column_int(st, 0);
	*max = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Cut at every sync point of the child's life, each with its own seed:
 * every commit that returned is there, nothing but those and perhaps the
 * one under way, and the database is whole. */
static void
test_sqlite(void **state)
{
	struct fixture	*t = *state;
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 db[160];
	uint64_t	 cut;
	pid_t		 pid;
	int		 p[2], status, committed, rows, max, done = 0;
	char		 c;

	snprintf(db, sizeof(db), "%s/gp.db", t->m);
	for (cut = 1; !done; cut++) {
		assert_true(cut < 200);
		rm_rf(t->m);
		assert_int_equal(mkdir(t->m, 0700), 0);
		assert_int_equal(pipe(p), 0);
		if ((pid = fork()) == 0) {
			close(p[0]);
			sqlite_child(t, db, cut, p[1]);
		}
		close(p[1]);
		committed = 0;
		while (read(p[0], &c, 1) == 1)
			committed = c;
		close(p[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status)) {
			assert_int_equal(WEXITSTATUS(status), 0);
			assert_int_equal(committed, T_ROWS);
			done = 1;
		} else
			assert_int_equal(WTERMSIG(status), SIGKILL);
		t->sim = NULL;
		power_on(t, cut * 7919, done ? CRASHSIM_DROP : CRASHSIM_RANDOM);

		if (access(db, F_OK) == -1) {
			/* Gone: only before anything committed. */
			assert_int_equal(committed, 0);
			continue;
		}
		assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check",
		    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
		if (count_rows(h, &rows, &max) == -1) {
			/* No table: it was never committed. */
			assert_int_equal(committed, 0);
		} else {
			assert_true(rows >= committed);
			assert_true(rows <= committed + 1);
			assert_int_equal(rows, max);
		}
		sqlite3_close(h);
	}
	/* The child's life had sync points to cut at. */
	assert_true(cut > 10);
}

/* How many entries dir holds, . and .. aside. */
static int
entries_in(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* gp's own files: made through open and mkdir, made durable by fsync of
 * their directories (the test builds link with the same --wrap). */
static void
test_wrapped(void **state)
{
	struct fixture	*t = *state;
	char		 d[160], f[192];
	pid_t		 pid;
	int		 status, pass, fd;

	snprintf(d, sizeof(d), "%s/gp", t->m);
	snprintf(f, sizeof(f), "%s/outbox.db", d);
	for (pass = 0; pass < 3; pass++) {
		if ((pid = fork()) == 0) {
			setenv(CRASHSIM_ENV_DIR, t->s, 1);
			unsetenv(CRASHSIM_ENV_AT);
			crashvfs_start();
			if (mkdir(d, 0700) == -1 ||
			    (fd = open(f, O_RDWR | O_CREAT, 0600)) == -1)
				_exit(2);
			close(fd);
			/* pass 1: the file's entry; 2: the directory's too */
			if (pass >= 1 && ((fd = open(d, O_RDONLY |
			    O_DIRECTORY)) == -1 || fsync(fd) == -1))
				_exit(3);
			if (pass >= 2 && ((fd = open(t->m, O_RDONLY |
			    O_DIRECTORY)) == -1 || fsync(fd) == -1))
				_exit(4);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		power_on(t, 1, CRASHSIM_DROP);
		assert_int_equal(access(d, F_OK), pass == 2 ? 0 : -1);
		assert_int_equal(access(f, F_OK), pass == 2 ? 0 : -1);
		rm_rf(d);
	}
}

/* The same through gp-client's calls: mkostemp, stdio, fsync, rename,
 * fsync of the directory; unlink of a temporary that was never used. */
static void
test_wrapped_outfile(void **state)
{
	struct fixture	*t = *state;
	char		 tmp[160], gone[160];
	uint8_t		*b;
	int64_t		 size;
	pid_t		 pid;
	FILE		*f;
	int		 status, pass, fd;

	for (pass = 0; pass < 2; pass++) {
		put_file(t->file, (const uint8_t *)"old", 3);
		if ((pid = fork()) == 0) {
			setenv(CRASHSIM_ENV_DIR, t->s, 1);
			unsetenv(CRASHSIM_ENV_AT);
			crashvfs_start();
			snprintf(tmp, sizeof(tmp), "%s.XXXXXX", t->file);
			snprintf(gone, sizeof(gone), "%s.XXXXXX", t->file);
			if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1 ||
			    (f = fdopen(fd, "w")) == NULL ||
			    fputs("new!", f) == EOF || fflush(f) == EOF ||
			    fsync(fileno(f)) == -1 || fclose(f) == EOF ||
			    rename(tmp, t->file) == -1)
				_exit(2);
			if ((fd = mkstemp(gone)) == -1 || close(fd) == -1 ||
			    unlink(gone) == -1)
				_exit(3);
			if (pass == 1 && ((fd = open(t->m, O_RDONLY |
			    O_DIRECTORY)) == -1 || fsync(fd) == -1))
				_exit(4);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		power_on(t, 1, CRASHSIM_DROP);
		b = slurp(t->file, &size);
		if (pass == 0) {
			assert_int_equal(size, 3);
			assert_memory_equal(b, "old", 3);
		} else {
			assert_int_equal(size, 4);
			assert_memory_equal(b, "new!", 4);
		}
		free(b);
	}
	/* No temporary is left, whatever the pass. */
	assert_int_equal(entries_in(t->m), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scramble, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_made_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_removed_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_made_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renamed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_moved, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cut_machine, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapped_outfile, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
