#!/bin/bash
# Read snapshots and streams (issue 12): a streamed answer reads from a
# snapshot of its own, so that while exports are stalled by clients that
# read nothing, a unit's new revision is seen at once by list and
# show --receipt on new connections to either worker; the WAL grown
# meanwhile shrinks back once the stalled readers are gone; a stream
# whose client reads nothing for stream_timeout is closed, and one whose
# client reads slowly is not.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/snapshots.sh
#
# Knobs: FILLERS=12 units of 1000 activities each (the export's size),
# BURST=70 reports of 1000 activities (about 100 MB of WAL), WAL_MAX=64
# (MB, after the shrink), SHRINK=15 (seconds allowed for it). KEEP=1 keeps
# the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GPRAW=$ROOT/tests/e2e/gpraw.py
DATA=$ROOT/tests/data

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

FILLERS=${FILLERS:-12}
BURST=${BURST:-70}
WAL_MAX=${WAL_MAX:-64}
SHRINK=${SHRINK:-15}

e2e_setup snapshots openssl sqlite3 python3 timeout	# W, PORT, DB
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
suite_cleanup() {
	local pid
	stop_gpd
	for pid in $(jobs -p); do
		kill "$pid" 2>/dev/null || true
	done
}

FILLER_UNITS=
for i in $(seq -w 1 "$FILLERS"); do
	FILLER_UNITS="$FILLER_UNITS lc-f$i"
done
# shellcheck disable=SC2086
e2e_pki lc-tamduong lc-sinho admin-test $FILLER_UNITS

{
	for u in lc-tamduong lc-sinho $FILLER_UNITS; do
		printf '[%s]\nname = %s\ntype = district_federation\n\n' \
		    "$u" "Đơn vị $u"
	done
} > "$W/units.conf"

write_conf() {	# FILE STREAM_TIMEOUT
	e2e_gpd_conf "$1" "workers = 2" "idle_timeout = 120" \
	    "stream_timeout = $2" "[access] admins = admin-test" \
	    "${E2E_PERIODS[@]}"
}
write_conf "$W/long.conf" 60
write_conf "$W/short.conf" 2

raw() {	# NAME MODE ARGS...
	local name=$1
	shift
	"$PYTHON" "$GPRAW" --port "$PORT" --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/$name.crt" --key "$W/pki/$name.key" "$@"
}

# Waits up to SECONDS for PATTERN (grep -E) to match COUNT lines of the
# log; 0 when it did.
wait_log() {	# COUNT PATTERN SECONDS
	local i
	for i in $(seq $(($3 * 10))); do
		[ "$(grep -cE "$2" "$W/gpd.log" || true)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# The sessions (ids) that sent a request of TYPE.
sessions_of() {	# TYPE
	sed -n "s/.*session=\([0-9]*\) request id=[0-9]* type=$1\$/\1/p" \
	    "$W/gpd.log"
}

# The workers those sessions ran on, sorted, one a line.
workers_of() {	# SESSION...
	local s
	for s in "$@"; do
		sed -n "s/.*session=$s accepted .* worker=\([0-9]*\)\$/\1/p" \
		    "$W/gpd.log"
	done | sort -u
}

wal_mb() {
	local n
	n=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
	echo $((n / 1048576))
}

# Export rows of 2022-H1 as gpd streams them: activities of the latest
# revisions.
export_rows() {
	q "select count(*) from activities a join reports r on
	    r.id = a.report_id where r.period = '2022-H1' and r.revision =
	    (select max(x.revision) from reports x where x.unit = r.unit and
	    x.period = r.period)"
}

note() {
	echo "# $*"
}

# --- tests ------------------------------------------------------------------

test_populate() {
	local u out= pids=
	for u in $FILLER_UNITS; do
		raw "$u" bulk 1 --unit "$u" --text 300 >"$W/bulk-$u.out" &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	for u in $FILLER_UNITS; do
		out=$(cat "$W/bulk-$u.out")
		[ "$out" = "acked 1 " ] || { fail "$u: $out"; return; }
	done
	[ "$(q "select count(*) from reports")" -eq "$FILLERS" ] ||
	    { fail "$(q "select count(*) from reports") reports stored"; return; }
	[ "$(export_rows)" -eq $((FILLERS * 1000)) ] ||
	    fail "$(export_rows) export rows"
}

test_stalled_exports_do_not_hide_commits() {
	local i s stalls rev lists shows
	: > "$W/stop"
	rm -f "$W/stop"
	for i in 1 2; do
		raw admin-test stall 300 export 2022-H1 --stop-file "$W/stop" \
		    >"$W/stall-$i.out" &
	done
	wait_log 2 'type=export$' 20 ||
	    { fail "the two exports did not start"; return; }
	# shellcheck disable=SC2046
	stalls=$(workers_of $(sessions_of export) | tr '\n' ' ')
	[ "$stalls" = "0 1 " ] ||
	    { fail "stalled exports on workers '$stalls', not 0 and 1"; return; }

	client_as lc-tamduong --json submit "$DATA/lc-tamduong-2022-H1.json"
	[ "$RC" -eq 0 ] || { fail "submit exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/receipt.json"
	rev=$(jget "$W/receipt.json" 'r["revision"]')
	[ "$rev" = 1 ] || { fail "receipt revision '$rev'"; return; }

	# New connections alternate between the workers: each command twice
	# in a row reaches both.
	for i in 1 2 3 4; do
		client_as admin-test list --period 2022-H1
		[ "$RC" -eq 0 ] && grep -q '^lc-tamduong ' "$W/out" ||
		    { fail "list $i (exit $RC) misses lc-tamduong:
$(cat "$W/out" "$W/err")"; return; }
	done
	for i in 1 2 3 4; do
		client_as lc-tamduong show lc-tamduong 2022-H1 \
		    --receipt "$W/receipt.json"
		[ "$RC" -eq 0 ] || { fail "show --receipt $i exit $RC:
$(cat "$W/out" "$W/err")"; return; }
		grep -q '^verified' "$W/out" ||
		    { fail "show --receipt $i: $(cat "$W/out")"; return; }
	done
	# shellcheck disable=SC2046
	lists=$(workers_of $(sessions_of list) | tr '\n' ' ')
	# shellcheck disable=SC2046
	shows=$(workers_of $(sessions_of show) | tr '\n' ' ')
	[ "$lists" = "0 1 " ] && [ "$shows" = "0 1 " ] ||
	    { fail "list ran on '$lists', show on '$shows'"; return; }
	# Both exports were still stalled the whole time.
	for s in $(sessions_of export); do
		! grep -q "session=$s closed" "$W/gpd.log" ||
		    { fail "export session $s closed before the checks ended"
		    return; }
	done
}

test_wal_shrinks_after_stalled_readers_go() {
	local u i n=$((BURST / 2)) peak t0 now mb pids=
	# ~100 MB of submissions while both exports hold old snapshots.
	for u in lc-f01 lc-f02; do
		raw "$u" bulk "$n" --unit "$u" --text 300 >"$W/burst-$u.out" &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	for u in lc-f01 lc-f02; do
		[ "$(cat "$W/burst-$u.out")" = "acked $n " ] ||
		    { fail "$u burst: $(cat "$W/burst-$u.out")"; return; }
	done
	peak=$(wal_mb)
	note "WAL after the burst with two exports stalled: $peak MB"
	[ "$peak" -ge 80 ] ||
	    { fail "the burst grew the WAL to $peak MB only"; return; }

	# The stalled clients go away.
	touch "$W/stop"
	wait_log 2 'reason="eof"' 20 ||
	    { fail "the stalled exports did not close"; return; }

	# Small commits, one every half second, until the WAL is back.
	t0=$(date +%s%N)
	for i in $(seq $((SHRINK * 2))); do
		raw lc-sinho submit --unit lc-sinho >/dev/null
		mb=$(wal_mb)
		[ "$mb" -lt "$WAL_MAX" ] && break
		sleep 0.5
	done
	now=$(date +%s%N)
	note "WAL after $(( (now - t0) / 1000000 )) ms of small commits: $mb MB"
	[ "$mb" -lt "$WAL_MAX" ] ||
	    fail "WAL still $mb MB after $SHRINK s of small commits"
}

test_stalled_stream_closed() {
	local s
	raw admin-test stall 60 export 2022-H1 >"$W/stall-short.out" &
	wait_log 1 'reason="stream stalled"' 15 ||
	    { fail "a client reading nothing was not closed"; return; }
	s=$(sed -n 's/.*session=\([0-9]*\) closed reason="stream stalled".*/\1/p' \
	    "$W/gpd.log" | head -n 1)
	grep -q "session=$s request id=1 type=export" "$W/gpd.log" ||
	    fail "session $s closed as stalled was not the export"
}

test_slow_reader_not_cut() {
	local before out
	before=$(grep -c 'reason="stream stalled"' "$W/gpd.log" || true)
	# Pauses of 1 s between reads of 128 KiB (a TCP segment on loopback
	# is 64 KiB: less is not acknowledged at once), under a stream_timeout of
	# 2 s, for longer than stream_timeout; then the rest.
	raw admin-test slowread export 2022-H1 --chunk 131072 --pause 1 \
	    --slow-reads 6 >"$W/slow.out"
	out=$(cat "$W/slow.out")
	case $out in
	*"rows $(export_rows) last yes answered") ;;
	*) fail "slow reader: $out (want $(export_rows) rows)"; return;;
	esac
	[ "$(grep -c 'reason="stream stalled"' "$W/gpd.log" || true)" = \
	    "$before" ] || fail "a slow reader was cut"
}

# --- run --------------------------------------------------------------------

# gpd with debug lines: each request's type, each session's worker.
GPD_FLAGS=-v start_gpd "$W/long.conf" || { echo "gpd did not start" >&2; exit 1; }
t "populate: $FILLERS units of 1000 activities" test_populate
t "stalled exports on both workers: list and show --receipt see a new revision at once" \
    test_stalled_exports_do_not_hide_commits
t "WAL back under $WAL_MAX MB within $SHRINK s of small commits after a burst under two stalled exports" \
    test_wal_shrinks_after_stalled_readers_go
stop_gpd
GPD_FLAGS=-v start_gpd "$W/short.conf" || { echo "gpd did not restart" >&2; exit 1; }
t "a client that reads nothing for stream_timeout is closed" \
    test_stalled_stream_closed
t "a client that reads slowly is never cut" test_slow_reader_not_cut
stop_gpd
summary
