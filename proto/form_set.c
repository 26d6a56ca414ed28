/*
 * Sets of forms (form.h): a directory's *.json files over the built-in
 * form, one form per year, and what a period id finds in them.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "form.h"
#include "i18n.h"
#include "form_priv.h"
#include "period.h"

/* etc/forms/2022.json, from form_builtin.S. */
extern const char	form_builtin_2022[];
extern const uint32_t	form_builtin_2022_len;

struct form_set {
	struct form	**v;		/* by year, ascending */
	size_t		  n;
};

const char *
form_builtin_json(size_t *len)
{
	*len = form_builtin_2022_len;
	return form_builtin_2022;
}

int
form_builtin(struct form **out, char **cause)
{
	return form_parse("built-in 2022.json", form_builtin_2022,
	    form_builtin_2022_len, out, cause);
}

static int
form_file_error(const char *path, char **cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "PATH: what", with the path shown safely. Always -1. */
static int
form_file_error(const char *path, char **cause, const char *fmt, ...)
{
	struct form_cause	 c;
	char			 name[256], *what;
	va_list			 ap;
	int			 rv;

	memset(&c, 0, sizeof(c));
	va_start(ap, fmt);
	rv = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (rv == -1) {
		*cause = NULL;
		return -1;
	}
	form_name_shown(path, name, sizeof(name));
	form_cause_add(&c, "%s: %s", name, what);
	free(what);
	form_cause_end(&c, cause);
	return -1;
}

int
form_load_file(const char *path, struct form **out, char **cause)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rv;

	*out = NULL;
	*cause = NULL;
	/* Not even opened unless it is a regular file: a FIFO would block,
	 * a device might do something. */
	if (stat(path, &st) == -1)
		return form_file_error(path, cause, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return form_file_error(path, cause, _("not a regular file"));
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1)
		return form_file_error(path, cause, "%s", strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return form_file_error(path, cause, _("not a regular file"));
	}
	if (st.st_size > FORM_MAX_BYTES) {
		close(fd);
		return form_file_error(path, cause, _("%lld bytes, at most %d"),
		    (long long)st.st_size, FORM_MAX_BYTES);
	}
	/* One byte more than the limit: a file that grew is seen. */
	if ((buf = malloc(FORM_MAX_BYTES + 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (len <= FORM_MAX_BYTES) {
		n = read(fd, buf + len, FORM_MAX_BYTES + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rv = form_file_error(path, cause, "%s",
			    strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > FORM_MAX_BYTES)
		rv = form_file_error(path, cause, _("more than %d bytes"),
		    FORM_MAX_BYTES);
	else
		rv = form_parse(path, buf, len, out, cause);
 done:
	free(buf);
	close(fd);
	return rv;
}

void
form_set_free(struct form_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		form_free(set->v[i]);
	free(set->v);
	free(set);
}

size_t
form_set_count(const struct form_set *set)
{
	return set->n;
}

const struct form *
form_set_at(const struct form_set *set, size_t i)
{
	if (i >= set->n)
		return NULL;
	return set->v[i];
}

const struct form *
form_set_year(const struct form_set *set, int year)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		if (set->v[i]->year == year)
			return set->v[i];
	return NULL;
}

const char *
form_set_years(const struct form_set *set, char *buf, size_t len)
{
	size_t	i, used;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < set->n; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%d", i > 0 ? ", " : "",
		    set->v[i]->year);
	}
	return buf;
}

int
form_set_period(const struct form_set *set, const char *id,
    const struct form **form, struct period *p, char **cause)
{
	struct period_rules		 rules;
	const struct form_period	*fp;
	const struct form		*f;
	const char			*errstr;
	char				 years[FORM_MAX_FILES * 6 + 8];

	*form = NULL;
	*cause = NULL;
	/* period_parse names the kind and the year; the dates are the
	 * form's. */
	period_rules_default(&rules);
	if (period_parse(id, &rules, p, &errstr) == -1) {
		*cause = strdup(errstr);
		return -1;
	}
	if ((f = form_set_year(set, p->year)) == NULL) {
		if (asprintf(cause, _("no form for %d; the forms known are %s"),
		    p->year, form_set_years(set, years, sizeof(years))) == -1)
			*cause = NULL;
		return -1;
	}
	fp = form_period(f, p->kind);
	p->from = fp->from;
	p->to = fp->to;
	p->due = fp->due;
	p->limit = fp->planned_until;
	*form = f;
	return 0;
}

static int
form_set_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
form_set_cmp_years(const void *a, const void *b)
{
	const struct form	*fa = *(struct form *const *)a;
	const struct form	*fb = *(struct form *const *)b;

	return (fa->year > fb->year) - (fa->year < fb->year);
}

/* A form file: *.json, not hidden (editors' lock and swap files are). */
static int
form_set_wanted(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && len > 5 &&
	    strcmp(name + len - 5, ".json") == 0;
}

/* The year a name YYYY.json promises, or 0 for any other name. */
static int
form_set_name_year(const char *name)
{
	int	i, y = 0;

	if (strlen(name) != 9 || strcmp(name + 4, ".json") != 0)
		return 0;
	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		y = y * 10 + (name[i] - '0');
	}
	return y;
}

/* Names of the form files of dir, sorted; -1 with the cause added. */
static int
form_set_names(const char *dir, char **names, size_t *n,
    struct form_cause *c, char shown[256])
{
	struct dirent	*de;
	DIR		*d;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		form_cause_add(c, "%s: %s", shown, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (!form_set_wanted(de->d_name))
			continue;
		if (*n == FORM_MAX_FILES) {
			form_cause_add(c, _("%s: more than %d form files"),
			    shown, FORM_MAX_FILES);
			closedir(d);
			return -1;
		}
		if ((names[*n] = strdup(de->d_name)) == NULL) {
			c->nomem = 1;
			closedir(d);
			return -1;
		}
		(*n)++;
	}
	if (errno != 0) {
		form_cause_add(c, "%s: %s", shown, strerror(errno));
		closedir(d);
		return -1;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), form_set_cmp_names);
	return 0;
}

/* Adds f to the set, which has room for it. */
static void
form_set_add(struct form_set *set, struct form *f)
{
	set->v[set->n++] = f;
}

int
form_set_put(struct form_set *set, struct form *f)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (set->v[i]->year == f->year) {
			form_free(set->v[i]);
			set->v[i] = f;
			return 0;
		}
	}
	if (set->n > FORM_MAX_FILES)
		return -1;
	form_set_add(set, f);
	qsort(set->v, set->n, sizeof(*set->v), form_set_cmp_years);
	return 0;
}

int
form_set_load(const char *dir, struct form_set **out, char **cause)
{
	struct form_cause	 c;
	struct form_set		*set;
	struct form		*f, *builtin = NULL, *other;
	char			*names[FORM_MAX_FILES], *fcause;
	char			 path[PATH_MAX], dshown[256], shown[256];
	char			 oshown[256];
	size_t			 i, j, n = 0;
	int			 year;

	*out = NULL;
	*cause = NULL;
	memset(&c, 0, sizeof(c));
	if (form_builtin(&builtin, cause) == -1)
		return -1;
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (set->v = calloc(FORM_MAX_FILES + 1, sizeof(*set->v))) == NULL) {
		free(set);
		form_free(builtin);
		return -1;
	}
	if (dir != NULL) {
		form_name_shown(dir, dshown, sizeof(dshown));
		if (form_set_names(dir, names, &n, &c, dshown) == -1)
			goto fail;
	}

	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path)) {
			form_cause_add(&c, _("%s: a name too long for a path"),
			    dshown);
			continue;
		}
		if (form_load_file(path, &f, &fcause) == -1) {
			if (fcause == NULL)
				c.nomem = 1;
			else
				form_cause_add(&c, "%s", fcause);
			free(fcause);
			continue;
		}
		form_name_shown(path, shown, sizeof(shown));
		year = form_set_name_year(names[i]);
		if (year != 0 && year != f->year) {
			form_cause_add(&c, _("%s: holds the form of %d, not of "
			    "%d as its name says"), shown, f->year, year);
			form_free(f);
			continue;
		}
		for (j = 0; j < set->n; j++)
			if (set->v[j]->year == f->year)
				break;
		if (j < set->n) {
			other = set->v[j];
			form_name_shown(other->name, oshown, sizeof(oshown));
			form_cause_add(&c, _("%s and %s both hold the form of "
			    "%d"), oshown, shown, f->year);
			form_free(f);
			continue;
		}
		form_set_add(set, f);
	}
	if (c.n > 0 || c.dropped > 0 || c.nomem)
		goto fail;

	/* A file of its year replaces the built-in form. */
	if (form_set_year(set, builtin->year) == NULL) {
		form_set_add(set, builtin);
		builtin = NULL;
	}
	form_free(builtin);
	qsort(set->v, set->n, sizeof(*set->v), form_set_cmp_years);
	for (i = 0; i < n; i++)
		free(names[i]);
	*out = set;
	return 0;

 fail:
	for (i = 0; i < n; i++)
		free(names[i]);
	form_free(builtin);
	form_set_free(set);
	form_cause_end(&c, cause);
	return -1;
}

/* Appends n changes to *v (of *len). */
static int
form_set_append(struct form_change **v, size_t *len,
    const struct form_change *add, size_t n)
{
	struct form_change	*nv;

	if (n == 0)
		return 0;
	if ((nv = reallocarray(*v, *len + n, sizeof(*nv))) == NULL)
		return -1;
	memcpy(nv + *len, add, n * sizeof(*nv));
	*v = nv;
	*len += n;
	return 0;
}

int
form_set_compare(const struct form_set *old, const struct form_set *new,
    struct form_change **out, size_t *n)
{
	struct form_change	*v = NULL, *year, whole;
	const struct form	*o, *nf;
	size_t			 i, len = 0, k;
	int			 rv;

	*out = NULL;
	*n = 0;
	for (i = 0; i < old->n; i++) {
		o = old->v[i];
		if ((nf = form_set_year(new, o->year)) != NULL) {
			if (form_compare(o, nf, &year, &k) == -1)
				goto fail;
			rv = form_set_append(&v, &len, year, k);
			free(year);
		} else {
			memset(&whole, 0, sizeof(whole));
			whole.kind = FORM_REMOVED;
			whole.year = o->year;
			whole.list = FORM_WHOLE;
			snprintf(whole.what, sizeof(whole.what),
			    _("no form for %d any more"), o->year);
			rv = form_set_append(&v, &len, &whole, 1);
		}
		if (rv == -1)
			goto fail;
	}
	*out = v;
	*n = len;
	return 0;

 fail:
	free(v);
	return -1;
}
