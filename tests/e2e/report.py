"""Checks of a gp-report document with real readers (tests/e2e/report.sh).

    report.py docx DATA.jsonl FILE.docx   python-docx and the package itself
    report.py pdf DATA.jsonl FILE.txt     the text LibreOffice's PDF holds

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the
number of failures. Figures are computed here from the data, in Python, and
compared with what the document says.
"""
import json
import re
import struct
import sys
import zipfile
import xml.dom.minidom

FAILS = 0


def check(name, cond, why=""):
    global FAILS
    if cond:
        print("ok", name)
    else:
        FAILS += 1
        print("FAIL %s: %s" % (name, why))


def vn(n):
    """1745 -> '1.745'"""
    return "{:,}".format(n).replace(",", ".")


def load(path):
    header, units, previous = None, [], []
    dec = json.JSONDecoder()
    text = open(path, encoding="utf-8").read()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            break
        obj, i = dec.raw_decode(text, i)
        if header is None:
            header = obj
        elif "unit" in obj:
            units.append(obj["unit"])
        else:
            previous.append(obj["previous_unit"])
    return header, units, previous


def totals(units):
    done = dict(activities=0, participants=0, female=0, sessions=0)
    planned = dict(activities=0, participants=0)
    for u in units:
        for a in (u.get("report") or {}).get("activities", []):
            if a["status"] == "done":
                done["activities"] += 1
                done["participants"] += a.get("participants", 0)
                done["female"] += a.get("female", 0)
                done["sessions"] += a.get("sessions", 0)
            else:
                planned["activities"] += 1
                planned["participants"] += a.get("participants", 0)
    return done, planned


def check_docx(data, path):
    import docx
    from docx.shared import Mm

    header, units, _ = load(data)
    form = header["form"]
    d = docx.Document(path)
    paras = [p.text for p in d.paragraphs]
    body = "\n".join(paras)

    # The masthead: the first table, two columns.
    mast = d.tables[0]
    left = mast.cell(0, 0).text
    right = mast.cell(0, 1).text
    check("masthead parent body", "TỔNG LĐLĐ VIỆT NAM" in left, left)
    check("masthead issuing body", "LĐLĐ TỈNH LAI CHÂU" in left, left)
    check("masthead nation", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right,
          right)
    check("masthead motto", "Độc lập - Tự do - Hạnh phúc" in right, right)
    check("masthead number", "/BC-LĐLĐ" in mast.cell(1, 0).text)
    check("place and date", mast.cell(1, 1).text ==
          "Lai Châu, ngày 20 tháng 6 năm 2022", mast.cell(1, 1).text)
    check("title", "BÁO CÁO" in paras, paras[:4])
    check("subject", "Kết quả thực hiện công tác bình đẳng giới và vì sự "
          "tiến bộ của phụ nữ 6 tháng đầu năm 2022" in paras)

    # Every content area of the form, numbered, under II.
    for i, a in enumerate(form["areas"]):
        h = "%d. %s" % (i + 1, a["label"])
        check("area heading %s" % a["code"], h in paras, h)
    for roman in ("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ",
                  "II. KẾT QUẢ THỰC HIỆN",
                  "III. Ý KIẾN, ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ",
                  "IV. TỔNG KẾT 15 NĂM THI HÀNH LUẬT BÌNH ĐẲNG GIỚI"):
        check("heading %s" % roman[:4], roman in paras, roman)
    # Every unit, by name, in the annex; late and missing ones named.
    for i, u in enumerate(units):
        h = "%d. %s" % (i + 1, u["name"])
        check("unit %s in the annex" % u["code"], h in paras, h)
    late = [u["name"] for u in units if u["submission"] == "late"]
    missing = [u["name"] for u in units if u["submission"] == "missing"]
    check("late named", all(n in body for n in late) and late, late)
    check("missing named", any(p.startswith("- Đơn vị chưa gửi báo cáo: ")
                               and missing[0] in p for p in paras), missing)
    check("recipients", any("Nơi nhận:" in t.cell(0, 0).text
                            for t in d.tables))
    # Narratives attributed to their unit.
    prop = [u for u in units if (u.get("report") or {}).get(
        "narrative", {}).get("proposals")]
    check("proposals attributed", all(
        ("- %s: %s" % (u["name"], u["report"]["narrative"]["proposals"]))
        in paras for u in prop) and prop)

    # Table 1's total row agrees with sums made here.
    done, planned = totals(units)
    t1 = next(t for t in d.tables if t.rows[0].cells[0].text == "STT" and
              "Đã thực hiện" in t.rows[0].cells[2].text)
    total = [c.text for c in t1.rows[-1].cells]
    check("table 1 totals", total[2:7] == [
        vn(done["activities"]), vn(done["sessions"]),
        vn(done["participants"]), vn(done["female"]),
        ("%.1f%%" % (100.0 * done["female"] / done["participants"]))
        .replace(".", ",")] and total[7:9] == [
        vn(planned["activities"]), vn(planned["participants"])], total)

    # Women's share only for indicators that have one.
    noshare = [i["label"] for i in form["indicators"]
               if not i.get("female_share")]
    for t in d.tables:
        head = [c.text for c in t.rows[0].cells]
        for lbl in noshare:
            if lbl in head:
                k = head.index(lbl)
                sub = t.rows[1].cells[k].text
                check("no female column for %s" % lbl, sub == "Tổng số",
                      sub)

    # Page: A4, Decree 30 margins; header rows repeat.
    s = d.sections[0]
    check("A4", abs(s.page_width - Mm(210)) < Mm(1) and
          abs(s.page_height - Mm(297)) < Mm(1))
    check("margins", abs(s.left_margin - Mm(30)) < Mm(1) and
          abs(s.right_margin - Mm(15)) < Mm(1) and
          abs(s.top_margin - Mm(20)) < Mm(1) and
          abs(s.bottom_margin - Mm(20)) < Mm(1))
    ruled = [t for t in d.tables[1:] if t.rows[0].cells[0].text == "STT"]
    check("header rows repeat", ruled and all(
        "w:tblHeader" in t.rows[0]._tr.xml for t in ruled))

    # The package: every XML part parses, every relationship's target
    # exists, every image a PNG as large as the document says.
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    check("content types first", z.namelist()[0] == "[Content_Types].xml")
    for n in names:
        if n.endswith(".xml") or n.endswith(".rels"):
            try:
                xml.dom.minidom.parseString(z.read(n))
            except Exception as e:  # noqa: BLE001
                check("well-formed %s" % n, False, e)
    rels = z.read("word/_rels/document.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    check("relationship targets", all(
        ("word/" + t) in names for t in targets.values()), targets)
    docxml = z.read("word/document.xml").decode()
    images = re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"/>.*?'
                        r'r:embed="(rId\d+)"', docxml)
    check("charts embedded", len(images) >= 6, len(images))
    for cx, cy, rid in images:
        png = z.read("word/" + targets[rid])
        ok = png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
        w, h = struct.unpack(">II", png[16:24])
        check("image %s" % targets[rid], ok and w == 1600 and
              int(cx) == 5760000 and int(cy) == 5760000 * h // 1600,
              (w, h, cx, cy))
    ct = z.read("[Content_Types].xml").decode()
    for part in ("/word/document.xml", "/word/styles.xml",
                 "/word/settings.xml", "/word/fontTable.xml",
                 "/word/header1.xml", "/docProps/core.xml"):
        check("content type of %s" % part, 'PartName="%s"' % part in ct)


def check_pdf(data, path):
    header, units, _ = load(data)
    text = open(path, encoding="utf-8").read()
    flat = re.sub(r"\s+", " ", text)
    for s in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "Độc lập - Tự do - Hạnh phúc",
              "Lai Châu, ngày 20 tháng 6 năm 2022", "BÁO CÁO",
              "TỔNG KẾT 15 NĂM THI HÀNH LUẬT BÌNH ĐẲNG GIỚI", "Nơi nhận:",
              "Đồng Thị Nghĩa", "Biểu đồ 1."):
        check("pdf says %s" % s, s in flat)
    for u in units:
        check("pdf names %s" % u["code"], u["name"] in flat, u["name"])


if __name__ == "__main__":
    {"docx": check_docx, "pdf": check_pdf}[sys.argv[1]](sys.argv[2],
                                                         sys.argv[3])
    sys.exit(min(FAILS, 100))
