/*
 * Base64 (RFC 4648, with padding) and PEM certificates, as a signed
 * receipt file carries its signature and certificate.
 *
 * Decoding is strict: only the one canonical text of some bytes is
 * accepted (no white space, no missing padding, no stray bits in the last
 * character), so that a byte changed anywhere in a receipt file is either
 * refused here or changes what is decoded, and the signature check then
 * fails. Pure functions: no I/O, no library but libc.
 */
#ifndef GP_PEM_H
#define GP_PEM_H

#include <stddef.h>
#include <stdint.h>

/* Base64 of the len bytes at buf, NUL-terminated and malloc'd; NULL when
 * out of memory. */
char	*pem_base64_encode(const uint8_t *buf, size_t len);

/*
 * Decodes len characters of canonical base64 at s into *out (malloc'd,
 * *outlen bytes). Returns 0, or -1 with *errstr (English, marked N_():
 * show it with _()) when s is not canonical
 * base64 (or on allocation failure).
 */
int	 pem_base64_decode(const char *s, size_t len, uint8_t **out,
	    size_t *outlen, const char **errstr);

/* The DER certificate at der as PEM text: "-----BEGIN CERTIFICATE-----",
 * base64 lines of 64 characters, "-----END CERTIFICATE-----", each line
 * ended by LF. malloc'd; NULL when out of memory. */
char	*pem_cert_encode(const uint8_t *der, size_t len);

/* The DER bytes of the PEM text s, which must be exactly as
 * pem_cert_encode writes it. Returns 0, or -1 with *errstr. */
int	 pem_cert_decode(const char *s, uint8_t **der, size_t *len,
	    const char **errstr);

#endif
