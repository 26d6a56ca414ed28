#!/bin/bash
# gp-report's speed and memory (make bench-report): the report for the 11
# Lai Châu units of tests/data/report-2022-H1.jsonl and for 1,000 units
# made from them (tests/bench/report-data.py), each with the previous year.
# Goals (issue 18): 11 units under 1 s; 1,000 units under 10 s and 20 MB.
# Time and peak memory from /usr/bin/time -v; the median of 3 runs of each.
#
#   tests/bench/report.sh BUILD
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
GP_REPORT=$ROOT/$BUILD/gp-report
DATA=$ROOT/tests/data/report-2022-H1.jsonl
W=$(mktemp -d "${TMPDIR:-/tmp}/gp-report-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

python3 "$ROOT/tests/bench/report-data.py" 1000 < "$DATA" > "$W/1000.jsonl"

# One run: "seconds kilobytes cpu-seconds" (wall time, peak resident
# memory, user + system time: the figure a loaded machine moves least).
measure() {	# INPUT OUTPUT
	/usr/bin/time -v "$GP_REPORT" -o "$2" "$1" 2> "$W/time" >/dev/null
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		t = s }
	    /User time \(seconds\)/ || /System time \(seconds\)/ { c += $2 }
	    /Maximum resident set size/ { m = $2 }
	    END { printf "%.3f %d %.3f\n", t, m, c }' "$W/time"
}

status=0
for case in "11 $DATA 1 0" "1000 $W/1000.jsonl 10 20480"; do
	# shellcheck disable=SC2086
	set -- $case
	for r in 1 2 3; do measure "$2" "$W/out.docx"; done > "$W/runs"
	# The median of each, apart: the slowest run need not be the largest.
	secs=$(cut -d' ' -f1 "$W/runs" | sort -n | sed -n 2p)
	kb=$(cut -d' ' -f2 "$W/runs" | sort -n | sed -n 2p)
	cpu=$(cut -d' ' -f3 "$W/runs" | sort -n | sed -n 2p)
	size=$(stat -c %s "$W/out.docx")
	printf '%5s units: %6.2f s (goal < %s s, CPU %.2f s)  %6.1f MB peak%s  docx %s KB, %s input\n' \
	    "$1" "$secs" "$3" "$cpu" "$(echo "$kb / 1024" | bc -l)" \
	    "$( [ "$4" -gt 0 ] && echo " (goal < 20 MB)")" \
	    "$((size / 1024))" "$(du -h "$2" | cut -f1)"
	awk -v s="$secs" -v g="$3" 'BEGIN { exit !(s < g) }' || status=1
	if [ "$4" -gt 0 ] && [ "$kb" -ge "$4" ]; then status=1; fi
done
exit $status
