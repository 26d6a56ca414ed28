/*
 * crashctl: the harness's hand on a simulated machine (crashsim.h).
 *
 *   crashctl power-on DIR SEED [keep|drop|order|scramble]
 *	once every process of the machine is gone (after a cut, or to cut
 *	now): puts its files back as the power cut left them, one line per
 *	choice on standard output, and removes DIR
 *   crashctl count DIR
 *	the sync points the machine has passed since power-on
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "crashsim.h"

static int
usage(void)
{
	fprintf(stderr, "usage: crashctl power-on DIR SEED "
	    "[keep|drop|order|scramble]\n"
	    "       crashctl count DIR\n");
	return EX_USAGE;
}

int
main(int argc, char **argv)
{
	static const char *const fates[] = {
		[CRASHSIM_KEEP] = "keep", [CRASHSIM_DROP] = "drop",
		[CRASHSIM_ORDER] = "order", [CRASHSIM_SCRAMBLE] = "scramble"
	};
	enum crashsim_fate	 fate = CRASHSIM_RANDOM;
	unsigned long long	 seed;
	uint64_t		 n;
	char			*cause = NULL, *end;
	size_t			 i;

	if (argc == 3 && strcmp(argv[1], "count") == 0) {
		if (crashsim_count(argv[2], &n, &cause) == -1) {
			fprintf(stderr, "%s\n", cause != NULL ? cause :
			    "crashctl: out of memory");
			free(cause);
			return EX_IOERR;
		}
		printf("%" PRIu64 "\n", n);
		return 0;
	}
	if ((argc != 4 && argc != 5) || strcmp(argv[1], "power-on") != 0)
		return usage();
	errno = 0;
	seed = strtoull(argv[3], &end, 10);
	if (errno != 0 || *end != '\0' || argv[3][0] == '\0')
		return usage();
	if (argc == 5) {
		for (i = 1; i < sizeof(fates) / sizeof(fates[0]); i++)
			if (strcmp(argv[4], fates[i]) == 0)
				fate = (enum crashsim_fate)i;
		if (fate == CRASHSIM_RANDOM)
			return usage();
	}
	if (crashsim_power_on(argv[2], seed, fate, stdout, &cause) == -1) {
		fprintf(stderr, "%s\n", cause != NULL ? cause :
		    "crashctl: out of memory");
		free(cause);
		return EX_IOERR;
	}
	return 0;
}
