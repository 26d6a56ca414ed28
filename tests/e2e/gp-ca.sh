#!/bin/bash
# Tests of scripts/gp-ca, the province's certificate tool: a CA made in a
# temporary directory, certificates checked with openssl, and (when gpd
# and gp-client are built) the real daemon serving with that PKI.
#
#   tests/e2e/gp-ca.sh
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/gp-ca.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GP_CA=$ROOT/scripts/gp-ca
GPD=${GPD:-$ROOT/build/gpd}
GP_CLIENT=${GP_CLIENT:-$ROOT/build/gp-client}
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_workdir ca openssl timeout
CA=$W/ca

# gp-ca on the test CA; output in $W/out and $W/err, status in RC.
ca() {
	run "$GP_CA" -d "$CA" "$@"
}

mode_of() {	# FILE
	stat -c %a "$1"
}

# Prints "STATUS NOT-AFTER" of the list line for CN and SERIAL.
list_line() {	# CN SERIAL
	"$GP_CA" -d "$CA" list | awk -v cn="$1" -v s="$2" \
	    '$1 == cn && $2 == s { print $3, $4 }'
}

serial_of() {	# CERT
	openssl x509 -in "$1" -noout -serial | sed 's/.*=//'
}

# openssl verify against the CA and its CRL; status in RC.
verify_crl() {	# CERT [PURPOSE]
	run openssl verify -crl_check -CRLfile "$CA/crl.pem" \
	    -CAfile "$CA/ca.crt" ${2:+-purpose "$2"} "$1"
}

index_lines() {
	wc -l < "$CA/index.txt" | tr -d ' '
}

test_init() {
	ca init --cn "LĐLĐ tỉnh Lai Châu" --days 3650
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local f
	for f in ca.crt ca.key crl.pem ca.cnf index.txt serial; do
		[ -f "$CA/$f" ] || { fail "$f missing"; return; }
	done
	[ "$(mode_of "$CA/ca.key")" = 600 ] ||
	    { fail "ca.key mode $(mode_of "$CA/ca.key")"; return; }
	[ "$(mode_of "$CA/keys")" = 700 ] ||
	    { fail "keys/ mode $(mode_of "$CA/keys")"; return; }
	openssl x509 -in "$CA/ca.crt" -noout -text | grep -q 'CA:TRUE' ||
	    { fail "ca.crt is not a CA certificate"; return; }
	openssl x509 -in "$CA/ca.crt" -noout -subject -nameopt utf8 |
	    grep -q 'CN *= *LĐLĐ tỉnh Lai Châu$' ||
	    { fail "subject: $(openssl x509 -in "$CA/ca.crt" -noout -subject)"; return; }
	run openssl crl -in "$CA/crl.pem" -CAfile "$CA/ca.crt" -noout
	[ "$RC" -eq 0 ] || { fail "the CRL does not verify: $(cat "$W/err")"; return; }
	openssl crl -in "$CA/crl.pem" -noout -text | grep -q 'No Revoked' ||
	    { fail "a new CRL lists revocations"; return; }
}

test_init_twice() {
	local before
	before=$(openssl x509 -in "$CA/ca.crt" -noout -fingerprint)
	ca init
	[ "$RC" -eq 1 ] || { fail "exit $RC, want 1"; return; }
	grep -q 'already holds a CA' "$W/err" || { fail "$(cat "$W/err")"; return; }
	[ "$(openssl x509 -in "$CA/ca.crt" -noout -fingerprint)" = "$before" ] ||
	    { fail "the CA was replaced"; return; }
}

test_issue_server() {
	ca issue-server localhost 127.0.0.1 ::1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local text
	text=$(openssl x509 -in "$CA/server.crt" -noout -text)
	grep -q 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' \
	    <<<"$text" || { fail "subjectAltName: $text"; return; }
	grep -q 'TLS Web Server Authentication' <<<"$text" ||
	    { fail "no serverAuth"; return; }
	[ "$(mode_of "$CA/server.key")" = 600 ] ||
	    { fail "server.key mode $(mode_of "$CA/server.key")"; return; }
	verify_crl "$CA/server.crt" sslserver
	[ "$RC" -eq 0 ] || { fail "verify: $(cat "$W/out" "$W/err")"; return; }
	ca issue-server localhost
	[ "$RC" -eq 1 ] || { fail "second issue-server: exit $RC, want 1"; return; }
}

test_issue_units() {
	local name text
	for name in lc-tamduong lc-sinho lc-nganh-giaoduc admin-nguyen; do
		ca issue "$name"
		[ "$RC" -eq 0 ] || { fail "$name: exit $RC: $(cat "$W/err")"; return; }
		[ "$(mode_of "$CA/keys/$name.key")" = 600 ] ||
		    { fail "$name.key mode $(mode_of "$CA/keys/$name.key")"; return; }
		text=$(openssl x509 -in "$CA/certs/$name.crt" -noout -text)
		grep -q "Subject: CN *= *$name\$" <<<"$text" ||
		    { fail "$name: $(grep Subject: <<<"$text")"; return; }
		grep -q 'TLS Web Client Authentication' <<<"$text" ||
		    { fail "$name: no clientAuth"; return; }
		grep -q 'TLS Web Server' <<<"$text" &&
		    { fail "$name: serverAuth in a client certificate"; return; }
		verify_crl "$CA/certs/$name.crt" sslclient
		[ "$RC" -eq 0 ] || { fail "$name: $(cat "$W/out" "$W/err")"; return; }
		[ "$(openssl x509 -in "$CA/certs/$name.crt" -noout -pubkey)" = \
		    "$(openssl pkey -in "$CA/keys/$name.key" -pubout)" ] ||
		    { fail "$name: key and certificate do not match"; return; }
	done
}

test_issue_days() {
	ca issue lc-muongte --days 10
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local end want
	end=$(openssl x509 -in "$CA/certs/lc-muongte.crt" -noout -enddate |
	    sed 's/.*=//')
	end=$(date -u -d "$end" +%Y-%m-%d)
	want=$(date -u -d '+10 days' +%Y-%m-%d)
	[ "$end" = "$want" ] || { fail "not after $end, want $want"; return; }
}

test_list() {
	"$GP_CA" -d "$CA" list > "$W/list" ||
	    { fail "list: exit $?"; return; }
	head -n 1 "$W/list" | grep -q '^CN  *SERIAL  *STATUS  *NOT AFTER$' ||
	    { fail "header: $(head -n 1 "$W/list")"; return; }
	local name crt serial end got
	for name in localhost lc-tamduong lc-sinho lc-nganh-giaoduc \
	    admin-nguyen lc-muongte; do
		crt=$CA/certs/$name.crt
		[ "$name" = localhost ] && crt=$CA/server.crt
		serial=$(serial_of "$crt")
		end=$(openssl x509 -in "$crt" -noout -enddate | sed 's/.*=//')
		end=$(date -u -d "$end" +%Y-%m-%d)
		got=$(list_line "$name" "$serial")
		[ "$got" = "valid $end" ] ||
		    { fail "$name $serial: '$got', want 'valid $end'"; return; }
	done
	[ "$(($(wc -l < "$W/list") - 1))" = "$(index_lines)" ] ||
	    { fail "$(cat "$W/list")"; return; }
}

test_issue_refuses_valid() {
	local before fp
	before=$(index_lines)
	fp=$(fingerprint "$CA/certs/lc-tamduong.crt")
	ca issue lc-tamduong
	[ "$RC" -eq 1 ] || { fail "exit $RC, want 1"; return; }
	grep -q 'already has a valid certificate' "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	[ "$(index_lines)" = "$before" ] || { fail "a certificate was issued"; return; }
	[ "$(fingerprint "$CA/certs/lc-tamduong.crt")" = "$fp" ] ||
	    { fail "the certificate file was replaced"; return; }
}

test_bad_names() {
	local before name
	before=$(index_lines)
	for name in LC-TAMDUONG lc_tamduong 'lc tamduong' ../lc-x lc.x '' \
	    "$(printf 'a%.0s' $(seq 65))" 'lc-tâmduong' '*'; do
		ca issue "$name"
		[ "$RC" -eq 64 ] || { fail "'$name': exit $RC, want 64"; return; }
	done
	ca issue -lc
	[ "$RC" -eq 64 ] || { fail "'-lc': exit $RC, want 64"; return; }
	ca revoke Bad
	[ "$RC" -eq 64 ] || { fail "revoke Bad: exit $RC, want 64"; return; }
	ca issue "$(printf 'a%.0s' $(seq 64))"
	[ "$RC" -eq 0 ] || { fail "64 letters: exit $RC: $(cat "$W/err")"; return; }
	[ "$(index_lines)" = "$((before + 1))" ] ||
	    { fail "$(index_lines) certificates, want $((before + 1))"; return; }
}

test_revoke() {
	cp "$CA/certs/lc-sinho.crt" "$W/revoked.crt"
	cp "$CA/keys/lc-sinho.key" "$W/revoked.key"
	local serial
	serial=$(serial_of "$CA/certs/lc-sinho.crt")
	ca revoke lc-sinho
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q '^crl .* 1 revoked, next update ' "$W/out" ||
	    { fail "output: $(cat "$W/out")"; return; }
	[ "$(list_line lc-sinho "$serial" | cut -d' ' -f1)" = revoked ] ||
	    { fail "list: $(list_line lc-sinho "$serial")"; return; }
	openssl crl -in "$CA/crl.pem" -noout -text |
	    grep -q "Serial Number: $serial" ||
	    { fail "serial $serial not in the CRL"; return; }
	verify_crl "$CA/certs/lc-sinho.crt"
	[ "$RC" -ne 0 ] || { fail "openssl verify accepts the revoked certificate"; return; }
	grep -q 'certificate revoked' "$W/out" "$W/err" ||
	    { fail "verify: $(cat "$W/out" "$W/err")"; return; }
	local name
	for name in lc-tamduong lc-nganh-giaoduc admin-nguyen; do
		verify_crl "$CA/certs/$name.crt"
		[ "$RC" -eq 0 ] || { fail "$name: $(cat "$W/out" "$W/err")"; return; }
	done
	verify_crl "$CA/server.crt"
	[ "$RC" -eq 0 ] || { fail "server: $(cat "$W/out" "$W/err")"; return; }
	ca revoke lc-sinho
	[ "$RC" -eq 1 ] || { fail "second revoke: exit $RC, want 1"; return; }
}

test_issue_after_revoke() {
	ca issue lc-sinho
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(serial_of "$CA/certs/lc-sinho.crt")" != "$(serial_of "$W/revoked.crt")" ] ||
	    { fail "same serial"; return; }
	verify_crl "$CA/certs/lc-sinho.crt"
	[ "$RC" -eq 0 ] || { fail "verify: $(cat "$W/out" "$W/err")"; return; }
}

test_renew() {
	local old new oldkey
	old=$(serial_of "$CA/certs/lc-tamduong.crt")
	oldkey=$(openssl pkey -in "$CA/keys/lc-tamduong.key" -pubout)
	cp "$CA/certs/lc-tamduong.crt" "$W/old-tamduong.crt"
	cp "$CA/keys/lc-tamduong.key" "$W/old-tamduong.key"
	ca renew lc-tamduong
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	new=$(serial_of "$CA/certs/lc-tamduong.crt")
	[ "$new" != "$old" ] || { fail "serial unchanged: $new"; return; }
	[ "$(openssl pkey -in "$CA/keys/lc-tamduong.key" -pubout)" != "$oldkey" ] ||
	    { fail "the key was not renewed"; return; }
	[ "$(list_line lc-tamduong "$new" | cut -d' ' -f1)" = valid ] ||
	    { fail "new: $(list_line lc-tamduong "$new")"; return; }
	[ "$(list_line lc-tamduong "$old" | cut -d' ' -f1)" = valid ] ||
	    { fail "old: $(list_line lc-tamduong "$old")"; return; }
	grep -q "gp-ca revoke lc-tamduong $old" "$W/out" ||
	    { fail "no hint to revoke the old one: $(cat "$W/out")"; return; }

	# Revoking by serial leaves the new certificate alone.
	ca revoke lc-tamduong "$old"
	[ "$RC" -eq 0 ] || { fail "revoke $old: exit $RC: $(cat "$W/err")"; return; }
	[ "$(list_line lc-tamduong "$old" | cut -d' ' -f1)" = revoked ] ||
	    { fail "old after revoke: $(list_line lc-tamduong "$old")"; return; }
	verify_crl "$CA/certs/lc-tamduong.crt"
	[ "$RC" -eq 0 ] || { fail "new after revoke: $(cat "$W/out" "$W/err")"; return; }
	verify_crl "$W/old-tamduong.crt"
	[ "$RC" -ne 0 ] || { fail "old certificate still verifies"; return; }

	ca renew lc-nobody
	[ "$RC" -eq 1 ] || { fail "renew lc-nobody: exit $RC, want 1"; return; }
	ca issue lc-nganh-giaoduc --renew
	[ "$RC" -eq 0 ] || { fail "issue --renew: exit $RC: $(cat "$W/err")"; return; }
}

test_expired() {
	# A certificate that expired yesterday, signed straight by openssl ca.
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$W/old.key" 2>/dev/null
	openssl req -new -key "$W/old.key" -subj /CN=lc-phongtho \
	    -out "$W/old.csr" 2>/dev/null
	local start end serial
	start=$(date -u -d '-3 days' +%Y%m%d%H%M%SZ)
	end=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
	(cd "$CA" && openssl ca -batch -notext -config ca.cnf \
	    -extensions client_ext -startdate "$start" -enddate "$end" \
	    -in "$W/old.csr" -out "$W/old.crt" 2>/dev/null) ||
	    { fail "openssl ca could not sign"; return; }
	serial=$(serial_of "$W/old.crt")
	[ "$(list_line lc-phongtho "$serial")" = \
	    "expired $(date -u -d '-1 day' +%Y-%m-%d)" ] ||
	    { fail "list: '$(list_line lc-phongtho "$serial")'"; return; }
	ca issue lc-phongtho
	[ "$RC" -eq 0 ] || { fail "issue after expiry: exit $RC: $(cat "$W/err")"; return; }
}

test_crl_days() {
	ca crl --days 7
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local next want
	next=$(openssl crl -in "$CA/crl.pem" -noout -nextupdate | sed 's/.*=//')
	next=$(date -u -d "$next" +%Y-%m-%d)
	want=$(date -u -d '+7 days' +%Y-%m-%d)
	[ "$next" = "$want" ] || { fail "next update $next, want $want"; return; }
	grep -q "next update ${want}T" "$W/out" ||
	    { fail "output: $(cat "$W/out")"; return; }
	ca crl
	next=$(openssl crl -in "$CA/crl.pem" -noout -nextupdate | sed 's/.*=//')
	next=$(date -u -d "$next" +%Y-%m-%d)
	want=$(date -u -d '+30 days' +%Y-%m-%d)
	[ "$next" = "$want" ] || { fail "default: next update $next, want $want"; return; }
	[ "$(mode_of "$CA/crl.pem")" = 644 ] ||
	    { fail "crl.pem mode $(mode_of "$CA/crl.pem")"; return; }
}

test_env_dir() {
	RC=0
	GP_CA_DIR=$CA "$GP_CA" list >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q '^lc-tamduong ' "$W/out" || { fail "$(cat "$W/out")"; return; }
	RC=0
	GP_CA_DIR=$W/none "$GP_CA" list >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 1 ] || { fail "no CA: exit $RC, want 1"; return; }
	grep -q 'no CA here' "$W/err" || { fail "$(cat "$W/err")"; return; }
}

# A CA restored from a copy into another directory keeps working.
test_moved() {
	mv "$CA" "$W/moved"
	RC=0
	(cd "$W" && "$GP_CA" -d moved issue lc-moved) >"$W/out" 2>"$W/err" || RC=$?
	mv "$W/moved" "$CA"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	verify_crl "$CA/certs/lc-moved.crt"
	[ "$RC" -eq 0 ] || { fail "verify: $(cat "$W/out" "$W/err")"; return; }
	ca revoke lc-moved
	[ "$RC" -eq 0 ] || { fail "revoke: exit $RC: $(cat "$W/err")"; return; }
}

# --help, gp-ca help and a command's --help: the usage on standard output,
# exit 0, with nothing made.
test_help() {
	local how
	for how in --help -h help "issue --help" "revoke lc-x --help"; do
		# shellcheck disable=SC2086  # the words of how
		run "$GP_CA" -d "$W/no-ca" $how
		[ "$RC" -eq 0 ] || { fail "gp-ca $how: exit $RC"; return; }
		grep -q '^usage: gp-ca \[-d dir\] init' "$W/out" ||
		    { fail "gp-ca $how: no usage: $(cat "$W/out")"; return; }
		grep -q '^  issue  *a certificate and key' "$W/out" ||
		    { fail "gp-ca $how: no commands: $(cat "$W/out")"; return; }
		[ ! -s "$W/err" ] || { fail "gp-ca $how: $(cat "$W/err")"; return; }
	done
	[ ! -e "$W/no-ca" ] || { fail "--help made $W/no-ca"; return; }
}

test_usage() {
	ca frobnicate
	[ "$RC" -eq 64 ] || { fail "unknown command: exit $RC"; return; }
	ca issue lc-tamduong --days x
	[ "$RC" -eq 64 ] || { fail "--days x: exit $RC"; return; }
	ca issue-server 'bad host'
	[ "$RC" -eq 64 ] || { fail "bad host: exit $RC"; return; }
	ca issue-server localhost not-an-ip --renew
	[ "$RC" -eq 64 ] || { fail "bad address: exit $RC"; return; }
}

# The real daemon with this PKI: a unit is served, a revoked certificate
# is refused.
test_gpd() {
	PORT=$(free_port)
	DB=$W/gp.db
	e2e_units lc-tamduong
	e2e_gpd_conf "$W/gpd.conf" "[tls] certificate = $CA/server.crt" \
	    "[tls] key = $CA/server.key" "[tls] client_ca = $CA/ca.crt" \
	    "[tls] crl = $CA/crl.pem"
	start_gpd "$W/gpd.conf" || { fail "gpd did not start: $(cat "$W/gpd.log")"; return; }
	run "$GP_CLIENT" -s "localhost:$PORT" --ca "$CA/ca.crt" \
	    --cert "$CA/certs/lc-tamduong.crt" --key "$CA/keys/lc-tamduong.key" \
	    submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1' "$W/out" ||
	    { fail "$(cat "$W/out")"; return; }
	run "$GP_CLIENT" -s "localhost:$PORT" --ca "$CA/ca.crt" \
	    --cert "$W/old-tamduong.crt" --key "$W/old-tamduong.key" \
	    submit "$DATA/lc-tamduong-2022-H1.json"
	case $RC in
	69|77) ;;
	*) fail "revoked certificate: exit $RC, want 77 or 69"; return;;
	esac
	[ "$(sqlite3 -batch -noheader "$DB" 'select count(*) from reports')" = 1 ] ||
	    { fail "reports stored: $(sqlite3 "$DB" 'select count(*) from reports')"; return; }
}

t "init: CA, key mode 600, empty CRL" test_init
t "init twice: refused, CA kept" test_init_twice
t "issue-server: SAN, serverAuth, verifies" test_issue_server
t "issue: units and an admin, CN = name, clientAuth, key 600" test_issue_units
t "issue --days 10" test_issue_days
t "list: every certificate valid with serial and not-after date" test_list
t "issue: a name with a valid certificate is refused" test_issue_refuses_valid
t "issue: bad names refused (64), 64 characters accepted" test_bad_names
t "revoke: listed revoked, in the CRL, openssl verify refuses it only" test_revoke
t "issue after revoke: a new certificate" test_issue_after_revoke
t "renew: new serial and key; revoke by serial keeps the new one" test_renew
t "list: an expired certificate shows expired; issue allowed" test_expired
t "crl: --days 7 and the default 30, next update printed" test_crl_days
t "GP_CA_DIR selects the CA" test_env_dir
t "CA directory moved, relative -d: issue and revoke work" test_moved
t "usage errors exit 64" test_usage
t "--help, help and a command's --help: usage, exit 0" test_help
if [ -x "$GPD" ] && [ -x "$GP_CLIENT" ] && command -v sqlite3 >/dev/null &&
    command -v python3 >/dev/null; then
	GPD=$(realpath "$GPD")
	GP_CLIENT=$(realpath "$GP_CLIENT")
	t "gpd serves with this PKI and refuses a revoked certificate" test_gpd
else
	echo "# gpd or gp-client not built: skipping the daemon test"
fi
summary
