"""The `twostep` client's journeys without dead ends (issue #17), against a
real twostepd and SMTP sink: shared token refreshes, Forgot password, codes
typed with spaces or dashes and asked again when wrong, the Apple-style
request on `listen` (who and where first, the code after Allow, cleared when
the request is over), the new device that learns of a denial at once and
starts over, device names, times with a zone, one JSON object per line, and
the words of Login Activity. Interactive flows run in a real terminal
(tmux send-keys / capture-pane)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import MANUAL_CLOCK_CONFIG, STRONG, ServerTestCase, code_in, new_email
from test_cli import CLI, Cli, next_json, send
from tmux_terminal import TmuxTerminal

NEW_PASSWORD = "another horse battery staple 77"
# The client in English with no profile of the machine's user (the help's
# language follows the default profile's account otherwise).
ENGLISH = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
ENGLISH.update(LANG="C.UTF-8", XDG_CONFIG_HOME=os.path.join(tempfile.gettempdir(), "twostep-none"))


def wrong(code):
    """A well-formed code that is not `code`."""
    return f"{(int(code) + 1) % 1000000:06d}"


def spaced(code):
    return code[:3] + " " + code[3:]


class Journeys(ServerTestCase):
    """One server (with the test clock) and one SMTP sink per suite; each
    test its own accounts and profiles."""
    EXTRA_CONFIG = MANUAL_CLOCK_CONFIG

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="twostep-cli-j-")
        self.cli = Cli(self.server, self.home)
        self.cli.env["TZ"] = "Asia/Tokyo"  # no daylight saving: always JST
        self.term = None
        self.procs = []

    def tearDown(self):
        if self.term:
            self.term.close()
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
            p.communicate(timeout=10)
        shutil.rmtree(self.home, ignore_errors=True)

    def start(self, *args):
        p = self.cli.start(*args)
        self.procs.append(p)
        return p

    # Accounts and profiles -------------------------------------------------

    def signed_in(self, profile, email=None):
        """A verified account signed in on `profile`; returns its email."""
        if email is None:
            email = new_email()
            rc, out, err = self.cli.run("--profile", profile, "register", email, "--password-stdin",
                                        stdin=STRONG + "\n")
            self.assertEqual(rc, 0, err)
            code = code_in(self.smtp.wait_for(email))
            rc, out, err = self.cli.run("--profile", profile, "verify-email", out[0]["challenge_id"], code)
            self.assertEqual(rc, 0, err)
        rc, out, err = self.cli.run("--profile", profile, "login", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual((rc, out[-1]["status"]), (0, "signed_in"), err)
        return email

    def two_step_on(self, profile, email):
        on = self.start("--profile", profile, "two-step", "on")
        self.assertEqual(next_json(on, "two-step challenge")["status"], "challenge")
        send(on, code_in(self.smtp.wait_for(email, subject_contains="Two-Step")))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)

    def trusted_account(self, profile="phone"):
        email = self.signed_in(profile)
        self.two_step_on(profile, email)
        return email

    def listening(self, profile="phone"):
        listener = self.start("--profile", profile, "listen")
        self.assertEqual(next_json(listener, "ready")["type"], "ready")
        return listener

    # The terminal ------------------------------------------------------------

    def terminal(self, *args):
        """Runs `twostep ARGS` (text mode) in a new tmux session."""
        env = " ".join(f"{k}={self.cli.env[k]}"
                       for k in ("XDG_CONFIG_HOME", "TWOSTEP_SERVER", "TZ", "LANG"))
        self.term = TmuxTerminal(self, "twostep-j-" + os.urandom(4).hex(),
                                 f"env {env} {CLI} {' '.join(args)}; echo EXIT=$?; sleep 60")

    def wait_screen(self, text, timeout=20):
        return self.term.wait_for(text, timeout)

    def keys(self, *keys):
        self.term.keys(*keys)

    def type_line(self, text):
        self.term.type_line(text)


class SessionTest(Journeys):
    def test_concurrent_refreshes_share_one_request(self):
        """Several commands of one profile that find the access token expired
        at once must not each spend the refresh token: the second spend would
        be a reuse, which revokes the session ("Please sign in again")."""
        email = self.signed_in("shared")
        self.advance(16 * 60)  # access tokens live 15 minutes
        procs = [subprocess.Popen([CLI, "--json", "--profile", "shared", "whoami"], env=self.cli.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(8)]
        results = [p.communicate(timeout=60) + (p.returncode,) for p in procs]
        for out, err, rc in results:
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["email"], email)
        rc, out, err = self.cli.run("--profile", "shared", "whoami")
        self.assertEqual(rc, 0, err)

    def test_forgot_password_in_the_terminal_client(self):
        email = self.signed_in("forgot")
        p = self.start("--profile", "forgot", "password", "forgot", email, "--password-stdin")
        sent = next_json(p, "code sent")
        self.assertEqual(sent["status"], "code_sent")
        code = code_in(self.smtp.wait_for(email))
        send(p, "12345")           # not a code: asked again, nothing sent
        send(p, spaced(wrong(code)))
        send(p, "password")        # weak: refused without spending an attempt
        send(p, NEW_PASSWORD)
        self.assertEqual(next_json(p, "wrong code"), {"status": "invalid_code", "attempts_left": 4})
        send(p, code[:3] + "-" + code[3:])
        self.assertEqual(next_json(p, "reset"), {"status": "password_reset"})
        self.assertEqual(p.wait(20), 0)
        err = p.stderr.read().decode()
        self.assertIn("A code is 6 digits", err)
        self.assertIn("Choose another password", err)
        self.assertNotIn(NEW_PASSWORD, err)
        # The old password is gone, and its refusal points to the way out.
        rc, out, err = self.cli.run("--profile", "forgot", "login", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("twostep password forgot " + email, err)
        rc, out, err = self.cli.run("--profile", "forgot", "login", email, "--password-stdin",
                                    stdin=NEW_PASSWORD + "\n")
        self.assertEqual((rc, out[-1]["status"]), (0, "signed_in"), err)

    def test_two_step_on_asks_again_on_the_same_email_code(self):
        email = self.signed_in("retry")
        on = self.start("--profile", "retry", "two-step", "on")
        challenge = next_json(on, "two-step challenge")
        self.assertEqual(challenge["status"], "challenge")
        code = code_in(self.smtp.wait_for(email, subject_contains="Two-Step"))
        send(on, "61-72")
        send(on, wrong(code))
        self.assertEqual(next_json(on, "wrong code"), {"status": "invalid_code", "attempts_left": 4})
        send(on, spaced(code))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)
        self.assertIn("A code is 6 digits", on.stderr.read().decode())
        # One challenge, sent once: a retry sends no new mail.
        rows = self.server.query(
            "SELECT count(*), sum(sends) FROM challenges WHERE purpose = 'enable_two_step' AND "
            f"account_id = (SELECT id FROM accounts WHERE email = '{email}')")
        self.assertEqual(rows, [["1", "1"]])


class CodeStepTest(Journeys):
    def test_code_step_reprompts_on_malformed_and_wrong_codes(self):
        email = self.trusted_account()
        self.terminal("--profile", "laptop", "login", email)
        self.wait_screen("Password:")
        self.type_line(STRONG)
        self.wait_screen("Enter the code")
        self.type_line("12 34")
        self.wait_screen("A code is 6 digits")
        self.type_line("e")
        self.wait_screen("***@example.com")
        code = code_in(self.smtp.wait_for(email, subject_contains="sign-in"))
        self.type_line(spaced(wrong(code)))
        self.wait_screen("Attempts left: 4")
        self.type_line(code[:3] + "-" + code[3:])
        s = self.wait_screen("Signed in as " + email)
        self.assertIn("EXIT=0", self.wait_screen("EXIT="))
        self.assertNotIn(STRONG, s)

    def test_new_device_learns_of_a_denial_at_once_and_starts_over(self):
        email = self.trusted_account()
        listener = self.listening()
        self.terminal("--profile", "laptop", "login", email)
        self.wait_screen("Password:")
        self.type_line(STRONG)
        self.wait_screen("Enter the code")
        request = next_json(listener, "code request")
        rc, out, err = self.cli.run("--profile", "phone", "deny", request["challenge_id"])
        self.assertEqual(rc, 0, err)
        # Nothing typed on the new device: its screen says it by itself.
        self.wait_screen("This sign-in was denied from a trusted device.")
        self.wait_screen("Press Enter to start over")
        self.keys("Enter")
        self.wait_screen("Starting over")
        self.type_line(STRONG)
        fresh = next_json(listener, "the new request")
        while fresh["type"] != "verification_code":
            fresh = next_json(listener, "the new request")
        self.assertNotEqual(fresh["challenge_id"], request["challenge_id"])
        self.type_line(fresh["code"])
        self.wait_screen("Signed in as " + email)

    def test_an_expired_request_offers_to_start_over(self):
        email = self.trusted_account()
        p = self.start("--profile", "late", "login", email, "--password-stdin")
        send(p, STRONG)
        self.assertEqual(next_json(p, "challenge")["status"], "challenge")
        self.advance(11 * 60)  # challenges live 10 minutes
        # Told without typing anything: the watch saw the expiry.
        self.assertEqual(next_json(p, "ended"), {"status": "challenge_ended", "state": "expired"})
        send(p, "q")
        self.assertEqual(p.wait(20), 1)
        self.assertIn("This sign-in request expired.", p.stderr.read().decode())

    def test_used_up_codes_offer_to_start_over(self):
        email = self.trusted_account()
        listener = self.listening()
        p = self.start("--profile", "guess", "login", email, "--password-stdin")
        send(p, STRONG)
        self.assertEqual(next_json(p, "challenge")["status"], "challenge")
        code = next_json(listener, "code")["code"]
        for left in (4, 3, 2, 1, 0):
            send(p, wrong(code))
            self.assertEqual(next_json(p, "wrong code"), {"status": "invalid_code", "attempts_left": left})
        self.assertEqual(next_json(p, "ended"), {"status": "challenge_ended", "state": "exhausted"})
        send(p, "")  # Enter: start over
        send(p, STRONG)
        fresh = next_json(p, "a new challenge")
        self.assertEqual(fresh["status"], "challenge")
        message = next_json(listener, "the new code")
        while message.get("challenge_id") != fresh["challenge"]["challenge_id"]:
            message = next_json(listener, "the new code")
        send(p, message["code"])
        self.assertEqual(next_json(p, "signed in")["status"], "signed_in")
        self.assertEqual(p.wait(20), 0)


class ListenTest(Journeys):
    def request_from(self, profile, email):
        p = self.start("--profile", profile, "login", email, "--password-stdin")
        send(p, STRONG)
        challenge = next_json(p, f"{profile}'s challenge")
        self.assertEqual(challenge["status"], "challenge")
        return p

    def test_request_shows_who_and_where_first_then_the_code_after_allow(self):
        email = self.trusted_account()
        self.terminal("--profile", "phone", "listen")
        self.wait_screen("Listening for sign-in requests")
        laptop = self.request_from("laptop", email)
        s = self.wait_screen("Sign-in requested")
        self.assertIn("laptop (twostep-cli", s)  # the device goes by its profile's name
        self.assertIn("IP:      127.0.0.1", s)
        self.assertIn("Near:    Unknown", s)
        self.assertRegex(s, r"Time:    \w{3} \d+, \d{4}, \d+:\d\d\s[AP]M Japan Standard Time")
        self.assertIn("a = Allow", s)
        self.assertIn("This wasn’t me", s)
        self.assertNotIn("Code:", s)
        self.type_line("a")
        s = self.wait_screen("Code:")
        code = re.search(r"Code:\s+(\d{6})", s).group(1)
        send(laptop, code)
        self.assertEqual(next_json(laptop, "signed in")["status"], "signed_in")
        s = self.wait_screen("Approved: the device signed in")
        self.assertNotIn(code, s)  # no code stays on the screen once it is used

    def test_this_wasnt_me_takes_the_request_away(self):
        email = self.trusted_account()
        self.terminal("--profile", "phone", "listen")
        self.wait_screen("Listening for sign-in requests")
        self.request_from("thief", email)
        self.wait_screen("Sign-in requested")
        self.type_line("d")
        s = self.wait_screen("You denied the sign-in request")
        self.assertIn("change it now", s)
        self.assertNotIn("Sign-in requested", s)

    def test_a_request_moved_to_email_leaves_no_dead_code(self):
        email = self.trusted_account()
        self.terminal("--profile", "phone", "listen")
        self.wait_screen("Listening for sign-in requests")
        laptop = self.request_from("laptop", email)
        self.wait_screen("Sign-in requested")
        self.type_line("a")
        s = self.wait_screen("Code:")
        code = re.search(r"Code:\s+(\d{6})", s).group(1)
        send(laptop, "e")  # "Did not receive a code?": the code now goes by email
        s = self.wait_screen("Moved to email")
        self.assertNotIn(code, s)
        self.assertIn("no longer works", s)


class ListsTest(Journeys):
    def test_devices_are_named_by_profile_one_json_object_per_line_with_zoned_times(self):
        email = self.trusted_account("phone")
        listener = self.listening("phone")
        p = self.start("--profile", "work", "login", email, "--password-stdin", "--device-name",
                       "Ann's work laptop")
        send(p, STRONG)
        next_json(p, "challenge")
        send(p, next_json(listener, "code")["code"])
        self.assertEqual(next_json(p, "signed in")["status"], "signed_in")
        rc, out, err = self.cli.run("--profile", "phone", "devices")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out), 2)  # one object per line, not one array
        self.assertTrue(all(isinstance(d, dict) for d in out))
        self.assertEqual(sorted(d["name"] for d in out), ["Ann's work laptop", "phone"])
        text = subprocess.run([CLI, "--profile", "phone", "devices"], env=self.cli.env,
                              capture_output=True, text=True, timeout=30).stdout
        self.assertRegex(text, r"\w{3} \d+, \d{4}, \d+:\d\d\s[AP]M Japan Standard Time")
        self.assertIn("Ann's work laptop", text)

    def test_activity_speaks_words_not_identifiers(self):
        email = self.trusted_account("phone")
        listener = self.listening("phone")
        p = self.start("--profile", "tablet", "login", email, "--password-stdin")
        send(p, STRONG)
        next_json(p, "challenge")
        code = next_json(listener, "code")["code"]
        send(p, wrong(code))
        next_json(p, "wrong code")
        send(p, code)
        self.assertEqual(next_json(p, "signed in")["status"], "signed_in")
        text = subprocess.run([CLI, "--profile", "phone", "activity"], env=self.cli.env,
                              capture_output=True, text=True, timeout=30).stdout
        for word in ("Wrong code entered", "Signed in with a code from a trusted device",
                     "Two-Step Verification turned on", "Japan Standard Time"):
            self.assertIn(word, text)
        for identifier in ("invalid_code", "success (trusted)", "two_step_change", "two step change"):
            self.assertNotIn(identifier, text)
        rc, out, err = self.cli.run("--profile", "phone", "activity", "--limit", "3")
        self.assertEqual((rc, len(out)), (0, 3), err)
        self.assertTrue(all(isinstance(e, dict) for e in out))


class CommandLineTest(unittest.TestCase):
    def test_an_unknown_command_is_named_and_the_commands_listed(self):
        p = subprocess.run([CLI, "bogus"], capture_output=True, text=True, timeout=10,
                           env=ENGLISH)
        self.assertEqual(p.returncode, 106)
        self.assertIn("“bogus” is not a command of twostep", p.stderr)
        for command in ("login", "listen", "devices", "password"):
            self.assertIn(command, p.stderr)
        self.assertNotIn("A subcommand is required", p.stderr)
        p = subprocess.run([CLI, "password", "bogus"], capture_output=True, text=True, timeout=10,
                           env=ENGLISH)
        self.assertEqual(p.returncode, 106)
        self.assertIn("forgot", p.stderr)

    def test_help_documents_exit_codes_and_json_lines(self):
        p = subprocess.run([CLI, "--help"], capture_output=True, text=True, timeout=10,
                           env=ENGLISH)
        self.assertEqual(p.returncode, 0)
        text = " ".join(p.stdout.split())
        self.assertIn("106 a command or argument missing or unknown", text)
        self.assertIn("1 refused or failed", text)
        self.assertIn("one JSON object per line", text)
        p = subprocess.run([CLI, "password", "forgot", "--help"], capture_output=True, text=True,
                           timeout=10, env=ENGLISH)
        self.assertEqual(p.returncode, 0)


if __name__ == "__main__":
    unittest.main()
