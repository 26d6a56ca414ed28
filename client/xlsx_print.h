/*
 * How the sheets of an xlsx export print: on A4, as wide as a page, the
 * activities in landscape with their headings on every page, and above
 * and below each page what it is (the period, the units), when it was
 * made and its page number, so that a printed page read on its own still
 * says where it comes from.
 */
#ifndef GP_XLSX_PRINT_H
#define GP_XLSX_PRINT_H

#include <stddef.h>

#include "xlsx.h"

/* Bytes of each text in a header or footer, '&' doubled: three of them
 * and Excel's codes stay under LXW_HEADER_FOOTER_MAX characters. */
#define XLSX_PRINT_TEXT_MAX	80

struct xlsx_page {
	int		 landscape;
	int		 repeat_heading;	/* row 1 on every page */
	int		 gridlines;		/* printed */
	const char	*title;		/* top left: the sheet's subject */
	const char	*who;		/* top right: the units (the server's
					 * text: made safe here) */
	const char	*made;		/* bottom left: when it was made */
};

/*
 * s as a header's or footer's text in out (len bytes, at least 1): each
 * control, invisible or malformed character as '?', '&' (which starts
 * Excel's codes) doubled, cut at a whole character to fit
 * min(len - 1, XLSX_PRINT_TEXT_MAX) bytes. NULL is "". Returns out.
 */
char	*xlsx_print_text(const char *s, char *out, size_t len);

/* Sets ws to print as p says, the page number ("Trang 2/5") below.
 * Returns 0, or -1 when the library refuses the header or the footer. */
int	 xlsx_print(const struct xlsx *, lxw_worksheet *ws,
	    const struct xlsx_page *p);

#endif
