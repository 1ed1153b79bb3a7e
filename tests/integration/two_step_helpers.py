"""Steps shared by the suites that exercise Two-Step Verification: an
account with two-step on and a trusted device listening, and a new
device's challenged sign-in. Time moves by the server's test clock."""

from harness import WsClient, advance_clock, code_in, new_device, register_verified, sign_in


class TwoStepSteps:
    """A mixin for a ServerTestCase whose server has MANUAL_CLOCK_CONFIG."""

    def advance(self, seconds):
        advance_clock(self.server, seconds)

    def register(self, app="kasa", device=None):
        return register_verified(self.server, self.smtp, app, device)

    def sign_in(self, email, device, secret=None):
        return sign_in(self.server, email, device, secret)

    def trusted_account(self):
        """An account with two-step on and one trusted device A online."""
        email, _ = self.register()
        device_a = new_device("Phone A")
        session = self.sign_in(email, device_a).json
        token = session["access_token"]
        r = self.server.post("/v1/account/two-step", {"enabled": True}, token=token)
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json["method"], "email")
        code = code_in(self.smtp.wait_for(email))
        r = self.server.post("/v1/account/two-step/verify",
                             {"challenge_id": r.json["challenge_id"], "code": code}, token=token)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["enabled"])
        self.smtp.wait_for(email, subject_contains="turned on")  # the notice of every switch
        ws = WsClient(self.server)
        self.assertEqual(ws.auth(token), {"type": "ready", "device_id": device_a["id"]})
        return email, device_a, token, r.json["device_secret"], ws

    def challenged(self, email, name="Laptop B"):
        device = new_device(name)
        r = self.sign_in(email, device)
        self.assertEqual(r.status, 202, r)
        return device, r.json
