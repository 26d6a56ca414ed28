#!/bin/bash
# End-to-end tests of issue 16: gp-client, gpd and gp-ca in Vietnamese and
# in English, against the real gpd.
#
# Each user-facing flow runs three ways, and the Vietnamese text is
# asserted word for word where a person reads it:
#   vi    LANG=vi_VN.UTF-8 (scripts/deps.sh generates the locale);
#   conf  LANG=C.UTF-8 and 'language = vi' in the configuration file found
#         in the default place ($XDG_CONFIG_HOME/gp/client.conf), its
#         paths relative to it: an office PC without a Vietnamese locale;
#   en    LANG=C.UTF-8, no language: English.
# --json is byte for byte the same in every language; numbers and dates
# are Vietnamese only in Vietnamese tables and lines, never in JSON or CSV.
# The defects issue 16 lists each have a test: advice said once for a
# locked period and a conflict; the server's field errors before the
# sentence that sums them up; "1 error", not "1 errors"; gpd's start-up
# errors in words (a missing CRL: "No such file or directory"); a unit
# registry that cannot be read says why; admins = bad_name! refused.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/i18n.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup i18n	# W, PORT, DB
LOCALES=$(realpath "${GP_LOCALEDIR:-$(dirname "$GP_CLIENT")/locale}")
[ -e "$LOCALES/vi/LC_MESSAGES/gp-client.mo" ] || {
	echo "i18n: $LOCALES/vi/LC_MESSAGES/gp-client.mo is not built: run make" >&2
	exit 1
}
if ! locale -a 2>/dev/null | grep -qix 'vi_VN.utf-\?8'; then
	echo "e2e: the vi_VN.UTF-8 locale is missing: run scripts/deps.sh as root" >&2
	exit 1
fi

e2e_pki lc-tamduong lc-sinho lc-tanuyen admin-test
e2e_units lc-tamduong lc-sinho
cat >> "$W/units.conf" <<UNITS

; Merged into another before 2022: its reports are the server's to refuse.
[lc-tanuyen]
name = LĐLĐ huyện Tân Uyên
type = district_federation
valid_to = 2021-06-30
UNITS
gpd_conf() {	# FILE [EXTRA-TLS-LINE]
	e2e_gpd_conf "$1" "forms = $W/forms" \
	    "[tls] ${2:-crl = $W/pki/crl.pem}" "[access] admins = admin-test"
}
# No form file: the built-in 2022 form, whatever the machine has.
mkdir "$W/forms"
gpd_conf "$W/gpd.conf"

# The office PC: its configuration where gp-client looks by default, the
# files beside it and named relative to it, Vietnamese forced.
CONF_HOME=$W/conf-home
mkdir -p "$CONF_HOME/gp"
cp "$W/pki/ca.crt" "$W/pki/lc-tamduong.crt" "$W/pki/lc-tamduong.key" \
    "$CONF_HOME/gp/"
cat > "$CONF_HOME/gp/client.conf" <<CONF
[client]
server = 127.0.0.1:$PORT
ca = ca.crt
cert = lc-tamduong.crt
key = lc-tamduong.key
language = vi
CONF

# gp-client (or any command) in one of the three ways: vi, conf or en.
# Output in $W/out and $W/err, status in RC. Each way has a home of its
# own: its outbox and receipts are its own.
as() {	# WAY COMMAND ARGS...
	local way=$1 lang=C.UTF-8 xdg=$W/nowhere
	shift
	case $way in
	vi)	lang=vi_VN.UTF-8;;
	conf)	xdg=$CONF_HOME;;
	esac
	RC=0
	timeout 30 env -i PATH="$PATH" HOME="$W/home-$way" LANG="$lang" \
	    GP_LOCALEDIR="$LOCALES" XDG_CONFIG_HOME="$xdg" \
	    XDG_STATE_HOME="$W/state-$way" "$@" \
	    >"$W/out" 2>"$W/err" </dev/null || RC=$?
}

# gp-client as unit NAME: the conf way takes everything from its file.
gpc() {	# WAY NAME ARGS...
	local way=$1 name=$2
	shift 2
	if [ "$way" = conf ]; then
		as conf "$GP_CLIENT" "$@"
	else
		as "$way" "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
		    --cert "$W/pki/$name.crt" --key "$W/pki/$name.key" "$@"
	fi
}

# Whether FILE holds the fixed string TEXT; fails naming both.
has() {	# FILE TEXT
	grep -qF -- "$2" "$1" || fail "no '$2' in: $(cat "$1")"
}
hasnt() {	# FILE TEXT
	! grep -qF -- "$2" "$1" || fail "'$2' in: $(cat "$1")"
}

start_gpd "$W/gpd.conf"

# lc-tamduong's report with another id, or for another unit.
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tanuyen.json" \
    'r["unit"] = "lc-tanuyen"; r.pop("id", None)'
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tamduong-fixed-id.json" \
    'r["id"] = "3f0c2a1e-5d2a-4c47-9a53-7f0e1d2c3b4a"'
jmod "$DATA/lc-tamduong-2022-H1.json" "$W/tamduong-same-id.json" \
    'r["id"] = "3f0c2a1e-5d2a-4c47-9a53-7f0e1d2c3b4a"
r["narrative"]["results"] = r["narrative"]["results"] + " Bổ sung."'

test_help() {
	local way
	for way in vi conf; do
		as "$way" "$GP_CLIENT" --help
		[ "$RC" -eq 0 ] || { fail "$way: exit $RC"; return; }
		has "$W/out" "cách dùng: gp-client [-s MÁY:CỔNG] [--ca TỆP]" || return
		has "$W/out" "các lệnh:" || return
		has "$W/out" "  submit          nộp báo cáo; giữ lại trong hộp thư đi khi chưa gửi được" || return
		has "$W/out" "tùy chọn chung:" || return
		as "$way" "$GP_CLIENT" template --help
		has "$W/out" "cách dùng: gp-client template --unit ĐƠN_VỊ --period KỲ [--json]" || return
		has "$W/out" "KỲ là năm kèm H1 cho báo cáo 6 tháng" || return
		has "$W/out" "ví dụ:" || return
		# No help line is wider than the terminal's 79 columns.
		as "$way" "$GP_CLIENT" submit --help
		[ "$(LC_ALL=C.UTF-8 wc -L < "$W/out")" -le 79 ] ||
		    { fail "$way: a line wider than 79: $(cat "$W/out")"; return; }
	done
	as en "$GP_CLIENT" --help
	has "$W/out" "usage: gp-client [-s HOST:PORT] [--ca FILE]" || return
	hasnt "$W/out" "cách dùng" || return
}

test_usage_mistake() {
	as vi "$GP_CLIENT" summary 2022-H1 --by
	[ "$RC" -eq 64 ] || { fail "exit $RC"; return; }
	has "$W/err" "gp-client: '--by' cần một giá trị: --by TIÊU_CHÍ; cách dùng: gp-client summary [--by TIÊU_CHÍ] [--accepted] [--compare KỲ_2] [--json | --csv] KỲ (xem thêm: gp-client summary --help)" || return
	as vi "$GP_CLIENT" frobnicate
	has "$W/err" "gp-client: không có lệnh 'frobnicate'; xem danh sách lệnh bằng 'gp-client help'" || return
}

test_validation_error() {
	local way
	for way in vi conf; do
		as "$way" "$GP_CLIENT" validate "$DATA/invalid-report.json"
		[ "$RC" -eq 65 ] || { fail "$way: exit $RC"; return; }
		has "$W/err" "$DATA/invalid-report.json: lỗi: activities[1].female: " || return
		has "$W/err" "gp-client: $DATA/invalid-report.json không phải báo cáo hợp lệ (2 lỗi); hãy sửa các mục nêu trên rồi thử lại" || return
		# The sentence that sums up comes last.
		tail -n 1 "$W/err" | grep -q '^gp-client: ' || { fail "$way: not last: $(cat "$W/err")"; return; }
		as "$way" "$GP_CLIENT" validate "$DATA/lc-sinho-2022-H1.json"
		has "$W/out" "$DATA/lc-sinho-2022-H1.json: hợp lệ (lc-sinho kỳ 2022-H1, 8 hoạt động)" || return
	done
	as en "$GP_CLIENT" validate "$DATA/invalid-report.json"
	has "$W/err" "$DATA/invalid-report.json: error: activities[1].female: " || return
	has "$W/err" "is not a valid report (2 errors); correct the fields listed" || return
}

# Issue 16: "1 errors"; the server's field errors came after the sentence
# summing them up, the local ones before it.
test_server_refusal_order() {
	gpc en lc-tanuyen submit "$W/tanuyen.json"
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(wc -l < "$W/err")" -eq 2 ] || { fail "$(cat "$W/err")"; return; }
	sed -n 1p "$W/err" | grep -q '^error: unit: ' ||
	    { fail "field error not first: $(cat "$W/err")"; return; }
	[ "$(sed -n 2p "$W/err")" = "gp-client: the server refused the report (1 error); correct the fields listed and submit again" ] ||
	    { fail "sentence: $(cat "$W/err")"; return; }
	gpc vi lc-tanuyen submit "$W/tanuyen.json"
	[ "$RC" -eq 65 ] || { fail "vi: exit $RC"; return; }
	sed -n 1p "$W/err" | grep -q '^lỗi: unit: ' || { fail "vi: $(cat "$W/err")"; return; }
	[ "$(sed -n 2p "$W/err")" = "gp-client: máy chủ không nhận báo cáo (1 lỗi); hãy sửa các mục nêu trên rồi nộp lại" ] ||
	    { fail "vi sentence: $(cat "$W/err")"; return; }
}

# gpd's warnings on the receipt said in the clerk's language, from their
# codes: the report is late (the days as Vietnamese write them) and gives
# a women's figure for an indicator that has none (in Vietnamese, its
# label). The English words gpd stores are still the English line.
server_warnings() {	# WAY
	local today days
	today=$(TZ=Asia/Ho_Chi_Minh date +%F)
	days=$(( ($(date -ud "$today" +%s) - $(date -ud 2022-06-10 +%s)) / 86400 ))
	case $1 in
	en)	has "$W/out" "warning: period: late: due 2022-06-10, submitted $today ($days days late)" || return
		has "$W/out" "warning: indicators.gbv_cases_detected.female: gbv_cases_detected has no women's figure in the 2022 form: 4 is kept but not counted" || return;;
	*)	has "$W/out" "cảnh báo: period: nộp muộn: hạn nộp 10/6/2022, nộp ngày $(date -d "$today" +%-d/%-m/%Y) (muộn $(vn_int "$days") ngày)" || return
		has "$W/out" "cảnh báo: indicators.gbv_cases_detected.female: chỉ tiêu “Vụ việc bạo lực gia đình, quấy rối phát hiện” không tính số nữ theo biểu mẫu năm 2022: số 4 vẫn được lưu nhưng không được cộng vào" || return
		hasnt "$W/out" "late:" || return
		hasnt "$W/out" "is kept but not counted" || return;;
	esac
	[ "$(q "select message from warnings where field = 'period' order by report_id desc limit 1")" = \
	    "late: due 2022-06-10, submitted $today ($days days late)" ] ||
	    fail "$1: stored: $(q "select field, message from warnings order by report_id desc")"
}

# 1639 as Vietnamese write it: 1.639.
vn_int() {	# N
	python3 -c 'import sys; print(format(int(sys.argv[1]), ",").replace(",", "."))' "$1"
}

test_receipt_line() {
	local way n=0
	for way in vi conf en; do
		n=$((n + 1))
		# A revision of its own each time, so that each is accepted.
		jmod "$DATA/lc-tamduong-2022-H1.json" "$W/rev-$way.json" \
		    "r.pop('id', None); r['narrative']['results'] += ' ($way)'"
		gpc "$way" lc-tamduong submit "$W/rev-$way.json"
		[ "$RC" -eq 0 ] || { fail "$way: exit $RC: $(cat "$W/err")"; return; }
		local receipt day
		receipt=$(q "select receipt from reports order by id desc limit 1")
		# The day and time in the federation's zone, with its offset.
		day=$(TZ=Asia/Ho_Chi_Minh date +%-d/%-m/%Y)
		case $way in
		en)	grep -Eq "^accepted lc-tamduong 2022-H1 revision $n receipt $receipt  received [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} \+07:00  late$" "$W/out" ||
			    { fail "en: $(cat "$W/out")"; return; }
			has "$W/out" "signed by CN=localhost" || return;;
		*)	grep -Eq "^đã nhận báo cáo lc-tamduong kỳ 2022-H1, lần nộp $n, biên nhận $receipt, máy chủ nhận lúc $day [0-9]{2}:[0-9]{2} \+07:00 — nộp muộn$" "$W/out" ||
			    { fail "$way: $(cat "$W/out")"; return; }
			has "$W/out" "máy chủ ký: CN=localhost" || return;;
		esac
		server_warnings "$way" || return
	done
	# Sent again: the first receipt, a duplicate.
	gpc vi lc-tamduong submit "$W/rev-vi.json"
	grep -q "^trùng: báo cáo lc-tamduong kỳ 2022-H1, lần nộp 1, biên nhận .* — nộp muộn (đã lưu từ trước, không có gì mới)$" "$W/out" ||
	    { fail "duplicate: $(cat "$W/out")"; return; }
}

test_receipts_table() {
	gpc vi lc-tamduong receipts
	[ "$RC" -eq 0 ] || { fail "exit $RC"; return; }
	grep -Eq "^nhận lúc +đơn vị +kỳ +lần +biên nhận +ghi chú$" "$W/out" ||
	    { fail "header: $(cat "$W/out")"; return; }
	grep -Eq "^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9:]{5} \+07:00 +lc-tamduong +2022-H1 +1 +[0-9a-f]{32} +muộn$" "$W/out" ||
	    { fail "row: $(cat "$W/out")"; return; }
}

test_refusal() {
	gpc vi lc-sinho submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 77 ] || { fail "exit $RC"; return; }
	[ "$(cat "$W/err")" = "gp-client: máy chủ từ chối: chứng thư số này không được phép làm việc đó; mỗi chứng thư số chỉ dùng cho đúng đơn vị của mình; nếu thấy sai, đề nghị liên hệ LĐLĐ tỉnh" ] ||
	    { fail "$(cat "$W/err")"; return; }
	gpc en lc-sinho submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$(cat "$W/err")" = "gp-client: certificate lc-sinho may not submit a report for unit lc-tamduong; a certificate may act only for its own unit; ask the provincial federation if this is wrong" ] ||
	    { fail "en: $(cat "$W/err")"; return; }
}

# Issue 16: the advice came twice for a conflict, once from gpd and once
# from gp-client.
test_conflict_advice_once() {
	gpc en lc-tamduong submit --no-queue "$W/tamduong-fixed-id.json"
	[ "$RC" -eq 0 ] || { fail "first: exit $RC: $(cat "$W/err")"; return; }
	gpc en lc-tamduong submit --no-queue "$W/tamduong-same-id.json"
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(grep -o 'give a new one\|give it a new one' "$W/err" | wc -l)" -eq 1 ] ||
	    { fail "advice not once: $(cat "$W/err")"; return; }
	has "$W/err" "was already stored with different content" || return
	gpc vi lc-tamduong submit --no-queue "$W/tamduong-same-id.json"
	has "$W/err" "gp-client: mã nộp này đã được dùng cho một báo cáo khác; hãy xóa trường \"id\" trong tệp hoặc đặt mã mới" || return
	hasnt "$W/err" "máy chủ báo" || return
}

test_missing() {
	gpc vi admin-test missing 2022-H1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -Eq "^đơn vị +tên +nhận lần đầu +đúng hạn/muộn +lần mới nhất +nhận lần mới nhất +xem xét +hạn nộp +gia hạn$" "$W/out" ||
	    { fail "header: $(cat "$W/out")"; return; }
	grep -Eq "^lc-sinho +LĐLĐ huyện Sìn Hồ +chưa nộp +10/6/2022$" "$W/out" ||
	    { fail "nothing yet: $(cat "$W/out")"; return; }
	# The first revision's time and lateness, the latest's number, time
	# and review, the due date as Vietnamese write it.
	grep -Eq "^lc-tamduong +LĐLĐ huyện Tam Đường +[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9:]{5} \+07:00 +muộn [0-9.]+ ngày +[0-9]+ +[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9:]{5} \+07:00 +đang xem xét +10/6/2022$" "$W/out" ||
	    { fail "late: $(cat "$W/out")"; return; }
	has "$W/out" "báo cáo: 0 đã chấp nhận, 0 bị trả lại, 1 đang xem xét" || return
	has "$W/out" "Kỳ 2022-H1: số liệu từ 1/12/2021 đến 31/5/2022, hạn nộp 10/6/2022 (đơn vị được gia hạn thì theo hạn của mình)" || return
	has "$W/out" "đã nộp 1/2 (50,0%); đúng hạn 0/2 (0,0%) (tính theo lần nộp đầu tiên)" || return
	gpc en admin-test missing 2022-H1
	grep -Eq "^unit +name +first received +timeliness +latest rev +latest received +review +due +extension$" "$W/out" ||
	    { fail "en header: $(cat "$W/out")"; return; }
	has "$W/out" "2022-H1: coverage 2021-12-01 to 2022-05-31, due 2022-06-10" || return
	has "$W/out" "reported 1 of 2 (50.0%); on time 0 of 2 (0.0%)" || return
}

# Numbers as Vietnamese write them in Vietnamese tables only.
test_numbers() {
	local en vi
	gpc en admin-test summary 2022-H1
	[ "$RC" -eq 0 ] || { fail "en: exit $RC: $(cat "$W/err")"; return; }
	en=$(sed -n 's/^Đoàn viên  *\([0-9]*\)  *\([0-9]*\)  *\([0-9]*\.[0-9]\)$/\1 \2 \3/p' "$W/out")
	[ -n "$en" ] || { fail "en: $(cat "$W/out")"; return; }
	has "$W/out" "2022-H1: 1 report from 2 units expected" || return
	gpc vi admin-test summary 2022-H1
	[ "$RC" -eq 0 ] || { fail "vi: exit $RC: $(cat "$W/err")"; return; }
	vi=$(sed -n 's/^Đoàn viên  *\([0-9.]*\)  *\([0-9.]*\)  *\([0-9]*,[0-9]\)$/\1 \2 \3/p' "$W/out")
	# 2874 1356 47.2 is 2.874 1.356 47,2.
	[ "$vi" = "$(echo "$en" | python3 -c 'import sys
a, b, c = sys.stdin.read().split()
f = lambda n: format(int(n), ",").replace(",", ".")
print(f(a), f(b), c.replace(".", ","))')" ] && [ "${vi%% *}" != "${en%% *}" ] ||
	    { fail "vi '$vi', en '$en': $(cat "$W/out")"; return; }
	grep -Eq "^chỉ tiêu +tổng số +nữ +% nữ$" "$W/out" ||
	    { fail "vi header: $(cat "$W/out")"; return; }
	has "$W/out" "Kỳ 2022-H1: 1 báo cáo trên 2 đơn vị phải nộp" || return
	gpc vi admin-test summary 2022-H1 --csv
	[ "$RC" -eq 0 ] || { fail "csv: exit $RC"; return; }
	has "$W/out" "key,label,reports,done_activities,done_sessions,done_participants,done_women,done_women_percent,planned_activities,planned_sessions,planned_participants,planned_women" || return
	grep -Eq "^total,Tổng cộng,1,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+\.[0-9],[0-9]+,[0-9]+,[0-9]+,[0-9]+"$'\r'"\$" "$W/out" ||
	    { fail "csv: $(cat "$W/out")"; return; }
	gpc vi admin-test --json missing 2022-H1
	has "$W/out" '"reported_percent":50.0' || return
}

test_doctor() {
	local way
	for way in vi conf; do
		gpc "$way" lc-tamduong doctor
		[ "$RC" -eq 0 ] || { fail "$way: exit $RC: $(cat "$W/out")"; return; }
		grep -Eq "^ĐẠT    cấu hình     " "$W/out" || { fail "$way: $(cat "$W/out")"; return; }
		has "$W/out" "ĐẠT    khóa bí mật  " || return
		grep -Eq "^ĐẠT    thời hạn     chứng thư số có hiệu lực đến [0-9]{1,2}/[0-9]{1,2}/[0-9]{4} \(còn [0-9]+ ngày\)$" "$W/out" ||
		    { fail "$way expiry: $(cat "$W/out")"; return; }
		has "$W/out" "ĐẠT    danh tính    máy chủ nhận chứng thư số này là của đơn vị lc-tamduong \"LĐLĐ huyện Tam Đường\", gpd " || return
		grep -Eq "^ĐẠT    hộp thư đi   trống" "$W/out" || { fail "$way outbox: $(cat "$W/out")"; return; }
	done
	has "$W/out" "ĐẠT    cấu hình     $CONF_HOME/gp/client.conf: đã đặt máy chủ 127.0.0.1:$PORT, ca, cert và key" || return
	gpc en lc-tamduong doctor
	grep -q "^OK   config      no configuration file; the command line gives server" "$W/out" ||
	    { fail "en: $(cat "$W/out")"; return; }
}

# --json is for programs: the same bytes in every language, English words
# on standard error too.
test_json_same() {
	local way cmd i=0
	for cmd in "validate $DATA/invalid-report.json" \
	    "validate $DATA/lc-sinho-2022-H1.json" "verify-receipt -" \
	    "submit $W/rev-vi.json" "submit $W/tamduong-same-id.json" \
	    "outbox" "summary 2022-H1 --by -" "frobnicate"; do
		i=$((i + 1))
		for way in vi en; do
			# shellcheck disable=SC2086  # the words of cmd
			gpc "$way" lc-tamduong --json $cmd
			# ECDSA signs anew each time: the rest must match.
			sed 's/"signature":"[^"]*",//' "$W/out" > "$W/json-$i-$way"
			cp "$W/err" "$W/json-err-$i-$way"
		done
		cmp -s "$W/json-$i-vi" "$W/json-$i-en" ||
		    { fail "$cmd: $(diff "$W/json-$i-vi" "$W/json-$i-en")"; return; }
		[ -s "$W/json-$i-vi" ] || { fail "$cmd: no JSON"; return; }
		cmp -s "$W/json-err-$i-vi" "$W/json-err-$i-en" ||
		    { fail "$cmd: stderr: $(cat "$W/json-err-$i-vi")"; return; }
	done
	for cmd in "missing 2022-H1" "summary 2022-H1 --by area" \
	    "list --period 2022-H1" "units"; do
		for way in vi en; do
			# shellcheck disable=SC2086
			gpc "$way" admin-test $cmd --json
			cp "$W/out" "$W/json-$way"
		done
		cmp -s "$W/json-vi" "$W/json-en" ||
		    { fail "$cmd: $(diff "$W/json-vi" "$W/json-en")"; return; }
		# shellcheck disable=SC2086
		gpc vi admin-test $cmd --csv
		cp "$W/out" "$W/csv-vi"
		# shellcheck disable=SC2086
		gpc en admin-test $cmd --csv
		cmp -s "$W/csv-vi" "$W/out" ||
		    { fail "$cmd --csv: $(diff "$W/csv-vi" "$W/out")"; return; }
	done
}

# Issue 16: the advice came twice for a locked period.
test_locked_advice_once() {
	gpc en admin-test lock 2022-H1
	[ "$RC" -eq 0 ] || { fail "lock: exit $RC: $(cat "$W/err")"; return; }
	jmod "$DATA/lc-tamduong-2022-H1.json" "$W/locked.json" \
	    "r.pop('id', None); r['narrative']['results'] += ' (khóa)'"
	gpc en lc-tamduong submit --no-queue "$W/locked.json"
	[ "$RC" -eq 77 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(grep -o 'unlock' "$W/err" | wc -l)" -eq 1 ] ||
	    { fail "advice not once: $(cat "$W/err")"; return; }
	has "$W/err" "gp-client: period 2022-H1 is locked: it takes no new revisions; contact " || return
	gpc vi lc-tamduong submit --no-queue "$W/locked.json"
	has "$W/err" "gp-client: kỳ báo cáo đã khóa sổ: không nhận thêm lần nộp nào; đề nghị LĐLĐ tỉnh mở khóa sổ kỳ báo cáo" || return
	hasnt "$W/err" "is locked" || return
	gpc en admin-test unlock 2022-H1
}

# A missing configuration says where it was looked for and what makes it;
# -s, --ca, --cert and --key need none.
test_no_configuration() {
	as vi "$GP_CLIENT" submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 78 ] || { fail "exit $RC"; return; }
	has "$W/err" "gp-client: chưa có tệp cấu hình (đã tìm $W/nowhere/gp/client.conf hoặc /etc/gp/client.conf): hãy cài đặt máy này bằng 'gp-client setup ĐƠN_VỊ.gpbundle'" || return
	as en "$GP_CLIENT" doctor
	grep -q "^FAIL config      no configuration file (looked for $W/nowhere/gp/client.conf or /etc/gp/client.conf): set this computer up with 'gp-client setup UNIT.gpbundle'" "$W/out" ||
	    { fail "doctor: $(cat "$W/out")"; return; }
	as vi env GP_CLIENT_CONF="$W/absent.conf" "$GP_CLIENT" doctor
	[ "$RC" -eq 78 ] || { fail "absent: exit $RC"; return; }
	# The system's reason in its own words (glibc has them in Vietnamese).
	grep -q "^LỖI    cấu hình     không đọc được tệp cấu hình $W/absent.conf: .*; hãy kiểm tra -c hoặc \\\$GP_CLIENT_CONF$" "$W/out" ||
	    { fail "absent: $(cat "$W/out")"; return; }
}

# gpd in Vietnamese: its usage, -n, and its start-up errors in words.
test_gpd() {
	as vi "$GPD" -n -f "$W/gpd.conf"
	[ "$RC" -eq 0 ] || { fail "-n: exit $RC: $(cat "$W/err")"; return; }
	# The forms gpd serves: the built-in 2022 one.
	has "$W/out" "gpd: $W/gpd.conf: cấu hình hợp lệ (3 đơn vị, 1 quản trị viên, biểu mẫu năm 2022, múi giờ Asia/Ho_Chi_Minh)" || return
	as en "$GPD" -n -f "$W/gpd.conf"
	has "$W/out" "gpd: $W/gpd.conf: configuration OK (3 units, 1 administrator, forms 2022, time zone Asia/Ho_Chi_Minh)" || return
	# Issue 16: a missing CRL gave OpenSSL's codes.
	gpd_conf "$W/gpd-nocrl.conf" "crl = $W/pki/absent-crl.pem"
	as en "$GPD" -n -f "$W/gpd-nocrl.conf"
	[ "$RC" -eq 1 ] || { fail "no CRL: exit $RC"; return; }
	[ "$(cat "$W/err")" = "gpd: cannot load the CRL $W/pki/absent-crl.pem: No such file or directory" ] ||
	    { fail "no CRL: $(cat "$W/err")"; return; }
	hasnt "$W/err" "error:" || return
	as vi "$GPD" -n -f "$W/gpd-nocrl.conf"
	has "$W/err" "gpd: không nạp được danh sách thu hồi (CRL) $W/pki/absent-crl.pem: " || return
	gpd_conf "$W/gpd-badcert.conf" "crl = $W/units.conf"
	as en "$GPD" -n -f "$W/gpd-badcert.conf"
	has "$W/err" "gpd: cannot load the CRL $W/units.conf: not a PEM file" || return
	# Issue 16: the unit registry said no reason.
	sed "s|^units = .*|units = $W/absent-units.conf|" "$W/gpd.conf" > "$W/gpd-nounits.conf"
	as vi "$GPD" -n -f "$W/gpd-nounits.conf"
	[ "$RC" -eq 1 ] || { fail "no registry: exit $RC"; return; }
	has "$W/err" "gpd: không đọc được danh sách đơn vị $W/absent-units.conf: " || return
	as en "$GPD" -n -f "$W/gpd-nounits.conf"
	[ "$(cat "$W/err")" = "gpd: cannot read the unit registry $W/absent-units.conf: No such file or directory; check 'units' in [server] of gpd.conf" ] ||
	    { fail "no registry: $(cat "$W/err")"; return; }
	# Issue 16: admins = bad_name! was accepted.
	sed 's/^admins = .*/admins = admin-test, bad_name!/' "$W/gpd.conf" > "$W/gpd-admins.conf"
	as en "$GPD" -n -f "$W/gpd-admins.conf"
	[ "$RC" -eq 1 ] || { fail "bad admin name: exit $RC"; return; }
	has "$W/err" "[access] admins: 'bad_name!' is not a certificate name" || return
	as vi "$GPD" -h
	has "$W/out" "cách dùng: gpd [-hnvV] [-f tệp] [-b tệp-sao-lưu]" || return
}

# gp-ca in Vietnamese: its help and messages; its list stays as scripts
# read it.
test_gp_ca() {
	local ca=$W/gp-ca-vi
	as vi "$ROOT/scripts/gp-ca" --help
	[ "$RC" -eq 0 ] || { fail "--help: exit $RC"; return; }
	has "$W/out" "cách dùng: gp-ca [-d thư-mục] init [--days n] [--cn tên]" || return
	has "$W/out" "  bundle         toàn bộ cài đặt của tên trong một tệp cho 'gp-client setup':" || return
	as conf env GP_LANGUAGE=vi "$ROOT/scripts/gp-ca" -d "$ca" init --cn "CA thử"
	[ "$RC" -eq 0 ] || { fail "init: exit $RC: $(cat "$W/err")"; return; }
	has "$W/out" "ca $ca/ca.crt: CN=CA thử, hiệu lực đến " || return
	as vi "$ROOT/scripts/gp-ca" -d "$ca" issue lc-x
	has "$W/out" "đã cấp cho lc-x, số sê-ri 1000, hiệu lực đến " || return
	has "$W/out" "tạo tệp duy nhất mà đơn vị cài bằng 'gp-client setup':" || return
	as vi "$ROOT/scripts/gp-ca" -d "$ca" issue 'Bad!'
	[ "$RC" -eq 64 ] || { fail "bad name: exit $RC"; return; }
	has "$W/err" "gp-ca: 'Bad!': tên gồm 1 đến 64 ký tự a-z, 0-9 và '-'" || return
	as vi "$ROOT/scripts/gp-ca" -d "$ca" list
	head -n 1 "$W/out" | grep -q '^CN  *SERIAL  *STATUS  *NOT AFTER$' ||
	    { fail "list: $(cat "$W/out")"; return; }
	as en "$ROOT/scripts/gp-ca" -d "$ca" bundle lc-x -o "$W/x.gpbundle"
	[ "$RC" -eq 64 ] || { fail "no server: exit $RC"; return; }
	has "$W/err" "gp-ca: no server address known: run 'gp-ca issue-server' first, or give --server HOST:PORT" || return
}

# Phase 2: the connection, the outbox, verify-receipt, review and status
# in Vietnamese.

# A server that cannot be reached, with and without the outbox.
test_conn_unreachable() {
	local closed id
	closed=$(free_port)
	as vi "$GP_CLIENT" -s "127.0.0.1:$closed" --retries 0 \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/lc-tamduong.crt" \
	    --key "$W/pki/lc-tamduong.key" submit --no-queue \
	    "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 69 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^gp-client: không kết nối được 127.0.0.1:$closed: .*; hãy kiểm tra địa chỉ và mạng, hoặc thử lại sau$" "$W/err" ||
	    { fail "$(cat "$W/err")"; return; }
	as en "$GP_CLIENT" -s "127.0.0.1:$closed" --retries 0 \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/lc-tamduong.crt" \
	    --key "$W/pki/lc-tamduong.key" submit --no-queue \
	    "$DATA/lc-tamduong-2022-H1.json"
	has "$W/err" "gp-client: cannot reach 127.0.0.1:$closed: " || return
	as vi "$GP_CLIENT" -s "127.0.0.1:$closed" --ca "$W/pki/absent-ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 78 ] || { fail "no CA: exit $RC"; return; }
	has "$W/err" "gp-client: không đọc được chứng thư số CA $W/pki/absent-ca.crt: " || return
	has "$W/err" "; hãy kiểm tra --ca hoặc 'ca' trong tệp cấu hình" || return
}

# The outbox's own messages: an entry that waits is not refused, an
# unknown one, a directory everyone may write to.
test_outbox_messages() {
	local closed id
	closed=$(free_port)
	as vi "$GP_CLIENT" -s "127.0.0.1:$closed" --retries 0 \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/lc-tamduong.crt" \
	    --key "$W/pki/lc-tamduong.key" submit "$W/rev-en.json"
	[ "$RC" -eq 75 ] || { fail "queue: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^gp-client: không kết nối được 127.0.0.1:$closed (.*); báo cáo đã được đưa vào hộp thư đi và sẽ được 'gp-client flush' gửi đi$" "$W/err" ||
	    { fail "queued: $(cat "$W/err")"; return; }
	as vi "$GP_CLIENT" -s "127.0.0.1:$closed" --retries 0 \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/lc-tamduong.crt" \
	    --key "$W/pki/lc-tamduong.key" flush
	[ "$RC" -eq 75 ] || { fail "flush: exit $RC: $(cat "$W/err")"; return; }
	has "$W/out" "flush: đã gửi 0 (0 trùng), bị từ chối 0; hộp thư đi còn 1 chờ gửi, 0 bị từ chối" || return
	grep -q "^gp-client: không kết nối được 127.0.0.1:$closed (.*); còn 1 báo cáo chờ trong hộp thư đi: hãy chạy lại 'gp-client flush' sau$" "$W/err" ||
	    { fail "flush: $(cat "$W/err")"; return; }
	as vi "$GP_CLIENT" --json outbox
	id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])' <"$W/out")
	as vi "$GP_CLIENT" outbox --retry "$id"
	[ "$RC" -eq 64 ] || { fail "retry: exit $RC: $(cat "$W/err")"; return; }
	[ "$(cat "$W/err")" = "gp-client: báo cáo $id đang chờ gửi, không bị từ chối: 'gp-client flush' sẽ gửi báo cáo này" ] ||
	    { fail "retry: $(cat "$W/err")"; return; }
	as vi "$GP_CLIENT" outbox --drop no-such-id
	[ "$RC" -eq 64 ] || { fail "drop: exit $RC"; return; }
	[ "$(cat "$W/err")" = "gp-client: không có báo cáo no-such-id trong hộp thư đi; hãy chạy 'gp-client outbox' để xem danh sách" ] ||
	    { fail "drop: $(cat "$W/err")"; return; }
	as vi "$GP_CLIENT" outbox --drop "$id"
	[ "$RC" -eq 0 ] || { fail "drop $id: exit $RC: $(cat "$W/err")"; return; }
	mkdir -p "$W/open"
	chmod 0777 "$W/open"
	as vi "$GP_CLIENT" --outbox "$W/open/outbox.db" outbox
	[ "$RC" -eq 78 ] || { fail "open directory: exit $RC"; return; }
	[ "$(cat "$W/err")" = "gp-client: mọi người dùng máy tính này đều ghi được vào thư mục hộp thư đi $W/open (quyền 0777), nên có thể sửa hộp thư đi: hãy chạy 'chmod 700 $W/open', hoặc đặt hộp thư đi vào chỗ riêng bằng --outbox ĐƯỜNG_DẪN" ] ||
	    { fail "open directory: $(cat "$W/err")"; return; }
	as en "$GP_CLIENT" --outbox "$W/open/outbox.db" outbox
	has "$W/err" "gp-client: the outbox directory $W/open can be written by every user of this computer (mode 0777)" || return
}

# verify-receipt's own failures, and its verdict, in Vietnamese.
test_verify_receipt() {
	gpc en lc-tamduong --json submit "$W/rev-en.json"
	[ "$RC" -eq 0 ] || { fail "submit: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/receipt.json"
	as vi "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt "$W/receipt.json" \
	    "$W/rev-en.json"
	[ "$RC" -eq 0 ] || { fail "verify: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^đã xác minh: báo cáo lc-tamduong kỳ 2022-H1, lần nộp 3, máy chủ nhận lúc .*, biên nhận [0-9a-f]*, đúng là của báo cáo này$" "$W/out" ||
	    { fail "verdict: $(cat "$W/out")"; return; }
	grep -q "^chữ ký: hợp lệ$" "$W/out" ||
	    { fail "verdict: $(cat "$W/out")"; return; }
	as vi "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt "$W/receipt.json" \
	    "$W/absent-report.json"
	[ "$RC" -eq 66 ] || { fail "no report: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^gp-client: không đọc được $W/absent-report.json: .*; hãy kiểm tra tên tệp$" "$W/err" ||
	    { fail "no report: $(cat "$W/err")"; return; }
	as vi "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt - -
	[ "$RC" -eq 64 ] || { fail "two stdin: exit $RC"; return; }
	has "$W/err" "gp-client: biên nhận và báo cáo không thể cùng lấy từ đầu vào chuẩn: hãy đưa một trong hai dưới dạng tệp" || return
}

# The province returns the report: its confirmation, then what the unit
# sees with status.
test_review_status() {
	gpc vi admin-test review lc-tamduong 2022-H1 reject
	[ "$RC" -eq 64 ] || { fail "bad decision: exit $RC"; return; }
	has "$W/err" "gp-client: quyết định 'reject' không hợp lệ: hãy ghi accept (chấp nhận), return (trả lại) hoặc reopen (mở lại)" || return
	gpc vi admin-test review lc-tamduong 2022-H1 return
	[ "$RC" -eq 64 ] || { fail "no comment: exit $RC"; return; }
	has "$W/err" "gp-client: trả lại (return) cần --comment VĂN_BẢN: hãy nêu những gì đơn vị phải sửa hoặc bổ sung" || return
	gpc vi admin-test review lc-tamduong 2022-H1 return \
	    --comment "Thiếu số liệu hội viên nữ"
	[ "$RC" -eq 0 ] || { fail "return: exit $RC: $(cat "$W/err")"; return; }
	grep -Eq "^đã trả lại báo cáo lc-tamduong kỳ 2022-H1, lần nộp [0-9]+ \(lần mới nhất, vừa đọc\)  quyết định [0-9a-f]+  [0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9:]{5} \+07:00$" "$W/out" ||
	    { fail "confirmation: $(cat "$W/out")"; return; }
	has "$W/out" "ý kiến: Thiếu số liệu hội viên nữ" || return
	has "$W/out" "đơn vị xem ý kiến bằng 'gp-client status'; lần nộp tiếp theo của đơn vị sẽ được xem xét lại" || return
	has "$W/out" "máy chủ ký: CN=localhost" || return
	gpc en admin-test review lc-tamduong 2022-H1 reopen
	has "$W/err" "gp-client: reopen needs --comment TEXT: say why the accepted report is opened again" || return
	gpc vi lc-tamduong status 2022-H1
	[ "$RC" -eq 1 ] || { fail "status: exit $RC: $(cat "$W/err")"; return; }
	grep -Eq "^    hạn nộp 10/6/2022 \(bị trả lại: cần nộp lại\); lần nộp [0-9]+, biên nhận [0-9a-f]+, nhận lúc .* \(nộp muộn\); bị trả lại$" "$W/out" ||
	    { fail "status: $(cat "$W/out")"; return; }
	grep -Eq "^    .* \+07:00 trả lại lần nộp [0-9]+ \(admin-test\): Thiếu số liệu hội viên nữ$" "$W/out" ||
	    { fail "status comment: $(cat "$W/out")"; return; }
	has "$W/out" "1 báo cáo cần đơn vị xử lý: bị trả lại, cần nộp lại" || return
	! grep -q "quá hạn\|sắp đến hạn" "$W/out" ||
	    { fail "status: $(cat "$W/out")"; return; }
	gpc en lc-tamduong status 2022-H1
	has "$W/out" "1 report needs this unit: returned, to be sent again" || return
}

# The call list in Vietnamese: its header, the units' states and the due
# date as the rest of the output writes them (a user trial found them in
# English and ISO); its CSV keeps the header's machine names, JSON its
# codes.
test_call_list_vi() {
	gpc vi admin-test missing 2022-H1 --call-list
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^đơn vị  *tên  *tình trạng  *số ngày quá hạn  *hạn nộp  *người liên hệ" "$W/out" ||
	    { fail "header: $(cat "$W/out")"; return; }
	grep -q "^lc-tamduong .* bị trả lại  *[0-9.]*  *10/6/2022" "$W/out" &&
	    grep -q "^lc-sinho .* chưa nộp  *[0-9.]*  *10/6/2022" "$W/out" ||
	    { fail "rows: $(cat "$W/out")"; return; }
	! grep -q "days late\|nothing yet\|returned\|2022-06-10" "$W/out" ||
	    { fail "English: $(cat "$W/out")"; return; }
	gpc vi admin-test missing 2022-H1 --call-list --csv
	[ "$(head -1 "$W/out")" = "$(printf 'unit,name,status,days_late,due,contact,phone,email\r')" ] ||
	    { fail "csv: $(cat "$W/out")"; return; }
	gpc vi admin-test --json missing 2022-H1 --call-list
	[ "$(python3 -c 'import json,sys; print(sorted((u["status"], u["due"]) for u in json.load(sys.stdin)["rows"]))' < "$W/out")" = \
	    "[('missing', '2022-06-10'), ('returned', '2022-06-10')]" ] ||
	    fail "json: $(cat "$W/out")"
}

# A user trial: re-sending an accepted report (FINAL) ended in gpd's
# English "(máy chủ báo: the report of ... was accepted ...)"; a code
# gp-client knows is said in the clerk's language alone.
test_final_in_vietnamese() {
	gpc en admin-test review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 0 ] || { fail "accept: exit $RC: $(cat "$W/err")"; return; }
	jmod "$DATA/lc-tamduong-2022-H1.json" "$W/final.json" \
	    "r.pop('id', None); r['narrative']['results'] += ' (gửi lại)'"
	gpc vi lc-tamduong submit --no-queue "$W/final.json"
	[ "$RC" -eq 77 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(cat "$W/err")" = "gp-client: tỉnh đã chấp nhận báo cáo này: báo cáo đã chốt, không nhận thêm lần nộp nào; nếu vẫn cần sửa, đề nghị LĐLĐ tỉnh mở lại báo cáo" ] ||
	    { fail "vi: $(cat "$W/err")"; return; }
	gpc en lc-tamduong submit --no-queue "$W/final.json"
	[ "$RC" -eq 77 ] && has "$W/err" "was accepted by the province (revision " || return
	gpc vi lc-tamduong --json submit --no-queue "$W/final.json"
	[ "$RC" -eq 77 ] && has "$W/out" '"code":"final"' &&
	    has "$W/out" "was accepted by the province" || return
}

# summary --compare and report: their usage mistakes in Vietnamese.
test_compare_report_usage() {
	gpc vi admin-test summary 2022-H1 --compare 2022-H1
	[ "$RC" -eq 64 ] || { fail "compare: exit $RC: $(cat "$W/err")"; return; }
	has "$W/err" "gp-client: --compare 2022-H1: hãy chọn một kỳ khác 2022-H1, ví dụ cùng kỳ năm trước" || return
	gpc vi admin-test report 2022-H1 -o - --date 2022-13-40
	[ "$RC" -eq 64 ] || { fail "report: exit $RC: $(cat "$W/err")"; return; }
	has "$W/err" "gp-client: --date '2022-13-40' không hợp lệ: hãy ghi ngày của văn bản theo dạng YYYY-MM-DD" || return
	gpc vi admin-test report 2022-H1 -o -
	[ "$RC" -eq 64 ] || { fail "report stdout: exit $RC: $(cat "$W/err")"; return; }
	has "$W/err" "gp-client: không ghi được tệp .docx ra đầu ra chuẩn: hãy dùng -o TỆP" || return
}

# The Vietnamese manual page renders, as man shows it to a Vietnamese
# locale, and the English one is still the English.
test_man_vi() {
	as vi env MANPAGER=cat MANWIDTH=80 man -l "$ROOT/client/gp-client.vi.1"
	[ "$RC" -eq 0 ] || { fail "man: exit $RC: $(cat "$W/err")"; return; }
	has "$W/out" "gửi báo cáo kết quả công tác bình đẳng giới tới gpd" || return
	has "$W/out" "HỘP THƯ ĐI" || return
	has "$W/out" "Báo cáo đã vào hộp thư đi và sẽ được flush gửi đi" || return
	has "$W/out" "MÚI GIỜ" || return
}

t "--help in Vietnamese (locale, or language = vi on C.UTF-8) and English" test_help
t "a usage mistake in Vietnamese, with the synopsis" test_usage_mistake
t "a validation error: each field, then '(2 lỗi)' last" test_validation_error
t "the server's field errors first, then '(1 error)', never '1 errors'" test_server_refusal_order
t "receipt lines: Vietnamese words and date, English as scripts read it; gpd's warnings in the clerk's language" test_receipt_line
t "receipts: lower-case headers, translated, dates as Vietnamese write them" test_receipts_table
t "a refusal: what happened, what to do, the server's words after" test_refusal
t "a conflict: the advice once" test_conflict_advice_once
t "missing: header, statuses, dates and rates in Vietnamese" test_missing
t "numbers: 2.316 and 47,0 in Vietnamese tables, plain in English and CSV" test_numbers
t "doctor in Vietnamese, from the default configuration with language = vi" test_doctor
t "--json and --csv: the same bytes in Vietnamese and English" test_json_same
t "a locked period: the advice once" test_locked_advice_once
t "no configuration: where it was looked for, what makes it" test_no_configuration
t "gpd: -n, usage, start-up errors in words, admins checked" test_gpd
t "gp-ca in Vietnamese; its list as scripts read it" test_gp_ca
t "a server that cannot be reached, a CA file missing: in Vietnamese" test_conn_unreachable
t "outbox and flush: queued, still waiting, not refused, an unknown id, a directory open to all" test_outbox_messages
t "verify-receipt: its verdict, a report file missing, two standard inputs" test_verify_receipt
t "review: refused decisions, the confirmation; the unit's status after" test_review_status
t "missing --call-list in Vietnamese: header, states, dates" test_call_list_vi
t "an accepted report re-sent (FINAL): said in Vietnamese" test_final_in_vietnamese
t "summary --compare, report: usage mistakes in Vietnamese" test_compare_report_usage
t "gp-client.vi.1: man -l renders it in Vietnamese" test_man_vi
summary
