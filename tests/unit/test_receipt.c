/* Signed receipts: the signed text, and what verification refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "receipt.h"

struct pki {
	EVP_PKEY	*ca_key, *key, *other_key, *unit_key;
	X509		*ca, *cert, *other, *unit, *no_eku, *no_sign;
	char		 ca_file[64];
	uint8_t		*der;
	size_t		 derlen;
};

static X509 *
make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    int ca, const char *eku, const char *ku)
{
	X509		*x = X509_new();
	X509_NAME	*name;
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 1 : 2);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600L * 24 * 3650);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 3650);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : name);
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	    ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (eku != NULL) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, eku);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (ku != NULL) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, ku);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
	return x;
}

static int
setup(void **state)
{
	struct pki	*p = calloc(1, sizeof(*p));
	unsigned char	*q;
	FILE		*f;
	int		 fd;

	p->ca_key = EVP_EC_gen("P-256");
	p->key = EVP_EC_gen("P-256");
	p->other_key = EVP_EC_gen("P-256");
	p->unit_key = EVP_EC_gen("P-256");
	p->ca = make_cert("gp test CA", p->ca_key, NULL, p->ca_key, 1, NULL,
	    NULL);
	p->cert = make_cert("localhost", p->key, p->ca, p->ca_key, 0,
	    "serverAuth", "critical,digitalSignature");
	/* Self-signed: chains to nothing the holder trusts. */
	p->other = make_cert("localhost", p->other_key, NULL, p->other_key, 0,
	    "serverAuth", NULL);
	/* A unit's client certificate from the same CA. */
	p->unit = make_cert("lc-tamduong", p->unit_key, p->ca, p->ca_key, 0,
	    "clientAuth", NULL);
	/* From the same CA, for the unit's key: no extended key usage at
	 * all, and serverAuth with a key that may only encipher. */
	p->no_eku = make_cert("lc-tamduong", p->unit_key, p->ca, p->ca_key, 0,
	    NULL, NULL);
	p->no_sign = make_cert("lc-tamduong", p->unit_key, p->ca, p->ca_key,
	    0, "serverAuth", "critical,keyAgreement");
	snprintf(p->ca_file, sizeof(p->ca_file), "/tmp/gp-receipt-XXXXXX");
	fd = mkstemp(p->ca_file);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	PEM_write_X509(f, p->ca);
	fclose(f);
	p->derlen = (size_t)i2d_X509(p->cert, NULL);
	p->der = malloc(p->derlen);
	q = p->der;
	i2d_X509(p->cert, &q);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pki	*p = *state;

	unlink(p->ca_file);
	free(p->der);
	X509_free(p->ca);
	X509_free(p->cert);
	X509_free(p->other);
	X509_free(p->unit);
	X509_free(p->no_eku);
	X509_free(p->no_sign);
	EVP_PKEY_free(p->unit_key);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->key);
	EVP_PKEY_free(p->other_key);
	free(p);
	return 0;
}

static const struct receipt_fields sample = {
	"9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d",
	"3f0c2a1e-5d2a-8c47-9a53-7f0e1d2c3b4a",
	"lc-tamduong", "2022-H1", 2,
	"5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2918273645546372819",
	"2026-11-29T03:10:11Z"
};

static void
sign(EVP_PKEY *key, const struct receipt_fields *f, uint8_t **sig,
    size_t *siglen)
{
	EVP_MD_CTX	*md = EVP_MD_CTX_new();
	char		 payload[RECEIPT_PAYLOAD_MAX];
	int		 n;

	n = receipt_payload(f, payload, sizeof(payload));
	assert_true(n > 0);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key),
	    1);
	assert_int_equal(EVP_DigestSign(md, NULL, siglen,
	    (unsigned char *)payload, (size_t)n), 1);
	*sig = malloc(*siglen);
	assert_int_equal(EVP_DigestSign(md, *sig, siglen,
	    (unsigned char *)payload, (size_t)n), 1);
	EVP_MD_CTX_free(md);
}

/* DER of x, malloc'd. */
static uint8_t *
der_of(X509 *x, size_t *len)
{
	uint8_t		*der;
	unsigned char	*q;

	*len = (size_t)i2d_X509(x, NULL);
	der = malloc(*len);
	q = der;
	i2d_X509(x, &q);
	return der;
}

/* A certificate of the CA that does not say it is a server's, or whose
 * key may not sign, does not make a receipt: a unit could have one. */
static void
test_signer_purpose(void **state)
{
	struct pki	*p = *state;
	const char	*errstr = NULL;
	uint8_t		*sig, *der;
	size_t		 siglen, derlen;

	assert_int_equal(receipt_signer_purpose(p->cert, &errstr), 0);
	assert_int_equal(receipt_signer_purpose(p->unit, &errstr), -1);
	assert_int_equal(receipt_signer_purpose(p->no_eku, &errstr), -1);
	assert_string_equal(errstr, "the certificate is not a server's (no "
	    "serverAuth extended key usage)");
	assert_int_equal(receipt_signer_purpose(p->no_sign, &errstr), -1);
	assert_string_equal(errstr, "the certificate's key may not sign (no "
	    "digitalSignature key usage)");

	sign(p->unit_key, &sample, &sig, &siglen);
	der = der_of(p->no_eku, &derlen);
	assert_int_equal(receipt_verify(&sample, sig, siglen, der, derlen,
	    p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "the certificate is not a server's (no "
	    "serverAuth extended key usage)");
	free(der);
	der = der_of(p->no_sign, &derlen);
	assert_int_equal(receipt_verify(&sample, sig, siglen, der, derlen,
	    p->ca_file, &errstr), -1);
	free(der);
	free(sig);
}

/* With the CA already loaded (as gp-client has it from the connection)
 * the verdicts are those of receipt_verify. */
static void
test_verify_x509(void **state)
{
	struct pki		*p = *state;
	struct receipt_fields	 f = sample;
	X509_STORE		*store = X509_STORE_new();
	const char		*errstr = NULL;
	uint8_t			*sig;
	size_t			 siglen;

	assert_non_null(store);
	assert_int_equal(X509_STORE_add_cert(store, p->ca), 1);
	sign(p->key, &sample, &sig, &siglen);
	assert_int_equal(receipt_verify_x509(&f, sig, siglen, p->cert, store,
	    &errstr), 0);
	f.unit = "lc-sinho";
	assert_int_equal(receipt_verify_x509(&f, sig, siglen, p->cert, store,
	    &errstr), -1);
	assert_string_equal(errstr, "the signature does not match the receipt");
	f = sample;
	assert_int_equal(receipt_verify_x509(&f, sig, siglen, p->other, store,
	    &errstr), -1);
	assert_string_not_equal(errstr,
	    "the signature does not match the receipt");
	X509_STORE_free(store);
	free(sig);
}

static void
test_payload_text(void **state)
{
	struct receipt_fields	 f = sample;
	char			 buf[RECEIPT_PAYLOAD_MAX];

	(void)state;
	assert_true(receipt_payload(&f, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "gp-receipt-v1\n"
	    "receipt=9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d\n"
	    "submission_id=3f0c2a1e-5d2a-8c47-9a53-7f0e1d2c3b4a\n"
	    "unit=lc-tamduong\nperiod=2022-H1\nrevision=2\n"
	    "report_sha256=5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2918"
	    "273645546372819\nreceived_at=2026-11-29T03:10:11Z\n");
	/* A field that would add a line of its own is refused. */
	f.unit = "lc-tamduong\nrevision=9";
	assert_int_equal(receipt_payload(&f, buf, sizeof(buf)), -1);
	f = sample;
	f.period = NULL;
	assert_int_equal(receipt_payload(&f, buf, sizeof(buf)), -1);
	assert_int_equal(receipt_payload(&sample, buf, 20), -1);
}

static const struct decision_fields decision_sample = {
	"5d0c2e9a4f1b3c7d8e6f0a2b4c6d8e0f", "lc-tamduong", "2022-H1", 1,
	"5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2918273645546372819",
	"return", "returned",
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"admin", "2026-12-05T03:10:11Z"
};

/* The decision's text (PROTOCOL.md): its own first line, one field a
 * line; a field that would add a line is refused. */
static void
test_decision_payload(void **state)
{
	struct decision_fields	 f = decision_sample;
	char			 buf[RECEIPT_PAYLOAD_MAX], hex[65];

	(void)state;
	assert_true(decision_payload(&f, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "gp-decision-v1\n"
	    "decision=5d0c2e9a4f1b3c7d8e6f0a2b4c6d8e0f\n"
	    "unit=lc-tamduong\nperiod=2022-H1\nrevision=1\n"
	    "report_sha256=5f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2918"
	    "273645546372819\naction=return\nstate=returned\n"
	    "comment_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	    "a495991b7852b855\ndecided_by=admin\n"
	    "decided_at=2026-12-05T03:10:11Z\n");
	assert_int_equal(decision_sha256_hex("", 0, hex), 0);
	assert_string_equal(hex, decision_sample.comment_sha256);
	f.state = "returned\nstate=accepted";
	assert_int_equal(decision_payload(&f, buf, sizeof(buf)), -1);
	f = decision_sample;
	f.decided_by = NULL;
	assert_int_equal(decision_payload(&f, buf, sizeof(buf)), -1);
}

/* A decision verifies as one; changed, or signed as a receipt, not. */
static void
test_decision_verify(void **state)
{
	struct pki		*p = *state;
	struct decision_fields	 f = decision_sample;
	EVP_MD_CTX		*md = EVP_MD_CTX_new();
	char			 payload[RECEIPT_PAYLOAD_MAX];
	const char		*errstr = NULL;
	uint8_t			*sig;
	size_t			 siglen;
	int			 n;

	n = decision_payload(&f, payload, sizeof(payload));
	assert_true(n > 0);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
	    p->key), 1);
	assert_int_equal(EVP_DigestSign(md, NULL, &siglen,
	    (unsigned char *)payload, (size_t)n), 1);
	sig = malloc(siglen);
	assert_int_equal(EVP_DigestSign(md, sig, &siglen,
	    (unsigned char *)payload, (size_t)n), 1);
	EVP_MD_CTX_free(md);
	assert_int_equal(decision_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), 0);
	f.state = "accepted";
	assert_int_equal(decision_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "the signature does not match the receipt");
	free(sig);
	/* A receipt's signature is no decision's. */
	sign(p->key, &sample, &sig, &siglen);
	f = decision_sample;
	assert_int_equal(decision_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);
	free(sig);
}

static void
test_verify_accepts_and_refuses(void **state)
{
	struct pki		*p = *state;
	struct receipt_fields	 f = sample;
	const char		*errstr = NULL;
	uint8_t			*sig, *other_sig, *odder;
	size_t			 siglen, other_len, odder_len;
	unsigned char		*q;

	sign(p->key, &sample, &sig, &siglen);
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), 0);

	/* One field changed: the revision, then one hex digit of the hash. */
	f.revision = 3;
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "the signature does not match the receipt");
	f = sample;
	f.report_sha256 = "6f2b7c0e9a41d3e8b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2918"
	    "273645546372819";
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);

	/* One byte of the signature changed. */
	f = sample;
	sig[siglen / 2] ^= 0x01;
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);
	sig[siglen / 2] ^= 0x01;

	/* Signed by another key, with the genuine certificate attached. */
	sign(p->other_key, &sample, &other_sig, &other_len);
	assert_int_equal(receipt_verify(&f, other_sig, other_len, p->der,
	    p->derlen, p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "the signature does not match the receipt");

	/* Signed by another key with its own certificate: no chain. */
	odder_len = (size_t)i2d_X509(p->other, NULL);
	odder = malloc(odder_len);
	q = odder;
	i2d_X509(p->other, &q);
	assert_int_equal(receipt_verify(&f, other_sig, other_len, odder,
	    odder_len, p->ca_file, &errstr), -1);
	assert_string_not_equal(errstr,
	    "the signature does not match the receipt");

	/* A unit signs a receipt of its own making with its client
	 * certificate, which chains to the same CA: refused. */
	free(odder);
	odder_len = (size_t)i2d_X509(p->unit, NULL);
	odder = malloc(odder_len);
	q = odder;
	i2d_X509(p->unit, &q);
	free(other_sig);
	sign(p->unit_key, &sample, &other_sig, &other_len);
	assert_int_equal(receipt_verify(&f, other_sig, other_len, odder,
	    odder_len, p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "the certificate is not a server's (no "
	    "serverAuth extended key usage)");

	/* Given before the certificate was valid: refused. */
	f.received_at = "1990-01-01T00:00:00Z";
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);
	assert_string_equal(errstr, "certificate is not yet valid");

	/* A time that is not RFC 3339 UTC. */
	f = sample;
	f.received_at = "2026-11-29 03:10:11";
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der, p->derlen,
	    p->ca_file, &errstr), -1);

	/* A certificate that does not decode. */
	assert_int_equal(receipt_verify(&f, sig, siglen, p->der,
	    p->derlen - 1, p->ca_file, &errstr), -1);
	assert_string_equal(errstr,
	    "the receipt's certificate does not decode");
	free(sig);
	free(other_sig);
	free(odder);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_text),
		cmocka_unit_test(test_decision_payload),
		cmocka_unit_test_setup_teardown(test_decision_verify, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_accepts_and_refuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_signer_purpose, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_x509, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
