#!/bin/bash
# End-to-end tests of a unit's whole setup in one file (issue 16): gp-ca
# issue and bundle, then gp-client setup in an empty home with the
# passphrase on standard input, then a submit that needs nothing more.
# A bundle that is damaged, opened with a wrong passphrase, expired, or of
# another CA than the one installed is refused and installs nothing. Also
# receipts named by their first digits.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/setup.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GP_CA=$ROOT/scripts/gp-ca
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup setup	# W, PORT, DB
LOCALES=$(realpath "${GP_LOCALEDIR:-$(dirname "$GP_CLIENT")/locale}")
CA=$W/ca

# gp-ca on CA DIR; output in $W/out and $W/err, status in RC.
ca() {	# DIR ARGS...
	local dir=$1
	shift
	run env GP_LOCALEDIR="$LOCALES" "$GP_CA" -d "$dir" "$@"
}

# gp-client in the home HOME, with only what a new user has; the
# passphrase (or anything) on standard input.
in_home() {	# HOME STDIN ARGS...
	local home=$1 input=$2
	shift 2
	mkdir -p "$home"
	RC=0
	printf '%s\n' "$input" | timeout 30 env -i PATH="$PATH" HOME="$home" \
	    LANG="${LANG_OF_TEST:-C.UTF-8}" GP_LOCALEDIR="$LOCALES" \
	    "$GP_CLIENT" "$@" >"$W/out" 2>"$W/err" || RC=$?
}

# What a home holds under .config, with modes: "MODE PATH" lines.
installed() {	# HOME
	[ -d "$1/.config" ] || return 0
	(cd "$1/.config" && find . -printf '%m %p\n' | sort -k 2)
}

# The passphrase gp-ca printed on its line of its own.
passphrase_of_out() {
	sed -n 's/^passphrase: //p' "$W/out"
}

# A bundle rebuilt from another with its PEM blocks replaced by those of
# FILE, and its checksum made again: as gp-ca would have written it.
rebundle() {	# IN PEM-FILE OUT
	sed -n '/^Checksum: /q; p' "$1" > "$W/re-head"
	{ echo; cat "$2"; } > "$W/re-body"
	local sum
	sum=$(cat "$W/re-head" "$W/re-body" | sha256sum | cut -d ' ' -f 1)
	{ cat "$W/re-head"; echo "Checksum: sha256 $sum"; cat "$W/re-body"; } > "$3"
}

ca "$CA" init --cn "LĐLĐ tỉnh Lai Châu CA"
ca "$CA" issue-server localhost 127.0.0.1
ca "$CA" issue lc-tamduong
e2e_units lc-tamduong
# gpd with the PKI gp-ca made.
e2e_gpd_conf "$W/gpd.conf" "[tls] certificate = $CA/server.crt" \
    "[tls] key = $CA/server.key" "[tls] client_ca = $CA/ca.crt" \
    "[tls] crl = $CA/crl.pem"
start_gpd "$W/gpd.conf"

BUNDLE=$W/lc-tamduong.gpbundle
PASS=

test_bundle() {
	ca "$CA" bundle lc-tamduong -o "$BUNDLE" --server "localhost:$PORT"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	PASS=$(passphrase_of_out)
	# Twenty digits in groups of four, on a line of its own.
	echo "$PASS" | grep -Eqx '[0-9]{4}( [0-9]{4}){4}' ||
	    { fail "passphrase '$PASS': $(cat "$W/out")"; return; }
	[ "$(grep -c '^passphrase: ' "$W/out")" -eq 1 ] || { fail "$(cat "$W/out")"; return; }
	[ "$(stat -c %a "$BUNDLE")" = 600 ] || { fail "mode $(stat -c %a "$BUNDLE")"; return; }
	grep -qx 'GP-Bundle: 1' "$BUNDLE" && grep -qx 'Unit: lc-tamduong' "$BUNDLE" &&
	    grep -qx "Server: localhost:$PORT" "$BUNDLE" ||
	    { fail "header: $(sed -n '1,10p' "$BUNDLE")"; return; }
	# The key is encrypted (PBES2, AES-256-CBC, PBKDF2): no plain key.
	grep -q '^-----BEGIN ENCRYPTED PRIVATE KEY-----$' "$BUNDLE" &&
	    ! grep -q 'BEGIN PRIVATE KEY\|BEGIN EC PRIVATE KEY' "$BUNDLE" ||
	    { fail "key not encrypted"; return; }
	sed -n '/BEGIN ENCRYPTED/,/END ENCRYPTED/p' "$BUNDLE" |
	    openssl asn1parse 2>/dev/null | grep -q 'aes-256-cbc' ||
	    { fail "not AES-256-CBC"; return; }
	# Each bundle has its own passphrase.
	ca "$CA" bundle lc-tamduong -o "$W/again.gpbundle"
	[ "$(passphrase_of_out)" != "$PASS" ] || { fail "the same passphrase twice"; return; }
	# The server's address defaults to what issue-server recorded.
	grep -qx 'Server: localhost:7443' "$W/again.gpbundle" ||
	    { fail "default server: $(grep Server: "$W/again.gpbundle")"; return; }
}

test_bundle_refusals() {
	ca "$CA" bundle lc-tamduong
	[ "$RC" -eq 64 ] || { fail "no -o: exit $RC"; return; }
	grep -q 'bundle needs -o FILE' "$W/err" || { fail "$(cat "$W/err")"; return; }
	ca "$CA" bundle lc-nobody -o "$W/x.gpbundle"
	[ "$RC" -eq 1 ] || { fail "no certificate: exit $RC"; return; }
	grep -q "lc-nobody has no certificate: run 'gp-ca issue lc-nobody' first" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	ca "$CA" bundle lc-tamduong -o "$W/x.gpbundle" --server 'no port'
	[ "$RC" -eq 64 ] || { fail "bad server: exit $RC"; return; }
	[ ! -e "$W/x.gpbundle" ] || { fail "a bundle was written"; return; }
}

test_setup_round_trip() {
	local home=$W/home-a
	in_home "$home" "$PASS" setup "$BUNDLE"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "^installed unit lc-tamduong in $home/.config/gp: ca.crt, lc-tamduong.crt, lc-tamduong.key (private) and client.conf, for the server localhost:$PORT$" "$W/out" ||
	    { fail "$(cat "$W/out")"; return; }
	# doctor ran, every line OK, then the next steps.
	grep -q '^OK   identity    the server takes this certificate for unit lc-tamduong' "$W/out" &&
	    ! grep -q '^FAIL' "$W/out" || { fail "doctor: $(cat "$W/out")"; return; }
	grep -q '^  gp-client template --unit lc-tamduong --period ' "$W/out" ||
	    { fail "next steps: $(cat "$W/out")"; return; }
	# The template it suggests can be made, whatever the date: a period
	# whose form this computer knows.
	local next
	next=$(sed -n 's/^  gp-client template \(--unit [^>]*\) > bao-cao.json.*/\1/p' "$W/out")
	# shellcheck disable=SC2086
	in_home "$home" "" template $next
	[ "$RC" -eq 0 ] || { fail "template $next: exit $RC: $(cat "$W/err")"; return; }
	[ "$(installed "$home")" = "700 .
700 ./gp
600 ./gp/ca.crt
600 ./gp/client.conf
600 ./gp/lc-tamduong.crt
600 ./gp/lc-tamduong.key" ] || { fail "installed: $(installed "$home")"; return; }
	grep -qx 'ca = ca.crt' "$home/.config/gp/client.conf" &&
	    grep -qx 'key = lc-tamduong.key' "$home/.config/gp/client.conf" &&
	    grep -qx "server = localhost:$PORT" "$home/.config/gp/client.conf" ||
	    { fail "$(cat "$home/.config/gp/client.conf")"; return; }
	# The key as gp-client reads it: no passphrase.
	grep -q '^-----BEGIN PRIVATE KEY-----$' "$home/.config/gp/lc-tamduong.key" ||
	    { fail "key"; return; }
	# Nothing more is needed to submit.
	in_home "$home" "" submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1 revision 1 receipt ' "$W/out" ||
	    { fail "submit: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-tamduong'")" = 1 ] ||
	    { fail "not stored"; return; }
}

# The passphrase as typed: with or without its spaces, with dashes.
test_setup_passphrase_forms() {
	in_home "$W/home-b" "$(echo "$PASS" | tr -d ' ')" setup "$BUNDLE"
	[ "$RC" -eq 0 ] || { fail "no spaces: exit $RC: $(cat "$W/err")"; return; }
	in_home "$W/home-c" "$(echo "$PASS" | tr ' ' '-')" setup "$BUNDLE"
	[ "$RC" -eq 0 ] || { fail "dashes: exit $RC: $(cat "$W/err")"; return; }
}

test_wrong_passphrase() {
	local home=$W/home-wrong
	in_home "$home" "1234 5678 9012 3456 7890" setup "$BUNDLE"
	[ "$RC" -eq 77 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "the passphrase does not open $BUNDLE; nothing was installed" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	[ -z "$(installed "$home")" ] || { fail "installed: $(installed "$home")"; return; }
	in_home "$home" "" setup "$BUNDLE"
	[ "$RC" -eq 77 ] || { fail "empty: exit $RC"; return; }
	[ -z "$(installed "$home")" ] || { fail "installed: $(installed "$home")"; return; }
}

test_damaged() {
	local home=$W/home-damaged
	# One character of the certificate changed.
	sed '0,/^MII/s/^MII\(.\)/MIJ\1/' "$BUNDLE" > "$W/damaged.gpbundle"
	in_home "$home" "$PASS" setup "$W/damaged.gpbundle"
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "cannot be used: its checksum does not match: the file was changed or cut short on its way; ask the provincial federation to send the bundle again" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	# Cut short.
	head -c 900 "$BUNDLE" > "$W/short.gpbundle"
	in_home "$home" "$PASS" setup "$W/short.gpbundle"
	[ "$RC" -eq 65 ] || { fail "short: exit $RC"; return; }
	# Not a bundle at all.
	in_home "$home" "$PASS" setup "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 65 ] || { fail "json: exit $RC"; return; }
	grep -q "its first lines are not a gp bundle's" "$W/err" ||
	    { fail "json: $(cat "$W/err")"; return; }
	in_home "$home" "$PASS" setup "$W/absent.gpbundle"
	[ "$RC" -eq 66 ] || { fail "absent: exit $RC"; return; }
	[ -z "$(installed "$home")" ] || { fail "installed: $(installed "$home")"; return; }
}

test_expired() {
	local home=$W/home-expired start end
	# lc-old's certificate as it was, expired yesterday, bundled as
	# gp-ca bundles.
	ca "$CA" issue lc-old
	ca "$CA" bundle lc-old -o "$W/old.gpbundle" --server "localhost:$PORT"
	local pass
	pass=$(passphrase_of_out)
	openssl req -new -key "$CA/keys/lc-old.key" -subj /CN=lc-old \
	    -out "$W/old.csr" 2>/dev/null
	start=$(date -u -d '-3 days' +%Y%m%d%H%M%SZ)
	end=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
	(cd "$CA" && openssl ca -batch -notext -config ca.cnf \
	    -extensions client_ext -startdate "$start" -enddate "$end" \
	    -in "$W/old.csr" -out "$W/old.crt" 2>/dev/null) ||
	    { fail "openssl ca could not sign"; return; }
	{
		cat "$W/old.crt"
		sed -n '/BEGIN ENCRYPTED/,/END ENCRYPTED/p' "$W/old.gpbundle"
		cat "$CA/ca.crt"
	} > "$W/old.pem"
	rebundle "$W/old.gpbundle" "$W/old.pem" "$W/expired.gpbundle"
	in_home "$home" "$pass" setup "$W/expired.gpbundle"
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "cannot be used: the certificate of lc-old expired on $(date -u -d '-1 day' +%Y-%m-%d); ask the provincial federation for a new bundle" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	[ -z "$(installed "$home")" ] || { fail "installed: $(installed "$home")"; return; }
	# The same in Vietnamese, with the date as Vietnamese write it.
	LANG_OF_TEST=vi_VN.UTF-8 in_home "$home" "$pass" setup "$W/expired.gpbundle"
	grep -q "không dùng được: chứng thư số của lc-old đã hết hạn ngày $(date -u -d '-1 day' +%-d/%-m/%Y)" "$W/err" ||
	    { fail "vi: $(cat "$W/err")"; return; }
}

test_other_ca() {
	local home=$W/home-a before
	ca "$W/ca2" init --cn "Another CA"
	ca "$W/ca2" issue lc-tamduong
	ca "$W/ca2" bundle lc-tamduong -o "$W/other.gpbundle" --server "localhost:$PORT"
	local pass
	pass=$(passphrase_of_out)
	before=$(cd "$home/.config/gp" && sha256sum ./*)
	in_home "$home" "$pass" setup "$W/other.gpbundle"
	[ "$RC" -eq 78 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "$W/other.gpbundle is for another CA (Another CA) than the one this computer trusts (LĐLĐ tỉnh Lai Châu CA, in $home/.config/gp/ca.crt)" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	[ "$(cd "$home/.config/gp" && sha256sum ./*)" = "$before" ] ||
	    { fail "files changed"; return; }
	ls -a "$home/.config/gp" | grep -q '^\.setup' && { fail "staging left"; return; }
	# The certificate of one CA, the CA certificate of another: damaged.
	{
		sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p;/END CERTIFICATE/q' "$W/other.gpbundle"
		sed -n '/BEGIN ENCRYPTED/,/END ENCRYPTED/p' "$W/other.gpbundle"
		cat "$CA/ca.crt"
	} > "$W/mixed.pem"
	rebundle "$W/other.gpbundle" "$W/mixed.pem" "$W/mixed.gpbundle"
	in_home "$W/home-mixed" "$pass" setup "$W/mixed.gpbundle"
	[ "$RC" -eq 65 ] || { fail "mixed: exit $RC: $(cat "$W/err")"; return; }
	grep -q "is not valid under the bundle's CA" "$W/err" ||
	    { fail "mixed: $(cat "$W/err")"; return; }
	[ -z "$(installed "$W/home-mixed")" ] || { fail "mixed installed"; return; }
}

# A renewed certificate of the same CA: set up again, the settings of the
# computer (its language) kept.
test_setup_again() {
	local home=$W/home-a
	printf 'language = vi\ntimeout = 20\n' >> "$home/.config/gp/client.conf"
	ca "$CA" renew lc-tamduong
	ca "$CA" bundle lc-tamduong -o "$W/renewed.gpbundle" --server "localhost:$PORT"
	local pass serial
	pass=$(passphrase_of_out)
	serial=$(openssl x509 -in "$CA/certs/lc-tamduong.crt" -noout -serial | sed 's/.*=//')
	in_home "$home" "$pass" setup "$W/renewed.gpbundle"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err" "$W/out")"; return; }
	grep -q "^đã cài đơn vị lc-tamduong vào $home/.config/gp" "$W/out" ||
	    { fail "not in Vietnamese: $(cat "$W/out")"; return; }
	grep -q '^ĐẠT    danh tính ' "$W/out" || { fail "doctor: $(cat "$W/out")"; return; }
	grep -qx 'language = vi' "$home/.config/gp/client.conf" &&
	    grep -qx 'timeout = 20' "$home/.config/gp/client.conf" ||
	    { fail "settings lost: $(cat "$home/.config/gp/client.conf")"; return; }
	[ "$(openssl x509 -in "$home/.config/gp/lc-tamduong.crt" -noout -serial | sed 's/.*=//')" = "$serial" ] ||
	    { fail "old certificate kept"; return; }
}

# Receipts named by their first eight digits or more, as the README shows.
test_receipt_prefix() {
	local home=$W/home-a receipt
	receipt=$(q "select receipt from reports where unit = 'lc-tamduong' and revision = 1")
	in_home "$home" "" receipts --export "${receipt:0:8}" -o "$W/receipt.json"
	[ "$RC" -eq 0 ] || { fail "8 digits: exit $RC: $(cat "$W/err")"; return; }
	in_home "$home" "" verify-receipt "$W/receipt.json" "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "verify: exit $RC: $(cat "$W/err")"; return; }
	in_home "$home" "" receipts --export "$(echo "${receipt:0:12}" | tr a-f A-F)" -o "$W/receipt2.json"
	[ "$RC" -eq 0 ] && cmp -s "$W/receipt.json" "$W/receipt2.json" ||
	    { fail "12 digits in capitals: exit $RC: $(cat "$W/err")"; return; }
	in_home "$home" "" receipts --export "${receipt:0:7}" -o "$W/receipt3.json"
	[ "$RC" -eq 64 ] || { fail "7 digits: exit $RC"; return; }
}

t "gp-ca bundle: one file, key under 20 digits printed once, server recorded" test_bundle
t "gp-ca bundle: no -o, no certificate, bad --server refused" test_bundle_refusals
t "setup in an empty home, doctor OK, then submit with nothing more" test_setup_round_trip
t "the passphrase with its spaces, without them, with dashes" test_setup_passphrase_forms
t "a wrong passphrase: refused, nothing installed" test_wrong_passphrase
t "a damaged bundle, a cut one, not a bundle: refused, nothing installed" test_damaged
t "an expired certificate: refused, nothing installed" test_expired
t "a bundle of another CA: refused, nothing changed; a mixed one: refused" test_other_ca
t "set up again with a renewed certificate: the language kept" test_setup_again
t "receipts --export by the first 8 digits or more, any case" test_receipt_prefix
summary
