#!/bin/bash
# End-to-end tests of gp-client's outbox, retries, receipts and doctor
# (issue 5): the real gpd on 127.0.0.1 with a throwaway PKI, the real
# gp-client, and small Python stand-ins for what a real network does to
# it: a proxy that cuts the connection once the server has answered, a
# server that says busy, one that never answers. Every test asserts what
# is in the server's database and in the outbox, not only exit codes.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/outbox.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
TAMDUONG=$DATA/lc-tamduong-2022-H1.json
INVALID=$DATA/invalid-report.json

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup outbox openssl sqlite3 python3 timeout	# W, PORT, DB
HELPERS=
suite_cleanup() {
	local pid
	stop_gpd
	for pid in $HELPERS; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# Retries back off for milliseconds, not seconds.
export GP_CLIENT_BACKOFF_BASE_MS=20

e2e_pki lc-tamduong lc-sinho
OUTBOX=$W/outbox.db
e2e_units lc-tamduong lc-sinho
e2e_gpd_conf "$W/gpd.conf" "max_connections = 50" "handshake_timeout = 5" \
    "idle_timeout = 20"

# Reports of lc-tamduong: revisions of the sample (each gets its own
# content-derived id) for 2022-H1, and for the year 2022; all made at once
# (Python starts slowly).
python3 -c 'import json, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
base.pop("id", None)
for period in ("2022-H1", "2022"):
    for n in range(1, 31):
        r = json.loads(json.dumps(base))
        r["period"] = period
        r["narrative"]["results"] += " Bổ sung lần %d." % n
        with open("%s/rev-%s-%d.json" % (sys.argv[2], period, n), "w",
                encoding="utf-8") as f:
            json.dump(r, f, ensure_ascii=False, indent=1)' "$TAMDUONG" "$W"

revision() {	# N [PERIOD]: prints the path of revision N
	echo "$W/rev-${2:-2022-H1}-$1.json"
}

# The submission id gp-client derives for a report file.
id_of() {	# FILE
	"$GP_CLIENT" --json validate "$1" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'
}

# gp-client as NAME against 127.0.0.1:PORT (gpc: gpd's port), with the
# outbox $OUTBOX (a test may make it local) and a short timeout.
gpc_at() {	# PORT NAME ARGS...
	client_to "$1" "$2" --outbox "$OUTBOX" --timeout 5 "${@:3}"
}
gpc() {	# NAME ARGS...
	gpc_at "$PORT" "$@"
}

# What the outbox holds, one "STATE ID ATTEMPTS" line per entry.
outbox_rows() {
	[ -f "$OUTBOX" ] || return 0
	sqlite3 -batch -noheader "$OUTBOX" \
	    "select state || ' ' || id || ' ' || attempts from entries order by seq"
}
outbox_count() {
	if [ -f "$OUTBOX" ]; then
		sqlite3 -batch -noheader "$OUTBOX" "select count(*) from entries"
	else
		echo 0
	fi
}

stored() {	# ID: how many times the server stored it
	q "select count(*) from reports where submission_id = '$1'"
}

# A port where nothing listens: gpd is not started yet, or was stopped.
DOWN=$(free_port)

# --- stand-ins for the network -------------------------------------------

# A TCP proxy that relays both ways and, with cut, resets both sides as
# soon as the server sends anything after the client has sent more than
# THRESHOLD bytes: the request is in, the server has committed and
# answered, and the client never reads the receipt.
cat > "$W/proxy.py" <<'PY'
import socket, sys, threading

listen, target, threshold = (int(a) for a in sys.argv[1:4])
log = open(sys.argv[4], "a", buffering=1)

def serve(c):
    s = socket.create_connection(("127.0.0.1", target))
    sent = [0]
    done = threading.Event()

    def cut():
        log.write("cut after %d bytes\n" % sent[0])
        done.set()
        # shutdown, not only close: the relay thread blocked in recv()
        # holds the socket open until it is woken.
        for x in (c, s):
            try:
                x.shutdown(socket.SHUT_RDWR)
                x.close()
            except OSError:
                pass

    def up():
        while not done.is_set():
            try:
                b = c.recv(65536)
            except OSError:
                break
            if not b:
                break
            sent[0] += len(b)
            try:
                s.sendall(b)
            except OSError:
                break
        done.set()

    threading.Thread(target=up, daemon=True).start()
    while not done.is_set():
        try:
            b = s.recv(65536)
        except OSError:
            break
        if not b:
            break
        if sent[0] > threshold:
            cut()
            return
        try:
            c.sendall(b)
        except OSError:
            break
    for x in (c, s):
        try:
            x.close()
        except OSError:
            pass

l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", listen))
l.listen(16)
while True:
    c, _ = l.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY

# A gp/1 server that answers every request with BUSY, retry_after N,
# writing one line per request to LOG: "request BYTES report SHA256", the
# SHA-256 of the report bytes the submit carried.
cat > "$W/busy.py" <<'PY'
import hashlib, socket, ssl, struct, sys

port, cert, key, ca, retry_after, log = sys.argv[1:7]
log = open(log, "a", buffering=1)

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def field(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload

def fields(buf):
    """The length-delimited fields of a message: {number: bytes}."""
    out, i = {}, 0
    def rd():
        nonlocal i
        n = shift = 0
        while True:
            b = buf[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n
    while i < len(buf):
        k = rd()
        if k & 7 == 0:
            rd()
        elif k & 7 == 2:
            ln = rd()
            out[k >> 3] = buf[i:i + ln]
            i += ln
        else:
            break
    return out

def report_of(frame):
    """Request.submit (10) .report (1), as sent."""
    report = fields(fields(frame[4:]).get(10, b"")).get(1)
    return hashlib.sha256(report).hexdigest() if report is not None else "-"

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.set_alpn_protocols(["gp/1"])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(port)))
l.listen(16)
error = (varint(1 << 3) + varint(6) + field(2, b"shutting down") +
    varint(4 << 3) + varint(int(retry_after)))
answer = varint(1 << 3) + varint(1) + field(9, error)
while True:
    raw, _ = l.accept()
    raw.settimeout(10)
    try:
        c = ctx.wrap_socket(raw, server_side=True)
        buf = b""
        while len(buf) < 4 or len(buf) < 4 + struct.unpack(">I", buf[:4])[0]:
            b = c.recv(65536)
            if not b:
                break
            buf += b
        log.write("request %d bytes report %s\n" % (len(buf), report_of(buf)))
        c.sendall(struct.pack(">I", len(answer)) + answer)
        c.close()
    except (ssl.SSLError, OSError) as e:
        log.write("error %s\n" % e)
        raw.close()
PY

# A port that accepts TCP connections (the kernel does, from its backlog)
# and never says anything.
cat > "$W/silent.py" <<'PY'
import socket, sys, time
l = socket.socket()
l.bind(("127.0.0.1", int(sys.argv[1])))
l.listen(16)
time.sleep(120)
PY

start_helper() {	# PORT SCRIPT ARGS...
	local port=$1
	shift
	python3 "$@" 2>>"$W/helpers.log" &
	HELPERS="$HELPERS $!"
	wait_listen "$port"
}

# --- server down ----------------------------------------------------------

REV1=$(revision 1)
ID1=$(id_of "$REV1")

test_down_queues() {
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$REV1"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	grep -q "^gp-client: cannot reach 127.0.0.1:$DOWN (.*); the report is queued in the outbox and will be sent by 'gp-client flush'$" "$W/err" ||
	    { fail "sentence: $(cat "$W/err")"; return; }
	[ "$(outbox_rows)" = "waiting $ID1 1" ] || { fail "outbox: $(outbox_rows)"; return; }
	[ "$(sqlite3 "$OUTBOX" 'pragma journal_mode')" = wal ] ||
	    { fail "outbox not in WAL mode"; return; }
	[ "$(stat -c %a "$OUTBOX")" = 600 ] ||
	    { fail "outbox mode $(stat -c %a "$OUTBOX")"; return; }
	# The exact bytes that will be sent are kept.
	[ "$(sqlite3 "$OUTBOX" "select length(report) > 1000 and
	    length(content_hash) = 64 from entries where id = '$ID1'")" = 1 ] ||
	    { fail "report bytes or hash not kept"; return; }
}

test_outbox_lists() {
	gpc lc-tamduong outbox
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^state  *unit  *period  *id  *first try  *tries  *last error$" "$W/out" &&
	    grep -q "^waiting  *lc-tamduong  *2022-H1  *$ID1 .* 1  cannot reach 127.0.0.1:$DOWN: " "$W/out" ||
	    { fail "table: $(cat "$W/out")"; return; }
	gpc lc-tamduong --json outbox
	[ "$(jget "$W/out" '"%d %s %s %s %d %s" % (len(r), r[0]["unit"],
	    r[0]["period"], r[0]["id"], r[0]["attempts"],
	    r[0]["first_attempt"] is not None)')" = \
	    "1 lc-tamduong 2022-H1 $ID1 1 True" ] ||
	    { fail "json: $(cat "$W/out")"; return; }
}

test_retries_counted() {
	local t0 t1
	t0=$(now_ms)
	gpc_at "$DOWN" lc-tamduong --retries 3 submit "$REV1"
	t1=$(now_ms)
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	# One entry still, with 1 + 4 tries; backoff of 20 ms bases is quick.
	[ "$(outbox_rows)" = "waiting $ID1 5" ] || { fail "outbox: $(outbox_rows)"; return; }
	[ $((t1 - t0)) -lt 5000 ] || { fail "took $((t1 - t0)) ms"; return; }
}

test_invalid_never_queued() {
	local before
	before=$(outbox_count)
	gpc_at "$DOWN" lc-tamduong submit "$INVALID"
	[ "$RC" -eq 65 ] || { fail "exit $RC, want 65: $(cat "$W/err")"; return; }
	[ "$(outbox_count)" = "$before" ] || { fail "outbox: $(outbox_rows)"; return; }
}

test_no_queue() {
	local before
	before=$(outbox_rows)
	gpc_at "$DOWN" lc-tamduong --retries 0 submit --no-queue "$(revision 9)"
	[ "$RC" -eq 69 ] || { fail "exit $RC, want 69: $(cat "$W/err")"; return; }
	[ "$(outbox_rows)" = "$before" ] || { fail "outbox: $(outbox_rows)"; return; }
}

test_queued_json() {
	local rev
	rev=$(revision 2)
	gpc_at "$DOWN" lc-tamduong --json --retries 0 submit "$rev"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["status"] + " " + r["code"] + " " + r["id"]')" = \
	    "queued try_later $(id_of "$rev")" ] || { fail "json: $(cat "$W/out")"; return; }
	[ "$(outbox_count)" = 2 ] || { fail "outbox: $(outbox_rows)"; return; }
}

# The default place, under $XDG_STATE_HOME, made private.
test_default_location() {
	run "$GP_CLIENT" -s "127.0.0.1:$DOWN" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    --retries 0 submit "$REV1"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	[ -f "$XDG_STATE_HOME/gp/outbox.db" ] || { fail "no $XDG_STATE_HOME/gp/outbox.db"; return; }
	[ "$(stat -c %a "$XDG_STATE_HOME/gp")" = 700 ] ||
	    { fail "directory mode $(stat -c %a "$XDG_STATE_HOME/gp")"; return; }
	[ "$(stat -c %a "$XDG_STATE_HOME/gp/outbox.db")" = 600 ] ||
	    { fail "file mode $(stat -c %a "$XDG_STATE_HOME/gp/outbox.db")"; return; }
}

test_drop() {
	local rev id
	rev=$(revision 3)
	id=$(id_of "$rev")
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$rev"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75"; return; }
	gpc lc-tamduong outbox --drop "$id"
	[ "$RC" -eq 0 ] || { fail "drop: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^dropped lc-tamduong 2022-H1 $id" "$W/out" || { fail "drop: $(cat "$W/out")"; return; }
	outbox_rows | grep -q "$id" && { fail "still there: $(outbox_rows)"; return; }
	gpc lc-tamduong outbox --drop "$id"
	[ "$RC" -eq 64 ] || { fail "second drop: exit $RC, want 64"; return; }
}

test_doctor_down() {
	gpc lc-tamduong doctor
	[ "$RC" -ne 0 ] || { fail "exit 0 with the server down"; return; }
	grep -q '^FAIL reachable ' "$W/out" || { fail "no FAIL line: $(cat "$W/out")"; return; }
	grep -q '^OK   key ' "$W/out" || { fail "key: $(cat "$W/out")"; return; }
	grep -q '^WARN outbox .*2 reports waiting' "$W/out" || { fail "outbox: $(cat "$W/out")"; return; }
}

test_doctor_bad_key() {
	gpc_at "$PORT" lc-tamduong --key "$W/pki/lc-sinho.key" doctor
	[ "$RC" -eq 78 ] || { fail "exit $RC, want 78: $(cat "$W/out")"; return; }
	grep -q '^FAIL key .*does not belong' "$W/out" || { fail "$(cat "$W/out")"; return; }
}

# A busy server is asked again after retry_after, then the report stays
# queued; a retry_after beyond the cap is not waited for at all.
test_busy() {
	local bport t0 t1 n rev OUTBOX=$W/busy.db
	bport=$(free_port)
	start_helper "$bport" "$W/busy.py" "$bport" "$W/pki/server.crt" \
	    "$W/pki/server.key" "$W/pki/ca.crt" 1 "$W/busy.log" ||
	    { fail "busy server did not start"; return; }
	rev=$(revision 4)
	t0=$(now_ms)
	gpc_at "$bport" lc-tamduong --retries 1 submit "$rev"
	t1=$(now_ms)
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	grep -q 'could not take the report (busy: shutting down); the report is queued' "$W/err" ||
	    { fail "sentence: $(cat "$W/err")"; return; }
	n=$(grep -c '^request' "$W/busy.log")
	[ "$n" = 2 ] || { fail "$n requests, want 2: $(cat "$W/busy.log")"; return; }
	[ $((t1 - t0)) -ge 1000 ] || { fail "did not wait retry_after: $((t1 - t0)) ms"; return; }
	outbox_rows | grep -q "^waiting $(id_of "$rev") 2$" || { fail "outbox: $(outbox_rows)"; return; }
}

# The report is packed once: every try, of submit and of flush, sends
# the bytes the outbox keeps, and gpd's receipt is for those bytes.
test_same_bytes_every_try() {
	local bport rev id kept sent OUTBOX=$W/busy.db
	rev=$(revision 4)
	id=$(id_of "$rev")
	kept=$(sqlite3 "$OUTBOX" "select hex(report) from entries where id = '$id'" |
	    python3 -c 'import hashlib, sys
print(hashlib.sha256(bytes.fromhex(sys.stdin.read().strip())).hexdigest())')
	[ "$kept" = "$(sqlite3 "$OUTBOX" "select content_hash from entries where id = '$id'")" ] ||
	    { fail "content_hash is not the SHA-256 of the bytes kept"; return; }
	sent=$(sed -n 's/^request [0-9]* bytes report //p' "$W/busy.log" | sort -u)
	[ "$sent" = "$kept" ] || { fail "submit's tries sent $sent, the outbox keeps $kept"; return; }
	bport=$(free_port)
	start_helper "$bport" "$W/busy.py" "$bport" "$W/pki/server.crt" \
	    "$W/pki/server.key" "$W/pki/ca.crt" 0 "$W/busy3.log" ||
	    { fail "busy server did not start"; return; }
	gpc_at "$bport" lc-tamduong --retries 2 flush
	[ "$RC" -eq 75 ] || { fail "flush: exit $RC, want 75: $(cat "$W/err")"; return; }
	[ "$(grep -c "^request [0-9]* bytes report $kept\$" "$W/busy3.log")" = 3 ] ||
	    { fail "flush's 3 tries: $(cat "$W/busy3.log"), want $kept"; return; }
	gpc_at "$PORT" lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "flush to gpd: exit $RC: $(cat "$W/err")"; return; }
	[ "$(sqlite3 "$OUTBOX" "select report_sha256 from receipts where submission_id = '$id'")" = "$kept" ] ||
	    { fail "gpd's receipt is not for the bytes kept"; return; }
}

test_busy_too_long() {
	local bport n OUTBOX=$W/busy.db
	bport=$(free_port)
	start_helper "$bport" "$W/busy.py" "$bport" "$W/pki/server.crt" \
	    "$W/pki/server.key" "$W/pki/ca.crt" 100000 "$W/busy2.log" ||
	    { fail "busy server did not start"; return; }
	gpc_at "$bport" lc-tamduong --retries 3 submit "$(revision 4)"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	n=$(grep -c '^request' "$W/busy2.log")
	[ "$n" = 1 ] || { fail "$n requests, want 1"; return; }
}

test_timeout_bounded() {
	local sport t0 t1 rev OUTBOX=$W/silent.db
	sport=$(free_port)
	start_helper "$sport" "$W/silent.py" "$sport" ||
	    { fail "silent server did not start"; return; }
	rev=$(revision 5)
	t0=$(now_ms)
	gpc_at "$sport" lc-tamduong --timeout 1 --retries 1 submit "$rev"
	t1=$(now_ms)
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err")"; return; }
	grep -q '(no answer within 1 second)' "$W/err" || { fail "sentence: $(cat "$W/err")"; return; }
	# Two tries of 1 s and a backoff of at most 20 ms.
	[ $((t1 - t0)) -lt 3500 ] || { fail "took $((t1 - t0)) ms"; return; }
	outbox_rows | grep -q "^waiting $(id_of "$rev") 2$" || { fail "outbox: $(outbox_rows)"; return; }
}

# --- server up ------------------------------------------------------------

test_flush_stores_once() {
	local ids id want got i n
	ids=$(sqlite3 "$OUTBOX" "select id from entries order by seq")
	n=$(outbox_count)
	[ "$n" -ge 2 ] || { fail "only $n entries queued"; return; }
	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/err" "$W/out")"; return; }
	grep -q "^flush: $n delivered (0 duplicates), 0 refused; the outbox holds 0 waiting, 0 refused$" "$W/out" ||
	    { fail "summary: $(cat "$W/out")"; return; }
	# No progress lines without a terminal.
	grep -q '^\[' "$W/out" && { fail "progress lines: $(cat "$W/out")"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	# Each stored once, as revisions in the order they were queued.
	i=0
	for id in $ids; do
		i=$((i + 1))
		[ "$(stored "$id")" = 1 ] || { fail "$id stored $(stored "$id") times"; return; }
		got=$(q "select revision from reports where submission_id = '$id'")
		[ "$got" = "$i" ] || { fail "$id is revision $got, want $i"; return; }
	done
	want=$(q "select count(*) from reports")
	[ "$want" = "$i" ] || { fail "$want reports stored, $i queued"; return; }
}

test_flush_empty() {
	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	gpc lc-tamduong outbox
	grep -q '^the outbox is empty' "$W/out" || { fail "$(cat "$W/out")"; return; }
}

# Revisions waiting in the outbox go first, so that the server numbers
# them in the order they were made.
test_submit_sends_earlier_first() {
	local a b c ida idb idc
	a=$(revision 20)
	b=$(revision 21)
	c=$(revision 22)
	ida=$(id_of "$a")
	idb=$(id_of "$b")
	idc=$(id_of "$c")
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$a"
	[ "$RC" -eq 75 ] || { fail "queue a: exit $RC"; return; }
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$b"
	[ "$RC" -eq 75 ] || { fail "queue b: exit $RC"; return; }
	gpc lc-tamduong submit "$c"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^gp-client: first sending the earlier report $ida " "$W/err" ||
	    { fail "no note on $ida: $(cat "$W/err")"; return; }
	[ "$(q "select group_concat(submission_id, ' ') from (select
	    submission_id from reports where submission_id in ('$ida', '$idb',
	    '$idc') order by revision)")" = "$ida $idb $idc" ] ||
	    { fail "order: $(q "select submission_id, revision from reports")"; return; }
	grep -q "^accepted lc-tamduong 2022-H1 revision [0-9]* receipt " "$W/out" ||
	    { fail "output: $(cat "$W/out")"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
}

test_receipts() {
	gpc lc-tamduong --json receipts --unit lc-tamduong --period 2022-H1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	local mine theirs
	mine=$(jget "$W/out" '" ".join(sorted(x["receipt"] + ":" + x["id"] for x in r))')
	theirs=$(q "select group_concat(receipt || ':' || submission_id, ' ')
	    from (select receipt, submission_id from reports order by receipt)")
	[ "$mine" = "$theirs" ] || { fail "kept '$mine', server '$theirs'"; return; }
	gpc lc-tamduong receipts
	local first
	first=$(q "select receipt from reports where revision = 1 and period = '2022-H1'")
	grep -q "^received  *unit  *period  *rev  *receipt  *note$" "$W/out" &&
	    grep -q "lc-tamduong  *2022-H1  *1  $first " "$W/out" || { fail "table: $(cat "$W/out")"; return; }
	gpc lc-tamduong --json receipts --period 2022
	[ "$(cat "$W/out")" = "[]" ] || { fail "filter: $(cat "$W/out")"; return; }
	# The bytes sent are kept with the receipt.
	[ "$(sqlite3 "$OUTBOX" "select count(*) from receipts where
	    length(report) > 1000 and length(content_hash) = 64")" -ge 2 ] ||
	    { fail "receipts without the report's bytes"; return; }
}

test_submit_keeps_receipt() {
	local rev id
	rev=$(revision 6)
	id=$(id_of "$rev")
	gpc lc-tamduong submit "$rev"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(sqlite3 "$OUTBOX" "select count(*) from receipts where submission_id = '$id'
	    and receipt = '$(receipt_of_out)' and server = '127.0.0.1:$PORT'")" = 1 ] ||
	    { fail "receipt not kept"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	# A signed receipt is kept with its signature, and the server hashed
	# exactly the bytes the outbox keeps.
	[ "$(sqlite3 "$OUTBOX" "select count(*) from receipts where
	    report_sha256 is not null and (report_sha256 <> content_hash
	    or signature is null or certificate is null)")" = 0 ] ||
	    { fail "signed receipts kept wrong: $(sqlite3 "$OUTBOX" \
	    "select receipt, report_sha256, content_hash from receipts")"; return; }
}

test_permanent_not_queued() {
	local before
	before=$(counts)
	# lc-sinho may not submit lc-tamduong's report.
	gpc lc-sinho submit "$(revision 7)"
	[ "$RC" -eq 77 ] || { fail "exit $RC, want 77: $(cat "$W/err")"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	# Same id, different content: a conflict.
	jmod "$(revision 6)" "$W/conflict.json" "r['id'] = '$(id_of "$(revision 6)")'
r['narrative']['results'] += ' Khác.'"
	[ -s "$W/conflict.json" ] || { fail "no conflict.json"; return; }
	gpc lc-tamduong submit "$W/conflict.json"
	[ "$RC" -eq 65 ] || { fail "exit $RC, want 65: $(cat "$W/err")"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	[ "$(counts)" = "$before" ] || { fail "database changed: $(counts)"; return; }
}

# The server commits, the connection dies before the receipt is read: the
# report stays queued, and flushing it gets the first receipt back as a
# duplicate, stored once.
test_cut_after_commit() {
	local pport rev id receipt
	pport=$(free_port)
	# The handshake is some 1.5 kB from the client, the request (this
	# report) over 3.5 kB; gpd sends no session tickets.
	start_helper "$pport" "$W/proxy.py" "$pport" "$PORT" 2500 "$W/proxy.log" ||
	    { fail "proxy did not start"; return; }
	rev=$(revision 8)
	id=$(id_of "$rev")
	gpc_at "$pport" lc-tamduong --retries 0 submit "$rev"
	[ "$RC" -eq 75 ] || { fail "exit $RC, want 75: $(cat "$W/err" "$W/out")"; return; }
	grep -q '^cut after' "$W/proxy.log" || { fail "proxy did not cut"; return; }
	grep -q 'before answering); the report is queued' "$W/err" ||
	    { fail "sentence: $(cat "$W/err")"; return; }
	[ "$(stored "$id")" = 1 ] || { fail "server did not commit before the cut"; return; }
	[ "$(outbox_rows)" = "waiting $id 1" ] || { fail "outbox: $(outbox_rows)"; return; }
	receipt=$(q "select receipt from reports where submission_id = '$id'")

	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "flush: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^duplicate lc-tamduong 2022-H1 revision [0-9]* receipt $receipt " "$W/out" ||
	    { fail "not a duplicate with the first receipt: $(cat "$W/out")"; return; }
	[ "$(stored "$id")" = 1 ] || { fail "stored $(stored "$id") times"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	[ "$(sqlite3 "$OUTBOX" "select duplicate from receipts where submission_id = '$id'")" = 1 ] ||
	    { fail "receipt not kept as duplicate"; return; }
}

# At a terminal flush says what it is sending before each report.
test_flush_progress() {
	local rev id
	if ! command -v script >/dev/null; then
		echo "# script(1) missing: progress lines not checked"
		return 0
	fi
	rev=$(revision 23)
	id=$(id_of "$rev")
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$rev"
	[ "$RC" -eq 75 ] || { fail "queue: exit $RC"; return; }
	RC=0
	timeout 30 script -qec "'$GP_CLIENT' -s 127.0.0.1:$PORT \
	    --ca '$W/pki/ca.crt' --cert '$W/pki/lc-tamduong.crt' \
	    --key '$W/pki/lc-tamduong.key' --outbox '$OUTBOX' flush" \
	    /dev/null >"$W/out" 2>&1 </dev/null || RC=$?
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out")"; return; }
	grep -q "^\[1/1\] sending lc-tamduong 2022-H1 $id " "$W/out" ||
	    { fail "no progress line: $(cat "$W/out")"; return; }
	grep -q "^accepted lc-tamduong 2022-H1 " "$W/out" ||
	    { fail "no result line: $(cat "$W/out")"; return; }
}

# A refusal met by flush is kept, marked failed, until retried or dropped.
test_flush_refusal_kept() {
	local rev id
	rev=$(revision 10)
	id=$(id_of "$rev")
	gpc_at "$DOWN" lc-tamduong --retries 0 submit "$rev"
	[ "$RC" -eq 75 ] || { fail "queue: exit $RC"; return; }
	# Flushed with another unit's certificate: permission denied.
	gpc lc-sinho flush
	[ "$RC" -eq 65 ] || { fail "flush: exit $RC, want 65: $(cat "$W/err" "$W/out")"; return; }
	grep -q "^refused lc-tamduong 2022-H1 $id: permission_denied" "$W/out" ||
	    { fail "flush output: $(cat "$W/out")"; return; }
	outbox_rows | grep -q "^failed $id " || { fail "outbox: $(outbox_rows)"; return; }
	[ "$(stored "$id")" = 0 ] || { fail "stored"; return; }
	gpc lc-tamduong outbox
	grep -q "^failed .* permission_denied" "$W/out" || { fail "outbox: $(cat "$W/out")"; return; }
	gpc lc-tamduong doctor
	grep -q '^FAIL outbox .*1 report the server refused' "$W/out" ||
	    { fail "doctor: $(cat "$W/out")"; return; }
	# A failed entry is not sent again by flush...
	gpc lc-tamduong flush
	[ "$RC" -eq 65 ] || { fail "second flush: exit $RC, want 65"; return; }
	[ "$(stored "$id")" = 0 ] || { fail "sent again"; return; }
	# ...until retried.
	gpc lc-tamduong outbox --retry "$id"
	[ "$RC" -eq 0 ] || { fail "retry: exit $RC: $(cat "$W/err")"; return; }
	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "third flush: exit $RC: $(cat "$W/err")"; return; }
	[ "$(stored "$id")" = 1 ] || { fail "stored $(stored "$id") times"; return; }
}

# Two flush processes at once over reports of two periods: each report is
# stored exactly once, and each period's revisions keep their order.
test_concurrent_flush() {
	local i ids id rc1=0 rc2=0 p1 p2 period got want
	stop_gpd
	for i in 11 12 13 14 15 16; do
		gpc_at "$DOWN" lc-tamduong --retries 0 submit "$(revision "$i")"
		[ "$RC" -eq 75 ] || { fail "queue $i: exit $RC"; return; }
		gpc_at "$DOWN" lc-tamduong --retries 0 submit "$(revision "$i" 2022)"
		[ "$RC" -eq 75 ] || { fail "queue $i (2022): exit $RC"; return; }
	done
	[ "$(outbox_count)" = 12 ] || { fail "outbox: $(outbox_rows)"; return; }
	ids=$(sqlite3 "$OUTBOX" "select id from entries order by seq")
	start_gpd "$W/gpd.conf" || { fail "gpd did not restart"; return; }

	timeout 60 "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    --outbox "$OUTBOX" flush >"$W/f1.out" 2>"$W/f1.err" &
	p1=$!
	timeout 60 "$GP_CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    --outbox "$OUTBOX" flush >"$W/f2.out" 2>"$W/f2.err" &
	p2=$!
	wait "$p1" || rc1=$?
	wait "$p2" || rc2=$?
	case "$rc1 $rc2" in
	"0 0"|"0 75"|"75 0") ;;
	*) fail "exits $rc1 $rc2: $(cat "$W/f1.err" "$W/f2.err")"; return;;
	esac
	for id in $ids; do
		[ "$(stored "$id")" = 1 ] || { fail "$id stored $(stored "$id") times"; return; }
	done
	grep -h '^duplicate' "$W/f1.out" "$W/f2.out" &&
	    { fail "an entry was sent twice"; return; }
	[ "$(outbox_count)" = 0 ] || { fail "outbox: $(outbox_rows)"; return; }
	for period in 2022-H1 2022; do
		got=$(q "select group_concat(submission_id, ' ') from (select
		    submission_id from reports where period = '$period' and
		    submission_id in ($(echo "$ids" | sed "s/.*/'&'/" | paste -sd,))
		    order by revision)")
		want=$(for id in $ids; do
			[ "$(q "select period from reports where submission_id = '$id'")" = "$period" ] &&
			    echo "$id"
		done | paste -sd' ')
		[ "$got" = "$want" ] || { fail "$period order: got $got, want $want"; return; }
	done
	gpc lc-tamduong flush
	[ "$RC" -eq 0 ] || { fail "final flush: exit $RC"; return; }
}

test_doctor_up() {
	gpc lc-tamduong doctor
	[ "$RC" -eq 0 ] || { fail "exit $RC, want 0: $(cat "$W/out" "$W/err")"; return; }
	grep -q '^FAIL' "$W/out" && { fail "FAIL line: $(cat "$W/out")"; return; }
	grep -q '^OK   tls ' "$W/out" || { fail "tls: $(cat "$W/out")"; return; }
	grep -Eq '^(OK   identity .*lc-tamduong .*Tam Đường|WARN identity server too old)' "$W/out" ||
	    { fail "identity: $(cat "$W/out")"; return; }
	grep -Eq '^(OK|WARN) +clock ' "$W/out" || { fail "clock: $(cat "$W/out")"; return; }
	grep -Eq '^OK   outbox +empty' "$W/out" || { fail "outbox: $(cat "$W/out")"; return; }
	[ "$(grep -c '^\(OK\|WARN\|FAIL\|SKIP\) ' "$W/out")" = 10 ] ||
	    { fail "not 10 checks: $(cat "$W/out")"; return; }
	gpc lc-tamduong --json doctor
	[ "$(jget "$W/out" 'r["status"] + " " + str(len(r["checks"]))')" = "ok 10" ] ||
	    { fail "json: $(cat "$W/out")"; return; }
}

test_doctor_config_file() {
	e2e_client_conf "$W/client.conf" lc-tamduong "outbox = $OUTBOX" \
	    "retries = 1" "timeout = 5"
	run "$GP_CLIENT" -c "$W/client.conf" doctor
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -Eq "^OK   config +$W/client.conf: " "$W/out" || { fail "$(cat "$W/out")"; return; }
	printf '[client]\nserver = 127.0.0.1:%s\n' "$PORT" >"$W/partial.conf"
	run "$GP_CLIENT" -c "$W/partial.conf" doctor
	[ "$RC" -eq 78 ] || { fail "partial: exit $RC, want 78"; return; }
	grep -q '^FAIL config .*ca, cert, key not set' "$W/out" ||
	    { fail "partial: $(cat "$W/out")"; return; }
}

# --- the timer ------------------------------------------------------------

test_systemd_units() {
	local unit
	for unit in gp-client-flush.service gp-client-flush.timer; do
		[ -f "$ROOT/systemd/$unit" ] || { fail "systemd/$unit is missing"; return; }
	done
	if ! command -v systemd-analyze >/dev/null; then
		echo "# systemd-analyze missing: units not verified"
		return 0
	fi
	mkdir -p "$W/units" "$W/run" "$W/man/man1"
	chmod 700 "$W/run"
	# Documentation=man:gp-client(1) is checked with man(1).
	cp "$ROOT/client/gp-client.1" "$W/man/man1/"
	cp "$ROOT/systemd/gp-client-flush.timer" "$W/units/"
	# The binary named must exist: the one under test.
	sed "s#/usr/bin/gp-client#$GP_CLIENT#" \
	    "$ROOT/systemd/gp-client-flush.service" \
	    >"$W/units/gp-client-flush.service"
	grep -q "$GP_CLIENT" "$W/units/gp-client-flush.service" ||
	    { fail "ExecStart does not name /usr/bin/gp-client"; return; }
	RC=0
	(cd "$W/units" && MANPATH=$W/man XDG_RUNTIME_DIR=$W/run \
	    timeout 30 systemd-analyze \
	    --user verify ./gp-client-flush.timer ./gp-client-flush.service) \
	    >"$W/out" 2>&1 || RC=$?
	if [ "$RC" -ne 0 ] || [ -s "$W/out" ]; then
		fail "systemd-analyze verify: exit $RC: $(cat "$W/out")"
		return
	fi
}

t "server down: submit exits 75 and queues the report" test_down_queues
t "outbox lists the entry (table and --json)" test_outbox_lists
t "--retries 3: four tries counted, one entry, quick" test_retries_counted
t "invalid report: 65, never queued" test_invalid_never_queued
t "submit --no-queue: 69, nothing queued" test_no_queue
t "submit --json when queued: one queued object" test_queued_json
t "default outbox under \$XDG_STATE_HOME, modes 700/600" test_default_location
t "outbox --drop removes an entry" test_drop
t "doctor with the server down: FAIL reachable, non-zero" test_doctor_down
t "doctor: a key that is not the certificate's fails (78)" test_doctor_bad_key
t "busy with retry_after: waited for, tried again, queued" test_busy
t "busy with a retry_after beyond the cap: queued at once" test_busy_too_long
t "a server that never answers: --timeout bounds each try" test_timeout_bounded
start_gpd "$W/gpd.conf" || exit 1
t "server up: flush exits 0, each stored once, in order" test_flush_stores_once
t "flush of an empty outbox exits 0" test_flush_empty
t "receipts: kept, equal to the server's, filtered" test_receipts
t "submit keeps its receipt" test_submit_keeps_receipt
t "submit sends earlier waiting revisions first, in order" test_submit_sends_earlier_first
t "permission denied and conflict: never queued" test_permanent_not_queued
t "connection cut after the commit: flush gets a duplicate, one row" test_cut_after_commit
t "flush at a terminal: a progress line per report" test_flush_progress
t "flush: a refusal stays in the outbox as failed until --retry" test_flush_refusal_kept
t "two concurrent flushes: each report stored exactly once" test_concurrent_flush
t "doctor against the running server: exit 0" test_doctor_up
t "doctor reads the configuration file and names what is missing" test_doctor_config_file
t "packed once: every try sends the bytes the outbox keeps" test_same_bytes_every_try
t "systemd timer and service pass systemd-analyze verify" test_systemd_units

summary
