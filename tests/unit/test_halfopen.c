/*
 * The budget of connections before their handshake: which one gives way
 * to a new one (of the same address when its cap is full; the oldest
 * that has sent nothing first), and the deadline under pressure.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "halfopen.h"

struct conn {
	struct halfopen	 ho;	/* first */
	int		 spoke;	/* enum halfopen_rank */
	int		 id;
};

static int
rank(const struct halfopen *ho, void *arg)
{
	(void)arg;
	return ((const struct conn *)(const void *)ho)->spoke;
}

static void
key4(struct halfopen_addr *a, const char *ip)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(1234);
	assert_int_equal(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	halfopen_key(a, (struct sockaddr *)&sin);
}

static void
key6(struct halfopen_addr *a, const char *ip)
{
	struct sockaddr_in6	sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, ip, &sin6.sin6_addr), 1);
	halfopen_key(a, (struct sockaddr *)&sin6);
}

/* Admits c from ip, dropping what halfopen_victim says until it fits;
 * returns the id of the first one dropped (0: none). */
static int
admit(struct halfopen_set *set, struct conn *c, const char *ip)
{
	struct halfopen_addr	 a;
	struct halfopen		*v;
	int			 dropped = 0;

	key4(&a, ip);
	while ((v = halfopen_victim(set, &a, rank, NULL)) != NULL) {
		if (dropped == 0)
			dropped = ((struct conn *)(void *)v)->id;
		halfopen_remove(set, v);
	}
	c->ho.addr = a;
	halfopen_add(set, &c->ho);
	return dropped;
}

static void
test_keys(void **state)
{
	struct halfopen_addr	a, b;

	(void)state;
	key4(&a, "192.0.2.7");
	key6(&b, "::ffff:192.0.2.7");
	assert_memory_equal(&a, &b, sizeof(a));
	/* One IPv6 /64 is one address. */
	key6(&a, "2001:db8:1:2::1");
	key6(&b, "2001:db8:1:2:ffff::9");
	assert_memory_equal(&a, &b, sizeof(a));
	key6(&b, "2001:db8:1:3::1");
	assert_memory_not_equal(&a, &b, sizeof(a));
	key4(&a, "192.0.2.7");
	key4(&b, "192.0.2.8");
	assert_memory_not_equal(&a, &b, sizeof(a));
}

/* One address floods: it only ever replaces its own, oldest silent
 * first; a client of that address that spoke stays; another address is
 * never touched. */
static void
test_per_address(void **state)
{
	struct halfopen_set	set;
	struct conn		c[40];
	int			i;

	(void)state;
	memset(c, 0, sizeof(c));
	for (i = 0; i < 40; i++)
		c[i].id = i + 1;
	halfopen_init(&set, 16, 4);
	assert_int_equal(admit(&set, &c[0], "198.51.100.1"), 0);
	c[0].spoke = HALFOPEN_WAITING;	/* an honest client, elsewhere */
	assert_int_equal(admit(&set, &c[1], "203.0.113.5"), 0);
	c[1].spoke = HALFOPEN_WAITING;	/* an honest client at the NAT */
	assert_int_equal(admit(&set, &c[2], "203.0.113.5"), 0);
	assert_int_equal(admit(&set, &c[3], "203.0.113.5"), 0);
	assert_int_equal(admit(&set, &c[4], "203.0.113.5"), 0);
	/* The cap of 4: the oldest silent of the address goes. */
	assert_int_equal(admit(&set, &c[5], "203.0.113.5"), 3);
	assert_int_equal(admit(&set, &c[6], "203.0.113.5"), 4);
	for (i = 7; i < 30; i++)
		assert_int_not_equal(admit(&set, &c[i], "203.0.113.5"), 2);
	assert_int_equal(set.n, 5);
	/* Both clients that spoke are still there. */
	assert_ptr_equal(TAILQ_FIRST(&set.list), &c[0].ho);
	assert_ptr_equal(TAILQ_NEXT(&c[0].ho, entry), &c[1].ho);
	/* When all of the address spoke, the oldest waiting for its peer
	 * goes before one whose bytes the server has yet to read. */
	c[1].spoke = HALFOPEN_WORKING;
	for (i = 25; i < 30; i++)
		c[i].spoke = HALFOPEN_WAITING;
	assert_int_equal(admit(&set, &c[30], "203.0.113.5"), 28);
	c[29].spoke = HALFOPEN_WORKING;
	c[30].spoke = HALFOPEN_WORKING;
	assert_int_equal(admit(&set, &c[31], "203.0.113.5"), 29);
	c[31].spoke = HALFOPEN_WORKING;
	/* All the server's own lag: the oldest. */
	assert_int_equal(admit(&set, &c[32], "203.0.113.5"), 2);
	/* Out of descriptors: only those that never spoke give way. */
	assert_ptr_equal(halfopen_oldest_silent(&set, rank, NULL),
	    &c[32].ho);
	c[32].spoke = HALFOPEN_WAITING;
	assert_null(halfopen_oldest_silent(&set, rank, NULL));
}

/* The budget of all addresses: the oldest silent of any address. */
static void
test_budget(void **state)
{
	struct halfopen_set	set;
	struct conn		c[10];
	char			ip[32];
	int			i;

	(void)state;
	memset(c, 0, sizeof(c));
	halfopen_init(&set, 4, 4);
	for (i = 0; i < 10; i++)
		c[i].id = i + 1;
	c[0].spoke = HALFOPEN_WAITING;
	for (i = 0; i < 4; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%d", i + 1);
		assert_int_equal(admit(&set, &c[i], ip), 0);
	}
	assert_int_equal(admit(&set, &c[4], "192.0.2.99"), 2);
	assert_int_equal(admit(&set, &c[5], "192.0.2.98"), 3);
	assert_int_equal(set.n, 4);
	/* Smaller limits after a reload: those above them go when the
	 * next one comes, the one that spoke last. */
	halfopen_limits(&set, 2, 2);
	assert_int_equal(admit(&set, &c[6], "192.0.2.97"), 4);
	assert_int_equal(set.n, 2);
	assert_ptr_equal(TAILQ_FIRST(&set.list), &c[0].ho);
}

/* Past half of either, a shorter deadline; never under a second. */
static void
test_pressure(void **state)
{
	struct halfopen_set	 set;
	struct halfopen_addr	 a, b;
	struct conn		 c[8];
	int			 i;

	(void)state;
	memset(c, 0, sizeof(c));
	halfopen_init(&set, 8, 4);
	key4(&a, "192.0.2.1");
	key4(&b, "192.0.2.2");
	assert_int_equal(halfopen_timeout(&set, &a, 10), 10);
	admit(&set, &c[0], "192.0.2.1");
	assert_int_equal(halfopen_timeout(&set, &a, 10), 10);
	admit(&set, &c[1], "192.0.2.1");
	/* A third from that address would be past half its cap. */
	assert_int_equal(halfopen_timeout(&set, &a, 10), 2);
	assert_int_equal(halfopen_timeout(&set, &b, 10), 10);
	for (i = 2; i < 4; i++)
		admit(&set, &c[i], i == 2 ? "192.0.2.3" : "192.0.2.4");
	/* A fifth of any address would be past half the budget. */
	assert_int_equal(halfopen_timeout(&set, &b, 10), 2);
	assert_int_equal(halfopen_timeout(&set, &b, 2), 1);
	assert_int_equal(halfopen_timeout(&set, &b, 1), 1);
	assert_int_equal(halfopen_share(256, 2), 128);
	assert_int_equal(halfopen_share(5, 2), 3);
	assert_int_equal(halfopen_share(1, 8), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_pressure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
