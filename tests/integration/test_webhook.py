"""The webhook provider POSTs each notification to a local receiver, with
retries when the receiver fails."""

import http.server
import json
import queue
import threading
import unittest

from harness import STRONG, Server, SmtpSink, code_in, new_device, new_email


class Receiver(http.server.BaseHTTPRequestHandler):
    failures_left = 1
    received = queue.Queue()
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with Receiver.lock:
            fail = Receiver.failures_left > 0
            Receiver.failures_left -= 1
        self.send_response(500 if fail else 204)
        self.end_headers()
        Receiver.received.put((fail, self.headers["Content-Type"], json.loads(body)))

    def log_message(self, *args):
        pass


class WebhookTest(unittest.TestCase):
    def test_notifications_reach_the_webhook_with_retries(self):
        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        smtp = SmtpSink()
        server = Server(smtp=smtp, extra_config=f"""
[push]
webhook_url = "http://127.0.0.1:{receiver.server_address[1]}/push"
""")
        try:
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
            self.assertEqual(r.status, 202, r)
            failed, ctype, first = Receiver.received.get(timeout=20)
            self.assertTrue(failed)
            failed, ctype, again = Receiver.received.get(timeout=20)
            self.assertFalse(failed)
            self.assertEqual(first, again)  # the same notification, retried
            self.assertEqual(ctype, "application/json")
            self.assertEqual(again["device_id"], phone["id"])
            n = again["notification"]
            self.assertEqual(n["type"], "verification_code")
            self.assertEqual(n["challenge_id"], r.json["challenge_id"])
            self.assertEqual(n["requester"]["device"]["name"], "Laptop")
            # The code in the push is the one that verifies.
            r = server.post(f"/v1/challenges/{n['challenge_id']}/verify", {"code": n["code"]})
            self.assertEqual(r.status, 200, r)
            self.assertNotIn(n["code"], server.logs())
        finally:
            server.stop()
            smtp.stop()
            receiver.shutdown()


if __name__ == "__main__":
    unittest.main()
