/*
 * Text: the one place that reads UTF-8 and knows Unicode, through
 * utf8proc. Decoding, NFC normalisation, display width, and which
 * characters a report may not hold or a terminal must not receive.
 *
 * Report text is stored and hashed in NFC, so that the same words typed
 * with precomposed or decomposed marks (Vietnamese keyboards and editors
 * produce both) are the same report. Invisible characters (format
 * characters such as U+200B, the bidi controls U+202A-U+202E and
 * U+2066-U+2069, tags U+E0000-U+E007F; the line and paragraph separators)
 * and control characters are refused in a report: they hide or reorder
 * what a reader sees. On a terminal they are shown as '?'.
 */
#ifndef GP_TEXT_H
#define GP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* What a character is, for the checks and the displays. */
enum text_kind {
	TEXT_VISIBLE = 0,	/* letters, marks, digits, punctuation, spaces */
	TEXT_CONTROL,		/* C0, DEL, C1 (Cc) */
	TEXT_INVISIBLE		/* format characters (Cf), U+2028, U+2029 */
};

/* Why text is refused (text_check). */
enum text_problem {
	TEXT_OK = 0,
	TEXT_NOT_UTF8,		/* overlong, surrogate, past U+10FFFF, cut */
	TEXT_HAS_CONTROL,	/* TAB is allowed; CR and LF when multiline */
	TEXT_HAS_INVISIBLE
};

/* One character of a NUL-terminated string, as text_next found it. */
struct text_char {
	uint32_t	 cp;		/* the code point; 0 when !valid */
	size_t		 len;		/* bytes it takes; 1 for a bad byte */
	int		 valid;		/* well-formed UTF-8 */
	int		 kind;		/* enum text_kind, when valid */
	int		 width;		/* display cells: 0, 1 or 2 */
};

/* Decodes the well-formed UTF-8 sequence at s, within len bytes: returns
 * its length and sets *cp, or returns 0 when the bytes at s do not start
 * one (overlong, surrogate, past U+10FFFF, truncated). */
size_t	 text_decode(const char *s, size_t len, uint32_t *cp);

/* How many of the len bytes at s are whole characters, from the start:
 * where to end text cut at a byte count (a message snprintf filled) so
 * that no character is left half. Stops at the first byte that does not
 * start well-formed UTF-8. */
size_t	 text_whole(const char *s, size_t len);

/* The character at s (NUL-terminated, *s != '\0'). A byte that does not
 * start well-formed UTF-8 is one bad character of width 1. */
void	 text_next(const char *s, struct text_char *);

/*
 * The characters at the start of s (NUL-terminated) that are shown as
 * they are, as many as fit in max_width display cells: well-formed and
 * visible (TEXT_VISIBLE). Returns their length in bytes and sets *width
 * to their cells. Stops at the end of s, at the first character that is
 * not shown as it is (a bad byte, a control, an invisible one), or at
 * the first that would pass max_width: text_next tells the caller which.
 * Printers take whole runs of safe text at once this way, instead of
 * one character at a time.
 */
size_t	 text_visible(const char *s, size_t max_width, size_t *width);

/* enum text_kind of a code point. */
int	 text_kind(uint32_t cp);

/* Display cells of a visible code point: 0 for combining marks, 2 for
 * East Asian wide and fullwidth, 1 otherwise. The same on every machine
 * (utf8proc's tables, not the locale's wcwidth). */
int	 text_char_width(uint32_t cp);

/*
 * Whether len bytes at s are acceptable report text: enum text_problem,
 * with *at the byte offset and *cp the code point of the first offence
 * (0 for a byte that is not UTF-8). A NUL byte inside len is a control
 * character.
 */
int	 text_check(const char *s, size_t len, int multiline, size_t *at,
	    uint32_t *cp);

/* 1 when len bytes at s are surely in NFC by their code points alone
 * (the scripts Vietnamese is written in, without combining marks); 0
 * when only normalising them can tell. */
int	 text_is_nfc(const char *s, size_t len);

/*
 * A malloc'd, NUL-terminated copy of len bytes at s in which each byte
 * that does not start well-formed UTF-8 is U+FFFD: text from a peer that
 * must be shown or written somewhere only UTF-8 goes. NULL when out of
 * memory.
 */
char	*text_repair(const char *s, size_t len);

/*
 * A malloc'd, NUL-terminated NFC copy of len bytes at s, its length in
 * *outlen when outlen is not NULL. Bytes that are not UTF-8 are copied as
 * they are, for text_check to refuse by field. NULL when out of memory.
 */
char	*text_nfc(const char *s, size_t len, size_t *outlen);

#endif
