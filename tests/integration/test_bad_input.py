"""Bad input always gets a clear 4xx problem, never a 5xx or a crash."""

import socket
import unittest

from harness import STRONG, ServerTestCase, code_in, new_device, new_email


class BadInputTest(ServerTestCase):

    def assertProblem(self, r, status, code=None):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers.get("Content-Type"), "application/problem+json", r)
        self.assertTrue(r.json["detail"], r)
        if code:
            self.assertEqual(r.json["code"], code, r)

    def test_malformed_json(self):
        for raw in [b"{", b"[]", b"nope", b'{"email": "a@b.co",}', b"\xff\xfe",
                    b'{"email":"a@example.com","email":"b@example.com"}']:
            r = self.server.post("/v1/accounts", raw=raw)
            self.assertProblem(r, 400, "invalid_request")

    def test_wrong_types_and_missing_fields(self):
        cases = [
            {"email": 5, "password": STRONG, "app": "kasa"},
            {"email": new_email(), "password": ["x"], "app": "kasa"},
            {"email": new_email(), "password": STRONG},
            {"password": STRONG, "app": "kasa"},
            {"email": new_email(), "password": STRONG, "app": "kasa", "device": "phone"},
            {"email": new_email(), "password": STRONG, "app": "kasa", "device": {"id": "x"}},
        ]
        for body in cases:
            self.assertProblem(self.server.post("/v1/accounts", body), 400, "invalid_request")
        r = self.server.post("/v1/sessions", {"email": new_email(), "password": STRONG})
        self.assertProblem(r, 400, "invalid_request")
        self.assertIn("device", r.json["detail"])

    def test_device_descriptions_with_control_or_format_characters(self):
        """SPEC §2 Device descriptions: a name that could spoof another one
        on the Login Security screen (a bidi override turning "exe.gpj"
        around, a zero-width space) or ring a terminal bell is refused with
        400 naming the field, and nothing is written."""
        email = new_email()
        r = self.server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
        self.server.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                                       "code": code_in(self.smtp.wait_for(email))})
        [[account_id]] = self.server.query(f"SELECT id FROM accounts WHERE email = '{email}'")
        events_before = self.server.query(
            f"SELECT COUNT(*) FROM login_events WHERE account_id = '{account_id}'")
        bad = [("name", "Pixel \u202egpj.exe"), ("name", "Pixel\u0007"),
               ("model", "\u2066GKWS6"), ("os", "Android\u200b15"), ("app", "\ufeffkasa"),
               ("app_version", "3.4.1\u0085"), ("name", "x" * 65), ("name", "")]
        for field, value in bad:
            device = new_device()
            device[field] = value
            r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": device})
            self.assertProblem(r, 400, "invalid_request")
            self.assertIn(f"device.{field}", r.json["detail"], (field, value))
            self.assertEqual(self.server.query(
                f"SELECT COUNT(*) FROM devices WHERE device_id = '{device['id']}'"), [["0"]])
            # Registration with such a device writes no account either.
            fresh = new_email()
            r = self.server.post("/v1/accounts", {"email": fresh, "password": STRONG,
                                                  "app": "kasa", "device": device})
            self.assertProblem(r, 400, "invalid_request")
            self.assertIn(f"device.{field}", r.json["detail"], (field, value))
            self.assertEqual(self.server.query(
                f"SELECT COUNT(*) FROM accounts WHERE email = '{fresh}'"), [["0"]])
        self.assertEqual(self.server.query(
            f"SELECT COUNT(*) FROM login_events WHERE account_id = '{account_id}'"), events_before)
        # A name in decomposed form is accepted and kept in NFC.
        device = new_device("Rene\u0301's phone")
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG, "device": device})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.query(
            f"SELECT name FROM devices WHERE device_id = '{device['id']}'"), [["Ren\u00e9's phone"]])

    def test_wrong_content_type(self):
        r = self.server.post("/v1/accounts", raw=b"email=a", content_type="application/x-www-form-urlencoded")
        self.assertProblem(r, 415, "unsupported_media_type")

    def test_unknown_app(self):
        r = self.server.post("/v1/accounts", {"email": new_email(), "password": STRONG, "app": "evil"})
        self.assertProblem(r, 400, "invalid_request")

    def test_oversized_body(self):
        # A declared 10 MB body is refused from its headers, before it is read.
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(b"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nContent-Length: 10485760\r\n\r\n")
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data)
        # A client that sends the whole 10 MB anyway still reads the answer.
        big = b'{"email": "' + b"a" * (10 * 1024 * 1024) + b'"}'
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(b"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nTransfer-Encoding: chunked\r\n\r\n")
            try:
                for i in range(0, len(big), 65536):
                    chunk = big[i:i + 65536]
                    s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                s.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:100])
        self.assertIn(b"payload_too_large", data)
        # The server is still fine.
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_unknown_routes_and_methods(self):
        self.assertProblem(self.server.get("/v1/nothing-here"), 404, "not_found")
        self.assertProblem(self.server.request("PUT", "/v1/accounts", body={}), 405,
                           "method_not_allowed")
        self.assertProblem(self.server.request("DELETE", "/healthz"), 405)

    def test_invalid_emails(self):
        for email in ["no-at-sign", "a@b", "a@@example.com", "a b@example.com",
                      "a@example.com\r\nBcc: x@evil.com", "x" * 300 + "@example.com"]:
            r = self.server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
            self.assertProblem(r, 400, "invalid_email")

    def test_weak_passwords(self):
        email = "margaret.hamilton@example.com"
        for password in ["short1!", "password123", "x" * 129, email, "Margaret.Hamilton-2024!"]:
            r = self.server.post("/v1/accounts", {"email": email, "password": password, "app": "kasa"})
            self.assertProblem(r, 400, "weak_password")
            self.assertNotIn(password, r.raw)

    def test_forged_and_missing_tokens(self):
        self.assertProblem(self.server.get("/v1/account"), 401, "unauthorized")
        self.assertProblem(self.server.get("/v1/account", token="forged-token"), 401, "unauthorized")
        self.assertProblem(self.server.get("/v1/account", headers={"Authorization": "Basic abc"}),
                           401, "unauthorized")
        r = self.server.post("/v1/sessions/refresh", {"refresh_token": "A" * 43})
        self.assertProblem(r, 401, "unauthorized")

    def test_verify_with_bad_code_shapes(self):
        r = self.server.post("/v1/accounts/verify-email", {"challenge_id": "chl_nope", "code": "12"})
        self.assertProblem(r, 400, "invalid_request")
        r = self.server.post("/v1/accounts/verify-email", {"challenge_id": "chl_nope", "code": "123456"})
        self.assertProblem(r, 404, "not_found")

    def test_malformed_http_is_rejected(self):
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data)
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_secrets_never_reach_logs_or_metrics(self):
        email = new_email()
        password = "unique secret passphrase 8841"
        r = self.server.post("/v1/accounts", {"email": email, "password": password, "app": "kasa"})
        code = code_in(self.smtp.wait_for(email))
        self.server.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                                       "code": code})
        session = self.server.post("/v1/sessions", {"email": email, "password": password,
                                                    "device": new_device()}).json
        metrics = self.server.metrics()
        logs = self.server.logs_flushed()
        for secret in [password, code, session["access_token"], session["refresh_token"]]:
            self.assertNotIn(secret, logs)
            self.assertNotIn(secret, metrics)
        self.assertIn("twostep_http_requests_total", metrics)
        self.assertIn('twostep_logins_total{outcome="success"}', metrics)
        self.assertIn('twostep_codes_sent_total{channel="email"}', metrics)


if __name__ == "__main__":
    unittest.main()
