"""Helpers of scripts/bench_console.sh (a benchmark, not a test).

  bench_console.py fill URL CLIENTS REQUESTS    dynamic clients and token requests (the journal)
  bench_console.py page URL N                   N sequential GET /_authemu/console: JSON of timings
  bench_console.py watch URL N read|stall       N journal streams until SIGTERM; then JSON of bytes read
"""
import base64
import http.client
import json
import selectors
import signal
import socket
import statistics
import sys
import time
import urllib.parse


def conn(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=10), u


def fill(url, clients, requests):
    c, _ = conn(url)
    basic = "Basic " + base64.b64encode(b"testing:testing").decode()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": basic}
    c.request("POST", "/api/auth/oauth/token", "grant_type=client_credentials", form)
    token = json.loads(c.getresponse().read())["access_token"]
    auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    for i in range(clients):
        body = json.dumps({"name": f"bench-{i}", "redirectUris": [f"http://127.0.0.1/cb{i}"]})
        c.request("POST", "/api/auth/clients", body, auth)
        r = c.getresponse(); r.read()
        assert r.status in (200, 201), r.status
    for _ in range(requests):
        c.request("POST", "/api/auth/oauth/token", "grant_type=client_credentials", form)
        r = c.getresponse(); r.read()
    print(json.dumps({"clients": clients, "requests": requests}))


def page(url, n):
    c, _ = conn(url)
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        c.request("GET", "/_authemu/console")
        r = c.getresponse()
        size = len(r.read())
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status == 200, r.status
    times.sort()
    print(json.dumps({"n": n, "bytes": size, "median_ms": round(statistics.median(times), 2),
                      "p95_ms": round(times[int(len(times) * 0.95) - 1], 2), "max_ms": round(times[-1], 2)}))


def watch(url, n, mode):
    u = urllib.parse.urlsplit(url)
    sel, socks, got = selectors.DefaultSelector(), [], 0
    for _ in range(n):
        s = socket.create_connection((u.hostname, u.port))
        s.sendall(b"GET /_authemu/journal/stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        s.setblocking(False)
        socks.append(s)
        if mode == "read":
            sel.register(s, selectors.EVENT_READ)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("ready", flush=True)
    while not stop:
        if mode != "read":
            time.sleep(0.1)
            continue
        for key, _ in sel.select(0.1):
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            got += len(data)
            if not data:
                sel.unregister(key.fileobj)
    print(json.dumps({"watchers": n, "mode": mode, "bytes": got}), flush=True)


if __name__ == "__main__":
    cmd, url = sys.argv[1], sys.argv[2]
    if cmd == "fill":
        fill(url, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "page":
        page(url, int(sys.argv[3]))
    else:
        watch(url, int(sys.argv[3]), sys.argv[4])
