"""`twostepd keys rotate` mid-traffic with two instances on one PostgreSQL
database (issue #22): sign-ins run through both instances while a new key
generation is made and the instances are reloaded one after the other.
No open challenge breaks (a code made by the reloaded instance verifies on
the one that has not reloaded yet, and the reverse), new challenges use the
new generation, and nothing restarts. Run only on the PostgreSQL backend
(it.pg.test_pg_key_rotate)."""

import threading
import unittest

from harness import STRONG, TwoInstanceTestCase, new_device
from test_key_rotation import reload_keys, rotate_keys
from test_pg_multi_instance import account_with_trusted_device


class KeysRotateTest(TwoInstanceTestCase):
    def challenge(self, via, email):
        r = via.post("/v1/sessions", {"email": email, "password": STRONG,
                                      "device": new_device("Laptop")})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def code(self, via, token, challenge_id):
        r = via.get("/v1/notifications/pending", token=token)
        self.assertEqual(r.status, 200, r)
        codes = {m["challenge_id"]: m["code"] for m in r.json}
        self.assertIn(challenge_id, codes)
        return codes[challenge_id]

    def verify(self, via, challenge_id, code):
        return via.post(f"/v1/challenges/{challenge_id}/verify",
                        {"code": code, "trust_device": False})

    def key_id_of(self, challenge_id):
        return self.a.query(f"SELECT key_id FROM challenges WHERE id = '{challenge_id}'")[0][0]

    def traffic(self, accounts, stop, started, outcomes):
        """Sign-ins until `stop`: each made on one instance, its code read and
        verified on the other. Bounded by the accounts' challenge limit
        (10 an hour each: at most 9 rounds per account)."""
        for i in range(9 * len(accounts)):
            if stop.is_set():
                return
            email, token = accounts[i % len(accounts)]
            made, checked = (self.a, self.b) if i % 2 == 0 else (self.b, self.a)
            r = made.post("/v1/sessions", {"email": email, "password": STRONG,
                                           "device": new_device("Laptop")})
            if r.status != 202:
                outcomes.append(("sign-in", r.status))
                continue
            cid = r.json["challenge_id"]
            r = checked.get("/v1/notifications/pending", token=token)
            codes = {m["challenge_id"]: m["code"] for m in r.json or []}
            if cid not in codes:
                outcomes.append(("code not pending", cid))
                continue
            r = self.verify(checked, cid, codes[cid])
            outcomes.append(("verify", r.status))
            started.set()

    def test_rotation_mid_traffic_breaks_no_open_challenge(self):
        email, _, token = account_with_trusted_device(self, self.smtp, self.a)
        busy = []
        for via in (self.a, self.b, self.a, self.b):
            busy_email, _, busy_token = account_with_trusted_device(self, self.smtp, via)
            busy.append((busy_email, busy_token))
        open_before = self.challenge(self.b, email)
        old_id = self.key_id_of(open_before)
        pids = (self.a.proc.pid, self.b.proc.pid)

        stop, started, outcomes = threading.Event(), threading.Event(), []
        traffic = threading.Thread(target=self.traffic, args=(busy, stop, started, outcomes))
        traffic.start()
        try:
            self.assertTrue(started.wait(30))  # sign-ins are running
            new_id = rotate_keys(self.a)
            self.assertEqual(reload_keys(self.a), new_id)
            # A reloaded, B not yet: A's new code verifies on B, and B opens
            # A's sealed code for the device.
            made_on_a = self.challenge(self.a, email)
            self.assertEqual(self.key_id_of(made_on_a), new_id)
            code = self.code(self.b, token, made_on_a)
            self.assertEqual(self.verify(self.b, made_on_a, code).status, 200)
            self.assertEqual(reload_keys(self.b), new_id)
            made_on_b = self.challenge(self.b, email)
            self.assertEqual(self.key_id_of(made_on_b), new_id)
            self.assertEqual(self.verify(self.a, made_on_b,
                                         self.code(self.a, token, made_on_b)).status, 200)
        finally:
            stop.set()
            traffic.join(60)
        # The challenge opened before the rotation, on the old generation.
        self.assertEqual(self.verify(self.a, open_before,
                                     self.code(self.a, token, open_before)).status, 200)
        self.assertNotEqual(old_id, new_id)
        failed = [o for o in outcomes if o != ("verify", 200)]
        print(f"\nkeys rotate mid-traffic: {len(outcomes)} sign-ins, {len(failed)} failed")
        self.assertGreater(len(outcomes), 0)
        self.assertEqual(failed, [])
        self.assertEqual((self.a.proc.pid, self.b.proc.pid), pids)


if __name__ == "__main__":
    unittest.main()
