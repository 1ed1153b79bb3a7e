"""Clients across a restart (issue #22): `twostep listen` gets the close 1012
of a draining server, reconnects on its own with a short jittered back-off,
and shows the code requests that arrived while it was away (from
/v1/notifications/pending), each once."""

import shutil
import socket
import tempfile
import time
import unittest

from harness import STRONG, Server, SmtpSink, code_in, new_device, new_email
from test_cli import Cli, next_json, send

# "Devices not reconnected within 5 s" count as failures (issue #22).
RECONNECT_S = 5


def fixed_port():
    """A free port, so the restarted server is found at the same address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ListenReconnectTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink()
        self.server = Server(smtp=self.smtp,
                             env={"TWOSTEP_SERVER_LISTEN": f"127.0.0.1:{fixed_port()}"})
        self.home = tempfile.mkdtemp(prefix="twostep-reconnect-")
        self.cli = Cli(self.server, self.home)
        self.listener = None

    def tearDown(self):
        if self.listener and self.listener.poll() is None:
            self.listener.terminate()
            self.listener.wait(10)
        self.server.stop()
        self.smtp.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def trusted_cli_account(self):
        """An account with Two-Step on, whose trusted device is the CLI."""
        email = new_email()
        rc, out, err = self.cli.run("register", email, "--password-stdin", stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        rc, _, err = self.cli.run("verify-email", out[0]["challenge_id"],
                                  code_in(self.smtp.wait_for(email)))
        self.assertEqual(rc, 0, err)
        rc, _, err = self.cli.run("login", email, "--password-stdin", stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        on = self.cli.start("two-step", "on")
        self.assertEqual(next_json(on, "two-step challenge")["status"], "challenge")
        send(on, code_in(self.smtp.wait_for(email, subject_contains="Two-Step")))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)
        return email

    def new_device_signs_in(self, email):
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                              "device": new_device("Laptop")})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def test_a_request_made_while_listen_was_away_is_shown_after_it_connects(self):
        email = self.trusted_cli_account()
        challenge_id = self.new_device_signs_in(email)  # nobody is listening yet
        self.listener = self.cli.start("listen")
        self.assertEqual(next_json(self.listener, "ready")["type"], "ready")
        request = next_json(self.listener, "the open request from the pending list")
        self.assertEqual((request["type"], request["challenge_id"]),
                         ("verification_code", challenge_id))
        r = self.server.post(f"/v1/challenges/{challenge_id}/verify",
                             {"code": request["code"], "trust_device": False})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(next_json(self.listener, "resolved")["outcome"], "verified")

    def test_listen_comes_back_after_a_restart_and_shows_the_request_once(self):
        email = self.trusted_cli_account()
        self.listener = self.cli.start("listen")
        self.assertEqual(next_json(self.listener, "ready")["type"], "ready")
        self.assertEqual(self.server.terminate(), 0)  # the drain: close 1012
        self.server.start()  # same data, same port
        restarted = time.monotonic()
        # Signed in while the listener may still be away: the code reaches
        # it live or from a pending list, exactly once. Which comes first is
        # not fixed: the pending list that the first connection fetched after
        # its "ready" may be answered by the restarted server, after this
        # sign-in and before the new connection's "ready" (seen in CI).
        challenge_id = self.new_device_signs_in(email)
        seen, request = [], None
        while request is None or "ready" not in seen:
            left = RECONNECT_S - (time.monotonic() - restarted)
            self.assertGreater(left, 0, f"not ready and shown within {RECONNECT_S} s: {seen}")
            message = next_json(self.listener, "ready again and the request", timeout=left)
            seen.append(message["type"])
            if message["type"] == "verification_code":
                request = message
        self.assertEqual(seen.count("ready"), 1, seen)
        self.assertEqual(seen.count("verification_code"), 1, seen)
        print(f"\nlisten ready {time.monotonic() - restarted:.3f} s after the restart ({seen})")
        self.assertEqual(request["challenge_id"], challenge_id)
        r = self.server.post(f"/v1/challenges/{challenge_id}/verify",
                             {"code": request["code"], "trust_device": False})
        self.assertEqual(r.status, 200, r)
        # The next line is the outcome, not the same request a second time.
        self.assertEqual(next_json(self.listener, "resolved"),
                         {"type": "challenge_resolved", "challenge_id": challenge_id,
                          "outcome": "verified"})


if __name__ == "__main__":
    unittest.main()
