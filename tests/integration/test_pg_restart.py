"""A database restart loses no code on its way to a live device (SPEC §4,
issue 16): two instances, A and B, on a PostgreSQL cluster of this suite's
own (restarting it disturbs no other suite). A device is live on A; the
database restarts; a code is requested (or a challenge resolved) through B
while A is not listening yet; once A listens again, the device gets what it
missed.

To make "while A is not listening" certain rather than a race with A's
reconnect back-off, A connects as its own role, which is refused login
across the restart and allowed again afterwards: B's NOTIFY is then always
published before A listens, as it was for the user in the issue who signed
in right after the database answered again."""

import time
import unittest

from harness import (STRONG, SmtpSink, Server, WsClient, new_device, shared_keys_file)
from pg_cluster import Cluster, Db
from test_pg_multi_instance import account_with_trusted_device


def wait_for_log(server, text, count, timeout=30):
    """Waits until `text` appears `count` times in the server's log."""
    end = time.monotonic() + timeout
    while server.logs().count(text) < count:
        if time.monotonic() > end:
            raise TimeoutError(f"{text!r} not logged {count} times")
        time.sleep(0.05)  # polling a log file with a bound


class DatabaseRestartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = Cluster("restart").init().start()
        for role in ("inst_a", "inst_b"):
            cls.cluster.sql(f"CREATE ROLE {role} SUPERUSER LOGIN")
        cls.cluster.sql("CREATE DATABASE twostep")
        base = f"127.0.0.1:{cls.cluster.port}/twostep"
        cls.smtp = SmtpSink()
        cls.keys = shared_keys_file()
        cls.a = Server(smtp=cls.smtp, database=Db(f"postgresql://inst_a@{base}"), keys_file=cls.keys)
        cls.b = Server(smtp=cls.smtp, database=Db(f"postgresql://inst_b@{base}"), keys_file=cls.keys)

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()
        cls.smtp.stop()
        cls.cluster.destroy()

    def listen_on_a(self):
        email, phone, token = account_with_trusted_device(self, self.smtp, self.b)
        ws = WsClient(self.a)
        self.assertEqual(ws.auth(token), {"type": "ready", "device_id": phone["id"]})
        return email, ws

    def restart_without_a(self):
        """Restarts the database; A cannot connect again until allow_a()."""
        lost = self.a.logs().count('"fanout_connection_lost"')
        self.cluster.sql("ALTER ROLE inst_a NOLOGIN")
        self.cluster.restart()
        wait_for_log(self.a, '"fanout_connection_lost"', lost + 1)

    def allow_a(self):
        self.cluster.sql("ALTER ROLE inst_a LOGIN")

    def challenge_through_b(self, email):
        r = self.b.post("/v1/sessions", {"email": email, "password": STRONG,
                                         "device": new_device("Laptop B")})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json["method"], "app")
        return r.json["challenge_id"]

    def test_code_requested_while_a_was_not_listening_reaches_the_device_on_a(self):
        email, ws = self.listen_on_a()
        try:
            self.restart_without_a()
            challenge_id = self.challenge_through_b(email)
            self.allow_a()
            msg = ws.recv(timeout=20)
            self.assertEqual(msg["type"], "verification_code")
            self.assertEqual(msg["challenge_id"], challenge_id)
            self.assertEqual(msg["requester"]["device"]["name"], "Laptop B")
            # The replayed code is the live one, and A listens again.
            r = self.b.post(f"/v1/challenges/{challenge_id}/verify",
                            {"code": msg["code"], "trust_device": False})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(ws.recv(timeout=20), {"type": "challenge_resolved",
                                                   "challenge_id": challenge_id,
                                                   "outcome": "verified"})
        finally:
            ws.close()

    def test_challenge_resolved_while_a_was_not_listening_reaches_the_device_on_a(self):
        email, ws = self.listen_on_a()
        try:
            challenge_id = self.challenge_through_b(email)
            msg = ws.recv(timeout=20)
            self.assertEqual(msg["challenge_id"], challenge_id)
            self.restart_without_a()
            r = self.b.post(f"/v1/challenges/{challenge_id}/verify",
                            {"code": msg["code"], "trust_device": False})
            self.assertEqual(r.status, 200, r)
            self.allow_a()
            # No dead code stays on the screen: told once A listens again.
            got = ws.recv(timeout=20)
            self.assertEqual(got, {"type": "challenge_resolved", "challenge_id": challenge_id,
                                   "outcome": "verified"})
        finally:
            ws.close()


if __name__ == "__main__":
    unittest.main()
