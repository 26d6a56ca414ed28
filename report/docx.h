/*
 * A .docx file being written: the packager, the body's markup on a
 * temporary file, the images, the page setup. The composer writes the body
 * through docx_body() and adds charts with docx_add_image(); docx_close()
 * adds the fixed parts (styles, fonts, settings, page headers, properties)
 * and every relationship.
 */
#ifndef GP_REPORT_DOCX_H
#define GP_REPORT_DOCX_H

#include <stddef.h>
#include <stdint.h>

#include "wml.h"

/* A4 with the margins of Decree 30/2020/NĐ-CP: 20 mm top and bottom,
 * 30 mm left, 15 mm right (binding on the left). */
#define DOCX_MARGIN_TOP		WML_MM(20)
#define DOCX_MARGIN_BOTTOM	WML_MM(20)
#define DOCX_MARGIN_LEFT	WML_MM(30)
#define DOCX_MARGIN_RIGHT	WML_MM(15)
#define DOCX_TEXT_WIDTH		(11906 - DOCX_MARGIN_LEFT - DOCX_MARGIN_RIGHT)

#define DOCX_MAX_IMAGES		64

struct docx;

struct docx	*docx_new(const char *path, char **cause);
struct wml	*docx_body(struct docx *);
/*
 * Adds a PNG (ownership moves to the document, freed even on failure) and
 * writes into rel_id the id the body's wml_image() names it by.
 */
int		 docx_add_image(struct docx *, uint8_t *png, size_t len,
		    char rel_id[16], char **cause);
/* Finishes the document; title and creator go into its properties,
 * created (YYYY-MM-DD or NULL) too. Frees it either way. */
int		 docx_close(struct docx *, const char *title,
		    const char *creator, const char *created, char **cause);
/* Gives up, writing nothing. docx_discard(NULL) is a no-op. */
void		 docx_discard(struct docx *);

#endif
