#!/usr/bin/python3
"""RSS of authemu with N idle TLS connections: starts `authemu --tls`, opens N connections that
finish their handshake (trusting the ready line's "ca_file") and then sit idle, and prints one JSON
line: the server's VmRSS after its first handshake and with all of them open, the difference per
connection, and how long opening took. Part of `make bench` (scripts/bench.sh).

Usage: bench_tls_idle.py BINARY [N] [ARGS...]   (N default 1000; ARGS go to the server)
The soft limit on open files is raised for this process and the server (which inherits it).
"""
import json
import resource
import socket
import sys
import time

import server_proc


def connect(url, context):
    host, port = url.split("//")[1].rsplit(":", 1)
    plain = socket.create_connection((host, int(port)), timeout=10)
    return context.wrap_socket(plain, server_hostname=host)  # the handshake is done on return


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 256  # the server's listener, log and spare descriptors besides the connections
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    proc, ready = server_proc.start_authemu(binary, "--tls", *sys.argv[3:])
    try:
        url, context = server_proc.https_url(ready), server_proc.tls_context(ready)
        connect(url, context).close()
        time.sleep(0.2)
        before = server_proc.rss_kib(proc.pid)
        held, failed = [], 0
        t0 = time.perf_counter()
        for _ in range(n):
            try:
                held.append(connect(url, context))
            except (OSError, ValueError):
                failed += 1
        opened = time.perf_counter() - t0
        time.sleep(0.5)
        with_all = server_proc.rss_kib(proc.pid)
        out = {"connections": len(held), "failed": failed, "rss_kib_before": before,
               "rss_kib_with_all_open": with_all,
               "kib_each": round((with_all - before) / len(held), 1) if held else None,
               "seconds_to_open": round(opened, 2), "threads": server_proc.status_field(proc.pid, "Threads")}
        for s in held:
            s.close()
        print(json.dumps(out))
    finally:
        server_proc.stop(proc)


main()
