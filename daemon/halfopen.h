/*
 * Connections that have not finished their TLS handshake (halfopen.c),
 * counted apart from authenticated ones so that a flood of them never
 * keeps a real client out: a budget for all of them, and a cap for those
 * of one address (an IPv4 address, an IPv6 /64). When either is full, a
 * new connection is admitted and an older one dropped: of the same
 * address when its cap is the one that is full; the oldest that has sent
 * nothing yet, else the oldest that waits for its peer, else the oldest.
 * Past half of either, the handshake deadline of a new connection
 * shortens.
 *
 * One set per worker, touched by its thread only; the caller embeds a
 * struct halfopen in each connection and ranks them (enum
 * halfopen_rank).
 */
#ifndef GPD_HALFOPEN_H
#define GPD_HALFOPEN_H

#include <sys/queue.h>

#include <stdint.h>

struct sockaddr;

/* What a connection's address counts as: IPv4 (or IPv4-mapped IPv6)
 * addresses whole, IPv6 by /64, what one subscriber is given. */
struct halfopen_addr {
	uint8_t		b[16];
};

struct halfopen {
	TAILQ_ENTRY(halfopen)	 entry;
	struct halfopen_addr	 addr;
};

TAILQ_HEAD(halfopen_list, halfopen);

/* Which connections give way first: those that have said nothing, then
 * those waiting for their peer's next flight, and last those that have
 * bytes the server has not read yet (its own lag, not the peer's). */
enum halfopen_rank {
	HALFOPEN_SILENT = 0,
	HALFOPEN_WAITING,
	HALFOPEN_WORKING
};

struct halfopen_set {
	struct halfopen_list	 list;		/* oldest first */
	unsigned int		 n;
	unsigned int		 max;		/* all addresses */
	unsigned int		 per_address;
};

/* Under pressure a handshake gets this part of handshake_timeout, and
 * never less than HALFOPEN_TIMEOUT_MIN seconds. */
#define HALFOPEN_PRESSURE_DIVISOR	4
#define HALFOPEN_TIMEOUT_MIN		1

void	 halfopen_init(struct halfopen_set *, unsigned int max,
	    unsigned int per_address);
/* New budgets (a reload); the connections above them go as new ones
 * arrive. */
void	 halfopen_limits(struct halfopen_set *, unsigned int max,
	    unsigned int per_address);
/* A worker's share of a budget shared by n workers: at least 1. */
unsigned int halfopen_share(unsigned int budget, size_t n);

void	 halfopen_key(struct halfopen_addr *, const struct sockaddr *);
void	 halfopen_add(struct halfopen_set *, struct halfopen *);
void	 halfopen_remove(struct halfopen_set *, struct halfopen *);

/* Ranks a connection: enum halfopen_rank. */
typedef int	(*halfopen_rank_fn)(const struct halfopen *, void *);

/*
 * Before a connection from addr is added: the one to drop so that it
 * fits, or NULL when it fits as it is. The caller drops it
 * (halfopen_remove) and asks again until NULL.
 */
struct halfopen	*halfopen_victim(const struct halfopen_set *,
		    const struct halfopen_addr *, halfopen_rank_fn,
		    void *arg);
/* The oldest connection that has sent nothing, or NULL (descriptors ran
 * out: such give way first). */
struct halfopen	*halfopen_oldest_silent(const struct halfopen_set *,
		    halfopen_rank_fn, void *arg);
/* The seconds a connection from addr admitted now has to finish its
 * handshake, given handshake_timeout. */
unsigned int	 halfopen_timeout(const struct halfopen_set *,
		    const struct halfopen_addr *,
		    unsigned int handshake_timeout);

#endif
