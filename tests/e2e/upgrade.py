"""Compares what gp-client printed for a database made before report forms
(tests/data/legacy/before) with what it prints after gpd migrated it.

    upgrade.py KIND BEFORE AFTER

KIND is list, missing, summary, export, show or history. Every figure and
every code must be the same; labels may differ (they are the 2022 form's
now), and an indicator without a women's share has no women's figure any
more. Prints nothing and exits 0, or prints what differs and exits 1.
"""
import json
import sys

# Indicators the 2022 form gives no women's share.
NO_SHARE = {"inspections", "gbv_cases_detected", "gbv_cases_handled"}

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


def rows(kind, before, after, where):
    same(where + " rows", len(before), len(after))
    for i, (a, b) in enumerate(zip(before, after)):
        for k in ROW_KEYS[kind]:
            same("%s[%d].%s" % (where, i, k), a.get(k), b.get(k))


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
            same("summary.total." + k, before["total"].get(k),
                 after["total"].get(k))
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
            same("history[%d].changes" % i, a.get("changes"),
                 b.get("changes"))
            indicators(a["indicators"], b["indicators"],
                       "history[%d].indicators" % i)
    else:
        sys.exit("upgrade.py: unknown kind " + kind)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
