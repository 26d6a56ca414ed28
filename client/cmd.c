/*
 * The command table's parser and help (cmd.h). Our own small parser, not
 * getopt_long: an entry declares its options once, a mistake is named as
 * the user typed it ("--by", not "-b"), and there is no global state to
 * reset between the global options and the command's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cause.h"
#include "fmt.h"
#include "cmd.h"

#define CMD_HELP_COLUMN	24	/* where option descriptions start */
#define CMD_HELP_WIDTH	79	/* what a help line fills, at most */

/* The options every entry may take besides its own. */
static const struct cmd_option cmd_json = { "json", 0, NULL, 0,
    N_("print one JSON value instead of text (in English, whatever the "
    "language)") };
static const struct cmd_option cmd_csv = { "csv", 0, NULL, 0,
    N_("print the table as CSV (UTF-8), for a spreadsheet; in English, "
    "whatever the language") };
static const struct cmd_option cmd_helpopt = { "help", 'h', NULL, 0,
    N_("print this help and exit") };

static int	cmd_fail(const struct cmd_entry *, char **, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static size_t
cmd_noptions(const struct cmd_entry *e)
{
	size_t	n;

	for (n = 0; n < CMD_MAX_OPTIONS && e->options[n].name != NULL; n++)
		;
	return n;
}

void
cmd_synopsis(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_option	*o;
	size_t			 i, n = cmd_noptions(e);

	fprintf(f, "gp-client %s", e->name);
	for (i = 0; i < n; i++) {
		o = &e->options[i];
		fprintf(f, " %s--%s%s%s%s", o->required ? "" : "[", o->name,
		    o->value != NULL ? " " : "", o->value != NULL ?
		    _(o->value) : "", o->required ? "" : "]");
	}
	if ((e->flags & CMD_JSON) && (e->flags & CMD_CSV))
		fputs(" [--json | --csv]", f);
	else if (e->flags & CMD_JSON)
		fputs(" [--json]", f);
	if (e->operands != NULL && e->operands[0] != '\0')
		fprintf(f, " %s", _(e->operands));
}

/* A usage mistake: what, then the synopsis and where the help is. */
static int
cmd_fail(const struct cmd_entry *e, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*what = NULL, *synopsis = NULL;
	size_t	 len = 0;
	FILE	*f;

	va_start(ap, fmt);
	cause_vset(&what, fmt, ap);
	va_end(ap);
	if ((f = open_memstream(&synopsis, &len)) != NULL) {
		cmd_synopsis(f, e);
		if (fclose(f) != 0) {
			free(synopsis);
			synopsis = NULL;
		}
	}
	if (what == NULL || synopsis == NULL)
		*cause = NULL;
	else
		/* TRANSLATORS: what was wrong; the command's synopsis; the
		 * command's name. */
		cause_set(cause, _("%s; usage: %s (more: gp-client %s --help)"),
		    what, synopsis, e->name);
	free(what);
	free(synopsis);
	return -1;
}

/* The option of e named name (len bytes), or NULL; *idx its place in
 * e->options, -1 for the common ones. */
static const struct cmd_option *
cmd_lookup(const struct cmd_entry *e, const char *name, size_t len,
    int letter, int *idx)
{
	const struct cmd_option	*o;
	size_t			 i, n = cmd_noptions(e);

	*idx = -1;
	for (i = 0; i < n; i++) {
		o = &e->options[i];
		if ((name != NULL && strlen(o->name) == len &&
		    strncmp(o->name, name, len) == 0) ||
		    (name == NULL && letter != 0 && o->letter == letter)) {
			*idx = (int)i;
			return o;
		}
	}
	if (name == NULL)
		return letter == 'h' ? &cmd_helpopt : NULL;
	if ((e->flags & CMD_JSON) && len == 4 && strncmp(name, "json", 4) == 0)
		return &cmd_json;
	if ((e->flags & CMD_CSV) && len == 3 && strncmp(name, "csv", 3) == 0)
		return &cmd_csv;
	if (len == 4 && strncmp(name, "help", 4) == 0)
		return &cmd_helpopt;
	return NULL;
}

/* Whether argv holds --help (or -h) before any "--". */
static int
cmd_wants_help(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int
cmd_wants_json(const struct cmd_entry *e, int argc, char **argv)
{
	int	i;

	if (!(e->flags & CMD_JSON))
		return 0;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			return 1;
	return 0;
}

int
cmd_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_args *args, char **cause)
{
	const struct cmd_option	*o;
	const char		*arg, *name, *eq, *value;
	size_t			 len, i, n;
	int			 k, idx, dashdash = 0;

	*cause = NULL;
	memset(args, 0, sizeof(*args));
	args->entry = e;
	if ((args->operands = calloc((size_t)argc + 1,
	    sizeof(*args->operands))) == NULL)
		return -1;
	if ((args->help = cmd_wants_help(argc, argv)))
		return 0;
	args->json = cmd_wants_json(e, argc, argv);

	for (k = 1; k < argc; k++) {
		arg = argv[k];
		if (!dashdash && strcmp(arg, "--") == 0) {
			dashdash = 1;
			continue;
		}
		/* "-" alone is standard input, an operand. */
		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			args->operands[args->noperands++] = argv[k];
			continue;
		}
		value = NULL;
		if (arg[1] == '-') {
			name = arg + 2;
			eq = strchr(name, '=');
			len = eq != NULL ? (size_t)(eq - name) : strlen(name);
			if ((o = cmd_lookup(e, name, len, 0, &idx)) == NULL)
				return cmd_fail(e, cause, _("%s does not take "
				    "the option '--%.*s'"), e->name, (int)len,
				    name);
			if (eq != NULL && o->value == NULL)
				return cmd_fail(e, cause, _("the option '--%s' "
				    "takes no value"), o->name);
			if (eq != NULL)
				value = eq + 1;
		} else {
			if ((o = cmd_lookup(e, NULL, 0, arg[1],
			    &idx)) == NULL || (o->value == NULL &&
			    arg[2] != '\0'))
				return cmd_fail(e, cause, _("%s does not take "
				    "the option '%s'"), e->name, arg);
			if (arg[2] != '\0')
				value = arg + 2;	/* -oFILE */
		}
		if (o->value != NULL && value == NULL) {
			if (k + 1 == argc)
				return cmd_fail(e, cause, _("'%s' needs a "
				    "value: %s %s"), arg, arg, _(o->value));
			value = argv[++k];
		}
		if (o == &cmd_json)
			args->json = 1;
		else if (o == &cmd_csv)
			args->csv = 1;
		else if (idx >= 0)
			args->values[idx] = value != NULL ? value : "";
	}

	n = cmd_noptions(e);
	for (i = 0; i < n; i++)
		if (e->options[i].required && args->values[i] == NULL)
			return cmd_fail(e, cause, _("%s needs --%s %s"),
			    e->name, e->options[i].name,
			    _(e->options[i].value));
	if (args->noperands < e->min_operands)
		return cmd_fail(e, cause, _("%s needs %s"), e->name,
		    _(e->operands));
	if (args->noperands > e->max_operands)
		return cmd_fail(e, cause, _("unexpected argument '%s'"),
		    args->operands[e->max_operands]);
	if (args->json && args->csv)
		return cmd_fail(e, cause, "%s", _("--json and --csv exclude "
		    "each other: choose one"));
	return 0;
}

void
cmd_args_free(struct cmd_args *args)
{
	free(args->operands);
	args->operands = NULL;
}

const char *
cmd_value(const struct cmd_args *args, const char *name)
{
	int	idx;

	if (cmd_lookup(args->entry, name, strlen(name), 0, &idx) == NULL ||
	    idx < 0)
		return NULL;
	return args->values[idx];
}

const struct cmd_entry *
cmd_find(const struct cmd_entry *const *table, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

void
cmd_wrap_at(FILE *f, const char *s, size_t col)
{
	const char	*word, *end;
	char		*w;
	size_t		 at = col, ww;

	for (word = s; *word != '\0'; word = end) {
		if (*word == '\n') {
			fprintf(f, "\n%*s", (int)col, "");
			at = col;
			end = word + 1;
			continue;
		}
		if (*word == ' ') {
			end = word + 1;
			continue;
		}
		end = word + strcspn(word, " \n");
		if ((w = strndup(word, (size_t)(end - word))) == NULL)
			return;
		ww = fmt_width(w);
		if (at > col && at + 1 + ww > CMD_HELP_WIDTH) {
			fprintf(f, "\n%*s", (int)col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fputs(w, f);
		at += ww;
		free(w);
	}
	fputc('\n', f);
}

void
cmd_wrap(FILE *f, const char *s)
{
	cmd_wrap_at(f, s, 0);
}

static void
cmd_help_option(FILE *f, const struct cmd_option *o)
{
	char	left[128];
	size_t	width;

	if (o->letter != 0)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->letter,
		    o->name, o->value != NULL ? " " : "", o->value != NULL ?
		    _(o->value) : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", o->name,
		    o->value != NULL ? " " : "", o->value != NULL ?
		    _(o->value) : "");
	fputs("  ", f);
	if ((width = fmt_width(left)) + 2 >= CMD_HELP_COLUMN)
		fprintf(f, "%s\n  %*s", left, CMD_HELP_COLUMN, "");
	else
		fmt_put(f, left, CMD_HELP_COLUMN, FMT_LEFT);
	cmd_wrap_at(f, _(o->help), CMD_HELP_COLUMN + 2);
}

void
cmd_help_options(FILE *f, const struct cmd_option *options)
{
	const struct cmd_option	*o;

	for (o = options; o->name != NULL; o++)
		cmd_help_option(f, o);
}

void
cmd_help(FILE *f, const struct cmd_entry *e)
{
	size_t	i, n = cmd_noptions(e);

	/* TRANSLATORS: before a command's synopsis, as in "usage: gp-client
	 * submit [--no-queue] [--json] FILE|-". */
	fputs(_("usage: "), f);
	cmd_synopsis(f, e);
	fputs("\n\n", f);
	cmd_wrap(f, _(e->help));
	fprintf(f, "\n%s\n", _("options:"));
	for (i = 0; i < n; i++)
		cmd_help_option(f, &e->options[i]);
	if (e->flags & CMD_JSON)
		cmd_help_option(f, &cmd_json);
	if (e->flags & CMD_CSV)
		cmd_help_option(f, &cmd_csv);
	cmd_help_option(f, &cmd_helpopt);
	if (e->flags & CMD_PERIOD) {
		fputc('\n', f);
		cmd_wrap(f, _("A PERIOD is the year and H1 for the six-month "
		    "report (2022-H1: December of the year before to May), or "
		    "the year alone for the annual report (2022: December of "
		    "the year before to November)."));
	}
	fprintf(f, "\n%s\n  %s\n", _("example:"), e->example);
	if (e->flags & (CMD_CONNECT | CMD_SETTINGS | CMD_DOCTOR | CMD_CA)) {
		fputc('\n', f);
		cmd_wrap(f, _("The server, certificates and outbox come from "
		    "the configuration file or the global options before the "
		    "command (-s, --ca, --cert, --key, -c, --timeout, "
		    "--retries, --outbox); see 'gp-client --help'."));
	}
}
