#!/bin/sh
# The catalogues are whole and current (make check-po; po/README):
#
#   po/check-po.sh BUILT.pot PODIR LANG...   fail on anything below
#   po/check-po.sh --report PODIR LANG...    say how far each .po is
#
# 1. PODIR/gp.pot is what xgettext makes of the sources now (BUILT.pot),
#    its creation date aside: a message added, changed or removed in the
#    sources without `make po` fails here.
# 2. Every message of gp.pot is in each LANG.po, translated, not fuzzy.
# 3. msgfmt --check accepts each LANG.po: its header, plural forms, and
#    format strings whose conversions match the English ones (%s, %zu,
#    $name in gp-ca), in number, order and type.
set -eu

report=0
built=
if [ "${1-}" = --report ]; then
	report=1
	shift
else
	built=$1
	shift
fi
dir=$1
shift

T=$(mktemp -d "${TMPDIR:-/tmp}/check-po.XXXXXX")
trap 'rm -rf "$T"' EXIT

failed=0
bad() {
	echo "check-po: $*" >&2
	failed=1
}

if [ -n "$built" ]; then
	grep -v '^"POT-Creation-Date: ' "$built" > "$T/built"
	grep -v '^"POT-Creation-Date: ' "$dir/gp.pot" > "$T/kept"
	if ! cmp -s "$T/kept" "$T/built"; then
		diff -u "$T/kept" "$T/built" | sed -n '3,40p' >&2 || true
		bad "$dir/gp.pot is not what the sources say (above: what" \
		    "changed): run 'make po', translate what is new, commit both"
	fi
fi

for lang in "$@"; do
	po=$dir/$lang.po
	if ! msgfmt --check --statistics -o /dev/null "$po" 2>"$T/stats"; then
		cat "$T/stats" >&2
		bad "$po: msgfmt --check refuses it (above)"
		continue
	fi
	stats=$(cat "$T/stats")
	if [ "$report" -eq 1 ]; then
		echo "$po: $stats"
		continue
	fi
	if ! msgcmp "$po" "$dir/gp.pot" >"$T/msgcmp" 2>&1; then
		sed -n '1,20p' "$T/msgcmp" >&2
		bad "$po lacks messages of gp.pot: run 'make po' and translate"
	fi
	case $stats in
	*untranslated*)
		msgattrib --untranslated --no-obsolete "$po" | sed -n '1,40p' >&2
		bad "$po: $stats: translate every message";;
	esac
	case $stats in
	*fuzzy*)
		msgattrib --only-fuzzy --no-obsolete "$po" | sed -n '1,40p' >&2
		bad "$po: $stats: check each fuzzy message, then remove its" \
		    "'#, fuzzy' line";;
	esac
	[ "$failed" -ne 0 ] || echo "check-po: $po: $stats"
done
exit "$failed"
