"""Mail that arrives (issue 21), checked with an independent implementation.

Every kind of mail twostep sends, written as files and sent over SMTP to the
test sink, carries two DKIM signatures (RSA-SHA256 and Ed25519-SHA256,
relaxed/relaxed) that Debian's python3-dkim (dkimpy) verifies, its DNS
lookups answered from the records `twostepd mail-dns` prints for the
test's keys; a changed body fails. The headers are those of an automatic
sender of the mail's app, and the text and HTML parts say the same code."""

import base64
import email
import email.policy
import email.utils
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import dkim

from harness import (STRONG, STRONG2, TWOSTEPD, Server, SmtpSink, new_device, new_email,
                     register_verified, sign_in)

FROM = "no-reply@mail.example.com"
DOMAIN = "mail.example.com"


def make_keys(directory):
    """An RSA 2048 and an Ed25519 key, as an operator makes them (OPERATIONS.md)."""
    rsa = os.path.join(directory, "dkim-rsa.pem")
    ed = os.path.join(directory, "dkim-ed25519.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", rsa], check=True, capture_output=True, timeout=60)
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", ed],
                   check=True, capture_output=True, timeout=60)
    return rsa, ed


def dkim_env(rsa, ed):
    return {"TWOSTEP_MAIL_FROM": FROM, "TWOSTEP_MAIL_DKIM_DOMAIN": DOMAIN,
            "TWOSTEP_MAIL_DKIM_SELECTOR": "rsa2026", "TWOSTEP_MAIL_DKIM_KEY_FILE": rsa,
            "TWOSTEP_MAIL_DKIM_ED25519_SELECTOR": "ed2026",
            "TWOSTEP_MAIL_DKIM_ED25519_KEY_FILE": ed,
            "TWOSTEP_APPS_KASA_DISPLAY_NAME": "Kasa", "TWOSTEP_APPS_AGINET_DISPLAY_NAME": "Aginet"}


def mail_dns(config_path, env):
    """Runs `twostepd mail-dns`; its TXT records as {name without dot: value}."""
    p = subprocess.run([TWOSTEPD, "mail-dns", "--config", config_path], capture_output=True,
                       text=True, env=dict(os.environ, **env), timeout=30)
    assert p.returncode == 0, p.stderr
    records = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^(\S+)\.\s+\d+\s+IN\s+TXT\s+(.*)$", line)
        if m:
            records[m.group(1)] = "".join(re.findall(r'"([^"]*)"', m.group(2)))
    return p.stdout, records


def dns_from(records):
    def lookup(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        value = records.get(name.rstrip("."))
        return value.encode() if value is not None else None
    return lookup


def verify_all(raw, records):
    """(algorithm, valid) of each DKIM-Signature of `raw`, in order, by dkimpy."""
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", raw)
    algorithms = re.findall(rb"(?im)^DKIM-Signature:.*?\ba=([a-z0-9-]+);", unfolded)
    def valid(i):
        try:
            return dkim.DKIM(raw).verify(idx=i, dnsfunc=dns_from(records))
        except dkim.ValidationError:  # e.g. "body hash mismatch"
            return False
    return [(alg.decode(), valid(i)) for i, alg in enumerate(algorithms)]


class FileMailbox:
    """The .eml files of a server in file mode, read as they appear."""

    def __init__(self, server):
        self.dir = os.path.join(server.dir, "var", "mail")
        self.seen = set()

    def wait_for(self, to, subject_contains, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            names = sorted(os.listdir(self.dir)) if os.path.isdir(self.dir) else []
            for name in names:
                if not name.endswith(".eml") or name in self.seen:
                    continue
                with open(os.path.join(self.dir, name), "rb") as f:
                    raw = f.read()
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                if msg["To"] == to and subject_contains in msg["Subject"]:
                    self.seen.add(name)
                    return raw, msg
            time.sleep(0.05)  # polling a directory: bounded by `end`
        raise TimeoutError(f"no mail file to {to} with {subject_contains!r}")


class SinkMailbox:
    def __init__(self, sink):
        self.sink = sink

    def wait_for(self, to, subject_contains, timeout=20):
        msg = self.sink.wait_for(to, timeout=timeout, subject_contains=subject_contains)
        return msg.raw.encode(), msg


def code_of(msg):
    text = msg.get_body(preferencelist=("plain",)).get_content()
    m = re.search(r"\b(\d{6})\b", text)
    return m.group(1) if m else None


def every_kind_of_mail(server, box):
    """Drives one account through every mail twostep sends; returns
    [(kind, raw bytes, message)] in the order they were sent."""
    got = []

    def take(to, subject, kind):
        raw, msg = box.wait_for(to, subject)
        got.append((kind, raw, msg))
        return msg

    addr = new_email()
    r = server.post("/v1/accounts", {"email": addr, "password": STRONG, "app": "kasa"})
    assert r.status == 202, r
    code = code_of(take(addr, "Verify your email address", "registration code"))
    assert server.post("/v1/accounts/verify-email",
                       {"challenge_id": r.json["challenge_id"], "code": code}).status == 200
    r = server.post("/v1/accounts", {"email": addr, "password": STRONG2, "app": "aginet"})
    assert r.status == 202, r
    take(addr, "Someone tried to create", "already registered")

    d1 = new_device("Laptop")
    r = sign_in(server, addr, d1)
    assert r.status == 200, r
    t1 = r.json["access_token"]
    r = server.post("/v1/account/two-step", {"enabled": True}, token=t1)
    assert r.status == 202, r
    code = code_of(take(addr, "code to turn on Two-Step", "enable code"))
    r = server.post("/v1/account/two-step/verify",
                    {"challenge_id": r.json["challenge_id"], "code": code}, token=t1)
    assert r.status == 200, r
    take(addr, "Two-Step Verification was turned on", "two-step on notice")

    # A new device: the code goes to d1; "Did not receive a code?" mails it.
    r = sign_in(server, addr, new_device("Pixel 8"))
    assert r.status == 202, r
    cid = r.json["challenge_id"]
    assert server.post(f"/v1/challenges/{cid}/resend", {"method": "email"}).status == 200
    code = code_of(take(addr, "sign-in verification code", "sign-in code"))
    r = server.post(f"/v1/challenges/{cid}/verify", {"code": code, "trust_device": False})
    assert r.status == 200, r
    take(addr, "New sign-in", "new sign-in alert")

    r = sign_in(server, addr, new_device("Stranger"))
    assert r.status == 202, r
    assert server.post(f"/v1/challenges/{r.json['challenge_id']}/deny", token=t1).status == 200
    take(addr, "You denied", "denied sign-in")

    # 20 wrong codes in a row (5 per challenge) alert the owner.
    for _ in range(4):
        r = sign_in(server, addr, new_device("Guesser"))
        assert r.status == 202, r
        for _ in range(5):
            v = server.post(f"/v1/challenges/{r.json['challenge_id']}/verify",
                            {"code": "000000", "trust_device": False})
            assert v.status in (400, 410), v
    take(addr, "Many wrong verification codes", "wrong codes alert")

    r = server.post("/v1/account/password", {"current_password": STRONG, "new_password": STRONG2,
                                             "sign_out_other_devices": False}, token=t1)
    assert r.status == 204, r
    take(addr, "password was changed", "password changed")
    assert server.post("/v1/password/reset", {"email": addr}).status == 202
    take(addr, "password reset code", "reset code")
    r = server.post("/v1/account/two-step", {"enabled": False, "password": STRONG2}, token=t1)
    assert r.status == 200, r
    take(addr, "Two-Step Verification was turned off", "two-step off notice")
    return got


class MailTestBase:
    """Shared checks; subclasses start the server and say how mail is read."""

    def check_headers(self, kind, raw, msg):
        with self.subTest(kind=kind):
            self.assertIn(f'\r\nFrom: "Kasa" <{FROM}>\r\n'.encode(), raw, kind)
            self.assertEqual(msg["From"].addresses[0].display_name, "Kasa")
            self.assertIn("Kasa", msg["Subject"], "the subject names the app")
            self.assertNotIn("{app}", msg["Subject"])
            self.assertEqual(msg["Auto-Submitted"], "auto-generated")
            self.assertEqual(msg["MIME-Version"], "1.0")
            self.assertTrue(msg["Message-ID"].endswith(f"@{DOMAIN}>"), msg["Message-ID"])
            self.assertIsNotNone(email.utils.parsedate_to_datetime(msg["Date"]))
            self.assertEqual(msg.get_content_type(), "multipart/alternative")
            parts = [p.get_content_type() for p in msg.iter_parts()]
            self.assertEqual(parts, ["text/plain", "text/html"])
            html = msg.get_body(preferencelist=("html",)).get_content()
            text = msg.get_body(preferencelist=("plain",)).get_content()
            # No remote images or tracking: nothing for a mail client to fetch.
            for fetches in ("<img", "src=", "url(", "http://", "https://"):
                self.assertNotIn(fetches, html.lower(), kind)
            self.assertEqual(re.findall(r"\b\d{6}\b", text), re.findall(r"\b\d{6}\b", html),
                             "the text and HTML parts carry the same code")
            self.assertTrue(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""),
                            "CRLF line ends only")

    def check_signatures(self, kind, raw):
        with self.subTest(kind=kind):
            self.assertEqual(verify_all(raw, self.records),
                             [("rsa-sha256", True), ("ed25519-sha256", True)], kind)

    def test_every_mail_kind_is_signed_and_well_formed(self):
        mails = every_kind_of_mail(self.server, self.box)
        self.assertEqual(len(mails), 11)
        for kind, raw, msg in mails:
            self.check_signatures(kind, raw)
            self.check_headers(kind, raw, msg)
        codes = [k for k, _, m in mails if code_of(m)]
        self.assertEqual(codes, ["registration code", "enable code", "sign-in code", "reset code"])

    def test_a_changed_body_or_header_fails_both_signatures(self):
        addr, _ = register_verified(self.server, self.smtp)
        r = self.server.post("/v1/password/reset", {"email": addr})
        self.assertEqual(r.status, 202)
        raw, _ = self.box.wait_for(addr, "password reset code")
        self.assertEqual(verify_all(raw, self.records),
                         [("rsa-sha256", True), ("ed25519-sha256", True)])
        head, _, body = raw.partition(b"\r\n\r\n")
        # One base64 character of the text part changed.
        lines = body.split(b"\r\n")
        i = next(n for n, line in enumerate(lines) if len(line) > 20 and not line.startswith(b"--"))
        lines[i] = (b"A" if lines[i][:1] != b"A" else b"B") + lines[i][1:]
        tampered = head + b"\r\n\r\n" + b"\r\n".join(lines)
        self.assertEqual(verify_all(tampered, self.records),
                         [("rsa-sha256", False), ("ed25519-sha256", False)])
        # A second From added on top (oversigned): the signatures fail too.
        self.assertEqual(verify_all(b'From: "Bank" <a@evil.example>\r\n' + raw, self.records),
                         [("rsa-sha256", False), ("ed25519-sha256", False)])

    def test_mail_dns_prints_spf_dkim_and_dmarc(self):
        self.assertIn(f'{DOMAIN}. 3600 IN TXT "v=spf1 ', self.dns_text)
        self.assertIn(f'_dmarc.{DOMAIN}. 3600 IN TXT "v=DMARC1; p=none', self.dns_text)
        self.assertTrue(self.records[f"rsa2026._domainkey.{DOMAIN}"].startswith("v=DKIM1; k=rsa; p="))
        self.assertTrue(self.records[f"ed2026._domainkey.{DOMAIN}"].startswith("v=DKIM1; k=ed25519; p="))
        # The RSA record is the key's SubjectPublicKeyInfo, as openssl derives it.
        der = subprocess.run(["openssl", "pkey", "-in", self.rsa, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True, timeout=30).stdout
        self.assertEqual(self.records[f"rsa2026._domainkey.{DOMAIN}"].split("p=")[1],
                         base64.b64encode(der).decode())


class SmtpMailTest(MailTestBase, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keydir = tempfile.mkdtemp(prefix="twostep-dkim-")
        cls.rsa, cls.ed = make_keys(cls.keydir)
        cls.smtp = SmtpSink()
        env = dkim_env(cls.rsa, cls.ed)
        cls.server = Server(smtp=cls.smtp, env=env)
        cls.box = SinkMailbox(cls.smtp)
        cls.dns_text, cls.records = mail_dns(cls.server.config_path, env)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()
        shutil.rmtree(cls.keydir, ignore_errors=True)


class FileMailTest(MailTestBase, unittest.TestCase):
    """File mode writes the signed message: what is tested is what is sent."""

    @classmethod
    def setUpClass(cls):
        cls.keydir = tempfile.mkdtemp(prefix="twostep-dkim-")
        cls.rsa, cls.ed = make_keys(cls.keydir)
        env = dkim_env(cls.rsa, cls.ed)
        cls.server = Server(env=env)
        cls.box = FileMailbox(cls.server)
        cls.smtp = cls  # register_verified reads codes through wait_for below
        cls.dns_text, cls.records = mail_dns(cls.server.config_path, env)

    @classmethod
    def wait_for(cls, to, timeout=20, subject_contains=None):
        return cls.box.wait_for(to, subject_contains or "", timeout)[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.keydir, ignore_errors=True)


class MailConfigTest(unittest.TestCase):
    def test_a_wrong_key_stops_the_server_with_a_configuration_error(self):
        keydir = tempfile.mkdtemp(prefix="twostep-dkim-")
        try:
            rsa, ed = make_keys(keydir)
            env = dkim_env(ed, rsa)  # the keys swapped
            p = subprocess.run([TWOSTEPD, "mail-dns"], capture_output=True, text=True,
                               env=dict(os.environ, **env), timeout=30)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("not an RSA key", p.stderr)
            self.assertNotIn("PRIVATE KEY", p.stderr)
        finally:
            shutil.rmtree(keydir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
