/*
 * Unit tests for client/pem.c: base64 and PEM certificates as a receipt
 * file carries them, and the strictness that makes any changed byte
 * either refused or decoded differently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pem.h"

/* The RFC 4648 test vectors. */
static const struct {
	const char	*plain;
	const char	*b64;
} vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" }
};

static void
test_base64_vectors(void **state)
{
	uint8_t		*out;
	size_t		 i, len;
	const char	*errstr = NULL;
	char		*s;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		s = pem_base64_encode((const uint8_t *)vectors[i].plain,
		    strlen(vectors[i].plain));
		assert_non_null(s);
		assert_string_equal(s, vectors[i].b64);
		free(s);
		assert_int_equal(pem_base64_decode(vectors[i].b64,
		    strlen(vectors[i].b64), &out, &len, &errstr), 0);
		assert_int_equal(len, strlen(vectors[i].plain));
		assert_memory_equal(out, vectors[i].plain, len);
		free(out);
	}
}

/* Every byte value, every length mod 3, round trip. */
static void
test_base64_round_trip(void **state)
{
	uint8_t		 buf[258], *out;
	size_t		 n, len;
	const char	*errstr = NULL;
	char		*s;

	(void)state;
	for (n = 0; n < sizeof(buf); n++)
		buf[n] = (uint8_t)(n * 7 + 3);
	for (n = 250; n <= sizeof(buf); n++) {
		assert_non_null(s = pem_base64_encode(buf, n));
		assert_int_equal(strlen(s), (n + 2) / 3 * 4);
		assert_int_equal(pem_base64_decode(s, strlen(s), &out, &len,
		    &errstr), 0);
		assert_int_equal(len, n);
		assert_memory_equal(out, buf, n);
		free(out);
		free(s);
	}
}

static void
refuse(const char *s)
{
	uint8_t		*out = (uint8_t *)1;
	size_t		 len = 1;
	const char	*errstr = NULL;

	assert_int_equal(pem_base64_decode(s, strlen(s), &out, &len,
	    &errstr), -1);
	assert_non_null(errstr);
	assert_null(out);
	assert_int_equal(len, 0);
}

/* Only the canonical text: no missing padding, no white space, no stray
 * bits, no padding in the middle. */
static void
test_base64_strict(void **state)
{
	(void)state;
	refuse("Zg");		/* padding left out */
	refuse("Zg=");
	refuse("Zm9v\n");
	refuse("Zm 9v");
	refuse("Zh==");		/* "f" with a stray bit */
	refuse("Zm9=");		/* "fo" with stray bits */
	refuse("Zg==Zm9v");	/* padding before the end */
	refuse("=Zg=");
	refuse("A===");
	refuse("====");
	refuse("Zm9-");		/* base64url is another alphabet */
	refuse("Zm9_");
}

/* Changing any one character of a signature's base64 to any other
 * character either is refused or decodes to other bytes. */
static void
test_base64_one_change(void **state)
{
	uint8_t		 sig[71], *out;
	size_t		 i, n, len;
	const char	*errstr;
	char		*s;
	int		 c;

	(void)state;
	for (i = 0; i < sizeof(sig); i++)
		sig[i] = (uint8_t)(i * 37 + 11);
	assert_non_null(s = pem_base64_encode(sig, sizeof(sig)));
	n = strlen(s);
	for (i = 0; i < n; i++) {
		for (c = 0x21; c < 0x7f; c++) {
			char	saved = s[i];

			if (c == saved)
				continue;
			s[i] = (char)c;
			if (pem_base64_decode(s, n, &out, &len, &errstr) == 0) {
				assert_false(len == sizeof(sig) &&
				    memcmp(out, sig, len) == 0);
				free(out);
			}
			s[i] = saved;
		}
	}
	free(s);
}

/* A small DER-like byte string: the PEM code does not parse DER. */
static void
test_pem_round_trip(void **state)
{
	uint8_t		 der[200], *out;
	size_t		 i, len;
	const char	*errstr = NULL;
	char		*pem;

	(void)state;
	for (i = 0; i < sizeof(der); i++)
		der[i] = (uint8_t)(255 - i);
	assert_non_null(pem = pem_cert_encode(der, sizeof(der)));
	/* 200 bytes: 268 characters, lines of 64, 64, 64, 64 and 12. */
	assert_true(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	assert_int_equal(strlen(pem), 28 + 268 + 5 + 26);
	assert_int_equal(pem[28 + 64], '\n');
	assert_string_equal(pem + strlen(pem) - 26,
	    "-----END CERTIFICATE-----\n");
	assert_int_equal(pem_cert_decode(pem, &out, &len, &errstr), 0);
	assert_int_equal(len, sizeof(der));
	assert_memory_equal(out, der, len);
	free(out);
	free(pem);
}

/* A line of exactly 64 characters last: no empty line after it. */
static void
test_pem_full_last_line(void **state)
{
	uint8_t		 der[48], *out;
	size_t		 len;
	const char	*errstr = NULL;
	char		*pem;

	(void)state;
	memset(der, 0x5a, sizeof(der));
	assert_non_null(pem = pem_cert_encode(der, sizeof(der)));
	assert_int_equal(strlen(pem), 28 + 64 + 1 + 26);
	assert_int_equal(pem_cert_decode(pem, &out, &len, &errstr), 0);
	assert_int_equal(len, sizeof(der));
	free(out);
	free(pem);
}

static void
pem_refuse(const char *s)
{
	uint8_t		*out;
	size_t		 len;
	const char	*errstr = NULL;

	assert_int_equal(pem_cert_decode(s, &out, &len, &errstr), -1);
	assert_non_null(errstr);
	assert_null(out);
}

static void
test_pem_strict(void **state)
{
	(void)state;
	pem_refuse("");
	pem_refuse("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
	pem_refuse("-----BEGIN CERTIFICATE-----\nZm9v\n"
	    "-----END CERTIFICATE-----");		/* no final LF */
	pem_refuse("-----BEGIN CERTIFICATE-----\r\nZm9v\r\n"
	    "-----END CERTIFICATE-----\r\n");
	pem_refuse("-----BEGIN PUBLIC KEY-----\nZm9v\n"
	    "-----END PUBLIC KEY-----\n");
	pem_refuse("-----BEGIN CERTIFICATE-----\nZm9v\n\n"
	    "-----END CERTIFICATE-----\n");		/* an empty line */
	pem_refuse("-----BEGIN CERTIFICATE-----\nZm9v\nZm9v\n"
	    "-----END CERTIFICATE-----\n");		/* a short line first */
	pem_refuse("-----BEGIN CERTIFICATE-----\nZh==\n"
	    "-----END CERTIFICATE-----\n");		/* stray bits */
	pem_refuse("junk-----BEGIN CERTIFICATE-----\nZm9v\n"
	    "-----END CERTIFICATE-----\n");
	pem_refuse("-----BEGIN CERTIFICATE-----\nZm9v\n"
	    "-----END CERTIFICATE-----\njunk\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_base64_round_trip),
		cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_base64_one_change),
		cmocka_unit_test(test_pem_round_trip),
		cmocka_unit_test(test_pem_full_last_line),
		cmocka_unit_test(test_pem_strict)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
