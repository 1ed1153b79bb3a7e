"""The new device watches its challenge (SPEC U5, §3 GET /v1/challenges/{id}
with ?wait=N): the answer is held, without a thread, until the state or the
method changes, and trusted devices hear `challenge_resolved`
`moved_to_email` when the request moves to email (U8). Real twostepd, real
SMTP, real WebSocket; time moved by the server's test clock."""

import re
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

from harness import MANUAL_CLOCK_CONFIG, ServerTestCase, code_in, text_of
from two_step_helpers import TwoStepSteps

HELD = re.compile(r"^twostep_long_polls_waiting (\d+)", re.M)


class ChallengeWatchTest(TwoStepSteps, ServerTestCase):
    # One work thread: held answers must not occupy it.
    SERVER_CONFIG = "work_threads = 1"
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = ThreadPoolExecutor(max_workers=24)

    @classmethod
    def tearDownClass(cls):
        cls.pool.shutdown(wait=True)
        super().tearDownClass()

    def watch(self, cid, wait=25):
        """A long-poll in the background; returns its future."""
        started = time.monotonic()

        def get():
            r = self.server.get(f"/v1/challenges/{cid}?wait={wait}")
            return r, time.monotonic() - started
        return self.pool.submit(get)

    def held(self):
        m = HELD.search(self.server.metrics())
        return int(m.group(1)) if m else 0

    def wait_until_held(self, n):
        """Polls /metrics (bounded) until `n` answers are held."""
        deadline = time.monotonic() + 10
        while self.held() < n:
            self.assertLess(time.monotonic(), deadline, "the long-polls were not held")
            time.sleep(0.02)

    def test_state_of_a_fresh_challenge(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            r = self.server.get(f"/v1/challenges/{challenge['challenge_id']}")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["state"], "pending")
            self.assertEqual(r.json["method"], "app")
            self.assertEqual(r.json["destination"], "1 trusted device")
            self.assertGreater(r.json["expires_in"], 590)
            self.assertGreater(r.json["resend_in"], 0)
            self.assertNotIn("code", r.raw)
        finally:
            ws.close()

    def test_bad_ids_and_waits(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            self.assertEqual(self.server.get("/v1/challenges/chl_unknown").status, 404)
            for wait in ("31", "-1", "abc", "1.5"):
                r = self.server.get(f"/v1/challenges/{cid}?wait={wait}")
                self.assertEqual(r.status, 400, (wait, r))
                self.assertEqual(r.json["code"], "invalid_request")
                self.assertIn("30", r.json["detail"])
        finally:
            ws.close()

    def test_other_challenges_are_not_visible(self):
        # A registration (or reset) challenge is not a sign-in: 404, so the
        # call says nothing about whether an address has an account.
        r = self.server.post("/v1/password/reset", {"email": "nobody@example.com"})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(self.server.get(f"/v1/challenges/{r.json['challenge_id']}").status, 404)

    def test_wait_holds_until_the_time_is_up(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            r, took = self.watch(challenge["challenge_id"], wait=1).result(10)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["state"], "pending")
            self.assertGreaterEqual(took, 1.0)
            self.assertLess(took, 4.0)
        finally:
            ws.close()

    def test_deny_wakes_the_watcher_at_once_and_holds_no_thread(self):
        email, _, token_a, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            ws.recv()  # the code request
            watchers = [self.watch(cid) for _ in range(20)]
            self.wait_until_held(20)
            # Twenty held answers, one work thread: other calls still run.
            r = self.server.get("/v1/account/security", token=token_a)
            self.assertEqual(r.status, 200, r)
            r = self.server.post(f"/v1/challenges/{cid}/deny", token=token_a)
            self.assertEqual(r.status, 200, r)
            for f in watchers:
                r, took = f.result(10)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["state"], "denied")
                self.assertLess(took, 10.0)  # well before the 25 s wait
            self.assertEqual(self.held(), 0)
        finally:
            ws.close()

    def test_moved_to_email_wakes_the_watcher_and_tells_trusted_devices(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            self.assertEqual(ws.recv()["type"], "verification_code")
            watcher = self.watch(cid)
            self.wait_until_held(1)
            r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(ws.recv(), {"type": "challenge_resolved", "challenge_id": cid,
                                         "outcome": "moved_to_email"})
            r, _ = watcher.result(10)
            self.assertEqual(r.json["state"], "pending")
            self.assertEqual(r.json["method"], "email")
            self.assertIn("***", r.json["destination"])
            mail = self.smtp.wait_for(email)
            code = code_in(mail)
            # The code mail names who asks and from where (U8).
            text = text_of(mail)
            self.assertIn("Device: Laptop B (GKWS6, Android 15)", text)
            self.assertIn("App: kasa 3.4.1", text)
            self.assertIn("Approximate location: Unknown (IP address 127.0.0.1)", text)
            r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": code})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(self.server.get(f"/v1/challenges/{cid}").json["state"], "verified")
        finally:
            ws.close()

    def test_expiry_and_exhaustion_are_seen(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, one = self.challenged(email)
            code = ws.recv()["code"]
            watcher = self.watch(one["challenge_id"])
            self.wait_until_held(1)
            self.advance(601)
            r, took = watcher.result(10)
            self.assertEqual(r.json["state"], "expired")
            self.assertEqual(r.json["expires_in"], 0)

            _, two = self.challenged(email, "Tablet C")
            code = ws.recv()["code"]
            wrong = "000000" if code != "000000" else "111111"
            for _ in range(5):
                self.server.post(f"/v1/challenges/{two['challenge_id']}/verify", {"code": wrong})
            r = self.server.get(f"/v1/challenges/{two['challenge_id']}?wait=5")
            self.assertEqual(r.json["state"], "exhausted")  # at once: not pending
        finally:
            ws.close()


if __name__ == "__main__":
    unittest.main()
