/*
 * The small parts around the document: word/settings.xml and the package
 * properties docProps/core.xml (title, author, language) and
 * docProps/app.xml (the application).
 */
#ifndef GP_REPORT_PROPS_H
#define GP_REPORT_PROPS_H

#include <stdio.h>

int	 props_write_settings(FILE *f, const char **errstr);
/* created: YYYY-MM-DD or NULL */
int	 props_write_core(FILE *f, const char *title, const char *creator,
	    const char *created, const char **errstr);
int	 props_write_app(FILE *f, const char **errstr);

#endif
