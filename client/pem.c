/*
 * Base64 and PEM certificates (pem.h), strict on the way in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pem.h"

#define PEM_BEGIN	"-----BEGIN CERTIFICATE-----\n"
#define PEM_END		"-----END CERTIFICATE-----\n"
#define PEM_LINE	64		/* base64 characters a line */
#define PEM_DER_MAX	(1024 * 1024)	/* a certificate is a few KiB */

static const char pem_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The value of a base64 digit, or -1. */
static int
pem_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
pem_base64_encode(const uint8_t *buf, size_t len)
{
	char	*out, *p;
	size_t	 i;
	uint32_t v;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 2)
		return NULL;
	if ((out = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	p = out;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)buf[i] << 16 | (uint32_t)buf[i + 1] << 8 |
		    buf[i + 2];
		*p++ = pem_alphabet[v >> 18];
		*p++ = pem_alphabet[(v >> 12) & 0x3f];
		*p++ = pem_alphabet[(v >> 6) & 0x3f];
		*p++ = pem_alphabet[v & 0x3f];
	}
	if (len - i == 1) {
		v = (uint32_t)buf[i] << 16;
		*p++ = pem_alphabet[v >> 18];
		*p++ = pem_alphabet[(v >> 12) & 0x3f];
		*p++ = '=';
		*p++ = '=';
	} else if (len - i == 2) {
		v = (uint32_t)buf[i] << 16 | (uint32_t)buf[i + 1] << 8;
		*p++ = pem_alphabet[v >> 18];
		*p++ = pem_alphabet[(v >> 12) & 0x3f];
		*p++ = pem_alphabet[(v >> 6) & 0x3f];
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

int
pem_base64_decode(const char *s, size_t len, uint8_t **out, size_t *outlen,
    const char **errstr)
{
	uint8_t	*buf;
	size_t	 i, n = 0, pad = 0;
	uint32_t v;
	int	 d[4], k;

	*out = NULL;
	*outlen = 0;
	if (len % 4 != 0) {
		*errstr = N_("its length is not a multiple of 4");
		return -1;
	}
	if (len > 0 && s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	if ((buf = malloc(len / 4 * 3 + 1)) == NULL) {
		*errstr = N_("out of memory");
		return -1;
	}
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (i + 4 == len && k >= 4 - (int)pad)
				d[k] = 0;
			else if ((d[k] = pem_digit(s[i + k])) == -1) {
				*errstr = s[i + k] == '=' ?
				    N_("padding before the end") :
				    N_("a character that is not base64");
				free(buf);
				return -1;
			}
		}
		v = (uint32_t)d[0] << 18 | (uint32_t)d[1] << 12 |
		    (uint32_t)d[2] << 6 | (uint32_t)d[3];
		buf[n++] = (uint8_t)(v >> 16);
		if (i + 4 < len || pad < 2)
			buf[n++] = (uint8_t)(v >> 8);
		if (i + 4 < len || pad < 1)
			buf[n++] = (uint8_t)v;
	}
	/* Only one text per byte string: the bits the padding leaves over
	 * must be zero. */
	if ((pad == 1 && (d[2] & 0x03) != 0) ||
	    (pad == 2 && (d[1] & 0x0f) != 0)) {
		*errstr = N_("stray bits before the padding");
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = n;
	return 0;
}

char *
pem_cert_encode(const uint8_t *der, size_t len)
{
	char	*b64, *out, *p;
	size_t	 n, i, line;

	if (len > PEM_DER_MAX || (b64 = pem_base64_encode(der, len)) == NULL)
		return NULL;
	n = strlen(b64);
	if ((out = malloc(sizeof(PEM_BEGIN) + n + n / PEM_LINE + 1 +
	    sizeof(PEM_END))) == NULL) {
		free(b64);
		return NULL;
	}
	p = out;
	memcpy(p, PEM_BEGIN, sizeof(PEM_BEGIN) - 1);
	p += sizeof(PEM_BEGIN) - 1;
	for (i = 0; i < n; i += line) {
		line = n - i < PEM_LINE ? n - i : PEM_LINE;
		memcpy(p, b64 + i, line);
		p += line;
		*p++ = '\n';
	}
	memcpy(p, PEM_END, sizeof(PEM_END));
	free(b64);
	return out;
}

int
pem_cert_decode(const char *s, uint8_t **der, size_t *len,
    const char **errstr)
{
	const char	*p, *end, *nl;
	char		*b64, *q;
	size_t		 n, line;
	int		 rv;

	*der = NULL;
	*len = 0;
	n = strlen(s);
	if (n < sizeof(PEM_BEGIN) - 1 + sizeof(PEM_END) - 1 ||
	    strncmp(s, PEM_BEGIN, sizeof(PEM_BEGIN) - 1) != 0) {
		*errstr = N_("it does not start with "
		    "\"-----BEGIN CERTIFICATE-----\"");
		return -1;
	}
	end = s + n - (sizeof(PEM_END) - 1);
	if (strcmp(end, PEM_END) != 0) {
		*errstr = N_("it does not end with "
		    "\"-----END CERTIFICATE-----\"");
		return -1;
	}
	if (n > PEM_DER_MAX * 2) {
		*errstr = N_("it is too long for a certificate");
		return -1;
	}
	if ((b64 = malloc(n + 1)) == NULL) {
		*errstr = N_("out of memory");
		return -1;
	}
	/* Lines of 64 characters, the last one 1 to 64, each ended by LF. */
	q = b64;
	for (p = s + sizeof(PEM_BEGIN) - 1; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    (line = (size_t)(nl - p)) == 0 || line > PEM_LINE ||
		    (line < PEM_LINE && nl + 1 != end)) {
			*errstr = N_("its lines are not 64 characters long");
			free(b64);
			return -1;
		}
		memcpy(q, p, line);
		q += line;
	}
	if (q == b64) {
		*errstr = N_("it holds no certificate");
		free(b64);
		return -1;
	}
	rv = pem_base64_decode(b64, (size_t)(q - b64), der, len, errstr);
	free(b64);
	return rv;
}
