/*
 * gp-client's outbox and receipt book in SQLite.
 *
 * Statements live in one table and are prepared once at open. Whatever
 * changes more than one row, or reads before it writes, runs inside
 * BEGIN IMMEDIATE: the write lock is taken first, so two processes never
 * both see an entry as waiting, and the busy timeout makes the second one
 * wait its turn instead of failing.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "i18n.h"
#include "cause.h"
#include "report.h"
#include "outbox.h"

enum outbox_stmt {
	OS_BEGIN,
	OS_COMMIT,
	OS_ROLLBACK,
	OS_RECLAIM,
	OS_FIND,
	OS_INSERT,
	OS_REQUEUE,
	OS_NEXT,
	OS_CLAIM,
	OS_ATTEMPT,
	OS_RELEASE,
	OS_FAIL,
	OS_DELETE,
	OS_RECEIPT_PUT,
	OS_LIST,
	OS_RECEIPTS,
	OS_RECEIPT_OF,
	OS_RECEIPT_GET,
	OS_NSTMTS
};

#define OUTBOX_ENTRY_COLUMNS \
	"seq, id, unit, period, content_hash, first_attempt, " \
	"coalesce(last_attempt, 0), attempts, last_error, state, " \
	"coalesce(owner, 0)"
#define OUTBOX_RECEIPT_COLUMNS \
	"receipt, submission_id, unit, period, revision, received_at, " \
	"duplicate, late, server, stored_at, content_hash, report_sha256, " \
	"signature, certificate"

static const char *const outbox_sql[OS_NSTMTS] = {
	[OS_BEGIN] = "BEGIN IMMEDIATE",
	[OS_COMMIT] = "COMMIT",
	[OS_ROLLBACK] = "ROLLBACK",
	/* ?1 now */
	[OS_RECLAIM] = "UPDATE entries SET state = 'waiting', owner = NULL, "
	    "claimed_at = NULL, lease_until = NULL "
	    "WHERE state = 'sending' AND (lease_until < ?1 "
	    "OR NOT gp_owner_alive(owner))",
	[OS_FIND] = "SELECT " OUTBOX_ENTRY_COLUMNS ", report "
	    "FROM entries WHERE id = ?1",
	[OS_INSERT] = "INSERT INTO entries (id, unit, period, report, "
	    "content_hash, first_attempt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[OS_REQUEUE] = "UPDATE entries SET state = 'waiting' "
	    "WHERE id = ?1 AND state = 'failed'",
	/* ?1 unit, ?2 period: both NULL for any */
	[OS_NEXT] = "SELECT " OUTBOX_ENTRY_COLUMNS ", report FROM entries e "
	    "WHERE state = 'waiting' "
	    "AND (?1 IS NULL OR (unit = ?1 AND period = ?2)) "
	    "AND NOT EXISTS (SELECT 1 FROM entries p WHERE p.unit = e.unit "
	    "AND p.period = e.period AND p.seq < e.seq "
	    "AND p.state IN ('waiting', 'sending')) "
	    "ORDER BY seq LIMIT 1",
	[OS_CLAIM] = "UPDATE entries SET state = 'sending', owner = ?1, "
	    "claimed_at = ?2, lease_until = ?3 "
	    "WHERE seq = ?4 AND state = 'waiting'",
	[OS_ATTEMPT] = "UPDATE entries SET attempts = attempts + 1, "
	    "last_attempt = ?2 WHERE id = ?1",
	[OS_RELEASE] = "UPDATE entries SET state = 'waiting', owner = NULL, "
	    "claimed_at = NULL, lease_until = NULL, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'sending' AND owner = ?2",
	[OS_FAIL] = "UPDATE entries SET state = 'failed', owner = NULL, "
	    "claimed_at = NULL, lease_until = NULL, last_error = ?2 "
	    "WHERE id = ?1",
	[OS_DELETE] = "DELETE FROM entries WHERE id = ?1",
	/* The first receipt stays: a duplicate answer repeats it. Only that
	 * conflict is ignored, never a constraint (OR IGNORE would drop a
	 * row with a NULL and let the entry go without its receipt). */
	[OS_RECEIPT_PUT] = "INSERT INTO receipts (receipt, "
	    "submission_id, unit, period, revision, received_at, duplicate, "
	    "late, server, stored_at, content_hash, report, report_sha256, "
	    "signature, certificate) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15) "
	    "ON CONFLICT (receipt) DO NOTHING",
	[OS_LIST] = "SELECT " OUTBOX_ENTRY_COLUMNS " FROM entries "
	    "ORDER BY seq",
	[OS_RECEIPTS] = "SELECT " OUTBOX_RECEIPT_COLUMNS " FROM receipts "
	    "WHERE (?1 IS NULL OR unit = ?1) AND (?2 IS NULL OR period = ?2) "
	    "ORDER BY stored_at, rowid",
	[OS_RECEIPT_OF] = "SELECT " OUTBOX_RECEIPT_COLUMNS ", report "
	    "FROM receipts WHERE submission_id = ?1 "
	    "ORDER BY stored_at DESC, rowid DESC LIMIT 1",
	/* ?1 a receipt, a submission id, or the first digits of a receipt
	 * (?2 of them at least): whole names first, two rows to tell a
	 * prefix that names two receipts */
	[OS_RECEIPT_GET] = "SELECT " OUTBOX_RECEIPT_COLUMNS ", report "
	    "FROM receipts WHERE receipt = ?1 OR submission_id = ?1 OR "
	    "(length(?1) >= ?2 AND substr(receipt, 1, length(?1)) = ?1) "
	    "ORDER BY receipt = ?1 DESC, submission_id = ?1 DESC, "
	    "stored_at DESC, rowid DESC LIMIT 2"
};

/* Version 1. Times are Unix seconds; hashes SHA-256 in hex. Version 2
 * holds the same tables, every entry's report packed for report forms
 * (outbox_upgrade). */
static const char outbox_schema[] =
	"CREATE TABLE entries ("
	" seq INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" unit TEXT NOT NULL,"
	" period TEXT NOT NULL,"
	" report BLOB NOT NULL,"
	" content_hash TEXT NOT NULL,"
	" first_attempt INTEGER NOT NULL,"
	" last_attempt INTEGER,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT,"
	" state TEXT NOT NULL DEFAULT 'waiting'"
	"  CHECK (state IN ('waiting', 'sending', 'failed')),"
	" owner INTEGER,"
	" claimed_at INTEGER,"
	" lease_until INTEGER);"
	"CREATE INDEX entries_group ON entries (unit, period, seq);"
	"CREATE TABLE receipts ("
	" receipt TEXT NOT NULL PRIMARY KEY,"
	" submission_id TEXT NOT NULL,"
	" unit TEXT NOT NULL,"
	" period TEXT NOT NULL,"
	" revision INTEGER NOT NULL,"
	" received_at TEXT NOT NULL,"
	" duplicate INTEGER NOT NULL,"
	" late INTEGER NOT NULL,"
	" server TEXT NOT NULL,"
	" stored_at INTEGER NOT NULL,"
	" content_hash TEXT NOT NULL,"
	" report BLOB NOT NULL,"
	" report_sha256 TEXT,"
	" signature BLOB,"
	" certificate BLOB);"
	"CREATE INDEX receipts_unit_period ON receipts (unit, period);"
	"CREATE INDEX receipts_submission ON receipts (submission_id);";

struct outbox {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[OS_NSTMTS];
	int		 lazy;		/* synchronous = NORMAL now */
	int		 lazy_wanted;	/* for the next write (outbox_mode) */
};

static const char *const outbox_states[] = {
	[OUTBOX_WAITING] = "waiting",
	[OUTBOX_SENDING] = "sending",
	[OUTBOX_FAILED] = "failed"
};

/* What was being done to the outbox when SQLite failed: one whole
 * sentence each (outbox_sqlerr). */
enum outbox_doing {
	OB_OPEN,
	OB_SET_UP,
	OB_UPGRADE,
	OB_LOCK,
	OB_READ,
	OB_WRITE,
	OB_USE_WAL,
	OB_QUEUE,
	OB_REFUSE,
	OB_REMOVE,
	OB_KEEP_RECEIPT
};

/* A SQLite failure, naming the outbox and what was being done. */
static int
outbox_sqlerr(const struct outbox *ob, enum outbox_doing doing, char **cause)
{
	const char	*path = ob->path, *why = sqlite3_errmsg(ob->db);

	switch (doing) {
	case OB_OPEN:
		return cause_set(cause, _("the outbox %s cannot be opened: %s"),
		    path, why);
	case OB_SET_UP:
		return cause_set(cause, _("the outbox %s cannot be set up: %s"),
		    path, why);
	case OB_UPGRADE:
		return cause_set(cause, _("the outbox %s cannot be upgraded: "
		    "%s"), path, why);
	case OB_LOCK:
		return cause_set(cause, _("the outbox %s cannot be locked: %s"),
		    path, why);
	case OB_READ:
		return cause_set(cause, _("the outbox %s cannot be read: %s"),
		    path, why);
	case OB_USE_WAL:
		return cause_set(cause, _("the outbox %s cannot use WAL: %s"),
		    path, why);
	case OB_QUEUE:
		return cause_set(cause, _("the outbox %s cannot queue the "
		    "report: %s"), path, why);
	case OB_REFUSE:
		return cause_set(cause, _("the outbox %s cannot mark the "
		    "report refused: %s"), path, why);
	case OB_REMOVE:
		return cause_set(cause, _("the outbox %s cannot remove the "
		    "report: %s"), path, why);
	case OB_KEEP_RECEIPT:
		return cause_set(cause, _("the outbox %s cannot keep the "
		    "receipt: %s"), path, why);
	case OB_WRITE:
		break;
	}
	return cause_set(cause, _("the outbox %s cannot be written: %s"), path,
	    why);
}

const char *
outbox_state_name(enum outbox_state s)
{
	if ((size_t)s >= sizeof(outbox_states) / sizeof(outbox_states[0]))
		return "?";
	return outbox_states[s];
}

const char *
outbox_path(const struct outbox *ob)
{
	return ob->path;
}

char *
outbox_default_path(char **cause)
{
	const char	*state, *home;
	struct passwd	*pw;
	char		*path;
	int		 n;

	*cause = NULL;
	/* The XDG base directory specification ignores relative paths. */
	if ((state = getenv("XDG_STATE_HOME")) != NULL && state[0] == '/')
		n = asprintf(&path, "%s/gp/outbox.db", state);
	else {
		if ((home = getenv("HOME")) == NULL || home[0] != '/') {
			if ((pw = getpwuid(getuid())) == NULL ||
			    pw->pw_dir == NULL || pw->pw_dir[0] != '/') {
				cause_set(cause, _("no home directory to keep "
				    "the outbox in: set $HOME or use --outbox "
				    "PATH"));
				return NULL;
			}
			home = pw->pw_dir;
		}
		n = asprintf(&path, "%s/.local/state/gp/outbox.db", home);
	}
	if (n == -1)
		return NULL;
	return path;
}

/* The directory of path as an absolute path (the working directory's
 * for a bare name), malloc'd. */
static char *
outbox_dir_of(const char *path)
{
	const char	*slash;
	char		*cwd, *dir;

	if (path[0] == '/') {
		slash = strrchr(path, '/');
		return slash == path ? strdup("/") :
		    strndup(path, (size_t)(slash - path));
	}
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	slash = strrchr(path, '/');
	if (asprintf(&dir, "%s%s%.*s", cwd, slash != NULL ? "/" : "",
	    slash != NULL ? (int)(slash - path) : 0, path) == -1)
		dir = NULL;
	free(cwd);
	return dir;
}

int
outbox_check_dirs(const char *path, char **cause)
{
	struct stat	 sb;
	char		*dir, *slash;
	int		 first = 1, own = 1, rv = 0;
	unsigned int	 mode;

	*cause = NULL;
	if ((dir = outbox_dir_of(path)) == NULL)
		return -1;
	for (;; first = 0) {
		if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			mode = (unsigned int)(sb.st_mode & 07777);
			if (own && first && (sb.st_mode & S_IWOTH)) {
				rv = cause_set(cause, _("the outbox directory "
				    "%s can be written by every user of this "
				    "computer (mode %04o), who could change "
				    "the outbox: run 'chmod 700 %s', or give "
				    "the outbox a private place with --outbox "
				    "PATH"), dir, mode, dir);
				break;
			}
			if (own && (sb.st_mode & S_IWOTH)) {
				rv = cause_set(cause, _("the directory %s, "
				    "where the outbox %s would be made, can be "
				    "written by every user of this computer "
				    "(mode %04o), who could make it theirs: "
				    "give the outbox a private place with "
				    "--outbox PATH"), dir, path, mode);
				break;
			}
			if (sb.st_mode & S_IWOTH && !(sb.st_mode & S_ISVTX)) {
				rv = cause_set(cause, _("the directory %s, "
				    "above the outbox %s, can be written by "
				    "every user of this computer (mode %04o), "
				    "who could replace the outbox: run 'chmod "
				    "o-w %s', or give the outbox a private "
				    "place with --outbox PATH"), dir, path,
				    mode, dir);
				break;
			}
			own = 0;
		}
		if ((slash = strrchr(dir, '/')) == NULL || dir[1] == '\0')
			break;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(dir);
	return rv;
}

/*
 * Syncs the directory holding dir, which was just made: until then a power
 * cut may take the new directory away, and the outbox made in it with
 * every report queued there. A file system that cannot sync a directory
 * (EINVAL) has nothing more to give.
 */
static int
outbox_sync_parent(char *dir)
{
	char	*slash;
	int	 fd, rv, saved;

	if ((slash = strrchr(dir, '/')) == NULL)
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else if (slash == dir)
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else {
		*slash = '\0';
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		*slash = '/';
	}
	if (fd == -1)
		return -1;
	rv = fsync(fd);
	saved = errno;
	close(fd);
	if (rv == -1 && saved != EINVAL) {
		errno = saved;
		return -1;
	}
	return 0;
}

/* Creates the missing directories above path, mode 0700, each durable
 * (outbox.h). */
int
outbox_mkdirs(const char *path, char **cause)
{
	char	*dir, *p;
	int	 saved;

	if ((dir = strdup(path)) == NULL)
		return -1;
	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			saved = *p;
			*p = '\0';
			if (mkdir(dir, 0700) == 0) {
				if (outbox_sync_parent(dir) == -1) {
					cause_set(cause, _("cannot sync the "
					    "directory above %s: %s; use "
					    "--outbox PATH"), dir,
					    strerror(errno));
					free(dir);
					return -1;
				}
			} else if (errno != EEXIST) {
				cause_set(cause, _("cannot create the outbox "
				    "directory %s: %s; use --outbox PATH"), dir,
				    strerror(errno));
				free(dir);
				return -1;
			}
			*p = (char)saved;
		}
		if (*p == '\0')
			break;
	}
	free(dir);
	return 0;
}

/*
 * gp_owner_alive(pid) in SQL: 1 while a process with that id exists (one
 * that is not ours to signal counts), 0 once it is gone.
 */
static void
outbox_owner_alive(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_int64	pid;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	pid = sqlite3_value_int64(argv[0]);
	if (pid <= 0 || pid > INT32_MAX) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/*
 * Reports queued by a gp-client from before report forms are packed again
 * for the schema of forms (report.h: decoded with the 2022 numbers),
 * under the same submission id: delivered, they are the report sent then,
 * and a server that stored it already answers with its receipt. Bytes
 * that do not decode are left for the server to refuse.
 */
static int
outbox_upgrade(struct outbox *ob, char **cause)
{
	sqlite3_stmt		*sel = NULL, *upd = NULL;
	struct report_errors	*errs = NULL;
	struct report		*r;
	const char		*errstr;
	uint8_t			*bytes, h[32];
	char			 hex[65];
	size_t			 len;
	int			 legacy, rc;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return cause_set(cause, _("out of memory"));
	if (sqlite3_prepare_v2(ob->db, "SELECT seq, report FROM entries",
	    -1, &sel, NULL) != SQLITE_OK || sqlite3_prepare_v2(ob->db,
	    "UPDATE entries SET report = ?1, content_hash = ?2 WHERE seq = ?3",
	    -1, &upd, NULL) != SQLITE_OK) {
		outbox_sqlerr(ob, OB_UPGRADE, cause);
		goto fail;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		report_errors_clear(errs);
		if (report_unpack(sqlite3_column_blob(sel, 1),
		    (size_t)sqlite3_column_bytes(sel, 1), &r, &legacy, errs,
		    &errstr) == -1)
			continue;
		if (!legacy) {
			report_free(r);
			continue;
		}
		rc = report_pack(r, &bytes, &len);
		report_free(r);
		if (rc == -1 || report_digest(bytes, len, h) == -1) {
			free(bytes);
			cause_set(cause, _("out of memory"));
			goto fail;
		}
		report_hex(h, sizeof(h), hex);
		sqlite3_bind_blob(upd, 1, bytes, (int)len, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(upd, 3, sqlite3_column_int64(sel, 0));
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		free(bytes);
		if (rc != SQLITE_DONE) {
			outbox_sqlerr(ob, OB_UPGRADE, cause);
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		outbox_sqlerr(ob, OB_UPGRADE, cause);
		goto fail;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	free(errs);
	return 0;
fail:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	free(errs);
	return -1;
}

static int
outbox_migrate(struct outbox *ob, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 version, rc;

	if (sqlite3_exec(ob->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return outbox_sqlerr(ob, OB_LOCK, cause);
	if (sqlite3_prepare_v2(ob->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		outbox_sqlerr(ob, OB_READ, cause);
		goto fail;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > OUTBOX_SCHEMA_VERSION) {
		cause_set(cause, _("the outbox %s was made by a newer "
		    "gp-client (schema %d): use that version, or --outbox "
		    "PATH"),
		    ob->path, version);
		goto fail;
	}
	if (version == 0 && sqlite3_exec(ob->db, outbox_schema, NULL, NULL,
	    NULL) != SQLITE_OK) {
		outbox_sqlerr(ob, OB_SET_UP, cause);
		goto fail;
	}
	if (version == 1 && outbox_upgrade(ob, cause) == -1)
		goto fail;
	if (version < OUTBOX_SCHEMA_VERSION && sqlite3_exec(ob->db,
	    "PRAGMA user_version = " OUTBOX_SCHEMA_STRING, NULL, NULL,
	    NULL) != SQLITE_OK) {
		outbox_sqlerr(ob, OB_SET_UP, cause);
		goto fail;
	}
	if ((rc = sqlite3_exec(ob->db, "COMMIT", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		outbox_sqlerr(ob, OB_SET_UP, cause);
		goto fail;
	}
	return 0;

fail:
	sqlite3_finalize(st);
	sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Settings of the connection, each checked. */
static int
outbox_pragmas(struct outbox *ob, char **cause)
{
	sqlite3_stmt	*st = NULL;
	const char	*mode;

	if (sqlite3_prepare_v2(ob->db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return outbox_sqlerr(ob, OB_USE_WAL, cause);
	}
	mode = (const char *)sqlite3_column_text(st, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		sqlite3_finalize(st);
		return cause_set(cause, _("the outbox %s cannot use WAL "
		    "(journal mode %s): put it on a local file system with "
		    "--outbox PATH"), ob->path, mode != NULL ? mode : "?");
	}
	sqlite3_finalize(st);
	if (sqlite3_exec(ob->db, "PRAGMA synchronous = FULL; "
	    "PRAGMA wal_autocheckpoint = 256", NULL, NULL, NULL) != SQLITE_OK)
		return outbox_sqlerr(ob, OB_SET_UP, cause);
	return 0;
}

struct outbox *
outbox_open(const char *path, int create, char **cause)
{
	struct outbox	*ob;
	struct stat	 sb;
	int		 fd, flags, persist;

	*cause = NULL;
	if (!create && stat(path, &sb) == -1) {
		if (errno != ENOENT)
			cause_set(cause, _("cannot read the outbox %s: %s"),
			    path, strerror(errno));
		return NULL;
	}
	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		return NULL;
	if ((ob->path = strdup(path)) == NULL)
		goto fail;
	flags = SQLITE_OPEN_READWRITE;
	if (create) {
		if (outbox_mkdirs(path, cause) == -1)
			goto fail;
		/* Made here so that SQLite, which gives its -wal and -shm
		 * files the database's mode, makes them private too. */
		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
		    0600)) == -1) {
			cause_set(cause, _("cannot open the outbox %s: %s; "
			    "use --outbox PATH"), path, strerror(errno));
			goto fail;
		}
		close(fd);
		flags |= SQLITE_OPEN_CREATE;
	}
	if (sqlite3_open_v2(path, &ob->db, flags, NULL) != SQLITE_OK) {
		if (ob->db == NULL)
			goto fail;
		outbox_sqlerr(ob, OB_OPEN, cause);
		goto fail;
	}
	sqlite3_extended_result_codes(ob->db, 1);
	/* Each gp-client run is short: the log is kept between runs and
	 * checkpointed as it fills, rather than synced into the database
	 * and removed at every exit. The next run reads it back to index
	 * it: outbox_pragmas keeps it under 1 MiB. */
	persist = 1;
	if (sqlite3_file_control(ob->db, "main", SQLITE_FCNTL_PERSIST_WAL,
	    &persist) != SQLITE_OK || sqlite3_db_config(ob->db,
	    SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK) {
		outbox_sqlerr(ob, OB_SET_UP, cause);
		goto fail;
	}
	if (sqlite3_busy_timeout(ob->db, OUTBOX_BUSY_MS) != SQLITE_OK ||
	    sqlite3_create_function(ob->db, "gp_owner_alive", 1, SQLITE_UTF8,
	    NULL, outbox_owner_alive, NULL, NULL) != SQLITE_OK) {
		outbox_sqlerr(ob, OB_SET_UP, cause);
		goto fail;
	}
	if (outbox_pragmas(ob, cause) == -1 || outbox_migrate(ob, cause) == -1)
		goto fail;
	return ob;

fail:
	outbox_close(ob);
	return NULL;
}

void
outbox_close(struct outbox *ob)
{
	size_t	i;

	if (ob == NULL)
		return;
	for (i = 0; i < OS_NSTMTS; i++)
		sqlite3_finalize(ob->stmt[i]);
	sqlite3_close(ob->db);
	free(ob->path);
	free(ob);
}

/*
 * The statement, reset and with its bindings cleared; prepared on first
 * use, since one run needs only a few of them. NULL when it cannot be:
 * SQLite then refuses every call on it, and sqlite3_errmsg() still says
 * why it could not be prepared.
 */
static sqlite3_stmt *
outbox_stmt(struct outbox *ob, enum outbox_stmt id)
{
	if (ob->stmt[id] == NULL) {
		/* On failure SQLite leaves the statement NULL. */
		sqlite3_prepare_v3(ob->db, outbox_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &ob->stmt[id], NULL);
		return ob->stmt[id];
	}
	sqlite3_reset(ob->stmt[id]);
	sqlite3_clear_bindings(ob->stmt[id]);
	return ob->stmt[id];
}

static int
outbox_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, col);
	return sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

/*
 * Claims and attempt counts are bookkeeping: a claim lost to a power cut
 * is taken back like a stale one, an attempt goes uncounted. They commit
 * without waiting for the disk (synchronous=NORMAL); the next commit that
 * matters (a queued report, a receipt, an outcome) is FULL, and its sync
 * of the log makes every earlier commit durable with it. Every write
 * outside a transaction first sets the level it needs here, and does not
 * happen when it cannot be set: nothing durable commits lazily.
 */
static int
outbox_mode(struct outbox *ob, char **cause)
{
	if (ob->lazy == ob->lazy_wanted)
		return 0;
	if (sqlite3_exec(ob->db, ob->lazy_wanted ?
	    "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL", NULL,
	    NULL, NULL) != SQLITE_OK)
		return outbox_sqlerr(ob, OB_SET_UP, cause);
	ob->lazy = ob->lazy_wanted;
	return 0;
}

/* Runs a statement that returns no rows. */
static int
outbox_done(struct outbox *ob, sqlite3_stmt *st, enum outbox_doing what,
    char **cause)
{
	int	rc;

	if (sqlite3_get_autocommit(ob->db) && outbox_mode(ob, cause) == -1) {
		sqlite3_reset(st);
		return -1;
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return outbox_sqlerr(ob, what, cause);
	return 0;
}

/* After a failure inside a transaction; a no-op outside of one. */
static void
outbox_rollback(struct outbox *ob)
{
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < OS_NSTMTS; i++)
		sqlite3_reset(ob->stmt[i]);
	if (!sqlite3_get_autocommit(ob->db)) {
		st = outbox_stmt(ob, OS_ROLLBACK);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
}

static int
outbox_begin(struct outbox *ob, char **cause)
{
	return outbox_done(ob, outbox_stmt(ob, OS_BEGIN), OB_LOCK, cause);
}

static int
outbox_commit(struct outbox *ob, char **cause)
{
	if (outbox_done(ob, outbox_stmt(ob, OS_COMMIT), OB_WRITE,
	    cause) == -1) {
		outbox_rollback(ob);
		return -1;
	}
	return 0;
}

/* A text column, copied; *ok cleared when the copy fails. */
static char *
outbox_col_text(sqlite3_stmt *st, int col, int *ok)
{
	const unsigned char	*s;
	char			*copy;

	if ((s = sqlite3_column_text(st, col)) == NULL)
		return NULL;
	if ((copy = strdup((const char *)s)) == NULL)
		*ok = 0;
	return copy;
}

static uint8_t *
outbox_col_blob(sqlite3_stmt *st, int col, size_t *len, int *ok)
{
	const void	*b;
	uint8_t		*copy;
	int		 n;

	b = sqlite3_column_blob(st, col);
	n = sqlite3_column_bytes(st, col);
	*len = n > 0 ? (size_t)n : 0;
	if ((copy = malloc(*len > 0 ? *len : 1)) == NULL) {
		*ok = 0;
		return NULL;
	}
	if (*len > 0)
		memcpy(copy, b, *len);
	return copy;
}

static enum outbox_state
outbox_state_of(const char *s)
{
	if (s != NULL && strcmp(s, "sending") == 0)
		return OUTBOX_SENDING;
	if (s != NULL && strcmp(s, "failed") == 0)
		return OUTBOX_FAILED;
	return OUTBOX_WAITING;
}

/* An entry from a row of OUTBOX_ENTRY_COLUMNS, then the report when
 * with_report. NULL when out of memory. */
static struct outbox_entry *
outbox_entry_row(sqlite3_stmt *st, int with_report)
{
	struct outbox_entry	*e;
	int			 ok = 1;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->seq = sqlite3_column_int64(st, 0);
	e->id = outbox_col_text(st, 1, &ok);
	e->unit = outbox_col_text(st, 2, &ok);
	e->period = outbox_col_text(st, 3, &ok);
	e->content_hash = outbox_col_text(st, 4, &ok);
	e->first_attempt = sqlite3_column_int64(st, 5);
	e->last_attempt = sqlite3_column_int64(st, 6);
	e->attempts = sqlite3_column_int64(st, 7);
	e->last_error = outbox_col_text(st, 8, &ok);
	e->state = outbox_state_of((const char *)sqlite3_column_text(st, 9));
	e->owner = (pid_t)sqlite3_column_int64(st, 10);
	if (with_report)
		e->report = outbox_col_blob(st, 11, &e->len, &ok);
	if (!ok || e->id == NULL || e->unit == NULL || e->period == NULL) {
		outbox_entry_free(e);
		return NULL;
	}
	return e;
}

static struct outbox_receipt *
outbox_receipt_row(sqlite3_stmt *st, int with_report)
{
	struct outbox_receipt	*r;
	int			 ok = 1;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->receipt = outbox_col_text(st, 0, &ok);
	r->submission_id = outbox_col_text(st, 1, &ok);
	r->unit = outbox_col_text(st, 2, &ok);
	r->period = outbox_col_text(st, 3, &ok);
	r->revision = (uint32_t)sqlite3_column_int64(st, 4);
	r->received_at = outbox_col_text(st, 5, &ok);
	r->duplicate = sqlite3_column_int(st, 6) != 0;
	r->late = sqlite3_column_int(st, 7) != 0;
	r->server = outbox_col_text(st, 8, &ok);
	r->stored_at = sqlite3_column_int64(st, 9);
	r->content_hash = outbox_col_text(st, 10, &ok);
	r->report_sha256 = outbox_col_text(st, 11, &ok);
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		r->signature = outbox_col_blob(st, 12, &r->signature_len, &ok);
	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		r->certificate = outbox_col_blob(st, 13, &r->certificate_len,
		    &ok);
	if (with_report)
		r->report = outbox_col_blob(st, 14, &r->len, &ok);
	if (!ok || r->receipt == NULL || r->submission_id == NULL ||
	    r->unit == NULL || r->period == NULL || r->received_at == NULL ||
	    r->server == NULL || r->content_hash == NULL) {
		outbox_receipt_free(r);
		return NULL;
	}
	return r;
}

static int
outbox_reclaim(struct outbox *ob, int64_t now, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_RECLAIM);

	sqlite3_bind_int64(st, 1, now);
	return outbox_done(ob, st, OB_WRITE, cause);
}

/* The entry with id, with its report, inside a transaction. Returns 0
 * with *out (NULL when absent), -1 on error. */
static int
outbox_find(struct outbox *ob, const char *id, struct outbox_entry **out,
    char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_FIND);
	int		 rc;

	*out = NULL;
	outbox_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return outbox_sqlerr(ob, OB_READ, cause);
	}
	*out = outbox_entry_row(st, 1);
	sqlite3_reset(st);
	if (*out == NULL)
		return cause_set(cause, _("out of memory"));
	return 0;
}

int
outbox_put(struct outbox *ob, const struct outbox_item *e, int64_t now,
    enum outbox_put_result *result, pid_t *owner, char **cause)
{
	struct outbox_entry	*old = NULL;
	sqlite3_stmt		*st;

	*cause = NULL;
	*owner = 0;
	if (e->len > INT32_MAX)
		return cause_set(cause, _("the report is too large to queue"));
	if (outbox_begin(ob, cause) == -1)
		return -1;
	if (outbox_reclaim(ob, now, cause) == -1 ||
	    outbox_find(ob, e->id, &old, cause) == -1)
		goto fail;

	if (old == NULL) {
		st = outbox_stmt(ob, OS_INSERT);
		outbox_bind_text(st, 1, e->id);
		outbox_bind_text(st, 2, e->unit);
		outbox_bind_text(st, 3, e->period);
		sqlite3_bind_blob(st, 4, e->report, (int)e->len, SQLITE_STATIC);
		outbox_bind_text(st, 5, e->content_hash);
		sqlite3_bind_int64(st, 6, now);
		if (outbox_done(ob, st, OB_QUEUE, cause) == -1)
			goto fail;
		*result = OUTBOX_PUT_NEW;
	} else if (old->len != e->len ||
	    memcmp(old->report, e->report, e->len) != 0)
		*result = OUTBOX_PUT_CONFLICT;
	else if (old->state == OUTBOX_FAILED) {
		st = outbox_stmt(ob, OS_REQUEUE);
		outbox_bind_text(st, 1, e->id);
		if (outbox_done(ob, st, OB_QUEUE, cause) == -1)
			goto fail;
		*result = OUTBOX_PUT_REQUEUED;
	} else if (old->state == OUTBOX_SENDING) {
		*owner = old->owner;
		*result = OUTBOX_PUT_SENDING;
	} else
		*result = OUTBOX_PUT_WAITING;

	outbox_entry_free(old);
	return outbox_commit(ob, cause);

fail:
	outbox_entry_free(old);
	outbox_rollback(ob);
	return -1;
}

static int
outbox_claim_next(struct outbox *ob, const char *unit, const char *period,
    pid_t owner, int64_t now, int64_t lease, struct outbox_entry **out,
    char **cause)
{
	struct outbox_entry	*e = NULL;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	*cause = NULL;
	if (outbox_begin(ob, cause) == -1)
		return -1;
	if (outbox_reclaim(ob, now, cause) == -1)
		goto fail;

	st = outbox_stmt(ob, OS_NEXT);
	outbox_bind_text(st, 1, unit);
	outbox_bind_text(st, 2, period);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return outbox_commit(ob, cause);
	}
	if (rc != SQLITE_ROW) {
		outbox_sqlerr(ob, OB_READ, cause);
		goto fail;
	}
	if ((e = outbox_entry_row(st, 1)) == NULL) {
		cause_set(cause, _("out of memory"));
		goto fail;
	}
	sqlite3_reset(st);

	st = outbox_stmt(ob, OS_CLAIM);
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now + lease);
	sqlite3_bind_int64(st, 4, e->seq);
	if (outbox_done(ob, st, OB_WRITE, cause) == -1)
		goto fail;
	if (sqlite3_changes(ob->db) != 1) {
		cause_set(cause, _("the outbox %s changed under a write "
		    "lock"),
		    ob->path);
		goto fail;
	}
	if (outbox_commit(ob, cause) == -1)
		goto fail;
	e->state = OUTBOX_SENDING;
	e->owner = owner;
	*out = e;
	return 0;

fail:
	outbox_entry_free(e);
	outbox_rollback(ob);
	return -1;
}

int
outbox_claim(struct outbox *ob, const char *unit, const char *period,
    pid_t owner, int64_t now, int64_t lease, struct outbox_entry **out,
    char **cause)
{
	int	rv;

	ob->lazy_wanted = 1;
	rv = outbox_claim_next(ob, unit, period, owner, now, lease, out,
	    cause);
	ob->lazy_wanted = 0;
	return rv;
}

int
outbox_attempt(struct outbox *ob, const char *id, int64_t now, char **cause)
{
	sqlite3_stmt	*st;
	int		 rv;

	*cause = NULL;
	ob->lazy_wanted = 1;
	st = outbox_stmt(ob, OS_ATTEMPT);
	outbox_bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	rv = outbox_done(ob, st, OB_WRITE, cause);
	ob->lazy_wanted = 0;
	return rv;
}

int
outbox_release(struct outbox *ob, const char *id, pid_t owner,
    const char *error, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_RELEASE);

	*cause = NULL;
	outbox_bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, owner);
	outbox_bind_text(st, 3, error);
	return outbox_done(ob, st, OB_WRITE, cause);
}

int
outbox_fail(struct outbox *ob, const char *id, const char *error,
    char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_FAIL);

	*cause = NULL;
	outbox_bind_text(st, 1, id);
	outbox_bind_text(st, 2, error);
	return outbox_done(ob, st, OB_REFUSE, cause);
}

int
outbox_remove(struct outbox *ob, const char *id, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_DELETE);

	*cause = NULL;
	outbox_bind_text(st, 1, id);
	return outbox_done(ob, st, OB_REMOVE, cause);
}

int
outbox_delivered(struct outbox *ob, const struct outbox_proof *r,
    char **cause)
{
	sqlite3_stmt	*st;

	*cause = NULL;
	if (r->len > INT32_MAX || r->signature_len > INT32_MAX ||
	    r->certificate_len > INT32_MAX)
		return cause_set(cause, _("the report is too large to keep"));
	if (outbox_begin(ob, cause) == -1)
		return -1;
	st = outbox_stmt(ob, OS_RECEIPT_PUT);
	outbox_bind_text(st, 1, r->receipt);
	outbox_bind_text(st, 2, r->submission_id);
	outbox_bind_text(st, 3, r->unit);
	outbox_bind_text(st, 4, r->period);
	sqlite3_bind_int64(st, 5, r->revision);
	outbox_bind_text(st, 6, r->received_at);
	sqlite3_bind_int(st, 7, r->duplicate != 0);
	sqlite3_bind_int(st, 8, r->late != 0);
	outbox_bind_text(st, 9, r->server);
	sqlite3_bind_int64(st, 10, r->stored_at);
	outbox_bind_text(st, 11, r->content_hash);
	sqlite3_bind_blob(st, 12, r->report != NULL ? r->report :
	    (const void *)"", (int)r->len, SQLITE_STATIC);
	outbox_bind_text(st, 13, r->report_sha256);
	if (r->signature != NULL)
		sqlite3_bind_blob(st, 14, r->signature, (int)r->signature_len,
		    SQLITE_STATIC);
	if (r->certificate != NULL)
		sqlite3_bind_blob(st, 15, r->certificate,
		    (int)r->certificate_len, SQLITE_STATIC);
	if (outbox_done(ob, st, OB_KEEP_RECEIPT, cause) == -1)
		goto fail;
	st = outbox_stmt(ob, OS_DELETE);
	outbox_bind_text(st, 1, r->submission_id);
	if (outbox_done(ob, st, OB_REMOVE, cause) == -1)
		goto fail;
	return outbox_commit(ob, cause);

fail:
	outbox_rollback(ob);
	return -1;
}

int
outbox_drop(struct outbox *ob, const char *id, int64_t now, char **cause)
{
	struct outbox_entry	*e = NULL;
	int			 ret;

	*cause = NULL;
	if (outbox_begin(ob, cause) == -1)
		return -1;
	if (outbox_reclaim(ob, now, cause) == -1 ||
	    outbox_find(ob, id, &e, cause) == -1)
		goto fail;
	if (e == NULL)
		ret = 1;
	else if (e->state == OUTBOX_SENDING)
		ret = 2;
	else {
		if (outbox_remove(ob, id, cause) == -1)
			goto fail;
		ret = 0;
	}
	outbox_entry_free(e);
	if (outbox_commit(ob, cause) == -1)
		return -1;
	return ret;

fail:
	outbox_entry_free(e);
	outbox_rollback(ob);
	return -1;
}

int
outbox_retry(struct outbox *ob, const char *id, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_REQUEUE);

	*cause = NULL;
	outbox_bind_text(st, 1, id);
	if (outbox_done(ob, st, OB_QUEUE, cause) == -1)
		return -1;
	return sqlite3_changes(ob->db) == 1 ? 0 : 1;
}

int
outbox_get(struct outbox *ob, const char *id, struct outbox_entry **out,
    char **cause)
{
	*cause = NULL;
	return outbox_find(ob, id, out, cause);
}

int
outbox_list(struct outbox *ob, struct outbox_entry ***out, size_t *n,
    char **cause)
{
	sqlite3_stmt		 *st = outbox_stmt(ob, OS_LIST);
	struct outbox_entry	**v = NULL, **nv, *e;
	size_t			  cap = 0;
	int			  rc;

	*cause = NULL;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((e = outbox_entry_row(st, 0)) == NULL)
			goto nomem;
		v[(*n)++] = e;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		outbox_entries_free(v, *n);
		*n = 0;
		return outbox_sqlerr(ob, OB_READ, cause);
	}
	*out = v;
	return 0;

nomem:
	sqlite3_reset(st);
	outbox_entries_free(v, *n);
	*n = 0;
	return cause_set(cause, _("out of memory"));
}

int
outbox_receipts(struct outbox *ob, const char *unit, const char *period,
    struct outbox_receipt ***out, size_t *n, char **cause)
{
	sqlite3_stmt		   *st = outbox_stmt(ob, OS_RECEIPTS);
	struct outbox_receipt	  **v = NULL, **nv, *r;
	size_t			    cap = 0;
	int			    rc;

	*cause = NULL;
	*out = NULL;
	*n = 0;
	outbox_bind_text(st, 1, unit);
	outbox_bind_text(st, 2, period);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((r = outbox_receipt_row(st, 0)) == NULL)
			goto nomem;
		v[(*n)++] = r;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		outbox_receipts_free(v, *n);
		*n = 0;
		return outbox_sqlerr(ob, OB_READ, cause);
	}
	*out = v;
	return 0;

nomem:
	sqlite3_reset(st);
	outbox_receipts_free(v, *n);
	*n = 0;
	return cause_set(cause, _("out of memory"));
}

/* The one receipt statement id finds for key, with its report. */
static int
outbox_receipt_one(struct outbox *ob, enum outbox_stmt id, const char *key,
    struct outbox_receipt **out, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, id);
	int		 rc;

	*cause = NULL;
	*out = NULL;
	outbox_bind_text(st, 1, key);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return outbox_sqlerr(ob, OB_READ, cause);
	}
	*out = outbox_receipt_row(st, 1);
	sqlite3_reset(st);
	if (*out == NULL)
		return cause_set(cause, _("out of memory"));
	return 0;
}

int
outbox_receipt_of(struct outbox *ob, const char *submission_id,
    struct outbox_receipt **out, char **cause)
{
	return outbox_receipt_one(ob, OS_RECEIPT_OF, submission_id, out,
	    cause);
}

int
outbox_receipt_get(struct outbox *ob, const char *id,
    struct outbox_receipt **out, char **cause)
{
	sqlite3_stmt	*st = outbox_stmt(ob, OS_RECEIPT_GET);
	const char	*other;
	int		 rc, whole;

	*cause = NULL;
	*out = NULL;
	outbox_bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, OUTBOX_RECEIPT_PREFIX);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return outbox_sqlerr(ob, OB_READ, cause);
	}
	if ((*out = outbox_receipt_row(st, 1)) == NULL) {
		sqlite3_reset(st);
		return cause_set(cause, _("out of memory"));
	}
	whole = strcmp((*out)->receipt, id) == 0 ||
	    strcmp((*out)->submission_id, id) == 0;
	/* The first digits of two receipts name neither. */
	if (!whole && sqlite3_step(st) == SQLITE_ROW &&
	    (other = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strcmp(other, (*out)->receipt) != 0) {
		sqlite3_reset(st);
		outbox_receipt_free(*out);
		*out = NULL;
		return cause_set(cause, _("%s is the beginning of more than "
		    "one receipt: give more of its digits (see 'gp-client "
		    "receipts')"), id);
	}
	sqlite3_reset(st);
	return 0;
}

void
outbox_entry_free(struct outbox_entry *e)
{
	if (e == NULL)
		return;
	free(e->id);
	free(e->unit);
	free(e->period);
	free(e->report);
	free(e->content_hash);
	free(e->last_error);
	free(e);
}

void
outbox_entries_free(struct outbox_entry **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		outbox_entry_free(v[i]);
	free(v);
}

void
outbox_receipt_free(struct outbox_receipt *r)
{
	if (r == NULL)
		return;
	free(r->receipt);
	free(r->submission_id);
	free(r->unit);
	free(r->period);
	free(r->received_at);
	free(r->server);
	free(r->content_hash);
	free(r->report);
	free(r->report_sha256);
	free(r->signature);
	free(r->certificate);
	free(r);
}

void
outbox_receipts_free(struct outbox_receipt **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		outbox_receipt_free(v[i]);
	free(v);
}
