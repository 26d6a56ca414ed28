/*
 * Mapping between the report model and the generated protobuf-c types, for
 * the code that builds and reads Request/Response envelopes.
 */
#ifndef GP_WIRE_H
#define GP_WIRE_H

#include "gp.pb-c.h"
#include "report.h"

/* A Gp__Report tree pointing into r (no copies); free with wire_report_free. */
Gp__Report	*wire_report_new(const struct report *r);
void		 wire_report_free(Gp__Report *);

/*
 * Copies a peer's decoded Gp__Report into a new report, every text field
 * in NFC (text.h): gpd stores, hashes and compares what it normalised, so
 * that a report in decomposed form and its precomposed twin are one
 * report. Text with an embedded NUL is refused by field name. Returns 0,
 * or -1 with errs filled.
 */
int		 wire_report_copy(const Gp__Report *, struct report **out,
		    struct report_errors *errs);

/* The same for canonical bytes read back (report_unpack): the text byte
 * for byte, so that they pack to the same bytes again. */
int		 wire_report_stored(const Gp__Report *, struct report **out,
		    struct report_errors *errs);

/*
 * Whether a decoded report carries fields this schema does not know, such
 * as the enums as numbers of gp/1 before report forms: 1 with where they
 * are ("activities[0] field 1") in out, or 0.
 */
int		 wire_report_unknown(const Gp__Report *, char *out,
		    size_t outlen);

/* One optional bytes field as a C string (NULL when absent), in NFC when
 * nfc is set; a NUL byte is an error in errs naming field. Returns -1
 * only when out of memory. */
int		 wire_text_copy(char **dst, protobuf_c_boolean has,
		    const ProtobufCBinaryData *, const char *field,
		    struct report_errors *errs, int nfc);

/* Bytes of heap a request of len bytes may take to decode:
 * WIRE_BUDGET_FACTOR * len + WIRE_BUDGET_BASE. */
#define WIRE_BUDGET_FACTOR	8
#define WIRE_BUDGET_BASE	(256 * 1024)

/* Decodes a Request under that budget: NULL when it is not one, or
 * would take more. Free with wire_request_free. */
Gp__Request	*wire_request_unpack(const uint8_t *, size_t);
void		 wire_request_free(Gp__Request *);
/* The same for a bare Report (canonical bytes); free with
 * wire_report_free_unpacked. */
Gp__Report	*wire_report_unpack(const uint8_t *, size_t);
void		 wire_report_free_unpacked(Gp__Report *);
/* The same for a report packed before report forms (legacy.c). */
Gp__LegacyReport *wire_legacy_unpack(const uint8_t *, size_t);
void		 wire_legacy_free_unpacked(Gp__LegacyReport *);

/* Packs a Request or Response with a 4-byte length header in front.
 * *buf is malloc'd. Returns 0 or -1. */
int		 wire_pack_request(const Gp__Request *, uint8_t **buf,
		    size_t *len);
int		 wire_pack_response(const Gp__Response *, uint8_t **buf,
		    size_t *len);

/*
 * A framed Request of id submitting the report whose canonical bytes
 * (report_pack) are report: the bytes are carried as they are, never
 * packed again, so that what a client keeps is exactly what it sends.
 * The same frame as wire_pack_request of the decoded report. Returns 0
 * or -1.
 */
int		 wire_pack_submit(uint32_t id, const uint8_t *report,
		    size_t len, uint8_t **buf, size_t *outlen);

#endif
