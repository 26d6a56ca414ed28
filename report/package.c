/*
 * The Office Open XML packager (package.h), over minizip (zlib's own zip
 * writer: zlib and nothing else). Parts are kept until the package is
 * closed, then written in one pass: the content types first, as Office
 * writes them, then every part and every relationships part. The zip is
 * written to a temporary file beside the target, which replaces the
 * target only when complete and on disk.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "package.h"
#include "xml.h"

#define PACKAGE_CONTENT_TYPES	"[Content_Types].xml"
#define PACKAGE_NAME_MAX	128
#define PACKAGE_CHUNK		65536	/* bytes copied from a stream at once */

struct package_part {
	char	 name[PACKAGE_NAME_MAX];
	char	*content_type;
	void	*buf;		/* its bytes, or */
	size_t	 len;
	FILE	*stream;	/* read from the start at close */
};

struct package_rel {
	char	source[PACKAGE_NAME_MAX];
	char	id[16];
	char	*type;
	char	*target;
};

struct package {
	char			*path;		/* the target */
	char			*tmp;		/* the temporary beside it */
	FILE			*f;		/* open on tmp */
	zipFile			 zip;
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

/* --- minizip's file functions, on the temporary file already open ------ */

static voidpf ZCALLBACK
package_io_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	return opaque;
}

static uLong ZCALLBACK
package_io_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	return (uLong)fread(buf, 1, size, stream);
}

static uLong ZCALLBACK
package_io_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque;
	return (uLong)fwrite(buf, 1, size, stream);
}

static ZPOS64_T ZCALLBACK
package_io_tell(voidpf opaque, voidpf stream)
{
	off_t	at;

	(void)opaque;
	at = ftello(stream);
	return at < 0 ? (ZPOS64_T)-1 : (ZPOS64_T)at;
}

static long ZCALLBACK
package_io_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
	int	whence;

	(void)opaque;
	switch (origin) {
	case ZLIB_FILEFUNC_SEEK_CUR:
		whence = SEEK_CUR;
		break;
	case ZLIB_FILEFUNC_SEEK_END:
		whence = SEEK_END;
		break;
	default:
		whence = SEEK_SET;
		break;
	}
	return fseeko(stream, (off_t)offset, whence) == 0 ? 0 : -1;
}

/* The stream stays open: package_close syncs it before the rename. */
static int ZCALLBACK
package_io_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return fflush(stream) == 0 ? 0 : -1;
}

static int ZCALLBACK
package_io_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ferror((FILE *)stream);
}

/* --- the package --------------------------------------------------------- */

struct package *
package_new(const char *path, char **cause)
{
	struct package		*pkg;
	zlib_filefunc64_def	 io;
	char			*copy = NULL, *base;
	mode_t			 mask;
	int			 fd;

	if ((pkg = calloc(1, sizeof(*pkg))) == NULL) {
		package_fail(cause, "out of memory");
		return NULL;
	}
	/* Beside the target, so that the rename is within one file
	 * system; O_EXCL and 0600, never through a name planted there. */
	if ((pkg->path = strdup(path)) == NULL ||
	    (copy = strdup(path)) == NULL ||
	    (base = strdup(path)) == NULL) {
		free(copy);
		package_fail(cause, "out of memory");
		goto fail;
	}
	if (asprintf(&pkg->tmp, "%s/.%s.XXXXXX", dirname(copy),
	    basename(base)) == -1)
		pkg->tmp = NULL;
	free(copy);
	free(base);
	if (pkg->tmp == NULL) {
		package_fail(cause, "out of memory");
		goto fail;
	}
	if ((fd = mkostemp(pkg->tmp, O_CLOEXEC)) == -1) {
		package_fail(cause, "%s", strerror(errno));
		free(pkg->tmp);
		pkg->tmp = NULL;
		goto fail;
	}
	/* The mode a new file gets here (gp-client's umask keeps it
	 * private), not mkstemp's 0600. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1) {
		package_fail(cause, "%s", strerror(errno));
		close(fd);
		goto fail;
	}
	if ((pkg->f = fdopen(fd, "w+")) == NULL) {
		close(fd);
		package_fail(cause, "out of memory");
		goto fail;
	}
	memset(&io, 0, sizeof(io));
	io.zopen64_file = package_io_open;
	io.zread_file = package_io_read;
	io.zwrite_file = package_io_write;
	io.ztell64_file = package_io_tell;
	io.zseek64_file = package_io_seek;
	io.zclose_file = package_io_close;
	io.zerror_file = package_io_error;
	io.opaque = pkg->f;
	if ((pkg->zip = zipOpen2_64(pkg->tmp, APPEND_STATUS_CREATE, NULL,
	    &io)) == NULL) {
		package_fail(cause, "cannot start the zip file");
		goto fail;
	}
	return pkg;
fail:
	package_discard(pkg);
	return NULL;
}

void
package_discard(struct package *pkg)
{
	size_t	i;

	if (pkg == NULL)
		return;
	if (pkg->zip != NULL)
		zipClose(pkg->zip, NULL);
	if (pkg->f != NULL)
		fclose(pkg->f);
	if (pkg->tmp != NULL)
		unlink(pkg->tmp);
	for (i = 0; i < pkg->nparts; i++) {
		free(pkg->parts[i].content_type);
		free(pkg->parts[i].buf);
		if (pkg->parts[i].stream != NULL)
			fclose(pkg->parts[i].stream);
	}
	for (i = 0; i < pkg->nrels; i++) {
		free(pkg->rels[i].type);
		free(pkg->rels[i].target);
	}
	free(pkg->tmp);
	free(pkg->path);
	free(pkg);
}

/* A new part, or NULL with *cause. */
static struct package_part *
package_part(struct package *pkg, const char *name, const char *type,
    char **cause)
{
	struct package_part	*p;

	if (pkg->nparts == PACKAGE_MAX_PARTS) {
		package_fail(cause, "more than %d parts", PACKAGE_MAX_PARTS);
		return NULL;
	}
	if (strlen(name) >= PACKAGE_NAME_MAX) {
		package_fail(cause, "part name too long: %s", name);
		return NULL;
	}
	p = &pkg->parts[pkg->nparts];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	if ((p->content_type = strdup(type)) == NULL) {
		package_fail(cause, "out of memory");
		return NULL;
	}
	pkg->nparts++;
	return p;
}

int
package_add_buffer(struct package *pkg, const char *name,
    const char *content_type, void *buf, size_t len, char **cause)
{
	struct package_part	*p;

	if ((p = package_part(pkg, name, content_type, cause)) == NULL) {
		free(buf);
		return -1;
	}
	p->buf = buf;
	p->len = len;
	return 0;
}

int
package_add_stream(struct package *pkg, const char *name,
    const char *content_type, FILE *f, char **cause)
{
	struct package_part	*p;

	if ((p = package_part(pkg, name, content_type, cause)) == NULL) {
		fclose(f);
		return -1;
	}
	p->stream = f;
	return 0;
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

/* --- writing ------------------------------------------------------------- */

/* Starts the zip entry name, deflated at zlib's best: the document's
 * XML is most of the time and the size, and a third smaller so. */
static int
package_entry(struct package *pkg, const char *name, char **cause)
{
	zip_fileinfo	zi;

	/* A fixed time: the same input makes the same file. */
	memset(&zi, 0, sizeof(zi));
	zi.tmz_date.tm_year = 1980;
	zi.tmz_date.tm_mday = 1;
	if (zipOpenNewFileInZip64(pkg->zip, name, &zi, NULL, 0, NULL, 0, NULL,
	    Z_DEFLATED, Z_BEST_COMPRESSION, 0) != ZIP_OK)
		return package_fail(cause, "%s: cannot write the zip entry",
		    name);
	return 0;
}

static int
package_write(struct package *pkg, const char *name, const void *buf,
    size_t len, char **cause)
{
	const char	*p = buf;
	unsigned	 n;

	while (len > 0) {
		n = len > PACKAGE_CHUNK ? PACKAGE_CHUNK : (unsigned)len;
		if (zipWriteInFileInZip(pkg->zip, p, n) != ZIP_OK)
			return package_fail(cause, "%s: write error", name);
		p += n;
		len -= n;
	}
	return 0;
}

static int
package_entry_end(struct package *pkg, const char *name, char **cause)
{
	if (zipCloseFileInZip(pkg->zip) != ZIP_OK)
		return package_fail(cause, "%s: write error", name);
	return 0;
}

/* A whole entry from memory. */
static int
package_put(struct package *pkg, const char *name, const void *buf,
    size_t len, char **cause)
{
	if (package_entry(pkg, name, cause) == -1 ||
	    package_write(pkg, name, buf, len, cause) == -1 ||
	    package_entry_end(pkg, name, cause) == -1)
		return -1;
	return 0;
}

/* A whole entry from a stream, read from its start. */
static int
package_put_stream(struct package *pkg, const char *name, FILE *f,
    char **cause)
{
	char	*chunk;
	size_t	 n;
	int	 rc = -1;

	if ((chunk = malloc(PACKAGE_CHUNK)) == NULL)
		return package_fail(cause, "out of memory");
	if (fseeko(f, 0, SEEK_SET) == -1) {
		package_fail(cause, "%s: %s", name, strerror(errno));
		goto done;
	}
	if (package_entry(pkg, name, cause) == -1)
		goto done;
	while ((n = fread(chunk, 1, PACKAGE_CHUNK, f)) > 0)
		if (package_write(pkg, name, chunk, n, cause) == -1)
			goto done;
	if (ferror(f)) {
		package_fail(cause, "%s: read error on the temporary file",
		    name);
		goto done;
	}
	rc = package_entry_end(pkg, name, cause);
done:
	free(chunk);
	return rc;
}

/* An XML part made by fn into memory, written as the entry name. */
static int
package_put_xml(struct package *pkg, const char *name,
    void (*fn)(struct package *, struct xml *, const void *),
    const void *arg, char **cause)
{
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0;
	struct xml	*x;
	const char	*errstr;
	int		 rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return package_fail(cause, "out of memory");
	if ((x = xml_new(f)) == NULL) {
		fclose(f);
		free(buf);
		return package_fail(cause, "out of memory");
	}
	fn(pkg, x, arg);
	if (xml_finish(x, &errstr) == -1) {
		fclose(f);
		free(buf);
		return package_fail(cause, "%s: %s", name, errstr);
	}
	if (fclose(f) != 0) {
		free(buf);
		return package_fail(cause, "%s: out of memory", name);
	}
	rc = package_put(pkg, name, buf, len, cause);
	free(buf);
	return rc;
}

static void
package_types(struct package *pkg, struct xml *x, const void *arg)
{
	size_t	i;

	(void)arg;
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
}

/* Every relationship of the source of *first (a struct package_rel). */
static void
package_rels(struct package *pkg, struct xml *x, const void *arg)
{
	const struct package_rel	*first = arg;
	size_t				 i;

	xml_declaration(x);
	xml_start(x, "Relationships", "xmlns",
	    "http://schemas.openxmlformats.org/package/2006/relationships",
	    (char *)NULL);
	for (i = (size_t)(first - pkg->rels); i < pkg->nrels; i++)
		if (strcmp(pkg->rels[i].source, first->source) == 0)
			xml_empty(x, "Relationship", "Id", pkg->rels[i].id,
			    "Type", pkg->rels[i].type, "Target",
			    pkg->rels[i].target, (char *)NULL);
	xml_end(x);
}

/* Syncs the temporary file and puts it in the target's place, then syncs
 * the directory: after a power cut, the old file or the whole new one. */
static int
package_commit(struct package *pkg, char **cause)
{
	char	*copy;
	int	 dfd, rc;

	if (fflush(pkg->f) != 0 || fsync(fileno(pkg->f)) == -1)
		return package_fail(cause, "%s", strerror(errno));
	rc = fclose(pkg->f);
	pkg->f = NULL;
	if (rc != 0)
		return package_fail(cause, "%s", strerror(errno));
	if (rename(pkg->tmp, pkg->path) == -1)
		return package_fail(cause, "%s", strerror(errno));
	free(pkg->tmp);
	pkg->tmp = NULL;
	if ((copy = strdup(pkg->path)) == NULL)
		return package_fail(cause, "out of memory");
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (dfd == -1 || fsync(dfd) == -1) {
		if (dfd != -1)
			close(dfd);
		return package_fail(cause, "the directory: %s",
		    strerror(errno));
	}
	close(dfd);
	return 0;
}

int
package_close(struct package *pkg, char **cause)
{
	char			 name[PACKAGE_NAME_MAX + 16];
	struct package_part	*p;
	size_t			 i, j;
	int			 rc;

	if (package_put_xml(pkg, PACKAGE_CONTENT_TYPES, package_types, NULL,
	    cause) == -1)
		goto fail;
	for (i = 0; i < pkg->nrels; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(pkg->rels[j].source,
			    pkg->rels[i].source) == 0)
				break;
		if (j < i)
			continue;
		package_rels_name(pkg->rels[i].source, name, sizeof(name));
		if (package_put_xml(pkg, name, package_rels, &pkg->rels[i],
		    cause) == -1)
			goto fail;
	}
	for (i = 0; i < pkg->nparts; i++) {
		p = &pkg->parts[i];
		rc = p->stream != NULL ? package_put_stream(pkg, p->name,
		    p->stream, cause) : package_put(pkg, p->name, p->buf,
		    p->len, cause);
		if (rc == -1)
			goto fail;
		/* Written: its memory is not needed to the end. */
		free(p->buf);
		p->buf = NULL;
		if (p->stream != NULL) {
			fclose(p->stream);
			p->stream = NULL;
		}
	}
	rc = zipClose(pkg->zip, NULL);
	pkg->zip = NULL;
	if (rc != ZIP_OK) {
		package_fail(cause, "cannot finish the zip file");
		goto fail;
	}
	if (package_commit(pkg, cause) == -1)
		goto fail;
	package_discard(pkg);
	return 0;
fail:
	package_discard(pkg);
	return -1;
}
