#!/usr/bin/python3
"""Benchmark (make bench): the wheel's Authemu() to a usable server (the constructor returned: ready
line read, environments known), and to its first token, RUNS times in one interpreter.
Usage: AUTHEMU_BIN=build/authemu bench_packages.py RUNS; prints one JSON line."""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "packages", "python"))
from authemu import Authemu  # noqa: E402

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
started, tokened = [], []
for _ in range(runs):
    t0 = time.perf_counter()
    emu = Authemu()
    started.append((time.perf_counter() - t0) * 1000)
    emu.token()
    tokened.append((time.perf_counter() - t0) * 1000)
    emu.stop()


def stats(xs):
    return {"median_ms": round(statistics.median(xs), 2), "min_ms": round(min(xs), 2), "max_ms": round(max(xs), 2),
            "runs": len(xs)}


print(json.dumps({"start": stats(started), "start_to_token": stats(tokened)}))
