#!/usr/bin/env bash
# The measurements of issue 7, in one run on this machine: `make bench`
# (or tests/bench/run.sh BUILD after `make BUILD=... all bench-bins`).
# Everything runs on 127.0.0.1 under a temporary directory, with loads
# bounded in time, and stops by itself. See tests/bench/README.md for how
# to read the output.
#
# Tunables (environment): BENCH_RUNS (3) runs per figure, BENCH_SECONDS
# (4) per load run, BENCH_UNITS (32) unit certificates, BENCH_CONNS (64)
# persistent connections, BENCH_DEPTH (2) submissions in flight on each,
# BENCH_CONNECT_CONNS (16) concurrent new connections, BENCH_THREADS (2)
# client threads, BENCH_IDLE (2000) idle connections, BENCH_ONESHOT (30)
# one-shot runs, BENCH_NATIONAL (100000) units of the national database,
# BENCH_QUERY_RUNS (5), BENCH_KEEP=1 keeps the work directory.
set -euo pipefail

BUILD=${1:-build-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$BUILD" && pwd)
RUNS=${BENCH_RUNS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-4}
UNITS=${BENCH_UNITS:-32}
CONNS=${BENCH_CONNS:-64}
DEPTH=${BENCH_DEPTH:-2}
CCONNS=${BENCH_CONNECT_CONNS:-16}
THREADS=${BENCH_THREADS:-2}
IDLE=${BENCH_IDLE:-2000}
ONESHOT=${BENCH_ONESHOT:-30}
NATIONAL=${BENCH_NATIONAL:-100000}
QRUNS=${BENCH_QUERY_RUNS:-5}
PERIOD=2022-H1
DUE=2022-06-10		# of 2022-H1, under the default [periods]

GPD=$B/gpd
CLIENT=$B/gp-client
LOAD=$B/bench/gpload
SQLBASE=$B/bench/sqlbase
NATGEN=$B/bench/natgen
VALBENCH=$B/bench/valbench
VALBENCH_ENUMS=$B/bench/valbench-enums
BASE_CLIENT=$B/bench/base/build/gp-client
for f in "$GPD" "$CLIENT" "$LOAD" "$SQLBASE" "$NATGEN" "$VALBENCH" \
    "$VALBENCH_ENUMS" "$BASE_CLIENT"; do
	[ -x "$f" ] || { echo "bench: $f missing: make bench builds it" >&2;
	    exit 1; }
done
for c in openssl sqlite3 python3 /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "bench: $c not found" >&2;
	    exit 1; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-bench.XXXXXX")
GPD_PID=
OTHER_PID=
PROBLEMS=0
START=$EPOCHREALTIME

cleanup() {
	[ -z "$OTHER_PID" ] || { kill "$OTHER_PID" 2>/dev/null || true;
	    wait "$OTHER_PID" 2>/dev/null || true; }
	stop_gpd
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers ------------------------------------------------------------

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Waits for a LISTEN socket on 127.0.0.1:PORT (no probe connection).
wait_listen() {	# PORT PID
	local hex i
	hex=$(printf '%04X' "$1")
	for i in $(seq 300); do
		kill -0 "$2" 2>/dev/null || return 1
		grep -qi ":$hex 00000000:0000 0A" /proc/net/tcp && return 0
		sleep 0.1
	done
	return 1
}

start_gpd() {	# CONF
	"$GPD" -f "$1" 2>>"$W/gpd.log" &
	GPD_PID=$!
	wait_listen "$PORT" "$GPD_PID" || { echo "bench: gpd did not start:" >&2;
	    tail -5 "$W/gpd.log" >&2; exit 1; }
}

stop_gpd() {
	[ -n "$GPD_PID" ] || return 0
	kill "$GPD_PID" 2>/dev/null || true
	wait "$GPD_PID" 2>/dev/null || true
	GPD_PID=
}

median() {	# numbers on stdin
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
	    else if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.3f", (b > 0) ? a / b : 0) }'; }

# verdict VALUE OP GOAL: PASS or MISS
verdict() {
	awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN {
	    if (v == "" || v == "nan") { print "n/a"; exit }
	    ok = (op == ">=") ? (v + 0 >= g + 0) : (v + 0 <= g + 0)
	    print(ok ? "PASS" : "MISS") }'
}

field() {	# KEY LINE: the value of KEY=value in LINE
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }
# A timed region is only the measured process: its end is read at once,
# without a fork, and everything else (checks, arithmetic) comes after.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) * 1000 }'; }

load() {
	"$LOAD" -p "$PORT" --ca "$W/pki/ca.crt" --pki "$W/pki" --units "$UNITS" \
	    -t "$THREADS" "$@"
}

unit() { printf 'bench-u%06d' "$1"; }

# CPU time of a process and its threads, in clock ticks.
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK_MS=$(awk -v t="$(getconf CLK_TCK)" 'BEGIN { print 1000 / t }')
# CPU ms per acknowledged operation of a gpload LINE, from ticks A to B.
per_op() {
	awk -v a="$1" -v b="$2" -v n="$(field acked "$3")" -v t="$TICK_MS" \
	    'BEGIN { printf("%.3f", (n > 0) ? (b - a) * t / n : 0) }'
}

rows_per_report() {	# DB
	sqlite3 "$1" "select printf('%.1f activities, %.1f indicators, %.1f texts, %.1f warnings, %.1f audit, %.1f totals rows per report', (select count(*) from activities) * 1.0 / count(*), (select count(*) from indicators) * 1.0 / count(*), (select count(*) from narratives) * 1.0 / count(*), (select count(*) from warnings) * 1.0 / count(*), (select count(*) from audit) * 1.0 / count(*), (select count(*) from report_totals) * 1.0 / count(*)) from reports"
}

# --- the machine ----------------------------------------------------------

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt $((IDLE + 200)) ]; then
	echo "bench: ulimit -n $(ulimit -n) is below $((IDLE + 200))" >&2
	exit 1
fi
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
say "gp bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "machine: $(nproc) cores, ${CPU:-unknown CPU}, $(free -m |
    awk '/^Mem:/ { print $2 " MiB" }'), Linux $(uname -r)"
say "software: $(openssl version | cut -d' ' -f1-2), SQLite $(sqlite3 \
    --version | cut -d' ' -f1) (CLI; gpd links $(ldd "$GPD" |
    sed -n 's/.*libsqlite3.so.\([^ ]*\).*/libsqlite3.so.\1/p'))"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)$([ -r \
    /proc/pressure/cpu ] && printf ', cpu pressure %s' "$(sed -n \
    's/^some avg10=\([^ ]*\).*/\1%/p' /proc/pressure/cpu)")"
say "work directory: $W; runs per figure: $RUNS"

# --- PKI, configuration ---------------------------------------------------

step "set-up: PKI of $UNITS units + bench-admin, configuration"
t=$EPOCHREALTIME
names=(bench-admin)
for i in $(seq "$UNITS"); do names+=("$(unit "$i")"); done
"$ROOT/scripts/pki.sh" "$W/pki" "${names[@]}" >/dev/null
say "PKI made in $(ms_since "$t") ms"
for i in $(seq "$UNITS"); do
	printf '[%s]\nname = Công đoàn cơ sở số %d\ntype = district_federation\n\n' \
	    "$(unit "$i")" "$i"
done > "$W/units.conf"
PORT=$(free_port)

write_conf() {	# FILE DATABASE UNITS
	cat > "$1" <<EOF
[server]
listen = 127.0.0.1:$PORT
database = $2
units = $3
max_connections = $((IDLE + 100))
handshake_timeout = 60
idle_timeout = 600
max_frame = 1048576

[tls]
certificate = $W/pki/server.crt
key = $W/pki/server.key
client_ca = $W/pki/ca.crt

[access]
admins = bench-admin
EOF
}
write_conf "$W/gpd.conf" "$W/gp.db" "$W/units.conf"
"$GPD" -n -f "$W/gpd.conf" >/dev/null

# --- (1) durable throughput, (2) new connections ------------------------------

figures_1_2() {
	local i line a b
	step "(1) durable reports/s: gpd over $CONNS persistent connections (depth $DEPTH) vs sqlbase; (2) one report per new connection: gpd vs openssl s_server full handshakes ($CCONNS concurrent); interleaved, $RUNS rounds"
	SPORT=$(free_port)
	openssl s_server -accept "127.0.0.1:$SPORT" -cert "$W/pki/server.crt" \
	    -key "$W/pki/server.key" -CAfile "$W/pki/ca.crt" -Verify 1 \
	    -alpn gp/1 -no_ticket -num_tickets 0 -quiet -www \
	    >/dev/null 2>"$W/s_server.log" </dev/null &
	OTHER_PID=$!
	wait_listen "$SPORT" "$OTHER_PID" || { echo "bench: s_server did not start" >&2;
	    cat "$W/s_server.log" >&2; exit 1; }
	sql100=(); sql1=(); pers=(); conn=(); hs=()
	persline=(); connline=(); cpu_sql=(); cpu_pers=(); cpu_conn=(); cpu_hs=()
	verified=()
	cli_pers=(); cli_conn=(); cli_hs=()
	for i in $(seq "$RUNS"); do
		say "  round $i"
		rm -f "$W"/base.db*
		line=$("$SQLBASE" --db "$W/base.db" --batch 100 \
		    --duration "$SECONDS_PER_RUN" --units "$UNITS")
		say "    sqlbase:  $line"
		sql100+=("$(field rate "$line")")
		cpu_sql+=("$(field cpu_ms "$line")")

		# Like sqlbase, gpd starts each round on an empty database:
		# inserts slow down as a database grows (its random keys:
		# submission ids, receipts), and the two must be compared at
		# the same size.
		rm -f "$W"/gp.db*
		start_gpd "$W/gpd.conf"

		a=$(cputicks "$GPD_PID")
		line=$(load --mode persistent -c "$CONNS" -P "$DEPTH" \
		    -d "$SECONDS_PER_RUN" --receipts "$W/receipts-$i")
		b=$(cputicks "$GPD_PID")
		say "    gpd:      $line gpd_cpu_ms=$(per_op "$a" "$b" "$line")"
		pers+=("$(field rate "$line")")
		persline+=("$line")
		cpu_pers+=("$(per_op "$a" "$b" "$line")")
		cli_pers+=("$(field client_cpu_ms "$line")")

		a=$(cputicks "$GPD_PID")
		line=$(load --mode connect -c "$CCONNS" -d "$SECONDS_PER_RUN" \
		    --receipts "$W/receipts-$i")
		b=$(cputicks "$GPD_PID")
		say "    gpd:      $line gpd_cpu_ms=$(per_op "$a" "$b" "$line")"
		conn+=("$(field rate "$line")")
		connline+=("$line")
		cpu_conn+=("$(per_op "$a" "$b" "$line")")
		cli_conn+=("$(field client_cpu_ms "$line")")

		a=$(cputicks "$OTHER_PID")
		line=$("$LOAD" -p "$SPORT" --ca "$W/pki/ca.crt" --pki "$W/pki" \
		    --units "$UNITS" -t "$THREADS" --mode handshake -c "$CCONNS" \
		    -d "$SECONDS_PER_RUN")
		b=$(cputicks "$OTHER_PID")
		say "    s_server: $line server_cpu_ms=$(per_op "$a" "$b" "$line")"
		hs+=("$(field rate "$line")")
		cpu_hs+=("$(per_op "$a" "$b" "$line")")
		cli_hs+=("$(field client_cpu_ms "$line")")

		# The database holds exactly what this round acknowledged.
		stop_gpd
		line=$("$LOAD" --verify "$W/gp.db" --receipts "$W/receipts-$i") ||
		    true
		say "    $line"
		verified+=("$line")
	done
	kill "$OTHER_PID" 2>/dev/null || true
	wait "$OTHER_PID" 2>/dev/null || true
	OTHER_PID=
	# The reference: one report per transaction.
	for i in $(seq "$RUNS"); do
		rm -f "$W"/base.db*
		line=$("$SQLBASE" --db "$W/base.db" --batch 1 \
		    --duration "$SECONDS_PER_RUN" --units "$UNITS")
		say "  sqlbase:  $line"
		sql1+=("$(field rate "$line")")
	done
	BASE_ROWS=$(rows_per_report "$W/base.db")
	rm -f "$W"/base.db*
	GPD_ROWS=$(rows_per_report "$W/gp.db")
	# One line for the results: OK only when every round's was.
	VERIFY=$(awk '{ for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2)
	    v[kv[1]] += kv[2]; if ($NF != "OK") bad++ } END {
	    printf("verify acknowledged=%d rows=%d absent=%d wrong_receipt=%d %s\n",
	    v["acknowledged"], v["rows"], v["absent"], v["wrong_receipt"],
	    bad || NR == 0 ? "FAILED" : "OK") }' < <(printf '%s\n' "${verified[@]}"))
	say "  $VERIFY (all rounds)"
	BATCHES=$(sed -n 's/.*writer stopped batches=\([0-9]*\) jobs=\([0-9]*\).*/\1 \2/p' \
	    "$W/gpd.log" | awk '{ b += $1; j += $2 } END { print b, j }')
	say "  writer: ${BATCHES% *} batches for ${BATCHES#* } jobs"
	say "  rows: gpd     $GPD_ROWS"
	say "        sqlbase $BASE_ROWS"
	SQL100=$(printf '%s\n' "${sql100[@]}" | median)
	SQL1=$(printf '%s\n' "${sql1[@]}" | median)
	GPD_PERS=$(printf '%s\n' "${pers[@]}" | median)
	GPD_CONN=$(printf '%s\n' "${conn[@]}" | median)
	SSERVER=$(printf '%s\n' "${hs[@]}" | median)
	CP50=$(for l in "${connline[@]}"; do field p50_ms "$l"; done | median)
	CP99=$(for l in "${connline[@]}"; do field p99_ms "$l"; done | median)
	P50=$(for l in "${persline[@]}"; do field p50_ms "$l"; done | median)
	P99=$(for l in "${persline[@]}"; do field p99_ms "$l"; done | median)
	CPU_SQL=$(printf '%s\n' "${cpu_sql[@]}" | median)
	CPU_PERS=$(printf '%s\n' "${cpu_pers[@]}" | median)
	CPU_CONN=$(printf '%s\n' "${cpu_conn[@]}" | median)
	CPU_HS=$(printf '%s\n' "${cpu_hs[@]}" | median)
	CLI_PERS=$(printf '%s\n' "${cli_pers[@]}" | median)
	CLI_CONN=$(printf '%s\n' "${cli_conn[@]}" | median)
	CLI_HS=$(printf '%s\n' "${cli_hs[@]}" | median)
}

# --- (3) one-shot ------------------------------------------------------------

figure_3() {
	local i t
	step "(3) one-shot wall time: gp-client submit vs openssl s_client ($ONESHOT runs each, interleaved)"
	start_gpd "$W/gpd.conf"
	U1=$(unit 1)
	python3 - "$ROOT/tests/data/lc-tamduong-2022-H1.json" "$W/oneshot" \
	    "$U1" $((2 * ONESHOT + 1)) <<'PY'
import json, os, sys, uuid
src, out, unit, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.makedirs(out, exist_ok=True)
r = json.load(open(src, encoding="utf-8"))
r["unit"] = unit
for i in range(n):
    r["id"] = str(uuid.uuid4())
    with open(os.path.join(out, "r%d.json" % i), "w", encoding="utf-8") as f:
        json.dump(r, f, ensure_ascii=False)
PY
	export HOME=$W/home XDG_STATE_HOME=$W/home/state
	mkdir -p "$HOME"
	printf 'hello\n' > "$W/hello"
	client_submit "$W/oneshot/r$((2 * ONESHOT)).json"	# warm-up
	client_check
	sclient
	sclient_check
	# The measured pair: a new report each time, and s_client. Each
	# timed region holds the one process and nothing else; its outcome
	# is checked after the clock stops.
	for i in $(seq 0 $((ONESHOT - 1))); do
		t=$EPOCHREALTIME
		client_submit "$W/oneshot/r$i.json"
		e=$EPOCHREALTIME
		gc+=("$(ms_between "$t" "$e")")
		client_check
		t=$EPOCHREALTIME
		sclient
		e=$EPOCHREALTIME
		sc+=("$(ms_between "$t" "$e")")
		sclient_check
		# Where the time goes: without the local outbox, and the
		# cost of starting each program.
		t=$EPOCHREALTIME
		client_submit "$W/oneshot/r$((ONESHOT + i)).json" --no-queue
		e=$EPOCHREALTIME
		nq+=("$(ms_between "$t" "$e")")
		client_check
		t=$EPOCHREALTIME
		"$CLIENT" --version >/dev/null
		e=$EPOCHREALTIME
		gv+=("$(ms_between "$t" "$e")")
		t=$EPOCHREALTIME
		openssl version >/dev/null
		e=$EPOCHREALTIME
		ov+=("$(ms_between "$t" "$e")")
	done
	GC=$(printf '%s\n' "${gc[@]}" | median)
	SC=$(printf '%s\n' "${sc[@]}" | median)
	NQ=$(printf '%s\n' "${nq[@]}" | median)
	GV=$(printf '%s\n' "${gv[@]}" | median)
	OV=$(printf '%s\n' "${ov[@]}" | median)
	say "  gp-client submit:            median $GC ms ($(spread "${gc[@]}"))"
	say "  openssl s_client:            median $SC ms ($(spread "${sc[@]}"))"
	say "  gp-client submit --no-queue: median $NQ ms ($(spread "${nq[@]}"))"
	say "  gp-client --version:         median $GV ms; openssl version: median $OV ms"
	stop_gpd
}

gc=(); sc=(); nq=(); gv=(); ov=()
spread() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    printf("min %s, max %s", v[1], v[NR]) }'; }
# Runs gp-client only (status in RC); client_check looks at it after.
client_submit() {	# FILE [OPTION]
	RC=0
	"$CLIENT" -s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/$U1.crt" --key "$W/pki/$U1.key" submit ${2:+"$2"} \
	    "$1" >"$W/oneshot.out" 2>&1 || RC=$?
}
client_check() {
	[ "$RC" -eq 0 ] || { echo "bench: gp-client submit failed:" >&2;
	    cat "$W/oneshot.out" >&2; exit 1; }
}
# gpd answers the line (not a frame) with an error and closes, which
# s_client may see before it exits (status 1): sclient_check looks at the
# handshake after. The input is a file: no process but s_client runs.
sclient() {
	openssl s_client -connect "127.0.0.1:$PORT" \
	    -CAfile "$W/pki/ca.crt" -cert "$W/pki/$U1.crt" \
	    -key "$W/pki/$U1.key" -alpn gp/1 -verify_return_error -quiet \
	    -no_ign_eof <"$W/hello" >/dev/null 2>"$W/s_client.err" || true
}
sclient_check() {
	grep -q '^depth=0 ' "$W/s_client.err" &&
	    ! grep -qi 'verify error' "$W/s_client.err" ||
	    { echo "bench: openssl s_client failed:" >&2; cat "$W/s_client.err" >&2;
	    exit 1; }
}

# --- (4) memory per idle connection ------------------------------------------

figure_4() {

	step "(4) gpd resident memory per idle authenticated connection ($IDLE connections, whoami on each)"
	rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
	mem=()
	for _ in $(seq "$RUNS"); do
		start_gpd "$W/gpd.conf"
		# Warm-up: thread arenas, OpenSSL's first use, the listener.
		load --mode idle -c 8 -d 0.3 >/dev/null
		sleep 0.3
		before=$(rss "$GPD_PID")
		# Not through load(): $! must be gpload itself.
		"$LOAD" -p "$PORT" --ca "$W/pki/ca.crt" --pki "$W/pki" \
		    --units "$UNITS" -t "$THREADS" --mode idle -c "$IDLE" -d 300 \
		    >"$W/idle.out" 2>"$W/idle.err" &
		OTHER_PID=$!
		for i in $(seq 1200); do
			grep -q '^ready' "$W/idle.out" 2>/dev/null && break
			kill -0 "$OTHER_PID" 2>/dev/null || break
			sleep 0.1
		done
		ready=$(sed -n 's/^ready \([0-9]*\) of.*/\1/p' "$W/idle.out")
		sleep 0.5
		after=$(rss "$GPD_PID")
		kill "$OTHER_PID" 2>/dev/null || true
		st=0
		wait "$OTHER_PID" 2>/dev/null || st=$?
		OTHER_PID=
		stop_gpd
		if [ "${ready:-0}" -ne "$IDLE" ]; then
			# Reported, and the run left out of the median.
			echo "bench: only ${ready:-0} of $IDLE idle connections ready (gpload status $st):" >&2
			cat "$W/idle.out" "$W/idle.err" >&2
			tail -3 "$W/gpd.log" >&2
			PROBLEMS=$((PROBLEMS + 1))
			continue
		fi
		per=$(awk -v a="$after" -v b="$before" -v n="$IDLE" 'BEGIN { printf "%.1f", (a - b) / n }')
		say "  RSS $before KiB before, $after KiB with $ready connections: $per KiB each"
		mem+=("$per")
	done
	MEM=$(printf '%s\n' "${mem[@]}" | median)
}

# --- (5) national scale --------------------------------------------------------

figure_5() {

	step "(5) national scale: $NATIONAL units x 2 periods x 20 activities; missing and summary $PERIOD"
	KEY=$(sha256sum < "$NATGEN" | cut -c1-12)
	NDIR=$B/bench/national-$NATIONAL-$KEY
	if [ ! -f "$NDIR/done" ]; then
		rm -rf "$B"/bench/national-"$NATIONAL"-*
		mkdir -p "$NDIR"
		t=$EPOCHREALTIME
		"$NATGEN" --db "$NDIR/national.db" --units-conf "$NDIR/units.conf" \
		    --units "$NATIONAL" --periods "$PERIOD,2022" --activities 20 |
		    sed 's/^/  /'
		touch "$NDIR/done"
		say "  generated in $(ms_since "$t") ms into $NDIR (kept for later runs)"
	else
		say "  reusing $NDIR (made by this natgen binary)"
	fi
	say "  database: $(du -m "$NDIR/national.db" | cut -f1) MiB"
	write_conf "$W/national.conf" "$NDIR/national.db" "$NDIR/units.conf"
	t=$EPOCHREALTIME
	start_gpd "$W/national.conf"
	say "  gpd started with $NATIONAL units in $(ms_since "$t") ms"

	DUEDAY="CAST(julianday('$DUE') - 2440587.5 AS INTEGER)"
	MISSING_SQL="SELECT u.code, u.name,
	 CASE WHEN r.first_at IS NULL THEN 'missing'
	  WHEN r.first_at / 86400 > $DUEDAY THEN 'late' ELSE 'on_time' END,
	 CASE WHEN r.first_at / 86400 > $DUEDAY THEN r.first_at / 86400 - $DUEDAY END,
	 strftime('%Y-%m-%dT%H:%M:%SZ', r.first_at, 'unixepoch'), r.revision
	FROM bench_units u LEFT JOIN (SELECT unit, MIN(received_at) AS first_at,
	 MAX(revision) AS revision FROM reports WHERE period = '$PERIOD'
	 GROUP BY unit) r ON r.unit = u.code ORDER BY u.code;"
	LATEST="WITH latest AS (SELECT id, MAX(revision) FROM reports
	 WHERE period = '$PERIOD' GROUP BY unit)"
	SUMMARY_SQL="$LATEST SELECT (SELECT count(*) FROM bench_units),
	 (SELECT count(*) FROM latest), sum(activities), sum(sessions),
	 sum(participants), sum(female) FROM report_totals
	 WHERE report_id IN (SELECT id FROM latest);
	$LATEST SELECT code, sum(total), COALESCE(sum(female), 0) FROM indicators
	 WHERE report_id IN (SELECT id FROM latest) GROUP BY code ORDER BY code;"
	ADMIN=(-s "127.0.0.1:$PORT" --ca "$W/pki/ca.crt" --cert "$W/pki/bench-admin.crt"
	    --key "$W/pki/bench-admin.key")

	# Warm the page cache once, and keep the answers to compare.
	"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" >"$W/missing.client" 2>&1 ||
	    { echo "bench: gp-client missing failed:" >&2; tail -3 "$W/missing.client" >&2; exit 1; }
	"$CLIENT" "${ADMIN[@]}" summary "$PERIOD" >"$W/summary.client" 2>&1 ||
	    { echo "bench: gp-client summary failed:" >&2; tail -3 "$W/summary.client" >&2; exit 1; }
	"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" --call-list --csv >"$W/calls.csv" 2>&1 ||
	    { echo "bench: gp-client missing --call-list failed:" >&2; tail -3 "$W/calls.csv" >&2; exit 1; }
	sqlite3 -readonly "$NDIR/national.db" "$MISSING_SQL" >"$W/missing.sql"
	sqlite3 -readonly "$NDIR/national.db" "$SUMMARY_SQL" >"$W/summary.sql"

	# The shell's own CPU time, to set beside gpd's: runs of its own,
	# not timed, so that /usr/bin/time is in no timed region.
	sqlcpu() {	# SQL
		/usr/bin/time -f '%U %S' -o "$W/sqlite3.time" \
		    sqlite3 -readonly "$NDIR/national.db" "$1" >/dev/null
		awk '{ printf("%.0f\n", ($1 + $2) * 1000) }' "$W/sqlite3.time"
}
cm=(); sm=(); cs=(); ss=(); smc=(); ssc=(); cl=(); cc=()
for _ in $(seq "$QRUNS"); do
	t=$EPOCHREALTIME; "$CLIENT" "${ADMIN[@]}" missing "$PERIOD" >/dev/null
	e=$EPOCHREALTIME; cm+=("$(ms_between "$t" "$e")")
	# Its counts alone (issue 20): the totals gpd keeps, no list.
	t=$EPOCHREALTIME
	"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" --counts >/dev/null
	e=$EPOCHREALTIME; cc+=("$(ms_between "$t" "$e")")
	# The call list (issue 17): the same walk of the registry, the
	# units to phone sorted by days late, as CSV.
	t=$EPOCHREALTIME
	"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" --call-list --csv >/dev/null
	e=$EPOCHREALTIME; cl+=("$(ms_between "$t" "$e")")
	t=$EPOCHREALTIME
	sqlite3 -readonly "$NDIR/national.db" "$MISSING_SQL" >/dev/null
	e=$EPOCHREALTIME; sm+=("$(ms_between "$t" "$e")")
	smc+=("$(sqlcpu "$MISSING_SQL")")
	t=$EPOCHREALTIME; "$CLIENT" "${ADMIN[@]}" summary "$PERIOD" >/dev/null
	e=$EPOCHREALTIME; cs+=("$(ms_between "$t" "$e")")
	t=$EPOCHREALTIME
	sqlite3 -readonly "$NDIR/national.db" "$SUMMARY_SQL" >/dev/null
	e=$EPOCHREALTIME; ss+=("$(ms_between "$t" "$e")")
	ssc+=("$(sqlcpu "$SUMMARY_SQL")")
done
CM=$(printf '%s\n' "${cm[@]}" | median)
CC=$(printf '%s\n' "${cc[@]}" | median)
CL0=$(printf '%s\n' "${cl[@]}" | median)
# The call list's worst case: every unit's report returned, so that all
# 100,000 are listed and sorted. The decisions are put in by hand and
# taken out again: the national database stays as natgen made it.
sqlite3 "$NDIR/national.db" "INSERT INTO reviews (decision, unit, period,
 revision, report_hash, action, state, comment, decided_at, cn, fingerprint)
 SELECT 'bench-' || r.id, r.unit, r.period, r.revision, r.content_hash,
 'return', 'returned', 'bench', r.received_at, 'bench-admin', 'bench'
 FROM reports r WHERE r.period = '$PERIOD' AND r.revision = (SELECT
 MAX(x.revision) FROM reports x WHERE x.unit = r.unit AND x.period = r.period)"
"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" --call-list --csv >"$W/calls.csv" 2>&1 ||
    { echo "bench: gp-client missing --call-list failed:" >&2; tail -3 "$W/calls.csv" >&2; exit 1; }
# missing over the same reports (every one returned), in turn with it:
# the call list is compared with the list it is made from, each unit's
# decision looked up by both.
cl=(); cr=()
for _ in $(seq "$QRUNS"); do
	t=$EPOCHREALTIME
	"$CLIENT" "${ADMIN[@]}" missing "$PERIOD" --call-list --csv >/dev/null
	e=$EPOCHREALTIME; cl+=("$(ms_between "$t" "$e")")
	t=$EPOCHREALTIME; "$CLIENT" "${ADMIN[@]}" missing "$PERIOD" >/dev/null
	e=$EPOCHREALTIME; cr+=("$(ms_between "$t" "$e")")
done
sqlite3 "$NDIR/national.db" "DELETE FROM reviews WHERE decision LIKE 'bench-%'"
CL=$(printf '%s\n' "${cl[@]}" | median)
CR=$(printf '%s\n' "${cr[@]}" | median)
SM=$(printf '%s\n' "${sm[@]}" | median)
CS=$(printf '%s\n' "${cs[@]}" | median)
SS=$(printf '%s\n' "${ss[@]}" | median)
SMC=$(printf '%s\n' "${smc[@]}" | median)
SSC=$(printf '%s\n' "${ssc[@]}" | median)
a=$(cputicks "$GPD_PID")
QM=$("$LOAD" -p "$PORT" --ca "$W/pki/ca.crt" --pki "$W/pki" --admin bench-admin \
    --mode query --query missing --period "$PERIOD" -n "$QRUNS")
b=$(cputicks "$GPD_PID")
QMCPU=$(awk -v a="$a" -v b="$b" -v n="$QRUNS" -v t="$TICK_MS" 'BEGIN { printf("%.0f", (b - a) * t / n) }')
a=$(cputicks "$GPD_PID")
QC=$("$LOAD" -p "$PORT" --ca "$W/pki/ca.crt" --pki "$W/pki" --admin bench-admin \
    --mode query --query missing-counts --period "$PERIOD" -n "$QRUNS")
b=$(cputicks "$GPD_PID")
QCCPU=$(awk -v a="$a" -v b="$b" -v n="$QRUNS" -v t="$TICK_MS" 'BEGIN { printf("%.0f", (b - a) * t / n) }')
a=$(cputicks "$GPD_PID")
QS=$("$LOAD" -p "$PORT" --ca "$W/pki/ca.crt" --pki "$W/pki" --admin bench-admin \
    --mode query --query summary --period "$PERIOD" -n "$QRUNS")
b=$(cputicks "$GPD_PID")
QSCPU=$(awk -v a="$a" -v b="$b" -v n="$QRUNS" -v t="$TICK_MS" 'BEGIN { printf("%.0f", (b - a) * t / n) }')
stop_gpd
DM=$(field median_ms "$(head -1 <<<"$QM")")
DC=$(field median_ms "$(head -1 <<<"$QC")")
DS=$(field median_ms "$(head -1 <<<"$QS")")

# Same results: the daemon's counts and totals against the SQL's.
RM=$(sed -n 's/^result //p' <<<"$QM")
RC5=$(sed -n 's/^result //p' <<<"$QC")
RS=$(sed -n 's/^result //p' <<<"$QS")
sql_missing=$(awk -F'|' '{ n++; s[$3]++ } END {
    printf("rows=%d expected=%d reported=%d on_time=%d", n, n,
    n - s["missing"], s["on_time"]) }' "$W/missing.sql")
gpd_missing=$(sed 's/^rows=\([0-9]*\) expected=\([0-9]*\) reported=\([0-9]*\) on_time=\([0-9]*\).*/rows=\1 expected=\2 reported=\3 on_time=\4/' <<<"$RM")
sql_summary=$(awk -F'|' 'NR == 1 {
    printf("reports=%s activities=%s sessions=%s participants=%s female=%s " \
    "expected=%s indicators=", $2, $3, $4, $5, $6, $1); next }
    { printf("%s%s:%s:%s", NR > 2 ? "," : "", $1, $2, $3) }' "$W/summary.sql")
# gpd gives the indicators in the form's order, the SQL by code.
gpd_summary="${RS%%indicators=*}indicators=$(tr ',' '\n' <<<"${RS##*indicators=}" |
    LC_ALL=C sort | paste -sd, -)"
same_m=no; [ "$sql_missing" = "$gpd_missing" ] && same_m=yes
sql_counts=${sql_missing#rows=* }
gpd_counts=$(sed 's/^rows=[0-9]* \(expected=[0-9]* reported=[0-9]* on_time=[0-9]*\).*/\1/' <<<"$RC5")
same_c=no; [ "$sql_counts" = "$gpd_counts" ] && same_c=yes
same_s=no; [ "$sql_summary" = "$gpd_summary" ] && same_s=yes
say "  missing: gp-client median $CM ms, hand-written SQL $SM ms ($SMC ms CPU), gpd alone $DM ms ($QMCPU ms CPU); same results: $same_m"
say "  missing --counts: gp-client median $CC ms, gpd alone $DC ms ($QCCPU ms CPU); same results: $same_c"
say "           gpd: $gpd_counts"
say "           SQL: $sql_counts"
say "  missing --call-list --csv: gp-client median $CL0 ms with nobody to call; $CL ms with every report returned ($(($(wc -l <"$W/calls.csv") - 1)) units to call; missing over the same reports $CR ms)"
say "           gpd: $gpd_missing"
say "           SQL: $sql_missing"
say "  summary: gp-client median $CS ms, hand-written SQL $SS ms ($SSC ms CPU), gpd alone $DS ms ($QSCPU ms CPU); same results: $same_s"
say "           gpd: $gpd_summary"
say "           SQL: $sql_summary"
}

# --- (6) checking a report against its year's form ------------------------------

# Instructions a command runs (callgrind): the same count however busy
# the machine is.
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
	    2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,
}

figure_6() {
	local i s
	local samples=("$ROOT"/tests/data/lc-*-2022-H1.json)
	step "(6) checking a report: against the form of its year vs the C enums before report forms (gp-client of $(cat "$B/bench/base/.commit" 2>/dev/null || echo the base commit))"
	export HOME=$W/home XDG_STATE_HOME=$W/home/state6
	mkdir -p "$HOME"
	# In one process, the reports read once: validation only, then the
	# built-in form's loading once.
	for i in $(seq "$RUNS"); do
		s=$("$VALBENCH" 1 "${samples[@]}")
		vn+=("$(field validate_ns "$s")")
		vl+=("$(field load_ns "$s")")
		s=$("$VALBENCH_ENUMS" 1 "${samples[@]}")
		ve+=("$(field validate_ns "$s")")
	done
	VN=$(printf '%s\n' "${vn[@]}" | median)
	VE=$(printf '%s\n' "${ve[@]}" | median)
	VL=$(printf '%s\n' "${vl[@]}" | median)
	say "  validate one report: forms $(awk -v n="$VN" 'BEGIN { printf "%.1f", n / 1000 }') us, enums $(awk -v n="$VE" 'BEGIN { printf "%.1f", n / 1000 }') us (medians of $RUNS runs of 1 s); the built-in form loads in $(awk -v n="$VL" 'BEGIN { printf "%.0f", n / 1000 }') us"
	# What a clerk waits for: gp-client validate FILE, which loads the
	# form, reads, normalises, derives the id and checks.
	for i in $(seq "$ONESHOT"); do
		t=$EPOCHREALTIME
		"$CLIENT" validate "${samples[0]}" >/dev/null
		on+=("$(ms_since "$t")")
		t=$EPOCHREALTIME
		"$BASE_CLIENT" validate "${samples[0]}" >/dev/null
		oe+=("$(ms_since "$t")")
	done
	ON=$(printf '%s\n' "${on[@]}" | median)
	OE=$(printf '%s\n' "${oe[@]}" | median)
	say "  gp-client validate, one-shot: forms median $ON ms, enums median $OE ms ($ONESHOT runs each, interleaved)"
	if command -v valgrind >/dev/null; then
		IN=0; IE=0
		for s in "${samples[@]}"; do
			IN=$((IN + $(instructions "$CLIENT" validate "$s")))
			IE=$((IE + $(instructions "$BASE_CLIENT" validate "$s")))
		done
		say "  gp-client validate, instructions for the ${#samples[@]} samples: forms $IN, enums $IE"
	fi
}
vn=(); ve=(); vl=(); on=(); oe=()

# --- results -----------------------------------------------------------------

STEPS=${BENCH_STEPS:-1 2 3 4 5 6}
want() { case " $STEPS " in *" $1 "*) return 0;; esac; return 1; }
if want 1 || want 2; then figures_1_2; fi
if want 3; then figure_3; fi
if want 4; then figure_4; fi
if want 5; then figure_5; fi
if want 6; then figure_6; fi

under_1s() { awk -v a="$1" 'BEGIN { print((a < 1000) ? "PASS" : "MISS") }'; }
under_100ms() { awk -v a="$1" 'BEGIN { print((a < 100) ? "PASS" : "MISS") }'; }
row() {	# TEXT RATIO GOAL VERDICT
	printf '%-66s %7s %6s  %s\n' "$@"
}

step "results (medians of $RUNS runs; of $ONESHOT one-shot runs; of $QRUNS queries)"
row "figure" "ratio" "goal" ""
if want 1 || want 2; then
	R1=$(ratio "$GPD_PERS" "$SQL100")
	R2=$(ratio "$GPD_CONN" "$SSERVER")
	row "(1) gpd persistent $GPD_PERS reports/s / sqlbase $SQL100 (100/txn)" \
	    "$R1" ">=0.5" "$(verdict "$R1" '>=' 0.5)"
	row "(2) gpd new-connection $GPD_CONN reports/s / s_server $SSERVER hs/s" \
	    "$R2" ">=1.0" "$(verdict "$R2" '>=' 1.0)"
fi
if want 3; then
	R3=$(ratio "$GC" "$SC")
	row "(3) gp-client submit $GC ms / openssl s_client $SC ms" \
	    "$R3" "<=1.1" "$(verdict "$R3" '<=' 1.1)"
fi
if want 4; then
	row "(4) gpd RSS per idle authenticated connection at $IDLE (KiB)" \
	    "$MEM" "<=48" "$(verdict "$MEM" '<=' 48)"
fi
if want 5; then
	R5M=$(ratio "$CM" "$SM")
	R5S=$(ratio "$CS" "$SS")
	row "(5) missing: gp-client $CM ms / sqlite3 $SM ms" "$R5M" "<=1.5" \
	    "$(verdict "$R5M" '<=' 1.5), $(under_1s "$CM") under 1 s"
	row "(5) summary: gp-client $CS ms / sqlite3 $SS ms" "$R5S" "<=1.5" \
	    "$(verdict "$R5S" '<=' 1.5), $(under_1s "$CS") under 1 s"
	R5K=$(ratio "$CC" "$SM")
	row "(5) missing --counts: gp-client $CC ms / sqlite3 $SM ms" "$R5K" \
	    "<=1.5" "$(verdict "$R5K" '<=' 1.5), gpd alone $DC ms: $(under_100ms "$DC") under 100 ms"
	row "(5) summary: gpd alone $DS ms" "" "<100" "$(under_100ms "$DS")"
	R5C=$(ratio "$CL" "$CR")
	row "(5) call list of every unit $CL ms / missing, all returned, $CR ms" "$R5C" "<=1.5" \
	    "$(verdict "$R5C" '<=' 1.5)"
fi
if want 6; then
	R6=$(ratio "$VN" "$VE")
	row "(6) validate in process: forms $VN ns / enums $VE ns" "$R6" \
	    "<=1.1" "$(verdict "$R6" '<=' 1.1)"
	if [ -n "${IN:-}" ]; then
		R6I=$(ratio "$IN" "$IE")
		row "(6) gp-client validate: forms $IN / enums $IE instructions" \
		    "$R6I" "<=1.1" "$(verdict "$R6I" '<=' 1.1)"
	fi
	R6W=$(ratio "$ON" "$OE")
	row "(6) gp-client validate: forms $ON ms / enums $OE ms" "$R6W" \
	    "<=1.1" "$(verdict "$R6W" '<=' 1.1)"
fi
say ""
if want 1 || want 2; then
	say "reference: sqlbase 1 report per transaction: $SQL1 reports/s"
	say "CPU per report: sqlbase $CPU_SQL ms; gpd persistent $CPU_PERS ms (client $CLI_PERS ms); gpd new connection $CPU_CONN ms (client $CLI_CONN ms)"
	say "CPU per handshake: s_server $CPU_HS ms (client $CLI_HS ms)"
	# What the CPU alone allows: gpd's threads and the clients share
	# the cores; s_server serves one connection at a time, so each
	# handshake's client half is on its path too.
	awk -v n="$(nproc)" -v g="$CPU_CONN" -v gc="$CLI_CONN" -v s="$CPU_HS" \
	    -v sc="$CLI_HS" 'BEGIN { if (g + gc <= 0 || s + sc <= 0) exit
	    gr = n * 1000 / (g + gc); sr = 1000 / (s + sc)
	    printf("CPU bound on %d cores: gpd new connections <= %.0f/s, " \
	        "s_server <= %.0f/s: ratio (2) <= %.2f\n", n, gr, sr, gr / sr) }'
	say "latency, persistent: p50 $P50 ms, p99 $P99 ms; new connection: p50 $CP50 ms, p99 $CP99 ms"
	say "verify: $VERIFY"
fi
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); bench took $(awk \
    -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
case ${VERIFY:-OK} in
*OK) ;;
*) echo "bench: the database does not hold exactly what was acknowledged" >&2
   exit 1;;
esac
if [ "$PROBLEMS" -gt 0 ]; then
	echo "bench: $PROBLEMS run(s) failed and were left out: see above" >&2
	exit 1
fi
