/*
 * Realistic reports for the benchmarks: the same generator feeds the load
 * generator (gpload), the raw SQLite baseline (sqlbase) and the national
 * database (natgen), so all three store the same kind of rows.
 *
 * A report is a function of (unit, period, seed): 10 to 30 activities
 * (or as many as asked) with Vietnamese titles, places and notes, all ten
 * indicators and the narrative texts, valid under proto/validate.c.
 */
#ifndef GP_BENCHGEN_H
#define GP_BENCHGEN_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* The id every template carries until a submission gets its own. */
#define BENCH_PLACEHOLDER_ID	"00000000-0000-4000-8000-000000000000"
#define BENCH_UUID_LEN		36

/* Unit codes: "bench-u000001" and so on. */
#define BENCH_UNIT_FMT		"bench-u%06zu"
#define BENCH_UNIT_MAX		32

/* splitmix64: fast, and good enough for text and UUIDs. */
uint64_t	 bench_rand(uint64_t *state);
/* A seed from the kernel, for ids that must differ between processes. */
uint64_t	 bench_seed(void);
/* A random version-4 UUID into out (BENCH_UUID_LEN + 1 bytes). */
void		 bench_uuid(uint64_t *state, char *out);
/* 10..30, a function of the seed. */
size_t		 bench_nactivities(uint64_t seed);
/* Unit code of unit i (from 1). */
void		 bench_unit(size_t i, char out[BENCH_UNIT_MAX]);
/* The unit's Vietnamese name for the registry. */
void		 bench_unit_name(size_t i, char *out, size_t len);

/*
 * A new report with id BENCH_PLACEHOLDER_ID, or NULL when the period is
 * not a period id or memory runs out. nactivities 0 means
 * bench_nactivities(seed).
 */
struct report	*bench_report(const char *unit, const char *period,
		    uint64_t seed, size_t nactivities);

/*
 * Where the placeholder id sits in packed bytes (the packed Report, or a
 * Request holding it): its offset, or -1. Patching those 36 bytes gives a
 * new submission without packing again.
 */
long		 bench_id_offset(const uint8_t *, size_t);

#endif
