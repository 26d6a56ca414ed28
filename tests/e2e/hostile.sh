#!/bin/bash
# Hostile end-to-end tests (issue 6): the TLS refusal matrix, authorization
# and hostile text, resource limits, kill -9 under load, a full disk, a
# read-only disk, I/O errors and a vanished database file. Each test checks
# what was stored (or that nothing was) and that gpd keeps serving a
# legitimate client within LEGIT_MAX seconds.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/hostile.sh [SECTION ...]
#
# SECTION is tls, auth, text, limits, crash or storage; all by default.
# The storage section needs root (tmpfs, loop device, ext4) and says SKIP
# without. Bounded for `make check` (a few minutes on two cores); the
# knobs below make the long variants of tests/e2e/stress.sh:
#   KILLS=20        kill -9 rounds in the crash test
#   SUBMITTERS=4    concurrent submitters in the crash test
#   CONNS=100       connections opened past max_connections (20)
#   HOLD=8          seconds those connections are held
#   SLOW=16         seconds a slowloris peer dribbles
#   PIPELINE=200    requests pipelined on one connection
#   SEED=N          the crash test's random choices (default: the PID)
#   LEGIT_MAX=5     seconds a legitimate client may wait while under attack
#   CPU_MAX=20      % of one core gpd may use while connections are held
# KEEP=1 keeps the working directory (PKI, configurations, databases, logs);
# TIMES=1 prints how long each test took.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GPRAW=$ROOT/tests/e2e/gpraw.py
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

KILLS=${KILLS:-20}
SUBMITTERS=${SUBMITTERS:-4}
CONNS=${CONNS:-100}
HOLD=${HOLD:-8}
SLOW=${SLOW:-16}
PIPELINE=${PIPELINE:-200}
SEED=${SEED:-$$}
LEGIT_MAX=${LEGIT_MAX:-5}
CPU_MAX=${CPU_MAX:-20}

MAXCONN=20
HS=2		# handshake_timeout
IDLE=4		# idle_timeout
MAXFRAME=65536

# The interpreter itself, not a wrapper script (pyenv's shims cost a
# second a start on a loaded machine).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

SECTIONS=${*:-tls auth text limits crash storage}
for s in $SECTIONS; do
	case $s in
	tls|auth|text|limits|crash|storage) ;;
	*) echo "hostile: unknown section '$s'" >&2; exit 64;;
	esac
done

e2e_setup hostile openssl sqlite3 python3 timeout	# W, PORT, DB
P=$W/pki
MOUNTS=		# mount points we made: unmounted at exit
LOOPS=		# loop devices we attached: detached at exit

suite_cleanup() {
	local pid m
	stop_gpd
	# Our own background jobs still running, and only those.
	for pid in $(jobs -p); do
		kill "$pid" 2>/dev/null || true
	done
	for m in $MOUNTS; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	for m in $LOOPS; do
		losetup -d "$m" 2>/dev/null || true
	done
}

# --- runner additions -----------------------------------------------------

NSKIP=0
NOTE=

# A figure for the report, printed under the test's "ok" line.
note() {
	NOTE="${NOTE:+$NOTE
}$*"
}

ht() {	# NAME FUNCTION
	local t0
	NOTE=
	t0=$(now_ms)
	t "$@"
	[ -z "$NOTE" ] || printf '%s\n' "$NOTE" | sed 's/^/#   /'
	[ -z "${TIMES:-}" ] || echo "#   ($(($(now_ms) - t0)) ms)"
}

skip() {	# NAME REASON
	NTEST=$((NTEST + 1))
	NSKIP=$((NSKIP + 1))
	echo "ok $NTEST - $1 # SKIP $2"
}

# A test that may find it cannot run here: it sets SKIPPED to say why
# and returns 0; that is reported as a SKIP, never as a pass.
st() {	# NAME FUNCTION
	SKIPPED=
	ht "$1" "$2" >"$W/t.out"
	if [ -n "$SKIPPED" ] && grep -q '^ok' "$W/t.out"; then
		NTEST=$((NTEST - 1))
		NPASS=$((NPASS - 1))
		skip "$1" "$SKIPPED"
	else
		cat "$W/t.out"
	fi
}

# --- the PKI --------------------------------------------------------------

e2e_pki lc-tamduong lc-sinho admin-test lc-unknown

mkcert x-expired lc-tamduong client_ext \
    -startdate 20200101000000Z -enddate 20210101000000Z
mkcert x-notyet lc-tamduong client_ext \
    -startdate 20400101000000Z -enddate 20410101000000Z
mkcert x-serverauth lc-tamduong server_ext
mkcert x-revoked lc-sinho client_ext
# A CRL past its nextUpdate (OpenSSL 3 can date one).
CRL_EXPIRED=$P/crl-expired.pem
openssl ca -config "$P/ca.cnf" -gencrl -crl_lastupdate 20200101000000Z \
    -crl_nextupdate 20200201000000Z -out "$CRL_EXPIRED" 2>/dev/null ||
    CRL_EXPIRED=

# --- configuration and the daemon -----------------------------------------

e2e_units lc-tamduong lc-sinho
write_conf() {	# FILE DATABASE CRL
	e2e_gpd_conf "$1" "database = $2" "max_connections = $MAXCONN" \
	    "handshake_timeout = $HS" "idle_timeout = $IDLE" \
	    "frame_timeout = $((IDLE * 2))" "max_frame = $MAXFRAME" \
	    "workers = 2" "[tls] crl = $3" "[access] admins = admin-test" \
	    "${E2E_PERIODS[@]}"
}
write_conf "$W/gpd.conf" "$DB" "$P/crl.pem"

# Waits up to SECONDS for gpd to exit by itself; GPD_RC its status.
gpd_wait_exit() {	# SECONDS
	local i
	for i in $(seq $(($1 * 10))); do
		kill -0 "$GPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$GPD_PID" 2>/dev/null; then
		GPD_RC=
		return 1
	fi
	GPD_RC=0
	wait "$GPD_PID" 2>/dev/null || GPD_RC=$?
	GPD_PID=
}

# --- clients ---------------------------------------------------------------

# gp-client options: no retries, no queueing, an outbox of our own (when
# this gp-client has them).
COPTS=(--timeout 10)
NOQUEUE=()
if "$GP_CLIENT" --help 2>&1 | grep -q -- --retries; then
	COPTS+=(--retries 0 --outbox "$W/outbox")
fi
if "$GP_CLIENT" --help 2>&1 | grep -q -- --no-queue; then
	NOQUEUE=(--no-queue)
fi

gpc() {	# NAME ARGS...: gp-client with NAME's certificate
	local name=$1
	shift
	run "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$P/ca.crt" \
	    --cert "$P/$name.crt" --key "$P/$name.key" "${COPTS[@]}" "$@"
}

gpsubmit() {	# NAME FILE
	gpc "$1" submit "${NOQUEUE[@]}" "$2"
}

# gpraw with NAME's certificate ("-": none); OPTIONS go before MODE.
raw() {	# NAME [OPTIONS] MODE [ARGS...]
	local name=$1
	local cert=()
	shift
	[ "$name" = - ] || cert=(--cert "$P/$name.crt" --key "$P/$name.key")
	run "$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" "${cert[@]}" "$@"
}

# gpraw as lc-tamduong, for runs in the background.
RAWT=("$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" \
    --cert "$P/lc-tamduong.crt" --key "$P/lc-tamduong.key")

SINHO=$DATA/lc-sinho-2022-H1.json
TAMDUONG=$DATA/lc-tamduong-2022-H1.json

# One legitimate submission by lc-sinho (a duplicate after the first):
# exit 0 within LEGIT_MAX seconds. LEGIT_MS is how long it took.
legit() {
	local t0 rc=0
	t0=$(now_ms)
	timeout 30 "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-sinho.crt" --key "$P/lc-sinho.key" "${COPTS[@]}" \
	    submit "${NOQUEUE[@]}" "$SINHO" >"$W/legit.out" 2>"$W/legit.err" \
	    </dev/null || rc=$?
	LEGIT_MS=$(($(now_ms) - t0))
	LEGIT_RC=$rc
	[ "$rc" -eq 0 ] || { fail "legitimate client: exit $rc after" \
	    "$LEGIT_MS ms: $(cat "$W/legit.err")"; return 1; }
	grep -Eq '^(accepted|duplicate) lc-sinho ' "$W/legit.out" ||
	    { fail "legitimate client: $(cat "$W/legit.out")"; return 1; }
	[ "$LEGIT_MS" -le $((LEGIT_MAX * 1000)) ] ||
	    { fail "legitimate client served after $LEGIT_MS ms," \
	    "more than $LEGIT_MAX s"; return 1; }
	return 0
}

# gpd's CPU use over SECONDS, in % of one core (all its threads).
cpu_pct() {	# PID SECONDS
	local a b hz
	hz=$(getconf CLK_TCK)
	a=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	sleep "$2"
	b=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	echo $(((b - a) * 100 / (hz * $2)))
}

fp_of() {	# NAME: SHA-256 fingerprint of NAME's certificate
	fingerprint "$P/$1.crt"
}

# Refusals of certificate CN on record: an entry each, and those a
# summary entry counted ("repeated N times in the minute since ...").
refusals_of() {	# CN
	q "select count(*) + coalesce(sum(case when detail like 'repeated %'
	    then cast(substr(detail, 10) as integer) - 1 else 0 end), 0)
	    from audit where cn = '$1' and result = 'refused'"
}

# gpd stopped and started again: what refusals counted is written at the
# stop, and a refusal is the first of its kind again.
refusals_flush() {
	restart_gpd "$W/gpd.conf"
}

hexof() {	# PYTHON-BYTES-EXPRESSION: upper-case hex, as sqlite's hex()
	"$PYTHON" -c "import sys; sys.stdout.write(($1).hex().upper())"
}

report_count() {	# SUBMISSION-ID: rows with that id
	q "select count(*) from reports where submission_id = '$1'"
}

# Logs of gpd since the mark (a line count).
log_since() {	# MARK
	tail -n +"$(($1 + 1))" "$W/gpd.log"
}

log_mark() {
	wc -l <"$W/gpd.log"
}

# Waits up to SECONDS for COUNT lines matching PATTERN (grep -E) in the
# log after MARK: a negative check waits for the event that settles it,
# never a fixed time. 0 when they came.
log_wait() {	# MARK COUNT PATTERN SECONDS
	local i
	for i in $(seq $(($4 * 10))); do
		[ "$(log_since "$1" | grep -cE "$3" || true)" -ge "$2" ] &&
		    return 0
		sleep 0.1
	done
	return 1
}

# ==========================================================================
# TLS: who gets in
# ==========================================================================

# A certificate the daemon must refuse at the handshake: gpraw sees the
# ALERT, gp-client fails, nothing is stored, others are still served.
refused_cert() {	# NAME ALERT-REGEX
	local before
	before=$(counts)
	raw "$1" --await 1 whoami
	cp "$W/out" "$W/refused.out"
	grep -Eq "^refused .*($2)" "$W/out" ||
	    { fail "not refused with $2: $(cat "$W/out")"; return 1; }
	grep -q '^whoami ' "$W/out" &&
	    { fail "answered: $(cat "$W/out")"; return 1; }
	raw "$1" submit --unit "$(openssl x509 -in "$P/$1.crt" -noout \
	    -subject -nameopt multiline | sed -n 's/ *commonName *= //p')"
	grep -q '^receipt ' "$W/out" &&
	    { fail "a receipt: $(cat "$W/out")"; return 1; }
	gpsubmit "$1" "$TAMDUONG"
	case $RC in
	69|77) ;;
	*) fail "gp-client exit $RC, want 69 or 77: $(cat "$W/err")"
	   return 1;;
	esac
	note "gpraw: $(grep '^refused' "$W/refused.out" | head -n 1); gp-client: exit $RC"
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return 1; }
	legit || return 1
}

test_no_cert() {
	local before
	before=$(counts)
	raw - --await 1 whoami
	cp "$W/out" "$W/refused.out"
	grep -q '^refused ' "$W/out" ||
	    { fail "not refused: $(cat "$W/out")"; return; }
	grep -q '^whoami ' "$W/out" && { fail "answered: $(cat "$W/out")"; return; }
	raw - submit
	grep -q '^receipt ' "$W/out" && { fail "a receipt: $(cat "$W/out")"; return; }
	note "gpraw: $(grep '^refused' "$W/refused.out" | head -n 1)"
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	legit
}

test_rogue_ca() {
	refused_cert rogue-lc-tamduong 'UNKNOWN_CA|unknown ca'
}

test_expired() {
	refused_cert x-expired 'CERTIFICATE_EXPIRED'
}

test_not_yet_valid() {
	refused_cert x-notyet 'BAD_CERTIFICATE'
}

test_no_client_auth() {
	refused_cert x-serverauth 'UNSUPPORTED_CERTIFICATE'
}

# Revoked after it was in use: a new CRL and SIGHUP, no restart.
test_revoked() {
	local mark
	raw x-revoked whoami
	grep -q '^whoami lc-sinho unit$' "$W/out" ||
	    { fail "before revocation, not served: $(cat "$W/out")"; return; }
	{ openssl ca -config "$P/ca.cnf" -revoke "$P/x-revoked.crt" \
	    2>/dev/null && openssl ca -config "$P/ca.cnf" -gencrl \
	    -out "$P/crl.pem" 2>/dev/null; } ||
	    { fail "openssl ca could not revoke"; return; }
	mark=$(log_mark)
	kill -HUP "$GPD_PID"
	for _ in $(seq 50); do
		log_since "$mark" | grep -q 'reloaded' && break
		sleep 0.1
	done
	log_since "$mark" | grep -q 'reloaded' ||
	    { fail "no reload after SIGHUP: $(log_since "$mark")"; return; }
	refused_cert x-revoked 'CERTIFICATE_REVOKED'
}

# A CRL past its nextUpdate: every client fails verification ("CRL has
# expired"); gpd warns at start. Fail closed, never open.
test_crl_expired() {
	local before mark
	[ -n "$CRL_EXPIRED" ] ||
	    { SKIPPED="this openssl ca cannot date a CRL (-crl_nextupdate)"; return 0; }
	write_conf "$W/crl-expired.conf" "$DB" "$CRL_EXPIRED"
	restart_gpd "$W/crl-expired.conf" ||
	    { fail "gpd did not start with an expired CRL"; start_gpd "$W/gpd.conf"; return; }
	before=$(counts)
	mark=$(log_mark)
	raw lc-tamduong --await 1 whoami
	grep -Eq '^refused .*CERTIFICATE_EXPIRED' "$W/out" ||
	    { fail "not refused: $(cat "$W/out")"; restart_gpd "$W/gpd.conf"; return; }
	gpsubmit lc-sinho "$SINHO"
	[ "$RC" -ne 0 ] || { fail "gp-client served"; restart_gpd "$W/gpd.conf"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; restart_gpd "$W/gpd.conf"; return; }
	grep -q "CRL.*crl-expired.pem.*expired" "$W/gpd.log" ||
	    { fail "no warning at start"; restart_gpd "$W/gpd.conf"; return; }
	# The refused handshake is logged with its X.509 reason.
	log_wait "$mark" 1 'closed reason="handshake failed: .*\(CRL has expired\)"' 5 ||
	    { fail "no 'CRL has expired' reason in the log: $(log_since "$mark" |
	    grep -o 'reason="[^"]*"' | sort -u | tr '\n' ' ')"
	    restart_gpd "$W/gpd.conf"; return; }
	restart_gpd "$W/gpd.conf" || { fail "gpd did not restart"; return; }
	legit
}

# A CRL configured but missing: no start, a reason naming the file; and
# removed while running: SIGHUP refuses the reload and keeps serving.
test_crl_missing() {
	local rc=0 mark
	write_conf "$W/crl-missing.conf" "$DB" "$P/no-such-crl.pem"
	run "$GPD" -n -f "$W/crl-missing.conf"
	[ "$RC" -ne 0 ] || { fail "gpd -n accepts a missing CRL"; return; }
	grep -q 'no-such-crl.pem' "$W/err" ||
	    { fail "gpd -n gives no reason naming the CRL: $(cat "$W/err")"; return; }
	note "gpd -n: exit $RC: $(head -n 1 "$W/err")"
	RC=0
	timeout 10 "$GPD" -f "$W/crl-missing.conf" >"$W/out" 2>"$W/err" || RC=$?
	if [ "$RC" -eq 0 ] || [ "$RC" -eq 124 ]; then
		fail "gpd starts without its CRL (exit $RC)"
		return
	fi
	grep -q 'no-such-crl.pem' "$W/err" ||
	    { fail "no reason naming the CRL: $(cat "$W/err")"; return; }
	note "gpd: exit $RC: $(grep -m 1 'no-such-crl' "$W/err")"

	mv "$P/crl.pem" "$P/crl.pem.away"
	mark=$(log_mark)
	kill -HUP "$GPD_PID"
	for _ in $(seq 50); do
		log_since "$mark" | grep -q 'reload refused' && break
		sleep 0.1
	done
	mv "$P/crl.pem.away" "$P/crl.pem"
	log_since "$mark" | grep -q 'reload refused' ||
	    { fail "SIGHUP without the CRL file: $(log_since "$mark")"; return; }
	raw x-revoked whoami
	grep -q '^whoami ' "$W/out" &&
	    { fail "the revoked certificate got in after the refused reload"; return; }
	gpd_alive || { fail "gpd died"; return; }
	legit
}

test_unknown_cn() {
	local before audits
	before=$(counts)
	audits=$(refusals_of lc-unknown)
	raw lc-unknown whoami
	grep -q '^whoami lc-unknown none$' "$W/out" ||
	    { fail "whoami: $(cat "$W/out")"; return; }
	jmod "$TAMDUONG" "$W/unknown.json" 'r["unit"] = "lc-unknown"'
	gpsubmit lc-unknown "$W/unknown.json"
	[ "$RC" -eq 77 ] || { fail "submit: exit $RC, want 77: $(cat "$W/err")"; return; }
	gpsubmit lc-unknown "$TAMDUONG"
	[ "$RC" -eq 77 ] || { fail "submit for lc-tamduong: exit $RC, want 77"; return; }
	gpc lc-unknown list
	[ "$RC" -eq 77 ] || { fail "list: exit $RC, want 77: $(cat "$W/err")"; return; }
	gpc lc-unknown missing 2022-H1
	[ "$RC" -eq 77 ] || { fail "missing: exit $RC, want 77"; return; }
	raw lc-unknown submit --unit lc-unknown
	grep -q '^error 4 ' "$W/out" || { fail "raw submit: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	# The first of each kind at once (submit, list, missing); the others
	# counted, and written when gpd stops.
	[ "$(q "select count(*) from audit where cn = 'lc-unknown'
	    and result = 'refused' and detail not like 'repeated %'")" -ge 3 ] ||
	    { fail "refusals not audited: $(q "select * from audit where cn = 'lc-unknown'")"; return; }
	refusals_flush || { fail "gpd did not restart"; return; }
	[ "$(refusals_of lc-unknown)" -ge $((audits + 5)) ] ||
	    { fail "refusals not all on record: $(q "select * from audit where cn = 'lc-unknown'")"; return; }
	legit
}

# TLS 1.0 and 1.1 offered by a client that can speak them (SECLEVEL=0):
# first shown against openssl s_server, then refused by gpd.
test_old_tls() {	# 1.0|1.1
	local v=$1 flag sport spid
	case $v in 1.0) flag=-tls1;; 1.1) flag=-tls1_1;; esac
	sport=$(free_port)
	openssl s_server -accept "127.0.0.1:$sport" -cert "$P/server.crt" \
	    -key "$P/server.key" "$flag" -cipher 'DEFAULT@SECLEVEL=0' \
	    -alpn gp/1 -naccept 1 -quiet < <(sleep 10) >"$W/s_server.out" 2>&1 &
	spid=$!
	wait_listen "$sport" || true
	RC=0
	timeout 10 "$PYTHON" "$GPRAW" --port "$sport" --ca "$P/ca.crt" \
	    --cert "$P/lc-tamduong.crt" --key "$P/lc-tamduong.key" --tls "$v" \
	    --seclevel0 --timeout 1 whoami >"$W/out" 2>&1 || RC=$?
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	if ! grep -q "^tls TLSv1$( [ "$v" = 1.0 ] || echo .1) " "$W/out"; then
		SKIPPED="this python/OpenSSL cannot offer TLS $v even at" \
		    "SECLEVEL=0: $(head -n 1 "$W/out")"
		return 0
	fi
	raw lc-tamduong --tls "$v" --seclevel0 whoami
	grep -q '^refused ' "$W/out" ||
	    { fail "TLS $v accepted: $(cat "$W/out")"; return; }
	note "s_server: TLS $v handshake done; gpd: $(head -n 1 "$W/out")"
	legit
}

test_tls10() { test_old_tls 1.0; }
test_tls11() { test_old_tls 1.1; }

# A TLS 1.2 client asks to renegotiate ("R"): refused, the connection
# ends. The same client renegotiates with s_server -client_renegotiation.
test_renegotiation() {
	local sport spid
	local allow=()
	# OpenSSL 3 refuses a client's renegotiation unless told.
	openssl s_server -help 2>&1 | grep -q client_renegotiation &&
	    allow=(-client_renegotiation)
	sport=$(free_port)
	openssl s_server -accept "127.0.0.1:$sport" -cert "$P/server.crt" \
	    -key "$P/server.key" "${allow[@]}" -naccept 1 \
	    < <(sleep 10) >"$W/s_server.out" 2>&1 &
	spid=$!
	wait_listen "$sport" || true
	(sleep 0.5; printf 'R\n'; sleep 1) | timeout 10 openssl s_client \
	    -connect "127.0.0.1:$sport" -CAfile "$P/ca.crt" -tls1_2 \
	    >"$W/reneg-teeth.out" 2>&1 || true
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	sed -n '/^RENEGOTIATING/,$p' "$W/reneg-teeth.out" |
	    grep -q 'verify return:1' ||
	    { fail "s_client cannot renegotiate even with s_server: $(tail -n 5 "$W/reneg-teeth.out")"; return; }

	RC=0
	(sleep 0.5; printf 'R\n'; sleep 1) | timeout 10 openssl s_client \
	    -connect "127.0.0.1:$PORT" -CAfile "$P/ca.crt" -tls1_2 \
	    -cert "$P/lc-tamduong.crt" -key "$P/lc-tamduong.key" -alpn gp/1 \
	    >"$W/reneg.out" 2>&1 || RC=$?
	grep -q '^RENEGOTIATING' "$W/reneg.out" ||
	    { fail "no renegotiation attempted: $(tail -n 5 "$W/reneg.out")"; return; }
	sed -n '/^RENEGOTIATING/,$p' "$W/reneg.out" | grep -q 'verify return' &&
	    { fail "renegotiated: $(sed -n '/^RENEGOTIATING/,$p' "$W/reneg.out")"; return; }
	[ "$RC" -ne 0 ] || { fail "s_client ended well after R"; return; }
	note "s_client: $(sed -n '/^RENEGOTIATING/,$p' "$W/reneg.out" |
	    grep -o 'no renegotiation\|alert[a-z ]*' | head -n 1), exit $RC"
	gpd_alive || { fail "gpd died"; return; }
	legit
}

# Never "Reused": gpd gives no session id or ticket to keep, and a session
# from a server that resumes (s_server, same certificates) is not resumed.
test_resumption() {
	local v sport spid
	for v in -tls1_2 -tls1_3; do
		rm -f "$W/sess.pem"
		sleep 0.3 | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" \
		    -CAfile "$P/ca.crt" -cert "$P/lc-tamduong.crt" \
		    -key "$P/lc-tamduong.key" -alpn gp/1 "$v" \
		    -sess_out "$W/sess.pem" >"$W/sess1.out" 2>&1 || true
		grep -q '^New, TLS' "$W/sess1.out" ||
		    { fail "$v: no handshake: $(tail -n 3 "$W/sess1.out")"; return; }
		grep -q 'TLS session ticket:' "$W/sess1.out" &&
		    { fail "$v: gpd sent a session ticket"; return; }
		grep -Eq '^ *Session-ID: *[0-9A-F]+' "$W/sess1.out" &&
		    { fail "$v: gpd gave a session id"; return; }
		if [ -s "$W/sess.pem" ]; then
			sleep 0.3 | timeout 10 openssl s_client \
			    -connect "127.0.0.1:$PORT" -CAfile "$P/ca.crt" \
			    -cert "$P/lc-tamduong.crt" \
			    -key "$P/lc-tamduong.key" -alpn gp/1 "$v" \
			    -sess_in "$W/sess.pem" >"$W/sess2.out" 2>&1 || true
			grep -q '^Reused' "$W/sess2.out" &&
			    { fail "$v: session resumed"; return; }
		fi

		# Teeth: the same client resumes with s_server...
		sport=$(free_port)
		openssl s_server -accept "127.0.0.1:$sport" \
		    -cert "$P/server.crt" -key "$P/server.key" -alpn gp/1 \
		    -naccept 2 < <(sleep 10) >"$W/s_server.out" 2>&1 &
		spid=$!
		wait_listen "$sport" || true
		rm -f "$W/teeth.pem"
		sleep 0.3 | timeout 10 openssl s_client -connect "127.0.0.1:$sport" \
		    -CAfile "$P/ca.crt" "$v" -alpn gp/1 \
		    -sess_out "$W/teeth.pem" >/dev/null 2>&1 || true
		sleep 0.3 | timeout 10 openssl s_client -connect "127.0.0.1:$sport" \
		    -CAfile "$P/ca.crt" "$v" -alpn gp/1 \
		    -sess_in "$W/teeth.pem" >"$W/teeth.out" 2>&1 || true
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
		grep -q '^Reused' "$W/teeth.out" ||
		    { fail "$v: s_client does not resume even with s_server"; return; }
		# ...and offers that session to gpd: a full handshake.
		sleep 0.3 | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" \
		    -CAfile "$P/ca.crt" -cert "$P/lc-tamduong.crt" \
		    -key "$P/lc-tamduong.key" -alpn gp/1 "$v" \
		    -sess_in "$W/teeth.pem" >"$W/sess3.out" 2>&1 || true
		grep -q '^New, TLS' "$W/sess3.out" ||
		    { fail "$v: offered session: $(grep -E '^(New|Reused)' "$W/sess3.out")"; return; }
	done
	note "TLS 1.2 and 1.3: New every time; s_server resumed the same client"
	legit
}

section_tls() {
	start_gpd "$W/gpd.conf" || { echo "hostile: gpd does not start" >&2; exit 1; }
	legit >/dev/null || { echo "hostile: gpd does not serve: $REASON" >&2; exit 1; }
	ht "TLS: no client certificate: refused, nothing stored" test_no_cert
	ht "TLS: certificate from another CA: refused" test_rogue_ca
	ht "TLS: expired certificate: refused" test_expired
	ht "TLS: certificate not yet valid: refused" test_not_yet_valid
	ht "TLS: certificate without clientAuth: refused" test_no_client_auth
	ht "TLS: revoked (new CRL, SIGHUP): refused, others served" test_revoked
	st "TLS: expired CRL: every client refused, gpd warns" test_crl_expired
	ht "TLS: missing CRL: no start (reason), reload refused" test_crl_missing
	ht "TLS: CN not a registered unit: every request refused (77), audited" \
	    test_unknown_cn
	st "TLS: TLS 1.0 offered (SECLEVEL=0): refused" test_tls10
	st "TLS: TLS 1.1 offered (SECLEVEL=0): refused" test_tls11
	ht "TLS: renegotiation attempted: refused, connection ends" test_renegotiation
	ht "TLS: session resumption attempted: never Reused" test_resumption
}

# ==========================================================================
# Authorization
# ==========================================================================

test_other_unit() {
	local before fp
	before=$(counts)
	fp=$(fp_of lc-tamduong)
	raw lc-tamduong submit --unit lc-sinho
	grep -q '^error 4 .*lc-sinho' "$W/out" ||
	    { fail "raw: $(cat "$W/out")"; return; }
	gpsubmit lc-tamduong "$SINHO"
	[ "$RC" -eq 77 ] || { fail "gp-client: exit $RC, want 77: $(cat "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	# The first with the unit it claimed; the second, the same refusal
	# again within the minute, counted in a summary written at the stop.
	[ "$(q "select count(*) from audit where cn = 'lc-tamduong'
	    and unit = 'lc-sinho' and result = 'refused' and action = 'submit'
	    and lower(replace(fingerprint, ':', '')) = '$fp'")" -ge 1 ] ||
	    { fail "no audit rows: $(q "select * from audit where unit = 'lc-sinho'")"; return; }
	refusals_flush || { fail "gpd did not restart"; return; }
	[ "$(q "select count(*) from audit where cn = 'lc-tamduong'
	    and result = 'refused' and action = 'submit'
	    and detail like 'repeated 1 times in the minute since %: another unit''s report'
	    and lower(replace(fingerprint, ':', '')) = '$fp'")" -ge 1 ] ||
	    { fail "the second refusal is not on record: $(q "select * from audit where cn = 'lc-tamduong'")"; return; }
	legit
}

# Every administrator command with a unit's certificate: 77 from
# gp-client, PERMISSION_DENIED raw, nothing changed, every refusal audited.
test_unit_admin() {
	local before audits cmd n=0
	before=$(counts)
	audits=$(refusals_of lc-tamduong)
	for cmd in "units" "missing 2022-H1" "summary 2022-H1" \
	    "export 2022-H1 --format csv -o $W/export.csv" "lock 2022-H1" \
	    "unlock 2022-H1" "audit" "show lc-sinho 2022-H1" \
	    "history lc-sinho 2022-H1" "list --unit lc-sinho"; do
		# shellcheck disable=SC2086
		gpc lc-tamduong $cmd
		[ "$RC" -eq 77 ] ||
		    { fail "gp-client $cmd: exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
		n=$((n + 1))
	done
	[ ! -e "$W/export.csv" ] || { fail "export wrote $W/export.csv"; return; }
	for cmd in "units" "missing 2022-H1" "summary 2022-H1" "export 2022-H1" \
	    "lock 2022-H1" "audit" "show lc-sinho 2022-H1" \
	    "history lc-sinho 2022-H1" "list lc-sinho"; do
		# shellcheck disable=SC2086
		raw lc-tamduong admin $cmd
		grep -q '^error 4 ' "$W/out" ||
		    { fail "raw $cmd: $(cat "$W/out")"; return; }
		grep -q '^reply ' "$W/out" && { fail "raw $cmd answered"; return; }
		n=$((n + 1))
	done
	# Its own unit it may read: the refusals above are not blanket ones.
	gpc lc-tamduong list --unit lc-tamduong
	[ "$RC" -eq 0 ] || { fail "own list: exit $RC: $(cat "$W/err")"; return; }
	[ "$(q "select count(*) from locks")" = 0 ] || { fail "a period got locked"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	# The first of each request refused is on record at once (9 kinds)...
	[ "$(q "select count(distinct action) from audit where cn = 'lc-tamduong'
	    and result = 'refused' and detail not like 'repeated %'
	    and action in ('units', 'missing', 'summary', 'export', 'lock',
	    'audit', 'show', 'history', 'list')")" -eq 9 ] ||
	    { fail "not every kind of refusal audited at once"; return; }
	# ...and every one once gpd has written what it counted.
	refusals_flush || { fail "gpd did not restart"; return; }
	[ "$(refusals_of lc-tamduong)" -ge $((audits + n)) ] ||
	    { fail "not every refusal audited: $(refusals_of lc-tamduong) of $((audits + n))"; return; }
	note "$n administrator requests by a unit: all refused and on record"
	legit
}

section_auth() {
	gpd_alive || start_gpd "$W/gpd.conf" || exit 1
	ht "authz: a unit submitting for another unit: 77, audited" test_other_unit
	ht "authz: a unit running administrator commands: 77, audited" test_unit_admin
}

# ==========================================================================
# Hostile text: refused by field name, or stored byte for byte
# ==========================================================================

SQL="'; DROP TABLE reports; --"
# shellcheck disable=SC2016  # a printf format, not an expansion
FMT='%n%s%x%p%99999999s%1$n'

# Stored byte-identical: SQL, format strings, quotes, emoji, RTL override.
test_text_stored() {
	local id=6b9f0f2e-1c7e-4b39-9a51-2d1f0c3e7a01 rid want got
	raw lc-tamduong submit --id "$id" --set "activities.0.title=$SQL" \
	    --set "activities.0.location=$FMT" \
	    --set "activities.0.notes=Robert'); DELETE FROM audit;-- \" \\ %s" \
	    --set "activities.1.title=😀 Tiếng Việt \\x00 \$(reboot)" \
	    --set "reporter.name=$FMT" --set "narrative.results=$SQL
$FMT"
	grep -q '^receipt ' "$W/out" || { fail "refused: $(cat "$W/out")"; return; }
	rid=$(q "select id from reports where submission_id = '$id'")
	[ -n "$rid" ] || { fail "not stored"; return; }
	want=$(hexof "'''$SQL'''.encode()")
	got=$(q "select hex(title) from activities where report_id = $rid and idx = 0")
	[ "$got" = "$want" ] || { fail "title stored as $got, sent $want"; return; }
	want=$(hexof "'''$FMT'''.encode()")
	got=$(q "select hex(location) from activities where report_id = $rid and idx = 0")
	[ "$got" = "$want" ] || { fail "location stored as $got, sent $want"; return; }
	got=$(q "select hex(reporter_name) from reports where id = $rid")
	[ "$got" = "$want" ] || { fail "reporter.name stored as $got"; return; }
	want=$(hexof "'''Robert'); DELETE FROM audit;-- \" \\\\ %s'''.encode()")
	got=$(q "select hex(notes) from activities where report_id = $rid and idx = 0")
	[ "$got" = "$want" ] || { fail "notes stored as $got, sent $want"; return; }
	want=$(hexof "'''😀 Tiếng Việt \\\\x00 \$(reboot)'''.encode()")
	got=$(q "select hex(title) from activities where report_id = $rid and idx = 1")
	[ "$got" = "$want" ] || { fail "emoji title stored as $got, sent $want"; return; }
	want=$(hexof "'''$SQL
$FMT'''.encode()")
	got=$(q "select hex(text) from narratives where report_id = $rid
	    and section = 'narrative' and field = 'results'")
	[ "$got" = "$want" ] || { fail "narrative stored as $got, sent $want"; return; }
	[ "$(q "select count(*) from sqlite_master where name in ('reports', 'audit')")" = 2 ] ||
	    { fail "a table is gone"; return; }
	[ "$(q "select count(*) from audit")" -gt 0 ] || { fail "audit emptied"; return; }

	# The same through gp-client and JSON.
	jmod "$TAMDUONG" "$W/sql.json" "r['activities'][0]['title'] = '''$SQL'''
r['reporter']['name'] = '''$FMT'''
r.pop('id', None)"
	gpsubmit lc-tamduong "$W/sql.json"
	[ "$RC" -eq 0 ] || { fail "gp-client: exit $RC: $(cat "$W/err")"; return; }
	want=$(hexof "'''$FMT'''.encode()")
	[ "$(q "select count(*) from reports where unit = 'lc-tamduong'
	    and hex(reporter_name) = '$want'")" -ge 2 ] ||
	    { fail "gp-client's report not stored byte-identical"; return; }
	gpd_alive || { fail "gpd died"; return; }
	note "SQL, format strings, quotes, emoji: stored byte-identical (hex)"
}

# A format string where the daemon prints it back: the unit (refused, 77)
# and the period (invalid): shown literally, never expanded.
test_text_format_echo() {
	local before
	before=$(counts)
	raw lc-tamduong submit --set "unit=$FMT"
	grep -qF "error 4 certificate lc-tamduong may not submit a report for unit $FMT" \
	    "$W/out" || { fail "unit: $(cat "$W/out")"; return; }
	raw lc-tamduong submit --set "period=%n%s%x"
	grep -q '^field period: ' "$W/out" || { fail "period: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }
	gpd_alive || { fail "gpd died"; return; }
}

# Over every limit at once: one INVALID answer naming each field; exactly
# at the limit: stored.
test_text_long() {
	local before id=7c0e4b1a-5d2f-4e8a-b6c3-9f1d2e3a4b02 want got f
	before=$(counts)
	raw lc-tamduong submit --set "activities.0.title=rep:501:ă" \
	    --set "activities.0.location=rep:201:x" \
	    --set "activities.0.notes=rep:2001:y" \
	    --set "reporter.name=rep:201:z" \
	    --set "reporter.phone=rep:201:0" \
	    --set "narrative.results=rep:20001:Đ" \
	    --set "law_review.proposals=rep:20001:w" \
	    --set "id=rep:37:a"
	for f in 'activities\[0\]\.title' 'activities\[0\]\.location' \
	    'activities\[0\]\.notes' 'reporter\.name' 'reporter\.phone' \
	    'narrative\.results' 'law_review\.proposals' 'id'; do
		grep -q "^field $f: " "$W/out" ||
		    { fail "$f not named: $(cut -c 1-200 "$W/out")"; return; }
	done
	grep -q '^error 2 ' "$W/out" || { fail "not INVALID: $(head -n 3 "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }

	# 60000 bytes in one field, within max_frame.
	raw lc-tamduong submit --set "narrative.results=rep:60000:n"
	grep -q '^field narrative\.results: 60000 bytes' "$W/out" ||
	    { fail "60000 bytes: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }

	raw lc-tamduong submit --id "$id" --set "activities.0.title=rep:500:ă" \
	    --set "narrative.results=rep:20000:Đ"
	grep -q '^receipt ' "$W/out" || { fail "at the limit: $(cut -c 1-200 "$W/out")"; return; }
	want=$(hexof "('ă' * 250).encode()")
	got=$(q "select hex(a.title) from activities a join reports r
	    on a.report_id = r.id where r.submission_id = '$id' and a.idx = 0")
	[ "$got" = "$want" ] || { fail "500-byte title not stored byte-identical"; return; }
	note "8 fields over their limits named in one answer; 500/20000 bytes stored"
}

# Invalid UTF-8, overlong forms, surrogates, past U+10FFFF, truncated,
# control characters: all named at once; NUL: named.
test_text_utf8() {
	local before f
	before=$(counts)
	raw lc-tamduong submit --set 'activities.0.title=hex:c0af' \
	    --set 'activities.0.location=hex:eda080' \
	    --set 'activities.0.notes=hex:6162fffe' \
	    --set 'reporter.name=hex:e080af' \
	    --set 'reporter.position=hex:e180' \
	    --set 'narrative.results=hex:f4908080' \
	    --set 'activities.1.title=hex:1b5b33316d6869' \
	    --set 'activities.1.location=hex:610a62'
	for f in 'activities\[0\]\.title' 'activities\[0\]\.location' \
	    'activities\[0\]\.notes' 'reporter\.name' 'reporter\.position' \
	    'narrative\.results' 'activities\[1\]\.title' \
	    'activities\[1\]\.location'; do
		grep -q "^field $f: " "$W/out" ||
		    { fail "$f not named: $(cat "$W/out")"; return; }
	done
	raw lc-tamduong submit --set 'activities.0.notes=hex:61620063'
	grep -q '^field activities\[0\]\.notes: .*NUL' "$W/out" ||
	    { fail "NUL: $(cat "$W/out")"; return; }
	raw lc-tamduong submit --set 'narrative.results=hex:00'
	grep -q '^field narrative\.results: ' "$W/out" ||
	    { fail "lone NUL: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }

	# NUL and another bad field together: the report cannot be read into
	# the model, so the NUL is named and nothing is stored (the other
	# field is checked once the NUL is gone).
	raw lc-tamduong submit --set 'activities.0.notes=hex:610062' \
	    --set 'activities.0.title=hex:c0af'
	grep -q '^field activities\[0\]\.notes: .*NUL' "$W/out" ||
	    { fail "NUL beside a bad title: $(cat "$W/out")"; return; }

	# gp-client refuses them in JSON before sending anything.
	jmod "$TAMDUONG" "$W/nul.json" 'r["activities"][0]["title"] = "a\u0000b"'
	gpsubmit lc-tamduong "$W/nul.json"
	[ "$RC" -eq 65 ] || { fail "gp-client with \\u0000: exit $RC, want 65"; return; }
	sed 's/"title": "[^"]*"/"title": "a\\ud800b"/' "$TAMDUONG" >"$W/sur.json"
	gpsubmit lc-tamduong "$W/sur.json"
	[ "$RC" -eq 65 ] || { fail "gp-client with \\ud800: exit $RC, want 65"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }
	gpd_alive || { fail "gpd died"; return; }
	note "8 bad fields named in one answer; NUL named; gp-client refuses \\u0000, \\ud800 (65)"
}

# A unit carrying a newline and a forged log line: the log stays one line
# per event.
test_text_log_injection() {
	# The first refusal of its kind: written with what was claimed.
	refusals_flush || { fail "gpd did not restart"; return; }
	raw lc-tamduong submit \
	    --set 'unit=lc-sinho
info: session=999999 forged-line'
	grep -q '^error 4 ' "$W/out" || { fail "not refused: $(cat "$W/out")"; return; }
	grep -q '^info: session=999999 forged-line' "$W/gpd.log" &&
	    { fail "forged line in the log"; return; }
	# The refusal is on record, the unit that is not a unit code kept
	# escaped in the detail, never as the bytes sent.
	[ "$(q "select count(*) from audit where unit like '%forged-line%'")" = 0 ] ||
	    { fail "audit.unit holds the forged bytes"; return; }
	[ "$(q "select count(*) from audit where action = 'submit' and
	    result = 'refused' and unit is null and detail like
	    '%unit=\"lc-sinho\\x0ainfo: session=999999 forged-line\"%'")" -ge 1 ] ||
	    { fail "the refusal is not in the audit with the unit escaped: $(q "select detail from audit where action = 'submit' and result = 'refused'")"; return; }
	gpd_alive || { fail "gpd died"; return; }
}

# Invisible characters (zero width, bidi controls, tags) are refused by
# field, naming the code point; text sent in decomposed form (NFD) is
# stored in NFC, so that its precomposed twin is the same report.
test_text_invisible_nfc() {
	local before id=7c0a1f3e-2d8f-4c4a-8b62-3e2f1d4c5b12 want got rid
	before=$(counts)
	raw lc-tamduong submit --set "activities.0.title=abc$(printf '\342\200\256')fdp" \
	    --set "activities.0.location=Tam$(printf '\342\200\213')Đường" \
	    --set "narrative.results=x$(printf '\363\240\201\201')"
	grep -q '^field activities\[0\]\.title: invisible character U+202E at byte 3' "$W/out" ||
	    { fail "RLO not named: $(cat "$W/out")"; return; }
	grep -q '^field activities\[0\]\.location: invisible character U+200B' "$W/out" ||
	    { fail "ZWSP not named: $(cat "$W/out")"; return; }
	grep -q '^field narrative\.results: invisible character U+E0041' "$W/out" ||
	    { fail "tag not named: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }

	# "Hội nghị" with its marks decomposed, then precomposed, one id.
	raw lc-tamduong submit --id "$id" \
	    --set "activities.0.title=$(printf 'Ho\314\243\314\202i nghi\314\243')"
	grep -q '^receipt [0-9]* [0-9a-f]* [0-9a-f-]* 0$' "$W/out" ||
	    { fail "NFD refused: $(cat "$W/out")"; return; }
	rid=$(q "select id from reports where submission_id = '$id'")
	want=$(hexof "'Hội nghị'.encode()")
	got=$(q "select hex(title) from activities where report_id = $rid and idx = 0")
	[ "$got" = "$want" ] || { fail "stored as $got, want NFC $want"; return; }
	raw lc-tamduong submit --id "$id" --set "activities.0.title=Hội nghị"
	grep -q '^receipt [0-9]* [0-9a-f]* [0-9a-f-]* 1$' "$W/out" ||
	    { fail "NFC twin not a duplicate: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from reports where submission_id = '$id'")" = 1 ] ||
	    { fail "two revisions stored"; return; }
}

section_text() {
	gpd_alive || start_gpd "$W/gpd.conf" || exit 1
	ht "text: SQL, format strings, emoji: stored byte-identical" test_text_stored
	ht "text: format strings echoed literally (unit 77, period 65)" test_text_format_echo
	ht "text: over-long fields all named at once; at the limit stored" test_text_long
	ht "text: invalid UTF-8, overlong, surrogates, controls, NUL: named" test_text_utf8
	ht "text: newline in a refused unit: no forged log line" test_text_log_injection
	ht "text: invisible characters named; NFD stored as NFC, its twin a duplicate" test_text_invisible_nfc
}

# ==========================================================================
# Resource limits: gpd keeps serving others
# ==========================================================================

test_frame_lengths() {
	local before len
	before=$(counts)
	for len in 0 $((MAXFRAME + 1)) 0xFFFFFFFF; do
		raw lc-tamduong length "$len"
		grep -q '^error 1 ' "$W/out" ||
		    { fail "length $len: no BAD_REQUEST: $(cat "$W/out")"; return; }
		grep -q '^closed$' "$W/out" ||
		    { fail "length $len: not closed: $(cat "$W/out")"; return; }
	done
	gpd_alive || { fail "gpd died"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }
	legit || return
	note "0, max_frame+1, 0xFFFFFFFF: BAD_REQUEST and closed; legit ${LEGIT_MS} ms"
}

test_eof_mid_frame() {
	local before mark id1=0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d501
	local id2=0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d502
	before=$(counts)
	mark=$(log_mark)
	raw lc-tamduong partial --id "$id1" --cut 7
	grep -q '^eof after ' "$W/out" || { fail "partial: $(cat "$W/out")"; return; }
	raw lc-tamduong partial --id "$id2" --cut 1 --hard
	grep -q '^reset after ' "$W/out" || { fail "partial: $(cat "$W/out")"; return; }
	raw lc-tamduong --timeout 1 length 1000 --send 10
	[ "$RC" -eq 0 ] || { fail "length 1000, 10 sent: exit $RC: $(cat "$W/err")"; return; }
	# All three sessions ended: the clean end mid-frame is named.
	log_wait "$mark" 3 'closed reason=' 10 ||
	    { fail "the three partial senders were not all closed"; return; }
	log_since "$mark" | grep -q 'closed reason="eof mid-frame"' ||
	    { fail "no 'eof mid-frame' in the log: $(log_since "$mark" |
	    grep -o 'reason="[^"]*"' | sort | uniq -c | tr '\n' ' ')"; return; }
	if [ "$(report_count "$id1")" != 0 ] || [ "$(report_count "$id2")" != 0 ]; then
		fail "a partial frame was stored"
		return
	fi
	[ "$(counts)" = "$before" ] || { fail "database changed"; return; }
	gpd_alive || { fail "gpd died"; return; }
	legit
}

test_pipeline() {
	local id n
	raw lc-tamduong --timeout 20 pipeline "$PIPELINE" --every 10
	grep -q "^pipelined $PIPELINE answered $PIPELINE in_order yes" "$W/out" ||
	    { fail "$(grep -v '^whoami\|^receipt' "$W/out" | head -n 5)"; return; }
	n=0
	while read -r id; do
		[ "$(report_count "$id")" = 1 ] || { fail "$id stored $(report_count "$id") times"; return; }
		n=$((n + 1))
	done < <(sed -n 's/^submitted //p' "$W/out")
	[ "$(grep -c '^receipt ' "$W/out")" = "$n" ] || { fail "receipts missing"; return; }
	legit || return
	note "$PIPELINE requests ($n submissions) in one write: answered in order in $(sed -n 's/.* seconds //p' "$W/out") s"
}

# The session is not idle while gpd works on its request: a submission
# waiting for the database (an administrator's sqlite3 holds the write
# lock a little longer than idle_timeout, less than gpd's 5 s busy wait)
# gets its receipt.
test_busy_not_idle() {
	local t0 took id=5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a01 holder
	rm -f "$W/locked"
	"$PYTHON" -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("begin immediate")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("rollback")' "$DB" "$W/locked" "$IDLE.5" &
	holder=$!
	for _ in $(seq 100); do
		[ -e "$W/locked" ] && break
		sleep 0.05
	done
	t0=$(now_ms)
	raw lc-tamduong --timeout 15 submit --id "$id"
	took=$(($(now_ms) - t0))
	wait "$holder" || true
	grep -q '^receipt ' "$W/out" ||
	    { fail "no receipt after $took ms (database locked $IDLE.5 s, idle_timeout $IDLE s): $(tr '\n' ' ' <"$W/out")"; return; }
	[ "$(report_count "$id")" = 1 ] || { fail "not stored once"; return; }
	note "receipt after $took ms, the database locked for $IDLE.5 s"
}

# Slow peers, all at once: silent TCP peers, ClientHellos dribbled a byte
# a second, a request frame dribbled after the handshake, an idle session.
SLOWDIR=
test_slow_peers() {
	local i pids=""
	SLOWDIR=$W/slow
	mkdir -p "$SLOWDIR"
	for i in 1 2 3 4 5; do
		timeout 60 "${RAWT[@]}" silent $((HS + 8)) \
		    >"$SLOWDIR/silent$i" 2>&1 &
		pids="$pids $!"
		timeout 60 "${RAWT[@]}" dribble $((HS + 8)) \
		    >"$SLOWDIR/hello$i" 2>&1 &
		pids="$pids $!"
	done
	timeout 90 "${RAWT[@]}" dribble --established "$SLOW" \
	    >"$SLOWDIR/frame" 2>&1 &
	pids="$pids $!"
	timeout 60 "${RAWT[@]}" idle $((IDLE + 8)) \
	    >"$SLOWDIR/idle" 2>&1 &
	pids="$pids $!"
	sleep 1
	local worst=0
	for i in 1 2 3; do
		legit || return
		[ "$LEGIT_MS" -gt "$worst" ] && worst=$LEGIT_MS
		sleep 0.5
	done
	note "12 slow peers: legitimate client served, worst ${worst} ms"
	# shellcheck disable=SC2086
	wait $pids 2>/dev/null || true
}

slow_closed_within() {	# FILE MAX-SECONDS WHAT
	local took
	took=$(sed -n 's/^closed \([0-9.]*\).*/\1/p' "$1")
	[ -n "$took" ] || { fail "$3 not closed: $(cat "$1")"; return 1; }
	[ "${took%.*}" -le "$2" ] ||
	    { fail "$3 closed after $took s, bound $2 s"; return 1; }
	SLOW_TOOK=$took
}

test_slow_silent() {
	local i
	[ -n "$SLOWDIR" ] || { fail "slow peers did not run"; return; }
	for i in 1 2 3 4 5; do
		slow_closed_within "$SLOWDIR/silent$i" $((HS + 1)) "silent peer $i" || return
	done
	note "5 silent peers closed by handshake_timeout ($HS s): after" \
	    "$(sed -n 's/^closed //p' "$SLOWDIR"/silent* | sort -n | tr '\n' ' ')s"
}

test_slow_hello() {
	local i
	[ -n "$SLOWDIR" ] || { fail "slow peers did not run"; return; }
	for i in 1 2 3 4 5; do
		slow_closed_within "$SLOWDIR/hello$i" $((HS + 1)) "dribbling peer $i" || return
	done
	note "5 ClientHellos at 1 byte/s closed by handshake_timeout: after" \
	    "$(sed -n 's/^closed \([0-9.]*\).*/\1/p' "$SLOWDIR"/hello* | sort -n | tr '\n' ' ')s"
}

test_slow_frame() {
	[ -n "$SLOWDIR" ] || { fail "slow peers did not run"; return; }
	slow_closed_within "$SLOWDIR/frame" $((2 * IDLE + 2)) \
	    "a request frame at 1 byte/s after the handshake" || return
	note "closed after $SLOW_TOOK s ($(cat "$SLOWDIR/frame"))"
}

test_slow_idle() {
	[ -n "$SLOWDIR" ] || { fail "slow peers did not run"; return; }
	grep -q '^whoami lc-tamduong unit' "$SLOWDIR/idle" ||
	    { fail "idle peer not served first: $(cat "$SLOWDIR/idle")"; return; }
	slow_closed_within "$SLOWDIR/idle" $((IDLE + 1)) "idle session" || return
	[ "${SLOW_TOOK%.*}" -ge $((IDLE - 1)) ] ||
	    { fail "idle session closed after $SLOW_TOOK s, before idle_timeout $IDLE"; return; }
	note "closed after $SLOW_TOOK s (idle_timeout $IDLE)"
}

# Opens CONNS connections and holds them HOLD seconds (in the background);
# HOLD_OUT names its output. Waits until they are all open.
hold_start() {	# TLS|TCP
	local opt=()
	[ "$1" = TLS ] && opt=(--tls-each)
	HOLD_OUT=$W/hold.out
	rm -f "$W/hold.ready" "$W/hold.stop"
	timeout $((HOLD + 120)) "${RAWT[@]}" --timeout 5 hold \
	    "$CONNS" "$HOLD" "${opt[@]}" --ready-file "$W/hold.ready" \
	    --stop-file "$W/hold.stop" >"$HOLD_OUT" 2>&1 &
	HOLD_PID=$!
	for _ in $(seq 1200); do
		[ -e "$W/hold.ready" ] && return 0
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -e "$W/hold.ready" ]
}

hold_end() {
	touch "$W/hold.stop"
	wait "$HOLD_PID" 2>/dev/null || true
}

# Sessions past max_connections get a "busy" answer (75) and are closed;
# the held ones cost no CPU; service recovers when they go.
test_max_connections() {
	local served busy cpu
	hold_start TLS || { fail "could not open $CONNS connections: $(cat "$HOLD_OUT")"; hold_end; return; }
	served=$(sed -n 's/.*served=\([0-9]*\).*/\1/p' "$HOLD_OUT")
	busy=$(sed -n 's/.*busy=\([0-9]*\).*/\1/p' "$HOLD_OUT")
	cpu=$(cpu_pct "$GPD_PID" 1)
	gpsubmit lc-sinho "$SINHO"
	hold_end
	[ "${served:-0}" -eq "$MAXCONN" ] ||
	    { fail "served ${served:-0}, want max_connections $MAXCONN: $(cat "$HOLD_OUT")"; return; }
	[ $((served + ${busy:-0})) -eq "$CONNS" ] ||
	    { fail "not all the others were told busy: $(cat "$HOLD_OUT")"; return; }
	if ! { [ "$RC" -eq 75 ] && grep -qi 'busy\|connection limit' "$W/err"; }; then
		fail "gp-client at the limit: exit $RC: $(cat "$W/err")"
		return
	fi
	[ "$cpu" -le "$CPU_MAX" ] || { fail "gpd used $cpu% CPU holding $CONNS connections"; return; }
	legit || return
	note "$CONNS TLS sessions: $served served, $busy told busy (gp-client 75);" \
	    "gpd CPU $cpu% while held; after: served in $LEGIT_MS ms"
}

# Peers that never send a ClientHello: within the budget of connections
# before their handshake the oldest silent ones give way to new ones; no
# CPU spin; all are closed, dropped or by handshake_timeout; service
# recovers.
test_connection_flood() {
	local cpu during
	hold_start TCP || { fail "could not open: $(cat "$HOLD_OUT")"; hold_end; return; }
	cpu=$(cpu_pct "$GPD_PID" 1)
	legit || { during="exit $LEGIT_RC in $LEGIT_MS ms"; REASON=; }
	[ -n "${during:-}" ] || during="served in $LEGIT_MS ms"
	[ "$LEGIT_RC" -eq 0 ] || [ "$LEGIT_RC" -eq 75 ] ||
	    { fail "during the flood: $during: $(cat "$W/legit.err")"; hold_end; return; }
	[ "$LEGIT_MS" -le $(((LEGIT_MAX + HS) * 1000)) ] ||
	    { fail "during the flood: $during"; hold_end; return; }
	# Held to the end: by then gpd has closed every one of them, those
	# that waited in the backlog too.
	wait "$HOLD_PID" 2>/dev/null || true
	[ "$cpu" -le "$CPU_MAX" ] || { fail "gpd used $cpu% CPU during the flood"; return; }
	local closed held
	closed=$(sed -n 's/.*closed_by_server \([0-9]*\) of.*/\1/p' "$HOLD_OUT")
	held=$(sed -n 's/.*closed_by_server [0-9]* of \([0-9]*\).*/\1/p' "$HOLD_OUT")
	if [ -z "$closed" ] || [ "$closed" != "$held" ]; then
		fail "not all closed by gpd within $HOLD s: $(tail -n 1 "$HOLD_OUT")"
		return
	fi
	legit || return
	note "$(head -n 1 "$HOLD_OUT"); gpd CPU $cpu%; legit during: $during;" \
	    "$(tail -n 1 "$HOLD_OUT"); after: $LEGIT_MS ms"
}

# The same flood with gpd's descriptors limited to 64: accept fails with
# EMFILE, the listener pauses 1 s at a time instead of spinning.
test_fd_limit() {
	local cpu during mark
	command -v prlimit >/dev/null || { SKIPPED="no prlimit"; return 0; }
	mark=$(log_mark)
	restart_gpd "$W/gpd.conf" prlimit --nofile=64 ||
	    { fail "gpd does not start with 64 descriptors"; start_gpd "$W/gpd.conf"; return; }
	hold_start TCP || { fail "could not open: $(cat "$HOLD_OUT")"; hold_end; return; }
	cpu=$(cpu_pct "$GPD_PID" 1)
	legit || { during="exit $LEGIT_RC in $LEGIT_MS ms"; REASON=; }
	[ -n "${during:-}" ] || during="served in $LEGIT_MS ms"
	[ "$LEGIT_RC" -eq 0 ] || [ "$LEGIT_RC" -eq 75 ] ||
	    { fail "during: $during: $(cat "$W/legit.err")"; hold_end; restart_gpd "$W/gpd.conf"; return; }
	hold_end
	[ "$cpu" -le "$CPU_MAX" ] ||
	    { fail "gpd used $cpu% CPU out of descriptors"; restart_gpd "$W/gpd.conf"; return; }
	log_since "$mark" | grep -q 'accept: .*pausing' ||
	    { fail "gpd never ran out of descriptors (no 'accept: ... pausing')"
	    restart_gpd "$W/gpd.conf"; return; }
	legit || { restart_gpd "$W/gpd.conf"; return; }
	note "ulimit -n 64, $CONNS peers: $(log_since "$mark" | grep -c 'accept: .*pausing')" \
	    "accept pauses; gpd CPU $cpu%; legit during: $during; after: $LEGIT_MS ms"
	restart_gpd "$W/gpd.conf" || fail "gpd did not restart"
}

section_limits() {
	gpd_alive || start_gpd "$W/gpd.conf" || exit 1
	ht "limits: frame lengths 0, max_frame+1, 0xFFFFFFFF: refused, closed" test_frame_lengths
	ht "limits: EOF mid-frame (clean and reset): nothing stored" test_eof_mid_frame
	ht "limits: $PIPELINE requests pipelined: answered in order" test_pipeline
	ht "limits: a request waiting on a locked database: not cut as idle" test_busy_not_idle
	ht "limits: 12 slow peers at once: others served" test_slow_peers
	ht "limits: no ClientHello: closed after handshake_timeout" test_slow_silent
	ht "limits: ClientHello at 1 byte/s: closed after handshake_timeout" test_slow_hello
	ht "limits: request at 1 byte/s after the handshake: closed" test_slow_frame
	ht "limits: idle after the handshake: closed after idle_timeout" test_slow_idle
	ht "limits: $CONNS sessions, max_connections $MAXCONN: busy, low CPU" test_max_connections
	ht "limits: $CONNS silent connections: dropped or timed out, low CPU, recovers" test_connection_flood
	st "limits: ulimit -n 64 and $CONNS connections: no accept spin" test_fd_limit
}

# ==========================================================================
# Crash: kill -9 under load
# ==========================================================================

# Submitter logs (gpraw submitter) against the database DB: every
# acknowledged submission stored once with its receipt and revision, every
# stored report whole, revisions without gaps. Sets ACKS, STORED.
check_acks() {	# LOG...
	local sql=$W/acks.sql bad
	{
		echo "create temp table acks (id text, receipt text, rev int, nact int);"
		awk -v q="'" '$1 == "ack" { printf "insert into acks values (%s%s%s, %s%s%s, %d, %d);\n", q, $2, q, q, $3, q, $4, $5 }' "$@"
	} >"$sql"
	cat >>"$sql" <<'SQL'
select 'missing', count(*) from acks a where (select count(*) from reports r
    where r.submission_id = a.id and r.receipt = a.receipt
    and r.revision = a.rev) <> 1;
select 'acked', count(*) from acks;
select 'incomplete', count(*) from reports r where
    r.reporter_position like 'nact=%' and
    (select count(*) from activities x where x.report_id = r.id)
    <> cast(substr(r.reporter_position, 6) as integer)
    or (select count(*) from narratives n where n.report_id = r.id) < 1;
select 'gaps', count(*) from (select unit, period, count(*) c,
    max(revision) m from reports group by unit, period) where c <> m;
select 'stored', count(*) from reports;
SQL
	sqlite3 -batch -noheader -separator ' ' "$DB" <"$sql" >"$W/acks.out" 2>&1 ||
	    { fail "sqlite3: $(cat "$W/acks.out")"; return 1; }
	ACKS=$(sed -n 's/^acked //p' "$W/acks.out")
	STORED=$(sed -n 's/^stored //p' "$W/acks.out")
	bad=$(sed -n 's/^missing //p' "$W/acks.out")
	[ "$bad" = 0 ] || { fail "$bad of $ACKS acknowledged submissions not stored exactly once"; return 1; }
	bad=$(sed -n 's/^incomplete //p' "$W/acks.out")
	[ "$bad" = 0 ] || { fail "$bad reports stored without all their rows"; return 1; }
	bad=$(sed -n 's/^gaps //p' "$W/acks.out")
	[ "$bad" = 0 ] || { fail "$bad (unit, period) with gaps in revisions"; return 1; }
	[ "$(q 'pragma integrity_check')" = ok ] || { fail "integrity_check: $(q 'pragma integrity_check' | head -n 3)"; return 1; }
}

# Starts N submitters (lc-tamduong and lc-sinho) logging to DIR/subI.log
# until DIR/stop exists or SECONDS pass.
submitters_start() {	# DIR N SECONDS
	local i
	SUB_PIDS=
	mkdir -p "$1"
	rm -f "$1/stop"
	for i in $(seq "$2"); do
		timeout $(($3 + 30)) "$PYTHON" "$GPRAW" --port "$PORT" \
		    --ca "$P/ca.crt" --cert "$P/lc-tamduong.crt" \
		    --key "$P/lc-tamduong.key" submitter --log "$1/sub$i.log" \
		    --units lc-tamduong --seconds "$3" --stop-file "$1/stop" \
		    --seed $((SEED * 100 + i)) >"$1/sub$i.out" 2>&1 &
		SUB_PIDS="$SUB_PIDS $!"
		timeout $(($3 + 30)) "$PYTHON" "$GPRAW" --port "$PORT" \
		    --ca "$P/ca.crt" --cert "$P/lc-sinho.crt" \
		    --key "$P/lc-sinho.key" submitter --log "$1/subs$i.log" \
		    --units lc-sinho --seconds "$3" --stop-file "$1/stop" \
		    --seed $((SEED * 100 + 50 + i)) >"$1/subs$i.out" 2>&1 &
		SUB_PIDS="$SUB_PIDS $!"
	done
}

submitters_stop() {	# DIR
	touch "$1/stop"
	# shellcheck disable=SC2086
	wait $SUB_PIDS 2>/dev/null || true
}

test_crash() {
	local dir=$W/crash k t0 rc again dup new pre
	local n=$(((SUBMITTERS + 1) / 2))
	DB=$W/crash.db
	write_conf "$W/crash.conf" "$DB" "$P/crl.pem"
	restart_gpd "$W/crash.conf" || { fail "gpd does not start"; return; }
	t0=$(now_ms)
	RANDOM=$SEED
	submitters_start "$dir" "$n" $((KILLS * 3 + 60))
	for k in $(seq "$KILLS"); do
		sleep "0.$((RANDOM % 5 + 1))$((RANDOM % 10))"
		kill -9 "$GPD_PID"
		rc=0
		wait "$GPD_PID" 2>/dev/null || rc=$?
		GPD_PID=
		[ "$rc" -eq 137 ] || { fail "kill $k: gpd had exited $rc already"; submitters_stop "$dir"; return; }
		start_gpd "$W/crash.conf" ||
		    { fail "no restart after kill $k"; submitters_stop "$dir"; return; }
		[ $(($(now_ms) - t0)) -lt $((KILLS * 3000 + 60000)) ] ||
		    { fail "over time after $k kills"; submitters_stop "$dir"; return; }
	done
	sleep 1
	submitters_stop "$dir"
	stop_gpd
	[ "$GPD_RC" -eq 0 ] || { fail "gpd exited $GPD_RC on SIGTERM"; return; }
	grep -h '^refused ' "$dir"/*.log >"$W/refused" || true
	[ ! -s "$W/refused" ] ||
	    { fail "refused answers under load: $(sort "$W/refused" | cut -d' ' -f3- | uniq -c | head -n 3)"; return; }
	check_acks "$dir"/*.log || return
	local lost
	lost=$(cat "$dir"/*.log | grep -c '^lost ' || true)

	# Every submission that got no receipt, sent again byte for byte: a
	# receipt each time, a duplicate exactly when it had been committed.
	awk '$1 == "lost" { print $2 }' "$dir"/*.log | sort >"$W/lost.ids"
	pre=$(q "select submission_id from reports" | sort | comm -12 - "$W/lost.ids" | wc -l)
	start_gpd "$W/crash.conf" || { fail "no restart"; return; }
	timeout 300 "$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-tamduong.crt" --key "$P/lc-tamduong.key" resubmit \
	    "$dir"/sub[0-9]*.log >"$W/again.out" 2>&1 || true
	timeout 300 "$PYTHON" "$GPRAW" --port "$PORT" --ca "$P/ca.crt" \
	    --cert "$P/lc-sinho.crt" --key "$P/lc-sinho.key" resubmit \
	    "$dir"/subs*.log >>"$W/again.out" 2>&1 || true
	stop_gpd
	grep -q '^failed' "$W/again.out" &&
	    { fail "resubmission: $(grep '^failed' "$W/again.out" | head -n 3)"; return; }
	again=$(grep -c '^again ' "$W/again.out" || true)
	[ "$again" = "$lost" ] || { fail "$again answers to $lost resubmissions"; return; }
	dup=$(awk '$1 == "again" && $5 == 1' "$W/again.out" | wc -l)
	new=$((again - dup))
	[ "$dup" = "$pre" ] ||
	    { fail "$dup duplicates, but $pre of the lost were committed"; return; }
	[ "$(q "select count(*) from reports where submission_id in
	    ($(awk -v q="'" '{ printf "%s%s%s%s", (NR > 1 ? "," : ""), q, $1, q }' "$W/lost.ids"))")" = "$lost" ] ||
	    { fail "a resubmitted report is not stored exactly once"; return; }
	[ "$(q 'pragma integrity_check')" = ok ] || { fail "integrity_check after resubmission"; return; }
	note "$KILLS kills in $((($(now_ms) - t0) / 1000)) s, $((n * 2)) submitters (seed $SEED):" \
	    "$ACKS acknowledged, all stored once with their receipt;" \
	    "$STORED stored (so $((STORED - ACKS)) committed but unacknowledged);" \
	    "$lost without receipt, resent: $dup duplicates, $new new; integrity ok"
	DB=$W/gp.db
}

section_crash() {
	ht "crash: kill -9 x$KILLS under load: acknowledged = stored once, integrity ok" test_crash
	DB=$W/gp.db
}

# ==========================================================================
# Storage faults
# ==========================================================================

# Disk full while submitters run: STORAGE_FULL (75, "server storage
# full, try later"), nothing half-stored, gpd runs on and accepts again
# once space is freed.
test_disk_full() {
	local dir=$W/full-load mnt=$W/full full rc
	mkdir -p "$mnt"
	# Room for the WAL to grow before the filler comes, so that removing
	# the filler frees enough for the next report.
	mount -t tmpfs -o size=16m gp-hostile "$mnt" 2>"$W/err" ||
	    { SKIPPED="cannot mount a tmpfs: $(cat "$W/err")"; return 0; }
	MOUNTS="$mnt $MOUNTS"
	DB=$mnt/gp.db
	write_conf "$W/full.conf" "$DB" "$P/crl.pem"
	restart_gpd "$W/full.conf" || { fail "gpd does not start"; return; }
	legit || return
	submitters_start "$dir" 1 30
	# Full while they submit: after their first receipts.
	for _ in $(seq 100); do
		[ "$(cat "$dir"/*.log 2>/dev/null | grep -c '^ack ')" -ge 10 ] && break
		sleep 0.1
	done
	dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null || true
	sleep 2
	jmod "$TAMDUONG" "$W/full.json" 'r.pop("id", None)
r["narrative"]["results"] += " (full disk)"'
	gpsubmit lc-tamduong "$W/full.json"
	rc=$RC
	cp "$W/err" "$W/full.err"
	submitters_stop "$dir"
	gpd_alive || { fail "gpd died on a full disk"; return; }
	[ "$rc" -eq 75 ] ||
	    { fail "gp-client on a full disk: exit $rc, want 75: $(cat "$W/full.out" "$W/full.err")"; return; }
	grep -q 'server storage full, try later' "$W/full.err" ||
	    { fail "message: $(cat "$W/full.err")"; return; }
	full=$(cat "$dir"/*.log | grep -c '^refused .* 7 server storage full, try later' || true)
	[ "$full" -ge 1 ] || { fail "no submitter was told storage full"; return; }
	grep -h '^refused ' "$dir"/*.log | grep -v ' 7 server storage full' >"$W/refused" || true
	[ ! -s "$W/refused" ] || { fail "other refusals: $(head -n 3 "$W/refused")"; return; }
	check_acks "$dir"/*.log || return
	local ids
	ids=$(awk -v q="'" '$1 == "refused" { printf "%s%s%s%s", (n++ ? "," : ""), q, $2, q }' "$dir"/*.log)
	[ "$(q "select count(*) from reports where submission_id in ($ids)")" = 0 ] ||
	    { fail "a refused submission was stored"; return; }

	rm -f "$mnt/filler"
	gpsubmit lc-tamduong "$W/full.json"
	[ "$RC" -eq 0 ] || { fail "after freeing space: exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong ' "$W/out" || { fail "after freeing space: $(cat "$W/out")"; return; }
	check_acks "$dir"/*.log || return
	stop_gpd
	[ "$GPD_RC" -eq 0 ] || { fail "gpd exited $GPD_RC"; return; }
	note "16 MiB tmpfs filled under load: $ACKS acknowledged and stored," \
	    "$full told 'server storage full, try later', gp-client 75;" \
	    "after rm: accepted; integrity ok"
	DB=$W/gp.db
}

# An ext4 file system on a loop device, for faults a tmpfs cannot make.
LOOP=
ext4_make() {	# MOUNTPOINT
	truncate -s 32M "$1.img"
	LOOP=$(losetup -f --show "$1.img" 2>"$W/err") ||
	    { SKIPPED="no loop device: $(cat "$W/err")"; return 1; }
	LOOPS="$LOOP $LOOPS"
	mkfs.ext4 -q -F "$LOOP" >/dev/null 2>"$W/err" ||
	    { SKIPPED="mkfs.ext4: $(cat "$W/err")"; return 1; }
	mkdir -p "$1"
	mount -o errors=remount-ro "$LOOP" "$1" 2>"$W/err" ||
	    { SKIPPED="cannot mount ext4: $(cat "$W/err")"; return 1; }
	MOUNTS="$1 $MOUNTS"
}

ext4_remount() {	# MOUNTPOINT: after the fault, repaired and back
	umount "$1"
	e2fsck -fy "$LOOP" >"$1.fsck" 2>&1 || true
	mount "$LOOP" "$1"
}

ext4_drop() {	# MOUNTPOINT
	umount "$1" 2>/dev/null || true
	losetup -d "$LOOP" 2>/dev/null || true
	MOUNTS=${MOUNTS/$1 /}
	LOOPS=${LOOPS/$LOOP /}
	rm -f "$1.img"
}

# Submitters load gpd, then stop; FAULT is a command breaking the file
# system under the database; then a submission gets an error, not a
# receipt, and gpd exits non-zero; every receipt given is in the database
# afterwards, with no exception. (A fault striking while a commit is being
# synced can be lost by the kernel, its fdatasync() saying 0 as the journal
# aborts: see the report of issue 6. No test can hold the kernel to that,
# so none is made here; one that counted such losses passed either way.)
storage_fault() {	# NAME FAULT...
	local name=$1 dir=$W/$1-load mnt=$W/$1 mark rc i
	shift
	ext4_make "$mnt" || return 0
	DB=$mnt/gp.db
	write_conf "$W/$name.conf" "$DB" "$P/crl.pem"
	restart_gpd "$W/$name.conf" || { fail "gpd does not start"; return; }
	mark=$(log_mark)
	legit || return
	submitters_start "$dir" 1 30
	# Until receipts are coming back.
	for i in $(seq 100); do
		[ "$(cat "$dir"/*.log 2>/dev/null | grep -c '^ack ' || true)" \
		    -ge 10 ] && break
		sleep 0.1
	done
	submitters_stop "$dir"
	[ "$(cat "$dir"/*.log | grep -c '^ack ' || true)" -ge 10 ] ||
	    { fail "fewer than 10 receipts under load in 10 s"; return; }
	"$@"
	gpsubmit lc-tamduong "$TAMDUONG"
	rc=$RC
	grep -q '^accepted\|^duplicate' "$W/out" &&
	    { fail "a receipt after the fault: $(cat "$W/out")"; return; }
	[ "$rc" -ne 0 ] || { fail "gp-client exit 0 after the fault"; return; }
	gpd_wait_exit 10 || { fail "gpd still running 10 s after the fault"; stop_gpd; return; }
	[ "$GPD_RC" -ne 0 ] || { fail "gpd exited 0 after the fault"; return; }
	log_since "$mark" | grep -q 'database unusable' ||
	    { fail "no log line: $(log_since "$mark" | tail -n 3)"; return; }
	ext4_remount "$mnt" || { fail "cannot mount again"; return; }
	# As found, before SQLite recovers it: for a post-mortem (KEEP=1).
	mkdir -p "$W/$name-found"
	cp -p "$mnt"/gp.db* "$W/$name-found/" 2>/dev/null || true
	# Every receipt given is stored.
	check_acks "$dir"/*.log || return
	note "gp-client after: exit $rc ($(head -c 60 "$W/err"));" \
	    "gpd exit $GPD_RC: $(log_since "$mark" | grep -m 1 'database unusable' | cut -c 10-100);" \
	    "$ACKS receipts before the fault, all stored; $STORED rows; integrity ok"
	ext4_drop "$mnt"
	DB=$W/gp.db
}

# An ext4 error: with errors=remount-ro the kernel aborts the journal and
# makes the file system read-only, as it does on a failing disk.
fault_readonly() {
	echo hostile >"/sys/fs/ext4/${LOOP#/dev/}/trigger_fs_error"
}

# Every I/O fails from now: EXT4_IOC_SHUTDOWN, flushing the journal first
# (EXT4_GOING_FLAGS_LOGFLUSH) so that what fdatasync() promised stays.
fault_eio() {
	"$PYTHON" -c 'import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0x8004587D, struct.pack("I", 1))' "$W/$1"
}

test_readonly() {
	storage_fault ro fault_readonly
}

test_eio() {
	storage_fault eio fault_eio eio
}

# The database file removed (and its -wal, -shm) while gpd runs: a
# submission must not be acknowledged into a file nobody will open again.
test_vanished() {
	local dir=$W/vanish rc
	mkdir -p "$dir"
	DB=$dir/gp.db
	write_conf "$W/vanish.conf" "$DB" "$P/crl.pem"
	restart_gpd "$W/vanish.conf" || { fail "gpd does not start"; return; }
	legit || return
	rm -f "$DB" "$DB-wal" "$DB-shm"
	gpsubmit lc-tamduong "$TAMDUONG"
	rc=$RC
	if grep -q '^accepted\|^duplicate' "$W/out"; then
		stop_gpd
		fail "acknowledged into a deleted file: $(head -n 1 "$W/out"); gpd" \
		    "$(gpd_alive && echo running || echo "exit $GPD_RC")"
		DB=$W/gp.db
		return
	fi
	gpd_wait_exit 10 || { fail "gpd still running 10 s after its file vanished"; stop_gpd; return; }
	[ "$GPD_RC" -ne 0 ] || { fail "gpd exited 0"; return; }
	note "gp-client exit $rc; gpd exit $GPD_RC"
	DB=$W/gp.db
}

section_storage() {
	if [ "$(id -u)" != 0 ]; then
		for n in "disk full" "read-only" "I/O error"; do
			skip "storage: $n" "needs root (mount, losetup)"
		done
	else
		st "storage: disk full under load: 75 'server storage full, try later', recovers" test_disk_full
		st "storage: file system made read-only: no receipt, gpd exits non-zero" test_readonly
		st "storage: I/O errors (ext4 shutdown): no receipt, gpd exits non-zero" test_eio
	fi
	ht "storage: database file deleted while running: no receipt, gpd exits non-zero" test_vanished
	DB=$W/gp.db
}

# Under make check-asan: whatever the tests did, gpd reported no memory
# error, undefined behaviour or leak.
test_sanitizers() {
	stop_gpd
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/gpd.log"; then
		fail "$(grep -E -m 3 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/gpd.log")"
		return
	fi
}

T0=$(now_ms)
for s in $SECTIONS; do
	"section_$s"
done
ht "gpd's log: no sanitizer report" test_sanitizers
stop_gpd

echo "# $((($(now_ms) - T0) / 1000)) s, $NSKIP skipped"
summary
