#!/bin/bash
# The main job, end to end on one machine: a throwaway CA with server, unit
# and admin certificates, gpd on a temporary SQLite database, the sample
# reports of three Lai Châu units submitted with gp-client, a duplicate, the
# receipts kept, a report refused for another unit and one refused as
# invalid, the stored rows, the same units' reports of the year before, the
# province's report of 2022-H1 drafted by gp-report (kept in BUILD/demo/),
# a clean stop, and the lines of gpd's log that tell what happened. Exits 0
# only when every step did what it should.
#
# usage: scripts/demo.sh [BUILD]     (BUILD holds gpd, gp-client, gp-report)
#        KEEP=1 keeps the working directory (gpd.log, gp.db, the PKI).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD;; esac
DATA=$ROOT/tests/data

"$ROOT/scripts/deps.sh"

for f in "$BUILD/gpd" "$BUILD/gp-client" "$BUILD/gp-report"; do
	if [ ! -x "$f" ]; then
		echo "demo: $f is not built: run make (or make demo)" >&2
		exit 1
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-demo.XXXXXX")
# gp-client keeps receipts and its outbox here, not in the home.
export XDG_STATE_HOME=$W/state
GPD_PID=
cleanup() {
	if [ -n "$GPD_PID" ]; then
		kill "$GPD_PID" 2>/dev/null || true
		wait "$GPD_PID" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "demo: kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

FAILED=0
STEPS=0

heading() {
	printf '\n== %s\n' "$*"
}

# Runs a command, shows it and what it printed (indented), and checks its
# exit status against WANT.
expect() {	# WANT SHOWN-COMMAND COMMAND...
	local want=$1 shown=$2 rc=0
	shift 2
	STEPS=$((STEPS + 1))
	printf '\n  $ %s\n' "$shown"
	"$@" >"$W/out" 2>&1 </dev/null || rc=$?
	sed 's/^/    /' "$W/out"
	if [ "$rc" -eq "$want" ]; then
		printf '  -> exit %d, as expected\n' "$rc"
	else
		printf '  -> FAILED: exit %d, expected %d\n' "$rc" "$want"
		FAILED=$((FAILED + 1))
	fi
	return 0
}

# Checks that the output of the last command matches a pattern.
expect_output() {	# EXTENDED-REGEX WHAT
	STEPS=$((STEPS + 1))
	if ! grep -Eq "$1" "$W/out"; then
		printf '  -> FAILED: %s\n' "$2"
		FAILED=$((FAILED + 1))
	fi
}

# gp-client as a unit, run in the working directory (data/ is the
# repository's tests/data) so that the command shown is the command run.
PORT=
submit_as() {	# WANT CERT-NAME REPORT
	local want=$1 name=$2 report
	report=data/$(basename "$3")
	local opts="-s 127.0.0.1:$PORT --ca pki/ca.crt --cert pki/$name.crt"
	opts="$opts --key pki/$name.key"
	# shellcheck disable=SC2086
	expect "$want" "gp-client $opts submit $report" \
	    env -C "$W" "$BUILD/gp-client" $opts submit "$report"
}

sample() {	# UNIT
	local f
	for f in "$DATA/$1"-2022-H1.json "$DATA/$1"-*.json; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
	echo "demo: no sample report for $1 in $DATA" >&2
	exit 1
}

TAMDUONG=$(sample lc-tamduong)
SINHO=$(sample lc-sinho)
GIAODUC=$(sample lc-nganh-giaoduc)
INVALID=$DATA/invalid-report.json

heading "1. A throwaway PKI: a CA, the server, three units and an administrator"
printf '\n  $ scripts/pki.sh pki lc-tamduong lc-sinho lc-nganh-giaoduc admin-demo\n'
"$ROOT/scripts/pki.sh" "$W/pki" lc-tamduong lc-sinho lc-nganh-giaoduc \
    admin-demo
ln -s "$DATA" "$W/data"
for c in ca server lc-tamduong lc-sinho lc-nganh-giaoduc admin-demo; do
	printf '    pki/%-22s %-20s %s\n' "$c.crt" \
	    "$(openssl x509 -in "$W/pki/$c.crt" -noout -subject \
	    -nameopt RFC2253 | sed 's/^subject=//')" \
	    "$(openssl x509 -in "$W/pki/$c.crt" -noout -ext \
	    extendedKeyUsage,basicConstraints 2>/dev/null |
	    grep -E 'Authentication|CA:TRUE' | sed 's/^ *//; s/CA:TRUE/certificate authority/')"
done

heading "2. gpd: the sample configuration and unit registry on a temporary database"
# The built-in 2022 form, and one for 2021 made from it (the year before,
# for the report's comparison).
mkdir -p "$W/forms"
python3 - "$ROOT/etc/forms/2022.json" "$W/forms/2021.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["year"] = 2021
f["title"] = f["title"].replace("2022", "2021")
for p in f["periods"].values():
    p["label"] = p["label"].replace("2022", "2021")
    for k in ("from", "to", "due", "planned_until"):
        p[k] = str(int(p[k][:4]) - 1) + p[k][4:]
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False,
          indent=1)
PY
printf '    forms/2021.json: the 2022 form a year earlier, for the year before\n'
PORT=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
# etc/gpd.conf with this machine's paths; etc/units.conf and etc/forms
# as shipped.
sed -e "s|^listen = .*|listen = 127.0.0.1:$PORT|" \
    -e "s|^database = .*|database = $W/gp.db|" \
    -e "s|^units = .*|units = $ROOT/etc/units.conf|" \
    -e "s|^forms = .*|forms = $W/forms|" \
    -e "s|^certificate = .*|certificate = $W/pki/server.crt|" \
    -e "s|^key = .*|key = $W/pki/server.key|" \
    -e "s|^client_ca = .*|client_ca = $W/pki/ca.crt|" \
    -e "s|^#crl = .*|crl = $W/pki/crl.pem|" \
    -e "s|^admins =.*|admins = admin-demo|" \
    "$ROOT/etc/gpd.conf" > "$W/gpd.conf"
expect 0 "gpd -n -f gpd.conf" env -C "$W" "$BUILD/gpd" -n -f gpd.conf

printf '\n  $ gpd -f gpd.conf 2>gpd.log &\n'
(cd "$W" && exec "$BUILD/gpd" -f gpd.conf 2>gpd.log) &
GPD_PID=$!
# Listening: a LISTEN socket on the port in /proc/net/tcp (probing with a
# connection would leave a failed handshake in the log).
up=0
for _ in $(seq 100); do
	kill -0 "$GPD_PID" 2>/dev/null || break
	if grep -qi ":$(printf %04X "$PORT") 00000000:0000 0A" /proc/net/tcp; then
		up=1
		break
	fi
	sleep 0.1
done
if [ "$up" -ne 1 ]; then
	echo "demo: gpd did not start:" >&2
	sed 's/^/  /' "$W/gpd.log" >&2
	exit 1
fi
printf '    listening on 127.0.0.1:%s (pid %s)\n' "$PORT" "$GPD_PID"

heading "3. Three units submit their 6-month reports (2022-H1)"
due=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["periods"]["H1"]["due"])' \
    "$ROOT/etc/forms/2022.json")
printf '\n  The sample reports are for 2022-H1, whose reports were due on %s\n' \
    "$due"
printf '  (the 2022 form, etc/forms/2022.json; gp-client form 2022 prints it).\n'
printf '  Sent today, years later, each is accepted but marked late: "late" on\n'
printf '  its receipt line, and gpd'"'"'s warning under it says by how many days.\n'
submit_as 0 lc-tamduong "$TAMDUONG"
expect_output '^accepted lc-tamduong .* revision 1 receipt ' "no receipt for lc-tamduong"
submit_as 0 lc-sinho "$SINHO"
expect_output '^accepted lc-sinho .* revision 1 receipt ' "no receipt for lc-sinho"
submit_as 0 lc-nganh-giaoduc "$GIAODUC"
expect_output '^accepted lc-nganh-giaoduc .* revision 1 receipt ' \
    "no receipt for lc-nganh-giaoduc"

heading "4. The same report sent again: a duplicate, the first receipt, nothing stored twice"
submit_as 0 lc-tamduong "$TAMDUONG"
expect_output 'duplicate' "not reported as a duplicate"

heading "5. The receipts kept on this machine (gp-client receipts)"
printf '\n  Each receipt is signed by gpd and kept by gp-client beside the report\n'
printf '  it covers; verify-receipt proves it offline, receipts --export writes\n'
printf '  one out, named by its first 8 digits or more.\n'
expect 0 "gp-client receipts" env -C "$W" "$BUILD/gp-client" receipts
expect_output 'lc-nganh-giaoduc +2022-H1 +1 +[0-9a-f]{32} +late' \
    "the receipt of lc-nganh-giaoduc is not listed"
first=$(sed -n 's/.*lc-tamduong  *2022-H1  *1  *\([0-9a-f]\{8\}\).*/\1/p' "$W/out" |
    head -n 1)
expect 0 "gp-client receipts --export $first -o bien-nhan.json" \
    env -C "$W" "$BUILD/gp-client" receipts --export "$first" -o bien-nhan.json
expect 0 "gp-client --ca pki/ca.crt verify-receipt bien-nhan.json data/$(basename "$TAMDUONG")" \
    env -C "$W" "$BUILD/gp-client" --ca pki/ca.crt verify-receipt \
    bien-nhan.json "data/$(basename "$TAMDUONG")"

heading "6. Sìn Hồ's certificate sends Tam Đường's report: permission denied"
submit_as 77 lc-sinho "$TAMDUONG"

heading "7. A report with errors: refused, every error named by its field"
invalid_unit=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1], encoding="utf-8")).get("unit") or "lc-tamduong")' \
    "$INVALID")
[ -f "$W/pki/$invalid_unit.crt" ] || invalid_unit=lc-tamduong
submit_as 65 "$invalid_unit" "$INVALID"

heading "8. The province asks, with the administrator's certificate"
admin() {	# WANT ARGS...
	local want=$1 opts="-s 127.0.0.1:$PORT --ca pki/ca.crt"
	shift
	opts="$opts --cert pki/admin-demo.crt --key pki/admin-demo.key"
	# shellcheck disable=SC2086
	expect "$want" "gp-client $opts $*" env -C "$W" "$BUILD/gp-client" \
	    $opts "$@"
}
admin 0 list --period 2022-H1
expect_output 'lc-tamduong' "lc-tamduong missing from the list"
admin 0 missing 2022-H1
expect_output 'lc-tamduong' "lc-tamduong missing from missing"
admin 0 summary 2022-H1 --by area
admin 0 show lc-sinho 2022-H1
admin 0 audit
expect_output 'refused' "the refusal is not in the audit"
admin 0 export 2022-H1 --format csv -o export-2022-H1.csv
STEPS=$((STEPS + 1))
if [ "$(head -c 3 "$W/export-2022-H1.csv" | od -An -tx1 | tr -d ' ')" != efbbbf ]; then
	printf '  -> FAILED: the CSV export has no UTF-8 byte order mark\n'
	FAILED=$((FAILED + 1))
fi
printf '\n  A unit may not ask for the province'"'"'s overview:\n'
expect 77 "gp-client ... --cert pki/lc-sinho.crt missing 2022-H1" \
    env -C "$W" "$BUILD/gp-client" -s "127.0.0.1:$PORT" --ca pki/ca.crt \
    --cert pki/lc-sinho.crt --key pki/lc-sinho.key missing 2022-H1

heading "9. What the database holds"
sql() {
	printf '\n  $ sqlite3 gp.db "%s"\n' "$(echo "$1" | tr -s '\n\t ' ' ')"
	sqlite3 -header -column "$W/gp.db" "$1" | sed 's/^/    /'
}
sql "select r.unit, r.period, r.revision, substr(r.receipt, 1, 12) as receipt,
    (select count(*) from activities a where a.report_id = r.id) as activities,
    (select coalesce(sum(participants), 0) from activities a
      where a.report_id = r.id) as participants,
    (select coalesce(sum(female), 0) from activities a
      where a.report_id = r.id) as women,
    case r.late when 1 then 'late' else '' end as late
    from reports r order by r.id"
sql "select datetime(at, 'unixepoch') as at, cn, action, unit, period,
    result, substr(fingerprint, 1, 16) as fingerprint from audit
    order by id"
STEPS=$((STEPS + 1))
rows=$(sqlite3 "$W/gp.db" "select count(*) from reports")
if [ "$rows" -ne 3 ]; then
	printf '  -> FAILED: %s reports stored, expected 3\n' "$rows"
	FAILED=$((FAILED + 1))
fi
STEPS=$((STEPS + 1))
denied=$(sqlite3 "$W/gp.db" "select count(*) from audit where cn = 'lc-sinho'
    and unit = 'lc-tamduong'")
if [ "$denied" -lt 1 ]; then
	printf '  -> FAILED: the refused report is not in the audit table\n'
	FAILED=$((FAILED + 1))
fi

heading "10. The year before (2021-H1), then the province's report of 2022-H1"
# The same units' reports a year earlier: dates moved back a year, fewer
# people and members, no law review (the 2021 reports did not have it).
mkdir -p "$W/2021"
for f in "$TAMDUONG" "$SINHO" "$GIAODUC"; do
	python3 - "$f" "$W/2021/$(basename "$f" | sed 's/2022-H1/2021-H1/')" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["period"] = "2021-H1"
r.pop("id", None)
r.pop("law_review", None)
for a in r["activities"]:
    for k in ("date", "end_date"):
        if k in a:
            a[k] = str(int(a[k][:4]) - 1) + a[k][4:]
    if a.get("participants"):
        a["participants"] = a["participants"] * 4 // 5
        a["female"] = min(a["participants"], a.get("female", 0) * 4 // 5)
for v in r.get("indicators", {}).values():
    v["total"] = v["total"] * 9 // 10
    if "female" in v:
        v["female"] = min(v["total"], v["female"] * 9 // 10)
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False,
          indent=1)
PY
done
for u in lc-tamduong lc-sinho lc-nganh-giaoduc; do
	opts="-s 127.0.0.1:$PORT --ca pki/ca.crt --cert pki/$u.crt --key pki/$u.key"
	# shellcheck disable=SC2086
	expect 0 "gp-client $opts submit 2021/$u-2021-H1.json" \
	    env -C "$W" "$BUILD/gp-client" $opts submit "2021/$u-2021-H1.json"
done
admin 0 summary 2022-H1 --by area --compare 2021-H1
expect_output 'only in|Tổng cộng' "no comparison"
REPORT_DIR=$BUILD/demo
mkdir -p "$REPORT_DIR"
rm -f "$REPORT_DIR/bao-cao-2022-H1.docx"
admin 0 report 2022-H1 -o "$REPORT_DIR/bao-cao-2022-H1.docx"
expect_output 'compared with 2021-H1' "the report is not compared with 2021-H1"
STEPS=$((STEPS + 1))
if ! python3 - "$REPORT_DIR/bao-cao-2022-H1.docx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
doc = z.read("word/document.xml").decode("utf-8")
sys.exit(not ("BÁO CÁO" in doc and "LĐLĐ huyện Tam Đường" in doc and
              any(n.startswith("word/media/") for n in z.namelist())))
PY
then
	printf '  -> FAILED: the report lacks its title, a unit or its charts\n'
	FAILED=$((FAILED + 1))
fi

heading "11. Stopping gpd"
printf '\n  $ kill -TERM %s\n' "$GPD_PID"
STEPS=$((STEPS + 1))
kill -TERM "$GPD_PID"
for _ in $(seq 100); do
	kill -0 "$GPD_PID" 2>/dev/null || break
	sleep 0.1
done
rc=0
if kill -0 "$GPD_PID" 2>/dev/null; then
	kill -KILL "$GPD_PID"
	rc=-1
fi
wait "$GPD_PID" || rc=$?
GPD_PID=
if [ "$rc" -eq -1 ]; then
	printf '  -> FAILED: gpd still running 10 s after SIGTERM\n'
	FAILED=$((FAILED + 1))
elif [ "$rc" -eq 0 ]; then
	printf '    gpd exited 0\n'
else
	printf '  -> FAILED: gpd exited %d\n' "$rc"
	FAILED=$((FAILED + 1))
fi
# The lines that tell what happened: start, each report's fate, each
# refusal, the audit chain's head, the stop; not each connection's opening
# and closing (gpd.log has them all; KEEP=1 keeps it).
printf "\n  gpd's log, the lines that tell what happened:\n"
grep -v ' established \| closed reason=' "$W/gpd.log" | sed 's/^/    /'
STEPS=$((STEPS + 1))
if ! grep -Eq 'unit="?lc-sinho"? period="?2022-H1"? revision=1 result=accepted late=1' \
    "$W/gpd.log" || ! grep -q 'result=refused' "$W/gpd.log"; then
	printf '  -> FAILED: the log does not tell what happened\n'
	FAILED=$((FAILED + 1))
fi

echo
if [ -s "$REPORT_DIR/bao-cao-2022-H1.docx" ]; then
	echo "The province's report of 2022-H1, drafted by gp-report for the office to edit:"
	echo "  $REPORT_DIR/bao-cao-2022-H1.docx"
	echo "  (open it with LibreOffice Writer or Word; soffice --headless --convert-to pdf makes a PDF)"
	echo
fi
if [ "$FAILED" -ne 0 ]; then
	echo "demo: $FAILED of $STEPS checks FAILED"
	exit 1
fi
echo "demo: all $STEPS checks passed"
