#!/usr/bin/python3
"""Scapy's side of bench/packet.ts: dissect+summary and build rates on a sample.

Usage: /usr/bin/python3 bench/scapy_rate.py PCAP DISSECT_SAMPLE BUILD_SAMPLE
Prints one JSON object: packets handled, CPU seconds (process_time) and wall seconds for each.
The build sample makes the same four kinds of packets as bench/packet.ts, in the same rotation.
"""
import json
import sys
import time

from scapy.all import ICMP, IP, TCP, UDP, Ether, IPv6, PcapReader, Raw

path, dissect_n, build_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
payload = b"a" * 100


def build(i):
    k = i % 4
    if k == 0:
        return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="10.0.0.1", dst="10.0.0.2") / TCP(
            sport=40000 + i % 50, dport=8000, flags="PA", seq=i * 100, ack=1,
            options=[("NOP", None), ("NOP", None), ("Timestamp", (i, i))]) / Raw(load=payload)
    if k == 1:
        return Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / IP(src="10.0.0.2", dst="10.0.0.1") / TCP(
            sport=8000, dport=40000 + i % 50, flags="A", seq=1, ack=i * 100)
    if k == 2:
        return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IPv6(src="fd00::1", dst="fd00::2") / UDP(
            sport=5000, dport=9999) / Raw(load=payload[:40])
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="10.0.0.1", dst="10.0.0.3") / ICMP(
        type=8, id=7, seq=i & 0xFFFF) / Raw(load=payload[:56])


def timed(fn):
    c0, w0 = time.process_time(), time.perf_counter()
    n = fn()
    return {"packets": n, "cpu": time.process_time() - c0, "wall": time.perf_counter() - w0}


def dissect():
    n = 0
    with PcapReader(path) as reader:
        for pkt in reader:
            pkt.summary()
            n += 1
            if n >= dissect_n:
                break
    return n


def build_all():
    size = 0
    for i in range(build_n):
        size += len(bytes(build(i)))
    return build_n


print(json.dumps({"dissect": timed(dissect), "build": timed(build_all)}))
