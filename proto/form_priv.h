/*
 * Inside a form: shared by form.c (model, look-ups, comparison),
 * form_json.c (reading and checking) and form_set.c (directories). Not
 * for use outside those files.
 */
#ifndef GP_FORM_PRIV_H
#define GP_FORM_PRIV_H

#include <pthread.h>

#include <jansson.h>

#include "form.h"

struct form {
	char			*name;
	/* The checked document; every string below points into it. */
	json_t			*doc;
	int			 year;
	const char		*title;
	struct form_period	 periods[2];	/* PERIOD_HALF, _YEAR */
	struct form_entry	*lists[FORM_LIST_COUNT];
	size_t			 counts[FORM_LIST_COUNT];
	struct form_entry	*fieldpool;	/* every section's fields */
	/* Made when first asked for (form_digest), under lock: a form
	 * only checked (gp-client's validate) never pays for them. */
	pthread_mutex_t		 lock;
	int			 digested;	/* 1 done, -1 failed */
	char			*canon;
	size_t			 canonlen;
	uint8_t			 sha256[FORM_SHA256_LEN];
	char			 sha256_hex[2 * FORM_SHA256_LEN + 1];
};

/* The canonical bytes and their SHA-256, made once. Returns 0, or -1
 * when they cannot be (out of memory). */
int	 form_digest(const struct form *);

/* A cause that grows line by line, FORM_ERRORS_MAX lines at most, then
 * a count of the rest. */
struct form_cause {
	char	*buf;
	size_t	 len;
	size_t	 n;
	size_t	 dropped;
	int	 nomem;
};

void	 form_cause_add(struct form_cause *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A file name as a cause shows it: as it is when it is text, else with
 * '?' for each byte that is not printable ASCII. */
void	 form_name_shown(const char *name, char *out, size_t outlen);

/* Ends the cause: *cause gets the text (or NULL when there is none or no
 * memory), the builder is reset. */
void	 form_cause_end(struct form_cause *, char **cause);

#endif
