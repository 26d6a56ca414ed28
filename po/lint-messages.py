#!/usr/bin/env python3
"""Messages a person reads that are not marked for translation.

    po/lint-messages.py po/POTFILES          files marked "done" only; exit 1
                                             when one prints an unmarked
                                             message (make check-po)
    po/lint-messages.py --all po/POTFILES [FILE ...]
                                             every file of POTFILES, and the
                                             FILEs: the to-do list of phase 2
                                             (make po-todo)

In C, the text argument of the functions that print for a person or hand a
sentence back (client_fail, output_failure, fmt_line, doctor_say, cause_set,
asprintf into a cause, fprintf to stderr, ...) must be a string wrapped in
_(), N_(), C_() or ngettext(), or not a string at all (a variable, "%s").
In gp-ca (sh), the text of die, say and echo must come from msg or nmsg.
A string of words that is not for a person (a log line, a JSON key, a
format of numbers) is passed to another function, or written without
words, or U_("...") where it is printed (a file's contents, a marker a
script reads; "# i18n: no" at the end of the line in sh). po/README.
"""
import re
import sys

# Function -> the indexes of its arguments that are text for a person.
C_TEXT_ARGS = {
    "client_fail": [2], "admin_fail": [2], "output_failure": [2],
    "output_note": [0], "output_queued": [1], "output_invalid": [3],
    "doctor_say": [4], "proof_say": [3], "cause_set": [1],
    "fmt_line": [1], "fmt_paragraph": [2], "cmd_fail": [2],
    "conf_problem": [1], "tls_cause": [1, 2],
    "printf": [0], "fputs": [0], "puts": [0],
    "fprintf": [1], "asprintf": [1], "snprintf": [2], "strdup": [0],
    "cmd_wrap": [1], "report_errors_add": [2],
}
MARKERS = ("_", "N_", "C_", "ngettext", "U_")
# Three letters in a row, once conversions and escapes are gone: words.
WORDS = re.compile(r"[A-Za-z]{3,}")
CONV = re.compile(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t|L|PRI[a-z0-9]+)?[a-zA-Z%]")


def strip_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("/*", i):
            j = src.index("*/", i) + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif src[i] in "\"'":
            q, j = src[i], i + 1
            while src[j] != q:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def split_args(src, start):
    """The arguments of the call whose "(" is at start: (text, offset)."""
    args, depth, i, begin = [], 0, start, start + 1
    while True:
        c = src[i]
        if c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((src[begin:i], begin))
                return args, i
        elif c == "," and depth == 1:
            args.append((src[begin:i], begin))
            begin = i + 1
        i += 1


def bare_strings(arg):
    """String literals of arg outside _(), N_(), C_() and ngettext()."""
    found, i, n = [], 0, len(arg)
    while i < n:
        m = re.match(r"(?:\b(_|N_|C_|ngettext|U_)\s*\()", arg[i:])
        if m and (i == 0 or not (arg[i - 1].isalnum() or arg[i - 1] == "_")):
            _, end = split_args(arg, i + m.end() - 1)
            i = end + 1
            continue
        if arg[i] == '"':
            j = i + 1
            while arg[j] != '"':
                j += 2 if arg[j] == "\\" else 1
            found.append(arg[i + 1:j])
            i = j + 1
            continue
        if arg[i] == "'":
            j = i + 1
            while arg[j] != "'":
                j += 2 if arg[j] == "\\" else 1
            i = j + 1
            continue
        i += 1
    return found


# What is never translated: file names and paths, options, INI sections,
# the programs' names.
NOT_WORDS = re.compile(r"\S*[/.]\S*|(?<!\w)--?[a-z][-a-z]*|\[[a-z_]+\]|"
                       r"\bgp(?:d|-client|-ca|-report)?\b")


# A field's path, never translated: activities[%zu].outputs, %s.texts.
FIELD_PATH = re.compile(r"^[%A-Za-z0-9_.\[\]]+$")


def has_words(lit):
    if FIELD_PATH.match(lit) and re.search(r"[.\[]", lit):
        return False
    text = re.sub(r"\\.", " ", lit)
    text = CONV.sub(" ", text)
    text = NOT_WORDS.sub(" ", text)
    return WORDS.search(text) is not None


def lint_c(path):
    src = strip_comments(open(path, encoding="utf-8").read())
    problems = []
    for m in re.finditer(r"\b([a-z_]+)\s*\(", src):
        name = m.group(1)
        if name not in C_TEXT_ARGS:
            continue
        # A declaration or definition, not a call.
        before = src[max(0, m.start() - 40):m.start()]
        if re.search(r"(?:^|\n)[a-z_ \t*]*$", before) and \
                re.search(r"\b(?:int|void|char|static)\b[^;{}()]*$", before):
            continue
        args, _ = split_args(src, m.end() - 1)
        if name in ("fprintf", "fputs") and len(args) > 1:
            stream = args[0 if name == "fprintf" else 1][0].strip()
            if stream not in ("stderr", "stdout", "f"):
                continue
        for k in C_TEXT_ARGS[name]:
            if k >= len(args):
                continue
            lits = [lit for lit in bare_strings(args[k][0]) if has_words(lit)]
            if lits:
                line = src.count("\n", 0, args[k][1]) + 1
                problems.append((path, line, name, "".join(lits)))
    return problems


SH_TEXT = re.compile(r'^\s*(?:die\s+\d+|say|echo)\s+"([^"]*)"')


def lint_sh(path):
    problems = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = SH_TEXT.match(line)
        if not m or "# i18n: no" in line:
            continue
        text = re.sub(r"\$\((?:n?msg)\s[^)]*\)?", " ", m.group(1))
        text = re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", " ", text)
        if has_words(text) and "$(msg" not in m.group(1) and \
                "$(nmsg" not in m.group(1):
            problems.append((path, n, line.split()[0], m.group(1)))
    return problems


def main(argv):
    every = "--all" in argv
    argv = [a for a in argv if a != "--all"]
    files = []
    for line in open(argv[0], encoding="utf-8"):
        line = line.split("#", 1)[0].split()
        if line and (every or "done" in line[1:]):
            files.append(line[0])
    if every:
        files += [f for f in argv[1:] if f not in files]
    problems = []
    for path in files:
        problems += lint_sh(path) if not path.endswith((".c", ".h")) \
            else lint_c(path)
    for path, line, fn, lit in problems:
        print("%s:%d: %s: not marked for translation: \"%s\"" %
              (path, line, fn, lit[:60]))
    if every:
        counts = {}
        for path, _, _, _ in problems:
            counts[path] = counts.get(path, 0) + 1
        for path in sorted(counts):
            print("%5d  %s" % (counts[path], path))
        print("%5d  in all" % len(problems))
        return 0
    if problems:
        print("lint-messages: %d message(s) a person reads are not marked: "
              "wrap them in _() (po/README)" % len(problems), file=sys.stderr)
        return 1
    print("lint-messages: every message of %d done files is marked" %
          len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
