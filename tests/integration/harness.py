"""Black-box test harness: the real twostepd binary on port 0 in a temporary
directory, a real SMTP server on loopback (smtp_sink.py, aiosmtpd), and a
small HTTP client. Waiting is always on an event (a line on a pipe, a mail in
a queue) with a deadline, never a sleep."""

import email
import email.policy
import http.client
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

import openapi_check

HERE = os.path.dirname(os.path.abspath(__file__))
TWOSTEPD = os.environ.get("TWOSTEPD", os.path.join(HERE, "..", "..", "build", "twostepd"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# Which store the servers use: "sqlite" (the embedded default) or
# "postgresql" (a fresh database per server in the cluster that
# TEST_PG_URL names; CTest runs every suite once per backend).
BACKEND = os.environ.get("IT_BACKEND", "sqlite")
PG_ADMIN_URL = os.environ.get("TEST_PG_URL", "")


def psql(url, sql):
    """Runs `sql` with psql; rows as lists of strings."""
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t",
                          "-d", url, "-c", sql],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class PgDatabase:
    """A fresh database in the test cluster, dropped by drop()."""

    def __init__(self):
        if not PG_ADMIN_URL:
            why = "TEST_PG_URL is not set (scripts/pg-test-cluster.sh start)"
            if os.environ.get("TEST_PG_REQUIRED") == "1":
                raise RuntimeError(why)
            raise unittest.SkipTest(why)
        self.name = "it_" + uuid.uuid4().hex[:16]
        psql(PG_ADMIN_URL, f"CREATE DATABASE {self.name}")
        base, _, _ = PG_ADMIN_URL.rpartition("/")
        self.url = f"{base}/{self.name}"

    def drop(self):
        psql(PG_ADMIN_URL, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def read_line(proc, deadline_s, what):
    """Reads one stdout line of `proc`, failing after `deadline_s`."""
    end = time.monotonic() + deadline_s
    buf = b""
    fd = proc.stdout.fileno()
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {what} within {deadline_s}s")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1)
        if not chunk:
            raise RuntimeError(f"{what}: process exited (rc={proc.poll()})")
        if chunk == b"\n":
            return buf.decode()
        buf += chunk


class SmtpSink:
    """A real SMTP server; every received message lands in a queue."""

    def __init__(self, port=0, reject_file=None):
        """`port`: 0 picks a free one; a test that restarts a sink after an
        outage passes the port of the one it stopped. `reject_file`:
        addresses listed there are refused with 550 at RCPT (smtp_sink.py);
        each refusal lands in `rejections`."""
        extra = ["--reject-file", reject_file] if reject_file else []
        self.proc = subprocess.Popen(
            [PYTHON, os.path.join(HERE, "smtp_sink.py"), "--port", str(port), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.rejections = queue.Queue()
        line = read_line(self.proc, 20, "smtp sink start")
        m = re.match(r"listening on ([\d.]+):(\d+)", line)
        assert m, line
        self.host, self.port = m.group(1), int(m.group(2))
        self.messages = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            item = json.loads(raw)
            (self.rejections if "rejected" in item else self.messages).put(item)

    def url(self):
        return f"smtp://{self.host}:{self.port}"

    def wait_for(self, to, timeout=20, subject_contains=None):
        """Next message to `to` (others addressed elsewhere are kept aside)."""
        end = time.monotonic() + timeout
        skipped = []
        try:
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no mail to {to}")
                try:
                    item = self.messages.get(timeout=left)
                except queue.Empty:
                    raise TimeoutError(f"no mail to {to}") from None
                msg = email.message_from_string(item["data"], policy=email.policy.default)
                if to in item["rcpt_tos"] and (
                        subject_contains is None or subject_contains in msg["Subject"]):
                    msg.raw = item["data"]  # the text as received (DKIM checks)
                    return msg
                skipped.append(item)
        finally:
            for s in skipped:
                self.messages.put(s)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def code_in(msg):
    # The code stands on its own line; other lines (a sign-in code mail
    # names the requesting device) may hold digits too.
    text = text_of(msg)
    m = re.search(r"^\s*(\d{6})\s*$", text, re.M) or re.search(r"\b(\d{6})\b", text)
    assert m, "no 6-digit code in the mail"
    return m.group(1)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        ctype = headers.get("Content-Type", "")
        self.json = json.loads(body) if body and "json" in ctype else None

    def __repr__(self):
        return f"<{self.status} {self.raw[:300]!r}>"


class Server:
    """twostepd on 127.0.0.1:0 with its own data_dir and config. Its
    management listener (/metrics) is on 127.0.0.1:0 too, so that servers
    running in parallel never collide on the default port; `management_port`
    is the port it chose (None when a test turned it off)."""

    def __init__(self, smtp=None, extra_config="", env=None, scheme="http", database=None,
                 keys_file=None, server_config="", preexec_fn=None):
        """`database`: a PgDatabase to share with other servers (several
        instances as one service); by default the backend's own fresh one.
        `keys_file`: the server keys, shared by the instances of a service.
        `server_config`: more keys of the [server] table. `preexec_fn`: run
        in the child before twostepd starts (e.g. a lower RLIMIT_NOFILE)."""
        self.scheme = scheme
        self.preexec_fn = preexec_fn
        self.dir = tempfile.mkdtemp(prefix="twostep-it-")
        self.config_path = os.path.join(self.dir, "twostep.toml")
        mail = f'smtp_url = "{smtp.url()}"' if smtp else ""
        self.own_database = None
        if database is None and BACKEND == "postgresql":
            database = self.own_database = PgDatabase()
        self.database = database
        self.backend = "postgresql" if database else "sqlite"
        top = f'[database]\nurl = "{database.url}"\n' if database else ""
        keys = f'keys_file = "{keys_file}"' if keys_file else ""
        with open(self.config_path, "w") as f:
            f.write(f"""
data_dir = "{self.dir}/var"
{top}
[server]
listen = "127.0.0.1:0"
management_listen = "127.0.0.1:0"
threads = 2
{server_config}
[mail]
{mail}
[security]
argon2_iterations = 1
argon2_memory_kib = 8192
# Suites register many accounts from loopback: the flood limits are tested
# at their defaults in test_account_abuse.py (through the environment).
registrations_per_ip_hour = 100000
resets_per_ip_hour = 100000
mails_per_mailbox_hour = 100000
{keys}
{extra_config}
""")
        self.env = dict(os.environ, **(env or {}))
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.start()

    def start(self):
        self.stderr = open(self.stderr_path, "ab")
        log_start = self.stderr.tell()  # this run's log lines follow
        self.proc = subprocess.Popen([TWOSTEPD, "--config", self.config_path],
                                     stdout=subprocess.PIPE, stderr=self.stderr, env=self.env,
                                     preexec_fn=self.preexec_fn)
        line = read_line(self.proc, 30, "listening line")
        m = re.match(r"listening on " + self.scheme + r"://([\d.]+):(\d+)$", line)
        assert m, line
        self.host, self.port = m.group(1), int(m.group(2))
        # stdout carries the one public line (SPEC §4); the management
        # address is in the JSON log, written (and flushed) before it.
        with open(self.stderr_path, "rb") as f:
            f.seek(log_start)
            log = f.read().decode(errors="replace")
        m = re.search(r'"event":"management_listening","url":"http://([\d.]+):(\d+)"', log)
        self.management_port = int(m.group(2)) if m else None

    def logs(self):
        """The log as written so far. Event lines are written at once;
        request lines are buffered by twostepd (app/line_buffer_sink.h) and
        reach the file within a second: see logs_flushed()."""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def logs_flushed(self, timeout=5):
        """The log including every request answered so far: makes one more
        request and waits (bounded) for its line, which the server writes
        after every line logged before it. For checks that something is
        absent from the log (secrets), which a buffered line would pass."""
        rid = self.get("/healthz").headers.get("X-Request-Id")
        assert rid, "no X-Request-Id"
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = self.logs()
            if rid in text:
                return text
            time.sleep(0.02)  # polling the file with a bound
        raise AssertionError(f"the request line of {rid} did not reach the log within {timeout}s")

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type="application/json", port=None):
        conn = http.client.HTTPConnection(self.host, port or self.port, timeout=30)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type:
            h.setdefault("Content-Type", content_type)
        if token:
            h["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, dict(r.getheaders()), r.read().decode(errors="replace"))
        conn.close()
        # Every answer must be one that docs/openapi.yaml describes.
        openapi_check.check_response(method, path, resp,
                                     management=port is not None and port == self.management_port)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def management_get(self, path):
        """GET on the management listener (plain HTTP)."""
        assert self.management_port, "the management listener is off"
        return self.request("GET", path, port=self.management_port)

    def metrics(self):
        """The Prometheus text of /metrics, from the management listener."""
        r = self.management_get("/metrics")
        assert r.status == 200, r
        return r.raw

    def terminate(self):
        """SIGTERM (graceful); returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(30)
        self.stderr.close()
        return rc

    def kill(self):
        self.proc.kill()
        self.proc.wait(30)
        self.stderr.close()

    def query(self, sql):
        """Rows of `sql` on this server's store, as lists of strings."""
        if self.database:
            return psql(self.database.url, sql)
        import sqlite3
        con = sqlite3.connect(os.path.join(self.dir, "var", "twostep.db"))
        try:
            return [[str(v) for v in row] for row in con.execute(sql)]
        finally:
            con.close()

    def stop(self):
        if self.proc.poll() is None:
            self.terminate()
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.own_database:
            self.own_database.drop()


def new_device(name="Pixel 8", app="kasa"):
    return {"id": "dev-" + uuid.uuid4().hex[:16], "name": name, "model": "GKWS6",
            "os": "Android 15", "app": app, "app_version": "3.4.1"}


def new_email():
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


STRONG = "correct horse battery staple 42"
STRONG2 = "violet submarine orbit lantern 77"


class WsClient:
    """A real WebSocket client (Debian's python3-websockets) driven from
    synchronous tests through its own event loop thread."""

    def __init__(self, server, origin=None, tls_cafile=None):
        import asyncio
        import websockets
        self._asyncio = asyncio
        self._closed_error = websockets.ConnectionClosed
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        scheme = "wss" if tls_cafile else "ws"
        url = f"{scheme}://{server.host}:{server.port}/v1/notifications"
        kwargs = {"open_timeout": 10}
        if tls_cafile:
            import ssl
            kwargs["ssl"] = ssl.create_default_context(cafile=tls_cafile)
        if origin:
            kwargs["origin"] = origin
        async def connect():
            return await websockets.connect(url, **kwargs)
        self.ws = self._run(connect())

    def _run(self, coro, timeout=30):
        return self._asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def send(self, obj):
        self._run(self.ws.send(json.dumps(obj)))

    def recv(self, timeout=10):
        """Next message as a dict; raises TimeoutError when none arrives."""
        async def get():
            return await self._asyncio.wait_for(self.ws.recv(), timeout)
        try:
            message = json.loads(self._run(get(), timeout + 5))
        except self._asyncio.TimeoutError as e:
            raise TimeoutError("no WebSocket message") from e
        openapi_check.check_ws_message(message)
        return message

    def auth(self, token):
        self.send({"type": "auth", "token": token})
        return self.recv()

    def wait_closed(self, timeout=15):
        """True once the server closed the connection (draining messages)."""
        async def drain():
            try:
                while True:
                    await self.ws.recv()
            except self._closed_error:
                return True
        return self._run(self._asyncio.wait_for(drain(), timeout), timeout + 5)

    def close(self):
        try:
            self._run(self.ws.close(), 10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


# The admin token and test clock of suites that move time (POST /v1/admin/clock).
ADMIN = "admin-token-for-tests-0123456789"
MANUAL_CLOCK_CONFIG = f"""
[admin]
token = "{ADMIN}"
[testing]
manual_clock = true
"""


class ServerTestCase(unittest.TestCase):
    """A suite against one real twostepd and one SMTP sink, shared by its
    tests. Subclasses may set SERVER_CONFIG (more keys of [server]) and
    EXTRA_CONFIG (more tables)."""
    SERVER_CONFIG = ""
    EXTRA_CONFIG = ""

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp, server_config=cls.SERVER_CONFIG,
                            extra_config=cls.EXTRA_CONFIG)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def advance(self, seconds):
        """Moves the server's test clock (EXTRA_CONFIG = MANUAL_CLOCK_CONFIG)."""
        advance_clock(self.server, seconds)


def advance_clock(server, seconds):
    """Moves the test clock of a server started with MANUAL_CLOCK_CONFIG."""
    r = server.post("/v1/admin/clock", {"advance_s": seconds}, token=ADMIN)
    assert r.status == 204, r


def shared_keys_file():
    """One key file for every instance, as an operator would distribute it."""
    path = os.path.join(tempfile.mkdtemp(prefix="twostep-keys-"), "server.key")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, os.urandom(64))
    os.close(fd)
    return path


class TwoInstanceTestCase(unittest.TestCase):
    """Two real instances, `a` and `b`, on one PostgreSQL database with one
    key file: one service (SPEC §4)."""

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.db = PgDatabase()
        cls.keys = shared_keys_file()
        cls.a = Server(smtp=cls.smtp, database=cls.db, keys_file=cls.keys)
        cls.b = Server(smtp=cls.smtp, database=cls.db, keys_file=cls.keys)

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()
        cls.db.drop()
        cls.smtp.stop()


def register_verified(server, smtp, app="kasa", device=None, password=STRONG):
    """A new account with its email verified; returns (email, the answer of
    verify-email: device_secret when the registering device became trusted)."""
    email = new_email()
    body = {"email": email, "password": password, "app": app}
    if device:
        body["device"] = device
    r = server.post("/v1/accounts", body)
    assert r.status == 202, r
    code = code_in(smtp.wait_for(email))
    r = server.post("/v1/accounts/verify-email",
                    {"challenge_id": r.json["challenge_id"], "code": code})
    assert r.status == 200, r
    return email, r.json


def sign_in(server, email, device, secret=None, password=STRONG):
    body = {"email": email, "password": password, "device": device}
    if secret:
        body["device_secret"] = secret
    return server.post("/v1/sessions", body)
