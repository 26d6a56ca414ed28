/*
 * The budget of connections before their handshake: which one to drop
 * for a new one, and how long a new one has.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "halfopen.h"

void
halfopen_init(struct halfopen_set *set, unsigned int max,
    unsigned int per_address)
{
	TAILQ_INIT(&set->list);
	set->n = 0;
	halfopen_limits(set, max, per_address);
}

void
halfopen_limits(struct halfopen_set *set, unsigned int max,
    unsigned int per_address)
{
	set->max = max > 0 ? max : 1;
	set->per_address = per_address > 0 ? per_address : 1;
}

unsigned int
halfopen_share(unsigned int budget, size_t n)
{
	unsigned int	share;

	if (n == 0)
		n = 1;
	share = (unsigned int)((budget + n - 1) / n);
	return share > 0 ? share : 1;
}

void
halfopen_key(struct halfopen_addr *key, const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	memset(key, 0, sizeof(*key));
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		key->b[10] = key->b[11] = 0xff;
		memcpy(key->b + 12, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		/* An IPv4 peer through an IPv6 socket is its IPv4 address. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memcpy(key->b, &sin6->sin6_addr, 16);
		else
			memcpy(key->b, &sin6->sin6_addr, 8);
	}
}

void
halfopen_add(struct halfopen_set *set, struct halfopen *h)
{
	TAILQ_INSERT_TAIL(&set->list, h, entry);
	set->n++;
}

void
halfopen_remove(struct halfopen_set *set, struct halfopen *h)
{
	TAILQ_REMOVE(&set->list, h, entry);
	set->n--;
}

static unsigned int
halfopen_count(const struct halfopen_set *set, const struct halfopen_addr *a)
{
	const struct halfopen	*h;
	unsigned int		 n = 0;

	TAILQ_FOREACH(h, &set->list, entry)
		if (memcmp(&h->addr, a, sizeof(*a)) == 0)
			n++;
	return n;
}

/* The oldest of address a (of any when a is NULL) of the lowest rank. */
static struct halfopen *
halfopen_pick(const struct halfopen_set *set, const struct halfopen_addr *a,
    halfopen_rank_fn rank, void *arg)
{
	struct halfopen	*h, *best = NULL;
	int		 r, best_rank = HALFOPEN_WORKING + 1;

	TAILQ_FOREACH(h, &set->list, entry) {
		if (a != NULL && memcmp(&h->addr, a, sizeof(*a)) != 0)
			continue;
		if ((r = rank(h, arg)) == HALFOPEN_SILENT)
			return h;
		if (r < best_rank) {
			best = h;
			best_rank = r;
		}
	}
	return best;
}

struct halfopen *
halfopen_victim(const struct halfopen_set *set, const struct halfopen_addr *a,
    halfopen_rank_fn rank, void *arg)
{
	if (set->n == 0)
		return NULL;
	if (halfopen_count(set, a) >= set->per_address)
		return halfopen_pick(set, a, rank, arg);
	if (set->n >= set->max)
		return halfopen_pick(set, NULL, rank, arg);
	return NULL;
}

struct halfopen *
halfopen_oldest_silent(const struct halfopen_set *set, halfopen_rank_fn rank,
    void *arg)
{
	struct halfopen	*h;

	TAILQ_FOREACH(h, &set->list, entry)
		if (rank(h, arg) == HALFOPEN_SILENT)
			return h;
	return NULL;
}

unsigned int
halfopen_timeout(const struct halfopen_set *set, const struct halfopen_addr *a,
    unsigned int handshake_timeout)
{
	unsigned int	t;

	if (2 * (set->n + 1) <= set->max &&
	    2 * (halfopen_count(set, a) + 1) <= set->per_address)
		return handshake_timeout;
	t = handshake_timeout / HALFOPEN_PRESSURE_DIVISOR;
	if (t < HALFOPEN_TIMEOUT_MIN)
		t = HALFOPEN_TIMEOUT_MIN;
	return t < handshake_timeout ? t : handshake_timeout;
}
