/*
 * Unit tests for proto/warning.c: each code said in English (gpd's words,
 * byte for byte what the validator said before codes) and in Vietnamese
 * from the same arguments, and what a newer or lying server may send
 * refused, so that its English words are shown instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "report.h"
#include "warning.h"

#define NARGS(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const late[] = { "2022-06-10", "2022-06-15" };
static const char *const planned[] = { "2022-05-02", "2022-06-15" };
static const char *const far[] = { "womens_day", "Quốc tế Phụ nữ 8/3",
	"2022-05-20", "73", "8/3" };
static const char *const none[] = { "annual", "action_month",
	"Tháng hành động vì bình đẳng giới 15/11\xe2\x80\x93" "15/12",
	"vn_womens_day", "Ngày Phụ nữ Việt Nam 20/10" };
static const char *const female[] = { "gbv_cases_detected",
	"Vụ việc bạo lực gia đình, quấy rối phát hiện", "2022", "1200" };

static void
say(int code, const char *const *args, size_t nargs, const char *want)
{
	char	out[REPORT_MESSAGE_MAX];

	assert_int_equal(warning_say(code, args, nargs, out), 0);
	assert_string_equal(out, want);
}

static void
refused(int code, const char *const *args, size_t nargs)
{
	char	out[REPORT_MESSAGE_MAX];

	assert_int_equal(warning_say(code, args, nargs, out), -1);
	assert_string_equal(out, "");
}

static void
test_english(void **state)
{
	(void)state;
	i18n_english();
	say(WARNING_LATE, late, 2, "late: due 2022-06-10, submitted 2022-06-15 "
	    "(5 days late)");
	say(WARNING_LATE_EXTENDED, late, 2, "late: due 2022-06-10 (extended), "
	    "submitted 2022-06-15 (5 days late)");
	say(WARNING_PLANNED_PAST, planned, 2, "planned activity dated "
	    "2022-05-02, before the day of submission 2022-06-15: was it "
	    "done? Then mark it done, with its figures");
	say(WARNING_OCCASION_FAR, far, NARGS(far), "womens_day activity dated "
	    "2022-05-20, 73 days from 8/3");
	say(WARNING_NO_OCCASION, none, NARGS(none), "annual report without an "
	    "activity for action_month or vn_womens_day");
	say(WARNING_FEMALE_NOT_COUNTED, female, NARGS(female),
	    "gbv_cases_detected has no women's figure in the 2022 form: 1200 "
	    "is kept but not counted");
}

static void
test_vietnamese(void **state)
{
	(void)state;
	setenv("GP_LOCALEDIR", TEST_LOCALEDIR, 1);
	unsetenv("GP_LANGUAGE");
	i18n_init(I18N_GP_CLIENT, "vi");
	assert_true(i18n_vietnamese());
	say(WARNING_LATE, late, 2, "nộp muộn: hạn nộp 10/6/2022, nộp ngày "
	    "15/6/2022 (muộn 5 ngày)");
	say(WARNING_OCCASION_FAR, far, NARGS(far), "hoạt động nhân dịp "
	    "“Quốc tế Phụ nữ 8/3” ngày 20/5/2022, cách dịp (8/3) 73 ngày; hãy "
	    "kiểm tra lại ngày hoặc dịp");
	say(WARNING_NO_OCCASION, none, NARGS(none), "báo cáo năm chưa có hoạt "
	    "động nào nhân dịp \xe2\x80\x9cTháng hành động vì bình đẳng giới "
	    "15/11\xe2\x80\x93" "15/12\xe2\x80\x9d hoặc "
	    "\xe2\x80\x9cNgày Phụ nữ Việt Nam 20/10\xe2\x80\x9d");
	say(WARNING_FEMALE_NOT_COUNTED, female, NARGS(female), "chỉ tiêu "
	    "“Vụ việc bạo lực gia đình, quấy rối phát hiện” không tính số nữ "
	    "theo biểu mẫu năm 2022: số 1.200 vẫn được lưu nhưng không được "
	    "cộng vào");
	i18n_english();
}

/* What a newer or lying server may send: never said, never a crash. */
static void
test_refused(void **state)
{
	static const char *const due_after[] = { "2022-06-15", "2022-06-10" };
	static const char *const same_day[] = { "2022-06-10", "2022-06-10" };
	static const char *const not_date[] = { "2022-02-30", "2022-06-15" };
	static const char *const three[] = { "2022-06-10", "2022-06-15",
		"2022-06-16" };
	static const char *const bad_code[] = { "Womens Day", "", "2022-05-20",
		"73", "8/3" };
	static const char *const escape[] = { "womens_day", "\x1b]0;x\x07",
		"2022-05-20", "73", "8/3" };
	static const char *const not_utf8[] = { "womens_day", "\xff\xc0\xaf",
		"2022-05-20", "73", "8/3" };
	static const char *const minus[] = { "womens_day", "", "2022-05-20",
		"-1", "8/3" };
	static const char *const huge[] = { "gbv_cases_detected", "", "2022",
		"18446744073709551616" };
	static const char *const year[] = { "gbv_cases_detected", "", "99999",
		"1" };
	static const char *const half_pair[] = { "H1", "action_month" };
	static const char *const kind[] = { "quarter", "action_month", "" };
	static const char *const with_null[] = { "2022-06-10", NULL };
	const char	*many[WARNING_ARGS_MAX + 2];
	size_t		 i;

	(void)state;
	i18n_english();
	refused(WARNING_LATE, due_after, 2);
	refused(WARNING_LATE, same_day, 2);
	refused(WARNING_LATE, not_date, 2);
	refused(WARNING_LATE, three, 3);
	refused(WARNING_LATE, late, 1);
	refused(WARNING_LATE, with_null, 2);
	refused(WARNING_OCCASION_FAR, bad_code, NARGS(bad_code));
	refused(WARNING_OCCASION_FAR, escape, NARGS(escape));
	refused(WARNING_OCCASION_FAR, not_utf8, NARGS(not_utf8));
	refused(WARNING_OCCASION_FAR, minus, NARGS(minus));
	refused(WARNING_FEMALE_NOT_COUNTED, huge, NARGS(huge));
	refused(WARNING_FEMALE_NOT_COUNTED, year, NARGS(year));
	refused(WARNING_NO_OCCASION, half_pair, NARGS(half_pair));
	refused(WARNING_NO_OCCASION, kind, NARGS(kind));
	refused(WARNING_NO_OCCASION, none, 1);
	refused(WARNING_TEXT, late, 2);
	refused(WARNING_NCODES, late, 2);
	refused(-1, late, 2);
	many[0] = "annual";
	for (i = 1; i < NARGS(many); i += 2) {
		many[i] = "none";
		if (i + 1 < NARGS(many))
			many[i + 1] = "";
	}
	refused(WARNING_NO_OCCASION, many, WARNING_ARGS_MAX + 2);
}

static void
test_names(void **state)
{
	int	code;

	(void)state;
	for (code = WARNING_TEXT + 1; code < WARNING_NCODES; code++) {
		assert_non_null(warning_name(code));
		assert_int_equal(warning_code(warning_name(code)), code);
	}
	assert_string_equal(warning_name(WARNING_LATE), "late");
	assert_null(warning_name(WARNING_TEXT));
	assert_null(warning_name(WARNING_NCODES));
	assert_int_equal(warning_code("from_a_newer_server"), WARNING_TEXT);
	assert_int_equal(warning_code(""), WARNING_TEXT);
	assert_int_equal(warning_code(NULL), WARNING_TEXT);
}

/* Kept with the warning: its code and arguments, said again the same. */
static void
test_add_kept(void **state)
{
	struct report_errors	*w;
	const char		*args[WARNING_ARGS_MAX];
	char			 out[REPORT_MESSAGE_MAX];
	size_t			 n;

	(void)state;
	i18n_english();
	assert_non_null(w = calloc(1, sizeof(*w)));
	warning_add(w, "activities[0].occasion", WARNING_OCCASION_FAR, far,
	    NARGS(far));
	warning_add_late(w, date_from_ymd(2022, 6, 10),
	    date_from_ymd(2022, 6, 12), 1);
	assert_int_equal(w->n, 2);
	assert_int_equal(w->e[0].code, WARNING_OCCASION_FAR);
	assert_string_equal(w->e[0].field, "activities[0].occasion");
	n = warning_args(&w->e[0], args);
	assert_int_equal(n, NARGS(far));
	assert_string_equal(args[1], "Quốc tế Phụ nữ 8/3");
	assert_string_equal(args[4], "8/3");
	assert_int_equal(warning_say(w->e[0].code, args, n, out), 0);
	assert_string_equal(out, w->e[0].message);
	assert_int_equal(w->e[1].code, WARNING_LATE_EXTENDED);
	assert_string_equal(w->e[1].field, "period");
	assert_string_equal(w->e[1].message, "late: due 2022-06-10 "
	    "(extended), submitted 2022-06-12 (2 days late)");
	assert_int_equal(warning_args(&w->e[1], args), 2);
	assert_string_equal(args[0], "2022-06-10");
	assert_string_equal(args[1], "2022-06-12");

	/* An error added after it carries no code. */
	report_errors_add(w, "unit", "%s", "required");
	assert_int_equal(w->e[2].code, WARNING_TEXT);
	assert_int_equal(w->e[2].nargs, 0);

	/* Refused arguments add nothing. */
	warning_add(w, "period", WARNING_LATE, late, 1);
	assert_int_equal(w->n, 3);
	free(w);
}

/* Arguments that do not fit are not kept: the warning is its words. */
static void
test_add_too_long(void **state)
{
	struct report_errors	*w;
	const char		*args[5];
	char			 label[FORM_MAX_LABEL + 1];

	(void)state;
	i18n_english();
	assert_non_null(w = calloc(1, sizeof(*w)));
	memset(label, 'a', FORM_MAX_LABEL);
	label[FORM_MAX_LABEL] = '\0';
	memcpy(args, far, sizeof(args));
	args[1] = label;
	args[4] = "15/11\xe2\x80\x93" "15/12";
	/* 300 of label, and the rest, pass REPORT_ARGS_MAX with a second
	 * long argument. */
	args[0] = "action_month";
	warning_add(w, "activities[0].occasion", WARNING_OCCASION_FAR, args,
	    5);
	assert_int_equal(w->n, 1);
	assert_string_equal(w->e[0].message, "action_month activity dated "
	    "2022-05-20, 73 days from 15/11\xe2\x80\x93" "15/12");
	assert_int_equal(w->e[0].code, WARNING_TEXT);
	assert_int_equal(w->e[0].nargs, 0);
	free(w);
}

/*
 * The end of a catalogue's sentence: what follows its last conversion
 * ("%3$s", "%ld"), or all of it when it has none.
 */
static const char *
tail_of(const char *msgstr)
{
	const char	*p;

	if ((p = strrchr(msgstr, '%')) == NULL)
		return msgstr;
	for (p++; *p != '\0' && strchr("0123456789$.*lhzjt", *p) != NULL;
	    p++)
		;
	return *p != '\0' ? p + 1 : p;
}

/*
 * Said whole: out ends as the catalogue's sentence ends, and was not cut
 * at REPORT_MESSAGE_MAX. Returns its length.
 */
static size_t
whole(const char *out, const char *msgstr)
{
	const char	*tail = tail_of(msgstr);
	size_t		 len = strlen(out), tlen = strlen(tail);

	if (len + 1 >= REPORT_MESSAGE_MAX || len < tlen ||
	    strcmp(out + len - tlen, tail) != 0)
		fail_msg("cut short (%zu bytes, room for %d): \"%s\" does "
		    "not end with \"%s\"", len, REPORT_MESSAGE_MAX - 1, out,
		    tail);
	return len;
}

/*
 * Every warning said in Vietnamese with the longest arguments it takes:
 * a label of FORM_MAX_LABEL bytes (3 to a letter), the greatest numbers,
 * the widest dates and days. Each is whole, however long (report.h).
 */
static void
test_longest(void **state)
{
	char		 label[FORM_MAX_LABEL + 1], days[32 + 1];
	char		 out[REPORT_MESSAGE_MAX];
	const char	*args[5];
	size_t		 i, len, longest = 0;

	(void)state;
	setenv("GP_LOCALEDIR", TEST_LOCALEDIR, 1);
	unsetenv("GP_LANGUAGE");
	i18n_init(I18N_GP_CLIENT, "vi");
	assert_true(i18n_vietnamese());
	for (i = 0; i + 3 <= FORM_MAX_LABEL; i += 3)
		memcpy(label + i, "\xe1\xbb\x87", 3);	/* "ệ" */
	label[i] = '\0';
	memset(days, '9', sizeof(days) - 1);
	days[sizeof(days) - 1] = '\0';

	args[0] = "1970-01-01";
	args[1] = "9999-12-31";
	assert_int_equal(warning_say(WARNING_LATE, args, 2, out), 0);
	len = whole(out, ngettext("late: due %s, submitted %s (%s day late)",
	    "late: due %s, submitted %s (%s days late)", 2932896));
	longest = len > longest ? len : longest;
	assert_int_equal(warning_say(WARNING_LATE_EXTENDED, args, 2, out), 0);
	len = whole(out, ngettext("late: due %s (extended), submitted %s (%s "
	    "day late)", "late: due %s (extended), submitted %s (%s days "
	    "late)", 2932896));
	longest = len > longest ? len : longest;

	args[0] = "9999-12-31";
	assert_int_equal(warning_say(WARNING_PLANNED_PAST, args, 2, out), 0);
	len = whole(out, _("planned activity dated %s, before the day of "
	    "submission %s: was it done? Then mark it done, with its "
	    "figures"));
	longest = len > longest ? len : longest;

	args[0] = "action_month";
	args[1] = label;
	args[2] = "2022-12-31";
	args[3] = "2147483647";
	args[4] = days;
	assert_int_equal(warning_say(WARNING_OCCASION_FAR, args, 5, out), 0);
	assert_non_null(strstr(out, label));
	len = whole(out, ngettext("%s activity dated %s, %ld day from %s",
	    "%s activity dated %s, %ld days from %s", 2147483647));
	longest = len > longest ? len : longest;

	args[0] = "annual";
	args[1] = "action_month";
	args[2] = label;
	assert_int_equal(warning_say(WARNING_NO_OCCASION, args, 3, out), 0);
	len = strlen(out);
	assert_true(len + 1 < REPORT_MESSAGE_MAX);
	assert_true(len > strlen(label) + 3);
	assert_memory_equal(out + len - strlen(label) - 3, label,
	    strlen(label));
	assert_string_equal(out + len - 3, "\xe2\x80\x9d");
	longest = len > longest ? len : longest;

	args[0] = "gbv_cases_detected";
	args[1] = label;
	args[2] = "2100";
	args[3] = "18446744073709551615";
	assert_int_equal(warning_say(WARNING_FEMALE_NOT_COUNTED, args, 4, out),
	    0);
	assert_non_null(strstr(out, label));
	len = whole(out, _("%s has no women's figure in the %d form: %s is "
	    "kept but not counted"));
	longest = len > longest ? len : longest;

	print_message("longest warning in Vietnamese: %zu bytes of %d\n",
	    longest, REPORT_MESSAGE_MAX - 1);
	i18n_english();
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_vietnamese),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_add_kept),
		cmocka_unit_test(test_add_too_long),
		cmocka_unit_test(test_longest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
