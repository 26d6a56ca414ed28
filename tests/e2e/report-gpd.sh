#!/bin/bash
# End-to-end tests of `gp-client report`: the real gpd with the Lai Châu
# registry, reports of several units for 2022-H1 (one sent twice, one unit
# silent) and of 2021-H1, an administrator's gp-client gathering the
# report data and the real gp-report writing the .docx, read back with
# python-docx. The figures checked are summed here, in Python, from the
# report files that were submitted. The xlsx export's charts, read with
# openpyxl. Also: a unit's certificate is refused,
# gp-report missing is said plainly, --accepted keeps the accepted reports,
# the report data itself (--data), and that gp-client links none of
# gp-report's libraries.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client GP_REPORT=build/gp-report \
#       tests/e2e/report-gpd.sh
#
# LibreOffice converts the xlsx export once (tests/e2e/report.sh converts
# the document); SOFFICE=no skips it (the ASan run).
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
F2022=$ROOT/etc/forms/2022.json
# python-docx and openpyxl are Debian's: the system's Python.
PYTHON=${PYTHON:-/usr/bin/python3}
SOFFICE=${SOFFICE:-soffice}

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup report-gpd openssl sqlite3 timeout readelf pdftotext	# W, PORT, DB
GP_REPORT=$(realpath "${GP_REPORT:-$ROOT/build/gp-report}")
e2e_built "$GP_REPORT"
# gp-client report runs this one (test_gp_report_missing: none).
export GP_REPORT
"$PYTHON" -c 'import docx, openpyxl' 2>/dev/null ||
    { echo "e2e: python3-docx or python3-openpyxl is missing: run scripts/deps.sh" >&2; exit 1; }

REPORTERS="lc-tamduong lc-sinho lc-nganh-giaoduc lc-phongtho lc-tp"
# shellcheck disable=SC2086
e2e_pki $REPORTERS admin-test
mkdir -p "$W/forms" "$W/r"
# 2022 is the built-in form; the year before gets one of its own.
write_form 2021 "$W/forms/2021.json"
# ... with an area of its own, gone from 2022's form.
python3 - "$W/forms/2021.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["areas"].append({"code": "old_campaign", "label": "Cuộc vận động riêng năm 2021"})
json.dump(f, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
e2e_gpd_conf "$W/gpd.conf" "units = $ROOT/etc/units.conf" "forms = $W/forms" \
    "[tls] crl = $W/pki/crl.pem" "[access] admins = admin-test"
# The administrator's configuration, with the document's settings.
e2e_client_conf "$W/admin.conf" admin-test
cat >> "$W/admin.conf" <<CONF

[report]
number = Số:      /BC-LĐLĐ-TN
signer_title = PHÓ CHỦ TỊCH
signer_name = Nguyễn Thị Thử Nghiệm
recipient = Tổng LĐLĐ Việt Nam (b/c)
recipient = Ban Thử nghiệm tỉnh
CONF
start_gpd "$W/gpd.conf"

# --- the reports, and the test's own arithmetic --------------------------

cat > "$W/chk.py" <<'PY'
"""Makes the reports and reads the document back. Each check prints
nothing and exits 0, or prints why and exits 1."""
import configparser, json, re, sys, unicodedata

def fail(msg):
    print(msg)
    sys.exit(1)

def nfc(v):
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, list):
        return [nfc(x) for x in v]
    if isinstance(v, dict):
        return {nfc(k): nfc(x) for k, x in v.items()}
    return v

def load(path):
    with open(path, encoding="utf-8") as f:
        return nfc(json.load(f))

def save(r, out):
    with open(out, "w", encoding="utf-8") as f:
        json.dump(r, f, ensure_ascii=False, indent=1)

def shift_year(d, years):
    return "%04d%s" % (int(d[:4]) + years, d[4:])

def derive(sample, unit, out, period="2022-H1", scale=1, years=0):
    """Another unit's report made from a sample: its counts scaled, its
    dates moved by years (for the year before)."""
    r, scale, years = load(sample), int(scale), int(years)
    r["unit"] = unit
    r["period"] = period
    r.pop("id", None)
    for a in r["activities"]:
        for k in ("date", "end_date"):
            if k in a:
                a[k] = shift_year(a[k], years)
        p = a.get("participants", 0) * scale
        a["participants"] = p
        a["female"] = min(p, a.get("female", 0) * scale)
        a["title"] = a["title"] + " (%s)" % unit
    for v in r.get("indicators", {}).values():
        v["total"] = v["total"] * scale
        if "female" in v:
            v["female"] = min(v["total"], v["female"] * scale)
    if years:
        r.pop("law_review", None)
    if period == "2021-H1" and unit == "lc-sinho":
        r["activities"][1]["area"] = "old_campaign"
    save(r, out)

def revise(path, out):
    """A second revision: one more done activity."""
    r = load(path)
    a = dict(r["activities"][0])
    a["title"] = "Tập huấn bổ sung về bình đẳng giới"
    a["participants"], a["female"], a["sessions"] = 77, 50, 2
    a["status"] = "done"
    r["activities"].append(a)
    save(r, out)

FORM_2022 = None	# set from the command line

def area_code(a):
    """An area given by its place in the form's list, as its code."""
    v = a["area"]
    if isinstance(v, int):
        return load(FORM_2022)["areas"][v - 1]["code"]
    return v

def totals(paths, skip_area=None):
    done = dict(activities=0, sessions=0, participants=0, female=0)
    planned = dict(activities=0, participants=0)
    for p in paths:
        for a in load(p)["activities"]:
            if skip_area is not None and area_code(a) == skip_area:
                continue
            if a["status"] == "done":
                done["activities"] += 1
                for k in ("sessions", "participants", "female"):
                    done[k] += a.get(k, 0)
            else:
                planned["activities"] += 1
                planned["participants"] += a.get("participants", 0)
    return done, planned

def vn(n):
    return "{:,}".format(n).replace(",", ".")

def share(part, whole):
    return ("%.1f%%" % (100.0 * part / whole)).replace(".", ",")

def document_text(d):
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                parts.append(c.text)
    return parts

def check_docx(path, units_conf, form_json, *latest):
    import docx
    d = docx.Document(path)
    paras = [p.text for p in d.paragraphs]
    text = "\n".join(document_text(d))
    units = configparser.ConfigParser(interpolation=None)
    units.read(units_conf, encoding="utf-8")
    names = [units[s]["name"] for s in units.sections() if s != "types"]
    for n in names:
        if n not in text:
            fail("unit %s is not in the document" % n)
    form = load(form_json)
    for i, a in enumerate(form["areas"]):
        h = "%d. %s" % (i + 1, a["label"])
        if h not in paras:
            fail("no heading %r" % h)
    mast = d.tables[0]
    for want, cell in (("LĐLĐ TỈNH LAI CHÂU", mast.cell(0, 0).text),
                       ("Độc lập - Tự do - Hạnh phúc", mast.cell(0, 1).text),
                       ("/BC-LĐLĐ-TN", mast.cell(1, 0).text)):
        if want not in cell:
            fail("masthead: %r not in %r" % (want, cell))
    # Undated: the day and month left blank, the year the one it is
    # drafted in (the federation's time), not the period's.
    import datetime
    year = (datetime.datetime.now(datetime.timezone.utc) +
            datetime.timedelta(hours=7)).year
    if not re.fullmatch(r".*, ngày +tháng +năm %d" % year, mast.cell(1, 1).text):
        fail("date line: %r" % mast.cell(1, 1).text)
    for want in ("Nguyễn Thị Thử Nghiệm", "PHÓ CHỦ TỊCH", "Ban Thử nghiệm tỉnh",
                 "6 tháng đầu năm 2022"):
        if want not in text:
            fail("%r is not in the document" % want)
    done, planned = totals(latest)
    t1 = next((t for t in d.tables if t.rows[0].cells[0].text == "STT" and
               "Đã thực hiện" in t.rows[0].cells[2].text), None)
    if t1 is None:
        fail("no table of the areas")
    got = [c.text for c in t1.rows[-1].cells]
    want = [vn(done["activities"]), vn(done["sessions"]),
            vn(done["participants"]), vn(done["female"]),
            share(done["female"], done["participants"]),
            vn(planned["activities"]), vn(planned["participants"])]
    if got[2:9] != want:
        fail("totals: got %r, want %r" % (got[2:9], want))
    # The chart of done beside planned only when something is planned.
    chart3 = any(p.endswith("Hoạt động đã thực hiện và ước thực hiện theo nội dung")
                 for p in paras)
    if chart3 != (planned["activities"] > 0):
        fail("done-and-planned chart: %r with %d planned" %
             (chart3, planned["activities"]))

def check_previous(path, *previous):
    """The year before is in the document: its participants, summed here,
    in a comparison table (all but those of the area 2022 no longer has,
    which the document says it leaves out)."""
    import docx
    d = docx.Document(path)
    done, _ = totals(previous, "old_campaign")
    if "không được so sánh" not in "\n".join(p.text for p in d.paragraphs):
        fail("the activity of an area gone is not said to be left out")
    for t in d.tables:
        for row in t.rows:
            cells = [c.text for c in row.cells]
            if vn(done["participants"]) in cells and any(
                    "2021" in c.text for r in t.rows[:2] for c in r.cells):
                return
    fail("no comparison table with 2021's %s participants"
         % vn(done["participants"]))

def check_data(path, units_conf, *latest):
    """The report data gp-client wrote: a header, every unit once in the
    registry's order, reports as submitted, then the year before."""
    recs, dec, text, i = [], json.JSONDecoder(), open(
        path, encoding="utf-8").read(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            break
        o, i = dec.raw_decode(text, i)
        recs.append(o)
    h = recs[0]
    if h.get("gp_report_data") != 1 or h["period"]["id"] != "2022-H1":
        fail("header: %r" % {k: h[k] for k in h if k != "form"})
    if h["period"]["due"] != "2022-06-10" or h["previous"]["id"] != "2021-H1":
        fail("periods: %r %r" % (h["period"], h["previous"]))
    if h["document"].get("signer_name") != "Nguyễn Thị Thử Nghiệm":
        fail("document: %r" % h["document"])
    units = configparser.ConfigParser(interpolation=None)
    units.read(units_conf, encoding="utf-8")
    codes = [s for s in units.sections() if s != "types"]
    got = [r["unit"]["code"] for r in recs[1:] if "unit" in r]
    if got != sorted(codes):
        fail("units: %r" % got)
    byunit = {r["unit"]["code"]: r["unit"] for r in recs[1:] if "unit" in r}
    for p in latest:
        want = load(p)
        u = byunit[want["unit"]]
        if u["submission"] != "late" or not u["submitted"].endswith("+07:00"):
            fail("%s: %r" % (want["unit"], u))
        got = [(a["title"], a["participants"]) for a in u["report"]["activities"]]
        if got != [(a["title"], a["participants"]) for a in want["activities"]]:
            fail("%s activities: %r" % (want["unit"], got))
        if u["report"]["narrative"] != want["narrative"]:
            fail("%s narrative" % want["unit"])
    silent = [c for c in codes if "report" not in byunit[c]]
    if any(byunit[c]["submission"] != "missing" for c in silent):
        fail("silent units: %r" % [byunit[c] for c in silent])
    if not any("previous_unit" in r for r in recs):
        fail("no unit of the year before")

def check_xlsx(path, form_json, units_conf, *latest):
    """The chart sheet: after the data sheets, each chart's series over
    the rows of the summary sheet that hold what it shows (the units that
    reported, in the registry's order)."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    if wb.sheetnames != ["Hoạt động", "Tổng hợp", "Biểu đồ"]:
        fail("sheets: %r" % wb.sheetnames)
    summary = wb["Tổng hợp"]
    rows = {}
    for row in summary.iter_rows():
        if row[0].value is not None:
            rows.setdefault(row[0].value, []).append(row[0].row)
    form = load(form_json)
    def span(labels):
        r = [rows[l][0] for l in labels]
        if r != list(range(r[0], r[0] + len(r))):
            fail("not one block: %r" % list(zip(labels, r)))
        return r[0], r[-1]
    a0, a1 = span([a["label"] for a in form["areas"]])
    s0, s1 = span([i["label"] for i in form["indicators"]
                   if i.get("female_share")])
    units = configparser.ConfigParser(interpolation=None)
    units.read(units_conf, encoding="utf-8")
    names = [units[u]["name"] for u in sorted(load(p)["unit"]
                                              for p in latest)]
    u0 = rows["Theo đơn vị"][0] + 2
    u1 = u0 + len(names) - 1
    got = [summary.cell(r, 1).value for r in range(u0, u1 + 1)]
    if got != names:
        fail("units table: %r" % got)
    ref = lambda col, f, l: "'Tổng hợp'!$%s$%d:$%s$%d" % (col, f, col, l)
    want = [
        [(ref("A", a0, a1), ref("C", a0, a1))],
        [(ref("A", a0, a1), ref("E", a0, a1)),
         (ref("A", a0, a1), ref("F", a0, a1))],
        [(ref("A", s0, s1), ref("D", s0, s1))],
        [(ref("A", u0, u1), ref("E", u0, u1)),
         (ref("A", u0, u1), ref("F", u0, u1))]]
    charts = wb["Biểu đồ"]._charts
    got = []
    for c in charts:
        got.append([((s.cat.strRef or s.cat.numRef).f, s.val.numRef.f)
                    for s in c.series])
    if got != want:
        fail("chart series:\n%r\nwant\n%r" % (got, want))
    if [c.tagname for c in charts] != ["barChart"] * 4:
        fail("chart types: %r" % [c.tagname for c in charts])

def by_area(paths):
    t = {}
    for p in paths:
        r = load(p)
        for a in r["activities"]:
            v = t.setdefault(area_code(a), {"reports": set(), "activities": 0,
                "sessions": 0, "participants": 0, "female": 0})
            v["reports"].add(r["unit"])
            # Done activities: planned ones are never added in.
            if a.get("status") == "planned":
                continue
            v["activities"] += 1
            for k in ("sessions", "participants", "female"):
                v[k] += a.get(k, 0)
    for v in t.values():
        v["reports"] = len(v["reports"])
    return t

def check_compare_json(out, form_json, old_form_json, n, *paths):
    """summary --compare --by area --json: both periods summed here, the
    change, every area of either year's form, labels of their form."""
    o = load(out)
    now, before = by_area(paths[:int(n)]), by_area(paths[int(n):])
    labels = {a["code"]: a["label"] for a in load(old_form_json)["areas"]}
    labels.update({a["code"]: a["label"] for a in load(form_json)["areas"]})
    if (o["period"], o["compare"], o["by"]) != ("2022-H1", "2021-H1", "area"):
        fail("head: %r" % o)
    keys = [r["key"] for r in o["rows"]]
    if sorted(keys) != sorted(set(now) | set(before)):
        fail("keys: %r" % keys)
    for r in o["rows"]:
        k = r["key"]
        if r["label"] != labels[k]:
            fail("%s label %r" % (k, r["label"]))
        for side, t in (("period", now), ("compare", before)):
            want = t.get(k)
            got = r[side]
            if want is None:
                if got is not None:
                    fail("%s %s: %r" % (k, side, got))
                continue
            for m in ("reports", "activities", "sessions", "participants",
                      "female"):
                if got[m] != want[m]:
                    fail("%s %s %s: %r, want %r" % (k, side, m, got[m],
                                                     want[m]))
        only = None if k in now and k in before else (
            "2022-H1" if k in now else "2021-H1")
        if r["only_in"] != only:
            fail("%s only_in %r" % (k, r["only_in"]))
        if only is None:
            if r["change"]["participants"] != (now[k]["participants"] -
                                               before[k]["participants"]):
                fail("%s change %r" % (k, r["change"]))
        elif r["change"] is not None:
            fail("%s change %r" % (k, r["change"]))
    if "old_campaign" not in keys or keys.index("old_campaign") != len(keys) - 1:
        fail("the area only 2021 has is not last: %r" % keys)

def check_compare_by(out, by, n, *paths):
    """summary --compare --by BY --json, for the other keys: the totals
    summed here for both periods, every activity in exactly one row of
    each side, the change where both have a row, and the indicators."""
    o = load(out)
    if (o["period"], o["compare"], o["by"]) != ("2022-H1", "2021-H1", by):
        fail("head: %r" % {k: o[k] for k in ("period", "compare", "by")})
    sides = (paths[:int(n)], paths[int(n):])
    for side, ps in zip(("period", "compare"), sides):
        acts = [a for p in ps for a in load(p)["activities"]]
        want = dict(activities=len(acts),
                    participants=sum(a.get("participants", 0) for a in acts),
                    female=sum(a.get("female", 0) for a in acts))
        for m, v in want.items():
            if o["total"][side][m] != v:
                fail("%s total %s: %r, want %r" % (side, m,
                                                    o["total"][side][m], v))
            got = sum((r[side] or {}).get(m, 0) for r in o["rows"])
            if got != v:
                fail("%s rows' %s: %r, want %r" % (side, m, got, v))
        members = sum(load(p)["indicators"]["members"]["total"] for p in ps)
        ind = next(i for i in o["indicators"] if i["code"] == "members")
        if ind[side]["total"] != members:
            fail("%s members: %r, want %r" % (side, ind[side], members))
    for r in o["rows"]:
        if r["period"] is not None and r["compare"] is not None and \
                r["change"]["activities"] != (r["period"]["activities"] -
                                              r["compare"]["activities"]):
            fail("%s change: %r" % (r["key"], r["change"]))
    if not o["rows"]:
        fail("no rows")

def check_print(path, period):
    """How each sheet prints: A4, as wide as a page; the activities in
    landscape with their heading row on every page and gridlines; above,
    the period and the units (the one unit's name, or how many); below,
    the day it was made and the page of the pages; wrapped text in rows
    as high as it takes."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    rows = wb["Hoạt động"]
    units = {r[0].value: r[1].value for r in rows.iter_rows(min_row=2)}
    if len(units) == 1:
        (code, name), = units.items()
        who = "%s (%s)" % (name, code)
    else:
        who = "%d đơn vị" % len(units)
    title = "&BCông tác bình đẳng giới – kỳ báo cáo %s&B" % period
    for name, landscape in (("Hoạt động", True), ("Tổng hợp", True),
                            ("Biểu đồ", False)):
        ws = wb[name]
        ps = ws.page_setup
        if ps.orientation != ("landscape" if landscape else "portrait") \
                and not (ps.orientation is None and not landscape):
            fail("%s: orientation %r" % (name, ps.orientation))
        if int(ps.paperSize) != 9:
            fail("%s: paper %r, want A4 (9)" % (name, ps.paperSize))
        if not ws.sheet_properties.pageSetUpPr.fitToPage or \
                int(ps.fitToWidth or 1) != 1 or int(ps.fitToHeight) != 0:
            fail("%s: not one page wide: %r %r" % (name, ps.fitToWidth,
                                                   ps.fitToHeight))
        h, f = ws.oddHeader, ws.oddFooter
        if (h.left.text, h.right.text) != (title, who):
            fail("%s: header %r %r, want %r %r" % (name, h.left.text,
                                                   h.right.text, title, who))
        if not re.fullmatch(r"Xuất ngày \d{1,2}/\d{1,2}/20\d\d",
                            f.left.text or "") or \
                (f.center.text, f.right.text) != ("Trang &P/&N", "&A"):
            fail("%s: footer %r %r %r" % (name, f.left.text, f.center.text,
                                          f.right.text))
    if rows.print_title_rows != "$1:$1":
        fail("activities: heading row not repeated: %r" %
             rows.print_title_rows)
    if not rows.print_options.gridLines:
        fail("activities: no gridlines printed")
    # Wrapped headings and texts: rows higher than one line.
    if (rows.row_dimensions[1].height or 15) < 30:
        fail("heading row %r high" % rows.row_dimensions[1].height)
    if not any((rows.row_dimensions[r].height or 15) > 15
               for r in range(2, rows.max_row + 1)):
        fail("no activity row is higher than a line")
    # The summary's headings: the label's to the left, each figure's to
    # the right, over its numbers.
    summary, heads = wb["Tổng hợp"], 0
    for row in summary.iter_rows():
        if not (row[0].font and row[0].font.b) or len(row) < 2 or \
                not isinstance(row[1].value, str):
            continue
        heads += 1
        for c in row[1:]:
            if c.value is not None and c.alignment.horizontal != "right":
                fail("summary heading %r at %s aligned %r, not right" %
                     (c.value, c.coordinate, c.alignment.horizontal))
        if row[0].alignment.horizontal == "right":
            fail("summary label heading %r aligned right" % row[0].value)
    if heads < 3:
        fail("summary: %d heading rows found" % heads)

def check_print_pdf(text_file, period):
    """The PDF LibreOffice made of it, page by page: every page has the
    title and its number; every page of activities its headings."""
    pages = open(text_file, encoding="utf-8").read().split("\f")
    pages = [p for p in pages if p.strip()]
    title = "Công tác bình đẳng giới – kỳ báo cáo %s" % period
    activity_pages = 0
    for i, p in enumerate(pages):
        if title not in p:
            fail("page %d: no title: %r" % (i + 1, p[:300]))
        if "Trang %d/%d" % (i + 1, len(pages)) not in p:
            fail("page %d: no 'Trang %d/%d': %r" % (i + 1, i + 1,
                                                    len(pages), p[-300:]))
        if p.rstrip().endswith("Hoạt động"):
            activity_pages += 1
            if "Mã đơn vị" not in p or "Tên hoạt động" not in p:
                fail("page %d: activities without their headings" % (i + 1))
    if activity_pages < 2:
        fail("%d page(s) of activities: the headings' repeat is not seen" %
             activity_pages)

def check_compare_csv(out):
    import csv
    rows = list(csv.reader(open(out, encoding="utf-8")))
    head = rows[0]
    for h in ("key", "label", "only_in", "participants 2022-H1",
              "participants 2021-H1", "participants change",
              "women % change"):
        if h not in head:
            fail("no column %r: %r" % (h, head))
    last = dict(zip(head, rows[-1]))
    if last["key"] != "total" or int(last["participants change"]) != (
            int(last["participants 2022-H1"]) -
            int(last["participants 2021-H1"])):
        fail("total row: %r" % last)

if __name__ == "__main__":
    FORM_2022 = sys.argv[1]
    globals()[sys.argv[2]](*sys.argv[3:])
PY

chk() {	# FUNCTION ARGS...: the reason when it fails
	local out
	out=$("$PYTHON" "$W/chk.py" "$F2022" "$@" 2>&1) ||
	    { fail "$out"; return 1; }
}

admin() {	# ARGS...
	run "$GP_CLIENT" -c "$W/admin.conf" "$@"
}

# The reports: the three samples, two made from them, a second revision,
# and three of the year before. lc-muongte and others send nothing.
R=$W/r
cp "$DATA/lc-tamduong-2022-H1.json" "$DATA/lc-sinho-2022-H1.json" \
    "$DATA/lc-nganh-giaoduc-2022-H1.json" "$R/"
"$PYTHON" "$W/chk.py" "$F2022" derive "$R/lc-tamduong-2022-H1.json" lc-phongtho \
    "$R/lc-phongtho-2022-H1.json" 2022-H1 2
"$PYTHON" "$W/chk.py" "$F2022" derive "$R/lc-sinho-2022-H1.json" lc-tp \
    "$R/lc-tp-2022-H1.json" 2022-H1 3
"$PYTHON" "$W/chk.py" "$F2022" revise "$R/lc-tp-2022-H1.json" "$R/lc-tp-2022-H1.r2.json"
for u in lc-tamduong lc-sinho lc-phongtho; do
	"$PYTHON" "$W/chk.py" "$F2022" derive "$R/$u-2022-H1.json" "$u" \
	    "$R/$u-2021-H1.json" 2021-H1 1 -1
done
LATEST="$R/lc-tamduong-2022-H1.json $R/lc-sinho-2022-H1.json
    $R/lc-nganh-giaoduc-2022-H1.json $R/lc-phongtho-2022-H1.json
    $R/lc-tp-2022-H1.r2.json"
PREVIOUS="$R/lc-tamduong-2021-H1.json $R/lc-sinho-2021-H1.json
    $R/lc-phongtho-2021-H1.json"

test_submit() {
	local f u
	for f in $R/lc-tp-2022-H1.json $LATEST $PREVIOUS; do
		u=$(basename "$f")
		u=${u%%-202*}
		client_as "$u" submit "$f"
		[ "$RC" -eq 0 ] || { fail "$f: exit $RC: $(cat "$W/err")"; return; }
	done
	[ "$(q "select count(*) from reports")" -eq 9 ] ||
	    fail "$(q "select count(*) from reports") reports stored"
}

test_report() {
	admin report 2022-H1 -o "$W/x.docx"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^wrote the report of 2022-H1 to $W/x.docx: 11 units, 5 reports, compared with 2021-H1" \
	    "$W/out" || { fail "said: $(cat "$W/out")"; return; }
	[ ! -s "$W/err" ] || { fail "stderr: $(cat "$W/err")"; return; }
	[ "$(stat -c %a "$W/x.docx")" = 600 ] ||
	    { fail "mode $(stat -c %a "$W/x.docx")"; return; }
	# shellcheck disable=SC2086
	chk check_docx "$W/x.docx" "$ROOT/etc/units.conf" \
	    "$ROOT/etc/forms/2022.json" $LATEST || return
	# shellcheck disable=SC2086
	chk check_previous "$W/x.docx" $PREVIOUS
}

test_report_json() {
	admin --json report 2022-H1 -o "$W/j.docx" --date 2022-06-20
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["status"], r["units"], r["reports"], r["previous"]')" = \
	    "('ok', 11, 5, '2021-H1')" ] || fail "$(cat "$W/out")"
}

test_data() {
	admin report 2022-H1 --data -o "$W/data.jsonl"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	# shellcheck disable=SC2086
	chk check_data "$W/data.jsonl" "$ROOT/etc/units.conf" $LATEST || return
	# The same data through gp-report by hand: the same document.
	run "$GP_REPORT" -o "$W/byhand.docx" "$W/data.jsonl"
	[ "$RC" -eq 0 ] || { fail "gp-report: exit $RC: $(cat "$W/err")"; return; }
	"$PYTHON" - "$W/x.docx" "$W/byhand.docx" <<'PY' || fail "another document"
import sys, zipfile
a, b = (zipfile.ZipFile(p).read("word/document.xml") for p in sys.argv[1:])
sys.exit(a != b)
PY
}

# The year before has a form but nothing stored (no annual report of
# 2021), and nobody reported the annual 2022 yet: a document that stands
# alone and says so, no comparison.
test_report_alone() {
	admin --json report 2022 -o "$W/annual.docx"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["units"], r["reports"], r["previous"]')" = \
	    "(11, 0, None)" ] || { fail "$(cat "$W/out")"; return; }
	admin report 2022 --data -o "$W/annual.jsonl"
	[ "$RC" -eq 0 ] || { fail "data: exit $RC: $(cat "$W/err")"; return; }
	"$PYTHON" - "$W/annual.docx" "$W/annual.jsonl" <<'PY' || fail "see above"
import docx, json, sys, zipfile
head = json.JSONDecoder().raw_decode(open(sys.argv[2], encoding="utf-8").read())[0]
if "previous" in head or head["period"]["id"] != "2022":
    sys.exit(print("header: %r" % {k: head[k] for k in head if k != "form"}) or 1)
paras = [p.text for p in docx.Document(sys.argv[1]).paragraphs]
if "Kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2022" not in paras:
    sys.exit(print("title: %r" % paras[:4]) or 1)
if any("cùng kỳ" in p for p in paras) or any(
        n.startswith("word/media/") for n in zipfile.ZipFile(sys.argv[1]).namelist()):
    sys.exit(print("a comparison or a chart") or 1)
PY
}

test_unit_refused() {
	client_as lc-sinho report 2022-H1 -o "$W/unit.docx"
	[ "$RC" -eq 77 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ ! -e "$W/unit.docx" ] || fail "a document was written"
	[ "$(q "select count(*) from audit where cn = 'lc-sinho' and
	    result = 'refused'")" -ge 1 ] || fail "the refusal is not audited"
}

test_gp_report_missing() {
	# A gp-client alone in its directory, gp-report nowhere it looks.
	mkdir -p "$W/alone"
	cp "$GP_CLIENT" "$W/alone/gp-client"
	if [ -x /usr/local/bin/gp-report ] || [ -x /usr/bin/gp-report ]; then
		echo "# gp-report is installed on this machine: only the configured path is tried"
	else
		run env -u GP_REPORT "$W/alone/gp-client" -c "$W/admin.conf" \
		    report 2022-H1 -o "$W/none.docx"
		[ "$RC" -eq 69 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
		grep -q "gp-report, which writes the document, is not installed.*apt install gp-report" \
		    "$W/err" || { fail "said: $(cat "$W/err")"; return; }
	fi
	sed 's|^\[report\]|&\ngp_report = /nonexistent/gp-report|' \
	    "$W/admin.conf" > "$W/noprog.conf"
	run env -u GP_REPORT "$W/alone/gp-client" -c "$W/noprog.conf" \
	    report 2022-H1 -o "$W/none.docx"
	[ "$RC" -eq 69 ] || { fail "configured: exit $RC: $(cat "$W/err")"; return; }
	grep -q "/nonexistent/gp-report.*Debian package gp-report" "$W/err" ||
	    { fail "configured: said $(cat "$W/err")"; return; }
	[ ! -e "$W/none.docx" ] || fail "a document was written"
}

# --accepted: the province accepts one unit's report; the data holds the
# report of that unit only, every other unit still listed with its review
# state, and the document is written.
test_accepted() {
	admin review lc-tamduong 2022-H1 accept
	[ "$RC" -eq 0 ] || { fail "review: exit $RC: $(cat "$W/err")"; return; }
	admin report 2022-H1 --accepted --data -o "$W/acc.jsonl"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	"$PYTHON" - "$W/acc.jsonl" <<'PY' || { fail "see above"; return; }
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec, i, units = json.JSONDecoder(), 0, {}
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    rec, i = dec.raw_decode(text, i)
    if "unit" in rec:
        units[rec["unit"]["code"]] = rec["unit"]
with_report = sorted(c for c, u in units.items() if "report" in u)
if with_report != ["lc-tamduong"]:
    sys.exit(print("reports kept: %r" % with_report) or 1)
if units["lc-tamduong"].get("review") != "accepted":
    sys.exit(print("state: %r" % units["lc-tamduong"].get("review")) or 1)
others = [u.get("review") for c, u in units.items()
          if c != "lc-tamduong" and u["submission"] != "missing"]
if not others or any(r != "received" for r in others):
    sys.exit(print("others: %r" % others) or 1)
PY
	admin report 2022-H1 --accepted -o "$W/acc.docx"
	[ "$RC" -eq 0 ] || { fail "docx: exit $RC: $(cat "$W/err")"; return; }
	[ -s "$W/acc.docx" ] || fail "no document"
}

test_usage() {
	admin report 2022-H1
	[ "$RC" -eq 64 ] || { fail "no -o: exit $RC"; return; }
	admin report 2022-H1 -o -
	[ "$RC" -eq 64 ] || { fail "-o -: exit $RC"; return; }
	admin report 2022-H1 -o "$W/d.docx" --date 2022-13-01
	[ "$RC" -eq 64 ] || { fail "--date: exit $RC"; return; }
	admin report 2031-H1 -o "$W/d.docx"
	[ "$RC" -eq 65 ] || { fail "2031: exit $RC: $(cat "$W/err")"; return; }
	grep -q "no form for 2031" "$W/err" || fail "2031: $(cat "$W/err")"
	sed 's|^\[report\]|&\nsigner = X|' "$W/admin.conf" > "$W/bad.conf"
	run "$GP_CLIENT" -c "$W/bad.conf" report 2022-H1 -o "$W/d.docx"
	[ "$RC" -eq 78 ] || { fail "bad key: exit $RC"; return; }
	grep -q "unknown key 'signer' in \[report\]" "$W/err" ||
	    fail "bad key: $(cat "$W/err")"
}

# export --format xlsx: its chart sheet, read with openpyxl; LibreOffice
# converts it (the suite's one conversion of a spreadsheet).
test_export_charts() {
	admin export 2022-H1 --format xlsx -o "$W/x.xlsx"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	# shellcheck disable=SC2086
	chk check_xlsx "$W/x.xlsx" "$ROOT/etc/forms/2022.json" \
	    "$ROOT/etc/units.conf" $LATEST || return
	chk check_print "$W/x.xlsx" 2022-H1 || return
	if [ "$SOFFICE" = no ]; then
		echo "# LibreOffice skipped (SOFFICE=no)"
		return 0
	fi
	RC=0
	timeout 180 "$SOFFICE" -env:UserInstallation="file://$W/lo" \
	    --headless --convert-to pdf --outdir "$W" "$W/x.xlsx" \
	    >"$W/out" 2>"$W/err" </dev/null || RC=$?
	[ "$RC" -eq 0 ] && [ -s "$W/x.pdf" ] ||
	    { fail "soffice: exit $RC, $(cat "$W/out" "$W/err")"; return; }
	! grep -qi "error" "$W/err" || { fail "soffice: $(cat "$W/err")"; return; }
	pdftotext -layout "$W/x.pdf" "$W/x.txt" ||
	    { fail "pdftotext: exit $?"; return; }
	chk check_print_pdf "$W/x.txt" 2022-H1
}

test_summary_compare() {
	admin --json summary 2022-H1 --by area --compare 2021-H1
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	# shellcheck disable=SC2086
	chk check_compare_json "$W/out" "$ROOT/etc/forms/2022.json" \
	    "$W/forms/2021.json" 5 $LATEST $PREVIOUS || return
	admin --csv summary 2022-H1 --by unit --compare 2021-H1
	[ "$RC" -eq 0 ] || { fail "csv: exit $RC: $(cat "$W/err")"; return; }
	chk check_compare_csv "$W/out" || return
	admin summary 2022-H1 --by area --compare 2021-H1
	[ "$RC" -eq 0 ] || { fail "text: exit $RC: $(cat "$W/err")"; return; }
	grep -q "Cuộc vận động riêng năm 2021 (only in 2021-H1)" "$W/out" ||
	    { fail "text: $(cat "$W/out")"; return; }
	grep -q "^2021-H1: 3 reports from 11 units expected" "$W/out" ||
	    { fail "text: $(cat "$W/out")"; return; }
	for by in occasion kind status type; do
		admin --json summary 2022-H1 --by "$by" --compare 2021-H1
		[ "$RC" -eq 0 ] ||
		    { fail "--by $by: exit $RC: $(cat "$W/err")"; return; }
		# shellcheck disable=SC2086
		chk check_compare_by "$W/out" "$by" 5 $LATEST $PREVIOUS || return
	done
	admin summary 2022-H1 --compare 2022-H1
	[ "$RC" -eq 64 ] || fail "the same period: exit $RC"
}

# gp-client loads none of gp-report's libraries: a unit's submit stays as
# light as before.
test_no_drawing_libraries() {
	local needed
	needed=$(readelf -d "$GP_CLIENT" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
	if printf '%s\n' "$needed" | grep -E 'cairo|pango|png|zip|minizip|libz\.'; then
		fail "gp-client links $(printf '%s ' "$needed")"
	fi
}

t "units submit for 2022-H1 and 2021-H1" test_submit
t "report: the document names every unit, area and the totals" test_report
t "report --json" test_report_json
t "report --data: the report data; gp-report by hand writes the same" \
    test_data
t "report of a period nobody reported, no year before stored" \
    test_report_alone
t "a unit's certificate is refused (77)" test_unit_refused
t "gp-report missing: said plainly, exit 69" test_gp_report_missing
t "--accepted: only the accepted reports, every unit listed" test_accepted
t "usage and configuration mistakes" test_usage
t "export xlsx: the chart sheet over the summary's rows; each sheet's printed pages; LibreOffice prints it so" \
    test_export_charts
t "summary --compare: both years beside each other by every --by, labels of each form" \
    test_summary_compare
t "gp-client links no drawing or zip library" test_no_drawing_libraries
summary
