/*
 * The session and dispatch layers over a socketpair: a session host on a
 * worker whose loop this test runs, the real writer and store on a
 * temporary database, and a TLS client made with libevent on the same
 * loop (libevent's test/regress_ssl.c does the same). The PKI is made by
 * scripts/pki.sh at start. What is checked: the answers, what was stored,
 * and that every session and stream is gone (sessions, readers) after
 * busy, closing and torn-down connections.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <openssl/ssl.h>
#include <sqlite3.h>

#include "frame.h"
#include "gp.pb-c.h"
#include "refusals.h"
#include "report.h"
#include "report_json.h"
#include "session.h"
#include "settings.h"
#include "store.h"
#include "wire.h"
#include "worker.h"
#include "writer.h"

#define T_ROWS		40	/* reports in the database */
#define T_ACTIVITIES	200	/* each */
#define T_MAX_FRAME	65536

struct env {
	char			 dir[256];
	char			 db[320];
	struct settings_slot	*slot;
	struct writer		*writer;
	struct worker		*worker;
	struct session_host	*host;
	struct event_base	*base;
	struct refusals		*refusals;
	unsigned int		 gone;
	int			 over;	/* what established() answers */
};

static struct env	*env;

struct client {
	SSL_CTX			*ctx;
	struct bufferevent	*bev;
	int			 connected;
	int			 eof;
	int			 frames;
	int			 want;		/* frames to wait for */
	Gp__Response		*last;
};

static void
host_gone(void *arg, int established)
{
	struct env	*e = arg;

	(void)established;
	e->gone++;
}

static int
host_established(void *arg)
{
	struct env	*e = arg;

	return e->over;
}

static void
writer_fatal(void *arg)
{
	(void)arg;
	fail_msg("the writer found the database broken");
}

/* Runs the worker's loop until *flag is set, at most 20 s. */
static void
run_until(const int *flag)
{
	time_t	end = time(NULL) + 20;

	while (!*flag) {
		if (time(NULL) > end)
			fail_msg("nothing happened within 20 s");
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		if (!*flag)
			usleep(1000);
	}
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct client	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	const uint8_t	*buf;
	const char	*errstr;
	uint32_t	 n;

	/* Reads no further than the frames waited for, as a slow peer. */
	while (c->frames < c->want) {
		if (evbuffer_get_length(in) < FRAME_HEADER)
			return;
		buf = evbuffer_pullup(in, FRAME_HEADER);
		if (frame_check(buf, evbuffer_get_length(in), FRAME_MAX_LIMIT,
		    &n, &errstr) != FRAME_READY)
			return;
		buf = evbuffer_pullup(in, FRAME_HEADER + n);
		if (c->last != NULL)
			gp__response__free_unpacked(c->last, NULL);
		c->last = gp__response__unpack(NULL, n, buf + FRAME_HEADER);
		assert_non_null(c->last);
		evbuffer_drain(in, FRAME_HEADER + n);
		c->frames++;
	}
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct client	*c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		c->connected = 1;
	else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		c->eof = 1;
}

/* A session on the host for a client with NAME's certificate; over: past
 * the connection cap. */
static void
client_open(struct client *c, const char *name, int over)
{
	static const unsigned char	 alpn[] = "\x04gp/1";
	struct sockaddr_in		 sin;
	char				 crt[320], key[320], ca[320];
	SSL				*ssl;
	int				 sv[2];

	memset(c, 0, sizeof(*c));
	snprintf(crt, sizeof(crt), "%s/pki/%s.crt", env->dir, name);
	snprintf(key, sizeof(key), "%s/pki/%s.key", env->dir, name);
	snprintf(ca, sizeof(ca), "%s/pki/ca.crt", env->dir);
	assert_non_null(c->ctx = SSL_CTX_new(TLS_client_method()));
	assert_int_equal(SSL_CTX_use_certificate_chain_file(c->ctx, crt), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(c->ctx, key,
	    SSL_FILETYPE_PEM), 1);
	assert_int_equal(SSL_CTX_load_verify_locations(c->ctx, ca, NULL), 1);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	assert_int_equal(SSL_CTX_set_alpn_protos(c->ctx, alpn,
	    sizeof(alpn) - 1), 0);
	assert_non_null(ssl = SSL_new(c->ctx));

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(evutil_make_socket_nonblocking(sv[0]), 0);
	assert_int_equal(evutil_make_socket_nonblocking(sv[1]), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(40000);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	env->over = over;
	session_accept(env->host, sv[0], (struct sockaddr *)&sin,
	    sizeof(sin));
	assert_non_null(c->bev = bufferevent_openssl_socket_new(env->base,
	    sv[1], ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE));
	bufferevent_setcb(c->bev, client_read, NULL, client_event, c);
	/* A peer that reads no more than it handles: 64 KiB at most. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, 64 * 1024);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	run_until(&c->connected);
}

static void
client_close(struct client *c)
{
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	c->bev = NULL;
	if (c->last != NULL)
		gp__response__free_unpacked(c->last, NULL);
	c->last = NULL;
	SSL_CTX_free(c->ctx);
	c->ctx = NULL;
}

static void
client_send(struct client *c, const Gp__Request *req)
{
	uint8_t	*buf;
	size_t	 len;

	assert_int_equal(wire_pack_request(req, &buf, &len), 0);
	assert_int_equal(bufferevent_write(c->bev, buf, len), 0);
	free(buf);
}

/* Waits for the next frame; the response is c->last. */
static void
client_frame(struct client *c)
{
	int	done = 0;

	c->want = c->frames + 1;
	client_read(c->bev, c);
	while (!done) {
		run_until(&c->connected);
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		done = c->frames >= c->want || c->eof;
		if (!done)
			usleep(1000);
	}
	assert_true(c->frames >= c->want);
}

static void
request_init(Gp__Request *req, uint32_t id)
{
	gp__request__init(req);
	req->id = id;
	req->has_id = 1;
}

/* The sample report of tests/data, to submit. */
static struct report *
sample_report(void)
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	char			 cause[256];

	assert_non_null(errs = calloc(1, sizeof(*errs)));
	if (report_json_read_file("tests/data/lc-tamduong-2022-H1.json", NULL,
	    &r, errs, cause, sizeof(cause)) == -1)
		fail_msg("tests/data/lc-tamduong-2022-H1.json: %s", cause);
	free(errs);
	/* As gp-client does: the id is derived from the content. */
	assert_int_equal(report_derive_id(r), 0);
	return r;
}

static int64_t
db_count(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 n;

	assert_int_equal(sqlite3_open_v2(env->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Waits until the host has no session left. */
static void
all_gone(void)
{
	time_t	end = time(NULL) + 20;

	while (session_host_sessions(env->host) > 0) {
		if (time(NULL) > end)
			fail_msg("%u sessions still open after 20 s",
			    session_host_sessions(env->host));
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(1000);
	}
	assert_int_equal(session_host_readers_out(env->host), 0);
}

/* A unit asks who it is, then submits: a signed receipt, a stored row. */
static void
test_whoami_and_submit(void **state)
{
	struct client		 c;
	Gp__Request		 req;
	Gp__SubmitRequest	 sub;
	struct report		*r;
	unsigned int		 gone = env->gone;

	(void)state;
	client_open(&c, "lc-tamduong", 0);
	request_init(&req, 1);
	req.body_case = GP__REQUEST__BODY_WHOAMI;
	req.whoami = &(Gp__WhoamiRequest)GP__WHOAMI_REQUEST__INIT;
	client_send(&c, &req);
	client_frame(&c);
	assert_int_equal(c.last->id, 1);
	assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_WHOAMI);
	assert_string_equal(c.last->whoami->cn, "lc-tamduong");
	assert_string_equal(c.last->whoami->role, "unit");

	r = sample_report();
	request_init(&req, 2);
	gp__submit_request__init(&sub);
	assert_non_null(sub.report = wire_report_new(r));
	req.body_case = GP__REQUEST__BODY_SUBMIT;
	req.submit = &sub;
	client_send(&c, &req);
	wire_report_free(sub.report);
	report_free(r);
	client_frame(&c);
	assert_int_equal(c.last->id, 2);
	if (c.last->body_case == GP__RESPONSE__BODY_ERROR)
		fail_msg("submit: %s: %s: %s", c.last->error->message,
		    c.last->error->n_field_errors > 0 ?
		    c.last->error->field_errors[0]->field : "",
		    c.last->error->n_field_errors > 0 ?
		    c.last->error->field_errors[0]->message : "");
	assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_SUBMIT);
	assert_int_equal(c.last->submit->receipt->revision, 1);
	assert_true(c.last->submit->receipt->has_signature);
	assert_int_equal(db_count("SELECT count(*) FROM reports WHERE "
	    "unit = 'lc-tamduong' AND revision = 1"), 1);
	client_close(&c);
	all_gone();
	assert_int_equal(env->gone, gone + 1);
}

/* Past the connection cap: BUSY with a retry time, then closed. */
static void
test_over_cap_busy_then_closed(void **state)
{
	struct client	c;
	Gp__Request	req;
	unsigned int	gone = env->gone;

	(void)state;
	client_open(&c, "lc-tamduong", 1);
	request_init(&req, 9);
	req.body_case = GP__REQUEST__BODY_WHOAMI;
	req.whoami = &(Gp__WhoamiRequest)GP__WHOAMI_REQUEST__INIT;
	client_send(&c, &req);
	client_frame(&c);
	assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_ERROR);
	assert_int_equal(c.last->error->code, GP__ERROR_CODE__BUSY);
	assert_true(c.last->error->has_retry_after);
	assert_int_equal(c.last->error->retry_after, 5);
	run_until(&c.eof);
	client_close(&c);
	all_gone();
	assert_int_equal(env->gone, gone + 1);
}

/* A frame longer than max_frame: answered, then closed, its body never
 * read. */
static void
test_bad_frame_answered_then_closed(void **state)
{
	struct client	c;
	uint8_t		hdr[FRAME_HEADER];

	(void)state;
	client_open(&c, "lc-tamduong", 0);
	frame_header(hdr, T_MAX_FRAME + 1);
	assert_int_equal(bufferevent_write(c.bev, hdr, sizeof(hdr)), 0);
	client_frame(&c);
	assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_ERROR);
	assert_int_equal(c.last->error->code, GP__ERROR_CODE__BAD_REQUEST);
	assert_non_null(strstr(c.last->error->message, "max_frame is 65536"));
	run_until(&c.eof);
	client_close(&c);
	all_gone();
}

/* The peer leaves while its submission is at the writer: the session
 * closes at once, is freed when the answer comes, and the report, which
 * was committed, stays stored. */
static void
test_closed_while_busy(void **state)
{
	struct client		 c;
	Gp__Request		 req;
	Gp__SubmitRequest	 sub;
	struct report		*r;
	int64_t			 before;

	(void)state;
	before = db_count("SELECT count(*) FROM reports");
	client_open(&c, "lc-tamduong", 0);
	r = sample_report();
	free(r->id);
	assert_non_null(r->id = strdup("7d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
	request_init(&req, 3);
	gp__submit_request__init(&sub);
	assert_non_null(sub.report = wire_report_new(r));
	req.body_case = GP__REQUEST__BODY_SUBMIT;
	req.submit = &sub;
	client_send(&c, &req);
	wire_report_free(sub.report);
	report_free(r);
	/* Flushed, then gone without reading the answer. */
	while (evbuffer_get_length(bufferevent_get_output(c.bev)) > 0)
		event_base_loop(env->base, EVLOOP_ONCE);
	client_close(&c);
	all_gone();
	/* The writer's answer reaches a closed session, which it frees. */
	while (db_count("SELECT count(*) FROM reports") == before)
		event_base_loop(env->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	assert_int_equal(db_count("SELECT count(*) FROM reports WHERE "
	    "submission_id = '7d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d'"), 1);
}

/* An export longer than a frame: the peer reads one frame and leaves;
 * the stream ends with the session and its reader goes back. */
static void
test_stream_torn_down(void **state)
{
	struct client		c;
	Gp__Request		req;
	Gp__ExportRequest	ex;

	(void)state;
	client_open(&c, "admin-test", 0);
	/* A frame of 256 rows, each with its labels and its report's
	 * lateness, is larger than the 64 KiB the slow peer holds: room for
	 * a whole one, far less than the export. */
	bufferevent_setwatermark(c.bev, EV_READ, 0, 256 * 1024);
	request_init(&req, 4);
	gp__export_request__init(&ex);
	ex.period = (char *)(uintptr_t)"2022-H1";
	req.body_case = GP__REQUEST__BODY_EXPORT;
	req.export = &ex;
	client_send(&c, &req);
	client_frame(&c);
	assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_EXPORT);
	assert_true(c.last->more);
	assert_int_equal(c.last->export->n_rows, 256);
	assert_int_equal(session_host_readers_out(env->host), 1);
	client_close(&c);
	all_gone();
}

/*
 * A unit asking for what administrators may: each refusal answered (the
 * first written to the audit, the others counted), and after
 * SESSION_REFUSALS_MAX of them nothing more is read: the connection ends
 * without answering the next request.
 */
static void
test_refused_too_often(void **state)
{
	struct client	c;
	Gp__Request	req;
	int64_t		before;
	uint32_t	i;

	(void)state;
	before = db_count("SELECT count(*) FROM audit WHERE action = 'units'");
	client_open(&c, "lc-tamduong", 0);
	for (i = 1; i <= SESSION_REFUSALS_MAX; i++) {
		request_init(&req, i);
		req.body_case = GP__REQUEST__BODY_UNITS;
		req.units = &(Gp__UnitsRequest)GP__UNITS_REQUEST__INIT;
		client_send(&c, &req);
		client_frame(&c);
		assert_int_equal(c.last->id, i);
		assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_ERROR);
		assert_int_equal(c.last->error->code,
		    GP__ERROR_CODE__PERMISSION_DENIED);
	}
	request_init(&req, 99);
	req.body_case = GP__REQUEST__BODY_WHOAMI;
	req.whoami = &(Gp__WhoamiRequest)GP__WHOAMI_REQUEST__INIT;
	client_send(&c, &req);
	run_until(&c.eof);
	assert_int_equal(c.frames, SESSION_REFUSALS_MAX);
	client_close(&c);
	all_gone();
	/* One entry written; the other refusals are counted. */
	assert_int_equal(db_count("SELECT count(*) FROM audit WHERE "
	    "action = 'units'"), before + 1);
	assert_int_equal(refusals_open(env->refusals), 1);
}

/* The latest revision of every unit's report in full: more than one
 * frame, each of at most 256 KiB of reports and one more, the units in
 * order, every report's bytes a report of its unit. */
static void
test_reports_stream(void **state)
{
	struct client		 c;
	Gp__Request		 req;
	Gp__ReportsRequest	 rr;
	const Gp__StoredReport	*sr;
	struct report_errors	*errs;
	struct report		*r;
	const char		*errstr;
	char			 last[64] = "";
	size_t			 i, n = 0, bytes, biggest;
	int			 frames = 0, legacy;

	(void)state;
	assert_non_null(errs = calloc(1, sizeof(*errs)));
	client_open(&c, "admin-test", 0);
	/* A frame of this stream is larger than the 64 KiB the slow peer
	 * holds: room for a whole one, 256 KiB and a report of max_frame. */
	bufferevent_setwatermark(c.bev, EV_READ, 0,
	    256 * 1024 + 2 * T_MAX_FRAME);
	request_init(&req, 5);
	gp__reports_request__init(&rr);
	rr.period = (char *)(uintptr_t)"2022-H1";
	req.body_case = GP__REQUEST__BODY_REPORTS;
	req.reports = &rr;
	client_send(&c, &req);
	do {
		client_frame(&c);
		frames++;
		assert_int_equal(c.last->id, 5);
		assert_int_equal(c.last->body_case, GP__RESPONSE__BODY_REPORTS);
		bytes = biggest = 0;
		for (i = 0; i < c.last->reports->n_reports; i++) {
			sr = c.last->reports->reports[i];
			assert_non_null(sr->meta);
			assert_true(strcmp(last, sr->meta->unit) < 0);
			snprintf(last, sizeof(last), "%s", sr->meta->unit);
			assert_true(sr->has_report);
			assert_int_equal(report_unpack(sr->report.data,
			    sr->report.len, &r, &legacy, errs, &errstr), 0);
			assert_string_equal(r->unit, sr->meta->unit);
			assert_string_equal(r->period, "2022-H1");
			assert_int_equal(r->nactivities,
			    sr->meta->activities);
			report_free(r);
			bytes += sr->report.len;
			if (sr->report.len > biggest)
				biggest = sr->report.len;
			n++;
		}
		assert_true(bytes < 256 * 1024 + biggest);
	} while (c.last->has_more && c.last->more);
	assert_true(frames > 1);
	assert_int_equal(n, db_count("SELECT count(DISTINCT unit) FROM "
	    "reports WHERE period = '2022-H1'"));
	client_close(&c);
	all_gone();
	free(errs);
}

/* T_ROWS reports of T_ACTIVITIES activities, stored before the host
 * starts: an export of 8000 rows, longer than the buffers between the
 * session and its peer. */
static void
populate(void)
{
	struct store		*st;
	struct report		*r;
	struct store_meta	 m;
	struct store_receipt	 out;
	uint8_t			*raw, hash[32];
	const char		*errstr;
	char			 unit[32], id[40];
	size_t			 len, i, k;

	assert_non_null(st = store_open(env->db, &errstr));
	assert_int_equal(store_begin(st), 0);
	for (i = 0; i < T_ROWS; i++) {
		assert_non_null(r = report_new());
		snprintf(unit, sizeof(unit), "lc-x%02zu", i);
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012zu", i);
		r->id = strdup(id);
		r->unit = strdup(unit);
		r->period = strdup("2022-H1");
		r->nactivities = T_ACTIVITIES;
		assert_non_null(r->activities = calloc(T_ACTIVITIES,
		    sizeof(*r->activities)));
		for (k = 0; k < T_ACTIVITIES; k++) {
			r->activities[k].area = strdup("policy_dissemination");
			r->activities[k].kind = strdup("propaganda");
			r->activities[k].occasion = strdup("none");
			r->activities[k].status = strdup("done");
			r->activities[k].title = strdup("Hoạt động");
		}
		assert_int_equal(report_pack(r, &raw, &len), 0);
		assert_int_equal(report_hash(r, hash), 0);
		memset(&m, 0, sizeof(m));
		m.cn = unit;
		m.fingerprint = "-";
		m.received_at = 1654000000;
		m.raw = raw;
		m.rawlen = len;
		m.hash = hash;
		assert_int_equal(store_put(st, r, &m, &out), STORE_OK);
		free(raw);
		report_free(r);
	}
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
}

static int
setup(void **state)
{
	struct session_hooks	 hooks;
	struct settings	*set;
	const char	*tmp, *errstr;
	char		 cmd[600], path[320];
	char		*cause = NULL;
	FILE		*f;

	(void)state;
	if ((env = calloc(1, sizeof(*env))) == NULL)
		return -1;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(env->dir, sizeof(env->dir), "%s/test_session.XXXXXX", tmp);
	if (mkdtemp(env->dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "scripts/pki.sh %s/pki lc-tamduong "
	    "admin-test >/dev/null", env->dir);
	if (system(cmd) != 0) {
		print_error("%s failed\n", cmd);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/units.conf", env->dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "[lc-tamduong]\nname = LĐLĐ huyện Tam Đường\n"
	    "type = district_federation\n");
	fclose(f);
	snprintf(env->db, sizeof(env->db), "%s/gp.db", env->dir);
	snprintf(path, sizeof(path), "%s/gpd.conf", env->dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "[server]\ndatabase = %s\nunits = %s/units.conf\n"
	    "forms = %s/forms\n"
	    "max_frame = %d\n[tls]\ncertificate = %s/pki/server.crt\n"
	    "key = %s/pki/server.key\nclient_ca = %s/pki/ca.crt\n"
	    "[access]\nadmins = admin-test\n",
	    env->db, env->dir, env->dir,
	    T_MAX_FRAME, env->dir, env->dir, env->dir);
	fclose(f);

	if ((set = settings_load(path, &cause)) == NULL) {
		print_error("settings: %s\n", cause);
		return -1;
	}
	env->slot = settings_slot_new(set);
	/* Before the writer, which keeps the audit chain's head. */
	populate();
	if ((env->writer = writer_start(env->db, NULL, 0, writer_fatal, NULL,
	    &errstr)) == NULL) {
		print_error("writer: %s\n", errstr);
		return -1;
	}
	memset(&hooks, 0, sizeof(hooks));
	hooks.established = host_established;
	hooks.gone = host_gone;
	hooks.arg = env;
	hooks.hosts = 1;
	if ((env->refusals = refusals_new()) == NULL)
		return -1;
	hooks.refusals = env->refusals;
	if ((env->worker = worker_new(0, &errstr)) == NULL ||
	    (env->host = session_host_new(env->worker, env->writer,
	    env->slot, &hooks, &errstr)) == NULL) {
		print_error("host: %s\n", errstr);
		return -1;
	}
	env->base = worker_base(env->worker);
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[300];

	(void)state;
	session_host_close_readers(env->host);
	writer_stop(env->writer);
	worker_drain(env->worker);
	session_host_free(env->host);
	worker_free(env->worker);
	refusals_free(env->refusals);
	settings_slot_free(env->slot);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", env->dir);
	if (system(cmd) != 0)
		return -1;
	free(env);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whoami_and_submit),
		cmocka_unit_test(test_over_cap_busy_then_closed),
		cmocka_unit_test(test_bad_frame_answered_then_closed),
		cmocka_unit_test(test_closed_while_busy),
		cmocka_unit_test(test_stream_torn_down),
		cmocka_unit_test(test_refused_too_often),
		cmocka_unit_test(test_reports_stream),
	};

	/* As gpd: a peer gone mid-write is an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() == -1)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
