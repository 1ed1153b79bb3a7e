"""The `twostep` client in the user's language (issue #24, SPEC U17): with
LANG=ja_JP.UTF-8 a real terminal (tmux) shows register, sign-in, the code
prompt and the listen screen in Japanese from the catalog, with the labels
and the table columns aligned by display width (a CJK character takes two
cells); --lang de wins over LANG. The terminal is a tmux server of its own in
C.UTF-8, so the test needs no generated ja_JP locale (a fresh Debian 12 has
none): the client reads LANG, it does not need setlocale() to succeed."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata

from harness import STRONG, ServerTestCase, code_in, new_email
from test_cli import CLI, Cli, next_json, send
from tmux_terminal import TmuxTerminal

HERE = os.path.dirname(os.path.abspath(__file__))
LOCALES = os.path.join(HERE, "..", "..", "locales")


def catalog(lang):
    with open(os.path.join(LOCALES, lang, "cli.json"), encoding="utf-8") as f:
        messages = json.load(f)
    with open(os.path.join(LOCALES, lang, "common.json"), encoding="utf-8") as f:
        messages.update(json.load(f))
    return messages


def fixed(message):
    """The longest stretch of a message without placeholders: what must
    appear on the screen whatever the arguments."""
    return max(re.split(r"\{[^{}]*\}", message), key=len).strip()


def columns(text):
    """Display width as a terminal counts it (East Asian Wide/Fullwidth: 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class JapaneseTerminalTest(ServerTestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="twostep-cli-ja-")
        self.cli = Cli(self.server, self.home)
        self.cli.env.update(LANG="ja_JP.UTF-8", TZ="Asia/Tokyo")
        self.ja = catalog("ja")
        self.terms = []

    def tearDown(self):
        for term in self.terms:
            term.close()
        shutil.rmtree(self.home, ignore_errors=True)

    def terminal(self, *args):
        env = " ".join(f"{k}={self.cli.env[k]}"
                       for k in ("XDG_CONFIG_HOME", "TWOSTEP_SERVER", "TZ", "LANG"))
        name = "twostep-ja-" + os.urandom(4).hex()
        term = TmuxTerminal(self, name, f"env {env} {CLI} {' '.join(args)}; echo EXIT=$?; sleep 60",
                            socket="twostep-i18n-" + os.urandom(4).hex())
        self.terms.append(term)
        return term

    def see(self, term, key, timeout=20):
        return term.wait_for(fixed(self.ja[key]), timeout)

    def test_register_sign_in_and_listen_speak_japanese_aligned(self):
        email = new_email()
        # register: the prompt, and the sentence with the next command.
        term = self.terminal("--profile", "phone", "register", email)
        self.see(term, "cli.prompt.choose_password")
        term.type_line(STRONG)
        s = self.see(term, "cli.register.code_sent")
        challenge = re.search(r"verify-email (\S+)", s).group(1)
        self.assertIn("EXIT=0", term.wait_for("EXIT="))
        term = self.terminal("--profile", "phone", "verify-email", challenge)
        self.see(term, "cli.prompt.email_code")
        term.type_line(code_in(self.smtp.wait_for(email)))
        self.see(term, "cli.verify_email.done")
        # login in a terminal: the password prompt and the greeting.
        term = self.terminal("--profile", "phone", "login", email)
        self.see(term, "cli.prompt.password")
        term.type_line(STRONG)
        s = self.see(term, "cli.login.signed_in")
        self.assertIn(email, s)
        on = self.cli.start("--profile", "phone", "two-step", "on")
        next_json(on, "two-step challenge")
        # The account speaks Japanese now: so does its mail.
        send(on, code_in(self.smtp.wait_for(email, subject_contains="2 段階認証をオンにするための")))
        self.assertEqual(next_json(on, "two-step result"), {"enabled": True})
        self.assertEqual(on.wait(20), 0)
        for pipe in (on.stdin, on.stdout, on.stderr):
            pipe.close()

        # The listen screen, and a sign-in from a second profile whose code
        # step asks in Japanese ("Did not receive a code?" included).
        listen = self.terminal("--profile", "phone", "listen")
        self.see(listen, "cli.listen.header")
        laptop = self.terminal("--profile", "laptop", "login", email)
        self.see(laptop, "cli.prompt.password")
        laptop.type_line(STRONG)
        s = laptop.wait_for(self.ja["cli.login.email_offer"])
        self.assertIn(fixed(self.ja["cli.login.code_sent"]), s)
        s = self.see(listen, "cli.listen.is_this_you")
        self.assertIn(fixed(self.ja["cli.listen.requested_for"]), s)
        self.assertIn("日本標準時", s)  # the time in the account's zone, named
        labels = [self.ja[f"cli.listen.label.{k}"] for k in ("device", "app", "ip", "near", "time")]
        starts = set()
        for line in s.splitlines():
            for label in labels:
                if line.strip().startswith(label):
                    value = line.split(label, 1)[1].lstrip(" ")
                    starts.add(columns(line[:len(line) - len(value)]))
        self.assertEqual(len(starts), 1, f"values start in different columns {starts}:\n{s}")
        listen.type_line("a")
        s = listen.wait_for(self.ja["cli.listen.label.code"])
        code = re.search(r"(\d{6})", s.split(self.ja["cli.listen.label.code"], 1)[1]).group(1)
        laptop.type_line(code)
        self.see(laptop, "cli.login.signed_in")
        self.see(listen, "common.resolution.verified")

        # Trusted Devices as a table: the columns line up in display cells.
        out = subprocess.run([CLI, "--profile", "phone", "devices"], env=self.cli.env,
                             capture_output=True, text=True, timeout=30).stdout
        lines = out.splitlines()
        header = lines[0]
        self.assertTrue(header.startswith("ID"), out)
        for key in ("cli.devices.name", "cli.devices.last_seen", "cli.devices.location"):
            title = self.ja[key]
            at = columns(header[:header.index(title)])
            for row in lines[1:]:
                # Every cell before the column ends with a space at that cell.
                cut, width = 0, 0
                while width < at:
                    width += columns(row[cut])
                    cut += 1
                self.assertEqual(width, at, f"{title}: a wide character straddles:\n{out}")
                self.assertEqual(row[cut - 1], " ", f"{title} is not aligned:\n{out}")
        self.assertIn("laptop", out)

    def test_lang_flag_wins_over_lang(self):
        email = new_email()
        rc, out, err = self.cli.run("--profile", "p", "register", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        # --json stays machine output in any language.
        self.assertEqual(out[0]["status"], "code_sent")
        de = catalog("de")
        # An unknown command: the answer in German although LANG is Japanese.
        p = subprocess.run([CLI, "--lang", "de", "bogus"], env=self.cli.env, capture_output=True,
                           text=True, timeout=10)
        self.assertEqual(p.returncode, 106)
        self.assertIn("„bogus“ ist kein Befehl von twostep.", p.stderr)
        p = subprocess.run([CLI, "bogus"], env=self.cli.env, capture_output=True, text=True,
                           timeout=10)
        self.assertIn("「bogus」は twostep のコマンドではありません。", p.stderr)
        # The code prompt in a terminal, with --lang de.
        term = self.terminal("--profile", "p", "--lang", "de", "verify-email",
                             out[0]["challenge_id"])
        term.wait_for(de["cli.prompt.email_code"].strip())
        term.type_line("12")
        term.wait_for(fixed(de["cli.code.malformed"]))
        term.type_line(code_in(self.smtp.wait_for(email)))
        s = term.wait_for(fixed(de["cli.verify_email.done"]))
        self.assertNotIn(fixed(self.ja["cli.verify_email.done"]), s)
        # --help in German.
        p = subprocess.run([CLI, "--lang", "de", "--help"], env=self.cli.env, capture_output=True,
                           text=True, timeout=10)
        self.assertIn(de["cli.help.label.usage"] + ":", p.stdout)
        self.assertIn(de["cli.help.listen"], p.stdout)
        # A language the catalog lacks is refused by name.
        p = subprocess.run([CLI, "--lang", "sv", "whoami"], env=self.cli.env,
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 105)
        self.assertIn("「sv」", p.stderr)  # told in the language of LANG

    def test_the_servers_password_words_are_in_the_clients_language(self):
        # Issue #24: the client sends its language as Accept-Language.
        for args, lang in ((("password", "strength", "password"), "ja"),
                           (("--lang", "de", "password", "strength", "password"), "de")):
            with self.subTest(lang=lang):
                p = subprocess.run([CLI, *args], env=self.cli.env, capture_output=True,
                                   text=True, timeout=30)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn(catalog(lang)["common.password.warning.common"], p.stdout)
                self.assertIn(catalog(lang)["common.password.tip.more_words"], p.stdout)
        p = subprocess.run([CLI, "register", new_email(), "--password-stdin"], input="Xk7#pQ2\n",
                           env=self.cli.env, capture_output=True, text=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(self.ja["common.password.too_short"].replace("{min, number}", "8"), p.stderr)


class AccountLanguageTest(ServerTestCase):
    """The account's language, once signed in, wins over LANG; --lang over
    both; `account set` changes it (PATCH /v1/account)."""

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="twostep-cli-acct-")
        self.cli = Cli(self.server, self.home)
        self.cli.env.update(LANG="ja_JP.UTF-8", TZ="Asia/Tokyo")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def text(self, *args, lang):
        env = dict(self.cli.env, LANG=lang)
        p = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout + p.stderr

    def test_account_language_then_lang_flag_and_account_set(self):
        email = new_email()
        rc, out, err = self.cli.run("--profile", "p", "register", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        rc, out, err = self.cli.run("--profile", "p", "verify-email", out[0]["challenge_id"],
                                    code_in(self.smtp.wait_for(email)))
        self.assertEqual(rc, 0, err)
        # register sent the terminal's language and zone (the account takes
        # them when the registration is confirmed).
        self.assertEqual(self.server.query(
            f"SELECT locale, time_zone FROM accounts WHERE email = '{email}'"),
            [["ja", "Asia/Tokyo"]])
        # Signed out, the terminal decides: German.
        rc, text = self.text("--profile", "p", "whoami", lang="de_DE.UTF-8")
        self.assertEqual(rc, 3)
        self.assertIn(catalog("de")["cli.error.not_signed_in"], text)
        rc, out, err = self.cli.run("--profile", "p", "login", email, "--password-stdin",
                                    stdin=STRONG + "\n")
        self.assertEqual(rc, 0, err)
        # Signed in, the account decides (Japanese) although LANG is German.
        ja = catalog("ja")
        rc, text = self.text("--profile", "p", "security", lang="de_DE.UTF-8")
        self.assertEqual(rc, 0, text)
        self.assertIn(ja["cli.security.title"], text)
        self.assertIn("日本標準時", text)
        # --lang wins over the account.
        rc, text = self.text("--profile", "p", "--lang", "fr", "security", lang="de_DE.UTF-8")
        self.assertIn(catalog("fr")["cli.security.title"], text)
        # account set: the account's language and zone change, and so does
        # the client's.
        rc, text = self.text("--profile", "p", "account", "set", "--lang", "zh-TW",
                             "--time-zone", "Europe/Berlin", lang="de_DE.UTF-8")
        self.assertEqual(rc, 0, text)
        self.assertIn("繁體中文", text)
        self.assertEqual(self.server.query(
            f"SELECT locale, time_zone FROM accounts WHERE email = '{email}'"),
            [["zh-Hant", "Europe/Berlin"]])
        rc, text = self.text("--profile", "p", "security", lang="de_DE.UTF-8")
        self.assertIn(catalog("zh-Hant")["cli.security.title"], text)
        self.assertIn("中歐", text)  # Central European time, named in Chinese
        # A zone ICU does not know is refused before anything is sent.
        rc, text = self.text("--profile", "p", "account", "set", "--time-zone", "Mars/Olympus",
                             lang="de_DE.UTF-8")
        self.assertEqual(rc, 105)
        self.assertIn("Mars/Olympus", text)
        # Signing out forgets the account's language: the terminal's again.
        rc, text = self.text("--profile", "p", "logout", lang="de_DE.UTF-8")
        self.assertEqual(rc, 0, text)
        rc, text = self.text("--profile", "p", "whoami", lang="de_DE.UTF-8")
        self.assertIn(catalog("de")["cli.error.not_signed_in"], text)
