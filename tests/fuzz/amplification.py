#!/usr/bin/env python3
"""Writes one gp/1 frame (length header + Request) of about SIZE bytes
(default 1048576, gpd's default max_frame) whose Report holds nothing but
empty Activity messages, two bytes each: Request{submit{report{
activities: [{}, {}, ...]}}}. protobuf-c allocates a Gp__Activity
(296 bytes) for each before gpd can count them: about 148 bytes of heap
per byte received (155 MB for 1 MiB), all freed after the BAD_REQUEST.

    python3 tests/fuzz/crashes/request-amplification.py [SIZE] > frame.bin
"""
import sys


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


size = int(sys.argv[1]) if len(sys.argv) > 1 else 1048576
report = b"\x2a\x00" * ((size - 16) // 2)          # field 5, length 0
submit = b"\x0a" + varint(len(report)) + report   # SubmitRequest.report
request = b"\x52" + varint(len(submit)) + submit  # Request.submit (10)
sys.stdout.buffer.write(len(request).to_bytes(4, "big") + request)
