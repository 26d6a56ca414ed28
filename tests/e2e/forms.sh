#!/bin/bash
# End-to-end tests of report forms (issue 14): a new year's form put into
# gpd's forms directory and reloaded serves the districts' template,
# validate and submit; a report with the new year's area is stored under
# its code and the summary prints the area's label; unknown codes are
# refused by field; 2022 keeps working; a reload that would take away a
# code stored reports use is refused, with the code and how many use it;
# a period without a form is refused; an old client's report is refused
# with "upgrade gp-client"; unit types, contacts and the form request.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/forms.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
FORM2023=$DATA/forms/2023.json
NEWAREA=dv_law_dissemination
NEWLABEL="Tuyên truyền, phổ biến Luật Phòng, chống bạo lực gia đình năm 2022"

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup forms openssl sqlite3 python3 timeout	# W, PORT, DB
e2e_pki lc-tamduong lc-sinho admin-test
write_rawclient
mkdir -p "$W/forms"
cat > "$W/units.conf" <<UNITS
[types]
district_federation = LĐLĐ huyện/thành phố
sector_union = Công đoàn ngành
commune_union = Công đoàn xã, phường

[lc-tamduong]
name = LĐLĐ huyện Tam Đường
type = district_federation
contact = Lò Thị Hương
phone = 0213 3875 214
email = nucong.tamduong@example.vn

[lc-sinho]
name = LĐLĐ huyện Sìn Hồ
type = commune_union
UNITS
e2e_gpd_conf "$W/gpd.conf" "forms = $W/forms" "[access] admins = admin-test"
# The district's configuration file: what fetches a form.
e2e_client_conf "$W/client.conf" lc-tamduong "outbox = $W/state/gp/outbox.db"

gpc() {	# NAME ARGS...
	client_as "$1" --outbox "$W/state/gp/outbox.db" --timeout 10 \
	    --retries 0 "${@:2}"
}
district() { run "$GP_CLIENT" -c "$W/client.conf" "$@"; }
# The same district with no configuration: offline.
offline() { run "$GP_CLIENT" "$@"; }
admin() { gpc admin-test "$@"; }

sha_of() { sha256sum | cut -d' ' -f1; }

test_check_config() {
	run "$GPD" -n -f "$W/gpd.conf"
	[ "$RC" -eq 0 ] || { fail "gpd -n: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'forms 2022' "$W/out" "$W/err" ||
	    { fail "gpd -n does not say the forms: $(cat "$W/out" "$W/err")"; return; }
	# A broken form: named by file and key, and refused.
	mkdir -p "$W/broken"
	python3 - "$FORM2023" "$W/broken/2023.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["areas"][2]["code"] = "Bad Code"
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
	sed "s|^forms = .*|forms = $W/broken|" "$W/gpd.conf" > "$W/broken.conf"
	run "$GPD" -n -f "$W/broken.conf"
	[ "$RC" -ne 0 ] || { fail "gpd -n took a broken form"; return; }
	grep -q "2023.json: areas\[2\].code" "$W/err" ||
	    fail "not named: $(cat "$W/err")"
}

test_no_form_2023_yet() {
	# Only 2022 is served: the district is told which years there are.
	district template --unit lc-tamduong --period 2023-H1
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "no form for 2023; the server has forms for 2022" "$W/err" ||
	    { fail "message: $(cat "$W/err")"; return; }
	offline template --unit lc-tamduong --period 2023-H1
	[ "$RC" -eq 65 ] || { fail "offline exit $RC"; return; }
	grep -q "no form for 2023 on this machine" "$W/err" ||
	    fail "offline message: $(cat "$W/err")"
}

test_reload_new_year() {
	cp "$FORM2023" "$W/forms/2023.json"
	gpd_reload 'reloaded conf=' ||
	    { fail "no reload line: $(tail -n 5 "$W/gpd.log")"; return; }
	grep 'reloaded conf=' "$W/gpd.log" | tail -n 1 | grep -q 'forms=2022,2023' ||
	    fail "reload line: $(grep 'reloaded conf=' "$W/gpd.log" | tail -n 1)"
}

test_template_2023() {
	district template --unit lc-tamduong --period 2023-H1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/t2023.json"
	# The 2023 form's: its new area with its label as the text, no law
	# review, 2023's dates.
	[ "$(jget "$W/t2023.json" '[a["area"] for a in r["activities"]][6]')" = "$NEWAREA" ] ||
	    { fail "no $NEWAREA: $(jget "$W/t2023.json" '[a["area"] for a in r["activities"]]')"; return; }
	grep -q "($NEWLABEL)" "$W/t2023.json" || { fail "no label as the guide text"; return; }
	grep -q '"law_review"' "$W/t2023.json" && { fail "a law review in 2023"; return; }
	[ "$(jget "$W/t2023.json" 'r["activities"][0]["date"][:4]')" = 2022 ] ||
	    { fail "dates: $(jget "$W/t2023.json" 'r["activities"][0]["date"]')"; return; }
	# Kept on this machine, named by its hash.
	ls "$W/state/gp/forms/2023-$(sha_of < <(python3 -c 'import json,sys
print(json.dumps(json.load(open(sys.argv[1],encoding="utf-8")),ensure_ascii=False,separators=(",",":"),sort_keys=True),end="")' "$FORM2023")).json" >/dev/null 2>&1 ||
	    { fail "not kept: $(ls "$W/state/gp/forms")"; return; }
}

test_validate_offline() {
	# A real report of 2023 with the new area; checked with no server.
	jmod "$W/t2023.json" "$W/r2023.json" '
r["reporter"] = {"name": "Lò Thị Hương", "position": "Phó Chủ tịch"}
r["activities"] = [a for a in r["activities"] if a["area"] == "dv_law_dissemination"]
a = r["activities"][0]
a.update({"title": "Tuyên truyền Luật Phòng, chống bạo lực gia đình",
    "location": "Hội trường LĐLĐ huyện", "date": "2023-03-15",
    "participants": 120, "female": 70, "audience": "members",
    "topic": "gbv_prevention"})
r["activities"].append({"area": "communication_training", "kind": "media",
    "occasion": "none", "status": "done", "date": "2023-04-02",
    "title": "Tin, bài và tờ rơi về bình đẳng giới", "location": "Huyện",
    "participants": 0, "female": 0, "outputs": {"articles": 12, "leaflets": 1500}})
r["narrative"] = {"results": "Tổ chức tuyên truyền Luật cho 120 đoàn viên."}
r.pop("plan", None)'
	offline validate "$W/r2023.json"
	[ "$RC" -eq 0 ] || { fail "validate: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	# The same file with a code no form has: refused by field.
	jmod "$W/r2023.json" "$W/bad2023.json" 'r["activities"][0]["area"] = "gender_equality_week"'
	offline validate "$W/bad2023.json"
	[ "$RC" -eq 65 ] || { fail "unknown area: exit $RC"; return; }
	grep -q "error: activities\[0\].area: unknown area 'gender_equality_week'; one of: policy_dissemination" "$W/out" "$W/err" ||
	    { fail "message: $(cat "$W/out" "$W/err")"; return; }
	# The new area is not 2022's.
	jmod "$W/r2023.json" "$W/bad2022.json" '
r["period"] = "2022-H1"
r["activities"][0]["date"] = "2022-03-15"'
	offline validate "$W/bad2022.json"
	[ "$RC" -eq 65 ] && grep -q "activities\[0\].area: unknown area '$NEWAREA'" "$W/out" "$W/err" ||
	    fail "2022 took the 2023 area: exit $RC $(cat "$W/out" "$W/err")"
}

test_submit_2023() {
	district submit "$W/r2023.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2023-H1 revision 1' "$W/out" ||
	    { fail "$(cat "$W/out")"; return; }
	[ "$(q "select area from activities a join reports r on r.id = a.report_id where r.period = '2023-H1' and a.idx = 0")" = "$NEWAREA" ] ||
	    { fail "stored area: $(q "select area from activities")"; return; }
	[ "$(q "select audience || ' ' || topic from activities a join reports r on r.id = a.report_id where r.period = '2023-H1' and a.idx = 0")" = "members gbv_prevention" ] ||
	    { fail "audience, topic not stored"; return; }
	# With the form it was checked against, kept by the server.
	[ "$(q "select lower(hex(form_sha256)) from reports where period = '2023-H1'")" = \
	    "$(q "select lower(hex(sha256)) from forms where year = 2023")" ] ||
	    fail "form not recorded"
}

test_summary_label() {
	admin summary 2023-H1 --by area
	[ "$RC" -eq 0 ] || { fail "summary: exit $RC: $(cat "$W/err")"; return; }
	grep -q "$NEWLABEL" "$W/out" || { fail "no label: $(cat "$W/out")"; return; }
	admin --json summary 2023-H1 --by area
	[ "$(jget "$W/out" '[x["label"] for x in r["rows"] if x["key"] == "dv_law_dissemination"][0]')" = "$NEWLABEL" ] ||
	    { fail "JSON: $(cat "$W/out")"; return; }
	# By status and by unit type (the registry's labels).
	admin --json summary 2023-H1 --by status
	[ "$(jget "$W/out" '[(x["key"], x["label"], x["done"]["activities"]) for x in r["rows"]]')" = \
	    "[[\"done\", \"\u0110\u00e3 th\u1ef1c hi\u1ec7n\", 2]]" ] ||
	    { fail "by status: $(cat "$W/out")"; return; }
	admin --json summary 2023-H1 --by type
	[ "$(jget "$W/out" '[(x["key"], x["label"], x["reports"]) for x in r["rows"]]')" = \
	    "[[\"district_federation\", \"L\u0110L\u0110 huy\u1ec7n/th\u00e0nh ph\u1ed1\", 1]]" ] ||
	    { fail "by type: $(cat "$W/out")"; return; }
	admin export 2023-H1 --format csv -o "$W/e2023.csv"
	grep -q "$NEWAREA.*$NEWLABEL" "$W/e2023.csv" || { fail "export: $(cat "$W/e2023.csv")"; return; }
	# Audience, topic and a media activity's output counts, by code and
	# (xlsx) by the form's labels.
	grep -q "members,Đoàn viên công đoàn,gbv_prevention," "$W/e2023.csv" ||
	    { fail "export: no audience and topic: $(cat "$W/e2023.csv")"; return; }
	grep -q ",articles=12 leaflets=1500" "$W/e2023.csv" ||
	    { fail "export: no outputs: $(cat "$W/e2023.csv")"; return; }
	admin export 2023-H1 --format xlsx -o "$W/e2023.xlsx"
	[ "$RC" -eq 0 ] || { fail "xlsx: exit $RC: $(cat "$W/err")"; return; }
	python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = "".join(z.read(n).decode("utf-8") for n in z.namelist()
    if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
sys.exit(0 if "Tin, bài: 12; Tờ rơi: 1500" in s and "Sản phẩm truyền thông" in s else 1)' "$W/e2023.xlsx" ||
	    fail "xlsx: no output counts by label"
}

test_server_refuses_unknown_code() {
	# Past gp-client's own checks: the server refuses it by field too.
	rawclient lc-tamduong submit-code lc-tamduong area gender_equality_week
	grep -q '^error 2 ' "$W/out" || { fail "$(cat "$W/out")"; return; }
	grep -q "^field activities\[0\].area: unknown area 'gender_equality_week'" "$W/out" ||
	    fail "$(cat "$W/out")"
}

test_2022_still_works() {
	gpc lc-tamduong submit --no-queue "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	[ "$(q "select lower(hex(form_sha256)) from reports where period = '2022-H1'")" = \
	    "$("$GP_CLIENT" form 2022 --json | tr -d '\n' | sha_of)" ] ||
	    fail "2022 report not recorded with the built-in form"
}

test_no_form_period() {
	rawclient lc-tamduong submit-period lc-tamduong 2031-H1
	grep -q "^field period: no form for 2031; the forms known are 2022, 2023" "$W/out" ||
	    fail "$(cat "$W/out")"
}

test_old_client_refused() {
	# Enums as numbers, as gp-client sent them before forms.
	rawclient lc-tamduong legacy lc-tamduong
	grep -q '^error 1 .*upgrade gp-client' "$W/out" || { fail "$(cat "$W/out")"; return; }
	[ "$(q "select count(*) from reports where period = '2022-H1' and unit = 'lc-tamduong'")" = 1 ] ||
	    fail "something was stored"
}

test_reload_refused_used_code() {
	local before
	before=$(sha_of < "$W/forms/2023.json")
	# 2023 without its new area, which a stored report uses.
	python3 - "$FORM2023" "$W/forms/2023.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["areas"] = [a for a in f["areas"] if a["code"] != "dv_law_dissemination"]
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
	gpd_reload 'reload refused' || { fail "no refusal: $(tail -n 5 "$W/gpd.log")"; return; }
	grep -q "reload refused: form 2023: areas $NEWAREA removed, but 1 stored report uses it" "$W/gpd.log" ||
	    { fail "log: $(grep 'reload refused' "$W/gpd.log" | tail -n 2)"; return; }
	gpd_alive || { fail "gpd died"; return; }
	# The old forms stay: the area is still served.
	district form 2023 --json
	grep -q "$NEWAREA" "$W/out" || { fail "the new form was taken"; return; }
	cp "$FORM2023" "$W/forms/2023.json"
	[ "$(sha_of < "$W/forms/2023.json")" = "$before" ] || fail "copy"
}

test_form_request() {
	district form 2023
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "as the server serves it" "$W/out" && grep -q "$NEWLABEL" "$W/out" ||
	    { fail "$(head -n 5 "$W/out")"; return; }
	district form 2031
	[ "$RC" -eq 65 ] && grep -q "no form for 2031; the server has forms for 2022, 2023" "$W/err" ||
	    fail "2031: exit $RC $(cat "$W/err")"
}

test_form_updated_refetched() {
	local before old
	before=$(ls "$W/state/gp/forms" | wc -l)
	# 2023 gains an area (allowed: stored reports lose nothing).
	python3 - "$FORM2023" "$W/forms/2023.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["areas"].append({"code": "worker_housing", "label": "Nhà ở cho công nhân"})
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
	gpd_reload 'reloaded conf=' || { fail "not reloaded: $(tail -n 3 "$W/gpd.log")"; return; }
	# The district's kept 2023 form lacks it: submit asks the server
	# again, once, and the report goes through.
	jmod "$W/r2023.json" "$W/r2023b.json" '
r["activities"] = r["activities"][:1]
r["activities"][0]["area"] = "worker_housing"
r["activities"][0]["title"] = "Khảo sát nhà ở công nhân"'
	offline validate "$W/r2023b.json"
	[ "$RC" -eq 65 ] || { fail "the kept form took it: exit $RC"; return; }
	district submit "$W/r2023b.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2023-H1 revision 2' "$W/out" ||
	    { fail "$(cat "$W/out")"; return; }
	[ "$(ls "$W/state/gp/forms" | wc -l)" -gt "$before" ] ||
	    { fail "the new form was not kept"; return; }
	# Both 2023 forms are in the database, each report with its own.
	[ "$(q "select count(*) from forms where year = 2023")" = 2 ] ||
	    { fail "forms kept: $(q "select count(*) from forms where year = 2023")"; return; }
	# The form revision 1 was checked against, no file's any more, is
	# still served by its SHA-256, from the database.
	old=$(q "select lower(hex(form_sha256)) from reports where period = '2023-H1' and revision = 1")
	rawclient lc-tamduong form-sha "$old"
	grep -q "^form 2023 $old [0-9]* bytes; years 2022,2023" "$W/out" ||
	    { fail "form by sha: $(cat "$W/out")"; return; }
	rawclient lc-tamduong form-sha "$(printf '%064d' 0)"
	grep -q "^form 0 - 0 bytes; years 2022,2023" "$W/out" ||
	    fail "no such form: $(cat "$W/out")"
}

test_units_types_contacts() {
	admin --json units
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" '[u["phone"] for u in r if u["code"] == "lc-tamduong"][0]')" = "0213 3875 214" ] ||
	    { fail "$(cat "$W/out")"; return; }
	[ "$(jget "$W/out" '[u["type_label"] for u in r if u["code"] == "lc-sinho"][0]')" = "Công đoàn xã, phường" ] ||
	    { fail "$(cat "$W/out")"; return; }
	admin units
	grep -q "nucong.tamduong@example.vn" "$W/out" || fail "table: $(cat "$W/out")"
	# A type the registry does not define: refused at reload.
	cp "$W/units.conf" "$W/units.good"
	printf '\n[lc-x]\nname = X\ntype = ward_union\n' >> "$W/units.conf"
	gpd_reload 'reload refused' || { fail "took an unknown type"; cp "$W/units.good" "$W/units.conf"; return; }
	grep 'reload refused' "$W/gpd.log" | tail -n 1 | grep -q "ward_union" ||
	    fail "log: $(grep 'reload refused' "$W/gpd.log" | tail -n 1)"
	cp "$W/units.good" "$W/units.conf"
}

t "gpd -n checks the forms, names a broken one by file and key" test_check_config
start_gpd "$W/gpd.conf"
t "before 2023.json: the years the server has" test_no_form_2023_yet
t "2023.json in the forms directory, SIGHUP: served" test_reload_new_year
t "template --period 2023-H1 from the 2023 form, kept by its hash" test_template_2023
t "validate offline with the kept form; unknown codes refused by field" test_validate_offline
t "a 2023 report with the new area is stored with its form" test_submit_2023
t "summary 2023-H1 --by area prints the new area's label" test_summary_label
t "the server refuses an unknown code by field" test_server_refuses_unknown_code
t "2022 reports keep working, with the built-in form" test_2022_still_works
t "a period without a form: INVALID naming the years" test_no_form_period
t "a report with the old numbers: upgrade gp-client" test_old_client_refused
t "a reload taking away a used code is refused, the old forms stay" test_reload_refused_used_code
t "gp-client form: as served, and a year the server lacks" test_form_request
t "a changed form: submit fetches it again and the report goes through" test_form_updated_refetched
t "units: types from [types], contact, phone and email" test_units_types_contacts
stop_gpd
summary
