/*
 * Frame codec: 4-byte big-endian length, then the payload.
 */
#include "frame.h"

enum frame_status
frame_check(const uint8_t *buf, size_t len, uint32_t max, uint32_t *payload,
    const char **errstr)
{
	uint32_t	n;

	if (len < FRAME_HEADER)
		return FRAME_NEED_MORE;
	n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
	    (uint32_t)buf[2] << 8 | (uint32_t)buf[3];
	if (n == 0) {
		*errstr = "empty frame";
		return FRAME_ERROR;
	}
	if (n > max) {
		*errstr = "frame longer than max_frame";
		return FRAME_ERROR;
	}
	if (len - FRAME_HEADER < n)
		return FRAME_NEED_MORE;
	*payload = n;
	return FRAME_READY;
}

void
frame_header(uint8_t hdr[FRAME_HEADER], uint32_t len)
{
	hdr[0] = (uint8_t)(len >> 24);
	hdr[1] = (uint8_t)(len >> 16);
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
}
