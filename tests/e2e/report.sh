#!/bin/bash
# End-to-end tests of gp-report: the report for the 11 Lai Châu units of
# tests/data/report-2022-H1.jsonl (one late, one not reported, a previous
# year), read back by real readers: python-docx and the package's own
# parts (tests/e2e/report.py), LibreOffice (one conversion to PDF, its text
# read by pdftotext), and refused input.
#
#   GP_REPORT=build/gp-report tests/e2e/report.sh
#
# SOFFICE=no skips LibreOffice (the ASan run). KEEP=1 keeps the directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GP_REPORT=$(realpath "${GP_REPORT:-$ROOT/build/gp-report}")
DATA=$ROOT/tests/data/report-2022-H1.jsonl
# python-docx is Debian's python3-docx: the system's Python, whatever
# other python3 comes first in PATH.
PYTHON=${PYTHON:-/usr/bin/python3}
SOFFICE=${SOFFICE:-soffice}

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_workdir report	# W
e2e_built "$GP_REPORT"
"$PYTHON" -c 'import docx' 2>/dev/null ||
    { echo "report: python3-docx is missing: run scripts/deps.sh" >&2; exit 1; }

# Runs report.py MODE FILE; its failures become this test's reason.
readers() {
	local out
	out=$("$PYTHON" "$ROOT/tests/e2e/report.py" "$1" "$DATA" "$2" 2>&1) ||
	    { fail "$(printf '%s\n' "$out" | grep -v '^ok ')"; return; }
}

test_writes_docx() {
	run "$GP_REPORT" -o "$W/r.docx" "$DATA"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ -s "$W/r.docx" ] || fail "no document"
	[ ! -s "$W/err" ] || fail "said: $(cat "$W/err")"
}

test_python_docx() {
	readers docx "$W/r.docx"
}

test_stdin_same_document() {
	run sh -c "\"$GP_REPORT\" -o \"$W/stdin.docx\" < \"$DATA\""
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	"$PYTHON" - "$W/r.docx" "$W/stdin.docx" <<'PY' ||
import sys, zipfile
a, b = (zipfile.ZipFile(p).read("word/document.xml") for p in sys.argv[1:])
sys.exit(a != b)
PY
	    fail "another document from stdin"
}

test_libreoffice() {
	if [ "$SOFFICE" = no ]; then
		echo "# LibreOffice skipped (SOFFICE=no)"
		return 0
	fi
	command -v "$SOFFICE" >/dev/null ||
	    { fail "soffice is missing: run scripts/deps.sh"; return; }
	# A profile of its own: no other LibreOffice on the machine is
	# touched or waited for.
	RC=0
	timeout 180 "$SOFFICE" -env:UserInstallation="file://$W/lo" \
	    --headless --convert-to pdf --outdir "$W" "$W/r.docx" \
	    >"$W/out" 2>"$W/err" </dev/null || RC=$?
	[ "$RC" -eq 0 ] && [ -s "$W/r.pdf" ] ||
	    { fail "exit $RC, $(cat "$W/out" "$W/err")"; return; }
	grep -qi "error" "$W/err" && { fail "$(cat "$W/err")"; return; }
	pdftotext "$W/r.pdf" "$W/r.txt" || { fail "pdftotext"; return; }
	readers pdf "$W/r.txt"
	pdffonts "$W/r.pdf" > "$W/fonts"
	grep -Eq "LiberationSerif|TimesNewRoman" "$W/fonts" ||
	    fail "not set in Times New Roman or Liberation Serif: $(cat "$W/fonts")"
}

# The document's settings ([report] in gp-client's configuration, the
# data's "document"), none of them Lai Châu's defaults, some with & < >
# and quotes; no year before.
test_settings() {
	"$PYTHON" - "$DATA" "$W/settings.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec, i, recs = json.JSONDecoder(), 0, []
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    o, i = dec.raw_decode(text, i)
    recs.append(o)
h = recs[0]
h.pop("previous")
h["document"] = {
    "parent_body": "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
    "body": "LĐLĐ TỈNH ĐIỆN BIÊN",
    "body_name": "Ban Thường vụ LĐLĐ tỉnh Điện Biên",
    "number": "Số: 27/BC-LĐLĐ",
    "place": "Điện Biên Phủ",
    "date": "2022-07-01",
    "subject": "Kết quả công tác nữ công & \"bình đẳng giới\" <thử>",
    "signer_authority": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
    "signer_name": "Lò Văn A & Lò Thị <B>",
    "recipients": ["Ban Nữ công <Tổng LĐLĐ> & \"Ban Tuyên giáo\"",
                   "Lưu: VT."],
    "highlights": 2}
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in recs:
        if "previous_unit" not in r:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
	run "$GP_REPORT" -o "$W/settings.docx" "$W/settings.jsonl"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local out
	out=$("$PYTHON" "$ROOT/tests/e2e/report.py" settings \
	    "$W/settings.jsonl" "$W/settings.docx" 2>&1) ||
	    fail "$(printf '%s\n' "$out" | grep -v '^ok ')"
}

# A period no unit reported: a document that says so, without charts.
test_no_reports() {
	"$PYTHON" - "$DATA" "$W/empty.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec, i, recs = json.JSONDecoder(), 0, []
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    o, i = dec.raw_decode(text, i)
    recs.append(o)
recs[0].pop("previous")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(json.dumps(recs[0], ensure_ascii=False) + "\n")
    for r in recs[1:]:
        if "unit" in r:
            for k in ("report", "submitted", "revision", "review"):
                r["unit"].pop(k, None)
            r["unit"]["submission"] = "missing"
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
	run "$GP_REPORT" -o "$W/empty.docx" "$W/empty.jsonl"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local out
	out=$("$PYTHON" "$ROOT/tests/e2e/report.py" empty "$W/empty.jsonl" \
	    "$W/empty.docx" 2>&1) ||
	    fail "$(printf '%s\n' "$out" | grep -v '^ok ')"
}

# A broken report: exit 65, the field named, no document left behind.
test_refuses_bad_data() {
	python3 - "$DATA" "$W/bad.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
lines[4] = lines[4].replace('"female": 88', '"female": 8800', 1)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
	run "$GP_REPORT" -o "$W/bad.docx" "$W/bad.jsonl"
	[ "$RC" -eq 65 ] || { fail "exit $RC"; return; }
	grep -q "units\[3\].report.activities\[1\].female: 8800 is more than" \
	    "$W/err" || fail "said: $(cat "$W/err")"
	[ ! -e "$W/bad.docx" ] || fail "a document was left"
}

test_usage() {
	run "$GP_REPORT" "$DATA"
	[ "$RC" -eq 64 ] || { fail "without -o: exit $RC"; return; }
	run "$GP_REPORT" --format pdf -o "$W/x.pdf" "$DATA"
	[ "$RC" -eq 64 ] || { fail "pdf: exit $RC"; return; }
	grep -q "convert-to pdf" "$W/err" || fail "pdf: $(cat "$W/err")"
	run "$GP_REPORT" -o "$W/x.docx" "$W/nothere.jsonl"
	[ "$RC" -eq 66 ] || fail "no input: exit $RC"
	run "$GP_REPORT" -o "$W/nodir/x.docx" "$DATA"
	[ "$RC" -eq 73 ] || fail "unwritable: exit $RC: $(cat "$W/err")"
}

t "writes the report for 11 units" test_writes_docx
t "python-docx reads header, title, areas, units, figures, package" \
    test_python_docx
t "the same document from standard input" test_stdin_same_document
t "LibreOffice converts it; pdftotext finds the Vietnamese text" \
    test_libreoffice
t "other settings, escaped; no year before: no comparison" test_settings
t "no unit reported: said in every part, no chart of zeros" test_no_reports
t "refuses bad data, naming the field" test_refuses_bad_data
t "usage, pdf, missing input, unwritable output" test_usage
summary
