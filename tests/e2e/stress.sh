#!/bin/bash
# The long variants of tests/e2e/hostile.sh, for `make stress`: the same
# tests with bigger numbers. Each line below also runs alone (from the top
# of the tree, with GPD and GP_CLIENT set as for hostile.sh):
#
#   KILLS=300 SUBMITTERS=8 tests/e2e/hostile.sh crash
#       300 kill -9 of gpd under 8 submitters; then every receipt stored
#       once, integrity ok, every unacknowledged report resent (~6 min)
#   SLOW=120 HOLD=60 CONNS=1000 PIPELINE=5000 LEGIT_MAX=15 \
#       tests/e2e/hostile.sh limits
#       a 2-minute slowloris, 1000 connections held a minute, with and
#       without ulimit -n 64 (a legitimate client may queue behind the
#       backlog: 15 s), 5000 requests pipelined (~4 min)
#   ROUNDS=20 tests/e2e/stress.sh storage
#       the disk-full, read-only, I/O-error and vanished-file tests 20
#       times, faults striking at other moments each time (~5 min, root)
#   tests/e2e/hostile.sh tls auth text
#       the refusal matrix and hostile text: deterministic, as in make check
#   FLOOD=5000 REFUSE=120 tests/e2e/attack.sh daemon
#       gpd under attack (issue 13): 5000 silent connections from one
#       address while real clients submit, 2 minutes of refused requests
#       (~3 min)
#
# and the fuzzers, for an hour each: make fuzz (tests/fuzz/fuzz.mk).
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/stress.sh [PART ...]
#
# PART is crash, limits, storage, tls or attack (all by default). Prints each
# part's lines as hostile.sh does, then one summary; exits 1 if any failed.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOSTILE=$ROOT/tests/e2e/hostile.sh
ROUNDS=${ROUNDS:-20}
ATTACK=$ROOT/tests/e2e/attack.sh
PARTS=${*:-crash limits storage tls attack}

failed=0
total=0

part() {	# NAME COMMAND...
	local name=$1 rc=0 t0
	shift
	total=$((total + 1))
	t0=$(date +%s)
	echo "# stress $name: $*"
	"$@" || rc=$?
	echo "# stress $name: exit $rc after $(($(date +%s) - t0)) s"
	[ "$rc" -eq 0 ] || failed=$((failed + 1))
}

for p in $PARTS; do
	case $p in
	crash)
		part crash env KILLS=300 SUBMITTERS=8 "$HOSTILE" crash;;
	limits)
		part limits env SLOW=120 HOLD=60 CONNS=1000 PIPELINE=5000 \
		    LEGIT_MAX=15 "$HOSTILE" limits;;
	storage)
		for i in $(seq "$ROUNDS"); do
			part "storage $i/$ROUNDS" "$HOSTILE" storage
		done;;
	tls)
		part tls "$HOSTILE" tls auth text;;
	attack)
		part attack env FLOOD=5000 REFUSE=120 "$ATTACK" daemon;;
	*)
		echo "stress: unknown part '$p'" >&2
		exit 64;;
	esac
done

echo "# stress: $((total - failed)) of $total parts passed"
[ "$failed" -eq 0 ]
