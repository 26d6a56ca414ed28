#!/bin/bash
# Attack end-to-end tests (issue 13): each hole found by trying gp as an
# attacker would, tried again, with its outcome asserted (file modes, exit
# codes, the bytes on the terminal, what the outbox and the receipts hold,
# what the server was sent). 127.0.0.1 only, bounded in time.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/attack.sh [SECTION ...]
#
# SECTION, all by default:
#   client  gp-client against gpfake.py (a gp/1 server that lies: hostile
#           receipts and text, certificates made for something else,
#           answers that never end) and against the real gpd
#   daemon  gpd against gpraw.py and gp-client: sessions that lose their
#           right, floods of silent connections and of refused requests,
#           clients that stop reading, hostile text in the log, files
#           and keys others could read, certificates made for something
#           else
#
# A section is a function section_NAME that runs its tests with t; its
# NAME goes in SECTION_NAMES. The real gpd of the suite (gpd_conf,
# start_gpd, $DB, $PORT) and the fake one (fake_start, fake_saw) are
# there for every section.
#
# KEEP=1 keeps the working directory. The daemon section's knobs make
# the long variants of tests/e2e/stress.sh:
#   FLOOD=1200      silent connections held against gpd while 5 submit
#   REFUSE=20       seconds of refused requests from 4 clients
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
TAMDUONG=$DATA/lc-tamduong-2022-H1.json
LOCALES=$(realpath "${GP_LOCALEDIR:-$(dirname "$GP_CLIENT")/locale}")

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

SECTION_NAMES="client daemon"
SECTIONS=${*:-$SECTION_NAMES}
for s in $SECTIONS; do
	case " $SECTION_NAMES " in
	*" $s "*) ;;
	*) echo "attack: unknown section '$s'" >&2; exit 64;;
	esac
done

FLOOD=${FLOOD:-1200}
REFUSE=${REFUSE:-20}

e2e_setup attack openssl sqlite3 python3 timeout	# W, PORT, DB
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
P=$W/pki
# A transient failure is tried again at once.
export GP_CLIENT_BACKOFF_BASE_MS=0
FAKE_PID=

BG_PIDS=

suite_cleanup() {
	local pid
	fake_stop
	for pid in $BG_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
}

# --- the PKI --------------------------------------------------------------

e2e_pki lc-tamduong lc-sinho admin-test lc-unknown lc-phongtho lc-nfc \
    admin-gone lc-flooder
# Another CA with a server certificate of its own.
"$ROOT/scripts/pki.sh" "$W/other" >/dev/null

# Extensions pki.sh does not issue: certificates of the test CA made for
# something else than what they are used for here.
cat > "$W/ext.cnf" <<'EXT'
[ server_noeku ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature
subjectAltName		= DNS:localhost, IP:127.0.0.1

[ server_clientauth ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature
extendedKeyUsage	= clientAuth
subjectAltName		= DNS:localhost, IP:127.0.0.1

[ client_noeku ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature

[ client ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature
extendedKeyUsage	= clientAuth
EXT

# A certificate of the test CA with the extensions SECTION of ext.cnf.
xcert() {	# NAME CN SECTION [OPTIONS...]
	mkcert "$@" -extfile "$W/ext.cnf"
}
xcert x-noeku localhost server_noeku
xcert x-clientauth localhost server_clientauth
# A unit's certificate without extended key usage, and one to revoke.
xcert x-unit-noeku lc-tamduong client_noeku
xcert x-revokeme lc-sinho client

# --- the real gpd ---------------------------------------------------------

e2e_units lc-tamduong lc-sinho
gpd_conf() {	# FILE
	e2e_gpd_conf "$1" "forms = $W/forms" "[tls] crl = $P/crl.pem" \
	    "[access] admins = admin-test"
}
gpd_conf "$W/gpd.conf"
# A year's form that gp-client does not have built in: fetched and kept.
mkdir -p "$W/forms"
cp "$DATA/forms/2023.json" "$W/forms/2023.json"

# --- the fake server ------------------------------------------------------

FAKE_PORT=
FAKE_LOG=
# Each fake server and each outbox of a receipt test gets a file of its
# own: a counter, not $RANDOM, whose values can repeat within one run.
NTH=0

# Starts gpfake.py in MODE with its options (gpfake.py --help), with a log
# of its own; the server certificate is the test PKI's unless --cert and
# --key come first.
fake_start() {	# [--cert C --key K] MODE [OPTIONS...]
	local cert=$P/server.crt key=$P/server.key _
	if [ "$1" = --cert ]; then
		cert=$2 key=$4
		shift 4
	fi
	fake_stop
	NTH=$((NTH + 1))
	FAKE_LOG=$W/fake.$NTH.log
	rm -f "$W/fake.port"
	PYTHONPATH="$E2E_DIR" "$PYTHON" "$E2E_DIR/gpfake.py" --cert "$cert" \
	    --key "$key" --ca "$P/ca.crt" --port-file "$W/fake.port" \
	    --log "$FAKE_LOG" "$@" 2>>"$W/fake.err" &
	FAKE_PID=$!
	for _ in $(seq 200); do
		if [ -s "$W/fake.port" ]; then
			FAKE_PORT=$(cat "$W/fake.port")
			return 0
		fi
		kill -0 "$FAKE_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "attack: gpfake.py did not start:" >&2
	cat "$W/fake.err" >&2
	return 1
}

fake_stop() {
	[ -n "$FAKE_PID" ] || return 0
	kill "$FAKE_PID" 2>/dev/null || true
	wait "$FAKE_PID" 2>/dev/null || true
	FAKE_PID=
}

# How many lines of the fake's log start with WORD.
fake_saw() {	# WORD
	grep -c "^$1" "$FAKE_LOG" || true
}

# --- gp-client ------------------------------------------------------------

OUTBOX=$W/outbox.db

# gp-client as NAME against 127.0.0.1:PORT, with the outbox $OUTBOX, no
# retries and a short timeout.
gpc_at() {	# PORT NAME ARGS...
	client_to "$1" "$2" --outbox "$OUTBOX" --timeout 5 --retries 0 "${@:3}"
}
gpc() {	# NAME ARGS...: against the real gpd
	gpc_at "$PORT" "$@"
}
fake() {	# ARGS...: as lc-tamduong against the fake
	gpc_at "$FAKE_PORT" lc-tamduong "$@"
}

# What the outbox holds, one "STATE ID" line per entry.
outbox_rows() {
	[ -f "$OUTBOX" ] || return 0
	sqlite3 -batch -noheader "$OUTBOX" \
	    "select state || ' ' || id from entries order by seq"
}
receipts_kept() {
	if [ -f "$OUTBOX" ]; then
		sqlite3 -batch -noheader "$OUTBOX" "select count(*) from receipts"
	else
		echo 0
	fi
}

# The submission id gp-client derives for a report file.
id_of() {	# FILE
	"$GP_CLIENT" --json validate "$1" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'
}
TAMDUONG_ID=$(id_of "$TAMDUONG")

mode_of() {	# FILE
	stat -c %a "$1"
}

# Checks what gp-client wrote (each FILE on its own): UTF-8 with no
# control character but LF, TAB and CR before LF, no invisible one (a BOM
# may open a file), the hostile text's "EVIL" shown, and never "out of
# memory". With --json, FILE is also one JSON value in which the hostile
# characters survive, escaped: ESC, U+202E and U+FFFD for the bad bytes.
cat > "$W/safe.py" <<'PY'
import json, sys, unicodedata

def walk(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x)

args = sys.argv[1:]
as_json = args[0] == "--json"
if as_json:
    args = args[1:]
shown = False
for path in args:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit("%s: not UTF-8 at byte %d: %r" % (path, e.start,
                 data[max(0, e.start - 8):e.start + 8]))
    for i, ch in enumerate(text):
        if ch in "\n\t" or (ch == "\r" and text[i + 1:i + 2] == "\n"):
            continue
        if ch == "\ufeff" and i == 0:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            sys.exit("%s: U+%04X at %d: %r" % (path, ord(ch), i,
                     text[max(0, i - 12):i + 12]))
    if "out of memory" in text:
        sys.exit("%s: says out of memory" % path)
    shown = shown or "EVIL" in text
if not shown:
    sys.exit("the hostile text is not shown at all")
if as_json:
    v = json.loads(open(args[0], encoding="utf-8").read())
    texts = [s for s in walk(v) if "EVIL" in s]
    if not texts:
        sys.exit("no JSON string holds the hostile text")
    for want in ("\x1b", "\u202e", "\u200b", "\U000e0041", "\ufffd"):
        if not all(want in s for s in texts):
            sys.exit("U+%04X was dropped: %r" % (ord(want), texts[0]))
PY
safe() {	# [--json] FILE...
	"$PYTHON" "$W/safe.py" "$@" 2>&1
}

# --- client: 4, files private whatever the umask -----------------------------

# gp-client run under umask 000.
gpc_umask0() {	# NAME ARGS...
	local name=$1
	shift
	run sh -c 'umask 000 && exec "$@"' sh "$GP_CLIENT" -s "127.0.0.1:$PORT" \
	    --ca "$P/ca.crt" --cert "$P/$name.crt" --key "$P/$name.key" \
	    --outbox "$OUTBOX" --timeout 5 "$@"
}

test_umask() {
	local OUTBOX=$W/t4/state/gp/outbox.db d=$W/t4 f rc
	mkdir -p "$d"
	gpc_umask0 lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	for f in "$OUTBOX" "$OUTBOX-wal" "$OUTBOX-shm"; do
		[ ! -e "$f" ] || [ "$(mode_of "$f")" = 600 ] ||
		    { fail "$f mode $(mode_of "$f"), want 600"; return; }
	done
	[ "$(mode_of "$d/state/gp")" = 700 ] ||
	    { fail "outbox directory mode $(mode_of "$d/state/gp")"; return; }
	rc=$(sqlite3 -batch -noheader "$OUTBOX" "select receipt from receipts")
	gpc_umask0 lc-tamduong receipts --export "$rc" -o "$d/receipt.json" \
	    --report "$d/report.json"
	[ "$RC" -eq 0 ] || { fail "receipts --export: exit $RC: $(cat "$W/err")"; return; }
	for f in receipt.json report.json; do
		[ "$(mode_of "$d/$f")" = 600 ] ||
		    { fail "$f mode $(mode_of "$d/$f"), want 600"; return; }
	done
	for f in csv json xlsx; do
		gpc_umask0 admin-test export 2022-H1 --format "$f" -o "$d/e.$f"
		[ "$RC" -eq 0 ] || { fail "export $f: exit $RC: $(cat "$W/err")"; return; }
		[ "$(mode_of "$d/e.$f")" = 600 ] ||
		    { fail "e.$f mode $(mode_of "$d/e.$f"), want 600"; return; }
	done
}

# --- client: 5, no temporary file at a name someone can plant -------------------

# Nothing but the target left of a write to FILE.
no_leftovers() {	# FILE
	local left
	left=$(find "$(dirname "$1")" -name "$(basename "$1").*" ! -name "$(basename "$1").tmp" | head -1)
	[ -z "$left" ] || { fail "left behind: $left"; return 1; }
}

test_tmp_symlink() {
	local OUTBOX=$W/t5/outbox.db d=$W/t5 rc f
	mkdir -p "$d"
	printf 'precious\n' > "$d/victim"
	cp "$d/victim" "$d/victim.was"
	gpc lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	rc=$(sqlite3 -batch -noheader "$OUTBOX" "select receipt from receipts")

	# A link where the old code wrote, and a link as the target itself.
	ln -s "$d/victim" "$d/receipt.json.tmp"
	ln -s "$d/victim" "$d/report.json"
	gpc lc-tamduong receipts --export "$rc" -o "$d/receipt.json" \
	    --report "$d/report.json"
	[ "$RC" -eq 0 ] || { fail "receipts --export: exit $RC: $(cat "$W/err")"; return; }
	for f in csv json xlsx; do
		ln -s "$d/victim" "$d/e.$f.tmp"
		gpc admin-test export 2022-H1 --format "$f" -o "$d/e.$f"
		[ "$RC" -eq 0 ] || { fail "export $f: exit $RC: $(cat "$W/err")"; return; }
	done

	cmp -s "$d/victim" "$d/victim.was" ||
	    { fail "the file behind a planted link was written over"; return; }
	for f in receipt.json.tmp e.csv.tmp e.json.tmp e.xlsx.tmp; do
		[ "$(readlink "$d/$f")" = "$d/victim" ] ||
		    { fail "$f was replaced"; return; }
	done
	for f in receipt.json report.json e.csv e.json e.xlsx; do
		[ -f "$d/$f" ] && [ ! -L "$d/$f" ] ||
		    { fail "$f is not a file of its own"; return; }
		no_leftovers "$d/$f" || return
	done
	run "$GP_CLIENT" --ca "$P/ca.crt" verify-receipt "$d/receipt.json" \
	    "$d/report.json"
	[ "$RC" -eq 0 ] || { fail "the receipt written does not verify: $(cat "$W/out" "$W/err")"; return; }
	head -c 2 "$d/e.xlsx" | grep -q PK || { fail "e.xlsx is not a zip"; return; }
	grep -q 'unit,unit_name,' "$d/e.csv" || { fail "e.csv: $(head -c 80 "$d/e.csv")"; return; }
}

# A form fetched from gpd is kept through no name planted beside it: a
# link at the old temporary name (.NAME.tmp) is not followed.
test_form_tmp_symlink() {
	local d=$W/t5f OUTBOX name left
	mkdir -p "$d"
	# The kept form's name, from a first fetch elsewhere.
	OUTBOX=$d/first/outbox.db
	gpc lc-tamduong form 2023-H1
	[ "$RC" -eq 0 ] || { fail "form: exit $RC: $(cat "$W/err")"; return; }
	name=$(cd "$d/first/forms" && ls 2023-*.json)
	[ -n "$name" ] || { fail "not kept: $(ls -A "$d/first/forms")"; return; }

	OUTBOX=$d/second/outbox.db
	mkdir -p "$d/second/forms"
	printf 'precious\n' > "$d/victim"
	cp "$d/victim" "$d/victim.was"
	ln -s "$d/victim" "$d/second/forms/.$name.tmp"
	gpc lc-tamduong form 2023-H1
	[ "$RC" -eq 0 ] || { fail "form: exit $RC: $(cat "$W/err")"; return; }
	cmp -s "$d/victim" "$d/victim.was" ||
	    { fail "the file behind a planted link was written over"; return; }
	[ "$(readlink "$d/second/forms/.$name.tmp")" = "$d/victim" ] ||
	    { fail ".$name.tmp was replaced"; return; }
	[ -f "$d/second/forms/$name" ] && [ ! -L "$d/second/forms/$name" ] ||
	    { fail "$name is not a file of its own"; return; }
	cmp -s "$d/first/forms/$name" "$d/second/forms/$name" ||
	    { fail "$name is not the form kept the first time"; return; }
	for left in "$d/second/forms"/* "$d/second/forms"/.*; do
		case ${left##*/} in
		.|..|"$name"|".$name.tmp") ;;
		*) [ ! -e "$left" ] || { fail "left behind: $left"; return; };;
		esac
	done
}

# --- client: 6, a server's text on the terminal ----------------------------------

# Each line: the exit status wanted ("*": any), what the output must
# still say (grep -F on standard output and error), the command against
# the fake server of MODE text.
test_hostile_text() {
	local OUTBOX=$W/t6/outbox.db rc want cmd why
	mkdir -p "$W/t6"
	fake_start text || { fail "fake server"; return; }
	while IFS='|' read -r rc want cmd; do
		# shellcheck disable=SC2086  # the words of cmd are arguments
		fake $cmd
		[ "$rc" = "*" ] || [ "$RC" -eq "$rc" ] ||
		    { fail "$cmd: exit $RC, want $rc: $(cat "$W/err")"; return; }
		case " $cmd " in
		*" --json "*)
			why=$(safe --json "$W/out" "$W/err") ||
			    { fail "$cmd: $why"; return; };;
		*)
			why=$(safe "$W/out" "$W/err") ||
			    { fail "$cmd: $why"; return; };;
		esac
		cat "$W/out" "$W/err" | grep -qF -- "$want" ||
		    { fail "$cmd: does not say '$want': $(head -c 300 "$W/out" "$W/err")"; return; }
	done <<CMDS
0|lc-tamduong|units
0|lc-tamduong|units --csv
0|"code":"lc-tamduong"|--json units
0|2022-H1|list
0|2022-H1|--csv list
0|"period":"2022-H1"|list --json
0|submit|audit
0|submit|audit --csv
0|"action":"submit"|audit --json
0|2022-03-01|export 2022-H1 --format csv -o -
0|2022-03-01|export 2022-H1 --format json -o - --json
77|a certificate may act only for its own unit|submit $TAMDUONG
77|"status"|--json submit $TAMDUONG
*|certificate|doctor
*|"certificate"|doctor --json
1|due 2022-07-10 (extended)|status
1|bị trả lại|status --remind
1|due 2022-07-10 (extended)|status 2022-H1
1|"review_state":"returned"|status --json
0|revision 2  receipt|history lc-tamduong 2022-H1
0|revision,receipt|history lc-tamduong 2022-H1 --csv
0|"revision":2|history lc-tamduong 2022-H1 --json
0|Done: activities 1|show lc-tamduong 2022-H1
0|"participants":10|show lc-tamduong 2022-H1 --json
0|reported 2 of 2|missing 2022-H1
0|lc-sinho|missing 2022-H1 --csv
0|lc-sinho|missing 2022-H1 --call-list
0|"status":"late"|missing 2022-H1 --json
0|Tổng cộng|summary 2022-H1
0|Tổng cộng|summary 2022-H1 --by unit
0|key,label|summary 2022-H1 --csv
0|"participants":40|summary 2022-H1 --json
0|(an action gp-client does not know)|review lc-tamduong 2022-H1 accept
0|(an action gp-client does not know)|review lc-tamduong 2022-H1 return --comment Thiếu
0|"kind":"decision"|review lc-tamduong 2022-H1 accept --json
CMDS
	# A review action gp-client does not know (a newer or lying
	# server's) is shown as it came, made safe, never as "reopened".
	fake review lc-tamduong 2022-H1 accept
	grep -q "^'EVIL.*' (an action gp-client does not know) EVIL.* revision 1  decision " "$W/out" &&
	    grep -q "^the server says the report's review state is now 'EVIL" "$W/out" &&
	    ! grep -qi "reopen\|under review again" "$W/out" ||
	    { fail "review, an unknown action: $(cat "$W/out")"; return; }
	fake history lc-tamduong 2022-H1
	grep -q "^  returned by EVIL" "$W/out" &&
	    grep -q "^  'EVIL.*' (an action gp-client does not know) by EVIL" "$W/out" &&
	    ! grep -qi "reopened" "$W/out" ||
	    { fail "history, an unknown action: $(cat "$W/out")"; return; }
	# To a file too: the CSV a clerk opens, the JSON a script reads.
	fake export 2022-H1 --format csv -o "$W/t6/e.csv"
	why=$(safe "$W/t6/e.csv") || { fail "export csv file: $why"; return; }
	fake export 2022-H1 --format json -o "$W/t6/e.json"
	why=$(safe --json "$W/t6/e.json") || { fail "export json file: $why"; return; }
	# The xlsx a clerk prints: the unit's name in its pages' header made
	# safe, '&' (Excel's codes) included.
	fake export 2022-H1 --format xlsx -o "$W/t6/e.xlsx"
	[ "$RC" -eq 0 ] || { fail "export xlsx: exit $RC: $(cat "$W/err")"; return; }
	"$PYTHON" - "$W/t6/e.xlsx" <<'PY' || { fail "export xlsx: see above"; return; }
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
head = re.search(r"<oddHeader>(.*?)</oddHeader>",
                 z.read("xl/worksheets/sheet1.xml").decode("utf-8")).group(1)
right = head.split("&amp;R", 1)[1]
if "EVIL" not in right or any(c in right for c in "\x1b\x07\x9b\u202e\u200b"):
    sys.exit("header: %r" % head)
PY
	fake_stop
}

# --- client: 7, a receipt is checked before it is kept -----------------------------

# Submits to a fake server giving receipts as OPTIONS say, and checks that
# gp-client refused it: exit 76, nothing kept, the report still waiting.
receipt_refused() {	# WHAT OPTIONS...
	NTH=$((NTH + 1))
	local what=$1 OUTBOX=$W/t7/$NTH.db
	shift
	mkdir -p "$W/t7"
	fake_start receipt "$@" || { fail "$what: fake server"; return 1; }
	fake submit "$TAMDUONG"
	[ "$RC" -eq 76 ] || { fail "$what: exit $RC, want 76: $(cat "$W/out" "$W/err")"; return 1; }
	grep -q 'cannot be trusted' "$W/err" && grep -q "gp-client flush" "$W/err" &&
	    grep -q 'provincial federation' "$W/err" ||
	    { fail "$what: sentence: $(cat "$W/err")"; return 1; }
	[ "$(fake_saw report)" = 1 ] || { fail "$what: the report was not sent"; return 1; }
	[ "$(receipts_kept)" = 0 ] || { fail "$what: the receipt was kept"; return 1; }
	[ "$(outbox_rows)" = "waiting $TAMDUONG_ID" ] ||
	    { fail "$what: outbox: $(outbox_rows)"; return 1; }
}

test_receipt_checked() {
	local OUTBOX zero
	mkdir -p "$W/t7"
	zero=$(printf '0%.0s' $(seq 64))
	receipt_refused "signature of other fields" --tamper unit=lc-sinho || return
	receipt_refused "another unit" --claim unit=lc-sinho || return
	receipt_refused "another period" --claim period=2022 || return
	receipt_refused "another submission" \
	    --claim submission_id=3f0c2a1e-5d2a-8c47-9a53-7f0e1d2c3b4a || return
	receipt_refused "other content" --claim "report_sha256=$zero" || return
	receipt_refused "unsigned" --unsigned || return
	receipt_refused "another CA" --sign-cert "$W/other/server.crt" \
	    --sign-key "$W/other/server.key" || return

	# --json: one error object.
	OUTBOX=$W/t7/json.db
	fake_start receipt --unsigned || { fail "fake server"; return; }
	fake --json submit "$TAMDUONG"
	[ "$RC" -eq 76 ] || { fail "--json: exit $RC"; return; }
	[ "$(jget "$W/out" 'r["status"] + " " + r["code"]')" = "error protocol" ] ||
	    { fail "--json: $(cat "$W/out")"; return; }

	# flush meets the same server: 76, the report still waits, and why.
	fake flush
	[ "$RC" -eq 76 ] || { fail "flush: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	[ "$(outbox_rows)" = "waiting $TAMDUONG_ID" ] || { fail "flush: outbox: $(outbox_rows)"; return; }
	sqlite3 -batch -noheader "$OUTBOX" "select last_error from entries" |
	    grep -q 'receipt cannot be trusted: the server did not sign it' ||
	    { fail "flush: last error: $(sqlite3 "$OUTBOX" "select last_error from entries")"; return; }

	# Once the server gives a good receipt, flush keeps it: the fake's
	# receipts are genuine, the refusals above were the receipts'.
	fake_start receipt || { fail "fake server"; return; }
	fake flush
	[ "$RC" -eq 0 ] || { fail "good flush: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	[ "$(receipts_kept)" = 1 ] && [ -z "$(outbox_rows)" ] ||
	    { fail "good flush: $(receipts_kept) receipts, outbox: $(outbox_rows)"; return; }
	fake_stop
}

# --- client: 7, a receipt's warnings said from their codes ----------------------

# A server's warning codes are said in the clerk's language only when
# gp-client knows the code and its arguments are what the code takes;
# anything else (a newer code, a date before the due date, a label that
# would drive the terminal, an argument too many, fewer codes than
# warnings) is shown as the server's English words, made safe.
test_receipt_warnings() {
	local OUTBOX=$W/t7/warnings.db why
	mkdir -p "$W/t7"
	fake_start receipt --warnings codes || { fail "fake server"; return; }
	GP_LANGUAGE=vi GP_LOCALEDIR=$LOCALES fake submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	why=$(safe "$W/out" "$W/err") || { fail "$why"; return; }
	grep -qxF "cảnh báo: period: nộp muộn: hạn nộp 10/6/2022, nộp ngày 12/6/2022 (muộn 2 ngày)" "$W/out" &&
	    grep -qxF "cảnh báo: activities: a warning of a newer server" "$W/out" &&
	    grep -qxF "cảnh báo: period: late: due 2022-06-12, submitted 2022-06-10" "$W/out" &&
	    grep -q "^cảnh báo: indicators.inspections.female: EVIL" "$W/out" &&
	    grep -qxF "cảnh báo: period: late: due 2022-06-10, submitted 2022-06-12 (2 days late)" "$W/out" ||
	    { fail "codes: $(cat "$W/out")"; return; }
	[ "$(grep -c "^cảnh báo: " "$W/out")" = 5 ] || { fail "codes: $(cat "$W/out")"; return; }
	# --json: the server's words, the same in every language.
	GP_LANGUAGE=vi GP_LOCALEDIR=$LOCALES fake --json submit "$TAMDUONG"
	[ "$(jget "$W/out" 'r["warnings"][0]')" = \
	    "period: late: due 2022-06-10, submitted 2022-06-12 (2 days late)" ] ||
	    { fail "--json: $(cat "$W/out")"; return; }
	fake_start receipt --warnings uneven || { fail "fake server"; return; }
	GP_LANGUAGE=vi GP_LOCALEDIR=$LOCALES fake submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "uneven: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -qxF "cảnh báo: period: late: due 2022-06-10, submitted 2022-06-12 (2 days late)" "$W/out" &&
	    ! grep -q "nộp muộn: hạn nộp" "$W/out" ||
	    { fail "uneven: $(cat "$W/out")"; return; }
	fake_stop
}

# --- client: 8, extended key usage --------------------------------------------

# Signs the fields of the receipt file SRC with KEY into OUT, with CERT.
cat > "$W/forge.py" <<'PY'
import base64, json, subprocess, sys
src, out, key, cert = sys.argv[1:5]
r = json.load(open(src, encoding="utf-8"))
text = ("gp-receipt-v1\nreceipt=%s\nsubmission_id=%s\nunit=%s\nperiod=%s\n"
        "revision=%d\nreport_sha256=%s\nreceived_at=%s\n" % (
            r["receipt"], r["id"], r["unit"], r["period"], r["revision"],
            r["report_sha256"], r["received_at"]))
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                     input=text.encode(), check=True,
                     capture_output=True).stdout
r["signature"] = base64.b64encode(sig).decode()
r["certificate"] = open(cert, encoding="ascii").read()
json.dump(r, open(out, "w", encoding="utf-8"), separators=(",", ":"))
PY

test_server_eku() {
	local OUTBOX=$W/t8/outbox.db c
	mkdir -p "$W/t8"
	for c in x-noeku x-clientauth; do
		fake_start --cert "$P/$c.crt" --key "$P/$c.key" receipt ||
		    { fail "fake server"; return; }
		fake submit "$TAMDUONG"
		[ "$RC" -eq 69 ] || { fail "$c: exit $RC, want 69: $(cat "$W/err")"; return; }
		grep -q "not made for a server (its extended key usage lacks serverAuth)" "$W/err" ||
		    { fail "$c: sentence: $(cat "$W/err")"; return; }
		[ "$(fake_saw request)" = 0 ] || { fail "$c: a request was sent"; return; }
		[ "$(receipts_kept)" = 0 ] || { fail "$c: a receipt was kept"; return; }
	done
}

test_receipt_signer_eku() {
	local OUTBOX=$W/t8s/good.db d=$W/t8s name
	mkdir -p "$d"
	# A genuine receipt file from the fake, then the same fields signed by
	# certificates of the same CA that are not a server's.
	fake_start receipt || { fail "fake server"; return; }
	fake --json submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "genuine: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$d/good.json"
	for name in x-noeku lc-tamduong; do
		"$PYTHON" "$W/forge.py" "$d/good.json" "$d/$name.json" \
		    "$P/$name.key" "$P/$name.crt"
		run "$GP_CLIENT" --ca "$P/ca.crt" verify-receipt "$d/$name.json"
		[ "$RC" -eq 65 ] || { fail "verify-receipt $name: exit $RC, want 65: $(cat "$W/out" "$W/err")"; return; }
		grep -q 'serverAuth' "$W/err" || { fail "verify-receipt $name: $(cat "$W/err")"; return; }
	done
	# The same signers at submit time.
	receipt_refused "signed by a unit" --sign-cert "$P/lc-tamduong.crt" \
	    --sign-key "$P/lc-tamduong.key" || return
	receipt_refused "signed without extended key usage" \
	    --sign-cert "$P/x-noeku.crt" --sign-key "$P/x-noeku.key" || return
	fake_stop
}

# What the PKI scripts issue: serverAuth for gpd, clientAuth for units
# and administrators (gpd will require it of clients).
eku_of() {	# CERT
	openssl x509 -in "$1" -noout -ext extendedKeyUsage 2>/dev/null |
	    sed -n 's/^ *//; 2p'
}

test_pki_eku() {
	local ca=$W/gp-ca name
	[ "$(eku_of "$P/server.crt")" = "TLS Web Server Authentication" ] ||
	    { fail "pki.sh server: $(eku_of "$P/server.crt")"; return; }
	[ "$(eku_of "$P/lc-tamduong.crt")" = "TLS Web Client Authentication" ] ||
	    { fail "pki.sh unit: $(eku_of "$P/lc-tamduong.crt")"; return; }
	"$ROOT/scripts/gp-ca" -d "$ca" init >/dev/null &&
	    "$ROOT/scripts/gp-ca" -d "$ca" issue-server localhost 127.0.0.1 >/dev/null &&
	    "$ROOT/scripts/gp-ca" -d "$ca" issue lc-tamduong >/dev/null &&
	    "$ROOT/scripts/gp-ca" -d "$ca" issue admin-test >/dev/null ||
	    { fail "gp-ca failed"; return; }
	[ "$(eku_of "$ca/server.crt")" = "TLS Web Server Authentication" ] ||
	    { fail "gp-ca server: $(eku_of "$ca/server.crt")"; return; }
	for name in lc-tamduong admin-test; do
		[ "$(eku_of "$ca/certs/$name.crt")" = "TLS Web Client Authentication" ] ||
		    { fail "gp-ca $name: $(eku_of "$ca/certs/$name.crt")"; return; }
	done
}

# --- client: 10, keys and the outbox's directories ---------------------------------

test_key_readable() {
	local OUTBOX=$W/t10/outbox.db key=$W/t10/unit.key
	mkdir -p "$W/t10"
	cp "$P/lc-tamduong.key" "$key"
	chmod 644 "$key"
	fake_start receipt || { fail "fake server"; return; }
	run "$GP_CLIENT" -s "127.0.0.1:$FAKE_PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-tamduong.crt" --key "$key" --outbox "$OUTBOX" submit "$TAMDUONG"
	[ "$RC" -eq 78 ] || { fail "submit: exit $RC, want 78: $(cat "$W/err")"; return; }
	grep -qF "$key can be read by every user of this computer (mode 0644): run 'chmod 600 $key', then try again" "$W/err" ||
	    { fail "sentence: $(cat "$W/err")"; return; }
	[ "$(fake_saw conn)" = 0 ] || { fail "connected with it"; return; }
	[ -z "$(outbox_rows)" ] || { fail "queued: $(outbox_rows)"; return; }

	run "$GP_CLIENT" -s "127.0.0.1:$FAKE_PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-tamduong.crt" --key "$key" --outbox "$OUTBOX" doctor
	[ "$RC" -eq 78 ] || { fail "doctor: exit $RC, want 78: $(cat "$W/out")"; return; }
	grep -qF "FAIL key" "$W/out" && grep -qF "chmod 600 $key" "$W/out" ||
	    { fail "doctor: $(cat "$W/out")"; return; }

	chmod 600 "$key"
	run "$GP_CLIENT" -s "127.0.0.1:$FAKE_PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-tamduong.crt" --key "$key" --outbox "$OUTBOX" submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "after chmod 600: exit $RC: $(cat "$W/err")"; return; }
	fake_stop
}

test_outbox_world_writable() {
	local OUTBOX d=$W/t10w
	mkdir -p "$d/open" "$d/sticky" "$d/state"
	chmod 777 "$d/open" "$d/state"
	chmod 1777 "$d/sticky"
	fake_start receipt || { fail "fake server"; return; }
	for OUTBOX in "$d/open/outbox.db" "$d/sticky/outbox.db"; do
		fake submit "$TAMDUONG"
		[ "$RC" -eq 78 ] || { fail "$OUTBOX: exit $RC, want 78: $(cat "$W/err")"; return; }
		grep -qF "the outbox directory $(dirname "$OUTBOX") can be written by every user" "$W/err" ||
		    { fail "$OUTBOX: sentence: $(cat "$W/err")"; return; }
		[ ! -e "$OUTBOX" ] || { fail "$OUTBOX was made"; return; }
		fake flush
		[ "$RC" -eq 78 ] || { fail "$OUTBOX: flush: exit $RC, want 78"; return; }
	done
	# The default outbox, under a state directory anyone can write to.
	run env XDG_STATE_HOME="$d/state" "$GP_CLIENT" -s "127.0.0.1:$FAKE_PORT" \
	    --ca "$P/ca.crt" --cert "$P/lc-tamduong.crt" \
	    --key "$P/lc-tamduong.key" submit "$TAMDUONG"
	[ "$RC" -eq 78 ] || { fail "state directory: exit $RC, want 78: $(cat "$W/err")"; return; }
	grep -qF "the directory $d/state, where the outbox $d/state/gp/outbox.db would be made, can be written by every user" "$W/err" ||
	    { fail "state directory: sentence: $(cat "$W/err")"; return; }
	[ ! -e "$d/state/gp" ] || { fail "state directory: gp/ was made"; return; }
	[ "$(fake_saw conn)" = 0 ] || { fail "something was sent"; return; }
	OUTBOX=$d/open/outbox.db
	fake doctor
	grep -q "^FAIL outbox .*can be written by every user" "$W/out" ||
	    { fail "doctor: $(cat "$W/out")"; return; }
	chmod 755 "$d/state"
	run env XDG_STATE_HOME="$d/state" "$GP_CLIENT" -s "127.0.0.1:$FAKE_PORT" \
	    --ca "$P/ca.crt" --cert "$P/lc-tamduong.crt" \
	    --key "$P/lc-tamduong.key" submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "after chmod 755: exit $RC: $(cat "$W/err")"; return; }
	fake_stop
}

# --- client: 11, one deadline for a query --------------------------------------

test_trickle_deadline() {
	local OUTBOX=$W/t11/outbox.db
	mkdir -p "$W/t11"
	fake_start trickle || { fail "fake server"; return; }
	# run gives up after 30 s (exit 124): only --timeout may end it.
	fake --timeout 2 list
	[ "$RC" -eq 69 ] || { fail "list: exit $RC, want 69: $(cat "$W/err")"; return; }
	grep -q "did not send the whole answer within 2 seconds" "$W/err" ||
	    { fail "list: sentence: $(cat "$W/err")"; return; }
	fake --timeout 2 export 2022-H1 --format csv -o "$W/t11/e.csv"
	[ "$RC" -eq 69 ] || { fail "export: exit $RC, want 69: $(cat "$W/err")"; return; }
	[ -z "$(ls -A "$W/t11" | grep -v '^outbox')" ] ||
	    { fail "export left: $(ls "$W/t11")"; return; }
	fake_stop
}

# --- client: 12, text in NFC ----------------------------------------------------

test_nfc() {
	local OUTBOX=$W/t12/outbox.db d=$W/t12
	mkdir -p "$d"
	"$PYTHON" -c 'import json, sys, unicodedata
def nfd(v):
    if isinstance(v, str):
        return unicodedata.normalize("NFD", v)
    if isinstance(v, dict):
        return {k: nfd(x) for k, x in v.items()}
    if isinstance(v, list):
        return [nfd(x) for x in v]
    return v
r = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump(nfd(r), open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)' \
	    "$TAMDUONG" "$d/nfd.json"
	cmp -s "$TAMDUONG" "$d/nfd.json" && { fail "no NFD text"; return; }
	[ "$(id_of "$d/nfd.json")" = "$TAMDUONG_ID" ] ||
	    { fail "the NFD report has another id"; return; }
	fake_start receipt || { fail "fake server"; return; }
	fake --json submit "$d/nfd.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$d/receipt.json"
	[ "$(grep -c "^report nfc=1 $TAMDUONG_ID$" "$FAKE_LOG")" = 1 ] ||
	    { fail "sent: $(grep '^report' "$FAKE_LOG")"; return; }
	[ "$(receipts_kept)" = 1 ] || { fail "receipt not kept"; return; }
	run "$GP_CLIENT" --ca "$P/ca.crt" verify-receipt "$d/receipt.json" "$d/nfd.json"
	[ "$RC" -eq 0 ] || { fail "verify-receipt: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	fake_stop
}

section_client() {
	start_gpd "$W/gpd.conf" || exit 1
	t "4: outbox, receipts and exports 0600 under umask 000" test_umask
	t "5: a link at FILE.tmp or FILE is never written through" test_tmp_symlink
	t "5: a link at a kept form's .NAME.tmp is never written through" test_form_tmp_symlink
	t "6: hostile server text in every command's answer: tables, CSV, JSON, lines safe, nothing dropped" test_hostile_text
	t "7: a receipt that does not verify is not kept; the report waits (76)" test_receipt_checked
	t "7: a receipt's warnings: said from codes gp-client knows, the server's words otherwise" test_receipt_warnings
	t "8: a server certificate without serverAuth is refused, nothing sent" test_server_eku
	t "8: a receipt signed by a unit's or an EKU-less certificate fails" test_receipt_signer_eku
	t "8: pki.sh and gp-ca issue serverAuth to gpd, clientAuth to others" test_pki_eku
	t "10: a key others can read: 78 with the chmod, doctor says it" test_key_readable
	t "10: an outbox directory anyone can write: 78, nothing sent" test_outbox_world_writable
	t "11: a server trickling frames cannot hold a query past --timeout" test_trickle_deadline
	t "12: an NFD report is sent in NFC, its receipt kept and verified" test_nfc
	stop_gpd
}

# ==========================================================================
# daemon: gpd as an attacker finds it (issue 13, items 1-4 and 8-12)
# ==========================================================================

GPRAW=$E2E_DIR/gpraw.py
D=$W/d

# The unit registry of the daemon section; NAMES are its units.
dunits() {	# NAME...
	local u
	for u in "$@"; do
		printf '[%s]\nname = Đơn vị %s\ntype = district_federation\n\n' \
		    "$u" "$u"
	done > "$D/units.conf.new"
	mv "$D/units.conf.new" "$D/units.conf"
}

# gpd.conf of the daemon section, on $DB; each LINE goes into [server],
# or into the section it names first ("[receipts] key = ...").
dconf() {	# FILE [LINE...]
	e2e_gpd_conf "$1" "units = $D/units.conf" "[tls] crl = $P/crl.pem" \
	    "[access] admins = admin-test admin-gone" "${@:2}"
}

# gpraw with NAME's certificate ("-": none): output in $W/out, RC.
graw() {	# NAME [OPTIONS] MODE [ARGS...]
	local name=$1 cert=()
	shift
	[ "$name" = - ] || cert=(--cert "$P/$name.crt" --key "$P/$name.key")
	run "$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" "${cert[@]}" "$@"
}

# The same in the background, its output in OUT; BG_PID is its process.
graw_bg() {	# OUT NAME [OPTIONS] MODE [ARGS...]
	local out=$1 name=$2 cert=()
	shift 2
	[ "$name" = - ] || cert=(--cert "$P/$name.crt" --key "$P/$name.key")
	timeout 120 "$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" \
	    "${cert[@]}" "$@" >"$out" 2>&1 &
	BG_PID=$!
	BG_PIDS="$BG_PIDS $BG_PID"
}

has() {		# FILE PATTERN: grep -E, quietly
	grep -qE -- "$2" "$1" 2>/dev/null
}

all_exist() {	# FILE...
	local f
	for f in "$@"; do
		[ -e "$f" ] || return 1
	done
}

log_mark() {
	wc -l <"$W/gpd.log"
}
log_since() {	# MARK
	tail -n +"$(($1 + 1))" "$W/gpd.log"
}
log_has() {	# MARK PATTERN
	log_since "$1" | grep -qE -- "$2"
}
log_count_ge() {	# MARK COUNT PATTERN
	[ "$(log_since "$1" | grep -cE -- "$3" || true)" -ge "$2" ]
}
q_is() {	# VALUE SQL
	[ "$(q "$2")" = "$1" ]
}

# Sends SIGHUP and waits until gpd has reloaded (or refused to).
reload_gpd() {
	local mark
	mark=$(log_mark)
	kill -HUP "$GPD_PID"
	wait_until 10 log_has "$mark" 'reloaded conf=|reload refused'
}

# Refusals of certificate CN on record: an entry each, and those a
# summary entry counted ("repeated N times in the minute since ...").
refusals_of() {	# CN
	q "select count(*) + coalesce(sum(case when detail like 'repeated %'
	    then cast(substr(detail, 10) as integer) - 1 else 0 end), 0)
	    from audit where cn = '$1' and result = 'refused'"
}

# A value of /proc/PID/status, in kB.
status_kb() {	# PID FIELD
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# CPU time of a process so far, in clock ticks.
cpu_ticks() {	# PID
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# Until gpd has used no CPU for a second (it has done what it was
# asked), at most SECONDS.
gpd_quiet() {	# SECONDS
	local n=$1 a b
	b=$(cpu_ticks "$GPD_PID")
	while [ "$n" -gt 0 ]; do
		sleep 1
		a=$b
		b=$(cpu_ticks "$GPD_PID")
		[ "$a" = "$b" ] && return 0
		n=$((n - 1))
	done
	return 1
}

# gp-client as NAME against the daemon section's gpd.
dgpc() {	# NAME ARGS...
	local name=$1
	shift
	run "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$P/ca.crt" \
	    --cert "$P/$name.crt" --key "$P/$name.key" --outbox "$D/outbox.db" \
	    --timeout 10 --retries 0 "$@"
}

NOTE=

# A figure for the report, printed under the test's "ok" line.
note() {
	NOTE="${NOTE:+$NOTE
}$*"
}

# t, with the test's notes after its line.
dt() {	# NAME FUNCTION
	NOTE=
	t "$@"
	[ -z "$NOTE" ] || printf '%s\n' "$NOTE" | sed 's/^/#   /'
}

# --- daemon: 9, a peer's text in the log and the audit ------------------------

# Every log line after MARK that says result= splits into key=value
# words (quotes balanced), at most one of them result= (a second is forged,
# such as result=accepted in a refusal's line); every audit
# unit is a unit code; each EXPECTED string is in some refusal's detail.
cat > "$W/quoted.py" <<'PY'
import re, shlex, sqlite3, sys
log, db, mark = sys.argv[1], sys.argv[2], int(sys.argv[3])
want = sys.argv[4:]
lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
for line in lines[mark:]:
    if "result=" not in line:
        continue
    try:
        words = shlex.split(line)
    except ValueError:
        sys.exit("quotes not balanced: %r" % line)
    if len([w for w in words if w.startswith("result=")]) > 1:
        sys.exit("a forged key in the log: %r" % line)
con = sqlite3.connect(db)
for (unit,) in con.execute("select unit from audit where unit is not null"):
    if not re.fullmatch(r"[a-z0-9-]{1,64}", unit):
        sys.exit("audit unit %r is not a unit code" % unit)
details = [d for (d,) in con.execute(
    "select detail from audit where result = 'refused'") if d]
for w in want:
    if not any(w in d for d in details):
        sys.exit("no refusal's detail holds %r: %r" % (w, details[-4:]))
PY

test_log_quoted() {
	local mark why
	mark=$(log_mark)
	graw lc-tamduong submit --set 'unit=lc-tamduong result=accepted'
	grep -q '^error 4 ' "$W/out" || { fail "forged unit: $(cat "$W/out")"; return; }
	graw lc-sinho submit --set "unit=lc-x\"y\\z$(printf '\033')[31m"
	grep -q '^error 4 ' "$W/out" || { fail "quote and escape: $(cat "$W/out")"; return; }
	graw lc-tamduong submit --set 'period=2022-H1 result=accepted'
	grep -q '^error 2 ' "$W/out" || { fail "forged period: $(cat "$W/out")"; return; }
	wait_until 5 log_count_ge "$mark" 3 ' result=' ||
	    { fail "refusals not logged: $(log_since "$mark")"; return; }
	why=$("$PYTHON" "$W/quoted.py" "$W/gpd.log" "$DB" "$mark" \
	    'unit="lc-tamduong result=accepted"' \
	    'unit="lc-x\"y\\z\x1b[31m"' 'period="2022-H1 result=accepted"' 2>&1) ||
	    { fail "$why"; return; }
	log_has "$mark" 'detail=".*unit=\\"lc-tamduong result=accepted\\"' ||
	    { fail "the claimed unit is not quoted in the log: $(log_since "$mark" | grep refused)"; return; }

	# A review's lines and the refusal (FINAL) of a revision after
	# acceptance: the peer's CN, unit and period quoted there too.
	# Reopened at the end, so that lc-tamduong may send again.
	mark=$(log_mark)
	graw lc-tamduong submit
	grep -q '^receipt ' "$W/out" || { fail "submit: $(cat "$W/out")"; return; }
	dgpc admin-test review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 0 ] || { fail "review accept: exit $RC: $(cat "$W/err")"; return; }
	dgpc admin-test review lc-tamduong 2022-H1 return --revision 1 --comment "Thiếu"
	[ "$RC" -eq 65 ] || { fail "review return of the accepted: exit $RC: $(cat "$W/err")"; return; }
	graw lc-tamduong submit
	grep -q '^error 9 ' "$W/out" || { fail "submit after acceptance: $(cat "$W/out")"; return; }
	dgpc admin-test review lc-tamduong 2022-H1 reopen --comment "Mở lại"
	[ "$RC" -eq 0 ] || { fail "review reopen: exit $RC: $(cat "$W/err")"; return; }
	for want in \
	    'cn="admin-test" review accept unit="lc-tamduong" period="2022-H1" revision=[0-9]+ state=accepted ' \
	    'cn="admin-test" review return unit="lc-tamduong" period="2022-H1" revision=1 result=refused ' \
	    'unit="lc-tamduong" period="2022-H1" result=accepted-final' \
	    'cn="admin-test" review reopen unit="lc-tamduong" period="2022-H1" revision=[0-9]+ state=received '; do
		wait_until 5 log_has "$mark" "$want" ||
		    { fail "not in the log: $want: $(log_since "$mark" | grep -E 'review|final')"; return; }
	done
	why=$("$PYTHON" "$W/quoted.py" "$W/gpd.log" "$DB" "$mark" 2>&1) ||
	    { fail "$why"; return; }
}

# --- daemon: 12, NFC before comparison and storage -------------------------------

test_nfc_claims() {
	local nfd title why
	nfd=$("$PYTHON" -c 'import unicodedata
print(unicodedata.normalize("NFD", "lc-đường").encode().hex())')
	graw lc-nfc submit --set "unit=hex:$nfd"
	grep -q '^error 4 ' "$W/out" || { fail "claim: $(cat "$W/out")"; return; }
	# Kept, escaped, as its NFC form: never the bytes sent.
	why=$("$PYTHON" - "$DB" <<'PY' 2>&1
import sqlite3, sys, time, unicodedata
nfc = 'unit="lc-đường"'
nfd = unicodedata.normalize("NFD", nfc)
con = sqlite3.connect(sys.argv[1])
for _ in range(50):
    details = [d for (d,) in con.execute(
        "select detail from audit where cn = 'lc-nfc'") if d]
    if any(nfc in d for d in details):
        break
    time.sleep(0.1)
if not any(nfc in d for d in details):
    sys.exit("the claim is not in the audit in NFC: %r" % details)
if any(nfd in d for d in details):
    sys.exit("the claim is in the audit in NFD: %r" % details)
PY
	) || { fail "$why"; return; }
	grep -qF 'unit=\"lc-đường\"' "$W/gpd.log" ||
	    { fail "the claim is not in the log in NFC"; return; }
	# A report's text in NFD: stored in NFC, and so compared.
	title=$("$PYTHON" -c 'import unicodedata
print(unicodedata.normalize("NFD", "Tuyên truyền Luật Bình đẳng giới").encode().hex())')
	graw lc-nfc submit --unit lc-nfc --set "activities.0.title=hex:$title"
	grep -q '^receipt 1 ' "$W/out" || { fail "NFD report: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from activities a join reports r on a.report_id = r.id
	    where r.unit = 'lc-nfc' and a.title = 'Tuyên truyền Luật Bình đẳng giới'")" = 1 ] ||
	    { fail "the title is not stored in NFC"; return; }
}

# --- daemon: 8, a client certificate must name clientAuth --------------------------

test_client_eku() {
	local mark
	mark=$(log_mark)
	graw x-unit-noeku --await 2 whoami
	grep -q '^whoami ' "$W/out" &&
	    { fail "a certificate without extended key usage was served: $(cat "$W/out")"; return; }
	wait_until 5 log_has "$mark" 'closed reason="handshake failed: .*unsuitable certificate purpose' ||
	    { fail "no reason in the log: $(log_since "$mark")"; return; }
	graw lc-tamduong whoami
	grep -q '^whoami lc-tamduong unit' "$W/out" ||
	    { fail "a unit's certificate with clientAuth: $(cat "$W/out")"; return; }
}

# --- daemon: 1, revocation and removal reach open sessions -------------------------

test_revoke_open() {
	local mark pids
	rm -f "$D"/k.*
	graw_bg "$D/k.revoked" x-revokeme keep 30 --ready-file "$D/k.revoked.ready" \
	    --stop-file "$D/k.stop"
	pids=$BG_PID
	graw_bg "$D/k.kept" lc-tamduong keep 30 --ready-file "$D/k.kept.ready" \
	    --stop-file "$D/k.stop"
	pids="$pids $BG_PID"
	wait_until 10 all_exist "$D/k.revoked.ready" "$D/k.kept.ready" ||
	    { fail "sessions not open: $(cat "$D/k.revoked" "$D/k.kept")"; touch "$D/k.stop"; return; }
	{ openssl ca -config "$P/ca.cnf" -revoke "$P/x-revokeme.crt" &&
	    openssl ca -config "$P/ca.cnf" -gencrl -out "$P/crl.pem"; } \
	    >/dev/null 2>&1 || { fail "openssl ca could not revoke"; touch "$D/k.stop"; return; }
	mark=$(log_mark)
	reload_gpd || { fail "no reload"; touch "$D/k.stop"; return; }
	wait_until 10 has "$D/k.revoked" '^closed' ||
	    { fail "the revoked certificate's session is still open: $(cat "$D/k.revoked")"; touch "$D/k.stop"; return; }
	touch "$D/k.stop"
	# shellcheck disable=SC2086
	wait $pids
	has "$D/k.kept" '^open' ||
	    { fail "the other session was closed: $(cat "$D/k.kept")"; return; }
	log_has "$mark" 'closed reason="certificate revoked" .*cn="lc-sinho"' ||
	    { fail "not logged: $(log_since "$mark")"; return; }
	wait_until 5 q_is 1 "select count(*) from audit where action = 'session' and
	    result = 'closed' and cn = 'lc-sinho' and detail like '%certificate revoked%'" ||
	    { fail "not audited: $(q "select * from audit where action = 'session'")"; return; }
}

test_rights_removed() {
	local mark pids
	rm -f "$D"/k.*
	graw_bg "$D/k.unit" lc-phongtho keep 30 --ready-file "$D/k.unit.ready" \
	    --stop-file "$D/k.stop"
	pids=$BG_PID
	graw_bg "$D/k.admin" admin-gone keep 30 --ready-file "$D/k.admin.ready" \
	    --stop-file "$D/k.stop"
	pids="$pids $BG_PID"
	graw_bg "$D/k.none" lc-unknown keep 30 --unit lc-unknown \
	    --ready-file "$D/k.none.ready" --submit-file "$D/k.go" \
	    --stop-file "$D/k.stop"
	pids="$pids $BG_PID"
	wait_until 10 all_exist "$D/k.unit.ready" "$D/k.admin.ready" "$D/k.none.ready" ||
	    { fail "sessions not open"; touch "$D/k.stop"; return; }
	grep -q '^whoami lc-unknown none' "$D/k.none" ||
	    { fail "lc-unknown: $(cat "$D/k.none")"; touch "$D/k.stop"; return; }
	# lc-phongtho leaves the registry, lc-unknown joins it, admin-gone
	# is no longer an administrator.
	dunits lc-tamduong lc-sinho lc-nfc lc-unknown
	dconf "$D/gpd.conf" "[access] admins = admin-test"
	mark=$(log_mark)
	reload_gpd || { fail "no reload"; touch "$D/k.stop"; return; }
	wait_until 10 has "$D/k.unit" '^closed' ||
	    { fail "the removed unit's session is still open"; touch "$D/k.stop"; return; }
	wait_until 10 has "$D/k.admin" '^closed' ||
	    { fail "the removed administrator's session is still open"; touch "$D/k.stop"; return; }
	wait_until 10 has "$D/k.none" '^whoami lc-unknown unit' ||
	    { fail "lc-unknown did not become a unit: $(cat "$D/k.none")"; touch "$D/k.stop"; return; }
	touch "$D/k.go"
	wait_until 10 has "$D/k.none" '^(receipt|error)' ||
	    { fail "no answer to the submission"; touch "$D/k.stop"; return; }
	touch "$D/k.stop"
	# shellcheck disable=SC2086
	wait $pids
	grep -q '^receipt 1 ' "$D/k.none" ||
	    { fail "lc-unknown, now a unit, could not submit: $(cat "$D/k.none")"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-unknown'")" = 1 ] ||
	    { fail "not stored"; return; }
	log_has "$mark" 'closed reason="unit no longer in the registry" .*cn="lc-phongtho"' &&
	    log_has "$mark" 'closed reason="no longer an administrator" .*cn="admin-gone"' &&
	    log_has "$mark" 'cn="lc-unknown" role=unit was=unknown' ||
	    { fail "not logged: $(log_since "$mark")"; return; }
	[ "$(q "select count(*) from audit where action = 'session' and
	    result = 'closed' and cn in ('lc-phongtho', 'admin-gone')")" = 2 ] ||
	    { fail "not audited: $(q "select * from audit where action = 'session'")"; return; }
}

# A certificate that expires while its session is open: closed at the
# next check, within idle_timeout of the expiry.
test_expiry_rechecked() {
	local end t0 took mark pids
	dconf "$D/idle.conf" "idle_timeout = 2"
	restart_gpd "$D/idle.conf" || { fail "gpd did not start"; return; }
	end=$(date -u -d '+4 seconds' +%Y%m%d%H%M%SZ)
	xcert x-soon lc-tamduong client -enddate "$end"
	rm -f "$D"/k.*
	mark=$(log_mark)
	t0=$(now_ms)
	graw_bg "$D/k.soon" x-soon keep 30 --ready-file "$D/k.soon.ready" \
	    --stop-file "$D/k.stop"
	pids=$BG_PID
	graw_bg "$D/k.kept" lc-tamduong keep 30 --stop-file "$D/k.stop"
	pids="$pids $BG_PID"
	wait_until 20 has "$D/k.soon" '^closed' ||
	    { fail "the expired certificate's session is still open: $(cat "$D/k.soon")"; touch "$D/k.stop"; return; }
	took=$(($(now_ms) - t0))
	touch "$D/k.stop"
	# shellcheck disable=SC2086
	wait $pids
	[ -e "$D/k.soon.ready" ] || { fail "never served: $(cat "$D/k.soon")"; return; }
	has "$D/k.kept" '^open' || { fail "the other session was closed: $(cat "$D/k.kept")"; return; }
	log_has "$mark" 'closed reason="certificate has expired"' ||
	    { fail "not logged: $(log_since "$mark" | grep closed)"; return; }
	[ "$took" -le 9000 ] || { fail "closed after $took ms (expiry 4 s, idle_timeout 2 s)"; return; }
	restart_gpd "$D/gpd.conf" || { fail "gpd did not start again"; return; }
}

# --- daemon: 2, no starvation before the handshake ---------------------------------

test_silent_flood() {
	local i ok=0 t0 t1 mark lines ms rate took="" pids soft rc=0
	# Started with a soft limit of 512 descriptors, as a shell may give
	# it: gpd raises it to the hard limit, for max_connections and
	# max_handshakes.
	soft=$(ulimit -Sn)
	ulimit -Sn 512
	restart_gpd "$D/gpd.conf" || rc=1
	ulimit -Sn "$soft"
	[ "$rc" -eq 0 ] || { fail "gpd did not start"; return; }
	[ "$(awk '/^Max open files/ { print $4 }' "/proc/$GPD_PID/limits")" = \
	    "$(ulimit -Hn)" ] ||
	    { fail "gpd kept a soft limit of $(awk '/^Max open files/ { print $4 }' "/proc/$GPD_PID/limits") descriptors"; return; }
	for i in 1 2 3 4 5; do
		jmod "$TAMDUONG" "$D/flood$i.json" \
		    "r['reporter']['name'] = 'Người gửi $i'; r.pop('id', None)"
	done
	rm -f "$D/flood.ready" "$D/flood.stop"
	graw_bg "$D/flood.out" - flood "$FLOOD" 60 --ready-file "$D/flood.ready" \
	    --stop-file "$D/flood.stop"
	pids=$BG_PID
	wait_until 20 all_exist "$D/flood.ready" ||
	    { fail "the flood did not start: $(cat "$D/flood.out")"; touch "$D/flood.stop"; return; }
	# Until gpd feels it: its summary of what closed before handshakes.
	mark=$(log_mark)
	wait_until 5 log_has "$mark" '^info: handshakes: ' || true
	mark=$(log_mark)
	t0=$(now_ms)
	for i in 1 2 3 4 5; do
		t1=$(now_ms)
		dgpc lc-tamduong submit "$D/flood$i.json"
		t1=$(($(now_ms) - t1))
		took="$took ${t1}ms:$RC"
		[ "$RC" -eq 0 ] && [ "$t1" -le 10000 ] && ok=$((ok + 1))
	done
	# The log over three more seconds of the flood at least: four of its
	# summary lines.
	wait_until 10 log_count_ge "$mark" 4 '^info: handshakes: ' || true
	lines=$(($(log_mark) - mark))
	ms=$(($(now_ms) - t0))
	touch "$D/flood.stop"
	# shellcheck disable=SC2086
	wait $pids
	rate=$((lines * 1000 / (ms > 0 ? ms : 1)))
	note "$FLOOD silent connections: $ok of 5 submits within 10 s ($took );" \
	    "$lines log lines in $ms ms ($rate/s); $(cat "$D/flood.out")"
	[ "$ok" -ge 4 ] || { fail "$ok of 5 submits within 10 s:$took"; return; }
	[ "$rate" -lt 20 ] || { fail "$lines log lines in $ms ms"; return; }
	has "$D/flood.out" 'closed_by_server=[0-9]{4}' ||
	    { fail "gpd closed few of them: $(cat "$D/flood.out")"; return; }
	log_count_ge "$mark" 3 '^info: handshakes: ' ||
	    { fail "no summary lines: $(log_since "$mark" | tail -n 3)"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-tamduong' and
	    reporter_name like 'Người gửi %'")" -ge "$ok" ] ||
	    { fail "the accepted reports are not stored"; return; }
	gpd_alive || fail "gpd died"
}

# --- daemon: 11, clients that stop reading -------------------------------------

# At least N of the stalled clients have sent their requests.
stalled_ge() {	# N
	[ "$(cat "$D"/s.[0-9]* 2>/dev/null | grep -c '^sent' || true)" -ge "$1" ]
}

test_output_budget() {
	local i hwm0 hwm1 mark closes pids=""
	dconf "$D/output.conf" "max_output = 16M"
	# ASan keeps freed memory in quarantine: a small one, so that the
	# figure is gpd's own.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8" \
	    restart_gpd "$D/output.conf" || { fail "gpd did not start"; return; }
	graw lc-tamduong bulk 1 --activities 1000 --text 300
	grep -q '^acked 1' "$W/out" || { fail "the large report: $(cat "$W/out")"; return; }
	hwm0=$(status_kb "$GPD_PID" VmHWM)
	mark=$(log_mark)
	rm -f "$D"/s.*
	for i in $(seq 40); do
		graw_bg "$D/s.$i" admin-test stall 60 show lc-tamduong 2022-H1 \
		    --repeat 16 --stop-file "$D/s.stop"
		pids="$pids $BG_PID"
	done
	wait_until 30 stalled_ge 40 ||
	    { fail "the stalled clients did not all send"; touch "$D/s.stop"; return; }
	gpd_quiet 30 || { fail "gpd never went quiet"; touch "$D/s.stop"; return; }
	hwm1=$(status_kb "$GPD_PID" VmHWM)
	closes=$(log_since "$mark" | grep -c 'closed reason="output budget' || true)
	touch "$D/s.stop"
	# shellcheck disable=SC2086
	wait $pids
	note "40 clients not reading 16 answers of 0.7 MB each, max_output 16M:" \
	    "$closes closed; gpd peak RSS $((hwm0 / 1024)) MB -> $((hwm1 / 1024)) MB"
	[ "$closes" -ge 1 ] || { fail "none closed for the output budget"; return; }
	[ $((hwm1 - hwm0)) -lt 65536 ] ||
	    { fail "gpd's peak RSS grew by $(((hwm1 - hwm0) / 1024)) MB"; return; }
	dgpc lc-sinho submit "$DATA/lc-sinho-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "after: exit $RC: $(cat "$W/err")"; return; }
	restart_gpd "$D/gpd.conf" || fail "gpd did not start again"
}

# --- daemon: 3, refusals cannot fill the disk -----------------------------------

db_bytes() {
	local n=0 f
	for f in "$DB" "$DB-wal"; do
		[ -e "$f" ] && n=$((n + $(stat -c %s "$f")))
	done
	echo "$n"
}

test_refusal_flood() {
	local rows0 lines0 bytes0 rows lines bytes i n=0 conns=0 most=0 v pids=""
	rows0=$(q "select count(*) from audit")
	lines0=$(log_mark)
	bytes0=$(db_bytes)
	# whoami is open to every certificate and costs no row.
	graw lc-flooder pipeline 200
	grep -q '^pipelined 200 answered 200 ' "$W/out" ||
	    { fail "whoami: $(tail -n 1 "$W/out")"; return; }
	[ "$(q "select count(*) from audit")" = "$rows0" ] ||
	    { fail "whoami cost audit rows"; return; }
	for i in 1 2 3 4; do
		graw_bg "$D/r.$i" lc-flooder --timeout 5 refuse "$REFUSE" \
		    --unit lc-flooder
		pids="$pids $BG_PID"
	done
	# shellcheck disable=SC2086
	wait $pids
	for i in 1 2 3 4; do
		v=$(sed -n 's/.*refused=\([0-9]*\).*/\1/p' "$D/r.$i")
		n=$((n + ${v:-0}))
		v=$(sed -n 's/.*connections=\([0-9]*\).*/\1/p' "$D/r.$i")
		conns=$((conns + ${v:-0}))
		v=$(sed -n 's/.*most_on_one=\([0-9]*\).*/\1/p' "$D/r.$i")
		[ "${v:-0}" -gt "$most" ] && most=$v
	done
	rows=$(($(q "select count(*) from audit") - rows0))
	lines=$(($(log_mark) - lines0))
	bytes=$(($(db_bytes) - bytes0))
	note "$REFUSE s, 4 clients refused: $n refusals on $conns connections" \
	    "(at most $most on one); +$rows audit rows, +$lines log lines," \
	    "+$bytes bytes of database and WAL"
	[ "$n" -gt 0 ] || { fail "no refusal: $(cat "$D"/r.*)"; return; }
	# The goal is for 20 s; a longer flood is held to the same rate.
	[ "$rows" -lt $((1000 * REFUSE / 20)) ] || { fail "$rows audit rows"; return; }
	[ "$lines" -lt $((1000 * REFUSE / 20)) ] || { fail "$lines log lines"; return; }
	[ "$bytes" -lt $((5 * 1024 * 1024 * REFUSE / 20)) ] ||
	    { fail "$bytes bytes"; return; }
	[ "$most" -le 16 ] && [ "$conns" -gt 4 ] ||
	    { fail "not disconnected: $most refusals on one connection, $conns connections"; return; }
	# Every refusal a client was told is on record once gpd stops; the
	# chain with its summaries verifies.
	stop_gpd
	[ "$(refusals_of lc-flooder)" = "$n" ] ||
	    { fail "$(refusals_of lc-flooder) refusals on record, $n told"; return; }
	[ "$(q "select count(*) from audit where cn = 'lc-flooder' and
	    detail like 'repeated %'")" -ge 1 ] || { fail "no summary entry"; return; }
	run "$GPD" -f "$D/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || { fail "verify-audit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	start_gpd "$D/gpd.conf" || fail "gpd did not start again"
}

# --- daemon: 4, files private whatever the umask ---------------------------------

test_gpd_umask() {
	local DB=$D/umask/gp.db old f
	mkdir -p "$D/umask"
	dconf "$D/umask.conf"
	old=$(umask)
	umask 000
	start_gpd "$D/umask.conf" || { umask "$old"; fail "gpd did not start"; return; }
	umask "$old"
	dgpc lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; stop_gpd; return; }
	umask 000
	run "$GPD" -f "$D/umask.conf" -b "$D/umask/backup.db"
	umask "$old"
	[ "$RC" -eq 0 ] || { fail "gpd -b: exit $RC: $(cat "$W/err")"; stop_gpd; return; }
	for f in "$DB" "$DB-wal" "$DB-shm" "$D/umask/backup.db"; do
		[ -e "$f" ] || { fail "$f missing"; stop_gpd; return; }
		[ "$(mode_of "$f")" = 600 ] ||
		    { fail "$f mode $(mode_of "$f"), want 600"; stop_gpd; return; }
	done
	stop_gpd
}

# --- daemon: 5, gpd -b writes through no planted link ----------------------------

# Links at the names the copy was once written through (DEST.tmp and its
# journal) and at DEST itself: none followed, the first two left as they
# were, DEST replaced by the copy, nothing else left beside it.
test_backup_symlink() {
	local d=$D/bk f left
	mkdir -p "$d"
	: > "$d/victim"
	for f in backup.db.tmp backup.db.tmp-journal backup.db; do
		ln -s "$d/victim" "$d/$f"
	done
	run "$GPD" -f "$D/gpd.conf" -b "$d/backup.db"
	[ "$RC" -eq 0 ] || { fail "gpd -b: exit $RC: $(cat "$W/err")"; return; }
	[ ! -s "$d/victim" ] || { fail "the file behind a planted link was written"; return; }
	for f in backup.db.tmp backup.db.tmp-journal; do
		[ "$(readlink "$d/$f")" = "$d/victim" ] ||
		    { fail "$f was removed or replaced"; return; }
	done
	[ -f "$d/backup.db" ] && [ ! -L "$d/backup.db" ] ||
	    { fail "backup.db is not a file of its own"; return; }
	[ "$(mode_of "$d/backup.db")" = 600 ] ||
	    { fail "backup.db mode $(mode_of "$d/backup.db")"; return; }
	[ "$(sqlite3 "$d/backup.db" 'pragma integrity_check')" = ok ] &&
	    [ "$(sqlite3 "$d/backup.db" 'select count(*) > 0 from reports')" = 1 ] ||
	    { fail "the copy: $(sqlite3 "$d/backup.db" 'pragma integrity_check' 2>&1)"; return; }
	for left in "$d"/* "$d"/.*; do
		case ${left##*/} in
		.|..|victim|backup.db|backup.db.tmp|backup.db.tmp-journal) ;;
		*) [ ! -e "$left" ] || { fail "left behind: $left"; return; };;
		esac
	done
}

# --- daemon: 8, a receipt certificate must be a server's ------------------------

test_receipt_signer_refused() {
	local c
	for c in lc-tamduong x-unit-noeku; do
		dconf "$D/r.conf" "[receipts] key = $P/$c.key" \
		    "[receipts] certificate = $P/$c.crt"
		run "$GPD" -n -f "$D/r.conf"
		[ "$RC" -ne 0 ] || { fail "gpd -n accepts $c's certificate for receipts"; return; }
		grep -qF "the receipt certificate $P/$c.crt may not sign receipts" "$W/err" &&
		    grep -q 'serverAuth' "$W/err" ||
		    { fail "gpd -n, $c: $(cat "$W/err")"; return; }
		run "$GPD" -f "$D/r.conf"
		[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] ||
		    { fail "gpd starts with $c's certificate for receipts (exit $RC)"; return; }
	done
	dconf "$D/r.conf" "[receipts] key = $P/server.key" \
	    "[receipts] certificate = $P/server.crt"
	run "$GPD" -n -f "$D/r.conf"
	[ "$RC" -eq 0 ] || { fail "gpd -n refuses the server's certificate: $(cat "$W/err")"; return; }
}

# --- daemon: 10, keys only their owner and group may read --------------------------

test_key_modes() {
	local key=$D/open.key rkey=$D/open-receipts.key
	cp "$P/server.key" "$key"
	cp "$P/server.key" "$rkey"
	chmod 644 "$key"
	chmod 604 "$rkey"
	dconf "$D/k.conf" "[tls] key = $key"
	run "$GPD" -n -f "$D/k.conf"
	[ "$RC" -ne 0 ] || { fail "gpd -n accepts a key every user can read"; return; }
	grep -qF "the key $key can be read by every user of this machine (mode 0644): run 'chmod 640 $key'" "$W/err" ||
	    { fail "gpd -n: $(cat "$W/err")"; return; }
	run "$GPD" -f "$D/k.conf"
	[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] || { fail "gpd starts with it (exit $RC)"; return; }
	grep -qF "chmod 640 $key" "$W/err" || { fail "gpd: $(cat "$W/err")"; return; }
	dconf "$D/k.conf" "[receipts] key = $rkey" "[receipts] certificate = $P/server.crt"
	run "$GPD" -n -f "$D/k.conf"
	[ "$RC" -ne 0 ] || { fail "gpd -n accepts a receipt key others can read"; return; }
	grep -qF "the receipt key $rkey can be read by every user of this machine (mode 0604): run 'chmod 640 $rkey'" "$W/err" ||
	    { fail "gpd -n, receipt key: $(cat "$W/err")"; return; }
	# Its group may read it: the gpd user's group under systemd.
	chmod 640 "$key" "$rkey"
	dconf "$D/k.conf" "[tls] key = $key" "[receipts] key = $rkey" \
	    "[receipts] certificate = $P/server.crt"
	run "$GPD" -n -f "$D/k.conf"
	[ "$RC" -eq 0 ] || { fail "gpd -n after chmod 640: $(cat "$W/err")"; return; }
}

# dt against the section's gpd, running again afterwards whatever the
# test did to it.
dtg() {	# NAME FUNCTION
	dt "$@"
	gpd_alive || start_gpd "$D/gpd.conf" || exit 1
}

section_daemon() {
	local DB=$D/gp.db
	mkdir -p "$D"
	dunits lc-tamduong lc-sinho lc-phongtho lc-nfc
	dconf "$D/gpd.conf"
	start_gpd "$D/gpd.conf" || exit 1
	dtg "9: a peer's text is quoted in the log; the audit's unit holds codes only" test_log_quoted
	dtg "12: a claimed unit is compared and kept in NFC, report text stored in NFC" test_nfc_claims
	dtg "8: a client certificate without clientAuth is refused at the handshake" test_client_eku
	dtg "1: revoke + reload closes the open session, logged and audited" test_revoke_open
	dtg "1: removed unit and administrator closed; a CN added gets its role" test_rights_removed
	dtg "1: a certificate that expires mid-session: closed within idle_timeout" test_expiry_rechecked
	dtg "2: $FLOOD silent connections from one address: 4 of 5 submits, < 20 lines/s" test_silent_flood
	dtg "11: clients that stop reading: closed at max_output, gpd's RSS bounded" test_output_budget
	dtg "3: $REFUSE s of refusals: < 1,000 rows, lines, 5 MB a 20 s; all on record; chain verifies" test_refusal_flood
	stop_gpd
	dt "4: database, WAL, SHM and backups 0600 under umask 000" test_gpd_umask
	dt "5: gpd -b: a link at DEST.tmp, its journal or DEST is never written through" test_backup_symlink
	dt "8: a receipt certificate without serverAuth: gpd -n and gpd refuse it" test_receipt_signer_refused
	dt "10: a key others can read: gpd -n and gpd refuse it, naming the chmod" test_key_modes
	dt "gpd's log: no sanitizer report" test_sanitizers
}

# Under ASan and UBSan, what they found in gpd (its log is standard error).
test_sanitizers() {
	stop_gpd
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/gpd.log"; then
		fail "$(grep -E -m 3 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/gpd.log")"
		return
	fi
}

for s in $SECTIONS; do
	"section_$s"
done
summary
