/*
 * The [report] section of gp-client's configuration: who issues the
 * province's report (báo cáo) that `gp-client report` drafts, who signs
 * it and whom it goes to, and where gp-report is. Every key is optional:
 * what is not set takes gp-report's default (the Lai Châu federation's,
 * gp-client(1)).
 */
#ifndef GP_REPORT_CONF_H
#define GP_REPORT_CONF_H

#include <stddef.h>

#include <jansson.h>

#define REPORT_CONF_MAX_TEXT		200	/* bytes of one setting */
#define REPORT_CONF_MAX_SUBJECT		500
#define REPORT_CONF_MAX_RECIPIENTS	32
#define REPORT_CONF_MAX_HIGHLIGHTS	50

/* The texts of the document, in the order of report-data.md's
 * "document". */
enum report_conf_text {
	REPORT_CONF_PARENT_BODY,
	REPORT_CONF_BODY,
	REPORT_CONF_BODY_NAME,
	REPORT_CONF_NUMBER,
	REPORT_CONF_PLACE,
	REPORT_CONF_SUBJECT,
	REPORT_CONF_SIGNER_AUTHORITY,
	REPORT_CONF_SIGNER_TITLE,
	REPORT_CONF_SIGNER_NAME,
	REPORT_CONF_NTEXTS
};

struct report_conf {
	char	*text[REPORT_CONF_NTEXTS];	/* NULL: gp-report's default */
	char	*recipients[REPORT_CONF_MAX_RECIPIENTS];
	size_t	 nrecipients;
	int	 highlights;			/* -1: not set */
	char	*gp_report;			/* the program, or NULL */
};

void	 report_conf_init(struct report_conf *);
void	 report_conf_free(struct report_conf *);

/*
 * One key of [report] (an inih handler's name and value). Returns 0, or
 * -1 with what is wrong in error (errlen bytes), for the line to be
 * named.
 */
int	 report_conf_key(struct report_conf *, const char *name,
	    const char *value, char *error, size_t errlen);

/* The "document" object of the report data: the keys that are set, and
 * date (YYYY-MM-DD) when not NULL. NULL when out of memory. */
json_t	*report_conf_document(const struct report_conf *, const char *date);

#endif
