/*
 * gp-client's commands, declared once (after tmux's struct cmd_entry):
 * each command's entry names its operands and options, says what it needs
 * (the network, the outbox) and whether it prints JSON or a table. The
 * one parser reads every command's arguments from its entry, and the one
 * help prints the same full usage for `gp-client CMD --help` and
 * `gp-client help CMD`, without a server or a configuration.
 *
 * Options may come before or after the operands; "--" ends them. --json,
 * --csv (for commands that print a table) and --help are every command's
 * where the entry allows, and may also come before the command name.
 *
 * The texts of an entry are for people and are translated where they are
 * printed: each is marked N_() where the entry is written (po/README),
 * and is a whole sentence or phrase, never assembled from pieces, without
 * line breaks (help is wrapped to the terminal's 79 columns as it is
 * printed, by display width). The names of values and operands ("PERIOD",
 * "FILE|-") are translated too; option and command names never are.
 */
#ifndef GP_CMD_H
#define GP_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "i18n.h"

#define CMD_MAX_OPTIONS	8	/* per entry, besides --json, --csv, --help */

/* What a command needs and prints (cmd_entry.flags). */
#define CMD_CONNECT	0x01	/* the server and the TLS files: required */
#define CMD_SETTINGS	0x02	/* the configuration file, the outbox path */
#define CMD_DOCTOR	0x04	/* as CMD_SETTINGS, problems not fatal */
#define CMD_CA		0x08	/* the CA file only: required */
#define CMD_JSON	0x10	/* takes --json */
#define CMD_CSV		0x20	/* prints a table: takes --csv */
#define CMD_PERIOD	0x40	/* takes a period: help explains the format */
#define CMD_FORMS	0x80	/* report forms: the configuration if any (its
				   problems not fatal), the state directory */

struct cmd_option {
	const char	*name;		/* the long name, without "--" */
	int		 letter;	/* the short one, or 0 */
	const char	*value;		/* its value's name ("PERIOD"), or NULL
					   for an option without a value */
	int		 required;
	const char	*help;		/* one line: what it does */
};

struct client;
struct cmd_args;

struct cmd_entry {
	const char		*name;
	const char		*operands;	/* "UNIT PERIOD", "[COMMAND]" */
	int			 min_operands;
	int			 max_operands;
	const char		*summary;	/* one line, for the list */
	const char		*help;		/* what it does, for --help */
	const char		*example;	/* one command line */
	struct cmd_option	 options[CMD_MAX_OPTIONS]; /* ends at NULL */
	int			 flags;
	int			(*exec)(struct client *,
				    const struct cmd_args *);
};

/* A command's arguments, as cmd_parse read them: pointers into argv. */
struct cmd_args {
	const struct cmd_entry	*entry;
	const char		*values[CMD_MAX_OPTIONS]; /* NULL: not given;
							    "" for a flag */
	int			 json;
	int			 csv;
	int			 help;
	char			**operands;	/* malloc'd array */
	int			 noperands;
};

/*
 * Reads argv[1..argc-1], the arguments of e's command (argv[0] is its
 * name), into args. --help anywhere before "--" wins over every mistake.
 * Returns 0, or -1 with *cause (a sentence naming the option as it was
 * typed and the command's usage; malloc'd, NULL when out of memory).
 * Free args with cmd_args_free either way.
 */
int	 cmd_parse(const struct cmd_entry *e, int argc, char **argv,
	    struct cmd_args *args, char **cause);
void	 cmd_args_free(struct cmd_args *);

/* The value of the option named name, or NULL when it was not given;
 * for an option without a value, "" when given. */
const char	*cmd_value(const struct cmd_args *, const char *name);

/* The entry named name in table (n entries), or NULL. */
const struct cmd_entry *cmd_find(const struct cmd_entry *const *table,
		    size_t n, const char *name);

/* Whether argv (argv[0] is e's name) holds --json before any "--" and e
 * takes it: the run then speaks English, so that its JSON is the same in
 * every language, and failures of the parse are said as JSON too. */
int	 cmd_wants_json(const struct cmd_entry *e, int argc, char **argv);

/* "gp-client NAME [options] OPERANDS", the synopsis of e. */
void	 cmd_synopsis(FILE *, const struct cmd_entry *e);

/* The full help of e: synopsis, what it does, each option, the period
 * format where it takes one, an example. */
void	 cmd_help(FILE *, const struct cmd_entry *e);

/* Options as cmd_help lists them (the array ends at a NULL name). */
void	 cmd_help_options(FILE *, const struct cmd_option *);

/* A paragraph wrapped to 79 columns by display width. */
void	 cmd_wrap(FILE *, const char *);

/* The same from column col, where the cursor stands, the next lines
 * indented to it; a newline in s starts a line. Ends the last line. */
void	 cmd_wrap_at(FILE *, const char *, size_t col);

#endif
