#!/bin/bash
# End-to-end tests of gp-client web (issue 19): the real gpd on 127.0.0.1
# with a throwaway PKI, gp-client web started as a unit starts it, its
# security checks driven with curl, and the page itself in Debian's
# chromium (headless, through chromium-driver and python3-selenium:
# tests/e2e/web.py). Every test asserts what the server stored, the
# outbox holds or the page shows, not only exit codes.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client \
#       GP_CLIENT_WEB=build/gp-client-web tests/e2e/web.sh
#
# KEEP=1 keeps the working directory; SHOTS=DIR saves screenshots of the
# page at each stage in DIR. The page speaks Vietnamese from gp-client's
# catalogue: GP_LOCALEDIR (make check sets it; by default the build's).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
# Debian's Python, where python3-selenium is.
PY=/usr/bin/python3

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

# W, PORT, DB:
e2e_setup web openssl sqlite3 curl ss timeout chromium chromedriver "$PY"
GP_CLIENT_WEB=$(realpath "${GP_CLIENT_WEB:-$ROOT/build/gp-client-web}")
export GP_CLIENT_WEB
e2e_built "$GP_CLIENT_WEB"
GP_LOCALEDIR=$(realpath "${GP_LOCALEDIR:-$(dirname "$GP_CLIENT")/locale}")
export GP_LOCALEDIR
"$PY" -c 'import selenium' 2>/dev/null ||
    { echo "e2e: python3-selenium is missing: run scripts/deps.sh" >&2; exit 1; }

WEB_PID=
suite_cleanup() {
	stop_web
}

unset GP_WEB_PROC_VERSION GP_WEB_IDLE_SECONDS GP_LANGUAGE
export GP_CLIENT_BACKOFF_BASE_MS=20
[ -n "${SHOTS:-}" ] && mkdir -p "$SHOTS" && SHOTS=$(cd "$SHOTS" && pwd) &&
    export SHOTS

e2e_pki lc-tamduong admin-test
OUTBOX=$W/outbox.db
DRAFTS=$XDG_STATE_HOME/gp/drafts
e2e_units lc-tamduong
e2e_gpd_conf "$W/gpd.conf" "[access] admins = admin-test" \
    "[access] contact = Ban Tuyên giáo – Nữ công, 0213 3876 543"

e2e_client_conf "$W/client.conf" lc-tamduong "outbox = $OUTBOX" \
    "timeout = 5" "retries = 1"

# --- gp-client web ------------------------------------------------------

WEB_URL=
WEB_HP=
WEB_RC=

# Starts gp-client web (more options in "$@") and waits for its address,
# the first line of its output.
start_web() {
	local _
	# The file is made again by the new process only: not read before.
	rm -f "$W/web.out"
	"$GP_CLIENT" -c "$W/client.conf" web "$@" >"$W/web.out" \
	    2>"$W/web.err" </dev/null &
	WEB_PID=$!
	for _ in $(seq 100); do
		WEB_URL=$(head -n 1 "$W/web.out" 2>/dev/null || true)
		case $WEB_URL in
		http://*/\?t=*) break;;
		esac
		kill -0 "$WEB_PID" 2>/dev/null || break
		sleep 0.1
	done
	case $WEB_URL in
	http://*/\?t=*) ;;
	*)	echo "gp-client web printed no address:" >&2
		cat "$W/web.out" "$W/web.err" >&2
		WEB_PID=
		return 1;;
	esac
	WEB_HP=${WEB_URL#http://}
	WEB_HP=${WEB_HP%%/*}
	rm -f "$W/jar"
}

# Stops it with SIGNAL (TERM); its exit status in WEB_RC.
stop_web() {
	[ -n "$WEB_PID" ] || return 0
	kill "-${1:-TERM}" "$WEB_PID" 2>/dev/null || true
	WEB_RC=0
	wait "$WEB_PID" 2>/dev/null || WEB_RC=$?
	WEB_PID=
}

# Waits up to 10 s for the web server to exit by itself.
wait_web_exit() {
	local _
	for _ in $(seq 100); do
		kill -0 "$WEB_PID" 2>/dev/null || break
		sleep 0.1
	done
	stop_web KILL
}

# curl with the status in $W/code, the body in $W/body, the headers in
# $W/headers.
web_curl() {
	curl -s -o "$W/body" -D "$W/headers" -w '%{http_code}' \
	    --max-time 10 "$@" >"$W/code" || echo 000 >"$W/code"
}
code() {
	cat "$W/code"
}

# The session cookie in $W/jar, and the CSRF token of a page in CSRF.
login() {
	web_curl -c "$W/jar" "$WEB_URL"
	web_curl -b "$W/jar" "http://$WEB_HP/"
	CSRF=$(sed -n 's/.*name="gp-csrf" content="\([0-9a-f]*\)".*/\1/p' \
	    "$W/body")
}

# A state-changing request as the page sends it: METHOD PATH [FILE].
api_write() {
	local method=$1 path=$2 file=${3:-/dev/null}
	web_curl -b "$W/jar" -X "$method" -H "X-GP-CSRF: $CSRF" \
	    -H 'Content-Type: application/json' --data-binary "@$file" \
	    "http://$WEB_HP$path"
}

# --- tests --------------------------------------------------------------

test_address() {
	[[ $WEB_URL =~ ^http://127\.0\.0\.1:[0-9]+/\?t=[0-9a-f]{32}$ ]] ||
	    fail "first line: $WEB_URL"
}

test_loopback_only() {
	local lines bad
	lines=$(ss -Hltnp | grep "pid=$WEB_PID," || true)
	[ -n "$lines" ] || { fail "no listening socket of pid $WEB_PID"; return; }
	bad=$(echo "$lines" | awk '{ print $4 }' | grep -v "^127\.0\.0\.1:" ||
	    true)
	[ -z "$bad" ] || fail "listens on $bad"
	[ "$(echo "$lines" | awk '{ print $4 }')" = "$WEB_HP" ] ||
	    fail "listens on $(echo "$lines" | awk '{ print $4 }'), not $WEB_HP"
}

test_no_token_403() {
	local path
	for path in / /app.js /style.css /api/periods \
	    "/api/draft?period=2022-H1"; do
		web_curl "http://$WEB_HP$path"
		[ "$(code)" = 403 ] || { fail "$path without cookie: $(code)"; return; }
	done
	web_curl "http://$WEB_HP/?t=00000000000000000000000000000000"
	[ "$(code)" = 403 ] || { fail "wrong token: $(code)"; return; }
	web_curl "http://$WEB_HP/?t="
	[ "$(code)" = 403 ] || fail "empty token: $(code)"
	# A cookie of the right name with a wrong value.
	web_curl -b "gp_web_${WEB_HP##*:}=0123456789abcdef0123456789abcdef" \
	    "http://$WEB_HP/api/periods"
	[ "$(code)" = 403 ] || fail "forged cookie: $(code)"
}

test_token_to_cookie() {
	web_curl -c "$W/jar" "$WEB_URL"
	[ "$(code)" = 303 ] || { fail "token: $(code)"; return; }
	tr -d '\r' <"$W/headers" | grep -qi '^location: /$' ||
	    { fail "not sent on to /: $(cat "$W/headers")"; return; }
	grep -i '^set-cookie:' "$W/headers" | grep -q 'HttpOnly' ||
	    { fail "cookie not HttpOnly"; return; }
	grep -i '^set-cookie:' "$W/headers" | grep -q 'SameSite=Strict' ||
	    { fail "cookie not SameSite=Strict"; return; }
	web_curl -b "$W/jar" "http://$WEB_HP/api/periods"
	[ "$(code)" = 200 ] || { fail "with the cookie: $(code)"; return; }
	[ "$(jget "$W/body" 'r["unit"]')" = lc-tamduong ] ||
	    fail "unit: $(cat "$W/body")"
}

test_wrong_host() {
	local host
	for host in "evil.example:${WEB_HP##*:}" "127.0.0.1:1" \
	    "127.0.0.1" "localhost.evil.example:${WEB_HP##*:}"; do
		web_curl -b "$W/jar" -H "Host: $host" "http://$WEB_HP/api/periods"
		[ "$(code)" = 403 ] || { fail "Host $host: $(code)"; return; }
		web_curl -H "Host: $host" "$WEB_URL"
		[ "$(code)" = 403 ] || { fail "token with Host $host: $(code)"; return; }
	done
	# localhost is another site to a browser: its own cookie.
	web_curl -c "$W/jar.localhost" --resolve "localhost:${WEB_HP##*:}:127.0.0.1" \
	    "http://localhost:${WEB_URL#http://127.0.0.1:}"
	[ "$(code)" = 303 ] || { fail "token through localhost: $(code)"; return; }
	web_curl -b "$W/jar.localhost" --resolve "localhost:${WEB_HP##*:}:127.0.0.1" \
	    "http://localhost:${WEB_HP##*:}/api/periods"
	[ "$(code)" = 200 ] || fail "Host localhost: $(code)"
}

test_headers() {
	local h
	web_curl -b "$W/jar" "http://$WEB_HP/"
	for h in "content-security-policy: default-src 'self'" \
	    "frame-ancestors 'none'" "x-content-type-options: nosniff" \
	    "referrer-policy: no-referrer" "cache-control: no-store"; do
		grep -qi "$h" "$W/headers" || { fail "no '$h'"; return; }
	done
	grep -qi "unsafe-inline\|unsafe-eval" "$W/headers" &&
	    { fail "the policy allows inline code"; return; }
	# The page itself: no inline script or style, nothing from elsewhere.
	grep -Eqi '<script>|<script [^>]*>[^<]|<style| style=| on[a-z]+=' \
	    "$W/body" && { fail "inline script or style in the page"; return; }
	grep -Eqi '(src|href)="(https?:)?//' "$W/body" &&
	    { fail "the page loads something from elsewhere"; return; }
	for h in /app.js /style.css; do
		web_curl -b "$W/jar" "http://$WEB_HP$h"
		grep -qi "x-content-type-options: nosniff" "$W/headers" ||
		    { fail "$h without nosniff"; return; }
		grep -Eq 'https?://' "$W/body" &&
		    { fail "$h names another origin"; return; }
	done
	# The page builds its DOM with textContent, never from HTML.
	grep -Eq 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' \
	    "$ROOT/client/web/app.js" && fail "app.js parses HTML"
	return 0
}

test_csrf() {
	echo '{"activities": []}' >"$W/small.json"
	login
	[ -n "$CSRF" ] || { fail "the page carries no CSRF token"; return; }
	# Without the token (as a cross-site page would send it).
	web_curl -b "$W/jar" -X PUT -H 'Content-Type: application/json' \
	    --data-binary "@$W/small.json" "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 403 ] || { fail "no token: $(code)"; return; }
	web_curl -b "$W/jar" -X POST -H "Origin: http://evil.example" \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data 'x=1' "http://$WEB_HP/api/submit?period=2022"
	[ "$(code)" = 403 ] || { fail "cross-site form post: $(code)"; return; }
	web_curl -b "$W/jar" -X PUT -H "X-GP-CSRF: 0123456789abcdef0123456789abcdef" \
	    -H 'Content-Type: application/json' --data-binary "@$W/small.json" \
	    "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 403 ] || { fail "a made-up token: $(code)"; return; }
	# With the token, but from another origin.
	web_curl -b "$W/jar" -X PUT -H "X-GP-CSRF: $CSRF" \
	    -H "Origin: http://evil.example" -H 'Content-Type: application/json' \
	    --data-binary "@$W/small.json" "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 403 ] || { fail "foreign Origin: $(code)"; return; }
	web_curl -b "$W/jar" -X PUT -H "X-GP-CSRF: $CSRF" \
	    -H "Sec-Fetch-Site: cross-site" -H 'Content-Type: application/json' \
	    --data-binary "@$W/small.json" "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 403 ] || { fail "Sec-Fetch-Site cross-site: $(code)"; return; }
	# Not JSON.
	web_curl -b "$W/jar" -X PUT -H "X-GP-CSRF: $CSRF" \
	    -H 'Content-Type: text/plain' --data-binary "@$W/small.json" \
	    "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 415 ] || { fail "text/plain: $(code)"; return; }
	[ ! -e "$DRAFTS/lc-tamduong_2022.json" ] ||
	    { fail "a refused request saved a draft"; return; }
	# As the page sends it.
	api_write PUT "/api/draft?period=2022" "$W/small.json"
	[ "$(code)" = 200 ] || { fail "the page's request: $(code) $(cat "$W/body")"; return; }
	[ -f "$DRAFTS/lc-tamduong_2022.json" ] || fail "no draft file"
}

test_draft_private() {
	local f=$DRAFTS/lc-tamduong_2022.json
	[ "$(stat -c %a "$DRAFTS")" = 700 ] ||
	    { fail "drafts directory mode $(stat -c %a "$DRAFTS")"; return; }
	[ "$(stat -c %a "$f")" = 600 ] || { fail "draft mode $(stat -c %a "$f")"; return; }
	[ "$(jget "$f" 'r["unit"] + " " + r["period"]')" = "lc-tamduong 2022" ] ||
	    fail "draft: $(cat "$f")"
}

test_oversize() {
	head -c $((3 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$W/big.json"
	api_write POST "/api/validate?period=2022-H1" "$W/big.json"
	[ "$(code)" = 413 ] || { fail "3 MiB with a length: $(code)"; return; }
	web_curl -b "$W/jar" -X POST -H "X-GP-CSRF: $CSRF" \
	    -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "@$W/big.json" "http://$WEB_HP/api/validate?period=2022-H1"
	[ "$(code)" = 413 ] || { fail "3 MiB chunked: $(code)"; return; }
	web_curl -b "$W/jar" "http://$WEB_HP/api/periods"
	[ "$(code)" = 200 ] || fail "after the large bodies: $(code)"
}

test_hostile() {
	local r
	# Requests no browser sends: the server answers or closes, and lives.
	for r in 'GARBAGE\r\n\r\n' 'GET / HTTP/1.1\r\n\r\n' \
	    "GET /$(head -c 70000 /dev/zero | tr '\0' a) HTTP/1.1\r\nHost: $WEB_HP\r\n\r\n" \
	    "GET / HTTP/1.1\r\nHost: $WEB_HP\r\nX: $(head -c 40000 /dev/zero | tr '\0' b)\r\n\r\n" \
	    "POST /api/validate HTTP/1.1\r\nHost: $WEB_HP\r\nContent-Length: -1\r\n\r\n"; do
		printf "$r" | timeout 5 "$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=4)
s.sendall(sys.stdin.buffer.read())
try:
    s.recv(4096)
except OSError:
    pass' "${WEB_HP##*:}" || true
	done
	api_write POST "/api/validate?period=2022-H1" /dev/null
	[ "$(code)" = 400 ] || { fail "empty body: $(code)"; return; }
	echo '[1, 2' >"$W/broken.json"
	api_write POST "/api/validate?period=2022-H1" "$W/broken.json"
	[ "$(code)" = 400 ] || { fail "broken JSON: $(code)"; return; }
	api_write POST "/api/validate?period=../../etc/passwd" "$W/small.json"
	[ "$(code)" = 400 ] || { fail "a path for a period: $(code)"; return; }
	api_write POST "/api/validate?period=2031-H1" "$W/small.json"
	[ "$(code)" = 400 ] || { fail "a year without a form: $(code)"; return; }
	web_curl -b "$W/jar" -X PATCH "http://$WEB_HP/api/periods"
	[ "$(code)" = 405 ] || { fail "PATCH: $(code)"; return; }
	web_curl -b "$W/jar" "http://$WEB_HP/api/nothing"
	[ "$(code)" = 404 ] || { fail "unknown call: $(code)"; return; }
	web_curl -b "$W/jar" "http://$WEB_HP/api/periods"
	[ "$(code)" = 200 ] || fail "after all that: $(code)"
}

test_validate_api() {
	api_write POST "/api/validate?period=2022-H1" "$DATA/invalid-report.json"
	[ "$(code)" = 200 ] || { fail "validate: $(code)"; return; }
	[ "$(jget "$W/body" 'r["valid"]')" = False ] || { fail "valid?"; return; }
	[ "$(jget "$W/body" '" ".join(e["field"] for e in r["errors"])')" = \
	    "activities[1].female narrative.results" ] ||
	    { fail "errors: $(cat "$W/body")"; return; }
	# An empty number is named, and the rest is still judged.
	jmod "$DATA/invalid-report.json" "$W/empty.json" \
	    'r["activities"][0]["sessions"] = None'
	api_write POST "/api/validate?period=2022-H1" "$W/empty.json"
	[ "$(jget "$W/body" '" ".join(e["field"] for e in r["errors"])')" = \
	    "activities[0].sessions activities[1].female narrative.results" ] ||
	    { fail "with an empty number: $(cat "$W/body")"; return; }
	api_write POST "/api/validate?period=2022-H1" "$DATA/lc-tamduong-2022-H1.json"
	[ "$(jget "$W/body" 'r["valid"]')" = True ] ||
	    fail "the sample: $(cat "$W/body")"
}

test_validate_is_validate() {
	# The page's verdict is gp-client validate's, field for field, and
	# word for word as gp-client says it in Vietnamese.
	local want
	"$GP_CLIENT" --json validate "$DATA/invalid-report.json" >"$W/cli.json" \
	    2>/dev/null || true
	want=$(jget "$W/cli.json" '" ".join(e["field"] for e in r["errors"])')
	api_write POST "/api/validate?period=2022-H1" "$DATA/invalid-report.json"
	[ "$(jget "$W/body" '" ".join(e["field"] for e in r["errors"])')" = "$want" ] ||
	    { fail "page: $(cat "$W/body"); validate: $want"; return; }
	GP_LANGUAGE=vi "$GP_CLIENT" validate "$DATA/invalid-report.json" \
	    2>"$W/cli.vi" || true
	want=$(sed -n "s|^$DATA/invalid-report.json: lỗi: ||p" "$W/cli.vi")
	[ -n "$want" ] || { fail "no errors from validate: $(cat "$W/cli.vi")"; return; }
	[ "$("$PY" -c 'import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
print("\n".join(e["field"] + ": " + e["message"] for e in r["errors"]))' "$W/body")" = "$want" ] ||
	    fail "page: $(cat "$W/body"); gp-client validate in Vietnamese: $want"
}

# The Vietnamese of a check's message as po/vi.po has it, filled: MSGID
# ARGS... (the page must show these very words, from the C catalogue).
vi_msgstr() {	# MSGID ARG...
	"$PY" - "$ROOT/po/vi.po" "$@" <<'PY'
import re, sys
po, msgid, args = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
text = open(po, encoding="utf-8").read()
def s(block):
    return "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"')
for entry in text.split("\n\n"):
    m = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', entry, re.M)
    if m and s(m.group(1)) == msgid:
        print(s(m.group(2)) % args)
        break
else:
    sys.exit("no msgid %r in %s" % (msgid, po))
PY
}

test_validate_vietnamese() {
	local want
	want=$(vi_msgstr "%s women among %s participants" 245 210) || {
		fail "vi.po"; return; }
	[ "$want" = "số nữ (245) nhiều hơn số người tham gia (210)" ] ||
	    { fail "vi.po says: $want"; return; }
	api_write POST "/api/validate?period=2022-H1" "$DATA/invalid-report.json"
	[ "$(jget "$W/body" 'r["errors"][0]["message"]')" = "$want" ] ||
	    { fail "page: $(cat "$W/body")"; return; }
	# Dates and numbers as Vietnamese write them.
	jmod "$DATA/invalid-report.json" "$W/late.json" \
	    'r["activities"][1]["female"] = 2000; r["activities"][1]["participants"] = 1500'
	api_write POST "/api/validate?period=2022-H1" "$W/late.json"
	[ "$(jget "$W/body" 'r["errors"][0]["message"]')" = \
	    "$(vi_msgstr "%s women among %s participants" 2.000 1.500)" ] ||
	    { fail "numbers: $(cat "$W/body")"; return; }
	jget "$W/body" '[w["message"] for w in r["warnings"] if w["field"] == "period"][0]' |
	    grep -Eq '^nộp muộn: hạn nộp 10/6/2022, nộp ngày [0-9]{1,2}/[0-9]{1,2}/20[0-9]{2} \(muộn [0-9.]+ ngày\)$' ||
	    fail "the late warning: $(cat "$W/body")"
}

test_submit_not_linked() {
	ldd "$GP_CLIENT" | grep -q microhttpd &&
	    { fail "gp-client links libmicrohttpd"; return; }
	ldd "$GP_CLIENT_WEB" | grep -q microhttpd ||
	    fail "gp-client-web does not link libmicrohttpd"
}

test_browser_fill() {
	local receipt
	receipt=$(timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" fill \
	    2>"$W/py.err") || { fail "web.py fill: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"; return; }
	[ -n "$receipt" ] || { fail "no receipt shown"; return; }
	[ "$(q "select receipt from reports where unit = 'lc-tamduong' and
	    period = '2022-H1' and revision = 1")" = "$receipt" ] ||
	    { fail "the receipt shown, $receipt, is not the stored one"; return; }
	[ "$(q "select count(*) from reports")" = 1 ] ||
	    { fail "$(q "select count(*) from reports") reports stored"; return; }
	[ "$(q "select reporter_name || '|' || reporter_phone from reports")" = \
	    "Lò Thị Hương|0213 3875 214" ] || { fail "reporter"; return; }
	[ "$(q "select group_concat(idx || ':' || date || ':' || ifnull(end_date, '-') ||
	    ':' || sessions || ':' || participants || ':' || female, ' ')
	    from (select * from activities order by idx)")" = \
	    "0:2022-03-07:-:1:85:61 1:2022-01-12:2022-01-14:3:210:124 2:2022-06-28:-:2:45:45" ] ||
	    { fail "activities: $(q "select * from activities")"; return; }
	# The form's lists: codes as the form has them.
	[ "$(q "select area || ' ' || kind || ' ' || occasion || ' ' || status ||
	    ' ' || ifnull(audience, '-') || ' ' || ifnull(topic, '-')
	    from activities where idx = 0")" = \
	    "communication_training talk womens_day done members gender_equality" ] ||
	    { fail "codes: $(q "select * from activities where idx = 0")"; return; }
	[ "$(q "select title from activities where idx = 0")" = \
	    "Nói chuyện chuyên đề “Bình đẳng giới trong gia đình”" ] ||
	    { fail "title: $(q "select title from activities where idx = 0")"; return; }
	[ "$(q "select total || '/' || female from indicators")" = 2874/1356 ] ||
	    { fail "indicators: $(q "select * from indicators")"; return; }
	q "select text from narratives where field = 'results'" |
	    grep -q "^Tổ chức 3 hoạt động" || { fail "narrative"; return; }
	[ ! -e "$DRAFTS/lc-tamduong_2022-H1.json" ] ||
	    fail "the draft is kept after the receipt"
}

test_restart_keeps_draft() {
	stop_web TERM
	[ "$WEB_RC" = 0 ] || { fail "SIGTERM: exit $WEB_RC"; return; }
	grep -q "stopped (terminated)" "$W/web.err" ||
	    { fail "stderr: $(cat "$W/web.err")"; return; }
	[ -f "$DRAFTS/lc-tamduong_2022.json" ] || { fail "the draft is gone"; return; }
	start_web --no-browser || { fail "restart"; return; }
	login
	web_curl -b "$W/jar" "http://$WEB_HP/api/draft?period=2022"
	[ "$(code)" = 200 ] || { fail "draft after restart: $(code)"; return; }
	[ "$(jget "$W/body" 'r["report"]["period"]')" = 2022 ] ||
	    fail "draft: $(cat "$W/body")"
}

test_browser_queued() {
	stop_gpd
	timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" queued \
	    2>"$W/py.err" || { fail "web.py queued: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"; return; }
	[ "$(sqlite3 -batch -noheader "$OUTBOX" "select count(*) from entries
	    where unit = 'lc-tamduong' and period = '2022-H1'")" = 1 ] ||
	    { fail "outbox: $(sqlite3 "$OUTBOX" 'select * from entries')"; return; }
	start_gpd "$W/gpd.conf" || { fail "gpd restart"; return; }
	[ "$(q "select count(*) from reports")" = 1 ] ||
	    { fail "stored while the server was down?"; return; }
	run "$GP_CLIENT" -c "$W/client.conf" flush
	[ "$RC" = 0 ] || { fail "flush: exit $RC: $(cat "$W/err")"; return; }
	[ "$(q "select count(*) from reports where revision = 2")" = 1 ] ||
	    { fail "revision 2 not stored"; return; }
	q "select text from narratives n join reports r on r.id = n.report_id
	    where r.revision = 2 and field = 'next_tasks'" |
	    grep -q "^Tổ chức các hoạt động hưởng ứng" ||
	    { fail "the queued report's text is not stored"; return; }
	# Flushed again: nothing more.
	run "$GP_CLIENT" -c "$W/client.conf" flush
	[ "$(q "select count(*) from reports")" = 2 ] || { fail "stored twice"; return; }
	timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" sent 2 \
	    2>"$W/py.err" || fail "web.py sent: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"
}

# --- the province's review, as the page shows it ------------------------

COMMENT="Mục II: số đoàn viên nữ chưa khớp với báo cáo của các công đoàn cơ sở; đề nghị kiểm tra, sửa và gửi lại."
ACCEPT_COMMENT="Đã đủ số liệu, cảm ơn đơn vị."

admin() {
	client_as admin-test "$@"
}

review_state() {
	q "select state from reviews where unit = 'lc-tamduong' and
	    period = '2022-H1' order by id desc limit 1"
}

test_status_returned() {
	admin review lc-tamduong 2022-H1 return --comment "$COMMENT"
	[ "$RC" = 0 ] || { fail "return: exit $RC: $(cat "$W/err")"; return; }
	login
	web_curl -b "$W/jar" "http://$WEB_HP/api/status?period=2022-H1"
	[ "$(code)" = 200 ] || { fail "/api/status: $(code)"; return; }
	[ "$(jget "$W/body" 'r["review"]["review_state"] + " " + str(r["review"]["revision"]) + " " + str(r["offline"])')" = \
	    "returned 2 None" ] || { fail "review: $(cat "$W/body")"; return; }
	[ "$(jget "$W/body" 'r["review"]["comments"][0]["comment"]')" = "$COMMENT" ] ||
	    { fail "comment: $(cat "$W/body")"; return; }
	[ "$(jget "$W/body" 'r["unit_name"]')" = "LĐLĐ huyện Tam Đường" ] ||
	    { fail "unit name: $(cat "$W/body")"; return; }
	# The very object gp-client status --json prints for the period.
	run "$GP_CLIENT" -c "$W/client.conf" --json status 2022-H1
	[ "$RC" = 1 ] || { fail "status: exit $RC: $(cat "$W/err")"; return; }
	"$PY" -c 'import json, sys
page = json.load(open(sys.argv[1], encoding="utf-8"))["review"]
cli = json.load(open(sys.argv[2], encoding="utf-8"))["periods"][0]
sys.exit(page != cli)' "$W/body" "$W/out" ||
	    { fail "page: $(cat "$W/body"); status: $(cat "$W/out")"; return; }
	# And /api/periods names the unit, now that the server did.
	web_curl -b "$W/jar" "http://$WEB_HP/api/periods"
	[ "$(jget "$W/body" 'r["unit_name"]')" = "LĐLĐ huyện Tam Đường" ] ||
	    fail "periods: $(cat "$W/body")"
}

test_browser_returned() {
	local receipt error
	error=$(vi_msgstr "%s women among %s participants" 1.200 85) ||
	    { fail "vi.po"; return; }
	receipt=$(timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" \
	    returned "$COMMENT" "$error" 2>"$W/py.err") ||
	    { fail "web.py returned: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"; return; }
	[ "$(q "select receipt from reports where revision = 3")" = "$receipt" ] ||
	    { fail "receipt shown $receipt, stored $(q "select receipt from reports where revision = 3")"; return; }
	[ "$(q "select total || '/' || female from indicators i join reports r
	    on r.id = i.report_id where r.revision = 3")" = 2874/1402 ] ||
	    { fail "the correction is not stored"; return; }
	[ "$(review_state)" = returned ] && [ "$(q "select count(*) from reviews
	    where revision = 3")" = 0 ] ||
	    fail "revision 3 should be under review, with no decision yet"
}

test_browser_accepted() {
	admin review lc-tamduong 2022-H1 accept --comment "$ACCEPT_COMMENT"
	[ "$RC" = 0 ] || { fail "accept: exit $RC: $(cat "$W/err")"; return; }
	[ "$(review_state)" = accepted ] || { fail "state $(review_state)"; return; }
	timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" accepted \
	    "$ACCEPT_COMMENT" 2>"$W/py.err" ||
	    fail "web.py accepted: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"
}

test_status_offline() {
	local error
	stop_gpd
	login
	web_curl -b "$W/jar" "http://$WEB_HP/api/status?period=2022-H1"
	[ "$(code)" = 200 ] || { fail "/api/status without a server: $(code)"; return; }
	[ "$(jget "$W/body" 'str(r["review"]) + " " + str(r["offline"]["network"])')" = \
	    "None True" ] || { fail "offline: $(cat "$W/body")"; start_gpd "$W/gpd.conf"; return; }
	[ "$(jget "$W/body" 'r["receipt"]["revision"]')" = 3 ] ||
	    { fail "this machine's receipt: $(cat "$W/body")"; start_gpd "$W/gpd.conf"; return; }
	error=$(vi_msgstr "%s women among %s participants" 1.200 85)
	timeout 120 "$PY" "$ROOT/tests/e2e/web.py" "$WEB_URL" offline \
	    "$error" 2>"$W/py.err" ||
	    fail "web.py offline: $(grep -v "^#[0-9]* 0x" "$W/py.err" | tail -n 20)"
	start_gpd "$W/gpd.conf" || fail "gpd restart"
}

test_port_option() {
	local p
	stop_web TERM
	p=$(free_port)
	start_web --no-browser --port "$p" || { fail "--port $p"; return; }
	[ "$WEB_HP" = "127.0.0.1:$p" ] || { fail "address $WEB_URL"; return; }
	run "$GP_CLIENT" -c "$W/client.conf" web --no-browser --port "$p"
	[ "$RC" = 69 ] || { fail "a port in use: exit $RC"; return; }
	grep -q "cannot listen on 127.0.0.1:$p" "$W/err" ||
	    { fail "stderr: $(cat "$W/err")"; return; }
	run "$GP_CLIENT" -c "$W/client.conf" web --port 0
	[ "$RC" = 64 ] || fail "--port 0: exit $RC"
}

test_sigint() {
	stop_web INT
	[ "$WEB_RC" = 0 ] || { fail "SIGINT: exit $WEB_RC"; return; }
	grep -q "stopped (interrupted)" "$W/web.err" || fail "$(cat "$W/web.err")"
}

test_idle() {
	GP_WEB_IDLE_SECONDS=1 start_web --no-browser || { fail "start"; return; }
	wait_web_exit
	[ "$WEB_RC" = 0 ] || { fail "idle: exit $WEB_RC"; return; }
	grep -q "stopped (no request for 1 s)" "$W/web.err" ||
	    fail "stderr: $(cat "$W/web.err")"
}

# Fake openers on PATH record what they were asked to open; each also
# writes to its standard output, which must not reach ours.
fake_opener() {	# NAME
	mkdir -p "$W/bin"
	cat >"$W/bin/$1" <<SH
#!/bin/sh
echo "opened by $1"
printf '%s\n' "\$*" >"$W/opened.$1"
SH
	chmod 755 "$W/bin/$1"
}

# Starts gp-client web with the browser, waits for the opener NAME.
opened_with() {	# NAME
	local _
	rm -f "$W/opened.$1"
	PATH="$W/bin:$PATH" start_web || return 1
	for _ in $(seq 100); do
		[ -s "$W/opened.$1" ] && break
		sleep 0.1
	done
	stop_web TERM
	[ "$(wc -l <"$W/web.out")" = 1 ] || {
		fail "more than the address on stdout: $(cat "$W/web.out")"
		return 1
	}
	[ -s "$W/opened.$1" ]
}

test_browser_linux() {
	echo "Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org)" \
	    >"$W/version-linux"
	fake_opener xdg-open
	fake_opener wslview
	GP_WEB_PROC_VERSION=$W/version-linux opened_with xdg-open ||
	    { fail "xdg-open was not run"; return; }
	[ "$(cat "$W/opened.xdg-open")" = "$WEB_URL" ] ||
	    { fail "xdg-open got: $(cat "$W/opened.xdg-open")"; return; }
	[ ! -e "$W/opened.wslview" ] || fail "wslview run outside WSL"
}

test_browser_wsl() {
	echo "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f)" \
	    >"$W/version-wsl"
	rm -f "$W/bin/xdg-open"
	GP_WEB_PROC_VERSION=$W/version-wsl opened_with wslview ||
	    { fail "wslview was not run"; return; }
	[ "$(cat "$W/opened.wslview")" = "$WEB_URL" ] ||
	    { fail "wslview got: $(cat "$W/opened.wslview")"; return; }
	# Without wslview: cmd.exe /c start.
	rm -f "$W/bin/wslview"
	fake_opener cmd.exe
	GP_WEB_PROC_VERSION=$W/version-wsl opened_with cmd.exe ||
	    { fail "cmd.exe was not run"; return; }
	[ "$(cat "$W/opened.cmd.exe")" = "/c start $WEB_URL" ] ||
	    fail "cmd.exe got: $(cat "$W/opened.cmd.exe")"
}

start_gpd "$W/gpd.conf" || exit 1
start_web --no-browser || exit 1

t "the address is the first line: http://127.0.0.1:PORT/?t=TOKEN" test_address
t "listens on 127.0.0.1 only (ss)" test_loopback_only
t "no token, a wrong token or a forged cookie: 403" test_no_token_403
t "the token becomes an HttpOnly SameSite=Strict cookie" test_token_to_cookie
t "a wrong Host is refused (DNS rebinding)" test_wrong_host
t "CSP, nosniff, no referrer, no-store; no inline code" test_headers
t "writes need the page's CSRF token, our origin and JSON" test_csrf
t "drafts are private (700/600)" test_draft_private
t "a body over the limit: 413" test_oversize
t "requests no browser sends are answered, and it lives" test_hostile
t "/api/validate: every error by field, also around an empty number" test_validate_api
t "/api/validate says what gp-client validate says" test_validate_is_validate
t "/api/validate speaks the catalogue's Vietnamese (vi.po), numbers and dates too" \
    test_validate_vietnamese
t "gp-client itself does not link libmicrohttpd" test_submit_not_linked
t "browser: three activities, an error comes and goes, draft, submit" test_browser_fill
t "SIGTERM stops it; the draft is there after a restart" test_restart_keeps_draft
t "browser: server down, 'đang chờ gửi', flush delivers it once" test_browser_queued
t "/api/status: returned, its comment and the unit's name, as gp-client status" \
    test_status_returned
t "browser: returned with a comment, in Vietnamese; corrected, sent again" \
    test_browser_returned
t "browser: accepted, final, the send button off" test_browser_accepted
t "/api/status and the page without a server: said plainly, still checks" \
    test_status_offline
t "--port N, a port in use (69), a bad port (64)" test_port_option
t "SIGINT stops it" test_sigint
t "--idle: stops by itself" test_idle
t "Linux: xdg-open opens the address" test_browser_linux
t "WSL: wslview, else cmd.exe /c start" test_browser_wsl

if [ "$NFAIL" -gt 0 ]; then
	echo "# gp-client web's stderr:"
	sed 's/^/#   /' "$W/web.err"
fi
summary
