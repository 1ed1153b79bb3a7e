"""SIGHUP reloads the configuration without a restart (SPEC §4, issue #22):
the live keys take effect at once, a bad file is refused with a clear log
line and the server keeps running on the old configuration, and the keys
that need a restart are named in the log. Live WebSockets stay connected."""

import json
import signal
import time
import unittest

from harness import (ADMIN, STRONG, Server, SmtpSink, WsClient, code_in, new_device,
                     new_email, register_verified, sign_in)


def wait_for_log(server, event, after, timeout=10):
    """The first JSON log line with `event` written after offset `after`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for line in server.logs()[after:].splitlines():
            if f'"event":"{event}"' in line:
                return json.loads(line)
        time.sleep(0.02)  # polling the log with a bound, not synchronising on time
    raise AssertionError(f"no {event} in the log within {timeout}s")


class ReloadTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink()
        self.other_smtp = SmtpSink()
        self.server = Server(smtp=self.smtp, extra_config=f'[admin]\ntoken = "{ADMIN}"\n')
        with open(self.server.config_path) as f:
            self.original = f.read()

    def tearDown(self):
        self.server.stop()
        self.smtp.stop()
        self.other_smtp.stop()

    def reload(self, config_text, expect="reload_applied"):
        with open(self.server.config_path, "w") as f:
            f.write(config_text)
        mark = len(self.server.logs())
        self.server.proc.send_signal(signal.SIGHUP)
        return wait_for_log(self.server, expect, mark)

    def test_live_keys_apply_at_once_and_websockets_stay(self):
        email, _ = register_verified(self.server, self.smtp)
        r = sign_in(self.server, email, new_device())
        self.assertEqual(r.status, 200, r)
        ws = WsClient(self.server)
        try:
            self.assertEqual(ws.auth(r.json["access_token"])["type"], "ready")
            text = self.original.replace(self.smtp.url(), self.other_smtp.url())
            text = text.replace("[server]\n", '[server]\ntrusted_proxies = ["127.0.0.1"]\n')
            text += '\n[log]\nlevel = "warn"\n'
            event = self.reload(text)
            self.assertEqual(sorted(event["applied"]),
                             ["log.level", "mail.smtp_url", "server.trusted_proxies"])
            self.assertEqual(event["restart_needed"], [])
            # SMTP: the next mail goes to the new server.
            other = new_email()
            r = self.server.post("/v1/accounts", {"email": other, "password": STRONG,
                                                  "app": "kasa"})
            self.assertEqual(r.status, 202, r)
            self.other_smtp.wait_for(other)
            # Trusted proxies: X-Forwarded-For from loopback is now believed.
            r = self.server.post("/v1/sessions", {"email": email, "password": STRONG,
                                                  "device": new_device()},
                                 headers={"X-Forwarded-For": "203.0.113.9"})
            self.assertEqual(r.status, 200, r)
            r = self.server.get("/v1/account/login-activity?limit=1",
                                token=r.json["access_token"])
            self.assertEqual(r.json[0]["ip"], "203.0.113.9")
            # Log level warn: no more request lines. Request lines are
            # buffered, so the check is made after an error line, which is
            # written at once with everything logged before it: a refused
            # reload (the warn configuration stays).
            mark = len(self.server.logs())
            self.assertEqual(self.server.get("/healthz").status, 200)
            self.reload(text.replace("[server]\n", "[server]\nno_such_key = 1\n"), expect="reload_refused")
            after = self.server.logs()[mark:]
            self.assertIn('"event":"reload_refused"', after)
            self.assertNotIn('"event":"request"', after)
            # The device stayed connected through it all.
            with self.assertRaises(TimeoutError):
                ws.recv(timeout=0.2)
        finally:
            ws.close()

    def test_a_bad_file_is_refused_and_the_old_configuration_stays(self):
        event = self.reload(self.original.replace("[server]\n", "[server]\nno_such_key = 1\n"),
                            expect="reload_refused")
        self.assertIn("no_such_key", event["error"])
        event = self.reload(self.original + "\n[server]\nthreads = 3\n", expect="reload_refused")
        self.assertIn("line", event["error"])
        self.assertEqual(self.server.get("/healthz").status, 200)
        # Still the old SMTP server.
        email, _ = register_verified(self.server, self.smtp)
        self.assertTrue(email)

    def register(self, email):
        return self.server.post("/v1/accounts", {"email": email, "password": STRONG,
                                                 "app": "kasa"})

    def test_limits_app_names_and_rollout_seeds_apply_without_a_restart(self):
        first = new_email()
        self.assertEqual(self.register(first).status, 202)
        self.assertEqual(self.smtp.wait_for(first)["From"].addresses[0].display_name, "kasa")
        text = self.original.replace("registrations_per_ip_hour = 100000",
                                     "registrations_per_ip_hour = 2")
        text = text.replace("[security]\n", "[security]\nmax_code_attempts = 3\n")
        text += ('\n[apps.kasa]\ndisplay_name = "Kasa Live"\n'
                 "[rollout.two_step.kasa]\npercent = 40\n")
        event = self.reload(text)
        self.assertEqual(sorted(event["applied"]),
                         ["apps.kasa.display_name", "rollout.two_step.kasa.percent",
                          "security.max_code_attempts", "security.registrations_per_ip_hour"])
        self.assertEqual(event["restart_needed"], [])
        pid = self.server.proc.pid
        # The new name is in the next mail, the new attempt limit on the next challenge.
        second = new_email()
        r = self.register(second)
        self.assertEqual(r.status, 202, r)
        mail = self.smtp.wait_for(second)
        self.assertEqual(mail["From"].addresses[0].display_name, "Kasa Live")
        wrong = "000000" if code_in(mail) != "000000" else "111111"
        r = self.server.post("/v1/accounts/verify-email",
                             {"challenge_id": r.json["challenge_id"], "code": wrong})
        self.assertEqual((r.status, r.json["attempts_left"]), (400, 2), r)
        # The lowered registration limit: the third from this IP this hour is refused.
        r = self.register(new_email())
        self.assertEqual((r.status, r.json["code"]), (429, "rate_limited"), r)
        # The rollout seed, until the admin API sets one.
        r = self.server.get("/v1/admin/rollout/two_step/kasa", token=ADMIN)
        self.assertEqual((r.status, r.json["percent"]), (200, 40), r)
        self.assertEqual(self.server.proc.pid, pid)
        self.assertIsNone(self.server.proc.poll())

    def test_keys_that_need_a_restart_are_named(self):
        text = self.original.replace("argon2_memory_kib = 8192", "argon2_memory_kib = 9000")
        event = self.reload(text)
        self.assertEqual(event["restart_needed"], ["security.argon2_memory_kib"])
        self.assertEqual(event["applied"], [])
        self.assertIsNone(self.server.proc.poll())

    def test_a_secret_that_changed_is_named_but_never_shown(self):
        text = self.original.replace("[mail]\n", '[mail]\nsmtp_password = "hunter2-secret"\n')
        event = self.reload(text)
        self.assertEqual(event["applied"], ["mail.smtp_password"])
        self.assertNotIn("hunter2-secret", self.server.logs_flushed())


if __name__ == "__main__":
    unittest.main()
