"""The account life cycle over real HTTP and real SMTP (issue: foundation)."""

import unittest

from harness import STRONG, STRONG2, ServerTestCase, code_in, new_device, new_email, text_of


class AccountFlowTest(ServerTestCase):

    def register(self, email, password=STRONG, app="kasa"):
        r = self.server.post("/v1/accounts", {"email": email, "password": password, "app": app})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def register_verified(self, password=STRONG):
        email = new_email()
        cid = self.register(email, password)
        code = code_in(self.smtp.wait_for(email))
        r = self.server.post("/v1/accounts/verify-email", {"challenge_id": cid, "code": code})
        self.assertEqual(r.status, 200, r)
        return email

    def sign_in(self, email, password=STRONG, device=None):
        return self.server.post("/v1/sessions", {"email": email, "password": password,
                                                 "device": device or new_device()})

    def test_full_life_cycle(self):
        s = self.server
        email = new_email()
        cid = self.register(email)
        mail = self.smtp.wait_for(email)
        self.assertIn("no-reply@localhost", mail["From"])
        self.assertTrue(mail["Message-ID"])
        code = code_in(mail)

        # Before verification a sign-in is refused and a new code is sent.
        r = self.sign_in(email)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json["code"], "email_not_verified")
        self.assertTrue(r.json["challenge_id"])
        self.smtp.wait_for(email)

        r = s.post("/v1/accounts/verify-email", {"challenge_id": cid, "code": code})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["email_verified"])
        # Single use.
        r = s.post("/v1/accounts/verify-email", {"challenge_id": cid, "code": code})
        self.assertEqual(r.status, 410, r)

        r = self.sign_in(email)
        self.assertEqual(r.status, 200, r)
        session = r.json
        self.assertEqual(session["account"]["email"], email)
        self.assertEqual(session["expires_in"], 900)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")

        r = s.get("/v1/account", token=session["access_token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["email"], email)
        self.assertTrue(r.json["email_verified"])

        # Refresh rotates; the old refresh token is dead, and presenting it
        # again revokes the whole family (also the new tokens).
        r = s.post("/v1/sessions/refresh", {"refresh_token": session["refresh_token"]})
        self.assertEqual(r.status, 200, r)
        rotated = r.json
        self.assertNotEqual(rotated["refresh_token"], session["refresh_token"])
        self.assertEqual(s.get("/v1/account", token=rotated["access_token"]).status, 200)
        r = s.post("/v1/sessions/refresh", {"refresh_token": session["refresh_token"]})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(s.get("/v1/account", token=rotated["access_token"]).status, 401)
        r = s.post("/v1/sessions/refresh", {"refresh_token": rotated["refresh_token"]})
        self.assertEqual(r.status, 401, r)

        # Change password (signing out other devices).
        other = self.sign_in(email).json
        current = self.sign_in(email).json
        r = s.post("/v1/account/password", {"current_password": "wrong password 123",
                                            "new_password": STRONG2,
                                            "sign_out_other_devices": True},
                   token=current["access_token"])
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json["code"], "invalid_credentials")
        r = s.post("/v1/account/password", {"current_password": STRONG, "new_password": "abc",
                                            "sign_out_other_devices": True},
                   token=current["access_token"])
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["code"], "weak_password")
        r = s.post("/v1/account/password", {"current_password": STRONG, "new_password": STRONG2,
                                            "sign_out_other_devices": True},
                   token=current["access_token"])
        self.assertEqual(r.status, 204, r)
        self.smtp.wait_for(email, subject_contains="password was changed")
        # Signing in from new devices told the owner each time.
        self.smtp.wait_for(email, subject_contains="New sign-in")
        self.assertEqual(s.get("/v1/account", token=current["access_token"]).status, 200)
        self.assertEqual(s.get("/v1/account", token=other["access_token"]).status, 401)
        self.assertEqual(self.sign_in(email, STRONG).status, 401)
        self.assertEqual(self.sign_in(email, STRONG2).status, 200)

        # Forgot password: reset by an emailed code.
        r = s.post("/v1/password/reset", {"email": email})
        self.assertEqual(r.status, 202, r)
        reset_id = r.json["challenge_id"]
        reset_code = code_in(self.smtp.wait_for(email, subject_contains="reset code"))
        wrong = "000000" if reset_code != "000000" else "111111"
        r = s.post("/v1/password/reset/confirm", {"challenge_id": reset_id, "code": wrong,
                                                  "new_password": "a new and strong passphrase 9"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["code"], "invalid_code")
        self.assertEqual(r.json["attempts_left"], 4)
        r = s.post("/v1/password/reset/confirm", {"challenge_id": reset_id, "code": reset_code,
                                                  "new_password": "a new and strong passphrase 9"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(s.get("/v1/account", token=current["access_token"]).status, 401)
        self.assertEqual(self.sign_in(email, STRONG2).status, 401)
        self.assertEqual(self.sign_in(email, "a new and strong passphrase 9").status, 200)

    def test_registration_does_not_reveal_existing_accounts(self):
        email = self.register_verified()
        cid = self.register(email, "another strong passphrase 11")
        notice = self.smtp.wait_for(email)
        self.assertIn("already", text_of(notice).lower())
        self.assertIsNone(__import__("re").search(r"\b\d{6}\b", text_of(notice)))
        # The decoy challenge behaves like a real one and never verifies.
        r = self.server.post("/v1/accounts/verify-email", {"challenge_id": cid, "code": "123456"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["attempts_left"], 4)
        # The original password still works; the attempt changed nothing.
        self.assertEqual(self.sign_in(email).status, 200)

    def test_wrong_password_and_unknown_email_look_the_same(self):
        email = self.register_verified()
        a = self.sign_in(email, "not the right password 1")
        b = self.sign_in(new_email(), "not the right password 1")
        self.assertEqual((a.status, a.json["code"], a.json["detail"]),
                         (b.status, b.json["code"], b.json["detail"]))
        self.assertEqual(a.status, 401)

    def test_password_failures_are_throttled_per_account(self):
        email = self.register_verified()
        for _ in range(10):
            self.assertEqual(self.sign_in(email, "wrong password here 1").status, 401)
        r = self.sign_in(email)
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.json["code"], "rate_limited")
        self.assertGreater(int(r.headers["Retry-After"]), 0)

    def test_sign_out_kills_the_session(self):
        email = self.register_verified()
        session = self.sign_in(email).json
        r = self.server.request("DELETE", "/v1/sessions/current", token=session["access_token"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.server.get("/v1/account", token=session["access_token"]).status, 401)
        r = self.server.post("/v1/sessions/refresh", {"refresh_token": session["refresh_token"]})
        self.assertEqual(r.status, 401)

    def test_password_strength(self):
        r = self.server.post("/v1/password/strength", {"password": "password123"})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["acceptable"])
        self.assertLess(r.json["score"], 2)
        self.assertTrue(r.json["warning"])
        r = self.server.post("/v1/password/strength", {"password": STRONG})
        self.assertTrue(r.json["acceptable"])
        r = self.server.post("/v1/password/strength",
                             {"password": "jonathan-secret-9", "email": "jonathan@example.com"})
        self.assertFalse(r.json["acceptable"])


if __name__ == "__main__":
    unittest.main()
