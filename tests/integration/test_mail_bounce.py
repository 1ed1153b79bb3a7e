"""Undeliverable addresses (issue 21): an SMTP sink that answers 550 to one
address. The account is flagged (API, CLI), the refusal is counted, the
mail is not retried, and a sign-in challenge no longer offers email as if
it would arrive (it may still be tried); a later accepted delivery clears
the flag."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import (MANUAL_CLOCK_CONFIG, advance_clock, STRONG, STRONG2, Server, SmtpSink, code_in,
                     new_device, register_verified, sign_in)

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get("TWOSTEP_CLI", os.path.join(HERE, "..", "..", "build", "twostep"))


def masked(addr):
    local, _, domain = addr.partition("@")
    return local[0] + "***@" + domain


class BounceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="twostep-bounce-")
        cls.reject_file = os.path.join(cls.tmp, "reject.txt")
        open(cls.reject_file, "w").close()
        cls.smtp = SmtpSink(reject_file=cls.reject_file)
        cls.server = Server(smtp=cls.smtp, extra_config=MANUAL_CLOCK_CONFIG)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def refuse(self, *addresses):
        with open(self.reject_file, "w") as f:
            f.write("".join(a + "\n" for a in addresses))

    def next_rejection(self, timeout=20):
        return self.smtp.rejections.get(timeout=timeout)["rejected"]

    def no_rejection(self):
        self.assertTrue(self.smtp.rejections.empty(), "a refused mail was tried again")

    def security(self, token):
        r = self.server.get("/v1/account/security", token=token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def wait_deliverable(self, token, expected, timeout=20):
        """Polls (bounded) until the outbox sender has recorded the outcome."""
        end = time.monotonic() + timeout
        while True:
            sec = self.security(token)
            if sec["email_deliverable"] == expected or time.monotonic() > end:
                return sec
            time.sleep(0.05)

    def advance(self, seconds):
        advance_clock(self.server, seconds)

    def rejected_count(self):
        for line in self.server.metrics().splitlines():
            if line.startswith('twostep_mail_total{result="rejected"}'):
                return int(float(line.split()[-1]))
        return 0

    def test_a_refused_address_is_flagged_counted_not_retried_and_not_offered(self):
        addr, _ = register_verified(self.server, self.smtp)
        d1 = new_device("Laptop")
        t1 = sign_in(self.server, addr, d1).json["access_token"]
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=t1)
        self.assertEqual(r.status, 202, r)
        code = code_in(self.smtp.wait_for(addr, subject_contains="Two-Step"))
        r = self.server.post("/v1/account/two-step/verify",
                             {"challenge_id": r.json["challenge_id"], "code": code}, token=t1)
        self.assertEqual(r.status, 200, r)
        secret = r.json["device_secret"]
        self.smtp.wait_for(addr, subject_contains="turned on")
        self.assertTrue(self.security(t1)["email_deliverable"])
        before = self.rejected_count()

        self.refuse(addr)
        r = self.server.post("/v1/account/password", {
            "current_password": STRONG, "new_password": STRONG2, "sign_out_other_devices": False},
            token=t1)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.next_rejection(), addr)
        sec = self.wait_deliverable(t1, False)
        self.assertEqual((sec["email_deliverable"], sec["email_masked"]), (False, masked(addr)))
        self.assertEqual(self.rejected_count(), before + 1)
        self.assertEqual(self.server.query(
            f"SELECT COUNT(*) FROM outbox WHERE recipient = '{addr}'"), [["0"]])

        # Hours later (past every back-off) another mail goes out, and the
        # refused one was not tried again.
        self.advance(7200)
        register_verified(self.server, self.smtp)
        self.no_rejection()
        r = sign_in(self.server, addr, d1, secret, password=STRONG2)  # the old token expired
        self.assertEqual(r.status, 200, r)
        t1 = r.json["access_token"]
        self.assertFalse(self.security(t1)["email_deliverable"])

        # A new device: the code goes to the trusted device; email is not
        # offered as if it worked, but may still be tried.
        r = sign_in(self.server, addr, new_device("Pixel 8"), password=STRONG2)
        self.assertEqual(r.status, 202, r)
        self.assertEqual((r.json["method"], r.json["methods"]), ("app", ["app"]))
        cid = r.json["challenge_id"]
        r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["method"], "email")
        self.assertEqual(self.next_rejection(), addr)

        # The mailbox takes mail again: the next accepted delivery clears it.
        self.refuse()
        self.advance(61)
        r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
        self.assertEqual(r.status, 200, r)
        code = code_in(self.smtp.wait_for(addr, subject_contains="sign-in"))
        self.assertTrue(self.wait_deliverable(t1, True)["email_deliverable"])
        r = sign_in(self.server, addr, new_device("Tablet"), password=STRONG2)
        self.assertEqual(r.json["methods"], ["app", "email"])
        self.assertTrue(code)

    def test_the_cli_shows_the_refused_address(self):
        addr, _ = register_verified(self.server, self.smtp)
        home = tempfile.mkdtemp(prefix="twostep-cli-", dir=self.tmp)
        env = dict(os.environ, XDG_CONFIG_HOME=home,
                   TWOSTEP_SERVER=f"http://{self.server.host}:{self.server.port}")

        def cli(*args, stdin=""):
            return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                                  env=env, timeout=60)

        p = cli("login", addr, "--password-stdin", stdin=STRONG + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = cli("security")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("could not deliver", p.stdout)

        self.refuse(addr)
        self.assertEqual(self.server.post("/v1/password/reset", {"email": addr}).status, 202)
        self.assertEqual(self.next_rejection(), addr)
        # The outcome is recorded right after the refusal; poll it (bounded).
        end = time.monotonic() + 20
        while True:
            p = cli("security")
            if "could not deliver" in p.stdout or time.monotonic() > end:
                break
            time.sleep(0.05)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(f"We could not deliver mail to {masked(addr)}", p.stdout)
        self.refuse()


if __name__ == "__main__":
    unittest.main()
