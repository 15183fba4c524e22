#!/usr/bin/python3
"""Black-box checks of the transport against the built binary (not timings: see bench_connections.py):
  - with 300 idle keep-alive connections open, a new client is answered;
  - out of file descriptors (ulimit -n 40, 80 connections), the server sheds new connections
    instead of spinning, and serves again once connections close; SIGTERM still stops it.
Prints ok / not ok lines.
"""
import socket
import subprocess
import sys
import time

import checks
import server_proc
from checks import check
from server_proc import cpu_ticks

BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/authemu"


def start(prefix=""):
    proc, ready = server_proc.start(["bash", "-c", prefix + 'exec "$0" --listen 127.0.0.1:0', BINARY],
                                    stderr=subprocess.PIPE)
    return proc, int(ready["url"].rsplit(":", 1)[1])


def get(port, path="/_healthcheck"):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    try:
        while chunk := s.recv(4096):
            data += chunk
    except OSError:
        pass
    s.close()
    return data


# 300 idle keep-alive connections, each after one request.
proc, port = start()
idle = []
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /_healthcheck HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
    idle.append(s)
answer = get(port)
check("a new client is answered beside 300 idle keep-alive connections", answer.startswith(b"HTTP/1.1 200 OK"), answer[:60])
for s in idle:
    s.close()
check("SIGTERM stops the server with connections open", server_proc.stop(proc, timeout=5))

# Out of descriptors.
proc, port = start("ulimit -n 40; ")
held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(80)]
time.sleep(1.0)
ticks = cpu_ticks(proc.pid)
time.sleep(2.0)
spent = cpu_ticks(proc.pid) - ticks
check("out of descriptors, the server does not spin", spent <= 20, f"{spent} CPU ticks in 2 s")
for s in held:
    s.close()
time.sleep(1.0)
answer = get(port)
check("once connections close, it serves again", answer.startswith(b"HTTP/1.1 200 OK"), answer[:60])
check("SIGTERM stops it", server_proc.stop(proc, timeout=5))
err = proc.stderr.read().decode()
check("it said so once in its log", err.count("out of file descriptors") == 1, err[-300:])
checks.finish()
