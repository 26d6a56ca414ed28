#!/bin/bash
# End-to-end tests: the real gpd on 127.0.0.1 with a throwaway PKI, driven
# by the real gp-client (and a raw TLS client for what gp-client will not
# send). Every test checks what is, or is not, in the database.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/run.sh
#
# KEEP=1 keeps the working directory (PKI, configuration, database, log).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup e2e openssl sqlite3 python3 timeout	# W, PORT, DB

sample() {	# UNIT: its sample report in tests/data
	local f
	for f in "$DATA/$1"-2022-H1.json "$DATA/$1"-*.json; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
	echo "e2e: no sample report for $1 in $DATA" >&2
	return 1
}
TAMDUONG=$(sample lc-tamduong)
SINHO=$(sample lc-sinho)
GIAODUC=$(sample lc-nganh-giaoduc)
INVALID=$DATA/invalid-report.json
[ -f "$INVALID" ] || { echo "e2e: $INVALID is missing" >&2; exit 1; }

e2e_pki lc-tamduong lc-sinho lc-nganh-giaoduc admin-test lc-unknown
write_rawclient

MAX_FRAME=1048576
HANDSHAKE_TIMEOUT=3

# lc-unknown has a certificate from the right CA but is not a unit.
cat > "$W/units.conf" <<UNITS
[lc-tamduong]
name = LĐLĐ huyện Tam Đường
type = district_federation
valid_from = 2000-01-01
valid_to = 2025-06-30

[lc-sinho]
name = LĐLĐ huyện Sìn Hồ
type = district_federation
valid_to = 2025-06-30

[lc-nganh-giaoduc]
name = Công đoàn ngành Giáo dục
type = sector_union
UNITS

write_conf() {	# FILE CERTIFICATE
	e2e_gpd_conf "$1" "max_connections = 50" \
	    "handshake_timeout = $HANDSHAKE_TIMEOUT" "idle_timeout = 20" \
	    "max_frame = $MAX_FRAME" "[tls] certificate = $2" \
	    "[tls] crl = $W/pki/crl.pem" "[access] admins = admin-test" \
	    "${E2E_PERIODS[@]}"
}
write_conf "$W/gpd.conf" "$W/pki/server.crt"
write_conf "$W/bad.conf" "$W/pki/missing.crt"

start_gpd "$W/gpd.conf" || exit 1

# --- configuration --------------------------------------------------------

test_check_good_config() {
	run "$GPD" -n -f "$W/gpd.conf"
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
}

test_check_missing_certificate() {
	run "$GPD" -n -f "$W/bad.conf"
	[ "$RC" -eq 1 ] || { fail "exit $RC, want 1"; return; }
	grep -Eqi 'missing\.crt|certificate' "$W/err" ||
	    { fail "no reason naming the certificate: $(cat "$W/err")"; return; }
}

# --- client-side checks ---------------------------------------------------

# The field the invalid sample gets wrong: activities[i].female where
# women outnumber participants, else any "field: message" line.
invalid_field() {
	jget "$INVALID" 'next(("activities[%d].female" % i
	    for i, a in enumerate(r.get("activities", []))
	    if isinstance(a.get("female"), int) and
	       isinstance(a.get("participants"), int) and
	       a["female"] > a["participants"]), "")'
}

expect_field_named() {	# FILE
	local field
	field=$(invalid_field)
	if [ -n "$field" ]; then
		grep -qF "$field" "$1" ||
		    { fail "does not name $field: $(cat "$1")"; return; }
	else
		grep -Eq '[a-z_]+(\[[0-9]+\])?(\.[a-z_]+)?: ' "$1" ||
		    { fail "names no field: $(cat "$1")"; return; }
	fi
}

test_validate_invalid() {
	local before
	before=$(counts)
	run "$GP_CLIENT" validate "$INVALID"
	[ "$RC" -eq 65 ] || { fail "exit $RC, want 65: $(cat "$W/err")"; return; }
	expect_field_named "$W/err" || return
	# All errors at once: the sample also lacks the required results.
	grep -q 'narrative\.results' "$W/err" ||
	    { fail "narrative.results not named: $(cat "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

test_template_refused() {
	RC=0
	timeout 30 "$GP_CLIENT" template --unit lc-tamduong --period 2022-H1 \
	    >"$W/template.json" 2>"$W/err" || RC=$?
	[ "$RC" -eq 0 ] || { fail "template: exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/template.json" '(r["unit"] + " " + r["period"] + " " +
	    str(len(r["activities"]) > 0))')" = "lc-tamduong 2022-H1 True" ] ||
	    { fail "template: $(head -c 300 "$W/template.json")"; return; }
	# An unedited template is no unit's report: refused, naming each
	# field still holding the template's words, and nothing else.
	RC=0
	timeout 30 "$GP_CLIENT" validate - <"$W/template.json" \
	    >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 65 ] ||
	    { fail "validate -: exit $RC, want 65: $(cat "$W/err" "$W/out")"; return; }
	for f in reporter.name reporter.position plan.number \
	    'activities\[0\].title' 'activities\[0\].location' \
	    narrative.results narrative.next_tasks law_review.results; do
		grep -q "error: $f: still the template's" "$W/err" ||
		    { fail "$f not named: $(cat "$W/err")"; return; }
	done
	grep "error:" "$W/err" | grep -v "still the template's" |
	    grep -v "a done activity with no sessions" | grep -q . &&
	    { fail "other errors: $(grep error: "$W/err" | grep -v template)"; return; }
	# Piped into submit, it is refused before anything is sent.
	local before
	before=$(counts)
	RC=0
	timeout 30 "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    submit - <"$W/template.json" >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 65 ] || { fail "submit -: exit $RC, want 65"; return; }
	grep -q "reporter.name: still the template's" "$W/err" ||
	    { fail "submit -: $(cat "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || fail "stored: $(counts)"
}

test_placeholder_refused_by_gpd() {
	# What gp-client would not send: gpd refuses it by field too.
	local before
	before=$(counts)
	rawclient lc-tamduong submit-reporter lc-tamduong \
	    "(Họ và tên người báo cáo)"
	grep -q "^error 2 " "$W/out" ||
	    { fail "not INVALID: $(cat "$W/out")"; return; }
	grep -q "^field reporter.name: still the template's" "$W/out" ||
	    { fail "reporter.name not named: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || fail "stored: $(counts)"
}

# --- submissions ----------------------------------------------------------

RECEIPT1=

test_accepted() {
	client_as lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1 revision 1 receipt ' "$W/out" ||
	    { fail "output: $(cat "$W/out")"; return; }
	RECEIPT1=$(receipt_of_out)
	[ -n "$RECEIPT1" ] || { fail "no receipt in: $(cat "$W/out")"; return; }

	local rows want got id
	rows=$(q "select count(*) from reports where receipt = '$RECEIPT1'
	    and unit = 'lc-tamduong' and period = '2022-H1' and revision = 1")
	[ "$rows" = 1 ] || { fail "$rows report rows with receipt $RECEIPT1"; return; }
	id=$(q "select rowid from reports where receipt = '$RECEIPT1'")

	want=$(jget "$TAMDUONG" 'len(r["activities"])')
	got=$(q "select count(*) from activities where report_id = $id")
	[ "$got" = "$want" ] || { fail "$got activities stored, $want sent"; return; }

	# Vietnamese text comes back byte for byte.
	want=$(jget "$TAMDUONG" 'next(a["title"] for a in r["activities"]
	    if not a["title"].isascii()).encode("utf-8").hex().upper()')
	got=$(q "select count(*) from activities where report_id = $id
	    and hex(title) = '$want'")
	[ "$got" -ge 1 ] || { fail "title $want not stored byte-identical"; return; }
	want=$(jget "$TAMDUONG" 'r["narrative"]["results"].encode("utf-8").hex().upper()')
	got=$(q "select count(*) from narratives where report_id = $id
	    and section = 'narrative' and field = 'results'
	    and hex(text) = '$want'")
	[ "$got" = 1 ] || { fail "narrative results not stored byte-identical"; return; }

	got=$(q "select cert_cn || ' ' || lower(replace(cert_fingerprint, ':', ''))
	    from reports where rowid = $id")
	want="lc-tamduong $(fingerprint "$W/pki/lc-tamduong.crt")"
	[ "$got" = "$want" ] || { fail "certificate recorded as '$got', want '$want'"; return; }
}

test_submit_json() {
	client_as lc-nganh-giaoduc --json submit "$GIAODUC"
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
	local check
	check=$(python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
missing = [k for k in ("status", "unit", "period", "revision", "receipt",
    "received_at", "duplicate", "warnings") if k not in o]
if missing:
    print("missing keys: " + " ".join(missing))
elif o["unit"] != "lc-nganh-giaoduc" or o["revision"] != 1 or \
        o["duplicate"] is not False or not isinstance(o["warnings"], list):
    print("unexpected values: " + json.dumps(o, ensure_ascii=False))
else:
    print(o["receipt"])' "$W/out" 2>&1) ||
	    { fail "not JSON: $(cat "$W/out")"; return; }
	case $check in
	missing*|unexpected*|*Error*) fail "$check"; return;;
	esac
	[ "$(q "select count(*) from reports where receipt = '$check'
	    and unit = 'lc-nganh-giaoduc'")" = 1 ] ||
	    { fail "receipt $check not in reports"; return; }
}

test_duplicate() {
	local before
	before=$(counts)
	client_as lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
	grep -q duplicate "$W/out" || { fail "not marked duplicate: $(cat "$W/out")"; return; }
	[ "$(receipt_of_out)" = "$RECEIPT1" ] ||
	    { fail "receipt $(receipt_of_out), want $RECEIPT1"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-tamduong'")" = 1 ] ||
	    { fail "stored twice"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

# The same report from standard input: the id derives from the content,
# not from the file name.
test_submit_stdin() {
	RC=0
	timeout 30 "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    submit - <"$TAMDUONG" >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
	{ grep -q '^duplicate lc-tamduong 2022-H1 revision 1 ' "$W/out" &&
	    [ "$(receipt_of_out)" = "$RECEIPT1" ]; } ||
	    { fail "output: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-tamduong'")" = 1 ] ||
	    { fail "stored twice"; return; }
}

test_unreachable() {
	# Without the outbox (tests/e2e/outbox.sh covers queueing, exit 75).
	run "$GP_CLIENT" -s 127.0.0.1:1 --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    --retries 0 submit --no-queue "$TAMDUONG"
	[ "$RC" -eq 69 ] || { fail "exit $RC, want 69: $(cat "$W/err")"; return; }
	grep -q 'cannot reach 127.0.0.1:1' "$W/err" ||
	    { fail "message: $(cat "$W/err")"; return; }
}

test_new_revision() {
	jmod "$TAMDUONG" "$W/rev2.json" 'r.pop("id", None)
r["narrative"]["results"] += " Bổ sung sau rà soát."'
	client_as lc-tamduong submit "$W/rev2.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1 revision 2 receipt ' "$W/out" ||
	    { fail "output: $(cat "$W/out")"; return; }
	local r2
	r2=$(receipt_of_out)
	[ "$(q "select group_concat(revision || ':' || receipt, ' ') from
	    (select revision, receipt from reports where unit = 'lc-tamduong'
	    order by revision)")" = "1:$RECEIPT1 2:$r2" ] ||
	    { fail "revisions: $(q "select revision, receipt from reports")"; return; }
	[ "$(q "select count(distinct submission_id) from reports
	    where unit = 'lc-tamduong'")" = 2 ] || { fail "submission ids not distinct"; return; }
}

CONFLICT_ID=0c1f7a52-8d3e-4b6a-9f21-5e7d2c9a4b10

test_conflict() {
	jmod "$TAMDUONG" "$W/c1.json" "r['id'] = '$CONFLICT_ID'"
	client_as lc-tamduong submit "$W/c1.json"
	[ "$RC" -eq 0 ] || { fail "explicit id: exit $RC: $(cat "$W/err")"; return; }
	grep -q ' revision 3 ' "$W/out" || { fail "not revision 3: $(cat "$W/out")"; return; }

	local before
	before=$(counts)
	jmod "$W/c1.json" "$W/c2.json" 'r["narrative"]["results"] += " Sửa lại."'
	client_as lc-tamduong submit "$W/c2.json"
	[ "$RC" -eq 65 ] || { fail "exit $RC, want 65: $(cat "$W/out" "$W/err")"; return; }
	grep -Eqi 'conflict|different content' "$W/err" ||
	    { fail "no conflict message: $(cat "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	[ "$(q "select count(*) from reports where submission_id = '$CONFLICT_ID'")" = 1 ] ||
	    { fail "id $CONFLICT_ID stored twice"; return; }
}

test_other_units_report() {
	local before audits fp
	before=$(counts)
	audits=$(q "select count(*) from audit")
	client_as lc-sinho submit "$TAMDUONG"
	[ "$RC" -eq 77 ] || { fail "exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	fp=$(fingerprint "$W/pki/lc-sinho.crt")
	[ "$(q "select count(*) from audit where rowid > 0 and cn = 'lc-sinho'
	    and lower(replace(fingerprint, ':', '')) = '$fp'
	    and unit = 'lc-tamduong'
	    and (result like '%refus%' or result like '%denied%'
	      or result like '%permission%')")" -ge 1 ] ||
	    { fail "no audit row for lc-sinho ($fp): $(q "select * from audit")"; return; }
	[ "$(q "select count(*) from audit")" -gt "$audits" ] ||
	    { fail "audit row is not new"; return; }
}

test_invalid_submit() {
	local before
	before=$(counts)
	client_as "$(jget "$INVALID" 'r.get("unit") or "lc-tamduong"')" \
	    submit "$INVALID"
	[ "$RC" -eq 65 ] || { fail "exit $RC, want 65: $(cat "$W/err")"; return; }
	expect_field_named "$W/err" || return
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

# gp-client checks first; the daemon must refuse on its own.
test_invalid_raw() {
	local before
	before=$(counts)
	rawclient lc-tamduong invalid lc-tamduong
	[ "$RC" -eq 0 ] || { fail "rawclient: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^error 2 ' "$W/out" || { fail "no INVALID error: $(cat "$W/out")"; return; }
	grep -q '^field activities\[0\]\.female: ' "$W/out" ||
	    { fail "activities[0].female not named: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

# --- the handshake --------------------------------------------------------

test_tls_alpn() {
	rawclient lc-tamduong length 0
	grep -Eq '^tls TLSv1\.[23] alpn gp/1$' "$W/out" ||
	    { fail "handshake: $(cat "$W/out" "$W/err")"; return; }
}

test_no_client_certificate() {
	local before
	before=$(counts)
	rawclient - invalid lc-tamduong
	[ "$RC" -eq 0 ] || { fail "rawclient: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^refused ' "$W/out" ||
	    { fail "not refused at the handshake: $(cat "$W/out")"; return; }
	grep -Eq '^(error|field|receipt) ' "$W/out" &&
	    { fail "got an answer frame: $(cat "$W/out")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

test_rogue_ca() {
	local before
	before=$(counts)
	client_as rogue-lc-tamduong submit "$TAMDUONG"
	case $RC in
	69|77) ;;
	*) fail "exit $RC, want 77 or 69: $(cat "$W/out" "$W/err")"; return;;
	esac
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

test_unknown_cn() {
	local before
	before=$(counts)
	client_as lc-unknown submit "$TAMDUONG"
	[ "$RC" -eq 77 ] || { fail "exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

# --- hostile frames -------------------------------------------------------

test_oversized_frame() {
	local before
	before=$(counts)
	rawclient lc-tamduong length $((MAX_FRAME + 1))
	grep -q '^closed$' "$W/out" ||
	    { fail "connection not closed: $(cat "$W/out" "$W/err")"; return; }
	if grep -q '^error ' "$W/out"; then
		grep -q '^error 1 ' "$W/out" ||
		    { fail "error is not BAD_REQUEST: $(cat "$W/out")"; return; }
	fi
	gpd_alive || { fail "gpd died"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }

	client_as lc-sinho submit "$SINHO"
	[ "$RC" -eq 0 ] || { fail "next submit: exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-sinho 2022-H1 revision 1 receipt ' "$W/out" ||
	    { fail "next submit: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-sinho'")" = 1 ] ||
	    { fail "lc-sinho report not stored"; return; }
}

test_undecodable_frame() {
	local before
	before=$(counts)
	rawclient lc-tamduong garbage
	grep -q '^error 1 ' "$W/out" ||
	    { fail "no BAD_REQUEST error: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^closed$' "$W/out" || { fail "not closed: $(cat "$W/out")"; return; }
	# Not TLS at all.
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET / HTTP/1.0\r\n\r\n" + bytes(range(256)))
try:
    s.recv(100)
except OSError:
    pass' "$PORT"
	gpd_alive || { fail "gpd died"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	client_as lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "next submit: exit $RC: $(cat "$W/err")"; return; }
	{ grep -q '^duplicate lc-tamduong 2022-H1 revision 1 ' "$W/out" &&
	    [ "$(receipt_of_out)" = "$RECEIPT1" ]; } ||
	    { fail "next submit: $(cat "$W/out")"; return; }
}

# A peer that connects and says nothing is dropped after handshake_timeout
# and does not hold up anyone else meanwhile.
test_silent_peer() {
	python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
t = time.monotonic()
try:
    s.recv(1)
    print("closed %d" % round(time.monotonic() - t))
except socket.timeout:
    print("open")
except OSError:
    print("closed %d" % round(time.monotonic() - t))' "$PORT" >"$W/silent" &
	local silent=$! took
	sleep 0.5
	client_as lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] ||
	    { fail "submit beside a silent peer: exit $RC: $(cat "$W/err")"; return; }
	wait "$silent" || true
	took=$(sed -n 's/^closed //p' "$W/silent")
	[ -n "$took" ] || { fail "silent peer not closed in 15 s"; return; }
	[ "$took" -le $((HANDSHAKE_TIMEOUT + 2)) ] ||
	    { fail "silent peer closed after $took s, handshake_timeout $HANDSHAKE_TIMEOUT"; return; }
}

# --- storage and shutdown -------------------------------------------------

test_database() {
	[ "$(q 'pragma journal_mode')" = wal ] || { fail "journal_mode $(q 'pragma journal_mode')"; return; }
	[ "$(q 'pragma user_version')" -ge 1 ] || { fail "user_version $(q 'pragma user_version')"; return; }
	[ "$(q 'pragma integrity_check')" = ok ] || { fail "integrity_check failed"; return; }
	[ "$(q 'select count(*) from reports')" -ge 1 ] || { fail "no reports"; return; }
	local bad
	bad=$(q "select count(*) from reports where raw is null or length(raw) = 0
	    or content_hash is null or received_at is null
	    or cert_fingerprint is null or cert_cn <> unit")
	[ "$bad" = 0 ] || { fail "$bad reports without raw bytes, hash, time or certificate"; return; }
}

test_sigterm() {
	local rc=0
	kill -TERM "$GPD_PID"
	for _ in $(seq 50); do
		kill -0 "$GPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$GPD_PID" 2>/dev/null; then
		fail "gpd still running 5 s after SIGTERM"
		return
	fi
	wait "$GPD_PID" || rc=$?
	GPD_PID=
	[ "$rc" -eq 0 ] || { fail "gpd exited $rc on SIGTERM"; return; }
	[ "$(q 'pragma integrity_check')" = ok ] || { fail "integrity_check failed"; return; }
}

# --- revocation: after a restart with a new CRL --------------------------

test_revoked() {
	{ openssl ca -config "$W/pki/ca.cnf" \
	    -revoke "$W/pki/lc-nganh-giaoduc.crt" 2>/dev/null &&
	openssl ca -config "$W/pki/ca.cnf" -gencrl -out "$W/pki/crl.pem" \
	    2>/dev/null; } || { fail "openssl ca could not revoke"; return; }
	start_gpd "$W/gpd.conf" || { fail "gpd did not restart"; return; }

	local before
	before=$(counts)
	jmod "$GIAODUC" "$W/giaoduc2.json" 'r.pop("id", None)
r["narrative"]["results"] += " Bổ sung."'
	client_as lc-nganh-giaoduc submit "$W/giaoduc2.json"
	case $RC in
	69|77) ;;
	*) fail "exit $RC, want 77 or 69: $(cat "$W/out" "$W/err")"; return;;
	esac
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
	client_as lc-sinho submit "$SINHO"
	[ "$RC" -eq 0 ] ||
	    { fail "a certificate not revoked: exit $RC: $(cat "$W/err")"; return; }
}

t "gpd -n accepts the test configuration" test_check_good_config
t "gpd -n refuses a missing certificate" test_check_missing_certificate
t "validate: invalid report exits 65 naming the field, stores nothing" test_validate_invalid
t "template | validate and | submit: refused, each placeholder named" test_template_refused
t "a placeholder reporter: gpd refuses it by field" test_placeholder_refused_by_gpd
t "TLS handshake with ALPN gp/1" test_tls_alpn
t "submit: accepted, stored as rows, Vietnamese byte-identical" test_accepted
t "submit --json: one receipt object" test_submit_json
t "same submission again: duplicate, same receipt, stored once" test_duplicate
t "submit - reads the report from standard input (duplicate)" test_submit_stdin
t "server unreachable: exit 69 with a message" test_unreachable
t "changed content: revision 2, both kept" test_new_revision
t "same id, different content: conflict (65), nothing stored" test_conflict
t "another unit's report: permission denied (77), audited" test_other_units_report
t "invalid report: 65 naming the field, nothing stored" test_invalid_submit
t "invalid report sent raw: gpd refuses it by field" test_invalid_raw
t "no client certificate: refused at the handshake" test_no_client_certificate
t "certificate from another CA: refused, nothing stored" test_rogue_ca
t "unknown CN lc-unknown: refused (77), nothing stored" test_unknown_cn
t "oversized frame: closed, gpd keeps serving" test_oversized_frame
t "undecodable frame and non-TLS bytes: error, gpd keeps serving" test_undecodable_frame
t "silent peer: dropped after handshake_timeout, others served" test_silent_peer
t "database: WAL, schema version, raw bytes and certificate kept" test_database
t "SIGTERM: gpd exits 0, database intact" test_sigterm
t "revoked certificate (CRL): refused, nothing stored" test_revoked

summary
