/*
 * The Office Open XML packager (package.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "package.h"
#include "xml.h"

#define PACKAGE_CONTENT_TYPES	"[Content_Types].xml"
#define PACKAGE_NAME_MAX	128

struct package_part {
	char	name[PACKAGE_NAME_MAX];
	char	*content_type;
};

struct package_rel {
	char	source[PACKAGE_NAME_MAX];
	char	id[16];
	char	*type;
	char	*target;
};

struct package {
	zip_t			*zip;
	zip_int64_t		 types_index;
	struct package_part	 parts[PACKAGE_MAX_PARTS];
	size_t			 nparts;
	struct package_rel	 rels[PACKAGE_MAX_RELS];
	size_t			 nrels;
};

/* What a part's extension says without an Override. */
static const struct {
	const char	*ext;
	const char	*type;
} package_defaults[] = {
	{ "rels", "application/vnd.openxmlformats-package.relationships+xml" },
	{ "xml", "application/xml" },
	{ "png", "image/png" },
};

static int	package_fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
package_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return -1;
}

struct package *
package_new(const char *path, char **cause)
{
	struct package	*pkg;
	zip_source_t	*src;
	int		 err;
	zip_error_t	 ze;

	if ((pkg = calloc(1, sizeof(*pkg))) == NULL) {
		package_fail(cause, "out of memory");
		return NULL;
	}
	if ((pkg->zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) ==
	    NULL) {
		zip_error_init_with_code(&ze, err);
		package_fail(cause, "%s: %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		free(pkg);
		return NULL;
	}
	/* The content types come first in the zip, as Office writes them;
	 * what they say is known only at the end, when this entry is
	 * replaced. */
	if ((src = zip_source_buffer(pkg->zip, "", 0, 0)) == NULL ||
	    (pkg->types_index = zip_file_add(pkg->zip, PACKAGE_CONTENT_TYPES,
	    src, ZIP_FL_ENC_UTF_8)) < 0) {
		package_fail(cause, "%s: %s", path, zip_strerror(pkg->zip));
		zip_source_free(src);
		package_discard(pkg);
		return NULL;
	}
	return pkg;
}

void
package_discard(struct package *pkg)
{
	size_t	i;

	if (pkg == NULL)
		return;
	if (pkg->zip != NULL)
		zip_discard(pkg->zip);
	for (i = 0; i < pkg->nparts; i++)
		free(pkg->parts[i].content_type);
	for (i = 0; i < pkg->nrels; i++) {
		free(pkg->rels[i].type);
		free(pkg->rels[i].target);
	}
	free(pkg);
}

static int
package_note(struct package *pkg, const char *name, const char *type,
    char **cause)
{
	struct package_part	*p;

	if (pkg->nparts == PACKAGE_MAX_PARTS)
		return package_fail(cause, "more than %d parts",
		    PACKAGE_MAX_PARTS);
	if (strlen(name) >= PACKAGE_NAME_MAX)
		return package_fail(cause, "part name too long: %s", name);
	p = &pkg->parts[pkg->nparts];
	snprintf(p->name, sizeof(p->name), "%s", name);
	if ((p->content_type = strdup(type)) == NULL)
		return package_fail(cause, "out of memory");
	pkg->nparts++;
	return 0;
}

static int
package_add(struct package *pkg, const char *name, const char *type,
    zip_source_t *src, char **cause)
{
	if (zip_file_add(pkg->zip, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		package_fail(cause, "%s: %s", name, zip_strerror(pkg->zip));
		zip_source_free(src);
		return -1;
	}
	return package_note(pkg, name, type, cause);
}

int
package_add_buffer(struct package *pkg, const char *name,
    const char *content_type, void *buf, size_t len, char **cause)
{
	zip_source_t	*src;

	if ((src = zip_source_buffer(pkg->zip, buf, len, 1)) == NULL) {
		free(buf);
		return package_fail(cause, "%s: %s", name,
		    zip_strerror(pkg->zip));
	}
	return package_add(pkg, name, content_type, src, cause);
}

int
package_add_stream(struct package *pkg, const char *name,
    const char *content_type, FILE *f, char **cause)
{
	zip_source_t	*src;

	if ((src = zip_source_filep(pkg->zip, f, 0, -1)) == NULL) {
		fclose(f);
		return package_fail(cause, "%s: %s", name,
		    zip_strerror(pkg->zip));
	}
	return package_add(pkg, name, content_type, src, cause);
}

int
package_add_rel(struct package *pkg, const char *source, const char *type,
    const char *target, char id[16], char **cause)
{
	struct package_rel	*r;
	size_t			 i, n = 0;

	if (pkg->nrels == PACKAGE_MAX_RELS)
		return package_fail(cause, "more than %d relationships",
		    PACKAGE_MAX_RELS);
	if (strlen(source) >= PACKAGE_NAME_MAX)
		return package_fail(cause, "part name too long: %s", source);
	for (i = 0; i < pkg->nrels; i++)
		if (strcmp(pkg->rels[i].source, source) == 0)
			n++;
	r = &pkg->rels[pkg->nrels];
	snprintf(r->source, sizeof(r->source), "%s", source);
	snprintf(r->id, sizeof(r->id), "rId%zu", n + 1);
	if ((r->type = strdup(type)) == NULL ||
	    (r->target = strdup(target)) == NULL) {
		free(r->type);
		return package_fail(cause, "out of memory");
	}
	pkg->nrels++;
	memcpy(id, r->id, sizeof(r->id));
	return 0;
}

/* The part holding source's relationships: "word/document.xml" ->
 * "word/_rels/document.xml.rels", "" -> "_rels/.rels". */
static void
package_rels_name(const char *source, char *out, size_t len)
{
	const char	*slash = strrchr(source, '/');

	if (slash == NULL)
		snprintf(out, len, "_rels/%s.rels", source);
	else
		snprintf(out, len, "%.*s/_rels/%s.rels",
		    (int)(slash - source), source, slash + 1);
}

static const char *
package_default_type(const char *name)
{
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (dot == NULL)
		return NULL;
	for (i = 0; i < sizeof(package_defaults) / sizeof(package_defaults[0]);
	    i++)
		if (strcmp(dot + 1, package_defaults[i].ext) == 0)
			return package_defaults[i].type;
	return NULL;
}

/* Ends a memory stream and hands its bytes over as a zip source. */
static zip_source_t *
package_memstream_source(struct package *pkg, FILE *f, char **buf,
    size_t *len, struct xml *x, char **cause)
{
	const char	*errstr;
	zip_source_t	*src;

	if (xml_finish(x, &errstr) == -1) {
		fclose(f);
		free(*buf);
		package_fail(cause, "%s", errstr);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(*buf);
		package_fail(cause, "out of memory");
		return NULL;
	}
	if ((src = zip_source_buffer(pkg->zip, *buf, *len, 1)) == NULL) {
		free(*buf);
		package_fail(cause, "%s", zip_strerror(pkg->zip));
	}
	return src;
}

static int
package_write_types(struct package *pkg, char **cause)
{
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0, i;
	struct xml	*x;
	zip_source_t	*src;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return package_fail(cause, "out of memory");
	if ((x = xml_new(f)) == NULL) {
		fclose(f);
		free(buf);
		return package_fail(cause, "out of memory");
	}
	xml_declaration(x);
	xml_start(x, "Types", "xmlns",
	    "http://schemas.openxmlformats.org/package/2006/content-types",
	    (char *)NULL);
	for (i = 0; i < sizeof(package_defaults) / sizeof(package_defaults[0]);
	    i++)
		xml_empty(x, "Default", "Extension", package_defaults[i].ext,
		    "ContentType", package_defaults[i].type, (char *)NULL);
	for (i = 0; i < pkg->nparts; i++) {
		const char	*dflt = package_default_type(pkg->parts[i].name);
		char		 partname[PACKAGE_NAME_MAX + 1];

		if (dflt != NULL &&
		    strcmp(dflt, pkg->parts[i].content_type) == 0)
			continue;
		snprintf(partname, sizeof(partname), "/%s",
		    pkg->parts[i].name);
		xml_empty(x, "Override", "PartName", partname, "ContentType",
		    pkg->parts[i].content_type, (char *)NULL);
	}
	xml_end(x);
	if ((src = package_memstream_source(pkg, f, &buf, &len, x, cause)) ==
	    NULL)
		return -1;
	if (zip_file_replace(pkg->zip, (zip_uint64_t)pkg->types_index, src,
	    ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return package_fail(cause, "%s: %s", PACKAGE_CONTENT_TYPES,
		    zip_strerror(pkg->zip));
	}
	return 0;
}

/* The relationships part of the source of rel i (the first of its
 * source), with every relationship of that source. */
static int
package_write_rels(struct package *pkg, size_t first, char **cause)
{
	const char	*source = pkg->rels[first].source;
	char		 name[PACKAGE_NAME_MAX + 16];
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0, i;
	struct xml	*x;
	zip_source_t	*src;

	package_rels_name(source, name, sizeof(name));
	if ((f = open_memstream(&buf, &len)) == NULL)
		return package_fail(cause, "out of memory");
	if ((x = xml_new(f)) == NULL) {
		fclose(f);
		free(buf);
		return package_fail(cause, "out of memory");
	}
	xml_declaration(x);
	xml_start(x, "Relationships", "xmlns",
	    "http://schemas.openxmlformats.org/package/2006/relationships",
	    (char *)NULL);
	for (i = first; i < pkg->nrels; i++)
		if (strcmp(pkg->rels[i].source, source) == 0)
			xml_empty(x, "Relationship", "Id", pkg->rels[i].id,
			    "Type", pkg->rels[i].type, "Target",
			    pkg->rels[i].target, (char *)NULL);
	xml_end(x);
	if ((src = package_memstream_source(pkg, f, &buf, &len, x, cause)) ==
	    NULL)
		return -1;
	if (zip_file_add(pkg->zip, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return package_fail(cause, "%s: %s", name,
		    zip_strerror(pkg->zip));
	}
	return 0;
}

int
package_close(struct package *pkg, char **cause)
{
	size_t	i, j;

	for (i = 0; i < pkg->nrels; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(pkg->rels[j].source,
			    pkg->rels[i].source) == 0)
				break;
		if (j == i && package_write_rels(pkg, i, cause) == -1)
			goto fail;
	}
	if (package_write_types(pkg, cause) == -1)
		goto fail;
	if (zip_close(pkg->zip) == -1) {
		package_fail(cause, "%s", zip_strerror(pkg->zip));
		goto fail;
	}
	pkg->zip = NULL;
	package_discard(pkg);
	return 0;
fail:
	package_discard(pkg);
	return -1;
}
