#!/bin/bash
# Makes the fixtures of tests/e2e/upgrade.sh with the gpd and gp-client of
# the last commit before report forms (b53ba72): what a province's server
# and a district's laptop hold on the day they upgrade. Run once, by hand;
# the files it writes are committed:
#
#   gp.db          the server's database, schema 4: revisions 1 and 2 of
#                  lc-tamduong 2022-H1, lc-sinho and lc-nganh-giaoduc
#                  2022-H1, lc-tamduong 2022
#   outbox.db      lc-tamduong's outbox: its receipt of 2022-H1 revision 1,
#                  and two reports waiting: lc-tamduong 2022, which the
#                  server stored already (its receipt was lost on the way
#                  back), and lc-tamduong 2022-H1 revision 3, never sent
#   ca.crt         the CA of that server's certificate, which signed the
#                  receipts
#   receipt.json, report.json
#                  the receipt of 2022-H1 revision 1 and the report it
#                  covers, as `gp-client receipts --export` wrote them
#   before/*.json  what the old gp-client printed for list, missing,
#                  summary, export and show, for comparison after the
#                  migration
#
# usage: make.sh OLD_BUILD_DIR   (holding gpd and gp-client)
set -eu

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=$(cd "$(dirname "$0")" && pwd)
OLD=$(cd "$1" && pwd)
DATA=$ROOT/tests/data
. "$ROOT/tests/e2e/lib.sh"
GPD=$OLD/gpd
GP_CLIENT=$OLD/gp-client

e2e_setup legacy	# W, PORT, DB
e2e_pki lc-tamduong lc-sinho lc-nganh-giaoduc admin-test
e2e_units lc-tamduong lc-sinho lc-nganh-giaoduc lc-phongtho
e2e_gpd_conf "$W/gpd.conf" "[access] admins = admin-test"

# The annual report: the sample's activities, which the year covers too,
# with an action-month talk.
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tamduong-2022.json" '
r["period"] = "2022"
r["activities"][0]["date"] = "2021-12-03"
r["narrative"]["results"] += " Cả năm 2022."'
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tamduong-rev2.json" '
r["narrative"]["results"] += " Bổ sung số liệu tháng 5."
r["activities"][1]["participants"] = 230'
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tamduong-rev3.json" '
r["narrative"]["results"] += " Bổ sung lần hai."
r["indicators"]["members"]["total"] = 2880'

unit() {	# NAME OUTBOX ARGS...
	client_as "$1" --outbox "$2" --timeout 5 --retries 0 "${@:3}"
}
check() {	# WHAT
	[ "$RC" -eq "${WANT:-0}" ] || {
		echo "make.sh: $1: exit $RC" >&2; cat "$W/out" "$W/err" >&2
		exit 1; }
}

# Queued while the server is down: both wait in the outbox.
unit lc-tamduong "$W/outbox.db" submit "$W/tamduong-2022.json"
WANT=75 check "queue 2022"
unit lc-tamduong "$W/outbox.db" submit "$W/tamduong-rev3.json"
WANT=75 check "queue revision 3"

start_gpd "$W/gpd.conf"
unit lc-tamduong "$W/outbox.db" --outbox "$W/outbox.db" submit --no-queue \
    "$DATA/lc-tamduong-2022-H1.json"
check "revision 1"
receipt=$(receipt_of_out)
unit lc-tamduong "$W/other.db" submit "$W/tamduong-rev2.json"
check "revision 2"
unit lc-sinho "$W/other.db" submit "$DATA/lc-sinho-2022-H1.json"
check "lc-sinho"
unit lc-nganh-giaoduc "$W/other.db" submit "$DATA/lc-nganh-giaoduc-2022-H1.json"
check "lc-nganh-giaoduc"
# The same file as the waiting entry, from another outbox: stored, while
# the entry still waits.
unit lc-tamduong "$W/other.db" submit "$W/tamduong-2022.json"
check "2022 from elsewhere"

admin() {
	unit admin-test "$W/other.db" "$@"
}
mkdir -p "$W/before"
for p in 2022-H1 2022; do
	admin --json list --period "$p"; check list; cp "$W/out" "$W/before/list-$p.json"
	admin --json missing "$p"; check missing; cp "$W/out" "$W/before/missing-$p.json"
	admin --json summary "$p"; check summary; cp "$W/out" "$W/before/summary-$p.json"
	for by in area kind occasion unit; do
		admin --json summary "$p" --by "$by"; check "summary $by"
		cp "$W/out" "$W/before/summary-$p-$by.json"
	done
	admin export "$p" --format json -o "$W/before/export-$p.json"; check export
done
admin --json show lc-tamduong 2022-H1; check show; cp "$W/out" "$W/before/show.json"
admin --json show lc-tamduong 2022-H1 --revision 1; check show; cp "$W/out" "$W/before/show-1.json"
admin --json history lc-tamduong 2022-H1; check history; cp "$W/out" "$W/before/history.json"
stop_gpd

run "$GP_CLIENT" --outbox "$W/outbox.db" receipts --export "$receipt" \
    -o "$W/receipt.json" --report "$W/report.json"
check export-receipt

rm -rf "$OUT/before"
cp -r "$W/before" "$OUT/before"
cp "$W/receipt.json" "$W/report.json" "$OUT/"
cp "$W/pki/ca.crt" "$OUT/ca.crt"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
sqlite3 "$W/outbox.db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
cp "$DB" "$OUT/gp.db"
cp "$W/outbox.db" "$OUT/outbox.db"
ls -l "$OUT"
