"""The nginx configuration of docs/examples/nginx.conf, run for real in
front of two twostepd instances on one PostgreSQL database: sign-in through
nginx, a code over a WebSocket through nginx, and a client's forged
X-Forwarded-For kept out of Login Activity. The file is used as committed;
only its ports and TLS lines are changed for loopback."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest

from harness import STRONG, PgDatabase, Server, SmtpSink, WsClient, code_in, new_device, new_email
from test_pg_multi_instance import shared_keys_file

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "docs", "examples", "nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx with the example site, on a loopback port; same request helpers
    as Server."""

    request = Server.request
    get = Server.get
    post = Server.post

    def __init__(self, upstream_ports):
        self.dir = tempfile.mkdtemp(prefix="twostep-nginx-")
        self.host, self.port = "127.0.0.1", free_port()
        with open(EXAMPLE) as f:
            site = f.read()
        servers = iter(upstream_ports)
        site = re.sub(r"server 127\.0\.0\.1:\d+",
                      lambda m: f"server 127.0.0.1:{next(servers)}", site)
        site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.port};")
        site = re.sub(r"\n\s*ssl_certificate(_key)?\s[^;]*;", "", site)
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(f"""{user}
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
{site}
}}
""")
        # nginx returns once its sockets are bound and it has daemonised.
        subprocess.run([NGINX, "-p", self.dir, "-c", self.conf], check=True, timeout=30,
                       capture_output=True)

    def stop(self):
        subprocess.run([NGINX, "-p", self.dir, "-c", self.conf, "-s", "stop"], timeout=30,
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@unittest.skipUnless(os.path.exists(NGINX), "nginx is not installed")
class NginxExampleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.db = PgDatabase()
        keys = shared_keys_file()
        # Both trust nginx's address for X-Forwarded-For.
        cls.a = Server(smtp=cls.smtp, database=cls.db, keys_file=keys,
                       server_config='trusted_proxies = ["127.0.0.1"]')
        cls.b = Server(smtp=cls.smtp, database=cls.db, keys_file=keys,
                       server_config='trusted_proxies = ["127.0.0.1"]')
        cls.nginx = Nginx([cls.a.port, cls.b.port])

    @classmethod
    def tearDownClass(cls):
        cls.nginx.stop()
        cls.a.stop()
        cls.b.stop()
        cls.db.drop()
        cls.smtp.stop()

    def test_sign_in_and_codes_through_nginx(self):
        lb = self.nginx
        email = new_email()
        phone = new_device("Phone A", app="aginet")
        r = lb.post("/v1/accounts", {"email": email, "password": STRONG, "app": "aginet",
                                     "device": phone})
        self.assertEqual(r.status, 202, r)
        code = code_in(self.smtp.wait_for(email))
        r = lb.post("/v1/accounts/verify-email", {"challenge_id": r.json["challenge_id"], "code": code})
        self.assertEqual(r.status, 200, r)
        secret = r.json["device_secret"]
        # A client that forges X-Forwarded-For: nginx replaces the header.
        r = lb.post("/v1/sessions", {"email": email, "password": STRONG, "device": phone,
                                     "device_secret": secret},
                    headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(r.status, 200, r)
        token = r.json["access_token"]
        activity = lb.get("/v1/account/login-activity?limit=1", token=token).json
        self.assertEqual(activity[0]["ip"], "127.0.0.1", activity)

        ws = WsClient(lb)  # the WebSocket through nginx, to either instance
        try:
            self.assertEqual(ws.auth(token), {"type": "ready", "device_id": phone["id"]})
            # Several sign-ins: round robin sends them to both instances;
            # every code reaches the one connection.
            for i in range(2):
                r = lb.post("/v1/sessions", {"email": email, "password": STRONG,
                                             "device": new_device(f"Laptop {i}")})
                self.assertEqual(r.status, 202, r)
                msg = ws.recv()
                self.assertEqual(msg["type"], "verification_code")
                self.assertEqual(msg["challenge_id"], r.json["challenge_id"])
        finally:
            ws.close()


if __name__ == "__main__":
    unittest.main()
