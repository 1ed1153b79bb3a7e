"""What integrators and operators rely on: GET /v1/openapi.json is
docs/openapi.yaml, every route of src/http is in it (and nothing else),
--version names VERSION and the commit, and twostepd tells systemd it is
ready (Type=notify) once it prints `listening on`."""

import json
import os
import re
import socket
import subprocess
import tempfile
import unittest

import yaml

from harness import HERE, STRONG, TWOSTEPD, Server, new_email

ROOT = os.path.join(HERE, "..", "..")
CLI = os.environ.get("TWOSTEP_CLI", os.path.join(ROOT, "build", "twostep"))


def version():
    with open(os.path.join(ROOT, "VERSION")) as f:
        return f.read().strip()


def served_routes():
    """(METHOD, path with {} for parameters) of every router.Add in src/http."""
    routes = set()
    src = os.path.join(ROOT, "src", "http")
    for name in os.listdir(src):
        if name.endswith(".cc") and not name.endswith("_test.cc"):
            with open(os.path.join(src, name)) as f:
                routes |= set(re.findall(r'router\.Add\("([A-Z]+)", "([^"]+)"', f.read()))
    return routes


class OpenApiTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(ROOT, "docs", "openapi.yaml")) as f:
            self.doc = yaml.safe_load(f)

    def test_the_server_serves_the_document_with_the_version(self):
        server = Server()
        try:
            r = server.get("/v1/openapi.json")
            self.assertEqual(r.status, 200, r)
            expected = dict(self.doc, info=dict(self.doc["info"], version=version()))
            self.assertEqual(r.json, json.loads(json.dumps(expected)))
        finally:
            server.stop()

    def test_every_route_is_documented_and_nothing_more(self):
        documented = {(m.upper(), re.sub(r"\{[^}]+\}", "{}", p))
                      for p, item in self.doc["paths"].items() for m in item
                      if m in ("get", "put", "post", "delete", "patch")}
        self.assertEqual(documented, served_routes())


class VersionTest(unittest.TestCase):
    def test_both_binaries_print_the_version_and_the_commit(self):
        for binary, name in ((TWOSTEPD, "twostepd"), (CLI, "twostep")):
            out = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                 timeout=10, check=True).stdout.strip()
            self.assertRegex(out, rf"^{name} {re.escape(version())} \(commit "
                                  r"([0-9a-f]{7,40}(-dirty)?|unknown)\)$")


class SystemdNotifyTest(unittest.TestCase):
    def test_ready_is_sent_on_the_notify_socket_once_listening(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "notify")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(path)
            sock.settimeout(20)
            server = Server(env={"NOTIFY_SOCKET": path})
            try:
                # Server() returned after the `listening on` line.
                self.assertIn("READY=1", sock.recv(4096).decode().split("\n"))
                self.assertEqual(server.get("/healthz").status, 200)
            finally:
                server.stop()
                sock.close()

    def test_without_a_notify_socket_it_runs_as_before(self):
        server = Server(env={"NOTIFY_SOCKET": ""})
        try:
            self.assertEqual(server.get("/healthz").status, 200)
        finally:
            server.stop()


class SqliteBackupTest(unittest.TestCase):
    """docs/OPERATIONS.md's backup commands, while twostepd runs."""

    def test_online_backup_and_vacuum_into_copy_a_consistent_database(self):
        server = Server()
        try:
            if server.backend != "sqlite":
                self.skipTest("SQLite backups; PostgreSQL has pg_dump")
            email = new_email()
            r = server.post("/v1/accounts", {"email": email, "password": STRONG, "app": "kasa"})
            self.assertEqual(r.status, 202, r)
            db = os.path.join(server.dir, "var", "twostep.db")
            for i, command in enumerate((".backup '{}'", "VACUUM INTO '{}'")):
                copy = os.path.join(server.dir, f"backup-{i}.db")
                subprocess.run(["sqlite3", db, command.format(copy)], check=True, timeout=60)
                check = subprocess.run(["sqlite3", copy, "PRAGMA integrity_check",
                                        f"SELECT count(*) FROM accounts WHERE email = '{email}'"],
                                       capture_output=True, text=True, check=True, timeout=60)
                self.assertEqual(check.stdout.split(), ["ok", "1"], command)
            self.assertEqual(server.get("/healthz").status, 200)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
