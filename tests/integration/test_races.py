"""Races over real HTTP: a code is consumed in the transaction that checks
it, and a refresh token rotates exactly once."""

import threading
import unittest

from harness import STRONG, Server, SmtpSink, WsClient, code_in, new_device, new_email


def in_parallel(n, fn):
    results = [None] * n
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class RaceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp, env={"TWOSTEP_SERVER_WORK_THREADS": "8",
                                                "TWOSTEP_ADMIN_TOKEN": "race-admin-token",
                                                "TWOSTEP_TESTING_MANUAL_CLOCK": "true"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def account(self, app="kasa"):
        email = new_email()
        r = self.server.post("/v1/accounts", {"email": email, "password": STRONG, "app": app})
        self.server.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                                       "code": code_in(self.smtp.wait_for(email))})
        return email

    def test_eight_verifies_of_one_challenge_one_wins(self):
        email = self.account(app="aginet")  # two-step on, code by email
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG, "device": new_device()})
        self.assertEqual(r.status, 202, r)
        cid = r.json["challenge_id"]
        code = code_in(self.smtp.wait_for(email, subject_contains="sign-in"))
        results = in_parallel(8, lambda: self.server.post(f"/v1/challenges/{cid}/verify",
                                                          {"code": code, "trust_device": True}))
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses, [200] + [410] * 7, [r.raw for r in results])

    def test_two_refreshes_of_one_token_one_wins_and_the_family_dies(self):
        email = self.account()
        session = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                    "device": new_device()}).json
        results = in_parallel(2, lambda: self.server.post(
            "/v1/sessions/refresh", {"refresh_token": session["refresh_token"]}))
        self.assertEqual(sorted(r.status for r in results), [200, 401])
        winner = next(r for r in results if r.status == 200).json
        # The loser presented a used token: the whole family is revoked.
        self.assertEqual(self.server.get("/v1/account", token=winner["access_token"]).status, 401)

    def test_resend_storm_obeys_the_cooldown(self):
        email = self.account(app="aginet")
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG, "device": new_device()})
        cid = r.json["challenge_id"]
        self.assertEqual(self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"}).status, 429)
        self.server.post("/v1/admin/clock", {"advance_s": 60}, token="race-admin-token")
        results = in_parallel(8, lambda: self.server.post(f"/v1/challenges/{cid}/resend",
                                                          {"method": "email"}))
        # Exactly one resend gets through the cool-down; the rest wait.
        self.assertEqual(sorted(r.status for r in results), [200] + [429] * 7)


if __name__ == "__main__":
    unittest.main()
