"""Compares what gp-client printed for a database made before report forms
(tests/data/legacy/before) with what it prints after gpd migrated it.

    upgrade.py KIND BEFORE AFTER

KIND is list, missing, summary, export, show or history. Every figure and
every code must be the same; labels may differ (they are the 2022 form's
now), and an indicator without a women's share has no women's figure any
more. Since issue 15 the figures of done and planned activities come apart
(the sum of both is what was one figure before) and times carry the
federation's offset (the same instant as the UTC time before). Prints
nothing and exits 0, or prints what differs and exits 1.
"""
import datetime
import json
import sys

# Indicators the 2022 form gives no women's share.
NO_SHARE = {"inspections", "gbv_cases_detected", "gbv_cases_handled"}

FIGURES = ("activities", "sessions", "participants", "female")

ROW_KEYS = {
    "list": ["unit", "unit_name", "period", "revision", "received_at",
             "late", "days_late", "activities", "sessions", "participants",
             "female", "receipt", "submission_id", "cert_cn",
             "cert_fingerprint"],
    "missing": ["unit", "unit_name", "status", "days_late", "received_at",
                "revision"],
    "summary": ["key", "reports", "activities", "sessions", "participants",
                "female", "female_percent"],
    "export": ["unit", "unit_name", "period", "revision", "index", "area",
               "kind", "occasion", "status", "date", "end_date", "title",
               "location", "sessions", "participants", "female", "notes"],
}

problems = []


def same(what, a, b):
    if a != b:
        problems.append("%s: before %r, after %r" % (what, a, b))


def instant(s):
    """An RFC 3339 time, as a UTC instant; anything else as it is."""
    if not isinstance(s, str):
        return s
    try:
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return s


def share(part, whole):
    return None if whole == 0 else round(100 * part / whole, 1)


def value(row, k):
    """What a key of a row before issue 15 reads as now: a figure is done
    and planned added; a time the same instant."""
    if k in FIGURES and "done" in row:
        return row["done"][k] + row["planned"][k]
    if k == "female_percent" and "done" in row:
        return share(value(row, "female"), value(row, "participants"))
    if k == "received_at":
        return instant(row.get(k))
    return row.get(k)


def rows(kind, before, after, where):
    same(where + " rows", len(before), len(after))
    for i, (a, b) in enumerate(zip(before, after)):
        for k in ROW_KEYS[kind]:
            same("%s[%d].%s" % (where, i, k), value(a, k), value(b, k))


def indicators(before, after, where):
    same(where + " codes", [x["code"] for x in before],
         [x["code"] for x in after])
    for a, b in zip(before, after):
        same("%s.%s.total" % (where, a["code"]), a["total"], b["total"])
        if a["code"] in NO_SHARE:
            if "female" in b and b.get("female") is not None and \
                    where.startswith("summary"):
                problems.append("%s.%s: a women's figure is shown where "
                                "the form has no share" % (where, a["code"]))
        else:
            same("%s.%s.female" % (where, a["code"]), a.get("female"),
                 b.get("female"))


def report(before, after, where):
    """A report as show --json prints it: the same content, codes and
    texts; a section keeps its key."""
    b = dict(after)
    a = dict(before)
    for k in ("id", "unit", "period", "reporter", "narrative",
              "law_review"):
        same("%s.%s" % (where, k), a.get(k), b.get(k))
    same(where + ".activities", a.get("activities"), b.get("activities"))
    ia, ib = a.get("indicators", {}), b.get("indicators", {})
    same(where + ".indicators codes", list(ia), list(ib))
    for code in ia:
        same("%s.indicators.%s.total" % (where, code), ia[code]["total"],
             ib.get(code, {}).get("total"))
        # Kept as given, even where the form has no share.
        same("%s.indicators.%s.female" % (where, code),
             ia[code].get("female"), ib.get(code, {}).get("female"))


def main():
    kind, before_path, after_path = sys.argv[1:4]
    before = json.load(open(before_path, encoding="utf-8"))
    after = json.load(open(after_path, encoding="utf-8"))
    if kind in ("list", "export"):
        rows(kind, before, after, kind)
    elif kind == "missing":
        rows(kind, before["rows"], after["rows"], "missing")
        for k in ("expected", "reported", "on_time", "due", "coverage_from",
                  "coverage_to", "reported_percent", "on_time_percent"):
            same("missing." + k, before.get(k), after.get(k))
    elif kind == "summary":
        rows(kind, before["rows"], after["rows"], "summary")
        for k in ROW_KEYS["summary"][1:]:
            same("summary.total." + k, value(before["total"], k),
                 value(after["total"], k))
        same("summary.expected", before.get("expected"),
             after.get("expected"))
        indicators(before["indicators"], after["indicators"],
                   "summary.indicators")
    elif kind == "show":
        rows("list", [before["meta"]], [after["meta"]], "show.meta")
        report(before["report"], after["report"], "show.report")
        same("show.warnings", before["warnings"], after["warnings"])
    elif kind == "history":
        rows("list", before, after, "history")
        for i, (a, b) in enumerate(zip(before, after)):
            # Changes of indicators by name; of the figures, as the sum of
            # done and planned moved.
            same("history[%d].changes" % i,
                 [c for c in a.get("changes", []) if c["field"] not in
                  FIGURES],
                 [c for c in b.get("changes", []) if "." in c["field"] and
                  not c["field"].startswith(("done.", "planned."))])
            for k in FIGURES:
                was = [c for c in a.get("changes", []) if c["field"] == k]
                now = (value(after[i - 1], k), value(b, k)) if i > 0 else \
                    (0, 0)
                same("history[%d].%s moved" % (i, k),
                     (was[0]["from"], was[0]["to"]) if was else None,
                     now if now[0] != now[1] else None)
            indicators(a["indicators"], b["indicators"],
                       "history[%d].indicators" % i)
    else:
        sys.exit("upgrade.py: unknown kind " + kind)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
