"""Server key rotation (SPEC §4, issue #22; docs/OPERATIONS.md "Server keys"):
a new key file makes the new codes, the previous one (security.extra_keys_files)
still checks and opens the codes of the challenges made before it, and once
it is retired those codes check nothing. `twostepd keys rotate` and a reload
do the same without a restart. Runs on SQLite and on PostgreSQL."""

import json
import re
import signal
import subprocess
import unittest

from harness import (STRONG, TWOSTEPD, Server, SmtpSink, WsClient, code_in, new_device,
                     new_email, shared_keys_file)
from test_reload import wait_for_log


def rotate_keys(server):
    """`twostepd keys rotate` with the server's configuration; the new id."""
    out = subprocess.run([TWOSTEPD, "keys", "rotate", "--config", server.config_path],
                         env=server.env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    m = re.match(r"new key generation ([0-9a-f]{32}) ", out.stdout)
    assert m, out.stdout
    return m.group(1)


def reload_keys(server):
    """SIGHUP; the id that makes codes once the instance reloaded."""
    mark = len(server.logs())
    server.proc.send_signal(signal.SIGHUP)
    return wait_for_log(server, "keys_loaded", mark)["key_id"]


class KeyRotationTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink()
        self.old, self.new = shared_keys_file(), shared_keys_file()
        self.server = Server(smtp=self.smtp, keys_file=self.old)

    def tearDown(self):
        self.server.stop()
        self.smtp.stop()

    def restart_with(self, keys_file, extra):
        self.assertEqual(self.server.terminate(), 0)
        with open(self.server.config_path) as f:
            text = f.read()
        text = re.sub(r'keys_file = "[^"]*"\n(extra_keys_files = .*\n)?',
                      f'keys_file = "{keys_file}"\nextra_keys_files = {json.dumps(extra)}\n', text)
        with open(self.server.config_path, "w") as f:
            f.write(text)
        self.server.start()

    def trusted_phone(self):
        """An account (Two-Step on by its app) and its trusted device's token."""
        email, phone = new_email(), new_device("Phone", app="aginet")
        r = self.server.post("/v1/accounts", {"email": email, "password": STRONG,
                                              "app": "aginet", "device": phone})
        self.assertEqual(r.status, 202, r)
        r = self.server.post("/v1/accounts/verify-email",
                             {"challenge_id": r.json["challenge_id"],
                              "code": code_in(self.smtp.wait_for(email))})
        self.assertEqual(r.status, 200, r)
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                              "device": phone,
                                              "device_secret": r.json["device_secret"]})
        self.assertEqual(r.status, 200, r)
        return email, r.json["access_token"]

    def sign_in_challenge(self, email):
        r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                              "device": new_device("Laptop")})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def pending_codes(self, token):
        r = self.server.get("/v1/notifications/pending", token=token)
        self.assertEqual(r.status, 200, r)
        return {m["challenge_id"]: m["code"] for m in r.json}

    def live_code_verifies(self, email, token):
        """A new sign-in challenge whose code reaches the trusted device's
        WebSocket and verifies; its id."""
        ws = WsClient(self.server)
        try:
            self.assertEqual(ws.auth(token)["type"], "ready")
            after = self.sign_in_challenge(email)
            message = ws.recv()
            self.assertEqual(message["challenge_id"], after)
            self.assertEqual(self.verify(after, message["code"]).status, 200)
            return after
        finally:
            ws.close()

    def open_codes_verify(self, token, sign_in, registration, registration_code):
        """The sealed code of the open sign-in challenge still opens for the
        device and verifies, and so does the emailed registration code."""
        codes = self.pending_codes(token)
        self.assertIn(sign_in, codes)
        self.assertEqual(self.verify(sign_in, codes[sign_in]).status, 200)
        r = self.server.post("/v1/accounts/verify-email",
                             {"challenge_id": registration, "code": registration_code})
        self.assertEqual(r.status, 200, r)

    def open_registration(self):
        """A registration challenge left open, and its emailed code."""
        registering = new_email()
        r = self.server.post("/v1/accounts", {"email": registering, "password": STRONG,
                                              "app": "kasa"})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"], code_in(self.smtp.wait_for(registering))

    def verify(self, challenge_id, code):
        return self.server.post(f"/v1/challenges/{challenge_id}/verify",
                                {"code": code, "trust_device": False})

    def test_open_challenges_survive_the_rotation_and_die_with_the_old_key(self):
        email, token = self.trusted_phone()
        before = self.sign_in_challenge(email)
        kept_open = self.sign_in_challenge(email)
        registration, registration_code = self.open_registration()

        self.restart_with(self.new, [self.old])
        # The sealed codes made with the old pair still open for the device.
        self.open_codes_verify(token, before, registration, registration_code)
        # A new code, made with the new pair, reaches the live device.
        after = self.live_code_verifies(email, token)
        key_ids = dict(self.server.query(f"SELECT id, key_id FROM challenges "
                                         f"WHERE id IN ('{before}', '{after}')"))
        self.assertNotEqual(key_ids[before], key_ids[after])

        # The old pair retired: what it made checks nothing any more.
        old_code = self.pending_codes(token).get(kept_open)
        self.assertIsNotNone(old_code)
        self.restart_with(self.new, [])
        self.assertNotIn(kept_open, self.pending_codes(token))
        r = self.verify(kept_open, old_code)
        self.assertEqual((r.status, r.json["code"]), (400, "invalid_code"), r)

    def key_id_of(self, challenge_id):
        return self.server.query(f"SELECT key_id FROM challenges WHERE id = '{challenge_id}'")[0][0]

    def test_keys_rotate_and_a_reload_break_no_open_challenge_and_need_no_restart(self):
        email, token = self.trusted_phone()
        before = self.sign_in_challenge(email)
        registration, registration_code = self.open_registration()
        old_id = self.key_id_of(before)
        pid = self.server.proc.pid

        new_id = rotate_keys(self.server)
        self.assertNotEqual(new_id, old_id)
        # Until the reload the instance still makes codes with the previous generation.
        self.assertEqual(self.key_id_of(self.sign_in_challenge(email)), old_id)
        self.assertEqual(reload_keys(self.server), new_id)
        # Key names and public ids only in the log, never a key.
        sealed = self.server.query("SELECT sealed FROM key_generations")[0][0]
        with open(self.old, "rb") as f:
            root = f.read()
        log = self.server.logs_flushed()
        for secret in (sealed, root.hex(), root[:32].hex(), root[32:].hex()):
            self.assertNotIn(secret, log)

        after = self.live_code_verifies(email, token)
        self.assertEqual(self.key_id_of(after), new_id)
        # The codes made before still open and verify.
        self.open_codes_verify(token, before, registration, registration_code)
        self.assertEqual(self.server.proc.pid, pid)
        self.assertIsNone(self.server.proc.poll())

    def test_a_missing_extra_key_file_stops_the_start_with_a_clear_error(self):
        self.assertEqual(self.server.terminate(), 0)
        with open(self.server.config_path) as f:
            text = f.read()
        text = text.replace(f'keys_file = "{self.old}"',
                            f'keys_file = "{self.old}"\nextra_keys_files = ["/nonexistent/k"]')
        with open(self.server.config_path, "w") as f:
            f.write(text)
        with self.assertRaises(RuntimeError):
            self.server.start()
        self.assertIn("security.extra_keys_files: cannot read /nonexistent/k", self.server.logs())


if __name__ == "__main__":
    unittest.main()
