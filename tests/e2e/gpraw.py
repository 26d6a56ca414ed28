#!/usr/bin/env python3
"""gpraw: a small gp/1 client that sends what gp-client never would.

Used by tests/e2e/hostile.sh and stress.sh. It speaks the frames by hand
(protobuf encoded here, so it needs nothing but Python) over TLS, or
plain TCP for what never gets that far, and prints what happened, one
fact a line:

    tls VERSION alpn PROTO          the handshake finished
    refused REASON                  the handshake or the connection failed
    whoami CN ROLE                  a WhoamiResponse
    receipt REVISION RECEIPT ID DUP a SubmitResponse (DUP: 0 or 1)
    error CODE MESSAGE [retry=N]    an Error
    field NAME: MESSAGE             one FieldError of that Error
    reply FIELD                     another Response body (its field number)
    closed [SECONDS]                the server closed the connection
    open [SECONDS]                  still open when we stopped waiting

usage: gpraw.py --port P --ca CA [--cert C --key K] [--tls 1.0|1.1|1.2|1.3]
           [--seclevel0] [--alpn NAME|none] [--timeout S] MODE [ARGS...]
See the argparse set-up at the bottom for each MODE.
"""
import argparse
import errno
import os
import random
import select
import socket
import ssl
import struct
import sys
import time
import uuid
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

# --- protobuf, by hand ---------------------------------------------------


from gpwire import varint, num, ld, parse  # noqa: F401


def first(fields, n, default=None):
    v = fields.get(n)
    return v[0] if v else default


def text(b):
    return (b or b"").decode("utf-8", "replace")


# --- the report model (proto/gp.proto) -----------------------------------

# Field numbers of Report and its parts (report forms); "u" is a varint,
# "b" bytes. Codes are text; narrative texts other than results go in
# Narrative.texts (7), the law review is the Section "law_review" (9).
REPORT = {"id": (1, "b"), "unit": (2, "b"), "period": (3, "b"),
          "reporter": (4, "m"), "activities": (5, "r"),
          "indicators": (6, "r"), "narrative": (7, "t"),
          "law_review": (9, "s")}
SUB = {
    "reporter": {"name": 1, "position": 2, "phone": 3},
    "activities": {"date": (5, "b"), "end_date": (6, "b"),
                   "title": (7, "b"), "location": (8, "b"),
                   "sessions": (9, "u"), "participants": (10, "u"),
                   "female": (11, "u"), "notes": (12, "b"),
                   "area": (13, "b"), "kind": (14, "b"),
                   "occasion": (15, "b"), "status": (16, "b"),
                   "audience": (17, "b"), "topic": (18, "b")},
    "indicators": {"total": (2, "u"), "female": (3, "u"), "code": (4, "b")},
}
# The numbers gp/1 used before report forms, for a report packed the old
# way (mode legacy): LegacyActivity 1..4, LegacyIndicator 1.
LEGACY = {"area": 1, "kind": 2, "occasion": 3, "status": 4}


def encode_flat(spec, d):
    out = b""
    for name, v in d.items():
        f = spec[name]
        if isinstance(f, int):
            f = (f, "b")
        out += num(f[0], v) if f[1] == "u" else ld(f[0], v)
    return out


def encode_texts(d):
    """{code: text}: Text messages in ascending order of code."""
    return b"".join(ld(7, ld(1, code) + ld(2, d[code]))
                    for code in sorted(d))


def encode_report(r):
    """r: a dict shaped like the JSON report, values text, bytes or ints.
    A number as an area, kind, occasion or status is sent as the field of
    gp/1 before report forms (which gpd refuses)."""
    out = b""
    for name, v in r.items():
        fno, kind = REPORT[name]
        if kind == "b":
            out += ld(fno, v)
        elif kind == "m":
            out += ld(fno, encode_flat(SUB[name], v))
        elif kind == "t":
            rest = {k: t for k, t in v.items() if k != "results"}
            out += ld(fno, (ld(1, v["results"]) if "results" in v else b"")
                      + encode_texts(rest))
        elif kind == "s":
            fields = b"".join(ld(2, ld(1, code) + ld(2, v[code]))
                              for code in sorted(v))
            out += ld(fno, ld(1, "law_review") + fields)
        else:
            for item in v:
                body = b""
                for k, x in item.items():
                    if k in LEGACY and isinstance(x, int):
                        body += num(LEGACY[k], x)
                    else:
                        body += encode_flat(SUB[name], {k: x})
                out += ld(fno, body)
    return out


AREAS = ["policy_dissemination", "strategy_implementation",
         "communication_training", "gender_law_review", "female_cadres",
         "inspection"]
KINDS = ["propaganda", "conference", "seminar", "forum", "exchange", "talk",
         "training", "contest", "cultural", "review", "inspection",
         "support", "other"]


def sample_report(unit, nact=2, rid=None, period="2022-H1", tag=""):
    """A valid report (2022-H1) with nact activities."""
    acts = []
    for i in range(nact):
        acts.append({"area": AREAS[i % 6], "kind": KINDS[i % 13],
                     "occasion": "none", "status": "done",
                     "date": "2022-0%d-1%d" % (1 + i % 5, i % 9),
                     "title": "Hoạt động thử %d %s" % (i, tag),
                     "location": "Hội trường", "sessions": 1 + i % 3,
                     "participants": 10 + i, "female": 5 + i % 5})
    return {"id": rid or str(uuid.uuid4()), "unit": unit, "period": period,
            "reporter": {"name": "Người thử", "position": "nact=%d" % nact,
                         "phone": "0123 456 789"},
            "activities": acts,
            "narrative": {"results": "Kết quả %s." % tag}}


def set_path(r, path, value):
    """Sets r[a][b]... ; a list index is a number in the path."""
    keys = path.split(".")
    cur = r
    for k in keys[:-1]:
        if isinstance(cur, list):
            cur = cur[int(k)]
        else:
            cur = cur.setdefault(k, {})
    last = keys[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    else:
        cur[last] = value


def value_of(spec):
    """hex:ABCD (raw bytes), rep:N:TEXT (TEXT repeated to N bytes),
    int:N (a number), or plain UTF-8 text."""
    if spec.startswith("hex:"):
        return bytes.fromhex(spec[4:])
    if spec.startswith("rep:"):
        _, n, t = spec.split(":", 2)
        unit = t.encode("utf-8")
        return (unit * (int(n) // len(unit) + 1))[:int(n)]
    if spec.startswith("int:"):
        return int(spec[4:])
    return spec.encode("utf-8")


# Request body field numbers (gp.proto) and how to build them.
def body_submit(report_bytes):
    return ld(10, ld(1, report_bytes))


ADMIN = {
    # name: (field, [argument field numbers in order])
    "units": (12, []), "list": (13, [1, 2]), "show": (14, [1, 2]),
    "history": (15, [1, 2]), "missing": (16, [1]), "summary": (17, [1, 2]),
    "export": (18, [1]), "lock": (19, [1]), "audit": (20, []),
}


def body_admin(name, args):
    fno, argf = ADMIN[name]
    payload = b""
    if name == "lock":
        payload = ld(1, args[0]) + num(2, 1)
    elif name in ("show", "history"):
        payload = ld(1, args[0]) + ld(2, args[1])   # unit, period
    elif name == "list":
        payload = b"".join(ld(f, a) for f, a in zip([2, 1], args))
    else:
        payload = b"".join(ld(f, a) for f, a in zip(argf, args))
    return ld(fno, payload)


def request(rid, body):
    return num(1, rid) + body


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


WHOAMI = ld(11, b"")

# --- connections ---------------------------------------------------------


def make_context(a):
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=a.ca)
    if a.alpn != "none":
        ctx.set_alpn_protocols([a.alpn])
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
    if a.seclevel0:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if a.tls:
        v = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
             "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
        ctx.minimum_version = v[a.tls]
        ctx.maximum_version = v[a.tls]
    return ctx


def why(e):
    return getattr(e, "reason", None) or str(e) or type(e).__name__


def connect(a, ctx=None, quiet=False):
    """A TLS connection, or None after printing why not."""
    ctx = ctx or make_context(a)
    try:
        raw = socket.create_connection(("127.0.0.1", a.port),
                                       timeout=a.timeout)
    except OSError as e:
        if not quiet:
            print("refused connect: %s" % why(e))
        return None
    try:
        s = ctx.wrap_socket(raw, server_hostname="localhost")
    except (ssl.SSLError, OSError) as e:
        raw.close()
        if not quiet:
            print("refused %s" % why(e))
        return None
    if not quiet:
        print("tls %s alpn %s" % (s.version(), s.selected_alpn_protocol()))
    if getattr(a, "await_", 0):
        # TLS 1.3: a client certificate is judged after the client has
        # finished; wait for the verdict before sending, so that the
        # alert is read rather than lost to a reset.
        s.settimeout(a.await_)
        try:
            s.recv(1)
            if not quiet:
                print("closed")
            return None
        except socket.timeout:
            pass
        except (ssl.SSLError, OSError) as e:
            s.close()
            if not quiet:
                print("refused %s" % why(e))
            return None
        s.settimeout(a.timeout)
    return s


class Reader:
    """Frames from a socket, one at a time."""

    def __init__(self, s):
        self.s = s
        self.buf = b""
        self.end = None     # why no more frames come

    def frame(self, timeout=None):
        deadline = time.monotonic() + (timeout or 10)
        while True:
            if len(self.buf) >= 4:
                (n,) = struct.unpack(">I", self.buf[:4])
                if len(self.buf) >= 4 + n:
                    body, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
                    return body
            left = deadline - time.monotonic()
            if left <= 0:
                self.end = "open"
                return None
            self.s.settimeout(left)
            try:
                data = self.s.recv(65536)
            except socket.timeout:
                self.end = "open"
                return None
            except (ssl.SSLError, OSError) as e:
                self.end = "refused %s" % why(e)
                return None
            if not data:
                self.end = "closed"
                return None
            self.buf += data


def describe(body):
    """Lines describing one Response; its id."""
    r = parse(body)
    lines = []
    for e in r.get(9, []):
        e = parse(e)
        line = "error %d %s" % (first(e, 1, 0), text(first(e, 2)))
        if 4 in e:
            line += " retry=%d" % first(e, 4)
        lines.append(line)
        for fe in e.get(3, []):
            fe = parse(fe)
            lines.append("field %s: %s" % (text(first(fe, 1)),
                                           text(first(fe, 2))))
    for sr in r.get(10, []):
        rc = parse(first(parse(sr), 1, b""))
        lines.append("receipt %d %s %s %d" % (
            first(rc, 5, 0), text(first(rc, 1)), text(first(rc, 2)),
            first(rc, 7, 0)))
    for w in r.get(11, []):
        w = parse(w)
        lines.append("whoami %s %s" % (text(first(w, 1)), text(first(w, 2))))
    for f in sorted(r):
        if f >= 12:
            lines.append("reply %d" % f)
    return lines, first(r, 1, 0), first(r, 3, 0)


def exchange(s, frames, count=None, timeout=None):
    """Sends frames, prints every answer until count answers (the last
    frame of each, when streamed) or the end."""
    try:
        s.sendall(b"".join(frames))
    except (ssl.SSLError, OSError) as e:
        print("refused %s" % why(e))
        return []
    rd = Reader(s)
    ids = []
    want = len(frames) if count is None else count
    while len(ids) < want:
        body = rd.frame(timeout)
        if body is None:
            print(rd.end)
            return ids
        lines, rid, more = describe(body)
        for line in lines:
            print(line)
        if not more:
            ids.append(rid)
    return ids


def wait_closed(s, seconds):
    """Seconds until the peer closed s (plain or TLS), or None."""
    t0 = time.monotonic()
    deadline = t0 + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            data = s.recv(4096)
        except socket.timeout:
            return None
        except (ssl.SSLError, OSError):
            return time.monotonic() - t0
        if not data:
            return time.monotonic() - t0


# --- modes ---------------------------------------------------------------


def mode_whoami(a):
    s = connect(a)
    if s is None:
        return
    exchange(s, [frame(request(1, WHOAMI))], timeout=a.timeout)


def build_report(a):
    r = sample_report(a.unit, nact=a.activities, rid=a.id)
    for spec in a.set or []:
        path, value = spec.split("=", 1)
        set_path(r, path, value_of(value))
    return encode_report(r)


def mode_submit(a):
    s = connect(a)
    if s is None:
        return
    exchange(s, [frame(request(1, body_submit(build_report(a))))],
             timeout=a.timeout)


def mode_admin(a):
    s = connect(a)
    if s is None:
        return
    exchange(s, [frame(request(1, body_admin(a.what, a.args)))],
             timeout=a.timeout)


def mode_length(a):
    """A frame header claiming a.length bytes, then a.send bytes of it."""
    s = connect(a)
    if s is None:
        return
    try:
        s.sendall(struct.pack(">I", a.length) + b"\x0a" * a.send)
    except (ssl.SSLError, OSError) as e:
        print("refused %s" % why(e))
        return
    if exchange(s, [], count=1, timeout=a.timeout):
        t = wait_closed(s, a.timeout)
        print("open" if t is None else "closed")


def mode_partial(a):
    """Part of a frame, then end the connection (EOF mid-frame): a whole
    valid submission minus its last a.cut bytes."""
    s = connect(a)
    if s is None:
        return
    f = frame(request(1, body_submit(build_report(a))))
    s.sendall(f[:len(f) - a.cut])
    if a.hard:
        # Not even a TLS close_notify: the TCP connection just ends.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()
        print("reset after %d of %d bytes" % (len(f) - a.cut, len(f)))
        return
    try:
        s = s.unwrap()      # close_notify: a clean EOF mid-frame
    except (ssl.SSLError, OSError):
        pass
    s.close()
    print("eof after %d of %d bytes" % (len(f) - a.cut, len(f)))


def mode_pipeline(a):
    """a.count requests in one write: whoami, and every a.every-th a
    submission of a new report; answers must come in order."""
    s = connect(a)
    if s is None:
        return
    frames, submits = [], []
    for i in range(1, a.count + 1):
        if a.every and i % a.every == 0:
            rid = str(uuid.uuid4())
            submits.append(rid)
            body = body_submit(encode_report(
                sample_report(a.unit, nact=1 + i % 3, rid=rid,
                              tag="pipeline %d" % i)))
        else:
            body = WHOAMI
        frames.append(frame(request(i, body)))
    t0 = time.monotonic()
    ids = exchange(s, frames, timeout=a.timeout)
    print("pipelined %d answered %d in_order %s seconds %.2f" % (
        a.count, len(ids), "yes" if ids == list(range(1, len(ids) + 1))
        else "no", time.monotonic() - t0))
    for rid in submits:
        print("submitted %s" % rid)


def mode_silent(a):
    """TCP only, nothing sent: how long until the server closes."""
    s = socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout)
    t = wait_closed(s, a.seconds)
    print("open %d" % a.seconds if t is None else "closed %.1f" % t)


def client_hello(a):
    """The bytes of a ClientHello, made in memory."""
    ctx = make_context(a)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def dribble(s, data, seconds, send):
    """Sends data one byte a second; seconds until s was closed, or None."""
    t0 = time.monotonic()
    i = 0
    while time.monotonic() - t0 < seconds:
        if i < len(data):
            try:
                send(data[i:i + 1])
            except (ssl.SSLError, OSError):
                return time.monotonic() - t0, i
            i += 1
        r, _, _ = select.select([s], [], [], 1.0)
        if r:
            try:
                s.settimeout(0.5)
                got = s.recv(4096)
            except socket.timeout:
                continue
            except (ssl.SSLError, OSError):
                return time.monotonic() - t0, i
            if not got:
                return time.monotonic() - t0, i
    return None, i


def mode_dribble(a):
    """Slowloris: one byte a second, of the ClientHello or (with
    --established) of a request frame after the handshake."""
    if a.established:
        s = connect(a)
        if s is None:
            return
        data = frame(request(1, body_submit(build_report(a))))
        t, n = dribble(s, data, a.seconds, s.send)
    else:
        raw = socket.create_connection(("127.0.0.1", a.port),
                                       timeout=a.timeout)
        data = client_hello(a)
        t, n = dribble(raw, data, a.seconds, raw.send)
    if t is None:
        print("open %d sent %d of %d" % (a.seconds, n, len(data)))
    else:
        print("closed %.1f sent %d of %d" % (t, n, len(data)))


def mode_idle(a):
    """Handshake and one whoami, then nothing: when does the server
    close."""
    s = connect(a)
    if s is None:
        return
    exchange(s, [frame(request(1, WHOAMI))], timeout=a.timeout)
    t = wait_closed(s, a.seconds)
    print("open %d" % a.seconds if t is None else "closed %.1f" % t)


def mode_hold(a):
    """Opens a.count connections (TCP only, or TLS with a whoami each),
    writes a.ready_file when all are open, then holds them a.seconds or
    until a.stop_file appears. Prints what the server did."""
    socks, outcome, served = [], {}, []
    ctx = make_context(a) if a.tls_each else None
    t0 = last = time.monotonic()

    def keepalive():
        """A whoami on each served session, so that idle_timeout does not
        end them: held sessions stay busy ones."""
        for s in served:
            try:
                s.sendall(frame(request(2, WHOAMI)))
                Reader(s).frame(a.timeout)
            except (ssl.SSLError, OSError):
                pass
    if not a.tls_each:
        # All at once, without waiting for each: past the listen backlog
        # a connect only completes when gpd accepts again.
        pending = []
        for _ in range(a.count):
            raw = socket.socket()
            raw.setblocking(False)
            raw.connect_ex(("127.0.0.1", a.port))
            pending.append(raw)
        deadline = time.monotonic() + a.connect_timeout
        while pending and time.monotonic() < deadline:
            _, w, _ = select.select([], pending, [], 0.1)
            for raw in w:
                pending.remove(raw)
                if raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    socks.append(raw)
                else:
                    raw.close()
        outcome["connected"] = len(socks)
        outcome["pending"] = len(pending)
        for raw in pending:
            raw.close()
    for _ in range(a.count if a.tls_each else 0):
        if time.monotonic() - t0 > a.open_seconds:
            break
        if served and time.monotonic() - last > a.keepalive:
            keepalive()
            last = time.monotonic()
        try:
            raw = socket.create_connection(("127.0.0.1", a.port),
                                           timeout=a.connect_timeout)
        except OSError:
            outcome["connect_failed"] = outcome.get("connect_failed", 0) + 1
            continue
        try:
            s = ctx.wrap_socket(raw, server_hostname="localhost")
            s.sendall(frame(request(1, WHOAMI)))
            body = Reader(s).frame(a.timeout)
        except (ssl.SSLError, OSError):
            body = None
            s = raw
        if body is None:
            key = "no_answer"
        else:
            lines, _, _ = describe(body)
            key = ("served" if lines and lines[0].startswith("whoami")
                   else "busy" if lines and lines[0].startswith("error 6 ")
                   else "other")
        outcome[key] = outcome.get(key, 0) + 1
        socks.append(s)
        if key == "served":
            served.append(s)
    print("opened " + " ".join("%s=%d" % kv for kv in sorted(outcome.items())))
    sys.stdout.flush()
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("ready\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.seconds:
        if a.stop_file and os.path.exists(a.stop_file):
            break
        if served and time.monotonic() - last > a.keepalive:
            keepalive()
            last = time.monotonic()
        time.sleep(0.1)
    closed = 0
    for s in socks:
        try:
            s.setblocking(False)
            if s.recv(1) == b"":
                closed += 1
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
        except (ssl.SSLError, OSError):
            closed += 1
    print("held %.1f closed_by_server %d of %d" % (
        time.monotonic() - t0, closed, len(socks)))
    for s in socks:
        s.close()


def mode_submitter(a):
    """Load for the crash test: submits new reports (distinct ids) until
    a.stop_file appears or a.seconds pass, over connections kept while
    they last. Logs, one line each, flushed:
        ack ID RECEIPT REVISION NACT UNIX-TIME-RECEIVED
        lost ID HEX-OF-REQUEST-FRAME        (no receipt: resubmit it)
        refused ID CODE MESSAGE             (an error answer)"""
    rnd = random.Random(a.seed)
    log = open(a.log, "a", buffering=1)
    ctx = make_context(a)
    units = a.units.split(",")
    t0 = time.monotonic()
    s, rd = None, None
    sent = 0
    while time.monotonic() - t0 < a.seconds and sent < a.max:
        if a.stop_file and os.path.exists(a.stop_file):
            break
        if s is None:
            try:
                raw = socket.create_connection(("127.0.0.1", a.port),
                                               timeout=2)
                s = ctx.wrap_socket(raw, server_hostname="localhost")
                rd = Reader(s)
            except (ssl.SSLError, OSError):
                s = None
                time.sleep(0.02)
                continue
        unit = rnd.choice(units)
        nact = rnd.randint(1, 5)
        rid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        f = frame(request(sent + 1, body_submit(encode_report(
            sample_report(unit, nact=nact, rid=rid, tag=rid[:8])))))
        sent += 1
        try:
            s.sendall(f)
            body = rd.frame(timeout=10)
        except (ssl.SSLError, OSError):
            body = None
        if body is None:
            log.write("lost %s %s\n" % (rid, f.hex()))
            s.close()
            s = None
            continue
        r = parse(body)
        if 10 in r:
            rc = parse(first(parse(r[10][0]), 1, b""))
            log.write("ack %s %s %d %d %.6f\n" % (text(first(rc, 2)),
                      text(first(rc, 1)), first(rc, 5, 0), nact, time.time()))
        else:
            e = parse(first(r, 9, b""))
            log.write("refused %s %d %s\n" % (rid, first(e, 1, 0),
                      text(first(e, 2)).replace("\n", " ")))
        if rnd.random() < a.reconnect:
            s.close()
            s = None
    log.close()


def mode_resubmit(a):
    """Sends again every "lost" request of the logs, byte for byte, with
    a fresh connection each; prints "again ID RECEIPT REVISION DUP" or
    "failed ID ...". Crash recovery: a client that got no receipt sends
    the same report again and must get one, a duplicate when the first
    try was committed."""
    ctx = make_context(a)
    for path in a.logs:
        for line in open(path):
            w = line.split()
            if not w or w[0] != "lost":
                continue
            rid, f = w[1], bytes.fromhex(w[2])
            body = None
            for _ in range(3):
                try:
                    raw = socket.create_connection(("127.0.0.1", a.port),
                                                   timeout=5)
                    s = ctx.wrap_socket(raw, server_hostname="localhost")
                    s.sendall(f)
                    body = Reader(s).frame(10)
                    s.close()
                except (ssl.SSLError, OSError):
                    body = None
                if body is not None:
                    break
                time.sleep(0.2)
            if body is None:
                print("failed %s no answer" % rid)
                continue
            r = parse(body)
            if 10 in r:
                rc = parse(first(parse(r[10][0]), 1, b""))
                print("again %s %s %d %d" % (text(first(rc, 2)),
                      text(first(rc, 1)), first(rc, 5, 0), first(rc, 7, 0)))
            else:
                print("failed %s %s" % (rid, " ".join(describe(body)[0])))


def admin_frame(what, args, rid=1):
    return frame(request(rid, body_admin(what, [x.encode("utf-8")
                                               for x in args])))


def mode_stall(a):
    """Sends one admin request (an export), or a.repeat of them, and reads
    nothing, for a.seconds or until the server closes: a client that
    stopped reading. Prints "sent" once the requests are out."""
    s = connect(a)
    if s is None:
        return
    s.sendall(b"".join(admin_frame(a.what, a.args, rid=i + 1)
                       for i in range(a.repeat)))
    print("sent")
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.seconds:
        if a.stop_file and os.path.exists(a.stop_file):
            break
        time.sleep(0.1)
    s.close()


def mode_slowread(a):
    """Sends one admin request and reads its answer a.chunk bytes at a
    time with a.pause seconds between reads (the first a.slow_reads
    reads only, when set; then as fast as it comes); prints "frames N rows R
    last yes|no" (the last frame says no more follow) and how it ended."""
    s = connect(a)
    if s is None:
        return
    s.sendall(admin_frame(a.what, a.args))
    buf, frames, rows, last, end = b"", 0, 0, False, "closed"
    reads = 0
    while not last:
        slow = a.slow_reads == 0 or reads < a.slow_reads
        reads += 1
        if slow:
            time.sleep(a.pause)
        # A TLS record at a time: read until the chunk is in.
        want, data = a.chunk if slow else 1 << 20, b""
        try:
            while len(data) < want:
                d = s.recv(want - len(data))
                if not d:
                    break
                data += d
                if not slow:
                    break
        except (ssl.SSLError, OSError) as e:
            end = "error %s" % why(e)
            break
        if not data:
            break
        buf += data
        while len(buf) >= 4 and len(buf) >= 4 + struct.unpack(
                ">I", buf[:4])[0]:
            (n,) = struct.unpack(">I", buf[:4])
            r = parse(buf[4:4 + n])
            buf = buf[4 + n:]
            frames += 1
            for body in r.get(18, []):          # ExportResponse
                rows += len(parse(body).get(1, []))
            if 9 in r or not first(r, 3, 0):    # error, or more unset
                last = True
                end = "error" if 9 in r else "answered"
    print("frames %d rows %d last %s %s" % (frames, rows,
          "yes" if last else "no", end))


def mode_flood(a):
    """a.count plain TCP connections that never send a byte, each opened
    again as soon as the server closes it, for a.seconds or until
    a.stop_file appears; a.ready_file is written once all were opened.
    Prints "flood opened=N closed_by_server=M open=K seconds=S"."""
    import selectors
    sel = selectors.DefaultSelector()
    stats = {"opened": 0, "closed": 0, "failed": 0}

    def open_one():
        s = socket.socket()
        s.setblocking(False)
        err = s.connect_ex(("127.0.0.1", a.port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            stats["failed"] += 1
            return
        sel.register(s, selectors.EVENT_READ)
        stats["opened"] += 1

    for _ in range(a.count):
        open_one()
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("ready\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.seconds:
        if a.stop_file and os.path.exists(a.stop_file):
            break
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(1)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                continue
            sel.unregister(s)
            s.close()
            stats["closed"] += 1
            open_one()
    print("flood opened=%d closed_by_server=%d open=%d failed=%d "
          "seconds=%.1f" % (stats["opened"], stats["closed"],
                            len(sel.get_map()), stats["failed"],
                            time.monotonic() - t0))
    for key in list(sel.get_map().values()):
        key.fileobj.close()


def mode_keep(a):
    """One session kept for a.seconds (or until a.stop_file appears or
    the server closes it): a whoami every a.interval seconds, printing
    "whoami CN ROLE" each time the answer changes; when a.submit_file
    appears, one submission for a.unit, its answer printed. Ends with
    "closed SECONDS" or "open SECONDS"."""
    s = connect(a, quiet=True)
    if s is None:
        print("refused")
        return
    rd = Reader(s)
    t0 = time.monotonic()
    last, rid, submitted = None, 0, False
    while time.monotonic() - t0 < a.seconds:
        if a.stop_file and os.path.exists(a.stop_file):
            break
        rid += 1
        body = WHOAMI
        if a.submit_file and not submitted and os.path.exists(a.submit_file):
            submitted = True
            r = sample_report(a.unit, nact=1, tag="keep")
            body = body_submit(encode_report(r))
        try:
            s.sendall(frame(request(rid, body)))
        except (ssl.SSLError, OSError):
            break
        got = rd.frame(a.timeout)
        if got is None:
            break
        lines, _, _ = describe(got)
        if body is not WHOAMI:
            for line in lines:
                print(line)
        elif lines and lines[0] != last:
            last = lines[0]
            print(last)
        if a.ready_file and not os.path.exists(a.ready_file):
            with open(a.ready_file, "w") as f:
                f.write("ready\n")
        time.sleep(a.interval)
    t = time.monotonic() - t0
    if rd.end in ("closed",) or (rd.end or "").startswith("refused"):
        print("closed %.1f" % t)
    elif wait_closed(s, 0.5) is not None:
        print("closed %.1f" % t)
    else:
        print("open %.1f" % t)


def mode_refuse(a):
    """Refused requests as fast as the server answers, for a.seconds, in
    batches of a.batch pipelined requests (administrators' units and a
    submission for a.unit, alternately), on a connection opened again
    whenever the server closes it. Each batch is read whole before the
    time is looked at, so every refusal counted was answered. Prints
    "refuse refused=N other=M connections=C most_on_one=K seconds=S"."""
    ctx = make_context(a)
    report = encode_report(sample_report(a.unit, nact=1, tag="refused"))
    t0 = time.monotonic()
    refused = other = conns = most = 0
    rid = 0
    while time.monotonic() - t0 < a.seconds:
        try:
            raw = socket.create_connection(("127.0.0.1", a.port),
                                           timeout=a.timeout)
            s = ctx.wrap_socket(raw, server_hostname="localhost")
        except (ssl.SSLError, OSError):
            time.sleep(0.05)
            continue
        conns += 1
        here = 0
        rd = Reader(s)
        while time.monotonic() - t0 < a.seconds:
            frames = []
            for i in range(a.batch):
                rid += 1
                body = body_admin("units", []) if i % 2 == 0 else \
                    body_submit(report)
                frames.append(frame(request(rid, body)))
            try:
                s.sendall(b"".join(frames))
            except (ssl.SSLError, OSError):
                break
            got = 0
            for _ in range(a.batch):
                body = rd.frame(a.timeout)
                if body is None:
                    break
                got += 1
                e = parse(body).get(9)
                if e and first(parse(e[0]), 1, 0) == 4:
                    refused += 1
                    here += 1
                else:
                    other += 1
            if got < a.batch:
                break
        most = max(most, here)
        s.close()
    print("refuse refused=%d other=%d connections=%d most_on_one=%d "
          "seconds=%.1f" % (refused, other, conns, most,
                            time.monotonic() - t0))


def mode_bulk(a):
    """a.count submissions of a.activities activities each (titles and
    notes padded to a.text bytes), new ids, as fast as gpd answers, on
    one connection; prints "acked N" and the first refusal, if any."""
    s = connect(a, quiet=True)
    if s is None:
        print("acked 0 no connection")
        return
    pad = "x" * max(0, a.text)
    r = sample_report(a.unit, nact=a.activities, tag="bulk")
    for act in r["activities"]:
        act["title"] = (act["title"] + " " + pad)[:500]
        act["notes"] = ("Ghi chú " + pad)[:2000]
    del r["id"]
    rest = encode_report(r)
    rd = Reader(s)
    acked, refused = 0, ""
    for i in range(a.count):
        rid = str(uuid.uuid4())
        s.sendall(frame(request(i + 1, body_submit(ld(1, rid) + rest))))
        body = rd.frame(timeout=a.timeout)
        if body is None:
            refused = "no answer"
            break
        if 10 in parse(body):
            acked += 1
        elif not refused:
            refused = " ".join(describe(body)[0])
    print("acked %d %s" % (acked, refused))


def main():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--tls", choices=["1.0", "1.1", "1.2", "1.3"])
    p.add_argument("--seclevel0", action="store_true",
                   help="let the client offer what OpenSSL 3 forbids")
    p.add_argument("--alpn", default="gp/1")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--await", dest="await_", type=float, default=0,
                   help="seconds to wait for a refusal after the handshake")
    sub = p.add_subparsers(dest="mode", required=True)

    def report_args(sp):
        sp.add_argument("--unit", default="lc-tamduong")
        sp.add_argument("--id")
        sp.add_argument("--activities", type=int, default=2)
        sp.add_argument("--set", action="append",
                        help="PATH=VALUE, e.g. activities.0.title=hex:c0af")

    sub.add_parser("whoami")
    sp = sub.add_parser("submit")
    report_args(sp)
    sp = sub.add_parser("admin")
    sp.add_argument("what", choices=sorted(ADMIN))
    sp.add_argument("args", nargs="*")
    sp = sub.add_parser("length")
    sp.add_argument("length", type=lambda s: int(s, 0))
    sp.add_argument("--send", type=int, default=0)
    sp = sub.add_parser("partial")
    report_args(sp)
    sp.add_argument("--cut", type=int, default=7)
    sp.add_argument("--hard", action="store_true")
    sp = sub.add_parser("pipeline")
    sp.add_argument("count", type=int)
    sp.add_argument("--every", type=int, default=0)
    sp.add_argument("--unit", default="lc-tamduong")
    sp = sub.add_parser("silent")
    sp.add_argument("seconds", type=int)
    sp = sub.add_parser("dribble")
    report_args(sp)
    sp.add_argument("seconds", type=int)
    sp.add_argument("--established", action="store_true")
    sp = sub.add_parser("idle")
    sp.add_argument("seconds", type=int)
    sp = sub.add_parser("hold")
    sp.add_argument("count", type=int)
    sp.add_argument("seconds", type=float)
    sp.add_argument("--tls-each", action="store_true")
    sp.add_argument("--connect-timeout", type=float, default=2)
    sp.add_argument("--keepalive", type=float, default=1,
                    help="seconds between whoamis on served sessions")
    sp.add_argument("--open-seconds", type=float, default=60,
                    help="give up opening more after this long")
    sp.add_argument("--ready-file")
    sp.add_argument("--stop-file")
    sp = sub.add_parser("submitter")
    sp.add_argument("--log", required=True)
    sp.add_argument("--units", required=True)
    sp.add_argument("--seconds", type=float, default=60)
    sp.add_argument("--max", type=int, default=100000)
    sp.add_argument("--seed", type=int, default=1)
    sp.add_argument("--reconnect", type=float, default=0.3)
    sp.add_argument("--stop-file")
    sp = sub.add_parser("stall")
    sp.add_argument("seconds", type=float)
    sp.add_argument("what", choices=sorted(ADMIN))
    sp.add_argument("args", nargs="*")
    sp.add_argument("--stop-file")
    sp.add_argument("--repeat", type=int, default=1)
    sp = sub.add_parser("flood")
    sp.add_argument("count", type=int)
    sp.add_argument("seconds", type=float)
    sp.add_argument("--ready-file")
    sp.add_argument("--stop-file")
    sp = sub.add_parser("keep")
    sp.add_argument("seconds", type=float)
    sp.add_argument("--interval", type=float, default=0.3)
    sp.add_argument("--unit", default="lc-tamduong")
    sp.add_argument("--ready-file")
    sp.add_argument("--submit-file")
    sp.add_argument("--stop-file")
    sp = sub.add_parser("refuse")
    sp.add_argument("seconds", type=float)
    sp.add_argument("--batch", type=int, default=8)
    sp.add_argument("--unit", default="lc-tamduong")
    sp = sub.add_parser("slowread")
    sp.add_argument("what", choices=sorted(ADMIN))
    sp.add_argument("args", nargs="*")
    sp.add_argument("--chunk", type=int, default=16384)
    sp.add_argument("--pause", type=float, default=0.5)
    sp.add_argument("--slow-reads", type=int, default=0)
    sp = sub.add_parser("bulk")
    sp.add_argument("count", type=int)
    sp.add_argument("--unit", default="lc-tamduong")
    sp.add_argument("--activities", type=int, default=1000)
    sp.add_argument("--text", type=int, default=0)
    sp = sub.add_parser("resubmit")
    sp.add_argument("logs", nargs="+")
    a = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    globals()["mode_" + a.mode](a)


if __name__ == "__main__":
    main()
