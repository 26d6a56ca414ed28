#!/bin/bash
# Power-cut tests (issue 21; tests/crash/README.md): the test builds of gpd
# and gp-client (build/crash/) on simulated machines that lose power at a
# sync point, real traffic on 127.0.0.1 with a throwaway PKI, and after
# each cut and restart the promises checked:
#   - every receipt a client holds, and every report a client was told was
#     accepted, is in the database with the same revision and hash;
#   - gpd verify-audit passes; PRAGMA integrity_check is ok everywhere;
#   - an outbox holds every report that was queued or accepted and has no
#     receipt yet, none delivered and still waiting; nothing is stored that
#     the outbox does not know;
#   - sent again, a report gives a duplicate, never a second revision;
#   - an acknowledged lock or unlock holds.
#
#   tests/crash/run.sh short      every sync point of the short scenarios
#   tests/crash/run.sh long       random sync points of the long runs
#   tests/crash/run.sh NAME ...   those scenarios (SHORT and LONG below)
#
# Knobs: SEED (the random choices: printed, and the same seed makes the
# same choices), GPD_CUTS (1000) and CLIENT_CUTS (300) for the long runs,
# BUILD (build), KEEP=1 keeps the working directory, VERBOSE=1 tells each
# cut. The last line is
#   crash: gpd N cut points, gp-client M cut points, V violations, seed S
# and the exit status is 0 only without violations.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD;; esac
GPD=$BUILD/crash/gpd
GPC=$BUILD/crash/gp-client
CTL=$BUILD/crash/crashctl
DATA=$ROOT/tests/data
SEED=${SEED:-$(( ($(date +%s%N) / 1000 + $$) % 1000000000 ))}
GPD_CUTS=${GPD_CUTS:-1000}
CLIENT_CUTS=${CLIENT_CUTS:-300}
VERBOSE=${VERBOSE:-0}

# The scenarios: each name is a function scenario_NAME. The short ones cut
# at every sync point; the long ones at random sync points.
SHORT="gpd-first-start gpd-traffic gpd-backup"
SHORT="$SHORT client-first-run client-outbox client-export"
LONG="gpd-long client-long"

for f in "$GPD" "$GPC" "$CTL"; do
	[ -x "$f" ] || { echo "crash: $f is not built: run make crash-bins" >&2; exit 1; }
done
for cmd in openssl sqlite3 python3; do
	command -v "$cmd" >/dev/null ||
	    { echo "crash: $cmd is missing: run scripts/deps.sh" >&2; exit 1; }
done

case ${1:-short} in
short) set -- $SHORT;;
long) set -- $LONG;;
esac
for s in "$@"; do
	case " $SHORT $LONG " in
	*" $s "*) ;;
	*) echo "crash: unknown scenario '$s' (known: $SHORT $LONG)" >&2; exit 64;;
	esac
done

# The shell's word on every process the power cut killed is no news.
exec 2> >(grep --line-buffered -Ev '^.*: line [0-9]+: +[0-9]+ Killed ' >&2)

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-crash.XXXXXX")
W=$(cd "$W" && pwd -P)
GPD_PID=
BG_PIDS=

cleanup() {
	local pid
	for pid in $BG_PIDS $GPD_PID; do
		kill -9 "$pid" 2>/dev/null || true
	done
	for pid in $BG_PIDS $GPD_PID; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What a background subshell runs first: the harness's traps are not its
# own (a subshell stopped by a signal would otherwise clean up for all).
untrap() {
	trap - EXIT INT TERM
}

GPD_POINTS=0
CLIENT_POINTS=0
VIOLATIONS=0
RANDOM=$SEED

say() {
	echo "$*"
}

note() {
	[ "$VERBOSE" = 0 ] || echo "#   $*"
}

# Records a violation: what was found, where.
violation() {	# WHERE TEXT...
	local where=$1
	shift
	VIOLATIONS=$((VIOLATIONS + 1))
	echo "VIOLATION [$where] $*"
}

now_ms() {
	echo $((${EPOCHREALTIME/./} / 1000))
}

# sleep(1) without a process: a read that times out on a pipe nobody
# writes (the loops below wait in steps of milliseconds).
exec {NAP_FD}<> <(:)
nap() {	# SECONDS
	read -rt "$1" -u "$NAP_FD" _ || true
}

# --- the world: PKI, units, reports --------------------------------------

UNITS="lc-tamduong lc-sinho lc-nganh-giaoduc"
ADMIN=admin-test
PERIODS="2022-H1 2022"
LOCKED=2023		# what the administrator locks and unlocks
POOL=${POOL:-400}	# reports per unit and period

"$ROOT/scripts/pki.sh" "$W/pki" $UNITS $ADMIN >/dev/null
cp "$ROOT/etc/units.conf" "$W/units.conf"

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
PORT=$(free_port)
DEAD=$(free_port)	# nothing listens there: the server is down

# The reports: for each unit and period, POOL revisions (distinct content,
# a UUID of their own), and for each a conflicting twin (same id, other
# content). INDEX: name, id, unit, period, tab-separated.
R=$W/reports
INDEX=$W/reports.tsv
mkdir -p "$R"
python3 - "$DATA" "$R" "$INDEX" "$POOL" "$SEED" $UNITS <<'PY'
import json, random, sys, uuid
data, out, index, pool, seed = sys.argv[1:6]
units = sys.argv[6:]
rng = random.Random(int(seed))
samples = {"lc-tamduong": "lc-tamduong-2022-H1.json",
    "lc-sinho": "lc-sinho-2022-H1.json",
    "lc-nganh-giaoduc": "lc-nganh-giaoduc-2022-H1.json"}
with open(index, "w") as ix:
    for unit in units:
        base = json.load(open("%s/%s" % (data, samples[unit]), encoding="utf-8"))
        for period in ("2022-H1", "2022"):
            for n in range(1, int(pool) + 1):
                r = json.loads(json.dumps(base))
                r["period"] = period
                r["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                r["narrative"]["results"] += " Bổ sung lần %d." % n
                name = "%s.%s.%d" % (unit, period, n)
                for twin, extra in (("", ""), ("x", " (bản khác)")):
                    t = json.loads(json.dumps(r))
                    t["narrative"]["results"] += extra
                    with open("%s/%s%s.json" % (out, twin, name), "w",
                            encoding="utf-8") as f:
                        json.dump(t, f, ensure_ascii=False)
                ix.write("%s\t%s\t%s\t%s\n" % (name, r["id"], unit, period))
PY

# --- machines -------------------------------------------------------------

# Powers a machine on after a cut (or cuts it now, all its processes
# gone): its files as the cut left them. Seeds follow from SEED.
POWER_ONS=0
power_on() {	# SIMDIR
	POWER_ONS=$((POWER_ONS + 1))
	[ -d "$1" ] || return 0
	local line=
	[ ! -e "$1/cut" ] || read -r line <"$1/cut"
	echo "power-on $1 $line" >>"$W/crashsim.log"
	"$CTL" power-on "$1" $((SEED * 7919 + POWER_ONS)) >>"$W/crashsim.log" ||
	    { violation power-on "crashctl failed on $1"; return 1; }
}

cut_happened() {	# SIMDIR
	[ -e "$1/cut" ]
}

# The sync point the machine will be cut at, counted from power-on.
set_cut() {	# SIMDIR N (0: never)
	mkdir -p "$1"
	echo "$2" >"$1/at"
}

sync_count() {	# SIMDIR
	local n=0
	[ ! -e "$1/count" ] || read -r n <"$1/count"
	echo "$n"
}

# --- gpd ------------------------------------------------------------------

# A server machine: its database in DIR, its simulated state in DIR.sim.
gpd_world() {	# DIR
	G=$1
	GSIM=$1.sim
	GDB=$1/gp.db
	GCONF=$W/gpd-$(basename "$1").conf
	mkdir -p "$G"
	cat >"$GCONF" <<CONF
[server]
listen = 127.0.0.1:$PORT
database = $GDB
units = $W/units.conf
handshake_timeout = 5
idle_timeout = 20

[tls]
certificate = $W/pki/server.crt
key = $W/pki/server.key
client_ca = $W/pki/ca.crt

[access]
admins = $ADMIN
CONF
}

# A listening socket on the port (no probe connection).
PORT_LISTEN=$(printf ':%04X 00000000:0000 0A' "$PORT")
listening() {
	grep -qi "$PORT_LISTEN" /proc/net/tcp
}

# Starts gpd on the current server machine; returns 1 when it died before
# it listened (a cut during start-up, or worse: GPD_RC says).
gpd_start() {
	GPD_RC=
	GP_CRASH_DIR=$GSIM "$GPD" -f "$GCONF" 2>>"$W/gpd.log" &
	GPD_PID=$!
	while ! listening; do
		if ! kill -0 "$GPD_PID" 2>/dev/null; then
			gpd_reap
			return 1
		fi
		nap 0.005
	done
}

gpd_reap() {
	GPD_RC=0
	wait "$GPD_PID" 2>/dev/null || GPD_RC=$?
	GPD_PID=
}

gpd_stop() {
	[ -n "$GPD_PID" ] || return 0
	kill -TERM "$GPD_PID" 2>/dev/null || true
	gpd_reap
}

# gpd went away: it must have been the cut.
gpd_check_cut() {	# WHERE
	if ! cut_happened "$GSIM"; then
		violation "$1" "gpd exited with status $GPD_RC without a power cut" \
		    "($(tail -n 2 "$W/gpd.log" | tr '\n' ' '))"
		return 1
	fi
}

# --- gp-client ------------------------------------------------------------

# A district office: its outbox in $W/client/UNIT/gp/ (gp/ made by its
# first run), its machine in $W/client/UNIT.sim. Ledger lines, one per
# operation, tab-separated: KIND UNIT NAME STATUS.
outbox_of() {	# UNIT
	echo "$W/client/$1/gp/outbox.db"
}

# The checks read the outboxes as a district's next gp-client would: with
# a connection that may recover a WAL a cut left (a read-only one cannot),
# and that never checkpoints them.
sqlite_check() {	# ARGS...
	sqlite3 -batch -noheader -cmd '.timeout 10000' -cmd '.output /dev/null' \
	    -cmd '.dbconfig no_ckpt_on_close on' -cmd '.output stdout' "$@"
}

# The districts among UNITS whose outbox is there with its tables (a cut
# before its first sync leaves no file, or one without them), in USABLE;
# what made one unreadable, in UNREADABLE.
outboxes_usable() {	# UNITS...
	local unit sql= i=0
	USABLE=
	UNREADABLE=
	for unit in "$@"; do
		i=$((i + 1))
		[ -e "$(outbox_of "$unit")" ] || continue
		sql="$sql ATTACH 'file:$(outbox_of "$unit")' AS o_$i;
		    SELECT '$unit' WHERE (SELECT count(*) FROM o_$i.sqlite_schema
		    WHERE name IN ('entries', 'receipts')) = 2;"
	done
	[ -n "$sql" ] || return 0
	if ! USABLE=$(sqlite_check :memory: "$sql" 2>&1); then
		UNREADABLE=$(echo $USABLE)
		USABLE=
	fi
	USABLE=$(echo $USABLE)
}

ledger() {	# UNIT
	echo "$W/client/$1.ledger"
}

# gp-client as UNIT against the live server or the dead port. Status in
# GPC_RC; what it printed in $W/out/UNIT.out (kept across worlds).
gpc() {	# UNIT live|dead ARGS...
	local unit=$1 port=$PORT
	[ "$2" = live ] || port=$DEAD
	shift 2
	GPC_RC=0
	mkdir -p "$W/client" "$W/out"
	GP_CRASH_DIR=$W/client/$unit.sim GP_CLIENT_BACKOFF_BASE_MS=0 \
	    "$GPC" -s "127.0.0.1:$port" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/$unit.crt" --key "$W/pki/$unit.key" \
	    --outbox "$(outbox_of "$unit")" --timeout 5 --retries 1 "$@" \
	    >>"$W/out/$unit.out" 2>&1 </dev/null || GPC_RC=$?
}

# The operations. A new report takes the next of the unit's pool.
# Returns 1 when the pool is used up (a long epoch: raise POOL).
declare -A NEXT
next_report() {	# UNIT PERIOD: sets REPORT
	local k=$1.$2
	[ "${NEXT[$k]:-0}" -lt "$POOL" ] || return 1
	NEXT[$k]=$((${NEXT[$k]:-0} + 1))
	REPORT=$k.${NEXT[$k]}
}

op_submit() {	# UNIT live|dead NAME [submit|dup]
	gpc "$1" "$2" submit "$R/$3.json"
	printf '%s\t%s\t%s\t%s\n' "${4:-submit}" "$1" "$3" "$GPC_RC" >>"$(ledger "$1")"
}

# The conflicting twin of an accepted report, sent around the outbox:
# the server must refuse it.
op_conflict() {	# UNIT NAME
	gpc "$1" live submit --no-queue "$R/x$2.json"
	printf 'conflict\t%s\t%s\t%s\n' "$1" "$2" "$GPC_RC" >>"$(ledger "$1")"
}

op_flush() {	# UNIT live|dead
	gpc "$1" "$2" flush
	printf 'flush\t%s\t-\t%s\n' "$1" "$GPC_RC" >>"$(ledger "$1")"
}

# Administrator writes: each is told in the ledger before it is sent, so
# that one under way when the power fails counts as perhaps done. An
# operation OP has a function expect_OP that prints the SQL condition its
# effect makes true (or false, when "not" is given): future ones (review
# decisions, deadline extensions) add theirs.
op_admin() {	# OP ARG
	local rc=0
	printf '%s\t%s\t%s\tstart\n' "$1" "$ADMIN" "$2" >>"$W/admin.ledger"
	GP_CRASH_DIR=$W/admin.sim "$GPC" -s "127.0.0.1:$PORT" \
	    --ca "$W/pki/ca.crt" --cert "$W/pki/$ADMIN.crt" \
	    --key "$W/pki/$ADMIN.key" --timeout 5 "$1" "$2" \
	    >>"$W/admin.out" 2>&1 </dev/null || rc=$?
	printf '%s\t%s\t%s\t%s\n' "$1" "$ADMIN" "$2" "$rc" >>"$W/admin.ledger"
}

expect_lock() {	# ARG [not]
	echo "${2:+NOT }EXISTS (SELECT 1 FROM main.locks WHERE period = '$1')"
}

expect_unlock() {	# ARG [not]
	if [ -n "${2:-}" ]; then expect_lock "$1"; else expect_lock "$1" not; fi
}

# --- checks ---------------------------------------------------------------

# Runs SQL against the server's database (read-only) with each district's
# outbox attached (read-only) as o_N, the report index as temp.files and
# every ledger line as temp.ledger. Prints what it selects.
check_sql() {	# SQLFILE
	local out
	out=$(sqlite_check -separator ' ' "file:$GDB?mode=ro" <"$1" 2>&1) ||
	    out="sqlite3: $out"
	printf '%s' "$out"
}

# The SQL prologue: snapshots of the ledgers first, then the outboxes,
# then the database (nothing writes while the checks run; were it to, no
# report accepted or receipt kept could then be missing from what is read
# after).
check_prologue() {	# UNITS...
	local unit i=0 ob
	cat "$W"/client/*.ledger 2>/dev/null >"$W/ledger.snap" || true
	echo ".mode tabs"
	echo "CREATE TEMP TABLE files (name TEXT PRIMARY KEY, id TEXT, unit TEXT, period TEXT);"
	echo "CREATE TEMP TABLE ledger (kind TEXT, unit TEXT, name TEXT, rc TEXT);"
	echo ".import $INDEX files"
	echo ".import $W/ledger.snap ledger"
	echo ".mode list"
	echo "BEGIN;"
	outboxes_usable "$@"
	for unit in "$@"; do
		i=$((i + 1))
		[[ " $USABLE " == *" $unit "* ]] || continue
		ob=$(outbox_of "$unit")
		echo "ATTACH 'file:$ob?mode=rw' AS o_$i;"
		echo "SELECT 1 FROM o_$i.entries WHERE 0;"
	done
	echo "SELECT 1 FROM main.reports WHERE 0;"
}

# What must hold after any cut and restart, for the districts UNITS.
check_world_sql() {	# UNITS...
	local unit i=0 ob
	check_prologue "$@"
	cat <<'SQL'
SELECT 'integrity: ' || integrity_check FROM pragma_integrity_check WHERE integrity_check <> 'ok';
SELECT 'revisions of ' || unit || ' ' || period || ': ' || count(*) || ' stored, the latest ' || max(revision)
    FROM main.reports GROUP BY unit, period HAVING count(*) <> max(revision);
SELECT 'conflicting twin of ' || name || ' accepted' FROM temp.ledger WHERE kind = 'conflict' AND rc = '0';
SQL
	for unit in "$@"; do
		i=$((i + 1))
		if [[ " $USABLE " != *" $unit "* ]]; then
			cat <<SQL
SELECT 'outbox of $unit gone or empty, but ' || name || ' was ' || CASE rc WHEN '0' THEN 'accepted' ELSE 'queued' END
    FROM temp.ledger WHERE unit = '$unit' AND kind IN ('submit', 'dup') AND rc IN ('0', '75');
SELECT 'stored report ' || submission_id || ' of $unit, whose outbox is gone or empty'
    FROM main.reports WHERE unit = '$unit';
SQL
			continue
		fi
		cat <<SQL
SELECT 'receipt ' || r.receipt || ' of ' || r.submission_id || ' ($unit, revision ' || r.revision || ') not in the database with its revision and hash'
    FROM o_$i.receipts r WHERE NOT EXISTS (SELECT 1 FROM main.reports p
    WHERE p.receipt = r.receipt AND p.submission_id = r.submission_id
    AND p.revision = r.revision AND lower(hex(p.content_hash)) = lower(r.content_hash));
SELECT 'report ' || l.name || ' was accepted but $unit holds no receipt'
    FROM temp.ledger l JOIN temp.files f ON f.name = l.name
    WHERE l.unit = '$unit' AND l.kind IN ('submit', 'dup') AND l.rc = '0'
    AND NOT EXISTS (SELECT 1 FROM o_$i.receipts r WHERE r.submission_id = f.id);
SELECT 'report ' || l.name || ' was queued but is neither in the outbox of $unit nor delivered'
    FROM temp.ledger l JOIN temp.files f ON f.name = l.name
    WHERE l.unit = '$unit' AND l.kind IN ('submit', 'dup') AND l.rc = '75'
    AND NOT EXISTS (SELECT 1 FROM o_$i.receipts r WHERE r.submission_id = f.id)
    AND NOT EXISTS (SELECT 1 FROM o_$i.entries e WHERE e.id = f.id);
SELECT 'report ' || e.id || ' delivered but still waiting in the outbox of $unit'
    FROM o_$i.entries e WHERE EXISTS (SELECT 1 FROM o_$i.receipts r
    WHERE r.submission_id = e.id AND r.stored_at > e.first_attempt);
SELECT 'report ' || submission_id || ' has ' || count(DISTINCT receipt) || ' receipts in the outbox of $unit'
    FROM o_$i.receipts GROUP BY submission_id HAVING count(DISTINCT receipt) > 1;
SELECT 'stored report ' || p.submission_id || ' of $unit is neither in its outbox nor delivered'
    FROM main.reports p WHERE p.unit = '$unit'
    AND NOT EXISTS (SELECT 1 FROM o_$i.receipts r WHERE r.submission_id = p.submission_id)
    AND NOT EXISTS (SELECT 1 FROM o_$i.entries e WHERE e.id = p.submission_id);
SQL
	done
	check_admin_sql
	echo "COMMIT;"
}

# Each administrator write: the state of the last one acknowledged, or of
# one sent after it (perhaps committed when the power failed).
check_admin_sql() {
	local op arg rc key
	declare -A allowed=() args=()
	[ -e "$W/admin.ledger" ] || return 0
	while IFS=$'\t' read -r op _ arg rc; do
		key=$op.$arg
		case $op in lock|unlock) key=lock.$arg;; esac
		args[$key]=$arg
		if [ "$rc" = start ]; then
			allowed[$key]="${allowed[$key]:-} $op"
		elif [ "$rc" = 0 ]; then
			allowed[$key]="$op"
		fi
	done <"$W/admin.ledger"
	for key in "${!allowed[@]}"; do
		# Unacknowledged ones may be done or not; the first state is
		# the one before any (no lock).
		local conds="" o
		if [[ ${allowed[$key]} == " "* ]]; then
			conds="$(expect_unlock "${args[$key]}")"
		fi
		for o in ${allowed[$key]}; do
			conds="${conds:+$conds OR }$(expect_"$o" "${args[$key]}")"
		done
		echo "SELECT 'administrator write ${key} lost: the state is none of ${allowed[$key]}' WHERE NOT ($conds);"
	done
}

# After a flush of every district that ended well: nothing waits, every
# report queued or accepted is delivered, once.
check_settled_sql() {	# UNITS...
	local unit i=0 ob
	check_prologue "$@"
	for unit in "$@"; do
		i=$((i + 1))
		[[ " $USABLE " == *" $unit "* ]] || continue
		cat <<SQL
SELECT 'report ' || id || ' still ' || state || ' in the outbox of $unit after a flush' FROM o_$i.entries;
SELECT 'report ' || l.name || ' (' || l.rc || ') never delivered for $unit'
    FROM temp.ledger l JOIN temp.files f ON f.name = l.name
    WHERE l.unit = '$unit' AND l.kind IN ('submit', 'dup') AND l.rc IN ('0', '75')
    AND NOT EXISTS (SELECT 1 FROM o_$i.receipts r WHERE r.submission_id = f.id);
SELECT 'report ' || f.name || ' stored ' || count(*) || ' times'
    FROM temp.files f JOIN main.reports p ON p.submission_id = f.id
    WHERE f.unit = '$unit' GROUP BY f.id HAVING count(*) > 1;
SQL
	done
	echo "COMMIT;"
}

# Runs the checks; each line they print is a violation at WHERE.
check() {	# WHERE KIND(world|settled) UNITS...
	local where=$1 kind=$2 line out
	shift 2
	"check_${kind}_sql" "$@" >"$W/check.sql"
	out=$(check_sql "$W/check.sql")
	[ -z "$UNREADABLE" ] || out="${out:+$out
}cannot read an outbox: $UNREADABLE"
	if [ "$kind" = world ]; then
		GP_CRASH_DIR= "$GPD" -f "$GCONF" verify-audit >"$W/verify.out" 2>&1 ||
		    out="${out:+$out
}verify-audit: $(grep -v '^verify-audit: [0-9]* problem' "$W/verify.out" | head -n 3 | tr '\n' ' ')"
	fi
	[ -n "$out" ] || return 0
	while IFS= read -r line; do
		violation "$where" "$line"
	done <<<"$out"
	return 1
}

# Brings every district's outbox to the server (up, never cut) and checks
# that nothing is left and nothing was stored twice.
settle() {	# WHERE UNITS...
	local where=$1 unit
	shift
	for unit in "$@"; do
		[ -e "$(outbox_of "$unit")" ] || continue
		op_flush "$unit" live
		[ "$GPC_RC" = 0 ] ||
		    violation "$where" "flush of $unit after the restart: status $GPC_RC ($(tail -n 1 "$W/out/$unit.out"))"
	done
	check "$where" settled "$@" || true
}

# --- scenarios: gpd -------------------------------------------------------

# A fresh world: no database, no outbox, no ledger.
fresh_world() {
	gpd_stop
	rm -rf "$W/server" "$W/server.sim" "$W/client" "$W/admin.ledger" \
	    "$W/admin.sim" "$W"/*.snap
	NEXT=()
	gpd_world "$W/server"
}

# One of the short gpd scenarios, cut at sync point 1, 2, ... until a run
# passes every sync point: PREPARE makes the world, BODY drives it with
# the server cut at sync point n, CHECK (if any) checks what is its own
# after the cut, with the other checks.
exhaustive_gpd() {	# NAME PREPARE BODY [CHECK]
	local name=$1 prepare=$2 body=$3 n=0 cut=1 t0
	AFTER_CHECK=${4:-}
	t0=$(now_ms)
	while [ "$cut" = 1 ]; do
		n=$((n + 1))
		"$prepare"
		set_cut "$GSIM" "$n"
		"$body"
		gpd_stop
		cut=0
		if cut_happened "$GSIM"; then
			cut=1
			GPD_POINTS=$((GPD_POINTS + 1))
			note "$name: cut at $(cut -f 1,2,4 "$GSIM/cut" | tr '\t' ' ')"
		fi
		after_gpd_cut "$name cut $n"
	done
	say "ok - $name: $((n - 1)) cut points, each restarted and checked ($((($(now_ms) - t0) / 1000)) s)"
}

# After a cut (or at rest): power on, restart, check, deliver, check.
after_gpd_cut() {	# WHERE
	power_on "$GSIM" || return 0
	if ! gpd_start; then
		violation "$1" "gpd does not start after the cut (status $GPD_RC): $(tail -n 1 "$W/gpd.log")"
		return 0
	fi
	check "$1" world $UNITS || true
	[ -z "$AFTER_CHECK" ] || "$AFTER_CHECK" "$1"
	settle "$1" $UNITS
	gpd_stop
}

# Starts the server for a scenario step, unless the power is already off.
step_gpd_up() {
	cut_happened "$GSIM" && return 0
	gpd_start || true
}

step_gpd_down() {
	gpd_stop
}

# Runs its arguments (operations) at once and waits for them all.
step_par() {	# "OP ARGS" ...
	local op pids=
	for op in "$@"; do
		(untrap; $op) &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
}

# A first start on an empty directory: the schema made by its
# migrations, a report, a lock, a stop.
prepare_first_start() {
	fresh_world
}

body_first_start() {
	step_gpd_up
	op_submit lc-tamduong live lc-tamduong.2022-H1.1
	op_admin lock "$LOCKED"
	step_gpd_down
}

scenario_gpd-first-start() {
	exhaustive_gpd gpd-first-start prepare_first_start body_first_start
}

# Traffic on a database that already holds reports: concurrent new
# reports, revisions, a duplicate and a conflict, the administrator's
# lock and unlock, the server going down while a district queues and
# coming back for its flush.
make_traffic_snapshot() {
	local unit
	fresh_world
	set_cut "$GSIM" 0
	gpd_start
	op_submit lc-tamduong live lc-tamduong.2022-H1.1
	op_submit lc-sinho live lc-sinho.2022-H1.1
	gpd_stop
	power_on "$GSIM"
	for unit in $UNITS; do
		power_on "$W/client/$unit.sim"
	done
	rm -rf "$W/snapshot"
	mkdir -p "$W/snapshot"
	cp -a "$W/server" "$W/client" "$W/snapshot/"
}

prepare_traffic() {
	gpd_stop
	rm -rf "$W/server" "$W/server.sim" "$W/client" "$W/admin.ledger" \
	    "$W/admin.sim"
	cp -a "$W/snapshot/server" "$W/snapshot/client" "$W/"
	NEXT=([lc-tamduong.2022-H1]=1 [lc-sinho.2022-H1]=1)
	gpd_world "$W/server"
}

body_traffic() {
	step_gpd_up
	step_par "op_submit lc-tamduong live lc-tamduong.2022-H1.2" \
	    "op_submit lc-sinho live lc-sinho.2022-H1.2" \
	    "op_submit lc-nganh-giaoduc live lc-nganh-giaoduc.2022.1"
	step_par "op_submit lc-tamduong live lc-tamduong.2022-H1.1 dup" \
	    "op_conflict lc-sinho lc-sinho.2022-H1.1" \
	    "op_submit lc-sinho live lc-sinho.2022.1" \
	    "op_admin lock $LOCKED"
	step_gpd_down
	op_submit lc-nganh-giaoduc live lc-nganh-giaoduc.2022.2
	step_gpd_up
	step_par "op_flush lc-nganh-giaoduc live" \
	    "op_submit lc-tamduong live lc-tamduong.2022-H1.3" \
	    "op_admin unlock $LOCKED"
	step_gpd_down
}

scenario_gpd-traffic() {
	make_traffic_snapshot
	exhaustive_gpd gpd-traffic prepare_traffic body_traffic
}

# --- scenarios: gp-client -------------------------------------------------

# The district lc-sinho on a machine that loses power; the server on
# its own, never cut.
CUNIT=lc-sinho

client_world() {
	gpd_stop
	rm -rf "$W/server" "$W/server.sim" "$W/client" "$W/admin.ledger" \
	    "$W/admin.sim"
	NEXT=()
	gpd_world "$W/server"
	set_cut "$GSIM" 0
	gpd_start
}

# Runs one client operation on a machine that may be cut; none once it
# was.
cstep() {	# OP ARGS...
	cut_happened "$W/client/$CUNIT.sim" && return 0
	"$@"
}

# The newest receipt the district keeps, exported and verified offline
# (with the report exported beside it): what the cut left of its
# signature, certificate and report bytes is whole.
check_receipt() {	# WHERE
	local id rc=0
	[[ " $USABLE " == *" $CUNIT "* ]] || return 0
	id=$(sqlite_check "file:$(outbox_of "$CUNIT")?mode=rw" \
	    "SELECT receipt FROM receipts ORDER BY rowid DESC LIMIT 1" 2>&1) ||
	    { violation "$1" "cannot read the receipts of $CUNIT: $id"; return; }
	[ -n "$id" ] || return 0
	rm -f "$W/receipt.json" "$W/receipt-report.json"
	gpc "$CUNIT" live receipts --export "$id" -o "$W/receipt.json" \
	    --report "$W/receipt-report.json"
	[ "$GPC_RC" = 0 ] ||
	    { violation "$1" "receipt $id cannot be exported: $(tail -n 1 "$W/out/$CUNIT.out")"; return; }
	"$GPC" --ca "$W/pki/ca.crt" verify-receipt "$W/receipt.json" \
	    "$W/receipt-report.json" >>"$W/out/$CUNIT.out" 2>&1 </dev/null || rc=$?
	[ "$rc" = 0 ] ||
	    violation "$1" "receipt $id does not verify (status $rc): $(tail -n 1 "$W/out/$CUNIT.out")"
}

# After the district's machine was cut (or at rest): power on, check,
# deliver, check.
after_client_cut() {	# WHERE
	power_on "$W/client/$CUNIT.sim" || return 0
	check "$1" world "$CUNIT" || true
	check_receipt "$1"
	[ -z "$AFTER_CHECK" ] || "$AFTER_CHECK" "$1"
	settle "$1" "$CUNIT"
}

# One of the short client scenarios, as exhaustive_gpd: PREPARE (after a
# fresh world) readies the district's machine, BODY drives it.
exhaustive_client() {	# NAME BODY [PREPARE [CHECK]]
	local name=$1 body=$2 prepare=${3:-} n=0 cut=1 t0
	AFTER_CHECK=${4:-}
	t0=$(now_ms)
	while [ "$cut" = 1 ]; do
		n=$((n + 1))
		client_world
		[ -z "$prepare" ] || "$prepare"
		set_cut "$W/client/$CUNIT.sim" $(($(sync_count "$W/client/$CUNIT.sim") + n))
		"$body"
		cut=0
		if cut_happened "$W/client/$CUNIT.sim"; then
			cut=1
			CLIENT_POINTS=$((CLIENT_POINTS + 1))
			note "$name: cut at $(cut -f 1,2,4 "$W/client/$CUNIT.sim/cut" | tr '\t' ' ')"
		fi
		after_client_cut "$name cut $n"
	done
	gpd_stop
	say "ok - $name: $((n - 1)) cut points, each checked and delivered ($((($(now_ms) - t0) / 1000)) s)"
}

# The first report of a district whose outbox does not exist yet: the
# outbox, its directory and its first receipt.
body_first_run() {
	cstep op_submit "$CUNIT" live "$CUNIT.2022-H1.1"
	cstep op_submit "$CUNIT" dead "$CUNIT.2022-H1.2"
}

scenario_client-first-run() {
	exhaustive_client client-first-run body_first_run
}

# The outbox at work: queued while the server is down, revisions kept in
# order, a flush, a duplicate, two processes at once.
body_outbox() {
	cstep op_submit "$CUNIT" live "$CUNIT.2022-H1.1"
	cstep op_submit "$CUNIT" dead "$CUNIT.2022-H1.2"
	cstep op_submit "$CUNIT" dead "$CUNIT.2022-H1.3"
	cstep op_flush "$CUNIT" live
	cstep op_submit "$CUNIT" live "$CUNIT.2022-H1.1" dup
	cstep op_submit "$CUNIT" dead "$CUNIT.2022.1"
	cstep step_par "op_submit $CUNIT live $CUNIT.2022.2" \
	    "op_flush $CUNIT live"
}

scenario_client-outbox() {
	exhaustive_client client-outbox body_outbox
}

# Files written whole through a temporary (gp-client's outfile): two
# exports of kept receipts, each a receipt and its report, the second over
# the first. After a cut each file is absent, or whole: the one of the last
# export that ended well, or of one after it.
prepare_export() {
	local k name
	set_cut "$W/client/$CUNIT.sim" 0
	op_submit "$CUNIT" live "$CUNIT.2022-H1.1"
	op_submit "$CUNIT" live "$CUNIT.2022.1"
	EXPORTS=$(sqlite3 -batch -noheader "$(outbox_of "$CUNIT")" \
	    "SELECT receipt FROM receipts ORDER BY rowid")
	# What each export writes, made outside the machine.
	rm -rf "$W/ref" "$W/export.ledger"
	mkdir -p "$W/ref"
	k=0
	for name in $EXPORTS; do
		k=$((k + 1))
		"$GPC" --outbox "$(outbox_of "$CUNIT")" receipts --export \
		    "$name" -o "$W/ref/receipt.$k" --report "$W/ref/report.$k" \
		    >>"$W/out/ref.out" 2>&1 </dev/null ||
		    violation export "cannot make the reference export $k"
	done
	# Then the machine is powered on as the body finds it.
	power_on "$W/client/$CUNIT.sim"
}

body_export() {
	local k=0 name rc
	for name in $EXPORTS; do
		k=$((k + 1))
		cut_happened "$W/client/$CUNIT.sim" && return 0
		gpc "$CUNIT" live receipts --export "$name" \
		    -o "$W/client/$CUNIT/receipt.json" \
		    --report "$W/client/$CUNIT/report.json"
		printf '%s\t%s\n' "$k" "$GPC_RC" >>"$W/export.ledger"
	done
}

check_export() {	# WHERE
	local f k rc last=0 tried=0 ok
	while read -r k rc; do
		tried=$k
		[ "$rc" != 0 ] || last=$k
	done <"$W/export.ledger"
	for f in receipt report; do
		[ -e "$W/client/$CUNIT/$f.json" ] || {
			[ "$last" = 0 ] ||
			    violation "$1" "$f.json of export $last is gone"
			continue
		}
		ok=0
		for k in $(seq "$last" "$((tried + 1))"); do
			[ "$k" -gt 0 ] && [ -e "$W/ref/$f.$k" ] || continue
			! cmp -s "$W/ref/$f.$k" "$W/client/$CUNIT/$f.json" || ok=1
		done
		[ "$ok" = 1 ] ||
		    violation "$1" "$f.json is not whole as an export from $last on wrote it"
	done
}

scenario_client-export() {
	exhaustive_client client-export body_export prepare_export check_export
}

# gpd's backups (gpd -b, a process of the server's machine): two, the
# second over the first, while gpd serves, a report between. After a cut
# the copy is absent or whole: the one of the last backup that ended well,
# or of one after it.
prepare_backup() {
	prepare_traffic
	mkdir -p "$G/backups"
	rm -f "$W/backup.ledger"
}

op_backup() {	# K
	local rc=0 n
	cut_happened "$GSIM" && return 0
	n=$(sqlite3 -batch -noheader "file:$GDB?mode=ro" "SELECT count(*) FROM reports")
	GP_CRASH_DIR=$GSIM "$GPD" -f "$GCONF" -b "$G/backups/gp.db" \
	    >>"$W/gpd.log" 2>&1 </dev/null || rc=$?
	printf '%s\t%s\t%s\n' "$1" "$rc" "$n" >>"$W/backup.ledger"
}

body_backup() {
	step_gpd_up
	op_backup 1
	op_submit lc-tamduong live lc-tamduong.2022-H1.2
	op_backup 2
	step_gpd_down
}

check_backup() {	# WHERE
	local k rc n last=0 want= out
	[ -e "$W/backup.ledger" ] || return 0
	while read -r k rc n; do
		if [ "$rc" = 0 ]; then last=$k; want="$n"; else want="$want $n"; fi
	done <"$W/backup.ledger"
	if [ ! -e "$G/backups/gp.db" ]; then
		[ "$last" = 0 ] || violation "$1" "the backup $last made is gone"
		return 0
	fi
	out=$(sqlite3 -batch -noheader "file:$G/backups/gp.db?mode=ro" \
	    "PRAGMA integrity_check; SELECT count(*) FROM reports" 2>&1)
	case " $(echo $out) " in
	" ok "*)
		[[ " $want " == *" ${out##*$'\n'} "* ]] || [ -z "$want" ] ||
		    violation "$1" "the backup holds ${out##*$'\n'} reports, none of the backups' ($want)";;
	*)
		violation "$1" "the backup is not whole: $(echo $out | head -c 200)";;
	esac
}

scenario_gpd-backup() {
	make_traffic_snapshot
	exhaustive_gpd gpd-backup prepare_backup body_backup check_backup
}

# --- the long runs ----------------------------------------------------------

EPOCH_CUTS=${EPOCH_CUTS:-25}	# cuts before a fresh world (small files)
SETTLE_EVERY=${SETTLE_EVERY:-10}	# cuts between flushes of every outbox
GPD_SPAN=${GPD_SPAN:-16}	# a cut falls within this many sync points
CLIENT_SPAN=${CLIENT_SPAN:-12}

# A background loop I holds before its next operation while $W/pause.I
# names a generation, and says so in $W/paused.I: the harness pauses the
# loops whose operations would race with what it does.
PAUSE_GEN=0
traffic_hold() {	# I
	local gen said=
	while [ -e "$W/pause.$1" ]; do
		[ ! -e "$W/stop" ] || return 1
		read -r gen 2>/dev/null <"$W/pause.$1" || continue
		if [ "$gen" != "$said" ]; then
			echo "$gen" >"$W/paused.$1"
			said=$gen
		fi
		nap 0.005
	done
	[ ! -e "$W/stop" ]
}

traffic_pause() {	# I...
	local i t0 gen
	PAUSE_GEN=$((PAUSE_GEN + 1))
	for i in "$@"; do
		echo "$PAUSE_GEN" >"$W/pause.new"
		mv "$W/pause.new" "$W/pause.$i"
	done
	t0=$(now_ms)
	for i in "$@"; do
		while ! read -r gen 2>/dev/null <"$W/paused.$i" ||
		    [ "$gen" != "$PAUSE_GEN" ]; do
			if ! kill -0 "${TRAFFIC_PIDS[i]}" 2>/dev/null; then
				violation traffic "loop $i is gone"
				return 1
			fi
			if [ $(($(now_ms) - t0)) -gt 60000 ]; then
				violation traffic "loop $i did not pause in 60 s"
				return 1
			fi
			nap 0.005
		done
	done
}

traffic_resume() {
	rm -f "$W"/pause.*
}

# A district's traffic: new reports (revisions of its two periods), some
# while the server is down; duplicates; conflicting twins of accepted
# reports; flushes.
traffic_district() {	# UNIT I
	local unit=$1 i=$2 period name
	local -a sent=() accepted=()
	RANDOM=$((SEED * 31 + i))
	while traffic_hold "$i"; do
		case $((RANDOM % 12)) in
		[0-5]|9)
			period=${PERIODS%% *}
			[ $((RANDOM % 2)) = 0 ] || period=${PERIODS##* }
			next_report "$unit" "$period" || continue
			name=$REPORT
			if [ "$((RANDOM % 12))" = 9 ]; then
				op_submit "$unit" dead "$name"
			else
				op_submit "$unit" live "$name"
			fi
			sent+=("$name")
			[ "$GPC_RC" != 0 ] || accepted+=("$name")
			;;
		6|7)
			[ ${#sent[@]} -gt 0 ] || continue
			op_submit "$unit" live "${sent[RANDOM % ${#sent[@]}]}" dup
			;;
		8)
			[ ${#accepted[@]} -gt 0 ] || continue
			op_conflict "$unit" "${accepted[RANDOM % ${#accepted[@]}]}"
			;;
		*)
			op_flush "$unit" live
			;;
		esac
	done
}

# The administrator locks and unlocks a period, now and then.
traffic_admin() {	# I
	local i=$1 op=lock
	RANDOM=$((SEED * 37 + i))
	while traffic_hold "$i"; do
		op_admin "$op" "$LOCKED"
		if [ "$op" = lock ]; then op=unlock; else op=lock; fi
		nap "0.0$((RANDOM % 9 + 1))"
	done
}

TRAFFIC_LOOPS=
declare -a TRAFFIC_PIDS
# Starts the loops, paused: traffic_resume lets them go.
traffic_start() {
	local unit i=0
	rm -f "$W/stop" "$W"/paused.*
	PAUSE_GEN=$((PAUSE_GEN + 1))
	for i in $(seq $(($(echo $UNITS | wc -w) + 1))); do
		echo "$PAUSE_GEN" >"$W/pause.$i"
	done
	i=0
	for unit in $UNITS; do
		i=$((i + 1))
		(untrap; traffic_district "$unit" "$i") &
		TRAFFIC_PIDS[i]=$!
		BG_PIDS="$BG_PIDS $!"
	done
	i=$((i + 1))
	(untrap; traffic_admin "$i") &
	TRAFFIC_PIDS[i]=$!
	BG_PIDS="$BG_PIDS $!"
	TRAFFIC_LOOPS=$(seq -s ' ' "$i")
}

traffic_stop() {
	local pid
	touch "$W/stop"
	for pid in $BG_PIDS; do
		wait "$pid" 2>/dev/null || true
	done
	BG_PIDS=
}

# gpd under traffic, cut at a random sync point within GPD_SPAN of its
# start; then, the traffic paused, powered on, restarted and checked, and
# every SETTLE_EVERY cuts every outbox flushed and checked; again and
# again, with a fresh world every EPOCH_CUTS.
scenario_gpd-long() {
	local cuts=0 t0 n watchdog where
	local ph ph_cut=0 ph_pause=0 ph_check=0
	t0=$(now_ms)
	while [ "$cuts" -lt "$GPD_CUTS" ]; do
		fresh_world
		set_cut "$GSIM" $((1 + RANDOM % GPD_SPAN))
		gpd_start || true
		traffic_start
		traffic_resume
		n=0
		while [ "$n" -lt "$EPOCH_CUTS" ] && [ "$cuts" -lt "$GPD_CUTS" ]; do
			n=$((n + 1))
			cuts=$((cuts + 1))
			where="gpd-long cut $cuts"
			ph=$(now_ms)
			if [ -n "$GPD_PID" ]; then
				# Until the cut; a watchdog stops gpd if none comes.
				(untrap; nap 120; kill -TERM "$GPD_PID" 2>/dev/null) &
				watchdog=$!
				gpd_reap
				kill -9 "$watchdog" 2>/dev/null || true
				wait "$watchdog" 2>/dev/null || true
			fi
			ph_cut=$((ph_cut + $(now_ms) - ph))
			ph=$(now_ms)
			traffic_pause $TRAFFIC_LOOPS || break
			ph_pause=$((ph_pause + $(now_ms) - ph))
			ph=$(now_ms)
			gpd_check_cut "$where" || true
			note "$where: $(cut -f 1,2,4 "$GSIM/cut" 2>/dev/null | tr '\t' ' ')"
			power_on "$GSIM" || break
			if ! gpd_start; then
				violation "$where" "gpd does not start after the cut (status $GPD_RC): $(tail -n 1 "$W/gpd.log")"
				break
			fi
			check "$where" world $UNITS || true
			[ $((cuts % SETTLE_EVERY)) != 0 ] || settle "$where" $UNITS
			set_cut "$GSIM" $(($(sync_count "$GSIM") + 1 + RANDOM % GPD_SPAN))
			traffic_resume
			ph_check=$((ph_check + $(now_ms) - ph))
		done
		traffic_stop
		gpd_stop
	done
	GPD_POINTS=$((GPD_POINTS + cuts))
	note "ms: waiting for the cut $ph_cut, for the traffic to pause $ph_pause, power-on, restart and checks $ph_check"
	say "ok - gpd-long: $cuts cut points under traffic, each restarted and checked ($((($(now_ms) - t0) / 1000)) s)"
}

# A district's machine cut at random sync points while it submits, queues
# and flushes; the server up (never cut) or unreachable.
scenario_client-long() {
	local cuts=0 t0 ops name period where
	local -a sent=()
	t0=$(now_ms)
	while [ "$cuts" -lt "$CLIENT_CUTS" ]; do
		if [ $((cuts % EPOCH_CUTS)) = 0 ]; then
			client_world
			sent=()
		fi
		cuts=$((cuts + 1))
		where="client-long cut $cuts"
		set_cut "$W/client/$CUNIT.sim" $(($(sync_count "$W/client/$CUNIT.sim") + 1 + RANDOM % CLIENT_SPAN))
		printf 'boot\t%s\t-\t%s\n' "$CUNIT" "$(cat "$W/client/$CUNIT.sim/at")" >>"$(ledger "$CUNIT")"
		ops=0
		while ! cut_happened "$W/client/$CUNIT.sim" && [ "$ops" -lt 100 ]; do
			ops=$((ops + 1))
			period=${PERIODS%% *}
			[ $((RANDOM % 2)) = 0 ] || period=${PERIODS##* }
			case $((RANDOM % 10)) in
			[0-3])
				next_report "$CUNIT" "$period" || break
				sent+=("$REPORT")
				op_submit "$CUNIT" live "$REPORT"
				;;
			4|5)
				next_report "$CUNIT" "$period" || break
				sent+=("$REPORT")
				op_submit "$CUNIT" dead "$REPORT"
				;;
			6)
				[ ${#sent[@]} -gt 0 ] || continue
				op_submit "$CUNIT" live "${sent[RANDOM % ${#sent[@]}]}" dup
				;;
			7)
				op_flush "$CUNIT" live
				;;
			8)
				op_flush "$CUNIT" dead
				;;
			9)
				next_report "$CUNIT" "$period" || break
				sent+=("$REPORT")
				step_par "op_submit $CUNIT live $REPORT" \
				    "op_flush $CUNIT live"
				;;
			esac
		done
		if cut_happened "$W/client/$CUNIT.sim"; then
			CLIENT_POINTS=$((CLIENT_POINTS + 1))
			note "$where: $(cut -f 1,2,4 "$W/client/$CUNIT.sim/cut" | tr '\t' ' ')"
		else
			violation "$where" "no cut within $ops operations ($(sync_count "$W/client/$CUNIT.sim") sync points)"
		fi
		power_on "$W/client/$CUNIT.sim" || break
		check "$where" world "$CUNIT" || true
		check_receipt "$where"
		[ $((cuts % 4)) != 0 ] || settle "$where" "$CUNIT"
	done
	gpd_stop
	say "ok - client-long: $cuts cut points, each checked, every 4th delivered ($((($(now_ms) - t0) / 1000)) s)"
}

# --- main -------------------------------------------------------------------

T0=$(now_ms)
say "# crash: seed $SEED, working directory $W"
for s in "$@"; do
	"scenario_$s"
done
# A sanitizer's report (a test build made with SAN=) in what gpd and
# gp-client said is a violation too.
for f in "$W/gpd.log" "$W/admin.out" "$W"/out/*.out; do
	[ -e "$f" ] || continue
	grep -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$f" |
	    head -n 5 >"$W/san.out" || true
	while IFS= read -r line; do
		violation sanitizer "$(basename "$f"): $line"
	done <"$W/san.out"
done
say "# $((($(now_ms) - T0) / 1000)) s"
say "crash: gpd $GPD_POINTS cut points, gp-client $CLIENT_POINTS cut points, $VIOLATIONS violations, seed $SEED"
[ "$VIOLATIONS" -eq 0 ]
