#!/usr/bin/python3
"""Black-box checks of the transport against the built binary (not timings: see bench_connections.py):
  - with 300 idle keep-alive connections open, a new client is answered;
  - out of file descriptors (ulimit -n 40, 80 connections), the server sheds new connections
    instead of spinning, and serves again once connections close; SIGTERM still stops it;
  - with --tls (when the binary has it): beside 256 idle keep-alive TLS connections and 64
    half-finished handshakes, a new TLS client gets its token; the half-finished handshakes are
    closed once the request deadline passes (the idle ones stay and still serve); SIGTERM stops the
    server with both kinds open.
Prints ok / not ok lines.
"""
import base64
import os
import resource
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

# TLS: idle keep-alive connections and half-finished handshakes beside a new client.
# ServerLimits::request_timeout_ms (emulator/http/http_server.h): a handshake counts against the
# deadline of a request head, 10 s after the connection was accepted, enforced on the event thread's
# next check (every 200 ms); short enough to wait for here.
REQUEST_TIMEOUT_S = 10
# The first 27 bytes of a 517-byte ClientHello: a record header announcing 512 bytes (RFC 8446
# §5.1), the handshake header (client_hello, 508 bytes), legacy_version and half the random.
HALF_CLIENT_HELLO = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]) + os.urandom(16)
TOKEN_FORM = b"grant_type=client_credentials"


def tls_connect(host, port, context):
    plain = socket.create_connection((host, port), timeout=5)
    return context.wrap_socket(plain, server_hostname=host)  # the handshake is done on return


def read_response(s):
    """One response as bytes (server_proc.read_response's head and body)."""
    head, body = server_proc.read_response(s)
    return head + b"\r\n\r\n" + body


def half_handshake(host, port):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(HALF_CLIENT_HELLO)
    return s


def closed_now(s):
    """Whether the server has already closed s (EOF or reset), without waiting (with a timeout set,
    Python polls before recv whatever the flags)."""
    s.settimeout(0)
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def closed_by(s, deadline):
    """Whether the server closes s (EOF or reset) before the monotonic deadline."""
    s.settimeout(max(0.01, deadline - time.monotonic()))
    try:
        return s.recv(4096) == b""
    except ConnectionResetError:
        return True
    except OSError:
        return False


if "--tls" not in subprocess.run([BINARY, "--help"], capture_output=True, text=True).stdout:
    print("# skipped: the TLS connection checks (this binary has no --tls)")
    checks.finish()

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft != resource.RLIM_INFINITY and soft < 1024:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024 if hard == resource.RLIM_INFINITY else min(1024, hard), hard))
proc, ready = server_proc.start_authemu(BINARY, "--tls")
host, port = ready["url"].split("//")[1].rsplit(":", 1)  # with --tls the main listener's url is https
port = int(port)
context = server_proc.tls_context(ready)
health = f"GET /_healthcheck HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
idle, answered = [], 0
for _ in range(256):
    s = tls_connect(host, port, context)
    s.sendall(health)
    answered += read_response(s).startswith(b"HTTP/1.1 200 OK")
    idle.append(s)
check("256 keep-alive TLS connections are answered once each", answered == 256, f"{answered} answered")
opened = time.monotonic()
halves = [half_handshake(host, port) for _ in range(64)]
s = tls_connect(host, port, context)
s.sendall((f"POST /api/auth/oauth/token HTTP/1.1\r\nHost: {host}:{port}\r\n"
           f"Authorization: Basic {base64.b64encode(b'testing:testing').decode()}\r\n"
           f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(TOKEN_FORM)}\r\n"
           "Connection: close\r\n\r\n").encode() + TOKEN_FORM)
answer = read_response(s)
s.close()
check("a new TLS client gets a token beside 256 idle TLS connections and 64 half-finished handshakes",
      answer.startswith(b"HTTP/1.1 200 OK") and b'"access_token"' in answer, answer[:200])
early = sum(closed_now(h) for h in halves)
check("the half-finished handshakes were still open meanwhile", early == 0, f"{early} of 64 closed")
# Their deadline (10 s after `opened`, a little later for the last one), the event thread's next
# check (200 ms) and a margin for a loaded machine.
deadline = opened + REQUEST_TIMEOUT_S + 3
closed = sum(closed_by(h, deadline) for h in halves)
check(f"the half-finished handshakes are closed once the {REQUEST_TIMEOUT_S} s request deadline passes",
      closed == 64, f"{closed} of 64 closed {time.monotonic() - opened:.1f} s after they were opened")
for h in halves:
    h.close()
answered = 0
for s in idle:
    s.sendall(health)
    answered += read_response(s).startswith(b"HTTP/1.1 200 OK")
check("the idle TLS connections stay open and serve again", answered == 256, f"{answered} of 256 answered")
halves = [half_handshake(host, port) for _ in range(64)]
check("SIGTERM stops the TLS server with idle connections and half-finished handshakes open",
      server_proc.stop(proc, timeout=5))
for s in idle + halves:
    s.close()
checks.finish()
