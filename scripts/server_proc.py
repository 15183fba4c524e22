"""Shared by the Python scripts that run a server: start it and wait for its ready line, stop it,
and read a process's memory and CPU time from /proc. The shell scripts' twin is scripts/lib.sh."""
import json
import ssl
import subprocess


def authemu_ready(line):
    """authemu's ready line, {"event":"ready","url":...,"issuer":...}, as a dict; None for any other line."""
    try:
        ready = json.loads(line)
    except ValueError:
        return None
    return ready if isinstance(ready, dict) and ready.get("event") == "ready" else None


def start(argv, ready=authemu_ready, stderr=subprocess.DEVNULL):
    """Runs argv with its stdout piped and reads lines until ready(line) gives a value.
    Returns (process, value); exits naming argv[0] if the process ends its output first."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=stderr)
    for line in proc.stdout:
        found = ready(line.decode(errors="replace"))
        if found is not None:
            return proc, found
    proc.wait()
    raise SystemExit(f"{argv[0]} exited before it was ready (exit code {proc.returncode})")


def start_authemu(binary, *args, stderr=subprocess.DEVNULL):
    """authemu on a free loopback port; returns (process, its ready line as a dict)."""
    return start([binary, "--listen", "127.0.0.1:0", "--quiet", *args], authemu_ready, stderr)


def https_url(ready):
    """The HTTPS URL of a ready line: "tls_url" when the server has a TLS listener beside a plain
    one, else "url" (https with --tls)."""
    return ready.get("tls_url") or ready["url"]


def tls_context(ready):
    """A client context that trusts the ready line's "ca_file" alone (not the system store, whose
    loading would take longer than a start); without one, one that checks nothing (a server given
    its own certificate)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ready.get("ca_file"):
        context.load_verify_locations(cafile=ready["ca_file"])
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def stop(proc, timeout=10):
    """SIGTERM, then SIGKILL after timeout seconds; True if it stopped on SIGTERM."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def status_field(pid, name):
    """A number from /proc/PID/status, such as VmRSS (KiB) or Threads; 0 when it has none."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    return status_field(pid, "VmRSS")


def cpu_ticks(pid):
    """The CPU time a process has used, user + system, in clock ticks (/proc/PID/stat; the fields
    after its name, which may hold spaces)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def read_response(sock):
    """One HTTP/1.1 response from a socket: (head, body), the body by its Content-Length. What came
    so far when the connection ends or times out first."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return head, body
    except OSError:
        return data.partition(b"\r\n\r\n")[0::2]
