/*
 * The packager: lays out an Office Open XML package (ECMA-376 part 2) in a
 * zip file through minizip. It writes [Content_Types].xml and every
 * relationships part from what the parts added declared, so no other
 * module writes either. Parts come as memory (small, fixed parts and
 * images) or as a stdio stream (the document body, which may be large and
 * is compressed from its temporary file when the package is closed). The
 * file appears under its name only when complete and synced.
 */
#ifndef GP_REPORT_PACKAGE_H
#define GP_REPORT_PACKAGE_H

#include <stddef.h>
#include <stdio.h>

/* Relationship types (ECMA-376 part 1, 15.2 and part 2). */
#define PACKAGE_REL_DOCUMENT	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
#define PACKAGE_REL_CORE	"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
#define PACKAGE_REL_APP		"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
#define PACKAGE_REL_STYLES	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
#define PACKAGE_REL_SETTINGS	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
#define PACKAGE_REL_FONTS	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
#define PACKAGE_REL_HEADER	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
#define PACKAGE_REL_IMAGE	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

#define PACKAGE_MAX_PARTS	256
#define PACKAGE_MAX_RELS	256

struct package;

/* Creates (or replaces, when closed successfully) the zip file at path.
 * Returns NULL with *cause (malloc'd). */
struct package	*package_new(const char *path, char **cause);

/*
 * Adds the part name ("word/styles.xml") with its content type. The
 * buffer's ownership moves to the package (freed even on failure);
 * package_add_stream takes ownership of f and reads it from the start when
 * the package is closed. Returns 0 or -1 with *cause.
 */
int	 package_add_buffer(struct package *, const char *name,
	    const char *content_type, void *buf, size_t len, char **cause);
int	 package_add_stream(struct package *, const char *name,
	    const char *content_type, FILE *f, char **cause);

/*
 * A relationship from source ("" for the package, else a part name) to
 * target, a path relative to the source's folder. Writes its id ("rId3")
 * into id (16 bytes) and returns 0, or -1 with *cause.
 */
int	 package_add_rel(struct package *, const char *source,
	    const char *type, const char *target, char id[16], char **cause);

/* Writes the content types and relationships, compresses everything and
 * closes the file. Frees the package either way. Returns 0 or -1. */
int	 package_close(struct package *, char **cause);
/* Gives up: nothing is written. package_discard(NULL) is a no-op. */
void	 package_discard(struct package *);

#endif
