/*
 * The report store. Every statement gpd runs is in stmts[] below and is
 * prepared once at open; the schema is built by migrations[], one
 * transaction each, and numbered by PRAGMA user_version.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "form.h"
#include "receipt.h"
#include "period.h"
#include "report.h"
#include "store.h"
#include "validate.h"

/* A writer (an admin's sqlite3 shell) may hold the lock this long. */
#define STORE_BUSY_MS	5000
#define STORE_ERR_MAX	512
/* Bytes the WAL file is truncated to after a checkpoint. */
#define STORE_WAL_LIMIT	"16777216"


/* The latest revision of r's (unit, period): totals count only these. */
#define SQL_LATEST							\
	"r.revision = (SELECT MAX(x.revision) FROM reports x "		\
	"WHERE x.unit = r.unit AND x.period = r.period)"

/* The review state of revision r: its newest decision's, NULL for
 * none ("received"). */
#define SQL_STATE_OF(r)							\
	"(SELECT v.state FROM reviews v WHERE v.unit = " r ".unit AND "	\
	"v.period = " r ".period AND v.revision = " r ".revision "	\
	"ORDER BY v.id DESC LIMIT 1)"
#define SQL_STATE(r)	"COALESCE(" SQL_STATE_OF(r) ", 'received')"

/*
 * The aggregates (migration 8). A row adds up the latest revisions of a
 * period in one review state. unit_sums: the reports themselves, by what
 * the registry says of their unit (its type, its validity: '' and an
 * empty range for a unit it does not list) and by whether the first
 * revision was late as judged when it was stored (first_late: missing's
 * timeliness); period_sums: the activities of one code
 * of the lists area, kind, occasion and status (reports: how many have at
 * least one); period_indicators: the indicators by code (females: how
 * many gave a women's figure). Planned activities are also added up
 * apart. A report's contribution goes in when it becomes the latest and
 * out when a newer revision arrives; a decision moves it from one state
 * to another. unit_registry is the registry the unit rows were added up
 * by: gpd brings it to units.conf at start and at each reload, moving
 * the contributions of the units that changed (store_put_registry). Rows
 * are not deleted when they fall to zero: readers skip them.
 */
#define SQL_SUMS_COLS							\
	"reports INTEGER NOT NULL, activities INTEGER NOT NULL, "	\
	"sessions INTEGER NOT NULL, participants INTEGER NOT NULL, "	\
	"female INTEGER NOT NULL, planned_activities INTEGER NOT NULL, " \
	"planned_sessions INTEGER NOT NULL, "				\
	"planned_participants INTEGER NOT NULL, "			\
	"planned_female INTEGER NOT NULL"
#define SQL_NO_TYPE	"''"
#define SQL_NO_FROM	"2147483647"
#define SQL_NO_TO	"-2147483648"
#define SQL_SUMS_TABLES							\
	"CREATE TABLE unit_registry (unit TEXT PRIMARY KEY, "		\
	"type TEXT NOT NULL, valid_from INTEGER NOT NULL, "		\
	"valid_to INTEGER NOT NULL) WITHOUT ROWID;"			\
	"CREATE TABLE unit_sums (period TEXT NOT NULL, "		\
	"state TEXT NOT NULL, type TEXT NOT NULL, "			\
	"valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL, "	\
	"first_late INTEGER NOT NULL, " SQL_SUMS_COLS ", "		\
	"PRIMARY KEY (period, state, type, valid_from, valid_to, "	\
	"first_late)) WITHOUT ROWID;"					\
	"CREATE TABLE period_sums (period TEXT NOT NULL, "		\
	"state TEXT NOT NULL, dim TEXT NOT NULL, code TEXT NOT NULL, "	\
	SQL_SUMS_COLS ", PRIMARY KEY (period, state, dim, code)) "	\
	"WITHOUT ROWID;"						\
	"CREATE TABLE period_indicators (period TEXT NOT NULL, "	\
	"state TEXT NOT NULL, code TEXT NOT NULL, "			\
	"reports INTEGER NOT NULL, total INTEGER NOT NULL, "		\
	"female INTEGER NOT NULL, females INTEGER NOT NULL, "		\
	"PRIMARY KEY (period, state, code)) WITHOUT ROWID;"

/* Activity sums of the rows a, times ?3 where the caller gives a sign. */
#define SQL_PLANNED_SUM(col)						\
	"COALESCE(SUM(CASE WHEN a.status = 'planned' THEN " col		\
	" END), 0)"
#define SQL_ACT_SUMS							\
	"COUNT(a.idx), COALESCE(SUM(a.sessions), 0), "			\
	"COALESCE(SUM(a.participants), 0), COALESCE(SUM(a.female), 0), " \
	SQL_PLANNED_SUM("1") ", " SQL_PLANNED_SUM("a.sessions") ", "	\
	SQL_PLANNED_SUM("a.participants") ", "				\
	SQL_PLANNED_SUM("a.female")

/* The aggregates as the detail rows give them: every latest revision
 * with its review state, then grouped (migration 8, verify-audit). */
#define SQL_LATEST_STATES						\
	"WITH latest(id, period, state) AS (SELECT r.id, r.period, "	\
	SQL_STATE("r") " FROM reports r WHERE " SQL_LATEST ") "
#define SQL_SUMS_BY(col)						\
	"SELECT l.period, l.state, '" col "', a." col ", "		\
	"COUNT(DISTINCT a.report_id), " SQL_ACT_SUMS " FROM latest l "	\
	"JOIN activities a ON a.report_id = l.id "			\
	"GROUP BY l.period, l.state, a." col
#define SQL_SUMS_DETAIL							\
	SQL_LATEST_STATES SQL_SUMS_BY("area") " UNION ALL "		\
	SQL_SUMS_BY("kind") " UNION ALL " SQL_SUMS_BY("occasion")	\
	" UNION ALL " SQL_SUMS_BY("status")
/* Whether the first revision of r's (unit, period) was late, as judged
 * when it was stored (1) or not (0): missing's timeliness. */
#define SQL_FIRST_LATE(r)						\
	"COALESCE((SELECT x.days_late > 0 FROM reports x WHERE x.unit = " \
	r ".unit AND x.period = " r ".period AND x.revision = 1), 0)"
/* What the registry says of a unit: unit_registry g joined on it. */
#define SQL_UNIT_KEY							\
	"COALESCE(g.type, " SQL_NO_TYPE "), "				\
	"COALESCE(g.valid_from, " SQL_NO_FROM "), "			\
	"COALESCE(g.valid_to, " SQL_NO_TO ")"
#define SQL_UNIT_SUMS_DETAIL						\
	"WITH latest(id, unit, period, state, first_late) AS (SELECT "	\
	"r.id, r.unit, r.period, " SQL_STATE("r") ", " SQL_FIRST_LATE("r") \
	" FROM reports r WHERE " SQL_LATEST ") SELECT l.period, "	\
	"l.state, " SQL_UNIT_KEY ", l.first_late, COUNT(*), "		\
	"COALESCE(SUM(t.n), 0), COALESCE(SUM(t.s), 0), "		\
	"COALESCE(SUM(t.p), 0), COALESCE(SUM(t.f), 0), "		\
	"COALESCE(SUM(t.pn), 0), COALESCE(SUM(t.ps), 0), "		\
	"COALESCE(SUM(t.pp), 0), COALESCE(SUM(t.pf), 0) FROM latest l "	\
	"LEFT JOIN unit_registry g ON g.unit = l.unit "			\
	"LEFT JOIN (SELECT a.report_id AS id, " SQL_ACT_SUMS_AS " "	\
	"FROM activities a GROUP BY a.report_id) t ON t.id = l.id "	\
	"GROUP BY 1, 2, 3, 4, 5, 6"
#define SQL_ACT_SUMS_AS							\
	"COUNT(a.idx) AS n, SUM(a.sessions) AS s, "			\
	"SUM(a.participants) AS p, SUM(a.female) AS f, "		\
	SQL_PLANNED_SUM("1") " AS pn, " SQL_PLANNED_SUM("a.sessions")	\
	" AS ps, " SQL_PLANNED_SUM("a.participants") " AS pp, "		\
	SQL_PLANNED_SUM("a.female") " AS pf"
#define SQL_INDICATORS_DETAIL						\
	SQL_LATEST_STATES "SELECT l.period, l.state, i.code, COUNT(*), " \
	"SUM(i.total), COALESCE(SUM(i.female), 0), COUNT(i.female) "	\
	"FROM latest l JOIN indicators i ON i.report_id = l.id "	\
	"GROUP BY l.period, l.state, i.code"

/*
 * Migration N (1-based) takes the schema from version N-1 to N and ends
 * by setting user_version to N; store_migrate checks that it did.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 1: reports with their rows, the audit log, period locks. */
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY,"
	"  submission_id TEXT NOT NULL UNIQUE,"
	"  unit TEXT NOT NULL,"
	"  period TEXT NOT NULL,"
	"  revision INTEGER NOT NULL CHECK (revision >= 1),"
	"  receipt TEXT NOT NULL UNIQUE,"
	"  received_at INTEGER NOT NULL,"
	"  late INTEGER NOT NULL CHECK (late IN (0, 1)),"
	"  cert_cn TEXT NOT NULL,"
	"  cert_fingerprint TEXT NOT NULL,"
	"  content_hash BLOB NOT NULL,"
	"  reporter_name TEXT,"
	"  reporter_position TEXT,"
	"  reporter_phone TEXT,"
	"  raw BLOB NOT NULL,"
	/* Its index also serves every look-up by (unit, period). */
	"  UNIQUE (unit, period, revision)"
	");"
	"CREATE TABLE activities ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  idx INTEGER NOT NULL,"
	"  area INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  occasion INTEGER NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  date TEXT,"
	"  end_date TEXT,"
	"  title TEXT,"
	"  location TEXT,"
	"  sessions INTEGER NOT NULL,"
	"  participants INTEGER NOT NULL,"
	"  female INTEGER NOT NULL,"
	"  notes TEXT,"
	"  PRIMARY KEY (report_id, idx)"
	");"
	"CREATE TABLE indicators ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  code INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  female INTEGER NOT NULL,"
	"  PRIMARY KEY (report_id, code)"
	");"
	"CREATE TABLE narratives ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  section TEXT NOT NULL"
	"    CHECK (section IN ('narrative', 'law_review')),"
	"  field TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (report_id, section, field)"
	");"
	"CREATE TABLE warnings ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  idx INTEGER NOT NULL,"
	"  field TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  PRIMARY KEY (report_id, idx)"
	");"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  cn TEXT,"
	"  fingerprint TEXT,"
	"  action TEXT,"
	"  unit TEXT,"
	"  period TEXT,"
	"  result TEXT,"
	"  detail TEXT"
	");"
	"CREATE TABLE locks ("
	"  period TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  cn TEXT"
	");"
	"PRAGMA user_version = 1;",
	/* 2: the administrators' look-ups by period. */
	"CREATE INDEX reports_period ON reports (period, unit, revision);"
	"PRAGMA user_version = 2;",
	/* 3: the audit becomes a hash chain (store_chain). Entries made
	 * before it are chained when the writer opens the database, an
	 * accepted submission with the content hash of its revision. */
	"ALTER TABLE audit ADD COLUMN content_hash BLOB;"
	"ALTER TABLE audit ADD COLUMN prev_hash BLOB;"
	"ALTER TABLE audit ADD COLUMN hash BLOB;"
	"UPDATE audit SET content_hash = (SELECT r.content_hash "
	"  FROM reports r WHERE r.unit = audit.unit AND "
	"  r.period = audit.period AND audit.detail = 'revision ' || "
	"  r.revision) WHERE action = 'submit' AND result = 'accepted';"
	"PRAGMA user_version = 3;",
	/* 4: each report's activity totals, kept when it is stored, so
	 * that totals, lists and summaries read one row per report rather
	 * than all its activities; indicators clustered by their key; the
	 * period index covers the look-ups of missing. */
	"CREATE TABLE report_totals ("
	"  report_id INTEGER PRIMARY KEY REFERENCES reports(id),"
	"  activities INTEGER NOT NULL,"
	"  sessions INTEGER NOT NULL,"
	"  participants INTEGER NOT NULL,"
	"  female INTEGER NOT NULL"
	");"
	"INSERT INTO report_totals SELECT r.id, COUNT(a.idx), "
	"  COALESCE(SUM(a.sessions), 0), COALESCE(SUM(a.participants), 0), "
	"  COALESCE(SUM(a.female), 0) FROM reports r "
	"  LEFT JOIN activities a ON a.report_id = r.id GROUP BY r.id;"
	"CREATE TABLE indicators_4 ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  code INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  female INTEGER NOT NULL,"
	"  PRIMARY KEY (report_id, code)"
	") WITHOUT ROWID;"
	"INSERT INTO indicators_4 SELECT report_id, code, total, female "
	"  FROM indicators;"
	"DROP TABLE indicators;"
	"ALTER TABLE indicators_4 RENAME TO indicators;"
	"DROP INDEX IF EXISTS reports_period;"
	"CREATE INDEX reports_period ON reports "
	"  (period, unit, revision, received_at);"
	"PRAGMA user_version = 4;",
	/* 5: report forms (issue 14). Areas, kinds, occasions, statuses
	 * and indicators are the codes of a form: the numbers of the 2022
	 * model become theirs through legacy_codes, which store_migrate
	 * fills first from proto/legacy.c. An activity may say its
	 * audience, its topic and its media output counts; narrative texts
	 * and sections are any form's; an indicator keeps its place in the
	 * report (its old number, for the rows before), and a women's
	 * figure only where one was given. Every report records the form it
	 * was checked against (the forms are kept) and the hash of its
	 * canonical bytes for forms; one stored before keeps its bytes and
	 * content hash, which its receipt signs (store_migrate_forms). */
	"CREATE TABLE forms ("
	"  sha256 BLOB PRIMARY KEY,"
	"  year INTEGER NOT NULL,"
	"  bytes BLOB NOT NULL,"
	"  first_seen INTEGER NOT NULL"
	");"
	"ALTER TABLE reports ADD COLUMN form_sha256 BLOB;"
	"ALTER TABLE reports ADD COLUMN canonical_hash BLOB;"
	"ALTER TABLE reports ADD COLUMN plan_number TEXT;"
	"ALTER TABLE reports ADD COLUMN plan_date TEXT;"
	"CREATE TABLE activities_5 ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  idx INTEGER NOT NULL,"
	"  area TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  occasion TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  audience TEXT,"
	"  topic TEXT,"
	"  date TEXT,"
	"  end_date TEXT,"
	"  title TEXT,"
	"  location TEXT,"
	"  sessions INTEGER NOT NULL,"
	"  participants INTEGER NOT NULL,"
	"  female INTEGER NOT NULL,"
	"  notes TEXT,"
	"  PRIMARY KEY (report_id, idx)"
	");"
	"INSERT INTO activities_5 SELECT a.report_id, a.idx, "
	"  (SELECT code FROM legacy_codes WHERE list = 'area' AND "
	"  number = a.area), (SELECT code FROM legacy_codes WHERE "
	"  list = 'kind' AND number = a.kind), (SELECT code FROM "
	"  legacy_codes WHERE list = 'occasion' AND number = a.occasion), "
	"  (SELECT code FROM legacy_codes WHERE list = 'status' AND "
	"  number = a.status), NULL, NULL, a.date, a.end_date, a.title, "
	"  a.location, a.sessions, a.participants, a.female, a.notes "
	"  FROM activities a;"
	"DROP TABLE activities;"
	"ALTER TABLE activities_5 RENAME TO activities;"
	"CREATE TABLE outputs ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  idx INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY (report_id, idx, code)"
	") WITHOUT ROWID;"
	"CREATE TABLE indicators_5 ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  code TEXT NOT NULL,"
	"  idx INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  female INTEGER,"
	"  PRIMARY KEY (report_id, code)"
	") WITHOUT ROWID;"
	"INSERT INTO indicators_5 SELECT i.report_id, (SELECT code FROM "
	"  legacy_codes WHERE list = 'indicator' AND number = i.code), "
	"  i.code, i.total, i.female FROM indicators i;"
	"DROP TABLE indicators;"
	"ALTER TABLE indicators_5 RENAME TO indicators;"
	"CREATE TABLE narratives_5 ("
	"  report_id INTEGER NOT NULL REFERENCES reports(id),"
	"  section TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (report_id, section, field)"
	");"
	"INSERT INTO narratives_5 SELECT report_id, section, field, text "
	"  FROM narratives;"
	"DROP TABLE narratives;"
	"ALTER TABLE narratives_5 RENAME TO narratives;"
	"PRAGMA user_version = 5;",
	/* 6: the calendar (issue 15). Lateness is decided when a revision
	 * is stored and kept with it: the due date it was judged against
	 * (the form's, or the unit's extension), the days late, and whether
	 * an extension applied; the period index covers what missing reads
	 * of it. A revision stored before keeps the late flag it was given,
	 * and gets the due date of the form it was checked against and the
	 * days late from the UTC day it was judged by then. Each report's
	 * totals give its planned activities apart. Extensions of one
	 * unit's due date for a period. */
	"ALTER TABLE reports ADD COLUMN due TEXT;"
	"ALTER TABLE reports ADD COLUMN days_late INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (days_late >= 0);"
	"ALTER TABLE reports ADD COLUMN extended INTEGER NOT NULL DEFAULT 0 "
	"  CHECK (extended IN (0, 1));"
	"UPDATE reports SET due = (SELECT json_extract(CAST(f.bytes AS TEXT), "
	"  CASE WHEN reports.period LIKE '%-H1' THEN '$.periods.H1.due' "
	"  ELSE '$.periods.annual.due' END) FROM forms f "
	"  WHERE f.sha256 = reports.form_sha256);"
	"UPDATE reports SET days_late = MAX(1, COALESCE(CAST("
	"  julianday(date(received_at, 'unixepoch')) - julianday(due) "
	"  AS INTEGER), 1)) WHERE late = 1;"
	"DROP INDEX IF EXISTS reports_period;"
	"CREATE INDEX reports_period ON reports "
	"  (period, unit, revision, received_at, days_late, extended);"
	"ALTER TABLE report_totals ADD COLUMN planned_activities INTEGER "
	"  NOT NULL DEFAULT 0;"
	"ALTER TABLE report_totals ADD COLUMN planned_sessions INTEGER "
	"  NOT NULL DEFAULT 0;"
	"ALTER TABLE report_totals ADD COLUMN planned_participants INTEGER "
	"  NOT NULL DEFAULT 0;"
	"ALTER TABLE report_totals ADD COLUMN planned_female INTEGER "
	"  NOT NULL DEFAULT 0;"
	"UPDATE report_totals SET (planned_activities, planned_sessions, "
	"  planned_participants, planned_female) = (SELECT COUNT(*), "
	"  COALESCE(SUM(a.sessions), 0), COALESCE(SUM(a.participants), 0), "
	"  COALESCE(SUM(a.female), 0) FROM activities a "
	"  WHERE a.report_id = report_totals.report_id AND "
	"  a.status = 'planned') WHERE report_id IN (SELECT report_id "
	"  FROM activities WHERE status = 'planned');"
	"CREATE TABLE extensions ("
	"  unit TEXT NOT NULL,"
	"  period TEXT NOT NULL,"
	"  until TEXT NOT NULL,"
	"  reason TEXT,"
	"  at INTEGER NOT NULL,"
	"  cn TEXT NOT NULL,"
	"  PRIMARY KEY (unit, period)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 6;",
	/* 7: the province's review (issue 17). Every decision on a report,
	 * with the revision it was taken on, who took it, when and its
	 * comment; the state of a revision is that of its newest decision
	 * ("received" without one). decision is its id in the signed text
	 * (receipt.h); report_hash the content hash of the revision. */
	"CREATE TABLE reviews ("
	"  id INTEGER PRIMARY KEY,"
	"  decision TEXT NOT NULL UNIQUE,"
	"  unit TEXT NOT NULL,"
	"  period TEXT NOT NULL,"
	"  revision INTEGER NOT NULL CHECK (revision >= 1),"
	"  report_hash BLOB NOT NULL,"
	"  action TEXT NOT NULL"
	"    CHECK (action IN ('accept', 'return', 'reopen')),"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('accepted', 'returned', 'received')),"
	"  comment TEXT,"
	"  decided_at INTEGER NOT NULL,"
	"  cn TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL"
	");"
	"CREATE INDEX reviews_report ON reviews (unit, period, revision, id);"
	"PRAGMA user_version = 7;",
	/* 8: national totals near the limit (issue 20). What the latest
	 * revisions of a period add up to, by review state, kept in the
	 * transaction that stores each revision or decision: per report
	 * (dim ''), per code of each activity list, per indicator; built
	 * here from the rows already stored. */
	SQL_SUMS_TABLES
	"INSERT INTO unit_sums " SQL_UNIT_SUMS_DETAIL ";"
	"INSERT INTO period_sums " SQL_SUMS_DETAIL ";"
	"INSERT INTO period_indicators " SQL_INDICATORS_DETAIL ";"
	"PRAGMA user_version = 8;",
};

enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_FIND_SUBMISSION,
	STMT_LAST_REVISION,
	STMT_INSERT_REPORT,
	STMT_INSERT_ACTIVITY,
	STMT_INSERT_OUTPUT,
	STMT_INSERT_INDICATOR,
	STMT_INSERT_FORM,
	STMT_FORM_BY_SHA,
	STMT_INSERT_TOTALS,
	STMT_INSERT_TEXT,
	STMT_INSERT_WARNING,
	STMT_INSERT_AUDIT,
	STMT_AUDIT_HEAD,
	STMT_AUDIT_UNCHAINED,
	STMT_AUDIT_SET_HASH,
	STMT_IS_LOCKED,
	STMT_LOCK,
	STMT_UNLOCK,
	STMT_RAW,
	STMT_REVIEW_OF,
	STMT_INSERT_REVIEW,
	STMT_SUMS_UNIT,
	STMT_SUMS_CODES,
	STMT_SUMS_INDICATORS,
	STMT_SUMS_KEY,
	STMT_SUMS_ACTIVITIES,
	STMT_SUMS_INDICATORS_OF,
	STMT_ADD_UNIT_SUMS,
	STMT_ADD_PERIOD_SUMS,
	STMT_ADD_PERIOD_INDICATORS,
	STMT_REGISTRY_ALL,
	STMT_REGISTRY_SET,
	STMT_REGISTRY_DROP,
	STMT_REGISTRY_CLEAR,
	STMT_UNIT_LATEST,
	STMT_UNIT_SUMS_CLEAR,
	STMT_UNIT_SUMS_REBUILD,
	STMT_LATEST,
	STMT_EXTENSION_OF,
	STMT_EXTENSION_SET,
	STMT_EXTENSION_CLEAR,
	/* Queries: each cursor prepares its own copy (store_query). */
	STMT_Q_LIST,
	STMT_Q_HISTORY,
	STMT_Q_SHOW,
	STMT_Q_INDICATORS_OF,
	STMT_Q_WARNINGS_OF,
	STMT_Q_MISSING,
	STMT_Q_SUM_TOTAL,
	STMT_Q_SUM_AREA,
	STMT_Q_SUM_KIND,
	STMT_Q_SUM_OCCASION,
	STMT_Q_SUM_STATUS,
	STMT_Q_SUM_UNIT,
	STMT_Q_INDICATOR_TOTALS,
	STMT_Q_EXPORT,
	STMT_Q_AUDIT,
	STMT_Q_REVIEWS,
	STMT_Q_COMMENTS,
	STMT_Q_LOCKS,
	STMT_Q_STATES,
	STMT_Q_SUM_TYPE,
	STMT_Q_MISSING_COUNTS,
	STMT_Q_EXTENSIONS,
	/* Stored reports using a code, for a reload that changes it. */
	STMT_C_AREA,
	STMT_C_KIND,
	STMT_C_OCCASION,
	STMT_C_STATUS,
	STMT_C_AUDIENCE,
	STMT_C_TOPIC,
	STMT_C_OUTPUT,
	STMT_C_INDICATOR,
	STMT_C_NARRATIVE,
	STMT_C_SECTION,
	STMT_C_FIELD,
	STMT_C_PERIOD,
	STMT_C_YEAR,
	/* gpd verify-audit */
	STMT_V_REPORTS,
	STMT_V_ACTIVITIES,
	STMT_V_OUTPUTS,
	STMT_V_TOTALS,
	STMT_V_TEXTS,
	STMT_V_COVERED,
	STMT_V_AUDITED,
	STMT_V_REVIEWS,
	STMT_V_REVIEWED,
	STMT_V_UNIT_SUMS,
	STMT_V_SUMS,
	STMT_V_INDICATOR_SUMS,
	STMT__MAX
};

/* ?2: only the accepted reports when not 0. */
#define SQL_ACCEPTED_ONLY(r)						\
	"(?2 = 0 OR " SQL_STATE_OF(r) " = 'accepted')"

/* A report's totals, then its planned activities' among them; a row lost
 * by hand (verify-audit names it) reads as zero rather than hiding its
 * report. */
#define SQL_TOTALS							\
	"COALESCE(t.activities, 0), COALESCE(t.sessions, 0), "		\
	"COALESCE(t.participants, 0), COALESCE(t.female, 0), "		\
	"COALESCE(t.planned_activities, 0), "				\
	"COALESCE(t.planned_sessions, 0), "				\
	"COALESCE(t.planned_participants, 0), "			\
	"COALESCE(t.planned_female, 0)"

/* One report with its activities' totals and its lateness as kept:
 * struct store_report_row. */
#define SQL_REPORT_ROW							\
	"SELECT r.id, r.unit, r.period, r.revision, r.received_at, "	\
	"r.late, r.receipt, r.submission_id, r.cert_cn, "		\
	"r.cert_fingerprint, " SQL_TOTALS ", r.content_hash, "		\
	"r.form_sha256, r.canonical_hash, r.due, r.days_late, "	\
	"r.extended, " SQL_STATE("r") " "				\
	"FROM reports r LEFT JOIN report_totals t ON t.report_id = r.id "

/* Reports of a year (?1, "2023": the periods 2023-H1 and 2023) whose
 * rows of a table match ?2: how many units and periods. */
#define SQL_COUNT_USING(join, cond)					\
	"SELECT count(DISTINCT r.unit || ' ' || r.period) FROM reports r " \
	join " WHERE r.period IN (?1, ?1 || '-H1') AND " cond

/*
 * The latest revisions of a period, one row per unit (summary by unit
 * and by type, exports): chosen once each, not per row read.
 */
#define SQL_LATEST_OF_PERIOD						\
	"WITH latest(id) AS (SELECT r.id FROM reports r "		\
	"WHERE r.period = ?1 AND " SQL_LATEST " AND "			\
	SQL_ACCEPTED_ONLY("r") ") "

/* The aggregates' columns, and their upkeep: ?3 (1 or -1) times. */
#define SQL_SUMS_NAMES							\
	"period, state, dim, code, reports, activities, sessions, "	\
	"participants, female, planned_activities, planned_sessions, "	\
	"planned_participants, planned_female"
#define SQL_SIGNED(e)	"?3 * " e
#define SQL_SUMS_ADD(col)	col " = " col " + excluded." col
#define SQL_SUMS_UPSERT							\
	"ON CONFLICT (period, state, dim, code) DO UPDATE SET "		\
	SQL_SUMS_ADDS
#define SQL_UNIT_SUMS_NAMES						\
	"period, state, type, valid_from, valid_to, first_late, reports, " \
	"activities, sessions, participants, female, planned_activities, " \
	"planned_sessions, planned_participants, planned_female"
#define SQL_SUMS_ADDS							\
	SQL_SUMS_ADD("reports") ", " SQL_SUMS_ADD("activities") ", "	\
	SQL_SUMS_ADD("sessions") ", " SQL_SUMS_ADD("participants") ", " \
	SQL_SUMS_ADD("female") ", " SQL_SUMS_ADD("planned_activities")	\
	", " SQL_SUMS_ADD("planned_sessions") ", "			\
	SQL_SUMS_ADD("planned_participants") ", "			\
	SQL_SUMS_ADD("planned_female")
/* One report's activities (?1) by the codes of one list. */
#define SQL_CODES_OF(col)						\
	"SELECT '" col "' AS d, a." col " AS c, " SQL_ACT_SUMS_AS " "	\
	"FROM activities a WHERE a.report_id = ?1 GROUP BY a." col
#define SQL_SUMS_NONZERO						\
	"(reports <> 0 OR activities <> 0 OR sessions <> 0 OR "		\
	"participants <> 0 OR female <> 0 OR planned_activities <> 0 OR " \
	"planned_sessions <> 0 OR planned_participants <> 0 OR "	\
	"planned_female <> 0)"
/* Read back: struct store_sum_row's columns from reports on. */
#define SQL_SUMS_READ							\
	"COALESCE(SUM(reports), 0), COALESCE(SUM(activities), 0), "	\
	"COALESCE(SUM(sessions), 0), COALESCE(SUM(participants), 0), "	\
	"COALESCE(SUM(female), 0), COALESCE(SUM(planned_activities), 0), " \
	"COALESCE(SUM(planned_sessions), 0), "				\
	"COALESCE(SUM(planned_participants), 0), "			\
	"COALESCE(SUM(planned_female), 0)"
#define SQL_SUMS_ACCEPTED	"(?2 = 0 OR state = 'accepted')"
#define SQL_SUMS_OF(dim)						\
	"SELECT code, NULL, " SQL_SUMS_READ " FROM period_sums "	\
	"WHERE period = ?1 AND dim = '" dim "' AND " SQL_SUMS_ACCEPTED	\
	" GROUP BY code HAVING SUM(reports) > 0 ORDER BY code"

/* The name is what store_error() shows in front of SQLite's message. */
static const struct {
	const char	*name;
	const char	*sql;
} stmts[STMT__MAX] = {
	/* IMMEDIATE: take the write lock before reading the last revision,
	 * so that two writers cannot both pick the same one. */
	[STMT_BEGIN] = { "begin", "BEGIN IMMEDIATE" },
	[STMT_COMMIT] = { "commit", "COMMIT" },
	[STMT_ROLLBACK] = { "rollback", "ROLLBACK" },
	/* One submission inside a group commit: undone alone on failure. */
	[STMT_SAVEPOINT] = { "savepoint", "SAVEPOINT put" },
	[STMT_RELEASE] = { "release", "RELEASE put" },
	[STMT_ROLLBACK_TO] = { "rollback-to", "ROLLBACK TO put" },
	[STMT_FIND_SUBMISSION] = { "find-submission",
	    "SELECT receipt, revision, received_at, late, content_hash, "
	    "canonical_hash, due, days_late, extended, unit, period "
	    "FROM reports WHERE submission_id = ?1" },
	/* The latest revision, the state of the province's review of it
	 * (NULL: none) and its id (NULL: none), whose contribution to the
	 * aggregates the next one replaces. */
	[STMT_LAST_REVISION] = { "last-revision",
	    "SELECT m.revision, (SELECT v.state FROM reviews v WHERE "
	    "v.unit = ?1 AND v.period = ?2 AND v.revision = m.revision "
	    "ORDER BY v.id DESC LIMIT 1), (SELECT r.id FROM reports r WHERE "
	    "r.unit = ?1 AND r.period = ?2 AND r.revision = m.revision) "
	    "FROM (SELECT COALESCE(MAX(revision), 0) AS revision FROM reports "
	    "WHERE unit = ?1 AND period = ?2) m" },
	[STMT_INSERT_REPORT] = { "insert-report",
	    "INSERT INTO reports (submission_id, unit, period, revision, "
	    "receipt, received_at, late, cert_cn, cert_fingerprint, "
	    "content_hash, reporter_name, reporter_position, reporter_phone, "
	    "raw, form_sha256, canonical_hash, plan_number, plan_date, due, "
	    "days_late, extended) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?10, ?16, ?17, ?18, ?19, ?20)" },
	[STMT_INSERT_ACTIVITY] = { "insert-activity",
	    "INSERT INTO activities (report_id, idx, area, kind, occasion, "
	    "status, audience, topic, date, end_date, title, location, "
	    "sessions, participants, female, notes) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)" },
	[STMT_INSERT_OUTPUT] = { "insert-output",
	    "INSERT INTO outputs (report_id, idx, code, count) "
	    "VALUES (?1, ?2, ?3, ?4)" },
	[STMT_INSERT_INDICATOR] = { "insert-indicator",
	    "INSERT INTO indicators (report_id, code, idx, total, female) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)" },
	/* A form is kept with the first report checked against it. */
	[STMT_INSERT_FORM] = { "insert-form",
	    "INSERT OR IGNORE INTO forms (sha256, year, bytes, first_seen) "
	    "VALUES (?1, ?2, ?3, ?4)" },
	[STMT_FORM_BY_SHA] = { "form-by-sha",
	    "SELECT year, bytes FROM forms WHERE sha256 = ?1" },
	[STMT_INSERT_TOTALS] = { "insert-totals",
	    "INSERT INTO report_totals (report_id, activities, sessions, "
	    "participants, female, planned_activities, planned_sessions, "
	    "planned_participants, planned_female) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9)" },
	[STMT_INSERT_TEXT] = { "insert-text",
	    "INSERT INTO narratives (report_id, section, field, text) "
	    "VALUES (?1, ?2, ?3, ?4)" },
	[STMT_INSERT_WARNING] = { "insert-warning",
	    "INSERT INTO warnings (report_id, idx, field, message) "
	    "VALUES (?1, ?2, ?3, ?4)" },
	[STMT_INSERT_AUDIT] = { "insert-audit",
	    "INSERT INTO audit (id, at, cn, fingerprint, action, unit, period, "
	    "result, detail, content_hash, prev_hash, hash) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)" },
	[STMT_AUDIT_HEAD] = { "audit-head",
	    "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1" },
	[STMT_AUDIT_UNCHAINED] = { "audit-unchained",
	    "SELECT count(*) FROM audit WHERE hash IS NULL" },
	[STMT_AUDIT_SET_HASH] = { "audit-set-hash",
	    "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1" },
	[STMT_IS_LOCKED] = { "is-locked",
	    "SELECT 1 FROM locks WHERE period = ?1" },
	[STMT_LOCK] = { "lock",
	    "INSERT OR IGNORE INTO locks (period, at, cn) VALUES (?1, ?2, ?3)" },
	[STMT_UNLOCK] = { "unlock", "DELETE FROM locks WHERE period = ?1" },
	[STMT_RAW] = { "raw", "SELECT raw FROM reports WHERE id = ?1" },
	[STMT_REVIEW_OF] = { "review-of",
	    "SELECT r.revision, r.content_hash, " SQL_STATE("r") ", r.id "
	    "FROM reports r WHERE r.unit = ?1 AND r.period = ?2 "
	    "ORDER BY r.revision DESC LIMIT 1" },
	[STMT_INSERT_REVIEW] = { "insert-review",
	    "INSERT INTO reviews (decision, unit, period, revision, "
	    "report_hash, action, state, comment, decided_at, cn, "
	    "fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11)" },
	/* A report's contribution (?1 its id) to the aggregates of its
	 * period (?4) in a review state (?2), added (?3 = 1) or taken
	 * out (?3 = -1). */
	[STMT_SUMS_UNIT] = { "sums-unit",
	    "INSERT INTO unit_sums (" SQL_UNIT_SUMS_NAMES ") SELECT ?4, ?2, "
	    SQL_UNIT_KEY ", " SQL_FIRST_LATE("r") ", ?3, ?3 * t.n, "
	    "?3 * COALESCE(t.s, 0), ?3 * COALESCE(t.p, 0), "
	    "?3 * COALESCE(t.f, 0), ?3 * t.pn, ?3 * t.ps, ?3 * t.pp, "
	    "?3 * t.pf FROM reports r LEFT JOIN unit_registry g ON "
	    "g.unit = r.unit, (SELECT " SQL_ACT_SUMS_AS " FROM activities a "
	    "WHERE a.report_id = ?1) t WHERE r.id = ?1 "
	    "ON CONFLICT (period, state, type, valid_from, valid_to, "
	    "first_late) DO UPDATE SET " SQL_SUMS_ADDS },
	[STMT_SUMS_CODES] = { "sums-codes",
	    "INSERT INTO period_sums (" SQL_SUMS_NAMES ") SELECT ?4, ?2, d, "
	    "c, ?3, ?3 * n, ?3 * s, ?3 * p, ?3 * f, ?3 * pn, ?3 * ps, "
	    "?3 * pp, ?3 * pf FROM (" SQL_CODES_OF("area")
	    " UNION ALL " SQL_CODES_OF("kind")
	    " UNION ALL " SQL_CODES_OF("occasion")
	    " UNION ALL " SQL_CODES_OF("status") ") WHERE 1 "
	    SQL_SUMS_UPSERT },
	[STMT_SUMS_INDICATORS] = { "sums-indicators",
	    "INSERT INTO period_indicators (period, state, code, reports, "
	    "total, female, females) SELECT ?4, ?2, i.code, ?3, "
	    "?3 * i.total, ?3 * COALESCE(i.female, 0), "
	    "?3 * (i.female IS NOT NULL) FROM indicators i "
	    "WHERE i.report_id = ?1 ON CONFLICT (period, state, code) "
	    "DO UPDATE SET reports = reports + excluded.reports, "
	    "total = total + excluded.total, "
	    "female = female + excluded.female, "
	    "females = females + excluded.females" },
	/* What a submission's contribution is keyed by besides its period
	 * and state: its unit (?1) in the registry kept, and whether the
	 * first revision of the period (?2) was late (1) or not (0), NULL
	 * for none yet (store_sums_key). */
	[STMT_SUMS_KEY] = { "sums-key",
	    "SELECT " SQL_UNIT_KEY ", (SELECT x.days_late > 0 FROM "
	    "reports x WHERE x.unit = ?1 AND x.period = ?2 AND "
	    "x.revision = 1) "
	    "FROM (SELECT ?1 AS unit) u LEFT JOIN unit_registry g ON "
	    "g.unit = u.unit" },
	[STMT_SUMS_ACTIVITIES] = { "sums-activities",
	    "SELECT area, kind, occasion, status, sessions, participants, "
	    "female FROM activities WHERE report_id = ?1" },
	[STMT_SUMS_INDICATORS_OF] = { "sums-indicators-of",
	    "SELECT code, total, female FROM indicators WHERE report_id = ?1" },
	/* A batch's deltas, added once each at commit (store_sums_flush). */
	[STMT_ADD_UNIT_SUMS] = { "add-unit-sums",
	    "INSERT INTO unit_sums (" SQL_UNIT_SUMS_NAMES ") VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
	    "ON CONFLICT (period, state, type, valid_from, valid_to, "
	    "first_late) DO UPDATE SET " SQL_SUMS_ADDS },
	[STMT_ADD_PERIOD_SUMS] = { "add-period-sums",
	    "INSERT INTO period_sums (" SQL_SUMS_NAMES ") VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) " SQL_SUMS_UPSERT },
	[STMT_ADD_PERIOD_INDICATORS] = { "add-period-indicators",
	    "INSERT INTO period_indicators (period, state, code, reports, "
	    "total, female, females) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (period, state, code) DO UPDATE SET "
	    "reports = reports + excluded.reports, "
	    "total = total + excluded.total, "
	    "female = female + excluded.female, "
	    "females = females + excluded.females" },
	/* The registry the unit rows were added up by (store_put_registry),
	 * in the order of units.conf's (strcmp). */
	[STMT_REGISTRY_ALL] = { "registry-all",
	    "SELECT unit, type, valid_from, valid_to FROM unit_registry "
	    "ORDER BY unit" },
	[STMT_REGISTRY_SET] = { "registry-set",
	    "INSERT OR REPLACE INTO unit_registry (unit, type, valid_from, "
	    "valid_to) VALUES (?1, ?2, ?3, ?4)" },
	[STMT_REGISTRY_DROP] = { "registry-drop",
	    "DELETE FROM unit_registry WHERE unit = ?1" },
	[STMT_REGISTRY_CLEAR] = { "registry-clear",
	    "DELETE FROM unit_registry" },
	/* A unit's latest revisions, every period, with their states. */
	[STMT_UNIT_LATEST] = { "unit-latest",
	    "SELECT r.id, r.period, " SQL_STATE("r") " FROM reports r "
	    "WHERE r.unit = ?1 AND " SQL_LATEST },
	[STMT_UNIT_SUMS_CLEAR] = { "unit-sums-clear", "DELETE FROM unit_sums" },
	[STMT_UNIT_SUMS_REBUILD] = { "unit-sums-rebuild",
	    "INSERT INTO unit_sums " SQL_UNIT_SUMS_DETAIL },
	[STMT_LATEST] = { "latest",
	    "SELECT revision, submission_id FROM reports "
	    "WHERE unit = ?1 AND period = ?2 ORDER BY revision DESC LIMIT 1" },
	[STMT_EXTENSION_OF] = { "extension-of",
	    "SELECT until, reason FROM extensions "
	    "WHERE unit = ?1 AND period = ?2" },
	[STMT_EXTENSION_SET] = { "extension-set",
	    "INSERT OR REPLACE INTO extensions (unit, period, until, reason, "
	    "at, cn) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[STMT_EXTENSION_CLEAR] = { "extension-clear",
	    "DELETE FROM extensions WHERE unit = ?1 AND period = ?2" },
	[STMT_Q_LIST] = { "list",
	    SQL_REPORT_ROW "WHERE (?1 IS NULL OR r.period = ?1) AND "
	    "(?2 IS NULL OR r.unit = ?2) AND " SQL_LATEST
	    " ORDER BY r.period, r.unit" },
	[STMT_Q_HISTORY] = { "history",
	    SQL_REPORT_ROW "WHERE r.period = ?1 AND r.unit = ?2 "
	    "ORDER BY r.revision" },
	[STMT_Q_SHOW] = { "show",
	    SQL_REPORT_ROW "WHERE r.period = ?1 AND r.unit = ?2 AND "
	    "(?3 > 0 AND r.revision = ?3 OR ?3 = 0 AND " SQL_LATEST ")" },
	[STMT_Q_INDICATORS_OF] = { "indicators-of",
	    "SELECT code, total, female FROM indicators WHERE report_id = ?1 "
	    "ORDER BY idx" },
	[STMT_Q_WARNINGS_OF] = { "warnings-of",
	    "SELECT field, message FROM warnings WHERE report_id = ?1 "
	    "ORDER BY idx" },
	/* Timeliness counts the first revision (revision 1), as judged
	 * when it was stored: a later correction does not make a unit
	 * late. One pass over the period index: the bare received_at is the
	 * latest revision's, the row of MAX(revision) (SQLite's rule for a
	 * query with a single min() or max()). */
	/* The newest decision of the unit's report, "REVISION STATE": it
	 * is the latest revision's state when it names that revision (one
	 * look-up by the reviews' index per unit, and the rows stay in the
	 * period index's order: no sort). */
	[STMT_Q_MISSING] = { "missing",
	    "SELECT unit, SUM(CASE WHEN revision = 1 THEN received_at END), "
	    "SUM(CASE WHEN revision = 1 THEN days_late END), "
	    "SUM(CASE WHEN revision = 1 THEN extended END), MAX(revision), "
	    "received_at, (SELECT v.revision || ' ' || v.state FROM reviews v "
	    "WHERE v.unit = reports.unit AND v.period = ?1 ORDER BY "
	    "v.revision DESC, v.id DESC LIMIT 1) FROM reports "
	    "WHERE period = ?1 GROUP BY unit ORDER BY unit" },
	/* Totals read the aggregates: a handful of rows, whatever the
	 * number of units. */
	[STMT_Q_SUM_TOTAL] = { "sum-total",
	    "SELECT NULL, NULL, " SQL_SUMS_READ " FROM unit_sums "
	    "WHERE period = ?1 AND " SQL_SUMS_ACCEPTED },
	[STMT_Q_SUM_AREA] = { "sum-area", SQL_SUMS_OF("area") },
	[STMT_Q_SUM_KIND] = { "sum-kind", SQL_SUMS_OF("kind") },
	[STMT_Q_SUM_OCCASION] = { "sum-occasion", SQL_SUMS_OF("occasion") },
	[STMT_Q_SUM_STATUS] = { "sum-status", SQL_SUMS_OF("status") },
	/* One latest revision per unit. */
	[STMT_Q_SUM_UNIT] = { "sum-unit",
	    SQL_LATEST_OF_PERIOD "SELECT r.unit, NULL, 1, " SQL_TOTALS " "
	    "FROM latest l JOIN reports r ON r.id = l.id "
	    "LEFT JOIN report_totals t ON t.report_id = l.id "
	    "ORDER BY r.unit" },
	/* Not grouped: the caller adds them up by code, which spares
	 * SQLite sorting every indicator row of the period. */
	[STMT_Q_INDICATOR_TOTALS] = { "indicator-totals",
	    "SELECT code, SUM(total), CASE WHEN SUM(females) > 0 THEN "
	    "SUM(female) END FROM period_indicators WHERE period = ?1 AND "
	    SQL_SUMS_ACCEPTED " GROUP BY code HAVING SUM(reports) > 0" },
	/* An activity's output counts as "code=count ...", by code:
	 * codes are [a-z0-9_], so the text reads back without doubt. */
	/* With the first revision's lateness, as missing reads it. */
	[STMT_Q_EXPORT] = { "export",
	    "SELECT r.unit, r.period, r.revision, a.idx, a.area, a.kind, "
	    "a.occasion, a.status, a.date, a.end_date, a.title, a.location, "
	    "a.notes, a.sessions, a.participants, a.female, a.audience, "
	    "a.topic, (SELECT group_concat(o.code || '=' || o.count, ' ') "
	    "FROM (SELECT code, count FROM outputs WHERE report_id = a.report_id "
	    "AND idx = a.idx ORDER BY code) o), f.received_at, f.days_late, "
	    "f.extended, f.due FROM reports r "
	    "JOIN activities a ON a.report_id = r.id "
	    "LEFT JOIN reports f ON f.unit = r.unit AND f.period = r.period "
	    "AND f.revision = 1 WHERE r.period = ?1 AND "
	    SQL_LATEST " AND " SQL_ACCEPTED_ONLY("r")
	    " ORDER BY r.unit, a.idx" },
	[STMT_Q_AUDIT] = { "audit",
	    "SELECT id, at, cn, fingerprint, action, unit, period, result, "
	    "detail, content_hash, prev_hash, hash FROM audit "
	    "WHERE at >= ?1 AND (?2 IS NULL OR unit = ?2) ORDER BY id" },
#define SQL_REVIEW_ROW							\
	"SELECT decision, unit, period, revision, report_hash, action, "	\
	"state, comment, cn, decided_at FROM reviews "
	[STMT_Q_REVIEWS] = { "reviews",
	    SQL_REVIEW_ROW "WHERE unit = ?2 AND period = ?1 ORDER BY id" },
	[STMT_Q_COMMENTS] = { "comments",
	    SQL_REVIEW_ROW "WHERE unit = ?2 AND (?1 IS NULL OR period = ?1) "
	    "AND comment IS NOT NULL ORDER BY id DESC" },
	[STMT_Q_LOCKS] = { "locks",
	    "SELECT period, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM locks "
	    "ORDER BY period" },
	[STMT_Q_STATES] = { "states",
	    "SELECT state, NULL, SUM(reports), 0, 0, 0, 0, 0, 0, 0, 0 "
	    "FROM unit_sums WHERE period = ?1 AND " SQL_SUMS_ACCEPTED
	    " GROUP BY state HAVING SUM(reports) > 0" },
	/* By the unit's type in the registry ('': not in it). */
	[STMT_Q_SUM_TYPE] = { "sum-type",
	    "SELECT type, NULL, " SQL_SUMS_READ " FROM unit_sums "
	    "WHERE period = ?1 AND " SQL_SUMS_ACCEPTED " GROUP BY type "
	    "HAVING SUM(reports) > 0 ORDER BY type" },
	/* missing's counts: the units expected (their validity overlaps
	 * the coverage, ?2 to ?3) that reported, by the state of their
	 * latest revision, and those whose first revision was on time as
	 * judged when it was stored. */
	[STMT_Q_MISSING_COUNTS] = { "missing-counts",
	    "SELECT state, COALESCE(SUM(reports), 0), COALESCE(SUM(CASE WHEN "
	    "first_late = 0 THEN reports END), 0) FROM unit_sums "
	    "WHERE period = ?1 AND valid_from <= ?3 AND valid_to >= ?2 "
	    "GROUP BY state HAVING SUM(reports) > 0" },
	[STMT_Q_EXTENSIONS] = { "extensions",
	    "SELECT unit, period, until, reason, at, cn FROM extensions "
	    "WHERE period = ?1 AND (?2 IS NULL OR unit = ?2) ORDER BY unit" },
	[STMT_C_AREA] = { "count-area", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.area = ?2") },
	[STMT_C_KIND] = { "count-kind", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.kind = ?2") },
	[STMT_C_OCCASION] = { "count-occasion", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.occasion = ?2") },
	[STMT_C_STATUS] = { "count-status", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.status = ?2") },
	[STMT_C_AUDIENCE] = { "count-audience", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.audience = ?2") },
	[STMT_C_TOPIC] = { "count-topic", SQL_COUNT_USING(
	    "JOIN activities a ON a.report_id = r.id", "a.topic = ?2") },
	[STMT_C_OUTPUT] = { "count-output", SQL_COUNT_USING(
	    "JOIN outputs o ON o.report_id = r.id", "o.code = ?2") },
	[STMT_C_INDICATOR] = { "count-indicator", SQL_COUNT_USING(
	    "JOIN indicators i ON i.report_id = r.id", "i.code = ?2") },
	[STMT_C_NARRATIVE] = { "count-narrative", SQL_COUNT_USING(
	    "JOIN narratives n ON n.report_id = r.id",
	    "n.section = 'narrative' AND n.field = ?2") },
	[STMT_C_SECTION] = { "count-section", SQL_COUNT_USING(
	    "JOIN narratives n ON n.report_id = r.id", "n.section = ?2") },
	[STMT_C_FIELD] = { "count-field", SQL_COUNT_USING(
	    "JOIN narratives n ON n.report_id = r.id",
	    "n.section = ?2 AND n.field = ?3") },
	[STMT_C_PERIOD] = { "count-period",
	    "SELECT count(DISTINCT unit) FROM reports WHERE period = ?1" },
	[STMT_C_YEAR] = { "count-year", SQL_COUNT_USING("", "1") },
	[STMT_V_REPORTS] = { "verify-reports",
	    "SELECT id, submission_id, unit, period, revision, content_hash, "
	    "raw, reporter_name, reporter_position, reporter_phone, "
	    "canonical_hash, form_sha256, plan_number, plan_date, "
	    "(SELECT count(*) FROM forms f WHERE f.sha256 = reports.form_sha256) "
	    "FROM reports ORDER BY id" },
	[STMT_V_ACTIVITIES] = { "verify-activities",
	    "SELECT idx, area, kind, occasion, status, date, end_date, title, "
	    "location, notes, sessions, participants, female, audience, topic "
	    "FROM activities WHERE report_id = ?1 ORDER BY idx" },
	[STMT_V_OUTPUTS] = { "verify-outputs",
	    "SELECT idx, code, count FROM outputs WHERE report_id = ?1" },
	[STMT_V_TOTALS] = { "verify-totals",
	    "SELECT activities, sessions, participants, female, "
	    "planned_activities, planned_sessions, planned_participants, "
	    "planned_female FROM report_totals WHERE report_id = ?1" },
	[STMT_V_TEXTS] = { "verify-texts",
	    "SELECT section, field, text FROM narratives WHERE report_id = ?1" },
	[STMT_V_COVERED] = { "verify-covered",
	    "SELECT count(*) FROM audit WHERE action = 'submit' AND "
	    "result = 'accepted' AND unit = ?1 AND period = ?2 AND "
	    "detail = ?3 AND content_hash = ?4" },
	[STMT_V_REVIEWS] = { "verify-reviews",
	    "SELECT decision, unit, period, revision, report_hash, action, "
	    "state, comment, cn, decided_at, (SELECT count(*) FROM reports r "
	    "WHERE r.unit = reviews.unit AND r.period = reviews.period AND "
	    "r.revision = reviews.revision AND r.content_hash = "
	    "reviews.report_hash) FROM reviews ORDER BY id" },
	[STMT_V_REVIEWED] = { "verify-reviewed",
	    "SELECT count(*) FROM audit WHERE action = 'review' AND "
	    "unit = ?1 AND period = ?2 AND result = ?3 AND content_hash = ?4" },
	/* The aggregates against the detail: the rows that differ, kept
	 * ('kept') or given by the detail ('detail'), by key. */
	[STMT_V_UNIT_SUMS] = { "verify-unit-sums",
	    "SELECT 'kept', * FROM (SELECT " SQL_UNIT_SUMS_NAMES " FROM "
	    "unit_sums WHERE " SQL_SUMS_NONZERO " EXCEPT SELECT * FROM ("
	    SQL_UNIT_SUMS_DETAIL ")) UNION ALL SELECT 'detail', * FROM ("
	    "SELECT * FROM (" SQL_UNIT_SUMS_DETAIL ") EXCEPT SELECT "
	    SQL_UNIT_SUMS_NAMES " FROM unit_sums) "
	    "ORDER BY 2, 3, 4, 5, 6, 7, 1" },
	[STMT_V_SUMS] = { "verify-sums",
	    "SELECT 'kept', * FROM (SELECT " SQL_SUMS_NAMES " FROM "
	    "period_sums WHERE " SQL_SUMS_NONZERO " EXCEPT SELECT * FROM ("
	    SQL_SUMS_DETAIL ")) UNION ALL SELECT 'detail', * FROM ("
	    "SELECT * FROM (" SQL_SUMS_DETAIL ") EXCEPT SELECT "
	    SQL_SUMS_NAMES " FROM period_sums) ORDER BY 2, 3, 4, 5, 1" },
	[STMT_V_INDICATOR_SUMS] = { "verify-indicator-sums",
	    "SELECT 'kept', * FROM (SELECT period, state, code, reports, "
	    "total, female, females FROM period_indicators WHERE "
	    "reports <> 0 OR total <> 0 OR female <> 0 OR females <> 0 "
	    "EXCEPT SELECT * FROM (" SQL_INDICATORS_DETAIL ")) UNION ALL "
	    "SELECT 'detail', * FROM (SELECT * FROM (" SQL_INDICATORS_DETAIL
	    ") EXCEPT SELECT period, state, code, reports, total, female, "
	    "females FROM period_indicators) ORDER BY 2, 3, 4, 1" },
	[STMT_V_AUDITED] = { "verify-audited",
	    "SELECT count(*) FROM reports WHERE unit = ?1 AND period = ?2 AND "
	    "revision = ?3 AND content_hash = ?4" },
};

struct store_head {
	int64_t		id;
	uint8_t		hash[STORE_HASH_LEN];
};

/*
 * A delta of one aggregate row, by its key: a row of unit_sums (code: the
 * unit's type), of period_sums (dim, code) or of period_indicators (code;
 * v[0..3]: reports, total, female, females).
 */
enum store_delta_table { DELTA_UNIT, DELTA_CODE, DELTA_INDICATOR };
#define STORE_DELTA_VALUES	9
#define STORE_DELTA_CODE	64
struct store_delta {
	int		 used;
	int		 table;		/* enum store_delta_table */
	char		 period[REPORT_MAX_PERIOD + 1];
	char		 state[16];
	char		 dim[16];
	char		 code[STORE_DELTA_CODE];
	int64_t		 from, to, first_late;
	int64_t		 v[STORE_DELTA_VALUES];
};

/* Open addressing by the key's hash; cap is 0 or a power of two. */
struct store_deltas {
	struct store_delta	*v;
	size_t			 n, cap;
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT__MAX];
	int		 full;	/* the last error was a full disk */
	int		 lost;	/* SQLite ended the batch's transaction */
	int		 broken; /* the file cannot be trusted: stop */
	/* The audit chain's head, and where it stood when the batch and
	 * the current put began (restored when they are undone). */
	struct store_head head, batch_head, put_head;
	/* The form last kept by a committed batch, and the one this batch
	 * kept: the same form is not bound and inserted again for every
	 * report. */
	uint8_t		 form_kept[STORE_HASH_LEN];
	uint8_t		 form_batch[STORE_HASH_LEN];
	int		 has_form_kept, has_form_batch;
	/* The aggregates' deltas of the current put, and of the batch's
	 * puts released so far: written at commit. */
	struct store_deltas	 put_sums, batch_sums, report_sums;
	char		 errbuf[STORE_ERR_MAX];
};

/* Records SQLite's error for what was run under name; returns -1. */
static int
store_sqlerr(struct store *s, const char *name, int rc)
{
	int	sys;

	/* A full disk can surface as an I/O error on the write itself. */
	sys = sqlite3_system_errno(s->db);
	s->full = (rc & 0xff) == SQLITE_FULL ||
	    ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT));
	/* A failing disk, a file made read-only or replaced: no write can
	 * be promised any more. */
	if (!s->full && ((rc & 0xff) == SQLITE_IOERR ||
	    (rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CORRUPT ||
	    (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CANTOPEN))
		s->broken = 1;
	snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", name,
	    sqlite3_errmsg(s->db));
	return -1;
}

static int
store_err(struct store *s, const char *name, const char *msg)
{
	s->full = 0;
	snprintf(s->errbuf, sizeof(s->errbuf), "%s: %s", name, msg);
	return -1;
}

static enum store_status
store_failure(const struct store *s)
{
	return s->full ? STORE_FULL : STORE_FAIL;
}

/* Runs SQL that returns no rows, at open time only. */
static int
store_exec(struct store *s, const char *name, const char *sql)
{
	int	rc;

	if ((rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return store_sqlerr(s, name, rc);
	return 0;
}

static int
store_user_version(struct store *s, int *version)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		goto fail;
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
fail:
	store_sqlerr(s, "user_version", rc);
	sqlite3_finalize(st);
	return -1;
}

static int
store_journal_wal(struct store *s)
{
	sqlite3_stmt	*st = NULL;
	const char	*mode;
	int		 rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		goto fail;
	/* SQLite keeps the old mode, without an error, where WAL cannot
	 * work (no shared memory, an in-memory database). */
	mode = (const char *)sqlite3_column_text(st, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		snprintf(s->errbuf, sizeof(s->errbuf),
		    "journal_mode: database stays in %s mode, not wal",
		    mode == NULL ? "an unknown" : mode);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	store_sqlerr(s, "journal_mode", rc);
	sqlite3_finalize(st);
	return -1;
}

static const char *store_col_text(sqlite3_stmt *, int);
static void	store_deltas_clear(struct store_deltas *);
static void	store_deltas_free(struct store_deltas *);
static int	store_copy(sqlite3 *, const char *, char *, size_t);
static int	store_fsync_path(const char *);
static int	store_fsync_dir(const char *);

/* Prepares sql into *keep, once: the migrations' own statements. */
static int
store_run(struct store *s, const char *name, const char *sql,
    sqlite3_stmt **keep)
{
	int	rc;

	if (*keep == NULL && (rc = sqlite3_prepare_v2(s->db, sql, -1, keep,
	    NULL)) != SQLITE_OK)
		return store_sqlerr(s, name, rc);
	return 0;
}

/*
 * Before migration 5: the numbers of the 2022 model, list by list, and
 * their codes (proto/legacy.c), in a table of this connection only.
 */
static int
store_legacy_codes(struct store *s)
{
	static const struct {
		const char	*list;
		int		 form_list;
	} lists[] = {
		{ "area", FORM_AREAS }, { "kind", FORM_KINDS },
		{ "occasion", FORM_OCCASIONS }, { "status", FORM_STATUSES },
		{ "indicator", FORM_INDICATORS },
	};
	sqlite3_stmt	*st = NULL;
	const char	*code;
	uint32_t	 n;
	size_t		 i;
	int		 rc;

	if (store_exec(s, "legacy-codes", "CREATE TEMP TABLE legacy_codes ("
	    "list TEXT NOT NULL, number INTEGER NOT NULL, code TEXT NOT NULL, "
	    "PRIMARY KEY (list, number))") == -1 ||
	    store_run(s, "legacy-codes", "INSERT INTO legacy_codes (list, "
	    "number, code) VALUES (?1, ?2, ?3)", &st) == -1)
		return -1;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (n = 1; (code = report_legacy_code(lists[i].form_list,
		    n)) != NULL; n++) {
			sqlite3_bind_text(st, 1, lists[i].list, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, n);
			sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE) {
				sqlite3_finalize(st);
				return store_sqlerr(s, "legacy-codes", rc);
			}
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * After migration 5's SQL: every revision stored before report forms was
 * checked against the 2022 model, which the built-in 2022 form is, and
 * gets the hash of its bytes packed for forms (its text in NFC, as gpd
 * reads what a client sends): the same report sent again under its id is
 * then a duplicate. Its own bytes and content hash stay as they are.
 */
static int
store_migrate_forms(struct store *s)
{
	sqlite3_stmt		*sel = NULL, *upd = NULL, *ins = NULL;
	struct report_errors	*errs = NULL;
	struct report		*r;
	struct form		*f = NULL;
	const char		*errstr, *bytes;
	char			*cause = NULL;
	uint8_t			*buf, h[STORE_HASH_LEN];
	size_t			 len, blen;
	int			 rc, ok = -1;

	if (form_builtin(&f, &cause) == -1 || (bytes = form_canonical(f,
	    &blen)) == NULL) {
		store_err(s, "migration 5", cause != NULL ? cause :
		    "out of memory");
		goto done;
	}
	if ((errs = calloc(1, sizeof(*errs))) == NULL) {
		store_err(s, "migration 5", "out of memory");
		goto done;
	}
	if (store_run(s, "migration 5", "INSERT INTO forms (sha256, year, "
	    "bytes, first_seen) VALUES (?1, ?2, ?3, ?4)", &ins) == -1 ||
	    store_run(s, "migration 5", "SELECT id, raw FROM reports", &sel)
	    == -1 ||
	    store_run(s, "migration 5", "UPDATE reports SET canonical_hash = "
	    "?1, form_sha256 = ?2 WHERE id = ?3", &upd) == -1)
		goto done;
	sqlite3_bind_blob(ins, 1, form_sha256(f), STORE_HASH_LEN,
	    SQLITE_STATIC);
	sqlite3_bind_int(ins, 2, form_year(f));
	sqlite3_bind_blob(ins, 3, bytes, (int)blen, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, (int64_t)time(NULL));
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
		store_sqlerr(s, "migration 5", rc);
		goto done;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		report_errors_clear(errs);
		buf = NULL;
		/* Bytes that no longer decode keep the hash they have:
		 * verify-audit names them. */
		if (report_unpack(sqlite3_column_blob(sel, 1),
		    (size_t)sqlite3_column_bytes(sel, 1), &r, NULL, errs,
		    &errstr) == 0) {
			if (report_normalize(r) == -1 ||
			    report_pack(r, &buf, &len) == -1 ||
			    report_digest(buf, len, h) == -1) {
				report_free(r);
				free(buf);
				store_err(s, "migration 5", "out of memory");
				goto done;
			}
			report_free(r);
			free(buf);
			sqlite3_bind_blob(upd, 1, h, STORE_HASH_LEN,
			    SQLITE_TRANSIENT);
		} else
			sqlite3_bind_null(upd, 1);
		sqlite3_bind_blob(upd, 2, form_sha256(f), STORE_HASH_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(upd, 3, sqlite3_column_int64(sel, 0));
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		if (rc != SQLITE_DONE) {
			store_sqlerr(s, "migration 5", rc);
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		store_sqlerr(s, "migration 5", rc);
		goto done;
	}
	/* The rest read the content hash: nothing left without one. */
	if (store_exec(s, "migration 5", "UPDATE reports SET canonical_hash "
	    "= content_hash WHERE canonical_hash IS NULL; "
	    "DROP TABLE legacy_codes") == -1)
		goto done;
	ok = 0;
done:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_finalize(ins);
	free(errs);
	free(cause);
	form_free(f);
	return ok;
}

/*
 * Brings the schema to STORE_SCHEMA_VERSION, one migration per
 * transaction. The version is read inside the write transaction, so two
 * daemons starting together do not both apply the same migration.
 */
static int
store_migrate(struct store *s, const char *path)
{
	char	name[32], copy[PATH_MAX];
	int	version, after;

	/* An older database is copied aside before it is changed. */
	if (store_user_version(s, &version) == -1)
		return -1;
	if (version > 0 && version < STORE_SCHEMA_VERSION) {
		if ((size_t)snprintf(copy, sizeof(copy), "%s.schema-%d.bak",
		    path, version) >= sizeof(copy)) {
			store_err(s, "migration copy", "path too long");
			return -1;
		}
		if (store_copy(s->db, copy, s->errbuf, sizeof(s->errbuf))
		    == -1)
			return -1;
	}
	/* A table rebuilt under its old name (migration 4) keeps what
	 * refers to it by name, an administrator's views included: the
	 * rename must not check or rewrite them while the name is free. */
	if (store_exec(s, "legacy_alter_table",
	    "PRAGMA legacy_alter_table = ON") == -1)
		return -1;
	for (;;) {
		if (store_exec(s, "begin", "BEGIN IMMEDIATE") == -1)
			goto fail;
		if (store_user_version(s, &version) == -1)
			goto fail;
		if (version > STORE_SCHEMA_VERSION) {
			snprintf(s->errbuf, sizeof(s->errbuf),
			    "database schema version %d is newer than this "
			    "gpd knows (%d)", version, STORE_SCHEMA_VERSION);
			goto fail;
		}
		if (version < 0) {
			snprintf(s->errbuf, sizeof(s->errbuf),
			    "database schema version %d is not one gpd "
			    "knows", version);
			goto fail;
		}
		if (version == STORE_SCHEMA_VERSION)
			break;
		snprintf(name, sizeof(name), "migration %d", version + 1);
		/* Report forms: codes for numbers, hashes made in C. */
		if (version + 1 == 5 && store_legacy_codes(s) == -1)
			goto fail;
		if (store_exec(s, name, migrations[version]) == -1)
			goto fail;
		if (version + 1 == 5 && store_migrate_forms(s) == -1)
			goto fail;
		if (store_user_version(s, &after) == -1)
			goto fail;
		if (after != version + 1) {
			store_err(s, name, "did not set user_version");
			goto fail;
		}
		if (store_exec(s, "commit", "COMMIT") == -1)
			goto fail;
	}
	/* Ends the transaction that only read the version. */
	if (store_exec(s, "commit", "COMMIT") == -1)
		goto fail;
	return store_exec(s, "legacy_alter_table",
	    "PRAGMA legacy_alter_table = OFF");
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(s->db, "PRAGMA legacy_alter_table = OFF", NULL, NULL,
	    NULL);
	return -1;
}

static struct store *
store_open_mode(const char *path, int reader, const char **errstr)
{
	/* Outlives the store it describes, which is already gone. */
	static _Thread_local char	 openerr[STORE_ERR_MAX];
	struct store			*s;
	int				 i, rc, version;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		*errstr = "out of memory";
		return NULL;
	}
	/* NOMUTEX: one thread owns the store. */
	rc = sqlite3_open_v2(path, &s->db, (reader ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		store_sqlerr(s, "open", rc);
		goto fail;
	}
	if ((rc = sqlite3_busy_timeout(s->db, STORE_BUSY_MS)) != SQLITE_OK) {
		store_sqlerr(s, "busy_timeout", rc);
		goto fail;
	}
	if (reader) {
		/* The writer has migrated; a reader only checks. */
		if (store_user_version(s, &version) == -1)
			goto fail;
		if (version != STORE_SCHEMA_VERSION) {
			snprintf(s->errbuf, sizeof(s->errbuf), "database schema "
			    "version %d, not %d", version,
			    STORE_SCHEMA_VERSION);
			goto fail;
		}
		if (store_exec(s, "query_only", "PRAGMA query_only = 1") == -1)
			goto fail;
		/* Long reads (summary, export) map the file instead of
		 * copying it through a small page cache. */
		if (store_exec(s, "mmap_size", "PRAGMA mmap_size = 1073741824")
		    == -1)
			goto fail;
	} else {
		/* Migrate first: a database we refuse is left as it was. */
		if (store_migrate(s, path) == -1)
			goto fail;
		if (store_journal_wal(s) == -1)
			goto fail;
		/* A receipt promises the report survives a power cut. */
		if (store_exec(s, "synchronous", "PRAGMA synchronous = FULL")
		    == -1)
			goto fail;
		if (store_exec(s, "foreign_keys", "PRAGMA foreign_keys = ON")
		    == -1)
			goto fail;
		/* A WAL grown while readers held old snapshots is cut back
		 * to this once a checkpoint has caught up with it, rather
		 * than keeping its largest size until restart. */
		if (store_exec(s, "journal_size_limit",
		    "PRAGMA journal_size_limit = " STORE_WAL_LIMIT) == -1)
			goto fail;
		/* Submission ids and receipts are random keys: as the file
		 * grows their index pages stop fitting SQLite's default
		 * 2 MiB cache and each insert reads them again. Up to
		 * 64 MiB, taken only as pages are used. */
		if (store_exec(s, "cache_size", "PRAGMA cache_size = -65536")
		    == -1)
			goto fail;
	}
	/* Every statement is checked here, at start, even those only
	 * cursors run (they prepare copies of their own). */
	for (i = 0; i < STMT__MAX; i++) {
		rc = sqlite3_prepare_v3(s->db, stmts[i].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			store_sqlerr(s, stmts[i].name, rc);
			goto fail;
		}
	}
	return s;
fail:
	snprintf(openerr, sizeof(openerr), "%s", s->errbuf);
	*errstr = openerr;
	store_close(s);
	return NULL;
}


/* Where store_copy writes: a directory that mkdtemp makes beside the
 * copy's target, and the copy's name inside it. */
#define STORE_COPY_DIR		".tmp.XXXXXX"
#define STORE_COPY_NAME		"copy.db"

/* Removes what store_copy may have left in its directory, and the
 * directory: the copy, SQLite's journals of it. */
static void
store_copy_clean(const char *dir, const char *tmp)
{
	static const char	*suffixes[] = { "", "-journal", "-wal", "-shm" };
	char			 name[PATH_MAX];
	size_t			 i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if ((size_t)snprintf(name, sizeof(name), "%s%s", tmp,
		    suffixes[i]) < sizeof(name))
			unlink(name);
	rmdir(dir);
}

/*
 * Copies a live database with SQLite's online backup API: one step over
 * every page inside one read transaction, so the copy is consistent
 * while the writer goes on. It is written in a directory of its own that
 * mkdtemp makes beside dest (mode 0700, a name no one can know
 * beforehand), so that no one else can put a file or a symbolic link
 * where SQLite creates the copy and its journal; then it is synced,
 * renamed over dest (a link at dest is replaced, not followed), and the
 * rename synced too: a copy said to be made survives a power cut.
 */
static int
store_copy(sqlite3 *src, const char *dest, char *err, size_t errlen)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	char		 dir[PATH_MAX], tmp[PATH_MAX];
	int		 rc;

	if ((size_t)snprintf(dir, sizeof(dir), "%s" STORE_COPY_DIR, dest) >=
	    sizeof(dir) || (size_t)snprintf(tmp, sizeof(tmp), "%s/"
	    STORE_COPY_NAME, dir) >= sizeof(tmp)) {
		snprintf(err, errlen, "%.200s: path too long", dest);
		return -1;
	}
	if (mkdtemp(dir) == NULL) {
		snprintf(err, errlen, "%.200s: %s", dir, strerror(errno));
		return -1;
	}
	/* The directory's name, its Xs replaced, in the copy's. */
	memcpy(tmp, dir, strlen(dir));
	if ((rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL)) != SQLITE_OK)
		goto fail;
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		rc = sqlite3_errcode(dst);
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		goto fail;
	/* The copy is a plain file, not in WAL mode, ready to restore. */
	if ((rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL,
	    NULL, NULL)) != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_close(dst)) != SQLITE_OK)
		goto fail;
	dst = NULL;
	if (store_fsync_path(tmp) == -1 || rename(tmp, dest) == -1) {
		snprintf(err, errlen, "%.200s: %s", dest, strerror(errno));
		store_copy_clean(dir, tmp);
		return -1;
	}
	store_copy_clean(dir, tmp);
	if (store_fsync_dir(dest) == -1) {
		snprintf(err, errlen, "%.200s: %s", dest, strerror(errno));
		return -1;
	}
	return 0;
fail:
	snprintf(err, errlen, "%.200s: %s", dest, dst != NULL ?
	    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close(dst);
	store_copy_clean(dir, tmp);
	return -1;
}

static int
store_fsync_path(const char *path)
{
	int	fd, rv;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	rv = fsync(fd);
	close(fd);
	return rv;
}

/* Syncs the directory holding path; a file system that cannot sync a
 * directory (EINVAL) has nothing more to give. */
static int
store_fsync_dir(const char *path)
{
	char	 dir[PATH_MAX], *slash;
	int	 fd, rv, saved;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
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

int
store_backup(const char *path, const char *dest, const char **errstr)
{
	static char	 err[STORE_ERR_MAX];
	sqlite3		*src = NULL;
	int		 rc;

	if ((rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL))
	    != SQLITE_OK) {
		snprintf(err, sizeof(err), "%.200s: %s", path,
		    sqlite3_errstr(rc));
		sqlite3_close(src);
		*errstr = err;
		return -1;
	}
	sqlite3_busy_timeout(src, STORE_BUSY_MS);
	rc = store_copy(src, dest, err, sizeof(err));
	sqlite3_close(src);
	*errstr = err;
	return rc;
}

struct store *
store_open_reader(const char *path, const char **errstr)
{
	return store_open_mode(path, 1, errstr);
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = STMT__MAX - 1; i >= 0; i--)
		sqlite3_finalize(s->stmt[i]);
	store_deltas_free(&s->put_sums);
	store_deltas_free(&s->batch_sums);
	store_deltas_free(&s->report_sums);
	/* A cursor still open keeps the connection until it is closed. */
	sqlite3_close_v2(s->db);
	free(s);
}

int
store_broken(const struct store *s)
{
	return s->broken;
}

const char *
store_error(const struct store *s)
{
	return s->errbuf;
}

int
store_reading(const struct store *s)
{
	sqlite3_stmt	*st = NULL;

	while ((st = sqlite3_next_stmt(s->db, st)) != NULL)
		if (sqlite3_stmt_busy(st))
			return 1;
	return 0;
}

const char *
store_statement(const char *name)
{
	size_t	i;

	for (i = 0; i < STMT__MAX; i++)
		if (strcmp(stmts[i].name, name) == 0)
			return stmts[i].sql;
	return NULL;
}

/*
 * Text and blobs are bound SQLITE_STATIC: they outlive the step, and
 * store_reset() clears every binding before the caller may free them.
 */
static void
store_reset(struct store *s, enum stmt id)
{
	sqlite3_reset(s->stmt[id]);
	sqlite3_clear_bindings(s->stmt[id]);
}

static int
store_bind_text(struct store *s, enum stmt id, int col, const char *text)
{
	int	rc;

	if (text == NULL)
		rc = sqlite3_bind_null(s->stmt[id], col);
	else
		rc = sqlite3_bind_text64(s->stmt[id], col, text, strlen(text),
		    SQLITE_STATIC, SQLITE_UTF8);
	if (rc != SQLITE_OK)
		return store_sqlerr(s, stmts[id].name, rc);
	return 0;
}

static int
store_bind_blob(struct store *s, enum stmt id, int col, const void *blob,
    size_t len)
{
	int	rc;

	if (blob == NULL)
		rc = sqlite3_bind_null(s->stmt[id], col);
	else
		rc = sqlite3_bind_blob64(s->stmt[id], col, blob, len,
		    SQLITE_STATIC);
	if (rc != SQLITE_OK)
		return store_sqlerr(s, stmts[id].name, rc);
	return 0;
}

static int
store_bind_int(struct store *s, enum stmt id, int col, int64_t v)
{
	int	rc;

	if ((rc = sqlite3_bind_int64(s->stmt[id], col, v)) != SQLITE_OK)
		return store_sqlerr(s, stmts[id].name, rc);
	return 0;
}

/* SQLite integers are signed: refuse rather than wrap. */
static int
store_bind_uint(struct store *s, enum stmt id, int col, uint64_t v)
{
	if (v > INT64_MAX)
		return store_err(s, stmts[id].name, "count out of range");
	return store_bind_int(s, id, col, (int64_t)v);
}

/* Steps a statement that returns no row, then readies it for reuse. */
static int
store_step(struct store *s, enum stmt id)
{
	int	rc;

	rc = sqlite3_step(s->stmt[id]);
	if (rc != SQLITE_DONE)
		store_sqlerr(s, stmts[id].name, rc);
	store_reset(s, id);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Steps a query: returns SQLITE_ROW or SQLITE_DONE, or -1. */
static int
store_step_row(struct store *s, enum stmt id)
{
	int	rc;

	rc = sqlite3_step(s->stmt[id]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlerr(s, stmts[id].name, rc);
		store_reset(s, id);
		return -1;
	}
	return rc;
}

/* Steps a query of one (unit, period), bound as ?1 and ?2: as
 * store_step_row. */
static int
store_step_of(struct store *s, enum stmt id, const char *unit,
    const char *period)
{
	if (store_bind_text(s, id, 1, unit) == -1 ||
	    store_bind_text(s, id, 2, period) == -1)
		return -1;
	return store_step_row(s, id);
}

/*
 * Ends a failed transaction. Every statement is reset first: one left
 * mid-step would keep its read open, and bindings must not outlive the
 * report they point into. The first error stays the one reported.
 */
static void
store_rollback(struct store *s)
{
	size_t	len;
	int	i, rc;

	for (i = 0; i < STMT__MAX; i++)
		store_reset(s, i);
	/* SQLite rolls back by itself after some errors (SQLITE_FULL). */
	if (sqlite3_get_autocommit(s->db))
		return;
	rc = sqlite3_step(s->stmt[STMT_ROLLBACK]);
	if (rc != SQLITE_DONE) {
		len = strlen(s->errbuf);
		snprintf(s->errbuf + len, sizeof(s->errbuf) - len,
		    "; rollback: %s", sqlite3_errmsg(s->db));
	}
	sqlite3_reset(s->stmt[STMT_ROLLBACK]);
}

/*
 * Undoes one submission inside a batch. When SQLite has already ended the
 * whole transaction (a full disk can), the batch is lost and every later
 * put and the commit fail.
 */
static void
store_undo(struct store *s)
{
	int	i;

	for (i = 0; i < STMT__MAX; i++)
		store_reset(s, i);
	s->head = s->put_head;
	store_deltas_clear(&s->put_sums);
	if (sqlite3_get_autocommit(s->db)) {
		s->lost = 1;
		return;
	}
	if (sqlite3_step(s->stmt[STMT_ROLLBACK_TO]) != SQLITE_DONE ||
	    (sqlite3_reset(s->stmt[STMT_ROLLBACK_TO]),
	    sqlite3_step(s->stmt[STMT_RELEASE]) != SQLITE_DONE))
		s->lost = 1;
	sqlite3_reset(s->stmt[STMT_ROLLBACK_TO]);
	sqlite3_reset(s->stmt[STMT_RELEASE]);
}

/* Whether a stored hash column is hash. */
static int
store_same_hash(sqlite3_stmt *st, int col, const uint8_t *hash)
{
	const void	*stored = sqlite3_column_blob(st, col);

	return hash != NULL && stored != NULL &&
	    sqlite3_column_bytes(st, col) == STORE_HASH_LEN &&
	    memcmp(stored, hash, STORE_HASH_LEN) == 0;
}

/*
 * Looks the submission id up. Returns 0 when absent, 1 when present with
 * *out filled from the first receipt and *same telling whether the
 * content is the same: the canonical bytes' hash, or for a revision
 * stored before report forms, the hash of the report packed the old way
 * as its bytes were. -1 on error.
 */
static int
store_find_submission(struct store *s, const struct report *r,
    const struct store_meta *m, struct store_receipt *out, int *same)
{
	sqlite3_stmt	*st = s->stmt[STMT_FIND_SUBMISSION];
	const char	*receipt;
	int		 rc;

	if (store_bind_text(s, STMT_FIND_SUBMISSION, 1, r->id) == -1)
		return -1;
	if ((rc = store_step_row(s, STMT_FIND_SUBMISSION)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		store_reset(s, STMT_FIND_SUBMISSION);
		return 0;
	}
	receipt = (const char *)sqlite3_column_text(st, 0);
	if (receipt == NULL ||
	    (size_t)sqlite3_column_bytes(st, 0) != STORE_RECEIPT_LEN) {
		store_reset(s, STMT_FIND_SUBMISSION);
		return store_err(s, stmts[STMT_FIND_SUBMISSION].name,
		    "stored receipt is malformed");
	}
	memcpy(out->receipt, receipt, STORE_RECEIPT_LEN + 1);
	out->revision = (uint32_t)sqlite3_column_int64(st, 1);
	out->received_at = sqlite3_column_int64(st, 2);
	out->late = sqlite3_column_int(st, 3);
	out->duplicate = 1;
	/* The lateness kept with it, whatever the due date is now. */
	if (sqlite3_column_type(st, 6) == SQLITE_NULL ||
	    date_parse((const char *)sqlite3_column_text(st, 6), &out->due) ==
	    -1)
		out->due = 0;
	out->days_late = sqlite3_column_int(st, 7);
	out->extended = sqlite3_column_int(st, 8);
	*same = store_same_hash(st, 5, m->hash) ||
	    store_same_hash(st, 4, m->legacy_hash);
	/* The first receipt signs the content hash it was given for. */
	if (*same && sqlite3_column_bytes(st, 4) == STORE_HASH_LEN)
		memcpy(out->content_hash, sqlite3_column_blob(st, 4),
		    STORE_HASH_LEN);
	store_reset(s, STMT_FIND_SUBMISSION);
	return 1;
}

/* The latest revision of r's (unit, period) and its submission id. */
static int
store_latest(struct store *s, const char *unit, const char *period,
    struct store_receipt *out)
{
	sqlite3_stmt	*st = s->stmt[STMT_LATEST];
	const char	*id;
	int		 rc;

	if ((rc = store_step_of(s, STMT_LATEST, unit, period)) == -1)
		return -1;
	if (rc == SQLITE_ROW) {
		out->latest_revision = (uint32_t)sqlite3_column_int64(st, 0);
		if ((id = store_col_text(st, 1)) != NULL)
			snprintf(out->latest_submission_id,
			    sizeof(out->latest_submission_id), "%s", id);
	}
	store_reset(s, STMT_LATEST);
	return 0;
}

/*
 * Lateness, decided now and kept with the revision: against the unit's
 * extension of the period when it has one, else the form's due date.
 */
static int
store_lateness(struct store *s, const struct report *r,
    const struct store_meta *m, struct store_receipt *out)
{
	char	until[DATE_LEN + 1];
	int32_t	day;
	int	rc;

	out->due = m->due;
	out->extended = 0;
	if ((rc = store_extension(s, r->unit, r->period, until, NULL, 0)) ==
	    -1)
		return -1;
	if (rc == 1 && date_parse(until, &day) == 0) {
		out->due = day;
		out->extended = 1;
	}
	out->days_late = m->today > out->due ? m->today - out->due : 0;
	out->late = out->days_late > 0;
	return 0;
}

/* The next revision of r's (unit, period), and the review state of the
 * latest in state (STORE_STATE_MAX bytes; "" for none) and its id in
 * *latest_id (0: none). */
#define STORE_STATE_MAX	16
static int
store_next_revision(struct store *s, const struct report *r,
    uint32_t *revision, char *state, int64_t *latest_id)
{
	const char	*v;
	int64_t		 last;
	int		 rc;

	if (store_bind_text(s, STMT_LAST_REVISION, 1, r->unit) == -1 ||
	    store_bind_text(s, STMT_LAST_REVISION, 2, r->period) == -1)
		return -1;
	if ((rc = store_step_row(s, STMT_LAST_REVISION)) == -1)
		return -1;
	if (rc != SQLITE_ROW) {
		store_reset(s, STMT_LAST_REVISION);
		return store_err(s, stmts[STMT_LAST_REVISION].name,
		    "no result");
	}
	last = sqlite3_column_int64(s->stmt[STMT_LAST_REVISION], 0);
	v = (const char *)sqlite3_column_text(s->stmt[STMT_LAST_REVISION], 1);
	snprintf(state, STORE_STATE_MAX, "%s", v != NULL ? v : "");
	*latest_id = sqlite3_column_int64(s->stmt[STMT_LAST_REVISION], 2);
	store_reset(s, STMT_LAST_REVISION);
	if (last < 0 || last >= UINT32_MAX)
		return store_err(s, stmts[STMT_LAST_REVISION].name,
		    "revision out of range");
	*revision = (uint32_t)last + 1;
	return 0;
}

/*
 * The receipt: the first 128 bits, in hex, of SHA-256 over
 * "gp-receipt-v1" NUL id NUL unit NUL period NUL revision NUL
 * content-hash-hex NUL received_at, numbers in decimal. All text, so
 * that an administrator can recompute it with printf | sha256sum.
 */
static int
store_receipt(struct store *s, const struct report *r,
    const struct store_meta *m, struct store_receipt *out)
{
	EVP_MD_CTX	*ctx;
	uint8_t		 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	char		 revision[16], received_at[24];
	char		 hash[2 * STORE_HASH_LEN + 1];
	const char	*fields[7];
	size_t		 i;

	snprintf(revision, sizeof(revision), "%" PRIu32, out->revision);
	snprintf(received_at, sizeof(received_at), "%" PRId64,
	    m->received_at);
	report_hex(m->hash, STORE_HASH_LEN, hash);
	fields[0] = "gp-receipt-v1";
	fields[1] = r->id;
	fields[2] = r->unit;
	fields[3] = r->period;
	fields[4] = revision;
	fields[5] = hash;
	fields[6] = received_at;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto fail;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto fail;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (i > 0 && EVP_DigestUpdate(ctx, "", 1) != 1)
			goto fail;
		if (EVP_DigestUpdate(ctx, fields[i], strlen(fields[i])) != 1)
			goto fail;
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 ||
	    mdlen < STORE_RECEIPT_LEN / 2)
		goto fail;
	report_hex(md, STORE_RECEIPT_LEN / 2, out->receipt);
	EVP_MD_CTX_free(ctx);
	return 0;
fail:
	EVP_MD_CTX_free(ctx);
	return store_err(s, "receipt", "SHA-256 failed");
}

static int
store_insert_report(struct store *s, const struct report *r,
    const struct store_meta *m, const struct store_receipt *out,
    int64_t *report_id)
{
	const enum stmt	id = STMT_INSERT_REPORT;
	char		due[DATE_LEN + 1];

	if (store_bind_text(s, id, 1, r->id) == -1 ||
	    store_bind_text(s, id, 2, r->unit) == -1 ||
	    store_bind_text(s, id, 3, r->period) == -1 ||
	    store_bind_int(s, id, 4, out->revision) == -1 ||
	    store_bind_text(s, id, 5, out->receipt) == -1 ||
	    store_bind_int(s, id, 6, m->received_at) == -1 ||
	    store_bind_int(s, id, 7, out->late != 0) == -1 ||
	    store_bind_text(s, id, 8, m->cn) == -1 ||
	    store_bind_text(s, id, 9, m->fingerprint) == -1 ||
	    store_bind_blob(s, id, 10, m->hash, STORE_HASH_LEN) == -1 ||
	    store_bind_text(s, id, 11, r->reporter_name) == -1 ||
	    store_bind_text(s, id, 12, r->reporter_position) == -1 ||
	    store_bind_text(s, id, 13, r->reporter_phone) == -1 ||
	    store_bind_blob(s, id, 14, m->raw, m->rawlen) == -1 ||
	    store_bind_blob(s, id, 15, m->form_sha256, m->form_sha256 != NULL ?
	    STORE_HASH_LEN : 0) == -1 ||
	    store_bind_text(s, id, 16, r->plan_number) == -1 ||
	    store_bind_text(s, id, 17, r->plan_date) == -1 ||
	    (date_format(out->due, due), store_bind_text(s, id, 18, due)) ==
	    -1 ||
	    store_bind_int(s, id, 19, out->days_late) == -1 ||
	    store_bind_int(s, id, 20, out->extended != 0) == -1)
		return -1;
	if (store_step(s, id) == -1)
		return -1;
	*report_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* The media output counts of activity idx. */
static int
store_insert_outputs(struct store *s, int64_t report_id, size_t idx,
    const struct report_activity *a)
{
	const enum stmt	id = STMT_INSERT_OUTPUT;
	size_t		i;

	for (i = 0; i < a->noutputs; i++)
		if (store_bind_int(s, id, 1, report_id) == -1 ||
		    store_bind_uint(s, id, 2, idx) == -1 ||
		    store_bind_text(s, id, 3, a->outputs[i].code) == -1 ||
		    store_bind_uint(s, id, 4, a->outputs[i].count) == -1 ||
		    store_step(s, id) == -1)
			return -1;
	return 0;
}

static int
store_insert_activities(struct store *s, int64_t report_id,
    const struct report *r)
{
	const enum stmt			 id = STMT_INSERT_ACTIVITY;
	const struct report_activity	*a;
	size_t				 i;

	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		if (store_bind_int(s, id, 1, report_id) == -1 ||
		    store_bind_uint(s, id, 2, i) == -1 ||
		    store_bind_text(s, id, 3, a->area) == -1 ||
		    store_bind_text(s, id, 4, a->kind) == -1 ||
		    store_bind_text(s, id, 5, a->occasion) == -1 ||
		    store_bind_text(s, id, 6, a->status) == -1 ||
		    store_bind_text(s, id, 7, a->audience) == -1 ||
		    store_bind_text(s, id, 8, a->topic) == -1 ||
		    store_bind_text(s, id, 9, a->date) == -1 ||
		    store_bind_text(s, id, 10, a->end_date) == -1 ||
		    store_bind_text(s, id, 11, a->title) == -1 ||
		    store_bind_text(s, id, 12, a->location) == -1 ||
		    store_bind_uint(s, id, 13, a->sessions) == -1 ||
		    store_bind_uint(s, id, 14, a->participants) == -1 ||
		    store_bind_uint(s, id, 15, a->female) == -1 ||
		    store_bind_text(s, id, 16, a->notes) == -1 ||
		    store_step(s, id) == -1 ||
		    store_insert_outputs(s, report_id, i, a) == -1)
			return -1;
	}
	return 0;
}

static int
store_insert_indicators(struct store *s, int64_t report_id,
    const struct report *r)
{
	const enum stmt				 id = STMT_INSERT_INDICATOR;
	const struct report_indicator_value	*v;
	size_t					 i;

	for (i = 0; i < r->nindicators; i++) {
		v = &r->indicators[i];
		if (store_bind_int(s, id, 1, report_id) == -1 ||
		    store_bind_text(s, id, 2, v->code) == -1 ||
		    store_bind_uint(s, id, 3, i) == -1 ||
		    store_bind_uint(s, id, 4, v->total) == -1 ||
		    (v->has_female ? store_bind_uint(s, id, 5, v->female) :
		    store_bind_text(s, id, 5, NULL)) == -1 ||
		    store_step(s, id) == -1)
			return -1;
	}
	return 0;
}

/*
 * Validated counts are at most REPORT_MAX_COUNT each, far from overflow;
 * an unvalidated sum past INT64_MAX stays there for store_bind_uint to
 * refuse.
 */
static uint64_t
store_add(uint64_t sum, uint64_t v)
{
	return sum > (uint64_t)INT64_MAX || v > (uint64_t)INT64_MAX - sum ?
	    UINT64_MAX : sum + v;
}

/* Whether an activity is planned ("ước thực hiện"): never added into
 * what was done. */
static int
store_planned(const struct report_activity *a)
{
	return a->status != NULL && strcmp(a->status, "planned") == 0;
}

/* Over r's activities: sum[0..2] the sessions, participants and women
 * of all, sum[3] the planned activities and sum[4..6] their sessions,
 * participants and women. */
static void
store_totals(const struct report *r, uint64_t sum[7])
{
	const struct report_activity	*a;
	size_t				 i;

	memset(sum, 0, 7 * sizeof(*sum));
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		sum[0] = store_add(sum[0], a->sessions);
		sum[1] = store_add(sum[1], a->participants);
		sum[2] = store_add(sum[2], a->female);
		if (!store_planned(a))
			continue;
		sum[3]++;
		sum[4] = store_add(sum[4], a->sessions);
		sum[5] = store_add(sum[5], a->participants);
		sum[6] = store_add(sum[6], a->female);
	}
}

/* The activities' totals, which summaries read instead of the rows. */
static int
store_insert_totals(struct store *s, int64_t report_id,
    const struct report *r)
{
	const enum stmt	id = STMT_INSERT_TOTALS;
	uint64_t	sum[7];
	int		i;

	store_totals(r, sum);
	if (store_bind_int(s, id, 1, report_id) == -1 ||
	    store_bind_uint(s, id, 2, r->nactivities) == -1)
		return -1;
	for (i = 0; i < 7; i++)
		if (store_bind_uint(s, id, 3 + i, sum[i]) == -1)
			return -1;
	return store_step(s, id);
}

/* One row per text present: the narrative's under section "narrative",
 * a section's under its code. */
static int
store_insert_texts(struct store *s, int64_t report_id, const char *section,
    const struct report_text *v, size_t n)
{
	const enum stmt	id = STMT_INSERT_TEXT;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (v[i].text == NULL)
			continue;
		if (store_bind_int(s, id, 1, report_id) == -1 ||
		    store_bind_text(s, id, 2, section) == -1 ||
		    store_bind_text(s, id, 3, v[i].code) == -1 ||
		    store_bind_text(s, id, 4, v[i].text) == -1 ||
		    store_step(s, id) == -1)
			return -1;
	}
	return 0;
}

static int
store_insert_sections(struct store *s, int64_t report_id,
    const struct report *r)
{
	size_t	i;

	for (i = 0; i < r->nsections; i++)
		if (store_insert_texts(s, report_id, r->sections[i].code,
		    r->sections[i].fields, r->sections[i].nfields) == -1)
			return -1;
	return 0;
}

/* The form a report was checked against, kept once. */
static int
store_insert_form(struct store *s, const struct store_meta *m)
{
	const enum stmt	id = STMT_INSERT_FORM;

	if (m->form_sha256 == NULL || m->form_bytes == NULL)
		return 0;
	if ((s->has_form_kept && memcmp(s->form_kept, m->form_sha256,
	    STORE_HASH_LEN) == 0) || (s->has_form_batch &&
	    memcmp(s->form_batch, m->form_sha256, STORE_HASH_LEN) == 0))
		return 0;
	if (store_bind_blob(s, id, 1, m->form_sha256, STORE_HASH_LEN) == -1 ||
	    store_bind_int(s, id, 2, m->form_year) == -1 ||
	    store_bind_blob(s, id, 3, m->form_bytes, m->form_len) == -1 ||
	    store_bind_int(s, id, 4, m->received_at) == -1 ||
	    store_step(s, id) == -1)
		return -1;
	return 0;
}

/* The validator's warnings, then the lateness judged here, which is
 * the validator's sentence with the due date that applied. */
static int
store_insert_warnings(struct store *s, int64_t report_id,
    const struct report_errors *w, const struct store_receipt *out)
{
	const enum stmt	id = STMT_INSERT_WARNING;
	char		late[REPORT_MESSAGE_MAX];
	size_t		i, n = 0;

	for (i = 0; w != NULL && i < w->n && i < REPORT_ERRORS_MAX; i++) {
		if (store_bind_int(s, id, 1, report_id) == -1 ||
		    store_bind_uint(s, id, 2, n++) == -1 ||
		    store_bind_text(s, id, 3, w->e[i].field) == -1 ||
		    store_bind_text(s, id, 4, w->e[i].message) == -1 ||
		    store_step(s, id) == -1)
			return -1;
	}
	if (out->days_late == 0)
		return 0;
	validate_late_message(out->due, out->due + out->days_late,
	    out->extended, late);
	if (store_bind_int(s, id, 1, report_id) == -1 ||
	    store_bind_uint(s, id, 2, n) == -1 ||
	    store_bind_text(s, id, 3, "period") == -1 ||
	    store_bind_text(s, id, 4, late) == -1 ||
	    store_step(s, id) == -1)
		return -1;
	return 0;
}

/*
 * The hash of one audit entry: SHA-256 over "gp-audit-v1", the previous
 * entry's hash and every field of this one, as text separated by NUL
 * bytes (absent fields empty, hashes in hex, numbers in decimal). The
 * first entry's previous hash is all zeros. PROTOCOL.md says the same.
 */
int
store_audit_hash(const uint8_t prev[STORE_HASH_LEN],
    const struct store_audit_row *e, uint8_t out[STORE_HASH_LEN])
{
	EVP_MD_CTX	*ctx;
	char		 prevhex[2 * STORE_HASH_LEN + 1], id[24], at[24];
	char		 content[2 * STORE_HASH_LEN + 1];
	const char	*fields[12];
	unsigned int	 len;
	size_t		 i;
	int		 rv = -1;

	report_hex(prev, STORE_HASH_LEN, prevhex);
	snprintf(id, sizeof(id), "%" PRId64, e->id);
	snprintf(at, sizeof(at), "%" PRId64, e->at);
	content[0] = '\0';
	if (e->content_hash != NULL)
		report_hex(e->content_hash, STORE_HASH_LEN, content);
	fields[0] = "gp-audit-v1";
	fields[1] = prevhex;
	fields[2] = id;
	fields[3] = at;
	fields[4] = e->cn;
	fields[5] = e->fingerprint;
	fields[6] = e->action;
	fields[7] = e->unit;
	fields[8] = e->period;
	fields[9] = e->result;
	fields[10] = e->detail;
	fields[11] = content;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto done;
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if ((i > 0 && EVP_DigestUpdate(ctx, "", 1) != 1) ||
		    (fields[i] != NULL && EVP_DigestUpdate(ctx, fields[i],
		    strlen(fields[i])) != 1))
			goto done;
	}
	len = STORE_HASH_LEN;
	if (EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == STORE_HASH_LEN)
		rv = 0;
done:
	EVP_MD_CTX_free(ctx);
	return rv;
}

static int
store_insert_audit(struct store *s, int64_t at, const char *cn,
    const char *fingerprint, const char *action, const char *unit,
    const char *period, const char *result, const char *detail,
    const uint8_t *content_hash)
{
	const enum stmt		 id = STMT_INSERT_AUDIT;
	struct store_audit_row	 e;
	uint8_t			 hash[STORE_HASH_LEN];

	memset(&e, 0, sizeof(e));
	e.id = s->head.id + 1;
	e.at = at;
	e.cn = cn;
	e.fingerprint = fingerprint;
	e.action = action;
	e.unit = unit;
	e.period = period;
	e.result = result;
	e.detail = detail;
	e.content_hash = content_hash;
	if (store_audit_hash(s->head.hash, &e, hash) == -1)
		return store_err(s, stmts[id].name, "SHA-256 failed");
	if (store_bind_int(s, id, 1, e.id) == -1 ||
	    store_bind_int(s, id, 2, at) == -1 ||
	    store_bind_text(s, id, 3, cn) == -1 ||
	    store_bind_text(s, id, 4, fingerprint) == -1 ||
	    store_bind_text(s, id, 5, action) == -1 ||
	    store_bind_text(s, id, 6, unit) == -1 ||
	    store_bind_text(s, id, 7, period) == -1 ||
	    store_bind_text(s, id, 8, result) == -1 ||
	    store_bind_text(s, id, 9, detail) == -1 ||
	    store_bind_blob(s, id, 10, content_hash, STORE_HASH_LEN) == -1 ||
	    store_bind_blob(s, id, 11, s->head.hash, STORE_HASH_LEN) == -1 ||
	    store_bind_blob(s, id, 12, hash, STORE_HASH_LEN) == -1 ||
	    store_step(s, id) == -1) {
		store_reset(s, id);
		return -1;
	}
	s->head.id = e.id;
	memcpy(s->head.hash, hash, STORE_HASH_LEN);
	return 0;
}

/* Whether a one-parameter query finds a row: 1, 0, or -1. */
static int
store_exists(struct store *s, enum stmt id, const char *param)
{
	int	rc;

	if (store_bind_text(s, id, 1, param) == -1)
		return -1;
	if ((rc = store_step_row(s, id)) == -1)
		return -1;
	store_reset(s, id);
	return rc == SQLITE_ROW;
}

/*
 * Adds (sign 1) or takes out (sign -1) a revision's contribution to the
 * aggregates of its period under a review state (NULL or "": received).
 */
static int
store_sums(struct store *s, int64_t report_id, const char *period,
    const char *state, int sign)
{
	static const enum stmt	 ids[] = { STMT_SUMS_UNIT, STMT_SUMS_CODES,
				    STMT_SUMS_INDICATORS };
	size_t			 i;

	if (state == NULL || *state == '\0')
		state = STORE_STATE_RECEIVED;
	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (store_bind_int(s, ids[i], 1, report_id) == -1 ||
		    store_bind_text(s, ids[i], 2, state) == -1 ||
		    store_bind_int(s, ids[i], 3, sign) == -1 ||
		    store_bind_text(s, ids[i], 4, period) == -1 ||
		    store_step(s, ids[i]) == -1)
			return -1;
	return 0;
}

/*
 * The aggregates' deltas (issue 20). A submission's contribution, and the
 * one it replaces, are added up in memory (struct store_deltas) rather
 * than written row by row: a batch of many reports of a period touches
 * each aggregate row once, when store_commit() writes the batch's deltas
 * before COMMIT. A put's deltas join the batch's only when the put is
 * released. Decisions and the registry write theirs at once (store_sums,
 * store_unit_sums): every delta is relative, so the order does not
 * matter.
 */
static uint64_t
store_delta_hash(const struct store_delta *k)
{
	const int64_t	 n[4] = { k->table, k->from, k->to, k->first_late };
	const char	*t[4] = { k->period, k->state, k->dim, k->code };
	uint64_t	 h = 1469598103934665603ULL;
	const uint8_t	*p;
	size_t		 i, j;

	for (i = 0; i < 4; i++) {
		for (p = (const uint8_t *)t[i]; *p != '\0'; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
		for (j = 0; j < sizeof(n[i]); j++)
			h = (h ^ (uint8_t)((uint64_t)n[i] >> (8 * j))) *
			    1099511628211ULL;
	}
	return h;
}

static int
store_delta_same(const struct store_delta *a, const struct store_delta *b)
{
	return a->table == b->table && a->from == b->from && a->to == b->to &&
	    a->first_late == b->first_late && strcmp(a->period, b->period) ==
	    0 && strcmp(a->state, b->state) == 0 && strcmp(a->dim, b->dim) ==
	    0 && strcmp(a->code, b->code) == 0;
}

static void
store_deltas_clear(struct store_deltas *d)
{
	size_t	i;

	for (i = 0; d->n > 0 && i < d->cap; i++)
		d->v[i].used = 0;
	d->n = 0;
}

static void
store_deltas_free(struct store_deltas *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* The slot of key k, or the empty one it goes into. */
static struct store_delta *
store_deltas_slot(struct store_delta *v, size_t cap,
    const struct store_delta *k)
{
	size_t	i = (size_t)store_delta_hash(k) & (cap - 1);

	while (v[i].used && !store_delta_same(&v[i], k))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Adds sign times k's values into d under k's key. */
static int
store_deltas_add(struct store *s, struct store_deltas *d,
    const struct store_delta *k, int sign)
{
	struct store_delta	*v, *e;
	size_t			 cap, i;

	if (2 * (d->n + 1) > d->cap) {
		cap = d->cap > 0 ? 2 * d->cap : 64;
		if ((v = calloc(cap, sizeof(*v))) == NULL)
			return store_err(s, "aggregates", "out of memory");
		for (i = 0; i < d->cap; i++)
			if (d->v[i].used)
				*store_deltas_slot(v, cap, &d->v[i]) = d->v[i];
		free(d->v);
		d->v = v;
		d->cap = cap;
	}
	e = store_deltas_slot(d->v, d->cap, k);
	if (!e->used) {
		*e = *k;
		memset(e->v, 0, sizeof(e->v));
		e->used = 1;
		d->n++;
	}
	for (i = 0; i < STORE_DELTA_VALUES; i++)
		e->v[i] += sign * k->v[i];
	return 0;
}

/* One activity's values in k: done, and planned apart. */
static void
store_delta_values(struct store_delta *k, int64_t sessions,
    int64_t participants, int64_t female, int planned)
{
	memset(k->v, 0, sizeof(k->v));
	k->v[1] = 1;
	k->v[2] = sessions;
	k->v[3] = participants;
	k->v[4] = female;
	if (planned) {
		k->v[5] = 1;
		k->v[6] = sessions;
		k->v[7] = participants;
		k->v[8] = female;
	}
}

/* One activity into a report's own deltas (rep), under each of its
 * codes; how many reports have the code is set once the report is
 * added up (store_delta_report). */
static int
store_delta_activity(struct store *s, struct store_deltas *rep,
    const struct store_delta *key, const char *const codes[4],
    int64_t sessions, int64_t participants, int64_t female, int planned)
{
	static const char *const dims[4] = { "area", "kind", "occasion",
	    "status" };
	struct store_delta	 k = *key;
	size_t			 i;

	k.table = DELTA_CODE;
	k.from = k.to = k.first_late = 0;
	store_delta_values(&k, sessions, participants, female, planned);
	for (i = 0; i < 4; i++) {
		snprintf(k.dim, sizeof(k.dim), "%s", dims[i]);
		if (codes[i] == NULL || strlen(codes[i]) >= sizeof(k.code))
			return store_err(s, "aggregates", "a code too long "
			    "or missing");
		memcpy(k.code, codes[i], strlen(codes[i]) + 1);
		if (store_deltas_add(s, rep, &k, 1) == -1)
			return -1;
	}
	/* The report itself. */
	k = *key;
	k.table = DELTA_UNIT;
	store_delta_values(&k, sessions, participants, female, planned);
	return store_deltas_add(s, rep, &k, 1);
}

static int
store_delta_indicator(struct store *s, struct store_deltas *rep,
    const struct store_delta *key, const char *code, int64_t total,
    int has_female, int64_t female)
{
	struct store_delta	 k = *key;

	k.table = DELTA_INDICATOR;
	if (code == NULL || strlen(code) >= sizeof(k.code))
		return store_err(s, "aggregates", "a code too long or missing");
	memcpy(k.code, code, strlen(code) + 1);
	memset(k.v, 0, sizeof(k.v));
	k.v[1] = total;
	k.v[2] = has_female ? female : 0;
	k.v[3] = has_female != 0;
	return store_deltas_add(s, rep, &k, 1);
}

/*
 * The unit row's key of r's (unit, period) but for its state: the unit in
 * the registry kept, and in *first whether the first revision was late
 * as kept (1) or not (0), -1 when none is stored yet. As the SQL of the aggregates keys it.
 */
static int
store_sums_key(struct store *s, const struct report *r,
    struct store_delta *unit, int64_t *first)
{
	sqlite3_stmt	*st = s->stmt[STMT_SUMS_KEY];
	const char	*v;
	int		 rc, bad;

	memset(unit, 0, sizeof(*unit));
	unit->table = DELTA_UNIT;
	snprintf(unit->period, sizeof(unit->period), "%s", r->period);
	if ((rc = store_step_of(s, STMT_SUMS_KEY, r->unit, r->period)) == -1)
		return -1;
	if (rc != SQLITE_ROW) {
		store_reset(s, STMT_SUMS_KEY);
		return store_err(s, stmts[STMT_SUMS_KEY].name, "no result");
	}
	v = store_col_text(st, 0);
	bad = v == NULL || strlen(v) >= sizeof(unit->code);
	if (!bad)
		memcpy(unit->code, v, strlen(v) + 1);
	unit->from = sqlite3_column_int64(st, 1);
	unit->to = sqlite3_column_int64(st, 2);
	*first = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 3);
	store_reset(s, STMT_SUMS_KEY);
	if (bad)
		return store_err(s, "aggregates", "a unit type too long");
	return 0;
}

/*
 * A revision's contribution into the put's deltas, added (sign 1) or
 * taken out (-1) under unit's key (its state, NULL or "": received): from
 * r, or, when r is NULL, from the rows stored.
 */
static int
store_delta_report(struct store *s, int64_t report_id,
    const struct store_delta *unitkey, const char *state, int sign,
    const struct report *r)
{
	struct store_deltas		*rep = &s->report_sums;
	const struct report_activity	*a;
	const struct report_indicator_value *iv;
	struct store_delta		 key, unit = *unitkey;
	sqlite3_stmt			*st;
	const char			*v, *codes[4];
	size_t				 i;
	int				 rc;

	snprintf(unit.state, sizeof(unit.state), "%s", state != NULL &&
	    *state != '\0' ? state : STORE_STATE_RECEIVED);
	memset(&key, 0, sizeof(key));
	snprintf(key.period, sizeof(key.period), "%s", unit.period);
	snprintf(key.state, sizeof(key.state), "%s", unit.state);
	store_deltas_clear(rep);
	/* The report, even without an activity. */
	if (store_deltas_add(s, rep, &unit, 1) == -1)
		return -1;
	if (r != NULL) {
		for (i = 0; i < r->nactivities; i++) {
			a = &r->activities[i];
			codes[0] = a->area;
			codes[1] = a->kind;
			codes[2] = a->occasion;
			codes[3] = a->status;
			if (a->sessions > INT64_MAX || a->participants >
			    INT64_MAX || a->female > INT64_MAX)
				return store_err(s, "aggregates", "count out "
				    "of range");
			if (store_delta_activity(s, rep, &unit, codes,
			    (int64_t)a->sessions,
			    (int64_t)a->participants, (int64_t)a->female,
			    a->status != NULL && strcmp(a->status,
			    "planned") == 0) == -1)
				return -1;
		}
		for (i = 0; i < r->nindicators; i++) {
			iv = &r->indicators[i];
			if (iv->total > INT64_MAX || iv->female > INT64_MAX)
				return store_err(s, "aggregates", "count out "
				    "of range");
			if (store_delta_indicator(s, rep, &key, iv->code,
			    (int64_t)iv->total, iv->has_female,
			    (int64_t)iv->female) == -1)
				return -1;
		}
	} else {
		st = s->stmt[STMT_SUMS_ACTIVITIES];
		if (store_bind_int(s, STMT_SUMS_ACTIVITIES, 1, report_id) ==
		    -1)
			return -1;
		while ((rc = store_step_row(s, STMT_SUMS_ACTIVITIES)) ==
		    SQLITE_ROW) {
			for (i = 0; i < 4; i++)
				codes[i] = store_col_text(st, (int)i);
			v = codes[3];
			if (store_delta_activity(s, rep, &unit, codes,
			    sqlite3_column_int64(st, 4),
			    sqlite3_column_int64(st, 5),
			    sqlite3_column_int64(st, 6), v != NULL &&
			    strcmp(v, "planned") == 0) == -1) {
				store_reset(s, STMT_SUMS_ACTIVITIES);
				return -1;
			}
		}
		store_reset(s, STMT_SUMS_ACTIVITIES);
		if (rc == -1)
			return -1;
		st = s->stmt[STMT_SUMS_INDICATORS_OF];
		if (store_bind_int(s, STMT_SUMS_INDICATORS_OF, 1, report_id) ==
		    -1)
			return -1;
		while ((rc = store_step_row(s, STMT_SUMS_INDICATORS_OF)) ==
		    SQLITE_ROW) {
			if (store_delta_indicator(s, rep, &key,
			    store_col_text(st, 0), sqlite3_column_int64(st, 1),
			    sqlite3_column_type(st, 2) != SQLITE_NULL,
			    sqlite3_column_int64(st, 2)) == -1) {
				store_reset(s, STMT_SUMS_INDICATORS_OF);
				return -1;
			}
		}
		store_reset(s, STMT_SUMS_INDICATORS_OF);
		if (rc == -1)
			return -1;
	}
	/* Each row the report adds to counts it once. */
	for (i = 0; i < rep->cap; i++)
		if (rep->v[i].used) {
			rep->v[i].v[0] = 1;
			if (store_deltas_add(s, &s->put_sums, &rep->v[i],
			    sign) == -1)
				return -1;
		}
	return 0;
}

/* The put's deltas into the batch's. Out of memory half-way, the batch's
 * are no longer right: the batch is lost, nothing of it is committed. */
static int
store_sums_merge(struct store *s)
{
	size_t	i;

	for (i = 0; i < s->put_sums.cap; i++)
		if (s->put_sums.v[i].used && store_deltas_add(s,
		    &s->batch_sums, &s->put_sums.v[i], 1) == -1) {
			s->lost = 1;
			return -1;
		}
	store_deltas_clear(&s->put_sums);
	return 0;
}

/* Writes the batch's deltas, each row once, before COMMIT. */
static int
store_sums_flush(struct store *s)
{
	static const enum stmt	 ids[] = { [DELTA_UNIT] = STMT_ADD_UNIT_SUMS,
				    [DELTA_CODE] = STMT_ADD_PERIOD_SUMS,
				    [DELTA_INDICATOR] =
				    STMT_ADD_PERIOD_INDICATORS };
	const struct store_delta *e;
	enum stmt		 id;
	size_t			 i, k, nv;
	int			 col, zero;

	for (i = 0; i < s->batch_sums.cap; i++) {
		e = &s->batch_sums.v[i];
		if (!e->used)
			continue;
		nv = e->table == DELTA_INDICATOR ? 4 : STORE_DELTA_VALUES;
		for (zero = 1, k = 0; k < nv; k++)
			if (e->v[k] != 0)
				zero = 0;
		if (zero)
			continue;
		id = ids[e->table];
		if (store_bind_text(s, id, 1, e->period) == -1 ||
		    store_bind_text(s, id, 2, e->state) == -1)
			return -1;
		col = 3;
		if (e->table == DELTA_UNIT) {
			if (store_bind_text(s, id, col++, e->code) == -1 ||
			    store_bind_int(s, id, col++, e->from) == -1 ||
			    store_bind_int(s, id, col++, e->to) == -1 ||
			    store_bind_int(s, id, col++, e->first_late) == -1)
				return -1;
		} else if (e->table == DELTA_CODE &&
		    store_bind_text(s, id, col++, e->dim) == -1)
			return -1;
		if (e->table != DELTA_UNIT &&
		    store_bind_text(s, id, col++, e->code) == -1)
			return -1;
		for (k = 0; k < nv; k++)
			if (store_bind_int(s, id, col++, e->v[k]) == -1)
				return -1;
		if (store_step(s, id) == -1)
			return -1;
	}
	store_deltas_clear(&s->batch_sums);
	return 0;
}

/* One submission inside the batch's transaction (store_put). */
static enum store_status
store_submit(struct store *s, const struct report *r,
    const struct store_meta *m, struct store_receipt *out)
{
	struct store_delta	 unit;
	char			 detail[32], state[STORE_STATE_MAX];
	int64_t			 report_id, latest_id, first;
	int			 found, same = 0;

	if ((found = store_find_submission(s, r, m, out, &same)) == -1)
		return store_failure(s);
	if (found && !same)
		return STORE_CONFLICT;
	/* A duplicate may be an older revision: the unit is told which
	 * is the latest. */
	if (found)
		return store_latest(s, r->unit, r->period, out) == -1 ?
		    store_failure(s) : STORE_DUPLICATE;
	if ((found = store_exists(s, STMT_IS_LOCKED, r->period)) == -1)
		return store_failure(s);
	if (found)
		return STORE_LOCKED;

	if (store_next_revision(s, r, &out->revision, state, &latest_id) ==
	    -1)
		return store_failure(s);
	/* An accepted report is final until the province reopens it; a
	 * period lock (above) comes first. */
	if (strcmp(state, STORE_STATE_ACCEPTED) == 0) {
		out->accepted_revision = out->revision - 1;
		return STORE_ACCEPTED;
	}
	if (store_lateness(s, r, m, out) == -1)
		return store_failure(s);
	out->back_under_review = strcmp(state, STORE_STATE_RETURNED) == 0;
	out->received_at = m->received_at;
	out->latest_revision = out->revision;
	snprintf(out->latest_submission_id, sizeof(out->latest_submission_id),
	    "%s", r->id);
	memcpy(out->content_hash, m->hash, STORE_HASH_LEN);
	if (store_receipt(s, r, m, out) == -1)
		return store_failure(s);

	/* The new revision replaces the latest in the period's totals: the
	 * latest's contribution goes out, with the keys it went in with. */
	if (store_sums_key(s, r, &unit, &first) == -1)
		return store_failure(s);
	if (latest_id != 0) {
		unit.first_late = first > 0;
		if (store_delta_report(s, latest_id, &unit, state, -1, NULL) ==
		    -1)
			return store_failure(s);
	}
	if (store_insert_form(s, m) == -1 ||
	    store_insert_report(s, r, m, out, &report_id) == -1 ||
	    store_insert_activities(s, report_id, r) == -1 ||
	    store_insert_indicators(s, report_id, r) == -1 ||
	    store_insert_totals(s, report_id, r) == -1 ||
	    store_insert_texts(s, report_id, "narrative", r->narrative,
	    r->nnarrative) == -1 ||
	    store_insert_sections(s, report_id, r) == -1 ||
	    store_insert_warnings(s, report_id, m->warnings, out) == -1)
		return store_failure(s);
	unit.first_late = first >= 0 ? first : out->days_late > 0;
	if (store_delta_report(s, report_id, &unit, NULL, 1, r) == -1)
		return store_failure(s);

	snprintf(detail, sizeof(detail), "revision %" PRIu32, out->revision);
	if (store_insert_audit(s, m->received_at, m->cn, m->fingerprint,
	    "submit", r->unit, r->period, "accepted", detail, m->hash) == -1)
		return store_failure(s);
	return STORE_OK;
}

int
store_begin(struct store *s)
{
	s->errbuf[0] = '\0';
	s->full = 0;
	s->lost = 0;
	s->batch_head = s->head;
	s->has_form_batch = 0;
	store_deltas_clear(&s->batch_sums);
	store_deltas_clear(&s->put_sums);
	return store_step(s, STMT_BEGIN);
}

enum store_status
store_put(struct store *s, const struct report *r,
    const struct store_meta *m, struct store_receipt *out)
{
	enum store_status	status;
	uint32_t		accepted = 0;

	memset(out, 0, sizeof(*out));
	if (s->lost)
		return store_failure(s);
	/* These go into the receipt as text; validation guarantees them,
	 * but the store must not crash on a report that skipped it. */
	if (r->id == NULL || r->unit == NULL || r->period == NULL ||
	    m->hash == NULL) {
		store_err(s, "put-report", "report lacks id, unit, period "
		    "or hash");
		return STORE_FAIL;
	}
	if (store_step(s, STMT_SAVEPOINT) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		return store_failure(s);
	}
	s->put_head = s->head;
	store_deltas_clear(&s->put_sums);
	status = store_submit(s, r, m, out);
	if (status == STORE_OK && store_sums_merge(s) == -1)
		status = store_failure(s);
	/* A refusal for a locked period or an accepted report, or of a
	 * submission id already stored with other content, is itself
	 * recorded (with the content sent); nothing else of it is stored. */
	if ((status == STORE_LOCKED || status == STORE_ACCEPTED ||
	    status == STORE_CONFLICT) && store_insert_audit(s, m->received_at,
	    m->cn, m->fingerprint, "submit", r->unit, r->period, "refused",
	    status == STORE_LOCKED ? "period locked" :
	    status == STORE_ACCEPTED ? "report accepted: final until reopened" :
	    "conflict: submission id already stored with other content",
	    m->hash) == -1)
		status = store_failure(s);
	if (status == STORE_OK || status == STORE_LOCKED ||
	    status == STORE_ACCEPTED || status == STORE_CONFLICT) {
		if (store_step(s, STMT_RELEASE) == 0) {
			if (status == STORE_ACCEPTED)
				accepted = out->accepted_revision;
			if (status != STORE_OK) {
				memset(out, 0, sizeof(*out));
				out->accepted_revision = accepted;
			}
			else if (m->form_sha256 != NULL &&
			    m->form_bytes != NULL) {
				/* Kept by this batch, once it commits. */
				memcpy(s->form_batch, m->form_sha256,
				    STORE_HASH_LEN);
				s->has_form_batch = 1;
			}
			return status;
		}
		status = store_failure(s);
	}
	/* Nothing of a refused or failed submission stays in the batch. */
	store_undo(s);
	if (status != STORE_DUPLICATE)
		memset(out, 0, sizeof(*out));
	return status;
}

int
store_put_audit(struct store *s, int64_t at, const char *cn,
    const char *fingerprint, const char *action, const char *unit,
    const char *period, const char *result, const char *detail)
{
	if (s->lost)
		return -1;
	if (store_insert_audit(s, at, cn, fingerprint, action, unit, period,
	    result, detail, NULL) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		return -1;
	}
	return 0;
}

enum store_status
store_commit(struct store *s)
{
	enum store_status	status;
	int			moved = 0;

	if (!s->lost && store_sums_flush(s) == 0 &&
	    store_step(s, STMT_COMMIT) == 0) {
		/* A file deleted or replaced under gpd takes commits
		 * that no restart will see: nothing may be acknowledged. */
		if (sqlite3_file_control(s->db, "main",
		    SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && !moved) {
			if (s->has_form_batch) {
				memcpy(s->form_kept, s->form_batch,
				    STORE_HASH_LEN);
				s->has_form_kept = 1;
				s->has_form_batch = 0;
			}
			return STORE_OK;
		}
		s->broken = 1;
		store_err(s, "commit", "the database file was deleted or "
		    "replaced while gpd ran");
		return STORE_FAIL;
	}
	if (s->errbuf[0] == '\0')
		store_err(s, "commit", "the transaction was rolled back");
	status = store_failure(s);
	store_rollback(s);
	s->head = s->batch_head;
	s->has_form_batch = 0;
	store_deltas_clear(&s->batch_sums);
	return status;
}

int
store_put_lock(struct store *s, const char *period, int lock, int64_t at,
    const char *cn, const char *fingerprint, int *changed)
{
	const enum stmt	id = lock ? STMT_LOCK : STMT_UNLOCK;

	*changed = 0;
	if (s->lost)
		return -1;
	if (store_step(s, STMT_SAVEPOINT) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		return -1;
	}
	s->put_head = s->head;
	if (store_bind_text(s, id, 1, period) == -1 ||
	    (lock && (store_bind_int(s, id, 2, at) == -1 ||
	    store_bind_text(s, id, 3, cn) == -1)) ||
	    store_step(s, id) == -1)
		goto fail;
	*changed = sqlite3_changes(s->db) > 0;
	if (store_insert_audit(s, at, cn, fingerprint, lock ? "lock" :
	    "unlock", NULL, period, *changed ? "done" : "unchanged", NULL,
	    NULL) == -1 || store_step(s, STMT_RELEASE) == -1)
		goto fail;
	return 0;
fail:
	store_undo(s);
	*changed = 0;
	return -1;
}

/* Takes out (sign -1) or adds (1) the contributions of every latest
 * revision of a unit to the unit rows, under the registry kept now. */
static int
store_unit_sums(struct store *s, const char *unit, int sign)
{
	const enum stmt	 id = STMT_UNIT_LATEST;
	sqlite3_stmt	*st = s->stmt[id];
	char		 period[REPORT_MAX_PERIOD + 1];
	char		 state[STORE_STATE_MAX];
	const char	*v;
	int64_t		 report_id;
	int		 rc;

	if (store_bind_text(s, id, 1, unit) == -1)
		return -1;
	while ((rc = store_step_row(s, id)) == SQLITE_ROW) {
		report_id = sqlite3_column_int64(st, 0);
		v = store_col_text(st, 1);
		snprintf(period, sizeof(period), "%s", v != NULL ? v : "");
		v = store_col_text(st, 2);
		snprintf(state, sizeof(state), "%s", v != NULL ? v : "");
		if (store_bind_int(s, STMT_SUMS_UNIT, 1, report_id) == -1 ||
		    store_bind_text(s, STMT_SUMS_UNIT, 2, state) == -1 ||
		    store_bind_int(s, STMT_SUMS_UNIT, 3, sign) == -1 ||
		    store_bind_text(s, STMT_SUMS_UNIT, 4, period) == -1 ||
		    store_step(s, STMT_SUMS_UNIT) == -1) {
			store_reset(s, id);
			return -1;
		}
	}
	store_reset(s, id);
	return rc == -1 ? -1 : 0;
}

/* One unit as the registry says it now (u), or gone from it (NULL). */
static int
store_registry_unit(struct store *s, const char *unit,
    const struct store_unit *u)
{
	if (store_unit_sums(s, unit, -1) == -1)
		return -1;
	if (u == NULL) {
		if (store_bind_text(s, STMT_REGISTRY_DROP, 1, unit) == -1 ||
		    store_step(s, STMT_REGISTRY_DROP) == -1)
			return -1;
	} else if (store_bind_text(s, STMT_REGISTRY_SET, 1, u->code) == -1 ||
	    store_bind_text(s, STMT_REGISTRY_SET, 2, u->type) == -1 ||
	    store_bind_int(s, STMT_REGISTRY_SET, 3, u->valid_from) == -1 ||
	    store_bind_int(s, STMT_REGISTRY_SET, 4, u->valid_to) == -1 ||
	    store_step(s, STMT_REGISTRY_SET) == -1)
		return -1;
	return store_unit_sums(s, unit, 1);
}

/* The whole registry again, and the unit rows added up anew. */
static int
store_registry_rebuild(struct store *s, const struct store_unit *v,
    size_t n)
{
	size_t	i;

	if (store_step(s, STMT_REGISTRY_CLEAR) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (store_bind_text(s, STMT_REGISTRY_SET, 1, v[i].code) == -1 ||
		    store_bind_text(s, STMT_REGISTRY_SET, 2, v[i].type) == -1 ||
		    store_bind_int(s, STMT_REGISTRY_SET, 3, v[i].valid_from) ==
		    -1 || store_bind_int(s, STMT_REGISTRY_SET, 4,
		    v[i].valid_to) == -1 || store_step(s, STMT_REGISTRY_SET) ==
		    -1)
			return -1;
	if (store_step(s, STMT_UNIT_SUMS_CLEAR) == -1 ||
	    store_step(s, STMT_UNIT_SUMS_REBUILD) == -1)
		return -1;
	return 0;
}

/* Whether the registry row under the cursor says what u does. */
static int
store_registry_same(sqlite3_stmt *st, const struct store_unit *u)
{
	const char	*type = store_col_text(st, 1);

	return type != NULL && strcmp(type, u->type) == 0 &&
	    sqlite3_column_int64(st, 2) == u->valid_from &&
	    sqlite3_column_int64(st, 3) == u->valid_to;
}

/* Past this many units changed, the unit rows are added up anew. */
#define STORE_REGISTRY_REBUILD	2048

int
store_put_registry(struct store *s, const struct store_unit *v, size_t n,
    size_t *changed)
{
	sqlite3_stmt	*st = s->stmt[STMT_REGISTRY_ALL];
	char		**gone = NULL, **grown;
	const char	*code;
	size_t		 i = 0, ngone = 0, cap = 0, nkept = 0, k;
	size_t		*moved = NULL, nmoved = 0;
	int		 rc, cmp;

	*changed = 0;
	if (s->lost)
		return -1;
	for (k = 1; k < n; k++)
		if (strcmp(v[k - 1].code, v[k].code) >= 0)
			return store_err(s, "registry", "units not in order");
	if ((moved = calloc(n > 0 ? n : 1, sizeof(*moved))) == NULL)
		return store_err(s, "registry", "out of memory");
	if (store_step(s, STMT_SAVEPOINT) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		free(moved);
		return -1;
	}
	s->put_head = s->head;
	/* Both in code order: what changed, read before anything is. */
	while ((rc = store_step_row(s, STMT_REGISTRY_ALL)) == SQLITE_ROW) {
		if ((code = store_col_text(st, 0)) == NULL)
			continue;
		nkept++;
		while (i < n && (cmp = strcmp(v[i].code, code)) < 0)
			moved[nmoved++] = i++;
		if (i < n && cmp == 0) {
			if (!store_registry_same(st, &v[i]))
				moved[nmoved++] = i;
			i++;
			continue;
		}
		if (ngone == cap) {
			cap = cap > 0 ? 2 * cap : 64;
			if ((grown = reallocarray(gone, cap, sizeof(*gone))) ==
			    NULL)
				break;
			gone = grown;
		}
		if ((gone[ngone] = strdup(code)) == NULL)
			break;
		ngone++;
	}
	store_reset(s, STMT_REGISTRY_ALL);
	if (rc == SQLITE_ROW) {
		store_err(s, "registry", "out of memory");
		goto fail;
	}
	if (rc == -1)
		goto fail;
	while (i < n)
		moved[nmoved++] = i++;
	*changed = nmoved + ngone;
	/* The first time (after migration 8) or after a large change, in
	 * one pass rather than unit by unit. */
	if (*changed > 0 && (nkept == 0 || *changed > STORE_REGISTRY_REBUILD)) {
		if (store_registry_rebuild(s, v, n) == -1)
			goto fail;
	} else {
		for (k = 0; k < ngone; k++)
			if (store_registry_unit(s, gone[k], NULL) == -1)
				goto fail;
		for (k = 0; k < nmoved; k++)
			if (store_registry_unit(s, v[moved[k]].code,
			    &v[moved[k]]) == -1)
				goto fail;
	}
	if (store_step(s, STMT_RELEASE) == -1)
		goto fail;
	for (k = 0; k < ngone; k++)
		free(gone[k]);
	free(gone);
	free(moved);
	return 0;
fail:
	store_undo(s);
	for (k = 0; k < ngone; k++)
		free(gone[k]);
	free(gone);
	free(moved);
	*changed = 0;
	return -1;
}

/* The latest revision of (unit, period), its content hash, review state
 * and id. 1 with them, 0 when nothing is stored, -1 on error. */
static int
store_review_of(struct store *s, const char *unit, const char *period,
    uint32_t *revision, uint8_t hash[STORE_HASH_LEN], const char **state,
    int64_t *report_id)
{
	sqlite3_stmt	*st = s->stmt[STMT_REVIEW_OF];
	const char	*v;
	int		 rc;

	if ((rc = store_step_of(s, STMT_REVIEW_OF, unit, period)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		store_reset(s, STMT_REVIEW_OF);
		return 0;
	}
	*revision = (uint32_t)sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) != STORE_HASH_LEN) {
		store_reset(s, STMT_REVIEW_OF);
		return store_err(s, stmts[STMT_REVIEW_OF].name, "the revision "
		    "has no content hash");
	}
	memcpy(hash, sqlite3_column_blob(st, 1), STORE_HASH_LEN);
	v = (const char *)sqlite3_column_text(st, 2);
	*state = v != NULL && strcmp(v, STORE_STATE_ACCEPTED) == 0 ?
	    STORE_STATE_ACCEPTED : v != NULL && strcmp(v,
	    STORE_STATE_RETURNED) == 0 ? STORE_STATE_RETURNED :
	    STORE_STATE_RECEIVED;
	*report_id = sqlite3_column_int64(st, 3);
	store_reset(s, STMT_REVIEW_OF);
	return 1;
}

/* The state an action leads to from was, or NULL when it may not be
 * taken then. */
static const char *
store_review_next(const char *action, const char *was)
{
	if (strcmp(action, "accept") == 0)
		return strcmp(was, STORE_STATE_ACCEPTED) != 0 ?
		    STORE_STATE_ACCEPTED : NULL;
	if (strcmp(action, "return") == 0)
		return strcmp(was, STORE_STATE_RECEIVED) == 0 ?
		    STORE_STATE_RETURNED : NULL;
	if (strcmp(action, "reopen") == 0)
		return strcmp(was, STORE_STATE_ACCEPTED) == 0 ?
		    STORE_STATE_RECEIVED : NULL;
	return NULL;
}

/*
 * The decision's id: the first 128 bits, in hex, of SHA-256 over
 * "gp-decision-v1", the audit entry's id, unit, period, revision, action,
 * the comment and the time, separated by NUL bytes: unique with its audit
 * entry.
 */
static int
store_decision_id(struct store *s, const struct store_review *in,
    int64_t audit_id, char out[STORE_RECEIPT_LEN + 1])
{
	EVP_MD_CTX	*ctx;
	uint8_t		 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	char		 id[24], revision[16], at[24];
	const char	*fields[8];
	size_t		 i;
	int		 rv = -1;

	snprintf(id, sizeof(id), "%" PRId64, audit_id);
	snprintf(revision, sizeof(revision), "%" PRIu32, in->revision);
	snprintf(at, sizeof(at), "%" PRId64, in->at);
	fields[0] = "gp-decision-v1";
	fields[1] = id;
	fields[2] = in->unit;
	fields[3] = in->period;
	fields[4] = revision;
	fields[5] = in->action;
	fields[6] = in->comment != NULL ? in->comment : "";
	fields[7] = at;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto done;
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if ((i > 0 && EVP_DigestUpdate(ctx, "", 1) != 1) ||
		    EVP_DigestUpdate(ctx, fields[i], strlen(fields[i])) != 1)
			goto done;
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 ||
	    mdlen < STORE_RECEIPT_LEN / 2)
		goto done;
	report_hex(md, STORE_RECEIPT_LEN / 2, out);
	rv = 0;
done:
	EVP_MD_CTX_free(ctx);
	return rv == 0 ? 0 : store_err(s, "decision", "SHA-256 failed");
}

/* The decision's signed text, as gpd signs it, and its SHA-256, which
 * the audit entry chains. */
static int
store_decision_hash(struct store *s, const struct store_review *in,
    const struct store_decision *out, uint8_t hash[STORE_HASH_LEN])
{
	struct decision_fields	 f;
	char			 payload[RECEIPT_PAYLOAD_MAX];
	unsigned int		 len = STORE_HASH_LEN;
	int			 n;

	memset(&f, 0, sizeof(f));
	f.decision = out->decision;
	f.unit = in->unit;
	f.period = in->period;
	f.revision = in->revision;
	f.report_sha256 = out->report_sha256;
	f.action = in->action;
	f.state = out->state;
	f.comment_sha256 = out->comment_sha256;
	f.decided_by = in->cn;
	f.decided_at = out->decided_at;
	if ((n = decision_payload(&f, payload, sizeof(payload))) == -1)
		return store_err(s, "decision", "a field does not fit its "
		    "signed text");
	if (EVP_Digest(payload, (size_t)n, hash, &len, EVP_sha256(), NULL)
	    != 1)
		return store_err(s, "decision", "SHA-256 failed");
	return 0;
}

int
store_put_review(struct store *s, const struct store_review *in,
    struct store_decision *out)
{
	const enum stmt	 id = STMT_INSERT_REVIEW;
	uint8_t		 rhash[STORE_HASH_LEN], dhash[STORE_HASH_LEN];
	char		 detail[96];
	const char	*comment = in->comment != NULL ? in->comment : "";
	struct tm	 tm;
	time_t		 t = (time_t)in->at;
	int64_t		 report_id = 0;
	int		 found;

	memset(out, 0, sizeof(*out));
	out->was = STORE_STATE_RECEIVED;
	if (s->lost)
		return -1;
	if (store_step(s, STMT_SAVEPOINT) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		return -1;
	}
	s->put_head = s->head;
	if ((found = store_review_of(s, in->unit, in->period, &out->latest,
	    rhash, &out->was, &report_id)) == -1)
		goto fail;
	if (!found)
		out->refused = STORE_REVIEW_NO_REPORT;
	else if (in->revision > out->latest || in->revision == 0)
		out->refused = STORE_REVIEW_NO_REVISION;
	else if (in->revision < out->latest)
		out->refused = STORE_REVIEW_STALE;
	else if ((out->state = store_review_next(in->action, out->was)) ==
	    NULL)
		out->refused = STORE_REVIEW_STATE;
	if (out->refused != STORE_REVIEW_DONE) {
		snprintf(detail, sizeof(detail), "%s revision %" PRIu32 ": %s",
		    in->action, in->revision, out->refused ==
		    STORE_REVIEW_NO_REPORT ? "no report" : out->refused ==
		    STORE_REVIEW_NO_REVISION ? "no such revision" :
		    out->refused == STORE_REVIEW_STALE ? "a later revision "
		    "arrived" : "not in that state");
		if (store_insert_audit(s, in->at, in->cn, in->fingerprint,
		    "review", in->unit, in->period, "refused", detail, NULL)
		    == -1 || store_step(s, STMT_RELEASE) == -1)
			goto fail;
		return 0;
	}
	report_hex(rhash, STORE_HASH_LEN, out->report_sha256);
	if (decision_sha256_hex(comment, strlen(comment),
	    out->comment_sha256) == -1) {
		store_err(s, "decision", "SHA-256 failed");
		goto fail;
	}
	if (gmtime_r(&t, &tm) == NULL || strftime(out->decided_at,
	    sizeof(out->decided_at), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		store_err(s, "decision", "time out of range");
		goto fail;
	}
	snprintf(detail, sizeof(detail), "revision %" PRIu32 ": %s",
	    in->revision, out->state);
	if (store_decision_id(s, in, s->head.id + 1, out->decision) == -1 ||
	    store_decision_hash(s, in, out, dhash) == -1 ||
	    store_bind_text(s, id, 1, out->decision) == -1 ||
	    store_bind_text(s, id, 2, in->unit) == -1 ||
	    store_bind_text(s, id, 3, in->period) == -1 ||
	    store_bind_int(s, id, 4, in->revision) == -1 ||
	    store_bind_blob(s, id, 5, rhash, STORE_HASH_LEN) == -1 ||
	    store_bind_text(s, id, 6, in->action) == -1 ||
	    store_bind_text(s, id, 7, out->state) == -1 ||
	    store_bind_text(s, id, 8, in->comment) == -1 ||
	    store_bind_int(s, id, 9, in->at) == -1 ||
	    store_bind_text(s, id, 10, in->cn) == -1 ||
	    store_bind_text(s, id, 11, in->fingerprint) == -1 ||
	    store_step(s, id) == -1 ||
	    store_insert_audit(s, in->at, in->cn, in->fingerprint, "review",
	    in->unit, in->period, in->action, detail, dhash) == -1 ||
	    /* The revision's contribution moves to its new state. */
	    store_sums(s, report_id, in->period, out->was, -1) == -1 ||
	    store_sums(s, report_id, in->period, out->state, 1) == -1 ||
	    store_step(s, STMT_RELEASE) == -1)
		goto fail;
	return 0;
fail:
	store_undo(s);
	memset(out, 0, sizeof(*out));
	out->was = STORE_STATE_RECEIVED;
	return -1;
}

int
store_extension(struct store *s, const char *unit, const char *period,
    char until[DATE_LEN + 1], char *reason, size_t reasonlen)
{
	sqlite3_stmt	*st = s->stmt[STMT_EXTENSION_OF];
	const char	*v;
	int		 rc;

	if ((rc = store_step_of(s, STMT_EXTENSION_OF, unit, period)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		store_reset(s, STMT_EXTENSION_OF);
		return 0;
	}
	v = store_col_text(st, 0);
	snprintf(until, DATE_LEN + 1, "%s", v != NULL ? v : "");
	if (reason != NULL && reasonlen > 0) {
		v = store_col_text(st, 1);
		snprintf(reason, reasonlen, "%s", v != NULL ? v : "");
	}
	store_reset(s, STMT_EXTENSION_OF);
	return 1;
}

int
store_put_extension(struct store *s, const char *unit, const char *period,
    const char *until, const char *reason, int64_t at, const char *cn,
    const char *fingerprint, char previous[DATE_LEN + 1], int *changed)
{
	char	detail[300];
	int	rc;

	*changed = 0;
	previous[0] = '\0';
	if (s->lost)
		return -1;
	if (store_step(s, STMT_SAVEPOINT) == -1) {
		s->lost = sqlite3_get_autocommit(s->db);
		return -1;
	}
	s->put_head = s->head;
	if ((rc = store_extension(s, unit, period, previous, NULL, 0)) == -1)
		goto fail;
	if (rc == 0)
		previous[0] = '\0';
	if (until != NULL) {
		if (store_bind_text(s, STMT_EXTENSION_SET, 1, unit) == -1 ||
		    store_bind_text(s, STMT_EXTENSION_SET, 2, period) == -1 ||
		    store_bind_text(s, STMT_EXTENSION_SET, 3, until) == -1 ||
		    store_bind_text(s, STMT_EXTENSION_SET, 4, reason) == -1 ||
		    store_bind_int(s, STMT_EXTENSION_SET, 5, at) == -1 ||
		    store_bind_text(s, STMT_EXTENSION_SET, 6, cn) == -1 ||
		    store_step(s, STMT_EXTENSION_SET) == -1)
			goto fail;
		*changed = strcmp(previous, until) != 0;
		snprintf(detail, sizeof(detail), "until %s%s%s", until,
		    reason != NULL && reason[0] != '\0' ? ": " : "",
		    reason != NULL ? reason : "");
	} else {
		if (store_bind_text(s, STMT_EXTENSION_CLEAR, 1, unit) == -1 ||
		    store_bind_text(s, STMT_EXTENSION_CLEAR, 2, period) ==
		    -1 || store_step(s, STMT_EXTENSION_CLEAR) == -1)
			goto fail;
		*changed = sqlite3_changes(s->db) > 0;
		snprintf(detail, sizeof(detail), "cleared%s%s",
		    previous[0] != '\0' ? " extension until " : "", previous);
	}
	if (store_insert_audit(s, at, cn, fingerprint, "extend", unit, period,
	    *changed ? "done" : "unchanged", detail, NULL) == -1 ||
	    store_step(s, STMT_RELEASE) == -1)
		goto fail;
	return 0;
fail:
	store_undo(s);
	*changed = 0;
	return -1;
}

/*
 * Cursors: a query with a statement of its own, stepped as the caller
 * asks, so a long answer streams from one consistent read instead of
 * being built in memory.
 */
struct store_cursor {
	struct store	*store;
	enum store_query query;
	sqlite3_stmt	*st;
};

static const enum stmt store_query_stmt[STORE_Q__MAX] = {
	[STORE_Q_LIST] = STMT_Q_LIST,
	[STORE_Q_HISTORY] = STMT_Q_HISTORY,
	[STORE_Q_SHOW] = STMT_Q_SHOW,
	[STORE_Q_INDICATORS_OF] = STMT_Q_INDICATORS_OF,
	[STORE_Q_WARNINGS_OF] = STMT_Q_WARNINGS_OF,
	[STORE_Q_MISSING] = STMT_Q_MISSING,
	[STORE_Q_SUM_TOTAL] = STMT_Q_SUM_TOTAL,
	[STORE_Q_SUM_AREA] = STMT_Q_SUM_AREA,
	[STORE_Q_SUM_KIND] = STMT_Q_SUM_KIND,
	[STORE_Q_SUM_OCCASION] = STMT_Q_SUM_OCCASION,
	[STORE_Q_SUM_STATUS] = STMT_Q_SUM_STATUS,
	[STORE_Q_SUM_UNIT] = STMT_Q_SUM_UNIT,
	[STORE_Q_INDICATOR_TOTALS] = STMT_Q_INDICATOR_TOTALS,
	[STORE_Q_EXPORT] = STMT_Q_EXPORT,
	[STORE_Q_AUDIT] = STMT_Q_AUDIT,
	[STORE_Q_REVIEWS] = STMT_Q_REVIEWS,
	[STORE_Q_COMMENTS] = STMT_Q_COMMENTS,
	[STORE_Q_LOCKS] = STMT_Q_LOCKS,
	[STORE_Q_STATES] = STMT_Q_STATES,
	[STORE_Q_SUM_TYPE] = STMT_Q_SUM_TYPE,
	[STORE_Q_MISSING_COUNTS] = STMT_Q_MISSING_COUNTS,
	[STORE_Q_EXTENSIONS] = STMT_Q_EXTENSIONS,
};

static int
store_cursor_bind_text(struct store_cursor *c, int col, const char *text)
{
	int	rc;

	if (text == NULL)
		rc = sqlite3_bind_null(c->st, col);
	else
		rc = sqlite3_bind_text(c->st, col, text, -1, SQLITE_TRANSIENT);
	return rc == SQLITE_OK ? 0 : store_sqlerr(c->store,
	    stmts[store_query_stmt[c->query]].name, rc);
}

struct store_cursor *
store_query(struct store *s, enum store_query q,
    const struct store_args *args)
{
	struct store_cursor	*c;
	enum stmt		 id;
	int			 rc;

	s->errbuf[0] = '\0';
	if (q >= STORE_Q__MAX) {
		store_err(s, "query", "unknown query");
		return NULL;
	}
	id = store_query_stmt[q];
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		store_err(s, stmts[id].name, "out of memory");
		return NULL;
	}
	c->store = s;
	c->query = q;
	if ((rc = sqlite3_prepare_v3(s->db, stmts[id].sql, -1, 0, &c->st,
	    NULL)) != SQLITE_OK) {
		store_sqlerr(s, stmts[id].name, rc);
		goto fail;
	}
	switch (q) {
	case STORE_Q_INDICATORS_OF:
	case STORE_Q_WARNINGS_OF:
		if ((rc = sqlite3_bind_int64(c->st, 1, args->report_id))
		    != SQLITE_OK) {
			store_sqlerr(s, stmts[id].name, rc);
			goto fail;
		}
		break;
	case STORE_Q_AUDIT:
		if ((rc = sqlite3_bind_int64(c->st, 1, args->since))
		    != SQLITE_OK) {
			store_sqlerr(s, stmts[id].name, rc);
			goto fail;
		}
		if (store_cursor_bind_text(c, 2, args->unit) == -1)
			goto fail;
		break;
	case STORE_Q_LOCKS:
		break;
	default:
		if (store_cursor_bind_text(c, 1, args->period) == -1)
			goto fail;
		if ((q == STORE_Q_LIST || q == STORE_Q_HISTORY ||
		    q == STORE_Q_SHOW || q == STORE_Q_REVIEWS ||
		    q == STORE_Q_COMMENTS || q == STORE_Q_EXTENSIONS) &&
		    store_cursor_bind_text(c, 2, args->unit) == -1)
			goto fail;
		/* Totals and exports: every latest revision, or only the
		 * accepted ones. */
		if ((q == STORE_Q_SUM_TOTAL || q == STORE_Q_SUM_AREA ||
		    q == STORE_Q_SUM_KIND || q == STORE_Q_SUM_OCCASION ||
		    q == STORE_Q_SUM_STATUS || q == STORE_Q_SUM_UNIT ||
		    q == STORE_Q_INDICATOR_TOTALS || q == STORE_Q_EXPORT ||
		    q == STORE_Q_STATES || q == STORE_Q_SUM_TYPE) &&
		    (rc = sqlite3_bind_int(c->st, 2, args->accepted != 0)) !=
		    SQLITE_OK) {
			store_sqlerr(s, stmts[id].name, rc);
			goto fail;
		}
		if (q == STORE_Q_MISSING_COUNTS && ((rc = sqlite3_bind_int(
		    c->st, 2, args->from)) != SQLITE_OK || (rc =
		    sqlite3_bind_int(c->st, 3, args->to)) != SQLITE_OK)) {
			store_sqlerr(s, stmts[id].name, rc);
			goto fail;
		}
		if (q == STORE_Q_SHOW && (rc = sqlite3_bind_int64(c->st, 3,
		    args->revision)) != SQLITE_OK) {
			store_sqlerr(s, stmts[id].name, rc);
			goto fail;
		}
		break;
	}
	return c;
fail:
	store_cursor_close(c);
	return NULL;
}

void
store_cursor_close(struct store_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}

/* Steps the cursor: 1 with a row, 0 at the end, -1 on error. */
static int
store_cursor_step(struct store_cursor *c)
{
	int	rc;

	rc = sqlite3_step(c->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlerr(c->store, stmts[store_query_stmt[c->query]].name,
	    rc);
}

static const char *
store_col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* A stored SHA-256, or NULL when absent or not 32 bytes. */
static const uint8_t *
store_col_hash(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_bytes(st, col) != STORE_HASH_LEN)
		return NULL;
	return sqlite3_column_blob(st, col);
}

/* Counts are stored as SQLite integers; a negative one is not ours. */
static uint64_t
store_col_count(sqlite3_stmt *st, int col)
{
	int64_t	v = sqlite3_column_int64(st, col);

	return v < 0 ? 0 : (uint64_t)v;
}

int
store_next_report(struct store_cursor *c, struct store_report_row *row)
{
	sqlite3_stmt	*st = c->st;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	memset(row, 0, sizeof(*row));
	row->id = sqlite3_column_int64(st, 0);
	row->unit = store_col_text(st, 1);
	row->period = store_col_text(st, 2);
	row->revision = (uint32_t)sqlite3_column_int64(st, 3);
	row->received_at = sqlite3_column_int64(st, 4);
	row->late = sqlite3_column_int(st, 5);
	row->receipt = store_col_text(st, 6);
	row->submission_id = store_col_text(st, 7);
	row->cert_cn = store_col_text(st, 8);
	row->cert_fingerprint = store_col_text(st, 9);
	row->activities = store_col_count(st, 10);
	row->sessions = store_col_count(st, 11);
	row->participants = store_col_count(st, 12);
	row->female = store_col_count(st, 13);
	row->planned_activities = store_col_count(st, 14);
	row->planned_sessions = store_col_count(st, 15);
	row->planned_participants = store_col_count(st, 16);
	row->planned_female = store_col_count(st, 17);
	row->content_hash = store_col_hash(st, 18);
	row->form_sha256 = store_col_hash(st, 19);
	row->canonical_hash = store_col_hash(st, 20);
	row->due = store_col_text(st, 21);
	row->days_late = sqlite3_column_int(st, 22);
	row->extended = sqlite3_column_int(st, 23);
	row->review_state = store_col_text(st, 24);
	return 1;
}

int
store_show_raw(struct store *s, int64_t report_id, void *arg,
    int (*fn)(void *, const void *, size_t))
{
	sqlite3_stmt	*st = s->stmt[STMT_RAW];
	int		 rc, rv = -1;

	if (store_bind_int(s, STMT_RAW, 1, report_id) == -1)
		return -1;
	if ((rc = store_step_row(s, STMT_RAW)) == -1)
		return -1;
	if (rc == SQLITE_ROW)
		rv = fn(arg, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	else
		store_err(s, stmts[STMT_RAW].name, "no such report");
	store_reset(s, STMT_RAW);
	return rv;
}

int
store_next_indicator(struct store_cursor *c, struct store_indicator_row *row)
{
	int	rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->code = store_col_text(c->st, 0);
	row->total = store_col_count(c->st, 1);
	row->has_female = sqlite3_column_type(c->st, 2) != SQLITE_NULL;
	row->female = store_col_count(c->st, 2);
	return 1;
}

int
store_next_warning(struct store_cursor *c, const char **field,
    const char **message)
{
	int	rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	*field = store_col_text(c->st, 0);
	*message = store_col_text(c->st, 1);
	return 1;
}

int
store_next_missing(struct store_cursor *c, struct store_missing_row *row)
{
	const char	*newest, *space;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->unit = store_col_text(c->st, 0);
	row->first_at = sqlite3_column_int64(c->st, 1);
	row->days_late = sqlite3_column_int(c->st, 2);
	row->extended = sqlite3_column_int(c->st, 3);
	row->revision = (uint32_t)sqlite3_column_int64(c->st, 4);
	row->latest_at = sqlite3_column_int64(c->st, 5);
	row->review_state = STORE_STATE_RECEIVED;
	if ((newest = store_col_text(c->st, 6)) != NULL &&
	    (space = strchr(newest, ' ')) != NULL &&
	    strtoul(newest, NULL, 10) == row->revision) {
		if (strcmp(space + 1, STORE_STATE_ACCEPTED) == 0)
			row->review_state = STORE_STATE_ACCEPTED;
		else if (strcmp(space + 1, STORE_STATE_RETURNED) == 0)
			row->review_state = STORE_STATE_RETURNED;
	}
	return 1;
}

int
store_next_count(struct store_cursor *c, struct store_count_row *row)
{
	int	rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->state = store_col_text(c->st, 0);
	row->reported = store_col_count(c->st, 1);
	row->on_time = store_col_count(c->st, 2);
	return 1;
}

int
store_next_review(struct store_cursor *c, struct store_review_row *row)
{
	sqlite3_stmt	*st = c->st;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->decision = store_col_text(st, 0);
	row->unit = store_col_text(st, 1);
	row->period = store_col_text(st, 2);
	row->revision = (uint32_t)sqlite3_column_int64(st, 3);
	row->report_hash = store_col_hash(st, 4);
	row->action = store_col_text(st, 5);
	row->state = store_col_text(st, 6);
	row->comment = store_col_text(st, 7);
	row->cn = store_col_text(st, 8);
	row->decided_at = sqlite3_column_int64(st, 9);
	return 1;
}

int
store_next_extension(struct store_cursor *c, struct store_extension_row *row)
{
	int	rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->unit = store_col_text(c->st, 0);
	row->period = store_col_text(c->st, 1);
	row->until = store_col_text(c->st, 2);
	row->reason = store_col_text(c->st, 3);
	row->at = sqlite3_column_int64(c->st, 4);
	row->cn = store_col_text(c->st, 5);
	return 1;
}

int
store_next_sum(struct store_cursor *c, struct store_sum_row *row)
{
	sqlite3_stmt	*st = c->st;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->key = store_col_text(st, 0);
	row->reports = store_col_count(st, 2);
	row->activities = store_col_count(st, 3);
	row->sessions = store_col_count(st, 4);
	row->participants = store_col_count(st, 5);
	row->female = store_col_count(st, 6);
	row->planned_activities = store_col_count(st, 7);
	row->planned_sessions = store_col_count(st, 8);
	row->planned_participants = store_col_count(st, 9);
	row->planned_female = store_col_count(st, 10);
	return 1;
}

int
store_next_activity(struct store_cursor *c, struct store_activity_row *row)
{
	sqlite3_stmt	*st = c->st;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->unit = store_col_text(st, 0);
	row->period = store_col_text(st, 1);
	row->revision = (uint32_t)sqlite3_column_int64(st, 2);
	row->idx = (uint32_t)sqlite3_column_int64(st, 3);
	row->area = store_col_text(st, 4);
	row->kind = store_col_text(st, 5);
	row->occasion = store_col_text(st, 6);
	row->status = store_col_text(st, 7);
	row->date = store_col_text(st, 8);
	row->end_date = store_col_text(st, 9);
	row->title = store_col_text(st, 10);
	row->location = store_col_text(st, 11);
	row->notes = store_col_text(st, 12);
	row->sessions = store_col_count(st, 13);
	row->participants = store_col_count(st, 14);
	row->female = store_col_count(st, 15);
	row->audience = store_col_text(st, 16);
	row->topic = store_col_text(st, 17);
	row->outputs = store_col_text(st, 18);
	row->has_first = sqlite3_column_type(st, 19) != SQLITE_NULL;
	row->first_at = sqlite3_column_int64(st, 19);
	row->first_days_late = sqlite3_column_int(st, 20);
	row->first_extended = sqlite3_column_int(st, 21) != 0;
	row->first_due = store_col_text(st, 22);
	return 1;
}

int
store_form(struct store *s, const uint8_t sha256[STORE_HASH_LEN], void *arg,
    int (*fn)(void *, int, const void *, size_t))
{
	sqlite3_stmt	*st = s->stmt[STMT_FORM_BY_SHA];
	int		 rc, rv = 0;

	if (store_bind_blob(s, STMT_FORM_BY_SHA, 1, sha256, STORE_HASH_LEN) ==
	    -1)
		return -1;
	if ((rc = store_step_row(s, STMT_FORM_BY_SHA)) == -1)
		return -1;
	if (rc == SQLITE_ROW)
		rv = fn(arg, sqlite3_column_int(st, 0), sqlite3_column_blob(st,
		    1), (size_t)sqlite3_column_bytes(st, 1)) == -1 ? -1 : 1;
	store_reset(s, STMT_FORM_BY_SHA);
	return rv;
}

long
store_count_using(struct store *s, int year, int list, const char *code)
{
	enum stmt	 id;
	sqlite3_stmt	*st;
	char		 y[16], section[FORM_MAX_CODE + 1];
	const char	*dot;
	long		 n;
	int		 rc;

	snprintf(y, sizeof(y), "%d", year);
	switch (list) {
	case FORM_AREAS:	id = STMT_C_AREA; break;
	case FORM_KINDS:	id = STMT_C_KIND; break;
	case FORM_OCCASIONS:	id = STMT_C_OCCASION; break;
	case FORM_STATUSES:	id = STMT_C_STATUS; break;
	case FORM_AUDIENCES:	id = STMT_C_AUDIENCE; break;
	case FORM_TOPICS:	id = STMT_C_TOPIC; break;
	case FORM_OUTPUTS:	id = STMT_C_OUTPUT; break;
	case FORM_INDICATORS:	id = STMT_C_INDICATOR; break;
	case FORM_NARRATIVE:	id = STMT_C_NARRATIVE; break;
	case FORM_SECTIONS:
		id = strchr(code, '.') != NULL ? STMT_C_FIELD : STMT_C_SECTION;
		break;
	case FORM_PERIODS:	id = STMT_C_PERIOD; break;
	case FORM_WHOLE:	id = STMT_C_YEAR; break;
	default:
		return store_err(s, "count", "no such list");
	}
	st = s->stmt[id];
	if (id == STMT_C_PERIOD) {
		/* "H1": the 6-month report of the year, else the annual. */
		if (strcmp(code, "H1") == 0)
			snprintf(y, sizeof(y), "%d-H1", year);
		if (store_bind_text(s, id, 1, y) == -1)
			return -1;
	} else if (store_bind_text(s, id, 1, y) == -1)
		return -1;
	if (id == STMT_C_FIELD) {
		dot = strchr(code, '.');
		snprintf(section, sizeof(section), "%.*s", (int)(dot - code),
		    code);
		if (store_bind_text(s, id, 2, section) == -1 ||
		    store_bind_text(s, id, 3, dot + 1) == -1)
			return -1;
	} else if (id != STMT_C_PERIOD && id != STMT_C_YEAR &&
	    store_bind_text(s, id, 2, code) == -1)
		return -1;
	if ((rc = store_step_row(s, id)) == -1)
		return -1;
	n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	store_reset(s, id);
	return n;
}

int
store_next_audit(struct store_cursor *c, struct store_audit_row *row)
{
	sqlite3_stmt	*st = c->st;
	int		 rc;

	if ((rc = store_cursor_step(c)) != 1)
		return rc;
	row->id = sqlite3_column_int64(st, 0);
	row->at = sqlite3_column_int64(st, 1);
	row->cn = store_col_text(st, 2);
	row->fingerprint = store_col_text(st, 3);
	row->action = store_col_text(st, 4);
	row->unit = store_col_text(st, 5);
	row->period = store_col_text(st, 6);
	row->result = store_col_text(st, 7);
	row->detail = store_col_text(st, 8);
	row->content_hash = store_col_hash(st, 9);
	row->prev_hash = store_col_hash(st, 10);
	row->hash = store_col_hash(st, 11);
	return 1;
}

/*
 * Loads the audit chain's head; entries made before the chain existed
 * (schema 2) are chained now, in id order, in one transaction.
 */
static int
store_chain_open(struct store *s)
{
	struct store_cursor	*c;
	struct store_args	 args;
	struct store_audit_row	 e;
	uint8_t			 prev[STORE_HASH_LEN], hash[STORE_HASH_LEN];
	int64_t			 unchained;
	int			 rc;

	memset(&s->head, 0, sizeof(s->head));
	if (store_step_row(s, STMT_AUDIT_UNCHAINED) != SQLITE_ROW)
		return -1;
	unchained = sqlite3_column_int64(s->stmt[STMT_AUDIT_UNCHAINED], 0);
	store_reset(s, STMT_AUDIT_UNCHAINED);
	if (unchained > 0) {
		if (store_step(s, STMT_BEGIN) == -1)
			return -1;
		memset(&args, 0, sizeof(args));
		if ((c = store_query(s, STORE_Q_AUDIT, &args)) == NULL)
			goto fail;
		memset(prev, 0, sizeof(prev));
		while ((rc = store_next_audit(c, &e)) == 1) {
			if (e.hash != NULL) {
				memcpy(prev, e.hash, STORE_HASH_LEN);
				continue;
			}
			if (store_audit_hash(prev, &e, hash) == -1 ||
			    store_bind_int(s, STMT_AUDIT_SET_HASH, 1, e.id)
			    == -1 || store_bind_blob(s, STMT_AUDIT_SET_HASH, 2,
			    prev, STORE_HASH_LEN) == -1 ||
			    store_bind_blob(s, STMT_AUDIT_SET_HASH, 3, hash,
			    STORE_HASH_LEN) == -1 ||
			    store_step(s, STMT_AUDIT_SET_HASH) == -1) {
				rc = -1;
				break;
			}
			memcpy(prev, hash, STORE_HASH_LEN);
		}
		store_cursor_close(c);
		if (rc == -1 || store_step(s, STMT_COMMIT) == -1)
			goto fail;
	}
	if ((rc = store_step_row(s, STMT_AUDIT_HEAD)) == -1)
		return -1;
	if (rc == SQLITE_ROW) {
		s->head.id = sqlite3_column_int64(s->stmt[STMT_AUDIT_HEAD], 0);
		if (store_col_hash(s->stmt[STMT_AUDIT_HEAD], 1) == NULL) {
			store_reset(s, STMT_AUDIT_HEAD);
			return store_err(s, "audit-head", "the last audit entry "
			    "has no hash: run gpd verify-audit");
		}
		memcpy(s->head.hash, store_col_hash(s->stmt[STMT_AUDIT_HEAD], 1),
		    STORE_HASH_LEN);
	}
	store_reset(s, STMT_AUDIT_HEAD);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

struct store *
store_open(const char *path, const char **errstr)
{
	static _Thread_local char	 err[STORE_ERR_MAX];
	struct store			*s;

	if ((s = store_open_mode(path, 0, errstr)) == NULL)
		return NULL;
	if (store_chain_open(s) == -1) {
		snprintf(err, sizeof(err), "%s", s->errbuf);
		*errstr = err;
		store_close(s);
		return NULL;
	}
	return s;
}

int
store_audit_head(struct store *s, int64_t *id, uint8_t hash[STORE_HASH_LEN])
{
	int	rc;

	if ((rc = store_step_row(s, STMT_AUDIT_HEAD)) == -1)
		return -1;
	*id = 0;
	memset(hash, 0, STORE_HASH_LEN);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s->stmt[STMT_AUDIT_HEAD], 0);
		if (store_col_hash(s->stmt[STMT_AUDIT_HEAD], 1) != NULL)
			memcpy(hash, store_col_hash(s->stmt[STMT_AUDIT_HEAD],
			    1), STORE_HASH_LEN);
	}
	store_reset(s, STMT_AUDIT_HEAD);
	return 0;
}

/*
 * gpd verify-audit: the chain, then every stored revision against its own
 * bytes and against the chain. Each problem is handed to say(); returns
 * the number of problems, or -1 when the check itself could not run.
 */
struct store_verify {
	struct store	*s;
	void		(*say)(void *, const char *);
	void		*arg;
	long		 problems;
};

static void	store_verify_say(struct store_verify *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
store_verify_say(struct store_verify *v, const char *fmt, ...)
{
	char	buf[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	v->problems++;
	v->say(v->arg, buf);
}

static int
store_verify_text(const char *stored, const char *given)
{
	if (stored == NULL || given == NULL)
		return (stored == NULL || *stored == '\0') &&
		    (given == NULL || *given == '\0');
	return strcmp(stored, given) == 0;
}

/* The totals kept for a report against its activities as submitted. */
static int
store_verify_totals(struct store_verify *v, int64_t report_id,
    const struct report *r, const char *what)
{
	struct store	*s = v->s;
	sqlite3_stmt	*st = s->stmt[STMT_V_TOTALS];
	uint64_t	 want[7];
	int		 rc, i, same;

	store_totals(r, want);
	if (store_bind_int(s, STMT_V_TOTALS, 1, report_id) == -1)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		same = store_col_count(st, 0) == r->nactivities;
		for (i = 0; i < 7; i++)
			same = same && store_col_count(st, 1 + i) == want[i];
		if (!same)
			store_verify_say(v, "%s: its totals differ from the "
			    "report as submitted (edited)", what);
	} else if (rc == SQLITE_DONE)
		store_verify_say(v, "%s: its totals row is missing (deleted)",
		    what);
	store_reset(s, STMT_V_TOTALS);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_TOTALS].name, rc);
	return 0;
}

/* The text of a narrative ("narrative") or section field, or NULL. */
static const char *
store_verify_find_text(const struct report *r, const char *section,
    const char *field)
{
	const struct report_text	*v = NULL;
	size_t				 i, n = 0;

	if (section == NULL || field == NULL)
		return NULL;
	if (strcmp(section, "narrative") == 0) {
		v = r->narrative;
		n = r->nnarrative;
	}
	for (i = 0; v == NULL && i < r->nsections; i++)
		if (r->sections[i].code != NULL &&
		    strcmp(r->sections[i].code, section) == 0) {
			v = r->sections[i].fields;
			n = r->sections[i].nfields;
		}
	for (i = 0; i < n; i++)
		if (v[i].code != NULL && strcmp(v[i].code, field) == 0)
			return v[i].text;
	return NULL;
}

/* The output count rows of a report against its activities. */
static int
store_verify_outputs(struct store_verify *v, int64_t report_id,
    const struct report *r, const char *what)
{
	struct store			*s = v->s;
	sqlite3_stmt			*st = s->stmt[STMT_V_OUTPUTS];
	const struct report_activity	*a;
	const char			*code;
	size_t				 i, k, n = 0, want = 0;
	int				 rc, found;

	if (store_bind_int(s, STMT_V_OUTPUTS, 1, report_id) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		i = (size_t)sqlite3_column_int64(st, 0);
		code = store_col_text(st, 1);
		found = 0;
		if (i < r->nactivities && code != NULL) {
			a = &r->activities[i];
			for (k = 0; k < a->noutputs; k++)
				if (a->outputs[k].code != NULL &&
				    strcmp(a->outputs[k].code, code) == 0 &&
				    a->outputs[k].count ==
				    store_col_count(st, 2))
					found = 1;
		}
		if (!found)
			store_verify_say(v, "%s: output %s of activity %zu "
			    "differs from the report as submitted (edited)",
			    what, code != NULL ? code : "?", i);
		n++;
	}
	store_reset(s, STMT_V_OUTPUTS);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_OUTPUTS].name, rc);
	for (i = 0; i < r->nactivities; i++)
		want += r->activities[i].noutputs;
	if (n != want)
		store_verify_say(v, "%s: %zu output rows, the report as "
		    "submitted has %zu", what, n, want);
	return 0;
}

/* The rows of one report against the report decoded from its bytes. */
static int
store_verify_rows(struct store_verify *v, int64_t report_id,
    const struct report *r, const char *what)
{
	struct store			*s = v->s;
	sqlite3_stmt			*st;
	struct store_cursor		*c;
	struct store_args		 args;
	struct store_indicator_row	 ind;
	const struct report_activity	*a;
	const char			*section, *field;
	size_t				 n = 0, i, ntexts = 0, want = 0;
	int				 rc;

	st = s->stmt[STMT_V_ACTIVITIES];
	if (store_bind_int(s, STMT_V_ACTIVITIES, 1, report_id) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		i = (size_t)sqlite3_column_int64(st, 0);
		if (i >= r->nactivities || i != n) {
			store_verify_say(v, "%s: activity row %zu is not in "
			    "the report as submitted", what, i);
			n++;
			continue;
		}
		a = &r->activities[i];
		if (!store_verify_text(store_col_text(st, 1), a->area) ||
		    !store_verify_text(store_col_text(st, 2), a->kind) ||
		    !store_verify_text(store_col_text(st, 3), a->occasion) ||
		    !store_verify_text(store_col_text(st, 4), a->status) ||
		    !store_verify_text(store_col_text(st, 13), a->audience) ||
		    !store_verify_text(store_col_text(st, 14), a->topic) ||
		    !store_verify_text(store_col_text(st, 5), a->date) ||
		    !store_verify_text(store_col_text(st, 6), a->end_date) ||
		    !store_verify_text(store_col_text(st, 7), a->title) ||
		    !store_verify_text(store_col_text(st, 8), a->location) ||
		    !store_verify_text(store_col_text(st, 9), a->notes) ||
		    store_col_count(st, 10) != a->sessions ||
		    store_col_count(st, 11) != a->participants ||
		    store_col_count(st, 12) != a->female)
			store_verify_say(v, "%s: activities[%zu] differs from "
			    "the report as submitted (edited)", what, i);
		n++;
	}
	store_reset(s, STMT_V_ACTIVITIES);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_ACTIVITIES].name, rc);
	if (n != r->nactivities)
		store_verify_say(v, "%s: %zu activity rows, the report as "
		    "submitted has %zu (deleted or added)", what, n,
		    r->nactivities);

	if (store_verify_totals(v, report_id, r, what) == -1 ||
	    store_verify_outputs(v, report_id, r, what) == -1)
		return -1;

	memset(&args, 0, sizeof(args));
	args.report_id = report_id;
	if ((c = store_query(s, STORE_Q_INDICATORS_OF, &args)) == NULL)
		return -1;
	for (n = 0; (rc = store_next_indicator(c, &ind)) == 1; n++) {
		for (i = 0; i < r->nindicators; i++)
			if (ind.code != NULL && r->indicators[i].code != NULL &&
			    strcmp(r->indicators[i].code, ind.code) == 0)
				break;
		if (i == r->nindicators || r->indicators[i].total !=
		    ind.total || r->indicators[i].has_female !=
		    ind.has_female || (ind.has_female &&
		    r->indicators[i].female != ind.female))
			store_verify_say(v, "%s: indicator %s differs from the "
			    "report as submitted (edited)", what,
			    ind.code != NULL ? ind.code : "?");
	}
	store_cursor_close(c);
	if (rc == -1)
		return -1;
	if (n != r->nindicators)
		store_verify_say(v, "%s: %zu indicator rows, the report as "
		    "submitted has %zu", what, n, r->nindicators);

	st = s->stmt[STMT_V_TEXTS];
	if (store_bind_int(s, STMT_V_TEXTS, 1, report_id) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		section = store_col_text(st, 0);
		field = store_col_text(st, 1);
		if (!store_verify_text(store_col_text(st, 2),
		    store_verify_find_text(r, section, field)))
			store_verify_say(v, "%s: %s.%s differs from the report "
			    "as submitted (edited)", what, section != NULL ?
			    section : "?", field != NULL ? field : "?");
		ntexts++;
	}
	store_reset(s, STMT_V_TEXTS);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_TEXTS].name, rc);
	for (i = 0; i < r->nnarrative; i++)
		want += r->narrative[i].text != NULL;
	for (i = 0; i < r->nsections; i++)
		for (n = 0; n < r->sections[i].nfields; n++)
			want += r->sections[i].fields[n].text != NULL;
	if (ntexts != want)
		store_verify_say(v, "%s: %zu narrative rows, the report as "
		    "submitted has %zu", what, ntexts, want);
	return 0;
}

/*
 * The hash of a report's canonical bytes for report forms: its content
 * hash, or for a revision stored before forms, the hash of the same
 * report packed again (text in NFC), which duplicates are found by; and
 * the form it records is kept.
 */
static int
store_verify_canonical(struct store_verify *v, sqlite3_stmt *st,
    struct report *r, int legacy, const uint8_t *content, const char *what)
{
	const uint8_t	*canonical = store_col_hash(st, 10);
	uint8_t		*buf, h[STORE_HASH_LEN];
	size_t		 len;

	if (store_col_hash(st, 11) == NULL || sqlite3_column_int(st, 14) != 1)
		store_verify_say(v, "%s: the form it was checked against is "
		    "not kept", what);
	if (!legacy) {
		if (canonical == NULL || memcmp(canonical, content,
		    STORE_HASH_LEN) != 0)
			store_verify_say(v, "%s: its canonical hash is not its "
			    "content hash (edited)", what);
		return 0;
	}
	if (report_normalize(r) == -1 || report_pack(r, &buf, &len) == -1)
		return store_err(v->s, "verify", "out of memory");
	if (report_digest(buf, len, h) == -1) {
		free(buf);
		return store_err(v->s, "verify", "SHA-256 failed");
	}
	free(buf);
	if (canonical == NULL || memcmp(canonical, h, STORE_HASH_LEN) != 0)
		store_verify_say(v, "%s: its canonical hash is not that of its "
		    "bytes packed for report forms (edited)", what);
	return 0;
}

static int
store_verify_reports(struct store_verify *v, long *count)
{
	struct store		*s = v->s;
	sqlite3_stmt		*st = s->stmt[STMT_V_REPORTS];
	struct report		*r;
	struct report_errors	*errs;
	const uint8_t		*hash;
	const char		*errstr, *unit, *period;
	uint8_t			 md[STORE_HASH_LEN];
	unsigned int		 mdlen;
	char			 what[160], detail[32];
	int64_t			 id, covered;
	uint32_t		 revision;
	int			 rc, legacy;

	if ((errs = malloc(sizeof(*errs))) == NULL)
		return store_err(s, "verify", "out of memory");
	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*count)++;
		id = sqlite3_column_int64(st, 0);
		unit = store_col_text(st, 2);
		period = store_col_text(st, 3);
		revision = (uint32_t)sqlite3_column_int64(st, 4);
		hash = store_col_hash(st, 5);
		snprintf(what, sizeof(what), "report %" PRId64 " (%s %s "
		    "revision %" PRIu32 ")", id, unit != NULL ? unit : "?",
		    period != NULL ? period : "?", revision);
		mdlen = sizeof(md);
		if (hash == NULL || EVP_Digest(sqlite3_column_blob(st, 6),
		    (size_t)sqlite3_column_bytes(st, 6), md, &mdlen,
		    EVP_sha256(), NULL) != 1 ||
		    memcmp(md, hash, STORE_HASH_LEN) != 0) {
			store_verify_say(v, "%s: stored bytes do not match "
			    "the content hash (edited)", what);
			continue;
		}
		report_errors_clear(errs);
		if (report_unpack(sqlite3_column_blob(st, 6),
		    (size_t)sqlite3_column_bytes(st, 6), &r, &legacy, errs,
		    &errstr) == -1) {
			store_verify_say(v, "%s: stored bytes do not decode: "
			    "%s", what, errstr);
			continue;
		}
		if (!store_verify_text(store_col_text(st, 1), r->id) ||
		    !store_verify_text(unit, r->unit) ||
		    !store_verify_text(period, r->period) ||
		    !store_verify_text(store_col_text(st, 7),
		    r->reporter_name) ||
		    !store_verify_text(store_col_text(st, 8),
		    r->reporter_position) ||
		    !store_verify_text(store_col_text(st, 9),
		    r->reporter_phone) ||
		    !store_verify_text(store_col_text(st, 12),
		    r->plan_number) ||
		    !store_verify_text(store_col_text(st, 13), r->plan_date))
			store_verify_say(v, "%s: report columns differ from "
			    "the report as submitted (edited)", what);
		/* The rows first: the canonical hash is of the text in
		 * NFC, which the rows of an old revision may not be. */
		if (store_verify_rows(v, id, r, what) == -1 ||
		    store_verify_canonical(v, st, r, legacy, hash, what) ==
		    -1) {
			report_free(r);
			goto fail;
		}
		report_free(r);

		snprintf(detail, sizeof(detail), "revision %" PRIu32,
		    revision);
		if (store_bind_text(s, STMT_V_COVERED, 1, unit) == -1 ||
		    store_bind_text(s, STMT_V_COVERED, 2, period) == -1 ||
		    store_bind_text(s, STMT_V_COVERED, 3, detail) == -1 ||
		    store_bind_blob(s, STMT_V_COVERED, 4, hash,
		    STORE_HASH_LEN) == -1 ||
		    store_step_row(s, STMT_V_COVERED) != SQLITE_ROW)
			goto fail;
		covered = sqlite3_column_int64(s->stmt[STMT_V_COVERED], 0);
		store_reset(s, STMT_V_COVERED);
		if (covered != 1)
			store_verify_say(v, "%s: not recorded in the audit "
			    "chain (inserted or altered afterwards)", what);
	}
	store_reset(s, STMT_V_REPORTS);
	free(errs);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_REPORTS].name, rc);
	return 0;
fail:
	store_reset(s, STMT_V_REPORTS);
	free(errs);
	return -1;
}

/* Every decision against the revision it names and against the chain:
 * its signed text, rebuilt from the row, hashes to its audit entry's. */
static int
store_verify_reviews(struct store_verify *v, long *count)
{
	struct store		*s = v->s;
	sqlite3_stmt		*st = s->stmt[STMT_V_REVIEWS];
	struct store_review	 in;
	struct store_decision	 d;
	const uint8_t		*rh;
	const char		*comment;
	uint8_t			 hash[STORE_HASH_LEN];
	char			 what[160];
	struct tm		 tm;
	time_t			 t;
	int64_t			 found;
	int			 rc;

	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*count)++;
		memset(&in, 0, sizeof(in));
		memset(&d, 0, sizeof(d));
		snprintf(d.decision, sizeof(d.decision), "%s",
		    store_col_text(st, 0) != NULL ? store_col_text(st, 0) : "");
		in.unit = store_col_text(st, 1);
		in.period = store_col_text(st, 2);
		in.revision = (uint32_t)sqlite3_column_int64(st, 3);
		rh = store_col_hash(st, 4);
		in.action = store_col_text(st, 5);
		d.state = store_col_text(st, 6);
		comment = store_col_text(st, 7);
		in.cn = store_col_text(st, 8);
		t = (time_t)sqlite3_column_int64(st, 9);
		snprintf(what, sizeof(what), "decision %s (%s %s revision %"
		    PRIu32 ")", d.decision, in.unit != NULL ? in.unit : "?",
		    in.period != NULL ? in.period : "?", in.revision);
		if (sqlite3_column_int64(st, 10) != 1)
			store_verify_say(v, "%s: the revision it names is not "
			    "stored with that content (edited)", what);
		if (rh == NULL || in.unit == NULL || in.period == NULL ||
		    in.action == NULL || d.state == NULL || in.cn == NULL ||
		    gmtime_r(&t, &tm) == NULL || strftime(d.decided_at,
		    sizeof(d.decided_at), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
			store_verify_say(v, "%s: a field is missing (edited)",
			    what);
			continue;
		}
		report_hex(rh, STORE_HASH_LEN, d.report_sha256);
		if (comment == NULL)
			comment = "";
		if (decision_sha256_hex(comment, strlen(comment),
		    d.comment_sha256) == -1 ||
		    store_decision_hash(s, &in, &d, hash) == -1) {
			store_verify_say(v, "%s: its signed text cannot be "
			    "made (edited)", what);
			continue;
		}
		if (store_bind_text(s, STMT_V_REVIEWED, 1, in.unit) == -1 ||
		    store_bind_text(s, STMT_V_REVIEWED, 2, in.period) == -1 ||
		    store_bind_text(s, STMT_V_REVIEWED, 3, in.action) == -1 ||
		    store_bind_blob(s, STMT_V_REVIEWED, 4, hash,
		    STORE_HASH_LEN) == -1 ||
		    store_step_row(s, STMT_V_REVIEWED) != SQLITE_ROW) {
			store_reset(s, STMT_V_REVIEWS);
			return -1;
		}
		found = sqlite3_column_int64(s->stmt[STMT_V_REVIEWED], 0);
		store_reset(s, STMT_V_REVIEWED);
		if (found != 1)
			store_verify_say(v, "%s: not recorded in the audit chain "
			    "as it stands (inserted or altered afterwards)",
			    what);
	}
	store_reset(s, STMT_V_REVIEWS);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[STMT_V_REVIEWS].name, rc);
	return 0;
}

static int
store_verify_chain(struct store_verify *v, long *count, int64_t *head_id,
    uint8_t head[STORE_HASH_LEN])
{
	struct store		*s = v->s;
	struct store_cursor	*c;
	struct store_args	 args;
	struct store_audit_row	 e;
	uint8_t			 hash[STORE_HASH_LEN];
	uint32_t		 revision;
	int64_t			 expect = 1, found;
	int			 rc, broken = 0;

	memset(head, 0, STORE_HASH_LEN);
	*count = 0;
	*head_id = 0;
	memset(&args, 0, sizeof(args));
	if ((c = store_query(s, STORE_Q_AUDIT, &args)) == NULL)
		return -1;
	while ((rc = store_next_audit(c, &e)) == 1) {
		(*count)++;
		if (!broken && e.id != expect) {
			store_verify_say(v, "audit entries %" PRId64 " to %"
			    PRId64 " are missing (deleted)", expect, e.id - 1);
			broken = 1;
		}
		if (!broken && (e.prev_hash == NULL ||
		    memcmp(e.prev_hash, head, STORE_HASH_LEN) != 0)) {
			store_verify_say(v, "audit entry %" PRId64 " does not "
			    "follow the one before it (the chain was cut or "
			    "rewritten)", e.id);
			broken = 1;
		}
		if (store_audit_hash(head, &e, hash) == -1) {
			store_cursor_close(c);
			return store_err(s, "verify", "SHA-256 failed");
		}
		if (!broken && (e.hash == NULL ||
		    memcmp(e.hash, hash, STORE_HASH_LEN) != 0)) {
			store_verify_say(v, "audit entry %" PRId64 " does not "
			    "match its hash (edited)", e.id);
			broken = 1;
		}
		/* After a break, go on from what is stored, to report each
		 * later problem once rather than every entry after it. */
		memcpy(head, e.hash != NULL ? e.hash : hash, STORE_HASH_LEN);
		*head_id = e.id;
		expect = e.id + 1;
		broken = 0;

		if (e.action == NULL || strcmp(e.action, "submit") != 0 ||
		    e.result == NULL || strcmp(e.result, "accepted") != 0)
			continue;
		if (e.detail == NULL || sscanf(e.detail, "revision %" SCNu32,
		    &revision) != 1 || e.content_hash == NULL) {
			store_verify_say(v, "audit entry %" PRId64 ": a "
			    "submission without revision or content hash",
			    e.id);
			continue;
		}
		if (store_bind_text(s, STMT_V_AUDITED, 1, e.unit) == -1 ||
		    store_bind_text(s, STMT_V_AUDITED, 2, e.period) == -1 ||
		    store_bind_int(s, STMT_V_AUDITED, 3, revision) == -1 ||
		    store_bind_blob(s, STMT_V_AUDITED, 4, e.content_hash,
		    STORE_HASH_LEN) == -1 ||
		    store_step_row(s, STMT_V_AUDITED) != SQLITE_ROW) {
			store_cursor_close(c);
			return -1;
		}
		found = sqlite3_column_int64(s->stmt[STMT_V_AUDITED], 0);
		store_reset(s, STMT_V_AUDITED);
		if (found != 1)
			store_verify_say(v, "audit entry %" PRId64 ": revision %"
			    PRIu32 " of %s %s is missing from the reports or "
			    "was altered", e.id, revision, e.unit != NULL ?
			    e.unit : "?", e.period != NULL ? e.period : "?");
	}
	store_cursor_close(c);
	return rc == -1 ? -1 : 0;
}

/*
 * The aggregates of one table against what the detail rows give (the
 * statement lists the rows that differ, by key, each side apart): one
 * problem naming the first key that differs, with both sides, and how
 * many keys differ. ncols: the counts after the key's nkey columns.
 */
static int
store_verify_aggregate(struct store_verify *v, enum stmt id,
    const char *table, int nkey, int ncols, long *rows)
{
	struct store	*s = v->s;
	sqlite3_stmt	*st = s->stmt[id];
	char		 key[160], prev[160], sides[2][160], first[160];
	const char	*side, *c;
	size_t		 len;
	long		 n = 0;
	int		 rc, i, k;

	*rows = 0;
	first[0] = '\0';
	sides[0][0] = sides[1][0] = '\0';
	prev[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		len = 0;
		key[0] = '\0';
		for (i = 0; i < nkey; i++) {
			c = store_col_text(st, 1 + i);
			len += (size_t)snprintf(key + len, len < sizeof(key) ?
			    sizeof(key) - len : 0, "%s%s", i > 0 ? " " : "",
			    c == NULL ? "?" : *c == '\0' ? "-" : c);
			if (len >= sizeof(key))
				len = sizeof(key) - 1;
		}
		/* Both sides of a key come together: one row that differs. */
		if (n == 0 || strcmp(prev, key) != 0)
			n++;
		snprintf(prev, sizeof(prev), "%s", key);
		if (first[0] == '\0')
			snprintf(first, sizeof(first), "%s", key);
		if (strcmp(first, key) != 0)
			continue;
		side = store_col_text(st, 0);
		k = side != NULL && strcmp(side, "kept") == 0 ? 0 : 1;
		len = 0;
		for (i = 0; i < ncols; i++) {
			len += (size_t)snprintf(sides[k] + len, len <
			    sizeof(sides[k]) ? sizeof(sides[k]) - len : 0,
			    "%s%" PRId64, i > 0 ? "/" : "",
			    (int64_t)sqlite3_column_int64(st, 1 + nkey + i));
			if (len >= sizeof(sides[k]))
				len = sizeof(sides[k]) - 1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, stmts[id].name, rc);
	if (n > 0)
		store_verify_say(v, "%s: %ld rows differ from what the reports' "
		    "rows add up to (edited); first %s: kept %s, the reports "
		    "give %s",
		    table, n, first, sides[0][0] != '\0' ? sides[0] : "none",
		    sides[1][0] != '\0' ? sides[1] : "none");
	*rows = n;
	return 0;
}

static int
store_verify_sums(struct store_verify *v)
{
	long	n;

	if (store_verify_aggregate(v, STMT_V_UNIT_SUMS, "unit_sums", 6, 9,
	    &n) == -1 ||
	    store_verify_aggregate(v, STMT_V_SUMS, "period_sums", 4, 9, &n)
	    == -1 || store_verify_aggregate(v, STMT_V_INDICATOR_SUMS,
	    "period_indicators", 3, 4, &n) == -1)
		return -1;
	return 0;
}

long
store_verify(const char *path, void (*say)(void *, const char *), void *arg,
    const char **errstr)
{
	static char		 err[STORE_ERR_MAX];
	struct store_verify	 v;
	char			 line[256], hex[2 * STORE_HASH_LEN + 1];
	uint8_t			 head[STORE_HASH_LEN];
	int64_t			 head_id;
	long			 entries = 0, reports = 0, reviews = 0;

	memset(&v, 0, sizeof(v));
	v.say = say;
	v.arg = arg;
	v.problems = 0;
	/* A reader of its own: safe while gpd serves. */
	if ((v.s = store_open_reader(path, errstr)) == NULL)
		return -1;
	if (store_verify_chain(&v, &entries, &head_id, head) == -1 ||
	    store_verify_reports(&v, &reports) == -1 ||
	    store_verify_reviews(&v, &reviews) == -1 ||
	    store_verify_sums(&v) == -1) {
		snprintf(err, sizeof(err), "%s", v.s->errbuf);
		*errstr = err;
		store_close(v.s);
		return -1;
	}
	store_close(v.s);
	report_hex(head, STORE_HASH_LEN, hex);
	snprintf(line, sizeof(line), "audit: %ld entries, head %" PRId64
	    " %s", entries, head_id, hex);
	say(arg, line);
	snprintf(line, sizeof(line), "reports: %ld revisions checked against "
	    "their bytes and the chain", reports);
	say(arg, line);
	snprintf(line, sizeof(line), "reviews: %ld decisions checked against "
	    "their revisions and the chain", reviews);
	say(arg, line);
	say(arg, "totals: the aggregates checked against the reports' rows");
	return v.problems;
}
