"""Messages between instances cannot be forged or redirected (SPEC §4,
security issue #23 item 10). Any database role that may NOTIFY can put a
payload on the channel the instances LISTEN on; the instances must deliver
only what another instance of the service sealed, to the account and device
it was sealed for, once.

Two real instances A and B on one database; a psql session LISTENs beside
them to capture what A publishes, and psql NOTIFYs the forgeries. Each test
ends with a genuine message to the same WebSocket and asserts that it is the
first one that arrives (notifications are delivered in commit order), so
"nothing was delivered" is checked without waiting for a time-out.
PostgreSQL only (it.pg.test_pg_fanout_forgery)."""

import json
import os
import re
import select
import subprocess
import time
import unittest

from harness import (STRONG, TwoInstanceTestCase, WsClient, code_in, new_device, new_email,
                     psql)

CHANNEL = "twostep_notifications"
NOTE = re.compile(r'^Asynchronous notification "' + CHANNEL +
                  r'" with payload "(.*)" received from server process with PID \d+\.$')


class ChannelTap:
    """A psql session LISTENing on the instances' channel. psql reports a
    notification after the next command it runs, so next() runs a marker
    query per round and reads up to the marker; bounded in rounds and time."""

    def __init__(self, url):
        self.proc = subprocess.Popen(["psql", "-X", "-q", "-At", "-d", url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.seen = []
        self.marker = 0
        self._command(f"LISTEN {CHANNEL};")

    def _command(self, sql, deadline_s=10):
        self.marker += 1
        mark = f"tap-marker-{self.marker}"
        self.proc.stdin.write(f"{sql}\nSELECT '{mark}';\n".encode())
        self.proc.stdin.flush()
        end = time.monotonic() + deadline_s
        fd = self.proc.stdout.fileno()
        buf = b""
        while True:
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode()
                if text == mark:
                    assert not buf, buf
                    return
                m = NOTE.match(text)
                if m:
                    self.seen.append(json.loads(m.group(1)))
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("psql did not answer")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise RuntimeError("psql exited")
                buf += chunk

    def next(self, predicate, rounds=200):
        """The first captured message matching `predicate` (removed from
        the captured list). The sender publishes before it answers HTTP, so
        the message is normally there at the first round."""
        for _ in range(rounds):
            for i, msg in enumerate(self.seen):
                if predicate(msg):
                    return self.seen.pop(i)
            self._command("SELECT 1;")
        raise TimeoutError("no such message on the channel")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(10)
        self.proc.stdout.close()


def notify(db, payload):
    """NOTIFY as any role with access to the database could."""
    text = json.dumps(payload, separators=(",", ":"))
    assert "$tap$" not in text
    psql(db.url, f"SELECT pg_notify('{CHANNEL}', $tap${text}$tap$)")


class FanoutForgeryTest(TwoInstanceTestCase):
    def setUp(self):
        self.tap = ChannelTap(self.db.url)
        self.sockets = []

    def tearDown(self):
        for ws in self.sockets:
            ws.close()
        self.tap.close()

    def user(self, with_secret=False):
        """An account (of a default-on app) whose phone is trusted since its
        registration: (email, account id, phone, token[, device secret])."""
        email = new_email()
        phone = new_device("Phone", app="aginet")
        r = self.a.post("/v1/accounts", {"email": email, "password": STRONG, "app": "aginet",
                                         "device": phone})
        self.assertEqual(r.status, 202, r)
        r = self.a.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"],
                                                      "code": code_in(self.smtp.wait_for(email))})
        self.assertEqual(r.status, 200, r)
        secret = r.json["device_secret"]
        r = self.a.post("/v1/sessions", {"email": email, "password": STRONG, "device": phone,
                                         "device_secret": secret})
        self.assertEqual(r.status, 200, r)
        token = r.json["access_token"]
        account_id = self.a.get("/v1/account", token=token).json["id"]
        return (email, account_id, phone, token) + ((secret,) if with_secret else ())

    def listen(self, server, token, device):
        ws = WsClient(server)
        self.sockets.append(ws)
        self.assertEqual(ws.auth(token), {"type": "ready", "device_id": device["id"]})
        return ws

    def challenge(self, via, email):
        r = via.post("/v1/sessions", {"email": email, "password": STRONG,
                                      "device": new_device("Laptop")})
        self.assertEqual(r.status, 202, r)
        return r.json["challenge_id"]

    def assert_next_is_code_for(self, ws, challenge_id):
        msg = ws.recv()
        self.assertEqual((msg["type"], msg.get("challenge_id")),
                         ("verification_code", challenge_id), msg)

    def refused_on_b(self):
        m = re.findall(r'"event":"fanout_message_refused"', self.b.logs())
        return len(m)

    def test_a_captured_code_replayed_for_another_account_is_not_delivered(self):
        victim_email, _, victim_phone, victim_token = self.user()
        attacker_email, attacker_id, attacker_phone, attacker_token = self.user()
        victim_ws = self.listen(self.a, victim_token, victim_phone)
        attacker_ws = self.listen(self.b, attacker_token, attacker_phone)

        victim_challenge = self.challenge(self.a, victim_email)
        victim_code = victim_ws.recv()
        self.assertEqual(victim_code["challenge_id"], victim_challenge)
        captured = self.tap.next(lambda m: m.get("device") == victim_phone["id"]
                                 and m.get("type") == "verification_code")
        self.assertNotIn(victim_code["code"], json.dumps(captured))  # never in clear
        refused = self.refused_on_b()

        forged = dict(captured, account=attacker_id, device=attacker_phone["id"])
        notify(self.db, forged)
        # The same with the origin changed too (B ignores only its own).
        notify(self.db, dict(forged, origin="ins_" + "0" * 32))

        own_challenge = self.challenge(self.a, attacker_email)
        self.assert_next_is_code_for(attacker_ws, own_challenge)
        self.assertGreaterEqual(self.refused_on_b(), refused + 2)
        self.assertNotIn(victim_code["code"], self.b.logs_flushed())

    def test_a_forged_or_redirected_signed_out_does_not_disconnect(self):
        victim_email, victim_id, victim_phone, victim_token = self.user()
        victim_ws = self.listen(self.b, victim_token, victim_phone)

        # Built from nothing, in the shape the instances publish.
        notify(self.db, {"origin": "ins_" + "f" * 32, "account": victim_id,
                         "device": victim_phone["id"], "type": "signed_out",
                         "challenge_id": "", "outcome": "", "reason": "signed_out"})
        # A genuine signed_out of the attacker's own device, redirected.
        _, _, attacker_phone, attacker_token = self.user()
        r = self.a.request("DELETE", "/v1/sessions/current", token=attacker_token)
        self.assertEqual(r.status, 204, r)
        captured = self.tap.next(lambda m: m.get("device") == attacker_phone["id"])
        notify(self.db, dict(captured, account=victim_id, device=victim_phone["id"]))

        challenge_id = self.challenge(self.a, victim_email)
        self.assert_next_is_code_for(victim_ws, challenge_id)

    def test_a_genuine_signed_out_replayed_later_does_not_end_the_new_connection(self):
        email, _, phone, token, secret = self.user(with_secret=True)
        ws = self.listen(self.b, token, phone)
        r = self.a.request("DELETE", "/v1/sessions/current", token=token)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(ws.recv(), {"type": "signed_out", "reason": "signed_out"})
        captured = self.tap.next(lambda m: m.get("device") == phone["id"])
        # The phone signs in again (still trusted) and reconnects.
        r = self.a.post("/v1/sessions", {"email": email, "password": STRONG, "device": phone,
                                         "device_secret": secret})
        self.assertEqual(r.status, 200, r)
        ws = self.listen(self.b, r.json["access_token"], phone)
        notify(self.db, captured)  # the whole genuine message, again
        challenge_id = self.challenge(self.a, email)
        self.assert_next_is_code_for(ws, challenge_id)


if __name__ == "__main__":
    unittest.main()
