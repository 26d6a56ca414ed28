/*
 * The forms gp-client knows (forms.h): built in, kept, fetched.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cause.h"
#include "client.h"
#include "conn.h"
#include "form.h"
#include "forms.h"
#include "i18n.h"
#include "outfile.h"
#include "zone.h"
#include "output.h"
#include "period.h"

#define FORMS_REQUEST_ID	7
#define FORMS_SHA_HEX		(2 * FORM_SHA256_LEN)
/* YYYY-<64 hex>.json */
#define FORMS_NAME_LEN		(4 + 1 + FORMS_SHA_HEX + 5)

/* The year and hash a cache file's name promises: 0, or -1 for a name
 * that is not one of ours. */
static int
forms_name(const char *name, int *year, char sha[FORMS_SHA_HEX + 1])
{
	size_t	i;

	if (strlen(name) != FORMS_NAME_LEN || name[4] != '-' ||
	    strcmp(name + FORMS_NAME_LEN - 5, ".json") != 0)
		return -1;
	for (i = 0, *year = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		*year = *year * 10 + (name[i] - '0');
	}
	for (i = 0; i < FORMS_SHA_HEX; i++) {
		sha[i] = name[5 + i];
		if (!((sha[i] >= '0' && sha[i] <= '9') ||
		    (sha[i] >= 'a' && sha[i] <= 'f')))
			return -1;
	}
	sha[FORMS_SHA_HEX] = '\0';
	return 0;
}

/* A kept file, read and checked against its name; NULL (noted) when it
 * cannot be used. */
static struct form *
forms_read(const char *dir, const char *name, const char *sha)
{
	struct form	*f;
	char		 path[PATH_MAX], *cause = NULL;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return NULL;
	if (form_load_file(path, &f, &cause) == -1) {
		output_note(_("a form kept on this machine cannot be read, "
		    "and is not used: %s"), cause != NULL ? cause :
		    _("out of memory"));
		free(cause);
		return NULL;
	}
	if (strcmp(form_sha256_hex(f), sha) != 0) {
		output_note(_("the form kept as %s was changed since it was "
		    "fetched (its SHA-256 is %s): it is not used; remove it"),
		    path, form_sha256_hex(f));
		form_free(f);
		return NULL;
	}
	return f;
}

/* Each year's newest kept file over the built-in form. */
static void
forms_scan(struct forms *fs)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	struct {
		int	 year;
		time_t	 mtime;
		char	 name[FORMS_NAME_LEN + 1];
		char	 sha[FORMS_SHA_HEX + 1];
	}		 best[FORM_YEAR_MAX - FORM_YEAR_MIN + 1];
	struct form	*f;
	char		 sha[FORMS_SHA_HEX + 1];
	int		 year, i;

	if (fs->dir == NULL || (d = opendir(fs->dir)) == NULL)
		return;
	memset(best, 0, sizeof(best));
	while ((de = readdir(d)) != NULL) {
		if (forms_name(de->d_name, &year, sha) == -1 ||
		    year < FORM_YEAR_MIN || year > FORM_YEAR_MAX ||
		    fstatat(dirfd(d), de->d_name, &st, 0) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		i = year - FORM_YEAR_MIN;
		if (best[i].year != 0 && (st.st_mtime < best[i].mtime ||
		    (st.st_mtime == best[i].mtime &&
		    strcmp(de->d_name, best[i].name) < 0)))
			continue;
		best[i].year = year;
		best[i].mtime = st.st_mtime;
		memcpy(best[i].name, de->d_name, sizeof(best[i].name));
		memcpy(best[i].sha, sha, sizeof(sha));
	}
	closedir(d);
	for (i = 0; i <= FORM_YEAR_MAX - FORM_YEAR_MIN; i++) {
		if (best[i].year == 0 || (f = forms_read(fs->dir,
		    best[i].name, best[i].sha)) == NULL)
			continue;
		if (form_year(f) != best[i].year || form_set_put(fs->set,
		    f) == -1)
			form_free(f);
	}
}

int
forms_open(struct forms *fs, const struct client *cl)
{
	char	*cause = NULL, *slash;

	memset(fs, 0, sizeof(*fs));
	fs->cl = cl;
	if (form_set_load(NULL, &fs->set, &cause) == -1) {
		free(cause);
		return -1;
	}
	/* Beside the outbox: the state directory. */
	if (cl != NULL && cl->outbox != NULL &&
	    (slash = strrchr(cl->outbox, '/')) != NULL &&
	    asprintf(&fs->dir, "%.*s/forms", (int)(slash - cl->outbox),
	    cl->outbox) == -1)
		fs->dir = NULL;
	forms_scan(fs);
	return 0;
}

void
forms_close(struct forms *fs)
{
	size_t	i;

	form_set_free(fs->set);
	for (i = 0; i < fs->nextra; i++)
		form_free(fs->extra[i]);
	free(fs->extra);
	if (fs->own_conn)
		conn_free(fs->conn);
	free(fs->dir);
	memset(fs, 0, sizeof(*fs));
}

void
forms_use_conn(struct forms *fs, struct conn *conn)
{
	if (fs->conn == NULL) {
		fs->conn = conn;
		fs->own_conn = 0;
	}
}

int
forms_can_fetch(const struct forms *fs)
{
	const struct conn_config	*c;

	if (fs->conn != NULL)
		return 1;
	if (fs->cl == NULL)
		return 0;
	c = &fs->cl->conn;
	return c->server != NULL && c->ca != NULL && c->cert != NULL &&
	    c->key != NULL;
}

/* Writes the canonical bytes as YYYY-<sha>.json, whole or not at all
 * and never through a name planted in the directory (outfile.h), so
 * that no reader meets half a form. A file already there is only
 * touched, which makes it its year's form again when current is set; a
 * form fetched by hash is dated back so that it never is. */
static void
forms_keep(struct forms *fs, const struct form *f, int current)
{
	struct outfile	*o = NULL;
	const char	*bytes;
	char		 name[FORMS_NAME_LEN + 1], path[PATH_MAX];
	char		*cause = NULL;
	struct timespec	 times[2];
	size_t		 len;
	int		 rv;

	if (fs->dir == NULL)
		return;
	snprintf(name, sizeof(name), "%04d-%s.json", form_year(f),
	    form_sha256_hex(f));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", fs->dir, name) >=
	    sizeof(path))
		return;
	if (outbox_mkdirs(path, &cause) == -1)
		goto fail;
	if (access(path, F_OK) == 0)
		goto date;
	bytes = form_canonical(f, &len);
	/* outfile's sentences speak of -o: errno says it here. */
	if ((o = outfile_open(path, &cause)) == NULL)
		goto fail_errno;
	if (fwrite(bytes, 1, len, outfile_stream(o)) != len)
		goto fail_errno;
	rv = outfile_commit(o, &cause);
	outfile_free(o);
	o = NULL;
	if (rv == -1)
		goto fail_errno;
date:
	times[0].tv_nsec = UTIME_OMIT;
	if (current) {
		times[1].tv_sec = 0;
		times[1].tv_nsec = UTIME_NOW;
	} else {
		times[1].tv_sec = 0;
		times[1].tv_nsec = 0;
	}
	if (utimensat(AT_FDCWD, path, times, 0) == -1)
		goto fail;
	return;
fail_errno:
	free(cause);
	cause = NULL;
fail:
	/* The form is used all the same; only keeping it failed. */
	output_note(_("the form of %d cannot be kept in %s (%s): it will be "
	    "fetched again next time"), form_year(f), fs->dir,
	    cause != NULL ? cause : strerror(errno));
	free(cause);
	outfile_free(o);
}

/* Asks gpd for a form by year or hash. 0 with *out (parsed, checked) or
 * with *out NULL when gpd has none, *years set; or a status with
 * *cause. */
static int
forms_ask(struct forms *fs, int year, const char *sha, struct form **out,
    char **years, char **cause)
{
	Gp__Request		 req = GP__REQUEST__INIT;
	Gp__FormRequest		 fr = GP__FORM_REQUEST__INIT;
	Gp__Response		*resp = NULL;
	const Gp__FormResponse	*a;
	char			*fcause = NULL, *list = NULL, *nl;
	size_t			 i, used;
	int			 status;

	*out = NULL;
	*cause = NULL;
	if (fs->conn == NULL) {
		if (!forms_can_fetch(fs))
			return EX_CONFIG;
		if ((fs->conn = conn_new(&fs->cl->conn, cause)) == NULL)
			return EX_CONFIG;
		fs->own_conn = 1;
		if (conn_connect(fs->conn, cause) == -1)
			return conn_status(fs->conn);
	}
	if (sha != NULL)
		fr.sha256 = (char *)(uintptr_t)sha;
	else {
		fr.has_year = 1;
		fr.year = (uint32_t)year;
	}
	req.has_id = 1;
	req.id = FORMS_REQUEST_ID;
	req.body_case = GP__REQUEST__BODY_FORM;
	req.form = &fr;
	if (conn_request(fs->conn, &req, &resp, cause) == -1)
		return conn_status(fs->conn);
	if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
		status = output_error_status(resp->error);
		/* TRANSLATORS: the server's address; its words, or the
		 * name of its error. */
		cause_set(cause, _("%s refused to give the form: %s"),
		    conn_server(fs->conn), resp->error->message != NULL ?
		    resp->error->message : output_error_name(resp->error));
		gp__response__free_unpacked(resp, NULL);
		return status;
	}
	if (resp->body_case != GP__RESPONSE__BODY_FORM) {
		cause_set(cause, _("%s answered something else than a form: "
		    "is it gpd with report forms?"), conn_server(fs->conn));
		gp__response__free_unpacked(resp, NULL);
		return EX_PROTOCOL;
	}
	a = resp->form;
	zone_heard(a->timezone);
	for (i = 0, used = 0; years != NULL && i < a->n_years; i++) {
		if ((nl = realloc(list, used + 16)) == NULL)
			break;
		list = nl;
		used += (size_t)snprintf(list + used, 16, "%s%u",
		    i > 0 ? ", " : "", (unsigned int)a->years[i]);
	}
	if (years != NULL)
		*years = list;
	else
		free(list);
	if (!a->has_year || !a->has_form) {
		gp__response__free_unpacked(resp, NULL);
		return 0;
	}
	if (form_parse("the form from the server", a->form.data, a->form.len,
	    out, &fcause) == -1 || a->sha256 == NULL ||
	    strcmp(form_sha256_hex(*out), a->sha256) != 0 ||
	    form_year(*out) != (int)a->year ||
	    (sha != NULL && strcmp(sha, a->sha256) != 0)) {
		cause_set(cause, _("%s sent a form that is not what it says "
		    "(%s)"), conn_server(fs->conn), fcause != NULL ? fcause :
		    _("another SHA-256 or year"));
		free(fcause);
		form_free(*out);
		*out = NULL;
		gp__response__free_unpacked(resp, NULL);
		return EX_PROTOCOL;
	}
	gp__response__free_unpacked(resp, NULL);
	fs->fetched = 1;
	return 0;
}

int
forms_fetch_year(struct forms *fs, int year, const struct form **out,
    char **years, char **cause)
{
	struct form	*f;
	int		 status;

	*out = NULL;
	if ((status = forms_ask(fs, year, NULL, &f, years, cause)) != 0)
		return status;
	if (f == NULL)
		return 0;
	forms_keep(fs, f, 1);
	if (form_set_put(fs->set, f) == -1) {
		form_free(f);
		return cause_set(cause, "%s", _("too many forms")),
		    EX_SOFTWARE;
	}
	*out = form_set_year(fs->set, year);
	return 0;
}

int
forms_period(struct forms *fs, const char *period, const struct form **out,
    struct period *p, char **cause)
{
	struct period_rules	 rules;
	const struct form	*f;
	const char		*errstr;
	char			*years = NULL, *fetch = NULL, known[512];
	int			 status;

	*out = NULL;
	*cause = NULL;
	period_rules_default(&rules);
	if (period == NULL || period_parse(period, &rules, p, &errstr) == -1)
		return cause_set(cause, "%s", period == NULL ?
		    _("no period") : errstr), EX_USAGE;
	if (form_set_year(fs->set, p->year) == NULL && forms_can_fetch(fs)) {
		if ((status = forms_fetch_year(fs, p->year, &f, &years,
		    &fetch)) != 0) {
			cause_set(cause, _("no form for %d on this machine, "
			    "and it cannot be fetched: %s"), p->year,
			    fetch != NULL ? fetch : _("out of memory"));
			free(fetch);
			return status;
		}
		if (f == NULL) {
			/* TRANSLATORS: a year; the years the server has
			 * forms for, such as "2022, 2023". */
			cause_set(cause, _("no form for %d; the server has "
			    "forms for %s"), p->year, years != NULL ? years :
			    _("no year"));
			free(years);
			return EX_DATAERR;
		}
		free(years);
	}
	if (form_set_period(fs->set, period, out, p, cause) == 0)
		return 0;
	free(*cause);
	*cause = NULL;
	form_set_years(fs->set, known, sizeof(known));
	cause_set(cause, _("no form for %d on this machine (it knows %s); "
	    "connect once with a configuration that reaches the server, or "
	    "run 'gp-client form %d' there, to fetch it"), p->year, known,
	    p->year);
	return EX_DATAERR;
}

const struct form *
forms_by_sha(struct forms *fs, const char *sha)
{
	struct form		**nv, *f;
	const struct form	*have;
	struct dirent		*de;
	DIR			*d;
	char			*cause = NULL, kept[FORMS_SHA_HEX + 1];
	size_t			 i;
	int			 year;

	if (sha == NULL || strlen(sha) != FORMS_SHA_HEX)
		return NULL;
	for (i = 0; i < form_set_count(fs->set); i++) {
		have = form_set_at(fs->set, i);
		if (strcmp(form_sha256_hex(have), sha) == 0)
			return have;
	}
	for (i = 0; i < fs->nextra; i++)
		if (strcmp(form_sha256_hex(fs->extra[i]), sha) == 0)
			return fs->extra[i];
	/* Kept under any year: the name says which. */
	f = NULL;
	if (fs->dir != NULL && (d = opendir(fs->dir)) != NULL) {
		while (f == NULL && (de = readdir(d)) != NULL)
			if (forms_name(de->d_name, &year, kept) == 0 &&
			    strcmp(kept, sha) == 0)
				f = forms_read(fs->dir, de->d_name, sha);
		closedir(d);
	}
	if (f == NULL && forms_can_fetch(fs)) {
		if (forms_ask(fs, 0, sha, &f, NULL, &cause) != 0) {
			free(cause);
			return NULL;
		}
		if (f != NULL)
			forms_keep(fs, f, 0);
	}
	if (f == NULL)
		return NULL;
	if ((nv = reallocarray(fs->extra, fs->nextra + 1,
	    sizeof(*nv))) == NULL) {
		form_free(f);
		return NULL;
	}
	fs->extra = nv;
	fs->extra[fs->nextra++] = f;
	return f;
}
