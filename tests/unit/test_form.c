/*
 * Unit tests for the form module (proto/form.c, form_json.c, form_set.c):
 * the 2022 form as built in and as installed, agreement with today's
 * label tables, every check of a form file by its message, canonical
 * bytes and their SHA-256, look-ups, occasions' windows, the comparison a
 * reload is judged by, and directories of forms.
 */
#include <sys/stat.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "form.h"
#include "period.h"

/* Relative to the top of the tree, where make runs the tests. */
#define FORM_2022	"etc/forms/2022.json"
#define FORMS_DIR	"tests/data/forms"
#define BROKEN_DIR	"tests/data/forms-broken"

/*
 * The SHA-256 of the 2022 form's canonical bytes. Stored reports record
 * it: a change to etc/forms/2022.json changes it, and must be meant (the
 * reload rule of gp-forms(5) then decides whether gpd takes the new file).
 */
#define SHA256_2022 \
	"8d8dfe9b7f2fb3e3ad6f78b47418044346b40db57161b4560acd788dcce7f654"

/* --- helpers ------------------------------------------------------------ */

static int32_t
day(const char *s)
{
	int32_t	 d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	assert_true((n = ftell(fp)) >= 0);
	rewind(fp);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
spit(const char *path, const char *text)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static json_t *
doc_2022(void)
{
	json_error_t	 error;
	json_t		*doc;

	doc = json_load_file(FORM_2022, JSON_PRESERVE_ORDER |
	    JSON_REJECT_DUPLICATES, &error);
	if (doc == NULL)
		fail_msg("%s: %s", FORM_2022, error.text);
	return doc;
}

/*
 * The member a path names ("areas[3].code", "periods.H1"): returns its
 * parent, with the last step in *key when the parent is an object, in
 * *index when it is an array.
 */
static json_t *
walk(json_t *root, const char *path, char *key, size_t keylen,
    size_t *index)
{
	json_t		*cur = root;
	const char	*p = path;
	char		 step[64];
	size_t		 n;

	for (;;) {
		if (*p == '[') {
			*index = strtoul(p + 1, NULL, 10);
			p = strchr(p, ']') + 1;
			key[0] = '\0';
		} else {
			n = strcspn(p, ".[");
			assert_true(n < sizeof(step) && n < keylen);
			memcpy(step, p, n);
			step[n] = '\0';
			memcpy(key, step, n + 1);
			p += n;
		}
		if (*p == '\0')
			return cur;
		if (*p == '.')
			p++;
		cur = key[0] != '\0' ? json_object_get(cur, key) :
		    json_array_get(cur, *index);
		assert_non_null(cur);
	}
}

/* Sets the member at path to the JSON text value; NULL removes it. */
static void
put(json_t *root, const char *path, const char *value)
{
	json_error_t	 error;
	json_t		*parent, *v = NULL;
	char		 key[64];
	size_t		 index = 0;

	if (value != NULL && (v = json_loads(value, JSON_DECODE_ANY,
	    &error)) == NULL)
		fail_msg("%s: %s", value, error.text);
	parent = walk(root, path, key, sizeof(key), &index);
	if (json_is_object(parent)) {
		if (v == NULL)
			assert_int_equal(json_object_del(parent, key), 0);
		else
			assert_int_equal(json_object_set_new(parent, key, v),
			    0);
	} else if (v == NULL)
		assert_int_equal(json_array_remove(parent, index), 0);
	else if (index == json_array_size(parent))
		assert_int_equal(json_array_append_new(parent, v), 0);
	else
		assert_int_equal(json_array_set_new(parent, index, v), 0);
}

/* Parses doc as the file t.json (indented, as a person writes it). */
static int
parse(json_t *doc, struct form **f, char **cause)
{
	char	*text;
	int	 rv;

	assert_non_null(text = json_dumps(doc, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER));
	rv = form_parse("t.json", text, strlen(text), f, cause);
	free(text);
	return rv;
}

static struct form *
parse_ok(json_t *doc)
{
	struct form	*f = NULL;
	char		*cause = NULL;

	if (parse(doc, &f, &cause) == -1)
		fail_msg("%s", cause ? cause : "out of memory");
	assert_null(cause);
	return f;
}

/* 1 when a line of cause is want exactly. */
static int
has_line(const char *cause, const char *want)
{
	const char	*p = cause;
	size_t		 len = strlen(want);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, want, len) == 0 &&
		    (p[len] == '\n' || p[len] == '\0'))
			return 1;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}

static size_t
count_lines(const char *cause)
{
	size_t	n = 1;

	for (; *cause != '\0'; cause++)
		if (*cause == '\n')
			n++;
	return n;
}

static void
assert_line(const char *cause, const char *want)
{
	if (cause == NULL || !has_line(cause, want))
		fail_msg("want the line\n  %s\nin\n%s", want,
		    cause ? cause : "(no cause)");
}

/* Refused, with want among the lines of the cause. */
static void
refused(json_t *doc, const char *want)
{
	struct form	*f = NULL;
	char		*cause = NULL;

	if (parse(doc, &f, &cause) == 0)
		fail_msg("taken, but want: %s", want);
	assert_null(f);
	assert_line(cause, want);
	free(cause);
}

/* The 2022 form with one member set (or removed), refused with want. */
static void
refused_with(const char *path, const char *value, const char *want)
{
	json_t	*doc = doc_2022();

	put(doc, path, value);
	refused(doc, want);
	json_decref(doc);
}

static struct form *
builtin(void)
{
	struct form	*f = NULL;
	char		*cause = NULL;

	if (form_builtin(&f, &cause) == -1)
		fail_msg("%s", cause ? cause : "out of memory");
	return f;
}

/* --- the 2022 form ------------------------------------------------------ */

static void
assert_period(const struct form_period *p, int kind, const char *from,
    const char *to, const char *due, const char *until)
{
	assert_non_null(p);
	assert_int_equal(p->kind, kind);
	assert_int_equal(p->from, day(from));
	assert_int_equal(p->to, day(to));
	assert_int_equal(p->due, day(due));
	assert_int_equal(p->planned_until, day(until));
}

static void
test_builtin(void **state)
{
	struct form			*f = builtin();
	const struct form_entry		*e;
	const struct form_period	*p;

	(void)state;
	assert_int_equal(form_year(f), 2022);
	assert_string_equal(form_name(f), "built-in 2022.json");
	assert_non_null(strstr(form_title(f), "334/KH-LĐLĐ"));
	assert_int_equal(form_count(f, FORM_AREAS), 6);
	assert_int_equal(form_count(f, FORM_KINDS), 15);
	assert_int_equal(form_count(f, FORM_OCCASIONS), 5);
	assert_int_equal(form_count(f, FORM_STATUSES), 2);
	assert_int_equal(form_count(f, FORM_AUDIENCES), 4);
	assert_int_equal(form_count(f, FORM_TOPICS), 3);
	assert_int_equal(form_count(f, FORM_OUTPUTS), 4);
	assert_int_equal(form_count(f, FORM_INDICATORS), 10);
	assert_int_equal(form_count(f, FORM_NARRATIVE), 6);
	assert_int_equal(form_count(f, FORM_SECTIONS), 1);

	assert_period(form_period(f, PERIOD_HALF), PERIOD_HALF, "2021-12-01",
	    "2022-05-31", "2022-06-10", "2022-06-30");
	p = form_period(f, PERIOD_YEAR);
	assert_period(p, PERIOD_YEAR, "2021-12-01", "2022-11-30",
	    "2022-12-05", "2022-12-31");
	assert_string_equal(p->label, "Báo cáo năm 2022");
	assert_int_equal(p->nexpect, 2);
	assert_string_equal(p->expect[0]->code, "action_month");
	assert_string_equal(p->expect[1]->code, "vn_womens_day");
	assert_int_equal(form_period(f, PERIOD_HALF)->nexpect, 0);

	/* The gaps of issue 14, closed. */
	assert_non_null(e = form_find(f, FORM_KINDS, "meeting"));
	assert_string_equal(e->label, "Gặp mặt");
	assert_false(e->media);
	assert_true(form_find(f, FORM_KINDS, "media")->media);
	assert_string_equal(form_label(f, FORM_AUDIENCES, "union_cadres"),
	    "Cán bộ công đoàn");
	assert_string_equal(form_label(f, FORM_TOPICS, "gbv_prevention"),
	    "Phòng, chống bạo lực trên cơ sở giới");
	assert_string_equal(form_label(f, FORM_OUTPUTS, "leaflets"),
	    "Tờ rơi");
	assert_false(form_find(f, FORM_INDICATORS, "inspections")->
	    female_share);
	assert_false(form_find(f, FORM_INDICATORS, "gbv_cases_detected")->
	    female_share);
	assert_false(form_find(f, FORM_INDICATORS, "gbv_cases_handled")->
	    female_share);
	assert_true(form_find(f, FORM_INDICATORS, "cadres_in_planning")->
	    female_share);
	assert_true(form_find(f, FORM_INDICATORS, "members")->female_share);

	/* The model's rules. */
	e = form_find(f, FORM_INDICATORS, "gbv_cases_handled");
	assert_ptr_equal(e->not_more_than,
	    form_find(f, FORM_INDICATORS, "gbv_cases_detected"));
	e = form_find(f, FORM_INDICATORS, "gvndn_achieved");
	assert_ptr_equal(e->not_more_than,
	    form_find(f, FORM_INDICATORS, "gvndn_registered"));
	assert_null(form_find(f, FORM_INDICATORS, "members")->not_more_than);
	assert_true(form_find(f, FORM_NARRATIVE, "results")->required);
	assert_false(form_find(f, FORM_NARRATIVE, "next_tasks")->required);
	assert_string_equal(form_find(f, FORM_NARRATIVE, "advantages")->hint,
	    "(Nêu những thuận lợi)");

	e = form_find(f, FORM_OCCASIONS, "none");
	assert_false(e->has_window);
	e = form_find(f, FORM_OCCASIONS, "womens_day");
	assert_true(e->has_window);
	assert_int_equal(e->from_month, 3);
	assert_int_equal(e->from_day, 8);
	assert_int_equal(e->slack_before, 30);
	assert_int_equal(e->slack_after, 30);
	e = form_find(f, FORM_OCCASIONS, "action_month");
	assert_int_equal(e->to_month, 12);
	assert_int_equal(e->to_day, 15);
	assert_int_equal(e->slack_before, 14);
	assert_int_equal(e->slack_after, 16);

	e = form_find(f, FORM_SECTIONS, "law_review");
	assert_non_null(e);
	assert_false(e->required);
	assert_true(form_section_in(e, PERIOD_HALF));
	assert_true(form_section_in(e, PERIOD_YEAR));
	assert_int_equal(e->nfields, 5);
	assert_string_equal(form_field(e, "proposals")->hint,
	    "(Đề xuất sửa đổi, bổ sung Luật Bình đẳng giới)");
	assert_null(form_field(e, "next_tasks"));
	form_free(f);
}

/* The installed file and the built-in form are the same bytes. */
static void
test_file_is_builtin(void **state)
{
	struct form	*file = NULL, *bi = builtin();
	const char	*a, *b, *bytes;
	char		*text, *cause = NULL;
	size_t		 alen, blen, len, flen;

	(void)state;
	text = slurp(FORM_2022, &flen);
	bytes = form_builtin_json(&len);
	assert_int_equal(len, flen);
	assert_memory_equal(bytes, text, len);
	assert_int_equal(bytes[len], '\0');
	free(text);

	if (form_load_file(FORM_2022, &file, &cause) == -1)
		fail_msg("%s", cause);
	assert_string_equal(form_name(file), FORM_2022);
	a = form_canonical(file, &alen);
	b = form_canonical(bi, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_string_equal(form_sha256_hex(file), form_sha256_hex(bi));
	form_free(file);
	form_free(bi);
}

/* --- canonical bytes ---------------------------------------------------- */

/* A copy of v with every object's keys in reverse order. */
static json_t *
reversed(json_t *v)
{
	const char	**keys;
	const char	 *key;
	json_t		 *out, *m;
	size_t		  i, n;

	if (json_is_array(v)) {
		assert_non_null(out = json_array());
		json_array_foreach(v, i, m)
			assert_int_equal(json_array_append_new(out,
			    reversed(m)), 0);
		return out;
	}
	if (!json_is_object(v))
		return json_incref(v);
	n = json_object_size(v);
	assert_non_null(keys = calloc(n + 1, sizeof(*keys)));
	i = 0;
	json_object_foreach(v, key, m)
		keys[i++] = key;
	assert_non_null(out = json_object());
	while (i-- > 0)
		assert_int_equal(json_object_set_new(out, keys[i],
		    reversed(json_object_get(v, keys[i]))), 0);
	free(keys);
	return out;
}

static void
assert_same_form(const struct form *a, const struct form *b)
{
	const char	*ca, *cb;
	size_t		 la, lb;

	ca = form_canonical(a, &la);
	cb = form_canonical(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ca, cb, la);
	assert_memory_equal(form_sha256(a), form_sha256(b), FORM_SHA256_LEN);
}

static void
test_canonical(void **state)
{
	struct form	*bi = builtin(), *f, *again = NULL;
	json_t		*doc = doc_2022(), *rev;
	const char	*canon;
	char		*text, *cause = NULL;
	size_t		 len, i, quotes;

	(void)state;
	/* Whitespace and key order do not count. */
	assert_non_null(text = json_dumps(doc, JSON_INDENT(8) |
	    JSON_PRESERVE_ORDER));
	assert_int_equal(form_parse("wide.json", text, strlen(text), &f,
	    &cause), 0);
	assert_same_form(bi, f);
	form_free(f);
	free(text);
	rev = reversed(doc);
	assert_non_null(text = json_dumps(rev, JSON_COMPACT |
	    JSON_PRESERVE_ORDER));
	assert_non_null(strstr(text, "\"sections\":"));
	assert_true(strstr(text, "\"sections\":") < strstr(text, "\"areas\":"));
	assert_int_equal(form_parse("rev.json", text, strlen(text), &f,
	    &cause), 0);
	assert_same_form(bi, f);
	form_free(f);
	free(text);
	json_decref(rev);

	/* The canonical bytes read back to themselves: what gp-client does
	 * with a form gpd serves. */
	canon = form_canonical(bi, &len);
	assert_int_equal(strlen(canon), len);
	assert_int_equal(form_parse("served", canon, len, &again, &cause), 0);
	assert_same_form(bi, again);
	assert_int_equal(form_year(again), 2022);
	form_free(again);

	/* Compact: no space or newline outside strings; keys sorted. */
	for (i = 0, quotes = 0; i < len; i++) {
		if (canon[i] == '"' && (i == 0 || canon[i - 1] != '\\'))
			quotes++;
		if (quotes % 2 == 0)
			assert_true(canon[i] != ' ' && canon[i] != '\n');
	}
	assert_memory_equal(canon, "{\"areas\":[{\"code\":", 18);

	/* A real change is another form. */
	put(doc, "areas[0].label", "\"Tuyên truyền\"");
	f = parse_ok(doc);
	assert_memory_not_equal(form_sha256(f), form_sha256(bi),
	    FORM_SHA256_LEN);
	form_free(f);
	json_decref(doc);
	form_free(bi);
}

static void
test_sha256(void **state)
{
	struct form	*f = builtin();
	const char	*canon;
	uint8_t		 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	char		 hex[2 * FORM_SHA256_LEN + 1];
	size_t		 len, i;

	(void)state;
	canon = form_canonical(f, &len);
	assert_int_equal(EVP_Digest(canon, len, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	assert_int_equal(mdlen, FORM_SHA256_LEN);
	assert_memory_equal(form_sha256(f), md, FORM_SHA256_LEN);
	for (i = 0; i < FORM_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_string_equal(form_sha256_hex(f), hex);
	/* Stable: the same as when 2022.json was written. */
	assert_string_equal(form_sha256_hex(f), SHA256_2022);
	form_free(f);
}

/* --- every check, by its message ---------------------------------------- */

static void
test_refuse_codes(void **state)
{
	struct form	*f;
	json_t		*doc;

	(void)state;
	refused_with("areas[3].code", "\"Bad\"", "t.json: areas[3].code: "
	    "\"Bad\" is not a code (a to z, 0 to 9 and _, 1 to 40 characters)");
	refused_with("areas[3].code", "\"\"", "t.json: areas[3].code: "
	    "\"\" is not a code (a to z, 0 to 9 and _, 1 to 40 characters)");
	refused_with("kinds[0].code",
	    "\"a234567890123456789012345678901234567890x\"",
	    "t.json: kinds[0].code: \"a234567890123456789012345678901234567890x"
	    "\" is not a code (a to z, 0 to 9 and _, 1 to 40 characters)");
	/* Not printable ASCII: not repeated. */
	refused_with("kinds[1].code", "\"hội_nghị\"", "t.json: kinds[1].code: "
	    "is not a code (a to z, 0 to 9 and _, 1 to 40 characters)");
	refused_with("kinds[1].code", "\"a-b\"", "t.json: kinds[1].code: "
	    "\"a-b\" is not a code (a to z, 0 to 9 and _, 1 to 40 characters)");
	refused_with("areas[3].code", "4",
	    "t.json: areas[3].code: must be a string (a code)");
	refused_with("areas[3].code", NULL, "t.json: areas[3].code: required");
	refused_with("areas[4].code", "\"gender_law_review\"",
	    "t.json: areas[4].code: \"gender_law_review\" is already the code "
	    "of areas[3]");
	refused_with("sections[0].fields[1].code", "\"results\"",
	    "t.json: sections[0].fields[1].code: \"results\" is already the "
	    "code of sections[0].fields[0]");
	refused_with("sections[0].code", "\"narrative\"",
	    "t.json: sections[0].code: \"narrative\" is a key of every "
	    "report, not free for a section");

	/* 40 characters is a code; the same code in two lists is fine (the
	 * 2022 form has kind and area inspection). */
	doc = doc_2022();
	put(doc, "kinds[0].code",
	    "\"a23456789012345678901234567890123456789x\"");
	f = parse_ok(doc);
	assert_non_null(form_find(f, FORM_KINDS,
	    "a23456789012345678901234567890123456789x"));
	assert_non_null(form_find(f, FORM_KINDS, "inspection"));
	assert_non_null(form_find(f, FORM_AREAS, "inspection"));
	form_free(f);
	json_decref(doc);
}

static void
test_refuse_labels(void **state)
{
	char	long_label[FORM_MAX_LABEL + 8];
	char	want[128];

	(void)state;
	refused_with("areas[1].label", "\"Kiểm tra, giám sát\"",
	    "t.json: areas[5].label: the same as areas[1].label: a person "
	    "could not tell them apart");
	refused_with("areas[0].label", "\"\"", "t.json: areas[0].label: empty");
	refused_with("areas[0].label", NULL,
	    "t.json: areas[0].label: required");
	refused_with("areas[0].label", "7",
	    "t.json: areas[0].label: must be a string");
	long_label[0] = '"';
	memset(long_label + 1, 'a', FORM_MAX_LABEL + 1);
	memcpy(long_label + FORM_MAX_LABEL + 2, "\"", 2);
	snprintf(want, sizeof(want), "t.json: kinds[2].label: %d bytes, at "
	    "most %d", FORM_MAX_LABEL + 1, FORM_MAX_LABEL);
	refused_with("kinds[2].label", long_label, want);
	/* "Hội nghị" with ộ decomposed. */
	refused_with("kinds[1].label", "\"Ho\\u0323\\u0302i nghi\\u0323\"",
	    "t.json: kinds[1].label: is not in Unicode NFC (composed) form: "
	    "save the file with composed characters");
	refused_with("kinds[1].label", "\"Hội\\u200bnghị\"",
	    "t.json: kinds[1].label: holds an invisible format character "
	    "(such as a zero-width space or a direction mark)");
	refused_with("kinds[1].label", "\"Hội\\u202enghị\"",
	    "t.json: kinds[1].label: holds an invisible format character "
	    "(such as a zero-width space or a direction mark)");
	refused_with("kinds[1].label", "\"Hội\\nnghị\"",
	    "t.json: kinds[1].label: holds a control character (a label is "
	    "one line)");
	refused_with("kinds[1].label", "\"Hội\\u0085nghị\"",
	    "t.json: kinds[1].label: holds a control character (a label is "
	    "one line)");
	refused_with("kinds[1].label", "\"Hội\\u2028nghị\"",
	    "t.json: kinds[1].label: holds a line or paragraph separator");
	refused_with("kinds[1].label", "\" Hội nghị\"",
	    "t.json: kinds[1].label: starts or ends with a space");
	refused_with("title", "\"Kế hoạch \"",
	    "t.json: title: starts or ends with a space");
	refused_with("title", NULL, "t.json: title: required");
	refused_with("narrative[1].hint", "\"\"",
	    "t.json: narrative[1].hint: empty");
	refused_with("periods.H1.label", NULL,
	    "t.json: periods.H1.label: required");
}

static void
test_refuse_keys(void **state)
{
	json_t		*doc;
	struct form	*f;

	(void)state;
	refused_with("area", "[]", "t.json: area: unknown key (the keys here "
	    "are format, year, title, periods, statuses, areas, kinds, "
	    "occasions, audiences, topics, outputs, indicators, narrative, "
	    "sections, and x_ for notes)");
	refused_with("areas[0].lable", "\"x\"", "t.json: areas[0].lable: "
	    "unknown key (the keys here are code, label, and x_ for notes)");
	refused_with("periods.H1.planned_untill", "\"2022-06-30\"",
	    "t.json: periods.H1.planned_untill: unknown key (the keys here are "
	    "label, from, to, due, planned_until, expect_occasions, and x_ "
	    "for notes)");
	refused_with("periods.Q3", "{}", "t.json: periods.Q3: unknown key "
	    "(the keys here are H1, annual, and x_ for notes)");
	refused_with("kinds[3].nhãn", "\"x\"",
	    "t.json: kinds[3].(a key not shown): unknown key (the keys here "
	    "are code, label, media, and x_ for notes)");
	refused_with("areas[0].", "1", "t.json: areas[0].\"\": unknown key (the "
	    "keys here are code, label, and x_ for notes)");
	refused_with("x_note", "{\"a\": [1, 2.5]}",
	    "t.json: x_note.a[1]: a number with a fraction; numbers in a form "
	    "are whole");
	refused_with("year", "2022.0",
	    "t.json: year: must be a whole number from 2000 to 2100");

	/* Notes are kept, anywhere, and count in the canonical bytes. */
	doc = doc_2022();
	put(doc, "x_note", "\"Bản sao kế hoạch, xem công văn 12/LĐLĐ\"");
	put(doc, "areas[2].x_source", "{\"section\": \"II.3\", \"page\": 2}");
	f = parse_ok(doc);
	assert_non_null(strstr(form_canonical(f, &(size_t){ 0 }),
	    "\"x_source\":{\"page\":2,\"section\":\"II.3\"}"));
	form_free(f);
	json_decref(doc);
}

static void
test_refuse_lists(void **state)
{
	json_t	*doc;
	size_t	 i;
	char	 entry[64];

	(void)state;
	refused_with("areas", NULL, "t.json: areas: required");
	refused_with("indicators", NULL, "t.json: indicators: required");
	refused_with("areas", "[]", "t.json: areas: needs at least one entry");
	refused_with("areas", "{}", "t.json: areas: must be a list");
	refused_with("areas[0]", "3", "t.json: areas[0]: must be an object");
	refused_with("sections[0].fields", "[]",
	    "t.json: sections[0].fields: needs at least one entry");
	refused_with("sections[0].fields", NULL,
	    "t.json: sections[0].fields: required");

	doc = doc_2022();
	put(doc, "areas", "[]");
	for (i = 0; i <= FORM_MAX_ENTRIES; i++) {
		snprintf(entry, sizeof(entry), "{\"code\": \"a%zu\", "
		    "\"label\": \"Lĩnh vực %zu\"}", i, i);
		assert_int_equal(json_array_append_new(json_object_get(doc,
		    "areas"), json_loads(entry, 0, NULL)), 0);
	}
	refused(doc, "t.json: areas: 65 entries, at most 64");
	assert_int_equal(json_array_remove(json_object_get(doc, "areas"), 0),
	    0);
	form_free(parse_ok(doc));
	json_decref(doc);

	/* Optional lists may be left out. */
	doc = doc_2022();
	put(doc, "audiences", NULL);
	put(doc, "topics", "[]");
	put(doc, "sections", NULL);
	put(doc, "outputs", NULL);
	form_free(parse_ok(doc));
	json_decref(doc);
}

static void
test_refuse_header(void **state)
{
	struct form	*f = NULL;
	char		*cause = NULL, *big;

	(void)state;
	refused_with("format", "2",
	    "t.json: format: 2 is newer than this gp reads (1): upgrade gp");
	refused_with("format", "0", "t.json: format: 0, not from 1 to 1");
	refused_with("format", NULL, "t.json: format: required");
	refused_with("year", "1999", "t.json: year: 1999, not from 2000 to "
	    "2100");
	refused_with("year", "\"2022\"",
	    "t.json: year: must be a whole number from 2000 to 2100");
	refused_with("year", "2023", "t.json: periods.H1.to: 2022-05-31 is "
	    "not in the form's year 2023");

	assert_int_equal(form_parse("t.json", "[1]", 3, &f, &cause), -1);
	assert_line(cause, "t.json: a form is a JSON object");
	free(cause);
	assert_int_equal(form_parse("t.json", "{", 1, &f, &cause), -1);
	assert_non_null(cause);
	assert_memory_equal(cause, "t.json: line 1 column ", 22);
	free(cause);
	assert_int_equal(form_parse("t.json", "", 0, &f, &cause), -1);
	assert_memory_equal(cause, "t.json: line ", 13);
	free(cause);
	assert_int_equal(form_parse("t.json", "{\"year\": 1, \"year\": 2}", 22,
	    &f, &cause), -1);
	assert_non_null(strstr(cause, "duplicate"));
	free(cause);
	/* Bytes that are not UTF-8 never reach a cause. */
	assert_int_equal(form_parse("t.json", "{\"a\xff\": 1}", 9, &f, &cause),
	    -1);
	assert_null(strchr(cause, '\xff'));
	free(cause);

	assert_non_null(big = malloc(FORM_MAX_BYTES + 1));
	memset(big, ' ', FORM_MAX_BYTES + 1);
	assert_int_equal(form_parse("big.json", big, FORM_MAX_BYTES + 1, &f,
	    &cause), -1);
	assert_string_equal(cause, "big.json: 262145 bytes, at most 262144");
	free(cause);
	free(big);
	assert_null(f);

	/* A file name that is not text is shown as ASCII. */
	assert_int_equal(form_parse("b\xffi\n.json", "[]", 2, &f, &cause), -1);
	assert_string_equal(cause, "b?i?.json: a form is a JSON object");
	free(cause);
}

static void
test_refuse_periods(void **state)
{
	json_t	*doc;

	(void)state;
	refused_with("periods", NULL, "t.json: periods: required");
	refused_with("periods", "[]", "t.json: periods: must be an object");
	refused_with("periods.H1", NULL, "t.json: periods.H1: required");
	refused_with("periods.H1", "\"x\"", "t.json: periods.H1: must be an "
	    "object");
	refused_with("periods.H1.from", "\"2022-02-30\"",
	    "t.json: periods.H1.from: \"2022-02-30\" is not a date "
	    "(YYYY-MM-DD)");
	refused_with("periods.H1.from", "\"2022-2-3\"",
	    "t.json: periods.H1.from: \"2022-2-3\" is not a date (YYYY-MM-DD)");
	refused_with("periods.H1.due", "20220610",
	    "t.json: periods.H1.due: must be a string (a date, YYYY-MM-DD)");
	refused_with("periods.H1.to", NULL, "t.json: periods.H1.to: required");
	refused_with("periods.H1.from", "\"2022-06-01\"",
	    "t.json: periods.H1.to: 2022-05-31 is before periods.H1.from "
	    "2022-06-01");
	refused_with("periods.H1.due", "\"2022-05-30\"",
	    "t.json: periods.H1.due: 2022-05-30 is before periods.H1.to "
	    "2022-05-31");
	refused_with("periods.annual.planned_until", "\"2022-11-29\"",
	    "t.json: periods.annual.planned_until: 2022-11-29 is before "
	    "periods.annual.to 2022-11-30");
	refused_with("periods.H1.from", "\"2020-12-01\"",
	    "t.json: periods.H1.from: 2020-12-01 is not in 2021 or 2022");
	refused_with("periods.annual.due", "\"2024-01-01\"",
	    "t.json: periods.annual.due: 2024-01-01 is not in 2022 or 2023");
	refused_with("periods.annual.planned_until", "\"2024-01-01\"",
	    "t.json: periods.annual.planned_until: 2024-01-01 is not in 2022 "
	    "or 2023");

	doc = doc_2022();
	put(doc, "periods.H1.to", "\"2022-11-30\"");
	put(doc, "periods.H1.due", "\"2022-12-10\"");
	put(doc, "periods.H1.planned_until", "\"2022-12-31\"");
	refused(doc, "t.json: periods.H1.to: 2022-11-30 is not before "
	    "periods.annual.to 2022-11-30");
	json_decref(doc);

	refused_with("periods.annual.expect_occasions",
	    "[\"action_month\", \"christmas\"]",
	    "t.json: periods.annual.expect_occasions[1]: \"christmas\" is not "
	    "an occasion of this form");
	refused_with("periods.annual.expect_occasions",
	    "[\"action_month\", \"action_month\"]",
	    "t.json: periods.annual.expect_occasions[1]: given twice");
	refused_with("periods.annual.expect_occasions", "[]",
	    "t.json: periods.annual.expect_occasions: must be a list of "
	    "occasion codes");
	refused_with("periods.H1.expect_occasions", "[3]",
	    "t.json: periods.H1.expect_occasions[0]: must be a string (an "
	    "occasion code)");
}

static void
test_refuse_entries(void **state)
{
	json_t	*doc;

	(void)state;
	/* Statuses are exactly done and planned. */
	refused_with("statuses[1].code", "\"cancelled\"",
	    "t.json: statuses[1].code: \"cancelled\" is not a status gp knows "
	    "(the statuses are done and planned)");
	refused_with("statuses[1].code", "\"cancelled\"",
	    "t.json: statuses: no \"planned\" (the statuses are done and "
	    "planned)");
	refused_with("statuses[1]", NULL,
	    "t.json: statuses: needs at least two entries");

	refused_with("kinds[0].media", "\"yes\"",
	    "t.json: kinds[0].media: must be true or false");
	refused_with("kinds[10].media", "false", "t.json: outputs: no kind is "
	    "a media kind (\"media\": true) to report them");

	refused_with("occasions[1].from", "\"02-29\"",
	    "t.json: occasions[1].from: \"02-29\" is not a day of every year "
	    "(MM-DD)");
	refused_with("occasions[1].from", "\"3-8\"",
	    "t.json: occasions[1].from: \"3-8\" is not a day of every year "
	    "(MM-DD)");
	refused_with("occasions[1].to", "\"04-31\"",
	    "t.json: occasions[1].to: \"04-31\" is not a day of every year "
	    "(MM-DD)");
	refused_with("occasions[1].to", NULL,
	    "t.json: occasions[1].to: required with from (an occasion has "
	    "both or neither)");
	refused_with("occasions[0].slack_days", "10",
	    "t.json: occasions[0].slack_days: only for an occasion with from "
	    "and to");
	refused_with("occasions[1].slack_days", "200",
	    "t.json: occasions[1].slack_days: 200, not from 0 to 183");
	refused_with("occasions[4].slack_days_after", "-1",
	    "t.json: occasions[4].slack_days_after: -1, not from 0 to 183");

	refused_with("indicators[0].female_share", NULL,
	    "t.json: indicators[0].female_share: required");
	refused_with("indicators[0].female_share", "1",
	    "t.json: indicators[0].female_share: must be true or false");
	refused_with("indicators[6].not_more_than", "\"registered\"",
	    "t.json: indicators[6].not_more_than: \"registered\" is not an "
	    "indicator of this form");
	refused_with("indicators[6].not_more_than", "[]",
	    "t.json: indicators[6].not_more_than: must be a string (an "
	    "indicator code)");
	refused_with("indicators[0].not_more_than", "\"members\"",
	    "t.json: indicators[0].not_more_than: a cycle: members -> members");
	refused_with("indicators[5].not_more_than", "\"gvndn_achieved\"",
	    "t.json: indicators[5].not_more_than: a cycle: gvndn_registered -> "
	    "gvndn_achieved -> gvndn_registered");
	/* A chain is no cycle. */
	doc = doc_2022();
	put(doc, "indicators[7].not_more_than", "\"inspections\"");
	form_free(parse_ok(doc));
	json_decref(doc);

	refused_with("narrative[0].required", "\"true\"",
	    "t.json: narrative[0].required: must be true or false");
	refused_with("sections[0].periods", "[\"H2\"]",
	    "t.json: sections[0].periods[0]: \"H2\" is not a period (\"H1\" or "
	    "\"annual\")");
	refused_with("sections[0].periods", "[\"H1\", \"H1\"]",
	    "t.json: sections[0].periods[1]: given twice");
	refused_with("sections[0].periods", "[]",
	    "t.json: sections[0].periods: must be a list of \"H1\", \"annual\" "
	    "or both");
	refused_with("sections[0].periods", NULL,
	    "t.json: sections[0].periods: required");
	refused_with("sections[0].fields[0].hint", "3",
	    "t.json: sections[0].fields[0].hint: must be a string");
}

/* Every problem at once; past FORM_ERRORS_MAX, a count. */
static void
test_refuse_all_at_once(void **state)
{
	json_t		*doc = doc_2022();
	struct form	*f = NULL;
	char		*cause = NULL, code[64];
	size_t		 i;

	(void)state;
	put(doc, "areas[0].code", "\"A\"");
	put(doc, "periods.H1.due", "\"2022-13-01\"");
	put(doc, "indicators[2].female_share", "\"no\"");
	put(doc, "sections[0].fields[4].label", "\"\"");
	assert_int_equal(parse(doc, &f, &cause), -1);
	assert_int_equal(count_lines(cause), 4);
	assert_line(cause, "t.json: indicators[2].female_share: must be true "
	    "or false");
	free(cause);

	for (i = 0; i < 30; i++) {
		snprintf(code, sizeof(code), "kinds[%zu].code", i % 15);
		put(doc, code, "\"X\"");
		snprintf(code, sizeof(code), "kinds[%zu].label", i % 15);
		put(doc, code, "\"\"");
	}
	assert_int_equal(parse(doc, &f, &cause), -1);
	assert_int_equal(count_lines(cause), FORM_ERRORS_MAX + 1);
	assert_line(cause, "and 14 more problems");
	free(cause);
	json_decref(doc);
}

/* The broken forms of tests/data, as files. */
static void
test_broken_files(void **state)
{
	static const struct {
		const char	*file;
		const char	*line;
	} broken[] = {
		{ "bad-code.json", "areas[4].code: \"Female cadres\" is not a "
		    "code (a to z, 0 to 9 and _, 1 to 40 characters)" },
		{ "indicator-cycle.json", "indicators[5].not_more_than: a "
		    "cycle: gvndn_registered -> gvndn_achieved -> "
		    "gvndn_registered" },
		{ "bad-period.json", "periods.H1.due: 2023-05-10 is before "
		    "periods.H1.to 2023-05-31" },
		{ "unknown-key.json", "periods.annual.planned_untill: unknown "
		    "key (the keys here are label, from, to, due, "
		    "planned_until, expect_occasions, and x_ for notes)" },
		{ "not-nfc.json", "kinds[2].label: is not in Unicode NFC "
		    "(composed) form: save the file with composed characters" },
		{ "year-mismatch.json", "periods.annual.to: 2023-11-30 is not "
		    "in the form's year 2024" },
	};
	struct form	*f = NULL;
	char		 path[256], want[512], *cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", BROKEN_DIR,
		    broken[i].file);
		assert_int_equal(form_load_file(path, &f, &cause), -1);
		assert_null(f);
		snprintf(want, sizeof(want), "%s: %s", path, broken[i].line);
		assert_line(cause, want);
		free(cause);
	}
	assert_int_equal(form_load_file(FORMS_DIR "/none.json", &f, &cause),
	    -1);
	snprintf(want, sizeof(want), "%s: %s", FORMS_DIR "/none.json",
	    strerror(ENOENT));
	assert_string_equal(cause, want);
	free(cause);
}

/* --- look-ups ----------------------------------------------------------- */

static void
test_lookups(void **state)
{
	struct form		*f = builtin();
	const struct form_entry	*e;
	size_t			 i;

	(void)state;
	e = form_find(f, FORM_AREAS, "female_cadres");
	assert_non_null(e);
	assert_int_equal(e->index, 4);
	assert_ptr_equal(form_at(f, FORM_AREAS, 4), e);
	assert_null(form_at(f, FORM_AREAS, 6));
	assert_null(form_find(f, FORM_AREAS, "female"));
	assert_null(form_find(f, FORM_AREAS, ""));
	assert_null(form_find(f, FORM_AREAS, NULL));
	assert_null(form_label(f, FORM_KINDS, "womens_day"));
	assert_string_equal(form_label(f, FORM_OCCASIONS, "womens_day"),
	    "Quốc tế Phụ nữ 8/3");
	assert_string_equal(form_label(f, FORM_STATUSES, "planned"),
	    "Ước thực hiện");
	assert_int_equal(form_count(f, FORM_LIST_COUNT), 0);
	assert_null(form_find(f, FORM_LIST_COUNT, "done"));
	assert_null(form_period(f, 0));
	assert_null(form_period(f, 3));
	assert_string_equal(form_list_name(FORM_INDICATORS), "indicators");
	assert_string_equal(form_list_name(FORM_PERIODS), "periods");
	assert_string_equal(form_list_name(FORM_WHOLE), "form");
	assert_string_equal(form_list_name(-1), "?");

	/* Iteration gives every code, in the file's order. */
	for (i = 0; i < form_count(f, FORM_OUTPUTS); i++)
		assert_int_equal(form_at(f, FORM_OUTPUTS, i)->index, i);
	assert_string_equal(form_at(f, FORM_OUTPUTS, 3)->code, "panels");
	form_free(f);

	form_free(NULL);
	form_set_free(NULL);
}

static int
far(const struct form_entry *o, const char *start, const char *end,
    int32_t *days)
{
	return form_occasion_far(o, day(start), day(end ? end : start), days);
}

static void
test_occasions(void **state)
{
	struct form		*f = builtin();
	const struct form_entry	*w, *a, *n;
	json_t			*doc;
	int32_t			 d = -1;

	(void)state;
	w = form_find(f, FORM_OCCASIONS, "womens_day");
	a = form_find(f, FORM_OCCASIONS, "action_month");
	n = form_find(f, FORM_OCCASIONS, "none");

	/* What validate.c does today: 30 days either side of 8 March. */
	assert_false(far(w, "2022-04-07", NULL, &d));
	assert_false(far(w, "2022-02-06", NULL, &d));
	assert_true(far(w, "2022-04-08", NULL, &d));
	assert_int_equal(d, 31);
	assert_true(far(w, "2022-02-05", NULL, &d));
	assert_int_equal(d, 31);
	assert_true(far(w, "2022-05-20", NULL, &d));
	assert_int_equal(d, 73);
	assert_false(far(w, "2022-01-10", "2022-03-10", &d));
	assert_true(far(form_find(f, FORM_OCCASIONS, "vn_womens_day"),
	    "2021-12-05", NULL, &d));
	assert_int_equal(d, 46);
	assert_true(far(form_find(f, FORM_OCCASIONS, "family_day"),
	    "2022-03-05", NULL, &d));
	assert_int_equal(d, 115);

	/* The action month: 1 November to 31 December, as today. */
	assert_false(far(a, "2021-12-20", NULL, &d));
	assert_false(far(a, "2021-11-01", NULL, &d));
	assert_true(far(a, "2021-10-31", NULL, &d));
	assert_int_equal(d, 15);
	assert_false(far(a, "2021-12-31", NULL, &d));
	assert_true(far(a, "2022-01-01", NULL, &d));
	assert_int_equal(d, 17);
	assert_true(far(a, "2022-02-01", NULL, &d));
	assert_int_equal(d, 48);
	assert_false(far(a, "2022-10-01", "2022-11-05", &d));

	assert_false(far(n, "2022-02-01", NULL, &d));
	form_free(f);

	/* A window across the new year. */
	doc = doc_2022();
	put(doc, "occasions[1].from", "\"12-20\"");
	put(doc, "occasions[1].to", "\"01-10\"");
	put(doc, "occasions[1].slack_days", "5");
	f = parse_ok(doc);
	w = form_find(f, FORM_OCCASIONS, "womens_day");
	assert_false(far(w, "2022-01-05", NULL, &d));
	assert_false(far(w, "2021-12-25", NULL, &d));
	assert_false(far(w, "2022-01-15", NULL, &d));
	assert_true(far(w, "2022-01-16", NULL, &d));
	assert_int_equal(d, 6);
	assert_true(far(w, "2022-12-14", NULL, &d));
	assert_int_equal(d, 6);
	assert_false(far(w, "2022-12-15", NULL, &d));
	form_free(f);
	json_decref(doc);
}

/* --- comparison --------------------------------------------------------- */

static const struct form_change *
change(const struct form_change *v, size_t n, int list, const char *code,
    const char *what)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i].list == list && strcmp(v[i].code, code) == 0 &&
		    strcmp(v[i].what, what) == 0)
			return &v[i];
	return NULL;
}

static void
assert_change(const struct form_change *v, size_t n, int kind, int list,
    const char *code, const char *what)
{
	const struct form_change	*c;
	size_t				 i;

	if ((c = change(v, n, list, code, what)) == NULL) {
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s %s: %s\n",
			    form_list_name(v[i].list), v[i].code, v[i].what);
		fail_msg("no change %s %s: %s", form_list_name(list), code,
		    what);
	}
	assert_int_equal(c->kind, kind);
	assert_int_equal(c->year, 2022);
}

static void
test_compare(void **state)
{
	struct form		*old = builtin(), *new;
	struct form_change	*v = NULL;
	json_t			*doc = doc_2022();
	size_t			 n = 99;

	(void)state;
	/* Itself: nothing. */
	assert_int_equal(form_compare(old, old, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);

	/* What may change freely. */
	put(doc, "title", "\"Kế hoạch 334 (sửa đổi)\"");
	put(doc, "areas[0].label", "\"Tuyên truyền chủ trương, chính sách\"");
	put(doc, "periods.H1.due", "\"2022-06-15\"");
	put(doc, "periods.H1.label", "\"Báo cáo sơ kết 6 tháng\"");
	put(doc, "periods.annual.expect_occasions", NULL);
	put(doc, "occasions[2].slack_days", "45");
	put(doc, "narrative[1].required", "true");
	put(doc, "narrative[1].hint", NULL);
	put(doc, "sections[0].required", "true");
	put(doc, "areas[6]", "{\"code\": \"new_area\", \"label\": \"Mới\"}");
	put(doc, "x_note", "\"đã sửa\"");
	new = parse_ok(doc);
	assert_int_equal(form_compare(old, new, &v, &n), 0);
	assert_int_equal(n, 0);
	form_free(new);

	/* What changes the meaning of stored reports. */
	put(doc, "areas[2]", NULL);
	put(doc, "kinds[1]", NULL);
	put(doc, "kinds[8].media", "true");
	put(doc, "occasions[3].from", "\"10-21\"");
	put(doc, "occasions[3].to", "\"10-21\"");
	put(doc, "occasions[1].from", NULL);
	put(doc, "occasions[1].to", NULL);
	put(doc, "indicators[0].female_share", "false");
	put(doc, "indicators[6].not_more_than", NULL);
	put(doc, "indicators[1].not_more_than", "\"members\"");
	put(doc, "audiences[3]", NULL);
	put(doc, "outputs[0].code", "\"news\"");
	put(doc, "periods.H1.from", "\"2021-12-02\"");
	put(doc, "periods.annual.planned_until", "\"2023-01-15\"");
	put(doc, "sections[0].periods", "[\"annual\"]");
	put(doc, "sections[0].fields[4]", NULL);
	new = parse_ok(doc);
	assert_int_equal(form_compare(old, new, &v, &n), 0);
	assert_change(v, n, FORM_REMOVED, FORM_AREAS,
	    "communication_training", "removed");
	assert_change(v, n, FORM_REMOVED, FORM_KINDS, "conference",
	    "removed");
	assert_change(v, n, FORM_CHANGED, FORM_KINDS, "cultural",
	    "media from false to true");
	assert_change(v, n, FORM_CHANGED, FORM_OCCASIONS, "vn_womens_day",
	    "window from 10-20..10-20 to 10-21..10-21");
	assert_change(v, n, FORM_CHANGED, FORM_OCCASIONS, "womens_day",
	    "window from 03-08..03-08 to none");
	assert_change(v, n, FORM_CHANGED, FORM_INDICATORS, "members",
	    "female_share from true to false");
	assert_change(v, n, FORM_CHANGED, FORM_INDICATORS, "gvndn_achieved",
	    "not_more_than from gvndn_registered to none");
	assert_change(v, n, FORM_CHANGED, FORM_INDICATORS, "exec_committee",
	    "not_more_than from none to members");
	assert_change(v, n, FORM_REMOVED, FORM_AUDIENCES, "mixed", "removed");
	assert_change(v, n, FORM_REMOVED, FORM_OUTPUTS, "articles",
	    "removed");
	assert_change(v, n, FORM_CHANGED, FORM_PERIODS, "H1",
	    "coverage from 2021-12-01..2022-05-31 to 2021-12-02..2022-05-31");
	assert_change(v, n, FORM_CHANGED, FORM_PERIODS, "annual",
	    "planned_until from 2022-12-31 to 2023-01-15");
	assert_change(v, n, FORM_CHANGED, FORM_SECTIONS, "law_review",
	    "no longer in H1 reports");
	assert_change(v, n, FORM_REMOVED, FORM_SECTIONS,
	    "law_review.proposals", "field removed");
	assert_int_equal(n, 14);
	free(v);
	form_free(new);

	/* Another year is not compared. */
	json_decref(doc);
	doc = json_load_file(FORMS_DIR "/2023.json", 0, NULL);
	assert_non_null(doc);
	new = parse_ok(doc);
	assert_int_equal(form_compare(old, new, &v, &n), -1);
	form_free(new);
	json_decref(doc);
	form_free(old);
}

/* --- directories -------------------------------------------------------- */

struct tmpdir {
	char	 path[64];
	char	*files[16];
	size_t	 n;
};

/* The path of a new file of the directory, in files[]. */
static const char *
tmp_name(struct tmpdir *t, const char *name)
{
	assert_true(t->n < 16);
	assert_true(asprintf(&t->files[t->n], "%s/%s", t->path, name) != -1);
	return t->files[t->n++];
}

static void
tmp_new(struct tmpdir *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "/tmp/test_form.XXXXXX");
	assert_non_null(mkdtemp(t->path));
}

/* Copies a file into the directory under name. */
static void
tmp_copy(struct tmpdir *t, const char *from, const char *name)
{
	char	*text;
	size_t	 len;

	text = slurp(from, &len);
	spit(tmp_name(t, name), text);
	free(text);
}

static void
tmp_write(struct tmpdir *t, const char *name, const char *text)
{
	spit(tmp_name(t, name), text);
}

static void
tmp_free(struct tmpdir *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (unlink(t->files[i]) == -1)
			assert_int_equal(rmdir(t->files[i]), 0);
		free(t->files[i]);
	}
	assert_int_equal(rmdir(t->path), 0);
}

static struct form_set *
set_ok(const char *dir)
{
	struct form_set	*set = NULL;
	char		*cause = NULL;

	if (form_set_load(dir, &set, &cause) == -1)
		fail_msg("%s", cause ? cause : "out of memory");
	assert_null(cause);
	return set;
}

static char *
set_refused(const char *dir)
{
	struct form_set	*set = NULL;
	char		*cause = NULL;

	assert_int_equal(form_set_load(dir, &set, &cause), -1);
	assert_null(set);
	assert_non_null(cause);
	return cause;
}

static void
test_set_builtin_only(void **state)
{
	struct form_set		*set;
	const struct form	*f;
	struct period		 p;
	char			 years[64], *cause = NULL;

	(void)state;
	set = set_ok(NULL);
	assert_int_equal(form_set_count(set), 1);
	assert_string_equal(form_name(form_set_at(set, 0)),
	    "built-in 2022.json");
	form_set_free(set);

	set = set_ok("/nonexistent/gp/forms");
	assert_int_equal(form_set_count(set), 1);
	assert_null(form_set_at(set, 1));
	assert_string_equal(form_set_years(set, years, sizeof(years)), "2022");
	assert_int_equal(form_set_period(set, "2022-H1", &f, &p, &cause), 0);
	assert_int_equal(p.kind, PERIOD_HALF);
	assert_int_equal(p.year, 2022);
	assert_int_equal(p.from, day("2021-12-01"));
	assert_int_equal(p.to, day("2022-05-31"));
	assert_int_equal(p.due, day("2022-06-10"));
	assert_int_equal(p.limit, day("2022-06-30"));
	assert_ptr_equal(f, form_set_year(set, 2022));
	form_set_free(set);
}

static void
test_set_directory(void **state)
{
	struct form_set		*set;
	const struct form	*f;
	const struct form_entry	*e;
	struct period		 p;
	char			 years[64], *cause = NULL;

	(void)state;
	set = set_ok(FORMS_DIR);
	assert_int_equal(form_set_count(set), 2);
	assert_string_equal(form_set_years(set, years, sizeof(years)),
	    "2022, 2023");
	assert_string_equal(form_set_years(set, years, 6), "2022,");
	assert_string_equal(form_name(form_set_year(set, 2022)),
	    "built-in 2022.json");
	f = form_set_year(set, 2023);
	assert_string_equal(form_name(f), FORMS_DIR "/2023.json");
	assert_ptr_equal(form_set_at(set, 1), f);
	assert_null(form_set_year(set, 2024));

	/* The acceptance's 2023: a year later, a new area, no law review. */
	assert_int_equal(form_count(f, FORM_AREAS), 7);
	e = form_find(f, FORM_AREAS, "dv_law_dissemination");
	assert_non_null(e);
	assert_int_equal(e->index, 6);
	assert_int_equal(form_count(f, FORM_SECTIONS), 0);
	assert_int_equal(form_set_period(set, "2023", &f, &p, &cause), 0);
	assert_int_equal(p.kind, PERIOD_YEAR);
	assert_int_equal(p.from, day("2022-12-01"));
	assert_int_equal(p.to, day("2023-11-30"));
	assert_int_equal(p.due, day("2023-12-05"));
	assert_int_equal(p.limit, day("2023-12-31"));

	assert_int_equal(form_set_period(set, "2031", &f, &p, &cause), -1);
	assert_null(f);
	assert_string_equal(cause,
	    "no form for 2031; the forms known are 2022, 2023");
	free(cause);
	assert_int_equal(form_set_period(set, "2023-H2", &f, &p, &cause), -1);
	assert_string_equal(cause, "not a period (want YYYY-H1 or YYYY)");
	free(cause);
	form_set_free(set);
}

static void
test_set_override(void **state)
{
	struct tmpdir		 t;
	struct form_set		*set;
	const struct form	*f;
	json_t			*doc = doc_2022();
	char			*text;

	(void)state;
	tmp_new(&t);
	put(doc, "areas[0].label", "\"Tuyên truyền, phổ biến chính sách\"");
	assert_non_null(text = json_dumps(doc, JSON_INDENT(2)));
	tmp_write(&t, "2022.json", text);
	free(text);
	tmp_copy(&t, FORMS_DIR "/2023.json", "ke-hoach-2023.json");
	/* Not form files: skipped. */
	tmp_write(&t, ".#2022.json", "not a form");
	tmp_write(&t, "2022.json~", "not a form");
	tmp_write(&t, "README", "not a form");

	set = set_ok(t.path);
	assert_int_equal(form_set_count(set), 2);
	f = form_set_year(set, 2022);
	assert_string_equal(form_name(f), t.files[0]);
	assert_string_equal(form_label(f, FORM_AREAS, "policy_dissemination"),
	    "Tuyên truyền, phổ biến chính sách");
	assert_int_equal(form_year(form_set_at(set, 1)), 2023);
	form_set_free(set);
	tmp_free(&t);
	json_decref(doc);
}

static void
test_set_refused(void **state)
{
	struct tmpdir	 t;
	char		*cause, want[1024];

	(void)state;
	/* Two files for one year, named. */
	tmp_new(&t);
	tmp_copy(&t, FORMS_DIR "/2023.json", "a.json");
	tmp_copy(&t, FORMS_DIR "/2023.json", "b.json");
	cause = set_refused(t.path);
	snprintf(want, sizeof(want), "%s and %s both hold the form of 2023",
	    t.files[0], t.files[1]);
	assert_line(cause, want);
	free(cause);
	tmp_free(&t);

	/* A name that says another year. */
	tmp_new(&t);
	tmp_copy(&t, FORMS_DIR "/2023.json", "2024.json");
	cause = set_refused(t.path);
	snprintf(want, sizeof(want), "%s: holds the form of 2023, not of 2024 "
	    "as its name says", t.files[0]);
	assert_line(cause, want);
	free(cause);
	tmp_free(&t);

	/* Bad files, each named; the good one does not hide them. */
	tmp_new(&t);
	tmp_copy(&t, FORMS_DIR "/2023.json", "2023.json");
	tmp_copy(&t, BROKEN_DIR "/bad-code.json", "bad.json");
	assert_int_equal(mkdir(tmp_name(&t, "dir.json"), 0700), 0);
	assert_int_equal(mkfifo(tmp_name(&t, "fifo.json"), 0600), 0);
	cause = set_refused(t.path);
	snprintf(want, sizeof(want), "%s: areas[4].code: \"Female cadres\" is "
	    "not a code (a to z, 0 to 9 and _, 1 to 40 characters)",
	    t.files[1]);
	assert_line(cause, want);
	snprintf(want, sizeof(want), "%s: not a regular file", t.files[2]);
	assert_line(cause, want);
	snprintf(want, sizeof(want), "%s: not a regular file", t.files[3]);
	assert_line(cause, want);
	assert_int_equal(count_lines(cause), 3);
	free(cause);
	tmp_free(&t);

	/* Too big. */
	tmp_new(&t);
	{
		char	*big;

		assert_non_null(big = malloc(FORM_MAX_BYTES + 2));
		memset(big, ' ', FORM_MAX_BYTES + 1);
		big[FORM_MAX_BYTES + 1] = '\0';
		tmp_write(&t, "big.json", big);
		free(big);
	}
	cause = set_refused(t.path);
	snprintf(want, sizeof(want), "%s: 262145 bytes, at most 262144",
	    t.files[0]);
	assert_string_equal(cause, want);
	free(cause);
	tmp_free(&t);

	/* Not a directory. */
	cause = set_refused(FORM_2022);
	snprintf(want, sizeof(want), "%s: %s", FORM_2022, strerror(ENOTDIR));
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_set_too_many(void **state)
{
	char	 dir[64], path[128], want[128], *cause;
	int	 i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_form.XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (i = 0; i <= FORM_MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/%03d.json", dir, i);
		spit(path, "{}");
	}
	cause = set_refused(dir);
	snprintf(want, sizeof(want), "%s: more than %d form files", dir,
	    FORM_MAX_FILES);
	assert_string_equal(cause, want);
	free(cause);
	for (i = 0; i <= FORM_MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/%03d.json", dir, i);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void
test_set_compare(void **state)
{
	struct form_set		*old, *new;
	struct form_change	*v = NULL;
	size_t			 n = 0;

	(void)state;
	old = set_ok(FORMS_DIR);
	new = set_ok(NULL);
	assert_int_equal(form_set_compare(old, old, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(form_set_compare(old, new, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].kind, FORM_REMOVED);
	assert_int_equal(v[0].list, FORM_WHOLE);
	assert_int_equal(v[0].year, 2023);
	assert_string_equal(v[0].code, "");
	assert_string_equal(v[0].what, "no form for 2023 any more");
	free(v);
	/* Adding a year changes nothing stored. */
	assert_int_equal(form_set_compare(new, old, &v, &n), 0);
	assert_int_equal(n, 0);
	form_set_free(old);
	form_set_free(new);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_file_is_builtin),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_refuse_codes),
		cmocka_unit_test(test_refuse_labels),
		cmocka_unit_test(test_refuse_keys),
		cmocka_unit_test(test_refuse_lists),
		cmocka_unit_test(test_refuse_header),
		cmocka_unit_test(test_refuse_periods),
		cmocka_unit_test(test_refuse_entries),
		cmocka_unit_test(test_refuse_all_at_once),
		cmocka_unit_test(test_broken_files),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_occasions),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_set_builtin_only),
		cmocka_unit_test(test_set_directory),
		cmocka_unit_test(test_set_override),
		cmocka_unit_test(test_set_refused),
		cmocka_unit_test(test_set_too_many),
		cmocka_unit_test(test_set_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
