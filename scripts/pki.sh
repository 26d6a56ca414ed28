#!/bin/sh
# Makes a throwaway PKI for tests and the demo with the openssl command line:
#
#   DIR/ca.crt ca.key            "gp test CA"
#   DIR/server.crt server.key    localhost, 127.0.0.1 (serverAuth)
#   DIR/NAME.crt NAME.key        CN=NAME (clientAuth), one per NAME
#   DIR/rogue-ca.crt rogue-ca.key, rogue-lc-tamduong.crt .key
#                                a CA the daemon does not trust, and a
#                                client certificate for lc-tamduong from it
#   DIR/crl.pem                  an empty CRL signed by the CA
#   DIR/ca.cnf index.txt serial crlnumber newcerts/
#                                an `openssl ca` database, so that a test can
#                                revoke:  openssl ca -config DIR/ca.cnf
#                                  -revoke DIR/NAME.crt && openssl ca
#                                  -config DIR/ca.cnf -gencrl -out DIR/crl.pem
#
# Keys are EC P-256, mode 600. Run again on the same DIR, it keeps the CA
# and adds certificates only for names that have none yet. PKI_START
# (YYYYMMDDHHMMSSZ) backdates the CA and every certificate to that time,
# for receipts of a database made before the PKI.
#
# usage: pki.sh DIR [NAME ...]
set -eu

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	echo "usage: pki.sh DIR [NAME ...]" >&2
	exit 64
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
shift

for name in "$@"; do
	case $name in
	''|*[!A-Za-z0-9._-]*|.*)
		echo "pki.sh: bad name '$name': use letters, digits, . _ -" >&2
		exit 64;;
	ca|ca-*|server|rogue-*)
		echo "pki.sh: name '$name' is reserved" >&2
		exit 64;;
	esac
done

DAYS=825
umask 022

newkey() {	# FILE
	(umask 077 && openssl genpkey -algorithm EC \
	    -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
	chmod 600 "$1"
}

if [ ! -f "$DIR/ca.cnf" ]; then
	cat > "$DIR/ca.cnf" <<CNF
# openssl ca configuration of the gp test CA (made by scripts/pki.sh)
[ ca ]
default_ca		= gp_ca

[ gp_ca ]
dir			= $DIR
database		= \$dir/index.txt
new_certs_dir		= \$dir/newcerts
certificate		= \$dir/ca.crt
private_key		= \$dir/ca.key
serial			= \$dir/serial
crlnumber		= \$dir/crlnumber
default_md		= sha256
default_days		= $DAYS
default_crl_days	= 30
policy			= gp_policy
unique_subject		= no
email_in_dn		= no
copy_extensions		= none
crl_extensions		= crl_ext

[ gp_policy ]
commonName		= supplied

[ req ]
distinguished_name	= req_dn
prompt			= no

[ req_dn ]
CN			= gp test CA

[ ca_ext ]
basicConstraints	= critical, CA:true
keyUsage		= critical, keyCertSign, cRLSign
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid:always

[ server_ext ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature
extendedKeyUsage	= serverAuth
subjectAltName		= DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid, issuer

[ client_ext ]
basicConstraints	= critical, CA:false
keyUsage		= critical, digitalSignature
extendedKeyUsage	= clientAuth
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid, issuer

[ crl_ext ]
authorityKeyIdentifier	= keyid:always
CNF
fi

# Backdated certificates: from PKI_START to DAYS days from now.
DATES=
if [ -n "${PKI_START:-}" ]; then
	DATES="-startdate $PKI_START -enddate $(date -u -d "+$DAYS days" +%Y%m%d%H%M%SZ)"
fi

# Signs DIR/NAME.csr with the test CA into DIR/NAME.crt.
casign() {	# NAME EXTENSIONS
	# shellcheck disable=SC2086
	openssl ca -batch -notext -config "$DIR/ca.cnf" -extensions "$2" \
	    $DATES -in "$DIR/$1.csr" -out "$DIR/$1.crt" 2>/dev/null || {
		echo "pki.sh: openssl ca failed for $1" >&2
		exit 1
	}
	rm -f "$DIR/$1.csr"
}

issue() {	# NAME CN EXTENSIONS
	newkey "$DIR/$1.key"
	openssl req -new -key "$DIR/$1.key" -subj "/CN=$2" \
	    -out "$DIR/$1.csr" 2>/dev/null
	casign "$1" "$3"
}

if [ ! -f "$DIR/ca.crt" ]; then
	mkdir -p "$DIR/newcerts"
	: > "$DIR/index.txt"
	echo 1000 > "$DIR/serial"
	echo 1000 > "$DIR/crlnumber"
	newkey "$DIR/ca.key"
	if [ -n "$DATES" ]; then
		openssl req -new -config "$DIR/ca.cnf" -key "$DIR/ca.key" \
		    -out "$DIR/ca.csr" 2>/dev/null
		# shellcheck disable=SC2086
		openssl ca -batch -notext -selfsign -config "$DIR/ca.cnf" \
		    -keyfile "$DIR/ca.key" -extensions ca_ext $DATES \
		    -in "$DIR/ca.csr" -out "$DIR/ca.crt" 2>/dev/null || {
			echo "pki.sh: openssl ca -selfsign failed" >&2
			exit 1
		}
		rm -f "$DIR/ca.csr"
	else
		openssl req -new -x509 -config "$DIR/ca.cnf" \
		    -extensions ca_ext -key "$DIR/ca.key" -days "$DAYS" \
		    -set_serial 1 -out "$DIR/ca.crt" 2>/dev/null
	fi
fi

[ -f "$DIR/server.crt" ] || issue server localhost server_ext

for name in "$@"; do
	[ -f "$DIR/$name.crt" ] || issue "$name" "$name" client_ext
done

# A CA nobody trusts and a certificate from it that claims lc-tamduong.
if [ ! -f "$DIR/rogue-ca.crt" ]; then
	newkey "$DIR/rogue-ca.key"
	openssl req -new -x509 -config "$DIR/ca.cnf" -extensions ca_ext \
	    -key "$DIR/rogue-ca.key" -subj "/CN=gp rogue CA" -days "$DAYS" \
	    -set_serial 1 -out "$DIR/rogue-ca.crt" 2>/dev/null
	newkey "$DIR/rogue-lc-tamduong.key"
	openssl req -new -key "$DIR/rogue-lc-tamduong.key" \
	    -subj "/CN=lc-tamduong" -out "$DIR/rogue-lc-tamduong.csr" \
	    2>/dev/null
	openssl x509 -req -in "$DIR/rogue-lc-tamduong.csr" \
	    -CA "$DIR/rogue-ca.crt" -CAkey "$DIR/rogue-ca.key" \
	    -set_serial 2 -days "$DAYS" -extfile "$DIR/ca.cnf" \
	    -extensions client_ext -out "$DIR/rogue-lc-tamduong.crt" \
	    2>/dev/null
	rm -f "$DIR/rogue-lc-tamduong.csr"
fi

# The CRL is remade on every run so that it is never stale.
openssl ca -config "$DIR/ca.cnf" -gencrl -out "$DIR/crl.pem" 2>/dev/null || {
	echo "pki.sh: openssl ca -gencrl failed" >&2
	exit 1
}
