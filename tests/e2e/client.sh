#!/bin/bash
# End-to-end tests of gp-client's front end: the command table's help
# without a server or a configuration, --json and --csv before and after
# the command, usage mistakes named as typed, and one report typed with
# decomposed Vietnamese marks (NFD) and its precomposed twin (NFC): one
# report at the real gpd, not two revisions.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/client.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup client	# W, PORT, DB
e2e_pki lc-tamduong admin-test
e2e_units lc-tamduong
e2e_gpd_conf "$W/gpd.conf" "[tls] crl = $W/pki/crl.pem" \
    "[access] admins = admin-test" "${E2E_PERIODS[@]}"

# gp-client with no configuration at all: an empty home, no server.
bare() {
	RC=0
	timeout 30 env -i PATH="$PATH" HOME="$W/empty-home" \
	    "$GP_CLIENT" "$@" >"$W/out" 2>"$W/err" </dev/null || RC=$?
}
mkdir -p "$W/empty-home"

# gp-client as NAME against the test gpd.
gpc() {	# NAME ARGS...
	client_as "$1" --outbox "$W/outbox.db" --timeout 10 "${@:2}"
}

# The commands gp-client lists, one per line.
commands() {
	bare --help
	sed -n '/^commands:$/,/^$/s/^  \([a-z-]*\) .*/\1/p' "$W/out"
}

# --- help -----------------------------------------------------------------

test_help_lists_commands() {
	local n
	bare --help
	[ "$RC" -eq 0 ] || { fail "--help: exit $RC"; return; }
	n=$(commands | wc -l)
	[ "$n" -ge 19 ] || { fail "$n commands listed: $(cat "$W/out")"; return; }
	cp "$W/out" "$W/help-global"
	bare help
	[ "$RC" -eq 0 ] || { fail "help: exit $RC"; return; }
	cmp -s "$W/out" "$W/help-global" || { fail "help differs from --help"; return; }
}

# Every command's --help: exit 0 with no configuration, no server and no
# certificate, a full usage; 'help CMD' prints the same.
test_help_every_command() {
	local c
	for c in $(commands); do
		bare "$c" --help
		[ "$RC" -eq 0 ] || { fail "$c --help: exit $RC: $(cat "$W/err")"; return; }
		[ ! -s "$W/err" ] || { fail "$c --help said: $(cat "$W/err")"; return; }
		grep -q "^usage: gp-client $c" "$W/out" ||
		    { fail "$c --help: no usage line: $(head -3 "$W/out")"; return; }
		grep -q '^options:$' "$W/out" || { fail "$c --help: no options"; return; }
		grep -q -- '--help  *print this help' "$W/out" ||
		    { fail "$c --help: --help not listed"; return; }
		grep -A1 '^example:$' "$W/out" | grep -q "^  gp-client .*$c" ||
		    { fail "$c --help: no example"; return; }
		cp "$W/out" "$W/help-$c"
		bare help "$c"
		[ "$RC" -eq 0 ] || { fail "help $c: exit $RC"; return; }
		cmp -s "$W/out" "$W/help-$c" || { fail "help $c differs from $c --help"; return; }
		# A configuration that does not exist is not read for --help.
		bare -c "$W/no-such.conf" "$c" --help
		[ "$RC" -eq 0 ] || { fail "-c missing $c --help: exit $RC"; return; }
	done
	# Commands that take a period explain its format.
	for c in list show history missing summary export lock unlock \
	    receipts template; do
		grep -q '2022-H1' "$W/help-$c" ||
		    { fail "$c --help: no period format"; return; }
	done
	# --help wins over a mistake on the same line.
	bare summary --bogus --help
	[ "$RC" -eq 0 ] || { fail "summary --bogus --help: exit $RC"; return; }
	bare help no-such-command
	[ "$RC" -eq 64 ] || { fail "help no-such-command: exit $RC, want 64"; return; }
}

# A reader that stops early (gp-client form 2022-H1 | head -1): nothing
# said on stderr, no "cannot write the output".
test_closed_pipe() {
	local c
	for c in "form 2022-H1" "help missing"; do
		# shellcheck disable=SC2086
		timeout 30 env -i PATH="$PATH" HOME="$W/empty-home" python3 -c '
import subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
p.stdout.close()
err = p.stderr.read()
rc = p.wait()
sys.exit(print("exit %d, said %r" % (rc, err)) or 1 if err or rc not in (0, -13) else 0)
' "$GP_CLIENT" $c >"$W/out" 2>&1 ||
		    { fail "$c into a closed pipe: $(cat "$W/out")"; return; }
	done
}

# --- usage mistakes -------------------------------------------------------

test_mistakes_named() {
	bare summary 2022-H1 --by
	[ "$RC" -eq 64 ] || { fail "--by without a value: exit $RC"; return; }
	grep -q "^gp-client: '--by' needs a value: --by KEY; usage: gp-client summary " "$W/err" ||
	    { fail "--by: $(cat "$W/err")"; return; }
	bare list --perod 2022-H1
	[ "$RC" -eq 64 ] || { fail "--perod: exit $RC"; return; }
	grep -q "list does not take the option '--perod'" "$W/err" ||
	    { fail "--perod: $(cat "$W/err")"; return; }
	bare validate --csv "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 64 ] || { fail "validate --csv: exit $RC"; return; }
	bare --csv validate "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 64 ] || { fail "--csv validate: exit $RC"; return; }
	grep -q 'validate does not print a table' "$W/err" ||
	    { fail "--csv validate: $(cat "$W/err")"; return; }
	# After --json, a mistake is said as one JSON object too.
	bare missing --json --by area 2022-H1
	[ "$RC" -eq 64 ] || { fail "missing --by: exit $RC"; return; }
	[ "$(jget "$W/out" 'r["code"]')" = usage ] ||
	    { fail "not a JSON usage error: $(cat "$W/out")"; return; }
}

# --- --json and --csv before and after the command -------------------------

test_json_before_after() {
	local c
	bare --json validate "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "--json validate: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/before"
	bare validate "$DATA/lc-tamduong-2022-H1.json" --json
	[ "$RC" -eq 0 ] || { fail "validate --json: exit $RC"; return; }
	cmp -s "$W/out" "$W/before" || { fail "validate: --json after differs"; return; }
	[ "$(jget "$W/out" 'r["status"]')" = valid ] || { fail "$(cat "$W/out")"; return; }

	gpc lc-tamduong --json submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "--json submit: exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["status"]')" = accepted ] || { fail "$(cat "$W/out")"; return; }
	gpc lc-tamduong submit "$DATA/lc-tamduong-2022-H1.json" --json
	[ "$RC" -eq 0 ] || { fail "submit --json: exit $RC"; return; }
	[ "$(jget "$W/out" '"%s %s" % (r["status"], r["duplicate"])')" = "accepted True" ] ||
	    { fail "submit --json: $(cat "$W/out")"; return; }

	for c in units list "missing 2022-H1" "summary 2022-H1" audit \
	    "history lc-tamduong 2022-H1" "show lc-tamduong 2022-H1" \
	    "lock 2099" doctor; do
		# shellcheck disable=SC2086  # the words of c
		gpc admin-test --json $c
		[ "$RC" -eq 0 ] || { fail "--json $c: exit $RC: $(cat "$W/err")"; return; }
		jget "$W/out" 'r' >/dev/null 2>&1 || { fail "--json $c: not JSON"; return; }
		cp "$W/out" "$W/before"
		# shellcheck disable=SC2086
		gpc admin-test $c --json
		[ "$RC" -eq 0 ] || { fail "$c --json: exit $RC"; return; }
		case $c in
		doctor|lock*)	# the clock, and "changed", differ between runs
			jget "$W/out" 'r' >/dev/null 2>&1 ||
			    { fail "$c --json: not JSON"; return; };;
		*)	cmp -s "$W/out" "$W/before" ||
			    { fail "$c: --json after the command differs"; return; };;
		esac
	done

	gpc admin-test --csv units
	[ "$RC" -eq 0 ] || { fail "--csv units: exit $RC"; return; }
	cp "$W/out" "$W/before"
	gpc admin-test units --csv
	cmp -s "$W/out" "$W/before" || { fail "units: --csv after differs"; return; }
	grep -q '^code,name,type,' "$W/out" || { fail "not CSV: $(cat "$W/out")"; return; }
}

# --- one report in NFD and in NFC ----------------------------------------

# The sample with its titles and results typed with decomposed marks
# (NFD), and without an id: gp-client derives it from the content.
test_nfd_twin_duplicate() {
	local nfc=$W/nfc.json nfd=$W/nfd.json id1 id2 rev1 rev2 n
	jmod "$DATA/lc-tamduong-2022-H1.json" "$nfc" 'r.pop("id", None)
r["activities"][0]["title"] = "Hội nghị tuyên truyền, phổ biến Luật Bình đẳng giới tại Tam Đường"'
	python3 -c 'import json, sys, unicodedata
r = json.load(open(sys.argv[1], encoding="utf-8"))
def nfd(v):
    if isinstance(v, str):
        return unicodedata.normalize("NFD", v)
    if isinstance(v, list):
        return [nfd(x) for x in v]
    if isinstance(v, dict):
        return {k: nfd(x) for k, x in v.items()}
    return v
json.dump(nfd(r), open(sys.argv[2], "w", encoding="utf-8"),
    ensure_ascii=False, indent=1)' "$nfc" "$nfd"
	cmp -s "$nfc" "$nfd" && { fail "the NFD file is not decomposed"; return; }

	gpc lc-tamduong --json submit "$nfd"
	[ "$RC" -eq 0 ] || { fail "NFD: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/receipt.json"
	[ "$(jget "$W/out" 'r["duplicate"]')" = False ] || { fail "NFD: $(cat "$W/out")"; return; }
	id1=$(jget "$W/out" 'r["id"]')
	rev1=$(jget "$W/out" 'r["revision"]')
	gpc lc-tamduong --json submit "$nfc"
	[ "$RC" -eq 0 ] || { fail "NFC: exit $RC: $(cat "$W/err")"; return; }
	id2=$(jget "$W/out" 'r["id"]')
	rev2=$(jget "$W/out" 'r["revision"]')
	[ "$(jget "$W/out" 'r["duplicate"]')" = True ] ||
	    { fail "the NFC twin is not a duplicate: $(cat "$W/out")"; return; }
	[ "$id1" = "$id2" ] && [ "$rev1" = "$rev2" ] ||
	    { fail "ids $id1/$id2, revisions $rev1/$rev2"; return; }
	n=$(q "select count(*) from reports where submission_id = '$id1'")
	[ "$n" = 1 ] || { fail "$n rows for $id1"; return; }
	# Stored in NFC.
	[ "$(q "select hex(a.title) from activities a join reports r on
	    a.report_id = r.id where r.submission_id = '$id1' and a.idx = 0")" = \
	    "$(python3 -c 'import sys; sys.stdout.write("Hội nghị tuyên truyền, phổ biến Luật Bình đẳng giới tại Tam Đường".encode().hex().upper())')" ] ||
	    { fail "the title is not stored in NFC"; return; }
	# The receipt covers the NFD file as typed.
	gpc lc-tamduong verify-receipt "$W/receipt.json" "$nfd"
	[ "$RC" -eq 0 ] || { fail "verify-receipt with the NFD file: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^report: matches' "$W/out" || { fail "$(cat "$W/out")"; return; }
}

# The key is read as its certificate's type when it is unencrypted PKCS #8,
# and by OpenSSL's generic reader otherwise (client/conn.c): every form
# works as before, and every wrong key is refused as before, nothing sent.
test_key_forms() {
	local k=$W/pki/lc-tamduong.key f n
	mkdir -p "$W/keys"
	(umask 077
	openssl ec -in "$k" -out "$W/keys/sec1.key" 2>/dev/null &&
	{ openssl ecparam -name prime256v1; cat "$W/keys/sec1.key"; } \
	    > "$W/keys/params-first.key" &&
	openssl pkey -in "$k" -aes256 -passout pass:x \
	    -out "$W/keys/encrypted.key" &&
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$W/keys/rsa.key" 2>/dev/null) ||
	    { fail "cannot make the keys"; return; }
	grep -q 'BEGIN EC PRIVATE KEY' "$W/keys/sec1.key" ||
	    { fail "not SEC1: $(head -1 "$W/keys/sec1.key")"; return; }
	for f in "$k" "$W/keys/sec1.key" "$W/keys/params-first.key"; do
		gpc lc-tamduong --key "$f" submit --no-queue \
		    "$DATA/lc-tamduong-2022-H1.json"
		[ "$RC" -eq 0 ] || { fail "$f: exit $RC: $(cat "$W/err")"; return; }
	done
	n=$(sqlite3 "$DB" 'select count(*) from reports')
	gpc lc-tamduong --key "$W/pki/admin-test.key" submit \
	    "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 78 ] || { fail "another's key: exit $RC"; return; }
	grep -q 'does not belong to the certificate' "$W/err" ||
	    { fail "another's key: $(cat "$W/err")"; return; }
	gpc lc-tamduong --key "$W/keys/rsa.key" submit \
	    "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 78 ] || { fail "RSA key: exit $RC"; return; }
	grep -q 'does not belong to the certificate' "$W/err" ||
	    { fail "RSA key: $(cat "$W/err")"; return; }
	gpc lc-tamduong --key "$W/keys/encrypted.key" submit \
	    "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 78 ] || { fail "encrypted key: exit $RC"; return; }
	grep -q 'give an unencrypted PEM key' "$W/err" ||
	    { fail "encrypted key: $(cat "$W/err")"; return; }
	[ "$(sqlite3 "$DB" 'select count(*) from reports')" = "$n" ] ||
	    { fail "a refused key stored a report"; return; }
}

# The system's openssl.cnf is not read (tests/bench/README.md), not even
# when OpenSSL is first used for something else than the connection: the
# id derived for a report without one. One that caps TLS at 1.2 is not
# seen: gpd logs the session as TLS 1.3.
test_no_openssl_cnf() {
	local f=$W/no-cnf.json cnf=$W/tls12.cnf before
	cat > "$cnf" <<'CNF'
openssl_conf = gp_test
[gp_test]
ssl_conf = gp_ssl
[gp_ssl]
system_default = gp_system_default
[gp_system_default]
MaxProtocol = TLSv1.2
CNF
	jmod "$DATA/lc-tamduong-2022-H1.json" "$f" 'r.pop("id", None)
r["activities"][0]["title"] = "Hội nghị tuyên truyền Luật Bình đẳng giới (openssl.cnf)"'
	before=$(wc -l <"$W/gpd.log")
	OPENSSL_CONF=$cnf gpc lc-tamduong submit "$f"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	tail -n +"$((before + 1))" "$W/gpd.log" |
	    grep 'established .*cn="lc-tamduong"' | grep -q 'tls=TLSv1\.3' ||
	    { fail "openssl.cnf was read: $(tail -n +"$((before + 1))" "$W/gpd.log" | grep established)"; return; }
}

t "--help and help list every command" test_help_lists_commands
t "every command's --help: exit 0 without configuration; help CMD the same" test_help_every_command
t "a reader that stops early: nothing said" test_closed_pipe
t "usage mistakes name the option as typed; --csv only for tables" test_mistakes_named
start_gpd "$W/gpd.conf" || exit 1
t "--json and --csv before or after the command: the same answer" test_json_before_after
t "a report in NFD and its NFC twin: a duplicate, one revision, stored NFC" test_nfd_twin_duplicate
t "the key as PKCS #8, SEC1, after EC parameters; another's, RSA, encrypted refused" test_key_forms
t "openssl.cnf not read, also when a derived id starts OpenSSL" test_no_openssl_cnf
summary
