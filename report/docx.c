/*
 * Assembling the .docx (docx.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "package.h"
#include "props.h"
#include "styles.h"
#include "wml.h"

#define DOCX_CT_MAIN	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#define DOCX_CT_STYLES	"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
#define DOCX_CT_SETTINGS "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
#define DOCX_CT_FONTS	"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
#define DOCX_CT_HEADER	"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
#define DOCX_CT_CORE	"application/vnd.openxmlformats-package.core-properties+xml"
#define DOCX_CT_APP	"application/vnd.openxmlformats-officedocument.extended-properties+xml"
#define DOCX_CT_PNG	"image/png"

#define DOCX_MAIN	"word/document.xml"

struct docx {
	struct package	*pkg;
	FILE		*body_file;	/* a temporary file */
	struct wml	*body;
	unsigned	 nimages;
};

static int	docx_fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
docx_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return -1;
}

struct docx *
docx_new(const char *path, char **cause)
{
	struct docx	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		docx_fail(cause, "out of memory");
		return NULL;
	}
	if ((d->pkg = package_new(path, cause)) == NULL) {
		free(d);
		return NULL;
	}
	if ((d->body_file = tmpfile()) == NULL ||
	    (d->body = wml_new(d->body_file, 0)) == NULL) {
		docx_fail(cause, "temporary file: out of space or memory");
		docx_discard(d);
		return NULL;
	}
	return d;
}

void
docx_discard(struct docx *d)
{
	if (d == NULL)
		return;
	wml_free(d->body);
	if (d->body_file != NULL)
		fclose(d->body_file);
	package_discard(d->pkg);
	free(d);
}

struct wml *
docx_body(struct docx *d)
{
	return d->body;
}

int
docx_add_image(struct docx *d, uint8_t *png, size_t len, char rel_id[16],
    char **cause)
{
	char	name[64], target[64];

	if (d->nimages == DOCX_MAX_IMAGES) {
		free(png);
		return docx_fail(cause, "more than %d images",
		    DOCX_MAX_IMAGES);
	}
	d->nimages++;
	snprintf(name, sizeof(name), "word/media/image%u.png", d->nimages);
	snprintf(target, sizeof(target), "media/image%u.png", d->nimages);
	if (package_add_buffer(d->pkg, name, DOCX_CT_PNG, png, len, cause) ==
	    -1)
		return -1;
	return package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_IMAGE, target,
	    rel_id, cause);
}

/*
 * The fixed parts are written into memory, then handed to the package:
 * docx_part_open() gives the stream, docx_part_add() takes what the
 * writer made of it (rc, errstr: the writer's result).
 */
struct docx_mem {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

static int
docx_part_open(struct docx_mem *m, char **cause)
{
	m->buf = NULL;
	m->len = 0;
	if ((m->f = open_memstream(&m->buf, &m->len)) == NULL)
		return docx_fail(cause, "out of memory");
	return 0;
}

static int
docx_part_add(struct docx *d, struct docx_mem *m, const char *name,
    const char *type, int rc, const char *errstr, char **cause)
{
	if (rc == -1) {
		fclose(m->f);
		free(m->buf);
		return docx_fail(cause, "%s: %s", name, errstr);
	}
	if (fclose(m->f) != 0) {
		free(m->buf);
		return docx_fail(cause, "%s: out of memory", name);
	}
	return package_add_buffer(d->pkg, name, type, m->buf, m->len, cause);
}

static int
docx_part(struct docx *d, const char *name, const char *type,
    int (*writer)(FILE *, const char **), char **cause)
{
	struct docx_mem	 m;
	const char	*errstr = NULL;

	if (docx_part_open(&m, cause) == -1)
		return -1;
	return docx_part_add(d, &m, name, type, writer(m.f, &errstr), errstr,
	    cause);
}

/* The page headers: the page number, centred, and an empty one for the
 * first page. */
static int
docx_header(struct docx *d, const char *name, int numbered, char **cause)
{
	struct wml_para	 p = WML_PARA_INIT(STYLE_PAGE_HEADER);
	struct docx_mem	 m;
	struct wml	*w;
	const char	*errstr = NULL;

	if (docx_part_open(&m, cause) == -1)
		return -1;
	if ((w = wml_new(m.f, 1)) == NULL)
		return docx_part_add(d, &m, name, DOCX_CT_HEADER, -1,
		    "out of memory", cause);
	wml_para_start(w, &p);
	if (numbered)
		wml_page_number(w);
	wml_para_end(w);
	return docx_part_add(d, &m, name, DOCX_CT_HEADER,
	    wml_finish(w, &errstr), errstr, cause);
}

static int
docx_core(struct docx *d, const char *title, const char *creator,
    const char *created, char **cause)
{
	struct docx_mem	 m;
	const char	*errstr = NULL;
	int		 rc;

	if (docx_part_open(&m, cause) == -1)
		return -1;
	rc = props_write_core(m.f, title, creator, created, &errstr);
	return docx_part_add(d, &m, "docProps/core.xml", DOCX_CT_CORE, rc,
	    errstr, cause);
}

int
docx_close(struct docx *d, const char *title, const char *creator,
    const char *created, char **cause)
{
	struct wml_page	 page;
	char		 id[16], hdr[16], first[16];
	const char	*errstr;
	int		 rc;

	if (docx_header(d, "word/header1.xml", 1, cause) == -1 ||
	    package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_HEADER,
	    "header1.xml", hdr, cause) == -1 ||
	    docx_header(d, "word/header2.xml", 0, cause) == -1 ||
	    package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_HEADER,
	    "header2.xml", first, cause) == -1)
		goto fail;
	page.top = DOCX_MARGIN_TOP;
	page.bottom = DOCX_MARGIN_BOTTOM;
	page.left = DOCX_MARGIN_LEFT;
	page.right = DOCX_MARGIN_RIGHT;
	page.header = WML_MM(10);
	page.header_rel = hdr;
	page.first_header_rel = first;
	wml_section(d->body, &page);
	rc = wml_finish(d->body, &errstr);
	d->body = NULL;
	if (rc == -1) {
		docx_fail(cause, "%s: %s", DOCX_MAIN, errstr);
		goto fail;
	}
	if (fflush(d->body_file) != 0 || ferror(d->body_file)) {
		docx_fail(cause, "%s: write error on the temporary file",
		    DOCX_MAIN);
		goto fail;
	}
	rewind(d->body_file);
	rc = package_add_stream(d->pkg, DOCX_MAIN, DOCX_CT_MAIN, d->body_file,
	    cause);
	d->body_file = NULL;	/* the package's now, even on failure */
	if (rc == -1)
		goto fail;

	if (package_add_rel(d->pkg, "", PACKAGE_REL_DOCUMENT, DOCX_MAIN, id,
	    cause) == -1 ||
	    docx_core(d, title, creator, created, cause) == -1 ||
	    package_add_rel(d->pkg, "", PACKAGE_REL_CORE, "docProps/core.xml",
	    id, cause) == -1 ||
	    docx_part(d, "docProps/app.xml", DOCX_CT_APP, props_write_app,
	    cause) == -1 ||
	    package_add_rel(d->pkg, "", PACKAGE_REL_APP, "docProps/app.xml",
	    id, cause) == -1 ||
	    docx_part(d, "word/styles.xml", DOCX_CT_STYLES, styles_write,
	    cause) == -1 ||
	    package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_STYLES,
	    "styles.xml", id, cause) == -1 ||
	    docx_part(d, "word/settings.xml", DOCX_CT_SETTINGS,
	    props_write_settings, cause) == -1 ||
	    package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_SETTINGS,
	    "settings.xml", id, cause) == -1 ||
	    docx_part(d, "word/fontTable.xml", DOCX_CT_FONTS,
	    styles_write_fonts, cause) == -1 ||
	    package_add_rel(d->pkg, DOCX_MAIN, PACKAGE_REL_FONTS,
	    "fontTable.xml", id, cause) == -1)
		goto fail;
	rc = package_close(d->pkg, cause);
	d->pkg = NULL;
	docx_discard(d);
	return rc;
fail:
	docx_discard(d);
	return -1;
}
