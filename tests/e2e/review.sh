#!/bin/bash
# End-to-end tests of the province's review (issue 17): the real gpd with
# a throwaway PKI, the real gp-client. A report is returned with a
# comment, the unit sees it in 'status', sends a new revision (its
# receipt says it is back under review), the province accepts it, the
# unit's next revision is refused, reopen lets it in and it is accepted
# again; a decision on a revision no longer the latest is refused; a unit
# can neither review nor see another unit's status; a decision verifies
# with verify-receipt and an edited one does not; history shows the
# decisions between revisions; list, missing, summary and export say the
# review state, --accepted keeps the accepted reports only; missing
# --call-list lists whom to phone; 'status --remind' under a fixed clock
# (faketime) 8, 7, 1 and 0 days before a due date and after it, with
# notify-send where a desktop session exists; status answers in one
# request; gpd verify-audit checks the decisions in the chain.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/review.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
TAMDUONG=$DATA/lc-tamduong-2022-H1.json
SINHO=$DATA/lc-sinho-2022-H1.json

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup review openssl sqlite3 python3 timeout faketime	# W, PORT, DB
unset DISPLAY WAYLAND_DISPLAY
# libfaketime is preloaded into a sanitized gp-client: ASan must not
# insist on coming first.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

e2e_pki lc-tamduong lc-sinho lc-phongtho lc-nhamay admin-test

mkdir -p "$W/forms" "$W/bin"
write_form 2027 "$W/forms/2027.json"

cat > "$W/units.conf" <<UNITS
[lc-tamduong]
name = LĐLĐ huyện Tam Đường
type = district_federation
contact = Lò Thị Hoa
phone = 0213 3875 101
email = tamduong@example.vn

[lc-sinho]
name = LĐLĐ huyện Sìn Hồ
type = district_federation
contact = Vàng Thị Mai
phone = 0213 3870 202

[lc-phongtho]
name = LĐLĐ huyện Phong Thổ
type = district_federation
contact = Tẩn Thị Sử
phone = 0213 3894 303
email = phongtho@example.vn

[lc-nhamay]
name = CĐCS Nhà máy thủy điện
type = sector_union
valid_from = 2026-12-01
UNITS

e2e_gpd_conf "$W/gpd.conf" "forms = $W/forms" "[access] admins = admin-test" \
    "[access] contact = Ban Tuyên giáo – Nữ công, 0213 3876 543"

# A notify-send that writes down what it was asked to show.
cat > "$W/bin/notify-send" <<'SH'
#!/bin/sh
shift 2
printf '%s\n' "$*" >> "$NOTIFIED"
SH
chmod 755 "$W/bin/notify-send"
export NOTIFIED=$W/notified

for n in 2 3 4; do
	jmod "$TAMDUONG" "$W/rev$n.json" "r.pop('id', None)
r['narrative']['results'] += ' Bổ sung lần $n.'"
done

admin() { client_as admin-test "$@"; }
# Days from DATE to today in the federation's zone (UTC+07:00, without
# daylight saving time), as gpd counts them.
fed_days_since() {	# YYYY-MM-DD
	python3 -c 'import datetime, sys
now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
print((now.date() - datetime.date.fromisoformat(sys.argv[1])).days)' "$1"
}
state_of() {	# UNIT PERIOD: the state of the latest revision as stored
	q "SELECT COALESCE((SELECT v.state FROM reviews v WHERE v.unit = r.unit
	    AND v.period = r.period AND v.revision = r.revision ORDER BY v.id
	    DESC LIMIT 1), 'received') FROM reports r WHERE r.unit = '$1' AND
	    r.period = '$2' ORDER BY r.revision DESC LIMIT 1"
}
# gp-client as NAME at a fixed time (faketime).
client_at() {	# TIME NAME ARGS...
	local at=$1 name=$2
	shift 2
	run faketime "$at" "$GP_CLIENT" -s "127.0.0.1:$PORT" \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/$name.crt" \
	    --key "$W/pki/$name.key" "$@"
}

GPD_FLAGS=-v start_gpd "$W/gpd.conf"

# --- returned with a comment, seen by the unit -----------------------------

COMMENT="Thiếu số liệu hội viên nữ ở mục 2; bổ sung và gửi lại."

test_submit_received() {
	client_as lc-tamduong submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "submit exit $RC: $(cat "$W/err")"; return; }
	! grep -q "back under review" "$W/out" ||
	    { fail "a first revision is back under review: $(cat "$W/out")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = received ] ||
	    { fail "state $(state_of lc-tamduong 2022-H1)"; return; }
	admin list --period 2022-H1
	[ "$RC" -eq 0 ] && grep -q "lc-tamduong.*under review" "$W/out" ||
	    fail "list does not show the state: $(cat "$W/out" "$W/err")"
}

test_return_needs_comment() {
	admin review lc-tamduong 2022-H1 return
	[ "$RC" -eq 64 ] || { fail "exit $RC, not 64"; return; }
	grep -q "return needs --comment" "$W/err" ||
	    { fail "not said: $(cat "$W/err")"; return; }
	admin review lc-tamduong 2022-H1 return --comment "   "
	[ "$RC" -eq 64 ] || { fail "a blank comment: exit $RC"; return; }
	[ "$(q 'SELECT count(*) FROM reviews')" = 0 ] ||
	    fail "a decision was stored"
}

test_unit_cannot_review() {
	client_as lc-tamduong review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 77 ] || { fail "exit $RC, not 77: $(cat "$W/err")"; return; }
	[ "$(q 'SELECT count(*) FROM reviews')" = 0 ] ||
	    { fail "a unit's decision was stored"; return; }
	[ "$(q "SELECT count(*) FROM audit WHERE action = 'review' AND
	    result = 'refused' AND cn = 'lc-tamduong'")" = 1 ] ||
	    fail "the refusal is not in the audit"
}

test_return() {
	admin --json review lc-tamduong 2022-H1 return --comment "$COMMENT"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/returned.json"
	[ "$(jget "$W/out" 'r["kind"], r["state"], r["revision"], r["comment"]')" = \
	    "('decision', 'returned', 1, '$COMMENT')" ] ||
	    { fail "decision: $(cat "$W/out")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = returned ] ||
	    { fail "state $(state_of lc-tamduong 2022-H1)"; return; }
	[ "$(q "SELECT cn || '|' || comment FROM reviews")" = \
	    "admin-test|$COMMENT" ] || { fail "stored: $(q 'SELECT * FROM reviews')"; return; }
	# Chained: the audit entry holds the SHA-256 of the signed text.
	[ "$(q "SELECT count(*) FROM audit WHERE action = 'review' AND
	    result = 'return' AND content_hash IS NOT NULL")" = 1 ] ||
	    fail "no audit entry for the decision"
}

test_unit_sees_comment() {
	client_as lc-tamduong status 2022-H1
	[ "$RC" -eq 1 ] || { fail "exit $RC, not 1 (returned): $(cat "$W/err")"; return; }
	grep -q "returned" "$W/out" && grep -qF "$COMMENT" "$W/out" ||
	    { fail "status: $(cat "$W/out")"; return; }
	# Sent, then returned: to send again, not "past due".
	grep -q "^    due .* (returned: send it again); revision " "$W/out" &&
	    grep -qxF "1 report needs this unit: returned, to be sent again" "$W/out" &&
	    ! grep -q "past due\|due within" "$W/out" ||
	    { fail "status reason: $(cat "$W/out")"; return; }
	client_as lc-tamduong --json status
	[ "$RC" -eq 1 ] || { fail "--json exit $RC"; return; }
	[ "$(jget "$W/out" '[(p["review_state"], p["comments"][0]["comment"]) for p in r["periods"] if p["period"] == "2022-H1"][0]')" = \
	    "('returned', '$COMMENT')" ] ||
	    { fail "json: $(cat "$W/out")"; return; }
	[ "$(jget "$W/out" '[p["period"] for p in r["periods"]]')" = \
	    '["2022-H1", "2022", "2027-H1", "2027"]' ] ||
	    fail "periods: $(jget "$W/out" '[p["period"] for p in r["periods"]]')"
}

test_status_one_request() {
	local before after
	before=$(grep -c "request id=[0-9]* type=" "$W/gpd.log" || true)
	client_as lc-tamduong status
	[ "$RC" -eq 1 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	after=$(grep -c "request id=[0-9]* type=" "$W/gpd.log" || true)
	[ "$after" -eq $((before + 1)) ] ||
	    { fail "$((after - before)) requests for one status"; return; }
	[ "$(grep "request id=" "$W/gpd.log" | tail -1 | sed 's/.*type=//')" = status ] ||
	    fail "last request: $(grep "request id=" "$W/gpd.log" | tail -1)"
}

test_unit_cannot_see_other() {
	client_as lc-tamduong status --unit lc-sinho
	[ "$RC" -eq 77 ] || { fail "exit $RC, not 77: $(cat "$W/out")"; return; }
	! grep -q "Sìn Hồ" "$W/out" || fail "another unit's status was shown"
}

test_decision_verifies() {
	run "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt "$W/returned.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "verified: decision .* lc-tamduong 2022-H1 revision 1: returned by admin-test" "$W/out" ||
	    { fail "verdict: $(cat "$W/out")"; return; }
	for change in 'r["comment"] = "Đã đủ."' 'r["state"] = "accepted"' \
	    'r["revision"] = 2' 'r["decided_at"] = r["decided_at"].replace("T", "T0")[:20] + "Z"' \
	    'r["kind"] = "receipt"'; do
		jmod "$W/returned.json" "$W/edited.json" "$change"
		run "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt "$W/edited.json"
		[ "$RC" -eq 65 ] || { fail "edited ($change): exit $RC"; return; }
	done
}

test_resubmit_back_under_review() {
	client_as lc-tamduong submit "$W/rev2.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	# The receipt line, then the line saying so.
	grep -A1 "^accepted lc-tamduong 2022-H1 revision 2 " "$W/out" |
	    grep -q "^back under review" ||
	    { fail "receipt line: $(cat "$W/out")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = received ] ||
	    fail "state $(state_of lc-tamduong 2022-H1)"
}

test_stale_refused() {
	admin review lc-tamduong 2022-H1 accept --revision 1
	[ "$RC" -eq 65 ] || { fail "exit $RC, not 65"; return; }
	grep -q "revision 2 arrived after you read revision 1" "$W/err" ||
	    { fail "not said: $(cat "$W/err")"; return; }
	[ "$(q "SELECT count(*) FROM reviews WHERE action = 'accept'")" = 0 ] ||
	    fail "a stale decision was stored"
}

test_accept_latest() {
	admin review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "accepted lc-tamduong 2022-H1 revision 2 (the latest, read just now)" "$W/out" ||
	    { fail "confirmation: $(cat "$W/out")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = accepted ] ||
	    fail "state $(state_of lc-tamduong 2022-H1)"
}

# Regression: a report sent and accepted was shown years "past due", and
# an overdue one nothing was sent for "due within 7 days". (The
# certificates are made today: faketime goes forward only.)
test_status_overdue_only_unsent() {
	client_as lc-tamduong status 2022-H1
	[ "$RC" -eq 0 ] || { fail "accepted: exit $RC: $(cat "$W/out")"; return; }
	grep -q "^    due .* (sent); revision 2 .*; accepted$" "$W/out" &&
	    ! grep -q "past due\|needs this unit" "$W/out" ||
	    { fail "accepted: $(cat "$W/out")"; return; }
	client_as lc-phongtho status 2022-H1
	[ "$RC" -eq 1 ] || { fail "unsent: exit $RC: $(cat "$W/out")"; return; }
	grep -q "^    due .* ([0-9]* days past due); nothing sent yet$" "$W/out" &&
	    grep -qxF "1 report needs this unit: past its due date and not sent" "$W/out" ||
	    { fail "unsent: $(cat "$W/out")"; return; }
	client_at "2027-06-05 08:00:00" lc-phongtho status 2027-H1
	[ "$RC" -eq 1 ] &&
	    grep -qxF "1 report needs this unit: due within 7 days and not sent" "$W/out" ||
	    { fail "due soon: $(cat "$W/out")"; return; }
}

test_accepted_is_final() {
	client_as lc-tamduong submit "$W/rev3.json"
	[ "$RC" -eq 77 ] || { fail "exit $RC, not 77"; return; }
	grep -q "accepted by the province (revision 2)" "$W/err" ||
	    { fail "not said: $(cat "$W/err")"; return; }
	! grep -q "period is locked" "$W/err" ||
	    { fail "said to be a locked period: $(cat "$W/err")"; return; }
	[ "$(q "SELECT count(*) FROM reports WHERE unit = 'lc-tamduong'")" = 2 ] ||
	    { fail "a revision was stored"; return; }
	# The outbox keeps it, refused, for after a reopen.
	[ "$(q "SELECT count(*) FROM audit WHERE action = 'submit' AND
	    result = 'refused' AND detail LIKE 'report accepted%'")" = 1 ] ||
	    fail "the refusal is not in the audit"
}

test_period_lock_on_top() {
	admin lock 2022-H1
	[ "$RC" -eq 0 ] || { fail "lock exit $RC"; return; }
	client_as lc-tamduong submit "$W/rev4.json"
	[ "$RC" -eq 77 ] && grep -q "period 2022-H1 is locked" "$W/err" ||
	    { fail "exit $RC: $(cat "$W/err")"; return; }
	admin unlock 2022-H1
	[ "$RC" -eq 0 ] || fail "unlock exit $RC"
}

test_history_decisions() {
	admin history lc-tamduong 2022-H1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -E "^revision |^  (returned|accepted|reopened) by" "$W/out" |
	    sed 's/ at .*//; s/  receipt.*//' > "$W/order"
	printf '%s\n' "revision 1" "  returned by admin-test" "revision 2" \
	    "  accepted by admin-test" > "$W/want"
	diff -u "$W/want" "$W/order" > "$W/diff" ||
	    { fail "history: $(cat "$W/diff")"; return; }
	admin --json history lc-tamduong 2022-H1
	[ "$(jget "$W/out" '[[d["state"] for d in v["decisions"]] for v in r]')" = \
	    '[["returned"], ["accepted"]]' ] || fail "json: $(cat "$W/out")"
}

test_reopen_accept_again() {
	admin review lc-tamduong 2022-H1 reopen
	[ "$RC" -eq 64 ] || { fail "reopen without comment: exit $RC"; return; }
	admin review lc-tamduong 2022-H1 return --comment "x"
	[ "$RC" -eq 65 ] && grep -q "reopen it first" "$W/err" ||
	    { fail "return of an accepted report: exit $RC $(cat "$W/err")"; return; }
	admin review lc-tamduong 2022-H1 reopen --comment "Sai số người tham gia."
	[ "$RC" -eq 0 ] || { fail "reopen exit $RC: $(cat "$W/err")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = received ] ||
	    { fail "after reopen: $(state_of lc-tamduong 2022-H1)"; return; }
	client_as lc-tamduong submit "$W/rev3.json"
	[ "$RC" -eq 0 ] || { fail "submit after reopen: exit $RC $(cat "$W/err")"; return; }
	admin review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 0 ] && grep -q "revision 3" "$W/out" ||
	    { fail "accept again: exit $RC $(cat "$W/out" "$W/err")"; return; }
	[ "$(state_of lc-tamduong 2022-H1)" = accepted ] ||
	    fail "state $(state_of lc-tamduong 2022-H1)"
}

test_totals_by_state() {
	client_as lc-sinho submit "$SINHO"
	[ "$RC" -eq 0 ] || { fail "sinho submit $RC"; return; }
	admin review lc-sinho 2022-H1 return --comment "Ghi rõ địa điểm."
	[ "$RC" -eq 0 ] || { fail "return sinho $RC"; return; }
	admin summary 2022-H1
	[ "$RC" -eq 0 ] || { fail "summary exit $RC"; return; }
	grep -q "2 reports from 3 units expected; by review: 1 accepted, 1 returned, 0 under review" "$W/out" ||
	    { fail "summary: $(tail -2 "$W/out")"; return; }
	admin summary 2022-H1 --accepted
	grep -q "1 report from 3 units expected, accepted reports only; by review: 1 accepted, 0 returned, 0 under review" "$W/out" ||
	    { fail "summary --accepted: $(tail -2 "$W/out")"; return; }
	admin --json summary 2022-H1 --accepted
	[ "$(jget "$W/out" 'r["total"]["reports"], r["review"]["accepted"]')" = "(1, 1)" ] ||
	    { fail "json: $(cat "$W/out")"; return; }
	admin export 2022-H1 --accepted --format csv -o "$W/accepted.csv"
	[ "$RC" -eq 0 ] || { fail "export exit $RC: $(cat "$W/err")"; return; }
	grep -q "reports (accepted only) by review: 1 accepted, 0 returned, 0 under review" "$W/out" ||
	    { fail "export line: $(cat "$W/out")"; return; }
	! grep -q "lc-sinho" "$W/accepted.csv" && grep -q "lc-tamduong" "$W/accepted.csv" ||
	    { fail "export holds other reports"; return; }
	admin missing 2022-H1
	grep -q "lc-sinho .*returned" "$W/out" && grep -q "reports: 1 accepted, 1 returned, 0 under review" "$W/out" ||
	    fail "missing: $(cat "$W/out")"
}

test_call_list() {
	admin missing 2022-H1 --call-list --csv
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	# lc-nhamay is not expected for 2022; lc-tamduong is accepted.
	tr -d '\r' < "$W/out" > "$W/calls.csv"
	cut -d, -f1-3,6-8 "$W/calls.csv" > "$W/calls"
	printf '%s\n' "unit,name,status,contact,phone,email" \
	    "lc-phongtho,LĐLĐ huyện Phong Thổ,nothing yet,Tẩn Thị Sử,0213 3894 303,phongtho@example.vn" \
	    "lc-sinho,LĐLĐ huyện Sìn Hồ,returned,Vàng Thị Mai,0213 3870 202," > "$W/want"
	diff -u "$W/want" "$W/calls" > "$W/diff" ||
	    { fail "call list: $(cat "$W/diff")"; return; }
	# Days late to today in the federation's zone (UTC+07:00), the same
	# for both (one due date).
	days=$(fed_days_since 2022-06-10)
	[ "$(cut -d, -f4 "$W/calls.csv" | sed 1d | sort -u)" = "$days" ] ||
	    fail "days late: $(cut -d, -f4 "$W/calls.csv")"
}

test_call_list_sorted() {
	# Sorted by days late: a unit returned in another period is not in
	# this one's list; within ties, by unit.
	admin --json missing 2022-H1 --call-list
	[ "$RC" -eq 0 ] || { fail "exit $RC"; return; }
	[ "$(jget "$W/out" '[x["unit"] for x in r["rows"]]')" = \
	    '["lc-phongtho", "lc-sinho"]' ] || fail "json: $(cat "$W/out")"
}

# --- totals kept by the registry (issue 20) ---------------------------------

# missing's counts, the list's and --counts', as one line.
missing_counts() {	# [--counts]
	admin --json missing 2022-H1 "$@"
	[ "$RC" -eq 0 ] || { echo "exit $RC: $(cat "$W/err")"; return; }
	jget "$W/out" 'r["expected"], r["reported"], r["on_time"], r["review"]'
}
by_type() {	# TYPE: reports under it
	admin --json summary 2022-H1 --by type
	jget "$W/out" 'sum(x["reports"] for x in r["rows"] if x["key"] == "'"$1"'"), r["total"]["reports"], r["expected"]'
}
reload_units() {	# FILE
	local n
	cp "$1" "$W/units.conf"
	n=$(grep -c 'reloaded conf=' "$W/gpd.log" || true)
	kill -HUP "$GPD_PID"
	for _ in $(seq 100); do
		[ "$(grep -c 'reloaded conf=' "$W/gpd.log" || true)" -gt "$n" ] &&
		    return 0
		sleep 0.1
	done
	return 1
}

test_counts_follow_reload() {
	local list counts
	list=$(missing_counts)
	counts=$(missing_counts --counts)
	[ "$counts" = "$list" ] ||
	    { fail "missing --counts $counts, the list $list"; return; }
	admin missing 2022-H1 --counts
	grep -q "reported 2 of 3" "$W/out" && ! grep -q "lc-sinho" "$W/out" ||
	    { fail "missing --counts: $(cat "$W/out")"; return; }
	[ "$(by_type district_federation)" = "(2, 2, 3)" ] ||
	    { fail "by type before: $(by_type district_federation)"; return; }
	# lc-sinho becomes a sector union; lc-tamduong exists only from
	# 2023: not expected for 2022-H1 any more.
	cp "$W/units.conf" "$W/units.before"
	sed -e '/^\[lc-sinho\]/,/^$/s/^type = .*/type = sector_union/' \
	    -e '/^\[lc-tamduong\]/a valid_from = 2023-01-01' \
	    "$W/units.before" > "$W/units.after"
	reload_units "$W/units.after" ||
	    { fail "no reload: $(tail -3 "$W/gpd.log")"; return; }
	grep -q "registry: totals of 2 units moved" "$W/gpd.log" ||
	    { fail "the registry's change not followed: $(tail -3 "$W/gpd.log")"; return; }
	[ "$(by_type district_federation)" = "(1, 2, 2)" ] &&
	    [ "$(by_type sector_union)" = "(1, 2, 2)" ] ||
	    { fail "by type after: $(by_type district_federation) $(by_type sector_union)"; return; }
	list=$(missing_counts)
	counts=$(missing_counts --counts)
	[ "$counts" = "$list" ] && [ "$list" = "(2, 1, 0, {'received': 0, 'returned': 1, 'accepted': 0})" ] ||
	    { fail "after: missing --counts $counts, the list $list"; return; }
	run "$GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || { fail "verify-audit: $(cat "$W/out")"; return; }
	reload_units "$W/units.before" ||
	    { fail "no reload back: $(tail -3 "$W/gpd.log")"; return; }
	[ "$(missing_counts --counts)" = "$(missing_counts)" ] ||
	    fail "back: $(missing_counts --counts) against $(missing_counts)"
}

# The unit's extension (issue 15) is its due date in status and in the
# call list, which counts the days late from it; cleared, the form's again.
test_extension_in_status_and_calls() {
	local days
	admin extend lc-phongtho 2022-H1 --until 2022-06-20 --reason "lũ quét"
	[ "$RC" -eq 0 ] || { fail "extend: exit $RC: $(cat "$W/err")"; return; }
	admin --json missing 2022-H1 --call-list
	[ "$RC" -eq 0 ] || { fail "call list: exit $RC: $(cat "$W/err")"; return; }
	days=$(fed_days_since 2022-06-20)
	[ "$(jget "$W/out" 'tuple((x["unit"], x["due"], x["extended"], x["days_late"]) for x in r["rows"])')" = \
	    "(('lc-sinho', '2022-06-10', False, $((days + 10))), ('lc-phongtho', '2022-06-20', True, $days))" ] ||
	    { fail "call list: $(cat "$W/out")"; return; }
	admin missing 2022-H1 --call-list
	grep -q '^lc-phongtho .* 2022-06-20 ' "$W/out" ||
	    { fail "call list text: $(cat "$W/out")"; return; }
	client_as lc-phongtho --json status 2022-H1
	[ "$(jget "$W/out" '[(p["due"], p["extended"], p["days_left"]) for p in r["periods"]][0]')" = \
	    "('2022-06-20', True, -$days)" ] ||
	    { fail "status: $(cat "$W/out")"; return; }
	client_as lc-phongtho status 2022-H1
	grep -q "due 2022-06-20 (extended)" "$W/out" ||
	    { fail "status text: $(cat "$W/out")"; return; }
	admin --json status --unit lc-phongtho 2022-H1
	[ "$(jget "$W/out" '[(p["due"], p["extended"]) for p in r["periods"]][0]')" = \
	    "('2022-06-20', True)" ] ||
	    { fail "status of an administrator: $(cat "$W/out")"; return; }
	admin extend lc-phongtho 2022-H1 --clear
	[ "$RC" -eq 0 ] || { fail "clear: exit $RC: $(cat "$W/err")"; return; }
	client_as lc-phongtho --json status 2022-H1
	[ "$(jget "$W/out" '[(p["due"], p["extended"]) for p in r["periods"]][0]')" = \
	    "('2022-06-10', False)" ] ||
	    { fail "cleared: $(cat "$W/out")"; return; }
	admin --json missing 2022-H1 --call-list
	[ "$(jget "$W/out" 'tuple((x["unit"], x["due"], x["extended"]) for x in r["rows"])')" = \
	    "(('lc-phongtho', '2022-06-10', False), ('lc-sinho', '2022-06-10', False))" ] ||
	    fail "cleared call list: $(cat "$W/out")"
}

test_verify_audit() {
	run "$GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || { fail "verify-audit exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "^reviews: 5 decisions checked" "$W/out" ||
	    { fail "decisions not checked: $(cat "$W/out")"; return; }
	# A comment edited with the sqlite3 shell: the chain no longer
	# covers the decision.
	sqlite3 "$DB" ".backup '$W/edited.db'"
	sqlite3 "$W/edited.db" "UPDATE reviews SET comment = 'Đã đủ.' WHERE
	    unit = 'lc-sinho'"
	sed "s#^database = .*#database = $W/edited.db#" "$W/gpd.conf" \
	    > "$W/edited.conf"
	run "$GPD" -f "$W/edited.conf" verify-audit
	[ "$RC" -ne 0 ] && grep -q "decision .*(lc-sinho 2022-H1 revision 1): not recorded in the audit chain" "$W/out" ||
	    fail "an edited comment passes: exit $RC $(cat "$W/out")"
}

# --- reminders under a fixed clock ------------------------------------------

# lc-nhamay exists from 2026-12-01: only the 2027 periods are its; the
# 6-month report of 2027 is due 2027-06-10.
remind_at() {	# DATE
	rm -f "$NOTIFIED"
	PATH=$W/bin:$PATH DISPLAY=:99 client_at "$1 08:00:00" lc-nhamay status --remind
}

test_remind_8_days() {
	remind_at 2027-06-02
	[ "$RC" -eq 0 ] || { fail "exit $RC, not 0: $(cat "$W/out" "$W/err")"; return; }
	[ ! -s "$W/out" ] || { fail "not silent: $(cat "$W/out")"; return; }
	[ ! -e "$NOTIFIED" ] || fail "notified: $(cat "$NOTIFIED")"
}

test_remind_7_days() {
	remind_at 2027-06-03
	[ "$RC" -eq 1 ] || { fail "exit $RC, not 1: $(cat "$W/err")"; return; }
	[ "$(cat "$W/out")" = "Báo cáo 6 tháng đầu năm 2027 hạn nộp 10/6, còn 7 ngày" ] ||
	    { fail "said: $(cat "$W/out")"; return; }
	[ "$(cat "$NOTIFIED" 2>/dev/null)" = "$(cat "$W/out")" ] ||
	    fail "notify-send: $(cat "$NOTIFIED" 2>/dev/null)"
}

test_remind_1_day() {
	remind_at 2027-06-09
	[ "$RC" -eq 1 ] && [ "$(cat "$W/out")" = "Báo cáo 6 tháng đầu năm 2027 hạn nộp 10/6, còn 1 ngày" ] ||
	    fail "exit $RC: $(cat "$W/out")"
}

test_remind_0_days() {
	remind_at 2027-06-10
	[ "$RC" -eq 1 ] && [ "$(cat "$W/out")" = "Báo cáo 6 tháng đầu năm 2027 hạn nộp 10/6, hôm nay là hạn cuối" ] ||
	    fail "exit $RC: $(cat "$W/out")"
}

test_remind_late() {
	remind_at 2027-06-13
	[ "$RC" -eq 1 ] && [ "$(cat "$W/out")" = "Báo cáo 6 tháng đầu năm 2027 hạn nộp 10/6, đã quá hạn 3 ngày" ] ||
	    fail "exit $RC: $(cat "$W/out")"
}

test_remind_no_desktop() {
	rm -f "$NOTIFIED"
	PATH=$W/bin:$PATH client_at "2027-06-09 08:00:00" lc-nhamay status --remind
	[ "$RC" -eq 1 ] || { fail "exit $RC"; return; }
	[ ! -e "$NOTIFIED" ] || fail "notify-send without a desktop session"
}

test_remind_sent_and_returned() {
	# Sent: nothing due any more. Returned: a reminder with the comment.
	# Its activities planned (gpd's clock is today's, not the fixed one).
	jmod "$TAMDUONG" "$W/nhamay.json" "r.pop('id', None)
r['unit'] = 'lc-nhamay'; r['period'] = '2027-H1'
for a in r['activities']:
    a['date'] = '2027-03-01'
    a['status'] = 'planned'
    a.pop('end_date', None)"
	client_at "2027-06-05 08:00:00" lc-nhamay submit "$W/nhamay.json"
	[ "$RC" -eq 0 ] || { fail "submit exit $RC: $(cat "$W/out" "$W/err")"; return; }
	remind_at 2027-06-09
	[ "$RC" -eq 0 ] && [ ! -s "$W/out" ] ||
	    { fail "after sending: exit $RC $(cat "$W/out")"; return; }
	admin review lc-nhamay 2027-H1 return --comment "Bổ sung chữ ký."
	[ "$RC" -eq 0 ] || { fail "return exit $RC"; return; }
	remind_at 2027-06-09
	[ "$RC" -eq 1 ] && [ "$(cat "$W/out")" = "Báo cáo 6 tháng đầu năm 2027 bị trả lại: Bổ sung chữ ký." ] ||
	    fail "returned: exit $RC $(cat "$W/out")"
}

test_remind_units() {
	grep -q '^ExecStart=/usr/bin/gp-client .* status --remind$' \
	    "$ROOT/systemd/gp-client-remind.service" &&
	    grep -q '^SuccessExitStatus=1$' \
	    "$ROOT/systemd/gp-client-remind.service" ||
	    { fail "the service does not run status --remind with exit 1 as success"; return; }
	grep -q '^OnCalendar=' "$ROOT/systemd/gp-client-remind.timer" ||
	    { fail "the timer is not daily"; return; }
	if ! command -v systemd-analyze >/dev/null; then
		echo "# systemd-analyze missing: units not verified"
		return 0
	fi
	mkdir -p "$W/units" "$W/run" "$W/man/man1"
	chmod 700 "$W/run"
	cp "$ROOT/client/gp-client.1" "$W/man/man1/"
	cp "$ROOT/systemd/gp-client-remind.timer" "$W/units/"
	sed "s#/usr/bin/gp-client#$GP_CLIENT#" \
	    "$ROOT/systemd/gp-client-remind.service" \
	    >"$W/units/gp-client-remind.service"
	RC=0
	(cd "$W/units" && MANPATH=$W/man XDG_RUNTIME_DIR=$W/run \
	    timeout 30 systemd-analyze --user verify \
	    ./gp-client-remind.timer ./gp-client-remind.service) \
	    >"$W/out" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] && [ ! -s "$W/out" ] ||
	    fail "systemd-analyze verify: exit $RC: $(cat "$W/out")"
}

t "a new report is received, under review" test_submit_received
t "return without a comment: exit 64" test_return_needs_comment
t "a unit cannot review (77), refusal audited" test_unit_cannot_review
t "return with a comment: stored, chained, signed" test_return
t "the unit sees the comment in status (exit 1)" test_unit_sees_comment
t "status is one request" test_status_one_request
t "a unit cannot see another unit's status (77)" test_unit_cannot_see_other
t "a decision verifies; an edited one does not" test_decision_verifies
t "resubmit: the receipt says back under review" test_resubmit_back_under_review
t "a stale decision is refused (65)" test_stale_refused
t "accept the latest revision read just before" test_accept_latest
t "status: past due only when nothing was sent, with its reason" test_status_overdue_only_unsent
t "an accepted report refuses a new revision (FINAL)" test_accepted_is_final
t "a period lock still applies on top" test_period_lock_on_top
t "history shows decisions between revisions" test_history_decisions
t "reopen with a comment, resubmit, accept again" test_reopen_accept_again
t "summary, export, missing by review state; --accepted" test_totals_by_state
t "missing --call-list: whom to phone, CSV" test_call_list
t "the call list sorted" test_call_list_sorted
t "by type and missing's counts follow a reload's registry" test_counts_follow_reload
t "an extension: status and the call list count from it" test_extension_in_status_and_calls
t "gpd verify-audit passes with decisions" test_verify_audit
t "remind 8 days before: silent, exit 0" test_remind_8_days
t "remind 7 days before: exit 1, notify-send" test_remind_7_days
t "remind 1 day before" test_remind_1_day
t "remind on the due date" test_remind_0_days
t "remind after the due date" test_remind_late
t "no desktop session: no notify-send" test_remind_no_desktop
t "sent: nothing due; returned: reminded with the comment" test_remind_sent_and_returned
t "the daily reminder's user units" test_remind_units

summary
