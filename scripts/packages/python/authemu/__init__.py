"""authemu for Python test suites: finds the static binary this wheel carries (or AUTHEMU_BIN),
starts it on a free port, reads its ready line, and drives the admin API (clock, mint, faults,
journal, sign-in queue, devices, reset). Standard library only.

    with Authemu() as emu:
        emu.token()["access_token"]
        emu.mint(case="expired")
        emu.clock.freeze(); emu.clock.advance("5m")
"""
import atexit
import base64
import http.client
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import urllib.parse

__all__ = ["Authemu", "AuthemuError", "binary_path"]

_STDERR_KEPT = 16 * 1024


class AuthemuError(Exception):
    """A refused call (status and body: {error, error_description} or {errorCode, errorMessage}),
    or a server that could not start."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


def binary_path():
    """AUTHEMU_BIN when set and non-empty, else the binary inside this package."""
    override = os.environ.get("AUTHEMU_BIN")
    if override:
        return override
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "authemu")
    if not os.path.exists(path):
        raise AuthemuError("authemu: this installation carries no binary (the wheels are for Linux x86_64 and "
                           "aarch64); set AUTHEMU_BIN to an authemu executable")
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)  # an installer that dropped the mode bits
    return path


def _error_text(body):
    if isinstance(body, dict):
        if "error" in body:
            return body["error"] + (": " + body["error_description"] if body.get("error_description") else "")
        if "errorCode" in body:
            return body["errorCode"] + (": " + body["errorMessage"] if body.get("errorMessage") else "")
    return str(body)[:300]


class _Client:
    """HTTP to the server: one keep-alive connection at a time, JSON in and out."""

    def __init__(self, url, admin_token=None, ca_file=None):
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self._host, self._port, self._https = parts.hostname, parts.port, parts.scheme == "https"
        self._context = ssl.create_default_context(cafile=ca_file) if self._https else None
        self.admin_token = admin_token
        self._conn = None
        self._lock = threading.Lock()

    def _connection(self):
        if self._conn is None:
            if self._https:
                self._conn = http.client.HTTPSConnection(self._host, self._port, timeout=30, context=self._context)
            else:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=30)
        return self._conn

    def request(self, method, path, json_body=None, form=None, headers=None, query=None):
        """(status, body): body parsed when JSON."""
        if query:
            path += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = dict(headers or {})
        payload = None
        if json_body is not None:
            payload = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            payload = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self._lock:
            for attempt in (0, 1):
                conn = self._connection()
                try:
                    conn.request(method, path, body=payload, headers=headers)
                    res = conn.getresponse()
                    data = res.read()
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                    self.close()  # a kept-alive connection the server closed: once more on a new one
                    if attempt:
                        raise
        text = data.decode("utf-8", "replace")
        body = text
        if "json" in (res.getheader("Content-Type") or "") and text:
            try:
                body = json.loads(text)
            except ValueError:
                pass
        return res.status, body

    def admin(self, method, path, json_body=None, query=None):
        headers = {"Authorization": "Bearer " + self.admin_token} if self.admin_token else {}
        status, body = self.request(method, "/_authemu" + path, json_body=json_body, headers=headers, query=query)
        if status >= 300:
            raise AuthemuError("authemu: %s /_authemu%s: %d %s" % (method, path, status, _error_text(body)),
                               status, body)
        return body

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _environment_member(environment):
    return {"environment": environment} if environment else {}


class Clock:
    """The clocks of all environments, or of one (Environment.clock)."""

    def __init__(self, client, environment=None):
        self._client, self._environment = client, environment

    def _move(self, **body):
        body.update(_environment_member(self._environment))
        return self._client.admin("POST", "/clock", json_body=body)

    def freeze(self):
        return self._move(freeze=True)

    def release(self):
        return self._move(freeze=False)

    def advance(self, duration):
        """Forward (or back, negative) by seconds or a duration text: advance("5m")."""
        return self._move(advance=duration)

    def set(self, time):
        """To an instant: a datetime, Unix seconds or "YYYY-MM-DDTHH:MM:SSZ"."""
        if hasattr(time, "timestamp"):
            time = int(time.timestamp())
        return self._move(set=time)

    def reset(self):
        return self._client.admin("DELETE", "/clock", query=_environment_member(self._environment))

    def get(self):
        return self._client.admin("GET", "/clock", query=_environment_member(self._environment))


class _AdminQueue:
    """A queue of the admin API (/_authemu/faults, /_authemu/logins): add to it, list it, clear it."""

    _name = ""

    def __init__(self, client):
        self._client = client

    def _add(self, entry):
        return self._client.admin("POST", "/" + self._name, json_body=entry)

    def list(self):
        return self._client.admin("GET", "/" + self._name)[self._name]

    def clear(self):
        return self._client.admin("DELETE", "/" + self._name)


class Faults(_AdminQueue):
    _name = "faults"

    def add(self, endpoint, **fault):
        """Queues a failure: add("token", error="temporarily_unavailable", count=3, delay="250ms")."""
        return self._add(dict(fault, endpoint=endpoint))


class Logins(_AdminQueue):
    _name = "logins"

    def queue(self, **login):
        """What the next authorizations do: queue(user="bob"), queue(error="access_denied", client_id="web")."""
        return self._add(login)


class Devices:
    def __init__(self, client):
        self._client = client

    def approve(self, user_code, user):
        return self._client.admin("POST", "/devices/%s/approve" % urllib.parse.quote(user_code, safe=""),
                                  json_body={"user": user})

    def deny(self, user_code):
        return self._client.admin("POST", "/devices/%s/deny" % urllib.parse.quote(user_code, safe=""))

    def list(self):
        return self._client.admin("GET", "/devices")["devices"]


class Environment:
    """One environment (a Formance stack): its issuer, and token, mint, clock and reset for it."""

    def __init__(self, client, name, issuer):
        self._client, self.name, self.issuer = client, name, issuer
        self.clock = Clock(client, name)

    def token(self, client="testing", secret=None, scope=None, user=None, password=None, resource=None,
              audience=None):
        """The token response as a dict: the password grant when user is given, else
        client_credentials; the client authenticates with HTTP Basic when it has a secret."""
        if secret is None and client == "testing":
            secret = "testing"
        form = []
        if user is not None:
            if password is None:
                raise TypeError("authemu: token: user needs password")
            form += [("grant_type", "password"), ("username", user), ("password", password)]
        else:
            form.append(("grant_type", "client_credentials"))
        if scope is not None:
            form.append(("scope", scope if isinstance(scope, str) else " ".join(scope)))
        for name, value in (("resource", resource), ("audience", audience)):
            for v in [value] if isinstance(value, str) else (value or []):
                form.append((name, v))
        headers = {}
        if secret is not None:
            # RFC 6749 section 2.3.1: both parts form-encoded before Basic
            pair = urllib.parse.quote_plus(client) + ":" + urllib.parse.quote_plus(secret)
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form.append(("client_id", client))
        path = urllib.parse.urlsplit(self.issuer).path.rstrip("/") + "/oauth/token"
        status, body = self._client.request("POST", path, form=form, headers=headers)
        if status != 200:
            raise AuthemuError("authemu: token (%s): %d %s" % (self.name, status, _error_text(body)), status, body)
        return body

    def mint(self, fields=None, **more):
        """POST /_authemu/mint: {access_token (or id_token), token_type, expires_in, header, claims}."""
        body = {"environment": self.name}
        body.update(fields or {}, **more)
        return self._client.admin("POST", "/mint", json_body=body)

    def reset(self):
        return self._client.admin("POST", "/reset", json_body={"environment": self.name})


def _admin_token_of(args, env):
    token = env.get("ADMIN_TOKEN")
    for i, a in enumerate(args):
        if a == "--admin-token" and i + 1 < len(args):
            token = args[i + 1]
        elif a.startswith("--admin-token="):
            token = a[len("--admin-token="):]
    return token or None


_running = set()


@atexit.register
def _stop_all():
    for emu in list(_running):
        emu.stop()


class Authemu:
    """An authemu server for a test run: Authemu(config=, args=, env=) starts it on 127.0.0.1:0
    (--quiet, ARGS after) and returns once its ready line is read; a context manager, stopped at
    exit of the block or of the interpreter. config is a fixture file's path or the fixture as a
    dict; the server sees only the variables of env (names such as BASE_URL, CONFIG and LISTEN are
    common in an application's own environment)."""

    def __init__(self, config=None, args=(), env=None, bin=None, timeout=10.0, _connect=None):
        self._proc = None
        self._config_dir = None
        self._stderr = b""
        if _connect is not None:
            url, issuer, admin_token, ca_file = _connect
            self._client = _Client(url, admin_token, ca_file)
            self.ready = {"event": "ready", "url": url, "issuer": issuer}
        else:
            self._start(config, [str(a) for a in args], dict(env or {}), bin or binary_path(), timeout)
        self._environments = self._environments_of()
        if self.ready.get("issuer") is None:
            if isinstance(self._environments, Exception):
                raise AuthemuError("authemu: connect needs issuer (or AUTHEMU_ISSUER): %s" % self._environments)
            self.ready["issuer"] = self._environments["default"]
        self.url = self.ready["url"]
        self.issuer = self.ready["issuer"]
        self._default = Environment(self._client, "default", self.issuer)
        self.clock = Clock(self._client)
        self.faults = Faults(self._client)
        self.logins = Logins(self._client)
        self.devices = Devices(self._client)

    @classmethod
    def connect(cls, url=None, issuer=None, admin_token=None, ca_file=None):
        """The same API for a server started elsewhere: url and issuer default to AUTHEMU_URL and
        AUTHEMU_ISSUER, admin_token to ADMIN_TOKEN. stop() closes the connection only."""
        url = url or os.environ.get("AUTHEMU_URL")
        if not url:
            raise AuthemuError("authemu: connect needs url (or AUTHEMU_URL)")
        return cls(_connect=(url, issuer or os.environ.get("AUTHEMU_ISSUER"),
                             admin_token or os.environ.get("ADMIN_TOKEN"), ca_file))

    def _start(self, config, args, env, binary, timeout):
        argv = [binary, "--listen", "127.0.0.1:0", "--quiet"]
        if isinstance(config, dict):
            # The fixture itself: written as JSON, which the YAML loader reads.
            self._config_dir = tempfile.mkdtemp(prefix="authemu-")
            path = os.path.join(self._config_dir, "fixtures.json")
            with open(path, "w") as f:
                json.dump(config, f)
            argv += ["--config", path]
        elif config is not None:
            argv += ["--config", os.fspath(config)]
        argv += args
        env = {k: str(v) for k, v in env.items() if v is not None}
        try:
            self._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, env=env)
        except OSError as e:
            self._remove_config()
            raise AuthemuError("authemu (%s) could not start: %s" % (binary, e)) from None
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        line = [None]
        reader = threading.Thread(target=lambda: line.__setitem__(0, self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        raw = line[0]
        try:
            if raw is None:
                raise AuthemuError("authemu (%s) printed no ready line within %g s: %s" % (binary, timeout, self._stderr_text()))
            if not raw:
                code = self._proc.wait(5)
                raise AuthemuError("authemu (%s) exited (%s) before its ready line: %s" % (
                    binary, "code %d" % code if code >= 0 else "signal %d" % -code, self._stderr_text()))
            try:
                self.ready = json.loads(raw)
            except ValueError:
                self.ready = {}
            if self.ready.get("event") != "ready":
                raise AuthemuError("authemu (%s): not a ready line: %r" % (binary, raw))
        except AuthemuError:
            self._proc.kill()
            self._proc.wait()
            self._remove_config()
            raise
        threading.Thread(target=self._proc.stdout.read, daemon=True).start()  # drains what follows
        self._client = _Client(self.ready["url"], _admin_token_of(argv, env), self.ready.get("ca_file"))
        _running.add(self)

    def _drain_stderr(self):
        for chunk in iter(lambda: self._proc.stderr.read1(4096), b""):
            self._stderr = (self._stderr + chunk)[-_STDERR_KEPT:]

    def _stderr_text(self):
        # stderr may still be arriving from a process that just exited
        for _ in range(50):
            if self._proc.poll() is None or self._stderr:
                break
            threading.Event().wait(0.01)
        return self._stderr.decode("utf-8", "replace").strip()

    def _environments_of(self):
        try:
            return {e["name"]: e["issuer"] for e in self._client.admin("GET", "")["environments"]}
        except (AuthemuError, OSError) as e:
            return AuthemuError("authemu: the environments are unknown: %s" % e)

    def _remove_config(self):
        if self._config_dir:
            shutil.rmtree(self._config_dir, ignore_errors=True)
            self._config_dir = None

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def environment(self, name):
        if isinstance(self._environments, Exception):
            raise self._environments
        if name not in self._environments:
            raise AuthemuError("authemu: no environment '%s' (there are: %s)" % (name, ", ".join(self._environments)))
        return Environment(self._client, name, self._environments[name])

    def token(self, **options):
        """The default environment's token endpoint: token(client=, secret=, scope=, user=,
        password=, resource=, audience=) -> the token response as a dict."""
        return self._default.token(**options)

    def mint(self, fields=None, **more):
        """POST /_authemu/mint; without environment, a token of the default environment."""
        body = dict(fields or {}, **more)
        return self._client.admin("POST", "/mint", json_body=body)

    def journal(self, **filter):
        """The journal's entries: journal(endpoint="token", outcome="invalid_grant", limit=10)."""
        return self._client.admin("GET", "/journal", query=filter)["entries"]

    def reset(self):
        return self._client.admin("POST", "/reset")

    def stop(self):
        """Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it."""
        self._client.close()
        _running.discard(self)
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._remove_config()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
