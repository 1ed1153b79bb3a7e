"""The mail server is down for minutes (issue 16, item 3): code mails wait
in the outbox, are retried with back-off, and arrive once a real SMTP
server (aiosmtpd) answers again on the same address, none lost. A code
mail whose challenge ended meanwhile is dropped, not delivered late. The
server's clock is the test clock, so the back-off is skipped by moving it,
not by waiting."""

import time
import unittest

from harness import (MANUAL_CLOCK_CONFIG, ServerTestCase, SmtpSink, code_in, new_device,
                     register_verified, sign_in)


class MailOutageTest(ServerTestCase):
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    def outbox(self, to):
        """[(attempts, seconds from its creation to its next try)] of mail
        to `to` (a try starts the wait when it fails, a few ms later)."""
        rows = self.server.query(
            f"SELECT attempts, next_attempt_at - created_at FROM outbox WHERE recipient = '{to}'")
        return [(int(a), int(d) // 1000) for a, d in rows]

    def wait_outbox(self, to, predicate, what, timeout=20):
        end = time.monotonic() + timeout
        while True:
            rows = self.outbox(to)
            if predicate(rows):
                return rows
            if time.monotonic() > end:
                raise TimeoutError(f"outbox of {to}: {what}; rows {rows}")
            time.sleep(0.05)  # polling the outbox table with a bound

    def outage(self):
        """Stops the SMTP server; returns a function that starts it again
        on the same address."""
        port = self.smtp.port
        self.smtp.stop()

        def back():
            type(self).smtp = SmtpSink(port=port)
        return back

    def test_codes_queued_during_an_outage_arrive_after_it_with_back_off(self):
        # The sign-ins need registered accounts: registered while it is up.
        accounts = [register_verified(self.server, self.smtp, app="aginet")[0] for _ in range(3)]
        waiting = []
        back = self.outage()
        try:
            for email in accounts:
                r = sign_in(self.server, email, new_device("Laptop"))
                self.assertEqual(r.status, 202, r)
                self.assertEqual(r.json["method"], "email")
                waiting.append((email, r.json["challenge_id"]))
            # Each send failed once and waits 5 s (the test clock also runs
            # in real time, hence the ranges).
            for email, _ in waiting:
                [(attempts, wait)] = self.wait_outbox(email, lambda r: r and r[0][0] >= 1,
                                                      "a failure")
                self.assertEqual(attempts, 1)
                self.assertTrue(5 <= wait < 10, wait)
            # Still down at the retry: the wait doubles to 10 s.
            self.advance(5)
            for email, _ in waiting:
                [(attempts, wait)] = self.wait_outbox(email, lambda r: r and r[0][0] >= 2,
                                                      "a retry")
                self.assertEqual(attempts, 2)
                self.assertTrue(5 + 10 <= wait < 5 + 10 + 10, wait)
        finally:
            back()
        self.advance(10)
        for email, challenge_id in waiting:
            code = code_in(self.smtp.wait_for(email))
            r = self.server.post(f"/v1/challenges/{challenge_id}/verify",
                                 {"code": code, "trust_device": False})
            self.assertEqual(r.status, 200, r)
            self.wait_outbox(email, lambda r: r == [], "delivered and gone")

    def test_a_code_mail_for_an_ended_challenge_is_dropped_not_sent_late(self):
        email, _ = register_verified(self.server, self.smtp, app="aginet")
        back = self.outage()
        try:
            r = sign_in(self.server, email, new_device("Laptop"))
            self.assertEqual(r.status, 202, r)
            challenge_id = r.json["challenge_id"]
            self.wait_outbox(email, lambda r: r and r[0][0] >= 1, "a failure")
            self.advance(601)  # the challenge's 10 minutes are over
            r = self.server.post(f"/v1/challenges/{challenge_id}/verify", {"code": "000000"})
            self.assertEqual(r.status, 410, r)
        finally:
            back()
        self.advance(3600)  # past any back-off
        self.wait_outbox(email, lambda r: r == [], "dropped")
        # The sender is running and delivering: a mail queued after arrives.
        register_verified(self.server, self.smtp, app="aginet")
        self.assertIn('"event":"mail_dropped"', self.server.logs())
        with self.assertRaises(TimeoutError):
            self.smtp.wait_for(email, timeout=2)


if __name__ == "__main__":
    unittest.main()
