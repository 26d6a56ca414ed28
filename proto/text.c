/*
 * Text through utf8proc (text.h). utf8proc decodes strictly (no
 * overlongs, surrogates or values past U+10FFFF), normalises, and carries
 * the Unicode tables for categories and widths; we only decide what each
 * category means for a report and a terminal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

size_t
text_decode(const char *s, size_t len, uint32_t *cp)
{
	utf8proc_int32_t	c;
	utf8proc_ssize_t	n;

	if (len == 0)
		return 0;
	/* utf8proc reads at most 4 bytes, and never past len. */
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
	if (n <= 0)
		return 0;
	*cp = (uint32_t)c;
	return (size_t)n;
}

size_t
text_whole(const char *s, size_t len)
{
	size_t		off = 0, n;
	uint32_t	cp;

	while (off < len && (n = text_decode(s + off, len - off, &cp)) > 0)
		off += n;
	return off;
}

int
text_kind(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_CC:
		return TEXT_CONTROL;
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return TEXT_INVISIBLE;
	default:
		return TEXT_VISIBLE;
	}
}

int
text_char_width(uint32_t cp)
{
	int	w;

	w = utf8proc_charwidth((utf8proc_int32_t)cp);
	return w < 0 ? 0 : w > 2 ? 2 : w;
}

/*
 * Printable ASCII (U+0020..U+007E), most of what gp prints: one cell and
 * visible, by utf8proc's tables as by any (test_text binds the two), so
 * the tables are not looked up for it.
 */
static int
text_printable_ascii(char c)
{
	return (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f;
}

void
text_next(const char *s, struct text_char *ch)
{
	size_t	n;

	if (text_printable_ascii(*s)) {
		ch->cp = (unsigned char)*s;
		ch->len = 1;
		ch->valid = 1;
		ch->kind = TEXT_VISIBLE;
		ch->width = 1;
		return;
	}
	/* A NUL-terminated string: a sequence cut by the NUL is refused by
	 * utf8proc, so 4 bytes are never read past the end. */
	for (n = 1; n < 4 && s[n - 1] != '\0'; n++)
		;
	memset(ch, 0, sizeof(*ch));
	if ((ch->len = text_decode(s, n, &ch->cp)) == 0) {
		ch->len = 1;
		ch->width = 1;
		return;
	}
	ch->valid = 1;
	ch->kind = text_kind(ch->cp);
	ch->width = ch->kind == TEXT_VISIBLE ? text_char_width(ch->cp) : 0;
}

size_t
text_visible(const char *s, size_t max_width, size_t *width)
{
	struct text_char	ch;
	size_t			off = 0, w = 0;

	while (s[off] != '\0') {
		if (text_printable_ascii(s[off])) {
			if (w == max_width)
				break;
			w++;
			off++;
			continue;
		}
		text_next(s + off, &ch);
		if (!ch.valid || ch.kind != TEXT_VISIBLE ||
		    (size_t)ch.width > max_width - w)
			break;
		w += (size_t)ch.width;
		off += ch.len;
	}
	*width = w;
	return off;
}

int
text_check(const char *s, size_t len, int multiline, size_t *at,
    uint32_t *cp)
{
	size_t		i, n;
	uint32_t	c;

	for (i = 0; i < len; i += n) {
		*at = i;
		*cp = 0;
		if ((n = text_decode(s + i, len - i, &c)) == 0)
			return TEXT_NOT_UTF8;
		*cp = c;
		switch (text_kind(c)) {
		case TEXT_CONTROL:
			if (c == '\t' || (multiline && (c == '\n' || c == '\r')))
				break;
			return TEXT_HAS_CONTROL;
		case TEXT_INVISIBLE:
			return TEXT_HAS_INVISIBLE;
		}
	}
	return TEXT_OK;
}

/*
 * Whether text is in NFC by a look at its code points alone: every one a
 * starter that NFC keeps as it is, from the blocks Vietnamese is written
 * in (ASCII, Latin-1 and the Latin extensions up to U+02FF, the
 * precomposed letters of U+1E00..U+1EFF) and the dashes and quotes of
 * U+2010..U+2027. No combining mark can follow, so nothing composes: the
 * text is its own NFC. Anything else (or bytes that are not UTF-8): 0,
 * and utf8proc decides.
 */
int
text_is_nfc(const char *s, size_t len)
{
	size_t		i, n;
	uint32_t	c;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			continue;
		}
		if ((n = text_decode(s + i, len - i, &c)) == 0)
			return 0;
		if (!(c < 0x300 || (c >= 0x1e00 && c <= 0x1eff) ||
		    (c >= 0x2010 && c <= 0x2027)))
			return 0;
	}
	return 1;
}

/* U+FFFD REPLACEMENT CHARACTER. */
#define TEXT_REPLACEMENT	"\xef\xbf\xbd"

char *
text_repair(const char *s, size_t len)
{
	char		*out, *o;
	size_t		 i, n;
	uint32_t	 c;

	/* A bad byte becomes three: never more than 3 * len. */
	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < len; i += n) {
		if ((n = text_decode(s + i, len - i, &c)) == 0) {
			memcpy(o, TEXT_REPLACEMENT, 3);
			o += 3;
			n = 1;
			continue;
		}
		memcpy(o, s + i, n);
		o += n;
	}
	*o = '\0';
	return out;
}

char *
text_nfc(const char *s, size_t len, size_t *outlen)
{
	utf8proc_int32_t	*buf;
	utf8proc_ssize_t	 n;
	char			*copy;
	const int		 opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;

	/*
	 * Most text is its own NFC (ids, dates, codes are ASCII; Vietnamese
	 * typed with composed letters): a copy, without utf8proc's work.
	 *
	 * utf8proc_map() would do the rest in one call, but with its own
	 * malloc: the buffer is ours, so that every allocation of a
	 * decoder goes through the allocator its caller uses (and a
	 * failing-allocator test sees them all). Decompose into code
	 * points, compose, and encode back in place.
	 */
	if (!text_is_nfc(s, len) && (n = utf8proc_decompose(
	    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, NULL, 0,
	    opt)) >= 0) {
		if ((size_t)n > (SIZE_MAX - 1) / sizeof(*buf))
			return NULL;
		if ((buf = malloc((size_t)n * sizeof(*buf) + 1)) == NULL)
			return NULL;
		n = utf8proc_decompose((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)len, buf, n, opt);
		if (n >= 0)
			n = utf8proc_reencode(buf, n, opt);
		if (n >= 0) {
			if (outlen != NULL)
				*outlen = (size_t)n;
			return (char *)buf;
		}
		free(buf);
		if (n == UTF8PROC_ERROR_NOMEM)
			return NULL;
	}
	/* Its own NFC, or not UTF-8: as it came (for the checks to name). */
	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	if (outlen != NULL)
		*outlen = len;
	return copy;
}
