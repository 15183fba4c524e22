#!/usr/bin/python3
"""Cold start to first token: start the binary, wait for its ready line, POST one client_credentials
request, stop it. Prints one JSON line with the median and the spread over N starts.

Usage: bench_cold_start.py BINARY N
"""
import base64
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse

binary, runs = sys.argv[1], int(sys.argv[2])
auth = "Basic " + base64.b64encode(b"testing:testing").decode()
samples = []
for _ in range(runs):
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--quiet"] + sys.argv[3:], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    ready = json.loads(proc.stdout.readline())
    url = urllib.parse.urlparse(ready["url"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    conn.request("POST", "/api/auth/oauth/token", body="grant_type=client_credentials",
                 headers={"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    body = resp.read()
    t1 = time.perf_counter()
    assert resp.status == 200 and b"access_token" in body, body
    conn.close()
    proc.terminate()
    proc.wait()
    samples.append((t1 - t0) * 1000)

print(json.dumps({"runs": runs, "median_ms": round(statistics.median(samples), 2),
                  "min_ms": round(min(samples), 2), "max_ms": round(max(samples), 2)}))
