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
#
# A section is a function section_NAME that runs its tests with t; its
# NAME goes in SECTION_NAMES. The real gpd of the suite (gpd_conf,
# start_gpd, $DB, $PORT) and the fake one (fake_start, fake_saw) are
# there for every section.
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GPD=$(realpath "${GPD:-$ROOT/build/gpd}")
GP_CLIENT=$(realpath "${GP_CLIENT:-$ROOT/build/gp-client}")
DATA=$ROOT/tests/data
TAMDUONG=$DATA/lc-tamduong-2022-H1.json

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

SECTION_NAMES="client"
SECTIONS=${*:-$SECTION_NAMES}
for s in $SECTIONS; do
	case " $SECTION_NAMES " in
	*" $s "*) ;;
	*) echo "attack: unknown section '$s'" >&2; exit 64;;
	esac
done

for f in "$GPD" "$GP_CLIENT"; do
	[ -x "$f" ] || { echo "attack: $f is not built: run make" >&2; exit 1; }
done
for cmd in openssl sqlite3 python3 timeout; do
	command -v "$cmd" >/dev/null ||
	    { echo "attack: $cmd is missing: run scripts/deps.sh" >&2; exit 1; }
done
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-attack.XXXXXX")
P=$W/pki
# gp-client keeps its outbox and receipts here, not in the home.
export XDG_STATE_HOME=$W/state
unset GP_CLIENT_CONF
# A transient failure is tried again at once.
export GP_CLIENT_BACKOFF_BASE_MS=0
FAKE_PID=

cleanup() {
	fake_stop
	stop_gpd
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the PKI --------------------------------------------------------------

"$ROOT/scripts/pki.sh" "$P" lc-tamduong lc-sinho admin-test >/dev/null
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
EXT

# A certificate with CN from the test CA, with extensions SECTION of
# ext.cnf.
mkcert() {	# NAME CN SECTION
	(umask 077 && openssl genpkey -algorithm EC \
	    -pkeyopt ec_paramgen_curve:P-256 -out "$P/$1.key" 2>/dev/null)
	openssl req -new -key "$P/$1.key" -subj "/CN=$2" -out "$P/$1.csr" \
	    2>/dev/null
	openssl ca -batch -notext -config "$P/ca.cnf" -extfile "$W/ext.cnf" \
	    -extensions "$3" -in "$P/$1.csr" -out "$P/$1.crt" \
	    2>"$W/openssl.err" || {
		echo "attack: openssl ca failed for $1:" >&2
		cat "$W/openssl.err" >&2
		exit 1
	}
	rm -f "$P/$1.csr"
}
mkcert x-noeku localhost server_noeku
mkcert x-clientauth localhost server_clientauth

# --- the real gpd ---------------------------------------------------------

PORT=$(free_port)
DB=$W/gp.db
cat > "$W/units.conf" <<UNITS
[lc-tamduong]
name = LĐLĐ huyện Tam Đường
type = district_federation

[lc-sinho]
name = LĐLĐ huyện Sìn Hồ
type = district_federation
UNITS

gpd_conf() {	# FILE
	cat > "$1" <<CONF
[server]
listen = 127.0.0.1:$PORT
database = $DB
units = $W/units.conf

[tls]
certificate = $P/server.crt
key = $P/server.key
client_ca = $P/ca.crt
crl = $P/crl.pem

[access]
admins = admin-test
CONF
}
gpd_conf "$W/gpd.conf"

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
	local port=$1 name=$2
	shift 2
	run "$GP_CLIENT" -s "127.0.0.1:$port" --ca "$P/ca.crt" \
	    --cert "$P/$name.crt" --key "$P/$name.key" --outbox "$OUTBOX" \
	    --timeout 5 --retries 0 "$@"
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

# --- client: 6, a server's text on the terminal ----------------------------------

test_hostile_text() {
	local OUTBOX=$W/t6/outbox.db cmd out why
	mkdir -p "$W/t6"
	fake_start text || { fail "fake server"; return; }
	while IFS= read -r cmd; do
		# shellcheck disable=SC2086  # the words of cmd are arguments
		fake $cmd
		case " $cmd " in
		*" submit "*) [ "$RC" -eq 77 ] || { fail "$cmd: exit $RC, want 77"; return; };;
		*" doctor "*) ;;
		*) [ "$RC" -eq 0 ] || { fail "$cmd: exit $RC: $(cat "$W/err")"; return; };;
		esac
		case " $cmd " in
		*" --json "*)
			why=$(safe --json "$W/out" "$W/err") ||
			    { fail "$cmd: $why"; return; };;
		*)
			why=$(safe "$W/out" "$W/err") ||
			    { fail "$cmd: $why"; return; };;
		esac
	done <<CMDS
units
units --csv
--json units
list
--csv list
list --json
audit
audit --csv
audit --json
export 2022-H1 --format csv -o -
export 2022-H1 --format json -o - --json
submit $TAMDUONG
--json submit $TAMDUONG
doctor
doctor --json
CMDS
	# To a file too: the CSV a clerk opens, the JSON a script reads.
	fake export 2022-H1 --format csv -o "$W/t6/e.csv"
	why=$(safe "$W/t6/e.csv") || { fail "export csv file: $why"; return; }
	fake export 2022-H1 --format json -o "$W/t6/e.json"
	why=$(safe --json "$W/t6/e.json") || { fail "export json file: $why"; return; }
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
	t "6: hostile server text: tables, CSV, JSON, lines safe, nothing dropped" test_hostile_text
	t "7: a receipt that does not verify is not kept; the report waits (76)" test_receipt_checked
	t "8: a server certificate without serverAuth is refused, nothing sent" test_server_eku
	t "8: a receipt signed by a unit's or an EKU-less certificate fails" test_receipt_signer_eku
	t "8: pki.sh and gp-ca issue serverAuth to gpd, clientAuth to others" test_pki_eku
	t "10: a key others can read: 78 with the chmod, doctor says it" test_key_readable
	t "10: an outbox directory anyone can write: 78, nothing sent" test_outbox_world_writable
	t "11: a server trickling frames cannot hold a query past --timeout" test_trickle_deadline
	t "12: an NFD report is sent in NFC, its receipt kept and verified" test_nfc
	stop_gpd
}

for s in $SECTIONS; do
	"section_$s"
done
summary
