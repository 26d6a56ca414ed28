#!/bin/bash
# End-to-end tests of the upgrade to report forms, on what the gpd and
# gp-client before them left behind (tests/data/legacy, made by make.sh
# there with the binaries of the last commit before forms): the server's
# database is migrated and shows the same figures; receipts issued then
# still verify; a report sent then and sent again is a duplicate; reports
# waiting in a district's outbox are delivered by the new gp-client once.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/upgrade.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
LEGACY=$DATA/legacy

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup upgrade openssl sqlite3 python3 timeout	# W, PORT, DB

# A new PKI with the same names: the old receipts were signed by the old
# server's key, whose CA (ca.crt there) is all a holder needs.
PKI_START=20200101000000Z e2e_pki lc-tamduong lc-sinho lc-nganh-giaoduc \
    admin-test
cat "$W/pki/ca.crt" "$LEGACY/ca.crt" > "$W/both-ca.crt"
cp "$LEGACY/gp.db" "$DB"
cp "$LEGACY/outbox.db" "$W/outbox.db"
# The server of tests/data/legacy/make.sh.
e2e_units lc-tamduong lc-sinho lc-nganh-giaoduc lc-phongtho
e2e_gpd_conf "$W/gpd.conf" "[access] admins = admin-test"

gpc() {	# NAME ARGS...
	client_as "$1" --outbox "$W/outbox.db" --timeout 10 --retries 0 \
	    "${@:2}"
}
admin() { gpc admin-test "$@"; }

# Revisions of a unit and period.
revisions() {	# UNIT PERIOD
	q "select count(*) from reports where unit = '$1' and period = '$2'"
}

test_migrated() {
	local schema
	schema=$(sed -n 's/^#define STORE_SCHEMA_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/daemon/store.h")
	[ "$(q 'pragma user_version')" = "$schema" ] ||
	    { fail "schema $(q 'pragma user_version'), not $schema"; return; }
	# Through the calendar's migration (6) and the review's (7): every
	# late revision kept late with its days, its due date the form's;
	# no extension, no decision yet.
	[ "$(q "select count(*) from reports where late = 1 and days_late < 1 or late = 0 and days_late <> 0 or due is null")" = 0 ] ||
	    { fail "lateness: $(q "select unit, period, revision, late, days_late, due from reports")"; return; }
	[ "$(q "select count(*) from extensions") $(q "select count(*) from reviews")" = "0 0" ] ||
	    { fail "extensions or reviews made by the migration"; return; }
	[ "$(q "select count(*) from report_totals where planned_activities > activities")" = 0 ] ||
	    { fail "planned totals: $(q "select * from report_totals")"; return; }
	[ -f "$DB.schema-4.bak" ] || { fail "no copy kept before the migration"; return; }
	# Codes now, the form 2022 recorded, the bytes and hash untouched.
	[ "$(q "select count(*) from activities where area = 'communication_training'")" -gt 0 ] ||
	    { fail "activities have no area codes"; return; }
	[ "$(q "select count(*) from reports where form_sha256 is null")" = 0 ] ||
	    { fail "a migrated report records no form"; return; }
	[ "$(sqlite3 "$DB" "select hex(content_hash) from reports order by id")" = \
	    "$(sqlite3 "$LEGACY/gp.db" "select hex(content_hash) from reports order by id")" ] ||
	    { fail "content hashes changed"; return; }
	[ "$(sqlite3 "$DB" "select hex(raw) from reports order by id" | md5sum)" = \
	    "$(sqlite3 "$LEGACY/gp.db" "select hex(raw) from reports order by id" | md5sum)" ] ||
	    { fail "stored bytes changed"; return; }
	[ "$(q "select count(*) from forms")" -ge 1 ] || fail "no form kept"
}

test_same_figures() {
	local p by f
	for p in 2022-H1 2022; do
		admin --json list --period "$p"
		[ "$RC" -eq 0 ] || { fail "list $p: exit $RC $(cat "$W/err")"; return; }
		python3 "$E2E_DIR/upgrade.py" list "$LEGACY/before/list-$p.json" "$W/out" ||
		    { fail "list $p differs"; return; }
		admin --json missing "$p"
		python3 "$E2E_DIR/upgrade.py" missing "$LEGACY/before/missing-$p.json" "$W/out" ||
		    { fail "missing $p differs"; return; }
		admin --json summary "$p"
		python3 "$E2E_DIR/upgrade.py" summary "$LEGACY/before/summary-$p.json" "$W/out" ||
		    { fail "summary $p differs"; return; }
		for by in area kind occasion unit; do
			admin --json summary "$p" --by "$by"
			python3 "$E2E_DIR/upgrade.py" summary \
			    "$LEGACY/before/summary-$p-$by.json" "$W/out" ||
			    { fail "summary $p --by $by differs"; return; }
		done
		f=$W/export-$p.json
		admin export "$p" --format json -o "$f"
		[ "$RC" -eq 0 ] || { fail "export $p: exit $RC $(cat "$W/err")"; return; }
		python3 "$E2E_DIR/upgrade.py" export "$LEGACY/before/export-$p.json" "$f" ||
		    { fail "export $p differs"; return; }
	done
	admin --json show lc-tamduong 2022-H1
	python3 "$E2E_DIR/upgrade.py" show "$LEGACY/before/show.json" "$W/out" ||
	    { fail "show differs"; return; }
	admin --json show lc-tamduong 2022-H1 --revision 1
	python3 "$E2E_DIR/upgrade.py" show "$LEGACY/before/show-1.json" "$W/out" ||
	    { fail "show --revision 1 differs"; return; }
	admin --json history lc-tamduong 2022-H1
	python3 "$E2E_DIR/upgrade.py" history "$LEGACY/before/history.json" "$W/out" ||
	    fail "history differs"
}

test_audit_verifies() {
	run "$GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || fail "verify-audit: exit $RC: $(cat "$W/out" "$W/err")"
}

test_old_receipt_verifies() {
	run "$GP_CLIENT" --ca "$LEGACY/ca.crt" verify-receipt \
	    "$LEGACY/receipt.json" "$LEGACY/report.json"
	[ "$RC" -eq 0 ] || { fail "verify-receipt: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "as packed before report forms" "$W/out" ||
	    { fail "no word of the old packing: $(cat "$W/out")"; return; }
	# The sample file itself, as the district kept it, too.
	run "$GP_CLIENT" --ca "$LEGACY/ca.crt" verify-receipt \
	    "$LEGACY/receipt.json" "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "verify-receipt of the sample: exit $RC: $(cat "$W/out")"; return; }
	# Against the server's copy: both CAs, the server's for TLS and the
	# old one for the receipt.
	run "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/both-ca.crt" \
	    --cert "$W/pki/admin-test.crt" --key "$W/pki/admin-test.key" \
	    show lc-tamduong 2022-H1 --receipt "$LEGACY/receipt.json"
	[ "$RC" -eq 0 ] || fail "show --receipt: exit $RC: $(cat "$W/out" "$W/err")"
}

test_kept_receipt_exports() {
	local r
	r=$(jget "$LEGACY/receipt.json" 'r["receipt"]')
	run "$GP_CLIENT" --outbox "$W/outbox.db" receipts --export "$r" \
	    -o "$W/kept.json" --report "$W/kept-report.json"
	[ "$RC" -eq 0 ] || { fail "receipts --export: exit $RC: $(cat "$W/err")"; return; }
	# Written as the forms' JSON, still the report the receipt covers.
	[ "$(jget "$W/kept-report.json" 'r["activities"][0]["kind"]')" = talk ] ||
	    { fail "kept report: $(head -c 300 "$W/kept-report.json")"; return; }
	run "$GP_CLIENT" --ca "$LEGACY/ca.crt" verify-receipt "$W/kept.json" \
	    "$W/kept-report.json"
	[ "$RC" -eq 0 ] || fail "verify-receipt of the kept one: exit $RC: $(cat "$W/out")"
}

test_resend_is_duplicate() {
	local before
	before=$(revisions lc-tamduong 2022-H1)
	# The same file as before the upgrade, no id in it: the same id is
	# derived, and the server finds the revision stored then.
	gpc lc-tamduong submit --no-queue "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^duplicate lc-tamduong 2022-H1 revision 1 receipt 927ab39d6daf186cb77ea61a3feac01f' "$W/out" ||
	    { fail "not the first receipt: $(cat "$W/out")"; return; }
	[ "$(revisions lc-tamduong 2022-H1)" = "$before" ] ||
	    fail "a revision was added"
}

test_outbox_delivered_once() {
	# Waiting there: lc-tamduong 2022, which the server stored already,
	# and a third revision of 2022-H1, never sent.
	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "flush: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^duplicate lc-tamduong 2022 revision 1' "$W/out" ||
	    { fail "2022 not a duplicate: $(cat "$W/out")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1 revision 3' "$W/out" ||
	    { fail "revision 3 not delivered: $(cat "$W/out")"; return; }
	[ "$(revisions lc-tamduong 2022)" = 1 ] || { fail "2022 stored twice"; return; }
	[ "$(revisions lc-tamduong 2022-H1)" = 3 ] || { fail "2022-H1: $(revisions lc-tamduong 2022-H1) revisions"; return; }
	# Under the ids they were queued with.
	[ "$(q "select submission_id from reports where unit = 'lc-tamduong' and period = '2022-H1' and revision = 3")" = \
	    3b070ce3-b8c8-8716-ba5c-f1f783c0670a ] || { fail "another id"; return; }
	[ "$(sqlite3 "$W/outbox.db" 'select count(*) from entries')" = 0 ] ||
	    fail "the outbox is not empty"
}

start_gpd "$W/gpd.conf"
t "the database is migrated: codes, forms, the old bytes kept" test_migrated
t "list, missing, summary, export, show, history: the same figures" test_same_figures
t "a receipt issued before verifies, offline and against the server" test_old_receipt_verifies
t "a kept receipt exports and verifies" test_kept_receipt_exports
t "the same file sent again is a duplicate with its first receipt" test_resend_is_duplicate
t "an old outbox is delivered by the new gp-client, each report once" test_outbox_delivered_once
stop_gpd
t "verify-audit passes on the migrated database" test_audit_verifies
summary
