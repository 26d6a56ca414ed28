/*
 * libxlsxwriter on demand (xlsx.h).
 */
#include <dlfcn.h>
#include <stddef.h>

#include "i18n.h"
#include "cause.h"
#include "xlsx.h"

const struct xlsx *
xlsx_load(char **cause)
{
	static struct xlsx	 lib;
	static int		 loaded;
	void			*h;
	const char		*missing = NULL;

	*cause = NULL;
	if (loaded)
		return &lib;
	if ((h = dlopen(XLSX_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		cause_set(cause, _("cannot load %s, which writes xlsx files "
		    "(%s): install libxlsxwriter, or export as csv"),
		    XLSX_SONAME, dlerror());
		return NULL;
	}
	/* POSIX: a function's address comes back as a void *. */
#define XLSX_SYMBOL(name)						\
	if (missing == NULL &&						\
	    (lib.name = (__typeof__(name) *)dlsym(h, #name)) == NULL)	\
		missing = #name;
	XLSX_FUNCTIONS(XLSX_SYMBOL)
#undef XLSX_SYMBOL
	if (missing != NULL) {
		cause_set(cause, _("%s lacks %s: install the libxlsxwriter "
		    "gp-client was built with, or export as csv"),
		    XLSX_SONAME, missing);
		dlclose(h);
		return NULL;
	}
	loaded = 1;
	return &lib;
}
