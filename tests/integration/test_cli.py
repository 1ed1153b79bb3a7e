"""The real `twostep` client against a real twostepd: a script-mode walk
with two profiles, and an interactive run in a real terminal (tmux)."""

import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

from harness import STRONG, Server, SmtpSink, code_in, new_email, read_line
from tmux_terminal import TmuxTerminal

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get("TWOSTEP_CLI", os.path.join(HERE, "..", "..", "build", "twostep"))


class Cli:
    def __init__(self, server, config_home):
        # English, whatever the machine's locale: these suites check the
        # English words (test_cli_languages.py checks the others).
        self.env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
        self.env.update(XDG_CONFIG_HOME=config_home, LANG="C.UTF-8",
                        TWOSTEP_SERVER=f"http://{server.host}:{server.port}")

    def run(self, *args, stdin=""):
        p = subprocess.run([CLI, "--json", *args], input=stdin, capture_output=True, text=True,
                           env=self.env, timeout=60)
        lines = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
        return p.returncode, lines, p.stderr

    def start(self, *args):
        return subprocess.Popen([CLI, "--json", *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)


def next_json(proc, what, timeout=20):
    return json.loads(read_line(proc, timeout, what))


def send(proc, line):
    proc.stdin.write((line + "\n").encode())
    proc.stdin.flush()


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp)
        cls.home = tempfile.mkdtemp(prefix="twostep-cli-")
        cls.cli = Cli(cls.server, cls.home)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def registered(self, profile):
        email = new_email()
        rc, out, err = self.cli.run("--profile", profile, "register", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        cid = out[0]["challenge_id"]
        code = code_in(self.smtp.wait_for(email))
        rc, out, err = self.cli.run("--profile", profile, "verify-email", cid, code)
        self.assertEqual(rc, 0, err)
        return email

    def test_two_step_on_again_asks_for_the_password_and_keeps_the_secret(self):
        email = self.registered("again")
        rc, out, err = self.cli.run("--profile", "again", "login", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        on = self.cli.start("--profile", "again", "two-step", "on")
        self.assertEqual(next_json(on, "two-step challenge")["status"], "challenge")
        send(on, code_in(self.smtp.wait_for(email, subject_contains="Two-Step")))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)
        profile = os.path.join(self.home, "twostep", "again.json")
        with open(profile) as f:
            secret = json.load(f)["device_secret"]
        self.assertTrue(secret)
        rc, out, err = self.cli.run("--profile", "again", "two-step", "off", "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        # A later switch-on needs the password, not a new email code.
        rc, out, err = self.cli.run("--profile", "again", "two-step", "on", "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual((rc, out[-1]), (0, {"enabled": True}), err)
        with open(profile) as f:
            renewed = json.load(f)["device_secret"]
        self.assertTrue(renewed)
        # Already on: nothing changes, and the profile keeps its secret.
        rc, out, err = self.cli.run("--profile", "again", "two-step", "on")
        self.assertEqual((rc, out[-1]), (0, {"enabled": True}), err)
        with open(profile) as f:
            self.assertEqual(json.load(f)["device_secret"], renewed)

    def test_script_mode_walk(self):
        email = self.registered("a")
        rc, out, err = self.cli.run("--profile", "a", "login", email, "--password-stdin", stdin=STRONG + "\n")
        self.assertEqual((rc, out[-1]["status"]), (0, "signed_in"), err)
        profile = os.path.join(self.home, "twostep", "a.json")
        self.assertEqual(stat.S_IMODE(os.stat(profile).st_mode), 0o600)
        with open(profile) as f:
            saved = json.load(f)
        self.assertNotIn(saved["access_token"], json.dumps(out) + err)

        # two-step on: the email code step.
        on = self.cli.start("--profile", "a", "two-step", "on")
        self.assertEqual(next_json(on, "two-step challenge")["status"], "challenge")
        send(on, code_in(self.smtp.wait_for(email, subject_contains="Two-Step")))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)

        listen_a = self.cli.start("--profile", "a", "listen")
        self.assertEqual(next_json(listen_a, "ready")["type"], "ready")

        # Sign in from a second profile: the code arrives at the first.
        b = self.cli.start("--profile", "b", "login", email, "--password-stdin")
        send(b, STRONG)
        challenge = next_json(b, "b's challenge")
        self.assertEqual(challenge["status"], "challenge")
        self.assertEqual(challenge["challenge"]["destination"], "1 trusted device")
        request = next_json(listen_a, "code request")
        self.assertEqual(request["type"], "verification_code")
        self.assertEqual(request["challenge_id"], challenge["challenge"]["challenge_id"])
        send(b, request["code"])
        self.assertEqual(next_json(b, "b signed in")["status"], "signed_in")
        self.assertEqual(b.wait(20), 0)
        self.assertEqual(next_json(listen_a, "resolved")["outcome"], "verified")

        rc, out, err = self.cli.run("--profile", "a", "devices")
        self.assertEqual(rc, 0, err)
        devices = out  # one JSON object per line
        self.assertEqual(len(devices), 2)
        b_id = next(d["id"] for d in devices if not d["current"])

        listen_b = self.cli.start("--profile", "b", "listen")
        self.assertEqual(next_json(listen_b, "b ready")["type"], "ready")
        rc, out, err = self.cli.run("--profile", "a", "devices", "remove", b_id)
        self.assertEqual(rc, 0, err)
        self.assertEqual(next_json(listen_b, "b signed out"),
                         {"type": "signed_out", "reason": "device_removed"})
        self.assertEqual(listen_b.wait(20), 4)
        self.assertIn("signed out", listen_b.stderr.read().decode())
        rc, out, err = self.cli.run("--profile", "b", "whoami")
        self.assertEqual(rc, 3)
        self.assertIn("twostep login", err)

        rc, out, err = self.cli.run("--profile", "a", "activity", "--limit", "5")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out[0]["event"], "device_removed")
        listen_a.terminate()
        listen_a.wait(10)

    def test_listen_reconnects_after_the_server_restarts(self):
        import socket
        with socket.socket() as s:  # a fixed port, so the restarted server is found again
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        smtp = SmtpSink()
        server = Server(smtp=smtp, env={"TWOSTEP_SERVER_LISTEN": f"127.0.0.1:{port}"})
        home = tempfile.mkdtemp(prefix="twostep-cli-re-")
        cli = Cli(server, home)
        try:
            email = new_email()
            rc, out, err = cli.run("register", email, "--password-stdin", stdin=STRONG + "\n")
            cli.run("verify-email", out[0]["challenge_id"], code_in(smtp.wait_for(email)))
            cli.run("login", email, "--password-stdin", stdin=STRONG + "\n")
            listener = cli.start("listen")
            self.assertEqual(next_json(listener, "ready")["type"], "ready")
            self.assertEqual(server.terminate(), 0)
            server.start()  # same data, same port
            self.assertEqual(next_json(listener, "ready again", timeout=30)["type"], "ready")
            listener.terminate()
            listener.wait(10)
        finally:
            server.stop()
            smtp.stop()
            shutil.rmtree(home, ignore_errors=True)

    def test_errors_are_one_sentence_and_a_code(self):
        rc, out, err = self.cli.run("--profile", "x", "login", new_email(), "--password-stdin",
                                    stdin="not the password 1\n")
        self.assertEqual(rc, 1)
        self.assertIn("(invalid_credentials)", err)
        self.assertNotIn("Traceback", err)
        rc, out, err = self.cli.run("--profile", "x", "whoami")
        self.assertEqual(rc, 3)

    def test_password_tools(self):
        rc, out, err = self.cli.run("password", "generate", "--length", "24")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out[0]["password"]), 24)
        rc, out, err = self.cli.run("password", "strength", "password123")
        self.assertEqual(rc, 0, err)
        self.assertFalse(out[0]["acceptable"])
        self.assertTrue(out[0]["suggestions"])

    def test_help_is_complete(self):
        for args in [[], ["login"], ["listen"], ["devices"], ["devices", "remove"], ["password", "generate"],
                     ["admin", "rollout", "set"], ["activity"], ["two-step"], ["account", "set"]]:
            p = subprocess.run([CLI, *args, "--help"], capture_output=True, text=True, timeout=10,
                               env=self.cli.env)
            self.assertEqual(p.returncode, 0, args)
            self.assertIn("Usage", p.stdout)


@unittest.skipUnless(shutil.which("tmux"), "tmux is not installed")
class InteractiveTest(unittest.TestCase):
    """A real terminal: the password prompt does not echo; the code prompt
    offers Resend and "Did not receive a code?"."""

    def setUp(self):
        self.smtp = SmtpSink()
        self.server = Server(smtp=self.smtp)
        self.home = tempfile.mkdtemp(prefix="twostep-tty-")
        self.cli = Cli(self.server, self.home)
        self.term = None

    def tearDown(self):
        if self.term:
            self.term.close()
        self.server.stop()
        self.smtp.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def test_login_in_a_terminal(self):
        email = new_email()
        rc, out, err = self.cli.run("--profile", "t", "register", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        code = code_in(self.smtp.wait_for(email))
        self.cli.run("--profile", "t", "verify-email", out[0]["challenge_id"], code)
        rc, _, err = self.cli.run("--profile", "t", "login", email, "--password-stdin", stdin=STRONG + "\n")
        on = self.cli.start("--profile", "t", "two-step", "on")
        next_json(on, "challenge")
        send(on, code_in(self.smtp.wait_for(email, subject_contains="Two-Step")))
        on.wait(20)

        env = " ".join(f"{k}={v}" for k, v in self.cli.env.items() if k in ("XDG_CONFIG_HOME", "TWOSTEP_SERVER", "LANG"))
        self.term = TmuxTerminal(self, "twostep-" + os.urandom(4).hex(),
                                 f"env {env} {CLI} --profile other login {email}; sleep 30", width=200)
        self.term.wait_for("Password:")
        self.term.keys(STRONG, "Enter")
        s = self.term.wait_for("Enter the code")
        self.assertNotIn(STRONG, s)  # no echo
        self.assertIn("1 trusted device", s)
        self.assertIn("r = resend in", s)
        self.assertIn("Did not receive a code? Receive code via email", s)
        self.term.keys("e", "Enter")
        s = self.term.wait_for("***@example.com")
        code = code_in(self.smtp.wait_for(email, subject_contains="sign-in"))
        self.term.keys(code, "Enter")
        self.term.wait_for("Signed in as " + email)


if __name__ == "__main__":
    unittest.main()
