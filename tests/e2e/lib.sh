# shellcheck shell=bash
# shellcheck disable=SC2034  # W, PORT, DB, RC, GPD_RC are the suites'
# Helpers of the end-to-end tests, sourced by each suite: the set-up every
# suite makes (its working directory, a throwaway PKI, the unit registry,
# gpd.conf), a TAP-like test runner, the daemon's life cycle, gp-client
# and sqlite3 wrappers, and a raw TLS client in Python for what gp-client
# will not send.
# This directory: the raw clients import gpwire.py from here.
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --- set-up -------------------------------------------------------------

# The start of a suite NAME that drives gpd and gp-client: GPD and
# GP_CLIENT made absolute (by default the build's) and checked, then each
# COMMAND; W is a new working directory, removed at exit unless KEEP=1;
# PORT is a free port on 127.0.0.1 for gpd, DB its database ($W/gp.db).
# gp-client keeps its outbox and receipts under $W, never the user's.
e2e_setup() {	# NAME [COMMAND...]
	E2E_NAME=$1
	GPD=$(realpath "${GPD:-$E2E_DIR/../../build/gpd}")
	GP_CLIENT=$(realpath "${GP_CLIENT:-$E2E_DIR/../../build/gp-client}")
	e2e_built "$GPD" "$GP_CLIENT"
	e2e_workdir "$@"
	PORT=$(free_port)
	DB=$W/gp.db
}

# The same without gpd and gp-client: COMMANDs checked, W made.
e2e_workdir() {	# NAME [COMMAND...]
	local cmd
	E2E_NAME=$1
	shift
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || {
			echo "$E2E_NAME: $cmd is missing: run scripts/deps.sh" >&2
			exit 1
		}
	done
	W=$(mktemp -d "${TMPDIR:-/tmp}/gp-$E2E_NAME.XXXXXX")
	export XDG_STATE_HOME=$W/state
	unset GP_CLIENT_CONF
	trap e2e_exit EXIT
	trap 'exit 130' INT TERM
}

# Exits unless each FILE is built.
e2e_built() {	# FILE...
	local f
	for f in "$@"; do
		[ -x "$f" ] ||
		    { echo "${E2E_NAME:-e2e}: $f is not built: run make" >&2; exit 1; }
	done
}

# At exit: the suite's own suite_cleanup if it has one (its helpers,
# mounts), gpd stopped, $W removed or kept.
e2e_exit() {
	if declare -F suite_cleanup >/dev/null; then
		suite_cleanup
	fi
	stop_gpd
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $W"
	else
		rm -rf "$W"
	fi
}

# A throwaway PKI in $W/pki (scripts/pki.sh): CA, CRL, gpd's certificate
# for localhost and 127.0.0.1, and a client certificate for each NAME.
# PKI_START in the environment dates the certificates.
e2e_pki() {	# NAME...
	"$E2E_DIR/../../scripts/pki.sh" "$W/pki" "$@" >/dev/null
}

# $W/units.conf with the units CODE..., under their names in Lai Châu.
e2e_units() {	# CODE...
	local code name type sep=
	for code in "$@"; do
		type=district_federation
		case $code in
		lc-tamduong)	name="LĐLĐ huyện Tam Đường";;
		lc-sinho)	name="LĐLĐ huyện Sìn Hồ";;
		lc-phongtho)	name="LĐLĐ huyện Phong Thổ";;
		lc-nganh-giaoduc)
			name="Công đoàn ngành Giáo dục"
			type=sector_union;;
		*)	echo "e2e_units: no name for $code" >&2; return 1;;
		esac
		printf '%s[%s]\nname = %s\ntype = %s\n' "$sep" "$code" "$name" "$type"
		sep=$'\n'
	done > "$W/units.conf"
}

# Writes gpd's configuration FILE: gpd at 127.0.0.1:$PORT on the database
# $DB with the registry $W/units.conf and the certificate, key and CA of
# the test PKI ($W/pki); each LINE as e2e_ini says, in [server] unless it
# names its section ("[tls] crl = ...").
e2e_gpd_conf() {	# FILE [LINE...]
	e2e_ini "$1" server "listen = 127.0.0.1:$PORT" "database = $DB" \
	    "units = $W/units.conf" "[tls] certificate = $W/pki/server.crt" \
	    "[tls] key = $W/pki/server.key" "[tls] client_ca = $W/pki/ca.crt" \
	    "${@:2}"
}

# Writes gp-client's configuration FILE: unit NAME of the test PKI at
# gpd, then each LINE as e2e_ini says, in [client] unless it names its
# section.
e2e_client_conf() {	# FILE NAME [LINE...]
	e2e_ini "$1" client "server = 127.0.0.1:$PORT" "ca = $W/pki/ca.crt" \
	    "cert = $W/pki/$2.crt" "key = $W/pki/$2.key" "${@:3}"
}

# Writes a configuration FILE of LINEs "key = value", each in SECTION or
# in the section it names first ("[tls] crl = ..."); a key given again
# replaces the value before it, where it stood. Empty LINEs are skipped.
# The file is written whole and renamed: a reload never reads half of it.
e2e_ini() {	# FILE SECTION [LINE...]
	local file=$1 section=$2 line sec i n last=
	local -a secs=() keys=() vals=()
	shift 2
	for line in "$@"; do
		[ -n "$line" ] || continue
		sec=$section
		if [[ $line == "["*"] "* ]]; then
			sec=${line%%]*}
			sec=${sec#[}
			line=${line#*] }
		fi
		n=${#keys[@]}
		for ((i = 0; i < ${#keys[@]}; i++)); do
			if [ "${secs[i]}" = "$sec" ] &&
			    [ "${keys[i]}" = "${line%% = *}" ]; then
				n=$i
				break
			fi
		done
		secs[n]=$sec
		keys[n]=${line%% = *}
		vals[n]=${line#* = }
	done
	# Each section once, where it first stood, with its lines.
	for sec in "${secs[@]}"; do
		case " $last " in *" $sec "*) continue;; esac
		[ -z "$last" ] || echo
		last="$last $sec"
		echo "[$sec]"
		for ((i = 0; i < ${#keys[@]}; i++)); do
			[ "${secs[i]}" != "$sec" ] || echo "${keys[i]} = ${vals[i]}"
		done
	done > "$file.new"
	mv "$file.new" "$file"
}

# The dates of the 2022 form as [periods] lines of e2e_gpd_conf.
E2E_PERIODS=("[periods] h1_coverage = 12-01..05-31" "[periods] h1_due = 06-10"
    "[periods] annual_coverage = 12-01..11-30" "[periods] annual_due = 12-05")

# A certificate NAME in $W/pki with CN, signed by the test CA with the
# extensions SECTION of its ca.cnf (or of the file after -extfile in
# OPTIONS), and any other `openssl ca` OPTIONS (dates).
mkcert() {	# NAME CN SECTION [OPTIONS...]
	local name=$1 cn=$2 ext=$3 p=$W/pki
	shift 3
	(umask 077 && openssl genpkey -algorithm EC \
	    -pkeyopt ec_paramgen_curve:P-256 -out "$p/$name.key" 2>/dev/null)
	openssl req -new -key "$p/$name.key" -subj "/CN=$cn" \
	    -out "$p/$name.csr" 2>/dev/null
	openssl ca -batch -notext -config "$p/ca.cnf" -extensions "$ext" \
	    -in "$p/$name.csr" -out "$p/$name.crt" "$@" 2>"$W/openssl.err" || {
		echo "${E2E_NAME:-e2e}: openssl ca failed for $name:" >&2
		cat "$W/openssl.err" >&2
		exit 1
	}
	rm -f "$p/$name.csr"
}

# --- runner -------------------------------------------------------------

NTEST=0
NPASS=0
NFAIL=0
REASON=

# Records why the current test fails; returns 1 so that a test can say
#   [ "$RC" -eq 0 ] || { fail "exit $RC"; return; }
fail() {
	REASON=$*
	return 1
}

# Runs one test function: prints "ok N - NAME" or "not ok N - NAME" and
# the reason.
t() {	# NAME FUNCTION
	local name=$1 fn=$2
	NTEST=$((NTEST + 1))
	REASON=
	if "$fn" && [ -z "$REASON" ]; then
		NPASS=$((NPASS + 1))
		echo "ok $NTEST - $name"
	else
		NFAIL=$((NFAIL + 1))
		echo "not ok $NTEST - $name"
		printf '%s\n' "${REASON:-returned non-zero}" | sed 's/^/#   /'
	fi
}

# The closing line; after a failure, the end of gpd's log first.
summary() {
	if [ "$NFAIL" -gt 0 ] && [ -f "${W:-}/gpd.log" ]; then
		echo "# gpd log (last 30 lines):"
		tail -n 30 "$W/gpd.log" | sed 's/^/#   /'
	fi
	echo "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
}

# --- commands -----------------------------------------------------------

# Runs a command with stdout in $W/out, stderr in $W/err and its exit
# status in RC, never longer than 30 s.
run() {
	RC=0
	timeout 30 "$@" >"$W/out" 2>"$W/err" </dev/null || RC=$?
}

# gp-client as unit NAME (its certificate from the test PKI) against
# gpd, or against 127.0.0.1:PORT.
client_as() {	# NAME ARGS...
	client_to "$PORT" "$@"
}
client_to() {	# PORT NAME ARGS...
	local port=$1 name=$2
	shift 2
	run "$GP_CLIENT" -s "127.0.0.1:$port" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/$name.crt" --key "$W/pki/$name.key" "$@"
}

# One value from the database.
q() {
	sqlite3 -batch -noheader "$DB" "$1"
}

# Counts of what a report leaves in the database, to compare before and
# after something that must store nothing.
counts() {
	q "select (select count(*) from reports) || ' reports, ' ||
	    (select count(*) from activities) || ' activities, ' ||
	    (select count(*) from indicators) || ' indicators, ' ||
	    (select count(*) from narratives) || ' narrative texts'"
}

# Evaluates a Python expression on the JSON file as r.
jget() {	# FILE EXPRESSION
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1" "$2"
}

# Writes a changed copy of a JSON report: STATEMENTS run with r bound.
jmod() {	# IN OUT STATEMENTS
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
exec(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(r, f, ensure_ascii=False, indent=1)' "$1" "$2" "$3"
}

# A form for YEAR at FILE: the built-in 2022 form (etc/forms/2022.json)
# with its dates moved to YEAR; the annual period may be given its own
# coverage end and due date (MM-DD), such as 12-31 12-31 so that it is on
# time all year.
write_form() {	# YEAR FILE [ANNUAL_TO ANNUAL_DUE]
	python3 - "$E2E_DIR/../../etc/forms/2022.json" "$@" <<'PY'
import json, sys
src, year, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = json.load(open(src, encoding="utf-8"))
f["year"] = year
f["title"] = f["title"].replace("2022", str(year))
for p in f["periods"].values():
    p["label"] = p["label"].replace("2022", str(year))
    for k in ("from", "to", "due", "planned_until"):
        p[k] = str(year + int(p[k][:4]) - 2022) + p[k][4:]
if len(sys.argv) > 5:
    f["periods"]["annual"]["to"] = "%d-%s" % (year, sys.argv[4])
    f["periods"]["annual"]["due"] = "%d-%s" % (year, sys.argv[5])
    f["periods"]["annual"]["planned_until"] = "%d-12-31" % year
json.dump(f, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
}

# SHA-256 fingerprint of a certificate: lower-case hex without colons.
fingerprint() {	# CERT
	openssl x509 -in "$1" -noout -fingerprint -sha256 |
	    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}

# The word after "receipt" on the first line of $W/out.
receipt_of_out() {
	sed -n '1s/.* receipt \([^ ]*\).*/\1/p' "$W/out"
}

# --- daemon -------------------------------------------------------------

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# A LISTEN socket on 127.0.0.1:PORT (no probe connection).
listening() {	# PORT
	grep -qi ":$(printf %04X "$1") 00000000:0000 0A" /proc/net/tcp
}

# Waits up to 5 s for something to listen on PORT.
wait_listen() {	# PORT
	local _
	for _ in $(seq 100); do
		listening "$1" && return 0
		sleep 0.05
	done
	return 1
}

GPD_PID=
GPD_RC=

# Starts gpd on CONF (under WRAPPER..., such as prlimit; GPD_FLAGS: more
# words, such as -v), its log appended to $W/gpd.log, and waits up to
# 10 s until it listens on $PORT; GPD_PID is gpd's.
start_gpd() {	# CONF [WRAPPER...]
	local conf=$1 _
	shift
	# shellcheck disable=SC2086  # GPD_FLAGS: words, such as -v
	"$@" "$GPD" ${GPD_FLAGS:-} -f "$conf" 2>>"$W/gpd.log" &
	GPD_PID=$!

	for _ in $(seq 200); do
		if ! kill -0 "$GPD_PID" 2>/dev/null; then
			echo "gpd exited at start-up:" >&2
			tail -n 20 "$W/gpd.log" | sed 's/^/  /' >&2
			wait "$GPD_PID" 2>/dev/null || true
			GPD_PID=
			return 1
		fi
		listening "$PORT" && return 0
		sleep 0.05
	done
	echo "gpd does not accept on 127.0.0.1:$PORT after 10 s" >&2
	return 1
}

# Stops gpd with SIGTERM; GPD_RC is its exit status.
stop_gpd() {
	GPD_RC=0
	[ -n "$GPD_PID" ] || return 0
	kill -TERM "$GPD_PID" 2>/dev/null || true
	wait "$GPD_PID" 2>/dev/null || GPD_RC=$?
	GPD_PID=
}

restart_gpd() {	# CONF [WRAPPER...]
	stop_gpd
	start_gpd "$@"
}

gpd_alive() {
	[ -n "$GPD_PID" ] && kill -0 "$GPD_PID" 2>/dev/null
}

# Polls COMMAND every 0.1 s for at most SECONDS; returns its last status.
wait_until() {	# SECONDS COMMAND...
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

# Lines of gpd's log with PATTERN (grep), and whether there are more
# than N.
log_count() {	# PATTERN
	grep -c -- "$1" "$W/gpd.log" 2>/dev/null || true
}
log_count_above() {	# PATTERN N
	[ "$(log_count "$1")" -gt "$2" ]
}

# Sends gpd SIGHUP and waits up to 10 s for the reload's outcome: one
# more line with PATTERN in its log.
gpd_reload() {	# PATTERN
	local n
	n=$(log_count "$1")
	kill -HUP "$GPD_PID"
	wait_until 10 log_count_above "$1" "$n"
}

now_ms() {
	date +%s%3N
}

# --- raw client ---------------------------------------------------------

# A TLS client that speaks the frames by hand (protobuf encoded here, so
# it needs nothing but Python): for the oversized, undecodable and invalid
# frames gp-client never sends, and for a connection without a client
# certificate. Prints what happened, one fact a line:
#   tls TLSv1.3 alpn gp/1 | refused REASON | error CODE MESSAGE |
#   field NAME: MESSAGE | receipt REVISION | closed | open | answered
write_rawclient() {
	cat > "$W/rawclient.py" <<'PY'
import os, socket, ssl, struct, sys, uuid

port, ca, cert, key, mode = sys.argv[1:6]
arg = sys.argv[6] if len(sys.argv) > 6 else None

from gpwire import varint, num, ld as msg, parse

def report(unit, period="2022-H1", codes=None, female=11, legacy=False,
           reporter="Nguyễn Thị Test"):
    """A report of one activity (11 women among 10 participants unless
    female says otherwise), its codes those of the 2022 form (codes
    replaces some: {"area": "x"}); legacy: the enums as numbers, as
    gp-client sent them before report forms."""
    c = {"area": "policy_dissemination", "kind": "propaganda",
         "occasion": "none", "status": "done"}
    c.update(codes or {})
    if legacy:
        head = num(1, 1) + num(2, 1) + num(3, 1) + num(4, 1)
    else:
        head = (msg(13, c["area"]) + msg(14, c["kind"]) +
            msg(15, c["occasion"]) + msg(16, c["status"]))
    activity = (head + msg(5, "2022-03-01") +
        msg(7, "Tuyên truyền Luật Bình đẳng giới") +
        msg(8, "Hội trường xã") + num(9, 1) + num(10, 10) + num(11, female))
    body = (msg(1, str(uuid.uuid4())) + msg(2, unit) + msg(3, period) +
        msg(4, msg(1, reporter)) + msg(5, activity) +
        msg(7, msg(1, "Kết quả thử nghiệm.")))
    return num(1, 7) + msg(10, msg(1, body))

def invalid_report(unit):
    return report(unit)

def frame(payload):
    return struct.pack(">I", len(payload)) + payload

def whole_frame(buf):
    return len(buf) >= 4 and len(buf) >= 4 + struct.unpack(">I", buf[:4])[0]

def read_responses(s, one=False):
    """Prints the frames received until the daemon closes the connection
    ("closed"), is silent for the socket's timeout ("open"), or, with one,
    has sent one whole frame ("answered")."""
    buf, end = b"", "closed"
    while not (one and whole_frame(buf)):
        try:
            data = s.recv(65536)
        except socket.timeout:
            end = "open"
            break
        except (ssl.SSLError, OSError) as e:
            end = "refused %s" % (getattr(e, "reason", None) or e)
            break
        if not data:
            break
        buf += data
    if one and whole_frame(buf):
        end = "answered"
    while len(buf) >= 4:
        (n,) = struct.unpack(">I", buf[:4])
        body, buf = buf[4:4 + n], buf[4 + n:]
        r = parse(body)
        for e in r.get(9, []):
            e = parse(e)
            print("error %d %s" % (e.get(1, [0])[0],
                e.get(2, [b""])[0].decode("utf-8", "replace")))
            for fe in e.get(3, []):
                fe = parse(fe)
                print("field %s: %s" % (
                    fe.get(1, [b""])[0].decode("utf-8", "replace"),
                    fe.get(2, [b""])[0].decode("utf-8", "replace")))
        for sr in r.get(10, []):
            rc = parse(parse(sr).get(1, [b""])[0])
            print("receipt %d" % rc.get(5, [0])[0])
        for fr in r.get(21, []):
            fr = parse(fr)
            print("form %d %s %d bytes; years %s" % (fr.get(1, [0])[0],
                fr.get(3, [b"-"])[0].decode("ascii", "replace"),
                len(fr.get(2, [b""])[0]),
                ",".join(str(y) for y in fr.get(4, []))))
    print(end)

ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca)
ctx.set_alpn_protocols(["gp/1"])
if cert != "-":
    ctx.load_cert_chain(cert, key)
raw = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
try:
    s = ctx.wrap_socket(raw, server_hostname="localhost")
except (ssl.SSLError, OSError) as e:
    print("refused %s" % (getattr(e, "reason", None) or e))
    sys.exit(0)
print("tls %s alpn %s" % (s.version(), s.selected_alpn_protocol()))
s.settimeout(5)
try:
    if mode == "length":
        s.sendall(struct.pack(">I", int(arg)))
    elif mode == "garbage":
        s.sendall(frame(os.urandom(16) + b"\xff" * 16))
    elif mode == "invalid":
        s.sendall(frame(invalid_report(arg)))
    elif mode == "legacy":
        s.sendall(frame(report(arg, legacy=True)))
    elif mode == "submit-code":
        s.sendall(frame(report(arg, codes={sys.argv[7]: sys.argv[8]},
            female=5)))
    elif mode == "submit-period":
        s.sendall(frame(report(arg, period=sys.argv[7], female=5)))
    elif mode == "submit-reporter":
        s.sendall(frame(report(arg, female=5, reporter=sys.argv[7])))
    elif mode == "form-sha":
        s.sendall(frame(num(1, 7) + msg(21, msg(2, arg))))
    else:
        sys.exit("rawclient: unknown mode " + mode)
except (ssl.SSLError, OSError) as e:
    print("refused %s" % (getattr(e, "reason", None) or e))
    sys.exit(0)
read_responses(s, one=(mode in ("invalid", "legacy", "submit-code",
    "submit-period", "submit-reporter", "form-sha")))
PY
}

# rawclient NAME|- MODE [ARG]: NAME's certificate, or none with "-".
# Output in $W/out, status in RC.
rawclient() {
	local name=$1 cert=- key=-
	shift
	if [ "$name" != - ]; then
		cert=$W/pki/$name.crt
		key=$W/pki/$name.key
	fi
	run env PYTHONPATH="$E2E_DIR" python3 "$W/rawclient.py" "$PORT" "$W/pki/ca.crt" "$cert" "$key" \
	    "$@"
}
