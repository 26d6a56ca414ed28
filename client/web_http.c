/*
 * Every request of gp-client-web (web.h), judged before anything is read
 * or done, since any local program or any web page in the user's browser
 * may try to talk to it (after Jupyter and Syncthing):
 *
 *   1. Host must be 127.0.0.1:PORT or localhost:PORT, so that a DNS
 *      name rebound to 127.0.0.1 is refused (403);
 *   2. GET /?t=TOKEN with the secret printed at start exchanges it for a
 *      cookie (HttpOnly, SameSite=Strict) and sends the browser on to "/",
 *      so that the secret leaves the address bar and the history;
 *   3. any other request without that cookie: 403;
 *   4. a request that changes something (POST, PUT, DELETE) needs the
 *      CSRF token of a page this server served (X-GP-CSRF), Content-Type
 *      application/json (which a cross-site form cannot send without a
 *      preflight), and no foreign Origin or Sec-Fetch-Site;
 *   5. a body larger than WEB_BODY_MAX: 413.
 *
 * Every answer carries a Content-Security-Policy without inline script
 * or style, nosniff, no referrer, no-store, and may not be framed. The
 * page's files are served from the binary.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "web.h"

#define WEB_CSP		"default-src 'self'; base-uri 'none'; " \
			"form-action 'self'; frame-ancestors 'none'"
#define WEB_JSON	"application/json; charset=utf-8"
#define WEB_HTML	"text/html; charset=utf-8"
#define WEB_TEXT	"text/plain; charset=utf-8"
#define WEB_CSRF_MARK	"@CSRF@"

/* One request's state between the calls of the access handler. */
struct web_http_req {
	int	 write;		/* POST, PUT or DELETE */
	char	*body;
	size_t	 len;
	size_t	 cap;
	int	 too_big;
};

static const char web_http_denied[] =
    "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<title>Không có quyền truy cập</title></head><body>"
    "<h1>Không có quyền truy cập</h1>"
    "<p>Hãy mở trang bằng đúng địa chỉ mà lệnh <code>gp-client web</code> "
    "in ra (có dạng http://127.0.0.1:…/?t=…), trên máy tính này.</p>"
    "</body></html>\n";

static void
web_http_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	/* libmicrohttpd's own words follow, in English. */
	fputs(U_("gp-client-web: http: "), stderr);
	vfprintf(stderr, fmt, ap);
}

/* Whether two secrets are equal, in time that does not depend on where
 * they differ. */
static int
web_http_same(const char *a, const char *b)
{
	size_t		 la, lb, i;
	unsigned char	 d = 0;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb || la != WEB_SECRET_HEX)
		return 0;
	for (i = 0; i < la; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

static enum MHD_Result
web_http_send(struct MHD_Connection *c, unsigned int status, const char *type,
    const char *body, size_t len, enum MHD_ResponseMemoryMode mode,
    const char *cookie, const char *location)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rv;

	if ((resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    mode)) == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, "Content-Security-Policy", WEB_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
	    "same-origin");
	if (cookie != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	if (location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
	rv = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rv;
}

static enum MHD_Result
web_http_text(struct MHD_Connection *c, unsigned int status, const char *text)
{
	return web_http_send(c, status, WEB_TEXT, text, strlen(text),
	    MHD_RESPMEM_PERSISTENT, NULL, NULL);
}

static enum MHD_Result
web_http_forbidden(struct MHD_Connection *c)
{
	return web_http_send(c, MHD_HTTP_FORBIDDEN, WEB_HTML, web_http_denied,
	    sizeof(web_http_denied) - 1, MHD_RESPMEM_PERSISTENT, NULL, NULL);
}

/* The page, with a new CSRF token of its own in its <meta>. */
static enum MHD_Result
web_http_index(struct web *w, struct MHD_Connection *c)
{
	const char	*mark;
	char		 token[WEB_SECRET_HEX + 1], *page;
	size_t		 head, len;

	if (web_random_hex(token, WEB_SECRET_BYTES) == -1)
		return web_http_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "no random numbers\n");
	pthread_mutex_lock(&w->lock);
	memcpy(w->csrf[w->csrf_next], token, sizeof(token));
	w->csrf_next = (w->csrf_next + 1) % WEB_CSRF_RING;
	pthread_mutex_unlock(&w->lock);

	if ((mark = strstr(web_asset_index, WEB_CSRF_MARK)) == NULL)
		return web_http_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "the page has no place for its token\n");
	head = (size_t)(mark - web_asset_index);
	len = web_asset_index_len - strlen(WEB_CSRF_MARK) + WEB_SECRET_HEX;
	if ((page = malloc(len)) == NULL)
		return MHD_NO;
	memcpy(page, web_asset_index, head);
	memcpy(page + head, token, WEB_SECRET_HEX);
	memcpy(page + head + WEB_SECRET_HEX, mark + strlen(WEB_CSRF_MARK),
	    web_asset_index_len - head - strlen(WEB_CSRF_MARK));
	return web_http_send(c, MHD_HTTP_OK, WEB_HTML, page, len,
	    MHD_RESPMEM_MUST_FREE, NULL, NULL);
}

static int
web_http_csrf_known(struct web *w, const char *token)
{
	size_t	i;
	int	found = 0;

	pthread_mutex_lock(&w->lock);
	for (i = 0; i < WEB_CSRF_RING; i++)
		found |= web_http_same(w->csrf[i], token);
	pthread_mutex_unlock(&w->lock);
	return found;
}

/* application/json, perhaps with "; charset=utf-8". */
static int
web_http_is_json(const char *type)
{
	size_t	n = strlen("application/json");

	if (type == NULL || strncasecmp(type, "application/json", n) != 0)
		return 0;
	type += n;
	while (*type == ' ')
		type++;
	return *type == '\0' || *type == ';';
}

/* The first call of a request: every check of the headers. Returns
 * MHD_YES with nothing queued to go on reading. */
static enum MHD_Result
web_http_judge(struct web *w, struct MHD_Connection *c, const char *url,
    const char *method, struct web_http_req *hr, int *answered)
{
	const char	*host, *v, *origin, *site;
	char		 cookie[160];
	unsigned long long n;
	char		*end;

	*answered = 1;
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (host == NULL || (strcmp(host, w->host_ip) != 0 &&
	    strcmp(host, w->host_name) != 0))
		return web_http_text(c, MHD_HTTP_FORBIDDEN, "wrong Host: this "
		    "server answers only to 127.0.0.1 and localhost\n");

	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		hr->write = 0;
	else if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "DELETE") == 0)
		hr->write = 1;
	else
		return web_http_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");

	/* The secret of the printed address, for the cookie. */
	v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "t");
	if (!hr->write && strcmp(url, "/") == 0 && v != NULL) {
		if (!web_http_same(v, w->token))
			return web_http_forbidden(c);
		web_touch(w);
		snprintf(cookie, sizeof(cookie), U_("%s=%s; Path=/; HttpOnly; "
		    "SameSite=Strict"), w->cookie_name, w->session);
		return web_http_send(c, MHD_HTTP_SEE_OTHER, WEB_TEXT, "", 0,
		    MHD_RESPMEM_PERSISTENT, cookie, "/");
	}
	if (!web_http_same(MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	    w->cookie_name), w->session))
		return web_http_forbidden(c);
	web_touch(w);

	if (hr->write) {
		origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "Origin");
		site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "Sec-Fetch-Site");
		if ((origin != NULL && strcmp(origin, w->origin_ip) != 0 &&
		    strcmp(origin, w->origin_name) != 0) ||
		    (site != NULL && strcmp(site, "same-origin") != 0))
			return web_http_text(c, MHD_HTTP_FORBIDDEN, "a request "
			    "from another site is refused\n");
		if (!web_http_csrf_known(w, MHD_lookup_connection_value(c,
		    MHD_HEADER_KIND, WEB_CSRF_HEADER)))
			return web_http_text(c, MHD_HTTP_FORBIDDEN, "no valid "
			    WEB_CSRF_HEADER " token: reload the page\n");
		if (!web_http_is_json(MHD_lookup_connection_value(c,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
			return web_http_text(c,
			    MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "the body must "
			    "be application/json\n");
	}
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (v != NULL) {
		n = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0')
			return web_http_text(c, MHD_HTTP_BAD_REQUEST,
			    "bad Content-Length\n");
		if (n > WEB_BODY_MAX)
			return web_http_text(c, MHD_HTTP_CONTENT_TOO_LARGE,
			    "the body is too large\n");
		if (!hr->write && n > 0)
			return web_http_text(c, MHD_HTTP_BAD_REQUEST,
			    "a GET has no body\n");
	}
	*answered = 0;
	return MHD_YES;
}

/* Appends upload data, up to WEB_BODY_MAX; the rest is dropped and the
 * request answered 413 once it has arrived. */
static void
web_http_collect(struct web_http_req *hr, const char *data, size_t len)
{
	size_t	 cap;
	char	*nbody;

	if (hr->too_big)
		return;
	if (len > WEB_BODY_MAX - hr->len) {
		hr->too_big = 1;
		free(hr->body);
		hr->body = NULL;
		hr->len = hr->cap = 0;
		return;
	}
	if (hr->len + len + 1 > hr->cap) {
		cap = hr->cap == 0 ? 4096 : hr->cap;
		while (cap < hr->len + len + 1)
			cap *= 2;
		if (cap > WEB_BODY_MAX + 1)
			cap = WEB_BODY_MAX + 1;
		if ((nbody = realloc(hr->body, cap)) == NULL) {
			hr->too_big = 1;	/* answered as too large */
			return;
		}
		hr->body = nbody;
		hr->cap = cap;
	}
	memcpy(hr->body + hr->len, data, len);
	hr->len += len;
	hr->body[hr->len] = '\0';
}

static enum MHD_Result
web_http_asset(struct web *w, struct MHD_Connection *c, const char *url)
{
	if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
		return web_http_index(w, c);
	if (strcmp(url, "/style.css") == 0)
		return web_http_send(c, MHD_HTTP_OK, "text/css; charset=utf-8",
		    web_asset_style, web_asset_style_len,
		    MHD_RESPMEM_PERSISTENT, NULL, NULL);
	if (strcmp(url, "/app.js") == 0)
		return web_http_send(c, MHD_HTTP_OK,
		    "text/javascript; charset=utf-8", web_asset_app,
		    web_asset_app_len, MHD_RESPMEM_PERSISTENT, NULL, NULL);
	/* Browsers ask for it on their own: nothing, rather than an
	 * error in the console. */
	if (strcmp(url, "/favicon.ico") == 0)
		return web_http_send(c, MHD_HTTP_NO_CONTENT, WEB_TEXT, "", 0,
		    MHD_RESPMEM_PERSISTENT, NULL, NULL);
	return web_http_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

static enum MHD_Result
web_http_api(struct web *w, struct MHD_Connection *c, const char *url,
    const char *method, struct web_http_req *hr)
{
	struct web_request	 req;
	struct web_reply	 reply;
	enum MHD_Result		 rv;

	memset(&req, 0, sizeof(req));
	memset(&reply, 0, sizeof(reply));
	req.method = method;
	req.path = url;
	req.period = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "period");
	req.body = hr->body != NULL ? hr->body : "";
	req.len = hr->len;
	web_api(w, &req, &reply);
	if (reply.body == NULL && reply.status == 0)
		reply.status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	if (reply.body == NULL)
		return web_http_send(c, reply.status, WEB_TEXT, "", 0,
		    MHD_RESPMEM_PERSISTENT, NULL, NULL);
	rv = web_http_send(c, reply.status, reply.type, reply.body, reply.len,
	    reply.static_body ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE,
	    NULL, NULL);
	if (rv == MHD_NO && !reply.static_body)
		free(reply.body);
	return rv;
}

static enum MHD_Result
web_http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct web		*w = cls;
	struct web_http_req	*hr = *req_cls;
	enum MHD_Result		 rv;
	int			 answered;

	(void)version;
	if (hr == NULL) {
		if ((hr = calloc(1, sizeof(*hr))) == NULL)
			return MHD_NO;
		*req_cls = hr;
		rv = web_http_judge(w, c, url, method, hr, &answered);
		if (answered || rv == MHD_NO)
			return rv;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		web_http_collect(hr, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (hr->too_big)
		return web_http_text(c, MHD_HTTP_CONTENT_TOO_LARGE,
		    "the body is too large\n");
	if (strncmp(url, "/api/", 5) == 0)
		return web_http_api(w, c, url, method, hr);
	if (hr->write)
		return web_http_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	return web_http_asset(w, c, url);
}

static void
web_http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct web_http_req	*hr = *req_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (hr != NULL) {
		free(hr->body);
		free(hr);
		*req_cls = NULL;
	}
}

struct MHD_Daemon *
web_http_start(struct web *w, int fd, char **cause)
{
	struct MHD_Daemon	*d;

	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, web_http_access, w,
	    MHD_OPTION_EXTERNAL_LOGGER, web_http_log, w,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)WEB_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)WEB_CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_HEADER_MAX,
	    MHD_OPTION_NOTIFY_COMPLETED, web_http_completed, w,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_END);
	if (d == NULL && asprintf(cause, _("cannot start the web server on "
	    "%s"), w->host_ip) == -1)
		*cause = NULL;
	return d;
}
