/*
 * A small XML writer: every byte of text and attribute values goes through
 * one escaping function, so nothing a unit typed can break the markup.
 * Elements are closed in the order they were opened (a stack of names),
 * and the first write error is kept for xml_finish() to report.
 */
#ifndef GP_REPORT_XML_H
#define GP_REPORT_XML_H

#include <stdio.h>

#define XML_MAX_DEPTH	32

struct xml;

/* Writes to f, which stays the caller's. */
struct xml	*xml_new(FILE *f);
/* Returns 0 when every element was closed and every write succeeded, or -1
 * with *errstr set. Frees the writer either way; xml_free(NULL) is a no-op. */
int		 xml_finish(struct xml *, const char **errstr);
void		 xml_free(struct xml *);

/* <?xml version="1.0" encoding="UTF-8" standalone="yes"?> */
void	 xml_declaration(struct xml *);

/*
 * Attributes are name, value pairs ending with NULL:
 *	xml_start(x, "w:pStyle", "w:val", "Title", (char *)NULL);
 * xml_start opens an element, xml_empty writes one with no content,
 * xml_end closes the innermost open element.
 */
void	 xml_start(struct xml *, const char *name, ...)
	    __attribute__((sentinel));
void	 xml_empty(struct xml *, const char *name, ...)
	    __attribute__((sentinel));
void	 xml_end(struct xml *);

/* Character data, escaped. */
void	 xml_text(struct xml *, const char *);
void	 xml_textn(struct xml *, const char *, size_t);

/*
 * The escaping itself, exposed for the tests: appends s (n bytes) to out as
 * XML character data, or as an attribute value when attr is set. What XML
 * 1.0 cannot hold (control characters other than tab, newline and carriage
 * return; U+FFFE, U+FFFF; bytes that are not well-formed UTF-8) becomes
 * U+FFFD, so a bad byte is visible in the document instead of making
 * Word refuse it. Returns the number of bytes replaced.
 */
size_t	 xml_escape(FILE *out, const char *s, size_t n, int attr);

#endif
