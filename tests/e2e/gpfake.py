#!/usr/bin/env python3
"""gpfake: a gp/1 server that lies, for the client tests of attack.sh.

It speaks the frames by hand (gpwire.py) over TLS with ALPN gp/1 on
127.0.0.1, port 0 (the kernel's choice, written to --port-file), and
answers every connection the way MODE says until it is killed:

    receipt     a submit gets a receipt signed over the report it received
                (--sign-cert/--sign-key: another signer; --claim F=V: a
                field changed before signing; --tamper F=V: after; --unsigned)
                with the warnings of WARNINGS below (--warnings codes: a
                code for each; uneven: one code fewer than warnings)
    text        every answer carries hostile text (HOSTILE below) in every
                text field: a refusal of a submit, whoami, units, list,
                show, history, missing, summary, export, audit, review and
                status; the longest texts (comments, labels, notes) are
                over-long lines of it (LONG)
    trickle     a streamed answer (units, list, audit, export) that never
                ends: a frame every --interval seconds, each with more set

What it saw goes to --log, one fact a line, for the test to assert:

    conn                     a TLS connection was accepted
    request ID BODY          a request (BODY: the body's field number)
    report nfc=0|1 ID        a submitted report; whether its text is NFC
    frame ID                 a frame of a trickled answer was sent

usage: gpfake.py --cert C --key K --port-file F --log L MODE [options]
"""
import argparse
import datetime
import hashlib
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata

from gpwire import ld, num, parse

# The hostile text: terminal escapes (OSC title, clear screen), C1 CSI
# encoded as UTF-8 and as a raw byte, bidi override and isolate, zero
# width space, a tag character, bytes that are not UTF-8 (a stray
# continuation, an overlong '/'), DEL; "EVIL" marks where it was.
HOSTILE = (b"EVIL\x1b]0;pwned\x07\x1b[2J\xc2\x9b" b"31m\x9b" b"1m"
           + "\u202e\u2066\u200b\U000e0041".encode("utf-8")
           + b"\xff\xc0\xaf\x7f" + "Tam Đường".encode("utf-8"))

# An over-long line: the hostile text again and again, with no newline.
LONG = HOSTILE * 64

LOCK = threading.Lock()


def log(a, line):
    with LOCK, open(a.log, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def first(fields, n, default=None):
    v = fields.get(n)
    return v[0] if v else default


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


def response(rid, field, body, more=False):
    return frame(num(1, rid) + (num(3, 1) if more else b"") +
                 ld(field, body))


def read_frame(s):
    """One frame's payload, or None when the client has gone."""
    buf = b""
    while len(buf) < 4:
        data = s.recv(4 - len(buf))
        if not data:
            return None
        buf += data
    (n,) = struct.unpack(">I", buf)
    body = b""
    while len(body) < n:
        data = s.recv(n - len(body))
        if not data:
            return None
        body += data
    return body


# --- receipts ---------------------------------------------------------------

def payload(r):
    """The text gpd signs (proto/receipt.c, receipt_payload)."""
    return ("gp-receipt-v1\n"
            "receipt=%s\nsubmission_id=%s\nunit=%s\nperiod=%s\n"
            "revision=%d\nreport_sha256=%s\nreceived_at=%s\n" % (
                r["receipt"], r["submission_id"], r["unit"], r["period"],
                r["revision"], r["report_sha256"], r["received_at"]))


def sign(key, text):
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(text)
    try:
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key,
                               f.name], check=True,
                              capture_output=True).stdout
    finally:
        os.unlink(f.name)


def der_of(pem_file):
    with open(pem_file, encoding="ascii") as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def changes(specs):
    out = {}
    for spec in specs or []:
        k, v = spec.split("=", 1)
        out[k] = int(v) if k == "revision" else v
    return out


def is_nfc(report):
    """Whether every text field of a packed Report is UTF-8 in NFC."""
    def texts(fields, numbers):
        for n in numbers:
            for v in fields.get(n, []):
                yield v
    r = parse(report)
    values = list(texts(r, [1, 2, 3]))
    for sub, numbers in ((4, [1, 2, 3]), (7, range(1, 7)), (8, range(1, 7))):
        for v in r.get(sub, []):
            values += list(texts(parse(v), numbers))
    for v in r.get(5, []):
        values += list(texts(parse(v), [5, 6, 7, 8, 12]))
    try:
        return all(unicodedata.is_normalized("NFC", v.decode("utf-8"))
                   for v in values)
    except UnicodeDecodeError:
        return False


def receipt_for(a, report):
    r = parse(report)
    fields = {
        "receipt": os.urandom(16).hex(),
        "submission_id": first(r, 1, b"").decode("utf-8", "replace"),
        "unit": first(r, 2, b"").decode("utf-8", "replace"),
        "period": first(r, 3, b"").decode("utf-8", "replace"),
        "revision": 1,
        "report_sha256": hashlib.sha256(report).hexdigest(),
        "received_at": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    fields.update(changes(a.claim))
    signature = sign(a.sign_key or a.key, payload(fields))
    fields.update(changes(a.tamper))
    rc = (ld(1, fields["receipt"]) + ld(2, fields["submission_id"]) +
          ld(3, fields["unit"]) + ld(4, fields["period"]) +
          num(5, fields["revision"]) + ld(6, fields["received_at"]) +
          num(7, 0) + num(8, 0) + ld(9, fields["report_sha256"]))
    if not a.unsigned:
        rc += ld(10, signature) + ld(11, der_of(a.sign_cert or a.cert))
    return ld(1, rc) + (warnings_for(a.warnings) if a.warnings else b"")


# Warnings a newer or lying server sends: its English words and the same
# as a code and arguments (PROTOCOL.md, "Warnings"). Only the first is
# one gp-client can say; the others it must show as their words.
WARNINGS = [
    (b"period: late: due 2022-06-10, submitted 2022-06-12 (2 days late)",
     b"period", b"late", [b"2022-06-10", b"2022-06-12"]),
    (b"activities: a warning of a newer server",
     b"activities", b"from_a_newer_server", [b"x"]),
    (b"period: late: due 2022-06-12, submitted 2022-06-10",
     b"period", b"late", [b"2022-06-12", b"2022-06-10"]),
    (b"indicators.inspections.female: " + HOSTILE,
     b"indicators.inspections.female", b"female_not_counted",
     [b"inspections", HOSTILE, b"2022", b"3"]),
    (b"period: late: due 2022-06-10, submitted 2022-06-12 (2 days late)",
     b"period", b"late", [b"2022-06-10", b"2022-06-12", b"2022-06-13"]),
]


def warnings_for(how):
    """SubmitResponse's warnings (2) and warning_codes (5)."""
    out = b"".join(ld(2, w[0]) for w in WARNINGS)
    codes = [ld(1, w[1]) + ld(2, w[2]) + b"".join(ld(3, x) for x in w[3])
             for w in WARNINGS]
    if how == "uneven":
        codes = codes[:-1]
    return out + b"".join(ld(5, c) for c in codes)


# --- answers ----------------------------------------------------------------

def hostile_row(t, revision=1):
    """A ReportRow (show, history) with t in every text field."""
    return (ld(1, b"lc-tamduong") + ld(2, t) + ld(3, b"2022-H1") +
            num(4, revision) + ld(5, b"2022-06-01T00:00:00Z") + num(6, 1) +
            num(7, 3) + num(8, 1) + num(9, 2) + num(10, 30) + num(11, 12) +
            ld(12, t) + ld(13, t) + ld(14, t) + ld(15, t) +
            ld(16, num(2, 5) + num(3, 2) + ld(4, t)) + ld(17, t) +
            ld(18, t) + ld(19, t))


def hostile_decision(t, action=None):
    """A Decision (history, review, status) with t in every text field;
    an action of the protocol's, or t too."""
    return (ld(1, t) + ld(2, t) + ld(3, t) + num(4, 1) + ld(5, t) +
            ld(6, action or t) + ld(7, t) + ld(8, LONG) + ld(9, t) +
            ld(10, t))


def hostile_report(t):
    """A Report (show) with t in every text field, codes included."""
    activity = (ld(5, b"2022-03-01") + ld(6, t) + ld(7, LONG) + ld(8, t) +
                num(9, 1) + num(10, 10) + num(11, 5) + ld(12, LONG) +
                ld(13, t) + ld(14, t) + ld(15, t) + ld(16, t) + ld(17, t) +
                ld(18, t) + ld(19, ld(1, t) + num(2, 3)))
    return (ld(1, b"0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a") +
            ld(2, b"lc-tamduong") + ld(3, b"2022-H1") +
            ld(4, ld(1, t) + ld(2, t) + ld(3, t)) + ld(5, activity) +
            ld(6, num(2, 5) + num(3, 2) + ld(4, t)) +
            ld(7, ld(1, LONG) + ld(7, ld(1, t) + ld(2, LONG))) +
            ld(9, ld(1, t) + ld(2, ld(1, t) + ld(2, t))) +
            ld(10, ld(1, t) + ld(2, t)))


def hostile_answer(rid, body):
    """The answer of MODE text to a request with body field number body."""
    t = HOSTILE
    if body == 10:      # submit: a refusal
        err = (num(1, 4) + ld(2, b"refused: " + t) +
               ld(3, ld(1, b"activities[0].title") + ld(2, t)))
        return response(rid, 9, err)
    if body == 11:      # whoami
        return response(rid, 11, ld(1, b"lc-tamduong") + ld(2, b"unit") +
                        ld(3, t) + num(4, int(time.time())) +
                        ld(5, b"0.1.0"))
    if body == 12:      # units
        unit = (ld(1, b"lc-tamduong") + ld(2, t) +
                ld(3, b"district_federation"))
        return response(rid, 12, ld(1, unit))
    if body == 13:      # list
        row = (ld(1, b"lc-tamduong") + ld(2, t) + ld(3, b"2022-H1") +
               num(4, 1) + ld(5, b"2022-06-01T00:00:00Z") + num(8, 1) +
               ld(12, b"9c1e0f3a5b7d9e1f2a4c6e8f0a1b3c5d") + ld(14, t))
        return response(rid, 13, ld(1, row))
    if body == 14:      # show
        return response(rid, 14, ld(1, hostile_row(t)) +
                        ld(2, hostile_report(t)) + ld(3, t) + ld(3, LONG))
    if body == 15:      # history: two revisions, a decision on each
        return response(rid, 15, ld(1, hostile_row(t)) +
                        ld(1, hostile_row(t, 2)) +
                        ld(2, hostile_decision(t, b"return")) +
                        ld(2, hostile_decision(t)))
    if body == 16:      # missing, and its call list
        row = (ld(1, t) + ld(2, t) + ld(3, t) + num(4, 3) + ld(5, t) +
               num(6, 1) + ld(7, t) + ld(8, t) + ld(9, t) + ld(10, t) +
               ld(11, t))
        late = (ld(1, b"lc-sinho") + ld(2, LONG) + ld(3, b"late") +
                num(4, 3) + ld(5, b"2022-07-13T00:00:00Z") + num(6, 1) +
                ld(7, b"returned") + ld(8, t) + ld(9, t) + ld(10, t) +
                ld(11, b"2022-07-10"))
        review = num(1, 1) + num(2, 1) + num(3, 0)
        return response(rid, 16, ld(1, row) + ld(1, late) + num(2, 2) +
                        num(3, 2) + num(4, 0) + ld(5, t) + ld(6, t) +
                        ld(7, t) + ld(8, review))
    if body == 17:      # summary
        # The figures of every activity, then of the done ones (30),
        # as a gpd of the calendar (issue 15) sends them.
        done = ld(30, num(1, 2) + num(2, 3) + num(3, 40) + num(4, 20))
        row = (ld(1, t) + ld(2, LONG) + num(3, 1) + num(4, 2) + num(5, 3) +
               num(6, 40) + num(7, 20) + done)
        total = (ld(1, t) + ld(2, t) + num(3, 1) + num(4, 2) + num(5, 3) +
                 num(6, 40) + num(7, 20) + done)
        indicator = ld(1, t) + ld(2, LONG) + num(3, 9) + num(4, 4)
        return response(rid, 17, ld(1, row) + ld(2, total) +
                        ld(3, indicator) + num(4, 2) +
                        ld(5, num(1, 1) + num(2, 0) + num(3, 0)))
    if body == 18:      # export
        row = (ld(1, b"lc-tamduong") + ld(2, t) + ld(3, b"2022-H1") +
               num(4, 1) + num(5, 0) + ld(6, b"awareness") + ld(7, t) +
               ld(14, b"2022-03-01") + ld(16, t) + ld(17, t) +
               num(18, 1) + num(19, 10) + num(20, 5) + ld(21, t) +
               ld(30, t) + ld(31, t) + num(32, 3) + ld(33, t) +
               num(34, 1))
        return response(rid, 18, ld(1, row))
    if body == 20:      # audit
        entry = (num(1, 1) + num(2, int(time.time())) + ld(3, t) +
                 ld(4, b"ab" * 32) + ld(5, b"submit") +
                 ld(6, b"lc-tamduong") + ld(7, b"2022-H1") +
                 ld(8, b"refused") + ld(9, t) + ld(10, b"cd" * 32))
        return response(rid, 20, ld(1, entry) + num(2, 1) +
                        ld(3, b"cd" * 32))
    if body == 22:      # review
        return response(rid, 22, ld(1, hostile_decision(t)))
    if body == 23:      # status: a period returned, one all hostile
        returned = (ld(1, b"2022-H1") + ld(2, LONG) + ld(3, b"2022-07-10") +
                    num(4, 1) + ld(5, t) + ld(6, t) + num(7, 1) +
                    num(9, 1) + ld(10, t) + ld(11, t) + num(12, 1) +
                    ld(13, b"returned") +
                    ld(14, hostile_decision(t, b"return")))
        hostile = (ld(1, t) + ld(2, t) + ld(3, t) + ld(5, t) + ld(6, t) +
                   num(7, 1) + num(9, 2) + ld(10, t) + ld(11, t) +
                   ld(13, t) + ld(14, hostile_decision(t)))
        return response(rid, 23, ld(1, t) + ld(2, LONG) + ld(3, returned) +
                        ld(3, hostile) + num(4, int(time.time())))
    return response(rid, 9, num(1, 1) + ld(2, b"unknown request"))


def trickle(a, s, rid, body):
    """Frames with more set, one every interval, until the client goes."""
    row = {12: ld(1, ld(1, b"lc-tamduong") + ld(2, b"Tam Duong")),
           13: ld(1, ld(1, b"lc-tamduong") + ld(3, b"2022-H1") + num(4, 1)),
           18: ld(1, ld(1, b"lc-tamduong") + ld(3, b"2022-H1")),
           20: ld(1, num(1, 1) + ld(3, b"x"))}.get(body, ld(1, b""))
    n = 0
    while True:
        try:
            s.sendall(response(rid, body, row, more=True))
        except OSError:
            return
        n += 1
        log(a, "frame %d" % n)
        time.sleep(a.interval)


def serve(a, ctx, raw):
    try:
        s = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    log(a, "conn")
    try:
        while True:
            req = read_frame(s)
            if req is None:
                return
            r = parse(req)
            rid = first(r, 1, 0)
            body = max([f for f in r if f >= 10] or [0])
            log(a, "request %d %d" % (rid, body))
            if a.mode == "trickle" and body != 10:
                trickle(a, s, rid, body)
                return
            if a.mode == "text":
                s.sendall(hostile_answer(rid, body))
                continue
            if body != 10:
                s.sendall(response(rid, 9, num(1, 1) + ld(2, b"no")))
                continue
            report = first(parse(first(r, 10)), 1, b"")
            log(a, "report nfc=%d %s" % (is_nfc(report), first(
                parse(report), 1, b"").decode("utf-8", "replace")))
            s.sendall(response(rid, 10, receipt_for(a, report)))
    except (ssl.SSLError, OSError):
        pass
    finally:
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--ca", help="client certificates are checked with it")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--sign-cert")
    p.add_argument("--sign-key")
    p.add_argument("--claim", action="append")
    p.add_argument("--tamper", action="append")
    p.add_argument("--unsigned", action="store_true")
    p.add_argument("--warnings", choices=["codes", "uneven"])
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("mode", choices=["receipt", "text", "trickle"])
    a = p.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.set_alpn_protocols(["gp/1"])
    ctx.num_tickets = 0
    if a.ca:
        ctx.verify_mode = ssl.CERT_OPTIONAL
        ctx.load_verify_locations(a.ca)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    open(a.log, "a").close()
    tmp = a.port_file + ".new"
    with open(tmp, "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(tmp, a.port_file)
    while True:
        raw, _ = ls.accept()
        threading.Thread(target=serve, args=(a, ctx, raw),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
