"""Several twostepd processes on one PostgreSQL database form one service
(SPEC §4): two real instances, A and B, share a database and a key file.
A code requested through one reaches a device connected to the other,
removal through one signs out a device connected to the other, and the
wrong-code and password limits count across both. Run only on the
PostgreSQL backend (it.pg.test_pg_multi_instance)."""

import threading
import unittest
import uuid

from harness import (STRONG, PgDatabase, Server, SmtpSink, TwoInstanceTestCase, WsClient,
                     code_in, new_device, new_email, shared_keys_file)


def account_with_trusted_device(test, smtp, via):
    """Registers through `via` from a default-on app: the device named at
    registration is trusted once the email is verified. Returns (email,
    device, access token)."""
    email = new_email()
    device = new_device("Phone A", app="aginet")
    r = via.post("/v1/accounts", {"email": email, "password": STRONG, "app": "aginet",
                                  "device": device})
    test.assertEqual(r.status, 202, r)
    code = code_in(smtp.wait_for(email))
    r = via.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"], "code": code})
    test.assertEqual(r.status, 200, r)
    r = via.post("/v1/sessions", {"email": email, "password": STRONG, "device": device,
                                  "device_secret": r.json["device_secret"]})
    test.assertEqual(r.status, 200, r)
    return email, device, r.json["access_token"]


class MultiInstanceTest(TwoInstanceTestCase):
    def account_with_trusted_device(self, via):
        return account_with_trusted_device(self, self.smtp, via)

    def listen(self, server, token, device):
        ws = WsClient(server)
        self.assertEqual(ws.auth(token), {"type": "ready", "device_id": device["id"]})
        return ws

    def challenge(self, via, email, name="Laptop B"):
        device = new_device(name)
        r = via.post("/v1/sessions", {"email": email, "password": STRONG, "device": device})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json["method"], "app")
        return device, r.json["challenge_id"]

    # -- tests -----------------------------------------------------------
    def test_code_requested_through_b_reaches_the_device_on_a(self):
        email, phone, token = self.account_with_trusted_device(self.a)
        ws = self.listen(self.a, token, phone)
        try:
            laptop, challenge_id = self.challenge(self.b, email)
            msg = ws.recv()
            self.assertEqual(msg["type"], "verification_code")
            self.assertEqual(msg["challenge_id"], challenge_id)
            self.assertEqual(msg["requester"]["device"]["name"], "Laptop B")
            r = self.b.post(f"/v1/challenges/{challenge_id}/verify",
                            {"code": msg["code"], "trust_device": True})
            self.assertEqual(r.status, 200, r)
            # B's "resolved" reaches A's connection too.
            self.assertEqual(ws.recv(), {"type": "challenge_resolved", "challenge_id": challenge_id,
                                         "outcome": "verified"})
            # A device that was offline reads open requests from either instance.
            _, second = self.challenge(self.a, email)
            self.assertEqual(ws.recv()["challenge_id"], second)
            pending = self.b.get("/v1/notifications/pending", token=token)
            self.assertEqual(pending.status, 200, pending)
            self.assertEqual([p["challenge_id"] for p in pending.json], [second])
        finally:
            ws.close()

    def test_removal_through_a_signs_out_the_device_connected_to_b(self):
        email, phone, token_phone = self.account_with_trusted_device(self.a)
        ws_phone = self.listen(self.a, token_phone, phone)
        laptop, challenge_id = self.challenge(self.a, email)
        code = ws_phone.recv()["code"]
        r = self.a.post(f"/v1/challenges/{challenge_id}/verify", {"code": code, "trust_device": True})
        self.assertEqual(r.status, 200, r)
        token_laptop = r.json["access_token"]
        ws_phone.recv()  # challenge_resolved
        ws_laptop = self.listen(self.b, token_laptop, laptop)
        try:
            r = self.a.request("DELETE", f"/v1/account/trusted-devices/{laptop['id']}",
                               token=token_phone)
            self.assertEqual(r.status, 204, r)
            self.assertEqual(ws_laptop.recv(), {"type": "signed_out", "reason": "device_removed"})
            self.assertTrue(ws_laptop.wait_closed())
            self.assertEqual(self.b.get("/v1/account", token=token_laptop).status, 401)
        finally:
            ws_laptop.close()
            ws_phone.close()

    def test_five_wrong_codes_spread_over_a_and_b_kill_the_challenge(self):
        email, phone, token = self.account_with_trusted_device(self.a)
        ws = self.listen(self.b, token, phone)
        try:
            _, challenge_id = self.challenge(self.a, email)
            code = ws.recv()["code"]
            wrong = "000000" if code != "000000" else "111111"
            for i, server in enumerate([self.a, self.b, self.a, self.b, self.a]):
                r = server.post(f"/v1/challenges/{challenge_id}/verify", {"code": wrong})
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json["attempts_left"], 4 - i)
            # Dead on both, even for the right code.
            for server in (self.b, self.a):
                r = server.post(f"/v1/challenges/{challenge_id}/verify", {"code": code})
                self.assertEqual(r.status, 410, r)
        finally:
            ws.close()

    def test_parallel_wrong_codes_on_both_never_exceed_the_limit(self):
        email, phone, token = self.account_with_trusted_device(self.a)
        ws = self.listen(self.a, token, phone)
        try:
            _, challenge_id = self.challenge(self.b, email)
            code = ws.recv()["code"]
            wrong = "000000" if code != "000000" else "111111"
            statuses = []
            lock = threading.Lock()

            def guess(server):
                for _ in range(4):
                    r = server.post(f"/v1/challenges/{challenge_id}/verify", {"code": wrong})
                    with lock:
                        statuses.append(r.status)
            threads = [threading.Thread(target=guess, args=(s,)) for s in (self.a, self.b) * 2]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            # 16 guesses: exactly 5 were counted, the rest found the challenge dead.
            self.assertEqual(statuses.count(400), 5, statuses)
            self.assertEqual(statuses.count(410), 11, statuses)
        finally:
            ws.close()

    def test_password_throttle_counts_across_both(self):
        email, _, _ = self.account_with_trusted_device(self.a)
        device = new_device()
        for i in range(10):
            server = (self.a, self.b)[i % 2]
            r = server.post("/v1/sessions", {"email": email, "password": "wrong password " + str(i),
                                             "device": device})
            self.assertEqual(r.status, 401, r)
        for server in (self.a, self.b):
            r = server.post("/v1/sessions", {"email": email, "password": STRONG, "device": device})
            self.assertEqual(r.status, 429, r)
            self.assertIn("Retry-After", r.headers)


class KillOneInstanceTest(unittest.TestCase):
    """SIGKILL of one instance mid-traffic: nothing it acknowledged is lost,
    the other keeps serving, and devices reconnect to it."""

    def test_sigkill_loses_nothing_and_devices_move_to_the_survivor(self):
        smtp = SmtpSink()
        db = PgDatabase()
        keys = shared_keys_file()
        a = Server(smtp=smtp, database=db, keys_file=keys)
        b = Server(smtp=smtp, database=db, keys_file=keys)
        try:
            email, phone, token = account_with_trusted_device(self, smtp, a)
            ws = WsClient(a)
            self.assertEqual(ws.auth(token)["type"], "ready")

            acknowledged = []
            progress = threading.Condition()
            stop = threading.Event()

            def register_loop(server):
                for _ in range(200):
                    if stop.is_set():
                        return
                    addr = f"kill-{uuid.uuid4().hex[:12]}@example.com"
                    try:
                        r = server.post("/v1/accounts",
                                        {"email": addr, "password": STRONG, "app": "kasa"})
                    except OSError:
                        continue  # the killed instance; the loop goes on until stopped
                    if r.status == 202:
                        with progress:
                            acknowledged.append(addr)
                            progress.notify_all()

            threads = [threading.Thread(target=register_loop, args=(s,)) for s in (a, a, b, b)]
            for t in threads:
                t.start()
            with progress:
                self.assertTrue(progress.wait_for(lambda: len(acknowledged) >= 12, timeout=120))
            a.kill()
            # The survivor keeps answering while the others' traffic goes on.
            with progress:
                before = len(acknowledged)
                self.assertTrue(progress.wait_for(lambda: len(acknowledged) >= before + 4,
                                                  timeout=120))
            stop.set()
            for t in threads:
                t.join()
            self.assertTrue(ws.wait_closed())
            ws.close()

            stored = {row[0] for row in b.query("SELECT email FROM accounts")}
            lost = [e for e in acknowledged if e not in stored]
            self.assertEqual(lost, [])
            orphans = b.query("SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS"
                              " (SELECT 1 FROM challenges c WHERE c.account_id = a.id)")
            self.assertEqual(orphans, [["0"]])
            # Every acknowledged account is really there for B: it asks for
            # email verification instead of refusing the password.
            r = b.post("/v1/sessions", {"email": acknowledged[0], "password": STRONG,
                                        "device": new_device()})
            self.assertEqual(r.status, 403, r)
            self.assertEqual(r.json["code"], "email_not_verified")
            # The phone reconnects to B with the same token and gets the next code.
            ws = WsClient(b)
            self.assertEqual(ws.auth(token), {"type": "ready", "device_id": phone["id"]})
            laptop = new_device("Laptop B")
            r = b.post("/v1/sessions", {"email": email, "password": STRONG, "device": laptop})
            self.assertEqual(r.status, 202, r)
            self.assertEqual(ws.recv()["challenge_id"], r.json["challenge_id"])
            ws.close()
        finally:
            a.stop()
            b.stop()
            db.drop()
            smtp.stop()


if __name__ == "__main__":
    unittest.main()
