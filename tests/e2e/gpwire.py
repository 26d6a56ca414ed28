"""The protobuf wire format by hand, for the end-to-end tests' raw
clients: enough to build requests (varint, num, ld) and read answers
(parse). Shared by gpraw.py and the clients lib.sh and ops.sh write."""


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def num(field, n):
    return varint(field << 3) + varint(n)


def ld(field, payload):
    """A length-delimited field: bytes, text (UTF-8) or a sub-message."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def parse(buf):
    """Fields of a protobuf message: {number: [value, ...]}."""
    fields, i = {}, 0

    def rd():
        nonlocal i
        n = shift = 0
        while True:
            b = buf[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n
    while i < len(buf):
        k = rd()
        if k & 7 == 0:
            v = rd()
        elif k & 7 == 2:
            ln = rd()
            v = buf[i:i + ln]
            i += ln
        elif k & 7 == 5:
            v = buf[i:i + 4]
            i += 4
        elif k & 7 == 1:
            v = buf[i:i + 8]
            i += 8
        else:
            raise ValueError("wire type %d" % (k & 7))
        fields.setdefault(k >> 3, []).append(v)
    return fields
