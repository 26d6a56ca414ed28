/*
 * Unit tests for client/cmd.c: options before and after the operands,
 * --json and --csv where the entry allows them, --help winning over
 * mistakes, and usage errors that name the option as it was typed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "fmt.h"

static const struct cmd_entry test_summary = {
	"summary", "PERIOD", 1, 1,
	"totals by area, unit, occasion or kind",
	"Add up the latest revision of every report for PERIOD.",
	"gp-client summary 2022-H1 --by area",
	{
		{ "by", 'b', "KEY", 0, "area, unit, occasion or kind" },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	NULL
};

static const struct cmd_entry test_export = {
	"export", "PERIOD", 1, 1,
	"write the activity rows as csv, json or xlsx",
	"Write every activity.",
	"gp-client export 2022-H1 --format xlsx -o a.xlsx",
	{
		{ "format", 'f', "FORMAT", 1, "csv, json or xlsx" },
		{ "output", 'o', "FILE", 1, "the file to write" },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	NULL
};

static const struct cmd_entry test_submit = {
	"submit", "FILE|-", 1, 1,
	"send a report",
	"Read the report FILE and send it.",
	"gp-client submit r.json",
	{
		{ "no-queue", 0, NULL, 0, "never keep the report" },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON,
	NULL
};

static const struct cmd_entry test_help = {
	"help", "[COMMAND]", 0, 1, "show the commands", "Show them.",
	"gp-client help submit", { { NULL, 0, NULL, 0, NULL } }, 0, NULL
};

/* Parses the words of line (space-separated) for e. */
static int
parse(const struct cmd_entry *e, const char *line, struct cmd_args *args,
    char **cause)
{
	static char	 buf[512];
	static char	*argv[32];
	int		 argc = 0;
	char		*w, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < 31;
	    w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return cmd_parse(e, argc, argv, args, cause);
}

/* A parse that must fail, with want in the sentence. */
static void
assert_refused(const struct cmd_entry *e, const char *line,
    const char *want)
{
	struct cmd_args	 args;
	char		*cause = NULL;

	assert_int_equal(parse(e, line, &args, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", line, cause, want);
	/* Every refusal shows the usage and where the help is. */
	assert_non_null(strstr(cause, "; usage: gp-client "));
	assert_non_null(strstr(cause, "--help"));
	free(cause);
	cmd_args_free(&args);
}

static void
test_options_before_and_after(void **state)
{
	struct cmd_args	 args;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(parse(&test_summary, "summary --by area 2022-H1",
	    &args, &cause), 0);
	assert_string_equal(cmd_value(&args, "by"), "area");
	assert_int_equal(args.noperands, 1);
	assert_string_equal(args.operands[0], "2022-H1");
	cmd_args_free(&args);

	assert_int_equal(parse(&test_summary, "summary 2022-H1 --by=unit "
	    "--json", &args, &cause), 0);
	assert_string_equal(cmd_value(&args, "by"), "unit");
	assert_true(args.json);
	assert_false(args.csv);
	assert_string_equal(args.operands[0], "2022-H1");
	cmd_args_free(&args);

	/* Short forms, with the value joined or apart. */
	assert_int_equal(parse(&test_summary, "summary -bkind --csv 2022",
	    &args, &cause), 0);
	assert_string_equal(cmd_value(&args, "by"), "kind");
	assert_true(args.csv);
	cmd_args_free(&args);
	assert_int_equal(parse(&test_export, "export -o - 2022 -f csv",
	    &args, &cause), 0);
	assert_string_equal(cmd_value(&args, "output"), "-");
	assert_string_equal(cmd_value(&args, "format"), "csv");
	assert_null(cmd_value(&args, "nothing"));
	cmd_args_free(&args);

	/* A flag is "" when given, NULL when not; "-" is an operand; after
	 * "--" everything is. */
	assert_int_equal(parse(&test_submit, "submit - --no-queue", &args,
	    &cause), 0);
	assert_string_equal(cmd_value(&args, "no-queue"), "");
	assert_string_equal(args.operands[0], "-");
	cmd_args_free(&args);
	assert_int_equal(parse(&test_submit, "submit -- --no-queue", &args,
	    &cause), 0);
	assert_null(cmd_value(&args, "no-queue"));
	assert_string_equal(args.operands[0], "--no-queue");
	cmd_args_free(&args);
}

static void
test_help_wins(void **state)
{
	struct cmd_args	 args;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(parse(&test_summary, "summary --help", &args,
	    &cause), 0);
	assert_true(args.help);
	cmd_args_free(&args);
	/* Missing operands, an unknown option: --help still answers. */
	assert_int_equal(parse(&test_export, "export --bogus -h", &args,
	    &cause), 0);
	assert_true(args.help);
	assert_null(cause);
	cmd_args_free(&args);
	/* Not after "--": there it is an operand. */
	assert_int_equal(parse(&test_submit, "submit -- --help", &args,
	    &cause), 0);
	assert_false(args.help);
	cmd_args_free(&args);
}

static void
test_mistakes_named_as_typed(void **state)
{
	(void)state;
	/* The user typed --by: the message says --by, not -b. */
	assert_refused(&test_summary, "summary 2022-H1 --by",
	    "'--by' needs a value: --by KEY");
	assert_refused(&test_summary, "summary 2022-H1 -b",
	    "'-b' needs a value: -b KEY");
	assert_refused(&test_summary, "summary 2022-H1 --period 2022",
	    "summary does not take the option '--period'");
	assert_refused(&test_summary, "summary 2022-H1 --bogus=1",
	    "summary does not take the option '--bogus'");
	assert_refused(&test_summary, "summary 2022-H1 -x",
	    "summary does not take the option '-x'");
	assert_refused(&test_submit, "submit r.json --no-queue=yes",
	    "the option '--no-queue' takes no value");
	/* --csv only where a table prints. */
	assert_refused(&test_export, "export 2022 -f csv -o a.csv --csv",
	    "export does not take the option '--csv'");
	assert_refused(&test_summary, "summary 2022 --json --csv",
	    "--json and --csv exclude each other");
	assert_refused(&test_export, "export 2022 -f csv",
	    "export needs --output FILE");
	assert_refused(&test_summary, "summary", "summary needs PERIOD");
	assert_refused(&test_summary, "summary 2022 2023",
	    "unexpected argument '2023'");
	assert_refused(&test_help, "help --json", "help does not take the "
	    "option '--json'");
}

/* A mistake after --json is still said as JSON. */
static void
test_json_known_on_failure(void **state)
{
	struct cmd_args	 args;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(parse(&test_summary, "summary --bogus --json",
	    &args, &cause), -1);
	assert_true(args.json);
	free(cause);
	cmd_args_free(&args);
}

static char *
help_of(const struct cmd_entry *e)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	assert_non_null(f = open_memstream(&buf, &len));
	cmd_help(f, e);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The full usage: synopsis, every option, the period format where a
 * period is taken, an example. */
static void
test_help_text(void **state)
{
	char	*h;

	(void)state;
	h = help_of(&test_summary);
	assert_non_null(strstr(h, "usage: gp-client summary [--by KEY] "
	    "[--json | --csv] PERIOD\n"));
	assert_non_null(strstr(h, "  -b, --by KEY"));
	assert_non_null(strstr(h, "      --json"));
	assert_non_null(strstr(h, "      --csv"));
	assert_non_null(strstr(h, "  -h, --help"));
	assert_non_null(strstr(h, "2022-H1"));
	assert_non_null(strstr(h, "\nexample:\n  gp-client summary 2022-H1 "
	    "--by area\n"));
	free(h);

	h = help_of(&test_export);
	assert_non_null(strstr(h, "usage: gp-client export --format FORMAT "
	    "--output FILE [--json] PERIOD\n"));
	assert_null(strstr(h, "--csv"));
	free(h);

	h = help_of(&test_help);
	assert_null(strstr(h, "PERIOD"));
	assert_null(strstr(h, "--json"));
	free(h);
}

/* Help is wrapped by display width, whatever the language: Vietnamese
 * letters with two marks are one column, a newline in a text starts a
 * line, and a continued line starts at the column it began in. */
static void
test_wrap(void **state)
{
	char	*out = NULL, *line, *next;
	size_t	 len = 0, lines = 0;
	FILE	*f;

	(void)state;
	assert_non_null(f = open_memstream(&out, &len));
	fputs("  ", f);
	cmd_wrap_at(f, "Đọc báo cáo trong TỆP (- là đầu vào chuẩn), kiểm tra "
	    "như validate, gửi lên máy chủ và in biên nhận có chữ ký. Khi "
	    "không kết nối được máy chủ, báo cáo được giữ trong hộp thư đi.\n"
	    "Dòng mới.", 2);
	assert_int_equal(fclose(f), 0);
	for (line = out; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';
		lines++;
		assert_true(fmt_width(line) <= 79);
		assert_true(strncmp(line, "  ", 2) == 0 && line[2] != ' ');
	}
	/* 171 columns of text: three lines, then the one the text began. */
	assert_int_equal(lines, 4);
	free(out);
}

static void
test_find(void **state)
{
	const struct cmd_entry *const	table[] = { &test_summary,
					    &test_export, &test_submit };

	(void)state;
	assert_ptr_equal(cmd_find(table, 3, "export"), &test_export);
	assert_null(cmd_find(table, 3, "exp"));
	assert_null(cmd_find(table, 3, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_before_and_after),
		cmocka_unit_test(test_help_wins),
		cmocka_unit_test(test_mistakes_named_as_typed),
		cmocka_unit_test(test_json_known_on_failure),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_find)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
