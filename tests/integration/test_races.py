"""Races over real HTTP: a code is consumed in the transaction that checks
it, a refresh token rotates exactly once, and a device removed while it is
in the middle of requests and of WebSocket sends is signed out cleanly."""

import threading
import unittest

from harness import STRONG, Server, SmtpSink, WsClient, code_in, new_device, new_email


def in_parallel(n, fn, with_index=False):
    """Runs fn (fn(i) with_index) on n threads released together at a barrier."""
    results = [None] * n
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        results[i] = fn(i) if with_index else fn()

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


    def test_device_removal_while_it_is_mid_request_and_mid_send(self):
        s = self.server
        email = self.account()
        phone = new_device("Phone A")
        a = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": phone}).json
        r = s.post("/v1/account/two-step", {"enabled": True}, token=a["access_token"])
        s.post("/v1/account/two-step/verify",
               {"challenge_id": r.json["challenge_id"],
                "code": code_in(self.smtp.wait_for(email, subject_contains="Two-Step"))},
               token=a["access_token"])
        ws_a = WsClient(s)
        self.assertEqual(ws_a.auth(a["access_token"])["type"], "ready")
        laptop = new_device("Laptop B")
        r = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": laptop})
        self.assertEqual(r.status, 202, r)
        code = ws_a.recv()["code"]
        b = s.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                   {"code": code, "trust_device": True}).json
        ws_b = WsClient(s)
        self.assertEqual(ws_b.auth(b["access_token"])["type"], "ready")

        # Open code requests whose resends will be in flight during the removal.
        cids = []
        for k in range(4):
            r = s.post("/v1/sessions", {"email": email, "password": STRONG,
                                        "device": new_device(f"New {k}")})
            self.assertEqual(r.status, 202, r)
            cids.append(r.json["challenge_id"])
        s.post("/v1/admin/clock", {"advance_s": 61}, token="race-admin-token")  # past the cool-down

        # At one moment: the phone removes the laptop, the laptop keeps
        # calling the API, and resends make the server send code requests to
        # both trusted devices' WebSockets.
        def role(i):
            if i == 0:
                return [s.request("DELETE", f"/v1/account/trusted-devices/{laptop['id']}",
                                  token=a["access_token"]).status]
            if i <= 3:
                return [s.get("/v1/account/login-activity?limit=5", token=b["access_token"]).status
                        for _ in range(8)]
            return [s.post(f"/v1/challenges/{cids[i - 4]}/resend", {"method": "app"}).status]
        results = in_parallel(8, role, with_index=True)

        self.assertEqual(results[0], [204])
        for statuses in results[1:4]:
            self.assertTrue(set(statuses) <= {200, 401}, statuses)
            if 401 in statuses:  # once revoked, revoked for good
                self.assertNotIn(200, statuses[statuses.index(401):], statuses)
        self.assertEqual(results[4:], [[200]] * 4)

        # The laptop's connection: code requests maybe, then signed_out last, then the close.
        got = []
        try:
            while True:
                got.append(ws_b.recv(timeout=10))
        except ws_b._closed_error:
            pass
        self.assertTrue(got, "no signed_out")
        self.assertEqual(got[-1], {"type": "signed_out", "reason": "device_removed"}, got)
        self.assertTrue(all(m["type"] in ("verification_code", "challenge_resolved") for m in got[:-1]), got)
        ws_b.close()

        self.assertEqual(s.get("/v1/account", token=b["access_token"]).status, 401)
        self.assertEqual(s.post("/v1/sessions/refresh", {"refresh_token": b["refresh_token"]}).status, 401)
        # The phone is untouched and still gets code requests; the server is fine.
        r = s.post("/v1/sessions", {"email": email, "password": STRONG, "device": new_device("Later")})
        self.assertEqual(r.status, 202, r)
        cid = r.json["challenge_id"]
        while True:
            msg = ws_a.recv()
            if msg["type"] == "verification_code" and msg["challenge_id"] == cid:
                break
        ws_a.close()
        self.assertEqual(s.get("/healthz").status, 200)
        self.assertNotIn("handler failure", s.logs())
        self.assertNotIn("uncaught", s.logs())


if __name__ == "__main__":
    unittest.main()
