"""Trust promises of the security review (issue 23, items 6, 7, 11, 12): a
session acts as a trusted device only with that device's secret, switching
Two-Step on cannot mint trust, a WebSocket lives as long as its session, and
a sign-in racing a removal cannot restore the removed trust. Real twostepd,
real SMTP, real WebSocket clients; time moved by the test clock."""

import threading
import unittest

from harness import (MANUAL_CLOCK_CONFIG, STRONG, ServerTestCase, WsClient,
                     code_in, new_device, register_verified, sign_in)



class TrustTest(ServerTestCase):
    SERVER_CONFIG = "session_sweep_s = 1"
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    # -- helpers ---------------------------------------------------------
    def register(self):
        return register_verified(self.server, self.smtp)[0]

    def sign_in(self, email, device, secret=None):
        return sign_in(self.server, email, device, secret)

    def trusted_account(self):
        """Two-step on, trusted phone A; returns (email, device, token, secret)."""
        email = self.register()
        device = new_device("Phone A")
        token = self.sign_in(email, device).json["access_token"]
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=token)
        self.assertEqual(r.status, 202, r)
        code = code_in(self.smtp.wait_for(email))
        r = self.server.post("/v1/account/two-step/verify",
                             {"challenge_id": r.json["challenge_id"], "code": code}, token=token)
        self.assertEqual(r.status, 200, r)
        return email, device, token, r.json["device_secret"]

    def untrusted_session_by_code(self, email, device_a_ws):
        """A new device signs in with the code from A but declines trust."""
        device = new_device("Laptop B")
        r = self.sign_in(email, device)
        self.assertEqual(r.status, 202, r)
        msg = device_a_ws.recv()
        self.assertEqual(msg["type"], "verification_code")
        r = self.server.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                             {"code": msg["code"], "trust_device": False})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("device_secret", r.json)
        self.assertEqual(device_a_ws.recv()["type"], "challenge_resolved")
        return device, r.json

    def trusted_ids(self, token):
        r = self.server.get("/v1/account/trusted-devices", token=token)
        self.assertEqual(r.status, 200, r)
        return [d["id"] for d in r.json]

    # -- item 7: switching on cannot mint trust ---------------------------
    def test_switching_on_while_on_trusts_no_one(self):
        email, device_a, token_a, _ = self.trusted_account()
        ws = WsClient(self.server)
        try:
            self.assertEqual(ws.auth(token_a)["type"], "ready")
            device_b, session_b = self.untrusted_session_by_code(email, ws)
            r = self.server.post("/v1/account/two-step", {"enabled": True},
                                 token=session_b["access_token"])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json, {"enabled": True})
            self.assertEqual(self.trusted_ids(token_a), [device_a["id"]])
            # Its stolen 15-minute token is still not a trusted device.
            r = self.server.get("/v1/notifications/pending", token=session_b["access_token"])
            self.assertEqual(r.status, 403, r)
        finally:
            ws.close()

    def test_later_switch_on_needs_the_password_and_every_switch_sends_a_notice(self):
        email, device_a, token_a, _ = self.trusted_account()
        self.smtp.wait_for(email, subject_contains="turned on")
        r = self.server.post("/v1/account/two-step", {"enabled": False, "password": STRONG},
                             token=token_a)
        self.assertEqual(r.status, 200, r)
        self.smtp.wait_for(email, subject_contains="turned off")
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=token_a)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["code"], "password_required")
        r = self.server.post("/v1/account/two-step", {"enabled": True, "password": "wrong " + STRONG},
                             token=token_a)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json["code"], "invalid_credentials")
        security = self.server.get("/v1/account/security", token=token_a).json
        self.assertFalse(security["two_step"]["enabled"])
        r = self.server.post("/v1/account/two-step", {"enabled": True, "password": STRONG},
                             token=token_a)
        self.assertEqual(r.status, 200, r)
        self.assertIn("device_secret", r.json)
        self.smtp.wait_for(email, subject_contains="turned on")
        self.assertTrue(self.server.get("/v1/account/security", token=token_a).json
                        ["two_step"]["enabled"])

    # -- item 11: naming an install id is not being that device -----------
    def test_a_session_without_the_secret_never_acts_as_the_trusted_device(self):
        email, device_a, token_a, secret_a = self.trusted_account()
        ws_a = WsClient(self.server)
        try:
            self.assertEqual(ws_a.auth(token_a)["type"], "ready")
            # With Two-Step off, the password alone signs in, naming A's id.
            r = self.server.post("/v1/account/two-step", {"enabled": False, "password": STRONG},
                                 token=token_a)
            self.assertEqual(r.status, 200, r)
            self.smtp.wait_for(email, subject_contains="turned off")
            r = self.sign_in(email, device_a)  # no device_secret
            self.assertEqual(r.status, 200, r)
            intruder = r.json["access_token"]
            # The owner is alerted: a known install id without its secret.
            self.smtp.wait_for(email, subject_contains="New sign-in")
            r = self.server.get("/v1/notifications/pending", token=intruder)
            self.assertEqual(r.status, 403, r)
            r = self.server.post("/v1/challenges/chl_doesnotmatter/deny", {}, token=intruder)
            self.assertEqual(r.status, 403, r)
            listed = self.server.get("/v1/account/trusted-devices", token=intruder).json
            self.assertEqual([d["current"] for d in listed], [False])
            ws_b = WsClient(self.server)
            try:
                msg = ws_b.auth(intruder)
                self.assertEqual(msg["type"], "error", msg)
                self.assertEqual(msg["code"], "forbidden")
                ws_b.wait_closed()
            finally:
                ws_b.close()
            # A's own connection was not replaced: it still gets its codes.
            r = self.server.post("/v1/account/two-step", {"enabled": True, "password": STRONG},
                                 token=token_a)
            self.assertEqual(r.status, 200, r)
            r = self.sign_in(email, new_device("Laptop C"))
            self.assertEqual(r.status, 202, r)
            self.assertEqual(r.json["method"], "app")
            msg = ws_a.recv()
            self.assertEqual(msg["type"], "verification_code")
            # The owner's session, which holds the secret, still acts as A.
            r = self.server.get("/v1/notifications/pending", token=token_a)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(len(r.json), 1)
        finally:
            ws_a.close()

    # -- item 6: a connection lives as long as its session ----------------
    def test_a_reused_refresh_token_closes_the_live_connection(self):
        email, device_a, token_a, secret_a = self.trusted_account()
        session = self.sign_in(email, device_a, secret_a).json
        ws = WsClient(self.server)
        try:
            self.assertEqual(ws.auth(session["access_token"])["type"], "ready")
            r = self.server.post("/v1/sessions/refresh", {"refresh_token": session["refresh_token"]})
            self.assertEqual(r.status, 200, r)
            # The old refresh token comes back: copied. The family is revoked.
            r = self.server.post("/v1/sessions/refresh", {"refresh_token": session["refresh_token"]})
            self.assertEqual(r.status, 401, r)
            self.assertEqual(ws.recv(), {"type": "signed_out", "reason": "session_ended"})
            ws.wait_closed()
        finally:
            ws.close()

    def test_a_session_that_expires_closes_its_live_connection(self):
        email, device_a, token_a, secret_a = self.trusted_account()
        ws = WsClient(self.server)
        try:
            self.assertEqual(ws.auth(token_a)["type"], "ready")
            self.advance(31 * 24 * 3600)  # past the 30-day refresh family
            self.assertEqual(ws.recv(timeout=15), {"type": "signed_out", "reason": "session_ended"})
            ws.wait_closed()
        finally:
            ws.close()


class RemovalRaceTest(ServerTestCase):
    """Item 12: trusted sign-ins in a loop against the removal of the device.
    Whatever the interleaving, after the removal the device is not trusted
    and no session a sign-in obtained with its secret still works."""

    # Each round costs up to three sign-in challenges (10 per hour allowed).
    ROUNDS = 3
    SIGN_INS = 12

    def test_a_sign_in_racing_a_removal_never_restores_trust(self):
        email, _ = register_verified(self.server, self.smtp)
        owner = new_device("Owner")
        token = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": owner}).json["access_token"]
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=token)
        code = code_in(self.smtp.wait_for(email))
        r = self.server.post("/v1/account/two-step/verify",
                             {"challenge_id": r.json["challenge_id"], "code": code}, token=token)
        self.assertEqual(r.status, 200, r)
        owner_secret = r.json["device_secret"]
        for round_no in range(self.ROUNDS):
            # A fresh trusted device B (code read by the owner's session).
            device_b = new_device(f"B{round_no}")
            r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": device_b})
            self.assertEqual(r.status, 202, r)
            owner_token = self.server.post("/v1/sessions", {
                "email": email, "password": STRONG, "device": owner,
                "device_secret": owner_secret}).json["access_token"]
            pending = self.server.get("/v1/notifications/pending", token=owner_token).json
            code = [p["code"] for p in pending if p["challenge_id"] == r.json["challenge_id"]][0]
            r = self.server.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                                 {"code": code, "trust_device": True})
            self.assertEqual(r.status, 200, r)
            secret_b = r.json["device_secret"]
            sessions, errors = [], []

            def sign_ins():
                for _ in range(self.SIGN_INS):
                    resp = self.server.post("/v1/sessions", {
                        "email": email, "password": STRONG, "device": device_b,
                        "device_secret": secret_b})
                    if resp.status != 200:  # trust gone: challenged (202)
                        if resp.status != 202:
                            errors.append(resp)
                        return
                    sessions.append(resp.json["access_token"])

            worker = threading.Thread(target=sign_ins)
            worker.start()
            removed = self.server.request("DELETE", f"/v1/account/trusted-devices/{device_b['id']}",
                                          token=owner_token)
            worker.join(120)
            self.assertFalse(worker.is_alive())
            self.assertEqual(removed.status, 204, removed)
            self.assertEqual(errors, [])
            listed = self.server.get("/v1/account/trusted-devices", token=owner_token).json
            self.assertNotIn(device_b["id"], [d["id"] for d in listed], f"round {round_no}")
            for t in sessions:
                self.assertEqual(self.server.get("/v1/account", token=t).status, 401,
                                 f"round {round_no}: a session of the removed device survived")
            r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": device_b, "device_secret": secret_b})
            self.assertEqual(r.status, 202, r)


if __name__ == "__main__":
    unittest.main()
