/*
 * Signed receipts on gp-client's side (proof.h): reading a receipt file,
 * and the checks of verify-receipt and show --receipt. The signature and
 * the chain are checked by receipt_verify (proto/receipt.c), the code gpd
 * signs with; this file adds what a holder needs around it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gp.pb-c.h"
#include "i18n.h"
#include "receipt.h"
#include "report.h"
#include "text.h"
#include "pem.h"
#include "cause.h"
#include "fmt.h"
#include "proof.h"

#define PROOF_PREFIX	"gp-client: "

/* The members a receipt file may have; the first ones are required. */
static const char *const proof_keys[] = {
	"receipt", "id", "unit", "period", "revision", "received_at",
	"report_sha256", "signature", "certificate",
	"status", "duplicate", "late", "warnings", "back_under_review",
	"latest_revision"
};
#define PROOF_NREQUIRED	9

/* "a", or "" for NULL: for comparing text that may be absent. */
static const char *
proof_text(const char *s)
{
	return s != NULL ? s : "";
}

/* Whether a and b are the same text, in NFC (text.h): a unit code or a
 * period typed with decomposed marks is the same as its precomposed
 * twin. */
static int
proof_equal(const char *a, const char *b)
{
	char	*na, *nb;
	int	 same;

	a = proof_text(a);
	b = proof_text(b);
	if (strcmp(a, b) == 0)
		return 1;
	na = text_nfc(a, strlen(a), NULL);
	nb = text_nfc(b, strlen(b), NULL);
	same = na != NULL && nb != NULL && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

void
proof_free(struct proof *p)
{
	if (p == NULL)
		return;
	free(p->path);
	free(p->receipt);
	free(p->submission_id);
	free(p->unit);
	free(p->period);
	free(p->received_at);
	free(p->report_sha256);
	free(p->signature);
	free(p->certificate);
	free(p->action);
	free(p->state);
	free(p->comment);
	free(p->decided_by);
	free(p);
}

void
proof_fields(const struct proof *p, struct receipt_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->receipt = p->receipt;
	f->submission_id = p->submission_id;
	f->unit = p->unit;
	f->period = p->period;
	f->revision = p->revision;
	f->report_sha256 = p->report_sha256;
	f->received_at = p->received_at;
}

int
proof_decision_fields(const struct proof *p, struct decision_fields *f,
    char comment_sha256[65])
{
	const char	*c = p->comment != NULL ? p->comment : "";

	memset(f, 0, sizeof(*f));
	if (decision_sha256_hex(c, strlen(c), comment_sha256) == -1)
		return -1;
	f->decision = p->receipt;
	f->unit = p->unit;
	f->period = p->period;
	f->revision = p->revision;
	f->report_sha256 = p->report_sha256;
	f->action = p->action;
	f->state = p->state;
	f->comment_sha256 = comment_sha256;
	f->decided_by = p->decided_by;
	f->decided_at = p->received_at;
	return 0;
}

int
proof_sha256_hex(const uint8_t *buf, size_t len, char out[65])
{
	uint8_t		h[32];
	unsigned int	n = sizeof(h);

	if (EVP_Digest(buf, len, h, &n, EVP_sha256(), NULL) != 1)
		return -1;
	report_hex(h, sizeof(h), out);
	return 0;
}

/* --- the file ------------------------------------------------------------ */

/*
 * Reads at most PROOF_FILE_MAX bytes of path ("-": standard input).
 * Returns 0, or an exit status with *cause.
 */
static int
proof_slurp(const char *path, char **out, size_t *len, char **cause)
{
	FILE	*f;
	char	*buf;
	size_t	 n;
	int	 saved;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		saved = errno;
		cause_set(cause, _("cannot read the receipt %s: %s; check the "
		    "file name"), path, strerror(saved));
		return EX_NOINPUT;
	}
	if ((buf = malloc(PROOF_FILE_MAX + 1)) == NULL) {
		if (f != stdin)
			fclose(f);
		*cause = NULL;
		return EX_OSERR;
	}
	n = fread(buf, 1, PROOF_FILE_MAX + 1, f);
	saved = errno;
	if (ferror(f)) {
		cause_set(cause, _("cannot read the receipt %s: %s"), path,
		    strerror(saved));
		if (f != stdin)
			fclose(f);
		free(buf);
		return EX_NOINPUT;
	}
	if (f != stdin)
		fclose(f);
	if (n > PROOF_FILE_MAX) {
		cause_set(cause, _("%s is longer than %d bytes: it is not a "
		    "receipt"), path, PROOF_FILE_MAX);
		free(buf);
		return EX_DATAERR;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* A required text member, copied. Returns 0 or -1 with *what. */
static int
proof_string(json_t *o, const char *key, char **out, const char **what)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;

	if (v == NULL) {
		*what = N_("is missing");
		return -1;
	}
	if (!json_is_string(v) || (s = json_string_value(v))[0] == '\0') {
		*what = N_("is not a non-empty string");
		return -1;
	}
	if ((*out = strdup(s)) == NULL) {
		*what = N_("cannot be kept: out of memory");
		return -1;
	}
	return 0;
}

/* 64 lower-case hex digits, as gpd writes a SHA-256. */
static int
proof_is_sha256(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

/* The optional members, checked for their type only: they are not
 * signed, and verify-receipt does not rely on them. */
static int
proof_optional(json_t *o, const char **key, const char **what)
{
	json_t	*v, *w;
	size_t	 i;

	if ((v = json_object_get(o, "status")) != NULL &&
	    (!json_is_string(v) ||
	    strcmp(json_string_value(v), "accepted") != 0)) {
		*key = "status";
		*what = N_("is not \"accepted\"");
		return -1;
	}
	if ((v = json_object_get(o, "duplicate")) != NULL &&
	    !json_is_boolean(v)) {
		*key = "duplicate";
		*what = N_("is not true or false");
		return -1;
	}
	if ((v = json_object_get(o, "late")) != NULL && !json_is_boolean(v)) {
		*key = "late";
		*what = N_("is not true or false");
		return -1;
	}
	if ((v = json_object_get(o, "warnings")) != NULL) {
		if (!json_is_array(v)) {
			*key = "warnings";
			*what = N_("is not an array");
			return -1;
		}
		json_array_foreach(v, i, w) {
			if (!json_is_string(w)) {
				*key = "warnings";
				*what = N_("holds something that is not a "
				    "string");
				return -1;
			}
		}
	}
	return 0;
}

/* The members of the object o into p. Returns 0, or -1 with *key and
 * *what naming the problem. */
static int
proof_members(json_t *o, struct proof *p, const char **key,
    const char **what)
{
	struct {
		const char	 *key;
		char		**out;
	}		 texts[] = {
		{ "receipt", NULL }, { "id", NULL }, { "unit", NULL },
		{ "period", NULL }, { "received_at", NULL },
		{ "report_sha256", NULL }
	};
	const char	*k, *errstr;
	json_t		*v;
	json_int_t	 n;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < sizeof(proof_keys) / sizeof(proof_keys[0]); i++)
			if (strcmp(k, proof_keys[i]) == 0)
				break;
		if (i == sizeof(proof_keys) / sizeof(proof_keys[0])) {
			*key = k;
			*what = N_("is not a field of a receipt");
			return -1;
		}
	}
	for (i = 0; i < PROOF_NREQUIRED; i++)
		if (json_object_get(o, proof_keys[i]) == NULL) {
			*key = proof_keys[i];
			*what = N_("is missing");
			return -1;
		}
	texts[0].out = &p->receipt;
	texts[1].out = &p->submission_id;
	texts[2].out = &p->unit;
	texts[3].out = &p->period;
	texts[4].out = &p->received_at;
	texts[5].out = &p->report_sha256;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		*key = texts[i].key;
		if (proof_string(o, texts[i].key, texts[i].out, what) == -1)
			return -1;
	}
	if (!proof_is_sha256(p->report_sha256)) {
		*key = "report_sha256";
		*what = N_("is not 64 lower-case hex digits");
		return -1;
	}
	v = json_object_get(o, *key = "revision");
	if (!json_is_integer(v) || (n = json_integer_value(v)) < 1 ||
	    n > UINT32_MAX) {
		*what = N_("is not a revision number");
		return -1;
	}
	p->revision = (uint32_t)n;

	v = json_object_get(o, *key = "signature");
	if (json_is_null(v)) {
		*what = N_("is null: the server did not sign this receipt, so "
		    "it proves nothing");
		return -1;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		*what = N_("is not a base64 string");
		return -1;
	}
	if (pem_base64_decode(json_string_value(v), json_string_length(v),
	    &p->signature, &p->signature_len, &errstr) == -1) {
		*what = errstr;
		return -1;
	}
	v = json_object_get(o, *key = "certificate");
	if (!json_is_string(v)) {
		*what = N_("is not a PEM certificate");
		return -1;
	}
	if (pem_cert_decode(json_string_value(v), &p->certificate,
	    &p->certificate_len, &errstr) == -1) {
		*what = errstr;
		return -1;
	}
	return proof_optional(o, key, what);
}

/* The members of a decision file (admin_decision_json) into p. */
static int
proof_decision_members(json_t *o, struct proof *p, const char **key,
    const char **what)
{
	static const char *const keys[] = {
		"kind", "decision", "unit", "period", "revision", "action",
		"state", "decided_by", "decided_at", "report_sha256",
		"signature", "certificate", "comment"
	};
	struct {
		const char	 *key;
		char		**out;
	}		 texts[9];
	const char	*k, *errstr;
	json_t		*v;
	json_int_t	 n;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			*key = k;
			*what = N_("is not a field of a decision");
			return -1;
		}
	}
	p->decision = 1;
	texts[0].key = "decision";	texts[0].out = &p->receipt;
	texts[1].key = "unit";		texts[1].out = &p->unit;
	texts[2].key = "period";	texts[2].out = &p->period;
	texts[3].key = "action";	texts[3].out = &p->action;
	texts[4].key = "state";		texts[4].out = &p->state;
	texts[5].key = "decided_by";	texts[5].out = &p->decided_by;
	texts[6].key = "decided_at";	texts[6].out = &p->received_at;
	texts[7].key = "report_sha256";	texts[7].out = &p->report_sha256;
	for (i = 0; i < 8; i++) {
		*key = texts[i].key;
		if (proof_string(o, texts[i].key, texts[i].out, what) == -1)
			return -1;
	}
	if (!proof_is_sha256(p->report_sha256)) {
		*key = "report_sha256";
		*what = N_("is not 64 lower-case hex digits");
		return -1;
	}
	v = json_object_get(o, *key = "comment");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v)) {
			*what = N_("is not a string");
			return -1;
		}
		if ((p->comment = strdup(json_string_value(v))) == NULL) {
			*what = N_("cannot be kept: out of memory");
			return -1;
		}
	}
	v = json_object_get(o, *key = "revision");
	if (!json_is_integer(v) || (n = json_integer_value(v)) < 1 ||
	    n > UINT32_MAX) {
		*what = N_("is not a revision number");
		return -1;
	}
	p->revision = (uint32_t)n;
	v = json_object_get(o, *key = "signature");
	if (v == NULL || json_is_null(v)) {
		*what = N_("is missing: the server did not sign this "
		    "decision, so it proves nothing");
		return -1;
	}
	if (!json_is_string(v) || pem_base64_decode(json_string_value(v),
	    json_string_length(v), &p->signature, &p->signature_len,
	    &errstr) == -1) {
		*what = N_("is not a base64 signature");
		return -1;
	}
	v = json_object_get(o, *key = "certificate");
	if (!json_is_string(v) || pem_cert_decode(json_string_value(v),
	    &p->certificate, &p->certificate_len, &errstr) == -1) {
		*what = N_("is not a PEM certificate");
		return -1;
	}
	return 0;
}

int
proof_read(const char *path, struct proof **out, char **cause)
{
	struct proof	*p;
	json_t		*o;
	json_error_t	 jerr;
	const char	*key = NULL, *what = NULL;
	char		*text;
	size_t		 len;
	int		 status;

	*out = NULL;
	*cause = NULL;
	if ((status = proof_slurp(path, &text, &len, cause)) != 0)
		return status;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (o == NULL) {
		cause_set(cause, _("%s:%d:%d: %s; a receipt file is the JSON "
		    "object 'gp-client --json submit' prints"), path, jerr.line,
		    jerr.column, jerr.text);
		return EX_DATAERR;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		cause_set(cause, _("%s is not a JSON object; a receipt file is "
		    "the object 'gp-client --json submit' prints"), path);
		return EX_DATAERR;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->path = strdup(path)) == NULL) {
		json_decref(o);
		proof_free(p);
		return EX_OSERR;
	}
	if (json_is_string(json_object_get(o, "kind")) &&
	    strcmp(json_string_value(json_object_get(o, "kind")),
	    "decision") == 0) {
		if (proof_decision_members(o, p, &key, &what) == -1) {
			/* TRANSLATORS: the file; a field of the decision;
			 * what is wrong with it ("is missing"). */
			cause_set(cause, _("%s: \"%s\" %s; this is not a "
			    "decision as gp-client wrote it"), path, key,
			    _(what));
			json_decref(o);
			proof_free(p);
			return EX_DATAERR;
		}
	} else if (proof_members(o, p, &key, &what) == -1) {
		/* TRANSLATORS: the file; a field of the receipt; what is
		 * wrong with it ("is missing"). */
		cause_set(cause, _("%s: \"%s\" %s; this is not a receipt as "
		    "gp-client wrote it"), path, key, _(what));
		json_decref(o);
		proof_free(p);
		return EX_DATAERR;
	}
	json_decref(o);
	*out = p;
	return 0;
}

int
proof_json_set(json_t *o, const char *report_sha256, const uint8_t *sig,
    size_t siglen, const uint8_t *cert, size_t certlen)
{
	char	*s;
	int	 rv;

	/* From a server, perhaps not hex nor even UTF-8: repaired. */
	if (json_object_set_new(o, "report_sha256",
	    fmt_json_text(report_sha256)) == -1)
		return -1;
	if (sig == NULL || siglen == 0)
		rv = json_object_set_new(o, "signature", json_null());
	else if ((s = pem_base64_encode(sig, siglen)) == NULL)
		return -1;
	else {
		rv = json_object_set_new(o, "signature", json_string(s));
		free(s);
	}
	if (rv == -1)
		return -1;
	if (cert == NULL || certlen == 0)
		return json_object_set_new(o, "certificate", json_null());
	if ((s = pem_cert_encode(cert, certlen)) == NULL)
		return -1;
	rv = json_object_set_new(o, "certificate", json_string(s));
	free(s);
	return rv;
}

/* --- saying what was found --------------------------------------------- */

void
proof_out_init(struct proof_out *po, int json)
{
	po->json = json;
	po->checks = json ? json_array() : NULL;
}

void
proof_out_clear(struct proof_out *po)
{
	json_decref(po->checks);
	po->checks = NULL;
}

/* A check's name as a person reads it; --json keeps the name. */
static const char *
proof_label(const char *name)
{
	if (strcmp(name, "certificate") == 0)
		return C_("receipt check", "certificate");
	if (strcmp(name, "signature") == 0)
		return C_("receipt check", "signature");
	if (strcmp(name, "report") == 0)
		return C_("receipt check", "report");
	if (strcmp(name, "receipt") == 0)
		return C_("receipt check", "receipt");
	if (strcmp(name, "server") == 0)
		return C_("receipt check", "server");
	if (strcmp(name, "recorded") == 0)
		return C_("receipt check", "recorded");
	if (strcmp(name, "stored report") == 0)
		return C_("receipt check", "stored report");
	return name;
}

void
proof_say(struct proof_out *po, const char *name, int ok, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (po->json) {
		if (po->checks != NULL)
			json_array_append_new(po->checks, json_pack("{s:s, "
			    "s:s, s:o}", "check", name, "result", ok ? "ok" :
			    "fail", "message", fmt_json_text(s)));
	} else {
		fmt_put(stdout, proof_label(name), 0, FMT_LEFT);
		fputs(": ", stdout);
		fmt_put(stdout, s != NULL ? s : _("(out of memory)"), 0,
		    FMT_LEFT);
		fputc('\n', stdout);
	}
	free(s);
}

int
proof_out_end(struct proof_out *po, const struct proof *p, int status,
    const char *verdict, const char *sentence)
{
	json_t	*o;
	char	*line;

	if (status != 0) {
		if (sentence == NULL)
			sentence = _("out of memory");
		fputs(PROOF_PREFIX, stderr);
		fmt_put(stderr, sentence, 0, FMT_LEFT);
		fputc('\n', stderr);
	}
	if (!po->json) {
		if (status == 0) {
			/* TRANSLATORS: what was verified, such as
			 * "lc-tamduong 2022-H1 revision 1 received ...". */
			if (asprintf(&line, _("verified: %s"), verdict) == -1)
				line = NULL;
			fmt_put(stdout, line != NULL ? line : verdict, 0,
			    FMT_LEFT);
			fputc('\n', stdout);
			free(line);
		}
		return status;
	}
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "status", status == 0 ? "verified" : "failed",
	    "receipt", fmt_json_text(p != NULL ? p->receipt : NULL),
	    "id", fmt_json_text(p != NULL ? p->submission_id : NULL),
	    "unit", fmt_json_text(p != NULL ? p->unit : NULL),
	    "period", fmt_json_text(p != NULL ? p->period : NULL),
	    "revision", p != NULL ? json_integer(p->revision) : json_null(),
	    "received_at", fmt_json_text(p != NULL ? p->received_at : NULL),
	    "report_sha256", fmt_json_text(p != NULL ? p->report_sha256 :
	    NULL),
	    "message", fmt_json_text(status == 0 ? verdict : sentence),
	    "checks", po->checks != NULL ? po->checks : json_array());
	po->checks = NULL;
	if (o != NULL && status != 0 && json_object_set_new(o, "code",
	    json_string(status == EX_DATAERR ? "invalid" : status ==
	    EX_CONFIG ? "config" : status == EX_NOINPUT ? "no_input" :
	    "error")) == -1) {
		json_decref(o);
		o = NULL;
	}
	if (o == NULL || fmt_json_dumpf(o, stdout, JSON_COMPACT) == -1)
		fprintf(stderr, "%s%s\n", PROOF_PREFIX, _("out of memory"));
	else
		fputc('\n', stdout);
	json_decref(o);
	return status;
}

/* --- the certificate and the signature ----------------------------------- */

/* The subject's CN and the end of validity, for the certificate line. */
static void
proof_cert_names(X509 *x, char *cn, size_t cnlen, char *until,
    size_t untillen)
{
	struct tm	tm;

	snprintf(cn, cnlen, "?");
	snprintf(until, untillen, "?");
	if (x == NULL)
		return;
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x),
	    NID_commonName, cn, (int)cnlen) < 0)
		snprintf(cn, cnlen, "?");
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		strftime(until, untillen, "%Y-%m-%d", &tm);
}

/*
 * One DER element at *p, within end: its contents' length into *len, *p
 * left on the contents. Returns 0, or -1 when it does not fit.
 */
static int
proof_der_next(const unsigned char **p, const unsigned char *end, long *len,
    int *tag, int *class)
{
	/* 0x80: an error; 0x01: indefinite length, which DER has not */
	if (*p >= end || (ASN1_get_object(p, len, tag, class, end - *p) &
	    0x81) != 0 || *len > end - *p)
		return -1;
	return 0;
}

/*
 * Only the subject is decoded: decoding the whole certificate would
 * decode its public key too, which costs OpenSSL 3 more than the rest of
 * printing a receipt. Certificate = SEQUENCE { tbsCertificate SEQUENCE {
 * [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 * subject, ... }, ... }.
 */
int
proof_signer(const uint8_t *der, size_t len, char *cn, size_t cnlen)
{
	const unsigned char	*p = der, *end, *name;
	X509_NAME		*subject;
	long			 n;
	int			 tag, class, i, rv = -1;

	if (len > LONG_MAX || cnlen > INT_MAX)
		return -1;
	end = der + len;
	if (proof_der_next(&p, end, &n, &tag, &class) == -1 ||
	    tag != V_ASN1_SEQUENCE)
		goto done;
	end = p + n;
	if (proof_der_next(&p, end, &n, &tag, &class) == -1 ||
	    tag != V_ASN1_SEQUENCE)
		goto done;
	end = p + n;
	/* version (when present), serial, signature, issuer, validity */
	for (i = 0; i < 5; i++) {
		if (proof_der_next(&p, end, &n, &tag, &class) == -1)
			goto done;
		if (i == 0 && !(class == V_ASN1_CONTEXT_SPECIFIC && tag == 0))
			i++;	/* no version: that was the serial */
		p += n;
	}
	name = p;
	if (proof_der_next(&p, end, &n, &tag, &class) == -1 ||
	    tag != V_ASN1_SEQUENCE)
		goto done;
	p = name;
	if ((subject = d2i_X509_NAME(NULL, &p, end - name)) == NULL)
		goto done;
	rv = X509_NAME_get_text_by_NID(subject, NID_commonName, cn,
	    (int)cnlen) < 0 ? -1 : 0;
	X509_NAME_free(subject);
done:
	ERR_clear_error();
	return rv;
}

/* receipt_verify's reasons once the chain was found good. */
static int
proof_signature_stage(const char *errstr)
{
	return strcmp(errstr, "the signature does not match the receipt") ==
	    0 || strcmp(errstr, "cannot use the certificate's key") == 0;
}

int
proof_verify(struct proof_out *po, const struct proof *p,
    const char *ca_file, char **cause)
{
	struct receipt_fields	 f;
	struct decision_fields	 df;
	const unsigned char	*d = p->certificate;
	X509			*x;
	const char		*errstr = "?", *why;
	char			 cn[256], until[32], csha[65];
	int			 rv, status = EX_DATAERR;

	*cause = NULL;
	x = d2i_X509(NULL, &d, (long)p->certificate_len);
	proof_cert_names(x, cn, sizeof(cn), until, sizeof(until));
	if (p->decision) {
		if (proof_decision_fields(p, &df, csha) == -1) {
			X509_free(x);
			return EX_OSERR;
		}
		rv = decision_verify(&df, p->signature, p->signature_len,
		    p->certificate, p->certificate_len, ca_file, &errstr);
	} else {
		proof_fields(p, &f);
		rv = receipt_verify(&f, p->signature, p->signature_len,
		    p->certificate, p->certificate_len, ca_file, &errstr);
	}

	if (rv == -1 && strcmp(errstr, "cannot load the CA file") == 0) {
		cause_set(cause, _("cannot load the CA certificate %s: check "
		    "--ca or 'ca' in the configuration file"), ca_file);
		status = EX_CONFIG;
	} else if (rv == -1 && strcmp(errstr, "out of memory") == 0) {
		status = EX_OSERR;
	} else if (rv == -1 && strcmp(errstr, "the receipt lacks a "
	    "field") == 0) {
		proof_say(po, "receipt", 0, _("a field holds a line break"));
		cause_set(cause, _("%s: a field holds a line break, which gpd "
		    "never signs: the file was changed"), p->path);
	} else if (x == NULL || (rv == -1 && strcmp(errstr, "the receipt's "
	    "certificate does not decode") == 0)) {
		proof_say(po, "certificate", 0, _("is not a certificate"));
		cause_set(cause, _("%s: the certificate in it does not decode: "
		    "the file was changed; do not accept it as proof"),
		    p->path);
	} else if (receipt_signer_purpose(x, &why) == -1) {
		/* A unit's client certificate chains to the same CA: with
		 * its own key a unit could sign any receipt it likes
		 * (receipt_verify refuses it too; this says why). */
		proof_say(po, "certificate", 0, _("CN=%s is not a server "
		    "certificate: %s"), cn, _(why));
		cause_set(cause, _("%s is signed with CN=%s, which is not a "
		    "server certificate (%s; a unit's, perhaps): gpd never "
		    "signs with it; do not accept it as proof"), p->path, cn,
		    _(why));
	} else if (rv == -1 && !proof_signature_stage(errstr)) {
		proof_say(po, "certificate", 0, _("does not chain to the CA "
		    "in %s: %s"), ca_file, _(errstr));
		cause_set(cause, _("%s was not signed by a server of the CA "
		    "in %s (its certificate, CN=%s: %s): do not accept it as "
		    "proof"), p->path, ca_file, cn, _(errstr));
	} else {
		proof_say(po, "certificate", 1, _("chains to CA (CN=%s, valid "
		    "until %s)"), cn, until);
		if (rv == 0) {
			proof_say(po, "signature", 1, _("valid"));
			status = 0;
		} else {
			proof_say(po, "signature", 0, _("does not match the "
			    "receipt's fields"));
			cause_set(cause, _("%s: the signature does not match "
			    "the receipt's fields: it was changed after the "
			    "server signed it, or signed by another key; do "
			    "not accept it as proof"), p->path);
		}
	}
	X509_free(x);
	ERR_clear_error();
	return status;
}

/* Whether x is the certificate whose DER is der: one decoded already. */
static int
proof_same_cert(X509 *x, const uint8_t *der, size_t len)
{
	unsigned char	*buf = NULL;
	int		 n, same;

	if ((n = i2d_X509(x, &buf)) < 0)
		return 0;
	same = (size_t)n == len && memcmp(buf, der, len) == 0;
	OPENSSL_free(buf);
	return same;
}

/*
 * Whether the report packed in buf hashes to hex once in NFC, or packed
 * as gp/1 packed it before report forms: the first receipt of a revision
 * stored then, given again for a duplicate, covers those bytes.
 */
static int
proof_nfc_sha256(const uint8_t *buf, size_t len, const char *hex)
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	const char		*errstr;
	uint8_t			 h[32], *old = NULL;
	char			 mine[65];
	size_t			 oldlen;
	int			 same = 0;

	if (buf == NULL || (errs = calloc(1, sizeof(*errs))) == NULL)
		return 0;
	if (report_unpack(buf, len, &r, NULL, errs, &errstr) == 0 &&
	    report_normalize(r) == 0 && report_hash(r, h) == 0) {
		report_hex(h, sizeof(h), mine);
		same = strcmp(mine, hex) == 0;
		if (!same && report_legacy_pack(r, &old, &oldlen) == 1 &&
		    report_digest(old, oldlen, h) == 0) {
			report_hex(h, sizeof(h), mine);
			same = strcmp(mine, hex) == 0;
		}
	}
	free(old);
	report_free(r);
	free(errs);
	return same;
}

int
proof_check_receipt(const Gp__Receipt *rc, const struct proof_expect *want,
    X509_STORE *store, X509 *peer, const char **why)
{
	struct receipt_fields	 f;
	const unsigned char	*d;
	X509			*x, *decoded = NULL;
	int			 rv;

	if (rc->receipt == NULL || rc->submission_id == NULL ||
	    rc->unit == NULL || rc->period == NULL || !rc->has_revision ||
	    rc->received_at == NULL || rc->report_sha256 == NULL) {
		*why = "a field of it is missing";
		return -1;
	}
	if (!rc->has_signature || rc->signature.len == 0 ||
	    !rc->has_certificate || rc->certificate.len == 0) {
		*why = "the server did not sign it";
		return -1;
	}
	if (!proof_equal(rc->submission_id, want->submission_id)) {
		*why = "it is for another submission";
		return -1;
	}
	if (!proof_equal(rc->unit, want->unit) ||
	    !proof_equal(rc->period, want->period)) {
		*why = "it is for another unit or period";
		return -1;
	}
	if (strcmp(rc->report_sha256, want->report_sha256) != 0 &&
	    !proof_nfc_sha256(want->report, want->len, rc->report_sha256)) {
		*why = "it covers other content than the report sent";
		return -1;
	}
	if (store == NULL) {
		*why = "no CA certificate to check it against";
		return -1;
	}
	if (peer != NULL && proof_same_cert(peer, rc->certificate.data,
	    rc->certificate.len))
		x = peer;
	else {
		d = rc->certificate.data;
		if (rc->certificate.len > LONG_MAX ||
		    (decoded = d2i_X509(NULL, &d,
		    (long)rc->certificate.len)) == NULL ||
		    d != rc->certificate.data + rc->certificate.len) {
			X509_free(decoded);
			ERR_clear_error();
			*why = "its certificate does not decode";
			return -1;
		}
		x = decoded;
	}
	memset(&f, 0, sizeof(f));
	f.receipt = rc->receipt;
	f.submission_id = rc->submission_id;
	f.unit = rc->unit;
	f.period = rc->period;
	f.revision = rc->revision;
	f.report_sha256 = rc->report_sha256;
	f.received_at = rc->received_at;
	rv = receipt_verify_x509(&f, rc->signature.data, rc->signature.len, x,
	    store, why);
	X509_free(decoded);
	return rv;
}

/* --- the report ---------------------------------------------------------- */

int
proof_check_report(struct proof_out *po, const struct proof *p,
    struct report *r, const char *path, char **cause)
{
	uint8_t	h[32], *old;
	char	hex[65], oldhex[65];
	size_t	oldlen;

	*cause = NULL;
	if (r->id == NULL && (r->id = strdup(p->submission_id)) == NULL)
		return EX_OSERR;
	if (!proof_equal(r->unit, p->unit) ||
	    !proof_equal(r->period, p->period)) {
		proof_say(po, "report", 0, _("is for %s %s, the receipt for %s "
		    "%s"), proof_text(r->unit), proof_text(r->period), p->unit,
		    p->period);
		cause_set(cause, _("%s is not the report the receipt covers: "
		    "it is for %s %s, the receipt for %s %s"), path,
		    proof_text(r->unit), proof_text(r->period), p->unit,
		    p->period);
		return EX_DATAERR;
	}
	if (!proof_equal(r->id, p->submission_id)) {
		proof_say(po, "report", 0, _("its id %s is not the receipt's "
		    "%s"), r->id, p->submission_id);
		cause_set(cause, _("%s is not the report the receipt covers: "
		    "its id is %s, the receipt's %s"), path, r->id,
		    p->submission_id);
		return EX_DATAERR;
	}
	if (report_hash(r, h) == -1)
		return EX_OSERR;
	report_hex(h, sizeof(h), hex);
	/* gp-client sends a report in NFC (and gpd stores it so): a file
	 * typed with decomposed marks is covered in its NFC form. */
	if (strcmp(hex, p->report_sha256) != 0) {
		if (report_normalize(r) == -1 || report_hash(r, h) == -1)
			return EX_OSERR;
		report_hex(h, sizeof(h), hex);
	}
	/* A receipt issued before report forms covers the report packed
	 * the way gp/1 packed it then. */
	if (strcmp(hex, p->report_sha256) != 0) {
		switch (report_legacy_pack(r, &old, &oldlen)) {
		case -1:
			return EX_OSERR;
		case 1:
			if (proof_sha256_hex(old, oldlen, oldhex) == -1) {
				free(old);
				return EX_OSERR;
			}
			free(old);
			if (strcmp(oldhex, p->report_sha256) == 0) {
				proof_say(po, "report", 1, _("matches (sha256 "
				    "%s, as packed before report forms)"),
				    oldhex);
				return 0;
			}
			break;
		default:
			break;
		}
	}
	if (strcmp(hex, p->report_sha256) != 0) {
		proof_say(po, "report", 0, _("differs (sha256 %s, the receipt "
		    "says %s)"), hex, p->report_sha256);
		cause_set(cause, _("%s is not the report the receipt covers: "
		    "its SHA-256 is %s, the receipt's %s; a figure or a text "
		    "in it was changed"), path, hex, p->report_sha256);
		return EX_DATAERR;
	}
	proof_say(po, "report", 1, _("matches (sha256 %s)"), hex);
	return 0;
}

/* --- the server's copy --------------------------------------------------- */

/*
 * A ShowResponse's raw bytes (a revision stored before report forms):
 * their SHA-256 in hex, once they are checked to be the report shown,
 * packed the old way. 0, EX_DATAERR when they are not, EX_OSERR.
 */
static int
proof_stored_raw(const Gp__ShowResponse *s, char hex[65])
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	const char		*errstr;
	uint8_t			*shown = NULL, *again = NULL;
	size_t			 len, againlen;
	int			 status = EX_DATAERR;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return EX_OSERR;
	len = gp__report__get_packed_size(s->report);
	if ((shown = malloc(len + 1)) == NULL) {
		free(errs);
		return EX_OSERR;
	}
	gp__report__pack(s->report, shown);
	if (report_legacy_unpack(s->raw.data, s->raw.len, &r, errs,
	    &errstr) == 0 && report_pack(r, &again, &againlen) == 0 &&
	    againlen == len && memcmp(again, shown, len) == 0)
		status = proof_sha256_hex(s->raw.data, s->raw.len, hex) == -1 ?
		    EX_OSERR : 0;
	free(again);
	free(shown);
	report_free(r);
	free(errs);
	return status;
}

int
proof_check_stored(struct proof_out *po, const struct proof *p,
    const Gp__ShowResponse *s, char **cause)
{
	const Gp__ReportRow	*m = s->meta;
	uint8_t			*buf;
	size_t			 len;
	char			 hex[65];
	int			 status = 0, status2;

	*cause = NULL;
	if (m->revision != p->revision || !proof_equal(m->unit, p->unit) ||
	    !proof_equal(m->period, p->period) ||
	    !proof_equal(m->receipt, p->receipt) ||
	    !proof_equal(m->submission_id, p->submission_id) ||
	    !proof_equal(m->received_at, p->received_at)) {
		proof_say(po, "server", 0, _("revision %u of %s %s has receipt "
		    "%s, submission %s, received %s"), m->revision,
		    proof_text(m->unit), proof_text(m->period),
		    proof_text(m->receipt), proof_text(m->submission_id),
		    proof_text(m->received_at));
		cause_set(cause, _("%s was never issued for %s %s revision %u: "
		    "the server's revision has receipt %s, submission %s, "
		    "received %s"), p->path, p->unit, p->period, p->revision,
		    proof_text(m->receipt), proof_text(m->submission_id),
		    proof_text(m->received_at));
		status = EX_DATAERR;
	} else
		proof_say(po, "server", 1, _("revision %u has this receipt, "
		    "submission id and time of receipt"), m->revision);

	if (!proof_equal(m->report_sha256, p->report_sha256)) {
		proof_say(po, "recorded", 0, _("the server recorded sha256 %s "
		    "at submission, the receipt says %s"),
		    proof_text(m->report_sha256), p->report_sha256);
		if (status == 0)
			cause_set(cause, _("the server's record of %s %s "
			    "revision %u has SHA-256 %s, the receipt %s: the "
			    "record was changed, or the receipt was never "
			    "issued for it"), p->unit, p->period, p->revision,
			    proof_text(m->report_sha256), p->report_sha256);
		status = EX_DATAERR;
	} else
		proof_say(po, "recorded", 1, _("sha256 at submission matches"));

	/* A revision stored before report forms: the bytes received then,
	 * which must also be the report shown. */
	if (s->has_raw && (status2 = proof_stored_raw(s, hex)) != 0) {
		proof_say(po, "stored report", 0, _("its bytes as received do "
		    "not decode to the report shown"));
		if (status == 0)
			cause_set(cause, _("the server's copy of %s %s "
			    "revision %u is not consistent: its bytes as "
			    "received are not the report it shows"), p->unit,
			    p->period, p->revision);
		return status2 == EX_OSERR ? EX_OSERR : EX_DATAERR;
	}
	if (!s->has_raw) {
		len = gp__report__get_packed_size(s->report);
		if ((buf = malloc(len + 1)) == NULL)
			return EX_OSERR;
		gp__report__pack(s->report, buf);
		if (proof_sha256_hex(buf, len, hex) == -1) {
			free(buf);
			return EX_OSERR;
		}
		free(buf);
	}
	if (strcmp(hex, p->report_sha256) != 0) {
		proof_say(po, "stored report", 0, _("hashes to %s, not the "
		    "receipt's %s"), hex, p->report_sha256);
		if (status == 0)
			cause_set(cause, _("the report the server holds as %s "
			    "%s revision %u is not the one it received: its "
			    "SHA-256 is %s, the receipt's %s; it was changed "
			    "since"), p->unit, p->period, p->revision, hex,
			    p->report_sha256);
		status = EX_DATAERR;
	} else
		proof_say(po, "stored report", 1, _("matches (sha256 %s)"),
		    hex);
	return status;
}
