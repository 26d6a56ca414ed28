/*
 * fuzz_frame: the frame decoder fed a byte stream the way a session's
 * input buffer fills, in chunks. The input is
 *
 *	max selector (1 byte), k (1 byte), k chunk sizes (1 byte each), stream
 *
 * The stream is delivered in chunks of the given sizes (each byte + 1,
 * cycled; k = 0 delivers it whole) and after each chunk frame_check runs
 * until it needs more, the way session_read loops. Every verdict must be
 * the one frame.h promises for the bytes buffered, frame_check may read
 * only the header (it gets a copy of exactly those bytes), and the frames
 * found and where the stream fails must not depend on the chunking.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_SPLITS_MAX	16
#define FUZZ_FRAMES_MAX	4096

static const uint32_t fuzz_maxes[] = {
	1, 2, 3, 255, 1024, 65536, FRAME_MAX_DEFAULT, FRAME_MAX_LIMIT
};

struct fuzz_run {
	size_t	frames[FUZZ_FRAMES_MAX];	/* payload lengths */
	size_t	nframes;
	size_t	consumed;		/* bytes of whole frames */
	int	failed;			/* FRAME_ERROR at consumed */
};

static struct fuzz_run	fuzz_whole, fuzz_split;

/* What frame.h promises for buffered bytes of a stream at its front. */
static enum frame_status
fuzz_expect(const uint8_t *buf, size_t len, uint32_t max, uint32_t *payload)
{
	uint32_t	n;

	if (len < FRAME_HEADER)
		return FRAME_NEED_MORE;
	n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
	    (uint32_t)buf[2] << 8 | buf[3];
	if (n == 0 || n > max)
		return FRAME_ERROR;
	if (len - FRAME_HEADER < n)
		return FRAME_NEED_MORE;
	*payload = n;
	return FRAME_READY;
}

/* A heap buffer of exactly have bytes (have <= FRAME_HEADER), made once:
 * for 0, the end of a 1-byte one. */
static uint8_t *
fuzz_header(size_t have)
{
	static uint8_t	*bufs[FRAME_HEADER + 1];

	if (bufs[have] == NULL)
		CHECK((bufs[have] = malloc(have > 0 ? have : 1)) != NULL);
	return bufs[have] + (have > 0 ? 0 : 1);
}

/* One frame_check on the front of the buffered bytes. */
static enum frame_status
fuzz_check(const uint8_t *buf, size_t len, uint32_t max, uint32_t *payload)
{
	enum frame_status	 got, want;
	uint8_t			*hdr, again[FRAME_HEADER];
	uint32_t		 n = 0, expect = 0;
	const char		*errstr = NULL;
	size_t			 have = len < FRAME_HEADER ? len : FRAME_HEADER;

	/* Exactly the header, so that reading further is an ASan report. */
	hdr = fuzz_header(have);
	memcpy(hdr, buf, have);
	got = frame_check(hdr, len, max, &n, &errstr);

	want = fuzz_expect(buf, len, max, &expect);
	CHECK(got == want);
	switch (got) {
	case FRAME_ERROR:
		CHECK(errstr != NULL && errstr[0] != '\0');
		break;
	case FRAME_READY:
		CHECK(n == expect && n > 0 && n <= max);
		CHECK(len >= FRAME_HEADER + (size_t)n);
		frame_header(again, n);
		CHECK(memcmp(again, buf, FRAME_HEADER) == 0);
		*payload = n;
		break;
	case FRAME_NEED_MORE:
		break;
	default:
		CHECK(!"frame_check returned no frame_status");
	}
	return got;
}

/* Delivers stream in chunks; splits NULL delivers it whole. */
static void
fuzz_deliver(const uint8_t *stream, size_t len, uint32_t max,
    const uint8_t *splits, size_t nsplits, struct fuzz_run *run)
{
	size_t		 delivered = 0, chunk, k = 0;
	uint32_t	 n;

	memset(run, 0, sizeof(*run));
	while (delivered < len) {
		chunk = nsplits > 0 ? (size_t)splits[k++ % nsplits] + 1 :
		    len;
		if (chunk > len - delivered)
			chunk = len - delivered;
		delivered += chunk;
		for (;;) {
			switch (fuzz_check(stream + run->consumed,
			    delivered - run->consumed, max, &n)) {
			case FRAME_NEED_MORE:
				break;
			case FRAME_ERROR:
				/* The header was the last thing needed:
				 * nothing past it was buffered to find out. */
				CHECK(delivered - run->consumed <
				    FRAME_HEADER + chunk);
				run->failed = 1;
				return;
			case FRAME_READY:
				CHECK(run->nframes < FUZZ_FRAMES_MAX);
				run->frames[run->nframes++] = n;
				run->consumed += FRAME_HEADER + (size_t)n;
				continue;
			}
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*splits;
	uint32_t	 max;
	size_t		 nsplits;

	if (size < 2)
		return 0;
	max = fuzz_maxes[data[0] % (sizeof(fuzz_maxes) / sizeof(*fuzz_maxes))];
	nsplits = data[1] % FUZZ_SPLITS_MAX;
	if (size < 2 + nsplits)
		return 0;
	splits = data + 2;
	data += 2 + nsplits;
	size -= 2 + nsplits;

	fuzz_deliver(data, size, max, NULL, 0, &fuzz_whole);
	fuzz_deliver(data, size, max, splits, nsplits, &fuzz_split);
	CHECK(fuzz_whole.failed == fuzz_split.failed);
	CHECK(fuzz_whole.consumed == fuzz_split.consumed);
	CHECK(fuzz_whole.nframes == fuzz_split.nframes);
	CHECK(memcmp(fuzz_whole.frames, fuzz_split.frames,
	    fuzz_whole.nframes * sizeof(*fuzz_whole.frames)) == 0);
	return 0;
}
