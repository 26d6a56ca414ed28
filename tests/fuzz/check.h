/*
 * What the report harnesses hold every report to. A broken invariant
 * aborts, which libFuzzer records as a crash with the input that did it.
 */
#ifndef GP_FUZZ_CHECK_H
#define GP_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "form.h"
#include "report.h"
#include "validate.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
			    __FILE__, __LINE__, #cond);			\
			abort();					\
		}							\
	} while (0)

/* The fixed validation context: default period rules, submitted on
 * CHECK_TODAY, a registry of a few units (check.c). */
#define CHECK_TODAY	"2022-06-05"
/* The forms of the harnesses: built in 2022, and the files of
 * tests/data/forms (2023) when the harness runs from the top of the
 * tree. */
const struct form_set	*check_forms(void);
void	 check_context(struct validate_context *);

/* Every field name and message is one line of valid UTF-8: they travel
 * in protobuf string fields and reach a terminal. */
void	 check_errors(const struct report_errors *);

/* A one-line text a peer may see (a cause): valid UTF-8, no controls. */
void	 check_line(const char *);

/*
 * Validates r (with and without warnings: the same errors), packs it,
 * unpacks and repacks (byte-identical, same verdict), hashes (the SHA-256
 * of the packed bytes) and derives its id (a version 8 UUID, the same for
 * the copy). Leaves r with the derived id. Returns validate_report's
 * verdict on r as given.
 */
int	 check_report(struct report *r);

#endif
