/*
 * gpload: the load generator of the benchmarks. Opens mutual-TLS
 * connections to gpd (or to openssl s_server) from several threads, each
 * with its own poll loop, and measures what comes back.
 *
 *   --mode persistent  every connection keeps --depth submissions in
 *                      flight; reports/s and latency p50/p99
 *   --mode connect     one new connection (full handshake, no resumption)
 *                      per report
 *   --mode handshake   connect, complete the handshake, close: the
 *                      baseline against openssl s_server
 *   --mode idle        open --conns connections, one whoami each, print
 *                      "ready N" and hold them until SIGTERM or --duration
 *   --mode query       one administrator connection timing missing,
 *                      missing's counts alone (missing-counts) or summary
 *                      (--query) until the last frame (more=false)
 *   --verify DB        checks that DB holds exactly the receipts file
 *
 * Every acknowledged receipt is appended to --receipts FILE as
 * "submission_id receipt unit revision".
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sqlite3.h>

#include "benchgen.h"
#include "frame.h"
#include "gp.pb-c.h"
#include "wire.h"

#define DEPTH_MAX	64
#define THREADS_MAX	64
#define HANDSHAKES_MAX	32	/* per thread, opening idle or persistent */
#define DRAIN_SECONDS	30	/* after the deadline, for answers */
#define OPEN_SECONDS	120	/* to open the long-lived connections */
#define READ_CHUNK	(16 * 1024)
#define FAIL_SHOWN	5

enum mode {
	MODE_PERSISTENT,
	MODE_CONNECT,
	MODE_HANDSHAKE,
	MODE_IDLE,
	MODE_QUERY
};

static const char *const mode_names[] = {
	"persistent", "connect", "handshake", "idle", "query"
};

enum cstate {
	C_FREE,
	C_CONNECTING,
	C_HANDSHAKE,
	C_OPEN
};

struct opts {
	enum mode	 mode;
	const char	*host;
	int		 port;
	const char	*ca;
	const char	*pki;
	size_t		 units;
	const char	*admin;
	const char	*period;
	const char	*query;
	const char	*receipts;
	size_t		 conns;
	size_t		 threads;
	size_t		 depth;
	double		 duration;
	uint64_t	 count;
	uint64_t	 seed;
};

/* A packed SubmitRequest of one unit's report, id to be patched. */
struct tmpl {
	uint8_t		*body;
	size_t		 len;
	long		 id_off;
	char		 unit[BENCH_UNIT_MAX];
};

struct inflight {
	double		 at;
	char		 id[BENCH_UUID_LEN + 1];
};

struct conn {
	enum cstate	 state;
	int		 fd;
	SSL		*ssl;
	size_t		 unit;		/* index into the templates */
	short		 events;	/* for poll */
	double		 started;	/* connect() */
	uint8_t		*out;
	size_t		 outlen, outoff, outcap;
	uint8_t		*in;
	size_t		 inlen, incap;
	struct inflight	 fifo[DEPTH_MAX];
	size_t		 head, inflight;
	uint32_t	 next_id;
	int		 ready;		/* idle: whoami answered */
	uint64_t	 done;		/* requests answered */
};

struct thr {
	pthread_t	 tid;
	size_t		 index;
	struct conn	*conns;
	size_t		 nconns;
	struct pollfd	*pfds;
	struct conn	**pconn;
	uint64_t	 rng;
	size_t		 opening;
	uint64_t	 acked, errors, failed, lost, started;
	uint64_t	 err_code[16];
	char		 first_error[256];
	double		 last_ack;
	uint32_t	*lat;		/* microseconds */
	size_t		 nlat, caplat;
	char		*rcpt;
	size_t		 rlen, rcap;
	uint64_t	 qrows;		/* query: rows of the last answer */
	char		 qresult[1024];
};

static struct opts		 o;
static SSL_CTX			*ctx;
static X509			**certs;
static EVP_PKEY			**keys;
static struct tmpl		*tmpls;
static size_t			 ntmpls;
static pthread_barrier_t	 barrier;
static double			 t0, deadline;
static atomic_uint_fast64_t	 g_sent;
static atomic_size_t		 g_ready;
static volatile sig_atomic_t	 g_stop;
static atomic_int		 g_failshown;

static void
usage(void)
{
	fprintf(stderr,
"usage: gpload --mode persistent|connect|handshake|idle|query -p PORT\n"
"              --ca CA --pki DIR [--units N] [--admin NAME] [-c CONNS]\n"
"              [-t THREADS] [-P DEPTH] [-d SECONDS | -n COUNT]\n"
"              [--period P] [--query missing|missing-counts|summary]\n"
"              [--receipts FILE]\n"
"              [--host ADDR] [--seed N]\n"
"       gpload --verify DB --receipts FILE\n");
	exit(64);
}

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "gpload: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		die("out of memory");
	return p;
}

/* Makes room for n more bytes at the end of a buffer. */
static void
reserve(uint8_t **buf, size_t *cap, size_t len, size_t n)
{
	size_t	want = len + n;

	if (want <= *cap)
		return;
	if (want < 2 * *cap)
		want = 2 * *cap;
	*buf = xrealloc(*buf, want);
	*cap = want;
}

static size_t
varint(uint8_t *p, uint64_t v)
{
	size_t	n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			p[n] |= 0x80;
		n++;
	} while (v != 0);
	return n;
}

/* --- set-up --------------------------------------------------------- */

static void
load_identity(const char *name, X509 **cert, EVP_PKEY **key)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.crt", o.pki, name);
	if ((f = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	*cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.key", o.pki, name);
	if ((f = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	*key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (*cert == NULL || *key == NULL)
		die("%s: cannot read the certificate or key", name);
}

static void
setup_tls(void)
{
	static const unsigned char	alpn[] = { 4, 'g', 'p', '/', '1' };

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		die("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* Every connection is a full handshake: nothing to resume from. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_load_verify_locations(ctx, o.ca, NULL) != 1)
		die("%s: cannot load the CA", o.ca);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_alpn_protos(ctx, alpn, sizeof(alpn)) != 0)
		die("cannot set ALPN");
}

static void
setup_identities(void)
{
	char	name[BENCH_UNIT_MAX];
	size_t	i, n = o.units;

	certs = xrealloc(NULL, n * sizeof(*certs));
	keys = xrealloc(NULL, n * sizeof(*keys));
	for (i = 0; i < n; i++) {
		if (o.mode == MODE_QUERY)
			load_identity(o.admin, &certs[i], &keys[i]);
		else {
			bench_unit(i + 1, name);
			load_identity(name, &certs[i], &keys[i]);
		}
	}
}

/* One template per unit: its report, packed once as a SubmitRequest. */
static void
setup_templates(void)
{
	Gp__SubmitRequest	 sr = GP__SUBMIT_REQUEST__INIT;
	struct report		*r;
	size_t			 i;

	ntmpls = o.units;
	tmpls = xrealloc(NULL, ntmpls * sizeof(*tmpls));
	for (i = 0; i < ntmpls; i++) {
		bench_unit(i + 1, tmpls[i].unit);
		if ((r = bench_report(tmpls[i].unit, o.period,
		    o.seed * 1000003 + i, 0)) == NULL)
			die("cannot make a report for period %s", o.period);
		if ((sr.report = wire_report_new(r)) == NULL)
			die("out of memory");
		tmpls[i].len = gp__submit_request__get_packed_size(&sr);
		tmpls[i].body = xrealloc(NULL, tmpls[i].len);
		gp__submit_request__pack(&sr, tmpls[i].body);
		wire_report_free(sr.report);
		report_free(r);
		if ((tmpls[i].id_off = bench_id_offset(tmpls[i].body,
		    tmpls[i].len)) < 0)
			die("placeholder id not found in a packed report");
	}
}

/* --- requests ------------------------------------------------------- */

/* Appends one framed Request: header, id, then body under tag. */
static void
put_request(struct conn *c, unsigned int tag, const uint8_t *body,
    size_t len, uint8_t **bodyp)
{
	uint8_t		 head[32];
	size_t		 n = 0, total;

	head[n++] = 0x08;	/* id, varint */
	n += varint(head + n, c->next_id++);
	head[n++] = (uint8_t)(tag << 3 | 2);
	n += varint(head + n, len);
	total = n + len;
	reserve(&c->out, &c->outcap, c->outlen, FRAME_HEADER + total);
	frame_header(c->out + c->outlen, (uint32_t)total);
	memcpy(c->out + c->outlen + FRAME_HEADER, head, n);
	if (body != NULL)
		memcpy(c->out + c->outlen + FRAME_HEADER + n, body, len);
	if (bodyp != NULL)
		*bodyp = c->out + c->outlen + FRAME_HEADER + n;
	c->outlen += FRAME_HEADER + total;
}

static void
push_inflight(struct conn *c, const char *id)
{
	struct inflight	*f = &c->fifo[(c->head + c->inflight) % DEPTH_MAX];

	f->at = now();
	snprintf(f->id, sizeof(f->id), "%s", id != NULL ? id : "");
	c->inflight++;
}

static void
send_submit(struct thr *t, struct conn *c)
{
	const struct tmpl	*tp = &tmpls[c->unit];
	uint8_t			*body;
	char			 id[BENCH_UUID_LEN + 1];

	bench_uuid(&t->rng, id);
	put_request(c, 10, tp->body, tp->len, &body);
	memcpy(body + tp->id_off, id, BENCH_UUID_LEN);
	push_inflight(c, id);
}

static void
send_packed(struct conn *c, const Gp__Request *req)
{
	uint8_t	*buf;
	size_t	 len;

	if (wire_pack_request(req, &buf, &len) == -1)
		die("cannot pack a request");
	reserve(&c->out, &c->outcap, c->outlen, len);
	memcpy(c->out + c->outlen, buf, len);
	c->outlen += len;
	free(buf);
	c->next_id++;
	push_inflight(c, NULL);
}

static void
send_whoami(struct conn *c)
{
	Gp__Request		req = GP__REQUEST__INIT;
	Gp__WhoamiRequest	w = GP__WHOAMI_REQUEST__INIT;

	req.id = c->next_id;
	req.has_id = 1;
	req.body_case = GP__REQUEST__BODY_WHOAMI;
	req.whoami = &w;
	send_packed(c, &req);
}

static void
send_query(struct conn *c)
{
	Gp__Request		req = GP__REQUEST__INIT;
	Gp__MissingRequest	m = GP__MISSING_REQUEST__INIT;
	Gp__SummaryRequest	s = GP__SUMMARY_REQUEST__INIT;

	req.id = c->next_id;
	req.has_id = 1;
	if (strncmp(o.query, "missing", 7) == 0) {
		m.period = (char *)(uintptr_t)o.period;
		m.counts = strcmp(o.query, "missing-counts") == 0;
		m.has_counts = m.counts;
		req.body_case = GP__REQUEST__BODY_MISSING;
		req.missing = &m;
	} else {
		s.period = (char *)(uintptr_t)o.period;
		req.body_case = GP__REQUEST__BODY_SUMMARY;
		req.summary = &s;
	}
	send_packed(c, &req);
}

/* --- connections ---------------------------------------------------- */

static int
stopping(void)
{
	if (g_stop)
		return 1;
	if (o.count > 0)
		return atomic_load(&g_sent) >= o.count;
	return t0 > 0 && now() >= deadline;
}

/* Claims one submission of --count; 0 when none are left. */
static int
claim(void)
{
	if (o.count == 0)
		return !stopping();
	if (g_stop)
		return 0;
	return atomic_fetch_add(&g_sent, 1) < o.count;
}

static void
conn_fail(struct thr *t, struct conn *c, const char *why)
{
	unsigned long	e = ERR_peek_last_error();
	char		 buf[256];

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", errno != 0 ?
		    strerror(errno) : "-");
	ERR_clear_error();
	t->failed++;
	t->lost += c->inflight;
	if (atomic_fetch_add(&g_failshown, 1) < FAIL_SHOWN)
		fprintf(stderr, "gpload: connection failed: %s (%s)\n", why,
		    buf);
	if (c->state == C_CONNECTING || c->state == C_HANDSHAKE)
		t->opening--;
	if (c->ssl != NULL)
		SSL_free(c->ssl);
	if (c->fd != -1)
		close(c->fd);
	c->ssl = NULL;
	c->fd = -1;
	c->state = C_FREE;
	c->inflight = 0;
	c->outlen = c->outoff = c->inlen = 0;
}

static void
conn_close(struct conn *c)
{
	if (c->ssl != NULL) {
		/* Sends close_notify; the answer is not waited for. */
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->fd != -1)
		close(c->fd);
	c->ssl = NULL;
	c->fd = -1;
	c->state = C_FREE;
	c->inflight = 0;
	c->outlen = c->outoff = c->inlen = 0;
}

static int
conn_open(struct thr *t, struct conn *c)
{
	struct sockaddr_in	 sin;
	int			 one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)o.port);
	if (inet_pton(AF_INET, o.host, &sin.sin_addr) != 1)
		die("%s: not an IPv4 address", o.host);
	c->started = now();
	c->next_id = 1;
	c->ready = 0;
	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((c->ssl = SSL_new(ctx)) == NULL)
		die("SSL_new");
	if (SSL_set_fd(c->ssl, c->fd) != 1 ||
	    SSL_use_certificate(c->ssl, certs[c->unit]) != 1 ||
	    SSL_use_PrivateKey(c->ssl, keys[c->unit]) != 1 ||
	    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), o.host)
	    != 1)
		die("cannot set up a TLS connection");
	SSL_set_connect_state(c->ssl);
	t->opening++;
	t->started++;
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS) {
		conn_fail(t, c, "connect");
		return -1;
	}
	c->state = C_CONNECTING;
	c->events = POLLOUT;
	return 0;
}

static void
record_latency(struct thr *t, double since)
{
	double	us = (now() - since) * 1e6;

	if (t->nlat == t->caplat) {
		t->caplat = t->caplat ? 2 * t->caplat : 4096;
		t->lat = xrealloc(t->lat, t->caplat * sizeof(*t->lat));
	}
	t->lat[t->nlat++] = us > 4e9 ? 4000000000U : (uint32_t)us;
}

static void
record_receipt(struct thr *t, const Gp__Receipt *r, const char *want)
{
	int	n;

	if (r == NULL || r->receipt == NULL || r->submission_id == NULL ||
	    strcmp(r->submission_id, want) != 0) {
		t->errors++;
		if (t->first_error[0] == '\0')
			snprintf(t->first_error, sizeof(t->first_error),
			    "receipt for another submission than %s", want);
		return;
	}
	for (;;) {
		n = snprintf(t->rcpt + t->rlen, t->rcap - t->rlen,
		    "%s %s %s %" PRIu32 "\n", r->submission_id, r->receipt,
		    r->unit != NULL ? r->unit : "-", r->revision);
		if (n >= 0 && (size_t)n < t->rcap - t->rlen)
			break;
		t->rcap = t->rcap ? 2 * t->rcap : 1 << 20;
		t->rcpt = xrealloc(t->rcpt, t->rcap);
	}
	t->rlen += (size_t)n;
	t->acked++;
	t->last_ack = now();
}

static void
query_result(struct thr *t, const Gp__Response *resp)
{
	const Gp__MissingResponse	*m = resp->missing;
	const Gp__SummaryResponse	*s = resp->summary;
	size_t				 i, n = 0;
	int				 w;

	if (resp->body_case == GP__RESPONSE__BODY_MISSING) {
		t->qrows += m->n_rows;
		if (resp->more)
			return;
		snprintf(t->qresult, sizeof(t->qresult),
		    "rows=%" PRIu64 " expected=%" PRIu32 " reported=%" PRIu32
		    " on_time=%" PRIu32, t->qrows, m->expected, m->reported,
		    m->on_time);
	} else if (resp->body_case == GP__RESPONSE__BODY_SUMMARY) {
		if (resp->more || s->total == NULL)
			return;
		w = snprintf(t->qresult, sizeof(t->qresult),
		    "reports=%" PRIu64 " activities=%" PRIu64 " sessions=%"
		    PRIu64 " participants=%" PRIu64 " female=%" PRIu64
		    " expected=%" PRIu32 " indicators=", s->total->reports,
		    s->total->activities, s->total->sessions,
		    s->total->participants, s->total->female, s->expected);
		n = w > 0 ? (size_t)w : 0;
		for (i = 0; i < s->n_indicators && n < sizeof(t->qresult);
		    i++) {
			w = snprintf(t->qresult + n, sizeof(t->qresult) - n,
			    "%s%s:%" PRIu64 ":%" PRIu64, i ? "," : "",
			    s->indicators[i]->code, s->indicators[i]->total,
			    s->indicators[i]->female);
			n += w > 0 ? (size_t)w : 0;
		}
	}
}

/* One whole response frame. Returns -1 when the connection must go. */
static int
on_frame(struct thr *t, struct conn *c, const uint8_t *p, size_t n)
{
	Gp__Response	*resp;
	struct inflight	*f;
	const Gp__Error	*e;

	if (c->inflight == 0) {
		conn_fail(t, c, "an answer to no request");
		return -1;
	}
	if ((resp = gp__response__unpack(NULL, n, p)) == NULL) {
		conn_fail(t, c, "an undecodable response");
		return -1;
	}
	f = &c->fifo[c->head];
	if (o.mode == MODE_QUERY)
		query_result(t, resp);
	if (resp->more) {
		gp__response__free_unpacked(resp, NULL);
		return 0;
	}
	c->head = (c->head + 1) % DEPTH_MAX;
	c->inflight--;
	c->done++;
	switch (resp->body_case) {
	case GP__RESPONSE__BODY_SUBMIT:
		record_latency(t, o.mode == MODE_CONNECT ? c->started : f->at);
		record_receipt(t, resp->submit->receipt, f->id);
		break;
	case GP__RESPONSE__BODY_ERROR:
		e = resp->error;
		t->errors++;
		t->err_code[e->code < 16 ? e->code : 0]++;
		if (t->first_error[0] == '\0')
			snprintf(t->first_error, sizeof(t->first_error),
			    "code %d: %s", (int)e->code, e->message != NULL ?
			    e->message : "-");
		break;
	default:
		/* whoami, missing, summary */
		record_latency(t, f->at);
		t->acked++;
		t->last_ack = now();
		if (o.mode == MODE_IDLE && !c->ready) {
			c->ready = 1;
			atomic_fetch_add(&g_ready, 1);
		}
		break;
	}
	gp__response__free_unpacked(resp, NULL);
	return 0;
}

/* Reads what is there and handles every whole frame. */
static int
conn_read(struct thr *t, struct conn *c)
{
	uint32_t	 len;
	size_t		 off = 0;
	const char	*errstr;
	int		 n, err;

	for (;;) {
		reserve(&c->in, &c->incap, c->inlen, READ_CHUNK);
		n = SSL_read(c->ssl, c->in + c->inlen, (int)(c->incap -
		    c->inlen));
		if (n > 0) {
			c->inlen += (size_t)n;
			continue;
		}
		err = SSL_get_error(c->ssl, n);
		if (err == SSL_ERROR_WANT_READ)
			break;
		if (err == SSL_ERROR_WANT_WRITE) {
			c->events |= POLLOUT;
			break;
		}
		conn_fail(t, c, err == SSL_ERROR_ZERO_RETURN ?
		    "closed by the server" : "read");
		return -1;
	}
	while (c->inlen - off >= FRAME_HEADER) {
		switch (frame_check(c->in + off, c->inlen - off,
		    FRAME_MAX_LIMIT, &len, &errstr)) {
		case FRAME_ERROR:
			conn_fail(t, c, errstr);
			return -1;
		case FRAME_NEED_MORE:
			goto out;
		case FRAME_READY:
			break;
		}
		if (on_frame(t, c, c->in + off + FRAME_HEADER, len) == -1)
			return -1;
		off += FRAME_HEADER + len;
	}
out:
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	return 0;
}

static int
conn_flush(struct thr *t, struct conn *c)
{
	int	n, err;

	while (c->outoff < c->outlen) {
		n = SSL_write(c->ssl, c->out + c->outoff, (int)(c->outlen -
		    c->outoff));
		if (n > 0) {
			c->outoff += (size_t)n;
			continue;
		}
		err = SSL_get_error(c->ssl, n);
		if (err == SSL_ERROR_WANT_WRITE) {
			c->events |= POLLOUT;
			return 0;
		}
		if (err == SSL_ERROR_WANT_READ)
			return 0;
		conn_fail(t, c, "write");
		return -1;
	}
	c->outoff = c->outlen = 0;
	return 0;
}

/* What an open connection sends next, by mode. */
static void
conn_feed(struct thr *t, struct conn *c)
{
	switch (o.mode) {
	case MODE_PERSISTENT:
		if (t0 == 0)
			return;	/* not started yet */
		while (c->inflight < o.depth && claim())
			send_submit(t, c);
		break;
	case MODE_CONNECT:
		if (c->done == 0 && c->inflight == 0 && claim())
			send_submit(t, c);
		break;
	case MODE_IDLE:
		if (c->done == 0 && c->inflight == 0)
			send_whoami(c);
		break;
	case MODE_QUERY:
		if (t0 != 0 && c->inflight == 0 && c->done < o.count &&
		    !g_stop) {
			t->qrows = 0;
			send_query(c);
		}
		break;
	case MODE_HANDSHAKE:
		break;
	}
}

/* Whether an open connection is finished with. */
static int
conn_finished(struct conn *c)
{
	if (c->inflight > 0)
		return 0;
	switch (o.mode) {
	case MODE_CONNECT:
		return c->done > 0 || stopping();
	case MODE_PERSISTENT:
		return t0 > 0 && stopping();
	case MODE_QUERY:
		return c->done >= o.count || g_stop;
	case MODE_IDLE:
		return g_stop;
	case MODE_HANDSHAKE:
		return 1;
	}
	return 1;
}

static void
conn_run(struct thr *t, struct conn *c)
{
	const unsigned char	*proto;
	unsigned int		 plen;
	socklen_t		 sl = sizeof(int);
	int			 r, err, soerr = 0;

	c->events = 0;
	switch (c->state) {
	case C_FREE:
		return;
	case C_CONNECTING:
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1
		    || soerr != 0) {
			errno = soerr;
			conn_fail(t, c, "connect");
			return;
		}
		c->state = C_HANDSHAKE;
		/* FALLTHROUGH */
	case C_HANDSHAKE:
		if ((r = SSL_connect(c->ssl)) != 1) {
			err = SSL_get_error(c->ssl, r);
			if (err == SSL_ERROR_WANT_READ)
				c->events = POLLIN;
			else if (err == SSL_ERROR_WANT_WRITE)
				c->events = POLLOUT;
			else
				conn_fail(t, c, "handshake");
			return;
		}
		SSL_get0_alpn_selected(c->ssl, &proto, &plen);
		if (plen != 4 || memcmp(proto, "gp/1", 4) != 0) {
			conn_fail(t, c, "no ALPN gp/1");
			return;
		}
		t->opening--;
		c->state = C_OPEN;
		c->done = 0;
		c->head = 0;
		if (o.mode == MODE_HANDSHAKE) {
			record_latency(t, c->started);
			t->acked++;
			t->last_ack = now();
			conn_close(c);
			return;
		}
		break;
	case C_OPEN:
		break;
	}
	if (conn_read(t, c) == -1)
		return;
	conn_feed(t, c);
	if (conn_flush(t, c) == -1)
		return;
	if (conn_finished(c)) {
		conn_close(c);
		return;
	}
	c->events |= POLLIN;
}

/* --- threads -------------------------------------------------------- */

static int
may_open(void)
{
	switch (o.mode) {
	case MODE_CONNECT:
	case MODE_HANDSHAKE:
		return t0 > 0 && !stopping() && (o.count == 0 ||
		    atomic_load(&g_sent) < o.count);
	default:
		return 0;
	}
}

/* Opens the connections that live for the whole run. */
static void
open_all(struct thr *t)
{
	struct conn	*c;
	size_t		 i, n, live;
	double		 give_up = now() + OPEN_SECONDS;
	int		 rc;

	for (i = 0; i < t->nconns; i++)
		t->conns[i].state = C_FREE;
	i = 0;
	for (;;) {
		while (i < t->nconns && t->opening < HANDSHAKES_MAX &&
		    !g_stop)
			conn_open(t, &t->conns[i++]);
		for (n = 0, live = 0; n < t->nconns; n++) {
			c = &t->conns[n];
			if (c->state == C_FREE)
				continue;
			if (c->state == C_OPEN && (o.mode != MODE_IDLE ||
			    c->ready))
				continue;
			t->pfds[live].fd = c->fd;
			t->pfds[live].events = c->events;
			t->pconn[live++] = c;
		}
		if (live == 0 && (i == t->nconns || g_stop))
			break;
		if (now() > give_up) {
			for (n = 0; n < live; n++)
				conn_fail(t, t->pconn[n], "not open in time");
			break;
		}
		if ((rc = poll(t->pfds, live, 200)) == -1 && errno != EINTR)
			die("poll: %s", strerror(errno));
		for (n = 0; rc > 0 && n < live; n++)
			if (t->pfds[n].revents != 0)
				conn_run(t, t->pconn[n]);
	}
}

static void
run_loop(struct thr *t)
{
	struct conn	*c;
	size_t		 n, live;
	double		 hard = deadline + DRAIN_SECONDS;
	int		 rc, timeout;

	for (;;) {
		for (n = 0; n < t->nconns; n++) {
			c = &t->conns[n];
			if (c->state == C_FREE && may_open())
				conn_open(t, c);
			else if (c->state == C_OPEN && c->inflight == 0)
				/* Start or stop by the clock, not by I/O. */
				conn_run(t, c);
		}
		for (n = 0, live = 0; n < t->nconns; n++) {
			c = &t->conns[n];
			if (c->state == C_FREE)
				continue;
			t->pfds[live].fd = c->fd;
			t->pfds[live].events = c->events != 0 ? c->events :
			    POLLIN;
			t->pconn[live++] = c;
		}
		/* Query and idle connections are not replaced. */
		if (live == 0 && (stopping() || o.mode == MODE_QUERY ||
		    o.mode == MODE_IDLE))
			break;
		if (now() > hard && o.mode != MODE_IDLE) {
			for (n = 0; n < live; n++)
				conn_fail(t, t->pconn[n], "no answer in time");
			break;
		}
		timeout = o.mode == MODE_IDLE ? 200 : 50;
		if ((rc = poll(t->pfds, live, timeout)) == -1 &&
		    errno != EINTR)
			die("poll: %s", strerror(errno));
		for (n = 0; rc > 0 && n < live; n++)
			if (t->pfds[n].revents != 0)
				conn_run(t, t->pconn[n]);
	}
}

static void *
thread_main(void *arg)
{
	struct thr	*t = arg;
	size_t		 i;

	for (i = 0; i < t->nconns; i++)
		t->conns[i].fd = -1;
	if (o.mode == MODE_PERSISTENT || o.mode == MODE_IDLE ||
	    o.mode == MODE_QUERY)
		open_all(t);
	pthread_barrier_wait(&barrier);	/* all connected */
	pthread_barrier_wait(&barrier);	/* t0 set */
	run_loop(t);
	return NULL;
}

/* CPU seconds this process used, all threads. */
static double
cpu_seconds(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const uint32_t *v, size_t n, double p)
{
	size_t	i;

	if (n == 0)
		return 0;
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return (double)v[i] / 1000.0;
}

static void
report(struct thr *th, size_t nth, double t_end)
{
	uint64_t	 acked = 0, errors = 0, failed = 0, lost = 0;
	uint64_t	 started = 0, codes[16] = { 0 };
	uint32_t	*lat = NULL;
	size_t		 nlat = 0, i, k;
	double		 secs, last = 0;
	const char	*first = NULL;
	int		 fd;

	for (i = 0; i < nth; i++) {
		acked += th[i].acked;
		errors += th[i].errors;
		failed += th[i].failed;
		lost += th[i].lost;
		started += th[i].started;
		for (k = 0; k < 16; k++)
			codes[k] += th[i].err_code[k];
		if (th[i].last_ack > last)
			last = th[i].last_ack;
		if (first == NULL && th[i].first_error[0] != '\0')
			first = th[i].first_error;
		lat = xrealloc(lat, (nlat + th[i].nlat + 1) * sizeof(*lat));
		if (th[i].nlat > 0)
			memcpy(lat + nlat, th[i].lat, th[i].nlat *
			    sizeof(*lat));
		nlat += th[i].nlat;
	}
	qsort(lat, nlat, sizeof(*lat), cmp_u32);
	/* Throughput over the time the answers took to come. */
	if (o.mode == MODE_QUERY || last == 0)
		last = t_end;
	secs = last - t0;
	if (o.mode == MODE_QUERY) {
		printf("gpload mode=query query=%s period=%s runs=%zu "
		    "median_ms=%.1f min_ms=%.1f max_ms=%.1f errors=%" PRIu64
		    " failed=%" PRIu64 "\n", o.query, o.period, nlat,
		    pct(lat, nlat, 0.5), pct(lat, nlat, 0),
		    pct(lat, nlat, 1), errors, failed);
		printf("result %s\n", th[0].qresult);
	} else if (o.mode != MODE_IDLE) {
		printf("gpload mode=%s conns=%zu threads=%zu depth=%zu "
		    "acked=%" PRIu64 " errors=%" PRIu64 " failed=%" PRIu64
		    " lost=%" PRIu64 " connections=%" PRIu64
		    " seconds=%.2f rate=%.1f p50_ms=%.2f p99_ms=%.2f"
		    " client_cpu_ms=%.3f\n",
		    mode_names[o.mode], o.conns, o.threads, o.depth, acked,
		    errors, failed, lost, started, secs,
		    secs > 0 ? (double)acked / secs : 0,
		    pct(lat, nlat, 0.5), pct(lat, nlat, 0.99),
		    acked > 0 ? cpu_seconds() * 1000 / (double)acked : 0);
	}
	if (errors > 0) {
		fprintf(stderr, "gpload: %" PRIu64 " error answers; first: "
		    "%s\n", errors, first != NULL ? first : "-");
		for (k = 0; k < 16; k++)
			if (codes[k] > 0)
				fprintf(stderr, "gpload:   code %zu: %" PRIu64
				    "\n", k, codes[k]);
	}
	fflush(stdout);
	free(lat);
	if (o.receipts == NULL)
		return;
	if ((fd = open(o.receipts, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) == -1)
		die("%s: %s", o.receipts, strerror(errno));
	for (i = 0; i < nth; i++)
		if (th[i].rlen > 0 && write(fd, th[i].rcpt, th[i].rlen) !=
		    (ssize_t)th[i].rlen)
			die("%s: %s", o.receipts, strerror(errno));
	if (close(fd) == -1)
		die("%s: %s", o.receipts, strerror(errno));
}

static int
run(void)
{
	struct thr	*th;
	size_t		 i, per, rest, held = 0;
	double		 t_end, hold_end;
	int		 bad;

	th = xrealloc(NULL, o.threads * sizeof(*th));
	memset(th, 0, o.threads * sizeof(*th));
	per = o.conns / o.threads;
	rest = o.conns % o.threads;
	if (pthread_barrier_init(&barrier, NULL, (unsigned)o.threads + 1) != 0)
		die("pthread_barrier_init");
	for (i = 0; i < o.threads; i++) {
		struct thr	*t = &th[i];
		size_t		 k;

		t->index = i;
		t->nconns = per + (i < rest);
		t->conns = xrealloc(NULL, (t->nconns + 1) * sizeof(*t->conns));
		memset(t->conns, 0, (t->nconns + 1) * sizeof(*t->conns));
		for (k = 0; k < t->nconns; k++)
			t->conns[k].unit = (held + k) % o.units;
		held += t->nconns;
		t->pfds = xrealloc(NULL, (t->nconns + 1) * sizeof(*t->pfds));
		t->pconn = xrealloc(NULL, (t->nconns + 1) * sizeof(*t->pconn));
		t->rng = bench_seed() ^ (i * 0x9e3779b97f4a7c15ULL);
		if (pthread_create(&t->tid, NULL, thread_main, t) != 0)
			die("pthread_create");
	}
	pthread_barrier_wait(&barrier);
	t0 = now();
	deadline = t0 + (o.count > 0 ? 1e9 : o.duration);
	if (o.mode == MODE_IDLE) {
		/* Held until SIGTERM, or for --duration seconds. */
		printf("ready %zu of %zu\n", atomic_load(&g_ready), o.conns);
		fflush(stdout);
	}
	pthread_barrier_wait(&barrier);
	if (o.mode == MODE_IDLE) {
		hold_end = now() + o.duration;
		while (!g_stop && now() < hold_end)
			usleep(100 * 1000);
		g_stop = 1;
	}
	for (i = 0; i < o.threads; i++)
		pthread_join(th[i].tid, NULL);
	t_end = now();
	report(th, o.threads, t_end);
	bad = 0;
	for (i = 0; i < o.threads; i++)
		if (th[i].failed > 0 || th[i].errors > 0 || th[i].lost > 0)
			bad = 1;
	return bad;
}

/* --- verify --------------------------------------------------------- */

static int
verify(const char *db)
{
	sqlite3		*h;
	sqlite3_stmt	*st = NULL;
	FILE		*f;
	char		 line[512], id[128], receipt[128];
	uint64_t	 n = 0, absent = 0, wrong = 0, rows = 0;
	int		 rc;

	if ((f = fopen(o.receipts, "r")) == NULL)
		die("%s: %s", o.receipts, strerror(errno));
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("%s: %s", db, sqlite3_errmsg(h));
	sqlite3_busy_timeout(h, 10000);
	if (sqlite3_prepare_v2(h, "SELECT receipt FROM reports WHERE "
	    "submission_id = ?1", -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", db, sqlite3_errmsg(h));
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%127s %127s", id, receipt) != 2)
			die("%s: bad line %" PRIu64, o.receipts, n + 1);
		n++;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (strcmp((const char *)sqlite3_column_text(st, 0),
			    receipt) != 0 && wrong++ < FAIL_SHOWN)
				fprintf(stderr, "verify: %s: receipt differs\n",
				    id);
		} else if (rc == SQLITE_DONE) {
			if (absent++ < FAIL_SHOWN)
				fprintf(stderr, "verify: %s: acknowledged, "
				    "not stored\n", id);
		} else
			die("%s: %s", db, sqlite3_errmsg(h));
		sqlite3_reset(st);
	}
	fclose(f);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM reports", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		die("%s: %s", db, sqlite3_errmsg(h));
	rows = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(h);
	/* Each acknowledged id stored once (submission_id is UNIQUE), and
	 * nothing stored that was not acknowledged. */
	printf("verify acknowledged=%" PRIu64 " rows=%" PRIu64 " absent=%"
	    PRIu64 " wrong_receipt=%" PRIu64 " %s\n", n, rows, absent, wrong,
	    absent == 0 && wrong == 0 && rows == n ? "OK" : "FAIL");
	return absent == 0 && wrong == 0 && rows == n ? 0 : 1;
}

/* --- main ----------------------------------------------------------- */

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "ca", required_argument, NULL, 'C' },
		{ "pki", required_argument, NULL, 'k' },
		{ "units", required_argument, NULL, 'u' },
		{ "admin", required_argument, NULL, 'a' },
		{ "period", required_argument, NULL, 'r' },
		{ "query", required_argument, NULL, 'q' },
		{ "receipts", required_argument, NULL, 'R' },
		{ "conns", required_argument, NULL, 'c' },
		{ "threads", required_argument, NULL, 't' },
		{ "depth", required_argument, NULL, 'P' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "verify", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction	 sa;
	const char		*verify_db = NULL;
	size_t			 i;
	int			 ch;

	o.host = "127.0.0.1";
	o.units = 1;
	o.period = "2022-H1";
	o.query = "missing";
	o.conns = 32;
	o.threads = 2;
	o.depth = 2;
	o.duration = 5;
	o.seed = 1;
	o.mode = MODE_PERSISTENT;
	while ((ch = getopt_long(argc, argv, "c:d:m:n:p:P:t:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'm':
			for (i = 0; i < sizeof(mode_names) /
			    sizeof(*mode_names); i++)
				if (strcmp(optarg, mode_names[i]) == 0)
					break;
			if (i == sizeof(mode_names) / sizeof(*mode_names))
				usage();
			o.mode = (enum mode)i;
			break;
		case 'p':
			o.port = atoi(optarg);
			break;
		case 'H':
			o.host = optarg;
			break;
		case 'C':
			o.ca = optarg;
			break;
		case 'k':
			o.pki = optarg;
			break;
		case 'u':
			o.units = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			o.admin = optarg;
			break;
		case 'r':
			o.period = optarg;
			break;
		case 'q':
			o.query = optarg;
			break;
		case 'R':
			o.receipts = optarg;
			break;
		case 'c':
			o.conns = strtoul(optarg, NULL, 10);
			break;
		case 't':
			o.threads = strtoul(optarg, NULL, 10);
			break;
		case 'P':
			o.depth = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			o.duration = atof(optarg);
			break;
		case 'n':
			o.count = strtoull(optarg, NULL, 10);
			break;
		case 's':
			o.seed = strtoull(optarg, NULL, 10);
			break;
		case 'V':
			verify_db = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (verify_db != NULL) {
		if (o.receipts == NULL)
			usage();
		return verify(verify_db);
	}
	if (o.port <= 0 || o.ca == NULL || o.pki == NULL || o.units == 0 ||
	    o.conns == 0 || o.threads == 0 || o.threads > THREADS_MAX ||
	    o.depth == 0 || o.depth > DEPTH_MAX || o.duration <= 0 ||
	    (o.mode == MODE_QUERY && o.admin == NULL) ||
	    (strcmp(o.query, "missing") != 0 &&
	    strcmp(o.query, "missing-counts") != 0 &&
	    strcmp(o.query, "summary") != 0))
		usage();
	if (o.mode == MODE_QUERY) {
		o.conns = o.threads = o.units = 1;
		if (o.count == 0)
			o.count = 5;
	}
	if (o.threads > o.conns)
		o.threads = o.conns;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	setup_tls();
	setup_identities();
	if (o.mode == MODE_PERSISTENT || o.mode == MODE_CONNECT)
		setup_templates();
	return run();
}
