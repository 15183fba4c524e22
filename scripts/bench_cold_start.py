#!/usr/bin/python3
"""Cold start to first token: start a server, read its ready line, POST one client_credentials
request on one connection, time until the whole 200 answer is in, stop the server. Several servers
are measured in turns (start 1 of each, then start 2 of each, ...), so that the machine's drift
and the other work on it fall on all of them alike; each turn starts one server later than the
last, so that none always follows the same one (on this VM a start right after the peer's, which
churns ~100 MB, or after an idle pause is ~1 ms slower: whichever came after it paid that).

Usage: bench_cold_start.py [--idle MS] RUNS NAME=KIND:COMMAND... [NAME=...]
  --idle MS: sleep MS before each start (how a start after a quiet moment fares)
  KIND authemu: COMMAND with --listen 127.0.0.1:0 --quiet; ready is its JSON line, token at /api/auth/oauth/token
                (with --tls in COMMAND: over HTTPS at its "tls_url" or "url", trusting its "ca_file")
  KIND peer:    COMMAND -a 127.0.0.1 -p 0 (oauth2-mock-server); ready is "listening on URL", token at /token
                (an https URL, as with --cert/--key, is not verified)
  KIND exit:    COMMAND runs to its end (the floor: authemu bench-sign --seconds 0)
COMMAND is split on spaces. Prints one JSON line: per name the median, min and max in ms, and how
much of both cores other processes used meanwhile (a busy machine explains a slow run).
"""
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time

import server_proc

REQUEST = (b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic dGVzdGluZzp0ZXN0aW5n\r\n"
           b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\n"
           b"grant_type=client_credentials")


def peer_ready(line):
    m = re.search(r"listening on (https?://\S+)", line)
    return {"url": m.group(1)} if m else None


def token(url, path, context=None):
    host, port = url.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as plain:
        plain.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s = context.wrap_socket(plain, server_hostname=host) if url.startswith("https:") else plain
        s.sendall(REQUEST % path)
        head, body = server_proc.read_response(s)
    if not head.startswith(b"HTTP/1.1 200") or b"access_token" not in body:
        raise SystemExit("no token: " + head.decode(errors="replace"))


def one_start(kind, argv):
    t0 = time.perf_counter()
    if kind == "exit":
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - t0) * 1000
    if kind == "authemu":
        proc, ready = server_proc.start_authemu(*argv)
        path = b"/api/auth/oauth/token"
        tls = "--tls" in argv
        url, context = (server_proc.https_url(ready), server_proc.tls_context(ready)) if tls else (ready["url"], None)
    else:
        proc, ready = server_proc.start(argv + ["-a", "127.0.0.1", "-p", "0"], peer_ready)
        path = b"/token"
        url, context = ready["url"], server_proc.tls_context({})
        if "-c" in argv:  # it says "listening on http://" with -c/-k too, and serves HTTPS there
            url = url.replace("http://", "https://", 1)
    try:
        token(url, path, context)
        return (time.perf_counter() - t0) * 1000
    finally:
        server_proc.stop(proc)


def busy_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4]  # all but idle and iowait


def main():
    args = sys.argv[1:]
    idle = 0.0
    if args[:1] == ["--idle"]:
        idle, args = float(args[1]) / 1000, args[2:]
    runs = int(args[0])
    servers = []
    for spec in args[1:]:
        name, rest = spec.split("=", 1)
        kind, command = rest.split(":", 1)
        servers.append((name, kind, command.split()))
    samples = {name: [] for name, _, _ in servers}
    busy0, own0, wall0 = busy_jiffies(), os.times(), time.perf_counter()
    for turn in range(runs):
        for i in range(len(servers)):
            name, kind, argv = servers[(turn + i) % len(servers)]
            if idle:
                time.sleep(idle)
            samples[name].append(one_start(kind, argv))
    own1, wall = os.times(), time.perf_counter() - wall0
    hz = os.sysconf("SC_CLK_TCK")
    own = (own1.user + own1.system + own1.children_user + own1.children_system) - \
          (own0.user + own0.system + own0.children_user + own0.children_system)
    other = max(0.0, (busy_jiffies() - busy0) / hz - own)
    out = {name: {"median_ms": round(statistics.median(s), 2), "min_ms": round(min(s), 2),
                  "max_ms": round(max(s), 2), "runs": len(s)} for name, s in samples.items()}
    out["other_cpu_percent"] = round(100 * other / (wall * os.cpu_count()), 1)
    print(json.dumps(out))


main()
