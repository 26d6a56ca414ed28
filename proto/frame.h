/*
 * Frame codec: a 4-byte big-endian length, then that many bytes of payload.
 * Pure: bytes in, a verdict out; no I/O and no allocation.
 */
#ifndef GP_FRAME_H
#define GP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER		4
#define FRAME_MAX_DEFAULT	(1024 * 1024)
#define FRAME_MAX_LIMIT		(64 * 1024 * 1024)

enum frame_status {
	FRAME_ERROR = -1,	/* bad length: close after replying */
	FRAME_NEED_MORE = 0,	/* not a whole frame yet */
	FRAME_READY = 1		/* a whole frame is at the front */
};

/*
 * Looks at the front of a stream of len bytes of which buf holds at least
 * the first FRAME_HEADER (only those are read, so the rest need not be
 * contiguous). On FRAME_READY sets
 * *payload to the payload length (the frame is FRAME_HEADER + *payload
 * bytes). The length is checked against max as soon as the header is
 * there, before anything else is buffered: 0 and lengths over max are
 * FRAME_ERROR with *errstr saying which.
 */
enum frame_status frame_check(const uint8_t *buf, size_t len, uint32_t max,
		    uint32_t *payload, const char **errstr);

/* Writes the header for a payload of len bytes. */
void	 frame_header(uint8_t hdr[FRAME_HEADER], uint32_t len);

#endif
