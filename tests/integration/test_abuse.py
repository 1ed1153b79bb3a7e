"""Abuse controls over real HTTP (SPEC §2), each test failing when its
control is removed: the per-IP connection cap, the WebSocket auth timeout,
the wrong-code alert mail, the same answer and the same hashing work for
unknown accounts, the per-IP password throttle, header and JSON limits,
invalid UTF-8 and NUL bytes."""

import http.client
import json
import queue
import re
import socket
import time
import unittest

from harness import STRONG, Server, SmtpSink, WsClient, code_in, new_device, new_email


def metric(server, name):
    """The value of one Prometheus sample line, 0 when absent."""
    for line in server.metrics().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


class ConnectionCapTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"TWOSTEP_SERVER_MAX_CONNECTIONS_PER_IP": "3"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def connect(self):
        return socket.create_connection((self.server.host, self.server.port), timeout=10)

    def get_when_a_slot_is_free(self, path):
        """GET `path`, polling while the server has not yet taken back the
        slots of connections the test closed (that happens asynchronously)."""
        end = time.monotonic() + 10
        while True:
            try:
                r = self.server.get(path)
                if r.status != 429:
                    return r
            except (ConnectionError, http.client.HTTPException):
                pass
            self.assertLess(time.monotonic(), end, "the slot never came back")
            time.sleep(0.05)

    def test_connections_over_the_cap_get_429_and_the_close(self):
        held = [self.connect(), self.connect()]  # idle HTTP connections
        ws = WsClient(self.server)  # a WebSocket counts too, also before its auth
        try:
            with self.connect() as s:
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break  # the server closed it
                    data += chunk
            self.assertTrue(data.startswith(b"HTTP/1.1 429"), data)
            self.assertIn(b"Retry-After: 1", data)
            body = json.loads(data.split(b"\r\n\r\n", 1)[1])
            self.assertEqual(body["code"], "rate_limited")
            # A client that sends its request at once still reads the answer.
            r = self.server.get("/healthz")
            self.assertEqual(r.status, 429, r)
        finally:
            held.pop().close()
        self.assertEqual(self.get_when_a_slot_is_free("/healthz").status, 200)  # a slot came back
        for s in held:
            s.close()
        ws.close()
        metrics = self.server.metrics()  # the management listener has its own caps
        m = re.search(r'^twostep_connections_refused_total\{kind="per_ip_cap"\} (\d+)', metrics, re.M)
        self.assertTrue(m, metrics[-2000:])
        self.assertGreaterEqual(int(m.group(1)), 2)


class WebSocketAuthTimeoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"TWOSTEP_SERVER_WS_AUTH_TIMEOUT_S": "1"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_silent_websocket_is_closed_after_the_auth_timeout(self):
        ws = WsClient(self.server)
        start = time.monotonic()
        msg = ws.recv(timeout=10)
        elapsed = time.monotonic() - start
        self.assertEqual((msg["type"], msg["code"]), ("error", "auth_timeout"))
        self.assertIn("1 seconds", msg["detail"])
        self.assertTrue(ws.wait_closed())
        ws.close()
        self.assertGreaterEqual(elapsed, 0.9)  # not before the configured time
        self.assertLess(elapsed, 4.5)          # and not at a hard-coded 5 s


class AbuseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        # Loopback is a trusted proxy so that tests can speak for several client IPs.
        cls.server = Server(smtp=cls.smtp, env={"TWOSTEP_SERVER_TRUSTED_PROXIES": "127.0.0.1"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def assertProblem(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers.get("Content-Type"), "application/problem+json", r)
        self.assertEqual(r.json["code"], code, r)

    def post_from(self, ip, path, body):
        return self.server.post(path, body, headers={"X-Forwarded-For": ip})

    def register(self, app="kasa"):
        email = new_email()
        r = self.server.post("/v1/accounts", {"email": email, "password": STRONG, "app": app})
        self.assertEqual(r.status, 202, r)
        r = self.server.post("/v1/accounts/verify-email", {
            "challenge_id": r.json["challenge_id"], "code": code_in(self.smtp.wait_for(email))})
        self.assertEqual(r.status, 200, r)
        return email

    def pending_subjects(self, to):
        """Subjects of the mails to `to` that have arrived so far (consumed)."""
        subjects, others = [], []
        while True:
            try:
                item = self.smtp.messages.get_nowait()
            except queue.Empty:
                break
            if to in item["rcpt_tos"]:
                m = re.search(r"^Subject: (.*)$", item["data"], re.M)
                subjects.append(m.group(1) if m else "")
            else:
                others.append(item)
        for item in others:
            self.smtp.messages.put(item)
        return subjects

    def test_alert_mail_at_20_wrong_codes_in_a_row(self):
        email = self.register(app="aginet")  # two-step on, no trusted device: codes by email
        wrong = 0
        for challenge in range(4):
            r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": new_device()})
            self.assertEqual(r.status, 202, r)
            cid = r.json["challenge_id"]
            code = code_in(self.smtp.wait_for(email, subject_contains="sign-in"))
            bad = f"{(int(code) + 1) % 1000000:06d}"
            for attempt in range(5):
                if wrong == 19:
                    # Nothing yet after 19: a reset mail queued now arrives
                    # after any alert that was already queued.
                    self.assertEqual(self.server.post("/v1/password/reset", {"email": email}).status, 202)
                    self.smtp.wait_for(email, subject_contains="password reset")
                    subjects = self.pending_subjects(email)
                    self.assertFalse([s for s in subjects if "wrong verification codes" in s], subjects)
                r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": bad, "trust_device": True})
                self.assertProblem(r, 400, "invalid_code")
                self.assertEqual(r.json["attempts_left"], 4 - attempt)
                wrong += 1
        self.assertEqual(wrong, 20)
        alert = self.smtp.wait_for(email, subject_contains="Many wrong verification codes")
        self.assertIsNone(re.search(r"\b\d{6}\b", alert.get_body(("plain",)).get_content()))

    def test_unknown_accounts_get_the_same_answer_and_the_same_hashing(self):
        email = self.register()
        verify = 'twostep_password_hashes_total{op="verify"}'
        hashed = 'twostep_password_hashes_total{op="hash"}'

        def delta(fn):
            before = (metric(self.server, verify), metric(self.server, hashed))
            r = fn()
            after = (metric(self.server, verify), metric(self.server, hashed))
            return r, (after[0] - before[0], after[1] - before[1])

        wrong = "not the right password 1"
        known, known_work = delta(lambda: self.post_from(
            "192.0.2.10", "/v1/sessions", {"email": email, "password": wrong, "device": new_device()}))
        unknown, unknown_work = delta(lambda: self.post_from(
            "192.0.2.10", "/v1/sessions", {"email": new_email(), "password": wrong, "device": new_device()}))
        self.assertEqual((known.status, known.json), (unknown.status, unknown.json))
        self.assertEqual(known_work, unknown_work)
        self.assertEqual(known_work, (1, 0))  # one Argon2id verify each, against a dummy hash if need be

        # Registration: a taken address answers like a free one, with the same work.
        taken, taken_work = delta(lambda: self.server.post(
            "/v1/accounts", {"email": email, "password": STRONG2_, "app": "kasa"}))
        free, free_work = delta(lambda: self.server.post(
            "/v1/accounts", {"email": new_email(), "password": STRONG2_, "app": "kasa"}))
        self.assertEqual((taken.status, sorted(taken.json)), (free.status, sorted(free.json)))
        self.assertEqual(taken_work, free_work)
        self.assertEqual(taken_work[1], 1)

        # Password reset likewise.
        taken, taken_work = delta(lambda: self.server.post("/v1/password/reset", {"email": email}))
        free, free_work = delta(lambda: self.server.post("/v1/password/reset", {"email": new_email()}))
        self.assertEqual((taken.status, sorted(taken.json)), (free.status, sorted(free.json)))
        self.assertEqual(taken_work, free_work)

    def test_password_failures_are_throttled_per_client_ip(self):
        attacker, bystander = "198.51.100.23", "198.51.100.24"
        for i in range(100):  # different accounts: the per-account limit never trips
            r = self.post_from(attacker, "/v1/sessions", {"email": new_email(), "password": "wrong password 1",
                                                         "device": new_device()})
            self.assertEqual(r.status, 401, (i, r))
        r = self.post_from(attacker, "/v1/sessions", {"email": new_email(), "password": "wrong password 1",
                                                     "device": new_device()})
        self.assertProblem(r, 429, "rate_limited")
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        r = self.post_from(bystander, "/v1/sessions", {"email": new_email(), "password": "wrong password 1",
                                                      "device": new_device()})
        self.assertEqual(r.status, 401, r)  # other addresses are not affected

    def raw(self, data):
        """Sends raw bytes; returns everything the server answers until it closes."""
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(data)
            out = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return out
                out += chunk

    def test_header_size_and_count_limits(self):
        big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n"
        self.assertTrue(self.raw(big).startswith(b"HTTP/1.1 400"))
        # Beast has no separate header count limit: the 16 KiB bound caps the count too.
        many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
            b"X-H%d: v\r\n" % i for i in range(3000)) + b"\r\n"
        self.assertTrue(self.raw(many).startswith(b"HTTP/1.1 400"))
        some = {f"X-H{i}": "v" for i in range(50)}
        self.assertEqual(self.server.get("/healthz", headers=some).status, 200)

    def test_json_depth_string_and_number_limits(self):
        deep = b'{"email":' + b'[' * 9 + b']' * 9 + b',"password":"x","app":"kasa"}'
        r = self.server.post("/v1/accounts", raw=deep)
        self.assertProblem(r, 400, "invalid_request")
        self.assertIn("not valid JSON", r.json["detail"])
        r = self.server.post("/v1/accounts", {"email": "a" * 5000 + "@example.com", "password": STRONG,
                                              "app": "kasa"})
        self.assertEqual(r.status, 400, r)
        self.assertNotIn("a" * 100, r.raw)  # the value is never echoed
        r = self.server.post("/v1/password/strength", {"password": "p" * 100000})
        self.assertIn(r.status, (400, 413), r)
        for number in [b"1e999999", b"123456789012345678901234567890", b"-0.0e-999999"]:
            r = self.server.post("/v1/challenges/chl_x/verify",
                                 raw=b'{"code":' + number + b',"trust_device":true}')
            self.assertProblem(r, 400, "invalid_request")

    def test_invalid_utf8_and_nul_bytes_are_400(self):
        bodies = [
            b'{"email":"a\xff@example.com","password":"' + STRONG.encode() + b'","app":"kasa"}',
            b'{"email":"a\xed\xa0\x80@example.com","password":"' + STRONG.encode() + b'","app":"kasa"}',
            b'{"email":"a\\u0000@example.com","password":"' + STRONG.encode() + b'","app":"kasa"}',
            b'{"email":"a@example.com","password":"correct horse\\u0000 battery 9","app":"kasa"}',
            b'{"email":"a@example.com",\x00"password":"x","app":"kasa"}',
            b'{"email":"a@example.com","password":"' + STRONG.encode() + b'","app":"kasa"}\x00',
        ]
        for body in bodies:
            r = self.server.post("/v1/accounts", raw=body)
            self.assertProblem(r, 400, "invalid_request")
        r = self.server.post("/v1/sessions", raw=b'{"email":"a@example.com","password":"\xc0\xaf",'
                                                 b'"device":' + json.dumps(new_device()).encode() + b'}')
        self.assertProblem(r, 400, "invalid_request")


STRONG2_ = "violet submarine orbit lantern 77"

if __name__ == "__main__":
    unittest.main()
