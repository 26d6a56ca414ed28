"""Makes report data for N units from the 11-unit fixture (make bench-report).

    report-data.py N < tests/data/report-2022-H1.jsonl > data.jsonl

Unit i is a copy of fixture unit i mod 11 under its own code and name, with
the same activities, indicators and texts; the previous year likewise. The
header is the fixture's. Deterministic: the same N gives the same bytes.
"""
import json
import sys


def main():
    n = int(sys.argv[1])
    dec = json.JSONDecoder()
    text = sys.stdin.read()
    i, records = 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            break
        obj, i = dec.raw_decode(text, i)
        records.append(obj)
    header, rest = records[0], records[1:]
    units = [r["unit"] for r in rest if "unit" in r]
    prev = [r["previous_unit"] for r in rest if "previous_unit" in r]
    out = sys.stdout
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    for key, src in (("unit", units), ("previous_unit", prev)):
        for k in range(n):
            u = dict(src[k % len(src)])
            u["code"] = "u%04d-%s" % (k, u["code"])
            u["name"] = "%s (%d)" % (u["name"], k + 1)
            out.write(json.dumps({key: u}, ensure_ascii=False) + "\n")


main()
