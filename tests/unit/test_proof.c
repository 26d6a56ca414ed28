/*
 * proof_signer: the signer's name read from a receipt's certificate;
 * proof_check_receipt: a receipt as the server hands it over, checked
 * before gp-client keeps it; proof_check_report: a report against the
 * SHA-256 a receipt signs, packed for report forms or, for a receipt
 * issued before them, the old way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "receipt.h"
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

/* --- proof_check_receipt ----------------------------------------------- */

/* "Đường" in NFD: D-stroke, u + horn, o + horn + grave, n, g. */
#define DUONG_NFD	"\xc4\x90u\xcc\x9bo\xcc\x9b\xcc\x80ng"
#define SUBMISSION	"3f0c2a1e-5d2a-8c47-9a53-7f0e1d2c3b4a"

struct pki {
	EVP_PKEY	*ca_key, *key, *unit_key;
	X509		*ca, *server, *unit;
	X509_STORE	*store;
	uint8_t		*report;	/* packed, text in NFD */
	size_t		 len;
	char		 sha[65];	/* of those bytes */
	char		 nfc_sha[65];	/* of their NFC form */
};

static X509 *
issue(const char *cn, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
    const char *eku)
{
	X509		*x = X509_new();
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;

	assert_non_null(x);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ca == NULL ? 1 : 2);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(ca != NULL ? ca : x));
	X509V3_set_ctx(&ctx, ca != NULL ? ca : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	    ca == NULL ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (eku != NULL) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, eku);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, ca_key, EVP_sha256()) > 0);
	return x;
}

static int
pki_setup(void **state)
{
	struct pki		*p = calloc(1, sizeof(*p));
	Gp__Report		 r = GP__REPORT__INIT;
	Gp__Narrative		 n = GP__NARRATIVE__INIT;
	struct report_errors	*errs = calloc(1, sizeof(*errs));
	struct report		*model = NULL;
	const char		*errstr;
	uint8_t			 h[32];

	assert_non_null(p);
	assert_non_null(errs);
	p->ca_key = EVP_EC_gen("P-256");
	p->key = EVP_EC_gen("P-256");
	p->unit_key = EVP_EC_gen("P-256");
	p->ca = issue("gp test CA", p->ca_key, NULL, p->ca_key, NULL);
	p->server = issue("localhost", p->key, p->ca, p->ca_key, "serverAuth");
	p->unit = issue("lc-tamduong", p->unit_key, p->ca, p->ca_key,
	    "clientAuth");
	assert_non_null(p->store = X509_STORE_new());
	assert_int_equal(X509_STORE_add_cert(p->store, p->ca), 1);

	r.has_id = r.has_unit = r.has_period = 1;
	r.id.data = (uint8_t *)(uintptr_t)SUBMISSION;
	r.id.len = strlen(SUBMISSION);
	r.unit.data = (uint8_t *)(uintptr_t)"lc-tamduong";
	r.unit.len = strlen("lc-tamduong");
	r.period.data = (uint8_t *)(uintptr_t)"2022-H1";
	r.period.len = strlen("2022-H1");
	n.has_results = 1;
	n.results.data = (uint8_t *)(uintptr_t)DUONG_NFD;
	n.results.len = strlen(DUONG_NFD);
	r.narrative = &n;
	p->len = gp__report__get_packed_size(&r);
	assert_non_null(p->report = malloc(p->len));
	gp__report__pack(&r, p->report);
	assert_int_equal(proof_sha256_hex(p->report, p->len, p->sha), 0);
	assert_int_equal(report_unpack(p->report, p->len, &model, NULL, errs,
	    &errstr), 0);
	assert_int_equal(report_normalize(model), 0);
	assert_int_equal(report_hash(model, h), 0);
	report_hex(h, sizeof(h), p->nfc_sha);
	assert_string_not_equal(p->sha, p->nfc_sha);
	report_free(model);
	free(errs);
	*state = p;
	return 0;
}

static int
pki_teardown(void **state)
{
	struct pki	*p = *state;

	free(p->report);
	X509_STORE_free(p->store);
	X509_free(p->ca);
	X509_free(p->server);
	X509_free(p->unit);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->key);
	EVP_PKEY_free(p->unit_key);
	free(p);
	return 0;
}

/* A receipt for the report, its fields in f's strings, signed by key
 * with cert attached (all owned by the caller but the two buffers,
 * freed by receipt_clear). */
struct signed_receipt {
	Gp__Receipt	 rc;
	uint8_t		 sig[256];
	unsigned char	*der;
	char		 at[32];	/* now, within the certificates */
};

static void
receipt_make(struct signed_receipt *s, const char *sha, EVP_PKEY *key,
    X509 *cert)
{
	struct receipt_fields	 f;
	EVP_MD_CTX		*md = EVP_MD_CTX_new();
	char			 payload[RECEIPT_PAYLOAD_MAX];
	size_t			 siglen = sizeof(s->sig);
	time_t			 now = time(NULL);
	struct tm		 tm;
	int			 n;

	assert_non_null(gmtime_r(&now, &tm));
	assert_true(strftime(s->at, sizeof(s->at), "%Y-%m-%dT%H:%M:%SZ",
	    &tm) > 0);
	gp__receipt__init(&s->rc);
	s->rc.receipt = (char *)(uintptr_t)"9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d";
	s->rc.submission_id = (char *)(uintptr_t)SUBMISSION;
	s->rc.unit = (char *)(uintptr_t)"lc-tamduong";
	s->rc.period = (char *)(uintptr_t)"2022-H1";
	s->rc.has_revision = 1;
	s->rc.revision = 1;
	s->rc.received_at = s->at;
	s->rc.report_sha256 = (char *)(uintptr_t)sha;
	memset(&f, 0, sizeof(f));
	f.receipt = s->rc.receipt;
	f.submission_id = s->rc.submission_id;
	f.unit = s->rc.unit;
	f.period = s->rc.period;
	f.revision = s->rc.revision;
	f.report_sha256 = s->rc.report_sha256;
	f.received_at = s->rc.received_at;
	assert_true((n = receipt_payload(&f, payload, sizeof(payload))) > 0);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key),
	    1);
	assert_int_equal(EVP_DigestSign(md, s->sig, &siglen,
	    (unsigned char *)payload, (size_t)n), 1);
	EVP_MD_CTX_free(md);
	s->rc.has_signature = 1;
	s->rc.signature.data = s->sig;
	s->rc.signature.len = siglen;
	s->der = NULL;
	n = i2d_X509(cert, &s->der);
	assert_true(n > 0);
	s->rc.has_certificate = 1;
	s->rc.certificate.data = s->der;
	s->rc.certificate.len = (size_t)n;
}

static void
receipt_clear(struct signed_receipt *s)
{
	OPENSSL_free(s->der);
}

static void
test_receipt_checked(void **state)
{
	struct pki		*p = *state;
	struct signed_receipt	 s;
	struct proof_expect	 want = { SUBMISSION, "lc-tamduong", "2022-H1",
				    NULL, NULL, 0 };
	const char		*why = NULL;

	want.report_sha256 = p->sha;
	want.report = p->report;
	want.len = p->len;
	receipt_make(&s, p->sha, p->key, p->server);
	/* Decoded from the receipt, or the connection's own certificate. */
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), 0);
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store,
	    p->server, &why), 0);
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, p->ca,
	    &why), 0);
	assert_int_equal(proof_check_receipt(&s.rc, &want, NULL, NULL, &why),
	    -1);
	assert_string_equal(why, "no CA certificate to check it against");

	/* For another report than the one sent. */
	want.submission_id = "00000000-0000-8000-8000-000000000000";
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "it is for another submission");
	want.submission_id = SUBMISSION;
	want.unit = "lc-sinho";
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "it is for another unit or period");
	want.unit = "lc-tamduong";
	want.period = "2022";
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	want.period = "2022-H1";
	want.report_sha256 = p->nfc_sha;
	want.report = NULL;
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "it covers other content than the report "
	    "sent");
	want.report_sha256 = p->sha;
	want.report = p->report;

	/* A field changed after signing; then none signed at all. */
	s.rc.revision = 2;
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "the signature does not match the receipt");
	s.rc.revision = 1;
	s.rc.has_signature = 0;
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "the server did not sign it");
	s.rc.has_signature = 1;
	s.rc.received_at = NULL;
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "a field of it is missing");
	s.rc.certificate.len--;
	s.rc.received_at = s.at;
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "its certificate does not decode");
	receipt_clear(&s);

	/* Signed by a unit's certificate of the same CA. */
	receipt_make(&s, p->sha, p->unit_key, p->unit);
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), -1);
	assert_string_equal(why, "the certificate is not a server's (no "
	    "serverAuth extended key usage)");
	receipt_clear(&s);
}

/* A report queued before gp-client sent NFC: the server hashed its NFC
 * form, and verify-receipt would accept that. */
static void
test_receipt_nfc(void **state)
{
	struct pki		*p = *state;
	struct signed_receipt	 s;
	struct proof_expect	 want = { SUBMISSION, "lc-tamduong", "2022-H1",
				    NULL, NULL, 0 };
	const char		*why = NULL;

	want.report_sha256 = p->sha;
	want.report = p->report;
	want.len = p->len;
	receipt_make(&s, p->nfc_sha, p->key, p->server);
	assert_int_equal(proof_check_receipt(&s.rc, &want, p->store, NULL,
	    &why), 0);
	receipt_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_names),
		cmocka_unit_test(test_signer_damaged),
		cmocka_unit_test(test_report_either_encoding),
	};
	const struct CMUnitTest receipts[] = {
		cmocka_unit_test(test_receipt_checked),
		cmocka_unit_test(test_receipt_nfc),
	};

	return cmocka_run_group_tests(tests, setup, teardown) |
	    cmocka_run_group_tests(receipts, pki_setup, pki_teardown);
}
