/* proof_signer: the signer's name read from a receipt's certificate;
 * proof_check_report: a report against the SHA-256 a receipt signs,
 * packed for report forms or, for a receipt issued before them, the old
 * way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "proof.h"
#include "report.h"

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

/* A report of the 2022 codes, which the old encoding can hold. */
static struct report *
report_2022(void)
{
	struct report	*r;

	assert_non_null(r = report_new());
	r->id = strdup("8c3c86ec-668e-8ca9-968a-ad6c164f2e08");
	r->unit = strdup("lc-tamduong");
	r->period = strdup("2022-H1");
	r->reporter_name = strdup("Lò Thị Hương");
	assert_non_null(r->narrative = calloc(1, sizeof(*r->narrative)));
	r->nnarrative = 1;
	r->narrative[0].code = strdup("results");
	r->narrative[0].text = strdup("Hoàn thành.");
	assert_non_null(r->activities = calloc(1, sizeof(*r->activities)));
	r->nactivities = 1;
	r->activities[0].area = strdup("inspection");
	r->activities[0].kind = strdup("inspection");
	r->activities[0].occasion = strdup("none");
	r->activities[0].status = strdup("done");
	r->activities[0].sessions = 1;
	return r;
}

static void
check(struct report *r, const uint8_t *bytes, size_t len, int want)
{
	struct proof		 p;
	struct proof_out	 po;
	uint8_t			 h[32];
	char			 hex[65], *cause = NULL;

	assert_int_equal(report_digest(bytes, len, h), 0);
	report_hex(h, sizeof(h), hex);
	memset(&p, 0, sizeof(p));
	p.path = "receipt.json";
	p.unit = "lc-tamduong";
	p.period = "2022-H1";
	p.submission_id = "8c3c86ec-668e-8ca9-968a-ad6c164f2e08";
	p.report_sha256 = hex;
	proof_out_init(&po, 1);
	assert_int_equal(proof_check_report(&po, &p, r, "report.json", &cause),
	    want);
	proof_out_clear(&po);
	free(cause);
}

static void
test_report_either_encoding(void **state)
{
	struct report	*r = report_2022();
	uint8_t		*bytes;
	size_t		 len;

	(void)state;
	/* A receipt of today's canonical bytes. */
	assert_int_equal(report_pack(r, &bytes, &len), 0);
	check(r, bytes, len, 0);
	free(bytes);
	/* One issued before report forms covers the old bytes. */
	assert_int_equal(report_legacy_pack(r, &bytes, &len), 1);
	check(r, bytes, len, 0);
	/* A figure changed since: neither. */
	r->activities[0].participants = 9;
	check(r, bytes, len, 65);
	free(bytes);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_names),
		cmocka_unit_test(test_signer_damaged),
		cmocka_unit_test(test_report_either_encoding),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
