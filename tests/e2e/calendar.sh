#!/bin/bash
# End-to-end tests of the calendar (issue 15), under a fixed clock: gpd
# and gp-client run under libfaketime (Debian's faketime) at 01:00 in Lai
# Châu on a day boundary and the night after a deadline, with a PKI valid
# from 2020. The day of submission and lateness are the federation's
# (Asia/Ho_Chi_Minh), not the UTC day; times are shown with their offset
# and signed in UTC; an extension moves one unit's due date, and what was
# stored keeps its lateness whatever changes after (extension cleared,
# the form's due date moved); missing tells the first revision from the
# latest; an activity across the end of the coverage is done in the
# period it started in; a planned activity in the past is questioned;
# every error of a file at once; history says what changed in the text;
# an older report sent again is a duplicate that names the latest
# revision, and --as-new makes it the latest once; a conflict is audited.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/calendar.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup calendar openssl sqlite3 python3 timeout faketime	# W, PORT, DB
# gpd runs on the clock through the wrapper $W/gpd-at (below).
REAL_GPD=$GPD

# Certificates valid from 2020: the fixed clock is in 2022.
PKI_START=20200101000000Z e2e_pki lc-tamduong lc-sinho lc-phongtho \
    admin-test
mkdir -p "$W/forms"
e2e_units lc-tamduong lc-sinho lc-phongtho
e2e_gpd_conf "$W/gpd.conf" "forms = $W/forms" "[access] admins = admin-test"

# The clock: a UTC time that gpd and gp-client start at and run on from.
# libfaketime reads it in the process's TZ, which is therefore UTC; gpd
# and gp-client take their zone from their configuration, not from TZ.
# The monotonic clock stays real: libevent's timers run on it. The library
# is preloaded as the faketime command does, not through that command,
# which forks and would leave gpd running when the test stops it; after
# the sanitizers' runtime where a build has one, which must come first.
CLOCK=$W/clock
FAKETIME_LIB='/usr/$LIB/faketime/libfaketimeMT.so.1'
at() {	# "YYYY-MM-DD HH:MM:SS" (UTC)
	echo "@$1" > "$CLOCK"
}
preload() {	# PROGRAM: the LD_PRELOAD it runs on the clock with
	local asan
	asan=$(ldd "$1" | awk '$1 ~ /^libasan\.so/ { print $3 }')
	echo "${asan:+$asan:}$FAKETIME_LIB"
}
faked() {	# PROGRAM ARGS...
	env TZ=UTC FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
	    FAKETIME="$(cat "$CLOCK")" LD_PRELOAD="$(preload "$1")" "$@"
}
env FAKETIME="@2022-11-29 18:00:00" LD_PRELOAD="$FAKETIME_LIB" date -u +%F |
    grep -qx 2022-11-29 ||
    { echo "e2e: $FAKETIME_LIB does not fake the clock" >&2; exit 1; }
cat > "$W/gpd-at" <<SH
#!/bin/sh
exec env TZ=UTC FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \\
    FAKETIME="\$(cat "$CLOCK")" LD_PRELOAD='$(preload "$REAL_GPD")' \\
    "$REAL_GPD" "\$@"
SH
chmod +x "$W/gpd-at"
GPD=$W/gpd-at

# gpd at the clock's time, restarted.
gpd_at() {	# "YYYY-MM-DD HH:MM:SS" (UTC)
	stop_gpd
	at "$1"
	start_gpd "$W/gpd.conf"
}

# gp-client on the fixed clock as NAME, its state (outbox, kept zone) in
# $STATE, reading the configuration file $CONF when set.
STATE=$W/state
CONF=
gpc() {	# NAME ARGS...
	local name=$1
	shift
	RC=0
	timeout 30 env TZ=UTC FAKETIME_NO_CACHE=1 \
	    FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME="$(cat "$CLOCK")" \
	    LD_PRELOAD="$(preload "$GP_CLIENT")" "$GP_CLIENT" \
	    ${CONF:+-c "$CONF"} -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/$name.crt" --key "$W/pki/$name.key" \
	    --outbox "$STATE/gp/outbox.db" --timeout 10 --retries 0 "$@" \
	    >"$W/out" 2>"$W/err" </dev/null || RC=$?
}
admin() { gpc admin-test "$@"; }

# A report of UNIT for PERIOD with one done activity dated DATE (and
# END), written to OUT; EXTRA is Python run on r before it is written.
mkrep() {	# UNIT PERIOD DATE END OUT [EXTRA]
	python3 - "$@" <<'PY'
import json, sys
unit, period, day, end, out = sys.argv[1:6]
extra = sys.argv[6] if len(sys.argv) > 6 else ""
a = {"area": "communication_training", "kind": "talk",
     "occasion": "none", "status": "done", "date": day,
     "title": "Nói chuyện chuyên đề bình đẳng giới",
     "location": "Hội trường", "sessions": 1, "participants": 40,
     "female": 25}
if end != "-":
    a["end_date"] = end
r = {"unit": unit, "period": period,
     "reporter": {"name": "Lò Thị Hương", "position": "Trưởng ban"},
     "activities": [a],
     "indicators": {"members": {"total": 1200, "female": 600}},
     "narrative": {"results": "Hoàn thành kế hoạch của kỳ báo cáo."}}
exec(extra)
json.dump(r, open(out, "w", encoding="utf-8"), ensure_ascii=False,
          indent=1)
PY
}

R=$W/reports
mkdir -p "$R"

# --- the zone ------------------------------------------------------------

test_config_zone() {
	run "$REAL_GPD" -n -f "$W/gpd.conf"
	[ "$RC" -eq 0 ] || { fail "gpd -n: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'time zone Asia/Ho_Chi_Minh' "$W/out" ||
	    { fail "gpd -n: $(cat "$W/out")"; return; }
	sed 's|^\[server\]|[server]\ntimezone = Asia/Nowhere|' "$W/gpd.conf" > "$W/bad.conf"
	run "$REAL_GPD" -n -f "$W/bad.conf"
	[ "$RC" -ne 0 ] || { fail "an unknown zone was taken"; return; }
	grep -q 'time zone Asia/Nowhere: .* does not exist' "$W/err" ||
	    { fail "not named: $(cat "$W/err")"; return; }
	sed 's|^\[server\]|[server]\ntimezone = ../etc/passwd|' "$W/gpd.conf" > "$W/bad.conf"
	run "$REAL_GPD" -n -f "$W/bad.conf"
	grep -q 'timezone = ../etc/passwd: not the name of a time zone' "$W/err" ||
	    { fail "a path taken for a zone: $(cat "$W/err")"; return; }
	# Without the tz database, the federation's zone is known anyway,
	# and said so.
	mkdir -p "$W/no-tzdata"
	RC=0
	TZDIR=$W/no-tzdata "$REAL_GPD" -n -f "$W/gpd.conf" >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 0 ] || { fail "no tzdata: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'taken as UTC+07:00 (the tz database, package tzdata, is not installed)' "$W/err" ||
	    fail "no tzdata: not said: $(cat "$W/err")"
}

# 01:00 on 30 November in Lai Châu is still the 29th in UTC: an activity
# done that day is not "after the day of submission".
test_day_boundary() {
	local n
	gpd_at "2022-11-29 18:00:00" || { fail "gpd does not start"; return; }
	mkrep lc-tamduong 2022 2022-11-30 - "$R/tamduong-2022.json"
	gpc lc-tamduong validate "$R/tamduong-2022.json"
	[ "$RC" -eq 0 ] || { fail "validate: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	n=$(log_count 'established .* cn="lc-tamduong" ')
	gpc lc-tamduong submit "$R/tamduong-2022.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	# The zone came with the receipt: one connection, one request.
	[ "$(log_count 'established .* cn="lc-tamduong" ')" -eq $((n + 1)) ] &&
	    [ "$(grep 'closed .* cn="lc-tamduong" ' "$W/gpd.log" | tail -n 1 |
	    sed 's/.* requests=//')" = 1 ] ||
	    { fail "more than one request: $(tail -n 4 "$W/gpd.log")"; return; }
	# Shown with its offset, signed in UTC.
	grep -q '^accepted lc-tamduong 2022 revision 1 .* received 2022-11-30 01:00 +07:00$' "$W/out" ||
	    { fail "receipt line: $(cat "$W/out")"; return; }
	gpc lc-tamduong --json submit "$R/tamduong-2022.json"
	[ "$(jget "$W/out" 'r["received_at"][:17]')" = "2022-11-29T18:00:" ] ||
	    { fail "receipt JSON: $(cat "$W/out")"; return; }
	# The zone is kept for the runs that ask the server nothing.
	[ "$(cat "$W/state/gp/timezone")" = Asia/Ho_Chi_Minh ] ||
	    { fail "zone not kept: $(cat "$W/state/gp/timezone" 2>&1)"; return; }
	# Told the UTC day, as gp-client did before, the same file is
	# refused: the zone is what makes it right.
	printf '[client]\ntimezone = UTC\n' > "$W/utc.conf"
	RC=0
	XDG_STATE_HOME=$W/utc-state faked "$GP_CLIENT" -c "$W/utc.conf" \
	    validate "$R/tamduong-2022.json" >"$W/out" 2>"$W/err" || RC=$?
	[ "$RC" -eq 65 ] || { fail "UTC: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'after the day of submission 2022-11-29' "$W/err" ||
	    fail "UTC: $(cat "$W/err")"
}

# The server's zone wins over the configuration's: heard with a form, or
# by doctor's whoami, it is kept, and the next run that asks the server
# nothing tells the day by it.
test_zone_from_server() {
	local cmd
	for cmd in form doctor; do
		rm -rf "$W/zone-state"
		mkdir -p "$W/zone-state/gp"
		STATE=$W/zone-state CONF=$W/utc.conf
		if [ "$cmd" = form ]; then
			gpc lc-tamduong form 2022
			[ "$RC" -eq 0 ] || { fail "form: exit $RC: $(cat "$W/err")"; break; }
		else
			gpc lc-tamduong doctor
		fi
		[ "$(cat "$W/zone-state/gp/timezone" 2>&1)" = Asia/Ho_Chi_Minh ] ||
		    { fail "$cmd: zone not kept: $(cat "$W/zone-state/gp/timezone" "$W/out" "$W/err" 2>&1)"; break; }
		gpc lc-tamduong validate "$R/tamduong-2022.json"
		[ "$RC" -eq 0 ] ||
		    { fail "$cmd, then validate: exit $RC: $(cat "$W/err")"; break; }
	done
	STATE=$W/state CONF=
}

# The night after the due date, 01:00 on 11 June in Lai Châu, is still
# 10 June in UTC: late by one day. 23:30 on the 10th is on time.
test_deadline() {
	mkrep lc-tamduong 2022-H1 2022-03-08 - "$R/tamduong-h1.json"
	mkrep lc-sinho 2022-H1 2022-03-08 - "$R/sinho-h1.json"
	gpd_at "2022-06-10 16:30:00" || { fail "gpd does not start"; return; }
	gpc lc-tamduong submit "$R/tamduong-h1.json"
	[ "$RC" -eq 0 ] || { fail "on time: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'late' "$W/out" && { fail "23:30 is late: $(cat "$W/out")"; return; }
	gpd_at "2022-06-10 18:00:00" || { fail "gpd does not start"; return; }
	gpc lc-sinho submit "$R/sinho-h1.json"
	[ "$RC" -eq 0 ] || { fail "late: exit $RC: $(cat "$W/err")"; return; }
	grep -q "received 2022-06-11 01:00 +07:00  late" "$W/out" ||
	    { fail "not late: $(cat "$W/out")"; return; }
	grep -q "warning: period: late: due 2022-06-10, submitted 2022-06-11 (1 day late)" "$W/out" ||
	    { fail "no late warning: $(cat "$W/out")"; return; }
	[ "$(q "select late || days_late || due from reports where unit = 'lc-sinho' and period = '2022-H1'")" = "112022-06-10" ] ||
	    fail "stored: $(q "select late, days_late, due from reports where unit = 'lc-sinho'")"
}

# --- extensions and lateness kept ------------------------------------------

test_extend() {
	admin extend lc-phongtho 2022-H1 --until 2022-06-20 --reason "Lũ quét ngày 8/6"
	[ "$RC" -eq 0 ] || { fail "extend: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'lc-phongtho 2022-H1: due 2022-06-20 now, extended from the form.s 2022-06-10' "$W/out" ||
	    { fail "extend: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from audit where action = 'extend' and unit = 'lc-phongtho' and cn = 'admin-test' and detail = 'until 2022-06-20: Lũ quét ngày 8/6'")" = 1 ] ||
	    { fail "not audited: $(q "select * from audit where action = 'extend'")"; return; }
	admin --json missing 2022-H1
	[ "$(jget "$W/out" '[[x["due"], x["extended_until"], x["extension_reason"]] for x in r["rows"] if x["unit"] == "lc-phongtho"][0]')" = \
	    '["2022-06-20", "2022-06-20", "L\u0169 qu\u00e9t ng\u00e0y 8/6"]' ] ||
	    { fail "missing --json: $(cat "$W/out")"; return; }
	admin missing 2022-H1
	grep -q '^lc-phongtho .*nothing yet.*2022-06-20 *until 2022-06-20: Lũ quét ngày 8/6' "$W/out" ||
	    { fail "missing: $(cat "$W/out")"; return; }
	# On the 15th, on time against its extension.
	mkrep lc-phongtho 2022-H1 2022-03-08 - "$R/phongtho-h1.json"
	gpd_at "2022-06-14 18:00:00" || { fail "gpd does not start"; return; }
	gpc lc-phongtho submit "$R/phongtho-h1.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'late' "$W/out" && { fail "late despite the extension: $(cat "$W/out")"; return; }
	admin list --period 2022-H1
	grep -q '^lc-phongtho .*on time (extended) ' "$W/out" ||
	    { fail "list: $(cat "$W/out")"; return; }
	admin --csv list --period 2022-H1
	grep -q '^lc-phongtho,.*,on time (extended to 2022-06-20),' "$W/out" ||
	    { fail "list --csv: $(cat "$W/out")"; return; }
	admin --json list --period 2022-H1
	[ "$(jget "$W/out" '[[x["late"], x["due"], x["extended"]] for x in r if x["unit"] == "lc-phongtho"][0]')" = \
	    '[false, "2022-06-20", true]' ] ||
	    { fail "list --json: $(cat "$W/out")"; return; }
	# Refused: a date before the form's, a unit's certificate, a code
	# the registry does not know, both or neither of --until, --clear.
	admin extend lc-phongtho 2022-H1 --until 2022-06-05
	[ "$RC" -eq 65 ] || { fail "before the due date: exit $RC"; return; }
	grep -q 'is not after the due date 2022-06-10' "$W/err" || { fail "$(cat "$W/err")"; return; }
	gpc lc-phongtho extend lc-phongtho 2022-H1 --until 2022-06-30
	[ "$RC" -eq 77 ] || { fail "a unit extends: exit $RC"; return; }
	admin extend lc-nowhere 2022-H1 --until 2022-06-30
	[ "$RC" -eq 65 ] || { fail "unknown unit: exit $RC"; return; }
	grep -q 'lc-nowhere is not in the unit registry' "$W/err" || { fail "$(cat "$W/err")"; return; }
	admin extend lc-phongtho 2022-H1 --until 2022-06-30 --clear
	[ "$RC" -eq 64 ] || { fail "--until and --clear: exit $RC"; return; }
	admin extend lc-phongtho 2022-H1
	[ "$RC" -eq 64 ] || fail "neither: exit $RC"
}

# Changing the extension or the form's due date after the fact changes
# nothing list, missing, history or a receipt say of what was stored.
test_lateness_kept() {
	local before_list before_missing before_history
	admin --json list --period 2022-H1
	before_list=$(jget "$W/out" '[(x["unit"], x["late"], x["days_late"], x["due"], x["extended"]) for x in r]')
	admin --json missing 2022-H1
	before_missing=$(jget "$W/out" '[(x["unit"], x["status"], x["days_late"], x["first_extended"]) for x in r["rows"]]')
	admin --json history lc-phongtho 2022-H1
	before_history=$(jget "$W/out" '[(x["late"], x["days_late"], x["due"], x["extended"]) for x in r]')
	case "$before_list" in
	*'"lc-sinho", true, 1, "2022-06-10", false'*) ;;
	*) fail "before: $before_list"; return ;;
	esac
	case "$before_missing" in
	*'"lc-phongtho", "on_time", 0, true'*) ;;
	*) fail "before: $before_missing"; return ;;
	esac
	[ "$before_history" = '[[false, 0, "2022-06-20", true]]' ] ||
	    { fail "before: $before_history"; return; }
	admin extend lc-phongtho 2022-H1 --clear
	[ "$RC" -eq 0 ] || { fail "clear: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'extension until 2022-06-20 cleared' "$W/out" || { fail "clear: $(cat "$W/out")"; return; }
	[ "$(q "select count(*) from audit where action = 'extend' and unit = 'lc-phongtho' and result = 'done' and detail = 'cleared extension until 2022-06-20'")" = 1 ] ||
	    { fail "clear not audited: $(q "select result, detail from audit where action = 'extend'")"; return; }
	admin extend lc-sinho 2022-H1 --until 2022-06-30
	[ "$RC" -eq 0 ] || { fail "extend lc-sinho: exit $RC"; return; }
	# The 2022 form's H1 due date moved to the 30th, reloaded.
	python3 - "$ROOT/etc/forms/2022.json" "$W/forms/2022.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["periods"]["H1"]["due"] = "2022-06-30"
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
	gpd_reload 'reloaded conf=' || { fail "no reload: $(tail -n 3 "$W/gpd.log")"; return; }
	admin --json list --period 2022-H1
	[ "$(jget "$W/out" '[(x["unit"], x["late"], x["days_late"], x["due"], x["extended"]) for x in r]')" = "$before_list" ] ||
	    { fail "list changed: $(cat "$W/out")"; return; }
	admin --json missing 2022-H1
	[ "$(jget "$W/out" '[(x["unit"], x["status"], x["days_late"], x["first_extended"]) for x in r["rows"]]')" = "$before_missing" ] ||
	    { fail "missing changed: $(cat "$W/out")"; return; }
	# The unit's due date now is the form's new one, or its extension.
	[ "$(jget "$W/out" '[x["due"] for x in r["rows"]]')" = \
	    '["2022-06-30", "2022-06-30", "2022-06-30"]' ] ||
	    { fail "due now: $(cat "$W/out")"; return; }
	admin --json history lc-phongtho 2022-H1
	[ "$(jget "$W/out" '[(x["late"], x["days_late"], x["due"], x["extended"]) for x in r]')" = "$before_history" ] ||
	    { fail "history changed: $(cat "$W/out")"; return; }
	# The receipt, asked again, says what it said.
	gpc lc-sinho submit "$R/sinho-h1.json"
	grep -q '^duplicate lc-sinho 2022-H1 revision 1 .*  late' "$W/out" ||
	    { fail "receipt: $(cat "$W/out")"; return; }
	grep -q "warning: period: late: due 2022-06-10, submitted 2022-06-11 (1 day late)" "$W/out" ||
	    fail "receipt warning: $(cat "$W/out")"
	rm -f "$W/forms/2022.json"
	gpd_reload 'reloaded conf=' || fail "no reload"
}

# missing: the first revision's time and lateness, the latest's number
# and time, in columns of their own.
test_missing_columns() {
	mkrep lc-phongtho 2022-H1 2022-03-09 - "$R/phongtho-h1-2.json"
	gpd_at "2022-06-20 02:00:00" || { fail "gpd does not start"; return; }
	gpc lc-phongtho submit "$R/phongtho-h1-2.json"
	grep -q "revision 2 .*received 2022-06-20 09:00 +07:00" "$W/out" ||
	    { fail "submit: $(cat "$W/out")"; return; }
	admin missing 2022-H1
	head -n 1 "$W/out" | grep -q 'unit .*name .*first received .*timeliness .*latest rev .*latest received .*due' ||
	    { fail "header: $(head -n 1 "$W/out")"; return; }
	grep -q '^lc-phongtho .*2022-06-15 01:00 +07:00 .*on time (extended) *2  2022-06-20 09:00 +07:00 ' "$W/out" ||
	    { fail "row: $(cat "$W/out")"; return; }
	admin --json missing 2022-H1
	# JSON: RFC 3339 with the federation's offset.
	[ "$(jget "$W/out" '[[x["received_at"][:16] + x["received_at"][19:], x["status"], x["revision"], x["latest_received_at"][:16] + x["latest_received_at"][19:]] for x in r["rows"] if x["unit"] == "lc-phongtho"][0]')" = \
	    '["2022-06-15T01:00+07:00", "on_time", 2, "2022-06-20T09:00+07:00"]' ] ||
	    fail "JSON: $(cat "$W/out")"
}

# export: each activity with its report's lateness, the first revision's
# as missing tells it (lc-phongtho's second revision came after its
# extension's day): on time or late, the days, the due date it was judged
# by and, when that was the unit's extension, that date again.
test_export_lateness() {
	local want
	admin export 2022-H1 --format csv -o "$W/e.csv"
	[ "$RC" -eq 0 ] || { fail "csv: exit $RC: $(cat "$W/err")"; return; }
	want='lc-phongtho 2022-06-15T01:00+07:00 on_time 0 2022-06-20 2022-06-20
lc-sinho 2022-06-11T01:00+07:00 late 1 2022-06-10 -
lc-tamduong 2022-06-10T23:30+07:00 on_time 0 2022-06-10 -'
	[ "$(python3 - "$W/e.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
seen = set()
for r in rows:
    line = "%s %s %s %s %s %s" % (r["unit"], r["first_received_at"][:16] +
        r["first_received_at"][19:], r["timeliness"], r["days_late"],
        r["due"], r["extended_due"] or "-")
    if line not in seen:
        seen.add(line)
        print(line)
PY
)" = "$want" ] || { fail "csv: $(cat "$W/e.csv")"; return; }
	admin export 2022-H1 --format json -o "$W/e.json"
	[ "$RC" -eq 0 ] || { fail "json: exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/e.json" 'sorted(set((x["unit"], x["timeliness"], x["days_late"], x["due"], x["extended_due"]) for x in r))')" = \
	    '[["lc-phongtho", "on_time", 0, "2022-06-20", "2022-06-20"], ["lc-sinho", "late", 1, "2022-06-10", null], ["lc-tamduong", "on_time", 0, "2022-06-10", null]]' ] ||
	    fail "json: $(cat "$W/e.json")"
}

# --- what a report may say -----------------------------------------------------

# The action month, 15/11 to 15/12, crosses the end of the annual
# coverage: done in the report of the year it started in, with its real
# dates. A planned activity dated before today is questioned.
test_across_and_planned() {
	gpd_at "2022-12-15 18:00:00" || { fail "gpd does not start"; return; }
	mkrep lc-sinho 2022 2022-11-15 2022-12-15 "$R/sinho-2022.json" '
a = dict(r["activities"][0])
a.update(status="planned", date="2022-12-10", title="Giao lưu văn nghệ")
del a["end_date"]
r["activities"][0]["occasion"] = "action_month"
r["activities"].append(a)'
	gpc lc-sinho submit "$R/sinho-2022.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "warning: activities\[1\].date: planned activity dated 2022-12-10, before the day of submission 2022-12-16: was it done?" "$W/out" ||
	    { fail "no question: $(cat "$W/out")"; return; }
	# Stored in the year it started in, with its real dates; what show
	# sums is done apart from planned.
	[ "$(q "select a.date || ' ' || a.end_date from activities a join reports r on r.id = a.report_id where r.unit = 'lc-sinho' and r.period = '2022' and a.status = 'done'")" = "2022-11-15 2022-12-15" ] ||
	    { fail "stored: $(q "select a.* from activities a join reports r on r.id = a.report_id where r.unit = 'lc-sinho' and r.period = '2022'")"; return; }
	admin show lc-sinho 2022
	grep -q '^Done: activities 1 · sessions 1 · participants 40 · women 25$' "$W/out" &&
	    grep -q '^Planned: activities 1 · sessions 1 · participants 40 · women 25$' "$W/out" ||
	    { fail "show adds planned into done: $(cat "$W/out")"; return; }
	# The federation's words, from the catalogue.
	GP_LANGUAGE=vi admin show lc-sinho 2022
	grep -q '^Đã thực hiện: 1 hoạt động · 1 buổi · 40 người tham gia · 25 nữ$' "$W/out" &&
	    grep -q '^Ước thực hiện: 1 hoạt động · 1 buổi · 40 người tham gia · 25 nữ$' "$W/out" ||
	    fail "show in Vietnamese: $(cat "$W/out")"
}

# Every error of a file at once: a figure of the wrong type, an unknown
# area, a period that is not one, more women than participants and an
# empty narrative.
test_all_errors() {
	mkrep lc-sinho 2022-H3 2022-03-08 - "$R/bad.json" '
a = r["activities"][0]
a["area"] = "no_such_area"
a["female"] = 41
a["sessions"] = "two"
r["narrative"]["results"] = ""'
	gpc lc-sinho validate "$R/bad.json"
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	for f in 'activities\[0\].sessions: must be' 'period: not a period' \
	    "activities\[0\].area: unknown area 'no_such_area'" \
	    'activities\[0\].female: 41 women among 40' \
	    'narrative.results: required'; do
		grep -q "error: $f" "$W/err" ||
		    { fail "not named: $f: $(cat "$W/err")"; return; }
	done
	grep -q '(5 errors)' "$W/err" || fail "count: $(cat "$W/err")"
}

# A done activity with nothing to show is refused, unless it is a media
# activity with its output counts; gpd stores that one.
test_done_with_nothing() {
	mkrep lc-phongtho 2022 2022-10-20 - "$R/phongtho-2022.json" '
a = r["activities"][0]
a.update(kind="media", sessions=0, participants=0, female=0)'
	gpc lc-phongtho validate "$R/phongtho-2022.json"
	[ "$RC" -eq 65 ] || { fail "media without outputs: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'error: activities\[0\].outputs: a done activity with no sessions, no participants and no output counts' "$W/err" ||
	    { fail "media without outputs: $(cat "$W/err")"; return; }
	jmod "$R/phongtho-2022.json" "$R/talk-nothing.json" '
r["activities"][0]["kind"] = "talk"'
	gpc lc-phongtho validate "$R/talk-nothing.json"
	[ "$RC" -eq 65 ] || { fail "talk: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'error: activities\[0\].sessions: 0 sessions' "$W/err" ||
	    { fail "talk: $(cat "$W/err")"; return; }
	jmod "$R/phongtho-2022.json" "$R/media-outputs.json" '
r["activities"][0]["outputs"] = {"articles": 12}'
	gpc lc-phongtho submit "$R/media-outputs.json"
	[ "$RC" -eq 0 ] || { fail "media with outputs: exit $RC: $(cat "$W/err")"; return; }
	[ "$(q "select count(*) from reports where unit = 'lc-phongtho' and period = '2022'")" = 1 ] ||
	    fail "not stored"
}

# --- revisions ---------------------------------------------------------------

test_history_text() {
	mkrep lc-sinho 2022-H1 2022-03-15 - "$R/sinho-h1-2.json" '
r["activities"][0]["title"] = "Nói chuyện chuyên đề về Luật Bình đẳng giới"
r["narrative"]["results"] = "Hoàn thành vượt kế hoạch của kỳ báo cáo."'
	gpc lc-sinho submit "$R/sinho-h1-2.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	admin history lc-sinho 2022-H1
	[ "$RC" -eq 0 ] || { fail "history: exit $RC: $(cat "$W/err")"; return; }
	for want in "no change in the figures" \
	    "changed activities[0].date: 2022-03-08 → 2022-03-15" \
	    "changed activities[0].title: Nói chuyện chuyên đề bình đẳng giới → Nói chuyện chuyên đề về Luật Bình đẳng giới" \
	    "changed narrative.results: Hoàn thành kế hoạch của kỳ báo cáo. → Hoàn thành vượt kế hoạch của kỳ báo cáo."; do
		grep -qF "$want" "$W/out" || { fail "no '$want': $(cat "$W/out")"; return; }
	done
}

# An older report sent again: a duplicate that names the latest
# revision. --as-new makes it the latest, once however often it is run.
test_resend_and_as_new() {
	local id3 rows
	# lc-sinho: revision 1 is sinho-h1, revision 2 sinho-h1-2.
	gpc lc-sinho submit "$R/sinho-h1.json"
	[ "$RC" -eq 0 ] || { fail "resend: exit $RC"; return; }
	grep -q '^duplicate lc-sinho 2022-H1 revision 1 ' "$W/out" &&
	    grep -q 'the latest revision is still 2' "$W/out" ||
	    { fail "resend: $(cat "$W/out")"; return; }
	gpc lc-sinho --json submit "$R/sinho-h1.json"
	[ "$(jget "$W/out" '[r["duplicate"], r["revision"], r["latest_revision"]]')" = '[true, 1, 2]' ] ||
	    { fail "resend --json: $(cat "$W/out")"; return; }
	gpc lc-sinho submit --as-new "$R/sinho-h1.json"
	[ "$RC" -eq 0 ] || { fail "--as-new: exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-sinho 2022-H1 revision 3 ' "$W/out" ||
	    { fail "--as-new: $(cat "$W/out")"; return; }
	id3=$(q "select submission_id from reports where unit = 'lc-sinho' and period = '2022-H1' and revision = 3")
	[ "$id3" != "$(q "select submission_id from reports where unit = 'lc-sinho' and period = '2022-H1' and revision = 1")" ] ||
	    { fail "--as-new kept the id"; return; }
	# Run again (a receipt lost on the way): the same revision.
	gpc lc-sinho submit --as-new "$R/sinho-h1.json"
	grep -q '^duplicate lc-sinho 2022-H1 revision 3 ' "$W/out" ||
	    { fail "--as-new again: $(cat "$W/out")"; return; }
	rows=$(q "select count(*) from reports where unit = 'lc-sinho' and period = '2022-H1'")
	[ "$rows" = 3 ] || { fail "$rows revisions after --as-new twice"; return; }
	# Another revision over it, then the first report again: new again.
	gpc lc-sinho submit --as-new "$R/sinho-h1-2.json"
	grep -q '^accepted lc-sinho 2022-H1 revision 4 ' "$W/out" ||
	    { fail "--as-new of the second: $(cat "$W/out")"; return; }
	gpc lc-sinho submit --as-new "$R/sinho-h1.json"
	grep -q '^accepted lc-sinho 2022-H1 revision 5 ' "$W/out" ||
	    { fail "--as-new over revision 4: $(cat "$W/out")"; return; }
	[ "$(q "select submission_id from reports where unit = 'lc-sinho' and period = '2022-H1' and revision = 5")" != "$id3" ] ||
	    fail "revision 5 has revision 3's id"
}

# The same id with other content: refused and on record, with the unit.
test_conflict_audited() {
	jmod "$R/sinho-h1.json" "$R/sinho-conflict.json" '
r["id"] = "9a4b7c2d-1e3f-4a5b-8c6d-7e8f9a0b1c2d"'
	gpc lc-sinho submit "$R/sinho-conflict.json"
	[ "$RC" -eq 0 ] || { fail "first: exit $RC: $(cat "$W/err")"; return; }
	jmod "$R/sinho-conflict.json" "$R/sinho-conflict-2.json" '
r["activities"][0]["participants"] = 41'
	gpc lc-sinho submit --no-queue "$R/sinho-conflict-2.json"
	[ "$RC" -eq 65 ] || { fail "conflict: exit $RC: $(cat "$W/err")"; return; }
	[ "$(q "select count(*) from audit where action = 'submit' and result = 'refused' and unit = 'lc-sinho' and period = '2022-H1' and detail like 'conflict:%' and content_hash is not null")" = 1 ] ||
	    fail "not audited: $(q "select action, result, unit, detail from audit order by id desc limit 3")"
}

test_verify_audit() {
	stop_gpd
	run "$REAL_GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || fail "verify-audit: exit $RC: $(cat "$W/out" "$W/err")"
}

t "gpd.conf timezone: named, checked, known without tzdata" test_config_zone
t "01:00 on 30 November in Lai Châu: the day of submission is the 30th" test_day_boundary
t "the server's zone, heard with a form or by doctor, wins over the configuration's" test_zone_from_server
t "01:00 the night after the due date: late by one day; 23:30 on time" test_deadline
t "extend: a unit's due date moved, shown, refused when wrong" test_extend
t "lateness kept: the extension cleared, the form's due date moved" test_lateness_kept
t "missing: first revision and latest revision apart" test_missing_columns
t "export: each row with its report's first revision's lateness, an extension's due date" test_export_lateness
t "across the coverage's end: done where it started; planned in the past" test_across_and_planned
t "validate: every error of a file at once" test_all_errors
t "a done activity with nothing to show: refused unless media with outputs" test_done_with_nothing
t "history: dates, titles and narrative changes in words" test_history_text
t "an older report again: duplicate, latest named; --as-new once" test_resend_and_as_new
t "a conflict: refused and audited with its unit" test_conflict_audited
t "verify-audit passes after all of it" test_verify_audit

summary
