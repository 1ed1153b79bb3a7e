"""The webhook provider POSTs each notification to a local receiver, with
retries when the receiver fails. With push.webhook_secret set, every POST is
signed (X-Twostep-Timestamp and X-Twostep-Signature: sha256=HMAC-SHA-256 of
"<timestamp>.<body>"), and the receiver here checks it as an integrator
would (README, "Webhook signatures")."""

import hashlib
import hmac
import http.server
import json
import queue
import threading
import time
import unittest

from harness import STRONG, Server, SmtpSink, code_in, new_device, new_email

SECRET = "whsec-test-5b0e8a3c1f2d4e6a9b7c"
REPLAY_WINDOW_S = 300


def signature_ok(secret, headers, body):
    """The integrator's check: the timestamp is recent and the signature is
    HMAC-SHA-256 over "<timestamp>.<body>" under the shared secret,
    compared in constant time."""
    ts = headers.get("X-Twostep-Timestamp", "")
    sig = headers.get("X-Twostep-Signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > REPLAY_WINDOW_S:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, sig)


def make_receiver(secret, failures):
    """A local HTTP receiver: refuses requests whose signature does not
    verify under `secret` (401), fails the first `failures` good ones
    (500), accepts the rest (204). Every request lands in `received`."""
    state = {"failures_left": failures, "lock": threading.Lock()}
    received = queue.Queue()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            good = secret is None or signature_ok(secret, self.headers, body)
            with state["lock"]:
                fail = good and state["failures_left"] > 0
                if fail:
                    state["failures_left"] -= 1
            status = 401 if not good else 500 if fail else 204
            self.send_response(status)
            self.end_headers()
            received.put({"status": status, "headers": dict(self.headers),
                          "body": body, "json": json.loads(body)})

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def request_a_code(server, smtp):
    """An account with Two-Step on and a phone; a laptop's sign-in then
    sends the phone a verification_code. Returns (phone, challenge_id)."""
    email = new_email()
    r = server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
    server.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                              "code": code_in(smtp.wait_for(email))})
    phone = new_device("Phone")
    token = server.post("/v1/sessions", {"email": email, "password": STRONG,
                                         "device": phone}).json["access_token"]
    r = server.post("/v1/account/two-step", {"enabled": True}, token=token)
    server.post("/v1/account/two-step/verify",
                {"challenge_id": r.json["challenge_id"],
                 "code": code_in(smtp.wait_for(email))}, token=token)
    r = server.post("/v1/sessions", {"email": email, "password": STRONG,
                                     "device": new_device("Laptop")})
    assert r.status == 202, r
    return phone, r.json["challenge_id"]


class WebhookTest(unittest.TestCase):
    def start(self, receiver, secret):
        push = f'webhook_url = "http://127.0.0.1:{receiver.server_address[1]}/push"\n'
        if secret:
            push += f'webhook_secret = "{secret}"\n'
        return Server(smtp=self.smtp, extra_config="[push]\n" + push)

    def setUp(self):
        self.smtp = SmtpSink()

    def tearDown(self):
        self.smtp.stop()

    def test_notifications_reach_the_webhook_signed_with_retries(self):
        receiver, received = make_receiver(SECRET, failures=1)
        server = self.start(receiver, SECRET)
        try:
            phone, challenge_id = request_a_code(server, self.smtp)
            first = received.get(timeout=20)
            self.assertEqual(first["status"], 500)  # signature good, receiver failing
            again = received.get(timeout=20)
            self.assertEqual(again["status"], 204)
            self.assertEqual(first["json"], again["json"])  # the same notification, retried
            self.assertEqual(again["headers"]["Content-Type"], "application/json")
            self.assertRegex(again["headers"]["X-Twostep-Signature"], r"^sha256=[0-9a-f]{64}$")
            self.assertEqual(again["json"]["device_id"], phone["id"])
            n = again["json"]["notification"]
            self.assertEqual(n["type"], "verification_code")
            self.assertEqual(n["challenge_id"], challenge_id)
            self.assertEqual(n["requester"]["device"]["name"], "Laptop")
            # The code in the push is the one that verifies.
            r = server.post(f"/v1/challenges/{n['challenge_id']}/verify", {"code": n["code"]})
            self.assertEqual(r.status, 200, r)
            logs = server.logs_flushed()
            self.assertNotIn(n["code"], logs)
            self.assertNotIn(SECRET, logs)
            self.assertNotIn(SECRET, server.get("/metrics").raw)
        finally:
            server.stop()
            receiver.shutdown()

    def test_a_receiver_with_another_secret_refuses_every_post(self):
        receiver, received = make_receiver(SECRET, failures=0)
        server = self.start(receiver, "whsec-some-other-secret-000000")
        try:
            request_a_code(server, self.smtp)
            got = received.get(timeout=20)
            self.assertEqual(got["status"], 401)
            self.assertIn("X-Twostep-Signature", got["headers"])
        finally:
            server.stop()
            receiver.shutdown()

    def test_without_a_secret_posts_are_unsigned(self):
        receiver, received = make_receiver(None, failures=0)
        server = self.start(receiver, None)
        try:
            request_a_code(server, self.smtp)
            got = received.get(timeout=20)
            self.assertEqual(got["status"], 204)
            self.assertNotIn("X-Twostep-Signature", got["headers"])
        finally:
            server.stop()
            receiver.shutdown()


if __name__ == "__main__":
    unittest.main()
