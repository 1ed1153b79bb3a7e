"""Two-Step Verification end to end: real twostepd, real SMTP, real
WebSocket clients; time moved by the server's test clock, never waited."""

import unittest

from harness import (ADMIN, MANUAL_CLOCK_CONFIG, STRONG, ServerTestCase, WsClient,
                     code_in, new_device, text_of)
from two_step_helpers import TwoStepSteps



class TwoStepTest(TwoStepSteps, ServerTestCase):
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    # -- tests -----------------------------------------------------------
    def test_code_goes_live_to_the_trusted_device(self):
        email, device_a, token_a, secret_a, ws = self.trusted_account()
        try:
            security = self.server.get("/v1/account/security", token=token_a).json
            self.assertEqual(security["two_step"], {"available": True, "enabled": True,
                                                    "default_method": "app"})
            self.assertEqual(security["trusted_devices"], 1)

            device_b, challenge = self.challenged(email)
            self.assertEqual(challenge["method"], "app")
            self.assertEqual(challenge["destination"], "1 trusted device")
            self.assertEqual(challenge["methods"], ["app", "email"])
            msg = ws.recv()
            self.assertEqual(msg["type"], "verification_code")
            self.assertEqual(msg["challenge_id"], challenge["challenge_id"])
            self.assertEqual(msg["requester"]["device"]["name"], "Laptop B")
            self.assertEqual(msg["requester"]["ip"], "127.0.0.1")
            self.assertRegex(msg["code"], r"^\d{6}$")

            wrong = "000000" if msg["code"] != "000000" else "111111"
            r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify",
                                 {"code": wrong, "trust_device": True})
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.json["attempts_left"], 4)
            self.assertNotIn(msg["code"], r.raw)
            r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify",
                                 {"code": msg["code"], "trust_device": True})
            self.assertEqual(r.status, 200, r)
            secret_b = r.json["device_secret"]
            self.assertEqual(ws.recv(), {"type": "challenge_resolved",
                                         "challenge_id": challenge["challenge_id"],
                                         "outcome": "verified"})
            # A used code never works again.
            r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify",
                                 {"code": msg["code"]})
            self.assertEqual(r.status, 410, r)
            # B is trusted now: it signs in again without a code.
            r = self.sign_in(email, device_b, secret_b)
            self.assertEqual(r.status, 200, r)
            # And its secret is worth nothing on another install id.
            self.assertEqual(self.sign_in(email, new_device(), secret_b).status, 202)
            ws.recv()  # that sign-in's code request
            # Trusted A with its secret skips the code too.
            self.assertEqual(self.sign_in(email, device_a, secret_a).status, 200)
        finally:
            ws.close()

    def test_account_without_trusted_device_gets_the_code_by_email(self):
        email, verified = self.register(app="aginet")  # default on, no device named
        self.assertNotIn("device_secret", verified)
        device, challenge = self.challenged(email)
        self.assertEqual(challenge["method"], "email")
        self.assertEqual(challenge["methods"], ["email"])
        self.assertTrue(challenge["destination"].endswith("@example.com"))
        self.assertIn("***", challenge["destination"])
        code = code_in(self.smtp.wait_for(email))
        r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify",
                             {"code": code, "trust_device": False})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("device_secret", r.json)
        # Not trusted: the next sign-in is challenged again.
        self.assertEqual(self.sign_in(email, device).status, 202)

    def test_resend_cooldown_and_switch_to_email(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            first = ws.recv()["code"]
            r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "app"})
            self.assertEqual(r.status, 429, r)
            self.assertGreater(r.json["retry_after"], 0)
            # "Did not receive a code?": the first switch to email is at once.
            r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["method"], "email")
            self.assertEqual(r.json["resend_in"], 60)
            emailed = code_in(self.smtp.wait_for(email))
            r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
            self.assertEqual(r.status, 429, r)
            self.advance(60)
            r = self.server.post(f"/v1/challenges/{cid}/resend", {"method": "email"})
            self.assertEqual(r.status, 200, r)
            latest = code_in(self.smtp.wait_for(email))
            # Only the newest code works; earlier ones stopped working.
            for old in {first, emailed} - {latest}:
                r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": old})
                self.assertEqual(r.status, 400, r)
            r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": latest})
            self.assertEqual(r.status, 200, r)
        finally:
            ws.close()

    def test_five_wrong_codes_kill_the_challenge(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            code = ws.recv()["code"]
            wrong = "000000" if code != "000000" else "111111"
            for left in [4, 3, 2, 1, 0]:
                r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": wrong})
                self.assertEqual((r.status, r.json["attempts_left"]), (400, left), r)
            self.assertEqual(ws.recv()["outcome"], "exhausted")
            r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": code})
            self.assertEqual(r.status, 410, r)
            self.assertEqual(r.json["code"], "challenge_expired")
        finally:
            ws.close()

    def test_codes_expire_and_do_not_cross_challenges(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, one = self.challenged(email)
            code_one = ws.recv()["code"]
            _, two = self.challenged(email, "Tablet C")
            code_two = ws.recv()["code"]
            if code_one != code_two:
                r = self.server.post(f"/v1/challenges/{two['challenge_id']}/verify", {"code": code_one})
                self.assertEqual(r.status, 400, r)
            self.advance(601)
            r = self.server.post(f"/v1/challenges/{one['challenge_id']}/verify", {"code": code_one})
            self.assertEqual(r.status, 410, r)
        finally:
            ws.close()

    def test_deny_from_the_trusted_device(self):
        email, _, token_a, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            cid = challenge["challenge_id"]
            code = ws.recv()["code"]
            r = self.server.post(f"/v1/challenges/{cid}/deny", token=token_a)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.json["change_password"])
            self.assertEqual(ws.recv()["outcome"], "denied")
            r = self.server.post(f"/v1/challenges/{cid}/verify", {"code": code})
            self.assertEqual(r.status, 403, r)
            self.assertEqual(r.json["code"], "challenge_denied")
            notice = self.smtp.wait_for(email, subject_contains="denied")
            self.assertIn("change", text_of(notice).lower())
        finally:
            ws.close()

    def test_untrusted_device_cannot_deny(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            ws.recv()
            other = self.register()[0]
            token = self.sign_in(other, new_device()).json["access_token"]
            r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/deny", token=token)
            self.assertEqual(r.status, 403, r)
        finally:
            ws.close()

    def test_pending_list_for_a_device_that_was_offline(self):
        email, _, token_a, _, ws = self.trusted_account()
        ws.close()
        _, challenge = self.challenged(email)
        r = self.server.get("/v1/notifications/pending", token=token_a)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json), 1)
        pending = r.json[0]
        self.assertEqual(pending["challenge_id"], challenge["challenge_id"])
        r = self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify",
                             {"code": pending["code"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.get("/v1/notifications/pending", token=token_a).json, [])

    def test_turning_off_needs_the_password(self):
        email, _, token_a, _, ws = self.trusted_account()
        try:
            r = self.server.post("/v1/account/two-step", {"enabled": False, "password": "wrong one 123"},
                                 token=token_a)
            self.assertEqual(r.status, 403, r)
            r = self.server.post("/v1/account/two-step", {"enabled": False, "password": STRONG},
                                 token=token_a)
            self.assertEqual(r.status, 200, r)
            self.smtp.wait_for(email, subject_contains="turned off")
            self.assertEqual(self.sign_in(email, new_device()).status, 200)
            # Turning on again needs no new email code but the password
            # (test_trust.py), and trusts this device.
            r = self.server.post("/v1/account/two-step", {"enabled": True, "password": STRONG},
                                 token=token_a)
            self.assertEqual(r.status, 200, r)
            self.assertIn("device_secret", r.json)
        finally:
            ws.close()

    def test_registering_device_of_a_default_on_app_is_trusted(self):
        device = new_device("Router app", app="aginet")
        email, verified = self.register(app="aginet", device=device)
        self.assertIn("device_secret", verified)
        self.assertEqual(self.sign_in(email, device, verified["device_secret"]).status, 200)
        self.assertEqual(self.sign_in(email, new_device()).status, 202)

    def test_rollout_admin_api(self):
        r = self.server.get("/v1/admin/rollout/two_step/kasa")
        self.assertEqual(r.status, 401, r)
        r = self.server.get("/v1/admin/rollout/two_step/kasa", token=ADMIN)
        self.assertEqual(r.json, {"feature": "two_step", "app": "kasa", "percent": 100, "allow": []})
        self.assertEqual(self.server.get("/v1/admin/rollout/nope/kasa", token=ADMIN).status, 404)
        r = self.server.request("PUT", "/v1/admin/rollout/two_step/kasa", token=ADMIN,
                                body={"percent": 150})
        self.assertEqual(r.status, 400, r)
        allowed, _ = self.register()
        r = self.server.request("PUT", "/v1/admin/rollout/two_step/kasa", token=ADMIN,
                                body={"percent": 0, "allow": [allowed.upper()]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["allow"], [allowed])
        try:
            outside, _ = self.register()
            token = self.sign_in(outside, new_device()).json["access_token"]
            self.assertFalse(self.server.get("/v1/account/security", token=token).json["two_step"]["available"])
            self.assertEqual(self.server.post("/v1/account/two-step", {"enabled": True},
                                              token=token).status, 403)
            token = self.sign_in(allowed, new_device()).json["access_token"]
            self.assertTrue(self.server.get("/v1/account/security", token=token).json["two_step"]["available"])
        finally:
            self.server.request("PUT", "/v1/admin/rollout/two_step/kasa", token=ADMIN,
                                body={"percent": 100, "allow": []})

    def test_websocket_auth_rules(self):
        ws = WsClient(self.server)
        ws.send({"type": "auth", "token": "forged"})
        msg = ws.recv()
        self.assertEqual((msg["type"], msg["code"]), ("error", "unauthorized"))
        self.assertTrue(ws.wait_closed())
        ws.close()
        # A silent connection's auth timeout: test_abuse.py (with a 1 s timeout).
        with self.assertRaises(Exception):
            WsClient(self.server, origin="https://evil.example")
        ok = WsClient(self.server, origin=f"http://127.0.0.1:{self.server.port}")
        ok.close()

    def test_second_connection_replaces_the_first(self):
        email, device_a, token_a, _, ws = self.trusted_account()
        second = WsClient(self.server)
        self.assertEqual(second.auth(token_a)["type"], "ready")
        self.assertEqual(ws.recv(), {"type": "replaced"})
        self.assertTrue(ws.wait_closed())
        ws.close()
        self.challenged(email)
        self.assertEqual(second.recv()["type"], "verification_code")
        second.close()

    def test_codes_never_reach_logs_or_metrics(self):
        email, _, _, _, ws = self.trusted_account()
        try:
            _, challenge = self.challenged(email)
            code = ws.recv()["code"]
            self.server.post(f"/v1/challenges/{challenge['challenge_id']}/verify", {"code": code})
            self.assertNotIn(code, self.server.logs_flushed())
            self.assertNotIn(code, self.server.metrics())
            self.assertIn('twostep_codes_sent_total{channel="app"}', self.server.metrics())
        finally:
            ws.close()


if __name__ == "__main__":
    unittest.main()
