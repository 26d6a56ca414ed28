/*
 * The template's placeholder text (placeholder.h). Recognising it costs
 * little: only text that starts with '(' or with an entry's own hint is
 * compared with anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "placeholder.h"

char *
placeholder_text(const struct form_entry *e)
{
	char	*s;

	if (e->hint != NULL)
		return strdup(e->hint);
	if (asprintf(&s, "(%s)", e->label) == -1)
		return NULL;
	return s;
}

char *
placeholder_title(const char *label)
{
	char	*s;

	if (asprintf(&s, "(%s)", label) == -1)
		return NULL;
	return s;
}

static int
placeholder_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s without the spaces around it: *len bytes from the return value. */
static const char *
placeholder_trim(const char *s, size_t *len)
{
	size_t	n;

	while (placeholder_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && placeholder_space(s[n - 1]))
		n--;
	*len = n;
	return s;
}

static int
placeholder_same(const char *s, size_t len, const char *want)
{
	return want != NULL && strlen(want) == len &&
	    memcmp(s, want, len) == 0;
}

/* "(label)" for len bytes at s. */
static int
placeholder_label(const char *s, size_t len, const char *label)
{
	return label != NULL && len >= 2 && s[0] == '(' && s[len - 1] == ')' &&
	    placeholder_same(s + 1, len - 2, label);
}

int
placeholder_is(const char *s, const char *fixed, const struct form_entry *e)
{
	size_t	len;

	if (s == NULL)
		return 0;
	s = placeholder_trim(s, &len);
	if (len == 0)
		return 0;
	if (e != NULL && placeholder_same(s, len, e->hint))
		return 1;
	if (s[0] != '(')
		return 0;
	return placeholder_same(s, len, fixed) ||
	    (e != NULL && placeholder_label(s, len, e->label));
}

int
placeholder_is_title(const struct form *f, const char *s)
{
	const struct form_entry	*e;
	size_t			 len, i;

	if (s == NULL || f == NULL)
		return 0;
	s = placeholder_trim(s, &len);
	if (len < 2 || s[0] != '(' || s[len - 1] != ')')
		return 0;
	for (i = 0; (e = form_at(f, FORM_AREAS, i)) != NULL; i++)
		if (placeholder_label(s, len, e->label))
			return 1;
	for (i = 0; (e = form_at(f, FORM_KINDS, i)) != NULL; i++)
		if (placeholder_label(s, len, e->label))
			return 1;
	return 0;
}
