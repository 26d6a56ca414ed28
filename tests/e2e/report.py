"""Checks of a gp-report document with real readers (tests/e2e/report.sh).

    report.py docx DATA.jsonl FILE.docx   python-docx and the package itself
    report.py pdf DATA.jsonl FILE.txt     the text LibreOffice's PDF holds
    report.py settings DATA.jsonl FILE.docx   other settings, no year before
    report.py empty DATA.jsonl FILE.docx      a period no unit reported

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


def share(part, whole):
    """'64,3%', or '-' when there is no whole"""
    if whole == 0:
        return "-"
    return ("%.1f%%" % (100.0 * part / whole)).replace(".", ",")


def done_by_area(units):
    """Per area code: units that did something, and the sums."""
    t = {}
    for u in units:
        seen = set()
        for a in (u.get("report") or {}).get("activities", []):
            v = t.setdefault(a["area"], dict(units=0, activities=0,
                                             sessions=0, participants=0,
                                             female=0, p_activities=0,
                                             p_participants=0))
            if a["status"] == "done":
                if a["area"] not in seen:
                    seen.add(a["area"])
                    v["units"] += 1
                v["activities"] += 1
                for k in ("sessions", "participants", "female"):
                    v[k] += a.get(k, 0)
            else:
                v["p_activities"] += 1
                v["p_participants"] += a.get("participants", 0)
    return t


def between(paras, start, stops):
    """The paragraphs after the first equal to start, up to one in stops
    or starting like a numbered heading of the same level."""
    i = paras.index(start) + 1
    out = []
    while i < len(paras) and paras[i] not in stops and not re.match(
            r"^(\d+|[IVX]+)\. |^Trên đây là báo cáo ", paras[i]):
        out.append(paras[i])
        i += 1
    return out


def grid(table):
    """A table's text as rows of grid cells (a merged cell repeated)."""
    return [[c.text for c in r.cells] for r in table.rows]


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

    # The body's font and size (Decree 30: Times New Roman, 13-14 pt),
    # in the document's defaults.
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    defaults = re.search(r"<w:rPrDefault>(.*?)</w:rPrDefault>", styles, re.S)
    check("body font Times New Roman", defaults and
          'w:ascii="Times New Roman"' in defaults.group(1) and
          'w:hAnsi="Times New Roman"' in defaults.group(1))
    size = re.search(r'<w:sz w:val="(\d+)"/>', defaults.group(1)
                     if defaults else "")
    check("body 13-14 pt", size and int(size.group(1)) in (26, 28),
          size and size.group(1))

    # Each content area: its sentence of figures, summed here, and its
    # row of table 1; its highlights are activities of that area, done,
    # named by their unit, at most as many as the document asks.
    by_area = done_by_area(units)
    names = {u["name"]: u for u in units}
    stops = set("%d. %s" % (i + 1, a["label"])
                for i, a in enumerate(form["areas"]))
    want_hl = header["document"].get("highlights", 5)
    for i, a in enumerate(form["areas"]):
        v = by_area.get(a["code"])
        body = between(paras, "%d. %s" % (i + 1, a["label"]), stops)
        if v is None or v["activities"] == 0:
            continue
        sentence = ("%d đơn vị đã tổ chức %s hoạt động (%s buổi) với %s "
                    "lượt người tham gia, trong đó %s lượt nữ (%s)." % (
                        v["units"], vn(v["activities"]), vn(v["sessions"]),
                        vn(v["participants"]), vn(v["female"]),
                        share(v["female"], v["participants"])))
        check("figures of %s" % a["code"], body and
              body[0].startswith(sentence), (body[:1], sentence))
        if v["p_activities"]:
            check("planned apart in %s" % a["code"], body and (
                "Ước thực hiện đến hết kỳ báo cáo: %s hoạt động với %s "
                "lượt người tham gia (chưa tính vào số đã thực hiện)." % (
                    vn(v["p_activities"]), vn(v["p_participants"]))
                in body[0]), body[:1])
        hl = body[body.index("Một số hoạt động tiêu biểu:") + 1:] \
            if "Một số hoạt động tiêu biểu:" in body else []
        check("highlights of %s" % a["code"],
              0 < len(hl) <= want_hl, len(hl))
        for line in hl:
            m = re.match(r"^- (.+?): (.*)$", line)
            u = names.get(m.group(1)) if m else None
            acts = [x for x in (u or {}).get("report", {}).get(
                "activities", []) if x["area"] == a["code"] and
                x["status"] == "done" and line[len(m.group(1)) + 4:]
                .startswith(x["title"] + " (")] if u else []
            check("highlight in %s is %s's" % (a["code"], m and m.group(1)),
                  acts and any(
                      ("%s lượt người, %s nữ)." % (vn(x.get("participants",
                                                           0)),
                                                    vn(x.get("female", 0))))
                      in line and x.get("location", "") in line
                      for x in acts), line)

    t1 = next(t for t in d.tables if t.rows[0].cells[0].text == "STT" and
              "Đã thực hiện" in t.rows[0].cells[2].text)
    rows = grid(t1)
    for i, a in enumerate(form["areas"]):
        v = by_area.get(a["code"], dict(activities=0, sessions=0,
                                        participants=0, female=0,
                                        p_activities=0, p_participants=0))
        row = next((r for r in rows if r[0] == str(i + 1)), None)
        check("table 1 row %s" % a["code"], row is not None and row[2:9] == [
            vn(v["activities"]), vn(v["sessions"]), vn(v["participants"]),
            vn(v["female"]), share(v["female"], v["participants"]),
            vn(v["p_activities"]), vn(v["p_participants"])], row)

    # The indicators by unit: every indicator in a table, each unit's
    # figures, the totals summed here, women's shares where the form has
    # them.
    reported = [u for u in units if u.get("report")]
    found = set()
    for t in d.tables:
        g = grid(t)
        if len(g) < 3 or g[0][:2] != ["STT", "Đơn vị"] or \
                g[1][2] not in ("Tổng số",):
            continue
        total = next(r for r in g if r[1] == "Tổng cộng")
        shares = next(r for r in g if r[1] == "Tỷ lệ nữ")
        for ind in form["indicators"]:
            if ind["label"] not in g[0]:
                continue
            found.add(ind["code"])
            k = g[0].index(ind["label"])
            tot = sum(u["report"].get("indicators", {}).get(
                ind["code"], {}).get("total", 0) for u in reported)
            fem = sum(u["report"].get("indicators", {}).get(
                ind["code"], {}).get("female", 0) for u in reported)
            check("indicator %s total" % ind["code"], total[k] == vn(tot),
                  (total[k], tot))
            for u in reported:
                r = next((r for r in g if r[1] == u["name"]), None)
                v = u["report"].get("indicators", {}).get(ind["code"], {})
                check("indicator %s of %s" % (ind["code"], u["code"]),
                      r is not None and r[k] == vn(v.get("total", 0)), r)
            if ind.get("female_share"):
                check("indicator %s female" % ind["code"],
                      g[1][k + 1] == "Nữ" and total[k + 1] == vn(fem),
                      (g[1][k + 1], total[k + 1], fem))
                check("indicator %s share" % ind["code"],
                      shares[k] == share(fem, tot), (shares[k], fem, tot))
    check("every indicator in a table",
          found == set(i["code"] for i in form["indicators"]),
          set(i["code"] for i in form["indicators"]) - found)

    # Every narrative text and every text of the law review, under its
    # heading, attributed to its unit, in the units' order.
    for roman, fields, get in (
            ("III. Ý KIẾN, ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ", form["narrative"],
             lambda r: r.get("narrative", {})),
            ("IV. TỔNG KẾT 15 NĂM THI HÀNH LUẬT BÌNH ĐẲNG GIỚI",
             form["sections"][0]["fields"],
             lambda r: r.get("law_review", {}))):
        rest = paras[paras.index(roman) + 1:]
        for i, f in enumerate(fields):
            h = "%d. %s" % (i + 1, f["label"])
            want = ["- %s: %s" % (u["name"], get(u["report"])[f["code"]])
                    for u in reported if get(u["report"]).get(f["code"])]
            got = between(rest, h, set())
            check("%s %s attributed" % (roman.split(".")[0], f["code"]),
                  got == (want or ["Không có đơn vị nào nêu."]),
                  (got[:2], want[:2]))

    # The charts, in order, with the year before.
    captions = [p for p in paras if p.startswith("Biểu đồ ")]
    check("chart captions", captions == [
        "Biểu đồ 1. Số hoạt động đã thực hiện theo nội dung",
        "Biểu đồ 2. Lượt người tham gia theo nội dung",
        "Biểu đồ 3. Hoạt động đã thực hiện và ước thực hiện theo nội dung",
        "Biểu đồ 4. Lượt người tham gia theo đơn vị",
        "Biểu đồ 5. Tỷ lệ nữ theo chỉ tiêu, 6 tháng đầu năm 2022 so với "
        "cùng kỳ năm 2021",
        "Biểu đồ 6. Lượt người tham gia theo nội dung, 6 tháng đầu năm "
        "2022 so với cùng kỳ năm 2021"], captions)

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
        # 8-bit grey: series told apart by fill, as a black-and-white
        # printer shows them.
        check("image %s grey" % targets[rid], png[24:26] == b"\x08\x00",
              png[24:26])
        check("image %s" % targets[rid], ok and w == 1600 and
              int(cx) == 5760000 and int(cy) == 5760000 * h // 1600,
              (w, h, cx, cy))
    ct = z.read("[Content_Types].xml").decode()
    for part in ("/word/document.xml", "/word/styles.xml",
                 "/word/settings.xml", "/word/fontTable.xml",
                 "/word/header1.xml", "/docProps/core.xml"):
        check("content type of %s" % part, 'PartName="%s"' % part in ct)


def check_settings(data, path):
    """A document whose [report] settings are not Lai Châu's defaults,
    with characters XML escapes, and no year before (report.sh's
    test_settings writes the data)."""
    import docx

    header, units, previous = load(data)
    doc = header["document"]
    d = docx.Document(path)
    paras = [p.text for p in d.paragraphs]
    mast = d.tables[0]
    check("parent body", mast.cell(0, 0).paragraphs[0].text ==
          doc["parent_body"], mast.cell(0, 0).text)
    check("issuing body", mast.cell(0, 0).paragraphs[1].text == doc["body"],
          mast.cell(0, 0).text)
    check("number", mast.cell(1, 0).text == doc["number"],
          mast.cell(1, 0).text)
    check("place and date", mast.cell(1, 1).text ==
          "%s, ngày 01 tháng 7 năm 2022" % doc["place"], mast.cell(1, 1).text)
    check("subject", "%s 6 tháng đầu năm 2022" % doc["subject"] in paras,
          paras[:4])
    check("body name opens", any(p.endswith("; căn cứ báo cáo của các đơn "
                                            "vị, %s tổng hợp, báo cáo như "
                                            "sau:" % doc["body_name"])
                                 for p in paras))
    check("body name closes", "Trên đây là báo cáo %s%s 6 tháng đầu năm "
          "2022 của %s./." % (doc["subject"][0].lower(), doc["subject"][1:],
                              doc["body_name"]) in paras)
    sig = next(t for t in d.tables if t.cell(0, 0).text.startswith(
        "Nơi nhận:"))
    lines = [p.text for p in sig.cell(0, 0).paragraphs]
    check("recipients", lines == ["Nơi nhận:"] + [
        "- " + doc["recipients"][0] + ";", "- " + doc["recipients"][1]],
          lines)
    signer = [p.text for p in sig.cell(0, 1).paragraphs]
    check("signature", signer == [doc["signer_authority"],
                                  doc["signer_title"], doc["signer_name"]],
          signer)
    check("annex names the report", "(Kèm theo Báo cáo số 27/BC-LĐLĐ ngày "
          "1/7/2022 của %s)" % doc["body_name"] in paras)
    # At most the highlights asked for in each area.
    n, most = 0, 0
    for p in paras:
        if p == "Một số hoạt động tiêu biểu:":
            n = 0
        elif p.startswith("- ") and n >= 0:
            n += 1
            most = max(most, n)
        else:
            n = -1
    check("highlights per area", most == doc["highlights"], most)
    # No year before: no comparison, no chart of it.
    check("no year before", not previous and not any(
        "cùng kỳ" in p for p in paras), [p for p in paras if "cùng kỳ" in p])
    captions = [p for p in paras if p.startswith("Biểu đồ ")]
    check("charts without the year before", captions == [
        "Biểu đồ 1. Số hoạt động đã thực hiện theo nội dung",
        "Biểu đồ 2. Lượt người tham gia theo nội dung",
        "Biểu đồ 3. Hoạt động đã thực hiện và ước thực hiện theo nội dung",
        "Biểu đồ 4. Lượt người tham gia theo đơn vị",
        "Biểu đồ 5. Tỷ lệ nữ theo chỉ tiêu"], captions)
    z = zipfile.ZipFile(path)
    for n in z.namelist():
        if n.endswith(".xml") or n.endswith(".rels"):
            try:
                xml.dom.minidom.parseString(z.read(n))
            except Exception as e:  # noqa: BLE001
                check("well-formed %s" % n, False, e)
    check("five images", len([n for n in z.namelist()
                              if n.startswith("word/media/")]) == 5)


def check_empty(data, path):
    """A period no unit reported: every area, the indicators and the
    units' opinions say so; every unit is listed as not reported; no
    chart of zeros."""
    import docx

    header, units, _ = load(data)
    form = header["form"]
    d = docx.Document(path)
    paras = [p.text for p in d.paragraphs]
    stops = set("%d. %s" % (i + 1, a["label"])
                for i, a in enumerate(form["areas"]))
    for i, a in enumerate(form["areas"]):
        body = between(paras, "%d. %s" % (i + 1, a["label"]), stops)
        check("nothing in %s" % a["code"], body == [
            "Trong kỳ, chưa có đơn vị nào báo cáo hoạt động thuộc nội dung "
            "này."], body)
    check("no indicators", "Chưa có đơn vị nào báo cáo các chỉ tiêu." in
          paras)
    check("no opinions", paras.count("Không có đơn vị nào nêu.") ==
          len(form["narrative"]))
    check("everyone missing", any(p.startswith(
        "- Đơn vị chưa gửi báo cáo: ") and all(u["name"] in p for u in units)
        for p in paras))
    annex = next(t for t in d.tables if t.rows[0].cells[0].text == "STT" and
                 t.rows[0].cells[3].text == "Tình trạng")
    check("annex 1", [r.cells[3].text for r in annex.rows[1:]] ==
          ["Chưa báo cáo"] * len(units))
    check("no charts", not any(p.startswith("Biểu đồ ") for p in paras) and
          not any(n.startswith("word/media/")
                  for n in zipfile.ZipFile(path).namelist()))


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
    {"docx": check_docx, "pdf": check_pdf,
     "settings": check_settings, "empty": check_empty}[sys.argv[1]](sys.argv[2], sys.argv[3])
    sys.exit(min(FAILS, 100))
