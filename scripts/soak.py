#!/usr/bin/python3
"""Soak: sustained password + refresh traffic against a running authemu, reporting the server's RSS
as it goes. With lifetimes shorter than the run, the token records must leave as fast as they
come, so RSS levels off instead of growing.

Usage: soak.py URL PID SECONDS [THREADS [PACE [SAMPLE]]]: THREADS keep-alive connections (2), each
starting a password-and-refresh cycle every PACE seconds (0: back to back), RSS every SAMPLE seconds
(30). Prints RSS samples and one JSON summary line.
"""
import base64
import http.client
import json
import sys
import threading
import time
import urllib.parse

import server_proc

url, pid, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
pace = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
sample_every = int(sys.argv[6]) if len(sys.argv) > 6 else 30
parsed = urllib.parse.urlparse(url)
auth = "Basic " + base64.b64encode(b"testing:testing").decode()
stop = time.monotonic() + seconds
counts = {"password": 0, "refresh": 0, "revoke": 0, "errors": 0}
lock = threading.Lock()


def post(conn, path, form):
    """One request on conn; a connection error counts as status 0 (the caller reconnects)."""
    try:
        return post_once(conn, path, form)
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0, b""


def post_once(conn, path, form):
    conn.request("POST", path, body=urllib.parse.urlencode(form),
                 headers={"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def worker(n):
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    i = 0
    next_cycle = time.monotonic() + pace * n / max(threads, 1)  # spread the connections' cycles
    while time.monotonic() < stop:
        if pace:
            time.sleep(max(0.0, next_cycle - time.monotonic()))
            next_cycle += pace
        i += 1
        status, body = post(conn, "/api/auth/oauth/token",
                            {"grant_type": "password", "username": "alice" if i % 2 else "bob",
                             "password": "alice" if i % 2 else "bob", "scope": "openid profile" if i % 3 == 0 else ""})
        ok = {"password": 0, "refresh": 0, "revoke": 0, "errors": 0}
        if status != 200:
            ok["errors"] += 1
        else:
            ok["password"] += 1
            refresh = json.loads(body)["refresh_token"]
            for _ in range(3):
                status, body = post(conn, "/api/auth/oauth/token", {"grant_type": "refresh_token", "refresh_token": refresh})
                if status != 200:
                    ok["errors"] += 1
                    break
                ok["refresh"] += 1
                refresh = json.loads(body)["refresh_token"]
            if i % 4 == 0:
                status, _ = post(conn, "/api/auth/revoke", {"token": refresh})
                ok["revoke" if status == 200 else "errors"] += 1
        with lock:
            for k, v in ok.items():
                counts[k] += v


start_rss = server_proc.rss_kib(pid)
t0 = time.monotonic()
pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for t in pool:
    t.start()
samples = [(0, start_rss)]
next_sample = sample_every
while any(t.is_alive() for t in pool):
    time.sleep(1)
    elapsed = time.monotonic() - t0
    if elapsed >= next_sample:
        samples.append((int(elapsed), server_proc.rss_kib(pid)))
        print(f"  t={int(elapsed):4d}s RSS {samples[-1][1]} KiB, {counts['password']} password, {counts['refresh']} refresh, "
              f"{counts['errors']} errors", flush=True)
        next_sample += sample_every
for t in pool:
    t.join()
end_rss = server_proc.rss_kib(pid)
elapsed = time.monotonic() - t0
print(json.dumps({"seconds": round(elapsed, 1), "rss_start_kib": start_rss, "rss_end_kib": end_rss,
                  "rss_max_kib": max([s[1] for s in samples] + [end_rss]), **counts,
                  "tokens_per_s": round((counts["password"] + counts["refresh"]) / elapsed, 1)}))
