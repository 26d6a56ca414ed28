/*
 * gp-client's outbox: queueing, claims (also from two connections and from
 * processes racing), stale claims taken back, refusals, drops, receipts,
 * and that a receipt and its entry's removal happen together or not at
 * all. Each test works on its own file in a fresh directory.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "outbox.h"
#include "report.h"

#define T_NOW		1700000000
#define T_LEASE		600
#define T_UNIT		"lc-tamduong"
#define T_H1		"2022-H1"
#define T_YEAR		"2022"
#define T_HASH		"5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9" \
			"a8f7e6d5c4b3a2918273645546372819"
#define T_RACERS	4
#define T_RACE_ENTRIES	40

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct outbox	*ob;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_outbox.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* A directory that does not exist yet: outbox_open makes it. */
	snprintf(f->path, sizeof(f->path), "%s/state/gp/outbox.db", f->dir);
	f->ob = outbox_open(f->path, 1, &cause);
	if (f->ob == NULL)
		fail_msg("outbox_open: %s", cause != NULL ? cause : "?");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	outbox_close(f->ob);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A report's canonical bytes stand-in: its id and n, repeated. */
static void
item(struct outbox_item *it, const char *id, const char *period,
    uint8_t *buf, size_t len, int n)
{
	size_t	i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(id[i % strlen(id)] + n);
	it->id = id;
	it->unit = T_UNIT;
	it->period = period;
	it->report = buf;
	it->len = len;
	it->content_hash = T_HASH;
}

static enum outbox_put_result
put(struct outbox *ob, const char *id, const char *period, int n)
{
	struct outbox_item	 it;
	enum outbox_put_result	 r;
	uint8_t			 buf[300];
	pid_t			 owner;
	char			*cause = NULL;

	item(&it, id, period, buf, sizeof(buf), n);
	if (outbox_put(ob, &it, T_NOW, &r, &owner, &cause) == -1)
		fail_msg("outbox_put: %s", cause != NULL ? cause : "?");
	return r;
}

/* Claims for owner; returns the id claimed (static buffer) or NULL. */
static const char *
claim(struct outbox *ob, const char *unit, const char *period, pid_t owner,
    int64_t now)
{
	static char		 id[64];
	struct outbox_entry	*e = NULL;
	char			*cause = NULL;

	if (outbox_claim(ob, unit, period, owner, now, T_LEASE, &e,
	    &cause) == -1)
		fail_msg("outbox_claim: %s", cause != NULL ? cause : "?");
	if (e == NULL)
		return NULL;
	assert_int_equal(e->state, OUTBOX_SENDING);
	assert_int_equal(e->owner, owner);
	assert_non_null(e->report);
	assert_int_equal(e->len, 300);
	snprintf(id, sizeof(id), "%s", e->id);
	outbox_entry_free(e);
	return id;
}

static enum outbox_state
state_of(struct outbox *ob, const char *id, int64_t *attempts,
    char **last_error)
{
	struct outbox_entry	*e = NULL;
	enum outbox_state	 s;
	char			*cause = NULL;

	assert_int_equal(outbox_get(ob, id, &e, &cause), 0);
	assert_non_null(e);
	s = e->state;
	if (attempts != NULL)
		*attempts = e->attempts;
	if (last_error != NULL)
		*last_error = e->last_error != NULL ? strdup(e->last_error) :
		    NULL;
	outbox_entry_free(e);
	return s;
}

static size_t
count(struct outbox *ob)
{
	struct outbox_entry	**v;
	size_t			  n;
	char			 *cause = NULL;

	assert_int_equal(outbox_list(ob, &v, &n, &cause), 0);
	outbox_entries_free(v, n);
	return n;
}

/* A process id that is certainly not running: a child that has exited
 * and been reaped. */
static pid_t
dead_pid(void)
{
	pid_t	pid;
	int	status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return pid;
}

static void
test_open_private(void **state)
{
	struct fixture	*f = *state;
	struct stat	 sb;
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 dir[160];

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s/state/gp", f->dir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), OUTBOX_SCHEMA_VERSION);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_open_missing(void **state)
{
	struct fixture	*f = *state;
	char		 path[160], *cause = NULL;

	snprintf(path, sizeof(path), "%s/none.db", f->dir);
	errno = 0;
	assert_null(outbox_open(path, 0, &cause));
	assert_null(cause);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_open_newer_schema(void **state)
{
	struct fixture	*f = *state;
	sqlite3		*db;
	char		*cause = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(outbox_open(f->path, 0, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer"));
	free(cause);
}

static void
test_default_path(void **state)
{
	char	*path, *cause = NULL;

	(void)state;
	setenv("XDG_STATE_HOME", "/var/tmp/xdg", 1);
	path = outbox_default_path(&cause);
	assert_string_equal(path, "/var/tmp/xdg/gp/outbox.db");
	free(path);
	/* Relative: ignored, as the base directory specification says. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/office", 1);
	path = outbox_default_path(&cause);
	assert_string_equal(path, "/home/office/.local/state/gp/outbox.db");
	free(path);
	unsetenv("XDG_STATE_HOME");
}

static void
test_put(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(put(f->ob, "a", T_H1, 0), OUTBOX_PUT_NEW);
	assert_int_equal(put(f->ob, "a", T_H1, 0), OUTBOX_PUT_WAITING);
	assert_int_equal(put(f->ob, "a", T_H1, 1), OUTBOX_PUT_CONFLICT);
	assert_int_equal(count(f->ob), 1);
	assert_non_null(claim(f->ob, NULL, NULL, getpid(), T_NOW));
	assert_int_equal(put(f->ob, "a", T_H1, 0), OUTBOX_PUT_SENDING);
}

static void
test_claim_order(void **state)
{
	struct fixture	*f = *state;
	pid_t		 me = getpid();
	char		*cause = NULL;

	put(f->ob, "h1-first", T_H1, 0);
	put(f->ob, "year-first", T_YEAR, 0);
	put(f->ob, "h1-second", T_H1, 0);

	/* Oldest first; an entry waits behind its unit and period's earlier
	 * one while that is being sent, others do not. */
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "h1-first");
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "year-first");
	assert_null(claim(f->ob, NULL, NULL, me, T_NOW));
	assert_null(claim(f->ob, T_UNIT, T_H1, me, T_NOW));

	assert_int_equal(outbox_remove(f->ob, "h1-first", &cause), 0);
	assert_null(claim(f->ob, T_UNIT, T_YEAR, me, T_NOW));
	assert_string_equal(claim(f->ob, T_UNIT, T_H1, me, T_NOW),
	    "h1-second");
}

static void
test_attempt_release(void **state)
{
	struct fixture	*f = *state;
	pid_t		 me = getpid();
	int64_t		 attempts;
	char		*cause = NULL, *error = NULL;

	put(f->ob, "a", T_H1, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "a");
	assert_int_equal(outbox_attempt(f->ob, "a", T_NOW, &cause), 0);
	assert_int_equal(outbox_attempt(f->ob, "a", T_NOW + 1, &cause), 0);
	/* Only its owner gives a claim back. */
	assert_int_equal(outbox_release(f->ob, "a", me + 1, "x", &cause), 0);
	assert_int_equal(state_of(f->ob, "a", NULL, NULL), OUTBOX_SENDING);
	assert_int_equal(outbox_release(f->ob, "a", me, "cannot reach s: "
	    "Connection refused", &cause), 0);
	assert_int_equal(state_of(f->ob, "a", &attempts, &error),
	    OUTBOX_WAITING);
	assert_int_equal(attempts, 2);
	assert_string_equal(error, "cannot reach s: Connection refused");
	free(error);
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "a");
}

/*
 * The log outlives each run (no checkpoint at close): what was committed,
 * the lazily synced claim and attempt included, is there when the outbox
 * is opened again.
 */
static void
test_log_kept(void **state)
{
	struct fixture	*f = *state;
	struct stat	 sb;
	pid_t		 me = getpid();
	int64_t		 attempts;
	char		 wal[160], *cause = NULL;

	put(f->ob, "a", T_H1, 0);
	put(f->ob, "b", T_YEAR, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "a");
	assert_int_equal(outbox_attempt(f->ob, "a", T_NOW, &cause), 0);
	outbox_close(f->ob);
	f->ob = NULL;

	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);

	f->ob = outbox_open(f->path, 0, &cause);
	assert_non_null(f->ob);
	assert_int_equal(state_of(f->ob, "a", &attempts, NULL),
	    OUTBOX_SENDING);
	assert_int_equal(attempts, 1);
	assert_int_equal(state_of(f->ob, "b", &attempts, NULL),
	    OUTBOX_WAITING);
	assert_int_equal(attempts, 0);
}

/* Two connections to one file, taking turns: never the same entry. */
static void
test_two_connections(void **state)
{
	struct fixture	*f = *state;
	struct outbox	*other;
	const char	*id;
	char		*cause = NULL, seen[8][64];
	size_t		 n = 0, i, j;
	int		 turn;

	other = outbox_open(f->path, 0, &cause);
	assert_non_null(other);
	put(f->ob, "p", T_H1, 0);
	put(other, "q", T_YEAR, 0);
	put(f->ob, "r", "2023-H1", 0);
	put(other, "s", "2023", 0);
	for (turn = 0; turn < 8; turn++) {
		id = claim(turn % 2 ? other : f->ob, NULL, NULL,
		    getpid(), T_NOW);
		if (id == NULL)
			continue;
		assert_true(n < 8);
		snprintf(seen[n++], sizeof(seen[0]), "%s", id);
	}
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(seen[i], seen[j]);
	outbox_close(other);
}

/*
 * Processes racing for many entries, each through its own connection:
 * every entry is claimed exactly once. Each racer writes the ids it got
 * to a pipe; entries are in distinct groups so that all can be taken.
 */
static void
test_racing_processes(void **state)
{
	struct fixture		*f = *state;
	struct outbox		*ob;
	struct outbox_entry	*e;
	char			 ids[T_RACE_ENTRIES][32], line[64];
	char			*cause = NULL;
	int			 fds[2], got[T_RACE_ENTRIES], i, k, status;
	pid_t			 pids[T_RACERS];
	FILE			*in;

	for (i = 0; i < T_RACE_ENTRIES; i++) {
		snprintf(ids[i], sizeof(ids[i]), "race-%02d", i);
		/* A period per entry: no entry waits behind another. */
		snprintf(line, sizeof(line), "20%02d", i + 10);
		put(f->ob, ids[i], line, i);
		got[i] = 0;
	}
	assert_int_equal(pipe(fds), 0);
	for (k = 0; k < T_RACERS; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] != 0)
			continue;
		close(fds[0]);
		/* No cmocka in the child: a failure is its exit status. */
		if ((ob = outbox_open(f->path, 0, &cause)) == NULL)
			_exit(2);
		for (;;) {
			if (outbox_claim(ob, NULL, NULL, getpid(), T_NOW,
			    T_LEASE, &e, &cause) == -1)
				_exit(3);
			if (e == NULL)
				break;
			snprintf(line, sizeof(line), "%s\n", e->id);
			outbox_entry_free(e);
			if (write(fds[1], line, strlen(line)) !=
			    (ssize_t)strlen(line))
				_exit(4);
		}
		outbox_close(ob);
		_exit(0);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < T_RACE_ENTRIES; i++)
			if (strcmp(line, ids[i]) == 0)
				got[i]++;
	}
	fclose(in);
	for (k = 0; k < T_RACERS; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	for (i = 0; i < T_RACE_ENTRIES; i++)
		if (got[i] != 1)
			fail_msg("%s claimed %d times", ids[i], got[i]);
}

static void
test_stale_dead_owner(void **state)
{
	struct fixture	*f = *state;

	put(f->ob, "a", T_H1, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, dead_pid(), T_NOW), "a");
	/* Its owner is gone: the next claim takes it back, well before the
	 * lease ends. */
	assert_string_equal(claim(f->ob, NULL, NULL, getpid(), T_NOW + 1),
	    "a");
	assert_int_equal(state_of(f->ob, "a", NULL, NULL), OUTBOX_SENDING);
}

static void
test_stale_lease(void **state)
{
	struct fixture	*f = *state;
	pid_t		 me = getpid();

	put(f->ob, "a", T_H1, 0);
	/* A live owner (this process) keeps its claim for the lease... */
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "a");
	assert_null(claim(f->ob, NULL, NULL, me, T_NOW + T_LEASE - 1));
	/* ...and not after. */
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW + T_LEASE + 1),
	    "a");
}

static void
test_fail_retry_drop(void **state)
{
	struct fixture	*f = *state;
	pid_t		 me = getpid();
	char		*cause = NULL, *error = NULL;

	put(f->ob, "a", T_H1, 0);
	put(f->ob, "b", T_H1, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "a");
	assert_int_equal(outbox_fail(f->ob, "a", "locked: period 2022-H1 is "
	    "locked", &cause), 0);
	assert_int_equal(state_of(f->ob, "a", NULL, &error), OUTBOX_FAILED);
	assert_string_equal(error, "locked: period 2022-H1 is locked");
	free(error);
	/* A failed entry is not sent, and does not hold back the next. */
	assert_string_equal(claim(f->ob, NULL, NULL, me, T_NOW), "b");
	assert_null(claim(f->ob, NULL, NULL, me, T_NOW));

	/* Being sent by a live process: not dropped. */
	assert_int_equal(outbox_drop(f->ob, "b", T_NOW, &cause), 2);
	assert_int_equal(outbox_retry(f->ob, "b", &cause), 1);
	assert_int_equal(outbox_retry(f->ob, "a", &cause), 0);
	assert_int_equal(state_of(f->ob, "a", NULL, NULL), OUTBOX_WAITING);
	assert_int_equal(outbox_drop(f->ob, "a", T_NOW, &cause), 0);
	assert_int_equal(outbox_drop(f->ob, "a", T_NOW, &cause), 1);
	assert_int_equal(count(f->ob), 1);

	/* Queueing a failed report again makes it wait again. */
	assert_int_equal(outbox_fail(f->ob, "b", "x", &cause), 0);
	assert_int_equal(put(f->ob, "b", T_H1, 0), OUTBOX_PUT_REQUEUED);
	assert_int_equal(state_of(f->ob, "b", NULL, NULL), OUTBOX_WAITING);
}

static void
proof(struct outbox_proof *p, const char *receipt, const char *id,
    const char *period, uint32_t revision)
{
	static const uint8_t	bytes[] = "the canonical bytes";

	memset(p, 0, sizeof(*p));
	p->receipt = receipt;
	p->submission_id = id;
	p->unit = T_UNIT;
	p->period = period;
	p->revision = revision;
	p->received_at = "2026-11-29T03:10:11Z";
	p->late = 1;
	p->server = "gp.example:7443";
	p->stored_at = T_NOW;
	p->content_hash = T_HASH;
	p->report = bytes;
	p->len = sizeof(bytes);
}

static void
test_receipts(void **state)
{
	struct fixture		 *f = *state;
	struct outbox_proof	  p;
	struct outbox_receipt	**v, *r = NULL;
	size_t			  n;
	char			 *cause = NULL;

	put(f->ob, "a", T_H1, 0);
	put(f->ob, "b", T_YEAR, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, getpid(), T_NOW), "a");
	proof(&p, "r-a", "a", T_H1, 1);
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	assert_int_equal(count(f->ob), 1);
	/* A duplicate answer brings the same receipt: kept once. */
	p.duplicate = 1;
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	proof(&p, "r-b", "b", T_YEAR, 1);
	p.report_sha256 = T_HASH;
	p.signature = (const uint8_t *)"\x30\x45sig";
	p.signature_len = 5;
	p.certificate = (const uint8_t *)"\x30\x82" "der";
	p.certificate_len = 5;
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	assert_int_equal(count(f->ob), 0);

	assert_int_equal(outbox_receipts(f->ob, NULL, NULL, &v, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->receipt, "r-a");
	assert_int_equal(v[0]->duplicate, 0);
	assert_int_equal(v[0]->late, 1);
	assert_string_equal(v[0]->server, "gp.example:7443");
	assert_string_equal(v[0]->content_hash, T_HASH);
	/* Not signed: no signature kept. */
	assert_null(v[0]->signature);
	assert_null(v[0]->report_sha256);
	assert_non_null(v[1]->signature);
	outbox_receipts_free(v, n);

	assert_int_equal(outbox_receipts(f->ob, T_UNIT, T_YEAR, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->submission_id, "b");
	outbox_receipts_free(v, n);
	assert_int_equal(outbox_receipts(f->ob, "lc-sinho", NULL, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	outbox_receipts_free(v, n);

	assert_int_equal(outbox_receipt_of(f->ob, "b", &r, &cause), 0);
	assert_non_null(r);
	assert_string_equal(r->receipt, "r-b");
	assert_int_equal(r->len, sizeof("the canonical bytes"));
	assert_memory_equal(r->report, "the canonical bytes", r->len);
	assert_string_equal(r->report_sha256, T_HASH);
	assert_int_equal(r->signature_len, 5);
	assert_memory_equal(r->signature, "\x30\x45sig", 5);
	assert_int_equal(r->certificate_len, 5);
	assert_memory_equal(r->certificate, "\x30\x82" "der", 5);
	outbox_receipt_free(r);
	assert_int_equal(outbox_receipt_of(f->ob, "none", &r, &cause), 0);
	assert_null(r);
}

/*
 * Issue 16: a receipt is named by its id, by the submission id it
 * answered, or by its first 8 digits or more when they name it alone.
 */
static void
test_receipt_prefix(void **state)
{
	struct fixture		*f = *state;
	struct outbox_proof	 p;
	struct outbox_receipt	*r = NULL;
	char			*cause = NULL;

	proof(&p, "9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d", "s-1", T_H1, 1);
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	proof(&p, "9c1e0f3a77777777777777777777777a", "s-2", T_H1, 2);
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	proof(&p, "0123456789abcdef0123456789abcdef", "s-3", T_YEAR, 1);
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);

	/* Whole names. */
	assert_int_equal(outbox_receipt_get(f->ob,
	    "9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d", &r, &cause), 0);
	assert_non_null(r);
	assert_string_equal(r->submission_id, "s-1");
	outbox_receipt_free(r);
	assert_int_equal(outbox_receipt_get(f->ob, "s-2", &r, &cause), 0);
	assert_non_null(r);
	assert_string_equal(r->receipt, "9c1e0f3a77777777777777777777777a");
	outbox_receipt_free(r);
	/* Eight digits that begin one receipt, and more. */
	assert_int_equal(outbox_receipt_get(f->ob, "01234567", &r, &cause),
	    0);
	assert_non_null(r);
	assert_string_equal(r->submission_id, "s-3");
	outbox_receipt_free(r);
	assert_int_equal(outbox_receipt_get(f->ob, "9c1e0f3a5b", &r, &cause),
	    0);
	assert_non_null(r);
	assert_string_equal(r->submission_id, "s-1");
	outbox_receipt_free(r);
	/* Fewer than eight: not a name. */
	assert_int_equal(outbox_receipt_get(f->ob, "0123456", &r, &cause), 0);
	assert_null(r);
	/* Eight that begin two receipts: said, neither taken. */
	assert_int_equal(outbox_receipt_get(f->ob, "9c1e0f3a", &r, &cause),
	    -1);
	assert_null(r);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "9c1e0f3a"));
	assert_non_null(strstr(cause, "more than one receipt"));
	free(cause);
	cause = NULL;
	assert_int_equal(outbox_receipt_get(f->ob, "ffffffff", &r, &cause), 0);
	assert_null(r);
}

/* A receipt that cannot be kept leaves its entry where it was. */
static void
test_delivered_atomic(void **state)
{
	struct fixture		 *f = *state;
	struct outbox_proof	  p;
	struct outbox_receipt	**v;
	size_t			  n;
	char			 *cause = NULL;

	put(f->ob, "a", T_H1, 0);
	assert_string_equal(claim(f->ob, NULL, NULL, getpid(), T_NOW), "a");
	proof(&p, NULL, "a", T_H1, 1);	/* receipt is NOT NULL */
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(count(f->ob), 1);
	assert_int_equal(state_of(f->ob, "a", NULL, NULL), OUTBOX_SENDING);
	assert_int_equal(outbox_receipts(f->ob, NULL, NULL, &v, &n, &cause),
	    0);
	assert_int_equal(n, 0);
	outbox_receipts_free(v, n);
	/* And the outbox works on after the rollback. */
	proof(&p, "r-a", "a", T_H1, 1);
	assert_int_equal(outbox_delivered(f->ob, &p, &cause), 0);
	assert_int_equal(count(f->ob), 0);
}

/*
 * An outbox made by gp-client before report forms (tests/data/legacy):
 * its waiting reports are packed again for report forms, under the same
 * ids, when it is opened; its receipts keep the bytes they cover.
 */
static void
test_upgrade_legacy(void **state)
{
	struct fixture		*f = *state;
	struct outbox_entry	**v = NULL, *e = NULL;
	struct outbox_receipt	*rc = NULL;
	struct report_errors	 errs = { 0 };
	struct report		*r = NULL;
	const char		*errstr;
	uint8_t			 h[32];
	char			 cmd[512], hex[65], *cause = NULL;
	size_t			 n, i;
	int			 legacy;

	outbox_close(f->ob);
	f->ob = NULL;
	/* The log of the outbox made by setup goes with it. */
	snprintf(cmd, sizeof(cmd), "rm -f '%s-wal' '%s-shm' && "
	    "cp tests/data/legacy/outbox.db '%s'", f->path, f->path, f->path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(f->ob = outbox_open(f->path, 0, &cause));
	assert_int_equal(outbox_list(f->ob, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->id, "5cb1796c-b1ef-86fb-97ea-e0e59731e5da");
	assert_string_equal(v[1]->id, "3b070ce3-b8c8-8716-ba5c-f1f783c0670a");
	for (i = 0; i < n; i++) {
		assert_int_equal(outbox_get(f->ob, v[i]->id, &e, &cause), 0);
		assert_non_null(e);
		assert_int_equal(report_unpack(e->report, e->len, &r, &legacy,
		    &errs, &errstr), 0);
		assert_int_equal(legacy, 0);
		assert_string_equal(r->id, v[i]->id);
		assert_string_equal(r->activities[0].kind, "talk");
		assert_int_equal(report_digest(e->report, e->len, h), 0);
		report_hex(h, sizeof(h), hex);
		assert_string_equal(e->content_hash, hex);
		report_free(r);
		outbox_entry_free(e);
	}
	outbox_entries_free(v, n);

	/* The receipt still covers the bytes it was given for. */
	assert_int_equal(outbox_receipt_get(f->ob,
	    "927ab39d6daf186cb77ea61a3feac01f", &rc, &cause), 0);
	assert_non_null(rc);
	assert_int_equal(report_unpack(rc->report, rc->len, &r, &legacy, &errs,
	    &errstr), 0);
	assert_int_equal(legacy, 1);
	assert_int_equal(report_digest(rc->report, rc->len, h), 0);
	report_hex(h, sizeof(h), hex);
	assert_string_equal(rc->report_sha256, hex);
	report_free(r);
	outbox_receipt_free(rc);

	/* Opened again: nothing more to do. */
	outbox_close(f->ob);
	assert_non_null(f->ob = outbox_open(f->path, 0, &cause));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_private, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_newer_schema, setup,
		    teardown),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test_setup_teardown(test_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attempt_release, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_two_connections, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_racing_processes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale_dead_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale_lease, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fail_retry_drop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_receipt_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_receipts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_legacy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delivered_atomic, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
