#!/bin/bash
# End-to-end tests of the administration commands: the real gpd with a
# throwaway PKI, units reporting on time, late and not at all, revisions,
# a locked period and unit certificates trying what only administrators
# may do. Figures are checked against sums computed here, in Python, from
# the report files that were submitted; exports are read back (CSV with
# the csv module, xlsx with zipfile and the XML parser).
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/admin.sh
#
# Dates follow the clock: the annual period of this year ($Y) is on time
# today (the test's form of $Y makes it end on 31/12), and the 6-month
# period of last year is late under the dates of the 2022 form.
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup admin openssl sqlite3 python3 timeout	# W, PORT, DB

Y=$(date -u +%Y)
CUR=$Y			# annual: on time today
LATE=$((Y - 1))-H1	# due $((Y - 1))-06-10: late today

e2e_pki lc-tamduong lc-sinho lc-nganh-giaoduc lc-phongtho lc-muongte \
    admin-test

# lc-muongte's validity ended long ago: expected for no period here.
e2e_units lc-tamduong lc-sinho lc-nganh-giaoduc lc-phongtho
cat >> "$W/units.conf" <<UNITS

[lc-muongte]
name = LĐLĐ huyện Mường Tè
type = district_federation
valid_from = 2000-01-01
valid_to = 2001-12-31
UNITS

e2e_gpd_conf "$W/gpd.conf" "forms = $W/forms" "max_connections = 50" \
    "idle_timeout = 20" "[tls] crl = $W/pki/crl.pem" \
    "[access] admins = admin-test"
# This year's annual report covers the whole year and is due on 31/12;
# last year's 6-month report keeps the dates of the 2022 form.
mkdir -p "$W/forms"
write_form "$Y" "$W/forms/$Y.json" 12-31 12-31
write_form "$((Y - 1))" "$W/forms/$((Y - 1)).json"

# --- the test's own arithmetic, in Python --------------------------------

cat > "$W/adm.py" <<'PY'
"""Makes the reports and checks what gp-client printed against them.
Every check prints nothing and exits 0, or prints why and exits 1."""
import csv, json, sys, unicodedata, zipfile
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

TODAY = datetime.now(timezone.utc).date()
AREAS = ["policy_dissemination", "strategy_implementation",
         "communication_training", "gender_law_review", "female_cadres",
         "inspection"]
KINDS = ["propaganda", "conference", "seminar", "forum", "exchange", "talk",
         "training", "contest", "cultural", "media", "review", "inspection",
         "support", "other"]
COUNTS = ("sessions", "participants", "female")
NO_SHARE = {"inspections", "gbv_cases_detected", "gbv_cases_handled"}

def fail(msg):
    print(msg)
    sys.exit(1)

def nfc(v):
    """gp-client sends, and gpd stores, every text in NFC."""
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, list):
        return [nfc(x) for x in v]
    if isinstance(v, dict):
        return {nfc(k): nfc(x) for k, x in v.items()}
    return v

def load(path):
    """A submitted report as the server holds it: in NFC."""
    with open(path, encoding="utf-8") as f:
        return nfc(json.load(f))

def expect(what, got, want):
    if got != want:
        fail("%s: got %r, want %r" % (what, got, want))

def mkreport(unit, period, n, seed, out, variant=""):
    n, seed = int(n), int(seed)
    if period.endswith("-H1"):
        y = int(period[:4])
        days = [(date(y, 3, 8), "womens_day"), (date(y, 4, 15), "none"),
                (date(y - 1, 12, 15), "none"), (date(y, 5, 20), "none")]
    else:
        y = int(period)
        # Inside both the test's coverage (the whole year) and the
        # client's default one (to 30/11), and not after today.
        days = [(min(TODAY, date(y, 11, 30)), "none")]
    acts = []
    for i in range(n):
        day, occasion = days[i % len(days)]
        p = 20 + (seed * 7 + i * 13) % 200
        if i == 0:
            title = 'Hội nghị "Bình đẳng giới, hạnh phúc" tại %s' % unit
        elif i == 1:
            # Typed with decomposed marks: stored in NFC.
            title = unicodedata.normalize(
                "NFD", "Tọa đàm về quyền của phụ nữ ở Tam Đường")
        else:
            title = "Tuyên truyền Luật Bình đẳng giới đợt %d" % i
        acts.append({
            "area": AREAS[i % 6], "kind": KINDS[(seed + i) % 14],
            "occasion": occasion,
            "status": "planned" if i % 5 == 4 else "done",
            "date": day.isoformat(), "title": title,
            "location": "Hội trường %s" % unit,
            "sessions": 1 + i % 3, "participants": p,
            "female": p * (30 + (seed + i) % 50) // 100})
    members = 1000 + seed * 10
    r = {"unit": unit, "period": period,
         "reporter": {"name": "Nguyễn Thị Thử", "position": "Trưởng ban"},
         "activities": acts,
         "indicators": {
             "members": {"total": members, "female": members * 45 // 100},
             "exec_committee": {"total": 13, "female": 4 + seed % 3},
             "gvndn_registered": {"total": 500 + seed, "female": 500 + seed},
             "gvndn_achieved": {"total": 300, "female": 300},
             "gbv_cases_detected": {"total": 6, "female": 5},
             "gbv_cases_handled": {"total": 5, "female": 4},
             "inspections": {"total": 1 + seed % 3, "female": 0}},
         "narrative": {"results": "Kết quả kỳ %s của %s." % (period, unit),
                       "difficulties": "Địa bàn rộng.\nĐường xa."}}
    if variant == "rev2":
        acts[0]["participants"] += 30
        acts[0]["female"] += 12
        r["indicators"]["members"]["total"] += 84
    with open(out, "w", encoding="utf-8") as f:
        json.dump(r, f, ensure_ascii=False, indent=1)

def zero():
    return {"activities": 0, "sessions": 0, "participants": 0, "female": 0}

def figures(paths):
    """Independent totals of the given (latest) reports: the top-level
    figures of done activities, "planned" those of planned ones, never
    added together; "all" counts every activity (export rows)."""
    t = {"reports": 0, "all": 0, "area": {}, "ind": {}, "rows": {},
         "planned": zero()}
    t.update(zero())
    for p in paths:
        r = load(p)
        t["reports"] += 1
        for i, a in enumerate(r["activities"]):
            t["all"] += 1
            ar = t["area"].setdefault(a["area"], dict(zero(),
                planned=zero(), units=set()))
            ar["units"].add(r["unit"])
            planned = a["status"] == "planned"
            for d in ((t["planned"], ar["planned"]) if planned else (t, ar)):
                d["activities"] += 1
                for k in COUNTS:
                    d[k] += a[k]
            t["rows"][(r["unit"], i)] = a
        for code, v in r["indicators"].items():
            s = t["ind"].setdefault(code, [0, 0])
            s[0] += v["total"]
            s[1] += v["female"]
    return t

def list_rows(out, want):
    """want: UNIT:PERIOD:REVISION:FILE,... in order."""
    rows = load(out)
    if not isinstance(rows, list):
        fail("not a JSON array: %r" % rows)
    want = [w.split(":", 3) for w in want.split(",") if w]
    expect("rows", [(r["unit"], r["period"], r["revision"]) for r in rows],
           [(u, p, int(n)) for u, p, n, _ in want])
    for r, (u, p, n, path) in zip(rows, want):
        t = figures([path])
        for k in ("activities", "sessions", "participants", "female"):
            expect("%s %s done %s" % (u, p, k), r["done"][k], t[k])
            expect("%s %s planned %s" % (u, p, k), r["planned"][k],
                   t["planned"][k])
        if "activities" in r or "participants" in r:
            fail("%s %s: figures that add done and planned" % (u, p))
        # RFC 3339 with the federation's offset.
        if not r["received_at"].endswith("+07:00"):
            fail("%s %s received_at %r" % (u, p, r["received_at"]))
        for k in ("unit_name", "received_at", "receipt", "submission_id",
                  "cert_cn", "cert_fingerprint", "late", "days_late", "due",
                  "extended"):
            if k not in r:
                fail("%s %s: no %s" % (u, p, k))
        expect(u + " cert_cn", r["cert_cn"], u)

def display_width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w

def aligned(path, *markers):
    """Every line of the table (up to the first blank line) holding one
    of the markers (its last occurrence, as a whole cell) has it at the
    same display column."""
    cols = set()
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n\n")[0].splitlines()
    for line in lines:
        for m in markers:
            found = [i for i in range(len(line))
                     if line.startswith(" " + m, i) and
                     line[i + 1 + len(m):i + 2 + len(m)] in ("", " ")]
            if found:
                cols.add(display_width(line[:found[-1]]))
    if len(cols) != 1:
        fail("columns do not line up (display columns %s):\n%s"
             % (sorted(cols), "\n".join(lines)))

def show_json(out, path, revision):
    o = load(out)
    r, want = o["report"], load(path)
    expect("meta.revision", o["meta"]["revision"], int(revision))
    expect("unit", r["unit"], want["unit"])
    expect("titles", [a["title"] for a in r["activities"]],
           [a["title"] for a in want["activities"]])
    for k in ("area", "kind", "occasion", "status", "date") + COUNTS:
        expect("activities " + k, [a[k] for a in r["activities"]],
               [a[k] for a in want["activities"]])
    expect("indicators", r["indicators"], want["indicators"])
    expect("narrative", r["narrative"], want["narrative"])
    if not isinstance(o.get("warnings"), list):
        fail("no warnings array")

def history_json(out, first, second):
    revs = load(out)
    expect("revisions", [r["revision"] for r in revs], [1, 2])
    a, b = figures([first]), figures([second])
    expect("revision 1 participants", revs[0]["done"]["participants"],
           a["participants"])
    expect("revision 2 participants", revs[1]["done"]["participants"],
           b["participants"])
    expect("revision 1 changes", revs[0]["changes"], [])
    for r, t in zip(revs, (a, b)):
        got = {i["code"]: [i["total"], i["female"]] for i in r["indicators"]}
        expect("revision %d indicators" % r["revision"], got, t["ind"])
    got = {c["field"]: (c["from"], c["to"], c["delta"])
           for c in revs[1]["changes"]}
    want = {
        "done.participants": (a["participants"], b["participants"], 30),
        "done.female": (a["female"], b["female"], 12),
        "members.total": (a["ind"]["members"][0], b["ind"]["members"][0], 84)}
    expect("revision 2 changes", got, want)
    # And what changed in the report itself, field by field.
    got = {c["field"]: (c["before"], c["after"])
           for c in revs[1]["report_changes"]}
    a0, b0 = load(first)["activities"][0], load(second)["activities"][0]
    expect("revision 2 report changes", got, {
        "activities[0].participants": (str(a0["participants"]),
                                       str(b0["participants"])),
        "activities[0].female": (str(a0["female"]), str(b0["female"]))})

def missing_json(out, period, want, expected, reported, on_time):
    """want: UNIT:STATUS[:DAYS],..."""
    o = load(out)
    expect("period", o["period"], period)
    rows = {r["unit"]: r for r in o["rows"]}
    wanted = [w.split(":") for w in want.split(",")]
    expect("units", sorted(rows), sorted(w[0] for w in wanted))
    for w in wanted:
        expect(w[0] + " status", rows[w[0]]["status"], w[1])
        if len(w) > 2:
            expect(w[0] + " days_late", rows[w[0]]["days_late"], int(w[2]))
    expected, reported, on_time = int(expected), int(reported), int(on_time)
    expect("expected", o["expected"], expected)
    expect("reported", o["reported"], reported)
    expect("on_time", o["on_time"], on_time)
    expect("reported_percent", o["reported_percent"],
           round(100 * reported / expected, 1))
    expect("on_time_percent", o["on_time_percent"],
           round(100 * on_time / expected, 1))

def days_late(due):
    print((TODAY - date.fromisoformat(due)).days)

def summary_json(out, by, *paths):
    o, t = load(out), figures(paths)
    tot = o["total"]
    expect("total reports", tot["reports"], t["reports"])
    for k in ("activities", "sessions", "participants", "female"):
        expect("total done " + k, tot["done"][k], t[k])
        expect("total planned " + k, tot["planned"][k], t["planned"][k])
    expect("female_percent", tot["done"]["female_percent"],
           round(100 * t["female"] / t["participants"], 1))
    got = {i["code"]: [i["total"], i["female"]] for i in o["indicators"]}
    # The form of the period gives these no women's figure: none summed.
    want = {c: [v[0], None if c in NO_SHARE else v[1]]
            for c, v in t["ind"].items()}
    expect("indicator totals", got, want)
    if by == "area":
        got = {r["key"]: (r["done"]["activities"], r["done"]["participants"],
                          r["done"]["female"], r["planned"]["activities"],
                          r["planned"]["participants"])
               for r in o["rows"]}
        want = {}
        for area, v in t["area"].items():
            want[area] = (v["activities"], v["participants"], v["female"],
                          v["planned"]["activities"],
                          v["planned"]["participants"])
        # The key may be the identifier or the number 1-6.
        if set(got) <= {str(i) for i in range(1, 7)}:
            want = {str(AREAS.index(a) + 1): v for a, v in want.items()}
        expect("rows by area", got, want)
    elif by == "unit":
        got = {r["key"]: (r["done"]["participants"],
                          r["planned"]["participants"]) for r in o["rows"]}
        want = {load(p)["unit"]: (figures([p])["participants"],
                                  figures([p])["planned"]["participants"])
                for p in paths}
        expect("rows by unit", got, want)
    elif by == "status":
        got = {r["key"]: (r["done"]["participants"],
                          r["planned"]["participants"]) for r in o["rows"]}
        want = {"done": (t["participants"], 0)}
        if t["planned"]["activities"] > 0:
            want["planned"] = (0, t["planned"]["participants"])
        expect("rows by status", got, want)
    # Whatever the key, every activity is in one row: the rows add up to
    # the total, done and planned each on its own.
    if by != "none":
        for part in ("done", "planned"):
            for k in ("activities", "sessions", "participants", "female"):
                expect("rows by %s: %s %s" % (by, part, k),
                       sum(r[part][k] for r in o["rows"]), tot[part][k])

def lateness_want(period):
    """The first revision's lateness of a report of period sent today:
    last year's 6-month report (due on 10 June) late, this year's annual
    (due on 31 December) on time; no extension here."""
    if period.endswith("-H1"):
        return "late", period[:4] + "-06-10"
    return "on_time", period + "-12-31"

def export_lateness(key, r, days_late):
    timeliness, due = lateness_want(r["period"])
    expect("%s timeliness" % (key,), r["timeliness"], timeliness)
    expect("%s due" % (key,), r["due"], due)
    if r["extended_due"]:
        fail("%s: extended due %r without an extension" % (key,
                                                          r["extended_due"]))
    late = (TODAY - date.fromisoformat(due)).days
    # The federation's day may be the day after the UTC one.
    if timeliness == "late" and days_late not in (late, late + 1):
        fail("%s: %r days late, want %d" % (key, days_late, late))
    if timeliness == "on_time" and days_late != 0:
        fail("%s: %r days late on time" % (key, days_late))
    first = r["first_received_at"]
    if not first or first[:10] not in (TODAY.isoformat(),
                                       (TODAY + timedelta(days=1))
                                       .isoformat()):
        fail("%s: first received %r" % (key, first))

def export_rows(rows, paths):
    t = figures(paths)
    got = {}
    for r in rows:
        key = (r["unit"], int(r["index"]))
        if key in got:
            fail("row %s twice" % (key,))
        got[key] = r
    expect("rows", sorted(got), sorted(t["rows"]))
    for key, a in t["rows"].items():
        r = got[key]
        for k in ("area", "kind", "occasion", "status", "date", "title",
                  "location"):
            expect("%s %s" % (key, k), r[k], a[k])
        for k in COUNTS:
            expect("%s %s" % (key, k), int(r[k]), a[k])
        for k in ("area_label", "kind_label", "unit_name"):
            if not r[k]:
                fail("%s: no %s" % (key, k))
        export_lateness(key, r, int(r["days_late"]))

def export_csv(path, *paths):
    raw = open(path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        fail("no byte order mark")
    body = raw.replace(b"\r\n", b"")
    if b"\n" in body or b"\r" in body:
        fail("a line does not end in CRLF")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    export_rows(rows, paths)

def export_json(path, *paths):
    export_rows(load(path), paths)

def xlsx_sheets(path):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/"
               "relationships"}
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(
                "m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(
                "{%s}t" % ns["m"])))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    names = [s.get("name") for s in wb.find("m:sheets", ns)]
    sheets = []
    for i in range(len(names)):
        root = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % (i + 1)))
        rows = []
        for row in root.iter("{%s}row" % ns["m"]):
            cells = {}
            for c in row.findall("m:c", ns):
                ref = c.get("r")
                col = 0
                for ch in ref:
                    if ch.isalpha():
                        col = col * 26 + ord(ch) - 64
                t = c.get("t")
                if t == "inlineStr":
                    v = "".join(x.text or "" for x in c.iter(
                        "{%s}t" % ns["m"]))
                elif t == "s":
                    v = shared[int(c.find("m:v", ns).text)]
                elif t == "str":
                    v = c.find("m:v", ns).text
                else:
                    v = float(c.find("m:v", ns).text)
                cells[col - 1] = v
            width = max(cells) + 1 if cells else 0
            rows.append([cells.get(j) for j in range(width)])
        sheets.append(rows)
    return names, sheets

def export_xlsx(path, *paths):
    names, sheets = xlsx_sheets(path)
    expect("sheet names", names, ["Hoạt động", "Tổng hợp", "Biểu đồ"])
    head, rows = sheets[0][0], sheets[0][1:]
    for h in ("Mã đơn vị", "Tên đơn vị", "Tên hoạt động", "Số người tham gia",
              "Số nữ", "Từ ngày"):
        if h not in head:
            fail("sheet 1 has no column %r: %r" % (h, head))
    col = {h: head.index(h) for h in head}
    t = figures(paths)
    expect("sheet 1 rows", len(rows), t["all"])
    got = {}
    for r in rows:
        r = r + [None] * (len(head) - len(r))
        if not isinstance(r[col["Số người tham gia"]], float):
            fail("participants is not a number cell: %r" % r)
        got[(r[col["Mã đơn vị"]], r[col["Tên hoạt động"]])] = (
            int(r[col["Số buổi"]]), int(r[col["Số người tham gia"]]),
            int(r[col["Số nữ"]]),
            (date(1899, 12, 30) + timedelta(days=int(r[col["Từ ngày"]])))
            .isoformat())
    want = {}
    for (unit, i), a in t["rows"].items():
        want[(unit, a["title"])] = (a["sessions"], a["participants"],
                                    a["female"], a["date"])
    expect("sheet 1 figures", got, want)
    # Each row with its report's lateness, the first revision's.
    for r in rows:
        r = r + [None] * (len(head) - len(r))
        timeliness, due = lateness_want(r[col["Kỳ báo cáo"]])
        expect("sheet 1 timeliness", r[col["Đúng hạn/muộn"]],
               {"late": "muộn", "on_time": "đúng hạn"}[timeliness])
        days = int(r[col["Số ngày muộn"]])
        if (days > 0) != (timeliness == "late"):
            fail("sheet 1: %r days late, %s" % (days, timeliness))
        expect("sheet 1 due", (date(1899, 12, 30) + timedelta(
            days=int(r[col["Hạn nộp"]]))).isoformat(), due)
        expect("sheet 1 extension", r[col["Gia hạn"]], None)
        first = date(1899, 12, 30) + timedelta(
            days=int(r[col["Nộp lần đầu"]]))
        if first not in (TODAY, TODAY + timedelta(days=1)):
            fail("sheet 1 first received: %r" % r[col["Nộp lần đầu"]])
    total = [r for r in sheets[1] if r and r[0] == "Tổng cộng"]
    if len(total) != 1:
        fail("sheet 2 has no single 'Tổng cộng' row: %r" % sheets[1])
    # Done, then apart what is planned.
    expect("sheet 2 total", [int(v) for v in total[0][1:6]],
           [t["reports"], t["activities"], t["sessions"], t["participants"],
            t["female"]])
    expect("sheet 2 planned", [int(v) for v in total[0][7:11]],
           [t["planned"]["activities"], t["planned"]["sessions"],
            t["planned"]["participants"], t["planned"]["female"]])
    ind = {r[0]: (int(r[1]), int(r[2])) for r in sheets[1]
           if r and isinstance(r[0], str) and len(r) >= 3
           and r[0] == "Đoàn viên"}
    expect("sheet 2 members", ind.get("Đoàn viên"),
           tuple(t["ind"]["members"]))

def csv_table(path, header, nrows):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    expect("header", rows[0], header.split(","))
    expect("data rows", len(rows) - 1, int(nrows))

def audit_json(out, fp_tamduong, fp_sinho, fp_admin):
    es = load(out)["rows"]
    norm = lambda s: (s or "").replace(":", "").lower()
    def has(what, pred):
        if not any(pred(e) for e in es):
            fail("no audit entry for %s in %s" % (what, json.dumps(
                es, ensure_ascii=False)))
    has("lc-tamduong's submit", lambda e: e["action"] == "submit" and
        e["cn"] == "lc-tamduong" and norm(e["fingerprint"]) == fp_tamduong)
    has("a refusal of lc-sinho", lambda e: e["cn"] == "lc-sinho" and
        norm(e["fingerprint"]) == fp_sinho and
        any(w in (e["result"] or "") for w in ("refus", "denied", "permission")))
    has("the lock", lambda e: e["action"] == "lock" and
        e["cn"] == "admin-test" and norm(e["fingerprint"]) == fp_admin)
    has("the unlock", lambda e: e["action"] == "unlock" and
        e["cn"] == "admin-test")
    ids = [e["id"] for e in es]
    ats = [e["at"] for e in es]
    expect("oldest first", ats, sorted(ats))
    expect("ids ascending", ids, sorted(ids))

def only_unit(out, unit):
    es = load(out)["rows"]
    if not es:
        fail("no entries")
    bad = [e for e in es if e["unit"] != unit]
    if bad:
        fail("entries of other units: %r" % bad)

globals()[sys.argv[1]](*sys.argv[2:])
PY

adm() {
	python3 "$W/adm.py" "$@"
}

# Checks a Python verdict; the message is its output.
check() {
	local msg
	msg=$(adm "$@" 2>&1) || { fail "$msg"; return 1; }
}

admin() {
	client_as admin-test "$@"
}

# --- the reports -----------------------------------------------------------

R=$W/reports
mkdir -p "$R"
adm mkreport lc-tamduong "$CUR" 7 1 "$R/tamduong-cur-1.json"
adm mkreport lc-tamduong "$CUR" 7 1 "$R/tamduong-cur-2.json" rev2
adm mkreport lc-sinho "$CUR" 5 2 "$R/sinho-cur.json"
adm mkreport lc-tamduong "$LATE" 6 3 "$R/tamduong-late.json"
# Many rows: more than one answer frame, if the daemon splits at all.
adm mkreport lc-nganh-giaoduc "$LATE" 400 4 "$R/giaoduc-late.json"
adm mkreport lc-sinho "$CUR" 5 5 "$R/sinho-locked.json"

start_gpd "$W/gpd.conf" || exit 1

FP_TAMDUONG=$(fingerprint "$W/pki/lc-tamduong.crt")
FP_SINHO=$(fingerprint "$W/pki/lc-sinho.crt")
FP_ADMIN=$(fingerprint "$W/pki/admin-test.crt")

submit_as() {	# UNIT FILE REVISION
	client_as "$1" submit "$2"
	[ "$RC" -eq 0 ] || { fail "$1 submit $2: exit $RC: $(cat "$W/err")"; return 1; }
	grep -q "^accepted $1 .* revision $3 " "$W/out" ||
	    { fail "$1 submit $2: $(cat "$W/out")"; return 1; }
}

test_submissions() {
	submit_as lc-tamduong "$R/tamduong-cur-1.json" 1 || return
	submit_as lc-tamduong "$R/tamduong-cur-2.json" 2 || return
	submit_as lc-sinho "$R/sinho-cur.json" 1 || return
	submit_as lc-tamduong "$R/tamduong-late.json" 1 || return
	grep -q ' late' "$W/out" || { fail "not late: $(cat "$W/out")"; return; }
	submit_as lc-nganh-giaoduc "$R/giaoduc-late.json" 1 || return
}

# --- units, list, show, history -------------------------------------------

test_units() {
	admin --json units
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" '" ".join(sorted(u["code"] for u in r))')" = \
	    "lc-muongte lc-nganh-giaoduc lc-phongtho lc-sinho lc-tamduong" ] ||
	    { fail "codes: $(cat "$W/out")"; return; }
	[ "$(jget "$W/out" '[u for u in r if u["code"] == "lc-muongte"][0]["valid_to"]')" = 2001-12-31 ] ||
	    { fail "lc-muongte validity: $(cat "$W/out")"; return; }
	admin units
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'LĐLĐ huyện Sìn Hồ' "$W/out" || { fail "text: $(cat "$W/out")"; return; }
	check aligned "$W/out" "LĐLĐ huyện/thành phố" "Công đoàn ngành" type || return
}

test_list_latest() {
	admin --json list --period "$CUR"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check list_rows "$W/out" "lc-sinho:$CUR:1:$R/sinho-cur.json,lc-tamduong:$CUR:2:$R/tamduong-cur-2.json" || return
	admin list --period "$CUR"
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	[ "$(grep -c "$CUR" "$W/out")" = 2 ] || { fail "text: $(cat "$W/out")"; return; }
	grep -q 'on time' "$W/out" || { fail "text: no 'on time': $(cat "$W/out")"; return; }
	check aligned "$W/out" "$CUR" period || return
}

test_list_all() {
	admin list --json
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check list_rows "$W/out" "lc-nganh-giaoduc:$LATE:1:$R/giaoduc-late.json,lc-tamduong:$LATE:1:$R/tamduong-late.json,lc-sinho:$CUR:1:$R/sinho-cur.json,lc-tamduong:$CUR:2:$R/tamduong-cur-2.json" || return
	admin list --unit lc-tamduong
	[ "$RC" -eq 0 ] || { fail "--unit: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'lc-sinho\|lc-nganh' "$W/out" && { fail "--unit: other units: $(cat "$W/out")"; return; }
	[ "$(grep -c '^lc-tamduong' "$W/out")" = 2 ] || { fail "--unit: $(cat "$W/out")"; return; }
	grep -Eq 'late by [0-9]+ days?' "$W/out" || { fail "--unit: no lateness: $(cat "$W/out")"; return; }
	admin list --csv --period "$CUR"
	[ "$RC" -eq 0 ] || { fail "--csv: exit $RC: $(cat "$W/err")"; return; }
	check csv_table "$W/out" "unit,name,period,revision,received_at,status,done_activities,done_participants,done_women,planned_activities,planned_participants,review_state" 2 || return
}

test_show() {
	admin show lc-tamduong "$CUR"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	for want in "revision 2" "Tuyên truyền chủ trương, chính sách" \
	    "Kết quả kỳ $CUR của lc-tamduong." "Khó khăn" "Đường xa." \
	    "Đoàn viên" "Done: activities" "Planned: activities" "Thường xuyên" \
	    "Nguyễn Thị Thử"; do
		grep -qF "$want" "$W/out" || { fail "no '$want' in: $(cat "$W/out")"; return; }
	done
	admin --json show lc-tamduong "$CUR"
	[ "$RC" -eq 0 ] || { fail "--json: exit $RC: $(cat "$W/err")"; return; }
	check show_json "$W/out" "$R/tamduong-cur-2.json" 2 || return
	admin --json show lc-tamduong "$CUR" --revision 1
	[ "$RC" -eq 0 ] || { fail "--revision 1: exit $RC: $(cat "$W/err")"; return; }
	check show_json "$W/out" "$R/tamduong-cur-1.json" 1 || return
	# Not found is one thing everywhere: a unit of the registry that has
	# not reported (66, no such report), a code the registry does not
	# know (65, not in the registry).
	admin show lc-phongtho "$CUR"
	[ "$RC" -eq 66 ] || { fail "no report: exit $RC, want 66: $(cat "$W/err")"; return; }
	grep -q 'no such report: lc-phongtho has not reported' "$W/err" ||
	    { fail "no report: $(cat "$W/err")"; return; }
	admin show lc-tamduong "$CUR" --revision 3
	[ "$RC" -eq 66 ] || { fail "no revision 3: exit $RC, want 66: $(cat "$W/err")"; return; }
	admin show lc-nowhere "$CUR"
	[ "$RC" -eq 65 ] || { fail "unknown unit: exit $RC, want 65: $(cat "$W/err")"; return; }
	grep -q 'lc-nowhere is not in the unit registry' "$W/err" ||
	    { fail "unknown unit: $(cat "$W/err")"; return; }
}

test_history() {
	local a b
	admin history lc-tamduong "$CUR"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	a=$(jget "$R/tamduong-cur-1.json" 'sum(x["participants"] for x in r["activities"] if x["status"] == "done")')
	b=$((a + 30))
	{ grep -q "^revision 1 " "$W/out" && grep -q "^revision 2 " "$W/out"; } ||
	    { fail "revisions: $(cat "$W/out")"; return; }
	grep -qF "done participants $a → $b (+30)" "$W/out" ||
	    { fail "no 'done participants $a → $b (+30)': $(cat "$W/out")"; return; }
	grep -qF "changed activities[0].participants: " "$W/out" ||
	    { fail "no change of the activity: $(cat "$W/out")"; return; }
	grep -q "received [0-9-]* [0-9:]* +07:00" "$W/out" ||
	    { fail "no time with its offset: $(cat "$W/out")"; return; }
	grep -qF "members $(jget "$R/tamduong-cur-1.json" 'r["indicators"]["members"]["total"]') → " "$W/out" ||
	    { fail "no members change: $(cat "$W/out")"; return; }
	grep -q "certificate lc-tamduong  SHA-256 ${FP_TAMDUONG:0:16}" "$W/out" ||
	    { fail "no CN and fingerprint: $(cat "$W/out")"; return; }
	admin --json history lc-tamduong "$CUR"
	[ "$RC" -eq 0 ] || { fail "--json: exit $RC: $(cat "$W/err")"; return; }
	check history_json "$W/out" "$R/tamduong-cur-1.json" "$R/tamduong-cur-2.json" || return
	# A unit that has not reported: as show says it.
	admin history lc-phongtho "$CUR"
	[ "$RC" -eq 66 ] || { fail "no report: exit $RC, want 66: $(cat "$W/err")"; return; }
	grep -q 'no such report: lc-phongtho has not reported' "$W/err" ||
	    { fail "no report: $(cat "$W/err")"; return; }
	admin history lc-nowhere "$CUR"
	[ "$RC" -eq 65 ] || { fail "unknown unit: exit $RC, want 65: $(cat "$W/err")"; return; }
}

# --- missing, summary ------------------------------------------------------

test_missing_on_time() {
	admin --json missing "$CUR"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check missing_json "$W/out" "$CUR" \
	    lc-tamduong:on_time,lc-sinho:on_time,lc-nganh-giaoduc:missing,lc-phongtho:missing \
	    4 2 2 || return
	admin missing "$CUR"
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	grep -q 'lc-muongte' "$W/out" && { fail "expired unit listed: $(cat "$W/out")"; return; }
	grep -q '^lc-phongtho .*nothing yet' "$W/out" || { fail "text: $(cat "$W/out")"; return; }
	grep -qF 'reported 2 of 4 (50.0%); on time 2 of 4 (50.0%)' "$W/out" ||
	    { fail "text: no rates: $(cat "$W/out")"; return; }
	check aligned "$W/out" "on time" "nothing yet" timeliness || return
}

test_missing_late() {
	local days
	days=$(adm days_late "$((Y - 1))-06-10")
	admin --json missing "$LATE"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check missing_json "$W/out" "$LATE" \
	    "lc-tamduong:late:$days,lc-nganh-giaoduc:late:$days,lc-sinho:missing,lc-phongtho:missing" \
	    4 2 0 || return
	admin missing "$LATE"
	grep -q "^lc-tamduong .*late by $days days" "$W/out" ||
	    { fail "text: $(cat "$W/out")"; return; }
	grep -qF 'reported 2 of 4 (50.0%); on time 0 of 4 (0.0%)' "$W/out" ||
	    { fail "text: no rates: $(cat "$W/out")"; return; }
	admin --csv missing "$LATE"
	check csv_table "$W/out" "unit,name,first_received_at,timeliness,days_late,latest_revision,latest_received_at,review_state,due,extension" 4 || return
}

test_summary() {
	local by
	for by in area unit kind occasion status type; do
		admin --json summary "$CUR" --by "$by"
		[ "$RC" -eq 0 ] || { fail "--by $by: exit $RC: $(cat "$W/err")"; return; }
		check summary_json "$W/out" "$by" "$R/tamduong-cur-2.json" "$R/sinho-cur.json" || return
	done
	admin --json summary "$LATE"
	[ "$RC" -eq 0 ] || { fail "no --by: exit $RC: $(cat "$W/err")"; return; }
	check summary_json "$W/out" none "$R/tamduong-late.json" "$R/giaoduc-late.json" || return
	admin summary "$CUR" --by area
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	{ grep -q 'Tổng cộng' "$W/out" && grep -q 'Đoàn viên' "$W/out"; } ||
	    { fail "text: $(cat "$W/out")"; return; }
}

# --- export ------------------------------------------------------------------

test_export_csv() {
	admin export "$LATE" --format csv -o "$W/late.csv"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q '^wrote 406 activities' "$W/out" || { fail "output: $(cat "$W/out")"; return; }
	! ls "$W"/late.csv.tmp* >/dev/null 2>&1 ||
	    { fail "left behind: $(ls "$W"/late.csv.tmp*)"; return; }
	check export_csv "$W/late.csv" "$R/tamduong-late.json" "$R/giaoduc-late.json" || return
}

test_export_json() {
	admin export "$CUR" --format json -o -
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check export_json "$W/out" "$R/tamduong-cur-2.json" "$R/sinho-cur.json" || return
}

test_export_xlsx() {
	admin --json export "$CUR" --format xlsx -o "$W/cur.xlsx"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["rows"]')" = 12 ] || { fail "output: $(cat "$W/out")"; return; }
	check export_xlsx "$W/cur.xlsx" "$R/tamduong-cur-2.json" "$R/sinho-cur.json" || return
	admin export "$LATE" --format xlsx -o "$W/late.xlsx"
	[ "$RC" -eq 0 ] || { fail "late: exit $RC: $(cat "$W/err")"; return; }
	check export_xlsx "$W/late.xlsx" "$R/tamduong-late.json" "$R/giaoduc-late.json" || return
}

# libxlsxwriter is loaded by an xlsx export only (client/xlsx.h): a unit's
# submit starts without it. A library that lacks what gp-client calls is
# named, and nothing is written.
test_export_xlsx_lazy() {
	if readelf -d "$GP_CLIENT" | grep -q 'NEEDED.*libxlsxwriter'; then
		fail "gp-client is linked with libxlsxwriter"
		return
	fi
	mkdir -p "$W/fakelib"
	printf 'int gp_not_xlsxwriter;\n' > "$W/fakelib/x.c"
	cc -shared -fPIC -o "$W/fakelib/$(xlsx_soname)" "$W/fakelib/x.c" ||
	    { fail "cannot build the stand-in library"; return; }
	LD_LIBRARY_PATH=$W/fakelib admin export "$CUR" --format xlsx \
	    -o "$W/fake.xlsx"
	[ "$RC" -eq 73 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q 'lacks workbook_new_opt' "$W/err" ||
	    { fail "message: $(cat "$W/err")"; return; }
	[ ! -e "$W/fake.xlsx" ] || { fail "a file was written"; return; }
}

# The name gp-client loads: the one its build found (Makefile XLSX_SONAME).
xlsx_soname() {
	strings "$GP_CLIENT" | grep -m 1 -x 'libxlsxwriter\.so\.[0-9]*'
}

# --- locking -------------------------------------------------------------------

test_lock() {
	local before
	admin lock "$CUR"
	[ "$RC" -eq 0 ] || { fail "lock: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^locked $CUR" "$W/out" || { fail "lock: $(cat "$W/out")"; return; }
	admin --json lock "$CUR"
	[ "$(jget "$W/out" 'str(r["locked"]) + " " + str(r["changed"])')" = "True False" ] ||
	    { fail "lock again: $(cat "$W/out" "$W/err")"; return; }

	before=$(q "select count(*) from reports")
	client_as lc-sinho submit "$R/sinho-locked.json"
	[ "$RC" -eq 77 ] || { fail "submit to a locked period: exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
	grep -qi 'lock' "$W/err" || { fail "no mention of the lock: $(cat "$W/err")"; return; }
	[ "$(q "select count(*) from reports")" = "$before" ] || { fail "stored while locked"; return; }

	admin unlock "$CUR"
	[ "$RC" -eq 0 ] || { fail "unlock: exit $RC: $(cat "$W/err")"; return; }
	grep -q "^unlocked $CUR" "$W/out" || { fail "unlock: $(cat "$W/out")"; return; }
	submit_as lc-sinho "$R/sinho-locked.json" 2 || return
}

# --- a unit's certificate ---------------------------------------------------

test_unit_refused_admin() {
	local before cmd action
	for cmd in "missing $CUR" "summary $CUR" "export $CUR --format csv -o $W/unit.csv" \
	    "lock $LATE" "unlock $LATE" "audit" "units"; do
		before=$(q "select count(*) from audit where cn = 'lc-sinho'")
		# shellcheck disable=SC2086  # the words of cmd are arguments
		client_as lc-sinho $cmd
		[ "$RC" -eq 77 ] || { fail "$cmd: exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
		[ -s "$W/err" ] || { fail "$cmd: no sentence"; return; }
		# On record: written now, or, the same refusal again within a
		# minute of its first (unlock is a lock request), counted and
		# written when the minute ends (gpd(8), LIMITS).
		action=${cmd%% *}
		[ "$action" = unlock ] && action=lock
		[ "$(q "select count(*) from audit where cn = 'lc-sinho'")" -gt "$before" ] ||
		    [ "$(q "select count(*) from audit where cn = 'lc-sinho' and
		    action = '$action' and result = 'refused' and
		    at >= strftime('%s', 'now') - 60")" -ge 1 ] ||
		    { fail "$cmd: refusal not audited"; return; }
	done
	if [ -e "$W/unit.csv" ] || ls "$W"/unit.csv.tmp* >/dev/null 2>&1; then
		fail "a refused export left a file"
		return
	fi
	# Not locked by lc-sinho: locking it now changes its state.
	admin --json lock "$LATE"
	[ "$(jget "$W/out" 'str(r["changed"])')" = True ] ||
	    { fail "$LATE was locked by lc-sinho: $(cat "$W/out" "$W/err")"; return; }
	admin unlock "$LATE"
	[ "$RC" -eq 0 ] || { fail "unlock $LATE: exit $RC: $(cat "$W/err")"; return; }
}

test_unit_own_reports() {
	client_as lc-sinho --json list
	[ "$RC" -eq 0 ] || { fail "list: exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" '" ".join(sorted(set(x["unit"] for x in r)))')" = lc-sinho ] ||
	    { fail "list shows other units: $(cat "$W/out")"; return; }
	client_as lc-sinho show lc-sinho "$CUR"
	[ "$RC" -eq 0 ] || { fail "show own: exit $RC: $(cat "$W/err")"; return; }
	client_as lc-sinho history lc-sinho "$CUR"
	[ "$RC" -eq 0 ] || { fail "history own: exit $RC: $(cat "$W/err")"; return; }
}

test_unit_other_units() {
	local cmd
	for cmd in "list --unit lc-tamduong" "show lc-tamduong $CUR" \
	    "history lc-tamduong $CUR"; do
		# shellcheck disable=SC2086
		client_as lc-sinho $cmd
		[ "$RC" -eq 77 ] || { fail "$cmd: exit $RC, want 77: $(cat "$W/out" "$W/err")"; return; }
		grep -q 'Tam Đường\|participants' "$W/out" &&
		    { fail "$cmd: printed another unit's data: $(cat "$W/out")"; return; }
	done
	client_as lc-sinho --json show lc-tamduong "$CUR"
	[ "$RC" -eq 77 ] || { fail "--json show: exit $RC"; return; }
	[ "$(jget "$W/out" 'r["code"]')" = permission_denied ] ||
	    { fail "--json show: $(cat "$W/out")"; return; }
	# On record with the unit that was asked for: list, show and history
	# written at once; the second show, the same refusal within the
	# minute, is counted into its summary (gpd(8), LIMITS).
	[ "$(q "select count(*) from audit where cn = 'lc-sinho' and
	    result = 'refused' and unit = 'lc-tamduong' and
	    action in ('list', 'show', 'history')")" = 3 ] ||
	    { fail "refusals without the unit asked for: $(q "select action, unit, detail from audit where cn = 'lc-sinho' and result = 'refused'")"; return; }
}

# --- audit -----------------------------------------------------------------------

test_audit() {
	admin --json audit
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	check audit_json "$W/out" "$FP_TAMDUONG" "$FP_SINHO" "$FP_ADMIN" || return
	admin --json audit --unit lc-sinho
	[ "$RC" -eq 0 ] || { fail "--unit: exit $RC: $(cat "$W/err")"; return; }
	check only_unit "$W/out" lc-sinho || return
	# A date is the federation's day.
	admin --json audit --since "$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%Y-%m-%d)"
	[ "$(jget "$W/out" 'len(r["rows"])')" = 0 ] || { fail "--since tomorrow: $(cat "$W/out")"; return; }
	admin --json audit --since "$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%S+00:00)"
	[ "$(jget "$W/out" 'len(r["rows"]) > 0')" = True ] || { fail "--since an hour ago: $(cat "$W/out" "$W/err")"; return; }
	admin audit
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	grep -q "admin-test .*${FP_ADMIN:0:16}.* lock " "$W/out" ||
	    { fail "text: no lock by admin-test: $(cat "$W/out")"; return; }
	admin audit --csv --unit lc-tamduong
	[ "$RC" -eq 0 ] || { fail "--csv: exit $RC: $(cat "$W/err")"; return; }
	tr -d : <"$W/out" | tr 'A-F' 'a-f' | grep -q "$FP_TAMDUONG" ||
	    { fail "--csv: no full fingerprint: $(cat "$W/out")"; return; }
}

# --- usage ---------------------------------------------------------------------

# A query the server refuses is not a report to correct and resubmit.
test_query_refused() {
	admin summary "$CUR" --compare 2031-H1
	[ "$RC" -eq 65 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "no form for 2031" "$W/err" ||
	    { fail "not named: $(cat "$W/err")"; return; }
	grep -q "the server refused the request (1 error)" "$W/err" ||
	    { fail "said: $(cat "$W/err")"; return; }
	! grep -q "report\|submit again" "$W/err" ||
	    fail "told to correct a report: $(cat "$W/err")"
}

test_usage() {
	local cmd
	for cmd in "missing" "missing 2022-H2" "show lc-tamduong" \
	    "show lc-tamduong $CUR --revision 0" "summary $CUR --by year" \
	    "export $CUR --format pdf -o x" "export $CUR --format xlsx -o -" \
	    "audit --since yesterday" "list --json --csv" "lock" \
	    "--csv show lc-tamduong $CUR" "lock $CUR --csv" \
	    "--csv validate $R/sinho-cur.json"; do
		# shellcheck disable=SC2086
		admin $cmd
		[ "$RC" -eq 64 ] || { fail "$cmd: exit $RC, want 64: $(cat "$W/err")"; return; }
		[ -s "$W/err" ] || { fail "$cmd: no sentence"; return; }
	done
}

t "submissions: revisions, on time and late" test_submissions
t "units: the registry, aligned, --json" test_units
t "list --period: latest revisions only, figures summed" test_list_latest
t "list: every period, --unit filter, --csv" test_list_all
t "show: Vietnamese labels, --json equals the submitted report, --revision" test_show
t "history: revisions with CN, fingerprint and changed figures" test_history
t "missing: on time, nothing yet, expired unit not expected, rates" test_missing_on_time
t "missing: late by N days, rates" test_missing_late
t "summary: totals equal an independent sum, by area/unit/kind/occasion" test_summary
t "export csv: BOM, CRLF, every activity of the latest revisions" test_export_csv
t "export json to standard output" test_export_json
t "export xlsx: sheet 1 rows and sheet 2 totals" test_export_xlsx
t "export xlsx: libxlsxwriter loaded then only; one lacking a function named" test_export_xlsx_lazy
t "lock: a submit is refused (77) naming the lock; unlock: accepted" test_lock
t "unit certificate: administration refused (77) and audited" test_unit_refused_admin
t "unit certificate: its own list, show and history" test_unit_own_reports
t "unit certificate: another unit's reports refused (77)" test_unit_other_units
t "audit: submissions, refusals, locks with CN and fingerprint" test_audit
t "a refused query is not a report to resubmit" test_query_refused
t "usage errors exit 64" test_usage

summary
