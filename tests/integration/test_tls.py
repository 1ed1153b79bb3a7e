"""Built-in TLS: HTTPS and wss:// with a throw-away certificate; old
protocol versions refused; HSTS; the client speaks https:// too."""

import http.client
import os
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import STRONG, Server, SmtpSink, WsClient, code_in, new_device, new_email

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get("TWOSTEP_CLI", os.path.join(HERE, "..", "..", "build", "twostep"))


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="twostep-tls-")
        cls.cert, key = make_certificate(cls.dir)
        cls.smtp = SmtpSink()
        cls.server = Server(smtp=cls.smtp, extra_config="", env={
            "TWOSTEP_SERVER_TLS_CERT": cls.cert, "TWOSTEP_SERVER_TLS_KEY": key}, scheme="https")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.smtp.stop()

    def https(self, method, path, body=None, context=None):
        ctx = context or ssl.create_default_context(cafile=self.cert)
        conn = http.client.HTTPSConnection(self.server.host, self.server.port, context=ctx, timeout=10)
        headers = {"Content-Type": "application/json"} if body else {}
        import json
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r, data

    def test_https_with_hsts(self):
        r, data = self.https("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertIn("max-age=", r.getheader("Strict-Transport-Security"))

    def test_old_tls_versions_are_refused(self):
        ctx = ssl.create_default_context(cafile=self.cert)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except ssl.SSLError:
            pass
        with self.assertRaises((ssl.SSLError, OSError)):
            self.https("GET", "/healthz", context=ctx)

    def test_plain_http_gets_nothing(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        with self.assertRaises((http.client.HTTPException, OSError)):
            conn.request("GET", "/healthz")
            conn.getresponse().read()

    def test_wss_and_the_client_over_https(self):
        email = new_email()
        r, data = self.https("POST", "/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
        import json
        cid = json.loads(data)["challenge_id"]
        self.https("POST", "/v1/accounts/verify-email",
                   {"challenge_id": cid, "code": code_in(self.smtp.wait_for(email))})
        r, data = self.https("POST", "/v1/sessions", {"email": email, "password": STRONG, "device": new_device()})
        token = json.loads(data)["access_token"]
        ws = WsClient(self.server, tls_cafile=self.cert)
        self.assertEqual(ws.auth(token)["type"], "ready")
        ws.close()

        home = tempfile.mkdtemp(prefix="twostep-cli-tls-")
        env = dict(os.environ, XDG_CONFIG_HOME=home, SSL_CERT_FILE=self.cert)
        url = f"https://127.0.0.1:{self.server.port}"
        p = subprocess.run([CLI, "--server", url, "login", email, "--password-stdin"], input=STRONG + "\n",
                           capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Signed in as " + email, p.stdout)
        p = subprocess.run([CLI, "--server", url, "whoami"], capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        # Without trusting the certificate the client refuses to talk.
        env.pop("SSL_CERT_FILE")
        p = subprocess.run([CLI, "--server", url, "whoami"], capture_output=True, text=True, env=env, timeout=30)
        self.assertNotEqual(p.returncode, 0)


class TlsConnectionCapTest(unittest.TestCase):
    """Over TLS a connection beyond the per-IP cap is closed before the
    handshake (no TLS work is spent on it)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="twostep-tls-")
        cls.cert, key = make_certificate(cls.dir)
        cls.server = Server(env={"TWOSTEP_SERVER_TLS_CERT": cls.cert, "TWOSTEP_SERVER_TLS_KEY": key,
                                 "TWOSTEP_SERVER_MAX_CONNECTIONS_PER_IP": "1"}, scheme="https")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def healthz(self):
        ctx = ssl.create_default_context(cafile=self.cert)
        conn = http.client.HTTPSConnection(self.server.host, self.server.port, context=ctx, timeout=10)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status
        finally:
            conn.close()

    def test_over_the_cap_the_handshake_is_refused(self):
        held = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            with self.assertRaises((ssl.SSLError, OSError, http.client.HTTPException)):
                self.healthz()
        finally:
            held.close()
        end = time.monotonic() + 10  # the slot comes back once the server sees the close
        while True:
            try:
                if self.healthz() == 200:
                    break
            except (ssl.SSLError, OSError, http.client.HTTPException):
                pass
            self.assertLess(time.monotonic(), end, "the slot never came back")
            time.sleep(0.05)


if __name__ == "__main__":
    unittest.main()
