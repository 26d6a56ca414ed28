/*
 * Time zones from TZif files (RFC 8536): the transitions of version 2
 * and later (64-bit times; version 1's 32-bit block only when the file
 * has nothing else), and the footer's POSIX TZ rule for every time after
 * the last transition. Every count and index is checked against the
 * bytes before it is used; a zone is read whole, then only read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "period.h"
#include "tz.h"

#define TZ_TYPES_MAX	256
#define TZ_RULE_MAX	128	/* bytes of the footer's TZ string */
#define TZ_HEADER	44
#define TZ_DAY		86400

/* When a rule's daylight saving time starts or ends, in a year. */
struct tz_when {
	int	kind;		/* 'J' (1..365, no 29 Feb), 'N' (0..365), 'M' */
	int	n;		/* J, N */
	int	m, w, d;	/* M: month, week 1..5 (5: last), weekday */
	int32_t	time;		/* seconds after local midnight */
};

/* A POSIX TZ string ("<+07>-7", "CET-1CEST,M3.5.0,M10.5.0/3"). */
struct tz_rule {
	int32_t		std;		/* seconds east of UTC */
	int32_t		dst;
	int		has_dst;
	struct tz_when	start, end;
};

struct tz {
	char		 name[TZ_NAME_MAX + 1];
	int64_t		*at;		/* transitions, ascending */
	uint8_t		*type;		/* the type from each transition */
	size_t		 n;
	int32_t		 off[TZ_TYPES_MAX];	/* seconds east of UTC */
	size_t		 ntypes;
	struct tz_rule	 rule;		/* after the last transition */
	int		 has_rule;
};

static int
tz_fail(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
tz_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return -1;
}

int
tz_valid_name(const char *s)
{
	size_t	i, part = 0;

	if (s == NULL || s[0] == '\0' || s[0] == '/')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == TZ_NAME_MAX)
			return -1;
		if (s[i] == '/') {
			/* "", "." and ".." parts would leave the directory */
			if (part == 0 || (part == 1 && s[i - 1] == '.') ||
			    (part == 2 && s[i - 1] == '.' && s[i - 2] == '.'))
				return -1;
			part = 0;
			continue;
		}
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))
			return -1;
		part++;
	}
	if (part == 0 || (part == 1 && s[i - 1] == '.') ||
	    (part == 2 && s[i - 1] == '.' && s[i - 2] == '.'))
		return -1;
	return 0;
}

static uint32_t
tz_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
tz_be64(const uint8_t *p)
{
	return (int64_t)((uint64_t)tz_be32(p) << 32 | tz_be32(p + 4));
}

/* --- the footer: a POSIX TZ string ------------------------------------- */

struct tz_scan {
	const char	*s;
	size_t		 i, len;
};

static int
tz_peek(const struct tz_scan *sc)
{
	return sc->i < sc->len ? (unsigned char)sc->s[sc->i] : -1;
}

/* A zone abbreviation: 3 or more letters, or <...> of letters, digits,
 * '+' and '-'. Only skipped: the offsets are what count. */
static int
tz_abbr(struct tz_scan *sc)
{
	size_t	start = sc->i;
	int	c;

	if (tz_peek(sc) == '<') {
		sc->i++;
		while ((c = tz_peek(sc)) != -1 && c != '>') {
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '+' || c == '-'))
				return -1;
			sc->i++;
		}
		if (c != '>' || sc->i - start < 4)
			return -1;
		sc->i++;
		return 0;
	}
	while ((c = tz_peek(sc)) != -1 && ((c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z')))
		sc->i++;
	return sc->i - start >= 3 ? 0 : -1;
}

static int
tz_number(struct tz_scan *sc, int max, int *out)
{
	int	c, v = 0, digits = 0;

	while ((c = tz_peek(sc)) >= '0' && c <= '9') {
		v = v * 10 + (c - '0');
		if (v > max)
			return -1;
		sc->i++;
		digits++;
	}
	if (digits == 0)
		return -1;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]], hours up to max: seconds, positive west of UTC as
 * POSIX writes offsets, or after midnight for a rule's time. */
static int
tz_hms(struct tz_scan *sc, int max, int32_t *out)
{
	int	sign = 1, h, m = 0, s = 0;

	if (tz_peek(sc) == '+' || tz_peek(sc) == '-') {
		sign = tz_peek(sc) == '-' ? -1 : 1;
		sc->i++;
	}
	if (tz_number(sc, max, &h) == -1)
		return -1;
	if (tz_peek(sc) == ':') {
		sc->i++;
		if (tz_number(sc, 59, &m) == -1)
			return -1;
		if (tz_peek(sc) == ':') {
			sc->i++;
			if (tz_number(sc, 59, &s) == -1)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int
tz_when(struct tz_scan *sc, struct tz_when *w)
{
	memset(w, 0, sizeof(*w));
	w->time = 2 * 3600;
	if (tz_peek(sc) == 'J') {
		sc->i++;
		w->kind = 'J';
		if (tz_number(sc, 365, &w->n) == -1 || w->n < 1)
			return -1;
	} else if (tz_peek(sc) == 'M') {
		sc->i++;
		w->kind = 'M';
		if (tz_number(sc, 12, &w->m) == -1 || w->m < 1 ||
		    tz_peek(sc) != '.')
			return -1;
		sc->i++;
		if (tz_number(sc, 5, &w->w) == -1 || w->w < 1 ||
		    tz_peek(sc) != '.')
			return -1;
		sc->i++;
		if (tz_number(sc, 6, &w->d) == -1)
			return -1;
	} else {
		w->kind = 'N';
		if (tz_number(sc, 365, &w->n) == -1)
			return -1;
	}
	/* RFC 8536 (version 3) lets the time run from -167 to 167 hours. */
	if (tz_peek(sc) == '/') {
		sc->i++;
		if (tz_hms(sc, 167, &w->time) == -1)
			return -1;
	}
	return 0;
}

static int
tz_rule_parse(const char *s, size_t len, struct tz_rule *r)
{
	struct tz_scan	sc = { s, 0, len };
	int32_t		west;

	memset(r, 0, sizeof(*r));
	if (tz_abbr(&sc) == -1 || tz_hms(&sc, 24, &west) == -1)
		return -1;
	r->std = -west;
	if (sc.i == len)
		return 0;
	if (tz_abbr(&sc) == -1)
		return -1;
	r->has_dst = 1;
	r->dst = r->std + 3600;
	if (tz_peek(&sc) != ',' && sc.i < len) {
		if (tz_hms(&sc, 24, &west) == -1)
			return -1;
		r->dst = -west;
	}
	/* A rule without dates is not one a TZif footer holds. */
	if (tz_peek(&sc) != ',')
		return -1;
	sc.i++;
	if (tz_when(&sc, &r->start) == -1 || tz_peek(&sc) != ',')
		return -1;
	sc.i++;
	if (tz_when(&sc, &r->end) == -1)
		return -1;
	return sc.i == len ? 0 : -1;
}

static int
tz_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day number of a rule's date in year y. */
static int32_t
tz_when_day(const struct tz_when *w, int y)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int32_t	first, day;
	int	wd, len;

	switch (w->kind) {
	case 'J':
		day = date_from_ymd(y, 1, 1) + w->n - 1;
		return day + (tz_leap(y) && w->n >= 60);
	case 'N':
		return date_from_ymd(y, 1, 1) + w->n;
	default:
		first = date_from_ymd(y, w->m, 1);
		/* 1970-01-01 was a Thursday (4). */
		wd = (int)(((int64_t)first % 7 + 7 + 4) % 7);
		day = first + (w->d - wd + 7) % 7 + (w->w - 1) * 7;
		len = mdays[w->m - 1] + (w->m == 2 && tz_leap(y));
		while (day >= first + len)
			day -= 7;
		return day;
	}
}

static int64_t
tz_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int32_t
tz_rule_offset(const struct tz_rule *r, int64_t t)
{
	int64_t	start, end;
	int	y, m, d;

	if (!r->has_dst)
		return r->std;
	date_to_ymd((int32_t)tz_floor_div(t + r->std, TZ_DAY), &y, &m, &d);
	/* Daylight time starts at a standard-time wall clock and ends at a
	 * daylight-time one. */
	start = (int64_t)tz_when_day(&r->start, y) * TZ_DAY + r->start.time -
	    r->std;
	end = (int64_t)tz_when_day(&r->end, y) * TZ_DAY + r->end.time - r->dst;
	if (start < end)
		return t >= start && t < end ? r->dst : r->std;
	/* The southern hemisphere: summer across the new year. */
	return t >= end && t < start ? r->std : r->dst;
}

/* --- the file ------------------------------------------------------------ */

struct tz_counts {
	uint32_t	isut, isstd, leap, time, type, chars;
};

static void
tz_counts(const uint8_t *h, struct tz_counts *c)
{
	c->isut = tz_be32(h + 20);
	c->isstd = tz_be32(h + 24);
	c->leap = tz_be32(h + 28);
	c->time = tz_be32(h + 32);
	c->type = tz_be32(h + 36);
	c->chars = tz_be32(h + 40);
}

/* Bytes of a data block after its header; times are tsize bytes. */
static size_t
tz_block(const struct tz_counts *c, size_t tsize)
{
	return (size_t)c->time * tsize + c->time + (size_t)c->type * 6 +
	    c->chars + (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

int
tz_parse(const char *name, const void *buf, size_t len, struct tz **out,
    char **cause)
{
	const uint8_t	*p = buf, *d, *types, *footer, *nl;
	struct tz_counts c;
	struct tz	*z = NULL;
	size_t		 tsize, i, rest;
	int		 version;

	*out = NULL;
	*cause = NULL;
	if (len < TZ_HEADER || memcmp(p, "TZif", 4) != 0)
		return tz_fail(cause, _("%s: not a time zone file (TZif)"),
		    name);
	version = p[4] == 0 ? 1 : p[4] - '0';
	if (version < 1 || version > 9)
		return tz_fail(cause, _("%s: TZif version byte %#x"),
		    name, p[4]);
	tz_counts(p, &c);
	if (c.time > TZ_TRANSITIONS_MAX || c.type > TZ_TYPES_MAX ||
	    c.chars > 65536 || c.leap > 1000 || c.isstd > TZ_TYPES_MAX ||
	    c.isut > TZ_TYPES_MAX)
		return tz_fail(cause, _("%s: counts out of range"), name);
	d = p + TZ_HEADER;
	tsize = 4;
	if (version >= 2) {
		/* The 32-bit block is for old readers: skipped. */
		if (tz_block(&c, 4) > len - TZ_HEADER ||
		    len - TZ_HEADER - tz_block(&c, 4) < TZ_HEADER)
			return tz_fail(cause, _("%s: cut short"), name);
		p = d + tz_block(&c, 4);
		if (memcmp(p, "TZif", 4) != 0)
			return tz_fail(cause, _("%s: no second header"), name);
		tz_counts(p, &c);
		if (c.time > TZ_TRANSITIONS_MAX || c.type > TZ_TYPES_MAX ||
		    c.chars > 65536 || c.leap > 1000 ||
		    c.isstd > TZ_TYPES_MAX || c.isut > TZ_TYPES_MAX)
			return tz_fail(cause, _("%s: counts out of range"),
			    name);
		d = p + TZ_HEADER;
		tsize = 8;
	}
	rest = len - (size_t)(d - (const uint8_t *)buf);
	if (c.type == 0 || tz_block(&c, tsize) > rest)
		return tz_fail(cause, _("%s: cut short or without a type"),
		    name);
	if (c.leap > 0)
		return tz_fail(cause, _("%s: a zone counting leap seconds (the "
		    "\"right/\" zones) is not one gp can use"), name);

	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (c.time > 0 && ((z->at = calloc(c.time, sizeof(*z->at))) ==
	    NULL || (z->type = calloc(c.time, 1)) == NULL))) {
		tz_free(z);
		return -1;
	}
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->n = c.time;
	for (i = 0; i < c.time; i++) {
		z->at[i] = tsize == 8 ? tz_be64(d + 8 * i) :
		    (int64_t)(int32_t)tz_be32(d + 4 * i);
		if (i > 0 && z->at[i] <= z->at[i - 1]) {
			tz_free(z);
			return tz_fail(cause, _("%s: transitions out of order"),
			    name);
		}
	}
	for (i = 0; i < c.time; i++) {
		if ((z->type[i] = d[tsize * c.time + i]) >= c.type) {
			tz_free(z);
			return tz_fail(cause, _("%s: a transition to a type "
			    "past its %u"), name, c.type);
		}
	}
	types = d + (tsize + 1) * c.time;
	z->ntypes = c.type;
	for (i = 0; i < c.type; i++) {
		z->off[i] = (int32_t)tz_be32(types + 6 * i);
		/* Real offsets are within a day of UTC. */
		if (z->off[i] <= -TZ_DAY || z->off[i] >= TZ_DAY) {
			tz_free(z);
			return tz_fail(cause, _("%s: offset out of range"),
			    name);
		}
	}

	/* Version 2 and later: "\n" TZ string "\n" after the block. */
	footer = d + tz_block(&c, tsize);
	rest = len - (size_t)(footer - (const uint8_t *)buf);
	if (version >= 2 && rest >= 2 && footer[0] == '\n' &&
	    (nl = memchr(footer + 1, '\n', rest - 1)) != NULL &&
	    nl > footer + 1) {
		if ((size_t)(nl - footer - 1) > TZ_RULE_MAX ||
		    tz_rule_parse((const char *)footer + 1,
		    (size_t)(nl - footer - 1), &z->rule) == -1) {
			tz_free(z);
			return tz_fail(cause, _("%s: a rule for after its last "
			    "transition that gp cannot read"), name);
		}
		z->has_rule = 1;
	}
	*out = z;
	return 0;
}

/* Zones whose rules gp knows without the tz database. */
static struct tz *
tz_builtin(const char *name)
{
	struct tz	*z;
	int32_t		 off;

	if (strcmp(name, "Asia/Ho_Chi_Minh") == 0 ||
	    strcmp(name, "Asia/Saigon") == 0)
		off = 7 * 3600;
	else if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		off = 0;
	else
		return NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->ntypes = 1;
	z->off[0] = off;
	return z;
}

int
tz_load(const char *dir, const char *name, struct tz **out, char **note,
    char **cause)
{
	struct stat	 st;
	const char	*env;
	char		 path[512];
	uint8_t		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, saved, rv;

	*out = NULL;
	*cause = NULL;
	if (note != NULL)
		*note = NULL;
	if (tz_valid_name(name) == -1)
		return tz_fail(cause, _("'%s' is not the name of a time zone "
		    "(such as Asia/Ho_Chi_Minh)"), name != NULL ? name : "");
	if (dir == NULL)
		dir = (env = getenv(TZ_DIR_ENV)) != NULL && env[0] == '/' ?
		    env : TZ_DIR;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return tz_fail(cause, _("%s/%s: path too long"), dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		saved = errno;
		if (saved == ENOENT && (*out = tz_builtin(name)) != NULL) {
			if (note != NULL && asprintf(note, _("%s: no such "
			    "file: %s taken as UTC%s (the tz database, package "
			    "tzdata, is not installed)"), path, name,
			    tz_offset(*out, 0) == 0 ? "" : "+07:00") == -1)
				*note = NULL;
			return 0;
		}
		if (saved == ENOENT)
			return tz_fail(cause, _("time zone %s: %s does not "
			    "exist; check the name (as in %s) and that the "
			    "tzdata package is installed"), name, path, TZ_DIR);
		return tz_fail(cause, _("time zone %s: %s: %s"), name, path,
		    strerror(saved));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TZ_FILE_MAX) {
		close(fd);
		return tz_fail(cause, _("time zone %s: %s is not a zone file"),
		    name, path);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return -1;
	}
	/* One byte more than the size said tells a file that grew. */
	while (len <= (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size + 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len > (size_t)st.st_size) {
		free(buf);
		return tz_fail(cause, _("time zone %s: %s changed while read"),
		    name, path);
	}
	rv = tz_parse(name, buf, len, out, cause);
	free(buf);
	return rv;
}

void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->type);
	free(z);
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

int32_t
tz_offset(const struct tz *z, int64_t t)
{
	size_t	lo, hi, mid;

	if (z->n == 0)
		return z->has_rule ? tz_rule_offset(&z->rule, t) : z->off[0];
	/* Before the first transition: the first type (RFC 8536). */
	if (t < z->at[0])
		return z->off[0];
	if (t >= z->at[z->n - 1] && z->has_rule)
		return tz_rule_offset(&z->rule, t);
	lo = 0;
	hi = z->n;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[z->type[lo]];
}

int32_t
tz_day(const struct tz *z, int64_t t)
{
	return (int32_t)tz_floor_div(t + tz_offset(z, t), TZ_DAY);
}

/* Local date and time of t: *secs the seconds into the day. */
static void
tz_local(const struct tz *z, int64_t t, int32_t *off, int *y, int *m,
    int *d, int *secs)
{
	int64_t	local, day;

	*off = z != NULL ? tz_offset(z, t) : 0;
	local = t + *off;
	day = tz_floor_div(local, TZ_DAY);
	*secs = (int)(local - day * TZ_DAY);
	date_to_ymd((int32_t)day, y, m, d);
}

/* n, 0 <= n < 10^width, as width digits at p; returns the end. */
static char *
tz_digits_put(char *p, int n, int width)
{
	char	*end = p + width;

	for (p = end; p > end - width; n /= 10)
		*--p = (char)('0' + n % 10);
	return end;
}

/* What the three formats print, made in a buffer wide enough for any
 * int, then copied: every field is in range for the dates gp sees. The
 * digits are put by hand where they fit their fields (a national list
 * shows 200,000 times); any other year or offset goes through printf. */
static void
tz_print(const struct tz *z, int64_t t, int form, char *out, size_t len)
{
	char	buf[96], *p = buf;
	size_t	n;
	int32_t	off;
	int	y, m, d, s, a;

	tz_local(z, t, &off, &y, &m, &d, &s);
	a = off < 0 ? -off : off;
	if (y < 0 || y > 9999 || a >= 100 * 3600) {
		if (form == 'h')
			snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d "
			    "%c%02d:%02d", y, m, d, s / 3600, s / 60 % 60,
			    off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
		else if (form == 'r')
			snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:"
			    "%02d%c%02d:%02d", y, m, d, s / 3600, s / 60 % 60,
			    s % 60, off < 0 ? '-' : '+', a / 3600,
			    a / 60 % 60);
		else
			snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:"
			    "%02dZ", y, m, d, s / 3600, s / 60 % 60, s % 60);
	} else {
		p = tz_digits_put(p, y, 4);
		*p++ = '-';
		p = tz_digits_put(p, m, 2);
		*p++ = '-';
		p = tz_digits_put(p, d, 2);
		*p++ = form == 'h' ? ' ' : 'T';
		p = tz_digits_put(p, s / 3600, 2);
		*p++ = ':';
		p = tz_digits_put(p, s / 60 % 60, 2);
		if (form != 'h') {
			*p++ = ':';
			p = tz_digits_put(p, s % 60, 2);
		}
		if (form == 'u')
			*p++ = 'Z';
		else {
			if (form == 'h')
				*p++ = ' ';
			*p++ = off < 0 ? '-' : '+';
			p = tz_digits_put(p, a / 3600, 2);
			*p++ = ':';
			p = tz_digits_put(p, a / 60 % 60, 2);
		}
		*p = '\0';
	}
	n = strlen(buf) < len ? strlen(buf) : len - 1;
	memcpy(out, buf, n);
	out[n] = '\0';
}

void
tz_human(const struct tz *z, int64_t t, char out[TZ_HUMAN_LEN + 1])
{
	tz_print(z, t, 'h', out, TZ_HUMAN_LEN + 1);
}

void
tz_rfc3339(const struct tz *z, int64_t t, char out[TZ_RFC3339_LEN + 1])
{
	tz_print(z, t, 'r', out, TZ_RFC3339_LEN + 1);
}

void
tz_utc(int64_t t, char out[TZ_UTC_LEN + 1])
{
	tz_print(NULL, t, 'u', out, TZ_UTC_LEN + 1);
}

int
tz_parse_utc(const char *s, int64_t *t)
{
	char	date[DATE_LEN + 1];
	int32_t	day;
	int	h, mi, se;

	if (s == NULL || strlen(s) != TZ_UTC_LEN || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	memcpy(date, s, DATE_LEN);
	date[DATE_LEN] = '\0';
	if (date_parse(date, &day) == -1 ||
	    (h = period_digits(s + 11, 2)) < 0 || h > 23 ||
	    (mi = period_digits(s + 14, 2)) < 0 || mi > 59 ||
	    (se = period_digits(s + 17, 2)) < 0 || se > 60)
		return -1;
	*t = (int64_t)day * TZ_DAY + h * 3600 + mi * 60 + se;
	return 0;
}
