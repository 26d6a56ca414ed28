/* proof_signer: the signer's name read from a receipt's certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "proof.h"

struct certs {
	EVP_PKEY	*key;
	uint8_t		*v3, *v1, *nocn;
	int		 v3len, v1len, nocnlen;
};

/* A self-signed certificate; version 1 has no [0] version field. */
static int
make_der(EVP_PKEY *key, long version, const char *cn, const char *o,
    uint8_t **der)
{
	X509		*x = X509_new();
	X509_NAME	*name;
	int		 len;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, version), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)o, -1, -1, 0);
	if (cn != NULL)
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
		    (const unsigned char *)cn, -1, -1, 0);
	/* Another issuer, so that the subject is not the first name. */
	name = X509_NAME_new();
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"issuer", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_NAME_free(name);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	*der = NULL;
	len = i2d_X509(x, der);
	assert_true(len > 0);
	X509_free(x);
	return len;
}

static int
setup(void **state)
{
	struct certs	*c = calloc(1, sizeof(*c));

	assert_non_null(c);
	assert_non_null(c->key = EVP_EC_gen("P-256"));
	c->v3len = make_der(c->key, X509_VERSION_3, "gp.ldld-laichau.vn",
	    "LĐLĐ tỉnh Lai Châu", &c->v3);
	c->v1len = make_der(c->key, X509_VERSION_1, "localhost", "gp",
	    &c->v1);
	c->nocnlen = make_der(c->key, X509_VERSION_3, NULL, "gp", &c->nocn);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct certs	*c = *state;

	OPENSSL_free(c->v3);
	OPENSSL_free(c->v1);
	OPENSSL_free(c->nocn);
	EVP_PKEY_free(c->key);
	free(c);
	return 0;
}

static void
test_signer_names(void **state)
{
	struct certs	*c = *state;
	char		 cn[256];

	assert_int_equal(proof_signer(c->v3, (size_t)c->v3len, cn,
	    sizeof(cn)), 0);
	assert_string_equal(cn, "gp.ldld-laichau.vn");
	assert_int_equal(proof_signer(c->v1, (size_t)c->v1len, cn,
	    sizeof(cn)), 0);
	assert_string_equal(cn, "localhost");
	/* A subject without a CN names nobody. */
	assert_int_equal(proof_signer(c->nocn, (size_t)c->nocnlen, cn,
	    sizeof(cn)), -1);
}

/* Cut anywhere: refused, since the outer length no longer fits. With a
 * byte of its headers changed: refused or read within its bounds, never
 * past them (ASan and valgrind watch). */
static void
test_signer_damaged(void **state)
{
	struct certs	*c = *state;
	uint8_t		*copy;
	char		 cn[256];
	int		 n, i;

	for (n = 0; n < c->v3len; n++) {
		copy = malloc((size_t)n + 1);
		assert_non_null(copy);
		memcpy(copy, c->v3, (size_t)n);
		assert_int_equal(proof_signer(copy, (size_t)n, cn, sizeof(cn)),
		    -1);
		free(copy);
	}
	copy = malloc((size_t)c->v3len);
	assert_non_null(copy);
	for (i = 0; i < 40 && i < c->v3len; i++) {
		memcpy(copy, c->v3, (size_t)c->v3len);
		copy[i] ^= 0xff;
		if (proof_signer(copy, (size_t)c->v3len, cn, sizeof(cn)) == 0)
			assert_true(strlen(cn) < sizeof(cn));
	}
	free(copy);
	assert_int_equal(proof_signer((const uint8_t *)"not a certificate",
	    17, cn, sizeof(cn)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_names),
		cmocka_unit_test(test_signer_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
