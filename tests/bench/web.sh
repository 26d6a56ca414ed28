#!/usr/bin/env bash
# gp-client web's validation round trip (issue 19): how long the page
# waits for gp-client's verdict on a report of 50 activities, from the
# request to the whole answer, over one kept-alive connection as the
# browser sends them. Goal: under 50 ms. Part of `make bench` (or
# tests/bench/web.sh BUILD after `make BUILD=... all`); no server is
# needed, since validation is local.
#
# Tunables: BENCH_WEB_ROUNDS (300) round trips per report.
set -euo pipefail

BUILD=${1:-build-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$BUILD" && pwd)
ROUNDS=${BENCH_WEB_ROUNDS:-300}
for f in "$B/gp-client" "$B/gp-client-web"; do
	[ -x "$f" ] || { echo "bench-web: $f missing: make bench builds it" >&2;
	    exit 1; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-bench-web.XXXXXX")
PID=
cleanup() {
	[ -z "$PID" ] || { kill "$PID" 2>/dev/null || true;
	    wait "$PID" 2>/dev/null || true; }
	rm -rf "$W"
}
trap cleanup EXIT

"$ROOT/scripts/pki.sh" "$W/pki" lc-tamduong >/dev/null
# The build's catalogue: the page's messages in Vietnamese, as installed.
XDG_STATE_HOME=$W/state GP_CLIENT_WEB=$B/gp-client-web \
    GP_LOCALEDIR=$B/locale "$B/gp-client" \
    -s 127.0.0.1:9 --ca "$W/pki/ca.crt" --cert "$W/pki/lc-tamduong.crt" \
    --key "$W/pki/lc-tamduong.key" --outbox "$W/outbox.db" \
    web --no-browser >"$W/web.out" 2>"$W/web.err" </dev/null &
PID=$!
for _ in $(seq 100); do
	URL=$(head -n 1 "$W/web.out" 2>/dev/null || true)
	[ -n "$URL" ] && break
	sleep 0.1
done
[ -n "$URL" ] || { echo "bench-web: no address" >&2; cat "$W/web.err" >&2; exit 1; }

python3 - "$URL" "$ROOT/tests/data/lc-tamduong-2022-H1.json" "$ROUNDS" <<'PY'
import copy, http.client, json, re, statistics, sys, time, urllib.parse

url, sample, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlsplit(url)
c = http.client.HTTPConnection(u.hostname, u.port)
c.request("GET", "/?" + u.query)
r = c.getresponse(); r.read()
cookie = r.getheader("Set-Cookie").split(";")[0]
c.request("GET", "/", headers={"Cookie": cookie})
r = c.getresponse()
csrf = re.search(rb'name="gp-csrf" content="([0-9a-f]+)"', r.read()).group(1)

base = json.load(open(sample, encoding="utf-8"))
acts = base["activities"]
base["activities"] = [copy.deepcopy(acts[i % len(acts)]) for i in range(50)]
for i, a in enumerate(base["activities"]):
    a["title"] = "%s (lần %d)" % (a["title"], i + 1)
bad = copy.deepcopy(base)
bad["activities"][17]["female"] = 10 ** 6
bad["activities"][31]["sessions"] = None

def measure(report):
    body = json.dumps(report, ensure_ascii=False).encode()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        c.request("POST", "/api/validate?period=2022-H1", body=body,
                  headers={"Cookie": cookie, "X-GP-CSRF": csrf.decode(),
                           "Content-Type": "application/json"})
        r = c.getresponse()
        answer = r.read()
        times.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, answer
    v = json.loads(answer)
    times.sort()
    return (len(body), statistics.median(times),
            times[int(len(times) * 0.95) - 1], times[-1], v)

print("validation round trip, %d rounds each, one kept-alive connection" % rounds)
print("%-46s %7s %7s %7s %7s" % ("report", "bytes", "p50 ms", "p95 ms", "max ms"))
worst = 0
for name, rep in (("50 activities, valid", base),
                  ("50 activities, 2 errors (one empty number)", bad)):
    n, p50, p95, mx, v = measure(rep)
    print("%-46s %7d %7.2f %7.2f %7.2f" % (name, n, p50, p95, mx))
    worst = max(worst, p95)
    if name.endswith("valid") and not v["valid"]:
        sys.exit("bench-web: the valid report was judged invalid: %s" % v)
    if not name.endswith("valid") and len(v["errors"]) != 2:
        sys.exit("bench-web: expected 2 errors, got %s" % v["errors"])
print("goal: each round trip under 50 ms: %s (p95 %.2f ms)" %
      ("PASS" if worst < 50 else "MISS", worst))
PY
